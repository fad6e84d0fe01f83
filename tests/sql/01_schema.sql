-- Schema shape, constraints and privileges: what the foundation migration
-- and sql/api/90_grants.sql promise.
BEGIN;
SELECT plan(106);

-- Schemas.
SELECT has_schema('geo');
SELECT has_schema('org');
SELECT has_schema('auth');
SELECT has_schema('audit');
SELECT has_schema('api');
SELECT has_schema('lib');

-- Tables.
SELECT has_table('geo', 'units', 'geo.units exists');
SELECT has_table('geo', 'lineage', 'geo.lineage exists');
SELECT has_table('geo', 'lineage_unresolved', 'geo.lineage_unresolved exists');
SELECT has_table('org', 'institutions', 'org.institutions exists');
SELECT has_table('auth', 'users', 'auth.users exists');
SELECT has_table('auth', 'sessions', 'auth.sessions exists');
SELECT has_table('auth', 'tokens', 'auth.tokens exists');
SELECT has_table('auth', 'login_attempts', 'auth.login_attempts exists');
SELECT has_table('audit', 'log', 'audit.log exists');
SELECT has_table('public', 'schema_migrations', 'public.schema_migrations exists');

-- Columns.
SELECT col_type_is('geo', 'units', 'code', 'text', 'unit codes are text (leading zeros)');
SELECT col_type_is('geo', 'units', 'valid_from', 'date', 'geo.units.valid_from is a date');
SELECT col_type_is('geo', 'units', 'valid_to', 'date', 'geo.units.valid_to is a date');
SELECT has_column('geo', 'units', 'search', 'geo.units has the folded search column');
SELECT is((SELECT attgenerated::text FROM pg_attribute
	WHERE attrelid = 'geo.units'::regclass AND attname = 'search'), 's',
	'geo.units.search is a stored generated column');
SELECT is((SELECT c.collname::text FROM pg_attribute a
	JOIN pg_collation c ON c.oid = a.attcollation
	WHERE a.attrelid = 'geo.units'::regclass AND a.attname = 'name'),
	'vi-x-icu', 'geo.units.name uses the Vietnamese collation');
SELECT col_type_is('auth', 'users', 'id', 'bigint', 'auth.users.id is bigint');
SELECT col_not_null('auth', 'users', 'password_hash', 'auth.users.password_hash is NOT NULL');
SELECT col_type_is('auth', 'sessions', 'token_hash', 'bytea', 'sessions keep only a digest');
SELECT col_type_is('auth', 'tokens', 'token_hash', 'bytea', 'tokens keep only a digest');
SELECT hasnt_column('auth', 'sessions', 'token', 'no plain session secret column');
SELECT col_type_is('audit', 'log', 'hash', 'bytea', 'audit.log.hash is bytea');
SELECT col_type_is('audit', 'log', 'prev_hash', 'bytea', 'audit.log.prev_hash is bytea');
SELECT col_type_is('audit', 'log', 'at', 'timestamp with time zone', 'audit.log.at is timestamptz');
SELECT col_is_pk('geo', 'lineage', ARRAY['old_id', 'new_id'], 'lineage key is (old_id, new_id)');
SELECT has_trigger('audit', 'log', 'log_chain', 'audit.log has its chaining trigger');
SELECT has_trigger('audit', 'log', 'log_guard',
	'audit.log has its guard: a row is sealed once and never changed');

-- The exclusion constraint: one version of a code at a time.
SELECT is((SELECT count(*)::integer FROM pg_constraint
	WHERE conrelid = 'geo.units'::regclass AND contype = 'x'), 1,
	'geo.units has an exclusion constraint');
SELECT lives_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from, valid_to)
	VALUES ('99', 'province', 'Tỉnh', 'Thử', 'Tỉnh Thử', '2000-01-01', '2009-12-31'),
	       ('99', 'province', 'Tỉnh', 'Thử Mới', 'Tỉnh Thử Mới', '2010-01-01', NULL)
$$, 'consecutive versions of a code may coexist');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from)
	VALUES ('99', 'province', 'Tỉnh', 'Trùng', 'Tỉnh Trùng', '2009-12-31')
$$, '23P01', NULL, 'overlapping versions of a code are refused');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from)
	VALUES ('01', 'province', 'Tỉnh', 'Hà Nội', 'Thành phố Hà Nội', '2026-01-01')
$$, '23P01', NULL, 'a third, overlapping version of province 01 is refused');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from)
	VALUES ('00004', 'commune', 'Phường', 'Ba Đình', 'Phường Ba Đình', '2025-06-01')
$$, '23P01', NULL, 'a commune version overlapping both eras of its code is refused');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name)
	VALUES ('1', 'province', 'Tỉnh', 'Một', 'Tỉnh Một')
$$, '23514', NULL, 'a province code has exactly two digits');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from)
	VALUES ('98', 'province', 'Tỉnh', normalize('Hoà', NFD),
	    'Tỉnh ' || normalize('Hoà', NFD), '2030-01-01')
$$, '23514', NULL, 'unit names must be NFC');
SELECT throws_ok($$
	INSERT INTO geo.units (code, level, kind, name, full_name, valid_from, valid_to)
	VALUES ('97', 'province', 'Tỉnh', 'Ngược', 'Tỉnh Ngược', '2030-01-01', '2029-01-01')
$$, '23514', NULL, 'valid_to may not precede valid_from');

-- users_scope: scope follows role.
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, province_id, password_hash)
	VALUES ('scope.admin', 'X', 'admin',
	    (SELECT id FROM geo.units WHERE level = 'province' AND code = '22'
	      AND valid_to IS NULL), 'x')
$$, '23514', NULL, 'an admin with a province is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('scope.hr', 'X', 'hr_officer', 'x')
$$, '23514', NULL, 'an hr_officer without a province is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, province_id,
	    institution_id, password_hash)
	VALUES ('scope.hr2', 'X', 'hr_officer',
	    (SELECT id FROM geo.units WHERE level = 'province' AND code = '22'
	      AND valid_to IS NULL),
	    (SELECT id FROM org.institutions WHERE code = 'ULSA'), 'x')
$$, '23514', NULL, 'an hr_officer with an institution is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('scope.reg', 'X', 'registrar', 'x')
$$, '23514', NULL, 'a registrar without an institution is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, province_id,
	    institution_id, password_hash)
	VALUES ('scope.reg2', 'X', 'registrar',
	    (SELECT id FROM geo.units WHERE level = 'province' AND code = '01'
	      AND valid_to IS NULL),
	    (SELECT id FROM org.institutions WHERE code = 'ULSA'), 'x')
$$, '23514', NULL, 'a registrar with a province is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, institution_id,
	    password_hash)
	VALUES ('scope.st', 'X', 'steering',
	    (SELECT id FROM org.institutions WHERE code = 'ULSA'), 'x')
$$, '23514', NULL, 'steering with an institution is refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('scope.other', 'X', 'superuser', 'x')
$$, '23514', NULL, 'an unknown role is refused');
SELECT lives_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('scope.national', 'X', 'steering', 'x')
$$, 'national steering (no province) is accepted');
SELECT lives_ok($$
	INSERT INTO auth.users (login, display_name, role, province_id, password_hash)
	VALUES ('scope.provincial', 'X', 'steering',
	    (SELECT id FROM geo.units WHERE level = 'province' AND code = '22'
	      AND valid_to IS NULL), 'x')
$$, 'provincial steering is accepted');

-- The login CHECK.
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('Admin2', 'X', 'admin', 'x')
$$, '23514', NULL, 'upper-case logins are refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('ab', 'X', 'admin', 'x')
$$, '23514', NULL, 'two-character logins are refused');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('.abc', 'X', 'admin', 'x')
$$, '23514', NULL, 'logins start with a letter or digit');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES (repeat('a', 64), 'X', 'admin', 'x')
$$, '23514', NULL, '64-character logins are refused');
SELECT lives_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES (repeat('b', 63), 'X', 'admin', 'x'), ('a.b', 'X', 'admin', 'x'),
	       ('0-_', 'X', 'admin', 'x')
$$, '3- and 63-character logins are accepted');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('nfc.test', normalize('Nguyễn Thị Hoà', NFD), 'admin', 'x')
$$, '23514', NULL, 'display names must be NFC');
SELECT throws_ok($$
	INSERT INTO auth.users (login, display_name, role, password_hash)
	VALUES ('admin', 'Again', 'admin', 'x')
$$, '23505', NULL, 'logins are unique');
SELECT throws_ok($$
	INSERT INTO auth.sessions (user_id, token_hash, expires_at)
	VALUES ((SELECT id FROM auth.users WHERE login = 'admin'),
	    '\x0102'::bytea, now() + interval '1 hour')
$$, '23514', NULL, 'a session token_hash is a 32-byte digest');

-- registry_app: no rights on any table, sequence or non-api schema.
SELECT is(has_table_privilege('registry_app', 'auth.users', 'SELECT'), false,
	'registry_app cannot SELECT auth.users');
SELECT is(has_table_privilege('registry_app', 'auth.sessions', 'SELECT'), false,
	'registry_app cannot SELECT auth.sessions');
SELECT is(has_table_privilege('registry_app', 'geo.units', 'SELECT'), false,
	'registry_app cannot SELECT geo.units');
SELECT is(has_table_privilege('registry_app', 'org.institutions', 'SELECT'), false,
	'registry_app cannot SELECT org.institutions');
SELECT is(has_table_privilege('registry_app', 'audit.log', 'SELECT'), false,
	'registry_app cannot SELECT audit.log');
SELECT is(has_table_privilege('registry_app', 'audit.log', 'INSERT'), false,
	'registry_app cannot INSERT into audit.log');
SELECT is(has_table_privilege('registry_app', 'audit.log', 'UPDATE'), false,
	'registry_app cannot UPDATE audit.log');
SELECT is(has_table_privilege('registry_app', 'audit.log', 'DELETE'), false,
	'registry_app cannot DELETE from audit.log');
SELECT is_empty($$
	SELECT n.nspname || '.' || c.relname FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname IN ('geo', 'org', 'auth', 'audit')
	   AND CASE WHEN c.relkind IN ('r', 'p', 'v', 'm', 'f')
		THEN has_table_privilege('registry_app', c.oid,
		    'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
		ELSE false END
$$, 'registry_app holds no right on any table in geo, org, auth, audit');
SELECT is_empty($$
	SELECT n.nspname || '.' || c.relname FROM pg_class c
	  JOIN pg_namespace n ON n.oid = c.relnamespace
	 WHERE n.nspname IN ('geo', 'org', 'auth', 'audit')
	   AND CASE WHEN c.relkind = 'S'
		THEN has_sequence_privilege('registry_app', c.oid, 'USAGE, SELECT, UPDATE')
		ELSE false END
$$, 'registry_app holds no right on any sequence in geo, org, auth, audit');
SELECT is(has_table_privilege('registry_app', 'public.schema_migrations',
	'SELECT'), false, 'registry_app cannot read schema_migrations');
SELECT is_empty($$
	SELECT nspname FROM pg_namespace
	 WHERE nspname IN ('geo', 'org', 'auth', 'audit', 'lib')
	   AND has_schema_privilege('registry_app', oid, 'USAGE, CREATE')
$$, 'registry_app has no USAGE on geo, org, auth, audit or lib');
SELECT ok(has_schema_privilege('registry_app', 'api', 'USAGE'),
	'registry_app may use the api schema');
SELECT ok(NOT has_schema_privilege('registry_app', 'api', 'CREATE'),
	'registry_app may not create in the api schema');

-- registry_api: the audit log is append-only for it.
SELECT ok(has_table_privilege('registry_api', 'audit.log', 'INSERT'),
	'registry_api may INSERT into audit.log');
SELECT ok(has_table_privilege('registry_api', 'audit.log', 'SELECT'),
	'registry_api may SELECT audit.log');
SELECT is(has_table_privilege('registry_api', 'audit.log', 'UPDATE'), false,
	'registry_api cannot UPDATE audit.log');
SELECT is(has_table_privilege('registry_api', 'audit.log', 'DELETE'), false,
	'registry_api cannot DELETE from audit.log');
SELECT is(has_table_privilege('registry_api', 'audit.log', 'TRUNCATE'), false,
	'registry_api cannot TRUNCATE audit.log');
SELECT ok(has_table_privilege('registry_api', 'auth.users', 'SELECT') AND
	has_table_privilege('registry_api', 'auth.users', 'UPDATE'),
	'registry_api may read and change accounts');

-- Functions: registry_app executes api.*, nothing else.
SELECT ok(has_function_privilege('registry_app', 'api.me(bigint)', 'EXECUTE'),
	'registry_app can EXECUTE api.me(bigint)');
SELECT is_empty($$
	SELECT p.oid::regprocedure::text FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'api'
	   AND NOT has_function_privilege('registry_app', p.oid, 'EXECUTE')
$$, 'registry_app can EXECUTE every api function');
SELECT is(has_function_privilege('registry_app', 'lib.actor(bigint)', 'EXECUTE'),
	false, 'registry_app cannot EXECUTE lib.actor');
SELECT is_empty($$
	SELECT p.oid::regprocedure::text FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'lib'
	   AND has_function_privilege('registry_app', p.oid, 'EXECUTE')
$$, 'registry_app cannot EXECUTE any lib function');
SELECT is(has_function_privilege('registry_app', 'audit.content(audit.log)',
	'EXECUTE'), false, 'registry_app cannot EXECUTE audit.content');
SELECT is(has_function_privilege('registry_app', 'audit.seal(boolean, integer)',
	'EXECUTE'), false, 'registry_app cannot EXECUTE audit.seal (only api.audit_seal)');
SELECT is(has_function_privilege('public', 'audit.seal(boolean, integer)',
	'EXECUTE'), false, 'PUBLIC cannot EXECUTE audit.seal');
SELECT is_empty($$
	SELECT p.oid::regprocedure::text FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'api'
	   AND (NOT p.prosecdef OR p.proowner <> 'registry_api'::regrole
		OR NOT coalesce(p.proconfig, '{}') @>
		    ARRAY['search_path=pg_catalog, public'])
$$, 'every api function is SECURITY DEFINER, owned by registry_api, with a fixed search_path');
SELECT is_empty($$
	SELECT p.oid::regprocedure::text FROM pg_proc p
	  JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'lib' AND p.prosecdef
$$, 'no lib function is SECURITY DEFINER');

-- The same, exercised: as registry_app.
SET LOCAL ROLE registry_app;
SELECT throws_ok('SELECT * FROM auth.users', '42501', NULL,
	'as registry_app, reading auth.users is denied');
SELECT throws_ok('SELECT count(*) FROM geo.units', '42501', NULL,
	'as registry_app, reading geo.units is denied');
SELECT throws_ok($$
	INSERT INTO audit.log (action, entity) VALUES ('forged', 'x')
$$, '42501', NULL, 'as registry_app, writing audit.log is denied');
SELECT throws_ok('SELECT lib.actor(1)', '42501', NULL,
	'as registry_app, calling lib.actor is denied');
SELECT throws_ok('SELECT api.me(NULL)', 'RG401', NULL,
	'as registry_app, api.me(NULL) refuses with RG401');
SELECT throws_ok('SELECT api.users_list(NULL, NULL, NULL, NULL, NULL)',
	'RG401', NULL, 'as registry_app, an api call without an actor is RG401');
RESET ROLE;
SELECT is(api.me((SELECT id FROM auth.users WHERE login = 'admin'))::jsonb ->> 'login',
	'admin', 'api.me answers for the admin (as owner)');

-- As registry_api: append-only audit log.
SET LOCAL ROLE registry_api;
SELECT lives_ok($$
	INSERT INTO audit.log (action, entity) VALUES ('schema-test', 'test')
$$, 'as registry_api, appending to audit.log works');
SELECT throws_ok($$
	UPDATE audit.log SET action = 'rewritten' WHERE action = 'schema-test'
$$, '42501', NULL, 'as registry_api, UPDATE audit.log is denied');
SELECT throws_ok($$
	DELETE FROM audit.log WHERE action = 'schema-test'
$$, '42501', NULL, 'as registry_api, DELETE FROM audit.log is denied');
SELECT throws_ok('TRUNCATE audit.log', '42501', NULL,
	'as registry_api, TRUNCATE audit.log is denied');
RESET ROLE;

-- Migrations are recorded.
SELECT ok(EXISTS (SELECT FROM public.schema_migrations
	WHERE version = '0001_foundation'), '0001_foundation is recorded');
SELECT is((SELECT count(*)::integer FROM public.schema_migrations
	WHERE version !~ '^[0-9]{4}_[a-z0-9_]+$'), 0,
	'every recorded migration is named NNNN_name');
SELECT is(api.health()::jsonb ->> 'schema',
	(SELECT max(version) FROM public.schema_migrations),
	'api.health reports the newest migration');
SELECT is(api.health()::jsonb ->> 'database', 'ok', 'api.health says ok');

-- Extensions the schema needs.
SELECT has_extension('pgcrypto');
SELECT has_extension('unaccent');
SELECT has_extension('pg_trgm');
SELECT has_extension('btree_gist');

SELECT * FROM finish();
ROLLBACK;
