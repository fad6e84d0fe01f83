#!/usr/bin/env bats
# Graduates over HTTP: a registrar (by session or API token) registers
# its own graduates, matched to people by citizen ID; sees its own
# institution's graduates and nothing else of the people; corrects them
# (the credential is revoked and re-issued). Every route as every role,
# another institution's graduates as 404, bad input as 422 naming the
# field, \u-escaped JSON stored as the characters, refusals that change
# nothing.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG ULSA TUU
	TAG=$(tr -dc 'A-Z' </dev/urandom | head -c 6)
	ULSA=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	TUU=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'TUU'")
	# A registrar of the Trade Union University, and an API token for it.
	new_user registrar "\"institution_id\":$TUU"
	export TUU_LOGIN=$new_login TUU_ID=$new_id TUU_TOKEN
	login "$new_login" "$new_password"
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"TUU registry sync"}'
	TUU_TOKEN=$(jq -r .token <<<"$body")
	# One ULSA graduate the tests share.
	export G1 G1_PERSON G1_CID G1_CRED
	G1_CID=$(cid 2001 female)
	as ulsa POST /api/v1/graduates "$(grad "Phan Thị Ngọc" "$G1_CID" 2001-02-03 female "$TAG-0001")"
	[ "$status_code" = 201 ] || { echo "graduate: $status_code $body" >&2; return 1; }
	G1=$(jq -r .id <<<"$body")
	G1_PERSON=$(jq -r .person_id <<<"$body")
	G1_CRED=$(jq -r .credential_id <<<"$body")
}

cid() {
	free_cid 7 "${1:-1999}" "${2:-female}" 001
}

# grad NAME CID BIRTH SEX DIPLOMA [EXTRA]: a registration body (a
# bachelor in social work, graduated 2024-06-30); EXTRA is a jq object
# merged in.
grad() {
	jq -nc --arg n "$1" --arg c "$2" --arg b "$3" --arg s "$4" --arg d "$5" \
	    "{full_name: \$n, citizen_id: \$c, birth_date: \$b, sex: \$s,
	      programme_code: \"7760101\", level: \"dai_hoc\",
	      field: \"social_work\", graduation_date: \"2024-06-30\",
	      diploma_number: \$d} + ${6:-{\}}"
}

# graduates_with DIPLOMA: how many degrees carry this diploma number.
graduates_with() {
	owner_sql "SELECT count(*) FROM training.qualifications WHERE diploma_number = '$1'"
}

# ------------------------------------------------------------- registering

@test "POST /graduates: a registrar registers a graduate: 201 with the person, the credential and the masked ID" {
	local id
	id=$(cid 2000 male)
	as ulsa POST /api/v1/graduates "$(grad "Đặng Văn Tú" "$id" 2000-07-08 male "$TAG-0100" '{programme_name: "Công tác xã hội"}')"
	expect_status 201
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json '.person_id | type' number
	expect_json '.credential_id | test("^[0-9a-f-]{36}$")' true
	expect_json .full_name "Đặng Văn Tú"
	expect_json .citizen_id "•••••••••${id: -3}"
	expect_json .citizen_id_masked true
	expect_json .institution_code ULSA
	expect_json .programme_code 7760101
	expect_json .programme_name "Công tác xã hội"
	expect_json .level dai_hoc
	expect_json .field social_work
	expect_json .graduation_date 2024-06-30
	expect_json .diploma_number "$TAG-0100"
	[ "$(owner_sql "SELECT province_id IS NULL FROM hr.people WHERE citizen_id = '$id'")" = t ] ||
	    fail_with "a new graduate is kept by a province"
	[ "$(owner_sql "SELECT count(*) FROM hr.assignments a JOIN hr.people p ON p.id = a.person_id WHERE p.citizen_id = '$id'")" = 0 ] ||
	    fail_with "a new graduate has an assignment"
	[ "$(owner_sql "SELECT count(*) FROM training.credentials WHERE id = '$(jq -r .credential_id <<<"$body")' AND revoked_at IS NULL")" = 1 ] ||
	    fail_with "no live credential"
}

@test "registration is audited as the registrar, with the citizen ID masked" {
	as admin GET "/api/v1/audit?entity=person&entity_id=$G1_PERSON"
	expect_status 200
	jq -e '[.items[] | select(.action == "graduate.register" and .actor_login == "ulsa")] | length == 1' <<<"$body" >/dev/null ||
	    fail_with "no graduate.register row"
	[[ $body != *"$G1_CID"* ]] || fail_with "the full citizen ID is in the audit log"
}

@test "JSON with \\u escapes (Python's json.dumps) is stored as the characters, in NFC" {
	local id data
	id=$(cid 1998 female)
	data=$(NAME="Nguyễn Thị Hồng" CID=$id DIP="$TAG-0101" python3 -c '
import json, os
print(json.dumps({"full_name": os.environ["NAME"], "citizen_id": os.environ["CID"],
    "birth_date": "1998-09-10", "sex": "female", "programme_code": "7760101",
    "programme_name": "Công tác xã hội", "level": "dai_hoc",
    "field": "social_work", "graduation_date": "2024-06-30",
    "diploma_number": os.environ["DIP"]}))')
	[[ $data == *'Nguy\u1ec5n Th\u1ecb H\u1ed3ng'* ]] || fail_with "the body is not \\u-escaped: $data"
	as ulsa POST /api/v1/graduates "$data"
	expect_status 201
	expect_json .full_name "Nguyễn Thị Hồng"
	expect_json .programme_name "Công tác xã hội"
	[ "$(owner_sql "SELECT full_name = 'Nguyễn Thị Hồng' AND full_name = normalize(full_name, NFC) FROM hr.people WHERE citizen_id = '$id'")" = t ] ||
	    fail_with "stored as $(owner_sql "SELECT full_name FROM hr.people WHERE citizen_id = '$id'")"
}

@test "a decomposed name sent as \\u escapes (NFD) is stored composed (NFC)" {
	local id
	id=$(cid 1997 male)
	as ulsa POST /api/v1/graduates "$(grad "PLACEHOLDER" "$id" 1997-01-02 male "$TAG-0102" | sed 's/PLACEHOLDER/Nguye\\u0302\\u0303n Va\\u0306n Tu\\u031b\\u0301/')"
	expect_status 201
	expect_json .full_name "Nguyễn Văn Tứ"
	[ "$(owner_sql "SELECT full_name = 'Nguyễn Văn Tứ' FROM hr.people WHERE citizen_id = '$id'")" = t ] ||
	    fail_with "stored as $(owner_sql "SELECT full_name FROM hr.people WHERE citizen_id = '$id'")"
}

@test "a citizen ID on record is that person (name compared without case or diacritics), kept by their province" {
	local id pid
	id=$(cid 1995 male)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Trịnh Văn Đức\",\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1995-04-05\",\"phone\":\"0912000111\"}"
	expect_status 201
	pid=$(jq -r .id <<<"$body")
	as ulsa POST /api/v1/graduates "$(grad "TRINH VAN DUC" "$id" 1995-04-05 male "$TAG-0103")"
	expect_status 201
	expect_json .person_id "$pid"
	# The registrar sees what it registered, not the province's record.
	expect_json .full_name "TRINH VAN DUC"
	[ "$(owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id = '$id'")" = 1 ] ||
	    fail_with "a second person was made"
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .province_code 22
	expect_json .full_name "Trịnh Văn Đức"
	expect_json .highest_qualification dai_hoc
}

@test "a registrar's views show the identity it registered, not the person record as a province corrects it" {
	local id gid pid
	id=$(cid 1996 female)
	as ulsa POST /api/v1/graduates "$(grad "Âu Thị Nga" "$id" 1996-03-04 female "$TAG-0106")"
	expect_status 201
	gid=$(jq -r .id <<<"$body")
	pid=$(jq -r .person_id <<<"$body")
	# Quảng Ninh takes the person over and corrects name and birth date.
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Âu Thị Nguyệt Nga\",\"citizen_id\":\"$id\",\"sex\":\"female\",\"birth_date\":\"1996-03-04\"}"
	expect_status 201
	expect_json .adopted true
	as hr.quangninh PATCH "/api/v1/people/$pid" '{"birth_date": "1996-03-14"}'
	expect_status 200
	as ulsa GET "/api/v1/graduates/$gid"
	expect_status 200
	expect_json .full_name "Âu Thị Nga"
	expect_json .birth_date 1996-03-04
	as ulsa GET "/api/v1/graduates?q=$id"
	expect_status 200
	expect_json '.items[0].full_name' "Âu Thị Nga"
	expect_json '.items[0].birth_date' 1996-03-04
}

@test "an identity that disagrees is 409 identity-mismatch naming no field, revealing nothing, writing nothing" {
	local id before
	id=$(cid 1994 female)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Mạc Thị Yên\",\"citizen_id\":\"$id\",\"sex\":\"female\",\"birth_date\":\"1994-04-05\"}"
	expect_status 201
	before=$(owner_sql "SELECT count(*) FROM training.qualifications")
	as ulsa POST /api/v1/graduates "$(grad "Mạc Thị Yên" "$id" 1994-11-12 female "$TAG-0104")"
	expect_problem 409 identity-mismatch citizen_id
	[[ $body != *"1994-04-05"* && $body != *"/people/"* ]] || fail_with "the refusal reveals the record"
	local first=$body
	as ulsa POST /api/v1/graduates "$(grad "Mạc Thị Lan" "$id" 1994-04-05 female "$TAG-0104")"
	expect_problem 409 identity-mismatch citizen_id
	# Which field disagrees is not told apart: a wrong birth date and a
	# wrong name are answered alike.
	[ "$(jq -c 'del(.instance)' <<<"$body")" = "$(jq -c 'del(.instance)' <<<"$first")" ] ||
	    fail_with "the two refusals differ: $first"
	[[ $body != *"Yên"* ]] || fail_with "the refusal reveals the name on file"
	[ "$(owner_sql "SELECT count(*) FROM training.qualifications")" = "$before" ] ||
	    fail_with "a refused graduate wrote a degree"
}

@test "a diploma number is unique per institution: 409 diploma-exists with the graduate; another institution may reuse it" {
	as ulsa POST /api/v1/graduates "$(grad "Lò Văn Sinh" "$(cid 1996 male)" 1996-01-01 male "$TAG-0001")"
	expect_problem 409 diploma-exists diploma_number
	expect_json .existing "/api/v1/graduates/$G1"
	as "$TUU_LOGIN" POST /api/v1/graduates "$(grad "Lò Văn Sinh" "$(cid 1996 male)" 1996-01-01 male "$TAG-0001")"
	expect_status 201
	expect_json .institution_code TUU
	[ "$(graduates_with "$TAG-0001")" = 2 ] || fail_with "expected one per institution"
}

@test "a registrar with an API token registers and lists without a session or Origin" {
	bearer "$TUU_TOKEN" POST /api/v1/graduates "$(grad "Tòng Thị Vui" "$(cid 2002 female)" 2002-05-05 female "$TAG-0105")"
	expect_status 201
	expect_json .institution_code TUU
	bearer "$TUU_TOKEN" GET "/api/v1/graduates?q=tong%20thi%20vui"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].diploma_number' "$TAG-0105"
}

@test "an administrator registers for a named institution; without one it is 422 naming institution_id" {
	as admin POST /api/v1/graduates "$(grad "Hà Văn Quý" "$(cid 1993 male)" 1993-03-03 male "$TAG-0106")"
	expect_problem 422 required institution_id
	as admin POST /api/v1/graduates "$(grad "Hà Văn Quý" "$(cid 1993 male)" 1993-03-03 male "$TAG-0106" "{institution_id: $TUU}")"
	expect_status 201
	expect_json .institution_code TUU
}

@test "a registrar cannot register for another institution (403 out-of-scope)" {
	as ulsa POST /api/v1/graduates "$(grad "Hà Văn Quý" "$(cid 1993 male)" 1993-03-03 male "$TAG-0107" "{institution_id: $TUU}")"
	expect_problem 403 out-of-scope institution_id
	[ "$(graduates_with "$TAG-0107")" = 0 ] || fail_with "written anyway"
}

@test "roles: officers and steering may not register or read graduates; no credential is 401" {
	local who
	for who in hr.quangninh hr.dongthap bcd.quangninh bcd.national; do
		as "$who" POST /api/v1/graduates "$(grad "Hà Văn Quý" "$(cid 1993 male)" 1993-03-03 male "$TAG-0108")"
		expect_problem 403 forbidden || return 1
		as "$who" GET /api/v1/graduates
		expect_problem 403 forbidden || return 1
		as "$who" GET "/api/v1/graduates/$G1"
		expect_problem 403 forbidden || return 1
		as "$who" POST "/api/v1/graduates/$G1/amend" '{"level":"thac_si","reason":"thử"}'
		expect_problem 403 forbidden || return 1
	done
	req GET /api/v1/graduates
	expect_problem 401 unauthenticated
	req POST /api/v1/graduates '{}'
	expect_problem 401 unauthenticated
	[ "$(graduates_with "$TAG-0108")" = 0 ] || fail_with "written anyway"
}

@test "bad input is 422 naming the field" {
	local id
	id=$(cid 1999 female)
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{programme_code: "776010"}')"
	expect_problem 422 invalid-programme-code programme_code
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{level: "bachelor"}')"
	expect_problem 422 invalid-code level
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{field: "economics"}')"
	expect_problem 422 invalid-code field
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{graduation_date: "2024-13-01"}')"
	expect_problem 422 invalid-date graduation_date
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{graduation_date: "2099-01-01"}')"
	expect_problem 422 future-date graduation_date
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{phone: "0912345678"}')"
	expect_problem 422 unknown-field phone
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" | jq -c 'del(.diploma_number)')"
	expect_problem 422 required diploma_number
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "999${id:3}" 1999-01-01 female "$TAG-0109")"
	expect_problem 422 cccd-prefix citizen_id
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 male "$TAG-0109")"
	expect_problem 422 cccd-sex citizen_id
	as ulsa POST /api/v1/graduates "$(grad "Võ Thị Ánh" "$id" 1999-01-01 female "$TAG-0109" '{diploma_number: 12}')"
	expect_problem 422 invalid-type diploma_number
	as ulsa POST /api/v1/graduates '{"full_name": "Võ Thị Ánh"'
	expect_problem 400 malformed-json
	[ "$(graduates_with "$TAG-0109")" = 0 ] || fail_with "written anyway"
	[ "$(owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id = '$id'")" = 0 ] ||
	    fail_with "a person was written"
}

# ----------------------------------------------------------------- reading

@test "GET /graduates: a registrar lists its own institution's graduates; an administrator every institution's" {
	as ulsa GET "/api/v1/graduates?limit=500"
	expect_status 200
	expect_json '[.items[].institution_code] | unique | join(",")' ULSA
	expect_json "[.items[] | select(.diploma_number == \"$TAG-0001\")] | length" 1
	as "$TUU_LOGIN" GET "/api/v1/graduates?limit=500"
	expect_json '[.items[].institution_code] | unique | join(",")' TUU
	as admin GET "/api/v1/graduates?limit=500"
	expect_json "[.items[] | select(.diploma_number == \"$TAG-0001\")] | length" 2
	as admin GET "/api/v1/graduates?institution=$TUU&limit=500"
	expect_json '[.items[].institution_code] | unique | join(",")' TUU
	as ulsa GET "/api/v1/graduates?institution=$TUU"
	expect_problem 403 out-of-scope institution
}

@test "GET /graduates filters by year, dates, programme, level and name, and pages with a cursor" {
	as ulsa POST /api/v1/graduates "$(grad "Kiều Thị Xuân" "$(cid 1990 female)" 1990-02-02 female "$TAG-0110" '{level: "thac_si", programme_code: "8760101", graduation_date: "2019-12-20"}')"
	expect_status 201
	as ulsa GET "/api/v1/graduates?year=2019&level=thac_si&programme_code=8760101&q=kieu%20thi%20xuan"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].diploma_number' "$TAG-0110"
	as ulsa GET "/api/v1/graduates?from=2019-12-20&to=2019-12-20&q=xuan"
	expect_json '.items | map(.diploma_number) | index("'"$TAG-0110"'") != null' true
	as ulsa GET "/api/v1/graduates?year=2019&level=dai_hoc&q=kieu%20thi%20xuan"
	expect_json '.items | length' 0
	as ulsa GET "/api/v1/graduates?limit=1"
	expect_status 200
	expect_json '.items | length' 1
	local first cursor
	first=$(jq -r '.items[0].id' <<<"$body")
	cursor=$(jq -r .next_cursor <<<"$body")
	[ "$cursor" != null ] || fail_with "no next page"
	as ulsa GET "/api/v1/graduates?limit=1&cursor=$cursor"
	expect_status 200
	[ "$(jq -r '.items[0].id' <<<"$body")" != "$first" ] || fail_with "the second page repeats the first"
	as ulsa GET "/api/v1/graduates?year=abc"
	expect_problem 400 invalid-parameter year
	as ulsa GET "/api/v1/graduates?level=bachelor"
	expect_problem 400 invalid-parameter level
	as ulsa GET "/api/v1/graduates?from=2024-02-30"
	expect_problem 400 invalid-parameter from
	as ulsa GET "/api/v1/graduates?limit=0"
	expect_problem 400 invalid-parameter limit
}

@test "GET /graduates/{id}: the registrar sees the graduate fields, person id and credential, nothing else of the person" {
	local id pid unit c22
	# A person a province keeps, with a phone, an assignment and another degree.
	id=$(cid 1991 male)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lường Văn Thắng\",\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1991-06-06\",\"phone\":\"0987654321\",\"email\":\"thang@example.vn\"}"
	expect_status 201
	pid=$(jq -r .id <<<"$body")
	c22=$(communes 22 44 1)
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng CTXH Bí Mật\",\"kind\":\"commune_office\",\"commune_code\":\"$c22\",\"opened_on\":\"2000-01-01\"}"
	unit=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$unit,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	expect_status 201
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"thac_si","field":"psychology","institution_name":"Học viện Bí Mật","awarded_on":"2018-01-01"}'
	expect_status 201
	as ulsa POST /api/v1/graduates "$(grad "Lường Văn Thắng" "$id" 1991-06-06 male "$TAG-0111")"
	expect_status 201
	local gid
	gid=$(jq -r .id <<<"$body")
	as ulsa GET "/api/v1/graduates/$gid"
	expect_status 200
	expect_json '[keys[]] | join(",")' "birth_date,citizen_id,citizen_id_masked,created_at,credential_id,credential_status,diploma_number,field,full_name,graduation_date,id,institution_code,institution_id,institution_name,level,person_id,programme_code,programme_name,sex,updated_at"
	expect_json .person_id "$pid"
	expect_json .citizen_id "•••••••••${id: -3}"
	local secret
	for secret in 0987654321 thang@example.vn "Bí Mật" thac_si psychology "$id"; do
		[[ $body != *"$secret"* ]] || fail_with "the registrar sees '$secret'"
	done
}

@test "a registrar cannot read people, their training or eligibility (403), nor another institution's graduate (404)" {
	as ulsa GET "/api/v1/people/$G1_PERSON"
	expect_problem 403 forbidden
	as ulsa GET /api/v1/people
	expect_problem 403 forbidden
	as ulsa GET "/api/v1/people/$G1_PERSON/training"
	expect_problem 403 forbidden
	as ulsa GET "/api/v1/people/$G1_PERSON/eligibility"
	expect_problem 403 forbidden
	as "$TUU_LOGIN" GET "/api/v1/graduates/$G1"
	expect_problem 404 not-found
	bearer "$TUU_TOKEN" GET "/api/v1/graduates/$G1"
	expect_problem 404 not-found
	as ulsa GET /api/v1/graduates/999999999
	expect_problem 404 not-found
	as admin GET "/api/v1/graduates/$G1"
	expect_status 200
	expect_json .diploma_number "$TAG-0001"
}

@test "a registered graduate is in the training record the keeping province reads" {
	local id pid
	id=$(cid 1992 female)
	as ulsa POST /api/v1/graduates "$(grad "Hứa Thị Vân" "$id" 1992-02-02 female "$TAG-0112")"
	expect_status 201
	pid=$(jq -r .person_id <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid/training"
	expect_problem 404 not-found
	# The province records the person (the ID card's name wins) and takes the record.
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Hứa Thị Vân\",\"citizen_id\":\"$id\",\"sex\":\"female\",\"birth_date\":\"1992-02-02\"}"
	expect_status 201
	expect_json .id "$pid"
	as hr.quangninh GET "/api/v1/people/$pid/training"
	expect_status 200
	expect_json '.qualifications[0].source' registrar
	expect_json '.qualifications[0].diploma_number' "$TAG-0112"
	expect_json '.credentials | length' 1
	expect_json '.credentials[0].status | test("^(un)?signed$")' true
}

# ------------------------------------------------------------- correcting

@test "POST /graduates/{id}/amend: corrected, the old credential revoked with the reason, a new one issued" {
	local gid old new
	as ulsa POST /api/v1/graduates "$(grad "Ninh Văn Hòa" "$(cid 2000 male)" 2000-03-03 male "$TAG-0120")"
	gid=$(jq -r .id <<<"$body")
	old=$(jq -r .credential_id <<<"$body")
	as ulsa POST "/api/v1/graduates/$gid/amend" "{\"diploma_number\":\"$TAG-0121\",\"graduation_date\":\"2024-07-15\",\"reason\":\"Nhập sai số hiệu văn bằng\"}"
	expect_status 200
	expect_json .diploma_number "$TAG-0121"
	expect_json .graduation_date 2024-07-15
	new=$(jq -r .credential_id <<<"$body")
	[ "$new" != "$old" ] || fail_with "the credential was not re-issued"
	expect_json '.credential_status | test("^(un)?signed$")' true
	as ulsa GET "/api/v1/credentials/$old"
	expect_json .status revoked
	expect_json .revoked_reason "Nhập sai số hiệu văn bằng"
	as ulsa GET "/api/v1/credentials/$new"
	expect_json '.status | test("^(un)?signed$")' true
	expect_json .payload.vc.achievement.diploma_number "$TAG-0121"
	as admin GET "/api/v1/audit?entity=person&entity_id=$(jq -r .person_id <<<"$body")"
	jq -e --arg d "$TAG-0120" --arg n "$TAG-0121" '[.items[] | select(.action == "graduate.amend"
	    and .before.diploma_number == $d and .after.diploma_number == $n
	    and .after.reason == "Nhập sai số hiệu văn bằng")] | length == 1' <<<"$body" >/dev/null ||
	    fail_with "the correction is not audited before/after"
}

@test "amend: a reason is required, an empty or unknown body is 422, another institution's graduate is 404; nothing changes" {
	local creds
	creds=$(owner_sql "SELECT count(*) FROM training.credentials WHERE qualification_id = $G1")
	as ulsa POST "/api/v1/graduates/$G1/amend" '{"level":"thac_si"}'
	expect_problem 422 required reason
	as ulsa POST "/api/v1/graduates/$G1/amend" '{"level":"thac_si","reason":"x"}'
	expect_problem 422 too-short reason
	as ulsa POST "/api/v1/graduates/$G1/amend" '{}'
	expect_problem 422 empty-patch
	as ulsa POST "/api/v1/graduates/$G1/amend" '{"phone":"0912345678","reason":"thêm"}'
	expect_problem 422 unknown-field phone
	as ulsa POST "/api/v1/graduates/$G1/amend" "{\"diploma_number\":\"$TAG-0001\",\"reason\":\"giữ nguyên\"}"
	expect_problem 422 no-change
	as ulsa POST "/api/v1/graduates/$G1/amend" '{"level":"doctor","reason":"sai"}'
	expect_problem 422 invalid-code level
	as ulsa POST "/api/v1/graduates/$G1/amend" '{"citizen_id":"999199000001","reason":"sai"}'
	expect_problem 422 cccd-prefix citizen_id
	as "$TUU_LOGIN" POST "/api/v1/graduates/$G1/amend" '{"level":"thac_si","reason":"không phải của tôi"}'
	expect_problem 404 not-found
	as ulsa POST "/api/v1/graduates/999999999/amend" '{"level":"thac_si","reason":"không có"}'
	expect_problem 404 not-found
	as ulsa GET "/api/v1/graduates/$G1/amend"
	expect_status 405
	[ "$(owner_sql "SELECT count(*) FROM training.credentials WHERE qualification_id = $G1")" = "$creds" ] ||
	    fail_with "a refused correction issued a credential"
	[ "$(owner_sql "SELECT level FROM training.qualifications WHERE id = $G1")" = dai_hoc ] ||
	    fail_with "a refused correction changed the degree"
}

@test "amend: a person kept by a province is theirs to correct (409 identity-locked); a new citizen ID re-matches" {
	local id pid gid other
	id=$(cid 1989 male)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Âu Văn Lộc\",\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1989-09-09\"}"
	pid=$(jq -r .id <<<"$body")
	as ulsa POST /api/v1/graduates "$(grad "Âu Văn Lộc" "$id" 1989-09-09 male "$TAG-0122")"
	gid=$(jq -r .id <<<"$body")
	as ulsa POST "/api/v1/graduates/$gid/amend" '{"full_name":"Âu Văn Lực","reason":"sai tên"}'
	expect_problem 409 identity-locked full_name
	[ "$(owner_sql "SELECT full_name FROM hr.people WHERE id = $pid")" = "Âu Văn Lộc" ] ||
	    fail_with "the person was renamed"
	# The degree was someone else's: a free ID makes a new unkept person.
	other=$(cid 1989 male)
	as ulsa POST "/api/v1/graduates/$gid/amend" "{\"citizen_id\":\"$other\",\"reason\":\"nhầm số định danh\"}"
	expect_status 200
	[ "$(jq -r .person_id <<<"$body")" != "$pid" ] || fail_with "the degree stayed with the first person"
	expect_json .citizen_id "•••••••••${other: -3}"
	[ "$(owner_sql "SELECT count(*) FROM training.qualifications WHERE person_id = $pid")" = 0 ] ||
	    fail_with "the first person keeps the degree"
	# A graduate who is only this degree is corrected in place.
	as ulsa POST "/api/v1/graduates/$gid/amend" '{"full_name":"Âu Văn Lực","reason":"sai tên"}'
	expect_status 200
	expect_json .full_name "Âu Văn Lực"
}
