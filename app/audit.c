/*
 * The audit log, for national administrators: filtered listing newest
 * first, and verification of the hash chain ({ok, rows, pending,
 * first_bad_id}); and the sealer that chains committed rows.
 */
#include <sys/types.h>

#include "registry.h"
#include "jobs.h"
#include "validate.h"

static int	audit_list(struct http_request *, struct call *);
static int	audit_verify(struct http_request *, struct call *);
static int	param_time(struct http_request *, struct call *, int,
		    const char *);

/*
 * Transactions append their audit rows unchained, so that none waits for
 * another's commit (0013_audit_seal.sql); every worker seals what has
 * been committed since about once a second. One seals while the others
 * find its lock taken and let it be; a run that sealed rows is followed
 * by another at once.
 */
static struct job	audit_sealer = {
	.name = "audit rows sealed",
	.query = "SELECT api.audit_seal()",
	.interval = 1000,
};

static const struct endpoint	audit_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ADMIN, BODY_NONE, audit_list, NULL },
};
static const struct endpoint	audit_verify_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ADMIN, BODY_NONE, audit_verify,
	    NULL },
};

void
audit_sealer_start(void)
{
	job_start(&audit_sealer);
}

int
audit_route(struct http_request *req)
{
	return (api_run(req, audit_eps, 1));
}

int
audit_verify_route(struct http_request *req)
{
	return (api_run(req, audit_verify_eps, 1));
}

static int
param_time(struct http_request *req, struct call *call, int i,
    const char *name)
{
	const char	*v;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_timestamp(v)) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "Thời điểm phải theo ISO 8601 (YYYY-MM-DD hoặc "
		    "YYYY-MM-DDThh:mm:ss+07:00).",
		    "The time must be ISO 8601 (YYYY-MM-DD or "
		    "YYYY-MM-DDThh:mm:ss+07:00).", name);
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

static int
audit_list(struct http_request *req, struct call *call)
{
	const char	*v;
	int64_t		id;

	call_query(call,
	    "SELECT api.audit_list($1, $2, $3, $4, $5, $6, $7, $8)", 8);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, NULL);
	if (api_query_arg(req, "actor", &v)) {
		if (!valid_id(v, &id)) {
			api_problem(req, HTTP_STATUS_BAD_REQUEST,
			    "invalid-parameter", "actor phải là mã số người dùng.",
			    "actor must be a user id.", "actor");
			return (PREPARE_RESPONDED);
		}
		call_param_int(call, 1, id);
	}
	if (!param_text(req, call, 2, "entity", 40) ||
	    !param_text(req, call, 3, "entity_id", 64) ||
	    !param_time(req, call, 4, "from") || !param_time(req, call, 5, "to") ||
	    !param_cursor(req, call, 6) || !param_limit(req, call, 7, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
audit_verify(struct http_request *req, struct call *call)
{
	(void)req;
	call_query(call, "SELECT api.audit_verify($1)", 1);
	call_param_int(call, 0, call->actor.id);
	return (PREPARE_QUERY);
}
