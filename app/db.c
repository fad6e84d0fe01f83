/*
 * Asynchronous database calls for the request states. Every query the
 * server sends is a call of one api.* function returning one JSON value,
 * so a call's result is one text cell (or SQL NULL).
 *
 * Errors map by SQLSTATE, never by message text: RGnnn is a refusal the
 * api functions raised on purpose (HTTP status nnn, with the problem code,
 * the Vietnamese and English details and the field in the error fields);
 * constraint and data errors are 409/422; a lost connection is 503, and
 * Kore reconnects on the next call by itself.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "registry.h"

static void	db_read(struct call *);
static void	db_failed(struct http_request *, struct call *);
static int	sqlstate_status(const char *);

/*
 * Sends query with nparams text parameters on a fresh async connection
 * slot. DB_DONE means the query is on its way (wait with db_wait),
 * DB_RETRY that every connection is busy (call again when woken), and
 * DB_FAILED that a problem was answered.
 */
int
db_start(struct http_request *req, struct call *call, const char *query,
    int nparams, char **params)
{
	const char	*values[CALL_PARAMS_MAX];
	int		lengths[CALL_PARAMS_MAX], formats[CALL_PARAMS_MAX];
	int		i;

	if (call->sql.conn == NULL) {
		kore_pgsql_cleanup(&call->sql);
		kore_pgsql_init(&call->sql);
		kore_pgsql_bind_request(&call->sql, req);
		if (!kore_pgsql_setup(&call->sql, REGISTRY_DB, KORE_PGSQL_ASYNC)) {
			if (call->sql.state == KORE_PGSQL_STATE_INIT)
				return (DB_RETRY);
			db_failed(req, call);
			return (DB_FAILED);
		}
	}

	for (i = 0; i < nparams; i++) {
		values[i] = params[i];
		lengths[i] = params[i] == NULL ? 0 : (int)strlen(params[i]);
		formats[i] = 0;
	}

	if (!kore_pgsql_query_param_fields(&call->sql, query, 0, nparams,
	    values, lengths, formats)) {
		db_failed(req, call);
		db_release(call);
		return (DB_FAILED);
	}

	return (DB_DONE);
}

/*
 * Advances the query. DB_DONE leaves the first cell in call->result
 * (NULL for SQL NULL) and releases the connection.
 */
int
db_wait(struct http_request *req, struct call *call)
{
	for (;;) {
		switch (call->sql.state) {
		case KORE_PGSQL_STATE_WAIT:
			return (DB_RETRY);
		case KORE_PGSQL_STATE_RESULT:
			db_read(call);
			kore_pgsql_continue(&call->sql);
			break;
		case KORE_PGSQL_STATE_COMPLETE:
			db_release(call);
			return (DB_DONE);
		case KORE_PGSQL_STATE_ERROR:
			db_failed(req, call);
			db_release(call);
			return (DB_FAILED);
		default:
			kore_pgsql_continue(&call->sql);
			break;
		}
	}
}

static void
db_read(struct call *call)
{
	kore_free(call->result);
	call->result = NULL;

	if (kore_pgsql_ntuples(&call->sql) < 1 ||
	    kore_pgsql_nfields(&call->sql) < 1 ||
	    PQgetisnull(call->sql.result, 0, 0))
		return;

	call->result = kore_strdup(kore_pgsql_getvalue(&call->sql, 0, 0));
}

/* Answers the failure, unless the endpoint answers it itself. */
static void
db_failed(struct http_request *req, struct call *call)
{
	call->db_failed = 1;
	if (call->ep != NULL && (call->ep->flags & EP_OWN_DB_ERRORS))
		return;
	/* The write stood; only storing its signatures failed. */
	if (call->signing) {
		kore_pgsql_logerror(&call->sql);
		return;
	}
	db_problem(req, &call->sql);
}

/* Gives the connection back so the next query of this request can start. */
void
db_release(struct call *call)
{
	db_drop_broken(&call->sql);
	kore_pgsql_cleanup(&call->sql);
	kore_pgsql_init(&call->sql);
}

/*
 * Kore 4.1 returns a connection to its pool however the query ended, and
 * only drops one whose socket reports an error while a query waits on it.
 * A connection the server closed between queries (a restart) is found
 * dead by the next query, which fails at once and gives it back again:
 * every later request would fail the same way. So a dead connection is
 * closed here, through the handler Kore itself uses for socket errors,
 * and the next query opens a new one.
 */
void
db_drop_broken(struct kore_pgsql *sql)
{
	if (sql->conn != NULL && PQstatus(sql->conn->db) == CONNECTION_BAD)
		kore_pgsql_handle(sql->conn, 1);
}

static int
sqlstate_status(const char *state)
{
	long		status;

	if (state[0] == 'R' && state[1] == 'G') {
		status = strtol(state + 2, NULL, 10);
		if (status >= 400 && status <= 599)
			return ((int)status);
		return (HTTP_STATUS_INTERNAL_ERROR);
	}
	if (strcmp(state, "23505") == 0)
		return (HTTP_STATUS_CONFLICT);
	if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0)
		return (422);
	if (strcmp(state, "42501") == 0)
		return (HTTP_STATUS_FORBIDDEN);
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0 ||
	    strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "53300") == 0)
		return (HTTP_STATUS_SERVICE_UNAVAILABLE);

	return (HTTP_STATUS_INTERNAL_ERROR);
}

/* Answers the problem a failed query stands for. */
void
db_problem(struct http_request *req, struct kore_pgsql *sql)
{
	const char	*state, *vi, *en, *code, *field, *link, *retry;
	int		status;

	state = NULL;
	if (sql->result != NULL)
		state = PQresultErrorField(sql->result, PG_DIAG_SQLSTATE);

	if (state == NULL) {
		kore_log(LOG_ERR, "database unavailable: %s",
		    sql->error != NULL ? sql->error : "no connection");
		http_response_header(req, "retry-after", "5");
		api_problem(req, HTTP_STATUS_SERVICE_UNAVAILABLE,
		    "database-unavailable",
		    "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau.",
		    "The database is unavailable; try again shortly.", NULL);
		return;
	}

	status = sqlstate_status(state);
	if (state[0] == 'R' && state[1] == 'G') {
		vi = PQresultErrorField(sql->result, PG_DIAG_MESSAGE_PRIMARY);
		en = PQresultErrorField(sql->result, PG_DIAG_MESSAGE_DETAIL);
		code = PQresultErrorField(sql->result, PG_DIAG_MESSAGE_HINT);
		field = PQresultErrorField(sql->result, PG_DIAG_COLUMN_NAME);
		link = PQresultErrorField(sql->result, PG_DIAG_DATATYPE_NAME);
		if (field != NULL && *field == '\0')
			field = NULL;
		/* lib.fail_retry(): the seconds to wait, digits only. */
		retry = PQresultErrorField(sql->result,
		    PG_DIAG_CONSTRAINT_NAME);
		if ((status == 429 || status == 503) && retry != NULL &&
		    *retry != '\0' && strlen(retry) < 10 &&
		    strspn(retry, "0123456789") == strlen(retry))
			http_response_header(req, "retry-after", retry);
		api_problem_link(req, status, code != NULL ? code : "error", vi,
		    en, field, link);
		return;
	}

	kore_log(LOG_NOTICE, "query failed: %s %s", state,
	    sql->error != NULL ? sql->error : "");

	switch (status) {
	case HTTP_STATUS_CONFLICT:
		api_problem(req, status, "conflict",
		    "Bản ghi trùng với một bản ghi đã có.",
		    "This conflicts with an existing record.",
		    PQresultErrorField(sql->result, PG_DIAG_COLUMN_NAME));
		break;
	case 422:
		api_problem(req, status, "invalid-value",
		    "Giá trị không hợp lệ.", "A value is not valid.",
		    PQresultErrorField(sql->result, PG_DIAG_COLUMN_NAME));
		break;
	case HTTP_STATUS_SERVICE_UNAVAILABLE:
		http_response_header(req, "retry-after", "5");
		api_problem(req, status, "database-unavailable",
		    "Cơ sở dữ liệu tạm thời không truy cập được; hãy thử lại sau.",
		    "The database is unavailable; try again shortly.", NULL);
		break;
	case HTTP_STATUS_FORBIDDEN:
		api_problem(req, status, "forbidden", "Không được phép.",
		    "Not allowed.", NULL);
		break;
	default:
		api_problem(req, HTTP_STATUS_INTERNAL_ERROR, "internal",
		    "Lỗi hệ thống.", "Internal error.", NULL);
		break;
	}
}
