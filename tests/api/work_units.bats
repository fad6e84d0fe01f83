#!/usr/bin/env bats
# Work units: creating them in an officer's province, reading one with
# where it sat and who works there today, the list filters, patches and
# moves between communes, closing, and the admin's remap after a boundary
# change. The role matrix of these routes is in workforce_roles.bats.

load helpers

setup_file() {
	login admin
	login hr.quangninh
	login hr.dongthap
	login bcd.quangninh
	login bcd.national
	# Communes of Quảng Ninh (22) and Đồng Tháp (82) this file uses.
	local c22 c82
	c22=$(communes 22 30 3)
	c82=$(communes 82 30 1)
	export C22A C22B C22C C82A
	{ read -r C22A; read -r C22B; read -r C22C; } <<<"$c22"
	C82A=$c82
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
}

cid() {
	free_cid 1 "$@"
}

# A word of random letters to find this test's rows by.
token() {
	tr -dc 'a-z' </dev/urandom | head -c 8
}

# new_unit WHO COMMUNE [EXTRA_FIELDS]: a unit; sets uid.
new_unit() {
	local who=$1 commune=$2 extra=${3-}
	as "$who" POST /api/v1/work-units "{\"name\":\"Đơn vị thử $RANDOM\",\"kind\":\"sw_centre\",\"commune_code\":\"$commune\"${extra:+,$extra}}"
	expect_status 201 || return 1
	uid=$(jq -r .id <<<"$body")
}

# new_person: a person kept by Quảng Ninh; sets pid.
new_person() {
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Phạm Văn Thử\",\"citizen_id\":\"$(cid 1988)\",\"sex\":\"male\",\"birth_date\":\"1988-03-03\"}"
	expect_status 201 || return 1
	pid=$(jq -r .id <<<"$body")
}

# unit_count: how many units exist (to prove a refusal created none).
unit_count() {
	owner_sql "SELECT count(*) FROM hr.work_units"
}

# expect_422_field FIELD: a 422 problem naming FIELD, whatever its code.
expect_422_field() {
	expect_status 422 || return 1
	jq -e --arg f "$1" '.field == $f and .errors[0].field == $f and
	    (.code | type == "string")' <<<"$body" >/dev/null ||
	    fail_with "expected a 422 naming field $1"
}

@test "POST /work-units creates a unit in the officer's province, 201 with its commune and province" {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"  Trung tâm Công tác xã hội Hạ Long  \",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\",\"opened_on\":\"2019-05-01\"}"
	expect_status 201
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json .name "Trung tâm Công tác xã hội Hạ Long"
	expect_json .kind sw_centre
	expect_json .commune_code "$C22A"
	expect_json '.commune_name | length > 0' true
	expect_json .province_code 22
	expect_json .province_name "Quảng Ninh"
	expect_json .opened_on 2019-05-01
	expect_json .closed_on null
	local id
	id=$(jq -r .id <<<"$body")
	as hr.quangninh GET "/api/v1/work-units/$id"
	expect_status 200
	expect_json .name "Trung tâm Công tác xã hội Hạ Long"
}

@test "sector and ownership default from the kind" {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Bệnh viện thử\",\"kind\":\"hospital\",\"commune_code\":\"$C22A\"}"
	expect_status 201
	expect_json .sector health
	expect_json .ownership public
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Cơ sở trợ giúp tư thục\",\"kind\":\"protection_private\",\"commune_code\":\"$C22A\"}"
	expect_status 201
	expect_json .sector social_protection
	expect_json .ownership non_public
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"UBND xã thử\",\"kind\":\"commune_committee\",\"commune_code\":\"$C22A\"}"
	expect_status 201
	expect_json .sector administration
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trường thử\",\"kind\":\"school\",\"sector\":\"other\",\"ownership\":\"non_public\",\"commune_code\":\"$C22A\"}"
	expect_status 201
	expect_json .sector other
	expect_json .ownership non_public
}

@test "creating a unit is audited as work_unit.create" {
	new_unit hr.quangninh "$C22A"
	as admin GET "/api/v1/audit?entity=work_unit&entity_id=$uid"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].action' work_unit.create
	expect_json '.items[0].actor_login' hr.quangninh
	expect_json '.items[0].after.commune_code' "$C22A"
	expect_json '.items[0].after.kind' sw_centre
}

@test "an admin creates units in any province" {
	as admin POST /api/v1/work-units "{\"name\":\"Trung tâm Đồng Tháp\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82A\"}"
	expect_status 201
	expect_json .province_code 82
}

@test "an officer cannot create a unit in another province's commune: 403 out-of-scope, nothing made" {
	local before
	before=$(unit_count)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trung tâm lạc tỉnh\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82A\"}"
	expect_problem 403 out-of-scope commune_code
	[ "$(unit_count)" = "$before" ] || fail_with "a unit was created"
}

@test "an unknown commune, or one abolished by the reform, is 422 unknown-commune" {
	as hr.quangninh POST /api/v1/work-units '{"name":"Trung tâm ma","kind":"sw_centre","commune_code":"99999"}'
	expect_problem 422 unknown-commune commune_code
	# 07012: Hạ Long ward before July 2025.
	as hr.quangninh POST /api/v1/work-units '{"name":"Trung tâm cũ","kind":"sw_centre","commune_code":"07012"}'
	expect_problem 422 unknown-commune commune_code
}

@test "required fields are 422 required naming the field" {
	as hr.quangninh POST /api/v1/work-units "{\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 required name
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"   \",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 required name
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Không loại\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 required kind
	as hr.quangninh POST /api/v1/work-units '{"name":"Không xã","kind":"sw_centre"}'
	expect_problem 422 required commune_code
}

@test "a kind, sector or ownership outside the lists is 422 invalid-code" {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Lâu đài\",\"kind\":\"castle\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 invalid-code kind
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Doanh trại\",\"kind\":\"other\",\"sector\":\"army\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 invalid-code sector
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Tập thể\",\"kind\":\"other\",\"ownership\":\"collective\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 invalid-code ownership
}

@test "an ownership the kind rules out is 422 ownership-mismatch" {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Cơ sở tư công\",\"kind\":\"protection_private\",\"ownership\":\"public\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 ownership-mismatch ownership
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"UBND tư\",\"kind\":\"commune_committee\",\"ownership\":\"non_public\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 ownership-mismatch ownership
}

@test "bad dates: an impossible day is invalid-date, closing before opening is closed-before-opened" {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Ngày lạ\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\",\"opened_on\":\"2020-02-30\"}"
	expect_problem 422 invalid-date opened_on
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Ngày lạ\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\",\"closed_on\":\"tomorrow\"}"
	expect_problem 422 invalid-date closed_on
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Đóng trước mở\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\",\"opened_on\":\"2020-01-01\",\"closed_on\":\"2019-12-31\"}"
	expect_problem 422 closed-before-opened closed_on
}

@test "a name over 300 characters is 422 too-long" {
	local long
	long=$(printf 'a%.0s' {1..301})
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"$long\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 too-long name
}

@test "a one-letter name is refused with a 422 naming the name field" {
	local before
	before=$(unit_count)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"X\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\"}"
	expect_422_field name
	[ "$(unit_count)" = "$before" ] || fail_with "a unit was created"
}

@test "a field of the wrong type is 422 invalid-type naming it" {
	as hr.quangninh POST /api/v1/work-units '{"name":"Mã số","kind":"sw_centre","commune_code":6652}'
	expect_problem 422 invalid-type commune_code
	as hr.quangninh POST /api/v1/work-units "{\"name\":[\"a\"],\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\"}"
	expect_problem 422 invalid-type name
}

@test "an unknown body field is 422 unknown-field and creates nothing" {
	local before
	before=$(unit_count)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Có thừa\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22A\",\"province_code\":\"22\"}"
	expect_problem 422 unknown-field province_code
	[ "$(unit_count)" = "$before" ] || fail_with "a unit was created"
}

@test "malformed JSON, invalid UTF-8 and a non-object body are 400" {
	as hr.quangninh POST /api/v1/work-units '{"name": "Hở'
	expect_problem 400 malformed-json
	printf '{"name":"\xc3\x28 bad","kind":"sw_centre","commune_code":"%s"}' "$C22A" >"$BATS_TEST_TMPDIR/bad.json"
	as hr.quangninh POST /api/v1/work-units "" -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/bad.json"
	expect_problem 400 malformed-json
	as hr.quangninh POST /api/v1/work-units '["sw_centre"]'
	expect_problem 400 json-object-required
}

@test "GET /work-units/{id} shows where the unit sat and who works there today" {
	new_unit hr.quangninh "$C22B" '"opened_on":"2015-01-01"'
	local unit=$uid
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"professional\",\"fte\":0.5,\"start_date\":\"2020-01-01\"}"
	expect_status 201
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2018-01-01\",\"end_date\":\"2019-12-31\",\"end_reason\":\"resigned\"}"
	expect_status 201
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"volunteer\",\"fte\":0.2,\"start_date\":\"2021-01-01\"}"
	expect_status 201
	as hr.quangninh GET "/api/v1/work-units/$unit"
	expect_status 200
	expect_json .id "$unit"
	expect_json '.places | length' 1
	expect_json '.places[0].commune_code' "$C22B"
	expect_json '.places[0].from' 2015-01-01
	expect_json '.places[0].to' null
	expect_json '.places[0].reason' created
	# Volunteers and ended spells are not today's staff.
	expect_json .staff_today.people 1
	expect_json '.staff_today.fte == 0.5' true
}

@test "an unknown unit id is 404 not-found; a non-numeric one is 404 no-route" {
	as hr.quangninh GET /api/v1/work-units/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/work-units/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/work-units/abc
	expect_problem 404 no-route
}

@test "GET /work-units is {items, next_cursor}, an officer's list holds only their province" {
	new_unit hr.quangninh "$C22A"
	local mine=$uid
	new_unit admin "$C82A"
	local theirs=$uid
	as hr.quangninh GET '/api/v1/work-units?limit=500'
	expect_status 200
	expect_json '.items | type' array
	expect_json 'has("next_cursor")' true
	expect_json '[.items[].province_code] | unique | join(",")' 22
	expect_json "[.items[].id] | index($mine) != null" true
	expect_json "[.items[].id] | index($theirs)" null
	as hr.dongthap GET '/api/v1/work-units?limit=500'
	expect_json '[.items[].province_code] | unique | join(",")' 82
	expect_json "[.items[].id] | index($theirs) != null" true
}

@test "national steering lists every province; ?province= narrows it" {
	new_unit hr.quangninh "$C22A"
	local a=$uid
	new_unit hr.dongthap "$C82A"
	local b=$uid
	as bcd.national GET '/api/v1/work-units?limit=500'
	expect_status 200
	expect_json "[.items[].id] | (index($a) != null and index($b) != null)" true
	as bcd.national GET '/api/v1/work-units?province=82&limit=500'
	expect_json '[.items[].province_code] | unique | join(",")' 82
	as bcd.quangninh GET '/api/v1/work-units?limit=500'
	expect_json '[.items[].province_code] | unique | join(",")' 22
}

@test "asking for another province's units is 403 out-of-scope; an unknown province is 422" {
	as hr.quangninh GET '/api/v1/work-units?province=82'
	expect_problem 403 out-of-scope province
	as bcd.quangninh GET '/api/v1/work-units?province=82'
	expect_problem 403 out-of-scope province
	as admin GET '/api/v1/work-units?province=99'
	expect_problem 422 unknown-province province
}

@test "?kind= keeps that kind; an unknown kind is 400 invalid-parameter" {
	local tok
	tok=$(token)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trường $tok\",\"kind\":\"school\",\"commune_code\":\"$C22A\"}"
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trạm $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\"}"
	as hr.quangninh GET "/api/v1/work-units?kind=school&q=$tok"
	expect_status 200
	expect_json '[.items[].name] | join(",")' "Trường $tok"
	as hr.quangninh GET '/api/v1/work-units?kind=school&limit=500'
	expect_json '[.items[].kind] | unique | join(",")' school
	as hr.quangninh GET '/api/v1/work-units?kind=castle'
	expect_problem 400 invalid-parameter kind
}

@test "?commune= keeps the units of that commune" {
	new_unit hr.quangninh "$C22C"
	local here=$uid
	new_unit hr.quangninh "$C22B"
	local there=$uid
	as hr.quangninh GET "/api/v1/work-units?commune=$C22C&limit=500"
	expect_status 200
	expect_json '[.items[].commune_code] | unique | join(",")' "$C22C"
	expect_json "[.items[].id] | index($here) != null" true
	expect_json "[.items[].id] | index($there)" null
	as hr.quangninh GET '/api/v1/work-units?commune=99999'
	expect_problem 422 unknown-commune commune
	as hr.quangninh GET '/api/v1/work-units?commune=12'
	expect_status 422
}

@test "?q= searches names ignoring diacritics and case" {
	local tok
	tok=$(token)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng Lao động Xã hội $tok\",\"kind\":\"commune_office\",\"commune_code\":\"$C22A\"}"
	expect_status 201
	as hr.quangninh GET "/api/v1/work-units?q=lao%20dong%20xa%20hoi%20${tok^^}"
	expect_status 200
	expect_json '[.items[].name] | join(",")' "Phòng Lao động Xã hội $tok"
	as hr.quangninh GET "/api/v1/work-units?q=$(jq -rn --arg s "LAO ĐỘNG XÃ HỘI $tok" '$s | @uri')"
	expect_json '.items | length' 1
	as hr.quangninh GET "/api/v1/work-units?q=y%20te%20$tok"
	expect_json '.items | length' 0
}

@test "?open_on= keeps units open that day" {
	local tok
	tok=$(token)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Mở 2020 $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\",\"opened_on\":\"2020-01-01\"}"
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Đóng 2021 $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\",\"opened_on\":\"2010-01-01\",\"closed_on\":\"2021-06-30\"}"
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Luôn mở $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\"}"
	as hr.quangninh GET "/api/v1/work-units?q=$tok&open_on=2019-06-01"
	expect_status 200
	expect_json '[.items[].name] | sort | join(",")' "Luôn mở $tok,Đóng 2021 $tok"
	as hr.quangninh GET "/api/v1/work-units?q=$tok&open_on=2022-01-01"
	expect_json '[.items[].name] | sort | join(",")' "Luôn mở $tok,Mở 2020 $tok"
	as hr.quangninh GET "/api/v1/work-units?q=$tok&open_on=2021-06-30"
	expect_json '.items | length' 3
	as hr.quangninh GET '/api/v1/work-units?open_on=2021-02-30'
	expect_problem 400 invalid-parameter open_on
}

@test "units list by name in Vietnamese order (D before Đ before E)" {
	local tok
	tok=$(token)
	local n
	for n in "Trạm Em $tok" "Trạm Đông $tok" "Trạm Dương $tok"; do
		as hr.quangninh POST /api/v1/work-units "{\"name\":\"$n\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\"}"
		expect_status 201
	done
	as hr.quangninh GET "/api/v1/work-units?q=$tok"
	expect_status 200
	expect_json '[.items[].name] | join("|")' "Trạm Dương $tok|Trạm Đông $tok|Trạm Em $tok"
}

@test "paging with limit=2 walks each unit exactly once" {
	local tok i
	tok=$(token)
	for i in 1 2 3 4 5; do
		as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trạm trang $i $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\"}"
	done
	local cursor="" seen="" pages=0
	while :; do
		as hr.quangninh GET "/api/v1/work-units?q=$tok&limit=2${cursor:+&cursor=$cursor}"
		expect_status 200
		[ "$(jq '.items | length' <<<"$body")" -le 2 ] || fail_with "page too long"
		seen="$seen $(jq -r '[.items[].name | split(" ")[2]] | join(" ")' <<<"$body")"
		pages=$((pages + 1))
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
	[ "$(echo $seen)" = "1 2 3 4 5" ] || fail_with "walked '$seen'"
	[ "$pages" = 3 ]
}

@test "bad paging parameters are 400 invalid-parameter" {
	as hr.quangninh GET '/api/v1/work-units?limit=0'
	expect_problem 400 invalid-parameter limit
	as hr.quangninh GET '/api/v1/work-units?limit=501'
	expect_problem 400 invalid-parameter limit
	as hr.quangninh GET '/api/v1/work-units?cursor=%21%21'
	expect_problem 400 invalid-parameter cursor
	as hr.quangninh GET "/api/v1/work-units?q=$(printf 'a%.0s' {1..101})"
	expect_problem 400 invalid-parameter q
}

@test "PATCH renames a unit and audits only what changed" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2018-01-01"'
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"name":"Tên mới của trạm"}'
	expect_status 200
	expect_json .name "Tên mới của trạm"
	expect_json .opened_on 2018-01-01
	expect_json .commune_code "$C22A"
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .name "Tên mới của trạm"
	as admin GET "/api/v1/audit?entity=work_unit&entity_id=$uid"
	expect_json '.items[0].action' work_unit.update
	expect_json '.items[0].after | keys | join(",")' name
	expect_json '.items[0].after.name' "Tên mới của trạm"
}

@test "PATCH with nothing in it is 422 empty-patch; bad values and bodies change nothing" {
	new_unit hr.quangninh "$C22A"
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{}'
	expect_problem 422 empty-patch
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"kind":"castle","name":"Đổi tên"}'
	expect_problem 422 invalid-code kind
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"colour":"red"}'
	expect_problem 422 unknown-field colour
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"name":null}'
	expect_problem 422 required name
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"name":5}'
	expect_problem 422 invalid-type name
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"opened_on":20200101}'
	expect_problem 422 invalid-date opened_on
	as hr.quangninh PATCH "/api/v1/work-units/$uid" '{"name":'
	expect_problem 400 malformed-json
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .kind sw_centre
	expect_json '.name | startswith("Đơn vị thử")' true
}

@test "PATCH commune_code moves a unit and keeps where it was in places" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2018-01-01"'
	as hr.quangninh PATCH "/api/v1/work-units/$uid" "{\"commune_code\":\"$C22B\"}"
	expect_status 200
	expect_json .commune_code "$C22B"
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .commune_code "$C22B"
	expect_json '.places | length' 2
	expect_json '.places[0].commune_code' "$C22A"
	expect_json '.places[0].from' 2018-01-01
	expect_json '.places[0].to' "$(date -d yesterday +%F)"
	expect_json '.places[1].commune_code' "$C22B"
	expect_json '.places[1].from' "$(date +%F)"
	expect_json '.places[1].to' null
	expect_json '.places[1].reason' moved
}

@test "PATCH commune_code also moves a unit created without an opening date" {
	new_unit hr.quangninh "$C22A"
	as hr.quangninh PATCH "/api/v1/work-units/$uid" "{\"commune_code\":\"$C22B\"}"
	expect_status 200
	expect_json .commune_code "$C22B"
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json '[.places[].commune_code] | join(",")' "$C22A,$C22B"
	expect_json '.places[1].reason' moved
}

@test "an officer cannot move a unit into another province: 403, the unit stays" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2018-01-01"'
	as hr.quangninh PATCH "/api/v1/work-units/$uid" "{\"commune_code\":\"$C82A\"}"
	expect_problem 403 out-of-scope commune_code
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .commune_code "$C22A"
	expect_json '.places | length' 1
}

@test "an admin may move a unit to another province; it then belongs to that province" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2018-01-01"'
	as admin PATCH "/api/v1/work-units/$uid" "{\"commune_code\":\"$C82A\"}"
	expect_status 200
	expect_json .province_code 82
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/work-units/$uid"
	expect_status 200
}

@test "another province's officer cannot patch or close a unit: 404 as if absent" {
	new_unit hr.quangninh "$C22A"
	as hr.dongthap PATCH "/api/v1/work-units/$uid" '{"name":"Chiếm"}'
	expect_problem 404 not-found
	as hr.dongthap POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-01-01"}'
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json '.name | startswith("Đơn vị thử")' true
	expect_json .closed_on null
}

@test "POST /work-units/{id}/close closes a unit without staff and ends its place" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2010-01-01"'
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-06-30"}'
	expect_status 200
	expect_json .closed_on 2025-06-30
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .closed_on 2025-06-30
	expect_json '.places[-1].to' 2025-06-30
	as admin GET "/api/v1/audit?entity=work_unit&entity_id=$uid"
	expect_json '.items[0].action' work_unit.close
	expect_json '.items[0].after.closed_on' 2025-06-30
}

@test "closing a closed unit is 409 already-closed" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2010-01-01"'
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-06-30"}'
	expect_status 200
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-07-31"}'
	expect_problem 409 already-closed closed_on
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .closed_on 2025-06-30
}

@test "closing a unit whose spells run past the day is 409 unit-has-staff" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2010-01-01"'
	local unit=$uid
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	expect_status 201
	local spell
	spell=$(jq -r .id <<<"$body")
	as hr.quangninh POST "/api/v1/work-units/$unit/close" '{"closed_on":"2025-06-30"}'
	expect_problem 409 unit-has-staff closed_on
	as hr.quangninh GET "/api/v1/work-units/$unit"
	expect_json .closed_on null
	# Once the spell ends on the closing day, the unit may close.
	as hr.quangninh PATCH "/api/v1/assignments/$spell" '{"end_date":"2025-06-30","end_reason":"transferred"}'
	expect_status 200
	as hr.quangninh POST "/api/v1/work-units/$unit/close" '{"closed_on":"2025-06-30"}'
	expect_status 200
	expect_json .closed_on 2025-06-30
}

@test "a spell ending after the closing day also blocks closing" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2010-01-01"'
	local unit=$uid
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"collaborator\",\"fte\":0.5,\"start_date\":\"2020-01-01\",\"end_date\":\"2025-12-31\",\"end_reason\":\"contract_ended\"}"
	expect_status 201
	as hr.quangninh POST "/api/v1/work-units/$unit/close" '{"closed_on":"2025-06-30"}'
	expect_problem 409 unit-has-staff closed_on
	as hr.quangninh POST "/api/v1/work-units/$unit/close" '{"closed_on":"2025-12-31"}'
	expect_status 200
}

@test "close: a missing or bad closed_on is 422 invalid-date, before opening is 422, extra fields 422" {
	new_unit hr.quangninh "$C22A" '"opened_on":"2010-01-01"'
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{}'
	expect_problem 422 invalid-date closed_on
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-02-29"}'
	expect_problem 422 invalid-date closed_on
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":20250101}'
	expect_problem 422 invalid-date closed_on
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2009-12-31"}'
	expect_problem 422 closed-before-opened closed_on
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-01-01","reason":"merged"}'
	expect_problem 422 unknown-field reason
	as hr.quangninh POST "/api/v1/work-units/$uid/close" '{"closed_on":'
	expect_problem 400 malformed-json
	as hr.quangninh GET "/api/v1/work-units/$uid"
	expect_json .closed_on null
}

@test "closing an unknown unit is 404" {
	as admin POST /api/v1/work-units/999999999/close '{"closed_on":"2025-01-01"}'
	expect_problem 404 not-found
}

@test "remap moves units off abolished communes onto their single successor" {
	local row old code succ p from
	# An abolished commune with exactly one current successor, as the
	# lineage stands now.
	row=$(owner_sql "SELECT o.id, o.code, min(n.code), min(n.parent_id), o.valid_to + 1
	    FROM geo.units o JOIN geo.lineage l ON l.old_id = o.id
	    JOIN geo.units n ON n.id = l.new_id AND n.valid_to IS NULL
	    WHERE o.level = 'commune' AND o.valid_to IS NOT NULL
	    GROUP BY o.id, o.code, o.valid_to HAVING count(*) = 1 ORDER BY o.code LIMIT 1")
	IFS='|' read -r old code succ p from <<<"$row"
	[ -n "$succ" ] || fail_with "no abolished commune with a single successor"
	uid=$(owner_sql "WITH w AS (INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id, province_id, opened_on)
	    VALUES ('Trạm trước sáp nhập', 'shelter', 'social_protection', 'public', $old, $p, '2015-01-01') RETURNING id),
	    pl AS (INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	    SELECT id, $old, daterange('2015-01-01', NULL), 'created' FROM w) SELECT id FROM w")
	as admin POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
	expect_status 200
	expect_json '.moved >= 1' true
	expect_json "[.needs_manual_move[].id] | index($uid)" null
	as admin GET "/api/v1/work-units/$uid"
	expect_json .commune_code "$succ"
	expect_json '[.places[] | [.commune_code, .from, .to, .reason] | join(" ")] | join(",")' \
	    "$code 2015-01-01 $(date -d "$from - 1 day" +%F) created,$succ $from  remapped"
	as admin GET "/api/v1/audit?entity=work_unit&entity_id=$uid"
	expect_json '.items[0].action' work_unit.remap
	# Nothing left to do: a second run leaves the unit where it is.
	as admin POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
	expect_json "[.needs_manual_move[].id] | index($uid)" null
	as admin GET "/api/v1/work-units/$uid"
	expect_json '.places | length' 2
	expect_json .commune_code "$succ"
}

@test "remap lists units on a commune split several ways for a person to move" {
	local split p old
	split=$(owner_sql "SELECT o.code FROM geo.lineage l JOIN geo.units o ON o.id = l.old_id
	    JOIN geo.units n ON n.id = l.new_id AND n.valid_to IS NULL
	    WHERE o.level = 'commune' GROUP BY o.code HAVING count(*) > 1 ORDER BY o.code LIMIT 1")
	[ -n "$split" ] || skip "no split commune in the reference data"
	old=$(owner_sql "SELECT id FROM geo.units WHERE level = 'commune' AND code = '$split' AND valid_to IS NOT NULL LIMIT 1")
	p=$(owner_sql "SELECT n.parent_id FROM geo.lineage l JOIN geo.units n ON n.id = l.new_id WHERE l.old_id = $old LIMIT 1")
	uid=$(owner_sql "WITH w AS (INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id, province_id, opened_on)
	    VALUES ('Trạm bị chia', 'shelter', 'social_protection', 'public', $old, $p, '2015-01-01') RETURNING id),
	    pl AS (INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	    SELECT id, $old, daterange('2015-01-01', NULL), 'created' FROM w) SELECT id FROM w")
	as admin POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
	expect_status 200
	expect_json ".needs_manual_move[] | select(.id == $uid) | .commune_code" "$split"
	expect_json ".needs_manual_move[] | select(.id == $uid) | .successors > 1" true
	as admin GET "/api/v1/work-units/$uid"
	expect_json .commune_code "$split"
	# Closed units are left alone.
	as admin POST "/api/v1/work-units/$uid/close" '{"closed_on":"2025-06-30"}'
	expect_status 200
	as admin POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
	expect_json "[.needs_manual_move[].id] | index($uid)" null
}
