/*
 * Partnerships: agreements between a training institution and a province
 * (training the province's staff) or another institution. Administrators
 * and the officers of the partnership's province write them; steering,
 * officers and the registrars of either institution read them. One
 * partnership answers with what it produced: seats used, graduates and
 * graduates now working in the province, year by year.
 */
#include <sys/types.h>

#include "registry.h"

static int	partnerships_list(struct http_request *, struct call *);
static int	partnership_create(struct http_request *, struct call *);
static int	partnership_get(struct http_request *, struct call *);
static int	partnership_update(struct http_request *, struct call *);

#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	partnership_fields[] = { "institution_id",
				    "province_code", "partner_institution_id",
				    "agreement_number", "signed_on",
				    "valid_from", "valid_until", "programmes",
				    "seats_per_year", "status", "notes", NULL };

static const struct endpoint	partnerships_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, partnerships_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    partnership_create, NULL },
};

static const struct endpoint	partnership_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, partnership_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    partnership_update, NULL },
};

int
partnerships_route(struct http_request *req)
{
	return (api_run(req, partnerships_eps, 2));
}

int
partnership_route(struct http_request *req)
{
	return (api_run(req, partnership_eps, 2));
}

static int
partnerships_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.partnerships_list($1, $2, $3, $4, $5, $6)",
	    6);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_id(req, call, 2, "institution") ||
	    !param_code(req, call, 3, "status", 16) ||
	    !param_cursor(req, call, 4) || !param_limit(req, call, 5, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
partnership_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.partnership_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, partnership_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
partnership_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.partnership_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
partnership_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.partnership_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, partnership_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
