/*
 * Cohort plans: a proposal of who to put in a social-work course so that
 * the most communes of a province stop being UNTRAINED (greedy maximum
 * coverage, sql/api/84_cohort_plans.sql), kept with its projection;
 * accepting it creates the cohort and its planned enrolments. Officers
 * of the province and administrators propose and accept; steering reads.
 */
#include <sys/types.h>

#include "registry.h"

static int	plan_create(struct http_request *, struct call *);
static int	plan_get(struct http_request *, struct call *);
static int	plan_accept(struct http_request *, struct call *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const struct endpoint	plans_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    plan_create, NULL },
};

static const struct endpoint	plan_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, plan_get, NULL },
};

static const struct endpoint	accept_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    plan_accept, NULL },
};

int
cohort_plans_route(struct http_request *req)
{
	return (api_run(req, plans_eps, 1));
}

int
cohort_plan_route(struct http_request *req)
{
	return (api_run(req, plan_eps, 1));
}

int
cohort_plan_accept_route(struct http_request *req)
{
	return (api_run(req, accept_eps, 1));
}

static int
plan_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "course_id", "capacity",
					    "province", NULL };

	call_write(call, "SELECT api.cohort_plan_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
plan_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.cohort_plan_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/*
 * The cohort's own fields only: its course, province and capacity are
 * the plan's, so naming them is an unknown field (422), not an override.
 */
static int
plan_accept(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "institution_id",
					    "start_date", "end_date", "funding",
					    "name", "modality", "partnership_id",
					    NULL };

	call_write(call, "SELECT api.cohort_plan_accept($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}
