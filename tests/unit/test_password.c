/*
 * Unit tests of app/password.c: PBKDF2-SHA256 hashes in the
 * "$pbkdf2-sha256$<iterations>$<salt>$<key>" form. Most tests use a small
 * iteration count so that they run quickly; one checks the real default.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "password.h"

#define FAST		1000
#define PW		"correct horse battery staple"

static const char	b64url_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void	hash_fast(const char *, size_t, char *);
static void	encode(char *, size_t, const char *, const uint8_t *, size_t,
		    const uint8_t *, size_t);

static void
hash_fast(const char *pw, size_t len, char *out)
{
	assert_true(password_hash(pw, len, FAST, out, PASSWORD_HASH_MAX));
}

/* Builds "$pbkdf2-sha256$<iter>$<salt>$<key>" from raw parts. */
static void
encode(char *out, size_t outlen, const char *iter, const uint8_t *salt,
    size_t saltlen, const uint8_t *key, size_t keylen)
{
	char		s64[128], k64[128];
	int		n;

	assert_true(saltlen == 0 ||
	    crypto_b64url_encode(salt, saltlen, s64, sizeof(s64)) > 0);
	if (saltlen == 0)
		s64[0] = '\0';
	assert_true(keylen == 0 ||
	    crypto_b64url_encode(key, keylen, k64, sizeof(k64)) > 0);
	if (keylen == 0)
		k64[0] = '\0';
	n = snprintf(out, outlen, "$pbkdf2-sha256$%s$%s$%s", iter, s64, k64);
	assert_true(n > 0 && (size_t)n < outlen);
}

static void
test_round_trip(void **state)
{
	char		h[PASSWORD_HASH_MAX];

	(void)state;
	hash_fast(PW, strlen(PW), h);
	assert_int_equal(password_verify(PW, strlen(PW), h), PASSWORD_MATCH);
	assert_memory_equal(h, "$pbkdf2-sha256$1000$", 20);
}

static void
test_shape(void **state)
{
	char		h[PASSWORD_HASH_MAX], *salt, *key;
	size_t		i;

	(void)state;
	hash_fast(PW, strlen(PW), h);
	salt = h + strlen("$pbkdf2-sha256$1000$");
	key = strchr(salt, '$');
	assert_non_null(key);
	/* 16 bytes of salt and 32 of key, unpadded base64url. */
	assert_int_equal(key - salt, crypto_b64url_len(PASSWORD_SALT_LEN));
	key++;
	assert_int_equal(strlen(key), crypto_b64url_len(PASSWORD_KEY_LEN));
	for (i = 0; salt[i] != '\0'; i++) {
		if (salt + i == key - 1)
			continue;
		assert_non_null(strchr(b64url_chars, salt[i]));
	}
}

static void
test_default_iterations(void **state)
{
	char		h[PASSWORD_HASH_MAX];
	const char	*want = "$pbkdf2-sha256$600000$";

	(void)state;
	assert_int_equal(PASSWORD_ITERATIONS, 600000);
	assert_true(password_hash("demo-2026", 9, PASSWORD_ITERATIONS, h,
	    sizeof(h)));
	assert_memory_equal(h, want, strlen(want));
	assert_int_equal(password_verify("demo-2026", 9, h), PASSWORD_MATCH);
}

static void
test_mismatch(void **state)
{
	char		h[PASSWORD_HASH_MAX];

	(void)state;
	hash_fast(PW, strlen(PW), h);
	assert_int_equal(password_verify("correct horse battery stapler",
	    strlen(PW) + 1, h), PASSWORD_MISMATCH);
	assert_int_equal(password_verify("Correct horse battery staple",
	    strlen(PW), h), PASSWORD_MISMATCH);
	/* A prefix of the password is a different password. */
	assert_int_equal(password_verify(PW, strlen(PW) - 1, h),
	    PASSWORD_MISMATCH);
	assert_int_equal(password_verify("", 0, h), PASSWORD_MISMATCH);
}

/* The length given counts, not strlen: bytes after a NUL matter. */
static void
test_length_counts(void **state)
{
	char		h[PASSWORD_HASH_MAX];

	(void)state;
	hash_fast("abc\0defgh", 9, h);
	assert_int_equal(password_verify("abc\0defgh", 9, h), PASSWORD_MATCH);
	assert_int_equal(password_verify("abc", 3, h), PASSWORD_MISMATCH);
	assert_int_equal(password_verify("abc\0defgX", 9, h),
	    PASSWORD_MISMATCH);
}

static void
test_salted(void **state)
{
	char		a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];

	(void)state;
	hash_fast(PW, strlen(PW), a);
	hash_fast(PW, strlen(PW), b);
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(PW, strlen(PW), a), PASSWORD_MATCH);
	assert_int_equal(password_verify(PW, strlen(PW), b), PASSWORD_MATCH);
}

/*
 * A known vector, computed independently (Python hashlib):
 * PBKDF2-HMAC-SHA256("password", 16 x "Z", 1000 iterations, 32 bytes).
 */
static void
test_known_vector(void **state)
{
	static const char	h[] = "$pbkdf2-sha256$1000$"
	    "WlpaWlpaWlpaWlpaWlpaWg$F0jweeNkBMEQp6FpK-7VzaP3dU6XfLfsaVZLjUE95YU";
	static const uint8_t	want[] = {
		0x17, 0x48, 0xf0, 0x79, 0xe3, 0x64, 0x04, 0xc1,
		0x10, 0xa7, 0xa1, 0x69, 0x2b, 0xee, 0xd5, 0xcd,
		0xa3, 0xf7, 0x75, 0x4e, 0x97, 0x7c, 0xb7, 0xec,
		0x69, 0x56, 0x4b, 0x8d, 0x41, 0x3d, 0xe5, 0x85,
	};
	uint8_t			salt[PASSWORD_SALT_LEN];
	char			built[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_verify("password", 8, h), PASSWORD_MATCH);
	assert_int_equal(password_verify("Password", 8, h), PASSWORD_MISMATCH);

	memset(salt, 'Z', sizeof(salt));
	encode(built, sizeof(built), "1000", salt, sizeof(salt), want,
	    sizeof(want));
	assert_string_equal(built, h);
}

static void
test_hash_refuses(void **state)
{
	char		h[PASSWORD_HASH_MAX];

	(void)state;
	assert_false(password_hash(PW, strlen(PW), 0, h, sizeof(h)));
	assert_false(password_hash(PW, strlen(PW), PASSWORD_ITER_MAX + 1, h,
	    sizeof(h)));
	/* Too small for the encoded form. */
	assert_false(password_hash(PW, strlen(PW), FAST, h, 40));
	assert_false(password_hash(PW, strlen(PW), FAST, h, 0));
}

static void
test_malformed_prefix(void **state)
{
	char		h[PASSWORD_HASH_MAX];

	(void)state;
	hash_fast(PW, strlen(PW), h);
	h[8] = '5';	/* $pbkdf2-sha556$ */
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
	assert_int_equal(password_verify(PW, strlen(PW), h + 1),
	    PASSWORD_MALFORMED);
	assert_int_equal(password_verify(PW, strlen(PW), ""),
	    PASSWORD_MALFORMED);
	assert_int_equal(password_verify(PW, strlen(PW), "$pbkdf2-sha256"),
	    PASSWORD_MALFORMED);
	assert_int_equal(password_verify(PW, strlen(PW),
	    "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"),
	    PASSWORD_MALFORMED);
}

static void
test_malformed_iterations(void **state)
{
	static const char	*bad[] = {
		"0",
		"10000001",		/* PASSWORD_ITER_MAX + 1 */
		"4294968296",		/* wraps a 32-bit count to 1000 */
		"99999999999999999999999",
		"-1000",
		"",
		"abc",
		"1000x",
	};
	uint8_t			salt[PASSWORD_SALT_LEN], key[PASSWORD_KEY_LEN];
	char			h[PASSWORD_HASH_MAX];
	size_t			i;

	(void)state;
	memset(salt, 1, sizeof(salt));
	memset(key, 2, sizeof(key));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		encode(h, sizeof(h), bad[i], salt, sizeof(salt), key,
		    sizeof(key));
		assert_int_equal(password_verify(PW, strlen(PW), h),
		    PASSWORD_MALFORMED);
	}
	assert_int_equal(password_verify(PW, strlen(PW), "$pbkdf2-sha256$1000"),
	    PASSWORD_MALFORMED);
	assert_int_equal(password_verify(PW, strlen(PW),
	    "$pbkdf2-sha256$1000$"), PASSWORD_MALFORMED);
}

static void
test_malformed_base64(void **state)
{
	char		h[PASSWORD_HASH_MAX + 8], *salt, *key;
	size_t		n;

	(void)state;
	hash_fast(PW, strlen(PW), h);
	salt = h + strlen("$pbkdf2-sha256$1000$");
	salt[3] = '+';
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	hash_fast(PW, strlen(PW), h);
	key = strchr(h + strlen("$pbkdf2-sha256$1000$"), '$');
	assert_non_null(key);
	key[6] = '/';
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	hash_fast(PW, strlen(PW), h);
	key = strchr(h + strlen("$pbkdf2-sha256$1000$"), '$');
	key[6] = '.';
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	/* Padding, or a fourth field. */
	hash_fast(PW, strlen(PW), h);
	n = strlen(h);
	memcpy(h + n, "=", 2);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
	hash_fast(PW, strlen(PW), h);
	n = strlen(h);
	memcpy(h + n, "$AAAA", 6);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
}

static void
test_malformed_lengths(void **state)
{
	uint8_t		salt[64], key[64];
	char		h[256];

	(void)state;
	memset(salt, 3, sizeof(salt));
	memset(key, 4, sizeof(key));

	/* Short or long key. */
	encode(h, sizeof(h), "1000", salt, 16, key, 31);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
	encode(h, sizeof(h), "1000", salt, 16, key, 33);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
	encode(h, sizeof(h), "1000", salt, 16, key, 0);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	/* Salt too short to be one of ours, or missing. */
	encode(h, sizeof(h), "1000", salt, 7, key, 32);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);
	encode(h, sizeof(h), "1000", salt, 0, key, 32);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	/* A salt longer than the decode buffer. */
	encode(h, sizeof(h), "1000", salt, 64, key, 32);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MISMATCH);
	memset(h, 0, sizeof(h));
	{
		char	s64[128], k64[64];

		memset(s64, 'A', 100);
		s64[100] = '\0';
		assert_int_equal(crypto_b64url_encode(key, 32, k64,
		    sizeof(k64)), 43);
		snprintf(h, sizeof(h), "$pbkdf2-sha256$1000$%s$%s", s64, k64);
	}
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MALFORMED);

	/* An 8-byte salt is the smallest accepted. */
	encode(h, sizeof(h), "1000", salt, 8, key, 32);
	assert_int_equal(password_verify(PW, strlen(PW), h),
	    PASSWORD_MISMATCH);
}

static void
test_acceptable(void **state)
{
	char		pw[PASSWORD_MAX_LEN + 2];

	(void)state;
	memset(pw, 'a', sizeof(pw));
	assert_false(password_acceptable(pw, 0));
	assert_false(password_acceptable(pw, PASSWORD_MIN_LEN - 1));
	assert_false(password_acceptable(pw, 7));
	assert_true(password_acceptable(pw, 8));
	assert_true(password_acceptable(pw, 100));
	assert_true(password_acceptable(pw, 256));
	assert_false(password_acceptable(pw, 257));

	pw[3] = '\0';
	assert_false(password_acceptable(pw, 8));
	pw[3] = 'a';
	pw[255] = '\0';
	assert_false(password_acceptable(pw, 256));
	assert_true(password_acceptable("demo-2026", 9));
	/* Bytes, not characters: 4 x 2-byte letters is 8 bytes. */
	assert_true(password_acceptable("\xc4\x91\xc4\x91\xc4\x91\xc4\x91", 8));
}

static void
test_generate(void **state)
{
	char		a[64], b[64];
	size_t		i;

	(void)state;
	assert_true(password_generate(a, sizeof(a)));
	assert_true(password_generate(b, sizeof(b)));
	/* 128 bits: 22 base64url characters. */
	assert_int_equal(strlen(a), 22);
	assert_int_equal(strlen(b), 22);
	for (i = 0; a[i] != '\0'; i++)
		assert_non_null(strchr(b64url_chars, a[i]));
	assert_string_not_equal(a, b);
	assert_true(password_acceptable(a, strlen(a)));

	assert_true(password_generate(a, 23));
	assert_int_equal(strlen(a), 22);
	assert_false(password_generate(a, 22));
	assert_false(password_generate(a, 0));
}

static void
test_generated_round_trip(void **state)
{
	char		pw[64], h[PASSWORD_HASH_MAX];

	(void)state;
	assert_true(password_generate(pw, sizeof(pw)));
	hash_fast(pw, strlen(pw), h);
	assert_int_equal(password_verify(pw, strlen(pw), h), PASSWORD_MATCH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_default_iterations),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_length_counts),
		cmocka_unit_test(test_salted),
		cmocka_unit_test(test_known_vector),
		cmocka_unit_test(test_hash_refuses),
		cmocka_unit_test(test_malformed_prefix),
		cmocka_unit_test(test_malformed_iterations),
		cmocka_unit_test(test_malformed_base64),
		cmocka_unit_test(test_malformed_lengths),
		cmocka_unit_test(test_acceptable),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_generated_round_trip),
	};

	return (cmocka_run_group_tests_name("password", tests, NULL, NULL));
}
