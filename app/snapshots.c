/*
 * Quarterly snapshots for steering committees: a province's indicators
 * and commune gaps frozen for a quarter, listed, read whole, and compared
 * with today (sql/api/82_snapshots.sql). Administrators and a province's
 * steering members take them; they and its HR officers read them. A
 * snapshot never changes, so there is no PATCH or DELETE (405).
 */
#include <sys/types.h>

#include "registry.h"

static int	snapshots_list(struct http_request *, struct call *);
static int	snapshot_create(struct http_request *, struct call *);
static int	snapshot_get(struct http_request *, struct call *);
static int	snapshot_diff_get(struct http_request *, struct call *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_STEERING | ROLE_HR_OFFICER)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_STEERING)

static const char *const	snapshot_fields[] = { "province", "period",
				    "note", NULL };

static const struct endpoint	snapshots_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, snapshots_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    snapshot_create, NULL },
};

static const struct endpoint	snapshot_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, snapshot_get,
	    NULL },
};

static const struct endpoint	snapshot_diff_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    snapshot_diff_get, NULL },
};

int
snapshots_route(struct http_request *req)
{
	return (api_run(req, snapshots_eps, 2));
}

int
snapshot_route(struct http_request *req)
{
	return (api_run(req, snapshot_eps, 1));
}

int
snapshot_diff_route(struct http_request *req)
{
	return (api_run(req, snapshot_diff_eps, 1));
}

static int
snapshots_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.snapshots_list($1, $2, $3, $4)", 4);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_cursor(req, call, 2) || !param_limit(req, call, 3, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/* The database checks each field, the quarter and the scope. */
static int
snapshot_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.snapshot_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, snapshot_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
snapshot_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.snapshot_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
snapshot_diff_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.snapshot_diff($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
