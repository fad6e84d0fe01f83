/*
 * XLSX writing with libxlsxwriter: the people sheet (Vietnamese headers,
 * English keys, an optional example row, data) with dropdowns where a
 * column has choices, a guide sheet describing each column, and, only
 * when a list is too long to spell inline, a hidden sheet holding it.
 * libxlsxwriter writes files only, so the workbook goes to a mkstemp(3)
 * file in tmpdir that is read back and removed. Constant-memory mode
 * streams rows to disk, so a large export costs little RAM, but rows
 * must then be written strictly in order.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "sheet.h"

#define FIRST_DATA_ROW	2		/* 0-based: the row under the keys */
#define LAST_LIST_ROW	99999		/* dropdowns reach row 100,000 */
#define INLINE_MAX	255		/* Excel's limit for "a,b,c" lists */
#define LISTS_SHEET	"DanhMuc"
#define DEFAULT_WIDTH	18

struct book {
	lxw_workbook	*wb;
	lxw_worksheet	*lists;		/* made on the first long list */
	lxw_row_t	 nlists;
	lxw_format	*bold;
	lxw_format	*text;
	lxw_format	*example;
	lxw_format	*wrap;
};

static int	 fits_inline(const char *const *);
static int	 dropdown(struct book *, lxw_worksheet *, lxw_col_t,
		    const char *const *);
static int	 people(struct book *, lxw_worksheet *,
		    const struct sheet_doc *, json_t *);
static int	 guide(struct book *, lxw_worksheet *,
		    const struct sheet_doc *);
static int	 slurp(const char *, unsigned char **, size_t *);

/*
 * Whether Excel can hold the list inline, as "a,b,c": at most 255
 * characters, and no value with the comma or quote that would split it.
 */
static int
fits_inline(const char *const *choices)
{
	const unsigned char	*p;
	size_t			 i, n = 0;

	for (i = 0; choices[i] != NULL; i++) {
		if (strpbrk(choices[i], ",\"") != NULL)
			return (0);
		for (p = (const unsigned char *)choices[i]; *p != '\0'; p++)
			n += (*p & 0xc0) != 0x80;
		n += i > 0;
	}
	return (n <= INLINE_MAX);
}

/*
 * A dropdown on column col of the data rows, from choices (not empty).
 * libxlsxwriter 1.1.4 copies a LIST_FORMULA validation's formula twice
 * and leaks one copy, so the dropdown goes in as a one-value LIST and
 * the formula it stored is swapped for ours: "a,b,c", or a range of the
 * hidden list sheet.
 */
static int
dropdown(struct book *b, lxw_worksheet *ws, lxw_col_t col,
    const char *const *choices)
{
	char			*one[] = { "-", NULL };
	lxw_data_validation	 dv;
	lxw_data_val_obj	*last;
	char			 ref[LXW_MAX_FORMULA_RANGE_LENGTH];
	char			*formula = NULL, *p;
	size_t			 i, len;
	int			 ok = 0;

	if (fits_inline(choices)) {
		for (len = 3, i = 0; choices[i] != NULL; i++)
			len += strlen(choices[i]) + 1;
		if ((formula = malloc(len)) == NULL)
			goto done;
		p = formula;
		*p++ = '"';
		for (i = 0; choices[i] != NULL; i++) {
			if (i > 0)
				*p++ = ',';
			len = strlen(choices[i]);
			memcpy(p, choices[i], len);
			p += len;
		}
		*p++ = '"';
		*p = '\0';
	} else {
		/* One row per list: columns would break row order. */
		if (b->lists == NULL) {
			if ((b->lists = workbook_add_worksheet(b->wb,
			    LISTS_SHEET)) == NULL)
				goto done;
			worksheet_hide(b->lists);
		}
		for (i = 0; choices[i] != NULL; i++) {
			if (i >= LXW_COL_MAX ||
			    worksheet_write_string(b->lists, b->nlists,
			    (lxw_col_t)i, choices[i], NULL) != LXW_NO_ERROR)
				goto done;
		}
		lxw_rowcol_to_formula_abs(ref, LISTS_SHEET, b->nlists, 0,
		    b->nlists, (lxw_col_t)(i - 1));
		b->nlists++;
		if ((formula = strdup(ref)) == NULL)
			goto done;
	}

	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = one;
	dv.error_title = "Giá trị không hợp lệ";
	dv.error_message = "Hãy chọn một giá trị trong danh sách.\n"
	    "Choose a value from the list.";
	if (worksheet_data_validation_range(ws, FIRST_DATA_ROW, col,
	    LAST_LIST_ROW, col, &dv) != LXW_NO_ERROR)
		goto done;
	for (last = STAILQ_FIRST(ws->data_validations);
	    STAILQ_NEXT(last, list_pointers) != NULL;
	    last = STAILQ_NEXT(last, list_pointers))
		;
	free(last->value_formula);
	last->value_formula = formula;
	formula = NULL;
	ok = 1;
done:
	free(formula);
	return (ok);
}

static int
people(struct book *b, lxw_worksheet *ws, const struct sheet_doc *doc,
    json_t *rows)
{
	const struct sheet_column	*c;
	lxw_format			*fmt;
	lxw_error			 e;
	lxw_row_t			 r = FIRST_DATA_ROW;
	json_t				*row, *v;
	char				*first = NULL;
	size_t				 i, j;
	int				 ok = 0;

	for (j = 0; j < doc->ncols; j++) {
		c = &doc->cols[j];
		if (worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
		    c->width > 0 ? c->width : DEFAULT_WIDTH,
		    c->text ? b->text : NULL) != LXW_NO_ERROR ||
		    worksheet_write_string(ws, 0, (lxw_col_t)j, c->header_vi,
		    b->bold) != LXW_NO_ERROR)
			goto done;
		if (c->choices != NULL && c->choices[0] != NULL &&
		    !dropdown(b, ws, (lxw_col_t)j, c->choices))
			goto done;
	}
	for (j = 0; j < doc->ncols; j++) {
		if (worksheet_write_string(ws, 1, (lxw_col_t)j,
		    doc->cols[j].key, b->bold) != LXW_NO_ERROR)
			goto done;
	}
	worksheet_freeze_panes(ws, 2, 0);

	if (doc->example != NULL) {
		if (asprintf(&first, "# %s", doc->example[0]) == -1) {
			first = NULL;
			goto done;
		}
		for (j = 0; j < doc->ncols; j++) {
			if (worksheet_write_string(ws, r, (lxw_col_t)j,
			    j == 0 ? first : doc->example[j], b->example) !=
			    LXW_NO_ERROR)
				goto done;
		}
		r++;
	}

	json_array_foreach(rows, i, row) {
		if (!json_is_array(row) || json_array_size(row) > doc->ncols)
			goto done;
		json_array_foreach(row, j, v) {
			fmt = doc->cols[j].text ? b->text : NULL;
			if (json_is_null(v))
				continue;
			if (json_is_string(v))
				e = worksheet_write_string(ws, r, (lxw_col_t)j,
				    json_string_value(v), fmt);
			else if (json_is_number(v))
				e = worksheet_write_number(ws, r, (lxw_col_t)j,
				    json_number_value(v), fmt);
			else
				goto done;
			if (e != LXW_NO_ERROR)
				goto done;
		}
		r++;
	}
	ok = 1;
done:
	free(first);
	return (ok);
}

/* One row per column: key, both headers, both help lines, choices. */
static int
guide(struct book *b, lxw_worksheet *ws, const struct sheet_doc *doc)
{
	static const char *const	 heads[] = { "Mã cột / Key",
					    "Tên cột", "Column",
					    "Hướng dẫn", "Guide",
					    "Giá trị hợp lệ / Allowed values" };
	static const double		 widths[] = { 22, 30, 30, 50, 50, 40 };
	const struct sheet_column	*c;
	const char			*cell[6];
	char				*allowed = NULL;
	size_t				 j, k, len;
	FILE				*f;
	int				 ok = 0;

	for (k = 0; k < 6; k++) {
		if (worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k,
		    widths[k], b->wrap) != LXW_NO_ERROR ||
		    worksheet_write_string(ws, 0, (lxw_col_t)k, heads[k],
		    b->bold) != LXW_NO_ERROR)
			goto done;
	}
	worksheet_freeze_panes(ws, 1, 0);
	for (j = 0; j < doc->ncols; j++) {
		c = &doc->cols[j];
		if ((f = open_memstream(&allowed, &len)) == NULL)
			goto done;
		for (k = 0; c->choices != NULL && c->choices[k] != NULL; k++)
			fprintf(f, "%s%s", k > 0 ? "; " : "", c->choices[k]);
		if (fclose(f) != 0)
			goto done;
		cell[0] = c->key;
		cell[1] = c->header_vi;
		cell[2] = c->header_en;
		cell[3] = c->help_vi;
		cell[4] = c->help_en;
		cell[5] = allowed;
		for (k = 0; k < 6; k++) {
			if (cell[k] != NULL && worksheet_write_string(ws,
			    (lxw_row_t)j + 1, (lxw_col_t)k, cell[k], b->wrap) !=
			    LXW_NO_ERROR)
				goto done;
		}
		free(allowed);
		allowed = NULL;
	}
	ok = 1;
done:
	free(allowed);
	return (ok);
}

static int
slurp(const char *path, unsigned char **out, size_t *outlen)
{
	struct stat	 st;
	unsigned char	*buf = NULL;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd, ok = 0;

	if ((fd = open(path, O_RDONLY)) == -1)
		return (0);
	if (fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    (buf = malloc((size_t)st.st_size)) == NULL)
		goto done;
	while (off < (size_t)st.st_size) {
		if ((n = read(fd, buf + off, (size_t)st.st_size - off)) <= 0)
			goto done;
		off += (size_t)n;
	}
	*out = buf;
	*outlen = off;
	buf = NULL;
	ok = 1;
done:
	free(buf);
	close(fd);
	return (ok);
}

/*
 * The doc's layout as XLSX: row 1 Vietnamese headers and row 2 keys in
 * bold, frozen above the data; text format on text columns so IDs keep
 * their leading zeros; then the guide sheet if doc has one. rows is an
 * array of arrays of strings, numbers or null. Returns 1 with *out
 * malloc'd, or 0.
 */
int
sheet_write_xlsx(const struct sheet_doc *doc, json_t *rows,
    const char *tmpdir, unsigned char **out, size_t *outlen)
{
	lxw_workbook_options	 opts;
	lxw_worksheet		*ws, *gs = NULL;
	struct book		 b;
	char			 path[PATH_MAX], dir[PATH_MAX];
	int			 fd, n, ok = 0;

	*out = NULL;
	*outlen = 0;
	if (!json_is_array(rows))
		return (0);
	n = snprintf(dir, sizeof(dir), "%s", tmpdir);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return (0);
	n = snprintf(path, sizeof(path), "%s/sheet-XXXXXX", tmpdir);
	if (n < 0 || (size_t)n >= sizeof(path) || (fd = mkstemp(path)) == -1)
		return (0);
	close(fd);

	memset(&b, 0, sizeof(b));
	memset(&opts, 0, sizeof(opts));
	opts.constant_memory = LXW_TRUE;
	opts.tmpdir = dir;
	if ((b.wb = workbook_new_opt(path, &opts)) == NULL ||
	    (b.bold = workbook_add_format(b.wb)) == NULL ||
	    (b.text = workbook_add_format(b.wb)) == NULL ||
	    (b.example = workbook_add_format(b.wb)) == NULL ||
	    (b.wrap = workbook_add_format(b.wb)) == NULL)
		goto done;
	format_set_bold(b.bold);
	format_set_num_format_index(b.text, 49);	/* "@", text */
	format_set_italic(b.example);
	format_set_font_color(b.example, LXW_COLOR_GRAY);
	format_set_text_wrap(b.wrap);
	format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);

	/* The guide is added first so that it comes before any list sheet. */
	if ((ws = workbook_add_worksheet(b.wb, doc->sheet_name)) == NULL ||
	    (doc->guide_name != NULL &&
	    (gs = workbook_add_worksheet(b.wb, doc->guide_name)) == NULL))
		goto done;
	if (!people(&b, ws, doc, rows) || (gs != NULL && !guide(&b, gs, doc)))
		goto done;
	n = workbook_close(b.wb);
	b.wb = NULL;
	ok = n == LXW_NO_ERROR && slurp(path, out, outlen);
done:
	if (b.wb != NULL)
		workbook_close(b.wb);
	unlink(path);
	return (ok);
}
