/*
 * Signing in and out, and who am I.
 *
 * POST /api/v1/session runs its own states because a login is two
 * database calls around a password check: api.login_begin() says whether
 * the client address or the login is throttled (100 or 5 failures in 15
 * minutes: 429 with Retry-After) and otherwise reserves the attempt and
 * hands back the stored hash; a task thread verifies the password;
 * api.login_finish() settles the attempt and, on success, opens the
 * session under the digest of a cookie secret generated here.
 *
 * Password checks cost a quarter of a second of CPU each, so a worker
 * takes at most REGISTRY_LOGIN_QUEUE sign-ins (default 8) between the
 * first database call and the end of the check; beyond that it answers
 * 503 with Retry-After at once instead of letting a flood of guesses
 * delay every real sign-in.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "registry.h"
#include "crypto.h"
#include "password.h"
#include "validate.h"

#define SESSION_MAX_AGE		(12 * 60 * 60)
#define LOGIN_QUEUE_DEFAULT	8
#define LOGIN_QUEUE_MAX		1024

static int	login_slots_used = 0;

static int	login_setup(struct http_request *);
static int	login_begin(struct http_request *);
static int	login_begin_wait(struct http_request *);
static int	login_verify(struct http_request *);
static int	login_verify_wait(struct http_request *);
static int	login_finish(struct http_request *);
static int	login_finish_wait(struct http_request *);
static int	login_run(struct http_request *);
static void	login_refused(struct http_request *);
static int	login_slot_take(struct call *);
static void	login_throttled(struct http_request *, struct call *, json_t *);

static int	logout_prepare(struct http_request *, struct call *);
static void	logout_finish(struct http_request *, struct call *);
static int	me_prepare(struct http_request *, struct call *);

enum {
	L_SETUP, L_BEGIN, L_BEGIN_WAIT, L_VERIFY, L_VERIFY_WAIT, L_FINISH,
	L_FINISH_WAIT
};

static struct http_state	login_states[] = {
	KORE_HTTP_STATE(login_setup),
	KORE_HTTP_STATE(login_begin),
	KORE_HTTP_STATE(login_begin_wait),
	KORE_HTTP_STATE(login_verify),
	KORE_HTTP_STATE(login_verify_wait),
	KORE_HTTP_STATE(login_finish),
	KORE_HTTP_STATE(login_finish_wait),
};

static const struct endpoint	session_eps[] = {
	{ HTTP_METHOD_DELETE, ACCESS_USER, ROLE_ANY, BODY_NONE,
	    logout_prepare, logout_finish },
};

static const struct endpoint	me_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, me_prepare, NULL },
};

/*
 * Indices into call->params for the login flow; the first four are
 * api.login_finish()'s arguments.
 */
enum { P_ATTEMPT, P_OK, P_SECRET_HASH, P_AGENT, P_LOGIN, P_IP, P_PASSWORD,
    P_HASH };

int
session_route(struct http_request *req)
{
	if (req->method == HTTP_METHOD_POST)
		return (login_run(req));
	if (req->method != HTTP_METHOD_DELETE) {
		api_method_not_allowed(req, "POST, DELETE");
		return (KORE_RESULT_OK);
	}
	return (api_run(req, session_eps, 1));
}

int
me_route(struct http_request *req)
{
	return (api_run(req, me_eps, 1));
}

static int
login_run(struct http_request *req)
{
	if (!http_state_exists(req))
		(void)api_call_new(req);
	return (http_state_run(login_states,
	    sizeof(login_states) / sizeof(login_states[0]), req));
}

static void
login_refused(struct http_request *req)
{
	api_problem(req, HTTP_STATUS_UNAUTHORIZED, "bad-credentials",
	    "Tên đăng nhập hoặc mật khẩu không đúng.",
	    "Wrong login or password.", NULL);
}

/*
 * Takes one of this worker's sign-in slots, or returns 0 when all are
 * held. The queue length is read once, from REGISTRY_LOGIN_QUEUE.
 */
static int
login_slot_take(struct call *call)
{
	static int	max = 0;
	const char	*v;
	int		err;

	if (max == 0) {
		max = LOGIN_QUEUE_DEFAULT;
		if ((v = getenv("REGISTRY_LOGIN_QUEUE")) != NULL) {
			max = kore_strtonum(v, 10, 1, LOGIN_QUEUE_MAX, &err);
			if (err != KORE_RESULT_OK) {
				kore_log(LOG_ERR, "REGISTRY_LOGIN_QUEUE: 1 to %d",
				    LOGIN_QUEUE_MAX);
				max = LOGIN_QUEUE_DEFAULT;
			}
		}
	}
	if (login_slots_used >= max)
		return (0);
	login_slots_used++;
	call->login_slot = 1;
	return (1);
}

/* Gives the slot back (once); also called when the request is freed. */
void
session_slot_release(struct call *call)
{
	if (!call->login_slot)
		return;
	call->login_slot = 0;
	login_slots_used--;
}

static int
login_setup(struct http_request *req)
{
	static const char *const	fields[] = { "login", "password", NULL };
	static const struct endpoint	ep = { HTTP_METHOD_POST, ACCESS_PUBLIC,
					    0, 4096, NULL, NULL };
	struct call			*call = http_state_get(req);
	const char			*origin;
	char				ip[64];

	call->ep = &ep;
	if (!api_body_parse(req, call) || !body_only(req, call, fields) ||
	    !body_string(req, call, P_LOGIN, "login", 1) ||
	    !body_string(req, call, P_PASSWORD, "password", 1))
		return (HTTP_STATE_COMPLETE);

	/* Login CSRF: a browser posting from another site is refused. */
	if (http_request_header(req, "origin", &origin) &&
	    !auth_csrf_ok(req)) {
		api_problem(req, HTTP_STATUS_FORBIDDEN, "csrf",
		    "Đăng nhập phải từ chính trang của hệ thống.",
		    "Sign-in must come from this site's own pages.", NULL);
		return (HTTP_STATE_COMPLETE);
	}

	if (!valid_login(call->params[P_LOGIN]) ||
	    strlen(call->params[P_PASSWORD]) > PASSWORD_MAX_LEN) {
		login_refused(req);
		return (HTTP_STATE_COMPLETE);
	}

	if (!login_slot_take(call)) {
		http_response_header(req, "retry-after", "1");
		api_problem(req, HTTP_STATUS_SERVICE_UNAVAILABLE, "login-busy",
		    "Máy chủ đang bận kiểm tra đăng nhập; hãy thử lại sau giây "
		    "lát.", "The server is busy checking sign-ins; try again in "
		    "a moment.", NULL);
		return (HTTP_STATE_COMPLETE);
	}

	if (!api_client_ip(req, ip, sizeof(ip)))
		(void)kore_strlcpy(ip, "0.0.0.0", sizeof(ip));
	call_param(call, P_IP, ip);
	call_param(call, P_AGENT, req->agent);

	req->fsm_state = L_BEGIN;
	return (HTTP_STATE_CONTINUE);
}

static int
login_begin(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	char		*params[2];

	params[0] = call->params[P_LOGIN];
	params[1] = call->params[P_IP];
	switch (db_start(req, call, "SELECT api.login_begin($1, $2)", 2,
	    params)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}
	req->fsm_state = L_BEGIN_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
login_begin_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	json_t		*j, *hash;

	switch (db_wait(req, call)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}

	if (call->result == NULL ||
	    (j = json_loads(call->result, 0, NULL)) == NULL) {
		api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
		return (HTTP_STATE_COMPLETE);
	}
	call->scratch = j;

	if (json_is_true(json_object_get(j, "throttled"))) {
		session_slot_release(call);
		login_throttled(req, call, j);
		return (HTTP_STATE_COMPLETE);
	}
	call_param_int(call, P_ATTEMPT,
	    json_integer_value(json_object_get(j, "attempt")));

	hash = json_object_get(j, "password_hash");
	call_param(call, P_HASH, json_is_string(hash) ?
	    json_string_value(hash) : "");

	req->fsm_state = L_VERIFY;
	return (HTTP_STATE_CONTINUE);
}

/* 429 with Retry-After: the address (scope "address") or the login. */
static void
login_throttled(struct http_request *req, struct call *call, json_t *j)
{
	char		retry[16];
	json_int_t	wait;
	const char	*scope;

	wait = json_integer_value(json_object_get(j, "retry_after"));
	(void)snprintf(retry, sizeof(retry), "%lld", (long long)wait);
	http_response_header(req, "retry-after", retry);
	scope = json_string_value(json_object_get(j, "scope"));
	if (scope != NULL && strcmp(scope, "address") == 0) {
		kore_log(LOG_NOTICE, "sign-ins throttled for address %s",
		    call->params[P_IP]);
		api_problem(req, 429, "address-throttled",
		    "Quá nhiều lần đăng nhập sai từ địa chỉ này (100 lần trong "
		    "15 phút); hãy thử lại sau.",
		    "Too many failed sign-ins from this address (100 in 15 "
		    "minutes); try again later.", NULL);
		return;
	}
	kore_log(LOG_NOTICE, "login throttled for '%s'", call->params[P_LOGIN]);
	api_problem(req, 429, "login-throttled",
	    "Đăng nhập sai quá 5 lần trong 15 phút; hãy thử lại sau.",
	    "Too many failed sign-ins (5 in 15 minutes); try again later.",
	    NULL);
}

static int
login_verify(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	struct kore_buf	buf;

	kore_buf_init(&buf, 512);
	kore_buf_appendf(&buf, "%s\n%s", call->params[P_HASH],
	    call->params[P_PASSWORD]);

	kore_task_create(&call->task, auth_task_verify);
	kore_task_bind_request(&call->task, req);
	call->task_started = 1;
	kore_task_run(&call->task);
	kore_task_channel_write(&call->task, buf.data, (u_int32_t)buf.offset);
	OPENSSL_cleanse(buf.data, buf.length);
	kore_buf_cleanup(&buf);

	req->fsm_state = L_VERIFY_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
login_verify_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	char		out[2], secret[CRYPTO_SECRET_CHARS + 1];
	char		digest[CRYPTO_SHA256_HEX];
	u_int32_t	len;
	int		ok;

	if (kore_task_state(&call->task) != KORE_TASK_STATE_FINISHED) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	len = kore_task_channel_read(&call->task, out, sizeof(out));
	ok = kore_task_result(&call->task) == KORE_RESULT_OK && len == 1 &&
	    out[0] == '1';
	kore_task_destroy(&call->task);
	session_slot_release(call);

	call_param(call, P_OK, ok ? "true" : "false");
	call_param(call, P_SECRET_HASH, NULL);
	if (ok) {
		if (!crypto_secret(secret, sizeof(secret)))
			fatal("login: no randomness");
		crypto_sha256_hex(secret, strlen(secret), digest);
		call->secret = kore_strdup(secret);
		call_param(call, P_SECRET_HASH, digest);
	}

	req->fsm_state = L_FINISH;
	return (HTTP_STATE_CONTINUE);
}

static int
login_finish(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	switch (db_start(req, call,
	    "SELECT api.login_finish($1, $2, $3, $4)", 4, call->params)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}
	req->fsm_state = L_FINISH_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
login_finish_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	json_t		*user;

	switch (db_wait(req, call)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}

	if (call->result == NULL || call->secret == NULL ||
	    (user = json_loads(call->result, 0, NULL)) == NULL) {
		login_refused(req);
		return (HTTP_STATE_COMPLETE);
	}
	call->actor.id = json_integer_value(json_object_get(user, "id"));
	json_decref(user);

	auth_session_cookie(req, call->secret, SESSION_MAX_AGE);
	api_json(req, HTTP_STATUS_OK, call->result, strlen(call->result));
	return (HTTP_STATE_COMPLETE);
}

static int
logout_prepare(struct http_request *req, struct call *call)
{
	if (call->cred_kind != CRED_SESSION) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "no-session",
		    "Yêu cầu này không dùng phiên đăng nhập (cookie).",
		    "This request is not signed in with a session cookie.",
		    NULL);
		return (PREPARE_RESPONDED);
	}
	call_query(call, "SELECT api.logout($1, $2)", 2);
	call_param_int(call, 0, call->actor.id);
	call_param(call, 1, call->cred_hash);
	return (PREPARE_QUERY);
}

static void
logout_finish(struct http_request *req, struct call *call)
{
	auth_session_cookie(req, NULL, 0);
	api_json(req, HTTP_STATUS_OK, call->result, strlen(call->result));
}

static int
me_prepare(struct http_request *req, struct call *call)
{
	(void)req;
	call_query(call, "SELECT api.me($1)", 1);
	call_param_int(call, 0, call->actor.id);
	return (PREPARE_QUERY);
}
