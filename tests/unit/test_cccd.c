/*
 * Unit tests of app/cccd.c: the structural check of the personal
 * identification number, its problem codes and messages, and the mask.
 */
#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cccd.h"

#define M	CCCD_SEX_MALE
#define F	CCCD_SEX_FEMALE

static void	put(char *, size_t, unsigned int, size_t);
static int	utf8_valid(const char *);
static int	ascii(const char *);

/* Writes v as n decimal digits at s + at, leading zeros kept. */
static void
put(char *s, size_t at, unsigned int v, size_t n)
{
	while (n-- > 0) {
		s[at + n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void
test_valid(void **state)
{
	(void)state;
	/* Hà Nội, male, 1985. */
	assert_int_equal(cccd_check("001085012345", 1985, M), CCCD_OK);
	/* Hồ Chí Minh, female, 2005. */
	assert_int_equal(cccd_check("079305001234", 2005, F), CCCD_OK);
	/* Quảng Ninh, female, 1990. */
	assert_int_equal(cccd_check("022190000123", 1990, F), CCCD_OK);
	/* Đồng Tháp, male, 1988. */
	assert_int_equal(cccd_check("087088004567", 1988, M), CCCD_OK);
	/* Born abroad: United States, China, Korea; male, 2001. */
	assert_int_equal(cccd_check("840201000001", 2001, M), CCCD_OK);
	assert_int_equal(cccd_check("156201000001", 2001, M), CCCD_OK);
	assert_int_equal(cccd_check("410201000001", 2001, M), CCCD_OK);
	/* The first and last province and country codes. */
	assert_int_equal(cccd_check("001085000000", 1985, M), CCCD_OK);
	assert_int_equal(cccd_check("096085999999", 1985, M), CCCD_OK);
	assert_int_equal(cccd_check("100085000000", 1985, M), CCCD_OK);
	assert_int_equal(cccd_check("894085000000", 1985, M), CCCD_OK);
}

static void
test_empty(void **state)
{
	(void)state;
	assert_int_equal(cccd_check(NULL, 1985, M), CCCD_EMPTY);
	assert_int_equal(cccd_check(NULL, 0, 0), CCCD_EMPTY);
	assert_int_equal(cccd_check("", 1985, M), CCCD_EMPTY);
	assert_int_equal(cccd_check("", 0, 0), CCCD_EMPTY);
}

static void
test_length(void **state)
{
	char		s[1001];

	(void)state;
	assert_int_equal(cccd_check("0", 0, 0), CCCD_LENGTH);
	assert_int_equal(cccd_check("00108501234", 1985, M), CCCD_LENGTH);
	assert_int_equal(cccd_check("0010850123456", 1985, M), CCCD_LENGTH);
	/* Grouped for reading, or with a space left over from a paste. */
	assert_int_equal(cccd_check("001 085 012345", 1985, M), CCCD_LENGTH);
	assert_int_equal(cccd_check("001085012345 ", 1985, M), CCCD_LENGTH);
	assert_int_equal(cccd_check(" 001085012345", 1985, M), CCCD_LENGTH);
	assert_int_equal(cccd_check("001085012345\n", 1985, M), CCCD_LENGTH);
	/* Twelve full-width digits are 36 bytes. */
	assert_int_equal(cccd_check("\xef\xbc\x90\xef\xbc\x90\xef\xbc\x91"
	    "\xef\xbc\x90\xef\xbc\x98\xef\xbc\x95\xef\xbc\x90\xef\xbc\x91"
	    "\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95", 1985, M),
	    CCCD_LENGTH);
	/* Length is looked at before anything else in the text. */
	assert_int_equal(cccd_check("abc", 1985, M), CCCD_LENGTH);
	memset(s, '1', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(cccd_check(s, 0, 0), CCCD_LENGTH);
}

static void
test_digits(void **state)
{
	(void)state;
	assert_int_equal(cccd_check(" 01085012345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("00108501234 ", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("001085 12345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("00108501234\t", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("001085O12345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("0010850l2345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("+01085012345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("-01085012345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("001-85012345", 1985, M), CCCD_DIGITS);
	assert_int_equal(cccd_check("0x1085012345", 1985, M), CCCD_DIGITS);
	/* Arabic-Indic five, two bytes, in a 12-byte string. */
	assert_int_equal(cccd_check("0010850123\xd9\xa5", 1985, M),
	    CCCD_DIGITS);
	/* Full-width one, three bytes, in a 12-byte string. */
	assert_int_equal(cccd_check("00\xef\xbc\x91" "0850123", 1985, M),
	    CCCD_DIGITS);
	/* A stray high byte. */
	assert_int_equal(cccd_check("00108501234\xd9", 1985, M), CCCD_DIGITS);
	/* Checked before the prefix. */
	assert_int_equal(cccd_check("00008501234x", 1985, M), CCCD_DIGITS);
}

static void
test_prefix(void **state)
{
	(void)state;
	assert_int_equal(cccd_check("000085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("003085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("005085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("009085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("050085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("097085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("099085012345", 1985, M), CCCD_PREFIX);
	/* Viet Nam is not a country of birth abroad. */
	assert_int_equal(cccd_check("704085012345", 1985, M), CCCD_PREFIX);
	/* Not ISO 3166-1 codes. */
	assert_int_equal(cccd_check("101085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("895085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("900085012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("999085012345", 1985, M), CCCD_PREFIX);
	/* Checked before the century, sex and year, and without them. */
	assert_int_equal(cccd_check("000985012345", 1985, M), CCCD_PREFIX);
	assert_int_equal(cccd_check("000085012345", 0, 0), CCCD_PREFIX);
}

/*
 * Every prefix from 000 to 999 against the list of 63 province codes as
 * given in the brief, and the count of country codes: 249 ISO 3166-1
 * entries, 30 of them below 100, less Viet Nam, leave 218.
 */
static void
test_prefix_all(void **state)
{
	static const char	list[] = "01 02 04 06 08 10 11 12 14 15 17 19 "
	    "20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 "
	    "51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 "
	    "86 87 89 91 92 93 94 95 96";
	char			id[] = "000085012345", two[3];
	unsigned int		p;
	int			ok, nprov, ncountry;

	(void)state;
	nprov = ncountry = 0;
	two[2] = '\0';
	for (p = 0; p < 1000; p++) {
		put(id, 0, p, 3);
		ok = cccd_check(id, 1985, M) == CCCD_OK;
		if (!ok)
			assert_int_equal(cccd_check(id, 1985, M), CCCD_PREFIX);
		if (p >= 100) {
			ncountry += ok;
			continue;
		}
		nprov += ok;
		/* Pairs of digits in the list only ever sit at a code. */
		put(two, 0, p, 2);
		if (ok != (strstr(list, two) != NULL))
			fail_msg("prefix %03u %s", p, ok ? "accepted" :
			    "refused");
	}
	assert_int_equal(nprov, 63);
	assert_int_equal(ncountry, 218);
}

static void
test_century(void **state)
{
	(void)state;
	/* Digit 0 says the 1900s. */
	assert_int_equal(cccd_check("001085012345", 2085, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 2185, M), CCCD_CENTURY);
	/* Digit 2 says the 2000s. */
	assert_int_equal(cccd_check("001285012345", 1985, M), CCCD_CENTURY);
	/* Out of the range any digit can say. */
	assert_int_equal(cccd_check("001085012345", 1899, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 1885, M), CCCD_CENTURY);
	/* (1850 - 1900) / 100 truncates to 0, the 1900s' index. */
	assert_int_equal(cccd_check("001050012345", 1850, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001099012345", 1899, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001999012345", 2400, F), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", -1985, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 1, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 85, M), CCCD_CENTURY);
	/* Checked before sex and year. */
	assert_int_equal(cccd_check("001185012345", 2084, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 2085, 0), CCCD_CENTURY);
}

static void
test_sex(void **state)
{
	(void)state;
	/* Even is male, odd is female, in every century. */
	assert_int_equal(cccd_check("001085012345", 1985, F), CCCD_SEX);
	assert_int_equal(cccd_check("001185012345", 1985, M), CCCD_SEX);
	assert_int_equal(cccd_check("001205012345", 2005, F), CCCD_SEX);
	assert_int_equal(cccd_check("001305012345", 2005, M), CCCD_SEX);
	assert_int_equal(cccd_check("001405012345", 2105, F), CCCD_SEX);
	assert_int_equal(cccd_check("001505012345", 2105, M), CCCD_SEX);
	assert_int_equal(cccd_check("001605012345", 2205, F), CCCD_SEX);
	assert_int_equal(cccd_check("001705012345", 2205, M), CCCD_SEX);
	assert_int_equal(cccd_check("001805012345", 2305, F), CCCD_SEX);
	assert_int_equal(cccd_check("001905012345", 2305, M), CCCD_SEX);
	/* Neither male nor female cannot match either parity. */
	assert_int_equal(cccd_check("001085012345", 1985, 3), CCCD_SEX);
	assert_int_equal(cccd_check("001185012345", 1985, -1), CCCD_SEX);
	/* Checked before the year. */
	assert_int_equal(cccd_check("001085012345", 1984, F), CCCD_SEX);
}

static void
test_year(void **state)
{
	(void)state;
	assert_int_equal(cccd_check("001085012345", 1984, M), CCCD_YEAR);
	assert_int_equal(cccd_check("001085012345", 1958, M), CCCD_YEAR);
	assert_int_equal(cccd_check("001085012345", 1905, M), CCCD_YEAR);
	assert_int_equal(cccd_check("001200012345", 2001, M), CCCD_YEAR);
	assert_int_equal(cccd_check("001099012345", 1990, M), CCCD_YEAR);
	assert_int_equal(cccd_check("001085012345", 1984, 0), CCCD_YEAR);
}

static void
test_edge_years(void **state)
{
	(void)state;
	assert_int_equal(cccd_check("001000012345", 1900, M), CCCD_OK);
	assert_int_equal(cccd_check("001100012345", 1900, F), CCCD_OK);
	assert_int_equal(cccd_check("001099012345", 1999, M), CCCD_OK);
	assert_int_equal(cccd_check("001199012345", 1999, F), CCCD_OK);
	assert_int_equal(cccd_check("001200012345", 2000, M), CCCD_OK);
	assert_int_equal(cccd_check("001300012345", 2000, F), CCCD_OK);
	assert_int_equal(cccd_check("001299012345", 2099, M), CCCD_OK);
	assert_int_equal(cccd_check("001399012345", 2099, F), CCCD_OK);
	assert_int_equal(cccd_check("001400012345", 2100, M), CCCD_OK);
	assert_int_equal(cccd_check("001500012345", 2100, F), CCCD_OK);
	assert_int_equal(cccd_check("001999012345", 2399, F), CCCD_OK);

	/* Year 00 is the first of its century, 99 the last. */
	assert_int_equal(cccd_check("001000012345", 2000, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001200012345", 1900, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001099012345", 2099, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001299012345", 1999, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001299012345", 2199, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001400012345", 2000, M), CCCD_CENTURY);
	assert_int_equal(cccd_check("001200012345", 2100, M), CCCD_CENTURY);
}

/*
 * Digit 4 against the first and last year of every century: it matches
 * only the century it names, with the sex its parity names.
 */
static void
test_century_table(void **state)
{
	static const int	years[] = { 1900, 1999, 2000, 2099, 2100,
				    2199, 2200, 2299, 2300, 2399 };
	char			id[] = "001000012345";
	enum cccd_result	want;
	size_t			i;
	unsigned int		d;
	int			sex;

	(void)state;
	for (d = 0; d <= 9; d++) {
		sex = d % 2 == 0 ? M : F;
		put(id, 3, d, 1);
		for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
			put(id, 4, (unsigned int)years[i] % 100, 2);
			want = (unsigned int)(years[i] - 1900) / 100 == d / 2 ?
			    CCCD_OK : CCCD_CENTURY;
			if (cccd_check(id, years[i], sex) != want)
				fail_msg("%s born %d: %s", id, years[i],
				    cccd_code(cccd_check(id, years[i], sex)));
		}
	}
}

static void
test_unknown(void **state)
{
	char		id[] = "001077012345";
	unsigned int	d;

	(void)state;
	/* Nothing known: any fourth digit and any year digits pass. */
	for (d = 0; d <= 9; d++) {
		put(id, 3, d, 1);
		assert_int_equal(cccd_check(id, 0, 0), CCCD_OK);
	}
	/* Sex unknown: century and year still checked. */
	assert_int_equal(cccd_check("001085012345", 1985, 0), CCCD_OK);
	assert_int_equal(cccd_check("001185012345", 1985, 0), CCCD_OK);
	assert_int_equal(cccd_check("001085012345", 2085, 0), CCCD_CENTURY);
	assert_int_equal(cccd_check("001085012345", 1986, 0), CCCD_YEAR);
	/* Birth year unknown: sex still checked. */
	assert_int_equal(cccd_check("001985012345", 0, F), CCCD_OK);
	assert_int_equal(cccd_check("001885012345", 0, M), CCCD_OK);
	assert_int_equal(cccd_check("001085012345", 0, F), CCCD_SEX);
	assert_int_equal(cccd_check("001185012345", 0, M), CCCD_SEX);
	/* Unknowns skip only checks about the person, not the text. */
	assert_int_equal(cccd_check("00108501234", 0, 0), CCCD_LENGTH);
	assert_int_equal(cccd_check("00108501234a", 0, 0), CCCD_DIGITS);
}

static void
test_codes(void **state)
{
	(void)state;
	assert_string_equal(cccd_code(CCCD_OK), "ok");
	assert_string_equal(cccd_code(CCCD_EMPTY), "cccd-empty");
	assert_string_equal(cccd_code(CCCD_LENGTH), "cccd-length");
	assert_string_equal(cccd_code(CCCD_DIGITS), "cccd-digits");
	assert_string_equal(cccd_code(CCCD_PREFIX), "cccd-prefix");
	assert_string_equal(cccd_code(CCCD_CENTURY), "cccd-century");
	assert_string_equal(cccd_code(CCCD_SEX), "cccd-sex");
	assert_string_equal(cccd_code(CCCD_YEAR), "cccd-year");
	/* A caller's bad value still gets a string, not NULL. */
	assert_non_null(cccd_code((enum cccd_result)99));
	assert_non_null(cccd_code((enum cccd_result)-1));
	assert_non_null(cccd_message_vi((enum cccd_result)99));
	assert_non_null(cccd_message_en((enum cccd_result)-1));
}

static int
ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return (0);
	}
	return (1);
}

/* Well-formed UTF-8, no overlongs or surrogates. */
static int
utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 c;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			c = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			c = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			c = *p & 0x07;
		} else
			return (0);
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (0);
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) ||
		    (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff))
			return (0);
		p += n + 1;
	}
	return (1);
}

static void
test_messages(void **state)
{
	const char	*vi, *en, *vj, *ej;
	int		 r, s;

	(void)state;
	/* The example in the brief, word for word. */
	assert_string_equal(cccd_message_vi(CCCD_LENGTH),
	    "S\xe1\xbb\x91 \xc4\x91\xe1\xbb\x8bnh danh "
	    "ph\xe1\xba\xa3i c\xc3\xb3 \xc4\x91\xc3\xbang 12 "
	    "ch\xe1\xbb\xaf s\xe1\xbb\x91.");
	assert_non_null(strstr(cccd_message_en(CCCD_LENGTH), "12"));
	assert_non_null(strstr(cccd_message_en(CCCD_CENTURY), "4th digit"));
	assert_non_null(strstr(cccd_message_en(CCCD_SEX), "4th digit"));
	assert_non_null(strstr(cccd_message_en(CCCD_YEAR), "5th and 6th"));
	assert_non_null(strstr(cccd_message_vi(CCCD_CENTURY),
	    "th\xe1\xbb\xa9 4"));

	for (r = CCCD_OK; r <= CCCD_YEAR; r++) {
		vi = cccd_message_vi((enum cccd_result)r);
		en = cccd_message_en((enum cccd_result)r);
		assert_non_null(vi);
		assert_non_null(en);
		/* Full sentences. */
		assert_true(strlen(vi) > 10);
		assert_true(strlen(en) > 10);
		assert_int_equal(vi[strlen(vi) - 1], '.');
		assert_int_equal(en[strlen(en) - 1], '.');
		assert_true(utf8_valid(vi));
		assert_true(ascii(en));
		/*
		 * Precomposed (NFC): decomposed Vietnamese would carry
		 * combining marks from U+0300 to U+036F, lead byte 0xcc or
		 * 0xcd; no precomposed letter it uses starts with those.
		 */
		assert_null(strpbrk(vi, "\xcc\xcd"));
		for (s = CCCD_OK; s < r; s++) {
			vj = cccd_message_vi((enum cccd_result)s);
			ej = cccd_message_en((enum cccd_result)s);
			assert_string_not_equal(vi, vj);
			assert_string_not_equal(en, ej);
			assert_string_not_equal(cccd_code((enum cccd_result)r),
			    cccd_code((enum cccd_result)s));
		}
	}
}

static void
test_mask(void **state)
{
	char		out[64];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(cccd_mask("001085012345", out, sizeof(out)), 1);
	assert_string_equal(out, "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
	    "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
	    "\xe2\x80\xa2" "345");
	assert_int_equal(strlen(out), 9 * 3 + 3);
	assert_int_equal(out[CCCD_MASK_SIZE], 'x');

	/* Exactly big enough, and one byte short. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(cccd_mask("840201000789", out, CCCD_MASK_SIZE), 1);
	assert_int_equal(strlen(out), CCCD_MASK_SIZE - 1);
	assert_memory_equal(out + CCCD_MASK_SIZE - 4, "789", 4);
	assert_int_equal(out[CCCD_MASK_SIZE], 'x');
	memset(out, 'x', sizeof(out));
	assert_int_equal(cccd_mask("840201000789", out, CCCD_MASK_SIZE - 1),
	    0);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'x');

	/* Nothing written when there is no room at all. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(cccd_mask("001085012345", out, 0), 0);
	assert_int_equal(out[0], 'x');
	assert_int_equal(cccd_mask("001085012345", NULL, 0), 0);
	assert_int_equal(cccd_mask("001085012345", NULL, sizeof(out)), 0);
}

static void
test_mask_refused(void **state)
{
	char		out[64];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(cccd_mask(NULL, out, sizeof(out)), 0);
	assert_int_equal(out[0], '\0');
	assert_int_equal(cccd_mask("", out, sizeof(out)), 0);
	assert_int_equal(cccd_mask("00108501234", out, sizeof(out)), 0);
	assert_int_equal(cccd_mask("0010850123456", out, sizeof(out)), 0);
	assert_int_equal(out[0], '\0');
	/* Twelve bytes but not twelve digits: never a stored number. */
	assert_int_equal(cccd_mask("0010850123\xd9\xa5", out, sizeof(out)), 0);
	assert_int_equal(cccd_mask("001085 12345", out, sizeof(out)), 0);
	assert_int_equal(out[0], '\0');
	/* Structure is not the mask's business: a bad prefix is masked. */
	assert_int_equal(cccd_mask("000000000123", out, sizeof(out)), 1);
	assert_int_equal(strcmp(out + 27, "123"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_digits),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_all),
		cmocka_unit_test(test_century),
		cmocka_unit_test(test_sex),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_edge_years),
		cmocka_unit_test(test_century_table),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_mask_refused),
	};

	return (cmocka_run_group_tests_name("cccd", tests, NULL, NULL));
}
