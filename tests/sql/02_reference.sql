-- The national geography loaded from sql/reference: counts of both eras,
-- codes, names, the lineage of the 2025 reform, folding and collation.
BEGIN;
SELECT plan(44);

-- Counts.
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'province'
	AND valid_from = '2025-07-01' AND valid_to IS NULL), 34,
	'34 current provinces');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'commune'
	AND valid_from = '2025-07-01' AND valid_to IS NULL), 3321,
	'3,321 current communes');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'province'
	AND valid_from IS NULL AND valid_to = '2025-06-30'), 63,
	'63 pre-reform provinces');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'district'
	AND valid_to = '2025-06-30'), 696, '696 pre-reform districts');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'commune'
	AND valid_to = '2025-06-30'), 10035, '10,035 pre-reform communes');
SELECT is((SELECT count(*)::integer FROM geo.units), 14149,
	'14,149 units in all, as admin_units.csv');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'district'
	AND valid_to IS NULL), 0, 'no current districts (two-tier map)');
SELECT is((SELECT count(*)::integer FROM geo.lineage WHERE method <> 'manual'),
	10632, '10,632 loaded lineage rows, as unit_lineage.csv');
SELECT is((SELECT count(*)::integer FROM org.institutions), 5,
	'five seed institutions');

-- Tree shape.
SELECT is((SELECT count(*)::integer FROM geo.units c JOIN geo.units p
	ON p.id = c.parent_id WHERE c.level = 'commune' AND c.valid_to IS NULL
	AND NOT (p.level = 'province' AND p.valid_to IS NULL)), 0,
	'every current commune hangs off a current province');
SELECT is((SELECT count(*)::integer FROM geo.units c LEFT JOIN geo.units d
	ON d.id = c.parent_id WHERE c.level = 'commune' AND c.valid_to IS NOT NULL
	AND (d.level IS DISTINCT FROM 'district' OR d.valid_to IS NULL)), 0,
	'every old commune hangs off an old district');
SELECT is((SELECT count(*)::integer FROM geo.units d LEFT JOIN geo.units p
	ON p.id = d.parent_id WHERE d.level = 'district'
	AND (p.level IS DISTINCT FROM 'province' OR p.valid_to IS NULL)), 0,
	'every district hangs off an old province');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE level = 'province'
	AND parent_id IS NOT NULL), 0, 'provinces have no parent');

-- Codes are text: leading zeros kept.
SELECT ok(EXISTS (SELECT FROM geo.units WHERE level = 'province'
	AND code = '01' AND valid_to IS NULL AND name = 'Hà Nội'),
	'province 01 (Hà Nội) keeps its leading zero');
SELECT ok(EXISTS (SELECT FROM geo.units WHERE level = 'commune'
	AND code = '00004'), 'commune 00004 exists');
SELECT is((SELECT name FROM geo.units WHERE level = 'commune' AND code = '00004'
	AND valid_to IS NULL), 'Ba Đình', 'current commune 00004 is Ba Đình');
SELECT ok(EXISTS (SELECT FROM geo.units WHERE level = 'district'
	AND code = '001'), 'district 001 exists');
SELECT is((SELECT count(*)::integer FROM geo.units WHERE
	(level = 'province' AND length(code) <> 2) OR
	(level = 'district' AND length(code) <> 3) OR
	(level = 'commune' AND length(code) <> 5)), 0,
	'every code has the width of its level');
SELECT is((SELECT count(*)::integer FROM (SELECT level, code, valid_from
	FROM geo.units GROUP BY 1, 2, 3 HAVING count(*) > 1) d), 0,
	'(level, code, valid_from) is unique');

-- Names are NFC.
SELECT is((SELECT count(*)::integer FROM geo.units
	WHERE name IS NFC NORMALIZED AND full_name IS NFC NORMALIZED), 14149,
	'every unit name and full name is NFC');
SELECT is((SELECT count(*)::integer FROM org.institutions
	WHERE NOT name IS NFC NORMALIZED), 0, 'institution names are NFC');
SELECT is((SELECT count(*)::integer FROM geo.units
	WHERE full_name <> kind || ' ' || name), 0,
	'full_name is kind followed by name');
SELECT is((SELECT name FROM geo.units WHERE level = 'province' AND code = '56'
	AND valid_to IS NULL), 'Khánh Hoà',
	'Khánh Hoà is spelt as in the source (NFC, tone on a)');

-- Province lineage.
SELECT set_eq($$
	SELECT o.code || '>' || n.code FROM geo.lineage l
	  JOIN geo.units o ON o.id = l.old_id
	  JOIN geo.units n ON n.id = l.new_id
	 WHERE o.level = 'province' AND o.code IN ('77', '74', '87', '58', '22')
$$, ARRAY['77>79', '74>79', '87>82', '58>56', '22>22'],
	'77→79, 74→79, 87→82, 58→56, 22→22');
SELECT is_empty($$
	SELECT o.code FROM geo.units o
	 WHERE o.level = 'province' AND o.valid_to = '2025-06-30'
	   AND (SELECT count(*) FROM geo.lineage l JOIN geo.units n
		ON n.id = l.new_id AND n.level = 'province'
		AND n.valid_from = '2025-07-01' WHERE l.old_id = o.id) <> 1
$$, 'every old province has exactly one current successor');
SELECT is_empty($$
	SELECT n.code FROM geo.units n
	 WHERE n.level = 'province' AND n.valid_to IS NULL
	   AND NOT EXISTS (SELECT FROM geo.lineage l WHERE l.new_id = n.id)
$$, 'every current province has a predecessor');
SELECT is((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id JOIN geo.units n ON n.id = l.new_id
	WHERE o.level = 'province' AND n.code = '79'), 3,
	'Hồ Chí Minh City (79) was formed from three provinces');
SELECT is((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id JOIN geo.units n ON n.id = l.new_id
	WHERE o.level = 'province' AND l.partial), 0,
	'province links are never partial');

-- Lineage always runs from a pre-reform unit to a current one.
SELECT is((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id JOIN geo.units n ON n.id = l.new_id
	WHERE o.valid_to <> '2025-06-30' OR o.valid_to IS NULL
	   OR n.valid_from IS DISTINCT FROM '2025-07-01'), 0,
	'every lineage row runs from an old unit to a current one');
SELECT is((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id JOIN geo.units n ON n.id = l.new_id
	WHERE NOT ((o.level = n.level) OR (o.level = 'district'
	    AND n.level = 'commune'))), 0,
	'lineage links like levels (and island districts to communes)');

-- Commune lineage coverage.
SELECT cmp_ok((SELECT count(DISTINCT l.old_id)::numeric FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id AND o.level = 'commune') /
	(SELECT count(*) FROM geo.units WHERE level = 'commune'
	  AND valid_to = '2025-06-30'), '>=', 0.90,
	'at least 90% of old communes have a lineage row');
SELECT is((SELECT count(*)::integer FROM geo.units n
	WHERE n.level = 'commune' AND n.valid_to IS NULL
	  AND NOT EXISTS (SELECT FROM geo.lineage l WHERE l.new_id = n.id)), 0,
	'every current commune was formed from something');
SELECT ok(EXISTS (SELECT FROM geo.lineage l
	  JOIN geo.units o ON o.id = l.old_id
	  JOIN geo.units n ON n.id = l.new_id
	 WHERE n.level = 'commune' AND n.code = '09856' AND n.valid_to IS NULL
	   AND o.level = 'commune' AND o.code = '09838'),
	'09856 was formed from 09838');
SELECT is((SELECT o.name FROM geo.units o WHERE o.level = 'commune'
	AND o.code = '09838' AND o.valid_to = '2025-06-30'), 'Minh Khai',
	'old commune 09838 is Minh Khai');
SELECT cmp_ok((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units n ON n.id = l.new_id
	WHERE n.level = 'commune' AND n.code = '09856'), '>', 1,
	'09856 was formed from several old communes');
SELECT is((SELECT count(*)::integer FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id
	WHERE o.level = 'district'), 5,
	'the five commune-less island districts are linked');
SELECT is((SELECT array_agg(n.code || ' ' || r.fragment) FROM geo.lineage_unresolved r
	JOIN geo.units n ON n.id = r.new_id), ARRAY['10843 Xã Hòa Bình'],
	'one unresolved fragment: 10843 Xã Hòa Bình');

-- Folding for search.
SELECT is(public.fold('Hạ Long'), 'ha long', 'fold(Hạ Long) = ha long');
SELECT is(public.fold('ĐỒNG THÁP'), 'dong thap', 'fold handles Đ and capitals');
SELECT is(public.fold(normalize('Hạ Long', NFD)), 'ha long',
	'fold of the decomposed form is the same');
SELECT is((SELECT search FROM geo.units WHERE level = 'commune'
	AND code = '06688' AND valid_to IS NULL), 'ha long',
	'the stored search column is the folded name');

-- Vietnamese collation: Đ is its own letter, after D.
SELECT is((SELECT array_agg(n ORDER BY n COLLATE "vi-x-icu")
	FROM unnest(ARRAY['Đông', 'Em', 'Dương', 'Dz']) n),
	ARRAY['Dương', 'Dz', 'Đông', 'Em'],
	'vi-x-icu sorts Đ after every D and before E');
SELECT is((SELECT array_agg(name ORDER BY name) FROM geo.units
	WHERE level = 'province' AND valid_to IS NULL
	  AND code IN ('04', '92', '48', '66', '11', '52')),
	ARRAY['Cao Bằng', 'Cần Thơ', 'Đà Nẵng', 'Đắk Lắk', 'Điện Biên', 'Gia Lai'],
	'geo.units.name sorts in Vietnamese order by default');
SELECT is((SELECT array_agg(n ORDER BY n COLLATE "vi-x-icu")
	FROM unnest(ARRAY['Hưng Yên', 'Huế', 'Hà Tĩnh', 'Hải Phòng']) n),
	ARRAY['Hà Tĩnh', 'Hải Phòng', 'Huế', 'Hưng Yên'],
	'vi-x-icu sorts u before ư');

SELECT * FROM finish();
ROLLBACK;
