/*
 * National geography: provinces and communes today or on any date
 * (?as_of=), diacritic-insensitive commune search (?q=), and the lineage
 * between the pre-2025 units and today's, with an administrator's hand
 * mapping for what the matcher could not resolve.
 */
#include <sys/types.h>

#include <string.h>

#include "registry.h"
#include "validate.h"

static int	provinces_list(struct http_request *, struct call *);
static int	province_get(struct http_request *, struct call *);
static int	communes_list(struct http_request *, struct call *);
static int	commune_get(struct http_request *, struct call *);
static int	lineage_link(struct http_request *, struct call *);
static int	lineage_stats(struct http_request *, struct call *);
static int	lineage_unresolved(struct http_request *, struct call *);

static const struct endpoint	provinces_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, provinces_list, NULL },
};
static const struct endpoint	province_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, province_get, NULL },
};
static const struct endpoint	communes_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, communes_list, NULL },
};
static const struct endpoint	commune_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, commune_get, NULL },
};
static const struct endpoint	lineage_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX, lineage_link,
	    NULL },
};
static const struct endpoint	lineage_stats_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, lineage_stats, NULL },
};
static const struct endpoint	lineage_unresolved_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ADMIN, BODY_NONE, lineage_unresolved,
	    NULL },
};

int
provinces_route(struct http_request *req)
{
	return (api_run(req, provinces_eps, 1));
}

int
province_route(struct http_request *req)
{
	return (api_run(req, province_eps, 1));
}

int
province_communes_route(struct http_request *req)
{
	return (api_run(req, communes_eps, 1));
}

int
commune_route(struct http_request *req)
{
	return (api_run(req, commune_eps, 1));
}

int
lineage_route(struct http_request *req)
{
	return (api_run(req, lineage_eps, 1));
}

int
lineage_stats_route(struct http_request *req)
{
	return (api_run(req, lineage_stats_eps, 1));
}

int
lineage_unresolved_route(struct http_request *req)
{
	return (api_run(req, lineage_unresolved_eps, 1));
}

static int
provinces_list(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.provinces_list($1, $2, $3, $4)", 4);
	call_param_int(call, 0, call->actor.id);
	if (!param_date(req, call, 1, "as_of") || !param_cursor(req, call, 2) ||
	    !param_limit(req, call, 3, 100))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
province_get(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.province_get($1, $2, $3)", 3);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_code(req, call, 1, 2, "code") ||
	    !param_date(req, call, 2, "as_of"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
communes_list(struct http_request *req, struct call *call)
{
	call_query(call,
	    "SELECT api.communes_list($1, $2, $3, $4, $5, $6)", 6);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_code(req, call, 1, 2, "code") ||
	    !param_date(req, call, 2, "as_of") ||
	    !param_text(req, call, 3, "q", 100) ||
	    !param_cursor(req, call, 4) || !param_limit(req, call, 5, 1000))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
commune_get(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.commune_get($1, $2, $3)", 3);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_code(req, call, 1, 5, "code") ||
	    !param_date(req, call, 2, "as_of"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
lineage_link(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "old_code", "new_code",
					    "partial", "unresolved_id", NULL };

	call_query(call,
	    "SELECT api.lineage_link($1, $2, $3, $4, $5, $6)", 6);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!body_only(req, call, fields) ||
	    !body_string(req, call, 2, "old_code", 1) ||
	    !body_string(req, call, 3, "new_code", 1) ||
	    !body_bool(req, call, 4, "partial", 0) ||
	    !body_int(req, call, 5, "unresolved_id", 0))
		return (PREPARE_RESPONDED);
	if (!valid_digits(call->params[2], 5)) {
		api_problem(req, 422, "invalid-code",
		    "Mã xã/phường gồm đúng 5 chữ số.",
		    "A commune code has exactly 5 digits.", "old_code");
		return (PREPARE_RESPONDED);
	}
	if (!valid_digits(call->params[3], 5)) {
		api_problem(req, 422, "invalid-code",
		    "Mã xã/phường gồm đúng 5 chữ số.",
		    "A commune code has exactly 5 digits.", "new_code");
		return (PREPARE_RESPONDED);
	}
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
lineage_stats(struct http_request *req, struct call *call)
{
	(void)req;
	call_query(call, "SELECT api.lineage_stats($1)", 1);
	call_param_int(call, 0, call->actor.id);
	return (PREPARE_QUERY);
}

static int
lineage_unresolved(struct http_request *req, struct call *call)
{
	const char	*province;

	call_query(call, "SELECT api.lineage_unresolved($1, $2, $3, $4)", 4);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, NULL);
	if (api_query_arg(req, "province", &province)) {
		if (!valid_digits(province, 2)) {
			api_problem(req, HTTP_STATUS_BAD_REQUEST,
			    "invalid-parameter",
			    "Mã tỉnh gồm đúng 2 chữ số.",
			    "A province code has exactly 2 digits.", "province");
			return (PREPARE_RESPONDED);
		}
		call_param(call, 1, province);
	}
	if (!param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
