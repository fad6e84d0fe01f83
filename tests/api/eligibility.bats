#!/usr/bin/env bats
# A person's training record over HTTP: reading it, the degrees,
# certificates and practice registrations officers record, what the
# record makes the person eligible for (the titles V.09.04.01/02/03 and
# practice registration by 12/9/6 months), how a registered graduate, a
# recorded certificate and a completed course change that, and the list
# of staff whose practice registration is due. Every route as every role,
# out-of-scope ids as 404, bad input as 422 naming the field, refusals
# that write nothing.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG ULSA U22 U82
	TAG=$(tr -dc 'A-Z' </dev/urandom | head -c 6)
	ULSA=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng CTXH đủ điều kiện\",\"kind\":\"commune_office\",\"commune_code\":\"$(communes 22 46 1)\",\"opened_on\":\"2000-01-01\"}"
	U22=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Trung tâm đủ điều kiện\",\"kind\":\"sw_centre\",\"commune_code\":\"$(communes 82 90 1)\",\"opened_on\":\"2000-01-01\"}"
	U82=$(jq -r .id <<<"$body")
	# A person of each province the access tests share.
	export P22 P82
	new_person hr.quangninh "Người Hồ Sơ Hai Hai"
	P22=$pid
	new_person hr.dongthap "Người Hồ Sơ Tám Hai"
	P82=$pid
}

cid() {
	free_cid 0 "${1:-1990}" "${2:-male}"
}

# new_person WHO NAME: a man born 1990-06-15 kept by WHO's province;
# sets pid.
new_person() {
	as "$1" POST /api/v1/people "{\"full_name\":\"$2\",\"citizen_id\":\"$(cid 1990 male)\",\"sex\":\"male\",\"birth_date\":\"1990-06-15\"}"
	[ "$status_code" = 201 ] || { echo "person: $status_code $body" >&2; return 1; }
	pid=$(jq -r .id <<<"$body")
}

# degree PERSON LEVEL FIELD: recorded by hr.quangninh.
degree() {
	as hr.quangninh POST "/api/v1/people/$1/qualifications" "{\"level\":\"$2\",\"field\":\"$3\",\"institution_name\":\"Trường Đại học Kinh tế Quốc dân\",\"awarded_on\":\"2015-06-30\"}"
	expect_status 201
}

# cert PERSON FIELDS: a certificate recorded by hr.quangninh; FIELDS is
# the JSON members after the issuer and date.
cert() {
	as hr.quangninh POST "/api/v1/people/$1/certificates" "{\"issuer_name\":\"Trung tâm Công tác xã hội tỉnh Quảng Ninh\",\"issued_on\":\"2025-03-01\",$2}"
	expect_status 201
}

# eligible PERSON TITLE: "true" or "false", read by hr.quangninh.
eligible() {
	as hr.quangninh GET "/api/v1/people/$1/eligibility"
	jq -r --arg t "$2" '.titles[] | select(.code == $t) | .eligible' <<<"$body"
}

# met PERSON TITLE CRITERION: the criterion's "met".
met() {
	as hr.quangninh GET "/api/v1/people/$1/eligibility"
	jq -r --arg t "$2" --arg c "$3" '.titles[] | select(.code == $t)
	    | .criteria[] | select(.name == $c) | .met' <<<"$body"
}

ready() {
	as hr.quangninh GET "/api/v1/people/$1/eligibility"
	jq -r .practice_registration.ready <<<"$body"
}

count_sql() {
	owner_sql "$1"
}

# due_item WHO PERSON [QUERY]: the person's item of WHO's due list (all
# pages), or nothing.
due_item() {
	local who=$1 person=$2 query=${3-} cursor="" page
	while :; do
		as "$who" GET "/api/v1/practice-registrations/due?limit=500${query:+&$query}${cursor:+&cursor=$cursor}"
		[ "$status_code" = 200 ] || { echo "due: $status_code $body" >&2; return 1; }
		page=$(jq -c --argjson p "$person" '.items[] | select(.person_id == $p)' <<<"$body")
		[ -n "$page" ] && { echo "$page"; return 0; }
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || return 0
	done
}

# ------------------------------------------------------------------ access

@test "every training-record route needs a signed-in user" {
	local path
	for path in "/api/v1/people/$P22/training" "/api/v1/people/$P22/eligibility" \
	    /api/v1/practice-registrations/due; do
		req GET "$path"
		expect_problem 401 unauthenticated || return 1
	done
	for path in qualifications certificates practice-registrations; do
		req POST "/api/v1/people/$P22/$path" '{}'
		expect_problem 401 unauthenticated || return 1
	done
	req PATCH /api/v1/practice-registrations/1 '{"status":"active"}'
	expect_problem 401 unauthenticated
}

@test "GET /people/{id}/training: the whole record, in the person's scope" {
	new_person hr.quangninh "Đào Văn Sổ"
	degree "$pid" dai_hoc social_work
	cert "$pid" '"kind":"course","name":"Kỹ năng quản lý trường hợp","hours":40,"counts_as_sw_training":true'
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-R1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-01-10\",\"expires_on\":\"2030-01-10\"}"
	expect_status 201
	local who
	for who in hr.quangninh bcd.quangninh bcd.national admin; do
		as "$who" GET "/api/v1/people/$pid/training"
		expect_status 200 || return 1
		expect_json .person_id "$pid" || return 1
		expect_json '[.qualifications, .certificates, .practice_registrations, .enrolments, .credentials] | map(length | tostring) | join(",")' "1,1,1,0,0" || return 1
	done
	expect_json '.qualifications[0].source' officer
	expect_json '.qualifications[0].institution_name' "Trường Đại học Kinh tế Quốc dân"
	expect_json '.certificates[0].counts_as_sw_training' true
	expect_json '.practice_registrations[0].number' "$TAG-R1"
	expect_json '.highest_qualification' dai_hoc
	as hr.dongthap GET "/api/v1/people/$pid/training"
	expect_problem 404 not-found
	as ulsa GET "/api/v1/people/$pid/training"
	expect_problem 403 forbidden
	as bcd.quangninh GET "/api/v1/people/$P82/training"
	expect_problem 404 not-found
	as hr.quangninh GET /api/v1/people/999999999/training
	expect_problem 404 not-found
}

# ------------------------------------------------------------------ writing

@test "POST /people/{id}/qualifications: 201 with no credential; others refused and nothing written" {
	local before
	new_person hr.quangninh "Tạ Văn Bằng"
	before=$(count_sql "SELECT count(*) FROM training.qualifications")
	as bcd.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_name":"Trường X","awarded_on":"2015-06-30"}'
	expect_problem 403 forbidden
	as ulsa POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_name":"Trường X","awarded_on":"2015-06-30"}'
	expect_problem 403 forbidden
	as hr.dongthap POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_name":"Trường X","awarded_on":"2015-06-30"}'
	expect_problem 404 not-found
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"field":"other","institution_name":"Trường X","awarded_on":"2015-06-30"}'
	expect_problem 422 required level
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" "{\"level\":\"dai_hoc\",\"field\":\"other\",\"institution_id\":$ULSA,\"institution_name\":\"Trường X\",\"awarded_on\":\"2015-06-30\"}"
	expect_problem 422 one-of institution_name
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","awarded_on":"2015-06-30"}'
	expect_problem 422 required institution_name
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_id":999999,"awarded_on":"2015-06-30"}'
	expect_problem 422 unknown-institution institution_id
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_name":"Trường X","awarded_on":"2099-06-30"}'
	expect_problem 422 future-date awarded_on
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" '{"level":"dai_hoc","field":"other","institution_name":"Trường X","awarded_on":"2015-06-30","source":"registrar"}'
	expect_problem 422 unknown-field source
	[ "$(count_sql "SELECT count(*) FROM training.qualifications")" = "$before" ] ||
	    fail_with "a refusal wrote a degree"
	as hr.quangninh POST "/api/v1/people/$pid/qualifications" "{\"level\":\"thac_si\",\"field\":\"psychology\",\"programme_code\":\"8310401\",\"institution_id\":$ULSA,\"awarded_on\":\"2018-06-30\",\"diploma_number\":\"$TAG-Q1\"}"
	expect_status 201
	expect_json .source officer
	expect_json .institution_name "Trường Đại học Lao động – Xã hội"
	[ "$(count_sql "SELECT count(*) FROM training.credentials WHERE person_id = $pid")" = 0 ] ||
	    fail_with "an officer's record issued a credential"
	as admin POST "/api/v1/people/$pid/qualifications" "{\"level\":\"thac_si\",\"field\":\"psychology\",\"institution_id\":$ULSA,\"awarded_on\":\"2018-06-30\",\"diploma_number\":\"$TAG-Q1\"}"
	expect_problem 409 diploma-exists diploma_number
	expect_json .existing "/api/v1/people/$pid/training"
	as admin GET "/api/v1/people/$pid"
	expect_json .highest_qualification thac_si
}

@test "POST /people/{id}/certificates: each kind with its own fields, 422 naming the field, 409 for the same one twice" {
	new_person hr.quangninh "Tạ Văn Chứng"
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"title_training","name":"Bồi dưỡng CTXH viên","issuer_name":"ULSA","issued_on":"2025-01-01"}'
	expect_problem 422 required title_code
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01","title_code":"V.09.04.02"}'
	expect_problem 422 not-applicable title_code
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01","practice_months":3}'
	expect_problem 422 not-applicable practice_months
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"practice_result","name":"Thực hành","issuer_name":"ULSA","issued_on":"2025-01-01","practice_months":121}'
	expect_problem 422 out-of-range practice_months
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01","counts_as_sw_training":"yes"}'
	expect_problem 422 invalid-type counts_as_sw_training
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issued_on":"2025-01-01"}'
	expect_problem 422 required issuer_name
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"diploma","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01"}'
	expect_problem 422 invalid-code kind
	[ "$(count_sql "SELECT count(*) FROM training.certificates WHERE person_id = $pid")" = 0 ] ||
	    fail_with "a refusal wrote a certificate"
	as hr.quangninh POST "/api/v1/people/$pid/certificates" "{\"kind\":\"title_training\",\"name\":\"Bồi dưỡng CTXH viên\",\"institution_id\":$ULSA,\"number\":\"$TAG-C1\",\"issued_on\":\"2025-01-01\",\"hours\":200,\"title_code\":\"V.09.04.02\"}"
	expect_status 201
	expect_json .title_code V.09.04.02
	expect_json .issuer_name "Trường Đại học Lao động – Xã hội"
	as hr.quangninh POST "/api/v1/people/$pid/certificates" "{\"kind\":\"title_training\",\"name\":\"Bồi dưỡng CTXH viên\",\"institution_id\":$ULSA,\"number\":\"$TAG-C1\",\"issued_on\":\"2025-01-01\",\"title_code\":\"V.09.04.02\"}"
	expect_problem 409 certificate-exists number
	as hr.quangninh POST "/api/v1/people/$pid/certificates" '{"kind":"practice_result","name":"Thực hành có giám sát","issuer_name":"Trung tâm CTXH","issued_on":"2025-02-01","practice_months":6.5}'
	expect_status 201
	expect_json .practice_months 6.5
	as bcd.national POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01"}'
	expect_problem 403 forbidden
	as hr.dongthap POST "/api/v1/people/$pid/certificates" '{"kind":"course","name":"Kỹ năng","issuer_name":"ULSA","issued_on":"2025-01-01"}'
	expect_problem 404 not-found
}

@test "practice registrations: recorded, numbers unique, renewed and suspended by PATCH, in the keeping province only" {
	local rid
	new_person hr.quangninh "Tạ Văn Hành"
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-P1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2024-10-01\"}"
	expect_problem 422 out-of-range issued_on
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-P1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-01-01\",\"expires_on\":\"2024-12-31\"}"
	expect_problem 422 expires-before-issued expires_on
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-P1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-01-01\",\"status\":\"lapsed\"}"
	expect_problem 422 invalid-code status
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-P1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-01-01\",\"expires_on\":\"2026-01-01\"}"
	expect_status 201
	expect_json .status active
	expect_json .expires_in_days "$(( ($(date -d 2026-01-01 +%s) - $(date -d "$(date +%F)" +%s)) / 86400 ))"
	rid=$(jq -r .id <<<"$body")
	as hr.quangninh POST "/api/v1/people/$P22/practice-registrations" "{\"number\":\"$TAG-P1\",\"issued_by\":\"Sở Y tế\",\"issued_on\":\"2025-01-01\"}"
	expect_problem 409 practice-registration-exists number
	expect_json .existing "/api/v1/people/$pid/training"
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"expires_on":"2031-01-01"}'
	expect_status 200
	expect_json .expires_on 2031-01-01
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"status":"suspended"}'
	expect_status 200
	expect_json .status suspended
	expect_json .expires_on 2031-01-01
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"expires_on":"2024-01-01"}'
	expect_problem 422 expires-before-issued expires_on
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{}'
	expect_problem 422 empty-patch
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"person_id":1}'
	expect_problem 422 unknown-field person_id
	as hr.dongthap PATCH "/api/v1/practice-registrations/$rid" '{"status":"active"}'
	expect_problem 404 not-found
	as bcd.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"status":"active"}'
	expect_problem 403 forbidden
	as ulsa PATCH "/api/v1/practice-registrations/$rid" '{"status":"active"}'
	expect_problem 403 forbidden
	as hr.quangninh GET "/api/v1/practice-registrations/$rid"
	expect_status 405
	[ "$(count_sql "SELECT status FROM training.practice_registrations WHERE id = $rid")" = suspended ] ||
	    fail_with "a refused patch changed the registration"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	jq -e '[.items[] | select(.action == "practice_registration.update" and .after.status == "suspended")] | length == 1' <<<"$body" >/dev/null ||
	    fail_with "the suspension is not audited"
}

# --------------------------------------------------------------- eligibility

@test "GET /people/{id}/eligibility has exactly the documented shape" {
	as hr.quangninh GET "/api/v1/people/$P22/eligibility"
	expect_status 200
	expect_json '[keys[]] | join(",")' "practice_registration,titles"
	expect_json '[.titles[].code] | join(",")' "V.09.04.01,V.09.04.02,V.09.04.03"
	expect_json '[.titles[] | keys | join(",")] | unique | join(";")' "code,criteria,eligible,name"
	expect_json '[.titles[].criteria[] | keys | join(",")] | unique | join(";")' "detail,met,name"
	expect_json '[.titles[].criteria | map(.name) | join(",")] | join(";")' \
	    "qualification_level,field,title_training;qualification_level,field,title_training;qualification_level,field"
	expect_json '.practice_registration | keys | join(",")' "certificate,criteria,deadline,ready,required"
	expect_json '.practice_registration.deadline' 2027-01-01
	expect_json '.practice_registration.criteria | map(.name) | join(",")' \
	    "qualification,supervised_practice,fitness_to_practise,no_prohibition"
	expect_json '[.titles[].eligible, .practice_registration.ready, .practice_registration.required] | map(type) | unique | join(",")' boolean
	as bcd.quangninh GET "/api/v1/people/$P22/eligibility"
	expect_status 200
	as hr.dongthap GET "/api/v1/people/$P22/eligibility"
	expect_problem 404 not-found
	as ulsa GET "/api/v1/people/$P22/eligibility"
	expect_problem 403 forbidden
}

@test "an economics bachelor is eligible only with a social-work certificate, and V.09.04.02 with its title training" {
	new_person hr.quangninh "Kinh Văn Tế"
	degree "$pid" dai_hoc other
	[ "$(met "$pid" V.09.04.02 qualification_level)" = true ] || fail_with "the level"
	[ "$(met "$pid" V.09.04.02 field)" = false ] || fail_with "the field is met without a certificate"
	[ "$(eligible "$pid" V.09.04.03)" = false ] || fail_with "V.09.04.03 without a certificate"
	cert "$pid" '"kind":"course","name":"Bồi dưỡng nghiệp vụ công tác xã hội","counts_as_sw_training":true'
	[ "$(met "$pid" V.09.04.02 field)" = true ] || fail_with "the certificate does not meet the field"
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	jq -e '.titles[1].criteria[1].detail | test("Bồi dưỡng nghiệp vụ công tác xã hội.* / .*social-work training certificate")' <<<"$body" >/dev/null ||
	    fail_with "the detail does not name the certificate in both languages"
	[ "$(eligible "$pid" V.09.04.03)" = true ] || fail_with "V.09.04.03"
	[ "$(eligible "$pid" V.09.04.02)" = false ] || fail_with "V.09.04.02 without title training"
	cert "$pid" '"kind":"title_training","name":"Bồi dưỡng CTXH viên","title_code":"V.09.04.02"'
	[ "$(eligible "$pid" V.09.04.02)" = true ] || fail_with "V.09.04.02 with title training"
	[ "$(eligible "$pid" V.09.04.01)" = false ] || fail_with "V.09.04.01 needs its own"
}

@test "a university's graduate in social work, taken by the province, becomes V.09.04.02 with title training" {
	local id
	id=$(cid 1999 female)
	as ulsa POST /api/v1/graduates "{\"full_name\":\"Lương Thị Sáu\",\"citizen_id\":\"$id\",\"birth_date\":\"1999-05-05\",\"sex\":\"female\",\"programme_code\":\"7760101\",\"level\":\"dai_hoc\",\"field\":\"social_work\",\"graduation_date\":\"2022-06-30\",\"diploma_number\":\"$TAG-G1\"}"
	expect_status 201
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lương Thị Sáu\",\"citizen_id\":\"$id\",\"sex\":\"female\",\"birth_date\":\"1999-05-05\"}"
	expect_status 201
	pid=$(jq -r .id <<<"$body")
	[ "$(met "$pid" V.09.04.02 field)" = true ] || fail_with "the field of a social-work degree"
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	jq -e '.titles[1].criteria[0].detail | test("Trường Đại học Lao động – Xã hội")' <<<"$body" >/dev/null ||
	    fail_with "the detail does not name the degree that meets the level"
	[ "$(eligible "$pid" V.09.04.02)" = false ] || fail_with "without title training"
	cert "$pid" '"kind":"title_training","name":"Bồi dưỡng CTXH viên chính","title_code":"V.09.04.01"'
	[ "$(eligible "$pid" V.09.04.02)" = true ] ||
	    fail_with "a V.09.04.01 title training counts for V.09.04.02"
	[ "$(eligible "$pid" V.09.04.01)" = true ] || fail_with "and for V.09.04.01"
}

@test "trung cấp in social work qualifies for V.09.04.03 only" {
	new_person hr.quangninh "Trung Văn Cấp"
	degree "$pid" trung_cap social_work
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	expect_json '[.titles[].eligible] | map(tostring) | join(",")' "false,false,true"
	expect_json '.titles[1].criteria[0].met' false
}

@test "completing a title-training course makes the title eligible" {
	local course cohort eid
	new_person hr.quangninh "Hoàn Văn Thành"
	degree "$pid" dai_hoc social_work
	[ "$(met "$pid" V.09.04.02 title_training)" = false ] || fail_with "title training before the course"
	as admin POST /api/v1/courses "{\"code\":\"EL-V2-$TAG\",\"name\":\"Bồi dưỡng chức danh CTXH viên $TAG\",\"kind\":\"title_training\",\"title_code\":\"V.09.04.02\",\"hours\":200}"
	expect_status 201
	course=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/cohorts "{\"course_id\":$course,\"province_code\":\"22\",\"start_date\":\"2025-09-01\",\"end_date\":\"2025-10-31\",\"capacity\":30,\"funding\":\"provincial_budget\",\"status\":\"running\"}"
	expect_status 201
	cohort=$(jq -r .id <<<"$body")
	as hr.quangninh POST "/api/v1/cohorts/$cohort/enrolments" "{\"person_id\":$pid,\"status\":\"enrolled\"}"
	expect_status 201
	eid=$(jq -r .id <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid/training"
	expect_json '.enrolments[0].course.title_code' V.09.04.02
	[ "$(eligible "$pid" V.09.04.02)" = false ] || fail_with "eligible while enrolled"
	as hr.quangninh PATCH "/api/v1/enrolments/$eid" '{"status":"completed"}'
	expect_status 200
	[ "$(met "$pid" V.09.04.02 title_training)" = true ] || fail_with "the completed course does not count"
	[ "$(eligible "$pid" V.09.04.02)" = true ] || fail_with "not eligible after completing"
}

# ------------------------------------------------------ practice registration

@test "practice registration: ready by supervised practice of 12 (bachelor), 9 (college) and 6 (trung cấp) months" {
	local bach col tc
	new_person hr.quangninh "Thực Văn Hành"
	bach=$pid
	degree "$bach" dai_hoc social_work
	cert "$bach" '"kind":"practice_result","name":"Thực hành có giám sát","practice_months":11'
	[ "$(ready "$bach")" = false ] || fail_with "11 months made a bachelor ready"
	as hr.quangninh GET "/api/v1/people/$bach/eligibility"
	expect_json '.practice_registration.criteria[1].detail | startswith("11/12 ")' true
	cert "$bach" '"kind":"practice_result","name":"Thực hành có giám sát (bổ sung)","practice_months":1'
	[ "$(ready "$bach")" = true ] || fail_with "12 months did not make a bachelor ready"
	as hr.quangninh GET "/api/v1/people/$bach/eligibility"
	expect_json '.practice_registration.criteria | map(.met | tostring) | join(",")' "true,true,null,null"
	new_person hr.quangninh "Thực Văn Cao"
	col=$pid
	degree "$col" cao_dang psychology
	cert "$col" '"kind":"practice_result","name":"Thực hành","practice_months":8'
	[ "$(ready "$col")" = false ] || fail_with "8 months made a college graduate ready"
	cert "$col" '"kind":"practice_result","name":"Thực hành 2","practice_months":1'
	[ "$(ready "$col")" = true ] || fail_with "9 months did not make a college graduate ready"
	new_person hr.quangninh "Thực Văn Trung"
	tc=$pid
	degree "$tc" trung_cap social_work
	cert "$tc" '"kind":"practice_result","name":"Thực hành","practice_months":6'
	[ "$(ready "$tc")" = true ] || fail_with "6 months did not make trung cấp ready"
	new_person hr.quangninh "Thực Văn Khác"
	degree "$pid" dai_hoc other
	cert "$pid" '"kind":"course","name":"Bồi dưỡng CTXH","counts_as_sw_training":true'
	cert "$pid" '"kind":"practice_result","name":"Thực hành","practice_months":24'
	[ "$(ready "$pid")" = false ] || fail_with "a degree in another field made the person ready"
}

@test "practice registration is required with an open professional or commune-post assignment, not a collaborator's" {
	new_person hr.quangninh "Cộng Văn Tác"
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$U22,\"category\":\"collaborator\",\"fte\":0.5,\"allowance_vnd\":2340000,\"start_date\":\"2024-01-01\"}"
	expect_status 201
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	expect_json .practice_registration.required false
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$U22,\"category\":\"commune_post\",\"fte\":0.5,\"start_date\":\"2024-01-01\"}"
	expect_status 201
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	expect_json .practice_registration.required true
	expect_json .practice_registration.certificate null
	as hr.quangninh POST "/api/v1/people/$pid/practice-registrations" "{\"number\":\"$TAG-P2\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-05-05\",\"expires_on\":\"2030-05-05\"}"
	as hr.quangninh GET "/api/v1/people/$pid/eligibility"
	expect_json .practice_registration.certificate.number "$TAG-P2"
	expect_json .practice_registration.certificate.status active
}

@test "GET /practice-registrations/due: missing, expiring, renewed, suspended; scoped to the province" {
	local a b item soon days
	soon=$(date -d '+30 days' +%F)
	days=$(( ($(date -d 2027-01-01 +%s) - $(date -d "$(date +%F)" +%s)) / 86400 ))
	new_person hr.quangninh "Hạn Văn Một"
	a=$pid
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$a,\"work_unit_id\":$U22,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2023-01-01\"}"
	expect_status 201
	new_person hr.dongthap "Hạn Văn Hai"
	b=$pid
	as hr.dongthap POST /api/v1/assignments "{\"person_id\":$b,\"work_unit_id\":$U82,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2023-01-01\"}"
	expect_status 201
	item=$(due_item hr.quangninh "$a")
	[ -n "$item" ] || fail_with "a professional without a registration is not due"
	body=$item
	expect_json .reason missing
	expect_json .days_left "$days"
	expect_json .due_on 2027-01-01
	expect_json '.citizen_id | test("^•{9}[0-9]{3}$")' true
	expect_json '.work_units | map(.work_unit_name) | join(",")' "Phòng CTXH đủ điều kiện"
	expect_json '.work_units[0].category' professional
	[ -z "$(due_item hr.quangninh "$b")" ] || fail_with "another province's person is in the list"
	[ -n "$(due_item hr.dongthap "$b")" ] || fail_with "Đồng Tháp does not see its own"
	[ -n "$(due_item bcd.quangninh "$a")" ] || fail_with "provincial steering does not see it"
	[ -n "$(due_item bcd.national "$a" province=22)" ] || fail_with "national steering does not see it"
	[ -n "$(due_item admin "$b")" ] || fail_with "the administrator does not see every province"
	# Registered, expiring in 30 days: due within 90, not within 10.
	as hr.quangninh POST "/api/v1/people/$a/practice-registrations" "{\"number\":\"$TAG-D1\",\"issued_by\":\"Sở Y tế Quảng Ninh\",\"issued_on\":\"2025-01-01\",\"expires_on\":\"$soon\"}"
	expect_status 201
	local rid
	rid=$(jq -r .id <<<"$body")
	body=$(due_item hr.quangninh "$a")
	expect_json .reason expiring
	expect_json .days_left 30
	expect_json .expires_on "$soon"
	expect_json .registration_number "$TAG-D1"
	[ -z "$(due_item hr.quangninh "$a" within=10)" ] || fail_with "due within 10 days"
	# Renewed: no longer due; suspended: due again.
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"expires_on":"2031-01-01"}'
	expect_status 200
	[ -z "$(due_item hr.quangninh "$a")" ] || fail_with "a renewed registration is due"
	as hr.quangninh PATCH "/api/v1/practice-registrations/$rid" '{"status":"suspended"}'
	body=$(due_item hr.quangninh "$a")
	expect_json .reason suspended
}

@test "GET /practice-registrations/due: roles, scope, parameters and paging" {
	as hr.quangninh GET "/api/v1/practice-registrations/due?province=82"
	expect_problem 403 out-of-scope province
	as bcd.quangninh GET "/api/v1/practice-registrations/due?province=82"
	expect_problem 403 out-of-scope province
	as ulsa GET /api/v1/practice-registrations/due
	expect_problem 403 forbidden
	as admin GET "/api/v1/practice-registrations/due?province=99"
	expect_problem 422 unknown-province province
	as hr.quangninh GET "/api/v1/practice-registrations/due?within=abc"
	expect_problem 400 invalid-parameter within
	as hr.quangninh GET "/api/v1/practice-registrations/due?within=5000"
	expect_problem 400 invalid-parameter within
	as hr.quangninh GET "/api/v1/practice-registrations/due?cursor=!!"
	expect_problem 400 invalid-parameter cursor
	as hr.quangninh GET "/api/v1/practice-registrations/due?limit=1"
	expect_status 200
	expect_json '.items | length' 1
	local first cursor
	first=$(jq -r '.items[0].person_id' <<<"$body")
	cursor=$(jq -r .next_cursor <<<"$body")
	[ "$cursor" != null ] || fail_with "one due person only: expected more"
	as hr.quangninh GET "/api/v1/practice-registrations/due?limit=1&cursor=$cursor"
	expect_status 200
	[ "$(jq -r '.items[0].person_id' <<<"$body")" != "$first" ] || fail_with "the second page repeats the first"
	as hr.quangninh POST /api/v1/practice-registrations/due '{}'
	expect_status 405
}
