#!/usr/bin/env bats
# The synthetic data set of tests/bench/gen at 1% of national scale, loaded
# into a database of its own (a sibling of the test database, migrated with
# the reference data only, dropped at the end): it must load without a
# constraint error and look like what the benchmark claims to measure.
# Needs no server; run through tests/run api (or with sql/env.sh's
# variables set).

setup_file() {
	ZX_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	export ZX_ROOT
	if [ -z "${SUPER_DSN:-}" ]; then
		# shellcheck source=/dev/null
		REGISTRY_ROOT=$ZX_ROOT . "$ZX_ROOT/sql/env.sh"
	fi
	ZX_DB=registry_zx_$$
	if [ "${REGISTRY_EMBEDDED:-1}" = 1 ]; then
		ZX_OWNER="host=$PGSOCKET dbname=$ZX_DB user=registry_owner"
		ZX_SUPER="host=$PGSOCKET dbname=$ZX_DB user=postgres"
	else
		ZX_OWNER=$(sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$ZX_DB#" <<<"$DATABASE_URL")
		ZX_SUPER=$ZX_OWNER
	fi
	ZX_DIR=$BATS_FILE_TMPDIR/gen
	export ZX_DB ZX_OWNER ZX_SUPER ZX_DIR SUPER_DSN
	psql -X -q -v ON_ERROR_STOP=1 "$SUPER_DSN" \
	    -c "CREATE DATABASE $ZX_DB OWNER registry_owner" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 "$ZX_SUPER" \
	    -f "$ZX_ROOT/sql/extensions.sql" >/dev/null
	"$ZX_ROOT/sql/migrate" "$ZX_OWNER" >/dev/null
	"$ZX_ROOT/sql/load" reference "$ZX_OWNER"
}

teardown_file() {
	psql -X -q "$SUPER_DSN" -c "DROP DATABASE IF EXISTS $ZX_DB WITH (FORCE)" \
	    >/dev/null 2>&1 || true
}

zx_sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$ZX_OWNER" -c "$1"
}

# The load of the first test, which the others look at.
loaded() {
	[ -f "$BATS_FILE_TMPDIR/loaded" ] ||
	    { echo "the data set was not loaded (first test failed)" >&2; return 1; }
}

@test "gen: a 1% data set loads into a fresh registry without a constraint error" {
	run "$ZX_ROOT/tests/bench/gen" --scale 0.01 --out "$ZX_DIR/a" \
	    --load "$ZX_OWNER"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"load: "* ]]
	touch "$BATS_FILE_TMPDIR/loaded"
}

@test "gen: counts are the scale's share of 12,000 units, 150,000 people, 400,000 spells" {
	loaded
	[ "$(zx_sql "SELECT count(*) FROM hr.work_units")" = 120 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.people")" = 1500 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.assignments")" = 4000 ]
	# Every unit has where it sat; the files hold what was loaded.
	[ "$(zx_sql "SELECT count(*) FROM hr.work_units w WHERE NOT EXISTS
	    (SELECT 1 FROM hr.work_unit_places p WHERE p.work_unit_id = w.id)")" = 0 ]
	[ "$(($(wc -l <"$ZX_DIR/a/assignments.csv") - 1))" = 4000 ]
	# Twice the scale, twice the rows (the communes stay all).
	run "$ZX_ROOT/tests/bench/gen" --scale 0.02 --dsn "$ZX_OWNER" \
	    --out "$ZX_DIR/double"
	[ "$status" -eq 0 ]
	[ "$(($(wc -l <"$ZX_DIR/double/work_units.csv") - 1))" = 240 ]
	[ "$(($(wc -l <"$ZX_DIR/double/people.csv") - 1))" = 3000 ]
	[ "$(($(wc -l <"$ZX_DIR/double/assignments.csv") - 1))" = 8000 ]
	[[ $output == *"communes 3321,"* ]]
}

@test "gen: every kind of work unit, with the ownership and sector its kind implies" {
	loaded
	[ "$(zx_sql "SELECT count(DISTINCT kind) FROM hr.work_units")" = 12 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.work_units
	    WHERE sector <> lib.kind_sector(kind)")" = 0 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.work_units WHERE kind IN
	    ('commune_committee', 'commune_office') AND ownership <> 'public'")" = 0 ]
	# Units sit in today's communes, and their province is the commune's.
	[ "$(zx_sql "SELECT count(*) FROM hr.work_units w JOIN geo.units c
	    ON c.id = w.commune_id WHERE c.level <> 'commune'
	    OR c.valid_to IS NOT NULL OR c.parent_id <> w.province_id")" = 0 ]
}

@test "gen: every citizen ID has a pre-2025 province prefix and agrees with birth year and sex" {
	loaded
	local prefixes="01|02|04|06|08|10|11|12|14|15|17|19|20|22|24|25|26|27|30|31|33|34|35|36|37|38|40|42|44|45|46|48|49|51|52|54|56|58|60|62|64|66|67|68|70|72|74|75|77|79|80|82|83|84|86|87|89|91|92|93|94|95|96"
	[ "$(zx_sql "SELECT count(*) FROM hr.people
	    WHERE citizen_id !~ '^0($prefixes)[0-9]{9}\$'")" = 0 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.people WHERE
	    substr(citizen_id, 4, 1)::int <> (extract(year FROM birth_date)::int / 100 - 19) * 2
		+ CASE sex WHEN 'male' THEN 0 ELSE 1 END
	    OR substr(citizen_id, 5, 2)::int <> extract(year FROM birth_date)::int % 100
	    OR extract(year FROM birth_date) NOT BETWEEN 1960 AND 2002")" = 0 ]
	[ "$(zx_sql "SELECT count(DISTINCT citizen_id) FROM hr.people")" = 1500 ]
	# Names are NFC; phones 10 digits from the mobile ranges.
	[ "$(zx_sql "SELECT count(*) FROM hr.people WHERE full_name <> normalize(full_name, NFC)
	    OR phone !~ '^0[35789][0-9]{8}\$'")" = 0 ]
	# Nguyễn is the most common family name.
	[ "$(zx_sql "SELECT split_part(full_name, ' ', 1) FROM hr.people
	    GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")" = "Nguyễn" ]
}

@test "gen: the same seed gives byte-identical files, another seed others" {
	loaded
	run "$ZX_ROOT/tests/bench/gen" --scale 0.01 --dsn "$ZX_OWNER" --out "$ZX_DIR/b"
	[ "$status" -eq 0 ]
	local f
	for f in work_units work_unit_places people assignments; do
		[ "$(sha256sum <"$ZX_DIR/a/$f.csv")" = "$(sha256sum <"$ZX_DIR/b/$f.csv")" ] ||
		    { echo "$f.csv differs" >&2; return 1; }
	done
	run "$ZX_ROOT/tests/bench/gen" --scale 0.01 --seed 2 --dsn "$ZX_OWNER" \
	    --out "$ZX_DIR/c"
	[ "$status" -eq 0 ]
	[ "$(sha256sum <"$ZX_DIR/a/people.csv")" != "$(sha256sum <"$ZX_DIR/c/people.csv")" ]
}

@test "gen: some communes with work units have no active staff today, most do" {
	loaded
	local with uncovered
	with=$(zx_sql "SELECT count(DISTINCT commune_id) FROM hr.work_units")
	uncovered=$(zx_sql "SELECT count(*) FROM (SELECT DISTINCT commune_id
	    FROM hr.work_units) c WHERE NOT EXISTS (SELECT 1 FROM hr.assignments a
	    JOIN hr.work_units w ON w.id = a.work_unit_id
	    WHERE w.commune_id = c.commune_id AND a.span @> current_date)")
	echo "communes with units: $with, uncovered today: $uncovered" >&2
	[ "$uncovered" -ge 1 ]
	[ "$((uncovered * 5))" -lt "$with" ]
}

@test "gen: spells never overlap for a person, unit and category; ended ones say why" {
	loaded
	[ "$(zx_sql "SELECT count(*) FROM hr.assignments a JOIN hr.assignments b
	    ON b.person_id = a.person_id AND b.work_unit_id = a.work_unit_id
	    AND b.category = a.category AND b.id > a.id AND b.span && a.span")" = 0 ]
	[ "$(zx_sql "SELECT count(*) FROM hr.assignments
	    WHERE (end_date IS NULL) <> (end_reason IS NULL)
	    OR start_date < '2010-01-01' OR end_date >= '2026-07-01'
	    OR (allowance_vnd IS NOT NULL AND category <> 'collaborator')
	    OR (title_code IS NOT NULL AND category NOT IN ('professional', 'commune_post'))
	    OR (category = 'professional' AND fte <> 1)
	    OR (category = 'concurrent' AND fte NOT BETWEEN 0.2 AND 0.5)")" = 0 ]
	# A few people over 1.0 FTE on some day, as the data-quality report
	# counts it (volunteers aside).
	[ "$(zx_sql "SELECT count(DISTINCT person_id) FROM (SELECT a.person_id
	    FROM hr.assignments a JOIN hr.assignments b
	    ON b.person_id = a.person_id AND b.span @> a.start_date
	    AND b.category <> 'volunteer' WHERE a.category <> 'volunteer'
	    GROUP BY a.person_id, a.start_date HAVING sum(b.fte) > 1) x")" -ge 1 ]
	# Spells start no earlier than their unit opened.
	[ "$(zx_sql "SELECT count(*) FROM hr.assignments a JOIN hr.work_units w
	    ON w.id = a.work_unit_id WHERE a.start_date < w.opened_on
	    OR (w.closed_on IS NOT NULL AND coalesce(a.end_date, 'infinity') > w.closed_on)")" = 0 ]
}
