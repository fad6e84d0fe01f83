-- Names and labels that are signed and printed: what is stored must be
-- what is displayed. Person names take letters, combining marks, spaces,
-- hyphens and apostrophes only; every checked text field refuses controls,
-- direction overrides and zero-width characters (issue 12, item 11).
BEGIN;
SELECT plan(21);

\ir helpers.psql

CREATE FUNCTION pg_temp.name_codes(p_name text) RETURNS text[]
LANGUAGE sql AS $$
	SELECT pg_temp.codes(lib.person_problems(jsonb_build_object(
	    'full_name', p_name, 'citizen_id', '022090000101', 'sex', 'male',
	    'birth_date', '1990-05-01'), true))
$$;

SELECT is(pg_temp.name_codes('Nguyễn Thị Ánh Tuyết'), '{}',
	'a Vietnamese name in NFC is a name');
SELECT is(pg_temp.name_codes(normalize('Nguyễn Thị Ánh', NFD)), '{}',
	'the same name decomposed (NFD) is accepted and stored NFC');
SELECT is(pg_temp.name_codes('H''Hen Niê'), '{}', 'an apostrophe is allowed');
SELECT is(pg_temp.name_codes(E'K\u2019Sor Thị Hoa'), '{}',
	'a typographic apostrophe is allowed');
SELECT is(pg_temp.name_codes('Lê-Nguyễn Minh'), '{}', 'a hyphen is allowed');
SELECT is(pg_temp.name_codes(E'Nguy\u1ec5n V\u0103n A\u0325n'), '{}',
	'a combining mark NFC leaves standing is allowed');
SELECT is(pg_temp.name_codes(E'Nguyễn\u202E nA nắV'),
	ARRAY['hidden-characters', 'invalid-name'],
	'a right-to-left override is refused');
SELECT is(pg_temp.name_codes(E'Nguyễn Văn\u2066 An'),
	ARRAY['hidden-characters', 'invalid-name'],
	'a direction isolate is refused');
SELECT is(pg_temp.name_codes(E'Nguyễn Văn\u200B An'),
	ARRAY['hidden-characters', 'invalid-name'],
	'a zero-width space is refused');
SELECT is(pg_temp.name_codes(E'Nguyễn\u200DVăn An'),
	ARRAY['hidden-characters', 'invalid-name'],
	'a zero-width joiner is refused');
SELECT is(pg_temp.name_codes(E'Nguyễn Văn\u00AD An'),
	ARRAY['hidden-characters', 'invalid-name'], 'a soft hyphen is refused');
SELECT is(pg_temp.name_codes(E'Nguyễn Văn\u0007 An'),
	ARRAY['hidden-characters', 'invalid-name'],
	'a control character is refused');
SELECT is(pg_temp.name_codes('Nguyễn Văn An.'), ARRAY['invalid-name'],
	'punctuation other than hyphen and apostrophe is refused');
SELECT is(pg_temp.name_codes('- An'), ARRAY['invalid-name'],
	'a name starts with a letter');
SELECT is((lib.person_from(jsonb_build_object('full_name',
	E'Nguyễn\u00A0Văn\u3000 \tAn'))).full_name, 'Nguyễn Văn An',
	'no-break, wide spaces and tabs are stored as single plain spaces');

-- Through the API function, for the same name everywhere it enters.
SELECT is(pg_temp.err(format('SELECT api.person_create(%s, %L, %L)',
	pg_temp.uid('hr.quangninh'), 'test', jsonb_build_object(
	'full_name', E'Trần\u202E Bình', 'citizen_id', '022090000101', 'sex',
	'male', 'birth_date', '1990-05-01'))),
	'RG422 hidden-characters', 'person_create refuses a hidden character');
SELECT is(pg_temp.err(format('SELECT api.user_create(%s, %L, %L, %L, %L, %L, NULL, %L)',
	pg_temp.uid('admin'), 'test', 'bidi.user', E'Cán bộ\u202E A',
	'hr_officer', '22', 'x')),
	'RG422 invalid-display-name', 'a display name with an override is refused');

-- Other checked text fields (units, courses, reasons) refuse them too.
SELECT is(pg_temp.codes(lib.chk_text(jsonb_build_object('name',
	E'Trung tâm\u200B CTXH'), 'name', true, 300)), ARRAY['hidden-characters'],
	'a checked text field refuses a zero-width space');
SELECT is(pg_temp.codes(lib.chk_text(jsonb_build_object('note',
	E'dòng một\ndòng hai\ttab'), 'note', true, 300)), '{}',
	'line breaks and tabs stay allowed in free text');
SELECT is(pg_temp.codes(lib.chk_text(jsonb_build_object('note',
	E'a\u0085b'), 'note', true, 300)), ARRAY['hidden-characters'],
	'a C1 control is refused');
SELECT is(lib.hidden_chars('Trung tâm Công tác xã hội tỉnh Quảng Ninh'), false,
	'ordinary Vietnamese text has no hidden characters');

SELECT * FROM finish();
ROLLBACK;
