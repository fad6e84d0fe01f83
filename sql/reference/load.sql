-- Loads the national geography (admin_units.csv), its lineage
-- (unit_lineage.csv, lineage_unresolved.csv), the seed training
-- institutions and the provincial plans. Run by sql/load inside one
-- transaction; rows already present are left alone, so a re-run changes
-- nothing.
SET client_min_messages = warning;

CREATE TEMP TABLE stage_units (
	code text, level text, kind text, name text, full_name text,
	name_en text, parent_code text, valid_from date, valid_to date
) ON COMMIT DROP;
\copy stage_units FROM 'reference/admin_units.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE stage_lineage (
	old_level text, old_code text, new_level text, new_code text,
	partial boolean, method text
) ON COMMIT DROP;
\copy stage_lineage FROM 'reference/unit_lineage.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE stage_unresolved (
	new_code text, fragment text, reason text, candidates text,
	source_text text
) ON COMMIT DROP;
\copy stage_unresolved FROM 'reference/lineage_unresolved.csv' WITH (FORMAT csv, HEADER true)

-- Provinces, then districts, then communes, so parents exist first. The
-- era of a row is its valid_from: NULL before the 2025 reform.
INSERT INTO geo.units (code, level, kind, name, full_name, name_en,
    valid_from, valid_to)
SELECT s.code, s.level, s.kind, normalize(s.name, NFC),
    normalize(s.full_name, NFC), s.name_en, s.valid_from, s.valid_to
  FROM stage_units s
 WHERE s.level = 'province'
   AND NOT EXISTS (SELECT FROM geo.units u WHERE u.level = s.level
	AND u.code = s.code AND u.valid_from IS NOT DISTINCT FROM s.valid_from);

INSERT INTO geo.units (code, level, kind, name, full_name, name_en,
    parent_id, valid_from, valid_to)
SELECT s.code, s.level, s.kind, normalize(s.name, NFC),
    normalize(s.full_name, NFC), s.name_en, p.id, s.valid_from, s.valid_to
  FROM stage_units s
  JOIN geo.units p ON p.code = s.parent_code
	AND p.level = CASE WHEN s.level = 'district' OR s.valid_from IS NOT NULL
	    THEN 'province' ELSE 'district' END
	AND p.valid_from IS NOT DISTINCT FROM s.valid_from
 WHERE s.level = 'district'
   AND NOT EXISTS (SELECT FROM geo.units u WHERE u.level = s.level
	AND u.code = s.code AND u.valid_from IS NOT DISTINCT FROM s.valid_from);

INSERT INTO geo.units (code, level, kind, name, full_name, name_en,
    parent_id, valid_from, valid_to)
SELECT s.code, s.level, s.kind, normalize(s.name, NFC),
    normalize(s.full_name, NFC), s.name_en, p.id, s.valid_from, s.valid_to
  FROM stage_units s
  JOIN geo.units p ON p.code = s.parent_code
	AND p.level = CASE WHEN s.valid_from IS NOT NULL
	    THEN 'province' ELSE 'district' END
	AND p.valid_from IS NOT DISTINCT FROM s.valid_from
 WHERE s.level = 'commune'
   AND NOT EXISTS (SELECT FROM geo.units u WHERE u.level = s.level
	AND u.code = s.code AND u.valid_from IS NOT DISTINCT FROM s.valid_from);

DO $$
BEGIN
	IF (SELECT count(*) FROM stage_units) <> (SELECT count(*) FROM geo.units
	    WHERE (level, code, coalesce(valid_from, '-infinity')) IN
	    (SELECT level, code, coalesce(valid_from, '-infinity') FROM stage_units)) THEN
		RAISE EXCEPTION 'reference units did not all load (parent missing?)';
	END IF;
END
$$;

-- Lineage always runs from a pre-reform unit to a current one.
INSERT INTO geo.lineage (old_id, new_id, partial, method)
SELECT o.id, n.id, s.partial, s.method
  FROM stage_lineage s
  JOIN geo.units o ON o.level = s.old_level AND o.code = s.old_code
	AND o.valid_to = '2025-06-30'
  JOIN geo.units n ON n.level = s.new_level AND n.code = s.new_code
	AND n.valid_from = '2025-07-01'
ON CONFLICT (old_id, new_id) DO NOTHING;

INSERT INTO geo.lineage_unresolved (new_id, fragment, reason, candidates,
    source_text)
SELECT n.id, s.fragment, s.reason,
    coalesce(string_to_array(nullif(s.candidates, ''), ' '), '{}'),
    s.source_text
  FROM stage_unresolved s
  JOIN geo.units n ON n.level = 'commune' AND n.code = s.new_code
	AND n.valid_from = '2025-07-01'
ON CONFLICT (new_id, fragment) DO NOTHING;

\ir institutions.sql
\ir plans.sql
