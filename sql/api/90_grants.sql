-- The api and lib functions run as registry_api (SECURITY DEFINER on the
-- api entry points), whose table rights are exactly what they need; the
-- server's role may only execute the entry points. The entry points fix
-- their search_path; lib functions, reachable only from them, inherit it
-- (a SET clause on each would cost a settings change per call and stop
-- the planner inlining them, which an import of 50,000 rows feels).
ALTER SCHEMA api OWNER TO registry_api;
ALTER SCHEMA lib OWNER TO registry_api;
DO $$
DECLARE
	f	regprocedure;
BEGIN
	FOR f IN SELECT p.oid FROM pg_proc p JOIN pg_namespace n
	    ON n.oid = p.pronamespace WHERE n.nspname IN ('api', 'lib') LOOP
		EXECUTE format('ALTER FUNCTION %s OWNER TO registry_api', f);
	END LOOP;
	-- Lists take optional filters ("p_commune IS NULL OR ..."): a plan
	-- made for the values at hand beats a generic one that must serve all.
	FOR f IN SELECT p.oid FROM pg_proc p JOIN pg_namespace n
	    ON n.oid = p.pronamespace WHERE n.nspname = 'api' LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public', f);
		EXECUTE format('ALTER FUNCTION %s SET plan_cache_mode = force_custom_plan', f);
	END LOOP;
END
$$;
REVOKE ALL ON SCHEMA lib FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO registry_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO registry_app;
