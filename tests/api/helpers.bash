# Helpers for the black-box API tests, loaded by every file (`load helpers`).
# tests/run api provides BASE_URL and TEST_OWNER_DSN.
#
#   req METHOD PATH [JSON] [curl args...]   a request with no credential
#   as LOGIN METHOD PATH [JSON] [args...]   with LOGIN's session cookie and
#                                           this site's Origin (as a browser)
#   bearer TOKEN METHOD PATH [JSON] [args]  with an API token
# Each leaves $status_code, $body and the headers (read with `header NAME`).
: "${BASE_URL:?run the API tests through tests/run api}"

DEMO_PASSWORD=demo-2026

_tmp() { echo "${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}"; }

req() {
	local method=$1 path=$2 data=${3-} tmp
	shift 2
	if [ $# -gt 0 ]; then shift; fi
	tmp=$(_tmp)
	local args=(-sS -X "$method" --max-time 10 -H 'Expect:'
	    -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}')
	if [ -n "$data" ]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$data")
	fi
	: >"$tmp/body"
	: >"$tmp/headers"
	status_code=$(curl "${args[@]}" "$@" "$BASE_URL$path") || status_code=000
	body=$(cat "$tmp/body")
}

jar() { echo "$BATS_FILE_TMPDIR/$1.jar"; }

as() {
	local who=$1 method=$2 path=$3 data=${4-}
	shift 3
	if [ $# -gt 0 ]; then shift; fi
	req "$method" "$path" "$data" -b "$(jar "$who")" -H "Origin: $BASE_URL" "$@"
}

bearer() {
	local token=$1 method=$2 path=$3 data=${4-}
	shift 3
	if [ $# -gt 0 ]; then shift; fi
	req "$method" "$path" "$data" -H "Authorization: Bearer $token" "$@"
}

# login LOGIN [PASSWORD]: signs in and keeps the cookie in LOGIN's jar.
login() {
	local who=$1 pw=${2:-$DEMO_PASSWORD}
	req POST /api/v1/session "$(jq -nc --arg l "$who" --arg p "$pw" \
	    '{login: $l, password: $p}')" -c "$(jar "$who")"
	if [ "$status_code" != 200 ]; then
		echo "login $who: HTTP $status_code $body" >&2
		return 1
	fi
}

# header NAME: the value of the last response's header NAME.
header() {
	grep -i "^$1:" "$(_tmp)/headers" | tail -n 1 | cut -d: -f2- |
	    sed -e 's/^ *//' -e 's/\r$//'
}

fail_with() {
	echo "$1" >&2
	echo "HTTP $status_code: ${body:0:2000}" >&2
	return 1
}

expect_status() {
	[ "$status_code" = "$1" ] ||
	    fail_with "expected HTTP $1, got $status_code"
}

# expect_json JQ EXPECTED: jq -r JQ on the body prints EXPECTED.
expect_json() {
	local got
	got=$(jq -r "$1" <<<"$body" 2>&1) || fail_with "jq '$1' failed: $got"
	[ "$got" = "$2" ] ||
	    fail_with "expected $1 to be '$2', got '$got'"
}

expect_header() {
	local got
	got=$(header "$1")
	[[ $got =~ $2 ]] ||
	    fail_with "expected header $1 to match /$2/, got '$got'"
}

# expect_problem STATUS CODE [FIELD]: an RFC 9457 problem.
expect_problem() {
	expect_status "$1" || return 1
	expect_header content-type '^application/problem\+json' || return 1
	jq -e --argjson status "$1" --arg code "$2" --arg field "${3-}" '
	    .type == "/problems/\($code)" and .code == $code and
	    .status == $status and
	    (.title | type == "string" and length > 0) and
	    (.detail | type == "string" and length > 0) and
	    ($field == "" or (.field == $field and .errors[0].field == $field
		and .errors[0].code == $code))' <<<"$body" >/dev/null ||
	    fail_with "expected problem $1 $2${3:+ field $3}"
}

# new_user ROLE [EXTRA_JSON_FIELDS]: an account created by admin (whose
# session this file must have opened) with a known password. Sets
# new_id, new_login and new_password.
new_user() {
	local role=$1 extra=${2-}
	new_login="t${BATS_SUITE_TEST_NUMBER:-0}-$RANDOM$RANDOM"
	new_password="pw-$RANDOM-$RANDOM-secret"
	as admin POST /api/v1/users "{\"login\":\"$new_login\",\"display_name\":\"Test $new_login\",\"role\":\"$role\",\"password\":\"$new_password\"${extra:+,$extra}}"
	expect_status 201 || return 1
	new_id=$(jq -r .id <<<"$body")
}

# owner_sql SQL: runs SQL as the database owner, prints unaligned rows.
owner_sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$TEST_OWNER_DSN" -c "$1"
}

# An id of a row of the listing at PATH (as LOGIN) whose FIELD is VALUE.
id_where() {
	as "$1" GET "$2"
	jq -r --arg v "$4" ".items[] | select(.$3 == \$v) | .id" <<<"$body"
}

# free_cid TAG [YEAR] [SEX] [PREFIX]: a structurally valid citizen ID no
# one holds yet: PREFIX (022, born in Quảng Ninh), the century/sex digit,
# the year's last two digits, then TAG (one digit per test file, so files
# never collide) and a counter kept across the file's tests from CID_BASE.
free_cid() {
	local tag=$1 year=${2:-1990} sex=${3:-male} prefix=${4:-022}
	local f="$BATS_FILE_TMPDIR/cid-seq" n d id
	d=$(( (year / 100 - 19) * 2 ))
	[ "$sex" = female ] && d=$((d + 1))
	n=$(cat "$f" 2>/dev/null || echo "${CID_BASE:-0}")
	while :; do
		n=$((n + 1))
		id=$(printf '%s%d%02d%d%05d' "$prefix" "$d" $((year % 100)) \
		    "$tag" "$n")
		[ "$(owner_sql "SELECT count(*) FROM hr.people
		    WHERE citizen_id = '$id'")" = 0 ] && break
	done
	echo "$n" >"$f"
	echo "$id"
}

# communes PROVINCE OFFSET N: N current commune codes of PROVINCE; each
# file takes its own OFFSET so no file counts another's staff.
communes() {
	owner_sql "SELECT c.code FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	    WHERE p.code = '$1' AND p.valid_to IS NULL AND c.valid_to IS NULL
	    ORDER BY c.code OFFSET $2 LIMIT $3"
}

# commune_unit COMMUNE: a commune committee there, named with the
# file's $TAG, made by admin; prints its id.
commune_unit() {
	as admin POST /api/v1/work-units "{\"name\":\"UBND thử $TAG $1\",\"kind\":\"commune_committee\",\"commune_code\":\"$1\",\"opened_on\":\"2000-01-01\"}"
	[ "$status_code" = 201 ] || { echo "unit: $status_code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}
