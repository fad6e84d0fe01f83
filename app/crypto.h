/*
 * Small cryptographic helpers with no Kore dependency: random bytes,
 * hex and base64url encoding, SHA-256 digests and the API token format.
 * Shared by the server, the registry-passwd tool and the unit tests.
 */
#ifndef REGISTRY_CRYPTO_H
#define REGISTRY_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_SHA256_HEX	(CRYPTO_SHA256_LEN * 2 + 1)

/* A credential secret: 32 random bytes, base64url, no padding. */
#define CRYPTO_SECRET_BYTES	32
#define CRYPTO_SECRET_CHARS	43
#define TOKEN_PREFIX		"ctxh_"
#define TOKEN_LEN		(sizeof(TOKEN_PREFIX) - 1 + CRYPTO_SECRET_CHARS)

int	crypto_random(uint8_t *, size_t);
void	crypto_hex(const uint8_t *, size_t, char *);
size_t	crypto_b64url_len(size_t);
size_t	crypto_b64url_encode(const uint8_t *, size_t, char *, size_t);
ssize_t	crypto_b64url_decode(const char *, size_t, uint8_t *, size_t);
void	crypto_sha256_hex(const void *, size_t, char *);
int	crypto_secret(char *, size_t);
int	crypto_token_new(char *, size_t);
int	crypto_token_valid(const char *);
int	crypto_secret_valid(const char *);

#endif
