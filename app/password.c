/*
 * PBKDF2-SHA256 password hashes (600,000 iterations, the OWASP 2023 floor
 * for this function). Hashing costs a few hundred milliseconds of CPU on
 * purpose, so the server calls it from a Kore task thread, never on the
 * event loop.
 */
#include <sys/types.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "password.h"

#define PREFIX		"$pbkdf2-sha256$"

static int	derive(const char *, size_t, const uint8_t *, size_t, uint32_t,
		    uint8_t *);

static int
derive(const char *pw, size_t len, const uint8_t *salt, size_t saltlen,
    uint32_t iterations, uint8_t *key)
{
	if (len > INT_MAX || saltlen > INT_MAX || iterations > INT_MAX)
		return (0);
	return (PKCS5_PBKDF2_HMAC(pw, (int)len, salt, (int)saltlen,
	    (int)iterations, EVP_sha256(), PASSWORD_KEY_LEN, key) == 1);
}

/*
 * Hashes pw with a fresh random salt into out. Returns 1 on success, 0 if
 * randomness failed or out is too small.
 */
int
password_hash(const char *pw, size_t len, uint32_t iterations, char *out,
    size_t outlen)
{
	uint8_t		salt[PASSWORD_SALT_LEN], key[PASSWORD_KEY_LEN];
	char		s64[32], k64[48];
	int		n;

	if (iterations == 0 || iterations > PASSWORD_ITER_MAX)
		return (0);
	if (!crypto_random(salt, sizeof(salt)) ||
	    !derive(pw, len, salt, sizeof(salt), iterations, key))
		return (0);
	if (crypto_b64url_encode(salt, sizeof(salt), s64, sizeof(s64)) == 0 ||
	    crypto_b64url_encode(key, sizeof(key), k64, sizeof(k64)) == 0)
		return (0);

	n = snprintf(out, outlen, PREFIX "%u$%s$%s", iterations, s64, k64);
	OPENSSL_cleanse(key, sizeof(key));

	return (n > 0 && (size_t)n < outlen);
}

/*
 * Checks pw against an encoded hash in constant time. Returns
 * PASSWORD_MATCH, PASSWORD_MISMATCH, or PASSWORD_MALFORMED when encoded is
 * not a hash this module wrote.
 */
int
password_verify(const char *pw, size_t len, const char *encoded)
{
	uint8_t		salt[64], want[PASSWORD_KEY_LEN], got[PASSWORD_KEY_LEN];
	const char	*p, *salt64, *key64;
	char		*end;
	unsigned long	iterations;
	ssize_t		saltlen, keylen;
	int		ret;

	if (strncmp(encoded, PREFIX, sizeof(PREFIX) - 1) != 0)
		return (PASSWORD_MALFORMED);
	p = encoded + sizeof(PREFIX) - 1;

	/* Only the digits this module writes: no sign, space or leading 0. */
	if (*p < '1' || *p > '9')
		return (PASSWORD_MALFORMED);
	iterations = strtoul(p, &end, 10);
	if (end == p || *end != '$' || iterations == 0 ||
	    iterations > PASSWORD_ITER_MAX)
		return (PASSWORD_MALFORMED);

	salt64 = end + 1;
	if ((key64 = strchr(salt64, '$')) == NULL)
		return (PASSWORD_MALFORMED);
	saltlen = crypto_b64url_decode(salt64, (size_t)(key64 - salt64),
	    salt, sizeof(salt));
	key64++;
	keylen = crypto_b64url_decode(key64, strlen(key64), want, sizeof(want));
	if (saltlen < 8 || keylen != PASSWORD_KEY_LEN)
		return (PASSWORD_MALFORMED);

	if (!derive(pw, len, salt, (size_t)saltlen, (uint32_t)iterations, got))
		return (PASSWORD_MALFORMED);

	ret = CRYPTO_memcmp(got, want, sizeof(got)) == 0 ?
	    PASSWORD_MATCH : PASSWORD_MISMATCH;
	OPENSSL_cleanse(got, sizeof(got));

	return (ret);
}

/*
 * Length rules only (NIST SP 800-63B): at least PASSWORD_MIN_LEN and at
 * most PASSWORD_MAX_LEN bytes, no NUL. Composition rules do not help.
 */
int
password_acceptable(const char *pw, size_t len)
{
	if (len < PASSWORD_MIN_LEN || len > PASSWORD_MAX_LEN)
		return (0);
	return (memchr(pw, '\0', len) == NULL);
}

/* A random password for first admins and resets: 128 bits, base64url. */
int
password_generate(char *out, size_t outlen)
{
	uint8_t		raw[16];

	if (!crypto_random(raw, sizeof(raw)))
		return (0);
	return (crypto_b64url_encode(raw, sizeof(raw), out, outlen) != 0);
}
