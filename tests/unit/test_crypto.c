/*
 * Unit tests of app/crypto.c: hex, unpadded base64url, SHA-256 and the
 * shapes of session secrets and API tokens.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"

struct vector {
	const char	*plain;
	const char	*encoded;
};

/* RFC 4648 section 10, without the padding. */
static const struct vector	rfc4648[] = {
	{ "", "" },
	{ "f", "Zg" },
	{ "fo", "Zm8" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg" },
	{ "fooba", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy" },
};

static const char	b64url_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
test_hex(void **state)
{
	static const uint8_t	in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char			out[2 * sizeof(in) + 1];

	(void)state;
	crypto_hex(in, sizeof(in), out);
	assert_string_equal(out, "00017f80abff");

	memset(out, 'x', sizeof(out));
	crypto_hex(in, 0, out);
	assert_string_equal(out, "");

	crypto_hex((const uint8_t *)"\x0f\xf0", 2, out);
	assert_string_equal(out, "0ff0");
}

static void
test_b64url_len(void **state)
{
	(void)state;
	assert_int_equal(crypto_b64url_len(0), 0);
	assert_int_equal(crypto_b64url_len(1), 2);
	assert_int_equal(crypto_b64url_len(2), 3);
	assert_int_equal(crypto_b64url_len(3), 4);
	assert_int_equal(crypto_b64url_len(4), 6);
	assert_int_equal(crypto_b64url_len(16), 22);
	assert_int_equal(crypto_b64url_len(CRYPTO_SECRET_BYTES),
	    CRYPTO_SECRET_CHARS);
}

static void
test_b64url_rfc4648_encode(void **state)
{
	char		out[16];
	size_t		i, n, len;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		len = strlen(rfc4648[i].plain);
		memset(out, 'x', sizeof(out));
		n = crypto_b64url_encode((const uint8_t *)rfc4648[i].plain, len,
		    out, sizeof(out));
		assert_int_equal(n, strlen(rfc4648[i].encoded));
		assert_string_equal(out, rfc4648[i].encoded);
	}
}

static void
test_b64url_rfc4648_decode(void **state)
{
	uint8_t		out[16];
	size_t		i, len;
	ssize_t		n;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		len = strlen(rfc4648[i].plain);
		n = crypto_b64url_decode(rfc4648[i].encoded,
		    strlen(rfc4648[i].encoded), out, sizeof(out));
		assert_int_equal(n, len);
		assert_memory_equal(out, rfc4648[i].plain, len);
	}
}

/* The two characters that differ from standard base64. */
static void
test_b64url_url_alphabet(void **state)
{
	static const uint8_t	in[] = { 0xfb, 0xff, 0xbf };
	static const uint8_t	in2[] = { 0xfb, 0xff };
	uint8_t			back[8];
	char			out[8];

	(void)state;
	assert_int_equal(crypto_b64url_encode(in, sizeof(in), out,
	    sizeof(out)), 4);
	assert_string_equal(out, "-_-_");
	assert_int_equal(crypto_b64url_decode("-_-_", 4, back, sizeof(back)),
	    3);
	assert_memory_equal(back, in, sizeof(in));

	assert_int_equal(crypto_b64url_encode(in2, sizeof(in2), out,
	    sizeof(out)), 3);
	assert_string_equal(out, "-_8");
	assert_int_equal(crypto_b64url_decode("-_8", 3, back, sizeof(back)),
	    2);
	assert_memory_equal(back, in2, sizeof(in2));
}

static void
test_b64url_round_trip(void **state)
{
	uint8_t		in[40], back[40];
	char		out[64];
	size_t		len, i, n;
	ssize_t		d;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 0xa5);

	for (len = 0; len <= sizeof(in); len++) {
		memset(out, 'x', sizeof(out));
		n = crypto_b64url_encode(in, len, out, sizeof(out));
		assert_int_equal(n, crypto_b64url_len(len));
		assert_int_equal(strlen(out), n);
		for (i = 0; i < n; i++)
			assert_non_null(strchr(b64url_chars, out[i]));

		memset(back, 0, sizeof(back));
		d = crypto_b64url_decode(out, n, back, sizeof(back));
		assert_int_equal(d, len);
		assert_memory_equal(back, in, len);

		/* Exactly the right output size is enough. */
		d = crypto_b64url_decode(out, n, back, len);
		assert_int_equal(d, len);
	}
}

static void
test_b64url_round_trip_random(void **state)
{
	uint8_t		in[40], back[40];
	char		out[64];
	size_t		len, n;
	int		round;

	(void)state;
	for (round = 0; round < 50; round++) {
		for (len = 0; len <= sizeof(in); len++) {
			assert_true(crypto_random(in, sizeof(in)));
			n = crypto_b64url_encode(in, len, out, sizeof(out));
			assert_int_equal(n, crypto_b64url_len(len));
			assert_int_equal(crypto_b64url_decode(out, n, back,
			    sizeof(back)), len);
			assert_memory_equal(back, in, len);
		}
	}
}

static void
test_b64url_encode_small_buffer(void **state)
{
	char		out[16];

	(void)state;
	/* "Zm9vYmFy" needs 8 characters and the NUL. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(crypto_b64url_encode((const uint8_t *)"foobar", 6,
	    out, 8), 0);
	assert_int_equal(crypto_b64url_encode((const uint8_t *)"foobar", 6,
	    out, 0), 0);
	assert_int_equal(crypto_b64url_encode((const uint8_t *)"foobar", 6,
	    out, 9), 8);
	assert_string_equal(out, "Zm9vYmFy");
	assert_int_equal(crypto_b64url_encode((const uint8_t *)"f", 1,
	    out, 2), 0);
	assert_int_equal(crypto_b64url_encode((const uint8_t *)"f", 1,
	    out, 3), 2);
	assert_string_equal(out, "Zg");
}

static void
test_b64url_decode_bad_chars(void **state)
{
	static const char	*bad[] = {
		"Zm9v+",	/* standard alphabet */
		"Zm9/",
		"Zm8=",		/* padding */
		"Zm 9v",
		"Zm9v\n",
		"Zm.v",
		"Zm9\xc3\xa9",	/* UTF-8 */
		"*Zm9v",
	};
	uint8_t			out[16];
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(crypto_b64url_decode(bad[i], strlen(bad[i]),
		    out, sizeof(out)), -1);

	/* An embedded NUL is a bad character, not the end. */
	assert_int_equal(crypto_b64url_decode("Zm\0v", 4, out, sizeof(out)),
	    -1);
	assert_int_equal(crypto_b64url_decode("Zm9vYm\0y", 8, out,
	    sizeof(out)), -1);
}

static void
test_b64url_decode_bad_length(void **state)
{
	uint8_t		out[16];

	(void)state;
	/* A single character left over is never a whole byte. */
	assert_int_equal(crypto_b64url_decode("Z", 1, out, sizeof(out)), -1);
	assert_int_equal(crypto_b64url_decode("Zm9vY", 5, out, sizeof(out)),
	    -1);
	assert_int_equal(crypto_b64url_decode("Zm9vYmFyZ", 9, out,
	    sizeof(out)), -1);
	assert_int_equal(crypto_b64url_decode("", 0, out, sizeof(out)), 0);
}

static void
test_b64url_decode_small_buffer(void **state)
{
	uint8_t		out[16];

	(void)state;
	assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 8, out, 5), -1);
	assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 8, out, 0), -1);
	assert_int_equal(crypto_b64url_decode("Zm9vYmE", 7, out, 4), -1);
	assert_int_equal(crypto_b64url_decode("Zm9vYmE", 7, out, 5), 5);
	assert_memory_equal(out, "fooba", 5);
	assert_int_equal(crypto_b64url_decode("Zm9vYmFy", 8, out, 6), 6);
	assert_memory_equal(out, "foobar", 6);
}

static void
test_sha256_hex(void **state)
{
	char		out[CRYPTO_SHA256_HEX];

	(void)state;
	crypto_sha256_hex("abc", 3, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("", 0, out);
	assert_string_equal(out,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	crypto_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    56, out);
	assert_string_equal(out,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_int_equal(strlen(out), CRYPTO_SHA256_HEX - 1);
}

static void
test_random(void **state)
{
	uint8_t		a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_true(crypto_random(a, sizeof(a)));
	assert_true(crypto_random(b, sizeof(b)));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_true(crypto_random(a, 0));
}

static void
test_secret(void **state)
{
	char		a[CRYPTO_SECRET_CHARS + 1], b[CRYPTO_SECRET_CHARS + 1];

	(void)state;
	assert_true(crypto_secret(a, sizeof(a)));
	assert_true(crypto_secret(b, sizeof(b)));
	assert_int_equal(strlen(a), CRYPTO_SECRET_CHARS);
	assert_true(crypto_secret_valid(a));
	assert_true(crypto_secret_valid(b));
	assert_string_not_equal(a, b);

	/* No room for the NUL. */
	assert_false(crypto_secret(a, CRYPTO_SECRET_CHARS));
}

static void
test_secret_valid(void **state)
{
	char		s[64];

	(void)state;
	memset(s, 'A', CRYPTO_SECRET_CHARS);
	s[CRYPTO_SECRET_CHARS] = '\0';
	assert_true(crypto_secret_valid(s));

	s[10] = '-';
	s[20] = '_';
	s[30] = '9';
	assert_true(crypto_secret_valid(s));

	s[5] = '+';
	assert_false(crypto_secret_valid(s));
	s[5] = '/';
	assert_false(crypto_secret_valid(s));
	s[5] = '=';
	assert_false(crypto_secret_valid(s));
	s[5] = 'A';

	/* One short, one long. */
	s[CRYPTO_SECRET_CHARS - 1] = '\0';
	assert_false(crypto_secret_valid(s));
	s[CRYPTO_SECRET_CHARS - 1] = 'A';
	s[CRYPTO_SECRET_CHARS] = 'A';
	s[CRYPTO_SECRET_CHARS + 1] = '\0';
	assert_false(crypto_secret_valid(s));

	assert_false(crypto_secret_valid(""));
}

static void
test_token_new(void **state)
{
	char		a[TOKEN_LEN + 1], b[TOKEN_LEN + 1];

	(void)state;
	assert_int_equal(TOKEN_LEN, 5 + CRYPTO_SECRET_CHARS);
	assert_true(crypto_token_new(a, sizeof(a)));
	assert_true(crypto_token_new(b, sizeof(b)));
	assert_int_equal(strlen(a), TOKEN_LEN);
	assert_memory_equal(a, "ctxh_", 5);
	assert_true(crypto_token_valid(a));
	assert_true(crypto_token_valid(b));
	assert_true(crypto_secret_valid(a + 5));
	assert_string_not_equal(a, b);

	assert_false(crypto_token_new(a, TOKEN_LEN));
	assert_false(crypto_token_new(a, 0));
}

static void
test_token_valid(void **state)
{
	char		t[TOKEN_LEN + 8];

	(void)state;
	memcpy(t, "ctxh_", 5);
	memset(t + 5, 'Q', CRYPTO_SECRET_CHARS);
	t[TOKEN_LEN] = '\0';
	assert_true(crypto_token_valid(t));

	/* Wrong prefix. */
	t[0] = 'C';
	assert_false(crypto_token_valid(t));
	t[0] = 'c';
	t[4] = '-';
	assert_false(crypto_token_valid(t));
	t[4] = '_';
	assert_false(crypto_token_valid(t + 1));
	assert_false(crypto_secret_valid(t));

	/* Wrong length. */
	t[TOKEN_LEN - 1] = '\0';
	assert_false(crypto_token_valid(t));
	t[TOKEN_LEN - 1] = 'Q';
	t[TOKEN_LEN] = 'Q';
	t[TOKEN_LEN + 1] = '\0';
	assert_false(crypto_token_valid(t));
	t[TOKEN_LEN] = '\0';
	assert_true(crypto_token_valid(t));

	/* Bad characters. */
	t[12] = '+';
	assert_false(crypto_token_valid(t));
	t[12] = '.';
	assert_false(crypto_token_valid(t));
	t[12] = ' ';
	assert_false(crypto_token_valid(t));
	t[12] = 'Q';
	assert_true(crypto_token_valid(t));

	assert_false(crypto_token_valid(""));
	assert_false(crypto_token_valid("ctxh_"));
	assert_false(crypto_token_valid("ctx"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_b64url_len),
		cmocka_unit_test(test_b64url_rfc4648_encode),
		cmocka_unit_test(test_b64url_rfc4648_decode),
		cmocka_unit_test(test_b64url_url_alphabet),
		cmocka_unit_test(test_b64url_round_trip),
		cmocka_unit_test(test_b64url_round_trip_random),
		cmocka_unit_test(test_b64url_encode_small_buffer),
		cmocka_unit_test(test_b64url_decode_bad_chars),
		cmocka_unit_test(test_b64url_decode_bad_length),
		cmocka_unit_test(test_b64url_decode_small_buffer),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_secret_valid),
		cmocka_unit_test(test_token_new),
		cmocka_unit_test(test_token_valid),
	};

	return (cmocka_run_group_tests_name("crypto", tests, NULL, NULL));
}
