/*
 * The format-neutral half of the spreadsheet module (sniffing, the
 * file-level errors, the row builder both readers fill) and CSV, read
 * with libcsv. CSV files come from Excel on Vietnamese Windows: UTF-8
 * with or without a BOM, comma, semicolon or tab delimited. Cells that
 * Excel would run as formulas are neutralised on the way out with a
 * leading apostrophe, which the reader takes off again, and control
 * characters are written as U+FFFD.
 */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "sheet.h"

#define UTF8_BOM	"\xef\xbb\xbf"
#define CSV_CHUNK	65536

/* The lines sheet_fail() fills in, indexed by enum sheet_fault. */
static const struct {
	int		 status;
	const char	*code;
	const char	*vi;
	const char	*en;
} faults[] = {
	{ 415, "unsupported-type",
	  "Chỉ nhận tệp Excel .xlsx hoặc CSV. Tệp .xls cũ: mở bằng Excel "
	  "rồi lưu lại dạng .xlsx.",
	  "Only Excel .xlsx and CSV files are accepted. For an old .xls "
	  "file, open it in Excel and save it as .xlsx." },
	{ 415, "bad-encoding",
	  "Tệp CSV không ở dạng UTF-8. Trong Excel, chọn Save As rồi "
	  "\"CSV UTF-8 (Comma delimited)\".",
	  "The CSV file is not UTF-8. In Excel, use Save As and choose "
	  "\"CSV UTF-8 (Comma delimited)\"." },
	{ 422, "broken-xlsx",
	  "Tệp Excel bị hỏng hoặc không đúng dạng .xlsx. Hãy mở bằng Excel "
	  "và lưu lại.",
	  "The Excel file is damaged or not a real .xlsx file. Open it in "
	  "Excel and save it again." },
	{ 422, "too-large",
	  "Tệp Excel quá lớn khi giải nén (tối đa %zu byte mỗi phần). Hãy "
	  "chia thành nhiều tệp.",
	  "The Excel file is too large once unpacked (at most %zu bytes per "
	  "part). Split it into several files." },
	{ 422, "too-many-rows",
	  "Tệp có hơn %zu dòng. Hãy chia thành nhiều tệp nhỏ hơn.",
	  "The file has more than %zu rows. Split it into smaller files." },
	{ 422, "too-many-columns",
	  "Tệp có dữ liệu ngoài %zu cột đầu tiên. Hãy xoá các cột thừa.",
	  "The file has data beyond the first %zu columns. Delete the extra "
	  "columns." },
	{ 422, "empty-file",
	  "Tệp không có dữ liệu.",
	  "The file has no data." },
	{ 500, "no-memory",
	  "Máy chủ không đủ bộ nhớ để đọc tệp. Hãy thử lại sau.",
	  "The server ran out of memory reading the file. Try again later." },
	{ 422, "too-many-cells",
	  "Tệp có hơn %zu ô có dữ liệu. Hãy chia thành nhiều tệp nhỏ hơn.",
	  "The file has more than %zu filled cells. Split it into smaller "
	  "files." },
	{ 422, "too-much-text",
	  "Tệp có hơn %zu byte chữ khi đọc ra (mỗi lần dùng lại một chuỗi "
	  "dùng chung đều được tính). Hãy chia thành nhiều tệp nhỏ hơn.",
	  "The file holds more than %zu bytes of text once read (each use of "
	  "a shared string counts in full). Split it into smaller files." },
};

struct csvread {
	struct sheet_rows	 rows;
	size_t			 col;		/* fields in this record */
	size_t			 record;	/* 1-based */
	int			 term;		/* what ended the last record */
};

static int		 utf16_bom(const unsigned char *, size_t);
static int		 utf8_valid(const unsigned char *, size_t);
static int		 formula_like(const char *, size_t);
static int		 put(struct sheet_rows *, size_t, json_t *);
static int		 tally(struct sheet_rows *, size_t, size_t);
static unsigned char	 delimiter(const unsigned char *, size_t);
static int		 no_space(unsigned char);
static void		 on_field(void *, size_t, void *);
static void		 on_record(int, void *);
static json_t		*csv_read(const unsigned char *, size_t,
			    const struct sheet_limits *, const struct sheet_pick *,
			    struct sheet_error *);
static int		 cell_text(json_t *, char *, size_t, const char **,
			    size_t *);
static const char	*guard(const char *, size_t);
static void		 put_field(FILE *, int, const char *, const char *,
			    size_t);
static size_t		 put_clean(FILE *, const char *, size_t);

static int
utf16_bom(const unsigned char *p, size_t len)
{
	return (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff)));
}

/* Well-formed UTF-8 (RFC 3629): no overlongs, surrogates or > U+10FFFF. */
static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t		i, k, n;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		n = 1;
		if (s[i] < 0x80)
			continue;
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = s[i] & 0x07;
		} else
			return (0);
		if (len - i < n)
			return (0);
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
	}
	return (1);
}

/*
 * Whether s, past any leading apostrophes, starts the way Excel starts a
 * formula. The writer adds one apostrophe to such cells and the reader
 * removes one, so "+84912345678" and even "'=x" survive a round trip.
 */
static int
formula_like(const char *s, size_t len)
{
	size_t		i;

	for (i = 0; i < len && s[i] == '\''; i++)
		;
	return (i < len && memchr("=+-@", s[i], 4) != NULL);
}

/*
 * SHEET_XLSX for a zip, SHEET_CSV for text, 0 for anything else. Text
 * means no NUL byte and no UTF-16/32 byte order mark; PDF is checked by
 * name because a small one can be free of NULs.
 */
int
sheet_sniff(const void *data, size_t len)
{
	const unsigned char	*p = data;

	if (len >= 4 && memcmp(p, "PK\003\004", 4) == 0)
		return (SHEET_XLSX);
	if (utf16_bom(p, len) || memchr(p, '\0', len) != NULL ||
	    (len >= 5 && memcmp(p, "%PDF-", 5) == 0))
		return (0);
	return (SHEET_CSV);
}

/*
 * Reads a CSV or XLSX file (format from sheet_sniff) into
 *   {"rows": [{"row": 5, "cells": ["a", "", "b"],
 *              "problems": [{"col": 2, "code": "formula"}]}, ...]}
 * "row" is the row number the user sees (for CSV the 1-based record
 * number, blank lines counted) and "col" is 1-based. Wholly empty rows
 * are left out, "problems" when there are none. A problem cell is "":
 * "formula", "bad-utf8" (CSV), "error-value" (an XLSX #N/A and the like)
 * or "cell-too-long". Returns NULL with err filled on a file-level
 * failure.
 */
json_t *
sheet_read(const void *data, size_t len, int format,
    const struct sheet_limits *lim, struct sheet_error *err)
{
	return (sheet_read_cols(data, len, format, lim, NULL, err));
}

/*
 * sheet_read(), keeping after the header only the columns pick chooses
 * (NULL: all). What the file holds is counted whole either way.
 */
json_t *
sheet_read_cols(const void *data, size_t len, int format,
    const struct sheet_limits *lim, const struct sheet_pick *pick,
    struct sheet_error *err)
{
	memset(err, 0, sizeof(*err));
	switch (format) {
	case SHEET_CSV:
		return (csv_read(data, len, lim, pick, err));
	case SHEET_XLSX:
		return (sheet_read_xlsx(data, len, lim, pick, err));
	default:
		sheet_fail(err, SHEET_E_TYPE, 0);
		return (NULL);
	}
}

/* Fills err for fault f, n being the limit the sentence names. */
void
sheet_fail(struct sheet_error *err, enum sheet_fault f, size_t n)
{
	/* The first failure is the cause; later ones are its echoes. */
	if (err->status != 0)
		return;
	err->status = faults[f].status;
	snprintf(err->code, sizeof(err->code), "%s", faults[f].code);
	snprintf(err->vi, sizeof(err->vi), faults[f].vi, n);
	snprintf(err->en, sizeof(err->en), faults[f].en, n);
}

/* Starts a reader's rows; 0, with err filled, if out of memory. */
int
sheet_rows_init(struct sheet_rows *r, const struct sheet_limits *lim,
    const struct sheet_pick *pick, struct sheet_error *err)
{
	memset(r, 0, sizeof(*r));
	r->lim = lim;
	r->err = err;
	r->pick = pick;
	if ((r->rows = json_array()) == NULL ||
	    (r->cells = json_array()) == NULL) {
		sheet_fail(err, SHEET_E_MEMORY, 0);
		return (0);
	}
	return (1);
}

/* Puts v (stolen) at cells[col - 1], "" in any gap before it. */
static int
put(struct sheet_rows *r, size_t col, json_t *v)
{
	int	ok = v != NULL;

	if (col > r->lim->max_cols) {
		json_decref(v);
		sheet_fail(r->err, SHEET_E_COLS, r->lim->max_cols);
		return (0);
	}
	while (ok && json_array_size(r->cells) < col - 1)
		ok = json_array_append_new(r->cells,
		    json_string_nocheck("")) == 0;
	if (!ok)
		json_decref(v);
	else if (json_array_size(r->cells) == col - 1)
		ok = json_array_append_new(r->cells, v) == 0;
	else
		ok = json_array_set_new(r->cells, col - 1, v) == 0;
	if (!ok)
		sheet_fail(r->err, SHEET_E_MEMORY, 0);
	return (ok);
}

/*
 * Counts a non-empty cell of len bytes at col against the file's limits
 * before anything is kept of it. 1 if the cell is to be kept, 0 (with
 * r->err filled) if a limit is passed, -1 if its column is not kept.
 */
static int
tally(struct sheet_rows *r, size_t col, size_t len)
{
	if (col > r->lim->max_cols) {
		sheet_fail(r->err, SHEET_E_COLS, r->lim->max_cols);
		return (0);
	}
	if (++r->ncells > r->lim->max_cells) {
		sheet_fail(r->err, SHEET_E_CELLS, r->lim->max_cells);
		return (0);
	}
	if (len > r->lim->max_text - r->ntext) {
		sheet_fail(r->err, SHEET_E_TEXT, r->lim->max_text);
		return (0);
	}
	r->ntext += len;
	if (r->keep != NULL && !r->keep[col - 1]) {
		r->dropped = 1;
		return (-1);
	}
	return (1);
}

/*
 * Sets a cell of the current row; s must be valid UTF-8. Empty cells are
 * only padding, so blank columns far to the right (Excel keeps styled
 * ones) neither lengthen the row nor count against max_cols or
 * max_cells. A cell too long to keep still counts the length it was read
 * with (the XLSX reader stops one byte past max_cell).
 */
int
sheet_cell(struct sheet_rows *r, size_t col, const char *s, size_t len)
{
	int	t;

	if (r->err->status != 0)
		return (0);
	if (len == 0)
		return (1);
	if ((t = tally(r, col, len)) <= 0)
		return (t < 0);
	if (len > r->lim->max_cell) {
		/* Counted already: the problem must not count it again. */
		r->ncells--;
		return (sheet_problem(r, col, "cell-too-long"));
	}
	return (put(r, col, json_stringn_nocheck(s, len)));
}

/* Records a problem with a cell of the current row, whose value is "". */
int
sheet_problem(struct sheet_rows *r, size_t col, const char *code)
{
	int	t;

	if (r->err->status != 0 || (t = tally(r, col, 0)) == 0)
		return (0);
	if (t < 0)
		return (1);
	if (!put(r, col, json_string_nocheck("")))
		return (0);
	if ((r->problems == NULL && (r->problems = json_array()) == NULL) ||
	    json_array_append_new(r->problems, json_pack("{s:I, s:s}",
	    "col", (json_int_t)col, "code", code)) == -1) {
		sheet_fail(r->err, SHEET_E_MEMORY, 0);
		return (0);
	}
	return (1);
}

/* Ends the current row, numbered n, keeping it if anything was in it. */
int
sheet_row_end(struct sheet_rows *r, size_t n)
{
	json_t		*row;

	if (r->err->status != 0)
		return (0);
	if (json_array_size(r->cells) == 0 && r->problems == NULL &&
	    !r->dropped)
		return (1);
	r->dropped = 0;
	if (json_array_size(r->rows) >= r->lim->max_rows) {
		sheet_fail(r->err, SHEET_E_ROWS, r->lim->max_rows);
		return (0);
	}
	if ((row = json_object()) == NULL ||
	    json_array_append_new(r->rows, row) == -1 ||
	    json_object_set_new(row, "row", json_integer((json_int_t)n)) ==
	    -1 || json_object_set(row, "cells", r->cells) == -1 ||
	    (r->problems != NULL &&
	    json_object_set(row, "problems", r->problems) == -1)) {
		sheet_fail(r->err, SHEET_E_MEMORY, 0);
		return (0);
	}
	/* The header is read whole; it decides what later rows keep. */
	if (r->pick != NULL && r->keep == NULL) {
		if ((r->keep = calloc(r->lim->max_cols, 1)) == NULL) {
			sheet_fail(r->err, SHEET_E_MEMORY, 0);
			return (0);
		}
		r->pick->fn(r->cells, r->keep, r->lim->max_cols, r->pick->arg);
	}
	json_decref(r->cells);
	json_decref(r->problems);
	r->problems = NULL;
	if ((r->cells = json_array()) == NULL) {
		sheet_fail(r->err, SHEET_E_MEMORY, 0);
		return (0);
	}
	return (1);
}

/* {"rows": [...]}, or NULL with err filled; frees the builder either way. */
json_t *
sheet_rows_finish(struct sheet_rows *r)
{
	json_t		*doc = NULL;

	if (r->err->status == 0 && json_array_size(r->rows) == 0)
		sheet_fail(r->err, SHEET_E_EMPTY, 0);
	if (r->err->status == 0 && (doc = json_object()) != NULL &&
	    json_object_set(doc, "rows", r->rows) == -1) {
		json_decref(doc);
		doc = NULL;
	}
	if (r->err->status == 0 && doc == NULL)
		sheet_fail(r->err, SHEET_E_MEMORY, 0);
	json_decref(r->rows);
	json_decref(r->cells);
	json_decref(r->problems);
	free(r->keep);
	memset(r, 0, sizeof(*r));
	return (doc);
}

/*
 * The delimiter the first record uses most: comma, semicolon (what Excel
 * writes where the decimal mark is a comma) or tab; comma on a tie.
 */
static unsigned char
delimiter(const unsigned char *p, size_t len)
{
	size_t		i, comma = 0, semi = 0, tab = 0;
	int		quoted = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (p[i] == '\r' || p[i] == '\n')
			break;
		else if (p[i] == ',')
			comma++;
		else if (p[i] == ';')
			semi++;
		else if (p[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return (';');
	if (tab > comma && tab > semi)
		return ('\t');
	return (',');
}

/* libcsv trims spaces and tabs by default; the caller trims instead. */
static int
no_space(unsigned char c)
{
	(void)c;
	return (0);
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct csvread	*c = arg;
	const char	*p = s;

	c->col++;
	if (c->rows.err->status != 0 || len == 0)
		return;
	if (!utf8_valid(s, len))
		sheet_problem(&c->rows, c->col, "bad-utf8");
	else if (p[0] == '=')
		sheet_problem(&c->rows, c->col, "formula");
	else if (p[0] == '\'' && formula_like(p, len))
		sheet_cell(&c->rows, c->col, p + 1, len - 1);
	else
		sheet_cell(&c->rows, c->col, p, len);
}

/*
 * libcsv reports every CR and LF as the end of a record, so the LF of a
 * CRLF arrives as an empty record of its own and is skipped here; other
 * empty records are blank lines, which Excel numbers like any row.
 */
static void
on_record(int term, void *arg)
{
	struct csvread	*c = arg;

	if (term == '\n' && c->term == '\r' && c->col == 0) {
		c->term = term;
		return;
	}
	sheet_row_end(&c->rows, c->record);
	c->record++;
	c->col = 0;
	c->term = term;
}

static json_t *
csv_read(const unsigned char *p, size_t len, const struct sheet_limits *lim,
    const struct sheet_pick *pick, struct sheet_error *err)
{
	struct csv_parser	 parser;
	struct csvread		 c;
	size_t			 off, n;
	int			 inited = 0;

	memset(&c, 0, sizeof(c));
	c.record = 1;
	if (!sheet_rows_init(&c.rows, lim, pick, err))
		goto done;
	if (utf16_bom(p, len) || memchr(p, '\0', len) != NULL) {
		sheet_fail(err, SHEET_E_ENCODING, 0);
		goto done;
	}
	if (len >= 3 && memcmp(p, UTF8_BOM, 3) == 0) {
		p += 3;
		len -= 3;
	}
	if (csv_init(&parser, CSV_REPALL_NL) != 0) {
		sheet_fail(err, SHEET_E_MEMORY, 0);
		goto done;
	}
	inited = 1;
	csv_set_delim(&parser, delimiter(p, len));
	csv_set_space_func(&parser, no_space);

	/* In chunks, so a file over a limit stops being read early. */
	for (off = 0; off < len && err->status == 0; off += n) {
		n = len - off < CSV_CHUNK ? len - off : CSV_CHUNK;
		if (csv_parse(&parser, p + off, n, on_field, on_record, &c) !=
		    n)
			sheet_fail(err, SHEET_E_MEMORY, 0);
	}
	if (err->status == 0 &&
	    csv_fini(&parser, on_field, on_record, &c) != 0)
		sheet_fail(err, SHEET_E_MEMORY, 0);
done:
	if (inited)
		csv_free(&parser);
	return (sheet_rows_finish(&c.rows));
}

/* The text of a JSON cell: strings, numbers, null as "". */
static int
cell_text(json_t *v, char *buf, size_t bufsz, const char **s, size_t *len)
{
	if (v == NULL || json_is_null(v)) {
		*s = "";
		*len = 0;
	} else if (json_is_string(v)) {
		*s = json_string_value(v);
		*len = json_string_length(v);
	} else if (json_is_integer(v)) {
		*len = (size_t)snprintf(buf, bufsz, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		*s = buf;
	} else if (json_is_real(v)) {
		*len = (size_t)snprintf(buf, bufsz, "%.15g",
		    json_real_value(v));
		*s = buf;
	} else
		return (0);
	return (1);
}

/* What goes before text Excel would run as a formula. */
static const char *
guard(const char *s, size_t len)
{
	return (formula_like(s, len) ? "'" : "");
}

/*
 * One field, after a comma unless first, quoted (RFC 4180) when it holds
 * a delimiter the reader might pick, a quote or a line break. pre goes
 * first, inside any quotes: an apostrophe guard, or the example's "# ".
 */
static void
put_field(FILE *f, int first, const char *pre, const char *s, size_t len)
{
	size_t		i;
	int		quote = 0;

	if (!first)
		fputc(',', f);
	for (i = 0; i < len && !quote; i++)
		quote = memchr(",;\t\"\r\n", s[i], 6) != NULL;
	if (quote)
		fputc('"', f);
	fputs(pre, f);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			fputc('"', f);
		i += put_clean(f, s + i, len - i);
	}
	if (quote)
		fputc('"', f);
}

/*
 * Writes the character s starts with, a control character (C0 but tab
 * and line breaks, which quoting keeps, DEL, C1) as U+FFFD: what a
 * spreadsheet or terminal shows is then what the file says. Returns how
 * many bytes of s past the first it used.
 */
static size_t
put_clean(FILE *f, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;

	if ((u[0] < 0x20 && u[0] != '\t' && u[0] != '\r' && u[0] != '\n') ||
	    u[0] == 0x7f) {
		fputs("\xef\xbf\xbd", f);
		return (0);
	}
	if (len >= 2 && u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f) {
		fputs("\xef\xbf\xbd", f);
		return (1);
	}
	fputc(s[0], f);
	return (0);
}

/*
 * The doc's layout as CSV: a BOM so Excel reads UTF-8, row 1 Vietnamese
 * headers, row 2 keys, the example row if any, then rows (an array of
 * arrays of strings, numbers or null, at most ncols each). CRLF line
 * ends. Returns 1 with *out malloc'd, or 0.
 */
int
sheet_write_csv(const struct sheet_doc *doc, json_t *rows, char **out,
    size_t *outlen)
{
	FILE		*f;
	json_t		*row, *v;
	const char	*s;
	char		*buf = NULL, num[64];
	size_t		 len = 0, i, j, n;
	int		 ok = 0;

	*out = NULL;
	*outlen = 0;
	if (!json_is_array(rows) || (f = open_memstream(&buf, &len)) == NULL)
		return (0);
	fputs(UTF8_BOM, f);
	for (j = 0; j < doc->ncols; j++) {
		s = doc->cols[j].header_vi;
		put_field(f, j == 0, guard(s, strlen(s)), s, strlen(s));
	}
	fputs("\r\n", f);
	for (j = 0; j < doc->ncols; j++) {
		s = doc->cols[j].key;
		put_field(f, j == 0, guard(s, strlen(s)), s, strlen(s));
	}
	fputs("\r\n", f);
	if (doc->example != NULL) {
		for (j = 0; j < doc->ncols; j++) {
			s = doc->example[j];
			put_field(f, j == 0, j == 0 ? "# " : guard(s,
			    strlen(s)), s, strlen(s));
		}
		fputs("\r\n", f);
	}
	json_array_foreach(rows, i, row) {
		if (!json_is_array(row) || json_array_size(row) > doc->ncols)
			goto done;
		for (j = 0; j < doc->ncols; j++) {
			v = json_array_get(row, j);
			if (!cell_text(v, num, sizeof(num), &s, &n))
				goto done;
			/* Numbers need no guard: -7 is not a formula. */
			put_field(f, j == 0, json_is_string(v) ? guard(s, n) :
			    "", s, n);
		}
		fputs("\r\n", f);
	}
	ok = !ferror(f);
done:
	if (fclose(f) != 0)
		ok = 0;
	if (ok) {
		*out = buf;
		*outlen = len;
	} else
		free(buf);
	return (ok);
}
