-- The indicator and gap engine (sql/api/80_indicators.sql) on scenarios
-- built by hand: every expected number is worked out here, next to the
-- data it comes from. The day asked for is fixed (D = 2026-06-30, in the
-- past), never current_date; the communes that get staff are reference
-- communes no demo work unit uses, picked by code (one commune is only
-- looked up, for a 404); everything is rolled back at the end.
--
--   1. a commune covered only by a concurrent official
--   2. a collaborator paid below, then at, the base salary, and a raise
--   3. a trained person who leaves (TRAINED_LOST), and one who left
--      13 months ago
--   4. turnover: two separations, one in a big commune, transfers
--      between two communes of one province
--   5. a 2024 staffing re-based onto the 2025 merged commune
--   6. target progress: exactly 60 %, one commune short, ceil()
--   7. SHORT_TENURE, VACANT, a never-staffed commune
--   8. the training summary (training.sw_trained) and its triggers
BEGIN;
SELECT plan(93);

\ir helpers.psql

-- The base salary (lương cơ sở) the scenarios are worked out with, pinned
-- whatever the seeds hold later: 1,800,000 from 2023-07-01, 2,340,000
-- from 2024-07-01, nothing after.
DELETE FROM plans.base_salaries WHERE effective_from > '2023-07-01';
INSERT INTO plans.base_salaries (effective_from, amount_vnd, source)
VALUES ('2023-07-01', 1800000, 'NĐ 24/2023/NĐ-CP'),
       ('2024-07-01', 2340000, 'NĐ 73/2024/NĐ-CP')
ON CONFLICT (effective_from) DO UPDATE SET amount_vnd = EXCLUDED.amount_vnd;

\ir scenario.psql

-- Communes. Provinces A, B and C (scenario.psql's prov); in A, one
-- commune per scenario, in B two (the transfers), in C a merged commune
-- (scenario 5).
INSERT INTO c (tag, id, code)
SELECT t.tag, x.id, x.code
  FROM (SELECT g.id, g.code, g.parent_id,
	    row_number() OVER (PARTITION BY g.parent_id ORDER BY g.code) AS n
	  FROM geo.units g
	 WHERE g.level = 'commune' AND g.valid_to IS NULL
	   AND g.parent_id IN (SELECT id FROM prov)
	   AND NOT EXISTS (SELECT FROM hr.work_units w
		WHERE w.commune_id = g.id)
	   AND NOT EXISTS (SELECT FROM hr.work_units w
		JOIN geo.lineage l ON l.old_id = w.commune_id
		WHERE l.new_id = g.id)) x
  JOIN prov p ON p.id = x.parent_id
  JOIN (SELECT tag, n, 1 AS prov FROM unnest(ARRAY['c1', 'c2', 'c2b', 'c3', 'c3b',
	    'c4', 'c4b', 'c7', 'c7b', 'c7c', 'c7d']) WITH ORDINALITY AS t(tag, n)
	UNION ALL
	SELECT tag, n, 2 FROM unnest(ARRAY['t1', 't2'])
	    WITH ORDINALITY AS t(tag, n)) t ON t.prov = p.pos AND t.n = x.n;

-- Scenario 5: in province C, the third of those provinces, a commune of
-- today and two communes of 2024 that merged whole into it (their only
-- successor), neither with its code nor with the code of any commune of
-- today; no work unit in any of them.
CREATE TEMP TABLE merged AS
WITH x AS (
	SELECT g.id, g.code FROM geo.units g
	 WHERE g.level = 'commune' AND g.valid_to IS NULL
	   AND g.parent_id = (SELECT id FROM prov WHERE pos = 3)
	   AND NOT EXISTS (SELECT FROM hr.work_units w
		WHERE w.commune_id = g.id OR w.commune_id IN
		    (SELECT l.old_id FROM geo.lineage l WHERE l.new_id = g.id)
		   OR w.commune_id IN (SELECT y.id FROM geo.units y
			WHERE y.level = 'commune' AND y.code = g.code))
	   AND EXISTS (SELECT FROM geo.units y WHERE y.level = 'commune'
		AND y.code = g.code AND y.valid_to IS NOT NULL)
	   AND (SELECT count(*) FROM geo.lineage l
		  JOIN geo.units o ON o.id = l.old_id AND o.level = 'commune'
		 WHERE l.new_id = g.id AND NOT l.partial AND o.code <> g.code
		   AND NOT EXISTS (SELECT FROM geo.lineage l2
			WHERE l2.old_id = o.id AND l2.new_id <> g.id)
		   AND NOT EXISTS (SELECT FROM geo.units y
			WHERE y.level = 'commune' AND y.code = o.code
			  AND y.valid_to IS NULL)) >= 2
	 ORDER BY g.code LIMIT 1
)
SELECT x.id AS new_id, x.code AS new_code, o.id AS old_id,
    o.code AS old_code, o.valid_to, row_number() OVER (ORDER BY o.code) AS k
  FROM x
  JOIN geo.lineage l ON l.new_id = x.id
  JOIN geo.units o ON o.id = l.old_id AND o.level = 'commune'
 WHERE NOT l.partial AND o.code <> x.code
   AND NOT EXISTS (SELECT FROM geo.lineage l2
	WHERE l2.old_id = o.id AND l2.new_id <> x.id)
   AND NOT EXISTS (SELECT FROM geo.units y WHERE y.level = 'commune'
	AND y.code = o.code AND y.valid_to IS NULL)
 ORDER BY o.code LIMIT 2;

-- Most communes of today kept the code of the commune that hosts their
-- seat, so on a day before 2025-07-01 their code names that older,
-- smaller commune. The first commune of today whose code no commune had
-- before (formed from communes of 2024) did not exist then at all.
CREATE TEMP TABLE fresh AS
SELECT g.code FROM geo.units g
 WHERE g.level = 'commune' AND g.valid_to IS NULL
   AND NOT EXISTS (SELECT FROM geo.units y WHERE y.level = 'commune'
	AND y.code = g.code AND y.valid_to IS NOT NULL)
   AND EXISTS (SELECT FROM geo.lineage l
	JOIN geo.units o ON o.id = l.old_id AND o.level = 'commune'
	WHERE l.new_id = g.id)
 ORDER BY g.code LIMIT 1;

-- Some members of an object.
CREATE FUNCTION pg_temp.pick(j jsonb, k text[]) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_object_agg(x, coalesce(j -> x, 'null')) FROM unnest(k) x
$$;

CREATE FUNCTION pg_temp.nums(p_tag text, p_day date, k text[]) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT pg_temp.pick(pg_temp.gap(p_tag, p_day) -> 'numbers', k)
$$;

-- One indicator of a scope (GET /indicators, as the admin): numerator,
-- denominator, value.
CREATE FUNCTION pg_temp.ind(p_scope text, p_day date, p_units text,
    p_code text) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT pg_temp.pick(i, '{numerator,denominator,value}')
	  FROM jsonb_array_elements(api.indicators(pg_temp.uid('admin'), p_scope,
		p_day, p_units, NULL, NULL)::jsonb -> 'items') i
	 WHERE i ->> 'code' = p_code
$$;

SELECT is((SELECT count(*) FROM c), 13::bigint,
    'thirteen unused communes picked in two provinces without work units');
SELECT is(ARRAY[plans.base_salary('2024-06-30'),
    plans.base_salary('2024-07-01'), plans.base_salary('2026-06-30')],
    ARRAY[1800000, 2340000, 2340000]::bigint[],
    'base salary: 1,800,000 until 2024-06-30, 2,340,000 from 2024-07-01');

-----------------------------------------------------------------------
-- 1. Covered only by a concurrent official (fte 0.3 since 2020-01-01).
-----------------------------------------------------------------------
\o /dev/null
SELECT pg_temp.unit('u1', 'c1', 'commune_committee');
SELECT pg_temp.person('a1', 'Nguyễn Thị Hoa', 'female', '1985-04-12');
SELECT pg_temp.spell('a1', 'u1', 'concurrent', '2020-01-01');
\o

-- qualifying 1 (an official), officials 1, collaborators 0; the only
-- qualifying person is concurrent; nobody trained. Tenure: 2020-01-01 to
-- 2026-06-30 = 2192 (2020-2025, two leap years) + 180 = 2372 days,
-- 2372 / 30.4375 = 77.9 months.
SELECT is(pg_temp.flags('c1', '2026-06-30'),
    '["NO_COLLABORATOR", "CONCURRENT_ONLY", "UNTRAINED"]',
    'concurrent only: CONCURRENT_ONLY, NO_COLLABORATOR, UNTRAINED');
SELECT ok(NOT pg_temp.flags('c1', '2026-06-30') ?| ARRAY['NO_STAFF',
    'NO_OFFICIAL', 'VACANT'], 'and neither NO_STAFF, NO_OFFICIAL nor VACANT');
SELECT is(pg_temp.nums('c1', '2026-06-30', '{staff,qualifying,officials,
    collaborators,fte,median_tenure_months,vacant_days}'),
    '{"staff": 1, "qualifying": 1, "officials": 1, "collaborators": 0,
      "fte": 0.3, "median_tenure_months": 77.9, "vacant_days": null}',
    'concurrent only: one qualifying official, 0.3 FTE, 77.9 months');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c1'), '2026-06-30', 'current',
    'communes_covered'), '{"numerator": 1, "denominator": 1, "value": 100}',
    'the commune is covered: 1 of 1 = 100 %');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c1'), '2026-06-30', 'current',
    'communes_covered_1plus1'), '{"numerator": 0, "denominator": 1, "value": 0}',
    'but not "1 official and 1 collaborator"');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c1'), '2026-06-30', 'current',
    'fte_concurrent'), '{"numerator": 0.3, "denominator": null, "value": 0.3}',
    'concurrent FTE 0.3');

-- A collaborator paid the base salary joins on 2026-01-01: two
-- qualifying people, one of them not concurrent.
\o /dev/null
SELECT pg_temp.person('a2', 'Lò Văn Thắng', 'male', '1990-10-02');
SELECT pg_temp.spell('a2', 'u1', 'collaborator', '2026-01-01', NULL, NULL,
    2340000);
\o
SELECT is(pg_temp.flags('c1', '2026-06-30'), '["UNTRAINED"]',
    'with a collaborator at the base salary: no CONCURRENT_ONLY, no NO_COLLABORATOR');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c1'), '2026-06-30', 'current',
    'communes_covered_1plus1'), '{"numerator": 1, "denominator": 1, "value": 100}',
    'and now 1 official + 1 collaborator');

-----------------------------------------------------------------------
-- 2. A collaborator's allowance against the base salary. Collaborator
-- since 2024-01-01 on 1,800,000.
-----------------------------------------------------------------------
\o /dev/null
SELECT pg_temp.unit('u2', 'c2');
SELECT pg_temp.person('b1', 'Trần Văn Bình', 'male', '1995-03-20');
SELECT pg_temp.spell('b1', 'u2', 'collaborator', '2024-01-01', NULL, NULL,
    1800000);
\o

-- On 2024-06-30 the base is 1,800,000: 1,800,000 >= 1,800,000 counts.
-- Tenure 2024-01-01 to 2024-06-30 = 181 days (leap year) = 5.9 months.
SELECT is(pg_temp.flags('c2', '2024-06-30'),
    '["NO_OFFICIAL", "UNTRAINED", "SHORT_TENURE"]',
    'before the raise, 1,800,000 = the base salary: covered, no ALLOWANCE_BELOW_BASE');
SELECT is(pg_temp.nums('c2', '2024-06-30', '{qualifying,collaborators,
    collaborators_qualifying,collaborators_below_base,base_salary_vnd}'),
    '{"qualifying": 1, "collaborators": 1, "collaborators_qualifying": 1,
      "collaborators_below_base": 0, "base_salary_vnd": 1800000}',
    'before the raise: one qualifying collaborator');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c2'), '2024-06-30', 'current',
    'communes_covered'), '{"numerator": 1, "denominator": 1, "value": 100}',
    'before the raise the commune is covered');
-- On 2024-07-01 the base is 2,340,000: 1,800,000 < 2,340,000.
SELECT ok(pg_temp.flags('c2', '2024-07-01') @> '["NO_STAFF",
    "ALLOWANCE_BELOW_BASE"]', 'after the raise the same allowance does not count');
SELECT is(pg_temp.nums('c2', '2024-07-01', '{qualifying,
    collaborators_qualifying,collaborators_below_base,base_salary_vnd}'),
    '{"qualifying": 0, "collaborators_qualifying": 0,
      "collaborators_below_base": 1, "base_salary_vnd": 2340000}',
    'after the raise: one collaborator below the base salary');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c2'), '2024-07-01', 'current',
    'communes_covered'), '{"numerator": 0, "denominator": 1, "value": 0}',
    'after the raise the commune is not covered');
-- The commune was covered until 2024-06-30, the eve of the raise: the
-- day after, it has been vacant one day, which is not VACANT (>= 90).
SELECT is(pg_temp.nums('c2', '2024-07-01', '{vacant_days,vacant_since,
    never_covered}'),
    '{"vacant_days": 1, "vacant_since": "2024-07-01", "never_covered": false}',
    'the day after the raise: vacant since 2024-07-01, 1 day, covered before');
SELECT ok(NOT pg_temp.flags('c2', '2024-07-01') ? 'VACANT',
    'so not VACANT the day after the raise');

-- On D, one đồng short of 2,340,000.
UPDATE hr.assignments SET allowance_vnd = 2339999
 WHERE person_id = (SELECT id FROM p WHERE tag = 'b1');
SELECT is(pg_temp.flags('c2', '2026-06-30'), '["NO_STAFF", "NO_OFFICIAL",
    "ALLOWANCE_BELOW_BASE", "UNTRAINED", "VACANT"]',
    '2,339,999 < 2,340,000: NO_STAFF and ALLOWANCE_BELOW_BASE');
SELECT is(pg_temp.nums('c2', '2026-06-30', '{staff,qualifying,collaborators,
    collaborators_below_base}'),
    '{"staff": 1, "qualifying": 0, "collaborators": 1,
      "collaborators_below_base": 1}',
    'below the base: on staff, not qualifying');
-- The allowance last reached the base salary on 2024-06-30, the eve of
-- the raise: vacant since 2024-07-01, 2026-06-30 - 2024-06-30 = 365 + 365
-- = 730 days (the leap day, 2024-02-29, is before).
SELECT is(pg_temp.nums('c2', '2026-06-30', '{vacant_days,vacant_since,
    never_covered}'),
    '{"vacant_days": 730, "vacant_since": "2024-07-01", "never_covered": false}',
    'below the base since the raise: vacant 730 days, not "never covered"');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c2'), '2026-06-30', 'current',
    'communes_covered'), '{"numerator": 0, "denominator": 1, "value": 0}',
    'below the base: not covered');
-- At exactly the base salary.
UPDATE hr.assignments SET allowance_vnd = 2340000
 WHERE person_id = (SELECT id FROM p WHERE tag = 'b1');
-- Tenure 2024-01-01 to 2026-06-30 = 366 + 365 + 180 = 911 days.
SELECT is(pg_temp.flags('c2', '2026-06-30'), '["NO_OFFICIAL", "UNTRAINED"]',
    '2,340,000 = the base salary: covered, no ALLOWANCE_BELOW_BASE');
SELECT is(pg_temp.nums('c2', '2026-06-30', '{qualifying,
    collaborators_qualifying,collaborators_below_base,base_salary_vnd}'),
    '{"qualifying": 1, "collaborators_qualifying": 1,
      "collaborators_below_base": 0, "base_salary_vnd": 2340000}',
    'at the base salary: one qualifying collaborator');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c2'), '2026-06-30', 'current',
    'communes_covered'), '{"numerator": 1, "denominator": 1, "value": 100}',
    'at the base salary: covered');

-- The same on a spell that has ended: a collaborator on 1,800,000 from
-- 2023-01-01 to 2025-12-31 counted until the raise, not to the end of
-- the spell (2,340,000 by then) nor never.
\o /dev/null
SELECT pg_temp.unit('u2b', 'c2b');
SELECT pg_temp.person('b2', 'Lê Thị Cúc', 'female', '1989-01-09');
SELECT pg_temp.spell('b2', 'u2b', 'collaborator', '2023-01-01', '2025-12-31',
    'contract_ended', 1800000);
\o
SELECT is(pg_temp.nums('c2b', '2026-06-30', '{qualifying,vacant_days,
    vacant_since,never_covered}'),
    '{"qualifying": 0, "vacant_days": 730, "vacant_since": "2024-07-01",
      "never_covered": false}',
    'an ended spell below the base at its end: vacant since the raise, 730 days');

-----------------------------------------------------------------------
-- 3. A trained person leaves.
-----------------------------------------------------------------------
\o /dev/null
SELECT pg_temp.unit('u3', 'c3');
SELECT pg_temp.person('p31', 'Phạm Văn Đức', 'male', '1980-05-05');
SELECT pg_temp.person('p32', 'Hoàng Thị Lan', 'female', '1992-08-08');
SELECT pg_temp.spell('p31', 'u3', 'commune_post', '2015-01-01');
SELECT pg_temp.spell('p32', 'u3', 'professional', '2019-01-01', '2026-03-31',
    'resigned');
SELECT pg_temp.certify('p32', '2020-01-01');
\o

-- D: p32 (trained since 2020-01-01) left on 2026-03-31, inside
-- (2025-06-30, 2026-06-30]; p31 stays. Staff now 1, a year ago 2:
-- turnover 1 / ((1 + 2) / 2) = 66.7 %.
SELECT ok(pg_temp.flags('c3', '2026-06-30') ? 'TRAINED_LOST',
    'a trained person left: TRAINED_LOST');
SELECT is(pg_temp.nums('c3', '2026-06-30', '{staff,trained,separations_12m,
    voluntary_separations_12m,headcount_12m_ago,turnover_rate,
    trained_lost_12m,trained_replaced}'),
    '{"staff": 1, "trained": 0, "separations_12m": 1,
      "voluntary_separations_12m": 1, "headcount_12m_ago": 2,
      "turnover_rate": 66.7, "trained_lost_12m": 1, "trained_replaced": 0}',
    'one trained person lost, none replaced; turnover 66.7');
-- A trained person (social-work bachelor, 2018) is hired on 2026-05-01.
\o /dev/null
SELECT pg_temp.person('p33', 'Vũ Minh Tuấn', 'male', '1996-01-15');
SELECT pg_temp.spell('p33', 'u3', 'professional', '2026-05-01');
\o
INSERT INTO training.qualifications (person_id, level, field, programme_code,
    institution_name, awarded_on, source)
SELECT id, 'dai_hoc', 'social_work', '7760101', 'Trường Đại học thử',
    '2018-06-30', 'officer' FROM p WHERE tag = 'p33';
SELECT ok(pg_temp.flags('c3', '2026-04-30') ? 'TRAINED_LOST',
    'on 2026-04-30, before the hire, still TRAINED_LOST');
SELECT is(pg_temp.nums('c3', '2026-04-30', '{trained_lost_12m,
    trained_replaced}'), '{"trained_lost_12m": 1, "trained_replaced": 0}',
    'on 2026-04-30: lost 1, replaced 0');
SELECT ok(NOT pg_temp.flags('c3', '2026-06-30') ?| ARRAY['TRAINED_LOST',
    'UNTRAINED'], 'after the hire: neither TRAINED_LOST nor UNTRAINED');
SELECT is(pg_temp.nums('c3', '2026-06-30', '{staff,trained,trained_lost_12m,
    trained_replaced}'),
    '{"staff": 2, "trained": 1, "trained_lost_12m": 1, "trained_replaced": 1}',
    'after the hire: lost 1, replaced 1');

-- A trained person who left 13 months before D (2025-05-31, not after
-- 2026-06-30 - 365 = 2025-06-30).
\o /dev/null
SELECT pg_temp.unit('u3b', 'c3b');
SELECT pg_temp.person('p34', 'Đặng Văn Long', 'male', '1978-12-01');
SELECT pg_temp.person('p35', 'Bùi Thị Thu', 'female', '1970-02-02');
SELECT pg_temp.spell('p34', 'u3b', 'commune_post', '2015-01-01');
SELECT pg_temp.spell('p35', 'u3b', 'professional', '2016-01-01', '2025-05-31',
    'retired');
SELECT pg_temp.certify('p35', '2017-03-15');
\o
SELECT ok(NOT pg_temp.flags('c3b', '2026-06-30') ? 'TRAINED_LOST',
    'a departure 13 months ago does not count');
SELECT is(pg_temp.nums('c3b', '2026-06-30', '{separations_12m,
    trained_lost_12m,headcount_12m_ago}'),
    '{"separations_12m": 0, "trained_lost_12m": 0, "headcount_12m_ago": 1}',
    '13 months ago: no separation in the last 12 months');
SELECT is(pg_temp.nums('c3b', '2025-06-30', '{separations_12m,
    trained_lost_12m,trained_replaced}'),
    '{"separations_12m": 1, "trained_lost_12m": 1, "trained_replaced": 0}',
    'but a month after it left (2025-06-30) it did');

-----------------------------------------------------------------------
-- 4. Turnover.
-----------------------------------------------------------------------
\o /dev/null
SELECT pg_temp.unit('u4', 'c4');
SELECT pg_temp.person('q1', 'Ngô Thị Hằng', 'female', '1988-03-03');
SELECT pg_temp.person('q2', 'Đỗ Văn Hải', 'male', '1999-09-09');
SELECT pg_temp.person('q3', 'Lý Thị Ngọc', 'female', '1983-06-06');
SELECT pg_temp.person('q4', 'Mai Văn Sơn', 'male', '1975-07-07');
SELECT pg_temp.spell('q1', 'u4', 'commune_post', '2018-01-01', '2025-10-31',
    'resigned');
SELECT pg_temp.spell('q2', 'u4', 'collaborator', '2019-01-01', '2026-02-28',
    'contract_ended', 2340000);
SELECT pg_temp.spell('q3', 'u4', 'professional', '2016-01-01');
SELECT pg_temp.spell('q4', 'u4', 'concurrent', '2017-01-01');
\o

-- Two separations in (2025-06-30, 2026-06-30], one a resignation. Staff
-- now 2 (q3, q4), on 2025-06-30 4: 2 / ((2 + 4) / 2) = 66.7 %.
SELECT ok(pg_temp.flags('c4', '2026-06-30') ? 'HIGH_TURNOVER',
    'two separations in a year: HIGH_TURNOVER');
SELECT is(pg_temp.nums('c4', '2026-06-30', '{staff,headcount_12m_ago,
    separations_12m,voluntary_separations_12m,turnover_rate}'),
    '{"staff": 2, "headcount_12m_ago": 4, "separations_12m": 2,
      "voluntary_separations_12m": 1, "turnover_rate": 66.7}',
    'two separations of an average of 3 people: 66.7 %');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c4'), '2026-06-30', 'current',
    'turnover_rate'), '{"numerator": 2, "denominator": 3, "value": 66.67}',
    'the turnover indicator: 2 / 3 = 66.67 %');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c4'), '2026-06-30', 'current',
    'turnover_voluntary_rate'), '{"numerator": 1, "denominator": 3,
    "value": 33.33}', 'voluntary turnover: 1 / 3 = 33.33 %');

-- A big commune: six people a year ago, one retired on 2026-01-15.
-- 1 / ((5 + 6) / 2) = 18.2 %.
\o /dev/null
SELECT pg_temp.unit('u4b', 'c4b');
SELECT pg_temp.person('r' || i, 'Người thứ ' || i, 'male',
    make_date(1980 + i, 1, 1)) FROM generate_series(1, 6) i;
SELECT pg_temp.spell('r1', 'u4b', 'professional', '2015-01-01');
SELECT pg_temp.spell('r2', 'u4b', 'commune_post', '2015-01-01');
SELECT pg_temp.spell('r3', 'u4b', 'concurrent', '2015-01-01');
SELECT pg_temp.spell('r4', 'u4b', 'collaborator', '2015-01-01', NULL, NULL,
    2340000);
SELECT pg_temp.spell('r5', 'u4b', 'professional', '2015-01-01');
SELECT pg_temp.spell('r6', 'u4b', 'commune_post', '2015-01-01', '2026-01-15',
    'retired');
\o
SELECT ok(NOT pg_temp.flags('c4b', '2026-06-30') ? 'HIGH_TURNOVER',
    'one separation in a big commune: no HIGH_TURNOVER');
SELECT is(pg_temp.nums('c4b', '2026-06-30', '{staff,headcount_12m_ago,
    separations_12m,turnover_rate}'),
    '{"staff": 5, "headcount_12m_ago": 6, "separations_12m": 1,
      "turnover_rate": 18.2}', 'one of an average of 5.5: 18.2 %');

-- Transfers inside province B: x moves from t1 to t2 the next day (not a
-- separation from the province), y 46 days later (past the 30 days: a
-- separation from the province too).
\o /dev/null
SELECT pg_temp.unit('ut1', 't1');
SELECT pg_temp.unit('ut2', 't2');
SELECT pg_temp.person('x', 'Hà Văn Quang', 'male', '1986-11-11');
SELECT pg_temp.person('y', 'Chu Thị Nga', 'female', '1991-12-12');
SELECT pg_temp.spell('x', 'ut1', 'commune_post', '2019-01-01', '2026-01-31',
    'transferred');
SELECT pg_temp.spell('x', 'ut2', 'commune_post', '2026-02-01');
SELECT pg_temp.spell('y', 'ut1', 'professional', '2018-01-01', '2025-09-30',
    'transferred');
SELECT pg_temp.spell('y', 'ut2', 'professional', '2025-11-15');
\o

-- t1: both left (2 separations), nobody now, 2 a year ago:
-- 2 / ((0 + 2) / 2) = 200 %.
SELECT is(pg_temp.nums('t1', '2026-06-30', '{staff,headcount_12m_ago,
    separations_12m,voluntary_separations_12m,turnover_rate}'),
    '{"staff": 0, "headcount_12m_ago": 2, "separations_12m": 2,
      "voluntary_separations_12m": 0, "turnover_rate": 200}',
    'a transfer out is a separation from the commune');
SELECT is(pg_temp.nums('t2', '2026-06-30', '{staff,headcount_12m_ago,
    separations_12m}'),
    '{"staff": 2, "headcount_12m_ago": 0, "separations_12m": 0}',
    'the receiving commune has no separation');
SELECT is((SELECT array_agg(s.ended ORDER BY s.ended)
	     FROM lib.commune_separations((SELECT array_agg(id) FROM u
		WHERE tag IN ('ut1', 'ut2')), ARRAY[(SELECT id FROM c WHERE tag = 't1'),
		(SELECT id FROM c WHERE tag = 't2')], '2026-06-30') s),
    ARRAY['2025-09-30', '2026-01-31']::date[],
    'lib.commune_separations: both spells ending in t1');
SELECT is((SELECT row(s.total, s.voluntary)::text FROM lib.scope_separations(
    (SELECT array_agg(id) FROM u WHERE tag IN ('ut1', 'ut2')), '2026-06-30') s),
    '(1,0)', 'lib.scope_separations on both communes: only y (46 days) left');
SELECT is((SELECT row(s.total, s.voluntary)::text FROM lib.scope_separations(
    (SELECT array_agg(id) FROM u WHERE tag = 'ut1'), '2026-06-30') s),
    '(2,0)', 'on t1 alone: both');
-- Province B: workforce now 2 (x, y), a year ago 2: 1 / ((2 + 2) / 2) = 50 %.
SELECT is(pg_temp.ind('province:' || (SELECT code FROM prov WHERE pos = 2),
    '2026-06-30', 'current', 'turnover_rate'),
    '{"numerator": 1, "denominator": 2, "value": 50}',
    'province turnover: the transfer the next day is not a separation, 1 / 2');
SELECT is(pg_temp.ind('province:' || (SELECT code FROM prov WHERE pos = 2),
    '2026-06-30', 'current', 'headcount_total'),
    '{"numerator": 2, "denominator": null, "value": 2}',
    'province headcount 2');
SELECT is((SELECT array_agg(i ->> 'commune_code')
	     FROM jsonb_array_elements(api.province_gaps(pg_temp.uid('admin'),
		(SELECT code FROM prov WHERE pos = 2), '2026-06-30', 'current',
		'HIGH_TURNOVER', NULL)::jsonb -> 'items') i),
    ARRAY[pg_temp.cc('t1')], 'the province''s HIGH_TURNOVER communes: t1');

-----------------------------------------------------------------------
-- 5. A 2024 staffing re-based onto the merged commune of 2025.
-----------------------------------------------------------------------
-- u5 opened in old commune 1 in 2020 and was remapped onto its
-- successor on 2025-07-01 (as api.work_units_remap does); u5b, in old
-- commune 2, closed on 2024-12-31 and was never remapped.
WITH w AS (
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id, opened_on)
	SELECT 'Đơn vị thử u5', 'commune_committee', 'administration', 'public',
	    m.old_id, lib.commune_province(g), '2020-01-01'
	  FROM merged m JOIN geo.units g ON g.id = m.old_id WHERE m.k = 1
	RETURNING id, commune_id, opened_on
), pl AS (
	INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	SELECT id, commune_id, daterange(opened_on, NULL), 'created' FROM w
)
INSERT INTO u SELECT 'u5', id FROM w;
\o /dev/null
SELECT lib.work_unit_move((SELECT id FROM u WHERE tag = 'u5'),
    (SELECT new_id FROM merged WHERE k = 1), m.valid_to + 1, 'remapped')
  FROM merged m WHERE m.k = 1;
\o
WITH w AS (
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id, opened_on, closed_on)
	SELECT 'Đơn vị thử u5b', 'school', 'education', 'public',
	    m.old_id, lib.commune_province(g), '2015-01-01', '2024-12-31'
	  FROM merged m JOIN geo.units g ON g.id = m.old_id WHERE m.k = 2
	RETURNING id, commune_id, opened_on, closed_on
), pl AS (
	INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	SELECT id, commune_id, daterange(opened_on, closed_on, '[]'), 'created'
	  FROM w
)
INSERT INTO u SELECT 'u5b', id FROM w;
\o /dev/null
SELECT pg_temp.person('s1', 'Sầm Văn Tài', 'male', '1990-04-04');
SELECT pg_temp.person('s2', 'Lương Thị Mơ', 'female', '1987-05-05');
SELECT pg_temp.spell('s1', 'u5', 'professional', '2022-01-01');
SELECT pg_temp.spell('s2', 'u5b', 'concurrent', '2019-01-01', '2024-12-31',
    'contract_ended');
\o

SELECT is((SELECT array_agg(c.code ORDER BY lower(pl.valid))
	     FROM hr.work_unit_places pl JOIN geo.units c ON c.id = pl.commune_id
	    WHERE pl.work_unit_id = (SELECT id FROM u WHERE tag = 'u5')),
    ARRAY[(SELECT old_code FROM merged WHERE k = 1),
	(SELECT new_code FROM merged WHERE k = 1)],
    'u5 sat in the old commune, then in its successor');
-- units=current, the new commune, 2024-06-30: u5 (today there) and u5b
-- (closed in an old commune whose only successor it is): s1 and s2,
-- 1 professional + 1 concurrent.
SELECT is(pg_temp.ind('commune:' || (SELECT new_code FROM merged WHERE k = 1),
    '2024-06-30', 'current', 'communes_covered'),
    '{"numerator": 1, "denominator": 1, "value": 100}',
    'current units: the 2024 staffing counts in today''s commune');
SELECT is(pg_temp.ind('commune:' || (SELECT new_code FROM merged WHERE k = 1),
    '2024-06-30', 'current', 'headcount_total'),
    '{"numerator": 2, "denominator": null, "value": 2}',
    'current units: both units'' people, 2');
SELECT is(pg_temp.ind('commune:' || (SELECT new_code FROM merged WHERE k = 1),
    '2024-06-30', 'current', 'fte_total'),
    '{"numerator": 1.3, "denominator": null, "value": 1.3}',
    'current units: FTE 1 + 0.3 = 1.3');
-- units=historical, each old commune on 2024-06-30: one person each.
SELECT is(pg_temp.ind('commune:' || (SELECT old_code FROM merged WHERE k = 1),
    '2024-06-30', 'historical', 'headcount_professional'),
    '{"numerator": 1, "denominator": null, "value": 1}',
    'historical units: s1 counts in the old commune u5 sat in');
SELECT is(pg_temp.ind('commune:' || (SELECT old_code FROM merged WHERE k = 1),
    '2024-06-30', 'historical', 'headcount_total'),
    '{"numerator": 1, "denominator": null, "value": 1}',
    'historical units: the old commune has 1 person');
SELECT is(pg_temp.ind('commune:' || (SELECT old_code FROM merged WHERE k = 2),
    '2024-06-30', 'historical', 'headcount_concurrent'),
    '{"numerator": 1, "denominator": null, "value": 1}',
    'historical units: s2 counts in the other old commune');
-- units=historical, today's code on 2024-06-30: that code then named
-- the older commune of the seat (valid to 2025-06-30), where no unit sat.
SELECT is(api.indicators(pg_temp.uid('admin'), 'commune:' ||
    (SELECT new_code FROM merged WHERE k = 1), '2024-06-30', 'historical',
    NULL, NULL)::jsonb #>> '{unit,valid_to}', '2025-06-30',
    'historical units: today''s code on 2024-06-30 is the older commune of the seat');
SELECT is(pg_temp.ind('commune:' || (SELECT new_code FROM merged WHERE k = 1),
    '2024-06-30', 'historical', 'headcount_total'),
    '{"numerator": 0, "denominator": null, "value": 0}',
    'which had nobody: the staffing of 2024 is in the communes of 2024');
SELECT is(pg_temp.err(format('SELECT api.indicators(%s, %L, %L, %L, NULL, NULL)',
    pg_temp.uid('admin'), 'commune:' || (SELECT code FROM fresh),
    '2024-06-30', 'historical')), 'RG404 not-found',
    'historical units: a commune of today whose code is new did not exist on 2024-06-30');
SELECT is(pg_temp.err(format('SELECT api.commune_flags(%s, %L, %L, %L)',
    pg_temp.uid('admin'), (SELECT code FROM fresh), '2024-06-30',
    'historical')), 'RG404 not-found', 'nor has it a gap item then');
SELECT is(pg_temp.err(format('SELECT api.indicators(%s, %L, %L, %L, NULL, NULL)',
    pg_temp.uid('admin'), 'commune:' || (SELECT old_code FROM merged WHERE k = 1),
    '2024-06-30', 'current')), 'RG404 not-found',
    'current units: the old commune is not one of today''s');
SELECT is(pg_temp.ind('commune:' || (SELECT new_code FROM merged WHERE k = 1),
    '2026-06-30', 'historical', 'headcount_total'),
    '{"numerator": 1, "denominator": null, "value": 1}',
    'historical units on 2026-06-30: u5 is in the new commune (s2 left)');
SELECT is(api.commune_flags(pg_temp.uid('admin'),
    (SELECT old_code FROM merged WHERE k = 1), '2024-06-30',
    'historical')::jsonb -> 'numbers' -> 'staff', '1',
    'the old commune''s gap item on 2024-06-30: staff 1');

-----------------------------------------------------------------------
-- 6. Progress against a national target of 60 % of communes covered,
-- read on hand-made province items (numerator / denominator).
-----------------------------------------------------------------------
INSERT INTO plans.plans (code, document, name, signed_on, period_from,
    period_to)
VALUES ('TEST-12-IND', 'Kế hoạch thử', 'Kế hoạch thử chỉ tiêu', '2021-01-01',
    '2021-01-01', '2030-12-31');
INSERT INTO plans.targets (plan_id, indicator, due_date, threshold, source)
SELECT id, 'communes_covered', '2030-12-31', 60, 'Thử nghiệm'
  FROM plans.plans WHERE code = 'TEST-12-IND';
CREATE TEMP TABLE tg AS
SELECT t.id FROM plans.targets t JOIN plans.plans pl ON pl.id = t.plan_id
 WHERE pl.code = 'TEST-12-IND';

CREATE FUNCTION pg_temp.progress(p_num numeric, p_den numeric) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT pg_temp.pick(lib.target_progress(lib.actor(pg_temp.uid('admin')),
	    (SELECT t FROM plans.targets t JOIN tg ON tg.id = t.id), '2026-06-30',
	    jsonb_build_array(lib.indicator_item('communes_covered', p_num,
		p_den))), '{value,met,missing}')
$$;

-- 3 / 5 = 60.00 %: met; ceil(60 * 5 / 100) - 3 = 0 missing.
SELECT is(pg_temp.progress(3, 5), '{"value": 60, "met": true, "missing": 0}',
    '3 of 5 communes = 60 %: met, none missing');
-- 2 / 5 = 40 %: 3 - 2 = 1 missing.
SELECT is(pg_temp.progress(2, 5), '{"value": 40, "met": false, "missing": 1}',
    '2 of 5: not met, 1 missing');
SELECT is(pg_temp.progress(600, 1000),
    '{"value": 60, "met": true, "missing": 0}', '600 of 1000 = 60 %: met');
-- 599 / 1000 = 59.9 %: 600 - 599 = 1.
SELECT is(pg_temp.progress(599, 1000),
    '{"value": 59.9, "met": false, "missing": 1}',
    '599 of 1000 = 59.9 %: not met, 1 missing');
-- 60 % of 3,321 communes is 1,992.6: it takes ceil = 1,993. With 1,992
-- (59.98 %) one is missing, not 0.6.
SELECT is(pg_temp.progress(1992, 3321),
    '{"value": 59.98, "met": false, "missing": 1}',
    '1,992 of 3,321 = 59.98 %: 1 missing (ceil of 1,992.6 is 1,993)');
SELECT is(pg_temp.progress(1993, 3321),
    '{"value": 60.01, "met": true, "missing": 0}',
    '1,993 of 3,321 = 60.01 %: met');
-- "met" and "missing" agree even where the value shown is rounded up to
-- the threshold: a national target of 30 % trained on 20,007 people
-- needs ceil(6,002.1) = 6,003; 6,002 is 29.9995 %, shown as 30.00 %, and
-- still one person short, so not met.
INSERT INTO plans.targets (plan_id, indicator, due_date, threshold, source)
SELECT id, 'trained_share', '2030-12-31', 30, 'Thử nghiệm'
  FROM plans.plans WHERE code = 'TEST-12-IND';
SELECT is(pg_temp.pick(lib.target_progress(lib.actor(pg_temp.uid('admin')),
    (SELECT t FROM plans.targets t JOIN plans.plans pl ON pl.id = t.plan_id
      WHERE pl.code = 'TEST-12-IND' AND t.indicator = 'trained_share'),
    '2026-06-30', jsonb_build_array(lib.indicator_item('trained_share', 6002,
	20007))), '{value,met,missing}'),
    '{"value": 30, "met": false, "missing": 1}',
    '6,002 of 20,007 = 29.9995 % (shown 30.00): one short, not met');

-----------------------------------------------------------------------
-- 7. Tenure and vacancy.
-----------------------------------------------------------------------
-- Three people: since 2026-01-01 (180 days on D), 2025-10-01 (92 + 180 =
-- 272 days) and 2018-01-01 (2922 + 180 = 3102 days); the median is 272
-- days = 272 / 30.4375 = 8.9 months < 12. A volunteer since 2026-06-01
-- does not count (it would bring the median down to 226 days).
\o /dev/null
SELECT pg_temp.unit('u7', 'c7');
SELECT pg_temp.person('v1', 'Kiều Văn Phúc', 'male', '1998-02-14');
SELECT pg_temp.person('v2', 'Tạ Thị Duyên', 'female', '2001-03-15');
SELECT pg_temp.person('v3', 'Quách Văn Lộc', 'male', '1972-09-30');
SELECT pg_temp.person('v4', 'Âu Thị Xuân', 'female', '2003-07-07');
SELECT pg_temp.spell('v1', 'u7', 'professional', '2026-01-01');
SELECT pg_temp.spell('v2', 'u7', 'collaborator', '2025-10-01', NULL, NULL,
    2340000);
SELECT pg_temp.spell('v3', 'u7', 'commune_post', '2018-01-01');
SELECT pg_temp.spell('v4', 'u7', 'volunteer', '2026-06-01');
\o
SELECT ok(pg_temp.flags('c7', '2026-06-30') ? 'SHORT_TENURE',
    'median tenure 8.9 months: SHORT_TENURE');
SELECT is(pg_temp.nums('c7', '2026-06-30', '{staff,volunteers,
    median_tenure_months}'),
    '{"staff": 3, "volunteers": 1, "median_tenure_months": 8.9}',
    'median of 180, 272 and 3102 days = 272 days = 8.9 months');
-- 2026-10-01: 273, 365 and 3195 days; the median, 365 days, is 12.0
-- months, not short.
SELECT ok(NOT pg_temp.flags('c7', '2026-10-01') ? 'SHORT_TENURE',
    'on 2026-10-01 the median is 365 days: no SHORT_TENURE');
SELECT is(pg_temp.nums('c7', '2026-10-01', '{median_tenure_months}'),
    '{"median_tenure_months": 12.0}', 'median 365 / 30.4375 = 12.0 months');

-- The only official retired on 2026-03-31: on D vacant since
-- 2026-04-01, 2026-06-30 - 2026-03-31 = 91 days >= 90.
\o /dev/null
SELECT pg_temp.unit('u7b', 'c7b');
SELECT pg_temp.person('w1', 'Thân Văn Khoa', 'male', '1966-06-16');
SELECT pg_temp.spell('w1', 'u7b', 'commune_post', '2019-01-01', '2026-03-31',
    'retired');
\o
SELECT is(pg_temp.flags('c7b', '2026-06-30'), '["NO_STAFF", "NO_OFFICIAL",
    "NO_COLLABORATOR", "UNTRAINED", "HIGH_TURNOVER", "VACANT"]',
    'vacant 91 days: NO_STAFF, VACANT (and one separation of 1: HIGH_TURNOVER)');
SELECT is(pg_temp.nums('c7b', '2026-06-30', '{qualifying,vacant_days,
    vacant_since,never_covered,separations_12m,turnover_rate}'),
    '{"qualifying": 0, "vacant_days": 91, "vacant_since": "2026-04-01",
      "never_covered": false, "separations_12m": 1, "turnover_rate": 200}',
    'vacant 91 days since 2026-04-01; 1 / ((0 + 1) / 2) = 200 %');
-- 2026-06-28: 89 days, not yet VACANT; 2026-06-29: 90 days, VACANT.
SELECT ok(pg_temp.flags('c7b', '2026-06-28') ? 'NO_STAFF' AND
    NOT pg_temp.flags('c7b', '2026-06-28') ? 'VACANT',
    '89 days vacant: NO_STAFF, not VACANT');
SELECT is(pg_temp.nums('c7b', '2026-06-28', '{vacant_days}'),
    '{"vacant_days": 89}', '2026-06-28 - 2026-03-31 = 89 days');
SELECT ok(pg_temp.flags('c7b', '2026-06-29') ? 'VACANT',
    '90 days vacant: VACANT');

-- A commune whose only unit has had only a volunteer, and one with no
-- unit at all: never covered.
\o /dev/null
SELECT pg_temp.unit('u7c', 'c7c');
SELECT pg_temp.person('v5', 'Giáp Thị Lụa', 'female', '1994-04-24');
SELECT pg_temp.spell('v5', 'u7c', 'volunteer', '2020-01-01');
\o
SELECT is(pg_temp.flags('c7c', '2026-06-30'), '["NO_STAFF", "NO_OFFICIAL",
    "NO_COLLABORATOR", "UNTRAINED", "VACANT"]',
    'volunteers only: NO_STAFF and VACANT');
SELECT is(pg_temp.nums('c7c', '2026-06-30', '{staff,volunteers,qualifying,
    vacant_days,vacant_since,never_covered}'),
    '{"staff": 0, "volunteers": 1, "qualifying": 0, "vacant_days": null,
      "vacant_since": null, "never_covered": true}',
    'volunteers only: never covered, no vacancy length');
SELECT is(pg_temp.nums('c7d', '2026-06-30', '{staff,qualifying,
    median_tenure_months,never_covered}'),
    '{"staff": 0, "qualifying": 0, "median_tenure_months": null,
      "never_covered": true}', 'no unit at all: never covered');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c7c'), '2026-06-30',
    'current', 'headcount_volunteer'),
    '{"numerator": 1, "denominator": null, "value": 1}',
    'the volunteer is counted apart');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c7c'), '2026-06-30',
    'current', 'headcount_total'),
    '{"numerator": 0, "denominator": null, "value": 0}',
    'and not in the workforce');

-----------------------------------------------------------------------
-- 8. The training summary.
-----------------------------------------------------------------------
\o /dev/null
SELECT pg_temp.person('t8', 'Triệu Thị Hiền', 'female', '1993-10-10');
\o
CREATE FUNCTION pg_temp.trained_on(p_tag text) RETURNS date
LANGUAGE sql AS $$
	SELECT t.trained_on FROM training.sw_trained t JOIN p ON p.id = t.person_id
	 WHERE p.tag = p_tag
$$;
CREATE FUNCTION pg_temp.has_summary(p_tag text) RETURNS boolean
LANGUAGE sql AS $$
	SELECT EXISTS (SELECT FROM training.sw_trained t JOIN p ON p.id = t.person_id
	 WHERE p.tag = p_tag)
$$;

SELECT ok(NOT pg_temp.has_summary('t8'), 'no training, no summary row');
-- A course that does not count, and a degree in another field: nothing.
INSERT INTO training.certificates (person_id, kind, name, issuer_name,
    issued_on, counts_as_sw_training)
SELECT id, 'course', 'Tin học văn phòng', 'Trung tâm thử', '2012-01-01', false
  FROM p WHERE tag = 't8';
INSERT INTO training.qualifications (person_id, level, field,
    institution_name, awarded_on, source)
SELECT id, 'dai_hoc', 'other', 'Trường Đại học thử', '2015-06-30', 'officer'
  FROM p WHERE tag = 't8';
SELECT ok(NOT pg_temp.has_summary('t8'),
    'neither a course that does not count nor a degree in another field trains');
CREATE TEMP TABLE t8 AS SELECT pg_temp.certify('t8', '2024-05-10') AS cert;
SELECT is(pg_temp.trained_on('t8'), '2024-05-10'::date,
    'a certificate that counts: trained on its date');
INSERT INTO training.qualifications (person_id, level, field,
    institution_name, awarded_on, source)
SELECT id, 'dai_hoc', 'sociology', 'Trường Đại học thử', '2019-06-30', 'officer'
  FROM p WHERE tag = 't8';
SELECT is(pg_temp.trained_on('t8'), '2019-06-30'::date,
    'an earlier degree in sociology moves it to 2019-06-30');
DELETE FROM training.qualifications
 WHERE person_id = (SELECT id FROM p WHERE tag = 't8') AND field = 'sociology';
SELECT is(pg_temp.trained_on('t8'), '2024-05-10'::date,
    'without the degree, back to the certificate''s date');
DELETE FROM training.certificates WHERE id = (SELECT cert FROM t8);
SELECT ok(NOT pg_temp.has_summary('t8'),
    'without either, the summary row is gone');

-- A certificate issued after the day asked for does not count on it.
-- a1 (scenario 1) is certified on 2026-07-15.
\o /dev/null
SELECT pg_temp.certify('a1', '2026-07-15');
\o
SELECT is(pg_temp.nums('c1', '2026-06-30', '{trained}'), '{"trained": 0}',
    'trained on 2026-07-15: not trained on 2026-06-30');
SELECT is(pg_temp.nums('c1', '2026-07-15', '{trained}'), '{"trained": 1}',
    'trained on 2026-07-15: trained that day');
SELECT is(pg_temp.ind('commune:' || pg_temp.cc('c1'), '2026-07-15', 'current',
    'trained_share'), '{"numerator": 1, "denominator": 2, "value": 50}',
    'trained share on 2026-07-15: 1 of 2 = 50 %');

SELECT * FROM finish();
ROLLBACK;
