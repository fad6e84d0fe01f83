-- The workforce registry: work units (where social work is done), people,
-- their assignments (employment spells, effective-dated so that any past
-- date can be counted), and spreadsheet imports with their staged rows.
--
-- Invariants live here as constraints so that no path (API, import, a
-- hand-run script) can break them: one spell per person, unit and category
-- at a time; end after start; an end reason exactly when a spell ended; a
-- citizen ID that agrees with the recorded birth year and sex.

CREATE SCHEMA hr;
GRANT USAGE ON SCHEMA hr TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA hr
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA hr
	GRANT USAGE, SELECT ON SEQUENCES TO registry_api;

CREATE TABLE hr.work_units (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text COLLATE "vi-x-icu" NOT NULL
			CHECK (name = normalize(name, NFC) AND name = btrim(name)
			    AND length(name) BETWEEN 2 AND 300),
	kind		text NOT NULL CHECK (kind IN ('commune_committee',
			    'commune_office', 'sw_centre', 'protection_public',
			    'protection_private', 'rehab_centre', 'shelter',
			    'school', 'hospital', 'police_justice', 'mass_org',
			    'other')),
	sector		text NOT NULL CHECK (sector IN ('administration',
			    'social_protection', 'health', 'education',
			    'justice', 'mass_org', 'other')),
	ownership	text NOT NULL CHECK (ownership IN ('public', 'non_public')),
	-- Today's commune; earlier placements are in work_unit_places.
	commune_id	integer NOT NULL REFERENCES geo.units (id),
	-- The commune's province, kept with the row because every scope
	-- check and every per-province list filters on it.
	province_id	integer NOT NULL REFERENCES geo.units (id),
	opened_on	date,
	closed_on	date,
	search		text GENERATED ALWAYS AS (public.fold(name)) STORED,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (closed_on IS NULL OR opened_on IS NULL OR closed_on >= opened_on),
	-- The kind already says who owns these.
	CHECK (kind <> 'protection_public' OR ownership = 'public'),
	CHECK (kind <> 'protection_private' OR ownership = 'non_public'),
	CHECK (kind NOT IN ('commune_committee', 'commune_office') OR
	    ownership = 'public')
);
CREATE INDEX work_units_province ON hr.work_units (province_id, name, id);
CREATE INDEX work_units_commune ON hr.work_units (commune_id);
CREATE INDEX work_units_search ON hr.work_units USING gin (search gin_trgm_ops);

-- Where a unit sat, and when: a boundary change moves a unit to the
-- successor commune without losing where it was.
CREATE TABLE hr.work_unit_places (
	work_unit_id	integer NOT NULL REFERENCES hr.work_units (id),
	commune_id	integer NOT NULL REFERENCES geo.units (id),
	valid		daterange NOT NULL,
	reason		text NOT NULL CHECK (reason IN ('created', 'moved',
			    'remapped')),
	EXCLUDE USING gist (work_unit_id WITH =, valid WITH &&)
);

CREATE TABLE hr.people (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	full_name	text COLLATE "vi-x-icu" NOT NULL
			CHECK (full_name = normalize(full_name, NFC)
			    AND full_name = btrim(full_name)
			    AND length(full_name) BETWEEN 2 AND 150),
	-- Vietnamese lists sort by the given name, the last word of the
	-- full name, then by the whole name.
	given_name	text COLLATE "vi-x-icu" GENERATED ALWAYS AS
			    (regexp_replace(full_name, '^.*\s', '')) STORED,
	citizen_id	text NOT NULL UNIQUE CHECK (citizen_id ~ '^[0-9]{12}$'),
	sex		text NOT NULL CHECK (sex IN ('male', 'female')),
	birth_date	date NOT NULL CHECK (birth_date >= '1900-01-01'),
	phone		text CHECK (phone ~ '^\+?[0-9]{8,15}$'),
	email		text CHECK (email ~ '^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$'
			    AND length(email) <= 254),
	ethnicity	text COLLATE "vi-x-icu"
			CHECK (ethnicity = normalize(ethnicity, NFC)
			    AND length(ethnicity) BETWEEN 1 AND 60),
	-- Summary the training records keep up to date.
	highest_qualification text,
	-- The province that keeps the record: its officers may edit it and
	-- see the full citizen ID. It follows the person on a transfer.
	province_id	integer NOT NULL REFERENCES geo.units (id),
	search		text GENERATED ALWAYS AS (public.fold(full_name)) STORED,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- Digit 4 is century and sex (0/1 the 1900s male/female, 2/3 the
	-- 2000s ...), digits 5-6 the year: the rest of the structure (the
	-- province or country prefix) is checked by the server.
	-- (An ID that is not 12 digits is the check above's to refuse.)
	CONSTRAINT people_citizen_id_birth CHECK (CASE
	    WHEN citizen_id !~ '^[0-9]{12}$' THEN true
	    ELSE substr(citizen_id, 4, 1)::integer / 2 =
		extract(year FROM birth_date)::integer / 100 - 19
	    AND substr(citizen_id, 4, 1)::integer % 2 =
		CASE sex WHEN 'male' THEN 0 ELSE 1 END
	    AND substr(citizen_id, 5, 2)::integer =
		extract(year FROM birth_date)::integer % 100 END)
);
CREATE INDEX people_order ON hr.people (given_name, full_name, id);
CREATE INDEX people_province ON hr.people (province_id, given_name, full_name, id);
CREATE INDEX people_search ON hr.people USING gin (search gin_trgm_ops);
-- "...123" searches by the last digits: a prefix search on the reverse.
CREATE INDEX people_citizen_id_tail ON hr.people
	(reverse(citizen_id) text_pattern_ops);

CREATE TABLE hr.assignments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	work_unit_id	integer NOT NULL REFERENCES hr.work_units (id),
	category	text NOT NULL CHECK (category IN ('professional',
			    'commune_post', 'concurrent', 'collaborator',
			    'volunteer')),
	fte		numeric(4, 3) NOT NULL CHECK (fte > 0 AND fte <= 1),
	allowance_vnd	bigint CHECK (allowance_vnd >= 0
			    AND allowance_vnd <= 1000000000),
	title_code	text CHECK (title_code IN ('V.09.04.01', 'V.09.04.02',
			    'V.09.04.03')),
	position	text COLLATE "vi-x-icu"
			CHECK (position = normalize(position, NFC)
			    AND length(position) BETWEEN 1 AND 200),
	start_date	date NOT NULL CHECK (start_date >= '1950-01-01'),
	end_date	date,
	end_reason	text CHECK (end_reason IN ('resigned', 'rotated',
			    'transferred', 'retired', 'contract_ended',
			    'dismissed', 'deceased', 'other')),
	-- NULL for an end before the start, so that the CHECK below, not
	-- daterange(), is what refuses it.
	span		daterange GENERATED ALWAYS AS (CASE
			    WHEN end_date IS NULL OR end_date >= start_date
			    THEN daterange(start_date, end_date, '[]') END) STORED,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (end_date IS NULL OR end_date >= start_date),
	CHECK ((end_date IS NULL) = (end_reason IS NULL)),
	-- Allowances are what collaborators are paid; a title is held by
	-- employees in a post.
	CHECK (allowance_vnd IS NULL OR category = 'collaborator'),
	CHECK (title_code IS NULL OR category IN ('professional', 'commune_post')),
	-- The unit leads: the planner also uses this index to find a unit's
	-- spells, which a person-first index would make a full scan.
	CONSTRAINT assignments_no_overlap EXCLUDE USING gist
	    (work_unit_id WITH =, person_id WITH =, category WITH =, span WITH &&)
);
CREATE INDEX assignments_person ON hr.assignments (person_id, start_date);
CREATE INDEX assignments_unit ON hr.assignments (work_unit_id, start_date);
CREATE INDEX assignments_span ON hr.assignments USING gist (span);

-- A spreadsheet import: staged rows, their problems, and progress. Small
-- files are checked and written in the request; large ones by the
-- server's import worker, a chunk at a time (rows_done / rows_total).
CREATE TABLE hr.imports (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_by	bigint NOT NULL REFERENCES auth.users (id),
	via		text NOT NULL,
	province_id	integer NOT NULL REFERENCES geo.units (id),
	filename	text,
	format		text NOT NULL CHECK (format IN ('csv', 'xlsx')),
	commit		boolean NOT NULL,
	status		text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued',
			    'checking', 'done', 'failed')),
	rows_total	integer NOT NULL,
	rows_done	integer NOT NULL DEFAULT 0,
	summary		jsonb,
	file_problems	jsonb NOT NULL DEFAULT '[]',
	created_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);
CREATE INDEX imports_pending ON hr.imports (id) WHERE status IN ('queued', 'checking');

CREATE TABLE hr.import_rows (
	import_id	bigint NOT NULL REFERENCES hr.imports (id) ON DELETE CASCADE,
	row		integer NOT NULL,
	data		jsonb NOT NULL,
	problems	jsonb NOT NULL DEFAULT '[]',
	checked		boolean NOT NULL DEFAULT false,
	-- The row's values, typed, once checked: what the import writes.
	person		hr.people,
	spell		hr.assignments,
	person_id	bigint,
	work_unit_id	integer,
	assignment_id	bigint,
	PRIMARY KEY (import_id, row)
);
