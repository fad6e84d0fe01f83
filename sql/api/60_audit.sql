-- Reading and verifying the audit log (national administrators only).

CREATE FUNCTION api.audit_list(p_actor bigint, p_actor_id bigint,
    p_entity text, p_entity_id text, p_from timestamptz, p_to timestamptz,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	before_id bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT array_agg(jsonb_build_object('id', l.id, 'at', l.at,
		'actor_id', l.actor_id, 'actor_login', l.actor_login,
		'actor_role', l.actor_role, 'via', l.via, 'action', l.action,
		'entity', l.entity, 'entity_id', l.entity_id,
		'before', l.before, 'after', l.after,
		'hash', encode(l.hash, 'hex')) ORDER BY l.id DESC),
	    array_agg(jsonb_build_object('id', l.id) ORDER BY l.id DESC)
	  INTO items, keys
	  FROM (SELECT * FROM audit.log l
		 WHERE (p_actor_id IS NULL OR l.actor_id = p_actor_id)
		   AND (p_entity IS NULL OR l.entity = p_entity)
		   AND (p_entity_id IS NULL OR l.entity_id = p_entity_id)
		   AND (p_from IS NULL OR l.at >= p_from)
		   AND (p_to IS NULL OR l.at < p_to)
		   AND (before_id IS NULL OR l.id < before_id)
		 ORDER BY l.id DESC LIMIT n + 1) l;
	RETURN lib.page(items, keys, n);
END
$$;

-- Walks the chain in id order: a row is bad when it does not point at its
-- predecessor's hash or its own hash does not match its content.
CREATE FUNCTION api.audit_verify(p_actor bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	total	bigint;
	bad	bigint;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT count(*), min(id) FILTER (WHERE NOT ok) INTO total, bad
	  FROM (SELECT l.id,
		    l.prev_hash = coalesce(lag(l.hash) OVER (ORDER BY l.id),
			decode(repeat('00', 32), 'hex'))
		    AND l.hash = public.digest(l.prev_hash ||
			convert_to(audit.content(l), 'UTF8'), 'sha256') AS ok
		  FROM audit.log l) c;
	RETURN json_build_object('ok', bad IS NULL, 'rows', total,
	    'first_bad_id', bad);
END
$$;
