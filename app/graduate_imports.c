/*
 * Graduates from a spreadsheet: the registrar's template (one row per
 * graduate, the fields of POST /api/v1/graduates under the same keys) and
 * the upload of a filled-in file. The file is read by the import parser
 * of imports.c; api.graduates_import() then registers every row through
 * api.graduate_create(), the function behind the single POST, so a row
 * is accepted or refused exactly as it would be on its own, and rows that
 * clash with each other (a diploma number twice, one citizen ID with two
 * identities) are caught by the same checks. A dry run (the default)
 * writes nothing but its audit row, and a registrar may make 30 such
 * checks an hour (then 429 with Retry-After, decided in the database by
 * lib.graduates_check_admit); a commit writes every row or none, and the
 * credentials it issues are signed by the pipeline before the answer
 * goes out (EP_SIGNS), as for one graduate.
 */
#include <sys/types.h>

#include "registry.h"

static int	graduates_import(struct http_request *, struct call *);
static void	graduates_imported(struct http_request *, struct call *);
static int	graduate_template(struct http_request *, struct call *);

#define ROLES_GRADUATES	(ROLE_ADMIN | ROLE_REGISTRAR)

static const char *const	sexes[] = { "male", "female", NULL };
static const char *const	levels[] = { "so_cap", "trung_cap", "cao_dang",
				    "dai_hoc", "thac_si", "tien_si", NULL };
static const char *const	fields[] = { "social_work", "sociology",
				    "psychology", "special_education",
				    "related_social_science", "other", NULL };

static const struct sheet_column	graduate_columns[] = {
	{ "full_name", "Họ và tên", "Full name",
	    "Bắt buộc. Họ, đệm và tên như trên văn bằng, ví dụ Nguyễn Thị Mai.",
	    "Required. Family, middle and given names, as on the diploma.",
	    NULL, 1, 28 },
	{ "citizen_id", "Số định danh cá nhân", "Citizen ID",
	    "Bắt buộc. 12 chữ số (số CCCD); giữ nguyên số 0 ở đầu.",
	    "Required. 12 digits; keep the leading zeros.", NULL, 1, 16 },
	{ "birth_date", "Ngày sinh", "Birth date",
	    "Bắt buộc. YYYY-MM-DD hoặc DD/MM/YYYY.",
	    "Required. YYYY-MM-DD or DD/MM/YYYY.", NULL, 1, 12 },
	{ "sex", "Giới tính", "Sex", "Bắt buộc. male (nam) hoặc female (nữ).",
	    "Required. male or female.", sexes, 1, 9 },
	{ "programme_code", "Mã ngành đào tạo", "Programme code",
	    "Bắt buộc. 7 chữ số theo danh mục ngành, ví dụ 7760101 (Công tác "
	    "xã hội).",
	    "Required. The programme's 7-digit code, e.g. 7760101 (social "
	    "work).", NULL, 1, 12 },
	{ "programme_name", "Tên ngành đào tạo", "Programme name",
	    "Không bắt buộc, ví dụ Công tác xã hội.",
	    "Optional, e.g. Công tác xã hội.", NULL, 1, 24 },
	{ "level", "Trình độ", "Level",
	    "Bắt buộc. so_cap (sơ cấp), trung_cap (trung cấp), cao_dang (cao "
	    "đẳng), dai_hoc (đại học), thac_si (thạc sĩ), tien_si (tiến sĩ).",
	    "Required. so_cap, trung_cap, cao_dang, dai_hoc (bachelor), "
	    "thac_si (master) or tien_si (doctorate).", levels, 1, 11 },
	{ "field", "Lĩnh vực", "Field",
	    "Bắt buộc. social_work (công tác xã hội), sociology (xã hội học), "
	    "psychology (tâm lý học), special_education (giáo dục đặc biệt), "
	    "related_social_science (khoa học xã hội liên quan), other (ngành "
	    "khác).",
	    "Required. social_work, sociology, psychology, special_education, "
	    "related_social_science or other.", fields, 1, 20 },
	{ "graduation_date", "Ngày tốt nghiệp", "Graduation date",
	    "Bắt buộc. Ngày cấp văn bằng, không sau hôm nay; YYYY-MM-DD hoặc "
	    "DD/MM/YYYY.",
	    "Required. The day the degree was awarded, not after today; "
	    "YYYY-MM-DD or DD/MM/YYYY.", NULL, 1, 14 },
	{ "diploma_number", "Số hiệu văn bằng", "Diploma number",
	    "Bắt buộc. Số hiệu in trên văn bằng; không trùng với văn bằng khác "
	    "của cơ sở đào tạo.",
	    "Required. The number printed on the diploma; unique within the "
	    "institution.", NULL, 1, 18 },
};

#define GRADUATE_NCOLS	(sizeof(graduate_columns) / sizeof(graduate_columns[0]))

static const char *const	graduate_example[GRADUATE_NCOLS] = {
	"Nguyễn Thị Hồng Nhung", "001301012345", "2001-03-04", "female",
	"7760101", "Công tác xã hội", "dai_hoc", "social_work", "2025-06-30",
	"CTXH-2025-0001",
};

static const struct sheet_doc	graduate_sheet = {
	"Người tốt nghiệp", "Hướng dẫn - Guide", graduate_columns,
	GRADUATE_NCOLS, graduate_example
};

/* Every field api.graduate_create() requires. */
static const char *const	graduate_required[] = { "full_name",
				    "citizen_id", "birth_date", "sex",
				    "programme_code", "level", "field",
				    "graduation_date", "diploma_number", NULL };

static const struct import_kind	graduate_kind = {
	&graduate_sheet, graduate_required,
	"/api/v1/imports/templates/graduates", "mau-nhap-tot-nghiep"
};

static const struct endpoint	imports_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_GRADUATES, BODY_FILE_MAX,
	    graduates_import, graduates_imported, EP_RAW_BODY | EP_SIGNS },
};

static const struct endpoint	template_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_GRADUATES, BODY_NONE,
	    graduate_template, NULL, 0 },
};

int
graduate_imports_route(struct http_request *req)
{
	return (api_run(req, imports_eps, 1));
}

int
graduate_template_route(struct http_request *req)
{
	return (api_run(req, template_eps, 1));
}

/*
 * POST /api/v1/graduates/imports: the file as for POST /api/v1/imports.
 * ?commit=true writes; anything else is a dry run. Administrators name
 * the institution (?institution=, its code or id); a registrar's is its
 * own. The file's name travels in the payload, for the report and the
 * audit.
 */
static int
graduates_import(struct http_request *req, struct call *call)
{
	char		filename[128];
	int		commit, format;

	if (!import_commit_arg(req, &commit) ||
	    !param_code(req, call, 2, "institution", 32) ||
	    !import_upload(req, call, &graduate_kind, 4, &format, filename,
	    sizeof(filename)))
		return (PREPARE_RESPONDED);

	call_write(call, "SELECT api.graduates_import($1, $2, $3, $4, "
	    "$5::jsonb || jsonb_build_object('filename', $6::text))", 6);
	call_param(call, 3, commit ? "true" : "false");
	call_param(call, 5, filename[0] != '\0' ? filename : NULL);
	return (PREPARE_QUERY);
}

/*
 * A dry run or a refused commit (200 or 422). A written commit never
 * comes here: its answer carries credentials to sign, and the pipeline
 * answers it itself once they are signed, with call->status (200).
 */
static void
graduates_imported(struct http_request *req, struct call *call)
{
	json_t		*result;

	if ((result = import_result(req, call)) == NULL)
		return;
	import_report(req, call, result,
	    json_is_true(json_object_get(result, "written")));
	json_decref(result);
}

static int
graduate_template(struct http_request *req, struct call *call)
{
	(void)call;
	return (import_template_send(req, &graduate_kind));
}
