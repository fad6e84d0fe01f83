#!/usr/bin/env bats
# Lineage between pre-reform and current communes: coverage statistics,
# the items the matcher could not resolve, and an admin's manual links.
# (Who may do what is checked in roles.bats.)

load helpers

setup_file() {
	login admin
	login ulsa
}

@test "GET /lineage/stats reports at least 90% of old communes matched, to any role" {
	as ulsa GET /api/v1/lineage/stats
	expect_status 200
	expect_json '.matched_percent >= 90' true
	expect_json '.old_communes > 10000' true
	expect_json '.matched <= .old_communes' true
	expect_json '.unresolved_open | type' number
	expect_json '.manual_links | type' number
}

@test "GET /lineage/unresolved lists open items with their candidates" {
	as admin GET /api/v1/lineage/unresolved
	expect_status 200
	expect_json '.items | length > 0' true
	expect_json '.items[0].id | type' number
	expect_json '.items[0].commune.valid_from' 2025-07-01
	expect_json '.items[0].province | test("^[0-9]{2}$")' true
	expect_json '.items[0].candidates | length > 0' true
	expect_json '[.items[0].candidates[].valid_to] | unique | join(",")' 2025-06-30
}

@test "?province= filters the unresolved items; a malformed province is 400" {
	as admin GET /api/v1/lineage/unresolved
	local id province other
	id=$(jq -r '.items[0].id' <<<"$body")
	province=$(jq -r '.items[0].province' <<<"$body")
	as admin GET "/api/v1/lineage/unresolved?province=$province"
	expect_status 200
	expect_json "[.items[].id] | index($id) != null" true
	expect_json "[.items[].province] | unique | join(\",\")" "$province"
	other=$([ "$province" = 22 ] && echo 82 || echo 22)
	as admin GET "/api/v1/lineage/unresolved?province=$other"
	expect_json "[.items[].id] | index($id)" null
	as admin GET '/api/v1/lineage/unresolved?province=2'
	expect_problem 400 invalid-parameter province
}

@test "POST /lineage resolves an unresolved item: 201, linked both ways, audited" {
	as admin GET /api/v1/lineage/stats
	local manual open
	manual=$(jq -r .manual_links <<<"$body")
	open=$(jq -r .unresolved_open <<<"$body")
	as admin GET /api/v1/lineage/unresolved
	local id new old
	id=$(jq -r '.items[0].id' <<<"$body")
	new=$(jq -r '.items[0].commune.code' <<<"$body")
	old=$(jq -r '.items[0].candidates[0].code' <<<"$body")
	as admin POST /api/v1/lineage "{\"old_code\":\"$old\",\"new_code\":\"$new\",\"partial\":true,\"unresolved_id\":$id}"
	expect_status 201
	expect_json .code "$new"
	expect_json "[.formed_from[] | select(.code == \"$old\") | [.method, .partial] | join(\" \")] | join(\",\")" "manual true"
	as admin GET "/api/v1/communes/$old"
	expect_json "[.became[].code] | index(\"$new\") != null" true
	as admin GET /api/v1/lineage/unresolved
	expect_json "[.items[].id] | index($id)" null
	as admin GET /api/v1/lineage/stats
	expect_json .manual_links "$((manual + 1))"
	expect_json .unresolved_open "$((open - 1))"
	as admin GET "/api/v1/audit?entity=lineage&entity_id=$old>$new"
	expect_json '.items | length' 1
	expect_json '.items[0].action' create
	expect_json '.items[0].after.unresolved_id' "$id"
}

@test "linking the same pair again is 409 link-exists" {
	as admin POST /api/v1/lineage '{"old_code":"09838","new_code":"06688"}'
	expect_status 201
	expect_json '[.formed_from[] | select(.code == "09838") | .partial] | join(",")' false
	as admin POST /api/v1/lineage '{"old_code":"09838","new_code":"06688"}'
	expect_problem 409 link-exists old_code
}

@test "bad commune codes are 422 naming the field" {
	as admin POST /api/v1/lineage '{"old_code":"123","new_code":"06688"}'
	expect_problem 422 invalid-code old_code
	as admin POST /api/v1/lineage '{"old_code":"09838","new_code":"0668a"}'
	expect_problem 422 invalid-code new_code
	as admin POST /api/v1/lineage '{"old_code":"99999","new_code":"06688"}'
	expect_problem 422 unknown-old-commune old_code
	as admin POST /api/v1/lineage '{"old_code":"09838","new_code":"09841"}'
	expect_problem 422 unknown-commune new_code
	as admin POST /api/v1/lineage '{"old_code":"09838"}'
	expect_problem 422 required new_code
	as admin POST /api/v1/lineage '{"old_code":"09841","new_code":"06688","partial":"yes"}'
	expect_problem 422 invalid-type partial
}

@test "an unresolved_id that does not exist or belongs to another commune is 422" {
	as admin POST /api/v1/lineage '{"old_code":"09841","new_code":"06688","unresolved_id":999999}'
	expect_problem 422 unknown-unresolved unresolved_id
	local other
	other=$(owner_sql "SELECT min(r.id) FROM geo.lineage_unresolved r JOIN geo.units c ON c.id = r.new_id WHERE c.code <> '06688'")
	as admin POST /api/v1/lineage "{\"old_code\":\"09841\",\"new_code\":\"06688\",\"unresolved_id\":$other}"
	expect_problem 422 unknown-unresolved unresolved_id
	as admin GET /api/v1/communes/06688
	expect_json '[.formed_from[].code] | index("09841")' null
}
