/*
 * Indicators and gaps: the indicator sheet, indicator values for any
 * scope and date, the per-commune gap and turnover flags of a province
 * (as JSON, CSV or XLSX) and of one commune. Computed by PostgreSQL
 * (sql/api/80_indicators.sql), today's from a summary kept exact at every
 * commit (85_today.sql) that the keeper below rebuilds when the day turns;
 * steering committees and HR officers read their own province,
 * administrators everything.
 */
#include <sys/types.h>

#include <string.h>
#include <time.h>

#include "registry.h"
#include "jobs.h"
#include "sheet.h"

static int	definitions_get(struct http_request *, struct call *);
static int	indicators_get(struct http_request *, struct call *);
static int	gaps_get(struct http_request *, struct call *);
static int	flags_get(struct http_request *, struct call *);
static int	gaps_sheet_write(struct work *);
static int	scope_params(struct http_request *, struct call *, int);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)

/*
 * Every worker asks once a minute whether today's summary describes today
 * (a new day, a base salary or the geography voids it); one of them
 * rebuilds it while the others find it locked and let it be.
 */
static struct job	today_keeper = {
	.name = "today's summary rebuilt",
	.query = "SELECT api.today_keep()",
	.interval = 60 * 1000,
	.log_result = 1,
};

static const struct endpoint	definitions_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, definitions_get,
	    NULL },
};

static const struct endpoint	indicators_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, indicators_get,
	    NULL },
};

static const struct endpoint	gaps_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, gaps_get, NULL },
};

static const struct endpoint	flags_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, flags_get, NULL },
};

/*
 * The export's columns: the commune, its flags (one cell, comma
 * separated) and the numbers behind them, by their keys in "numbers".
 */
static const struct sheet_column	gaps_columns[] = {
	{ "commune_code", "Mã xã", "Commune code", NULL, NULL, NULL, 1, 10 },
	{ "name", "Tên xã", "Commune", NULL, NULL, NULL, 0, 24 },
	{ "flags", "Cảnh báo", "Flags", NULL, NULL, NULL, 0, 40 },
	{ "staff", "Số người", "Staff", NULL, NULL, NULL, 0, 0 },
	{ "qualifying", "Người đủ điều kiện", "Qualifying", NULL, NULL, NULL,
	    0, 0 },
	{ "officials", "Cán bộ", "Officials", NULL, NULL, NULL, 0, 0 },
	{ "collaborators", "Cộng tác viên", "Collaborators", NULL, NULL, NULL,
	    0, 0 },
	{ "collaborators_below_base", "CTV phụ cấp dưới lương cơ sở",
	    "Collaborators below base salary", NULL, NULL, NULL, 0, 0 },
	{ "trained", "Đã đào tạo", "Trained", NULL, NULL, NULL, 0, 0 },
	{ "fte", "FTE", "FTE", NULL, NULL, NULL, 0, 0 },
	{ "separations_12m", "Nghỉ việc 12 tháng", "Separations, 12 months",
	    NULL, NULL, NULL, 0, 0 },
	{ "turnover_rate", "Tỷ lệ nghỉ việc (%)", "Turnover (%)", NULL, NULL,
	    NULL, 0, 0 },
	{ "trained_lost_12m", "Người đã đào tạo nghỉ việc",
	    "Trained people lost", NULL, NULL, NULL, 0, 0 },
	{ "median_tenure_months", "Thâm niên trung vị (tháng)",
	    "Median tenure (months)", NULL, NULL, NULL, 0, 0 },
	{ "vacant_days", "Số ngày không có người", "Days vacant", NULL, NULL,
	    NULL, 0, 0 },
};
#define GAPS_NCOLS	(sizeof(gaps_columns) / sizeof(gaps_columns[0]))

static const struct sheet_doc	gaps_sheet = {
	"Cảnh báo theo xã", NULL, gaps_columns, GAPS_NCOLS, NULL
};

int
indicator_definitions_route(struct http_request *req)
{
	return (api_run(req, definitions_eps, 1));
}

int
indicators_route(struct http_request *req)
{
	return (api_run(req, indicators_eps, 1));
}

int
province_gaps_route(struct http_request *req)
{
	return (api_run(req, gaps_eps, 1));
}

int
commune_flags_route(struct http_request *req)
{
	return (api_run(req, flags_eps, 1));
}

static int
definitions_get(struct http_request *req, struct call *call)
{
	(void)req;
	call_read(call, "SELECT api.indicator_definitions($1)", 1);
	return (PREPARE_QUERY);
}

/* as_of and units, shared by every read here, into i and i + 1. */
static int
scope_params(struct http_request *req, struct call *call, int i)
{
	return (param_date(req, call, i, "as_of") &&
	    param_code(req, call, i + 1, "units", 16));
}

static int
indicators_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.indicators($1, $2, $3, $4, $5, $6)", 6);
	if (!param_text(req, call, 1, "scope", 20) ||
	    !scope_params(req, call, 2) ||
	    !param_date(req, call, 4, "baseline") ||
	    !param_date(req, call, 5, "since"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/*
 * GET /api/v1/provinces/{code}/gaps answers JSON, or with ?format=csv|xlsx
 * the same communes as a sheet written on a task thread.
 */
static int
gaps_get(struct http_request *req, struct call *call)
{
	struct work	*w;
	const char	*format;
	int		sheet;

	call_read(call, "SELECT api.province_gaps($1, $2, $3, $4, $5, $6)", 6);
	if (!param_path_code(req, call, 1, 2, "code") ||
	    !scope_params(req, call, 2) ||
	    !param_code(req, call, 4, "flag", 32) ||
	    !param_code(req, call, 5, "sort", 16))
		return (PREPARE_RESPONDED);
	if (!api_query_arg(req, "format", &format) ||
	    strcmp(format, "json") == 0)
		return (PREPARE_QUERY);

	if (strcmp(format, "csv") == 0) {
		sheet = SHEET_CSV;
	} else if (strcmp(format, "xlsx") == 0) {
		sheet = SHEET_XLSX;
	} else {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "format phải là json, csv hoặc xlsx.",
		    "format must be json, csv or xlsx.", "format");
		return (PREPARE_RESPONDED);
	}
	w = work_new(gaps_sheet_write);
	w->format = sheet;
	call_work_after(call, w);
	return (PREPARE_QUERY);
}

static int
flags_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.commune_flags($1, $2, $3, $4)", 4);
	if (!param_path_code(req, call, 1, 5, "code") ||
	    !scope_params(req, call, 2))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/* The flags of one commune as one cell: "NO_STAFF, UNTRAINED". */
static json_t *
flags_cell(json_t *flags)
{
	json_t		*flag;
	size_t		i, len, off;
	char		cell[256];

	off = 0;
	cell[0] = '\0';
	json_array_foreach(flags, i, flag) {
		len = strlen(json_string_value(flag));
		if (off + len + 3 > sizeof(cell))
			break;
		if (off > 0) {
			memcpy(cell + off, ", ", 2);
			off += 2;
		}
		memcpy(cell + off, json_string_value(flag), len);
		off += len;
		cell[off] = '\0';
	}
	return (json_string(cell));
}

static int
gaps_sheet_write(struct work *w)
{
	json_t		*report, *items, *rows, *row, *item, *numbers, *v;
	size_t		i, c;
	const char	*province, *as_of;
	int		ok;

	if ((report = json_loadb((const char *)w->in, w->inlen, 0,
	    NULL)) == NULL)
		return (0);
	items = json_object_get(report, "items");
	rows = json_array();
	json_array_foreach(items, i, item) {
		numbers = json_object_get(item, "numbers");
		row = json_array();
		for (c = 0; c < GAPS_NCOLS; c++) {
			if (strcmp(gaps_columns[c].key, "flags") == 0) {
				(void)json_array_append_new(row,
				    flags_cell(json_object_get(item, "flags")));
				continue;
			}
			if ((v = json_object_get(item, gaps_columns[c].key)) == NULL &&
			    (v = json_object_get(numbers,
			    gaps_columns[c].key)) == NULL)
				v = json_null();
			(void)json_array_append(row, v);
		}
		(void)json_array_append_new(rows, row);
	}

	province = json_string_value(json_object_get(json_object_get(report,
	    "unit"), "code"));
	as_of = json_string_value(json_object_get(report, "as_of"));
	if (w->format == SHEET_XLSX) {
		ok = sheet_write_xlsx(&gaps_sheet, rows, registry_tmpdir,
		    (unsigned char **)&w->out, &w->outlen);
		w->ctype = XLSX_TYPE;
	} else {
		ok = sheet_write_csv(&gaps_sheet, rows, &w->out, &w->outlen);
		w->ctype = "text/csv; charset=utf-8";
	}
	(void)snprintf(w->filename, sizeof(w->filename), "canh-bao-%s-%s.%s",
	    province != NULL ? province : "xa", as_of != NULL ? as_of : "",
	    w->format == SHEET_XLSX ? "xlsx" : "csv");
	json_decref(rows);
	json_decref(report);
	return (ok);
}

void
today_keeper_start(void)
{
	job_start(&today_keeper);
}
