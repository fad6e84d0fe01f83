#!/usr/bin/env bats
# Assignments (employment spells): creating them with every field check,
# overlaps, the over-1.0 FTE warning, reading and patching (ending) them,
# and the counts made from them: headcount on a date and the FTE
# data-quality list. Transfers are in people.bats, the role matrix in
# workforce_roles.bats.

load helpers

setup_file() {
	login admin
	login hr.quangninh
	login hr.dongthap
	login bcd.quangninh
	login bcd.national
	local c22 c82
	c22=$(communes 22 50 3)
	c82=$(communes 82 50 1)
	export C22A C22B C22C C82A
	{ read -r C22A; read -r C22B; read -r C22C; } <<<"$c22"
	C82A=$c82
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export UNIT_A UNIT_B UNIT_82 UNIT_CLOSED
	UNIT_A=$(make_unit hr.quangninh "$C22A" "Phòng CTXH thử")
	UNIT_B=$(make_unit hr.quangninh "$C22B" "Trung tâm thử")
	UNIT_82=$(make_unit hr.dongthap "$C82A" "Trung tâm Đồng Tháp thử")
	UNIT_CLOSED=$(make_unit hr.quangninh "$C22A" "Trạm đã đóng" '"closed_on":"2019-12-31"')

	# The headcount data: two units in commune C22C and nothing else there.
	export HC1 HC2 HC_P1 HC_P2
	HC1=$(make_unit hr.quangninh "$C22C" "Đơn vị đếm một")
	HC2=$(make_unit hr.quangninh "$C22C" "Đơn vị đếm hai")
	local p
	HC_P1=$(make_person)
	spell "$HC_P1" "$HC1" professional 1 2020-01-01 '"end_date":"2023-12-31","end_reason":"retired"'
	# Two half posts in the same commune: one person, one FTE.
	HC_P2=$(make_person)
	spell "$HC_P2" "$HC1" professional 0.5 2022-01-01
	spell "$HC_P2" "$HC2" professional 0.5 2022-01-01
	p=$(make_person)
	spell "$p" "$HC2" collaborator 0.3 2024-01-01 '"allowance_vnd":1500000'
	p=$(make_person)
	spell "$p" "$HC1" volunteer 0.2 2021-01-01 '"end_date":"2021-12-31","end_reason":"other"'
}

# make_unit WHO COMMUNE NAME [EXTRA]: prints the new unit's id.
make_unit() {
	as "$1" POST /api/v1/work-units "{\"name\":\"$3\",\"kind\":\"sw_centre\",\"commune_code\":\"$2\",\"opened_on\":\"2000-01-01\"${4:+,$4}}"
	[ "$status_code" = 201 ] || { echo "make_unit: $status_code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# make_person [WHO]: prints the id of a new man born in 1990.
make_person() {
	as "${1:-hr.quangninh}" POST /api/v1/people "{\"full_name\":\"Đinh Văn Phân\",\"citizen_id\":\"$(cid)\",\"sex\":\"male\",\"birth_date\":\"1990-02-02\"}"
	[ "$status_code" = 201 ] || { echo "make_person: $status_code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# spell PERSON UNIT CATEGORY FTE START [EXTRA]: a spell made by hr.quangninh
# (or $WHO); sets aid.
spell() {
	as "${WHO:-hr.quangninh}" POST /api/v1/assignments "{\"person_id\":$1,\"work_unit_id\":$2,\"category\":\"$3\",\"fte\":$4,\"start_date\":\"$5\"${6:+,$6}}"
	[ "$status_code" = 201 ] || { echo "spell: $status_code $body" >&2; return 1; }
	aid=$(jq -r .id <<<"$body")
}

cid() {
	free_cid 3 1990 male
}

# body PERSON [FIELDS]: a create body for a professional spell in UNIT_A
# from 2024-01-01 with FIELDS replacing or adding to it.
body() {
	jq -nc --argjson p "$1" --argjson u "$UNIT_A" --argjson extra "${2:-{\}}" \
	    '{person_id: $p, work_unit_id: $u, category: "professional", fte: 1,
	      start_date: "2024-01-01"} + $extra | with_entries(select(.value != "DROP"))'
}

# spells PERSON: how many spells the person has.
spells() {
	owner_sql "SELECT count(*) FROM hr.assignments WHERE person_id = $1"
}

@test "POST /assignments creates a spell, 201 with its unit and commune" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"position":"Chuyên viên","title_code":"V.09.04.02","fte":0.75}')"
	expect_status 201
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json .person_id "$p"
	expect_json .work_unit_id "$UNIT_A"
	expect_json .work_unit_name "Phòng CTXH thử"
	expect_json .commune_code "$C22A"
	expect_json .category professional
	expect_json '.fte == 0.75' true
	expect_json .title_code V.09.04.02
	expect_json .position "Chuyên viên"
	expect_json .start_date 2024-01-01
	expect_json .end_date null
	expect_json .end_reason null
	expect_json .warnings '[]'
}

@test "creating a spell is audited on the person as assignment.create" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" concurrent 0.5 2023-05-01
	as admin GET "/api/v1/audit?entity=person&entity_id=$p"
	expect_json '.items[0].action' assignment.create
	expect_json '.items[0].after.assignment_id' "$aid"
	expect_json '.items[0].after.category' concurrent
	expect_json '.items[0].after.work_unit_id' "$UNIT_A"
}

@test "every category is accepted; a collaborator may carry a monthly allowance" {
	local p c
	p=$(make_person)
	for c in professional commune_post concurrent volunteer; do
		as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"category\":\"$c\",\"fte\":0.1}")"
		expect_status 201
		expect_json .category "$c"
	done
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.2,"allowance_vnd":2500000}')"
	expect_status 201
	expect_json .allowance_vnd 2500000
}

@test "an FTE of 0 or over 1 is 422 out-of-range; a string is 422 invalid-number" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":0}')"
	expect_problem 422 out-of-range fte
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":1.01}')"
	expect_problem 422 out-of-range fte
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":-0.5}')"
	expect_problem 422 out-of-range fte
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":"0.5"}')"
	expect_problem 422 invalid-number fte
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":"DROP"}')"
	expect_problem 422 required fte
	[ "$(spells "$p")" = 0 ]
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"fte":1}')"
	expect_status 201
}

@test "an allowance is for collaborators only, a whole number of dong up to 1 billion" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"allowance_vnd":1000000}')"
	expect_problem 422 allowance-not-collaborator allowance_vnd
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.5,"allowance_vnd":-1}')"
	expect_problem 422 out-of-range allowance_vnd
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.5,"allowance_vnd":1500.5}')"
	expect_problem 422 out-of-range allowance_vnd
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.5,"allowance_vnd":1000000001}')"
	expect_problem 422 out-of-range allowance_vnd
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.5,"allowance_vnd":"1.500.000"}')"
	expect_problem 422 invalid-number allowance_vnd
	[ "$(spells "$p")" = 0 ]
}

@test "a title is for professional staff and commune posts, from the V.09.04 list" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"collaborator","fte":0.5,"title_code":"V.09.04.01"}')"
	expect_problem 422 title-not-allowed title_code
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"volunteer","fte":0.5,"title_code":"V.09.04.03"}')"
	expect_problem 422 title-not-allowed title_code
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"title_code":"V.09.04.09"}')"
	expect_problem 422 invalid-code title_code
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"commune_post","title_code":"V.09.04.03"}')"
	expect_status 201
	expect_json .title_code V.09.04.03
}

@test "a category outside the list is 422 invalid-code; a missing one is required" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"boss"}')"
	expect_problem 422 invalid-code category
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"DROP"}')"
	expect_problem 422 required category
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":1}')"
	expect_problem 422 invalid-code category
	[ "$(spells "$p")" = 0 ]
}

@test "dates: required start, real days, at most a year ahead" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"DROP"}')"
	expect_problem 422 required start_date
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"2023-02-29"}')"
	expect_problem 422 invalid-date start_date
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"01/13/2023"}')"
	expect_problem 422 invalid-date start_date
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"start_date\":\"$(date -d '+400 days' +%F)\"}")"
	expect_problem 422 too-far-ahead start_date
	[ "$(spells "$p")" = 0 ]
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"start_date\":\"$(date -d '+300 days' +%F)\"}")"
	expect_status 201
}

@test "an end date needs an end reason and the other way round: 422 end-pair" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"end_date":"2024-06-30"}')"
	expect_problem 422 end-pair end_reason
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"end_reason":"retired"}')"
	expect_problem 422 end-pair end_date
	[ "$(spells "$p")" = 0 ]
}

@test "an end before the start is 422 end-before-start; an unknown reason is 422 invalid-code" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"end_date":"2023-12-31","end_reason":"resigned"}')"
	expect_problem 422 end-before-start end_date
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"end_date":"2024-06-30","end_reason":"bored"}')"
	expect_problem 422 invalid-code end_reason
	[ "$(spells "$p")" = 0 ]
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"end_date":"2024-01-01","end_reason":"deceased"}')"
	expect_status 201
	expect_json .end_date 2024-01-01
}

@test "a position over 200 characters is 422 too-long" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"position\":\"$(printf 'x%.0s' {1..201})\"}")"
	expect_problem 422 too-long position
}

@test "person_id: required, a positive integer, a person in scope" {
	local p
	p=$(make_person hr.dongthap)
	as hr.quangninh POST /api/v1/assignments "$(body 1 '{"person_id":"DROP"}')"
	expect_problem 422 required person_id
	as hr.quangninh POST /api/v1/assignments "$(body 1 '{"person_id":"1"}')"
	expect_problem 422 invalid-number person_id
	as hr.quangninh POST /api/v1/assignments "$(body 1 '{"person_id":0}')"
	expect_problem 422 out-of-range person_id
	as hr.quangninh POST /api/v1/assignments "$(body 999999999999)"
	expect_problem 422 unknown-person person_id
	# Another province's person looks the same as no person.
	as hr.quangninh POST /api/v1/assignments "$(body "$p")"
	expect_problem 422 unknown-person person_id
	[ "$(spells "$p")" = 0 ]
}

@test "work_unit_id: required, known, in scope, open when the spell starts" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"work_unit_id":"DROP"}')"
	expect_problem 422 required work_unit_id
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"work_unit_id":999999999}')"
	expect_problem 422 unknown-work-unit work_unit_id
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"work_unit_id\":$UNIT_82}")"
	expect_problem 422 unknown-work-unit work_unit_id
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"work_unit_id\":$UNIT_CLOSED}")"
	expect_problem 422 work-unit-closed work_unit_id
	[ "$(spells "$p")" = 0 ]
	# A spell that starts before the unit closed is history, and fine.
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"work_unit_id\":$UNIT_CLOSED,\"start_date\":\"2015-01-01\",\"end_date\":\"2019-12-31\",\"end_reason\":\"other\"}")"
	expect_status 201
}

@test "an admin may place a person in any province's unit" {
	local p
	p=$(make_person)
	WHO=admin spell "$p" "$UNIT_82" concurrent 0.2 2024-01-01
	expect_json .commune_code "$C82A"
}

@test "unknown fields, malformed JSON and invalid UTF-8 create no spell" {
	local p
	p=$(make_person)
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"salary":5}')"
	expect_problem 422 unknown-field salary
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$p,"
	expect_problem 400 malformed-json
	printf '{"person_id":%s,"work_unit_id":%s,"category":"professional","fte":1,"start_date":"2024-01-01","position":"\xe0\xa0"}' "$p" "$UNIT_A" >"$BATS_TEST_TMPDIR/bad.json"
	as hr.quangninh POST /api/v1/assignments "" -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/bad.json"
	expect_problem 400 malformed-json
	as hr.quangninh POST /api/v1/assignments '[]'
	expect_problem 400 json-object-required
	[ "$(spells "$p")" = 0 ]
}

@test "an overlapping spell in the same unit and category is 409 overlapping-assignment linking it" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	local first=$aid
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"2022-01-01","fte":0.5}')"
	expect_problem 409 overlapping-assignment start_date
	expect_json .existing "/api/v1/assignments/$first"
	as hr.quangninh GET "$(jq -r .existing <<<"$body")"
	expect_status 200
	expect_json .id "$first"
	[ "$(spells "$p")" = 1 ]
}

@test "an earlier spell ending before the new one starts does not overlap; another category neither" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01 '"end_date":"2021-12-31","end_reason":"rotated"'
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"2021-12-31"}')"
	expect_problem 409 overlapping-assignment start_date
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"start_date":"2022-01-01"}')"
	expect_status 201
	as hr.quangninh POST /api/v1/assignments "$(body "$p" '{"category":"volunteer","fte":0.1,"start_date":"2020-06-01"}')"
	expect_status 201
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"work_unit_id\":$UNIT_B,\"fte\":0.1,\"start_date\":\"2020-06-01\"}")"
	expect_status 201
	[ "$(spells "$p")" = 4 ]
}

@test "a spell taking a person over 1.0 FTE is created with an fte-over-1 warning" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2024-01-01
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"work_unit_id\":$UNIT_B,\"category\":\"concurrent\",\"fte\":0.5,\"start_date\":\"2024-03-01\"}")"
	expect_status 201
	expect_json '.warnings | length' 1
	expect_json '.warnings[0].code' fte-over-1
	expect_json '.warnings[0].from' 2024-03-01
	expect_json '.warnings[0].fte == 1.5' true
	expect_json '.warnings[0].vi | length > 0' true
	expect_json '.warnings[0].en | length > 0' true
	as hr.quangninh GET "/api/v1/people/$p"
	expect_json '[.warnings[].code] | join(",")' fte-over-1
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json '[.warnings[].code] | join(",")' fte-over-1
}

@test "volunteering is not counted towards FTE" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2024-01-01
	as hr.quangninh POST /api/v1/assignments "$(body "$p" "{\"category\":\"volunteer\",\"fte\":0.5,\"start_date\":\"2024-03-01\"}")"
	expect_status 201
	expect_json .warnings '[]'
}

@test "GET /data-quality/fte lists the people over 1.0 FTE, within scope" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 0.8 2023-01-01
	spell "$p" "$UNIT_B" concurrent 0.4 2023-02-01
	as hr.quangninh GET '/api/v1/data-quality/fte?limit=500'
	expect_status 200
	expect_json 'has("next_cursor")' true
	expect_json ".items[] | select(.person_id == $p) | .from" 2023-02-01
	expect_json ".items[] | select(.person_id == $p) | .fte == 1.2" true
	expect_json ".items[] | select(.person_id == $p) | .province_code" 22
	expect_json '[.items[].province_code] | unique | join(",")' 22
	as bcd.national GET '/api/v1/data-quality/fte?limit=500'
	expect_json "[.items[].person_id] | index($p) != null" true
	as hr.dongthap GET '/api/v1/data-quality/fte?limit=500'
	expect_json "[.items[].person_id] | index($p)" null
	as hr.quangninh GET '/api/v1/data-quality/fte?province=82'
	expect_problem 403 out-of-scope province
	as hr.quangninh GET '/api/v1/data-quality/fte?limit=0'
	expect_problem 400 invalid-parameter limit
}

@test "GET /assignments/{id} reads a spell; out of scope or unknown is 404" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_status 200
	expect_json .id "$aid"
	expect_json .person_id "$p"
	expect_json .warnings '[]'
	as bcd.quangninh GET "/api/v1/assignments/$aid"
	expect_status 200
	as bcd.national GET "/api/v1/assignments/$aid"
	expect_status 200
	as hr.dongthap GET "/api/v1/assignments/$aid"
	expect_problem 404 not-found
	as hr.quangninh GET /api/v1/assignments/999999999999
	expect_problem 404 not-found
}

@test "PATCH with end_date and end_reason ends a spell, audited as assignment.end" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"end_date":"2024-12-31","end_reason":"retired"}'
	expect_status 200
	expect_json .end_date 2024-12-31
	expect_json .end_reason retired
	expect_json .start_date 2020-01-01
	as admin GET "/api/v1/audit?entity=person&entity_id=$p"
	expect_json '.items[0].action' assignment.end
	expect_json '.items[0].after.end_date' 2024-12-31
	expect_json '.items[0].after.assignment_id' "$aid"
	expect_json '.items[0].before.end_date' null
}

@test "PATCH end_date alone is 422 end-pair and leaves the spell open" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"end_date":"2024-12-31"}'
	expect_problem 422 end-pair end_reason
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"end_date":"2019-12-31","end_reason":"resigned"}'
	expect_problem 422 end-before-start end_date
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
}

@test "PATCH corrects a field and audits only that change" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"fte":0.6}'
	expect_status 200
	expect_json '.fte == 0.6' true
	as admin GET "/api/v1/audit?entity=person&entity_id=$p"
	expect_json '.items[0].action' assignment.update
	expect_json '.items[0].after | del(.assignment_id) | keys | join(",")' fte
}

@test "PATCH may reopen an ended spell by clearing both end fields" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01 '"end_date":"2021-12-31","end_reason":"other"'
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"end_date":null,"end_reason":null}'
	expect_status 200
	expect_json .end_date null
	expect_json .end_reason null
}

@test "PATCH moves a spell to another unit of the province, not outside it" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$aid" "{\"work_unit_id\":$UNIT_82}"
	expect_problem 422 unknown-work-unit work_unit_id
	as hr.quangninh PATCH "/api/v1/assignments/$aid" "{\"work_unit_id\":$UNIT_CLOSED}"
	expect_problem 422 work-unit-closed work_unit_id
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .work_unit_id "$UNIT_A"
	as hr.quangninh PATCH "/api/v1/assignments/$aid" "{\"work_unit_id\":$UNIT_B}"
	expect_status 200
	expect_json .work_unit_id "$UNIT_B"
	expect_json .commune_code "$C22B"
}

@test "PATCH that would overlap another spell is 409 overlapping-assignment" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01 '"end_date":"2020-12-31","end_reason":"rotated"'
	local old=$aid
	spell "$p" "$UNIT_A" professional 1 2022-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$old" '{"end_date":"2022-06-30"}'
	expect_problem 409 overlapping-assignment start_date
	expect_json .existing "/api/v1/assignments/$aid"
	as hr.quangninh GET "/api/v1/assignments/$old"
	expect_json .end_date 2020-12-31
}

@test "PATCH refuses empty patches, fields it cannot change, bad values and bad JSON" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01 '"title_code":"V.09.04.01"'
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{}'
	expect_problem 422 empty-patch
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"person_id":1}'
	expect_problem 422 unknown-field person_id
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"category":"volunteer"}'
	expect_problem 422 title-not-allowed title_code
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"fte":null}'
	expect_problem 422 required fte
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"fte":"0.5"}'
	expect_problem 422 invalid-number fte
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"work_unit_id":"1"}'
	expect_problem 422 invalid-number work_unit_id
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"fte":'
	expect_problem 400 malformed-json
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .category professional
	expect_json '.fte == 1' true
}

@test "PATCH by another province's officer is 404; an unknown spell is 404" {
	local p
	p=$(make_person)
	spell "$p" "$UNIT_A" professional 1 2020-01-01
	as hr.dongthap PATCH "/api/v1/assignments/$aid" '{"end_date":"2024-12-31","end_reason":"dismissed"}'
	expect_problem 404 not-found
	as hr.quangninh PATCH /api/v1/assignments/999999999999 '{"fte":0.5}'
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
}

@test "headcount on a past date counts the spells in force that day" {
	as hr.quangninh GET "/api/v1/headcount?as_of=2021-06-01&commune=$C22C"
	expect_status 200
	expect_json .as_of 2021-06-01
	expect_json .province_code 22
	expect_json '[.items[] | "\(.commune_code) \(.category) \(.people) \(.fte)"] | join(",")' \
	    "$C22C professional 1 1,$C22C volunteer 1 0.2"
	expect_json '.items[0].commune_name | length > 0' true
	as hr.quangninh GET "/api/v1/headcount?as_of=2023-06-01&commune=$C22C"
	expect_json '[.items[] | "\(.category) \(.people) \(.fte)"] | join(",")' "professional 2 2"
}

@test "headcount counts a person once per commune and category, and defaults to today" {
	as hr.quangninh GET "/api/v1/headcount?commune=$C22C"
	expect_status 200
	expect_json .as_of "$(date +%F)"
	# HC_P2 holds two half posts in the commune: one person, one FTE.
	expect_json '[.items[] | "\(.category) \(.people) \(.fte)"] | join(",")' \
	    "collaborator 1 0.3,professional 1 1"
	as hr.quangninh GET "/api/v1/headcount?as_of=$(date +%F)&commune=$C22C"
	expect_json '[.items[] | "\(.category) \(.people) \(.fte)"] | join(",")' \
	    "collaborator 1 0.3,professional 1 1"
}

@test "headcount for the whole province includes the commune's rows" {
	as hr.quangninh GET '/api/v1/headcount?as_of=2023-06-01'
	expect_status 200
	expect_json .province_code 22
	expect_json "[.items[] | select(.commune_code == \"$C22C\") | \"\(.category) \(.people) \(.fte)\"] | join(\",\")" "professional 2 2"
	expect_json '[.items[].commune_code] == ([.items[].commune_code] | sort)' true
	as bcd.national GET '/api/v1/headcount?as_of=2023-06-01&province=22'
	expect_json "[.items[] | select(.commune_code == \"$C22C\") | .people] | join(\",\")" 2
	as bcd.quangninh GET "/api/v1/headcount?as_of=2023-06-01&commune=$C22C"
	expect_json '[.items[].people] | join(",")' 2
}

@test "headcount stays within scope: another province is 403, its communes count nothing" {
	as hr.quangninh GET '/api/v1/headcount?province=82'
	expect_problem 403 out-of-scope province
	as bcd.quangninh GET '/api/v1/headcount?province=82'
	expect_problem 403 out-of-scope province
	as hr.dongthap GET "/api/v1/headcount?as_of=2023-06-01&commune=$C22C"
	expect_status 200
	expect_json .items '[]'
}

@test "headcount parameters are checked" {
	as hr.quangninh GET '/api/v1/headcount?as_of=2023-02-30'
	expect_problem 400 invalid-parameter as_of
	as hr.quangninh GET '/api/v1/headcount?as_of=yesterday'
	expect_problem 400 invalid-parameter as_of
	as hr.quangninh GET '/api/v1/headcount?commune=99999'
	expect_problem 422 unknown-commune commune
	as admin GET '/api/v1/headcount?province=99'
	expect_problem 422 unknown-province province
	as admin GET '/api/v1/headcount?province=2%3B'
	expect_problem 400 invalid-parameter province
}
