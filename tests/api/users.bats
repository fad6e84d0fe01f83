#!/usr/bin/env bats
# Accounts: listing, creating with scope rules, reading, patching,
# disabling and password resets (admin only; the role matrix is in
# roles.bats).

load helpers

setup_file() {
	login admin
	login hr.quangninh
}

# not_created LOGIN: no account has this login.
not_created() {
	as admin GET "/api/v1/users?q=$1"
	expect_status 200
	expect_json "[.items[] | select(.login == \"$1\")] | length" 0
}

@test "GET /api/v1/users lists accounts by login as {items, next_cursor}" {
	as admin GET /api/v1/users
	expect_status 200
	expect_json '.items | type' array
	expect_json 'has("next_cursor")' true
	expect_json '[.items[].login] == ([.items[].login] | sort)' true
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		expect_json "[.items[].login] | index(\"$who\") != null" true
	done
	expect_json '[.items[] | keys[]] | unique | map(select(test("hash|password$"))) | length' 0
}

@test "?q= finds accounts by login or display name, ignoring case and diacritics" {
	as admin GET '/api/v1/users?q=QUANGNINH'
	expect_status 200
	expect_json '[.items[].login] | sort | join(",")' bcd.quangninh,hr.quangninh
	as admin GET '/api/v1/users?q=Th%C3%A1p'
	expect_json '[.items[].login] | join(",")' hr.dongthap
	as admin GET '/api/v1/users?q=ban%20ch%E1%BB%89%20%C4%91%E1%BA%A1o'
	expect_json '[.items[].login] | sort | join(",")' bcd.national,bcd.quangninh
}

@test "?q= takes % and _ literally, not as wildcards" {
	as admin GET '/api/v1/users?q=%25'
	expect_status 200
	expect_json '.items | length' 0
	as admin GET '/api/v1/users?q=_'
	expect_json '[.items[].login | select(contains("_") | not)] | length' 0
}

@test "?role= keeps only accounts of that role; an unknown role is 400" {
	as admin GET '/api/v1/users?role=steering'
	expect_status 200
	expect_json '[.items[].role] | unique | join(",")' steering
	expect_json '[.items[].login] | index("bcd.national") != null' true
	as admin GET '/api/v1/users?role=superuser'
	expect_problem 400 invalid-parameter role
}

@test "paging with limit=2 walks every account exactly once" {
	as admin GET '/api/v1/users?limit=500'
	local all cursor="" seen="" pages=0
	all=$(jq -r '[.items[].login] | join(" ")' <<<"$body")
	while :; do
		as admin GET "/api/v1/users?limit=2${cursor:+&cursor=$cursor}"
		expect_status 200
		[ "$(jq '.items | length' <<<"$body")" -le 2 ] || fail_with "page too long"
		seen="$seen $(jq -r '[.items[].login] | join(" ")' <<<"$body")"
		pages=$((pages + 1))
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
	seen=$(echo $seen)
	[ "$seen" = "$all" ] || fail_with "walked '$seen', expected '$all'"
	[ "$pages" -ge 3 ]
}

@test "creating an account without a password returns a generated one once, and it signs in" {
	local who="gen-$RANDOM$RANDOM"
	as admin POST /api/v1/users "{\"login\":\"$who\",\"display_name\":\"Generated\",\"role\":\"steering\"}"
	expect_status 201
	expect_header content-type '^application/json'
	expect_json .login "$who"
	expect_json '.password | type == "string" and length >= 16' true
	local pw id
	pw=$(jq -r .password <<<"$body")
	id=$(jq -r .id <<<"$body")
	as admin GET "/api/v1/users/$id"
	expect_json 'has("password")' false
	login "$who" "$pw"
	expect_json .id "$id"
}

@test "creating an account with a password does not echo it, and that password signs in" {
	new_user steering
	expect_json 'has("password")' false
	expect_json .role steering
	expect_json .province null
	expect_json .disabled false
	login "$new_login" "$new_password"
	expect_json .login "$new_login"
}

@test "an hr_officer is created with its province and a registrar with its institution" {
	new_user hr_officer '"province_code":"82"'
	expect_json .province.code 82
	expect_json .province.name "Đồng Tháp"
	expect_json .institution null
	local ussh
	ussh=$(id_where admin /api/v1/institutions code USSH-VNU)
	new_user registrar "\"institution_id\":$ussh"
	expect_json .institution.code USSH-VNU
	expect_json .province null
}

@test "an hr_officer without province_code is 422 scope-required province_code" {
	as admin POST /api/v1/users '{"login":"scope-hr","display_name":"S","role":"hr_officer"}'
	expect_problem 422 scope-required province_code
	not_created scope-hr
}

@test "an admin with a province_code is 422 scope-not-allowed province_code" {
	as admin POST /api/v1/users '{"login":"scope-admin","display_name":"S","role":"admin","province_code":"22"}'
	expect_problem 422 scope-not-allowed province_code
	not_created scope-admin
}

@test "an unknown (99) or pre-reform (77) province is 422 unknown-province" {
	as admin POST /api/v1/users '{"login":"scope-99","display_name":"S","role":"hr_officer","province_code":"99"}'
	expect_problem 422 unknown-province province_code
	as admin POST /api/v1/users '{"login":"scope-99","display_name":"S","role":"steering","province_code":"77"}'
	expect_problem 422 unknown-province province_code
	not_created scope-99
}

@test "a registrar needs an existing institution_id" {
	as admin POST /api/v1/users '{"login":"scope-reg","display_name":"S","role":"registrar"}'
	expect_problem 422 scope-required institution_id
	as admin POST /api/v1/users '{"login":"scope-reg","display_name":"S","role":"registrar","institution_id":99999}'
	expect_problem 422 unknown-institution institution_id
	not_created scope-reg
}

@test "only a registrar takes an institution_id" {
	as admin POST /api/v1/users '{"login":"scope-inst","display_name":"S","role":"steering","institution_id":1}'
	expect_problem 422 scope-not-allowed institution_id
	not_created scope-inst
}

@test "a bad role, login or display name is 422 naming the field" {
	as admin POST /api/v1/users '{"login":"bad-role","display_name":"B","role":"root"}'
	expect_problem 422 invalid-role role
	as admin POST /api/v1/users '{"login":"Bad Login","display_name":"B","role":"admin"}'
	expect_problem 422 invalid-login login
	as admin POST /api/v1/users '{"login":"ab","display_name":"B","role":"admin"}'
	expect_problem 422 invalid-login login
	as admin POST /api/v1/users '{"login":"blank-name","display_name":"   ","role":"admin"}'
	expect_problem 422 invalid-display-name display_name
	not_created blank-name
}

@test "a duplicate login is 409 login-taken field login" {
	as admin POST /api/v1/users '{"login":"hr.quangninh","display_name":"Again","role":"admin"}'
	expect_problem 409 login-taken login
	as admin GET '/api/v1/users?q=hr.quangninh'
	expect_json '.items[0].display_name' "Cán bộ nhân sự Quảng Ninh"
}

@test "a weak password on creation is 422 weak-password" {
	as admin POST /api/v1/users '{"login":"weak-pw","display_name":"W","role":"admin","password":"short"}'
	expect_problem 422 weak-password password
	not_created weak-pw
}

@test "GET /api/v1/users/{id}: admin reads any account, an unknown id is 404" {
	local id
	id=$(id_where admin /api/v1/users login ulsa)
	as admin GET "/api/v1/users/$id"
	expect_status 200
	expect_json .login ulsa
	expect_json .role registrar
	expect_json .institution.code ULSA
	as admin GET /api/v1/users/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/users/0
	expect_problem 404 not-found
}

@test "a non-admin reads their own account but any other id is 404" {
	local me other
	me=$(id_where admin /api/v1/users login hr.quangninh)
	other=$(id_where admin /api/v1/users login hr.dongthap)
	as hr.quangninh GET "/api/v1/users/$me"
	expect_status 200
	expect_json .login hr.quangninh
	as hr.quangninh GET "/api/v1/users/$other"
	expect_problem 404 not-found
	local other_body=$body
	as hr.quangninh GET /api/v1/users/999999999
	expect_problem 404 not-found
	[ "$body" = "$other_body" ] || fail_with "an existing id answers differently: $other_body"
}

@test "PATCH changes the display name (NFC-normalised) and nothing else" {
	new_user hr_officer '"province_code":"22"'
	as admin PATCH "/api/v1/users/$new_id" '{"display_name":"  Tra\u0302\u0300n Thi\u0323 B  "}'
	expect_status 200
	expect_json .display_name "Trần Thị B"
	expect_json .role hr_officer
	expect_json .province.code 22
	as admin GET "/api/v1/users/$new_id"
	expect_json .display_name "Trần Thị B"
}

@test "PATCH province_code moves an hr_officer; a role change resets scope" {
	new_user hr_officer '"province_code":"22"'
	as admin PATCH "/api/v1/users/$new_id" '{"province_code":"82"}'
	expect_status 200
	expect_json .province.code 82
	as admin PATCH "/api/v1/users/$new_id" '{"role":"steering"}'
	expect_status 200
	expect_json .role steering
	expect_json .province null
	as admin PATCH "/api/v1/users/$new_id" '{"role":"hr_officer"}'
	expect_problem 422 scope-required province_code
	as admin GET "/api/v1/users/$new_id"
	expect_json .role steering
}

@test "a scope change applies to the user's next request" {
	new_user hr_officer '"province_code":"22"'
	login "$new_login" "$new_password"
	as "$new_login" GET /api/v1/institutions
	expect_json '.items | length' 0
	as admin PATCH "/api/v1/users/$new_id" '{"province_code":"82"}'
	expect_status 200
	as "$new_login" GET /api/v1/institutions
	expect_json '[.items[].code] | join(",")' DTCC
}

@test "a demoted admin loses admin routes at once" {
	new_user admin
	login "$new_login" "$new_password"
	as "$new_login" GET /api/v1/users
	expect_status 200
	as admin PATCH "/api/v1/users/$new_id" '{"role":"steering"}'
	expect_status 200
	as "$new_login" GET /api/v1/users
	expect_problem 403 forbidden
}

@test "PATCH disabled:true ends the user's sessions and refuses their sign-in" {
	new_user hr_officer '"province_code":"22"'
	login "$new_login" "$new_password"
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	expect_status 200
	expect_json .disabled true
	expect_json '.disabled_at != null' true
	as "$new_login" GET /api/v1/me
	expect_status 401
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 401 bad-credentials
}

@test "PATCH disabled:false re-enables the account" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	expect_json .disabled true
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":false}'
	expect_status 200
	expect_json .disabled false
	expect_json .disabled_at null
	login "$new_login" "$new_password"
}

@test "a patch with disabled:null does not re-enable a disabled account" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":true}'
	expect_json .disabled true
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":null}'
	[[ $status_code == 200 || $status_code == 422 ]] || fail_with "expected 200 or 422"
	as admin GET "/api/v1/users/$new_id"
	expect_json .disabled true
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 401 bad-credentials
}

@test "a patch with role:null does not clear a provincial scope" {
	new_user steering '"province_code":"22"'
	as admin PATCH "/api/v1/users/$new_id" '{"role":null}'
	[[ $status_code == 200 || $status_code == 422 ]] || fail_with "expected 200 or 422"
	as admin GET "/api/v1/users/$new_id"
	expect_json .role steering
	expect_json .province.code 22
}

@test "an admin cannot disable themselves: 422 self-lockout" {
	local me
	me=$(id_where admin /api/v1/users login admin)
	as admin PATCH "/api/v1/users/$me" '{"disabled":true}'
	expect_problem 422 self-lockout disabled
	as admin GET /api/v1/me
	expect_status 200
	expect_json .disabled false
}

@test "an admin cannot demote themselves: 422 self-lockout" {
	local me
	me=$(id_where admin /api/v1/users login admin)
	as admin PATCH "/api/v1/users/$me" '{"role":"steering"}'
	expect_problem 422 self-lockout role
	as admin GET /api/v1/me
	expect_json .role admin
}

@test "an empty patch is 422 empty-patch" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{}'
	expect_problem 422 empty-patch
}

@test "a patch with an unknown field or a wrong type is 422 and changes nothing" {
	new_user steering
	as admin PATCH "/api/v1/users/$new_id" '{"display_name":"X","login":"renamed"}'
	expect_problem 422 unknown-field login
	as admin PATCH "/api/v1/users/$new_id" '{"disabled":"yes"}'
	expect_problem 422 invalid-type disabled
	as admin GET "/api/v1/users/$new_id"
	expect_json .login "$new_login"
	expect_json .display_name "Test $new_login"
	expect_json .disabled false
}

@test "PATCH of an unknown account is 404" {
	as admin PATCH /api/v1/users/999999999 '{"display_name":"Nobody"}'
	expect_problem 404 not-found
}

@test "a password reset: the old password stops working, the new one works, sessions end" {
	new_user steering
	login "$new_login" "$new_password"
	as admin POST "/api/v1/users/$new_id/password" '{"password":"brand-new-password-1"}'
	expect_status 200
	expect_json .id "$new_id"
	expect_json 'has("password")' false
	as "$new_login" GET /api/v1/me
	expect_problem 401 unauthenticated
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 401 bad-credentials
	login "$new_login" brand-new-password-1
}

@test "a password reset without a password returns a generated one that works" {
	new_user steering
	as admin POST "/api/v1/users/$new_id/password" '{}'
	expect_status 200
	expect_json '.password | type == "string" and length >= 16' true
	login "$new_login" "$(jq -r .password <<<"$body")"
}

@test "a password shorter than 8 characters is 422 weak-password and changes nothing" {
	new_user steering
	as admin POST "/api/v1/users/$new_id/password" '{"password":"1234567"}'
	expect_problem 422 weak-password password
	login "$new_login" "$new_password"
}

@test "a password reset for an unknown account is 404" {
	as admin POST /api/v1/users/999999999/password '{"password":"long-enough-1"}'
	expect_problem 404 not-found
}
