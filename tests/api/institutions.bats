#!/usr/bin/env bats
# Training institutions are scoped: admins and national steering see all,
# a registrar its own, an officer or provincial steering member those of
# their province. Anything out of scope is 404, exactly like a missing id.

load helpers

setup_file() {
	login admin
	login bcd.national
	login bcd.quangninh
	login hr.quangninh
	login hr.dongthap
	login ulsa
}

# inst_id CODE: the id of the institution with this code.
inst_id() {
	id_where admin /api/v1/institutions code "$1"
}

# codes_seen_by LOGIN: the codes LOGIN's list shows, comma-separated.
codes_seen_by() {
	as "$1" GET /api/v1/institutions
	expect_status 200
	jq -r '[.items[].code] | join(",")' <<<"$body"
}

# out_of_scope LOGIN CODE: reading that institution is the plain 404.
out_of_scope() {
	as "$1" GET /api/v1/institutions/999999
	local missing=$body
	as "$1" GET "/api/v1/institutions/$(inst_id "$2")"
	expect_problem 404 not-found
	[ "$body" = "$missing" ] || fail_with "differs from a missing id: $missing"
}

@test "institutions need a signed-in user" {
	req GET /api/v1/institutions
	expect_problem 401 unauthenticated
	req GET /api/v1/institutions/1
	expect_problem 401 unauthenticated
}

@test "admin sees all five seed institutions with their province" {
	[ "$(codes_seen_by admin)" = "ULSA,USSH-VNU,VWA,TUU,DTCC" ] ||
	    fail_with "admin sees $(codes_seen_by admin)"
	as admin GET "/api/v1/institutions/$(inst_id DTCC)"
	expect_status 200
	expect_json .code DTCC
	expect_json .province.code 82
	as admin GET "/api/v1/institutions/$(inst_id ULSA)"
	expect_json .province.code 01
	expect_json '.name | length > 0' true
}

@test "national steering sees all five" {
	[ "$(codes_seen_by bcd.national)" = "ULSA,USSH-VNU,VWA,TUU,DTCC" ]
	as bcd.national GET "/api/v1/institutions/$(inst_id TUU)"
	expect_status 200
	expect_json .code TUU
}

@test "registrar ulsa sees only ULSA; any other institution is 404" {
	[ "$(codes_seen_by ulsa)" = ULSA ] || fail_with "ulsa sees $(codes_seen_by ulsa)"
	as ulsa GET "/api/v1/institutions/$(inst_id ULSA)"
	expect_status 200
	expect_json .code ULSA
	out_of_scope ulsa USSH-VNU
	out_of_scope ulsa DTCC
}

@test "hr.dongthap sees only DTCC (province 82); ULSA is 404" {
	[ "$(codes_seen_by hr.dongthap)" = DTCC ] || fail_with "hr.dongthap sees $(codes_seen_by hr.dongthap)"
	as hr.dongthap GET "/api/v1/institutions/$(inst_id DTCC)"
	expect_status 200
	out_of_scope hr.dongthap ULSA
}

@test "hr.quangninh sees none (no institution in province 22); ULSA is 404" {
	[ -z "$(codes_seen_by hr.quangninh)" ] || fail_with "hr.quangninh sees $(codes_seen_by hr.quangninh)"
	out_of_scope hr.quangninh ULSA
	out_of_scope hr.quangninh DTCC
}

@test "provincial steering bcd.quangninh sees none; DTCC is 404" {
	[ -z "$(codes_seen_by bcd.quangninh)" ]
	out_of_scope bcd.quangninh DTCC
}

@test "institutions page with limit=2, each exactly once" {
	local cursor="" seen=""
	while :; do
		as admin GET "/api/v1/institutions?limit=2${cursor:+&cursor=$cursor}"
		expect_status 200
		seen="$seen $(jq -r '[.items[].code] | join(" ")' <<<"$body")"
		cursor=$(jq -r '.next_cursor // empty' <<<"$body")
		[ -n "$cursor" ] || break
	done
	[ "$(echo $seen)" = "ULSA USSH-VNU VWA TUU DTCC" ] || fail_with "walked '$seen'"
}

@test "an unknown institution id is 404 even for admin" {
	as admin GET /api/v1/institutions/999999
	expect_problem 404 not-found
	as admin GET /api/v1/institutions/0
	expect_problem 404 not-found
}
