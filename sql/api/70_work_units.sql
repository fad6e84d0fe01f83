-- Work units: the commune committees, offices, centres, facilities,
-- schools and hospitals where social work is done. Officers manage the
-- units of their own province; steering committees read them; a unit is
-- closed, never deleted, and keeps the communes it sat in.

CREATE FUNCTION lib.writes_province(u auth.users, p_province_id integer)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(u.role = 'admin' OR
	    (u.role = 'hr_officer' AND u.province_id = p_province_id), false)
$$;

CREATE FUNCTION lib.require_writes(u auth.users, p_province_id integer,
    p_field text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF NOT lib.writes_province(u, p_province_id) THEN
		PERFORM lib.fail(403, 'out-of-scope',
		    'Bạn chỉ được ghi dữ liệu của tỉnh/thành phố mình.',
		    'You may only write records of your own province.', p_field);
	END IF;
END
$$;

-- The province code a list is filtered by: officers and provincial
-- steering are held to their own whatever they ask for (asking for
-- another is a 403, not an empty list).
CREATE FUNCTION lib.scope_province(u auth.users, p_code text) RETURNS integer
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	pid	integer;
BEGIN
	IF p_code IS NOT NULL THEN
		pid := (lib.current_province(p_code, 'province')).id;
		IF NOT lib.sees_province(u, pid) THEN
			PERFORM lib.fail(403, 'out-of-scope',
			    'Tỉnh/thành phố này nằm ngoài phạm vi của bạn.',
			    'This province is outside your scope.', 'province');
		END IF;
		RETURN pid;
	END IF;
	IF u.role IN ('hr_officer', 'steering') THEN
		RETURN u.province_id;
	END IF;
	RETURN NULL;
END
$$;

-- A current commune by code; 422 naming p_field otherwise.
CREATE FUNCTION lib.current_commune(p_code text, p_field text)
RETURNS geo.units
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c	geo.units;
BEGIN
	SELECT * INTO c FROM geo.units
	 WHERE level = 'commune' AND code = p_code AND valid_to IS NULL;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-commune',
		    'Không có xã/phường hiện hành với mã này.',
		    'No current commune has this code.', p_field);
	END IF;
	RETURN c;
END
$$;

CREATE FUNCTION lib.work_unit_json(w hr.work_units) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', w.id, 'name', w.name, 'kind', w.kind,
	    'sector', w.sector, 'ownership', w.ownership,
	    'commune_code', c.code, 'commune_name', c.name,
	    'province_code', p.code, 'province_name', p.name,
	    'opened_on', w.opened_on, 'closed_on', w.closed_on,
	    'created_at', w.created_at, 'updated_at', w.updated_at)
	  FROM geo.units c, geo.units p
	 WHERE c.id = w.commune_id AND p.id = w.province_id
$$;

CREATE FUNCTION lib.work_unit_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
	SELECT ARRAY['commune_committee', 'commune_office', 'sw_centre',
	    'protection_public', 'protection_private', 'rehab_centre', 'shelter',
	    'school', 'hospital', 'police_justice', 'mass_org', 'other']
$$;

-- The sector and ownership a kind implies, used when the body omits them.
CREATE FUNCTION lib.kind_sector(p_kind text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE p_kind
	    WHEN 'commune_committee' THEN 'administration'
	    WHEN 'school' THEN 'education'
	    WHEN 'hospital' THEN 'health'
	    WHEN 'police_justice' THEN 'justice'
	    WHEN 'mass_org' THEN 'mass_org'
	    WHEN 'other' THEN 'other'
	    ELSE 'social_protection' END
$$;

-- Checks a whole work-unit record (a create body, or the current record
-- with a patch applied) and returns the row to store, or fails with 422
-- on the first problem.
CREATE FUNCTION lib.work_unit_from(p jsonb, p_base hr.work_units)
RETURNS hr.work_units
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	w	hr.work_units := p_base;
	c	geo.units;
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'name', true, 300) ||
	    lib.chk_code(p, 'kind', true, lib.work_unit_kinds(), '{}') ||
	    lib.chk_code(p, 'sector', false, ARRAY['administration',
		'social_protection', 'health', 'education', 'justice',
		'mass_org', 'other'], '{}') ||
	    lib.chk_code(p, 'ownership', false, ARRAY['public', 'non_public'],
		'{}') ||
	    lib.chk_text(p, 'commune_code', true, 5) ||
	    lib.chk_date(p, 'opened_on', false) ||
	    lib.chk_date(p, 'closed_on', false));
	IF length(lib.txt(p, 'name')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên đơn vị phải có ít nhất 2 ký tự.',
		    'A unit''s name has at least 2 characters.', 'name');
	END IF;
	w.name := lib.txt(p, 'name');
	w.kind := lib.txt(p, 'kind');
	w.sector := coalesce(lib.txt(p, 'sector'), lib.kind_sector(w.kind));
	w.ownership := coalesce(lib.txt(p, 'ownership'),
	    CASE w.kind WHEN 'protection_private' THEN 'non_public'
		ELSE 'public' END);
	c := lib.current_commune(lib.txt(p, 'commune_code'), 'commune_code');
	w.commune_id := c.id;
	w.province_id := c.parent_id;
	w.opened_on := lib.dt(p, 'opened_on');
	w.closed_on := lib.dt(p, 'closed_on');
	IF w.ownership = 'public' AND w.kind = 'protection_private' OR
	    w.ownership = 'non_public' AND w.kind IN ('protection_public',
		'commune_committee', 'commune_office') THEN
		PERFORM lib.fail(422, 'ownership-mismatch',
		    'Hình thức sở hữu không khớp với loại đơn vị.',
		    'The ownership does not match the kind of unit.', 'ownership');
	END IF;
	IF w.closed_on < w.opened_on THEN
		PERFORM lib.fail(422, 'closed-before-opened',
		    'Ngày đóng cửa phải sau ngày thành lập.',
		    'closed_on must not be before opened_on.', 'closed_on');
	END IF;
	RETURN w;
END
$$;

CREATE FUNCTION lib.work_unit_body(w hr.work_units) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.work_unit_json(w) - 'id' - 'commune_name' - 'province_code'
	    - 'province_name' - 'created_at' - 'updated_at'
$$;

-- A unit the actor may see, or 404 (out of scope looks the same as absent).
CREATE FUNCTION lib.work_unit_seen(me auth.users, p_id bigint)
RETURNS hr.work_units
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	w	hr.work_units;
BEGIN
	SELECT * INTO w FROM hr.work_units WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_province(me, w.province_id) THEN
		PERFORM lib.not_found('đơn vị công tác', 'work unit');
	END IF;
	RETURN w;
END
$$;

CREATE FUNCTION api.work_units_list(p_actor bigint, p_province text,
    p_commune text, p_kind text, p_q text, p_open_on date, p_cursor text,
    p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	pid	integer;
	cid	integer;
	k	jsonb := lib.cursor_in(p_cursor, 'name', 'id');
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	pid := lib.scope_province(me, p_province);
	IF p_commune IS NOT NULL THEN
		cid := (lib.current_commune(p_commune, 'commune')).id;
	END IF;
	IF p_kind IS NOT NULL AND NOT p_kind = ANY (lib.work_unit_kinds()) THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'Loại đơn vị không hợp lệ.', 'Unknown kind of work unit.', 'kind');
	END IF;
	SELECT array_agg(lib.work_unit_json(w) ORDER BY w.name, w.id),
	    array_agg(jsonb_build_object('name', w.name, 'id', w.id)
		ORDER BY w.name, w.id)
	  INTO items, keys
	  FROM (SELECT * FROM hr.work_units w
		 WHERE (pid IS NULL OR w.province_id = pid)
		   AND (cid IS NULL OR w.commune_id = cid)
		   AND (p_kind IS NULL OR w.kind = p_kind)
		   AND (p_q IS NULL OR w.search LIKE lib.contains(p_q))
		   AND (p_open_on IS NULL OR
			((w.opened_on IS NULL OR w.opened_on <= p_open_on) AND
			 (w.closed_on IS NULL OR w.closed_on >= p_open_on)))
		   AND (k IS NULL OR (w.name, w.id) >
			((k ->> 'name') COLLATE "vi-x-icu", (k ->> 'id')::integer))
		 ORDER BY w.name, w.id LIMIT n + 1) w;
	RETURN lib.page(items, keys, n);
END
$$;

-- One unit, with the communes it sat in and who works there today.
CREATE FUNCTION api.work_unit_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	w	hr.work_units;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	w := lib.work_unit_seen(me, p_id);
	RETURN lib.work_unit_json(w) || jsonb_build_object(
	    'places', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'commune_code', c.code, 'commune_name', c.name,
		'from', lower(pl.valid), 'to', upper(pl.valid) - 1,
		'reason', pl.reason) ORDER BY lower(pl.valid) NULLS FIRST), '[]')
		FROM hr.work_unit_places pl JOIN geo.units c ON c.id = pl.commune_id
		WHERE pl.work_unit_id = w.id),
	    'staff_today', (SELECT jsonb_build_object('people',
		count(DISTINCT a.person_id), 'fte', coalesce(sum(a.fte), 0))
		FROM hr.assignments a WHERE a.work_unit_id = w.id
		AND a.span @> current_date AND a.category <> 'volunteer'));
END
$$;

CREATE FUNCTION api.work_unit_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	w	hr.work_units;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	w := lib.work_unit_from(p_body, NULL);
	PERFORM lib.require_writes(me, w.province_id, 'commune_code');
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id, opened_on, closed_on)
	VALUES (w.name, w.kind, w.sector, w.ownership, w.commune_id,
	    w.province_id, w.opened_on, w.closed_on)
	RETURNING * INTO w;
	INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	VALUES (w.id, w.commune_id, daterange(w.opened_on, NULL), 'created');
	PERFORM lib.audit(me, p_via, 'work_unit.create', 'work_unit',
	    w.id::text, NULL, lib.work_unit_body(w));
	RETURN lib.work_unit_json(w);
END
$$;

-- Moves a unit to another commune from p_on, keeping where it was.
CREATE FUNCTION lib.work_unit_move(p_id integer, p_commune_id integer,
    p_on date, p_reason text) RETURNS void
LANGUAGE sql
AS $$
	DELETE FROM hr.work_unit_places
	 WHERE work_unit_id = p_id AND NOT lower_inf(valid) AND lower(valid) >= p_on;
	UPDATE hr.work_unit_places SET valid = daterange(lower(valid), p_on)
	 WHERE work_unit_id = p_id AND valid @> p_on;
	INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	VALUES (p_id, p_commune_id, daterange(p_on, NULL), p_reason);
	UPDATE hr.work_units u SET commune_id = p_commune_id,
	    province_id = c.parent_id, updated_at = now()
	  FROM geo.units c WHERE u.id = p_id AND c.id = p_commune_id;
$$;

CREATE FUNCTION api.work_unit_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	hr.work_units;
	w	hr.work_units;
	d	record;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.work_unit_seen(me, p_id);
	PERFORM lib.require_writes(me, old.province_id, NULL);
	SELECT * INTO old FROM hr.work_units WHERE id = old.id FOR UPDATE;
	w := lib.work_unit_from(lib.work_unit_body(old) || p_patch, old);
	PERFORM lib.require_writes(me, w.province_id, 'commune_code');
	IF w.commune_id <> old.commune_id THEN
		PERFORM lib.work_unit_move(w.id, w.commune_id, current_date, 'moved');
	END IF;
	UPDATE hr.work_units SET name = w.name, kind = w.kind, sector = w.sector,
	    ownership = w.ownership, opened_on = w.opened_on,
	    closed_on = w.closed_on, updated_at = now()
	 WHERE id = w.id
	RETURNING * INTO w;
	d := lib.changed(lib.work_unit_body(old), lib.work_unit_body(w));
	IF d.after <> '{}' THEN
		PERFORM lib.audit(me, p_via, 'work_unit.update', 'work_unit',
		    w.id::text, d.before, d.after);
	END IF;
	RETURN lib.work_unit_json(w);
END
$$;

-- Closing a unit that still has staff after the closing day would leave
-- spells in a unit that no longer exists: end or transfer them first.
CREATE FUNCTION api.work_unit_close(p_actor bigint, p_via text, p_id bigint,
    p_closed_on date) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	w	hr.work_units;
	open_spells integer;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	w := lib.work_unit_seen(me, p_id);
	PERFORM lib.require_writes(me, w.province_id, NULL);
	IF p_closed_on IS NULL THEN
		PERFORM lib.fail(422, 'required', 'Cần ngày đóng cửa.',
		    'closed_on is required.', 'closed_on');
	END IF;
	IF w.closed_on IS NOT NULL THEN
		PERFORM lib.fail(409, 'already-closed', 'Đơn vị đã đóng cửa.',
		    'The unit is already closed.', 'closed_on');
	END IF;
	IF p_closed_on < w.opened_on THEN
		PERFORM lib.fail(422, 'closed-before-opened',
		    'Ngày đóng cửa phải sau ngày thành lập.',
		    'closed_on must not be before opened_on.', 'closed_on');
	END IF;
	SELECT count(*) INTO open_spells FROM hr.assignments
	 WHERE work_unit_id = w.id AND (end_date IS NULL OR end_date > p_closed_on);
	IF open_spells > 0 THEN
		PERFORM lib.fail(409, 'unit-has-staff',
		    format('Đơn vị còn %s phân công kéo dài sau ngày đóng cửa; hãy kết thúc hoặc điều chuyển trước.', open_spells),
		    format('%s assignments run past the closing day; end or transfer them first.', open_spells),
		    'closed_on');
	END IF;
	UPDATE hr.work_units SET closed_on = p_closed_on, updated_at = now()
	 WHERE id = w.id RETURNING * INTO w;
	-- A closure recorded late may fall before a later move: the unit
	-- never sat where it was moved to.
	DELETE FROM hr.work_unit_places
	 WHERE work_unit_id = w.id AND lower(valid) > p_closed_on;
	UPDATE hr.work_unit_places
	   SET valid = daterange(lower(valid), p_closed_on, '[]')
	 WHERE work_unit_id = w.id AND valid @> p_closed_on;
	PERFORM lib.audit(me, p_via, 'work_unit.close', 'work_unit', w.id::text,
	    NULL, jsonb_build_object('closed_on', p_closed_on));
	RETURN lib.work_unit_json(w);
END
$$;

-- After a boundary change, moves every open unit whose commune has been
-- retired onto its successor. A commune split into several new ones
-- cannot be followed by rule; those units are listed for a person to move.
CREATE FUNCTION api.work_units_remap(p_actor bigint, p_via text)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	r	record;
	moved	integer := 0;
	stuck	jsonb := '[]';
BEGIN
	PERFORM lib.require_role(me, 'admin');
	FOR r IN SELECT w.id, w.commune_id, c.code, c.valid_to,
		    array_agg(l.new_id) FILTER (WHERE l.new_id IS NOT NULL
			AND n.valid_to IS NULL) AS successors
		   FROM hr.work_units w
		   JOIN geo.units c ON c.id = w.commune_id
		   LEFT JOIN geo.lineage l ON l.old_id = c.id
		   LEFT JOIN geo.units n ON n.id = l.new_id
		  WHERE c.valid_to IS NOT NULL AND w.closed_on IS NULL
		  GROUP BY w.id, w.commune_id, c.code, c.valid_to LOOP
		IF cardinality(r.successors) = 1 THEN
			PERFORM lib.work_unit_move(r.id, r.successors[1],
			    r.valid_to + 1, 'remapped');
			PERFORM lib.audit(me, p_via, 'work_unit.remap', 'work_unit',
			    r.id::text, jsonb_build_object('commune_id', r.commune_id),
			    jsonb_build_object('commune_id', r.successors[1]));
			moved := moved + 1;
		ELSE
			stuck := stuck || jsonb_build_object('id', r.id,
			    'commune_code', r.code,
			    'successors', coalesce(cardinality(r.successors), 0));
		END IF;
	END LOOP;
	RETURN json_build_object('moved', moved, 'needs_manual_move', stuck);
END
$$;
