-- Today's summary (sql/api/85_today.sql): after every kind of write the
-- kept rows equal a rebuild, and every read it serves (a province's gap
-- report, one commune's flags, national and provincial indicators, with
-- the default baseline or another) equals the same read computed from the
-- spells (registry.today = off). Days are relative to current_date, the
-- day the summary describes. Provinces A and B are the first two of
-- scenario.psql's provinces with no work unit: their numbers are ours.
--
-- The deferred trigger that recomputes at commit is made to fire at the
-- end of each statement (SET CONSTRAINTS ... IMMEDIATE), since this
-- transaction never commits; section 5 leaves it deferred to show that a
-- transaction with writes still pending reads from the spells.
BEGIN;
SELECT plan(63);

\ir helpers.psql

\ir scenario.psql

INSERT INTO c (tag, id, code)
SELECT CASE p.pos WHEN 1 THEN 'x' ELSE 'y' END || x.n, x.id, x.code
  FROM (SELECT g.id, g.code, g.parent_id,
	    row_number() OVER (PARTITION BY g.parent_id ORDER BY g.code) AS n
	  FROM geo.units g
	 WHERE g.level = 'commune' AND g.valid_to IS NULL
	   AND g.parent_id IN (SELECT id FROM prov)
	   AND NOT EXISTS (SELECT FROM geo.lineage l
		JOIN hr.work_units w ON w.commune_id = l.old_id
		WHERE l.new_id = g.id)) x
  JOIN prov p ON p.id = x.parent_id
 WHERE x.n <= 2 AND p.pos <= 2;

CREATE FUNCTION pg_temp.pcode(p_pos integer) RETURNS text
LANGUAGE sql AS $$ SELECT code FROM prov WHERE pos = p_pos $$;

-- Whether a read (a statement returning json) answers the same from the
-- summary and from the spells, and was in a position to use the summary.
CREATE FUNCTION pg_temp.same(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	kept	jsonb;
	spells	jsonb;
BEGIN
	IF NOT lib.today_usable(current_date, false) THEN
		RETURN 'summary not usable';
	END IF;
	EXECUTE p_sql INTO kept;
	PERFORM set_config('registry.today', 'off', true);
	EXECUTE p_sql INTO spells;
	PERFORM set_config('registry.today', '', true);
	RETURN CASE WHEN kept = spells THEN 'same'
	    ELSE 'differ: ' || left(kept::text, 300) || ' / ' ||
		left(spells::text, 300) END;
END
$$;

-- Every read the summary serves, compared.
CREATE FUNCTION pg_temp.reads() RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT pg_temp.same(format(
	    'SELECT api.province_gaps(%s, %L, NULL, NULL, NULL, NULL)',
	    pg_temp.uid('admin'), pg_temp.pcode(1)))
	UNION ALL
	SELECT pg_temp.same(format(
	    'SELECT api.province_gaps(%s, %L, NULL, NULL, NULL, NULL)',
	    pg_temp.uid('admin'), pg_temp.pcode(2)))
	UNION ALL
	SELECT pg_temp.same(format(
	    'SELECT api.commune_flags(%s, %L, NULL, NULL)',
	    pg_temp.uid('admin'), (SELECT code FROM c WHERE tag = 'x1')))
	UNION ALL
	SELECT pg_temp.same(format(
	    'SELECT api.indicators(%s, %L, NULL, NULL, NULL, NULL)',
	    pg_temp.uid('admin'), 'national'))
	UNION ALL
	SELECT pg_temp.same(format(
	    'SELECT api.indicators(%s, %L, NULL, NULL, %L, NULL)',
	    pg_temp.uid('admin'), 'province:' || pg_temp.pcode(1),
	    current_date - 200))
	UNION ALL
	SELECT pg_temp.same(format(
	    'SELECT api.indicators(%s, %L, NULL, NULL, NULL, %L)',
	    pg_temp.uid('admin'), 'province:' || pg_temp.pcode(2),
	    current_date - 3000))
$$;

-- A number of a province's indicator (from whichever way reads it).
CREATE FUNCTION pg_temp.ind(p_pos integer, p_code text) RETURNS numeric
LANGUAGE sql AS $$
	SELECT (i->>'numerator')::numeric
	  FROM jsonb_array_elements(api.indicators(pg_temp.uid('admin'),
		'province:' || pg_temp.pcode(p_pos), NULL, NULL, NULL,
		NULL)::jsonb->'items') i
	 WHERE i->>'code' = p_code
$$;

-- 1. As loaded: built for today, kept equal to a rebuild.
SELECT is((SELECT count(*) FROM c), 4::bigint,
    'two communes in each of two provinces with no work unit');
SELECT is((SELECT day FROM plans.today_state), current_date,
    'sql/load built the summary for today');
SELECT is(lib.today_drift(), 0::bigint, 'as loaded, the summary equals a rebuild');
SELECT is(api.today_keep()::text, NULL, 'the keeper leaves a summary of today alone');
SELECT is(pg_temp.ind(1, 'headcount_total'), 0::numeric,
    'province A has nobody');

-- 2. New units, people, spells and a certificate, each recomputed at the
-- end of its statement.
SET CONSTRAINTS plans.today_flush IMMEDIATE;
SELECT pg_temp.unit('ox1', 'x1');
SELECT pg_temp.unit('fx2', 'x2', 'sw_centre');
SELECT pg_temp.unit('oy1', 'y1');
SELECT pg_temp.person('pro', 'Nguyễn Văn An', 'male', '1985-03-02');
SELECT pg_temp.person('col', 'Trần Thị Bình', 'female', '1990-07-11');
SELECT pg_temp.person('conc', 'Lê Văn Cường', 'male', '1979-01-20');
SELECT pg_temp.person('left', 'Phạm Thị Dung', 'female', '1988-05-05');
SELECT pg_temp.person('moved', 'Hoàng Văn Em', 'male', '1992-09-09');
SELECT pg_temp.spell('pro', 'ox1', 'professional', current_date - 400);
SELECT pg_temp.spell('col', 'ox1', 'collaborator', current_date - 30, NULL,
    NULL, 1000000);
SELECT pg_temp.spell('conc', 'fx2', 'concurrent', current_date - 200);
SELECT pg_temp.spell('left', 'fx2', 'professional', current_date - 500,
    current_date - 10, 'resigned');
SELECT pg_temp.spell('moved', 'ox1', 'professional', current_date - 700,
    current_date - 60, 'transferred');
SELECT pg_temp.spell('moved', 'oy1', 'professional', current_date - 59);
SELECT pg_temp.certify('pro', current_date - 100);
SELECT pg_temp.certify('left', current_date - 300);

SELECT is((SELECT count(*) FROM plans.today_pending), 0::bigint,
    'nothing left pending after each statement');
SELECT is(lib.today_drift(), 0::bigint, 'after inserts, the summary equals a rebuild');
SELECT is(r, 'same', 'after inserts, a read from the summary equals one from the spells')
  FROM pg_temp.reads() r;
SELECT is(pg_temp.ind(1, 'headcount_total'), 3::numeric,
    'province A: a professional, a collaborator, a concurrent official');
SELECT is(pg_temp.ind(1, 'turnover_rate'), 2::numeric,
    'province A: two separations (a resignation, a transfer out of it)');
SELECT is(pg_temp.ind(2, 'headcount_total'), 1::numeric,
    'province B: the official who moved in');
SELECT ok(pg_temp.flags('x1', NULL) ? 'ALLOWANCE_BELOW_BASE',
    'commune x1: its collaborator is paid below the base salary');
SELECT is((pg_temp.gap('x1', NULL)->'numbers'->>'trained')::integer, 1,
    'commune x1: one trained person');

-- A write of more people than lib.today_lock_keys_max() locks the whole
-- summary once, not each of them (each lock holds a slot of the server's
-- lock table until commit: an import of 50,000 would run out).
SELECT count(pg_temp.person('bulk' || i, 'Bùi Văn Đông', 'male',
    '1990-01-01')) FROM generate_series(1, 210) i;
INSERT INTO hr.assignments (person_id, work_unit_id, category, fte,
    start_date)
SELECT p.id, (SELECT id FROM u WHERE tag = 'oy1'), 'volunteer', 0.1,
    current_date - 20
  FROM p WHERE p.tag LIKE 'bulk%';
SELECT cmp_ok((SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
	AND pid = pg_backend_pid()), '<', 100::bigint,
    'a write of 210 people holds one lock on the summary, not one each');
SELECT is(lib.today_drift(), 0::bigint, 'after it, the summary equals a rebuild');
SELECT is((api.indicators(pg_temp.uid('admin'), 'province:' ||
	pg_temp.pcode(2), NULL, NULL, NULL, NULL)::jsonb->'items') @>
	'[{"code": "headcount_volunteer", "numerator": 210}]', true,
    'province B: its 210 volunteers');

-- 3. Updates: a raise, a unit moving to province B, a spell ended.
UPDATE hr.assignments SET allowance_vnd = 2340000
 WHERE person_id = (SELECT id FROM p WHERE tag = 'col');
UPDATE hr.work_units SET commune_id = (SELECT id FROM c WHERE tag = 'y2'),
    province_id = (SELECT id FROM prov WHERE pos = 2)
 WHERE id = (SELECT id FROM u WHERE tag = 'fx2');
UPDATE hr.assignments SET end_date = current_date - 1, end_reason = 'retired'
 WHERE person_id = (SELECT id FROM p WHERE tag = 'pro');

SELECT is(lib.today_drift(), 0::bigint, 'after updates, the summary equals a rebuild');
SELECT is(r, 'same', 'after updates, a read from the summary equals one from the spells')
  FROM pg_temp.reads() r;
SELECT ok(NOT pg_temp.flags('x1', NULL) ? 'ALLOWANCE_BELOW_BASE',
    'commune x1: the raise clears ALLOWANCE_BELOW_BASE');
SELECT ok(pg_temp.flags('x1', NULL) ? 'TRAINED_LOST',
    'commune x1: its trained professional retired yesterday');
SELECT is(pg_temp.ind(2, 'headcount_total'), 2::numeric,
    'province B: the moved unit''s concurrent official counts there now');
SELECT ok(pg_temp.flags('x2', NULL) ? 'NO_STAFF',
    'commune x2: its only unit moved away');

-- 4. Deletes: a spell, a training record.
DELETE FROM hr.assignments
 WHERE person_id = (SELECT id FROM p WHERE tag = 'col');
DELETE FROM training.certificates
 WHERE person_id = (SELECT id FROM p WHERE tag = 'pro');

SELECT is(lib.today_drift(), 0::bigint, 'after deletes, the summary equals a rebuild');
SELECT is(r, 'same', 'after deletes, a read from the summary equals one from the spells')
  FROM pg_temp.reads() r;
SELECT ok(pg_temp.flags('x1', NULL) ? 'NO_STAFF',
    'commune x1: nobody left');

-- 5. Deferred, as in a transaction that has not committed yet: the write
-- is pending, reads compute from the spells and still see it.
SET CONSTRAINTS plans.today_flush DEFERRED;
SELECT pg_temp.spell('col', 'ox1', 'collaborator', current_date - 5, NULL,
    NULL, 2340000);
SELECT is((SELECT count(*) FROM plans.today_pending), 1::bigint,
    'a write leaves its transaction''s row pending');
SELECT ok(NOT lib.today_usable(current_date, false),
    'with writes pending, reads do not use the summary');
SELECT ok(NOT pg_temp.flags('x1', NULL) ? 'NO_STAFF',
    'and the read sees the pending write');
SET CONSTRAINTS plans.today_flush IMMEDIATE;
SELECT is((SELECT count(*) FROM plans.today_pending), 0::bigint,
    'firing the deferred trigger consumes the pending row');
SELECT is(lib.today_drift(), 0::bigint, 'after it, the summary equals a rebuild');
SELECT ok(NOT pg_temp.flags('x1', NULL) ? 'NO_STAFF',
    'and the summary has the collaborator');

-- 6. A base salary voids the summary; writes while it is void are not
-- recomputed; the keeper rebuilds it.
INSERT INTO plans.base_salaries (effective_from, amount_vnd, source)
VALUES (current_date - 3, 2500000, 'thử');
SELECT is((SELECT day FROM plans.today_state), NULL,
    'a new base salary voids the summary');
SELECT ok(NOT lib.today_usable(current_date, false),
    'a void summary is not read');
SELECT ok(pg_temp.flags('x1', NULL) ? 'ALLOWANCE_BELOW_BASE',
    'the read from the spells applies the new base salary at once');
SELECT pg_temp.spell('conc', 'oy1', 'concurrent', current_date - 2);
SELECT ok(api.today_keep() IS NOT NULL, 'the keeper rebuilds a void summary');
SELECT is((SELECT day FROM plans.today_state), current_date,
    'for today');
SELECT is(lib.today_drift(), 0::bigint, 'rebuilt, it equals a rebuild');
SELECT is(r, 'same', 'rebuilt, a read from the summary equals one from the spells')
  FROM pg_temp.reads() r;

-- 7. So does the geography.
UPDATE geo.units SET name = name WHERE id = (SELECT id FROM c WHERE tag = 'x1');
SELECT is((SELECT day FROM plans.today_state), NULL,
    'a change to the geography voids the summary');
SELECT ok(api.today_keep() IS NOT NULL, 'and the keeper rebuilds it');

-- 8. A TRUNCATE names no rows: it voids the summary too.
TRUNCATE training.sw_trained;
SELECT is((SELECT day FROM plans.today_state), NULL,
    'emptying the training summary voids today''s');
SELECT ok(api.today_keep() IS NOT NULL, 'and the keeper rebuilds it');
SELECT is(lib.today_drift(), 0::bigint, 'rebuilt, it equals a rebuild');

SELECT * FROM finish();
ROLLBACK;
