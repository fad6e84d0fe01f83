#!/usr/bin/env bats
# Spreadsheet imports of people and their assignments: the templates,
# good CSV and XLSX files (dry run and commit), how columns are matched,
# every row problem the report names, files refused whole, all-or-nothing
# commits, re-imports that change nothing, and a large file checked by the
# server's import worker. Fixtures are written at test time (XLSX with
# python3's zipfile); the export round trip is in export.bats.

load helpers
load amplify

HDR=full_name,citizen_id,sex,birth_date,phone,email,ethnicity,work_unit_id,category,fte,allowance_vnd,title_code,position,start_date,end_date,end_reason
XLSX_TYPE=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet

setup_file() {
	login admin
	login ulsa
	login hr.quangninh
	login hr.dongthap
	local c22 c82
	c22=$(communes 22 20 2)
	c82=$(communes 82 60 1)
	export C22A C22B C82A
	{ read -r C22A; read -r C22B; } <<<"$c22"
	C82A=$c82
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export TOK UNIT_A UNIT_B UNIT_82 UNIT_A_NAME
	TOK=$(tr -dc 'a-z' </dev/urandom | head -c 6)
	UNIT_A_NAME="Phòng Công tác xã hội nhập $TOK"
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"$UNIT_A_NAME\",\"kind\":\"commune_office\",\"commune_code\":\"$C22A\",\"opened_on\":\"2000-01-01\"}"
	UNIT_A=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/work-units "{\"name\":\"Trung tâm nhập $TOK\",\"kind\":\"sw_centre\",\"commune_code\":\"$C22B\",\"opened_on\":\"2000-01-01\"}"
	UNIT_B=$(jq -r .id <<<"$body")
	as hr.dongthap POST /api/v1/work-units "{\"name\":\"Trung tâm Đồng Tháp nhập $TOK\",\"kind\":\"sw_centre\",\"commune_code\":\"$C82A\",\"opened_on\":\"2000-01-01\"}"
	UNIT_82=$(jq -r .id <<<"$body")
	write_csv2xlsx
}

# $BATS_FILE_TMPDIR/csv2xlsx.py IN.csv OUT.xlsx: the smallest workbook
# holding the CSV's cells as text. A cell "=..." becomes a formula and a
# cell "#ERR" an error value (#N/A).
write_csv2xlsx() {
	cat >"$BATS_FILE_TMPDIR/csv2xlsx.py" <<'EOF'
import csv, sys, zipfile
from xml.sax.saxutils import escape

def col(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
xml = []
for r, cells in enumerate(rows, 1):
    out = []
    for c, v in enumerate(cells):
        ref = '%s%d' % (col(c), r)
        if v == '':
            continue
        if v == '#ERR':
            out.append('<c r="%s" t="e"><v>#N/A</v></c>' % ref)
        elif v.startswith('='):
            out.append('<c r="%s"><f>%s</f><v>0</v></c>' % (ref, escape(v[1:])))
        else:
            out.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v)))
    xml.append('<row r="%d">%s</row>' % (r, ''.join(out)))
NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PR = 'http://schemas.openxmlformats.org/package/2006/relationships'
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>')
    z.writestr('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
        '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % (PR, R))
    z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s">'
        '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, R))
    z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
        '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' % (PR, R))
    z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s">'
        '<sheetData>%s</sheetData></worksheet>' % (NS, ''.join(xml)))
EOF
}

xlsx_from_csv() {
	python3 "$BATS_FILE_TMPDIR/csv2xlsx.py" "$1" "$2"
}

cid() {
	free_cid 4 "$@"
}

# upload WHO FILE [QUERY] [CONTENT_TYPE]: POSTs FILE as the request body.
upload() {
	local who=$1 file=$2 query=${3-} ctype=${4:-text/csv}
	as "$who" POST "/api/v1/imports${query:+?$query}" "" \
	    -H "Content-Type: $ctype" --data-binary "@$file" --max-time 60
}

# person_row [NAME]: a row of personal details only (a man born 1990);
# sets rid to its citizen ID.
person_row() {
	rid=$(cid 1990)
	echo "${1:-Nguyễn Văn Nhập},$rid,male,1990-01-01,,,,,,,,,,,,"
}

# holders CID...: how many of these citizen IDs are on record.
holders() {
	local ids
	ids=$(printf "'%s'," "$@")
	owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id IN (${ids%,})"
}

people_count() {
	owner_sql "SELECT count(*) FROM hr.people"
}

spell_count() {
	owner_sql "SELECT count(*) FROM hr.assignments"
}

# expect_row_problem ROW CODE COLUMN: the report names CODE at COLUMN of ROW.
expect_row_problem() {
	jq -e --argjson r "$1" --arg c "$2" --arg col "$3" \
	    '[.report[] | select(.row == $r and .code == $c and .column == $col)] | length == 1' \
	    <<<"$body" >/dev/null ||
	    fail_with "expected $2 at row $1 column $3; report: $(jq -c '[.report[] | [.row, .column, .code]]' <<<"$body")"
}

# row_problem LINE CODE COLUMN: a file of one clean row and then LINE is
# checked (dry run): only row 3 has a problem, CODE at COLUMN.
row_problem() {
	local f="$BATS_TEST_TMPDIR/row.csv"
	{ echo "$HDR"; person_row; echo "$1"; } >"$f"
	upload hr.quangninh "$f"
	expect_status 200 || return 1
	expect_json .status done || return 1
	expect_row_problem 3 "$2" "$3" || return 1
	expect_json '[.report[] | select(.row != 3)] | length' 0 || return 1
	expect_json .summary.rows_with_problems 1 || return 1
	expect_json .summary.written false
}

@test "the CSV template: a UTF-8 BOM, Vietnamese headers, English keys, an example comment row" {
	as hr.quangninh GET /api/v1/imports/templates/people.csv
	expect_status 200
	expect_header content-type '^text/csv'
	expect_header content-disposition '^attachment; filename="[^"]+\.csv"$'
	local f="$(_tmp)/body"
	[ "$(head -c 3 "$f" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail_with "no UTF-8 BOM"
	local l1 l2 l3
	l1=$(sed -n 1p "$f" | tr -d '\r')
	l2=$(sed -n 2p "$f" | tr -d '\r')
	l3=$(sed -n 3p "$f" | tr -d '\r')
	[[ $l1 == $'\xef\xbb\xbf'"Họ và tên,Số định danh cá nhân,Giới tính,Ngày sinh,"* ]] || fail_with "row 1: $l1"
	[ "$l2" = "full_name,citizen_id,sex,birth_date,phone,email,ethnicity,work_unit_id,work_unit_name,commune_code,category,fte,allowance_vnd,title_code,position,start_date,end_date,end_reason" ] ||
	    fail_with "row 2: $l2"
	[[ $l3 == "#"* ]] || fail_with "row 3 is not a comment: $l3"
	[ "$(wc -l <"$f")" = 3 ] || fail_with "more than three rows"
}

@test "the XLSX template has the list sheet, the guide sheet and drop-down validations" {
	as hr.quangninh GET /api/v1/imports/templates/people.xlsx
	expect_status 200
	expect_header content-type "^$XLSX_TYPE"
	expect_header content-disposition '^attachment; filename="[^"]+\.xlsx"$'
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.xlsx"
	run python3 - "$BATS_TEST_TMPDIR/t.xlsx" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
wb = z.read('xl/workbook.xml').decode()
names = re.findall(r'<sheet [^>]*name="([^"]+)"', wb)
assert names[:2] == ['Danh sách', 'Hướng dẫn - Guide'], names
sheet = z.read('xl/worksheets/sheet1.xml').decode()
lists = re.findall(r'<dataValidation [^>]*type="list"[^>]*>\s*<formula1>([^<]*)</formula1>', sheet)
assert '"male,female"' in lists, lists
assert any('professional' in l and 'volunteer' in l for l in lists), lists
assert any('V.09.04.01' in l for l in lists), lists
assert any('retired' in l for l in lists), lists
assert 'Họ và tên' in sheet and 'citizen_id' in sheet
print('ok')
EOF
	[ "$status" = 0 ] || fail_with "template check: $output"
	[ "$output" = ok ]
}

@test "an admin may download the templates too" {
	as admin GET /api/v1/imports/templates/people.csv
	expect_status 200
	as admin GET /api/v1/imports/templates/people.xlsx
	expect_status 200
	expect_header content-type "^$XLSX_TYPE"
}

@test "the blank templates import as 422 no-rows: the example row is a comment" {
	as hr.quangninh GET /api/v1/imports/templates/people.csv
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.csv"
	upload hr.quangninh "$BATS_TEST_TMPDIR/t.csv"
	expect_problem 422 no-rows
	as hr.quangninh GET /api/v1/imports/templates/people.xlsx
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/t.xlsx" "" "$XLSX_TYPE"
	expect_problem 422 no-rows
}

@test "a good CSV is checked by a dry run: a summary, an empty report, nothing written" {
	local f="$BATS_TEST_TMPDIR/good.csv" a b c
	a=$(cid 1985 female)
	b=$(cid 1991)
	c=$(cid 1979 female)
	cat >"$f" <<EOF
$HDR
Trần Thị Lan,$a,female,1985-02-03,0912345678,lan@example.vn,Kinh,$UNIT_A,professional,1,,V.09.04.02,Chuyên viên,2020-01-01,,
Hoàng Văn Minh,$b,male,1991-07-08,,,,$UNIT_A,collaborator,0.5,1500000,,,2022-03-01,,
Hoàng Văn Minh,$b,male,1991-07-08,,,,$UNIT_B,volunteer,0.2,,,,2019-01-01,2020-12-31,resigned
Lý Thị Hồng,$c,female,1979-11-30,,,Tày,,,,,,,,,
EOF
	upload hr.quangninh "$f"
	expect_status 200
	expect_header content-type '^application/json'
	expect_json '.id | type' number
	expect_json .status done
	expect_json .commit false
	expect_json .format csv
	expect_json .province_code 22
	expect_json .rows_total 4
	expect_json .rows_done 4
	expect_json .report '[]'
	expect_json .file_problems '[]'
	expect_json .summary.rows 4
	expect_json .summary.rows_with_problems 0
	expect_json .summary.people_created 3
	expect_json .summary.people_updated 0
	expect_json .summary.assignments_created 3
	expect_json .summary.assignments_updated 0
	expect_json .summary.rows_unchanged 0
	expect_json .summary.written false
	[ "$(holders "$a" "$b" "$c")" = 0 ] || fail_with "a dry run wrote people"
	local id
	id=$(jq -r .id <<<"$body")
	as hr.quangninh GET "/api/v1/imports/$id"
	expect_status 200
	expect_json .status done
	expect_json .summary.people_created 3
}

@test "?commit=true writes every row: people, their spells, audited via import:ID" {
	local f="$BATS_TEST_TMPDIR/good.csv" a b
	a=$(cid 1985 female)
	b=$(cid 1991)
	cat >"$f" <<EOF
$HDR
Trần Thị Lan,$a,female,1985-02-03,0912345678,lan@example.vn,Kinh,$UNIT_A,professional,1,,V.09.04.02,Chuyên viên,2020-01-01,,
Hoàng Văn Minh,$b,male,1991-07-08,,,,$UNIT_A,collaborator,0.5,1500000,,,2022-03-01,,
Hoàng Văn Minh,$b,male,1991-07-08,,,,$UNIT_B,volunteer,0.2,,,,2019-01-01,2020-12-31,resigned
EOF
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .commit true
	expect_json .summary.written true
	expect_json .summary.people_created 2
	expect_json .summary.assignments_created 3
	local imp
	imp=$(jq -r .id <<<"$body")
	[ "$(holders "$a" "$b")" = 2 ] || fail_with "people not written"
	as hr.quangninh GET "/api/v1/people?q=$b"
	expect_json '.items | length' 1
	local pid
	pid=$(jq -r '.items[0].id' <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .full_name "Hoàng Văn Minh"
	expect_json .province_code 22
	expect_json '[.assignments[] | "\(.category) \(.fte) \(.allowance_vnd) \(.start_date) \(.end_reason)"] | join(",")' \
	    "collaborator 0.5 1500000 2022-03-01 null,volunteer 0.2 null 2019-01-01 resigned"
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json '[.items[] | select(.via == "import:\('"$imp"')") | .action] | sort | join(",")' \
	    assignment.create,assignment.create,person.create
	expect_json '[.items[].actor_login] | unique | join(",")' hr.quangninh
	as admin GET "/api/v1/audit?entity=import&entity_id=$imp"
	expect_json '.items[0].action' import.commit
}

@test "a good XLSX file commits, keeping the citizen ID's leading zero" {
	local f="$BATS_TEST_TMPDIR/good.csv" a b
	a=$(cid 1988 female)
	b=$(cid 1993)
	cat >"$f" <<EOF
$HDR
Đoàn Thị Xuân,$a,female,1988-01-09,,,,$UNIT_A,commune_post,1,,V.09.04.03,Cán bộ xã,2021-01-01,,
Đoàn Văn Hạ,$b,male,1993-05-06,,,,,,,,,,,,
EOF
	xlsx_from_csv "$f" "$BATS_TEST_TMPDIR/good.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/good.xlsx" commit=true "$XLSX_TYPE"
	expect_status 200
	expect_json .format xlsx
	expect_json .report '[]'
	expect_json .summary.written true
	expect_json .summary.people_created 2
	expect_json .summary.assignments_created 1
	[ "$(holders "$a" "$b")" = 2 ] || fail_with "people not written"
	as hr.quangninh GET "/api/v1/people?q=$a"
	expect_json '.items[0].full_name' "Đoàn Thị Xuân"
}

@test "XLSX is recognised by its content whatever the declared type" {
	local f="$BATS_TEST_TMPDIR/one.csv"
	{ echo "$HDR"; person_row; } >"$f"
	xlsx_from_csv "$f" "$BATS_TEST_TMPDIR/one.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/one.xlsx" "" application/octet-stream
	expect_status 200
	expect_json .format xlsx
	expect_json .summary.people_created 1
	upload hr.quangninh "$f" "" application/octet-stream
	expect_status 200
	expect_json .format csv
}

@test "the downloaded XLSX template, filled in, imports" {
	as hr.quangninh GET /api/v1/imports/templates/people.xlsx
	cp "$(_tmp)/body" "$BATS_TEST_TMPDIR/t.xlsx"
	local a
	a=$(cid 1987 female)
	run python3 - "$BATS_TEST_TMPDIR/t.xlsx" "$BATS_TEST_TMPDIR/filled.xlsx" "$a" "$UNIT_A" <<'EOF'
import re, sys, zipfile
src, dst, cid, unit = sys.argv[1:5]
values = ['Vương Thị Thu', cid, 'female', '1987-10-11', '0987654321', '', 'Kinh', unit,
          '', '', 'professional', '1', '', 'V.09.04.01', 'Trưởng phòng', '2018-04-01', '', '']
cells = ''.join('<c r="%s3" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), v)
                for i, v in enumerate(values) if v)
zin = zipfile.ZipFile(src)
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == 'xl/worksheets/sheet1.xml':
            text = data.decode()
            text, n = re.subn(r'<row r="3".*?</row>', '<row r="3">%s</row>' % cells, text, flags=re.S)
            assert n == 1
            data = text.encode()
        zout.writestr(item, data)
EOF
	[ "$status" = 0 ] || fail_with "filling the template: $output"
	upload hr.quangninh "$BATS_TEST_TMPDIR/filled.xlsx" "" "$XLSX_TYPE"
	expect_status 200
	expect_json .report '[]'
	expect_json .summary.rows 1
	expect_json .summary.people_created 1
	expect_json .summary.assignments_created 1
}

@test "a multipart form upload in the field \"file\" works and keeps the file name" {
	local f="$BATS_TEST_TMPDIR/danh-sach.csv"
	{ echo "$HDR"; person_row; } >"$f"
	as hr.quangninh POST /api/v1/imports "" -F "file=@$f;type=text/csv"
	expect_status 200
	expect_json .filename danh-sach.csv
	expect_json .summary.people_created 1
	as hr.quangninh POST /api/v1/imports "" -F "upload=@$f;type=text/csv"
	expect_problem 400 file-required file
}

@test "a raw body may name itself with ?filename=" {
	local f="$BATS_TEST_TMPDIR/x.csv"
	{ echo "$HDR"; person_row; } >"$f"
	upload hr.quangninh "$f" "filename=nhan-su-thang-5.csv"
	expect_status 200
	expect_json .filename nhan-su-thang-5.csv
}

@test "columns are matched by Vietnamese header alone, in any order" {
	local f="$BATS_TEST_TMPDIR/vi.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
Ngày sinh,Họ và tên,Giới tính,Số định danh cá nhân,Mã đơn vị công tác,Loại nhân sự,Tỷ lệ thời gian (FTE),Ngày bắt đầu
1990-01-01,Nông Văn Việt,male,$a,$UNIT_A,professional,1,2020-01-01
EOF
	upload hr.quangninh "$f"
	expect_status 200
	expect_json .report '[]'
	expect_json .file_problems '[]'
	expect_json .summary.people_created 1
	expect_json .summary.assignments_created 1
}

@test "columns are matched by English header or key, ignoring case" {
	local f="$BATS_TEST_TMPDIR/en.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
Full name,CITIZEN ID,sex,Birth Date,Work unit id,Category,FTE,Start date
Nông Văn Anh,$a,male,1990-01-01,$UNIT_A,professional,1,2020-01-01
EOF
	upload hr.quangninh "$f"
	expect_status 200
	expect_json .report '[]'
	expect_json .file_problems '[]'
	expect_json .summary.people_created 1
	expect_json .summary.assignments_created 1
}

@test "Excel habits are understood: semicolons, DD/MM/YYYY, Vietnamese labels, decimal commas, thousands dots" {
	local f="$BATS_TEST_TMPDIR/excel.csv" a
	a=$(cid 1991 female)
	printf '\xef\xbb\xbf%s\r\n%s\r\n' \
	    "Họ và tên;Số định danh cá nhân;Giới tính;Ngày sinh;Mã đơn vị công tác;Loại nhân sự;Tỷ lệ thời gian (FTE);Phụ cấp (đồng/tháng);Ngày bắt đầu" \
	    "Đỗ Thị Hoa;$a;Nữ;05/04/1991;$UNIT_A;cộng tác viên;0,5;1.500.000;01/02/2024" >"$f"
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .report '[]'
	expect_json .summary.written true
	as hr.quangninh GET "/api/v1/people?q=$a"
	local pid
	pid=$(jq -r '.items[0].id' <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .sex female
	expect_json .birth_date 1991-04-05
	expect_json '.assignments[0].category' collaborator
	expect_json '.assignments[0].fte == 0.5' true
	expect_json '.assignments[0].allowance_vnd' 1500000
	expect_json '.assignments[0].start_date' 2024-02-01
}

@test "a unit may be named by its name and commune code instead of its id" {
	local f="$BATS_TEST_TMPDIR/byname.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
full_name,citizen_id,sex,birth_date,work_unit_name,commune_code,category,fte,start_date
Lò Văn Tên,$a,male,1990-01-01,${UNIT_A_NAME^^},$C22A,professional,1,2020-01-01
Lò Văn Sai,$(cid 1990),male,1990-01-01,Không có đơn vị này,$C22A,professional,1,2020-01-01
EOF
	upload hr.quangninh "$f" commit=true
	expect_problem 422 import-has-problems
	body=$(jq -c .import <<<"$body")
	expect_row_problem 3 unknown-work-unit work_unit_name
	expect_json '[.report[] | select(.row == 2)] | length' 0
}

@test "unknown columns are reported as ignored-column and do not block a commit" {
	local f="$BATS_TEST_TMPDIR/extra.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
full_name,citizen_id,sex,birth_date,Ghi chú,shoe_size
Mạc Văn Thêm,$a,male,1990-01-01,người mới,42
EOF
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json '[.file_problems[] | "\(.code) \(.column)"] | join(",")' "ignored-column Ghi chú,ignored-column shoe_size"
	expect_json '.file_problems[0].vi | length > 0' true
	expect_json '.file_problems[0].en | length > 0' true
	expect_json .report '[]'
	expect_json .summary.written true
	[ "$(holders "$a")" = 1 ]
}

@test "a file missing a required column is 422 missing-column naming it" {
	local f="$BATS_TEST_TMPDIR/missing.csv" c
	for c in full_name citizen_id sex birth_date; do
		local cols="full_name,citizen_id,sex,birth_date"
		cols=$(sed -e "s/\\b$c\\b//" -e 's/,,/,/' -e 's/^,//' -e 's/,$//' <<<"$cols")
		printf '%s\n%s\n' "$cols" "a,b,c" >"$f"
		upload hr.quangninh "$f"
		expect_problem 422 missing-column "$c"
	done
}

@test "a file whose first row is not a header is 422 no-header" {
	local f="$BATS_TEST_TMPDIR/nohead.csv"
	printf 'Nguyễn Văn A,022090123456,male,1990-01-01\n' >"$f"
	upload hr.quangninh "$f"
	expect_problem 422 no-header file
}

@test "a column named twice is 422 duplicate-column" {
	local f="$BATS_TEST_TMPDIR/dup.csv"
	printf 'full_name,citizen_id,sex,birth_date,Họ và tên\nA B,022090123456,male,1990-01-01,A B\n' >"$f"
	upload hr.quangninh "$f"
	expect_problem 422 duplicate-column full_name
}

@test "a header with no data rows is 422 no-rows" {
	local f="$BATS_TEST_TMPDIR/empty.csv"
	printf '%s\n' "$HDR" >"$f"
	upload hr.quangninh "$f"
	expect_problem 422 no-rows file
}

@test "row problem: a missing required value is required" {
	row_problem "Nguyễn Văn Thiếu,$(cid 1990),male,,,,,,,,,,,,," required birth_date
}

@test "row problem: an impossible date is invalid-date" {
	row_problem "Nguyễn Văn Ngày,$(cid 1990),male,1990-02-30,,,,,,,,,,,," invalid-date birth_date
}

@test "row problem: a value outside a list is invalid-code" {
	row_problem "Nguyễn Văn Mã,$(cid 1990),male,1990-01-01,,,,$UNIT_A,manager,1,,,,2020-01-01,," invalid-code category
}

@test "row problem: an FTE over 1 is out-of-range" {
	row_problem "Nguyễn Văn Quá,$(cid 1990),male,1990-01-01,,,,$UNIT_A,professional,\"1,5\",,,,2020-01-01,," out-of-range fte
}

@test "row problem: text for a number is invalid-number" {
	row_problem "Nguyễn Văn Chữ,$(cid 1990),male,1990-01-01,,,,$UNIT_A,professional,một,,,,2020-01-01,," invalid-number fte
}

@test "row problem: a citizen ID with an unknown prefix is cccd-prefix" {
	row_problem "Nguyễn Văn Lạ,099090123456,male,1990-01-01,,,,,,,,,,,," cccd-prefix citizen_id
}

@test "row problem: a citizen ID of the wrong century is cccd-century" {
	row_problem "Nguyễn Văn Kỷ,022290123456,male,1990-01-01,,,,,,,,,,,," cccd-century citizen_id
}

@test "row problem: a citizen ID of the wrong sex is cccd-sex" {
	row_problem "Nguyễn Văn Giới,022190123456,male,1990-01-01,,,,,,,,,,,," cccd-sex citizen_id
}

@test "row problem: a citizen ID of the wrong year is cccd-year" {
	row_problem "Nguyễn Văn Năm,022091123456,male,1990-01-01,,,,,,,,,,,," cccd-year citizen_id
}

@test "row problem: a citizen ID of 10 digits is cccd-length" {
	row_problem "Nguyễn Văn Ngắn,0220901234,male,1990-01-01,,,,,,,,,,,," cccd-length citizen_id
}

@test "row problem: a citizen ID with letters is cccd-digits, as the API says" {
	row_problem "Nguyễn Văn Chữ,02209012345a,male,1990-01-01,,,,,,,,,,,," cccd-digits citizen_id
}

@test "row problem: an 11-digit citizen ID (Excel ate the 0) is cccd-leading-zero" {
	row_problem "Nguyễn Văn Không,22090123456,male,1990-01-01,,,,,,,,,,,," cccd-leading-zero citizen_id
	expect_json '.report[0].value' 22090123456
	expect_json '.report[0].en | test("leading 0")' true
}

@test "row problem: a CSV cell starting with = is a formula, and its text is not kept" {
	row_problem "Nguyễn Văn Công,$(cid 1990),male,1990-01-01,=HYPERLINK(\"http://x\"),,,,,,,,,,," formula phone
	expect_json '.report[0].value' null
}

@test "a CSV cell guarded with an apostrophe is text, not a formula" {
	local f="$BATS_TEST_TMPDIR/guard.csv" a
	a=$(cid 1990)
	printf '%s\n%s\n' "$HDR" "Nguyễn Văn Dấu,$a,male,1990-01-01,'+84912345678,,,$UNIT_A,professional,1,,,'=Trưởng nhóm,2020-01-01,," >"$f"
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .report '[]'
	as hr.quangninh GET "/api/v1/people?q=$a"
	local pid
	pid=$(jq -r '.items[0].id' <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .phone +84912345678
	expect_json '.assignments[0].position' "=Trưởng nhóm"
}

@test "row problem: an XLSX formula cell is formula" {
	local f="$BATS_TEST_TMPDIR/f.csv"
	{ echo "$HDR"; person_row; echo "Nguyễn Văn Công,$(cid 1990),male,1990-01-01,,,,=B2,professional,1,,,,2020-01-01,,"; } >"$f"
	xlsx_from_csv "$f" "$BATS_TEST_TMPDIR/f.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/f.xlsx" "" "$XLSX_TYPE"
	expect_status 200
	expect_row_problem 3 formula work_unit_id
	expect_json '[.report[] | select(.row == 2)] | length' 0
}

@test "row problem: an XLSX error value (#N/A) is error-value, and not called bad UTF-8" {
	local f="$BATS_TEST_TMPDIR/e.csv"
	{ echo "$HDR"; person_row; echo "Nguyễn Văn Lỗi,$(cid 1990),male,1990-01-01,#ERR,,,,,,,,,,,"; } >"$f"
	xlsx_from_csv "$f" "$BATS_TEST_TMPDIR/e.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/e.xlsx" "" "$XLSX_TYPE"
	expect_status 200
	expect_row_problem 3 error-value phone
	expect_json '.report[0].en | test("UTF-8")' false
}

@test "row problem: a cell that is not UTF-8 is bad-utf8" {
	local f="$BATS_TEST_TMPDIR/latin1.csv"
	{ echo "$HDR"; person_row; printf 'Nguy\xeain V\xe3n,%s,male,1990-01-01,,,,,,,,,,,,\n' "$(cid 1990)"; } >"$f"
	upload hr.quangninh "$f"
	expect_status 200
	expect_row_problem 3 bad-utf8 full_name
	expect_json '[.report[] | select(.row == 2)] | length' 0
}

@test "row problem: an unknown unit id is unknown-work-unit" {
	row_problem "Nguyễn Văn Đâu,$(cid 1990),male,1990-01-01,,,,999999999,professional,1,,,,2020-01-01,," unknown-work-unit work_unit_id
}

@test "row problem: another province's unit is unknown-work-unit" {
	row_problem "Nguyễn Văn Xa,$(cid 1990),male,1990-01-01,,,,$UNIT_82,professional,1,,,,2020-01-01,," unknown-work-unit work_unit_id
}

@test "row problem: a spell without a unit is required work_unit_id" {
	row_problem "Nguyễn Văn Trống,$(cid 1990),male,1990-01-01,,,,,professional,1,,,,2020-01-01,," required work_unit_id
}

@test "row problem: an allowance for a non-collaborator, a title for a volunteer" {
	row_problem "Nguyễn Văn Phụ,$(cid 1990),male,1990-01-01,,,,$UNIT_A,professional,1,500000,,,2020-01-01,," allowance-not-collaborator allowance_vnd
	row_problem "Nguyễn Văn Danh,$(cid 1990),male,1990-01-01,,,,$UNIT_A,volunteer,0.5,,V.09.04.01,,2020-01-01,," title-not-allowed title_code
	row_problem "Nguyễn Văn Cặp,$(cid 1990),male,1990-01-01,,,,$UNIT_A,professional,1,,,,2020-01-01,2021-01-01," end-pair end_reason
}

@test "row problem: two rows with one citizen ID and different details are conflicting-rows" {
	local f="$BATS_TEST_TMPDIR/conflict.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
$HDR
Nguyễn Văn Một,$a,male,1990-01-01,,,,$UNIT_A,professional,1,,,,2020-01-01,,
Nguyễn Văn Hai,$a,male,1990-01-01,,,,$UNIT_B,professional,1,,,,2020-01-01,,
EOF
	upload hr.quangninh "$f"
	expect_status 200
	expect_row_problem 3 conflicting-rows citizen_id
	expect_json '[.report[] | select(.row == 2)] | length' 0
}

@test "row problem: two rows of overlapping spells in one unit and category are overlapping-rows" {
	local f="$BATS_TEST_TMPDIR/overlap.csv" a
	a=$(cid 1990)
	cat >"$f" <<EOF
$HDR
Nguyễn Văn Chồng,$a,male,1990-01-01,,,,$UNIT_A,professional,1,,,,2020-01-01,2022-12-31,rotated
Nguyễn Văn Chồng,$a,male,1990-01-01,,,,$UNIT_A,professional,1,,,,2022-06-01,,
Nguyễn Văn Chồng,$a,male,1990-01-01,,,,$UNIT_A,concurrent,0.5,,,,2022-06-01,,
EOF
	upload hr.quangninh "$f"
	expect_status 200
	expect_row_problem 3 overlapping-rows start_date
	expect_json '[.report[] | select(.row != 3)] | length' 0
}

@test "row problem: a spell overlapping one on record is overlapping-assignment" {
	local a pid
	a=$(cid 1990)
	as hr.quangninh POST /api/v1/people "{\"full_name\":\"Nguyễn Văn Có\",\"citizen_id\":\"$a\",\"sex\":\"male\",\"birth_date\":\"1990-01-01\"}"
	pid=$(jq -r .id <<<"$body")
	as hr.quangninh POST /api/v1/assignments "{\"person_id\":$pid,\"work_unit_id\":$UNIT_A,\"category\":\"professional\",\"fte\":1,\"start_date\":\"2020-01-01\"}"
	expect_status 201
	row_problem "Nguyễn Văn Có,$a,male,1990-01-01,,,,$UNIT_A,professional,1,,,,2023-01-01,," overlapping-assignment start_date
}

@test "row problem: a person kept by another province is person-in-other-province" {
	local a
	a=$(cid 1990)
	as hr.dongthap POST /api/v1/people "{\"full_name\":\"Nguyễn Văn Miền\",\"citizen_id\":\"$a\",\"sex\":\"male\",\"birth_date\":\"1990-01-01\"}"
	expect_status 201
	row_problem "Nguyễn Văn Miền,$a,male,1990-01-01,,,,,,,,,,,," person-in-other-province citizen_id
	# The report names the problem without the other province's record.
	[[ $body != *"/api/v1/people/"* ]]
}

@test "a graduate kept by no province is adopted as POST /people adopts: birth date and sex must agree, then the province takes the record" {
	local f="$BATS_TEST_TMPDIR/adopt.csv" a pid imp
	a=$(cid 1993 female)
	as ulsa POST /api/v1/graduates "{\"full_name\":\"Ninh Thị Nhận\",\"citizen_id\":\"$a\",\"birth_date\":\"1993-03-03\",\"sex\":\"female\",\"programme_code\":\"7760101\",\"level\":\"dai_hoc\",\"field\":\"social_work\",\"graduation_date\":\"2016-06-30\",\"diploma_number\":\"IMP-$TOK-1\"}"
	expect_status 201
	pid=$(jq -r .person_id <<<"$body")
	row_problem "Ninh Thị Nhận,$a,female,1993-04-04,,,,,,,,,,,," identity-mismatch birth_date
	printf '%s\n%s\n' "$HDR" "Ninh Thị Nhận,$a,female,1993-04-04,0911000333,,,,,,,,,,," >"$f"
	upload hr.quangninh "$f" commit=true
	expect_problem 422 import-has-problems
	[ "$(owner_sql "SELECT coalesce(province_id::text, 'none') || ' ' || coalesce(phone, 'none') FROM hr.people WHERE id = $pid")" = "none none" ] ||
	    fail_with "a refused import changed the unkept person"
	printf '%s\n%s\n' "$HDR" "Ninh Thị Hồng Nhận,$a,female,1993-03-03,0911000333,,,$UNIT_A,professional,1,,,,2020-01-01,," >"$f"
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .summary.written true
	expect_json .summary.people_adopted 1
	expect_json .summary.people_created 0
	expect_json .summary.assignments_created 1
	imp=$(jq -r .id <<<"$body")
	# The officer reads the record now kept by Quảng Ninh.
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_status 200
	expect_json .province_code 22
	expect_json .full_name "Ninh Thị Hồng Nhận"
	expect_json .phone 0911000333
	expect_json '.assignments | length' 1
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json "[.items[] | select(.via == \"import:$imp\") | .action] | sort | join(\",\")" assignment.create,person.adopt
}

@test "a province holding 200,000 staged rows is refused more: 429 import-staging-full with Retry-After" {
	local f="$BATS_TEST_TMPDIR/quota.csv" big
	{ echo "$HDR"; person_row; } >"$f"
	big=$(owner_sql "WITH i AS (INSERT INTO hr.imports (created_by, via,
		province_id, format, commit, rows_total, status, summary, finished_at)
	    SELECT u.id, 'test', u.province_id, 'csv', false, 200000, 'done',
		'{\"written\": false}', now() - interval '6 days'
	      FROM auth.users u WHERE u.login = 'hr.quangninh' RETURNING id),
	    r AS (INSERT INTO hr.import_rows (import_id, row, data, problems)
	    SELECT i.id, g, '{}', '[{\"code\": \"x\"}]'
	      FROM i, generate_series(1, 200000) g)
	    SELECT id FROM i")
	upload hr.quangninh "$f"
	expect_problem 429 import-staging-full
	[ "$(header retry-after)" -ge 86000 ] && [ "$(header retry-after)" -le 86500 ] ||
	    fail_with "Retry-After: '$(header retry-after)'"
	upload hr.dongthap "$f"
	expect_status 200
	owner_sql "DELETE FROM hr.imports WHERE id = $big" >/dev/null
	upload hr.quangninh "$f"
	expect_status 200
}

@test "the summary's rows counts every data row, those with problems too" {
	local f="$BATS_TEST_TMPDIR/mixed.csv"
	{ echo "$HDR"; person_row; person_row; echo "Nguyễn Văn Sai,099090123456,male,1990-01-01,,,,,,,,,,,,"; } >"$f"
	upload hr.quangninh "$f"
	expect_status 200
	expect_json .rows_total 3
	expect_json .summary.rows_with_problems 1
	expect_json .summary.rows 3
}

@test "a commit with one bad row among good ones is 422 import-has-problems and writes nothing" {
	local f="$BATS_TEST_TMPDIR/atomic.csv" a b c
	a=$(cid 1990)
	b=$(cid 1991)
	c=$(cid 1992)
	cat >"$f" <<EOF
$HDR
Nguyễn Văn Tốt,$a,male,1990-01-01,,,,$UNIT_A,professional,1,,,,2020-01-01,,
Nguyễn Văn Ổn,$b,male,1991-01-01,,,,$UNIT_B,concurrent,0.5,,,,2021-01-01,,
Nguyễn Văn Xấu,$c,male,1992-01-01,,,,$UNIT_A,professional,2,,,,2020-01-01,,
Nguyễn Văn Lành,$(cid 1993),male,1993-01-01,,,,,,,,,,,,
EOF
	local people spells
	people=$(people_count)
	spells=$(spell_count)
	upload hr.quangninh "$f" commit=true
	expect_problem 422 import-has-problems
	expect_json .import.status done
	expect_json .import.commit true
	expect_json .import.summary.written false
	expect_json .import.summary.rows_with_problems 1
	expect_json '[.import.report[] | "\(.row) \(.column) \(.code)"] | join(",")' "4 fte out-of-range"
	[ "$(people_count)" = "$people" ] || fail_with "people: $people before, $(people_count) after"
	[ "$(spell_count)" = "$spells" ] || fail_with "spells: $spells before, $(spell_count) after"
	[ "$(holders "$a" "$b" "$c")" = 0 ]
	# The refused import can still be read.
	as hr.quangninh GET "/api/v1/imports/$(jq -r .import.id <<<"$body")"
	expect_status 200
	expect_json .summary.written false
	expect_json '.report | length' 1
}

@test "re-importing the same file changes nothing and writes no audit rows" {
	local f="$BATS_TEST_TMPDIR/again.csv" a b
	a=$(cid 1984 female)
	b=$(cid 1990)
	cat >"$f" <<EOF
$HDR
Kiều Thị Lặp,$a,female,1984-04-04,0911222333,lap@example.vn,Mường,$UNIT_A,professional,1,,V.09.04.02,Chuyên viên,2020-01-01,,
Kiều Thị Lặp,$a,female,1984-04-04,0911222333,lap@example.vn,Mường,$UNIT_B,collaborator,0.3,900000,,,2019-01-01,2019-12-31,contract_ended
Kiều Văn Lại,$b,male,1990-01-01,,,,,,,,,,,,
EOF
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .summary.written true
	expect_json .summary.people_created 2
	local people spells audit
	people=$(people_count)
	spells=$(spell_count)
	audit=$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'person'")
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .summary.written true
	expect_json .summary.rows 3
	expect_json .summary.rows_unchanged 3
	expect_json .summary.people_created 0
	expect_json .summary.people_updated 0
	expect_json .summary.assignments_created 0
	expect_json .summary.assignments_updated 0
	[ "$(people_count)" = "$people" ] || fail_with "people were added"
	[ "$(spell_count)" = "$spells" ] || fail_with "spells were added"
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'person'")" = "$audit" ] ||
	    fail_with "the unchanged re-import was audited on people"
	[ "$(holders "$a")" = 1 ]
}

@test "a re-import with changes updates the person and the spell it matches" {
	local f="$BATS_TEST_TMPDIR/change.csv" a
	a=$(cid 1990)
	printf '%s\n%s\n' "$HDR" "Kha Văn Đổi,$a,male,1990-01-01,0911000111,,,$UNIT_A,professional,1,,,,2020-01-01,," >"$f"
	upload hr.quangninh "$f" commit=true
	expect_json .summary.written true
	printf '%s\n%s\n' "$HDR" "Kha Văn Đổi,$a,male,1990-01-01,0911000222,,,$UNIT_A,professional,0.5,,,,2020-01-01,2024-06-30,resigned" >"$f"
	upload hr.quangninh "$f" commit=true
	expect_status 200
	expect_json .summary.people_created 0
	expect_json .summary.people_updated 1
	expect_json .summary.assignments_created 0
	expect_json .summary.assignments_updated 1
	expect_json .summary.rows_unchanged 0
	local imp pid
	imp=$(jq -r .id <<<"$body")
	as hr.quangninh GET "/api/v1/people?q=$a"
	pid=$(jq -r '.items[0].id' <<<"$body")
	as hr.quangninh GET "/api/v1/people/$pid"
	expect_json .phone 0911000222
	expect_json '.assignments | length' 1
	expect_json '.assignments[0].fte == 0.5' true
	expect_json '.assignments[0].end_date' 2024-06-30
	as admin GET "/api/v1/audit?entity=person&entity_id=$pid"
	expect_json "[.items[] | select(.via == \"import:$imp\") | .action] | sort | join(\",\")" assignment.update,person.update
	expect_json "[.items[] | select(.via == \"import:$imp\" and .action == \"person.update\") | .after | keys[]] | join(\",\")" phone
}

@test "a file of more than 2,000 rows is queued (202) and the worker checks it all" {
	local f="$BATS_TEST_TMPDIR/big.csv"
	# Born in Hà Nội (001) in 1960-1962: IDs no other test uses.
	awk -v hdr="$HDR" 'BEGIN {
		print hdr
		for (i = 0; i < 2500; i++)
			printf "Người Thử Lớn,0010%02d9%05d,male,19%02d-06-15,,,,,,,,,,,,\n",
			    60 + int(i / 1000), i, 60 + int(i / 1000)
	}' >"$f"
	[ "$(wc -l <"$f")" = 2501 ]
	local people
	people=$(people_count)
	upload hr.quangninh "$f"
	expect_status 202
	expect_header location '^/api/v1/imports/[0-9]+$'
	expect_json .rows_total 2500
	expect_json '.status | IN("queued", "checking")' true
	local loc
	loc=$(header location)
	[ "$loc" = "/api/v1/imports/$(jq -r .id <<<"$body")" ] || fail_with "Location $loc"
	local i
	for i in $(seq 1 180); do
		as hr.quangninh GET "$loc"
		expect_status 200
		[ "$(jq -r .status <<<"$body")" = done ] && break
		[ "$(jq -r .status <<<"$body")" != failed ] || fail_with "the import failed"
		[ "$(jq '.rows_done <= .rows_total' <<<"$body")" = true ] || fail_with "rows_done past rows_total"
		sleep 1
	done
	expect_json .status done
	expect_json .rows_done 2500
	expect_json .rows_total 2500
	expect_json .summary.rows 2500
	expect_json .summary.rows_with_problems 0
	expect_json .summary.people_created 2500
	expect_json .summary.written false
	expect_json .report '[]'
	[ "$(people_count)" = "$people" ] || fail_with "a dry run wrote people"
}

@test "PDF, PNG and UTF-16 files are 415 unsupported-type" {
	local f="$BATS_TEST_TMPDIR/x"
	printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' >"$f.pdf"
	upload hr.quangninh "$f.pdf" "" application/octet-stream
	expect_problem 415 unsupported-type file
	printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00' >"$f.png"
	upload hr.quangninh "$f.png" "" application/octet-stream
	expect_problem 415 unsupported-type file
	printf '%s\n%s\n' "$HDR" "Nguyễn Văn Mười Sáu,022090123456,male,1990-01-01" | iconv -f UTF-8 -t UTF-16 >"$f.csv"
	upload hr.quangninh "$f.csv"
	expect_problem 415 unsupported-type file
}

@test "a body declared as an image is 415 unsupported-media-type" {
	local f="$BATS_TEST_TMPDIR/ok.csv"
	{ echo "$HDR"; person_row; } >"$f"
	upload hr.quangninh "$f" "" image/png
	expect_problem 415 unsupported-media-type
	upload hr.quangninh "$f" "" application/json
	expect_problem 415 unsupported-media-type
	[ "$(holders "$rid")" = 0 ]
}

@test "a truncated XLSX is 422 broken-xlsx" {
	local f="$BATS_TEST_TMPDIR/t.csv"
	{ echo "$HDR"; person_row; person_row; } >"$f"
	xlsx_from_csv "$f" "$BATS_TEST_TMPDIR/whole.xlsx"
	head -c $(( $(stat -c %s "$BATS_TEST_TMPDIR/whole.xlsx") / 2 )) "$BATS_TEST_TMPDIR/whole.xlsx" >"$BATS_TEST_TMPDIR/half.xlsx"
	upload hr.quangninh "$BATS_TEST_TMPDIR/half.xlsx" "" "$XLSX_TYPE"
	expect_problem 422 broken-xlsx file
}

@test "a zip without a workbook is 422 broken-xlsx" {
	python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w")
z.writestr("readme.txt", "not a workbook")
z.close()' "$BATS_TEST_TMPDIR/plain.zip"
	upload hr.quangninh "$BATS_TEST_TMPDIR/plain.zip" "" application/octet-stream
	expect_problem 422 broken-xlsx file
}

@test "an empty body, or only blank lines, is 422 empty-file" {
	: >"$BATS_TEST_TMPDIR/empty.csv"
	upload hr.quangninh "$BATS_TEST_TMPDIR/empty.csv"
	expect_problem 422 empty-file file
	printf '\r\n\r\n\n' >"$BATS_TEST_TMPDIR/blank.csv"
	upload hr.quangninh "$BATS_TEST_TMPDIR/blank.csv"
	expect_problem 422 empty-file file
}

@test "a file over 16 MiB is 413 as a problem" {
	local f="$BATS_TEST_TMPDIR/huge.csv"
	{ echo "$HDR"; head -c $((16 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'a'; } >"$f"
	upload hr.quangninh "$f"
	expect_problem 413 body-too-large
}

@test "?commit= must be true or false" {
	local f="$BATS_TEST_TMPDIR/ok.csv"
	{ echo "$HDR"; person_row; } >"$f"
	upload hr.quangninh "$f" commit=yes
	expect_problem 400 invalid-parameter commit
	upload hr.quangninh "$f" commit=false
	expect_status 200
	expect_json .commit false
}

@test "an admin names the province with ?province=; units are looked up there" {
	local f="$BATS_TEST_TMPDIR/admin.csv" a
	a=$(cid 1990)
	printf '%s\n%s\n' "$HDR" "Lâm Văn Tỉnh,$a,male,1990-01-01,,,,$UNIT_82,professional,1,,,,2020-01-01,," >"$f"
	upload admin "$f"
	expect_problem 422 required
	expect_json .field province
	upload admin "$f" province=99
	expect_problem 422 unknown-province
	upload admin "$f" province=22
	expect_status 200
	expect_row_problem 2 unknown-work-unit work_unit_id
	upload admin "$f" "province=82&commit=true"
	expect_status 200
	expect_json .province_code 82
	expect_json .report '[]'
	expect_json .summary.written true
	as hr.dongthap GET "/api/v1/people?q=$a"
	expect_json '.items[0].province_code' 82
}

@test "an officer imports into their own province only" {
	local f="$BATS_TEST_TMPDIR/scope.csv"
	{ echo "$HDR"; person_row; } >"$f"
	upload hr.quangninh "$f" province=82
	expect_problem 403 out-of-scope
	upload hr.quangninh "$f" province=22
	expect_status 200
	expect_json .province_code 22
	[ "$(holders "$rid")" = 0 ]
}

@test "GET /imports/{id}: its province's officer and admins read it; others get 404" {
	local f="$BATS_TEST_TMPDIR/read.csv"
	{ echo "$HDR"; person_row; echo "Nguyễn Văn Sai,099090123456,male,1990-01-01,,,,,,,,,,,,"; } >"$f"
	upload hr.quangninh "$f"
	local id
	id=$(jq -r .id <<<"$body")
	as hr.quangninh GET "/api/v1/imports/$id"
	expect_status 200
	expect_json .id "$id"
	expect_json .province_code 22
	expect_json '[.report[].code] | join(",")' cccd-prefix
	as admin GET "/api/v1/imports/$id"
	expect_status 200
	as hr.dongthap GET "/api/v1/imports/$id"
	expect_problem 404 not-found
	as hr.quangninh GET /api/v1/imports/999999999999
	expect_problem 404 not-found
}

@test "dry runs and commits are audited, and the audit chain stays intact" {
	local f="$BATS_TEST_TMPDIR/audit.csv"
	{ echo "$HDR"; person_row; } >"$f"
	upload hr.quangninh "$f"
	local dry
	dry=$(jq -r .id <<<"$body")
	as admin GET "/api/v1/audit?entity=import&entity_id=$dry"
	expect_json '.items[0].action' import.dry_run
	expect_json '.items[0].actor_login' hr.quangninh
	as admin GET /api/v1/audit/verify
	expect_status 200
	expect_json .ok true
}

@test "row problem: a 1 MB cell is cell-too-long, and the server keeps serving" {
	local f="$BATS_TEST_TMPDIR/long.csv"
	{
		echo "$HDR"
		person_row
		printf 'Nguyễn Văn Dài,%s,male,1990-01-01,,,,,,,,,' "$(cid 1990)"
		head -c 1048576 /dev/zero | tr '\0' x
		printf ',,,\n'
	} >"$f"
	as hr.quangninh POST /api/v1/imports "" -H 'Content-Type: text/csv' --data-binary "@$f" --max-time 30
	local st=$status_code answer=$body i health=000
	# Whatever became of the upload, the server must still answer.
	for i in 1 2 3 4 5; do
		req GET /healthz "" --max-time 5
		health=$status_code
		[ "$health" = 200 ] && break
		sleep 1
	done
	status_code=$st
	body=$answer
	expect_status 200
	expect_row_problem 3 cell-too-long position
	expect_json '[.report[] | select(.row == 2)] | length' 0
	[ ${#body} -lt 100000 ] || fail_with "the report echoes the long cell (${#body} bytes)"
	[ "$health" = 200 ] || fail_with "/healthz answered $health after the upload"
}

@test "an XLSX whose every cell expands one 4 KiB shared string is 422 too-much-text, and the worker's memory stays small" {
	# 100,000 rows x 64 columns decode to 26 GB; the file is a few hundred kB.
	amplify_refused hr.quangninh "" ${HDR//,/ }
	amplify_refused hr.quangninh commit=true ${HDR//,/ }
}

@test "a file whose rows would reach the database as more than 64 MiB of JSON is 422 import-too-large" {
	local f="$BATS_TEST_TMPDIR/controls.csv"
	# 12 MiB of U+0001 in full cells: JSON writes each as six bytes.
	python3 - "$f" "$HDR" <<'PY'
import sys
hdr = sys.argv[2].split(',')
cell = '\x01' * 4096
with open(sys.argv[1], 'w', newline='') as f:
    f.write(','.join(hdr) + '\n')
    for r in range(12 * 1024 * 1024 // (4096 * len(hdr))):
        f.write(','.join([cell] * len(hdr)) + '\n')
PY
	upload hr.quangninh "$f"
	expect_problem 422 import-too-large file
	[[ $(jq -r .detail <<<"$body") == *67108864* ]] || fail_with "the detail does not name the limit"
}
