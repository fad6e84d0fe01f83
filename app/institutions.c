/*
 * Training institutions, scoped by the database: a registrar sees its
 * own, an officer those of its province, out-of-scope ids are 404.
 * Administrators register and change them; a registrar may update its
 * own institution's contact fields (the database refuses the rest).
 */
#include <sys/types.h>

#include <string.h>

#include "registry.h"

static int	institutions_list(struct http_request *, struct call *);
static int	institution_create(struct http_request *, struct call *);
static int	institution_get(struct http_request *, struct call *);
static int	institution_update(struct http_request *, struct call *);
static int	param_bool(struct http_request *, struct call *, int,
		    const char *);

static const char *const	institution_fields[] = { "code", "name",
				    "name_en", "kind", "province_code",
				    "recognised", "recognition_decision",
				    "recognised_on", "contact_name",
				    "contact_email", "contact_phone",
				    "address", "website", NULL };

static const struct endpoint	institutions_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, institutions_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX,
	    institution_create, NULL },
};
static const struct endpoint	institution_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, institution_get,
	    NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLE_ADMIN | ROLE_REGISTRAR,
	    BODY_JSON_MAX, institution_update, NULL },
};

int
institutions_route(struct http_request *req)
{
	return (api_run(req, institutions_eps, 2));
}

int
institution_route(struct http_request *req)
{
	return (api_run(req, institution_eps, 2));
}

/* Optional ?name=true|false into parameter i. */
static int
param_bool(struct http_request *req, struct call *call, int i,
    const char *name)
{
	const char	*v;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "Giá trị phải là true hoặc false.",
		    "The value must be true or false.", name);
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

static int
institutions_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.institutions_list($1, $2, $3, $4, $5, "
	    "$6, $7)", 7);
	if (!param_cursor(req, call, 1) || !param_limit(req, call, 2, 500) ||
	    !param_text(req, call, 3, "q", 100) ||
	    !param_code(req, call, 4, "kind", 32) ||
	    !param_code(req, call, 5, "province", 2) ||
	    !param_bool(req, call, 6, "recognised"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
institution_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.institution_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, institution_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
institution_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.institution_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
institution_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.institution_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, institution_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
