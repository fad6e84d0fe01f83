-- Quarterly snapshots for steering committees: a province's indicators
-- and commune gaps frozen as they stood at the end of a quarter, so that
-- a committee's minutes keep pointing at the figures it discussed while
-- the registry moves on, and the difference between then and now can be
-- read back. One snapshot per province and quarter; rows never change
-- (plans.snapshots_frozen, a trigger, refuses UPDATE and DELETE for every
-- role). Because the one snapshot is final, a quarter is frozen only once
-- it has ended (from the day after its last day): a snapshot taken while
-- it runs would pre-empt the real one with figures of part of it.
--
-- The figures are those of the live reports (80_indicators.sql) on
-- today's units: lib.indicators_of and lib.gaps_report with units=current
-- and the default baseline, each stored whole as it answered.
--
-- Who: administrators and a province's steering members take snapshots;
-- they and the province's HR officers read them. Out of scope is 404.

-- The day a snapshot of quarter p_period is as of: the quarter's last
-- day, when p_today (today, unless a test says) is after it. 422 naming
-- period for anything but YYYY-Qn, a quarter before 2000, one that has
-- not begun (future-period) and one still running (quarter-not-ended).
CREATE FUNCTION lib.period_as_of(p_period text,
    p_today date DEFAULT current_date) RETURNS date
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	m	text[] := regexp_match(p_period, '^([0-9]{4})-Q([1-4])$');
	first	date;
	last	date;
BEGIN
	IF m IS NULL THEN
		PERFORM lib.fail(422, 'invalid-period',
		    'Kỳ phải theo dạng YYYY-Qn, ví dụ 2026-Q3.',
		    'period must be written YYYY-Qn, e.g. 2026-Q3.', 'period');
	END IF;
	IF m[1]::integer < 2000 THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Kỳ phải từ năm 2000 trở đi.',
		    'period must be in 2000 or later.', 'period');
	END IF;
	first := make_date(m[1]::integer, m[2]::integer * 3 - 2, 1);
	last := (first + interval '3 months' - interval '1 day')::date;
	IF first > p_today THEN
		PERFORM lib.fail(422, 'future-period',
		    'Quý này chưa bắt đầu.', 'This quarter has not begun.',
		    'period');
	END IF;
	IF last >= p_today THEN
		PERFORM lib.fail(422, 'quarter-not-ended',
		    'Quý này chưa kết thúc: chỉ chụp số liệu được từ ngày sau ngày cuối quý.',
		    'This quarter has not ended yet: it can be frozen from the day after its last day.',
		    'period');
	END IF;
	RETURN last;
END
$$;

-- Communes per flag in a stored gap report, every flag present (0 when
-- no commune has it).
CREATE FUNCTION lib.flag_counts(p_gaps jsonb) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_object_agg(f.flag, (SELECT count(*)
		FROM jsonb_array_elements(p_gaps -> 'items') i
	       WHERE i -> 'flags' ? f.flag))
	  FROM unnest(lib.gap_flags()) AS f(flag)
$$;

-- The flags of p_flags that p_other lacks, in flag order; either may be
-- NULL (a commune on one side only).
CREATE FUNCTION lib.flags_minus(p_flags jsonb, p_other jsonb) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(f.flag ORDER BY f.ord), '[]')
	  FROM unnest(lib.gap_flags()) WITH ORDINALITY f(flag, ord)
	 WHERE coalesce(p_flags ? f.flag, false)
	   AND NOT coalesce(p_other ? f.flag, false)
$$;

-- What a list shows of a snapshot without its whole reports: how many
-- communes, communes per flag, and the headline values.
CREATE FUNCTION lib.snapshot_summary(s plans.snapshots) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('communes', s.gaps -> 'communes',
	    'flags', lib.flag_counts(s.gaps),
	    'indicators', (SELECT coalesce(jsonb_object_agg(i ->> 'code',
		    i -> 'value'), '{}')
		  FROM jsonb_array_elements(s.indicators -> 'items') i
		 WHERE i ->> 'code' IN ('communes_covered',
		    'communes_covered_1plus1', 'trained_share', 'headcount_total',
		    'fte_total', 'turnover_rate', 'facilities_with_professional')))
$$;

-- A snapshot's metadata and summary; p_full adds the stored reports.
CREATE FUNCTION lib.snapshot_json(s plans.snapshots, p_full boolean)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', s.id,
	    'province', (SELECT jsonb_build_object('code', g.code,
		'name', g.name) FROM geo.units g WHERE g.id = s.province_id),
	    'period', s.period, 'as_of', s.as_of, 'note', s.note,
	    'created_by', (SELECT u.login FROM auth.users u
		WHERE u.id = s.created_by),
	    'created_at', s.created_at, 'summary', lib.snapshot_summary(s)) ||
	    CASE WHEN p_full THEN jsonb_build_object('indicators', s.indicators,
		'gaps', s.gaps) ELSE '{}' END
$$;

-- A snapshot the caller may read; 404 otherwise, as if it did not exist.
CREATE FUNCTION lib.snapshot_seen(me auth.users, p_id bigint)
RETURNS plans.snapshots
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	s	plans.snapshots;
BEGIN
	SELECT * INTO s FROM plans.snapshots WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_province(me, s.province_id) THEN
		PERFORM lib.not_found('bản chụp số liệu', 'snapshot');
	END IF;
	RETURN s;
END
$$;

-- 409 pointing at the snapshot a province already has of a quarter.
CREATE FUNCTION lib.snapshot_free(p_province integer, p_period text)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	other	integer;
BEGIN
	SELECT id INTO other FROM plans.snapshots
	 WHERE province_id = p_province AND period = p_period;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'snapshot-exists',
		    'Tỉnh/thành phố này đã có bản chụp số liệu của quý này.',
		    'This province already has a snapshot of this quarter.',
		    'period', '/api/v1/snapshots/' || other);
	END IF;
END
$$;

-- POST /api/v1/snapshots {province, period, note?}: freezes the
-- province's indicators and gaps for a quarter that has ended. A second
-- snapshot of the same province and quarter is a 409 pointing at the
-- first, asked before the reports are computed; a concurrent one loses on
-- the unique key and gets the same answer.
CREATE FUNCTION api.snapshot_create(p_actor bigint, p_via text,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	g	geo.units;
	s	plans.snapshots;
	day	date;
	scope	text;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'steering');
	PERFORM lib.fail_first(lib.chk_text(p_body, 'province', true, 2) ||
	    lib.chk_text(p_body, 'period', true, 20) ||
	    lib.chk_text(p_body, 'note', false, 2000));
	g := lib.current_province(lib.txt(p_body, 'province'), 'province');
	IF NOT lib.sees_province(me, g.id) THEN
		PERFORM lib.not_found('tỉnh/thành phố', 'province');
	END IF;
	day := lib.period_as_of(lib.txt(p_body, 'period'));
	PERFORM lib.snapshot_free(g.id, lib.txt(p_body, 'period'));
	scope := 'province:' || g.code;
	INSERT INTO plans.snapshots (province_id, period, as_of, note,
	    indicators, gaps, created_by)
	VALUES (g.id, lib.txt(p_body, 'period'), day, lib.txt(p_body, 'note'),
	    lib.indicators_of(me, scope, day, false, NULL, NULL),
	    lib.gaps_report(me, scope, day, false, NULL, NULL), me.id)
	ON CONFLICT (province_id, period) DO NOTHING
	RETURNING * INTO s;
	IF s.id IS NULL THEN
		PERFORM lib.snapshot_free(g.id, lib.txt(p_body, 'period'));
	END IF;
	PERFORM lib.audit(me, p_via, 'snapshot.create', 'snapshot',
	    s.id::text, NULL, jsonb_build_object('province', g.code,
		'period', s.period, 'as_of', s.as_of, 'note', s.note));
	RETURN lib.snapshot_json(s, true);
END
$$;

-- GET /api/v1/snapshots?province=&cursor=&limit=: newest quarter first,
-- metadata and summary only. Officers and provincial steering see their
-- own province (another one asked for is 403, as in every list).
CREATE FUNCTION api.snapshots_list(p_actor bigint, p_province text,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'period', 'id');
	pid	integer;
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'steering', 'hr_officer');
	pid := lib.scope_province(me, p_province);
	IF k IS NOT NULL AND ((k ->> 'period') !~ '^[0-9]{4}-Q[1-4]$' OR
	    (k ->> 'id') !~ '^[0-9]{1,9}$') THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	SELECT array_agg(lib.snapshot_json(s, false) ORDER BY s.period DESC,
		s.id DESC),
	    array_agg(jsonb_build_object('period', s.period, 'id', s.id)
		ORDER BY s.period DESC, s.id DESC)
	  INTO items, keys
	  FROM (SELECT * FROM plans.snapshots s
		 WHERE lib.sees_province(me, s.province_id)
		   AND (pid IS NULL OR s.province_id = pid)
		   AND (k IS NULL OR (s.period, s.id) <
			(k ->> 'period', (k ->> 'id')::integer))
		 ORDER BY s.period DESC, s.id DESC LIMIT n + 1) s;
	RETURN lib.page(items, keys, n);
END
$$;

-- GET /api/v1/snapshots/{id}: everything stored.
CREATE FUNCTION api.snapshot_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'steering', 'hr_officer');
	RETURN lib.snapshot_json(lib.snapshot_seen(me, p_id), true);
END
$$;

-- GET /api/v1/snapshots/{id}/diff: the snapshot against the same
-- province today (units=current): each indicator then and now, communes
-- per flag then and now, the communes whose flags changed (flags added
-- and removed), and the targets then and now. A commune or target on one
-- side only (a boundary change, a target whose due date has passed)
-- shows null, or every flag added or removed, for the other.
CREATE FUNCTION api.snapshot_diff(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	s	plans.snapshots;
	scope	text;
	ind	jsonb;
	gaps	jsonb;
	flags_then jsonb;
	flags_now jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'steering', 'hr_officer');
	s := lib.snapshot_seen(me, p_id);
	scope := 'province:' || (SELECT code FROM geo.units
	    WHERE id = s.province_id);
	ind := lib.indicators_of(me, scope, current_date, false, NULL, NULL);
	gaps := lib.gaps_report(me, scope, current_date, false, NULL, NULL);
	flags_then := lib.flag_counts(s.gaps);
	flags_now := lib.flag_counts(gaps);
	RETURN jsonb_build_object(
	    'snapshot', jsonb_build_object('id', s.id, 'period', s.period,
		'as_of', s.as_of),
	    'province', ind -> 'unit', 'as_of', current_date,
	    'indicators', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'code', d.code, 'name', d.name_vi, 'unit', d.unit,
		    'then', t.i -> 'value', 'now', n.i -> 'value',
		    'change', round(((n.i ->> 'value')::numeric -
			(t.i ->> 'value')::numeric), 2)::float8)
		    ORDER BY d.position), '[]')
		  FROM plans.indicators d
		  LEFT JOIN jsonb_array_elements(s.indicators -> 'items') t(i)
		    ON t.i ->> 'code' = d.code
		  LEFT JOIN jsonb_array_elements(ind -> 'items') n(i)
		    ON n.i ->> 'code' = d.code
		 WHERE t.i IS NOT NULL OR n.i IS NOT NULL),
	    'flags', (SELECT jsonb_agg(jsonb_build_object('flag', f.flag,
		    'then', flags_then -> f.flag, 'now', flags_now -> f.flag,
		    'change', (flags_now ->> f.flag)::integer -
			(flags_then ->> f.flag)::integer)
		    ORDER BY f.ord)
		  FROM unnest(lib.gap_flags()) WITH ORDINALITY f(flag, ord)),
	    'communes', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'commune_code', c.code, 'name', c.name,
		    'added', c.added, 'removed', c.removed)
		    ORDER BY c.code), '[]')
		  FROM (SELECT coalesce(n.i ->> 'commune_code',
			    t.i ->> 'commune_code') AS code,
			coalesce(n.i ->> 'name', t.i ->> 'name') AS name,
			lib.flags_minus(n.i -> 'flags', t.i -> 'flags') AS added,
			lib.flags_minus(t.i -> 'flags', n.i -> 'flags') AS removed
		      FROM jsonb_array_elements(s.gaps -> 'items') t(i)
		      FULL JOIN jsonb_array_elements(gaps -> 'items') n(i)
			ON n.i ->> 'commune_code' = t.i ->> 'commune_code') c
		 WHERE c.added <> '[]' OR c.removed <> '[]'),
	    'targets', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		    'target_id', coalesce(n.i -> 'target_id', t.i -> 'target_id'),
		    'indicator', coalesce(n.i -> 'indicator', t.i -> 'indicator'),
		    'then', t.i -> 'value', 'now', n.i -> 'value',
		    'threshold', coalesce(n.i -> 'threshold', t.i -> 'threshold'),
		    'due_date', coalesce(n.i -> 'due_date', t.i -> 'due_date'))
		    ORDER BY coalesce(n.i ->> 'due_date', t.i ->> 'due_date'),
			coalesce(n.i -> 'target_id', t.i -> 'target_id')), '[]')
		  FROM jsonb_array_elements(s.gaps -> 'targets') t(i)
		  FULL JOIN jsonb_array_elements(gaps -> 'targets') n(i)
		    ON (n.i ->> 'target_id') = (t.i ->> 'target_id')))::json;
END
$$;
