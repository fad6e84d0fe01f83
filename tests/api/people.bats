#!/usr/bin/env bats
# People: registering them with a checked citizen ID, who sees the full
# number (and the audit of every reveal), patches, the history of a
# record, the list (search, Vietnamese order, masking, filters, paging)
# and transfers between units. Exports are in export.bats, the role
# matrix in workforce_roles.bats.

load helpers

setup_file() {
	login admin
	login hr.quangninh
	login hr.dongthap
	login bcd.quangninh
	login bcd.national
	local c22 c82
	c22=$(communes 22 40 2)
	c82=$(communes 82 40 1)
	export C22A C22B C82A
	{ read -r C22A; read -r C22B; } <<<"$c22"
	C82A=$c82
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	# Units the spells of this file are in.
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng CTXH thử A\",\"kind\":\"commune_office\",\"commune_code\":\"$C22A\",\"opened_on\":\"2000-01-01\"}"
	export UNIT_A UNIT_B UNIT_82 UNIT_CLOSED
	UNIT_A=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trung tâm thử B\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22B\",\"opened_on\":\"2000-01-01\"}"
	UNIT_B=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Trung tâm Đồng Tháp thử\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82A\",\"opened_on\":\"2000-01-01\"}"
	UNIT_82=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trạm đã đóng\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\",\"opened_on\":\"2000-01-01\",\"closed_on\":\"2010-12-31\"}"
	UNIT_CLOSED=$(jq -r .id <<<"$body")
}

cid() {
	free_cid 2 "${1:-1990}" "${2:-male}" "${3:-022}"
}

token() {
	tr -dc 'a-z' </dev/urandom | head -c 8
}

# person_json NAME CID SEX BIRTH [EXTRA]: a create body.
person_json() {
	echo "{\"full_name\":\"$1\",\"citizen_id\":\"$2\",\"sex\":\"$3\",\"birth_date\":\"$4\"${5:+,$5}}"
}

# new_person [WHO] [NAME] [EXTRA]: a man born 1990-04-05; sets pid, pcid.
new_person() {
	local who=${1:-hr.quangninh} name=${2:-Nguyễn Văn Thử} extra=${3-}
	pcid=$(cid 1990 male)
	as "$who" POST /api/v1/people "$(person_json "$name" "$pcid" male 1990-04-05 "$extra")"
	expect_status 201 || return 1
	pid=$(jq -r .id <<<"$body")
}

# new_spell PERSON UNIT [EXTRA]: a professional spell from 2020; sets aid.
new_spell() {
	as "${WHO:-hr.quangninh}" POST /api/v1/assignments "{\"person_id\":$1,\"work_unit_id\":$2,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"${3:+,$3}}"
	expect_status 201 || return 1
	aid=$(jq -r .id <<<"$body")
}

# holders CID: how many people carry this citizen ID.
holders() {
	owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id = '$1'"
}

# reveals PERSON: how many times the full ID of PERSON was shown.
reveals() {
	owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'person' AND entity_id = '$1' AND action = 'person.reveal_id'"
}

expect_422_field() {
	expect_status 422 || return 1
	jq -e --arg f "$1" '.field == $f and .errors[0].field == $f and
	    (.code | type == "string")' <<<"$body" >/dev/null ||
	    fail_with "expected a 422 naming field $1"
}

@test "POST /people registers a person in the officer's province, showing the full ID" {
	local id
	id=$(cid 1985 female)
	as hr.quangninh POST /api/v1/people "$(person_json "  Nguyễn  Thị   Mai " "$id" female 1985-03-04 \
	    '"phone":"0912 345.678","email":"Mai.NT@Example.VN","ethnicity":"Kinh"')"
	expect_status 201
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json .full_name "Nguyễn Thị Mai"
	expect_json .citizen_id "$id"
	expect_json .citizen_id_masked false
	expect_json .sex female
	expect_json .birth_date 1985-03-04
	expect_json .phone 0912345678
	expect_json .email mai.nt@example.vn
	expect_json .ethnicity Kinh
	expect_json .province_code 22
	expect_json .province_name "Quảng Ninh"
}

@test "creating a person is audited with the citizen ID masked" {
	new_person
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_status 200
	expect_json '.items[-1].action' person.create
	expect_json '.items[-1].actor_login' hr.quangninh
	expect_json '.items[-1].after.citizen_id' "•••••••••${pcid: -3}"
	[[ $body != *"$pcid"* ]] || fail_with "the full citizen ID is in the audit log"
}

@test "an admin must say which province keeps the record" {
	local id
	id=$(cid 1990)
	as admin POST /api/v1/people "$(person_json "Lê Văn Quản" "$id" male 1990-01-01)"
	expect_problem 422 required province_code
	as admin POST /api/v1/people "$(person_json "Lê Văn Quản" "$id" male 1990-01-01 '"province_code":"99"')"
	expect_problem 422 unknown-province province_code
	[ "$(holders "$id")" = 0 ] || fail_with "created anyway"
	as admin POST /api/v1/people "$(person_json "Lê Văn Quản" "$id" male 1990-01-01 '"province_code":"82"')"
	expect_status 201
	expect_json .province_code 82
	expect_json .citizen_id "$id"
}

@test "an officer may name only their own province" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Vượt" "$id" male 1990-01-01 '"province_code":"82"')"
	expect_problem 403 out-of-scope province_code
	[ "$(holders "$id")" = 0 ] || fail_with "created anyway"
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Vượt" "$id" male 1990-01-01 '"province_code":"22"')"
	expect_status 201
	expect_json .province_code 22
}

@test "a citizen ID that is not 12 characters is 422 cccd-length" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Ngắn" 02209012345 male 1990-01-01)"
	expect_problem 422 cccd-length citizen_id
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Dài" 0220901234567 male 1990-01-01)"
	expect_problem 422 cccd-length citizen_id
}

@test "a citizen ID with a non-digit is 422 cccd-digits" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Chữ" 02209012345a male 1990-01-01)"
	expect_problem 422 cccd-digits citizen_id
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Cách" "022090 12345" male 1990-01-01)"
	expect_problem 422 cccd-digits citizen_id
}

@test "a citizen ID whose prefix is neither a province nor a country is 422 cccd-prefix" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Lạ" 099090123456 male 1990-01-01)"
	expect_problem 422 cccd-prefix citizen_id
	# 003 was never a province code.
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Lạ" 003090123456 male 1990-01-01)"
	expect_problem 422 cccd-prefix citizen_id
	[ "$(holders 099090123456)$(holders 003090123456)" = 00 ] || fail_with "created anyway"
}

@test "a birth registered abroad (country code prefix, e.g. 840) is accepted" {
	local id
	id=$(cid 1990 male 840)
	as hr.quangninh POST /api/v1/people "$(person_json "Trần Văn Kiều" "$id" male 1990-01-01)"
	expect_status 201
	expect_json .citizen_id "$id"
}

@test "a 4th digit of the wrong century is 422 cccd-century" {
	# 2 is a man born in the 2000s.
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Kỷ" 022290123456 male 1990-01-01)"
	expect_problem 422 cccd-century citizen_id
}

@test "a 4th digit of the wrong sex is 422 cccd-sex" {
	# 1 is a woman born in the 1900s.
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Giới" 022190123456 male 1990-01-01)"
	expect_problem 422 cccd-sex citizen_id
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Thị Giới" 022090123456 female 1990-01-01)"
	expect_problem 422 cccd-sex citizen_id
}

@test "digits 5-6 other than the birth year are 422 cccd-year" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Năm" 022091123456 male 1990-01-01)"
	expect_problem 422 cccd-year citizen_id
}

@test "an empty or missing citizen ID is refused" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Rỗng" "" male 1990-01-01)"
	expect_problem 422 cccd-empty citizen_id
	as hr.quangninh POST /api/v1/people '{"full_name":"Lê Văn Rỗng","sex":"male","birth_date":"1990-01-01"}'
	expect_problem 422 required citizen_id
}

@test "a citizen ID already on record in the province is 409 citizen-id-exists linking the record" {
	new_person
	local first=$pid
	as hr.quangninh POST /api/v1/people "$(person_json "Người Khác" "$pcid" male 1990-04-05)"
	expect_problem 409 citizen-id-exists citizen_id
	expect_json .existing "/api/v1/people/$first"
	as hr.quangninh GET "$(jq -r .existing <<<"$body")"
	expect_status 200
	expect_json .full_name "Nguyễn Văn Thử"
	[ "$(holders "$pcid")" = 1 ]
}

@test "a citizen ID kept by another province is 409 citizen-id-exists-elsewhere without a link" {
	new_person
	as hr.dongthap POST /api/v1/people "$(person_json "Người Đồng Tháp" "$pcid" male 1990-04-05)"
	expect_problem 409 citizen-id-exists-elsewhere citizen_id
	expect_json 'has("existing")' false
	[[ $body != *"/api/v1/people/"* ]] || fail_with "the answer points at the record"
	# An admin sees every province, so gets the link.
	as admin POST /api/v1/people "$(person_json "Người Khác" "$pcid" male 1990-04-05 '"province_code":"82"')"
	expect_problem 409 citizen-id-exists citizen_id
	expect_json .existing "/api/v1/people/$pid"
	[ "$(holders "$pcid")" = 1 ]
}

@test "a name with digits or symbols is 422 invalid-name" {
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn 2" "$(cid 1990)" male 1990-01-01)"
	expect_problem 422 invalid-name full_name
	as hr.quangninh POST /api/v1/people "$(person_json "Lê <b>An</b>" "$(cid 1990)" male 1990-01-01)"
	expect_problem 422 invalid-name full_name
}

@test "names with hyphens and apostrophes are fine" {
	as hr.quangninh POST /api/v1/people "$(person_json "H'Hen Niê-Ksor" "$(cid 1992 female)" female 1992-06-07)"
	expect_status 201
	expect_json .full_name "H'Hen Niê-Ksor"
}

@test "a one-letter name is refused with a 422 naming full_name" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "$(person_json "A" "$id" male 1990-01-01)"
	expect_422_field full_name
	[ "$(holders "$id")" = 0 ] || fail_with "created anyway"
}

@test "required fields are 422 required naming them" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "{\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1990-01-01\"}"
	expect_problem 422 required full_name
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lê Văn Thiếu\",\"citizen_id\":\"$id\",\"birth_date\":\"1990-01-01\"}"
	expect_problem 422 required sex
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lê Văn Thiếu\",\"citizen_id\":\"$id\",\"sex\":\"male\"}"
	expect_problem 422 required birth_date
	[ "$(holders "$id")" = 0 ]
}

@test "bad sex, dates, phone and email are 422 naming the field" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Sai" "$id" other 1990-01-01)"
	expect_problem 422 invalid-code sex
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Sai" "$id" male 1990-02-30)"
	expect_problem 422 invalid-date birth_date
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Sai" "$id" male 1990-01-01 '"phone":"12345"')"
	expect_problem 422 invalid-phone phone
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Sai" "$id" male 1990-01-01 '"email":"not-an-address"')"
	expect_problem 422 invalid-email email
	[ "$(holders "$id")" = 0 ]
}

@test "someone younger than 15 is 422 implausible-birth-date" {
	local year=$(( $(date +%Y) - 10 ))
	local id
	id=$(cid "$year" female)
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Thị Nhỏ" "$id" female "$year-01-01")"
	expect_problem 422 implausible-birth-date birth_date
}

@test "a field of the wrong type is 422 naming it" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "{\"full_name\":5,\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1990-01-01\"}"
	expect_problem 422 invalid-type full_name
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lê Văn Số\",\"citizen_id\":${id#0},\"sex\":\"male\",\"birth_date\":\"1990-01-01\"}"
	expect_problem 422 invalid-type citizen_id
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lê Văn Số\",\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1990-01-01\",\"phone\":912345678}"
	expect_problem 422 invalid-type phone
	[ "$(holders "$id")" = 0 ]
}

@test "unknown fields, malformed JSON and invalid UTF-8 create nothing" {
	local id
	id=$(cid 1990)
	as hr.quangninh POST /api/v1/people "$(person_json "Lê Văn Thừa" "$id" male 1990-01-01 '"salary":1')"
	expect_problem 422 unknown-field salary
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lê Văn Hở\",\"citizen_id\":\"$id\""
	expect_problem 400 malformed-json
	printf '{"full_name":"L\xea V\xe3n","citizen_id":"%s","sex":"male","birth_date":"1990-01-01"}' "$id" >"$BATS_TEST_TMPDIR/bad.json"
	as hr.quangninh POST /api/v1/people "" -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/bad.json"
	expect_problem 400 malformed-json
	as hr.quangninh POST /api/v1/people "" -H 'Content-Type: text/plain' --data-binary "$(person_json "Lê Văn Chữ" "$id" male 1990-01-01)"
	expect_problem 415 unsupported-media-type
	[ "$(holders "$id")" = 0 ]
}

@test "GET /people/{id}: the officer of the province sees the full ID, with assignments and warnings" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_status 200
	expect_json .citizen_id "$pcid"
	expect_json .citizen_id_masked false
	expect_json '.assignments | length' 1
	expect_json '.assignments[0].id' "$aid"
	expect_json '.assignments[0].work_unit_id' "$UNIT_A"
	expect_json '.assignments[0].commune_code' "$C22A"
	expect_json .warnings '[]'
}

@test "each reveal of the full ID is audited as person.reveal_id" {
	new_person
	local before
	before=$(reveals "$pid")
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_status 200
	as admin GET "/api/v1/people/$pid"
	expect_status 200
	expect_json .citizen_id "$pcid"
	[ "$(reveals "$pid")" = $((before + 2)) ] || fail_with "reveals: $before then $(reveals "$pid")"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_status 200
	expect_json '[.items[] | select(.action == "person.reveal_id") | .actor_login] | join(",")' admin,hr.quangninh
	expect_json '.items[0].via | startswith("session:")' true
}

@test "steering reads a person with the ID masked, and that is no reveal" {
	new_person
	local before who
	before=$(reveals "$pid")
	for who in bcd.quangninh bcd.national; do
		as "$who" GET "/api/v1/people/$pid"
		expect_status 200
		expect_json .citizen_id "•••••••••${pcid: -3}"
		expect_json .citizen_id_masked true
		[[ $body != *"$pcid"* ]] || fail_with "$who saw the full ID"
	done
	[ "$(reveals "$pid")" = "$before" ] || fail_with "a masked read was audited as a reveal"
}

@test "another province's officer gets 404 for a person, exactly as for none" {
	new_person
	as hr.dongthap GET "/api/v1/people/$pid"
	expect_problem 404 not-found
	local theirs=$body
	as hr.dongthap GET /api/v1/people/999999999999
	expect_problem 404 not-found
	[ "$body" = "$theirs" ] || fail_with "an existing person answers differently: $theirs"
	as bcd.quangninh GET "/api/v1/people/$pid"
	expect_status 200
}

@test "the reveal shows in the person's history, newest first" {
	new_person
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"phone":"0987654321"}'
	expect_status 200
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_status 200
	as hr.quangninh GET "/api/v1/people/$pid/history"
	expect_status 200
	expect_json 'has("next_cursor")' true
	expect_json '[.items[].action] | join(",")' person.reveal_id,person.update,person.create
	expect_json '.items[0].actor' hr.quangninh
	expect_json '.items[1].after.phone' 0987654321
	expect_json '[.items[].id] == ([.items[].id] | sort | reverse)' true
}

@test "history includes assignment changes and pages with next_cursor" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"fte":0.5}'
	expect_status 200
	as hr.quangninh PATCH "/api/v1/assignments/$aid" '{"end_date":"2024-12-31","end_reason":"resigned"}'
	expect_status 200
	as hr.quangninh GET "/api/v1/people/$pid/history?limit=2"
	expect_status 200
	expect_json '[.items[].action] | join(",")' assignment.end,assignment.update
	local cursor
	cursor=$(jq -r .next_cursor <<<"$body")
	[ "$cursor" != null ] || fail_with "no next_cursor"
	as hr.quangninh GET "/api/v1/people/$pid/history?limit=2&cursor=$cursor"
	expect_status 200
	expect_json '[.items[].action] | join(",")' assignment.create,person.create
	expect_json .next_cursor null
}

@test "history follows the person's scope: 404 elsewhere, steering may read it" {
	new_person
	as hr.dongthap GET "/api/v1/people/$pid/history"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/people/$pid/history"
	expect_status 200
	expect_json '.items[-1].action' person.create
	as admin GET /api/v1/people/999999999999/history
	expect_problem 404 not-found
	as admin GET "/api/v1/people/$pid/history?limit=0"
	expect_problem 400 invalid-parameter limit
}

@test "the reveal is in /audit?entity=person&entity_id=N" {
	new_person
	as hr.quangninh GET "/api/v1/people/$pid"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_status 200
	expect_json '.items[0].action' person.reveal_id
	expect_json '.items[0].actor_login' hr.quangninh
	expect_json '.items[0].entity_id' "$pid"
}

@test "PATCH changes the given fields and audits only those" {
	new_person
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"full_name":"Nguyễn Văn Đổi","ethnicity":"Tày"}'
	expect_status 200
	expect_json .full_name "Nguyễn Văn Đổi"
	expect_json .ethnicity Tày
	expect_json .citizen_id "$pcid"
	expect_json .birth_date 1990-04-05
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json '.items[0].action' person.update
	expect_json '.items[0].after | keys | join(",")' ethnicity,full_name
	expect_json '.items[0].before.full_name' "Nguyễn Văn Thử"
}

@test "PATCH null clears an optional field" {
	new_person hr.quangninh "Nguyễn Văn Xoá" '"phone":"0912345678","email":"x@y.vn"'
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"phone":null,"email":null}'
	expect_status 200
	expect_json .phone null
	expect_json .email null
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .phone null
	expect_json .email null
}

@test "PATCH cannot null a required field: 422 required, nothing changed" {
	new_person
	local f
	for f in full_name citizen_id sex birth_date; do
		as hr.quangninh PATCH "/api/v1/people/$pid" "{\"$f\":null}"
		expect_problem 422 required "$f"
	done
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .full_name "Nguyễn Văn Thử"
	expect_json .citizen_id "$pcid"
}

@test "PATCH citizen_id is checked against the stored birth year and sex" {
	new_person
	# The stored person is a man born 1990: 0-90 fits, 0-91 does not.
	as hr.quangninh PATCH "/api/v1/people/$pid" "{\"citizen_id\":\"${pcid:0:4}91${pcid:6}\"}"
	expect_problem 422 cccd-year citizen_id
	as hr.quangninh PATCH "/api/v1/people/$pid" "{\"citizen_id\":\"0221${pcid:4}\"}"
	expect_problem 422 cccd-sex citizen_id
	as hr.quangninh PATCH "/api/v1/people/$pid" "{\"citizen_id\":\"099${pcid:3}\"}"
	expect_problem 422 cccd-prefix citizen_id
	local fixed
	fixed=$(cid 1990)
	as hr.quangninh PATCH "/api/v1/people/$pid" "{\"citizen_id\":\"$fixed\"}"
	expect_status 200
	expect_json .citizen_id "$fixed"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json '.items[0].action' person.update
	[[ $body != *"$fixed"* && $body != *"$pcid"* ]] || fail_with "a full citizen ID is in the audit log"
}

@test "PATCH birth_date and sex together are checked against the citizen ID" {
	new_person
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"birth_date":"1991-04-05","sex":"male"}'
	expect_problem 422 cccd-year citizen_id
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"sex":"female"}'
	expect_problem 422 cccd-sex citizen_id
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .sex male
	expect_json .birth_date 1990-04-05
}

@test "PATCH to a citizen ID another person has is 409 citizen-id-exists" {
	new_person
	local first=$pid taken=$pcid
	new_person
	as hr.quangninh PATCH "/api/v1/people/$pid" "{\"citizen_id\":\"$taken\"}"
	expect_problem 409 citizen-id-exists citizen_id
	expect_json .existing "/api/v1/people/$first"
}

@test "PATCH refuses empty patches, unknown fields (province_code too) and bad JSON" {
	new_person
	as hr.quangninh PATCH "/api/v1/people/$pid" '{}'
	expect_problem 422 empty-patch
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"province_code":"82"}'
	expect_problem 422 unknown-field province_code
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"nickname":"Tí"}'
	expect_problem 422 unknown-field nickname
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"full_name":'
	expect_problem 400 malformed-json
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"full_name":["Lê"]}'
	expect_problem 422 invalid-type full_name
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .province_code 22
	expect_json .full_name "Nguyễn Văn Thử"
}

@test "PATCH by another province's officer is 404 and changes nothing" {
	new_person
	as hr.dongthap PATCH "/api/v1/people/$pid" '{"full_name":"Bị Sửa"}'
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .full_name "Nguyễn Văn Thử"
}

@test "lists always mask the citizen ID, even for an admin" {
	local tok
	tok=$(token)
	new_person hr.quangninh "Nguyễn Văn ${tok^}"
	local who
	for who in admin hr.quangninh bcd.quangninh bcd.national; do
		as "$who" GET "/api/v1/people?q=$tok"
		expect_status 200
		expect_json '.items | length' 1
		expect_json '.items[0].citizen_id' "•••••••••${pcid: -3}"
		expect_json '.items[0].citizen_id_masked' true
		[[ $body != *"$pcid"* ]] || fail_with "$who's list shows the full ID"
	done
}

@test "lists sort by given name in Vietnamese order, then by full name" {
	local tok name
	tok=$(token)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trạm xếp $tok\",\"kind\":\"shelter\",\"commune_code\":\"$C22A\"}"
	local unit
	unit=$(jq -r .id <<<"$body")
	for name in "Bùi Thị Em" "Trần Văn Dũng" "Nguyễn Văn Đức" "Lê Văn An" "Đặng Văn An" "Lê Thị Ánh"; do
		new_person hr.quangninh "$name"
		new_spell "$pid" "$unit"
	done
	as hr.quangninh GET "/api/v1/people?work_unit=$unit"
	expect_status 200
	expect_json '[.items[].full_name] | join("|")' "Đặng Văn An|Lê Văn An|Lê Thị Ánh|Trần Văn Dũng|Nguyễn Văn Đức|Bùi Thị Em"
}

@test "?q= ignores diacritics and case" {
	local tok
	tok=$(token)
	new_person hr.quangninh "Hoàng Thị Thuỷ ${tok^}"
	local want=$pid
	as hr.quangninh GET "/api/v1/people?q=hoang%20thi%20thuy%20${tok^^}"
	expect_status 200
	expect_json '[.items[].id] | join(",")' "$want"
	as hr.quangninh GET "/api/v1/people?q=$(jq -rn --arg s "HOÀNG THỊ THUỶ $tok" '$s | @uri')"
	expect_json '[.items[].id] | join(",")' "$want"
}

@test "?q= tolerates a typo" {
	local tok
	tok=$(token)
	new_person hr.quangninh "Phan Văn ${tok^}"
	local want=$pid
	# The word's last letter mistyped.
	local typo="${tok:0:7}$([ "${tok:7}" = q ] && echo z || echo q)"
	as hr.quangninh GET "/api/v1/people?q=$typo"
	expect_status 200
	expect_json "[.items[].id] | index($want) != null" true
}

@test "?q= of 3 to 12 digits matches the end of the citizen ID only" {
	new_person
	local want=$pid
	as hr.quangninh GET "/api/v1/people?q=${pcid: -6}"
	expect_status 200
	expect_json "[.items[].id] | index($want) != null" true
	expect_json "[.items[] | select(.citizen_id | endswith(\"${pcid: -3}\") | not)] | length" 0
	as hr.quangninh GET "/api/v1/people?q=$pcid"
	expect_json '[.items[].id] | join(",")' "$want"
	# The first digits are not the last ones.
	as hr.quangninh GET "/api/v1/people?q=${pcid:0:9}"
	expect_json "[.items[].id] | index($want)" null
}

@test "who sees masked IDs may search only the digits shown: more is 422 too-many-digits on q, in lists and exports" {
	new_person
	local want=$pid who
	for who in bcd.quangninh bcd.national; do
		as "$who" GET "/api/v1/people?q=${pcid: -3}"
		expect_status 200
		expect_json "[.items[].id] | index($want) != null" true
		as "$who" GET "/api/v1/people?q=${pcid: -4}"
		expect_problem 422 too-many-digits q
		as "$who" GET "/api/v1/people?q=$pcid"
		expect_problem 422 too-many-digits q
		as "$who" GET "/api/v1/people?format=csv&q=${pcid: -5}"
		expect_problem 422 too-many-digits q
	done
	# Whoever sees the full number searches all of it.
	for who in hr.quangninh admin; do
		as "$who" GET "/api/v1/people?q=$pcid"
		expect_status 200
		expect_json '[.items[].id] | join(",")' "$want"
	done
}

@test "?work_unit=, ?category=, ?commune= and ?active_on= filter by spells" {
	local tok
	tok=$(token)
	new_person hr.quangninh "Vũ Văn ${tok^}"
	local a=$pid
	new_spell "$a" "$UNIT_A" '"end_date":"2021-12-31","end_reason":"rotated"'
	new_person hr.quangninh "Vũ Thị ${tok^}"
	local b=$pid
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$b,\"work_unit_id\":$UNIT_B,\"category\":\"volunteer\",\"fte\":0.2,\"start_date\":\"2022-01-01\"}"
	expect_status 201
	as hr.quangninh GET "/api/v1/people?q=$tok&work_unit=$UNIT_A"
	expect_json '[.items[].id] | join(",")' "$a"
	as hr.quangninh GET "/api/v1/people?q=$tok&category=volunteer"
	expect_json '[.items[].id] | join(",")' "$b"
	as hr.quangninh GET "/api/v1/people?q=$tok&commune=$C22B"
	expect_json '[.items[].id] | join(",")' "$b"
	as hr.quangninh GET "/api/v1/people?q=$tok&active_on=2021-06-01"
	expect_json '[.items[].id] | join(",")' "$a"
	as hr.quangninh GET "/api/v1/people?q=$tok&active_on=2023-06-01"
	expect_json '[.items[].id] | join(",")' "$b"
	as hr.quangninh GET "/api/v1/people?q=$tok"
	expect_json '.items | length' 2
}

@test "bad list filters are 400 invalid-parameter (or 422 for an unknown commune)" {
	as hr.quangninh GET '/api/v1/people?category=boss'
	expect_problem 400 invalid-parameter category
	as hr.quangninh GET '/api/v1/people?work_unit=abc'
	expect_problem 400 invalid-parameter work_unit
	as hr.quangninh GET '/api/v1/people?active_on=2024-02-30'
	expect_problem 400 invalid-parameter active_on
	as hr.quangninh GET '/api/v1/people?limit=501'
	expect_problem 400 invalid-parameter limit
	as hr.quangninh GET '/api/v1/people?format=pdf'
	expect_problem 400 invalid-parameter format
	as hr.quangninh GET '/api/v1/people?q=%20'
	expect_problem 400 invalid-parameter q
	as hr.quangninh GET '/api/v1/people?commune=99999'
	expect_problem 422 unknown-commune commune
}

@test "an officer lists only their province; asking for another is 403" {
	local tok
	tok=$(token)
	new_person hr.quangninh "Quách Văn ${tok^}"
	new_person hr.dongthap "Quách Thị ${tok^}"
	as hr.quangninh GET "/api/v1/people?q=$tok"
	expect_json '[.items[].province_code] | join(",")' 22
	as hr.dongthap GET "/api/v1/people?q=$tok"
	expect_json '[.items[].province_code] | join(",")' 82
	as bcd.national GET "/api/v1/people?q=$tok"
	expect_json '[.items[].province_code] | sort | join(",")' 22,82
	as bcd.national GET "/api/v1/people?q=$tok&province=82"
	expect_json '[.items[].province_code] | join(",")' 82
	as hr.quangninh GET '/api/v1/people?province=82'
	expect_problem 403 out-of-scope province
	as bcd.quangninh GET '/api/v1/people?province=82'
	expect_problem 403 out-of-scope province
}

@test "paging with limit=2 walks each person exactly once" {
	local tok i
	tok=$(token)
	for i in An Bình Chi Dung Giang; do
		new_person hr.quangninh "Mạc Văn $i ${tok^}"
	done
	local cursor="" seen="" pages=0
	while :; do
		as hr.quangninh GET "/api/v1/people?q=$tok&limit=2${cursor:+&cursor=$cursor}"
		expect_status 200
		seen="$seen $(jq -r '[.items[].full_name | split(" ")[2]] | join(" ")' <<<"$body")"
		pages=$((pages + 1))
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
	[ "$(echo $seen)" = "An Bình Chi Dung Giang" ] || fail_with "walked '$seen'"
	[ "$pages" = 3 ]
}

@test "transfer ends the spell and starts the next the following day, keeping category and FTE" {
	new_person
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$UNIT_A,\"category\":\"professional\",\"fte\":0.8,\"position\":\"Chuyên viên\",\"title_code\":\"V.09.04.02\",\"start_date\":\"2020-01-01\"}"
	expect_status 201
	aid=$(jq -r .id <<<"$body")
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_status 200
	expect_json .ended.id "$aid"
	expect_json .ended.end_date 2024-06-30
	expect_json .ended.end_reason transferred
	expect_json .started.work_unit_id "$UNIT_B"
	expect_json .started.start_date 2024-07-01
	expect_json .started.category professional
	expect_json '.started.fte == 0.8' true
	expect_json .started.title_code V.09.04.02
	expect_json .started.position "Chuyên viên"
	expect_json .started.end_date null
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json '.assignments | length' 2
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json '[.items[] | select(.action == "person.transfer") | .after.province_changed] | join(",")' false
}

@test "transfer takes an explicit start date, reason, category and FTE" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"end_reason\":\"rotated\",\"work_unit_id\":$UNIT_B,\"start_date\":\"2024-08-01\",\"category\":\"concurrent\",\"fte\":0.5,\"title_code\":null}"
	expect_status 200
	expect_json .ended.end_reason rotated
	expect_json .started.start_date 2024-08-01
	expect_json .started.category concurrent
	expect_json '.started.fte == 0.5' true
	expect_json .started.title_code null
}

@test "a transfer to an unknown unit fails whole: the old spell stays open" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":999999999}"
	expect_problem 422 unknown-work-unit work_unit_id
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_status 200
	expect_json .end_date null
	expect_json .end_reason null
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json '.assignments | length' 1
}

@test "a transfer to a closed unit, or with a bad new spell, leaves the old spell open" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_CLOSED}"
	expect_problem 422 work-unit-closed work_unit_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B,\"fte\":2}"
	expect_problem 422 out-of-range fte
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json '.assignments | length' 1
}

@test "an officer's transfer into another province's unit is refused and changes nothing" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_82}"
	expect_status 422
	expect_json .field work_unit_id
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .province_code 22
}

@test "an admin's transfer into another province hands the record over" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as admin POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_82}"
	expect_status 200
	expect_json .started.work_unit_id "$UNIT_82"
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/people/$pid"
	expect_status 200
	expect_json .province_code 82
	expect_json .citizen_id "$pcid"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json '[.items[] | select(.action == "person.transfer") | .after.province_changed] | join(",")' true
}

@test "transfer refuses an ended spell, another person's spell and an end before the start" {
	new_person
	new_spell "$pid" "$UNIT_A" '"end_date":"2021-12-31","end_reason":"resigned"'
	local ended=$aid
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$ended,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 409 assignment-ended assignment_id
	local me=$pid
	new_person
	new_spell "$pid" "$UNIT_A"
	local theirs=$aid
	as hr.quangninh POST "/api/v1/people/$me/transfer" "{\"assignment_id\":$theirs,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 422 unknown-assignment assignment_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$theirs,\"end_date\":\"2019-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 422 end-before-start end_date
	as hr.quangninh GET "/api/v1/assignments/$theirs"
	expect_json .end_date null
}

@test "transfer body errors: required fields, wrong types, unknown fields" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 422 required assignment_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"work_unit_id\":$UNIT_B}"
	expect_problem 422 required end_date
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\"}"
	expect_problem 422 required work_unit_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":\"$aid\",\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 422 invalid-number assignment_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B,\"end_reason\":\"bored\"}"
	expect_problem 422 invalid-code end_reason
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B,\"person_id\":1}"
	expect_problem 422 unknown-field person_id
	as hr.quangninh POST "/api/v1/people/$pid/transfer" '{"assignment_id":'
	expect_problem 400 malformed-json
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
}

@test "transfer of a person out of scope is 404" {
	new_person
	new_spell "$pid" "$UNIT_A"
	as hr.dongthap POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_82}"
	expect_problem 404 not-found
	as hr.quangninh POST /api/v1/people/999999999999/transfer "{\"assignment_id\":$aid,\"end_date\":\"2024-06-30\",\"work_unit_id\":$UNIT_B}"
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/assignments/$aid"
	expect_json .end_date null
}
