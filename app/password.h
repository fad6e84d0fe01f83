/*
 * Password hashing: PBKDF2-HMAC-SHA256 through OpenSSL, stored as
 * "$pbkdf2-sha256$<iterations>$<salt>$<key>" (base64url, no padding), so
 * the iteration count can rise later without invalidating stored hashes.
 */
#ifndef REGISTRY_PASSWORD_H
#define REGISTRY_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

#define PASSWORD_ITERATIONS	600000
#define PASSWORD_ITER_MAX	10000000
#define PASSWORD_SALT_LEN	16
#define PASSWORD_KEY_LEN	32
#define PASSWORD_MIN_LEN	8
#define PASSWORD_MAX_LEN	256
#define PASSWORD_HASH_MAX	128

#define PASSWORD_MATCH		1
#define PASSWORD_MISMATCH	0
#define PASSWORD_MALFORMED	-1

int	password_hash(const char *, size_t, uint32_t, char *, size_t);
int	password_verify(const char *, size_t, const char *);
int	password_acceptable(const char *, size_t);
int	password_generate(char *, size_t);

#endif
