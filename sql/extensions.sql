SET client_min_messages = warning;
-- Extensions the schema uses. Run by a superuser (sql/db does it for the
-- private cluster; an external database needs them created once by its
-- administrator). pgcrypto: digests for the audit chain; unaccent and
-- pg_trgm: diacritic-insensitive and typo-tolerant search.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- btree_gist: the exclusion constraint that keeps a unit code's versions
-- from overlapping in time.
CREATE EXTENSION IF NOT EXISTS btree_gist;
