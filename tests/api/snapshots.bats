#!/usr/bin/env bats
# Quarterly snapshots over HTTP: a steering committee (or the admin)
# freezes its province's indicators and gaps for a quarter once it has
# ended, and only once; the province's officers and steering read the
# list, the whole snapshot and its difference from today; nobody changes
# or deletes one, neither through the API (405) nor in the database (a
# trigger). Every route as every role, out-of-scope ids as 404, bad input
# as 422 naming the field, refusals that write nothing.
#
# The diff test writes to a Quảng Ninh commune holding no work unit
# (from offsets 24–28, which no other file takes).

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TODAY RUNNING PREV PREV_END NEXT G1 S22 S82
	TODAY=$(owner_sql "SELECT current_date")
	RUNNING=$(owner_sql "SELECT to_char(current_date, 'YYYY-\"Q\"Q')")
	PREV=$(owner_sql "SELECT to_char(current_date - interval '3 months', 'YYYY-\"Q\"Q')")
	PREV_END=$(owner_sql "SELECT (date_trunc('quarter', current_date) - interval '1 day')::date")
	NEXT=$(owner_sql "SELECT to_char(current_date + interval '3 months', 'YYYY-\"Q\"Q')")
	G1=$(owner_sql "SELECT c.code FROM (SELECT c.id, c.code,
		row_number() OVER (ORDER BY c.code) - 1 AS n
	      FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	     WHERE p.code = '22' AND p.valid_to IS NULL
	       AND c.valid_to IS NULL) c
	    WHERE c.n BETWEEN 24 AND 28
	      AND NOT EXISTS (SELECT FROM hr.work_units w WHERE w.commune_id = c.id)
	    ORDER BY c.code LIMIT 1")
	[ -n "$G1" ] || { echo "no empty commune at offsets 24-28" >&2; return 1; }
	# The snapshots the reading tests share: Quảng Ninh's and Đồng Tháp's
	# third quarter of 2025.
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":"2025-Q3","note":"Họp Ban chỉ đạo quý III/2025"}'
	[ "$status_code" = 201 ] || { echo "snapshot 22: $status_code ${body:0:500}" >&2; return 1; }
	S22=$(jq -r .id <<<"$body")
	jq -c .gaps <<<"$body" >"$BATS_FILE_TMPDIR/s22-gaps.json"
	as admin POST /api/v1/snapshots '{"province":"82","period":"2025-Q3"}'
	[ "$status_code" = 201 ] || { echo "snapshot 82: $status_code ${body:0:500}" >&2; return 1; }
	S82=$(jq -r .id <<<"$body")
}

count_snapshots() {
	owner_sql "SELECT count(*) FROM plans.snapshots"
}

# ----------------------------------------------------------------- access

@test "every snapshot route needs a signed-in user (401)" {
	local path
	for path in /api/v1/snapshots "/api/v1/snapshots/$S22" \
	    "/api/v1/snapshots/$S22/diff"; do
		req GET "$path"
		expect_problem 401 unauthenticated || return 1
	done
	req POST /api/v1/snapshots '{"province":"22","period":"2025-Q2"}'
	expect_problem 401 unauthenticated
}

@test "POST /snapshots: the province's steering committee takes one (201, audited)" {
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":"2025-Q1","note":"Quý I"}'
	expect_status 201
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json .province.code 22
	expect_json .period 2025-Q1
	expect_json .as_of 2025-03-31
	expect_json .note "Quý I"
	expect_json .created_by bcd.quangninh
	# The reports as they answered, as of the quarter's last day.
	expect_json .indicators.scope province:22
	expect_json .indicators.as_of 2025-03-31
	expect_json .indicators.units current
	expect_json '[.indicators.items[] | select(has("code") and has("value") and has("numerator") and has("denominator")) ] | length > 20' true
	expect_json .gaps.as_of 2025-03-31
	expect_json '(.gaps.items | length) == .gaps.communes' true
	expect_json '.gaps.targets | type' array
	expect_json '.summary.flags | keys | length' 10
	expect_json '.summary.flags.NO_STAFF == ([.gaps.items[] | select(.flags | index("NO_STAFF"))] | length)' true
	expect_json '.summary.indicators.communes_covered == (.indicators.items[] | select(.code == "communes_covered") | .value)' true
	local id
	id=$(jq -r .id <<<"$body")
	as admin GET "/api/v1/audit?entity=snapshot&entity_id=$id"
	expect_json '.items | length' 1
	expect_json '.items[0].action' snapshot.create
	expect_json '.items[0].actor_login' bcd.quangninh
	expect_json '.items[0].after.period' 2025-Q1
	expect_json '.items[0].after.province' 22
}

@test "POST /snapshots: a quarter is taken once it has ended, not while it runs (422 quarter-not-ended); the admin may take any province's" {
	local before
	before=$(count_snapshots)
	as bcd.quangninh POST /api/v1/snapshots "{\"province\":\"22\",\"period\":\"$RUNNING\"}"
	expect_problem 422 quarter-not-ended period
	as admin POST /api/v1/snapshots "{\"province\":\"82\",\"period\":\"$RUNNING\"}" -H 'Accept-Language: en'
	expect_problem 422 quarter-not-ended period
	expect_json .detail "This quarter has not ended yet: it can be frozen from the day after its last day."
	[ "$(count_snapshots)" = "$before" ] || fail_with "a refused snapshot was stored"
	# The quarter just ended is frozen as of its last day.
	as admin POST /api/v1/snapshots "{\"province\":\"82\",\"period\":\"$PREV\"}"
	expect_status 201
	expect_json .as_of "$PREV_END"
	expect_json .created_by admin
	expect_json .note null
	# National steering sees every province, so it may take one too.
	as bcd.national POST /api/v1/snapshots '{"province":"82","period":"2024-Q4"}'
	expect_status 201
	expect_json .as_of 2024-12-31
}

@test "POST /snapshots: a quarter before the first national plan (2009-Q4) is frozen too" {
	as admin POST /api/v1/snapshots '{"province":"22","period":"2009-Q4"}'
	expect_status 201
	expect_json .as_of 2009-12-31
	expect_json .indicators.as_of 2009-12-31
}

@test "POST /snapshots: one per province and quarter; a second is 409 snapshot-exists pointing at the first" {
	local before
	before=$(count_snapshots)
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":"2025-Q3"}'
	expect_problem 409 snapshot-exists period
	expect_json .existing "/api/v1/snapshots/$S22"
	as admin POST /api/v1/snapshots '{"province":"22","period":"2025-Q3","note":"Lần nữa"}'
	expect_problem 409 snapshot-exists period
	expect_json .existing "/api/v1/snapshots/$S22"
	as admin POST /api/v1/snapshots '{"province":"22","period":"2025-Q3"}' -H 'Accept-Language: en'
	expect_json .detail "This province already has a snapshot of this quarter."
	[ "$(count_snapshots)" = "$before" ] || fail_with "a refused snapshot was stored"
	# Another province's same quarter is its own.
	as admin GET "/api/v1/snapshots/$S82"
	expect_json .period 2025-Q3
}

@test "POST /snapshots: officers and registrars may not (403); another province's committee gets 404" {
	local before
	before=$(count_snapshots)
	as hr.quangninh POST /api/v1/snapshots '{"province":"22","period":"2025-Q2"}'
	expect_problem 403 forbidden
	as hr.dongthap POST /api/v1/snapshots '{"province":"82","period":"2025-Q2"}'
	expect_problem 403 forbidden
	as ulsa POST /api/v1/snapshots '{"province":"22","period":"2025-Q2"}'
	expect_problem 403 forbidden
	as bcd.quangninh POST /api/v1/snapshots '{"province":"82","period":"2025-Q2"}'
	expect_problem 404 not-found
	[ "$(count_snapshots)" = "$before" ] || fail_with "a refused snapshot was stored"
	as admin GET "/api/v1/audit?entity=snapshot"
	expect_json '[.items[] | select(.after.period == "2025-Q2")] | length' 0
}

@test "POST /snapshots: the quarter and the body are checked, 422 naming the field" {
	local before
	before=$(count_snapshots)
	as bcd.quangninh POST /api/v1/snapshots "{\"province\":\"22\",\"period\":\"$NEXT\"}"
	expect_problem 422 future-period period
	as bcd.quangninh POST /api/v1/snapshots "{\"province\":\"22\",\"period\":\"$RUNNING\"}"
	expect_problem 422 quarter-not-ended period
	local p
	for p in 2025-Q5 2025-Q0 2025Q3 2025-q3 25-Q3 2025-03 "Quý 3/2025"; do
		as bcd.quangninh POST /api/v1/snapshots "{\"province\":\"22\",\"period\":\"$p\"}"
		expect_problem 422 invalid-period period || return 1
	done
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":"1999-Q4"}'
	expect_problem 422 out-of-range period
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":20253}'
	expect_problem 422 invalid-type period
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22"}'
	expect_problem 422 required period
	as bcd.quangninh POST /api/v1/snapshots '{"period":"2025-Q2"}'
	expect_problem 422 required province
	as bcd.quangninh POST /api/v1/snapshots '{"province":22,"period":"2025-Q2"}'
	expect_problem 422 invalid-type province
	as admin POST /api/v1/snapshots '{"province":"77","period":"2025-Q2"}'
	expect_problem 422 unknown-province province
	as bcd.quangninh POST /api/v1/snapshots "{\"province\":\"22\",\"period\":\"2025-Q2\",\"note\":\"$(printf 'x%.0s' $(seq 2001))\"}"
	expect_problem 422 too-long note
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22","period":"2025-Q2","as_of":"2025-05-01"}'
	expect_problem 422 unknown-field as_of
	as bcd.quangninh POST /api/v1/snapshots '{"province":"22",'
	expect_status 400
	[ "$(count_snapshots)" = "$before" ] || fail_with "a refused snapshot was stored"
}

# ----------------------------------------------------------------- reading

@test "GET /snapshots: metadata and summary only, newest quarter first, each sees its provinces" {
	as hr.quangninh GET /api/v1/snapshots
	expect_status 200
	expect_json '[.items[] | select(.province.code != "22")] | length' 0
	expect_json "[.items[].id] | index($S22) != null" true
	expect_json '[.items[] | select(has("indicators") or has("gaps"))] | length' 0
	expect_json "[.items[] | select(.id == $S22)][0] | [.period, .as_of, .note, .created_by] | join(\"|\")" \
	    "2025-Q3|2025-09-30|Họp Ban chỉ đạo quý III/2025|bcd.quangninh"
	expect_json "[.items[] | select(.id == $S22)][0] | (.created_at | type) + \" \" + (.summary.flags | keys | length | tostring) + \" \" + (.summary.indicators | has(\"communes_covered\") | tostring)" \
	    "string 10 true"
	expect_json '[.items[].period] == ([.items[].period] | sort | reverse)' true
	as bcd.quangninh GET /api/v1/snapshots
	expect_json "[.items[].id] | index($S22) != null and index($S82) == null" true
	as hr.dongthap GET /api/v1/snapshots
	expect_json "[.items[].id] | index($S82) != null and index($S22) == null" true
	as admin GET /api/v1/snapshots
	expect_json "[.items[].id] | index($S82) != null and index($S22) != null" true
	as bcd.national GET /api/v1/snapshots
	expect_json "[.items[].id] | index($S82) != null and index($S22) != null" true
	as ulsa GET /api/v1/snapshots
	expect_problem 403 forbidden
}

@test "GET /snapshots: ?province= filters (another province is 403 out of scope), pages with a cursor" {
	as admin GET /api/v1/snapshots?province=82
	expect_status 200
	expect_json '[.items[] | select(.province.code != "82")] | length' 0
	expect_json "[.items[].id] | index($S82) != null" true
	as hr.quangninh GET /api/v1/snapshots?province=82
	expect_problem 403 out-of-scope province
	as admin GET /api/v1/snapshots?province=77
	expect_problem 422 unknown-province province
	as admin GET /api/v1/snapshots?province=222
	expect_problem 400 invalid-parameter province
	# Page through everything one at a time: the same snapshots, once each.
	as admin GET /api/v1/snapshots
	local all seen=() cursor="" i
	all=$(jq -c '[.items[].id]' <<<"$body")
	for i in $(seq 1 50); do
		as admin GET "/api/v1/snapshots?limit=1${cursor:+&cursor=$cursor}"
		expect_status 200 || return 1
		seen+=("$(jq -r '.items[0].id' <<<"$body")")
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
	[ "$(printf '%s\n' "${seen[@]}" | jq -sc .)" = "$all" ] ||
	    fail_with "pages ${seen[*]} differ from the list $all"
	as admin GET "/api/v1/snapshots?cursor=bm9wZQ"
	expect_problem 400 bad-cursor cursor
	as admin GET "/api/v1/snapshots?limit=0"
	expect_problem 400 invalid-parameter limit
}

@test "GET /snapshots/{id}: everything stored, to the province's readers; 404 out of scope" {
	local who
	for who in admin hr.quangninh bcd.quangninh bcd.national; do
		as "$who" GET "/api/v1/snapshots/$S22"
		expect_status 200 || return 1
		expect_json .id "$S22" || return 1
		expect_json .period 2025-Q3 || return 1
		expect_json .indicators.as_of 2025-09-30 || return 1
		[ "$(jq -c .gaps <<<"$body")" = "$(cat "$BATS_FILE_TMPDIR/s22-gaps.json")" ] ||
		    fail_with "$who: the stored gaps differ from the ones answered at creation"
	done
	as hr.dongthap GET "/api/v1/snapshots/$S22"
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/snapshots/$S82"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/snapshots/$S82/diff"
	expect_problem 404 not-found
	as ulsa GET "/api/v1/snapshots/$S22"
	expect_problem 403 forbidden
	as ulsa GET "/api/v1/snapshots/$S22/diff"
	expect_problem 403 forbidden
	as admin GET /api/v1/snapshots/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/snapshots/999999999/diff
	expect_problem 404 not-found
}

@test "snapshots never change: PATCH, PUT and DELETE are 405; the database refuses even its owner" {
	local m
	for m in PATCH PUT DELETE; do
		as admin "$m" "/api/v1/snapshots/$S22" '{"note":"Sửa"}'
		expect_problem 405 method-not-allowed || return 1
		expect_header allow '^GET$' || return 1
		as admin "$m" "/api/v1/snapshots/$S22/diff" '{}'
		expect_status 405 || return 1
	done
	as admin DELETE /api/v1/snapshots
	expect_status 405
	expect_header allow '^GET, POST$'
	run owner_sql "UPDATE plans.snapshots SET note = 'Sửa' WHERE id = $S22"
	[ "$status" -ne 0 ] || fail_with "the owner updated a snapshot"
	[[ $output == *"frozen"* ]] || fail_with "update refused for another reason: $output"
	run owner_sql "DELETE FROM plans.snapshots WHERE id = $S22"
	[ "$status" -ne 0 ] || fail_with "the owner deleted a snapshot"
	[[ $output == *"frozen"* ]] || fail_with "delete refused for another reason: $output"
	as hr.quangninh GET "/api/v1/snapshots/$S22"
	expect_json .note "Họp Ban chỉ đạo quý III/2025"
	[ "$(jq -c .gaps <<<"$body")" = "$(cat "$BATS_FILE_TMPDIR/s22-gaps.json")" ] ||
	    fail_with "the stored gaps changed"
}

# ----------------------------------------------------------------- diff

@test "GET /snapshots/{id}/diff: the documented shape; a snapshot of today against today changes nothing" {
	local id
	# The API freezes only quarters that have ended; the diff reads any
	# stored snapshot, so the owner stores one of today, as the API would.
	id=$(owner_sql "INSERT INTO plans.snapshots (province_id, period,
		as_of, indicators, gaps, created_by)
	    SELECT g.id, '$RUNNING', current_date,
		lib.indicators_of(u, 'province:22', current_date, false, NULL, NULL),
		lib.gaps_report(u, 'province:22', current_date, false, NULL, NULL),
		u.id
	      FROM geo.units g, auth.users u
	     WHERE g.level = 'province' AND g.code = '22'
	       AND g.valid_to IS NULL AND u.login = 'bcd.quangninh'
	    RETURNING id")
	echo "$id" >"$BATS_FILE_TMPDIR/running"
	as hr.quangninh GET "/api/v1/snapshots/$id/diff"
	expect_status 200
	expect_json '.snapshot | [.id, .period, .as_of] | map(tostring) | join("|")' "$id|$RUNNING|$TODAY"
	expect_json .as_of "$TODAY"
	expect_json '[.indicators[] | select(has("code") and has("name") and has("then") and has("now") and has("change")) ] | length > 20' true
	expect_json '[.indicators[] | select(.then != .now or (.change != 0 and .change != null))] | length' 0
	expect_json '[.flags[].flag] | join(",")' "NO_STAFF,NO_OFFICIAL,NO_COLLABORATOR,CONCURRENT_ONLY,ALLOWANCE_BELOW_BASE,UNTRAINED,HIGH_TURNOVER,TRAINED_LOST,SHORT_TENURE,VACANT"
	expect_json '[.flags[] | select(.then != .now or .change != 0)] | length' 0
	expect_json .communes '[]'
	expect_json '.targets | length > 0' true
	expect_json '[.targets[] | select(has("target_id") and has("indicator") and has("then") and has("now") and has("threshold") and has("due_date") | not)] | length' 0
	expect_json '[.targets[] | select(.then != .now)] | length' 0
}

@test "GET /snapshots/{id}/diff: after a write, the commune that changed, the flag counts and the indicators" {
	local id
	id=$(cat "$BATS_FILE_TMPDIR/running")
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng CTXH bản chụp\",\"kind\":\"commune_office\",\"commune_code\":\"$G1\",\"opened_on\":\"2010-01-01\"}"
	expect_status 201
	local u p
	u=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Hà Văn Chụp\",\"citizen_id\":\"$(free_cid 4 1987 male 024)\",\"sex\":\"male\",\"birth_date\":\"1987-07-07\"}"
	expect_status 201
	p=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$p,\"work_unit_id\":$u,\"category\":\"commune_post\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	expect_status 201

	as bcd.quangninh GET "/api/v1/snapshots/$id/diff"
	expect_status 200
	expect_json '.communes | length' 1
	expect_json '.communes[0].commune_code' "$G1"
	expect_json '.communes[0].name | type' string
	expect_json '.communes[0].added' '[]'
	expect_json '.communes[0].removed | join(",")' "NO_STAFF,NO_OFFICIAL,VACANT"
	expect_json '.flags[] | select(.flag == "NO_STAFF") | .change' -1
	expect_json '.flags[] | select(.flag == "NO_STAFF") | .now == .then - 1' true
	expect_json '.flags[] | select(.flag == "UNTRAINED") | .change' 0
	expect_json '.indicators[] | select(.code == "headcount_total") | .change' 1
	expect_json '.indicators[] | select(.code == "communes_covered") | .now > .then and .change == ((100 * (.now - .then) | round) / 100)' true
	expect_json '[.targets[] | select(.indicator == "communes_covered") | .now > .then] | length > 0 and all' true
	# The snapshot itself is as it was.
	as bcd.quangninh GET "/api/v1/snapshots/$id"
	expect_json '.summary.flags.NO_STAFF == ([.gaps.items[] | select(.flags | index("NO_STAFF"))] | length)' true
	expect_json "[.gaps.items[] | select(.commune_code == \"$G1\") | .flags | index(\"NO_STAFF\") != null][0]" true
}
