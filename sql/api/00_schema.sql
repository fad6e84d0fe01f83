-- Re-created on every migrate: the api schema (entry points the server may
-- execute) and lib (helpers only the api functions use). Nothing in a
-- migration may depend on either.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS api CASCADE;
DROP SCHEMA IF EXISTS lib CASCADE;
CREATE SCHEMA api;
CREATE SCHEMA lib;
