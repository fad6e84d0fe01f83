-- Plans, their targets and the base salary, as editable data: the legal
-- documents targets come from (national decisions, provincial plans), each
-- target an indicator of plans.indicators on a scope, due by a date, with
-- a threshold; and the base salary by effective date, which decides
-- whether a collaborator's allowance counts (80_indicators.sql). Seeds are
-- in 0007_plan_seeds.sql and sql/reference/plans.sql.
--
-- A scope is written "national" or "province:NN". A province is the one
-- that had code NN on a date (scope_on, by default the plan's signing
-- day), so a plan of old Đồng Tháp (87, until 2025-06-30) keeps naming
-- that province after the mergers, and "province:82" on a 2011 plan is
-- Tiền Giang, not today's Đồng Tháp.
--
-- Who may do what: plans, targets and base salaries are public facts of
-- the programme, so administrators, officers and steering members read
-- all of them (registrars, who see only their institution, do not);
-- only administrators write, and every write is audited.

-- =====================================================================
-- Scopes.

CREATE FUNCTION lib.scope_text(p_province integer) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT CASE WHEN p_province IS NULL THEN 'national'
	    ELSE 'province:' || (SELECT code FROM geo.units WHERE id = p_province)
	    END
$$;

-- The province version a plan or target names; NULL for national.
CREATE FUNCTION lib.scope_province_json(p_province integer) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('code', g.code, 'name', g.name,
	    'valid_from', g.valid_from, 'valid_to', g.valid_to)
	  FROM geo.units g WHERE g.id = p_province
$$;

-- The province the "scope" of record p names (NULL: national), resolved
-- on p's scope_on or else on p_on. 422 naming scope when it is neither
-- form or no province had the code that day; scope_on when it is not a
-- date.
CREATE FUNCTION lib.scope_from(p jsonb, p_on date) RETURNS integer
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	s	text;
	code	text;
	d	date;
	g	geo.units;
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'scope', true, 20) ||
	    lib.chk_date(p, 'scope_on', false));
	s := lib.txt(p, 'scope');
	IF s = 'national' THEN
		RETURN NULL;
	END IF;
	code := substring(s FROM '^province:([0-9]{2})$');
	IF code IS NULL THEN
		PERFORM lib.fail(422, 'invalid-scope',
		    'Phạm vi là "national" (toàn quốc) hoặc "province:NN" (mã tỉnh 2 chữ số).',
		    'A scope is "national" or "province:NN" (a 2-digit province code).',
		    'scope');
	END IF;
	d := coalesce(lib.dt(p, 'scope_on'), p_on);
	g := lib.unit_at('province', code, d);
	IF g.id IS NULL THEN
		PERFORM lib.fail(422, 'unknown-province',
		    format('Không có tỉnh/thành phố mang mã %s vào ngày %s.', code,
			to_char(d, 'DD/MM/YYYY')),
		    format('No province had the code %s on %s.', code, d), 'scope');
	END IF;
	RETURN g.id;
END
$$;

-- A text field of at least p_min characters (after trimming), as a list
-- of problems for lib.fail_first.
CREATE FUNCTION lib.chk_min_length(p jsonb, p_key text, p_min integer)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN length(lib.txt(p, p_key)) < p_min THEN
	    jsonb_build_array(lib.prob(p_key, 'too-short',
		format('Tối thiểu %s ký tự.', p_min),
		format('At least %s characters.', p_min)))
	    ELSE '[]' END
$$;

-- =====================================================================
-- Plans.

CREATE FUNCTION lib.plan_json(p plans.plans) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', p.id, 'code', p.code,
	    'document', p.document, 'name', p.name, 'name_en', p.name_en,
	    'issued_by', p.issued_by, 'signed_on', p.signed_on,
	    'period_from', p.period_from, 'period_to', p.period_to,
	    'scope', lib.scope_text(p.province_id),
	    'province', lib.scope_province_json(p.province_id), 'note', p.note,
	    'target_count', (SELECT count(*) FROM plans.targets
		WHERE plan_id = p.id),
	    'created_at', p.created_at, 'updated_at', p.updated_at)
$$;

-- What an audit row records and a patch is merged into: the fields a
-- client sends, plus the province row itself, since "province:82" names
-- different provinces on different days.
CREATE FUNCTION lib.plan_body(p plans.plans) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.plan_json(p) - 'id' - 'province' - 'target_count' -
	    'created_at' - 'updated_at' ||
	    jsonb_build_object('province_id', p.province_id)
$$;

-- Checks a whole plan record and returns the row to store, or fails with
-- 422 on the first problem. The scope is resolved again only when
-- p_rescope (a create, or a patch naming scope or scope_on); otherwise
-- the plan keeps the province row it has.
CREATE FUNCTION lib.plan_from(p jsonb, p_base plans.plans, p_rescope boolean)
RETURNS plans.plans
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	r	plans.plans := p_base;
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'code', true, 40) ||
	    lib.chk_text(p, 'document', true, 100) ||
	    lib.chk_min_length(p, 'document', 2) ||
	    lib.chk_text(p, 'name', true, 500) ||
	    lib.chk_min_length(p, 'name', 2) ||
	    lib.chk_text(p, 'name_en', false, 500) ||
	    lib.chk_min_length(p, 'name_en', 2) ||
	    lib.chk_text(p, 'issued_by', false, 200) ||
	    lib.chk_min_length(p, 'issued_by', 2) ||
	    lib.chk_date(p, 'signed_on', true) ||
	    lib.chk_date(p, 'period_from', true) ||
	    lib.chk_date(p, 'period_to', true) ||
	    lib.chk_text(p, 'scope', true, 20) ||
	    lib.chk_date(p, 'scope_on', false) ||
	    lib.chk_text(p, 'note', false, 2000));
	IF upper(lib.txt(p, 'code')) !~ '^[A-Z0-9][A-Z0-9.-]{1,39}$' THEN
		PERFORM lib.fail(422, 'invalid-plan-code',
		    'Mã kế hoạch gồm 2–40 chữ in hoa, chữ số, dấu chấm hoặc gạch ngang (ví dụ QD-112-2021).',
		    'A plan code has 2–40 capital letters, digits, dots or hyphens (e.g. QD-112-2021).',
		    'code');
	END IF;
	r.code := upper(lib.txt(p, 'code'));
	r.document := lib.txt(p, 'document');
	r.name := regexp_replace(lib.txt(p, 'name'), '\s+', ' ', 'g');
	r.name_en := lib.txt(p, 'name_en');
	r.issued_by := lib.txt(p, 'issued_by');
	r.signed_on := lib.dt(p, 'signed_on');
	r.period_from := lib.dt(p, 'period_from');
	r.period_to := lib.dt(p, 'period_to');
	r.note := lib.txt(p, 'note');
	IF r.signed_on < '2000-01-01' OR r.signed_on > current_date THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Ngày ký phải từ năm 2000 đến hôm nay.',
		    'signed_on must be between 2000-01-01 and today.', 'signed_on');
	END IF;
	IF r.period_to < r.period_from THEN
		PERFORM lib.fail(422, 'end-before-start',
		    'Ngày kết thúc kỳ kế hoạch không được trước ngày bắt đầu.',
		    'period_to must not be before period_from.', 'period_to');
	END IF;
	IF p_rescope THEN
		r.province_id := lib.scope_from(p, r.signed_on);
	END IF;
	RETURN r;
END
$$;

CREATE FUNCTION lib.plan_seen(p_id bigint) RETURNS plans.plans
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	p	plans.plans;
BEGIN
	SELECT * INTO p FROM plans.plans WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM lib.not_found('kế hoạch', 'plan');
	END IF;
	RETURN p;
END
$$;

CREATE FUNCTION lib.plan_code_free(p_code text, p_self integer)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	other	integer;
BEGIN
	SELECT id INTO other FROM plans.plans
	 WHERE code = p_code AND id IS DISTINCT FROM p_self;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'plan-code-exists',
		    'Đã có kế hoạch mang mã này.',
		    'A plan with this code already exists.', 'code',
		    '/api/v1/plans/' || other);
	END IF;
END
$$;

-- Every version of the provinces with code p_code, and the provinces
-- they were formed from or merged into (geo.lineage), so that ?province=82
-- finds the plans of old Đồng Tháp (87) and old Tiền Giang (82) as well
-- as today's Đồng Tháp. 422 naming province when no province ever had
-- the code.
CREATE FUNCTION lib.province_family(p_code text) RETURNS integer[]
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	own	integer[];
	ids	integer[];
BEGIN
	SELECT array_agg(id) INTO own FROM geo.units
	 WHERE level = 'province' AND code = p_code;
	IF own IS NULL THEN
		PERFORM lib.fail(422, 'unknown-province',
		    'Không có tỉnh/thành phố nào mang mã này.',
		    'No province has ever had this code.', 'province');
	END IF;
	SELECT array_agg(DISTINCT x) INTO ids FROM (
		SELECT unnest(own) AS x
		UNION ALL
		SELECT l.new_id FROM geo.lineage l WHERE l.old_id = ANY (own)
		UNION ALL
		SELECT l.old_id FROM geo.lineage l WHERE l.new_id = ANY (own)) f;
	RETURN ids;
END
$$;

-- Plans by signing date. ?province: the national plans and those of
-- that province in any version (lib.province_family).
CREATE FUNCTION api.plans_list(p_actor bigint, p_province text,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'signed_on', 'id');
	fam	integer[];
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	IF p_province IS NOT NULL THEN
		fam := lib.province_family(p_province);
	END IF;
	IF k IS NOT NULL AND (lib.as_date(k ->> 'signed_on') IS NULL OR
	    (k ->> 'id') !~ '^[0-9]{1,9}$') THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	SELECT array_agg(lib.plan_json(p) ORDER BY p.signed_on, p.id),
	    array_agg(jsonb_build_object('signed_on', p.signed_on, 'id', p.id)
		ORDER BY p.signed_on, p.id)
	  INTO items, keys
	  FROM (SELECT * FROM plans.plans p
		 WHERE (fam IS NULL OR p.province_id IS NULL
			OR p.province_id = ANY (fam))
		   AND (k IS NULL OR (p.signed_on, p.id) >
			(lib.as_date(k ->> 'signed_on'), (k ->> 'id')::integer))
		 ORDER BY p.signed_on, p.id LIMIT n + 1) p;
	RETURN lib.page(items, keys, n);
END
$$;

-- The plan with its targets (all of them: a plan has a handful).
CREATE FUNCTION api.plan_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	plans.plans;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	p := lib.plan_seen(p_id);
	RETURN lib.plan_json(p) || jsonb_build_object('targets',
	    coalesce((SELECT jsonb_agg(lib.target_json(t)
		ORDER BY t.due_date, i.position, t.id)
		FROM plans.targets t
		JOIN plans.indicators i ON i.code = t.indicator
	       WHERE t.plan_id = p.id), '[]'));
END
$$;

CREATE FUNCTION api.plan_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	plans.plans;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	p := lib.plan_from(p_body, NULL, true);
	PERFORM lib.plan_code_free(p.code, NULL);
	INSERT INTO plans.plans (code, document, name, name_en, issued_by,
	    signed_on, period_from, period_to, province_id, note)
	VALUES (p.code, p.document, p.name, p.name_en, p.issued_by,
	    p.signed_on, p.period_from, p.period_to, p.province_id, p.note)
	RETURNING * INTO p;
	PERFORM lib.audit(me, p_via, 'plan.create', 'plan', p.id::text, NULL,
	    lib.plan_body(p));
	RETURN lib.plan_json(p);
END
$$;

-- A partial update. Its targets keep their own provinces whatever
-- happens to the plan's scope or signing day.
CREATE FUNCTION api.plan_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	plans.plans;
	p	plans.plans;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	old := lib.plan_seen(p_id);
	SELECT * INTO old FROM plans.plans WHERE id = old.id FOR UPDATE;
	p := lib.plan_from(lib.plan_body(old) || p_patch, old,
	    p_patch ? 'scope' OR p_patch ? 'scope_on');
	PERFORM lib.plan_code_free(p.code, old.id);
	UPDATE plans.plans SET code = p.code, document = p.document,
	    name = p.name, name_en = p.name_en, issued_by = p.issued_by,
	    signed_on = p.signed_on, period_from = p.period_from,
	    period_to = p.period_to, province_id = p.province_id,
	    note = p.note, updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO p;
	PERFORM lib.audit_changes(me, p_via, 'plan.update', 'plan',
	    p.id::text, lib.plan_body(old), lib.plan_body(p));
	RETURN lib.plan_json(p);
END
$$;

-- =====================================================================
-- Targets.

-- The shape every target is answered in, here and in the indicator
-- reports (80_indicators.sql). threshold is a JSON number without
-- trailing zeros (60, not 60.00).
CREATE FUNCTION lib.target_json(t plans.targets) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', t.id, 'plan_id', t.plan_id,
	    'plan_code', p.code,
	    'indicator', jsonb_build_object('code', i.code,
		'name_vi', i.name_vi, 'name_en', i.name_en, 'unit', i.unit,
		'kind', i.kind),
	    'scope', lib.scope_text(t.province_id),
	    'province', lib.scope_province_json(t.province_id),
	    'phase', t.phase, 'due_date', t.due_date,
	    'threshold', trim_scale(t.threshold),
	    'baseline_date', t.baseline_date, 'source', t.source,
	    'unconfirmed', t.unconfirmed, 'note', t.note,
	    'created_at', t.created_at, 'updated_at', t.updated_at)
	  FROM plans.plans p, plans.indicators i
	 WHERE p.id = t.plan_id AND i.code = t.indicator
$$;

CREATE FUNCTION lib.target_body(t plans.targets) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('indicator', t.indicator,
	    'scope', lib.scope_text(t.province_id),
	    'province_id', t.province_id, 'phase', t.phase,
	    'due_date', t.due_date, 'threshold', trim_scale(t.threshold),
	    'baseline_date', t.baseline_date, 'source', t.source,
	    'unconfirmed', t.unconfirmed, 'note', t.note)
$$;

-- Checks a whole target record of plan p_plan and returns the row to
-- store, or fails with 422 on the first problem:
--   indicator      one of plans.indicators;
--   scope          resolved (lib.scope_from, on scope_on or the plan's
--                  signing day) when p_rescope; absent, it is the plan's
--                  own scope, the very province row the plan names;
--   threshold      ≥ 0, and ≤ 100 for a share in percent;
--   baseline_date  given exactly when the indicator needs one (growth,
--                  people trained since), and before due_date.
CREATE FUNCTION lib.target_from(p jsonb, p_base plans.targets,
    p_plan plans.plans, p_rescope boolean) RETURNS plans.targets
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t	plans.targets := p_base;
	ind	plans.indicators;
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'indicator', true, 63) ||
	    lib.chk_text(p, 'scope', false, 20) ||
	    lib.chk_date(p, 'scope_on', false) ||
	    lib.chk_text(p, 'phase', false, 60) ||
	    lib.chk_date(p, 'due_date', true) ||
	    lib.chk_num(p, 'threshold', true, true, 0, 9999999999.99, false,
		'Ngưỡng là số không âm.', 'threshold must not be negative.') ||
	    lib.chk_date(p, 'baseline_date', false) ||
	    lib.chk_text(p, 'source', true, 500) ||
	    lib.chk_min_length(p, 'source', 2) ||
	    lib.chk_bool(p, 'unconfirmed', false) ||
	    lib.chk_text(p, 'note', false, 2000));
	SELECT * INTO ind FROM plans.indicators
	 WHERE code = lib.txt(p, 'indicator');
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-indicator',
		    'Không có chỉ số với mã này (xem GET /api/v1/indicators/definitions).',
		    'No indicator has this code (see GET /api/v1/indicators/definitions).',
		    'indicator');
	END IF;
	t.plan_id := p_plan.id;
	t.indicator := ind.code;
	IF p_rescope THEN
		t.province_id := CASE WHEN lib.present(p, 'scope')
		    THEN lib.scope_from(p, p_plan.signed_on)
		    ELSE p_plan.province_id END;
	END IF;
	t.phase := lib.txt(p, 'phase');
	t.due_date := lib.dt(p, 'due_date');
	t.threshold := round(lib.num(p, 'threshold', true), 2);
	t.baseline_date := lib.dt(p, 'baseline_date');
	t.source := lib.txt(p, 'source');
	t.unconfirmed := coalesce((p ->> 'unconfirmed')::boolean, false);
	t.note := lib.txt(p, 'note');
	IF ind.kind = 'share' AND ind.unit = 'percent' AND t.threshold > 100 THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Chỉ số này là một tỷ lệ: ngưỡng từ 0 đến 100 (%).',
		    'This indicator is a share: the threshold is 0 to 100 (%).',
		    'threshold');
	END IF;
	IF ind.needs_baseline AND t.baseline_date IS NULL THEN
		PERFORM lib.fail(422, 'required',
		    'Chỉ số này tính so với một ngày gốc: cần baseline_date.',
		    'This indicator is measured against a baseline: baseline_date is required.',
		    'baseline_date');
	END IF;
	IF NOT ind.needs_baseline AND t.baseline_date IS NOT NULL THEN
		PERFORM lib.fail(422, 'not-for-indicator',
		    'Chỉ số này không dùng ngày gốc: bỏ baseline_date.',
		    'This indicator takes no baseline: leave baseline_date out.',
		    'baseline_date');
	END IF;
	IF t.baseline_date >= t.due_date THEN
		PERFORM lib.fail(422, 'baseline-not-before-due',
		    'Ngày gốc phải trước hạn hoàn thành.',
		    'baseline_date must be before due_date.', 'baseline_date');
	END IF;
	RETURN t;
END
$$;

CREATE FUNCTION lib.target_seen(p_id bigint) RETURNS plans.targets
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t	plans.targets;
BEGIN
	SELECT * INTO t FROM plans.targets WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM lib.not_found('chỉ tiêu', 'target');
	END IF;
	RETURN t;
END
$$;

-- A plan's targets by due date.
CREATE FUNCTION api.plan_targets_list(p_actor bigint, p_plan bigint,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'due_date', 'id');
	p	plans.plans;
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	p := lib.plan_seen(p_plan);
	IF k IS NOT NULL AND (lib.as_date(k ->> 'due_date') IS NULL OR
	    (k ->> 'id') !~ '^[0-9]{1,9}$') THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	SELECT array_agg(lib.target_json(t) ORDER BY t.due_date, t.id),
	    array_agg(jsonb_build_object('due_date', t.due_date, 'id', t.id)
		ORDER BY t.due_date, t.id)
	  INTO items, keys
	  FROM (SELECT * FROM plans.targets t
		 WHERE t.plan_id = p.id
		   AND (k IS NULL OR (t.due_date, t.id) >
			(lib.as_date(k ->> 'due_date'), (k ->> 'id')::integer))
		 ORDER BY t.due_date, t.id LIMIT n + 1) t;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.target_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.target_json(lib.target_seen(p_id));
END
$$;

CREATE FUNCTION api.target_create(p_actor bigint, p_via text, p_plan bigint,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	plans.plans;
	t	plans.targets;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	p := lib.plan_seen(p_plan);
	t := lib.target_from(p_body, NULL, p, true);
	INSERT INTO plans.targets (plan_id, indicator, province_id, phase,
	    due_date, threshold, baseline_date, source, unconfirmed, note)
	VALUES (t.plan_id, t.indicator, t.province_id, t.phase, t.due_date,
	    t.threshold, t.baseline_date, t.source, t.unconfirmed, t.note)
	RETURNING * INTO t;
	PERFORM lib.audit(me, p_via, 'target.create', 'target', t.id::text,
	    NULL, lib.target_body(t) || jsonb_build_object('plan_id', p.id));
	RETURN lib.target_json(t);
END
$$;

-- A partial update. The province is resolved again only when the patch
-- names scope or scope_on (see lib.target_from); confirming a seeded
-- figure is {"unconfirmed": false}.
CREATE FUNCTION api.target_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	plans.targets;
	t	plans.targets;
	p	plans.plans;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	old := lib.target_seen(p_id);
	SELECT * INTO old FROM plans.targets WHERE id = old.id FOR UPDATE;
	SELECT * INTO p FROM plans.plans WHERE id = old.plan_id;
	t := lib.target_from(lib.target_body(old) || p_patch, old, p,
	    p_patch ? 'scope' OR p_patch ? 'scope_on');
	UPDATE plans.targets SET indicator = t.indicator,
	    province_id = t.province_id, phase = t.phase,
	    due_date = t.due_date, threshold = t.threshold,
	    baseline_date = t.baseline_date, source = t.source,
	    unconfirmed = t.unconfirmed, note = t.note, updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO t;
	PERFORM lib.audit_changes(me, p_via, 'target.update', 'target',
	    t.id::text, lib.target_body(old), lib.target_body(t));
	RETURN lib.target_json(t);
END
$$;

-- Removes a target; the audit row keeps what it was. Answers the target
-- as it was.
CREATE FUNCTION api.target_delete(p_actor bigint, p_via text, p_id bigint)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	t	plans.targets;
	answer	jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	t := lib.target_seen(p_id);
	SELECT * INTO t FROM plans.targets WHERE id = t.id FOR UPDATE;
	answer := lib.target_json(t);
	DELETE FROM plans.targets WHERE id = t.id;
	PERFORM lib.audit(me, p_via, 'target.delete', 'target', t.id::text,
	    lib.target_body(t) || jsonb_build_object('plan_id', t.plan_id),
	    NULL);
	RETURN answer;
END
$$;

-- =====================================================================
-- Base salaries.

-- A base salary, with effective_to (the day before the next one takes
-- over; null for the newest) and in_force: whether it is the one in
-- force on p_day.
CREATE FUNCTION lib.base_salary_json(b plans.base_salaries, p_day date)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('effective_from', b.effective_from,
	    'effective_to', (SELECT min(effective_from) - 1
		FROM plans.base_salaries WHERE effective_from > b.effective_from),
	    'amount_vnd', b.amount_vnd, 'source', b.source,
	    'unconfirmed', b.unconfirmed,
	    'in_force', b.effective_from = (SELECT max(effective_from)
		FROM plans.base_salaries WHERE effective_from <= p_day),
	    'created_at', b.created_at)
$$;

CREATE FUNCTION lib.base_salary_body(b plans.base_salaries) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object('effective_from', b.effective_from,
	    'amount_vnd', b.amount_vnd, 'source', b.source,
	    'unconfirmed', b.unconfirmed)
$$;

CREATE FUNCTION lib.base_salary_from(p jsonb, p_base plans.base_salaries)
RETURNS plans.base_salaries
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	b	plans.base_salaries := p_base;
BEGIN
	PERFORM lib.fail_first(lib.chk_date(p, 'effective_from', true) ||
	    lib.chk_num(p, 'amount_vnd', true, true, 1, 1000000000, true,
		'Mức lương là số nguyên đồng từ 1 đến 1.000.000.000.',
		'amount_vnd is a whole number of đồng from 1 to 1,000,000,000.') ||
	    lib.chk_text(p, 'source', true, 300) ||
	    lib.chk_min_length(p, 'source', 2) ||
	    lib.chk_bool(p, 'unconfirmed', false));
	b.effective_from := lib.dt(p, 'effective_from');
	IF b.effective_from < '2000-01-01' THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Ngày áp dụng phải từ năm 2000.',
		    'effective_from must be 2000-01-01 or later.', 'effective_from');
	END IF;
	b.amount_vnd := lib.num(p, 'amount_vnd', true);
	b.source := lib.txt(p, 'source');
	b.unconfirmed := coalesce((p ->> 'unconfirmed')::boolean, false);
	RETURN b;
END
$$;

CREATE FUNCTION lib.base_salary_seen(p_day date) RETURNS plans.base_salaries
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	b	plans.base_salaries;
BEGIN
	SELECT * INTO b FROM plans.base_salaries WHERE effective_from = p_day;
	IF NOT FOUND THEN
		PERFORM lib.not_found('mức lương cơ sở áp dụng từ ngày này',
		    'base salary from this date');
	END IF;
	RETURN b;
END
$$;

-- Every base salary by date, each marked in_force on p_as_of (default
-- today), and "current": the one in force that day (null before the
-- first on record).
CREATE FUNCTION api.base_salaries_list(p_actor bigint, p_as_of date,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'effective_from');
	d	date := coalesce(p_as_of, current_date);
	after	date;
	items	jsonb[];
	keys	jsonb[];
	cur	plans.base_salaries;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	IF k IS NOT NULL THEN
		after := lib.as_date(k ->> 'effective_from');
		IF after IS NULL THEN
			PERFORM lib.fail(400, 'bad-cursor',
			    'Con trỏ phân trang không hợp lệ.',
			    'The pagination cursor is not valid.', 'cursor');
		END IF;
	END IF;
	SELECT array_agg(lib.base_salary_json(b, d) ORDER BY b.effective_from),
	    array_agg(jsonb_build_object('effective_from', b.effective_from)
		ORDER BY b.effective_from)
	  INTO items, keys
	  FROM (SELECT * FROM plans.base_salaries b
		 WHERE after IS NULL OR b.effective_from > after
		 ORDER BY b.effective_from LIMIT n + 1) b;
	SELECT * INTO cur FROM plans.base_salaries
	 WHERE effective_from <= d ORDER BY effective_from DESC LIMIT 1;
	RETURN (lib.page(items, keys, n)::jsonb || jsonb_build_object(
	    'as_of', d,
	    'current', CASE WHEN cur.effective_from IS NOT NULL
		THEN lib.base_salary_json(cur, d) END))::json;
END
$$;

CREATE FUNCTION api.base_salary_get(p_actor bigint, p_day date) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.base_salary_json(lib.base_salary_seen(p_day), current_date);
END
$$;

-- A new base salary from a date; a date already on record is 409 (change
-- it with PATCH instead).
CREATE FUNCTION api.base_salary_create(p_actor bigint, p_via text,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	b	plans.base_salaries;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	b := lib.base_salary_from(p_body, NULL);
	IF EXISTS (SELECT FROM plans.base_salaries
	    WHERE effective_from = b.effective_from) THEN
		PERFORM lib.fail_link(409, 'base-salary-exists',
		    'Đã có mức lương cơ sở áp dụng từ ngày này.',
		    'A base salary from this date is already on record.',
		    'effective_from', '/api/v1/base-salaries/' || b.effective_from);
	END IF;
	INSERT INTO plans.base_salaries (effective_from, amount_vnd, source,
	    unconfirmed)
	VALUES (b.effective_from, b.amount_vnd, b.source, b.unconfirmed)
	RETURNING * INTO b;
	PERFORM lib.audit(me, p_via, 'base_salary.create', 'base_salary',
	    b.effective_from::text, NULL, lib.base_salary_body(b));
	RETURN lib.base_salary_json(b, current_date);
END
$$;

-- Corrects the amount, source or flag of the base salary from p_day (the
-- date is its key and does not change).
CREATE FUNCTION api.base_salary_update(p_actor bigint, p_via text,
    p_day date, p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	plans.base_salaries;
	b	plans.base_salaries;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	old := lib.base_salary_seen(p_day);
	SELECT * INTO old FROM plans.base_salaries
	 WHERE effective_from = old.effective_from FOR UPDATE;
	b := lib.base_salary_from(lib.base_salary_body(old) ||
	    (p_patch - 'effective_from'), old);
	UPDATE plans.base_salaries SET amount_vnd = b.amount_vnd,
	    source = b.source, unconfirmed = b.unconfirmed
	 WHERE effective_from = old.effective_from
	RETURNING * INTO b;
	PERFORM lib.audit_changes(me, p_via, 'base_salary.update',
	    'base_salary', b.effective_from::text, lib.base_salary_body(old),
	    lib.base_salary_body(b));
	RETURN lib.base_salary_json(b, current_date);
END
$$;
