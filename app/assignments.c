/*
 * Assignments (employment spells) and the counts made from them: the
 * headcount and FTE per commune and category on any date, and the people
 * whose assignments add up to more than one full-time post. A spell that
 * pushes a person over 1.0 FTE is accepted with a warning in the answer.
 */
#include <sys/types.h>

#include "registry.h"

static int	assignment_create(struct http_request *, struct call *);
static int	assignment_get(struct http_request *, struct call *);
static int	assignment_update(struct http_request *, struct call *);
static int	headcount(struct http_request *, struct call *);
static int	fte_issues(struct http_request *, struct call *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const struct endpoint	assignments_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    assignment_create, NULL },
};

static const struct endpoint	assignment_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, assignment_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    assignment_update, NULL },
};

static const struct endpoint	headcount_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, headcount, NULL },
};

static const struct endpoint	fte_issues_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, fte_issues, NULL },
};

int
assignments_route(struct http_request *req)
{
	return (api_run(req, assignments_eps, 1));
}

int
assignment_route(struct http_request *req)
{
	return (api_run(req, assignment_eps, 2));
}

int
headcount_route(struct http_request *req)
{
	return (api_run(req, headcount_eps, 1));
}

int
fte_issues_route(struct http_request *req)
{
	return (api_run(req, fte_issues_eps, 1));
}

static int
assignment_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "person_id", "work_unit_id",
					    "category", "fte", "allowance_vnd",
					    "title_code", "position",
					    "start_date", "end_date",
					    "end_reason", NULL };

	call_write(call, "SELECT api.assignment_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
assignment_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.assignment_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
assignment_update(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "work_unit_id", "category",
					    "fte", "allowance_vnd",
					    "title_code", "position",
					    "start_date", "end_date",
					    "end_reason", NULL };

	call_write(call, "SELECT api.assignment_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
headcount(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.headcount($1, $2, $3, $4)", 4);
	if (!param_date(req, call, 1, "as_of") ||
	    !param_code(req, call, 2, "province", 2) ||
	    !param_code(req, call, 3, "commune", 5))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
fte_issues(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.fte_issues($1, $2, $3, $4)", 4);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
