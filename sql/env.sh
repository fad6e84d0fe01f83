# Sourced by the Makefile and the test runner: where the database is.
#
# Embedded default: a private cluster under var/ reached by its Unix socket,
# superuser "postgres", the schema owned by registry_owner, the server
# connected as registry_app (which may only execute api.* functions).
# DATABASE_URL: an external database; it is used as the owner for
# migrations, and the server switches to registry_app through PGOPTIONS.

REGISTRY_ROOT=${REGISTRY_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)}
export REGISTRY_ROOT

if [ -n "${DATABASE_URL:-}" ]; then
	REGISTRY_EMBEDDED=0
	OWNER_DSN=$DATABASE_URL
	SUPER_DSN=$DATABASE_URL
	APP_DSN=${APP_DATABASE_URL:-$DATABASE_URL}
	[ -n "${APP_DATABASE_URL:-}" ] || APP_PGOPTIONS="-c role=registry_app"
else
	REGISTRY_EMBEDDED=1
	PGSOCKET="$REGISTRY_ROOT/var/run"
	REGISTRY_DB=${REGISTRY_DB:-registry}
	SUPER_DSN="host=$PGSOCKET dbname=postgres user=postgres"
	OWNER_DSN="host=$PGSOCKET dbname=$REGISTRY_DB user=registry_owner"
	APP_DSN="host=$PGSOCKET dbname=$REGISTRY_DB user=registry_app"
	APP_PGOPTIONS=""
fi
export REGISTRY_EMBEDDED OWNER_DSN SUPER_DSN APP_DSN APP_PGOPTIONS PGSOCKET
