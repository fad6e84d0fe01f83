/*
 * The course catalogue: degree programmes by level, short courses by
 * topic, title-training courses by title. Every signed-in user reads it;
 * administrators and officers add and change courses.
 */
#include <sys/types.h>

#include "registry.h"

static int	courses_list(struct http_request *, struct call *);
static int	course_create(struct http_request *, struct call *);
static int	course_get(struct http_request *, struct call *);
static int	course_update(struct http_request *, struct call *);

#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	course_fields[] = { "code", "name", "name_en",
				    "kind", "level", "programme_code", "field",
				    "topic", "title_code", "hours",
				    "counts_as_sw_training", "active", NULL };

static const struct endpoint	courses_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, courses_list,
	    NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    course_create, NULL },
};

static const struct endpoint	course_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, course_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    course_update, NULL },
};

int
courses_route(struct http_request *req)
{
	return (api_run(req, courses_eps, 2));
}

int
course_route(struct http_request *req)
{
	return (api_run(req, course_eps, 2));
}

static int
courses_list(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.courses_list($1, $2, $3, $4, $5, $6, $7)",
	    7);
	if (!param_code(req, call, 1, "kind", 32) ||
	    !param_code(req, call, 2, "level", 16) ||
	    !param_code(req, call, 3, "topic", 32) ||
	    !param_text(req, call, 4, "q", 100) ||
	    !param_cursor(req, call, 5) || !param_limit(req, call, 6, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
course_create(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.course_create($1, $2, $3)", 3);
	if (!body_record(req, call, 2, course_fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
course_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.course_get($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
course_update(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.course_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, course_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
