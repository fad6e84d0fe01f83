# Hostile spreadsheets and the server worker's memory, for the tests of
# the import limits (imports.bats, graduate_imports.bats).
#
#   amplify_xlsx OUT ROWS COLS KEY...   an XLSX whose every data cell
#       refers to one 4 KiB shared string: a header row naming KEY... (then
#       extra_N up to COLS columns) and ROWS rows of COLS such cells. The
#       sheet part stays under the per-part cap and the file is a few
#       hundred kB, but it decodes to ROWS x COLS x 4 KiB.
#   amplify_refused WHO QUERY KEY...    uploads such a file of 100,000
#       rows x 64 columns (AMPLIFY_ROWS rows if set) as WHO with the test
#       file's upload(), and checks it is 422 too-much-text naming the
#       limit, with the worker's peak memory grown by less than 32 MiB
#   worker_pid                          the pid of the server's worker
#   vm_kb PID FIELD                     /proc/PID/status FIELD (VmRSS,
#                                       VmHWM) in kB

amplify_xlsx() {
	python3 - "$@" <<'EOF'
import sys, zipfile

out, rows, cols, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG = 'http://schemas.openxmlformats.org/package/2006/relationships'

heads = (keys + ['extra_%d' % i for i in range(cols)])[:cols]
z = zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=9)
z.writestr('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>')
z.writestr('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="S" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>' % (MAIN, REL))
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="%s">'
    '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>' % (PKG, REL, REL))
z.writestr('xl/sharedStrings.xml', '<?xml version="1.0" encoding="UTF-8"?>'
    '<sst xmlns="%s"><si><t>%s</t></si></sst>' % (MAIN, 'x' * 4096))
with z.open('xl/worksheets/sheet1.xml', 'w') as f:
    f.write(('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s">'
        '<sheetData><row r="1">' % MAIN).encode())
    f.write(''.join('<c t="inlineStr"><is><t>%s</t></is></c>' % h
        for h in heads).encode())
    f.write(b'</row>')
    cells = ('<c t="s"><v>0</v></c>' * cols).encode()
    for r in range(rows):
        f.write(b'<row>' + cells + b'</row>')
    f.write(b'</sheetData></worksheet>')
z.close()
EOF
}

# The listening process whose parent listens too is the worker (the
# tests run one).
worker_pid() {
	local pids p
	pids=$(ss -Htlnp "sport = :$REGISTRY_PORT" | grep -o 'pid=[0-9]*' |
	    cut -d= -f2 | sort -u)
	for p in $pids; do
		if grep -qx "$(awk '/^PPid:/ { print $2 }' "/proc/$p/status")" \
		    <<<"$pids"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

vm_kb() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

amplify_refused() {
	local who=$1 query=$2 f="$BATS_TEST_TMPDIR/amplify.xlsx" pid hwm0 hwm1
	shift 2
	amplify_xlsx "$f" "${AMPLIFY_ROWS:-100000}" 64 "$@"
	[ "$(stat -c %s "$f")" -lt 1048576 ] ||
	    fail_with "the file is $(stat -c %s "$f") bytes"
	pid=$(worker_pid) || fail_with "no worker found on port $REGISTRY_PORT"
	hwm0=$(vm_kb "$pid" VmHWM)
	upload "$who" "$f" "$query" "$XLSX_TYPE"
	hwm1=$(vm_kb "$pid" VmHWM)
	echo "# worker $pid VmHWM $hwm0 -> $hwm1 kB, VmRSS $(vm_kb "$pid" VmRSS) kB" >&3
	expect_problem 422 too-much-text file || return 1
	[[ $(jq -r .detail <<<"$body") == *33554432* ]] ||
	    fail_with "the detail does not name the limit"
	[ "$(worker_pid)" = "$pid" ] || fail_with "the worker was replaced"
	[ $((hwm1 - hwm0)) -lt 32768 ] ||
	    fail_with "the worker's peak grew by $((hwm1 - hwm0)) kB"
}
