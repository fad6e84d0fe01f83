/*
 * Work units: where social work is done (commune committees and offices,
 * centres, protection facilities, schools, hospitals ...). Officers of a
 * province manage its units, steering committees read them. Bodies go to
 * the database whole, which checks each field and names the one at fault.
 */
#include <sys/types.h>

#include "registry.h"
#include "validate.h"

static int	work_units_list(struct http_request *, struct call *);
static int	work_unit_create(struct http_request *, struct call *);
static int	work_unit_get(struct http_request *, struct call *);
static int	work_unit_update(struct http_request *, struct call *);
static int	work_unit_close(struct http_request *, struct call *);
static int	work_units_remap(struct http_request *, struct call *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	work_unit_fields[] = { "name", "kind", "sector",
				    "ownership", "commune_code", "opened_on",
				    "closed_on", NULL };

static const struct endpoint	work_units_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, work_units_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    work_unit_create, NULL },
};

static const struct endpoint	work_unit_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, work_unit_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    work_unit_update, NULL },
};

static const struct endpoint	close_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    work_unit_close, NULL },
};

static const struct endpoint	remap_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_NONE,
	    work_units_remap, NULL },
};

int
work_units_route(struct http_request *req)
{
	return (api_run(req, work_units_eps, 2));
}

int
work_unit_route(struct http_request *req)
{
	return (api_run(req, work_unit_eps, 2));
}

int
work_unit_close_route(struct http_request *req)
{
	return (api_run(req, close_eps, 1));
}

int
work_units_remap_route(struct http_request *req)
{
	return (api_run(req, remap_eps, 1));
}

static int
work_units_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.work_units_list($1, $2, $3, $4, $5, $6, "
	    "$7, $8)", 8);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_code(req, call, 2, "commune", 5) ||
	    !param_code(req, call, 3, "kind", 32) ||
	    !param_text(req, call, 4, "q", 100) ||
	    !param_date(req, call, 5, "open_on") ||
	    !param_cursor(req, call, 6) || !param_limit(req, call, 7, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
work_unit_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.work_unit_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, work_unit_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
work_unit_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.work_unit_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
work_unit_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.work_unit_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, work_unit_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
work_unit_close(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "closed_on", NULL };
	json_t				*v;

	call_write(call, "SELECT api.work_unit_close($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") || !body_only(req, call, fields))
		return (PREPARE_RESPONDED);
	v = json_object_get(call->body, "closed_on");
	if (v == NULL || !json_is_string(v) ||
	    !valid_date(json_string_value(v))) {
		api_problem(req, 422, "invalid-date",
		    "Ngày đóng cửa phải theo dạng YYYY-MM-DD và có thật.",
		    "closed_on must be a real date written YYYY-MM-DD.",
		    "closed_on");
		return (PREPARE_RESPONDED);
	}
	call_param(call, 3, json_string_value(v));
	return (PREPARE_QUERY);
}

static int
work_units_remap(struct http_request *req, struct call *call)
{
	(void)req;
	call_write(call, "SELECT api.work_units_remap($1, $2)", 2);
	return (PREPARE_QUERY);
}
