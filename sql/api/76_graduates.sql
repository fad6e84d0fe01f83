-- Graduates: the degrees a university registers for its own students. A
-- graduate is a training.qualifications row with source 'registrar' and
-- the institution of the registrar who registered it, attached to the
-- person the citizen ID names: the person already on record (whose birth
-- date, sex and name must agree) or a new record kept by no province yet,
-- which the first province that records the person takes over
-- (lib.person_adopt). Registering issues a signed credential; correcting
-- a graduate revokes it and issues another. A registrar sees what it
-- registered and nothing else of the person.
--
-- The qualification helpers (levels, fields, their labels and checks) are
-- here because officers' records (77_qualifications.sql) share them.

CREATE FUNCTION lib.qualification_levels() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['so_cap', 'trung_cap', 'cao_dang', 'dai_hoc', 'thac_si',
    'tien_si'] $$;

CREATE FUNCTION lib.qualification_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['social_work', 'sociology', 'psychology',
    'special_education', 'related_social_science', 'other'] $$;

-- The fields the title and practice standards name (domain.md §3): a
-- degree in any other field needs a social-work training certificate.
CREATE FUNCTION lib.sw_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['social_work', 'sociology', 'psychology',
    'special_education', 'related_social_science'] $$;

-- A text field of p_min to p_max characters.
CREATE FUNCTION lib.chk_sized(p jsonb, p_key text, p_required boolean,
    p_min integer, p_max integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT lib.chk_text(p, p_key, p_required, p_max) ||
	    CASE WHEN length(lib.txt(p, p_key)) < p_min THEN
		jsonb_build_array(lib.prob(p_key, 'too-short',
		    format('Tối thiểu %s ký tự.', p_min),
		    format('At least %s characters.', p_min)))
	    ELSE '[]' END
$$;

-- The parts of a list's ?q=: 3-12 digits are the citizen ID's last
-- digits (a pattern on the reversed ID); anything else a name, matched
-- as a folded substring or, tolerating a typo, by trigram similarity.
CREATE FUNCTION lib.search_terms(p_q text, OUT digits text,
    OUT pattern text, OUT folded text)
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_q ~ '^[0-9]{3,12}$' THEN reverse(p_q) || '%' END,
	    CASE WHEN p_q !~ '^[0-9]{3,12}$' THEN lib.contains(p_q) END,
	    CASE WHEN p_q !~ '^[0-9]{3,12}$' THEN public.fold(btrim(p_q)) END
$$;

CREATE FUNCTION lib.level_label(p_level text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT (CASE WHEN p_en THEN ARRAY['elementary certificate',
	    'intermediate diploma', 'college diploma', 'bachelor', 'master',
	    'doctorate'] ELSE ARRAY['sơ cấp', 'trung cấp', 'cao đẳng', 'đại học',
	    'thạc sĩ', 'tiến sĩ'] END)[training.level_rank(p_level)]
$$;

CREATE FUNCTION lib.field_label(p_field text, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT (CASE WHEN p_en THEN ARRAY['social work', 'sociology',
	    'psychology', 'special education', 'a related social science',
	    'another field'] ELSE ARRAY['công tác xã hội', 'xã hội học',
	    'tâm lý học', 'giáo dục đặc biệt', 'khoa học xã hội liên quan',
	    'ngành khác'] END)[array_position(lib.qualification_fields(), p_field)]
$$;

-- "đại học ngành công tác xã hội" / "bachelor in social work".
CREATE FUNCTION lib.degree_label(p_level text, p_field text, p_en boolean)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_en THEN lib.level_label(p_level, true) || ' in ' ||
		lib.field_label(p_field, true)
	    ELSE lib.level_label(p_level, false) || ' ngành ' ||
		lib.field_label(p_field, false) END
$$;

-- A day in the past (a diploma's or certificate's): not after today, not
-- before p_min and, when the birth date is known, not before the age of
-- 15.
CREATE FUNCTION lib.chk_day(p jsonb, p_key text, p_required boolean,
    p_min date, p_born date) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.chk_date(p, p_key, p_required) || CASE
	    WHEN lib.dt(p, p_key) > current_date THEN
		jsonb_build_array(lib.prob(p_key, 'future-date',
		    'Ngày này chưa tới.', 'This date is in the future.'))
	    WHEN lib.dt(p, p_key) < p_min THEN
		jsonb_build_array(lib.prob(p_key, 'out-of-range',
		    format('Ngày không được trước %s.', p_min),
		    format('The date cannot be before %s.', p_min)))
	    WHEN lib.dt(p, p_key) < p_born + interval '15 years' THEN
		jsonb_build_array(lib.prob(p_key, 'implausible-date',
		    'Ngày này cho thấy người học chưa đủ 15 tuổi.',
		    'This date makes the person younger than 15.'))
	    ELSE '[]' END
$$;

-- The checks a degree shares wherever it is recorded: level, field,
-- programme, the award date (p_date_key: graduation_date for a
-- registrar, awarded_on for an officer) and the diploma number.
-- p_born, when known, rules out degrees awarded before the age of 15.
CREATE FUNCTION lib.degree_problems(p jsonb, p_date_key text,
    p_programme_required boolean, p_diploma_required boolean, p_born date)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	probs	jsonb;
BEGIN
	probs := lib.chk_text(p, 'programme_code', p_programme_required, 7);
	IF lib.txt(p, 'programme_code') !~ '^[0-9]{7}$' THEN
		probs := probs || lib.prob('programme_code',
		    'invalid-programme-code',
		    'Mã ngành đào tạo gồm đúng 7 chữ số (ví dụ 7760101).',
		    'A programme code has exactly 7 digits (e.g. 7760101).');
	END IF;
	probs := probs || lib.chk_sized(p, 'programme_name', false, 2, 300);
	RETURN probs ||
	    lib.chk_code(p, 'level', true, lib.qualification_levels(), NULL) ||
	    lib.chk_code(p, 'field', true, lib.qualification_fields(), NULL) ||
	    lib.chk_day(p, p_date_key, true, '1950-01-01', p_born) ||
	    lib.chk_text(p, 'diploma_number', p_diploma_required, 60);
END
$$;

-- The degree fields of a checked record.
CREATE FUNCTION lib.degree_from(p jsonb, p_date_key text)
RETURNS training.qualifications
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	q	training.qualifications;
BEGIN
	q.level := lib.txt(p, 'level');
	q.field := lib.txt(p, 'field');
	q.programme_code := lib.txt(p, 'programme_code');
	q.programme_name := regexp_replace(lib.txt(p, 'programme_name'),
	    '\s+', ' ', 'g');
	q.awarded_on := lib.dt(p, p_date_key);
	q.diploma_number := lib.txt(p, 'diploma_number');
	RETURN q;
END
$$;

-- 409 when the institution has already numbered a diploma so; the link
-- is the graduate (a registrar's) or the holder's training record, when
-- the actor may see it.
CREATE FUNCTION lib.diploma_free(me auth.users, p_institution integer,
    p_number text, p_self bigint) RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	q	training.qualifications;
	link	text;
BEGIN
	SELECT * INTO q FROM training.qualifications
	 WHERE institution_id = p_institution AND diploma_number = p_number
	   AND id IS DISTINCT FROM p_self;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF q.source = 'registrar' AND (me.role = 'admin' OR
	    me.institution_id = q.institution_id) THEN
		link := '/api/v1/graduates/' || q.id;
	ELSIF me.role <> 'registrar' AND lib.sees_province(me,
	    (SELECT province_id FROM hr.people WHERE id = q.person_id)) THEN
		link := '/api/v1/people/' || q.person_id || '/training';
	END IF;
	PERFORM lib.fail_link(409, 'diploma-exists',
	    'Cơ sở đào tạo này đã có văn bằng mang số hiệu này.',
	    'This institution already has a diploma with this number.',
	    'diploma_number', link);
END
$$;

-- The highest level among a person's qualifications, kept on the person
-- (hr.people.highest_qualification) and audited when it changes. A value
-- that is no level (written by hand elsewhere) is left alone unless a
-- qualification is on record.
CREATE FUNCTION lib.person_highest(me auth.users, p_via text,
    p_person bigint) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	was	text;
	best	text;
BEGIN
	SELECT highest_qualification INTO was FROM hr.people
	 WHERE id = p_person FOR UPDATE;
	SELECT level INTO best FROM training.qualifications
	 WHERE person_id = p_person
	 ORDER BY training.level_rank(level) DESC LIMIT 1;
	IF best IS NOT DISTINCT FROM was OR
	    (best IS NULL AND training.level_rank(was) IS NULL) THEN
		RETURN;
	END IF;
	UPDATE hr.people SET highest_qualification = best, updated_at = now()
	 WHERE id = p_person;
	PERFORM lib.audit(me, p_via, 'person.update', 'person', p_person::text,
	    jsonb_build_object('highest_qualification', was),
	    jsonb_build_object('highest_qualification', best));
END
$$;

-- "nguyễn  THỊ mai" and "Nguyen Thi Mai" are the same name here.
CREATE FUNCTION lib.name_key(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT regexp_replace(btrim(public.fold(p_name)), '\s+', ' ', 'g') $$;

-- The first identity field in which a record on file and a claimed
-- identity disagree, or NULL.
CREATE FUNCTION lib.identity_mismatch(p_on_file hr.people, p hr.people)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN p_on_file.birth_date <> p.birth_date THEN 'birth_date'
	    WHEN p_on_file.sex <> p.sex THEN 'sex'
	    WHEN lib.name_key(p_on_file.full_name) <> lib.name_key(p.full_name)
		THEN 'full_name' END
$$;

-- The refusal says that the identity disagrees, and neither which field
-- does (p_field is not passed on) nor anything of what is on file:
-- naming the field let one request after another read a stranger's birth
-- date, sex and name off the registry. The problem's field is the
-- citizen ID, the key whose record disagrees.
CREATE FUNCTION lib.identity_refuse(p_field text) RETURNS void
LANGUAGE sql
AS $$
	SELECT lib.fail(409, 'identity-mismatch',
	    'Số định danh này đã có trong sổ với thông tin nhân thân (họ tên, ngày sinh hoặc giới tính) khác; hãy đối chiếu lại giấy tờ của người học.',
	    'This identification number is on record with different personal details (name, birth date or sex); check the graduate''s documents.',
	    CASE WHEN p_field IS NOT NULL THEN 'citizen_id' END)
$$;

-- The person a registered identity stands for: the record with that
-- citizen ID, if the identity agrees with it, or a new record kept by no
-- province and with no assignment.
CREATE FUNCTION lib.person_match(me auth.users, p_via text, p hr.people)
RETURNS hr.people
LANGUAGE plpgsql
AS $$
DECLARE
	found_	hr.people;
	f	text;
BEGIN
	SELECT * INTO found_ FROM hr.people WHERE citizen_id = p.citizen_id
	   FOR UPDATE;
	IF FOUND THEN
		f := lib.identity_mismatch(found_, p);
		IF f IS NOT NULL THEN
			PERFORM lib.identity_refuse(f);
		END IF;
		RETURN found_;
	END IF;
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date,
	    province_id)
	VALUES (p.full_name, p.citizen_id, p.sex, p.birth_date, NULL)
	RETURNING * INTO found_;
	PERFORM lib.audit(me, p_via, 'person.create', 'person',
	    found_.id::text, NULL, lib.person_audit(found_) ||
	    jsonb_build_object('province_id', NULL));
	RETURN found_;
END
$$;

-- Whether a person's record holds nothing but this graduate: kept by no
-- province, with no other degree, certificate, enrolment, spell or
-- practice registration. Only then may the registrar correct who the
-- person is.
CREATE FUNCTION lib.person_only_graduate(p hr.people, p_qualification bigint)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT p.province_id IS NULL
	   AND NOT EXISTS (SELECT FROM training.qualifications
		WHERE person_id = p.id AND id <> p_qualification)
	   AND NOT EXISTS (SELECT FROM training.certificates
		WHERE person_id = p.id)
	   AND NOT EXISTS (SELECT FROM training.enrolments
		WHERE person_id = p.id)
	   AND NOT EXISTS (SELECT FROM training.practice_registrations
		WHERE person_id = p.id)
	   AND NOT EXISTS (SELECT FROM hr.assignments WHERE person_id = p.id)
$$;

-- A graduate as its registrar sees it: the fields registered (the name,
-- birth date and sex it submitted, not the person record as a province
-- may since have corrected it), the person it is attached to (by id
-- only, the citizen ID masked) and its live credential (or, once
-- corrected away, the last one).
CREATE FUNCTION lib.graduate_json(q training.qualifications) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', q.id, 'person_id', q.person_id,
	    'full_name', coalesce(q.registered_name, p.full_name),
	    'citizen_id', lib.cccd_mask(p.citizen_id), 'citizen_id_masked', true,
	    'birth_date', coalesce(q.registered_birth_date, p.birth_date),
	    'sex', coalesce(q.registered_sex, p.sex),
	    'institution_id', i.id, 'institution_code', i.code,
	    'institution_name', i.name,
	    'programme_code', q.programme_code,
	    'programme_name', q.programme_name, 'level', q.level,
	    'field', q.field, 'graduation_date', q.awarded_on,
	    'diploma_number', q.diploma_number,
	    'credential_id', (c.cred).id,
	    'credential_status', CASE WHEN (c.cred).id IS NOT NULL
		THEN lib.credential_json(c.cred) ->> 'status' END,
	    'created_at', q.created_at, 'updated_at', q.updated_at)
	  FROM hr.people p
	  JOIN org.institutions i ON i.id = q.institution_id
	  LEFT JOIN LATERAL (SELECT c AS cred FROM training.credentials c
		 WHERE c.qualification_id = q.id
		 ORDER BY c.revoked_at IS NULL DESC, c.created_at DESC
		 LIMIT 1) c ON true
	 WHERE p.id = q.person_id
$$;

-- A graduate as a record body: what an amendment is applied to and what
-- its audit compares. The identity is the one registered (q's), which a
-- degree not yet written (q from lib.degree_from) takes from p.
CREATE FUNCTION lib.graduate_body(p hr.people, q training.qualifications)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object(
	    'full_name', coalesce(q.registered_name, p.full_name),
	    'citizen_id', p.citizen_id,
	    'birth_date', coalesce(q.registered_birth_date, p.birth_date),
	    'sex', coalesce(q.registered_sex, p.sex),
	    'programme_code', q.programme_code,
	    'programme_name', q.programme_name, 'level', q.level,
	    'field', q.field, 'graduation_date', q.awarded_on,
	    'diploma_number', q.diploma_number)
$$;

CREATE FUNCTION lib.graduate_audit(p hr.people, q training.qualifications)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT lib.graduate_body(p, q) || jsonb_build_object(
	    'citizen_id', lib.cccd_mask(p.citizen_id),
	    'qualification_id', q.id, 'institution_id', q.institution_id)
$$;

-- Every problem of a graduate record: the person's identity (the rules
-- of a person record), then the degree.
CREATE FUNCTION lib.graduate_problems(p jsonb) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.person_problems(p, true) || lib.degree_problems(p,
	    'graduation_date', true, true, lib.dt(p, 'birth_date'))
$$;

-- The institution a graduate is registered for: the registrar's own
-- (naming another is out of scope); an administrator names it.
CREATE FUNCTION lib.graduate_institution(me auth.users, p jsonb)
RETURNS integer
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	named	numeric := lib.num(p, 'institution_id', true);
BEGIN
	PERFORM lib.fail_first(lib.chk_num(p, 'institution_id',
	    me.role = 'admin', true, 1, 2147483647, true,
	    'Mã cơ sở đào tạo là một số nguyên dương.',
	    'An institution id is a positive whole number.'));
	IF me.role = 'registrar' THEN
		IF named IS DISTINCT FROM me.institution_id AND named IS NOT NULL THEN
			PERFORM lib.fail(403, 'out-of-scope',
			    'Bạn chỉ được đăng ký người tốt nghiệp của cơ sở đào tạo mình.',
			    'You may only register graduates of your own institution.',
			    'institution_id');
		END IF;
		RETURN me.institution_id;
	END IF;
	IF NOT EXISTS (SELECT FROM org.institutions WHERE id = named) THEN
		PERFORM lib.fail(422, 'unknown-institution',
		    'Không có cơ sở đào tạo với mã này.',
		    'No institution has this id.', 'institution_id');
	END IF;
	RETURN named::integer;
END
$$;

-- A graduate the actor may see: an administrator any, a registrar those
-- of its institution; anything else is 404.
CREATE FUNCTION lib.graduate_seen(me auth.users, p_id bigint)
RETURNS training.qualifications
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	q	training.qualifications;
BEGIN
	SELECT * INTO q FROM training.qualifications
	 WHERE id = p_id AND source = 'registrar';
	IF NOT FOUND OR NOT (me.role = 'admin' OR
	    me.institution_id IS NOT DISTINCT FROM q.institution_id) THEN
		PERFORM lib.not_found('người tốt nghiệp', 'graduate');
	END IF;
	RETURN q;
END
$$;

-- Issues the graduate's credential and answers the graduate with what
-- the server is to sign.
CREATE FUNCTION lib.graduate_issued(q training.qualifications)
RETURNS json
LANGUAGE plpgsql
AS $$
DECLARE
	cid	uuid := lib.credential_issue(NULL, q.id);
BEGIN
	RETURN lib.graduate_json(q) || jsonb_build_object('_sign',
	    lib.credentials_to_sign(ARRAY[cid]));
END
$$;

CREATE FUNCTION api.graduate_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	inst	integer;
	claimed	hr.people;
	p	hr.people;
	q	training.qualifications;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	PERFORM lib.fail_first(lib.graduate_problems(p_body));
	inst := lib.graduate_institution(me, p_body);
	q := lib.degree_from(p_body, 'graduation_date');
	PERFORM lib.diploma_free(me, inst, q.diploma_number, NULL);
	claimed := lib.person_from(p_body);
	p := lib.person_match(me, p_via, claimed);
	INSERT INTO training.qualifications (person_id, level, field,
	    programme_code, programme_name, institution_id, awarded_on,
	    diploma_number, source, recorded_by, registered_name,
	    registered_birth_date, registered_sex)
	VALUES (p.id, q.level, q.field, q.programme_code, q.programme_name,
	    inst, q.awarded_on, q.diploma_number, 'registrar', me.id,
	    claimed.full_name, claimed.birth_date, claimed.sex)
	RETURNING * INTO q;
	PERFORM lib.person_highest(me, p_via, p.id);
	PERFORM lib.audit(me, p_via, 'graduate.register', 'person', p.id::text,
	    NULL, lib.graduate_audit(p, q));
	RETURN lib.graduate_issued(q);
END
$$;

-- The graduates of the registrar's institution (an administrator's: all,
-- or one institution's), latest graduation first. q searches names
-- (ignoring case and diacritics, tolerating a typo) or, 3-12 digits, the
-- citizen ID's last digits.
CREATE FUNCTION api.graduates_list(p_actor bigint, p_institution integer,
    p_year integer, p_from date, p_to date, p_programme text, p_level text,
    p_q text, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'd', 'id');
	inst	integer := p_institution;
	after_d	date;
	s	record := lib.search_terms(p_q);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	IF me.role = 'registrar' THEN
		IF p_institution IS DISTINCT FROM me.institution_id AND
		    p_institution IS NOT NULL THEN
			PERFORM lib.fail(403, 'out-of-scope',
			    'Bạn chỉ xem được người tốt nghiệp của cơ sở đào tạo mình.',
			    'You may only list graduates of your own institution.',
			    'institution');
		END IF;
		inst := me.institution_id;
	END IF;
	IF p_level IS NOT NULL AND training.level_rank(p_level) IS NULL THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'Trình độ không hợp lệ.', 'Unknown level.', 'level');
	END IF;
	IF p_programme !~ '^[0-9]{7}$' THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'Mã ngành gồm đúng 7 chữ số.',
		    'A programme code has exactly 7 digits.', 'programme_code');
	END IF;
	IF k IS NOT NULL THEN
		after_d := lib.as_date(k ->> 'd');
		IF after_d IS NULL OR (k ->> 'id') !~ '^[0-9]{1,18}$' THEN
			PERFORM lib.fail(400, 'bad-cursor',
			    'Con trỏ phân trang không hợp lệ.',
			    'The pagination cursor is not valid.', 'cursor');
		END IF;
	END IF;
	SELECT array_agg(lib.graduate_json(q) ORDER BY q.awarded_on DESC, q.id DESC),
	    array_agg(jsonb_build_object('d', q.awarded_on, 'id', q.id)
		ORDER BY q.awarded_on DESC, q.id DESC)
	  INTO items, keys
	  FROM (SELECT q.* FROM training.qualifications q
		  JOIN hr.people p ON p.id = q.person_id
		 WHERE q.source = 'registrar'
		   AND (inst IS NULL OR q.institution_id = inst)
		   AND (p_year IS NULL OR q.awarded_on >= make_date(p_year, 1, 1)
			AND q.awarded_on < make_date(p_year + 1, 1, 1))
		   AND (p_from IS NULL OR q.awarded_on >= p_from)
		   AND (p_to IS NULL OR q.awarded_on <= p_to)
		   AND (p_programme IS NULL OR q.programme_code = p_programme)
		   AND (p_level IS NULL OR q.level = p_level)
		   AND (s.digits IS NULL OR reverse(p.citizen_id) LIKE s.digits)
		   AND (s.pattern IS NULL OR p.search LIKE s.pattern
			OR s.folded <% p.search)
		   AND (k IS NULL OR (q.awarded_on, q.id) <
			(after_d, (k ->> 'id')::bigint))
		 ORDER BY q.awarded_on DESC, q.id DESC LIMIT n + 1) q;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.graduate_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	RETURN lib.graduate_json(lib.graduate_seen(me, p_id));
END
$$;

-- Corrects a graduate: the fields to correct and a reason. The corrected
-- record is checked whole; the old credential is revoked with the reason
-- and a new one issued. Who the graduate is:
--   - a new citizen ID re-matches: the degree moves to the person on
--     record with that ID (whose identity must agree, as on
--     registration), or, when none is, the record is corrected in place
--     if it holds nothing but this graduate, else a new unkept record is
--     made for the degree;
--   - name, birth date or sex alone are corrected on the person's record
--     only when it holds nothing but this graduate; otherwise the record
--     belongs to a province (or holds other training) and its keepers
--     correct it: 409 identity-locked.
CREATE FUNCTION api.graduate_amend(p_actor bigint, p_via text, p_id bigint,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	q	training.qualifications;
	nq	training.qualifications;
	was	hr.people;
	np	hr.people;
	target	hr.people;
	reason	text;
	merged	jsonb;
	d	record;
	f	text;
	pid	bigint;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	q := lib.graduate_seen(me, p_id);
	SELECT * INTO q FROM training.qualifications WHERE id = q.id FOR UPDATE;
	SELECT * INTO was FROM hr.people WHERE id = q.person_id FOR UPDATE;
	PERFORM lib.fail_first(lib.chk_sized(p_body, 'reason', true, 3, 500));
	reason := lib.txt(p_body, 'reason');
	merged := lib.graduate_body(was, q) || (p_body - 'reason');
	PERFORM lib.fail_first(lib.graduate_problems(merged));
	np := lib.person_from(merged);
	nq := lib.degree_from(merged, 'graduation_date');
	d := lib.changed(lib.graduate_body(was, q), lib.graduate_body(np, nq));
	IF d.after = '{}' THEN
		PERFORM lib.fail(422, 'no-change',
		    'Nội dung sửa không thay đổi gì so với bản đã đăng ký.',
		    'The correction changes nothing that is registered.', NULL);
	END IF;
	IF nq.diploma_number <> q.diploma_number THEN
		PERFORM lib.diploma_free(me, q.institution_id, nq.diploma_number,
		    q.id);
	END IF;

	target := was;
	IF np.citizen_id <> was.citizen_id THEN
		SELECT * INTO target FROM hr.people
		 WHERE citizen_id = np.citizen_id FOR UPDATE;
		IF FOUND THEN
			f := lib.identity_mismatch(target, np);
			IF f IS NOT NULL THEN
				PERFORM lib.identity_refuse(f);
			END IF;
		ELSIF lib.person_only_graduate(was, q.id) THEN
			target := NULL;
		ELSE
			target := lib.person_match(me, p_via, np);
		END IF;
	ELSIF d.after ?| ARRAY['full_name', 'birth_date', 'sex'] AND
	    NOT lib.person_only_graduate(was, q.id) THEN
		f := (SELECT k FROM unnest(ARRAY['full_name', 'birth_date',
		    'sex']) k WHERE d.after ? k LIMIT 1);
		PERFORM lib.fail(409, 'identity-locked',
		    'Hồ sơ của người này do tỉnh/thành phố quản lý hoặc có dữ liệu khác; thông tin nhân thân do nơi quản lý hồ sơ sửa.',
		    'This person''s record is kept by a province or holds other records; whoever keeps it corrects the personal details.',
		    f);
	END IF;
	IF target.id IS NULL OR (target.id = was.id AND
	    d.after ?| ARRAY['full_name', 'birth_date', 'sex', 'citizen_id']) THEN
		-- The record is this graduate's alone: correct it in place.
		UPDATE hr.people SET full_name = np.full_name,
		    citizen_id = np.citizen_id, birth_date = np.birth_date,
		    sex = np.sex, updated_at = now()
		 WHERE id = was.id
		RETURNING * INTO target;
		d := lib.changed(lib.person_audit(was), lib.person_audit(target));
		PERFORM lib.audit(me, p_via, 'person.update', 'person',
		    was.id::text, d.before, d.after);
	END IF;

	UPDATE training.qualifications SET person_id = target.id,
	    level = nq.level, field = nq.field,
	    programme_code = nq.programme_code,
	    programme_name = nq.programme_name, awarded_on = nq.awarded_on,
	    diploma_number = nq.diploma_number, registered_name = np.full_name,
	    registered_birth_date = np.birth_date, registered_sex = np.sex,
	    updated_at = now()
	 WHERE id = q.id
	RETURNING * INTO nq;
	d := lib.changed(lib.graduate_audit(was, q) ||
	    jsonb_build_object('person_id', was.id),
	    lib.graduate_audit(target, nq) ||
	    jsonb_build_object('person_id', target.id));
	FOR pid IN SELECT DISTINCT x FROM unnest(ARRAY[was.id, target.id]) x LOOP
		PERFORM lib.person_highest(me, p_via, pid);
		PERFORM lib.audit(me, p_via, 'graduate.amend', 'person',
		    pid::text, d.before || jsonb_build_object('qualification_id',
		    q.id), d.after || jsonb_build_object('qualification_id',
		    q.id, 'reason', reason));
	END LOOP;
	PERFORM lib.credentials_supersede(me, p_via, NULL, q.id, reason);
	RETURN lib.graduate_issued(nq);
END
$$;
