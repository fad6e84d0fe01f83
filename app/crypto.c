/*
 * Random secrets, encodings and digests. Sessions and API tokens are
 * 256-bit random secrets; the database only ever sees their SHA-256, so a
 * stolen copy of the database cannot be replayed as a credential. A fast
 * digest is right for them (unlike passwords) because they are not
 * guessable.
 */
#include <sys/types.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"

static const char	b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int	b64url_value(int);

int
crypto_random(uint8_t *buf, size_t len)
{
	if (len > INT32_MAX)
		return (0);
	return (RAND_bytes(buf, (int)len) == 1);
}

/* Lower-case hex; out must hold 2 * len + 1 bytes. */
void
crypto_hex(const uint8_t *in, size_t len, char *out)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len; i++) {
		out[i * 2] = digits[in[i] >> 4];
		out[i * 2 + 1] = digits[in[i] & 0x0f];
	}
	out[len * 2] = '\0';
}

/* Characters needed for len bytes in unpadded base64url. */
size_t
crypto_b64url_len(size_t len)
{
	return ((len / 3) * 4 + ((len % 3) ? (len % 3) + 1 : 0));
}

/*
 * Unpadded base64url of in. Returns the length written (without the NUL),
 * or 0 when out is too small.
 */
size_t
crypto_b64url_encode(const uint8_t *in, size_t len, char *out, size_t outlen)
{
	size_t		i, o, need;
	uint32_t	v;

	need = crypto_b64url_len(len);
	if (outlen < need + 1)
		return (0);

	for (i = 0, o = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64url[(v >> 18) & 0x3f];
		out[o++] = b64url[(v >> 12) & 0x3f];
		out[o++] = b64url[(v >> 6) & 0x3f];
		out[o++] = b64url[v & 0x3f];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = b64url[(v >> 18) & 0x3f];
		out[o++] = b64url[(v >> 12) & 0x3f];
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64url[(v >> 18) & 0x3f];
		out[o++] = b64url[(v >> 12) & 0x3f];
		out[o++] = b64url[(v >> 6) & 0x3f];
	}
	out[o] = '\0';

	return (o);
}

static int
b64url_value(int c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64url, c)) == NULL)
		return (-1);
	return ((int)(p - b64url));
}

/*
 * Decodes unpadded base64url. Returns the number of bytes, or -1 for a bad
 * character, an impossible length or an output buffer that is too small.
 */
ssize_t
crypto_b64url_decode(const char *in, size_t len, uint8_t *out, size_t outlen)
{
	size_t		i, o;
	uint32_t	v;
	int		bits, c;

	if (len % 4 == 1)
		return (-1);

	v = 0;
	bits = 0;
	for (i = 0, o = 0; i < len; i++) {
		if ((c = b64url_value((unsigned char)in[i])) == -1)
			return (-1);
		v = (v << 6) | (uint32_t)c;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen)
				return (-1);
			out[o++] = (uint8_t)(v >> bits);
		}
	}

	return ((ssize_t)o);
}

/* out must hold CRYPTO_SHA256_HEX bytes. */
void
crypto_sha256_hex(const void *data, size_t len, char *out)
{
	uint8_t		md[CRYPTO_SHA256_LEN];
	unsigned int	mdlen;

	mdlen = sizeof(md);
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != sizeof(md)) {
		/* Cannot happen with the default provider loaded. */
		memset(out, '0', CRYPTO_SHA256_HEX - 1);
		out[CRYPTO_SHA256_HEX - 1] = '\0';
		return;
	}
	crypto_hex(md, sizeof(md), out);
}

/* A fresh session secret: CRYPTO_SECRET_CHARS base64url characters. */
int
crypto_secret(char *out, size_t outlen)
{
	uint8_t		raw[CRYPTO_SECRET_BYTES];

	if (!crypto_random(raw, sizeof(raw)))
		return (0);
	return (crypto_b64url_encode(raw, sizeof(raw), out, outlen) ==
	    CRYPTO_SECRET_CHARS);
}

/* A fresh API token: TOKEN_PREFIX followed by a secret. */
int
crypto_token_new(char *out, size_t outlen)
{
	size_t		plen;

	plen = sizeof(TOKEN_PREFIX) - 1;
	if (outlen < TOKEN_LEN + 1)
		return (0);
	memcpy(out, TOKEN_PREFIX, plen);
	return (crypto_secret(out + plen, outlen - plen));
}

/* Is s shaped like a secret (before we spend a database round trip)? */
int
crypto_secret_valid(const char *s)
{
	size_t		i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= CRYPTO_SECRET_CHARS || b64url_value((unsigned char)s[i]) == -1)
			return (0);
	}
	return (i == CRYPTO_SECRET_CHARS);
}

int
crypto_token_valid(const char *s)
{
	size_t		plen;

	plen = sizeof(TOKEN_PREFIX) - 1;
	if (strncmp(s, TOKEN_PREFIX, plen) != 0)
		return (0);
	return (crypto_secret_valid(s + plen));
}
