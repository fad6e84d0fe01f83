/*
 * Training institutions, scoped by the database: a registrar sees its
 * own, an officer those of its province, out-of-scope ids are 404.
 */
#include <sys/types.h>

#include "registry.h"

static int	institutions_list(struct http_request *, struct call *);
static int	institution_get(struct http_request *, struct call *);

static const struct endpoint	institutions_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, institutions_list,
	    NULL },
};
static const struct endpoint	institution_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, institution_get,
	    NULL },
};

int
institutions_route(struct http_request *req)
{
	return (api_run(req, institutions_eps, 1));
}

int
institution_route(struct http_request *req)
{
	return (api_run(req, institution_eps, 1));
}

static int
institutions_list(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.institutions_list($1, $2, $3)", 3);
	call_param_int(call, 0, call->actor.id);
	if (!param_cursor(req, call, 1) || !param_limit(req, call, 2, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
institution_get(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.institution_get($1, $2)", 2);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
