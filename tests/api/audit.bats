#!/usr/bin/env bats
# The hash-chained audit log: what gets recorded, the filters, paging and
# verification of an intact chain (tampering is zy_audit_tamper.bats).

load helpers

setup_file() {
	login admin
}

@test "sign-ins and sign-outs are audited: login_failed, login, logout" {
	new_user steering
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"wrong-password\"}"
	expect_status 401
	login "$new_login" "$new_password"
	as "$new_login" DELETE /api/v1/session
	expect_status 200
	as admin GET "/api/v1/audit?actor=$new_id"
	expect_status 200
	expect_json '[.items[].action] | join(",")' logout,login,login_failed
	expect_json '[.items[].actor_login] | unique | join(",")' "$new_login"
	expect_json '.items[1].via' password
	expect_json '.items[1].entity' session
	expect_json '.items[1].after.ip | length > 0' true
	expect_json '.items[2].entity_id' null
	expect_json '.items[0].via | startswith("session:")' true
}

@test "a failed sign-in for an unknown login is counted for its address, not audited row by row" {
	local who="nobody-$RANDOM$RANDOM" addr=198.51.100.40
	req POST /api/v1/session "{\"login\":\"$who\",\"password\":\"wrong-password\"}" -H "X-Real-IP: $addr"
	expect_status 401
	as admin GET '/api/v1/audit?entity=session&limit=20'
	expect_json "[.items[] | select(.actor_login == \"$who\")] | length" 0
	[ "$(owner_sql "SELECT sum(unknown_failures) FROM auth.login_counts WHERE ip = '$addr'")" = 1 ] ||
	    fail_with "not counted"
}

@test "account creation is audited with its after-values and no password hash anywhere" {
	new_user hr_officer '"province_code":"22"'
	as admin GET "/api/v1/audit?entity=user&entity_id=$new_id"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].action' create
	expect_json '.items[0].actor_login' admin
	expect_json '.items[0].actor_role' admin
	expect_json '.items[0].before' null
	expect_json '.items[0].after.login' "$new_login"
	expect_json '.items[0].after.role' hr_officer
	expect_json '.items[0].after.province.code' 22
	expect_json '.items[0].via | test("^session:[0-9]+$")' true
	as admin POST "/api/v1/users/$new_id/password" '{}'
	expect_status 200
	as admin GET '/api/v1/audit?limit=500'
	[[ $body != *pbkdf2* && $body != *password_hash* ]] || fail_with "a password hash is in the log"
	expect_json '[.items[] | .after // {} | keys[]] | map(select(. == "password")) | length' 0
}

@test "a password reset is audited with the sessions it ended" {
	new_user steering
	login "$new_login" "$new_password"
	as admin POST "/api/v1/users/$new_id/password" '{"password":"another-password-9"}'
	expect_status 200
	as admin GET "/api/v1/audit?entity=user&entity_id=$new_id"
	expect_json '.items[0].action' password_reset
	expect_json '.items[0].after.sessions_ended' 1
}

@test "an update is audited with only the fields that changed" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{"display_name":"Renamed","role":"steering"}'
	expect_status 200
	as admin GET "/api/v1/audit?entity=user&entity_id=$new_id"
	expect_json '.items[0].action' update
	expect_json '.items[0].before | keys | join(",")' display_name
	expect_json '.items[0].before.display_name' "Test $new_login"
	expect_json '.items[0].after | keys | join(",")' display_name
	expect_json '.items[0].after.display_name' Renamed
}

@test "token-authenticated writes are audited with via token:<id>" {
	new_user admin
	local actor=$new_id
	as admin POST "/api/v1/users/$actor/tokens" '{"name":"auditor"}'
	expect_status 201
	local token token_id
	token=$(jq -r .token <<<"$body")
	token_id=$(jq -r .id <<<"$body")
	new_user steering
	bearer "$token" PATCH "/api/v1/users/$new_id" '{"display_name":"Token edit"}'
	expect_status 200
	as admin GET "/api/v1/audit?entity=user&entity_id=$new_id"
	expect_json '.items[0].action' update
	expect_json '.items[0].via' "token:$token_id"
	expect_json '.items[0].actor_id' "$actor"
	as admin GET "/api/v1/audit?entity=token&entity_id=$token_id"
	expect_json '.items[0].action' create
	[[ $body != *"${token#ctxh_}"* ]] || fail_with "the token secret is in the log"
}

@test "?actor= and ?entity= filter the log" {
	local me
	me=$(id_where admin /api/v1/users login admin)
	as admin GET "/api/v1/audit?actor=$me&limit=50"
	expect_status 200
	expect_json '.items | length > 0' true
	expect_json "[.items[].actor_id] | unique | join(\",\")" "$me"
	as admin GET '/api/v1/audit?entity=token&limit=50'
	expect_json '.items | length > 0' true
	expect_json '[.items[].entity] | unique | join(",")' token
}

@test "?from= and ?to= bound the time (dates or ISO 8601 with offset)" {
	as admin GET '/api/v1/audit?from=2199-01-01'
	expect_status 200
	expect_json '.items | length' 0
	as admin GET '/api/v1/audit?to=2000-01-01'
	expect_json '.items | length' 0
	as admin GET '/api/v1/audit?from=2000-01-01T00:00:00%2B07:00&to=2199-01-01T00:00:00Z&limit=5'
	expect_json '.items | length' 5
	local newest
	newest=$(jq -r '.items[0].at' <<<"$body")
	as admin GET "/api/v1/audit?from=$(jq -rn --arg t "$newest" '$t | @uri')&limit=500"
	expect_status 200
	expect_json '.items | length > 0' true
	[ "$(jq --arg t "$newest" '[.items[] | select(.at < $t)] | length' <<<"$body")" = 0 ] ||
	    fail_with "entries before $newest"
}

@test "malformed filters are 400 invalid-parameter naming them" {
	as admin GET '/api/v1/audit?actor=abc'
	expect_problem 400 invalid-parameter actor
	as admin GET '/api/v1/audit?from=yesterday'
	expect_problem 400 invalid-parameter from
	as admin GET '/api/v1/audit?to=2024-13-01'
	expect_problem 400 invalid-parameter to
	as admin GET '/api/v1/audit?from=2024-01-01T25:00:00Z'
	expect_problem 400 invalid-parameter from
	as admin GET '/api/v1/audit?limit=501'
	expect_problem 400 invalid-parameter limit
}

@test "the log is newest first and pages without repeats" {
	local cursor="" ids="" page
	for page in 1 2 3; do
		as admin GET "/api/v1/audit?limit=4${cursor:+&cursor=$cursor}"
		expect_status 200
		expect_json '.items | length' 4
		ids="$ids $(jq -r '[.items[].id] | join(" ")' <<<"$body")"
		cursor=$(jq -r .next_cursor <<<"$body")
	done
	local sorted
	sorted=$(tr ' ' '\n' <<<"$ids" | grep . | sort -rn -u | tr '\n' ' ')
	[ "$(echo $sorted)" = "$(echo $ids)" ] || fail_with "ids not strictly decreasing: $ids"
	expect_json '.items[0].hash | test("^[0-9a-f]{64}$")' true
}

@test "GET /audit/verify reports an intact chain" {
	as admin GET /api/v1/audit/verify
	expect_status 200
	expect_json .ok true
	expect_json '.rows > 0' true
	expect_json .first_bad_id null
}
