-- Training and credentials: institutions' full records and partnerships,
-- the course catalogue, cohorts (classes) and enrolments, qualifications
-- (degrees registered by universities or recorded by officers),
-- certificates, practice registration, and the signed credentials issued
-- when a course is completed or a graduate registered.
--
-- The invariants a registry of diplomas must never lose live here: one
-- enrolment per person and cohort, a cohort never over capacity (checked
-- under a row lock by a trigger, so every path obeys it), one diploma
-- number per institution, and a credential that names exactly what it
-- attests.

CREATE SCHEMA training;
GRANT USAGE ON SCHEMA training TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA training
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA training
	GRANT USAGE, SELECT ON SEQUENCES TO registry_api;

-- Levels of the Vietnamese qualifications framework, lowest first; the
-- order is what "trung cấp or higher" compares.
CREATE FUNCTION training.level_rank(level text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT array_position(ARRAY['so_cap', 'trung_cap', 'cao_dang',
	    'dai_hoc', 'thac_si', 'tien_si'], level)
$$;
GRANT EXECUTE ON FUNCTION training.level_rank(text) TO registry_api;

-- The full institution record: recognition to issue social-work
-- certificates (and the decision that granted it) and a contact.
ALTER TABLE org.institutions
	DROP CONSTRAINT institutions_kind_check,
	ADD CONSTRAINT institutions_kind_check CHECK (kind IN ('university',
	    'college', 'vocational', 'centre', 'ngo', 'international')),
	ADD COLUMN recognised boolean NOT NULL DEFAULT false,
	ADD COLUMN recognition_decision text
	    CHECK (length(recognition_decision) BETWEEN 1 AND 200),
	ADD COLUMN recognised_on date,
	ADD COLUMN contact_name text COLLATE "vi-x-icu"
	    CHECK (contact_name = normalize(contact_name, NFC)
		AND length(contact_name) BETWEEN 1 AND 150),
	ADD COLUMN contact_email text
	    CHECK (contact_email ~ '^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$'
		AND length(contact_email) <= 254),
	ADD COLUMN contact_phone text CHECK (contact_phone ~ '^\+?[0-9]{8,15}$'),
	ADD COLUMN address text CHECK (length(address) BETWEEN 1 AND 300),
	ADD COLUMN website text CHECK (website ~ '^https?://[^\s]{3,250}$'),
	ADD COLUMN search text GENERATED ALWAYS AS (public.fold(name)) STORED,
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	-- A recognition is granted by a decision, on a date.
	ADD CONSTRAINT institutions_recognition CHECK (NOT recognised OR
	    (recognition_decision IS NOT NULL AND recognised_on IS NOT NULL));

-- An agreement between an institution and a province (training the
-- province's staff) or another institution (ULSA with the Đồng Tháp
-- community college).
CREATE TABLE training.partnerships (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	institution_id	integer NOT NULL REFERENCES org.institutions (id),
	province_id	integer REFERENCES geo.units (id),
	partner_institution_id integer REFERENCES org.institutions (id),
	agreement_number text NOT NULL
			CHECK (agreement_number = btrim(agreement_number)
			    AND length(agreement_number) BETWEEN 1 AND 80),
	signed_on	date NOT NULL CHECK (signed_on >= '2000-01-01'),
	valid_from	date NOT NULL,
	valid_until	date,
	-- Course codes (programme codes for degrees) the agreement covers.
	programmes	text[] NOT NULL DEFAULT '{}',
	seats_per_year	integer CHECK (seats_per_year BETWEEN 0 AND 100000),
	status		text NOT NULL DEFAULT 'active' CHECK (status IN ('draft',
			    'active', 'suspended', 'ended')),
	notes		text CHECK (length(notes) <= 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(province_id, partner_institution_id) = 1),
	CHECK (partner_institution_id <> institution_id),
	CHECK (valid_until IS NULL OR valid_until >= valid_from),
	UNIQUE (institution_id, agreement_number)
);
CREATE INDEX partnerships_province ON training.partnerships (province_id);
CREATE INDEX partnerships_partner ON training.partnerships (partner_institution_id);

-- The catalogue: degree programmes by level, short courses by topic and
-- title-training courses for a professional title.
CREATE TABLE training.courses (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[A-Z0-9][A-Z0-9.-]{1,31}$'),
	name		text COLLATE "vi-x-icu" NOT NULL
			CHECK (name = normalize(name, NFC) AND name = btrim(name)
			    AND length(name) BETWEEN 2 AND 300),
	name_en		text CHECK (length(name_en) BETWEEN 2 AND 300),
	kind		text NOT NULL CHECK (kind IN ('degree', 'short_course',
			    'title_training')),
	level		text CHECK (training.level_rank(level) IS NOT NULL),
	-- The national programme code of a degree (7760101 social work,
	-- bachelor); several institutions teach the same programme.
	programme_code	text CHECK (programme_code ~ '^[0-9]{7}$'),
	field		text CHECK (field IN ('social_work', 'sociology',
			    'psychology', 'special_education',
			    'related_social_science', 'other')),
	topic		text CHECK (topic IN ('sw_general', 'case_management',
			    'child_protection', 'violence_prevention',
			    'disability', 'drug_rehabilitation', 'elderly_care',
			    'mental_health', 'community_development', 'other')),
	title_code	text CHECK (title_code IN ('V.09.04.01', 'V.09.04.02',
			    'V.09.04.03')),
	hours		integer NOT NULL CHECK (hours BETWEEN 1 AND 20000),
	counts_as_sw_training boolean NOT NULL DEFAULT false,
	active		boolean NOT NULL DEFAULT true,
	search		text GENERATED ALWAYS AS (public.fold(name)) STORED,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- A degree has a level and a field; a short course a topic; a
	-- title-training course the title it prepares for.
	CHECK ((kind = 'degree') = (level IS NOT NULL)),
	CHECK (kind <> 'degree' OR field IS NOT NULL),
	CHECK (programme_code IS NULL OR kind = 'degree'),
	CHECK ((kind = 'short_course') = (topic IS NOT NULL)),
	CHECK ((kind = 'title_training') = (title_code IS NOT NULL))
);

-- A class of a course, taught by an institution, hosted by a province.
CREATE TABLE training.cohorts (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	course_id	integer NOT NULL REFERENCES training.courses (id),
	institution_id	integer NOT NULL REFERENCES org.institutions (id),
	province_id	integer NOT NULL REFERENCES geo.units (id),
	partnership_id	integer REFERENCES training.partnerships (id),
	name		text COLLATE "vi-x-icu"
			CHECK (name = normalize(name, NFC) AND name = btrim(name)
			    AND length(name) BETWEEN 2 AND 300),
	start_date	date NOT NULL CHECK (start_date >= '2000-01-01'),
	end_date	date NOT NULL,
	capacity	integer NOT NULL CHECK (capacity BETWEEN 1 AND 5000),
	modality	text NOT NULL DEFAULT 'in_person' CHECK (modality IN
			    ('in_person', 'part_time', 'online', 'blended')),
	funding		text NOT NULL CHECK (funding IN ('national_programme',
			    'provincial_budget', 'partner', 'tuition', 'other')),
	status		text NOT NULL DEFAULT 'planned' CHECK (status IN
			    ('planned', 'open', 'running', 'completed',
			    'cancelled')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (end_date >= start_date)
);
CREATE INDEX cohorts_province ON training.cohorts (province_id, start_date);
CREATE INDEX cohorts_course ON training.cohorts (course_id);
CREATE INDEX cohorts_partnership ON training.cohorts (partnership_id);

CREATE TABLE training.enrolments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	cohort_id	integer NOT NULL REFERENCES training.cohorts (id),
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	status		text NOT NULL DEFAULT 'planned' CHECK (status IN
			    ('planned', 'enrolled', 'completed', 'failed',
			    'withdrawn')),
	hours_attended	numeric(7, 1) CHECK (hours_attended BETWEEN 0 AND 20000),
	result		text CHECK (result = btrim(result)
			    AND length(result) BETWEEN 1 AND 100),
	completed_on	date,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'completed') = (completed_on IS NOT NULL)),
	UNIQUE (cohort_id, person_id)
);
CREATE INDEX enrolments_person ON training.enrolments (person_id);

-- Seats: every enrolment but a withdrawn one holds a seat. The cohort row
-- is locked first, so two concurrent enrolments cannot both take the
-- last seat.
CREATE FUNCTION training.enrolments_capacity() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	cap	integer;
	taken	integer;
BEGIN
	IF NEW.status = 'withdrawn' OR (TG_OP = 'UPDATE' AND
	    OLD.status <> 'withdrawn' AND OLD.cohort_id = NEW.cohort_id) THEN
		RETURN NEW;
	END IF;
	SELECT capacity INTO cap FROM training.cohorts
	 WHERE id = NEW.cohort_id FOR UPDATE;
	SELECT count(*) INTO taken FROM training.enrolments
	 WHERE cohort_id = NEW.cohort_id AND status <> 'withdrawn'
	   AND id IS DISTINCT FROM NEW.id;
	IF taken >= cap THEN
		RAISE EXCEPTION 'cohort % is full (% seats)', NEW.cohort_id, cap
		    USING ERRCODE = 'check_violation',
			  CONSTRAINT = 'enrolments_capacity';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER enrolments_capacity BEFORE INSERT OR UPDATE ON training.enrolments
	FOR EACH ROW EXECUTE FUNCTION training.enrolments_capacity();

-- The same for a cohort whose capacity is lowered below its enrolments.
CREATE FUNCTION training.cohorts_capacity() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF NEW.capacity < (SELECT count(*) FROM training.enrolments
	    WHERE cohort_id = NEW.id AND status <> 'withdrawn') THEN
		RAISE EXCEPTION 'cohort % has more enrolments than %',
		    NEW.id, NEW.capacity
		    USING ERRCODE = 'check_violation',
			  CONSTRAINT = 'cohorts_capacity';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER cohorts_capacity BEFORE UPDATE OF capacity ON training.cohorts
	FOR EACH ROW EXECUTE FUNCTION training.cohorts_capacity();

-- A degree held: registered by the university that awarded it (the
-- registrar's "graduate"), recorded by an officer from the diploma, or
-- earned by completing a degree cohort.
CREATE TABLE training.qualifications (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	level		text NOT NULL CHECK (training.level_rank(level) IS NOT NULL),
	field		text NOT NULL CHECK (field IN ('social_work', 'sociology',
			    'psychology', 'special_education',
			    'related_social_science', 'other')),
	programme_code	text CHECK (programme_code ~ '^[0-9]{7}$'),
	programme_name	text COLLATE "vi-x-icu"
			CHECK (programme_name = normalize(programme_name, NFC)
			    AND length(programme_name) BETWEEN 2 AND 300),
	-- An institution in the registry, or the name of one that is not
	-- (abroad, closed).
	institution_id	integer REFERENCES org.institutions (id),
	institution_name text CHECK (length(institution_name) BETWEEN 2 AND 300),
	awarded_on	date NOT NULL CHECK (awarded_on >= '1950-01-01'),
	diploma_number	text CHECK (diploma_number = btrim(diploma_number)
			    AND length(diploma_number) BETWEEN 1 AND 60),
	source		text NOT NULL CHECK (source IN ('registrar', 'officer',
			    'enrolment')),
	enrolment_id	bigint UNIQUE REFERENCES training.enrolments (id),
	recorded_by	bigint REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(institution_id, institution_name) = 1),
	-- What a registrar registers is its own diploma, numbered.
	CHECK (source <> 'registrar' OR
	    (institution_id IS NOT NULL AND diploma_number IS NOT NULL)),
	CHECK ((source = 'enrolment') = (enrolment_id IS NOT NULL)),
	CONSTRAINT qualifications_diploma UNIQUE (institution_id, diploma_number)
);
CREATE INDEX qualifications_person ON training.qualifications (person_id);
CREATE INDEX qualifications_registered ON training.qualifications
	(institution_id, awarded_on, id) WHERE source = 'registrar';

-- Everything short of a degree: a course completed, a title-training
-- certificate, a supervised-practice result.
CREATE TABLE training.certificates (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	kind		text NOT NULL CHECK (kind IN ('course', 'title_training',
			    'practice_result')),
	name		text COLLATE "vi-x-icu" NOT NULL
			CHECK (name = normalize(name, NFC)
			    AND length(name) BETWEEN 2 AND 300),
	course_id	integer REFERENCES training.courses (id),
	enrolment_id	bigint UNIQUE REFERENCES training.enrolments (id),
	institution_id	integer REFERENCES org.institutions (id),
	issuer_name	text CHECK (length(issuer_name) BETWEEN 2 AND 300),
	number		text CHECK (length(number) BETWEEN 1 AND 60),
	issued_on	date NOT NULL CHECK (issued_on >= '1950-01-01'),
	hours		numeric(7, 1) CHECK (hours > 0),
	counts_as_sw_training boolean NOT NULL DEFAULT false,
	title_code	text CHECK (title_code IN ('V.09.04.01', 'V.09.04.02',
			    'V.09.04.03')),
	-- Supervised practice, counted against the 12/9/6-month rule.
	practice_months	numeric(4, 1) CHECK (practice_months > 0
			    AND practice_months <= 120),
	recorded_by	bigint REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'title_training') = (title_code IS NOT NULL)),
	CHECK ((kind = 'practice_result') = (practice_months IS NOT NULL)),
	CHECK (num_nonnulls(institution_id, issuer_name) >= 1)
);
CREATE INDEX certificates_person ON training.certificates (person_id);

-- The practice registration certificate (Decree 110/2024/NĐ-CP),
-- mandatory from 2027-01-01.
CREATE TABLE training.practice_registrations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	number		text NOT NULL UNIQUE CHECK (number = btrim(number)
			    AND length(number) BETWEEN 1 AND 60),
	issued_by	text NOT NULL CHECK (length(issued_by) BETWEEN 2 AND 300),
	issued_on	date NOT NULL CHECK (issued_on >= '2024-10-15'),
	expires_on	date,
	status		text NOT NULL DEFAULT 'active' CHECK (status IN
			    ('active', 'suspended', 'revoked')),
	recorded_by	bigint REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (expires_on IS NULL OR expires_on > issued_on)
);
CREATE INDEX practice_registrations_person
	ON training.practice_registrations (person_id, expires_on);

-- A signed, verifiable credential. The database issues it in the same
-- transaction as what it attests and fixes the exact payload; the server,
-- which alone holds the signing keys, signs it (kid, jws) right after,
-- and its signer signs whatever a crash or a bulk import left unsigned.
CREATE TABLE training.credentials (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	person_id	bigint NOT NULL REFERENCES hr.people (id),
	enrolment_id	bigint REFERENCES training.enrolments (id),
	qualification_id bigint REFERENCES training.qualifications (id),
	institution_id	integer REFERENCES org.institutions (id),
	issued_on	date NOT NULL,
	-- The JSON text signed, byte for byte.
	payload		text NOT NULL CHECK (payload::jsonb ? 'jti'),
	kid		text CHECK (kid ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	jws		text CHECK (length(jws) <= 16384),
	signed_at	timestamptz,
	revoked_at	timestamptz,
	revoked_reason	text CHECK (length(revoked_reason) BETWEEN 3 AND 500),
	revoked_by	bigint REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (num_nonnulls(enrolment_id, qualification_id) = 1),
	CHECK ((kid IS NULL) = (jws IS NULL) AND (jws IS NULL) = (signed_at IS NULL)),
	CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX credentials_person ON training.credentials (person_id);
CREATE INDEX credentials_qualification ON training.credentials (qualification_id);
CREATE INDEX credentials_enrolment ON training.credentials (enrolment_id);
CREATE INDEX credentials_unsigned ON training.credentials (created_at)
	WHERE jws IS NULL;

-- A signed credential attests for ever: its payload and signature never
-- change (a correction revokes it and issues another).
CREATE FUNCTION training.credentials_frozen() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF OLD.payload <> NEW.payload OR OLD.person_id <> NEW.person_id OR
	    (OLD.jws IS NOT NULL AND (NEW.jws IS DISTINCT FROM OLD.jws OR
	    NEW.kid IS DISTINCT FROM OLD.kid)) OR
	    (OLD.revoked_at IS NOT NULL AND
	    NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
		RAISE EXCEPTION 'credential % is frozen', OLD.id
		    USING ERRCODE = 'check_violation',
			  CONSTRAINT = 'credentials_frozen';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER credentials_frozen BEFORE UPDATE ON training.credentials
	FOR EACH ROW EXECUTE FUNCTION training.credentials_frozen();

-- People registered by a university before any province employs them are
-- kept by no province yet: the first province that employs them takes
-- the record.
ALTER TABLE hr.people ALTER COLUMN province_id DROP NOT NULL;
