-- Indicators, per-commune gap and turnover flags, and progress against
-- targets: computed from the spells, the training summary
-- (training.sw_trained) and the base salary on the day asked for. Today's
-- figures with units=current are also kept, exact at every commit, in
-- plans.today_* (85_today.sql), and read from there when they can be.
--
-- A scope is national, a province or a commune. Its units are today's
-- (units=current, the default: work units sit in today's commune, and a
-- unit closed before a merger is carried onto its successor through the
-- lineage) or those of the day (units=historical: each work unit where
-- hr.work_unit_places had it that day, in the communes of that day).
--
-- Words used below (domain.md §1–2):
--   workforce: every category but volunteers;
--   official: professional, commune post or concurrent-role staff;
--   qualifying person: an official, or a collaborator whose allowance is
--     at least the base salary on the day (Decision 112/QĐ-TTg);
--   trained: training.sw_trained.trained_on on or before the day;
--   separation from an area: a workforce spell ending in the window after
--     which the person holds no workforce spell in the same area within
--     30 days (a move inside the area is not a separation from it).
--
-- The set functions below are PL/pgSQL with RETURN QUERY, not SQL: a SQL
-- function's statements are planned without the argument values, and a
-- plan that does not know the unit array's length or the day's window
-- picks nested loops that take seconds. PL/pgSQL plans with the values
-- (the api entry points set plan_cache_mode = force_custom_plan).

-- Work-unit kinds that are social assistance facilities (Decision 112's
-- "facilities providing social-work services").
CREATE FUNCTION lib.facility_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['sw_centre', 'protection_public', 'protection_private',
    'rehab_centre', 'shelter'] $$;

CREATE FUNCTION lib.gap_flags() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['NO_STAFF', 'NO_OFFICIAL', 'NO_COLLABORATOR',
    'CONCURRENT_ONLY', 'ALLOWANCE_BELOW_BASE', 'UNTRAINED', 'HIGH_TURNOVER',
    'TRAINED_LOST', 'SHORT_TENURE', 'VACANT'] $$;

-- The province a commune belonged to: its parent, or for a commune of
-- before 2025-07-01 its district's parent.
CREATE FUNCTION lib.commune_province(c geo.units) RETURNS integer
LANGUAGE sql STABLE
AS $$
	SELECT CASE WHEN p.level = 'district' THEN p.parent_id ELSE p.id END
	  FROM geo.units p WHERE p.id = c.parent_id
$$;

-- The communes of a scope: today's, or those of p_day.
CREATE FUNCTION lib.scope_communes(p_level text, p_unit integer,
    p_historical boolean, p_day date) RETURNS integer[]
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}')
	  FROM geo.units c
	  LEFT JOIN geo.units d ON d.id = c.parent_id AND d.level = 'district'
	 WHERE c.level = 'commune'
	   AND CASE WHEN p_historical
		THEN (c.valid_from IS NULL OR c.valid_from <= p_day)
		    AND (c.valid_to IS NULL OR c.valid_to >= p_day)
		ELSE c.valid_to IS NULL END
	   AND CASE p_level
		WHEN 'national' THEN true
		WHEN 'province' THEN coalesce(d.parent_id, c.parent_id) = p_unit
		ELSE c.id = p_unit END
$$;

-- Today's commune of a commune: itself, or for one closed by a boundary
-- change, the successor its work units count in: a whole one first.
CREATE FUNCTION lib.commune_today_of(p_commune integer) RETURNS integer
LANGUAGE sql STABLE
AS $$
	SELECT CASE WHEN c.valid_to IS NULL THEN c.id ELSE (
		SELECT l.new_id FROM geo.lineage l
		  JOIN geo.units n ON n.id = l.new_id AND n.valid_to IS NULL
		 WHERE l.old_id = c.id
		 ORDER BY l.partial, l.new_id LIMIT 1) END
	  FROM geo.units c WHERE c.id = p_commune AND c.level = 'commune'
$$;

-- The work units of those communes and the commune each counts in:
-- two parallel arrays, so that one computation can pass the set on to
-- the next without a temporary table.
CREATE FUNCTION lib.scope_units(p_communes integer[], p_historical boolean,
    p_day date, OUT unit_ids integer[], OUT commune_ids integer[])
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(array_agg(u.unit_id ORDER BY u.unit_id), '{}'),
	    coalesce(array_agg(u.commune_id ORDER BY u.unit_id), '{}')
	  FROM (SELECT w.id AS unit_id, w.commune_id FROM hr.work_units w
		 WHERE NOT p_historical AND w.commune_id = ANY (p_communes)
		UNION ALL
		-- A unit left in a commune that no longer exists (closed
		-- before the remap): in its successor (lib.commune_today_of).
		SELECT w.id, l.new_id FROM geo.lineage l
		  JOIN hr.work_units w ON w.commune_id = l.old_id
		 WHERE NOT p_historical AND l.new_id = ANY (p_communes)
		   AND lib.commune_today_of(l.old_id) = l.new_id
		UNION ALL
		SELECT pl.work_unit_id, pl.commune_id FROM hr.work_unit_places pl
		 WHERE p_historical AND pl.valid @> p_day
		   AND pl.commune_id = ANY (p_communes)) u
$$;

-- Each person's standing in each commune on p_day, from their spells
-- there: one row per (commune, person) with any spell in force.
CREATE FUNCTION lib.commune_people(p_units integer[], p_communes integer[],
    p_day date)
RETURNS TABLE (commune_id integer, person_id bigint, workforce boolean,
    qualifies boolean, official boolean, concurrent_only boolean,
    collaborator boolean, collaborator_qualifies boolean,
    collaborator_below boolean, professional boolean, fte numeric,
    since date, trained boolean, trained_on date)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH base AS (SELECT coalesce(plans.base_salary(p_day), 0) AS vnd),
	spells AS (
		SELECT u.commune_id, a.person_id, a.category, a.fte,
		    a.start_date, a.category = 'collaborator' AND
			coalesce(a.allowance_vnd, 0) >= base.vnd AS paid_enough
		  FROM unnest(p_units, p_communes) AS u(unit_id, commune_id)
		  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
		 CROSS JOIN base
		 WHERE a.span @> p_day)
	SELECT s.commune_id, s.person_id,
	    bool_or(s.category <> 'volunteer'),
	    bool_or(s.category IN ('professional', 'commune_post',
		'concurrent') OR s.paid_enough),
	    bool_or(s.category IN ('professional', 'commune_post', 'concurrent')),
	    bool_or(s.category = 'concurrent') AND NOT bool_or(s.category IN
		('professional', 'commune_post') OR s.paid_enough),
	    bool_or(s.category = 'collaborator'),
	    bool_or(s.paid_enough),
	    bool_or(s.category = 'collaborator' AND NOT s.paid_enough),
	    bool_or(s.category = 'professional'),
	    coalesce(sum(s.fte) FILTER (WHERE s.category <> 'volunteer'), 0),
	    min(s.start_date) FILTER (WHERE s.category <> 'volunteer'),
	    t.trained_on IS NOT NULL AND t.trained_on <= p_day, t.trained_on
	  FROM spells s
	  LEFT JOIN training.sw_trained t ON t.person_id = s.person_id
	 GROUP BY s.commune_id, s.person_id, t.trained_on;
END
$$;

-- Separations from each commune in the twelve months up to p_day (see
-- the header), one row per person and end date, with whether it was a
-- resignation and whether the person was trained when they left. The
-- spells that may continue a person's presence are gathered first, so
-- the "stayed" test is one hashed anti-join rather than a probe per spell.
CREATE FUNCTION lib.commune_separations(p_units integer[],
    p_communes integer[], p_day date)
RETURNS TABLE (commune_id integer, person_id bigint, ended date,
    voluntary boolean, trained boolean)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH u AS (SELECT * FROM unnest(p_units, p_communes)
		AS u(unit_id, commune_id)),
	ended AS (
		SELECT u.commune_id, a.id, a.person_id, a.end_date, a.end_reason
		  FROM hr.assignments a JOIN u ON u.unit_id = a.work_unit_id
		 WHERE a.end_date > p_day - 365 AND a.end_date <= p_day
		   AND a.category <> 'volunteer'),
	stays AS (
		SELECT u.commune_id, b.id, b.person_id, b.span
		  FROM hr.assignments b JOIN u ON u.unit_id = b.work_unit_id
		 WHERE b.person_id IN (SELECT e.person_id FROM ended e)
		   AND b.category <> 'volunteer')
	SELECT e.commune_id, e.person_id, e.end_date,
	    bool_or(e.end_reason = 'resigned'),
	    bool_or(t.trained_on <= e.end_date)
	  FROM ended e
	  LEFT JOIN training.sw_trained t ON t.person_id = e.person_id
	 WHERE NOT EXISTS (SELECT FROM stays s
		 WHERE s.person_id = e.person_id AND s.commune_id = e.commune_id
		   AND s.id <> e.id
		   AND s.span && daterange(e.end_date + 1, e.end_date + 30, '[]'))
	 GROUP BY e.commune_id, e.person_id, e.end_date;
END
$$;

-- The facts behind every flag, for each commune of p_communes_all (a
-- commune with no unit or spell gets zeros).
CREATE FUNCTION lib.commune_facts(p_communes_all integer[],
    p_units integer[], p_unit_communes integer[], p_day date)
RETURNS TABLE (commune_id integer, staff integer, qualifying integer,
    officials integer, collaborators integer,
    collaborators_qualifying integer, collaborators_below_base integer,
    concurrent_only boolean, trained integer, volunteers integer,
    fte numeric, headcount_year_ago integer, separations integer,
    voluntary_separations integer, trained_lost integer,
    trained_replaced integer, median_tenure_days numeric,
    last_covered date)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH pp AS (SELECT * FROM lib.commune_people(p_units, p_unit_communes,
		p_day)),
	now_ AS (
		SELECT pp.commune_id,
		    count(*) FILTER (WHERE pp.workforce) AS staff,
		    count(*) FILTER (WHERE pp.qualifies) AS qualifying,
		    count(*) FILTER (WHERE pp.official) AS officials,
		    count(*) FILTER (WHERE pp.collaborator) AS collaborators,
		    count(*) FILTER (WHERE pp.collaborator_qualifies) AS coll_ok,
		    count(*) FILTER (WHERE pp.collaborator_below) AS coll_below,
		    bool_and(pp.concurrent_only) FILTER (WHERE pp.qualifies)
			AS concurrent_only,
		    count(*) FILTER (WHERE pp.workforce AND pp.trained) AS trained,
		    count(*) FILTER (WHERE NOT pp.workforce) AS volunteers,
		    sum(pp.fte) AS fte,
		    percentile_cont(0.5) WITHIN GROUP (ORDER BY p_day - pp.since)
			FILTER (WHERE pp.workforce) AS tenure
		  FROM pp GROUP BY pp.commune_id),
	before AS (
		SELECT y.commune_id, count(*) FILTER (WHERE y.workforce) AS staff
		  FROM lib.commune_people(p_units, p_unit_communes,
			p_day - 365) y
		 GROUP BY y.commune_id),
	seps AS (SELECT * FROM lib.commune_separations(p_units,
		p_unit_communes, p_day)),
	lost AS (
		SELECT s.commune_id, count(*) AS n, min(s.ended) AS first
		  FROM seps s WHERE s.trained GROUP BY s.commune_id),
	-- Trained people in post now who came, or were trained, after the
	-- first trained person left.
	replaced AS (
		SELECT l.commune_id, count(*) AS n
		  FROM lost l JOIN pp ON pp.commune_id = l.commune_id
		 WHERE pp.workforce AND pp.trained
		   AND (pp.since > l.first OR pp.trained_on > l.first)
		 GROUP BY l.commune_id),
	sep_n AS (
		SELECT s.commune_id, count(*) AS n,
		    count(*) FILTER (WHERE s.voluntary) AS voluntary
		  FROM seps s GROUP BY s.commune_id),
	-- For communes with nobody qualifying: the last day someone was. A
	-- collaborator stops counting at the end of the spell or the day
	-- before the base salary first rises above the allowance.
	uncovered AS (
		SELECT c.id FROM unnest(p_communes_all) AS c(id)
		 WHERE NOT EXISTS (SELECT FROM now_ WHERE now_.commune_id = c.id
			AND now_.qualifying > 0)),
	covered_until AS (
		SELECT u.commune_id, max(least(coalesce(a.end_date, p_day), p_day,
			CASE WHEN a.category = 'collaborator' THEN
			    (SELECT min(b.effective_from) - 1
			       FROM plans.base_salaries b
			      WHERE b.amount_vnd > coalesce(a.allowance_vnd, 0)
				AND b.effective_from > a.start_date) END)) AS day
		  FROM unnest(p_units, p_unit_communes) AS u(unit_id, commune_id)
		  JOIN uncovered x ON x.id = u.commune_id
		  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
		 WHERE a.start_date <= p_day
		   AND (a.category IN ('professional', 'commune_post',
			'concurrent') OR (a.category = 'collaborator' AND
			coalesce(a.allowance_vnd, 0) >=
			coalesce(plans.base_salary(a.start_date), 0)))
		 GROUP BY u.commune_id)
	SELECT c.id, coalesce(n.staff, 0)::integer,
	    coalesce(n.qualifying, 0)::integer, coalesce(n.officials, 0)::integer,
	    coalesce(n.collaborators, 0)::integer,
	    coalesce(n.coll_ok, 0)::integer, coalesce(n.coll_below, 0)::integer,
	    coalesce(n.concurrent_only, false),
	    coalesce(n.trained, 0)::integer, coalesce(n.volunteers, 0)::integer,
	    coalesce(n.fte, 0), coalesce(b.staff, 0)::integer,
	    coalesce(s.n, 0)::integer, coalesce(s.voluntary, 0)::integer,
	    coalesce(l.n, 0)::integer, coalesce(r.n, 0)::integer,
	    n.tenure::numeric, cu.day
	  FROM unnest(p_communes_all) AS c(id)
	  LEFT JOIN now_ n ON n.commune_id = c.id
	  LEFT JOIN before b ON b.commune_id = c.id
	  LEFT JOIN sep_n s ON s.commune_id = c.id
	  LEFT JOIN lost l ON l.commune_id = c.id
	  LEFT JOIN replaced r ON r.commune_id = c.id
	  LEFT JOIN covered_until cu ON cu.commune_id = c.id;
END
$$;

-- A turnover rate in percent: separations over the average of the
-- headcounts at the two ends of the window; NULL with nobody to leave.
CREATE FUNCTION lib.turnover(p_separations integer, p_now integer,
    p_year_ago integer) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_now + p_year_ago > 0 THEN
	    round(200.0 * p_separations / (p_now + p_year_ago), 1) END
$$;

-- One commune's flags and the numbers behind them.
CREATE FUNCTION lib.commune_gap(f record, p_day date) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	rate	numeric := lib.turnover(f.separations, f.staff,
		    f.headcount_year_ago);
	vacant	integer := p_day - f.last_covered;
	flags	text[] := '{}';
BEGIN
	IF f.qualifying = 0 THEN
		flags := flags || 'NO_STAFF'::text;
	END IF;
	IF f.officials = 0 THEN
		flags := flags || 'NO_OFFICIAL'::text;
	END IF;
	IF f.collaborators = 0 THEN
		flags := flags || 'NO_COLLABORATOR'::text;
	END IF;
	IF f.qualifying > 0 AND f.concurrent_only THEN
		flags := flags || 'CONCURRENT_ONLY'::text;
	END IF;
	IF f.collaborators_below_base > 0 THEN
		flags := flags || 'ALLOWANCE_BELOW_BASE'::text;
	END IF;
	IF f.trained = 0 THEN
		flags := flags || 'UNTRAINED'::text;
	END IF;
	IF f.separations >= 2 OR rate >= 50 THEN
		flags := flags || 'HIGH_TURNOVER'::text;
	END IF;
	IF f.trained_lost > f.trained_replaced THEN
		flags := flags || 'TRAINED_LOST'::text;
	END IF;
	IF f.median_tenure_days < 365 THEN
		flags := flags || 'SHORT_TENURE'::text;
	END IF;
	IF f.qualifying = 0 AND (f.last_covered IS NULL OR vacant >= 90) THEN
		flags := flags || 'VACANT'::text;
	END IF;
	RETURN jsonb_build_object('flags', to_jsonb(flags),
	    'numbers', jsonb_build_object(
		'staff', f.staff, 'qualifying', f.qualifying,
		'officials', f.officials, 'collaborators', f.collaborators,
		'collaborators_qualifying', f.collaborators_qualifying,
		'collaborators_below_base', f.collaborators_below_base,
		'base_salary_vnd', plans.base_salary(p_day),
		'trained', f.trained, 'volunteers', f.volunteers,
		'fte', f.fte::float8,
		'separations_12m', f.separations,
		'voluntary_separations_12m', f.voluntary_separations,
		'headcount_12m_ago', f.headcount_year_ago,
		'turnover_rate', rate::float8,
		'trained_lost_12m', f.trained_lost,
		'trained_replaced', f.trained_replaced,
		'median_tenure_months',
		    round(f.median_tenure_days / 30.4375, 1)::float8,
		'vacant_days', CASE WHEN f.qualifying = 0 THEN vacant END,
		'vacant_since', CASE WHEN f.qualifying = 0 THEN
		    f.last_covered + 1 END,
		'never_covered', f.qualifying = 0 AND f.last_covered IS NULL));
END
$$;

-- A scope as the caller named it, resolved and checked. p_scope is
-- "national", "province:NN" or "commune:NNNNN"; the unit is today's
-- (units=current) or the one of p_day (units=historical). Outside the
-- caller's provinces it is 404, as if it did not exist.
CREATE FUNCTION lib.scope_resolve(me auth.users, p_scope text,
    p_historical boolean, p_day date, OUT level text, OUT unit geo.units,
    OUT province_id integer)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	m	text[] := regexp_match(coalesce(p_scope, 'national'),
		    '^(national|province:([0-9]{2})|commune:([0-9]{5}))$');
BEGIN
	IF m IS NULL THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'scope phải là national, province:NN hoặc commune:NNNNN.',
		    'scope must be national, province:NN or commune:NNNNN.',
		    'scope');
	END IF;
	IF m[2] IS NULL AND m[3] IS NULL THEN
		level := 'national';
		IF NOT (me.role = 'admin' OR (me.role = 'steering' AND
		    me.province_id IS NULL)) THEN
			PERFORM lib.fail(403, 'forbidden',
			    'Chỉ quản trị viên và Ban chỉ đạo quốc gia xem được số liệu toàn quốc.',
			    'Only national administrators and the national steering committee see national figures.',
			    'scope');
		END IF;
		RETURN;
	END IF;
	level := CASE WHEN m[2] IS NOT NULL THEN 'province' ELSE 'commune' END;
	SELECT * INTO unit FROM geo.units g
	 WHERE g.level = scope_resolve.level AND g.code = coalesce(m[2], m[3])
	   AND CASE WHEN p_historical
		THEN (g.valid_from IS NULL OR g.valid_from <= p_day)
		    AND (g.valid_to IS NULL OR g.valid_to >= p_day)
		ELSE g.valid_to IS NULL END;
	province_id := CASE level WHEN 'province' THEN unit.id
	    ELSE lib.commune_province(unit) END;
	IF unit.id IS NULL OR NOT lib.sees_area(me, province_id) THEN
		PERFORM lib.not_found(CASE level WHEN 'province'
		    THEN 'tỉnh/thành phố' ELSE 'xã/phường' END, level);
	END IF;
END
$$;

-- Whether a user sees a province, today's or one it was formed from.
CREATE FUNCTION lib.sees_area(me auth.users, p_province integer)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT lib.sees_province(me, p_province) OR EXISTS (
		SELECT FROM geo.lineage l WHERE l.old_id = p_province
		   AND lib.sees_province(me, l.new_id))
$$;

-- The validated query parameters shared by every indicator and gap read.
CREATE FUNCTION lib.units_historical(p_units text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	PERFORM lib.param_in(p_units, ARRAY['current', 'historical'], 'units');
	RETURN coalesce(p_units = 'historical', false);
END
$$;

CREATE FUNCTION lib.as_of_ok(p_day date) RETURNS date
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_day > current_date THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'as_of không được sau hôm nay.',
		    'as_of cannot be after today.', 'as_of');
	ELSIF p_day < '2000-01-01' THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'as_of phải từ 2000-01-01.', 'as_of must be 2000-01-01 or later.',
		    'as_of');
	END IF;
	RETURN coalesce(p_day, current_date);
END
$$;

-- An indicator value in the documented shape.
CREATE FUNCTION lib.indicator_item(p_code text, p_numerator numeric,
    p_denominator numeric, p_extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('code', i.code, 'name', i.name_vi,
	    'name_en', i.name_en, 'unit', i.unit,
	    'numerator', p_numerator::float8,
	    'denominator', p_denominator::float8,
	    'value', (CASE
		WHEN i.kind IN ('share', 'rate') THEN
		    CASE WHEN p_denominator > 0 THEN
			round(100 * p_numerator / p_denominator, 2) END
		WHEN i.kind = 'growth' THEN
		    CASE WHEN p_denominator > 0 THEN
			round(100 * (p_numerator - p_denominator) /
			    p_denominator, 2) END
		ELSE p_numerator END)::float8) || p_extra
	  FROM plans.indicators i WHERE i.code = p_code
$$;

-- People of the scope on a day, once each: the workforce (and each
-- category), trained or not, FTE, title holders.
CREATE FUNCTION lib.scope_people(p_units integer[], p_day date)
RETURNS TABLE (person_id bigint, categories text[], fte numeric,
    titles text[], trained boolean)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT a.person_id, array_agg(DISTINCT a.category),
	    coalesce(sum(a.fte) FILTER (WHERE a.category <> 'volunteer'), 0),
	    array_agg(DISTINCT a.title_code) FILTER (WHERE a.title_code IS NOT NULL),
	    coalesce(bool_or(t.trained_on <= p_day), false)
	  FROM unnest(p_units) AS u(unit_id)
	  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
	  LEFT JOIN training.sw_trained t ON t.person_id = a.person_id
	 WHERE a.span @> p_day
	 GROUP BY a.person_id;
END
$$;

-- Separations from the whole scope in the twelve months up to p_day: as
-- lib.commune_separations, with the whole scope as the one area.
CREATE FUNCTION lib.scope_separations(p_units integer[], p_day date,
    OUT total integer, OUT voluntary integer)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	SELECT count(*), count(*) FILTER (WHERE s.voluntary)
	  INTO total, voluntary
	  FROM (SELECT DISTINCT c.person_id, c.ended, c.voluntary
		  FROM lib.commune_separations(p_units,
			array_fill(0, ARRAY[cardinality(p_units)]), p_day) c) s;
END
$$;

-- The numbers every indicator of a scope is made of, on p_day, computed
-- from the spells: the communes covered, the people of the scope (each
-- once), the workforce on p_baseline and 365 days before, separations,
-- facilities, people trained since p_since, FTE by category. The same
-- object comes from today's summary (lib.today_numbers); one function
-- turns either into the indicator items.
CREATE FUNCTION lib.scope_numbers(p_communes integer[], p_units integer[],
    p_unit_communes integer[], p_day date, p_baseline date, p_since date)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	n	jsonb;
BEGIN
	SELECT jsonb_build_object('communes', count(*),
	    'covered', count(*) FILTER (WHERE f.qualifying > 0),
	    'covered_1plus1', count(*) FILTER (WHERE f.officials > 0 AND
		f.collaborators > 0))
	  INTO n
	  FROM (SELECT c.id,
		    count(*) FILTER (WHERE cp.qualifies) AS qualifying,
		    count(*) FILTER (WHERE cp.official) AS officials,
		    count(*) FILTER (WHERE cp.collaborator) AS collaborators
		  FROM unnest(p_communes) AS c(id)
		  LEFT JOIN lib.commune_people(p_units, p_unit_communes, p_day) cp
		    ON cp.commune_id = c.id
		 GROUP BY c.id) f;

	n := n || (SELECT jsonb_build_object(
	    'workforce', count(*) FILTER (WHERE categories <> '{volunteer}'),
	    'trained', count(*) FILTER (WHERE categories <> '{volunteer}' AND
		s.trained),
	    'professional', count(*) FILTER (WHERE 'professional' = ANY (categories)),
	    'commune_post', count(*) FILTER (WHERE 'commune_post' = ANY (categories)),
	    'concurrent', count(*) FILTER (WHERE 'concurrent' = ANY (categories)),
	    'collaborator', count(*) FILTER (WHERE 'collaborator' = ANY (categories)),
	    'volunteer', count(*) FILTER (WHERE 'volunteer' = ANY (categories)),
	    'title_v090401', count(*) FILTER (WHERE 'V.09.04.01' = ANY (titles)),
	    'title_v090402', count(*) FILTER (WHERE 'V.09.04.02' = ANY (titles)),
	    'title_v090403', count(*) FILTER (WHERE 'V.09.04.03' = ANY (titles)))
	  FROM lib.scope_people(p_units, p_day) s);

	n := n || jsonb_build_object('baseline_workforce',
	    lib.scope_workforce(p_units, p_baseline),
	    'workforce_365_ago', lib.scope_workforce(p_units, p_day - 365));

	n := n || (SELECT jsonb_build_object('separations', s.total,
		'voluntary_separations', s.voluntary)
	  FROM lib.scope_separations(p_units, p_day) s);

	n := n || (SELECT jsonb_build_object('facilities', count(*),
		'facilities_served', count(*) FILTER (WHERE EXISTS (
		    SELECT FROM hr.assignments a
		     WHERE a.work_unit_id = w.id AND a.category = 'professional'
		       AND a.span @> p_day)))
	  FROM unnest(p_units) AS u(unit_id)
	  JOIN hr.work_units w ON w.id = u.unit_id
	 WHERE w.kind = ANY (lib.facility_kinds())
	   AND (w.opened_on IS NULL OR w.opened_on <= p_day)
	   AND (w.closed_on IS NULL OR w.closed_on > p_day));

	n := n || (SELECT jsonb_build_object('trained_since',
		count(DISTINCT t.person_id))
	  FROM training.sw_trained t
	  JOIN hr.assignments a ON a.person_id = t.person_id
	  JOIN unnest(p_units) AS u(unit_id) ON u.unit_id = a.work_unit_id
	 WHERE t.trained_on <= p_day
	   AND (p_since IS NULL OR t.trained_on >= p_since)
	   AND a.category <> 'volunteer'
	   AND a.span && daterange(p_since, p_day, '[]'));

	RETURN n || coalesce((SELECT jsonb_object_agg('fte_' || f.cat, f.fte)
	  FROM (SELECT coalesce(a.category, 'total') AS cat, sum(a.fte) AS fte
		  FROM unnest(p_units) AS u(unit_id)
		  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
		 WHERE a.span @> p_day AND a.category <> 'volunteer'
		 GROUP BY ROLLUP (a.category)) f), '{}');
END
$$;

-- How many people of the scope's units were in the workforce on a day.
CREATE FUNCTION lib.scope_workforce(p_units integer[], p_day date)
RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN (SELECT count(DISTINCT a.person_id)
	  FROM unnest(p_units) AS u(unit_id)
	  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
	 WHERE a.span @> p_day AND a.category <> 'volunteer');
END
$$;

-- The indicator items of a scope from its numbers (lib.scope_numbers or
-- lib.today_numbers), in the order of the indicator sheet.
CREATE FUNCTION lib.indicator_items(n jsonb, p_baseline date, p_since date)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	items	jsonb := '[]';
	cat	text;
	turnover_base numeric := ((n->>'workforce')::numeric +
		    (n->>'workforce_365_ago')::numeric) / 2.0;
BEGIN
	items := items || lib.indicator_item('communes_covered',
	    (n->>'covered')::numeric, (n->>'communes')::numeric);
	items := items || lib.indicator_item('communes_covered_1plus1',
	    (n->>'covered_1plus1')::numeric, (n->>'communes')::numeric);
	items := items || lib.indicator_item('trained_share',
	    (n->>'trained')::numeric, (n->>'workforce')::numeric);
	items := items || lib.indicator_item('headcount_total',
	    (n->>'workforce')::numeric, NULL);
	FOREACH cat IN ARRAY lib.categories() LOOP
		items := items || lib.indicator_item('headcount_' || cat,
		    (n->>cat)::numeric, NULL);
	END LOOP;
	FOREACH cat IN ARRAY ARRAY['total', 'professional', 'commune_post',
	    'concurrent', 'collaborator'] LOOP
		items := items || lib.indicator_item('fte_' || cat,
		    coalesce((n->>('fte_' || cat))::numeric, 0), NULL);
	END LOOP;
	items := items || lib.indicator_item('headcount_growth',
	    (n->>'workforce')::numeric, (n->>'baseline_workforce')::numeric,
	    jsonb_build_object('baseline_date', p_baseline));
	items := items || lib.indicator_item('people_trained_since',
	    (n->>'trained_since')::numeric, NULL,
	    jsonb_build_object('baseline_date', p_since));
	items := items || lib.indicator_item('turnover_rate',
	    (n->>'separations')::numeric, turnover_base);
	items := items || lib.indicator_item('turnover_voluntary_rate',
	    (n->>'voluntary_separations')::numeric, turnover_base);
	items := items || lib.indicator_item('facilities_with_professional',
	    (n->>'facilities_served')::numeric, (n->>'facilities')::numeric);
	FOREACH cat IN ARRAY ARRAY['v090401', 'v090402', 'v090403'] LOOP
		items := items || lib.indicator_item('title_holders_' || cat,
		    (n->>('title_' || cat))::numeric, NULL);
	END LOOP;
	RETURN items;
END
$$;

-- The day "people trained" counts from when the caller names none: the
-- start of the earliest national plan on record (Project 32), or p_day
-- itself for a day before it.
CREATE FUNCTION lib.trained_since_default(p_day date) RETURNS date
LANGUAGE sql STABLE
AS $$
	SELECT least(min(period_from), p_day) FROM plans.plans
	 WHERE province_id IS NULL
$$;

-- Indicators of a scope, resolved and computed: {scope, as_of, units,
-- items}.
CREATE FUNCTION lib.indicators_of(me auth.users, p_scope text, p_day date,
    p_historical boolean, p_baseline date, p_since date) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	s	record := lib.scope_resolve(me, p_scope, p_historical, p_day);
	communes integer[];
	units	integer[];
	unit_communes integer[];
	baseline date := coalesce(p_baseline, (p_day - interval '1 year')::date);
	since	date := coalesce(p_since, lib.trained_since_default(p_day));
	summary	boolean := s.level <> 'commune' AND
		    lib.today_usable(p_day, p_historical);
	numbers	jsonb;
BEGIN
	IF baseline >= p_day THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'baseline phải trước as_of.', 'baseline must be before as_of.',
		    'baseline');
	END IF;
	IF since > p_day THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'since không được sau as_of.', 'since cannot be after as_of.',
		    'since');
	END IF;
	-- The summary needs the units only for a baseline of its own.
	IF NOT summary OR baseline <> (p_day - interval '1 year')::date THEN
		communes := lib.scope_communes(s.level, (s.unit).id,
		    p_historical, p_day);
		SELECT x.unit_ids, x.commune_ids INTO units, unit_communes
		  FROM lib.scope_units(communes, p_historical, p_day) x;
	END IF;
	numbers := CASE WHEN summary
	    THEN lib.today_numbers(coalesce((s.unit).id, 0), p_day, baseline,
		since, units)
	    ELSE lib.scope_numbers(communes, units, unit_communes, p_day,
		baseline, since) END;
	RETURN jsonb_build_object('scope', coalesce(p_scope, 'national'),
	    'as_of', p_day,
	    'units', CASE WHEN p_historical THEN 'historical' ELSE 'current' END,
	    'unit', CASE WHEN s.level <> 'national' THEN lib.unit_json(s.unit) END,
	    'baseline', baseline, 'since', since,
	    'items', lib.indicator_items(numbers, baseline, since));
END
$$;

-- GET /api/v1/indicators/definitions
CREATE FUNCTION api.indicator_definitions(p_actor bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN (SELECT json_build_object('items', json_agg(json_build_object(
		'code', i.code, 'name', i.name_vi, 'name_en', i.name_en,
		'numerator', i.numerator_vi, 'numerator_en', i.numerator_en,
		'denominator', i.denominator_vi,
		'denominator_en', i.denominator_en,
		'unit', i.unit, 'kind', i.kind, 'counts', i.counts,
		'needs_baseline', i.needs_baseline,
		'definition', i.definition_vi,
		'definition_en', i.definition_en) ORDER BY i.position))
	  FROM plans.indicators i);
END
$$;

-- GET /api/v1/indicators?scope=&as_of=&units=&baseline=&since=
CREATE FUNCTION api.indicators(p_actor bigint, p_scope text, p_as_of date,
    p_units text, p_baseline date, p_since date) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.indicators_of(me, p_scope, lib.as_of_ok(p_as_of),
	    lib.units_historical(p_units), p_baseline, p_since)::json;
END
$$;

-- Progress of one target: its indicator on its own scope (a provincial
-- target's province as the plan named it, on the units of that time up
-- to the day it ceased to exist), or, for a national share or rate
-- target read for a province, on that province (p_items: the province's
-- indicators already computed). "missing" is how many more communes,
-- facilities or people it takes to meet it; NULL for a rate.
CREATE FUNCTION lib.target_progress(me auth.users, t plans.targets,
    p_day date, p_items jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	ind	plans.indicators;
	prov	geo.units;
	item	jsonb;
	day	date := p_day;
	res	jsonb;
	num	numeric;
	den	numeric;
	missing	numeric;
BEGIN
	SELECT * INTO ind FROM plans.indicators WHERE code = t.indicator;
	IF t.province_id IS NOT NULL OR ind.needs_baseline THEN
		SELECT * INTO prov FROM geo.units WHERE id = t.province_id;
		IF prov.valid_to IS NOT NULL AND prov.valid_to < day THEN
			day := prov.valid_to;
		END IF;
		res := lib.indicators_of(me, CASE WHEN prov.id IS NULL
			THEN 'national' ELSE 'province:' || prov.code END,
		    day, prov.valid_to IS NOT NULL, t.baseline_date,
		    t.baseline_date);
		p_items := res->'items';
	END IF;
	SELECT i INTO item FROM jsonb_array_elements(p_items) i
	 WHERE i->>'code' = t.indicator;
	num := (item->>'numerator')::numeric;
	den := (item->>'denominator')::numeric;
	-- A share of nothing (a province without facilities) is neither met
	-- nor missed.
	missing := CASE ind.kind
	    WHEN 'share' THEN CASE WHEN den > 0 THEN
		greatest(0, ceil(t.threshold * den / 100) - num) END
	    WHEN 'count' THEN greatest(0, t.threshold - num)
	    WHEN 'growth' THEN CASE WHEN den > 0 THEN greatest(0,
		ceil(den * (100 + t.threshold) / 100) - num) END END;
	RETURN jsonb_build_object('target_id', t.id, 'indicator', t.indicator,
	    'value', item->'value', 'threshold', t.threshold::float8,
	    'due_date', t.due_date, 'missing', missing::float8,
	    'counts', ind.counts, 'unit', ind.unit,
	    'numerator', item->'numerator', 'denominator', item->'denominator',
	    -- From the exact numbers, not the rounded value: 29.9995% is
	    -- not 30%.
	    'met', CASE WHEN ind.kind = 'rate' THEN
		(item->>'value')::numeric <= t.threshold ELSE missing = 0 END,
	    'evaluated_on', day,
	    'scope', CASE WHEN t.province_id IS NULL THEN 'national'
		ELSE 'province:' || prov.code END,
	    'baseline_date', t.baseline_date, 'phase', t.phase,
	    'plan_code', (SELECT code FROM plans.plans WHERE id = t.plan_id),
	    'source', t.source, 'unconfirmed', t.unconfirmed);
END
$$;

-- The targets that apply to a province on a day, still to be met (due on
-- or after it): national share and rate targets (read on the province),
-- and the targets of the province or of a province it was formed from.
CREATE FUNCTION lib.province_targets(me auth.users, p_province integer,
    p_day date, p_items jsonb) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(lib.target_progress(me, t, p_day, p_items)
		ORDER BY t.due_date, i.position, t.id), '[]')
	  FROM plans.targets t
	  JOIN plans.indicators i ON i.code = t.indicator
	 WHERE t.due_date >= p_day
	   AND ((t.province_id IS NULL AND i.kind IN ('share', 'rate'))
		OR t.province_id = p_province
		OR t.province_id IN (SELECT l.old_id FROM geo.lineage l
		    WHERE l.new_id = p_province))
$$;

-- The gap report of a province's communes: {province, as_of, units,
-- items: [{commune_code, name, flags, numbers}], targets: [...]}. p_flag
-- keeps the communes with that flag; p_sort orders them by code (the
-- default), name (Vietnamese collation) or flags (most first).
CREATE FUNCTION lib.gaps_report(me auth.users, p_scope text, p_day date,
    p_historical boolean, p_flag text, p_sort text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	s	record := lib.scope_resolve(me, p_scope, p_historical, p_day);
	summary	boolean := lib.today_usable(p_day, p_historical);
	communes integer[];
	units	integer[];
	unit_communes integer[];
	baseline date := (p_day - interval '1 year')::date;
	since	date := lib.trained_since_default(p_day);
	items	jsonb;
	province jsonb;
BEGIN
	PERFORM lib.param_in(p_flag, lib.gap_flags(), 'flag');
	PERFORM lib.param_in(p_sort, ARRAY['code', 'name', 'flags'], 'sort');
	IF summary THEN
		communes := ARRAY(SELECT f.commune_id FROM plans.today_communes f
		     WHERE CASE s.level WHEN 'province' THEN f.province_id
			ELSE f.commune_id END = (s.unit).id);
	ELSE
		communes := lib.scope_communes(s.level, (s.unit).id,
		    p_historical, p_day);
		SELECT x.unit_ids, x.commune_ids INTO units, unit_communes
		  FROM lib.scope_units(communes, p_historical, p_day) x;
	END IF;
	SELECT jsonb_agg(g.item ORDER BY
		CASE WHEN p_sort = 'flags' THEN -jsonb_array_length(g.item->'flags') END,
		CASE WHEN p_sort = 'name' THEN g.name END,
		g.code)
	  INTO items
	  FROM (SELECT c.code, c.name, jsonb_build_object(
			'commune_code', c.code, 'name', c.name) || f.gap AS item
		  FROM (SELECT t.commune_id, lib.commune_gap(t, p_day) AS gap
			  FROM plans.today_communes t
			 WHERE summary AND t.commune_id = ANY (communes)
			UNION ALL
			SELECT t.commune_id, lib.commune_gap(t, p_day)
			  FROM lib.commune_facts(communes, units, unit_communes,
				p_day) t
			 WHERE NOT summary) f
		  JOIN geo.units c ON c.id = f.commune_id) g
	 WHERE p_flag IS NULL OR g.item->'flags' ? p_flag;
	IF s.level = 'province' THEN
		province := lib.indicator_items(CASE WHEN summary
		    THEN lib.today_numbers((s.unit).id, p_day, baseline, since,
			NULL)
		    ELSE lib.scope_numbers(communes, units, unit_communes, p_day,
			baseline, since) END, baseline, since);
	END IF;
	RETURN jsonb_build_object('scope', p_scope, 'as_of', p_day,
	    'units', CASE WHEN p_historical THEN 'historical' ELSE 'current' END,
	    'unit', lib.unit_json(s.unit),
	    'flag', p_flag, 'communes', cardinality(communes),
	    'items', coalesce(items, '[]'),
	    'targets', CASE WHEN s.level = 'province' THEN
		lib.province_targets(me, (s.unit).id, p_day, province)
		ELSE '[]' END);
END
$$;

-- GET /api/v1/provinces/{code}/gaps?as_of=&units=&flag=&sort=
CREATE FUNCTION api.province_gaps(p_actor bigint, p_code text, p_as_of date,
    p_units text, p_flag text, p_sort text) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.gaps_report(me, 'province:' || p_code, lib.as_of_ok(p_as_of),
	    lib.units_historical(p_units), p_flag, p_sort)::json;
END
$$;

-- GET /api/v1/communes/{code}/flags?as_of=&units=: one commune's item.
CREATE FUNCTION api.commune_flags(p_actor bigint, p_code text, p_as_of date,
    p_units text) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	r	jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	r := lib.gaps_report(me, 'commune:' || p_code, lib.as_of_ok(p_as_of),
	    lib.units_historical(p_units), NULL, NULL);
	RETURN ((r->'items'->0) || jsonb_build_object('as_of', r->'as_of',
	    'units', r->'units', 'unit', r->'unit'))::json;
END
$$;
