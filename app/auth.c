/*
 * Credentials at the edge. A request carries either a bearer token
 * (machine clients) or the session cookie (the browser UI); both are
 * random secrets known to the database only by their SHA-256. Whether the
 * secret is valid, expired or revoked is decided by api.authenticate().
 *
 * Cookie-authenticated writes must come from our own origin: browsers
 * send Origin on every cross-site POST/PATCH/DELETE, and SameSite=Strict
 * on the cookie is the second fence.
 *
 * Password hashing and verification run as Kore tasks (threads) because
 * PBKDF2 at 600,000 iterations takes a quarter of a second of CPU.
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

/*
 * Finds the credential and stores its digest in call. Returns 0 after
 * answering 401 for a credential that cannot be one of ours.
 */
int
auth_credential(struct http_request *req, struct call *call)
{
	const char	*authz;
	char		*cookie;

	if (http_request_header(req, "authorization", &authz)) {
		if (strncasecmp(authz, "Bearer ", 7) != 0 ||
		    !crypto_token_valid(authz + 7)) {
			http_response_header(req, "www-authenticate",
			    "Bearer error=\"invalid_token\"");
			api_problem(req, HTTP_STATUS_UNAUTHORIZED, "bad-token",
			    "Mã truy cập không đúng định dạng.",
			    "The bearer token is malformed.", NULL);
			return (0);
		}
		crypto_sha256_hex(authz + 7, strlen(authz + 7), call->cred_hash);
		call->cred_kind = CRED_TOKEN;
		return (1);
	}

	http_populate_cookies(req);
	if (http_request_cookie(req, SESSION_COOKIE, &cookie)) {
		if (!crypto_secret_valid(cookie)) {
			api_problem(req, HTTP_STATUS_UNAUTHORIZED, "unauthenticated",
			    "Phiên đăng nhập không hợp lệ.",
			    "The session cookie is not valid.", NULL);
			return (0);
		}
		crypto_sha256_hex(cookie, strlen(cookie), call->cred_hash);
		call->cred_kind = CRED_SESSION;
		return (1);
	}

	call->cred_kind = CRED_NONE;
	return (1);
}

/*
 * CSRF defence for cookie-authenticated writes: the Origin must be this
 * site's whole origin, scheme included (https when a trusted nginx says it
 * received TLS, http otherwise; the host as the client addressed it, since
 * nginx passes Host through), or one of REGISTRY_ORIGINS. Without Origin,
 * only a same-origin Sec-Fetch-Site passes.
 */
int
auth_csrf_ok(struct http_request *req)
{
	const char	*origin, *host, *site, *allowed;
	char		*list, *p, *tok;
	int		ok;

	if (!http_request_header(req, "origin", &origin)) {
		return (http_request_header(req, "sec-fetch-site", &site) &&
		    strcmp(site, "same-origin") == 0);
	}

	if (http_request_header(req, "host", &host) &&
	    valid_same_origin(origin, api_behind_tls(req) ? "https" : "http",
	    host))
		return (1);

	if ((allowed = getenv("REGISTRY_ORIGINS")) == NULL)
		return (0);

	ok = 0;
	list = kore_strdup(allowed);
	for (p = list; (tok = strsep(&p, " ,")) != NULL;) {
		if (*tok != '\0' && strcasecmp(tok, origin) == 0) {
			ok = 1;
			break;
		}
	}
	kore_free(list);

	return (ok);
}

int
auth_role_value(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return (ROLE_ADMIN);
	if (strcmp(role, "hr_officer") == 0)
		return (ROLE_HR_OFFICER);
	if (strcmp(role, "steering") == 0)
		return (ROLE_STEERING);
	if (strcmp(role, "registrar") == 0)
		return (ROLE_REGISTRAR);
	return (0);
}

/* Reads the actor api.authenticate() returned. */
int
auth_actor_parse(struct call *call, const char *text)
{
	json_t		*j;
	json_int_t	id;
	const char	*login, *role, *via;
	int		ok;

	if ((j = json_loads(text, 0, NULL)) == NULL)
		return (0);

	ok = json_unpack(j, "{s:I, s:s, s:s, s:s}", "id", &id, "login", &login,
	    "role", &role, "via", &via) == 0;
	if (ok) {
		call->actor.id = id;
		call->actor.role = auth_role_value(role);
		(void)kore_strlcpy(call->actor.login, login,
		    sizeof(call->actor.login));
		(void)kore_strlcpy(call->actor.via, via, sizeof(call->actor.via));
		ok = call->actor.role != 0;
	}
	json_decref(j);

	return (ok);
}

/* Task: password in, stored hash out. */
int
auth_task_hash(struct kore_task *t)
{
	char		pw[PASSWORD_MAX_LEN + 1], hash[PASSWORD_HASH_MAX];
	u_int32_t	len;
	int		ok;

	len = kore_task_channel_read(t, pw, sizeof(pw) - 1);
	if (len == 0 || len >= sizeof(pw))
		return (KORE_RESULT_ERROR);
	pw[len] = '\0';

	ok = password_hash(pw, len, PASSWORD_ITERATIONS, hash, sizeof(hash));
	OPENSSL_cleanse(pw, sizeof(pw));
	if (!ok)
		return (KORE_RESULT_ERROR);

	kore_task_channel_write(t, hash, (u_int32_t)strlen(hash));
	return (KORE_RESULT_OK);
}

/*
 * Task: "stored-hash\npassword" in, "1" (match) or "0" out. An empty
 * stored hash (no such login) is checked against a dummy hash so that
 * unknown logins take as long as wrong passwords.
 */
int
auth_task_verify(struct kore_task *t)
{
	static const char	dummy[] = "$pbkdf2-sha256$600000$"
	    "AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	char			in[PASSWORD_HASH_MAX + PASSWORD_MAX_LEN + 2];
	char			*nl;
	const char		*stored;
	u_int32_t		len;
	int			match;

	len = kore_task_channel_read(t, in, sizeof(in) - 1);
	if (len >= sizeof(in))
		return (KORE_RESULT_ERROR);
	in[len] = '\0';
	if ((nl = strchr(in, '\n')) == NULL)
		return (KORE_RESULT_ERROR);
	*nl++ = '\0';

	stored = in[0] != '\0' ? in : dummy;
	match = password_verify(nl, strlen(nl), stored) == PASSWORD_MATCH &&
	    stored != dummy;
	OPENSSL_cleanse(in, sizeof(in));

	kore_task_channel_write(t, match ? "1" : "0", 1);
	return (KORE_RESULT_OK);
}

/*
 * Sets (or with value NULL clears) the session cookie: HttpOnly,
 * SameSite=Strict, Secure when nginx received the request over TLS.
 */
void
auth_session_cookie(struct http_request *req, const char *value, int max_age)
{
	char		buf[256];

	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    SESSION_COOKIE, value != NULL ? value : "",
	    value != NULL ? max_age : 0, api_behind_tls(req) ? "; Secure" : "");
	http_response_header(req, "set-cookie", buf);
}
