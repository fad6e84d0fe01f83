/*
 * The request pipeline shared by every API route:
 *
 *   setup     pick the endpoint for the method (405), check the body size
 *             (413), parse the JSON body (400/415), find the credential
 *             and refuse cross-site cookie writes (401/403)
 *   auth      api.authenticate() resolves the credential to the actor;
 *             the endpoint's roles are checked here (403) and again in
 *             the database function
 *   prepare   the endpoint validates its parameters and names the query
 *   task      (optional) hash a password, or parse an uploaded file, on
 *             a task thread
 *   query     the api.* function runs; its JSON is the response body
 *   work      (optional) turn that JSON into a file on a task thread
 *
 * Each step is an http_state so a worker never blocks on the database or
 * on PBKDF2.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "registry.h"
#include "password.h"
#include "validate.h"

static int	state_setup(struct http_request *);
static int	state_auth(struct http_request *);
static int	state_auth_wait(struct http_request *);
static int	state_prepare(struct http_request *);
static int	state_task(struct http_request *);
static int	state_task_wait(struct http_request *);
static int	state_query(struct http_request *);
static int	state_query_wait(struct http_request *);
static int	state_sign(struct http_request *);
static int	state_work(struct http_request *);
static int	state_work_wait(struct http_request *);
static int	state_done(struct http_request *);

static int	work_task(struct kore_task *);

static void	call_free(struct http_request *);
static int	method_allowed(struct http_request *, const struct endpoint *,
		    size_t);

enum {
	S_SETUP, S_AUTH, S_AUTH_WAIT, S_PREPARE, S_TASK, S_TASK_WAIT,
	S_QUERY, S_QUERY_WAIT, S_SIGN, S_WORK, S_WORK_WAIT, S_DONE
};

static struct http_state	states[] = {
	KORE_HTTP_STATE(state_setup),
	KORE_HTTP_STATE(state_auth),
	KORE_HTTP_STATE(state_auth_wait),
	KORE_HTTP_STATE(state_prepare),
	KORE_HTTP_STATE(state_task),
	KORE_HTTP_STATE(state_task_wait),
	KORE_HTTP_STATE(state_query),
	KORE_HTTP_STATE(state_query_wait),
	KORE_HTTP_STATE(state_sign),
	KORE_HTTP_STATE(state_work),
	KORE_HTTP_STATE(state_work_wait),
	KORE_HTTP_STATE(state_done),
};

static const char	authenticate_sql[] =
    "SELECT api.authenticate($1, $2)";

/*
 * Runs the request through the endpoint of eps that matches its method.
 * Route handlers are one line: return (api_run(req, eps, nelem)).
 */
int
api_run(struct http_request *req, const struct endpoint *eps, size_t n)
{
	struct call	*call;
	size_t		i;

	if (!http_state_exists(req)) {
		for (i = 0; i < n; i++) {
			if (eps[i].method == req->method)
				break;
		}
		if (i == n) {
			(void)method_allowed(req, eps, n);
			return (KORE_RESULT_OK);
		}
		call = api_call_new(req);
		call->ep = &eps[i];
	}

	return (http_state_run(states, sizeof(states) / sizeof(states[0]),
	    req));
}

/* The per-request state every route keeps, freed with the request. */
struct call *
api_call_new(struct http_request *req)
{
	struct call	*call;

	call = http_state_create(req, sizeof(*call), call_free);
	call->status = HTTP_STATUS_OK;
	call->password_param = -1;
	call->started = kore_time_ms();

	return (call);
}

/* Answers 405 with the Allow header listing what the route takes. */
static int
method_allowed(struct http_request *req, const struct endpoint *eps, size_t n)
{
	char		allow[64];
	size_t		i, off;
	int		len;

	off = 0;
	allow[0] = '\0';
	for (i = 0; i < n && off < sizeof(allow); i++) {
		len = snprintf(allow + off, sizeof(allow) - off, "%s%s",
		    i > 0 ? ", " : "", http_method_text(eps[i].method));
		if (len < 0)
			break;
		off += (size_t)len;
	}
	api_method_not_allowed(req, allow);
	return (KORE_RESULT_ERROR);
}

static void
call_free(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	int		i;

	if (call == NULL)
		return;

	/*
	 * Kore calls this again when it frees a request whose task outlived
	 * the client, so everything is cleared as it is freed.
	 */
	for (i = 0; i < CALL_PARAMS_MAX; i++) {
		kore_free(call->params[i]);
		call->params[i] = NULL;
	}
	if (call->body != NULL)
		json_decref(call->body);
	if (call->scratch != NULL)
		json_decref(call->scratch);
	call->body = call->scratch = NULL;
	if (call->password != NULL) {
		OPENSSL_cleanse(call->password, strlen(call->password));
		kore_free(call->password);
		call->password = NULL;
	}
	kore_free(call->result);
	kore_free(call->secret);
	kore_free(call->answer);
	call->result = call->secret = call->answer = NULL;
	if (call->work != NULL)
		work_release(call->work);
	call->work = NULL;
	session_slot_release(call);
}

/* Sets parameter i of the database call (NULL is SQL NULL). */
void
call_param(struct call *call, int i, const char *value)
{
	if (i < 0 || i >= CALL_PARAMS_MAX)
		fatal("call_param: index %d", i);
	kore_free(call->params[i]);
	call->params[i] = value == NULL ? NULL : kore_strdup(value);
	if (i + 1 > call->nparams)
		call->nparams = i + 1;
}

void
call_param_int(struct call *call, int i, int64_t value)
{
	char		buf[24];

	(void)snprintf(buf, sizeof(buf), "%lld", (long long)value);
	call_param(call, i, buf);
}

/* Names the api.* query; nparams must match its $n placeholders. */
void
call_query(struct call *call, const char *query, int nparams)
{
	call->query = query;
	if (nparams > CALL_PARAMS_MAX)
		fatal("call_query: %d params", nparams);
	call->nparams = nparams;
}

/* A read by the acting user: parameter 0 is the actor. */
void
call_read(struct call *call, const char *query, int nparams)
{
	call_query(call, query, nparams);
	call_param_int(call, 0, call->actor.id);
}

/* A write: parameters 0 and 1 are the actor and the credential it used. */
void
call_write(struct call *call, const char *query, int nparams)
{
	call_read(call, query, nparams);
	call_param(call, 1, call->actor.via);
}

/*
 * Asks the pipeline to hash password on a task thread and to pass the
 * stored form as parameter i. Returns 0 when the password breaks the
 * length rules.
 */
int
call_password(struct call *call, int i, const char *password)
{
	if (!password_acceptable(password, strlen(password)))
		return (0);
	call->password = kore_strdup(password);
	call->password_param = i;
	return (1);
}

static int
state_setup(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	http_populate_qs(req);

	if (call->ep->body_max == BODY_NONE) {
		if (req->http_body_length > 0) {
			api_problem(req, HTTP_STATUS_BAD_REQUEST, "unexpected-body",
			    "Yêu cầu này không nhận nội dung.",
			    "This request takes no body.", NULL);
			return (HTTP_STATE_COMPLETE);
		}
	} else if (call->ep->flags & EP_RAW_BODY) {
		if (req->http_body_length > call->ep->body_max) {
			api_problem(req, HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE,
			    "body-too-large", "Tệp tải lên quá lớn.",
			    "The uploaded file is too large.", NULL);
			return (HTTP_STATE_COMPLETE);
		}
	} else if (!api_body_parse(req, call)) {
		return (HTTP_STATE_COMPLETE);
	}

	/* Public endpoints ignore credentials: a stale cookie is no error. */
	if (call->ep->access == ACCESS_PUBLIC) {
		req->fsm_state = S_PREPARE;
		return (HTTP_STATE_CONTINUE);
	}

	if (!auth_credential(req, call))
		return (HTTP_STATE_COMPLETE);

	if (call->cred_kind == CRED_NONE) {
		api_problem(req, HTTP_STATUS_UNAUTHORIZED, "unauthenticated",
		    "Cần đăng nhập.", "Authentication required.", NULL);
		return (HTTP_STATE_COMPLETE);
	}

	/*
	 * A cookie rides along on cross-site requests; a bearer token does
	 * not. So only cookie-authenticated writes need the origin check.
	 */
	if (call->cred_kind == CRED_SESSION && req->method != HTTP_METHOD_GET &&
	    req->method != HTTP_METHOD_HEAD && !auth_csrf_ok(req)) {
		api_problem(req, HTTP_STATUS_FORBIDDEN, "csrf",
		    "Yêu cầu ghi bằng cookie phải đến từ chính trang của hệ thống "
		    "(thiếu hoặc sai tiêu đề Origin).",
		    "A cookie-authenticated write must come from this site's own "
		    "pages (Origin header missing or foreign).", NULL);
		return (HTTP_STATE_COMPLETE);
	}

	req->fsm_state = S_AUTH;
	return (HTTP_STATE_CONTINUE);
}

/*
 * The body must be a JSON object no larger than the endpoint allows.
 * jansson rejects bad UTF-8 and accepts \u escapes, unlike kore_json.
 */
int
api_body_parse(struct http_request *req, struct call *call)
{
	struct kore_buf		*buf;
	json_error_t		err;
	const char		*ctype;
	char			chunk[8192];
	ssize_t			ret;

	if (req->http_body_length > call->ep->body_max) {
		api_problem(req, HTTP_STATUS_REQUEST_ENTITY_TOO_LARGE,
		    "body-too-large", "Nội dung yêu cầu quá lớn.",
		    "The request body is too large.", NULL);
		return (0);
	}
	if (req->http_body_length == 0) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "body-required",
		    "Yêu cầu này cần nội dung JSON.",
		    "This request needs a JSON body.", NULL);
		return (0);
	}
	if (!http_request_header(req, "content-type", &ctype) ||
	    !valid_json_media_type(ctype)) {
		api_problem(req, HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE,
		    "unsupported-media-type",
		    "Nội dung phải là application/json.",
		    "The body must be application/json.", NULL);
		return (0);
	}

	buf = kore_buf_alloc(req->http_body_length);
	for (;;) {
		ret = http_body_read(req, chunk, sizeof(chunk));
		if (ret == -1) {
			kore_buf_free(buf);
			api_problem(req, HTTP_STATUS_BAD_REQUEST, "body-unreadable",
			    "Không đọc được nội dung yêu cầu.",
			    "The request body could not be read.", NULL);
			return (0);
		}
		if (ret == 0)
			break;
		kore_buf_append(buf, chunk, (size_t)ret);
	}

	call->body = json_loadb((const char *)buf->data, buf->offset,
	    JSON_REJECT_DUPLICATES, &err);
	kore_buf_free(buf);

	if (call->body == NULL) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "malformed-json",
		    "Nội dung không phải JSON hợp lệ (UTF-8).",
		    "The body is not valid JSON (UTF-8).", NULL);
		return (0);
	}
	if (!json_is_object(call->body)) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "json-object-required",
		    "Nội dung phải là một đối tượng JSON.",
		    "The body must be a JSON object.", NULL);
		return (0);
	}

	return (1);
}

static int
state_auth(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	char		*params[2];

	params[0] = call->cred_kind == CRED_SESSION ? "session" : "token";
	params[1] = call->cred_hash;

	switch (db_start(req, call, authenticate_sql, 2, params)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}

	req->fsm_state = S_AUTH_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
state_auth_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	switch (db_wait(req, call)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		return (HTTP_STATE_COMPLETE);
	}

	if (call->result == NULL || !auth_actor_parse(call, call->result)) {
		kore_log(LOG_ERR, "api.authenticate returned no actor");
		api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
		return (HTTP_STATE_COMPLETE);
	}
	kore_free(call->result);
	call->result = NULL;

	if (call->ep->access == ACCESS_USER && !(call->actor.role & call->ep->roles)) {
		api_problem(req, HTTP_STATUS_FORBIDDEN, "forbidden",
		    "Vai trò của bạn không được phép thực hiện thao tác này.",
		    "Your role is not allowed to do this.", NULL);
		return (HTTP_STATE_COMPLETE);
	}

	req->fsm_state = S_PREPARE;
	return (HTTP_STATE_CONTINUE);
}

static int
state_prepare(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	if (call->ep->prepare(req, call) != PREPARE_QUERY)
		return (HTTP_STATE_COMPLETE);

	if (call->password != NULL)
		req->fsm_state = S_TASK;
	else if (call->work != NULL && !call->work_after)
		req->fsm_state = S_WORK;
	else
		req->fsm_state = S_QUERY;
	return (HTTP_STATE_CONTINUE);
}

static int
state_task(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	kore_task_create(&call->task, auth_task_hash);
	kore_task_bind_request(&call->task, req);
	call->task_started = 1;
	kore_task_run(&call->task);
	kore_task_channel_write(&call->task, call->password,
	    (u_int32_t)strlen(call->password));

	req->fsm_state = S_TASK_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
state_task_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	char		hash[PASSWORD_HASH_MAX];
	u_int32_t	len;

	if (kore_task_state(&call->task) != KORE_TASK_STATE_FINISHED) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}

	len = kore_task_channel_read(&call->task, hash, sizeof(hash) - 1);
	if (kore_task_result(&call->task) != KORE_RESULT_OK || len == 0 ||
	    len >= sizeof(hash)) {
		kore_task_destroy(&call->task);
		api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
		return (HTTP_STATE_COMPLETE);
	}
	hash[len] = '\0';
	kore_task_destroy(&call->task);
	call_param(call, call->password_param, hash);

	req->fsm_state = S_QUERY;
	return (HTTP_STATE_CONTINUE);
}

static int
state_query(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	switch (db_start(req, call, call->query, call->nparams, call->params)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		if (!(call->ep->flags & EP_OWN_DB_ERRORS) && !call->signing)
			return (HTTP_STATE_COMPLETE);
		req->fsm_state = S_DONE;
		return (HTTP_STATE_CONTINUE);
	}

	req->fsm_state = S_QUERY_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
state_query_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	switch (db_wait(req, call)) {
	case DB_RETRY:
		return (HTTP_STATE_RETRY);
	case DB_FAILED:
		if (!(call->ep->flags & EP_OWN_DB_ERRORS) && !call->signing)
			return (HTTP_STATE_COMPLETE);
		break;
	}

	if ((call->ep->flags & EP_SIGNS) && !call->signing &&
	    !call->db_failed && call->result != NULL) {
		req->fsm_state = S_SIGN;
		return (HTTP_STATE_CONTINUE);
	}

	if (call->work != NULL && call->work_after && !call->db_failed &&
	    call->result != NULL) {
		req->fsm_state = S_WORK;
		return (HTTP_STATE_CONTINUE);
	}
	req->fsm_state = S_DONE;
	return (HTTP_STATE_CONTINUE);
}

/*
 * The write committed and issued credentials: sign them and store the
 * signatures with a second query, then answer what the write returned.
 * Signing takes microseconds, so it stays on the event loop. Should the
 * second query fail, the write still stands and the signer finishes the
 * job; the answer is the same either way.
 */
static int
state_sign(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	if (signing_prepare(call)) {
		call->signing = 1;
		req->fsm_state = S_QUERY;
	} else {
		req->fsm_state = S_DONE;
	}
	return (HTTP_STATE_CONTINUE);
}

/*
 * Hands the work to a task thread: before the query it takes what prepare
 * gave it, after the query the query's JSON.
 */
static int
state_work(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	struct work	*w = call->work;

	if (call->work_after) {
		w->inlen = strlen(call->result);
		if ((w->in = malloc(w->inlen + 1)) == NULL)
			fatal("state_work: out of memory");
		memcpy(w->in, call->result, w->inlen + 1);
	}
	(void)__atomic_add_fetch(&w->refs, 1, __ATOMIC_ACQ_REL);
	kore_task_create(&call->task, work_task);
	kore_task_bind_request(&call->task, req);
	call->task_started = 1;
	kore_task_run(&call->task);
	kore_task_channel_write(&call->task, &w, sizeof(w));

	req->fsm_state = S_WORK_WAIT;
	return (HTTP_STATE_RETRY);
}

static int
state_work_wait(struct http_request *req)
{
	struct call	*call = http_state_get(req);
	struct work	*w = call->work;

	if (kore_task_state(&call->task) != KORE_TASK_STATE_FINISHED) {
		http_request_sleep(req);
		return (HTTP_STATE_RETRY);
	}
	kore_task_destroy(&call->task);

	if (w->status != 0) {
		api_problem(req, w->status, w->code, w->vi, w->en,
		    w->field[0] != '\0' ? w->field : NULL);
		return (HTTP_STATE_COMPLETE);
	}
	if (call->work_after) {
		api_file(req, w->ctype, w->filename, w->out, w->outlen);
		return (HTTP_STATE_COMPLETE);
	}
	call_param(call, call->work_param, w->out);
	req->fsm_state = S_QUERY;
	return (HTTP_STATE_CONTINUE);
}

/* Runs on a task thread: the work's function, then lets go of it. */
static int
work_task(struct kore_task *t)
{
	struct work	*w;

	if (kore_task_channel_read(t, &w, sizeof(w)) != sizeof(w))
		return (KORE_RESULT_ERROR);
	if (!w->fn(w) && w->status == 0)
		work_fail(w, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
	work_release(w);
	return (KORE_RESULT_OK);
}

struct work *
work_new(int (*fn)(struct work *))
{
	struct work	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("work_new: out of memory");
	w->refs = 1;
	w->fn = fn;
	return (w);
}

void
work_release(struct work *w)
{
	if (__atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free(w->in);
	free(w->out);
	free(w);
}

/* Records why the work failed; the request answers it as a problem. */
void
work_fail(struct work *w, int status, const char *code, const char *vi,
    const char *en, const char *field)
{
	w->status = status;
	(void)snprintf(w->code, sizeof(w->code), "%s", code);
	(void)snprintf(w->vi, sizeof(w->vi), "%s", vi);
	(void)snprintf(w->en, sizeof(w->en), "%s", en);
	(void)snprintf(w->field, sizeof(w->field), "%s",
	    field != NULL ? field : "");
}

/* Work whose output becomes parameter i of the query. */
void
call_work_before(struct call *call, struct work *w, int i)
{
	call->work = w;
	call->work_param = i;
	call->work_after = 0;
}

/* Work that turns the query's JSON into the response. */
void
call_work_after(struct call *call, struct work *w)
{
	call->work = w;
	call->work_after = 1;
}

static int
state_done(struct http_request *req)
{
	struct call	*call = http_state_get(req);

	if (call->answer != NULL) {
		api_json(req, call->status, call->answer, strlen(call->answer));
	} else if (call->ep->finish != NULL) {
		call->ep->finish(req, call);
	} else if (call->result == NULL) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không tìm thấy.", "Not found.", NULL);
	} else {
		api_json(req, call->status, call->result, strlen(call->result));
	}

	return (HTTP_STATE_COMPLETE);
}
