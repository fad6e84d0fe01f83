/*
 * registry-verify: checks a signed credential offline.
 *
 *	registry-verify -k pubkey.pem compact	with one public key, whatever
 *						kid the token names
 *	registry-verify -d keydir compact	with a key ring, by kid
 *
 * compact may be "-" for standard input (a trailing newline is dropped).
 * A genuine signature's payload goes to standard output and "signature
 * valid (kid X); revocation not checked offline" to standard error;
 * otherwise "INVALID: reason" and nothing on standard output, so a script
 * never reads an unverified payload. Exit 0 valid signature, 1 invalid,
 * 2 usage error or unusable key. Revocation is not in the signature:
 * only the registry's /verify/{id} says whether a credential may still
 * be relied on, and this tool says so rather than "valid" alone.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jws.h"

static int	usage(void);
static int	read_stdin(char *, size_t, size_t *);

static int
usage(void)
{
	fprintf(stderr, "usage: registry-verify -k pubkey.pem compact|-\n"
	    "       registry-verify -d keydir compact|-\n");
	return (2);
}

/* Reads stdin into buf; 0 when it holds more than len - 1 bytes. */
static int
read_stdin(char *buf, size_t len, size_t *outlen)
{
	size_t		n;

	n = fread(buf, 1, len, stdin);
	if (n == len)
		return (0);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*outlen = n;
	return (1);
}

int
main(int argc, char **argv)
{
	struct keyring	*ring;
	const char	*keyfile, *keydir, *compact;
	char		*in, *payload, err[512], kid[JWS_KID_SIZE];
	size_t		 len, plen;
	int		 ch, rc;

	keyfile = keydir = NULL;
	while ((ch = getopt(argc, argv, "d:k:")) != -1) {
		switch (ch) {
		case 'd':
			keydir = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		default:
			return (usage());
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || (keyfile == NULL) == (keydir == NULL))
		return (usage());

	if (keyfile != NULL)
		ring = keyring_load_pubkey(keyfile, err, sizeof(err));
	else
		ring = keyring_load(keydir, err, sizeof(err));
	if (ring == NULL) {
		fprintf(stderr, "registry-verify: %s\n", err);
		return (2);
	}

	in = NULL;
	if (strcmp(argv[0], "-") == 0) {
		/* Room for JWS_MAX_LEN, a CRLF and one byte to spot more. */
		if ((in = malloc(JWS_MAX_LEN + 4)) == NULL) {
			keyring_free(ring);
			return (2);
		}
		if (!read_stdin(in, JWS_MAX_LEN + 4, &len)) {
			fprintf(stderr, "INVALID: %s\n",
			    jws_strerror(JWS_MALFORMED));
			free(in);
			keyring_free(ring);
			return (1);
		}
		compact = in;
	} else {
		compact = argv[0];
		len = strlen(compact);
	}

	rc = jws_verify(ring, compact, len, &payload, &plen, kid, sizeof(kid));
	if (rc == JWS_OK) {
		fwrite(payload, 1, plen, stdout);
		putchar('\n');
		fflush(stdout);		/* the verdict after it, when merged */
		fprintf(stderr, "signature valid (kid %s); revocation not "
		    "checked offline\n", kid);
		free(payload);
	} else if (kid[0] != '\0')
		fprintf(stderr, "INVALID: %s (kid %s)\n", jws_strerror(rc),
		    kid);
	else
		fprintf(stderr, "INVALID: %s\n", jws_strerror(rc));

	free(in);
	keyring_free(ring);
	return (rc == JWS_OK ? 0 : 1);
}
