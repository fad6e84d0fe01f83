-- National geography: provinces and communes as they are today or were on
-- any date, and the lineage that links the units before the 2025 reform to
-- today's. Readable by every signed-in user.

CREATE FUNCTION api.provinces_list(p_actor bigint, p_as_of date,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	d	date := coalesce(p_as_of, current_date);
	n	integer := lib.limit_ok(p_limit, 100);
	after	text := lib.cursor_in(p_cursor, 'code') ->> 'code';
	items	jsonb[];
	keys	jsonb[];
BEGIN
	SELECT array_agg(lib.unit_json(u) ORDER BY u.code),
	    array_agg(jsonb_build_object('code', u.code) ORDER BY u.code)
	  INTO items, keys
	  FROM (SELECT * FROM geo.units u
		 WHERE u.level = 'province'
		   AND (u.valid_from IS NULL OR u.valid_from <= d)
		   AND (u.valid_to IS NULL OR u.valid_to >= d)
		   AND (after IS NULL OR u.code > after)
		 ORDER BY u.code LIMIT n + 1) u;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.province_get(p_actor bigint, p_code text, p_as_of date)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	geo.units := lib.unit_version('province', p_code, p_as_of);
BEGIN
	IF p.id IS NULL THEN
		PERFORM lib.not_found('tỉnh/thành phố', 'province');
	END IF;
	RETURN (lib.unit_json(p) || jsonb_build_object(
	    'communes', (SELECT count(*) FROM geo.units c
		LEFT JOIN geo.units d ON d.id = c.parent_id AND d.level = 'district'
		WHERE c.level = 'commune' AND coalesce(d.parent_id, c.parent_id) = p.id),
	    'predecessors', coalesce((SELECT jsonb_agg(lib.unit_json(o) ORDER BY o.code)
		FROM geo.lineage l JOIN geo.units o ON o.id = l.old_id
		WHERE l.new_id = p.id), '[]'),
	    'successor', (SELECT lib.unit_json(s) FROM geo.lineage l
		JOIN geo.units s ON s.id = l.new_id WHERE l.old_id = p.id)))::json;
END
$$;

CREATE FUNCTION api.communes_list(p_actor bigint, p_province text,
    p_as_of date, p_q text, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	d	date := coalesce(p_as_of, current_date);
	p	geo.units := lib.unit_at('province', p_province, d);
	n	integer := lib.limit_ok(p_limit, 1000);
	cur	jsonb := lib.cursor_in(p_cursor, 'name', 'code');
	q	text := lib.contains(p_q);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	IF p.id IS NULL THEN
		PERFORM lib.not_found('tỉnh/thành phố vào ngày này',
		    'province on that date');
	END IF;
	SELECT array_agg(lib.unit_json(c) ORDER BY c.name, c.code),
	    array_agg(jsonb_build_object('name', c.name, 'code', c.code)
		ORDER BY c.name, c.code)
	  INTO items, keys
	  FROM (SELECT c.* FROM geo.units c
		LEFT JOIN geo.units dist ON dist.id = c.parent_id
		    AND dist.level = 'district'
		 WHERE c.level = 'commune'
		   AND coalesce(dist.parent_id, c.parent_id) = p.id
		   AND (p_q IS NULL OR c.search LIKE q OR c.code = btrim(p_q))
		   AND (cur IS NULL OR (c.name, c.code) >
			(cur ->> 'name' COLLATE "vi-x-icu", cur ->> 'code'))
		 ORDER BY c.name, c.code LIMIT n + 1) c;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.commune_get(p_actor bigint, p_code text, p_as_of date)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	c	geo.units := lib.unit_version('commune', p_code, p_as_of);
	dist	geo.units;
	prov	geo.units;
BEGIN
	IF c.id IS NULL THEN
		PERFORM lib.not_found('xã/phường', 'commune');
	END IF;
	SELECT * INTO dist FROM geo.units WHERE id = c.parent_id AND level = 'district';
	SELECT * INTO prov FROM geo.units
	 WHERE id = coalesce(dist.parent_id, c.parent_id);
	RETURN (lib.unit_json(c) || jsonb_build_object(
	    'province', lib.unit_json(prov) - 'name_en',
	    'district', CASE WHEN dist.id IS NOT NULL
		THEN lib.unit_json(dist) - 'name_en' END,
	    'formed_from', coalesce((SELECT jsonb_agg(lib.unit_json(o) ||
		jsonb_build_object('partial', l.partial, 'method', l.method)
		ORDER BY o.name, o.code)
		FROM geo.lineage l JOIN geo.units o ON o.id = l.old_id
		WHERE l.new_id = c.id), '[]'),
	    'became', coalesce((SELECT jsonb_agg(lib.unit_json(s) ||
		jsonb_build_object('partial', l.partial, 'method', l.method)
		ORDER BY s.name, s.code)
		FROM geo.lineage l JOIN geo.units s ON s.id = l.new_id
		WHERE l.old_id = c.id), '[]')))::json;
END
$$;

-- How much of the pre-reform commune map the lineage covers.
CREATE FUNCTION api.lineage_stats(p_actor bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	total	integer;
	matched	integer;
BEGIN
	SELECT count(*) INTO total FROM geo.units
	 WHERE level = 'commune' AND valid_to = '2025-06-30';
	SELECT count(DISTINCT l.old_id) INTO matched FROM geo.lineage l
	  JOIN geo.units o ON o.id = l.old_id AND o.level = 'commune';
	RETURN json_build_object('old_communes', total, 'matched', matched,
	    'matched_percent', round(100.0 * matched / nullif(total, 0), 2),
	    'unresolved_open', (SELECT count(*) FROM geo.lineage_unresolved
		WHERE resolved_at IS NULL),
	    'manual_links', (SELECT count(*) FROM geo.lineage
		WHERE method = 'manual'));
END
$$;

CREATE FUNCTION api.lineage_unresolved(p_actor bigint, p_province text,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT array_agg(jsonb_build_object('id', r.id,
		'commune', lib.unit_json(c), 'province', p.code,
		'fragment', r.fragment, 'reason', r.reason,
		'candidates', coalesce((SELECT jsonb_agg(lib.unit_json(o) ORDER BY o.code)
		    FROM geo.units o WHERE o.level = 'commune'
		    AND o.valid_to = '2025-06-30' AND o.code = ANY (r.candidates)), '[]'),
		'source_text', r.source_text) ORDER BY r.id),
	    array_agg(jsonb_build_object('id', r.id) ORDER BY r.id)
	  INTO items, keys
	  FROM (SELECT r.* FROM geo.lineage_unresolved r
		  JOIN geo.units c ON c.id = r.new_id
		  JOIN geo.units p ON p.id = c.parent_id
		 WHERE r.resolved_at IS NULL
		   AND (p_province IS NULL OR p.code = p_province)
		   AND (after IS NULL OR r.id > after)
		 ORDER BY r.id LIMIT n + 1) r
	  JOIN geo.units c ON c.id = r.new_id
	  JOIN geo.units p ON p.id = c.parent_id;
	RETURN lib.page(items, keys, n);
END
$$;

-- An administrator's hand mapping of an old commune to a current one;
-- optionally closes the unresolved item it answers.
CREATE FUNCTION api.lineage_link(p_actor bigint, p_via text, p_old_code text,
    p_new_code text, p_partial boolean, p_unresolved_id integer) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	o	geo.units;
	c	geo.units;
	r	geo.lineage_unresolved;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT * INTO o FROM geo.units WHERE level = 'commune'
	   AND code = p_old_code AND valid_to = '2025-06-30';
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-old-commune',
		    'Không có xã/phường trước sắp xếp với mã này.',
		    'No pre-reform commune has this code.', 'old_code');
	END IF;
	SELECT * INTO c FROM geo.units WHERE level = 'commune'
	   AND code = p_new_code AND valid_from = '2025-07-01';
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-commune',
		    'Không có xã/phường hiện hành với mã này.',
		    'No current commune has this code.', 'new_code');
	END IF;
	IF p_unresolved_id IS NOT NULL THEN
		SELECT * INTO r FROM geo.lineage_unresolved
		 WHERE id = p_unresolved_id FOR UPDATE;
		IF NOT FOUND OR r.new_id <> c.id THEN
			PERFORM lib.fail(422, 'unknown-unresolved',
			    'Mục chưa ghép không tồn tại hoặc thuộc xã/phường khác.',
			    'No such unresolved item for this commune.',
			    'unresolved_id');
		END IF;
		UPDATE geo.lineage_unresolved SET resolved_at = now(),
		    resolved_by = me.id WHERE id = r.id;
	END IF;
	IF EXISTS (SELECT FROM geo.lineage WHERE old_id = o.id AND new_id = c.id) THEN
		PERFORM lib.fail(409, 'link-exists',
		    'Liên kết này đã có.', 'This link already exists.', 'old_code');
	END IF;
	INSERT INTO geo.lineage (old_id, new_id, partial, method, created_by)
	VALUES (o.id, c.id, coalesce(p_partial, false), 'manual', me.id);
	PERFORM lib.audit(me, p_via, 'create', 'lineage',
	    o.code || '>' || c.code, NULL, jsonb_build_object('old_code', o.code,
	    'new_code', c.code, 'partial', coalesce(p_partial, false),
	    'unresolved_id', p_unresolved_id));
	RETURN api.commune_get(p_actor, c.code, NULL);
END
$$;
