-- Today's summary (sql/migrations/0008_today.sql): how it is computed,
-- kept exact in the transaction of every write, rebuilt for a new day,
-- and read.
--
-- The summary is computed by the same functions as any other day
-- (lib.commune_facts, the spells), only stored: reads of today with
-- units=current use it when it describes today and the transaction has
-- nothing pending (a transaction that wrote and reads before its commit
-- computes from the spells instead). tests/sql/14_today.sql checks that
-- both ways give the same answers and that the kept rows equal a rebuild.
--
-- Concurrency. At commit a writer locks the communes and people it
-- touched (advisory locks, in one order; above a few hundred, the whole
-- summary) and only then recomputes them, so two writers of one commune
-- never store a result computed without the other's rows. The writer holds today_state FOR SHARE meanwhile; a
-- rebuild holds it FOR UPDATE, so a rebuild never runs beside a writer's
-- recomputation, and a writer that commits after a rebuild recomputes
-- what it touched for the rebuilt day.

-- Advisory lock classes: the whole summary, a commune, a person.
CREATE FUNCTION lib.today_lock_class(p_kind text) RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE p_kind WHEN 'all' THEN 8500 WHEN 'commune' THEN 8501
    ELSE 8502 END $$;

-- Above this many communes and people, a writer locks the whole summary.
CREATE FUNCTION lib.today_lock_keys_max() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 200 $$;

-- Where work units count today (units=current): their commune of today
-- and its province. p_units NULL: every unit.
CREATE FUNCTION lib.today_unit_places(p_units integer[])
RETURNS TABLE (unit_id integer, commune_id integer, province_id integer)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT w.id, t.id, lib.commune_province(t)
	  FROM hr.work_units w
	 CROSS JOIN LATERAL lib.commune_today_of(w.commune_id) AS tc(id)
	  JOIN geo.units t ON t.id = tc.id
	 WHERE p_units IS NULL OR w.id = ANY (p_units);
END
$$;

-- The summary rows of some of today's communes, as of p_day.
CREATE FUNCTION lib.today_communes_compute(p_communes integer[], p_day date)
RETURNS SETOF plans.today_communes
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	u	record := lib.scope_units(p_communes, false, p_day);
BEGIN
	RETURN QUERY
	WITH places AS (SELECT * FROM unnest(u.unit_ids, u.commune_ids)
		AS p(unit_id, commune_id)),
	fte AS (
		SELECT p.commune_id,
		    sum(a.fte) FILTER (WHERE a.category = 'professional') AS pro,
		    sum(a.fte) FILTER (WHERE a.category = 'commune_post') AS post,
		    sum(a.fte) FILTER (WHERE a.category = 'concurrent') AS conc,
		    sum(a.fte) FILTER (WHERE a.category = 'collaborator') AS coll
		  FROM places p JOIN hr.assignments a ON a.work_unit_id = p.unit_id
		 WHERE a.span @> p_day AND a.category <> 'volunteer'
		 GROUP BY p.commune_id),
	fac AS (
		SELECT p.commune_id, count(*) AS n,
		    count(*) FILTER (WHERE EXISTS (SELECT FROM hr.assignments a
			WHERE a.work_unit_id = w.id
			  AND a.category = 'professional'
			  AND a.span @> p_day)) AS served
		  FROM places p JOIN hr.work_units w ON w.id = p.unit_id
		 WHERE w.kind = ANY (lib.facility_kinds())
		   AND (w.opened_on IS NULL OR w.opened_on <= p_day)
		   AND (w.closed_on IS NULL OR w.closed_on > p_day)
		 GROUP BY p.commune_id)
	SELECT f.commune_id, lib.commune_province(c), f.staff, f.qualifying, f.officials,
	    f.collaborators, f.collaborators_qualifying,
	    f.collaborators_below_base, f.concurrent_only, f.trained,
	    f.volunteers, f.fte, f.headcount_year_ago, f.separations,
	    f.voluntary_separations, f.trained_lost, f.trained_replaced,
	    f.median_tenure_days, f.last_covered,
	    coalesce(x.pro, 0), coalesce(x.post, 0), coalesce(x.conc, 0),
	    coalesce(x.coll, 0), coalesce(fac.n, 0)::integer,
	    coalesce(fac.served, 0)::integer
	  FROM lib.commune_facts(p_communes, u.unit_ids, u.commune_ids,
		p_day) f
	  JOIN geo.units c ON c.id = f.commune_id
	  LEFT JOIN fte x ON x.commune_id = f.commune_id
	  LEFT JOIN fac ON fac.commune_id = f.commune_id;
END
$$;

-- The summary rows of some people (NULL: everyone), as of p_day: each
-- person's standing in each province of today where they hold spells and
-- in the nation (scope 0). A separation is counted as in
-- lib.commune_separations, with the scope as the area.
CREATE FUNCTION lib.today_people_compute(p_people bigint[], p_day date)
RETURNS SETOF plans.today_people
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN QUERY
	WITH places AS (
		SELECT * FROM lib.today_unit_places(CASE WHEN p_people IS NOT NULL
		    THEN ARRAY(SELECT DISTINCT a.work_unit_id
			FROM hr.assignments a WHERE a.person_id = ANY (p_people))
		    END)),
	spells AS (
		SELECT a.id, a.person_id, a.category, a.title_code,
		    a.start_date, a.end_date, a.end_reason, a.span, p.province_id
		  FROM hr.assignments a JOIN places p ON p.unit_id = a.work_unit_id
		 WHERE p_people IS NULL OR a.person_id = ANY (p_people)),
	scoped AS MATERIALIZED (
		SELECT s.*, s.province_id AS scope_id FROM spells s
		UNION ALL
		SELECT s.*, 0 FROM spells s),
	seps AS (
		SELECT e.scope_id, e.person_id, e.end_date,
		    bool_or(e.end_reason = 'resigned') AS voluntary
		  FROM scoped e
		 WHERE e.end_date > p_day - 365 AND e.end_date <= p_day
		   AND e.category <> 'volunteer'
		   AND NOT EXISTS (SELECT FROM scoped s
			 WHERE s.scope_id = e.scope_id
			   AND s.person_id = e.person_id AND s.id <> e.id
			   AND s.category <> 'volunteer'
			   AND s.span && daterange(e.end_date + 1,
				e.end_date + 30, '[]'))
		 GROUP BY e.scope_id, e.person_id, e.end_date),
	sep_n AS (
		SELECT s.scope_id, s.person_id, count(*)::integer AS n,
		    (count(*) FILTER (WHERE s.voluntary))::integer AS voluntary
		  FROM seps s GROUP BY s.scope_id, s.person_id),
	standing AS (
		SELECT s.scope_id, s.person_id,
		    bool_or(s.span @> p_day) AS in_post,
		    bool_or(s.category <> 'volunteer' AND s.span @> p_day) AS wf,
		    bool_or(s.category = 'professional' AND s.span @> p_day) AS pro,
		    bool_or(s.category = 'commune_post' AND s.span @> p_day) AS post,
		    bool_or(s.category = 'concurrent' AND s.span @> p_day) AS conc,
		    bool_or(s.category = 'collaborator' AND s.span @> p_day) AS coll,
		    bool_or(s.category = 'volunteer' AND s.span @> p_day) AS vol,
		    bool_or(s.title_code = 'V.09.04.01' AND s.span @> p_day) AS t1,
		    bool_or(s.title_code = 'V.09.04.02' AND s.span @> p_day) AS t2,
		    bool_or(s.title_code = 'V.09.04.03' AND s.span @> p_day) AS t3,
		    bool_or(s.category <> 'volunteer' AND
			s.span @> (p_day - 365)) AS wf365,
		    bool_or(s.category <> 'volunteer' AND
			s.span @> (p_day - interval '1 year')::date) AS wfyear,
		    max(coalesce(s.end_date, 'infinity')) FILTER (WHERE
			s.category <> 'volunteer' AND s.start_date <= p_day)
			AS until
		  FROM scoped s GROUP BY s.scope_id, s.person_id)
	SELECT st.scope_id, st.person_id, coalesce(st.wf, false),
	    coalesce(st.pro, false), coalesce(st.post, false),
	    coalesce(st.conc, false), coalesce(st.coll, false),
	    coalesce(st.vol, false), coalesce(st.t1, false),
	    coalesce(st.t2, false), coalesce(st.t3, false),
	    coalesce(st.wf365, false), coalesce(st.wfyear, false),
	    coalesce(n.n, 0), coalesce(n.voluntary, 0), t.trained_on, st.until
	  FROM standing st
	  LEFT JOIN sep_n n ON n.scope_id = st.scope_id
	   AND n.person_id = st.person_id
	  LEFT JOIN training.sw_trained t ON t.person_id = st.person_id
	 WHERE st.in_post OR st.wf365 OR st.wfyear OR n.n > 0
	    OR (t.trained_on IS NOT NULL AND st.until IS NOT NULL);
END
$$;

-- Recompute some communes and people for the summary's day, after
-- locking them (see the header). Communes that are not today's are
-- ignored.
CREATE FUNCTION lib.today_recompute(p_communes integer[], p_people bigint[],
    p_day date) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	communes integer[] := ARRAY(SELECT DISTINCT c.id FROM unnest(p_communes)
		AS x(id) JOIN geo.units c ON c.id = x.id
		 WHERE c.level = 'commune' AND c.valid_to IS NULL ORDER BY 1);
	people	bigint[] := ARRAY(SELECT DISTINCT p FROM unnest(p_people) p
		 WHERE p IS NOT NULL ORDER BY 1);
	k	bigint;
BEGIN
	-- Each lock is a slot of the server's shared lock table until commit
	-- (an import of 50,000 people would exhaust it): a large set takes
	-- the whole summary instead, which every small one shares.
	IF cardinality(communes) + cardinality(people) >
	    lib.today_lock_keys_max() THEN
		PERFORM pg_advisory_xact_lock(lib.today_lock_class('all'), 0);
	ELSE
		PERFORM pg_advisory_xact_lock_shared(lib.today_lock_class('all'), 0);
		FOREACH k IN ARRAY communes LOOP
			PERFORM pg_advisory_xact_lock(
			    lib.today_lock_class('commune'), k::integer);
		END LOOP;
		FOREACH k IN ARRAY people LOOP
			PERFORM pg_advisory_xact_lock(
			    lib.today_lock_class('person'),
			    (k % 2147483647)::integer);
		END LOOP;
	END IF;
	IF cardinality(communes) > 0 THEN
		DELETE FROM plans.today_communes WHERE commune_id = ANY (communes);
		INSERT INTO plans.today_communes
		SELECT * FROM lib.today_communes_compute(communes, p_day);
	END IF;
	IF cardinality(people) > 0 THEN
		DELETE FROM plans.today_people WHERE person_id = ANY (people);
		INSERT INTO plans.today_people
		SELECT * FROM lib.today_people_compute(people, p_day);
	END IF;
END
$$;

-- Everything again, for today. The caller holds today_state FOR UPDATE.
CREATE FUNCTION lib.today_rebuild() RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	t0	timestamptz := clock_timestamp();
BEGIN
	DELETE FROM plans.today_communes;
	INSERT INTO plans.today_communes
	SELECT * FROM lib.today_communes_compute(ARRAY(SELECT c.id
		FROM geo.units c WHERE c.level = 'commune' AND c.valid_to IS NULL
		ORDER BY c.id), current_date);
	DELETE FROM plans.today_people;
	INSERT INTO plans.today_people
	SELECT * FROM lib.today_people_compute(NULL, current_date);
	UPDATE plans.today_state SET day = current_date, built_at = now(),
	    build_ms = (extract(epoch FROM clock_timestamp() - t0) * 1000)::integer;
END
$$;

-- How many rows the kept summary and a rebuild of it now do not share:
-- 0 while it is exact (the tests' measure; an administrator's too).
CREATE FUNCTION lib.today_drift() RETURNS bigint
LANGUAGE sql STABLE
AS $$
	WITH day AS (SELECT s.day FROM plans.today_state s),
	communes AS (SELECT c.* FROM day, lib.today_communes_compute(ARRAY(
		SELECT id FROM geo.units WHERE level = 'commune'
		   AND valid_to IS NULL), day.day) c),
	people AS (SELECT p.* FROM day, lib.today_people_compute(NULL,
		day.day) p)
	SELECT (SELECT count(*) FROM (TABLE plans.today_communes
		EXCEPT ALL TABLE communes) a) +
	    (SELECT count(*) FROM (TABLE communes
		EXCEPT ALL TABLE plans.today_communes) b) +
	    (SELECT count(*) FROM (TABLE plans.today_people
		EXCEPT ALL TABLE people) c) +
	    (SELECT count(*) FROM (TABLE people
		EXCEPT ALL TABLE plans.today_people) d)
$$;

-- Whether a read of p_day may use the summary. registry.today = off
-- (a session setting) makes every read compute from the spells: the
-- tests compare the two ways with it.
CREATE FUNCTION lib.today_usable(p_day date, p_historical boolean)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT NOT p_historical AND coalesce(s.day = p_day, false)
	   AND coalesce(current_setting('registry.today', true), '') <> 'off'
	   AND NOT EXISTS (SELECT FROM plans.today_pending)
	  FROM plans.today_state s
$$;

-- A scope's numbers (as lib.scope_numbers) from the summary. p_scope_id:
-- 0 for the nation or today's province. A baseline other than a year
-- before p_day is counted from the spells (p_units).
CREATE FUNCTION lib.today_numbers(p_scope_id integer, p_day date,
    p_baseline date, p_since date, p_units integer[]) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	n	jsonb;
BEGIN
	SELECT jsonb_build_object('communes', count(*),
	    'covered', count(*) FILTER (WHERE c.qualifying > 0),
	    'covered_1plus1', count(*) FILTER (WHERE c.officials > 0 AND
		c.collaborators > 0),
	    'facilities', coalesce(sum(c.facilities), 0),
	    'facilities_served', coalesce(sum(c.facilities_served), 0),
	    'fte_total', coalesce(sum(c.fte), 0),
	    'fte_professional', coalesce(sum(c.fte_professional), 0),
	    'fte_commune_post', coalesce(sum(c.fte_commune_post), 0),
	    'fte_concurrent', coalesce(sum(c.fte_concurrent), 0),
	    'fte_collaborator', coalesce(sum(c.fte_collaborator), 0))
	  INTO n
	  FROM plans.today_communes c
	 WHERE p_scope_id = 0 OR c.province_id = p_scope_id;

	n := n || (SELECT jsonb_build_object(
	    'workforce', count(*) FILTER (WHERE p.workforce),
	    'trained', count(*) FILTER (WHERE p.workforce AND
		p.trained_on <= p_day),
	    'professional', count(*) FILTER (WHERE p.professional),
	    'commune_post', count(*) FILTER (WHERE p.commune_post),
	    'concurrent', count(*) FILTER (WHERE p.concurrent),
	    'collaborator', count(*) FILTER (WHERE p.collaborator),
	    'volunteer', count(*) FILTER (WHERE p.volunteer),
	    'title_v090401', count(*) FILTER (WHERE p.title_v090401),
	    'title_v090402', count(*) FILTER (WHERE p.title_v090402),
	    'title_v090403', count(*) FILTER (WHERE p.title_v090403),
	    'workforce_365_ago', count(*) FILTER (WHERE p.workforce_365_ago),
	    'baseline_workforce', CASE WHEN p_baseline =
		(p_day - interval '1 year')::date THEN
		count(*) FILTER (WHERE p.workforce_year_ago) END,
	    'separations', coalesce(sum(p.separations), 0),
	    'voluntary_separations', coalesce(sum(p.voluntary_separations), 0),
	    'trained_since', count(*) FILTER (WHERE p.trained_on <= p_day
		AND (p_since IS NULL OR p.trained_on >= p_since)
		AND p.workforce_until >= coalesce(p_since, '-infinity')))
	  FROM plans.today_people p WHERE p.scope_id = p_scope_id);

	IF n->'baseline_workforce' = 'null' THEN
		n := n || jsonb_build_object('baseline_workforce',
		    lib.scope_workforce(p_units, p_baseline));
	END IF;
	RETURN n;
END
$$;

-- Triggers. Each write notes what it touched; the deferred trigger on
-- today_pending recomputes it at commit.
CREATE FUNCTION lib.today_note(p_units integer[], p_communes integer[],
    p_people bigint[]) RETURNS void
LANGUAGE sql
AS $$
	INSERT INTO plans.today_pending AS t (units, communes, people)
	VALUES (coalesce(p_units, '{}'), coalesce(p_communes, '{}'),
	    coalesce(p_people, '{}'))
	ON CONFLICT (xact) DO UPDATE
	SET units = t.units || EXCLUDED.units,
	    communes = t.communes || EXCLUDED.communes,
	    people = t.people || EXCLUDED.people
$$;

-- It fires at commit, after the api function that wrote has returned,
-- as the server's role: so it is an api function (SECURITY DEFINER),
-- which being a trigger function nobody can call directly.
CREATE FUNCTION api.today_flush() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	p	plans.today_pending;
	day	date;
BEGIN
	DELETE FROM plans.today_pending WHERE xact = pg_current_xact_id()
	RETURNING * INTO p;
	IF p.xact IS NULL THEN
		RETURN NULL;
	END IF;
	SELECT s.day INTO day FROM plans.today_state s FOR SHARE;
	IF day IS NOT NULL THEN
		PERFORM lib.today_recompute(ARRAY(
			SELECT x.commune_id FROM lib.today_unit_places(
			    ARRAY(SELECT DISTINCT u FROM unnest(p.units) u)) x
			UNION
			SELECT lib.commune_today_of(c) FROM unnest(p.communes) c),
		    p.people, day);
	END IF;
	RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER today_flush AFTER INSERT ON plans.today_pending
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION api.today_flush();

-- A spell: its unit's commune and its person.
CREATE FUNCTION lib.today_on_spells() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		PERFORM lib.today_note(ARRAY(SELECT work_unit_id FROM new_rows),
		    NULL, ARRAY(SELECT person_id FROM new_rows));
	END IF;
	IF TG_OP <> 'INSERT' THEN
		PERFORM lib.today_note(ARRAY(SELECT work_unit_id FROM old_rows),
		    NULL, ARRAY(SELECT person_id FROM old_rows));
	END IF;
	RETURN NULL;
END
$$;

-- A work unit: the commune it was in and the one it is in now (kind and
-- dates decide the facility counts), and the people of its spells, whose
-- province may have changed with it.
CREATE FUNCTION lib.today_on_units() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		PERFORM lib.today_note(ARRAY(SELECT id FROM new_rows), NULL,
		    ARRAY(SELECT a.person_id FROM hr.assignments a
			JOIN new_rows n ON n.id = a.work_unit_id));
	END IF;
	IF TG_OP <> 'INSERT' THEN
		PERFORM lib.today_note(NULL, ARRAY(SELECT commune_id
		    FROM old_rows), NULL);
	END IF;
	RETURN NULL;
END
$$;

-- Training: the person, and every commune they hold spells in.
CREATE FUNCTION lib.today_on_trained() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	people	bigint[];
BEGIN
	IF TG_OP = 'INSERT' THEN
		people := ARRAY(SELECT person_id FROM new_rows);
	ELSIF TG_OP = 'DELETE' THEN
		people := ARRAY(SELECT person_id FROM old_rows);
	ELSE
		people := ARRAY(SELECT person_id FROM new_rows UNION
		    SELECT person_id FROM old_rows);
	END IF;
	PERFORM lib.today_note(ARRAY(SELECT DISTINCT a.work_unit_id
		FROM hr.assignments a WHERE a.person_id = ANY (people)),
	    NULL, people);
	RETURN NULL;
END
$$;

-- A trigger with transition tables fires on one event only: three per
-- table, each reading the rows its event has.
DO $$
DECLARE
	t	record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('hr.assignments', 'spells'),
	    ('hr.work_units', 'units'), ('training.sw_trained', 'trained'))
	    AS t(tab, name) LOOP
		EXECUTE format('CREATE TRIGGER today_%s_insert AFTER INSERT ON %s
		    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
		    EXECUTE FUNCTION lib.today_on_%1$s()', t.name, t.tab);
		EXECUTE format('CREATE TRIGGER today_%s_update AFTER UPDATE ON %s
		    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
		    FOR EACH STATEMENT EXECUTE FUNCTION lib.today_on_%1$s()',
		    t.name, t.tab);
		EXECUTE format('CREATE TRIGGER today_%s_delete AFTER DELETE ON %s
		    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
		    EXECUTE FUNCTION lib.today_on_%1$s()', t.name, t.tab);
	END LOOP;
END
$$;

-- A base salary or the geography changes what every commune's numbers
-- mean, and a TRUNCATE names no rows: the summary is void until rebuilt.
CREATE FUNCTION lib.today_void() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE plans.today_state SET day = NULL WHERE day IS NOT NULL;
	RETURN NULL;
END
$$;
CREATE TRIGGER today_void AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON plans.base_salaries
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();
CREATE TRIGGER today_void AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON geo.units
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();
CREATE TRIGGER today_void AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON geo.lineage
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();
CREATE TRIGGER today_void AFTER TRUNCATE ON hr.assignments
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();
CREATE TRIGGER today_void AFTER TRUNCATE ON hr.work_units
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();
CREATE TRIGGER today_void AFTER TRUNCATE ON training.sw_trained
	FOR EACH STATEMENT EXECUTE FUNCTION lib.today_void();

-- The definitions above may just have changed: the next keeper's run
-- rebuilds.
UPDATE plans.today_state SET day = NULL;

-- The entry point of the server's keeper (app/jobs.c), about once
-- a minute in each worker: rebuilds the summary when it does not
-- describe today. A rebuild already running elsewhere, or a writer
-- recomputing, makes this run a no-op; the next one tries again.
CREATE FUNCTION api.today_keep() RETURNS json
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
AS $$
DECLARE
	day	date;
BEGIN
	IF (SELECT s.day FROM plans.today_state s) = current_date THEN
		RETURN NULL;
	END IF;
	BEGIN
		SELECT s.day INTO day FROM plans.today_state s
		   FOR UPDATE NOWAIT;
	EXCEPTION WHEN lock_not_available THEN
		RETURN NULL;
	END;
	IF day = current_date THEN
		RETURN NULL;
	END IF;
	PERFORM lib.today_rebuild();
	RETURN (SELECT json_build_object('day', s.day, 'ms', s.build_ms,
		'communes', (SELECT count(*) FROM plans.today_communes),
		'people', (SELECT count(*) FROM plans.today_people))
	  FROM plans.today_state s);
END
$$;
