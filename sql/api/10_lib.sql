-- Helpers shared by the api functions: errors, the actor, scope, audit,
-- cursors and the JSON shapes of shared entities.

-- Every refusal goes through here. The server turns SQLSTATE RGnnn into
-- HTTP status nnn and builds the problem body from the fields: MESSAGE is
-- the Vietnamese detail, DETAIL the English one, HINT the problem code,
-- COLUMN the request field at fault.
CREATE FUNCTION lib.fail(p_status integer, p_code text, p_vi text, p_en text,
    p_field text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'RG' || p_status::text,
	    MESSAGE = p_vi, DETAIL = p_en, HINT = p_code,
	    COLUMN = coalesce(p_field, '');
END
$$;

-- A refusal that points at an existing record (a duplicate): the link
-- travels in the DATATYPE field and becomes the problem's "existing" member.
CREATE FUNCTION lib.fail_link(p_status integer, p_code text, p_vi text,
    p_en text, p_field text, p_link text) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'RG' || p_status::text,
	    MESSAGE = p_vi, DETAIL = p_en, HINT = p_code,
	    COLUMN = coalesce(p_field, ''), DATATYPE = coalesce(p_link, '');
END
$$;

-- A refusal to be retried later (429, 503): the seconds to wait travel
-- in the CONSTRAINT field and become the answer's Retry-After.
CREATE FUNCTION lib.fail_retry(p_status integer, p_code text, p_vi text,
    p_en text, p_retry_after integer) RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'RG' || p_status::text,
	    MESSAGE = p_vi, DETAIL = p_en, HINT = p_code, COLUMN = '',
	    CONSTRAINT = greatest(1, p_retry_after)::text;
END
$$;

-- The acting user, re-read on every call so that a user disabled a moment
-- ago can do nothing more.
CREATE FUNCTION lib.actor(p_actor bigint) RETURNS auth.users
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	u	auth.users;
BEGIN
	SELECT * INTO u FROM auth.users WHERE id = p_actor AND disabled_at IS NULL;
	IF NOT FOUND THEN
		PERFORM lib.fail(401, 'unauthenticated',
		    'Cần đăng nhập.', 'Authentication required.');
	END IF;
	RETURN u;
END
$$;

CREATE FUNCTION lib.require_role(u auth.users, VARIADIC p_roles text[])
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF NOT u.role = ANY (p_roles) THEN
		PERFORM lib.fail(403, 'forbidden',
		    'Vai trò của bạn không được phép thực hiện thao tác này.',
		    'Your role is not allowed to do this.');
	END IF;
END
$$;

-- Scope: may this actor see records of this (current) province? Admins and
-- national steering see every province; officers and provincial steering
-- their own; registrars none (they see their institution only).
CREATE FUNCTION lib.sees_province(u auth.users, p_province_id integer)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(CASE u.role
	    WHEN 'admin' THEN true
	    WHEN 'steering' THEN u.province_id IS NULL OR u.province_id = p_province_id
	    WHEN 'hr_officer' THEN u.province_id = p_province_id
	    ELSE false END, false)
$$;

CREATE FUNCTION lib.sees_institution(u auth.users, i org.institutions)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(CASE u.role
	    WHEN 'registrar' THEN u.institution_id = i.id
	    ELSE lib.sees_province(u, i.province_id) END, false)
$$;

CREATE FUNCTION lib.not_found(p_what_vi text, p_what_en text) RETURNS void
LANGUAGE sql
AS $$
	SELECT lib.fail(404, 'not-found', 'Không tìm thấy ' || p_what_vi || '.',
	    'No such ' || p_what_en || '.')
$$;

-- Appends to the hash-chained audit log (the chain itself is a trigger).
CREATE FUNCTION lib.audit(p_actor_id bigint, p_login text, p_role text,
    p_via text, p_action text, p_entity text, p_entity_id text,
    p_before jsonb, p_after jsonb) RETURNS void
LANGUAGE sql
AS $$
	INSERT INTO audit.log (actor_id, actor_login, actor_role, via, action,
	    entity, entity_id, before, after)
	VALUES (p_actor_id, p_login, p_role, p_via, p_action, p_entity,
	    p_entity_id, p_before, p_after)
$$;

CREATE FUNCTION lib.audit(u auth.users, p_via text, p_action text,
    p_entity text, p_entity_id text, p_before jsonb, p_after jsonb)
RETURNS void
LANGUAGE sql
AS $$
	SELECT lib.audit(u.id, u.login, u.role, p_via, p_action, p_entity,
	    p_entity_id, p_before, p_after)
$$;

-- Only the fields that changed, as {before, after}.
CREATE FUNCTION lib.changed(p_before jsonb, p_after jsonb,
    OUT before jsonb, OUT after jsonb)
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(jsonb_object_agg(k, p_before -> k) FILTER (WHERE k IS NOT NULL), '{}'),
	    coalesce(jsonb_object_agg(k, p_after -> k) FILTER (WHERE k IS NOT NULL), '{}')
	  FROM (SELECT k FROM jsonb_object_keys(p_before || p_after) AS k
		 WHERE p_before -> k IS DISTINCT FROM p_after -> k) d
$$;

-- Keyset cursors are opaque to clients: base64url of the last key.
CREATE FUNCTION lib.cursor_out(p_key jsonb) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT translate(encode(convert_to(p_key::text, 'UTF8'), 'base64'),
	    E'+/=\n', '-_')
$$;

-- Decodes a cursor and checks it has the keys a list pages by; anything
-- else is the client's error (400), never a silent first page.
CREATE FUNCTION lib.cursor_in(p_cursor text, VARIADIC p_keys text[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	b64	text;
	j	jsonb;
	k	text;
BEGIN
	IF p_cursor IS NULL THEN
		RETURN NULL;
	END IF;
	BEGIN
		b64 := translate(p_cursor, '-_', '+/');
		b64 := b64 || repeat('=', (4 - length(b64) % 4) % 4);
		j := convert_from(decode(b64, 'base64'), 'UTF8')::jsonb;
	EXCEPTION WHEN others THEN
		j := NULL;
	END;
	IF jsonb_typeof(j) IS DISTINCT FROM 'object' THEN
		j := NULL;
	ELSE
		FOREACH k IN ARRAY p_keys LOOP
			IF jsonb_typeof(j -> k) NOT IN ('string', 'number') OR
			    j -> k IS NULL THEN
				j := NULL;
				EXIT;
			END IF;
		END LOOP;
	END IF;
	IF j IS NULL THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	RETURN j;
END
$$;

-- The id a list of rows ordered by id pages from.
CREATE FUNCTION lib.cursor_id(p_cursor text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	j	jsonb := lib.cursor_in(p_cursor, 'id');
BEGIN
	IF j IS NULL THEN
		RETURN NULL;
	END IF;
	IF jsonb_typeof(j -> 'id') = 'number' AND (j ->> 'id') ~ '^[0-9]{1,18}$' THEN
		RETURN (j ->> 'id')::bigint;
	END IF;
	PERFORM lib.fail(400, 'bad-cursor', 'Con trỏ phân trang không hợp lệ.',
	    'The pagination cursor is not valid.', 'cursor');
	RETURN NULL;
END
$$;

-- A LIKE pattern matching p_q anywhere, diacritics folded, with the
-- client's % and _ taken literally.
CREATE FUNCTION lib.contains(p_q text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '%' || replace(replace(replace(public.fold(btrim(p_q)),
	    '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;

-- {"items": [...], "next_cursor": ...} from a page fetched with one row
-- more than the limit: that extra row says whether there is a next page.
CREATE FUNCTION lib.page(p_items jsonb[], p_keys jsonb[], p_limit integer)
RETURNS json
LANGUAGE sql IMMUTABLE
AS $$
	SELECT json_build_object(
	    'items', coalesce(to_json(p_items[1:p_limit]), '[]'::json),
	    'next_cursor', CASE WHEN coalesce(array_length(p_items, 1), 0) > p_limit
		THEN lib.cursor_out(p_keys[p_limit]) END)
$$;

CREATE FUNCTION lib.unit_json(u geo.units) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object('code', u.code, 'name', u.name,
	    'full_name', u.full_name, 'name_en', u.name_en, 'level', u.level,
	    'kind', u.kind, 'valid_from', u.valid_from, 'valid_to', u.valid_to)
$$;

-- The version of a unit valid on a date.
CREATE FUNCTION lib.unit_at(p_level text, p_code text, p_as_of date)
RETURNS geo.units
LANGUAGE sql STABLE
AS $$
	SELECT * FROM geo.units
	 WHERE level = p_level AND code = p_code
	   AND (valid_from IS NULL OR valid_from <= p_as_of)
	   AND (valid_to IS NULL OR valid_to >= p_as_of)
$$;

-- The version the caller means: the one valid on as_of when given,
-- otherwise the newest version of that code (so /provinces/77 still shows
-- Bà Rịa–Vũng Tàu, with its successor).
CREATE FUNCTION lib.unit_version(p_level text, p_code text, p_as_of date)
RETURNS geo.units
LANGUAGE sql STABLE
AS $$
	SELECT * FROM geo.units
	 WHERE level = p_level AND code = p_code
	   AND (p_as_of IS NULL OR ((valid_from IS NULL OR valid_from <= p_as_of)
		AND (valid_to IS NULL OR valid_to >= p_as_of)))
	 ORDER BY valid_from DESC NULLS LAST
	 LIMIT 1
$$;

CREATE FUNCTION lib.user_json(u auth.users) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', u.id, 'login', u.login,
	    'display_name', u.display_name, 'role', u.role,
	    'province', (SELECT jsonb_build_object('code', p.code, 'name', p.name)
		FROM geo.units p WHERE p.id = u.province_id),
	    'institution', (SELECT jsonb_build_object('id', i.id, 'code', i.code,
		'name', i.name) FROM org.institutions i WHERE i.id = u.institution_id),
	    'disabled', u.disabled_at IS NOT NULL, 'disabled_at', u.disabled_at,
	    'password_set_at', u.password_set_at, 'created_at', u.created_at,
	    'updated_at', u.updated_at)
$$;

CREATE FUNCTION lib.limit_ok(p_limit integer, p_max integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF p_limit IS NULL THEN
		RETURN least(100, p_max);
	END IF;
	IF p_limit < 1 OR p_limit > p_max THEN
		PERFORM lib.fail(400, 'bad-limit',
		    format('limit phải từ 1 đến %s.', p_max),
		    format('limit must be between 1 and %s.', p_max), 'limit');
	END IF;
	RETURN p_limit;
END
$$;

-- A current province by code; 422 naming p_field otherwise.
CREATE FUNCTION lib.current_province(p_code text, p_field text)
RETURNS geo.units
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	g	geo.units;
BEGIN
	SELECT * INTO g FROM geo.units
	 WHERE level = 'province' AND code = p_code AND valid_to IS NULL;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-province',
		    'Không có tỉnh/thành phố hiện hành với mã này.',
		    'No current province has this code.', p_field);
	END IF;
	RETURN g;
END
$$;

-- A list filter that must be one of p_allowed: 400 naming it otherwise.
CREATE FUNCTION lib.param_in(p_value text, p_allowed text[], p_param text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF p_value IS NOT NULL AND NOT p_value = ANY (p_allowed) THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    format('%s phải là một trong: %s.', p_param,
			array_to_string(p_allowed, ', ')),
		    format('%s must be one of: %s.', p_param,
			array_to_string(p_allowed, ', ')), p_param);
	END IF;
END
$$;

-- Audits an update with only the fields that changed (lib.changed);
-- nothing when nothing did.
CREATE FUNCTION lib.audit_changes(u auth.users, p_via text, p_action text,
    p_entity text, p_entity_id text, p_before jsonb, p_after jsonb)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	d	record := lib.changed(p_before, p_after);
BEGIN
	IF d.after <> '{}' THEN
		PERFORM lib.audit(u, p_via, p_action, p_entity, p_entity_id,
		    d.before, d.after);
	END IF;
END
$$;
