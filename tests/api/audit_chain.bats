#!/usr/bin/env bats
# The audit chain never holds a business transaction up: a transaction
# appends its audit rows unchained and the server's sealer chains them
# once they are committed (audit.seal(), 0013_audit_seal.sql). So a long
# transaction that has audited does not make sign-ins or writes elsewhere
# wait for it, and every committed row is chained soon after.

load helpers

setup_file() {
	login admin
	login hr.dongthap
	export C82=$(communes 82 93 1)
}

# hold SECONDS: a session of the server's role that writes an audited
# work unit in Quảng Ninh and then keeps its transaction open for SECONDS;
# returns once the row is written. Sets holder (its pid).
hold() {
	local secs=$1 app="audit-hold-$$-$RANDOM" i
	PGAPPNAME=$app psql -X -q -v ON_ERROR_STOP=1 "$TEST_APP_DSN" \
	    >"$BATS_TEST_TMPDIR/hold.log" 2>&1 <<SQL &
BEGIN;
SELECT api.work_unit_create((SELECT api.login_finish((api.login_begin(
    'hr.quangninh', '192.0.2.7')::jsonb ->> 'attempt')::bigint, true,
    md5('$app') || md5('$app'), NULL) ->> 'id')::bigint,
    'test', '{"name": "Đơn vị giữ khóa $app", "kind": "sw_centre",
    "commune_code": "$(communes 22 52 1)", "opened_on": "2000-01-01"}');
SELECT pg_sleep($secs);
COMMIT;
SQL
	holder=$!
	# Written once the session has moved on to its sleep.
	for i in $(seq 1 100); do
		[ "$(owner_sql "SELECT count(*) FROM pg_stat_activity
		    WHERE application_name = '$app' AND query LIKE '%pg_sleep%'
		      AND state = 'active'")" = 1 ] && return 0
		kill -0 "$holder" 2>/dev/null ||
		    { cat "$BATS_TEST_TMPDIR/hold.log" >&2; return 1; }
		sleep 0.1
	done
	echo "the holding session never reached its sleep" >&2
	return 1
}

# ms COMMAND...: runs an `as`/`req` helper, then sets took (milliseconds).
ms() {
	local t0
	t0=$(date +%s%N)
	"$@"
	took=$(( ($(date +%s%N) - t0) / 1000000 ))
}

@test "an open transaction that has audited holds up no sign-in and no write in another province" {
	hold 6
	ms login hr.dongthap
	[ "$took" -lt 2000 ] || fail_with "a sign-in waited ${took} ms"
	ms as hr.dongthap POST /api/v1/work-units "$(jq -nc --arg c "$C82" \
	    '{name: "Đơn vị không chờ", kind: "sw_centre", commune_code: $c,
	      opened_on: "2000-01-01"}')"
	expect_status 201
	[ "$took" -lt 2000 ] || fail_with "a write in Đồng Tháp waited ${took} ms"
	local wid
	wid=$(jq -r .id <<<"$body")
	kill -0 "$holder" 2>/dev/null ||
	    fail_with "the holding transaction had already ended"
	# The other write's audit row is chained while the holder is open.
	local i sealed=
	for i in $(seq 1 50); do
		sealed=$(owner_sql "SELECT seq IS NOT NULL FROM audit.log
		    WHERE entity = 'work_unit' AND entity_id = '$wid'")
		[ "$sealed" = t ] && break
		sleep 0.1
	done
	[ "$sealed" = t ] || fail_with "the committed row was not chained"
	wait "$holder" || { cat "$BATS_TEST_TMPDIR/hold.log" >&2; false; }
}

@test "a write under a 1 s lock timeout is not refused while another transaction holds audited rows" {
	hold 5
	run psql -X -q -At -v ON_ERROR_STOP=1 "$TEST_APP_DSN" <<SQL
SET lock_timeout = '1s';
SELECT api.login_finish((api.login_begin('hr.dongthap', '192.0.2.8')::jsonb
    ->> 'attempt')::bigint, false, NULL, NULL) IS NULL;
SQL
	[ "$status" = 0 ] || fail_with "refused: $output"
	[ "$output" = t ] || fail_with "unexpected: $output"
	kill -0 "$holder" 2>/dev/null ||
	    fail_with "the holding transaction had already ended"
	wait "$holder"
}

@test "the held transaction's rows are chained once it commits, and the chain verifies" {
	hold 1
	wait "$holder"
	local n i
	for i in $(seq 1 50); do
		n=$(owner_sql "SELECT count(*) FROM audit.log WHERE seq IS NULL")
		[ "$n" = 0 ] && break
		sleep 0.1
	done
	[ "$n" = 0 ] || fail_with "$n committed rows were left unchained"
	as admin GET /api/v1/audit/verify
	expect_status 200
	expect_json .ok true
	expect_json .first_bad_id null
	expect_json .pending 0
	expect_json ".rows == $(owner_sql "SELECT count(*) FROM audit.log")" true
}

@test "a sealed row cannot be changed or removed, even by the table's owner" {
	as admin GET /api/v1/audit/verify
	local victim
	victim=$(owner_sql "SELECT id FROM audit.log WHERE seq IS NOT NULL
	    ORDER BY seq DESC LIMIT 1")
	run owner_sql "UPDATE audit.log SET after = '{\"x\":1}' WHERE id = $victim"
	[ "$status" != 0 ] || fail_with "a sealed row was edited"
	run owner_sql "UPDATE audit.log SET seq = NULL, prev_hash = NULL,
	    hash = NULL WHERE id = $victim"
	[ "$status" != 0 ] || fail_with "a sealed row was unsealed"
	run owner_sql "DELETE FROM audit.log WHERE id = $victim"
	[ "$status" != 0 ] || fail_with "a sealed row was deleted"
	as admin GET /api/v1/audit/verify
	expect_json .ok true
}

@test "a registrar's 2,000-row graduate dry run holds up no sign-in and no write in another province" {
	local f="$BATS_TEST_TMPDIR/graduates.csv" tag="AC-$RANDOM" dry i
	{ echo full_name,citizen_id,birth_date,sex,programme_code,programme_name,level,field,graduation_date,diploma_number
	  seq 1 2000 | awk -v t="$tag" '{ printf "Người Thứ Ba,0013019%05d,2001-01-01,female,7760101,Công tác xã hội,dai_hoc,social_work,2025-06-30,%s-%d\n", $1, t, $1 }'
	} >"$f"
	login ulsa
	curl -sS --max-time 300 -X POST -b "$(jar ulsa)" -H "Origin: $BASE_URL" \
	    -H 'Content-Type: text/csv' -H 'Expect:' --data-binary "@$f" \
	    -o "$BATS_TEST_TMPDIR/dry.json" -w '%{http_code}' \
	    "$BASE_URL/api/v1/graduates/imports" >"$BATS_TEST_TMPDIR/dry.status" &
	dry=$!
	# Under way in the database, past its first rows.
	for i in $(seq 1 100); do
		[ "$(owner_sql "SELECT count(*) FROM pg_stat_activity
		    WHERE query LIKE '%api.graduates_import(%' AND state = 'active'
		      AND now() - query_start > interval '300 ms'")" = 1 ] && break
		sleep 0.1
	done
	kill -0 "$dry" 2>/dev/null || fail_with "the dry run was over too soon"
	ms login hr.dongthap
	[ "$took" -lt 2000 ] || fail_with "a sign-in waited ${took} ms"
	ms as hr.dongthap POST /api/v1/work-units "$(jq -nc --arg c "$C82" \
	    '{name: "Đơn vị không chờ nhập", kind: "sw_centre", commune_code: $c,
	      opened_on: "2000-01-01"}')"
	expect_status 201
	[ "$took" -lt 2000 ] || fail_with "a write in Đồng Tháp waited ${took} ms"
	kill -0 "$dry" 2>/dev/null || fail_with "the dry run had already ended"
	wait "$dry"
	[ "$(cat "$BATS_TEST_TMPDIR/dry.status")" = 200 ] ||
	    fail_with "dry run: $(head -c 500 "$BATS_TEST_TMPDIR/dry.json")"
	jq -e '.written == false and .summary.ok == 2000' \
	    "$BATS_TEST_TMPDIR/dry.json" >/dev/null ||
	    fail_with "dry run: $(jq -c .summary "$BATS_TEST_TMPDIR/dry.json")"
	# It wrote nothing, so it left nothing to chain.
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE action = 'graduate.register'
	    AND after::text LIKE '%$tag-%'")" = 0 ] || fail_with "the dry run left audit rows"
}
