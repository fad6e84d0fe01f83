/*
 * Worker start-up: registers the database and loads the OpenAPI document.
 * Everything that differs between machines comes from the environment
 * (set by the Makefile from sql/env.sh), never from the binary:
 *
 *   REGISTRY_DSN      libpq connection string of the registry_app role
 *   REGISTRY_ROOT     the checkout (for assets/openapi.json)
 *   REGISTRY_ORIGINS  extra origins allowed to write with the cookie
 *   REGISTRY_TRUSTED_PROXIES  addresses whose X-Real-IP and
 *                     X-Forwarded-Proto are believed (default 127.0.0.1 ::1)
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <kore/hooks.h>
#include <kore/seccomp.h>

#include "registry.h"

/*
 * Task threads (password hashing, spreadsheets) are started by glibc's
 * pthread_create, which uses clone3 and registers rseq; Kore 4.1's worker
 * filter predates both. Growing a large buffer (a spreadsheet, its JSON)
 * makes glibc's realloc call mremap. A key rotation re-reads the signing
 * key ring (a directory listing) and libharu reads the certificate fonts.
 */
KORE_SECCOMP_FILTER("registry",
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(newfstatat),
);

char	*registry_openapi = NULL;
size_t	registry_openapi_len = 0;
char	registry_tmpdir[PATH_MAX];

static void	openapi_load(const char *);

int
registry_init(int state)
{
	const char	*dsn, *root;
	char		path[PATH_MAX];
	int		len;

	if (state == KORE_MODULE_UNLOAD)
		return (KORE_RESULT_OK);

	if ((dsn = getenv("REGISTRY_DSN")) == NULL) {
		kore_log(LOG_ERR, "REGISTRY_DSN is not set");
		return (KORE_RESULT_ERROR);
	}
	if (!kore_pgsql_register(REGISTRY_DB, dsn)) {
		kore_log(LOG_ERR, "cannot register the database");
		return (KORE_RESULT_ERROR);
	}

	if ((root = getenv("REGISTRY_ROOT")) == NULL)
		root = ".";
	len = snprintf(path, sizeof(path), "%s/assets/openapi.json", root);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		kore_log(LOG_ERR, "REGISTRY_ROOT is too long");
		return (KORE_RESULT_ERROR);
	}
	openapi_load(path);

	/*
	 * Spreadsheets are written through temporary files here, beside the
	 * request bodies Kore offloads (the Makefile creates it).
	 */
	len = snprintf(registry_tmpdir, sizeof(registry_tmpdir), "%s/var/tmp",
	    root);
	if (len < 0 || (size_t)len >= sizeof(registry_tmpdir)) {
		kore_log(LOG_ERR, "REGISTRY_ROOT is too long");
		return (KORE_RESULT_ERROR);
	}

	if (signing_init() != KORE_RESULT_OK)
		return (KORE_RESULT_ERROR);
	import_worker_start();
	today_keeper_start();
	audit_sealer_start();
	return (KORE_RESULT_OK);
}

static void
openapi_load(const char *path)
{
	struct stat	st;
	ssize_t		n;
	int		fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1 ||
	    st.st_size <= 0 || st.st_size > 4 * 1024 * 1024) {
		kore_log(LOG_ERR, "cannot read %s", path);
		fatal("openapi document missing");
	}

	kore_free(registry_openapi);
	registry_openapi = kore_malloc((size_t)st.st_size);
	n = read(fd, registry_openapi, (size_t)st.st_size);
	(void)close(fd);
	if (n != st.st_size)
		fatal("short read of %s", path);
	registry_openapi_len = (size_t)n;
}

/*
 * Query-string validator for the params blocks. Kore silently drops a
 * parameter that fails its validator; we would rather answer 400 naming
 * it, so the declared parameters are all let through here and checked by
 * the handlers (app/http.c), which know what each one means.
 */
int
registry_v_qs(struct http_request *req, char *data)
{
	(void)req;
	(void)data;
	return (KORE_RESULT_OK);
}
