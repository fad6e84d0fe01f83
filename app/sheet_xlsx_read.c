/*
 * XLSX reading: libzip opens the package and expat streams the parts the
 * first worksheet needs (workbook, its relationships, styles for which
 * numbers are dates, shared strings, the sheet). Each part is held to
 * max_xml uncompressed bytes, by its stated size and by what is actually
 * inflated, and a DTD makes a part broken, so zip bombs, XXE and entity
 * expansion end as a 422 rather than in memory or on disk. What the
 * parts hold is bounded too: one element's text to a cell's worth, the
 * shared-string table to max_text bytes and max_cells strings, and every
 * cell that uses a shared string counts its text against max_text (in
 * sheet_cell), so one long string referenced a million times is refused
 * before it is copied a million times.
 */
#include <sys/types.h>

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "sheet.h"

#define XML_CHUNK	65536
#define MAX_ROW		1048576		/* Excel's */
#define MAX_COL		16384		/* XFD */
#define MAX_SHEETS	64		/* looked at for the first worksheet */
#define MAX_FORMATS	65536		/* cell formats; Excel allows 64,000 */

struct numfmt {
	unsigned long	id;
	int		date;
};

struct xlsx {
	zip_t				*zip;
	XML_Parser			 xp;
	const struct sheet_limits	*lim;
	struct sheet_error		*err;

	/* Character data of the element being read, NUL-terminated. */
	char				*text;
	size_t				 textlen, textcap;
	int				 collect;
	int				 phonetic;	/* in <rPh>: skip */

	/* From the workbook and its relationships. */
	char				*rids[MAX_SHEETS]; /* in tab order */
	size_t				 nrids;
	size_t				 first;		/* rids[] of sheet */
	char				*sheet;		/* part names */
	char				*strings;
	char				*styles;
	int				 date1904;

	/* Shared strings back to back; string i is off[i] to off[i + 1]. */
	char				*sst;
	size_t				 sstlen, sstcap;
	size_t				*off;
	size_t				 nsst, offcap;

	/* Styles: cellXfs numFmtIds, then whether each shows a date. */
	struct numfmt			*fmts;
	size_t				 nfmts, fmtcap;
	unsigned long			*xf;
	size_t				 nxf, xfcap;
	int				 in_xfs;

	/* The worksheet. */
	struct sheet_rows		 rows;
	size_t				 row, col;
	char				 type;		/* see cell_type() */
	unsigned long			 style;
	int				 formula;
};

static void		*grow(void *, size_t *, size_t, size_t);
static void		 stop(struct xlsx *, enum sheet_fault);
static const char	*local(const char *);
static const char	*attr(const char **, const char *);
static int		 date_code(const char *);
static int		 fmtcmp(const void *, const void *);
static int		 date_id(struct xlsx *, unsigned long);
static int		 serial_date(double, int, char *, size_t);
static int		 number(struct xlsx *, char *, size_t);
static size_t		 ref_col(const char *);
static char		 cell_type(const char *);
static char		*target(const char *);
static void		 on_text(void *, const XML_Char *, int);
static void		 on_doctype(void *, const XML_Char *,
			    const XML_Char *, const XML_Char *, int);
static void		 wb_start(void *, const XML_Char *,
			    const XML_Char **);
static void		 rels_start(void *, const XML_Char *,
			    const XML_Char **);
static void		 styles_start(void *, const XML_Char *,
			    const XML_Char **);
static void		 styles_end(void *, const XML_Char *);
static void		 sst_start(void *, const XML_Char *,
			    const XML_Char **);
static void		 sst_end(void *, const XML_Char *);
static void		 sheet_start(void *, const XML_Char *,
			    const XML_Char **);
static void		 sheet_end(void *, const XML_Char *);
static void		 cell_end(struct xlsx *);
static int		 part(struct xlsx *, const char *, int,
			    XML_StartElementHandler, XML_EndElementHandler);

/* p with room for need elements of size bytes, or NULL (p intact). */
static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t		n;

	if (need <= *cap)
		return (p);
	n = *cap * 2 > need ? *cap * 2 : need;
	if (n < 16)
		n = 16;
	if ((p = reallocarray(p, n, size)) != NULL)
		*cap = n;
	return (p);
}

static void
stop(struct xlsx *x, enum sheet_fault f)
{
	/* The sentence names the limit that was passed. */
	sheet_fail(x->err, f, f == SHEET_E_CELLS ? x->lim->max_cells :
	    f == SHEET_E_TEXT ? x->lim->max_text : 0);
	XML_StopParser(x->xp, XML_FALSE);
}

/* Element names without their namespace prefix: some write "x:c". */
static const char *
local(const char *name)
{
	const char	*p;

	return ((p = strchr(name, ':')) != NULL ? p + 1 : name);
}

/*
 * An attribute by exact name: SpreadsheetML's own attributes carry no
 * prefix even when elements do. Only r:id has one, found as ":id".
 */
static const char *
attr(const char **atts, const char *name)
{
	size_t		n;

	for (; atts[0] != NULL; atts += 2) {
		if (name[0] != ':' && strcmp(atts[0], name) == 0)
			return (atts[1]);
		if (name[0] == ':' && (n = strlen(atts[0])) > 3 &&
		    strcmp(atts[0] + n - 3, name) == 0 &&
		    strncmp(atts[0], "xmlns", 5) != 0)
			return (atts[1]);
	}
	return (NULL);
}

/* A format shows a date if d, m or y is outside quotes, [] and escapes. */
static int
date_code(const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			if ((s = strchr(s + 1, '"')) == NULL)
				return (0);
			break;
		case '[':
			if ((s = strchr(s + 1, ']')) == NULL)
				return (0);
			break;
		case '\\':
		case '_':
		case '*':
			if (*++s == '\0')
				return (0);
			break;
		case 'd':
		case 'D':
		case 'm':
		case 'M':
		case 'y':
		case 'Y':
			return (1);
		}
	}
	return (0);
}

static int
fmtcmp(const void *a, const void *b)
{
	const struct numfmt	*fa = a, *fb = b;

	return ((fa->id > fb->id) - (fa->id < fb->id));
}

/* A workbook's own format wins over the built-in one with its id. */
static int
date_id(struct xlsx *x, unsigned long id)
{
	struct numfmt	 key, *f;

	key.id = id;
	if (x->nfmts > 0 && (f = bsearch(&key, x->fmts, x->nfmts,
	    sizeof(*x->fmts), fmtcmp)) != NULL)
		return (f->date);
	return ((id >= 14 && id <= 22) || (id >= 45 && id <= 47));
}

/*
 * An Excel serial day as YYYY-MM-DD. Serials before 1 March 1900 count a
 * 29 February 1900 that never was; no date the registry holds is that
 * old, so those stay numbers, as does anything after 9999.
 */
static int
serial_date(double v, int date1904, char *buf, size_t bufsz)
{
	long	z, era, doe, yoe, y, doy, mp, m, d;

	if (v < (date1904 ? 0 : 61) || v >= (date1904 ? 2957004 : 2958466))
		return (0);
	/* Days since 0000-03-01, then civil_from_days (H. Hinnant). */
	z = (long)floor(v) - (date1904 ? 24107 : 25569) + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	snprintf(buf, bufsz, "%04ld-%02ld-%02ld", y, m, d);
	return (1);
}

/*
 * Excel keeps every number as a double. Whole ones print as plain digits
 * (an ID or a phone typed as a number must not come back as 8.49e+10),
 * dates as dates. 0 if the text is not a number.
 */
static int
number(struct xlsx *x, char *buf, size_t bufsz)
{
	char		*end;
	double		 v;

	v = strtod(x->text, &end);
	if (end == x->text || *end != '\0' || !isfinite(v))
		return (0);
	if (x->style < x->nxf && x->xf[x->style] &&
	    serial_date(v, x->date1904, buf, bufsz))
		return (1);
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, bufsz, "%lld", (long long)v);
	else
		snprintf(buf, bufsz, "%.15g", v);
	return (1);
}

/* The column of a cell reference ("C7" is 3), 0 if it is not one. */
static size_t
ref_col(const char *r)
{
	size_t		col = 0, i;

	for (i = 0; r[i] >= 'A' && r[i] <= 'Z' && i < 3; i++)
		col = col * 26 + (size_t)(r[i] - 'A' + 1);
	if (i == 0 || col > MAX_COL || !isdigit((unsigned char)r[i]) ||
	    r[i + strspn(r + i, "0123456789")] != '\0')
		return (0);
	return (col);
}

/*
 * The t attribute of a cell as one letter: s (shared string), b, e, n
 * (number, the default), or x for text as written (str, inlineStr, d).
 */
static char
cell_type(const char *t)
{
	if (t[0] != '\0' && t[1] == '\0' && strchr("sben", t[0]) != NULL)
		return (t[0]);
	return ('x');
}

/* A relationship target as a part name; they are relative to xl/. */
static char *
target(const char *t)
{
	char	*s;

	if (t[0] == '/')
		return (strdup(t + 1));
	if (asprintf(&s, "xl/%s", t) == -1)
		return (NULL);
	return (s);
}

/*
 * Keeps at most one byte more than a cell may hold: a longer text is a
 * "cell-too-long" problem whatever the rest of it says.
 */
static void
on_text(void *arg, const XML_Char *s, int len)
{
	struct xlsx	*x = arg;
	char		*t;

	if (!x->collect || x->phonetic > 0 || x->err->status != 0 ||
	    x->textlen > x->lim->max_cell)
		return;
	if ((size_t)len > x->lim->max_cell + 1 - x->textlen)
		len = (int)(x->lim->max_cell + 1 - x->textlen);
	if ((t = grow(x->text, &x->textcap, x->textlen + (size_t)len + 1,
	    1)) == NULL) {
		stop(x, SHEET_E_MEMORY);
		return;
	}
	x->text = t;
	memcpy(x->text + x->textlen, s, (size_t)len);
	x->textlen += (size_t)len;
	x->text[x->textlen] = '\0';
}

/* No part of a real XLSX has a DTD; one can only be an attack. */
static void
on_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	stop(arg, SHEET_E_BROKEN);
}

static void
wb_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = arg;
	const char	*el = local(name), *v;

	if (x->err->status != 0)
		return;
	if (strcmp(el, "sheet") == 0 && x->nrids < MAX_SHEETS) {
		if ((v = attr(atts, ":id")) == NULL)
			stop(x, SHEET_E_BROKEN);
		else if ((x->rids[x->nrids++] = strdup(v)) == NULL)
			stop(x, SHEET_E_MEMORY);
	} else if (strcmp(el, "workbookPr") == 0) {
		v = attr(atts, "date1904");
		x->date1904 = v != NULL &&
		    (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	}
}

/*
 * The part of the first sheet that is a worksheet (a chart sheet may come
 * first), and shared strings and styles by their relationship type.
 */
static void
rels_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = arg;
	const char	*id, *type, *t;
	char		**slot = NULL;
	size_t		 k, n;

	if (x->err->status != 0 || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	if ((t = attr(atts, "Target")) == NULL || id == NULL || type == NULL)
		return;
	n = strlen(type);
	if (n >= 10 && strcmp(type + n - 10, "/worksheet") == 0) {
		for (k = 0; k < x->first && strcmp(x->rids[k], id) != 0; k++)
			;
		if (k < x->first) {
			free(x->sheet);
			x->sheet = NULL;
			x->first = k;
			slot = &x->sheet;
		}
	} else if (n >= 14 && strcmp(type + n - 14, "/sharedStrings") == 0)
		slot = &x->strings;
	else if (n >= 7 && strcmp(type + n - 7, "/styles") == 0)
		slot = &x->styles;
	if (slot != NULL && *slot == NULL && (*slot = target(t)) == NULL)
		stop(x, SHEET_E_MEMORY);
}

static void
styles_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = arg;
	const char	*el = local(name), *id, *code;
	void		*p;

	if (x->err->status != 0)
		return;
	if (strcmp(el, "cellXfs") == 0)
		x->in_xfs = 1;
	else if (strcmp(el, "numFmt") == 0) {
		if ((id = attr(atts, "numFmtId")) == NULL ||
		    (code = attr(atts, "formatCode")) == NULL)
			return;
		if (x->nfmts >= MAX_FORMATS) {
			stop(x, SHEET_E_BROKEN);
			return;
		}
		if ((p = grow(x->fmts, &x->fmtcap, x->nfmts + 1,
		    sizeof(*x->fmts))) == NULL) {
			stop(x, SHEET_E_MEMORY);
			return;
		}
		x->fmts = p;
		x->fmts[x->nfmts].id = strtoul(id, NULL, 10);
		x->fmts[x->nfmts++].date = date_code(code);
	} else if (strcmp(el, "xf") == 0 && x->in_xfs) {
		if (x->nxf >= MAX_FORMATS) {
			stop(x, SHEET_E_BROKEN);
			return;
		}
		if ((p = grow(x->xf, &x->xfcap, x->nxf + 1,
		    sizeof(*x->xf))) == NULL) {
			stop(x, SHEET_E_MEMORY);
			return;
		}
		x->xf = p;
		id = attr(atts, "numFmtId");
		x->xf[x->nxf++] = id != NULL ? strtoul(id, NULL, 10) : 0;
	}
}

static void
styles_end(void *arg, const XML_Char *name)
{
	struct xlsx	*x = arg;

	if (strcmp(local(name), "cellXfs") == 0)
		x->in_xfs = 0;
}

static void
sst_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = arg;
	const char	*el = local(name);

	(void)atts;
	if (strcmp(el, "si") == 0)
		x->textlen = 0;
	else if (strcmp(el, "t") == 0)
		x->collect = 1;
	else if (strcmp(el, "rPh") == 0)
		x->phonetic++;
}

static void
sst_end(void *arg, const XML_Char *name)
{
	struct xlsx	*x = arg;
	const char	*el = local(name);
	void		*p;

	if (x->err->status != 0)
		return;
	if (strcmp(el, "t") == 0)
		x->collect = 0;
	else if (strcmp(el, "rPh") == 0)
		x->phonetic--;
	else if (strcmp(el, "si") == 0) {
		if (x->nsst >= x->lim->max_cells) {
			stop(x, SHEET_E_CELLS);
			return;
		}
		if (x->textlen > x->lim->max_text - x->sstlen) {
			stop(x, SHEET_E_TEXT);
			return;
		}
		/* One byte spare: an empty first string still allocates. */
		if ((p = grow(x->sst, &x->sstcap, x->sstlen + x->textlen + 1,
		    1)) == NULL) {
			stop(x, SHEET_E_MEMORY);
			return;
		}
		x->sst = p;
		if ((p = grow(x->off, &x->offcap, x->nsst + 2,
		    sizeof(*x->off))) == NULL) {
			stop(x, SHEET_E_MEMORY);
			return;
		}
		x->off = p;
		if (x->textlen > 0)
			memcpy(x->sst + x->sstlen, x->text, x->textlen);
		x->off[x->nsst] = x->sstlen;
		x->sstlen += x->textlen;
		x->off[++x->nsst] = x->sstlen;
	}
}

static void
sheet_start(void *arg, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = arg;
	const char	*el = local(name), *v;
	char		*end;
	unsigned long	 n;
	size_t		 i;

	if (x->err->status != 0)
		return;
	if (strcmp(el, "row") == 0) {
		/* Rows and cells may leave out r; then they follow on. */
		n = x->row + 1;
		if ((v = attr(atts, "r")) != NULL &&
		    (!isdigit((unsigned char)*v) ||
		    (n = strtoul(v, &end, 10)) == 0 || *end != '\0'))
			n = MAX_ROW + 1;
		if (n > MAX_ROW)
			stop(x, SHEET_E_BROKEN);
		x->row = n;
		x->col = 0;
	} else if (strcmp(el, "c") == 0) {
		/* One pass over r, t and s: this runs for every cell. */
		x->col++;
		x->type = 'n';
		x->style = 0;
		for (i = 0; atts[i] != NULL; i += 2) {
			if (atts[i][0] == 'r' && atts[i][1] == '\0')
				x->col = ref_col(atts[i + 1]);
			else if (atts[i][0] == 't' && atts[i][1] == '\0')
				x->type = cell_type(atts[i + 1]);
			else if (atts[i][0] == 's' && atts[i][1] == '\0')
				x->style = strtoul(atts[i + 1], NULL, 10);
		}
		if (x->col == 0 || x->col > MAX_COL)
			stop(x, SHEET_E_BROKEN);
		x->formula = 0;
		x->textlen = 0;
	} else if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
		x->collect = 1;
	else if (strcmp(el, "f") == 0)
		x->formula = 1;
	else if (strcmp(el, "rPh") == 0)
		x->phonetic++;
}

static void
sheet_end(void *arg, const XML_Char *name)
{
	struct xlsx	*x = arg;
	const char	*el = local(name);

	if (x->err->status != 0)
		return;
	if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
		x->collect = 0;
	else if (strcmp(el, "rPh") == 0)
		x->phonetic--;
	else if (strcmp(el, "c") == 0)
		cell_end(x);
	else if (strcmp(el, "row") == 0 && !sheet_row_end(&x->rows, x->row))
		XML_StopParser(x->xp, XML_FALSE);
}

/* A formula's cached value is never trusted: the cell is a problem. */
static void
cell_end(struct xlsx *x)
{
	char		 num[64], *end;
	const char	*s = x->textlen > 0 ? x->text : "";
	unsigned long	 i;
	int		 ok;

	if (x->formula)
		ok = sheet_problem(&x->rows, x->col, "formula");
	else if (x->textlen == 0)
		ok = 1;
	else if (x->type == 's') {
		i = strtoul(s, &end, 10);
		if (!isdigit((unsigned char)*s) || *end != '\0' ||
		    i >= x->nsst) {
			stop(x, SHEET_E_BROKEN);
			return;
		}
		ok = sheet_cell(&x->rows, x->col, x->sst + x->off[i],
		    x->off[i + 1] - x->off[i]);
	} else if (x->type == 'b') {
		s = strcmp(s, "1") == 0 ? "true" : "false";
		ok = sheet_cell(&x->rows, x->col, s, strlen(s));
	} else if (x->type == 'e')
		ok = sheet_problem(&x->rows, x->col, "error-value");
	else if (x->type == 'n' && number(x, num, sizeof(num)))
		ok = sheet_cell(&x->rows, x->col, num, strlen(num));
	else
		ok = sheet_cell(&x->rows, x->col, s, x->textlen);
	if (!ok)
		XML_StopParser(x->xp, XML_FALSE);
}

/*
 * Streams one part through expat with the given handlers. A missing part
 * is broken if required and skipped otherwise.
 */
static int
part(struct xlsx *x, const char *name, int required,
    XML_StartElementHandler start, XML_EndElementHandler end)
{
	zip_stat_t	 st;
	zip_file_t	*zf;
	zip_int64_t	 n;
	zip_uint64_t	 total = 0;
	void		*buf;

	if (zip_stat(x->zip, name, 0, &st) == -1) {
		if (required)
			sheet_fail(x->err, SHEET_E_BROKEN, 0);
		return (!required);
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim->max_xml) {
		sheet_fail(x->err, SHEET_E_LARGE, x->lim->max_xml);
		return (0);
	}
	if ((zf = zip_fopen(x->zip, name, 0)) == NULL) {
		sheet_fail(x->err, SHEET_E_BROKEN, 0);
		return (0);
	}
	if ((x->xp = XML_ParserCreate(NULL)) == NULL) {
		sheet_fail(x->err, SHEET_E_MEMORY, 0);
		goto done;
	}
	XML_SetUserData(x->xp, x);
	XML_SetElementHandler(x->xp, start, end);
	XML_SetCharacterDataHandler(x->xp, on_text);
	XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
	x->collect = 0;
	x->phonetic = 0;

	/* The stated size can lie; what inflates is counted too. */
	do {
		if ((buf = XML_GetBuffer(x->xp, XML_CHUNK)) == NULL) {
			sheet_fail(x->err, SHEET_E_MEMORY, 0);
			break;
		}
		if ((n = zip_fread(zf, buf, XML_CHUNK)) < 0) {
			sheet_fail(x->err, SHEET_E_BROKEN, 0);
			break;
		}
		if ((total += (zip_uint64_t)n) > x->lim->max_xml) {
			sheet_fail(x->err, SHEET_E_LARGE, x->lim->max_xml);
			break;
		}
		if (XML_ParseBuffer(x->xp, (int)n, n == 0) != XML_STATUS_OK)
			sheet_fail(x->err, SHEET_E_BROKEN, 0);
	} while (n > 0 && x->err->status == 0);
done:
	if (x->xp != NULL)
		XML_ParserFree(x->xp);
	x->xp = NULL;
	zip_fclose(zf);
	return (x->err->status == 0);
}

/* sheet_read() for XLSX: the first worksheet, in sheet order. */
json_t *
sheet_read_xlsx(const void *data, size_t len, const struct sheet_limits *lim,
    const struct sheet_pick *pick, struct sheet_error *err)
{
	struct xlsx	 x;
	zip_source_t	*src;
	zip_error_t	 ze;
	size_t		 i;

	memset(&x, 0, sizeof(x));
	x.lim = lim;
	x.err = err;
	zip_error_init(&ze);
	if (!sheet_rows_init(&x.rows, lim, pick, err))
		goto done;
	if ((src = zip_source_buffer_create(data, len, 0, &ze)) == NULL) {
		sheet_fail(err, SHEET_E_MEMORY, 0);
		goto done;
	}
	if ((x.zip = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		zip_source_free(src);
		sheet_fail(err, SHEET_E_BROKEN, 0);
		goto done;
	}
	if (!part(&x, "xl/workbook.xml", 1, wb_start, NULL))
		goto done;
	x.first = x.nrids;
	if (!part(&x, "xl/_rels/workbook.xml.rels", 1, rels_start, NULL))
		goto done;
	if (x.sheet == NULL) {
		sheet_fail(err, SHEET_E_BROKEN, 0);
		goto done;
	}
	if (x.styles != NULL &&
	    !part(&x, x.styles, 0, styles_start, styles_end))
		goto done;
	if (x.nfmts > 0)
		qsort(x.fmts, x.nfmts, sizeof(*x.fmts), fmtcmp);
	for (i = 0; i < x.nxf; i++)
		x.xf[i] = date_id(&x, x.xf[i]);
	if (x.strings != NULL && !part(&x, x.strings, 0, sst_start, sst_end))
		goto done;
	part(&x, x.sheet, 1, sheet_start, sheet_end);
done:
	zip_error_fini(&ze);
	if (x.zip != NULL)
		zip_discard(x.zip);
	free(x.text);
	for (i = 0; i < x.nrids; i++)
		free(x.rids[i]);
	free(x.sheet);
	free(x.strings);
	free(x.styles);
	free(x.sst);
	free(x.off);
	free(x.fmts);
	free(x.xf);
	return (sheet_rows_finish(&x.rows));
}
