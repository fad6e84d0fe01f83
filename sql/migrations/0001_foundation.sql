-- Foundation: geography (effective-dated units and their lineage), training
-- institutions (seed only; filled out later), accounts, sessions, API tokens,
-- login throttling, and the append-only, hash-chained audit log.
--
-- Privileges: registry_owner owns everything here. registry_api (NOLOGIN)
-- owns the SECURITY DEFINER functions in the api schema and holds exactly
-- the table rights they need: it may only INSERT and SELECT the audit log.
-- registry_app, the role the server connects as, holds no table rights at
-- all: it can only EXECUTE api.* functions, which take the actor and
-- enforce role and scope themselves.

-- The private cluster's sql/db creates the roles as superuser; on an
-- external database the owner needs CREATEROLE for this block.
DO $$
DECLARE
	r	text;
BEGIN
	FOREACH r IN ARRAY ARRAY['registry_api', 'registry_app'] LOOP
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I NOLOGIN', r);
		END IF;
		IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
			EXECUTE format('GRANT %I TO %I', r, current_user);
		END IF;
	END LOOP;
END
$$;

CREATE SCHEMA geo;
CREATE SCHEMA org;
CREATE SCHEMA auth;
CREATE SCHEMA audit;
GRANT USAGE ON SCHEMA geo, org, auth, audit TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA geo, org, auth
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA geo, org, auth
	GRANT USAGE, SELECT ON SEQUENCES TO registry_api;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Lower-case, diacritic-free form used by every name search: "Hạ Long"
-- and "ha long" fold to the same text. unaccent() is only STABLE because
-- its dictionary could change; ours is the fixed default, so the wrapper
-- may be IMMUTABLE and back generated columns and indexes.
CREATE FUNCTION public.fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
GRANT EXECUTE ON FUNCTION public.fold(text) TO registry_api;

-- Administrative units, effective-dated. A merger never rewrites a row: the
-- old unit gets valid_to, the new one a fresh row (which may keep the same
-- code, as a merged unit keeps the code of the unit hosting its seat).
CREATE TABLE geo.units (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL,
	level		text NOT NULL
			CHECK (level IN ('province', 'district', 'commune')),
	kind		text NOT NULL,
	name		text COLLATE "vi-x-icu" NOT NULL,
	full_name	text COLLATE "vi-x-icu" NOT NULL,
	name_en		text,
	parent_id	integer REFERENCES geo.units (id),
	valid_from	date,
	valid_to	date,
	search		text GENERATED ALWAYS AS (public.fold(name)) STORED,
	CHECK (name = normalize(name, NFC) AND full_name = normalize(full_name, NFC)),
	CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from),
	CHECK ((level = 'province' AND code ~ '^[0-9]{2}$') OR
	       (level = 'district' AND code ~ '^[0-9]{3}$') OR
	       (level = 'commune' AND code ~ '^[0-9]{5}$')),
	-- One version of a code at a time.
	EXCLUDE USING gist (level WITH =, code WITH =,
	    daterange(valid_from, valid_to, '[]') WITH &&)
);
CREATE INDEX units_parent ON geo.units (parent_id);
CREATE INDEX units_search ON geo.units USING gin (search gin_trgm_ops);

-- Old unit -> new unit. Many-to-many: a split commune feeds several new
-- ones (partial), a new commune is formed from several old ones.
CREATE TABLE geo.lineage (
	old_id		integer NOT NULL REFERENCES geo.units (id),
	new_id		integer NOT NULL REFERENCES geo.units (id),
	partial		boolean NOT NULL DEFAULT false,
	method		text NOT NULL,
	effective	date NOT NULL DEFAULT '2025-07-01',
	created_by	bigint,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (old_id, new_id),
	CHECK (old_id <> new_id)
);
CREATE INDEX lineage_new ON geo.lineage (new_id);

-- Names in the merger texts that the matcher could not resolve, kept with
-- the text they came from until an administrator maps them by hand.
CREATE TABLE geo.lineage_unresolved (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	new_id		integer NOT NULL REFERENCES geo.units (id),
	fragment	text NOT NULL,
	reason		text NOT NULL CHECK (reason IN ('unmatched', 'ambiguous')),
	candidates	text[] NOT NULL DEFAULT '{}',
	source_text	text NOT NULL,
	resolved_at	timestamptz,
	resolved_by	bigint,
	UNIQUE (new_id, fragment)
);

-- Training institutions: seed rows now, the full record comes later.
CREATE TABLE org.institutions (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
	name		text COLLATE "vi-x-icu" NOT NULL
			CHECK (name = normalize(name, NFC)),
	name_en		text,
	kind		text NOT NULL CHECK (kind IN ('university', 'college',
			    'vocational', 'centre', 'ngo')),
	province_id	integer REFERENCES geo.units (id),
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth.users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login		text NOT NULL UNIQUE
			CHECK (login ~ '^[a-z0-9][a-z0-9._-]{2,62}$'),
	display_name	text COLLATE "vi-x-icu" NOT NULL
			CHECK (display_name = normalize(display_name, NFC)
			    AND length(display_name) BETWEEN 1 AND 200),
	role		text NOT NULL CHECK (role IN ('admin', 'hr_officer',
			    'steering', 'registrar')),
	province_id	integer REFERENCES geo.units (id),
	institution_id	integer REFERENCES org.institutions (id),
	password_hash	text NOT NULL,
	password_set_at	timestamptz NOT NULL DEFAULT now(),
	disabled_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- Scope follows role: national admins, one province for officers,
	-- a province or the nation for steering, one institution for
	-- registrars.
	CONSTRAINT users_scope CHECK (
	    (role = 'admin' AND province_id IS NULL AND institution_id IS NULL) OR
	    (role = 'hr_officer' AND province_id IS NOT NULL AND institution_id IS NULL) OR
	    (role = 'steering' AND institution_id IS NULL) OR
	    (role = 'registrar' AND institution_id IS NOT NULL AND province_id IS NULL))
);

-- A session is known only by the SHA-256 of its cookie value.
CREATE TABLE auth.sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES auth.users (id),
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	ended_at	timestamptz,
	ended_reason	text,
	ip		inet,
	user_agent	text
);
CREATE INDEX sessions_user ON auth.sessions (user_id) WHERE ended_at IS NULL;

CREATE TABLE auth.tokens (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES auth.users (id),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	token_hash	bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	created_at	timestamptz NOT NULL DEFAULT now(),
	created_by	bigint NOT NULL REFERENCES auth.users (id),
	last_used_at	timestamptz,
	revoked_at	timestamptz,
	revoked_by	bigint REFERENCES auth.users (id)
);
CREATE INDEX tokens_user ON auth.tokens (user_id);

CREATE TABLE auth.login_attempts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	outcome		text NOT NULL CHECK (outcome IN ('success', 'failure',
			    'throttled', 'disabled')),
	ip		inet
);
CREATE INDEX login_attempts_login_at ON auth.login_attempts (login, at);

-- The audit log. Each row stores the SHA-256 of the previous row's hash
-- followed by its own canonical content, so editing or reordering any row
-- breaks the chain from that row on. Ids are drawn inside the insert
-- trigger, under a lock, so id order is chain order even when concurrent
-- transactions insert.
CREATE SEQUENCE audit.log_id;
CREATE TABLE audit.log (
	id		bigint PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor_id	bigint,
	actor_login	text,
	actor_role	text,
	via		text,
	action		text NOT NULL,
	entity		text NOT NULL,
	entity_id	text,
	before		jsonb,
	after		jsonb,
	prev_hash	bytea NOT NULL,
	hash		bytea NOT NULL
);
CREATE INDEX audit_actor ON audit.log (actor_id, id);
CREATE INDEX audit_entity ON audit.log (entity, entity_id, id);
CREATE INDEX audit_at ON audit.log (at);

-- Canonical text of a row's content, independent of session settings
-- (time zone, date style): what the hash covers.
CREATE FUNCTION audit.content(l audit.log) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_array(l.id,
	    to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	    l.actor_id, l.actor_login, l.actor_role, l.via, l.action,
	    l.entity, l.entity_id, l.before, l.after)::text
$$;

CREATE FUNCTION audit.chain() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	prev	bytea;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('audit.log'));
	NEW.id := nextval('audit.log_id');
	NEW.at := clock_timestamp();
	SELECT l.hash INTO prev FROM audit.log l ORDER BY l.id DESC LIMIT 1;
	NEW.prev_hash := coalesce(prev, decode(repeat('00', 32), 'hex'));
	NEW.hash := public.digest(NEW.prev_hash ||
	    convert_to(audit.content(NEW), 'UTF8'), 'sha256');
	RETURN NEW;
END
$$;
CREATE TRIGGER log_chain BEFORE INSERT ON audit.log
	FOR EACH ROW EXECUTE FUNCTION audit.chain();

GRANT SELECT, INSERT ON audit.log TO registry_api;
GRANT USAGE ON SEQUENCE audit.log_id TO registry_api;
GRANT EXECUTE ON FUNCTION audit.content(audit.log), audit.chain() TO registry_api;
GRANT SELECT ON public.schema_migrations TO registry_api;
