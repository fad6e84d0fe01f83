/*
 * registry-keys: manages the key ring that signs credentials.
 *
 *	registry-keys new [-d dir] [kid]	a new key pair, made current
 *	registry-keys list [-d dir]		kid, private|public, current
 *	registry-keys retire [-d dir] kid	deletes an old private key
 *	registry-keys sign [-d dir] < claims	compact JWS of a JSON object
 *
 * Rotation is `new`: the old key stays and keeps verifying, and `retire`
 * later removes its private half. `sign` lets an operator check a ring
 * end to end (with registry-verify or plain openssl). The directory is
 * -d, else $REGISTRY_KEYS, else $REGISTRY_ROOT/var/keys, else var/keys.
 * Exit 0 on success, 1 on failure, 2 on a usage error.
 */
#include <sys/types.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "jws.h"

#define KID_TRIES	99	/* ctxh-YYYY-MM-DD, -2 ... -99 */

static int	usage(void);
static int	default_kid(const char *, int, char *, size_t);
static int	cmd_new(const char *, const char *);
static int	cmd_list(const char *);
static int	cmd_retire(const char *, const char *);
static int	cmd_sign(const char *);

static int
usage(void)
{
	fprintf(stderr,
	    "usage: registry-keys new [-d dir] [kid]\n"
	    "       registry-keys list [-d dir]\n"
	    "       registry-keys retire [-d dir] kid\n"
	    "       registry-keys sign [-d dir] < claims.json\n");
	return (2);
}

/* The n-th default kid of a day: ctxh-YYYY-MM-DD, then -2, -3 ... */
static int
default_kid(const char *date, int n, char *kid, size_t len)
{
	int		w;

	if (n == 1)
		w = snprintf(kid, len, "ctxh-%s", date);
	else
		w = snprintf(kid, len, "ctxh-%s-%d", date, n);
	return (w > 0 && (size_t)w < len);
}

static int
cmd_new(const char *dir, const char *kid)
{
	char		 err[512], buf[JWS_KID_SIZE], date[16];
	time_t		 now;
	struct tm	*tm;
	int		 n, rc;

	if (kid != NULL) {
		rc = keyring_generate(dir, kid, err, sizeof(err));
	} else {
		/* The local date names the key; the next free suffix wins. */
		now = time(NULL);
		if ((tm = localtime(&now)) == NULL ||
		    strftime(date, sizeof(date), "%Y-%m-%d", tm) == 0) {
			fprintf(stderr, "registry-keys: no date\n");
			return (1);
		}
		rc = KEYRING_EXISTS;
		for (n = 1; n <= KID_TRIES && rc == KEYRING_EXISTS; n++) {
			if (!default_kid(date, n, buf, sizeof(buf)))
				break;
			rc = keyring_generate(dir, buf, err, sizeof(err));
		}
		if (rc == KEYRING_EXISTS)
			(void)snprintf(err, sizeof(err), "%d keys were made "
			    "on %s already: name this one", KID_TRIES, date);
		kid = buf;
	}
	if (rc != KEYRING_OK) {
		fprintf(stderr, "registry-keys: %s\n", err);
		return (1);
	}
	printf("%s\n", kid);
	fflush(stdout);
	fprintf(stderr, "registry-keys: %s/%s.pub is the public key; "
	    "new credentials are signed with %s\n", dir, kid, kid);
	return (0);
}

static int
cmd_list(const char *dir)
{
	struct keyring	*ring;
	const char	*kid, *cur;
	char		 err[512];
	size_t		 i;
	int		 priv;

	if ((ring = keyring_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "registry-keys: %s\n", err);
		return (1);
	}
	cur = keyring_current(ring);
	for (i = 0; (kid = keyring_kid(ring, i, &priv)) != NULL; i++) {
		printf("%s\t%s%s\n", kid, priv ? "private" : "public",
		    cur != NULL && strcmp(cur, kid) == 0 ? "\tcurrent" : "");
	}
	if (cur == NULL)
		fprintf(stderr, "registry-keys: %s has no current signing "
		    "key (registry-keys new)\n", dir);
	keyring_free(ring);
	return (0);
}

static int
cmd_retire(const char *dir, const char *kid)
{
	char		err[512];

	if (keyring_retire(dir, kid, err, sizeof(err)) != KEYRING_OK) {
		fprintf(stderr, "registry-keys: %s\n", err);
		return (1);
	}
	fprintf(stderr, "registry-keys: %s retired; %s/%s.pub still "
	    "verifies what it signed\n", kid, dir, kid);
	return (0);
}

/* Signs a JSON object read on stdin (one trailing newline dropped). */
static int
cmd_sign(const char *dir)
{
	struct keyring	*ring;
	json_t		*claims;
	json_error_t	 jerr;
	char		*in, *jws, err[512];
	size_t		 len;
	int		 rc;

	rc = 1;
	jws = NULL;
	if ((in = malloc(JWS_MAX_LEN + 1)) == NULL) {
		fprintf(stderr, "registry-keys: out of memory\n");
		return (1);
	}
	len = fread(in, 1, JWS_MAX_LEN + 1, stdin);
	if (len > JWS_MAX_LEN) {
		fprintf(stderr, "registry-keys: claims too long\n");
		goto done;
	}
	if (len > 0 && in[len - 1] == '\n')
		len--;
	if ((claims = json_loadb(in, len, 0, &jerr)) == NULL ||
	    !json_is_object(claims)) {
		json_decref(claims);
		fprintf(stderr, "registry-keys: the claims must be a JSON "
		    "object\n");
		goto done;
	}
	json_decref(claims);

	if ((ring = keyring_load(dir, err, sizeof(err))) == NULL) {
		fprintf(stderr, "registry-keys: %s\n", err);
		goto done;
	}
	if (keyring_current(ring) == NULL)
		fprintf(stderr, "registry-keys: %s has no current signing "
		    "key (registry-keys new)\n", dir);
	else if ((jws = jws_sign(ring, in, len)) == NULL)
		fprintf(stderr, "registry-keys: signing failed (claims too "
		    "long?)\n");
	else {
		printf("%s\n", jws);
		rc = 0;
	}
	keyring_free(ring);

done:
	free(jws);
	free(in);
	return (rc);
}

int
main(int argc, char **argv)
{
	char		 path[PATH_MAX];
	const char	*cmd, *dir, *root;
	int		 ch, n;

	if (argc < 2)
		return (usage());
	cmd = argv[1];
	dir = NULL;
	argc--;
	argv++;
	while ((ch = getopt(argc, argv, "d:")) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		default:
			return (usage());
		}
	}
	argc -= optind;
	argv += optind;

	/* Where the server looks too (app/signing.c), bar its config file. */
	if (dir == NULL || *dir == '\0')
		dir = getenv("REGISTRY_KEYS");
	if (dir == NULL || *dir == '\0') {
		if ((root = getenv("REGISTRY_ROOT")) != NULL && *root != '\0') {
			n = snprintf(path, sizeof(path), "%s/var/keys", root);
			if (n <= 0 || (size_t)n >= sizeof(path))
				return (usage());
			dir = path;
		} else
			dir = "var/keys";
	}

	if (strcmp(cmd, "new") == 0 && argc <= 1)
		return (cmd_new(dir, argc == 1 ? argv[0] : NULL));
	if (strcmp(cmd, "list") == 0 && argc == 0)
		return (cmd_list(dir));
	if (strcmp(cmd, "retire") == 0 && argc == 1)
		return (cmd_retire(dir, argv[0]));
	if (strcmp(cmd, "sign") == 0 && argc == 0)
		return (cmd_sign(dir));
	return (usage());
}
