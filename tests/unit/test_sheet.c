/*
 * Unit tests of app/sheet*.c: spreadsheet import and export. XLSX inputs
 * are made at run time, with libxlsxwriter or by hand with libzip, in a
 * mkdtemp(3) directory under /tmp that the group teardown removes.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "sheet.h"

#define MAIN_NS	"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS	"http://schemas.openxmlformats.org/officeDocument/2006/" \
		"relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" " \
		"standalone=\"yes\"?>\n"

static char	tmpdir[] = "/tmp/test_sheet.XXXXXX";

static const struct sheet_limits lim = {
	.max_rows = 1000,
	.max_cols = 50,
	.max_cell = 1000,
	.max_xml = 4 << 20,
	.max_cells = 1 << 20,
	.max_text = 16 << 20,
};

static const char *const genders[] = { "Nam", "Nữ", NULL };

static const struct sheet_column cols[] = {
	{ "citizen_id", "Số định danh cá nhân", "Citizen ID",
	  "12 chữ số, giữ số 0 ở đầu", "12 digits, leading zeros kept",
	  NULL, 1, 16 },
	{ "full_name", "Họ và tên", "Full name", "Có dấu", "With diacritics",
	  NULL, 0, 28 },
	{ "gender", "Giới tính", "Gender", "Chọn trong danh sách",
	  "Pick from the list", genders, 0, 0 },
	{ "phone", "Số điện thoại", "Phone", "Ví dụ +84912345678",
	  "For example +84912345678", NULL, 1, 0 },
	{ "note", "Ghi chú", "Note", NULL, NULL, NULL, 0, 40 },
	{ "salary", "Lương", "Salary", "Đồng", "VND", NULL, 0, 0 },
};

static const char *const example[] = { "001234567890", "Nguyễn Văn A",
    "Nam", "+84912345678", "", "3000000" };

static const struct sheet_doc doc = {
	.sheet_name = "Danh sách",
	.guide_name = "Hướng dẫn - Guide",
	.cols = cols,
	.ncols = 6,
	.example = example,
};

/* What both writers are given, and what reading their output gives. */
static const char rows_in[] =
    "[[\"001234567890\", \"Nguyễn Thị Hằng\", \"Nữ\", \"+84912345678\","
    "  \"Ghi chú, có dấu phẩy\", 3000000],"
    " [\"079201000123\", \"Trần Văn Đức\", \"Nam\", \"0912345678\","
    "  \"Nói \\\"xin chào\\\"\\nrồi xuống dòng\", 1.5],"
    " [null, null, null, null, null, null],"
    " [\"\", \"Lê Ánh\", null, \"-12\", \"=SUM(A1)\"],"
    " [\"\", \"'=x\", \"\", \"@home\", \"tab\\there; semi\", -7]]";

static const char rows_out[] =
    "[{\"row\": 1, \"cells\": [\"Số định danh cá nhân\", \"Họ và tên\","
    "  \"Giới tính\", \"Số điện thoại\", \"Ghi chú\", \"Lương\"]},"
    " {\"row\": 2, \"cells\": [\"citizen_id\", \"full_name\", \"gender\","
    "  \"phone\", \"note\", \"salary\"]},"
    " {\"row\": 3, \"cells\": [\"# 001234567890\", \"Nguyễn Văn A\","
    "  \"Nam\", \"+84912345678\", \"\", \"3000000\"]},"
    " {\"row\": 4, \"cells\": [\"001234567890\", \"Nguyễn Thị Hằng\","
    "  \"Nữ\", \"+84912345678\", \"Ghi chú, có dấu phẩy\", \"3000000\"]},"
    " {\"row\": 5, \"cells\": [\"079201000123\", \"Trần Văn Đức\", \"Nam\","
    "  \"0912345678\", \"Nói \\\"xin chào\\\"\\nrồi xuống dòng\","
    "  \"1.5\"]},"
    " {\"row\": 7, \"cells\": [\"\", \"Lê Ánh\", \"\", \"-12\","
    "  \"=SUM(A1)\"]},"
    " {\"row\": 8, \"cells\": [\"\", \"'=x\", \"\", \"@home\","
    "  \"tab\\there; semi\", \"-7\"]}]";

static json_t	*load(const char *);
static void	 assert_rows(json_t *, const char *);
static json_t	*read_ok(const void *, size_t, int,
		    const struct sheet_limits *);
static void	 read_fails(const void *, size_t, int,
		    const struct sheet_limits *, int, const char *);
static void	 slurp(const char *, unsigned char **, size_t *);
static char	*zip_part(const unsigned char *, size_t, const char *);
static void	 make_zip(const char *const *, unsigned char **, size_t *);
static void	 make_xlsx(const char *, const char *, const char *,
		    const char *, unsigned char **, size_t *);
static void	 make_csv(size_t, size_t, char **, size_t *);
static void	 lie(unsigned char *, size_t, const char *, uint32_t);
static size_t	 count(const char *, const char *);
static size_t	 leftovers(void);
static double	 now(void);
static char	*shared_sheet(size_t, size_t);
static void	 pick_ac(json_t *, unsigned char *, size_t, void *);

static json_t *
load(const char *s)
{
	json_error_t	 e;
	json_t		*j;

	j = json_loads(s, 0, &e);
	if (j == NULL)
		fail_msg("bad test JSON: %s", e.text);
	return (j);
}

/* rows (a sheet_read result) equals the JSON rows array in want. */
static void
assert_rows(json_t *got, const char *want)
{
	json_t	*w;
	char	*g;

	w = load(want);
	if (!json_equal(json_object_get(got, "rows"), w)) {
		g = json_dumps(got, JSON_INDENT(1));
		fail_msg("got %s", g);
	}
	json_decref(w);
}

static json_t *
read_ok(const void *data, size_t len, int format,
    const struct sheet_limits *l)
{
	struct sheet_error	 err;
	json_t			*j;

	j = sheet_read(data, len, format, l, &err);
	if (j == NULL)
		fail_msg("%d %s: %s", err.status, err.code, err.en);
	assert_int_equal(err.status, 0);
	return (j);
}

static void
read_fails(const void *data, size_t len, int format,
    const struct sheet_limits *l, int status, const char *code)
{
	struct sheet_error	 err;
	json_t			*j;

	j = sheet_read(data, len, format, l, &err);
	assert_null(j);
	assert_int_equal(err.status, status);
	assert_string_equal(err.code, code);
	/* Both sentences are there, and whole: not cut inside a letter. */
	assert_true(strlen(err.vi) > 10 && strlen(err.vi) < sizeof(err.vi) - 1);
	assert_true(strlen(err.en) > 10 && strlen(err.en) < sizeof(err.en) - 1);
	j = json_string(err.vi);
	assert_non_null(j);
	json_decref(j);
}

static void
slurp(const char *path, unsigned char **out, size_t *len)
{
	FILE		*f;
	long		 n;

	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 0);
	rewind(f);
	assert_non_null(*out = malloc((size_t)n));
	assert_int_equal(fread(*out, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
}

/* The named part of an in-memory zip, NUL-terminated. */
static char *
zip_part(const unsigned char *buf, size_t len, const char *name)
{
	zip_source_t	*src;
	zip_t		*za;
	zip_file_t	*zf;
	zip_stat_t	 st;
	char		*s;

	assert_non_null(src = zip_source_buffer_create(buf, len, 0, NULL));
	assert_non_null(za = zip_open_from_source(src, ZIP_RDONLY, NULL));
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	assert_non_null(s = calloc(1, st.size + 1));
	assert_non_null(zf = zip_fopen(za, name, 0));
	assert_int_equal(zip_fread(zf, s, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_discard(za);
	return (s);
}

/* A zip of NULL-terminated name, content pairs. */
static void
make_zip(const char *const *parts, unsigned char **out, size_t *len)
{
	char		 path[128];
	zip_t		*za;
	zip_source_t	*src;

	snprintf(path, sizeof(path), "%s/made.zip", tmpdir);
	assert_non_null(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, NULL));
	for (; parts[0] != NULL; parts += 2) {
		assert_non_null(src = zip_source_buffer(za, parts[1],
		    strlen(parts[1]), 0));
		assert_true(zip_file_add(za, parts[0], src, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	slurp(path, out, len);
	unlink(path);
}

/*
 * A minimal XLSX around sheet, with shared strings and styles when not
 * NULL, and wbpr (say <workbookPr date1904="1"/>) in the workbook.
 */
static void
make_xlsx(const char *sheet, const char *sst, const char *styles,
    const char *wbpr, unsigned char **out, size_t *len)
{
	char		*wb, *rels;
	const char	*parts[15];
	size_t		 n = 0;

	assert_true(asprintf(&wb, XML_DECL "<workbook xmlns=\"" MAIN_NS
	    "\" xmlns:r=\"" REL_NS "\">%s<sheets><sheet name=\"S\" "
	    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	    wbpr != NULL ? wbpr : "") != -1);
	assert_true(asprintf(&rels, XML_DECL "<Relationships xmlns=\""
	    "http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" REL_NS "/sharedStrings\" "
	    "Target=\"/xl/sharedStrings.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL_NS "/styles\" "
	    "Target=\"styles.xml\"/></Relationships>") != -1);
	parts[n++] = "[Content_Types].xml";
	parts[n++] = XML_DECL "<Types xmlns=\"http://schemas.openxmlformats."
	    "org/package/2006/content-types\"><Default Extension=\"xml\" "
	    "ContentType=\"application/xml\"/></Types>";
	parts[n++] = "xl/workbook.xml";
	parts[n++] = wb;
	parts[n++] = "xl/_rels/workbook.xml.rels";
	parts[n++] = rels;
	parts[n++] = "xl/worksheets/sheet1.xml";
	parts[n++] = sheet;
	if (sst != NULL) {
		parts[n++] = "xl/sharedStrings.xml";
		parts[n++] = sst;
	}
	if (styles != NULL) {
		parts[n++] = "xl/styles.xml";
		parts[n++] = styles;
	}
	parts[n] = NULL;
	make_zip(parts, out, len);
	free(wb);
	free(rels);
}

/* Makes a zip state size as part name's uncompressed size, in both headers. */
static void
lie(unsigned char *zip, size_t len, const char *name, uint32_t size)
{
	size_t		 i, n = strlen(name), hits = 0;
	unsigned char	 le[4];

	le[0] = size & 0xff;
	le[1] = (size >> 8) & 0xff;
	le[2] = (size >> 16) & 0xff;
	le[3] = size >> 24;
	for (i = 0; i + 46 + n <= len; i++) {
		if (memcmp(zip + i, "PK\001\002", 4) == 0 &&
		    zip[i + 28] == n && zip[i + 29] == 0 &&
		    memcmp(zip + i + 46, name, n) == 0) {
			memcpy(zip + i + 24, le, 4);
			hits++;
		} else if (memcmp(zip + i, "PK\003\004", 4) == 0 &&
		    zip[i + 26] == n && zip[i + 27] == 0 &&
		    memcmp(zip + i + 30, name, n) == 0) {
			memcpy(zip + i + 22, le, 4);
			hits++;
		}
	}
	assert_int_equal(hits, 2);
}

/* nrows x ncols of CSV, the way an HR export looks. */
static void
make_csv(size_t nrows, size_t ncols, char **out, size_t *len)
{
	FILE	*f;
	size_t	 i, j;

	assert_non_null(f = open_memstream(out, len));
	for (i = 0; i < nrows; i++) {
		for (j = 0; j < ncols; j++) {
			if (j > 0)
				fputc(',', f);
			if (j == 0)
				fprintf(f, "0%011zu", i);
			else if (j == 1)
				fprintf(f, "Nguyễn Thị Hằng %zu", i);
			else if (j == 2)
				fputs("\"Xã Tân Phú, Đồng Tháp\"", f);
			else
				fprintf(f, "v%zu", j);
		}
		fputs("\r\n", f);
	}
	assert_int_equal(fclose(f), 0);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return (n);
}

/* Files left in tmpdir: the writer must remove its own. */
static size_t
leftovers(void)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 n = 0;

	assert_non_null(d = opendir(tmpdir));
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return (n);
}

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
setup(void **state)
{
	(void)state;
	return (mkdtemp(tmpdir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	(void)state;
	return (rmdir(tmpdir));
}

static void
test_sniff(void **state)
{
	static const char	utf16[] = "\xff\xfeH\0i\0";
	static const char	utf16be[] = "\xfe\xff\0H\0i";
	static const char	nul[] = "a,b\r\nc\0d\r\n";
	static const char	xls[] = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0";
	static const char	bom[] = "\xef\xbb\xbfHọ;Tên\n";

	(void)state;
	assert_int_equal(sheet_sniff("PK\003\004\024\0", 6), SHEET_XLSX);
	assert_int_equal(sheet_sniff("a,b\r\n1,2\r\n", 10), SHEET_CSV);
	assert_int_equal(sheet_sniff(bom, sizeof(bom) - 1), SHEET_CSV);
	assert_int_equal(sheet_sniff("\xff", 1), SHEET_CSV);
	assert_int_equal(sheet_sniff("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15), 0);
	assert_int_equal(sheet_sniff(utf16, sizeof(utf16) - 1), 0);
	assert_int_equal(sheet_sniff(utf16be, sizeof(utf16be) - 1), 0);
	assert_int_equal(sheet_sniff(nul, sizeof(nul) - 1), 0);
	assert_int_equal(sheet_sniff(xls, sizeof(xls) - 1), 0);
	assert_int_equal(sheet_sniff("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), 0);
}

static void
test_csv_roundtrip(void **state)
{
	static const char	 head[] = "\xef\xbb\xbf"
	    "Số định danh cá nhân,Họ và tên,Giới tính,Số điện thoại,Ghi chú,"
	    "Lương\r\n"
	    "citizen_id,full_name,gender,phone,note,salary\r\n"
	    "# 001234567890,Nguyễn Văn A,Nam,'+84912345678,,3000000\r\n"
	    "001234567890,Nguyễn Thị Hằng,Nữ,'+84912345678,"
	    "\"Ghi chú, có dấu phẩy\",3000000\r\n"
	    "079201000123,Trần Văn Đức,Nam,0912345678,"
	    "\"Nói \"\"xin chào\"\"\nrồi xuống dòng\",1.5\r\n"
	    ",,,,,\r\n"
	    ",Lê Ánh,,'-12,'=SUM(A1),\r\n"
	    ",''=x,,'@home,\"tab\there; semi\",-7\r\n";
	json_t			*rows, *got;
	char			*out;
	size_t			 len;

	(void)state;
	rows = load(rows_in);
	assert_true(sheet_write_csv(&doc, rows, &out, &len));
	assert_int_equal(len, sizeof(head) - 1);
	assert_memory_equal(out, head, len);
	assert_int_equal(sheet_sniff(out, len), SHEET_CSV);

	got = read_ok(out, len, SHEET_CSV, &lim);
	assert_rows(got, rows_out);
	json_decref(got);
	json_decref(rows);
	free(out);
}

/*
 * Control characters (C0 but tab and line breaks, DEL, C1) are written as
 * U+FFFD; tabs and line breaks stay, inside quotes; the rest is as is.
 */
static void
test_csv_clean(void **state)
{
	static const char	 want[] = "\"a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c,\",x\xef\xbf\xbdy,p\xef\xbf\xbdq\xc2\xa0r,\"t\tu\nv\","
	    "'=\xef\xbf\xbd,\r\n";
	json_t			*rows;
	char			*out;
	const char		*data;
	size_t			 len, i;

	(void)state;
	rows = json_pack("[[s, s, s, s, s]]", "a\x01" "b\x1b" "c,", "x\x7fy",
	    "p\xc2\x85q\xc2\xa0r", "t\tu\nv", "=\x07");
	assert_non_null(rows);
	assert_true(sheet_write_csv(&doc, rows, &out, &len));
	json_decref(rows);
	/* Past the BOM and the three header rows. */
	for (data = out, i = 0; i < 3; i++)
		assert_non_null(data = strstr(data, "\r\n") + 2);
	assert_string_equal(data, want);
	for (i = 0; i < len; i++)
		assert_false(((unsigned char)out[i] < 0x20 && out[i] != '\t' &&
		    out[i] != '\r' && out[i] != '\n') || out[i] == 0x7f);
	free(out);
}

static void
test_xlsx_roundtrip(void **state)
{
	json_t		*rows, *got;
	unsigned char	*out;
	char		*xml;
	size_t		 len;

	(void)state;
	rows = load(rows_in);
	assert_true(sheet_write_xlsx(&doc, rows, tmpdir, &out, &len));
	assert_int_equal(leftovers(), 0);
	assert_int_equal(sheet_sniff(out, len), SHEET_XLSX);

	got = read_ok(out, len, SHEET_XLSX, &lim);
	assert_rows(got, rows_out);
	json_decref(got);

	xml = zip_part(out, len, "xl/workbook.xml");
	assert_int_equal(count(xml, "<sheet "), 2);
	assert_non_null(strstr(xml, "name=\"Danh sách\""));
	assert_non_null(strstr(xml, "name=\"Hướng dẫn - Guide\""));
	free(xml);

	/* Bold headers, frozen under row 2, widths, text IDs, a dropdown. */
	xml = zip_part(out, len, "xl/worksheets/sheet1.xml");
	assert_int_equal(count(xml, "<dataValidation "), 1);
	assert_non_null(strstr(xml, "sqref=\"C3:C100000\""));
	assert_non_null(strstr(xml, "<formula1>\"Nam,Nữ\"</formula1>"));
	assert_non_null(strstr(xml, "ySplit=\"2\" topLeftCell=\"A3\""));
	assert_non_null(strstr(xml, "<col min=\"2\" max=\"2\" width=\"28"));
	free(xml);
	xml = zip_part(out, len, "xl/styles.xml");
	assert_non_null(strstr(xml, "numFmtId=\"49\""));
	assert_non_null(strstr(xml, "<b/>"));
	free(xml);

	xml = zip_part(out, len, "xl/worksheets/sheet2.xml");
	assert_non_null(strstr(xml, ">citizen_id<"));
	assert_non_null(strstr(xml, ">Pick from the list<"));
	assert_non_null(strstr(xml, ">Nam; Nữ<"));
	free(xml);

	json_decref(rows);
	free(out);
}

/* A list over Excel's 255 characters goes to a hidden sheet of lists. */
static void
test_xlsx_long_list(void **state)
{
	static const char *const	 comma[] = { "Hà Nội, Việt Nam", "Khác",
					    NULL };
	struct sheet_column		 c[3];
	struct sheet_doc		 d;
	char				 names[40][32], *xml;
	const char			*list[41];
	json_t				*rows, *got;
	unsigned char			*out;
	size_t				 i, len;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "Tỉnh số %02zu", i + 1);
		list[i] = names[i];
	}
	list[40] = NULL;
	memset(c, 0, sizeof(c));
	c[0].key = "province";
	c[0].header_vi = "Tỉnh";
	c[0].choices = list;
	c[1].key = "gender";
	c[1].header_vi = "Giới tính";
	c[1].choices = genders;
	c[2].key = "place";
	c[2].header_vi = "Nơi";
	c[2].choices = comma;
	memset(&d, 0, sizeof(d));
	d.sheet_name = "Danh sách";
	d.cols = c;
	d.ncols = 3;

	rows = load("[[\"Tỉnh số 07\", \"Nữ\", \"Khác\"]]");
	assert_true(sheet_write_xlsx(&d, rows, tmpdir, &out, &len));
	xml = zip_part(out, len, "xl/workbook.xml");
	assert_int_equal(count(xml, "<sheet "), 2);
	assert_non_null(strstr(xml, "name=\"DanhMuc\""));
	assert_non_null(strstr(xml, "state=\"hidden\""));
	free(xml);
	xml = zip_part(out, len, "xl/worksheets/sheet1.xml");
	assert_int_equal(count(xml, "<dataValidation "), 3);
	assert_non_null(strstr(xml, "<formula1>DanhMuc!$A$1:$AN$1</formula1>"));
	assert_non_null(strstr(xml, "<formula1>\"Nam,Nữ\"</formula1>"));
	assert_non_null(strstr(xml, "<formula1>DanhMuc!$A$2:$B$2</formula1>"));
	free(xml);
	xml = zip_part(out, len, "xl/worksheets/sheet2.xml");
	assert_non_null(strstr(xml, ">Tỉnh số 40<"));
	assert_non_null(strstr(xml, ">Hà Nội, Việt Nam<"));
	free(xml);

	got = read_ok(out, len, SHEET_XLSX, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"Tỉnh\", \"Giới tính\","
	    " \"Nơi\"]}, {\"row\": 2, \"cells\": [\"province\", \"gender\","
	    " \"place\"]}, {\"row\": 3, \"cells\": [\"Tỉnh số 07\", \"Nữ\","
	    " \"Khác\"]}]");
	json_decref(got);
	json_decref(rows);
	free(out);
}

static void
test_write_rejects(void **state)
{
	static const char *const	 bad[] = { "{}", "[1]",
					    "[[1,2,3,4,5,6,7]]", "[[{}]]",
					    "[[true]]" };
	json_t				*rows;
	unsigned char			*x;
	char				*c;
	size_t				 i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rows = load(bad[i]);
		assert_false(sheet_write_csv(&doc, rows, &c, &len));
		assert_null(c);
		assert_false(sheet_write_xlsx(&doc, rows, tmpdir, &x, &len));
		assert_null(x);
		json_decref(rows);
	}
	rows = load("[]");
	assert_false(sheet_write_xlsx(&doc, rows, "/nonexistent", &x, &len));
	json_decref(rows);
	assert_int_equal(leftovers(), 0);
}

static void
test_csv_delimiters(void **state)
{
	static const char	 semi[] = "\xef\xbb\xbfHọ tên;Số;Ghi chú\r\n"
				    "Nguyễn Văn A;\"012;3\";a,b\r\n";
	static const char	 tab[] = "a\tb\tc\n1\t\t3\n\n x \t\"y\nz\"\n";
	static const char	 crlf[] = "a\r\n\r\n,\r\nb";
	json_t			*got;

	(void)state;
	got = read_ok(semi, sizeof(semi) - 1, SHEET_CSV, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"Họ tên\", \"Số\","
	    " \"Ghi chú\"]}, {\"row\": 2, \"cells\": [\"Nguyễn Văn A\","
	    " \"012;3\", \"a,b\"]}]");
	json_decref(got);

	/* Blank lines count, spaces stay, a quoted newline is one cell. */
	got = read_ok(tab, sizeof(tab) - 1, SHEET_CSV, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"a\", \"b\", \"c\"]},"
	    " {\"row\": 2, \"cells\": [\"1\", \"\", \"3\"]},"
	    " {\"row\": 4, \"cells\": [\" x \", \"y\\nz\"]}]");
	json_decref(got);

	got = read_ok(crlf, sizeof(crlf) - 1, SHEET_CSV, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"a\"]},"
	    " {\"row\": 4, \"cells\": [\"b\"]}]");
	json_decref(got);
}

static void
test_csv_cells(void **state)
{
	static const char	 in[] = "ok,\xff bad,\xc0\xaf,\xed\xa0\x80,"
				    "=SUM(A1:A2),'+84912345678,'abc,''=x,"
				    "'=1,-5,+84,\"'@x\"\r\n";
	json_t			*got;

	(void)state;
	got = read_ok(in, sizeof(in) - 1, SHEET_CSV, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"ok\", \"\", \"\", \"\","
	    " \"\", \"+84912345678\", \"'abc\", \"'=x\", \"=1\", \"-5\","
	    " \"+84\", \"@x\"], \"problems\": ["
	    "{\"col\": 2, \"code\": \"bad-utf8\"},"
	    "{\"col\": 3, \"code\": \"bad-utf8\"},"
	    "{\"col\": 4, \"code\": \"bad-utf8\"},"
	    "{\"col\": 5, \"code\": \"formula\"}]}]");
	json_decref(got);
}

static void
test_csv_file_errors(void **state)
{
	static const char	utf16[] = "\xff\xfeH\0\xe1\x1e,\0";
	static const char	nul[] = "a,b\r\nc\0d\r\n";
	static const char	bom[] = "\xef\xbb\xbf";
	static const char	blank[] = ",,\r\n\r\n";

	(void)state;
	read_fails(utf16, sizeof(utf16) - 1, SHEET_CSV, &lim, 415,
	    "bad-encoding");
	read_fails(nul, sizeof(nul) - 1, SHEET_CSV, &lim, 415,
	    "bad-encoding");
	read_fails("a", 1, 0, &lim, 415, "unsupported-type");
	read_fails("a", 1, 3, &lim, 415, "unsupported-type");
	read_fails("", 0, SHEET_CSV, &lim, 422, "empty-file");
	read_fails(bom, sizeof(bom) - 1, SHEET_CSV, &lim, 422, "empty-file");
	read_fails(blank, sizeof(blank) - 1, SHEET_CSV, &lim, 422,
	    "empty-file");
}

static void
test_csv_limits(void **state)
{
	struct sheet_limits	 l = lim;
	struct sheet_error	 err;
	json_t			*got;

	(void)state;
	l.max_rows = 3;
	got = read_ok("a\n\nb\n\nc\n", 8, SHEET_CSV, &l);
	json_decref(got);
	read_fails("a\nb\nc\nd\n", 8, SHEET_CSV, &l, 422, "too-many-rows");
	assert_null(sheet_read("a\nb\nc\nd\n", 8, SHEET_CSV, &l, &err));
	assert_non_null(strstr(err.en, "more than 3 rows"));
	assert_non_null(strstr(err.vi, "hơn 3 dòng"));

	l = lim;
	l.max_cols = 3;
	got = read_ok("a,b,c,,,\n", 9, SHEET_CSV, &l);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"a\", \"b\", \"c\"]}]");
	json_decref(got);
	read_fails("a,b,c,d\n", 8, SHEET_CSV, &l, 422, "too-many-columns");

	l = lim;
	l.max_cell = 5;
	got = read_ok("12345,123456\n", 13, SHEET_CSV, &l);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"12345\", \"\"],"
	    " \"problems\": [{\"col\": 2, \"code\": \"cell-too-long\"}]}]");
	json_decref(got);
}

/* What Excel itself writes, by way of libxlsxwriter. */
static void
test_xlsx_types(void **state)
{
	lxw_datetime	 d1 = { 2024, 2, 29, 0, 0, 0 };
	lxw_datetime	 d2 = { 1990, 12, 31, 18, 30, 0 };
	lxw_workbook	*wb;
	lxw_worksheet	*ws, *other;
	lxw_format	*date, *stamp, *builtin, *money, *pct;
	char		 path[128], *big;
	unsigned char	*data;
	size_t		 len;
	json_t		*got;

	(void)state;
	snprintf(path, sizeof(path), "%s/types.xlsx", tmpdir);
	assert_non_null(wb = workbook_new(path));
	assert_non_null(ws = workbook_add_worksheet(wb, "Dữ liệu"));
	assert_non_null(other = workbook_add_worksheet(wb, "Khác"));
	date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	stamp = workbook_add_format(wb);
	format_set_num_format(stamp, "dd/mm/yyyy hh:mm");
	builtin = workbook_add_format(wb);
	format_set_num_format_index(builtin, 14);
	money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0 \"đ\"");
	pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.00%");

	worksheet_write_string(ws, 0, 0, "Họ tên", NULL);
	worksheet_write_formula(ws, 0, 1, "=1+2", NULL);
	worksheet_write_datetime(ws, 0, 2, &d1, date);
	worksheet_write_number(ws, 0, 3, 3000000, money);
	worksheet_write_number(ws, 0, 4, 84912345678.0, NULL);
	worksheet_write_number(ws, 0, 5, 1.5, NULL);
	worksheet_write_boolean(ws, 0, 6, 1, NULL);
	worksheet_write_boolean(ws, 0, 7, 0, NULL);
	worksheet_write_number(ws, 0, 8, 45000, builtin);
	worksheet_write_datetime(ws, 0, 9, &d2, stamp);
	worksheet_write_number(ws, 0, 10, 0.25, pct);
	worksheet_write_formula_str(ws, 0, 11, "=\"a\"&\"b\"", NULL, "ab");
	worksheet_write_number(ws, 0, 12, -0.0, NULL);
	worksheet_write_number(ws, 0, 13, 1e20, NULL);

	/* libxlsxwriter stops at Excel's 32,767; the 1 MB one is below. */
	assert_non_null(big = malloc(32768));
	memset(big, 'x', 32767);
	big[32767] = '\0';
	assert_int_equal(worksheet_write_string(ws, 1, 0, big, NULL),
	    LXW_NO_ERROR);
	free(big);

	worksheet_write_string(ws, 3, 0, "a", NULL);
	worksheet_write_string(ws, 3, 3, "d", NULL);
	worksheet_write_blank(ws, 5, 4, money);
	worksheet_write_string(other, 0, 0, "not this sheet", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, &data, &len);
	unlink(path);

	got = read_ok(data, len, SHEET_XLSX, &lim);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"Họ tên\", \"\","
	    " \"2024-02-29\", \"3000000\", \"84912345678\", \"1.5\", \"true\","
	    " \"false\", \"2023-03-15\", \"1990-12-31\", \"0.25\", \"\", \"0\","
	    " \"1e+20\"], \"problems\": [{\"col\": 2, \"code\": \"formula\"},"
	    " {\"col\": 12, \"code\": \"formula\"}]},"
	    " {\"row\": 2, \"cells\": [\"\"], \"problems\":"
	    " [{\"col\": 1, \"code\": \"cell-too-long\"}]},"
	    " {\"row\": 4, \"cells\": [\"a\", \"\", \"\", \"d\"]}]");
	json_decref(got);
	free(data);
}

/*
 * Inline strings, rich text with phonetic runs to skip, prefixed element
 * names, the 1904 date system, custom formats, cells and rows without r,
 * and a 1 MB cell, in an XLSX made by hand.
 */
static void
test_xlsx_by_hand(void **state)
{
	static const char	 sst[] = XML_DECL "<sst xmlns=\"" MAIN_NS "\">"
	    "<si><t>Chuỗi chung</t></si>"
	    "<si><r><t xml:space=\"preserve\">Đậm </t></r><r><rPr><b/></rPr>"
	    "<t>và nhạt</t></r><rPh sb=\"0\" eb=\"1\"><t>ヨミ</t></rPh></si>"
	    "<si><t/></si></sst>";
	static const char	 styles[] = XML_DECL "<styleSheet xmlns=\""
	    MAIN_NS "\"><numFmts count=\"2\">"
	    "<numFmt numFmtId=\"164\" formatCode=\"[$-42A]dd/mm/yyyy;@\"/>"
	    "<numFmt numFmtId=\"165\" formatCode=\"0&quot;d&quot;\"/>"
	    "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/>"
	    "</cellStyleXfs><cellXfs count=\"4\"><xf numFmtId=\"0\"/>"
	    "<xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
	    "</cellXfs></styleSheet>";
	char			*sheet, *big;
	unsigned char		*data;
	size_t			 len;
	json_t			*got;

	(void)state;
	assert_non_null(big = malloc((1 << 20) + 1));
	memset(big, 'a', 1 << 20);
	big[1 << 20] = '\0';
	assert_true(asprintf(&sheet, XML_DECL "<x:worksheet xmlns:x=\""
	    MAIN_NS "\"><x:sheetData>"
	    "<x:row r=\"2\">"
	    "<x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>Nguyễn Thị Hằng</x:t>"
	    "</x:is></x:c>"
	    "<x:c t=\"inlineStr\"><x:is><x:r><x:t xml:space=\"preserve\">Trần "
	    "</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>Văn Đức</x:t></x:r>"
	    "<x:rPh sb=\"0\" eb=\"1\"><x:t>チャン</x:t></x:rPh></x:is></x:c>"
	    "<x:c r=\"E2\" t=\"str\"><x:v>plain str</x:v></x:c>"
	    "<x:c r=\"F2\" t=\"e\"><x:v>#N/A</x:v></x:c>"
	    "<x:c r=\"G2\" s=\"1\"><x:v>0</x:v></x:c>"
	    "<x:c r=\"H2\" s=\"2\"><x:v>36525.75</x:v></x:c>"
	    "<x:c r=\"I2\" s=\"3\"><x:v>5</x:v></x:c>"
	    "<x:c r=\"J2\" t=\"inlineStr\"><x:is><x:t>%s</x:t></x:is></x:c>"
	    "</x:row>"
	    "<x:row r=\"7\"><x:c r=\"A7\" t=\"b\"><x:v>1</x:v></x:c>"
	    "<x:c r=\"B7\" t=\"s\"><x:v>0</x:v></x:c>"
	    "<x:c r=\"C7\" t=\"s\"><x:v>1</x:v></x:c>"
	    "<x:c r=\"D7\" t=\"s\"><x:v>2</x:v></x:c>"
	    "<x:c r=\"E7\" s=\"99\"><x:v>7</x:v></x:c></x:row>"
	    "<x:row><x:c><x:v>42</x:v></x:c><x:c><x:f>A8</x:f><x:v>42</x:v>"
	    "</x:c></x:row>"
	    "<x:row r=\"9\"><x:c r=\"C9\" s=\"1\"/></x:row>"
	    "</x:sheetData></x:worksheet>", big) != -1);
	free(big);
	make_xlsx(sheet, sst, styles, "<workbookPr date1904=\"1\"/>", &data,
	    &len);
	free(sheet);

	got = read_ok(data, len, SHEET_XLSX, &lim);
	assert_rows(got, "[{\"row\": 2, \"cells\": [\"\", \"Nguyễn Thị Hằng\","
	    " \"Trần Văn Đức\", \"\", \"plain str\", \"\", \"1904-01-01\","
	    " \"2004-01-01\", \"5\", \"\"], \"problems\": ["
	    "{\"col\": 6, \"code\": \"error-value\"},"
	    "{\"col\": 10, \"code\": \"cell-too-long\"}]},"
	    " {\"row\": 7, \"cells\": [\"true\", \"Chuỗi chung\","
	    " \"Đậm và nhạt\", \"\", \"7\"]},"
	    " {\"row\": 8, \"cells\": [\"42\", \"\"], \"problems\":"
	    " [{\"col\": 2, \"code\": \"formula\"}]}]");
	json_decref(got);
	free(data);
}

/* XLSX inputs that are not what they claim, or are attacks. */
static void
test_xlsx_broken(void **state)
{
	static const char *const	 sheets[] = {
		/* malformed */
		"<worksheet><sheetData><row><c></row></sheetData></worksheet>",
		/* cut short */
		"<worksheet><sheetData><row r=\"1\">",
		/* billion laughs */
		"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t>"
		"</is></c></row></sheetData></worksheet>",
		/* XXE */
		"<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY x SYSTEM "
		"\"file:///etc/passwd\">]><worksheet><sheetData><row><c "
		"t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData>"
		"</worksheet>",
		/* shared strings out of range, negative, not a number */
		"<worksheet><sheetData><row><c t=\"s\"><v>1</v></c></row>"
		"</sheetData></worksheet>",
		"<worksheet><sheetData><row><c t=\"s\"><v>-1</v></c></row>"
		"</sheetData></worksheet>",
		"<worksheet><sheetData><row><c t=\"s\"><v>0x</v></c></row>"
		"</sheetData></worksheet>",
		/* references that are not cells or rows */
		"<worksheet><sheetData><row><c r=\"1A\"><v>1</v></c></row>"
		"</sheetData></worksheet>",
		"<worksheet><sheetData><row><c r=\"XFE1\"><v>1</v></c></row>"
		"</sheetData></worksheet>",
		"<worksheet><sheetData><row r=\"0\"><c><v>1</v></c></row>"
		"</sheetData></worksheet>",
		"<worksheet><sheetData><row r=\"1048577\"><c><v>1</v></c></row>"
		"</sheetData></worksheet>",
	};
	static const char *const	 no_workbook[] = {
		"[Content_Types].xml", "<Types/>", NULL };
	static const char *const	 no_sheets[] = {
		"xl/workbook.xml", "<workbook><sheets/></workbook>",
		"xl/_rels/workbook.xml.rels", "<Relationships/>", NULL };
	static const char *const	 no_part[] = {
		"xl/workbook.xml", "<workbook><sheets><sheet r:id=\"rId1\"/>"
		"</sheets></workbook>",
		"xl/_rels/workbook.xml.rels", "<Relationships><Relationship "
		"Id=\"rId1\" Type=\"x/worksheet\" Target=\"nowhere.xml\"/>"
		"</Relationships>", NULL };
	static const char *const	 doctype_wb[] = {
		"xl/workbook.xml", "<!DOCTYPE workbook><workbook/>", NULL };
	json_t				*rows;
	unsigned char			*data;
	size_t				 i, len;

	(void)state;
	read_fails("hello", 5, SHEET_XLSX, &lim, 422, "broken-xlsx");
	read_fails("PK\003\004", 4, SHEET_XLSX, &lim, 422, "broken-xlsx");

	rows = load("[]");
	assert_true(sheet_write_xlsx(&doc, rows, tmpdir, &data, &len));
	json_decref(rows);
	read_fails(data, len / 2, SHEET_XLSX, &lim, 422, "broken-xlsx");
	read_fails(data, len - 10, SHEET_XLSX, &lim, 422, "broken-xlsx");
	free(data);

	make_zip(no_workbook, &data, &len);
	read_fails(data, len, SHEET_XLSX, &lim, 422, "broken-xlsx");
	free(data);
	make_zip(no_sheets, &data, &len);
	read_fails(data, len, SHEET_XLSX, &lim, 422, "broken-xlsx");
	free(data);
	make_zip(no_part, &data, &len);
	read_fails(data, len, SHEET_XLSX, &lim, 422, "broken-xlsx");
	free(data);
	make_zip(doctype_wb, &data, &len);
	read_fails(data, len, SHEET_XLSX, &lim, 422, "broken-xlsx");
	free(data);

	for (i = 0; i < sizeof(sheets) / sizeof(sheets[0]); i++) {
		make_xlsx(sheets[i], "<sst><si><t>only</t></si></sst>", NULL,
		    NULL, &data, &len);
		read_fails(data, len, SHEET_XLSX, &lim, 422, "broken-xlsx");
		free(data);
	}
}

static void
test_xlsx_limits(void **state)
{
	struct sheet_limits	 l = lim;
	struct sheet_error	 err;
	unsigned char		*data;
	char			*sheet;
	size_t			 len, i;
	FILE			*f;
	json_t			*got;

	(void)state;
	l.max_rows = 2;
	make_xlsx("<worksheet><sheetData><row><c><v>1</v></c></row><row/>"
	    "<row><c><v>2</v></c></row><row><c><v>3</v></c></row>"
	    "</sheetData></worksheet>", NULL, NULL, NULL, &data, &len);
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-many-rows");
	free(data);

	l = lim;
	l.max_cols = 3;
	make_xlsx("<worksheet><sheetData><row><c r=\"C1\"><v>1</v></c>"
	    "<c r=\"XFD1\" s=\"1\"/></row></sheetData></worksheet>", NULL,
	    NULL, NULL, &data, &len);
	got = read_ok(data, len, SHEET_XLSX, &l);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"\", \"\", \"1\"]}]");
	json_decref(got);
	free(data);
	make_xlsx("<worksheet><sheetData><row><c r=\"D1\"><v>1</v></c>"
	    "</row></sheetData></worksheet>", NULL, NULL, NULL, &data, &len);
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-many-columns");
	free(data);

	/* 3 MB of rows that deflate to a few kB: a small zip bomb. */
	assert_non_null(f = open_memstream(&sheet, &len));
	fputs("<worksheet><sheetData>", f);
	for (i = 0; i < 100000; i++)
		fputs("<row><c><v>1</v></c></row>", f);
	fputs("</sheetData></worksheet>", f);
	assert_int_equal(fclose(f), 0);
	make_xlsx(sheet, NULL, NULL, NULL, &data, &len);
	free(sheet);
	assert_true(len < 100000);
	l = lim;
	l.max_rows = 100000;
	l.max_xml = 1 << 20;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-large");
	assert_null(sheet_read(data, len, SHEET_XLSX, &l, &err));
	assert_non_null(strstr(err.en, "1048576 bytes"));

	/* A zip that understates the size is caught by what inflates. */
	lie(data, len, "xl/worksheets/sheet1.xml", 1000);
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-large");
	l.max_xml = 256 << 20;
	got = read_ok(data, len, SHEET_XLSX, &l);
	assert_int_equal(json_array_size(json_object_get(got, "rows")), 100000);
	json_decref(got);
	free(data);
}

/* A sheet of n rows of ncols cells, each the shared string number 0. */
static char *
shared_sheet(size_t n, size_t ncols)
{
	FILE	*f;
	char	*sheet;
	size_t	 len, i, j;

	assert_non_null(f = open_memstream(&sheet, &len));
	fputs("<worksheet><sheetData>", f);
	for (i = 0; i < n; i++) {
		fputs("<row>", f);
		for (j = 0; j < ncols; j++)
			fputs("<c t=\"s\"><v>0</v></c>", f);
		fputs("</row>", f);
	}
	fputs("</sheetData></worksheet>", f);
	assert_int_equal(fclose(f), 0);
	return (sheet);
}

/*
 * One shared string used by every cell: each use counts its whole text,
 * so 2,000 uses of 1,000 bytes are 2 MB however small the file.
 */
static void
test_xlsx_amplify(void **state)
{
	struct sheet_limits	 l = lim;
	struct sheet_error	 err;
	unsigned char		*data;
	char			*sheet, *sst;
	size_t			 len, i;
	FILE			*f;
	json_t			*got;

	(void)state;
	assert_true(asprintf(&sst, "<sst><si><t>%01000d</t></si></sst>", 7) !=
	    -1);
	sheet = shared_sheet(200, 10);
	make_xlsx(sheet, sst, NULL, NULL, &data, &len);
	free(sheet);
	assert_true(len < 20000);
	l.max_text = 1 << 20;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-much-text");
	assert_null(sheet_read(data, len, SHEET_XLSX, &l, &err));
	assert_non_null(strstr(err.en, "more than 1048576 bytes"));
	assert_non_null(strstr(err.vi, "hơn 1048576 byte"));
	l.max_text = 2000000;
	got = read_ok(data, len, SHEET_XLSX, &l);
	assert_int_equal(json_array_size(json_object_get(got, "rows")), 200);
	json_decref(got);
	l.max_text = 1999999;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-much-text");

	/* Cells are counted too, kept or not. */
	l = lim;
	l.max_cells = 1999;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-many-cells");
	assert_null(sheet_read(data, len, SHEET_XLSX, &l, &err));
	assert_non_null(strstr(err.en, "more than 1999 filled cells"));
	l.max_cells = 2000;
	json_decref(read_ok(data, len, SHEET_XLSX, &l));
	free(data);
	free(sst);

	/* The table itself: its text, and how many strings it holds. */
	sheet = shared_sheet(1, 1);
	assert_non_null(f = open_memstream(&sst, &len));
	fputs("<sst>", f);
	for (i = 0; i < 11; i++)
		fprintf(f, "<si><t>%0100zu</t></si>", i);
	fputs("</sst>", f);
	assert_int_equal(fclose(f), 0);
	make_xlsx(sheet, sst, NULL, NULL, &data, &len);
	l = lim;
	l.max_text = 1099;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-much-text");
	l.max_text = 1100;
	json_decref(read_ok(data, len, SHEET_XLSX, &l));
	l.max_cells = 10;
	read_fails(data, len, SHEET_XLSX, &l, 422, "too-many-cells");
	free(data);
	free(sst);
	free(sheet);
}

/* Keeps the columns whose header is "a" or "c". */
static void
pick_ac(json_t *header, unsigned char *keep, size_t n, void *arg)
{
	const char	*s;
	size_t		 i;

	assert_ptr_equal(arg, &doc);
	for (i = 0; i < n && i < json_array_size(header); i++) {
		s = json_string_value(json_array_get(header, i));
		keep[i] = strcmp(s, "a") == 0 || strcmp(s, "c") == 0;
	}
}

/*
 * sheet_read_cols: after the header, only picked columns are kept; a row
 * of dropped cells stays a row; dropped cells still count.
 */
static void
test_pick(void **state)
{
	static const char	 csv[] = "a,b,c\n1,2,3\n=x,,x\n,y,\n";
	static const char	 want[] = "[{\"row\": 1, \"cells\": [\"a\", "
	    "\"b\", \"c\"]}, {\"row\": 2, \"cells\": [\"1\", \"\", \"3\"]},"
	    " {\"row\": 3, \"cells\": [\"\", \"\", \"x\"], \"problems\":"
	    " [{\"col\": 1, \"code\": \"formula\"}]},"
	    " {\"row\": 4, \"cells\": []}]";
	struct sheet_pick	 pick = { pick_ac, (void *)(uintptr_t)&doc };
	struct sheet_limits	 l = lim;
	struct sheet_error	 err;
	unsigned char		*data;
	size_t			 len;
	json_t			*got;

	(void)state;
	got = sheet_read_cols(csv, sizeof(csv) - 1, SHEET_CSV, &l, &pick,
	    &err);
	assert_non_null(got);
	assert_rows(got, want);
	json_decref(got);
	l.max_cells = 9;
	json_decref(sheet_read_cols(csv, sizeof(csv) - 1, SHEET_CSV, &l,
	    &pick, &err));
	l.max_cells = 8;
	assert_null(sheet_read_cols(csv, sizeof(csv) - 1, SHEET_CSV, &l,
	    &pick, &err));
	assert_string_equal(err.code, "too-many-cells");

	/* XLSX: dropped shared strings count their text, then go. */
	make_xlsx("<worksheet><sheetData><row>"
	    "<c t=\"inlineStr\"><is><t>a</t></is></c>"
	    "<c t=\"inlineStr\"><is><t>b</t></is></c>"
	    "<c t=\"inlineStr\"><is><t>c</t></is></c></row>"
	    "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c>"
	    "<c t=\"s\"><v>0</v></c></row>"
	    "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c>"
	    "<c t=\"s\"><v>0</v></c></row></sheetData></worksheet>",
	    "<sst><si><t>zz</t></si></sst>", NULL, NULL, &data, &len);
	l = lim;
	got = sheet_read_cols(data, len, SHEET_XLSX, &l, &pick, &err);
	assert_non_null(got);
	assert_rows(got, "[{\"row\": 1, \"cells\": [\"a\", \"b\", \"c\"]},"
	    " {\"row\": 2, \"cells\": [\"zz\", \"\", \"zz\"]},"
	    " {\"row\": 3, \"cells\": [\"zz\", \"\", \"zz\"]}]");
	json_decref(got);
	l.max_text = 15;
	json_decref(sheet_read_cols(data, len, SHEET_XLSX, &l, &pick, &err));
	assert_int_equal(err.status, 0);
	l.max_text = 14;
	assert_null(sheet_read_cols(data, len, SHEET_XLSX, &l, &pick, &err));
	assert_string_equal(err.code, "too-much-text");
	free(data);
}

/* 50,000 rows of 18 columns, timed: printed, not asserted. */
static void
test_speed(void **state)
{
	struct sheet_limits	 l = lim;
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	json_t			*got;
	char			*csv, path[128], cell[64];
	unsigned char		*data;
	size_t			 len, i, j;
	double			 t, tcsv, txlsx;

	(void)state;
	l.max_rows = 60000;
	l.max_xml = 256 << 20;

	make_csv(50000, 18, &csv, &len);
	t = now();
	got = read_ok(csv, len, SHEET_CSV, &l);
	tcsv = now() - t;
	assert_int_equal(json_array_size(json_object_get(got, "rows")), 50000);
	json_decref(got);
	free(csv);

	/* As Excel saves: shared strings, rows in one sheet part. */
	snprintf(path, sizeof(path), "%s/big.xlsx", tmpdir);
	assert_non_null(wb = workbook_new(path));
	assert_non_null(ws = workbook_add_worksheet(wb, NULL));
	for (i = 0; i < 50000; i++) {
		for (j = 0; j < 18; j++) {
			if (j == 0)
				snprintf(cell, sizeof(cell), "0%011zu", i);
			else if (j == 1)
				snprintf(cell, sizeof(cell),
				    "Nguyễn Thị Hằng %zu", i);
			else
				snprintf(cell, sizeof(cell), "v%zu", j);
			if (j == 17)
				worksheet_write_number(ws, (lxw_row_t)i, 17,
				    (double)i * 1000, NULL);
			else
				worksheet_write_string(ws, (lxw_row_t)i,
				    (lxw_col_t)j, cell, NULL);
		}
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	slurp(path, &data, &len);
	unlink(path);
	t = now();
	got = read_ok(data, len, SHEET_XLSX, &l);
	txlsx = now() - t;
	assert_int_equal(json_array_size(json_object_get(got, "rows")), 50000);
	json_decref(got);
	free(data);

	print_message("50,000 x 18 read: CSV %.3f s, XLSX %.3f s\n", tcsv,
	    txlsx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_csv_roundtrip),
		cmocka_unit_test(test_csv_clean),
		cmocka_unit_test(test_xlsx_roundtrip),
		cmocka_unit_test(test_xlsx_long_list),
		cmocka_unit_test(test_write_rejects),
		cmocka_unit_test(test_csv_delimiters),
		cmocka_unit_test(test_csv_cells),
		cmocka_unit_test(test_csv_file_errors),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_xlsx_types),
		cmocka_unit_test(test_xlsx_by_hand),
		cmocka_unit_test(test_xlsx_broken),
		cmocka_unit_test(test_xlsx_limits),
		cmocka_unit_test(test_xlsx_amplify),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_speed),
	};

	return (cmocka_run_group_tests_name("sheet", tests, setup,
	    teardown));
}
