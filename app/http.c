/*
 * HTTP edges: JSON and problem+json (RFC 9457) responses in the caller's
 * language, the access log line, and checked access to path ids,
 * query-string arguments and JSON body fields. A parameter that breaks its
 * rule is answered with 400 naming it; nothing is silently ignored.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "cccd.h"
#include "validate.h"

struct status_title {
	int		status;
	const char	*vi;
	const char	*en;
};

static const struct status_title	titles[] = {
	{ 400, "Yêu cầu không hợp lệ", "Bad request" },
	{ 401, "Chưa xác thực", "Unauthorized" },
	{ 403, "Không được phép", "Forbidden" },
	{ 404, "Không tìm thấy", "Not found" },
	{ 405, "Phương thức không được phép", "Method not allowed" },
	{ 409, "Xung đột dữ liệu", "Conflict" },
	{ 413, "Nội dung quá lớn", "Payload too large" },
	{ 415, "Kiểu nội dung không hỗ trợ", "Unsupported media type" },
	{ 422, "Dữ liệu không hợp lệ", "Unprocessable content" },
	{ 429, "Quá nhiều yêu cầu", "Too many requests" },
	{ 500, "Lỗi hệ thống", "Internal server error" },
	{ 503, "Dịch vụ tạm ngưng", "Service unavailable" },
};

static void	common_headers(struct http_request *);
static int	peer_addr(struct http_request *, char *, size_t);
static int	peer_trusted(struct http_request *);
static void	param_bad(struct http_request *, const char *, const char *,
		    const char *);
static int	body_field(struct http_request *, struct call *, int,
		    const char *, int, json_t **);
static int	body_type_error(struct http_request *, const char *,
		    const char *, const char *);

static void
common_headers(struct http_request *req)
{
	http_response_header(req, "cache-control", "no-store");
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "content-language",
	    api_lang_en(req) ? "en" : "vi");
}

/* A JSON body the database built; passed through untouched. */
void
api_json(struct http_request *req, int status, const void *body, size_t len)
{
	common_headers(req);
	http_response_header(req, "content-type",
	    "application/json; charset=utf-8");
	api_log(req, status);
	http_response(req, status, body, len);
}

/*
 * Answers an RFC 9457 problem. detail is given in both languages and sent
 * in the one the client asked for; field, when set, names the request
 * field at fault (also as errors[0] for clients that expect a list).
 */
void
api_problem(struct http_request *req, int status, const char *code,
    const char *vi, const char *en, const char *field)
{
	api_problem_link(req, status, code, vi, en, field, NULL);
}

/*
 * A problem that points at an existing record (a duplicate): the link is
 * the "existing" member, a path on this server.
 */
void
api_problem_link(struct http_request *req, int status, const char *code,
    const char *vi, const char *en, const char *field, const char *existing)
{
	json_t		*p, *err;
	char		*out, type[96];
	const char	*title, *detail;
	size_t		i;
	int		english;

	english = api_lang_en(req);
	title = english ? "Error" : "Lỗi";
	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		if (titles[i].status == status) {
			title = english ? titles[i].en : titles[i].vi;
			break;
		}
	}
	detail = english ? (en != NULL ? en : vi) : (vi != NULL ? vi : en);
	(void)snprintf(type, sizeof(type), "/problems/%s", code);

	p = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", title,
	    "status", status, "detail", detail != NULL ? detail : title);
	if (p == NULL)
		fatal("api_problem: json_pack");
	(void)json_object_set_new(p, "code", json_string(code));
	if (field != NULL && *field != '\0') {
		(void)json_object_set_new(p, "field", json_string(field));
		err = json_pack("{s:s, s:s, s:s}", "field", field, "code", code,
		    "message", detail != NULL ? detail : title);
		if (err != NULL)
			(void)json_object_set_new(p, "errors", json_pack("[o]", err));
	}
	if (existing != NULL && *existing != '\0')
		(void)json_object_set_new(p, "existing", json_string(existing));

	out = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	if (out == NULL)
		fatal("api_problem: json_dumps");

	common_headers(req);
	http_response_header(req, "content-type",
	    "application/problem+json; charset=utf-8");
	api_log(req, status);
	http_response(req, status, out, strlen(out));
	free(out);
}

/* A file to download, named for the browser's save dialogue. */
void
api_file(struct http_request *req, const char *ctype, const char *filename,
    const void *body, size_t len)
{
	char		disposition[192];

	(void)snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"%s\"", filename);
	common_headers(req);
	http_response_header(req, "content-type", ctype);
	http_response_header(req, "content-disposition", disposition);
	api_log(req, HTTP_STATUS_OK);
	http_response(req, HTTP_STATUS_OK, body, len);
}

/* One line per request: method, path, status, duration, actor. */
void
api_log(struct http_request *req, int status)
{
	struct call	*call;
	long long	actor;
	u_int64_t	started;

	/* Kore resets req->start on every retry; the call knows the first. */
	actor = 0;
	started = req->start;
	if (req->hdlr_extra != NULL && req->state_len == sizeof(struct call)) {
		call = http_state_get(req);
		actor = (long long)call->actor.id;
		started = call->started;
	}

	kore_log(LOG_INFO, "access %s %s %d %llums actor=%lld",
	    http_method_text(req->method), req->path, status,
	    (unsigned long long)(kore_time_ms() - started), actor);
}

/* English when the client's first language preference is English. */
int
api_lang_en(struct http_request *req)
{
	const char	*lang;

	if (!http_request_header(req, "accept-language", &lang))
		return (0);
	while (*lang == ' ')
		lang++;
	return (strncasecmp(lang, "en", 2) == 0);
}

/*
 * Copies the id in /api/v1/<collection>/<id>[/...] into out. Kore 4.1
 * compiles route regexes with REG_NOSUB, so there are no capture groups;
 * the route regex has already checked the segment's shape.
 */
int
api_path_id(struct http_request *req, char *out, size_t outlen)
{
	const char	*p, *end;
	size_t		len;
	int		i;

	p = req->path;
	for (i = 0; i < 4; i++) {
		if ((p = strchr(p, '/')) == NULL)
			return (0);
		p++;
	}
	if ((end = strchr(p, '/')) == NULL)
		end = p + strlen(p);
	len = (size_t)(end - p);
	if (len == 0 || len >= outlen)
		return (0);
	memcpy(out, p, len);
	out[len] = '\0';
	return (1);
}

/*
 * A query-string argument, or 0 when absent. Arguments the route's params
 * block does not declare never arrive (Kore drops them).
 */
int
api_query_arg(struct http_request *req, const char *name, const char **out)
{
	char		*value;

	if (!http_argument_get_string(req, name, &value))
		return (0);
	*out = value;
	return (1);
}

/* The address of the connection's other end, as text. */
static int
peer_addr(struct http_request *req, char *out, size_t outlen)
{
	struct connection	*c = req->owner;

	switch (c->family) {
	case AF_INET:
		return (inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, out,
		    (socklen_t)outlen) != NULL);
	case AF_INET6:
		return (inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, out,
		    (socklen_t)outlen) != NULL);
	}
	return (0);
}

/*
 * Is the other end one of REGISTRY_TRUSTED_PROXIES (default: nginx on
 * loopback, 127.0.0.1 and ::1)? Only a trusted proxy's X-Real-IP and
 * X-Forwarded-Proto are believed; any other client reaching Kore
 * directly would otherwise choose its own address (and so its own
 * sign-in limits) or claim TLS.
 */
static int
peer_trusted(struct http_request *req)
{
	const char	*list;
	char		peer[INET6_ADDRSTRLEN];

	if ((list = getenv("REGISTRY_TRUSTED_PROXIES")) == NULL)
		list = "127.0.0.1 ::1";
	return (peer_addr(req, peer, sizeof(peer)) &&
	    valid_addr_listed(peer, list));
}

/*
 * The client's address: what a trusted proxy says in X-Real-IP (when it
 * is an address), otherwise the other end of the connection.
 */
int
api_client_ip(struct http_request *req, char *out, size_t outlen)
{
	const char	*real;

	if (peer_trusted(req) &&
	    http_request_header(req, "x-real-ip", &real) &&
	    strlen(real) < outlen && valid_addr_listed(real, real)) {
		(void)kore_strlcpy(out, real, outlen);
		return (1);
	}
	return (peer_addr(req, out, outlen));
}

/* A trusted nginx marks requests it received over TLS. */
int
api_behind_tls(struct http_request *req)
{
	const char	*proto;

	return (http_request_header(req, "x-forwarded-proto", &proto) &&
	    strcasecmp(proto, "https") == 0 && peer_trusted(req));
}

/* 405 with the Allow header listing the methods the route takes. */
void
api_method_not_allowed(struct http_request *req, const char *allow)
{
	http_response_header(req, "allow", allow);
	api_problem(req, HTTP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
	    "Phương thức này không dùng được cho địa chỉ này.",
	    "This method is not allowed on this resource.", NULL);
}

/* The catch-all route: every unknown path is a problem, never HTML. */
int
api_not_found(struct http_request *req)
{
	api_problem(req, HTTP_STATUS_NOT_FOUND, "no-route",
	    "Không có tài nguyên nào ở địa chỉ này.",
	    "There is no resource at this address.", NULL);
	return (KORE_RESULT_OK);
}

static void
param_bad(struct http_request *req, const char *name, const char *vi,
    const char *en)
{
	api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter", vi, en,
	    name);
}

/* Optional ?name=YYYY-MM-DD into parameter i. */
int
param_date(struct http_request *req, struct call *call, int i,
    const char *name)
{
	const char	*v;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_date(v)) {
		param_bad(req, name, "Ngày phải theo dạng YYYY-MM-DD và có thật.",
		    "The date must be a real date written YYYY-MM-DD.");
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

/* Optional free text up to max bytes (Kore already checked UTF-8 length). */
int
param_text(struct http_request *req, struct call *call, int i,
    const char *name, size_t max)
{
	const char	*v;
	size_t		len;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	len = strlen(v);
	if (len == 0 || len > max || strspn(v, " ") == len) {
		param_bad(req, name, "Giá trị tìm kiếm rỗng hoặc quá dài.",
		    "The value is empty or too long.");
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

int
param_cursor(struct http_request *req, struct call *call, int i)
{
	const char	*v;

	if (!api_query_arg(req, "cursor", &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_cursor(v)) {
		param_bad(req, "cursor", "Con trỏ phân trang không hợp lệ.",
		    "The pagination cursor is not valid.");
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

int
param_limit(struct http_request *req, struct call *call, int i, long max)
{
	const char	*v;
	char		vi[80], en[80];

	if (!api_query_arg(req, "limit", &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_int_range(v, 1, max, NULL)) {
		(void)snprintf(vi, sizeof(vi), "limit phải là số từ 1 đến %ld.",
		    max);
		(void)snprintf(en, sizeof(en),
		    "limit must be a whole number from 1 to %ld.", max);
		param_bad(req, "limit", vi, en);
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

/* The positive id in the path into parameter i; 404 otherwise. */
int
param_path_id(struct http_request *req, struct call *call, int i,
    const char *what)
{
	char		buf[24];
	int64_t		id;

	if (!api_path_id(req, buf, sizeof(buf)) || !valid_id(buf, &id)) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không tìm thấy.", "Not found.", what);
		return (0);
	}
	call_param_int(call, i, id);
	return (1);
}

/* A unit code of len digits from the path; anything else is 404. */
int
param_path_code(struct http_request *req, struct call *call, int i, size_t len,
    const char *what)
{
	char		code[8];

	if (!api_path_id(req, code, sizeof(code)) ||
	    !valid_digits(code, len)) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không có đơn vị hành chính với mã này.",
		    "No administrative unit has this code.", what);
		return (0);
	}
	call_param(call, i, code);
	return (1);
}

/* Refuses (422) body fields outside allowed, a NULL-terminated list. */
int
body_only(struct http_request *req, struct call *call,
    const char *const *allowed)
{
	const char	*key;
	json_t		*value;
	size_t		i;

	json_object_foreach(call->body, key, value) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL) {
			api_problem(req, 422, "unknown-field",
			    "Trường này không được nhận.",
			    "This field is not accepted.", key);
			return (0);
		}
	}
	return (1);
}

static int
body_type_error(struct http_request *req, const char *name, const char *vi,
    const char *en)
{
	api_problem(req, 422, "invalid-type", vi, en, name);
	return (0);
}

/*
 * Looks up body field name. Returns 1 with *out set when it has a value;
 * 0 after setting parameter i to SQL NULL for a missing or null optional
 * field; -1 after answering 422 for a missing required one.
 */
static int
body_field(struct http_request *req, struct call *call, int i,
    const char *name, int required, json_t **out)
{
	json_t		*v;

	v = json_object_get(call->body, name);
	if (v != NULL && !json_is_null(v)) {
		*out = v;
		return (1);
	}
	if (required) {
		api_problem(req, 422, "required", "Trường này là bắt buộc.",
		    "This field is required.", name);
		return (-1);
	}
	call_param(call, i, NULL);
	return (0);
}

/* Body field name, a string, into parameter i. */
int
body_string(struct http_request *req, struct call *call, int i,
    const char *name, int required)
{
	json_t		*v;
	int		found;

	if ((found = body_field(req, call, i, name, required, &v)) != 1)
		return (found == 0);
	if (!json_is_string(v))
		return (body_type_error(req, name, "Trường này phải là chuỗi.",
		    "This field must be a string."));
	if (memchr(json_string_value(v), '\0', json_string_length(v)) != NULL)
		return (body_type_error(req, name,
		    "Chuỗi không được chứa ký tự NUL.",
		    "The string must not contain NUL."));
	call_param(call, i, json_string_value(v));
	return (1);
}

/* Body field name, a positive 32-bit integer, into parameter i. */
int
body_int(struct http_request *req, struct call *call, int i,
    const char *name, int required)
{
	json_t		*v;
	int		found;

	if ((found = body_field(req, call, i, name, required, &v)) != 1)
		return (found == 0);
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > INT32_MAX)
		return (body_type_error(req, name,
		    "Trường này phải là số nguyên dương.",
		    "This field must be a positive integer."));
	call_param_int(call, i, json_integer_value(v));
	return (1);
}

/* Body field name, true or false, into parameter i. */
int
body_bool(struct http_request *req, struct call *call, int i,
    const char *name, int required)
{
	json_t		*v;
	int		found;

	if ((found = body_field(req, call, i, name, required, &v)) != 1)
		return (found == 0);
	if (!json_is_boolean(v))
		return (body_type_error(req, name,
		    "Trường này phải là true hoặc false.",
		    "This field must be true or false."));
	call_param(call, i, json_is_true(v) ? "true" : "false");
	return (1);
}

/*
 * The whole body, a record of the allowed fields, into parameter i as
 * JSON: the database checks each field and names the one at fault.
 */
int
body_record(struct http_request *req, struct call *call, int i,
    const char *const *allowed)
{
	char		*text;

	if (!body_only(req, call, allowed))
		return (0);
	if ((text = json_dumps(call->body, JSON_COMPACT)) == NULL)
		fatal("body_record: json_dumps");
	call_param(call, i, text);
	free(text);
	return (1);
}

/* A patch: a record as above that must change at least one field. */
int
body_patch(struct http_request *req, struct call *call, int i,
    const char *const *allowed)
{
	if (!body_record(req, call, i, allowed))
		return (0);
	if (json_object_size(call->body) == 0) {
		api_problem(req, 422, "empty-patch", "Không có trường nào để sửa.",
		    "The patch changes nothing.", NULL);
		return (0);
	}
	return (1);
}

/* An optional code-like parameter (letters, digits, "._-") into i. */
int
param_code(struct http_request *req, struct call *call, int i,
    const char *name, size_t max)
{
	const char	*v;
	size_t		n;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	for (n = 0; v[n] != '\0'; n++) {
		if (!isalnum((unsigned char)v[n]) && v[n] != '_' &&
		    v[n] != '-' && v[n] != '.')
			break;
	}
	if (n == 0 || v[n] != '\0' || n > max) {
		param_bad(req, name, "Mã không hợp lệ.", "Not a valid code.");
		return (0);
	}
	call_param(call, i, v);
	return (1);
}

/* An optional positive id parameter into i. */
int
param_id(struct http_request *req, struct call *call, int i,
    const char *name)
{
	const char	*v;
	int64_t		id;

	if (!api_query_arg(req, name, &v)) {
		call_param(call, i, NULL);
		return (1);
	}
	if (!valid_id(v, &id)) {
		param_bad(req, name, "Mã số phải là số nguyên dương.",
		    "Must be a positive whole number.");
		return (0);
	}
	call_param_int(call, i, id);
	return (1);
}

/*
 * Checks the citizen ID in the body (if any) against its structure and,
 * with identity, against the birth year and sex the body also gives (a
 * correction may carry the ID alone: the database then checks it against
 * the stored birth date and sex). 422 naming citizen_id otherwise.
 */
int
body_citizen_id(struct http_request *req, struct call *call, int identity)
{
	json_t			*id, *born, *sex;
	const char		*s;
	enum cccd_result	r;
	int			year, sexv;

	id = json_object_get(call->body, "citizen_id");
	if (id == NULL || !json_is_string(id))
		return (1);
	year = 0;
	sexv = 0;
	born = json_object_get(call->body, "birth_date");
	if (identity && born != NULL && json_is_string(born) &&
	    valid_date(json_string_value(born)))
		year = atoi(json_string_value(born));
	sex = json_object_get(call->body, "sex");
	if (identity && sex != NULL && json_is_string(sex)) {
		s = json_string_value(sex);
		if (strcmp(s, "male") == 0)
			sexv = CCCD_SEX_MALE;
		else if (strcmp(s, "female") == 0)
			sexv = CCCD_SEX_FEMALE;
	}
	if ((r = cccd_check(json_string_value(id), year, sexv)) == CCCD_OK)
		return (1);
	api_problem(req, 422, cccd_code(r), cccd_message_vi(r),
	    cccd_message_en(r), "citizen_id");
	return (0);
}
