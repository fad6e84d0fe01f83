-- Training institutions (seed rows for now). Scoped: a registrar sees only
-- its own institution, an officer or provincial steering member those of
-- their province; anything else is 404.

CREATE FUNCTION lib.institution_json(i org.institutions) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', i.id, 'code', i.code, 'name', i.name,
	    'name_en', i.name_en, 'kind', i.kind,
	    'province', (SELECT jsonb_build_object('code', p.code, 'name', p.name)
		FROM geo.units p WHERE p.id = i.province_id))
$$;

CREATE FUNCTION api.institutions_list(p_actor bigint, p_cursor text,
    p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	SELECT array_agg(lib.institution_json(i) ORDER BY i.id),
	    array_agg(jsonb_build_object('id', i.id) ORDER BY i.id)
	  INTO items, keys
	  FROM (SELECT * FROM org.institutions i
		 WHERE lib.sees_institution(me, i)
		   AND (after IS NULL OR i.id > after)
		 ORDER BY i.id LIMIT n + 1) i;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.institution_get(p_actor bigint, p_id integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	i	org.institutions;
BEGIN
	SELECT * INTO i FROM org.institutions WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_institution(me, i) THEN
		PERFORM lib.not_found('cơ sở đào tạo', 'institution');
	END IF;
	RETURN lib.institution_json(i);
END
$$;
