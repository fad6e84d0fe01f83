#!/usr/bin/env bats
# The HTTP edge every route shares: health, unknown paths and methods,
# request bodies, query parameters, problem+json in two languages.

load helpers

setup_file() {
	login admin
}

@test "GET /healthz answers 200 with the database up and needs no login" {
	req GET /healthz
	expect_status 200
	expect_header content-type '^application/json'
	expect_json .status ok
	expect_json .database ok
	expect_json '.version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")' true
}

@test "GET /healthz ignores credentials: stale cookies and bad tokens still get 200" {
	# A well-formed cookie of no live session, as a browser keeps after
	# its session expired.
	req GET /healthz "" -b "ctxh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" --max-time 3
	[ "$status_code" != 000 ] || fail_with "no answer within 3 s"
	expect_status 200
	expect_json .database ok
	req GET /healthz "" -b "ctxh_session=garbage" --max-time 3
	expect_status 200
	req GET /healthz "" -H "Authorization: Bearer ctxh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" --max-time 3
	expect_status 200
}

@test "GET /api/v1/openapi.json serves the API description" {
	req GET /api/v1/openapi.json
	expect_status 200
	expect_header content-type '^application/json'
	expect_json '.openapi | startswith("3.")' true
}

@test "unknown paths are problem+json 404 no-route, never HTML" {
	for path in / /api/v1/nope /api/v1/users/abc /api/v1/provinces/abc /api/v1/communes/123; do
		req GET "$path"
		expect_problem 404 no-route
	done
}

@test "a wrong method is 405 method-not-allowed with an Allow header" {
	as admin PUT /api/v1/users '{}'
	expect_problem 405 method-not-allowed
	expect_header allow '^GET, POST$'
	req GET /api/v1/session
	expect_problem 405 method-not-allowed
	expect_header allow '^POST, DELETE$'
	req DELETE /api/v1/me
	expect_problem 405 method-not-allowed
	expect_header allow '^GET$'
	req POST /healthz "" -H 'Content-Length: 0'
	expect_problem 405 method-not-allowed
	expect_header allow '^GET$'
}

@test "a JSON body over 64 KiB is 413 body-too-large" {
	local big="$BATS_TEST_TMPDIR/big.json"
	jq -nc --arg s "$(head -c 70000 /dev/zero | tr '\0' a)" \
	    '{login: "big-body", display_name: $s, role: "admin"}' >"$big"
	as admin POST /api/v1/users "" -H 'Content-Type: application/json' --data-binary "@$big"
	expect_problem 413 body-too-large
	as admin GET '/api/v1/users?q=big-body'
	expect_json '.items | length' 0
}

@test "a login body over 4 KiB is 413 too" {
	req POST /api/v1/session "$(jq -nc --arg p "$(head -c 5000 /dev/zero | tr '\0' a)" '{login: "admin", password: $p}')"
	expect_problem 413 body-too-large
}

@test "a body that is not application/json is 415" {
	as admin POST /api/v1/users "" -H 'Content-Type: text/plain' --data-binary '{"login":"x"}'
	expect_problem 415 unsupported-media-type
}

@test "the media type is parsed, not prefix-matched: application/jsonx is 415 (issue 12 item 17)" {
	local ctype
	for ctype in application/jsonx application/json-patch+json 'application/json/x' \
	    'application/json; charset=latin1' 'application/json; charset' \
	    'application/json; =x' 'application/json x' 'application/json; a=b c' \
	    'application/json; a="open'; do
		as admin POST /api/v1/users "" -H "Content-Type: $ctype" \
		    --data-binary '{"login":"ctype-x","display_name":"X","role":"steering"}'
		expect_problem 415 unsupported-media-type || fail_with "'$ctype' accepted"
		req POST /api/v1/session "" -H "Content-Type: $ctype" \
		    --data-binary '{"login":"admin","password":"demo-2026"}'
		expect_problem 415 unsupported-media-type || fail_with "sign-in with '$ctype' accepted"
	done
	as admin GET '/api/v1/users?q=ctype-x'
	expect_json '.items | length' 0
}

@test "application/json is accepted in any case, with charset=utf-8 and other parameters" {
	local ctype
	for ctype in 'Application/JSON' 'application/json;charset=UTF-8' \
	    'application/json ; charset="utf-8"' 'application/json; charset=utf-8; v=1'; do
		req POST /api/v1/session "" -H "Content-Type: $ctype" \
		    --data-binary '{"login":"admin","password":"demo-2026"}'
		expect_status 200 || fail_with "'$ctype' refused"
	done
}

@test "malformed JSON is 400 malformed-json" {
	as admin POST /api/v1/users '{"login": '
	expect_problem 400 malformed-json
}

@test "JSON with a duplicated key is refused as malformed" {
	as admin POST /api/v1/users '{"login":"dup-a","login":"dup-b","display_name":"D","role":"admin"}'
	expect_problem 400 malformed-json
}

@test "JSON that is not an object is 400" {
	as admin POST /api/v1/users '["login"]'
	expect_problem 400 json-object-required
	as admin POST /api/v1/users '"text"'
	expect_status 400
	expect_header content-type '^application/problem\+json'
}

@test "JSON with invalid UTF-8 is 400" {
	printf '{"login":"utf-bad","display_name":"\xff\xfe","role":"admin"}' >"$BATS_TEST_TMPDIR/bad.json"
	as admin POST /api/v1/users "" -H 'Content-Type: application/json' --data-binary "@$BATS_TEST_TMPDIR/bad.json"
	expect_problem 400 malformed-json
	as admin GET '/api/v1/users?q=utf-bad'
	expect_json '.items | length' 0
}

@test "a write with no body is 400 body-required" {
	as admin POST /api/v1/users "" -H 'Content-Type: application/json' --data-binary ''
	expect_problem 400 body-required
}

@test "an unknown body field is 422 unknown-field naming it" {
	as admin POST /api/v1/users '{"login":"unk-field","display_name":"U","role":"admin","shoe_size":42}'
	expect_problem 422 unknown-field shoe_size
}

@test "a field of the wrong type is 422 invalid-type naming it" {
	as admin POST /api/v1/users '{"login":5,"display_name":"U","role":"admin"}'
	expect_problem 422 invalid-type login
	as admin POST /api/v1/users '{"login":"wrong-type","display_name":"U","role":"registrar","institution_id":"1"}'
	expect_problem 422 invalid-type institution_id
}

@test "a string with an escaped NUL is refused and nothing is created" {
	as admin POST /api/v1/users '{"login":"nul-name","display_name":"a\u0000b","role":"admin"}'
	expect_status 400
	expect_header content-type '^application/problem\+json'
	as admin GET '/api/v1/users?q=nul-name'
	expect_json '.items | length' 0
}

@test "a missing required field is 422 required naming it" {
	as admin POST /api/v1/users '{"display_name":"No login","role":"admin"}'
	expect_problem 422 required login
}

@test "\\u escapes in JSON strings are decoded (Nguy\\u1ec5n is stored as Nguyễn)" {
	local who="esc-$RANDOM$RANDOM"
	as admin POST /api/v1/users "{\"login\":\"$who\",\"display_name\":\"Nguy\\u1ec5n V\\u0103n A\",\"role\":\"steering\"}"
	expect_status 201
	expect_json .display_name "Nguyễn Văn A"
	as admin GET "/api/v1/users/$(jq -r .id <<<"$body")"
	expect_json .display_name "Nguyễn Văn A"
}

@test "problems are Vietnamese by default and English with Accept-Language: en" {
	req GET /api/v1/nope
	expect_problem 404 no-route
	expect_json .title "Không tìm thấy"
	expect_json .detail "Không có tài nguyên nào ở địa chỉ này."
	expect_header content-language '^vi$'
	req GET /api/v1/nope "" -H 'Accept-Language: en-GB,en;q=0.8'
	expect_problem 404 no-route
	expect_json .title "Not found"
	expect_json .detail "There is no resource at this address."
	expect_header content-language '^en$'
}

@test "database refusals are translated too" {
	as admin POST /api/v1/users '{"login":"en-check","display_name":"E","role":"hr_officer"}' -H 'Accept-Language: en'
	expect_problem 422 scope-required province_code
	expect_json .title "Unprocessable content"
	expect_json .detail "An hr_officer needs a province_code."
	as admin POST /api/v1/users '{"login":"en-check","display_name":"E","role":"hr_officer"}'
	expect_problem 422 scope-required province_code
	expect_json .title "Dữ liệu không hợp lệ"
}

@test "an impossible as_of date is 400 invalid-parameter as_of" {
	as admin GET '/api/v1/provinces?as_of=2024-02-30'
	expect_problem 400 invalid-parameter as_of
	as admin GET '/api/v1/communes/09856?as_of=24-01-01'
	expect_problem 400 invalid-parameter as_of
}

@test "limit=0, limit=abc and a limit over the maximum are 400 invalid-parameter limit" {
	for q in limit=0 limit=abc limit=-1 limit=101; do
		as admin GET "/api/v1/provinces?$q"
		expect_problem 400 invalid-parameter limit
	done
	as admin GET '/api/v1/users?limit=501'
	expect_problem 400 invalid-parameter limit
}

@test "a cursor that is not base64url is 400 invalid-parameter cursor" {
	as admin GET '/api/v1/users?cursor=!!'
	expect_problem 400 invalid-parameter cursor
	as admin GET '/api/v1/provinces/22/communes?cursor=%25%25'
	expect_problem 400 invalid-parameter cursor
}

@test "a base64url cursor that decodes to nothing valid is 400 bad-cursor" {
	as admin GET '/api/v1/provinces?cursor=abcd'
	expect_problem 400 bad-cursor cursor
}

@test "a cursor from another list is 400 bad-cursor, not a silent first page" {
	as admin GET '/api/v1/provinces?limit=2'
	local cursor
	cursor=$(jq -r .next_cursor <<<"$body")
	as admin GET "/api/v1/users?cursor=$cursor"
	expect_problem 400 bad-cursor cursor
	as admin GET "/api/v1/audit?cursor=$cursor"
	expect_problem 400 bad-cursor cursor
}

@test "responses are never cached and never sniffed" {
	as admin GET /api/v1/me
	expect_status 200
	expect_header cache-control '^no-store$'
	expect_header x-content-type-options '^nosniff$'
	req GET /api/v1/nope
	expect_header cache-control '^no-store$'
}
