-- Reading and verifying the audit log (national administrators only), and
-- the server's sealer. A transaction appends its audit rows unchained;
-- audit.seal() (0013_audit_seal.sql) chains them once committed, so
-- readers that show or check the chain seal first.

CREATE FUNCTION api.audit_list(p_actor bigint, p_actor_id bigint,
    p_entity text, p_entity_id text, p_from timestamptz, p_to timestamptz,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	before_id bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin');
	-- Each row with its hash: a row committed since is NULL until sealed.
	PERFORM audit.seal(true, NULL);
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

-- Seals every committed row, then walks the chain in seq order: a sealed
-- row is bad when it does not point at its predecessor's hash or its own
-- hash does not match its content. Rows committed after the seal began
-- are pending (not yet chained), not bad. first_bad_id is the id of the
-- first bad row in chain order.
CREATE FUNCTION api.audit_verify(p_actor bigint) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	total	bigint;
	pending	bigint;
	bad	bigint;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	PERFORM audit.seal(true, NULL);
	SELECT count(*), (array_agg(id ORDER BY seq) FILTER (WHERE NOT ok))[1]
	  INTO total, bad
	  FROM (SELECT l.id, l.seq,
		    l.prev_hash = coalesce(lag(l.hash) OVER (ORDER BY l.seq),
			decode(repeat('00', 32), 'hex'))
		    AND l.hash = public.digest(l.prev_hash ||
			convert_to(audit.content(l), 'UTF8'), 'sha256') AS ok
		  FROM audit.log l WHERE l.seq IS NOT NULL) c;
	SELECT count(*) INTO pending FROM audit.log l WHERE l.seq IS NULL;
	RETURN json_build_object('ok', bad IS NULL, 'rows', total,
	    'pending', pending, 'first_bad_id', bad);
END
$$;

-- The server's keeper (app/audit.c), in each worker about once a second:
-- chains what has been committed since, at most 10,000 rows a run (a run
-- that sealed some is followed by another at once). NULL when there was
-- nothing to seal or another worker is sealing.
CREATE FUNCTION api.audit_seal() RETURNS integer
LANGUAGE sql SECURITY DEFINER
AS $$
	SELECT nullif(audit.seal(false, 10000), 0)
$$;
