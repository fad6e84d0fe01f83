/*
 * Cohorts: classes of a course, taught by an institution and hosted by a
 * province. Officers manage the cohorts their province hosts; steering
 * and the teaching institution's registrar read them. A cohort's status
 * only moves forward (planned, open, running, completed; or cancelled),
 * which the database enforces with the seats and enrolment counts.
 */
#include <sys/types.h>

#include "registry.h"

static int	cohorts_list(struct http_request *, struct call *);
static int	cohort_create(struct http_request *, struct call *);
static int	cohort_get(struct http_request *, struct call *);
static int	cohort_update(struct http_request *, struct call *);

#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	cohort_fields[] = { "course_id",
				    "institution_id", "province_code",
				    "partnership_id", "name", "start_date",
				    "end_date", "capacity", "modality",
				    "funding", "status", NULL };

static const struct endpoint	cohorts_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, cohorts_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    cohort_create, NULL },
};

static const struct endpoint	cohort_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, cohort_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    cohort_update, NULL },
};

int
cohorts_route(struct http_request *req)
{
	return (api_run(req, cohorts_eps, 2));
}

int
cohort_route(struct http_request *req)
{
	return (api_run(req, cohort_eps, 2));
}

static int
cohorts_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.cohorts_list($1, $2, $3, $4, $5, $6, $7, "
	    "$8, $9)", 9);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_id(req, call, 2, "course") ||
	    !param_id(req, call, 3, "institution") ||
	    !param_code(req, call, 4, "status", 16) ||
	    !param_date(req, call, 5, "from") ||
	    !param_date(req, call, 6, "to") ||
	    !param_cursor(req, call, 7) || !param_limit(req, call, 8, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
cohort_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.cohort_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, cohort_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
cohort_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.cohort_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
cohort_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.cohort_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, cohort_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
