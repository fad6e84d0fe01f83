-- The workforce tables' own constraints, exercised with plain INSERTs as
-- the owner (no api function in between): whatever path writes a row, the
-- citizen ID, names, spells and unit kinds must stay consistent.
BEGIN;
SELECT plan(85);

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

-- "SQLSTATE constraint" of the error a statement raises, or 'no error'
-- (a statement that succeeds keeps its rows).
CREATE FUNCTION pg_temp.violates(p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	st	text;
	c	text;
BEGIN
	EXECUTE p_sql;
	RETURN 'no error';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, c = CONSTRAINT_NAME;
	RETURN st || ' ' || coalesce(c, '');
END
$$;

CREATE FUNCTION pg_temp.commune(p_code text) RETURNS integer
LANGUAGE sql AS $$
	SELECT id FROM geo.units WHERE level = 'commune' AND code = p_code
	   AND valid_to IS NULL
$$;

CREATE FUNCTION pg_temp.province(p_code text) RETURNS integer
LANGUAGE sql AS $$
	SELECT id FROM geo.units WHERE level = 'province' AND code = p_code
	   AND valid_to IS NULL
$$;

-- An INSERT of a person kept by Quảng Ninh (22).
CREATE FUNCTION pg_temp.person_sql(p_name text, p_cid text, p_sex text,
    p_born date) RETURNS text
LANGUAGE sql AS $$
	SELECT format('INSERT INTO hr.people (full_name, citizen_id, sex,
	    birth_date, province_id) VALUES (%L, %L, %L, %L, %s)',
	    p_name, p_cid, p_sex, p_born, pg_temp.province('22'))
$$;

CREATE FUNCTION pg_temp.person(p_name text, p_cid text, p_sex text,
    p_born date) RETURNS bigint
LANGUAGE sql AS $$
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, province_id)
	VALUES (p_name, p_cid, p_sex, p_born, pg_temp.province('22'))
	RETURNING id
$$;

-- An INSERT of a work unit in Hạ Long (06688).
CREATE FUNCTION pg_temp.unit_sql(p_name text, p_kind text, p_ownership text,
    p_opened date DEFAULT NULL, p_closed date DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT format('INSERT INTO hr.work_units (name, kind, sector, ownership,
	    commune_id, province_id, opened_on, closed_on)
	    VALUES (%L, %L, %L, %L, %s, %s, %L, %L)', p_name, p_kind,
	    'social_protection', p_ownership, pg_temp.commune('06688'),
	    pg_temp.province('22'), p_opened, p_closed)
$$;

CREATE FUNCTION pg_temp.unit(p_name text) RETURNS integer
LANGUAGE sql AS $$
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id)
	VALUES (p_name, 'sw_centre', 'social_protection', 'public',
	    pg_temp.commune('06688'), pg_temp.province('22'))
	RETURNING id
$$;

-- An INSERT of a spell; p_extra sets allowance_vnd / title_code.
CREATE FUNCTION pg_temp.spell_sql(p_person bigint, p_unit integer,
    p_category text, p_fte numeric, p_start date, p_end date,
    p_reason text, p_allowance bigint DEFAULT NULL,
    p_title text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT format('INSERT INTO hr.assignments (person_id, work_unit_id,
	    category, fte, start_date, end_date, end_reason, allowance_vnd,
	    title_code) VALUES (%s, %s, %L, %s, %L, %L, %L, %L, %L)',
	    p_person, p_unit, p_category, p_fte, p_start, p_end, p_reason,
	    p_allowance, p_title)
$$;

-- ---------------------------------------------------------------------
-- hr.people: the citizen ID.

SELECT is(pg_temp.violates(pg_temp.person_sql('Nguyễn Văn An', '022090000001',
	'male', '1990-05-01')), 'no error',
	'a consistent person (1990, male, digit 4 = 0) is accepted');
SELECT is(pg_temp.violates(pg_temp.person_sql('Trần Văn Bình', '022090000001',
	'male', '1990-06-01')), '23505 people_citizen_id_key',
	'a second person with the same citizen ID is 23505');
SELECT is(pg_temp.violates(pg_temp.person_sql('Trần Văn Bình', '02209000002',
	'male', '1990-06-01')), '23514 people_citizen_id_check',
	'an 11-digit citizen ID is refused by the 12-digit check');
SELECT is(pg_temp.violates(pg_temp.person_sql('Trần Văn Bình', '0220900000021',
	'male', '1990-06-01')), '23514 people_citizen_id_check',
	'a 13-digit citizen ID is refused by the 12-digit check');
SELECT is(pg_temp.violates(pg_temp.person_sql('Trần Văn Bình', '02209000000X',
	'male', '1990-06-01')), '23514 people_citizen_id_check',
	'a citizen ID ending in a letter is refused by the 12-digit check');
SELECT is(pg_temp.violates(pg_temp.person_sql('Trần Văn Bình', '02209000 002',
	'male', '1990-06-01')), '23514 people_citizen_id_check',
	'a citizen ID with a space in it is refused');
SELECT throws_ok(pg_temp.person_sql('Trần Văn Bình', '022D90000002',
	'male', '1990-06-01'), NULL, NULL,
	'a letter in the century/sex digit is refused too');

-- Century, sex and year digits, at the edges of the centuries.
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Một', '022000000011',
	'male', '1900-01-01')), 'no error', 'born 1900, male: digit 4 = 0, year 00');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Thị Hai', '022100000012',
	'female', '1900-12-31')), 'no error', 'born 1900, female: digit 4 = 1, year 00');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Ba', '022099000013',
	'male', '1999-12-31')), 'no error', 'born 1999, male: digit 4 = 0, year 99');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Thị Bốn', '022199000014',
	'female', '1999-01-01')), 'no error', 'born 1999, female: digit 4 = 1, year 99');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Năm', '022200000015',
	'male', '2000-01-01')), 'no error', 'born 2000, male: digit 4 = 2, year 00');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Thị Sáu', '022300000016',
	'female', '2000-12-31')), 'no error', 'born 2000, female: digit 4 = 3, year 00');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Bảy', '022000000017',
	'male', '2000-01-01')), '23514 people_citizen_id_birth',
	'born 2000 with a 1900s digit (0) is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Tám', '022299000018',
	'male', '1999-12-31')), '23514 people_citizen_id_birth',
	'born 1999 with a 2000s digit (2) is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Chín', '022200000019',
	'male', '1900-01-01')), '23514 people_citizen_id_birth',
	'born 1900 with a 2000s digit (2) is refused (same year digits 00)');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Thị Mười', '022300000020',
	'female', '1900-06-01')), '23514 people_citizen_id_birth',
	'born 1900, female, with digit 3 is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Thị Mai', '022090000021',
	'female', '1990-01-01')), '23514 people_citizen_id_birth',
	'a woman with an even digit 4 is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Cúc', '022190000022',
	'male', '1990-01-01')), '23514 people_citizen_id_birth',
	'a man with an odd digit 4 is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Trúc', '022091000023',
	'male', '1990-01-01')), '23514 people_citizen_id_birth',
	'year digits 91 for a birth in 1990 are refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Đào', '022089000024',
	'male', '1990-01-01')), '23514 people_citizen_id_birth',
	'year digits 89 for a birth in 1990 are refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('Lê Văn Lý', '022099000025',
	'male', '1899-12-31')), '23514 people_birth_date_check',
	'a birth before 1900 is refused');

-- Names: NFC, trimmed, 2 to 150 characters.
SELECT is(pg_temp.violates(pg_temp.person_sql(normalize('Phạm Thị Hường', NFD),
	'022190000031', 'female', '1990-01-01')), '23514 people_full_name_check',
	'a decomposed (NFD) name is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql(' Phạm Thị Hường',
	'022190000031', 'female', '1990-01-01')), '23514 people_full_name_check',
	'a name with a leading space is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql('H', '022190000031', 'female',
	'1990-01-01')), '23514 people_full_name_check',
	'a one-character name is refused');
SELECT is(pg_temp.violates(pg_temp.person_sql(normalize('Phạm Thị Hường', NFC),
	'022190000031', 'female', '1990-01-01')), 'no error',
	'the same name in NFC is accepted');
SELECT is(pg_temp.violates(pg_temp.person_sql('Phạm Văn Sơn', '022190000032',
	'other', '1990-01-01')), '23514 people_sex_check',
	'sex other than male/female is refused');

-- given_name is the last word of the full name.
SELECT is((SELECT given_name FROM hr.people WHERE citizen_id = '022190000031'),
	'Hường', 'given_name of "Phạm Thị Hường" is "Hường"');
SELECT is((SELECT given_name FROM hr.people WHERE citizen_id = '022090000001'),
	'An', 'given_name of "Nguyễn Văn An" is "An"');
SELECT pg_temp.person('Hoa', '022195000033', 'female', '1995-01-01') AS hoa \gset
SELECT pg_temp.person('Đỗ  Minh   Khôi', '022095000034', 'male', '1995-01-01')
	AS khoi \gset
SELECT is((SELECT given_name FROM hr.people WHERE id = :hoa), 'Hoa',
	'a one-word name is its own given name');
SELECT is((SELECT given_name FROM hr.people WHERE id = :khoi), 'Khôi',
	'runs of spaces inside the name do not matter');
UPDATE hr.people SET full_name = 'Nguyễn Văn Anh' WHERE citizen_id = '022090000001';
SELECT is((SELECT given_name FROM hr.people WHERE citizen_id = '022090000001'),
	'Anh', 'given_name follows an update of the full name');
UPDATE hr.people SET full_name = 'Nguyễn Văn An' WHERE citizen_id = '022090000001';
SELECT throws_ok($$UPDATE hr.people SET given_name = 'X'
	WHERE citizen_id = '022090000001'$$, '428C9', NULL,
	'given_name cannot be written');
SELECT is((SELECT search FROM hr.people WHERE citizen_id = '022190000031'),
	'pham thi huong', 'search is the folded full name');

-- Vietnamese order: by given name (a < ă < â < b, d < đ < e), then by
-- the whole name. In byte order "Ân" and "Đức" would come after "Em".
INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, province_id)
SELECT v.n, v.c, v.s, '1980-01-01', pg_temp.province('22')
  FROM (VALUES ('Phạm An', '022080000041', 'male'),
	('Trần Thị Ân', '022180000042', 'female'),
	('Lê Văn Bình', '022080000043', 'male'),
	('Vũ Dũng', '022080000044', 'male'),
	('Hoàng Đức', '022080000045', 'male'),
	('Hồ Thị Em', '022180000046', 'female'),
	('Mai Ăn', '022080000047', 'male')) v (n, c, s);
SELECT is(ARRAY(SELECT full_name FROM hr.people
	WHERE citizen_id IN ('022090000001', '022080000041', '022180000042',
	    '022080000043', '022080000044', '022080000045', '022180000046',
	    '022080000047')
	ORDER BY given_name, full_name),
	ARRAY['Nguyễn Văn An', 'Phạm An', 'Mai Ăn', 'Trần Thị Ân', 'Lê Văn Bình',
	    'Vũ Dũng', 'Hoàng Đức', 'Hồ Thị Em'],
	'people sort by given name in Vietnamese order, then by full name');
SELECT ok((SELECT given_name FROM hr.people WHERE citizen_id = '022180000042')
	> (SELECT given_name FROM hr.people WHERE citizen_id = '022080000041'),
	'"Ân" sorts after "An"');
SELECT ok((SELECT given_name FROM hr.people WHERE citizen_id = '022180000042')
	< (SELECT given_name FROM hr.people WHERE citizen_id = '022080000043'),
	'"Ân" sorts before "Bình"');
SELECT is((SELECT collname::text FROM pg_attribute a
	JOIN pg_collation c ON c.oid = a.attcollation
	WHERE a.attrelid = 'hr.people'::regclass AND a.attname = 'given_name'),
	'vi-x-icu', 'given_name has the Vietnamese collation');

-- ---------------------------------------------------------------------
-- hr.work_units: kind, ownership, dates, name.

SELECT is(pg_temp.violates(pg_temp.unit_sql('Trung tâm CTXH', 'sw_centre',
	'non_public')), 'no error', 'a non-public social work centre is fine');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Đơn vị lạ', 'club', 'public')),
	'23514 work_units_kind_check', 'an unknown kind is refused');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Đơn vị lạ', 'sw_centre', 'private')),
	'23514 work_units_ownership_check', 'an unknown ownership is refused');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Cơ sở BTXH công lập',
	'protection_public', 'non_public')), '23514 work_units_check1',
	'a public protection facility cannot be non-public');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Cơ sở BTXH công lập',
	'protection_public', 'public')), 'no error',
	'a public protection facility that is public is fine');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Cơ sở BTXH ngoài công lập',
	'protection_private', 'public')), '23514 work_units_check2',
	'a private protection facility cannot be public');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Cơ sở BTXH ngoài công lập',
	'protection_private', 'non_public')), 'no error',
	'a private protection facility that is non-public is fine');
SELECT is(pg_temp.violates(pg_temp.unit_sql('UBND xã', 'commune_committee',
	'non_public')), '23514 work_units_check3',
	'a commune committee cannot be non-public');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Văn phòng xã', 'commune_office',
	'non_public')), '23514 work_units_check3',
	'a commune office cannot be non-public');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Trung tâm đóng sớm', 'sw_centre',
	'public', '2020-01-02', '2020-01-01')), '23514 work_units_check',
	'a unit cannot close before it opened');
SELECT is(pg_temp.violates(pg_temp.unit_sql('Trung tâm một ngày', 'sw_centre',
	'public', '2020-01-01', '2020-01-01')), 'no error',
	'a unit may close on the day it opened');
SELECT is(pg_temp.violates(pg_temp.unit_sql(normalize('Trung tâm Hướng Dương', NFD),
	'sw_centre', 'public')), '23514 work_units_name_check',
	'a decomposed unit name is refused');

-- hr.work_unit_places: one place at a time per unit.
SELECT pg_temp.unit('Trung tâm Di chuyển') AS mover \gset
SELECT pg_temp.unit('Trung tâm Khác') AS other_unit \gset
SELECT is(pg_temp.violates(format($$INSERT INTO hr.work_unit_places
	(work_unit_id, commune_id, valid, reason)
	VALUES (%s, %s, '[2020-01-01,2021-01-01)', 'created')$$, :mover,
	pg_temp.commune('06688'))), 'no error', 'a first place is recorded');
SELECT is(pg_temp.violates(format($$INSERT INTO hr.work_unit_places
	(work_unit_id, commune_id, valid, reason)
	VALUES (%s, %s, '[2021-01-01,)', 'moved')$$, :mover,
	pg_temp.commune('06652'))), 'no error',
	'a place starting the day the previous one ended is fine');
SELECT is(pg_temp.violates(format($$INSERT INTO hr.work_unit_places
	(work_unit_id, commune_id, valid, reason)
	VALUES (%s, %s, '[2020-06-01,2020-07-01)', 'moved')$$, :mover,
	pg_temp.commune('06658'))), '23P01 work_unit_places_work_unit_id_valid_excl',
	'two places of one unit overlapping in time is 23P01');
SELECT is(pg_temp.violates(format($$INSERT INTO hr.work_unit_places
	(work_unit_id, commune_id, valid, reason)
	VALUES (%s, %s, '[2030-01-01,)', 'moved')$$, :mover,
	pg_temp.commune('06658'))), '23P01 work_unit_places_work_unit_id_valid_excl',
	'an open-ended place overlaps every later one');
SELECT is(pg_temp.violates(format($$INSERT INTO hr.work_unit_places
	(work_unit_id, commune_id, valid, reason)
	VALUES (%s, %s, '[2020-06-01,)', 'created')$$, :other_unit,
	pg_temp.commune('06688'))), 'no error',
	'another unit''s place may overlap in time');

-- ---------------------------------------------------------------------
-- hr.assignments.

SELECT pg_temp.person('Đặng Văn Phúc', '022085000051', 'male', '1985-03-03')
	AS worker \gset
SELECT pg_temp.unit('Trung tâm Công tác xã hội tỉnh') AS u1 \gset
SELECT pg_temp.unit('Cơ sở Bảo trợ xã hội Hạ Long') AS u2 \gset

-- FTE: more than 0, at most 1.
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', 0,
	'1990-01-01', NULL, NULL)), '23514 assignments_fte_check', 'fte 0 is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', -0.5,
	'1990-01-01', NULL, NULL)), '23514 assignments_fte_check',
	'a negative fte is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', 1.001,
	'1990-01-01', NULL, NULL)), '23514 assignments_fte_check',
	'fte 1.001 is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', 0.001,
	'1990-01-01', '1990-01-31', 'other')), 'no error', 'fte 0.001 is accepted');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', 1,
	'1990-02-01', '1990-02-28', 'other')), 'no error', 'fte 1 is accepted');

-- Dates and the end reason.
-- The span (a generated column) cannot be built first, so the refusal is
-- the range's own 22000 rather than the CHECK's 23514.
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.1,
	'1991-01-02', '1991-01-01', 'other')), '23514 assignments_check',
	'an end before the start is refused by the end-after-start check');
SELECT is((SELECT count(*)::integer FROM hr.assignments
	WHERE person_id = :worker AND start_date = '1991-01-02'), 0,
	'and no such spell is stored');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.1,
	'1991-01-01', '1991-01-01', 'other')), 'no error',
	'a one-day spell (end = start) is accepted');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.1,
	'1992-01-01', '1992-06-30', NULL)), '23514 assignments_check1',
	'an end date without an end reason is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.1,
	'1992-01-01', NULL, 'resigned')), '23514 assignments_check1',
	'an end reason without an end date is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.1,
	'1949-12-31', '1950-01-31', 'other')), '23514 assignments_start_date_check',
	'a start before 1950 is refused');

-- Allowance only for collaborators; a title only for posts.
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'professional', 1,
	'1993-01-01', '1993-12-31', 'other', 2000000)), '23514 assignments_check2',
	'a professional with an allowance is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'volunteer', 0.2,
	'1993-01-01', '1993-12-31', 'other', 2000000)), '23514 assignments_check2',
	'a volunteer with an allowance is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'collaborator', 0.5,
	'1993-01-01', '1993-12-31', 'other', 2000000)), 'no error',
	'a collaborator with an allowance is accepted');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'collaborator', 0.5,
	'1994-01-01', '1994-12-31', 'other', NULL, 'V.09.04.01')),
	'23514 assignments_check3', 'a collaborator with a title is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'concurrent', 0.5,
	'1994-01-01', '1994-12-31', 'other', NULL, 'V.09.04.01')),
	'23514 assignments_check3', 'a concurrent post with a title is refused');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'professional', 1,
	'1994-01-01', '1994-12-31', 'other', NULL, 'V.09.04.02')), 'no error',
	'a professional with a title is accepted');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'commune_post', 1,
	'1994-01-01', '1994-12-31', 'other', NULL, 'V.09.04.03')), 'no error',
	'a commune post holder with a title is accepted');

-- No two spells of one person in one unit and category overlap. Spans
-- include both ends: a spell ending 2000-12-31 and one starting that day
-- share a day.
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2000-01-01', '2000-12-31', 'rotated')), 'no error', 'a first spell');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2000-06-01', '2000-08-31', 'rotated')), '23P01 assignments_no_overlap',
	'a spell inside another of the same unit and category is 23P01');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2000-12-31', '2001-06-30', 'rotated')), '23P01 assignments_no_overlap',
	'a spell starting on the last day of another overlaps (23P01)');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2001-01-01', '2001-12-31', 'rotated')), 'no error',
	'a spell starting the day after the previous one ended is fine');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'concurrent', 0.5,
	'2000-06-01', '2000-08-31', 'rotated')), 'no error',
	'an overlapping spell of another category is fine');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u1, 'professional', 1,
	'2000-06-01', '2000-08-31', 'rotated')), 'no error',
	'an overlapping spell in another unit is fine');
SELECT is(pg_temp.violates(pg_temp.spell_sql(
	pg_temp.person('Đặng Thị Phúc', '022185000052', 'female', '1985-03-03'),
	:u2, 'professional', 1, '2000-06-01', '2000-08-31', 'rotated')),
	'no error', 'another person may overlap in the same unit and category');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2010-01-01', NULL, NULL)), 'no error', 'an open-ended spell from 2010');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2035-01-01', '2035-12-31', 'rotated')), '23P01 assignments_no_overlap',
	'an open-ended spell overlaps any later spell (23P01)');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2005-01-01', '2010-01-01', 'rotated')), '23P01 assignments_no_overlap',
	'a spell ending on the open spell''s first day overlaps it');
SELECT is(pg_temp.violates(pg_temp.spell_sql(:worker, :u2, 'professional', 1,
	'2005-01-01', '2009-12-31', 'rotated')), 'no error',
	'a spell ending the day before the open spell starts is fine');
SELECT is(pg_temp.violates(format(
	$$UPDATE hr.assignments SET end_date = NULL, end_reason = NULL
	   WHERE person_id = %s AND work_unit_id = %s
	     AND category = 'professional' AND start_date = '2001-01-01'$$,
	:worker, :u2)), '23P01 assignments_no_overlap',
	'reopening an ended spell that would overlap a later one is 23P01');

SELECT * FROM finish();
ROLLBACK;
