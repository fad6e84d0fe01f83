/*
 * GET /healthz for load balancers and monitoring: 200 when the database
 * answers, 503 with "database": "down" when it does not. It needs no
 * credential and goes through the same connection pool as every request,
 * so it also shows that the server reconnects once the database is back.
 *
 * GET /api/v1/openapi.json serves the API description loaded at start.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "registry.h"

static int	health_prepare(struct http_request *, struct call *);
static void	health_finish(struct http_request *, struct call *);

static const struct endpoint	health_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_PUBLIC, 0, BODY_NONE, health_prepare,
	    health_finish, EP_OWN_DB_ERRORS },
};

int
health_get(struct http_request *req)
{
	return (api_run(req, health_eps, 1));
}

static int
health_prepare(struct http_request *req, struct call *call)
{
	(void)req;
	call_query(call, "SELECT api.health()", 0);
	return (PREPARE_QUERY);
}

static void
health_finish(struct http_request *req, struct call *call)
{
	json_t		*j, *db;
	char		*out;
	int		up;

	db = NULL;
	up = !call->db_failed && call->result != NULL &&
	    (db = json_loads(call->result, 0, NULL)) != NULL;

	j = json_pack("{s:s, s:s, s:s}", "status", up ? "ok" : "degraded",
	    "database", up ? "ok" : "down", "version", REGISTRY_VERSION);
	if (j == NULL)
		fatal("health_finish: json_pack");
	if (db != NULL) {
		(void)json_object_set(j, "schema", json_object_get(db, "schema"));
		json_decref(db);
	}
	if ((out = json_dumps(j, JSON_COMPACT)) == NULL)
		fatal("health_finish: json_dumps");
	json_decref(j);

	api_json(req, up ? HTTP_STATUS_OK : HTTP_STATUS_SERVICE_UNAVAILABLE, out,
	    strlen(out));
	free(out);
}

int
openapi_get(struct http_request *req)
{
	if (req->method != HTTP_METHOD_GET) {
		api_method_not_allowed(req, "GET");
		return (KORE_RESULT_OK);
	}
	api_json(req, HTTP_STATUS_OK, registry_openapi, registry_openapi_len);
	return (KORE_RESULT_OK);
}
