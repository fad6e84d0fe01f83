#!/usr/bin/env bats
# Who may do what on the workforce routes (work units, people, assignments,
# headcount, data quality, templates and imports): sign-in, the registrar
# refused everything, steering refused every write and held to its scope,
# officers held to their province (other provinces' records look absent),
# admins everywhere; CSRF for cookie writes and API tokens for scripts;
# and the request edge all these routes share (bodies, methods, paths).
# Every refusal is checked to have changed nothing.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	local c22 c82
	c22=$(communes 22 17 1)
	c82=$(communes 82 80 1)
	export C22 C82 CID_BASE=$(( RANDOM % 90 * 1000 ))
	C22=$c22
	C82=$c82
	# One unit, person, spell and import on each side.
	export W22 W82 P22 P82 A22 A82 I22 I82 CID22 CID82
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Đơn vị quyền 22\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22\",\"opened_on\":\"2000-01-01\"}"
	W22=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Đơn vị quyền 82\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82\",\"opened_on\":\"2000-01-01\"}"
	W82=$(jq -r .id <<<"$body")
	CID22=$(cid)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Người Quyền Hai Hai\",\"citizen_id\":\"$CID22\",\"sex\":\"male\",\"birth_date\":\"1990-03-03\"}"
	P22=$(jq -r .id <<<"$body")
	CID82=$(cid)
	as hr.dongthap POST /api/v1/people "{\"full_name\":\"Người Quyền Tám Hai\",\"citizen_id\":\"$CID82\",\"sex\":\"male\",\"birth_date\":\"1990-03-03\"}"
	P82=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$P22,\"work_unit_id\":$W22,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	A22=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/assignments "{\"person_id\":$P82,\"work_unit_id\":$W82,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	A82=$(jq -r .id <<<"$body")
	export ONE_CID
	ONE_CID=$(cid)
	printf 'full_name,citizen_id,sex,birth_date\nNgười Nhập Thử,%s,male,1990-03-03\n' "$ONE_CID" >"$BATS_FILE_TMPDIR/one.csv"
	as hr.quangninh POST /api/v1/imports "" -H 'Content-Type: text/csv' --data-binary "@$BATS_FILE_TMPDIR/one.csv"
	I22=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/imports "" -H 'Content-Type: text/csv' --data-binary "@$BATS_FILE_TMPDIR/one.csv"
	I82=$(jq -r .id <<<"$body")
}

cid() {
	free_cid 6 1990 male
}

# call WHO METHOD PATH [JSON]: a request as WHO, or with no credential
# when WHO is "-". A file upload is written as @FILE in place of JSON.
call() {
	local who=$1 method=$2 path=$3 data=${4-}
	local args=()
	if [[ $data == @* ]]; then
		args=(-H 'Content-Type: text/csv' --data-binary "$data")
		data=""
	elif [ "$method" = POST ] && [ -z "$data" ]; then
		args=(-H 'Content-Length: 0')
	fi
	if [ "$who" = - ]; then
		req "$method" "$path" "$data" "${args[@]}"
	else
		as "$who" "$method" "$path" "$data" "${args[@]}"
	fi
}

# The writes, one a line: METHOD PATH [BODY]. Each body is valid, so
# only the caller's role or scope can refuse it.
writes() {
	cat <<EOF
POST /api/v1/work-units {"name":"Đơn vị lạ","kind":"shelter","commune_code":"$C22"}
PATCH /api/v1/work-units/$W22 {"name":"Đổi tên lạ"}
POST /api/v1/work-units/$W22/close {"closed_on":"2025-01-01"}
POST /api/v1/work-units/remap
POST /api/v1/people {"full_name":"Người Lạ","citizen_id":"022090999999","sex":"male","birth_date":"1990-01-01","province_code":"22"}
PATCH /api/v1/people/$P22 {"full_name":"Người Bị Sửa"}
POST /api/v1/people/$P22/transfer {"assignment_id":$A22,"end_date":"2024-12-31","work_unit_id":$W22,"category":"concurrent"}
POST /api/v1/assignments {"person_id":$P22,"work_unit_id":$W22,"category":"volunteer","fte":0.1,"start_date":"2024-01-01"}
PATCH /api/v1/assignments/$A22 {"end_date":"2024-12-31","end_reason":"dismissed"}
POST /api/v1/imports?commit=true&province=22 @$BATS_FILE_TMPDIR/one.csv
EOF
}

# The reads, one a line: METHOD PATH.
reads() {
	cat <<EOF
GET /api/v1/work-units
GET /api/v1/work-units/$W22
GET /api/v1/people
GET /api/v1/people?format=csv
GET /api/v1/people/$P22
GET /api/v1/people/$P22/history
GET /api/v1/assignments/$A22
GET /api/v1/headcount
GET /api/v1/data-quality/fte
GET /api/v1/imports/templates/people.csv
GET /api/v1/imports/templates/people.xlsx
GET /api/v1/imports/$I22
EOF
}

# Nothing the refused writes aimed at has changed.
unchanged() {
	as admin GET "/api/v1/work-units/$W22"
	expect_json '[.name, .closed_on] | join(",")' "Đơn vị quyền 22," || return 1
	as admin GET "/api/v1/people/$P22"
	expect_json .full_name "Người Quyền Hai Hai" || return 1
	expect_json .province_code 22 || return 1
	expect_json '[.assignments[] | [.id, .end_date] | join(" ")] | join(",")' "$A22 " || return 1
	[ "$(owner_sql "SELECT count(*) FROM hr.work_units WHERE name = 'Đơn vị lạ'")" = 0 ] ||
	    fail_with "a refused create wrote a unit"
	[ "$(owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id IN ('022090999999', '$ONE_CID')")" = 0 ] ||
	    fail_with "a refused create or import wrote a person"
}

@test "every workforce route needs a signed-in user: 401 unauthenticated" {
	local method path data
	while read -r method path data; do
		call - "$method" "$path" "$data"
		expect_problem 401 unauthenticated || { echo "anonymous $method $path" >&2; return 1; }
	done < <(writes; reads)
	unchanged
}

@test "a registrar is refused every workforce route, reads too: 403 forbidden" {
	local method path data
	while read -r method path data; do
		call ulsa "$method" "$path" "$data"
		expect_problem 403 forbidden || { echo "ulsa $method $path" >&2; return 1; }
	done < <(writes; reads)
	unchanged
}

@test "steering is refused every write: 403 forbidden, nothing changed" {
	local who method path data
	for who in bcd.quangninh bcd.national; do
		while read -r method path data; do
			call "$who" "$method" "$path" "$data"
			expect_problem 403 forbidden || { echo "$who $method $path" >&2; return 1; }
		done < <(writes)
	done
	unchanged
	as admin GET '/api/v1/audit?limit=200'
	expect_json '[.items[] | select(.actor_login | startswith("bcd.")) | select(.entity != "session" and .entity != "people")] | length' 0
}

@test "steering may not download templates or read imports" {
	local who
	for who in bcd.quangninh bcd.national; do
		as "$who" GET /api/v1/imports/templates/people.csv
		expect_problem 403 forbidden
		as "$who" GET /api/v1/imports/templates/people.xlsx
		expect_problem 403 forbidden
		as "$who" GET "/api/v1/imports/$I22"
		expect_problem 403 forbidden
	done
}

@test "provincial steering reads its own province, with citizen IDs masked" {
	as bcd.quangninh GET "/api/v1/work-units/$W22"
	expect_status 200
	as bcd.quangninh GET "/api/v1/people/$P22"
	expect_status 200
	expect_json .citizen_id "•••••••••${CID22: -3}"
	expect_json .citizen_id_masked true
	as bcd.quangninh GET "/api/v1/people/$P22/history"
	expect_status 200
	as bcd.quangninh GET "/api/v1/assignments/$A22"
	expect_status 200
	as bcd.quangninh GET '/api/v1/work-units?limit=500'
	expect_json '[.items[].province_code] | unique | join(",")' 22
	as bcd.quangninh GET '/api/v1/headcount'
	expect_json .province_code 22
	as bcd.quangninh GET '/api/v1/data-quality/fte'
	expect_status 200
}

@test "provincial steering gets 404 for another province's records and 403 for its lists" {
	as bcd.quangninh GET "/api/v1/work-units/$W82"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/people/$P82"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/people/$P82/history"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/assignments/$A82"
	expect_problem 404 not-found
	local path
	for path in work-units people headcount data-quality/fte; do
		as bcd.quangninh GET "/api/v1/$path?province=82"
		expect_problem 403 out-of-scope province
	done
}

@test "national steering reads every province, with citizen IDs masked" {
	as bcd.national GET "/api/v1/people/$P82"
	expect_status 200
	expect_json .citizen_id "•••••••••${CID82: -3}"
	as bcd.national GET "/api/v1/people/$P22"
	expect_json .citizen_id_masked true
	as bcd.national GET "/api/v1/work-units/$W82"
	expect_status 200
	as bcd.national GET "/api/v1/assignments/$A82"
	expect_status 200
	as bcd.national GET '/api/v1/headcount?province=82'
	expect_status 200
	expect_json .province_code 82
}

@test "an officer gets 404 for another province's unit, person, spell, history and import" {
	as hr.dongthap GET "/api/v1/work-units/$W22"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/people/$P22"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/people/$P22/history"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/assignments/$A22"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/imports/$I22"
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/people/$P82"
	expect_problem 404 not-found
	as hr.quangninh GET "/api/v1/imports/$I82"
	expect_problem 404 not-found
}

@test "an officer's writes on another province's records look absent (404) and change nothing" {
	as hr.dongthap PATCH "/api/v1/work-units/$W22" '{"name":"Đổi tên lạ"}'
	expect_problem 404 not-found
	as hr.dongthap POST "/api/v1/work-units/$W22/close" '{"closed_on":"2025-01-01"}'
	expect_problem 404 not-found
	as hr.dongthap PATCH "/api/v1/people/$P22" '{"full_name":"Người Bị Sửa"}'
	expect_problem 404 not-found
	as hr.dongthap POST "/api/v1/people/$P22/transfer" "{\"assignment_id\":$A22,\"end_date\":\"2024-12-31\",\"work_unit_id\":$W82}"
	expect_problem 404 not-found
	as hr.dongthap PATCH "/api/v1/assignments/$A22" '{"end_date":"2024-12-31","end_reason":"dismissed"}'
	expect_problem 404 not-found
	unchanged
}

@test "an officer cannot create records in another province" {
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Đơn vị lạ\",\"kind\":\"shelter\",\"commune_code\":\"$C22\"}"
	expect_problem 403 out-of-scope commune_code
	as hr.dongthap POST /api/v1/people '{"full_name":"Người Lạ","citizen_id":"022090999999","sex":"male","birth_date":"1990-01-01","province_code":"22"}'
	expect_problem 403 out-of-scope province_code
	# Another province's person or unit is no person or unit at all.
	as hr.dongthap POST /api/v1/assignments "{\"person_id\":$P22,\"work_unit_id\":$W82,\"category\":\"volunteer\",\"fte\":0.1,\"start_date\":\"2024-01-01\"}"
	expect_problem 422 unknown-person person_id
	as hr.dongthap POST /api/v1/assignments "{\"person_id\":$P82,\"work_unit_id\":$W22,\"category\":\"volunteer\",\"fte\":0.1,\"start_date\":\"2024-01-01\"}"
	expect_problem 422 unknown-work-unit work_unit_id
	as hr.dongthap POST '/api/v1/imports?province=22&commit=true' "" -H 'Content-Type: text/csv' --data-binary "@$BATS_FILE_TMPDIR/one.csv"
	expect_problem 403 out-of-scope
	unchanged
	as hr.dongthap GET "/api/v1/people/$P82"
	expect_json '.assignments | length' 1
}

@test "an officer asking for another province's lists is 403 out-of-scope" {
	local path
	for path in work-units people headcount data-quality/fte; do
		as hr.dongthap GET "/api/v1/$path?province=22"
		expect_problem 403 out-of-scope province
	done
	as hr.dongthap GET '/api/v1/people?format=xlsx&province=22'
	expect_problem 403 out-of-scope province
}

@test "an officer reads and writes their own province" {
	as hr.quangninh GET "/api/v1/work-units/$W22"
	expect_status 200
	as hr.quangninh GET "/api/v1/people/$P22"
	expect_status 200
	expect_json .citizen_id "$CID22"
	as hr.quangninh GET "/api/v1/assignments/$A22"
	expect_status 200
	as hr.quangninh GET "/api/v1/imports/$I22"
	expect_status 200
	as hr.quangninh PATCH "/api/v1/people/$P22" '{"ethnicity":"Kinh"}'
	expect_status 200
	as hr.quangninh PATCH "/api/v1/people/$P22" '{"ethnicity":null}'
	expect_status 200
}

@test "an admin reads and writes every province and sees full IDs" {
	as admin GET "/api/v1/people/$P82"
	expect_status 200
	expect_json .citizen_id "$CID82"
	as admin GET "/api/v1/imports/$I82"
	expect_status 200
	as admin GET '/api/v1/work-units?province=82&limit=500'
	expect_json "[.items[].id] | index($W82) != null" true
	as admin PATCH "/api/v1/work-units/$W82" '{"sector":"social_protection"}'
	expect_status 200
	as admin GET '/api/v1/headcount?province=82'
	expect_json .province_code 82
	as admin GET '/api/v1/data-quality/fte'
	expect_status 200
}

@test "only an admin may remap work units" {
	local who
	for who in hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		as "$who" POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
		expect_problem 403 forbidden
	done
	as admin POST /api/v1/work-units/remap "" -H 'Content-Length: 0'
	expect_status 200
	expect_json '.moved | type' number
	expect_json '.needs_manual_move | type' array
}

@test "cookie writes without this site's Origin are 403 csrf and change nothing" {
	req POST /api/v1/people '{"full_name":"Người Lạ","citizen_id":"022090999999","sex":"male","birth_date":"1990-01-01"}' \
	    -b "$(jar hr.quangninh)"
	expect_problem 403 csrf
	req PATCH "/api/v1/work-units/$W22" '{"name":"Đổi tên lạ"}' -b "$(jar hr.quangninh)" -H 'Origin: https://evil.example'
	expect_problem 403 csrf
	req POST '/api/v1/imports?commit=true' "" -b "$(jar hr.quangninh)" \
	    -H 'Content-Type: text/csv' --data-binary "@$BATS_FILE_TMPDIR/one.csv"
	expect_problem 403 csrf
	unchanged
}

@test "an officer's API token works without an Origin; a registrar's is refused" {
	local me token token_id
	me=$(id_where admin /api/v1/users login hr.quangninh)
	as admin POST "/api/v1/users/$me/tokens" '{"name":"workforce script"}'
	expect_status 201
	token=$(jq -r .token <<<"$body")
	token_id=$(jq -r .id <<<"$body")
	bearer "$token" GET "/api/v1/people/$P22"
	expect_status 200
	expect_json .citizen_id "$CID22"
	bearer "$token" PATCH "/api/v1/people/$P22" '{"phone":"0911555666"}'
	expect_status 200
	as admin GET "/api/v1/audit?entity=person&entity_id=$P22"
	expect_json '[.items[] | select(.action == "person.update")][0].via' "token:$token_id"
	bearer "$token" POST /api/v1/imports "" -H 'Content-Type: text/csv' --data-binary "@$BATS_FILE_TMPDIR/one.csv"
	expect_status 200
	expect_json .province_code 22
	bearer "$token" GET "/api/v1/people/$P82"
	expect_problem 404 not-found
	as hr.quangninh PATCH "/api/v1/people/$P22" '{"phone":null}'
	local ulsa
	ulsa=$(id_where admin /api/v1/users login ulsa)
	as admin POST "/api/v1/users/$ulsa/tokens" '{"name":"ulsa workforce"}'
	bearer "$(jq -r .token <<<"$body")" GET /api/v1/people
	expect_problem 403 forbidden
}

@test "every JSON write refuses malformed, non-UTF-8, non-object, untyped, empty bodies and unknown fields" {
	local method path bad="$BATS_TEST_TMPDIR/bad.json"
	printf '{"name":"\xff\xfe"}' >"$bad"
	while read -r method path; do
		as admin "$method" "$path" '{"name": '
		expect_problem 400 malformed-json || { echo "$method $path" >&2; return 1; }
		as admin "$method" "$path" "" -H 'Content-Type: application/json' --data-binary "@$bad"
		expect_problem 400 malformed-json || { echo "bad UTF-8: $method $path" >&2; return 1; }
		as admin "$method" "$path" '[1, 2]'
		expect_problem 400 json-object-required || { echo "$method $path" >&2; return 1; }
		as admin "$method" "$path" "" -H 'Content-Type: text/plain' --data-binary '{}'
		expect_problem 415 unsupported-media-type || { echo "$method $path" >&2; return 1; }
		as admin "$method" "$path" "" -H 'Content-Type: application/json' --data-binary ''
		expect_problem 400 body-required || { echo "$method $path" >&2; return 1; }
		as admin "$method" "$path" '{"favourite_colour":"blue"}'
		expect_problem 422 unknown-field favourite_colour || { echo "$method $path" >&2; return 1; }
	done <<EOF
POST /api/v1/work-units
PATCH /api/v1/work-units/$W22
POST /api/v1/work-units/$W22/close
POST /api/v1/people
PATCH /api/v1/people/$P22
POST /api/v1/people/$P22/transfer
POST /api/v1/assignments
PATCH /api/v1/assignments/$A22
EOF
	unchanged
}

@test "methods a route does not offer are 405 with an Allow header" {
	local line method path allow
	while read -r method path allow; do
		as admin "$method" "$path" "" -H 'Content-Length: 0'
		expect_problem 405 method-not-allowed || { echo "$method $path" >&2; return 1; }
		expect_header allow "^${allow//_/ }$"
	done <<EOF
PUT /api/v1/work-units GET,_POST
DELETE /api/v1/work-units/$W22 GET,_PATCH
GET /api/v1/work-units/$W22/close POST
GET /api/v1/work-units/remap POST
DELETE /api/v1/people/$P22 GET,_PATCH
POST /api/v1/people/$P22/history GET
GET /api/v1/people/$P22/transfer POST
GET /api/v1/assignments POST
DELETE /api/v1/assignments/$A22 GET,_PATCH
POST /api/v1/headcount GET
POST /api/v1/data-quality/fte GET
GET /api/v1/imports POST
DELETE /api/v1/imports/$I22 GET
POST /api/v1/imports/templates/people.csv GET
EOF
}

@test "paths that are not workforce resources are 404 no-route" {
	local path
	for path in /api/v1/work-units/abc /api/v1/work-units/1/open /api/v1/people/abc \
	    /api/v1/people/1/notes /api/v1/assignments/x /api/v1/imports/abc \
	    /api/v1/imports/templates/people.pdf /api/v1/imports/templates/units.csv; do
		as admin GET "$path"
		expect_problem 404 no-route || { echo "$path" >&2; return 1; }
	done
}
