-- A person's training record: degrees (registered by universities,
-- recorded by officers from the diploma, or earned in a degree cohort),
-- certificates (courses, title training, supervised-practice results),
-- practice registrations (Decree 110/2024), enrolments and credentials;
-- what the record makes the person eligible for (the professional titles
-- V.09.04.01/02/03 and practice registration); and the staff of a
-- province whose practice registration is missing or running out.
--
-- The record is read within the scope of the person (lib.person_seen) and
-- written by administrators and the officers of the keeping province;
-- registrars have no access. What officers record issues no credential.

-- A field that the rest of the record makes meaningless (practice
-- months on a course certificate).
CREATE FUNCTION lib.chk_absent(p jsonb, p_key text, p_vi text, p_en text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN lib.present(p, p_key) THEN jsonb_build_array(lib.prob(
	    p_key, 'not-applicable', p_vi, p_en)) ELSE '[]'::jsonb END
$$;

-- Who issued a degree or certificate: an institution in the registry
-- (institution_id) or the name of one that is not (p_name_key). One of
-- them is needed; p_one_only: not both.
CREATE FUNCTION lib.issuer_problems(p jsonb, p_name_key text,
    p_one_only boolean) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	probs	jsonb;
	inst	numeric := lib.num(p, 'institution_id', true);
BEGIN
	probs := lib.chk_num(p, 'institution_id', false, true, 1, 2147483647,
	    true, 'Mã cơ sở đào tạo là một số nguyên dương.',
	    'An institution id is a positive whole number.') ||
	    lib.chk_sized(p, p_name_key, false, 2, 300);
	IF inst BETWEEN 1 AND 2147483647 AND inst % 1 = 0 AND
	    NOT EXISTS (SELECT FROM org.institutions i WHERE i.id = inst) THEN
		probs := probs || lib.prob('institution_id', 'unknown-institution',
		    'Không có cơ sở đào tạo với mã này.',
		    'No institution has this id.');
	END IF;
	IF NOT lib.present(p, 'institution_id') AND
	    NOT lib.present(p, p_name_key) THEN
		probs := probs || lib.prob(p_name_key, 'required',
		    format('Cần institution_id (cơ sở trong sổ) hoặc %s.', p_name_key),
		    format('Give institution_id (an institution on record) or %s.',
			p_name_key));
	ELSIF p_one_only AND lib.present(p, 'institution_id') AND
	    lib.present(p, p_name_key) THEN
		probs := probs || lib.prob(p_name_key, 'one-of',
		    format('Chỉ ghi một trong institution_id và %s.', p_name_key),
		    format('Give institution_id or %s, not both.', p_name_key));
	END IF;
	RETURN probs;
END
$$;

-- A person the actor may write the training record of, locked.
CREATE FUNCTION lib.person_writable(me auth.users, p_id bigint)
RETURNS hr.people
LANGUAGE plpgsql
AS $$
DECLARE
	p	hr.people := lib.person_seen(me, p_id);
BEGIN
	PERFORM lib.require_writes(me, p.province_id, NULL);
	SELECT * INTO p FROM hr.people WHERE id = p.id FOR UPDATE;
	RETURN p;
END
$$;

CREATE FUNCTION lib.qualification_json(q training.qualifications)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', q.id, 'person_id', q.person_id,
	    'level', q.level, 'field', q.field,
	    'programme_code', q.programme_code,
	    'programme_name', q.programme_name,
	    'institution_id', q.institution_id,
	    'institution_name', coalesce((SELECT name FROM org.institutions
		WHERE id = q.institution_id), q.institution_name),
	    'awarded_on', q.awarded_on, 'diploma_number', q.diploma_number,
	    'source', q.source, 'enrolment_id', q.enrolment_id,
	    'created_at', q.created_at, 'updated_at', q.updated_at)
$$;

CREATE FUNCTION lib.certificate_json(c training.certificates) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', c.id, 'person_id', c.person_id,
	    'kind', c.kind, 'name', c.name, 'course_id', c.course_id,
	    'enrolment_id', c.enrolment_id, 'institution_id', c.institution_id,
	    'issuer_name', coalesce(c.issuer_name, (SELECT name
		FROM org.institutions WHERE id = c.institution_id)),
	    'number', c.number, 'issued_on', c.issued_on, 'hours', c.hours,
	    'counts_as_sw_training', c.counts_as_sw_training,
	    'title_code', c.title_code, 'practice_months', c.practice_months,
	    'created_at', c.created_at)
$$;

CREATE FUNCTION lib.practice_json(r training.practice_registrations)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', r.id, 'person_id', r.person_id,
	    'number', r.number, 'issued_by', r.issued_by,
	    'issued_on', r.issued_on, 'expires_on', r.expires_on,
	    'status', r.status, 'expires_in_days', r.expires_on - current_date,
	    'created_at', r.created_at, 'updated_at', r.updated_at)
$$;

CREATE FUNCTION lib.practice_body(r training.practice_registrations)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object('number', r.number, 'issued_by', r.issued_by,
	    'issued_on', r.issued_on, 'expires_on', r.expires_on,
	    'status', r.status)
$$;

-- An enrolment in the person's record: lib.enrolment_json (the cohort's
-- view, 75_training.sql) with the cohort, course and teaching
-- institution (null for a department's own class, which names the
-- department instead).
CREATE FUNCTION lib.person_enrolment_json(e training.enrolments)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.enrolment_json(e) || jsonb_build_object(
	    'cohort', jsonb_build_object('id', h.id, 'name', h.name,
		'start_date', h.start_date, 'end_date', h.end_date,
		'status', h.status),
	    'course', jsonb_build_object('id', c.id, 'code', c.code,
		'name', c.name, 'kind', c.kind, 'level', c.level,
		'title_code', c.title_code, 'hours', c.hours,
		'counts_as_sw_training', c.counts_as_sw_training),
	    'institution', lib.institution_ref(h.institution_id),
	    'department', CASE WHEN h.institution_id IS NULL
		THEN lib.department_name(h.province_id) END)
	  FROM training.cohorts h
	  JOIN training.courses c ON c.id = h.course_id
	 WHERE h.id = e.cohort_id
$$;

-- The practice registration that speaks for a person now: one in force
-- (active, not expired), else the latest issued; NULL when none.
CREATE FUNCTION lib.practice_current(p_person bigint)
RETURNS training.practice_registrations
LANGUAGE sql STABLE
AS $$
	SELECT * FROM training.practice_registrations
	 WHERE person_id = p_person
	 ORDER BY (status = 'active' AND (expires_on IS NULL OR
	    expires_on >= current_date)) DESC, issued_on DESC, id DESC
	 LIMIT 1
$$;

-- Whether the person must hold a practice registration: an open
-- professional or commune-post spell (one not ended before today).
CREATE FUNCTION lib.practice_required(p_person bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT EXISTS (SELECT FROM hr.assignments
	 WHERE person_id = p_person
	   AND category IN ('professional', 'commune_post')
	   AND (end_date IS NULL OR end_date >= current_date))
$$;

-- 409 for a practice registration number already on record.
CREATE FUNCTION lib.practice_number_free(me auth.users, p_number text,
    p_self bigint) RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	r	training.practice_registrations;
BEGIN
	SELECT * INTO r FROM training.practice_registrations
	 WHERE number = p_number AND id IS DISTINCT FROM p_self;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	PERFORM lib.fail_link(409, 'practice-registration-exists',
	    'Đã có giấy chứng nhận đăng ký hành nghề mang số này.',
	    'A practice registration with this number is on record.', 'number',
	    CASE WHEN lib.sees_province(me, (SELECT province_id FROM hr.people
		WHERE id = r.person_id))
	    THEN '/api/v1/people/' || r.person_id || '/training' END);
END
$$;

CREATE FUNCTION lib.practice_problems(p jsonb, p_patch boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	probs	jsonb;
BEGIN
	probs := lib.chk_text(p, 'number', true, 60) ||
	    lib.chk_sized(p, 'issued_by', true, 2, 300) ||
	    lib.chk_day(p, 'issued_on', true, '2024-10-15', NULL) ||
	    lib.chk_date(p, 'expires_on', false);
	IF lib.dt(p, 'expires_on') <= lib.dt(p, 'issued_on') THEN
		probs := probs || lib.prob('expires_on', 'expires-before-issued',
		    'Ngày hết hạn phải sau ngày cấp.',
		    'The expiry date must be after the issue date.');
	END IF;
	RETURN probs || lib.chk_code(p, 'status', p_patch,
	    ARRAY['active', 'suspended', 'revoked'], NULL);
END
$$;

-- The person's whole training record.
CREATE FUNCTION api.person_training(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	p := lib.person_seen(me, p_id);
	RETURN json_build_object('person_id', p.id,
	    'highest_qualification', p.highest_qualification,
	    'qualifications', coalesce((SELECT jsonb_agg(lib.qualification_json(q)
		ORDER BY q.awarded_on DESC, q.id DESC)
		FROM training.qualifications q WHERE q.person_id = p.id), '[]'),
	    'certificates', coalesce((SELECT jsonb_agg(lib.certificate_json(c)
		ORDER BY c.issued_on DESC, c.id DESC)
		FROM training.certificates c WHERE c.person_id = p.id), '[]'),
	    'practice_registrations', coalesce((SELECT jsonb_agg(
		lib.practice_json(r) ORDER BY r.issued_on DESC, r.id DESC)
		FROM training.practice_registrations r
	       WHERE r.person_id = p.id), '[]'),
	    'enrolments', coalesce((SELECT jsonb_agg(lib.person_enrolment_json(e)
		ORDER BY e.created_at DESC, e.id DESC)
		FROM training.enrolments e WHERE e.person_id = p.id), '[]'),
	    'credentials', lib.person_credentials(p.id));
END
$$;

-- A degree recorded by an officer from the diploma (source 'officer').
CREATE FUNCTION api.qualification_create(p_actor bigint, p_via text,
    p_person bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	q	training.qualifications;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	p := lib.person_writable(me, p_person);
	PERFORM lib.fail_first(lib.degree_problems(p_body, 'awarded_on', false,
	    false, p.birth_date) ||
	    lib.issuer_problems(p_body, 'institution_name', true));
	q := lib.degree_from(p_body, 'awarded_on');
	q.institution_id := lib.num(p_body, 'institution_id', true);
	q.institution_name := lib.txt(p_body, 'institution_name');
	IF q.institution_id IS NOT NULL AND q.diploma_number IS NOT NULL THEN
		PERFORM lib.diploma_free(me, q.institution_id, q.diploma_number,
		    NULL);
	END IF;
	INSERT INTO training.qualifications (person_id, level, field,
	    programme_code, programme_name, institution_id, institution_name,
	    awarded_on, diploma_number, source, recorded_by)
	VALUES (p.id, q.level, q.field, q.programme_code, q.programme_name,
	    q.institution_id, q.institution_name, q.awarded_on,
	    q.diploma_number, 'officer', me.id)
	RETURNING * INTO q;
	PERFORM lib.person_highest(me, p_via, p.id);
	PERFORM lib.audit(me, p_via, 'qualification.create', 'person',
	    p.id::text, NULL, lib.qualification_json(q) - 'created_at' -
	    'updated_at' - 'person_id');
	RETURN lib.qualification_json(q);
END
$$;

-- A certificate: a course, a title training (for one title) or a
-- supervised-practice result (months, counted against the 12/9/6 rule).
CREATE FUNCTION api.certificate_create(p_actor bigint, p_via text,
    p_person bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	c	training.certificates;
	kind	text := lib.txt(p_body, 'kind');
	probs	jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	p := lib.person_writable(me, p_person);
	probs := lib.chk_code(p_body, 'kind', true, ARRAY['course',
	    'title_training', 'practice_result'], NULL) ||
	    lib.chk_sized(p_body, 'name', true, 2, 300) ||
	    lib.issuer_problems(p_body, 'issuer_name', false) ||
	    lib.chk_text(p_body, 'number', false, 60) ||
	    lib.chk_day(p_body, 'issued_on', true, '1950-01-01', p.birth_date) ||
	    lib.chk_num(p_body, 'hours', false, true, 0.1, 20000, false,
		'Số giờ từ 0,1 đến 20.000.', 'Hours are from 0.1 to 20,000.') ||
	    lib.chk_bool(p_body, 'counts_as_sw_training', false);
	IF kind = 'title_training' THEN
		probs := probs || lib.chk_code(p_body, 'title_code', true,
		    ARRAY['V.09.04.01', 'V.09.04.02', 'V.09.04.03'], NULL);
	ELSE
		probs := probs || lib.chk_absent(p_body, 'title_code',
		    'Chỉ chứng chỉ bồi dưỡng theo tiêu chuẩn chức danh (title_training) mới ghi mã chức danh.',
		    'Only a title-training certificate names a title code.');
	END IF;
	IF kind = 'practice_result' THEN
		probs := probs || lib.chk_num(p_body, 'practice_months', true,
		    true, 0.1, 120, false, 'Số tháng thực hành từ 0,1 đến 120.',
		    'Practice months are from 0.1 to 120.');
	ELSE
		probs := probs || lib.chk_absent(p_body, 'practice_months',
		    'Chỉ kết quả thực hành có giám sát (practice_result) mới ghi số tháng thực hành.',
		    'Only a supervised-practice result gives practice months.');
	END IF;
	PERFORM lib.fail_first(probs);
	c.kind := kind;
	c.name := regexp_replace(lib.txt(p_body, 'name'), '\s+', ' ', 'g');
	c.institution_id := lib.num(p_body, 'institution_id', true);
	c.issuer_name := lib.txt(p_body, 'issuer_name');
	c.number := lib.txt(p_body, 'number');
	c.issued_on := lib.dt(p_body, 'issued_on');
	c.hours := round(lib.num(p_body, 'hours', true), 1);
	c.counts_as_sw_training := coalesce((p_body ->> 'counts_as_sw_training')
	    ::boolean, false);
	c.title_code := lib.txt(p_body, 'title_code');
	c.practice_months := round(lib.num(p_body, 'practice_months', true), 1);
	IF c.number IS NOT NULL AND EXISTS (SELECT FROM training.certificates x
	    WHERE x.person_id = p.id AND x.kind = c.kind AND x.number = c.number
	      AND x.institution_id IS NOT DISTINCT FROM c.institution_id
	      AND x.issuer_name IS NOT DISTINCT FROM c.issuer_name) THEN
		PERFORM lib.fail_link(409, 'certificate-exists',
		    'Người này đã có chứng chỉ này (cùng loại, nơi cấp và số hiệu).',
		    'This person already has this certificate (same kind, issuer and number).',
		    'number', '/api/v1/people/' || p.id || '/training');
	END IF;
	INSERT INTO training.certificates (person_id, kind, name,
	    institution_id, issuer_name, number, issued_on, hours,
	    counts_as_sw_training, title_code, practice_months, recorded_by)
	VALUES (p.id, c.kind, c.name, c.institution_id, c.issuer_name,
	    c.number, c.issued_on, c.hours, c.counts_as_sw_training,
	    c.title_code, c.practice_months, me.id)
	RETURNING * INTO c;
	PERFORM lib.audit(me, p_via, 'certificate.create', 'person',
	    p.id::text, NULL, lib.certificate_json(c) - 'created_at' -
	    'person_id');
	RETURN lib.certificate_json(c);
END
$$;

CREATE FUNCTION api.practice_registration_create(p_actor bigint,
    p_via text, p_person bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	r	training.practice_registrations;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	p := lib.person_writable(me, p_person);
	PERFORM lib.fail_first(lib.practice_problems(p_body, false));
	PERFORM lib.practice_number_free(me, lib.txt(p_body, 'number'), NULL);
	INSERT INTO training.practice_registrations (person_id, number,
	    issued_by, issued_on, expires_on, status, recorded_by)
	VALUES (p.id, lib.txt(p_body, 'number'),
	    regexp_replace(lib.txt(p_body, 'issued_by'), '\s+', ' ', 'g'),
	    lib.dt(p_body, 'issued_on'), lib.dt(p_body, 'expires_on'),
	    coalesce(lib.txt(p_body, 'status'), 'active'), me.id)
	RETURNING * INTO r;
	PERFORM lib.audit(me, p_via, 'practice_registration.create', 'person',
	    p.id::text, NULL, lib.practice_body(r) || jsonb_build_object('id',
	    r.id));
	RETURN lib.practice_json(r);
END
$$;

-- A patch is applied to the whole registration, which is checked again:
-- renewals (a new expiry), suspensions, revocations, corrections.
CREATE FUNCTION api.practice_registration_update(p_actor bigint,
    p_via text, p_id bigint, p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	training.practice_registrations;
	r	training.practice_registrations;
	merged	jsonb;
	d	record;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	SELECT * INTO old FROM training.practice_registrations WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_province(me, (SELECT province_id
	    FROM hr.people WHERE id = old.person_id)) THEN
		PERFORM lib.not_found('giấy chứng nhận đăng ký hành nghề',
		    'practice registration');
	END IF;
	PERFORM lib.person_writable(me, old.person_id);
	SELECT * INTO old FROM training.practice_registrations
	 WHERE id = p_id FOR UPDATE;
	merged := lib.practice_body(old) || p_patch;
	PERFORM lib.fail_first(lib.practice_problems(merged, true));
	IF lib.txt(merged, 'number') <> old.number THEN
		PERFORM lib.practice_number_free(me, lib.txt(merged, 'number'),
		    old.id);
	END IF;
	UPDATE training.practice_registrations
	   SET number = lib.txt(merged, 'number'),
	       issued_by = regexp_replace(lib.txt(merged, 'issued_by'), '\s+',
		   ' ', 'g'),
	       issued_on = lib.dt(merged, 'issued_on'),
	       expires_on = lib.dt(merged, 'expires_on'),
	       status = lib.txt(merged, 'status'), updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO r;
	d := lib.changed(lib.practice_body(old), lib.practice_body(r));
	IF d.after <> '{}' THEN
		PERFORM lib.audit(me, p_via, 'practice_registration.update',
		    'person', r.person_id::text, d.before,
		    d.after || jsonb_build_object('id', r.id));
	END IF;
	RETURN lib.practice_json(r);
END
$$;

-- ---------------------------------------------------------------------
-- Eligibility.

-- The professional titles (Circular 26/2022/TT-BLĐTBXH) and their
-- training standards: the lowest level of degree, and whether the
-- title-training certificate is needed.
CREATE FUNCTION lib.titles(OUT code text, OUT name text, OUT min_level text,
    OUT needs_title_training boolean) RETURNS SETOF record
LANGUAGE sql IMMUTABLE
AS $$
	VALUES ('V.09.04.01', 'Công tác xã hội viên chính (hạng II)',
		'dai_hoc', true),
	    ('V.09.04.02', 'Công tác xã hội viên (hạng III)', 'dai_hoc', true),
	    ('V.09.04.03', 'Nhân viên công tác xã hội (hạng IV)', 'trung_cap',
		false)
$$;

-- One criterion of a standard: its name, whether it is met (NULL: not
-- recorded in the registry) and why, in Vietnamese then English.
CREATE FUNCTION lib.criterion(p_name text, p_met boolean, p_vi text,
    p_en text) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object('name', p_name, 'met', p_met,
	    'detail', p_vi || ' / ' || p_en)
$$;

-- "đại học ngành công tác xã hội (7760101), Trường …, 2024-06-30".
CREATE FUNCTION lib.qualification_text(q training.qualifications,
    p_en boolean) RETURNS text
LANGUAGE sql STABLE
AS $$
	SELECT concat_ws(', ', lib.degree_label(q.level, q.field, p_en) ||
	    coalesce(' (' || q.programme_code || ')', ''),
	    coalesce((SELECT name FROM org.institutions
		WHERE id = q.institution_id), q.institution_name),
	    q.awarded_on::text)
$$;

-- The latest social-work training a person has: a certificate that
-- counts as such (a completed course that counts leaves one, see
-- lib.enrolment_award). NULLs when none.
CREATE FUNCTION lib.sw_training(p_person bigint, OUT name text,
    OUT on_date date)
LANGUAGE sql STABLE
AS $$
	SELECT c.name, c.issued_on FROM training.certificates c
	 WHERE c.person_id = p_person AND c.counts_as_sw_training
	 ORDER BY c.issued_on DESC, c.id DESC LIMIT 1
$$;

-- The title training that counts for a title: a title-training
-- certificate (recorded, or left by a completed title-training course)
-- for that title or, for V.09.04.02, for the higher V.09.04.01, whose
-- training covers the lower standard. The title's own is preferred.
-- NULLs when none.
CREATE FUNCTION lib.title_training(p_person bigint, p_title text,
    OUT name text, OUT title_code text, OUT on_date date)
LANGUAGE sql STABLE
AS $$
	SELECT c.name, c.title_code, c.issued_on FROM training.certificates c
	 WHERE c.person_id = p_person AND c.kind = 'title_training'
	   AND (c.title_code = p_title OR (p_title = 'V.09.04.02' AND
		c.title_code = 'V.09.04.01'))
	 ORDER BY c.title_code = p_title DESC, c.issued_on DESC, c.id DESC
	 LIMIT 1
$$;

-- What a person's record makes them eligible for, computed from the
-- record each time:
--   titles: for each title, the level of the best degree (bachelor or
--     higher for V.09.04.01/02, trung cấp or higher for V.09.04.03);
--     its field (one of lib.sw_fields(), or any other with a social-work
--     training certificate or completed course that counts); and for
--     V.09.04.01/02 the title-training certificate;
--   practice_registration (Decree 110/2024, mandatory from 2027-01-01):
--     required when the person holds an open professional or
--     commune-post spell; ready when a trung cấp or higher degree in
--     those fields is on record and the supervised-practice results add
--     up to the months its level needs (12 from bachelor up, 9 college,
--     6 trung cấp, by the highest such degree). Fitness to practise and
--     the absence of a prohibition are not recorded (met: null): they
--     are checked at application.
CREATE FUNCTION lib.eligibility(p hr.people) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	t	record;
	lvl	training.qualifications;
	top	training.qualifications;
	inf	training.qualifications;
	sw	record;
	tt	record;
	crit	jsonb;
	titles	jsonb := '[]';
	months	numeric;
	need	integer;
	reg	training.practice_registrations;
BEGIN
	SELECT * INTO top FROM training.qualifications q
	 WHERE q.person_id = p.id
	 ORDER BY training.level_rank(q.level) DESC, q.awarded_on DESC, q.id DESC
	 LIMIT 1;
	SELECT * INTO sw FROM lib.sw_training(p.id);
	FOR t IN SELECT * FROM lib.titles() LOOP
		-- The degree that meets the level, one in the fields first.
		SELECT * INTO lvl FROM training.qualifications q
		 WHERE q.person_id = p.id AND training.level_rank(q.level) >=
		    training.level_rank(t.min_level)
		 ORDER BY q.field = ANY (lib.sw_fields()) DESC,
		    training.level_rank(q.level) DESC, q.awarded_on DESC,
		    q.id DESC
		 LIMIT 1;
		IF lvl.id IS NOT NULL THEN
			crit := jsonb_build_array(lib.criterion(
			    'qualification_level', true,
			    'Có bằng ' || lib.qualification_text(lvl, false),
			    'Holds a ' || lib.qualification_text(lvl, true)));
		ELSE
			crit := jsonb_build_array(lib.criterion(
			    'qualification_level', false,
			    format('Cần bằng %s trở lên; %s',
				lib.level_label(t.min_level, false),
				CASE WHEN top.id IS NULL
				    THEN 'chưa có văn bằng nào trong sổ'
				    ELSE 'cao nhất đang có: ' ||
					lib.qualification_text(top, false) END),
			    format('Needs a %s or higher; %s',
				lib.level_label(t.min_level, true),
				CASE WHEN top.id IS NULL THEN 'no degree on record'
				    ELSE 'the highest on record: ' ||
					lib.qualification_text(top, true) END)));
		END IF;
		IF lvl.id IS NULL THEN
			crit := crit || lib.criterion('field', false,
			    'Chưa có văn bằng ở trình độ yêu cầu',
			    'No degree at the required level');
		ELSIF lvl.field = ANY (lib.sw_fields()) THEN
			crit := crit || lib.criterion('field', true,
			    'Ngành ' || lib.field_label(lvl.field, false) ||
			    ' thuộc các ngành theo tiêu chuẩn',
			    'The field, ' || lib.field_label(lvl.field, true) ||
			    ', is one the standard names');
		ELSIF sw.name IS NOT NULL THEN
			crit := crit || lib.criterion('field', true,
			    format('Văn bằng thuộc ngành khác, có chứng chỉ bồi dưỡng công tác xã hội «%s» (%s)',
				sw.name, sw.on_date),
			    format('The degree is in another field, with the social-work training certificate «%s» (%s)',
				sw.name, sw.on_date));
		ELSE
			crit := crit || lib.criterion('field', false,
			    'Văn bằng thuộc ngành khác và chưa có chứng chỉ bồi dưỡng công tác xã hội',
			    'The degree is in another field and there is no social-work training certificate');
		END IF;
		IF t.needs_title_training THEN
			SELECT * INTO tt FROM lib.title_training(p.id, t.code);
			IF tt.name IS NULL THEN
				crit := crit || lib.criterion('title_training',
				    false,
				    'Chưa có chứng chỉ bồi dưỡng theo tiêu chuẩn chức danh ' || t.code,
				    'No title-training certificate for ' || t.code);
			ELSE
				crit := crit || lib.criterion('title_training',
				    true,
				    format('Có chứng chỉ bồi dưỡng theo tiêu chuẩn chức danh %s «%s» (%s)%s',
					tt.title_code, tt.name, tt.on_date,
					CASE WHEN tt.title_code <> t.code THEN
					    ', chức danh cao hơn nên được chấp nhận'
					    ELSE '' END),
				    format('Holds the title-training certificate for %s «%s» (%s)%s',
					tt.title_code, tt.name, tt.on_date,
					CASE WHEN tt.title_code <> t.code THEN
					    ', accepted as the higher title'
					    ELSE '' END));
			END IF;
		END IF;
		titles := titles || jsonb_build_object('code', t.code,
		    'name', t.name,
		    'eligible', (SELECT bool_and((c ->> 'met')::boolean)
			FROM jsonb_array_elements(crit) c),
		    'criteria', crit);
	END LOOP;

	SELECT * INTO inf FROM training.qualifications q
	 WHERE q.person_id = p.id AND q.field = ANY (lib.sw_fields())
	   AND training.level_rank(q.level) >= training.level_rank('trung_cap')
	 ORDER BY training.level_rank(q.level) DESC, q.awarded_on DESC, q.id DESC
	 LIMIT 1;
	need := CASE WHEN training.level_rank(inf.level) >=
	    training.level_rank('dai_hoc') THEN 12
	    WHEN inf.level = 'cao_dang' THEN 9
	    WHEN inf.level = 'trung_cap' THEN 6 END;
	SELECT coalesce(trim_scale(sum(c.practice_months)), 0) INTO months
	  FROM training.certificates c
	 WHERE c.person_id = p.id AND c.kind = 'practice_result';
	reg := lib.practice_current(p.id);
	crit := jsonb_build_array(
	    CASE WHEN inf.id IS NOT NULL THEN lib.criterion('qualification',
		true, 'Có bằng ' || lib.qualification_text(inf, false),
		'Holds a ' || lib.qualification_text(inf, true))
	    ELSE lib.criterion('qualification', false,
		'Chưa có bằng trung cấp trở lên thuộc các ngành công tác xã hội, xã hội học, tâm lý học, giáo dục đặc biệt hoặc khoa học xã hội liên quan',
		'No trung cấp (intermediate) or higher degree in social work, sociology, psychology, special education or a related social science') END,
	    CASE WHEN need IS NULL THEN lib.criterion('supervised_practice',
		false,
		format('Đã ghi nhận %s tháng thực hành có giám sát; số tháng cần có tùy trình độ (12/9/6) và chưa xác định vì chưa có văn bằng phù hợp', months),
		format('%s months of supervised practice on record; the months needed depend on the degree (12/9/6), and there is no qualifying degree yet', months))
	    ELSE lib.criterion('supervised_practice', months >= need,
		format('%s/%s tháng thực hành có giám sát (trình độ %s cần %s tháng)',
		    months, need, lib.level_label(inf.level, false), need),
		format('%s/%s months of supervised practice (a %s needs %s)',
		    months, need, lib.level_label(inf.level, true), need)) END,
	    lib.criterion('fitness_to_practise', NULL,
		'Không ghi nhận trong sổ: kiểm tra khi nộp hồ sơ',
		'Not recorded: checked at application'),
	    lib.criterion('no_prohibition', NULL,
		'Không ghi nhận trong sổ: kiểm tra khi nộp hồ sơ',
		'Not recorded: checked at application'));
	RETURN jsonb_build_object('titles', titles,
	    'practice_registration', jsonb_build_object(
		'deadline', '2027-01-01',
		'required', lib.practice_required(p.id),
		'ready', inf.id IS NOT NULL AND months >= need,
		'criteria', crit,
		'certificate', CASE WHEN reg.id IS NOT NULL THEN
		    lib.practice_json(reg) - 'person_id' - 'created_at' -
		    'updated_at' END));
END
$$;

CREATE FUNCTION api.person_eligibility(p_actor bigint, p_id bigint)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.eligibility(lib.person_seen(me, p_id));
END
$$;

-- The staff of a province (an open professional or commune-post spell in
-- one of its units) whose practice registration is missing, suspended,
-- revoked, expired, or expires within p_within days, most urgent first:
-- by the day it is due (the expiry; for a missing, suspended or revoked
-- registration the 2027-01-01 deadline), then expired, revoked,
-- suspended, missing, expiring, then by name. days_left counts to that
-- day (negative once past). Keyset-paginated.
CREATE FUNCTION api.practice_registrations_due(p_actor bigint,
    p_province text, p_within integer, p_cursor text, p_limit integer)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	pid	integer;
	within	integer := coalesce(p_within, 90);
	k	jsonb := lib.cursor_in(p_cursor, 'd', 'r', 'g', 'f', 'id');
	reasons	text[] := ARRAY['expired', 'revoked', 'suspended', 'missing',
	    'expiring'];
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	pid := lib.scope_province(me, p_province);
	IF within < 0 OR within > 3650 THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'within phải từ 0 đến 3650 ngày.',
		    'within must be from 0 to 3650 days.', 'within');
	END IF;
	IF k IS NOT NULL AND (lib.as_date(k ->> 'd') IS NULL OR
	    (k ->> 'r') !~ '^[1-5]$' OR (k ->> 'id') !~ '^[0-9]{1,18}$') THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	WITH staff AS (
		SELECT a.person_id, jsonb_agg(DISTINCT jsonb_build_object(
			'work_unit_id', w.id, 'work_unit_name', w.name,
			'commune_code', c.code, 'category', a.category)) AS units
		  FROM hr.assignments a
		  JOIN hr.work_units w ON w.id = a.work_unit_id
		  JOIN geo.units c ON c.id = w.commune_id
		 WHERE a.category IN ('professional', 'commune_post')
		   AND (a.end_date IS NULL OR a.end_date >= current_date)
		   AND (pid IS NULL OR w.province_id = pid)
		 GROUP BY a.person_id
	), due AS (
		SELECT p.id, p.full_name, p.given_name, p.citizen_id, s.units,
		    r.number, r.status, r.expires_on,
		    CASE WHEN r.id IS NULL THEN 'missing'
			WHEN r.status <> 'active' THEN r.status
			WHEN r.expires_on < current_date THEN 'expired'
			WHEN r.expires_on <= current_date + within
			    THEN 'expiring' END AS reason
		  FROM staff s
		  JOIN hr.people p ON p.id = s.person_id
		  LEFT JOIN LATERAL lib.practice_current(p.id) r ON true
		 WHERE lib.sees_province(me, p.province_id)
	), ranked AS (
		SELECT due.*, array_position(reasons, reason) AS rank,
		    CASE WHEN reason IN ('expired', 'expiring') THEN expires_on
			ELSE date '2027-01-01' END AS due_on
		  FROM due WHERE reason IS NOT NULL
	)
	SELECT array_agg(jsonb_build_object('person_id', x.id,
		'full_name', x.full_name,
		'citizen_id', lib.cccd_mask(x.citizen_id),
		'work_units', x.units, 'reason', x.reason,
		'registration_number', x.number, 'status', x.status,
		'expires_on', x.expires_on, 'due_on', x.due_on,
		'days_left', x.due_on - current_date)
		ORDER BY x.due_on, x.rank, x.given_name, x.full_name, x.id),
	    array_agg(jsonb_build_object('d', x.due_on, 'r', x.rank,
		'g', x.given_name, 'f', x.full_name, 'id', x.id)
		ORDER BY x.due_on, x.rank, x.given_name, x.full_name, x.id)
	  INTO items, keys
	  FROM (SELECT * FROM ranked
		 WHERE k IS NULL OR (due_on, rank, given_name, full_name, id) >
		    ((k ->> 'd')::date, (k ->> 'r')::integer,
		     (k ->> 'g') COLLATE "vi-x-icu",
		     (k ->> 'f') COLLATE "vi-x-icu", (k ->> 'id')::bigint)
		 ORDER BY due_on, rank, given_name, full_name, id
		 LIMIT n + 1) x;
	RETURN lib.page(items, keys, n);
END
$$;
