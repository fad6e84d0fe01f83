#!/usr/bin/env bats
# The role matrix: every admin-only route refuses each non-admin demo role
# with 403 forbidden (writes carry this site's Origin, so the refusal is
# the role's, not CSRF's), and a refused write changes nothing.

load helpers

NON_ADMINS="hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa"

setup_file() {
	local who
	login admin
	for who in $NON_ADMINS; do
		login "$who"
	done
	new_user steering
	export TARGET_ID=$new_id TARGET_LOGIN=$new_login TARGET_PASSWORD=$new_password
	as admin POST "/api/v1/users/$TARGET_ID/tokens" '{"name":"target"}'
	export TARGET_TOKEN TARGET_TOKEN_ID
	TARGET_TOKEN=$(jq -r .token <<<"$body")
	TARGET_TOKEN_ID=$(jq -r .id <<<"$body")
}

# refused_to_all METHOD PATH [JSON]: 403 forbidden for every non-admin.
refused_to_all() {
	local who
	for who in $NON_ADMINS; do
		as "$who" "$@"
		expect_problem 403 forbidden || { echo "as $who: $*" >&2; return 1; }
	done
}

@test "GET /users is admin-only" {
	refused_to_all GET /api/v1/users
}

@test "POST /users is admin-only and creates nothing" {
	refused_to_all POST /api/v1/users '{"login":"role-made","display_name":"R","role":"admin"}'
	as admin GET '/api/v1/users?q=role-made'
	expect_json '.items | length' 0
}

@test "PATCH /users/{id} is admin-only and changes nothing" {
	refused_to_all PATCH "/api/v1/users/$TARGET_ID" '{"display_name":"Hijacked","disabled":true}'
	as admin GET "/api/v1/users/$TARGET_ID"
	expect_json .display_name "Test $TARGET_LOGIN"
	expect_json .disabled false
}

@test "a non-admin cannot raise their own role" {
	local me
	me=$(id_where admin /api/v1/users login hr.dongthap)
	as hr.dongthap PATCH "/api/v1/users/$me" '{"role":"admin"}'
	expect_problem 403 forbidden
	as hr.dongthap GET /api/v1/me
	expect_json .role hr_officer
}

@test "POST /users/{id}/password is admin-only; the password stays" {
	refused_to_all POST "/api/v1/users/$TARGET_ID/password" '{"password":"taken-over-1"}'
	login "$TARGET_LOGIN" "$TARGET_PASSWORD"
}

@test "GET /users/{id}/tokens is admin-only" {
	refused_to_all GET "/api/v1/users/$TARGET_ID/tokens"
}

@test "POST /users/{id}/tokens is admin-only and issues nothing" {
	refused_to_all POST "/api/v1/users/$TARGET_ID/tokens" '{"name":"stolen"}'
	as admin GET "/api/v1/users/$TARGET_ID/tokens"
	expect_json '.items | length' 1
}

@test "DELETE /tokens/{id} is admin-only; the token keeps working" {
	refused_to_all DELETE "/api/v1/tokens/$TARGET_TOKEN_ID"
	bearer "$TARGET_TOKEN" GET /api/v1/me
	expect_status 200
}

@test "GET /lineage/unresolved is admin-only" {
	refused_to_all GET /api/v1/lineage/unresolved
}

@test "POST /lineage is admin-only and links nothing" {
	refused_to_all POST /api/v1/lineage '{"old_code":"09841","new_code":"07012"}'
	as admin GET /api/v1/communes/09841
	expect_json '[.became[].code] | index("07012")' null
}

@test "GET /audit is admin-only" {
	refused_to_all GET /api/v1/audit
}

@test "GET /audit/verify is admin-only" {
	refused_to_all GET /api/v1/audit/verify
}

@test "steering can write nothing" {
	local who
	for who in bcd.national bcd.quangninh; do
		as "$who" POST /api/v1/users '{"login":"steer-made","display_name":"S","role":"steering"}'
		expect_problem 403 forbidden
		as "$who" PATCH "/api/v1/users/$TARGET_ID" '{"display_name":"Steered"}'
		expect_problem 403 forbidden
		as "$who" POST "/api/v1/users/$TARGET_ID/password" '{}'
		expect_problem 403 forbidden
		as "$who" POST "/api/v1/users/$TARGET_ID/tokens" '{"name":"s"}'
		expect_problem 403 forbidden
		as "$who" DELETE "/api/v1/tokens/$TARGET_TOKEN_ID"
		expect_problem 403 forbidden
		as "$who" POST /api/v1/lineage '{"old_code":"09841","new_code":"07012"}'
		expect_problem 403 forbidden
	done
	as admin GET '/api/v1/audit?limit=50'
	expect_json '[.items[] | select(.actor_login == "bcd.national" or .actor_login == "bcd.quangninh") | select(.entity != "session")] | length' 0
}

@test "a non-admin's API token is refused admin routes just the same" {
	local ulsa_id
	ulsa_id=$(id_where admin /api/v1/users login ulsa)
	as admin POST "/api/v1/users/$ulsa_id/tokens" '{"name":"ulsa script"}'
	local token
	token=$(jq -r .token <<<"$body")
	bearer "$token" GET /api/v1/users
	expect_problem 403 forbidden
	bearer "$token" POST /api/v1/users '{"login":"tok-made","display_name":"T","role":"admin"}'
	expect_problem 403 forbidden
	bearer "$token" GET /api/v1/audit
	expect_problem 403 forbidden
}

@test "every role may read itself, geography and its institutions" {
	local who
	for who in $NON_ADMINS; do
		as "$who" GET /api/v1/me
		expect_status 200
		expect_json .login "$who"
		as "$who" GET "/api/v1/users/$(jq -r .id <<<"$body")"
		expect_status 200
		as "$who" GET /api/v1/provinces/22/communes?limit=1
		expect_status 200
		as "$who" GET /api/v1/lineage/stats
		expect_status 200
		as "$who" GET /api/v1/institutions
		expect_status 200
	done
}
