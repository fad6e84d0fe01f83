#!/usr/bin/env bats
# The printed certificate read back the way a person and a phone read it:
# build/registry-certificate renders JSON to a PDF, pdftotext must find
# the Vietnamese with its diacritics, and the QR code, rasterised at
# 150 dpi, must decode with zbarimg to exactly the qr_text given. Needs no
# server or database: run from anywhere after `make build`.
#
# Needs poppler-utils (pdftotext, pdftoppm), zbar-tools (zbarimg) and jq.

bats_require_minimum_version 1.5.0	# run --separate-stderr

CERT_TOOL="$BATS_TEST_DIRNAME/../../build/registry-certificate"

# A compact JWS shape: base64url header, payload and signature, so the
# QR code carries what the registry will put in it (~900 bytes).
jws() {
	local payload="" i
	for i in $(seq 10 99); do
		payload+="eyJzdWIiOi${i}J"
	done
	printf 'eyJhbGciOiJFZERTQSIsImtpZCI6InJlZ2lzdHJ5LTIwMjYifQ.%s.%s' \
	    "$payload" "$(printf 'c2lnbmF0dXJl%.0s' $(seq 1 7))"
}

# cert [JQ-FILTER]: the sample certificate as JSON, changed by the filter.
cert() {
	local id=3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a5f13
	local url="https://registry.example.gov.vn/verify/$id"
	jq -n --arg id "$id" --arg url "$url" --arg qr "$url#$(jws)" '{
		credential_id: $id,
		kind: "course",
		holder_name: "Nguyễn Thị Hồng Nhung",
		holder_id_masked: "•••••••••123",
		achievement: "Kỹ năng tham vấn và hỗ trợ tâm lý xã hội cho trẻ em",
		level: "Đại học",
		hours: 120,
		issuer: "Trường Đại học Lao động - Xã hội",
		place: "Hà Nội",
		issued_on: "2026-11-22",
		verify_url: $url,
		qr_text: $qr
	}' | jq "${1:-.}"
}

# text PDF: the page as one line of words (pdftotext breaks lines where
# the layout does; its warnings about libharu's ToUnicode CMap go).
text() {
	pdftotext -enc UTF-8 "$1" - 2>/dev/null | tr -s ' \n' '  '
}

setup() {
	[ -x "$CERT_TOOL" ] || skip "build/registry-certificate is not built"
	PDF="$BATS_TEST_TMPDIR/c.pdf"
}

@test "certificate: a whole PDF on standard output" {
	cert >"$BATS_TEST_TMPDIR/c.json"
	"$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json" >"$PDF"
	[ "$(head -c 5 "$PDF")" = "%PDF-" ]
	tail -c 7 "$PDF" | grep -q '%%EOF'
	pdfinfo "$PDF" 2>/dev/null | grep -Eq '^Pages: +1$'
	# A4 landscape: 842 x 595 points.
	pdfinfo "$PDF" 2>/dev/null | grep -Eq '^Page size: +841.89 x 595.2[0-9]* pts \(A4\)'
}

@test "certificate: pdftotext reads the Vietnamese back with its diacritics" {
	cert | "$CERT_TOOL" >"$PDF"
	run text "$PDF"
	[[ "$output" == *"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"* ]]
	[[ "$output" == *"Độc lập - Tự do - Hạnh phúc"* ]]
	[[ "$output" == *"GIẤY CHỨNG NHẬN"* ]]
	[[ "$output" == *"Certificate of Completion"* ]]
	[[ "$output" == *"Nguyễn Thị Hồng Nhung"* ]]
	[[ "$output" == *"•••••••••123"* ]]
	[[ "$output" == *"Kỹ năng tham vấn và hỗ trợ tâm lý xã hội cho trẻ em"* ]]
	[[ "$output" == *"Đại học"* ]]
	[[ "$output" == *"120 giờ"* ]]
	[[ "$output" == *"Hà Nội, ngày 22 tháng 11 năm 2026"* ]]
	[[ "$output" == *"Issued on 22 November 2026"* ]]
	[[ "$output" == *"Trường Đại học Lao động - Xã hội"* ]]
	[[ "$output" == *"3f1c9a2e-7b4d-4e8a-9c1f-2d6b8e0a5f13"* ]]
	[[ "$output" != *"ĐÃ THU HỒI"* ]]
}

@test "certificate: the QR code decodes to exactly qr_text at 150 dpi" {
	cert >"$BATS_TEST_TMPDIR/c.json"
	"$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json" >"$PDF"
	want=$(jq -r .qr_text "$BATS_TEST_TMPDIR/c.json")
	[ "${#want}" -gt 800 ]
	pdftoppm -png -r 150 -singlefile "$PDF" "$BATS_TEST_TMPDIR/page" 2>/dev/null
	got=$(zbarimg -q --raw "$BATS_TEST_TMPDIR/page.png" 2>/dev/null)
	[ "$got" = "$want" ]
}

@test "certificate: the longest qr_text allowed still decodes at 150 dpi" {
	cert '.qr_text = (.qr_text * 2)[0:1700]' >"$BATS_TEST_TMPDIR/c.json"
	"$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json" >"$PDF"
	pdftoppm -png -r 150 -singlefile "$PDF" "$BATS_TEST_TMPDIR/page" 2>/dev/null
	got=$(zbarimg -q --raw "$BATS_TEST_TMPDIR/page.png" 2>/dev/null)
	[ "$got" = "$(jq -r .qr_text "$BATS_TEST_TMPDIR/c.json")" ]
}

# libharu 2.3.0 leaves out glyphs nested two deep in a composite, and
# DejaVu's "ộ" is one: without the fix the dot below is simply missing,
# and "Hộ" looks the same as "Hô" on the page.
@test "certificate: the dot below of ộ is printed, not only extracted" {
	cert '.holder_name = "Hộ"' | "$CERT_TOOL" >"$BATS_TEST_TMPDIR/dot.pdf"
	cert '.holder_name = "Hô"' | "$CERT_TOOL" >"$BATS_TEST_TMPDIR/nodot.pdf"
	pdftoppm -png -r 100 -singlefile "$BATS_TEST_TMPDIR/dot.pdf" \
	    "$BATS_TEST_TMPDIR/dot" 2>/dev/null
	pdftoppm -png -r 100 -singlefile "$BATS_TEST_TMPDIR/nodot.pdf" \
	    "$BATS_TEST_TMPDIR/nodot" 2>/dev/null
	run cmp -s "$BATS_TEST_TMPDIR/dot.png" "$BATS_TEST_TMPDIR/nodot.png"
	[ "$status" -eq 1 ]
}

@test "certificate: a revoked one says so, with the reason" {
	cert '.revoked_reason = "Cấp nhầm người" | .kind = "degree"' |
	    "$CERT_TOOL" >"$PDF"
	run text "$PDF"
	[[ "$output" == *"ĐÃ THU HỒI"* ]]
	[[ "$output" == *"REVOKED"* ]]
	[[ "$output" == *"Cấp nhầm người"* ]]
	[[ "$output" == *"GIẤY XÁC NHẬN VĂN BẰNG"* ]]
}

@test "certificate: a qr_text beyond a QR code fails with a message" {
	cert '.qr_text = "x" * 5000' >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr "$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"qr_text of 5000 bytes does not fit in a QR code"* ]]
}

@test "certificate: missing fonts, bad JSON and unknown fields fail" {
	cert >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr "$CERT_TOOL" -f /nonexistent <"$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"cannot load font /nonexistent/DejaVuSerif.ttf"* ]]

	run --separate-stderr "$CERT_TOOL" <<<'{"holder_name": '
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"not a JSON object"* ]]

	cert '.holder_nmae = "x"' >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr "$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *'unknown field "holder_nmae"'* ]]

	cert '.issued_on = "22/11/2026"' >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr "$CERT_TOOL" <"$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"issued_on is not a YYYY-MM-DD date"* ]]
}
