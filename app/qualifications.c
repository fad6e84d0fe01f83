/*
 * A person's training record: degrees, certificates, practice
 * registrations, enrolments and credentials (read), the degrees,
 * certificates and practice registrations officers record from the
 * papers (write), what the record makes the person eligible for (the
 * professional titles and practice registration, computed by the
 * database), and the staff of a province whose practice registration is
 * missing or running out. Registrars have no access: they see graduates
 * (graduates.c) only.
 */
#include <sys/types.h>

#include "registry.h"
#include "validate.h"

static int	person_training(struct http_request *, struct call *);
static int	person_eligibility(struct http_request *, struct call *);
static int	qualification_create(struct http_request *, struct call *);
static int	certificate_create(struct http_request *, struct call *);
static int	practice_create(struct http_request *, struct call *);
static int	practice_update(struct http_request *, struct call *);
static int	practice_due(struct http_request *, struct call *);
static int	person_record(struct http_request *, struct call *,
		    const char *, const char *const *);

#define ROLES_READ	(ROLE_ADMIN | ROLE_HR_OFFICER | ROLE_STEERING)
#define ROLES_WRITE	(ROLE_ADMIN | ROLE_HR_OFFICER)

static const char *const	practice_fields[] = { "number", "issued_by",
				    "issued_on", "expires_on", "status", NULL };

static const struct endpoint	training_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    person_training, NULL, 0 },
};

static const struct endpoint	eligibility_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE,
	    person_eligibility, NULL, 0 },
};

static const struct endpoint	qualifications_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    qualification_create, NULL, 0 },
};

static const struct endpoint	certificates_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    certificate_create, NULL, 0 },
};

static const struct endpoint	practices_eps[] = {
	{ HTTP_METHOD_POST, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    practice_create, NULL, 0 },
};

static const struct endpoint	practice_eps[] = {
	{ HTTP_METHOD_PATCH, ACCESS_USER, ROLES_WRITE, BODY_JSON_MAX,
	    practice_update, NULL, 0 },
};

static const struct endpoint	due_eps[] = {
	{ HTTP_METHOD_GET, ACCESS_USER, ROLES_READ, BODY_NONE, practice_due,
	    NULL, 0 },
};

int
person_training_route(struct http_request *req)
{
	return (api_run(req, training_eps, 1));
}

int
person_eligibility_route(struct http_request *req)
{
	return (api_run(req, eligibility_eps, 1));
}

int
person_qualifications_route(struct http_request *req)
{
	return (api_run(req, qualifications_eps, 1));
}

int
person_certificates_route(struct http_request *req)
{
	return (api_run(req, certificates_eps, 1));
}

int
person_practice_registrations_route(struct http_request *req)
{
	return (api_run(req, practices_eps, 1));
}

int
practice_registration_route(struct http_request *req)
{
	return (api_run(req, practice_eps, 1));
}

int
practice_registrations_due_route(struct http_request *req)
{
	return (api_run(req, due_eps, 1));
}

static int
person_training(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.person_training($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

static int
person_eligibility(struct http_request *req, struct call *call)
{
	call_read(call, "SELECT api.person_eligibility($1, $2)", 2);
	if (!param_path_id(req, call, 1, "id"))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/* A record added to the person of the path: 201 with what was stored. */
static int
person_record(struct http_request *req, struct call *call, const char *query,
    const char *const *fields)
{
	call_write(call, query, 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_record(req, call, 3, fields))
		return (PREPARE_RESPONDED);
	call->status = HTTP_STATUS_CREATED;
	return (PREPARE_QUERY);
}

static int
qualification_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "level", "field",
					    "programme_code", "programme_name",
					    "institution_id", "institution_name",
					    "awarded_on", "diploma_number",
					    NULL };

	return (person_record(req, call,
	    "SELECT api.qualification_create($1, $2, $3, $4)", fields));
}

static int
certificate_create(struct http_request *req, struct call *call)
{
	static const char *const	fields[] = { "kind", "name",
					    "institution_id", "issuer_name",
					    "number", "issued_on", "hours",
					    "counts_as_sw_training",
					    "title_code", "practice_months",
					    NULL };

	return (person_record(req, call,
	    "SELECT api.certificate_create($1, $2, $3, $4)", fields));
}

static int
practice_create(struct http_request *req, struct call *call)
{
	return (person_record(req, call,
	    "SELECT api.practice_registration_create($1, $2, $3, $4)",
	    practice_fields));
}

static int
practice_update(struct http_request *req, struct call *call)
{
	call_write(call,
	    "SELECT api.practice_registration_update($1, $2, $3, $4)", 4);
	if (!param_path_id(req, call, 2, "id") ||
	    !body_patch(req, call, 3, practice_fields))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}

/* ?within= days ahead, 0 to 3650 (the database defaults it to 90). */
static int
practice_due(struct http_request *req, struct call *call)
{
	const char	*v;

	call_read(call, "SELECT api.practice_registrations_due($1, $2, $3, "
	    "$4, $5)", 5);
	if (api_query_arg(req, "within", &v) &&
	    !valid_int_range(v, 0, 3650, NULL)) {
		api_problem(req, HTTP_STATUS_BAD_REQUEST, "invalid-parameter",
		    "within phải là số ngày từ 0 đến 3650.",
		    "within must be a number of days from 0 to 3650.", "within");
		return (PREPARE_RESPONDED);
	}
	call_param(call, 2, api_query_arg(req, "within", &v) ? v : NULL);
	if (!param_code(req, call, 1, "province", 2) ||
	    !param_cursor(req, call, 3) || !param_limit(req, call, 4, 500))
		return (PREPARE_RESPONDED);
	return (PREPARE_QUERY);
}
