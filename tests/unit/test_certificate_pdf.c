/*
 * Unit tests of app/certificate_pdf.c: a certificate renders to a whole
 * PDF, long text still fits, every bad input fails with a message instead
 * of a PDF, and documents rendered on several threads at once come out
 * the same as one rendered alone. What the page says and what its QR code
 * decodes to is checked with poppler and zbar in
 * tests/api/certificate_pdf_tool.bats.
 */
#include <sys/types.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "certificate_pdf.h"

#define THREADS		4

static const struct certificate	sample = {
	.credential_id = "3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a5f13",
	.kind = "course",
	.holder_name = "Nguyễn Thị Hồng Nhung",
	.holder_id_masked = "•••••••••123",
	.achievement = "Kỹ năng tham vấn và hỗ trợ tâm lý xã hội cho trẻ em",
	.level = "Đại học",
	.hours = 120,
	.issuer = "Trường Đại học Lao động - Xã hội",
	.place = "Hà Nội",
	.issued_on = "2026-11-22",
	.verify_url = "https://registry.example.gov.vn/verify/"
	    "3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a5f13",
	.qr_text = "https://registry.example.gov.vn/verify/"
	    "3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a5f13#eyJhbGciOiJFZERTQSJ9."
	    "eyJzdWIiOiIzZjFjOWEyZSJ9.c2lnbmF0dXJl",
	.revoked_reason = NULL,
};

struct job {
	unsigned char	*pdf;
	size_t		 len;
	int		 rc;
};

/* A PDF begins with its header and ends with %%EOF and a line end. */
static void
assert_whole_pdf(const unsigned char *pdf, size_t len)
{
	assert_non_null(pdf);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	while (len > 0 && (pdf[len - 1] == '\n' || pdf[len - 1] == '\r'))
		len--;
	assert_true(len >= 5);
	assert_memory_equal(pdf + len - 5, "%%EOF", 5);
}

/* Renders c, which must fail with a message that says needle. */
static void
assert_refused(const struct certificate *c, const char *fontdir,
    const char *needle)
{
	static unsigned char	 dummy;
	unsigned char		*pdf = &dummy;
	size_t			 len = 1;
	char			 err[256];

	assert_int_equal(certificate_pdf(c, fontdir, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_null(pdf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err, needle));
}

/* Renders c, which must give a whole PDF. */
static void
assert_renders(const struct certificate *c)
{
	unsigned char	*pdf;
	size_t		 len;
	char		 err[256];

	assert_int_equal(certificate_pdf(c, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_whole_pdf(pdf, len);
	free(pdf);
}

static char *
repeat(const char *s, size_t times)
{
	char	*out;
	size_t	 n = strlen(s), i;

	out = malloc(n * times + 1);
	assert_non_null(out);
	for (i = 0; i < times; i++)
		memcpy(out + i * n, s, n);
	out[n * times] = '\0';
	return (out);
}

static void
test_renders(void **state)
{
	unsigned char	*pdf;
	size_t		 len;
	char		 err[256];

	(void)state;
	assert_int_equal(certificate_pdf(&sample, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_whole_pdf(pdf, len);
	free(pdf);
}

static void
test_optional_fields_and_kinds(void **state)
{
	static const char *const	 kinds[] = { "course", "degree",
					    "title_training", "other" };
	struct certificate		 c = sample;
	unsigned char			*pdf;
	size_t				 len, i;
	char				 err[256];

	(void)state;
	c.level = NULL;
	c.hours = 0;
	c.place = NULL;
	c.holder_id_masked = NULL;
	c.issued_on = "2024-02-29";
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		c.kind = kinds[i];
		assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
		    sizeof(err)), 0);
		assert_whole_pdf(pdf, len);
		free(pdf);
	}
}

static void
test_long_text_fits(void **state)
{
	struct certificate	 c = sample;
	char			*name, *ach, *word;

	(void)state;
	name = repeat("Công Tằng Tôn Nữ Thị Phương Thảo ", 12);
	ach = repeat("Bồi dưỡng nghiệp vụ công tác xã hội với trẻ em ", 15);
	/* One 600-byte word: no space to break at. */
	word = repeat("Nguyễn", 75);
	c.holder_name = name;
	c.achievement = ach;
	c.issuer = ach;
	c.level = word;
	c.place = name;
	c.revoked_reason = ach;
	assert_true(strlen(ach) <= CERTIFICATE_FIELD_MAX);
	assert_renders(&c);

	c.holder_name = word;
	c.achievement = word;
	assert_renders(&c);
	free(name);
	free(ach);
	free(word);
}

/* n characters of s (UTF-8), words or not, without a trailing space. */
static char *
chars(const char *s, size_t n)
{
	char		*out;
	const char	*p;
	size_t		 len = 0, k;

	out = malloc(4 * n + 1);
	assert_non_null(out);
	for (k = 0, p = s; k < n; k++) {
		if (*p == '\0')
			p = s;
		do {
			out[len++] = *p++;
		} while (((unsigned char)*p & 0xc0) == 0x80);
	}
	while (len > 0 && out[len - 1] == ' ')
		out[--len] = 'a';
	out[len] = '\0';
	return (out);
}

/*
 * Every field at the longest the registry stores, in characters of three
 * UTF-8 bytes (Vietnamese letters with two marks), as one unbroken word
 * and as words: a name of 150 (hr.people), a course, programme and
 * issuer of 300, a revocation reason of 500; the QR code and the link
 * as the server makes them from the longest public_url (119 bytes).
 */
static void
test_longest_allowed(void **state)
{
	static const char *const	 fill[] = { "Ệ", "Nguyễn Thị Hồng Ưng " };
	struct certificate		 c = sample;
	size_t				 i;
	char				 url[200], qr[300], base[120];
	char				*name, *ach, *issuer, *reason;

	(void)state;
	memset(base, 'x', sizeof(base) - 1);
	base[sizeof(base) - 1] = '\0';
	memcpy(base, "https://", 8);
	(void)snprintf(url, sizeof(url), "%s/verify/%s", base,
	    sample.credential_id);
	(void)snprintf(qr, sizeof(qr), "%s?sig=%.86s", url,
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
	    "0123456789abcdefghijklmnopqrstuvwxyz");
	assert_int_equal(strlen(qr), 119 + 8 + 36 + 5 + 86);
	for (i = 0; i < sizeof(fill) / sizeof(fill[0]); i++) {
		name = chars(fill[i], 150);
		ach = chars(fill[i], 300);
		issuer = chars(fill[i], 300);
		reason = chars(fill[i], 500);
		assert_true(i > 0 || strlen(reason) == 1500);
		c.holder_name = name;
		c.achievement = ach;
		c.issuer = issuer;
		c.verify_url = url;
		c.qr_text = qr;
		c.revoked_reason = NULL;
		assert_renders(&c);
		c.revoked_reason = reason;
		assert_renders(&c);
		free(name);
		free(ach);
		free(issuer);
		free(reason);
	}
}

static void
test_revoked(void **state)
{
	struct certificate	 c = sample;
	unsigned char		*pdf;
	size_t			 len;
	char			 err[256];

	(void)state;
	c.revoked_reason = "Cấp nhầm người";
	assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_whole_pdf(pdf, len);
	free(pdf);

	/* Revoked without a stated reason is still revoked. */
	c.revoked_reason = "";
	assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
	    sizeof(err)), 0);
	assert_whole_pdf(pdf, len);
	free(pdf);
}

static void
test_qr_too_long(void **state)
{
	struct certificate	 c = sample;
	char			*big;

	(void)state;
	big = repeat("x", 5000);	/* beyond version 40 */
	c.qr_text = big;
	assert_refused(&c, NULL, "does not fit in a QR code");

	big[1800] = '\0';		/* fits, but would not scan at 50 mm */
	assert_refused(&c, NULL, "needs QR version");

	big[1600] = '\0';
	c.qr_text = big;
	{
		unsigned char	*pdf;
		size_t		 len;
		char		 err[256];

		assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
		    sizeof(err)), 0);
		assert_whole_pdf(pdf, len);
		free(pdf);
	}
	free(big);
}

static void
test_missing_fonts(void **state)
{
	(void)state;
	assert_refused(&sample, "/nonexistent/fonts", "cannot load font "
	    "/nonexistent/fonts/DejaVuSerif.ttf");
	/* A directory without the DejaVu files. */
	assert_refused(&sample, "/tmp", "cannot load font");
}

static void
test_bad_fields(void **state)
{
	struct certificate	c;

	(void)state;
	assert_refused(NULL, NULL, "no certificate");

	c = sample;
	c.holder_name = NULL;
	assert_refused(&c, NULL, "holder_name is missing");
	c = sample;
	c.achievement = "";
	assert_refused(&c, NULL, "achievement is empty");
	c.achievement = "   ";
	assert_refused(&c, NULL, "achievement is empty");
	c = sample;
	c.issuer = "Tr\xc6\xb0\xe1\xbb";	/* "Trư" and half of "ờ" */
	assert_refused(&c, NULL, "issuer is not valid UTF-8");
	c = sample;
	c.holder_name = "\xc0\xae";		/* an overlong "." */
	assert_refused(&c, NULL, "holder_name is not valid UTF-8");
	c = sample;
	c.level = "\xed\xa0\x80";		/* a surrogate */
	assert_refused(&c, NULL, "level is not valid UTF-8");
	c = sample;
	c.holder_name = "Nguyễn\nThị";
	assert_refused(&c, NULL, "holder_name has a control character");
	c = sample;
	c.holder_name = "Nguyễn \xf0\x9f\x98\x80";	/* U+1F600 */
	assert_refused(&c, NULL, "holder_name has U+1F600, beyond");
	c = sample;
	c.achievement = "Khóa \xe4\xb8\xad";		/* U+4E2D */
	assert_refused(&c, NULL, "achievement has U+4E2D, which "
	    "DejaVuSerif-Bold.ttf does not have");
	c = sample;
	c.qr_text = "";
	assert_refused(&c, NULL, "qr_text is missing");
	c = sample;
	c.hours = -1;
	assert_refused(&c, NULL, "hours");
	c = sample;
	c.issued_on = "2026-02-29";
	assert_refused(&c, NULL, "issued_on is not a YYYY-MM-DD date");
	c.issued_on = "2026-1-22";
	assert_refused(&c, NULL, "issued_on");
	c.issued_on = "2026-11-22T00:00:00Z";
	assert_refused(&c, NULL, "issued_on");
	c = sample;
	c.place = "";		/* optional: empty is as good as NULL */
	{
		unsigned char	*pdf;
		size_t		 len;
		char		 err[256];

		assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
		    sizeof(err)), 0);
		free(pdf);
	}
}

/* A short err buffer is cut, never overrun; a NULL one is allowed. */
static void
test_small_err(void **state)
{
	struct certificate	 c = sample;
	unsigned char		*pdf;
	size_t			 len;
	char			 err[8];

	(void)state;
	c.holder_name = NULL;
	memset(err, 'x', sizeof(err));
	assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "holder_");
	assert_int_equal(certificate_pdf(&c, NULL, &pdf, &len, NULL, 0), -1);
}

static void *
render(void *arg)
{
	struct job	*j = arg;
	char		 err[256];

	j->rc = certificate_pdf(&sample, NULL, &j->pdf, &j->len, err,
	    sizeof(err));
	return (NULL);
}

/* Kore task threads render at once: each document is its own world. */
static void
test_threads(void **state)
{
	pthread_t	 t[THREADS];
	struct job	 jobs[THREADS], alone;
	int		 i;

	(void)state;
	render(&alone);
	assert_int_equal(alone.rc, 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, render,
		    &jobs[i]), 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(jobs[i].rc, 0);
		/* No date or random ID: the same input, the same bytes. */
		assert_int_equal(jobs[i].len, alone.len);
		assert_memory_equal(jobs[i].pdf, alone.pdf, alone.len);
		free(jobs[i].pdf);
	}
	free(alone.pdf);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_optional_fields_and_kinds),
		cmocka_unit_test(test_long_text_fits),
		cmocka_unit_test(test_longest_allowed),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_qr_too_long),
		cmocka_unit_test(test_missing_fonts),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_small_err),
		cmocka_unit_test(test_threads),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
