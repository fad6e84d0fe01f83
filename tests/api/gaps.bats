#!/usr/bin/env bats
# Indicators and gaps over HTTP: the indicator sheet, indicator values of
# the nation, a province or a commune, a province's commune gaps (JSON,
# CSV, XLSX) and one commune's flags. Every route as every role (admin
# everything, officers and steering their own province, registrars
# nothing), out-of-scope areas as 404, national figures for the admin
# only, the documented shapes, bad parameters as 400 naming the
# parameter, the flag filter and the sorts, and freshness: a write
# through the API is in the very next read.
#
# The freshness tests use Quảng Ninh communes that hold no work unit
# (from offsets 2–13, which no other file takes; the demo data's communes
# among them are skipped), so every number expected there is exact.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TODAY YESTERDAY TOMORROW C82 G1 G2 G3 G4 G5 G6
	TODAY=$(owner_sql "SELECT current_date")
	YESTERDAY=$(owner_sql "SELECT current_date - 1")
	TOMORROW=$(owner_sql "SELECT current_date + 1")
	C82=$(communes 82 0 1)
	local fresh
	fresh=$(fresh_communes 6 2 13)
	[ "$(wc -l <<<"$fresh")" = 6 ] ||
	    { echo "fewer than 6 empty communes at offsets 2-13: $fresh" >&2; return 1; }
	{ read -r G1; read -r G2; read -r G3; read -r G4; read -r G5; read -r G6; } <<<"$fresh"
}

# fresh_communes N FROM TO: N current communes of Quảng Ninh at offsets
# FROM..TO (as helpers.bash's communes counts them) holding no work unit.
fresh_communes() {
	owner_sql "SELECT c.code FROM (SELECT c.id, c.code,
		row_number() OVER (ORDER BY c.code) - 1 AS n
	      FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	     WHERE p.code = '22' AND p.valid_to IS NULL
	       AND c.valid_to IS NULL) c
	    WHERE c.n BETWEEN $2 AND $3
	      AND NOT EXISTS (SELECT FROM hr.work_units w WHERE w.commune_id = c.id)
	      AND NOT EXISTS (SELECT FROM hr.work_unit_places pl
		WHERE pl.commune_id = c.id)
	    ORDER BY c.code LIMIT $1"
}

cid() {
	free_cid 3 1986 male 024
}

# unit COMMUNE [KIND]: a work unit made by hr.quangninh; sets uid.
unit() {
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Phòng CTXH chỉ số $1\",\"kind\":\"${2:-commune_office}\",\"commune_code\":\"$1\",\"opened_on\":\"2010-01-01\"}"
	[ "$status_code" = 201 ] || { echo "unit: $status_code $body" >&2; return 1; }
	uid=$(jq -r .id <<<"$body")
}

# person: a man born 1986 kept by Quảng Ninh; sets pid.
person() {
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lương Văn Chỉ\",\"citizen_id\":\"$(cid)\",\"sex\":\"male\",\"birth_date\":\"1986-05-05\"}"
	[ "$status_code" = 201 ] || { echo "person: $status_code $body" >&2; return 1; }
	pid=$(jq -r .id <<<"$body")
}

# spell PERSON UNIT CATEGORY FTE START [EXTRA]: sets aid.
spell() {
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$1,\"work_unit_id\":$2,\"category\":\"$3\",\"fte\":$4,\"start_date\":\"$5\"${6:+,$6}}"
	[ "$status_code" = 201 ] || { echo "spell: $status_code $body" >&2; return 1; }
	aid=$(jq -r .id <<<"$body")
}

# trained PERSON DAY: a certificate that counts as social-work training.
trained() {
	as hr.quangninh POST "/api/v1/people/$1/certificates" "{\"kind\":\"course\",\"name\":\"Nhập môn công tác xã hội\",\"issuer_name\":\"Trung tâm Công tác xã hội tỉnh Quảng Ninh\",\"issued_on\":\"$2\",\"hours\":40,\"counts_as_sw_training\":true}"
	[ "$status_code" = 201 ] || { echo "certificate: $status_code $body" >&2; return 1; }
}

# item COMMUNE: the commune's item of Quảng Ninh's gap report, read now
# by hr.quangninh, on one line.
item() {
	as hr.quangninh GET /api/v1/provinces/22/gaps
	[ "$status_code" = 200 ] || { echo "gaps: $status_code ${body:0:500}" >&2; return 1; }
	jq -c --arg c "$1" '.items[] | select(.commune_code == $c)' <<<"$body"
}

# flags COMMUNE: its flags in the province's report, comma separated.
flags() {
	item "$1" | jq -r '.flags | join(",")'
}

# number COMMUNE KEY: one of its numbers in the province's report.
number() {
	item "$1" | jq -r --arg k "$2" '.numbers[$k]'
}

# indicator SCOPE CODE FIELD: a field of one indicator, read by admin.
indicator() {
	as admin GET "/api/v1/indicators?scope=$1"
	[ "$status_code" = 200 ] || { echo "indicators: $status_code ${body:0:500}" >&2; return 1; }
	jq -r --arg c "$2" --arg f "$3" '.items[] | select(.code == $c) | .[$f]' <<<"$body"
}

# expect_eq WHAT EXPECTED GOT
expect_eq() {
	[ "$2" = "$3" ] || fail_with "$1: expected '$2', got '$3'"
}

# xlsx_rows FILE: the first sheet's rows, one JSON array of strings a line.
xlsx_rows() {
	python3 - "$1" <<'EOF'
import json, re, sys, zipfile
from xml.etree import ElementTree as ET
NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(sys.argv[1])
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', NS):
        shared.append(''.join(t.text or '' for t in si.iter('{%s}t' % NS['m'])))
sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
def col(ref):
    n = 0
    for ch in re.match('[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
for row in sheet.iter('{%s}row' % NS['m']):
    cells = {}
    for c in row.findall('m:c', NS):
        if c.get('t') == 'inlineStr':
            v = ''.join(t.text or '' for t in c.iter('{%s}t' % NS['m']))
        elif c.get('t') == 's':
            v = shared[int(c.find('m:v', NS).text)]
        else:
            e = c.find('m:v', NS)
            v = '' if e is None else e.text
        cells[col(c.get('r'))] = v
    if cells:
        print(json.dumps([cells.get(i, '') for i in range(max(cells) + 1)], ensure_ascii=False))
EOF
}

# csv_rows FILE: the CSV's rows, one JSON array of strings a line.
csv_rows() {
	python3 -c 'import csv, json, sys
for r in csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")):
    print(json.dumps(r, ensure_ascii=False))' "$1"
}

# Quảng Ninh's current communes, by code.
communes_22() {
	owner_sql "SELECT count(*) FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	    WHERE p.code = '22' AND p.valid_to IS NULL AND c.valid_to IS NULL"
}

# ----------------------------------------------------------------- access

@test "every indicator and gap route needs a signed-in user (401)" {
	local path
	for path in /api/v1/indicators/definitions /api/v1/indicators \
	    "/api/v1/indicators?scope=province:22" /api/v1/provinces/22/gaps \
	    "/api/v1/provinces/22/gaps?format=csv" "/api/v1/communes/$G1/flags"; do
		req GET "$path"
		expect_problem 401 unauthenticated || return 1
	done
}

@test "a registrar reads no indicator, gap or flag (403)" {
	local path
	for path in /api/v1/indicators/definitions "/api/v1/indicators?scope=province:22" \
	    /api/v1/provinces/22/gaps "/api/v1/provinces/22/gaps?format=xlsx" \
	    "/api/v1/communes/$G1/flags"; do
		as ulsa GET "$path"
		expect_problem 403 forbidden || return 1
	done
}

@test "the routes only read: other methods are 405 with Allow: GET" {
	local path
	for path in /api/v1/indicators/definitions /api/v1/indicators \
	    /api/v1/provinces/22/gaps "/api/v1/communes/$G1/flags"; do
		as admin POST "$path" '{}'
		expect_status 405 || return 1
		expect_header allow '^GET$' || return 1
		as admin DELETE "$path"
		expect_status 405 || return 1
	done
}

@test "GET /indicators/definitions: the indicator sheet, for every reading role" {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national; do
		as "$who" GET /api/v1/indicators/definitions
		expect_status 200 || return 1
		expect_json '[.items[] | select((.code | type) != "string" or (.name | type) != "string" or (.name_en | type) != "string" or (.unit | type) != "string" or (.kind | type) != "string" or (.definition | type) != "string")] | length' 0 || return 1
	done
	expect_json '[.items[].code] | index("communes_covered") != null and index("trained_share") != null and index("turnover_rate") != null' true
	expect_json '.items[] | select(.code == "communes_covered") | "\(.unit) \(.kind) \(.counts)"' "percent share communes"
	expect_json '.items[] | select(.code == "headcount_growth") | .needs_baseline' true
}

@test "GET /indicators: the admin reads the nation (the default), any province and commune" {
	as admin GET /api/v1/indicators
	expect_status 200
	expect_json .scope national
	expect_json .as_of "$TODAY"
	expect_json .units current
	as admin GET "/api/v1/indicators?scope=national"
	expect_status 200
	expect_json '.items[] | select(.code == "communes_covered") | .denominator' 3321
	local s
	for s in province:22 province:82 "commune:$G1" "commune:$C82"; do
		as admin GET "/api/v1/indicators?scope=$s"
		expect_status 200 || return 1
		expect_json .scope "$s" || return 1
	done
	expect_json .unit.code "$C82"
}

@test "GET /indicators: officers and steering read their own province and its communes; another is 404, the nation 403" {
	local who
	for who in hr.quangninh bcd.quangninh; do
		as "$who" GET "/api/v1/indicators?scope=province:22"
		expect_status 200 || return 1
		expect_json .unit.code 22 || return 1
		as "$who" GET "/api/v1/indicators?scope=commune:$G1"
		expect_status 200 || return 1
		as "$who" GET "/api/v1/indicators?scope=province:82"
		expect_problem 404 not-found || return 1
		as "$who" GET "/api/v1/indicators?scope=commune:$C82"
		expect_problem 404 not-found || return 1
		as "$who" GET "/api/v1/indicators?scope=national"
		expect_problem 403 forbidden scope || return 1
		as "$who" GET /api/v1/indicators
		expect_problem 403 forbidden scope || return 1
	done
	as hr.dongthap GET "/api/v1/indicators?scope=province:82"
	expect_status 200
	as hr.dongthap GET "/api/v1/indicators?scope=province:22"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/indicators?scope=commune:$G1"
	expect_problem 404 not-found
	# The national steering committee sees every province and the
	# national figures; a provincial one does not.
	as bcd.national GET "/api/v1/indicators?scope=province:82"
	expect_status 200
	as bcd.national GET "/api/v1/indicators?scope=national"
	expect_status 200
	[ "$(jq -r .scope <<<"$body")" = national ]
	as bcd.quangninh GET "/api/v1/indicators?scope=national"
	expect_problem 403 forbidden scope
	# An unknown area is 404 for everyone.
	as admin GET "/api/v1/indicators?scope=province:99"
	expect_problem 404 not-found
	as admin GET "/api/v1/indicators?scope=commune:99999"
	expect_problem 404 not-found
}

@test "GET /indicators: the documented shape, one value for every indicator of the sheet" {
	as hr.quangninh GET /api/v1/indicators/definitions
	local codes
	codes=$(jq -c '[.items[].code] | sort' <<<"$body")
	as hr.quangninh GET "/api/v1/indicators?scope=province:22"
	expect_status 200
	expect_header content-type '^application/json'
	expect_json .scope province:22
	expect_json .as_of "$TODAY"
	expect_json '.items | type' array
	expect_json '[.items[] | select(has("code") and has("name") and has("value") and has("numerator") and has("denominator") and has("unit") | not)] | length' 0
	expect_json '[.items[].code] | sort | tojson' "$codes"
	# A share is 100 × numerator / denominator, a count its numerator.
	expect_json '[.items[] | select(.code == "communes_covered") | .denominator == '"$(communes_22)"' and .value == ((10000 * .numerator / .denominator | round) / 100)] | .[0]' true
	expect_json '.items[] | select(.code == "headcount_total") | .value == .numerator and .denominator == null' true
	# A past day and a baseline are answered as asked.
	as hr.quangninh GET "/api/v1/indicators?scope=province:22&as_of=2024-12-31&baseline=2023-12-31&since=2020-01-01"
	expect_status 200
	expect_json .as_of 2024-12-31
	expect_json '.items[] | select(.code == "headcount_growth") | .baseline_date' 2023-12-31
	expect_json '.items[] | select(.code == "people_trained_since") | .baseline_date' 2020-01-01
}

@test "GET /provinces/{code}/gaps: officers and steering their own province, the admin any; another is 404" {
	local who
	for who in admin hr.quangninh bcd.quangninh bcd.national; do
		as "$who" GET /api/v1/provinces/22/gaps
		expect_status 200 || return 1
	done
	for who in hr.quangninh bcd.quangninh; do
		as "$who" GET /api/v1/provinces/82/gaps
		expect_problem 404 not-found || return 1
		as "$who" GET "/api/v1/provinces/82/gaps?format=csv"
		expect_problem 404 not-found || return 1
	done
	as hr.dongthap GET /api/v1/provinces/22/gaps
	expect_problem 404 not-found
	as hr.dongthap GET /api/v1/provinces/82/gaps
	expect_status 200
	as admin GET /api/v1/provinces/82/gaps
	expect_status 200
	as admin GET /api/v1/provinces/99/gaps
	expect_problem 404 not-found
}

@test "GET /provinces/{code}/gaps: the documented shape, one item per current commune, the targets in force" {
	as bcd.quangninh GET /api/v1/provinces/22/gaps
	expect_status 200
	expect_header content-type '^application/json'
	expect_json .as_of "$TODAY"
	expect_json .units current
	expect_json .communes "$(communes_22)"
	expect_json '.items | length' "$(communes_22)"
	expect_json '[.items[] | select((.commune_code | type) == "string" and (.name | type) == "string" and (.flags | type) == "array" and (.numbers | type) == "object" | not)] | length' 0
	expect_json '[.items[].numbers | select(has("staff") and has("qualifying") and has("officials") and has("collaborators") and has("trained") and has("fte") and has("separations_12m") and has("turnover_rate") and has("vacant_days") | not)] | length' 0
	# Flags are from the documented list only.
	expect_json '[.items[].flags[] | select(IN("NO_STAFF", "NO_OFFICIAL", "NO_COLLABORATOR", "CONCURRENT_ONLY", "ALLOWANCE_BELOW_BASE", "UNTRAINED", "HIGH_TURNOVER", "TRAINED_LOST", "SHORT_TENURE", "VACANT") | not)] | length' 0
	expect_json '.targets | type' array
	expect_json '.targets | length > 0' true
	expect_json '[.targets[] | select(has("target_id") and has("indicator") and has("value") and has("threshold") and has("due_date") and has("missing") | not)] | length' 0
	# Only targets still to be met: due today or later.
	expect_json "[.targets[] | select(.due_date < \"$TODAY\")] | length" 0
	# A share target's "missing" is the communes it takes to reach it.
	expect_json '[.targets[] | select(.indicator == "communes_covered") | .missing == ([0, ((.threshold * .denominator / 100) | ceil) - .numerator] | max)] | all' true
}

@test "GET /communes/{code}/flags: the commune's item of its province's report, in scope only" {
	as hr.quangninh GET "/api/v1/communes/$G1/flags"
	expect_status 200
	expect_json .commune_code "$G1"
	expect_json .as_of "$TODAY"
	expect_json '.flags | type' array
	expect_json '.numbers | type' object
	local one
	one=$(jq -c '{commune_code, name, flags, numbers}' <<<"$body")
	[ "$(item "$G1" | jq -c '{commune_code, name, flags, numbers}')" = "$one" ] ||
	    fail_with "the commune's flags differ from its item in the province's report"
	as bcd.quangninh GET "/api/v1/communes/$G1/flags"
	expect_status 200
	as admin GET "/api/v1/communes/$C82/flags"
	expect_status 200
	as hr.quangninh GET "/api/v1/communes/$C82/flags"
	expect_problem 404 not-found
	as bcd.quangninh GET "/api/v1/communes/$C82/flags"
	expect_problem 404 not-found
	as hr.dongthap GET "/api/v1/communes/$G1/flags"
	expect_problem 404 not-found
	as admin GET /api/v1/communes/99999/flags
	expect_problem 404 not-found
}

# ----------------------------------------------------------------- parameters

@test "GET /indicators: a bad scope, units, as_of, baseline or since is 400 naming it" {
	local s
	for s in province commune:123 province:2 region:22 "national%20"; do
		as admin GET "/api/v1/indicators?scope=$s"
		expect_problem 400 invalid-parameter scope || return 1
	done
	as admin GET "/api/v1/indicators?scope=province:22&units=both"
	expect_problem 400 invalid-parameter units
	as admin GET "/api/v1/indicators?scope=province:22&as_of=$TOMORROW"
	expect_problem 400 invalid-parameter as_of
	as admin GET "/api/v1/indicators?scope=province:22&as_of=1999-12-31"
	expect_problem 400 invalid-parameter as_of
	as admin GET "/api/v1/indicators?scope=province:22&as_of=2026-02-30"
	expect_problem 400 invalid-parameter as_of
	as admin GET "/api/v1/indicators?scope=province:22&as_of=2025-01-01&baseline=2025-01-01"
	expect_problem 400 invalid-parameter baseline
	as admin GET "/api/v1/indicators?scope=province:22&as_of=2025-01-01&since=2025-01-02"
	expect_problem 400 invalid-parameter since
	as admin GET "/api/v1/indicators?scope=province:22&since=yesterday"
	expect_problem 400 invalid-parameter since
	# English on request.
	as admin GET "/api/v1/indicators?scope=province:22&units=both" "" -H 'Accept-Language: en'
	expect_json .detail "units must be one of: current, historical."
}

@test "GET /provinces/{code}/gaps: a bad flag, sort, format, units or as_of is 400 naming it" {
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=NOPE"
	expect_problem 400 invalid-parameter flag
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=no_staff"
	expect_problem 400 invalid-parameter flag
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=NO%20STAFF"
	expect_problem 400 invalid-parameter flag
	as hr.quangninh GET "/api/v1/provinces/22/gaps?sort=size"
	expect_problem 400 invalid-parameter sort
	as hr.quangninh GET "/api/v1/provinces/22/gaps?format=pdf"
	expect_problem 400 invalid-parameter format
	as hr.quangninh GET "/api/v1/provinces/22/gaps?units=all"
	expect_problem 400 invalid-parameter units
	as hr.quangninh GET "/api/v1/provinces/22/gaps?as_of=$TOMORROW"
	expect_problem 400 invalid-parameter as_of
	as hr.quangninh GET "/api/v1/provinces/22/gaps?as_of=$TOMORROW&format=csv"
	expect_problem 400 invalid-parameter as_of
	as hr.quangninh GET "/api/v1/provinces/22/gaps?as_of=22-01-2025"
	expect_problem 400 invalid-parameter as_of
	as hr.quangninh GET "/api/v1/communes/$G1/flags?units=today"
	expect_problem 400 invalid-parameter units
	as hr.quangninh GET "/api/v1/communes/$G1/flags?as_of=$TOMORROW"
	expect_problem 400 invalid-parameter as_of
}

@test "?flag= keeps the communes with that flag" {
	as hr.quangninh GET /api/v1/provinces/22/gaps
	local all
	all=$(jq '[.items[] | select(.flags | index("NO_STAFF"))] | length' <<<"$body")
	[ "$all" -gt 0 ] || fail_with "no commune without staff in Quảng Ninh?"
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=NO_STAFF"
	expect_status 200
	expect_json .flag NO_STAFF
	expect_json '.items | length' "$all"
	expect_json '[.items[] | select(.flags | index("NO_STAFF") | not)] | length' 0
	expect_json "[.items[].commune_code] | index(\"$G5\") != null" true
	# The province's commune count is still all of them.
	expect_json .communes "$(communes_22)"
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=TRAINED_LOST&sort=name"
	expect_status 200
	expect_json '[.items[] | select(.flags | index("TRAINED_LOST") | not)] | length' 0
}

@test "?sort=code (the default), name (Vietnamese order) or flags (most first)" {
	as hr.quangninh GET /api/v1/provinces/22/gaps
	expect_json '[.items[].commune_code] == ([.items[].commune_code] | sort)' true
	as hr.quangninh GET "/api/v1/provinces/22/gaps?sort=code"
	expect_json '[.items[].commune_code] == ([.items[].commune_code] | sort)' true
	as hr.quangninh GET "/api/v1/provinces/22/gaps?sort=name"
	expect_status 200
	local want
	want=$(owner_sql "SELECT string_agg(c.code, ',' ORDER BY c.name, c.code)
	    FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	    WHERE p.code = '22' AND p.valid_to IS NULL AND c.valid_to IS NULL")
	expect_json '[.items[].commune_code] | join(",")' "$want"
	# Vietnamese order: "Đ" after "D", not after "Z".
	expect_json '[.items[].name] | (index("Đông Triều") > index("Điền Xá")) and (index("Đông Triều") < index("Hà An"))' true
	as hr.quangninh GET "/api/v1/provinces/22/gaps?sort=flags"
	expect_status 200
	expect_json '[.items[] | [(- (.flags | length)), .commune_code]] | . == sort' true
	expect_json '(.items[0].flags | length) >= (.items[-1].flags | length)' true
}

# ----------------------------------------------------------------- exports

@test "?format=csv: an attachment with the Vietnamese headers, the keys, one row per commune" {
	as hr.quangninh GET "/api/v1/provinces/22/gaps?format=csv"
	expect_status 200
	expect_header content-type '^text/csv'
	expect_header content-disposition "^attachment; filename=\"canh-bao-22-$TODAY\\.csv\"$"
	local f="$BATS_TEST_TMPDIR/gaps.csv" rows="$BATS_TEST_TMPDIR/rows"
	cp "$(_tmp)/body" "$f"
	[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail_with "no UTF-8 BOM"
	csv_rows "$f" >"$rows"
	expect_eq "row 1" "Mã xã,Tên xã,Cảnh báo" "$(sed -n 1p "$rows" | jq -r '.[0:3] | join(",")')"
	expect_eq "row 2" "commune_code,name,flags,staff,qualifying" "$(sed -n 2p "$rows" | jq -r '.[0:5] | join(",")')"
	expect_eq "data rows" "$(communes_22)" "$(($(wc -l <"$rows") - 2))"
	# The rows are the JSON report's, in its order.
	as hr.quangninh GET /api/v1/provinces/22/gaps
	expect_eq "codes" "$(jq -r '[.items[].commune_code] | join(",")' <<<"$body")" \
	    "$(tail -n +3 "$rows" | jq -r '.[0]' | paste -sd,)"
	local json_row csv_row
	json_row=$(jq -c --arg c "$G5" '.items[] | select(.commune_code == $c) | [.commune_code, .name, (.flags | join(", ")), (.numbers.staff | tostring)]' <<<"$body")
	csv_row=$(grep -F "[\"$G5\"" "$rows" | jq -c '.[0:4]')
	expect_eq "row of $G5" "$json_row" "$csv_row"
	# The flag filter applies to the file too.
	as hr.quangninh GET "/api/v1/provinces/22/gaps?flag=NO_STAFF"
	local n
	n=$(jq '.items | length' <<<"$body")
	as hr.quangninh GET "/api/v1/provinces/22/gaps?format=csv&flag=NO_STAFF"
	expect_status 200
	cp "$(_tmp)/body" "$f"
	expect_eq "filtered rows" "$n" "$(($(csv_rows "$f" | wc -l) - 2))"
	# format=json is the default.
	as hr.quangninh GET "/api/v1/provinces/22/gaps?format=json"
	expect_status 200
	expect_header content-type '^application/json'
}

@test "?format=xlsx: a workbook (zip) with the sheet, headers and one row per commune" {
	as bcd.quangninh GET "/api/v1/provinces/22/gaps?format=xlsx&sort=name"
	expect_status 200
	expect_header content-type '^application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet'
	expect_header content-disposition "^attachment; filename=\"canh-bao-22-$TODAY\\.xlsx\"$"
	local f="$BATS_TEST_TMPDIR/gaps.xlsx" rows="$BATS_TEST_TMPDIR/rows"
	cp "$(_tmp)/body" "$f"
	[ "$(head -c 2 "$f")" = PK ] || fail_with "not a zip file"
	unzip -l "$f" | grep -q 'xl/worksheets/sheet1.xml' || fail_with "no sheet: $(unzip -l "$f")"
	unzip -p "$f" xl/workbook.xml | grep -q 'name="Cảnh báo theo xã"' ||
	    fail_with "sheet name: $(unzip -p "$f" xl/workbook.xml)"
	xlsx_rows "$f" >"$rows"
	expect_eq "row 1" "Mã xã,Tên xã,Cảnh báo" "$(sed -n 1p "$rows" | jq -r '.[0:3] | join(",")')"
	expect_eq "row 2" "commune_code,name,flags" "$(sed -n 2p "$rows" | jq -r '.[0:3] | join(",")')"
	expect_eq "data rows" "$(communes_22)" "$(($(wc -l <"$rows") - 2))"
	as bcd.quangninh GET "/api/v1/provinces/22/gaps?sort=name"
	expect_eq "names in order" "$(jq -r '[.items[].name] | join("|")' <<<"$body")" \
	    "$(tail -n +3 "$rows" | jq -r '.[1]' | paste -sd'|')"
	expect_eq "flags of $G5" "$(jq -r --arg c "$G5" '.items[] | select(.commune_code == $c) | .flags | join(", ")' <<<"$body")" \
	    "$(grep -F "[\"$G5\"" "$rows" | jq -r '.[2]')"
}

# ----------------------------------------------------------------- freshness

@test "fresh: a spell in a commune with no staff ends NO_STAFF on the next read" {
	expect_eq "flags before" "NO_STAFF,NO_OFFICIAL,NO_COLLABORATOR,UNTRAINED,VACANT" "$(flags "$G1")"
	expect_eq "never covered" true "$(number "$G1" never_covered)"
	local covered
	covered=$(indicator province:22 communes_covered numerator)
	unit "$G1"
	person
	spell "$pid" "$uid" commune_post 1 2020-01-01
	expect_eq "flags after" "NO_COLLABORATOR,UNTRAINED" "$(flags "$G1")"
	item "$G1" >"$BATS_TEST_TMPDIR/item"
	body=$(cat "$BATS_TEST_TMPDIR/item")
	expect_json .numbers.staff 1
	expect_json .numbers.qualifying 1
	expect_json .numbers.officials 1
	expect_json .numbers.fte 1
	expect_json .numbers.never_covered false
	expect_json .numbers.vacant_days null
	expect_json .numbers.headcount_12m_ago 1
	expect_eq "covered communes of the province" $((covered + 1)) \
	    "$(indicator province:22 communes_covered numerator)"
	expect_eq "the commune covered" 100 "$(indicator "commune:$G1" communes_covered value)"
	expect_eq "its headcount" 1 "$(indicator "commune:$G1" headcount_total value)"
	# The same on the commune's own route, and in the past before the spell.
	as hr.quangninh GET "/api/v1/communes/$G1/flags"
	expect_json '.flags | join(",")' "NO_COLLABORATOR,UNTRAINED"
	as hr.quangninh GET "/api/v1/communes/$G1/flags?as_of=2019-12-31"
	expect_json '.flags | index("NO_STAFF") != null' true
	expect_json .numbers.staff 0
	# Today's units as they are placed today (units=historical) agree.
	as hr.quangninh GET "/api/v1/communes/$G1/flags?units=historical"
	expect_status 200
	expect_json '.flags | join(",")' "NO_COLLABORATOR,UNTRAINED"
}

@test "fresh: a certificate that counts as social-work training ends UNTRAINED" {
	unit "$G2"
	person
	spell "$pid" "$uid" professional 1 2019-06-01
	local share_before
	share_before=$(indicator province:22 trained_share numerator)
	expect_eq "flags before" "NO_COLLABORATOR,UNTRAINED" "$(flags "$G2")"
	trained "$pid" 2025-03-01
	expect_eq "flags after" "NO_COLLABORATOR" "$(flags "$G2")"
	expect_eq "trained" 1 "$(number "$G2" trained)"
	expect_eq "trained share of the commune" 100 "$(indicator "commune:$G2" trained_share value)"
	expect_eq "trained people of the province" $((share_before + 1)) \
	    "$(indicator province:22 trained_share numerator)"
	# Before the certificate's date the person was not trained yet.
	as hr.quangninh GET "/api/v1/communes/$G2/flags?as_of=2025-02-28"
	expect_json '.flags | join(",")' "NO_COLLABORATOR,UNTRAINED"
}

@test "fresh: a collaborator's allowance below, then at, the base salary (ALLOWANCE_BELOW_BASE, coverage)" {
	unit "$G3"
	local base covered
	base=$(number "$G3" base_salary_vnd)
	[ "$base" -gt 0 ] || fail_with "no base salary today: $base"
	person
	spell "$pid" "$uid" collaborator 0.5 2020-01-01 "\"allowance_vnd\":$base"
	expect_eq "paid the base salary" "NO_OFFICIAL,UNTRAINED" "$(flags "$G3")"
	expect_eq "qualifying collaborators" 1 "$(number "$G3" collaborators_qualifying)"
	covered=$(indicator province:22 communes_covered numerator)

	as hr.quangninh PATCH "/api/v1/assignments/$aid" "{\"allowance_vnd\":$((base - 1))}"
	expect_status 200
	expect_eq "one dong below" "NO_STAFF,NO_OFFICIAL,ALLOWANCE_BELOW_BASE,UNTRAINED,VACANT" "$(flags "$G3")"
	item "$G3" >"$BATS_TEST_TMPDIR/item"
	body=$(cat "$BATS_TEST_TMPDIR/item")
	expect_json .numbers.collaborators 1
	expect_json .numbers.collaborators_qualifying 0
	expect_json .numbers.collaborators_below_base 1
	expect_json .numbers.qualifying 0
	expect_eq "covered communes of the province" $((covered - 1)) \
	    "$(indicator province:22 communes_covered numerator)"
	expect_eq "the commune not covered" 0 "$(indicator "commune:$G3" communes_covered value)"
	# Any collaborator counts toward "one official and one collaborator".
	expect_eq "collaborators of the commune" 1 "$(indicator "commune:$G3" headcount_collaborator value)"

	as hr.quangninh PATCH "/api/v1/assignments/$aid" "{\"allowance_vnd\":$base}"
	expect_status 200
	expect_eq "back at the base salary" "NO_OFFICIAL,UNTRAINED" "$(flags "$G3")"
	expect_eq "covered again" "$covered" "$(indicator province:22 communes_covered numerator)"
	expect_eq "the commune covered again" 100 "$(indicator "commune:$G3" communes_covered value)"
}

@test "fresh: ending a spell counts a separation (HIGH_TURNOVER); a trained person leaving is TRAINED_LOST" {
	unit "$G4"
	local p1 p2 a1 a2 seps
	person; p1=$pid
	spell "$p1" "$uid" commune_post 1 2020-01-01; a1=$aid
	person; p2=$pid
	spell "$p2" "$uid" concurrent 0.5 2020-01-01; a2=$aid
	expect_eq "flags before" "NO_COLLABORATOR,UNTRAINED" "$(flags "$G4")"
	expect_eq "separations before" 0 "$(number "$G4" separations_12m)"
	seps=$(indicator province:22 turnover_rate numerator)

	as hr.quangninh PATCH "/api/v1/assignments/$a1" "{\"end_date\":\"$YESTERDAY\",\"end_reason\":\"resigned\"}"
	expect_status 200
	item "$G4" >"$BATS_TEST_TMPDIR/item"
	body=$(cat "$BATS_TEST_TMPDIR/item")
	expect_json .numbers.separations_12m 1
	expect_json .numbers.voluntary_separations_12m 1
	expect_json .numbers.staff 1
	expect_json .numbers.headcount_12m_ago 2
	# 1 separation over the average of 1 now and 2 a year ago: 66.7%.
	expect_json .numbers.turnover_rate 66.7
	# Only concurrent-role staff is left.
	expect_json '.flags | join(",")' "NO_COLLABORATOR,CONCURRENT_ONLY,UNTRAINED,HIGH_TURNOVER"
	expect_eq "separations from the province" $((seps + 1)) \
	    "$(indicator province:22 turnover_rate numerator)"
	expect_eq "voluntary separations from the commune" 1 \
	    "$(indicator "commune:$G4" turnover_voluntary_rate numerator)"

	# The other, trained, leaves too: nobody is left, the commune has
	# been without staff for a day (not yet VACANT, which takes 90).
	trained "$p2" 2024-01-01
	as hr.quangninh PATCH "/api/v1/assignments/$a2" "{\"end_date\":\"$YESTERDAY\",\"end_reason\":\"transferred\"}"
	expect_status 200
	item "$G4" >"$BATS_TEST_TMPDIR/item"
	body=$(cat "$BATS_TEST_TMPDIR/item")
	expect_json .numbers.separations_12m 2
	expect_json .numbers.voluntary_separations_12m 1
	expect_json .numbers.trained_lost_12m 1
	expect_json .numbers.staff 0
	expect_json .numbers.vacant_days 1
	expect_json .numbers.vacant_since "$TODAY"
	expect_json .numbers.never_covered false
	expect_json '.flags | join(",")' "NO_STAFF,NO_OFFICIAL,NO_COLLABORATOR,UNTRAINED,HIGH_TURNOVER,TRAINED_LOST"
	expect_eq "separations from the province" $((seps + 2)) \
	    "$(indicator province:22 turnover_rate numerator)"
	# The day before they left, the commune had both of them.
	as hr.quangninh GET "/api/v1/communes/$G4/flags?as_of=$(owner_sql "SELECT current_date - 2")"
	expect_json .numbers.staff 2
	expect_json .numbers.separations_12m 0
}

@test "fresh: a new person's first months are SHORT_TENURE" {
	unit "$G5"
	person
	spell "$pid" "$uid" commune_post 1 "$(owner_sql "SELECT current_date - 30")"
	expect_eq "flags" "NO_COLLABORATOR,UNTRAINED,SHORT_TENURE" "$(flags "$G5")"
	expect_eq "median tenure in months" 1 "$(number "$G5" median_tenure_months)"
}

@test "fresh: a transfer to another commune of the province separates from the commune, not from the province" {
	unit "$G6"
	local from to seps
	from=$uid
	unit "$G1" sw_centre
	to=$uid
	person
	spell "$pid" "$from" professional 1 2020-01-01
	seps=$(indicator province:22 turnover_rate numerator)
	as hr.quangninh POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"$YESTERDAY\",\"work_unit_id\":$to}"
	expect_status 200
	expect_eq "separations from the commune" 1 "$(number "$G6" separations_12m)"
	expect_eq "flags of the commune left" "NO_STAFF,NO_OFFICIAL,NO_COLLABORATOR,UNTRAINED,HIGH_TURNOVER" "$(flags "$G6")"
	expect_eq "separations from the province" "$seps" \
	    "$(indicator province:22 turnover_rate numerator)"
	expect_eq "staff of the commune joined" 2 "$(number "$G1" staff)"
}

@test "units=historical: the province and its communes as they were on the day" {
	local n
	n=$(owner_sql "SELECT count(*) FROM geo.units c JOIN geo.units d ON d.id = c.parent_id
	    JOIN geo.units p ON p.id = d.parent_id
	    WHERE p.level = 'province' AND p.code = '22' AND p.valid_to = '2025-06-30'
	      AND c.level = 'commune' AND coalesce(c.valid_from, '2000-01-01') <= '2024-12-31'
	      AND c.valid_to >= '2024-12-31'")
	as hr.quangninh GET "/api/v1/provinces/22/gaps?as_of=2024-12-31&units=historical"
	expect_status 200
	expect_json .units historical
	expect_json .unit.valid_to 2025-06-30
	expect_json .communes "$n"
	expect_json '.items | length' "$n"
	as hr.quangninh GET "/api/v1/indicators?scope=province:22&as_of=2024-12-31&units=historical"
	expect_status 200
	expect_json '.items[] | select(.code == "communes_covered") | .denominator' "$n"
	# Old Đồng Tháp (87) is today's Đồng Tháp's, not Quảng Ninh's; it is
	# no current province.
	as hr.dongthap GET "/api/v1/provinces/87/gaps?as_of=2020-06-30&units=historical"
	expect_status 200
	expect_json .unit.name "Đồng Tháp"
	as hr.quangninh GET "/api/v1/provinces/87/gaps?as_of=2020-06-30&units=historical"
	expect_problem 404 not-found
	as admin GET "/api/v1/provinces/87/gaps"
	expect_problem 404 not-found
}

@test "a share target with nothing to count is not reported met (Cao Bằng has no facility)" {
	[ "$(owner_sql "SELECT count(*) FROM hr.work_units w JOIN geo.units p ON p.id = w.province_id
	    WHERE p.code = '04' AND w.kind IN ('sw_centre', 'protection_public',
		'protection_private', 'rehab_centre', 'shelter')")" = 0 ] ||
	    skip "Cao Bằng has facilities now"
	as admin GET /api/v1/provinces/04/gaps
	expect_status 200
	expect_json '[.targets[] | select(.indicator == "facilities_with_professional")] | length > 0' true
	expect_json '[.targets[] | select(.indicator == "facilities_with_professional") | .value] | unique' '[
  null
]'
	# 0 facilities of 0: the share is unknown, so is whether it is met.
	expect_json '[.targets[] | select(.value == null) | .met] | unique' '[
  null
]'
}

# Nothing in the API forbids as_of between 2000 and the start of Project
# 32 (2010-05-10), the default "since" of people_trained_since.

@test "indicators of a day before the first national plan (default since)" {
	as admin GET "/api/v1/indicators?scope=province:22&as_of=2009-12-31"
	expect_status 200
	expect_json .as_of 2009-12-31
}

@test "gaps of a day before the first national plan" {
	as hr.quangninh GET "/api/v1/provinces/22/gaps?as_of=2009-12-31"
	expect_status 200
	expect_json .as_of 2009-12-31
	expect_json '.items | length' "$(communes_22)"
}

@test "a commune's flags on a day before the first national plan" {
	as hr.quangninh GET "/api/v1/communes/$G1/flags?as_of=2009-12-31"
	expect_status 200
	expect_json '.flags | index("NO_STAFF") != null' true
}
