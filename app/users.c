/*
 * Accounts and API tokens (national administrators), plus each user's
 * read of their own account. Secrets are shown exactly once: a generated
 * password in the response that set it, a token in the response that
 * created it. The database only ever receives their hashes.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "crypto.h"
#include "password.h"
#include "validate.h"

static int	users_list(struct http_request *, struct call *);
static int	user_create(struct http_request *, struct call *);
static int	user_get(struct http_request *, struct call *);
static int	user_update(struct http_request *, struct call *);
static int	user_password(struct http_request *, struct call *);
static int	tokens_list(struct http_request *, struct call *);
static int	token_create(struct http_request *, struct call *);
static int	token_revoke(struct http_request *, struct call *);
static void	reveal_secret(struct http_request *, struct call *);
static int	password_or_generated(struct http_request *, struct call *,
		    int);

static const struct endpoint	users_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ADMIN, BODY_NONE, users_list, NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX, user_create,
	    reveal_secret },
};

static const struct endpoint	user_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, user_get, NULL },
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX, user_update,
	    NULL },
};

static const struct endpoint	password_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX, user_password,
	    reveal_secret },
};

static const struct endpoint	tokens_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ADMIN, BODY_NONE, tokens_list, NULL },
	{ HTTP_METHOD_POST, ACCESS_USER, ROLE_ADMIN, BODY_JSON_MAX, token_create,
	    reveal_secret },
};

static const struct endpoint	token_eps[] = {
	{ HTTP_METHOD_DELETE, ACCESS_USER, ROLE_ADMIN, BODY_NONE, token_revoke,
	    NULL },
};

int
users_route(struct http_request *req)
{
	return (api_run(req, users_eps, 2));
}

int
user_route(struct http_request *req)
{
	return (api_run(req, user_eps, 2));
}

int
user_password_route(struct http_request *req)
{
	return (api_run(req, password_eps, 1));
}

int
user_tokens_route(struct http_request *req)
{
	return (api_run(req, tokens_eps, 2));
}

int
token_route(struct http_request *req)
{
	return (api_run(req, token_eps, 1));
}

static int
users_list(struct http_request *req, struct call *call)
{
	const char	*role;

	call_query(call, "SELECT api.users_list($1, $2, $3, $4, $5)", 5);
	call_param_int(call, 0, call->actor.id);
	if (!param_text(req, call, 1, "q", 100))
		return (PREPARE_RESPONDED);
	if (api_query_arg(req, "role", &role)) {
		if (auth_role_value(role) == 0) {
			api_problem(req, HTTP_STATUS_BAD_REQUEST,
			    "invalid-parameter", "Vai trò không hợp lệ.",
			    "Unknown role.", "role");
			return (PREPARE_RESPONDED);
		}
		call_param(call, 2, role);
	} else {
		call_param(call, 2, NULL);
	}
	if (!param_cursor(req, call, 3) || !param_limit(req, call, 4, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/*
 * The password in the body, or a generated one that the response will
 * show once. Either way it is hashed on a task thread into parameter i.
 */
static int
password_or_generated(struct http_request *req, struct call *call, int i)
{
	json_t		*v;
	char		generated[32];

	v = json_object_get(call->body, "password");
	if (v == NULL || json_is_null(v)) {
		if (!password_generate(generated, sizeof(generated)))
			fatal("password_generate: no randomness");
		call->secret = kore_strdup(generated);
		call->secret_name = "password";
		(void)call_password(call, i, generated);
		return (1);
	}
	if (!json_is_string(v) || !call_password(call, i, json_string_value(v))) {
		api_problem(req, 422, "weak-password",
		    "Mật khẩu phải có từ 8 đến 256 ký tự.",
		    "The password must have 8 to 256 characters.", "password");
		return (0);
	}
	return (1);
}

static int
user_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "login", "display_name",
					    "role", "province_code",
					    "institution_id", "password", NULL };

	call_query(call,
	    "SELECT api.user_create($1, $2, $3, $4, $5, $6, $7, $8)", 8);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!body_only(req, call, fields) ||
	    !body_string(req, call, 2, "login", 1) ||
	    !body_string(req, call, 3, "display_name", 1) ||
	    !body_string(req, call, 4, "role", 1) ||
	    !body_string(req, call, 5, "province_code", 0) ||
	    !body_int(req, call, 6, "institution_id", 0) ||
	    !password_or_generated(req, call, 7))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
user_get(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.user_get($1, $2)", 2);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/*
 * Types are checked here; the database checks meaning (role and scope
 * agree, the province exists) and applies the patch in one transaction.
 */
static int
user_update(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "display_name", "role",
					    "province_code", "institution_id",
					    "disabled", NULL };
	char				*patch;

	call_query(call, "SELECT api.user_update($1, $2, $3, $4)", 4);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_only(req, call, fields) ||
	    !body_string(req, call, 3, "display_name", 0) ||
	    !body_string(req, call, 3, "role", 0) ||
	    !body_string(req, call, 3, "province_code", 0) ||
	    !body_int(req, call, 3, "institution_id", 0) ||
	    !body_bool(req, call, 3, "disabled", 0))
		return (PREPARE_RESPONDED);
	if (json_object_size(call->body) == 0) {
		api_problem(req, 422, "empty-patch", "Không có trường nào để sửa.",
		    "The patch changes nothing.", NULL);
		return (PREPARE_RESPONDED);
	}
	if ((patch = json_dumps(call->body, JSON_COMPACT)) == NULL)
		fatal("user_update: json_dumps");
	call_param(call, 3, patch);
	free(patch);
	return (PREPARE_QUERY);
}

static int
user_password(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "password", NULL };

	call_query(call, "SELECT api.user_set_password($1, $2, $3, $4)", 4);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_only(req, call, fields) ||
	    !password_or_generated(req, call, 3))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
tokens_list(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.tokens_list($1, $2)", 2);
	call_param_int(call, 0, call->actor.id);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
token_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "name", "expires_in_days",
					    NULL };
	char				token[TOKEN_LEN + 1];
	char				digest[CRYPTO_SHA256_HEX];

	call_query(call, "SELECT api.token_create($1, $2, $3, $4, $5, $6)", 6);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_only(req, call, fields) ||
	    !body_string(req, call, 3, "name", 1) ||
	    !body_int(req, call, 5, "expires_in_days", 0))
		return (PREPARE_RESPONDED);

	if (!crypto_token_new(token, sizeof(token)))
		fatal("token_create: no randomness");
	crypto_sha256_hex(token, strlen(token), digest);
	call_param(call, 4, digest);
	call->secret = kore_strdup(token);
	call->secret_name = "token";
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
token_revoke(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.token_revoke($1, $2, $3)", 3);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->actor.via);
	if (!param_path_id(req, call, 2, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/*
 * Adds the one-time secret to the database's JSON: "token" for a new API
 * token, "password" for a generated password.
 */
static void
reveal_secret(struct http_request *req, struct call *call)
{
	json_t		*j;
	char		*out;

	if (call->secret == NULL) {
		api_json(req, call->status, call->result, strlen(call->result));
		return;
	}
	if ((j = json_loads(call->result, 0, NULL)) == NULL)
		fatal("reveal_secret: database returned bad JSON");

	(void)json_object_set_new(j, call->secret_name,
	    json_string(call->secret));
	if ((out = json_dumps(j, JSON_COMPACT)) == NULL)
		fatal("reveal_secret: json_dumps");
	json_decref(j);

	api_json(req, call->status, out, strlen(out));
	free(out);
}
