-- Exports have a row cap (issue 12 item 19): a selection of more than
-- lib.export_max_rows() rows (99,998: an export imports back within the
-- importer's 100,000 rows, headers included) is refused whole with 422
-- export-too-large, before any row is built or any audit row written.
-- The cap is lowered inside this test's transaction so that the demo
-- data is over it.
BEGIN;
SELECT plan(5);

\ir helpers.psql

SELECT pg_temp.uid('hr.quangninh') AS hrqn \gset

SELECT is(lib.export_max_rows(), 99998, 'the cap is 99,998 rows');

SELECT json_array_length(api.people_export(:hrqn, 'test', NULL, NULL, NULL,
	NULL, NULL, NULL)) AS rows \gset
SELECT cmp_ok(:rows, '>', 2, 'the province exports some rows');
SELECT count(*)::integer AS audits FROM audit.log WHERE action = 'people.export' \gset

-- psql does not expand variables inside a function body: \gexec does.
SELECT format('CREATE OR REPLACE FUNCTION lib.export_max_rows()
	RETURNS integer LANGUAGE sql IMMUTABLE AS $f$ SELECT %s $f$', :rows)
\gexec
SELECT is(json_array_length(api.people_export(:hrqn, 'test', NULL, NULL, NULL,
	NULL, NULL, NULL)), :rows, 'a selection of exactly the cap is exported');

SELECT format('CREATE OR REPLACE FUNCTION lib.export_max_rows()
	RETURNS integer LANGUAGE sql IMMUTABLE AS $f$ SELECT %s $f$', :rows - 1)
\gexec
SELECT is(pg_temp.err(format('SELECT api.people_export(%s, %L, NULL, NULL,
	NULL, NULL, NULL, NULL)', :hrqn, 'test')), 'RG422 export-too-large',
	'one row more is 422 export-too-large');
SELECT is((SELECT count(*) FROM audit.log WHERE action = 'people.export')::integer,
	:audits + 1, 'the refused export wrote no audit row');

SELECT * FROM finish();
ROLLBACK;
