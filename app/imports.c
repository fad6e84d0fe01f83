/*
 * The people spreadsheet: its columns (shared by the template, the import
 * and the export), the upload of a filled-in file, and the worker that
 * checks large uploads a chunk at a time.
 *
 * An upload is parsed on a task thread into rows of named values, plus the
 * problems only the file shows (formula cells, oversized cells, bad UTF-8,
 * a citizen ID with an unknown prefix); the database checks the rest and
 * writes all rows or none. Files of up to a few thousand rows are checked
 * within the request; larger ones answer 202 and are checked by the
 * import worker, which every server worker runs on a timer.
 *
 * The upload, the parser, the template and the report's answer serve any
 * kind of import (struct import_kind: a sheet and its required columns);
 * graduate_imports.c is the other kind.
 */
#include <sys/types.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry.h"
#include "cccd.h"
#include "jobs.h"
#include "validate.h"

static int	import_create(struct http_request *, struct call *);
static void	import_created(struct http_request *, struct call *);
static int	import_get(struct http_request *, struct call *);
static int	import_template(struct http_request *, struct call *);
static int	import_read_upload(struct http_request *, unsigned char **,
		    size_t *, char *, size_t);
static int	import_parse(struct work *);
static void	import_pick(json_t *, unsigned char *, size_t, void *);
static char	*import_payload(struct work *, json_t *);
static int	header_map(struct work *, json_t *, int *, size_t);
static int	header_column(const struct sheet_doc *, const char *);
static int	is_comment_row(json_t *);
static json_t	*row_values(const struct sheet_doc *, json_t *, const int *,
		    size_t);
static json_t	*row_problems(const struct sheet_doc *, json_t *, json_t *,
		    const int *, size_t);
static json_t	*problem(const char *, const char *, const char *,
		    const char *);

#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)
#define COLS_MAX	64
#define PAYLOAD_MAX	(64 * 1024 * 1024)	/* JSON bytes to the database */

static const char *const	sexes[] = { "male", "female", NULL };
static const char *const	categories[] = { "professional", "commune_post",
				    "concurrent", "collaborator", "volunteer",
				    NULL };
static const char *const	titles[] = { "V.09.04.01", "V.09.04.02",
				    "V.09.04.03", NULL };
static const char *const	end_reasons[] = { "resigned", "rotated",
				    "transferred", "retired",
				    "contract_ended", "dismissed", "deceased",
				    "other", NULL };

static const struct sheet_column	people_columns[] = {
	{ "full_name", "Họ và tên", "Full name",
	    "Bắt buộc. Họ, đệm và tên, ví dụ Nguyễn Thị Mai.",
	    "Required. Family, middle and given names.", NULL, 1, 28 },
	{ "citizen_id", "Số định danh cá nhân", "Citizen ID",
	    "Bắt buộc. 12 chữ số (số CCCD); giữ nguyên số 0 ở đầu.",
	    "Required. 12 digits; keep the leading zeros.", NULL, 1, 16 },
	{ "sex", "Giới tính", "Sex", "Bắt buộc. male (nam) hoặc female (nữ).",
	    "Required. male or female.", sexes, 1, 9 },
	{ "birth_date", "Ngày sinh", "Birth date",
	    "Bắt buộc. YYYY-MM-DD hoặc DD/MM/YYYY.",
	    "Required. YYYY-MM-DD or DD/MM/YYYY.", NULL, 1, 12 },
	{ "phone", "Điện thoại", "Phone", "8–15 chữ số, có thể có + ở đầu.",
	    "8–15 digits, optionally after a +.", NULL, 1, 14 },
	{ "email", "Thư điện tử", "Email", "Không bắt buộc.", "Optional.",
	    NULL, 1, 24 },
	{ "ethnicity", "Dân tộc", "Ethnicity", "Không bắt buộc, ví dụ Kinh, Tày.",
	    "Optional, e.g. Kinh, Tày.", NULL, 1, 10 },
	{ "work_unit_id", "Mã đơn vị công tác", "Work unit id",
	    "Mã số đơn vị trong hệ thống; hoặc để trống và ghi tên đơn vị cùng mã xã.",
	    "The unit's id in the registry; or leave empty and give its name "
	    "and commune code.", NULL, 0, 10 },
	{ "work_unit_name", "Tên đơn vị công tác", "Work unit name",
	    "Tên đơn vị đúng như trong hệ thống (khi không ghi mã đơn vị).",
	    "The unit's name as registered (when no id is given).", NULL, 1, 30 },
	{ "commune_code", "Mã xã/phường", "Commune code",
	    "5 chữ số, mã xã/phường hiện hành của đơn vị.",
	    "5 digits: the unit's current commune code.", NULL, 1, 10 },
	{ "category", "Loại nhân sự", "Category",
	    "professional (chuyên trách), commune_post (cán bộ xã), concurrent "
	    "(kiêm nhiệm), collaborator (cộng tác viên), volunteer (tình nguyện).",
	    "professional, commune_post, concurrent, collaborator or volunteer.",
	    categories, 1, 14 },
	{ "fte", "Tỷ lệ thời gian (FTE)", "FTE",
	    "Lớn hơn 0, tối đa 1; ví dụ 1 hoặc 0,5.",
	    "More than 0, at most 1; e.g. 1 or 0.5.", NULL, 0, 8 },
	{ "allowance_vnd", "Phụ cấp (đồng/tháng)", "Monthly allowance (VND)",
	    "Chỉ với cộng tác viên; số đồng nguyên.",
	    "Collaborators only; whole dong.", NULL, 0, 14 },
	{ "title_code", "Mã chức danh nghề nghiệp", "Title code",
	    "V.09.04.01, V.09.04.02 hoặc V.09.04.03; để trống nếu không có.",
	    "V.09.04.01, V.09.04.02 or V.09.04.03; empty if none.", titles, 1,
	    12 },
	{ "position", "Vị trí, chức vụ", "Position", "Không bắt buộc.",
	    "Optional.", NULL, 1, 20 },
	{ "start_date", "Ngày bắt đầu", "Start date",
	    "Bắt buộc khi có phân công. YYYY-MM-DD hoặc DD/MM/YYYY.",
	    "Required with an assignment. YYYY-MM-DD or DD/MM/YYYY.", NULL, 1,
	    12 },
	{ "end_date", "Ngày kết thúc", "End date",
	    "Để trống nếu còn làm; có ngày thì phải có lý do.",
	    "Empty while it lasts; with a date, give the reason.", NULL, 1, 12 },
	{ "end_reason", "Lý do kết thúc", "End reason",
	    "resigned, rotated (luân chuyển), transferred, retired, "
	    "contract_ended, dismissed, deceased, other.",
	    "resigned, rotated, transferred, retired, contract_ended, "
	    "dismissed, deceased or other.", end_reasons, 1, 14 },
};

#define PEOPLE_NCOLS	(sizeof(people_columns) / sizeof(people_columns[0]))

static const char *const	people_example[PEOPLE_NCOLS] = {
	"Nguyễn Thị Mai", "022185001234", "female", "1985-03-04",
	"0912345678", "mai.nt@example.vn", "Kinh", "", "Phòng CTXH phường Hạ Long",
	"06652", "professional", "1", "", "V.09.04.02", "Chuyên viên",
	"2020-01-01", "", "",
};

const struct sheet_doc	people_sheet = {
	"Danh sách", "Hướng dẫn - Guide", people_columns, PEOPLE_NCOLS,
	people_example
};

static const char *const	people_required[] = { "full_name", "citizen_id",
				    "sex", "birth_date", NULL };

static const struct import_kind	people_kind = {
	&people_sheet, people_required, "/api/v1/imports/templates/people",
	"mau-nhap-nhan-su"
};

/*
 * A full file of 100,000 rows of the template's 18 columns is 1.8 million
 * cells and, at the 50,000-row benchmark's 180 bytes a row, 18 MB of text.
 */
static const struct sheet_limits	import_limits = {
	100000,			/* rows */
	COLS_MAX,		/* columns */
	4096,			/* bytes in a cell: no field is longer */
	256 * 1024 * 1024,	/* uncompressed bytes of an XLSX part */
	3000000,		/* non-empty cells, in every column */
	32 * 1024 * 1024	/* bytes of cell text, shared strings expanded */
};

static const struct endpoint	imports_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_FILE_MAX,
	    import_create, import_created, EP_RAW_BODY },
};

static const struct endpoint	import_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_WRITE, BODY_NONE, import_get,
	    NULL },
};

static const struct endpoint	template_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_WRITE, BODY_NONE, import_template,
	    NULL },
};

int
imports_route(struct http_request *req)
{
	return (api_run(req, imports_eps, 1));
}

int
import_route(struct http_request *req)
{
	return (api_run(req, import_eps, 1));
}

int
import_template_route(struct http_request *req)
{
	return (api_run(req, template_eps, 1));
}

/*
 * POST /api/v1/imports: the file is the body (text/csv or the XLSX type),
 * or the "file" field of a multipart form. ?commit=true writes; anything
 * else is a dry run. Administrators name the province (?province=).
 */
static int
import_create(struct http_request *req, struct call *call)
{
	char		filename[128];
	int		commit, format;

	if (!import_commit_arg(req, &commit) ||
	    !param_code(req, call, 2, "province", 2) ||
	    !import_upload(req, call, &people_kind, 6, &format, filename,
	    sizeof(filename)))
		return (PREPARE_RESPONDED);

	call_write(call, "SELECT api.import_create($1, $2, $3, $4, $5, $6, $7)",
	    7);
	call_param(call, 3, filename[0] != '\0' ? filename : NULL);
	call_param(call, 4, format == SHEET_XLSX ? "xlsx" : "csv");
	call_param(call, 5, commit ? "true" : "false");
	return (PREPARE_QUERY);
}

/* ?commit=true or false (the default); anything else is answered 400. */
int
import_commit_arg(struct http_request *req, int *commit)
{
	const char	*v;

	*commit = 0;
	if (api_query_arg(req, "commit", &v) && !valid_bool(v, commit)) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "commit phải là true hoặc false.",
		    "commit must be true or false.", "commit");
		return (0);
	}
	return (1);
}

/*
 * Reads the uploaded file and has it parsed, as a kind of import, on a
 * task thread into parameter i of the call. Says which format the content
 * is and the file's name ("" when none was given). Returns 0 when it
 * answered a problem instead.
 */
int
import_upload(struct http_request *req, struct call *call,
    const struct import_kind *kind, int i, int *format, char *filename,
    size_t namelen)
{
	struct work	*w;
	unsigned char	*data;
	size_t		len;

	if (!import_read_upload(req, &data, &len, filename, namelen))
		return (0);
	if ((*format = sheet_sniff(data, len)) == 0) {
		free(data);
		api_problem(req, HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE,
		    "unsupported-type",
		    "Tệp phải là CSV (UTF-8) hoặc XLSX.",
		    "The file must be CSV (UTF-8) or XLSX.", "file");
		return (0);
	}
	w = work_new(import_parse);
	w->in = data;
	w->inlen = len;
	w->format = *format;
	w->kind = kind;
	call_work_before(call, w, i);
	return (1);
}

/*
 * Reads the uploaded file into a malloc'd buffer. The declared type only
 * has to be one a spreadsheet may come as; the content decides the format.
 */
static int
import_read_upload(struct http_request *req, unsigned char **out,
    size_t *outlen, char *filename, size_t namelen)
{
	struct http_file	*file;
	const char		*ctype, *v;
	unsigned char		*data;
	size_t			len, off;
	ssize_t			ret;

	filename[0] = '\0';
	*out = NULL;
	if (!http_request_header(req, "content-type", &ctype))
		ctype = "";
	file = NULL;
	if (strncasecmp(ctype, "multipart/form-data", 19) == 0) {
		http_populate_multipart_form(req);
		if ((file = http_file_lookup(req, "file")) == NULL) {
			api_problem(req, HTTP_STATUS_BAD_REQUEST, "file-required",
			    "Biểu mẫu phải có trường tệp tên \"file\".",
			    "The form must carry the file in a field named "
			    "\"file\".", "file");
			return (0);
		}
		len = file->length;
		if (file->filename != NULL)
			(void)snprintf(filename, namelen, "%s", file->filename);
	} else if (strncasecmp(ctype, "text/csv", 8) == 0 ||
	    strncasecmp(ctype, "application/csv", 15) == 0 ||
	    strncasecmp(ctype, "text/plain", 10) == 0 ||
	    strncasecmp(ctype, XLSX_TYPE, strlen(XLSX_TYPE)) == 0 ||
	    strncasecmp(ctype, "application/octet-stream", 24) == 0) {
		len = req->http_body_length;
		if (api_query_arg(req, "filename", &v))
			(void)snprintf(filename, namelen, "%s", v);
	} else {
		api_problem(req, HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE,
		    "unsupported-media-type",
		    "Gửi tệp dưới dạng text/csv, XLSX hoặc multipart/form-data.",
		    "Send the file as text/csv, XLSX or multipart/form-data.",
		    NULL);
		return (0);
	}
	if (len == 0) {
		api_problem(req, 422, "empty-file", "Tệp rỗng.",
		    "The file is empty.", "file");
		return (0);
	}

	if ((data = malloc(len)) == NULL)
		fatal("import_read_upload: out of memory");
	for (off = 0; off < len; off += (size_t)ret) {
		if (file != NULL)
			ret = http_file_read(file, data + off, len - off);
		else
			ret = http_body_read(req, data + off, len - off);
		if (ret <= 0)
			break;
	}
	if (off != len) {
		free(data);
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "body-unreadable",
		    "Không đọc được tệp tải lên.",
		    "The uploaded file could not be read.", "file");
		return (0);
	}
	*out = data;
	*outlen = len;
	return (1);
}

/*
 * 202 with the import to watch while a large file is checked; 422 when a
 * commit was refused for the problems the report lists; 200 otherwise.
 */
static void
import_created(struct http_request *req, struct call *call)
{
	json_t		*result;
	const char	*status;
	char		location[64];

	if ((result = import_result(req, call)) == NULL)
		return;
	status = json_string_value(json_object_get(result, "status"));
	if (status != NULL && strcmp(status, "done") != 0) {
		(void)snprintf(location, sizeof(location), "/api/v1/imports/%lld",
		    (long long)json_integer_value(json_object_get(result, "id")));
		http_response_header(req, "location", location);
		api_json(req, HTTP_STATUS_ACCEPTED, call->result,
		    strlen(call->result));
	} else {
		import_report(req, call, result,
		    json_is_true(json_object_get(json_object_get(result,
		    "summary"), "written")));
	}
	json_decref(result);
}

/*
 * The report the database answered, parsed; NULL when there is none (the
 * pipeline or this answered the failure).
 */
json_t *
import_result(struct http_request *req, struct call *call)
{
	json_t		*result;

	if (call->db_failed || call->result == NULL) {
		if (call->result == NULL && !call->db_failed)
			api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
			    "Lỗi hệ thống.", "Internal error.", NULL);
		return (NULL);
	}
	if ((result = json_loads(call->result, 0, NULL)) == NULL)
		fatal("import_result: database answered bad JSON");
	return (result);
}

/*
 * Answers a finished import: 422 import-has-problems, with the report as
 * its "import" member, when a commit was asked and not written; 200 with
 * the report otherwise.
 */
void
import_report(struct http_request *req, struct call *call, json_t *result,
    int written)
{
	json_t		*problem_body;
	char		*out;
	int		code, en;

	if (json_is_true(json_object_get(result, "commit")) && !written) {
		en = api_lang_en(req);
		code = 422;
		problem_body = json_pack("{s:s, s:s, s:i, s:s, s:s, s:O}",
		    "type", "/problems/import-has-problems",
		    "title", en ? "Unprocessable content" : "Không xử lý được",
		    "status", code,
		    "detail", en ? "Nothing was written: the report lists the "
		    "problems to fix first." : "Chưa ghi gì: hãy sửa các lỗi "
		    "trong báo cáo rồi nhập lại.",
		    "code", "import-has-problems", "import", result);
		if (problem_body == NULL ||
		    (out = json_dumps(problem_body, JSON_COMPACT)) == NULL)
			fatal("import_report: json");
		json_decref(problem_body);
		http_response_header(req, "content-type",
		    "application/problem+json; charset=utf-8");
		api_log(req, code);
		http_response(req, code, out, strlen(out));
		free(out);
	} else {
		api_json(req, HTTP_STATUS_OK, call->result, strlen(call->result));
	}
}

static int
import_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.import_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
import_template(struct http_request *req, struct call *call)
{
	(void)call;
	return (import_template_send(req, &people_kind));
}

/* A kind's empty template, in the format the path ends with. */
int
import_template_send(struct http_request *req, const struct import_kind *kind)
{
	json_t		*none;
	unsigned char	*xlsx;
	char		*csv, name[64];
	size_t		len;
	int		ok;

	none = json_array();
	if (strstr(req->path, ".xlsx") != NULL) {
		(void)snprintf(name, sizeof(name), "%s.xlsx",
		    kind->template_file);
		ok = sheet_write_xlsx(kind->doc, none, registry_tmpdir, &xlsx,
		    &len);
		if (ok)
			api_file(req, XLSX_TYPE, name, xlsx, len);
		free(ok ? xlsx : NULL);
	} else {
		(void)snprintf(name, sizeof(name), "%s.csv",
		    kind->template_file);
		ok = sheet_write_csv(kind->doc, none, &csv, &len);
		if (ok)
			api_file(req, "text/csv; charset=utf-8", name, csv,
			    len);
		free(ok ? csv : NULL);
	}
	json_decref(none);
	if (!ok)
		api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
	return (PREPARE_RESPONDED);
}

static json_t *
problem(const char *field, const char *code, const char *vi, const char *en)
{
	json_t		*p;

	if ((p = json_pack("{s:s, s:s, s:s, s:s}", "field", field, "code", code,
	    "vi", vi, "en", en)) == NULL)
		fatal("problem: json_pack");
	return (p);
}

/* The column a header cell names (key, Vietnamese or English), or -1. */
static int
header_column(const struct sheet_doc *doc, const char *text)
{
	size_t		i;

	while (isspace((unsigned char)*text))
		text++;
	for (i = 0; i < doc->ncols && i < COLS_MAX; i++) {
		if (strcasecmp(text, doc->cols[i].key) == 0 ||
		    strcmp(text, doc->cols[i].header_vi) == 0 ||
		    strcasecmp(text, doc->cols[i].header_en) == 0)
			return ((int)i);
	}
	return (-1);
}

/*
 * Maps the header row's cells to the kind's columns (map[cell] = column
 * or -1) and refuses files that miss a required column or name one twice.
 */
static int
header_map(struct work *w, json_t *header, int *map, size_t ncells)
{
	const struct sheet_doc	*doc = w->kind->doc;
	const char		*s;
	int			seen[COLS_MAX];
	char			vi[256], en[256];
	size_t			i, found;
	int			c;

	memset(seen, 0, sizeof(seen));
	found = 0;
	for (i = 0; i < ncells; i++) {
		s = json_string_value(json_array_get(header, i));
		map[i] = header_column(doc, s != NULL ? s : "");
		if (map[i] < 0)
			continue;
		if (seen[map[i]]++) {
			work_fail(w, 422, "duplicate-column",
			    "Tiêu đề có một cột xuất hiện hai lần.",
			    "A column appears twice in the header.",
			    doc->cols[map[i]].key);
			return (0);
		}
		found++;
	}
	if (found == 0) {
		(void)snprintf(vi, sizeof(vi), "Dòng đầu phải là tiêu đề cột "
		    "của mẫu nhập (tải mẫu tại %s.xlsx).",
		    w->kind->template_path);
		(void)snprintf(en, sizeof(en), "The first row must hold the "
		    "template's column headers (see %s.xlsx).",
		    w->kind->template_path);
		work_fail(w, 422, "no-header", vi, en, "file");
		return (0);
	}
	for (i = 0; w->kind->required[i] != NULL; i++) {
		c = header_column(doc, w->kind->required[i]);
		if (c < 0 || !seen[c]) {
			work_fail(w, 422, "missing-column",
			    "Tệp thiếu một cột bắt buộc.",
			    "The file lacks a required column.",
			    w->kind->required[i]);
			return (0);
		}
	}
	return (1);
}

/* A row whose first non-empty cell starts with '#' is a comment. */
static int
is_comment_row(json_t *cells)
{
	const char	*s;
	size_t		i;

	for (i = 0; i < json_array_size(cells); i++) {
		s = json_string_value(json_array_get(cells, i));
		if (s == NULL || *s == '\0')
			continue;
		return (*s == '#');
	}
	return (0);
}

static json_t *
row_values(const struct sheet_doc *doc, json_t *cells, const int *map,
    size_t nmap)
{
	json_t		*values;
	const char	*s;
	size_t		i;

	values = json_object();
	for (i = 0; i < json_array_size(cells) && i < nmap; i++) {
		s = json_string_value(json_array_get(cells, i));
		if (map[i] < 0 || s == NULL || *s == '\0')
			continue;
		(void)json_object_set_new(values, doc->cols[map[i]].key,
		    json_string(s));
	}
	return (values);
}

/*
 * The problems the reader found in mapped cells, in words, plus a citizen
 * ID (in a sheet that has one) whose prefix is neither a province nor a
 * country. Its other checks (length, birth year and sex) are the
 * database's, like every field's.
 */
static json_t *
row_problems(const struct sheet_doc *doc, json_t *row, json_t *values,
    const int *map, size_t nmap)
{
	json_t			*out, *p;
	const char		*code, *id, *key;
	size_t			i;
	json_int_t		col;
	enum cccd_result	r;

	out = json_array();
	json_array_foreach(json_object_get(row, "problems"), i, p) {
		col = json_integer_value(json_object_get(p, "col"));
		code = json_string_value(json_object_get(p, "code"));
		/* The reader counts columns from 1. */
		if (col < 1 || (size_t)col > nmap || map[col - 1] < 0 ||
		    code == NULL)
			continue;
		key = doc->cols[map[col - 1]].key;
		if (strcmp(code, "formula") == 0)
			(void)json_array_append_new(out, problem(key, code,
			    "Ô chứa công thức; hãy dán giá trị thay cho công thức.",
			    "The cell holds a formula; paste the value instead."));
		else if (strcmp(code, "cell-too-long") == 0)
			(void)json_array_append_new(out, problem(key, code,
			    "Nội dung ô quá dài (tối đa 4096 byte).",
			    "The cell is too long (at most 4096 bytes)."));
		else if (strcmp(code, "error-value") == 0)
			(void)json_array_append_new(out, problem(key, code,
			    "Ô chứa giá trị lỗi của Excel (như #N/A); hãy nhập "
			    "giá trị đúng.",
			    "The cell holds an Excel error (such as #N/A); enter "
			    "the real value."));
		else
			(void)json_array_append_new(out, problem(key, code,
			    "Ô có ký tự không phải UTF-8; hãy lưu tệp dạng "
			    "CSV UTF-8.",
			    "The cell is not UTF-8; save the file as CSV UTF-8."));
	}
	id = json_string_value(json_object_get(values, "citizen_id"));
	if (id != NULL && (r = cccd_check(id, 0, 0)) == CCCD_PREFIX)
		(void)json_array_append_new(out, problem("citizen_id",
		    cccd_code(r), cccd_message_vi(r), cccd_message_en(r)));
	return (out);
}

/*
 * Runs on a task thread: the uploaded file, read as w->kind's sheet, into
 * the JSON payload the import functions take (api.import_create(),
 * api.graduates_import()): {"rows": [{"row", "values", "problems"}],
 * "file_problems": [...]}. The first row is the header; a second row of
 * column keys (as the template has) and comment rows are skipped.
 */
static int
import_parse(struct work *w)
{
	const struct sheet_doc	*sheet = w->kind->doc;
	struct sheet_pick	pick;
	struct sheet_error	err;
	json_t			*doc, *rows, *payload, *out, *ignored, *row;
	json_t			*cells;
	const char		*s;
	int			map[COLS_MAX];
	size_t			i, n, ncells, matched;

	memset(&err, 0, sizeof(err));
	pick.fn = import_pick;
	pick.arg = (void *)(uintptr_t)sheet;
	if ((doc = sheet_read_cols(w->in, w->inlen, w->format, &import_limits,
	    &pick, &err)) == NULL) {
		work_fail(w, err.status, err.code, err.vi, err.en, "file");
		return (0);
	}
	rows = json_object_get(doc, "rows");
	payload = NULL;
	if (json_array_size(rows) == 0) {
		work_fail(w, 422, "no-rows", "Tệp không có dòng nào.",
		    "The file has no rows.", "file");
		goto out;
	}

	cells = json_object_get(json_array_get(rows, 0), "cells");
	ncells = json_array_size(cells);
	if (ncells > COLS_MAX)
		ncells = COLS_MAX;
	if (!header_map(w, cells, map, ncells))
		goto out;
	ignored = json_array();
	for (i = 0; i < ncells; i++) {
		s = json_string_value(json_array_get(cells, i));
		if (map[i] < 0 && s != NULL && *s != '\0')
			(void)json_array_append_new(ignored, json_pack(
			    "{s:s, s:s, s:s, s:s}", "code", "ignored-column",
			    "column", s, "vi", "Cột này không thuộc mẫu nhập và "
			    "được bỏ qua.", "en", "This column is not in the "
			    "template and was ignored."));
	}

	/* The template's second header row holds the column keys. */
	n = 1;
	cells = json_object_get(json_array_get(rows, 1), "cells");
	matched = 0;
	for (i = 0; i < json_array_size(cells) && i < COLS_MAX; i++) {
		s = json_string_value(json_array_get(cells, i));
		if (s != NULL && header_column(sheet, s) >= 0)
			matched++;
	}
	if (matched >= 3)
		n = 2;

	out = json_array();
	for (; n < json_array_size(rows); n++) {
		row = json_array_get(rows, n);
		cells = json_object_get(row, "cells");
		if (is_comment_row(cells))
			continue;
		payload = row_values(sheet, cells, map, ncells);
		(void)json_array_append_new(out, json_pack("{s:O, s:o, s:o}",
		    "row", json_object_get(row, "row"), "values", payload,
		    "problems", row_problems(sheet, row, payload, map, ncells)));
	}
	payload = json_pack("{s:o, s:o}", "rows", out, "file_problems",
	    ignored);
	if (payload == NULL) {
		work_fail(w, 500, "internal", "Lỗi hệ thống.", "Internal error.",
		    NULL);
		goto out;
	}
	w->out = import_payload(w, payload);

out:
	json_decref(payload);
	json_decref(doc);
	return (w->out != NULL);
}

/*
 * Only the columns the header names are read on: the others are counted
 * against the limits and dropped, so what memory holds is what the
 * import can use. arg is the kind's sheet.
 */
static void
import_pick(json_t *header, unsigned char *keep, size_t n, void *arg)
{
	const struct sheet_doc	*doc = arg;
	const char		*s;
	size_t			 i;

	for (i = 0; i < n && i < json_array_size(header) && i < COLS_MAX;
	    i++) {
		s = json_string_value(json_array_get(header, i));
		keep[i] = s != NULL && header_column(doc, s) >= 0;
	}
}

/*
 * The payload as the text the database is sent, or NULL (w failed) when
 * it would be more than PAYLOAD_MAX bytes: measured first, so an
 * oversized one is never held in memory as text.
 */
static char *
import_payload(struct work *w, json_t *payload)
{
	char		vi[256], en[256], *text;
	size_t		n;

	if ((n = json_dumpb(payload, NULL, 0, JSON_COMPACT)) == 0) {
		work_fail(w, 500, "internal", "Lỗi hệ thống.", "Internal error.",
		    NULL);
		return (NULL);
	}
	if (n > PAYLOAD_MAX) {
		(void)snprintf(vi, sizeof(vi), "Dữ liệu đọc từ tệp quá lớn "
		    "(hơn %d byte). Hãy chia thành nhiều tệp nhỏ hơn.",
		    PAYLOAD_MAX);
		(void)snprintf(en, sizeof(en), "The data read from the file is "
		    "too large (more than %d bytes). Split it into smaller "
		    "files.", PAYLOAD_MAX);
		work_fail(w, 422, "import-too-large", vi, en, "file");
		return (NULL);
	}
	if ((text = malloc(n + 1)) == NULL)
		fatal("import_payload: out of memory");
	if (json_dumpb(payload, text, n, JSON_COMPACT) != n)
		fatal("import_payload: json_dumpb");
	text[n] = '\0';
	w->outlen = n;
	return (text);
}

/*
 * Runs on a task thread: the export's JSON (an array of row objects keyed
 * like the columns) into the file the client asked for.
 */
int
people_sheet_write(struct work *w)
{
	struct sheet_doc	doc = people_sheet;
	json_t		*objects, *rows, *row, *obj;
	size_t		i, c;
	struct tm	tm;
	time_t		now;
	char		day[16];
	int		ok;

	if ((objects = json_loadb((const char *)w->in, w->inlen, 0,
	    NULL)) == NULL)
		return (0);
	rows = json_array();
	json_array_foreach(objects, i, obj) {
		row = json_array();
		for (c = 0; c < PEOPLE_NCOLS; c++)
			(void)json_array_append(row, json_object_get(obj,
			    people_columns[c].key) != NULL ?
			    json_object_get(obj, people_columns[c].key) :
			    json_null());
		(void)json_array_append_new(rows, row);
	}
	json_decref(objects);

	/* An export is data only: no example row. */
	doc.example = NULL;
	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (w->format == SHEET_XLSX) {
		ok = sheet_write_xlsx(&doc, rows, registry_tmpdir,
		    (unsigned char **)&w->out, &w->outlen);
		w->ctype = XLSX_TYPE;
		(void)snprintf(w->filename, sizeof(w->filename),
		    "nhan-su-%s.xlsx", day);
	} else {
		ok = sheet_write_csv(&doc, rows, &w->out, &w->outlen);
		w->ctype = "text/csv; charset=utf-8";
		(void)snprintf(w->filename, sizeof(w->filename),
		    "nhan-su-%s.csv", day);
	}
	json_decref(rows);
	return (ok);
}

/* Every worker checks for queued imports once a second. */
static struct job	import_job = {
	.name = "import worker",
	.query = "SELECT api.import_work()",
	.interval = 1000,
};

void
import_worker_start(void)
{
	job_start(&import_job);
}
