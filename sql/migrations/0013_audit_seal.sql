-- The audit chain no longer holds business transactions up. Until now the
-- insert trigger took one lock for the whole log at a transaction's first
-- audit row and kept it to commit, so one long transaction (a 2,000-row
-- graduate dry run, which then wrote nothing) made every sign-in, write,
-- full-ID read and export in the country wait for it.
--
-- Now a transaction appends its rows unchained: the insert trigger only
-- draws the id and the time, and leaves seq, prev_hash and hash NULL.
-- Once rows are committed, audit.seal() chains them, one sealer at a time
-- (its own lock, held for its own short transaction and by nothing else):
-- in id order after the last sealed row, it gives each the next seq, the
-- previous row's hash as prev_hash, and sha256(prev_hash || content) as
-- hash, exactly the hash of 0001. Chain order is seq order, which is the
-- order rows were sealed in, close to commit order; id order is no longer
-- chain order (a transaction that commits late has its rows chained after
-- rows with higher ids). The server seals about once a second
-- (api.audit_seal, app/audit.c) and verification seals first.
--
-- A row is sealed once: the guard trigger below lets an UPDATE only seal
-- an unsealed row, with its content unchanged, the next seq, the hash of
-- the row before as prev_hash and the right hash, and refuses DELETE and
-- TRUNCATE, for every role including the table's owner (who can turn the
-- trigger off, which verification then catches like any other edit).
-- registry_api still holds only SELECT and INSERT on the log.

ALTER TABLE audit.log ADD COLUMN seq bigint;
ALTER TABLE audit.log ALTER COLUMN prev_hash DROP NOT NULL,
	ALTER COLUMN hash DROP NOT NULL;

-- Rows chained under the old trigger are chained in id order.
UPDATE audit.log l SET seq = n.seq
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq
	  FROM audit.log) n
 WHERE n.id = l.id;

ALTER TABLE audit.log ADD CONSTRAINT log_sealed_whole CHECK (
	(seq IS NULL AND prev_hash IS NULL AND hash IS NULL) OR
	(seq IS NOT NULL AND prev_hash IS NOT NULL AND hash IS NOT NULL));
CREATE UNIQUE INDEX audit_seq ON audit.log (seq);
CREATE INDEX audit_unsealed ON audit.log (id) WHERE seq IS NULL;

-- The insert trigger (log_chain, as before) owns id and at, and makes
-- every new row unchained whatever the caller says. It takes no lock.
CREATE OR REPLACE FUNCTION audit.chain() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	NEW.id := nextval('audit.log_id');
	NEW.at := clock_timestamp();
	NEW.seq := NULL;
	NEW.prev_hash := NULL;
	NEW.hash := NULL;
	RETURN NEW;
END
$$;

-- The one change a row may undergo: sealing, as audit.seal() does it.
CREATE FUNCTION audit.guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
	prev	bytea;
BEGIN
	IF TG_OP <> 'UPDATE' THEN
		RAISE EXCEPTION 'audit.log is append-only'
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF OLD.seq IS NOT NULL THEN
		RAISE EXCEPTION 'audit row % is sealed', OLD.id
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NEW.seq IS NULL OR audit.content(NEW) IS DISTINCT FROM
	    audit.content(OLD) THEN
		RAISE EXCEPTION 'audit row % may only be sealed', OLD.id
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF NEW.seq = 1 THEN
		prev := decode(repeat('00', 32), 'hex');
	ELSE
		SELECT l.hash INTO prev FROM audit.log l
		 WHERE l.seq = NEW.seq - 1;
	END IF;
	IF NEW.prev_hash IS DISTINCT FROM prev OR NEW.hash IS DISTINCT FROM public.digest(NEW.prev_hash ||
	    convert_to(audit.content(NEW), 'UTF8'), 'sha256') THEN
		RAISE EXCEPTION 'audit row % is not sealed after row seq %',
		    OLD.id, NEW.seq - 1 USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER log_guard BEFORE UPDATE OR DELETE ON audit.log
	FOR EACH ROW EXECUTE FUNCTION audit.guard();
CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log
	FOR EACH STATEMENT EXECUTE FUNCTION audit.guard();

-- Chains the committed unchained rows (and the caller's own), at most
-- p_max of them (NULL: all), in id order; returns how many. With p_wait
-- false it returns NULL at once when another sealer is at work (the
-- server's keeper in each worker); with true it waits for that one to
-- finish (verification, which must see every committed row sealed).
-- Called from READ COMMITTED: each statement's snapshot is taken after
-- the lock, so the tail read here is the last sealer's. (Under a stale
-- snapshot the unique seq or the guard refuses rather than fork the chain.)
CREATE FUNCTION audit.seal(p_wait boolean, p_max integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
	r	audit.log;
	s	bigint;
	prev	bytea;
	n	integer := 0;
BEGIN
	IF NOT EXISTS (SELECT FROM audit.log l WHERE l.seq IS NULL) THEN
		RETURN 0;
	END IF;
	IF p_wait THEN
		PERFORM pg_advisory_xact_lock(hashtext('audit.seal'));
	ELSIF NOT pg_try_advisory_xact_lock(hashtext('audit.seal')) THEN
		RETURN NULL;
	END IF;
	SELECT l.seq, l.hash INTO s, prev FROM audit.log l
	 WHERE l.seq IS NOT NULL ORDER BY l.seq DESC LIMIT 1;
	s := coalesce(s, 0);
	prev := coalesce(prev, decode(repeat('00', 32), 'hex'));
	FOR r IN SELECT * FROM audit.log l WHERE l.seq IS NULL
	    ORDER BY l.id LIMIT p_max LOOP
		s := s + 1;
		r.prev_hash := prev;
		prev := public.digest(prev || convert_to(audit.content(r),
		    'UTF8'), 'sha256');
		UPDATE audit.log SET seq = s, prev_hash = r.prev_hash,
		    hash = prev
		 WHERE id = r.id;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

REVOKE ALL ON FUNCTION audit.seal(boolean, integer), audit.guard() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.seal(boolean, integer), audit.guard()
	TO registry_api;
