/*
 * Unit tests of app/jws.c: key rings on disk (generation, loading,
 * rotation, retirement, refusals), compact JWS signing and the strict
 * verifier, and the RFC 8037 Ed25519 example. Each test gets its own
 * mkdtemp(3) directory under /tmp, removed by its teardown.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto.h"
#include "jws.h"

#define HDR_A	"{\"alg\":\"EdDSA\",\"kid\":\"key-a\",\"typ\":\"JWT\"}"
#define HDR_B	"{\"alg\":\"EdDSA\",\"kid\":\"key-b\",\"typ\":\"JWT\"}"
#define HDR_Z	"{\"alg\":\"EdDSA\",\"kid\":\"key-z\",\"typ\":\"JWT\"}"
#define CLAIMS	"{\"sub\":\"079201001234\",\"cred\":\"ctxh-2026-000042\"}"

struct fixture {
	char	dir[64];	/* the mkdtemp directory */
	char	ring[96];	/* dir/keys, made by keyring_generate */
	char	err[512];
};

/* RFC 8037 appendix A.1 (the key) and A.4 (signing). */
static const char	rfc_d[] = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
static const char	rfc_x[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
static const char	rfc_input[] =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
static const char	rfc_sig[] =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6d"
    "WbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return (remove(path));
}

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	(void)snprintf(f->dir, sizeof(f->dir), "/tmp/test_jws.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	(void)snprintf(f->ring, sizeof(f->ring), "%s/keys", f->dir);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 rc;

	rc = nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return (rc);
}

static void
path_of(char *out, size_t len, const struct fixture *f, const char *name)
{
	assert_true((size_t)snprintf(out, len, "%s/%s", f->ring, name) < len);
}

static struct keyring *
load(struct fixture *f)
{
	struct keyring	*ring;

	f->err[0] = '\0';
	ring = keyring_load(f->ring, f->err, sizeof(f->err));
	if (ring == NULL)
		print_error("keyring_load: %s\n", f->err);
	assert_non_null(ring);
	return (ring);
}

static void
generate(struct fixture *f, const char *kid)
{
	int		rc;

	rc = keyring_generate(f->ring, kid, f->err, sizeof(f->err));
	if (rc != KEYRING_OK)
		print_error("keyring_generate: %s\n", f->err);
	assert_int_equal(rc, KEYRING_OK);
}

static char *
sign(const struct keyring *ring, const char *payload)
{
	char		*jws;

	jws = jws_sign(ring, payload, strlen(payload));
	assert_non_null(jws);
	return (jws);
}

static int
verify(const struct keyring *ring, const char *jws, char *kid)
{
	char		*payload, k[JWS_KID_SIZE];
	size_t		 len;
	int		 rc;

	rc = jws_verify(ring, jws, strlen(jws), &payload, &len,
	    kid != NULL ? kid : k, JWS_KID_SIZE);
	if (rc == JWS_OK) {
		assert_non_null(payload);
		assert_int_equal(strlen(payload), len);
		free(payload);
	} else
		assert_null(payload);
	return (rc);
}

/* header.payload.signature from raw parts, to free(). */
static char *
forge(const char *header, const char *payload, const uint8_t *sig,
    size_t siglen)
{
	char		*out;
	size_t		 need, o;

	need = crypto_b64url_len(strlen(header)) + crypto_b64url_len(
	    strlen(payload)) + crypto_b64url_len(siglen) + 3;
	assert_non_null(out = malloc(need));
	o = crypto_b64url_encode((const uint8_t *)header, strlen(header),
	    out, need);
	out[o++] = '.';
	o += crypto_b64url_encode((const uint8_t *)payload, strlen(payload),
	    out + o, need - o);
	out[o++] = '.';
	(void)crypto_b64url_encode(sig, siglen, out + o, need - o);
	return (out);
}

/* jws with its header part replaced by the encoding of header. */
static char *
reheader(const char *jws, const char *header)
{
	char		*out, *p;
	const char	*rest;
	size_t		 need, o;

	rest = strchr(jws, '.');
	need = crypto_b64url_len(strlen(header)) + strlen(rest) + 1;
	assert_non_null(out = malloc(need));
	o = crypto_b64url_encode((const uint8_t *)header, strlen(header),
	    out, need);
	p = out + o;
	memcpy(p, rest, strlen(rest) + 1);
	return (out);
}

static void
b64_decode_fixed(const char *in, uint8_t *out, size_t len)
{
	assert_int_equal(crypto_b64url_decode(in, strlen(in), out, len), len);
}

static void
test_kid_valid(void **state)
{
	char		long_kid[JWS_KID_MAX + 2];

	(void)state;
	assert_true(jws_kid_valid("ctxh-2026-11-22"));
	assert_true(jws_kid_valid("a"));
	assert_true(jws_kid_valid("0"));
	assert_true(jws_kid_valid("a-"));
	assert_false(jws_kid_valid(""));
	assert_false(jws_kid_valid(NULL));
	assert_false(jws_kid_valid("-a"));
	assert_false(jws_kid_valid("A"));
	assert_false(jws_kid_valid("a_b"));
	assert_false(jws_kid_valid("a.b"));
	assert_false(jws_kid_valid("a/b"));
	assert_false(jws_kid_valid("../x"));
	assert_false(jws_kid_valid("a b"));
	assert_false(jws_kid_valid("\xc4\x91"));

	memset(long_kid, 'k', JWS_KID_MAX);
	long_kid[JWS_KID_MAX] = '\0';
	assert_true(jws_kid_valid(long_kid));
	long_kid[JWS_KID_MAX] = 'k';
	long_kid[JWS_KID_MAX + 1] = '\0';
	assert_false(jws_kid_valid(long_kid));
}

static void
test_generate_load(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	struct stat	 st;
	char		 path[256], line[64];
	FILE		*fp;
	int		 priv;

	generate(f, "key-a");

	assert_int_equal(stat(f->ring, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	path_of(path, sizeof(path), f, "key-a.key");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	path_of(path, sizeof(path), f, "key-a.pub");
	assert_int_equal(stat(path, &st), 0);
	path_of(path, sizeof(path), f, "current");
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	assert_string_equal(line, "key-a\n");

	ring = load(f);
	assert_int_equal(keyring_count(ring), 1);
	assert_string_equal(keyring_current(ring), "key-a");
	assert_string_equal(keyring_kid(ring, 0, &priv), "key-a");
	assert_true(priv);
	assert_null(keyring_kid(ring, 1, &priv));
	keyring_free(ring);

	/* A kid is never reused, nor is a bad one accepted. */
	assert_int_equal(keyring_generate(f->ring, "key-a", f->err,
	    sizeof(f->err)), KEYRING_EXISTS);
	assert_int_equal(keyring_generate(f->ring, "Key-B", f->err,
	    sizeof(f->err)), KEYRING_ERROR);
	assert_int_equal(keyring_generate(f->ring, "../evil", f->err,
	    sizeof(f->err)), KEYRING_ERROR);
	ring = load(f);
	assert_int_equal(keyring_count(ring), 1);
	assert_string_equal(keyring_current(ring), "key-a");
	keyring_free(ring);
}

static void
test_round_trip(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*jws, *payload, kid[JWS_KID_SIZE], hdr[128];
	const char	*dot;
	size_t		 len;
	ssize_t		 n;

	generate(f, "key-a");
	ring = load(f);
	jws = sign(ring, CLAIMS);

	/* The header is exactly this, so every verifier sees the same. */
	assert_non_null(dot = strchr(jws, '.'));
	n = crypto_b64url_decode(jws, (size_t)(dot - jws), (uint8_t *)hdr,
	    sizeof(hdr) - 1);
	assert_true(n > 0);
	hdr[n] = '\0';
	assert_string_equal(hdr, HDR_A);
	assert_int_equal(strlen(strrchr(jws, '.') + 1), 86);

	assert_int_equal(jws_verify(ring, jws, strlen(jws), &payload, &len,
	    kid, sizeof(kid)), JWS_OK);
	assert_int_equal(len, strlen(CLAIMS));
	assert_string_equal(payload, CLAIMS);
	assert_string_equal(kid, "key-a");
	free(payload);

	/* Callers not interested in the payload or the kid. */
	assert_int_equal(jws_verify(ring, jws, strlen(jws), NULL, NULL, NULL,
	    0), JWS_OK);

	/* A short kid buffer truncates, it does not overflow. */
	assert_int_equal(jws_verify(ring, jws, strlen(jws), NULL, NULL, kid,
	    3), JWS_OK);
	assert_string_equal(kid, "ke");

	free(jws);
	keyring_free(ring);
}

static void
test_tampered(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*a, *b, *t, *p, kid[JWS_KID_SIZE];
	uint8_t		 sig[JWS_SIG_LEN];

	generate(f, "key-a");
	ring = load(f);
	a = sign(ring, CLAIMS);
	keyring_free(ring);
	generate(f, "key-b");
	ring = load(f);
	b = sign(ring, CLAIMS);

	/* Payload: one character of the middle part changed. */
	assert_non_null(t = strdup(a));
	p = strchr(t, '.') + 5;
	*p = *p == 'A' ? 'B' : 'A';
	assert_int_equal(verify(ring, t, kid), JWS_BAD_SIGNATURE);
	assert_string_equal(kid, "key-a");
	free(t);

	/* Payload: replaced whole, signature kept. */
	b64_decode_fixed(strrchr(a, '.') + 1, sig, sizeof(sig));
	t = forge(HDR_A, "{\"sub\":\"079201009999\"}", sig, sizeof(sig));
	assert_int_equal(verify(ring, t, NULL), JWS_BAD_SIGNATURE);
	free(t);

	/* Signature: a bit flipped in the middle. */
	assert_non_null(t = strdup(a));
	p = strrchr(t, '.') + 10;
	*p = *p == 'A' ? 'B' : 'A';
	assert_int_equal(verify(ring, t, NULL), JWS_BAD_SIGNATURE);
	free(t);

	/* Signature: all zeroes. */
	memset(sig, 0, sizeof(sig));
	t = forge(HDR_A, CLAIMS, sig, sizeof(sig));
	assert_int_equal(verify(ring, t, NULL), JWS_BAD_SIGNATURE);
	free(t);

	/* Header: B's token relabelled as A's, and the other way round. */
	t = reheader(b, HDR_A);
	assert_int_equal(verify(ring, t, kid), JWS_BAD_SIGNATURE);
	assert_string_equal(kid, "key-a");
	free(t);
	t = reheader(a, HDR_B);
	assert_int_equal(verify(ring, t, NULL), JWS_BAD_SIGNATURE);
	free(t);

	/* Header: same meaning, other spelling: the signature covers text. */
	t = reheader(a,
	    "{\"kid\":\"key-a\",\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
	assert_int_equal(verify(ring, t, NULL), JWS_BAD_SIGNATURE);
	free(t);

	/* Untouched, both verify. */
	assert_int_equal(verify(ring, a, kid), JWS_OK);
	assert_string_equal(kid, "key-a");
	assert_int_equal(verify(ring, b, kid), JWS_OK);
	assert_string_equal(kid, "key-b");

	free(a);
	free(b);
	keyring_free(ring);
}

static void
test_bad_header(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*good, *t, *pem, kid[JWS_KID_SIZE];
	uint8_t		 sig[JWS_SIG_LEN], mac[EVP_MAX_MD_SIZE];
	size_t		 maclen;
	size_t		 i;
	BIO		*bio;
	long		 pemlen;
	static const char *refused[] = {
		"{\"alg\":\"none\",\"kid\":\"key-a\"}",
		"{\"alg\":\"HS256\",\"kid\":\"key-a\",\"typ\":\"JWT\"}",
		"{\"alg\":\"HS512\",\"kid\":\"key-a\"}",
		"{\"alg\":\"ES256\",\"kid\":\"key-a\"}",
		"{\"alg\":\"eddsa\",\"kid\":\"key-a\"}",
		"{\"alg\":\"Ed25519\",\"kid\":\"key-a\"}",
		"{\"alg\":\"EdDSA \",\"kid\":\"key-a\"}",
		"{\"alg\":null,\"kid\":\"key-a\"}",
		"{\"alg\":[\"EdDSA\"],\"kid\":\"key-a\"}",
		"{\"kid\":\"key-a\",\"typ\":\"JWT\"}",
		"{\"alg\":\"EdDSA\"}",
		"{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}",
		"{\"alg\":\"EdDSA\",\"kid\":\"\"}",
		"{\"alg\":\"EdDSA\",\"kid\":5}",
		"{\"alg\":\"EdDSA\",\"kid\":\"Key-A\"}",
		"{\"alg\":\"EdDSA\",\"kid\":\"../key-a\"}",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\",\"typ\":\"JOSE\"}",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\",\"crit\":[\"exp\"]}",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\",\"jwk\":{}}",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\",\"jku\":\"http://x\"}",
	};
	static const char *malformed[] = {
		"[\"EdDSA\"]",
		"\"EdDSA\"",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\"",
		"{\"alg\":\"EdDSA\",\"alg\":\"EdDSA\",\"kid\":\"key-a\"}",
		"{\"alg\":\"EdDSA\\u0000\",\"kid\":\"key-a\"}",
		"{\"alg\":\"EdDSA\",\"kid\":\"key-a\"}x",
		"\xff{\"alg\":\"EdDSA\",\"kid\":\"key-a\"}",
	};

	generate(f, "key-a");
	ring = load(f);
	good = sign(ring, CLAIMS);
	b64_decode_fixed(strrchr(good, '.') + 1, sig, sizeof(sig));

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		t = forge(refused[i], CLAIMS, sig, sizeof(sig));
		if (verify(ring, t, NULL) != JWS_BAD_HEADER)
			fail_msg("header %s not refused as such", refused[i]);
		free(t);
	}
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		t = forge(malformed[i], CLAIMS, sig, sizeof(sig));
		if (verify(ring, t, NULL) != JWS_MALFORMED)
			fail_msg("header %s not malformed", malformed[i]);
		free(t);
	}

	/* alg none as attackers send it: no signature at all. */
	t = forge("{\"alg\":\"none\",\"kid\":\"key-a\"}", CLAIMS, sig, 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);

	/* HS256 keyed with the public key (the classic confusion attack). */
	assert_non_null(bio = BIO_new(BIO_s_mem()));
	{
		char		 path[256];
		FILE		*fp;
		EVP_PKEY	*pk;

		path_of(path, sizeof(path), f, "key-a.pub");
		assert_non_null(fp = fopen(path, "r"));
		assert_non_null(pk = PEM_read_PUBKEY(fp, NULL, NULL, NULL));
		fclose(fp);
		assert_int_equal(PEM_write_bio_PUBKEY(bio, pk), 1);
		EVP_PKEY_free(pk);
	}
	pemlen = BIO_get_mem_data(bio, &pem);
	assert_true(pemlen > 0);
	{
		const char	*hs = "{\"alg\":\"HS256\",\"kid\":\"key-a\","
				    "\"typ\":\"JWT\"}";
		char		*input;

		t = forge(hs, CLAIMS, sig, 0);
		input = strndup(t, strlen(t) - 1);	/* without the dot */
		assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL,
		    pem, (size_t)pemlen, (const uint8_t *)input, strlen(input),
		    mac, sizeof(mac), &maclen));
		free(input);
		free(t);
		t = forge(hs, CLAIMS, mac, maclen);
		assert_int_not_equal(verify(ring, t, NULL), JWS_OK);
		free(t);
		/* Even with a signature of the right size. */
		memcpy(sig, mac, maclen);
		memcpy(sig + maclen, mac, maclen);
		t = forge(hs, CLAIMS, sig, sizeof(sig));
		assert_int_equal(verify(ring, t, kid), JWS_BAD_HEADER);
		assert_string_equal(kid, "key-a");
		free(t);
	}
	BIO_free(bio);

	free(good);
	keyring_free(ring);
}

static void
test_unknown_kid(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring, *empty;
	char		*a, *t, kid[JWS_KID_SIZE], emptydir[128];

	generate(f, "key-a");
	ring = load(f);
	a = sign(ring, CLAIMS);

	t = reheader(a, HDR_Z);
	assert_int_equal(verify(ring, t, kid), JWS_UNKNOWN_KEY);
	assert_string_equal(kid, "key-z");
	free(t);

	/* An empty ring loads, verifies nothing and cannot sign. */
	(void)snprintf(emptydir, sizeof(emptydir), "%s/empty", f->dir);
	assert_int_equal(mkdir(emptydir, 0700), 0);
	assert_non_null(empty = keyring_load(emptydir, f->err,
	    sizeof(f->err)));
	assert_int_equal(keyring_count(empty), 0);
	assert_null(keyring_current(empty));
	assert_null(jws_sign(empty, CLAIMS, strlen(CLAIMS)));
	assert_int_equal(verify(empty, a, kid), JWS_UNKNOWN_KEY);
	assert_string_equal(kid, "key-a");
	keyring_free(empty);

	assert_int_equal(verify(NULL, a, NULL), JWS_UNKNOWN_KEY);
	assert_null(jws_sign(NULL, CLAIMS, strlen(CLAIMS)));

	free(a);
	keyring_free(ring);
}

static void
test_malformed(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*a, *t, *p, *big, kid[JWS_KID_SIZE];
	size_t		 len, i;
	static const char *bad[] = {
		"", ".", "..", "...", "a", "a.b", "a.b.c.d", ".b.c", "a..c",
		"a.b.", "eyJ.eyJ.", "a.b.c=", "====.====.====",
		"eyJhbGciOiJFZERTQSJ9.e30.@@@@",
	};

	generate(f, "key-a");
	ring = load(f);
	a = sign(ring, CLAIMS);
	len = strlen(a);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (verify(ring, bad[i], NULL) != JWS_MALFORMED)
			fail_msg("\"%s\" not malformed", bad[i]);
	}
	assert_int_equal(jws_verify(ring, NULL, 0, NULL, NULL, NULL, 0),
	    JWS_MALFORMED);

	/* Two parts (the signature cut off), four parts. */
	assert_non_null(t = strndup(a, (size_t)(strrchr(a, '.') - a)));
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);
	assert_true(asprintf(&t, "%s.%s", a, strrchr(a, '.') + 1) > 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);

	/* Characters outside base64url, in each part, and padding. */
	for (i = 0; i < len; i += 7) {
		static const char	 outside[] = "+/= \n\t%!*\"\\";
		const char		*c;

		if (a[i] == '.')
			continue;
		for (c = outside; *c != '\0'; c++) {
			assert_non_null(t = strdup(a));
			t[i] = *c;
			if (verify(ring, t, NULL) != JWS_MALFORMED)
				fail_msg("'%c' at %zu not malformed", *c, i);
			free(t);
		}
	}
	assert_true(asprintf(&t, "%s==", a) > 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);
	assert_true(asprintf(&t, "%s\n", a) > 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);
	assert_true(asprintf(&t, " %s", a) > 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);

	/* A NUL inside: the length says where the token ends, not NUL. */
	assert_non_null(t = strdup(a));
	t[len / 2] = '\0';
	assert_int_equal(jws_verify(ring, t, len, NULL, NULL, NULL, 0),
	    JWS_MALFORMED);
	free(t);
	/* A shorter length than the string is a cut token. */
	assert_int_equal(jws_verify(ring, a, len - 1, NULL, NULL, kid,
	    sizeof(kid)), JWS_MALFORMED);

	/*
	 * Non-canonical base64url: the last signature character with unused
	 * low bits set decodes to the same bytes, but is not the same
	 * credential text, so it is refused.
	 */
	assert_non_null(t = strdup(a));
	p = t + len - 1;
	assert_true(*p == 'A' || *p == 'Q' || *p == 'g' || *p == 'w');
	*p = *p + 1;
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);

	/* Signature of the wrong size. */
	assert_non_null(t = strndup(a, len - 3));
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);
	assert_true(asprintf(&t, "%sAAAA", a) > 0);
	assert_int_equal(verify(ring, t, NULL), JWS_MALFORMED);
	free(t);

	/* Over the size cap, even if it were well-formed. */
	assert_non_null(big = malloc(JWS_MAX_LEN + 2));
	memset(big, 'A', JWS_MAX_LEN + 1);
	big[JWS_MAX_LEN + 1] = '\0';
	memcpy(big, a, (size_t)(strchr(a, '.') - a + 1));
	memcpy(big + JWS_MAX_LEN + 1 - 87, strrchr(a, '.'), 87);
	assert_int_equal(verify(ring, big, NULL), JWS_MALFORMED);
	free(big);

	free(a);
	keyring_free(ring);
}

static void
test_size_limit(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*payload, *jws;
	size_t		 n;

	generate(f, "key-a");
	ring = load(f);
	assert_non_null(payload = malloc(JWS_MAX_LEN + 1));
	memset(payload, 'x', JWS_MAX_LEN);
	payload[JWS_MAX_LEN] = '\0';

	assert_null(jws_sign(ring, payload, JWS_MAX_LEN));
	assert_null(jws_sign(ring, payload, SIZE_MAX));

	/* The largest payload that signs also verifies. */
	for (n = 12000; (jws = jws_sign(ring, payload, n + 1)) != NULL; n++)
		free(jws);
	assert_non_null(jws = jws_sign(ring, payload, n));
	assert_true(strlen(jws) <= JWS_MAX_LEN);
	assert_true(strlen(jws) > JWS_MAX_LEN - 4);
	assert_int_equal(verify(ring, jws, NULL), JWS_OK);
	free(jws);

	/* Empty payloads are not credentials, either way. */
	assert_null(jws_sign(ring, "", 0));
	assert_null(jws_sign(ring, NULL, 0));
	assert_int_equal(verify(ring, "eyJhbGciOiJFZERTQSIsImtpZCI6ImtleS1hIn0"
	    "..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAA", NULL), JWS_MALFORMED);

	free(payload);
	keyring_free(ring);
}

static void
test_rotation(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring, *old;
	char		*a, *b, *b2, kid[JWS_KID_SIZE];
	int		 priv;

	generate(f, "key-a");
	old = load(f);
	a = sign(old, CLAIMS);

	generate(f, "key-b");
	/* A ring already loaded is a snapshot: it still signs with A. */
	assert_string_equal(keyring_current(old), "key-a");

	ring = load(f);
	assert_int_equal(keyring_count(ring), 2);
	assert_string_equal(keyring_current(ring), "key-b");
	assert_string_equal(keyring_kid(ring, 0, &priv), "key-a");
	assert_true(priv);
	assert_string_equal(keyring_kid(ring, 1, &priv), "key-b");
	assert_true(priv);

	b = sign(ring, CLAIMS);
	assert_int_equal(verify(ring, a, kid), JWS_OK);
	assert_string_equal(kid, "key-a");
	assert_int_equal(verify(ring, b, kid), JWS_OK);
	assert_string_equal(kid, "key-b");

	/* The old snapshot does not know B. */
	assert_int_equal(verify(old, b, kid), JWS_UNKNOWN_KEY);

	/* Ed25519 is deterministic: same key, same claims, same token. */
	b2 = sign(ring, CLAIMS);
	assert_string_equal(b, b2);
	assert_string_not_equal(a, b);

	free(a);
	free(b);
	free(b2);
	keyring_free(old);
	keyring_free(ring);
}

static void
test_retire(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		*a, *b, *c, path[256], kid[JWS_KID_SIZE];
	int		 priv;

	generate(f, "key-a");
	ring = load(f);
	a = sign(ring, CLAIMS);
	keyring_free(ring);
	generate(f, "key-b");

	/* The current key cannot be retired; unknown ones neither. */
	assert_int_equal(keyring_retire(f->ring, "key-b", f->err,
	    sizeof(f->err)), KEYRING_ERROR);
	assert_non_null(strstr(f->err, "current"));
	assert_int_equal(keyring_retire(f->ring, "key-z", f->err,
	    sizeof(f->err)), KEYRING_ERROR);
	assert_int_equal(keyring_retire(f->ring, "../x", f->err,
	    sizeof(f->err)), KEYRING_ERROR);

	assert_int_equal(keyring_retire(f->ring, "key-a", f->err,
	    sizeof(f->err)), KEYRING_OK);
	path_of(path, sizeof(path), f, "key-a.key");
	assert_int_equal(access(path, F_OK), -1);
	path_of(path, sizeof(path), f, "key-a.pub");
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(keyring_retire(f->ring, "key-a", f->err,
	    sizeof(f->err)), KEYRING_ERROR);
	assert_non_null(strstr(f->err, "already retired"));

	ring = load(f);
	assert_int_equal(keyring_count(ring), 2);
	assert_string_equal(keyring_kid(ring, 0, &priv), "key-a");
	assert_false(priv);
	assert_string_equal(keyring_current(ring), "key-b");
	assert_int_equal(verify(ring, a, kid), JWS_OK);
	assert_string_equal(kid, "key-a");
	b = sign(ring, CLAIMS);
	assert_int_equal(verify(ring, b, kid), JWS_OK);
	assert_string_equal(kid, "key-b");
	keyring_free(ring);

	/* A retired kid is still taken. */
	assert_int_equal(keyring_generate(f->ring, "key-a", f->err,
	    sizeof(f->err)), KEYRING_EXISTS);

	/* A .key alone: loads (public half derived); retiring writes .pub. */
	generate(f, "key-c");
	ring = load(f);
	c = sign(ring, CLAIMS);
	keyring_free(ring);
	path_of(path, sizeof(path), f, "key-c.pub");
	assert_int_equal(unlink(path), 0);
	generate(f, "key-d");
	ring = load(f);
	assert_int_equal(verify(ring, c, NULL), JWS_OK);
	keyring_free(ring);
	assert_int_equal(keyring_retire(f->ring, "key-c", f->err,
	    sizeof(f->err)), KEYRING_OK);
	assert_int_equal(access(path, F_OK), 0);
	ring = load(f);
	assert_int_equal(verify(ring, c, NULL), JWS_OK);
	assert_int_equal(verify(ring, a, NULL), JWS_OK);
	assert_int_equal(verify(ring, b, NULL), JWS_OK);
	assert_string_equal(keyring_current(ring), "key-d");
	keyring_free(ring);

	free(a);
	free(b);
	free(c);
}

/* Writes text to dir/name with mode. */
static void
put_file(const struct fixture *f, const char *name, const char *text,
    mode_t mode)
{
	char		path[256];
	int		fd;

	path_of(path, sizeof(path), f, name);
	(void)unlink(path);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void
copy_file(const struct fixture *f, const char *from, const char *to)
{
	char		path[256], buf[4096];
	FILE		*fp;
	size_t		 n;

	path_of(path, sizeof(path), f, from);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	put_file(f, to, buf, 0644);
}

static void
expect_load_error(struct fixture *f, const char *fragment)
{
	struct keyring	*ring;

	f->err[0] = '\0';
	ring = keyring_load(f->ring, f->err, sizeof(f->err));
	if (ring != NULL) {
		keyring_free(ring);
		fail_msg("loaded, expected an error with \"%s\"", fragment);
	}
	if (strstr(f->err, fragment) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", f->err, fragment);
}

static void
test_load_errors(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		 path[256];

	expect_load_error(f, "No such file");

	generate(f, "key-a");
	generate(f, "key-b");

	/* Files that are not ours are ignored. */
	put_file(f, "README", "keys\n", 0644);
	put_file(f, ".current.abc123", "junk", 0600);
	put_file(f, "Upper.pub", "junk", 0644);
	put_file(f, "a_b.key", "junk", 0600);
	put_file(f, ".key", "junk", 0600);
	ring = load(f);
	assert_int_equal(keyring_count(ring), 2);
	keyring_free(ring);

	/* A private key others can read is refused. */
	path_of(path, sizeof(path), f, "key-a.key");
	assert_int_equal(chmod(path, 0640), 0);
	expect_load_error(f, "chmod 600");
	assert_int_equal(chmod(path, 0600), 0);

	/* A .pub that is not the .key's public half. */
	copy_file(f, "key-a.pub", "key-a.pub.orig");
	copy_file(f, "key-b.pub", "key-a.pub");
	expect_load_error(f, "not the same key");
	copy_file(f, "key-a.pub.orig", "key-a.pub");

	/* Garbage where a key should be. */
	put_file(f, "key-x.pub", "-----BEGIN PUBLIC KEY-----\nAAAA\n"
	    "-----END PUBLIC KEY-----\n", 0644);
	expect_load_error(f, "key-x.pub");
	path_of(path, sizeof(path), f, "key-x.pub");
	assert_int_equal(unlink(path), 0);

	/* A private key where a public one should be. */
	copy_file(f, "key-a.key", "key-y.pub");
	expect_load_error(f, "key-y.pub");
	path_of(path, sizeof(path), f, "key-y.pub");
	assert_int_equal(unlink(path), 0);

	/* current naming nothing, or not a kid at all. */
	put_file(f, "current", "key-q\n", 0644);
	expect_load_error(f, "key-q");
	put_file(f, "current", "../../etc/passwd\n", 0644);
	expect_load_error(f, "not a key id");
	put_file(f, "current", "", 0644);
	expect_load_error(f, "not a key id");

	/* No current: loads, verifies, cannot sign. */
	path_of(path, sizeof(path), f, "current");
	assert_int_equal(unlink(path), 0);
	ring = load(f);
	assert_null(keyring_current(ring));
	assert_null(jws_sign(ring, CLAIMS, strlen(CLAIMS)));
	keyring_free(ring);

	/* current without a trailing newline is fine. */
	put_file(f, "current", "key-a", 0644);
	ring = load(f);
	assert_string_equal(keyring_current(ring), "key-a");
	keyring_free(ring);
}

static void
test_current_retired(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring;
	char		 path[256];

	/* A ring copied without private keys verifies, cannot sign. */
	generate(f, "key-a");
	path_of(path, sizeof(path), f, "key-a.key");
	assert_int_equal(unlink(path), 0);
	ring = load(f);
	assert_int_equal(keyring_count(ring), 1);
	assert_null(keyring_current(ring));
	assert_null(jws_sign(ring, CLAIMS, strlen(CLAIMS)));
	keyring_free(ring);
}

static void
test_pubkey_ring(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring, *single;
	char		*a, *b, *t, path[256], kid[JWS_KID_SIZE];

	generate(f, "key-a");
	ring = load(f);
	a = sign(ring, CLAIMS);
	keyring_free(ring);
	generate(f, "key-b");
	ring = load(f);
	b = sign(ring, CLAIMS);

	path_of(path, sizeof(path), f, "key-a.pub");
	assert_non_null(single = keyring_load_pubkey(path, f->err,
	    sizeof(f->err)));
	assert_int_equal(keyring_count(single), 1);
	assert_string_equal(keyring_kid(single, 0, NULL), "key-a");
	assert_null(keyring_current(single));
	assert_null(jws_sign(single, CLAIMS, strlen(CLAIMS)));

	assert_int_equal(verify(single, a, kid), JWS_OK);
	assert_string_equal(kid, "key-a");
	assert_int_equal(verify(single, b, kid), JWS_BAD_SIGNATURE);

	/* The kid is not looked up, but must still be well-formed. */
	t = reheader(a, HDR_B);
	assert_int_equal(verify(single, t, NULL), JWS_BAD_SIGNATURE);
	free(t);
	t = reheader(a, "{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
	assert_int_equal(verify(single, t, NULL), JWS_BAD_HEADER);
	free(t);
	keyring_free(single);

	/* A private key file, or nothing, is not a public key. */
	path_of(path, sizeof(path), f, "key-a.key");
	assert_null(keyring_load_pubkey(path, f->err, sizeof(f->err)));
	path_of(path, sizeof(path), f, "nothing.pub");
	assert_null(keyring_load_pubkey(path, f->err, sizeof(f->err)));
	assert_non_null(strstr(f->err, "No such file"));

	free(a);
	free(b);
	keyring_free(ring);
}

/*
 * RFC 8037 A.4: the Ed25519 key of A.1 signs "Example of Ed25519
 * signing" under {"alg":"EdDSA"}. That header has no kid, which this
 * verifier requires, so the vector is checked in two steps: OpenSSL with
 * the raw RFC key reproduces the RFC signature (the oracle), and the
 * same key written as PKCS#8 PEM into a ring signs our header exactly
 * as the oracle does.
 */
static void
test_rfc8037(void **state)
{
	struct fixture	*f = *state;
	struct keyring	*ring, *single;
	EVP_PKEY	*pkey;
	EVP_MD_CTX	*ctx;
	uint8_t		 d[32], x[32], raw[32], sig[JWS_SIG_LEN];
	char		 sig64[100], path[256], *jws, *expect, *input;
	char		*payload;
	size_t		 rawlen, siglen, plen;
	FILE		*fp;
	int		 fd;

	b64_decode_fixed(rfc_d, d, sizeof(d));
	b64_decode_fixed(rfc_x, x, sizeof(x));
	assert_non_null(pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519,
	    NULL, d, sizeof(d)));
	rawlen = sizeof(raw);
	assert_int_equal(EVP_PKEY_get_raw_public_key(pkey, raw, &rawlen), 1);
	assert_memory_equal(raw, x, sizeof(x));

	/* The oracle. */
	assert_non_null(ctx = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey), 1);
	siglen = sizeof(sig);
	assert_int_equal(EVP_DigestSign(ctx, sig, &siglen,
	    (const uint8_t *)rfc_input, strlen(rfc_input)), 1);
	EVP_MD_CTX_free(ctx);
	assert_int_equal(crypto_b64url_encode(sig, siglen, sig64,
	    sizeof(sig64)), 86);
	assert_string_equal(sig64, rfc_sig);

	/* The RFC token itself has no kid: refused as a header. */
	assert_true(asprintf(&jws, "%s.%s", rfc_input, rfc_sig) > 0);

	/* The RFC key as a ring of one: rfc8037.key only, made current. */
	assert_int_equal(mkdir(f->ring, 0700), 0);
	path_of(path, sizeof(path), f, "rfc8037.key");
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_int_equal(PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL,
	    NULL), 1);
	fclose(fp);
	put_file(f, "current", "rfc8037\n", 0644);
	ring = load(f);
	assert_int_equal(verify(ring, jws, NULL), JWS_BAD_HEADER);
	free(jws);

	jws = sign(ring, "Example of Ed25519 signing");
	assert_non_null(input = strndup(jws, (size_t)(strrchr(jws, '.') -
	    jws)));
	assert_string_equal(strchr(input, '.') + 1,
	    "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
	assert_non_null(ctx = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey), 1);
	siglen = sizeof(sig);
	assert_int_equal(EVP_DigestSign(ctx, sig, &siglen,
	    (const uint8_t *)input, strlen(input)), 1);
	EVP_MD_CTX_free(ctx);
	assert_int_equal(crypto_b64url_encode(sig, siglen, sig64,
	    sizeof(sig64)), 86);
	assert_true(asprintf(&expect, "%s.%s", input, sig64) > 0);
	assert_string_equal(jws, expect);

	assert_int_equal(jws_verify(ring, jws, strlen(jws), &payload, &plen,
	    NULL, 0), JWS_OK);
	assert_string_equal(payload, "Example of Ed25519 signing");
	free(payload);

	/* The RFC's public key x, as SPKI PEM, verifies it offline. */
	EVP_PKEY_free(pkey);
	assert_non_null(pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
	    NULL, x, sizeof(x)));
	path_of(path, sizeof(path), f, "rfc8037-x.pem");
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(PEM_write_PUBKEY(fp, pkey), 1);
	fclose(fp);
	assert_non_null(single = keyring_load_pubkey(path, f->err,
	    sizeof(f->err)));
	assert_int_equal(verify(single, jws, NULL), JWS_OK);
	keyring_free(single);

	EVP_PKEY_free(pkey);
	free(input);
	free(expect);
	free(jws);
	keyring_free(ring);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kid_valid),
		cmocka_unit_test_setup_teardown(test_generate_load, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_header, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_kid, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_size_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_current_retired, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pubkey_ring, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rfc8037, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
