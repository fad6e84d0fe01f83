-- Sessions, API tokens and logins. The server never sends a secret here:
-- only SHA-256 digests (hex) of cookie and token values, and password
-- hashes it computed itself (PBKDF2-SHA256, in app/password.c).

CREATE FUNCTION api.health() RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
	SELECT json_build_object('database', 'ok',
	    'schema', (SELECT max(version) FROM public.schema_migrations))
$$;

-- Resolves a credential to its user, or refuses with 401. A session lives
-- 30 minutes past its last use and 12 hours at most.
CREATE FUNCTION api.authenticate(p_kind text, p_hash text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	h	bytea;
	s	auth.sessions;
	t	auth.tokens;
	u	auth.users;
	cred	bigint;
BEGIN
	h := decode(p_hash, 'hex');
	IF p_kind = 'session' THEN
		SELECT * INTO s FROM auth.sessions WHERE token_hash = h;
		IF NOT FOUND OR s.ended_at IS NOT NULL THEN
			PERFORM lib.fail(401, 'unauthenticated',
			    'Phiên đăng nhập không hợp lệ hoặc đã đăng xuất.',
			    'The session is not valid or has ended.');
		END IF;
		IF s.expires_at <= now() OR
		    s.last_seen_at <= now() - interval '30 minutes' THEN
			PERFORM lib.fail(401, 'session-expired',
			    'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.',
			    'The session has expired; sign in again.');
		END IF;
		UPDATE auth.sessions SET last_seen_at = now() WHERE id = s.id;
		cred := s.id;
		SELECT * INTO u FROM auth.users WHERE id = s.user_id;
	ELSIF p_kind = 'token' THEN
		SELECT * INTO t FROM auth.tokens WHERE token_hash = h;
		IF NOT FOUND OR t.revoked_at IS NOT NULL THEN
			PERFORM lib.fail(401, 'bad-token',
			    'Mã truy cập không hợp lệ hoặc đã bị thu hồi.',
			    'The API token is not valid or has been revoked.');
		END IF;
		UPDATE auth.tokens SET last_used_at = now() WHERE id = t.id;
		cred := t.id;
		SELECT * INTO u FROM auth.users WHERE id = t.user_id;
	ELSE
		PERFORM lib.fail(401, 'unauthenticated', 'Cần đăng nhập.',
		    'Authentication required.');
	END IF;
	IF u.disabled_at IS NOT NULL THEN
		PERFORM lib.fail(401, 'account-disabled',
		    'Tài khoản đã bị khoá.', 'The account is disabled.');
	END IF;
	RETURN (lib.user_json(u) || jsonb_build_object('via',
	    p_kind || ':' || cred))::json;
END
$$;

-- First half of a login: refuses with throttled=true once a login has
-- failed 5 times within 15 minutes (since its last success), otherwise
-- hands back the stored hash so the server can verify the password off
-- the event loop. A null hash (unknown or disabled login) is still
-- "verified" against a dummy by the server, so timing tells nothing.
CREATE FUNCTION api.login_begin(p_login text, p_ip text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	last_ok		timestamptz;
	fails		timestamptz[];
	wait		integer;
	u		auth.users;
BEGIN
	SELECT max(at) INTO last_ok FROM auth.login_attempts
	 WHERE login = p_login AND outcome = 'success';
	SELECT array_agg(at ORDER BY at DESC) INTO fails
	  FROM (SELECT at FROM auth.login_attempts
		 WHERE login = p_login AND outcome = 'failure'
		   AND at > now() - interval '15 minutes'
		   AND at > coalesce(last_ok, '-infinity')
		 ORDER BY at DESC LIMIT 5) f;
	IF coalesce(array_length(fails, 1), 0) >= 5 THEN
		wait := greatest(1, ceil(extract(epoch FROM
		    fails[5] + interval '15 minutes' - now())))::integer;
		INSERT INTO auth.login_attempts (login, outcome, ip)
		VALUES (p_login, 'throttled', p_ip::inet);
		SELECT * INTO u FROM auth.users WHERE login = p_login;
		PERFORM lib.audit(u.id, p_login, u.role, 'login', 'login_throttled',
		    'session', NULL, NULL, jsonb_build_object('retry_after', wait,
		    'ip', p_ip));
		RETURN json_build_object('throttled', true, 'retry_after', wait);
	END IF;
	SELECT * INTO u FROM auth.users
	 WHERE login = p_login AND disabled_at IS NULL;
	RETURN json_build_object('throttled', false,
	    'password_hash', u.password_hash);
END
$$;

-- Second half: records the outcome. On success opens a session keyed by
-- the digest of the cookie value the server generated and returns the
-- user; on failure returns null.
CREATE FUNCTION api.login_finish(p_login text, p_ok boolean,
    p_session_hash text, p_ip text, p_user_agent text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	u	auth.users;
	sid	bigint;
BEGIN
	SELECT * INTO u FROM auth.users WHERE login = p_login;
	IF p_ok AND FOUND AND u.disabled_at IS NULL THEN
		INSERT INTO auth.sessions (user_id, token_hash, expires_at, ip,
		    user_agent)
		VALUES (u.id, decode(p_session_hash, 'hex'),
		    now() + interval '12 hours', p_ip::inet, left(p_user_agent, 500))
		RETURNING id INTO sid;
		INSERT INTO auth.login_attempts (login, outcome, ip)
		VALUES (p_login, 'success', p_ip::inet);
		PERFORM lib.audit(u, 'password', 'login', 'session', sid::text,
		    NULL, jsonb_build_object('ip', p_ip));
		RETURN lib.user_json(u)::json;
	END IF;
	INSERT INTO auth.login_attempts (login, outcome, ip)
	VALUES (p_login, CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled'
	    ELSE 'failure' END, p_ip::inet);
	PERFORM lib.audit(u.id, p_login, u.role, 'password', 'login_failed',
	    'session', NULL, NULL, jsonb_build_object('ip', p_ip));
	RETURN NULL;
END
$$;

CREATE FUNCTION api.logout(p_actor bigint, p_session_hash text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	u	auth.users;
	sid	bigint;
BEGIN
	u := lib.actor(p_actor);
	UPDATE auth.sessions SET ended_at = now(), ended_reason = 'logout'
	 WHERE token_hash = decode(p_session_hash, 'hex') AND user_id = u.id
	   AND ended_at IS NULL
	RETURNING id INTO sid;
	PERFORM lib.audit(u, 'session:' || sid, 'logout', 'session', sid::text,
	    NULL, NULL);
	RETURN json_build_object('signed_out', true);
END
$$;

CREATE FUNCTION api.me(p_actor bigint) RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
	SELECT lib.user_json(lib.actor(p_actor))::json
$$;
