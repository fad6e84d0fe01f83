/*
 * Graduates: the degrees a university's registrar registers for its own
 * students (POST answers the graduate, the person it was matched to and
 * the credential issued, which the pipeline signs), the registrar's list
 * and records, and corrections, which revoke the credential and issue
 * another. The citizen ID's structure is checked here, against the birth
 * year and sex the body gives; the database matches the person and
 * checks everything else.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "validate.h"

static int	graduates_list(struct http_request *, struct call *);
static int	graduate_create(struct http_request *, struct call *);
static int	graduate_get(struct http_request *, struct call *);
static int	graduate_amend(struct http_request *, struct call *);
static int	param_year(struct http_request *, struct call *, int);

#define ROLES_GRADUATES	(ROLE_ADMIN | ROLE_REGISTRAR)

static const struct endpoint	graduates_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_GRADUATES, BODY_NONE,
	    graduates_list, NULL, 0 },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_GRADUATES, BODY_JSON_MAX,
	    graduate_create, NULL, EP_SIGNS },
};

static const struct endpoint	graduate_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_GRADUATES, BODY_NONE,
	    graduate_get, NULL, 0 },
};

static const struct endpoint	amend_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_GRADUATES, BODY_JSON_MAX,
	    graduate_amend, NULL, EP_SIGNS },
};

int
graduates_route(struct http_request *req)
{
	return (api_run(req, graduates_eps, 2));
}

int
graduate_route(struct http_request *req)
{
	return (api_run(req, graduate_eps, 1));
}

int
graduate_amend_route(struct http_request *req)
{
	return (api_run(req, amend_eps, 1));
}

/* ?year=: a graduation year, 1950 to 2199. */
static int
param_year(struct http_request *req, struct call *call, int i)
{
	const char	*v;

	if (!api_query_arg(req, "year", &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_int_range(v, 1950, 2199, NULL)) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "year phải là một năm từ 1950 đến 2199.",
		    "year must be a year from 1950 to 2199.", "year");
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

static int
graduates_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.graduates_list($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10)", 10);
	if (!param_id(req, call, 1, "institution") ||
	    !param_year(req, call, 2) || !param_date(req, call, 3, "from") ||
	    !param_date(req, call, 4, "to") ||
	    !param_code(req, call, 5, "programme_code", 7) ||
	    !param_code(req, call, 6, "level", 16) ||
	    !param_text(req, call, 7, "q", 100) ||
	    !param_cursor(req, call, 8) || !param_limit(req, call, 9, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
graduate_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "full_name", "citizen_id",
					    "birth_date", "sex",
					    "programme_code", "programme_name",
					    "level", "field", "graduation_date",
					    "diploma_number", "institution_id",
					    NULL };

	call_write(call, "SELECT api.graduate_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, fields) || !body_citizen_id(req, call, 1))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
graduate_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.graduate_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
graduate_amend(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "full_name", "citizen_id",
					    "birth_date", "sex",
					    "programme_code", "programme_name",
					    "level", "field", "graduation_date",
					    "diploma_number", "reason", NULL };

	call_write(call, "SELECT api.graduate_amend($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, fields) || !body_citizen_id(req, call, 1))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
