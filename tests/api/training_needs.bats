#!/usr/bin/env bats
# Training needs over HTTP: GET /api/v1/provinces/{code}/training-needs
# ranks the people of a province who need training, each once, with the
# reason. The data are built here through the API in Điện Biên (11), a
# province no other file and no demo data touch, so the whole list is
# known:
#
#   X1 (UNTRAINED)  P1 commune post, untrained             rank 1
#                   P6 untrained but planned in a social-work
#                      course: left out, excluded_enrolled
#                   P7 untrained volunteer: not workforce, not listed
#   X2 (trained)    T2 professional, bachelor in social work, title
#                      training, practice registration: needs nothing
#                   C2 collaborator paid the base salary, untrained rank 2
#                   C2b collaborator paid below it: not listed
#   X3 (trained)    P3 professional, bachelor in social work, no title
#                      training: title_training_missing V.09.04.02  rank 3
#                   P4 commune post, bachelor in another field, no
#                      social-work certificate: sw_certificate_missing
#                      V.09.04.03                                  rank 3
#                   P5 professional, trung cấp in social work, 2 of 6
#                      months of supervised practice, no registration:
#                      practice_months_short                       rank 3
#
# Plus every role (steering reads, officers and steering only their own
# province, another province 404, registrar 403, no sign-in 401), the
# filters, paging and bad parameters.

load helpers

PROV=11

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG ULSA X1 X2 X3 HR11 K_SW H11
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
	{ read -r X1; read -r X2; read -r X3; } <<<"$(communes $PROV 0 3)"
	new_user hr_officer "\"province_code\":\"$PROV\""
	HR11=$new_login
	login "$new_login" "$new_password"

	local u1 u2 u3
	u1=$(commune_unit "$X1") && u2=$(commune_unit "$X2") && u3=$(commune_unit "$X3") || return 1
	export P1 P6 P7 T2 C2 C2B P3 P4 P5
	P1=$(person "Thử Văn Một") && spell "$P1" "$u1" commune_post || return 1
	P6=$(person "Thử Văn Sáu") && spell "$P6" "$u1" concurrent || return 1
	P7=$(person "Thử Văn Bảy") && spell "$P7" "$u1" volunteer || return 1
	T2=$(person "Thử Thị Hai") && spell "$T2" "$u2" professional || return 1
	degree "$T2" dai_hoc social_work && cert "$T2" \
	    '"kind":"title_training","name":"Bồi dưỡng chức danh CTXH viên","title_code":"V.09.04.02"' &&
	    registered "$T2" || return 1
	local base
	base=$(owner_sql "SELECT plans.base_salary(current_date)")
	C2=$(person "Thử Văn Cộng") &&
	    spell "$C2" "$u2" collaborator ",\"allowance_vnd\":$base" || return 1
	C2B=$(person "Thử Văn Thấp") &&
	    spell "$C2B" "$u2" collaborator ",\"allowance_vnd\":$((base - 1))" || return 1
	P3=$(person "Thử Văn An") && spell "$P3" "$u3" professional &&
	    degree "$P3" dai_hoc social_work && registered "$P3" || return 1
	P4=$(person "Thử Thị Bình") && spell "$P4" "$u3" commune_post &&
	    degree "$P4" dai_hoc other || return 1
	P5=$(person "Thử Văn Cường") && spell "$P5" "$u3" professional &&
	    degree "$P5" trung_cap social_work &&
	    cert "$P5" '"kind":"practice_result","name":"Thực hành có giám sát","practice_months":2' ||
	    return 1

	# A social-work course and a cohort of the province, with P6 planned.
	as admin POST /api/v1/courses "{\"code\":\"TN-SW-$TAG\",\"name\":\"Bồi dưỡng CTXH thử $TAG\",\"kind\":\"short_course\",\"topic\":\"sw_general\",\"hours\":40,\"counts_as_sw_training\":true}"
	[ "$status_code" = 201 ] || { echo "course: $status_code $body" >&2; return 1; }
	K_SW=$(jq -r .id <<<"$body")
	as admin POST /api/v1/cohorts "{\"course_id\":$K_SW,\"province_code\":\"$PROV\",\"start_date\":\"2026-01-05\",\"end_date\":\"2026-01-16\",\"capacity\":10,\"funding\":\"provincial_budget\"}"
	[ "$status_code" = 201 ] || { echo "cohort: $status_code $body" >&2; return 1; }
	H11=$(jq -r .id <<<"$body")
	as admin POST "/api/v1/cohorts/$H11/enrolments" "{\"person_id\":$P6,\"status\":\"planned\"}"
	[ "$status_code" = 201 ] || { echo "enrol: $status_code $body" >&2; return 1; }
}

# person NAME: a man born 1985 kept by the province; prints the id.
person() {
	as admin POST /api/v1/people "{\"full_name\":\"$1\",\"citizen_id\":\"$(free_cid 5 1985 male 011)\",\"sex\":\"male\",\"birth_date\":\"1985-05-05\",\"province_code\":\"$PROV\"}"
	[ "$status_code" = 201 ] || { echo "person: $status_code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# spell PERSON UNIT CATEGORY [EXTRA]: in force since 2024-01-01.
spell() {
	as admin POST /api/v1/assignments "{\"person_id\":$1,\"work_unit_id\":$2,\"category\":\"$3\",\"fte\":1,\"start_date\":\"2024-01-01\"${4-}}"
	[ "$status_code" = 201 ] || { echo "spell: $status_code $body" >&2; return 1; }
}

degree() {
	as admin POST "/api/v1/people/$1/qualifications" "{\"level\":\"$2\",\"field\":\"$3\",\"institution_name\":\"Trường Đại học Thử\",\"awarded_on\":\"2015-06-30\"}"
	[ "$status_code" = 201 ] || { echo "degree: $status_code $body" >&2; return 1; }
}

cert() {
	as admin POST "/api/v1/people/$1/certificates" "{\"issuer_name\":\"Trung tâm CTXH thử\",\"issued_on\":\"2025-03-01\",$2}"
	[ "$status_code" = 201 ] || { echo "cert: $status_code $body" >&2; return 1; }
}

# registered PERSON: a practice registration in force.
registered() {
	as admin POST "/api/v1/people/$1/practice-registrations" "{\"number\":\"TN-$TAG-$1\",\"issued_by\":\"Sở Y tế Điện Biên\",\"issued_on\":\"2025-01-10\",\"expires_on\":\"2030-01-10\"}"
	[ "$status_code" = 201 ] || { echo "registration: $status_code $body" >&2; return 1; }
}

needs() {
	as "${WHO:-admin}" GET "/api/v1/provinces/$PROV/training-needs${1-}"
}

# item PERSON: that person's item of the last page, compact.
item() {
	jq -c --argjson p "$1" '.items[] | select(.person_id == $p)' <<<"$body"
}

# ------------------------------------------------------------------ access

@test "training needs need a signed-in user (401)" {
	req GET /api/v1/provinces/22/training-needs
	expect_problem 401 unauthenticated
	req GET "/api/v1/provinces/$PROV/training-needs?rank=1"
	expect_problem 401 unauthenticated
}

@test "roles: admin any province, officers and steering their own, another province 404, registrar 403" {
	local who
	for who in admin hr.quangninh bcd.quangninh bcd.national; do
		as "$who" GET /api/v1/provinces/22/training-needs
		expect_status 200 || return 1
		expect_json '.items | type' array || return 1
		expect_json .province_code 22 || return 1
	done
	for who in admin hr.dongthap bcd.national; do
		as "$who" GET /api/v1/provinces/82/training-needs
		expect_status 200 || return 1
	done
	for who in hr.dongthap; do
		as "$who" GET /api/v1/provinces/22/training-needs
		expect_problem 404 not-found || return 1
	done
	for who in hr.quangninh bcd.quangninh; do
		as "$who" GET /api/v1/provinces/82/training-needs
		expect_problem 404 not-found || return 1
		as "$who" GET "/api/v1/provinces/$PROV/training-needs"
		expect_problem 404 not-found || return 1
	done
	as "$HR11" GET "/api/v1/provinces/$PROV/training-needs"
	expect_status 200
	as "$HR11" GET /api/v1/provinces/22/training-needs
	expect_problem 404 not-found
	as ulsa GET /api/v1/provinces/22/training-needs
	expect_problem 403 forbidden
	# No such province today (Bà Rịa–Vũng Tàu merged into 79).
	as admin GET /api/v1/provinces/77/training-needs
	expect_problem 404 not-found
	as admin POST /api/v1/provinces/22/training-needs '{}'
	expect_status 405
}

# ------------------------------------------------------------------ ranking

@test "the list: rank 1 in the UNTRAINED commune, the paid collaborator rank 2, one certificate away rank 3, in order" {
	needs
	expect_status 200
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' \
	    "$P1 $C2 $P3 $P4 $P5"
	expect_json '[.items[].rank] | map(tostring) | join(" ")' "1 2 3 3 3"
	expect_json '.next_cursor' null
	# X2 and X3 have a trained person; every other commune is UNTRAINED.
	local n
	n=$(owner_sql "SELECT count(*) FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	    WHERE p.code = '$PROV' AND p.valid_to IS NULL AND c.valid_to IS NULL")
	expect_json .communes_untrained $((n - 2))
	expect_json .as_of "$(owner_sql "SELECT current_date")"

	jq -e --arg x1 "$X1" '.items[0] | .reason == "untrained_in_untrained_commune"
	    and .commune_code == $x1 and .commune_codes == [$x1]
	    and .category == "commune_post" and .full_name == "Thử Văn Một"
	    and (.commune_name | length > 0) and .title_code == null
	    and (.citizen_id | test("^•{9}[0-9]{3}$"))
	    and (.detail | test("UNTRAINED") and test(" / "))' <<<"$body" >/dev/null ||
	    fail_with "rank 1 item: $(item "$P1")"
	jq -e --arg x2 "$X2" '.items[1] | .reason == "collaborator_counting_toward_coverage"
	    and .commune_code == $x2 and .category == "collaborator"' \
	    <<<"$body" >/dev/null || fail_with "rank 2 item: $(item "$C2")"
	jq -e --arg x3 "$X3" '.items[2] | .reason == "title_training_missing"
	    and .title_code == "V.09.04.02" and .commune_code == $x3
	    and .category == "professional"
	    and (.detail | test("V.09.04.02"))' <<<"$body" >/dev/null ||
	    fail_with "title item: $(item "$P3")"
	jq -e '.items[3] | .reason == "sw_certificate_missing"
	    and .title_code == "V.09.04.03" and .category == "commune_post"' \
	    <<<"$body" >/dev/null || fail_with "certificate item: $(item "$P4")"
	jq -e '.items[4] | .reason == "practice_months_short"
	    and .title_code == null and .reasons == ["practice_months_short"]
	    and (.detail | test("2/6"))' <<<"$body" >/dev/null ||
	    fail_with "practice item: $(item "$P5")"
}

@test "left out: the trained, the below-base collaborator, the volunteer; the enrolled counted in excluded_enrolled" {
	needs
	expect_status 200
	local p
	for p in "$T2" "$C2B" "$P7" "$P6"; do
		[ -z "$(item "$p")" ] || fail_with "person $p is listed: $(item "$p")" || return 1
	done
	expect_json .excluded_enrolled 1
	# With the enrolment withdrawn P6 is rank 1 again, and back out when
	# planned again.
	local e
	e=$(owner_sql "SELECT id FROM training.enrolments WHERE cohort_id = $H11 AND person_id = $P6")
	as admin PATCH "/api/v1/enrolments/$e" '{"status":"withdrawn"}'
	expect_status 200
	needs '?rank=1'
	expect_json "[.items[].person_id] | index($P6) != null" true
	expect_json .excluded_enrolled 0
	as admin PATCH "/api/v1/enrolments/$e" '{"status":"planned"}'
	expect_status 200
	needs '?rank=1'
	expect_json "[.items[].person_id] | index($P6) != null" false
	expect_json .excluded_enrolled 1
}

@test "each person once, at the best rank: P1 with a post and a degree stays rank 1" {
	# A bachelor in another field makes P1, a commune post holder, one
	# social-work certificate away from V.09.04.03 (rank 3) as well; they
	# are listed once, at rank 1.
	degree "$P1" dai_hoc other
	needs
	expect_json "[.items[] | select(.person_id == $P1)] | length" 1
	expect_json "[.items[] | select(.person_id == $P1)][0].rank" 1
}

@test "filters: ?rank and ?commune cut the province's list" {
	needs '?rank=1'
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$P1"
	needs '?rank=2'
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$C2"
	needs '?rank=3'
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$P3 $P4 $P5"
	needs "?commune=$X3"
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$P3 $P4 $P5"
	expect_json '[.items[].commune_code] | unique | join(" ")' "$X3"
	needs "?commune=$X2&rank=2"
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$C2"
	needs "?commune=$X2&rank=1"
	expect_json '.items | length' 0
	needs "?commune=$X1"
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$P1"
	expect_json .excluded_enrolled 1
	needs "?commune=$X3"
	expect_json .excluded_enrolled 0
}

@test "paging: ?limit pages through the same order with opaque cursors" {
	needs
	local all got="" cursor="" pages=0
	all=$(jq -r '[.items[].person_id] | map(tostring) | join(" ")' <<<"$body")
	while :; do
		needs "?limit=2${cursor:+&cursor=$cursor}"
		expect_status 200 || return 1
		got="$got $(jq -r '[.items[].person_id] | map(tostring) | join(" ")' <<<"$body")"
		pages=$((pages + 1))
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
		[ "$pages" -lt 10 ] || fail_with "paging does not end" || return 1
	done
	[ "$(echo $got)" = "$all" ] || fail_with "pages '$got' vs list '$all'"
	[ "$pages" = 3 ] || fail_with "expected 3 pages of 2, got $pages"
}

@test "bad parameters are 400 or 422 naming the parameter" {
	needs '?rank=4'
	expect_problem 400 invalid-parameter rank
	needs '?rank=x'
	expect_problem 400 invalid-parameter rank
	needs '?rank=12'
	expect_problem 400 invalid-parameter rank
	needs '?commune=99999'
	expect_problem 422 unknown-commune commune
	needs "?commune=$(communes 22 0 1)"
	expect_problem 422 commune-outside-province commune
	needs '?commune=123456'
	expect_problem 400 invalid-parameter commune
	needs '?limit=0'
	expect_problem 400 invalid-parameter limit
	needs '?limit=501'
	expect_problem 400 invalid-parameter limit
	needs '?cursor=bm90LWpzb24'
	expect_problem 400 bad-cursor cursor
	needs "?cursor=$(printf '{"r":9,"c":"x","g":"a","f":"b","id":1}' | base64 -w0 | tr '+/' '-_' | tr -d '=')"
	expect_problem 400 bad-cursor cursor
}

@test "steering reads the needs of its own province, read-only" {
	as bcd.quangninh GET '/api/v1/provinces/22/training-needs?rank=1&limit=5'
	expect_status 200
	expect_json '[.items[] | select(.rank != 1)] | length' 0
	as bcd.national GET "/api/v1/provinces/$PROV/training-needs"
	expect_status 200
	expect_json '.items | length' 5
}

@test "completing the training takes the person off the list and the commune off UNTRAINED" {
	local before after e
	needs
	before=$(jq -r .communes_untrained <<<"$body")
	as admin POST "/api/v1/cohorts/$H11/enrolments" "{\"person_id\":$P1,\"status\":\"enrolled\"}"
	expect_status 201
	e=$(jq -r .id <<<"$body")
	as admin PATCH "/api/v1/cohorts/$H11" '{"status":"open"}'
	expect_status 200
	as admin PATCH "/api/v1/cohorts/$H11" '{"status":"running"}'
	expect_status 200
	needs '?rank=1'
	expect_json '.items | length' 0
	expect_json .excluded_enrolled 2
	as admin PATCH "/api/v1/enrolments/$e" '{"status":"completed"}'
	expect_status 200
	needs
	after=$(jq -r .communes_untrained <<<"$body")
	[ "$after" = $((before - 1)) ] || fail_with "UNTRAINED communes $before -> $after"
	# Trained now, P1 (a bachelor) is one title-training certificate
	# away from V.09.04.02: rank 3.
	jq -e --argjson p "$P1" '[.items[] | select(.person_id == $p)]
	    | length == 1 and .[0].rank == 3
	    and .[0].reason == "title_training_missing"
	    and .[0].title_code == "V.09.04.02"' <<<"$body" >/dev/null ||
	    fail_with "P1: $(item "$P1")"
	# X1 has a trained person: P6, still planned, needs nothing of rank 1
	# any more, so nobody is left out.
	expect_json .excluded_enrolled 0
	needs "?commune=$X1&rank=1"
	expect_json '.items | length' 0
}

@test "only people whose record the caller may see: one kept by another province is listed to the admin, not to the officer" {
	local x4 u4 p
	x4=$(communes $PROV 3 1)
	u4=$(commune_unit "$x4")
	as admin POST /api/v1/people "{\"full_name\":\"Thử Văn Khách\",\"citizen_id\":\"$(free_cid 5 1985 male 022)\",\"sex\":\"male\",\"birth_date\":\"1985-05-05\",\"province_code\":\"22\"}"
	expect_status 201
	p=$(jq -r .id <<<"$body")
	spell "$p" "$u4" commune_post
	needs "?commune=$x4"
	expect_json '[.items[].person_id] | map(tostring) | join(" ")' "$p"
	WHO=bcd.national needs "?commune=$x4"
	expect_json '.items | length' 1
	WHO=$HR11 needs "?commune=$x4"
	expect_status 200
	expect_json '.items | length' 0
	# The commune is UNTRAINED for everyone alike: the flag is counted
	# from every spell.
	WHO=$HR11 needs
	local n
	n=$(jq -r .communes_untrained <<<"$body")
	needs
	expect_json .communes_untrained "$n"
}
