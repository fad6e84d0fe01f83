/*
 * Signed credentials: compact JWS (RFC 7515) with Ed25519 ("alg":"EdDSA",
 * RFC 8037) and a key ring on disk that supports rotation. No Kore
 * dependency; shared by the server, registry-keys, registry-verify and
 * the unit tests.
 *
 * A key ring is a directory (var/keys by default, never the database):
 *
 *	<kid>.key	PKCS#8 PEM private key, mode 0600 (refused otherwise)
 *	<kid>.pub	SubjectPublicKeyInfo PEM public key, handed out for
 *			offline verification
 *	current		one line: the kid that signs new credentials
 *
 * A kid matches ^[a-z0-9][a-z0-9-]{0,62}$. A retired key keeps only its
 * .pub and still verifies; a .key without .pub is fine (the public key is
 * derived). Other files, and names starting with a dot, are ignored.
 */
#ifndef REGISTRY_JWS_H
#define REGISTRY_JWS_H

#include <stddef.h>

#define JWS_MAX_LEN		16384	/* longest compact form, both ways */
#define JWS_KID_MAX		63
#define JWS_KID_SIZE		(JWS_KID_MAX + 1)
#define JWS_SIG_LEN		64	/* an Ed25519 signature, raw bytes */

/* jws_verify() results; jws_strerror() names them. */
#define JWS_OK			0
#define JWS_MALFORMED		-1	/* not 3 base64url parts, too long */
#define JWS_BAD_HEADER		-2	/* alg not EdDSA, no kid, extras */
#define JWS_UNKNOWN_KEY		-3	/* kid not in the ring */
#define JWS_BAD_SIGNATURE	-4

/* keyring_generate() and keyring_retire() results. */
#define KEYRING_OK		0
#define KEYRING_ERROR		-1	/* message in err */
#define KEYRING_EXISTS		-2	/* generate: the kid is taken */

struct keyring;

int		 jws_kid_valid(const char *);

struct keyring	*keyring_load(const char *, char *, size_t);
struct keyring	*keyring_load_pubkey(const char *, char *, size_t);
void		 keyring_free(struct keyring *);
const char	*keyring_current(const struct keyring *);
size_t		 keyring_count(const struct keyring *);
const char	*keyring_kid(const struct keyring *, size_t, int *);
int		 keyring_generate(const char *, const char *, char *, size_t);
int		 keyring_retire(const char *, const char *, char *, size_t);

char		*jws_sign(const struct keyring *, const char *, size_t);
int		 jws_verify(const struct keyring *, const char *, size_t,
		    char **, size_t *, char *, size_t);
const char	*jws_strerror(int);

#endif
