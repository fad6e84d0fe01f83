/*
 * Validators for request parameters. Each returns 1 when the input is
 * acceptable and 0 otherwise; none allocates. They are strict on purpose:
 * a wrong parameter is a 400 naming it, never silently ignored.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

static int	leap(long);
static int	tchar(int);
static const char	*ows(const char *);
static int	addr_parse(const char *, size_t, unsigned char *, int *);

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

/* An HTTP token character (RFC 9110, section 5.6.2). */
static int
tchar(int c)
{
	return (isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) !=
	    NULL));
}

static const char *
ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return (s);
}

/*
 * Is s, a Content-Type value, the media type application/json? Type and
 * subtype compare case-blind; parameters follow the grammar of RFC 9110
 * section 8.3.1 (token=token or token="quoted"), and a charset, if given,
 * must be utf-8 because JSON is UTF-8 (RFC 8259). A longer subtype such as
 * application/jsonx or application/json-patch+json is not JSON.
 */
int
valid_json_media_type(const char *s)
{
	const char	*name, *val;
	char		cs[16];
	size_t		nlen, n;
	int		quoted;

	s = ows(s);
	if (strncasecmp(s, "application/json", 16) != 0)
		return (0);
	s += 16;
	if (*s != '\0' && *s != ';' && *s != ' ' && *s != '\t')
		return (0);

	for (;;) {
		s = ows(s);
		if (*s == '\0')
			return (1);
		if (*s++ != ';')
			return (0);
		s = ows(s);
		if (*s == ';' || *s == '\0')
			continue;		/* an empty parameter is allowed */

		for (name = s; tchar((unsigned char)*s); s++)
			;
		nlen = (size_t)(s - name);
		if (nlen == 0 || *s++ != '=')
			return (0);

		n = 0;
		quoted = *s == '"';
		if (quoted) {
			for (s++; *s != '"'; s++) {
				if (*s == '\0' || (unsigned char)*s < 0x20)
					return (0);
				if (*s == '\\' && *++s == '\0')
					return (0);
				if (n < sizeof(cs) - 1)
					cs[n] = *s;
				n++;
			}
			s++;
		} else {
			for (val = s; tchar((unsigned char)*s); s++) {
				if (n < sizeof(cs) - 1)
					cs[n] = *s;
				n++;
			}
			if (s == val)
				return (0);
		}
		if (n < sizeof(cs))
			cs[n] = '\0';
		if (nlen == 7 && strncasecmp(name, "charset", 7) == 0 &&
		    (n >= sizeof(cs) || strcasecmp(cs, "utf-8") != 0))
			return (0);
	}
}

/*
 * Is origin (an Origin header) exactly scheme://host, host being the
 * authority the client addressed (the Host header, with its port)?
 * Scheme and host compare case-blind, as browsers lower-case both; a
 * path, user part or any other scheme is a different origin.
 */
int
valid_same_origin(const char *origin, const char *scheme, const char *host)
{
	size_t		len;

	len = strlen(scheme);
	if (strncasecmp(origin, scheme, len) != 0 ||
	    strncmp(origin + len, "://", 3) != 0)
		return (0);
	return (*host != '\0' && strcasecmp(origin + len + 3, host) == 0);
}

/* An IPv4 or IPv6 address of len bytes into addr; *family says which. */
static int
addr_parse(const char *s, size_t len, unsigned char *addr, int *family)
{
	char		buf[INET6_ADDRSTRLEN];

	if (len == 0 || len >= sizeof(buf))
		return (0);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		return (1);
	}
	if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = AF_INET6;
		return (1);
	}
	return (0);
}

/*
 * Is addr one of the addresses in list (separated by spaces or commas)?
 * Both are parsed, so ::1 and 0:0::1 are the same address; an entry that
 * is not an address never matches. Exact addresses only, no networks.
 */
int
valid_addr_listed(const char *addr, const char *list)
{
	unsigned char	a[16], b[16];
	const char	*p;
	size_t		len;
	int		fa, fb;

	if (!addr_parse(addr, strlen(addr), a, &fa))
		return (0);
	for (p = list; *p != '\0'; p += len) {
		p += strspn(p, " ,\t");
		len = strcspn(p, " ,\t");
		if (addr_parse(p, len, b, &fb) && fa == fb &&
		    memcmp(a, b, fa == AF_INET ? 4 : 16) == 0)
			return (1);
	}
	return (0);
}
