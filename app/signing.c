/*
 * Credential signing. The database issues a credential and fixes the JSON
 * text it attests; the keys never enter it. The server signs here, with
 * the key ring named in conf/credentials.conf, in two places:
 *
 *   - right after a write that issued credentials (the pipeline's sign
 *     step): the response lists them under "_sign", they are signed and
 *     stored with a second query, and the response goes out without it;
 *   - the signer, a timer in every worker, signs whatever is still
 *     unsigned: a bulk import's, or one whose second query was lost.
 *
 * The ring is re-read when its "current" file changes, so a rotation
 * (build/registry-keys new) takes effect without a restart; retired keys
 * keep verifying.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "registry.h"
#include "jws.h"

#define SIGNER_INTERVAL		5000	/* ms between sweeps */

static int	config_read(const char *);
static void	config_set(const char *, const char *);
static void	ring_refresh(void);
static json_t	*sign_list(json_t *);
static void	signer_tick(void *, u_int64_t);
static void	signer_query(const char *, const char *);
static void	signer_step(struct kore_pgsql *, void *);
static void	signer_fetched(void);

static struct keyring	*ring;
static struct timespec	ring_stamp;
static char		keys_dir[PATH_MAX];
static char		public_url[120] = "http://127.0.0.1:8888";

static struct kore_pgsql	signer_sql;
static int			signer_busy;
static char			*signer_result;
static char			*signer_store;

/*
 * Reads conf/credentials.conf ("keys DIR", "public_url URL"); the
 * environment (REGISTRY_KEYS, REGISTRY_PUBLIC_URL) overrides it, which is
 * how tests and `make run` point at their own. A missing ring is not
 * fatal: credentials wait unsigned until a key is made.
 */
int
signing_init(void)
{
	const char	*root, *env;
	char		path[PATH_MAX];
	int		len;

	if ((root = getenv("REGISTRY_ROOT")) == NULL)
		root = ".";
	len = snprintf(path, sizeof(path), "%s/conf/credentials.conf", root);
	if (len < 0 || (size_t)len >= sizeof(path))
		return (KORE_RESULT_ERROR);
	(void)snprintf(keys_dir, sizeof(keys_dir), "%s/var/keys", root);
	if (!config_read(path))
		return (KORE_RESULT_ERROR);
	if ((env = getenv("REGISTRY_KEYS")) != NULL)
		config_set("keys", env);
	if ((env = getenv("REGISTRY_PUBLIC_URL")) != NULL)
		config_set("public_url", env);

	ring_refresh();
	(void)kore_timer_add(signer_tick, SIGNER_INTERVAL, NULL, 0);
	return (KORE_RESULT_OK);
}

const char *
signing_public_url(void)
{
	return (public_url);
}

const char *
signing_keys_dir(void)
{
	return (keys_dir);
}

const char *
signing_current_kid(void)
{
	ring_refresh();
	return (ring != NULL ? keyring_current(ring) : NULL);
}

size_t
signing_key_count(void)
{
	return (ring != NULL ? keyring_count(ring) : 0);
}

const char *
signing_key_kid(size_t i, int *has_private)
{
	return (ring != NULL ? keyring_kid(ring, i, has_private) : NULL);
}

static int
config_read(const char *path)
{
	FILE		*fp;
	char		line[1024], *key, *value, *end;
	int		lineno;

	if ((fp = fopen(path, "r")) == NULL) {
		kore_log(LOG_NOTICE, "%s: not found, signing defaults used",
		    path);
		return (1);
	}
	lineno = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		key = line + strspn(line, " \t");
		if (*key == '#' || *key == '\n' || *key == '\0')
			continue;
		value = key + strcspn(key, " \t\n");
		if (*value != '\0')
			*value++ = '\0';
		value += strspn(value, " \t");
		end = value + strcspn(value, "\n");
		while (end > value && isspace((unsigned char)end[-1]))
			end--;
		*end = '\0';
		if (*value == '\0' || (strcmp(key, "keys") != 0 &&
		    strcmp(key, "public_url") != 0)) {
			kore_log(LOG_ERR, "%s:%d: expected 'keys DIR' or "
			    "'public_url URL'", path, lineno);
			(void)fclose(fp);
			return (0);
		}
		config_set(key, value);
	}
	(void)fclose(fp);
	return (1);
}

/* A relative keys directory is relative to the checkout. */
static void
config_set(const char *key, const char *value)
{
	const char	*root;
	size_t		len;

	if (strcmp(key, "public_url") == 0) {
		/* It travels in a work's filename (credentials.c). */
		if (strlen(value) >= sizeof(public_url)) {
			kore_log(LOG_ERR, "public_url longer than %zu bytes",
			    sizeof(public_url) - 1);
			return;
		}
		(void)snprintf(public_url, sizeof(public_url), "%s", value);
		len = strlen(public_url);
		while (len > 0 && public_url[len - 1] == '/')
			public_url[--len] = '\0';
		return;
	}
	if (value[0] == '/') {
		(void)snprintf(keys_dir, sizeof(keys_dir), "%s", value);
		return;
	}
	if ((root = getenv("REGISTRY_ROOT")) == NULL)
		root = ".";
	(void)snprintf(keys_dir, sizeof(keys_dir), "%s/%s", root, value);
}

/* Loads the ring again when its "current" file has changed. */
static void
ring_refresh(void)
{
	struct keyring	*fresh;
	struct stat	st;
	char		path[PATH_MAX], err[256];
	int		fd, len;

	len = snprintf(path, sizeof(path), "%s/current", keys_dir);
	if (len < 0 || (size_t)len >= sizeof(path))
		return;
	/* open + fstat: the worker's seccomp filter has no stat(). */
	if ((fd = open(path, O_RDONLY)) == -1) {
		if (ring == NULL && ring_stamp.tv_sec == 0) {
			kore_log(LOG_WARNING, "no signing key in %s: "
			    "credentials stay unsigned until one is made "
			    "(build/registry-keys new -d %s)", keys_dir,
			    keys_dir);
			ring_stamp.tv_sec = 1;
		}
		return;
	}
	if (fstat(fd, &st) == -1) {
		(void)close(fd);
		return;
	}
	(void)close(fd);
	if (ring != NULL && st.st_mtim.tv_sec == ring_stamp.tv_sec &&
	    st.st_mtim.tv_nsec == ring_stamp.tv_nsec)
		return;

	if ((fresh = keyring_load(keys_dir, err, sizeof(err))) == NULL) {
		kore_log(LOG_ERR, "signing keys %s: %s", keys_dir, err);
		return;
	}
	keyring_free(ring);
	ring = fresh;
	ring_stamp = st.st_mtim;
	kore_log(LOG_INFO, "signing with key %s (%zu in the ring)",
	    keyring_current(ring) != NULL ? keyring_current(ring) : "none",
	    keyring_count(ring));
}

/*
 * Signs [{id, payload}] into [{id, kid, jws}]; NULL when there is no key
 * to sign with (the credentials wait for the signer).
 */
static json_t *
sign_list(json_t *list)
{
	json_t		*out, *item;
	const char	*id, *payload;
	char		*jws;
	size_t		i;

	if (ring == NULL || keyring_current(ring) == NULL)
		return (NULL);
	out = json_array();
	json_array_foreach(list, i, item) {
		id = json_string_value(json_object_get(item, "id"));
		payload = json_string_value(json_object_get(item, "payload"));
		if (id == NULL || payload == NULL)
			continue;
		if ((jws = jws_sign(ring, payload, strlen(payload))) == NULL) {
			kore_log(LOG_ERR, "credential %s: signing failed", id);
			continue;
		}
		(void)json_array_append_new(out, json_pack("{s:s, s:s, s:s}",
		    "id", id, "kid", keyring_current(ring), "jws", jws));
		free(jws);
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		return (NULL);
	}
	return (out);
}

/*
 * The pipeline's sign step. Takes "_sign" out of the write's result (the
 * answer, kept in call->answer) and, when there is something to sign,
 * sets up the query that stores the signatures. Returns 1 for that query.
 */
int
signing_prepare(struct call *call)
{
	json_t		*doc, *list, *signed_list;
	json_error_t	jerr;
	char		*text;

	if ((doc = json_loads(call->result, 0, &jerr)) == NULL ||
	    !json_is_object(doc)) {
		json_decref(doc);
		return (0);
	}
	if ((list = json_object_get(doc, "_sign")) == NULL) {
		json_decref(doc);
		return (0);
	}
	json_incref(list);
	(void)json_object_del(doc, "_sign");
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL)
		fatal("signing_prepare: out of memory");
	call->answer = kore_strdup(text);
	free(text);

	ring_refresh();
	signed_list = json_is_array(list) ? sign_list(list) : NULL;
	json_decref(list);
	if (signed_list == NULL)
		return (0);
	text = json_dumps(signed_list, JSON_COMPACT);
	json_decref(signed_list);
	if (text == NULL)
		fatal("signing_prepare: out of memory");
	call_query(call, "SELECT api.credentials_store($1)", 1);
	call_param(call, 0, text);
	free(text);
	return (1);
}

/*
 * Checks a compact JWS against the ring. Returns a jws_verify() result;
 * on JWS_OK payload (malloc'd by the caller's free) holds what it signed.
 */
int
signing_verify(const char *compact, const char *expected, char *kid,
    size_t kidlen)
{
	char		*payload;
	size_t		len;
	int		rc;

	ring_refresh();
	if (ring == NULL)
		return (JWS_UNKNOWN_KEY);
	rc = jws_verify(ring, compact, strlen(compact), &payload, &len, kid,
	    kidlen);
	if (rc != JWS_OK)
		return (rc);
	/* A genuine signature over another credential's text is no proof. */
	if (expected != NULL && (len != strlen(expected) ||
	    memcmp(payload, expected, len) != 0))
		rc = JWS_BAD_SIGNATURE;
	free(payload);
	return (rc);
}

/* The signer: fetch a batch of unsigned credentials, sign, store. */
static void
signer_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	if (signer_busy)
		return;
	ring_refresh();
	if (ring == NULL || keyring_current(ring) == NULL)
		return;
	if (signer_store != NULL) {
		signer_query("SELECT api.credentials_store($1)", signer_store);
		return;
	}
	signer_query("SELECT api.credentials_unsigned(200)", NULL);
}

static void
signer_query(const char *query, const char *param)
{
	int		ok;

	kore_pgsql_init(&signer_sql);
	kore_pgsql_bind_callback(&signer_sql, signer_step, NULL);
	if (!kore_pgsql_setup(&signer_sql, REGISTRY_DB, KORE_PGSQL_ASYNC)) {
		kore_pgsql_cleanup(&signer_sql);
		return;
	}
	signer_busy = 1;
	if (param != NULL)
		ok = kore_pgsql_query_params(&signer_sql, query, 0, 1, param,
		    strlen(param), 0);
	else
		ok = kore_pgsql_query(&signer_sql, query);
	if (!ok) {
		kore_pgsql_logerror(&signer_sql);
		signer_busy = 0;
		db_drop_broken(&signer_sql);
		kore_pgsql_cleanup(&signer_sql);
	}
}

/*
 * Kore calls this from inside its pgsql code, re-entrantly on cleanup
 * (see the import worker), so the next query always starts from a timer.
 */
static void
signer_step(struct kore_pgsql *sql, void *arg)
{
	(void)arg;
	switch (sql->state) {
	case KORE_PGSQL_STATE_WAIT:
		return;
	case KORE_PGSQL_STATE_RESULT:
		free(signer_result);
		signer_result = NULL;
		if (kore_pgsql_ntuples(sql) > 0 &&
		    !PQgetisnull(sql->result, 0, 0) &&
		    (signer_result = strdup(kore_pgsql_getvalue(sql, 0, 0)))
		    == NULL)
			fatal("signer: out of memory");
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		kore_pgsql_logerror(sql);
		free(signer_result);
		free(signer_store);
		signer_result = signer_store = NULL;
		signer_busy = 0;
		db_drop_broken(sql);
		kore_pgsql_cleanup(sql);
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		if (!signer_busy)
			return;
		signer_busy = 0;
		kore_pgsql_cleanup(sql);
		signer_fetched();
		return;
	default:
		kore_pgsql_continue(sql);
		return;
	}
}

/*
 * A query finished: after a store, look for more at once; after a fetch,
 * sign the batch and store it.
 */
static void
signer_fetched(void)
{
	json_t		*doc, *signed_list;
	json_error_t	jerr;
	char		*text;

	if (signer_store != NULL) {
		free(signer_store);
		signer_store = NULL;
		free(signer_result);
		signer_result = NULL;
		(void)kore_timer_add(signer_tick, 1, NULL, KORE_TIMER_ONESHOT);
		return;
	}
	if (signer_result == NULL)
		return;
	doc = json_loads(signer_result, 0, &jerr);
	free(signer_result);
	signer_result = NULL;
	if (doc == NULL)
		return;
	signed_list = sign_list(json_object_get(doc, "_sign"));
	json_decref(doc);
	if (signed_list == NULL)
		return;
	text = json_dumps(signed_list, JSON_COMPACT);
	json_decref(signed_list);
	if (text == NULL)
		fatal("signer: out of memory");
	signer_store = text;
	(void)kore_timer_add(signer_tick, 1, NULL, KORE_TIMER_ONESHOT);
}
