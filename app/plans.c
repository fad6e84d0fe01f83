/*
 * Plans (the national decisions and provincial plans targets come from),
 * their targets, and the base salary by effective date: the editable
 * facts the indicator reports measure against. Administrators, officers
 * and steering members read them; only administrators change them. The
 * database checks every field (sql/api/81_plans.sql) and audits every
 * write.
 */
#include <sys/types.h>

#include "registry.h"
#include "validate.h"

static int	plans_list(struct http_request *, struct call *);
static int	plan_create(struct http_request *, struct call *);
static int	plan_get(struct http_request *, struct call *);
static int	plan_update(struct http_request *, struct call *);
static int	plan_targets_list(struct http_request *, struct call *);
static int	target_create(struct http_request *, struct call *);
static int	target_get(struct http_request *, struct call *);
static int	target_update(struct http_request *, struct call *);
static int	target_delete(struct http_request *, struct call *);
static int	base_salaries_list(struct http_request *, struct call *);
static int	base_salary_create(struct http_request *, struct call *);
static int	base_salary_get(struct http_request *, struct call *);
static int	base_salary_update(struct http_request *, struct call *);
static int	param_path_date(struct http_request *, struct call *, int);

/* Registrars see their institution only, not the programme's targets. */
#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)

static const char *const	plan_fields[] = { "code", "document", "name",
				    "name_en", "issued_by", "signed_on",
				    "period_from", "period_to", "scope",
				    "scope_on", "note", NULL };

static const char *const	target_fields[] = { "indicator", "scope",
				    "scope_on", "phase", "due_date",
				    "threshold", "baseline_date", "source",
				    "unconfirmed", "note", NULL };

static const char *const	base_salary_fields[] = { "effective_from",
				    "amount_vnd", "source", "unconfirmed",
				    NULL };

/* The date in the path is the record's key: a patch cannot move it. */
static const char *const	base_salary_patch_fields[] = { "amount_vnd",
				    "source", "unconfirmed", NULL };

static const struct endpoint	plans_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, plans_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    plan_create, NULL },
};

static const struct endpoint	plan_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, plan_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    plan_update, NULL },
};

static const struct endpoint	plan_targets_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    plan_targets_list, NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    target_create, NULL },
};

static const struct endpoint	target_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, target_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    target_update, NULL },
	{ HTTP_METHOD_DELETE, ACCESS_USER, ROLE_ADMIN, BODY_NONE,
	    target_delete, NULL },
};

static const struct endpoint	base_salaries_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    base_salaries_list, NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    base_salary_create, NULL },
};

static const struct endpoint	base_salary_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    base_salary_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    base_salary_update, NULL },
};

int
plans_route(struct http_request *req)
{
	return (api_run(req, plans_eps, 2));
}

int
plan_route(struct http_request *req)
{
	return (api_run(req, plan_eps, 2));
}

int
plan_targets_route(struct http_request *req)
{
	return (api_run(req, plan_targets_eps, 2));
}

int
target_route(struct http_request *req)
{
	return (api_run(req, target_eps, 3));
}

int
base_salaries_route(struct http_request *req)
{
	return (api_run(req, base_salaries_eps, 2));
}

int
base_salary_route(struct http_request *req)
{
	return (api_run(req, base_salary_eps, 2));
}

/*
 * The YYYY-MM-DD in /api/v1/base-salaries/<date> into parameter i. The
 * route regex checked its shape; a day that does not exist (02-30) is
 * no record, so 404 like an id that is not there.
 */
static int
param_path_date(struct http_request *req, struct call *call, int i)
{
	char		day[16];

	if (!api_path_id(req, day, sizeof(day)) || !valid_date(day)) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không tìm thấy.", "Not found.", "effective_from");
		return (0);
	}
	call_param(call, i, day);
	return (1);
}

static int
plans_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.plans_list($1, $2, $3, $4)", 4);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
plan_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.plan_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, plan_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
plan_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.plan_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
plan_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.plan_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, plan_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
plan_targets_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.plan_targets_list($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 1, "id") ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
target_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.target_create($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, target_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
target_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.target_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
target_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.target_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, target_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
target_delete(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.target_delete($1, $2, $3)", 3);
	if (!param_path_id(req, call, 2, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
base_salaries_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.base_salaries_list($1, $2, $3, $4)", 4);
	if (!param_date(req, call, 1, "as_of") ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
base_salary_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.base_salary_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, base_salary_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
base_salary_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.base_salary_get($1, $2)", 2);
	if (!param_path_date(req, call, 1))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
base_salary_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.base_salary_update($1, $2, $3, $4)", 4);
	if (!param_path_date(req, call, 2) ||
	    !body_patch(req, call, 3, base_salary_patch_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
