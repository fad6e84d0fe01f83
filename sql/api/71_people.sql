-- People: the social-work staff, collaborators and volunteers. A person's
-- record is kept by one province (its officers edit it and may see the
-- full citizen ID; every such reveal is audited); steering committees read
-- it with the ID masked. Lists always mask: the last digits are enough to
-- tell people apart, and the full number is shown where it is needed.

-- How many of the citizen ID's last digits a masked ID shows.
CREATE FUNCTION lib.cccd_shown() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 3 $$;

CREATE FUNCTION lib.cccd_mask(p_id text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT repeat('•', 12 - lib.cccd_shown()) || right(p_id, lib.cccd_shown()) $$;

CREATE FUNCTION lib.reveals_id(u auth.users, p hr.people) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(u.role = 'admin' OR
	    (u.role = 'hr_officer' AND u.province_id = p.province_id), false)
$$;

-- The pattern (on the reversed ID) of a list's ?q= of 3-12 digits, the
-- citizen ID's last digits, or NULL when q is not digits. A search may
-- match on no more digits than the actor is shown: for whom every ID in
-- sight is masked (steering committees), more digits than the mask
-- shows are refused, or searching one more digit at a time would read
-- the whole number back. Officers see only their province's people, all
-- in full; administrators see everyone's in full.
CREATE FUNCTION lib.id_digits(me auth.users, p_q text) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF p_q !~ '^[0-9]{3,12}$' OR p_q IS NULL THEN
		RETURN NULL;
	END IF;
	IF me.role NOT IN ('admin', 'hr_officer') AND
	    length(p_q) > lib.cccd_shown() THEN
		PERFORM lib.fail(422, 'too-many-digits',
		    format('Bạn chỉ thấy %s chữ số cuối của số định danh, nên chỉ tìm được theo %s chữ số đó.',
			lib.cccd_shown(), lib.cccd_shown()),
		    format('You are shown the last %s digits of an identification number, and may search by those %s only.',
			lib.cccd_shown(), lib.cccd_shown()), 'q');
	END IF;
	RETURN reverse(p_q) || '%';
END
$$;

CREATE FUNCTION lib.person_json(p hr.people, p_reveal boolean) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', p.id, 'full_name', p.full_name,
	    'citizen_id', CASE WHEN p_reveal THEN p.citizen_id
		ELSE lib.cccd_mask(p.citizen_id) END,
	    'citizen_id_masked', NOT p_reveal,
	    'sex', p.sex, 'birth_date', p.birth_date, 'phone', p.phone,
	    'email', p.email, 'ethnicity', p.ethnicity,
	    'highest_qualification', p.highest_qualification,
	    'province_code', g.code, 'province_name', g.name,
	    'created_at', p.created_at, 'updated_at', p.updated_at)
	  FROM (SELECT) one
	  LEFT JOIN geo.units g ON g.id = p.province_id
$$;

-- The person fields as a record body (what a patch is applied to, and
-- what the audit compares). The citizen ID is kept masked in the audit.
CREATE FUNCTION lib.person_body(p hr.people) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('full_name', p.full_name,
	    'citizen_id', p.citizen_id, 'sex', p.sex,
	    'birth_date', p.birth_date, 'phone', p.phone, 'email', p.email,
	    'ethnicity', p.ethnicity)
$$;

CREATE FUNCTION lib.person_audit(p hr.people) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.person_body(p) ||
	    jsonb_build_object('citizen_id', lib.cccd_mask(p.citizen_id))
$$;

-- Phones are stored as digits with an optional leading +.
CREATE FUNCTION lib.phone_norm(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT regexp_replace(p_text, '[ .()-]', '', 'g') $$;

-- A person's name as it is stored: NFC, the no-break and other fixed-width
-- spaces a pasted cell may carry turned into plain ones, runs collapsed.
CREATE FUNCTION lib.person_name(p_text text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT btrim(regexp_replace(normalize(p_text, NFC),
	    '[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+', ' ', 'g'))
$$;

-- Letters of any script (ICU's classes, whatever the database's locale),
-- combining marks NFC leaves standing, spaces, hyphens and apostrophes,
-- starting with a letter. Everything else - digits, punctuation, controls,
-- direction overrides, zero-width characters - is refused rather than
-- stripped, so the name signed and printed is the one that was entered.
CREATE FUNCTION lib.is_person_name(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT lib.person_name(p_text) ~ ('^[[:alpha:]][[:alpha:]\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F ''\u2019\u02BC\u2010-]*$'
	    COLLATE "vi-x-icu")
$$;

-- Every problem of a person record (body or imported row). The citizen
-- ID's prefix is checked by the server before this runs; here it is the
-- shape and the agreement with birth year and sex.
CREATE FUNCTION lib.person_problems(p jsonb, p_strict boolean) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	probs	jsonb;
	id	text := lib.txt(p, 'citizen_id');
	born	date;
	sex	text;
BEGIN
	probs := lib.chk_text(p, 'full_name', true, 150) ||
	    lib.chk_text(p, 'citizen_id', true, 12) ||
	    lib.chk_code(p, 'sex', true, ARRAY['male', 'female'],
		ARRAY['nam', 'nữ']) ||
	    lib.chk_date(p, 'birth_date', true) ||
	    lib.chk_text(p, 'phone', false, 30) ||
	    lib.chk_text(p, 'email', false, 254) ||
	    lib.chk_text(p, 'ethnicity', false, 60);
	IF length(lib.txt(p, 'full_name')) < 2 THEN
		probs := probs || lib.prob('full_name', 'too-short',
		    'Họ tên phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.');
	END IF;
	IF NOT lib.is_person_name(lib.txt(p, 'full_name')) THEN
		probs := probs || lib.prob('full_name', 'invalid-name',
		    'Họ tên chỉ gồm chữ cái, dấu cách, dấu gạch và dấu nháy.',
		    'A name holds letters, spaces, hyphens and apostrophes only.');
	END IF;
	born := lib.dt(p, 'birth_date');
	IF born > current_date - interval '15 years' THEN
		probs := probs || lib.prob('birth_date', 'implausible-birth-date',
		    'Ngày sinh cho thấy người này chưa đủ 15 tuổi.',
		    'The birth date makes this person younger than 15.');
	END IF;
	IF lib.present(p, 'phone') AND
	    lib.phone_norm(lib.txt(p, 'phone')) !~ '^\+?[0-9]{8,15}$' THEN
		probs := probs || lib.prob('phone', 'invalid-phone',
		    'Số điện thoại gồm 8–15 chữ số, có thể bắt đầu bằng +.',
		    'A phone number has 8–15 digits, optionally after a +.');
	END IF;
	IF lib.present(p, 'email') AND
	    lib.txt(p, 'email') !~ '^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$' THEN
		probs := probs || lib.prob('email', 'invalid-email',
		    'Địa chỉ email không hợp lệ.', 'The email address is not valid.');
	END IF;
	IF id !~ '^[0-9]+$' THEN
		probs := probs || lib.prob('citizen_id', 'cccd-digits',
		    'Số định danh chỉ gồm chữ số.',
		    'The identification number holds digits only.');
	ELSIF id ~ '^[0-9]{11}$' THEN
		probs := probs || lib.prob('citizen_id', 'cccd-leading-zero',
		    'Số định danh chỉ có 11 chữ số: có lẽ Excel đã bỏ số 0 ở đầu; hãy định dạng cột là Văn bản (Text) và nhập lại.',
		    'The identification number has 11 digits: Excel probably dropped the leading 0; format the column as Text and enter it again.');
	ELSIF id IS NOT NULL AND id !~ '^[0-9]{12}$' THEN
		probs := probs || lib.prob('citizen_id', 'cccd-length',
		    'Số định danh phải có đúng 12 chữ số.',
		    'The identification number must have exactly 12 digits.');
	ELSIF id IS NOT NULL AND born IS NOT NULL THEN
		sex := lib.code(p, 'sex', ARRAY['male', 'female'],
		    ARRAY['nam', 'nữ']);
		IF substr(id, 4, 1)::integer / 2 <>
		    extract(year FROM born)::integer / 100 - 19 THEN
			probs := probs || lib.prob('citizen_id', 'cccd-century',
			    'Chữ số thứ 4 (thế kỷ và giới tính) không khớp với thế kỷ của năm sinh.',
			    'The 4th digit (century and sex) does not match the century of the birth year.');
		ELSIF sex IS NOT NULL AND substr(id, 4, 1)::integer % 2 <>
		    (CASE sex WHEN 'male' THEN 0 ELSE 1 END) THEN
			probs := probs || lib.prob('citizen_id', 'cccd-sex',
			    'Chữ số thứ 4 không khớp với giới tính (chẵn là nam, lẻ là nữ).',
			    'The 4th digit does not match the sex (even is male, odd is female).');
		ELSIF substr(id, 5, 2)::integer <> extract(year FROM born)::integer % 100 THEN
			probs := probs || lib.prob('citizen_id', 'cccd-year',
			    'Chữ số thứ 5–6 phải là hai số cuối của năm sinh.',
			    'Digits 5–6 must be the last two digits of the birth year.');
		END IF;
	END IF;
	RETURN probs;
END
$$;

-- The person row a checked record stands for (id and province unset).
CREATE FUNCTION lib.person_from(p jsonb) RETURNS hr.people
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	r	hr.people;
BEGIN
	r.full_name := lib.person_name(lib.txt(p, 'full_name'));
	r.citizen_id := lib.txt(p, 'citizen_id');
	r.sex := lib.code(p, 'sex', ARRAY['male', 'female'], ARRAY['nam', 'nữ']);
	r.birth_date := lib.dt(p, 'birth_date');
	r.phone := lib.phone_norm(lib.txt(p, 'phone'));
	r.email := lower(lib.txt(p, 'email'));
	r.ethnicity := lib.txt(p, 'ethnicity');
	RETURN r;
END
$$;

-- A person the actor may see (the keeping province in scope), or 404.
CREATE FUNCTION lib.person_seen(me auth.users, p_id bigint) RETURNS hr.people
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	p	hr.people;
BEGIN
	SELECT * INTO p FROM hr.people WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_province(me, p.province_id) THEN
		PERFORM lib.not_found('người', 'person');
	END IF;
	RETURN p;
END
$$;

-- 409 for a citizen ID already on record: pointing at the record when
-- the actor may see it, otherwise only saying it is kept elsewhere.
CREATE FUNCTION lib.citizen_id_free(me auth.users, p_id text, p_self bigint)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	p	hr.people;
BEGIN
	SELECT * INTO p FROM hr.people WHERE citizen_id = p_id
	   AND id IS DISTINCT FROM p_self;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF lib.sees_province(me, p.province_id) THEN
		PERFORM lib.fail_link(409, 'citizen-id-exists',
		    'Đã có người mang số định danh này trong sổ (xem bản ghi đã có).',
		    'A person with this identification number is already on record (see the existing record).',
		    'citizen_id', '/api/v1/people/' || p.id);
	END IF;
	PERFORM lib.fail(409, 'citizen-id-exists-elsewhere',
	    'Số định danh này đã được một tỉnh/thành phố khác đăng ký; hãy liên hệ quản trị viên để chuyển hồ sơ.',
	    'This identification number is on record in another province; ask an administrator to transfer the record.',
	    'citizen_id');
END
$$;

-- Days on which the person's spells (volunteering aside) add up to more
-- than one full-time post. The sum peaks on some spell's first day, so
-- those are the days to test.
CREATE FUNCTION lib.fte_overload(p_person_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('from', d.day,
	    'fte', d.total) ORDER BY d.day), '[]')
	  FROM (SELECT a.start_date AS day, sum(b.fte) AS total
		  FROM hr.assignments a
		  JOIN hr.assignments b ON b.person_id = a.person_id
		   AND b.span @> a.start_date AND b.category <> 'volunteer'
		 WHERE a.person_id = p_person_id AND a.category <> 'volunteer'
		 GROUP BY a.start_date HAVING sum(b.fte) > 1) d
$$;

CREATE FUNCTION lib.fte_warnings(p_person_id bigint) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(jsonb_agg(jsonb_build_object('code', 'fte-over-1',
	    'from', o -> 'from', 'fte', o -> 'fte',
	    'vi', format('Tổng tỷ lệ thời gian của người này là %s từ ngày %s (vượt 1,0).',
		o ->> 'fte', o ->> 'from'),
	    'en', format('This person''s assignments add up to %s FTE from %s (over 1.0).',
		o ->> 'fte', o ->> 'from'))), '[]')
	  FROM jsonb_array_elements(lib.fte_overload(p_person_id)) o
$$;

CREATE FUNCTION lib.assignment_json(a hr.assignments) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', a.id, 'person_id', a.person_id,
	    'work_unit_id', a.work_unit_id, 'work_unit_name', w.name,
	    'commune_code', c.code, 'category', a.category, 'fte', a.fte,
	    'allowance_vnd', a.allowance_vnd, 'title_code', a.title_code,
	    'position', a.position, 'start_date', a.start_date,
	    'end_date', a.end_date, 'end_reason', a.end_reason)
	  FROM hr.work_units w JOIN geo.units c ON c.id = w.commune_id
	 WHERE w.id = a.work_unit_id
$$;

-- The people with a spell matching the list filters, or NULL when no
-- spell filter is given. Collected first so the list can look them up by
-- id: checking each person in name order for a matching spell reads the
-- whole table to fill a page for a small commune.
CREATE FUNCTION lib.spell_people(p_commune_id integer, p_work_unit bigint,
    p_category text, p_active_on date) RETURNS bigint[]
LANGUAGE sql STABLE
AS $$
	SELECT CASE WHEN p_commune_id IS NULL AND p_work_unit IS NULL AND
	    p_category IS NULL AND p_active_on IS NULL THEN NULL
	    ELSE coalesce((SELECT array_agg(DISTINCT a.person_id)
		FROM hr.assignments a JOIN hr.work_units w ON w.id = a.work_unit_id
	       WHERE (p_commune_id IS NULL OR w.commune_id = p_commune_id)
		 AND (p_work_unit IS NULL OR a.work_unit_id = p_work_unit)
		 AND (p_category IS NULL OR a.category = p_category)
		 AND (p_active_on IS NULL OR a.span @> p_active_on)), '{}') END
$$;

CREATE FUNCTION api.people_list(p_actor bigint, p_province text,
    p_commune text, p_work_unit bigint, p_category text, p_active_on date,
    p_q text, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	pid	integer := lib.scope_province(me, p_province);
	cid	integer;
	k	jsonb := lib.cursor_in(p_cursor, 'g', 'f', 'id');
	digits	text;
	pattern	text;
	folded	text;
	ids	bigint[];
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	IF p_commune IS NOT NULL THEN
		cid := (lib.current_commune(p_commune, 'commune')).id;
	END IF;
	ids := lib.spell_people(cid, p_work_unit, p_category, p_active_on);
	IF p_category IS NOT NULL AND p_category NOT IN ('professional',
	    'commune_post', 'concurrent', 'collaborator', 'volunteer') THEN
		PERFORM lib.fail(400, 'invalid-parameter',
		    'Loại nhân sự không hợp lệ.', 'Unknown category.', 'category');
	END IF;
	digits := lib.id_digits(me, p_q);
	IF digits IS NULL AND p_q IS NOT NULL THEN
		pattern := lib.contains(p_q);
		folded := public.fold(btrim(p_q));
	END IF;
	SELECT array_agg(lib.person_json(p, false) ORDER BY p.given_name,
		p.full_name, p.id),
	    array_agg(jsonb_build_object('g', p.given_name, 'f', p.full_name,
		'id', p.id) ORDER BY p.given_name, p.full_name, p.id)
	  INTO items, keys
	  FROM (SELECT * FROM hr.people p
		 WHERE (pid IS NULL OR p.province_id = pid)
		   AND lib.sees_province(me, p.province_id)
		   AND (digits IS NULL OR reverse(p.citizen_id) LIKE digits)
		   AND (pattern IS NULL OR p.search LIKE pattern
			OR folded <% p.search)
		   AND (ids IS NULL OR p.id = ANY (ids))
		   AND (k IS NULL OR (p.given_name, p.full_name, p.id) >
			((k ->> 'g') COLLATE "vi-x-icu",
			 (k ->> 'f') COLLATE "vi-x-icu", (k ->> 'id')::bigint))
		 ORDER BY p.given_name, p.full_name, p.id LIMIT n + 1) p;
	RETURN lib.page(items, keys, n);
END
$$;

-- One person with every assignment and the FTE warnings. Showing the full
-- citizen ID is a reveal, and is audited.
CREATE FUNCTION api.person_get(p_actor bigint, p_via text, p_id bigint)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	reveal	boolean;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	p := lib.person_seen(me, p_id);
	reveal := lib.reveals_id(me, p);
	IF reveal THEN
		PERFORM lib.audit(me, p_via, 'person.reveal_id', 'person',
		    p.id::text, NULL, NULL);
	END IF;
	RETURN lib.person_json(p, reveal) || jsonb_build_object(
	    'assignments', (SELECT coalesce(jsonb_agg(lib.assignment_json(a)
		ORDER BY a.start_date DESC, a.id DESC), '[]')
		FROM hr.assignments a WHERE a.person_id = p.id),
	    'warnings', lib.fte_warnings(p.id));
END
$$;

-- The province a new or moved record is kept by: an officer's own; an
-- administrator names it.
CREATE FUNCTION lib.keeping_province(me auth.users, p_code text,
    p_field text) RETURNS integer
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF me.role = 'hr_officer' THEN
		IF p_code IS NOT NULL AND p_code IS DISTINCT FROM
		    (SELECT code FROM geo.units WHERE id = me.province_id) THEN
			PERFORM lib.fail(403, 'out-of-scope',
			    'Bạn chỉ được ghi dữ liệu của tỉnh/thành phố mình.',
			    'You may only write records of your own province.',
			    p_field);
		END IF;
		RETURN me.province_id;
	END IF;
	IF p_code IS NULL THEN
		PERFORM lib.fail(422, 'required',
		    'Quản trị viên cần chỉ rõ tỉnh/thành phố quản lý hồ sơ (province_code).',
		    'An administrator must say which province keeps the record (province_code).',
		    p_field);
	END IF;
	RETURN (lib.current_province(p_code, p_field)).id;
END
$$;

-- A person registered by a university and kept by no province yet is
-- taken by the first province that records them: the officer has the ID
-- card, so the card's name wins and the contact details are added. A
-- birth date or sex that disagrees is a different person, or a typo one
-- side must fix first.
CREATE FUNCTION lib.person_adopt(me auth.users, p_via text, p hr.people)
RETURNS hr.people
LANGUAGE plpgsql
AS $$
DECLARE
	was	hr.people;
	now_	hr.people;
BEGIN
	SELECT * INTO was FROM hr.people
	 WHERE citizen_id = p.citizen_id AND province_id IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF was.birth_date <> p.birth_date OR was.sex <> p.sex THEN
		PERFORM lib.fail(409, 'identity-mismatch',
		    'Số định danh này đã được cơ sở đào tạo đăng ký với ngày sinh hoặc giới tính khác; hãy kiểm tra lại giấy tờ.',
		    'This identification number was registered by a training institution with another birth date or sex; check the documents.',
		    'birth_date');
	END IF;
	UPDATE hr.people SET full_name = p.full_name,
	    phone = coalesce(p.phone, phone), email = coalesce(p.email, email),
	    ethnicity = coalesce(p.ethnicity, ethnicity),
	    province_id = p.province_id, updated_at = now()
	 WHERE id = was.id
	RETURNING * INTO now_;
	PERFORM lib.audit(me, p_via, 'person.adopt', 'person', now_.id::text,
	    lib.person_audit(was) || jsonb_build_object('province_id', NULL),
	    lib.person_audit(now_) ||
	    jsonb_build_object('province_id', now_.province_id));
	RETURN now_;
END
$$;

CREATE FUNCTION api.person_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	adopted	hr.people;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	PERFORM lib.fail_first(lib.person_problems(p_body - 'province_code', true)
	    || lib.chk_text(p_body, 'province_code', false, 2));
	p := lib.person_from(p_body);
	p.province_id := lib.keeping_province(me, lib.txt(p_body, 'province_code'),
	    'province_code');
	adopted := lib.person_adopt(me, p_via, p);
	IF adopted.id IS NOT NULL THEN
		RETURN lib.person_json(adopted, true) ||
		    jsonb_build_object('adopted', true);
	END IF;
	PERFORM lib.citizen_id_free(me, p.citizen_id, NULL);
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, phone,
	    email, ethnicity, province_id)
	VALUES (p.full_name, p.citizen_id, p.sex, p.birth_date, p.phone, p.email,
	    p.ethnicity, p.province_id)
	RETURNING * INTO p;
	PERFORM lib.audit(me, p_via, 'person.create', 'person', p.id::text,
	    NULL, lib.person_audit(p));
	RETURN lib.person_json(p, true);
END
$$;

-- A patch is applied to the whole record, which is then checked again:
-- null clears an optional field and is refused for a required one.
CREATE FUNCTION api.person_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	hr.people;
	p	hr.people;
	merged	jsonb;
	d	record;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.person_seen(me, p_id);
	PERFORM lib.require_writes(me, old.province_id, NULL);
	SELECT * INTO old FROM hr.people WHERE id = old.id FOR UPDATE;
	merged := lib.person_body(old) || p_patch;
	PERFORM lib.fail_first(lib.person_problems(merged, true));
	p := lib.person_from(merged);
	PERFORM lib.citizen_id_free(me, p.citizen_id, old.id);
	UPDATE hr.people SET full_name = p.full_name, citizen_id = p.citizen_id,
	    sex = p.sex, birth_date = p.birth_date, phone = p.phone,
	    email = p.email, ethnicity = p.ethnicity, updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO p;
	d := lib.changed(lib.person_audit(old), lib.person_audit(p));
	IF d.after <> '{}' OR old.citizen_id <> p.citizen_id THEN
		PERFORM lib.audit(me, p_via, 'person.update', 'person', p.id::text,
		    d.before, d.after);
	END IF;
	RETURN lib.person_json(p, true);
END
$$;

-- What happened to a person's record, newest first: changes, assignment
-- changes, transfers, and who was shown the full citizen ID.
CREATE FUNCTION api.person_history(p_actor bigint, p_id bigint,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	n	integer := lib.limit_ok(p_limit, 500);
	after_id bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	p := lib.person_seen(me, p_id);
	SELECT array_agg(jsonb_build_object('id', l.id, 'at', l.at,
		'action', l.action, 'actor', l.actor_login,
		'actor_role', l.actor_role, 'via', l.via,
		'before', l.before, 'after', l.after) ORDER BY l.id DESC),
	    array_agg(jsonb_build_object('id', l.id) ORDER BY l.id DESC)
	  INTO items, keys
	  FROM (SELECT * FROM audit.log l
		 WHERE l.entity = 'person' AND l.entity_id = p.id::text
		   AND (after_id IS NULL OR l.id < after_id)
		 ORDER BY l.id DESC LIMIT n + 1) l;
	RETURN lib.page(items, keys, n);
END
$$;

-- The most rows an export may hold: 99,998, so that the file with its two
-- header rows imports back within the importer's 100,000 rows (app/
-- imports.c), far inside XLSX's 1,048,576. A larger selection is refused
-- whole, before any row is built, rather than cut short without saying.
CREATE FUNCTION lib.export_max_rows() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 99998 $$;

-- The people a list filter selects, one row per assignment (a person with
-- none gets one row of their own), keyed like the import template so an
-- exported file imports back unchanged. The full citizen ID is written
-- only where the reader may see it, and the export is audited with the
-- people it revealed. More than lib.export_max_rows() rows is 422
-- export-too-large, checked before the rows are built.
CREATE FUNCTION api.people_export(p_actor bigint, p_via text,
    p_province text, p_commune text, p_work_unit bigint, p_category text,
    p_active_on date, p_q text) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	pid	integer := lib.scope_province(me, p_province);
	cid	integer;
	digits	text;
	pattern	text;
	folded	text;
	ids	bigint[];
	chosen	bigint[];
	n	bigint;
	rows	json;
	revealed bigint[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	IF p_commune IS NOT NULL THEN
		cid := (lib.current_commune(p_commune, 'commune')).id;
	END IF;
	ids := lib.spell_people(cid, p_work_unit, p_category, p_active_on);
	digits := lib.id_digits(me, p_q);
	IF digits IS NULL AND p_q IS NOT NULL THEN
		pattern := lib.contains(p_q);
		folded := public.fold(btrim(p_q));
	END IF;
	SELECT coalesce(array_agg(p.id), '{}') INTO chosen FROM hr.people p
	 WHERE (pid IS NULL OR p.province_id = pid)
	   AND lib.sees_province(me, p.province_id)
	   AND (digits IS NULL OR reverse(p.citizen_id) LIKE digits)
	   AND (pattern IS NULL OR p.search LIKE pattern OR folded <% p.search)
	   AND (ids IS NULL OR p.id = ANY (ids));
	SELECT count(*) INTO n FROM (SELECT 1 FROM hr.people p
	    LEFT JOIN hr.assignments a ON a.person_id = p.id
	    WHERE p.id = ANY (chosen) LIMIT lib.export_max_rows() + 1) r;
	IF n > lib.export_max_rows() THEN
		PERFORM lib.fail(422, 'export-too-large',
		    format('Danh sách xuất có hơn %s dòng, quá số một tệp nhập '
			'lại được. Hãy lọc theo xã, đơn vị hoặc loại nhân sự '
			'rồi xuất từng phần.', lib.export_max_rows()),
		    format('The export would have more than %s rows, more than '
			'a file can import back. Filter by commune, work unit '
			'or category and export it in parts.',
			lib.export_max_rows()));
	END IF;
	WITH e AS (
		SELECT p.id, lib.reveals_id(me, p) AS reveal FROM hr.people p
		 WHERE p.id = ANY (chosen))
	SELECT coalesce(json_agg(json_build_object(
		'full_name', p.full_name,
		'citizen_id', CASE WHEN e.reveal THEN p.citizen_id
		    ELSE lib.cccd_mask(p.citizen_id) END,
		'sex', p.sex, 'birth_date', p.birth_date, 'phone', p.phone,
		'email', p.email, 'ethnicity', p.ethnicity,
		'work_unit_id', a.work_unit_id, 'work_unit_name', w.name,
		'commune_code', c.code, 'category', a.category,
		'fte', a.fte::float8, 'allowance_vnd', a.allowance_vnd,
		'title_code', a.title_code, 'position', a.position,
		'start_date', a.start_date, 'end_date', a.end_date,
		'end_reason', a.end_reason)
		ORDER BY p.given_name, p.full_name, p.id, a.start_date, a.id), '[]'),
	    array_agg(DISTINCT e.id) FILTER (WHERE e.reveal)
	  INTO rows, revealed
	  FROM e
	  JOIN hr.people p ON p.id = e.id
	  LEFT JOIN hr.assignments a ON a.person_id = p.id
	  LEFT JOIN hr.work_units w ON w.id = a.work_unit_id
	  LEFT JOIN geo.units c ON c.id = w.commune_id;
	PERFORM lib.audit(me, p_via, 'people.export', 'people', NULL, NULL,
	    jsonb_build_object('rows', json_array_length(rows),
		'revealed_ids', coalesce(to_jsonb(revealed), '[]'),
		'filter', jsonb_strip_nulls(jsonb_build_object('province',
		    p_province, 'commune', p_commune, 'work_unit', p_work_unit,
		    'category', p_category, 'active_on', p_active_on,
		    'q', p_q))));
	RETURN rows;
END
$$;
