-- What imports may write, learn and keep (issue 12): the people import
-- adopts a person kept by no province by the rules of POST
-- /api/v1/people and writes only people its province keeps, even when
-- another province takes one between check and write (item 3); masked
-- citizen IDs cannot be read back by searching more digits (item 5); a
-- graduate import's check names no field of a stranger's record, counts
-- no people, is audited and rate-limited (item 10); staging quotas per
-- province and the retention purge (item 18); a failed import's summary
-- carries a problem code, not the database's message, and a registrar
-- sees the identity it registered (item 19).
BEGIN;
SELECT plan(41);

\ir helpers.psql

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('ulsa') AS ulsa,
	pg_temp.uid('hr.quangninh') AS hrqn, pg_temp.uid('hr.dongthap') AS hrdt,
	pg_temp.uid('bcd.quangninh') AS bcdqn,
	pg_temp.uid('bcd.national') AS bcdnat,
	(SELECT id FROM geo.units WHERE level = 'province' AND code = '22'
	   AND valid_to IS NULL) AS qn \gset

-- "SQLSTATE code field" of a refusal, or 'no error'.
CREATE FUNCTION pg_temp.refused(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	h	text;
	f	text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT,
	    f = COLUMN_NAME;
	RETURN concat_ws(' ', st, nullif(h, ''), nullif(f, ''));
END
$$;

-- The Retry-After a refusal carries (lib.fail_retry), or NULL.
CREATE FUNCTION pg_temp.retry(p_sql text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	c	text;
BEGIN
	EXECUTE p_sql;
	RETURN NULL;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
	RETURN nullif(c, '')::integer;
END
$$;

-- A graduate of ULSA, a woman born 1999-05-05 unless p_extra says else.
CREATE FUNCTION pg_temp.grad(p_name text, p_cid text, p_diploma text,
    p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('full_name', p_name, 'citizen_id', p_cid,
	    'birth_date', '1999-05-05', 'sex', 'female',
	    'programme_code', '7760101', 'level', 'dai_hoc',
	    'field', 'social_work', 'graduation_date', '2022-06-30',
	    'diploma_number', p_diploma) || p_extra
$$;

-- A people-import payload of person rows (rows 3, 4, ...).
CREATE FUNCTION pg_temp.sheet(VARIADIC p_values jsonb[]) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('rows', jsonb_agg(jsonb_build_object(
	    'row', n + 2, 'values', v, 'problems', '[]'::jsonb) ORDER BY n),
	    'file_problems', '[]'::jsonb)
	  FROM unnest(p_values) WITH ORDINALITY u(v, n)
$$;

CREATE FUNCTION pg_temp.report_codes(p_import jsonb) RETURNS text[]
LANGUAGE sql AS $$
	SELECT array_agg(concat_ws(' ', x ->> 'code', x ->> 'column')
	    ORDER BY (x ->> 'row')::integer, (x ->> 'n')::integer)
	  FROM jsonb_array_elements(p_import -> 'report') x
$$;

-- Two graduates ULSA registered, kept by no province.
SELECT api.graduate_create(:ulsa, 'test', pg_temp.grad('Phạm Thị Thu',
	'022199000901', 'SQL-LIM-1'))::jsonb ->> 'id' AS g1 \gset
SELECT api.graduate_create(:ulsa, 'test', pg_temp.grad('Lê Thị Vân',
	'022199000902', 'SQL-LIM-2'))::jsonb ->> 'id' AS g2 \gset
SELECT (SELECT id FROM hr.people WHERE citizen_id = '022199000901') AS x1,
	(SELECT id FROM hr.people WHERE citizen_id = '022199000902') AS x2 \gset

-- Item 3: a person kept by no province.
SELECT is(pg_temp.report_codes(api.import_create(:hrqn, 'test', NULL, 'a.csv', 'csv',
	false, pg_temp.sheet(jsonb_build_object('full_name', 'Phạm Thị Thu',
	    'citizen_id', '022199000901', 'sex', 'female',
	    'birth_date', '1999-06-06')))::jsonb),
	ARRAY['identity-mismatch birth_date'],
	'an unkept person with another birth date is a problem, as for POST /people');
SELECT is(pg_temp.report_codes(api.import_create(:hrqn, 'test', NULL, 'a.csv', 'csv',
	true, pg_temp.sheet(jsonb_build_object('full_name', 'Phạm Thu',
	    'citizen_id', '022199000901', 'sex', 'male',
	    'birth_date', '1999-05-05')))::jsonb),
	ARRAY['cccd-sex citizen_id', 'identity-mismatch birth_date'],
	'and so is another sex');
SELECT is((SELECT ARRAY[full_name, province_id::text] FROM hr.people
	WHERE id = :x1), ARRAY['Phạm Thị Thu', NULL],
	'a refused import leaves the unkept person alone');
SELECT api.import_create(:hrqn, 'test', NULL, 'a.csv', 'csv', true,
	pg_temp.sheet(jsonb_build_object('full_name', 'Phạm Thị Thu Hà',
	    'citizen_id', '022199000901', 'sex', 'nữ', 'birth_date', '05/05/1999',
	    'phone', '0912000901')))::jsonb AS adopt \gset
SELECT is(:'adopt'::jsonb -> 'summary' -> 'people_adopted', '1'::jsonb,
	'an agreeing row adopts the person (counted as adopted)');
SELECT is((SELECT ARRAY[full_name, province_id::text, phone] FROM hr.people
	WHERE id = :x1), ARRAY['Phạm Thị Thu Hà', :'qn', '0912000901'],
	'the province takes the record: the card''s name, the contact added');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'person.adopt'
	AND entity_id = :'x1' AND via = 'import:' || (:'adopt'::jsonb ->> 'id')),
	1, 'the adoption is audited as person.adopt');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'person.update'
	AND entity_id = :'x1' AND via = 'import:' || (:'adopt'::jsonb ->> 'id')),
	0, 'and is not an update of someone else''s record');

-- Item 3: another province takes the person between check and write.
INSERT INTO hr.imports (created_by, via, province_id, filename, format,
    commit, rows_total)
VALUES (:hrqn, 'test', :qn, 'race.csv', 'csv', true, 1)
RETURNING id AS race \gset
INSERT INTO hr.import_rows (import_id, row, data)
VALUES (:race, 3, jsonb_build_object('full_name', 'Lê Thị Vân Anh',
    'citizen_id', '022199000902', 'sex', 'female', 'birth_date', '1999-05-05',
    'email', 'van@example.org'));
SELECT is(lib.import_check(:race, 10), 0, 'the file is checked');
SELECT is((SELECT problems FROM hr.import_rows WHERE import_id = :race),
	'[]'::jsonb, 'and the unkept person may be adopted');
SELECT ok(api.person_create(:hrdt, 'test', '{"full_name": "Lê Thị Vân",
	"citizen_id": "022199000902", "sex": "female",
	"birth_date": "1999-05-05", "phone": "0277000902"}')::jsonb ? 'adopted',
	'meanwhile Đồng Tháp takes the person');
SELECT lib.import_finish(:race);
SELECT is((SELECT summary -> 'written' FROM hr.imports WHERE id = :race),
	'false'::jsonb, 'the commit is not written');
SELECT is((SELECT problems -> 0 ->> 'code' FROM hr.import_rows
	WHERE import_id = :race), 'person-in-other-province',
	'the row now says another province keeps the person');
SELECT is((SELECT ARRAY[full_name, email, (SELECT code FROM geo.units g
	WHERE g.id = province_id)] FROM hr.people WHERE id = :x2),
	ARRAY['Lê Thị Vân', NULL, '82'],
	'Đồng Tháp''s record is untouched');

-- Item 5: digit searches of masked IDs.
SELECT is(pg_temp.refused(format('SELECT api.people_list(%s, NULL, NULL, NULL,
	NULL, NULL, %L, NULL, NULL)', :bcdqn, '0901')),
	'RG422 too-many-digits q',
	'steering may not search more digits than the mask shows');
SELECT is(pg_temp.refused(format('SELECT api.people_list(%s, NULL, NULL, NULL,
	NULL, NULL, %L, NULL, NULL)', :bcdnat, '022199000901')),
	'RG422 too-many-digits q', 'nor the national steering committee');
SELECT is(pg_temp.refused(format('SELECT api.people_export(%s, %L, NULL, NULL,
	NULL, NULL, NULL, %L)', :bcdnat, 'test', '00901')),
	'RG422 too-many-digits q', 'nor in an export');
SELECT is(json_array_length(api.people_list(:bcdqn, NULL, NULL, NULL, NULL,
	NULL, '901', NULL, 500) -> 'items') >= 1, true,
	'the digits shown can be searched');
SELECT is((SELECT count(*)::integer FROM json_array_elements(api.people_list(
	:hrqn, NULL, NULL, NULL, NULL, NULL, '022199000901', NULL, 500) -> 'items')),
	1, 'an officer, who sees the full IDs, searches all 12 digits');
SELECT is((SELECT count(*)::integer FROM json_array_elements(api.people_list(
	:admin, NULL, NULL, NULL, NULL, NULL, '199000901', NULL, 500) -> 'items')),
	1, 'and so does an administrator');

-- Item 10: a registrar's identity checks.
DELETE FROM training.graduate_import_checks;
SELECT is(pg_temp.refused(format('SELECT api.graduate_create(%s, %L, %L)',
	:ulsa, 'test', pg_temp.grad('Lê Thị Vân', '022199000902', 'SQL-LIM-3',
	'{"birth_date": "1999-05-06"}'))),
	'RG409 identity-mismatch citizen_id',
	'a mismatch names no field of the record on file');
SELECT api.graduates_import(:ulsa, 'test', NULL, false, jsonb_build_object(
	'filename', 'k.csv', 'rows', jsonb_build_array(
	    jsonb_build_object('row', 3, 'values', pg_temp.grad('Lê Thị Vy',
		'022199000902', 'SQL-LIM-4')),
	    jsonb_build_object('row', 4, 'values', pg_temp.grad('Trương Thị Mới',
		'022199000903', 'SQL-LIM-5')))))::jsonb AS chk \gset
SELECT is(concat_ws(' ', :'chk'::jsonb #>> '{rows,0,problems,0,code}',
	:'chk'::jsonb #>> '{rows,0,problems,0,field}'),
	'identity-mismatch citizen_id', 'nor does an import''s row');
SELECT ok(position('họ tên' IN :'chk'::jsonb #>> '{rows,0,problems,0,vi}') > 0
	AND position('in the field' IN :'chk') = 0,
	'its words say name, birth date or sex, not which');
SELECT is(:'chk'::jsonb -> 'summary', '{"ok": 1, "with_problems": 1}'::jsonb,
	'a check counts no people, new or on record');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE actor_id = :ulsa
	AND action = 'graduate.import_check' AND after ->> 'filename' = 'k.csv'),
	1, 'a check is audited');
SELECT is((SELECT count(*)::integer FROM hr.people
	WHERE citizen_id = '022199000903'), 0, 'and writes nothing else');
INSERT INTO training.graduate_import_checks (user_id, at)
SELECT :ulsa, now() - interval '50 minutes' + g * interval '1 second'
  FROM generate_series(1, lib.graduates_checks_per_hour() - 1) g;
SELECT is(pg_temp.refused(format('SELECT api.graduates_import(%s, %L, NULL,
	false, %L)', :ulsa, 'test', :'chk')), 'RG429 import-checks-exhausted',
	'past 30 checks an hour a registrar is refused');
SELECT ok(pg_temp.retry(format('SELECT api.graduates_import(%s, %L, NULL,
	true, %L)', :ulsa, 'test', :'chk')) BETWEEN 500 AND 660,
	'with the seconds until the oldest check is an hour old');
SELECT is(pg_temp.refused(format('SELECT api.graduates_import(%s, %L, %L,
	false, %L)', :admin, 'test', 'ULSA', :'chk')), 'no error',
	'an administrator, who sees every record, is not counted');
DELETE FROM training.graduate_import_checks;

-- Item 18: staging quotas and retention.
INSERT INTO hr.imports (created_by, via, province_id, format, commit,
    rows_total)
SELECT :hrqn, 'test', :qn, 'csv', false, 5000
  FROM generate_series(1, lib.import_pending_max());
SELECT is(pg_temp.refused(format('SELECT api.import_create(%s, %L, NULL, %L,
	%L, false, %L)', :hrqn, 'test', 'q.csv', 'csv', pg_temp.sheet(
	'{"full_name": "Ai Đó", "citizen_id": "022090000990", "sex": "male",
	  "birth_date": "1990-01-01"}'))), 'RG429 imports-pending',
	'a province with 4 imports waiting is refused another');
SELECT is(pg_temp.refused(format('SELECT api.import_create(%s, %L, NULL, %L,
	%L, false, %L)', :hrdt, 'test', 'q.csv', 'csv', pg_temp.sheet(
	'{"full_name": "Ai Đó", "citizen_id": "082090000990", "sex": "male",
	  "birth_date": "1990-01-01"}'))), 'no error',
	'another province is not');
DELETE FROM hr.imports WHERE province_id = :qn AND status = 'queued';
INSERT INTO hr.imports (created_by, via, province_id, format, commit,
    rows_total, status, summary, finished_at)
VALUES (:hrqn, 'test', :qn, 'csv', false, lib.import_staged_max(), 'done',
    '{"written": false}', now() - interval '6 days')
RETURNING id AS big \gset
INSERT INTO hr.import_rows (import_id, row, data, problems)
SELECT :big, g, '{}', '[{"code": "x"}]'
  FROM generate_series(1, lib.import_staged_max()) g;
SELECT is(pg_temp.refused(format('SELECT api.import_create(%s, %L, NULL, %L,
	%L, false, %L)', :hrqn, 'test', 'q.csv', 'csv', pg_temp.sheet(
	'{"full_name": "Ai Đó", "citizen_id": "022090000990", "sex": "male",
	  "birth_date": "1990-01-01"}'))), 'RG429 import-staging-full',
	'a province holding 200,000 staged rows is refused more');
SELECT ok(pg_temp.retry(format('SELECT api.import_create(%s, %L, NULL, %L,
	%L, false, %L)', :hrqn, 'test', 'q.csv', 'csv', pg_temp.sheet(
	'{"full_name": "Ai Đó", "citizen_id": "022090000990", "sex": "male",
	  "birth_date": "1990-01-01"}'))) BETWEEN 86000 AND 86500,
	'until the oldest report is purged, a day from now');
DELETE FROM hr.imports WHERE id = :big;
INSERT INTO hr.imports (created_by, via, province_id, filename, format,
    commit, rows_total, status, summary, finished_at)
VALUES (:hrqn, 'test', :qn, 'old-dry', 'csv', false, 1, 'done',
	'{"written": false}', now() - interval '8 days'),
    (:hrqn, 'test', :qn, 'old-refused', 'csv', true, 1, 'done',
	'{"written": false}', now() - interval '8 days'),
    (:hrqn, 'test', :qn, 'old-failed', 'csv', true, 1, 'failed',
	'{"error": "import-failed"}', now() - interval '8 days'),
    (:hrqn, 'test', :qn, 'old-written', 'csv', true, 1, 'done',
	'{"written": true}', now() - interval '8 days'),
    (:hrqn, 'test', :qn, 'young-dry', 'csv', false, 1, 'done',
	'{"written": false}', now() - interval '6 days');
INSERT INTO hr.import_rows (import_id, row, data, problems)
SELECT id, 3, '{"full_name": "Ai Đó"}', '[{"code": "x"}]' FROM hr.imports
 WHERE filename IN ('old-dry', 'old-refused', 'old-failed', 'young-dry');
INSERT INTO training.graduate_import_checks (user_id, at)
VALUES (:ulsa, now() - interval '25 hours'), (:ulsa, now() - interval '2 hours');
SELECT ok(api.import_work() IS NOT NULL, 'the import worker purges');
SELECT is((SELECT count(*)::integer FROM training.graduate_import_checks),
	1, 'and forgets graduate-import checks over a day old');
SELECT is((SELECT array_agg(filename ORDER BY filename) FROM hr.imports
	WHERE filename LIKE 'old-%' OR filename LIKE 'young-%'),
	ARRAY['old-written', 'young-dry'],
	'what wrote nothing and finished over 7 days ago, rows and all');
SELECT is((SELECT count(*)::integer FROM hr.import_rows r JOIN hr.imports i
	ON i.id = r.import_id WHERE i.filename = 'young-dry'), 1,
	'a younger report keeps its rows');

-- Item 19: a failed import's summary. The failure is forced by a
-- stand-in for lib.import_finish (rolled back with the test).
INSERT INTO hr.imports (created_by, via, province_id, filename, format,
    commit, rows_total)
VALUES (:hrqn, 'test', :qn, 'fails.csv', 'csv', true, 1)
RETURNING id AS bad \gset
INSERT INTO hr.import_rows (import_id, row, data)
VALUES (:bad, 3, '{"full_name": "Ai Đó", "citizen_id": "022090000991",
    "sex": "male", "birth_date": "1990-01-01"}');
ALTER FUNCTION lib.import_finish(bigint) RENAME TO import_finish_real;
CREATE FUNCTION lib.import_finish(p_import bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'relation "hr.secret_table" does not exist (SELECT 022090000991)';
END
$$;
GRANT EXECUTE ON FUNCTION lib.import_finish(bigint) TO registry_api;
SELECT ok(api.import_work() IS NOT NULL, 'the worker takes the import');
SELECT is((SELECT ARRAY[status, summary ->> 'error'] FROM hr.imports
	WHERE id = :bad), ARRAY['failed', 'import-failed'],
	'a failed import says so with a problem code');
SELECT ok(position('secret' IN (SELECT summary::text FROM hr.imports
	WHERE id = :bad)) = 0 AND position('022090000991' IN (SELECT
	api.import_get(:hrqn, :bad)::text)) = 0,
	'and never with the database''s message');
DROP FUNCTION lib.import_finish(bigint);
ALTER FUNCTION lib.import_finish_real(bigint) RENAME TO import_finish;

-- Item 19: a registrar sees what it registered.
SELECT is((SELECT ARRAY[g ->> 'full_name', g ->> 'birth_date', g ->> 'sex']
	FROM (SELECT api.graduate_get(:ulsa, :g1)::jsonb AS g) x),
	ARRAY['Phạm Thị Thu', '1999-05-05', 'female'],
	'a registrar sees the name it registered, not the province''s correction');
SELECT api.person_update(:hrqn, 'test', :x1, '{"birth_date": "1999-05-15"}')
	IS NOT NULL AS x \gset
SELECT is((SELECT x ->> 'birth_date' FROM json_array_elements(api.graduates_list(
	:ulsa, NULL, NULL, NULL, NULL, NULL, NULL, 'Phạm Thị Thu', NULL, 500)
	-> 'items') x WHERE (x ->> 'id')::bigint = :g1), '1999-05-05',
	'and the birth date it registered, in its list too');

SELECT * FROM finish();
ROLLBACK;
