#!/usr/bin/env bats
# API tokens: issued by an admin, shown once, used as bearer credentials,
# listed without their secret, revoked.

load helpers

setup_file() {
	login admin
}

# new_token USER_ID [NAME]: sets token and token_id.
new_token() {
	as admin POST "/api/v1/users/$1/tokens" "{\"name\":\"${2:-ci job}\"}"
	expect_status 201
	token=$(jq -r .token <<<"$body")
	token_id=$(jq -r .id <<<"$body")
}

@test "POST /users/{id}/tokens is 201 with a ctxh_ token shown once" {
	new_user steering
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"nightly import"}'
	expect_status 201
	expect_json '.token | test("^ctxh_[A-Za-z0-9_-]{43}$")' true
	expect_json .name "nightly import"
	expect_json .user_id "$new_id"
	expect_json .revoked false
	expect_json .last_used_at null
}

@test "the token list shows no secret, and last_used_at only once the token is used" {
	new_user steering
	new_token "$new_id" lister
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].id' "$token_id"
	expect_json '.items[0].name' lister
	expect_json '.items[0].last_used_at' null
	expect_json '.items[0] | has("token")' false
	[[ $body != *"${token#ctxh_}"* ]] || fail_with "the secret is listed"
	bearer "$token" GET /api/v1/me
	expect_status 200
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items[0].last_used_at != null' true
}

@test "Authorization: Bearer <token> authenticates as the token's user" {
	new_user hr_officer '"province_code":"82"'
	new_token "$new_id"
	bearer "$token" GET /api/v1/me
	expect_status 200
	expect_json .id "$new_id"
	expect_json .login "$new_login"
	bearer "$token" GET /api/v1/institutions
	expect_json '[.items[].code] | join(",")' DTCC
}

@test "a bearer-authenticated write works without an Origin header" {
	new_user admin
	new_token "$new_id"
	local who="via-token-$RANDOM$RANDOM"
	bearer "$token" POST /api/v1/users "{\"login\":\"$who\",\"display_name\":\"By token\",\"role\":\"steering\"}"
	expect_status 201
	expect_json .login "$who"
	as admin GET "/api/v1/users/$(jq -r .id <<<"$body")"
	expect_json .display_name "By token"
}

@test "DELETE /tokens/{id} revokes: the token gets 401 bad-token, and revoking again is 200" {
	new_user steering
	new_token "$new_id"
	bearer "$token" GET /api/v1/me
	expect_status 200
	as admin DELETE "/api/v1/tokens/$token_id"
	expect_status 200
	expect_json .revoked true
	local first=$body
	bearer "$token" GET /api/v1/me
	expect_problem 401 bad-token
	as admin DELETE "/api/v1/tokens/$token_id"
	expect_status 200
	expect_json .revoked true
	expect_json .revoked_at "$(jq -r .revoked_at <<<"$first")"
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items[0].revoked' true
}

@test "a malformed bearer credential is 401 bad-token with WWW-Authenticate" {
	for authz in 'Bearer abc' 'Bearer ctxh_short' 'Basic YWRtaW46ZGVtby0yMDI2' 'Bearer '; do
		req GET /api/v1/me "" -H "Authorization: $authz"
		expect_problem 401 bad-token
		expect_header www-authenticate '^Bearer'
	done
}

@test "a well-formed token that was never issued is 401 bad-token" {
	bearer ctxh_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA GET /api/v1/me
	expect_problem 401 bad-token
}

@test "a disabled user's token is 401 bad-token: disabling ended it" {
	new_user steering
	new_token "$new_id"
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	expect_status 200
	bearer "$token" GET /api/v1/me
	expect_problem 401 bad-token
}

@test "no token is issued to a disabled account" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"late"}'
	expect_problem 422 account-disabled user_id
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items | length' 0
}

@test "a token needs a name of 1 to 100 characters" {
	new_user steering
	as admin POST "/api/v1/users/$new_id/tokens" '{}'
	expect_problem 422 required name
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"   "}'
	expect_problem 422 invalid-name name
	as admin POST "/api/v1/users/$new_id/tokens" "{\"name\":\"$(printf 'n%.0s' {1..101})\"}"
	expect_problem 422 invalid-name name
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items | length' 0
}

@test "tokens of an unknown account are 404, and so is revoking an unknown token" {
	as admin GET /api/v1/users/999999999/tokens
	expect_problem 404 not-found
	as admin POST /api/v1/users/999999999/tokens '{"name":"x"}'
	expect_problem 404 not-found
	as admin DELETE /api/v1/tokens/999999999
	expect_problem 404 not-found
}

@test "signing out with a bearer token is 400 no-session" {
	new_user steering
	new_token "$new_id"
	bearer "$token" DELETE /api/v1/session
	expect_problem 400 no-session
	bearer "$token" GET /api/v1/me
	expect_status 200
}

@test "a token expires after 90 days by default, after expires_in_days when given, 365 at most (issue 12 item 19)" {
	new_user steering
	new_token "$new_id" default-life
	expect_json '.expires_at | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601 - now | . > 89.9 * 86400 and . < 90.1 * 86400' true
	expect_json .ended_reason null
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"short","expires_in_days":7}'
	expect_status 201
	expect_json '.expires_at | sub("\\.[0-9]+"; "") | sub("\\+00:00$"; "Z") | fromdateiso8601 - now | . > 6.9 * 86400 and . < 7.1 * 86400' true
	as admin POST "/api/v1/users/$new_id/tokens" '{"name":"year","expires_in_days":365}'
	expect_status 201
	local days
	for days in 366 0 -1 '"30"' 1.5; do
		as admin POST "/api/v1/users/$new_id/tokens" "{\"name\":\"too long\",\"expires_in_days\":$days}"
		[ "$status_code" = 422 ] || fail_with "expires_in_days $days: $status_code"
		expect_json .field expires_in_days
	done
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items | length' 3
}

@test "an expired token is 401 token-expired" {
	new_user steering
	new_token "$new_id" old
	bearer "$token" GET /api/v1/me
	expect_status 200
	owner_sql "UPDATE auth.tokens SET expires_at = now() - interval '1 second' WHERE id = $token_id"
	bearer "$token" GET /api/v1/me
	expect_problem 401 token-expired
}

@test "a password reset ends the account's tokens (issue 12 item 19)" {
	new_user steering
	new_token "$new_id" before-reset
	bearer "$token" GET /api/v1/me
	expect_status 200
	as admin POST "/api/v1/users/$new_id/password" '{"password":"a-new-password-42"}'
	expect_status 200
	bearer "$token" GET /api/v1/me
	expect_problem 401 bad-token
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items[0].revoked' true
	expect_json '.items[0].ended_reason' password_reset
	as admin GET "/api/v1/audit?entity=user&entity_id=$new_id"
	expect_json '[.items[] | select(.action == "password_reset") | .after.tokens_ended] | first' 1
}

@test "disabling an account ends its tokens for good: re-enabling does not revive them (issue 12 item 19)" {
	new_user steering
	new_token "$new_id" before-disable
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	expect_status 200
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":false}'
	expect_status 200
	bearer "$token" GET /api/v1/me
	expect_problem 401 bad-token
	as admin GET "/api/v1/users/$new_id/tokens"
	expect_json '.items[0].ended_reason' disabled
}
