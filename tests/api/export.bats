#!/usr/bin/env bats
# Exporting people as CSV or XLSX (?format= on the people list): the file,
# who sees full citizen IDs, the audit of an export, the filters, and the
# round trip: an exported file imported back (dry run) changes nothing.

load helpers

XLSX_TYPE=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

setup_file() {
	login admin
	login hr.quangninh
	login hr.dongthap
	login bcd.quangninh
	login bcd.national
	local c22 c82
	c22=$(communes 22 14 2)
	c82=$(communes 82 70 1)
	export C22A C22B C82A
	{ read -r C22A; read -r C22B; } <<<"$c22"
	C82A=$c82
	export CID_BASE=$(( RANDOM % 90 * 1000 ))

	# The data this file exports, all named with TOK so ?q= finds it.
	export TOK U1 U2 U82 P1 P2 P3 CID1 CID2 CID3
	TOK=$(tr -dc 'a-z' </dev/urandom | head -c 8)
	as hr.quangninh POST /api/v1/work-units "$(jq -nc --arg c "$C22A" \
	    '{name: "Phòng \"CTXH\", Hạ Long; tầng 2", kind: "commune_office", commune_code: $c, opened_on: "2005-01-01"}')"
	U1=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/work-units "$(jq -nc --arg c "$C22B" \
	    '{name: "=Trạm SUM(1)", kind: "shelter", commune_code: $c, opened_on: "2005-01-01"}')"
	U2=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Trung tâm Đồng Tháp xuất\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82A\",\"opened_on\":\"2005-01-01\"}"
	U82=$(jq -r .id <<<"$body")

	CID1=$(cid 1984 female)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Nguyễn Thị Xuất ${TOK^}\",\"citizen_id\":\"$CID1\",\"sex\":\"female\",\"birth_date\":\"1984-02-29\",\"phone\":\"+84912345678\",\"email\":\"xuat@example.vn\",\"ethnicity\":\"Kinh\"}"
	P1=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$P1,\"work_unit_id\":$U1,\"category\":\"professional\",\"fte\":1,\"title_code\":\"V.09.04.02\",\"position\":\"Trưởng phòng, phụ trách \\\"trẻ em\\\"\",\"start_date\":\"2019-03-01\"}"
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$P1,\"work_unit_id\":$U2,\"category\":\"collaborator\",\"fte\":0.25,\"allowance_vnd\":1250000,\"start_date\":\"2015-01-01\",\"end_date\":\"2018-12-31\",\"end_reason\":\"contract_ended\"}"

	CID2=$(cid 1990 female)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"H'Mai Niê ${TOK^}\",\"citizen_id\":\"$CID2\",\"sex\":\"female\",\"birth_date\":\"1990-12-31\",\"ethnicity\":\"Ê Đê\"}"
	P2=$(jq -r .id <<<"$body")

	CID3=$(cid 2001)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Trần Văn Ba ${TOK^}\",\"citizen_id\":\"$CID3\",\"sex\":\"male\",\"birth_date\":\"2001-07-04\",\"phone\":\"0987 654 321\"}"
	P3=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$P3,\"work_unit_id\":$U1,\"category\":\"concurrent\",\"fte\":0.125,\"position\":\"- Phó nhóm\",\"start_date\":\"2023-09-01\"}"
}

cid() {
	free_cid 5 "$@"
}

# download WHO QUERY FILE: GET /api/v1/people?QUERY into FILE.
download() {
	as "$1" GET "/api/v1/people?$2" 2>/dev/null
	cp "$(_tmp)/body" "$3"
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
        if c.find('m:f', NS) is not None:
            v = '<formula>'
        elif c.get('t') == 'inlineStr':
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

# reimport WHO FILE: the file as a dry-run import by WHO.
reimport() {
	as "$1" POST /api/v1/imports "" -H 'Content-Type: application/octet-stream' \
	    --data-binary "@$2" --max-time 60
}

# expect_unchanged ROWS: the dry run found ROWS rows (any number if
# empty), every one clean and unchanged.
expect_unchanged() {
	expect_status 200 || return 1
	expect_json .status done || return 1
	expect_json '[.report[] | "row \(.row) \(.column) \(.code) \(.value)"] | join("; ")' "" || return 1
	[ -z "$1" ] || expect_json .summary.rows "$1" || return 1
	expect_json .summary.rows_with_problems 0 || return 1
	expect_json '.summary.rows_unchanged == .summary.rows and .summary.rows > 0' true || return 1
	expect_json .summary.people_created 0 || return 1
	expect_json .summary.people_updated 0 || return 1
	expect_json .summary.assignments_created 0 || return 1
	expect_json .summary.assignments_updated 0 || return 1
	expect_json .summary.written false
}

@test "?format=csv is an attachment: BOM, Vietnamese headers, keys, then one row per spell" {
	as hr.quangninh GET "/api/v1/people?format=csv&q=$TOK"
	expect_status 200
	expect_header content-type '^text/csv'
	expect_header content-disposition '^attachment; filename="nhan-su-[0-9]{4}-[0-9]{2}-[0-9]{2}\.csv"$'
	local f="$BATS_TEST_TMPDIR/x.csv"
	cp "$(_tmp)/body" "$f"
	[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail_with "no UTF-8 BOM"
	csv_rows "$f" >"$BATS_TEST_TMPDIR/rows"
	local rows="$BATS_TEST_TMPDIR/rows"
	[ "$(sed -n 1p "$rows" | jq -r '.[0:4] | join(",")')" = "Họ và tên,Số định danh cá nhân,Giới tính,Ngày sinh" ] ||
	    fail_with "row 1: $(sed -n 1p "$rows")"
	[ "$(sed -n 2p "$rows" | jq -r '.[0:4] | join(",")')" = "full_name,citizen_id,sex,birth_date" ] ||
	    fail_with "row 2: $(sed -n 2p "$rows")"
	# P1 has two spells, P3 one, P2 none: four data rows.
	[ "$(wc -l <"$rows")" = 6 ] || fail_with "$(cat "$rows")"
	grep -q "\"$CID1\"" "$rows" || fail_with "the full ID of P1 is missing"
	grep -q "\"$CID2\"" "$rows" || fail_with "the full ID of P2 is missing"
	[ "$(grep -c "\"$CID1\"" "$rows")" = 2 ] || fail_with "P1 should have two rows"
}

@test "the CSV keeps every value: quotes, commas, semicolons, dates, numbers" {
	download hr.quangninh "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/x.csv"
	local rows
	rows=$(csv_rows "$BATS_TEST_TMPDIR/x.csv" | tail -n +3 | jq -sc '.')
	local keys
	keys=$(csv_rows "$BATS_TEST_TMPDIR/x.csv" | sed -n 2p)
	# As objects keyed by the second header row.
	body=$(jq -c --argjson k "$keys" '[.[] | [$k, .] | transpose | map({(.[0]): .[1]}) | add]' <<<"$rows")
	expect_json "[.[] | select(.citizen_id == \"$CID1\" and .category == \"professional\")][0] | [.work_unit_name, .position, .title_code, .fte, .start_date, .end_date] | join(\"|\")" \
	    "Phòng \"CTXH\", Hạ Long; tầng 2|Trưởng phòng, phụ trách \"trẻ em\"|V.09.04.02|1|2019-03-01|"
	expect_json "[.[] | select(.citizen_id == \"$CID1\" and .category == \"collaborator\")][0] | [.allowance_vnd, .fte, .end_date, .end_reason] | join(\"|\")" \
	    "1250000|0.25|2018-12-31|contract_ended"
	expect_json "[.[] | select(.citizen_id == \"$CID2\")][0] | [.full_name, .ethnicity, .birth_date, .work_unit_id, .category] | join(\"|\")" \
	    "H'Mai Niê ${TOK^}|Ê Đê|1990-12-31||"
	expect_json "[.[] | select(.citizen_id == \"$CID3\")][0] | [.phone, .fte, .commune_code] | join(\"|\")" \
	    "0987654321|0.125|$C22A"
}

@test "CSV cells Excel would run as formulas are guarded with an apostrophe" {
	download hr.quangninh "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/x.csv"
	grep -q "'+84912345678" "$BATS_TEST_TMPDIR/x.csv" || fail_with "the phone is not guarded"
	grep -q "'=Trạm SUM(1)" "$BATS_TEST_TMPDIR/x.csv" || fail_with "the unit name is not guarded"
	grep -q "'- Phó nhóm" "$BATS_TEST_TMPDIR/x.csv" || fail_with "the position is not guarded"
	! grep -q ',=' "$BATS_TEST_TMPDIR/x.csv" || fail_with "a cell starts with ="
}

@test "?format=xlsx is a workbook attachment with the same rows, IDs kept as text" {
	as hr.quangninh GET "/api/v1/people?format=xlsx&q=$TOK" 2>/dev/null
	expect_status 200
	expect_header content-type "^$XLSX_TYPE"
	expect_header content-disposition '^attachment; filename="nhan-su-[0-9]{4}-[0-9]{2}-[0-9]{2}\.xlsx"$'
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/x.xlsx"
	run xlsx_rows "$BATS_TEST_TMPDIR/x.xlsx"
	[ "$status" = 0 ] || fail_with "not a readable workbook: $output"
	local rows="$BATS_TEST_TMPDIR/rows"
	printf '%s\n' "$output" >"$rows"
	[ "$(sed -n 1p "$rows" | jq -r '.[0]')" = "Họ và tên" ] || fail_with "row 1: $(sed -n 1p "$rows")"
	[ "$(sed -n 2p "$rows" | jq -r '.[1]')" = citizen_id ] || fail_with "row 2: $(sed -n 2p "$rows")"
	[ "$(wc -l <"$rows")" = 6 ] || fail_with "$(cat "$rows")"
	[ "$(grep -c "\"$CID1\"" "$rows")" = 2 ] || fail_with "P1's ID (with its leading 0) should be on two rows"
	grep -q '"=Trạm SUM(1)"' "$rows" || fail_with "the unit name is not text"
	! grep -q '<formula>' "$rows" || fail_with "the export holds a formula"
}

@test "steering exports get masked citizen IDs" {
	local who
	for who in bcd.quangninh bcd.national; do
		download "$who" "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/s.csv"
		expect_status 200
		! grep -q -e "$CID1" -e "$CID2" -e "$CID3" "$BATS_TEST_TMPDIR/s.csv" || fail_with "$who got a full ID"
		grep -q "•••••••••${CID1: -3}" "$BATS_TEST_TMPDIR/s.csv" || fail_with "$who: no masked ID"
		download "$who" "format=xlsx&q=$TOK" "$BATS_TEST_TMPDIR/s.xlsx"
		expect_status 200
		xlsx_rows "$BATS_TEST_TMPDIR/s.xlsx" >"$BATS_TEST_TMPDIR/s.rows"
		! grep -q -e "$CID1" -e "$CID2" -e "$CID3" "$BATS_TEST_TMPDIR/s.rows" || fail_with "$who got a full ID in XLSX"
	done
}

@test "an admin's export shows full IDs; another province's officer exports none of these people" {
	download admin "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/a.csv"
	expect_status 200
	grep -q "$CID1" "$BATS_TEST_TMPDIR/a.csv" || fail_with "admin did not get the full ID"
	download hr.dongthap "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/d.csv"
	expect_status 200
	[ "$(csv_rows "$BATS_TEST_TMPDIR/d.csv" | wc -l)" = 2 ] || fail_with "hr.dongthap exported rows: $(cat "$BATS_TEST_TMPDIR/d.csv")"
	as hr.dongthap GET '/api/v1/people?format=csv&province=22'
	expect_problem 403 out-of-scope province
}

@test "an export is audited as people.export with the people whose IDs it revealed" {
	download hr.quangninh "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/x.csv"
	as admin GET '/api/v1/audit?entity=people&limit=1'
	expect_json '.items[0].action' people.export
	expect_json '.items[0].actor_login' hr.quangninh
	expect_json '.items[0].after.rows' 4
	expect_json '.items[0].after.revealed_ids | sort | map(tostring) | join(",")' \
	    "$(printf '%s\n' "$P1" "$P2" "$P3" | sort -n | paste -sd,)"
	expect_json '.items[0].after.filter.q' "$TOK"
	download bcd.quangninh "format=xlsx&q=$TOK" "$BATS_TEST_TMPDIR/x.xlsx"
	as admin GET '/api/v1/audit?entity=people&limit=1'
	expect_json '.items[0].actor_login' bcd.quangninh
	expect_json '.items[0].after.revealed_ids' '[]'
}

@test "export filters pick people; each comes with all their spells" {
	download hr.quangninh "format=csv&q=$TOK&category=collaborator" "$BATS_TEST_TMPDIR/c.csv"
	expect_status 200
	csv_rows "$BATS_TEST_TMPDIR/c.csv" | tail -n +3 >"$BATS_TEST_TMPDIR/c.rows"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/c.rows")" = 2 ] || fail_with "$(cat "$BATS_TEST_TMPDIR/c.rows")"
	[ "$(grep -c "$CID1" "$BATS_TEST_TMPDIR/c.rows")" = 2 ] || fail_with "not P1's two spells"
	download hr.quangninh "format=csv&q=$TOK&work_unit=$U1&active_on=2024-01-01" "$BATS_TEST_TMPDIR/w.csv"
	csv_rows "$BATS_TEST_TMPDIR/w.csv" | tail -n +3 >"$BATS_TEST_TMPDIR/w.rows"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/w.rows")" = 3 ] || fail_with "$(cat "$BATS_TEST_TMPDIR/w.rows")"
	! grep -q "$CID2" "$BATS_TEST_TMPDIR/w.rows" || fail_with "P2 has no spell and should be left out"
	download hr.quangninh "format=csv&q=${CID2: -6}" "$BATS_TEST_TMPDIR/q.csv"
	csv_rows "$BATS_TEST_TMPDIR/q.csv" | tail -n +3 >"$BATS_TEST_TMPDIR/q.rows"
	grep -q "$CID2" "$BATS_TEST_TMPDIR/q.rows" || fail_with "?q= by the ID's last digits"
}

@test "export parameters are checked like the list's" {
	as hr.quangninh GET '/api/v1/people?format=ods'
	expect_problem 400 invalid-parameter format
	as hr.quangninh GET '/api/v1/people?format=csv&category=boss'
	expect_problem 400 invalid-parameter category
	as hr.quangninh GET '/api/v1/people?format=xlsx&active_on=2024-13-01'
	expect_problem 400 invalid-parameter active_on
	as hr.quangninh GET '/api/v1/people?format=json&q=zzzzzzzzzzzz'
	expect_status 200
	expect_json '.items | type' array
}

@test "round trip: a CSV export imported back as a dry run changes nothing" {
	download hr.quangninh "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/rt.csv"
	reimport hr.quangninh "$BATS_TEST_TMPDIR/rt.csv"
	expect_unchanged 4
	expect_json .format csv
	expect_json .file_problems '[]'
}

@test "round trip: an XLSX export imported back as a dry run changes nothing" {
	download hr.quangninh "format=xlsx&q=$TOK" "$BATS_TEST_TMPDIR/rt.xlsx"
	reimport hr.quangninh "$BATS_TEST_TMPDIR/rt.xlsx"
	expect_unchanged 4
	expect_json .format xlsx
	expect_json .file_problems '[]'
}

@test "round trip: committing the export back writes nothing and audits no person" {
	download hr.quangninh "format=xlsx&q=$TOK" "$BATS_TEST_TMPDIR/rt.xlsx"
	local audit
	audit=$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'person' AND entity_id IN ('$P1', '$P2', '$P3')")
	as hr.quangninh POST '/api/v1/imports?commit=true' "" -H "Content-Type: $XLSX_TYPE" \
	    --data-binary "@$BATS_TEST_TMPDIR/rt.xlsx" --max-time 60
	expect_status 200
	expect_json .summary.written true
	expect_json .summary.rows_unchanged 4
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'person' AND entity_id IN ('$P1', '$P2', '$P3')")" = "$audit" ] ||
	    fail_with "the unchanged import audited changes"
	as hr.quangninh GET "/api/v1/people/$P1"
	expect_json '.assignments | length' 2
	expect_json .phone +84912345678
}

@test "round trip: the whole province's CSV export imports back unchanged" {
	download hr.quangninh "format=csv" "$BATS_TEST_TMPDIR/all.csv"
	expect_status 200
	reimport hr.quangninh "$BATS_TEST_TMPDIR/all.csv"
	expect_unchanged ""
}

@test "round trip: the whole province's XLSX export imports back unchanged" {
	download hr.quangninh "format=xlsx" "$BATS_TEST_TMPDIR/all.xlsx"
	expect_status 200
	reimport hr.quangninh "$BATS_TEST_TMPDIR/all.xlsx"
	expect_unchanged ""
}

@test "round trip: after a transfer into another province, the new province's export imports back unchanged" {
	local tok cid pid aid
	tok=$(tr -dc 'a-z' </dev/urandom | head -c 8)
	cid=$(cid 1986)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Lưu Văn Chuyển ${tok^}\",\"citizen_id\":\"$cid\",\"sex\":\"male\",\"birth_date\":\"1986-06-06\"}"
	pid=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$U1,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2016-01-01\"}"
	aid=$(jq -r .id <<<"$body")
	as admin POST "/api/v1/people/$pid/transfer" "{\"assignment_id\":$aid,\"end_date\":\"2024-12-31\",\"work_unit_id\":$U82}"
	expect_status 200
	download hr.dongthap "format=csv&q=$tok" "$BATS_TEST_TMPDIR/moved.csv"
	[ "$(csv_rows "$BATS_TEST_TMPDIR/moved.csv" | wc -l)" = 4 ] || fail_with "$(cat "$BATS_TEST_TMPDIR/moved.csv")"
	reimport hr.dongthap "$BATS_TEST_TMPDIR/moved.csv"
	expect_unchanged 2
}

@test "an export of more rows than the cap is 422 export-too-large, naming the cap; at the cap it is whole" {
	local st b
	# The cap (99,998 rows) lowered for this test: TOK selects four rows.
	owner_sql "CREATE OR REPLACE FUNCTION lib.export_max_rows() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 3'"
	as hr.quangninh GET "/api/v1/people?format=xlsx&q=$TOK" "" -H 'Accept-Language: en'
	st=$status_code b=$body
	cp "$(_tmp)/headers" "$BATS_TEST_TMPDIR/refused.headers"
	owner_sql "CREATE OR REPLACE FUNCTION lib.export_max_rows() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 4'"
	download hr.quangninh "format=csv&q=$TOK" "$BATS_TEST_TMPDIR/x.csv"
	owner_sql "CREATE OR REPLACE FUNCTION lib.export_max_rows() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 99998'"
	[ "$(csv_rows "$BATS_TEST_TMPDIR/x.csv" | wc -l)" = 6 ] ||
	    fail_with "at the cap: $(cat "$BATS_TEST_TMPDIR/x.csv")"
	status_code=$st body=$b
	cp "$BATS_TEST_TMPDIR/refused.headers" "$(_tmp)/headers"
	expect_problem 422 export-too-large
	[[ $(jq -r .detail <<<"$body") == *"more than 3 rows"* ]] || fail_with "the detail does not name the cap"
}

@test "CSV exports write control characters as U+FFFD, keeping tabs and line breaks" {
	local f="$BATS_TEST_TMPDIR/x.csv" was
	# Stored before names and labels were checked for them.
	was=$(owner_sql "SELECT position FROM hr.assignments WHERE person_id = $P3")
	owner_sql "UPDATE hr.assignments SET position = E'a\\x1bb\\x07c\\x7fd\\u0085e\\tf\\ng' WHERE person_id = $P3"
	download hr.quangninh "format=csv&q=$TOK" "$f"
	owner_sql "UPDATE hr.assignments SET position = '$was' WHERE person_id = $P3"
	! LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$f" || fail_with "a raw control byte: $(od -c "$f" | head -40)"
	! grep -q $'\xc2[\x80-\x9f]' "$f" || fail_with "a raw C1 control"
	csv_rows "$f" | grep -qF '"a�b�c�d�e\tf\ng"' || fail_with "$(csv_rows "$f")"
}
