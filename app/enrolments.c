/*
 * Enrolments: people in a cohort. Officers enrol the people their
 * province keeps into the cohorts it hosts, one at a time or in bulk (a
 * list of ids or a filter: commune, category, unit, untrained), never
 * beyond the cohort's capacity. Completing an enrolment records the
 * certificate or degree and issues a credential in the same transaction;
 * the response lists it under "_sign" for the pipeline to sign (EP_SIGNS).
 * In a cohort an institution teaches, an officer's completion waits for
 * the institution's registrar to confirm it (POST .../confirmations),
 * and only then is anything awarded in the institution's name.
 */
#include <sys/types.h>

#include "registry.h"

static int	cohort_enrolments_list(struct http_request *, struct call *);
static int	enrolment_create(struct http_request *, struct call *);
static int	enrolments_bulk(struct http_request *, struct call *);
static int	cohort_confirm(struct http_request *, struct call *);
static int	enrolment_get(struct http_request *, struct call *);
static int	enrolment_update(struct http_request *, struct call *);

#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const struct endpoint	cohort_enrolments_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE,
	    cohort_enrolments_list, NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    enrolment_create, NULL },
};

static const struct endpoint	bulk_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    enrolments_bulk, NULL },
};

static const struct endpoint	confirm_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN | ROLE_REGISTRAR,
	    BODY_JSON_MAX, cohort_confirm, NULL, EP_SIGNS },
};

static const struct endpoint	enrolment_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, enrolment_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    enrolment_update, NULL, EP_SIGNS },
};

int
cohort_enrolments_route(struct http_request *req)
{
	return (api_run(req, cohort_enrolments_eps, 2));
}

int
cohort_enrolments_bulk_route(struct http_request *req)
{
	return (api_run(req, bulk_eps, 1));
}

int
cohort_confirmations_route(struct http_request *req)
{
	return (api_run(req, confirm_eps, 1));
}

int
enrolment_route(struct http_request *req)
{
	return (api_run(req, enrolment_eps, 2));
}

static int
cohort_enrolments_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.cohort_enrolments($1, $2, $3, $4, $5)", 5);
	if (!param_path_id(req, call, 1, "id") ||
	    !param_code(req, call, 2, "status", 16) ||
	    !param_cursor(req, call, 3) || !param_limit(req, call, 4, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
enrolment_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "person_id", "status", NULL };

	call_write(call, "SELECT api.enrolment_create($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
enrolments_bulk(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "person_ids", "filter",
					    "status", NULL };

	call_write(call, "SELECT api.enrolments_bulk($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
cohort_confirm(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "enrolment_ids", NULL };

	call_write(call, "SELECT api.cohort_confirm($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
enrolment_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.enrolment_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
enrolment_update(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "status", "hours_attended",
					    "result", "completed_on", NULL };

	call_write(call, "SELECT api.enrolment_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
