-- Who stands behind a credential (issue 12, items 2, 9 and 19).
--
-- A course belongs to the national catalogue (province_id NULL, kept by
-- administrators) or to the one province that added it. A cohort names a
-- teaching institution only through a partnership (the api checks that
-- it is active, seen by the actor and of the cohort's province); a cohort
-- with no institution is the host province's department's own class. A
-- completion in an institution's cohort is confirmed by that
-- institution's registrar (or an administrator acting for it) before
-- anything is awarded in its name: confirmed_at/confirmed_by record who
-- did. A credential is issued by an institution or by a province's
-- department, never both.
--
-- The checks added here are NOT VALID: rows written before them keep
-- what they were (they are what was issued), every new or changed row
-- obeys.

ALTER TABLE training.courses
	ADD COLUMN province_id integer REFERENCES geo.units (id);
CREATE INDEX courses_province ON training.courses (province_id);

-- (No check ties a cohort's institution to a partnership here: classes
-- recorded before, and bulk loads such as tests/bench/gen's, name
-- institutions without one. Nothing is issued in an institution's name
-- for such a cohort: lib.credential_issuer requires the partnership.)
ALTER TABLE training.cohorts
	ALTER COLUMN institution_id DROP NOT NULL;

ALTER TABLE training.enrolments
	ADD COLUMN confirmed_at timestamptz,
	ADD COLUMN confirmed_by bigint REFERENCES auth.users (id),
	ADD CONSTRAINT enrolments_confirmed CHECK ((confirmed_at IS NULL) =
	    (confirmed_by IS NULL) AND (confirmed_at IS NULL OR
	    status = 'completed')) NOT VALID;

ALTER TABLE training.credentials
	ADD COLUMN province_id integer REFERENCES geo.units (id),
	ADD CONSTRAINT credentials_one_issuer CHECK
	    (num_nonnulls(institution_id, province_id) = 1) NOT VALID;
