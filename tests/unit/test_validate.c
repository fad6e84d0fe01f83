/*
 * Unit tests of app/validate.c: the request parameter checks.
 */
#include <sys/types.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

static void
test_date_valid(void **state)
{
	(void)state;
	assert_true(valid_date("2024-01-01"));
	assert_true(valid_date("2024-02-29"));
	assert_true(valid_date("2000-02-29"));
	assert_true(valid_date("2024-04-30"));
	assert_true(valid_date("2024-12-31"));
	assert_true(valid_date("2025-06-30"));
	assert_true(valid_date("2025-07-01"));
	assert_true(valid_date("1900-01-01"));
	assert_true(valid_date("2199-12-31"));
}

static void
test_date_invalid(void **state)
{
	(void)state;
	assert_false(valid_date("2023-02-29"));
	assert_false(valid_date("1900-02-29"));
	assert_false(valid_date("2100-02-29"));
	assert_false(valid_date("2024-02-30"));
	assert_false(valid_date("2024-04-31"));
	assert_false(valid_date("2024-06-31"));
	assert_false(valid_date("2024-13-01"));
	assert_false(valid_date("2024-00-10"));
	assert_false(valid_date("2024-01-00"));
	assert_false(valid_date("2024-01-32"));
	assert_false(valid_date("1899-12-31"));
	assert_false(valid_date("2200-01-01"));
	assert_false(valid_date("0000-01-01"));
}

static void
test_date_format(void **state)
{
	(void)state;
	assert_false(valid_date("2024-1-01"));
	assert_false(valid_date("2024-01-1"));
	assert_false(valid_date("24-01-01"));
	assert_false(valid_date("2024-01-01 "));
	assert_false(valid_date("2024-01-01x"));
	assert_false(valid_date("2024-01-01T00:00:00Z"));
	assert_false(valid_date(" 2024-01-01"));
	assert_false(valid_date("2024/01/01"));
	assert_false(valid_date("20240101"));
	assert_false(valid_date("2024-01-0a"));
	assert_false(valid_date("+024-01-01"));
	assert_false(valid_date("2024-+1-01"));
	assert_false(valid_date("2024- 1-01"));
	assert_false(valid_date(""));
	assert_false(valid_date("today"));
}

static void
test_timestamp_valid(void **state)
{
	(void)state;
	assert_true(valid_timestamp("2026-01-31"));
	assert_true(valid_timestamp("2026-01-31T08:00:00Z"));
	assert_true(valid_timestamp("2026-01-31T08:00:00+07:00"));
	assert_true(valid_timestamp("2026-01-31T08:00:00-05:30"));
	assert_true(valid_timestamp("2026-01-31T08:00:00+00:00"));
	assert_true(valid_timestamp("2026-01-31T08:00:00+14:00"));
	assert_true(valid_timestamp("2026-01-31T00:00:00Z"));
	assert_true(valid_timestamp("2026-01-31T23:59:59Z"));
	assert_true(valid_timestamp("2026-01-31T08:00:00.5Z"));
	assert_true(valid_timestamp("2026-01-31T08:00:00.123Z"));
	assert_true(valid_timestamp("2026-01-31T08:00:00.123456Z"));
	assert_true(valid_timestamp("2026-01-31T08:00:00.123456+07:00"));
	assert_true(valid_timestamp("2024-02-29T12:30:45Z"));
}

static void
test_timestamp_invalid(void **state)
{
	(void)state;
	/* No zone: ambiguous, so refused. */
	assert_false(valid_timestamp("2026-01-31T08:00:00"));
	assert_false(valid_timestamp("2026-01-31T08:00"));
	assert_false(valid_timestamp("2026-01-31T08:00Z"));
	assert_false(valid_timestamp("2026-01-31T"));
	/* Bad date part. */
	assert_false(valid_timestamp("2026-02-30T08:00:00Z"));
	assert_false(valid_timestamp("2026-1-31T08:00:00Z"));
	assert_false(valid_timestamp("2026-01-31x"));
	/* Separator. */
	assert_false(valid_timestamp("2026-01-31 08:00:00Z"));
	assert_false(valid_timestamp("2026-01-31t08:00:00Z"));
	/* Bad times. */
	assert_false(valid_timestamp("2026-01-31T24:00:00Z"));
	assert_false(valid_timestamp("2026-01-31T99:00:00Z"));
	assert_false(valid_timestamp("2026-01-31T08:60:00Z"));
	assert_false(valid_timestamp("2026-01-31T08:00:61Z"));
	assert_false(valid_timestamp("2026-01-31T8:00:00Z"));
	assert_false(valid_timestamp("2026-01-31T08:0:00Z"));
	assert_false(valid_timestamp("2026-01-31T08-00-00Z"));
	assert_false(valid_timestamp("2026-01-31T0a:00:00Z"));
	/* Fractions: 1 to 6 digits. */
	assert_false(valid_timestamp("2026-01-31T08:00:00.Z"));
	assert_false(valid_timestamp("2026-01-31T08:00:00.1234567Z"));
	assert_false(valid_timestamp("2026-01-31T08:00:00,5Z"));
	/* Bad offsets. */
	assert_false(valid_timestamp("2026-01-31T08:00:00+15:00"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+07:60"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+0700"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+07"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+7:00"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+07:00:00"));
	assert_false(valid_timestamp("2026-01-31T08:00:00 07:00"));
	assert_false(valid_timestamp("2026-01-31T08:00:00+a7:00"));
	assert_false(valid_timestamp("2026-01-31T08:00:00z"));
	assert_false(valid_timestamp("2026-01-31T08:00:00ZZ"));
	assert_false(valid_timestamp("2026-01-31T08:00:00Z "));
	assert_false(valid_timestamp("2026-01-31T08:00:00UTC"));
	assert_false(valid_timestamp(""));
	assert_false(valid_timestamp("2026"));
}

static void
test_digits(void **state)
{
	(void)state;
	assert_true(valid_digits("01", 2));
	assert_true(valid_digits("79", 2));
	assert_true(valid_digits("001", 3));
	assert_true(valid_digits("00004", 5));
	assert_false(valid_digits("1", 2));
	assert_false(valid_digits("001", 2));
	assert_false(valid_digits("0a", 2));
	assert_false(valid_digits("-1", 2));
	assert_false(valid_digits(" 1", 2));
	assert_false(valid_digits("0004", 5));
	assert_false(valid_digits("000040", 5));
	assert_false(valid_digits("0000\xd9", 5));
	assert_false(valid_digits("", 2));
}

static void
test_int_range(void **state)
{
	long		v;

	(void)state;
	v = -1;
	assert_true(valid_int_range("1", 1, 100, &v));
	assert_int_equal(v, 1);
	assert_true(valid_int_range("100", 1, 100, &v));
	assert_int_equal(v, 100);
	assert_true(valid_int_range("0", 0, 10, &v));
	assert_int_equal(v, 0);
	assert_true(valid_int_range("42", 1, 100, NULL));
	assert_true(valid_int_range("123456789012345678", 0,
	    123456789012345678L, &v));
	assert_int_equal(v, 123456789012345678L);

	/* Bounds. */
	assert_false(valid_int_range("0", 1, 100, &v));
	assert_false(valid_int_range("101", 1, 100, &v));
	assert_false(valid_int_range("1000", 1, 1000 - 1, &v));
}

static void
test_int_range_format(void **state)
{
	long		v;

	(void)state;
	v = 7;
	/* No leading zeros, signs, spaces or other text. */
	assert_false(valid_int_range("01", 0, 100, &v));
	assert_false(valid_int_range("00", 0, 100, &v));
	assert_false(valid_int_range("007", 0, 100, &v));
	assert_false(valid_int_range("-1", -10, 100, &v));
	assert_false(valid_int_range("+1", 0, 100, &v));
	assert_false(valid_int_range(" 1", 0, 100, &v));
	assert_false(valid_int_range("1 ", 0, 100, &v));
	assert_false(valid_int_range("1.0", 0, 100, &v));
	assert_false(valid_int_range("1e2", 0, 1000, &v));
	assert_false(valid_int_range("0x10", 0, 100, &v));
	assert_false(valid_int_range("ten", 0, 100, &v));
	assert_false(valid_int_range("", 0, 100, &v));
	/* Too long to be a page size or an id. */
	assert_false(valid_int_range("99999999999999999999999", 0, 100, &v));
	/* out is left alone on failure. */
	assert_int_equal(v, 7);
}

static void
test_id(void **state)
{
	int64_t		id;

	(void)state;
	id = 0;
	assert_true(valid_id("1", &id));
	assert_int_equal(id, 1);
	assert_true(valid_id("987654321", &id));
	assert_int_equal(id, 987654321);
	assert_true(valid_id("123456789012345678", &id));
	assert_int_equal(id, 123456789012345678LL);
	assert_true(valid_id("5", NULL));

	id = 3;
	assert_false(valid_id("0", &id));
	assert_false(valid_id("-1", &id));
	assert_false(valid_id("01", &id));
	assert_false(valid_id("1a", &id));
	assert_false(valid_id("", &id));
	assert_false(valid_id("abc", &id));
	assert_false(valid_id("99999999999999999999", &id));
	assert_int_equal(id, 3);
}

static void
test_login(void **state)
{
	char		s[80];

	(void)state;
	assert_true(valid_login("admin"));
	assert_true(valid_login("hr.quangninh"));
	assert_true(valid_login("bcd.national"));
	assert_true(valid_login("ulsa"));
	assert_true(valid_login("abc"));
	assert_true(valid_login("0ab"));
	assert_true(valid_login("a._"));
	assert_true(valid_login("a-b_c.d9"));

	assert_false(valid_login(""));
	assert_false(valid_login("a"));
	assert_false(valid_login("ab"));
	assert_false(valid_login("Admin"));
	assert_false(valid_login("adMin"));
	assert_false(valid_login(".abc"));
	assert_false(valid_login("_abc"));
	assert_false(valid_login("-abc"));
	assert_false(valid_login("ab c"));
	assert_false(valid_login("abc\n"));
	assert_false(valid_login("ab@c"));
	assert_false(valid_login("ab+c"));
	assert_false(valid_login("ng\xc3\xa2n"));	/* "ngân" */

	/* 3 to 63 characters. */
	memset(s, 'a', sizeof(s));
	s[63] = '\0';
	assert_true(valid_login(s));
	s[63] = 'a';
	s[64] = '\0';
	assert_false(valid_login(s));
	s[3] = '\0';
	assert_true(valid_login(s));
}

/*
 * valid_login against the users.login CHECK constraint itself, over every
 * string of length 0 to 4 from a small alphabet and around the length
 * limits.
 */
static void
test_login_mirrors_check(void **state)
{
	static const char	alpha[] = "az09._-A ~";
	const size_t		na = sizeof(alpha) - 1;
	regex_t			re;
	char			s[80];
	size_t			len, i, n, total, k;
	int			want;

	(void)state;
	assert_int_equal(regcomp(&re, "^[a-z0-9][a-z0-9._-]{2,62}$",
	    REG_EXTENDED | REG_NOSUB), 0);

	for (len = 0; len <= 4; len++) {
		total = 1;
		for (i = 0; i < len; i++)
			total *= na;
		for (n = 0; n < total; n++) {
			k = n;
			for (i = 0; i < len; i++) {
				s[i] = alpha[k % na];
				k /= na;
			}
			s[len] = '\0';
			want = regexec(&re, s, 0, NULL, 0) == 0;
			if (valid_login(s) != want)
				fail_msg("valid_login(\"%s\") is %d, the CHECK "
				    "says %d", s, !want, want);
		}
	}
	for (len = 60; len <= 66; len++) {
		for (n = 0; n < na; n++) {
			memset(s, 'k', len);
			s[len] = '\0';
			s[len - 1] = alpha[n];
			want = regexec(&re, s, 0, NULL, 0) == 0;
			if (valid_login(s) != want)
				fail_msg("valid_login of length %zu ending "
				    "'%c' is %d, the CHECK says %d", len,
				    alpha[n], !want, want);
		}
	}
	regfree(&re);
}

static void
test_cursor(void **state)
{
	char		s[CURSOR_MAX + 2];

	(void)state;
	assert_true(valid_cursor("eyJjb2RlIjogIjEwIn0"));
	assert_true(valid_cursor("abc-_XYZ09"));
	assert_true(valid_cursor("A"));

	assert_false(valid_cursor(""));
	assert_false(valid_cursor("eyJjb2RlIjogIjEwIn0="));
	assert_false(valid_cursor("ab+c"));
	assert_false(valid_cursor("ab/c"));
	assert_false(valid_cursor("ab c"));
	assert_false(valid_cursor("ab.c"));
	assert_false(valid_cursor("ab%2B"));
	assert_false(valid_cursor("\xc3\xa9"));

	memset(s, 'x', sizeof(s));
	s[CURSOR_MAX] = '\0';
	assert_true(valid_cursor(s));
	s[CURSOR_MAX] = 'x';
	s[CURSOR_MAX + 1] = '\0';
	assert_false(valid_cursor(s));
}

static void
test_bool(void **state)
{
	int		b;

	(void)state;
	b = -1;
	assert_true(valid_bool("true", &b));
	assert_int_equal(b, 1);
	assert_true(valid_bool("false", &b));
	assert_int_equal(b, 0);

	b = 5;
	assert_false(valid_bool("TRUE", &b));
	assert_false(valid_bool("True", &b));
	assert_false(valid_bool("1", &b));
	assert_false(valid_bool("0", &b));
	assert_false(valid_bool("yes", &b));
	assert_false(valid_bool("t", &b));
	assert_false(valid_bool("true ", &b));
	assert_false(valid_bool(" false", &b));
	assert_false(valid_bool("", &b));
	assert_int_equal(b, 5);
}

static void
test_json_media_type(void **state)
{
	(void)state;
	assert_true(valid_json_media_type("application/json"));
	assert_true(valid_json_media_type("Application/JSON"));
	assert_true(valid_json_media_type("application/json;charset=utf-8"));
	assert_true(valid_json_media_type("application/json ; charset=UTF-8"));
	assert_true(valid_json_media_type("application/json; charset=\"utf-8\""));
	assert_true(valid_json_media_type("application/json; v=1; charset=utf-8"));
	assert_true(valid_json_media_type("application/json;;"));
	assert_true(valid_json_media_type(" application/json "));

	assert_false(valid_json_media_type(""));
	assert_false(valid_json_media_type("application/jsonx"));
	assert_false(valid_json_media_type("application/json-patch+json"));
	assert_false(valid_json_media_type("application/json/x"));
	assert_false(valid_json_media_type("application/json x"));
	assert_false(valid_json_media_type("application/js"));
	assert_false(valid_json_media_type("text/json"));
	assert_false(valid_json_media_type("application/json; charset=latin1"));
	assert_false(valid_json_media_type("application/json; charset=utf-8x"));
	assert_false(valid_json_media_type("application/json; charset=\"utf-16\""));
	assert_false(valid_json_media_type("application/json; charset"));
	assert_false(valid_json_media_type("application/json; charset="));
	assert_false(valid_json_media_type("application/json; =utf-8"));
	assert_false(valid_json_media_type("application/json; a=b c"));
	assert_false(valid_json_media_type("application/json; a=\"open"));
	assert_false(valid_json_media_type("application/json; a=\"x\\"));
	assert_false(valid_json_media_type("application/json; a=\"\x01\""));
}

static void
test_same_origin(void **state)
{
	(void)state;
	assert_true(valid_same_origin("http://a.example:8080", "http",
	    "a.example:8080"));
	assert_true(valid_same_origin("HTTPS://A.example", "https", "a.example"));
	assert_false(valid_same_origin("https://a.example:8080", "http",
	    "a.example:8080"));
	assert_false(valid_same_origin("evil://a.example:8080", "http",
	    "a.example:8080"));
	assert_false(valid_same_origin("http://a.example:8080/", "http",
	    "a.example:8080"));
	assert_false(valid_same_origin("http://a.example", "http",
	    "a.example:8080"));
	assert_false(valid_same_origin("http://u@a.example", "http",
	    "a.example"));
	assert_false(valid_same_origin("a.example", "http", "a.example"));
	assert_false(valid_same_origin("http://", "http", ""));
	assert_false(valid_same_origin("null", "http", "a.example"));
}

static void
test_addr_listed(void **state)
{
	(void)state;
	assert_true(valid_addr_listed("127.0.0.1", "127.0.0.1 ::1"));
	assert_true(valid_addr_listed("::1", "127.0.0.1,::1"));
	assert_true(valid_addr_listed("0:0::1", "127.0.0.1 ::1"));
	assert_true(valid_addr_listed("10.0.0.5", " , 10.0.0.5 , "));
	assert_false(valid_addr_listed("127.0.0.2", "127.0.0.1 ::1"));
	assert_false(valid_addr_listed("127.0.0.1", ""));
	assert_false(valid_addr_listed("127.0.0.1", "127.0.0.10"));
	assert_false(valid_addr_listed("127.0.0.1", "127.0.0.0/8"));
	assert_false(valid_addr_listed("::ffff:127.0.0.1", "127.0.0.1"));
	assert_false(valid_addr_listed("garbage", "garbage"));
	assert_false(valid_addr_listed("", " "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid),
		cmocka_unit_test(test_date_invalid),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_timestamp_valid),
		cmocka_unit_test(test_timestamp_invalid),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_int_range),
		cmocka_unit_test(test_int_range_format),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_login_mirrors_check),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_json_media_type),
		cmocka_unit_test(test_same_origin),
		cmocka_unit_test(test_addr_listed),
	};

	return (cmocka_run_group_tests_name("validate", tests, NULL, NULL));
}
