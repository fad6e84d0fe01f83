-- The geography and institution entry points: lists by date, keyset
-- paging, search, lineage in the unit views, and institution scope.
BEGIN;
SELECT plan(62);

\ir helpers.psql

-- Every province code, following next_cursor page by page.
CREATE FUNCTION pg_temp.province_pages(p_as_of date, p_limit integer,
    OUT codes text[], OUT pages integer)
LANGUAGE plpgsql AS $$
DECLARE
	cur	text;
	page	json;
BEGIN
	codes := '{}';
	pages := 0;
	LOOP
		page := api.provinces_list(pg_temp.uid('admin'), p_as_of, cur,
		    p_limit);
		pages := pages + 1;
		codes := codes || ARRAY(SELECT i ->> 'code'
		    FROM json_array_elements(page -> 'items') i);
		cur := page ->> 'next_cursor';
		EXIT WHEN cur IS NULL OR pages > 100;
	END LOOP;
END
$$;

-- Every commune code of a province, page by page.
CREATE FUNCTION pg_temp.commune_pages(p_province text, p_as_of date,
    p_q text, p_limit integer, OUT codes text[], OUT pages integer)
LANGUAGE plpgsql AS $$
DECLARE
	cur	text;
	page	json;
BEGIN
	codes := '{}';
	pages := 0;
	LOOP
		page := api.communes_list(pg_temp.uid('admin'), p_province,
		    p_as_of, p_q, cur, p_limit);
		pages := pages + 1;
		codes := codes || ARRAY(SELECT i ->> 'code'
		    FROM json_array_elements(page -> 'items') i);
		cur := page ->> 'next_cursor';
		EXIT WHEN cur IS NULL OR pages > 1000;
	END LOOP;
END
$$;

-- Provinces.
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'), NULL,
	NULL, NULL) -> 'items'), 34, 'provinces_list today has 34 items');
SELECT is(api.provinces_list(pg_temp.uid('admin'), NULL, NULL, NULL)
	->> 'next_cursor', NULL, 'one page holds them all');
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'),
	'2024-01-01', NULL, NULL) -> 'items'), 63,
	'provinces_list as of 2024-01-01 has 63 items');
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'),
	'2025-06-30', NULL, NULL) -> 'items'), 63,
	'63 provinces on the last day before the reform');
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'),
	'2025-07-01', NULL, NULL) -> 'items'), 34,
	'34 provinces from the first day of the reform');
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('ulsa'),
	NULL, NULL, NULL) -> 'items'), 34, 'every signed-in role may list provinces');
SELECT is(api.provinces_list(pg_temp.uid('admin'), NULL, NULL, NULL)
	-> 'items' -> 0 ->> 'code', '01', 'provinces are in code order');

-- Paging.
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'), NULL,
	NULL, 10) -> 'items'), 10, 'limit 10 gives 10 items');
SELECT isnt(api.provinces_list(pg_temp.uid('admin'), NULL, NULL, 10)
	->> 'next_cursor', NULL, 'a first page of 10 has a next_cursor');
SELECT ok((api.provinces_list(pg_temp.uid('admin'), NULL, NULL, 10)
	->> 'next_cursor') ~ '^[A-Za-z0-9_-]+$', 'the cursor is base64url text');
SELECT cmp_ok((SELECT api.provinces_list(pg_temp.uid('admin'), NULL,
	p1 ->> 'next_cursor', 10) -> 'items' -> 0 ->> 'code'
	FROM api.provinces_list(pg_temp.uid('admin'), NULL, NULL, 10) p1),
	'>', (SELECT p1 -> 'items' -> 9 ->> 'code'
	FROM api.provinces_list(pg_temp.uid('admin'), NULL, NULL, 10) p1),
	'the second page starts after the first page''s last code');
SELECT is((SELECT api.provinces_list(pg_temp.uid('admin'), NULL,
	p1 ->> 'next_cursor', 10) -> 'items' -> 0 ->> 'code'
	FROM api.provinces_list(pg_temp.uid('admin'), NULL, NULL, 10) p1),
	(SELECT code FROM geo.units WHERE level = 'province' AND valid_to IS NULL
	  ORDER BY code OFFSET 10 LIMIT 1),
	'the second page starts at the 11th province');
SELECT is((pg_temp.province_pages(NULL, 10)).codes,
	ARRAY(SELECT code FROM geo.units WHERE level = 'province'
	  AND valid_to IS NULL ORDER BY code),
	'paging by 10 visits every current province once, in order');
SELECT is((pg_temp.province_pages(NULL, 10)).pages, 4,
	'34 provinces are 4 pages of 10');
SELECT is((pg_temp.province_pages(NULL, 17)).pages, 2,
	'34 provinces are exactly 2 pages of 17, with no empty third page');
SELECT is((pg_temp.province_pages('2024-01-01', 7)).codes,
	ARRAY(SELECT code FROM geo.units WHERE level = 'province'
	  AND valid_to = '2025-06-30' ORDER BY code),
	'paging by 7 visits every pre-reform province once, in order');

-- Limits and cursors.
SELECT is(pg_temp.err(format('SELECT api.provinces_list(%s, NULL, NULL, 0)',
	pg_temp.uid('admin'))), 'RG400 bad-limit', 'limit 0 is RG400');
SELECT is(pg_temp.err(format('SELECT api.provinces_list(%s, NULL, NULL, 101)',
	pg_temp.uid('admin'))), 'RG400 bad-limit', 'limit 101 is RG400');
SELECT is(json_array_length(api.provinces_list(pg_temp.uid('admin'), NULL,
	NULL, 100) -> 'items'), 34, 'limit 100 is allowed');
SELECT throws_ok($$SELECT lib.cursor_in('garbage!!', 'id')$$, 'RG400', NULL,
	'lib.cursor_in of garbage is RG400');
SELECT throws_ok($$SELECT lib.cursor_in('Zm9v', 'id')$$, 'RG400', NULL,
	'lib.cursor_in of base64url that is not JSON is RG400');
SELECT is(pg_temp.err($$SELECT lib.cursor_in('%%%', 'id')$$), 'RG400 bad-cursor',
	'a bad cursor is "bad-cursor"');
SELECT is(lib.cursor_in(lib.cursor_out('{"name": "Đông Hưng", "code": "00001"}'),
	'name', 'code'),
	'{"name": "Đông Hưng", "code": "00001"}'::jsonb,
	'cursor_in undoes cursor_out, Vietnamese included');
SELECT is(lib.cursor_in(NULL, 'id'), NULL, 'no cursor is NULL');
SELECT is(pg_temp.err(format($$SELECT api.provinces_list(%s, NULL, 'garbage!!', NULL)$$,
	pg_temp.uid('admin'))), 'RG400 bad-cursor',
	'provinces_list with a garbage cursor is RG400');

-- Communes.
SELECT ok(EXISTS (SELECT FROM json_array_elements(api.communes_list(
	pg_temp.uid('admin'), '22', NULL, 'ha long', NULL, NULL) -> 'items') i
	WHERE i ->> 'name' = 'Hạ Long' AND i ->> 'code' = '06688'),
	'communes_list(22, q = ha long) finds Hạ Long');
SELECT is(api.communes_list(pg_temp.uid('admin'), '22', NULL, 'Hạ Long', NULL,
	NULL) -> 'items' -> 0 ->> 'code', '06688',
	'searching with diacritics finds it too');
SELECT is(api.communes_list(pg_temp.uid('admin'), '22', NULL, ' 06688 ', NULL,
	NULL) -> 'items' -> 0 ->> 'name', 'Hạ Long', 'a commune can be found by code');
SELECT is(json_array_length(api.communes_list(pg_temp.uid('admin'), '22', NULL,
	NULL, NULL, NULL) -> 'items'), 54, 'Quảng Ninh has 54 communes today');
SELECT is(json_array_length(api.communes_list(pg_temp.uid('admin'), '22',
	'2024-01-01', NULL, NULL, 1000) -> 'items'), 171,
	'Quảng Ninh had 171 communes before the reform');
SELECT is((pg_temp.commune_pages('01', NULL, NULL, 7)).codes,
	ARRAY(SELECT i ->> 'code' FROM json_array_elements(api.communes_list(
	    pg_temp.uid('admin'), '01', NULL, NULL, NULL, 1000) -> 'items') i),
	'paging Hà Nội''s communes by 7 gives the one-page list, in order');
SELECT is(cardinality((pg_temp.commune_pages('01', NULL, NULL, 7)).codes), 126,
	'Hà Nội has 126 communes today');
SELECT is((pg_temp.commune_pages('79', '2024-01-01', 'phuong', 9)).codes,
	ARRAY(SELECT i ->> 'code' FROM json_array_elements(api.communes_list(
	    pg_temp.uid('admin'), '79', '2024-01-01', 'phuong', NULL, 1000)
	    -> 'items') i),
	'paging old Hồ Chí Minh City wards (many share a name) is complete');
SELECT is((SELECT array_agg(i ->> 'name') FROM json_array_elements(
	api.communes_list(pg_temp.uid('admin'), '82', NULL, NULL, NULL, 1000)
	-> 'items') i),
	ARRAY(SELECT c.name FROM geo.units c JOIN geo.units p ON p.id = c.parent_id
	  WHERE p.level = 'province' AND p.code = '82' AND p.valid_to IS NULL
	  ORDER BY c.name COLLATE "vi-x-icu", c.code),
	'communes are in Vietnamese alphabetical order');
SELECT is(pg_temp.err(format($$SELECT api.communes_list(%s, '99', NULL, NULL,
	NULL, NULL)$$, pg_temp.uid('admin'))), 'RG404 not-found',
	'communes_list of an unknown province is RG404');
SELECT is(pg_temp.err(format($$SELECT api.communes_list(%s, '77', NULL, NULL,
	NULL, NULL)$$, pg_temp.uid('admin'))), 'RG404 not-found',
	'communes_list of a merged-away province today is RG404');
SELECT is(pg_temp.err(format($$SELECT api.communes_list(%s, '22', NULL, NULL,
	NULL, 1001)$$, pg_temp.uid('admin'))), 'RG400 bad-limit',
	'communes_list limit 1001 is RG400');

-- Province detail with lineage.
SELECT is(api.province_get(pg_temp.uid('admin'), '77', NULL) -> 'successor'
	->> 'code', '79', 'province 77 has successor 79');
SELECT is(api.province_get(pg_temp.uid('admin'), '77', NULL) ->> 'valid_to',
	'2025-06-30', 'province 77 ended on 2025-06-30');
SELECT is(ARRAY(SELECT p ->> 'code' FROM json_array_elements(api.province_get(
	pg_temp.uid('admin'), '79', NULL) -> 'predecessors') p),
	ARRAY['74', '77', '79'], 'province 79 was formed from 74, 77 and 79');
SELECT is(api.province_get(pg_temp.uid('admin'), '22', NULL) ->> 'valid_from',
	'2025-07-01', 'without as_of, province 22 is today''s');
SELECT is(api.province_get(pg_temp.uid('admin'), '22', NULL) ->> 'successor',
	NULL, 'today''s province 22 has no successor');
SELECT is(api.province_get(pg_temp.uid('admin'), '22', '2024-01-01')
	-> 'successor' ->> 'valid_from', '2025-07-01',
	'as of 2024, province 22 was succeeded by today''s 22');
SELECT is((api.province_get(pg_temp.uid('admin'), '22', NULL) ->> 'communes')::integer,
	54, 'province_get counts today''s communes');
SELECT is((api.province_get(pg_temp.uid('admin'), '22', '2024-01-01')
	->> 'communes')::integer, 171, 'province_get counts old communes via districts');
SELECT is(pg_temp.err(format($$SELECT api.province_get(%s, '99', NULL)$$,
	pg_temp.uid('admin'))), 'RG404 not-found', 'an unknown province is RG404');

-- Commune detail with lineage.
SELECT ok(EXISTS (SELECT FROM json_array_elements(api.commune_get(
	pg_temp.uid('admin'), '09856', NULL) -> 'formed_from') o
	WHERE o ->> 'code' = '09838' AND o ->> 'name' = 'Minh Khai'),
	'commune 09856 was formed from 09838 Minh Khai');
SELECT is((SELECT json_agg(b ->> 'code')::text FROM json_array_elements(
	api.commune_get(pg_temp.uid('admin'), '09838', NULL) -> 'became') b),
	'["09856"]', 'commune 09838 became 09856');

-- Institutions and scope.
SELECT throws_ok(format($$SELECT api.institution_get(%s, %s)$$,
	pg_temp.uid('ulsa'), (SELECT id FROM org.institutions WHERE code = 'DTCC')),
	'RG404', NULL, 'the ULSA registrar cannot see DTCC');
SELECT is(api.institution_get(pg_temp.uid('ulsa'),
	(SELECT id FROM org.institutions WHERE code = 'ULSA')) ->> 'code', 'ULSA',
	'the ULSA registrar sees ULSA');
SELECT is(api.institution_get(pg_temp.uid('hr.dongthap'),
	(SELECT id FROM org.institutions WHERE code = 'DTCC')) ->> 'code', 'DTCC',
	'hr.dongthap sees DTCC');
SELECT throws_ok(format($$SELECT api.institution_get(%s, %s)$$,
	pg_temp.uid('hr.quangninh'), (SELECT id FROM org.institutions WHERE code = 'DTCC')),
	'RG404', NULL, 'hr.quangninh cannot see DTCC');
SELECT is((SELECT array_agg(i ->> 'code' ORDER BY i ->> 'code') FROM
	json_array_elements(api.institutions_list(pg_temp.uid('bcd.national'),
	NULL, NULL) -> 'items') i), ARRAY['DTCC', 'TUU', 'ULSA', 'USSH-VNU', 'VWA'],
	'national steering lists every institution');
SELECT is((SELECT array_agg(i ->> 'code') FROM json_array_elements(
	api.institutions_list(pg_temp.uid('ulsa'), NULL, NULL) -> 'items') i),
	ARRAY['ULSA'], 'a registrar lists only its own institution');


-- An institution with no province (a national body) is in no province's
-- scope: officers and provincial steering get 404, as its absence from
-- their list says; national roles see it.
INSERT INTO org.institutions (code, name, kind)
VALUES ('NGO-TEST', 'Tổ chức Thử nghiệm Quốc gia', 'ngo');
SELECT is(pg_temp.err(format('SELECT api.institution_get(%s, %s)',
	pg_temp.uid('hr.quangninh'),
	(SELECT id FROM org.institutions WHERE code = 'NGO-TEST'))),
	'RG404 not-found', 'an hr_officer cannot see an institution with no province');
SELECT is(pg_temp.err(format('SELECT api.institution_get(%s, %s)',
	pg_temp.uid('bcd.quangninh'),
	(SELECT id FROM org.institutions WHERE code = 'NGO-TEST'))),
	'RG404 not-found',
	'provincial steering cannot see an institution with no province');
SELECT is(pg_temp.err(format('SELECT api.institution_get(%s, %s)',
	pg_temp.uid('ulsa'),
	(SELECT id FROM org.institutions WHERE code = 'NGO-TEST'))),
	'RG404 not-found', 'a registrar cannot see an institution with no province');
SELECT is(api.institution_get(pg_temp.uid('bcd.national'),
	(SELECT id FROM org.institutions WHERE code = 'NGO-TEST')) ->> 'code',
	'NGO-TEST', 'national steering sees an institution with no province');
SELECT is(json_array_length(api.institutions_list(pg_temp.uid('hr.quangninh'),
	NULL, NULL) -> 'items'), 0, 'hr.quangninh lists no institution');

-- A cursor the server did not make is the cursor's fault (400), whatever
-- it decodes to.
SELECT is(pg_temp.err(format('SELECT api.institutions_list(%s, %L, NULL)',
	pg_temp.uid('admin'), lib.cursor_out('{"id": "abc"}'))),
	'RG400 bad-cursor',
	'institutions_list with a well-formed but wrong-typed cursor is RG400');

-- Lineage coverage as the API reports it.
SELECT is((api.lineage_stats(pg_temp.uid('admin')) ->> 'old_communes')::integer,
	10035, 'lineage_stats counts 10,035 old communes');
SELECT cmp_ok((api.lineage_stats(pg_temp.uid('admin')) ->> 'matched_percent')::numeric,
	'>=', 90::numeric, 'lineage_stats reports at least 90% matched');

SELECT * FROM finish();
ROLLBACK;
