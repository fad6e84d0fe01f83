#!/usr/bin/env bats
# Cross-site request forgery: a write carrying the session cookie must
# come from this site (Origin, or Sec-Fetch-Site: same-origin); bearer
# tokens are never sent by a browser on its own, so they need neither.

load helpers

setup_file() {
	login admin
}

# cookie_write METHOD PATH JSON [curl args]: admin's cookie, no Origin.
cookie_write() {
	local method=$1 path=$2 data=$3
	shift 3
	req "$method" "$path" "$data" -b "$(jar admin)" "$@"
}

@test "a cookie write without Origin is 403 csrf and changes nothing" {
	new_user steering
	cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Forged"}'
	expect_problem 403 csrf
	cookie_write POST /api/v1/users '{"login":"csrf-made","display_name":"Forged","role":"admin"}'
	expect_problem 403 csrf
	cookie_write POST "/api/v1/users/$new_id/password" '{"password":"forged-password"}'
	expect_problem 403 csrf
	as admin GET "/api/v1/users/$new_id"
	expect_json .display_name "Test $new_login"
	as admin GET '/api/v1/users?q=csrf-made'
	expect_json '.items | length' 0
	login "$new_login" "$new_password"
}

@test "a cookie DELETE without Origin is 403 csrf: the token stays valid" {
	new_user steering
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"keep"}'
	local token id
	token=$(jq -r .token <<<"$body")
	id=$(jq -r .id <<<"$body")
	cookie_write DELETE "/api/v1/tokens/$id" ""
	expect_problem 403 csrf
	bearer "$token" GET /api/v1/me
	expect_status 200
}

@test "a cookie write with this site's own Origin is allowed" {
	new_user steering
	cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Same site"}' -H "Origin: $BASE_URL"
	expect_status 200
	expect_json .display_name "Same site"
}

@test "a cookie write from a foreign or look-alike Origin is 403 csrf" {
	new_user steering
	local port=${BASE_URL##*:}
	for origin in http://evil.example "http://127.0.0.1:$port.evil.example" \
	    "http://127.0.0.1:$((port + 1))" "http://localhost:$port" null; do
		cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Forged"}' -H "Origin: $origin"
		expect_problem 403 csrf
	done
	as admin GET "/api/v1/users/$new_id"
	expect_json .display_name "Test $new_login"
}

@test "an Origin with the right host and port but another scheme is 403 csrf (issue 12 item 16)" {
	new_user steering
	local authority=${BASE_URL#http://}
	for origin in "https://$authority" "evil://$authority" "$authority" \
	    "://$authority" "http://$authority/" "http://user@$authority"; do
		cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Forged"}' -H "Origin: $origin"
		expect_problem 403 csrf || fail_with "Origin '$origin' passed"
		req POST /api/v1/session '{"login":"ulsa","password":"demo-2026"}' -H "Origin: $origin"
		expect_problem 403 csrf || fail_with "sign-in from Origin '$origin' passed"
	done
	as admin GET "/api/v1/users/$new_id"
	expect_json .display_name "Test $new_login"
}

@test "the Origin check is case-blind in scheme and host, as browsers are" {
	new_user steering
	local authority=${BASE_URL#http://}
	cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Upper"}' -H "Origin: HTTP://$authority"
	expect_status 200
}

@test "without Origin, Sec-Fetch-Site: same-origin passes and cross-site does not" {
	new_user steering
	cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Fetched"}' -H 'Sec-Fetch-Site: cross-site'
	expect_problem 403 csrf
	cookie_write PATCH "/api/v1/users/$new_id" '{"display_name":"Fetched"}' -H 'Sec-Fetch-Site: same-origin'
	expect_status 200
	expect_json .display_name Fetched
}

@test "signing out with the cookie needs this site's Origin too" {
	new_user steering
	login "$new_login" "$new_password"
	req DELETE /api/v1/session "" -b "$(jar "$new_login")"
	expect_problem 403 csrf
	as "$new_login" GET /api/v1/me
	expect_status 200
}

@test "cookie reads need no Origin" {
	req GET /api/v1/me "" -b "$(jar admin)"
	expect_status 200
	expect_json .login admin
}

@test "a bearer-token write needs no Origin" {
	new_user admin
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"script"}'
	local token
	token=$(jq -r .token <<<"$body")
	new_user steering
	bearer "$token" PATCH "/api/v1/users/$new_id" '{"display_name":"Scripted"}'
	expect_status 200
	expect_json .display_name Scripted
}

@test "a write without any credential is 401, not 403" {
	req POST /api/v1/users '{"login":"anon-made","display_name":"A","role":"admin"}' -H 'Origin: http://evil.example'
	expect_problem 401 unauthenticated
}
