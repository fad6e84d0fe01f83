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
-- 30 minutes past its last use and 12 hours at most; a token until its
-- expires_at (at most 365 days after issue) or until it is revoked, its
-- user's password is reset or its user is disabled.
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
		IF t.expires_at <= now() THEN
			PERFORM lib.fail(401, 'token-expired',
			    'Mã truy cập đã hết hạn; hãy xin cấp mã mới.',
			    'The API token has expired; ask for a new one.');
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

-- Counts, per client address and 15-minute window, what is not worth a
-- hash-chained audit row each: failed sign-ins of logins that do not exist
-- and throttled attempts after the first of a lock.
CREATE FUNCTION lib.login_count(p_ip inet, p_unknown integer,
    p_throttled integer) RETURNS void
LANGUAGE sql
AS $$
	INSERT INTO auth.login_counts AS c (ip, window_start, unknown_failures,
	    throttled)
	VALUES (coalesce(p_ip, '0.0.0.0'), date_bin('15 minutes', now(),
	    '2000-01-01 00:00+00'), p_unknown, p_throttled)
	ON CONFLICT (ip, window_start) DO UPDATE SET
	    unknown_failures = c.unknown_failures + p_unknown,
	    throttled = c.throttled + p_throttled, last_at = now()
$$;

-- First half of a login, before any password is checked. Refuses with
-- throttled=true and scope 'address' once the client address has 100
-- failed or unfinished sign-ins within 15 minutes (whatever the logins;
-- successes do not count, so one office behind one address can sign in
-- all day), and with scope 'login' once the login has 5 within 15 minutes
-- since its last success. Otherwise reserves the attempt: a 'pending' row
-- that counts as a failure until api.login_finish says otherwise, so
-- concurrent sign-ins cannot all pass the count before any is recorded
-- (begins of one login, and of one address, are serialised by advisory
-- locks, always taken login first). Hands back the attempt id and the
-- stored hash; a null hash (unknown or disabled login) is still "verified"
-- against a dummy by the server, so timing tells nothing.
CREATE FUNCTION api.login_begin(p_login text, p_ip text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	addr		inet := p_ip::inet;
	last_ok		timestamptz;
	nth		timestamptz;
	wait		integer;
	u		auth.users;
	aid		bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('login:' || p_login, 0));
	IF addr IS NOT NULL THEN
		PERFORM pg_advisory_xact_lock(hashtextextended('ip:' ||
		    host(addr), 0));
		SELECT at INTO nth FROM auth.login_attempts
		 WHERE ip = addr AND outcome IN ('pending', 'failure', 'disabled')
		   AND at > now() - interval '15 minutes'
		 ORDER BY at DESC OFFSET 99 LIMIT 1;
		IF FOUND THEN
			PERFORM lib.login_count(addr, 0, 1);
			RETURN json_build_object('throttled', true,
			    'scope', 'address', 'retry_after', greatest(1,
			    ceil(extract(epoch FROM nth + interval '15 minutes' -
			    now())))::integer);
		END IF;
	END IF;

	SELECT max(at) INTO last_ok FROM auth.login_attempts
	 WHERE login = p_login AND outcome = 'success';
	SELECT at INTO nth FROM auth.login_attempts
	 WHERE login = p_login AND outcome IN ('pending', 'failure', 'disabled')
	   AND at > now() - interval '15 minutes'
	   AND at > coalesce(last_ok, '-infinity')
	 ORDER BY at DESC OFFSET 4 LIMIT 1;
	IF FOUND THEN
		wait := greatest(1, ceil(extract(epoch FROM
		    nth + interval '15 minutes' - now())))::integer;
		-- The first refusal of a lock is recorded and audited; the
		-- rest of a flood against a locked login is only counted.
		IF EXISTS (SELECT FROM auth.login_attempts WHERE login = p_login
		    AND outcome = 'throttled' AND at >= nth) THEN
			PERFORM lib.login_count(addr, 0, 1);
		ELSE
			INSERT INTO auth.login_attempts (login, outcome, ip)
			VALUES (p_login, 'throttled', addr);
			SELECT * INTO u FROM auth.users WHERE login = p_login;
			PERFORM lib.audit(u.id, p_login, u.role, 'login',
			    'login_throttled', 'session', NULL, NULL,
			    jsonb_build_object('retry_after', wait, 'ip', p_ip));
		END IF;
		RETURN json_build_object('throttled', true, 'scope', 'login',
		    'retry_after', wait);
	END IF;

	INSERT INTO auth.login_attempts (login, outcome, ip)
	VALUES (p_login, 'pending', addr)
	RETURNING id INTO aid;
	SELECT * INTO u FROM auth.users
	 WHERE login = p_login AND disabled_at IS NULL;
	RETURN json_build_object('throttled', false, 'attempt', aid,
	    'password_hash', u.password_hash);
END
$$;

-- Second half: settles the attempt login_begin reserved (once; a settled
-- or unknown attempt is refused with null). On success opens a session
-- keyed by the digest of the cookie value the server generated and
-- returns the user; on failure returns null, auditing it when the login
-- exists and only counting it (per address) when it does not.
CREATE FUNCTION api.login_finish(p_attempt bigint, p_ok boolean,
    p_session_hash text, p_user_agent text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	a	auth.login_attempts;
	u	auth.users;
	sid	bigint;
BEGIN
	UPDATE auth.login_attempts SET outcome = 'failure'
	 WHERE id = p_attempt AND outcome = 'pending'
	RETURNING * INTO a;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT * INTO u FROM auth.users WHERE login = a.login;
	IF u.id IS NULL THEN
		PERFORM lib.login_count(a.ip, 1, 0);
		RETURN NULL;
	END IF;
	IF p_ok AND u.disabled_at IS NULL THEN
		INSERT INTO auth.sessions (user_id, token_hash, expires_at, ip,
		    user_agent)
		VALUES (u.id, decode(p_session_hash, 'hex'),
		    now() + interval '12 hours', a.ip, left(p_user_agent, 500))
		RETURNING id INTO sid;
		UPDATE auth.login_attempts SET outcome = 'success' WHERE id = a.id;
		PERFORM lib.audit(u, 'password', 'login', 'session', sid::text,
		    NULL, jsonb_build_object('ip', host(a.ip)));
		RETURN lib.user_json(u)::json;
	END IF;
	IF u.disabled_at IS NOT NULL THEN
		UPDATE auth.login_attempts SET outcome = 'disabled' WHERE id = a.id;
	END IF;
	PERFORM lib.audit(u.id, a.login, u.role, 'password', 'login_failed',
	    'session', NULL, NULL, jsonb_build_object('ip', host(a.ip)));
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
