/*
 * Training needs: the people of a province who should be trained next,
 * ranked and each with the reason (untrained in an UNTRAINED commune, a
 * collaborator who counts toward coverage untrained, one certificate
 * away from a title or from practice registration). Computed by
 * PostgreSQL on every read (sql/api/83_training_needs.sql);
 * administrators read every province, officers and steering their own.
 */
#include <sys/types.h>

#include "registry.h"

static int	needs_get(struct http_request *, struct call *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)

static const struct endpoint	needs_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, needs_get, NULL },
};

int
province_training_needs_route(struct http_request *req)
{
	return (api_run(req, needs_eps, 1));
}

/* ?rank is checked against 1, 2, 3 by the database (400 naming it). */
static int
needs_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.training_needs($1, $2, $3, $4, $5, $6)", 6);
	if (!param_path_code(req, call, 1, 2, "code") ||
	    !param_code(req, call, 2, "rank", 1) ||
	    !param_code(req, call, 3, "commune", 5) ||
	    !param_cursor(req, call, 4) || !param_limit(req, call, 5, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
