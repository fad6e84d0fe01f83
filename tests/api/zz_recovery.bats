#!/usr/bin/env bats
# The server survives a database restart: /healthz says 503 "down" while
# PostgreSQL is stopped and recovers by itself once it is back. This
# stops the private cluster (sql/db), so it runs last, only when asked
# (REGISTRY_TEST_RECOVERY=1) and never against an external DATABASE_URL.

load helpers

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
	[ "${REGISTRY_TEST_RECOVERY:-0}" = 1 ] || skip "REGISTRY_TEST_RECOVERY is not 1"
	[ -z "${DATABASE_URL:-}" ] || skip "external database (DATABASE_URL)"
}

# db start|stop: sql/db with every inherited descriptor above 2 closed,
# so that the postmaster it starts does not keep bats' pipes open (bats
# would then wait for it forever).
db() {
	(
		cd "$ROOT" || exit 1
		for fd in /proc/$BASHPID/fd/*; do
			fd=${fd##*/}
			[ "$fd" -gt 2 ] && eval "exec $fd>&-"
		done
		exec sql/db "$1" </dev/null >/dev/null 2>&1
	)
}

teardown_file() {
	[ "${REGISTRY_TEST_RECOVERY:-0}" = 1 ] && [ -z "${DATABASE_URL:-}" ] || return 0
	db start || true
}

@test "with PostgreSQL stopped /healthz answers 503 with database down" {
	login admin
	db stop
	req GET /healthz
	expect_status 503
	expect_header content-type '^application/json'
	expect_json .database down
	expect_json .status degraded
}

@test "with PostgreSQL stopped an API call is a 503 database-unavailable problem" {
	db stop
	as admin GET /api/v1/me
	expect_problem 503 database-unavailable
	expect_header retry-after '^[0-9]+$'
}

@test "once PostgreSQL is back /healthz returns to 200 within 10 s and requests work again" {
	db start
	local i
	for i in $(seq 1 20); do
		req GET /healthz
		[ "$status_code" = 200 ] && break
		sleep 0.5
	done
	expect_status 200
	expect_json .database ok
	as admin GET /api/v1/me
	expect_status 200
	expect_json .login admin
}
