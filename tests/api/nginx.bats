#!/usr/bin/env bats
# The production TLS front (conf/nginx.conf.in) in front of the test
# server: rendered with a throw-away certificate and free ports, checked
# with nginx -t, then run in the foreground (one instance proxying to the
# app, one to a closed port for the 502 case) and probed with curl.
#
# Needs BASE_URL and REGISTRY_PORT (set by tests/run), /usr/sbin/nginx,
# curl, jq, openssl and ss. Runs as root (nginx then runs its workers as
# nobody) or as any user.

NGINX=/usr/sbin/nginx

# free_port VAR: a port nothing listens on (as tests/run finds them), and
# not one already handed out, into VAR.
free_port() {
	local p
	for p in $(shuf -i 20000-40000 -n 50); do
		case " $TAKEN_PORTS " in *" $p "*) continue ;; esac
		ss -Htln "sport = :$p" | grep -q . && continue
		TAKEN_PORTS="$TAKEN_PORTS $p"
		printf -v "$1" '%s' "$p"
		return 0
	done
	return 1
}

# render TEMPLATE OUT KORE_PORT HTTPS_PORT HTTP_PORT PREFIX
render() {
	sed -e "s|@PORT@|$3|g" -e "s|@LISTEN@|$4|g" -e "s|@HTTP_LISTEN@|$5|g" \
	    -e "s|@SERVER_NAME@|localhost|g" -e "s|@CERT@|$CERT|g" \
	    -e "s|@KEY@|$KEY|g" -e "s|@PREFIX@|$6|g" "$1" >"$2"
}

# start CONF PREFIX HTTPS_PORT: nginx in the foreground, in the background.
start() {
	"$NGINX" -p "$2" -c "$1" -g 'daemon off;' >"$2/stderr.log" 2>&1 3>&- &
	echo $! >"$2/master.pid"
	local i
	for i in $(seq 1 50); do
		ss -Htln "sport = :$3" | grep -q . && return 0
		kill -0 "$(cat "$2/master.pid")" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

stop() {
	local pid i
	[ -f "$1/master.pid" ] || return 0
	pid=$(cat "$1/master.pid")
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}

setup_file() {
	local template="$BATS_TEST_DIRNAME/../../conf/nginx.conf.in" closed

	export CERT="$BATS_FILE_TMPDIR/cert.pem" KEY="$BATS_FILE_TMPDIR/key.pem"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$KEY" -out "$CERT" -days 2 -subj /CN=localhost \
	    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1

	# The prefixes live outside BATS_FILE_TMPDIR, whose parent is private
	# to root: nginx's workers (nobody when run as root) write temp files
	# there.
	export NGX_ROOT
	NGX_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/ctxh-nginx.XXXXXX")
	chmod 755 "$NGX_ROOT"
	export PREFIX="$NGX_ROOT/front" PREFIX_DOWN="$NGX_ROOT/down"
	mkdir -p "$PREFIX" "$PREFIX_DOWN"

	TAKEN_PORTS="$REGISTRY_PORT"
	export HTTPS_PORT HTTP_PORT DOWN_HTTPS_PORT DOWN_HTTP_PORT
	free_port HTTPS_PORT
	free_port HTTP_PORT
	free_port DOWN_HTTPS_PORT
	free_port DOWN_HTTP_PORT
	free_port closed

	export CONF="$BATS_FILE_TMPDIR/nginx.conf"
	export CONF_DOWN="$BATS_FILE_TMPDIR/nginx-down.conf"
	render "$template" "$CONF" "$REGISTRY_PORT" "$HTTPS_PORT" "$HTTP_PORT" \
	    "$PREFIX"
	# The same front pointed at a Kore port nothing listens on.
	render "$template" "$CONF_DOWN" "$closed" "$DOWN_HTTPS_PORT" \
	    "$DOWN_HTTP_PORT" "$PREFIX_DOWN"

	# Failures show in the tests below, with nginx's own words.
	start "$CONF" "$PREFIX" "$HTTPS_PORT" || true
	start "$CONF_DOWN" "$PREFIX_DOWN" "$DOWN_HTTPS_PORT" || true

	export BIG="$BATS_FILE_TMPDIR/big.bin"
	head -c $((16 * 1024 * 1024 + 1)) /dev/zero >"$BIG"
}

teardown_file() {
	stop "$PREFIX"
	stop "$PREFIX_DOWN"
	[ -n "$NGX_ROOT" ] && rm -rf "$NGX_ROOT"
}

fail() {
	printf '%s\n' "$@" >&2
	return 1
}

# fetch URL [curl args...]: headers in $HDRS, body in $BODY, status in $CODE.
fetch() {
	local url=$1
	shift
	HDRS="$BATS_TEST_TMPDIR/headers" BODY="$BATS_TEST_TMPDIR/body"
	CODE=$(curl -sk -m 30 -D "$HDRS" -o "$BODY" -w '%{http_code}' "$@" \
	    "$url") || true
}

# header NAME: its values in the last response, one a line.
header() {
	tr -d '\r' <"$HDRS" | sed -n "s/^$1: *//Ip"
}

@test "nginx: the modules the config relies on are built in" {
	run "$NGINX" -V
	[ "$status" -eq 0 ]
	[[ "$output" == *--with-http_ssl_module* ]] || fail "no ssl: $output"
	[[ "$output" == *--with-http_v2_module* ]] || fail "no http2: $output"
	local m
	for m in gzip proxy map rewrite headers upstream; do
		[[ "$output" != *--without-http_${m}_module* ]] ||
		    fail "$m is left out: $output"
	done
}

@test "nginx: the rendered configs pass nginx -t" {
	run "$NGINX" -t -p "$PREFIX" -c "$CONF"
	[ "$status" -eq 0 ] || fail "$output"
	run "$NGINX" -t -p "$PREFIX_DOWN" -c "$CONF_DOWN"
	[ "$status" -eq 0 ] || fail "$output"
	! grep -q '@[A-Z_]*@' "$CONF" || fail "placeholders left: $(grep '@[A-Z_]*@' "$CONF")"
}

@test "nginx: both fronts are running" {
	kill -0 "$(cat "$PREFIX/master.pid")" ||
	    fail "front not running:" "$(cat "$PREFIX/stderr.log" "$PREFIX/error.log" 2>/dev/null)"
	kill -0 "$(cat "$PREFIX_DOWN/master.pid")" ||
	    fail "second front not running:" "$(cat "$PREFIX_DOWN/stderr.log" "$PREFIX_DOWN/error.log" 2>/dev/null)"
}

@test "nginx: GET /healthz over TLS is the app's 200 JSON" {
	fetch "https://127.0.0.1:$HTTPS_PORT/healthz"
	[ "$CODE" = 200 ] || fail "status $CODE" "$(cat "$HDRS" "$BODY")"
	[[ "$(header content-type)" == application/json* ]] ||
	    fail "content-type $(header content-type)"
	jq -e '.status == "ok" and .database == "ok"' "$BODY" >/dev/null ||
	    fail "body: $(cat "$BODY")"
}

@test "nginx: HSTS and the security headers, no version in Server" {
	fetch "https://127.0.0.1:$HTTPS_PORT/healthz"
	[ "$CODE" = 200 ]
	[ "$(header strict-transport-security)" = \
	    "max-age=31536000; includeSubDomains" ] ||
	    fail "HSTS: $(header strict-transport-security)"
	# nosniff once, though the app sends it too.
	[ "$(header x-content-type-options)" = nosniff ] ||
	    fail "X-Content-Type-Options: $(header x-content-type-options)"
	[ "$(header referrer-policy)" = no-referrer ] ||
	    fail "Referrer-Policy: $(header referrer-policy)"
	[ "$(header x-frame-options)" = DENY ] ||
	    fail "X-Frame-Options: $(header x-frame-options)"
	[ "$(header server)" = nginx ] || fail "Server: $(header server)"
	# The app's own answers pass through untouched.
	[ "$(header cache-control)" = no-store ] ||
	    fail "Cache-Control: $(header cache-control)"
}

@test "nginx: TLS 1.2 and 1.3 are accepted, HTTP/2 is offered" {
	local v
	v=$(curl -sk -o /dev/null -w '%{http_code}' --tlsv1.2 --tls-max 1.2 \
	    "https://127.0.0.1:$HTTPS_PORT/healthz")
	[ "$v" = 200 ] || fail "TLS 1.2: $v"
	v=$(curl -sk -o /dev/null -w '%{http_code}' --tlsv1.3 \
	    "https://127.0.0.1:$HTTPS_PORT/healthz")
	[ "$v" = 200 ] || fail "TLS 1.3: $v"
	run curl -sk -o /dev/null --tlsv1.1 --tls-max 1.1 \
	    "https://127.0.0.1:$HTTPS_PORT/healthz"
	[ "$status" -ne 0 ] || fail "TLS 1.1 was accepted"
	if curl -V | grep -qw HTTP2; then
		v=$(curl -sk -o /dev/null -w '%{http_version}' --http2 \
		    "https://127.0.0.1:$HTTPS_PORT/healthz")
		[ "$v" = 2 ] || fail "HTTP version $v"
	fi
}

@test "nginx: plain HTTP redirects to HTTPS with 301" {
	fetch "http://127.0.0.1:$HTTP_PORT/anything?x=1"
	[ "$CODE" = 301 ] || fail "status $CODE"
	[ "$(header location)" = "https://127.0.0.1:$HTTPS_PORT/anything?x=1" ] ||
	    fail "Location: $(header location)"
	# Plain HTTP sent to the HTTPS port is sent to HTTPS too.
	fetch "http://127.0.0.1:$HTTPS_PORT/healthz"
	[ "$CODE" = 301 ] || fail "plain HTTP on the TLS port: $CODE"
	[[ "$(header location)" == https://* ]] || fail "Location: $(header location)"
}

@test "nginx: sign-in over TLS sets a Secure cookie; Host and Origin agree" {
	local jar="$BATS_TEST_TMPDIR/jar" base="https://127.0.0.1:$HTTPS_PORT"
	fetch "$base/api/v1/session" -c "$jar" -X POST \
	    -H 'Content-Type: application/json' \
	    --data '{"login":"admin","password":"demo-2026"}'
	[ "$CODE" = 200 ] || fail "status $CODE: $(cat "$BODY")"
	local cookie
	cookie=$(header set-cookie)
	[[ "$cookie" == ctxh_session=* ]] || fail "Set-Cookie: $cookie"
	[[ "$cookie" == *"; Secure"* ]] || fail "not Secure: $cookie"
	[[ "$cookie" == *"; HttpOnly"* ]] || fail "not HttpOnly: $cookie"

	# A cookie write passes the app's Origin check only if nginx passed
	# the client's Host (with its port) through.
	fetch "$base/api/v1/session" -b "$jar" -X DELETE -H "Origin: $base"
	[ "$CODE" = 200 ] || fail "sign-out status $CODE: $(cat "$BODY")"
	jq -e '.signed_out == true' "$BODY" >/dev/null
}

@test "nginx: the client address comes from nginx, not from the client" {
	local jar="$BATS_TEST_TMPDIR/jar" base="https://127.0.0.1:$HTTPS_PORT"
	fetch "$base/api/v1/session" -c "$jar" -X POST \
	    -H 'Content-Type: application/json' -H 'X-Real-IP: 203.0.113.7' \
	    -H 'X-Forwarded-For: 203.0.113.7' \
	    --data '{"login":"admin","password":"demo-2026"}'
	[ "$CODE" = 200 ] || fail "status $CODE: $(cat "$BODY")"
	# The sign-in is audited with the address the app was given.
	fetch "$base/api/v1/audit?entity=session&limit=1" -b "$jar"
	[ "$CODE" = 200 ] || fail "audit status $CODE: $(cat "$BODY")"
	[ "$(jq -r '.items[0].after.ip' "$BODY")" = 127.0.0.1 ] ||
	    fail "audited address: $(jq -c '.items[0]' "$BODY")"
}

@test "nginx: a body over 16 MiB is a 413 problem+json from nginx" {
	fetch "https://127.0.0.1:$HTTPS_PORT/api/v1/session" -X POST \
	    -H 'Content-Type: application/json' --data-binary "@$BIG"
	[ "$CODE" = 413 ] || fail "status $CODE"
	[[ "$(header content-type)" == application/problem+json* ]] ||
	    fail "content-type $(header content-type)"
	jq -e '.status == 413 and .code == "body-too-large" and
	    .type == "/problems/body-too-large" and (.title | length > 0) and
	    (.detail | length > 0)' "$BODY" >/dev/null ||
	    fail "body: $(cat "$BODY")"
	[ "$(header strict-transport-security)" = \
	    "max-age=31536000; includeSubDomains" ]
}

@test "nginx: a GET with a body is refused before it reaches Kore" {
	fetch "https://127.0.0.1:$HTTPS_PORT/healthz" -X GET \
	    -H 'Content-Type: application/json' --data '{}'
	[ "$CODE" = 400 ] || fail "status $CODE: $(cat "$BODY")"
	[[ "$(header content-type)" == application/problem+json* ]] ||
	    fail "content-type $(header content-type)"
	jq -e '.status == 400 and .code == "unexpected-body"' "$BODY" \
	    >/dev/null || fail "body: $(cat "$BODY")"
}

# problem STATUS CODES: the last response is nginx's problem+json for it,
# its code matching CODES (a regular expression).
problem() {
	[ "$CODE" = "$1" ] || fail "status $CODE: $(cat "$BODY")"
	[[ "$(header content-type)" == application/problem+json* ]] ||
	    fail "content-type $(header content-type)"
	jq -e --arg code "^($2)\$" '(.code | test($code)) and
	    .type == "/problems/" + .code and (.title | length > 0) and
	    (.detail | length > 0)' "$BODY" >/dev/null ||
	    fail "body: $(cat "$BODY")"
}

@test "nginx: what Kore answers with an empty body is a problem from nginx" {
	local long pad
	long=$(head -c 2000 /dev/zero | tr '\0' a)
	# Kore: a bare 414 from 1,999 bytes of path and query.
	fetch "https://127.0.0.1:$HTTPS_PORT/api/v1/people?q=$long"
	problem 414 uri-too-long
	# 1,998 bytes, one under Kore's limit, still reach the app.
	fetch "https://127.0.0.1:$HTTPS_PORT/healthz?${long:0:1989}"
	[ "$CODE" = 200 ] || fail "short enough: status $CODE"

	# Kore: a bare 400 for a method it does not know.
	fetch "https://127.0.0.1:$HTTPS_PORT/healthz" -X PROPFIND
	problem 501 method-not-implemented

	# Kore: no answer at all beyond its header limit (it was 4 KiB, now
	# 20 KiB, above what nginx lets through in HTTP/1.1 or HTTP/2).
	pad=$(head -c 3900 /dev/zero | tr '\0' b)
	local v h args
	for v in --http1.1 --http2; do
		fetch "https://127.0.0.1:$HTTPS_PORT/healthz" "$v" \
		    -H "X-Pad: ${pad}bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		[[ "$CODE" =~ ^(200|400)$ ]] || fail "$v 4 KiB header: $CODE"
		[ "$CODE" = 200 ] || problem 400 "header-too-large|bad-request"
		args=()
		for h in 1 2 3 4 5 6; do
			args+=(-H "X-Pad-$h: $pad")
		done
		fetch "https://127.0.0.1:$HTTPS_PORT/healthz" "$v" "${args[@]}"
		# HTTP/2 ends such a connection (ENHANCE_YOUR_CALM), which
		# is nginx's answer in that protocol, not Kore's.
		[ "$v" = --http2 ] && [ "$CODE" = 000 ] ||
		    problem 400 "header-too-large|bad-request"
		# 11 KiB of headers pass nginx, so Kore must read them all.
		fetch "https://127.0.0.1:$HTTPS_PORT/healthz" "$v" \
		    "${args[@]:0:6}"
		[ "$CODE" = 200 ] || fail "$v 11 KiB of headers: status $CODE"
		[[ "$(header content-type)" == application/json* ]]
	done
}

@test "nginx: HTTP/1.0 and chunked bodies reach the app, not Kore's bare refusals" {
	# Kore answers a bare 405 to an HTTP/1.0 DELETE, a bare 411 to a POST
	# without Content-Length; nginx sends neither to it.
	fetch "https://127.0.0.1:$HTTPS_PORT/api/v1/session" -0 -X DELETE
	[[ "$CODE" =~ ^(204|401)$ ]] || fail "DELETE over HTTP/1.0: $CODE"
	fetch "https://127.0.0.1:$HTTPS_PORT/api/v1/session" -X POST \
	    -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/json' \
	    --data '{"login": "nobody", "password": "wrong-password"}'
	[ "$CODE" = 401 ] || fail "chunked POST: status $CODE: $(cat "$BODY")"
	[[ "$(header content-type)" == application/problem+json* ]]
}

@test "nginx: Kore down is a 502 problem+json, in English on request" {
	fetch "https://127.0.0.1:$DOWN_HTTPS_PORT/healthz"
	[ "$CODE" = 502 ] || fail "status $CODE: $(cat "$BODY")"
	[[ "$(header content-type)" == application/problem+json* ]] ||
	    fail "content-type $(header content-type)"
	jq -e '.status == 502 and .code == "upstream-unavailable"' "$BODY" \
	    >/dev/null || fail "body: $(cat "$BODY")"
	[ "$(header x-frame-options)" = DENY ]

	fetch "https://127.0.0.1:$DOWN_HTTPS_PORT/api/v1/me" \
	    -H 'Accept-Language: en-GB,en;q=0.8'
	[ "$CODE" = 502 ]
	[ "$(jq -r .title "$BODY")" = "Bad gateway" ] ||
	    fail "body: $(cat "$BODY")"
}

@test "nginx: JSON is gzipped and arrives whole" {
	local direct="$BATS_TEST_TMPDIR/direct.json"
	curl -sS -o "$direct" "$BASE_URL/api/v1/openapi.json"
	fetch "https://127.0.0.1:$HTTPS_PORT/api/v1/openapi.json" \
	    -H 'Accept-Encoding: gzip'
	[ "$CODE" = 200 ] || fail "status $CODE"
	[ "$(header content-encoding)" = gzip ] ||
	    fail "Content-Encoding: $(header content-encoding)"
	# Larger than nginx's proxy buffers, so this also goes through the
	# proxy temp directory under the prefix.
	gzip -dc "$BODY" | cmp -s - "$direct" ||
	    fail "the document differs through nginx" \
	    "$(tail -5 "$PREFIX/error.log")"
}
