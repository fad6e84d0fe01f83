-- Accounts and API tokens, managed by national administrators. Every
-- change is audited with the fields it changed; password hashes never
-- appear in the audit log or in any response.

-- Resolves and checks the scope fields a role needs; raises 422 naming
-- the field at fault.
CREATE FUNCTION lib.user_scope(p_role text, p_province_code text,
    p_institution_id integer, OUT province_id integer,
    OUT institution_id integer)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_role IS NULL OR p_role NOT IN ('admin', 'hr_officer', 'steering',
	    'registrar') THEN
		PERFORM lib.fail(422, 'invalid-role',
		    'Vai trò phải là admin, hr_officer, steering hoặc registrar.',
		    'role must be admin, hr_officer, steering or registrar.', 'role');
	END IF;
	IF p_province_code IS NOT NULL THEN
		province_id := (lib.current_province(p_province_code,
		    'province_code')).id;
	END IF;
	IF p_institution_id IS NOT NULL THEN
		SELECT id INTO institution_id FROM org.institutions
		 WHERE id = p_institution_id;
		IF NOT FOUND THEN
			PERFORM lib.fail(422, 'unknown-institution',
			    'Không có cơ sở đào tạo với mã số này.',
			    'No training institution has this id.', 'institution_id');
		END IF;
	END IF;
	IF p_role = 'hr_officer' AND province_id IS NULL THEN
		PERFORM lib.fail(422, 'scope-required',
		    'Cán bộ nhân sự phải gắn với một tỉnh (province_code).',
		    'An hr_officer needs a province_code.', 'province_code');
	ELSIF p_role = 'registrar' AND institution_id IS NULL THEN
		PERFORM lib.fail(422, 'scope-required',
		    'Tài khoản cơ sở đào tạo phải gắn với một cơ sở (institution_id).',
		    'A registrar needs an institution_id.', 'institution_id');
	ELSIF p_role IN ('admin', 'registrar') AND province_id IS NOT NULL THEN
		PERFORM lib.fail(422, 'scope-not-allowed',
		    'Vai trò này không gắn với tỉnh.',
		    'This role takes no province_code.', 'province_code');
	ELSIF p_role <> 'registrar' AND institution_id IS NOT NULL THEN
		PERFORM lib.fail(422, 'scope-not-allowed',
		    'Chỉ tài khoản cơ sở đào tạo mới gắn với cơ sở.',
		    'Only a registrar takes an institution_id.', 'institution_id');
	END IF;
END
$$;

CREATE FUNCTION lib.user_audit_json(u auth.users) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.user_json(u) - 'created_at' - 'updated_at' - 'password_set_at'
$$;

CREATE FUNCTION api.users_list(p_actor bigint, p_q text, p_role text,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	after	text := lib.cursor_in(p_cursor, 'login') ->> 'login';
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT array_agg(lib.user_json(u) ORDER BY u.login),
	    array_agg(jsonb_build_object('login', u.login) ORDER BY u.login)
	  INTO items, keys
	  FROM (SELECT * FROM auth.users u
		 WHERE (after IS NULL OR u.login > after)
		   AND (p_role IS NULL OR u.role = p_role)
		   AND (p_q IS NULL OR u.login LIKE lib.contains(p_q)
			OR public.fold(u.display_name) LIKE lib.contains(p_q))
		 ORDER BY u.login LIMIT n + 1) u;
	RETURN lib.page(items, keys, n);
END
$$;

-- Admins read any account; everyone else only their own (others are 404,
-- so account ids do not leak).
CREATE FUNCTION api.user_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	u	auth.users;
BEGIN
	SELECT * INTO u FROM auth.users WHERE id = p_id;
	IF NOT FOUND OR (me.role <> 'admin' AND me.id <> u.id) THEN
		PERFORM lib.not_found('tài khoản', 'account');
	END IF;
	RETURN lib.user_json(u);
END
$$;

CREATE FUNCTION api.user_create(p_actor bigint, p_via text, p_login text,
    p_display_name text, p_role text, p_province_code text,
    p_institution_id integer, p_password_hash text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	scope	record;
	u	auth.users;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	IF p_login IS NULL OR p_login !~ '^[a-z0-9][a-z0-9._-]{2,62}$' THEN
		PERFORM lib.fail(422, 'invalid-login',
		    'Tên đăng nhập gồm 3–63 ký tự a-z, 0-9, dấu chấm, gạch ngang, gạch dưới.',
		    'login must be 3–63 characters of a-z, 0-9, ".", "-", "_".', 'login');
	END IF;
	IF p_display_name IS NULL OR length(btrim(p_display_name)) = 0 OR
	    length(p_display_name) > 200 OR lib.hidden_chars(p_display_name) THEN
		PERFORM lib.fail(422, 'invalid-display-name',
		    'Họ tên hiển thị phải có từ 1 đến 200 ký tự.',
		    'display_name must be 1 to 200 characters.', 'display_name');
	END IF;
	scope := lib.user_scope(p_role, p_province_code, p_institution_id);
	IF EXISTS (SELECT FROM auth.users WHERE login = p_login) THEN
		PERFORM lib.fail(409, 'login-taken', 'Tên đăng nhập đã được dùng.',
		    'This login is already taken.', 'login');
	END IF;
	INSERT INTO auth.users (login, display_name, role, province_id,
	    institution_id, password_hash)
	VALUES (p_login, normalize(btrim(p_display_name), NFC), p_role,
	    scope.province_id, scope.institution_id, p_password_hash)
	RETURNING * INTO u;
	PERFORM lib.audit(me, p_via, 'create', 'user', u.id::text, NULL,
	    lib.user_audit_json(u));
	RETURN lib.user_json(u);
END
$$;

-- Partial update. Changing the role resets the scope fields the patch does
-- not give, so {"role": "admin"} alone turns an officer into an admin.
-- An admin cannot disable or demote their own account (no lock-out).
CREATE FUNCTION api.user_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	auth.users;
	u	auth.users;
	new_role	text;
	pcode	text;
	inst	integer;
	scope	record;
	diff	record;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	-- null means "leave as is" for these; for the scope fields it clears.
	p_patch := p_patch - ARRAY(SELECT k FROM jsonb_each(p_patch) AS e (k, v)
	    WHERE v = 'null' AND k IN ('display_name', 'role', 'disabled'));
	SELECT * INTO old FROM auth.users WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lib.not_found('tài khoản', 'account');
	END IF;
	new_role := coalesce(p_patch ->> 'role', old.role);
	IF p_patch ? 'province_code' OR p_patch ? 'role' THEN
		pcode := p_patch ->> 'province_code';
	ELSE
		pcode := (SELECT code FROM geo.units WHERE id = old.province_id);
	END IF;
	IF p_patch ? 'institution_id' OR p_patch ? 'role' THEN
		inst := (p_patch ->> 'institution_id')::integer;
	ELSE
		inst := old.institution_id;
	END IF;
	scope := lib.user_scope(new_role, pcode, inst);
	IF old.id = me.id AND (new_role <> 'admin' OR
	    coalesce((p_patch ->> 'disabled')::boolean, false)) THEN
		PERFORM lib.fail(422, 'self-lockout',
		    'Không thể tự khoá hoặc hạ quyền tài khoản của chính mình.',
		    'You cannot disable or demote your own account.',
		    CASE WHEN p_patch ? 'disabled' THEN 'disabled' ELSE 'role' END);
	END IF;
	IF p_patch ? 'display_name' AND (length(btrim(p_patch ->> 'display_name'))
	    NOT BETWEEN 1 AND 200 OR lib.hidden_chars(p_patch ->> 'display_name')) THEN
		PERFORM lib.fail(422, 'invalid-display-name',
		    'Họ tên hiển thị phải có từ 1 đến 200 ký tự.',
		    'display_name must be 1 to 200 characters.', 'display_name');
	END IF;
	UPDATE auth.users SET
	    display_name = coalesce(normalize(btrim(p_patch ->> 'display_name'), NFC),
		display_name),
	    role = new_role,
	    province_id = scope.province_id,
	    institution_id = scope.institution_id,
	    disabled_at = CASE WHEN NOT p_patch ? 'disabled' THEN disabled_at
		WHEN (p_patch ->> 'disabled')::boolean
		THEN coalesce(disabled_at, now()) END,
	    updated_at = now()
	 WHERE id = p_id
	RETURNING * INTO u;
	-- Disabling ends sessions and tokens for good: re-enabling the
	-- account revives neither.
	IF u.disabled_at IS NOT NULL AND old.disabled_at IS NULL THEN
		UPDATE auth.sessions SET ended_at = now(), ended_reason = 'disabled'
		 WHERE user_id = u.id AND ended_at IS NULL;
		PERFORM lib.tokens_end(u.id, me.id, 'disabled');
	END IF;
	diff := lib.changed(lib.user_audit_json(old), lib.user_audit_json(u));
	IF diff.after <> '{}' THEN
		PERFORM lib.audit(me, p_via, 'update', 'user', u.id::text,
		    diff.before, diff.after);
	END IF;
	RETURN lib.user_json(u);
END
$$;

-- Sets a new password hash (computed by the server) and ends the user's
-- sessions and API tokens, so a reset really locks out whoever held the
-- old password or anything issued while they held it.
CREATE FUNCTION api.user_set_password(p_actor bigint, p_via text,
    p_id bigint, p_password_hash text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	u	auth.users;
	ended	integer;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	UPDATE auth.users SET password_hash = p_password_hash,
	    password_set_at = now(), updated_at = now()
	 WHERE id = p_id RETURNING * INTO u;
	IF NOT FOUND THEN
		PERFORM lib.not_found('tài khoản', 'account');
	END IF;
	UPDATE auth.sessions SET ended_at = now(), ended_reason = 'password_reset'
	 WHERE user_id = u.id AND ended_at IS NULL;
	GET DIAGNOSTICS ended = ROW_COUNT;
	PERFORM lib.audit(me, p_via, 'password_reset', 'user', u.id::text, NULL,
	    jsonb_build_object('sessions_ended', ended, 'tokens_ended',
	    lib.tokens_end(u.id, me.id, 'password_reset')));
	RETURN lib.user_json(u);
END
$$;

CREATE FUNCTION lib.token_json(t auth.tokens) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', t.id, 'user_id', t.user_id,
	    'name', t.name, 'created_at', t.created_at,
	    'created_by', t.created_by, 'last_used_at', t.last_used_at,
	    'expires_at', t.expires_at, 'revoked', t.revoked_at IS NOT NULL,
	    'revoked_at', t.revoked_at, 'ended_reason', t.ended_reason)
$$;

-- Ends the live tokens of a user ('password_reset' or 'disabled');
-- returns how many.
CREATE FUNCTION lib.tokens_end(p_user bigint, p_by bigint, p_reason text)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
	n	integer;
BEGIN
	UPDATE auth.tokens SET revoked_at = now(), revoked_by = p_by,
	    ended_reason = p_reason
	 WHERE user_id = p_user AND revoked_at IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END
$$;

-- Issues a token that lives p_expires_in_days (default 90, at most 365):
-- a machine credential is renewed on purpose, not kept forever.
CREATE FUNCTION api.token_create(p_actor bigint, p_via text, p_user_id bigint,
    p_name text, p_token_hash text, p_expires_in_days integer) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	u	auth.users;
	t	auth.tokens;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT * INTO u FROM auth.users WHERE id = p_user_id;
	IF NOT FOUND THEN
		PERFORM lib.not_found('tài khoản', 'account');
	END IF;
	IF u.disabled_at IS NOT NULL THEN
		PERFORM lib.fail(422, 'account-disabled',
		    'Không thể cấp mã truy cập cho tài khoản đã bị khoá.',
		    'Cannot issue a token to a disabled account.', 'user_id');
	END IF;
	IF p_name IS NULL OR length(btrim(p_name)) NOT BETWEEN 1 AND 100 THEN
		PERFORM lib.fail(422, 'invalid-name',
		    'Tên mã truy cập phải có từ 1 đến 100 ký tự.',
		    'name must be 1 to 100 characters.', 'name');
	END IF;
	IF p_expires_in_days NOT BETWEEN 1 AND 365 THEN
		PERFORM lib.fail(422, 'invalid-expiry',
		    'Thời hạn mã truy cập phải từ 1 đến 365 ngày.',
		    'expires_in_days must be 1 to 365.', 'expires_in_days');
	END IF;
	INSERT INTO auth.tokens (user_id, name, token_hash, created_by,
	    expires_at)
	VALUES (u.id, normalize(btrim(p_name), NFC), decode(p_token_hash, 'hex'),
	    me.id, now() + make_interval(days => coalesce(p_expires_in_days, 90)))
	RETURNING * INTO t;
	PERFORM lib.audit(me, p_via, 'create', 'token', t.id::text, NULL,
	    lib.token_json(t) - 'created_at');
	RETURN lib.token_json(t);
END
$$;

CREATE FUNCTION api.tokens_list(p_actor bigint, p_user_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin');
	IF NOT EXISTS (SELECT FROM auth.users WHERE id = p_user_id) THEN
		PERFORM lib.not_found('tài khoản', 'account');
	END IF;
	RETURN json_build_object('items', coalesce((SELECT json_agg(
	    lib.token_json(t) ORDER BY t.id) FROM auth.tokens t
	    WHERE t.user_id = p_user_id), '[]'), 'next_cursor', NULL);
END
$$;

-- Revoking is idempotent: a second call answers the same revoked token and
-- writes nothing.
CREATE FUNCTION api.token_revoke(p_actor bigint, p_via text, p_id bigint)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	t	auth.tokens;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	SELECT * INTO t FROM auth.tokens WHERE id = p_id FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lib.not_found('mã truy cập', 'token');
	END IF;
	IF t.revoked_at IS NULL THEN
		UPDATE auth.tokens SET revoked_at = now(), revoked_by = me.id,
		    ended_reason = 'revoked'
		 WHERE id = p_id RETURNING * INTO t;
		PERFORM lib.audit(me, p_via, 'revoke', 'token', t.id::text,
		    jsonb_build_object('revoked', false),
		    jsonb_build_object('revoked', true));
	END IF;
	RETURN lib.token_json(t);
END
$$;
