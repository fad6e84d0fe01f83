#!/usr/bin/env bats
# Today's summary (sql/api/85_today.sql) behind the running server: writes
# made at the same time through the API leave it equal to a rebuild, the
# reads it serves equal the same reads computed from the spells, and the
# server's keeper rebuilds it when it is void. API writes take turns at
# commit (the audit chain's lock), so the summary's own locks are shown
# with two writers in SQL, released at the same instant: without them the
# second fails on a duplicate summary row (tried).
#
# Uses Quảng Ninh communes at offsets 30-35 that hold no work unit.

load helpers

setup_file() {
	login admin
	export CID_BASE=$(( RANDOM % 90 * 1000 ))
	export K1 ADMIN_ID
	K1=$(owner_sql "SELECT c.code FROM (SELECT c.id, c.code,
		row_number() OVER (ORDER BY c.code) - 1 AS n
	      FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	     WHERE p.code = '22' AND p.valid_to IS NULL
	       AND c.valid_to IS NULL) c
	    WHERE c.n BETWEEN 30 AND 35
	      AND NOT EXISTS (SELECT FROM hr.work_units w WHERE w.commune_id = c.id)
	    ORDER BY c.code LIMIT 1")
	[ -n "$K1" ] || { echo "no empty commune at offsets 30-35" >&2; return 1; }
	ADMIN_ID=$(owner_sql "SELECT id FROM auth.users WHERE login = 'admin'")
}

# expect_eq WHAT EXPECTED GOT
expect_eq() {
	[ "$2" = "$3" ] || fail_with "$1: expected '$2', got '$3'"
}

# summary_ready: builds the summary if void, or waits while the server's
# keeper (or a writer at commit) holds it, up to 90 s.
summary_ready() {
	local i
	for i in $(seq 1 90); do
		owner_sql "SELECT api.today_keep()" >/dev/null
		[ "$(owner_sql "SELECT day = current_date FROM plans.today_state")" = t ] &&
		    return 0
		sleep 1
	done
	fail_with "today's summary not built after 90 s"
}

# How many rows the kept summary and a rebuild of it do not share.
drift() {
	owner_sql "SELECT lib.today_drift()"
}

# same SQL: "same" when the json SQL returns is equal read from the
# summary and computed from the spells (registry.today = off).
same() {
	local out
	out=$(psql -X -q -At -v ON_ERROR_STOP=1 "$TEST_OWNER_DSN" \
	    -c "SELECT lib.today_usable(current_date, false)" \
	    -c "SELECT md5(($1)::text)" -c "SET registry.today = off" \
	    -c "SELECT md5(($1)::text)")
	{ read -r usable; read -r a; read -r b; } <<<"$out"
	[ "$usable" = t ] || { echo "summary not usable"; return; }
	[ "$a" = "$b" ] && echo same || echo "differ"
}

# parallel N METHOD PATH-TEMPLATE BODY-TEMPLATE: N requests as admin at
# once, "%i" in the templates replaced by 1..N; prints their statuses.
parallel() {
	local n=$1 method=$2 path=$3 data=$4 i
	for i in $(seq 1 "$n"); do
		curl -sS -o /dev/null -w '%{http_code}\n' --max-time 30 \
		    -X "$method" -b "$(jar admin)" -H "Origin: $BASE_URL" \
		    -H 'Content-Type: application/json' \
		    --data-binary "${data//%i/${ids[$i]}}" \
		    "$BASE_URL${path//%i/${ids[$i]}}" >"$BATS_TEST_TMPDIR/st.$i" &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/st.* | sort | uniq -c | awk '{print $2 "x" $1}'
	rm -f "$BATS_TEST_TMPDIR"/st.*
}

@test "eight writers at once in one commune: the summary stays equal to a rebuild" {
	summary_ready
	as admin POST /api/v1/work-units "{\"name\":\"Phòng CTXH song song $K1\",\"kind\":\"commune_office\",\"commune_code\":\"$K1\",\"opened_on\":\"2010-01-01\"}"
	expect_status 201
	local unit i
	unit=$(jq -r .id <<<"$body")
	local names=(- An Bình Chi Dung Giang Hà Lan Mai)
	ids=()
	for i in $(seq 1 8); do
		as admin POST /api/v1/people "{\"full_name\":\"Đồng Thị ${names[$i]}\",\"citizen_id\":\"$(free_cid 0 1987 female 025)\",\"sex\":\"female\",\"birth_date\":\"1987-02-02\",\"province_code\":\"22\"}"
		expect_status 201
		ids[$i]=$(jq -r .id <<<"$body")
	done

	# Eight spells in one commune, committed side by side.
	got=$(parallel 8 POST /api/v1/assignments \
	    "{\"person_id\":%i,\"work_unit_id\":$unit,\"category\":\"collaborator\",\"fte\":0.5,\"allowance_vnd\":2340000,\"start_date\":\"2024-01-01\"}")
	[ "$got" = 201x8 ] || fail_with "spells: $got"
	as admin GET "/api/v1/communes/$K1/flags"
	expect_json .numbers.collaborators 8
	expect_json .numbers.qualifying 8
	expect_eq "drift after parallel inserts" 0 "$(drift)"

	# Eight trainings, and eight ends, side by side.
	got=$(parallel 8 POST /api/v1/people/%i/certificates \
	    '{"kind":"course","name":"Nhập môn công tác xã hội","issuer_name":"Trung tâm thử","issued_on":"2025-01-01","hours":40,"counts_as_sw_training":true}')
	[ "$got" = 201x8 ] || fail_with "certificates: $got"
	as admin GET "/api/v1/communes/$K1/flags"
	expect_json .numbers.trained 8
	expect_eq "drift after parallel trainings" 0 "$(drift)"
	for i in $(seq 1 8); do
		ids[$i]=$(owner_sql "SELECT id FROM hr.assignments
		    WHERE person_id = ${ids[$i]} AND work_unit_id = $unit")
	done
	got=$(parallel 8 PATCH /api/v1/assignments/%i \
	    '{"end_date":"'"$(owner_sql "SELECT current_date - 1")"'","end_reason":"resigned"}')
	[ "$got" = 200x8 ] || fail_with "ends: $got"
	as admin GET "/api/v1/communes/$K1/flags"
	expect_json .numbers.staff 0
	expect_json .numbers.separations_12m 8
	expect_json '.flags | index("TRAINED_LOST") != null' true
	expect_eq "drift after parallel ends" 0 "$(drift)"

	expect_eq "Quảng Ninh's gaps" same "$(same "api.province_gaps($ADMIN_ID, '22', NULL, NULL, NULL, NULL)")"
	expect_eq "the nation's indicators" same "$(same "api.indicators($ADMIN_ID, 'national', NULL, NULL, NULL, NULL)")"
	expect_eq "Quảng Ninh's indicators" same "$(same "api.indicators($ADMIN_ID, 'province:22', NULL, NULL, NULL, NULL)")"
}

@test "two SQL commits held back and released at the same instant recompute their commune one after the other" {
	summary_ready
	local k2 unit i
	k2=$(owner_sql "SELECT c.code FROM geo.units c
	    JOIN geo.units p ON p.id = c.parent_id
	    WHERE p.code = '22' AND p.valid_to IS NULL AND c.valid_to IS NULL
	      AND c.code > '$K1'
	      AND NOT EXISTS (SELECT FROM hr.work_units w WHERE w.commune_id = c.id)
	    ORDER BY c.code LIMIT 1")
	as admin POST /api/v1/work-units "{\"name\":\"Phòng CTXH cùng lúc $k2\",\"kind\":\"commune_office\",\"commune_code\":\"$k2\",\"opened_on\":\"2010-01-01\"}"
	expect_status 201
	unit=$(jq -r .id <<<"$body")
	local names=(- Xuân Hạ)
	ids=()
	for i in 1 2; do
		as admin POST /api/v1/people "{\"full_name\":\"Cùng Thị ${names[$i]}\",\"citizen_id\":\"$(free_cid 0 1989 female 025)\",\"sex\":\"female\",\"birth_date\":\"1989-03-03\",\"province_code\":\"22\"}"
		expect_status 201
		ids[$i]=$(jq -r .id <<<"$body")
	done
	# Writes through the API take turns at commit anyway (the audit
	# chain's lock); two made in SQL do not. Hold today_state as a rebuild
	# does: both writers wait for it at commit, then go on together.
	psql -X -q "$TEST_OWNER_DSN" -c "BEGIN" \
	    -c "SELECT FROM plans.today_state FOR UPDATE" \
	    -c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null &
	sleep 1
	for i in 1 2; do
		owner_sql "INSERT INTO hr.assignments (person_id, work_unit_id,
		    category, fte, start_date)
		    VALUES (${ids[$i]}, $unit, 'commune_post', 1, '2024-01-01')" \
		    >"$BATS_TEST_TMPDIR/w.$i" 2>&1 &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/w.* >&2
	[ ! -s "$BATS_TEST_TMPDIR/w.1" ] && [ ! -s "$BATS_TEST_TMPDIR/w.2" ] ||
	    fail_with "a writer failed"
	as admin GET "/api/v1/communes/$k2/flags"
	expect_json .numbers.officials 2
	expect_eq "drift" 0 "$(drift)"
}

@test "the server's keeper rebuilds a void summary within its minute" {
	owner_sql "UPDATE plans.today_state SET day = NULL"
	local i
	for i in $(seq 1 90); do
		[ "$(owner_sql "SELECT day = current_date FROM plans.today_state")" = t ] &&
		    break
		sleep 1
	done
	[ "$(owner_sql "SELECT day = current_date FROM plans.today_state")" = t ] ||
	    fail_with "still void after 90 s"
	[ "$(drift)" = 0 ] || fail_with "the rebuilt summary drifts"
}
