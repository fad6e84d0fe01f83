-- The workforce api functions, called as the demo users: work units,
-- people (masking, search, scope, reveal auditing), assignments (FTE
-- warnings, overlaps, transfers, headcounts on past dates), spreadsheet
-- imports (dry run, commit, re-import), and the field readers they share.
BEGIN;
SELECT plan(218);

\ir helpers.psql

-- Start from an empty workforce, whatever demo data the database holds
-- (the transaction is rolled back at the end).
DELETE FROM hr.imports;
-- Training records point at people: they go first.
DELETE FROM training.credentials;
DELETE FROM training.certificates;
DELETE FROM training.qualifications;
DELETE FROM training.practice_registrations;
DELETE FROM training.enrolments;
DELETE FROM hr.assignments;
DELETE FROM hr.work_unit_places;
DELETE FROM hr.work_units;
DELETE FROM hr.people;

-- The link (DATATYPE field) a refusal points at, or 'no error'.
CREATE FUNCTION pg_temp.link(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	l	text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS l = PG_DATATYPE_NAME;
	RETURN l;
END
$$;

-- The full names of a people_list page, in list order.
CREATE FUNCTION pg_temp.names(p_page json) RETURNS text[]
LANGUAGE sql AS $$
	SELECT coalesce(array_agg(i ->> 'full_name' ORDER BY n), '{}')
	  FROM json_array_elements(p_page -> 'items') WITH ORDINALITY i(i, n)
$$;

CREATE FUNCTION pg_temp.people(p_actor bigint, p_province text, p_q text,
    p_cursor text DEFAULT NULL, p_limit integer DEFAULT NULL) RETURNS json
LANGUAGE sql AS $$
	SELECT api.people_list(p_actor, p_province, NULL, NULL, NULL, NULL, p_q,
	    p_cursor, p_limit)
$$;

CREATE FUNCTION pg_temp.person_id(p_cid text) RETURNS bigint
LANGUAGE sql AS $$ SELECT id FROM hr.people WHERE citizen_id = p_cid $$;

CREATE FUNCTION pg_temp.reveals(p_person bigint, p_login text) RETURNS integer
LANGUAGE sql AS $$
	SELECT count(*)::integer FROM audit.log WHERE action = 'person.reveal_id'
	   AND entity = 'person' AND entity_id = p_person::text
	   AND actor_login = p_login
$$;

-- One day's headcount of a commune as {category: [people, fte]}.
CREATE FUNCTION pg_temp.heads(p_actor bigint, p_as_of date, p_commune text)
RETURNS jsonb
LANGUAGE sql AS $$
	SELECT coalesce(jsonb_object_agg(i ->> 'category',
	    jsonb_build_array((i ->> 'people')::integer, (i ->> 'fte')::numeric)),
	    '{}')
	  FROM json_array_elements(api.headcount(p_actor, p_as_of, NULL,
	    p_commune) -> 'items') i
$$;

SELECT pg_temp.uid('admin') AS admin, pg_temp.uid('hr.quangninh') AS hrqn,
	pg_temp.uid('hr.dongthap') AS hrdt, pg_temp.uid('bcd.quangninh') AS bcdqn,
	pg_temp.uid('bcd.national') AS bcdnat, pg_temp.uid('ulsa') AS ulsa \gset

-- =====================================================================
-- Work units.

SELECT api.work_unit_create(:hrqn, 'test', '{"name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
	"kind": "sw_centre", "commune_code": "06688", "opened_on": "2015-01-01"}')
	AS u1_json \gset
SELECT (:'u1_json'::jsonb ->> 'id')::integer AS u1 \gset
SELECT is(:'u1_json'::jsonb ->> 'province_code', '22',
	'a unit created in Hạ Long belongs to province 22');
SELECT is((SELECT province_id FROM hr.work_units WHERE id = :u1),
	(SELECT parent_id FROM geo.units WHERE level = 'commune' AND code = '06688'
	  AND valid_to IS NULL), 'the stored province is the commune''s');
SELECT is(:'u1_json'::jsonb ->> 'sector', 'social_protection',
	'a social work centre defaults to the social protection sector');
SELECT is(:'u1_json'::jsonb ->> 'ownership', 'public', 'and to public ownership');
SELECT is((SELECT array_agg(valid::text || ' ' || reason) FROM hr.work_unit_places
	WHERE work_unit_id = :u1), ARRAY['[2015-01-01,) created'],
	'the unit''s first place runs from its opening day');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'work_unit.create'
	AND entity_id = :'u1' AND actor_login = 'hr.quangninh'), 1,
	'creating a unit is audited');
SELECT is(api.work_unit_create(:hrqn, 'test', '{"name": "Trường Tiểu học Hà Tu",
	"kind": "school", "commune_code": "06652"}')::jsonb ->> 'sector', 'education',
	'a school defaults to the education sector');
SELECT is(api.work_unit_create(:hrqn, 'test', '{"name": "Cơ sở Bảo trợ Hoa Sen",
	"kind": "protection_private", "commune_code": "06652"}')::jsonb ->> 'ownership',
	'non_public', 'a private protection facility defaults to non-public');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Trung tâm X", "kind": "sw_centre", "commune_code": "06688"}')$$,
	:hrdt)), 'RG403 out-of-scope',
	'hr.dongthap cannot create a unit in Quảng Ninh');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Trung tâm X", "kind": "sw_centre", "commune_code": "06688"}')$$,
	:bcdqn)), 'RG403 forbidden', 'steering cannot create units');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Trung tâm X", "kind": "sw_centre", "commune_code": "99999"}')$$,
	:hrqn)), 'RG422 unknown-commune', 'an unknown commune is RG422');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Cơ sở X", "kind": "protection_private", "ownership": "public",
	  "commune_code": "06688"}')$$, :hrqn)), 'RG422 ownership-mismatch',
	'a public private-protection facility is RG422 ownership-mismatch');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Trung tâm X", "kind": "sw_centre", "commune_code": "06688",
	  "opened_on": "2020-01-02", "closed_on": "2020-01-01"}')$$, :hrqn)),
	'RG422 closed-before-opened', 'closing before opening is RG422');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"kind": "sw_centre", "commune_code": "06688"}')$$, :hrqn)),
	'RG422 required', 'a unit without a name is RG422 required');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_create(%s, 'test',
	'{"name": "Câu lạc bộ", "kind": "club", "commune_code": "06688"}')$$, :hrqn)),
	'RG422 invalid-code', 'an unknown kind is RG422 invalid-code');

-- Update.
SELECT is(api.work_unit_update(:hrqn, 'test', :u1,
	'{"name": "Trung tâm CTXH Quảng Ninh"}')::jsonb ->> 'name',
	'Trung tâm CTXH Quảng Ninh', 'work_unit_update renames a unit');
SELECT is((SELECT after FROM audit.log WHERE action = 'work_unit.update'
	AND entity_id = :'u1' ORDER BY id DESC LIMIT 1),
	'{"name": "Trung tâm CTXH Quảng Ninh"}'::jsonb,
	'the update is audited with only the changed field');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_update(%s, 'test', %s,
	'{"name": "Đổi tên"}')$$, :hrdt, :u1)), 'RG404 not-found',
	'hr.dongthap cannot see a Quảng Ninh unit');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_update(%s, 'test', %s,
	'{"name": "Đổi tên"}')$$, :bcdqn, :u1)), 'RG403 forbidden',
	'steering cannot update units');
SELECT is(pg_temp.err(format($$SELECT api.work_unit_update(%s, 'test', %s,
	'{"commune_code": "28249"}')$$, :hrqn, :u1)), 'RG403 out-of-scope',
	'an officer cannot move a unit into another province');

-- Moving a unit keeps where it was.
SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Trung tâm Lưu động",
	"kind": "sw_centre", "commune_code": "06688", "opened_on": "2018-01-01"}')
	::jsonb ->> 'id')::integer AS umove \gset
SELECT is(api.work_unit_update(:hrqn, 'test', :umove,
	'{"commune_code": "06652"}')::jsonb ->> 'commune_code', '06652',
	'a unit can be moved to another commune');
SELECT is((SELECT array_agg(c.code || ' ' || lower(pl.valid) || ' ' ||
	coalesce(upper(pl.valid)::text, 'open') || ' ' || pl.reason
	ORDER BY lower(pl.valid))
	FROM hr.work_unit_places pl JOIN geo.units c ON c.id = pl.commune_id
	WHERE pl.work_unit_id = :umove),
	ARRAY['06688 2018-01-01 ' || current_date || ' created',
	    '06652 ' || current_date || ' open moved'],
	'the old place ends where the new one starts');
-- Closures are often recorded late: a closing day before the current
-- place began (say, before a remap onto a successor commune) must be a
-- clear answer, not a range error.
SELECT matches(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:hrqn, 'test', :umove, '2024-12-31')), '^(no error|RG4[0-9][0-9] )',
	'closing a moved unit on a day before the move is not an internal error');
SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Điểm Công tác xã hội",
	"kind": "sw_centre", "commune_code": "06688"}')::jsonb ->> 'id')::integer
	AS unodate \gset
SELECT is(pg_temp.err(format($$SELECT api.work_unit_update(%s, 'test', %s,
	'{"commune_code": "06652"}')$$, :hrqn, :unodate)), 'no error',
	'a unit with no opening date can be moved too');

-- Closing.
SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Trung tâm Sắp đóng",
	"kind": "shelter", "commune_code": "06688", "opened_on": "2015-01-01"}')
	::jsonb ->> 'id')::integer AS uclose \gset
SELECT (api.person_create(:hrqn, 'test', '{"full_name": "Chu Văn Đóng",
	"citizen_id": "022070000901", "sex": "male", "birth_date": "1970-01-01"}')
	::jsonb ->> 'id')::bigint AS pclose \gset
SELECT (api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id',
	:pclose, 'work_unit_id', :uclose, 'category', 'professional', 'fte', 1,
	'start_date', '2020-01-01'))::jsonb ->> 'id')::bigint AS sclose \gset
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, NULL)',
	:hrqn, 'test', :uclose)), 'RG422 required', 'closing needs a date');
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:hrqn, 'test', :uclose, '2024-12-31')), 'RG409 unit-has-staff',
	'a unit with an open spell cannot close (RG409 unit-has-staff)');
SELECT lives_ok(format($$SELECT api.assignment_update(%s, 'test', %s,
	'{"end_date": "2025-01-31", "end_reason": "other"}')$$, :hrqn, :sclose),
	'the spell is ended after the closing day');
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:hrqn, 'test', :uclose, '2024-12-31')), 'RG409 unit-has-staff',
	'a spell ending after the closing day still blocks it');
SELECT lives_ok(format($$SELECT api.assignment_update(%s, 'test', %s,
	'{"end_date": "2024-12-31"}')$$, :hrqn, :sclose),
	'the spell is ended on the closing day');
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:bcdqn, 'test', :uclose, '2024-12-31')), 'RG403 forbidden',
	'steering cannot close units');
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:hrqn, 'test', :uclose, '2014-12-31')), 'RG422 closed-before-opened',
	'closing before the opening day is RG422');
SELECT is(api.work_unit_close(:hrqn, 'test', :uclose, '2024-12-31')::jsonb
	->> 'closed_on', '2024-12-31', 'once its staff have left the unit closes');
SELECT is(api.work_unit_get(:hrqn, :uclose) -> 'places' -> 0 ->> 'to',
	'2024-12-31', 'its place ends on the closing day');
SELECT is(pg_temp.err(format('SELECT api.work_unit_close(%s, %L, %s, %L)',
	:hrqn, 'test', :uclose, '2025-01-31')), 'RG409 already-closed',
	'closing twice is RG409 already-closed');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)',
	:hrqn, 'test', jsonb_build_object('person_id', :pclose, 'work_unit_id',
	:uclose, 'category', 'concurrent', 'fte', 0.5, 'start_date', '2025-02-01'))),
	'RG422 work-unit-closed', 'no spell may start after the unit closed');

-- =====================================================================
-- People.

SELECT api.person_create(:hrqn, 'test', '{"full_name": "Nguyễn Văn An",
	"citizen_id": "022090000101", "sex": "male", "birth_date": "1990-05-01"}')
	AS p1_json \gset
SELECT (:'p1_json'::jsonb ->> 'id')::bigint AS p1 \gset
SELECT is(:'p1_json'::jsonb ->> 'citizen_id', '022090000101',
	'person_create answers with the full citizen ID');
SELECT is(:'p1_json'::jsonb ->> 'province_code', '22',
	'an officer''s new person is kept by the officer''s province');
SELECT is((SELECT after ->> 'citizen_id' FROM audit.log WHERE action = 'person.create'
	AND entity_id = :'p1'), '•••••••••101',
	'the creation is audited with the citizen ID masked');
SELECT (api.person_create(:hrqn, 'test', '{"full_name": "Trần Thị Ân",
	"citizen_id": "022185000102", "sex": "nữ", "birth_date": "1985-02-02"}')
	::jsonb ->> 'id')::bigint AS p2 \gset
SELECT (api.person_create(:admin, 'test', '{"full_name": "Lê Văn Bình",
	"citizen_id": "022080000103", "sex": "male", "birth_date": "1980-03-03",
	"province_code": "22"}')::jsonb ->> 'id')::bigint AS p3 \gset
SELECT (api.person_create(:hrqn, 'test', '{"full_name": "Phạm An",
	"citizen_id": "022092000104", "sex": "male", "birth_date": "1992-04-04"}')
	::jsonb ->> 'id')::bigint AS p4 \gset
SELECT (api.person_create(:hrdt, 'test', '{"full_name": "Nguyễn Văn An",
	"citizen_id": "082090000105", "sex": "male", "birth_date": "1990-05-05"}')
	::jsonb ->> 'id')::bigint AS p5 \gset
SELECT api.person_create(:hrqn, 'test', '{"full_name": " Trần   Thị  Bé ",
	"citizen_id": "022191000106", "sex": "Nữ", "birth_date": "12/06/1991",
	"phone": "0912 345.678", "email": "Be.Tran@Example.VN"}') AS p6_json \gset
SELECT is(:'p6_json'::jsonb ->> 'full_name', 'Trần Thị Bé',
	'spaces in a name are trimmed and collapsed');
SELECT is(:'p6_json'::jsonb ->> 'sex', 'female', 'the label "Nữ" is female');
SELECT is(:'p6_json'::jsonb ->> 'phone', '0912345678',
	'a phone is stored as digits');
SELECT is(:'p6_json'::jsonb ->> 'email', 'be.tran@example.vn',
	'an email is stored in lower case');
SELECT is(:'p6_json'::jsonb ->> 'birth_date', '1991-06-12',
	'a DD/MM/YYYY birth date is read day first');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Hà Văn Hai", "citizen_id": "022090000107", "sex": "male",
	  "birth_date": "1990-01-01"}')$$, :admin)), 'RG422 required',
	'an administrator must name the keeping province');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Hà Văn Hai", "citizen_id": "022090000107", "sex": "male",
	  "birth_date": "1990-01-01", "province_code": "82"}')$$, :hrqn)),
	'RG403 out-of-scope', 'an officer cannot file a person in another province');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Hà Văn Hai", "citizen_id": "022090000107", "sex": "male",
	  "birth_date": "1990-01-01"}')$$, :bcdqn)), 'RG403 forbidden',
	'steering cannot create people');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Hà Văn Hai", "citizen_id": "022090000107", "sex": "female",
	  "birth_date": "1990-01-01"}')$$, :hrqn)), 'RG422 cccd-sex',
	'a citizen ID that disagrees with the sex is RG422 cccd-sex');

-- A citizen ID already on record.
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Nguyễn Văn Ân", "citizen_id": "022090000101", "sex": "male",
	  "birth_date": "1990-05-01"}')$$, :hrqn)), 'RG409 citizen-id-exists',
	'a citizen ID on record in the officer''s province is citizen-id-exists');
SELECT is(pg_temp.link(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Nguyễn Văn Ân", "citizen_id": "022090000101", "sex": "male",
	  "birth_date": "1990-05-01"}')$$, :hrqn)), '/api/v1/people/' || :p1,
	'and points at the existing record');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Nguyễn Văn Ân", "citizen_id": "022090000101", "sex": "male",
	  "birth_date": "1990-05-01", "province_code": "82"}')$$, :admin)),
	'RG409 citizen-id-exists', 'an administrator sees every record: citizen-id-exists');
SELECT is(pg_temp.err(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Nguyễn Văn Ân", "citizen_id": "022090000101", "sex": "male",
	  "birth_date": "1990-05-01"}')$$, :hrdt)), 'RG409 citizen-id-exists-elsewhere',
	'a citizen ID kept by another province is citizen-id-exists-elsewhere');
SELECT is(pg_temp.link(format($$SELECT api.person_create(%s, 'test',
	'{"full_name": "Nguyễn Văn Ân", "citizen_id": "022090000101", "sex": "male",
	  "birth_date": "1990-05-01"}')$$, :hrdt)), '',
	'without a link to the record the officer may not see');

-- person_problems: every code.
SELECT is(lib.person_problems('{"full_name": "Nguyễn Văn An", "citizen_id":
	"022090000101", "sex": "male", "birth_date": "1990-05-01"}', true), '[]'::jsonb,
	'a complete, consistent record has no problems');
SELECT is(pg_temp.codes(lib.person_problems('{}', true)),
	ARRAY['required', 'required', 'required', 'required'],
	'an empty record misses four required fields');
SELECT is(ARRAY(SELECT x ->> 'field' FROM jsonb_array_elements(
	lib.person_problems('{"full_name": " ", "citizen_id": null}', true)) x
	ORDER BY 1), ARRAY['birth_date', 'citizen_id', 'full_name', 'sex'],
	'blank and null count as missing, each named by its field');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": 12, "citizen_id":
	"022090000101", "sex": "male", "birth_date": "1990-05-01"}', true)),
	ARRAY['invalid-type'], 'a name that is not a string is invalid-type');
SELECT is(pg_temp.codes(lib.person_problems(jsonb_build_object('full_name',
	repeat('Nguyễn ', 22) || 'An', 'citizen_id', '022090000101', 'sex', 'male',
	'birth_date', '1990-05-01'), true)), ARRAY['too-long'],
	'a name over 150 characters is too-long');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022090000101", "sex": "nam giới", "birth_date": "1990-05-01"}',
	true)), ARRAY['invalid-code'], 'an unknown sex is invalid-code');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022090000101", "sex": "male", "birth_date": "1990-02-30"}',
	true)), ARRAY['invalid-date'], 'an impossible birth date is invalid-date');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn 2",
	"citizen_id": "022090000101", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['invalid-name'], 'a digit in a name is invalid-name');
SELECT is(pg_temp.codes(lib.person_problems(jsonb_build_object(
	'full_name', 'Nguyễn Văn Nhỏ',
	'citizen_id', '0222' || to_char(current_date - interval '10 years', 'YY')
	    || '000101',
	'sex', 'male', 'birth_date', (current_date - interval '10 years')::date),
	true)), ARRAY['implausible-birth-date'],
	'a ten-year-old is implausible-birth-date');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022090000101", "sex": "male", "birth_date": "1990-05-01",
	"phone": "091-234"}', true)), ARRAY['invalid-phone'],
	'a six-digit phone is invalid-phone');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022090000101", "sex": "male", "birth_date": "1990-05-01",
	"email": "an@localhost"}', true)), ARRAY['invalid-email'],
	'an email without a dotted domain is invalid-email');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "22090000101", "sex": "male", "birth_date": "1990-05-01"}',
	false)), ARRAY['cccd-leading-zero'],
	'an 11-digit citizen ID is cccd-leading-zero');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "0220900001", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['cccd-length'], 'a 10-digit citizen ID is cccd-length');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022-09-000010", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['cccd-digits', 'too-long'],
	'a citizen ID with dashes is too long and not only digits');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022290000101", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['cccd-century'], 'a 2000s digit for 1990 is cccd-century');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022190000101", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['cccd-sex'], 'an odd digit for a man is cccd-sex');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022091000101", "sex": "male", "birth_date": "1990-05-01"}',
	true)), ARRAY['cccd-year'], 'year digits 91 for 1990 are cccd-year');
SELECT is(pg_temp.codes(lib.person_problems('{"full_name": "Nguyễn Thị Hoa",
	"citizen_id": "022300000101", "sex": "Nữ", "birth_date": "01/01/2000"}',
	false)), '{}', 'a woman born in 2000 with digit 3 (sheet spelling) is fine');
SELECT is(lib.person_problems('{"full_name": "Nguyễn Văn An",
	"citizen_id": "022190000101", "sex": "male", "birth_date": "1990-05-01"}',
	true) -> 0 ->> 'field', 'citizen_id', 'the citizen ID problems name citizen_id');

-- people_list: masked, in Vietnamese order, searchable, in scope.
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, NULL)),
	ARRAY['Nguyễn Văn An', 'Phạm An', 'Trần Thị Ân', 'Trần Thị Bé',
	    'Lê Văn Bình', 'Chu Văn Đóng'],
	'hr.quangninh lists 22''s people by given name, then full name');
SELECT is((SELECT array_agg(DISTINCT i ->> 'citizen_id' ~ '^•{9}[0-9]{3}$')
	FROM json_array_elements(pg_temp.people(:admin, NULL, NULL) -> 'items') i),
	ARRAY[true], 'every citizen ID in a list is masked, even for an admin');
SELECT is((SELECT array_agg(DISTINCT i ->> 'citizen_id_masked')
	FROM json_array_elements(pg_temp.people(:hrqn, NULL, NULL) -> 'items') i),
	ARRAY['true'], 'and flagged as masked');
SELECT is(pg_temp.people(:hrqn, NULL, 'nguyen van an') -> 'items' -> 0
	->> 'citizen_id', '•••••••••101', 'the mask keeps the last three digits');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, 'nguyen van an')),
	ARRAY['Nguyễn Văn An'], 'a search without diacritics finds Nguyễn Văn An');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, '  NGUYỄN VĂN AN ')),
	ARRAY['Nguyễn Văn An'], 'search ignores case and surrounding spaces');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, 'nguyn van an')),
	ARRAY['Nguyễn Văn An'], 'a typo (nguyn) still finds Nguyễn Văn An');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, 'thi be')),
	ARRAY['Trần Thị Bé'], 'part of a name finds the person');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, '102')),
	ARRAY['Trần Thị Ân'], 'the last three digits find the person');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, '000106')),
	ARRAY['Trần Thị Bé'], 'more trailing digits work too');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, '185')), '{}',
	'digits from the middle of the ID match no one');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, '022185000102')),
	ARRAY['Trần Thị Ân'], 'the whole ID finds the person');
SELECT is(pg_temp.names(pg_temp.people(:hrdt, NULL, NULL)),
	ARRAY['Nguyễn Văn An'], 'hr.dongthap sees only 82''s one person');
SELECT is(pg_temp.people(:hrdt, NULL, 'nguyen van an') -> 'items' -> 0
	->> 'province_code', '82', 'and the Nguyễn Văn An it finds is 82''s');
SELECT is(pg_temp.err(format('SELECT pg_temp.people(%s, %L, NULL)', :hrdt, '22')),
	'RG403 out-of-scope', 'hr.dongthap asking for 22''s people is RG403');
SELECT is(json_array_length(pg_temp.people(:bcdnat, NULL, 'nguyen van an')
	-> 'items'), 2, 'national steering finds both Nguyễn Văn Ans');
SELECT is(pg_temp.names(pg_temp.people(:admin, '82', NULL)),
	ARRAY['Nguyễn Văn An'], 'an admin can filter by province');
SELECT is(pg_temp.names(pg_temp.people(:bcdqn, NULL, 'an')),
	pg_temp.names(pg_temp.people(:hrqn, NULL, 'an')),
	'provincial steering sees what its officer sees');
SELECT is(pg_temp.err(format('SELECT pg_temp.people(%s, NULL, NULL)', :ulsa)),
	'RG403 forbidden', 'a registrar cannot list people');
SELECT is(pg_temp.names(pg_temp.people(:hrqn, NULL, NULL, NULL, 4)) ||
	pg_temp.names(pg_temp.people(:hrqn, NULL, NULL,
	    pg_temp.people(:hrqn, NULL, NULL, NULL, 4) ->> 'next_cursor', 4)),
	pg_temp.names(pg_temp.people(:hrqn, NULL, NULL)),
	'two pages of 4 give the whole list in order');

-- person_get: the full ID is a reveal, and is audited.
SELECT is(api.person_get(:admin, 'test', :p1)::jsonb ->> 'citizen_id',
	'022090000101', 'person_get shows an admin the full citizen ID');
SELECT is(pg_temp.reveals(:p1, 'admin'), 1, 'and audits the reveal');
SELECT is(api.person_get(:hrqn, 'test', :p1)::jsonb ->> 'citizen_id',
	'022090000101', 'person_get shows the keeping province''s officer the full ID');
SELECT is(pg_temp.reveals(:p1, 'hr.quangninh'), 1, 'and audits that reveal');
SELECT is((SELECT via FROM audit.log WHERE action = 'person.reveal_id'
	AND entity_id = :'p1' AND actor_login = 'hr.quangninh'), 'test',
	'the reveal records how the officer came in');
SELECT is(api.person_get(:bcdqn, 'test', :p1)::jsonb ->> 'citizen_id',
	'•••••••••101', 'provincial steering sees the ID masked');
SELECT is(pg_temp.reveals(:p1, 'bcd.quangninh'), 0,
	'and nothing is revealed, so nothing is audited');
SELECT is(api.person_get(:bcdnat, 'test', :p1)::jsonb ->> 'citizen_id_masked',
	'true', 'national steering sees the ID masked');
SELECT is(pg_temp.reveals(:p1, 'bcd.national'), 0, 'with no reveal audited');
SELECT is(pg_temp.err(format('SELECT api.person_get(%s, %L, %s)', :hrdt, 'test',
	:p1)), 'RG404 not-found', 'hr.dongthap cannot see 22''s person');
SELECT is(pg_temp.reveals(:p1, 'hr.dongthap'), 0, 'and reveals nothing');

-- =====================================================================
-- Assignments.

SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Cơ sở Bảo trợ xã hội công lập Hà Tu",
	"kind": "protection_public", "commune_code": "06652"}')::jsonb ->> 'id')::integer
	AS u2 \gset
SELECT (api.work_unit_create(:hrdt, 'test', '{"name": "Trung tâm Công tác xã hội Đồng Tháp",
	"kind": "sw_centre", "commune_code": "28249"}')::jsonb ->> 'id')::integer
	AS u82 \gset

SELECT api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p1,
	'work_unit_id', :u1, 'category', 'professional', 'fte', 0.8,
	'title_code', 'V.09.04.02', 'start_date', '2024-01-01')) AS a1_json \gset
SELECT (:'a1_json'::jsonb ->> 'id')::bigint AS a1 \gset
SELECT is(:'a1_json'::jsonb -> 'warnings', '[]'::jsonb,
	'a first 0.8 FTE spell has no warning');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'assignment.create'
	AND entity = 'person' AND entity_id = :'p1'
	AND (after ->> 'assignment_id')::bigint = :a1), 1,
	'the new spell is audited on the person');
SELECT api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p1,
	'work_unit_id', :u2, 'category', 'concurrent', 'fte', 0.5,
	'start_date', '2024-06-01')) AS a2_json \gset
SELECT is(pg_temp.codes(:'a2_json'::jsonb -> 'warnings'), ARRAY['fte-over-1'],
	'0.8 + 0.5 FTE warns fte-over-1');
SELECT is(:'a2_json'::jsonb -> 'warnings' -> 0 ->> 'from', '2024-06-01',
	'from the day the second spell starts');
SELECT is((:'a2_json'::jsonb -> 'warnings' -> 0 ->> 'fte')::numeric, 1.3,
	'with the total 1.3');
SELECT is(api.person_get(:hrqn, 'test', :p1)::jsonb -> 'warnings' -> 0 ->> 'code',
	'fte-over-1', 'person_get carries the warning too');
SELECT is((SELECT i ->> 'from' FROM json_array_elements(api.fte_issues(:hrqn,
	NULL, NULL, NULL) -> 'items') i WHERE (i ->> 'person_id')::bigint = :p1),
	'2024-06-01', 'fte_issues lists the person from the first day over 1.0');
SELECT is((SELECT (i ->> 'fte')::numeric FROM json_array_elements(api.fte_issues(
	:bcdnat, NULL, NULL, NULL) -> 'items') i
	WHERE (i ->> 'person_id')::bigint = :p1), 1.3,
	'national steering sees the issue with its total');
SELECT is(json_array_length(api.fte_issues(:hrdt, NULL, NULL, NULL) -> 'items'), 0,
	'hr.dongthap does not see 22''s issue');

-- Volunteering and spells that follow each other do not add up.
SELECT is(api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p2,
	'work_unit_id', :u1, 'category', 'professional', 'fte', 1,
	'start_date', '2024-01-01'))::jsonb -> 'warnings', '[]'::jsonb,
	'a full-time spell alone has no warning');
SELECT is(api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p2,
	'work_unit_id', :u2, 'category', 'volunteer', 'fte', 0.5,
	'start_date', '2024-03-01'))::jsonb -> 'warnings', '[]'::jsonb,
	'volunteering on top of a full-time post is no FTE issue');
SELECT is(api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p3,
	'work_unit_id', :u2, 'category', 'professional', 'fte', 1,
	'start_date', '2022-01-01', 'end_date', '2023-12-31', 'end_reason', 'rotated'))
	::jsonb -> 'warnings', '[]'::jsonb, 'an ended full-time spell');
SELECT api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p3,
	'work_unit_id', :u1, 'category', 'professional', 'fte', 1,
	'start_date', '2024-01-01')) AS a3_json \gset
SELECT (:'a3_json'::jsonb ->> 'id')::bigint AS a3 \gset
SELECT is(:'a3_json'::jsonb -> 'warnings', '[]'::jsonb,
	'a full-time spell starting the day after the last one ended has no warning');
SELECT is((SELECT array_agg((i ->> 'person_id')::bigint) FROM json_array_elements(
	api.fte_issues(:hrqn, NULL, NULL, NULL) -> 'items') i), ARRAY[:p1]::bigint[],
	'fte_issues lists only the overloaded person');

-- Refusals.
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'professional', 'fte', 0.2, 'start_date', '2025-01-01'))),
	'RG409 overlapping-assignment',
	'an overlapping spell in the same unit and category is RG409');
SELECT is(pg_temp.link(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'professional', 'fte', 0.2, 'start_date', '2025-01-01'))),
	'/api/v1/assignments/' || :a1, 'and points at the spell it collides with');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'professional', 'fte', 0.2, 'start_date', '2020-01-01',
	'end_date', '2024-01-01', 'end_reason', 'other'))),
	'RG409 overlapping-assignment',
	'a spell ending on the first day of another overlaps it');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'professional', 'fte', 0.2, 'start_date', '2020-01-01',
	'end_date', '2023-12-31', 'end_reason', 'other'))), 'no error',
	'a spell ending the day before is accepted');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'professional', 'fte', 1, 'allowance_vnd', 2000000,
	'start_date', '2019-01-01', 'end_date', '2019-12-31', 'end_reason', 'other'))),
	'RG422 allowance-not-collaborator', 'an allowance for a professional is RG422');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'collaborator', 'fte', 0.5, 'title_code', 'V.09.04.01',
	'start_date', '2019-01-01'))), 'RG422 title-not-allowed',
	'a title for a collaborator is RG422');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'collaborator', 'fte', '0,5', 'start_date', '2019-01-01'))),
	'RG422 invalid-number', 'the API takes no decimal-comma strings');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'collaborator', 'fte', 1.5, 'start_date', '2019-01-01'))),
	'RG422 out-of-range', 'fte 1.5 is RG422 out-of-range');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'collaborator', 'fte', 0.5, 'start_date', '2019-01-01',
	'end_date', '2019-12-31'))), 'RG422 end-pair',
	'an end date without a reason is RG422 end-pair');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u1,
	'category', 'collaborator', 'fte', 0.5, 'start_date', '2019-01-01',
	'end_date', '2018-12-31', 'end_reason', 'other'))), 'RG422 end-before-start',
	'an end before the start is RG422 end-before-start');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrdt,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u82,
	'category', 'collaborator', 'fte', 0.5, 'start_date', '2019-01-01'))),
	'RG422 unknown-person', 'hr.dongthap cannot give 22''s person a spell');
SELECT is(pg_temp.err(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn,
	'test', jsonb_build_object('person_id', :p1, 'work_unit_id', :u82,
	'category', 'collaborator', 'fte', 0.5, 'start_date', '2019-01-01'))),
	'RG422 unknown-work-unit', 'hr.quangninh cannot use a Đồng Tháp unit');

-- person_transfer: both halves or neither.
SELECT (api.assignment_create(:hrqn, 'test', jsonb_build_object('person_id', :p4,
	'work_unit_id', :u1, 'category', 'professional', 'fte', 1,
	'position', 'Chuyên viên', 'start_date', '2020-01-01'))::jsonb ->> 'id')::bigint
	AS a4 \gset
SELECT lives_ok(format('SELECT api.assignment_create(%s, %L, %L)', :hrqn, 'test',
	jsonb_build_object('person_id', :p4, 'work_unit_id', :u2, 'category',
	'professional', 'fte', 1, 'start_date', '2025-03-01', 'end_date', '2025-12-31',
	'end_reason', 'contract_ended')), 'a later spell in the target unit');
SELECT is(pg_temp.err(format('SELECT api.person_transfer(%s, %L, %s, %L)', :hrqn,
	'test', :p4, jsonb_build_object('assignment_id', :a4, 'work_unit_id', :u2,
	'end_date', '2024-12-31'))), 'RG409 overlapping-assignment',
	'a transfer whose new spell would overlap is RG409');
SELECT is((SELECT end_date FROM hr.assignments WHERE id = :a4), NULL,
	'and the old spell stays open');
SELECT is((SELECT count(*)::integer FROM hr.assignments WHERE person_id = :p4), 2,
	'and no spell was added');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'person.transfer'
	AND entity_id = :'p4'), 0, 'and nothing was audited');
SELECT is(pg_temp.err(format('SELECT api.person_transfer(%s, %L, %s, %L)', :hrqn,
	'test', :p4, jsonb_build_object('assignment_id', :a4, 'work_unit_id', :u82,
	'end_date', '2024-12-31'))), 'RG422 unknown-work-unit',
	'an officer cannot transfer someone to another province''s unit');
SELECT is((SELECT end_date FROM hr.assignments WHERE id = :a4), NULL,
	'the old spell is still open');
SELECT api.person_transfer(:hrqn, 'test', :p4, jsonb_build_object(
	'assignment_id', :a4, 'work_unit_id', :u2, 'end_date', '2024-12-31',
	'start_date', '2026-01-01')) AS t4_json \gset
SELECT is(ARRAY[:'t4_json'::jsonb -> 'ended' ->> 'end_date',
	:'t4_json'::jsonb -> 'ended' ->> 'end_reason'],
	ARRAY['2024-12-31', 'transferred'],
	'a transfer ends the old spell as transferred');
SELECT is(ARRAY[:'t4_json'::jsonb -> 'started' ->> 'start_date',
	:'t4_json'::jsonb -> 'started' ->> 'work_unit_id',
	:'t4_json'::jsonb -> 'started' ->> 'category',
	:'t4_json'::jsonb -> 'started' ->> 'position'],
	ARRAY['2026-01-01', :'u2', 'professional', 'Chuyên viên'],
	'and starts the new one when told, keeping category and position');
SELECT is(pg_temp.err(format('SELECT api.person_transfer(%s, %L, %s, %L)', :hrqn,
	'test', :p4, jsonb_build_object('assignment_id', :a4, 'work_unit_id', :u1,
	'end_date', '2025-12-31'))), 'RG409 assignment-ended',
	'an ended spell cannot be transferred again');
SELECT api.person_transfer(:hrqn, 'test', :p3, jsonb_build_object(
	'assignment_id', :a3, 'work_unit_id', :u2, 'end_date', '2024-06-30'))
	AS t3_json \gset
SELECT is(:'t3_json'::jsonb -> 'started' ->> 'start_date', '2024-07-01',
	'by default the new spell starts the day after the old one ends');
SELECT api.person_transfer(:admin, 'test', :p3, jsonb_build_object(
	'assignment_id', (:'t3_json'::jsonb -> 'started' ->> 'id')::bigint,
	'work_unit_id', :u82, 'end_date', '2025-06-30')) AS t3b_json \gset
SELECT is((SELECT g.code FROM hr.people p JOIN geo.units g ON g.id = p.province_id
	WHERE p.id = :p3), '82',
	'a transfer to another province''s unit hands the record over');
SELECT is(pg_temp.err(format('SELECT api.person_get(%s, %L, %s)', :hrqn, 'test',
	:p3)), 'RG404 not-found', 'after which 22''s officer no longer sees the person');
SELECT is(api.person_get(:hrdt, 'test', :p3)::jsonb ->> 'citizen_id',
	'022080000103', 'and 82''s officer does, in full');

-- Headcount on past dates, counted from the spells.
SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "UBND xã Cao Xanh",
	"kind": "commune_committee", "commune_code": "06658"}')::jsonb ->> 'id')::integer
	AS u3 \gset
SELECT (api.work_unit_create(:hrqn, 'test', '{"name": "Văn phòng xã Cao Xanh",
	"kind": "commune_office", "commune_code": "06658"}')::jsonb ->> 'id')::integer
	AS u4 \gset
SELECT count(api.assignment_create(:hrqn, 'test', b)) AS hc_spells FROM (VALUES
	(jsonb_build_object('person_id', :p1, 'work_unit_id', :u3, 'category',
	    'commune_post', 'fte', 1, 'start_date', '2018-01-01',
	    'end_date', '2020-12-31', 'end_reason', 'rotated')),
	(jsonb_build_object('person_id', :p2, 'work_unit_id', :u3, 'category',
	    'commune_post', 'fte', 0.5, 'start_date', '2021-01-01',
	    'end_date', '2022-12-31', 'end_reason', 'resigned')),
	(jsonb_build_object('person_id', :p2, 'work_unit_id', :u4, 'category',
	    'commune_post', 'fte', 0.5, 'start_date', '2021-01-01',
	    'end_date', '2022-12-31', 'end_reason', 'resigned')),
	(jsonb_build_object('person_id', :p4, 'work_unit_id', :u3, 'category',
	    'collaborator', 'fte', 0.25, 'allowance_vnd', 1500000,
	    'start_date', '2019-06-01', 'end_date', '2021-06-30',
	    'end_reason', 'contract_ended'))) v (b) \gset
SELECT is(pg_temp.heads(:hrqn, '2017-12-31', '06658'), '{}'::jsonb,
	'nobody worked in Cao Xanh before 2018');
SELECT is(pg_temp.heads(:hrqn, '2018-01-01', '06658'),
	'{"commune_post": [1, 1]}'::jsonb, 'one post holder from 2018-01-01');
SELECT is(pg_temp.heads(:hrqn, '2019-07-01', '06658'),
	'{"commune_post": [1, 1], "collaborator": [1, 0.25]}'::jsonb,
	'a collaborator joins from mid-2019');
SELECT is(pg_temp.heads(:hrqn, '2020-12-31', '06658'),
	'{"commune_post": [1, 1], "collaborator": [1, 0.25]}'::jsonb,
	'the first post holder still counts on his last day');
SELECT is(pg_temp.heads(:hrqn, '2021-01-01', '06658'),
	'{"commune_post": [1, 1.0], "collaborator": [1, 0.25]}'::jsonb,
	'the next holder, in two units of the commune, is one person with 1.0 FTE');
SELECT is(pg_temp.heads(:hrqn, '2021-07-01', '06658'),
	'{"commune_post": [1, 1.0]}'::jsonb, 'the collaborator has left by July 2021');
SELECT is(pg_temp.heads(:hrqn, '2023-01-01', '06658'), '{}'::jsonb,
	'nobody from 2023');
SELECT is(api.headcount(:hrqn, '2019-07-01', NULL, '06658') -> 'items' -> 0
	->> 'commune_name', 'Cao Xanh', 'items name the commune');
SELECT is(api.headcount(:hrqn, NULL, NULL, NULL) ->> 'as_of',
	current_date::text, 'without as_of the headcount is today''s');
SELECT is(pg_temp.heads(:bcdqn, '2019-07-01', '06658'),
	pg_temp.heads(:hrqn, '2019-07-01', '06658'),
	'provincial steering sees the same counts');
SELECT is(pg_temp.heads(:hrdt, '2019-07-01', '06658'), '{}'::jsonb,
	'hr.dongthap counts nobody in a Quảng Ninh commune');
SELECT is(pg_temp.err(format('SELECT api.headcount(%s, NULL, %L, NULL)', :hrdt,
	'22')), 'RG403 out-of-scope', 'hr.dongthap cannot ask for 22''s headcount');

-- =====================================================================
-- Imports: the payload the server builds from a sheet (values are all
-- strings; the first data row is row 3, under two header rows).

SELECT jsonb_build_object('rows', jsonb_build_array(
	jsonb_build_object('row', 3, 'problems', '[]'::jsonb, 'values',
	    jsonb_build_object('full_name', 'Hoàng Thị Lan',
		'citizen_id', '022188000201', 'sex', 'Nữ',
		'birth_date', '15/03/1988', 'phone', '0912 345 678',
		'work_unit_id', :'u1', 'category', 'cộng tác viên',
		'fte', '0,5', 'allowance_vnd', '3.000.000',
		'start_date', '01/02/2024')),
	jsonb_build_object('row', 4, 'problems', '[]'::jsonb, 'values',
	    jsonb_build_object('full_name', 'Vương Văn Hải',
		'citizen_id', '022087000202', 'sex', 'nam',
		'birth_date', '1987-07-07',
		'work_unit_name', 'co so bao tro xa hoi cong lap ha tu',
		'commune_code', '06652', 'category', 'professional',
		'fte', '1', 'title_code', 'V.09.04.02',
		'start_date', '2023-09-01')),
	jsonb_build_object('row', 5, 'problems', '[]'::jsonb, 'values',
	    jsonb_build_object('full_name', 'Lò Thị Mến',
		'citizen_id', '022195000203', 'sex', 'female',
		'birth_date', '1995-12-01', 'ethnicity', 'Thái'))),
	'file_problems', '[]'::jsonb) AS sheet \gset

SELECT api.import_create(:hrqn, 'test', NULL, 'nhan-su.xlsx', 'xlsx', false,
	:'sheet') AS dry_json \gset
SELECT is(:'dry_json'::jsonb ->> 'status', 'done', 'a small dry run is done at once');
SELECT is(:'dry_json'::jsonb -> 'summary', '{"rows": 3, "rows_with_problems": 0,
	"people_created": 3, "people_updated": 0, "people_adopted": 0,
	"assignments_created": 2,
	"assignments_updated": 0, "rows_unchanged": 0, "written": false}'::jsonb,
	'the dry run says what a commit would do');
SELECT is(:'dry_json'::jsonb -> 'report', '[]'::jsonb, 'with an empty report');
SELECT is((SELECT count(*)::integer FROM hr.people
	WHERE citizen_id IN ('022188000201', '022087000202', '022195000203')), 0,
	'a dry run writes no person');
SELECT is((SELECT count(*)::integer FROM hr.import_rows
	WHERE import_id = (:'dry_json'::jsonb ->> 'id')::bigint), 0,
	'and keeps no staged row without problems');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'import.dry_run'
	AND entity_id = :'dry_json'::jsonb ->> 'id'), 1, 'the dry run is audited');

SELECT api.import_create(:hrqn, 'test', NULL, 'nhan-su.xlsx', 'xlsx', true,
	:'sheet') AS commit_json \gset
SELECT is(:'commit_json'::jsonb -> 'summary', '{"rows": 3, "rows_with_problems": 0,
	"people_created": 3, "people_updated": 0, "people_adopted": 0,
	"assignments_created": 2,
	"assignments_updated": 0, "rows_unchanged": 0, "written": true}'::jsonb,
	'the commit writes what the dry run announced');
SELECT is((SELECT array_agg(g.code ORDER BY p.citizen_id) FROM hr.people p
	JOIN geo.units g ON g.id = p.province_id
	WHERE citizen_id IN ('022188000201', '022087000202', '022195000203')),
	ARRAY['22', '22', '22'], 'the three people are kept by 22');
SELECT is((SELECT ARRAY[p.sex, p.birth_date::text, p.phone]
	FROM hr.people p WHERE citizen_id = '022188000201'),
	ARRAY['female', '1988-03-15', '0912345678'],
	'sheet spellings of sex, date and phone are read');
SELECT is((SELECT ARRAY[a.work_unit_id::text, a.category, a.fte::text,
	a.allowance_vnd::text, a.start_date::text] FROM hr.assignments a
	WHERE a.person_id = pg_temp.person_id('022188000201')),
	ARRAY[:'u1', 'collaborator', '0.500', '3000000', '2024-02-01'],
	'a Vietnamese label, a decimal comma and thousands dots are read');
SELECT is((SELECT ARRAY[a.work_unit_id::text, a.title_code] FROM hr.assignments a
	WHERE a.person_id = pg_temp.person_id('022087000202')),
	ARRAY[:'u2', 'V.09.04.02'], 'a unit named without diacritics is found');
SELECT is((SELECT count(*)::integer FROM hr.assignments
	WHERE person_id = pg_temp.person_id('022195000203')), 0,
	'a row of personal details alone adds no spell');
SELECT is((SELECT ethnicity FROM hr.people WHERE citizen_id = '022195000203'),
	'Thái', 'but registers the person');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE via = 'import:' ||
	(:'commit_json'::jsonb ->> 'id') AND action IN ('person.create',
	'assignment.create')), 5, 'each person and spell written is audited');

-- The same file again changes nothing.
SELECT api.import_create(:hrqn, 'test', NULL, 'nhan-su.xlsx', 'xlsx', true,
	:'sheet') AS again_json \gset
SELECT is(:'again_json'::jsonb -> 'summary', '{"rows": 3, "rows_with_problems": 0,
	"people_created": 0, "people_updated": 0, "people_adopted": 0,
	"assignments_created": 0,
	"assignments_updated": 0, "rows_unchanged": 3, "written": true}'::jsonb,
	'importing the same file again changes nothing');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE via = 'import:' ||
	(:'again_json'::jsonb ->> 'id') AND entity = 'person'), 0,
	'and audits no change');
SELECT is((SELECT count(*)::integer FROM hr.assignments
	WHERE person_id IN (pg_temp.person_id('022188000201'),
	    pg_temp.person_id('022087000202'))), 2, 'and adds no spell');

-- A changed value updates the spell it matches.
SELECT is(api.import_create(:hrqn, 'test', NULL, 'nhan-su.xlsx', 'xlsx', true,
	jsonb_set(:'sheet'::jsonb, '{rows,1,values,fte}', '"0,8"'))::jsonb
	-> 'summary' ->> 'assignments_updated', '1',
	'a changed FTE updates the matching spell');
SELECT is((SELECT fte FROM hr.assignments
	WHERE person_id = pg_temp.person_id('022087000202')), 0.8::numeric,
	'to the new value');

-- One bad row, and nothing is written.
SELECT api.import_create(:hrqn, 'test', NULL, 'moi.csv', 'csv', true,
	jsonb_build_object('rows', jsonb_build_array(
	    jsonb_build_object('row', 3, 'problems', '[]'::jsonb, 'values',
		jsonb_build_object('full_name', 'Đinh Văn Tốt',
		    'citizen_id', '022090000204', 'sex', 'male',
		    'birth_date', '1990-01-01')),
	    jsonb_build_object('row', 4, 'problems', '[]'::jsonb, 'values',
		jsonb_build_object('full_name', 'Đinh Thị Hỏng',
		    'citizen_id', '022123000205', 'sex', 'female',
		    'birth_date', '2023-02-29')))))
	AS bad_json \gset
SELECT is(:'bad_json'::jsonb -> 'summary' -> 'written', 'false'::jsonb,
	'a commit with a bad row is not written');
SELECT is(:'bad_json'::jsonb -> 'summary' -> 'rows_with_problems', '1'::jsonb,
	'the summary counts the bad row');
SELECT is(pg_temp.person_id('022090000204'), NULL,
	'not even the good row''s person is written');
SELECT is((SELECT jsonb_agg(x - 'vi' - 'en') FROM jsonb_array_elements(
	:'bad_json'::jsonb -> 'report') x),
	'[{"row": 4, "n": 1, "column": "birth_date", "value": "2023-02-29",
	   "code": "invalid-date"}]'::jsonb,
	'the report names the row, column, value and problem');
SELECT is((SELECT array_agg(row) FROM hr.import_rows
	WHERE import_id = (:'bad_json'::jsonb ->> 'id')::bigint), ARRAY[4],
	'only the row with a problem stays staged');

-- Problems only the whole file shows, or the registry.
SELECT is(pg_temp.codes((SELECT jsonb_agg(x) FROM json_array_elements(
	api.import_create(:hrqn, 'test', NULL, 'x.csv', 'csv', false,
	jsonb_build_object('rows', jsonb_build_array(
	    jsonb_build_object('row', 3, 'values', jsonb_build_object(
		'full_name', 'Ngô Văn Một', 'citizen_id', '022090000206',
		'sex', 'male', 'birth_date', '1990-01-01', 'work_unit_id', :'u1',
		'category', 'volunteer', 'fte', '0,1', 'start_date', '2024-01-01')),
	    jsonb_build_object('row', 4, 'values', jsonb_build_object(
		'full_name', 'Ngô Văn Một', 'citizen_id', '022090000206',
		'sex', 'male', 'birth_date', '1990-01-01', 'work_unit_id', :'u1',
		'category', 'volunteer', 'fte', '0,1', 'start_date', '2024-06-01')),
	    jsonb_build_object('row', 5, 'values', jsonb_build_object(
		'full_name', 'Ngô Văn Hai', 'citizen_id', '022090000206',
		'sex', 'male', 'birth_date', '1990-01-01')),
	    jsonb_build_object('row', 6, 'values', jsonb_build_object(
		'full_name', 'Nguyễn Văn An', 'citizen_id', '082090000105',
		'sex', 'male', 'birth_date', '1990-05-05')),
	    jsonb_build_object('row', 7, 'values', jsonb_build_object(
		'full_name', 'Ngô Thị Ba', 'citizen_id', '022190000207',
		'sex', 'female', 'birth_date', '1990-01-01', 'work_unit_id', :'u82',
		'category', 'volunteer', 'fte', '0,1', 'start_date', '2024-01-01')),
	    jsonb_build_object('row', 8, 'values', jsonb_build_object(
		'full_name', 'Ngô Thị Bốn', 'citizen_id', '022190000208',
		'sex', 'female', 'birth_date', '1990-01-01', 'category', 'volunteer'))
	    )))::json -> 'report') x)),
	ARRAY['conflicting-rows', 'overlapping-rows',
	    'person-in-other-province', 'required', 'required', 'required',
	    'unknown-work-unit'],
	'cross-row, other-province, unknown-unit and missing-spell-field problems');

SELECT is(pg_temp.err(format('SELECT api.import_create(%s, %L, NULL, %L, %L, true, %L)',
	:hrqn, 'test', 'rong.csv', 'csv', '{"rows": []}')), 'RG422 no-rows',
	'a file without data rows is RG422 no-rows');
SELECT is(pg_temp.err(format('SELECT api.import_create(%s, %L, NULL, %L, %L, true, %L)',
	:bcdqn, 'test', 'x.csv', 'csv', :'sheet')), 'RG403 forbidden',
	'steering cannot import');

-- lib.import_has_spell.
SELECT is(lib.import_has_spell('{"full_name": "A B", "citizen_id": "022090000101"}'),
	false, 'a row of personal details has no spell');
SELECT is(lib.import_has_spell('{"full_name": "A B", "start_date": "2024-01-01"}'),
	true, 'a start date makes a spell');
SELECT is(lib.import_has_spell('{"full_name": "A B", "work_unit_name": "X"}'),
	true, 'a unit name makes a spell');
SELECT is(lib.import_has_spell('{"allowance_vnd": "1.000.000"}'), true,
	'an allowance makes a spell');
SELECT is(lib.import_has_spell('{"full_name": "A B", "category": " ", "fte": ""}'),
	false, 'spell cells holding only blanks do not make a spell (as lib.present)');

-- =====================================================================
-- Field readers.

SELECT is(lib.as_date('2024-02-29'), '2024-02-29'::date, 'YYYY-MM-DD is read');
SELECT is(lib.as_date('29/02/2024'), '2024-02-29'::date, 'DD/MM/YYYY is read');
SELECT is(lib.as_date('1/2/2024'), '2024-02-01'::date,
	'D/M/YYYY is read day first');
SELECT is(lib.as_date('2023-02-29'), NULL, '2023-02-29 is not a date');
SELECT is(lib.as_date('29/02/2023'), NULL, '29/02/2023 is not a date');
SELECT is(lib.as_date('2024-04-31'), NULL, '2024-04-31 is not a date');
SELECT is(lib.as_date('2024-13-01'), NULL, 'month 13 is not a date');
SELECT is(lib.as_date('2024-00-10'), NULL, 'month 0 is not a date');
SELECT is(lib.as_date('00/01/2024'), NULL, 'day 0 is not a date');
SELECT is(lib.as_date('12/31/2024'), NULL, 'month-first US dates are not read');
SELECT is(lib.as_date('2024-1-5'), NULL, 'YYYY-M-D is not read');
SELECT is(lib.as_date('2024/01/05'), NULL, 'YYYY/MM/DD is not read');
SELECT is(lib.as_date('1899-12-31'), NULL, 'a year before 1900 is refused');
SELECT is(lib.as_date('5 tháng 1 2024'), NULL, 'words are not a date');
SELECT is(lib.as_date(NULL), NULL, 'NULL is NULL');

SELECT is(lib.num('{"v": 0.5}', 'v', true), 0.5, 'strict: a JSON number is read');
SELECT is(lib.num('{"v": "0.5"}', 'v', true), NULL,
	'strict: a numeric string is not a number');
SELECT is(lib.num('{"v": "0,5"}', 'v', true), NULL,
	'strict: a decimal-comma string is not a number');
SELECT is(lib.num('{"v": 0.5}', 'v', false), 0.5, 'a JSON number is read anyway');
SELECT is(lib.num('{"v": "0,5"}', 'v', false), 0.5, '"0,5" is a half');
SELECT is(lib.num('{"v": "0.5"}', 'v', false), 0.5, '"0.5" is a half');
SELECT is(lib.num('{"v": "3.000.000"}', 'v', false), 3000000::numeric,
	'"3.000.000" is three million');
SELECT is(lib.num('{"v": "1.500"}', 'v', false), 1500::numeric,
	'"1.500" groups thousands');
SELECT is(lib.num('{"v": "3 000 000"}', 'v', false), 3000000::numeric,
	'"3 000 000" is three million');
SELECT is(lib.num('{"v": " 12 "}', 'v', false), 12::numeric,
	'surrounding spaces are ignored');
SELECT is(lib.num('{"v": "0.500"}', 'v', false), 0.5,
	'"0.500" is a half (a thousands group never starts with a lone 0)');
SELECT is(lib.num('{"v": "-1"}', 'v', false), NULL, 'a negative string is not read');
SELECT is(lib.num('{"v": "1e3"}', 'v', false), NULL, 'an exponent is not read');
SELECT is(lib.num('{"v": "3,000,000"}', 'v', false), NULL,
	'comma-grouped thousands are not read');
SELECT is(lib.num('{"v": "abc"}', 'v', false), NULL, 'text is not a number');
SELECT is(lib.num('{"v": true}', 'v', false), NULL, 'a boolean is not a number');
SELECT is(lib.num('{}', 'v', false), NULL, 'a missing field is NULL');

SELECT * FROM finish();
ROLLBACK;
