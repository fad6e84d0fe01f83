#!/usr/bin/env bats
# Cohort plans over HTTP: POST /api/v1/cohort-plans proposes who to put in
# a social-work course so that the most UNTRAINED communes close (greedy
# maximum coverage), GET reads the plan, POST …/accept creates the cohort
# and its planned enrolments. The data are built here through the API in
# Lai Châu (12), a province no other file and no demo data touch, so every
# UNTRAINED commune and candidate is known:
#
#   A (lowest code)  PA1, PA2, PA3   untrained concurrent-role staff
#   B                PB              untrained commune post holder
#   C                PC              untrained commune post holder
#   B and C          PX              untrained, a spell in each
#
# The training-needs list starts with A's three people (rank 1, commune A
# first), so training its first two closes one commune; the plan of two
# takes PX (closes B and C) and one of A: three communes.
#
# Plus every route as every role (steering read-only, officers only their
# own province, another province 404, registrar 403, no sign-in 401),
# every validation error naming its field and writing nothing, accepting
# once, and the communes leaving UNTRAINED in the gap report once the
# cohort's enrolments are completed.

load helpers

PROV=12

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG ULSA A B C HR12 K_SW K_OTHER K_OFF
	TAG=$(tr -dc 'A-Z' </dev/urandom | head -c 5)
	ULSA=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	local busy
	busy=$(owner_sql "SELECT count(*) FROM hr.assignments a
	    JOIN hr.work_units w ON w.id = a.work_unit_id
	    JOIN geo.units p ON p.id = w.province_id WHERE p.code = '$PROV'")
	if [ "$busy" != 0 ]; then
		echo "province $PROV already has $busy spells: this file needs it to itself" >&2
		return 1
	fi
	{ read -r A; read -r B; read -r C; } <<<"$(communes $PROV 0 3)"
	new_user hr_officer "\"province_code\":\"$PROV\""
	HR12=$new_login
	login "$new_login" "$new_password"

	local ua ub uc
	ua=$(commune_unit "$A") && ub=$(commune_unit "$B") && uc=$(commune_unit "$C") || return 1
	export PA1 PA2 PA3 PB PC PX
	PA1=$(person "Thử Văn Giáp") && spell "$PA1" "$ua" concurrent || return 1
	PA2=$(person "Thử Văn Ất") && spell "$PA2" "$ua" concurrent || return 1
	PA3=$(person "Thử Văn Bính") && spell "$PA3" "$ua" concurrent || return 1
	PB=$(person "Thử Thị Đinh") && spell "$PB" "$ub" commune_post || return 1
	PC=$(person "Thử Thị Mậu") && spell "$PC" "$uc" commune_post || return 1
	PX=$(person "Thử Văn Kỷ") && spell "$PX" "$ub" concurrent ',"fte":0.5' &&
	    spell "$PX" "$uc" concurrent ',"fte":0.5' || return 1

	as admin POST /api/v1/courses "{\"code\":\"CP-SW-$TAG\",\"name\":\"Bồi dưỡng CTXH kế hoạch $TAG\",\"kind\":\"short_course\",\"topic\":\"sw_general\",\"hours\":40,\"counts_as_sw_training\":true}"
	K_SW=$(jq -r .id <<<"$body")
	as admin POST /api/v1/courses "{\"code\":\"CP-NO-$TAG\",\"name\":\"Tin học văn phòng $TAG\",\"kind\":\"short_course\",\"topic\":\"other\",\"hours\":20}"
	K_OTHER=$(jq -r .id <<<"$body")
	as admin POST /api/v1/courses "{\"code\":\"CP-OFF-$TAG\",\"name\":\"Khóa đã đóng $TAG\",\"kind\":\"short_course\",\"topic\":\"sw_general\",\"hours\":20,\"counts_as_sw_training\":true,\"active\":false}"
	K_OFF=$(jq -r .id <<<"$body")
	[ -n "$K_SW" ] && [ -n "$K_OTHER" ] && [ -n "$K_OFF" ] ||
	    { echo "courses: $body" >&2; return 1; }
}

person() {
	as admin POST /api/v1/people "{\"full_name\":\"$1\",\"citizen_id\":\"$(free_cid 6 1986 male 012)\",\"sex\":\"male\",\"birth_date\":\"1986-06-06\",\"province_code\":\"$PROV\"}"
	[ "$status_code" = 201 ] || { echo "person: $status_code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# spell PERSON UNIT CATEGORY [EXTRA]: FTE 1 unless EXTRA says, since 2024.
spell() {
	as admin POST /api/v1/assignments "{\"person_id\":$1,\"work_unit_id\":$2,\"category\":\"$3\",\"start_date\":\"2024-01-01\"${4:-,\"fte\":1}}"
	[ "$status_code" = 201 ] || { echo "spell: $status_code $body" >&2; return 1; }
}

# plan WHO CAPACITY [COURSE] [PROVINCE]: POST a plan; sets plan_id.
plan() {
	as "$1" POST /api/v1/cohort-plans "{\"course_id\":${3:-$K_SW},\"capacity\":$2,\"province\":\"${4:-$PROV}\"}"
	plan_id=$(jq -r '.id // empty' <<<"$body")
}

counts() {
	owner_sql "SELECT (SELECT count(*) FROM plans.cohort_plans) || ' ' ||
	    (SELECT count(*) FROM training.cohorts) || ' ' ||
	    (SELECT count(*) FROM training.enrolments) || ' ' ||
	    (SELECT count(*) FROM audit.log)"
}

# The province's department teaches the cohort (naming an institution
# needs a partnership of the province, see training.bats).
accept_body() {
	echo "{\"start_date\":\"2025-03-03\",\"end_date\":\"2025-03-14\",\"funding\":\"provincial_budget\"${1-}}"
}

# ------------------------------------------------------------------ access

@test "cohort plans need a signed-in user (401)" {
	req POST /api/v1/cohort-plans "{\"course_id\":$K_SW,\"capacity\":2,\"province\":\"$PROV\"}"
	expect_problem 401 unauthenticated
	req GET /api/v1/cohort-plans/1
	expect_problem 401 unauthenticated
	req POST /api/v1/cohort-plans/1/accept "$(accept_body)"
	expect_problem 401 unauthenticated
}

@test "who may propose: admin, the province's officer; steering and registrars 403, another province's officer 403" {
	local before who
	before=$(counts)
	for who in bcd.quangninh bcd.national ulsa; do
		plan "$who" 2
		expect_problem 403 forbidden || return 1
	done
	plan hr.quangninh 2
	expect_problem 403 out-of-scope province
	plan hr.dongthap 2 "$K_SW" 22
	expect_problem 403 out-of-scope province
	[ "$(counts)" = "$before" ] || fail_with "a refused proposal wrote something"
	plan hr.quangninh 3 "$K_SW" 22
	expect_status 201
	expect_json .province 22
	expect_json .status proposed
	expect_json .created_by hr.quangninh
	plan "$HR12" 1
	expect_status 201
	plan admin 1
	expect_status 201
	expect_json .created_by admin
	as admin GET /api/v1/cohort-plans
	expect_status 405
}

@test "who may read a plan: admin, the province's officer and steering, national steering; others 404, registrar 403" {
	local p12 p22 who
	plan "$HR12" 2
	expect_status 201
	p12=$plan_id
	plan hr.quangninh 2 "$K_SW" 22
	expect_status 201
	p22=$plan_id
	for who in admin "$HR12" bcd.national; do
		as "$who" GET "/api/v1/cohort-plans/$p12"
		expect_status 200 || return 1
		expect_json .id "$p12" || return 1
	done
	for who in hr.quangninh bcd.quangninh hr.dongthap; do
		as "$who" GET "/api/v1/cohort-plans/$p12"
		expect_problem 404 not-found || return 1
	done
	for who in admin hr.quangninh bcd.quangninh bcd.national; do
		as "$who" GET "/api/v1/cohort-plans/$p22"
		expect_status 200 || return 1
	done
	as hr.dongthap GET "/api/v1/cohort-plans/$p22"
	expect_problem 404 not-found
	as ulsa GET "/api/v1/cohort-plans/$p22"
	expect_problem 403 forbidden
	as admin GET /api/v1/cohort-plans/999999999
	expect_problem 404 not-found
}

@test "validation: each problem names its field and nothing is written" {
	local before
	before=$(counts)
	as admin POST /api/v1/cohort-plans "{\"capacity\":2,\"province\":\"$PROV\"}"
	expect_problem 422 required course_id
	as admin POST /api/v1/cohort-plans "{\"course_id\":\"$K_SW\",\"capacity\":2,\"province\":\"$PROV\"}"
	expect_problem 422 invalid-number course_id
	as admin POST /api/v1/cohort-plans "{\"course_id\":$K_SW,\"province\":\"$PROV\"}"
	expect_problem 422 required capacity
	local cap
	for cap in 0 5001 2.5 -1; do
		plan admin "$cap"
		expect_problem 422 out-of-range capacity || return 1
	done
	plan admin '"2"'
	expect_problem 422 invalid-number capacity
	as admin POST /api/v1/cohort-plans "{\"course_id\":$K_SW,\"capacity\":2}"
	expect_problem 422 required province
	plan admin 2 "$K_SW" 99
	expect_problem 422 unknown-province province
	plan admin 2 "$K_SW" 77
	expect_problem 422 unknown-province province
	plan admin 2 999999999
	expect_problem 422 unknown-course course_id
	plan admin 2 "$K_OTHER"
	expect_problem 422 not-sw-training course_id
	plan admin 2 "$K_OFF"
	expect_problem 422 course-inactive course_id
	as admin POST /api/v1/cohort-plans "{\"course_id\":$K_SW,\"capacity\":2,\"province\":\"$PROV\",\"status\":\"accepted\"}"
	expect_problem 422 unknown-field status
	as admin POST /api/v1/cohort-plans '{"course_id":'
	expect_status 400
	[ "$(counts)" = "$before" ] || fail_with "a refused proposal wrote something"
}

# ------------------------------------------------------------------ the plan

@test "the plan closes more UNTRAINED communes than the first N of the training-needs list" {
	# The first two of the list, as the API answers it.
	as admin GET "/api/v1/provinces/$PROV/training-needs?limit=2"
	expect_status 200
	local first closed_first
	first=$(jq -r '[.items[].person_id] | map(tostring) | join(" ")' <<<"$body")
	expect_json '[.items[].commune_code] | unique | join(" ")' "$A"
	# Rank 1 items name the UNTRAINED communes the person works in:
	# training both closes their union.
	closed_first=$(jq '[.items[] | select(.rank == 1) | .commune_codes[]]
	    | unique | length' <<<"$body")
	[ "$closed_first" = 1 ] || fail_with "the first two close $closed_first"

	as "$HR12" GET "/api/v1/provinces/$PROV/training-needs"
	local untrained=$(jq -r .communes_untrained <<<"$body")

	plan "$HR12" 2
	expect_status 201
	local closed_plan
	closed_plan=$(jq '[.participants[].closes[]] | unique | length' <<<"$body")
	expect_json .communes_closed "$closed_plan"
	[ "$closed_plan" -gt "$closed_first" ] ||
	    fail_with "the plan closes $closed_plan, the list's first two $closed_first"
	[ "$closed_plan" = 3 ] || fail_with "expected 3 communes closed"
	# PX (B and C) first, then A's lowest id; not the list's first two.
	expect_json '[.participants[].person_id] | map(tostring) | join(" ")' "$PX $PA1"
	[ "$(jq -r '[.participants[].person_id] | map(tostring) | join(" ")' <<<"$body")" != "$first" ]
	jq -e --arg a "$A" --arg b "$B" --arg c "$C" '
	    .participants[0].closes == [$b, $c] and .participants[0].commune_codes == [$b, $c]
	    and .participants[1].closes == [$a]
	    and all(.participants[]; .rank == 1
		and .reason == "untrained_in_untrained_commune")
	    and (.participants[0].full_name | length > 0)' <<<"$body" >/dev/null ||
	    fail_with "participants"
	expect_json .capacity 2
	expect_json .province "$PROV"
	expect_json .course.id "$K_SW"
	expect_json .status proposed
	expect_json .cohort_id null
	expect_json .as_of "$(owner_sql "SELECT current_date")"
	# The projection: six untrained people, two trained after; three
	# communes fewer UNTRAINED; coverage unchanged (no one new in post).
	jq -e --argjson u "$untrained" '.projection
	    | .communes_untrained.before == $u and .communes_untrained.after == $u - 3
	    and .trained_share.trained_before == 0 and .trained_share.workforce == 6
	    and .trained_share.trained_after == 2 and .trained_share.before == 0
	    and .trained_share.after == 33.33
	    and .communes_covered.before == .communes_covered.after
	    and .communes_covered.covered == 3' <<<"$body" >/dev/null ||
	    fail_with "projection: $(jq -c .projection <<<"$body")"
	# Stored as answered, and audited.
	local id=$plan_id answer=$body
	as bcd.national GET "/api/v1/cohort-plans/$id"
	expect_status 200
	[ "$(jq -c '{participants, projection, communes_closed}' <<<"$body")" = \
	    "$(jq -c '{participants, projection, communes_closed}' <<<"$answer")" ] ||
	    fail_with "the stored plan differs from the answer"
	as admin GET "/api/v1/audit?entity=cohort_plan&entity_id=$id"
	expect_json '.items[0].action' cohort_plan.create
}

@test "once no one closes a commune, the seats left follow the training-needs order" {
	plan "$HR12" 5
	expect_status 201
	# PX and PA1 close all three; then A's other two and B's PB, as the
	# list orders them (rank 1, commune code, given name).
	as admin GET "/api/v1/provinces/$PROV/training-needs?rank=1"
	local order
	order=$(jq -r --argjson x "$PX" --argjson a "$PA1" \
	    '[.items[].person_id | select(. != $x and . != $a)][0:3] | map(tostring) | join(" ")' <<<"$body")
	as "$HR12" GET "/api/v1/cohort-plans/$plan_id"
	expect_json '[.participants[].person_id][0:2] | map(tostring) | join(" ")' "$PX $PA1"
	expect_json '[.participants[].person_id][2:] | map(tostring) | join(" ")' "$order"
	expect_json '[.participants[2:][] | .closes | length] | add' 0
	expect_json .communes_closed 3
	expect_json '.participants | length' 5
}

# ------------------------------------------------------------------ accept

@test "accept: who may (officer and admin); steering and registrars 403, another province 404; bad input names its field, writes nothing" {
	plan "$HR12" 2
	expect_status 201
	local id=$plan_id before who
	before=$(counts)
	for who in bcd.quangninh bcd.national ulsa; do
		as "$who" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body)"
		expect_problem 403 forbidden || return 1
	done
	for who in hr.quangninh hr.dongthap; do
		as "$who" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body)"
		expect_problem 404 not-found || return 1
	done
	as "$HR12" POST /api/v1/cohort-plans/999999999/accept "$(accept_body)"
	expect_problem 404 not-found
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "{\"institution_id\":$ULSA,\"start_date\":\"2025-03-03\",\"end_date\":\"2025-03-14\",\"funding\":\"other\"}"
	expect_problem 422 partnership-required partnership_id
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "{\"start_date\":\"2025-03-03\",\"end_date\":\"2025-03-01\",\"funding\":\"other\"}"
	expect_problem 422 end-before-start end_date
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "{\"start_date\":\"2025-03-03\",\"end_date\":\"2025-03-14\",\"funding\":\"lottery\"}"
	expect_problem 422 invalid-code funding
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body ',"modality":"by_post"')"
	expect_problem 422 invalid-code modality
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "{\"institution_id\":999999,\"start_date\":\"2025-03-03\",\"end_date\":\"2025-03-14\",\"funding\":\"other\"}"
	expect_problem 422 unknown-institution institution_id
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body ',"partnership_id":999999')"
	expect_problem 422 unknown-partnership partnership_id
	for who in course_id capacity province_code status; do
		as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body ",\"$who\":1")"
		expect_problem 422 unknown-field "$who" || return 1
	done
	[ "$(counts)" = "$before" ] || fail_with "a refused accept wrote something"
	as "$HR12" GET "/api/v1/cohort-plans/$id"
	expect_json .status proposed
}

@test "accept: creates the cohort (planned, the plan's course, province and capacity) with exactly the participants planned; once" {
	plan "$HR12" 2
	expect_status 201
	local id=$plan_id people
	people=$(jq -r '[.participants[].person_id] | sort | map(tostring) | join(" ")' <<<"$body")
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body ',"name":"Lớp theo kế hoạch"')"
	expect_status 201
	expect_json .status accepted
	expect_json .id "$id"
	local h
	h=$(jq -r .cohort_id <<<"$body")
	[ "$h" != null ] || fail_with "no cohort id"
	expect_json .cohort.id "$h"
	expect_json '.accepted_at | type' string
	as "$HR12" GET "/api/v1/cohorts/$h"
	expect_status 200
	expect_json .status planned
	expect_json .capacity 2
	expect_json .province_code "$PROV"
	expect_json .course_id "$K_SW"
	expect_json .name "Lớp theo kế hoạch"
	expect_json .enrolments.planned 2
	expect_json .enrolments.total 2
	as "$HR12" GET "/api/v1/cohorts/$h/enrolments"
	expect_json '[.items[].person_id] | sort | map(tostring) | join(" ")' "$people"
	expect_json '[.items[] | select(.status != "planned")] | length' 0
	as "$HR12" GET "/api/v1/cohort-plans/$id"
	expect_json .cohort_id "$h"
	expect_json .status accepted
	as admin GET "/api/v1/audit?entity=cohort_plan&entity_id=$id"
	expect_json '[.items[].action] | sort | join(" ")' \
	    "cohort_plan.accept cohort_plan.create"
	as admin GET "/api/v1/audit?entity=cohort&entity_id=$h"
	expect_json '.items[0].action' cohort.create
	# Once.
	local before
	before=$(counts)
	as "$HR12" POST "/api/v1/cohort-plans/$id/accept" "$(accept_body)"
	expect_problem 409 plan-accepted status
	expect_json .existing "/api/v1/cohorts/$h"
	[ "$(counts)" = "$before" ] || fail_with "a second accept wrote something"
	echo "$h" >"$BATS_FILE_TMPDIR/cohort"
}

@test "people planned in the accepted cohort are left out of the needs and of the next plan" {
	local h
	h=$(cat "$BATS_FILE_TMPDIR/cohort")
	as "$HR12" GET "/api/v1/provinces/$PROV/training-needs?rank=1"
	expect_json .excluded_enrolled 2
	expect_json "[.items[].person_id] | index($PX) != null or index($PA1) != null" false
	# The next plan: A, B and C are still UNTRAINED (no one trained yet),
	# PX and PA1 are on their way, so A's next id and PB close A and B.
	plan "$HR12" 2
	expect_status 201
	expect_json '[.participants[].person_id] | map(tostring) | join(" ")' "$PA2 $PB"
	expect_json .communes_closed 2
}

@test "after the cohort's enrolments are completed, its communes leave UNTRAINED in the gap report" {
	local h e
	h=$(cat "$BATS_FILE_TMPDIR/cohort")
	as admin GET "/api/v1/provinces/$PROV/gaps?flag=UNTRAINED"
	expect_status 200
	expect_json "[.items[].commune_code] | map(select(. == \"$A\" or . == \"$B\" or . == \"$C\")) | length" 3
	as "$HR12" PATCH "/api/v1/cohorts/$h" '{"status":"open"}'
	expect_status 200
	as "$HR12" PATCH "/api/v1/cohorts/$h" '{"status":"running"}'
	expect_status 200
	for e in $(owner_sql "SELECT id FROM training.enrolments WHERE cohort_id = $h"); do
		as "$HR12" PATCH "/api/v1/enrolments/$e" '{"status":"enrolled"}'
		expect_status 200 || return 1
		as "$HR12" PATCH "/api/v1/enrolments/$e" '{"status":"completed"}'
		expect_status 200 || return 1
	done
	as admin GET "/api/v1/provinces/$PROV/gaps?flag=UNTRAINED"
	expect_status 200
	expect_json "[.items[].commune_code] | map(select(. == \"$A\" or . == \"$B\" or . == \"$C\")) | length" 0
	as "$HR12" GET "/api/v1/provinces/$PROV/training-needs?rank=1"
	expect_json '.items | length' 0
}
