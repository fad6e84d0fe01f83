-- Graduate imports (api.graduates_import) called as the demo users: a
-- dry run reports each row and writes nothing but its own audit row; rows
-- that clash within the file are caught by the real write path and name
-- the row they clash with; rows with reader problems are not attempted;
-- a commit writes every row (with the credentials to sign) or none; a
-- second import of the same rows is refused row by row; who may import
-- for which institution; the row cap.
BEGIN;
SELECT plan(43);

\ir helpers.psql

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('ulsa') AS ulsa,
	pg_temp.uid('hr.quangninh') AS hrqn,
	(SELECT id FROM org.institutions WHERE code = 'ULSA') AS ulsa_i \gset

-- A graduate row's values: a bachelor in social work of 2025 for a woman
-- born 2001-03-04 unless p_extra says else; n makes the citizen ID.
CREATE FUNCTION pg_temp.v(p_name text, p_n integer, p_diploma text,
    p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('full_name', p_name,
	    'citizen_id', '00130199' || lpad(p_n::text, 4, '0'),
	    'birth_date', '2001-03-04', 'sex', 'female',
	    'programme_code', '7760101', 'level', 'dai_hoc',
	    'field', 'social_work', 'graduation_date', '2025-06-30',
	    'diploma_number', p_diploma) || p_extra
$$;

-- The parser's payload for these values, as rows 2, 3, ... of a file.
CREATE FUNCTION pg_temp.file(VARIADIC p_values jsonb[]) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('rows', jsonb_agg(jsonb_build_object(
	    'row', n + 1, 'values', v, 'problems', '[]'::jsonb) ORDER BY n),
	    'file_problems', '[]'::jsonb, 'filename', 'sql.csv')
	  FROM unnest(p_values) WITH ORDINALITY u(v, n)
$$;

CREATE FUNCTION pg_temp.run(p_actor bigint, p_institution text,
    p_commit boolean, p_file jsonb) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.graduates_import(p_actor, 'test', p_institution, p_commit,
	    p_file)::jsonb
$$;

-- Everything an import may write, but for the audit row of a check
-- (15_import_limits.sql tests those).
CREATE FUNCTION pg_temp.footprint() RETURNS bigint[]
LANGUAGE sql AS $$
	SELECT ARRAY[(SELECT count(*) FROM hr.people),
	    (SELECT count(*) FROM training.qualifications),
	    (SELECT count(*) FROM training.credentials),
	    (SELECT count(*) FROM audit.log
	      WHERE action <> 'graduate.import_check')]
$$;

-- "status code field" of each row of a report.
CREATE FUNCTION pg_temp.rows(p_report jsonb) RETURNS text[]
LANGUAGE sql AS $$
	SELECT array_agg(concat_ws(' ', r ->> 'status',
	    r -> 'problems' -> 0 ->> 'code', r -> 'problems' -> 0 ->> 'field')
	    ORDER BY (r ->> 'row')::integer)
	  FROM jsonb_array_elements(p_report -> 'rows') r
$$;

CREATE TEMP TABLE f AS SELECT pg_temp.file(
	pg_temp.v('Trần Thị Lan', 1, 'SQL-GI-1'),
	pg_temp.v('Hoàng Thị Minh', 2, 'SQL-GI-1'),
	pg_temp.v('Lý Thị Hồng', 3, 'SQL-GI-3', '{"level": "bachelor"}'),
	pg_temp.v('Trần Thị Lành', 1, 'SQL-GI-4'),
	pg_temp.v('Trần Thị Lan', 1, 'SQL-GI-5', '{"level": "thac_si"}')) AS p;
CREATE TEMP TABLE before AS SELECT pg_temp.footprint() AS fp;

-- A dry run.
CREATE TEMP TABLE dry AS
SELECT pg_temp.run(:ulsa, NULL, false, p) AS r FROM f;
SELECT is((SELECT r ->> 'written' FROM dry), 'false', 'a dry run is not written');
SELECT is((SELECT r ->> 'commit' FROM dry), 'false', 'commit defaults to false');
SELECT is((SELECT r ->> 'institution_code' FROM dry), 'ULSA',
	'a registrar imports for its own institution');
SELECT is((SELECT r ->> 'filename' FROM dry), 'sql.csv', 'the file name is kept');
SELECT is((SELECT pg_temp.rows(r) FROM dry), ARRAY['ok',
	'problem diploma-exists diploma_number', 'problem invalid-code level',
	'problem identity-mismatch citizen_id', 'ok'],
	'each row is checked by the write path, against the rows before it');
SELECT is((SELECT r -> 'summary' FROM dry),
	'{"ok": 2, "with_problems": 3}',
	'the summary counts rows, and no people (a check tells nothing of who is on record)');
SELECT is((SELECT r #>> '{rows,1,problems,0,en}' FROM dry),
	'Row 2 of this file has the same diploma number.',
	'a diploma number twice in the file names the first row');
SELECT ok((SELECT r #>> '{rows,3,problems,0,vi}' FROM dry) LIKE 'Dòng 2 của tệp%',
	'an identity clash within the file names the first row');
SELECT is((SELECT count(*) FROM dry, jsonb_array_elements(r -> 'rows') x
	WHERE x ?| ARRAY['person_id', 'credential_id', 'graduate_id']), 0::bigint,
	'a dry run shows no ids');
SELECT ok(NOT (SELECT r ? '_sign' FROM dry), 'a dry run has nothing to sign');
SELECT is(pg_temp.footprint(), (SELECT fp FROM before),
	'a dry run writes nothing: no person, degree, credential or audit row but its own');

-- A row the reader found a problem in is not attempted.
CREATE TEMP TABLE reader AS SELECT pg_temp.run(:ulsa, NULL, false,
	jsonb_set(pg_temp.file(pg_temp.v('Vũ Thị Ô', 7, 'SQL-GI-7')),
	    '{rows,0,problems}', '[{"field": "full_name", "code": "formula",
	    "vi": "Ô chứa công thức.", "en": "The cell holds a formula."}]')) AS r;
SELECT is((SELECT pg_temp.rows(r) FROM reader),
	ARRAY['problem formula full_name'], 'reader problems are the row''s problems');
SELECT is((SELECT r #>> '{summary,ok}' FROM reader), '0',
	'a row with reader problems is not attempted');

-- Every field problem of a row, not only the first.
SELECT is((SELECT array_agg(x ->> 'code' ORDER BY x ->> 'code')
	FROM jsonb_array_elements(pg_temp.run(:ulsa, NULL, false,
	    pg_temp.file(pg_temp.v('Võ Thị Sai', 8, 'SQL-GI-8',
		'{"level": "x", "field": "y", "programme_code": "1"}'))) #>
	    '{rows,0,problems}') x),
	ARRAY['invalid-code', 'invalid-code', 'invalid-programme-code'],
	'a row reports all of its field problems at once');

-- A commit with a problem writes nothing.
CREATE TEMP TABLE refused AS SELECT pg_temp.run(:ulsa, NULL, true, p) AS r FROM f;
SELECT is((SELECT r ->> 'commit' FROM refused), 'true', 'a commit was asked');
SELECT is((SELECT r ->> 'written' FROM refused), 'false',
	'a commit with problems is not written');
SELECT is((SELECT pg_temp.rows(r) FROM refused), (SELECT pg_temp.rows(r) FROM dry),
	'its report is the dry run''s');
SELECT ok(NOT (SELECT r ? '_sign' FROM refused), 'a refused commit has nothing to sign');
SELECT is(pg_temp.footprint(), (SELECT fp FROM before),
	'a refused commit writes nothing at all');

-- A clean commit writes every row.
CREATE TEMP TABLE good AS SELECT pg_temp.file(
	pg_temp.v('Trần Thị Lan', 1, 'SQL-GI-1'),
	pg_temp.v('Hoàng Thị Minh', 2, 'SQL-GI-2'),
	pg_temp.v('Trần Thị Lan', 1, 'SQL-GI-5', '{"level": "thac_si"}')) AS p;
CREATE TEMP TABLE done_ AS SELECT pg_temp.run(:ulsa, NULL, true, p) AS r FROM good;
SELECT is((SELECT r ->> 'written' FROM done_), 'true', 'a clean commit is written');
SELECT is((SELECT pg_temp.rows(r) FROM done_), ARRAY['ok', 'ok', 'ok'], 'every row went in');
SELECT is((SELECT r -> 'summary' FROM done_),
	'{"ok": 3, "with_problems": 0, "new_people": 2, "matched_people": 0}',
	'two people made, three degrees');
SELECT is(pg_temp.footprint(), (SELECT ARRAY[fp[1] + 2, fp[2] + 3, fp[3] + 3]
	FROM before) || (SELECT pg_temp.footprint())[4],
	'people, degrees and credentials are written');
SELECT is((SELECT jsonb_array_length(r -> '_sign') FROM done_), 3,
	'every credential issued is listed to sign');
SELECT is((SELECT array_agg(s ->> 'id' ORDER BY s ->> 'id')
	FROM done_, jsonb_array_elements(r -> '_sign') s),
	(SELECT array_agg(x ->> 'credential_id' ORDER BY x ->> 'credential_id')
	FROM done_, jsonb_array_elements(r -> 'rows') x),
	'the credentials to sign are the rows'' credentials');
SELECT is((SELECT count(*) FROM done_, jsonb_array_elements(r -> 'rows') x
	JOIN training.qualifications q ON q.id = (x ->> 'graduate_id')::bigint
	JOIN training.credentials c ON c.id = (x ->> 'credential_id')::uuid
	 AND c.qualification_id = q.id
	WHERE q.person_id = (x ->> 'person_id')::bigint
	  AND q.institution_id = :ulsa_i AND q.source = 'registrar'), 3::bigint,
	'each row shows its graduate, person and credential');
SELECT is((SELECT count(*) FROM audit.log WHERE action = 'graduate.register'
	AND via = 'test' AND after ->> 'diploma_number' LIKE 'SQL-GI-%'), 3::bigint,
	'each graduate is audited as one registered alone');
SELECT is((SELECT after ->> 'ok' FROM audit.log WHERE action = 'graduate.import'
	ORDER BY id DESC LIMIT 1), '3', 'the commit itself is audited');
SELECT is((SELECT highest_qualification FROM hr.people
	WHERE citizen_id = '001301990001'), 'thac_si',
	'the person''s highest qualification follows');

-- The same rows again: every one is a diploma the institution has.
CREATE TEMP TABLE again AS SELECT pg_temp.footprint() AS fp;
CREATE TEMP TABLE twice AS SELECT pg_temp.run(:ulsa, NULL, true, p) AS r FROM good;
SELECT is((SELECT pg_temp.rows(r) FROM twice),
	ARRAY['problem diploma-exists diploma_number',
	    'problem diploma-exists diploma_number',
	    'problem diploma-exists diploma_number'],
	'a second import of the same rows is refused row by row');
SELECT is((SELECT r #>> '{rows,0,problems,0,en}' FROM twice),
	'This institution already has a diploma with this number.',
	'a diploma on record is not said to be another row''s');
SELECT is(pg_temp.footprint(), (SELECT fp FROM again), 'and writes nothing');

-- A person on record is matched, not made again.
CREATE TEMP TABLE match AS SELECT pg_temp.run(:ulsa, NULL, true,
	pg_temp.file(pg_temp.v('TRAN THI LAN', 1, 'SQL-GI-9',
	    '{"level": "tien_si"}'))) AS r;
SELECT is((SELECT r -> 'summary' FROM match),
	'{"ok": 1, "with_problems": 0, "new_people": 0, "matched_people": 1}',
	'a person on record is matched by citizen ID (a written commit counts them)');

-- Who imports for which institution.
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, false, %L)',
	:hrqn, 'test', (SELECT p FROM good))), 'RG403 forbidden',
	'an officer may not import graduates');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, false, %L)',
	:admin, 'test', (SELECT p FROM good))), 'RG422 required',
	'an administrator must name the institution');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, %L, false, %L)',
	:admin, 'test', 'NO-SUCH', (SELECT p FROM good))), 'RG422 unknown-institution',
	'an unknown institution is refused');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, %L, false, %L)',
	:ulsa, 'test', 'TUU', (SELECT p FROM good))), 'RG403 out-of-scope',
	'a registrar may not name another institution');
SELECT is((pg_temp.run(:admin, 'TUU', false, (SELECT p FROM good)) ->> 'institution_code'),
	'TUU', 'an administrator names it by code');
SELECT is((pg_temp.run(:admin, 'tuu', false, (SELECT p FROM good)) #>> '{summary,ok}'),
	'3', 'in any case, and the rows are checked against that institution');
SELECT is((pg_temp.run(:admin, :'ulsa_i', false, (SELECT p FROM good)) ->> 'institution_code'),
	'ULSA', 'or by id');

-- Files refused whole.
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, false, %L)',
	:ulsa, 'test', '{"rows": [], "file_problems": []}')), 'RG422 no-rows',
	'a file without rows is refused');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, false, %L)',
	:ulsa, 'test', (SELECT jsonb_build_object('rows', jsonb_agg(jsonb_build_object(
	    'row', n, 'values', '{}'::jsonb, 'problems', '[]'::jsonb))) FROM
	    generate_series(2, 2002) n))), 'RG422 too-many-rows',
	'more than 2,000 rows are refused: split the file');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, false, %L)',
	:ulsa, 'test', (SELECT jsonb_build_object('rows', jsonb_agg(jsonb_build_object(
	    'row', n, 'values', '{}'::jsonb, 'problems', '[]'::jsonb))) FROM
	    generate_series(2, 2001) n))), 'no error',
	'2,000 rows are taken');

SELECT * FROM finish();
ROLLBACK;
