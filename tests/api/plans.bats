#!/usr/bin/env bats
# Plans, targets and base salaries over HTTP: the seeded national and
# provincial plans (with their unconfirmed figures and their historical
# provinces) and base salaries, every route as every role (admin writes;
# officers and steering read only; registrars do not read; nobody
# unauthenticated), scopes read on the plan's day, each bad field a 422
# naming it that writes nothing, and an audit row for every write.

load helpers

setup_file() {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		login "$who"
	done
	export TAG P32 P112 PDT PQN PCM PT TT
	TAG=$(tr -dc 'A-Z' </dev/urandom | head -c 5)
	P32=$(owner_sql "SELECT id FROM plans.plans WHERE code = 'QD-32-2010'")
	P112=$(owner_sql "SELECT id FROM plans.plans WHERE code = 'QD-112-2021'")
	PDT=$(owner_sql "SELECT id FROM plans.plans WHERE code = 'DT-KH-2011'")
	PQN=$(owner_sql "SELECT id FROM plans.plans WHERE code = 'QN-1811-2011'")
	PCM=$(owner_sql "SELECT id FROM plans.plans WHERE code = 'CM-KH-112-2021'")
	# A plan of old Đồng Tháp (87) and one of its targets, for the tests
	# that change things; the seeds stay as they are for other files.
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG\",\"document\":\"Kế hoạch thử $TAG\",\"name\":\"Kế hoạch thử nghiệm $TAG\",\"signed_on\":\"2015-03-02\",\"period_from\":\"2015-03-02\",\"period_to\":\"2020-12-31\",\"scope\":\"province:87\"}"
	PT=$(jq -r .id <<<"$body")
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":40,"source":"Mục II.1","unconfirmed":true}'
	TT=$(jq -r .id <<<"$body")
	export BS_DAY
	BS_DAY="20$((90 + RANDOM % 9))-0$((1 + RANDOM % 9))-1$((RANDOM % 9))"
}

# What the tests made goes again, so files that count targets or read
# the base salary pass in any order.
teardown_file() {
	owner_sql "DELETE FROM plans.targets WHERE plan_id IN
	    (SELECT id FROM plans.plans WHERE code LIKE 'T81-$TAG%');
	    DELETE FROM plans.plans WHERE code LIKE 'T81-$TAG%';
	    DELETE FROM plans.base_salaries WHERE effective_from = '$BS_DAY'" \
	    >/dev/null
}

count_all() {
	owner_sql "SELECT (SELECT count(*) FROM plans.plans) || '/' ||
	    (SELECT count(*) FROM plans.targets) || '/' ||
	    (SELECT count(*) FROM plans.base_salaries) || '/' ||
	    (SELECT coalesce(sum(threshold), 0) FROM plans.targets) || '/' ||
	    (SELECT sum(amount_vnd) FROM plans.base_salaries)"
}

# new_target JSON: a target of the test plan; sets tid.
new_target() {
	as admin POST "/api/v1/plans/$PT/targets" "$1"
	expect_status 201 || return 1
	tid=$(jq -r .id <<<"$body")
}

# ----------------------------------------------------------------- access

@test "plans: every route needs a signed-in user (401)" {
	local path
	for path in /api/v1/plans "/api/v1/plans/$P32" "/api/v1/plans/$P32/targets" \
	    "/api/v1/targets/$TT" /api/v1/base-salaries /api/v1/base-salaries/2024-07-01; do
		req GET "$path"
		expect_problem 401 unauthenticated || return 1
	done
	req POST /api/v1/plans '{"code":"X1"}'
	expect_problem 401 unauthenticated
	req PATCH "/api/v1/plans/$PT" '{"note":"x"}'
	expect_problem 401 unauthenticated
	req POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share"}'
	expect_problem 401 unauthenticated
	req PATCH "/api/v1/targets/$TT" '{"note":"x"}'
	expect_problem 401 unauthenticated
	req DELETE "/api/v1/targets/$TT"
	expect_problem 401 unauthenticated
	req POST /api/v1/base-salaries '{"effective_from":"2090-01-01"}'
	expect_problem 401 unauthenticated
	req PATCH /api/v1/base-salaries/2024-07-01 '{"amount_vnd":1}'
	expect_problem 401 unauthenticated
}

@test "plans: a registrar reads none of it (403)" {
	local path
	for path in /api/v1/plans "/api/v1/plans/$P32" "/api/v1/plans/$P32/targets" \
	    "/api/v1/targets/$TT" /api/v1/base-salaries /api/v1/base-salaries/2024-07-01; do
		as ulsa GET "$path"
		expect_problem 403 forbidden || return 1
	done
}

@test "plans: officers and steering read everything, national and other provinces' plans alike" {
	local who
	for who in admin hr.quangninh hr.dongthap bcd.quangninh bcd.national; do
		as "$who" GET /api/v1/plans
		expect_status 200 || return 1
		expect_json '[.items[].code] | contains(["QD-32-2010", "QD-112-2021", "DT-KH-2011", "QN-1811-2011", "CM-KH-112-2021"])' true || return 1
		as "$who" GET "/api/v1/plans/$PDT"
		expect_status 200 || return 1
		as "$who" GET "/api/v1/plans/$P112/targets"
		expect_status 200 || return 1
		as "$who" GET "/api/v1/targets/$TT"
		expect_status 200 || return 1
		as "$who" GET /api/v1/base-salaries
		expect_status 200 || return 1
		as "$who" GET /api/v1/base-salaries/2024-07-01
		expect_status 200 || return 1
	done
}

@test "plans: only an admin writes: officers, steering and registrars get 403 and nothing changes" {
	local before who
	before=$(count_all)
	for who in hr.quangninh hr.dongthap bcd.quangninh bcd.national ulsa; do
		as "$who" POST /api/v1/plans "{\"code\":\"T81-$TAG-NO\",\"document\":\"Không được\",\"name\":\"Không được\",\"signed_on\":\"2020-01-01\",\"period_from\":\"2020-01-01\",\"period_to\":\"2020-12-31\",\"scope\":\"national\"}"
		expect_problem 403 forbidden || return 1
		as "$who" PATCH "/api/v1/plans/$PT" '{"name":"Đổi tên"}'
		expect_problem 403 forbidden || return 1
		as "$who" POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10,"source":"Không được"}'
		expect_problem 403 forbidden || return 1
		as "$who" PATCH "/api/v1/targets/$TT" '{"threshold":99}'
		expect_problem 403 forbidden || return 1
		as "$who" DELETE "/api/v1/targets/$TT"
		expect_problem 403 forbidden || return 1
		as "$who" POST /api/v1/base-salaries '{"effective_from":"2098-01-01","amount_vnd":5000000,"source":"Không được"}'
		expect_problem 403 forbidden || return 1
		as "$who" PATCH /api/v1/base-salaries/2024-07-01 '{"amount_vnd":1}'
		expect_problem 403 forbidden || return 1
	done
	[ "$(count_all)" = "$before" ] || fail_with "a refused write wrote something"
}

@test "plans: unknown ids and days are 404; other methods 405" {
	as admin GET /api/v1/plans/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/plans/999999999/targets
	expect_problem 404 not-found
	as admin POST /api/v1/plans/999999999/targets '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 404 not-found
	as admin GET /api/v1/targets/999999999
	expect_problem 404 not-found
	as admin DELETE /api/v1/targets/999999999
	expect_problem 404 not-found
	as admin GET /api/v1/base-salaries/2020-01-01
	expect_problem 404 not-found
	as admin GET /api/v1/base-salaries/2024-02-30
	expect_problem 404 not-found
	as admin PATCH /api/v1/base-salaries/2020-01-01 '{"amount_vnd":1}'
	expect_problem 404 not-found
	as admin DELETE "/api/v1/plans/$PT"
	expect_problem 405 method-not-allowed
	expect_header allow 'GET, PATCH'
	as admin DELETE /api/v1/base-salaries/2024-07-01
	expect_problem 405 method-not-allowed
}

# ----------------------------------------------------------------- seeds

@test "seeds: Decision 32 has the decade total and the two unconfirmed phase targets" {
	as bcd.national GET "/api/v1/plans/$P32"
	expect_status 200
	expect_json .document 'Quyết định 32/2010/QĐ-TTg'
	expect_json .signed_on 2010-03-25
	expect_json .period_from 2010-05-10
	expect_json .scope national
	expect_json .province null
	expect_json .target_count 3
	expect_json '[.targets[] | select(.indicator.code != "people_trained_since")] | length' 0
	expect_json '[.targets[] | "\(.phase) \(.threshold) \(.baseline_date) \(.due_date) \(.unconfirmed)"] | sort | join(",")' \
	    '2010–2015 10000 2010-05-10 2015-12-31 true,2010–2020 60000 2010-05-10 2020-12-31 false,2016–2020 50000 2016-01-01 2020-12-31 true'
	expect_json '[.targets[] | select(.unconfirmed) | .note | test("Chưa xác nhận")] | all' true
}

@test "seeds: Decision 112 targets for 2025 and 2030, the 2030 training share unconfirmed" {
	as hr.dongthap GET "/api/v1/plans/$P112/targets"
	expect_status 200
	expect_json '.items | length' 6
	expect_json '[.items[] | "\(.indicator.code) \(.due_date) \(.threshold) \(.unconfirmed)"] | sort | join(",")' \
	    'communes_covered 2025-12-31 60 false,communes_covered 2030-12-31 90 false,facilities_with_professional 2025-12-31 50 false,facilities_with_professional 2030-12-31 60 false,trained_share 2025-12-31 30 false,trained_share 2030-12-31 50 true'
	expect_json '.items[] | select(.unconfirmed) | .note | test("2030")' true
	expect_json '[.items[] | .scope] | unique | join(",")' national
	expect_json '.items[0].plan_code' QD-112-2021
	expect_json '.items[0].indicator | keys | join(",")' code,kind,name_en,name_vi,unit
	expect_json '.items[0].threshold | type' number
}

@test "seeds: provincial plans name the province as it was (old Đồng Tháp 87, old Cà Mau 96, Quảng Ninh 22 before 2025)" {
	as admin GET "/api/v1/plans/$PDT"
	expect_status 200
	expect_json .scope province:87
	expect_json .province.name 'Đồng Tháp'
	expect_json .province.valid_to 2025-06-30
	expect_json .target_count 5
	expect_json '[.targets[] | select(.scope != "province:87" or .province.valid_to != "2025-06-30")] | length' 0
	expect_json '[.targets[].unconfirmed] | all' true
	expect_json '[.targets[] | "\(.indicator.code) \(.threshold) \(.due_date) \(.baseline_date)"] | sort | join(",")' \
	    'communes_covered 100 2015-12-31 null,communes_covered_1plus1 100 2020-12-31 null,headcount_growth 10 2015-12-31 2011-01-01,headcount_growth 50 2020-12-31 2011-01-01,trained_share 50 2020-12-31 null'
	expect_json '.note | test("chưa xác định")' true
	as admin GET "/api/v1/plans/$PQN"
	expect_json .document 'Kế hoạch 1811/KH-UBND'
	expect_json .signed_on 2011-05-24
	expect_json .scope province:22
	expect_json .province.valid_to 2025-06-30
	expect_json .target_count 0
	expect_json '.targets | length' 0
	as admin GET "/api/v1/plans/$PCM"
	expect_json .scope province:96
	expect_json .province.valid_to 2025-06-30
	expect_json '.targets[0] | "\(.indicator.code) \(.threshold) \(.due_date) \(.unconfirmed)"' \
	    'communes_covered 70 2025-12-31 true'
	expect_json '.note | test("chưa xác định")' true
}

@test "seeds: base salaries from 2009 to 2024 with their decrees; current marks the one in force" {
	as hr.quangninh GET /api/v1/base-salaries
	expect_status 200
	expect_json '[.items[] | select(.effective_from < "2025-01-01") | "\(.effective_from)=\(.amount_vnd)"] | join(",")' \
	    '2009-05-01=650000,2010-05-01=730000,2011-05-01=830000,2012-05-01=1050000,2013-07-01=1150000,2016-05-01=1210000,2017-07-01=1300000,2018-07-01=1390000,2019-07-01=1490000,2023-07-01=1800000,2024-07-01=2340000'
	expect_json '[.items[] | select(.effective_from < "2025-01-01") | .unconfirmed] | any' false
	expect_json '.items[] | select(.effective_from == "2013-07-01") | .source' 'NĐ 66/2013/NĐ-CP'
	expect_json '.items[] | select(.effective_from == "2023-07-01") | .effective_to' 2024-06-30
	expect_json '[.items[] | select(.in_force)] | length' 1
	as hr.quangninh GET '/api/v1/base-salaries?as_of=2024-06-30'
	expect_json .as_of 2024-06-30
	expect_json .current.amount_vnd 1800000
	expect_json '.items[] | select(.effective_from == "2023-07-01") | .in_force' true
	as hr.quangninh GET '/api/v1/base-salaries?as_of=2024-07-01'
	expect_json .current.amount_vnd 2340000
	expect_json .current.source 'NĐ 73/2024/NĐ-CP'
	as hr.quangninh GET '/api/v1/base-salaries?as_of=2009-04-30'
	expect_json .current null
	as hr.quangninh GET '/api/v1/base-salaries?as_of=2024-02-30'
	expect_problem 400 invalid-parameter as_of
	as bcd.quangninh GET /api/v1/base-salaries/2024-07-01
	expect_status 200
	expect_json .amount_vnd 2340000
	expect_json .source 'NĐ 73/2024/NĐ-CP'
}

# ----------------------------------------------------------------- lists

@test "plans list: ?province finds national plans and every version of the province" {
	as hr.dongthap GET '/api/v1/plans?province=82'
	expect_status 200
	expect_json '[.items[].code] | contains(["QD-32-2010", "QD-112-2021", "DT-KH-2011"])' true
	expect_json '[.items[].code] | index("QN-1811-2011")' null
	expect_json '[.items[].code] | index("CM-KH-112-2021")' null
	as admin GET '/api/v1/plans?province=87'
	expect_json '[.items[].code] | index("DT-KH-2011") != null' true
	as admin GET '/api/v1/plans?province=22'
	expect_json '[.items[].code] | index("QN-1811-2011") != null' true
	expect_json '[.items[].code] | index("DT-KH-2011")' null
	as admin GET '/api/v1/plans?province=96'
	expect_json '[.items[].code] | index("CM-KH-112-2021") != null' true
	# Old Bạc Liêu (95) merged into Cà Mau with old Cà Mau: a successor's
	# plans, not a sibling's.
	as admin GET '/api/v1/plans?province=95'
	expect_json '[.items[].code] | index("CM-KH-112-2021")' null
	as admin GET '/api/v1/plans?province=00'
	expect_problem 422 unknown-province province
	as admin GET '/api/v1/plans?province=8%2A'
	expect_problem 400 invalid-parameter province
	as admin GET '/api/v1/plans?province=820'
	expect_problem 400 invalid-parameter province
}

@test "plans list: ordered by signing day, keyset pages, bad cursors 400" {
	local first second all
	as admin GET '/api/v1/plans?limit=500'
	all=$(jq -c '[.items[].id]' <<<"$body")
	expect_json '[.items[].signed_on] == ([.items[].signed_on] | sort)' true
	as admin GET '/api/v1/plans?limit=2'
	expect_json '.items | length' 2
	first=$(jq -c '[.items[].id]' <<<"$body")
	local cursor
	cursor=$(jq -r .next_cursor <<<"$body")
	[ "$cursor" != null ]
	as admin GET "/api/v1/plans?limit=2&cursor=$cursor"
	expect_status 200
	second=$(jq -c '[.items[].id]' <<<"$body")
	[ "$(jq -c --argjson a "$first" --argjson b "$second" '$a + $b' <<<null)" = \
	    "$(jq -c '.[0:4]' <<<"$all")" ] || fail_with "pages do not follow: $first $second / $all"
	as admin GET '/api/v1/plans?cursor=bm90LWpzb24'
	expect_problem 400 bad-cursor cursor
	as admin GET '/api/v1/plans?limit=0'
	expect_problem 400 invalid-parameter limit
	as admin GET "/api/v1/plans/$P112/targets?limit=4"
	expect_json '.items | length' 4
	cursor=$(jq -r .next_cursor <<<"$body")
	as admin GET "/api/v1/plans/$P112/targets?limit=4&cursor=$cursor"
	expect_json '.items | length' 2
	expect_json .next_cursor null
	as admin GET '/api/v1/base-salaries?limit=3'
	expect_json '[.items[].effective_from] | join(",")' 2009-05-01,2010-05-01,2011-05-01
	cursor=$(jq -r .next_cursor <<<"$body")
	as admin GET "/api/v1/base-salaries?limit=1&cursor=$cursor"
	expect_json '.items[0].effective_from' 2012-05-01
}

# ----------------------------------------------------------------- plans

@test "plan create: 201 with the province resolved on the signing day, audited; a taken code is 409" {
	as admin GET "/api/v1/plans/$PT"
	expect_status 200
	expect_json .scope province:87
	expect_json .province.name 'Đồng Tháp'
	expect_json .province.valid_to 2025-06-30
	as admin GET "/api/v1/audit?entity=plan&entity_id=$PT"
	expect_json '[.items[] | select(.action == "plan.create")] | length' 1
	expect_json '.items[] | select(.action == "plan.create") | .after.code' "T81-$TAG"
	expect_json '.items[] | select(.action == "plan.create") | .after.scope' province:87
	expect_json '.items[] | select(.action == "plan.create") | .actor_login' admin
	# The same code, in lower case, is taken.
	as admin POST /api/v1/plans "{\"code\":\"t81-${TAG,,}\",\"document\":\"Trùng mã\",\"name\":\"Trùng mã\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\",\"scope\":\"national\"}"
	expect_problem 409 plan-code-exists code
	expect_json .existing "/api/v1/plans/$PT"
}

@test "plan create: province codes are read on the plan's day (82 in 2015 is Tiền Giang; scope_on moves the day)" {
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-TG\",\"document\":\"Kế hoạch TG\",\"name\":\"Kế hoạch Tiền Giang thử\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2020-12-31\",\"scope\":\"province:82\"}"
	expect_status 201
	expect_json .province.name 'Tiền Giang'
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-DT\",\"document\":\"Kế hoạch DT\",\"name\":\"Kế hoạch Đồng Tháp mới thử\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2030-12-31\",\"scope\":\"province:82\",\"scope_on\":\"2025-07-01\"}"
	expect_status 201
	expect_json .province.name 'Đồng Tháp'
	expect_json .province.valid_from 2025-07-01
	local id
	id=$(jq -r .id <<<"$body")
	# A patch that does not name the scope keeps the province row.
	as admin PATCH "/api/v1/plans/$id" '{"note":"Ghi chú"}'
	expect_status 200
	expect_json .province.valid_from 2025-07-01
	expect_json .note 'Ghi chú'
	# One that does reads it again, on the signing day by default.
	as admin PATCH "/api/v1/plans/$id" '{"scope":"province:82"}'
	expect_json .province.name 'Tiền Giang'
	as admin GET "/api/v1/audit?entity=plan&entity_id=$id"
	expect_json '.items[0].action' plan.update
	expect_json '.items[0].before.province_id != .items[0].after.province_id' true
}

@test "plan create: each bad field is a 422 naming it, in Vietnamese or English, and nothing is written" {
	local before base
	before=$(count_all)
	base="\"document\":\"Kế hoạch\",\"name\":\"Kế hoạch thử\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\""
	as admin POST /api/v1/plans "{\"code\":\"T81 $TAG\",$base,\"scope\":\"national\"}"
	expect_problem 422 invalid-plan-code code
	as admin POST /api/v1/plans "{$base,\"scope\":\"national\"}"
	expect_problem 422 required code
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",\"document\":\"Kế hoạch\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\",\"scope\":\"national\"}"
	expect_problem 422 required name
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",\"document\":\"K\",\"name\":\"Kế hoạch\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\",\"scope\":\"national\"}"
	expect_problem 422 too-short document
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",\"document\":\"Kế hoạch\",\"name\":\"Kế hoạch\",\"signed_on\":\"2015-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2014-12-31\",\"scope\":\"national\"}"
	expect_problem 422 end-before-start period_to
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",\"document\":\"Kế hoạch\",\"name\":\"Kế hoạch\",\"signed_on\":\"2099-01-01\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\",\"scope\":\"national\"}"
	expect_problem 422 out-of-range signed_on
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",\"document\":\"Kế hoạch\",\"name\":\"Kế hoạch\",\"signed_on\":\"2015-02-30\",\"period_from\":\"2015-01-01\",\"period_to\":\"2015-12-31\",\"scope\":\"national\"}"
	expect_problem 422 invalid-date signed_on
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base}"
	expect_problem 422 required scope
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"regional\"}"
	expect_problem 422 invalid-scope scope
	# Old Đồng Tháp (87) did not exist any more in 2026.
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"province:87\",\"scope_on\":\"2026-01-01\"}"
	expect_problem 422 unknown-province scope
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"province:99\"}" -H 'Accept-Language: en'
	expect_problem 422 unknown-province scope
	expect_json .detail 'No province had the code 99 on 2015-01-01.'
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"national\",\"scope_on\":\"soon\"}"
	expect_problem 422 invalid-date scope_on
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"national\",\"budget\":1}"
	expect_problem 422 unknown-field budget
	as admin POST /api/v1/plans "{\"code\":\"T81-$TAG-B\",$base,\"scope\":\"national\",\"name_en\":7}"
	expect_problem 422 invalid-type name_en
	as admin PATCH "/api/v1/plans/$PT" '{}'
	expect_problem 422 empty-patch
	as admin PATCH "/api/v1/plans/$PT" '{"period_to":"2010-01-01"}'
	expect_problem 422 end-before-start period_to
	[ "$(count_all)" = "$before" ] || fail_with "a refused write wrote something"
	[ "$(owner_sql "SELECT period_to FROM plans.plans WHERE id = $PT")" = 2020-12-31 ]
}

# ----------------------------------------------------------------- targets

@test "target create: defaults to the plan's province, answers the full shape, audited" {
	new_target '{"indicator":"communes_covered","due_date":"2020-12-31","threshold":62.5,"source":"Mục II, khoản 2","phase":"2016–2020","note":"Thử"}'
	expect_json .plan_id "$PT"
	expect_json .plan_code "T81-$TAG"
	expect_json .indicator.code communes_covered
	expect_json .indicator.unit percent
	expect_json .indicator.kind share
	expect_json .scope province:87
	expect_json .province.valid_to 2025-06-30
	expect_json .threshold 62.5
	expect_json .baseline_date null
	expect_json .unconfirmed false
	expect_json '. | keys | join(",")' baseline_date,created_at,due_date,id,indicator,note,phase,plan_code,plan_id,province,scope,source,threshold,unconfirmed,updated_at
	as admin GET "/api/v1/audit?entity=target&entity_id=$tid"
	expect_json '.items[0].action' target.create
	expect_json '.items[0].after.plan_id' "$PT"
	expect_json '.items[0].after.threshold' 62.5
	# A national target in the same plan, and a growth target above 100%.
	new_target '{"indicator":"headcount_growth","scope":"national","due_date":"2020-12-31","baseline_date":"2015-01-01","threshold":150,"source":"Mục II"}'
	expect_json .scope national
	expect_json .province null
	expect_json .threshold 150
	as admin GET "/api/v1/plans/$PT"
	expect_json '.target_count >= 3' true
}

@test "target create: each bad field is a 422 naming it, and nothing is written" {
	local before
	before=$(count_all)
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"happiness","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 unknown-indicator indicator
	as admin POST "/api/v1/plans/$PT/targets" '{"due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 required indicator
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":100.5,"source":"Mục 1"}'
	expect_problem 422 out-of-range threshold
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"headcount_total","due_date":"2020-12-31","threshold":-1,"source":"Mục 1"}'
	expect_problem 422 out-of-range threshold
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":"50","source":"Mục 1"}'
	expect_problem 422 invalid-number threshold
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","source":"Mục 1"}'
	expect_problem 422 required threshold
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","threshold":10,"source":"Mục 1"}'
	expect_problem 422 required due_date
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"31/13/2020","threshold":10,"source":"Mục 1"}'
	expect_problem 422 invalid-date due_date
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10}'
	expect_problem 422 required source
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"headcount_growth","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 required baseline_date
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","baseline_date":"2015-01-01","threshold":10,"source":"Mục 1"}'
	expect_problem 422 not-for-indicator baseline_date
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"people_trained_since","due_date":"2020-12-31","baseline_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 baseline-not-before-due baseline_date
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","scope":"province:99","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 unknown-province scope
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","scope":"province:87","scope_on":"2025-07-01","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 unknown-province scope
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","scope":"87","due_date":"2020-12-31","threshold":10,"source":"Mục 1"}'
	expect_problem 422 invalid-scope scope
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10,"source":"Mục 1","unconfirmed":"yes"}'
	expect_problem 422 invalid-type unconfirmed
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10,"source":"Mục 1","plan_id":1}'
	expect_problem 422 unknown-field plan_id
	as admin POST "/api/v1/plans/$PT/targets" '{"indicator":"trained_share","due_date":"2020-12-31","threshold":10,"source":"Mục 1","phase":"'"$(printf 'x%.0s' $(seq 61))"'"}'
	expect_problem 422 too-long phase
	[ "$(count_all)" = "$before" ] || fail_with "a refused write wrote something"
}

@test "target update: confirming a figure is audited with only what changed; bad patches change nothing" {
	as admin PATCH "/api/v1/targets/$TT" '{"unconfirmed":false,"note":"Đã đối chiếu văn bản"}'
	expect_status 200
	expect_json .unconfirmed false
	expect_json .note 'Đã đối chiếu văn bản'
	expect_json .threshold 40
	expect_json .scope province:87
	as admin GET "/api/v1/audit?entity=target&entity_id=$TT"
	expect_json '.items[0].action' target.update
	expect_json '.items[0].before | keys | join(",")' note,unconfirmed
	expect_json '.items[0].before.unconfirmed' true
	expect_json '.items[0].after.unconfirmed' false
	local audits before
	audits=$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'target' AND entity_id = '$TT'")
	before=$(owner_sql "SELECT row_to_json(t)::text FROM plans.targets t WHERE id = $TT")
	as admin PATCH "/api/v1/targets/$TT" '{"indicator":"people_trained_since"}'
	expect_problem 422 required baseline_date
	as admin PATCH "/api/v1/targets/$TT" '{"threshold":101}'
	expect_problem 422 out-of-range threshold
	as admin PATCH "/api/v1/targets/$TT" '{"scope":"province:87","scope_on":"2026-01-01"}'
	expect_problem 422 unknown-province scope
	as admin PATCH "/api/v1/targets/$TT" '{"id":5}'
	expect_problem 422 unknown-field id
	as admin PATCH "/api/v1/targets/$TT" '{}'
	expect_problem 422 empty-patch
	[ "$(owner_sql "SELECT row_to_json(t)::text FROM plans.targets t WHERE id = $TT")" = "$before" ] ||
	    fail_with "a refused patch changed the target"
	# A patch that changes nothing writes no audit row.
	as admin PATCH "/api/v1/targets/$TT" '{"threshold":40}'
	expect_status 200
	[ "$(owner_sql "SELECT count(*) FROM audit.log WHERE entity = 'target' AND entity_id = '$TT'")" = "$audits" ]
	# Moving to a growth indicator takes a baseline, and takes it alone.
	as admin PATCH "/api/v1/targets/$TT" '{"indicator":"headcount_growth","baseline_date":"2015-03-02","threshold":120}'
	expect_status 200
	expect_json .indicator.kind growth
	expect_json .baseline_date 2015-03-02
	as admin PATCH "/api/v1/targets/$TT" '{"indicator":"trained_share","threshold":40}'
	expect_problem 422 not-for-indicator baseline_date
	as admin PATCH "/api/v1/targets/$TT" '{"indicator":"trained_share","threshold":40,"baseline_date":null}'
	expect_status 200
	expect_json .baseline_date null
}

@test "target delete: answers the target as it was, audited with its fields; gone afterwards" {
	new_target '{"indicator":"facilities_with_professional","due_date":"2019-12-31","threshold":45,"source":"Mục III"}'
	as admin DELETE "/api/v1/targets/$tid"
	expect_status 200
	expect_json .id "$tid"
	expect_json .threshold 45
	as admin GET "/api/v1/targets/$tid"
	expect_problem 404 not-found
	as admin DELETE "/api/v1/targets/$tid"
	expect_problem 404 not-found
	as admin GET "/api/v1/audit?entity=target&entity_id=$tid"
	expect_json '.items[0].action' target.delete
	expect_json '.items[0].before.indicator' facilities_with_professional
	expect_json '.items[0].before.plan_id' "$PT"
	expect_json '.items[0].after' null
	[ "$(owner_sql "SELECT count(*) FROM plans.targets WHERE id = $tid")" = 0 ]
}

# ----------------------------------------------------------------- base salaries

@test "base salary: an admin adds one (201, audited), corrects it (audited); a taken date is 409" {
	as admin POST /api/v1/base-salaries "{\"effective_from\":\"$BS_DAY\",\"amount_vnd\":9000000,\"source\":\"Nghị định thử\",\"unconfirmed\":true}"
	expect_status 201
	expect_json .effective_from "$BS_DAY"
	expect_json .amount_vnd 9000000
	expect_json .unconfirmed true
	expect_json .effective_to null
	as admin GET /api/v1/base-salaries/2024-07-01
	expect_json .effective_to "$(date -d "$BS_DAY - 1 day" +%F)"
	as admin GET "/api/v1/audit?entity=base_salary&entity_id=$BS_DAY"
	expect_json '.items[0].action' base_salary.create
	expect_json '.items[0].after.amount_vnd' 9000000
	as admin POST /api/v1/base-salaries "{\"effective_from\":\"$BS_DAY\",\"amount_vnd\":1,\"source\":\"Trùng ngày\"}"
	expect_problem 409 base-salary-exists effective_from
	expect_json .existing "/api/v1/base-salaries/$BS_DAY"
	as admin PATCH "/api/v1/base-salaries/$BS_DAY" '{"amount_vnd":9100000,"unconfirmed":false}'
	expect_status 200
	expect_json .amount_vnd 9100000
	expect_json .unconfirmed false
	expect_json .source 'Nghị định thử'
	as admin GET "/api/v1/audit?entity=base_salary&entity_id=$BS_DAY"
	expect_json '.items[0].action' base_salary.update
	expect_json '.items[0].before | keys | join(",")' amount_vnd,unconfirmed
	expect_json '.items[0].before.amount_vnd' 9000000
	expect_json '.items[0].after.amount_vnd' 9100000
}

@test "base salary: each bad field is a 422 naming it, and nothing is written" {
	local before
	before=$(count_all)
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","amount_vnd":0,"source":"Thử"}'
	expect_problem 422 out-of-range amount_vnd
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","amount_vnd":1500000.5,"source":"Thử"}'
	expect_problem 422 out-of-range amount_vnd
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","amount_vnd":"2.340.000","source":"Thử"}'
	expect_problem 422 invalid-number amount_vnd
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","source":"Thử"}'
	expect_problem 422 required amount_vnd
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","amount_vnd":2000000}'
	expect_problem 422 required source
	as admin POST /api/v1/base-salaries '{"effective_from":"1999-12-31","amount_vnd":2000000,"source":"Thử"}'
	expect_problem 422 out-of-range effective_from
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-13-01","amount_vnd":2000000,"source":"Thử"}'
	expect_problem 422 invalid-date effective_from
	as admin POST /api/v1/base-salaries '{"amount_vnd":2000000,"source":"Thử"}'
	expect_problem 422 required effective_from
	as admin POST /api/v1/base-salaries '{"effective_from":"2097-01-01","amount_vnd":2000000,"source":"Thử","unconfirmed":1}'
	expect_problem 422 invalid-type unconfirmed
	as admin PATCH /api/v1/base-salaries/2024-07-01 '{"effective_from":"2024-08-01"}'
	expect_problem 422 unknown-field effective_from
	as admin PATCH /api/v1/base-salaries/2024-07-01 '{"amount_vnd":-5}'
	expect_problem 422 out-of-range amount_vnd
	as admin PATCH /api/v1/base-salaries/2024-07-01 '{"source":"x"}'
	expect_problem 422 too-short source
	as admin PATCH /api/v1/base-salaries/2024-07-01 '{}'
	expect_problem 422 empty-patch
	[ "$(count_all)" = "$before" ] || fail_with "a refused write wrote something"
	[ "$(owner_sql "SELECT amount_vnd || ' ' || source FROM plans.base_salaries WHERE effective_from = '2024-07-01'")" = '2340000 NĐ 73/2024/NĐ-CP' ]
}

@test "plans: bodies are checked before the database (malformed JSON 400, not an object 400, wrong type 415)" {
	as admin POST /api/v1/plans '{"code":'
	expect_problem 400 malformed-json
	as admin POST /api/v1/base-salaries '[1]'
	expect_problem 400 json-object-required
	as admin POST "/api/v1/plans/$PT/targets" "" -H 'Content-Type: text/plain' --data-binary '{"indicator":"x"}'
	expect_problem 415 unsupported-media-type
}
