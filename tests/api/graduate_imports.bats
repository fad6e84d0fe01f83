#!/usr/bin/env bats
# Graduates imported from a spreadsheet by a registrar: the templates,
# dry runs that report every row's problems (a bad level, a diploma
# number twice in the file, one citizen ID with two identities, a reader
# problem) and write nothing at all, commits refused whole, a clean
# commit that registers every row with its credential signed at once, a
# re-import refused row by row, a filled-in XLSX template, and the files,
# parameters and roles refused before anything is checked.

load helpers
load amplify

HDR=full_name,citizen_id,birth_date,sex,programme_code,programme_name,level,field,graduation_date,diploma_number
KEYS=$HDR
XLSX_TYPE=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

setup_file() {
	local who
	for who in admin ulsa hr.quangninh bcd.quangninh; do
		login "$who"
	done
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TAG
	TAG=GI-$(tr -dc 'A-Z' </dev/urandom | head -c 6)
}

cid() {
	free_cid 8 "${1:-2001}" "${2:-female}" 001
}

# upload WHO FILE [QUERY] [CONTENT_TYPE] [CURL_ARGS...]: POSTs FILE as
# the request body.
upload() {
	local who=$1 file=$2 query=${3-} ctype=${4:-text/csv}
	as "$who" POST "/api/v1/graduates/imports${query:+?$query}" "" \
	    -H "Content-Type: $ctype" --data-binary "@$file" --max-time 60 \
	    "${@:5}"
}

# grow NAME CID BIRTH SEX DIPLOMA [LEVEL]: a CSV row, a degree in social
# work awarded on 2025-06-30.
grow() {
	echo "$1,$2,$3,$4,7760101,Công tác xã hội,${6:-dai_hoc},social_work,2025-06-30,$5"
}

holders() {
	local ids
	ids=$(printf "'%s'," "$@")
	owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id IN (${ids%,})"
}

# What a dry run must leave as it was: people, degrees, credentials and
# the audit log but for the check's own row (graduate.import_check).
footprint() {
	owner_sql "SELECT (SELECT count(*) FROM hr.people) || '/' ||
	    (SELECT count(*) FROM training.qualifications) || '/' ||
	    (SELECT count(*) FROM training.credentials) || '/' ||
	    (SELECT count(*) FROM audit.log
	      WHERE action <> 'graduate.import_check')"
}

# row_json ROW: the report's entry for a row of the file.
row_json() {
	jq -c --argjson r "$1" '(.rows // .import.rows)[] | select(.row == $r)' <<<"$body"
}

# expect_row ROW STATUS [CODE FIELD]: the row's status and first problem.
expect_row() {
	local got
	got=$(row_json "$1" | jq -r '[.status] + (.problems[:1] |
	    map(.code, (.field // "-"))) | join(" ")')
	[ "$got" = "$2${3:+ $3 $4}" ] ||
	    fail_with "row $1: expected '$2${3:+ $3 $4}', got '$got'"
}

@test "the CSV template: a UTF-8 BOM, Vietnamese headers, the keys, an example comment row" {
	as ulsa GET /api/v1/imports/templates/graduates.csv
	expect_status 200
	expect_header content-type '^text/csv'
	expect_header content-disposition '^attachment; filename="mau-nhap-tot-nghiep\.csv"$'
	local f="$(_tmp)/body" l1 l2 l3
	[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail_with "no UTF-8 BOM"
	l1=$(sed -n 1p "$f" | tr -d '\r')
	l2=$(sed -n 2p "$f" | tr -d '\r')
	l3=$(sed -n 3p "$f" | tr -d '\r')
	[[ $l1 == $'\xef\xbb\xbf'"Họ và tên,Số định danh cá nhân,Ngày sinh,Giới tính,Mã ngành đào tạo,"* ]] ||
	    fail_with "row 1: $l1"
	[ "$l2" = "$KEYS" ] || fail_with "row 2: $l2"
	[[ $l3 == "#"* ]] || fail_with "row 3 is not a comment: $l3"
	[ "$(wc -l <"$f")" = 3 ] || fail_with "more than three rows"
}

@test "the XLSX template: the list sheet, the guide and drop-downs for sex, level and field" {
	as ulsa GET /api/v1/imports/templates/graduates.xlsx
	expect_status 200
	expect_header content-type "^$XLSX_TYPE"
	expect_header content-disposition '^attachment; filename="mau-nhap-tot-nghiep\.xlsx"$'
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.xlsx"
	run python3 - "$BATS_TEST_TMPDIR/t.xlsx" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = re.findall(r'<sheet [^>]*name="([^"]+)"', z.read('xl/workbook.xml').decode())
assert names[:2] == ['Người tốt nghiệp', 'Hướng dẫn - Guide'], names
sheet = z.read('xl/worksheets/sheet1.xml').decode()
lists = re.findall(r'<dataValidation [^>]*type="list"[^>]*>\s*<formula1>([^<]*)</formula1>', sheet)
assert '"male,female"' in lists, lists
assert any('so_cap' in l and 'tien_si' in l for l in lists), lists
assert any('social_work' in l and 'related_social_science' in l for l in lists), lists
print('ok')
EOF
	[ "$status" = 0 ] || fail_with "template check: $output"
	as admin GET /api/v1/imports/templates/graduates.xlsx
	expect_status 200
	as admin GET /api/v1/imports/templates/graduates.csv
	expect_status 200
}

@test "officers and steering committees may neither download the template nor import" {
	local f="$BATS_TEST_TMPDIR/one.csv" who
	{ echo "$HDR"; grow "Lê Thị Một" "$(cid)" 2001-01-01 female "$TAG-X1"; } >"$f"
	for who in hr.quangninh bcd.quangninh; do
		as "$who" GET /api/v1/imports/templates/graduates.xlsx
		expect_problem 403 forbidden
		as "$who" GET /api/v1/imports/templates/graduates.csv
		expect_problem 403 forbidden
		upload "$who" "$f"
		expect_problem 403 forbidden
		upload "$who" "$f" commit=true
		expect_problem 403 forbidden
	done
	req POST /api/v1/graduates/imports "" -H 'Content-Type: text/csv' --data-binary "@$f"
	expect_problem 401 unauthenticated
}

@test "a dry run reports every row: a bad level, a diploma number twice, two identities for one ID, a reader problem; nothing written" {
	local f="$BATS_TEST_TMPDIR/dry.csv" a b c before
	a=$(cid 2001 female)
	b=$(cid 2000 male)
	c=$(cid 2002 female)
	cat >"$f" <<EOF
$HDR
$(grow "Trần Thị Lan" "$a" 2001-02-03 female "$TAG-D1")
$(grow "Hoàng Văn Minh" "$b" 2000-07-08 male "$TAG-D1")
$(grow "Lý Thị Hồng" "$c" 2002-11-30 female "$TAG-D3" bachelor)
$(grow "Trần Thị Lanh" "$a" 2001-02-03 female "$TAG-D4")
$(grow "Đỗ Văn Tiền" 999001012345 2001-01-01 male "$TAG-D5")
$(grow "Lý Thị Hồng" "$c" 2002-11-30 female "$TAG-D6" thac_si)
EOF
	before=$(footprint)
	upload ulsa "$f" "filename=khoa-2025.csv"
	expect_status 200
	expect_header content-type '^application/json'
	expect_json .commit false
	expect_json .written false
	expect_json .institution_code ULSA
	expect_json .filename khoa-2025.csv
	expect_json .rows_total 6
	expect_json .summary.ok 2
	expect_json .summary.with_problems 4
	# A check counts no people: that would tell who is on record.
	expect_json '.summary | has("new_people") or has("matched_people")' false
	expect_json .file_problems '[]'
	expect_json 'has("_sign")' false
	expect_row 2 ok
	expect_row 3 problem diploma-exists diploma_number
	expect_row 4 problem invalid-code level
	expect_row 5 problem identity-mismatch citizen_id
	expect_row 6 problem cccd-prefix citizen_id
	expect_row 7 ok
	# Clashes inside the file name the row they clash with.
	row_json 3 | jq -e '.problems[0].en | test("Row 2 of this file")' >/dev/null ||
	    fail_with "row 3 does not name row 2: $(row_json 3)"
	row_json 3 | jq -e '.problems[0].vi | test("dòng 2 của tệp")' >/dev/null ||
	    fail_with "row 3 does not name row 2 in Vietnamese: $(row_json 3)"
	row_json 5 | jq -e '.problems[0].en | test("Row 2 of this file")' >/dev/null ||
	    fail_with "row 5 does not name row 2: $(row_json 5)"
	# Nothing of a dry run shows ids that were never written.
	expect_json '[.rows[] | select(has("person_id") or has("credential_id") or has("graduate_id"))] | length' 0
	[ "$(footprint)" = "$before" ] || fail_with "a dry run wrote: $before -> $(footprint)"
	[ "$(holders "$a" "$b" "$c")" = 0 ] || fail_with "a dry run wrote people"
}

@test "a row gets all of its field problems at once" {
	local f="$BATS_TEST_TMPDIR/many.csv"
	{ echo "$HDR"
	  echo "Võ Thị Sai,$(cid 2001 female),2001-05-06,female,77601,,doctor,law,2099-01-01,$TAG-M1"
	} >"$f"
	upload ulsa "$f"
	expect_status 200
	expect_json '[.rows[0].problems[] | "\(.field) \(.code)"] | sort | join(",")' \
	    "field invalid-code,graduation_date future-date,level invalid-code,programme_code invalid-programme-code"
}

@test "a commit with problems is 422 import-has-problems with the report, and writes nothing" {
	local f="$BATS_TEST_TMPDIR/bad.csv" a b before
	a=$(cid 2001 female)
	b=$(cid 2000 male)
	cat >"$f" <<EOF
$HDR
$(grow "Trần Thị Lan" "$a" 2001-02-03 female "$TAG-B1")
$(grow "Hoàng Văn Minh" "$b" 2000-07-08 male "$TAG-B1")
EOF
	before=$(footprint)
	upload ulsa "$f" commit=true
	expect_problem 422 import-has-problems
	expect_json .import.commit true
	expect_json .import.written false
	expect_json .import.summary.ok 1
	expect_json .import.summary.with_problems 1
	expect_row 2 ok
	expect_row 3 problem diploma-exists diploma_number
	expect_json 'has("_sign") or (.import | has("_sign"))' false
	[ "$(footprint)" = "$before" ] || fail_with "a refused commit wrote: $before -> $(footprint)"
	[ "$(holders "$a" "$b")" = 0 ] || fail_with "a refused commit wrote people"
	upload ulsa "$f" commit=true text/csv -H 'Accept-Language: en'
	expect_problem 422 import-has-problems
	expect_json '.detail | test("Nothing was written")' true
}

@test "a clean commit registers every row, each credential signed at once; the same file again is refused row by row" {
	local f="$BATS_TEST_TMPDIR/good.csv" a b k kept n cred
	a=$(cid 2001 female)
	b=$(cid 2000 male)
	# One person already on record (kept by Quảng Ninh), matched by ID.
	k=$(cid 1998 male)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Phạm Văn Khoa\",\"citizen_id\":\"$k\",\"sex\":\"male\",\"birth_date\":\"1998-04-05\"}"
	expect_status 201
	kept=$(jq -r .id <<<"$body")
	cat >"$f" <<EOF
$HDR
$(grow "Trần Thị Lan" "$a" 2001-02-03 female "$TAG-G1")
$(grow "Hoàng Văn Minh" "$b" 2000-07-08 male "$TAG-G2")
$(grow "Trần Thị Lan" "$a" 2001-02-03 female "$TAG-G3" thac_si)
$(grow "PHẠM VĂN KHOA" "$k" 1998-04-05 male "$TAG-G4")
EOF
	upload ulsa "$f" commit=true
	expect_status 200
	expect_header content-type '^application/json'
	expect_json .commit true
	expect_json .written true
	expect_json .summary.ok 4
	expect_json .summary.with_problems 0
	expect_json .summary.new_people 2
	expect_json .summary.matched_people 1
	expect_json 'has("_sign")' false
	expect_json '[.rows[] | select(.status == "ok" and (.graduate_id | type) == "number"
	    and (.person_id | type) == "number" and (.credential_id | type) == "string")] | length' 4
	expect_json '[.rows[].person_id] | unique | length' 3
	expect_json "[.rows[] | select(.row == 5) | .person_id] | .[0]" "$kept"
	[ "$(holders "$a" "$b" "$k")" = 3 ] || fail_with "people not written"
	local report=$body
	for n in 2 3 4 5; do
		cred=$(jq -r --argjson r "$n" '.rows[] | select(.row == $r) | .credential_id' <<<"$report")
		as ulsa GET "/api/v1/credentials/$cred"
		expect_status 200
		expect_json .status signed
		expect_json '.jws | split(".") | length' 3
	done
	local g
	g=$(jq -r '.rows[] | select(.row == 4) | .graduate_id' <<<"$report")
	as ulsa GET "/api/v1/graduates/$g"
	expect_json .diploma_number "$TAG-G3"
	expect_json .level thac_si
	expect_json .credential_status signed
	as admin GET "/api/v1/audit?entity=institution&entity_id=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")"
	expect_json '[.items[] | select(.action == "graduate.import")][0].after.ok' 4

	# The same file again: every row is a diploma the institution has.
	local before
	before=$(footprint)
	upload ulsa "$f"
	expect_status 200
	expect_json .summary.ok 0
	expect_json .summary.with_problems 4
	expect_json '[.rows[] | select(.status == "problem" and .problems[0].code == "diploma-exists" and .problems[0].field == "diploma_number")] | length' 4
	upload ulsa "$f" commit=true
	expect_problem 422 import-has-problems
	expect_json '[.import.rows[] | select(.problems[0].code == "diploma-exists")] | length' 4
	[ "$(footprint)" = "$before" ] || fail_with "a re-import wrote: $before -> $(footprint)"
}

@test "the downloaded XLSX template, filled in, commits; a multipart upload works too" {
	as ulsa GET /api/v1/imports/templates/graduates.xlsx
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.xlsx"
	local a b
	a=$(cid 2003 female)
	b=$(cid 2002 male)
	run python3 - "$BATS_TEST_TMPDIR/t.xlsx" "$BATS_TEST_TMPDIR/filled.xlsx" \
	    "Vương Thị Thu|$a|2003-10-11|female|7760101||dai_hoc|social_work|2025-06-30|$TAG-X1" \
	    "Đinh Văn Hải|$b|12/01/2002|nam|7310401|Tâm lý học|dai_hoc|psychology|30/06/2025|$TAG-X2" <<'EOF'
import re, sys, zipfile
from xml.sax.saxutils import escape
src, dst, rows = sys.argv[1], sys.argv[2], sys.argv[3:]
def row(n, line):
    return '<row r="%d">%s</row>' % (n, ''.join(
        '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), n, escape(v))
        for i, v in enumerate(line.split('|')) if v))
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == 'xl/worksheets/sheet1.xml':
            text = data.decode()
            filled = ''.join(row(3 + i, l) for i, l in enumerate(rows))
            text, n = re.subn(r'<row r="3".*?</row>', filled, text, flags=re.S)
            assert n == 1
            data = text.encode()
        zout.writestr(item, data)
EOF
	[ "$status" = 0 ] || fail_with "filling the template: $output"
	upload ulsa "$BATS_TEST_TMPDIR/filled.xlsx" commit=true "$XLSX_TYPE"
	expect_status 200
	expect_json .written true
	expect_json .summary.ok 2
	expect_json .summary.new_people 2
	[ "$(holders "$a" "$b")" = 2 ] || fail_with "people not written"
	as ulsa GET "/api/v1/graduates?q=$b"
	expect_json '.items[0].birth_date' 2002-01-12
	expect_json '.items[0].field' psychology
	expect_json '.items[0].credential_status' signed

	local f="$BATS_TEST_TMPDIR/danh-sach.csv"
	{ echo "$HDR"; grow "Lê Thị Form" "$(cid)" 2001-01-01 female "$TAG-F1"; } >"$f"
	as ulsa POST /api/v1/graduates/imports "" -F "file=@$f;type=text/csv"
	expect_status 200
	expect_json .filename danh-sach.csv
	expect_json .summary.ok 1
}

@test "an administrator names the institution by code or id; a registrar may not name another" {
	local f="$BATS_TEST_TMPDIR/adm.csv" ulsa tuu
	{ echo "$HDR"; grow "Lê Thị Quản" "$(cid)" 2001-01-01 female "$TAG-A1"; } >"$f"
	ulsa=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	tuu=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'TUU'")
	upload admin "$f"
	expect_problem 422 required institution
	upload admin "$f" institution=NOPE
	expect_problem 422 unknown-institution institution
	upload admin "$f" institution=TUU
	expect_status 200
	expect_json .institution_code TUU
	expect_json .summary.ok 1
	upload admin "$f" "institution=$ulsa"
	expect_status 200
	expect_json .institution_code ULSA
	upload ulsa "$f" institution=ULSA
	expect_status 200
	upload ulsa "$f" institution=TUU
	expect_problem 403 out-of-scope institution
	upload ulsa "$f" "institution=$tuu"
	expect_problem 403 out-of-scope institution
	upload ulsa "$f" "institution=a%20b"
	expect_problem 400 invalid-parameter institution
}

@test "bad parameters and files are refused before any row is checked" {
	local f="$BATS_TEST_TMPDIR/p.csv"
	{ echo "$HDR"; grow "Lê Thị Thử" "$(cid)" 2001-01-01 female "$TAG-P1"; } >"$f"
	upload ulsa "$f" commit=yes
	expect_problem 400 invalid-parameter commit
	: >"$BATS_TEST_TMPDIR/empty.csv"
	upload ulsa "$BATS_TEST_TMPDIR/empty.csv"
	expect_problem 422 empty-file file
	echo "$HDR" >"$BATS_TEST_TMPDIR/header.csv"
	upload ulsa "$BATS_TEST_TMPDIR/header.csv"
	expect_problem 422 no-rows file
	as ulsa GET /api/v1/imports/templates/graduates.csv
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.csv"
	upload ulsa "$BATS_TEST_TMPDIR/t.csv"
	expect_problem 422 no-rows file
	printf 'a,b\n1,2\n' >"$BATS_TEST_TMPDIR/other.csv"
	upload ulsa "$BATS_TEST_TMPDIR/other.csv"
	expect_problem 422 no-header file
	jq -e '.detail | test("/api/v1/imports/templates/graduates.xlsx")' <<<"$body" >/dev/null ||
	    fail_with "no-header does not name the graduates template"
	printf 'full_name,citizen_id,birth_date,sex,programme_code,level,field,graduation_date\nA,1,2,3,4,5,6,7\n' \
	    >"$BATS_TEST_TMPDIR/short.csv"
	upload ulsa "$BATS_TEST_TMPDIR/short.csv"
	expect_problem 422 missing-column diploma_number
	printf '%%PDF-1.4\n' >"$BATS_TEST_TMPDIR/x.pdf"
	upload ulsa "$BATS_TEST_TMPDIR/x.pdf" "" application/octet-stream
	expect_problem 415 unsupported-type file
	upload ulsa "$f" "" application/json
	expect_problem 415 unsupported-media-type
}

@test "more than 2,000 rows is 422 too-many-rows, saying to split the file" {
	local f="$BATS_TEST_TMPDIR/big.csv"
	{ echo "$HDR"
	  seq 1 2001 | awk -v t="$TAG" '{ printf "Người Thứ,001301%06d,2001-01-01,female,7760101,,dai_hoc,social_work,2025-06-30,%s-%d\n", $1, t, $1 }'
	} >"$f"
	upload ulsa "$f"
	expect_problem 422 too-many-rows file
	jq -e '.detail | test("2001") and test("2000")' <<<"$body" >/dev/null ||
	    fail_with "the detail does not give the counts"
	upload ulsa "$f" commit=true text/csv -H 'Accept-Language: en'
	expect_problem 422 too-many-rows file
	expect_json '.detail | test("split")' true
}

@test "a check is audited and a registrar may make 30 an hour: then 429 import-checks-exhausted with Retry-After" {
	local f="$BATS_TEST_TMPDIR/rate.csv" uid n
	uid=$(owner_sql "SELECT id FROM auth.users WHERE login = 'ulsa'")
	{ echo "$HDR"; grow "Đặng Thị Nhịp" "$(cid 2001 female)" 2001-02-03 female "$TAG-R1"; } >"$f"
	n=$(owner_sql "SELECT count(*) FROM audit.log WHERE actor_id = $uid AND action = 'graduate.import_check'")
	upload ulsa "$f" "filename=nhip.csv"
	expect_status 200
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE actor_id = $uid AND action = 'graduate.import_check'")" = $((n + 1)) ] ||
	    fail_with "the check was not audited"
	# The hour's other checks, 20 minutes old.
	owner_sql "DELETE FROM training.graduate_import_checks WHERE user_id = $uid;
	    INSERT INTO training.graduate_import_checks (user_id, at)
	    SELECT $uid, now() - interval '20 minutes' FROM generate_series(1, 30)" >/dev/null
	upload ulsa "$f"
	expect_problem 429 import-checks-exhausted
	[ "$(header retry-after)" -ge 2300 ] && [ "$(header retry-after)" -le 2410 ] ||
	    fail_with "Retry-After: '$(header retry-after)'"
	upload ulsa "$f" commit=true
	expect_problem 429 import-checks-exhausted
	# An administrator is not counted.
	upload admin "$f" institution=ULSA
	expect_status 200
	owner_sql "DELETE FROM training.graduate_import_checks WHERE user_id = $uid" >/dev/null
	upload ulsa "$f"
	expect_status 200
}

@test "an XLSX whose every cell expands one 4 KiB shared string is 422 too-much-text, and the worker's memory stays small" {
	amplify_refused ulsa commit=true ${HDR//,/ }
}
