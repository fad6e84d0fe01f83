-- Limits on what imports may learn and keep (issue 12, items 10, 18, 19):
--   - what a registrar registered is kept on the graduate itself
--     (registered_name, registered_birth_date, registered_sex), so that
--     its views show what it submitted, not the person record a province
--     may since have taken over and corrected (NULL on other sources,
--     and read as the person's record where a row predates them);
--   - every graduate import that writes nothing (a dry run, a refused
--     commit) leaves a row in training.graduate_import_checks, which
--     rate-limits them per user;
--   - hr.imports gets an index for the staging quota per province and
--     for the retention purge.

ALTER TABLE training.qualifications
	ADD COLUMN registered_name text COLLATE "vi-x-icu",
	ADD COLUMN registered_birth_date date,
	ADD COLUMN registered_sex text CHECK (registered_sex IN ('male', 'female'));

-- What was registered, as the audit log tells it (the person's audit
-- rows, found by the audit_entity index): the last registration or
-- correction naming each field, else the person's record as it is now,
-- the best that is known.
UPDATE training.qualifications q
   SET registered_name = coalesce((SELECT l.after ->> 'full_name'
		FROM audit.log l
	       WHERE l.entity = 'person' AND l.entity_id = q.person_id::text
		 AND l.action IN ('graduate.register', 'graduate.amend')
		 AND l.after ->> 'qualification_id' = q.id::text
		 AND l.after ? 'full_name'
	       ORDER BY l.id DESC LIMIT 1), p.full_name),
       registered_birth_date = coalesce((SELECT (l.after ->> 'birth_date')::date
		FROM audit.log l
	       WHERE l.entity = 'person' AND l.entity_id = q.person_id::text
		 AND l.action IN ('graduate.register', 'graduate.amend')
		 AND l.after ->> 'qualification_id' = q.id::text
		 AND l.after ? 'birth_date'
	       ORDER BY l.id DESC LIMIT 1), p.birth_date),
       registered_sex = coalesce((SELECT l.after ->> 'sex'
		FROM audit.log l
	       WHERE l.entity = 'person' AND l.entity_id = q.person_id::text
		 AND l.action IN ('graduate.register', 'graduate.amend')
		 AND l.after ->> 'qualification_id' = q.id::text
		 AND l.after ? 'sex'
	       ORDER BY l.id DESC LIMIT 1), p.sex)
  FROM hr.people p
 WHERE p.id = q.person_id AND q.source = 'registrar';


CREATE TABLE training.graduate_import_checks (
	user_id		bigint NOT NULL REFERENCES auth.users (id),
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX graduate_import_checks_user ON training.graduate_import_checks
	(user_id, at);
GRANT SELECT, INSERT, DELETE ON training.graduate_import_checks TO registry_api;

CREATE INDEX imports_province ON hr.imports (province_id, id);
CREATE INDEX imports_finished ON hr.imports (finished_at)
	WHERE status IN ('done', 'failed');
