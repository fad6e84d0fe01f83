#!/usr/bin/env bats
# Names that are signed into credentials and printed must display as they
# are stored: direction overrides, zero-width and control characters are
# refused wherever a person's name enters (a province's register, a
# university's graduates), with a 422 naming the field, and nothing is
# written (issue 12, item 11). The character rules themselves are in
# tests/sql/15_names.sql.

load helpers

setup_file() {
	login hr.quangninh
	login ulsa
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
}

person() {
	jq -nc --arg n "$1" --arg c "$2" \
	    '{full_name: $n, citizen_id: $c, sex: "male", birth_date: "1990-05-01"}'
}

people_with() {
	owner_sql "SELECT count(*) FROM hr.people WHERE citizen_id = '$1'"
}

@test "a person whose name carries a right-to-left override is 422, nothing stored" {
	local id
	id=$(free_cid 3 1990 male)
	as hr.quangninh POST /api/v1/people "$(person $'Nguy\u1ec5n\u202e nA' "$id")"
	expect_status 422
	expect_json .field full_name
	expect_json .code hidden-characters
	[ "$(people_with "$id")" = 0 ] || fail_with "a person was stored"
}

@test "a person whose name carries a zero-width space is 422" {
	local id
	id=$(free_cid 3 1990 male)
	as hr.quangninh POST /api/v1/people "$(person $'Tr\u1ea7n\u200b B\u00ecnh' "$id")"
	expect_status 422
	expect_json .field full_name
	[ "$(people_with "$id")" = 0 ] || fail_with "a person was stored"
}

@test "a \\u-escaped control character in JSON is refused the same way" {
	local id
	id=$(free_cid 3 1990 male)
	as hr.quangninh POST /api/v1/people \
	    "{\"full_name\":\"L\\u00ea V\\u0103n\\u0007 An\",\"citizen_id\":\"$id\",\"sex\":\"male\",\"birth_date\":\"1990-05-01\"}"
	expect_status 422
	expect_json .field full_name
}

@test "a no-break space in a pasted name is stored as a plain space" {
	local id
	id=$(free_cid 3 1990 male)
	as hr.quangninh POST /api/v1/people "$(person $'L\u00ea\u00a0V\u0103n  An' "$id")"
	expect_status 201
	expect_json .full_name "Lê Văn An"
}

@test "a graduate whose name carries a direction isolate is 422, nothing stored" {
	local id
	id=$(free_cid 3 2001 female)
	as ulsa POST /api/v1/graduates "$(jq -nc --arg n $'Phan Th\u1ecb\u2066 Ng\u1ecdc' --arg c "$id" \
	    '{full_name: $n, citizen_id: $c, birth_date: "2001-02-03", sex: "female",
	      programme_code: "7760101", level: "dai_hoc", field: "social_work",
	      graduation_date: "2024-06-30", diploma_number: ("N-" + $c)}')"
	expect_status 422
	expect_json .field full_name
	[ "$(people_with "$id")" = 0 ] || fail_with "a person was stored"
}
