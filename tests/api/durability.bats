#!/usr/bin/env bats
# The private cluster `make run` creates is what a province runs by
# default, so it must keep every acknowledged write through a power cut:
# fsync, full-page writes and synchronous commit on, with no per-database
# override on the registry's own database, and a cluster made by an older
# checkout (which had them off) is made durable by the next start. Only
# the throw-away test databases relax synchronous_commit, each for itself
# (issue 12, item 4).

load helpers

setup_file() {
	[ "${REGISTRY_EMBEDDED:-1}" = 1 ] || return 0
	export PRIVATE_DSN="host=$PGSOCKET dbname=${REGISTRY_DB:-registry} user=postgres"
}

setting() {
	psql -X -At "$1" -c "SHOW $2"
}

@test "the private cluster's registry database is durable" {
	[ "${REGISTRY_EMBEDDED:-1}" = 1 ] || skip "DATABASE_URL: no private cluster"
	[ "$(setting "$PRIVATE_DSN" fsync)" = on ]
	[ "$(setting "$PRIVATE_DSN" full_page_writes)" = on ]
	[ "$(setting "$PRIVATE_DSN" synchronous_commit)" = on ]
	[ "$(psql -X -At "$PRIVATE_DSN" -c "SELECT count(*) FROM pg_db_role_setting s
	    JOIN pg_database d ON d.oid = s.setdatabase
	    WHERE d.datname = current_database()
	      AND array_to_string(s.setconfig, ',') ~ '(fsync|synchronous_commit|full_page_writes)'")" = 0 ]
}

@test "only the throw-away test database trades synchronous commit for speed" {
	[ "$(psql -X -At "$TEST_OWNER_DSN" -c 'SHOW synchronous_commit')" = off ]
}

@test "a cluster made with fsync off is durable after the next start" {
	[ "${REGISTRY_EMBEDDED:-1}" = 1 ] || skip "DATABASE_URL: no private cluster"
	local root dsn
	root=$(mktemp -d /tmp/registry-durable.XXXXXX)
	chmod 755 "$root"
	dsn="host=$root/var/run dbname=postgres user=postgres"
	REGISTRY_ROOT=$root sql/db start
	[ "$(setting "$dsn" fsync)" = on ] || { REGISTRY_ROOT=$root sql/db stop; rm -rf "$root"; false; }
	# What an older checkout wrote into its cluster.
	REGISTRY_ROOT=$root sql/db stop
	printf 'fsync = off\nsynchronous_commit = off\n' >>"$root/var/pgdata/postgresql.conf"
	REGISTRY_ROOT=$root sql/db start
	local f s
	f=$(setting "$dsn" fsync)
	s=$(setting "$dsn" synchronous_commit)
	REGISTRY_ROOT=$root sql/db stop
	rm -rf "$root"
	[ "$f" = on ] || fail_with "fsync is $f"
	[ "$s" = on ] || fail_with "synchronous_commit is $s"
}
