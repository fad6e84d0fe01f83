-- Sessions, API tokens, logins and throttling, and the refusals of the
-- account functions (RGnnn SQLSTATEs the server turns into HTTP statuses).
-- now() is fixed for the whole transaction, so times are set relative to it.
BEGIN;
SELECT plan(75);

\ir helpers.psql

-- Start from no login history, whatever ran before in this database.
DELETE FROM auth.login_attempts;

-- Sessions: ab.. live, cd.. idle for 31 minutes, ef.. past expires_at,
-- 12.. ended, 34.. idle for 29 minutes.
INSERT INTO auth.sessions (user_id, token_hash, created_at, last_seen_at,
    expires_at, ended_at)
VALUES
    (pg_temp.uid('hr.quangninh'), decode(repeat('ab', 32), 'hex'),
	now() - interval '1 hour', now() - interval '5 minutes',
	now() + interval '11 hours', NULL),
    (pg_temp.uid('hr.quangninh'), decode(repeat('cd', 32), 'hex'),
	now() - interval '1 hour', now() - interval '31 minutes',
	now() + interval '11 hours', NULL),
    (pg_temp.uid('hr.quangninh'), decode(repeat('ef', 32), 'hex'),
	now() - interval '12 hours', now() - interval '1 minute',
	now() - interval '1 second', NULL),
    (pg_temp.uid('hr.quangninh'), decode(repeat('12', 32), 'hex'),
	now() - interval '1 hour', now() - interval '1 minute',
	now() + interval '11 hours', now() - interval '30 seconds'),
    (pg_temp.uid('hr.quangninh'), decode(repeat('34', 32), 'hex'),
	now() - interval '1 hour', now() - interval '29 minutes',
	now() + interval '11 hours', NULL);

SELECT throws_ok($$SELECT api.authenticate('session', repeat('00', 32))$$,
	'RG401', NULL, 'an unknown session hash is RG401');
SELECT is(pg_temp.err($$SELECT api.authenticate('session', repeat('00', 32))$$),
	'RG401 unauthenticated', 'an unknown session is "unauthenticated"');
SELECT is(api.authenticate('session', repeat('ab', 32))::jsonb ->> 'login',
	'hr.quangninh', 'a live session resolves to its user');
SELECT is(api.authenticate('session', repeat('ab', 32))::jsonb ->> 'via',
	'session:' || (SELECT id FROM auth.sessions
	    WHERE token_hash = decode(repeat('ab', 32), 'hex')),
	'via names the session');
SELECT is((SELECT last_seen_at FROM auth.sessions
	WHERE token_hash = decode(repeat('ab', 32), 'hex')), now(),
	'authenticating updates last_seen_at');
SELECT is(api.authenticate('session', upper(repeat('ab', 32)))::jsonb ->> 'login',
	'hr.quangninh', 'the hex digest is case-insensitive');
SELECT ok(NOT (api.authenticate('session', repeat('ab', 32))::jsonb ?
	'password_hash'), 'the user JSON never carries the password hash');
SELECT throws_ok($$SELECT api.authenticate('session', repeat('cd', 32))$$,
	'RG401', 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.',
	'a session idle for 31 minutes has expired');
SELECT is(pg_temp.err($$SELECT api.authenticate('session', repeat('cd', 32))$$),
	'RG401 session-expired', 'the idle session is "session-expired"');
SELECT is((SELECT last_seen_at FROM auth.sessions
	WHERE token_hash = decode(repeat('cd', 32), 'hex')),
	now() - interval '31 minutes', 'an expired session is not refreshed');
SELECT is(api.authenticate('session', repeat('34', 32))::jsonb ->> 'login',
	'hr.quangninh', 'a session idle for 29 minutes still works');
SELECT throws_ok($$SELECT api.authenticate('session', repeat('ef', 32))$$,
	'RG401', 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.',
	'a session past expires_at has expired');
SELECT is(pg_temp.err($$SELECT api.authenticate('session', repeat('ef', 32))$$),
	'RG401 session-expired', 'the session past expires_at is "session-expired"');
SELECT is(pg_temp.err($$SELECT api.authenticate('session', repeat('12', 32))$$),
	'RG401 unauthenticated', 'an ended session is refused');
SELECT is(pg_temp.err($$SELECT api.authenticate('cookie', repeat('ab', 32))$$),
	'RG401 unauthenticated', 'an unknown credential kind is refused');

-- API tokens.
INSERT INTO auth.tokens (user_id, name, token_hash, created_by, revoked_at)
VALUES (pg_temp.uid('bcd.national'), 'test', decode(repeat('5a', 32), 'hex'),
	pg_temp.uid('admin'), NULL),
    (pg_temp.uid('bcd.national'), 'revoked', decode(repeat('5b', 32), 'hex'),
	pg_temp.uid('admin'), now());
SELECT is(api.authenticate('token', repeat('5a', 32))::jsonb ->> 'login',
	'bcd.national', 'a live API token resolves to its user');
SELECT is((SELECT last_used_at FROM auth.tokens
	WHERE token_hash = decode(repeat('5a', 32), 'hex')), now(),
	'using a token records last_used_at');
SELECT ok(api.authenticate('token', repeat('5a', 32))::jsonb ->> 'via' ~ '^token:[0-9]+$',
	'via names the token');
SELECT is(pg_temp.err($$SELECT api.authenticate('token', repeat('5b', 32))$$),
	'RG401 bad-token', 'a revoked token is refused');
SELECT is(pg_temp.err($$SELECT api.authenticate('token', repeat('ab', 32))$$),
	'RG401 bad-token', 'a session digest is not a token');
INSERT INTO auth.tokens (user_id, name, token_hash, created_by, expires_at)
VALUES (pg_temp.uid('bcd.national'), 'expired', decode(repeat('5c', 32), 'hex'),
	pg_temp.uid('admin'), now());
SELECT is(pg_temp.err($$SELECT api.authenticate('token', repeat('5c', 32))$$),
	'RG401 token-expired', 'a token past expires_at is refused');

-- A disabled account can use neither.
UPDATE auth.users SET disabled_at = now() WHERE login = 'bcd.national';
SELECT is(pg_temp.err($$SELECT api.authenticate('token', repeat('5a', 32))$$),
	'RG401 account-disabled', 'the token of a disabled account is refused');
SELECT is(pg_temp.err(format('SELECT api.me(%s)', pg_temp.uid('bcd.national'))),
	'RG401 unauthenticated', 'a disabled actor can do nothing');
UPDATE auth.users SET disabled_at = NULL WHERE login = 'bcd.national';

-- login_begin: the stored hash and a reserved attempt, or throttled.
SELECT is(api.login_begin('admin', '10.0.0.1')::jsonb - 'attempt',
	jsonb_build_object('throttled', false, 'password_hash',
	    (SELECT password_hash FROM auth.users WHERE login = 'admin')),
	'login_begin hands back the stored hash');
SELECT is(api.login_begin('nobody', '10.0.0.1')::jsonb - 'attempt',
	'{"throttled": false, "password_hash": null}'::jsonb,
	'login_begin of an unknown login gives a null hash');
SELECT is((SELECT outcome FROM auth.login_attempts WHERE login = 'admin'),
	'pending', 'login_begin reserves the attempt as pending');
DELETE FROM auth.login_attempts;

-- A reservation counts like a failure until it is settled, so four
-- failures and one sign-in still being checked refuse a concurrent one.
INSERT INTO auth.login_attempts (login, at, outcome, ip)
SELECT 'hr.dongthap', now() - make_interval(mins => m), 'failure', '10.0.0.2'
  FROM generate_series(1, 4) m;
SELECT is(api.login_begin('hr.dongthap', '10.0.0.2')::jsonb -> 'throttled',
	'false'::jsonb, 'four failures do not throttle');
SELECT is(api.login_begin('hr.dongthap', '10.0.0.2')::jsonb ->> 'scope',
	'login', 'four failures and a pending check throttle the next begin');
SELECT is(api.login_finish((SELECT id FROM auth.login_attempts
	WHERE login = 'hr.dongthap' AND outcome = 'pending'), false, NULL, NULL)::text,
	NULL, 'the pending check settles as a failure');
SELECT is(api.login_begin('hr.dongthap', '10.0.0.2')::jsonb -> 'throttled',
	'true'::jsonb, 'five failures within 15 minutes throttle');
SELECT ok((api.login_begin('hr.dongthap', '10.0.0.2')::jsonb ->> 'retry_after')::integer
	BETWEEN 1 AND 900, 'retry_after is between 1 and 900 seconds');
SELECT is((api.login_begin('hr.dongthap', '10.0.0.2')::jsonb ->> 'retry_after')::integer,
	660, 'retry_after runs until the fifth-newest failure is 15 minutes old');
SELECT ok(NOT (api.login_begin('hr.dongthap', '10.0.0.2')::jsonb ? 'password_hash'),
	'a throttled login_begin gives no hash');
SELECT is((SELECT count(*)::integer FROM auth.login_attempts
	WHERE login = 'hr.dongthap' AND outcome = 'throttled'), 1,
	'the first throttled attempt of a lock is recorded, once');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'login_throttled'
	AND actor_login = 'hr.dongthap' AND actor_id = pg_temp.uid('hr.dongthap')), 1,
	'the first throttled attempt is audited, the rest of the lock is not');
-- (five: BETWEEN above evaluates its operand, one login_begin, twice)
SELECT is((SELECT throttled FROM auth.login_counts WHERE ip = '10.0.0.2'), 5,
	'the other throttled attempts are counted for the address');

-- An address with 100 failed or pending sign-ins in 15 minutes is refused
-- whatever the login, before any hash is handed out; 99 are not enough.
INSERT INTO auth.login_attempts (login, at, outcome, ip)
SELECT 'spray-' || g, now() - make_interval(secs => g), 'failure', '10.0.0.9'
  FROM generate_series(1, 99) g;
SELECT is(api.login_begin('admin', '10.0.0.9')::jsonb -> 'throttled', 'false'::jsonb,
	'99 failures from an address do not throttle it');
SELECT is(api.login_begin('admin', '10.0.0.9')::jsonb - 'retry_after',
	'{"throttled": true, "scope": "address"}'::jsonb,
	'with the pending 100th the address is throttled, even for another login');
SELECT is((api.login_begin('ulsa', '10.0.0.9')::jsonb ->> 'retry_after')::integer,
	900 - 99, 'the address wait runs until its 100th-newest failure is 15 minutes old');
SELECT is((SELECT count(*)::integer FROM auth.login_attempts
	WHERE ip = '10.0.0.9' AND outcome = 'throttled'), 0,
	'address refusals write no attempt rows');
SELECT is(api.login_begin('ulsa', '10.0.0.10')::jsonb -> 'throttled', 'false'::jsonb,
	'another address is not affected');
SELECT is((SELECT count(*)::integer FROM auth.login_attempts
	WHERE ip = '10.0.0.9' AND outcome = 'success'), 0, 'nothing succeeded');

-- More failures do not lengthen the wait beyond the window.
INSERT INTO auth.login_attempts (login, at, outcome)
SELECT 'many.fail', now() - make_interval(mins => m), 'failure'
  FROM generate_series(1, 14) m;
SELECT is((api.login_begin('many.fail', NULL)::jsonb ->> 'retry_after')::integer,
	600, 'with 14 failures the wait still follows the fifth-newest (600 s)');

-- Failures older than 15 minutes do not count.
INSERT INTO auth.login_attempts (login, at, outcome)
SELECT 'old.fail', now() - make_interval(mins => 15 + m), 'failure'
  FROM generate_series(1, 5) m;
SELECT is(api.login_begin('old.fail', NULL)::jsonb -> 'throttled', 'false'::jsonb,
	'failures older than 15 minutes do not throttle');

-- A success more recent than the failures resets the count.
INSERT INTO auth.login_attempts (login, at, outcome)
SELECT 'reset.ok', now() - make_interval(mins => 5 + m), 'failure'
  FROM generate_series(1, 5) m;
SELECT is(api.login_begin('reset.ok', NULL)::jsonb -> 'throttled', 'true'::jsonb,
	'reset.ok is throttled before its success');
INSERT INTO auth.login_attempts (login, at, outcome)
VALUES ('reset.ok', now() - interval '1 minute', 'success');
SELECT is(api.login_begin('reset.ok', NULL)::jsonb -> 'throttled', 'false'::jsonb,
	'a success newer than the failures resets the throttle');
INSERT INTO auth.login_attempts (login, at, outcome)
SELECT 'reset.ok', now() - make_interval(secs => s), 'failure'
  FROM generate_series(1, 5) s;
SELECT is(api.login_begin('reset.ok', NULL)::jsonb -> 'throttled', 'true'::jsonb,
	'five new failures after the success throttle again');

-- login_finish(false): a failure row and an audit row.
SELECT is(api.login_finish((api.login_begin('bcd.quangninh', '10.0.0.3')::jsonb
	->> 'attempt')::bigint, false, NULL, 'pgtap')::text,
	NULL, 'a failed login_finish returns null');
SELECT is((SELECT count(*)::integer FROM auth.login_attempts
	WHERE login = 'bcd.quangninh' AND outcome = 'failure' AND ip = '10.0.0.3'),
	1, 'a failed login records a failure row');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE action = 'login_failed'
	AND actor_login = 'bcd.quangninh' AND actor_id = pg_temp.uid('bcd.quangninh')
	AND entity = 'session' AND after ->> 'ip' = '10.0.0.3'), 1,
	'a failed login writes a login_failed audit row');
SELECT is(api.login_finish((api.login_begin('nobody', '10.0.0.5')::jsonb
	->> 'attempt')::bigint, false, NULL, NULL)::text, NULL,
	'a failed login of an unknown name returns null');
SELECT is(api.login_finish((api.login_begin('nobody.else', '10.0.0.5')::jsonb
	->> 'attempt')::bigint, true, repeat('79', 32), NULL)::text, NULL,
	'an unknown name never signs in, whatever the check said');
SELECT ok(NOT EXISTS (SELECT FROM audit.log WHERE actor_login IN ('nobody',
	'nobody.else')), 'unknown logins write no audit row each');
SELECT is((SELECT unknown_failures FROM auth.login_counts WHERE ip = '10.0.0.5'),
	2, 'they are counted for their address and window instead');

-- login_finish(true): a session that authenticate accepts.
SELECT is(api.login_finish((api.login_begin('hr.quangninh', '10.0.0.4')::jsonb
	->> 'attempt')::bigint, true, repeat('77', 32), 'pgtap')::jsonb ->> 'login',
	'hr.quangninh', 'a successful login_finish returns the user');
SELECT is((SELECT expires_at - created_at FROM auth.sessions
	WHERE token_hash = decode(repeat('77', 32), 'hex')), interval '12 hours',
	'a new session lives at most 12 hours');
SELECT is((SELECT host(ip) FROM auth.sessions
	WHERE token_hash = decode(repeat('77', 32), 'hex')), '10.0.0.4',
	'the session keeps the address of its attempt');
SELECT is(api.authenticate('session', repeat('77', 32))::jsonb ->> 'login',
	'hr.quangninh', 'the new session authenticates');
SELECT ok(EXISTS (SELECT FROM auth.login_attempts WHERE login = 'hr.quangninh'
	AND outcome = 'success'), 'a success row is recorded');
SELECT ok(EXISTS (SELECT FROM audit.log WHERE action = 'login'
	AND actor_id = pg_temp.uid('hr.quangninh') AND entity = 'session'
	AND entity_id = (SELECT id::text FROM auth.sessions
	    WHERE token_hash = decode(repeat('77', 32), 'hex'))),
	'a successful login is audited with its session id');
SELECT is(api.login_finish((SELECT id FROM auth.login_attempts
	WHERE login = 'hr.quangninh' AND outcome = 'success'), true,
	repeat('7a', 32), NULL)::text, NULL,
	'an attempt is settled once: finishing it again opens nothing');
SELECT is(api.logout(pg_temp.uid('hr.quangninh'), repeat('77', 32))::jsonb,
	'{"signed_out": true}'::jsonb, 'logout signs out');
SELECT is(pg_temp.err($$SELECT api.authenticate('session', repeat('77', 32))$$),
	'RG401 unauthenticated', 'a logged-out session is refused');

-- A disabled account cannot log in even with the right password.
UPDATE auth.users SET disabled_at = now() WHERE login = 'ulsa';
SELECT is(api.login_begin('ulsa', NULL)::jsonb -> 'password_hash', 'null'::jsonb,
	'login_begin gives no hash for a disabled account');
SELECT is(api.login_finish((SELECT max(id) FROM auth.login_attempts
	WHERE login = 'ulsa' AND outcome = 'pending'), true, repeat('78', 32),
	NULL)::text, NULL, 'login_finish refuses a disabled account');
SELECT is((SELECT outcome FROM auth.login_attempts WHERE login = 'ulsa'
	ORDER BY id DESC LIMIT 1), 'disabled', 'the attempt is recorded as disabled');
UPDATE auth.users SET disabled_at = NULL WHERE login = 'ulsa';

-- Refusals of the account functions.
SELECT throws_ok(format('SELECT api.users_list(%s, NULL, NULL, NULL, NULL)',
	pg_temp.uid('hr.quangninh')), 'RG403', NULL,
	'users_list as a non-admin is RG403');
SELECT is(json_array_length(api.users_list(pg_temp.uid('admin'), NULL, NULL,
	NULL, 500) -> 'items'), (SELECT count(*)::integer FROM auth.users),
	'users_list as admin lists every account');
SELECT throws_ok(format('SELECT api.user_get(%s, %s)',
	pg_temp.uid('hr.quangninh'), pg_temp.uid('admin')), 'RG404', NULL,
	'user_get of another user as a non-admin is RG404');
SELECT is(api.user_get(pg_temp.uid('hr.quangninh'),
	pg_temp.uid('hr.quangninh'))::jsonb ->> 'login', 'hr.quangninh',
	'a non-admin may read their own account');
SELECT throws_ok(format($$SELECT api.user_create(%s, 'test', 'new.hr',
	'Cán bộ mới', 'hr_officer', NULL, NULL, 'x')$$, pg_temp.uid('admin')),
	'RG422', NULL, 'user_create of an hr_officer without a province is RG422');
SELECT is(pg_temp.err(format($$SELECT api.user_create(%s, 'test', 'new.hr',
	'Cán bộ mới', 'hr_officer', NULL, NULL, 'x')$$, pg_temp.uid('admin'))),
	'RG422 scope-required', 'the missing province is "scope-required"');
SELECT throws_ok(format($$SELECT api.user_create(%s, 'test', 'hr.quangninh',
	'Trùng tên', 'hr_officer', '22', NULL, 'x')$$, pg_temp.uid('admin')),
	'RG409', NULL, 'user_create of a taken login is RG409');
SELECT throws_ok(format($$SELECT api.user_create(%s, 'test', 'new.user',
	'Người mới', 'admin', NULL, NULL, 'x')$$, pg_temp.uid('hr.quangninh')),
	'RG403', NULL, 'user_create as a non-admin is RG403');
SELECT throws_ok('SELECT api.me(-1)', 'RG401', NULL,
	'an unknown actor is RG401');

SELECT * FROM finish();
ROLLBACK;
