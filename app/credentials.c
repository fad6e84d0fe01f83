/*
 * Signed credentials: the signed form (in scope), revocation, the
 * printable certificate, and the public check anyone holding a credential
 * id (or the QR code on the paper) may run without signing in. The
 * public answer shows no more than the credential itself: the holder's
 * name and masked ID, the achievement, the issuer and the date.
 */
#include <sys/types.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "certificate_pdf.h"
#include "jws.h"

#define UUID_LEN	36

static int	credential_get(struct http_request *, struct call *);
static int	credential_revoke(struct http_request *, struct call *);
static int	credential_pdf(struct http_request *, struct call *);
static int	person_credentials(struct http_request *, struct call *);
static int	verify_prepare(struct http_request *, struct call *);
static int	keys_prepare(struct http_request *, struct call *);
static json_t	*public_key_pem(const char *);
static void	verify_finish(struct http_request *, struct call *);
static json_t	*member(json_t *, const char *);
static int	path_uuid(struct http_request *, struct call *, int,
		    const char *);
static int	certificate_write(struct work *);
static const char	*level_name(const char *);

static const char *const	revoke_fields[] = { "reason", NULL };

static const struct endpoint	credential_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, credential_get,
	    NULL },
};
static const struct endpoint	revoke_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER,
	    ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_REGISTRAR, BODY_JSON_MAX,
	    credential_revoke, NULL },
};
static const struct endpoint	pdf_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLE_ANY, BODY_NONE, credential_pdf,
	    NULL },
};
static const struct endpoint	person_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER,
	    ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING, BODY_NONE,
	    person_credentials, NULL },
};
static const struct endpoint	verify_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_PUBLIC, 0, BODY_NONE, verify_prepare,
	    verify_finish },
};

static const struct endpoint	keys_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_PUBLIC, 0, BODY_NONE, keys_prepare, NULL },
};

int
credential_route(struct http_request *req)
{
	return (api_run(req, credential_eps, 1));
}

int
credential_revoke_route(struct http_request *req)
{
	return (api_run(req, revoke_eps, 1));
}

int
credential_pdf_route(struct http_request *req)
{
	return (api_run(req, pdf_eps, 1));
}

int
person_credentials_route(struct http_request *req)
{
	return (api_run(req, person_eps, 1));
}

int
verify_route(struct http_request *req)
{
	return (api_run(req, verify_eps, 1));
}

int
verify_keys_route(struct http_request *req)
{
	return (api_run(req, keys_eps, 1));
}

/*
 * The credential id: the path segment after the resource name
 * (/api/v1/credentials/<id>..., /verify/<id>), a UUID, else 404.
 */
static int
path_uuid(struct http_request *req, struct call *call, int i,
    const char *prefix)
{
	char		id[UUID_LEN + 1];
	const char	*p;
	size_t		k;

	p = req->path + strlen(prefix);
	for (k = 0; k < UUID_LEN; k++) {
		if (p[k] == '\0')
			break;
		if (k == 8 || k == 13 || k == 18 || k == 23) {
			if (p[k] != '-')
				break;
		} else if (!isxdigit((unsigned char)p[k])) {
			break;
		}
		id[k] = (char)tolower((unsigned char)p[k]);
	}
	if (k != UUID_LEN || (p[k] != '\0' && p[k] != '/')) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không tìm thấy văn bằng số.", "No such credential.", "id");
		return (0);
	}
	id[k] = '\0';
	call_param(call, i, id);
	return (1);
}

static int
credential_get(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.credential_get($1, $2)", 2);
	if (!path_uuid(req, call, 1, "/api/v1/credentials/"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
person_credentials(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.person_credentials($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
credential_revoke(struct http_request *req, struct call *call)
{
	call_write(call, "SELECT api.credential_revoke($1, $2, $3, $4)", 4);
	if (!path_uuid(req, call, 2, "/api/v1/credentials/") ||
	    !body_record(req, call, 3, revoke_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/* The certificate is drawn from the credential's JSON on a task thread. */
static int
credential_pdf(struct http_request *req, struct call *call)
{
	struct work	*w;

	call_read(call, "SELECT api.credential_get($1, $2)", 2);
	if (!path_uuid(req, call, 1, "/api/v1/credentials/"))
		return (PREPARE_RESPONDED);
	/* filename carries the public URL in, and the file's name out. */
	w = work_new(certificate_write);
	(void)snprintf(w->filename, sizeof(w->filename), "%s",
	    signing_public_url());
	call_work_after(call, w);
	return (PREPARE_QUERY);
}

static const char *
level_name(const char *level)
{
	static const struct {
		const char	*code;
		const char	*name;
	} levels[] = {
		{ "so_cap", "Sơ cấp" }, { "trung_cap", "Trung cấp" },
		{ "cao_dang", "Cao đẳng" }, { "dai_hoc", "Đại học" },
		{ "thac_si", "Thạc sĩ" }, { "tien_si", "Tiến sĩ" },
	};
	size_t		i;

	if (level == NULL)
		return (NULL);
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		if (strcmp(levels[i].code, level) == 0)
			return (levels[i].name);
	}
	return (level);
}

/* Runs on a task thread, with the credential's JSON in w->in. */
static int
certificate_write(struct work *w)
{
	struct certificate	cert;
	json_t			*doc, *vc, *ach;
	json_error_t		jerr;
	const char		*jws, *id, *sig;
	char			err[256], *qr, *url;
	unsigned char		*pdf;
	size_t			len;
	int			rc;

	if ((doc = json_loadb((const char *)w->in, w->inlen, 0, &jerr)) ==
	    NULL)
		return (0);
	id = json_string_value(json_object_get(doc, "id"));
	jws = json_string_value(json_object_get(doc, "jws"));
	if (id == NULL || jws == NULL) {
		json_decref(doc);
		work_fail(w, HTTP_STATUS_CONFLICT, "credential-unsigned",
		    "Văn bằng số chưa được ký; hãy thử lại sau ít giây.",
		    "The credential is not signed yet; try again in a few "
		    "seconds.", NULL);
		return (1);
	}
	vc = json_object_get(json_object_get(doc, "payload"), "vc");
	ach = json_object_get(vc, "achievement");

	/*
	 * The QR code carries the link and the signature alone (86
	 * characters), not the signed form: the longest names would not
	 * fit in a QR code that scans at 50 mm, nor in a URI Kore takes.
	 * The public check hands out the signed form for an offline check.
	 */
	if ((sig = strrchr(jws, '.')) == NULL)
		sig = jws;
	else
		sig++;
	if (asprintf(&url, "%s/verify/%s", w->filename, id) == -1)
		fatal("certificate_write: out of memory");
	if (asprintf(&qr, "%s?sig=%s", url, sig) == -1)
		fatal("certificate_write: out of memory");

	memset(&cert, 0, sizeof(cert));
	cert.credential_id = id;
	cert.kind = json_string_value(json_object_get(ach, "kind"));
	cert.holder_name = json_string_value(json_object_get(
	    json_object_get(vc, "subject"), "name"));
	cert.holder_id_masked = json_string_value(json_object_get(
	    json_object_get(vc, "subject"), "citizen_id"));
	cert.achievement = json_string_value(json_object_get(ach, "name"));
	cert.level = level_name(json_string_value(json_object_get(ach,
	    "level")));
	cert.hours = (int)json_integer_value(json_object_get(ach, "hours"));
	cert.issuer = json_string_value(json_object_get(
	    json_object_get(vc, "issuer"), "name"));
	cert.issued_on = json_string_value(json_object_get(vc, "issued_on"));
	cert.verify_url = url;
	cert.qr_text = qr;
	cert.revoked_reason = json_string_value(json_object_get(doc,
	    "revoked_reason"));
	if (cert.achievement == NULL)
		cert.achievement = json_string_value(json_object_get(ach,
		    "code"));

	pdf = NULL;
	rc = certificate_pdf(&cert, NULL, &pdf, &len, err, sizeof(err));
	free(url);
	free(qr);
	if (rc == -1) {
		/* Ours, not the caller's: the reason goes to the log only. */
		kore_log(LOG_ERR, "certificate %s: %s", id, err);
		json_decref(doc);
		work_fail(w, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
		return (1);
	}
	w->out = (char *)pdf;
	w->outlen = len;
	w->ctype = "application/pdf";
	(void)snprintf(w->filename, sizeof(w->filename),
	    "chung-nhan-%s.pdf", id);
	json_decref(doc);
	return (1);
}

/*
 * The public check. ?sig= is the signature a certificate's QR code
 * carries: it must be that of the registry's copy, which is checked.
 * ?jws= checks a whole compact form (what certificates printed before
 * carried; it must sign the very credential on record). Without either,
 * the registry's own copy is checked.
 */
static int
verify_prepare(struct http_request *req, struct call *call)
{
	call_query(call, "SELECT api.credential_public($1)", 1);
	if (!path_uuid(req, call, 0, "/verify/"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static void
verify_finish(struct http_request *req, struct call *call)
{
	json_t		*doc, *payload, *vc, *out;
	json_error_t	jerr;
	const char	*jws, *stored, *given, *sig;
	char		kid[JWS_KID_SIZE], *text;
	int		rc, revoked;

	if (call->db_failed)
		return;
	if (call->result == NULL ||
	    (doc = json_loads(call->result, 0, &jerr)) == NULL) {
		api_problem(req, HTTP_STATUS_NOT_FOUND, "not-found",
		    "Không tìm thấy văn bằng số.", "No such credential.", "id");
		return;
	}
	stored = json_string_value(json_object_get(doc, "payload"));
	jws = json_string_value(json_object_get(doc, "jws"));
	if (api_query_arg(req, "jws", &given))
		jws = given;

	kid[0] = '\0';
	rc = jws == NULL ? JWS_MALFORMED :
	    signing_verify(jws, stored, kid, sizeof(kid));
	sig = jws != NULL ? strrchr(jws, '.') : NULL;
	if (rc == JWS_OK && api_query_arg(req, "sig", &given) &&
	    (sig == NULL || strcmp(sig + 1, given) != 0)) {
		/* A paper printed from another signature is not this one. */
		rc = JWS_BAD_SIGNATURE;
		kid[0] = '\0';
	}
	revoked = json_is_true(json_object_get(doc, "revoked"));
	payload = json_loads(stored, 0, &jerr);
	vc = json_object_get(payload, "vc");

	/*
	 * "valid" is whether the credential may be relied on: a genuine
	 * signature of the record, not revoked. "signature_valid" is the
	 * signature alone, what an offline check (registry-verify) sees.
	 */
	out = json_pack("{s:O, s:b, s:b, s:b, s:O, s:O, s:O, s:O, s:O, s:O,"
	    " s:O, s:O}",
	    "id", member(doc, "id"),
	    "valid", rc == JWS_OK && !revoked,
	    "signature_valid", rc == JWS_OK,
	    "revoked", revoked,
	    "revoked_at", member(doc, "revoked_at"),
	    "revoked_on", member(doc, "revoked_on"),
	    "revoked_reason", member(doc, "revoked_reason"),
	    "issuer", member(vc, "issuer"),
	    "achievement", member(vc, "achievement"),
	    "issued_on", member(vc, "issued_on"),
	    "subject", member(vc, "subject"),
	    "jws", member(doc, "jws"));
	if (out == NULL)
		fatal("verify_finish: out of memory");
	if (rc == JWS_OK)
		(void)json_object_set_new(out, "kid", json_string(kid));
	if (rc == JWS_OK && revoked)
		(void)json_object_set_new(out, "reason",
		    json_string("revoked"));
	else if (jws == NULL)
		(void)json_object_set_new(out, "reason",
		    json_string("not signed yet"));
	else if (rc != JWS_OK)
		(void)json_object_set_new(out, "reason",
		    json_string(jws_strerror(rc)));

	text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(out);
	json_decref(payload);
	json_decref(doc);
	if (text == NULL)
		fatal("verify_finish: out of memory");
	api_json(req, HTTP_STATUS_OK, text, strlen(text));
	free(text);
}

/* obj's key, or JSON null when obj or the key is missing. */
static json_t *
member(json_t *obj, const char *key)
{
	json_t	*v;

	v = json_object_get(obj, key);
	return (v != NULL ? v : json_null());
}

/*
 * The public keys of the ring, current and retired, for checking a
 * credential offline (README): {keys: [{kid, current, public_key_pem}]}.
 */
static int
keys_prepare(struct http_request *req, struct call *call)
{
	json_t		*keys, *out;
	const char	*kid, *current;
	char		*text;
	size_t		i, n;
	int		has_private;

	(void)call;
	keys = json_array();
	current = signing_current_kid();
	n = signing_key_count();
	for (i = 0; i < n; i++) {
		if ((kid = signing_key_kid(i, &has_private)) == NULL)
			continue;
		(void)json_array_append_new(keys, json_pack("{s:s, s:b, s:o}",
		    "kid", kid, "current", current != NULL &&
		    strcmp(kid, current) == 0, "public_key_pem",
		    public_key_pem(kid)));
	}
	out = json_pack("{s:o}", "keys", keys);
	text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(out);
	if (text == NULL)
		fatal("keys_prepare: out of memory");
	api_json(req, HTTP_STATUS_OK, text, strlen(text));
	free(text);
	return (PREPARE_RESPONDED);
}

/* <kid>.pub as text, or null for a key kept without one. */
static json_t *
public_key_pem(const char *kid)
{
	FILE		*fp;
	char		path[PATH_MAX], pem[2048];
	size_t		len;
	int		n;

	n = snprintf(path, sizeof(path), "%s/%s.pub", signing_keys_dir(), kid);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (fp = fopen(path, "r")) == NULL)
		return (json_null());
	len = fread(pem, 1, sizeof(pem) - 1, fp);
	(void)fclose(fp);
	pem[len] = '\0';
	return (json_string(pem));
}
