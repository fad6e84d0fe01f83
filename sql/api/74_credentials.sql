-- Signed credentials. The database issues a credential in the transaction
-- that earns it (an enrolment completed, a graduate registered) and fixes
-- the exact JSON text to be signed. The server holds the keys: it signs
-- what a response lists under "_sign" and stores the compact JWS through
-- api.credentials_store, which checks that the JWS carries exactly the
-- payload issued. The server's signer also signs whatever is left
-- unsigned (a bulk import, a crash between the two steps).

-- The department of a province that issues in its own name (the
-- credentials of the classes it runs itself), as printed: "Sở Y tế tỉnh
-- Quảng Ninh" (social protection and social work are the Department of
-- Health's since the 2025 reorganisation).
CREATE FUNCTION lib.department_name(p_province integer) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT 'Sở Y tế ' || lower(left(g.full_name, 1)) ||
	    substr(g.full_name, 2)
	  FROM geo.units g WHERE g.id = p_province
$$;

-- Who stands behind a credential (README "Who issues a credential"):
--   a registered degree (a graduate): the institution that registered
--     it, through its registrar or an administrator acting for it;
--   a completion in a cohort taught by an institution (named through an
--     active partnership with the host province): that institution, once
--     its registrar (or an administrator) confirmed the completion;
--   a completion in a cohort with no teaching institution: the host
--     province's department.
-- Returns {institution_id, province_id, code, name, iss} of the issuer,
-- or NULL when no one stands behind it (nothing may be issued then).
-- PL/pgSQL, not SQL: it is called several times for each credential of a
-- 2,000-row graduate file, and only PL/pgSQL keeps its plans between calls
-- (as an SQL function each call was planned afresh, about 1 ms).
CREATE FUNCTION lib.credential_issuer(p_enrolment bigint,
    p_qualification bigint) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF p_enrolment IS NULL THEN
		RETURN (SELECT jsonb_build_object('institution_id', i.id,
		    'province_id', NULL::integer, 'code', i.code, 'name', i.name,
		    'iss', 'urn:ctxh:issuer:' || i.code)
		  FROM training.qualifications q
		  JOIN org.institutions i ON i.id = q.institution_id
		 WHERE q.id = p_qualification AND q.source = 'registrar');
	END IF;
	RETURN (SELECT CASE WHEN h.institution_id IS NULL THEN jsonb_build_object(
		'institution_id', NULL::integer, 'province_id', g.id,
		'code', 'SYT-' || g.code, 'name', lib.department_name(g.id),
		'iss', 'urn:ctxh:issuer:province:' || g.code)
	    ELSE jsonb_build_object('institution_id', i.id,
		'province_id', NULL::integer, 'code', i.code, 'name', i.name,
		'iss', 'urn:ctxh:issuer:' || i.code) END
	  FROM training.enrolments e
	  JOIN training.cohorts h ON h.id = e.cohort_id
	  JOIN geo.units g ON g.id = h.province_id
	  JOIN auth.users u ON u.id = e.confirmed_by
	  LEFT JOIN org.institutions i ON i.id = h.institution_id
	 WHERE e.id = p_enrolment AND e.status = 'completed'
	   AND e.confirmed_at IS NOT NULL
	   AND (u.role = 'admin' OR CASE WHEN h.institution_id IS NULL
		THEN u.role = 'hr_officer' AND u.province_id = h.province_id
		ELSE u.role = 'registrar' AND u.institution_id = h.institution_id
		    AND h.partnership_id IS NOT NULL END));
END
$$;

-- The achievement a credential attests, from what earned it, in the
-- name of p_who (lib.credential_issuer's answer, computed once by the
-- caller: as a joined subquery it was called again for each use).
CREATE FUNCTION lib.credential_payload(p_id uuid, p_issued timestamptz,
    p_enrolment bigint, p_qualification bigint, p_who jsonb) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object(
	    'jti', 'urn:uuid:' || p_id,
	    'iss', p_who ->> 'iss',
	    'iat', extract(epoch FROM date_trunc('second', p_issued))::bigint,
	    'vc', jsonb_build_object(
		'type', jsonb_build_array('VerifiableCredential', a.type),
		'issuer', jsonb_build_object('code', p_who ->> 'code',
		    'name', p_who ->> 'name'),
		'issued_on', a.issued_on,
		'subject', jsonb_build_object('name', p.full_name,
		    'citizen_id', lib.cccd_mask(p.citizen_id)),
		'achievement', jsonb_strip_nulls(a.achievement)))
	  FROM (
		SELECT 'SocialWorkCourseCredential' AS type, e.person_id,
		    e.completed_on AS issued_on,
		    jsonb_build_object('kind', c.kind, 'code', c.code,
			'name', c.name, 'level', c.level, 'field', c.field,
			'title_code', c.title_code, 'hours', c.hours,
			'hours_attended', e.hours_attended,
			'result', e.result, 'cohort_id', h.id,
			'counts_as_sw_training', c.counts_as_sw_training,
			'completed_on', e.completed_on) AS achievement
		  FROM training.enrolments e
		  JOIN training.cohorts h ON h.id = e.cohort_id
		  JOIN training.courses c ON c.id = h.course_id
		 WHERE e.id = p_enrolment
		UNION ALL
		SELECT 'SocialWorkDegreeCredential', q.person_id,
		    q.awarded_on,
		    jsonb_build_object('kind', 'degree',
			'code', q.programme_code, 'name', q.programme_name,
			'level', q.level, 'field', q.field,
			'diploma_number', q.diploma_number,
			'completed_on', q.awarded_on)
		  FROM training.qualifications q
		 WHERE q.id = p_qualification AND p_enrolment IS NULL
	  ) a
	  JOIN hr.people p ON p.id = a.person_id
	 WHERE p_who IS NOT NULL
$$;

-- Issues the credential for a completed enrolment or a registered
-- qualification (exactly one of them) and returns its id. Whatever path
-- calls it, nothing is issued that lib.credential_issuer does not stand
-- behind (42501, a 403: the api functions refuse earlier and better).
CREATE FUNCTION lib.credential_issue(p_enrolment bigint,
    p_qualification bigint) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
	cid	uuid := gen_random_uuid();
	issued	timestamptz := now();
	who	jsonb := lib.credential_issuer(p_enrolment, p_qualification);
	body	jsonb := lib.credential_payload(cid, issued, p_enrolment,
	    p_qualification, who);
BEGIN
	IF who IS NULL THEN
		RAISE EXCEPTION 'no issuer stands behind this credential (enrolment %, qualification %)',
		    p_enrolment, p_qualification
		    USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF body IS NULL THEN
		RAISE EXCEPTION 'nothing to attest (enrolment %, qualification %)',
		    p_enrolment, p_qualification;
	END IF;
	INSERT INTO training.credentials (id, person_id, enrolment_id,
	    qualification_id, institution_id, province_id, issued_on, payload,
	    created_at)
	SELECT cid, coalesce(e.person_id, q.person_id), p_enrolment,
	    p_qualification, (who ->> 'institution_id')::integer,
	    (who ->> 'province_id')::integer, (body #>> '{vc,issued_on}')::date,
	    body::text, issued
	  FROM (SELECT) one
	  LEFT JOIN training.enrolments e ON e.id = p_enrolment
	  LEFT JOIN training.qualifications q ON q.id = p_qualification;
	RETURN cid;
END
$$;

-- Revokes the live credentials of an enrolment or qualification (one
-- corrected or undone), so that only the new one verifies.
CREATE FUNCTION lib.credentials_supersede(me auth.users, p_via text,
    p_enrolment bigint, p_qualification bigint, p_reason text)
RETURNS void
LANGUAGE sql
AS $$
	WITH gone AS (
		UPDATE training.credentials
		   SET revoked_at = now(), revoked_reason = p_reason,
		       revoked_by = me.id
		 WHERE revoked_at IS NULL
		   AND (enrolment_id = p_enrolment OR
			qualification_id = p_qualification)
		RETURNING id
	)
	SELECT lib.audit(me, p_via, 'credential.revoke', 'credential',
	    gone.id::text, NULL, jsonb_build_object('reason', p_reason))
	  FROM gone
$$;

-- What a response asks the server to sign: [{id, payload}].
CREATE FUNCTION lib.credentials_to_sign(p_ids uuid[]) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id,
	    'payload', c.payload) ORDER BY c.created_at), '[]')
	  FROM training.credentials c
	 WHERE c.id = ANY (p_ids) AND c.jws IS NULL
$$;

CREATE FUNCTION lib.b64url_decode(p text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
AS $$
	SELECT decode(translate(p, '-_', '+/') ||
	    repeat('=', (4 - length(p) % 4) % 4), 'base64')
$$;

-- Who may read a credential: admins; a registrar of the issuing
-- institution; officers and steering committees of the province that
-- keeps the holder's record or that hosted the cohort.
CREATE FUNCTION lib.sees_credential(me auth.users, c training.credentials)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT CASE me.role
	    WHEN 'admin' THEN true
	    WHEN 'registrar' THEN me.institution_id = c.institution_id
	    ELSE lib.sees_province(me,
		(SELECT province_id FROM hr.people WHERE id = c.person_id))
		OR coalesce(lib.sees_province(me, (SELECT h.province_id
		    FROM training.enrolments e
		    JOIN training.cohorts h ON h.id = e.cohort_id
		   WHERE e.id = c.enrolment_id)), false) END
$$;

CREATE FUNCTION lib.credential_json(c training.credentials) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', c.id,
	    'status', CASE WHEN c.revoked_at IS NOT NULL THEN 'revoked'
		WHEN c.jws IS NULL THEN 'unsigned' ELSE 'signed' END,
	    'person_id', c.person_id, 'enrolment_id', c.enrolment_id,
	    'qualification_id', c.qualification_id,
	    'issued_on', c.issued_on, 'kid', c.kid, 'jws', c.jws,
	    'payload', c.payload::jsonb, 'signed_at', c.signed_at,
	    'revoked_at', c.revoked_at, 'revoked_reason', c.revoked_reason,
	    'verify_path', '/verify/' || c.id,
	    'certificate_path', '/api/v1/credentials/' || c.id ||
		'/certificate.pdf')
$$;

CREATE FUNCTION lib.credential_seen(me auth.users, p_id uuid)
RETURNS training.credentials
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c	training.credentials;
BEGIN
	SELECT * INTO c FROM training.credentials WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_credential(me, c) THEN
		PERFORM lib.not_found('văn bằng số', 'credential');
	END IF;
	RETURN c;
END
$$;

CREATE FUNCTION api.credential_get(p_actor bigint, p_id uuid) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	RETURN lib.credential_json(lib.credential_seen(me, p_id));
END
$$;

-- A person's credentials, newest first: status and achievement, without
-- the signed form (GET /credentials/{id} has it). Also part of the
-- person's training record.
CREATE FUNCTION lib.person_credentials(p_person bigint) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(lib.credential_json(c) - 'payload' - 'jws' ||
	    jsonb_build_object('achievement',
		c.payload::jsonb #> '{vc,achievement}')
	    ORDER BY c.created_at DESC), '[]')
	  FROM training.credentials c WHERE c.person_id = p_person
$$;

CREATE FUNCTION api.person_credentials(p_actor bigint, p_id bigint)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people := lib.person_seen(me, p_id);
BEGIN
	RETURN json_build_object('items', lib.person_credentials(p.id));
END
$$;

-- The public check: no login, no more than the credential itself shows
-- (the holder's name and masked ID) and whether, when and why it was
-- revoked. The server verifies the signature and adds "valid": true
-- only for a genuine signature of a credential not revoked.
CREATE FUNCTION api.credential_public(p_id uuid) RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
	SELECT json_build_object('id', c.id, 'jws', c.jws, 'kid', c.kid,
	    'payload', c.payload, 'revoked', c.revoked_at IS NOT NULL,
	    'revoked_at', c.revoked_at, 'revoked_on', c.revoked_at::date,
	    'revoked_reason', c.revoked_reason)
	  FROM training.credentials c WHERE c.id = p_id
$$;

-- Revocation, with the reason, by its issuer or an administrator: the
-- issuing institution's registrar for one in an institution's name, an
-- officer of the issuing province's department for one in the
-- department's name. Anyone else who may read it (an officer of the
-- holder's or the cohort's province, steering) is 403 not-issuer.
CREATE FUNCTION lib.may_revoke(me auth.users, c training.credentials)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(CASE me.role
	    WHEN 'admin' THEN true
	    WHEN 'registrar' THEN me.institution_id = c.institution_id
	    WHEN 'hr_officer' THEN me.province_id = c.province_id
	    ELSE false END, false)
$$;

CREATE FUNCTION api.credential_revoke(p_actor bigint, p_via text, p_id uuid,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	c	training.credentials := lib.credential_seen(me, p_id);
	reason	text;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'registrar');
	IF NOT lib.may_revoke(me, c) THEN
		PERFORM lib.fail(403, 'not-issuer',
		    'Chỉ nơi cấp văn bằng số này (hoặc quản trị viên) được thu hồi nó.',
		    'Only the issuer of this credential (or an administrator) may revoke it.');
	END IF;
	PERFORM lib.fail_first(lib.chk_text(p_body, 'reason', true, 500));
	reason := btrim(lib.txt(p_body, 'reason'));
	-- Someone reading the audit later must learn why.
	IF length(reason) < 3 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Hãy ghi rõ lý do thu hồi (ít nhất 3 ký tự).',
		    'Say why it is revoked (at least 3 characters).', 'reason');
	END IF;
	IF c.revoked_at IS NOT NULL THEN
		PERFORM lib.fail(409, 'already-revoked',
		    'Văn bằng số này đã bị thu hồi.',
		    'This credential is already revoked.');
	END IF;
	UPDATE training.credentials
	   SET revoked_at = now(), revoked_reason = reason, revoked_by = me.id
	 WHERE id = c.id
	RETURNING * INTO c;
	PERFORM lib.audit(me, p_via, 'credential.revoke', 'credential',
	    c.id::text, NULL, jsonb_build_object('reason', reason));
	RETURN lib.credential_json(c);
END
$$;

-- The signer's batch: credentials waiting for a signature, oldest first.
CREATE FUNCTION api.credentials_unsigned(p_limit integer) RETURNS json
LANGUAGE sql STABLE SECURITY DEFINER
AS $$
	SELECT json_build_object('_sign', coalesce(jsonb_agg(
	    jsonb_build_object('id', c.id, 'payload', c.payload)), '[]'))
	  FROM (SELECT id, payload FROM training.credentials
		 WHERE jws IS NULL
		 ORDER BY created_at LIMIT least(greatest(p_limit, 1), 1000)) c
$$;

-- Stores signatures [{id, kid, jws}]. A JWS whose payload is not the
-- issued text byte for byte is refused; one already signed stays as it
-- was (two signers racing sign the same bytes with the same key).
CREATE FUNCTION api.credentials_store(p_signed jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	bad	uuid;
	n	integer;
BEGIN
	SELECT c.id INTO bad
	  FROM jsonb_to_recordset(p_signed) AS s (id uuid, kid text, jws text)
	  JOIN training.credentials c ON c.id = s.id
	 WHERE convert_from(lib.b64url_decode(split_part(s.jws, '.', 2)),
		'UTF8') <> c.payload
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'signature for credential % signs another payload',
		    bad USING ERRCODE = 'check_violation';
	END IF;
	UPDATE training.credentials c
	   SET kid = s.kid, jws = s.jws, signed_at = now()
	  FROM jsonb_to_recordset(p_signed) AS s (id uuid, kid text, jws text)
	 WHERE c.id = s.id AND c.jws IS NULL;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN json_build_object('stored', n);
END
$$;
