-- Quarterly snapshots: what a snapshot freezes and as of which day, who
-- may take and read one, one per province and quarter, the quarter's
-- checks, the audit row, the diff against today, and that a stored
-- snapshot never changes, not even for the schema owner.
BEGIN;
SELECT plan(38);

\ir helpers.psql

-- Start from no snapshot, whatever the demo data holds: the frozen
-- trigger steps aside for this one statement, inside the transaction
-- that is rolled back at the end.
ALTER TABLE plans.snapshots DISABLE TRIGGER snapshots_frozen;
DELETE FROM plans.snapshots;
ALTER TABLE plans.snapshots ENABLE TRIGGER snapshots_frozen;

-- Quarters relative to today: one long past, the one running, the next.
CREATE TEMP TABLE q AS
SELECT '2025-Q3'::text AS past,
    to_char(current_date, 'YYYY-"Q"Q') AS running,
    to_char(current_date + interval '3 months', 'YYYY-"Q"Q') AS next;

-- A Quảng Ninh commune with no work unit, for the diff.
CREATE TEMP TABLE c AS
SELECT g.id, g.code FROM geo.units g
  JOIN geo.units p ON p.id = g.parent_id AND p.code = '22'
   AND p.valid_to IS NULL
 WHERE g.level = 'commune' AND g.valid_to IS NULL
   AND NOT EXISTS (SELECT FROM hr.work_units w WHERE w.commune_id = g.id)
 ORDER BY g.code LIMIT 1;

-- "SQLSTATE hint" of a snapshot_create by p_login with p_body.
CREATE FUNCTION pg_temp.take(p_login text, p_body jsonb) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.err(format('SELECT api.snapshot_create(%s, %L, %L)',
	    pg_temp.uid(p_login), 'test', p_body))
$$;

CREATE TEMP TABLE s AS
SELECT api.snapshot_create(pg_temp.uid('bcd.quangninh'), 'session:1',
    jsonb_build_object('province', '22', 'period', q.past,
	'note', 'Họp ban chỉ đạo quý 3'))::jsonb AS j
  FROM q;

CREATE FUNCTION pg_temp.sid() RETURNS integer
LANGUAGE sql AS $$ SELECT (j ->> 'id')::integer FROM s $$;

-- What is frozen.
SELECT is((SELECT j ->> 'as_of' FROM s), '2025-09-30',
    'a past quarter is frozen as of its last day');
SELECT is((SELECT j ->> 'created_by' FROM s), 'bcd.quangninh',
    'the steering member who took it is named');
SELECT is((SELECT j #>> '{province,code}' FROM s), '22', 'of Quảng Ninh');
SELECT is((SELECT j #>> '{indicators,scope}' FROM s), 'province:22',
    'the indicators are the province''s');
SELECT is((SELECT j #>> '{indicators,as_of}' FROM s), '2025-09-30',
    'computed on the quarter''s last day');
SELECT is((SELECT j #>> '{indicators,units}' FROM s), 'current',
    'on today''s units');
SELECT is((SELECT jsonb_array_length(j #> '{gaps,items}') FROM s),
    (SELECT (j #>> '{gaps,communes}')::integer FROM s),
    'the gaps list every commune');
SELECT is((SELECT j #>> '{gaps,as_of}' FROM s), '2025-09-30',
    'the gaps are of the same day');
SELECT is((SELECT array_agg(k ORDER BY k) FROM s,
    jsonb_object_keys(j #> '{summary,flags}') k),
    (SELECT array_agg(f ORDER BY f) FROM unnest(lib.gap_flags()) f),
    'the summary counts communes for every flag');
SELECT is((SELECT (j #>> '{summary,flags,NO_STAFF}')::integer FROM s),
    (SELECT count(*)::integer FROM s, jsonb_array_elements(j #> '{gaps,items}') i
      WHERE i -> 'flags' ? 'NO_STAFF'), 'as many as the stored gaps show');
SELECT is((SELECT j #>> '{summary,indicators,communes_covered}' FROM s),
    (SELECT i ->> 'value' FROM s, jsonb_array_elements(j #> '{indicators,items}') i
      WHERE i ->> 'code' = 'communes_covered'),
    'and the headline indicator values');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'snapshot.create'
    AND entity = 'snapshot' AND entity_id = pg_temp.sid()::text
    AND actor_login = 'bcd.quangninh' AND after ->> 'period' = '2025-Q3'),
    1, 'taking a snapshot is audited');

-- One per province and quarter; the quarter's checks.
SELECT is(pg_temp.take('bcd.quangninh', '{"province": "22", "period": "2025-Q3"}'),
    'RG409 snapshot-exists', 'a second snapshot of the quarter is refused');
SELECT is(pg_temp.take('admin', '{"province": "22", "period": " 2025-Q3 "}'),
    'RG409 snapshot-exists', 'whoever asks, however spaced');
SELECT is(pg_temp.take('bcd.quangninh', jsonb_build_object('province', '22',
    'period', (SELECT next FROM q))), 'RG422 future-period',
    'a quarter that has not begun is refused');
SELECT is(pg_temp.take('bcd.quangninh', '{"province": "22", "period": "2025-Q5"}'),
    'RG422 invalid-period', 'a quarter 5 is refused');
SELECT is(pg_temp.take('bcd.quangninh', '{"province": "22", "period": "2025/3"}'),
    'RG422 invalid-period', 'so is another way of writing it');
SELECT is(pg_temp.take('bcd.quangninh', '{"province": "22", "period": "1999-Q4"}'),
    'RG422 out-of-range', 'and a quarter before 2000');
SELECT is(pg_temp.take('bcd.quangninh', '{"period": "2025-Q2"}'),
    'RG422 required', 'the province is required');
SELECT is(pg_temp.take('admin', '{"province": "77", "period": "2025-Q2"}'),
    'RG422 unknown-province', 'and must be a current province');

-- Who.
SELECT is(pg_temp.take('hr.quangninh', '{"province": "22", "period": "2025-Q2"}'),
    'RG403 forbidden', 'an HR officer does not take snapshots');
SELECT is(pg_temp.take('ulsa', '{"province": "22", "period": "2025-Q2"}'),
    'RG403 forbidden', 'nor does a registrar');
SELECT is(pg_temp.take('bcd.quangninh', '{"province": "82", "period": "2025-Q2"}'),
    'RG404 not-found', 'another province''s steering committee is out of scope');
SELECT is(pg_temp.err(format('SELECT api.snapshot_get(%s, %s)',
    pg_temp.uid('hr.dongthap'), pg_temp.sid())), 'RG404 not-found',
    'an officer of another province does not see it');
SELECT is(api.snapshot_get(pg_temp.uid('hr.quangninh'), pg_temp.sid())::jsonb
    -> 'gaps', (SELECT j -> 'gaps' FROM s),
    'the province''s officer reads it whole');
SELECT is((SELECT count(*)::integer FROM json_array_elements(api.snapshots_list(
    pg_temp.uid('hr.dongthap'), NULL, NULL, NULL) -> 'items')), 0,
    'another province''s list does not have it');
SELECT is(api.snapshots_list(pg_temp.uid('bcd.quangninh'), NULL, NULL, NULL)
    -> 'items' -> 0 ->> 'id', pg_temp.sid()::text,
    'the province''s list has it');

-- A quarter is frozen only once it has ended: not while it runs, not on
-- its last day, from the day after.
SELECT is(pg_temp.take('admin', jsonb_build_object('province', '22',
    'period', (SELECT running FROM q))), 'RG422 quarter-not-ended',
    'the running quarter is refused');
SELECT is(pg_temp.err($$SELECT lib.period_as_of('2026-Q1', '2026-01-01')$$),
    'RG422 quarter-not-ended', 'on its first day too');
SELECT is(pg_temp.err($$SELECT lib.period_as_of('2026-Q1', '2026-03-31')$$),
    'RG422 quarter-not-ended', 'and on its last');
SELECT is(lib.period_as_of('2026-Q1', '2026-04-01'), '2026-03-31'::date,
    'the day after, it is frozen as of its last day');
SELECT is((SELECT count(*)::integer FROM plans.snapshots s, q
    WHERE s.period = q.running), 0, 'nothing was stored');

-- The diff reads any stored snapshot: one of today, stored by the owner
-- as the API would, changes nothing against today until the registry does.
INSERT INTO plans.snapshots (province_id, period, as_of, indicators, gaps,
    created_by)
SELECT g.id, q.running, current_date,
    lib.indicators_of(u, 'province:22', current_date, false, NULL, NULL),
    lib.gaps_report(u, 'province:22', current_date, false, NULL, NULL), u.id
  FROM q, geo.units g, auth.users u
 WHERE g.level = 'province' AND g.code = '22' AND g.valid_to IS NULL
   AND u.login = 'admin';
CREATE TEMP TABLE r AS
SELECT jsonb_build_object('id', s.id) AS j
  FROM plans.snapshots s, q WHERE s.period = q.running;
SELECT is(api.snapshot_diff(pg_temp.uid('bcd.quangninh'),
    (SELECT (j ->> 'id')::integer FROM r))::jsonb -> 'communes', '[]',
    'nothing has changed since');

WITH u AS (
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id)
	SELECT 'Phòng CTXH thử', 'commune_office', 'social_protection', 'public',
	    c.id, p.id FROM c, geo.units p
	 WHERE p.level = 'province' AND p.code = '22' AND p.valid_to IS NULL
	RETURNING id
), p AS (
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, province_id)
	SELECT 'Trần Văn Chụp', '022090777001', 'male', '1990-01-01', g.id
	  FROM geo.units g
	 WHERE g.level = 'province' AND g.code = '22' AND g.valid_to IS NULL
	RETURNING id
)
INSERT INTO hr.assignments (person_id, work_unit_id, category, fte, start_date)
SELECT p.id, u.id, 'commune_post', 1, current_date - 10 FROM p, u;

SELECT is(api.snapshot_diff(pg_temp.uid('bcd.quangninh'),
    (SELECT (j ->> 'id')::integer FROM r))::jsonb -> 'communes',
    jsonb_build_array(jsonb_build_object('commune_code', (SELECT code FROM c),
	'name', (SELECT name FROM geo.units WHERE id = (SELECT id FROM c)),
	'added', '["SHORT_TENURE"]'::jsonb,
	'removed', '["NO_STAFF", "NO_OFFICIAL", "VACANT"]'::jsonb)),
    'a commune that gained an official shows the flags it lost and gained');

-- Frozen: the trigger refuses every change, the owner's included.
SELECT trigger_is('plans', 'snapshots', 'snapshots_frozen', 'plans',
    'snapshots_frozen', 'the snapshots table has its frozen trigger');
SELECT throws_ok(format('UPDATE plans.snapshots SET note = %L WHERE id = %s',
    'Sửa lại', pg_temp.sid()), '23514', NULL,
    'the owner cannot change a snapshot');
SELECT throws_ok(format('DELETE FROM plans.snapshots WHERE id = %s',
    pg_temp.sid()), '23514', NULL, 'nor delete one');
SELECT is((SELECT note FROM plans.snapshots WHERE id = pg_temp.sid()),
    'Họp ban chỉ đạo quý 3', 'the snapshot is as it was');

SELECT * FROM finish();
ROLLBACK;
