-- Training: the schema's guards (seats held under the cohort's lock,
-- withdrawn enrolments freeing them, one enrolment per person and
-- cohort, capacity never below the seats taken) and the api functions of
-- institutions, partnerships, courses, cohorts and enrolments, called as
-- each demo role; completing an enrolment writes its certificate or
-- degree, the highest qualification and the credential in one
-- transaction, and a correction undoes them.
BEGIN;
SELECT plan(242);

\ir helpers.psql

-- Start from an empty catalogue whatever demo data the database holds
-- (the transaction is rolled back at the end).
DELETE FROM training.credentials;
DELETE FROM training.certificates;
DELETE FROM training.qualifications;
DELETE FROM training.enrolments;
DELETE FROM training.cohorts;
DELETE FROM training.partnerships;
DELETE FROM training.courses;
UPDATE org.institutions SET recognised = false, recognition_decision = NULL,
	recognised_on = NULL;

-- What a statement's refusal says: SQLSTATE, constraint, hint (the
-- problem code), column (the field), datatype (the "existing" link) and
-- detail (the English message); NULL when it is not refused.
CREATE FUNCTION pg_temp.refusal(p_sql text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	c	text;
	h	text;
	f	text;
	l	text;
	d	text;
BEGIN
	EXECUTE p_sql;
	RETURN NULL;
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, c = CONSTRAINT_NAME,
	    h = PG_EXCEPTION_HINT, f = COLUMN_NAME, l = PG_DATATYPE_NAME,
	    d = PG_EXCEPTION_DETAIL;
	RETURN jsonb_build_object('state', st, 'constraint', c, 'hint', h,
	    'field', f, 'link', l, 'detail', d);
END
$$;

-- "SQLSTATE constraint" of a statement the schema refuses, or 'no error'.
CREATE FUNCTION pg_temp.violates(p_sql text) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce((SELECT (r ->> 'state') || ' ' || coalesce(r ->> 'constraint', '')
	    FROM pg_temp.refusal(p_sql) r), 'no error')
$$;

-- "SQLSTATE hint field" of a refusal (the field the problem names).
CREATE FUNCTION pg_temp.errf(p_sql text) RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce((SELECT (r ->> 'state') || ' ' || coalesce(r ->> 'hint', '')
	    || ' ' || coalesce(r ->> 'field', '') FROM pg_temp.refusal(p_sql) r),
	    'no error')
$$;

-- The "existing" link a refusal carries.
CREATE FUNCTION pg_temp.existing(p_sql text) RETURNS text
LANGUAGE sql AS $$ SELECT pg_temp.refusal(p_sql) ->> 'link' $$;

-- The English detail of a refusal.
CREATE FUNCTION pg_temp.detail(p_sql text) RETURNS text
LANGUAGE sql AS $$ SELECT pg_temp.refusal(p_sql) ->> 'detail' $$;

-- A person kept by a province, created through the api as its officer.
CREATE FUNCTION pg_temp.person(p_actor bigint, p_name text, p_cid text)
RETURNS bigint
LANGUAGE sql AS $$
	SELECT (api.person_create(p_actor, 'test', jsonb_build_object(
	    'full_name', p_name, 'citizen_id', p_cid, 'sex', 'male',
	    'birth_date', '19' || substr(p_cid, 5, 2) || '-05-05')) ->> 'id')::bigint
$$;

CREATE FUNCTION pg_temp.ids(p json) RETURNS bigint[]
LANGUAGE sql AS $$
	SELECT coalesce(array_agg((i ->> 'id')::bigint ORDER BY n), '{}')
	  FROM json_array_elements(p -> 'items') WITH ORDINALITY a (i, n)
$$;

CREATE FUNCTION pg_temp.codes(p json) RETURNS text[]
LANGUAGE sql AS $$
	SELECT coalesce(array_agg(i ->> 'code' ORDER BY n), '{}')
	  FROM json_array_elements(p -> 'items') WITH ORDINALITY a (i, n)
$$;

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('hr.quangninh') AS hrqn,
	pg_temp.uid('hr.dongthap') AS hrdt, pg_temp.uid('bcd.quangninh') AS bcdqn,
	pg_temp.uid('bcd.national') AS bcdnat, pg_temp.uid('ulsa') AS ulsa \gset
SELECT id AS i_ulsa FROM org.institutions WHERE code = 'ULSA' \gset
SELECT id AS i_dtcc FROM org.institutions WHERE code = 'DTCC' \gset
SELECT id AS i_tuu FROM org.institutions WHERE code = 'TUU' \gset
-- A registrar of the Đồng Tháp community college.
INSERT INTO auth.users (login, display_name, role, institution_id, password_hash)
VALUES ('test.dtcc', 'Phòng Đào tạo DTCC', 'registrar', :i_dtcc, 'x');
SELECT pg_temp.uid('test.dtcc') AS dtcc \gset

-- Communes of Đồng Tháp (82) and Quảng Ninh (22) with no demo staff.
SELECT c.code AS c82a FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
 WHERE p.code = '82' AND p.valid_to IS NULL AND c.valid_to IS NULL
 ORDER BY c.code OFFSET 95 LIMIT 1 \gset
SELECT c.code AS c82b FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
 WHERE p.code = '82' AND p.valid_to IS NULL AND c.valid_to IS NULL
 ORDER BY c.code OFFSET 96 LIMIT 1 \gset
SELECT c.code AS c22 FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
 WHERE p.code = '22' AND p.valid_to IS NULL AND c.valid_to IS NULL
 ORDER BY c.code OFFSET 5 LIMIT 1 \gset

-- =====================================================================
-- Schema: seats, uniqueness, capacity.

INSERT INTO training.courses (code, name, kind, topic, hours)
VALUES ('T-SCHEMA', 'Khóa kiểm tra lược đồ', 'short_course', 'other', 8);
SELECT is((SELECT level FROM training.courses WHERE code = 'T-SCHEMA'), NULL,
	'a short course is stored with no level (0005 lets NULL through)');
SELECT is(pg_temp.violates($$INSERT INTO training.courses (code, name, kind,
	level, field, hours) VALUES ('T-BAD', 'Sai', 'degree', 'cu_nhan',
	'social_work', 10)$$), '23514 courses_level_check',
	'a level outside the framework is refused');
INSERT INTO training.cohorts (course_id, institution_id, province_id,
    start_date, end_date, capacity, funding, status)
SELECT c.id, NULL::integer, p.id, '2025-09-01', '2025-12-31', 2, 'other', 'running'
  FROM training.courses c, geo.units p
 WHERE c.code = 'T-SCHEMA' AND p.level = 'province' AND p.code = '82'
   AND p.valid_to IS NULL
RETURNING id AS sc1 \gset
INSERT INTO training.cohorts (course_id, institution_id, province_id,
    start_date, end_date, capacity, funding, status)
SELECT course_id, institution_id, province_id, start_date, end_date, 1,
    funding, status FROM training.cohorts WHERE id = :sc1
RETURNING id AS sc2 \gset
INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, province_id)
SELECT v.n, v.cid, 'male', v.born::date, p.id
  FROM (VALUES ('Schema Một', '087080000001', '1980-01-01'),
	('Schema Hai', '087080000002', '1980-01-01'),
	('Schema Ba', '087080000003', '1980-01-01'),
	('Schema Bốn', '087080000004', '1980-01-01')) v (n, cid, born),
    geo.units p WHERE p.level = 'province' AND p.code = '82' AND p.valid_to IS NULL;
SELECT id AS s1 FROM hr.people WHERE citizen_id = '087080000001' \gset
SELECT id AS s2 FROM hr.people WHERE citizen_id = '087080000002' \gset
SELECT id AS s3 FROM hr.people WHERE citizen_id = '087080000003' \gset
SELECT id AS s4 FROM hr.people WHERE citizen_id = '087080000004' \gset
INSERT INTO training.enrolments (cohort_id, person_id) VALUES (:sc1, :s1), (:sc1, :s2);
SELECT is(pg_temp.violates(format($$INSERT INTO training.enrolments
	(cohort_id, person_id) VALUES (%s, %s)$$, :sc1, :s3)),
	'23514 enrolments_capacity', 'a third enrolment in a cohort of 2 is refused');
SELECT is(pg_temp.violates(format($$INSERT INTO training.enrolments
	(cohort_id, person_id, status) VALUES (%s, %s, 'withdrawn')$$, :sc1, :s4)),
	'no error', 'a withdrawn enrolment takes no seat, so it fits a full cohort');
SELECT is(pg_temp.violates(format($$INSERT INTO training.enrolments
	(cohort_id, person_id, status) VALUES (%s, %s, 'withdrawn')$$, :sc1, :s1)),
	'23505 enrolments_cohort_id_person_id_key',
	'a person is enrolled in a cohort only once');
UPDATE training.enrolments SET status = 'withdrawn'
 WHERE cohort_id = :sc1 AND person_id = :s2;
SELECT is(pg_temp.violates(format($$INSERT INTO training.enrolments
	(cohort_id, person_id) VALUES (%s, %s)$$, :sc1, :s3)),
	'no error', 'withdrawing frees a seat for someone else');
SELECT is(pg_temp.violates(format($$UPDATE training.enrolments
	SET status = 'enrolled' WHERE cohort_id = %s AND person_id = %s$$,
	:sc1, :s2)), '23514 enrolments_capacity',
	're-activating a withdrawn enrolment in a full cohort is refused');
SELECT is(pg_temp.violates(format($$UPDATE training.enrolments
	SET status = 'enrolled', hours_attended = 4 WHERE cohort_id = %s
	AND person_id = %s$$, :sc1, :s1)), 'no error',
	'an enrolment holding its seat may change');
INSERT INTO training.enrolments (cohort_id, person_id) VALUES (:sc2, :s4);
SELECT is(pg_temp.violates(format($$UPDATE training.enrolments
	SET cohort_id = %s WHERE cohort_id = %s AND person_id = %s$$,
	:sc2, :sc1, :s1)), '23514 enrolments_capacity',
	'moving an enrolment into a full cohort is refused');
SELECT is(pg_temp.violates(format($$UPDATE training.cohorts SET capacity = 1
	WHERE id = %s$$, :sc1)), '23514 cohorts_capacity',
	'lowering capacity below the seats taken is refused');
SELECT is(pg_temp.violates(format($$UPDATE training.cohorts SET capacity = 2
	WHERE id = %s$$, :sc1)), 'no error',
	'capacity may come down to exactly the seats taken');
SELECT is(pg_temp.violates(format($$UPDATE training.enrolments
	SET status = 'completed' WHERE cohort_id = %s AND person_id = %s$$,
	:sc1, :s1)), '23514 enrolments_check',
	'a completion needs its date');
SELECT is(pg_temp.violates(format($$INSERT INTO training.partnerships
	(institution_id, province_id, partner_institution_id, agreement_number,
	 signed_on, valid_from) SELECT %s, p.id, %s, 'X-1', '2024-01-01',
	 '2024-01-01' FROM geo.units p WHERE p.code = '82' AND p.level = 'province'
	 AND p.valid_to IS NULL$$, :i_ulsa, :i_dtcc)), '23514 partnerships_check',
	'a partnership has one partner, a province or an institution');
DELETE FROM training.enrolments WHERE cohort_id IN (:sc1, :sc2);
DELETE FROM training.cohorts WHERE id IN (:sc1, :sc2);
DELETE FROM training.courses WHERE code = 'T-SCHEMA';

-- =====================================================================
-- Institutions.

SELECT is(pg_temp.codes(api.institutions_list(:admin, NULL, NULL,
	'lao dong')), ARRAY['ULSA'],
	'?q= finds an institution ignoring diacritics');
SELECT is(pg_temp.codes(api.institutions_list(:admin, NULL, NULL,
	p_kind => 'college')), ARRAY['DTCC'], '?kind=college lists the college');
SELECT is(pg_temp.codes(api.institutions_list(:admin, NULL, NULL,
	p_province => '82')), ARRAY['DTCC'], '?province=82 lists Đồng Tháp''s');
SELECT is(pg_temp.codes(api.institutions_list(:ulsa, NULL, NULL)),
	ARRAY['ULSA'], 'a registrar lists its own institution only');
SELECT is(pg_temp.errf(format($$SELECT api.institutions_list(%s, NULL, NULL,
	p_province => '82')$$, :hrqn)), 'RG403 out-of-scope province',
	'an officer asking for another province''s institutions is 403');
SELECT is(pg_temp.errf(format($$SELECT api.institutions_list(%s, NULL, NULL,
	p_kind => 'castle')$$, :admin)),
	'RG400 invalid-parameter kind', 'an unknown kind filter is 400');

SELECT api.institution_create(:admin, 'test', '{"code": "UNICEF-VN",
	"name": "Quỹ Nhi đồng Liên Hợp Quốc tại Việt Nam", "kind": "international",
	"contact_email": "Hanoi@Unicef.org", "website": "https://www.unicef.org/vietnam"}')
	AS inst_json \gset
SELECT (:'inst_json'::jsonb ->> 'id')::integer AS i_new \gset
SELECT is(:'inst_json'::jsonb ->> 'kind', 'international',
	'an admin registers an international body');
SELECT is(:'inst_json'::jsonb -> 'province', 'null'::jsonb,
	'an international body may have no province');
SELECT is(:'inst_json'::jsonb ->> 'contact_email', 'hanoi@unicef.org',
	'the contact email is stored in lower case');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'institution.create'
	AND entity_id = :'i_new'), 1, 'registering an institution is audited');
SELECT is(pg_temp.existing(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "ULSA", "name": "Trùng mã", "kind": "university"}')$$, :admin)),
	'/api/v1/institutions/' || :i_ulsa,
	'a taken code is 409 pointing at the institution that has it');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "NEW-1", "name": "Trường mới", "kind": "college",
	  "recognised": true, "recognised_on": "2020-01-01"}')$$, :admin)),
	'RG422 required recognition_decision',
	'a recognition needs its decision');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "NEW-1", "name": "Trường mới", "kind": "college",
	  "recognised": "yes"}')$$, :admin)), 'RG422 invalid-type recognised',
	'recognised is a boolean');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "new one", "name": "Trường mới", "kind": "college"}')$$, :admin)),
	'RG422 invalid-institution-code code', 'a code is capitals, digits and hyphens');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "NEW-1", "name": "Trường mới", "kind": "college",
	  "contact_email": "không"}')$$, :admin)), 'RG422 invalid-email contact_email',
	'a bad contact email is 422 naming it');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "NEW-1", "name": "Trường mới", "kind": "college",
	  "province_code": "77"}')$$, :admin)), 'RG422 unknown-province province_code',
	'a province abolished by the reform is 422');
SELECT is(pg_temp.errf(format($$SELECT api.institution_create(%s, 'test',
	'{"code": "NEW-1", "name": "Trường mới", "kind": "college"}')$$, :hrdt)),
	'RG403 forbidden ', 'an officer cannot register institutions');
SELECT is(api.institution_update(:admin, 'test', :i_ulsa, '{"recognised": true,
	"recognition_decision": "123/QĐ-LĐTBXH", "recognised_on": "2012-05-10"}')::jsonb
	->> 'recognised', 'true', 'an admin records a recognition');
SELECT is(pg_temp.codes(api.institutions_list(:admin, NULL, NULL,
	p_recognised => true)), ARRAY['ULSA'], '?recognised=true lists the recognised');
SELECT is(api.institution_update(:ulsa, 'test', :i_ulsa,
	'{"contact_name": "Phòng Đào tạo (thử)", "contact_phone": "024 3556 6176"}')::jsonb
	->> 'contact_phone', '02435566176', 'a registrar updates its own contact');
SELECT is((SELECT after FROM audit.log WHERE action = 'institution.update'
	AND entity_id = :'i_ulsa' ORDER BY id DESC LIMIT 1),
	'{"contact_name": "Phòng Đào tạo (thử)", "contact_phone": "02435566176"}'::jsonb,
	'the update is audited with the changed fields only');
SELECT is(pg_temp.errf(format($$SELECT api.institution_update(%s, 'test', %s,
	'{"contact_name": "X Y", "name": "Đổi tên"}')$$, :ulsa, :i_ulsa)),
	'RG403 forbidden-field name', 'a registrar cannot rename its institution');
SELECT is(pg_temp.errf(format($$SELECT api.institution_update(%s, 'test', %s,
	'{"contact_name": "X Y"}')$$, :ulsa, :i_dtcc)), 'RG404 not-found ',
	'a registrar cannot see another institution');
SELECT is(pg_temp.errf(format($$SELECT api.institution_update(%s, 'test', %s,
	'{"contact_name": "X Y"}')$$, :hrdt, :i_dtcc)), 'RG403 forbidden ',
	'an officer cannot change an institution');
SELECT is(pg_temp.errf(format($$SELECT api.institution_update(%s, 'test', %s,
	'{"recognised": true}')$$, :admin, :i_tuu)),
	'RG422 required recognition_decision',
	'recognising without the decision is 422');
SELECT is((SELECT recognised FROM org.institutions WHERE id = :i_tuu), false,
	'and changes nothing');

-- =====================================================================
-- Courses.

SELECT api.course_create(:admin, 'test', '{"code": "7760101-TC", "name":
	"Trung cấp Công tác xã hội (vừa làm vừa học)", "kind": "degree",
	"level": "trung_cap", "field": "social_work", "hours": 1800,
	"counts_as_sw_training": true}') AS k_tc_json \gset
SELECT (:'k_tc_json'::jsonb ->> 'id')::integer AS k_tc \gset
SELECT is(:'k_tc_json'::jsonb ->> 'level', 'trung_cap', 'an admin adds a degree course');
SELECT (api.course_create(:admin, 'test', '{"code": "7760101", "name":
	"Cử nhân Công tác xã hội", "kind": "degree", "level": "dai_hoc",
	"field": "social_work", "programme_code": "7760101", "hours": 3000,
	"counts_as_sw_training": true}')::jsonb ->> 'id')::integer AS k_bach \gset
SELECT api.course_create(:hrdt, 'test', '{"code": "bd-qlth", "name":
	"Quản lý trường hợp", "kind": "short_course", "topic": "case_management",
	"hours": 40, "counts_as_sw_training": true}') AS k_qlth_json \gset
SELECT (:'k_qlth_json'::jsonb ->> 'id')::integer AS k_qlth \gset
SELECT is(:'k_qlth_json'::jsonb ->> 'code', 'BD-QLTH',
	'an officer adds a short course; the code is upper-cased');
SELECT (api.course_create(:admin, 'test', '{"code": "BD-V090402", "name":
	"Bồi dưỡng chức danh Công tác xã hội viên", "kind": "title_training",
	"title_code": "V.09.04.02", "hours": 200, "counts_as_sw_training": true}')::jsonb
	->> 'id')::integer AS k_title \gset
SELECT (api.course_create(:admin, 'test', '{"code": "TH-KNM", "name":
	"Tập huấn kỹ năng mềm", "kind": "short_course", "topic": "other",
	"hours": 16}')::jsonb ->> 'id')::integer AS k_soft \gset
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "degree", "field": "social_work",
	  "hours": 10}')$$, :admin)), 'RG422 required level',
	'a degree without a level is 422 naming level');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "topic": "other",
	  "level": "dai_hoc", "hours": 10}')$$, :admin)), 'RG422 not-for-kind level',
	'a short course with a level is 422');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "hours": 10}')$$,
	:admin)), 'RG422 required topic', 'a short course needs a topic');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "degree", "level": "dai_hoc",
	  "field": "social_work", "programme_code": "77601", "hours": 10}')$$,
	:admin)), 'RG422 invalid-programme-code programme_code',
	'a programme code has 7 digits');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "topic": "other",
	  "hours": 0}')$$, :admin)), 'RG422 out-of-range hours',
	'hours start at 1');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "topic": "other",
	  "hours": "40"}')$$, :admin)), 'RG422 invalid-number hours',
	'hours is a JSON number');
SELECT is(pg_temp.existing(format($$SELECT api.course_create(%s, 'test',
	'{"code": "bd-qlth", "name": "Trùng", "kind": "short_course",
	  "topic": "other", "hours": 8}')$$, :admin)), '/api/v1/courses/' || :k_qlth,
	'a taken course code is 409 pointing at the course');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "topic": "other",
	  "hours": 8}')$$, :bcdnat)), 'RG403 forbidden ', 'steering cannot add courses');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X1", "name": "Khóa X", "kind": "short_course", "topic": "other",
	  "hours": 8}')$$, :ulsa)), 'RG403 forbidden ', 'a registrar cannot add courses');
SELECT is(api.course_get(:ulsa, :k_qlth)::jsonb ->> 'name', 'Quản lý trường hợp',
	'every signed-in role reads the catalogue');
SELECT is(pg_temp.ids(api.courses_list(:bcdqn, 'degree', NULL, NULL, NULL, NULL,
	NULL)), ARRAY[:k_bach, :k_tc]::bigint[],
	'?kind=degree lists the degrees by name');
SELECT is(pg_temp.ids(api.courses_list(:hrqn, NULL, 'dai_hoc', NULL, NULL,
	NULL, NULL)), ARRAY[:k_bach]::bigint[], '?level=dai_hoc');
SELECT is(pg_temp.ids(api.courses_list(:hrqn, NULL, NULL, 'case_management',
	NULL, NULL, NULL)), ARRAY[:k_qlth]::bigint[], '?topic=case_management');
SELECT is(pg_temp.ids(api.courses_list(:hrqn, NULL, NULL, NULL, 'quan ly truong',
	NULL, NULL)), ARRAY[:k_qlth]::bigint[], '?q= ignores diacritics');
SELECT is(pg_temp.ids(api.courses_list(:hrqn, NULL, NULL, NULL, '7760101',
	NULL, NULL)), ARRAY[:k_bach]::bigint[], '?q= finds a programme code');
-- Issue 12 item 9: the national catalogue is the administrators'; a
-- province's own courses are its officers' (the old code let any officer
-- edit any course, which others' cohorts and credentials use).
SELECT is(pg_temp.errf(format($$SELECT api.course_update(%s, 'test', %s,
	'{"active": false}')$$, :hrqn, :k_soft)), 'RG403 national-course ',
	'an officer cannot retire a national course');
SELECT is(pg_temp.errf(format($$SELECT api.course_update(%s, 'test', %s,
	'{"hours": 400, "counts_as_sw_training": false}')$$, :hrdt, :k_tc)),
	'RG403 national-course ', 'nor change a national degree''s hours');
SELECT is(api.course_update(:admin, 'test', :k_soft, '{"active": false}')::jsonb
	->> 'active', 'false', 'an admin retires a national course');
SELECT is(:'k_qlth_json'::jsonb ->> 'province_code', '82',
	'an officer''s course belongs to its province');
SELECT is(api.course_get(:hrqn, :k_tc)::jsonb -> 'province_code', 'null'::jsonb,
	'an admin''s course is national');
SELECT is(api.course_update(:hrdt, 'test', :k_qlth, '{"hours": 48}')::jsonb
	->> 'hours', '48', 'the province edits its own course');
SELECT is(pg_temp.errf(format($$SELECT api.course_update(%s, 'test', %s,
	'{"hours": 4}')$$, :hrqn, :k_qlth)), 'RG403 out-of-scope ',
	'another province''s officer cannot');
SELECT is(pg_temp.errf(format($$SELECT api.course_create(%s, 'test',
	'{"code": "X2", "name": "Cử nhân giả", "kind": "degree", "level": "dai_hoc",
	  "field": "social_work", "hours": 10}')$$, :hrqn)), 'RG403 degree-national kind',
	'an officer cannot add a degree programme');
SELECT is(pg_temp.errf(format($$SELECT api.course_update(%s, 'test', %s,
	'{"kind": "degree", "level": "dai_hoc", "field": "social_work", "topic": null}')$$,
	:hrdt, :k_qlth)), 'RG403 degree-national kind',
	'nor turn its own course into one');
SELECT api.course_update(:hrdt, 'test', :k_qlth, '{"hours": 40}');

-- =====================================================================
-- Partnerships.

SELECT api.partnership_create(:hrdt, 'test', format('{"institution_id": %s,
	"province_code": "82", "agreement_number": "15/2019/HĐHT",
	"signed_on": "2019-03-01", "valid_from": "2019-03-01",
	"valid_until": "2024-12-31", "programmes": ["7760101-TC", "BD-QLTH"],
	"seats_per_year": 70}', :i_ulsa)::jsonb) AS pa_json \gset
SELECT (:'pa_json'::jsonb ->> 'id')::integer AS pa82 \gset
SELECT is(:'pa_json'::jsonb ->> 'province_code', '82',
	'the Đồng Tháp officer signs ULSA''s agreement with the province');
SELECT is(:'pa_json'::jsonb -> 'programmes', '["7760101-TC", "BD-QLTH"]'::jsonb,
	'with the programmes it covers');
SELECT (api.partnership_create(:admin, 'test', format('{"institution_id": %s,
	"partner_institution_id": %s, "agreement_number": "02/2019/ULSA-DTCC",
	"signed_on": "2019-02-01", "valid_from": "2019-02-01",
	"programmes": ["7760101"]}', :i_ulsa, :i_dtcc)::jsonb)::jsonb ->> 'id')::integer
	AS pa_ii \gset
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "82", "agreement_number": "A-2",
	  "signed_on": "2020-01-01", "valid_from": "2020-01-01"}')$$, :hrqn, :i_ulsa)),
	'RG403 out-of-scope province_code',
	'hr.quangninh cannot sign for Đồng Tháp');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "82", "agreement_number": "A-2",
	  "signed_on": "2020-01-01", "valid_from": "2020-01-01"}')$$, :bcdnat, :i_ulsa)),
	'RG403 forbidden ', 'steering cannot sign agreements');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "82", "partner_institution_id": %s,
	  "agreement_number": "A-2", "signed_on": "2020-01-01",
	  "valid_from": "2020-01-01"}')$$, :admin, :i_ulsa, :i_dtcc)),
	'RG422 partner-required province_code',
	'naming both a province and a partner institution is 422');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "partner_institution_id": %s,
	  "agreement_number": "A-2", "signed_on": "2020-01-01",
	  "valid_from": "2020-01-01"}')$$, :admin, :i_ulsa, :i_ulsa)),
	'RG422 same-institution partner_institution_id',
	'an institution cannot partner itself');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "82", "agreement_number": "A-2",
	  "signed_on": "2020-01-01", "valid_from": "2020-01-01",
	  "programmes": ["NO-SUCH"]}')$$, :admin, :i_ulsa)),
	'RG422 unknown-course programmes', 'a programme must be in the catalogue');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "82", "agreement_number": "A-2",
	  "signed_on": "2020-01-01", "valid_from": "2020-01-01",
	  "valid_until": "2019-12-31"}')$$, :admin, :i_ulsa)),
	'RG422 end-before-start valid_until', 'the validity cannot end before it starts');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": 999999, "province_code": "82", "agreement_number": "A-2",
	  "signed_on": "2020-01-01", "valid_from": "2020-01-01"}')$$, :admin)),
	'RG422 unknown-institution institution_id', 'an unknown institution is 422');
SELECT is(pg_temp.existing(format($$SELECT api.partnership_create(%s, 'test',
	'{"institution_id": %s, "province_code": "22",
	  "agreement_number": "15/2019/HĐHT", "signed_on": "2020-01-01",
	  "valid_from": "2020-01-01"}')$$, :admin, :i_ulsa)),
	'/api/v1/partnerships/' || :pa82,
	'an institution''s agreement number is used once: 409 with a link');
SELECT is(pg_temp.ids(api.partnerships_list(:ulsa, NULL, NULL, NULL, NULL, NULL)),
	ARRAY[:pa82, :pa_ii]::bigint[], 'ULSA''s registrar sees both its agreements');
SELECT is(pg_temp.ids(api.partnerships_list(:dtcc, NULL, NULL, NULL, NULL, NULL)),
	ARRAY[:pa_ii]::bigint[], 'DTCC''s registrar sees only the one it is party to');
SELECT is(pg_temp.ids(api.partnerships_list(:hrdt, NULL, NULL, NULL, NULL, NULL)),
	ARRAY[:pa82, :pa_ii]::bigint[],
	'hr.dongthap sees both (the partner institution is in Đồng Tháp)');
SELECT is(pg_temp.ids(api.partnerships_list(:hrqn, NULL, NULL, NULL, NULL, NULL)),
	'{}'::bigint[], 'hr.quangninh sees none');
SELECT is(pg_temp.ids(api.partnerships_list(:admin, '82', :i_dtcc, NULL, NULL,
	NULL)), ARRAY[:pa_ii]::bigint[], 'filters: province and institution');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_get(%s, %s)$$, :bcdqn,
	:pa82)), 'RG404 not-found ', 'another province''s steering gets 404');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_get(%s, %s)$$, :dtcc,
	:pa82)), 'RG404 not-found ',
	'a registrar of an institution not party to it gets 404');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_update(%s, 'test', %s,
	'{"status": "ended"}')$$, :ulsa, :pa82)), 'RG403 forbidden ',
	'a registrar cannot change an agreement');
SELECT is(api.partnership_update(:hrdt, 'test', :pa82, '{"status": "suspended"}')::jsonb
	->> 'status', 'suspended', 'the province''s officer changes its agreement');
SELECT is((SELECT after FROM audit.log WHERE action = 'partnership.update'
	AND entity_id = :'pa82' ORDER BY id DESC LIMIT 1),
	'{"status": "suspended"}'::jsonb, 'audited with the change');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_update(%s, 'test', %s,
	'{"province_code": "22"}')$$, :hrdt, :pa82)),
	'RG403 out-of-scope province_code',
	'an officer cannot hand its agreement to another province');
\o /dev/null
SELECT api.partnership_update(:hrdt, 'test', :pa82, '{"status": "active"}');
\o

-- =====================================================================
-- Cohorts.

SELECT api.cohort_create(:hrdt, 'test', format('{"course_id": %s,
	"institution_id": %s, "province_code": "82", "partnership_id": %s,
	"name": "Lớp Trung cấp CTXH Đồng Tháp", "start_date": "2019-09-01",
	"end_date": "2021-08-31", "capacity": 4, "modality": "part_time",
	"funding": "provincial_budget"}', :k_tc, :i_ulsa, :pa82)::jsonb) AS h_json \gset
SELECT (:'h_json'::jsonb ->> 'id')::integer AS h1 \gset
SELECT is(:'h_json'::jsonb ->> 'status', 'planned', 'a cohort starts planned');
SELECT is(:'h_json'::jsonb -> 'enrolments', '{"planned": 0, "enrolled": 0,
	"completed": 0, "failed": 0, "withdrawn": 0, "total": 0}'::jsonb,
	'with its enrolment counts');
SELECT is((:'h_json'::jsonb ->> 'seats_free')::integer, 4, 'and its seats free');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "22",
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrdt, :k_qlth, :i_ulsa)),
	'RG403 out-of-scope province_code',
	'an officer cannot host a cohort in another province');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :ulsa, :k_qlth, :i_ulsa)), 'RG403 forbidden ',
	'a registrar cannot create cohorts');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-01-01", "end_date": "2025-02-01",
	  "capacity": 5, "funding": "other"}')$$, :hrdt, :k_qlth, :i_tuu, :pa82)),
	'RG422 partnership-mismatch partnership_id',
	'a partnership the teaching institution is not party to is 422');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-02-01", "end_date": "2025-01-01", "capacity": 5,
	  "funding": "other"}')$$, :hrdt, :k_qlth, :i_ulsa, :pa82)),
	'RG422 end-before-start end_date', 'a cohort cannot end before it starts');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 0,
	  "funding": "other"}')$$, :hrdt, :k_qlth, :i_ulsa, :pa82)),
	'RG422 out-of-range capacity', 'capacity is at least 1');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-01-01", "end_date": "2025-02-01",
	  "capacity": 5, "funding": "other", "status": "completed"}')$$, :hrdt, :k_qlth, :i_ulsa, :pa82)),
	'RG422 invalid-initial-status status', 'a cohort is not born completed');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-01-01", "end_date": "2025-02-01",
	  "capacity": 5, "funding": "other"}')$$, :hrdt, :k_soft, :i_ulsa, :pa82)),
	'RG422 course-inactive course_id', 'a retired course gets no new cohort');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": 999999, "institution_id": %s, "province_code": "82",
	  "partnership_id": %s, "start_date": "2025-01-01", "end_date": "2025-02-01",
	  "capacity": 5, "funding": "other"}')$$, :hrdt, :i_ulsa, :pa82)), 'RG422 unknown-course course_id',
	'an unknown course is 422');
SELECT is(api.cohort_get(:ulsa, :h1)::jsonb ->> 'name', 'Lớp Trung cấp CTXH Đồng Tháp',
	'the teaching institution''s registrar reads the cohort');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_get(%s, %s)$$, :dtcc, :h1)),
	'RG404 not-found ', 'another registrar gets 404');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_get(%s, %s)$$, :hrqn, :h1)),
	'RG404 not-found ', 'another province''s officer gets 404');
SELECT is(api.cohort_get(:bcdnat, :h1)::jsonb ->> 'province_code', '82',
	'national steering reads it');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"name": "Đổi"}')$$, :bcdnat, :h1)), 'RG403 forbidden ',
	'steering cannot change a cohort');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "running"}')$$, :hrdt, :h1)), 'RG409 invalid-transition status',
	'planned cannot jump to running');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "completed"}')$$, :hrdt, :h1)), 'RG409 invalid-transition status',
	'nor to completed');
SELECT is(api.cohort_update(:hrdt, 'test', :h1, '{"status": "open"}')::jsonb
	->> 'status', 'open', 'planned → open');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "planned"}')$$, :hrdt, :h1)), 'RG409 invalid-transition status',
	'and never back');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "paused"}')$$, :hrdt, :h1)), 'RG422 invalid-code status',
	'an unknown status is 422');

-- A short course in Đồng Tháp, for bulk enrolments.
SELECT (api.cohort_create(:hrdt, 'test', format('{"course_id": %s,
	"institution_id": %s, "province_code": "82", "partnership_id": %s,
	"start_date": "2025-03-01", "end_date": "2025-03-10", "capacity": 3,
	"funding": "national_programme", "status": "open"}', :k_qlth, :i_ulsa,
	:pa_ii)::jsonb)::jsonb ->> 'id')::integer AS h2 \gset
-- A title-training cohort hosted by Quảng Ninh, taught by TUU under its
-- agreement with the province.
SELECT (api.partnership_create(:admin, 'test', format('{"institution_id": %s,
	"province_code": "22", "agreement_number": "03/2024/TUU-QN",
	"signed_on": "2024-01-01", "valid_from": "2024-01-01"}', :i_tuu)::jsonb)::jsonb
	->> 'id')::integer AS pa22 \gset
SELECT (api.cohort_create(:admin, 'test', format('{"course_id": %s,
	"partnership_id": %s, "province_code": "22", "start_date": "2025-04-01",
	"end_date": "2025-05-30", "capacity": 30, "funding": "provincial_budget",
	"status": "running"}', :k_title, :pa22)::jsonb)::jsonb ->> 'id')::integer AS h22 \gset

SELECT is(pg_temp.ids(api.cohorts_list(:hrdt, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL)), ARRAY[:h1, :h2]::bigint[],
	'hr.dongthap lists its province''s cohorts by start date');
SELECT is(pg_temp.ids(api.cohorts_list(:ulsa, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL)), ARRAY[:h1, :h2]::bigint[],
	'ULSA lists the cohorts it teaches');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, '22', NULL, NULL, NULL, NULL,
	NULL, NULL, NULL)), ARRAY[:h22]::bigint[], '?province=22');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, :k_qlth, NULL, NULL, NULL,
	NULL, NULL, NULL)), ARRAY[:h2]::bigint[], '?course=');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, NULL, :i_tuu, NULL, NULL,
	NULL, NULL, NULL)), ARRAY[:h22]::bigint[], '?institution=');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, NULL, NULL, 'open', NULL,
	NULL, NULL, NULL)), ARRAY[:h1, :h2]::bigint[], '?status=open');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, NULL, NULL, NULL,
	'2025-03-05', '2025-04-15', NULL, NULL)), ARRAY[:h2, :h22]::bigint[],
	'?from=&to= keeps the cohorts overlapping the period');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL, 1)), ARRAY[:h1]::bigint[], 'limit=1 gives the first page');
SELECT is(pg_temp.ids(api.cohorts_list(:admin, NULL, NULL, NULL, NULL, NULL,
	NULL, api.cohorts_list(:admin, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1)
	->> 'next_cursor', 1)), ARRAY[:h2]::bigint[], 'and its cursor the next');
SELECT is(pg_temp.errf(format($$SELECT api.cohorts_list(%s, '82', NULL, NULL,
	NULL, NULL, NULL, NULL, NULL)$$, :bcdqn)), 'RG403 out-of-scope province',
	'provincial steering asking for another province is 403');

-- Issue 12 items 2 and 9: a cohort names a teaching institution only
-- through an active partnership the actor sees, of the cohort's province
-- (the old code took any institution_id, and any partnership id, saying
-- whether it existed).
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "institution_id": %s, "province_code": "22",
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrqn, :k_bach, :i_ulsa)),
	'RG422 partnership-required partnership_id',
	'an officer cannot name a university as teacher without a partnership');
SELECT is(pg_temp.refusal(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "partnership_id": %s,
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrqn, :k_soft, :pa82)),
	pg_temp.refusal(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "partnership_id": 999999,
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrqn, :k_soft)),
	'another province''s partnership is refused exactly as a missing one');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "partnership_id": %s,
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrqn, :k_title, :pa82)),
	'RG422 unknown-partnership partnership_id', 'which is 422 unknown-partnership');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "partnership_id": %s,
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :admin, :k_title, :pa82)),
	'RG422 unknown-partnership partnership_id',
	'even an admin cannot attach a cohort to another province''s partnership');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "82", "start_date": "2025-01-01",
	  "end_date": "2025-02-01", "capacity": 5, "funding": "other"}')$$,
	:hrdt, :k_tc)), 'RG422 institution-required institution_id',
	'a degree cohort needs a teaching institution');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "start_date": "2025-01-01",
	  "end_date": "2025-02-01", "capacity": 5, "funding": "other"}')$$,
	:hrqn, :k_qlth)), 'RG422 course-of-another-province course_id',
	'a cohort cannot use another province''s own course');
SELECT api.partnership_update(:admin, 'test', :pa22, '{"status": "suspended"}') \g /dev/null
SELECT is(pg_temp.errf(format($$SELECT api.cohort_create(%s, 'test',
	'{"course_id": %s, "province_code": "22", "partnership_id": %s,
	  "start_date": "2025-01-01", "end_date": "2025-02-01", "capacity": 5,
	  "funding": "other"}')$$, :hrqn, :k_title, :pa22)),
	'RG422 partnership-inactive partnership_id',
	'a suspended partnership teaches no new cohort');
SELECT is(api.cohort_update(:admin, 'test', :h22, '{"capacity": 31}')::jsonb
	->> 'capacity', '31', 'its cohorts still change otherwise');
SELECT api.partnership_update(:admin, 'test', :pa22, '{"status": "active"}') \g /dev/null
SELECT is(api.cohort_get(:admin, :h22)::jsonb #>> '{institution,code}', 'TUU',
	'a partnership alone names its institution as teacher');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_update(%s, 'test', %s,
	'{"province_code": "82"}')$$, :admin, :pa22)),
	'RG409 partnership-in-use province_code',
	'an agreement with cohorts is not moved to another province');
SELECT is(pg_temp.errf(format($$SELECT api.partnership_update(%s, 'test', %s,
	'{"institution_id": %s}')$$, :admin, :pa22, :i_ulsa)),
	'RG409 partnership-in-use institution_id', 'nor given to another institution');
SELECT is((api.cohort_create(:hrqn, 'test', format('{"course_id": %s,
	"province_code": "22", "start_date": "2025-01-01", "end_date": "2025-02-01",
	"capacity": 5, "funding": "other"}', :k_title)::jsonb)::jsonb -> 'institution'),
	'null'::jsonb, 'a cohort with no institution is the department''s own');

-- =====================================================================
-- Enrolments: one at a time.

SELECT pg_temp.person(:hrdt, 'Nguyễn Văn Một', '087085000011') AS p1,
	pg_temp.person(:hrdt, 'Trần Thị Hai', '087085000012') AS p2,
	pg_temp.person(:hrdt, 'Lê Văn Ba', '087085000013') AS p3,
	pg_temp.person(:hrdt, 'Phạm Văn Bốn', '087085000014') AS p4,
	pg_temp.person(:hrdt, 'Hồ Văn Năm', '087085000015') AS p5,
	pg_temp.person(:hrqn, 'Vũ Văn Sáu', '022085000016') AS q6 \gset

SELECT api.enrolment_create(:hrdt, 'test', :h1, format('{"person_id": %s}', :p1)::jsonb)
	AS e1_json \gset
SELECT (:'e1_json'::jsonb ->> 'id')::bigint AS e1 \gset
SELECT is(:'e1_json'::jsonb ->> 'status', 'planned', 'an enrolment starts planned');
SELECT is(:'e1_json'::jsonb ->> 'citizen_id', '•••••••••011',
	'and shows the person with a masked ID');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'enrolment.create'
	AND entity_id = :'e1'), 1, 'enrolling is audited');
SELECT (api.enrolment_create(:hrdt, 'test', :h1, format('{"person_id": %s,
	"status": "enrolled"}', :p2)::jsonb)::jsonb ->> 'id')::bigint AS e2 \gset
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h1, :p1)), 'RG409 already-enrolled person_id',
	'a second enrolment of the same person is 409');
SELECT is(pg_temp.existing(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h1, :p1)), '/api/v1/enrolments/' || :e1,
	'pointing at the first');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h1, :q6)), 'RG422 unknown-person person_id',
	'an officer cannot enrol a person another province keeps');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrqn, :h1, :q6)), 'RG404 not-found ',
	'nor into another province''s cohort');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s, "status": "completed"}')$$, :hrdt, :h1, :p3)),
	'RG422 invalid-code status', 'a new enrolment is planned or enrolled');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": "%s"}')$$, :hrdt, :h1, :p3)), 'RG422 invalid-number person_id',
	'person_id is a number');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :ulsa, :h1, :p3)), 'RG403 forbidden ',
	'a registrar cannot enrol');
SELECT is((api.enrolment_create(:admin, 'test', :h1, format('{"person_id": %s}',
	:q6)::jsonb)::jsonb ->> 'person_id')::bigint, :'q6'::bigint,
	'an admin enrols anyone');
SELECT (api.enrolment_create(:hrdt, 'test', :h1, format('{"person_id": %s}',
	:p3)::jsonb)::jsonb ->> 'id')::bigint AS e3 \gset
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h1, :p4)), 'RG409 cohort-full person_id',
	'the fifth person in a cohort of 4 is 409 cohort-full');
SELECT is(pg_temp.detail(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h1, :p4)),
	'The cohort is full: 0 seats free (capacity 4), 1 needed.',
	'saying how many seats are free');
SELECT is((SELECT count(*)::integer FROM training.enrolments WHERE cohort_id = :h1),
	4, 'and nothing was written');
SELECT is(pg_temp.errf(format($$SELECT lib.enrolment_insert(jsonb_populate_record(h,
	'{"capacity": 99}'), %s, 'planned', 'person_id') FROM training.cohorts h
	WHERE h.id = %s$$, :p5, :h1)), 'RG409 cohort-full person_id',
	'a seat taken between the check and the insert (a stale cohort row): the trigger''s refusal is still 409 cohort-full');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"capacity": 3}')$$, :hrdt, :h1)),
	'RG409 capacity-below-enrolments capacity',
	'capacity cannot drop below the seats taken');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"course_id": %s}')$$, :hrdt, :h1, :k_bach)), 'RG409 cohort-in-use course_id',
	'a cohort with enrolments keeps its course');
SELECT is(pg_temp.errf(format($$SELECT api.course_update(%s, 'test', %s,
	'{"kind": "short_course", "level": null, "field": null, "topic": "other"}')$$,
	:admin, :k_tc)), 'RG409 course-in-use kind',
	'a course with cohorts keeps its kind');

-- Withdrawals and their seats, by the api.
SELECT is(api.enrolment_update(:hrdt, 'test', :e3, '{"status": "withdrawn"}')::jsonb
	->> 'status', 'withdrawn', 'planned → withdrawn');
SELECT is((api.cohort_get(:hrdt, :h1)::jsonb ->> 'seats_free')::integer, 1,
	'which frees a seat');
SELECT (api.enrolment_create(:hrdt, 'test', :h1, format('{"person_id": %s}',
	:p4)::jsonb)::jsonb ->> 'id')::bigint AS e4 \gset
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "enrolled"}')$$, :hrdt, :e3)), 'RG409 cohort-full status',
	'coming back from withdrawn needs a free seat');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "completed"}')$$, :hrdt, :e1)), 'RG409 invalid-transition status',
	'planned cannot complete');
SELECT is(api.enrolment_update(:hrdt, 'test', :e1, '{"status": "enrolled"}')::jsonb
	->> 'status', 'enrolled', 'planned → enrolled');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "completed"}')$$, :hrdt, :e1)), 'RG409 cohort-not-running status',
	'no result is recorded before the cohort runs');
\o /dev/null
SELECT api.cohort_update(:hrdt, 'test', :h1, '{"status": "running"}');
\o
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "completed"}')$$, :hrdt, :h1)), 'RG409 enrolments-unsettled status',
	'a cohort with people still enrolled cannot complete');
SELECT is(pg_temp.detail(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "completed"}')$$, :hrdt, :h1)),
	'4 enrolments are still planned or enrolled; record their results or withdraw them before completing the cohort.',
	'saying how many');

-- =====================================================================
-- Completion: a degree course.

SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "completed", "completed_on": "2019-08-01"}')$$, :hrdt, :e1)),
	'RG422 completed-before-start completed_on',
	'a completion cannot predate the cohort');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "enrolled", "completed_on": "2021-08-01"}')$$, :hrdt, :e1)),
	'RG422 not-completed completed_on', 'completed_on goes with a completion');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"hours_attended": -1}')$$, :hrdt, :e1)),
	'RG422 out-of-range hours_attended', 'hours attended are not negative');

-- Issue 12 item 2: the officer's completion in ULSA's class is recorded
-- but awarded nothing in ULSA's name until ULSA's registrar confirms it
-- (the old code issued a degree credential signed in ULSA's name at once).
SELECT api.enrolment_update(:hrdt, 'test', :e1, '{"status": "completed",
	"hours_attended": 1750.5, "result": "Khá"}') AS done_json \gset
SELECT is(:'done_json'::jsonb ->> 'status', 'completed', 'enrolled → completed');
SELECT is(:'done_json'::jsonb ->> 'completed_on', '2021-08-31',
	'completed_on defaults to the cohort''s end when that is past');
SELECT is(:'done_json'::jsonb ->> 'confirmation', 'awaiting',
	'an officer''s completion in a university''s class awaits its registrar');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE enrolment_id = :e1), 0, 'no credential is issued in its name yet');
SELECT is((SELECT count(*)::integer FROM training.qualifications
	WHERE enrolment_id = :e1), 0, 'nor any degree');
SELECT is(pg_temp.errf(format($$SELECT lib.credential_issue(%s, NULL)$$, :e1)),
	'42501  ', 'the database itself refuses to issue an unconfirmed completion');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:hrdt, :h1)), 'RG403 forbidden ', 'an officer cannot confirm');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:dtcc, :h1)), 'RG404 not-found ', 'nor another institution''s registrar');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_confirm(%s, 'test', %s,
	'{"enrolment_ids": [%s]}')$$, :ulsa, :h1, :e2)),
	'RG422 not-awaiting enrolment_ids', 'only completions awaiting are confirmed');

-- A failure while issuing the credential leaves nothing behind.
CREATE FUNCTION pg_temp.no_credentials() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no credentials today'; END $$;
CREATE TRIGGER no_credentials BEFORE INSERT ON training.credentials
	FOR EACH ROW EXECUTE FUNCTION pg_temp.no_credentials();
SELECT is(pg_temp.errf(format($$SELECT api.cohort_confirm(%s, 'test', %s, '{}')$$,
	:ulsa, :h1)), 'P0001  ',
	'a confirmation whose credential cannot be issued fails');
SELECT is((SELECT confirmed_at FROM training.enrolments WHERE id = :e1), NULL,
	'the completion still awaits confirmation');
SELECT is((SELECT count(*)::integer FROM training.qualifications
	WHERE enrolment_id = :e1), 0, 'no qualification was kept');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), NULL,
	'the highest qualification did not move');
DROP TRIGGER no_credentials ON training.credentials;

SELECT api.cohort_confirm(:ulsa, 'test', :h1, '{}') AS conf_json \gset
SELECT is(:'conf_json'::jsonb ->> 'confirmed', '1', 'ULSA''s registrar confirms it');
SELECT is(:'conf_json'::jsonb #>> '{items,0,credential_id}',
	(SELECT id::text FROM training.credentials WHERE enrolment_id = :e1),
	'the answer carries the credential issued');
SELECT is(jsonb_array_length(:'conf_json'::jsonb -> '_sign'), 1,
	'and lists it under _sign');
SELECT is(:'conf_json'::jsonb #>> '{_sign,0,payload}',
	(SELECT payload FROM training.credentials WHERE enrolment_id = :e1),
	'with the exact payload to sign');
SELECT is((SELECT (payload::jsonb #>> '{vc,achievement,hours_attended}')
	FROM training.credentials WHERE enrolment_id = :e1), '1750.5',
	'the credential attests the hours attended');
SELECT is((SELECT payload::jsonb #>> '{vc,issuer,code}' FROM training.credentials
	WHERE enrolment_id = :e1), 'ULSA', 'in ULSA''s name');
SELECT is((SELECT row(level, field, source, institution_id, awarded_on)::text
	FROM training.qualifications WHERE enrolment_id = :e1),
	row('trung_cap', 'social_work', 'enrolment', :i_ulsa, '2021-08-31'::date)::text,
	'a degree course completed is a qualification from the teaching institution');
SELECT is((SELECT count(*)::integer FROM training.certificates
	WHERE enrolment_id = :e1), 0, 'not a certificate');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1),
	'trung_cap', 'it raises the person''s highest qualification');
SELECT is((SELECT after FROM audit.log WHERE action = 'person.update'
	AND entity_id = :'p1' ORDER BY id DESC LIMIT 1),
	'{"highest_qualification": "trung_cap"}'::jsonb,
	'which the person''s history shows');
SELECT is(api.enrolment_get(:ulsa, :e1)::jsonb ->> 'credential_id',
	:'conf_json'::jsonb #>> '{items,0,credential_id}',
	'the registrar reads the enrolment with its credential');
SELECT is(api.enrolment_get(:hrdt, :e1)::jsonb ->> 'confirmation', 'confirmed',
	'the officer sees it confirmed');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'enrolment.confirm'
	AND entity_id = :'e1' AND actor_id = :ulsa), 1, 'the confirmation is audited');
SELECT is((api.cohort_confirm(:ulsa, 'test', :h1, '{}')::jsonb ->> 'confirmed'),
	'0', 'confirming again confirms nothing more');

-- What the institution confirmed the officer cannot undo (that would
-- revoke a credential in ULSA's name); an administrator can.
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"result": "Giỏi"}')$$, :hrdt, :e1)), 'RG409 completion-confirmed status',
	'an officer cannot correct a confirmed completion');
SELECT is(api.enrolment_update(:hrdt, 'test', :e1, '{"status": "completed"}')::jsonb
	->> 'confirmation', 'confirmed', 'a patch that changes nothing leaves it confirmed');
SELECT isnt((SELECT confirmed_at FROM training.enrolments WHERE id = :e1), NULL,
	'with its confirmation');
SELECT api.enrolment_update(:admin, 'test', :e1, '{"result": "Giỏi"}') AS fix_json \gset
SELECT isnt(:'fix_json'::jsonb ->> 'credential_id',
	:'conf_json'::jsonb #>> '{items,0,credential_id}',
	'an admin correcting a completed result issues a new credential');
SELECT is((SELECT revoked_at IS NOT NULL FROM training.credentials
	WHERE id = (:'conf_json'::jsonb #>> '{items,0,credential_id}')::uuid), true,
	'and revokes the old one');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE enrolment_id = :e1 AND revoked_at IS NULL), 1,
	'one live credential per completion');

-- Undoing the completion.
SELECT api.enrolment_update(:admin, 'test', :e1, '{"status": "failed"}') AS undo_json \gset
SELECT is(:'undo_json'::jsonb ->> 'status', 'failed', 'completed → failed (a correction)');
SELECT is(:'undo_json'::jsonb -> 'completed_on', 'null'::jsonb, 'clears the completion date');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE enrolment_id = :e1 AND revoked_at IS NULL), 0,
	'revokes the credential');
SELECT is((SELECT count(*)::integer FROM training.qualifications
	WHERE enrolment_id = :e1), 0, 'removes the qualification');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), NULL,
	'and recomputes the highest qualification');
SELECT is((SELECT before FROM audit.log WHERE action = 'enrolment.unaward'
	AND entity_id = :'e1')::jsonb ? 'qualification_id', true,
	'the removal is audited');
SELECT is((api.enrolment_update(:admin, 'test', :e1, '{"status": "completed"}')::jsonb
	->> 'credential_id') IS NOT NULL, true,
	'failed → completed by an admin (acting for ULSA) issues again');

-- =====================================================================
-- Completion: a short course and a title-training course.

SELECT (api.enrolment_create(:hrdt, 'test', :h2, format('{"person_id": %s,
	"status": "enrolled"}', :p5)::jsonb)::jsonb ->> 'id')::bigint AS e5 \gset
\o /dev/null
SELECT api.cohort_update(:hrdt, 'test', :h2, '{"status": "running"}');
\o
\o /dev/null
SELECT api.enrolment_update(:hrdt, 'test', :e5, '{"status": "completed",
	"hours_attended": 40, "completed_on": "2025-03-10"}');
\o
SELECT api.cohort_confirm(:ulsa, 'test', :h2, format('{"enrolment_ids": [%s]}',
	:e5)::jsonb) AS sc_json \gset
SELECT is((SELECT row(kind, name, hours, counts_as_sw_training, title_code,
	issued_on, institution_id)::text FROM training.certificates
	WHERE enrolment_id = :e5),
	row('course', 'Quản lý trường hợp', 40.0, true, NULL, '2025-03-10'::date,
	    :i_ulsa)::text,
	'a short course completed is a course certificate that counts as training');
SELECT is(:'sc_json'::jsonb #>> '{items,0,credential_id}',
	(SELECT id::text FROM training.credentials WHERE enrolment_id = :e5),
	'with its credential, once ULSA confirmed it');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p5), NULL,
	'a certificate is no qualification');
SELECT (api.enrolment_create(:hrdt, 'test', :h2, format('{"person_id": %s,
	"status": "enrolled"}', :p4)::jsonb)::jsonb ->> 'id')::bigint AS e4b \gset
\o /dev/null
SELECT api.enrolment_update(:hrdt, 'test', :e4b, '{"status": "completed"}');
SELECT api.cohort_confirm(:ulsa, 'test', :h2, '{}');
\o
SELECT is((SELECT count(*)::integer FROM training.certificates
	WHERE enrolment_id = :e4b), 1, 'a second completion, a second certificate');
SELECT is(api.enrolment_update(:admin, 'test', :e4b, '{"status": "failed"}')::jsonb
	-> 'certificate_id', 'null'::jsonb, 'corrected to failed');
SELECT is((SELECT count(*)::integer FROM training.certificates
	WHERE enrolment_id = :e4b), 0, 'the certificate is removed');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE enrolment_id = :e4b AND revoked_at IS NULL), 0,
	'and the credential revoked');
SELECT (api.enrolment_create(:hrqn, 'test', :h22, format('{"person_id": %s,
	"status": "enrolled"}', :q6)::jsonb)::jsonb ->> 'id')::bigint AS e6 \gset
\o /dev/null
SELECT api.enrolment_update(:hrqn, 'test', :e6, '{"status": "completed",
	"completed_on": "2025-05-30"}');
SELECT api.cohort_confirm(:admin, 'test', :h22, '{}');
\o
SELECT is((SELECT row(kind, title_code, counts_as_sw_training)::text
	FROM training.certificates WHERE enrolment_id = :e6),
	row('title_training', 'V.09.04.02', true)::text,
	'a title-training course completed is a title-training certificate');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "withdrawn"}')$$, :hrqn, :e6)), 'RG409 invalid-transition status',
	'a completed enrolment is not withdrawn');
SELECT is(api.enrolment_get(:hrqn, :e6)::jsonb ->> 'status', 'completed',
	'hr.quangninh reads its person''s enrolment');
SELECT is((SELECT count(*)::integer FROM training.enrolments e
	WHERE e.person_id = :q6), 2, 'the Quảng Ninh person is in two cohorts');
SELECT (SELECT id FROM training.enrolments WHERE cohort_id = :h1 AND person_id = :q6)
	AS e_q6 \gset
SELECT is(api.enrolment_get(:hrqn, :e_q6)::jsonb ->> 'cohort_id', :'h1',
	'an officer reads its person''s enrolment in another province''s cohort');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_update(%s, 'test', %s,
	'{"status": "withdrawn"}')$$, :hrqn, :e_q6)), 'RG403 out-of-scope ',
	'but only the host province''s officers change it');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_get(%s, %s)$$, :bcdqn, :e1)),
	'RG404 not-found ', 'another province''s steering gets 404');
SELECT is(pg_temp.ids(api.cohort_enrolments(:ulsa, :h1, 'withdrawn', NULL, NULL)),
	ARRAY[:e3]::bigint[], 'a cohort''s enrolments filter by status');

-- =====================================================================
-- Bulk enrolment.

-- Staff of two Đồng Tháp units: p2 and p3 are collaborators in c82a, p4
-- professional there; p5 (now trained) a collaborator in c82b.
SELECT (api.work_unit_create(:hrdt, 'test', format('{"name": "UBND xã thử A",
	"kind": "commune_committee", "commune_code": "%s"}', :'c82a')::jsonb)::jsonb
	->> 'id')::integer AS wa \gset
SELECT (api.work_unit_create(:hrdt, 'test', format('{"name": "UBND xã thử B",
	"kind": "commune_committee", "commune_code": "%s"}', :'c82b')::jsonb)::jsonb
	->> 'id')::integer AS wb \gset
\o /dev/null
SELECT api.assignment_create(:hrdt, 'test', format('{"person_id": %s,
	"work_unit_id": %s, "category": "%s", "fte": 0.5, "start_date": "2020-01-01"}',
	v.p, v.w, v.c)::jsonb)
  FROM (VALUES (:p2, :wa, 'collaborator'), (:p3, :wa, 'collaborator'),
	(:p4, :wa, 'professional'), (:p5, :wb, 'collaborator')) v (p, w, c);
\o
SELECT (api.cohort_create(:hrdt, 'test', format('{"course_id": %s,
	"institution_id": %s, "province_code": "82", "partnership_id": %s,
	"start_date": "2025-06-01",
	"end_date": "2025-06-10", "capacity": 3, "funding": "national_programme"}',
	:k_qlth, :i_dtcc, :pa_ii)::jsonb)::jsonb ->> 'id')::integer AS h3 \gset

SELECT api.enrolments_bulk(:hrdt, 'test', :h3, format('{"filter": {"commune_code":
	"%s", "category": "collaborator"}}', :'c82a')::jsonb) AS b1 \gset
SELECT is((SELECT array_agg((r ->> 'person_id')::bigint ORDER BY (r ->> 'person_id')::bigint)
	FROM json_array_elements(:'b1'::json -> 'results') r), ARRAY[:p2, :p3]::bigint[],
	'a filter by commune and category enrols that commune''s collaborators');
SELECT is(:'b1'::jsonb ->> 'enrolled', '2', 'two enrolled');
SELECT is(:'b1'::jsonb ->> 'seats_free', '1', 'one seat left');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"person_ids": [%s, %s, %s]}')$$, :hrdt, :h3, :p1, :p4, :p5)),
	'RG409 cohort-full person_ids',
	'three new people for one seat: the whole batch is 409');
SELECT is(pg_temp.detail(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"person_ids": [%s, %s, %s]}')$$, :hrdt, :h3, :p1, :p4, :p5)),
	'The cohort is full: 1 seats free (capacity 3), 3 needed.',
	'saying how many seats are free');
SELECT is((SELECT count(*)::integer FROM training.enrolments WHERE cohort_id = :h3),
	2, 'and nothing was enrolled');
SELECT api.enrolments_bulk(:hrdt, 'test', :h3, format('{"person_ids": [%s, %s, %s, %s, 999999999],
	"status": "enrolled"}', :p2, :p4, :q6, :p2)::jsonb) AS b2 \gset
SELECT is((SELECT array_agg(r ->> 'outcome' ORDER BY n)
	FROM json_array_elements(:'b2'::json -> 'results') WITH ORDINALITY a (r, n)),
	ARRAY['already-enrolled', 'enrolled', 'refused', 'refused'],
	'ids: already enrolled, enrolled, another province''s person and an unknown id refused; a repeated id once');
SELECT is((SELECT r ->> 'code' FROM json_array_elements(:'b2'::json -> 'results') r
	WHERE (r ->> 'person_id')::bigint = :q6), 'unknown-person',
	'a refusal says why');
SELECT is((SELECT status FROM training.enrolments WHERE cohort_id = :h3
	AND person_id = :p4), 'enrolled', 'the batch status is used');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'enrolment.create'
	AND after ->> 'cohort_id' = :'h3'), 3, 'each enrolment is audited');

-- untrained: p5 holds a certificate that counts, p2 and p3 none.
SELECT (api.cohort_create(:hrdt, 'test', format('{"course_id": %s,
	"institution_id": %s, "province_code": "82", "partnership_id": %s,
	"start_date": "2025-07-01",
	"end_date": "2025-07-10", "capacity": 10, "funding": "national_programme"}',
	:k_qlth, :i_dtcc, :pa_ii)::jsonb)::jsonb ->> 'id')::integer AS h4 \gset
SELECT is((SELECT array_agg((r ->> 'person_id')::bigint ORDER BY (r ->> 'person_id')::bigint)
	FROM json_array_elements(api.enrolments_bulk(:hrdt, 'test', :h4,
	format('{"filter": {"category": "collaborator", "untrained": true,
	"commune_code": "%s"}}', :'c82b')::jsonb) -> 'results') r), NULL,
	'untrained leaves out a collaborator with a certificate that counts');
SELECT is((SELECT array_agg((r ->> 'person_id')::bigint ORDER BY (r ->> 'person_id')::bigint)
	FROM json_array_elements(api.enrolments_bulk(:hrdt, 'test', :h4,
	format('{"filter": {"work_unit_id": %s, "untrained": true}}', :wa)::jsonb)
	-> 'results') r), ARRAY[:p2, :p3, :p4]::bigint[],
	'a filter by unit enrols its untrained staff');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"filter": {"commune_code": "99999"}}')$$, :hrdt, :h4)),
	'RG422 unknown-commune filter.commune_code', 'filter problems name the key');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"filter": {"category": "boss"}}')$$, :hrdt, :h4)),
	'RG422 invalid-code filter.category', 'an unknown category is 422');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"filter": {"age": 30}}')$$, :hrdt, :h4)),
	'RG422 unknown-field filter.age', 'an unknown filter key is 422');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"filter": {}}')$$, :hrdt, :h4)), 'RG422 empty-filter filter',
	'an empty filter is 422');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"person_ids": [1, 2], "filter": {"untrained": true}}')$$, :hrdt, :h4)),
	'RG422 required person_ids', 'ids and a filter together are 422');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"person_ids": [1, "2"]}')$$, :hrdt, :h4)), 'RG422 invalid-type person_ids',
	'ids are numbers');
SELECT is(pg_temp.errf(format($$SELECT api.enrolments_bulk(%s, 'test', %s,
	'{"person_ids": [%s]}')$$, :hrqn, :h4, :q6)), 'RG404 not-found ',
	'another province''s officer gets 404 for the cohort');

-- Cancelling withdraws; completing needs everyone settled.
SELECT api.cohort_update(:hrdt, 'test', :h4, '{"status": "cancelled"}') AS cancel_json \gset
SELECT is(:'cancel_json'::jsonb #>> '{enrolments,withdrawn}', '3',
	'cancelling a cohort withdraws its enrolments');
SELECT is(pg_temp.errf(format($$SELECT api.enrolment_create(%s, 'test', %s,
	'{"person_id": %s}')$$, :hrdt, :h4, :p1)), 'RG409 cohort-not-open status',
	'a cancelled cohort takes no enrolment');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"name": "Lớp mới"}')$$, :hrdt, :h4)), 'RG409 cohort-closed status',
	'nor any change');
SELECT is(pg_temp.errf(format($$SELECT api.cohort_update(%s, 'test', %s,
	'{"status": "cancelled"}')$$, :hrqn, :h22)),
	'RG409 cohort-has-completions status',
	'a cohort someone completed cannot be cancelled');
\o /dev/null
SELECT api.enrolment_update(:hrdt, 'test', id, '{"status": "failed"}')
  FROM training.enrolments WHERE cohort_id = :h1 AND status = 'enrolled';
\o
\o /dev/null
SELECT api.enrolment_update(:hrdt, 'test', id, '{"status": "withdrawn"}')
  FROM training.enrolments WHERE cohort_id = :h1 AND status = 'planned';
\o
SELECT is(api.cohort_update(:hrdt, 'test', :h1, '{"status": "completed"}')::jsonb
	->> 'status', 'completed', 'running → completed once every result is in');

-- =====================================================================
-- Partnership statistics: the agreement's one cohort (h1, 2019) ended
-- with p1 completed, p2 failed and the others withdrawn.

SELECT api.partnership_get(:hrdt, :pa82) AS stats \gset
SELECT is(:'stats'::jsonb #>> '{stats,total,graduates}', '1',
	'one graduate of the agreement''s cohorts');
SELECT is(:'stats'::jsonb #> '{stats,years,0}', jsonb_build_object('year', 2019,
	'seats_offered', 70, 'seats_used', (SELECT count(*) FROM training.enrolments
	WHERE cohort_id = :h1 AND status <> 'withdrawn'), 'graduates', 1,
	'working_in_province', 0), 'the cohort''s start year counts its seats and graduates');
SELECT is(jsonb_array_length(:'stats'::jsonb #> '{stats,years}'), 6,
	'one row per year of the agreement, 2019 to 2024');
\o /dev/null
SELECT api.assignment_create(:hrdt, 'test', format('{"person_id": %s,
	"work_unit_id": %s, "category": "professional", "fte": 1,
	"start_date": "2022-01-01"}', :p1, :wb)::jsonb);
\o
SELECT is(api.partnership_get(:ulsa, :pa82)::jsonb #>> '{stats,total,working_in_province}',
	'1', 'a graduate with a spell in the province today counts as working there');
SELECT (api.partnership_create(:admin, 'test', format('{"institution_id": %s,
	"province_code": "22", "agreement_number": "A-NONE",
	"signed_on": "2024-01-01", "valid_from": "2024-01-01"}', :i_ulsa)::jsonb)::jsonb
	->> 'id')::integer AS pa_none \gset
SELECT is(api.partnership_get(:admin, :pa_none)::jsonb #>> '{stats,total,seats_used}',
	'0', 'an agreement without cohorts has used no seats');

SELECT * FROM finish();
ROLLBACK;
