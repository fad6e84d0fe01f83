#!/usr/bin/env bats
# Provinces and communes today or on a date, commune search, and the
# lineage between the units before the July 2025 reform and today's.

load helpers

setup_file() {
	login admin
	login ulsa
	login bcd.quangninh
	login hr.dongthap
}

# walk LOGIN PATH KEY: follows next_cursor from PATH (which has a ?),
# prints KEY of every item, one a line.
walk() {
	local who=$1 path=$2 key=$3 cursor=""
	while :; do
		as "$who" GET "$path${cursor:+&cursor=$cursor}"
		[ "$status_code" = 200 ] || { fail_with "walk $path"; return 1; }
		jq -r ".items[] | $key" <<<"$body"
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
}

@test "geography needs a signed-in user" {
	for path in /api/v1/provinces /api/v1/provinces/22 /api/v1/provinces/22/communes \
	    /api/v1/communes/09856 /api/v1/lineage/stats; do
		req GET "$path"
		expect_problem 401 unauthenticated
	done
}

@test "every role reads geography" {
	for who in ulsa bcd.quangninh hr.dongthap; do
		as "$who" GET /api/v1/provinces
		expect_status 200
		expect_json '.items | length' 34
		as "$who" GET /api/v1/communes/09856
		expect_status 200
	done
}

@test "GET /provinces lists today's 34 provinces in code order" {
	as admin GET /api/v1/provinces
	expect_status 200
	expect_json '.items | length' 34
	expect_json .next_cursor null
	expect_json '[.items[].code] == ([.items[].code] | sort)' true
	expect_json '[.items[] | select(.level != "province" or .valid_from != "2025-07-01" or .valid_to != null)] | length' 0
	expect_json '[.items[] | select((.name | length) == 0 or (.full_name | length) == 0)] | length' 0
	expect_json '.items[] | select(.code == "22") | .full_name' "Tỉnh Quảng Ninh"
	expect_json '[.items[].code] | index("77")' null
}

@test "?as_of=2024-01-01 lists the 63 pre-reform provinces" {
	as admin GET '/api/v1/provinces?as_of=2024-01-01'
	expect_status 200
	expect_json '.items | length' 63
	expect_json '[.items[].valid_to] | unique | join(",")' 2025-06-30
	expect_json '.items[] | select(.code == "77") | .name' "Bà Rịa - Vũng Tàu"
}

@test "the reform day is the boundary: 63 provinces on 2025-06-30, 34 on 2025-07-01" {
	as admin GET '/api/v1/provinces?as_of=2025-06-30'
	expect_json '.items | length' 63
	as admin GET '/api/v1/provinces?as_of=2025-07-01'
	expect_json '.items | length' 34
}

@test "provinces page with limit and next_cursor, each exactly once" {
	local codes
	codes=$(walk admin '/api/v1/provinces?limit=10' .code)
	[ "$(wc -l <<<"$codes")" = 34 ] || fail_with "got $(wc -l <<<"$codes") codes"
	[ -z "$(sort <<<"$codes" | uniq -d)" ] || fail_with "repeated: $(sort <<<"$codes" | uniq -d)"
	as admin GET '/api/v1/provinces?limit=10'
	expect_json '.next_cursor | type' string
}

@test "/provinces/77 is Bà Rịa - Vũng Tàu, ended 2025-06-30, succeeded by 79" {
	as admin GET /api/v1/provinces/77
	expect_status 200
	expect_json .code 77
	expect_json .name "Bà Rịa - Vũng Tàu"
	expect_json .valid_to 2025-06-30
	expect_json .successor.code 79
	expect_json .successor.valid_to null
}

@test "/provinces/79 (Hồ Chí Minh) was formed from 74, 77 and 79" {
	as admin GET /api/v1/provinces/79
	expect_status 200
	expect_json .name "Hồ Chí Minh"
	expect_json .valid_to null
	expect_json .successor null
	expect_json '[.predecessors[].code] | join(",")' 74,77,79
}

@test "/provinces/87 (old Đồng Tháp) is succeeded by 82" {
	as admin GET /api/v1/provinces/87
	expect_status 200
	expect_json .valid_to 2025-06-30
	expect_json .successor.code 82
	expect_json .successor.name "Đồng Tháp"
}

@test "/provinces/22 (Quảng Ninh) has only itself as predecessor, and counts its communes" {
	as admin GET /api/v1/provinces/22
	expect_status 200
	expect_json .name "Quảng Ninh"
	expect_json '[.predecessors[].code] | join(",")' 22
	local n
	n=$(jq -r .communes <<<"$body")
	as admin GET '/api/v1/provinces/22/communes?limit=1000'
	expect_json '.items | length' "$n"
}

@test "?as_of picks the version of a province valid on that date" {
	as admin GET '/api/v1/provinces/79?as_of=2024-01-01'
	expect_status 200
	expect_json .valid_to 2025-06-30
	expect_json .successor.code 79
	expect_json .predecessors '[]'
}

@test "an unknown province is 404 not-found, a non-code is 404 no-route" {
	as admin GET /api/v1/provinces/99
	expect_problem 404 not-found
	as admin GET /api/v1/provinces/abc
	expect_problem 404 no-route
	as admin GET /api/v1/provinces/777
	expect_problem 404 no-route
}

@test "communes of a province page with next_cursor, each exactly once" {
	local codes n
	as admin GET /api/v1/provinces/22
	n=$(jq -r .communes <<<"$body")
	as admin GET '/api/v1/provinces/22/communes?limit=20'
	expect_json '.items | length' 20
	expect_json '.next_cursor | type' string
	codes=$(walk admin '/api/v1/provinces/22/communes?limit=20' .code)
	[ "$(wc -l <<<"$codes")" = "$n" ] || fail_with "walked $(wc -l <<<"$codes") of $n"
	[ -z "$(sort <<<"$codes" | uniq -d)" ] || fail_with "repeated: $(sort <<<"$codes" | uniq -d)"
}

@test "commune search ignores diacritics and case: ha long and HẠ LONG find Hạ Long" {
	as admin GET '/api/v1/provinces/22/communes?q=ha%20long'
	expect_status 200
	expect_json '[.items[].name] | join(",")' "Hạ Long"
	expect_json '.items[0].code' 06688
	as admin GET '/api/v1/provinces/22/communes?q=H%E1%BA%A0%20LONG'
	expect_json '[.items[].name] | join(",")' "Hạ Long"
}

@test "commune search also matches a commune code" {
	as admin GET '/api/v1/provinces/22/communes?q=06688'
	expect_status 200
	expect_json '[.items[].code] | join(",")' 06688
}

@test "commune search takes % and _ literally, not as wildcards" {
	as admin GET '/api/v1/provinces/22/communes?q=_'
	expect_status 200
	expect_json '.items | length' 0
}

@test "a blank or over-long search is 400 invalid-parameter q" {
	as admin GET '/api/v1/provinces/22/communes?q=%20%20'
	expect_problem 400 invalid-parameter q
	as admin GET "/api/v1/provinces/22/communes?q=$(printf 'a%.0s' {1..101})"
	expect_problem 400 invalid-parameter q
}

@test "?as_of=2024-01-01 lists the pre-reform communes of old Quảng Ninh" {
	as admin GET '/api/v1/provinces/22/communes?as_of=2024-01-01&limit=1000'
	expect_status 200
	expect_json '[.items[].valid_to] | unique | join(",")' 2025-06-30
	expect_json '(.items | length) > 54' true
	as admin GET '/api/v1/provinces/22/communes?as_of=2024-01-01&q=ha%20long'
	expect_json '[.items[].code] | join(",")' 07012
}

@test "communes of an abolished province: 404 today, listed on an earlier date" {
	as admin GET /api/v1/provinces/77/communes
	expect_problem 404 not-found
	as admin GET '/api/v1/provinces/77/communes?as_of=2024-01-01&limit=1000'
	expect_status 200
	expect_json '(.items | length) > 0' true
}

@test "/communes/09856 was formed from Minh Khai 09838 and Yên Sở" {
	as admin GET /api/v1/communes/09856
	expect_status 200
	expect_json .valid_from 2025-07-01
	expect_json .province.code 01
	expect_json .district null
	expect_json '[.formed_from[] | select(.code == "09838") | .name] | join(",")' "Minh Khai"
	expect_json '[.formed_from[].name] | index("Yên Sở") != null' true
	expect_json '[.formed_from[] | select(.valid_to != "2025-06-30")] | length' 0
	expect_json .became '[]'
}

@test "an old commune shows what it became, with or without as_of" {
	as admin GET /api/v1/communes/09838
	expect_status 200
	expect_json .name "Minh Khai"
	expect_json .valid_to 2025-06-30
	expect_json '[.became[].code] | index("09856") != null' true
	as admin GET '/api/v1/communes/09838?as_of=2024-01-01'
	expect_status 200
	expect_json '[.became[].code] | index("09856") != null' true
	expect_json '.district.name | length > 0' true
}

@test "an unknown commune, or one not valid on as_of, is 404 not-found" {
	as admin GET /api/v1/communes/99999
	expect_problem 404 not-found
	as admin GET '/api/v1/communes/09838?as_of=2026-01-01'
	expect_problem 404 not-found
}
