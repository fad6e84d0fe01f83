#!/usr/bin/env bats
# Training over HTTP: institutions' full records, partnerships with their
# results, the course catalogue, cohorts and enrolments (one, in bulk from
# ids or a filter), seats never beyond capacity, completion answering the
# credential it issued, a correction revoking it; every route as every
# role (admin, hr_officer of the host province and of another, steering
# read-only, the registrar), out-of-scope ids as 404, bad input as 422
# naming the field, and refusals that change nothing.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG ULSA DTCC TUU C82A C82B
	TAG=$(tr -dc 'A-Z' </dev/urandom | head -c 5)
	ULSA=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	DTCC=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'DTCC'")
	TUU=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'TUU'")
	local c82
	c82=$(communes 82 97 2)
	{ read -r C82A; read -r C82B; } <<<"$c82"
	# A registrar of the Đồng Tháp community college.
	new_user registrar "\"institution_id\":$DTCC"
	export DTCC_LOGIN=$new_login
	login "$new_login" "$new_password"
	# The catalogue, an agreement and a cohort the tests share.
	export K_TC K_SC K_TITLE PA H1
	as admin POST /api/v1/courses "{\"code\":\"T8-TC-$TAG\",\"name\":\"Trung cấp CTXH thử $TAG\",\"kind\":\"degree\",\"level\":\"trung_cap\",\"field\":\"social_work\",\"hours\":1800,\"counts_as_sw_training\":true}"
	K_TC=$(jq -r .id <<<"$body")
	as admin POST /api/v1/courses "{\"code\":\"T8-SC-$TAG\",\"name\":\"Quản lý trường hợp thử $TAG\",\"kind\":\"short_course\",\"topic\":\"case_management\",\"hours\":40,\"counts_as_sw_training\":true}"
	K_SC=$(jq -r .id <<<"$body")
	as admin POST /api/v1/courses "{\"code\":\"T8-V2-$TAG\",\"name\":\"Bồi dưỡng chức danh thử $TAG\",\"kind\":\"title_training\",\"title_code\":\"V.09.04.02\",\"hours\":200,\"counts_as_sw_training\":true}"
	K_TITLE=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"T8/$TAG/HĐ\",\"signed_on\":\"2023-01-05\",\"valid_from\":\"2023-01-05\",\"programmes\":[\"T8-TC-$TAG\"],\"seats_per_year\":70}"
	PA=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"institution_id\":$ULSA,\"province_code\":\"82\",\"partnership_id\":$PA,\"name\":\"Lớp chung $TAG\",\"start_date\":\"2025-01-06\",\"end_date\":\"2025-01-17\",\"capacity\":50,\"funding\":\"national_programme\",\"status\":\"open\"}"
	H1=$(jq -r .id <<<"$body")
}

# The institution registered here goes again, so that files counting
# the five seed institutions pass in any order.
teardown_file() {
	owner_sql "DELETE FROM org.institutions WHERE code = 'T8-$TAG'" >/dev/null
}

cid() {
	free_cid 8 "$@"
}

# new_person WHO: a person kept by WHO's province; sets pid.
new_person() {
	as "$1" POST /api/v1/people "{\"full_name\":\"Học Viên Thử\",\"citizen_id\":\"$(cid 1988)\",\"sex\":\"male\",\"birth_date\":\"1988-03-03\"}"
	expect_status 201 || return 1
	pid=$(jq -r .id <<<"$body")
}

# new_cohort WHO COURSE CAPACITY [STATUS] [PROVINCE] [TEACHER]: sets hid.
# The province's department teaches it, or with TEACHER "ulsa" ULSA
# under the shared agreement $PA (Đồng Tháp only).
new_cohort() {
	local teacher=
	[ "${6:-}" = ulsa ] && teacher="\"partnership_id\":$PA,"
	as "$1" POST /api/v1/cohorts "{\"course_id\":$2,$teacher\"province_code\":\"${5:-82}\",\"start_date\":\"2025-03-03\",\"end_date\":\"2025-06-30\",\"capacity\":$3,\"funding\":\"provincial_budget\",\"status\":\"${4:-open}\"}"
	expect_status 201 || return 1
	hid=$(jq -r .id <<<"$body")
}

# enrol COHORT PERSON [STATUS]: as hr.dongthap; sets eid.
enrol() {
	as hr.dongthap POST "/api/v1/cohorts/$1/enrolments" "{\"person_id\":$2,\"status\":\"${3:-enrolled}\"}"
	expect_status 201 || return 1
	eid=$(jq -r .id <<<"$body")
}

count_sql() {
	owner_sql "$1"
}

expect_422_field() {
	expect_status 422 || return 1
	jq -e --arg f "$1" '.field == $f and .errors[0].field == $f' \
	    <<<"$body" >/dev/null || fail_with "expected a 422 naming field $1"
}

# ----------------------------------------------------------------- access

@test "every training route needs a signed-in user" {
	local path
	for path in /api/v1/partnerships /api/v1/partnerships/1 /api/v1/courses \
	    /api/v1/courses/1 /api/v1/cohorts /api/v1/cohorts/1 \
	    /api/v1/cohorts/1/enrolments /api/v1/enrolments/1; do
		req GET "$path"
		expect_problem 401 unauthenticated || return 1
	done
	req POST /api/v1/cohorts/1/enrolments/bulk '{"person_ids":[1]}'
	expect_problem 401 unauthenticated
	req POST /api/v1/institutions '{"code":"X1","name":"Xx","kind":"ngo"}'
	expect_problem 401 unauthenticated
}

@test "the role matrix: who may write each resource (403 forbidden for the others, nothing written)" {
	local before who
	before=$(count_sql "SELECT (SELECT count(*) FROM training.courses) + (SELECT count(*) FROM training.partnerships) + (SELECT count(*) FROM training.cohorts) + (SELECT count(*) FROM org.institutions)")
	for who in bcd.quangninh bcd.national ulsa; do
		as "$who" POST /api/v1/courses "{\"code\":\"T8-NO-$TAG\",\"name\":\"Không được\",\"kind\":\"short_course\",\"topic\":\"other\",\"hours\":8}"
		expect_problem 403 forbidden || return 1
		as "$who" POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"NO-$TAG\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\"}"
		expect_problem 403 forbidden || return 1
		as "$who" POST /api/v1/cohorts "{\"course_id\":$K_SC,\"institution_id\":$ULSA,\"province_code\":\"82\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
		expect_problem 403 forbidden || return 1
		as "$who" PATCH "/api/v1/cohorts/$H1" '{"name":"Đổi tên"}'
		expect_problem 403 forbidden || return 1
		as "$who" POST "/api/v1/cohorts/$H1/enrolments" '{"person_id":1}'
		expect_problem 403 forbidden || return 1
		as "$who" POST "/api/v1/cohorts/$H1/enrolments/bulk" '{"person_ids":[1]}'
		expect_problem 403 forbidden || return 1
		as "$who" PATCH "/api/v1/enrolments/1" '{"status":"enrolled"}'
		expect_problem 403 forbidden || return 1
	done
	for who in hr.dongthap bcd.national ulsa; do
		as "$who" POST /api/v1/institutions '{"code":"T8-NO","name":"Không được","kind":"ngo"}'
		expect_problem 403 forbidden || return 1
	done
	[ "$(count_sql "SELECT (SELECT count(*) FROM training.courses) + (SELECT count(*) FROM training.partnerships) + (SELECT count(*) FROM training.cohorts) + (SELECT count(*) FROM org.institutions)")" = "$before" ] ||
	    fail_with "a refused write wrote something"
}

@test "every role reads the catalogue; lists answer a page" {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		as "$who" GET "/api/v1/courses/$K_SC"
		expect_status 200 || return 1
		expect_json .code "T8-SC-$TAG" || return 1
		as "$who" GET /api/v1/courses
		expect_status 200 || return 1
		expect_json '.items | type' array || return 1
		as "$who" GET /api/v1/partnerships
		expect_status 200 || return 1
		as "$who" GET /api/v1/cohorts
		expect_status 200 || return 1
	done
}

# ----------------------------------------------------------------- institutions

@test "institutions: filters by q without diacritics, kind, province and recognised" {
	as admin GET "/api/v1/institutions?q=lao%20dong"
	expect_status 200
	expect_json '[.items[].code] | index("ULSA") != null' true
	expect_json '[.items[] | select(.code == "DTCC")] | length' 0
	as admin GET /api/v1/institutions?kind=college
	expect_json '[.items[].code] | index("DTCC") != null' true
	expect_json '[.items[] | select(.kind != "college")] | length' 0
	as admin GET /api/v1/institutions?province=82
	expect_json '[.items[] | select(.province.code != "82")] | length' 0
	expect_json '[.items[].code] | index("DTCC") != null' true
	as admin PATCH "/api/v1/institutions/$TUU" '{"recognised":true,"recognition_decision":"99/QĐ-THỬ","recognised_on":"2015-05-05"}'
	expect_status 200
	as admin GET /api/v1/institutions?recognised=true
	expect_json '[.items[].code] | index("TUU") != null' true
	expect_json '[.items[] | select(.recognised != true)] | length' 0
	as admin GET /api/v1/institutions?recognised=maybe
	expect_problem 400 invalid-parameter recognised
	as hr.quangninh GET /api/v1/institutions?province=82
	expect_problem 403 out-of-scope province
	as admin GET /api/v1/institutions?province=77
	expect_problem 422 unknown-province province
}

@test "institutions: an admin registers one (201, audited); a taken code is 409 with the existing link" {
	as admin POST /api/v1/institutions "{\"code\":\"T8-$TAG\",\"name\":\"Tổ chức Quốc tế Thử\",\"kind\":\"international\",\"contact_email\":\"Info@Example.org\",\"website\":\"https://example.org\"}"
	expect_status 201
	expect_json .kind international
	expect_json .province null
	expect_json .contact_email info@example.org
	expect_json .recognised false
	local id
	id=$(jq -r .id <<<"$body")
	as admin GET "/api/v1/audit?entity=institution&entity_id=$id"
	expect_json '.items[0].action' institution.create
	as admin POST /api/v1/institutions '{"code":"ULSA","name":"Trùng mã","kind":"university"}'
	expect_problem 409 institution-code-exists code
	expect_json .existing "/api/v1/institutions/$ULSA"
}

@test "institutions: bad input is 422 naming the field" {
	as admin POST /api/v1/institutions '{"code":"T8-BAD","name":"Trường","kind":"college","recognised":true,"recognised_on":"2020-01-01"}'
	expect_problem 422 required recognition_decision
	as admin POST /api/v1/institutions '{"code":"t8 bad","name":"Trường","kind":"college"}'
	expect_problem 422 invalid-institution-code code
	as admin POST /api/v1/institutions '{"code":"T8-BAD","name":"Trường","kind":"school"}'
	expect_problem 422 invalid-code kind
	as admin POST /api/v1/institutions '{"code":"T8-BAD","name":"Trường","kind":"college","website":"ftp://x"}'
	expect_problem 422 invalid-website website
	as admin POST /api/v1/institutions '{"code":"T8-BAD","name":"Trường","kind":"college","colour":"red"}'
	expect_problem 422 unknown-field colour
	[ "$(count_sql "SELECT count(*) FROM org.institutions WHERE code = 'T8-BAD'")" = 0 ]
}

@test "institutions: a registrar updates its own contact, nothing else, and nobody else's" {
	as ulsa PATCH "/api/v1/institutions/$ULSA" '{"contact_name":"Phòng Đào tạo (thử)","contact_phone":"024 3556 6175"}'
	expect_status 200
	expect_json .contact_phone 02435566175
	as ulsa PATCH "/api/v1/institutions/$ULSA" '{"contact_name":"X Y","name":"Đổi tên"}'
	expect_problem 403 forbidden-field name
	[ "$(count_sql "SELECT contact_name FROM org.institutions WHERE id = $ULSA")" = "Phòng Đào tạo (thử)" ] ||
	    fail_with "the refused patch changed the contact"
	as ulsa PATCH "/api/v1/institutions/$DTCC" '{"contact_name":"X Y"}'
	expect_problem 404 not-found
	as hr.dongthap PATCH "/api/v1/institutions/$DTCC" '{"contact_name":"X Y"}'
	expect_problem 403 forbidden
	as admin PATCH "/api/v1/institutions/$DTCC" '{"address":"Cao Lãnh, Đồng Tháp"}'
	expect_status 200
	expect_json .address "Cao Lãnh, Đồng Tháp"
	as admin PATCH "/api/v1/institutions/$DTCC" '{}'
	expect_problem 422 empty-patch
}

# ----------------------------------------------------------------- courses

@test "courses: an officer adds one; kind rules and duplicates are refused naming the field" {
	as hr.quangninh POST /api/v1/courses "{\"code\":\"t8-bv-$TAG\",\"name\":\"Bảo vệ trẻ em thử\",\"kind\":\"short_course\",\"topic\":\"child_protection\",\"hours\":40}"
	expect_status 201
	expect_json .code "T8-BV-$TAG"
	expect_json .counts_as_sw_training false
	expect_json .level null
	as admin POST /api/v1/courses '{"code":"T8-X","name":"Cử nhân","kind":"degree","field":"social_work","hours":3000}'
	expect_problem 422 required level
	as admin POST /api/v1/courses '{"code":"T8-X","name":"Ngắn","kind":"short_course","topic":"other","title_code":"V.09.04.01","hours":8}'
	expect_problem 422 not-for-kind title_code
	as admin POST /api/v1/courses '{"code":"T8-X","name":"Cử nhân","kind":"degree","level":"dai_hoc","field":"social_work","programme_code":"776","hours":3000}'
	expect_problem 422 invalid-programme-code programme_code
	as admin POST /api/v1/courses '{"code":"T8-X","name":"Ngắn","kind":"short_course","topic":"other","hours":"8"}'
	expect_problem 422 invalid-number hours
	as admin POST /api/v1/courses "{\"code\":\"T8-SC-$TAG\",\"name\":\"Trùng\",\"kind\":\"short_course\",\"topic\":\"other\",\"hours\":8}"
	expect_problem 409 course-code-exists code
	expect_json .existing "/api/v1/courses/$K_SC"
}

@test "courses: filters kind, level, topic and q; a patch; a course in use keeps its kind" {
	as ulsa GET "/api/v1/courses?kind=degree&level=trung_cap"
	expect_status 200
	expect_json "[.items[].id] | index($K_TC) != null" true
	expect_json '[.items[] | select(.kind != "degree" or .level != "trung_cap")] | length' 0
	as ulsa GET "/api/v1/courses?topic=case_management"
	expect_json "[.items[].id] | index($K_SC) != null" true
	as ulsa GET "/api/v1/courses?q=quan%20ly%20truong%20hop%20thu%20${TAG,,}"
	expect_json '[.items[].id]' "[
  $K_SC
]"
	as ulsa GET "/api/v1/courses?kind=diploma"
	expect_problem 400 invalid-parameter kind
	as hr.dongthap PATCH "/api/v1/courses/$K_TITLE" '{"hours":240}'
	expect_problem 403 national-course
	as admin PATCH "/api/v1/courses/$K_TITLE" '{"hours":240}'
	expect_status 200
	expect_json .hours 240
	as admin PATCH "/api/v1/courses/$K_SC" '{"kind":"title_training","topic":null,"title_code":"V.09.04.03"}'
	expect_problem 409 course-in-use kind
}

# ----------------------------------------------------------------- partnerships

@test "partnerships: the province's officer records one; another province's officer is 403 out-of-scope" {
	as hr.dongthap GET "/api/v1/partnerships/$PA"
	expect_status 200
	expect_json .province_code 82
	expect_json .institution.code ULSA
	expect_json '.stats.years[0].year' 2023
	expect_json '.stats.years[0].seats_offered' 70
	local before
	before=$(count_sql "SELECT count(*) FROM training.partnerships")
	as hr.quangninh POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"QN/$TAG\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\"}"
	expect_problem 403 out-of-scope province_code
	[ "$(count_sql "SELECT count(*) FROM training.partnerships")" = "$before" ]
}

@test "partnerships: an institution-to-institution agreement belongs to the partner's province" {
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"partner_institution_id\":$DTCC,\"agreement_number\":\"LK/$TAG\",\"signed_on\":\"2023-05-10\",\"valid_from\":\"2023-06-01\",\"valid_until\":\"2026-12-31\",\"programmes\":[\"T8-TC-$TAG\"]}"
	expect_status 201
	expect_json .partner_institution.code DTCC
	expect_json .province_code null
	local id
	id=$(jq -r .id <<<"$body")
	as hr.dongthap GET "/api/v1/partnerships/$id"
	expect_status 200
	expect_json .stats.province_code 82
	as "$DTCC_LOGIN" GET "/api/v1/partnerships/$id"
	expect_status 200
	as "$DTCC_LOGIN" GET "/api/v1/partnerships/$PA"
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/partnerships/$id"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/partnerships/$PA"
	expect_problem 404 not-found
	as bcd.national GET "/api/v1/partnerships/$PA"
	expect_status 200
	as ulsa GET "/api/v1/partnerships?institution=$DTCC"
	expect_json "[.items[].id] | index($id) != null" true
	expect_json "[.items[] | select(.partner_institution_id != $DTCC and .institution_id != $DTCC)] | length" 0
	expect_json "[.items[].id] | index($PA)" null
}

@test "partnerships: bad input is 422 naming the field, a repeated number 409" {
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"agreement_number\":\"X/$TAG\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\"}"
	expect_problem 422 partner-required province_code
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"X/$TAG\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\",\"programmes\":[\"NOPE-$TAG\"]}"
	expect_problem 422 unknown-course programmes
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"X/$TAG\",\"signed_on\":\"2023-13-01\",\"valid_from\":\"2023-01-01\"}"
	expect_problem 422 invalid-date signed_on
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"82\",\"agreement_number\":\"X/$TAG\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\",\"seats_per_year\":-5}"
	expect_problem 422 out-of-range seats_per_year
	as admin POST /api/v1/partnerships "{\"institution_id\":$ULSA,\"province_code\":\"22\",\"agreement_number\":\"T8/$TAG/HĐ\",\"signed_on\":\"2023-01-01\",\"valid_from\":\"2023-01-01\"}"
	expect_problem 409 agreement-exists agreement_number
	expect_json .existing "/api/v1/partnerships/$PA"
}

@test "partnerships: the officer changes its own (audited); a registrar cannot" {
	as ulsa PATCH "/api/v1/partnerships/$PA" '{"seats_per_year":80}'
	expect_problem 403 forbidden
	as hr.quangninh PATCH "/api/v1/partnerships/$PA" '{"seats_per_year":80}'
	expect_problem 404 not-found
	as hr.dongthap PATCH "/api/v1/partnerships/$PA" '{"seats_per_year":80}'
	expect_status 200
	expect_json .seats_per_year 80
	as admin GET "/api/v1/audit?entity=partnership&entity_id=$PA"
	expect_json '.items[0].action' partnership.update
	expect_json '.items[0].after.seats_per_year' 80
}

# ----------------------------------------------------------------- cohorts

@test "cohorts: the host province's officer creates one; another province is 403, other readers 404" {
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_TC,\"institution_id\":$ULSA,\"province_code\":\"82\",\"partnership_id\":$PA,\"start_date\":\"2023-09-05\",\"end_date\":\"2025-08-30\",\"capacity\":70,\"modality\":\"part_time\",\"funding\":\"provincial_budget\"}"
	expect_status 201
	expect_json .status planned
	expect_json .seats_free 70
	expect_json .enrolments.total 0
	expect_json .course.kind degree
	local id
	id=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"province_code\":\"22\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 403 out-of-scope province_code
	as hr.quangninh GET "/api/v1/cohorts/$id"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/cohorts/$id"
	expect_problem 404 not-found
	as "$DTCC_LOGIN" GET "/api/v1/cohorts/$id"
	expect_problem 404 not-found
	as ulsa GET "/api/v1/cohorts/$id"
	expect_status 200
	as bcd.national GET "/api/v1/cohorts/$id"
	expect_status 200
	as hr.quangninh PATCH "/api/v1/cohorts/$id" '{"name":"Lớp lạ"}'
	expect_problem 404 not-found
	as admin GET "/api/v1/audit?entity=cohort&entity_id=$id"
	expect_json '.items[0].action' cohort.create
}

@test "cohorts: bad input is 422 naming the field" {
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"province_code\":\"82\",\"start_date\":\"2025-02-01\",\"end_date\":\"2025-01-01\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 end-before-start end_date
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"province_code\":\"82\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-02-01\",\"capacity\":6000,\"funding\":\"other\"}"
	expect_problem 422 out-of-range capacity
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"institution_id\":$TUU,\"province_code\":\"82\",\"partnership_id\":$PA,\"start_date\":\"2025-01-01\",\"end_date\":\"2025-02-01\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 partnership-mismatch partnership_id
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"province_code\":\"82\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-02-01\",\"capacity\":5}"
	expect_problem 422 required funding
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$K_SC,\"province_code\":\"82\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-02-01\",\"capacity\":5,\"funding\":\"other\",\"status\":\"completed\"}"
	expect_problem 422 invalid-initial-status status
	as hr.dongthap POST /api/v1/cohorts '{"course_id":"1"}'
	expect_422_field course_id
}

@test "cohorts: the status only moves forward (409 invalid-transition)" {
	new_cohort hr.dongthap "$K_SC" 5 planned
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"running"}'
	expect_problem 409 invalid-transition status
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"open"}'
	expect_status 200
	expect_json .status open
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"planned"}'
	expect_problem 409 invalid-transition status
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"cancelled"}'
	expect_status 200
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"name":"Lớp hủy"}'
	expect_problem 409 cohort-closed status
}

@test "cohorts: list filters province, course, institution, status, from and to" {
	as ulsa GET "/api/v1/cohorts?course=$K_SC&status=open&from=2025-01-10&to=2025-01-12"
	expect_status 200
	expect_json "[.items[].id] | index($H1) != null" true
	expect_json '[.items[] | select(.status != "open" or .course_id != '"$K_SC"')] | length' 0
	as admin GET "/api/v1/cohorts?province=82&institution=$ULSA&to=2024-12-31&course=$K_SC"
	expect_json "[.items[].id] | index($H1)" null
	as bcd.quangninh GET /api/v1/cohorts?province=82
	expect_problem 403 out-of-scope province
	as admin GET /api/v1/cohorts?from=2025-02-30
	expect_problem 400 invalid-parameter from
}

# ----------------------------------------------------------------- enrolments

@test "enrolments: one person (201, audited); a second time is 409 already-enrolled with the existing link" {
	new_person hr.dongthap
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments" "{\"person_id\":$pid}"
	expect_status 201
	expect_json .status planned
	expect_json .person_id "$pid"
	expect_json '.citizen_id | test("^•{9}[0-9]{3}$")' true
	local id
	id=$(jq -r .id <<<"$body")
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments" "{\"person_id\":$pid}"
	expect_problem 409 already-enrolled person_id
	expect_json .existing "/api/v1/enrolments/$id"
	as admin GET "/api/v1/audit?entity=enrolment&entity_id=$id"
	expect_json '.items | length' 1
	as ulsa GET "/api/v1/enrolments/$id"
	expect_status 200
	as ulsa GET "/api/v1/cohorts/$H1/enrolments?status=planned"
	expect_status 200
	expect_json "[.items[].id] | index($id) != null" true
}

@test "enrolments: an officer enrols only its province's people into its province's cohorts" {
	new_person hr.quangninh
	local qn=$pid
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments" "{\"person_id\":$qn}"
	expect_problem 422 unknown-person person_id
	as hr.quangninh POST "/api/v1/cohorts/$H1/enrolments" "{\"person_id\":$qn}"
	expect_problem 404 not-found
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments" '{"person_id":"12"}'
	expect_problem 422 invalid-number person_id
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments" '{"person_id":12,"grade":"A"}'
	expect_problem 422 unknown-field grade
	as hr.dongthap POST "/api/v1/cohorts/999999/enrolments" '{"person_id":12}'
	expect_problem 404 not-found
	[ "$(count_sql "SELECT count(*) FROM training.enrolments WHERE person_id = $qn")" = 0 ]
	as admin POST "/api/v1/cohorts/$H1/enrolments" "{\"person_id\":$qn}"
	expect_status 201
	local id
	id=$(jq -r .id <<<"$body")
	# The Quảng Ninh officer reads its person's enrolment but cannot change it.
	as hr.quangninh GET "/api/v1/enrolments/$id"
	expect_status 200
	as hr.quangninh PATCH "/api/v1/enrolments/$id" '{"status":"withdrawn"}'
	expect_problem 403 out-of-scope
	as bcd.quangninh GET "/api/v1/enrolments/$id"
	expect_status 200
	as "$DTCC_LOGIN" GET "/api/v1/enrolments/$id"
	expect_problem 404 not-found
}

@test "capacity: a full cohort is 409 cohort-full; withdrawing frees the seat; coming back needs one" {
	new_cohort hr.dongthap "$K_SC" 2
	local a b c ea
	new_person hr.dongthap; a=$pid
	new_person hr.dongthap; b=$pid
	new_person hr.dongthap; c=$pid
	enrol "$hid" "$a" planned; ea=$eid
	enrol "$hid" "$b"
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments" "{\"person_id\":$c}" -H 'Accept-Language: en'
	expect_problem 409 cohort-full person_id
	expect_json .detail "The cohort is full: 0 seats free (capacity 2), 1 needed."
	[ "$(count_sql "SELECT count(*) FROM training.enrolments WHERE cohort_id = $hid")" = 2 ]
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"capacity":1}'
	expect_problem 409 capacity-below-enrolments capacity
	as hr.dongthap PATCH "/api/v1/enrolments/$ea" '{"status":"withdrawn"}'
	expect_status 200
	as hr.dongthap GET "/api/v1/cohorts/$hid"
	expect_json .seats_free 1
	expect_json .enrolments.withdrawn 1
	enrol "$hid" "$c"
	as hr.dongthap PATCH "/api/v1/enrolments/$ea" '{"status":"enrolled"}'
	expect_problem 409 cohort-full status
	[ "$(count_sql "SELECT status FROM training.enrolments WHERE id = $ea")" = withdrawn ]
}

@test "bulk from ids: each person answered; over capacity the whole batch is 409 and nothing written" {
	new_cohort hr.dongthap "$K_SC" 3
	local a b c d qn
	new_person hr.dongthap; a=$pid
	new_person hr.dongthap; b=$pid
	new_person hr.dongthap; c=$pid
	new_person hr.dongthap; d=$pid
	new_person hr.quangninh; qn=$pid
	enrol "$hid" "$a"
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" "{\"person_ids\":[$b,$c,$d]}" -H 'Accept-Language: en'
	expect_problem 409 cohort-full person_ids
	expect_json .detail "The cohort is full: 2 seats free (capacity 3), 3 needed."
	[ "$(count_sql "SELECT count(*) FROM training.enrolments WHERE cohort_id = $hid")" = 1 ] ||
	    fail_with "a refused batch enrolled someone"
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" "{\"person_ids\":[$a,$b,$qn,$c,$b],\"status\":\"enrolled\"}"
	expect_status 200
	expect_json '[.results[].outcome] | join(",")' "already-enrolled,enrolled,refused,enrolled"
	expect_json '.results[2].code' unknown-person
	expect_json .enrolled 2
	expect_json .already_enrolled 1
	expect_json .refused 1
	expect_json .seats_free 0
	[ "$(count_sql "SELECT count(*) FROM training.enrolments WHERE cohort_id = $hid AND status = 'enrolled'")" = 3 ]
}

@test "bulk from a filter: a commune's untrained collaborators" {
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"UBND xã thử $TAG\",\"kind\":\"commune_committee\",\"commune_code\":\"$C82A\"}"
	expect_status 201
	local w a b c t
	w=$(jq -r .id <<<"$body")
	new_person hr.dongthap; a=$pid
	new_person hr.dongthap; b=$pid
	new_person hr.dongthap; c=$pid
	new_person hr.dongthap; t=$pid
	for p in $a $b $t; do
		as hr.dongthap POST /api/v1/assignments "{\"person_id\":$p,\"work_unit_id\":$w,\"category\":\"collaborator\",\"fte\":0.5,\"start_date\":\"2021-01-01\"}"
		expect_status 201 || return 1
	done
	as hr.dongthap POST /api/v1/assignments "{\"person_id\":$c,\"work_unit_id\":$w,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2021-01-01\"}"
	expect_status 201
	# t has completed a course that counts as social-work training.
	new_cohort hr.dongthap "$K_SC" 5 running
	enrol "$hid" "$t"
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed","completed_on":"2025-04-01"}'
	expect_status 200
	new_cohort hr.dongthap "$K_SC" 10
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" "{\"filter\":{\"commune_code\":\"$C82A\",\"category\":\"collaborator\",\"untrained\":true}}"
	expect_status 200
	expect_json '[.results[].person_id] | sort' "$(jq -n --argjson a "$a" --argjson b "$b" '[$a, $b] | sort')"
	expect_json '[.results[].outcome] | unique' '[
  "enrolled"
]'
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" "{\"filter\":{\"work_unit_id\":$w}}"
	expect_status 200
	expect_json .enrolled 2
	expect_json .already_enrolled 2
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" '{"filter":{"commune_code":"99999"}}'
	expect_problem 422 unknown-commune filter.commune_code
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" '{"filter":{}}'
	expect_problem 422 empty-filter filter
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" "{\"person_ids\":[$a],\"filter\":{\"untrained\":true}}"
	expect_problem 422 required person_ids
	as hr.dongthap POST "/api/v1/cohorts/$hid/enrolments/bulk" '{"person_ids":"1,2"}'
	expect_problem 422 invalid-type person_ids
}

# ----------------------------------------------------------------- completion

@test "completing a short course answers its credential and records a certificate that counts" {
	new_cohort hr.dongthap "$K_SC" 5 running
	new_person hr.dongthap
	enrol "$hid" "$pid"
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed","hours_attended":38.5,"result":"Đạt"}'
	expect_status 200
	expect_json .status completed
	expect_json .completed_on 2025-06-30
	expect_json '.credential_id | test("^[0-9a-f-]{36}$")' true
	local cred
	cred=$(jq -r .credential_id <<<"$body")
	[ "$(count_sql "SELECT enrolment_id FROM training.credentials WHERE id = '$cred'")" = "$eid" ] ||
	    fail_with "credential $cred is not the enrolment's"
	[ "$(count_sql "SELECT kind || ' ' || counts_as_sw_training FROM training.certificates WHERE enrolment_id = $eid")" = "course true" ]
	as hr.dongthap GET "/api/v1/enrolments/$eid"
	expect_json .credential_id "$cred"
	expect_json '.certificate_id | type' number
}

@test "completing a degree course records the qualification and raises the highest qualification" {
	new_cohort hr.dongthap "$K_TC" 5 running 82 ulsa
	new_person hr.dongthap
	enrol "$hid" "$pid"
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed","completed_on":"2025-06-30"}'
	expect_status 200
	# ULSA teaches it: nothing is awarded before its registrar confirms.
	expect_json .confirmation awaiting
	expect_json .qualification_id null
	expect_json .credential_id null
	as ulsa POST "/api/v1/cohorts/$hid/confirmations" "{\"enrolment_ids\":[$eid]}"
	expect_status 200
	expect_json .confirmed 1
	expect_json '.items[0].credential_id | type' string
	expect_json 'has("_sign")' false
	as hr.dongthap GET "/api/v1/enrolments/$eid"
	expect_json .confirmation confirmed
	expect_json '.qualification_id | type' number
	expect_json '.credential_id | type' string
	as hr.dongthap GET "/api/v1/people/$pid"
	expect_json .highest_qualification trung_cap
	[ "$(count_sql "SELECT level || ' ' || source FROM training.qualifications WHERE enrolment_id = $eid")" = "trung_cap enrolment" ]
}

@test "completing a title-training course records a title-training certificate" {
	new_cohort hr.quangninh "$K_TITLE" 5 running 22
	new_person hr.quangninh
	as hr.quangninh POST "/api/v1/cohorts/$hid/enrolments" "{\"person_id\":$pid,\"status\":\"enrolled\"}"
	expect_status 201
	eid=$(jq -r .id <<<"$body")
	as hr.quangninh PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	expect_status 200
	expect_json '.credential_id | type' string
	[ "$(count_sql "SELECT kind || ' ' || title_code FROM training.certificates WHERE enrolment_id = $eid")" = "title_training V.09.04.02" ]
}

@test "a completion corrected to failed revokes the credential and removes the certificate" {
	new_cohort hr.dongthap "$K_SC" 5 running
	new_person hr.dongthap
	enrol "$hid" "$pid"
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	expect_status 200
	local cred
	cred=$(jq -r .credential_id <<<"$body")
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"failed","result":"Không đạt"}'
	expect_status 200
	expect_json .status failed
	expect_json .credential_id null
	expect_json .certificate_id null
	[ "$(count_sql "SELECT revoked_at IS NOT NULL FROM training.credentials WHERE id = '$cred'")" = t ] ||
	    fail_with "the credential was not revoked"
}

@test "enrolment moves: 409 invalid-transition, cohort-not-running, and 422 for bad fields" {
	new_cohort hr.dongthap "$K_SC" 5 open
	new_person hr.dongthap
	enrol "$hid" "$pid" planned
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	expect_problem 409 invalid-transition status
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"enrolled"}'
	expect_status 200
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	expect_problem 409 cohort-not-running status
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"hours_attended":"ten"}'
	expect_problem 422 invalid-number hours_attended
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"graduated"}'
	expect_problem 422 invalid-code status
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"completed_on":"2025-04-01"}'
	expect_problem 422 not-completed completed_on
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{}'
	expect_problem 422 empty-patch
	as hr.dongthap PATCH /api/v1/enrolments/999999999 '{"status":"enrolled"}'
	expect_problem 404 not-found
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"running"}'
	as hr.dongthap PATCH "/api/v1/cohorts/$hid" '{"status":"completed"}' -H 'Accept-Language: en'
	expect_problem 409 enrolments-unsettled status
	expect_json .detail "1 enrolments are still planned or enrolled; record their results or withdraw them before completing the cohort."
}

@test "malformed JSON is 400, a body that is not an object 400, the wrong method 405" {
	as hr.dongthap POST /api/v1/cohorts '{"course_id": '
	expect_problem 400 malformed-json
	as hr.dongthap POST "/api/v1/cohorts/$H1/enrolments/bulk" '[1,2]'
	expect_problem 400 json-object-required
	as hr.dongthap DELETE "/api/v1/cohorts/$H1"
	expect_status 405
	expect_header allow 'GET, PATCH'
	as hr.dongthap GET "/api/v1/cohorts/$H1/enrolments/bulk"
	expect_status 405
}

# ----------------------------------------------------------------- issuers (issue 12, items 2 and 9)

@test "issuers: an officer cannot name a university as teacher without an active partnership of its province" {
	before=$(count_sql "SELECT count(*) FROM training.cohorts")
	as hr.quangninh POST /api/v1/courses "{\"code\":\"T8-FAKE-$TAG\",\"name\":\"Cử nhân giả\",\"kind\":\"degree\",\"level\":\"dai_hoc\",\"field\":\"social_work\",\"hours\":10}"
	expect_problem 403 degree-national kind
	as hr.quangninh POST /api/v1/cohorts "{\"course_id\":$K_TC,\"institution_id\":$ULSA,\"province_code\":\"22\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 partnership-required partnership_id
	# Another province's partnership answers exactly as one that does not exist.
	as hr.quangninh POST /api/v1/cohorts "{\"course_id\":$K_SC,\"partnership_id\":$PA,\"province_code\":\"22\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 unknown-partnership partnership_id
	local theirs=$body
	as hr.quangninh POST /api/v1/cohorts "{\"course_id\":$K_SC,\"partnership_id\":999999999,\"province_code\":\"22\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 unknown-partnership partnership_id
	[ "$(jq -S 'del(.instance)' <<<"$theirs")" = "$(jq -S 'del(.instance)' <<<"$body")" ] ||
	    fail_with "an out-of-scope partnership is told apart from a missing one"
	as hr.dongthap PATCH "/api/v1/cohorts/$H1" '{"partnership_id":999999999}'
	expect_problem 422 unknown-partnership partnership_id
	[ "$(count_sql "SELECT count(*) FROM training.cohorts")" = "$before" ]
}

@test "issuers: the national catalogue is the admin's, a province's own course its officers'" {
	as hr.quangninh PATCH "/api/v1/courses/$K_SC" '{"counts_as_sw_training":false}'
	expect_problem 403 national-course
	as hr.quangninh POST /api/v1/courses "{\"code\":\"T8-QN-$TAG\",\"name\":\"Khóa riêng Quảng Ninh\",\"kind\":\"short_course\",\"topic\":\"other\",\"hours\":8}"
	expect_status 201
	expect_json .province_code 22
	local k
	k=$(jq -r .id <<<"$body")
	as hr.dongthap PATCH "/api/v1/courses/$k" '{"hours":80}'
	expect_problem 403 out-of-scope
	as hr.quangninh PATCH "/api/v1/courses/$k" '{"hours":12}'
	expect_status 200
	as hr.dongthap POST /api/v1/cohorts "{\"course_id\":$k,\"province_code\":\"82\",\"start_date\":\"2025-01-01\",\"end_date\":\"2025-01-02\",\"capacity\":5,\"funding\":\"other\"}"
	expect_problem 422 course-of-another-province course_id
	[ "$(count_sql "SELECT counts_as_sw_training FROM training.courses WHERE id = $K_SC")" = t ]
}

@test "issuers: ULSA's class: the officer's completion waits, ULSA confirms, /verify names ULSA; the department's own class names the department" {
	new_cohort hr.dongthap "$K_SC" 5 running 82 ulsa
	local h=$hid e1 e2
	new_person hr.dongthap
	enrol "$h" "$pid"
	e1=$eid
	new_person hr.dongthap
	enrol "$h" "$pid"
	e2=$eid
	as hr.dongthap PATCH "/api/v1/enrolments/$e1" '{"status":"completed"}'
	expect_json .credential_id null
	as hr.dongthap PATCH "/api/v1/enrolments/$e2" '{"status":"completed"}'
	expect_json .confirmation awaiting
	as hr.dongthap POST "/api/v1/cohorts/$h/confirmations" '{}'
	expect_problem 403 forbidden
	as "$DTCC_LOGIN" POST "/api/v1/cohorts/$h/confirmations" '{}'
	expect_problem 404 not-found
	as ulsa POST "/api/v1/cohorts/$h/confirmations" '{"enrolment_ids":"all"}'
	expect_problem 422 invalid-type enrolment_ids
	as ulsa POST "/api/v1/cohorts/$h/confirmations" '{}'
	expect_status 200
	expect_json .confirmed 2
	local cred
	cred=$(jq -r '.items[0].credential_id' <<<"$body")
	curl -s "$BASE_URL/verify/$cred" >"$BATS_TEST_TMPDIR/v.json"
	[ "$(jq -r .valid "$BATS_TEST_TMPDIR/v.json")" = true ] || fail_with "not valid: $(cat "$BATS_TEST_TMPDIR/v.json")"
	[ "$(jq -r .issuer.code "$BATS_TEST_TMPDIR/v.json")" = ULSA ] || fail_with "issuer: $(cat "$BATS_TEST_TMPDIR/v.json")"
	# What ULSA confirmed the officer neither corrects nor revokes.
	as hr.dongthap PATCH "/api/v1/enrolments/$e1" '{"result":"Giỏi"}'
	expect_problem 409 completion-confirmed status
	as hr.dongthap POST "/api/v1/credentials/$cred/revoke" '{"reason":"Thử thu hồi"}'
	expect_problem 403 not-issuer
	# The department's own class: issued at once, in its name.
	new_cohort hr.dongthap "$K_SC" 5 running
	new_person hr.dongthap
	enrol "$hid" "$pid"
	as hr.dongthap PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	cred=$(jq -r .credential_id <<<"$body")
	curl -s "$BASE_URL/verify/$cred" >"$BATS_TEST_TMPDIR/v.json"
	[ "$(jq -r .issuer.name "$BATS_TEST_TMPDIR/v.json")" = "Sở Y tế tỉnh Đồng Tháp" ] ||
	    fail_with "issuer: $(cat "$BATS_TEST_TMPDIR/v.json")"
	as hr.dongthap POST "/api/v1/credentials/$cred/revoke" '{"reason":"Thử thu hồi"}'
	expect_status 200
}
