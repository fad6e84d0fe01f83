/*
 * Validators for request parameters. Each returns 1 when the input is
 * acceptable and 0 otherwise; none allocates. They are strict on purpose:
 * a wrong parameter is a 400 naming it, never silently ignored.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static int	leap(long);

static int
leap(long y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/* An ISO 8601 calendar date, YYYY-MM-DD, that exists (1900 to 2199). */
int
valid_date(const char *s)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	long			y, m, d;
	int			i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (!isdigit((unsigned char)s[i]))
			return (0);
	}
	y = strtol(s, NULL, 10);
	m = strtol(s + 5, NULL, 10);
	d = strtol(s + 8, NULL, 10);
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return (0);
	if (m == 2 && leap(y))
		return (d <= 29);
	return (d <= mdays[m - 1]);
}

/*
 * A date, or a date and time with an explicit offset or Z
 * (2026-01-31T08:00:00+07:00); what the audit filters take.
 */
int
valid_timestamp(const char *s)
{
	char		date[11];
	const char	*t;
	size_t		i, len;

	len = strlen(s);
	if (len < 10)
		return (0);
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!valid_date(date))
		return (0);
	if (len == 10)
		return (1);
	t = s + 10;
	if (*t != 'T' || len < 20)
		return (0);
	/* HH:MM:SS */
	for (i = 1; i <= 8; i++) {
		if ((i == 3 || i == 6) ? t[i] != ':' : !isdigit((unsigned char)t[i]))
			return (0);
	}
	if (strtol(t + 1, NULL, 10) > 23 || strtol(t + 4, NULL, 10) > 59 ||
	    strtol(t + 7, NULL, 10) > 60)
		return (0);
	t += 9;
	if (*t == '.') {
		for (t++, i = 0; isdigit((unsigned char)*t); t++, i++)
			;
		if (i == 0 || i > 6)
			return (0);
	}
	if (strcmp(t, "Z") == 0)
		return (1);
	if ((t[0] != '+' && t[0] != '-') || strlen(t) != 6 || t[3] != ':' ||
	    !isdigit((unsigned char)t[1]) || !isdigit((unsigned char)t[2]) ||
	    !isdigit((unsigned char)t[4]) || !isdigit((unsigned char)t[5]))
		return (0);
	return (strtol(t + 1, NULL, 10) <= 14 && strtol(t + 4, NULL, 10) <= 59);
}

/* Exactly n ASCII digits: unit codes keep their leading zeros. */
int
valid_digits(const char *s, size_t n)
{
	size_t		i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= n || !isdigit((unsigned char)s[i]))
			return (0);
	}
	return (i == n);
}

/* A decimal integer in [min, max], no sign, spaces or leading zeros. */
int
valid_int_range(const char *s, long min, long max, long *out)
{
	char		*end;
	long		v;

	if (*s == '\0' || !isdigit((unsigned char)*s) ||
	    (s[0] == '0' && s[1] != '\0') || strlen(s) > 18)
		return (0);
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (0);
	if (out != NULL)
		*out = v;
	return (1);
}

/* A positive database id. */
int
valid_id(const char *s, int64_t *out)
{
	long		v;

	if (!valid_int_range(s, 1, INT64_MAX, &v))
		return (0);
	if (out != NULL)
		*out = v;
	return (1);
}

/* Same rule as the users.login CHECK constraint. */
int
valid_login(const char *s)
{
	size_t		i;

	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return (0);
	for (i = 1; s[i] != '\0'; i++) {
		if (i > 62)
			return (0);
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) &&
		    s[i] != '.' && s[i] != '_' && s[i] != '-')
			return (0);
	}
	return (i >= 3);
}

/* Cursors are base64url text produced by the database. */
int
valid_cursor(const char *s)
{
	size_t		i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= CURSOR_MAX)
			return (0);
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return (0);
	}
	return (i > 0);
}

int
valid_bool(const char *s, int *out)
{
	if (strcmp(s, "true") == 0) {
		*out = 1;
		return (1);
	}
	if (strcmp(s, "false") == 0) {
		*out = 0;
		return (1);
	}
	return (0);
}
