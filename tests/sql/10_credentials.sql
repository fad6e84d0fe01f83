-- Credentials in the database: what an issued credential attests, that
-- only a signature over exactly that text is stored, that a signed
-- credential never changes, revocation, and the public view.
BEGIN;
SELECT plan(25);

\ir helpers.psql

CREATE TEMP TABLE t AS
WITH p AS (
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date)
	VALUES ('Trần Thị Mai', '001301099901', 'female', '2001-01-01')
	RETURNING id
), q AS (
	INSERT INTO training.qualifications (person_id, level, field,
	    programme_code, programme_name, institution_id, awarded_on,
	    diploma_number, source)
	SELECT p.id, 'dai_hoc', 'social_work', '7760101', 'Công tác xã hội',
	    i.id, '2026-06-30', 'SQL-TEST-1', 'registrar'
	  FROM p, org.institutions i WHERE i.code = 'ULSA'
	RETURNING id, person_id
)
SELECT q.id AS qid, q.person_id AS pid, lib.credential_issue(NULL, q.id) AS cid
  FROM q;

CREATE FUNCTION pg_temp.cred() RETURNS training.credentials
LANGUAGE sql AS $$
	SELECT c.* FROM training.credentials c JOIN t ON c.id = t.cid
$$;

-- A compact JWS over p_payload, with a dummy signature: the database
-- checks the payload, never the signature (it holds no key).
CREATE FUNCTION pg_temp.jws(p_payload text) RETURNS text
LANGUAGE sql AS $$
	SELECT 'eyJhbGciOiJFZERTQSJ9.' ||
	    rtrim(translate(encode(convert_to(p_payload, 'UTF8'), 'base64'),
		E'+/\n', '-_'), '=') || '.c2ln'
$$;

SELECT is((pg_temp.cred()).payload::jsonb ->> 'jti', 'urn:uuid:' ||
    (SELECT cid FROM t), 'the payload names the credential');
SELECT is((pg_temp.cred()).payload::jsonb ->> 'iss', 'urn:ctxh:issuer:ULSA',
    'the issuer is the awarding institution');
SELECT is((pg_temp.cred()).payload::jsonb #>> '{vc,subject,name}',
    'Trần Thị Mai', 'the holder is named');
SELECT is((pg_temp.cred()).payload::jsonb #>> '{vc,subject,citizen_id}',
    '•••••••••901', 'with the ID masked');
SELECT ok(position('001301099901' IN (pg_temp.cred()).payload) = 0,
    'the full ID is nowhere in the payload');
SELECT is((pg_temp.cred()).payload::jsonb #>> '{vc,achievement,diploma_number}',
    'SQL-TEST-1', 'the achievement carries the diploma number');
SELECT is((pg_temp.cred()).issued_on, '2026-06-30'::date,
    'issued on the graduation date');
SELECT is((pg_temp.cred()).institution_id,
    (SELECT id FROM org.institutions WHERE code = 'ULSA'),
    'the issuing institution is recorded');
SELECT is((pg_temp.cred()).jws, NULL, 'a new credential waits for its signature');

SELECT is((SELECT api.credentials_unsigned(1000)::jsonb -> '_sign' @>
    jsonb_build_array(jsonb_build_object('id', (SELECT cid FROM t)))),
    true, 'the signer''s batch lists it');

-- Storing a signature.
SELECT is(pg_temp.err(format(
    'SELECT api.credentials_store(%L)', jsonb_build_array(jsonb_build_object(
	'id', (SELECT cid FROM t), 'kid', 'k-1',
	'jws', pg_temp.jws('{"jti": "forged"}'))))), '23514 ',
    'a JWS over another text is refused');
SELECT is((pg_temp.cred()).jws, NULL, 'and nothing was stored');
SELECT is(api.credentials_store(jsonb_build_array(jsonb_build_object(
    'id', (SELECT cid FROM t), 'kid', 'k-1',
    'jws', pg_temp.jws((pg_temp.cred()).payload))))::jsonb ->> 'stored', '1',
    'a JWS over the issued text is stored');
SELECT is((pg_temp.cred()).kid, 'k-1', 'with its key id');
SELECT is(api.credentials_store(jsonb_build_array(jsonb_build_object(
    'id', (SELECT cid FROM t), 'kid', 'k-2',
    'jws', pg_temp.jws((pg_temp.cred()).payload))))::jsonb ->> 'stored', '0',
    'a second signature is not stored');
SELECT is((pg_temp.cred()).kid, 'k-1', 'the first stays');

-- Frozen once signed.
SELECT is(pg_temp.err(format('UPDATE training.credentials SET payload = %L
    WHERE id = %L', '{"jti": "x"}', (SELECT cid FROM t))), '23514 ',
    'the payload of a credential never changes');
SELECT is(pg_temp.err(format('UPDATE training.credentials SET jws = %L
    WHERE id = %L', 'a.b.c', (SELECT cid FROM t))), '23514 ',
    'nor does a stored signature');

-- Revocation.
SELECT is(pg_temp.err(format('SELECT api.credential_revoke(%s, %L, %L, %L)',
    pg_temp.uid('ulsa'), 'test', (SELECT cid FROM t), '{"reason": " a "}')),
    'RG422 too-short', 'a revocation says why');
SELECT is(pg_temp.err(format('SELECT api.credential_revoke(%s, %L, %L, %L)',
    pg_temp.uid('hr.quangninh'), 'test', (SELECT cid FROM t),
    '{"reason": "Cấp nhầm"}')), 'RG404 not-found',
    'an officer of another province does not see it');
SELECT is(api.credential_revoke(pg_temp.uid('ulsa'), 'test',
    (SELECT cid FROM t), '{"reason": "Cấp nhầm"}')::jsonb ->> 'status',
    'revoked', 'the issuing registrar revokes it');
SELECT is(pg_temp.err(format('UPDATE training.credentials SET revoked_at = NULL,
    revoked_reason = NULL WHERE id = %L', (SELECT cid FROM t))), '23514 ',
    'a revocation is never undone');

-- The public view: no person id, no full ID.
SELECT is((SELECT array_agg(k ORDER BY k) FROM json_object_keys(
    api.credential_public((SELECT cid FROM t))) AS k),
    ARRAY['id', 'jws', 'kid', 'payload', 'revoked', 'revoked_at',
	'revoked_on', 'revoked_reason'],
    'the public view has only the credential and its revocation');
SELECT is(api.credential_public((SELECT cid FROM t))::jsonb ->>
    'revoked_reason', 'Cấp nhầm', 'a revoked one says why');
SELECT is(api.credential_public(gen_random_uuid())::jsonb, NULL,
    'an unknown id is nothing');

SELECT * FROM finish();
ROLLBACK;
