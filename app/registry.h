/*
 * The registry's hub header: the request pipeline every API route runs
 * through (api.c), responses and problems (http.c), database calls
 * (db.c), credentials (auth.c), and the handlers of each resource.
 *
 * A route is a table of endpoints, one per method. An endpoint says who may
 * call it and how big a body it takes, and its prepare function turns the
 * validated request into one call of an api.* database function. The
 * pipeline authenticates, parses, runs the call asynchronously and answers
 * with the JSON the database built.
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <sys/types.h>

#include <stdint.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#include <jansson.h>

#include "sheet.h"

#define REGISTRY_VERSION	"0.1.0"
#define REGISTRY_DB		"db"

#define CALL_PARAMS_MAX		10
#define SESSION_COOKIE		"ctxh_session"

/* Who may call an endpoint. */
#define ROLE_ADMIN		0x01
#define ROLE_HR_OFFICER		0x02
#define ROLE_STEERING		0x04
#define ROLE_REGISTRAR		0x08
#define ROLE_ANY		0x0f

#define ACCESS_PUBLIC		0	/* no credential needed */
#define ACCESS_USER		1	/* a signed-in user in roles */

/* Request body limits. */
#define BODY_NONE		0
#define BODY_JSON_MAX		(64 * 1024)

/* What an endpoint's prepare function decided. */
#define PREPARE_QUERY		1	/* call->query and params are set */
#define PREPARE_RESPONDED	2	/* it answered (an error) itself */

#define CRED_NONE		0
#define CRED_SESSION		1
#define CRED_TOKEN		2

struct actor {
	int64_t		id;
	int		role;
	char		login[64];
	char		via[48];
};

struct call;

/* Endpoint flags. */
#define EP_OWN_DB_ERRORS	0x01	/* finish() answers database failures */
#define EP_RAW_BODY		0x02	/* prepare() reads the body (a file) */
#define EP_SIGNS		0x04	/* the result may list credentials to
					   sign under "_sign" (signing.c) */

/* Request body limits for uploaded files (the server's own cap is 16 MiB). */
#define BODY_FILE_MAX		(16 * 1024 * 1024)

/*
 * A kind of spreadsheet import (imports.c): the sheet a file is read as,
 * the columns it must have, where its template is served (named when a
 * file has no header) and the template's download name, both without
 * the .xlsx or .csv.
 */
struct import_kind {
	const struct sheet_doc	*doc;
	const char *const	*required;
	const char		*template_path;
	const char		*template_file;
};

/*
 * Work done on a task thread so a worker never blocks on it: parsing an
 * uploaded spreadsheet before the query, or writing one from the query's
 * result. Both the request and the task hold a reference; whichever lets
 * go last frees it, so a client that disconnects mid-task frees nothing
 * the task still uses. Everything in it is malloc'd, never kore_malloc'd,
 * because the task thread touches it.
 */
struct work {
	int		refs;
	int		(*fn)(struct work *);
	unsigned char	*in;
	size_t		inlen;
	char		*out;
	size_t		outlen;
	int		format;
	int		province;	/* free for fn */
	const struct import_kind	*kind;	/* what an upload is parsed as */
	/* A failure fn reports, answered as a problem. */
	int		status;
	char		code[32];
	char		vi[256];
	char		en[256];
	char		field[32];
	/* For results that are files. */
	const char	*ctype;
	char		filename[128];
};

struct endpoint {
	int		method;
	int		access;
	int		roles;
	size_t		body_max;
	int		(*prepare)(struct http_request *, struct call *);
	void		(*finish)(struct http_request *, struct call *);
	int		flags;
};

/* Per-request state, kept by http_state_create() across retries. */
struct call {
	struct kore_pgsql	sql;
	const struct endpoint	*ep;
	struct actor		actor;
	int			cred_kind;
	char			cred_hash[65];
	json_t			*body;
	const char		*query;
	int			nparams;
	char			*params[CALL_PARAMS_MAX];
	int			status;
	char			*result;
	char			*secret;
	const char		*secret_name;
	char			*password;
	int			password_param;
	struct kore_task	task;
	int			task_started;
	int			db_failed;
	u_int64_t		started;
	json_t			*scratch;
	struct work		*work;
	int			work_param;	/* pre-query: out is this param */
	int			work_after;	/* post-query: result is in */
	int			signing;	/* storing signatures */
	char			*answer;	/* the response, once signed */
	int			login_slot;	/* holds a sign-in hashing slot */
};

/* api.c: the pipeline */
int	api_run(struct http_request *, const struct endpoint *, size_t);
struct call	*api_call_new(struct http_request *);
int	api_body_parse(struct http_request *, struct call *);
void	call_param(struct call *, int, const char *);
void	call_param_int(struct call *, int, int64_t);
void	call_query(struct call *, const char *, int);
void	call_read(struct call *, const char *, int);
void	call_write(struct call *, const char *, int);
int	call_password(struct call *, int, const char *);
struct work	*work_new(int (*)(struct work *));
void	work_release(struct work *);
void	work_fail(struct work *, int, const char *, const char *, const char *,
	    const char *);
void	call_work_before(struct call *, struct work *, int);
void	call_work_after(struct call *, struct work *);

/* http.c: responses, problems, request helpers */
void	api_json(struct http_request *, int, const void *, size_t);
void	api_problem(struct http_request *, int, const char *, const char *,
	    const char *, const char *);
void	api_problem_link(struct http_request *, int, const char *,
	    const char *, const char *, const char *, const char *);
void	api_file(struct http_request *, const char *, const char *,
	    const void *, size_t);
void	api_log(struct http_request *, int);
int	api_lang_en(struct http_request *);
int	api_path_id(struct http_request *, char *, size_t);
int	api_query_arg(struct http_request *, const char *, const char **);
int	api_client_ip(struct http_request *, char *, size_t);
int	api_behind_tls(struct http_request *);
void	api_method_not_allowed(struct http_request *, const char *);
int	api_not_found(struct http_request *);

/* Request parameters checked against a rule, or answered with 400. */
int	param_date(struct http_request *, struct call *, int, const char *);
int	param_text(struct http_request *, struct call *, int, const char *,
	    size_t);
int	param_cursor(struct http_request *, struct call *, int);
int	param_limit(struct http_request *, struct call *, int, long);
int	param_path_code(struct http_request *, struct call *, int, size_t,
	    const char *);
int	param_path_id(struct http_request *, struct call *, int,
	    const char *);

/* Body fields: typed access to the parsed JSON object. */
int	body_only(struct http_request *, struct call *, const char *const *);
int	body_string(struct http_request *, struct call *, int, const char *,
	    int);
int	body_int(struct http_request *, struct call *, int, const char *,
	    int);
int	body_bool(struct http_request *, struct call *, int, const char *,
	    int);
int	body_record(struct http_request *, struct call *, int,
	    const char *const *);
int	body_patch(struct http_request *, struct call *, int,
	    const char *const *);
int	param_code(struct http_request *, struct call *, int, const char *,
	    size_t);
int	param_id(struct http_request *, struct call *, int, const char *);
int	body_citizen_id(struct http_request *, struct call *, int);

/* db.c: asynchronous queries */
#define DB_RETRY	1
#define DB_DONE		2
#define DB_FAILED	3
int	db_start(struct http_request *, struct call *, const char *, int,
	    char **);
int	db_wait(struct http_request *, struct call *);
void	db_problem(struct http_request *, struct kore_pgsql *);
void	db_release(struct call *);
void	db_drop_broken(struct kore_pgsql *);

/* auth.c: credentials, CSRF, password tasks */
int	auth_credential(struct http_request *, struct call *);
int	auth_csrf_ok(struct http_request *);
int	auth_actor_parse(struct call *, const char *);
int	auth_task_hash(struct kore_task *);
int	auth_task_verify(struct kore_task *);
void	auth_session_cookie(struct http_request *, const char *, int);
int	auth_role_value(const char *);

/* Route handlers (named in conf/registry.conf.in). */
int	health_get(struct http_request *);
int	openapi_get(struct http_request *);
int	session_route(struct http_request *);
void	session_slot_release(struct call *);
int	me_route(struct http_request *);
int	users_route(struct http_request *);
int	user_route(struct http_request *);
int	user_password_route(struct http_request *);
int	user_tokens_route(struct http_request *);
int	token_route(struct http_request *);
int	provinces_route(struct http_request *);
int	province_route(struct http_request *);
int	province_communes_route(struct http_request *);
int	commune_route(struct http_request *);
int	lineage_route(struct http_request *);
int	lineage_stats_route(struct http_request *);
int	lineage_unresolved_route(struct http_request *);
int	institutions_route(struct http_request *);
int	institution_route(struct http_request *);
int	partnerships_route(struct http_request *);
int	partnership_route(struct http_request *);
int	courses_route(struct http_request *);
int	course_route(struct http_request *);
int	plans_route(struct http_request *);
int	plan_route(struct http_request *);
int	plan_targets_route(struct http_request *);
int	target_route(struct http_request *);
int	base_salaries_route(struct http_request *);
int	base_salary_route(struct http_request *);
int	cohorts_route(struct http_request *);
int	cohort_route(struct http_request *);
int	cohort_enrolments_route(struct http_request *);
int	cohort_enrolments_bulk_route(struct http_request *);
int	cohort_confirmations_route(struct http_request *);
int	enrolment_route(struct http_request *);
void	audit_sealer_start(void);
int	audit_route(struct http_request *);
int	audit_verify_route(struct http_request *);
int	work_units_route(struct http_request *);
int	work_unit_route(struct http_request *);
int	work_unit_close_route(struct http_request *);
int	work_units_remap_route(struct http_request *);
int	people_route(struct http_request *);
int	person_route(struct http_request *);
int	person_history_route(struct http_request *);
int	person_transfer_route(struct http_request *);
int	assignments_route(struct http_request *);
int	assignment_route(struct http_request *);
int	headcount_route(struct http_request *);
int	fte_issues_route(struct http_request *);
int	imports_route(struct http_request *);
int	import_route(struct http_request *);
int	import_template_route(struct http_request *);
int	graduate_imports_route(struct http_request *);
int	graduate_template_route(struct http_request *);
int	graduates_route(struct http_request *);
int	graduate_route(struct http_request *);
int	graduate_amend_route(struct http_request *);
int	person_training_route(struct http_request *);
int	person_eligibility_route(struct http_request *);
int	person_qualifications_route(struct http_request *);
int	person_certificates_route(struct http_request *);
int	person_practice_registrations_route(struct http_request *);
int	practice_registration_route(struct http_request *);
int	practice_registrations_due_route(struct http_request *);
int	credential_route(struct http_request *);
int	credential_revoke_route(struct http_request *);
int	credential_pdf_route(struct http_request *);
int	person_credentials_route(struct http_request *);
int	verify_route(struct http_request *);
int	verify_keys_route(struct http_request *);

/* imports.c: the people spreadsheet, shared by import and export */
extern const struct sheet_doc	people_sheet;
int	people_sheet_write(struct work *);
void	import_worker_start(void);

/* indicators.c */
void	today_keeper_start(void);
int	indicator_definitions_route(struct http_request *);
int	indicators_route(struct http_request *);
int	province_gaps_route(struct http_request *);
int	commune_flags_route(struct http_request *);

/* snapshots.c */
int	snapshots_route(struct http_request *);
int	snapshot_route(struct http_request *);
int	snapshot_diff_route(struct http_request *);

/* training_needs.c, cohort_plans.c */
int	province_training_needs_route(struct http_request *);
int	cohort_plans_route(struct http_request *);
int	cohort_plan_route(struct http_request *);
int	cohort_plan_accept_route(struct http_request *);

/* imports.c: any kind of import (graduate_imports.c is the other one) */
int	import_commit_arg(struct http_request *, int *);
int	import_upload(struct http_request *, struct call *,
	    const struct import_kind *, int, int *, char *, size_t);
json_t	*import_result(struct http_request *, struct call *);
void	import_report(struct http_request *, struct call *, json_t *, int);
int	import_template_send(struct http_request *, const struct import_kind *);

/* signing.c: credentials signed by the server's keys */
int	signing_init(void);
int	signing_prepare(struct call *);
int	signing_verify(const char *, const char *, char *, size_t);
const char	*signing_public_url(void);
const char	*signing_keys_dir(void);
const char	*signing_current_kid(void);
size_t		 signing_key_count(void);
const char	*signing_key_kid(size_t, int *);

/* init.c */
int	registry_init(int);
int	registry_v_qs(struct http_request *, char *);
extern char	*registry_openapi;
extern char	registry_tmpdir[];
extern size_t	registry_openapi_len;

#endif
