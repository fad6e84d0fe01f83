/*
 * People: the social-work workforce. Lists search by name (ignoring
 * diacritics, tolerating typos) or by the citizen ID's last digits, and
 * export as CSV or XLSX with the same filters. The citizen ID's structure
 * is checked here, where the messages can say which check failed; the
 * database checks everything else and decides who sees the full number.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"

static int	people_list(struct http_request *, struct call *);
static int	person_create(struct http_request *, struct call *);
static int	person_get(struct http_request *, struct call *);
static int	person_update(struct http_request *, struct call *);
static int	person_history(struct http_request *, struct call *);
static int	person_transfer(struct http_request *, struct call *);
static int	people_filters(struct http_request *, struct call *, int);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	person_fields[] = { "full_name", "citizen_id",
				    "sex", "birth_date", "phone", "email",
				    "ethnicity", "province_code", NULL };

static const struct endpoint	people_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, people_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    person_create, NULL },
};

static const struct endpoint	person_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, person_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    person_update, NULL },
};

static const struct endpoint	history_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, person_history,
	    NULL },
};

static const struct endpoint	transfer_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    person_transfer, NULL },
};

int
people_route(struct http_request *req)
{
	return (api_run(req, people_eps, 2));
}

int
person_route(struct http_request *req)
{
	return (api_run(req, person_eps, 2));
}

int
person_history_route(struct http_request *req)
{
	return (api_run(req, history_eps, 1));
}

int
person_transfer_route(struct http_request *req)
{
	return (api_run(req, transfer_eps, 1));
}

/* The list filters, shared by the JSON list and the export, from i on. */
static int
people_filters(struct http_request *req, struct call *call, int i)
{
	const char	*v;

	if (api_query_arg(req, "category", &v) &&
	    strcmp(v, "professional") != 0 && strcmp(v, "commune_post") != 0 &&
	    strcmp(v, "concurrent") != 0 && strcmp(v, "collaborator") != 0 &&
	    strcmp(v, "volunteer") != 0) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "Loại nhân sự không hợp lệ.", "Unknown category.", "category");
		return (0);
	}
	return (param_code(req, call, i, "province", 2) &&
	    param_code(req, call, i + 1, "commune", 5) &&
	    param_id(req, call, i + 2, "work_unit") &&
	    param_code(req, call, i + 3, "category", 16) &&
	    param_date(req, call, i + 4, "active_on") &&
	    param_text(req, call, i + 5, "q", 100));
}

/*
 * GET /api/v1/people answers a page of JSON, or with ?format=csv|xlsx the
 * whole selection as a file written on a task thread.
 */
static int
people_list(struct http_request *req, struct call *call)
{
	struct work	*w;
	const char	*format;
	int		sheet;

	if (!api_query_arg(req, "format", &format) ||
	    strcmp(format, "json") == 0) {
		call_read(call, "SELECT api.people_list($1, $2, $3, $4, $5, "
		    "$6, $7, $8, $9)", 9);
		if (!people_filters(req, call, 1) ||
		    !param_cursor(req, call, 7) || !param_limit(req, call, 8, 500))
			return (PREPARE_RESPONDED);
		return (PREPARE_QUERY);
	}

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
	call_write(call, "SELECT api.people_export($1, $2, $3, $4, $5, $6, "
	    "$7, $8)", 8);
	if (!people_filters(req, call, 2))
		return (PREPARE_RESPONDED);
	w = work_new(people_sheet_write);
	w->format = sheet;
	call_work_after(call, w);
	return (PREPARE_QUERY);
}

static int
person_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.person_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, person_fields) ||
	    !body_citizen_id(req, call, 1))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
person_get(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.person_get($1, $2, $3)", 3);
	if (!param_path_id(req, call, 2, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
person_update(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "full_name", "citizen_id",
					    "sex", "birth_date", "phone", "email",
					    "ethnicity", NULL };

	call_write(call, "SELECT api.person_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, fields) ||
	    !body_citizen_id(req, call, json_object_get(call->body,
	    "birth_date") != NULL && json_object_get(call->body, "sex") != NULL))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
person_history(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.person_history($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 1, "id") ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
person_transfer(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "assignment_id", "end_date",
					    "end_reason", "work_unit_id",
					    "category", "fte", "allowance_vnd",
					    "title_code", "position",
					    "start_date", NULL };

	call_write(call, "SELECT api.person_transfer($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
