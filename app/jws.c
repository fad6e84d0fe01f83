/*
 * Compact JWS signed with Ed25519, and the key ring that holds the keys.
 *
 * Signing always writes the same header, {"alg":"EdDSA","kid":"<kid>",
 * "typ":"JWT"}, with the ring's current key. Verification is strict on
 * purpose, since this registry is the only issuer of what it verifies:
 * exactly three non-empty parts of canonical unpadded base64url, a header
 * that is a JSON object with no duplicate and no unknown member, "alg"
 * exactly "EdDSA" (so never "none" nor an HMAC that could be keyed with a
 * public key), a well-formed "kid" that names a key of the ring, and a
 * 64-byte signature that OpenSSL accepts over the ASCII signing input.
 *
 * A loaded ring is immutable: EVP_PKEYs are safe to share between threads
 * for signing and verifying, each call has its own EVP_MD_CTX. Rotation
 * is a new key on disk and a new `current`; a running process sees it
 * when it loads the ring again.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto.h"
#include "jws.h"

#define KEYRING_MAX	256		/* keys in one directory */
#define KEYFILE_MAX	65536		/* a PEM key is a few hundred bytes */
#define HEADER_MAX	1024		/* decoded header bytes */
#define SIG_CHARS	86		/* crypto_b64url_len(JWS_SIG_LEN) */
#define CURRENT		"current"

struct jwskey {
	char		 kid[JWS_KID_SIZE];
	EVP_PKEY	*pkey;		/* private when has_private */
	EVP_PKEY	*pub;		/* only while loading: from <kid>.pub */
	int		 has_private;
};

struct keyring {
	struct jwskey	*keys;		/* sorted by kid */
	size_t		 nkeys;
	const struct jwskey *current;	/* NULL: this ring cannot sign */
	int		 any_kid;	/* one key, for whatever kid */
};

static void	seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	no_passphrase(char *, int, int, void *);
static int	keypath(char *, size_t, const char *, const char *,
		    const char *);
static EVP_PKEY	*pem_load(const char *, int, char *, size_t);
static int	pem_save(int, EVP_PKEY *, int);
static int	read_current(const char *, char *, char *, size_t);
static int	write_current(const char *, const char *, char *, size_t);
static void	sync_dir(const char *);
static int	mkdirs(const char *, char *, size_t);
static struct jwskey *ring_entry(struct keyring *, const char *);
static int	ring_add_file(struct keyring *, const char *, const char *,
		    char *, size_t);
static int	ring_settle(struct keyring *, const char *, char *, size_t);
static int	kid_cmp(const void *, const void *);
static const struct jwskey *ring_find(const struct keyring *, const char *);
static int	b64_part(const char *, size_t, uint8_t *, size_t, size_t *);
static int	str_is(const json_t *, const char *);
static int	header_check(const uint8_t *, size_t, char *, size_t);

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* PEM readers must fail on an encrypted key, never prompt on a tty. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return (-1);
}

/* dir/kid + suffix into out; 0 when it does not fit. */
static int
keypath(char *out, size_t outlen, const char *dir, const char *kid,
    const char *suffix)
{
	int		n;

	n = snprintf(out, outlen, "%s/%s%s", dir, kid, suffix);
	return (n > 0 && (size_t)n < outlen);
}

/* ^[a-z0-9][a-z0-9-]{0,62}$: safe in a file name, a header and a URL. */
int
jws_kid_valid(const char *kid)
{
	size_t		i;

	if (kid == NULL || kid[0] == '-')
		return (0);
	for (i = 0; kid[i] != '\0'; i++) {
		if (i >= JWS_KID_MAX)
			return (0);
		if (!((kid[i] >= 'a' && kid[i] <= 'z') ||
		    (kid[i] >= '0' && kid[i] <= '9') || kid[i] == '-'))
			return (0);
	}
	return (i > 0);
}

/*
 * Reads an Ed25519 key from a PEM file: the private key (PKCS#8) when
 * private is set, else the public key (SubjectPublicKeyInfo). A private
 * key that group or others may read is refused, as ssh does: it would
 * let anyone on the machine issue credentials.
 */
static EVP_PKEY *
pem_load(const char *path, int private, char *err, size_t errlen)
{
	FILE		*fp;
	struct stat	 st;
	EVP_PKEY	*pkey;

	pkey = NULL;
	if ((fp = fopen(path, "re")) == NULL) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(fp), &st) == -1) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > KEYFILE_MAX) {
		seterr(err, errlen, "%s: not a key file", path);
		goto done;
	}
	if (private && (st.st_mode & 077) != 0) {
		seterr(err, errlen, "%s: mode %04o, a private key must be "
		    "0600 (chmod 600)", path,
		    (unsigned int)(st.st_mode & 07777));
		goto done;
	}

	if (private)
		pkey = PEM_read_PrivateKey(fp, NULL, no_passphrase, NULL);
	else
		pkey = PEM_read_PUBKEY(fp, NULL, no_passphrase, NULL);
	ERR_clear_error();
	if (pkey == NULL) {
		seterr(err, errlen, "%s: not a PEM %s key", path,
		    private ? "private" : "public");
		goto done;
	}
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		seterr(err, errlen, "%s: not an Ed25519 key", path);
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}

done:
	fclose(fp);
	return (pkey);
}

/* Writes pkey as PEM to fd (which it closes) and flushes it to disk. */
static int
pem_save(int fd, EVP_PKEY *pkey, int private)
{
	FILE		*fp;
	int		 ok;

	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return (0);
	}
	if (private)
		ok = PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL);
	else
		ok = PEM_write_PUBKEY(fp, pkey);
	ERR_clear_error();
	ok = ok == 1 && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
	if (fclose(fp) != 0)
		ok = 0;
	return (ok);
}

/*
 * Reads dir/current into kid (JWS_KID_SIZE bytes). Returns 1 when it
 * names a well-formed kid, 0 when there is no such file, -1 on error.
 */
static int
read_current(const char *dir, char *kid, char *err, size_t errlen)
{
	char		 path[PATH_MAX], buf[JWS_KID_SIZE + 2];
	FILE		*fp;
	size_t		 n;

	if (!keypath(path, sizeof(path), dir, CURRENT, "")) {
		seterr(err, errlen, "%s: path too long", dir);
		return (-1);
	}
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return (0);
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (strlen(buf) != n || !jws_kid_valid(buf)) {
		seterr(err, errlen, "%s: not a key id", path);
		return (-1);
	}
	memcpy(kid, buf, n + 1);
	return (1);
}

/*
 * Points dir/current at kid. Written to a temporary file and renamed,
 * so a reader sees the old or the new kid, never a partial line.
 */
static int
write_current(const char *dir, const char *kid, char *err, size_t errlen)
{
	char		path[PATH_MAX], tmp[PATH_MAX];
	size_t		len;
	int		fd, ok;

	if (!keypath(path, sizeof(path), dir, CURRENT, "") ||
	    !keypath(tmp, sizeof(tmp), dir, "." CURRENT, ".XXXXXX")) {
		seterr(err, errlen, "%s: path too long", dir);
		return (0);
	}
	if ((fd = mkstemp(tmp)) == -1) {
		seterr(err, errlen, "%s: %s", tmp, strerror(errno));
		return (0);
	}
	len = strlen(kid);
	ok = fchmod(fd, 0644) == 0 &&
	    write(fd, kid, len) == (ssize_t)len &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (ok && rename(tmp, path) == -1)
		ok = 0;
	if (!ok) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		(void)unlink(tmp);
	}
	return (ok);
}

/* Makes renames and unlinks in dir durable; best effort. */
static void
sync_dir(const char *dir)
{
	int		fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	(void)fsync(fd);
	close(fd);
}

/* mkdir -p: the ring itself 0700, missing parents 0755. */
static int
mkdirs(const char *dir, char *err, size_t errlen)
{
	char		path[PATH_MAX], *p;
	int		n;

	n = snprintf(path, sizeof(path), "%s", dir);
	if (n <= 0 || (size_t)n >= sizeof(path)) {
		seterr(err, errlen, "bad key directory");
		return (0);
	}
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			return (0);
		}
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}
	return (1);
}

/* The entry for kid, added (unsorted) when it is new; NULL when full. */
static struct jwskey *
ring_entry(struct keyring *ring, const char *kid)
{
	struct jwskey	*k;
	size_t		 i;

	for (i = 0; i < ring->nkeys; i++) {
		if (strcmp(ring->keys[i].kid, kid) == 0)
			return (&ring->keys[i]);
	}
	if (ring->nkeys == KEYRING_MAX)
		return (NULL);
	k = &ring->keys[ring->nkeys++];
	memset(k, 0, sizeof(*k));
	memcpy(k->kid, kid, strlen(kid) + 1);
	return (k);
}

/*
 * Loads dir/name into the ring when name is <kid>.key or <kid>.pub with
 * a well-formed kid; anything else is not ours and is skipped. Returns 0
 * with a message when a key file is unusable.
 */
static int
ring_add_file(struct keyring *ring, const char *dir, const char *name,
    char *err, size_t errlen)
{
	char		 kid[JWS_KID_SIZE], path[PATH_MAX];
	struct jwskey	*k;
	EVP_PKEY	*pkey;
	size_t		 len;
	int		 private;

	len = strlen(name);
	if (len < 5 || len - 4 > JWS_KID_MAX)
		return (1);
	if (strcmp(name + len - 4, ".key") == 0)
		private = 1;
	else if (strcmp(name + len - 4, ".pub") == 0)
		private = 0;
	else
		return (1);
	memcpy(kid, name, len - 4);
	kid[len - 4] = '\0';
	if (!jws_kid_valid(kid))
		return (1);

	if (!keypath(path, sizeof(path), dir, name, "")) {
		seterr(err, errlen, "%s: path too long", dir);
		return (0);
	}
	if ((pkey = pem_load(path, private, err, errlen)) == NULL)
		return (0);
	if ((k = ring_entry(ring, kid)) == NULL) {
		seterr(err, errlen, "%s: more than %d keys", dir, KEYRING_MAX);
		EVP_PKEY_free(pkey);
		return (0);
	}
	if (private) {
		k->pkey = pkey;
		k->has_private = 1;
	} else
		k->pub = pkey;
	return (1);
}

/*
 * After every file is read: a .key and its .pub must be the same key
 * (the .pub is what verifiers trust), a lone .pub becomes the key, the
 * ring is sorted and `current` is resolved. A current that names no key
 * is an error; one that names a retired key leaves the ring unable to
 * sign but fine for verifying.
 */
static int
ring_settle(struct keyring *ring, const char *dir, char *err, size_t errlen)
{
	char			 kid[JWS_KID_SIZE];
	struct jwskey		*k;
	const struct jwskey	*found;
	size_t			 i;
	int			 rc;

	for (i = 0; i < ring->nkeys; i++) {
		k = &ring->keys[i];
		if (k->pkey != NULL && k->pub != NULL &&
		    EVP_PKEY_eq(k->pkey, k->pub) != 1) {
			ERR_clear_error();
			seterr(err, errlen, "%s/%s.key and %s.pub are not the "
			    "same key", dir, k->kid, k->kid);
			return (0);
		}
		if (k->pkey == NULL) {
			k->pkey = k->pub;
			k->pub = NULL;
		}
		EVP_PKEY_free(k->pub);
		k->pub = NULL;
	}
	if (ring->nkeys > 1)
		qsort(ring->keys, ring->nkeys, sizeof(ring->keys[0]), kid_cmp);

	if ((rc = read_current(dir, kid, err, errlen)) == -1)
		return (0);
	if (rc == 1) {
		if ((found = ring_find(ring, kid)) == NULL) {
			seterr(err, errlen, "%s/%s names %s, which has no key "
			    "file", dir, CURRENT, kid);
			return (0);
		}
		if (found->has_private)
			ring->current = found;
	}
	return (1);
}

static int
kid_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct jwskey *)a)->kid,
	    ((const struct jwskey *)b)->kid));
}

static const struct jwskey *
ring_find(const struct keyring *ring, const char *kid)
{
	struct jwskey	key;

	if (ring->any_kid)
		return (ring->nkeys == 1 ? &ring->keys[0] : NULL);
	if (ring->nkeys == 0)
		return (NULL);
	memset(&key, 0, sizeof(key));
	(void)snprintf(key.kid, sizeof(key.kid), "%s", kid);
	return (bsearch(&key, ring->keys, ring->nkeys, sizeof(ring->keys[0]),
	    kid_cmp));
}

/*
 * Loads the key ring in dir. A directory without keys, or without a
 * usable `current`, loads fine: it verifies what it can and
 * keyring_current() is NULL, so only signing fails. Unreadable or
 * unusable key files, a group-readable private key, a .key that does not
 * match its .pub and a `current` naming no key are errors: NULL, with a
 * message in err.
 */
struct keyring *
keyring_load(const char *dir, char *err, size_t errlen)
{
	struct keyring	*ring;
	DIR		*dp;
	struct dirent	*de;
	int		 ok;

	if ((ring = calloc(1, sizeof(*ring))) == NULL ||
	    (ring->keys = calloc(KEYRING_MAX, sizeof(*ring->keys))) == NULL) {
		free(ring);
		seterr(err, errlen, "out of memory");
		return (NULL);
	}
	if ((dp = opendir(dir)) == NULL) {
		seterr(err, errlen, "%s: %s", dir, strerror(errno));
		keyring_free(ring);
		return (NULL);
	}
	ok = 1;
	while (ok && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ok = ring_add_file(ring, dir, de->d_name, err, errlen);
	}
	closedir(dp);

	if (!ok || !ring_settle(ring, dir, err, errlen)) {
		keyring_free(ring);
		return (NULL);
	}
	return (ring);
}

/*
 * A ring of one public key from a PEM file, for offline verification
 * with a key handed out on its own: it verifies whatever kid a token
 * names (the kid must still be well-formed) and cannot sign.
 */
struct keyring *
keyring_load_pubkey(const char *path, char *err, size_t errlen)
{
	struct keyring	*ring;
	const char	*base;
	size_t		 len;

	if ((ring = calloc(1, sizeof(*ring))) == NULL ||
	    (ring->keys = calloc(1, sizeof(*ring->keys))) == NULL) {
		free(ring);
		seterr(err, errlen, "out of memory");
		return (NULL);
	}
	if ((ring->keys[0].pkey = pem_load(path, 0, err, errlen)) == NULL) {
		keyring_free(ring);
		return (NULL);
	}
	ring->nkeys = 1;
	ring->any_kid = 1;

	/* Named after the file when that is <kid>.pub, for listing. */
	base = (base = strrchr(path, '/')) == NULL ? path : base + 1;
	len = strlen(base);
	if (len > 4 && len - 4 <= JWS_KID_MAX &&
	    strcmp(base + len - 4, ".pub") == 0) {
		memcpy(ring->keys[0].kid, base, len - 4);
		ring->keys[0].kid[len - 4] = '\0';
		if (!jws_kid_valid(ring->keys[0].kid))
			ring->keys[0].kid[0] = '\0';
	}
	return (ring);
}

void
keyring_free(struct keyring *ring)
{
	size_t		i;

	if (ring == NULL)
		return;
	for (i = 0; i < ring->nkeys; i++) {
		EVP_PKEY_free(ring->keys[i].pkey);
		EVP_PKEY_free(ring->keys[i].pub);
	}
	free(ring->keys);
	free(ring);
}

/* The kid new signatures use, or NULL when this ring cannot sign. */
const char *
keyring_current(const struct keyring *ring)
{
	return (ring->current == NULL ? NULL : ring->current->kid);
}

size_t
keyring_count(const struct keyring *ring)
{
	return (ring->nkeys);
}

/*
 * The i-th kid in sorted order (NULL past the end); has_private, when not
 * NULL, says whether that key can sign.
 */
const char *
keyring_kid(const struct keyring *ring, size_t i, int *has_private)
{
	if (i >= ring->nkeys)
		return (NULL);
	if (has_private != NULL)
		*has_private = ring->keys[i].has_private;
	return (ring->keys[i].kid);
}

/*
 * Creates a new key pair kid in dir (made 0700 if missing) and makes it
 * current: this is rotation, older keys stay and keep verifying. Refuses
 * a kid that was ever used in dir (its .key or .pub exists) with
 * KEYRING_EXISTS, so a kid never names two different keys.
 */
int
keyring_generate(const char *dir, const char *kid, char *err, size_t errlen)
{
	char		 key[PATH_MAX], pub[PATH_MAX];
	EVP_PKEY	*pkey;
	int		 kfd, pfd, rc;

	if (!jws_kid_valid(kid)) {
		seterr(err, errlen, "bad key id \"%s\": lower-case letters, "
		    "digits and '-', up to %d", kid, JWS_KID_MAX);
		return (KEYRING_ERROR);
	}
	if (!keypath(key, sizeof(key), dir, kid, ".key") ||
	    !keypath(pub, sizeof(pub), dir, kid, ".pub")) {
		seterr(err, errlen, "%s: path too long", dir);
		return (KEYRING_ERROR);
	}
	if (!mkdirs(dir, err, errlen))
		return (KEYRING_ERROR);

	/* O_EXCL on both names first: the kid is ours before any key is. */
	if ((kfd = open(key, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		rc = errno == EEXIST ? KEYRING_EXISTS : KEYRING_ERROR;
		seterr(err, errlen, "%s: %s", key, strerror(errno));
		return (rc);
	}
	if ((pfd = open(pub, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) == -1) {
		rc = errno == EEXIST ? KEYRING_EXISTS : KEYRING_ERROR;
		seterr(err, errlen, "%s: %s", pub, strerror(errno));
		close(kfd);
		(void)unlink(key);
		return (rc);
	}

	rc = KEYRING_ERROR;
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL) {
		ERR_clear_error();
		seterr(err, errlen, "Ed25519 key generation failed");
		close(kfd);
		close(pfd);
		goto fail;
	}
	if (!pem_save(kfd, pkey, 1)) {
		seterr(err, errlen, "%s: cannot write", key);
		close(pfd);
		goto fail;
	}
	if (!pem_save(pfd, pkey, 0)) {
		seterr(err, errlen, "%s: cannot write", pub);
		goto fail;
	}
	if (!write_current(dir, kid, err, errlen))
		goto fail;
	rc = KEYRING_OK;

fail:
	if (rc != KEYRING_OK) {
		(void)unlink(key);
		(void)unlink(pub);
	}
	sync_dir(dir);
	EVP_PKEY_free(pkey);
	return (rc);
}

/*
 * Deletes the private key of kid, keeping (or first writing) its .pub so
 * the credentials it signed still verify. Refuses the current key: make
 * a new one first.
 */
int
keyring_retire(const char *dir, const char *kid, char *err, size_t errlen)
{
	char		 key[PATH_MAX], pub[PATH_MAX], cur[JWS_KID_SIZE];
	EVP_PKEY	*priv, *pubkey;
	int		 fd, rc;

	if (!jws_kid_valid(kid)) {
		seterr(err, errlen, "bad key id \"%s\"", kid);
		return (KEYRING_ERROR);
	}
	if (!keypath(key, sizeof(key), dir, kid, ".key") ||
	    !keypath(pub, sizeof(pub), dir, kid, ".pub")) {
		seterr(err, errlen, "%s: path too long", dir);
		return (KEYRING_ERROR);
	}
	if ((rc = read_current(dir, cur, err, errlen)) == -1)
		return (KEYRING_ERROR);
	if (rc == 1 && strcmp(cur, kid) == 0) {
		seterr(err, errlen, "%s is the current key: make a new key "
		    "first", kid);
		return (KEYRING_ERROR);
	}
	if (access(key, F_OK) == -1 && errno == ENOENT) {
		seterr(err, errlen, "%s has no private key%s", kid,
		    access(pub, F_OK) == 0 ? " (already retired)" : "");
		return (KEYRING_ERROR);
	}

	rc = KEYRING_ERROR;
	pubkey = NULL;
	if ((priv = pem_load(key, 1, err, errlen)) == NULL)
		return (KEYRING_ERROR);
	if ((fd = open(pub, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) != -1) {
		if (!pem_save(fd, priv, 0)) {
			seterr(err, errlen, "%s: cannot write", pub);
			(void)unlink(pub);
			goto done;
		}
	} else if (errno != EEXIST) {
		seterr(err, errlen, "%s: %s", pub, strerror(errno));
		goto done;
	}

	/* Never delete a private key whose public half is not on disk. */
	if ((pubkey = pem_load(pub, 0, err, errlen)) == NULL)
		goto done;
	if (EVP_PKEY_eq(priv, pubkey) != 1) {
		ERR_clear_error();
		seterr(err, errlen, "%s and %s are not the same key", key, pub);
		goto done;
	}
	if (unlink(key) == -1) {
		seterr(err, errlen, "%s: %s", key, strerror(errno));
		goto done;
	}
	sync_dir(dir);
	rc = KEYRING_OK;

done:
	EVP_PKEY_free(priv);
	EVP_PKEY_free(pubkey);
	return (rc);
}

/*
 * Signs payload with the current key. Returns the compact form
 * "header.payload.signature", NUL-terminated, to free(); NULL when the
 * ring cannot sign, the payload is empty (the verifier refuses those) or
 * the result would exceed JWS_MAX_LEN.
 */
char *
jws_sign(const struct keyring *ring, const char *payload, size_t len)
{
	char		 header[128], *out;
	uint8_t		 sig[JWS_SIG_LEN];
	EVP_MD_CTX	*ctx;
	size_t		 hlen, need, o, siglen;
	int		 n, ok;

	if (ring == NULL || ring->current == NULL || payload == NULL ||
	    len == 0 || len > JWS_MAX_LEN)
		return (NULL);
	n = snprintf(header, sizeof(header),
	    "{\"alg\":\"EdDSA\",\"kid\":\"%s\",\"typ\":\"JWT\"}",
	    ring->current->kid);
	if (n <= 0 || (size_t)n >= sizeof(header))
		return (NULL);
	hlen = (size_t)n;

	need = crypto_b64url_len(hlen) + 1 + crypto_b64url_len(len) + 1 +
	    SIG_CHARS;
	if (need > JWS_MAX_LEN || (out = malloc(need + 1)) == NULL)
		return (NULL);

	o = crypto_b64url_encode((const uint8_t *)header, hlen, out, need + 1);
	out[o++] = '.';
	o += crypto_b64url_encode((const uint8_t *)payload, len, out + o,
	    need + 1 - o);

	ok = 0;
	siglen = sizeof(sig);
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL,
	    ring->current->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, (const uint8_t *)out, o) == 1 &&
	    siglen == sizeof(sig)) {
		out[o++] = '.';
		ok = crypto_b64url_encode(sig, siglen, out + o,
		    need + 1 - o) == SIG_CHARS;
	}
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();

	if (!ok) {
		free(out);
		return (NULL);
	}
	return (out);
}

/*
 * Decodes one part of a compact JWS. Only canonical encodings pass (the
 * unused low bits of the last character are zero), so one credential
 * has exactly one spelling and cannot be varied to dodge a lookup by its
 * text. Returns 1 and the length in *outn, or 0.
 */
static int
b64_part(const char *in, size_t len, uint8_t *out, size_t outlen,
    size_t *outn)
{
	char		*check;
	ssize_t		 n;
	int		 ok;

	if (len == 0 || (n = crypto_b64url_decode(in, len, out, outlen)) < 0)
		return (0);
	if ((check = malloc(len + 1)) == NULL)
		return (0);
	ok = crypto_b64url_encode(out, (size_t)n, check, len + 1) == len &&
	    memcmp(check, in, len) == 0;
	free(check);
	*outn = (size_t)n;
	return (ok);
}

/* Is v a JSON string equal to s, with no NUL hidden inside? */
static int
str_is(const json_t *v, const char *s)
{
	return (json_is_string(v) && json_string_length(v) == strlen(s) &&
	    strcmp(json_string_value(v), s) == 0);
}

/*
 * Checks the decoded protected header and copies its kid out (first, so
 * a refusal can still name the key). Members allowed: alg (exactly
 * "EdDSA"), kid (well-formed), typ ("JWT", optional); each at most once,
 * anything else (crit, jwk, jku, ...) is refused rather than ignored.
 */
static int
header_check(const uint8_t *buf, size_t len, char *kid, size_t kidlen)
{
	json_t		*hdr, *v;
	json_error_t	 jerr;
	const char	*name;
	int		 rc, alg, haskid, typ;

	hdr = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (hdr == NULL || !json_is_object(hdr)) {
		json_decref(hdr);
		return (JWS_MALFORMED);
	}

	rc = JWS_BAD_HEADER;
	v = json_object_get(hdr, "kid");
	if (!json_is_string(v) ||
	    json_string_length(v) != strlen(json_string_value(v)) ||
	    !jws_kid_valid(json_string_value(v)))
		goto done;
	(void)snprintf(kid, kidlen, "%s", json_string_value(v));

	alg = haskid = typ = 0;
	json_object_foreach(hdr, name, v) {
		if (strcmp(name, "alg") == 0 && !alg++) {
			if (!str_is(v, "EdDSA"))
				goto done;
		} else if (strcmp(name, "kid") == 0 && !haskid++) {
			if (!str_is(v, kid))
				goto done;
		} else if (strcmp(name, "typ") == 0 && !typ++) {
			if (!str_is(v, "JWT"))
				goto done;
		} else
			goto done;
	}
	if (alg)
		rc = JWS_OK;

done:
	json_decref(hdr);
	return (rc);
}

/*
 * Verifies a compact JWS against the ring. On JWS_OK, *payload (when not
 * NULL) is the decoded payload, NUL-terminated, to free(), and
 * *payloadlen its length; on any other result *payload is NULL. kid
 * (when not NULL) receives the header's kid as soon as the header is
 * read, so even JWS_UNKNOWN_KEY and JWS_BAD_SIGNATURE can name it.
 * The payload is never returned unverified.
 */
int
jws_verify(const struct keyring *ring, const char *compact, size_t len,
    char **payload, size_t *payloadlen, char *kid, size_t kidlen)
{
	uint8_t			 header[HEADER_MAX], sig[JWS_SIG_LEN + 3];
	uint8_t			*body;
	char			 hkid[JWS_KID_SIZE];
	const char		*dot1, *dot2;
	const struct jwskey	*k;
	EVP_MD_CTX		*ctx;
	size_t			 hlen, blen, slen, plen;
	int			 rc;

	body = NULL;
	if (payload != NULL)
		*payload = NULL;
	if (payloadlen != NULL)
		*payloadlen = 0;
	if (kid != NULL && kidlen > 0)
		kid[0] = '\0';

	if (compact == NULL || len == 0 || len > JWS_MAX_LEN)
		return (JWS_MALFORMED);
	if ((dot1 = memchr(compact, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - compact)))
	    == NULL ||
	    memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - compact)) != NULL)
		return (JWS_MALFORMED);
	plen = (size_t)(dot2 - (dot1 + 1));

	/* Every part must decode before the header is even looked at. */
	if ((body = malloc(plen + 1)) == NULL)
		return (JWS_MALFORMED);
	rc = JWS_MALFORMED;
	if (!b64_part(compact, (size_t)(dot1 - compact), header,
	    sizeof(header), &hlen) ||
	    !b64_part(dot1 + 1, plen, body, plen + 1, &blen) ||
	    !b64_part(dot2 + 1, len - (size_t)(dot2 + 1 - compact), sig,
	    sizeof(sig), &slen) || slen != JWS_SIG_LEN)
		goto done;

	hkid[0] = '\0';
	rc = header_check(header, hlen, hkid, sizeof(hkid));
	if (hkid[0] != '\0' && kid != NULL && kidlen > 0)
		(void)snprintf(kid, kidlen, "%s", hkid);
	if (rc != JWS_OK)
		goto done;
	if (ring == NULL || (k = ring_find(ring, hkid)) == NULL) {
		rc = JWS_UNKNOWN_KEY;
		goto done;
	}

	rc = JWS_BAD_SIGNATURE;
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, slen, (const uint8_t *)compact,
	    (size_t)(dot2 - compact)) == 1)
		rc = JWS_OK;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();

done:
	if (rc == JWS_OK && payload != NULL) {
		body[blen] = '\0';
		*payload = (char *)body;
		body = NULL;
		if (payloadlen != NULL)
			*payloadlen = blen;
	}
	free(body);
	return (rc);
}

const char *
jws_strerror(int rc)
{
	switch (rc) {
	case JWS_OK:
		return ("valid");
	case JWS_MALFORMED:
		return ("malformed");
	case JWS_BAD_HEADER:
		return ("unsupported header");
	case JWS_UNKNOWN_KEY:
		return ("unknown key");
	case JWS_BAD_SIGNATURE:
		return ("bad signature");
	default:
		return ("unknown error");
	}
}
