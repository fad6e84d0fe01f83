-- Graduates and training records, called as the demo users: a
-- registrar's graduates matched to people by citizen ID (same person,
-- new unkept person, identity mismatch refused with nothing written),
-- diploma numbers unique per institution, corrections that revoke and
-- re-issue the credential and re-match the person; officers' degrees,
-- certificates and practice registrations; eligibility for the titles
-- and for practice registration (12/9/6 months); the due list.
BEGIN;
SELECT plan(181);

\ir helpers.psql

-- Start from an empty workforce and training record, whatever demo data
-- the database holds (the transaction is rolled back at the end).
DELETE FROM hr.imports;
DELETE FROM training.credentials;
DELETE FROM training.certificates;
DELETE FROM training.qualifications;
DELETE FROM training.practice_registrations;
DELETE FROM training.enrolments;
DELETE FROM hr.assignments;
DELETE FROM hr.work_unit_places;
DELETE FROM hr.work_units;
DELETE FROM hr.people;

-- A second registrar, of the Trade Union University.
INSERT INTO auth.users (login, display_name, role, institution_id,
    password_hash)
SELECT 'tuu.test', 'Phòng Đào tạo – Trường Đại học Công đoàn', 'registrar',
    id, 'x' FROM org.institutions WHERE code = 'TUU';

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('hr.quangninh') AS hrqn,
	pg_temp.uid('hr.dongthap') AS hrdt, pg_temp.uid('bcd.quangninh') AS bcdqn,
	pg_temp.uid('bcd.national') AS bcdnat, pg_temp.uid('ulsa') AS ulsa,
	pg_temp.uid('tuu.test') AS tuu,
	(SELECT id FROM org.institutions WHERE code = 'ULSA') AS ulsa_i,
	(SELECT id FROM org.institutions WHERE code = 'TUU') AS tuu_i \gset

-- "SQLSTATE code field -> link" of a refusal (the parts the server puts
-- in its problem: code, field, existing), or 'no error'.
CREATE FUNCTION pg_temp.refused(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	h	text;
	f	text;
	l	text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, h = PG_EXCEPTION_HINT,
	    f = COLUMN_NAME, l = PG_DATATYPE_NAME;
	RETURN concat_ws(' ', st, nullif(h, ''), nullif(f, ''),
	    '-> ' || nullif(l, ''));
END
$$;

-- A structurally valid citizen ID: Hà Nội prefix, century/sex, year, n.
CREATE FUNCTION pg_temp.cid(p_sex text, p_born date, p_n integer)
RETURNS text
LANGUAGE sql AS $$
	SELECT '001' || ((extract(year FROM p_born)::integer / 100 - 19) * 2 +
	    CASE p_sex WHEN 'female' THEN 1 ELSE 0 END)::text ||
	    to_char(p_born, 'YY') || lpad(p_n::text, 6, '0')
$$;

-- A graduate body: a bachelor in social work unless p_extra says else.
CREATE FUNCTION pg_temp.grad(p_name text, p_cid text, p_born date,
    p_sex text, p_diploma text, p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('full_name', p_name, 'citizen_id', p_cid,
	    'birth_date', p_born, 'sex', p_sex, 'programme_code', '7760101',
	    'level', 'dai_hoc', 'field', 'social_work',
	    'graduation_date', '2024-06-30', 'diploma_number', p_diploma) || p_extra
$$;

CREATE FUNCTION pg_temp.reg(p_actor bigint, p_body jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT api.graduate_create(p_actor, 'test', p_body)::jsonb $$;

-- A person kept by Quảng Ninh, made by its officer; their id.
CREATE FUNCTION pg_temp.person(p_name text, p_sex text, p_born date,
    p_n integer) RETURNS bigint
LANGUAGE sql AS $$
	SELECT (api.person_create(pg_temp.uid('hr.quangninh'), 'test',
	    jsonb_build_object('full_name', p_name, 'sex', p_sex,
		'birth_date', p_born,
		'citizen_id', pg_temp.cid(p_sex, p_born, p_n)))::jsonb ->> 'id')::bigint
$$;

CREATE FUNCTION pg_temp.degree(p_person bigint, p_level text, p_field text)
RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.qualification_create(pg_temp.uid('hr.quangninh'), 'test',
	    p_person, jsonb_build_object('level', p_level, 'field', p_field,
		'institution_name', 'Trường Đại học Kinh tế Quốc dân',
		'awarded_on', '2020-06-30'))::jsonb
$$;

CREATE FUNCTION pg_temp.cert(p_person bigint, p_body jsonb) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.certificate_create(pg_temp.uid('hr.quangninh'), 'test',
	    p_person, jsonb_build_object('issuer_name',
		'Trung tâm Công tác xã hội tỉnh Quảng Ninh',
		'issued_on', '2025-03-01') || p_body)::jsonb
$$;

-- A title's entry of a person's eligibility, and one criterion's "met".
CREATE FUNCTION pg_temp.title(p_person bigint, p_code text) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT t FROM jsonb_array_elements(api.person_eligibility(
	    pg_temp.uid('admin'), p_person)::jsonb -> 'titles') t
	 WHERE t ->> 'code' = p_code
$$;

CREATE FUNCTION pg_temp.met(p_entry jsonb, p_name text) RETURNS boolean
LANGUAGE sql AS $$
	SELECT (c ->> 'met')::boolean FROM jsonb_array_elements(
	    p_entry -> 'criteria') c WHERE c ->> 'name' = p_name
$$;

CREATE FUNCTION pg_temp.practice(p_person bigint) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.person_eligibility(pg_temp.uid('admin'),
	    p_person)::jsonb -> 'practice_registration'
$$;

-- =====================================================================
-- Registration: a new citizen ID makes a new person kept by no province.

SELECT pg_temp.reg(:ulsa, pg_temp.grad('Nguyễn Thị Hồng',
	pg_temp.cid('female', '1999-05-06', 1), '1999-05-06', 'female',
	'ULSA-T-0001')) AS g1 \gset
SELECT (:'g1'::jsonb ->> 'id')::bigint AS g1id,
	(:'g1'::jsonb ->> 'person_id')::bigint AS p1 \gset
SELECT is((SELECT province_id FROM hr.people WHERE id = :p1), NULL,
	'a graduate with a new citizen ID is a new person kept by no province');
SELECT is((SELECT count(*)::integer FROM hr.assignments WHERE person_id = :p1),
	0, 'and with no assignment');
SELECT is((SELECT full_name || ' ' || birth_date || ' ' || sex FROM hr.people
	WHERE id = :p1), 'Nguyễn Thị Hồng 1999-05-06 female',
	'the person has the registered identity');
SELECT is((SELECT source || ' ' || institution_id || ' ' || recorded_by || ' '
	|| level || ' ' || awarded_on FROM training.qualifications WHERE id = :g1id),
	format('registrar %s %s dai_hoc 2024-06-30', :ulsa_i, :ulsa),
	'the graduate is a qualification of source registrar, the registrar''s institution');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), 'dai_hoc',
	'the person''s highest qualification is set');
SELECT is((SELECT array_agg(id::text) FROM training.credentials
	WHERE qualification_id = :g1id AND revoked_at IS NULL),
	ARRAY[:'g1'::jsonb ->> 'credential_id'],
	'one live credential is issued, and the answer carries its id');
SELECT is(:'g1'::jsonb #>> '{_sign,0,id}', :'g1'::jsonb ->> 'credential_id',
	'the answer lists the credential to sign under _sign');
SELECT is(:'g1'::jsonb ->> 'credential_status', 'unsigned',
	'the credential is unsigned until the server signs it');
SELECT is(:'g1'::jsonb ->> 'citizen_id', '•••••••••' ||
	right(pg_temp.cid('female', '1999-05-06', 1), 3),
	'the answer masks the citizen ID');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE entity = 'person'
	AND entity_id = :'p1' AND actor_login = 'ulsa'
	AND action IN ('person.create', 'graduate.register', 'person.update')), 3,
	'registration is audited: the new person, the graduate, the highest qualification');
SELECT is((SELECT after ->> 'citizen_id' FROM audit.log
	WHERE action = 'graduate.register' AND entity_id = :'p1'),
	'•••••••••' || right(pg_temp.cid('female', '1999-05-06', 1), 3),
	'the audit masks the citizen ID');

-- A decomposed (NFD) name is stored composed (NFC).
SELECT pg_temp.reg(:ulsa, pg_temp.grad(U&'Tr\0061\0302\0300n Thi\0323 Lan',
	pg_temp.cid('female', '2000-01-02', 2), '2000-01-02', 'female',
	'ULSA-T-0002')) ->> 'full_name' AS nfd \gset
SELECT is(:'nfd'::text, 'Trần Thị Lan', 'a decomposed name is answered composed');
SELECT ok((SELECT full_name = normalize(full_name, NFC) AND full_name = 'Trần Thị Lan'
	FROM hr.people WHERE citizen_id = pg_temp.cid('female', '2000-01-02', 2)),
	'and stored in NFC');

-- An existing ID: the same person, the name compared without case or
-- diacritics; the person's own record is untouched.
SELECT pg_temp.person('Trần Văn Bình', 'male', '1995-02-03', 3) AS pb \gset
SELECT pg_temp.reg(:ulsa, pg_temp.grad('tran van  BINH',
	pg_temp.cid('male', '1995-02-03', 3), '1995-02-03', 'male', 'ULSA-T-0003',
	'{"field": "other", "programme_code": "7310101"}')) AS gb \gset
SELECT (:'gb'::jsonb ->> 'id')::bigint AS gbid \gset
SELECT is((:'gb'::jsonb ->> 'person_id')::bigint, :pb::bigint,
	'a graduate with a citizen ID on record is that person');
SELECT is((SELECT count(*)::integer FROM hr.people
	WHERE citizen_id = pg_temp.cid('male', '1995-02-03', 3)), 1,
	'no second person is made');
SELECT is((SELECT full_name || ' ' || province_id FROM hr.people WHERE id = :pb),
	'Trần Văn Bình ' || (SELECT id FROM geo.units WHERE level = 'province'
	    AND code = '22' AND valid_to IS NULL),
	'the person keeps their name and keeping province');
SELECT is(:'gb'::jsonb ->> 'full_name', 'tran van BINH',
	'the graduate shows the name registered, not the person record''s');

-- Identity mismatch: refused, naming no field of the record on file (the
-- problem's field is the citizen ID), nothing written.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Trần Văn Bình', pg_temp.cid('male', '1995-02-03', 3),
	'1995-07-08', 'male', 'ULSA-T-0004'))),
	'RG409 identity-mismatch citizen_id',
	'another birth date for the ID is 409 identity-mismatch');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Trần Văn Minh', pg_temp.cid('male', '1995-02-03', 3),
	'1995-02-03', 'male', 'ULSA-T-0004'))),
	'RG409 identity-mismatch citizen_id',
	'another name for the ID is 409 identity-mismatch, not saying which field');
SELECT is((SELECT count(*)::integer FROM training.qualifications
	WHERE diploma_number = 'ULSA-T-0004'), 0, 'a refused graduate writes nothing');
CREATE FUNCTION pg_temp.message(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	m	text;
	d	text;
BEGIN
	EXECUTE p_sql;
	RETURN '';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
	RETURN m || ' ' || d;
END
$$;
SELECT ok(pg_temp.message(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Trần Văn Minh', pg_temp.cid('male', '1995-02-03', 3),
	'1995-07-08', 'male', 'ULSA-T-0004'))) !~ ('(Bình|Binh|1995|' || :pb || ')'),
	'the refusal reveals nothing of the record on file');

-- Diploma numbers are unique per institution.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Lê Văn Cường', pg_temp.cid('male', '1998-01-01', 5),
	'1998-01-01', 'male', 'ULSA-T-0001'))),
	'RG409 diploma-exists diploma_number -> /api/v1/graduates/' || :g1id,
	'a diploma number the institution used is 409 diploma-exists with the graduate''s link');
SELECT is((SELECT count(*)::integer FROM hr.people
	WHERE citizen_id = pg_temp.cid('male', '1998-01-01', 5)), 0,
	'and makes no person');
SELECT pg_temp.reg(:tuu, pg_temp.grad('Lê Văn Cường',
	pg_temp.cid('male', '1998-01-01', 5), '1998-01-01', 'male', 'ULSA-T-0001',
	'{"graduation_date": "2023-07-01"}')) AS gt \gset
SELECT (:'gt'::jsonb ->> 'id')::bigint AS gtid,
	(:'gt'::jsonb ->> 'person_id')::bigint AS pc \gset
SELECT is((:'gt'::jsonb ->> 'institution_id')::integer, :tuu_i,
	'the same number at another institution is fine');

-- Who registers, for which institution.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:admin, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 6),
	'1997-03-03', 'female', 'ADM-1'))), 'RG422 required institution_id',
	'an administrator must name the institution');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:admin, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 6),
	'1997-03-03', 'female', 'ADM-1', '{"institution_id": 99999}'))),
	'RG422 unknown-institution institution_id', 'and an institution that exists');
SELECT is((pg_temp.reg(:admin, pg_temp.grad('Phạm Thị Dung',
	pg_temp.cid('female', '1997-03-03', 6), '1997-03-03', 'female', 'ADM-1',
	jsonb_build_object('institution_id', :tuu_i))) ->> 'institution_id')::integer,
	:tuu_i, 'an administrator registers for the institution named');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1', jsonb_build_object('institution_id', :tuu_i)))),
	'RG403 out-of-scope institution_id',
	'a registrar cannot register for another institution');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:hrqn, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1'))), 'RG403 forbidden',
	'an HR officer cannot register graduates');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:bcdnat, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1'))), 'RG403 forbidden',
	'nor can steering');

-- Field problems name the field.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1', '{"programme_code": "776010"}'))),
	'RG422 invalid-programme-code programme_code', 'a 6-digit programme code');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1', '{"level": "bachelor"}'))),
	'RG422 invalid-code level', 'an unknown level');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1', '{"field": "economics"}'))),
	'RG422 invalid-code field', 'an unknown field');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1',
	jsonb_build_object('graduation_date', current_date + 1)))),
	'RG422 future-date graduation_date', 'a graduation in the future');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1', '{"graduation_date": "2005-06-30"}'))),
	'RG422 implausible-date graduation_date', 'a graduation before the age of 15');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1997-03-03', 'female', 'X-1') - 'diploma_number')),
	'RG422 required diploma_number', 'a missing diploma number');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_create(%s, 'test', %L)$$,
	:ulsa, pg_temp.grad('Phạm Thị Dung', pg_temp.cid('female', '1997-03-03', 7),
	'1998-03-03', 'female', 'X-1'))),
	'RG422 cccd-year citizen_id', 'a citizen ID that disagrees with the birth year');

-- The highest qualification only rises.
SELECT pg_temp.reg(:ulsa, pg_temp.grad('Nguyễn Thị Hồng',
	pg_temp.cid('female', '1999-05-06', 1), '1999-05-06', 'female',
	'ULSA-T-0005', '{"level": "thac_si", "programme_code": "8760101",
	"graduation_date": "2026-06-30"}')) AS g1m \gset
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), 'thac_si',
	'a master''s raises the highest qualification');
SELECT pg_temp.reg(:ulsa, pg_temp.grad('Nguyễn Thị Hồng',
	pg_temp.cid('female', '1999-05-06', 1), '1999-05-06', 'female',
	'ULSA-T-0006', '{"level": "trung_cap", "graduation_date": "2018-06-30"}'))
	AS g1t \gset
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), 'thac_si',
	'a lower degree leaves it');

-- =====================================================================
-- The lists and records registrars see.

SELECT api.graduates_list(:ulsa, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	NULL, NULL)::jsonb AS ul \gset
SELECT is((SELECT array_agg(DISTINCT (i ->> 'institution_id')::integer)
	FROM jsonb_array_elements(:'ul'::jsonb -> 'items') i), ARRAY[:ulsa_i],
	'a registrar lists its own institution''s graduates only');
SELECT is(jsonb_array_length(:'ul'::jsonb -> 'items'), 5,
	'all five of them');
SELECT is((SELECT array_agg(i ->> 'graduation_date' ORDER BY n)
	FROM jsonb_array_elements(:'ul'::jsonb -> 'items') WITH ORDINALITY x(i, n)),
	ARRAY['2026-06-30', '2024-06-30', '2024-06-30', '2024-06-30', '2018-06-30'],
	'latest graduation first');
SELECT is((SELECT array_agg(DISTINCT (i ->> 'institution_id')::integer)
	FROM jsonb_array_elements(api.graduates_list(:tuu, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL)::jsonb -> 'items') i), ARRAY[:tuu_i],
	'the other registrar lists its own');
SELECT is(jsonb_array_length(api.graduates_list(:admin, NULL, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL)::jsonb -> 'items'), 7,
	'an administrator lists every institution''s');
SELECT is(jsonb_array_length(api.graduates_list(:admin, :tuu_i, NULL, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL)::jsonb -> 'items'), 2,
	'or one institution''s');
SELECT is(pg_temp.refused(format($$SELECT api.graduates_list(%s, %s, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, NULL)$$, :ulsa, :tuu_i)),
	'RG403 out-of-scope institution', 'a registrar cannot list another institution');
SELECT is(jsonb_array_length(api.graduates_list(:ulsa, NULL, 2024, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL)::jsonb -> 'items'), 3, 'year filters');
SELECT is(jsonb_array_length(api.graduates_list(:ulsa, NULL, NULL, '2024-07-01',
	'2026-12-31', NULL, NULL, NULL, NULL, NULL)::jsonb -> 'items'), 1,
	'from and to filter');
SELECT is(jsonb_array_length(api.graduates_list(:ulsa, NULL, NULL, NULL, NULL,
	'7310101', NULL, NULL, NULL, NULL)::jsonb -> 'items'), 1,
	'programme_code filters');
SELECT is(jsonb_array_length(api.graduates_list(:ulsa, NULL, NULL, NULL, NULL,
	NULL, 'trung_cap', NULL, NULL, NULL)::jsonb -> 'items'), 1, 'level filters');
SELECT is(pg_temp.refused(format($$SELECT api.graduates_list(%s, NULL, NULL,
	NULL, NULL, NULL, 'bachelor', NULL, NULL, NULL)$$, :ulsa)),
	'RG400 invalid-parameter level', 'an unknown level is 400');
SELECT is((SELECT array_agg(DISTINCT i ->> 'full_name') FROM jsonb_array_elements(
	api.graduates_list(:ulsa, NULL, NULL, NULL, NULL, NULL, NULL, 'nguyen thi hong',
	NULL, NULL)::jsonb -> 'items') i), ARRAY['Nguyễn Thị Hồng'],
	'q finds names without diacritics');
SELECT is(jsonb_array_length(api.graduates_list(:ulsa, NULL, NULL, NULL, NULL,
	NULL, NULL, right(pg_temp.cid('male', '1995-02-03', 3), 4), NULL,
	NULL)::jsonb -> 'items'), 1, 'q of digits finds the citizen ID''s last digits');
SELECT api.graduates_list(:ulsa, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	3)::jsonb AS page1 \gset
SELECT api.graduates_list(:ulsa, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	:'page1'::jsonb ->> 'next_cursor', 3)::jsonb AS page2 \gset
SELECT is((SELECT array_agg(i ->> 'id' ORDER BY n) FROM (
	SELECT i, n FROM jsonb_array_elements(:'page1'::jsonb -> 'items')
	    WITH ORDINALITY x(i, n)
	UNION ALL
	SELECT i, n + 3 FROM jsonb_array_elements(:'page2'::jsonb -> 'items')
	    WITH ORDINALITY x(i, n)) p),
	(SELECT array_agg(i ->> 'id' ORDER BY n) FROM jsonb_array_elements(
	    :'ul'::jsonb -> 'items') WITH ORDINALITY x(i, n)),
	'two pages of 3 are the whole list, in order');
SELECT is(:'page2'::jsonb ->> 'next_cursor', NULL, 'and the last page says so');
SELECT is(pg_temp.refused(format($$SELECT api.graduates_list(%s, NULL, NULL,
	NULL, NULL, NULL, NULL, NULL, %L, NULL)$$, :ulsa,
	lib.cursor_out('{"d": "x", "id": 1}'))), 'RG400 bad-cursor cursor',
	'a forged cursor is 400');

SELECT api.graduate_get(:ulsa, :gbid)::jsonb AS view \gset
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(:'view'::jsonb) k),
	ARRAY['birth_date', 'citizen_id', 'citizen_id_masked', 'created_at',
	    'credential_id', 'credential_status', 'diploma_number', 'field',
	    'full_name', 'graduation_date', 'id', 'institution_code',
	    'institution_id', 'institution_name', 'level', 'person_id',
	    'programme_code', 'programme_name', 'sex', 'updated_at'],
	'a registrar sees the graduate fields, person id and credential only');
SELECT is(:'view'::jsonb ->> 'citizen_id', '•••••••••' ||
	right(pg_temp.cid('male', '1995-02-03', 3), 3), 'with the ID masked');
SELECT is(pg_temp.refused(format('SELECT api.graduate_get(%s, %s)', :tuu, :gbid)),
	'RG404 not-found', 'another institution''s graduate is 404 for a registrar');
SELECT is(pg_temp.refused(format('SELECT api.graduate_get(%s, %s)', :hrqn, :gbid)),
	'RG403 forbidden', 'officers do not read graduates');
SELECT is((api.graduate_get(:admin, :gtid)::jsonb ->> 'diploma_number'),
	'ULSA-T-0001', 'an administrator reads any graduate');
SELECT is(pg_temp.refused(format('SELECT api.person_get(%s, ''t'', %s)', :ulsa, :pb)),
	'RG403 forbidden', 'a registrar cannot read the person');
SELECT is(pg_temp.refused(format('SELECT api.person_training(%s, %s)', :ulsa, :pb)),
	'RG403 forbidden', 'nor their training record');
SELECT is(pg_temp.refused(format('SELECT api.person_eligibility(%s, %s)', :ulsa, :pb)),
	'RG403 forbidden', 'nor their eligibility');

-- =====================================================================
-- Corrections.

SELECT api.graduate_amend(:ulsa, 'test', :g1id,
	'{"diploma_number": "ULSA-T-0101", "reason": "Nhập sai số hiệu"}')::jsonb
	AS a1 \gset
SELECT is((SELECT revoked_reason FROM training.credentials
	WHERE id = (:'g1'::jsonb ->> 'credential_id')::uuid), 'Nhập sai số hiệu',
	'a correction revokes the old credential with the reason');
SELECT is((SELECT array_agg(id::text) FROM training.credentials
	WHERE qualification_id = :g1id AND revoked_at IS NULL),
	ARRAY[:'a1'::jsonb ->> 'credential_id'],
	'and issues one new live credential, which the answer carries');
SELECT isnt(:'a1'::jsonb ->> 'credential_id', :'g1'::jsonb ->> 'credential_id',
	'a different one');
SELECT is(:'a1'::jsonb #>> '{_sign,0,id}', :'a1'::jsonb ->> 'credential_id',
	'listed to sign');
SELECT is((SELECT payload::jsonb #>> '{vc,achievement,diploma_number}'
	FROM training.credentials WHERE id = (:'a1'::jsonb ->> 'credential_id')::uuid),
	'ULSA-T-0101', 'the new credential attests the corrected number');
SELECT is((SELECT before || after FROM audit.log WHERE action = 'graduate.amend'
	ORDER BY id DESC LIMIT 1), jsonb_build_object('diploma_number', 'ULSA-T-0101',
	'qualification_id', :g1id, 'reason', 'Nhập sai số hiệu'),
	'the correction is audited with what changed and why');
SELECT is((SELECT before ->> 'diploma_number' FROM audit.log
	WHERE action = 'graduate.amend' ORDER BY id DESC LIMIT 1), 'ULSA-T-0001',
	'including the value before');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"diploma_number": "X"}')$$, :ulsa, :g1id)), 'RG422 required reason',
	'a correction needs a reason');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"diploma_number": "X", "reason": "ab"}')$$, :ulsa, :g1id)),
	'RG422 too-short reason', 'of at least 3 characters');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"diploma_number": "ULSA-T-0101", "reason": "again"}')$$, :ulsa, :g1id)),
	'RG422 no-change', 'a correction that changes nothing is refused');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"diploma_number": "ULSA-T-0003", "reason": "trùng"}')$$, :ulsa, :g1id)),
	'RG409 diploma-exists diploma_number -> /api/v1/graduates/' || :gbid,
	'a number the institution used elsewhere is 409');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"diploma_number": "Z-1", "reason": "không phải của tôi"}')$$, :tuu, :g1id)),
	'RG404 not-found', 'another institution''s registrar gets 404');
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"level": "thac_si", "reason": "sai"}')$$, :hrqn, :g1id)),
	'RG403 forbidden', 'an officer cannot correct graduates');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE qualification_id = :g1id), 2, 'refused corrections issue nothing');

-- Identity: a person kept by a province is theirs to correct.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s,
	'{"full_name": "Trần Văn Bính", "reason": "tên"}')$$, :ulsa, :gbid)),
	'RG409 identity-locked full_name',
	'the name of a person a province keeps is 409 identity-locked');
-- A person who is nothing but this graduate is corrected in place.
SELECT pg_temp.reg(:ulsa, pg_temp.grad('Hoàng Văn Em',
	pg_temp.cid('male', '2001-01-01', 8), '2001-01-01', 'male', 'ULSA-T-0008'))
	AS ge \gset
SELECT (:'ge'::jsonb ->> 'id')::bigint AS geid,
	(:'ge'::jsonb ->> 'person_id')::bigint AS pe \gset
SELECT is(api.graduate_amend(:ulsa, 't', :geid, '{"full_name": "Hoàng Văn Én",
	"birth_date": "2001-02-02", "reason": "sai chính tả"}')::jsonb ->> 'full_name',
	'Hoàng Văn Én', 'the name of a person who is only this graduate is corrected');
SELECT is((SELECT full_name || ' ' || birth_date FROM hr.people WHERE id = :pe),
	'Hoàng Văn Én 2001-02-02', 'on the person''s record');
SELECT is((SELECT payload::jsonb #>> '{vc,subject,name}' FROM training.credentials
	WHERE qualification_id = :geid AND revoked_at IS NULL), 'Hoàng Văn Én',
	'and in the new credential');
SELECT is(api.graduate_amend(:ulsa, 't', :geid, jsonb_build_object('citizen_id',
	pg_temp.cid('male', '2001-02-02', 9), 'reason', 'sai số định danh'))::jsonb
	->> 'person_id', :'pe',
	'a new citizen ID no one holds corrects that person in place');
SELECT is((SELECT citizen_id FROM hr.people WHERE id = :pe),
	pg_temp.cid('male', '2001-02-02', 9), 'the ID is corrected');
-- A new citizen ID someone holds moves the degree to them.
SELECT is(pg_temp.refused(format($$SELECT api.graduate_amend(%s, 't', %s, %L)$$,
	:ulsa, :geid, jsonb_build_object('citizen_id',
	pg_temp.cid('male', '1995-02-03', 3), 'birth_date', '1995-02-03',
	'reason', 'nhầm người'))), 'RG409 identity-mismatch citizen_id',
	'moving to the holder of an ID needs their identity');
SELECT is(api.graduate_amend(:ulsa, 't', :geid, jsonb_build_object('citizen_id',
	pg_temp.cid('male', '1995-02-03', 3), 'full_name', 'Tran Van Binh',
	'birth_date', '1995-02-03', 'reason', 'nhầm người'))::jsonb ->> 'person_id',
	:'pb', 'with it the degree moves to the person holding the ID');
SELECT is((SELECT count(*)::integer FROM training.qualifications
	WHERE person_id = :pe), 0, 'the first person keeps nothing of it');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :pe), NULL,
	'and their highest qualification is recomputed');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'graduate.amend'
	AND entity_id IN (:'pe', :'pb') AND after ->> 'reason' = 'nhầm người'), 2,
	'the move is in both people''s history');
-- A graduate of a kept person moved to a new ID makes a new unkept person.
SELECT api.graduate_amend(:ulsa, 't', :gbid, jsonb_build_object('citizen_id',
	pg_temp.cid('male', '1995-02-03', 10), 'reason', 'không phải người này'))::jsonb
	AS gbm \gset
SELECT isnt((:'gbm'::jsonb ->> 'person_id')::bigint, :pb::bigint,
	'a kept person''s graduate moved to a free ID is another person');
SELECT is((SELECT province_id IS NULL AND citizen_id = pg_temp.cid('male',
	'1995-02-03', 10) AND full_name = 'tran van BINH' FROM hr.people
	WHERE id = (:'gbm'::jsonb ->> 'person_id')::bigint), true,
	'a new person kept by no province, with the identity registered');
SELECT is((SELECT citizen_id FROM hr.people WHERE id = :pb),
	pg_temp.cid('male', '1995-02-03', 3), 'the kept person is unchanged');
-- A lower level recomputes the highest qualification.
SELECT api.graduate_amend(:ulsa, 't', (:'g1m'::jsonb ->> 'id')::bigint,
	'{"level": "cao_dang", "reason": "sai trình độ"}') IS NOT NULL AS x \gset
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :p1), 'dai_hoc',
	'correcting a level down lowers the highest qualification');

-- =====================================================================
-- Officers' records.

SELECT pg_temp.person('Đỗ Văn Giang', 'male', '1990-04-05', 20) AS pg \gset
SELECT pg_temp.degree(:pg, 'dai_hoc', 'other') AS qg \gset
SELECT is(:'qg'::jsonb ->> 'source', 'officer', 'an officer records a degree');
SELECT is(:'qg'::jsonb ->> 'institution_name', 'Trường Đại học Kinh tế Quốc dân',
	'from an institution not on record');
SELECT is((SELECT count(*)::integer FROM training.credentials
	WHERE person_id = :pg), 0, 'officers'' records issue no credential');
SELECT is((SELECT highest_qualification FROM hr.people WHERE id = :pg), 'dai_hoc',
	'the highest qualification rises');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE entity_id = :'pg'
	AND action = 'qualification.create' AND actor_login = 'hr.quangninh'), 1,
	'audited on the person');
SELECT is(pg_temp.refused(format($$SELECT api.qualification_create(%s, 't', %s,
	'{"level": "dai_hoc", "field": "other", "awarded_on": "2020-01-01",
	  "institution_id": %s, "institution_name": "X Y"}')$$, :hrqn, :pg, :ulsa_i)),
	'RG422 one-of institution_name', 'not both an institution and a name');
SELECT is(pg_temp.refused(format($$SELECT api.qualification_create(%s, 't', %s,
	'{"level": "dai_hoc", "field": "other", "awarded_on": "2020-01-01"}')$$,
	:hrqn, :pg)), 'RG422 required institution_name', 'but one of them');
SELECT is(pg_temp.refused(format($$SELECT api.qualification_create(%s, 't', %s,
	'{"level": "dai_hoc", "field": "other", "awarded_on": "2020-01-01",
	  "institution_id": %s, "diploma_number": "ULSA-T-0005"}')$$,
	:hrqn, :pg, :ulsa_i)), 'RG409 diploma-exists diploma_number',
	'an institution''s diploma number is unique whoever records it (no link out of scope)');
SELECT is(pg_temp.refused(format($$SELECT api.qualification_create(%s, 't', %s,
	'{"level": "dai_hoc", "field": "other", "awarded_on": "2020-01-01",
	  "institution_name": "X Y"}')$$, :hrdt, :pg)), 'RG404 not-found',
	'another province''s officer gets 404');
SELECT is(pg_temp.refused(format($$SELECT api.qualification_create(%s, 't', %s,
	'{"level": "dai_hoc", "field": "other", "awarded_on": "2020-01-01",
	  "institution_name": "X Y"}')$$, :bcdqn, :pg)), 'RG403 forbidden',
	'steering cannot write');
SELECT is(pg_temp.refused(format($$SELECT api.certificate_create(%s, 't', %s,
	'{"kind": "title_training", "name": "Bồi dưỡng hạng III",
	  "issuer_name": "ULSA", "issued_on": "2025-01-01"}')$$, :hrqn, :pg)),
	'RG422 required title_code', 'a title-training certificate names its title');
SELECT is(pg_temp.refused(format($$SELECT api.certificate_create(%s, 't', %s,
	'{"kind": "course", "name": "Kỹ năng", "issuer_name": "ULSA",
	  "issued_on": "2025-01-01", "practice_months": 3}')$$, :hrqn, :pg)),
	'RG422 not-applicable practice_months', 'a course has no practice months');
SELECT is(pg_temp.refused(format($$SELECT api.certificate_create(%s, 't', %s,
	'{"kind": "course", "name": "Kỹ năng", "issuer_name": "ULSA",
	  "issued_on": "2025-01-01", "counts_as_sw_training": "yes"}')$$, :hrqn, :pg)),
	'RG422 invalid-type counts_as_sw_training', 'a flag is a boolean');
SELECT is(pg_temp.refused(format($$SELECT api.certificate_create(%s, 't', %s,
	'{"kind": "practice_result", "name": "Thực hành", "issued_on": "2025-01-01",
	  "practice_months": 3}')$$, :hrqn, :pg)),
	'RG422 required issuer_name', 'a certificate names its issuer');
SELECT pg_temp.cert(:pg, '{"kind": "course", "name": "Bồi dưỡng CTXH",
	"number": "BD-1"}') AS cg \gset
SELECT is(pg_temp.refused(format($$SELECT api.certificate_create(%s, 't', %s, %L)$$,
	:hrqn, :pg, '{"kind": "course", "name": "Bồi dưỡng CTXH", "number": "BD-1",
	"issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
	"issued_on": "2025-03-01"}')),
	'RG409 certificate-exists number -> /api/v1/people/' || :pg || '/training',
	'the same certificate twice is 409');

-- Practice registrations.
SELECT api.practice_registration_create(:hrqn, 't', :pg, '{"number": "CTXH-22-0001",
	"issued_by": "Sở Y tế Quảng Ninh", "issued_on": "2025-02-01",
	"expires_on": "2030-02-01"}')::jsonb AS rg \gset
SELECT is(:'rg'::jsonb ->> 'status', 'active', 'a registration is active by default');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registration_create(%s, 't',
	%s, '{"number": "CTXH-22-0001", "issued_by": "Sở Y tế",
	"issued_on": "2025-02-01"}')$$, :hrqn, :pg)),
	'RG409 practice-registration-exists number -> /api/v1/people/' || :pg || '/training',
	'registration numbers are unique');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registration_create(%s, 't',
	%s, '{"number": "CTXH-22-0002", "issued_by": "Sở Y tế",
	"issued_on": "2024-10-14"}')$$, :hrqn, :pg)),
	'RG422 out-of-range issued_on', 'none before Decree 110/2024 took effect');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registration_create(%s, 't',
	%s, '{"number": "CTXH-22-0002", "issued_by": "Sở Y tế",
	"issued_on": "2025-02-01", "expires_on": "2025-02-01"}')$$, :hrqn, :pg)),
	'RG422 expires-before-issued expires_on', 'expiry after issue');
SELECT is(api.practice_registration_update(:hrqn, 't', (:'rg'::jsonb ->> 'id')::bigint,
	'{"status": "suspended"}')::jsonb ->> 'status', 'suspended',
	'a registration is suspended by a patch');
SELECT is((SELECT before || after FROM audit.log
	WHERE action = 'practice_registration.update' ORDER BY id DESC LIMIT 1),
	jsonb_build_object('status', 'suspended', 'id', (:'rg'::jsonb ->> 'id')::bigint),
	'audited with what changed');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registration_update(%s, 't',
	%s, '{"status": "active"}')$$, :hrdt, :'rg'::jsonb ->> 'id')),
	'RG404 not-found', 'another province''s officer gets 404');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registration_update(%s, 't',
	%s, '{"status": null}')$$, :hrqn, :'rg'::jsonb ->> 'id')),
	'RG422 required status', 'a status cannot be cleared');
SELECT api.person_training(:bcdqn, :pg)::jsonb AS tr \gset
SELECT is(array[jsonb_array_length(:'tr'::jsonb -> 'qualifications'),
	jsonb_array_length(:'tr'::jsonb -> 'certificates'),
	jsonb_array_length(:'tr'::jsonb -> 'practice_registrations'),
	jsonb_array_length(:'tr'::jsonb -> 'enrolments'),
	jsonb_array_length(:'tr'::jsonb -> 'credentials')], ARRAY[1, 1, 1, 0, 0],
	'the training record lists what was recorded (steering reads it)');
SELECT is(pg_temp.refused(format('SELECT api.person_training(%s, %s)', :hrdt, :pg)),
	'RG404 not-found', 'another province''s officer does not see it');
SELECT is((api.person_training(:admin, :pb)::jsonb #>> '{qualifications,0,source}'),
	'registrar', 'a registered degree is in the keeping province''s record');

-- =====================================================================
-- Eligibility for the titles.

SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(
	api.person_eligibility(:admin, :pg)::jsonb) k),
	ARRAY['practice_registration', 'titles'], 'eligibility has titles and practice_registration');
SELECT is((SELECT array_agg(t ->> 'code' ORDER BY n) FROM jsonb_array_elements(
	api.person_eligibility(:admin, :pg)::jsonb -> 'titles') WITH ORDINALITY x(t, n)),
	ARRAY['V.09.04.01', 'V.09.04.02', 'V.09.04.03'], 'the three titles, in order');
SELECT is((SELECT array_agg(DISTINCT k ORDER BY k) FROM jsonb_array_elements(
	api.person_eligibility(:admin, :pg)::jsonb -> 'titles') t,
	jsonb_object_keys(t) k), ARRAY['code', 'criteria', 'eligible', 'name'],
	'each title has code, name, eligible, criteria');
SELECT is((SELECT array_agg(DISTINCT k ORDER BY k) FROM jsonb_array_elements(
	api.person_eligibility(:admin, :pg)::jsonb -> 'titles') t,
	jsonb_array_elements(t -> 'criteria') c, jsonb_object_keys(c) k),
	ARRAY['detail', 'met', 'name'], 'each criterion has name, met, detail');
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(
	pg_temp.practice(:pg)) k),
	ARRAY['certificate', 'criteria', 'deadline', 'ready', 'required'],
	'practice_registration has deadline, required, ready, criteria, certificate');

-- An economics bachelor (field other) with a course that does not count.
SELECT is(pg_temp.met(pg_temp.title(:pg, 'V.09.04.02'), 'qualification_level'),
	true, 'economics bachelor: the level is met');
SELECT is(pg_temp.met(pg_temp.title(:pg, 'V.09.04.02'), 'field'), false,
	'the field is not, without a social-work certificate');
SELECT is((pg_temp.title(:pg, 'V.09.04.02') ->> 'eligible')::boolean, false,
	'so not eligible for V.09.04.02');
SELECT is((pg_temp.title(:pg, 'V.09.04.03') ->> 'eligible')::boolean, false,
	'nor for V.09.04.03');
SELECT pg_temp.cert(:pg, '{"kind": "course", "name": "Bồi dưỡng nghiệp vụ CTXH",
	"counts_as_sw_training": true}') IS NOT NULL AS x \gset
SELECT is(pg_temp.met(pg_temp.title(:pg, 'V.09.04.02'), 'field'), true,
	'a social-work training certificate meets the field');
SELECT ok((SELECT c ->> 'detail' FROM jsonb_array_elements(pg_temp.title(:pg,
	'V.09.04.02') -> 'criteria') c WHERE c ->> 'name' = 'field')
	LIKE '%Bồi dưỡng nghiệp vụ CTXH%/%social-work training certificate%',
	'the detail names the certificate, in Vietnamese and English');
SELECT is((pg_temp.title(:pg, 'V.09.04.03') ->> 'eligible')::boolean, true,
	'which makes V.09.04.03 eligible');
SELECT is(pg_temp.met(pg_temp.title(:pg, 'V.09.04.02'), 'title_training'), false,
	'V.09.04.02 still needs its title training');
SELECT pg_temp.cert(:pg, '{"kind": "title_training", "name": "Bồi dưỡng CTXH viên",
	"title_code": "V.09.04.02"}') IS NOT NULL AS x \gset
SELECT is((pg_temp.title(:pg, 'V.09.04.02') ->> 'eligible')::boolean, true,
	'with it, V.09.04.02 is eligible');
SELECT is((pg_temp.title(:pg, 'V.09.04.01') ->> 'eligible')::boolean, false,
	'but not V.09.04.01 (its own title training)');

-- A bachelor in social work with the title training for V.09.04.02.
SELECT pg_temp.person('Bùi Thị Hạnh', 'female', '1992-06-07', 21) AS ph \gset
SELECT pg_temp.degree(:ph, 'dai_hoc', 'social_work') IS NOT NULL AS x \gset
SELECT is((pg_temp.title(:ph, 'V.09.04.02') ->> 'eligible')::boolean, false,
	'a social-work bachelor without title training is not yet V.09.04.02');
SELECT is(pg_temp.met(pg_temp.title(:ph, 'V.09.04.02'), 'field'), true,
	'though the field is met');
SELECT pg_temp.cert(:ph, '{"kind": "title_training", "name": "Bồi dưỡng CTXH viên",
	"title_code": "V.09.04.02"}') IS NOT NULL AS x \gset
SELECT is((pg_temp.title(:ph, 'V.09.04.02') ->> 'eligible')::boolean, true,
	'bachelor in social work + title training: V.09.04.02 eligible');
SELECT is((pg_temp.title(:ph, 'V.09.04.01') ->> 'eligible')::boolean, false,
	'not V.09.04.01');
SELECT is((pg_temp.title(:ph, 'V.09.04.03') ->> 'eligible')::boolean, true,
	'and V.09.04.03');
-- A V.09.04.01 certificate counts for V.09.04.02 too.
SELECT pg_temp.person('Vũ Văn Khoa', 'male', '1985-01-01', 22) AS pk \gset
SELECT pg_temp.degree(:pk, 'thac_si', 'psychology') IS NOT NULL AS x \gset
SELECT pg_temp.cert(:pk, '{"kind": "title_training", "name": "Bồi dưỡng CTXH viên chính",
	"title_code": "V.09.04.01"}') IS NOT NULL AS x \gset
SELECT is(ARRAY[(pg_temp.title(:pk, 'V.09.04.01') ->> 'eligible')::boolean,
	(pg_temp.title(:pk, 'V.09.04.02') ->> 'eligible')::boolean],
	ARRAY[true, true], 'a V.09.04.01 title training counts for V.09.04.02 too');
-- Trung cấp: only V.09.04.03.
SELECT pg_temp.person('Lý Thị Mai', 'female', '1996-08-09', 23) AS pm \gset
SELECT pg_temp.degree(:pm, 'trung_cap', 'social_work') IS NOT NULL AS x \gset
SELECT is((SELECT array_agg((t ->> 'eligible')::boolean ORDER BY t ->> 'code')
	FROM jsonb_array_elements(api.person_eligibility(:admin, :pm)::jsonb -> 'titles') t),
	ARRAY[false, false, true], 'trung cấp in social work: only V.09.04.03');
SELECT is(pg_temp.met(pg_temp.title(:pm, 'V.09.04.02'), 'qualification_level'),
	false, 'the bachelor level is not met');
SELECT ok((SELECT c ->> 'detail' FROM jsonb_array_elements(pg_temp.title(:pm,
	'V.09.04.02') -> 'criteria') c WHERE c ->> 'name' = 'qualification_level')
	LIKE '%đại học%trung cấp%bachelor%intermediate%',
	'the detail says what is needed and what is held');
-- No degree at all.
SELECT pg_temp.person('Đinh Văn Nam', 'male', '1994-09-10', 24) AS pn \gset
SELECT is((SELECT bool_or((t ->> 'eligible')::boolean) FROM jsonb_array_elements(
	api.person_eligibility(:admin, :pn)::jsonb -> 'titles') t), false,
	'no degree: no title');
SELECT is(pg_temp.refused(format('SELECT api.person_eligibility(%s, %s)', :hrdt, :pn)),
	'RG404 not-found', 'eligibility is in the person''s scope');
SELECT is((api.person_eligibility(:bcdqn, :pn)::jsonb -> 'titles') IS NOT NULL,
	true, 'steering of the province reads it');

-- =====================================================================
-- Practice registration readiness: 12/9/6 months by level.

SELECT is((pg_temp.practice(:ph) ->> 'ready')::boolean, false,
	'a social-work bachelor without supervised practice is not ready');
SELECT pg_temp.cert(:ph, '{"kind": "practice_result", "name": "Thực hành có giám sát",
	"practice_months": 6}') IS NOT NULL AS x \gset
SELECT pg_temp.cert(:ph, '{"kind": "practice_result", "name": "Thực hành có giám sát 2",
	"practice_months": 5.5}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:ph) ->> 'ready')::boolean, false,
	'11.5 months are not enough for a bachelor');
SELECT ok((SELECT c ->> 'detail' FROM jsonb_array_elements(pg_temp.practice(:ph)
	-> 'criteria') c WHERE c ->> 'name' = 'supervised_practice') LIKE '11.5/12 %',
	'the detail counts 11.5 of 12 months');
SELECT pg_temp.cert(:ph, '{"kind": "practice_result", "name": "Thực hành 3",
	"practice_months": 0.5}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:ph) ->> 'ready')::boolean, true,
	'12 months make a bachelor ready');
SELECT pg_temp.person('Cao Thị Oanh', 'female', '1997-10-11', 25) AS po \gset
SELECT pg_temp.degree(:po, 'cao_dang', 'sociology') IS NOT NULL AS x \gset
SELECT pg_temp.cert(:po, '{"kind": "practice_result", "name": "Thực hành",
	"practice_months": 8.5}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:po) ->> 'ready')::boolean, false,
	'a college graduate needs 9 months: 8.5 are not enough');
SELECT pg_temp.cert(:po, '{"kind": "practice_result", "name": "Thực hành 2",
	"practice_months": 0.5}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:po) ->> 'ready')::boolean, true, '9 are');
SELECT pg_temp.cert(:pm, '{"kind": "practice_result", "name": "Thực hành",
	"practice_months": 6}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:pm) ->> 'ready')::boolean, true,
	'trung cấp needs 6 months');
SELECT pg_temp.cert(:pg, '{"kind": "practice_result", "name": "Thực hành",
	"practice_months": 24}') IS NOT NULL AS x \gset
SELECT is((pg_temp.practice(:pg) ->> 'ready')::boolean, false,
	'a degree in another field is not ready whatever the months (no certificate substitutes)');
SELECT is((SELECT array_agg(c ->> 'met' ORDER BY n) FROM jsonb_array_elements(
	pg_temp.practice(:ph) -> 'criteria') WITH ORDINALITY x(c, n)),
	ARRAY['true', 'true', NULL, NULL],
	'fitness to practise and no prohibition are not recorded (met null)');
SELECT is(pg_temp.practice(:ph) ->> 'deadline', '2027-01-01', 'the deadline');
SELECT is(pg_temp.practice(:ph) -> 'certificate', 'null'::jsonb,
	'no registration: certificate null');
SELECT is((pg_temp.practice(:pg) #>> '{certificate,number}'), 'CTXH-22-0001',
	'a registration on record is the certificate');
SELECT is((pg_temp.practice(:pg) #>> '{certificate,expires_in_days}')::integer,
	'2030-02-01'::date - current_date, 'with the days until it expires');

-- =====================================================================
-- Who must register, and the due list.

SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Phòng CTXH thử",
	"kind": "commune_office", "commune_code": "06688", "opened_on": "2010-01-01"}')::jsonb
	->> 'id')::integer AS u22 \gset
SELECT (api.work_unit_create(:hrdt, 'test', '{"name": "Trung tâm thử",
	"kind": "sw_centre", "commune_code": "28249", "opened_on": "2010-01-01"}')::jsonb
	->> 'id')::integer AS u82 \gset
CREATE FUNCTION pg_temp.spell(p_actor bigint, p_person bigint, p_unit integer,
    p_category text, p_end date DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.assignment_create(p_actor, 'test',
	    jsonb_strip_nulls(jsonb_build_object('person_id', p_person,
		'work_unit_id', p_unit, 'category', p_category, 'fte', 1,
		'start_date', '2020-01-01', 'end_date', p_end,
		'end_reason', CASE WHEN p_end IS NOT NULL THEN 'resigned' END)))::jsonb
$$;
CREATE FUNCTION pg_temp.registered(p_person bigint, p_number text,
    p_expires date, p_status text DEFAULT 'active') RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.practice_registration_create(pg_temp.uid('hr.quangninh'),
	    'test', p_person, jsonb_build_object('number', p_number,
		'issued_by', 'Sở Y tế Quảng Ninh', 'issued_on', '2025-01-01',
		'expires_on', p_expires, 'status', p_status))::jsonb
$$;
-- Missing, expiring in 30 days, expired, valid for years, suspended; a
-- collaborator and a spell that ended need none.
SELECT pg_temp.person('Quách Văn An', 'male', '1990-01-01', 30) AS d1,
	pg_temp.person('Quách Văn Bảo', 'male', '1990-01-01', 31) AS d2,
	pg_temp.person('Quách Văn Chi', 'male', '1990-01-01', 32) AS d3,
	pg_temp.person('Quách Văn Dũng', 'male', '1990-01-01', 33) AS d4,
	pg_temp.person('Quách Văn Giao', 'male', '1990-01-01', 34) AS d5,
	pg_temp.person('Quách Văn Hải', 'male', '1990-01-01', 35) AS d6,
	pg_temp.person('Quách Văn Khải', 'male', '1990-01-01', 36) AS d7 \gset
SELECT pg_temp.spell(:hrqn, :d1, :u22, 'professional'),
	pg_temp.spell(:hrqn, :d2, :u22, 'professional'),
	pg_temp.spell(:hrqn, :d3, :u22, 'commune_post'),
	pg_temp.spell(:hrqn, :d4, :u22, 'professional'),
	pg_temp.spell(:hrqn, :d5, :u22, 'collaborator'),
	pg_temp.spell(:hrqn, :d6, :u22, 'professional'),
	pg_temp.spell(:hrqn, :d7, :u22, 'professional', '2024-12-31') \gset s_
SELECT pg_temp.registered(:d2, 'DUE-2', current_date + 30),
	pg_temp.registered(:d3, 'DUE-3', '2026-01-01'),
	pg_temp.registered(:d4, 'DUE-4', current_date + 800),
	pg_temp.registered(:d6, 'DUE-6', current_date + 800, 'suspended') \gset r_
SELECT api.person_create(:hrdt, 'test', jsonb_build_object('full_name',
	'Quách Văn Lâm', 'sex', 'male', 'birth_date', '1990-01-01',
	'citizen_id', pg_temp.cid('male', '1990-01-01', 37)))::jsonb ->> 'id' AS d8 \gset
SELECT pg_temp.spell(:hrdt, :d8, :u82, 'professional') \gset s8_

SELECT is((pg_temp.practice(:d1) ->> 'required')::boolean, true,
	'an open professional spell requires a registration');
SELECT is((pg_temp.practice(:d3) ->> 'required')::boolean, true,
	'so does a commune post');
SELECT is((pg_temp.practice(:d5) ->> 'required')::boolean, false,
	'a collaborator needs none');
SELECT is((pg_temp.practice(:d7) ->> 'required')::boolean, false,
	'nor a spell that ended');

CREATE FUNCTION pg_temp.due(p_actor bigint, p_province text,
    p_within integer DEFAULT NULL, p_cursor text DEFAULT NULL,
    p_limit integer DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT api.practice_registrations_due(p_actor, p_province, p_within,
	    p_cursor, p_limit)::jsonb
$$;
CREATE FUNCTION pg_temp.due_list(p_page jsonb) RETURNS text[]
LANGUAGE sql AS $$
	SELECT coalesce(array_agg(split_part(i ->> 'full_name', ' ', 3) || ':' ||
	    (i ->> 'reason') ORDER BY n), '{}')
	  FROM jsonb_array_elements(p_page -> 'items') WITH ORDINALITY x(i, n)
$$;
-- The reasons, by name; and the order, which depends on today only in
-- where the expiring one (due in 30 days) falls against the deadline.
CREATE FUNCTION pg_temp.by_name(p_list text[]) RETURNS text[]
LANGUAGE sql AS $$ SELECT array_agg(x ORDER BY x) FROM unnest(p_list) x $$;
CREATE FUNCTION pg_temp.sorted(p_page jsonb) RETURNS boolean
LANGUAGE sql AS $$
	SELECT coalesce(bool_and(a.k <= b.k), true)
	  FROM (SELECT n, ((i ->> 'due_on')::date, array_position(ARRAY['expired',
		'revoked', 'suspended', 'missing', 'expiring'], i ->> 'reason')) AS k
		  FROM jsonb_array_elements(p_page -> 'items') WITH ORDINALITY x(i, n)) a
	  JOIN (SELECT n, ((i ->> 'due_on')::date, array_position(ARRAY['expired',
		'revoked', 'suspended', 'missing', 'expiring'], i ->> 'reason')) AS k
		  FROM jsonb_array_elements(p_page -> 'items') WITH ORDINALITY x(i, n)) b
	    ON b.n = a.n + 1
$$;
SELECT is(pg_temp.by_name(pg_temp.due_list(pg_temp.due(:hrqn, NULL))),
	ARRAY['An:missing', 'Bảo:expiring', 'Chi:expired', 'Hải:suspended'],
	'the due list: missing, expiring within 90 days, expired, suspended; not the valid, the collaborator or the ended spell');
SELECT is((pg_temp.due_list(pg_temp.due(:hrqn, NULL)))[1], 'Chi:expired',
	'the expired one comes first');
SELECT ok(pg_temp.sorted(pg_temp.due(:hrqn, NULL)),
	'by the day each is due, then expired, revoked, suspended, missing, expiring');
SELECT ok(array_position(pg_temp.due_list(pg_temp.due(:hrqn, NULL)), 'Hải:suspended') <
	array_position(pg_temp.due_list(pg_temp.due(:hrqn, NULL)), 'An:missing'),
	'on the deadline a suspended registration comes before a missing one');
SELECT is(pg_temp.by_name(pg_temp.due_list(pg_temp.due(:hrqn, NULL, 10))),
	ARRAY['An:missing', 'Chi:expired', 'Hải:suspended'],
	'within 10 days the expiring one is not due');
SELECT is((SELECT i FROM jsonb_array_elements(pg_temp.due(:hrqn, '22') -> 'items') i
	WHERE i ->> 'reason' = 'expiring') - 'person_id' - 'work_units',
	jsonb_build_object('full_name', 'Quách Văn Bảo', 'citizen_id', '•••••••••031',
	'reason', 'expiring', 'registration_number', 'DUE-2', 'status', 'active',
	'expires_on', current_date + 30, 'due_on', current_date + 30, 'days_left', 30),
	'an expiring item: masked ID, number, expiry and days left');
SELECT is((SELECT (i ->> 'days_left')::integer FROM jsonb_array_elements(
	pg_temp.due(:hrqn, '22') -> 'items') i WHERE i ->> 'reason' = 'missing'),
	'2027-01-01'::date - current_date, 'a missing one counts to the deadline');
SELECT is((SELECT i -> 'work_units' FROM jsonb_array_elements(
	pg_temp.due(:hrqn, '22') -> 'items') i WHERE i ->> 'reason' = 'missing'),
	jsonb_build_array(jsonb_build_object('work_unit_id', :u22,
	    'work_unit_name', 'Phòng CTXH thử', 'commune_code', '06688',
	    'category', 'professional')), 'items name the work units');
SELECT is(pg_temp.due_list(pg_temp.due(:bcdqn, NULL)),
	pg_temp.due_list(pg_temp.due(:hrqn, NULL)), 'provincial steering sees the same');
SELECT is(pg_temp.due_list(pg_temp.due(:hrdt, NULL)), ARRAY['Lâm:missing'],
	'another province sees its own');
SELECT is(pg_temp.by_name(pg_temp.due_list(pg_temp.due(:admin, NULL))),
	ARRAY['An:missing', 'Bảo:expiring', 'Chi:expired', 'Hải:suspended', 'Lâm:missing'],
	'an administrator sees every province');
SELECT ok(array_position(pg_temp.due_list(pg_temp.due(:admin, NULL)), 'An:missing') <
	array_position(pg_temp.due_list(pg_temp.due(:admin, NULL)), 'Lâm:missing'),
	'the same reason on the same day goes by given name');
SELECT is(pg_temp.due_list(pg_temp.due(:bcdnat, '82')), ARRAY['Lâm:missing'],
	'national steering picks a province');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registrations_due(%s, '82',
	NULL, NULL, NULL)$$, :hrqn)), 'RG403 out-of-scope province',
	'an officer cannot ask for another province');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registrations_due(%s, NULL,
	NULL, NULL, NULL)$$, :ulsa)), 'RG403 forbidden', 'registrars have no access');
SELECT is(pg_temp.refused(format($$SELECT api.practice_registrations_due(%s, NULL,
	-1, NULL, NULL)$$, :hrqn)), 'RG400 invalid-parameter within',
	'within is 0 or more');
SELECT is(pg_temp.due_list(pg_temp.due(:admin, NULL, NULL, NULL, 2)) ||
	pg_temp.due_list(pg_temp.due(:admin, NULL, NULL,
	    pg_temp.due(:admin, NULL, NULL, NULL, 2) ->> 'next_cursor', 2)) ||
	pg_temp.due_list(pg_temp.due(:admin, NULL, NULL,
	    pg_temp.due(:admin, NULL, NULL, pg_temp.due(:admin, NULL, NULL, NULL, 2)
		->> 'next_cursor', 2) ->> 'next_cursor', 2)),
	pg_temp.due_list(pg_temp.due(:admin, NULL)), 'pages of 2 add up to the list');
-- A renewal takes a person off the list.
SELECT api.practice_registration_update(:hrqn, 't', (SELECT id FROM
	training.practice_registrations WHERE number = 'DUE-2'),
	jsonb_build_object('expires_on', current_date + 1000)) IS NOT NULL AS x \gset
SELECT is(pg_temp.by_name(pg_temp.due_list(pg_temp.due(:hrqn, NULL))),
	ARRAY['An:missing', 'Chi:expired', 'Hải:suspended'],
	'a renewed registration is no longer due');

SELECT * FROM finish();
ROLLBACK;
