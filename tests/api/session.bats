#!/usr/bin/env bats
# Signing in and out, the session cookie, session expiry and login
# throttling. Failing and expiring logins use fresh accounts, never the
# demo ones.

load helpers

setup_file() {
	login admin
}

# sessions_of LOGIN: how many live sessions the account has.
sessions_of() {
	owner_sql "SELECT count(*) FROM auth.sessions s JOIN auth.users u ON u.id = s.user_id WHERE u.login = '$1' AND s.ended_at IS NULL"
}

@test "signing in returns the user and an HttpOnly SameSite=Strict cookie, not Secure over plain HTTP" {
	login hr.quangninh
	expect_header content-type '^application/json'
	expect_json .login hr.quangninh
	expect_json .role hr_officer
	expect_json .province.code 22
	expect_json 'has("password_hash")' false
	expect_header set-cookie '^ctxh_session=[A-Za-z0-9_-]{43}; '
	expect_header set-cookie 'HttpOnly'
	expect_header set-cookie 'SameSite=Strict'
	expect_header set-cookie 'Path=/'
	expect_header set-cookie 'Max-Age=43200'
	! [[ $(header set-cookie) == *Secure* ]] || fail_with "Secure on plain HTTP"
}

@test "behind TLS (X-Forwarded-Proto: https) the session cookie is Secure" {
	req POST /api/v1/session '{"login":"hr.dongthap","password":"demo-2026"}' -H 'X-Forwarded-Proto: https'
	expect_status 200
	expect_header set-cookie '; Secure$'
}

# last_ip LOGIN: the client address recorded for LOGIN's latest attempt.
last_ip() {
	owner_sql "SELECT host(ip) FROM auth.login_attempts WHERE login = '$1' ORDER BY id DESC LIMIT 1"
}

@test "X-Real-IP and X-Forwarded-Proto count only from a configured proxy, loopback by default (issue 12 item 19)" {
	new_user steering
	local creds="{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	# 127.0.0.1 is where nginx connects from: its headers are believed.
	req POST /api/v1/session "$creds" -H 'X-Real-IP: 203.0.113.9' -H 'X-Forwarded-Proto: https'
	expect_status 200
	[ "$(last_ip "$new_login")" = 203.0.113.9 ] || fail_with "proxy address not used: $(last_ip "$new_login")"
	expect_header set-cookie '; Secure$'
	# Any other client reaching Kore directly cannot choose its address
	# or claim TLS.
	req POST /api/v1/session "$creds" --interface 127.0.0.3 -H 'X-Real-IP: 203.0.113.10' -H 'X-Forwarded-Proto: https'
	expect_status 200
	[ "$(last_ip "$new_login")" = 127.0.0.3 ] || fail_with "X-Real-IP of a direct client believed: $(last_ip "$new_login")"
	! [[ $(header set-cookie) == *Secure* ]] || fail_with "Secure on a direct client's word"
	req POST /api/v1/session "$creds" --interface 127.0.0.3 -H "Origin: https://${BASE_URL#http://}" -H 'X-Forwarded-Proto: https'
	expect_problem 403 csrf
}

@test "GET /api/v1/me returns the signed-in user" {
	login bcd.quangninh
	as bcd.quangninh GET /api/v1/me
	expect_status 200
	expect_json .login bcd.quangninh
	expect_json .role steering
	expect_json .province.code 22
	expect_json .disabled false
}

@test "GET /api/v1/me without a cookie is 401 unauthenticated" {
	req GET /api/v1/me
	expect_problem 401 unauthenticated
}

@test "a garbage or unknown session cookie is 401" {
	req GET /api/v1/me "" -b 'ctxh_session=garbage'
	expect_problem 401 unauthenticated
	req GET /api/v1/me "" -b 'ctxh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
	expect_problem 401 unauthenticated
}

@test "wrong password is refused with 401 bad-credentials and opens no session" {
	new_user steering
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"not-the-password\"}"
	expect_problem 401 bad-credentials
	[ -z "$(header set-cookie)" ] || fail_with "a cookie was set"
	[ "$(sessions_of "$new_login")" = 0 ] || fail_with "a session was opened"
}

@test "an unknown login gets exactly the same 401 as a wrong password" {
	new_user steering
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"not-the-password\"}"
	local wrong=$body
	req POST /api/v1/session '{"login":"no.such.user","password":"whatever-123"}'
	expect_problem 401 bad-credentials
	[ "$body" = "$wrong" ] || fail_with "bodies differ: $wrong"
}

@test "logins are exact: ADMIN with the right password is refused" {
	req POST /api/v1/session '{"login":"ADMIN","password":"demo-2026"}'
	expect_problem 401 bad-credentials
}

@test "a sign-in without a password is 422 required password" {
	req POST /api/v1/session '{"login":"admin"}'
	expect_problem 422 required password
	req POST /api/v1/session '{"login":"admin","password":"demo-2026","remember":true}'
	expect_problem 422 unknown-field remember
}

@test "sign-in posted from another site's Origin is 403 csrf" {
	req POST /api/v1/session '{"login":"ulsa","password":"demo-2026"}' -H 'Origin: http://evil.example'
	expect_problem 403 csrf
	[ -z "$(header set-cookie)" ] || fail_with "a cookie was set"
}

@test "sign-in posted from this site's own Origin works" {
	req POST /api/v1/session '{"login":"ulsa","password":"demo-2026"}' -H "Origin: $BASE_URL"
	expect_status 200
	expect_json .login ulsa
}

@test "signing out clears the cookie (Max-Age=0) and the old cookie then gets 401" {
	login bcd.national
	cp "$(jar bcd.national)" "$BATS_TEST_TMPDIR/old.jar"
	as bcd.national DELETE /api/v1/session
	expect_status 200
	expect_json .signed_out true
	expect_header set-cookie '^ctxh_session=;'
	expect_header set-cookie 'Max-Age=0'
	req GET /api/v1/me "" -b "$BATS_TEST_TMPDIR/old.jar"
	expect_problem 401 unauthenticated
}

@test "signing out without a session is 401" {
	req DELETE /api/v1/session "" -H "Origin: $BASE_URL"
	expect_problem 401 unauthenticated
}

@test "a session idle for 31 minutes is 401 session-expired" {
	new_user steering
	login "$new_login" "$new_password"
	owner_sql "UPDATE auth.sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $new_id AND ended_at IS NULL"
	as "$new_login" GET /api/v1/me
	expect_problem 401 session-expired
}

@test "a session used within 30 minutes stays alive and its idle clock restarts" {
	new_user steering
	login "$new_login" "$new_password"
	owner_sql "UPDATE auth.sessions SET last_seen_at = now() - interval '29 minutes' WHERE user_id = $new_id AND ended_at IS NULL"
	as "$new_login" GET /api/v1/me
	expect_status 200
	[ "$(owner_sql "SELECT count(*) FROM auth.sessions WHERE user_id = $new_id AND last_seen_at > now() - interval '1 minute'")" = 1 ] ||
	    fail_with "last_seen_at was not refreshed"
}

@test "a session older than 12 hours is 401 session-expired even if used a minute ago" {
	new_user steering
	login "$new_login" "$new_password"
	owner_sql "UPDATE auth.sessions SET created_at = now() - interval '12 hours 5 minutes', expires_at = now() - interval '5 minutes', last_seen_at = now() - interval '1 minute' WHERE user_id = $new_id AND ended_at IS NULL"
	as "$new_login" GET /api/v1/me
	expect_problem 401 session-expired
}

@test "five failed sign-ins throttle the sixth, even with the right password: 429 with Retry-After" {
	new_user steering
	local i
	for i in 1 2 3 4 5; do
		req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"wrong-$i-password\"}"
		expect_problem 401 bad-credentials
	done
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 429 login-throttled
	local wait
	wait=$(header retry-after)
	[[ $wait =~ ^[0-9]+$ ]] && [ "$wait" -ge 1 ] && [ "$wait" -le 900 ] ||
	    fail_with "bad Retry-After '$wait'"
	[ -z "$(header set-cookie)" ] || fail_with "a cookie was set"
	[ "$(sessions_of "$new_login")" = 0 ] || fail_with "a session was opened"
	# Still throttled on the next try; other accounts are not affected.
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 429 login-throttled
	login hr.dongthap
}

@test "a successful sign-in clears the failure count" {
	new_user steering
	local i
	for i in 1 2 3 4; do
		req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"wrong-$i-password\"}"
		expect_status 401
	done
	login "$new_login" "$new_password"
	for i in 1 2 3 4; do
		req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"wrong-$i-password\"}"
		expect_status 401
	done
	login "$new_login" "$new_password"
}

@test "unknown logins are throttled too" {
	local who="ghost-$RANDOM$RANDOM" i
	for i in 1 2 3 4 5; do
		req POST /api/v1/session "{\"login\":\"$who\",\"password\":\"wrong-$i-password\"}"
		expect_status 401
	done
	req POST /api/v1/session "{\"login\":\"$who\",\"password\":\"wrong-6-password\"}"
	expect_problem 429 login-throttled
	expect_header retry-after '^[0-9]+$'
}

# burst N CONFIG LOGIN_FMT ADDR_FMT: writes a curl config of N concurrent
# sign-ins, transfer i with login printf LOGIN_FMT i, password wrong-i,
# and (when ADDR_FMT is not empty) X-Real-IP printf ADDR_FMT i; runs them
# all at once and prints one "status retry-after" line per answer. The
# body of answer i is in CONFIG.i.
burst() {
	local n=$1 cfg=$2 lfmt=$3 afmt=$4 i login
	: >"$cfg"
	for i in $(seq 1 "$n"); do
		# shellcheck disable=SC2059
		login=$(printf "$lfmt" "$i")
		{
			printf 'url = "%s/api/v1/session"\n' "$BASE_URL"
			printf 'request = "POST"\n'
			printf 'header = "Content-Type: application/json"\n'
			# shellcheck disable=SC2059
			[ -z "$afmt" ] || printf "header = \"X-Real-IP: $afmt\"\n" "$i"
			printf 'data = "{\\"login\\":\\"%s\\",\\"password\\":\\"wrong-%d-password\\"}"\n' "$login" "$i"
			printf 'output = "%s.%d"\n' "$cfg" "$i"
			printf 'write-out = "%%{http_code} %%header{retry-after}\\n"\n'
			[ "$i" = "$n" ] || printf 'next\n'
		} >>"$cfg"
	done
	curl -sS --no-progress-meter --max-time 60 -Z --parallel-immediate --parallel-max "$n" -K "$cfg"
}

# checked LOGIN: how many of LOGIN's sign-ins got as far as a password check.
checked() {
	owner_sql "SELECT count(*) FROM auth.login_attempts WHERE login = '$1' AND outcome <> 'throttled'"
}

@test "a burst of 50 concurrent wrong passwords checks at most 5, and the right one is then refused (issue 12 item 6)" {
	new_user steering
	local out=$BATS_TEST_TMPDIR/answers
	burst 50 "$BATS_TEST_TMPDIR/burst.cfg" "$new_login" "" >"$out"
	[ "$(wc -l <"$out")" = 50 ] || fail_with "$(wc -l <"$out") answers"
	! grep -vqE '^(401|429|503) ' "$out" || fail_with "unexpected answers: $(sort "$out" | uniq -c)"
	local n
	n=$(checked "$new_login")
	[ "$n" -ge 1 ] && [ "$n" -le 5 ] || fail_with "$n passwords checked: $(sort "$out" | uniq -c)"
	[ "$(grep -c '^401 ' "$out")" -le 5 ] || fail_with "more than 5 answered 401"
	# Should fewer than 5 have been checked (some refused as busy), the
	# lock is completed one by one; the right password is then refused.
	for ((; n < 5; n++)); do
		req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"wrong-password\"}"
		expect_problem 401 bad-credentials
	done
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}"
	expect_problem 429 login-throttled
	[ "$(sessions_of "$new_login")" = 0 ] || fail_with "a session was opened"
}

# sign_in_after_failures ADDR N: records N failed sign-ins of other logins
# from ADDR in the last minutes, then signs a new account in from there.
sign_in_after_failures() {
	new_user steering
	owner_sql "INSERT INTO auth.login_attempts (login, at, outcome, ip)
	    SELECT 'spray-' || g, now() - make_interval(secs => g), 'failure', '$1'
	      FROM generate_series(1, $2) g"
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}" -H "X-Real-IP: $1"
}

@test "an address with 100 failed sign-ins in 15 minutes is refused before any password check, even the right one (issue 12 item 8)" {
	sign_in_after_failures 198.51.100.20 100
	expect_problem 429 address-throttled
	expect_header retry-after '^[0-9]+$'
	local wait
	wait=$(header retry-after)
	[ "$wait" -ge 1 ] && [ "$wait" -le 900 ] || fail_with "Retry-After $wait"
	[ "$(checked "$new_login")" = 0 ] || fail_with "the password was checked"
	[ "$(sessions_of "$new_login")" = 0 ] || fail_with "a session was opened"
	# The same account from another address signs in; successes do not
	# count against an address, so many sign-ins from one office are fine.
	req POST /api/v1/session "{\"login\":\"$new_login\",\"password\":\"$new_password\"}" -H 'X-Real-IP: 198.51.100.21'
	expect_status 200
}

@test "99 failures from an address still let its next sign-in be checked" {
	sign_in_after_failures 198.51.100.22 99
	expect_status 200
}

@test "a flood of unknown logins from many addresses finds the hashing queue full: 503 with Retry-After, then sign-in works (issue 12 item 8)" {
	local out=$BATS_TEST_TMPDIR/answers
	burst 64 "$BATS_TEST_TMPDIR/flood.cfg" "flood-$RANDOM-%d" '192.0.2.%d' >"$out"
	[ "$(wc -l <"$out")" = 64 ] || fail_with "$(wc -l <"$out") answers"
	! grep -vqE '^(401 |503 [0-9]+$)' "$out" || fail_with "unexpected answers: $(sort "$out" | uniq -c)"
	grep -q '^503 ' "$out" || fail_with "no 503: $(sort "$out" | uniq -c)"
	local f busy=0
	for f in "$BATS_TEST_TMPDIR"/flood.cfg.*; do
		jq -e '.status == 503' "$f" >/dev/null 2>&1 || continue
		busy=$((busy + 1))
		jq -e '.type == "/problems/login-busy" and .code == "login-busy" and
		    (.title | length > 0) and (.detail | length > 0)' "$f" >/dev/null ||
		    fail_with "503 body: $(cat "$f")"
	done
	[ "$busy" = "$(grep -c '^503 ' "$out")" ] || fail_with "$busy problem bodies"
	req POST /api/v1/session '{"login":"ulsa","password":"demo-2026"}'
	expect_status 200
}

@test "failed sign-ins of unknown logins are counted per address, not written to the audit chain one by one (issue 12 item 8)" {
	local addr=198.51.100.30 who="ghost-$RANDOM$RANDOM" i
	for i in 1 2 3; do
		req POST /api/v1/session "{\"login\":\"$who-$i\",\"password\":\"wrong-password\"}" -H "X-Real-IP: $addr"
		expect_problem 401 bad-credentials
	done
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE actor_login LIKE '$who-%'")" = 0 ] ||
	    fail_with "unknown-login failures were audited one by one"
	[ "$(owner_sql "SELECT count(*) || ':' || sum(unknown_failures) FROM auth.login_counts WHERE ip = '$addr'")" = 1:3 ] ||
	    fail_with "counter rows: $(owner_sql "SELECT * FROM auth.login_counts WHERE ip = '$addr'")"
}
