-- Who stands behind a credential (issue 12, items 2 and 19), path by
-- path: a department's own class (the officer's completion issues in the
-- department's name), an institution's class (the officer's completion
-- waits; the registrar confirms, one or all at once; an administrator's
-- completion stands for the institution), a registered graduate and a
-- graduate import (only the institution's registrar or an administrator
-- naming it), an officer's record of a diploma (never a credential); and
-- revocation by the issuer or an administrator only.
BEGIN;
SELECT plan(39);

\ir helpers.psql

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('ulsa') AS ulsa,
	pg_temp.uid('hr.quangninh') AS hrqn, pg_temp.uid('hr.dongthap') AS hrdt,
	pg_temp.uid('bcd.quangninh') AS bcdqn,
	(SELECT id FROM org.institutions WHERE code = 'ULSA') AS i_ulsa,
	(SELECT id FROM org.institutions WHERE code = 'TUU') AS i_tuu,
	(SELECT id FROM geo.units WHERE level = 'province' AND code = '22'
	  AND valid_to IS NULL) AS g22 \gset

CREATE FUNCTION pg_temp.person(p_actor bigint, p_name text, p_cid text)
RETURNS bigint
LANGUAGE sql AS $$
	SELECT (api.person_create(p_actor, 'test', jsonb_build_object(
	    'full_name', p_name, 'citizen_id', p_cid, 'sex', 'male',
	    'birth_date', '19' || substr(p_cid, 5, 2) || '-05-05')) ->> 'id')::bigint
$$;

-- A running cohort of p_course in Quảng Ninh (p_extra: who teaches) with
-- the people enrolled; returns the enrolment ids in order.
CREATE FUNCTION pg_temp.enrolled(p_actor bigint, p_course bigint,
    p_extra jsonb, VARIADIC p_people bigint[]) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	h	bigint;
	ids	bigint[] := '{}';
	pid	bigint;
BEGIN
	h := api.cohort_create(p_actor, 'test', jsonb_build_object(
	    'course_id', p_course, 'province_code', '22',
	    'start_date', '2026-01-05', 'end_date', '2026-01-30',
	    'capacity', 10, 'funding', 'provincial_budget',
	    'status', 'running') || p_extra)::jsonb ->> 'id';
	FOREACH pid IN ARRAY p_people LOOP
		ids := ids || (api.enrolment_create(p_actor, 'test', h,
		    jsonb_build_object('person_id', pid, 'status', 'enrolled'))
		    ::jsonb ->> 'id')::bigint;
	END LOOP;
	RETURN ids;
END
$$;

CREATE FUNCTION pg_temp.done(p_actor bigint, p_enrolment bigint) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.enrolment_update(p_actor, 'test', p_enrolment,
	    '{"status": "completed", "hours_attended": 30}')::jsonb
$$;

CREATE FUNCTION pg_temp.cohort(p_enrolment bigint) RETURNS bigint
LANGUAGE sql AS $$
	SELECT cohort_id::bigint FROM training.enrolments WHERE id = p_enrolment
$$;

CREATE FUNCTION pg_temp.issuer(p_credential text) RETURNS text
LANGUAGE sql AS $$
	SELECT concat_ws(' ', payload::jsonb ->> 'iss',
	    payload::jsonb #>> '{vc,issuer,name}', institution_id, province_id)
	  FROM training.credentials WHERE id = p_credential::uuid
$$;

CREATE FUNCTION pg_temp.revoke(p_actor bigint, p_credential text) RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.err(format('SELECT api.credential_revoke(%s, %L, %L, %L)',
	    p_actor, 'test', p_credential, '{"reason": "Cấp nhầm"}'))
$$;

SELECT (api.course_create(:admin, 'test', '{"code": "T-ISS-SC", "name":
	"Khóa kiểm tra nơi cấp", "kind": "short_course", "topic": "other",
	"hours": 30}')::jsonb ->> 'id')::bigint AS k_sc \gset
SELECT (api.partnership_create(:admin, 'test', format('{"institution_id": %s,
	"province_code": "22", "agreement_number": "T-ISS-1",
	"signed_on": "2025-01-01", "valid_from": "2025-01-01"}', :i_ulsa)::jsonb)::jsonb
	->> 'id')::bigint AS pa \gset
SELECT pg_temp.person(:hrqn, 'Đỗ Văn Một', '022086000091') AS q1,
	pg_temp.person(:hrqn, 'Đỗ Văn Hai', '022086000092') AS q2,
	pg_temp.person(:hrqn, 'Đỗ Văn Ba', '022086000093') AS q3,
	pg_temp.person(:hrqn, 'Đỗ Văn Bốn', '022086000094') AS q4 \gset

-- =====================================================================
-- The department's own class: the officer's completion issues at once,
-- in the department's name, and the department revokes it.

SELECT (pg_temp.enrolled(:hrqn, :k_sc, '{}', :q1))[1] AS e_dept \gset
SELECT pg_temp.done(:hrqn, :e_dept) ->> 'credential_id' AS c_dept \gset
SELECT isnt(:'c_dept'::text, NULL::text, 'an officer''s completion in its own class issues');
SELECT is(pg_temp.issuer(:'c_dept'), 'urn:ctxh:issuer:province:22 Sở Y tế tỉnh Quảng Ninh '
	|| :g22, 'in the name of the host province''s department');
SELECT is(pg_temp.err(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:admin, pg_temp.cohort(:e_dept))), 'RG409 no-institution',
	'no institution confirms a department''s class');
SELECT is(pg_temp.revoke(:hrdt, :'c_dept'), 'RG404 not-found',
	'another province does not see it');
SELECT is(pg_temp.revoke(:bcdqn, :'c_dept'), 'RG403 forbidden',
	'steering cannot revoke');
SELECT is(pg_temp.revoke(:hrqn, :'c_dept'), 'no error',
	'the issuing department''s officer revokes it');

-- =====================================================================
-- A class ULSA teaches under its agreement with Quảng Ninh.

SELECT pg_temp.enrolled(:hrqn, :k_sc, jsonb_build_object('partnership_id', :pa),
	:q1, :q2, :q3) AS es \gset
SELECT (:'es'::bigint[])[1] AS e1, (:'es'::bigint[])[2] AS e2,
	(:'es'::bigint[])[3] AS e3 \gset
SELECT pg_temp.cohort(:e1) AS h_ulsa \gset
SELECT is(pg_temp.done(:hrqn, :e1) -> 'credential_id', 'null'::jsonb,
	'the officer''s completion issues nothing in ULSA''s name');
SELECT is(api.enrolment_get(:hrqn, :e1)::jsonb ->> 'confirmation', 'awaiting',
	'it awaits ULSA''s confirmation');
SELECT is((SELECT count(*)::integer FROM training.certificates
	WHERE enrolment_id = :e1), 0, 'and awards no certificate yet');
\o /dev/null
SELECT pg_temp.done(:hrqn, :e2);
\o
SELECT is(pg_temp.err(format($$SELECT api.cohort_confirm(%s, 'test', %s,
	'{"enrolment_ids": [%s]}')$$, :ulsa, :h_ulsa, :e3)),
	'RG422 not-awaiting', 'an enrolment not completed is not confirmed');
SELECT is(pg_temp.err(format($$SELECT api.cohort_confirm(%s, 'test', %s,
	'{"enrolment_ids": "all"}')$$, :ulsa, :h_ulsa)), 'RG422 invalid-type',
	'enrolment_ids is an array');
SELECT is(pg_temp.err(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:bcdqn, :h_ulsa)), 'RG403 forbidden', 'steering cannot confirm');

-- Confirmed all at once.
SELECT api.cohort_confirm(:ulsa, 'test', :h_ulsa, '{}') AS conf \gset
SELECT is(:'conf'::jsonb ->> 'confirmed', '2',
	'the registrar confirms every completion awaiting, at once');
SELECT is(jsonb_array_length(:'conf'::jsonb -> '_sign'), 2,
	'with both credentials to sign');
SELECT :'conf'::jsonb #>> '{items,0,credential_id}' AS c1 \gset
SELECT is(pg_temp.issuer(:'c1'), 'urn:ctxh:issuer:ULSA Trường Đại học Lao động – Xã hội '
	|| :i_ulsa, 'in ULSA''s name');
SELECT is((SELECT confirmed_by FROM training.enrolments WHERE id = :e1), :ulsa::bigint,
	'the confirmation names the registrar');
SELECT is((SELECT count(*)::integer FROM training.certificates
	WHERE enrolment_id = :e1 AND institution_id = :i_ulsa), 1,
	'and the certificate is awarded');

-- Issue 12 item 19: only the issuer (or an administrator) revokes.
SELECT is(pg_temp.revoke(:hrqn, :'c1'), 'RG403 not-issuer',
	'the host province''s officer cannot revoke what ULSA issued');
SELECT is(pg_temp.revoke(:ulsa, :'c1'), 'no error', 'ULSA''s registrar can');
SELECT is(pg_temp.revoke(:admin, :'conf'::jsonb #>> '{items,1,credential_id}'),
	'no error', 'and an administrator');

-- An administrator's completion stands for the institution.
\o /dev/null
SELECT api.enrolment_update(:admin, 'test', :e3, '{"status": "completed"}')
	AS e3_json \gset
\o
SELECT is(pg_temp.issuer(:'e3_json'::jsonb ->> 'credential_id'),
	'urn:ctxh:issuer:ULSA Trường Đại học Lao động – Xã hội ' || :i_ulsa,
	'an administrator acting for ULSA completes and issues in its name');
SELECT is((SELECT confirmed_by FROM training.enrolments WHERE id = :e3), :admin::bigint,
	'recorded as confirmed by the administrator');

-- The database stands behind nothing else, whatever path calls it.
UPDATE training.enrolments SET status = 'completed', completed_on = '2026-01-30',
	confirmed_at = now(), confirmed_by = :hrqn WHERE id = :e2;
SELECT is(pg_temp.err(format('SELECT lib.credential_issue(%s, NULL)', :e2)),
	'42501 ', 'a completion in ULSA''s class confirmed by an officer is refused');

-- A class recorded before partnerships were required (no partnership)
-- keeps its institution and can still be changed; ULSA cannot confirm
-- in its name there, an administrator can.
INSERT INTO training.cohorts (course_id, institution_id, province_id,
    start_date, end_date, capacity, funding, status)
VALUES (:k_sc, :i_ulsa, :g22, '2026-01-05', '2026-01-30', 5, 'other', 'running')
RETURNING id AS h_old \gset
SELECT is(api.cohort_update(:hrqn, 'test', :h_old, '{"capacity": 6}')::jsonb
	->> 'capacity', '6', 'an older class without a partnership still changes');
SELECT (api.enrolment_create(:hrqn, 'test', :h_old, format('{"person_id": %s,
	"status": "enrolled"}', :q4)::jsonb)::jsonb ->> 'id')::bigint AS e_old \gset
SELECT is(pg_temp.done(:hrqn, :e_old) ->> 'confirmation', 'awaiting',
	'its officer''s completion awaits');
SELECT is(pg_temp.err(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:ulsa, :h_old)), 'RG409 partnership-required',
	'the registrar cannot confirm outside a partnership');
SELECT is(api.cohort_confirm(:admin, 'test', :h_old, '{}')::jsonb ->> 'confirmed',
	'1', 'an administrator can');

-- =====================================================================
-- Degrees: only the institution's registrar or an administrator.

SELECT api.qualification_create(:hrqn, 'test', :q4, format('{"level": "dai_hoc",
	"field": "social_work", "programme_name": "Công tác xã hội",
	"institution_id": %s, "awarded_on": "2010-06-30",
	"diploma_number": "T-ISS-OFF-1"}', :i_ulsa)::jsonb) ->> 'id' AS q_off \gset
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE qualification_id = :q_off), 0,
	'an officer''s record of a diploma issues no credential');
SELECT is(pg_temp.err(format('SELECT lib.credential_issue(NULL, %s)', :q_off)),
	'42501 ', 'and the database refuses to issue one for it');

SELECT api.graduate_create(:ulsa, 'test', '{"full_name": "Đỗ Văn Bốn",
	"citizen_id": "022086000094", "birth_date": "1986-05-05", "sex": "male",
	"programme_code": "7760101", "level": "thac_si", "field": "social_work",
	"graduation_date": "2020-06-30", "diploma_number": "T-ISS-G-1"}') AS g \gset
SELECT (SELECT id::text FROM training.credentials
	 WHERE qualification_id = (:'g'::jsonb ->> 'id')::bigint) AS c_deg \gset
SELECT is(pg_temp.issuer(:'c_deg'), 'urn:ctxh:issuer:ULSA Trường Đại học Lao động – Xã hội '
	|| :i_ulsa, 'the registrar registers a degree in its institution''s name');
SELECT is(pg_temp.revoke(:hrqn, :'c_deg'), 'RG403 not-issuer',
	'the officer keeping the holder''s record cannot revoke the degree');
SELECT is(pg_temp.err(format($$SELECT api.graduate_create(%s, 'test',
	'{"full_name": "Đỗ Văn Bốn", "citizen_id": "022086000094",
	  "birth_date": "1986-05-05", "sex": "male", "programme_code": "7760101",
	  "level": "dai_hoc", "field": "social_work", "graduation_date": "2010-06-30",
	  "diploma_number": "T-ISS-G-2", "institution_id": %s}')$$, :hrqn, :i_ulsa)),
	'RG403 forbidden', 'an officer cannot register a degree');
SELECT is(pg_temp.err(format($$SELECT api.graduate_create(%s, 'test',
	'{"full_name": "Đỗ Văn Bốn", "citizen_id": "022086000094",
	  "birth_date": "1986-05-05", "sex": "male", "programme_code": "7760101",
	  "level": "dai_hoc", "field": "social_work", "graduation_date": "2010-06-30",
	  "diploma_number": "T-ISS-G-2", "institution_id": %s}')$$, :ulsa, :i_tuu)),
	'RG403 out-of-scope', 'nor a registrar in another institution''s name');

-- Imports: the same rules, row by row.
CREATE TEMP TABLE f AS SELECT jsonb_build_object('rows', jsonb_build_array(
	jsonb_build_object('row', 2, 'problems', '[]'::jsonb, 'values',
	    jsonb_build_object('full_name', 'Phan Thị Năm',
		'citizen_id', '001301990095', 'birth_date', '2001-03-04',
		'sex', 'female', 'programme_code', '7760101', 'level', 'dai_hoc',
		'field', 'social_work', 'graduation_date', '2025-06-30',
		'diploma_number', 'T-ISS-I-1'))),
	'file_problems', '[]'::jsonb, 'filename', 'sql.csv') AS p;
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, NULL, true, %L)',
	:hrqn, 'test', (SELECT p FROM f))), 'RG403 forbidden',
	'an officer cannot import graduates');
SELECT is(pg_temp.err(format('SELECT api.graduates_import(%s, %L, %L, true, %L)',
	:ulsa, 'test', 'TUU', (SELECT p FROM f))), 'RG403 out-of-scope',
	'a registrar imports for no other institution');
SELECT api.graduates_import(:admin, 'test', 'TUU', true, (SELECT p FROM f)) AS imp \gset
SELECT is(pg_temp.issuer(:'imp'::jsonb #>> '{rows,0,credential_id}'),
	'urn:ctxh:issuer:TUU ' || (SELECT name FROM org.institutions WHERE id = :i_tuu)
	|| ' ' || :i_tuu, 'an administrator''s import issues for the institution it names');
SELECT is(pg_temp.revoke(:ulsa, :'imp'::jsonb #>> '{rows,0,credential_id}'),
	'RG404 not-found', 'which another institution''s registrar does not even see');
DELETE FROM training.credentials WHERE id = (:'imp'::jsonb #>> '{rows,0,credential_id}')::uuid;
DELETE FROM training.qualifications WHERE diploma_number = 'T-ISS-I-1';
SELECT is((api.graduates_import(:ulsa, 'test', NULL, true, (SELECT p FROM f))::jsonb
	#>> '{rows,0,credential_id}') IS NOT NULL, true, 'ULSA''s registrar imports');
SELECT is((SELECT c.institution_id FROM training.credentials c
	JOIN training.qualifications q ON q.id = c.qualification_id
	WHERE q.diploma_number = 'T-ISS-I-1'), :i_ulsa,
	'in its own name');

SELECT * FROM finish();
ROLLBACK;
