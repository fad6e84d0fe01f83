-- The hash-chained audit log: rows appended unchained and sealed into the
-- chain by audit.seal(), the guard that lets a row be sealed once and never
-- changed, verification, tamper detection, and a canonical content that
-- does not depend on session settings.
BEGIN;
SELECT plan(48);

\ir helpers.psql

-- Rows written through every path: lib.audit (both forms) and api calls.
DO $$
DECLARE
	aid	bigint;
BEGIN
	PERFORM lib.audit(NULL, 'system', NULL, NULL, 'test', 'pgtap', '1', NULL,
	    '{"n": 1}');
	PERFORM lib.audit(u, 'test', 'test', 'pgtap', '2', '{"n": 1}', '{"n": 2}')
	   FROM auth.users u WHERE u.login = 'admin';
	PERFORM api.user_create(pg_temp.uid('admin'), 'test', 'audit.one',
	    'Người kiểm tra Một', 'steering', NULL, NULL, 'x');
	PERFORM api.user_update(pg_temp.uid('admin'), 'test',
	    pg_temp.uid('audit.one'), '{"display_name": "Người kiểm tra Hai"}');
	-- The attempt api.login_begin would reserve (it takes advisory
	-- locks of its own, which the lock check below would count).
	INSERT INTO auth.login_attempts (login, outcome, ip)
	VALUES ('audit.one', 'pending', '192.0.2.1') RETURNING id INTO aid;
	PERFORM api.login_finish(aid, false, NULL, NULL);
	PERFORM lib.audit(NULL, NULL, NULL, NULL, 'test', 'pgtap', '3', NULL,
	    jsonb_build_object('text', 'Tiếng Việt có dấu', 'quote', '"',
	    'num', 1.50));
END
$$;

SELECT cmp_ok((SELECT count(*)::integer FROM audit.log), '>=', 6,
	'the calls above wrote audit rows');
SELECT is((SELECT action FROM audit.log WHERE entity = 'user'
	AND entity_id = pg_temp.uid('audit.one')::text ORDER BY id LIMIT 1),
	'create', 'user_create is audited');
SELECT is((SELECT after FROM audit.log WHERE entity = 'user'
	AND action = 'update' AND entity_id = pg_temp.uid('audit.one')::text),
	'{"display_name": "Người kiểm tra Hai"}'::jsonb,
	'user_update audits only the changed field');
SELECT is((SELECT count(*)::integer FROM audit.log
	WHERE before::text LIKE '%password_hash%' OR after::text LIKE '%password_hash%'),
	0, 'no password hash is ever audited');

-- Appended unchained: the writing transaction takes no lock for the
-- chain; the sealer chains the rows after it.
SELECT is((SELECT count(*)::integer FROM audit.log WHERE seq IS NULL
	AND prev_hash IS NULL AND hash IS NULL AND entity = 'pgtap'), 3,
	'a new row is unchained until sealed');
SELECT is((SELECT count(*)::integer FROM pg_locks WHERE locktype = 'advisory'
	AND pid = pg_backend_pid()), 0, 'appending took no advisory lock');
SELECT cmp_ok(audit.seal(true, NULL), '>=', 6, 'audit.seal chains them');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE seq IS NULL), 0,
	'no row is left unchained');
SELECT is(audit.seal(true, NULL), 0, 'a second seal has nothing to do');
SELECT is((SELECT max(seq) FROM audit.log), (SELECT count(*) FROM audit.log),
	'seq numbers the chain from 1 without gaps');
SELECT is((SELECT array_agg(id ORDER BY seq) FROM audit.log
	WHERE entity = 'pgtap'), (SELECT array_agg(id ORDER BY id) FROM audit.log
	WHERE entity = 'pgtap'), 'rows sealed together are chained in id order');

-- The chain.
SELECT is((SELECT prev_hash FROM audit.log ORDER BY seq LIMIT 1),
	decode(repeat('00', 32), 'hex'), 'the first row chains from 32 zero bytes');
SELECT is_empty($$
	SELECT id FROM (SELECT id, prev_hash,
		lag(hash) OVER (ORDER BY seq) AS before_hash FROM audit.log) c
	 WHERE before_hash IS NOT NULL AND prev_hash <> before_hash
$$, 'each row''s prev_hash is the previous row''s hash');
SELECT is_empty($$
	SELECT id FROM audit.log l
	 WHERE l.hash <> public.digest(l.prev_hash ||
		convert_to(audit.content(l), 'UTF8'), 'sha256')
$$, 'each row''s hash is sha256(prev_hash || content)');
SELECT is((SELECT count(DISTINCT hash)::integer FROM audit.log),
	(SELECT count(*)::integer FROM audit.log), 'hashes are distinct');
SELECT is((SELECT length(hash) FROM audit.log ORDER BY id DESC LIMIT 1), 32,
	'a hash is 32 bytes');
SELECT ok((SELECT bool_and(a.at <= b.at) FROM audit.log a JOIN audit.log b
	ON b.id = (SELECT min(id) FROM audit.log WHERE id > a.id)),
	'id order is time order');

-- The trigger owns id, at, seq, prev_hash and hash: a forged row gets
-- real ones.
INSERT INTO audit.log (id, at, action, entity, seq, prev_hash, hash)
VALUES (999999999, '2000-01-01', 'forged', 'pgtap', 1, '\x00', '\x00');
SELECT is((SELECT ROW(seq, prev_hash, hash)::text FROM audit.log
	WHERE action = 'forged'), '(,,)', 'a caller cannot insert a chained row');
SELECT is(audit.seal(true, NULL), 1, 'the forged row is sealed');
SELECT is((SELECT count(*)::integer FROM audit.log WHERE id = 999999999), 0,
	'a caller cannot choose the id');
SELECT is((SELECT at > '2020-01-01' FROM audit.log WHERE action = 'forged'), true,
	'a caller cannot backdate a row');
SELECT is((SELECT prev_hash FROM audit.log WHERE action = 'forged'),
	(SELECT hash FROM audit.log WHERE seq = (SELECT seq - 1 FROM audit.log
	    WHERE action = 'forged')),
	'a caller cannot choose prev_hash');

-- A sealed row cannot change, and sealing cannot change a row's content
-- or chain it anywhere but after the last sealed row.
SELECT throws_ok($$UPDATE audit.log SET after = '{"x": 1}'
	WHERE action = 'forged'$$, '42501', NULL, 'a sealed row cannot be edited');
SELECT throws_ok($$UPDATE audit.log SET seq = NULL, prev_hash = NULL,
	hash = NULL WHERE action = 'forged'$$, '42501', NULL,
	'a sealed row cannot be unsealed');
SELECT throws_ok($$DELETE FROM audit.log WHERE action = 'forged'$$, '42501',
	NULL, 'a row cannot be deleted');
SELECT throws_ok($$TRUNCATE audit.log$$, '42501', NULL,
	'the log cannot be truncated');
DO $$
BEGIN
	PERFORM lib.audit(NULL, NULL, NULL, NULL, 'unsealed', 'pgtap', NULL,
	    NULL, NULL);
END
$$;
SELECT throws_ok($$UPDATE audit.log SET after = '{"x": 1}'
	WHERE action = 'unsealed'$$, '42501', NULL,
	'an unsealed row cannot be edited');
SELECT throws_ok($$UPDATE audit.log l SET seq = m.seq + 1,
	prev_hash = m.hash, hash = '\x00'
	FROM (SELECT max(seq) AS seq, (SELECT hash FROM audit.log
	    ORDER BY seq DESC LIMIT 1) AS hash FROM audit.log) m
	WHERE action = 'unsealed'$$, '23514', NULL,
	'sealing with a wrong hash is refused');
SELECT throws_ok($$UPDATE audit.log l SET seq = 1,
	prev_hash = decode(repeat('00', 32), 'hex'),
	hash = public.digest(decode(repeat('00', 32), 'hex') ||
	    convert_to(audit.content(l), 'UTF8'), 'sha256')
	WHERE action = 'unsealed'$$, '23505', NULL,
	'a row cannot be sealed into the chain''s middle');

-- Verification.
SELECT is(api.audit_verify(pg_temp.uid('admin'))::jsonb,
	jsonb_build_object('ok', true, 'rows', (SELECT count(*) FROM audit.log),
	    'pending', 0, 'first_bad_id', NULL),
	'audit_verify: seals, and the chain is intact');
SELECT throws_ok(format('SELECT api.audit_verify(%s)', pg_temp.uid('bcd.national')),
	'RG403', NULL, 'audit_verify is for admins only');

-- Content is independent of the session's time zone and date style.
SET LOCAL TIME ZONE 'Asia/Ho_Chi_Minh';
CREATE TEMP TABLE content_hcm ON COMMIT DROP AS
	SELECT id, audit.content(l) AS c FROM audit.log l;
SET LOCAL TIME ZONE 'UTC';
SET LOCAL DateStyle = 'SQL, DMY';
SET LOCAL IntervalStyle = 'sql_standard';
SET LOCAL extra_float_digits = 3;
CREATE TEMP TABLE content_utc ON COMMIT DROP AS
	SELECT id, audit.content(l) AS c FROM audit.log l;
SET LOCAL TIME ZONE 'America/Los_Angeles';
SET LOCAL DateStyle = 'German';
CREATE TEMP TABLE content_la ON COMMIT DROP AS
	SELECT id, audit.content(l) AS c FROM audit.log l;
SELECT is((SELECT count(*)::integer FROM content_hcm h JOIN content_utc u
	USING (id) WHERE h.c = u.c), (SELECT count(*)::integer FROM audit.log),
	'audit.content is the same in Asia/Ho_Chi_Minh and UTC');
SELECT is((SELECT count(*)::integer FROM content_hcm h JOIN content_la u
	USING (id) WHERE h.c = u.c), (SELECT count(*)::integer FROM audit.log),
	'audit.content is the same in America/Los_Angeles with DateStyle German');
SELECT ok((SELECT c FROM content_la ORDER BY id DESC LIMIT 1)
	~ '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z"',
	'the time in the content is ISO 8601 UTC with microseconds');
SELECT is((SELECT (c::jsonb) ->> 1 FROM content_la WHERE id =
	(SELECT max(id) FROM audit.log)),
	(SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
	    FROM audit.log ORDER BY id DESC LIMIT 1),
	'the content carries the row''s time in UTC');

-- A row written in one time zone verifies in another.
SET LOCAL TIME ZONE 'Asia/Ho_Chi_Minh';
DO $$
BEGIN
	PERFORM lib.audit(NULL, NULL, NULL, NULL, 'test', 'pgtap', 'tz', NULL,
	    jsonb_build_object('at', now()));
END
$$;
SET LOCAL TIME ZONE 'Pacific/Honolulu';
SELECT is(api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'ok', 'true',
	'a row written at +07:00 verifies at -10:00');
RESET TIME ZONE;
RESET DateStyle;
RESET IntervalStyle;
RESET extra_float_digits;

-- Tampering with a row is detected at that row: by an owner who has
-- turned the guard off, as the superuser of a stolen database could.
ALTER TABLE audit.log DISABLE TRIGGER log_guard;
CREATE TEMP TABLE victim ON COMMIT DROP AS
	SELECT * FROM audit.log WHERE entity = 'user' AND action = 'update'
	   AND entity_id = pg_temp.uid('audit.one')::text;
UPDATE audit.log SET after = '{"tampered":true}'
 WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'ok')::boolean,
	false, 'an edited row breaks verification');
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM victim), 'first_bad_id is the edited row');

UPDATE audit.log SET after = (SELECT after FROM victim)
 WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'ok')::boolean,
	true, 'restoring the row restores the chain');

UPDATE audit.log SET at = at + interval '1 microsecond'
 WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM victim), 'moving a row''s time by 1 µs is detected');
UPDATE audit.log SET at = (SELECT at FROM victim)
 WHERE id = (SELECT id FROM victim);

UPDATE audit.log SET actor_id = NULL WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM victim), 'erasing the actor is detected');
UPDATE audit.log SET actor_id = (SELECT actor_id FROM victim)
 WHERE id = (SELECT id FROM victim);

-- Rewriting a row together with its own hash breaks the next link.
UPDATE audit.log l SET after = '{"rewritten": true}',
    hash = public.digest(l.prev_hash || convert_to(audit.content(
	(l.id, l.at, l.actor_id, l.actor_login, l.actor_role, l.via, l.action,
	 l.entity, l.entity_id, l.before, '{"rewritten": true}'::jsonb,
	 l.prev_hash, l.hash, l.seq)::audit.log), 'UTF8'), 'sha256')
 WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM audit.log WHERE seq = (SELECT seq + 1 FROM victim)),
	'a row rewritten with a matching hash is caught at the next row');
UPDATE audit.log SET after = v.after, hash = v.hash
  FROM victim v WHERE audit.log.id = v.id;
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'ok')::boolean,
	true, 'the chain is whole again');

-- Deleting a row is detected at its successor.
DELETE FROM audit.log WHERE id = (SELECT id FROM victim);
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM audit.log WHERE seq = (SELECT seq + 1 FROM victim)),
	'a deleted row is detected at the next row');
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'rows')::integer,
	(SELECT count(*)::integer FROM audit.log), 'rows counts the log');

-- Unsealing a row (and changing it) is caught at the row after it, even
-- though the sealer chains it again at the end.
UPDATE audit.log SET seq = NULL, prev_hash = NULL, hash = NULL,
	after = '{"moved": true}'
 WHERE id = (SELECT id FROM audit.log WHERE entity = 'pgtap' AND entity_id = '1');
SELECT is((api.audit_verify(pg_temp.uid('admin'))::jsonb ->> 'first_bad_id')::bigint,
	(SELECT id FROM audit.log WHERE entity = 'pgtap' AND entity_id = '2'),
	'an unsealed and resealed row is caught at its old successor');
ALTER TABLE audit.log ENABLE TRIGGER log_guard;

-- audit_list: newest first, with the hash.
SELECT is((api.audit_list(pg_temp.uid('admin'), NULL, NULL, NULL, NULL, NULL,
	NULL, 1) -> 'items' -> 0 ->> 'id')::bigint, (SELECT max(id) FROM audit.log),
	'audit_list starts with the newest row');
SELECT is(api.audit_list(pg_temp.uid('admin'), NULL, NULL, NULL, NULL, NULL,
	NULL, 1) -> 'items' -> 0 ->> 'hash',
	(SELECT encode(hash, 'hex') FROM audit.log ORDER BY id DESC LIMIT 1),
	'audit_list shows the hash in hex');

SELECT * FROM finish();
ROLLBACK;
