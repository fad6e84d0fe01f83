-- Training: partnerships between institutions and provinces (or other
-- institutions), the course catalogue, cohorts (classes) and enrolments.
-- Completing an enrolment records what it earned in the same transaction:
-- a certificate (or, for a degree course, a qualification, which may raise
-- the person's highest qualification) and a credential for the server to
-- sign, listed under "_sign" in the response.
--
-- Who may do what:
--   partnerships  read: admin, steering and officers of the partnership's
--                 province, registrars of either institution;
--                 write: admin, officers of the partnership's province.
--                 The province of an institution-to-institution agreement
--                 is the partner institution's.
--   courses       read: every signed-in user; the national catalogue
--                 (province NULL) is written by admins only, a province's
--                 own courses by its officers (and admins); a cohort
--                 uses a national course or one of its own province's.
--   cohorts       read: admin, steering and officers of the host province,
--                 the teaching institution's registrar;
--                 write: admin, officers of the host province. A cohort
--                 names a teaching institution only through an active
--                 partnership, seen by the actor, whose province is the
--                 cohort's; with none the host province's department
--                 teaches (and issues).
--   completions   of a cohort taught by an institution are confirmed by
--                 its registrar (or an admin acting for it) before
--                 anything is awarded in its name; an officer's
--                 completion waits for that confirmation.
--   enrolments    read: whoever reads the cohort, and steering and
--                 officers of the province that keeps the person's record;
--                 write: whoever writes the cohort, enrolling only people
--                 their province keeps (admins: anyone).

-- =====================================================================
-- Partnerships.

CREATE FUNCTION lib.partnership_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['draft', 'active', 'suspended', 'ended'] $$;

-- The province an agreement serves: the one it names, or for an agreement
-- between two institutions the partner institution's.
CREATE FUNCTION lib.partnership_province(p training.partnerships)
RETURNS integer
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(p.province_id, (SELECT province_id FROM org.institutions
	    WHERE id = p.partner_institution_id))
$$;

CREATE FUNCTION lib.sees_partnership(me auth.users, p training.partnerships)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(CASE me.role
	    WHEN 'registrar' THEN me.institution_id IN (p.institution_id,
		p.partner_institution_id)
	    ELSE lib.sees_province(me, lib.partnership_province(p)) END, false)
$$;

CREATE FUNCTION lib.partnership_json(p training.partnerships) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', p.id,
	    'institution_id', p.institution_id,
	    'institution', lib.institution_ref(p.institution_id),
	    'province_code', g.code, 'province_name', g.name,
	    'partner_institution_id', p.partner_institution_id,
	    'partner_institution', lib.institution_ref(p.partner_institution_id),
	    'agreement_number', p.agreement_number, 'signed_on', p.signed_on,
	    'valid_from', p.valid_from, 'valid_until', p.valid_until,
	    'programmes', to_jsonb(p.programmes),
	    'seats_per_year', p.seats_per_year, 'status', p.status,
	    'notes', p.notes, 'created_at', p.created_at,
	    'updated_at', p.updated_at)
	  FROM (SELECT) one
	  LEFT JOIN geo.units g ON g.id = p.province_id
$$;

CREATE FUNCTION lib.partnership_body(p training.partnerships) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('institution_id', p.institution_id,
	    'province_code', (SELECT code FROM geo.units WHERE id = p.province_id),
	    'partner_institution_id', p.partner_institution_id,
	    'agreement_number', p.agreement_number, 'signed_on', p.signed_on,
	    'valid_from', p.valid_from, 'valid_until', p.valid_until,
	    'programmes', to_jsonb(p.programmes),
	    'seats_per_year', p.seats_per_year, 'status', p.status,
	    'notes', p.notes)
$$;

-- Checks a whole partnership record and returns the row to store, or
-- fails with 422 on the first problem. Programmes are course codes (or
-- programme codes of degree courses) of the catalogue.
CREATE FUNCTION lib.partnership_from(p jsonb, p_base training.partnerships)
RETURNS training.partnerships
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	r	training.partnerships := p_base;
	codes	text[];
	bad	text;
BEGIN
	PERFORM lib.fail_first(
	    lib.chk_num(p, 'institution_id', true, true, 1, 2147483647, true,
		'Mã cơ sở đào tạo phải là số nguyên dương.',
		'institution_id must be a positive integer.') ||
	    lib.chk_text(p, 'province_code', false, 2) ||
	    lib.chk_num(p, 'partner_institution_id', false, true, 1, 2147483647,
		true, 'Mã cơ sở đối tác phải là số nguyên dương.',
		'partner_institution_id must be a positive integer.') ||
	    lib.chk_text(p, 'agreement_number', true, 80) ||
	    lib.chk_date(p, 'signed_on', true) ||
	    lib.chk_date(p, 'valid_from', true) ||
	    lib.chk_date(p, 'valid_until', false) ||
	    lib.chk_num(p, 'seats_per_year', false, true, 0, 100000, true,
		'Số chỉ tiêu mỗi năm từ 0 đến 100.000.',
		'seats_per_year is a whole number from 0 to 100,000.') ||
	    lib.chk_code(p, 'status', false, lib.partnership_statuses(), '{}') ||
	    lib.chk_text(p, 'notes', false, 2000));
	IF lib.present(p, 'province_code') = lib.present(p, 'partner_institution_id') THEN
		PERFORM lib.fail(422, 'partner-required',
		    'Thỏa thuận phải có đúng một bên đối tác: một tỉnh/thành phố (province_code) hoặc một cơ sở đào tạo (partner_institution_id).',
		    'An agreement has exactly one partner: a province (province_code) or an institution (partner_institution_id).',
		    'province_code');
	END IF;
	IF jsonb_typeof(p -> 'programmes') NOT IN ('array', 'null') THEN
		PERFORM lib.fail(422, 'invalid-type',
		    'Trường này phải là một mảng mã khóa học.',
		    'This field must be an array of course codes.', 'programmes');
	END IF;
	IF jsonb_typeof(p -> 'programmes') = 'array' THEN
		IF EXISTS (SELECT FROM jsonb_array_elements(p -> 'programmes') x
		    WHERE jsonb_typeof(x) <> 'string') THEN
			PERFORM lib.fail(422, 'invalid-type',
			    'Mỗi chương trình là một chuỗi mã khóa học.',
			    'Each programme is a course code string.', 'programmes');
		END IF;
		SELECT array_agg(DISTINCT btrim(x) ORDER BY btrim(x)) INTO codes
		  FROM jsonb_array_elements_text(p -> 'programmes') x;
	END IF;
	codes := coalesce(codes, '{}');
	IF cardinality(codes) > 100 THEN
		PERFORM lib.fail(422, 'too-many', 'Tối đa 100 chương trình.',
		    'At most 100 programmes.', 'programmes');
	END IF;
	SELECT c INTO bad FROM unnest(codes) c
	 WHERE NOT EXISTS (SELECT FROM training.courses k
		WHERE k.code = c OR k.programme_code = c)
	 ORDER BY c LIMIT 1;
	IF FOUND THEN
		PERFORM lib.fail(422, 'unknown-course',
		    format('Không có khóa học hay chương trình nào mang mã %s.', bad),
		    format('No course or programme has the code %s.', bad),
		    'programmes');
	END IF;
	r.institution_id := (lib.institution_named(
	    (p ->> 'institution_id')::bigint, 'institution_id')).id;
	r.province_id := NULL;
	r.partner_institution_id := NULL;
	IF lib.present(p, 'province_code') THEN
		r.province_id := (lib.current_province(lib.txt(p, 'province_code'),
		    'province_code')).id;
	ELSE
		r.partner_institution_id := (lib.institution_named(
		    (p ->> 'partner_institution_id')::bigint,
		    'partner_institution_id')).id;
		IF r.partner_institution_id = r.institution_id THEN
			PERFORM lib.fail(422, 'same-institution',
			    'Một cơ sở không thể ký thỏa thuận với chính mình.',
			    'An institution cannot be its own partner.',
			    'partner_institution_id');
		END IF;
	END IF;
	r.agreement_number := lib.txt(p, 'agreement_number');
	r.signed_on := lib.dt(p, 'signed_on');
	r.valid_from := lib.dt(p, 'valid_from');
	r.valid_until := lib.dt(p, 'valid_until');
	IF r.signed_on < '2000-01-01' OR r.signed_on > current_date THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Ngày ký phải từ năm 2000 đến hôm nay.',
		    'signed_on must be between 2000-01-01 and today.', 'signed_on');
	END IF;
	IF r.valid_until < r.valid_from THEN
		PERFORM lib.fail(422, 'end-before-start',
		    'Ngày hết hiệu lực không được trước ngày có hiệu lực.',
		    'valid_until must not be before valid_from.', 'valid_until');
	END IF;
	r.programmes := codes;
	r.seats_per_year := lib.num(p, 'seats_per_year', true);
	r.status := coalesce(lib.txt(p, 'status'), 'active');
	r.notes := lib.txt(p, 'notes');
	RETURN r;
END
$$;

CREATE FUNCTION lib.partnership_seen(me auth.users, p_id bigint)
RETURNS training.partnerships
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	p	training.partnerships;
BEGIN
	SELECT * INTO p FROM training.partnerships WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_partnership(me, p) THEN
		PERFORM lib.not_found('thỏa thuận hợp tác', 'partnership');
	END IF;
	RETURN p;
END
$$;

CREATE FUNCTION lib.partnership_number_free(p training.partnerships)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	other	integer;
BEGIN
	SELECT id INTO other FROM training.partnerships
	 WHERE institution_id = p.institution_id
	   AND agreement_number = p.agreement_number
	   AND id IS DISTINCT FROM p.id;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'agreement-exists',
		    'Cơ sở này đã có một thỏa thuận mang số này.',
		    'This institution already has an agreement with this number.',
		    'agreement_number', '/api/v1/partnerships/' || other);
	END IF;
END
$$;

-- What an agreement has produced, year by year (the agreement's years up
-- to this one, and any year one of its cohorts started in): seats offered
-- (seats_per_year) and used (enrolments not withdrawn in its cohorts),
-- graduates (completed enrolments), and of those how many work in the
-- partnership's province today (an assignment in force today in a unit
-- of that province).
CREATE FUNCTION lib.partnership_stats(p training.partnerships) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	WITH e AS (
		SELECT e.person_id, e.status,
		    extract(year FROM h.start_date)::integer AS y,
		    e.status = 'completed' AND EXISTS (SELECT FROM hr.assignments a
			JOIN hr.work_units w ON w.id = a.work_unit_id
		       WHERE a.person_id = e.person_id
			 AND a.span @> current_date
			 AND w.province_id = lib.partnership_province(p)) AS working
		  FROM training.cohorts h
		  JOIN training.enrolments e ON e.cohort_id = h.id
		 WHERE h.partnership_id = p.id
	), years AS (
		SELECT generate_series(extract(year FROM p.valid_from)::integer,
		    greatest(extract(year FROM p.valid_from)::integer,
			extract(year FROM least(coalesce(p.valid_until, current_date),
			    current_date))::integer)) AS y
		UNION
		SELECT y FROM e
	), per AS (
		SELECT y.y,
		    count(e.*) FILTER (WHERE e.status <> 'withdrawn') AS used,
		    count(e.*) FILTER (WHERE e.status = 'completed') AS graduates,
		    count(e.*) FILTER (WHERE e.working) AS working
		  FROM years y LEFT JOIN e ON e.y = y.y
		 GROUP BY y.y
	)
	SELECT jsonb_build_object(
	    'province_code', (SELECT code FROM geo.units
		WHERE id = lib.partnership_province(p)),
	    'years', coalesce((SELECT jsonb_agg(jsonb_build_object('year', y,
		'seats_offered', p.seats_per_year, 'seats_used', used,
		'graduates', graduates, 'working_in_province', working)
		ORDER BY y) FROM per), '[]'),
	    'total', (SELECT jsonb_build_object(
		'cohorts', (SELECT count(*) FROM training.cohorts
		    WHERE partnership_id = p.id),
		'seats_used', count(*) FILTER (WHERE status <> 'withdrawn'),
		'graduates', count(*) FILTER (WHERE status = 'completed'),
		'working_in_province', count(*) FILTER (WHERE working))
		FROM e))
$$;

CREATE FUNCTION api.partnerships_list(p_actor bigint, p_province text,
    p_institution bigint, p_status text, p_cursor text, p_limit integer)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	pid	integer := lib.filter_province(me, p_province);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.param_in(p_status, lib.partnership_statuses(), 'status');
	SELECT array_agg(lib.partnership_json(p) ORDER BY p.id),
	    array_agg(jsonb_build_object('id', p.id) ORDER BY p.id)
	  INTO items, keys
	  FROM (SELECT * FROM training.partnerships p
		 WHERE lib.sees_partnership(me, p)
		   AND (pid IS NULL OR lib.partnership_province(p) = pid)
		   AND (p_institution IS NULL OR p_institution IN
			(p.institution_id, p.partner_institution_id))
		   AND (p_status IS NULL OR p.status = p_status)
		   AND (after IS NULL OR p.id > after)
		 ORDER BY p.id LIMIT n + 1) p;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.partnership_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	training.partnerships := lib.partnership_seen(me, p_id);
BEGIN
	RETURN lib.partnership_json(p) ||
	    jsonb_build_object('stats', lib.partnership_stats(p));
END
$$;

CREATE FUNCTION api.partnership_create(p_actor bigint, p_via text,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	training.partnerships;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	p := lib.partnership_from(p_body, NULL);
	PERFORM lib.require_writes(me, lib.partnership_province(p),
	    CASE WHEN p.province_id IS NULL THEN 'partner_institution_id'
		ELSE 'province_code' END);
	PERFORM lib.partnership_number_free(p);
	INSERT INTO training.partnerships (institution_id, province_id,
	    partner_institution_id, agreement_number, signed_on, valid_from,
	    valid_until, programmes, seats_per_year, status, notes)
	VALUES (p.institution_id, p.province_id, p.partner_institution_id,
	    p.agreement_number, p.signed_on, p.valid_from, p.valid_until,
	    p.programmes, p.seats_per_year, p.status, p.notes)
	RETURNING * INTO p;
	PERFORM lib.audit(me, p_via, 'partnership.create', 'partnership',
	    p.id::text, NULL, lib.partnership_body(p));
	RETURN lib.partnership_json(p);
END
$$;

CREATE FUNCTION api.partnership_update(p_actor bigint, p_via text,
    p_id bigint, p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	training.partnerships;
	p	training.partnerships;
	merged	jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.partnership_seen(me, p_id);
	PERFORM lib.require_writes(me, lib.partnership_province(old), NULL);
	SELECT * INTO old FROM training.partnerships WHERE id = old.id FOR UPDATE;
	-- Naming one kind of partner replaces the other.
	merged := lib.partnership_body(old);
	IF p_patch ? 'province_code' THEN
		merged := merged - 'partner_institution_id';
	ELSIF p_patch ? 'partner_institution_id' THEN
		merged := merged - 'province_code';
	END IF;
	p := lib.partnership_from(merged || p_patch, old);
	PERFORM lib.require_writes(me, lib.partnership_province(p),
	    CASE WHEN p.province_id IS NULL THEN 'partner_institution_id'
		ELSE 'province_code' END);
	-- Its cohorts were taught by its parties in its province: an
	-- agreement in use keeps them (sign a new one instead).
	IF (p.institution_id, p.province_id, p.partner_institution_id) IS DISTINCT
	    FROM (old.institution_id, old.province_id, old.partner_institution_id)
	    AND EXISTS (SELECT FROM training.cohorts WHERE partnership_id = old.id) THEN
		PERFORM lib.fail(409, 'partnership-in-use',
		    'Thỏa thuận đã có lớp học; không đổi được các bên hay tỉnh/thành phố.',
		    'The partnership has cohorts; its parties and province cannot change.',
		    CASE WHEN p.institution_id <> old.institution_id
			THEN 'institution_id' WHEN p.province_id IS NULL
			THEN 'partner_institution_id' ELSE 'province_code' END);
	END IF;
	PERFORM lib.partnership_number_free(p);
	UPDATE training.partnerships SET institution_id = p.institution_id,
	    province_id = p.province_id,
	    partner_institution_id = p.partner_institution_id,
	    agreement_number = p.agreement_number, signed_on = p.signed_on,
	    valid_from = p.valid_from, valid_until = p.valid_until,
	    programmes = p.programmes, seats_per_year = p.seats_per_year,
	    status = p.status, notes = p.notes, updated_at = now()
	 WHERE id = p.id
	RETURNING * INTO p;
	PERFORM lib.audit_changes(me, p_via, 'partnership.update', 'partnership',
	    p.id::text, lib.partnership_body(old), lib.partnership_body(p));
	RETURN lib.partnership_json(p) ||
	    jsonb_build_object('stats', lib.partnership_stats(p));
END
$$;

-- =====================================================================
-- Courses.

CREATE FUNCTION lib.course_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['degree', 'short_course', 'title_training'] $$;

CREATE FUNCTION lib.course_topics() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['sw_general', 'case_management', 'child_protection',
    'violence_prevention', 'disability', 'drug_rehabilitation',
    'elderly_care', 'mental_health', 'community_development', 'other'] $$;

CREATE FUNCTION lib.course_json(c training.courses) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', c.id, 'code', c.code, 'name', c.name,
	    'name_en', c.name_en, 'kind', c.kind, 'level', c.level,
	    'programme_code', c.programme_code, 'field', c.field,
	    'topic', c.topic, 'title_code', c.title_code, 'hours', c.hours,
	    'counts_as_sw_training', c.counts_as_sw_training,
	    'active', c.active,
	    'province_code', (SELECT code FROM geo.units WHERE id = c.province_id),
	    'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

CREATE FUNCTION lib.course_body(c training.courses) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT lib.course_json(c) - 'id' - 'created_at' - 'updated_at' -
	    'province_code'
$$;

-- A province's own course is never a degree: degrees are awarded by
-- institutions, on programmes of the national catalogue.
CREATE FUNCTION lib.course_not_provincial_degree(c training.courses)
RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF c.province_id IS NOT NULL AND c.kind = 'degree' THEN
		PERFORM lib.fail(403, 'degree-national',
		    'Chương trình cấp bằng thuộc danh mục quốc gia, do quản trị viên thêm.',
		    'Degree programmes belong to the national catalogue, which administrators keep.',
		    'kind');
	END IF;
END
$$;

-- Who may write a course: an administrator any; an officer the courses
-- its own province added (403 national-course for the national
-- catalogue, out-of-scope for another province's).
CREATE FUNCTION lib.course_writable(me auth.users, c training.courses)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF me.role = 'admin' THEN
		RETURN;
	END IF;
	IF c.province_id IS NULL THEN
		PERFORM lib.fail(403, 'national-course',
		    'Danh mục khóa học quốc gia do quản trị viên quản lý; tỉnh/thành phố chỉ sửa khóa học của mình.',
		    'The national course catalogue is kept by administrators; a province edits only its own courses.');
	END IF;
	PERFORM lib.require_writes(me, c.province_id, NULL);
END
$$;

-- Checks a whole course record. What a kind needs: a degree a level and
-- a field (and optionally its 7-digit programme code), a short course a
-- topic, a title-training course the title it prepares for; a field that
-- belongs to another kind is refused rather than dropped.
CREATE FUNCTION lib.course_from(p jsonb, p_base training.courses)
RETURNS training.courses
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c	training.courses := p_base;
	k	text := lib.txt(p, 'kind');
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'code', true, 32) ||
	    lib.chk_text(p, 'name', true, 300) ||
	    lib.chk_text(p, 'name_en', false, 300) ||
	    lib.chk_code(p, 'kind', true, lib.course_kinds(), '{}') ||
	    lib.chk_code(p, 'level', false, lib.qualification_levels(), '{}') ||
	    lib.chk_text(p, 'programme_code', false, 7) ||
	    lib.chk_code(p, 'field', false, lib.qualification_fields(), '{}') ||
	    lib.chk_code(p, 'topic', false, lib.course_topics(), '{}') ||
	    lib.chk_code(p, 'title_code', false, ARRAY['V.09.04.01',
		'V.09.04.02', 'V.09.04.03'], '{}') ||
	    lib.chk_num(p, 'hours', true, true, 1, 20000, true,
		'Số giờ là số nguyên từ 1 đến 20.000.',
		'hours is a whole number from 1 to 20,000.') ||
	    lib.chk_bool(p, 'counts_as_sw_training', false) ||
	    lib.chk_bool(p, 'active', false));
	IF upper(lib.txt(p, 'code')) !~ '^[A-Z0-9][A-Z0-9.-]{1,31}$' THEN
		PERFORM lib.fail(422, 'invalid-course-code',
		    'Mã khóa học gồm 2–32 chữ in hoa, chữ số, dấu chấm hoặc gạch ngang.',
		    'A course code has 2–32 capital letters, digits, dots or hyphens.',
		    'code');
	END IF;
	IF length(lib.txt(p, 'name')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên khóa học phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.', 'name');
	END IF;
	IF length(lib.txt(p, 'name_en')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên tiếng Anh phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.', 'name_en');
	END IF;
	IF k = 'degree' AND NOT lib.present(p, 'level') THEN
		PERFORM lib.fail(422, 'required',
		    'Chương trình cấp bằng cần trình độ đào tạo.',
		    'A degree course needs its level.', 'level');
	END IF;
	IF k = 'degree' AND NOT lib.present(p, 'field') THEN
		PERFORM lib.fail(422, 'required',
		    'Chương trình cấp bằng cần ngành đào tạo.',
		    'A degree course needs its field.', 'field');
	END IF;
	IF k = 'short_course' AND NOT lib.present(p, 'topic') THEN
		PERFORM lib.fail(422, 'required',
		    'Khóa bồi dưỡng cần chủ đề.', 'A short course needs its topic.',
		    'topic');
	END IF;
	IF k = 'title_training' AND NOT lib.present(p, 'title_code') THEN
		PERFORM lib.fail(422, 'required',
		    'Khóa bồi dưỡng chức danh cần mã chức danh.',
		    'A title-training course needs the title code.', 'title_code');
	END IF;
	IF k <> 'degree' AND lib.present(p, 'level') THEN
		PERFORM lib.fail(422, 'not-for-kind',
		    'Chỉ chương trình cấp bằng mới có trình độ đào tạo.',
		    'Only degree courses have a level.', 'level');
	END IF;
	IF k <> 'degree' AND lib.present(p, 'programme_code') THEN
		PERFORM lib.fail(422, 'not-for-kind',
		    'Chỉ chương trình cấp bằng mới có mã ngành.',
		    'Only degree courses have a programme code.', 'programme_code');
	END IF;
	IF k <> 'short_course' AND lib.present(p, 'topic') THEN
		PERFORM lib.fail(422, 'not-for-kind',
		    'Chỉ khóa bồi dưỡng ngắn hạn mới có chủ đề.',
		    'Only short courses have a topic.', 'topic');
	END IF;
	IF k <> 'title_training' AND lib.present(p, 'title_code') THEN
		PERFORM lib.fail(422, 'not-for-kind',
		    'Chỉ khóa bồi dưỡng chức danh mới có mã chức danh.',
		    'Only title-training courses have a title code.', 'title_code');
	END IF;
	IF lib.txt(p, 'programme_code') !~ '^[0-9]{7}$' THEN
		PERFORM lib.fail(422, 'invalid-programme-code',
		    'Mã ngành gồm đúng 7 chữ số (ví dụ 7760101).',
		    'A programme code has exactly 7 digits (e.g. 7760101).',
		    'programme_code');
	END IF;
	c.code := upper(lib.txt(p, 'code'));
	c.name := regexp_replace(lib.txt(p, 'name'), '\s+', ' ', 'g');
	c.name_en := lib.txt(p, 'name_en');
	c.kind := k;
	c.level := lib.txt(p, 'level');
	c.programme_code := lib.txt(p, 'programme_code');
	c.field := lib.txt(p, 'field');
	c.topic := lib.txt(p, 'topic');
	c.title_code := lib.txt(p, 'title_code');
	c.hours := lib.num(p, 'hours', true);
	c.counts_as_sw_training := coalesce((p ->> 'counts_as_sw_training')::boolean,
	    false);
	c.active := coalesce((p ->> 'active')::boolean, true);
	RETURN c;
END
$$;

CREATE FUNCTION lib.course_seen(p_id bigint) RETURNS training.courses
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	c	training.courses;
BEGIN
	SELECT * INTO c FROM training.courses WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM lib.not_found('khóa học', 'course');
	END IF;
	RETURN c;
END
$$;

CREATE FUNCTION lib.course_code_free(p_code text, p_self integer)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	other	integer;
BEGIN
	SELECT id INTO other FROM training.courses
	 WHERE code = p_code AND id IS DISTINCT FROM p_self;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'course-code-exists',
		    'Đã có khóa học mang mã này.',
		    'A course with this code already exists.', 'code',
		    '/api/v1/courses/' || other);
	END IF;
END
$$;

CREATE FUNCTION api.courses_list(p_actor bigint, p_kind text, p_level text,
    p_topic text, p_q text, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'name', 'id');
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.param_in(p_kind, lib.course_kinds(), 'kind');
	PERFORM lib.param_in(p_level, lib.qualification_levels(), 'level');
	PERFORM lib.param_in(p_topic, lib.course_topics(), 'topic');
	SELECT array_agg(lib.course_json(c) ORDER BY c.name, c.id),
	    array_agg(jsonb_build_object('name', c.name, 'id', c.id)
		ORDER BY c.name, c.id)
	  INTO items, keys
	  FROM (SELECT * FROM training.courses c
		 WHERE (p_kind IS NULL OR c.kind = p_kind)
		   AND (p_level IS NULL OR c.level = p_level)
		   AND (p_topic IS NULL OR c.topic = p_topic)
		   AND (p_q IS NULL OR c.search LIKE lib.contains(p_q)
			OR c.code = upper(btrim(p_q))
			OR c.programme_code = btrim(p_q))
		   AND (k IS NULL OR (c.name, c.id) >
			((k ->> 'name') COLLATE "vi-x-icu", (k ->> 'id')::integer))
		 ORDER BY c.name, c.id LIMIT n + 1) c;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.course_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	c	training.courses := lib.course_seen(p_id);
BEGIN
	RETURN lib.course_json(c) || jsonb_build_object('cohorts',
	    (SELECT count(*) FROM training.cohorts WHERE course_id = c.id));
END
$$;

CREATE FUNCTION api.course_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	c	training.courses;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	c := lib.course_from(p_body, NULL);
	-- An administrator adds to the national catalogue; an officer adds
	-- a course of its own province.
	c.province_id := CASE WHEN me.role = 'hr_officer' THEN me.province_id END;
	PERFORM lib.course_not_provincial_degree(c);
	PERFORM lib.course_code_free(c.code, NULL);
	INSERT INTO training.courses (code, name, name_en, kind, level,
	    programme_code, field, topic, title_code, hours,
	    counts_as_sw_training, active, province_id)
	VALUES (c.code, c.name, c.name_en, c.kind, c.level, c.programme_code,
	    c.field, c.topic, c.title_code, c.hours, c.counts_as_sw_training,
	    c.active, c.province_id)
	RETURNING * INTO c;
	PERFORM lib.audit(me, p_via, 'course.create', 'course', c.id::text,
	    NULL, lib.course_body(c));
	RETURN lib.course_json(c);
END
$$;

-- A course that has cohorts keeps its kind and level: what their
-- completions earned (certificates, degrees, credentials) was that.
CREATE FUNCTION api.course_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	training.courses;
	c	training.courses;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.course_seen(p_id);
	PERFORM lib.course_writable(me, old);
	SELECT * INTO old FROM training.courses WHERE id = old.id FOR UPDATE;
	c := lib.course_from(lib.course_body(old) || p_patch, old);
	PERFORM lib.course_not_provincial_degree(c);
	PERFORM lib.course_code_free(c.code, old.id);
	IF (c.kind <> old.kind OR c.level IS DISTINCT FROM old.level) AND
	    EXISTS (SELECT FROM training.cohorts WHERE course_id = old.id) THEN
		PERFORM lib.fail(409, 'course-in-use',
		    'Khóa học đã có lớp; không đổi được loại hay trình độ.',
		    'The course has cohorts; its kind and level cannot change.',
		    CASE WHEN c.kind <> old.kind THEN 'kind' ELSE 'level' END);
	END IF;
	UPDATE training.courses SET code = c.code, name = c.name,
	    name_en = c.name_en, kind = c.kind, level = c.level,
	    programme_code = c.programme_code, field = c.field, topic = c.topic,
	    title_code = c.title_code, hours = c.hours,
	    counts_as_sw_training = c.counts_as_sw_training, active = c.active,
	    updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO c;
	PERFORM lib.audit_changes(me, p_via, 'course.update', 'course',
	    c.id::text, lib.course_body(old), lib.course_body(c));
	RETURN lib.course_json(c);
END
$$;

-- =====================================================================
-- Cohorts.

CREATE FUNCTION lib.cohort_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['planned', 'open', 'running', 'completed', 'cancelled'] $$;

CREATE FUNCTION lib.sees_cohort(me auth.users, h training.cohorts)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(CASE me.role
	    WHEN 'registrar' THEN me.institution_id = h.institution_id
	    ELSE lib.sees_province(me, h.province_id) END, false)
$$;

-- Seats held: every enrolment but a withdrawn one.
CREATE FUNCTION lib.cohort_taken(p_id integer) RETURNS integer
LANGUAGE sql STABLE
AS $$
	SELECT count(*)::integer FROM training.enrolments
	 WHERE cohort_id = p_id AND status <> 'withdrawn'
$$;

CREATE FUNCTION lib.cohort_json(h training.cohorts) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', h.id, 'course_id', h.course_id,
	    'course', jsonb_build_object('id', c.id, 'code', c.code,
		'name', c.name, 'kind', c.kind, 'level', c.level,
		'hours', c.hours),
	    'institution_id', h.institution_id,
	    'institution', lib.institution_ref(h.institution_id),
	    'province_code', g.code, 'province_name', g.name,
	    'partnership_id', h.partnership_id, 'name', h.name,
	    'start_date', h.start_date, 'end_date', h.end_date,
	    'capacity', h.capacity, 'modality', h.modality,
	    'funding', h.funding, 'status', h.status,
	    'seats_taken', t.n, 'seats_free', greatest(h.capacity - t.n, 0),
	    'created_at', h.created_at, 'updated_at', h.updated_at)
	  FROM training.courses c, geo.units g,
	    (SELECT lib.cohort_taken(h.id) AS n) t
	 WHERE c.id = h.course_id AND g.id = h.province_id
$$;

CREATE FUNCTION lib.cohort_body(h training.cohorts) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('course_id', h.course_id,
	    'institution_id', h.institution_id,
	    'province_code', (SELECT code FROM geo.units WHERE id = h.province_id),
	    'partnership_id', h.partnership_id, 'name', h.name,
	    'start_date', h.start_date, 'end_date', h.end_date,
	    'capacity', h.capacity, 'modality', h.modality,
	    'funding', h.funding, 'status', h.status)
$$;

-- Checks a whole cohort record for the actor (not its status, which
-- moves by the rules of lib.cohort_transition). The course is a national
-- one or the host province's own. A teaching institution is named only
-- through a partnership (partnership_id; institution_id defaults to the
-- partnership's institution): one the actor sees, of the cohort's
-- province, that the institution is party to and that is active when
-- the cohort is created or its institution, partnership or province
-- change. A partnership out of scope is refused exactly as one that
-- does not exist. A degree course needs a teaching institution.
CREATE FUNCTION lib.cohort_from(me auth.users, p jsonb,
    p_base training.cohorts)
RETURNS training.cohorts
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	h	training.cohorts := p_base;
	c	training.courses;
	pa	training.partnerships;
BEGIN
	PERFORM lib.fail_first(
	    lib.chk_num(p, 'course_id', true, true, 1, 2147483647, true,
		'Mã khóa học phải là số nguyên dương.',
		'course_id must be a positive integer.') ||
	    lib.chk_num(p, 'institution_id', false, true, 1, 2147483647, true,
		'Mã cơ sở đào tạo phải là số nguyên dương.',
		'institution_id must be a positive integer.') ||
	    lib.chk_text(p, 'province_code', true, 2) ||
	    lib.chk_num(p, 'partnership_id', false, true, 1, 2147483647, true,
		'Mã thỏa thuận phải là số nguyên dương.',
		'partnership_id must be a positive integer.') ||
	    lib.chk_text(p, 'name', false, 300) ||
	    lib.chk_date(p, 'start_date', true) ||
	    lib.chk_date(p, 'end_date', true) ||
	    lib.chk_num(p, 'capacity', true, true, 1, 5000, true,
		'Sĩ số tối đa là số nguyên từ 1 đến 5.000.',
		'capacity is a whole number from 1 to 5,000.') ||
	    lib.chk_code(p, 'modality', false, ARRAY['in_person', 'part_time',
		'online', 'blended'], '{}') ||
	    lib.chk_code(p, 'funding', true, ARRAY['national_programme',
		'provincial_budget', 'partner', 'tuition', 'other'], '{}') ||
	    lib.chk_code(p, 'status', false, lib.cohort_statuses(), '{}'));
	IF length(lib.txt(p, 'name')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên lớp phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.', 'name');
	END IF;
	SELECT * INTO c FROM training.courses
	 WHERE id = (p ->> 'course_id')::bigint;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-course',
		    'Không có khóa học với mã số này.', 'No course has this id.',
		    'course_id');
	END IF;
	h.course_id := c.id;
	h.province_id := (lib.current_province(lib.txt(p, 'province_code'),
	    'province_code')).id;
	PERFORM lib.require_writes(me, h.province_id, 'province_code');
	IF c.province_id IS DISTINCT FROM h.province_id AND c.province_id IS NOT NULL
	    AND c.id IS DISTINCT FROM p_base.course_id THEN
		PERFORM lib.fail(422, 'course-of-another-province',
		    'Khóa học này thuộc danh mục của tỉnh/thành phố khác.',
		    'This course belongs to another province''s catalogue.',
		    'course_id');
	END IF;
	h.institution_id := NULL;
	h.partnership_id := NULL;
	IF lib.present(p, 'institution_id') THEN
		h.institution_id := (lib.institution_named(
		    (p ->> 'institution_id')::bigint, 'institution_id')).id;
	END IF;
	IF lib.present(p, 'partnership_id') THEN
		SELECT * INTO pa FROM training.partnerships
		 WHERE id = (p ->> 'partnership_id')::bigint;
		IF NOT FOUND OR NOT lib.sees_partnership(me, pa) OR
		    lib.partnership_province(pa) IS DISTINCT FROM h.province_id THEN
			PERFORM lib.fail(422, 'unknown-partnership',
			    'Không có thỏa thuận hợp tác với mã số này của tỉnh/thành phố tổ chức lớp.',
			    'No partnership of the host province has this id.',
			    'partnership_id');
		END IF;
		h.institution_id := coalesce(h.institution_id, pa.institution_id);
		IF h.institution_id NOT IN (pa.institution_id,
		    coalesce(pa.partner_institution_id, 0)) THEN
			PERFORM lib.fail(422, 'partnership-mismatch',
			    'Cơ sở giảng dạy không phải một bên của thỏa thuận này.',
			    'The teaching institution is not party to this partnership.',
			    'partnership_id');
		END IF;
		IF pa.status <> 'active' AND (p_base.id IS NULL OR
		    pa.id IS DISTINCT FROM p_base.partnership_id OR
		    h.institution_id IS DISTINCT FROM p_base.institution_id OR
		    h.province_id IS DISTINCT FROM p_base.province_id) THEN
			PERFORM lib.fail(422, 'partnership-inactive',
			    format('Thỏa thuận này đang ở trạng thái %s; chỉ thỏa thuận đang hiệu lực (active) mới cho mở lớp.', pa.status),
			    format('This partnership is %s; only an active one can teach a cohort.', pa.status),
			    'partnership_id');
		END IF;
		h.partnership_id := pa.id;
	ELSIF h.institution_id IS NOT NULL AND (p_base.id IS NULL OR
	    h.institution_id IS DISTINCT FROM p_base.institution_id OR
	    p_base.partnership_id IS NOT NULL) THEN
		-- (A class recorded before partnerships were required keeps
		-- its institution; lib.credential_issuer issues nothing in its
		-- name on a registrar's word.)
		PERFORM lib.fail(422, 'partnership-required',
		    'Lớp chỉ ghi cơ sở giảng dạy qua một thỏa thuận hợp tác đang hiệu lực với tỉnh/thành phố (partnership_id).',
		    'A cohort names a teaching institution only through an active partnership with the host province (partnership_id).',
		    'partnership_id');
	END IF;
	IF c.kind = 'degree' AND h.institution_id IS NULL THEN
		PERFORM lib.fail(422, 'institution-required',
		    'Chương trình cấp bằng phải do một cơ sở đào tạo giảng dạy (qua thỏa thuận hợp tác).',
		    'A degree course is taught by an institution (through a partnership).',
		    'institution_id');
	END IF;
	h.name := lib.txt(p, 'name');
	h.start_date := lib.dt(p, 'start_date');
	h.end_date := lib.dt(p, 'end_date');
	IF h.start_date < '2000-01-01' THEN
		PERFORM lib.fail(422, 'out-of-range',
		    'Ngày khai giảng phải từ năm 2000.',
		    'start_date must be 2000-01-01 or later.', 'start_date');
	END IF;
	IF h.end_date < h.start_date THEN
		PERFORM lib.fail(422, 'end-before-start',
		    'Ngày kết thúc không được trước ngày khai giảng.',
		    'end_date must not be before start_date.', 'end_date');
	END IF;
	h.capacity := lib.num(p, 'capacity', true);
	h.modality := coalesce(lib.txt(p, 'modality'), 'in_person');
	h.funding := lib.txt(p, 'funding');
	RETURN h;
END
$$;

CREATE FUNCTION lib.cohort_seen(me auth.users, p_id bigint)
RETURNS training.cohorts
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	h	training.cohorts;
BEGIN
	SELECT * INTO h FROM training.cohorts WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_cohort(me, h) THEN
		PERFORM lib.not_found('lớp học', 'cohort');
	END IF;
	RETURN h;
END
$$;

-- 409 cohort-full: p_wanted seats asked for where p_free are left.
CREATE FUNCTION lib.cohort_full(h training.cohorts, p_free integer,
    p_wanted integer, p_field text) RETURNS void
LANGUAGE sql
AS $$
	SELECT lib.fail(409, 'cohort-full',
	    format('Lớp đã đủ chỗ: còn %s chỗ trống (sĩ số %s), cần %s.',
		greatest(p_free, 0), h.capacity, p_wanted),
	    format('The cohort is full: %s seats free (capacity %s), %s needed.',
		greatest(p_free, 0), h.capacity, p_wanted), p_field)
$$;

-- The cohort row locked for a change of its seats, as the capacity
-- trigger locks it: whoever holds it counts seats no one else is taking.
CREATE FUNCTION lib.cohort_lock(p_id integer) RETURNS training.cohorts
LANGUAGE sql
AS $$ SELECT * FROM training.cohorts WHERE id = p_id FOR UPDATE $$;

-- The status moves forward only: planned → open → running → completed,
-- and planned, open or running → cancelled. Completing needs every
-- enrolment settled (none still planned or enrolled); cancelling
-- withdraws the enrolments still planned or enrolled, and is refused once
-- someone has completed (their credentials would attest a cancelled
-- class: revoke them first).
CREATE FUNCTION lib.cohort_transition(me auth.users, p_via text,
    h training.cohorts, p_to text) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	n	integer;
	r	record;
BEGIN
	IF p_to = h.status THEN
		RETURN;
	END IF;
	IF NOT (h.status, p_to) IN (('planned', 'open'), ('open', 'running'),
	    ('running', 'completed'), ('planned', 'cancelled'),
	    ('open', 'cancelled'), ('running', 'cancelled')) THEN
		PERFORM lib.fail(409, 'invalid-transition',
		    format('Không thể chuyển lớp từ trạng thái %s sang %s.',
			h.status, p_to),
		    format('A cohort cannot go from %s to %s.', h.status, p_to),
		    'status');
	END IF;
	IF p_to = 'completed' THEN
		SELECT count(*) INTO n FROM training.enrolments
		 WHERE cohort_id = h.id AND status IN ('planned', 'enrolled');
		IF n > 0 THEN
			PERFORM lib.fail(409, 'enrolments-unsettled',
			    format('Còn %s học viên chưa có kết quả (dự kiến hoặc đang học); hãy ghi kết quả hoặc rút tên trước khi kết thúc lớp.', n),
			    format('%s enrolments are still planned or enrolled; record their results or withdraw them before completing the cohort.', n),
			    'status');
		END IF;
	END IF;
	IF p_to = 'cancelled' THEN
		SELECT count(*) INTO n FROM training.enrolments
		 WHERE cohort_id = h.id AND status = 'completed';
		IF n > 0 THEN
			PERFORM lib.fail(409, 'cohort-has-completions',
			    format('%s học viên đã hoàn thành lớp này; không hủy lớp được.', n),
			    format('%s people have completed this cohort; it cannot be cancelled.', n),
			    'status');
		END IF;
		FOR r IN UPDATE training.enrolments SET status = 'withdrawn',
			updated_at = now()
		      WHERE cohort_id = h.id AND status IN ('planned', 'enrolled')
		  RETURNING id, person_id LOOP
			PERFORM lib.audit(me, p_via, 'enrolment.update', 'enrolment',
			    r.id::text, NULL, jsonb_build_object('status',
				'withdrawn', 'reason', 'cohort-cancelled'));
		END LOOP;
	END IF;
END
$$;

CREATE FUNCTION lib.cohort_detail(h training.cohorts) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT (lib.cohort_json(h) || jsonb_build_object('enrolments',
	    (SELECT jsonb_build_object(
		'planned', count(*) FILTER (WHERE status = 'planned'),
		'enrolled', count(*) FILTER (WHERE status = 'enrolled'),
		'completed', count(*) FILTER (WHERE status = 'completed'),
		'failed', count(*) FILTER (WHERE status = 'failed'),
		'withdrawn', count(*) FILTER (WHERE status = 'withdrawn'),
		'total', count(*))
	       FROM training.enrolments WHERE cohort_id = h.id)))::json
$$;

-- Cohorts in scope, by start date; from/to keep those whose dates overlap
-- the period (ending on or after from, starting on or before to).
CREATE FUNCTION api.cohorts_list(p_actor bigint, p_province text,
    p_course bigint, p_institution bigint, p_status text, p_from date,
    p_to date, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	pid	integer := lib.filter_province(me, p_province);
	k	jsonb := lib.cursor_in(p_cursor, 's', 'id');
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.param_in(p_status, lib.cohort_statuses(), 'status');
	SELECT array_agg(lib.cohort_json(h) ORDER BY h.start_date, h.id),
	    array_agg(jsonb_build_object('s', h.start_date, 'id', h.id)
		ORDER BY h.start_date, h.id)
	  INTO items, keys
	  FROM (SELECT * FROM training.cohorts h
		 WHERE lib.sees_cohort(me, h)
		   AND (pid IS NULL OR h.province_id = pid)
		   AND (p_course IS NULL OR h.course_id = p_course)
		   AND (p_institution IS NULL OR h.institution_id = p_institution)
		   AND (p_status IS NULL OR h.status = p_status)
		   AND (p_from IS NULL OR h.end_date >= p_from)
		   AND (p_to IS NULL OR h.start_date <= p_to)
		   AND (k IS NULL OR (h.start_date, h.id) >
			((k ->> 's')::date, (k ->> 'id')::integer))
		 ORDER BY h.start_date, h.id LIMIT n + 1) h;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.cohort_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	RETURN lib.cohort_detail(lib.cohort_seen(me, p_id));
END
$$;

-- Checks, stores and audits a new cohort from a whole record: what
-- POST /api/v1/cohorts does for a caller whose role may write cohorts,
-- and what accepting a cohort plan (84_cohort_plans.sql) does with the
-- plan's course, province and capacity. A new cohort starts planned,
-- open or running (a class already under way is recorded as running); it
-- cannot be born completed or cancelled.
CREATE FUNCTION lib.cohort_insert(me auth.users, p_via text, p_body jsonb)
RETURNS training.cohorts
LANGUAGE plpgsql
AS $$
DECLARE
	h	training.cohorts;
BEGIN
	h := lib.cohort_from(me, p_body, NULL);
	PERFORM lib.require_writes(me, h.province_id, 'province_code');
	h.status := coalesce(lib.txt(p_body, 'status'), 'planned');
	IF h.status NOT IN ('planned', 'open', 'running') THEN
		PERFORM lib.fail(422, 'invalid-initial-status',
		    'Lớp mới chỉ có thể ở trạng thái planned, open hoặc running.',
		    'A new cohort is planned, open or running.', 'status');
	END IF;
	IF NOT (SELECT active FROM training.courses WHERE id = h.course_id) THEN
		PERFORM lib.fail(422, 'course-inactive',
		    'Khóa học này không còn được mở.',
		    'This course is no longer offered.', 'course_id');
	END IF;
	INSERT INTO training.cohorts (course_id, institution_id, province_id,
	    partnership_id, name, start_date, end_date, capacity, modality,
	    funding, status)
	VALUES (h.course_id, h.institution_id, h.province_id, h.partnership_id,
	    h.name, h.start_date, h.end_date, h.capacity, h.modality, h.funding,
	    h.status)
	RETURNING * INTO h;
	PERFORM lib.audit(me, p_via, 'cohort.create', 'cohort', h.id::text,
	    NULL, lib.cohort_body(h));
	RETURN h;
END
$$;

CREATE FUNCTION api.cohort_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	RETURN lib.cohort_detail(lib.cohort_insert(me, p_via, p_body));
END
$$;

-- A partial update. A completed or cancelled cohort is closed to every
-- change; one with enrolments keeps its course and teaching institution
-- (they are what its completions attest); capacity never drops below the
-- seats taken.
CREATE FUNCTION api.cohort_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	training.cohorts;
	h	training.cohorts;
	taken	integer;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.cohort_seen(me, p_id);
	PERFORM lib.require_writes(me, old.province_id, NULL);
	old := lib.cohort_lock(old.id);
	IF old.status IN ('completed', 'cancelled') THEN
		PERFORM lib.fail(409, 'cohort-closed',
		    format('Lớp đã ở trạng thái %s; không sửa được.', old.status),
		    format('The cohort is %s and can no longer change.', old.status),
		    'status');
	END IF;
	h := lib.cohort_from(me, lib.cohort_body(old) || p_patch, old);
	PERFORM lib.require_writes(me, h.province_id, 'province_code');
	IF (h.course_id <> old.course_id OR
	    h.institution_id IS DISTINCT FROM old.institution_id) AND
	    EXISTS (SELECT FROM training.enrolments WHERE cohort_id = old.id) THEN
		PERFORM lib.fail(409, 'cohort-in-use',
		    'Lớp đã có học viên; không đổi được khóa học hay cơ sở giảng dạy.',
		    'The cohort has enrolments; its course and institution cannot change.',
		    CASE WHEN h.course_id <> old.course_id THEN 'course_id'
			ELSE 'institution_id' END);
	END IF;
	taken := lib.cohort_taken(old.id);
	IF h.capacity < taken THEN
		PERFORM lib.fail(409, 'capacity-below-enrolments',
		    format('Lớp đã có %s học viên; sĩ số không được thấp hơn.', taken),
		    format('The cohort holds %s enrolments; capacity cannot go below that.', taken),
		    'capacity');
	END IF;
	PERFORM lib.cohort_transition(me, p_via, old,
	    coalesce(lib.txt(p_patch, 'status'), old.status));
	h.status := coalesce(lib.txt(p_patch, 'status'), old.status);
	UPDATE training.cohorts SET course_id = h.course_id,
	    institution_id = h.institution_id, province_id = h.province_id,
	    partnership_id = h.partnership_id, name = h.name,
	    start_date = h.start_date, end_date = h.end_date,
	    capacity = h.capacity, modality = h.modality, funding = h.funding,
	    status = h.status, updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO h;
	PERFORM lib.audit_changes(me, p_via, 'cohort.update', 'cohort',
	    h.id::text, lib.cohort_body(old), lib.cohort_body(h));
	RETURN lib.cohort_detail(h);
END
$$;

-- =====================================================================
-- Enrolments.

CREATE FUNCTION lib.enrolment_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['planned', 'enrolled', 'completed', 'failed', 'withdrawn'] $$;

-- The live (unrevoked) credential a completed enrolment earned.
CREATE FUNCTION lib.enrolment_credential(p_id bigint) RETURNS uuid
LANGUAGE sql STABLE
AS $$
	SELECT id FROM training.credentials
	 WHERE enrolment_id = p_id AND revoked_at IS NULL
	 ORDER BY created_at DESC LIMIT 1
$$;

CREATE FUNCTION lib.enrolment_json(e training.enrolments) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', e.id, 'cohort_id', e.cohort_id,
	    'person_id', e.person_id, 'full_name', p.full_name,
	    'citizen_id', lib.cccd_mask(p.citizen_id), 'status', e.status,
	    'hours_attended', e.hours_attended, 'result', e.result,
	    'completed_on', e.completed_on,
	    'confirmation', CASE WHEN e.status <> 'completed' THEN NULL
		WHEN e.confirmed_at IS NOT NULL THEN 'confirmed'
		WHEN EXISTS (SELECT FROM training.credentials x
		    WHERE x.enrolment_id = e.id) THEN 'confirmed'
		ELSE 'awaiting' END,
	    'confirmed_at', e.confirmed_at,
	    'credential_id', lib.enrolment_credential(e.id),
	    'certificate_id', (SELECT id FROM training.certificates
		WHERE enrolment_id = e.id),
	    'qualification_id', (SELECT id FROM training.qualifications
		WHERE enrolment_id = e.id),
	    'created_at', e.created_at, 'updated_at', e.updated_at)
	  FROM hr.people p WHERE p.id = e.person_id
$$;

CREATE FUNCTION lib.enrolment_body(e training.enrolments) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('status', e.status,
	    'hours_attended', e.hours_attended, 'result', e.result,
	    'completed_on', e.completed_on)
$$;

-- An enrolment the actor may read: through its cohort, or through the
-- person (the province keeping the record); 404 otherwise.
CREATE FUNCTION lib.enrolment_seen(me auth.users, p_id bigint)
RETURNS training.enrolments
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	e	training.enrolments;
BEGIN
	SELECT * INTO e FROM training.enrolments WHERE id = p_id;
	IF NOT FOUND OR NOT (lib.sees_cohort(me, (SELECT h FROM training.cohorts h
	    WHERE h.id = e.cohort_id)) OR lib.sees_province(me,
	    (SELECT province_id FROM hr.people WHERE id = e.person_id))) THEN
		PERFORM lib.not_found('lượt ghi danh', 'enrolment');
	END IF;
	RETURN e;
END
$$;

-- The cohort takes enrolments (new ones, or a withdrawn one coming back)
-- only while planned, open or running.
CREATE FUNCTION lib.cohort_takes_enrolments(h training.cohorts) RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF h.status NOT IN ('planned', 'open', 'running') THEN
		PERFORM lib.fail(409, 'cohort-not-open',
		    format('Lớp đang ở trạng thái %s, không nhận ghi danh.', h.status),
		    format('The cohort is %s and takes no enrolments.', h.status),
		    'status');
	END IF;
END
$$;

-- A person the actor may enrol: an officer only people its province
-- keeps, an administrator anyone. NULL when not.
CREATE FUNCTION lib.enrollable(me auth.users, p_id bigint) RETURNS hr.people
LANGUAGE sql STABLE
AS $$
	SELECT * FROM hr.people p WHERE p.id = p_id
	   AND (me.role = 'admin' OR (me.role = 'hr_officer'
		AND p.province_id = me.province_id))
$$;

-- Has this person been trained in social work? training.sw_trained
-- (sql/migrations/0006_targets.sql) holds the one definition: a
-- certificate that counts as social-work training (every completed
-- course that counts leaves one), or a qualification in one of the
-- fields the professional titles accept (domain §3).
CREATE FUNCTION lib.person_sw_trained(p_id bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT EXISTS (SELECT FROM training.sw_trained WHERE person_id = p_id)
$$;

-- Inserts one enrolment into a cohort the caller has locked, turning the
-- schema's refusals into problems: a second enrolment of the person is
-- 409 already-enrolled pointing at the first, a full cohort 409
-- cohort-full (checked here first; the trigger is the backstop).
CREATE FUNCTION lib.enrolment_insert(h training.cohorts, p_person bigint,
    p_status text, p_field text) RETURNS training.enrolments
LANGUAGE plpgsql
AS $$
DECLARE
	e	training.enrolments;
	taken	integer;
	cname	text;
BEGIN
	SELECT * INTO e FROM training.enrolments
	 WHERE cohort_id = h.id AND person_id = p_person;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'already-enrolled',
		    format('Người này đã ghi danh vào lớp này (trạng thái %s).', e.status),
		    format('This person is already enrolled in this cohort (status %s).', e.status),
		    p_field, '/api/v1/enrolments/' || e.id);
	END IF;
	taken := lib.cohort_taken(h.id);
	IF taken >= h.capacity THEN
		PERFORM lib.cohort_full(h, h.capacity - taken, 1, p_field);
	END IF;
	BEGIN
		INSERT INTO training.enrolments (cohort_id, person_id, status)
		VALUES (h.id, p_person, p_status)
		RETURNING * INTO e;
	EXCEPTION WHEN check_violation THEN
		GET STACKED DIAGNOSTICS cname = CONSTRAINT_NAME;
		IF cname = 'enrolments_capacity' THEN
			PERFORM lib.cohort_full(h, 0, 1, p_field);
		END IF;
		RAISE;
	END;
	RETURN e;
END
$$;

-- The enrolments of a cohort, by id.
CREATE FUNCTION api.cohort_enrolments(p_actor bigint, p_id bigint,
    p_status text, p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	h	training.cohorts := lib.cohort_seen(me, p_id);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.param_in(p_status, lib.enrolment_statuses(), 'status');
	SELECT array_agg(lib.enrolment_json(e) ORDER BY e.id),
	    array_agg(jsonb_build_object('id', e.id) ORDER BY e.id)
	  INTO items, keys
	  FROM (SELECT * FROM training.enrolments e
		 WHERE e.cohort_id = h.id
		   AND (p_status IS NULL OR e.status = p_status)
		   AND (after IS NULL OR e.id > after)
		 ORDER BY e.id LIMIT n + 1) e;
	RETURN lib.page(items, keys, n);
END
$$;

-- Enrols one person: {person_id, status?}, status planned (the default)
-- or enrolled.
CREATE FUNCTION api.enrolment_create(p_actor bigint, p_via text,
    p_cohort bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	h	training.cohorts;
	p	hr.people;
	e	training.enrolments;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	h := lib.cohort_seen(me, p_cohort);
	PERFORM lib.require_writes(me, h.province_id, NULL);
	PERFORM lib.fail_first(
	    lib.chk_num(p_body, 'person_id', true, true, 1, 9e18, true,
		'Mã người phải là số nguyên dương.',
		'person_id must be a positive integer.') ||
	    lib.chk_code(p_body, 'status', false, ARRAY['planned', 'enrolled'],
		'{}'));
	p := lib.enrollable(me, (p_body ->> 'person_id')::bigint);
	IF p.id IS NULL THEN
		PERFORM lib.fail(422, 'unknown-person',
		    'Không có người với mã số này trong hồ sơ tỉnh/thành phố bạn quản lý.',
		    'No person with this id is on your province''s records.',
		    'person_id');
	END IF;
	h := lib.cohort_lock(h.id);
	PERFORM lib.cohort_takes_enrolments(h);
	e := lib.enrolment_insert(h, p.id, coalesce(lib.txt(p_body, 'status'),
	    'planned'), 'person_id');
	PERFORM lib.audit(me, p_via, 'enrolment.create', 'enrolment',
	    e.id::text, NULL, jsonb_build_object('cohort_id', h.id,
		'person_id', p.id, 'status', e.status));
	RETURN lib.enrolment_json(e);
END
$$;

-- The people a bulk filter selects among those the actor may enrol:
-- with an assignment in force today in the commune, unit and category
-- given, and with untrained true only those lib.person_sw_trained says
-- have no social-work training. Problems name "filter.<key>".
CREATE FUNCTION lib.enrolment_filter(me auth.users, f jsonb) RETURNS bigint[]
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	cid	integer;
	wid	integer;
	ids	bigint[];
	k	text;
BEGIN
	IF jsonb_typeof(f) <> 'object' THEN
		PERFORM lib.fail(422, 'invalid-type',
		    'filter phải là một đối tượng JSON.',
		    'filter must be a JSON object.', 'filter');
	END IF;
	SELECT key INTO k FROM jsonb_object_keys(f) key
	 WHERE key NOT IN ('commune_code', 'category', 'untrained', 'work_unit_id')
	 ORDER BY key LIMIT 1;
	IF FOUND THEN
		PERFORM lib.fail(422, 'unknown-field', 'Trường này không được nhận.',
		    'This field is not accepted.', 'filter.' || k);
	END IF;
	IF NOT (lib.present(f, 'commune_code') OR lib.present(f, 'category') OR
	    lib.present(f, 'work_unit_id') OR
	    f -> 'untrained' IS NOT DISTINCT FROM 'true') THEN
		PERFORM lib.fail(422, 'empty-filter',
		    'Bộ lọc cần ít nhất một điều kiện.',
		    'The filter needs at least one condition.', 'filter');
	END IF;
	PERFORM lib.fail_first(
	    (SELECT coalesce(jsonb_agg(x || jsonb_build_object('field',
		'filter.' || (x ->> 'field')) ORDER BY n), '[]')
	       FROM jsonb_array_elements(lib.chk_text(f, 'commune_code', false, 5) ||
		lib.chk_code(f, 'category', false, lib.categories(), '{}') ||
		lib.chk_bool(f, 'untrained', false) ||
		lib.chk_num(f, 'work_unit_id', false, true, 1, 2147483647, true,
		    'Mã đơn vị phải là số nguyên dương.',
		    'work_unit_id must be a positive integer.'))
		WITH ORDINALITY a (x, n)));
	IF lib.present(f, 'commune_code') THEN
		cid := (lib.current_commune(lib.txt(f, 'commune_code'),
		    'filter.commune_code')).id;
	END IF;
	IF lib.present(f, 'work_unit_id') THEN
		SELECT w.id INTO wid FROM hr.work_units w
		 WHERE w.id = (f ->> 'work_unit_id')::bigint
		   AND lib.sees_province(me, w.province_id);
		IF NOT FOUND THEN
			PERFORM lib.fail(422, 'unknown-work-unit',
			    'Không có đơn vị công tác với mã số này.',
			    'No work unit has this id.', 'filter.work_unit_id');
		END IF;
	END IF;
	ids := lib.spell_people(cid, wid, lib.txt(f, 'category'),
	    CASE WHEN cid IS NOT NULL OR wid IS NOT NULL OR
		lib.present(f, 'category') THEN current_date END);
	SELECT coalesce(array_agg(p.id ORDER BY p.id), '{}') INTO ids
	  FROM hr.people p
	 WHERE (ids IS NULL OR p.id = ANY (ids))
	   AND (me.role = 'admin' OR (me.role = 'hr_officer'
		AND p.province_id = me.province_id))
	   AND (f -> 'untrained' IS DISTINCT FROM 'true'
		OR NOT lib.person_sw_trained(p.id));
	RETURN ids;
END
$$;

-- The ids of a list field of a body (person_ids, enrolment_ids): 1 to
-- 1,000 positive integers, answered in the order given, each once; 422
-- invalid-type (with the messages given) or out-of-range otherwise.
CREATE FUNCTION lib.id_list(p_body jsonb, p_key text, p_vi text, p_en text)
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	ids	bigint[];
BEGIN
	-- (CASE, so that the elements of a non-array are never read.)
	IF (CASE WHEN jsonb_typeof(p_body -> p_key) = 'array'
	    THEN EXISTS (SELECT FROM jsonb_array_elements(p_body -> p_key) x
		WHERE jsonb_typeof(x) <> 'number'
		   OR x::text !~ '^[1-9][0-9]{0,17}$')
	    ELSE true END) THEN
		PERFORM lib.fail(422, 'invalid-type', p_vi, p_en, p_key);
	END IF;
	IF jsonb_array_length(p_body -> p_key) NOT BETWEEN 1 AND 1000 THEN
		PERFORM lib.fail(422, 'out-of-range',
		    p_key || ' có từ 1 đến 1.000 mã.',
		    p_key || ' holds 1 to 1,000 ids.', p_key);
	END IF;
	SELECT array_agg(id ORDER BY n) INTO ids
	  FROM (SELECT x::text::bigint AS id, min(n) AS n
		  FROM jsonb_array_elements(p_body -> p_key) WITH ORDINALITY a (x, n)
		 GROUP BY 1) d;
	RETURN ids;
END
$$;

-- Enrols many people at once, from a list of ids ({"person_ids": [...]})
-- or a filter ({"filter": {...}}, see lib.enrolment_filter), with an
-- optional status (planned or enrolled). Each person is answered:
-- enrolled, already-enrolled (any earlier enrolment, even withdrawn:
-- bring it back with a PATCH) or refused with the reason. All or
-- nothing for seats: if the people to enrol outnumber the free seats the
-- whole batch is 409 cohort-full and nothing is written.
CREATE FUNCTION api.enrolments_bulk(p_actor bigint, p_via text,
    p_cohort bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	h	training.cohorts;
	st	text;
	asked	bigint[];
	ok	bigint[];
	wanted	integer;
	free	integer;
	results	jsonb := '[]';
	r	record;
	e	training.enrolments;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	h := lib.cohort_seen(me, p_cohort);
	PERFORM lib.require_writes(me, h.province_id, NULL);
	PERFORM lib.fail_first(lib.chk_code(p_body, 'status', false,
	    ARRAY['planned', 'enrolled'], '{}'));
	st := coalesce(lib.txt(p_body, 'status'), 'planned');
	IF (p_body ? 'person_ids') = (p_body ? 'filter') THEN
		PERFORM lib.fail(422, 'required',
		    'Cần đúng một trong hai: person_ids hoặc filter.',
		    'Give exactly one of person_ids and filter.', 'person_ids');
	END IF;
	IF p_body ? 'person_ids' THEN
		asked := lib.id_list(p_body, 'person_ids',
		    'person_ids phải là một mảng mã người (số nguyên dương).',
		    'person_ids must be an array of person ids (positive integers).');
	ELSE
		asked := lib.enrolment_filter(me, p_body -> 'filter');
	END IF;
	h := lib.cohort_lock(h.id);
	PERFORM lib.cohort_takes_enrolments(h);
	-- Who would be enrolled: people the actor may enrol, not enrolled yet.
	SELECT coalesce(array_agg(a.id ORDER BY a.n), '{}') INTO ok
	  FROM unnest(asked) WITH ORDINALITY a (id, n)
	 WHERE (lib.enrollable(me, a.id)).id IS NOT NULL
	   AND NOT EXISTS (SELECT FROM training.enrolments x
		WHERE x.cohort_id = h.id AND x.person_id = a.id);
	wanted := cardinality(ok);
	free := h.capacity - lib.cohort_taken(h.id);
	IF wanted > free THEN
		PERFORM lib.cohort_full(h, free, wanted,
		    CASE WHEN p_body ? 'filter' THEN 'filter' ELSE 'person_ids' END);
	END IF;
	FOR r IN SELECT a.id, a.n, x.id AS existing, x.status AS existing_status
		   FROM unnest(asked) WITH ORDINALITY a (id, n)
		   LEFT JOIN training.enrolments x ON x.cohort_id = h.id
		    AND x.person_id = a.id
		  ORDER BY a.n LOOP
		IF r.existing IS NOT NULL AND
		    (lib.enrollable(me, r.id)).id IS NOT NULL THEN
			results := results || jsonb_build_object('person_id', r.id,
			    'outcome', 'already-enrolled', 'enrolment_id', r.existing,
			    'status', r.existing_status);
		ELSIF r.id = ANY (ok) THEN
			e := lib.enrolment_insert(h, r.id, st, 'person_ids');
			PERFORM lib.audit(me, p_via, 'enrolment.create', 'enrolment',
			    e.id::text, NULL, jsonb_build_object('cohort_id', h.id,
				'person_id', r.id, 'status', e.status, 'bulk', true));
			results := results || jsonb_build_object('person_id', r.id,
			    'outcome', 'enrolled', 'enrolment_id', e.id,
			    'status', e.status);
		ELSE
			results := results || jsonb_build_object('person_id', r.id,
			    'outcome', 'refused', 'code', 'unknown-person',
			    'vi', 'Không có người với mã số này trong hồ sơ tỉnh/thành phố bạn quản lý.',
			    'en', 'No person with this id is on your province''s records.');
		END IF;
	END LOOP;
	RETURN json_build_object('cohort_id', h.id,
	    'enrolled', (SELECT count(*) FROM jsonb_array_elements(results) x
		WHERE x ->> 'outcome' = 'enrolled'),
	    'already_enrolled', (SELECT count(*) FROM jsonb_array_elements(results) x
		WHERE x ->> 'outcome' = 'already-enrolled'),
	    'refused', (SELECT count(*) FROM jsonb_array_elements(results) x
		WHERE x ->> 'outcome' = 'refused'),
	    'seats_free', h.capacity - lib.cohort_taken(h.id),
	    'results', results);
END
$$;

CREATE FUNCTION api.enrolment_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	RETURN lib.enrolment_json(lib.enrolment_seen(me, p_id));
END
$$;

-- Has this enrolment's completion been awarded (a certificate or a
-- qualification recorded for it)?
CREATE FUNCTION lib.enrolment_awarded(p_id bigint) RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT EXISTS (SELECT FROM training.certificates WHERE enrolment_id = p_id)
	    OR EXISTS (SELECT FROM training.qualifications WHERE enrolment_id = p_id)
$$;

-- Records who confirmed a completion (the teaching institution's
-- registrar, an administrator, or for a department's own class its
-- officer): lib.credential_issuer issues only on such a confirmation.
CREATE FUNCTION lib.enrolment_confirm(me auth.users, p_via text,
    e training.enrolments) RETURNS training.enrolments
LANGUAGE plpgsql
AS $$
BEGIN
	UPDATE training.enrolments SET confirmed_at = now(), confirmed_by = me.id
	 WHERE id = e.id
	RETURNING * INTO e;
	PERFORM lib.audit(me, p_via, 'enrolment.confirm', 'enrolment',
	    e.id::text, NULL, jsonb_build_object('confirmed_by', me.id));
	RETURN e;
END
$$;

-- What completing an enrolment earns, recorded in the caller's
-- transaction: for a degree course a qualification (source enrolment),
-- which may raise the highest qualification (lib.person_highest, in
-- 76_graduates.sql); for any other course a
-- certificate ('title_training' with the title for a title-training
-- course, 'course' otherwise) that counts as social-work training when
-- the course does; then the credential attesting it. Returns the
-- credential's id.
CREATE FUNCTION lib.enrolment_award(me auth.users, p_via text,
    e training.enrolments) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
	h	training.cohorts;
	c	training.courses;
BEGIN
	SELECT * INTO h FROM training.cohorts WHERE id = e.cohort_id;
	SELECT * INTO c FROM training.courses WHERE id = h.course_id;
	IF c.kind = 'degree' THEN
		INSERT INTO training.qualifications (person_id, level, field,
		    programme_code, programme_name, institution_id, awarded_on,
		    source, enrolment_id, recorded_by)
		VALUES (e.person_id, c.level, c.field, c.programme_code, c.name,
		    h.institution_id, e.completed_on, 'enrolment', e.id, me.id);
		PERFORM lib.person_highest(me, p_via, e.person_id);
	ELSE
		-- A department's own class: the department issued it.
		INSERT INTO training.certificates (person_id, kind, name,
		    course_id, enrolment_id, institution_id, issuer_name,
		    issued_on, hours, counts_as_sw_training, title_code,
		    recorded_by)
		VALUES (e.person_id, CASE c.kind WHEN 'title_training'
			THEN 'title_training' ELSE 'course' END, c.name, c.id,
		    e.id, h.institution_id, CASE WHEN h.institution_id IS NULL
			THEN lib.department_name(h.province_id) END,
		    e.completed_on, c.hours, c.counts_as_sw_training,
		    c.title_code, me.id);
	END IF;
	RETURN lib.credential_issue(e.id, NULL);
END
$$;

-- Undoes what a completion earned (a completion corrected to failed):
-- the credential is revoked, the certificate or qualification removed
-- (the person does not hold it; the audit log keeps what it was), and the
-- highest qualification recomputed from what the person still holds.
CREATE FUNCTION lib.enrolment_unaward(me auth.users, p_via text,
    e training.enrolments, p_reason text) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	gone	jsonb;
BEGIN
	PERFORM lib.credentials_supersede(me, p_via, e.id, NULL, p_reason);
	DELETE FROM training.certificates WHERE enrolment_id = e.id
	RETURNING jsonb_build_object('certificate_id', id) INTO gone;
	IF gone IS NULL THEN
		DELETE FROM training.qualifications WHERE enrolment_id = e.id
		RETURNING jsonb_build_object('qualification_id', id) INTO gone;
		PERFORM lib.person_highest(me, p_via, e.person_id);
	END IF;
	IF gone IS NOT NULL THEN
		PERFORM lib.audit(me, p_via, 'enrolment.unaward', 'enrolment',
		    e.id::text, gone, NULL);
	END IF;
END
$$;

-- A partial update of status, hours_attended, result, completed_on.
--
-- Status moves: planned → enrolled | withdrawn; enrolled → completed |
-- failed | withdrawn; withdrawn → planned | enrolled (takes a seat again:
-- 409 cohort-full when there is none); and two corrections, completed →
-- failed (the credential is revoked and the certificate or qualification
-- removed) and failed → completed. Anything else is 409
-- invalid-transition. Results (completed, failed) are recorded while the
-- cohort runs or after it completed; the other moves while it is
-- planned, open or running.
--
-- completed_on belongs to a completion: it defaults to the cohort's end
-- or today, whichever is earlier, and must fall between the cohort's
-- start and today. Changing the hours, result or date of a completed
-- enrolment re-issues its credential (the old one is revoked).
--
-- A completion answers the credential's id as "credential_id" and the
-- credential to sign under "_sign".
CREATE FUNCTION api.enrolment_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	training.enrolments;
	e	training.enrolments;
	h	training.cohorts;
	p	jsonb;
	cid	uuid;
	cname	text;
	taken	integer;
	stands	boolean;
	awarded	boolean;
	changed	boolean;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.enrolment_seen(me, p_id);
	SELECT * INTO h FROM training.cohorts WHERE id = old.cohort_id;
	PERFORM lib.require_writes(me, h.province_id, NULL);
	h := lib.cohort_lock(h.id);
	SELECT * INTO old FROM training.enrolments WHERE id = old.id FOR UPDATE;
	p := lib.enrolment_body(old) || p_patch;
	PERFORM lib.fail_first(
	    lib.chk_code(p, 'status', true, lib.enrolment_statuses(), '{}') ||
	    lib.chk_num(p, 'hours_attended', false, true, 0, 20000, false,
		'Số giờ học từ 0 đến 20.000.',
		'hours_attended is from 0 to 20,000.') ||
	    lib.chk_text(p, 'result', false, 100) ||
	    lib.chk_date(p, 'completed_on', false));
	e := old;
	e.status := lib.txt(p, 'status');
	e.hours_attended := round(lib.num(p, 'hours_attended', true), 1);
	e.result := lib.txt(p, 'result');
	e.completed_on := lib.dt(p, 'completed_on');
	IF e.status <> old.status AND NOT (old.status, e.status) IN
	    (('planned', 'enrolled'), ('planned', 'withdrawn'),
	     ('enrolled', 'completed'), ('enrolled', 'failed'),
	     ('enrolled', 'withdrawn'), ('withdrawn', 'planned'),
	     ('withdrawn', 'enrolled'), ('completed', 'failed'),
	     ('failed', 'completed')) THEN
		PERFORM lib.fail(409, 'invalid-transition',
		    format('Không thể chuyển ghi danh từ %s sang %s.', old.status,
			e.status),
		    format('An enrolment cannot go from %s to %s.', old.status,
			e.status), 'status');
	END IF;
	IF e.status IN ('completed', 'failed') THEN
		IF e.status <> old.status AND h.status NOT IN ('running', 'completed') THEN
			PERFORM lib.fail(409, 'cohort-not-running',
			    format('Lớp đang ở trạng thái %s; kết quả được ghi khi lớp đã học.', h.status),
			    format('The cohort is %s; results are recorded once it runs.', h.status),
			    'status');
		END IF;
	ELSIF e.status <> old.status THEN
		PERFORM lib.cohort_takes_enrolments(h);
	END IF;
	IF e.status = 'completed' THEN
		IF e.completed_on IS NULL OR old.status <> 'completed' AND
		    NOT lib.present(p_patch, 'completed_on') THEN
			e.completed_on := least(current_date, h.end_date);
		END IF;
		IF e.completed_on < h.start_date THEN
			PERFORM lib.fail(422, 'completed-before-start',
			    'Ngày hoàn thành không được trước ngày khai giảng.',
			    'completed_on must not be before the cohort''s start.',
			    'completed_on');
		END IF;
		IF e.completed_on > current_date THEN
			PERFORM lib.fail(422, 'in-future',
			    'Ngày hoàn thành không được ở tương lai.',
			    'completed_on must not be in the future.', 'completed_on');
		END IF;
	ELSIF lib.present(p_patch, 'completed_on') THEN
		PERFORM lib.fail(422, 'not-completed',
		    'Chỉ ghi ngày hoàn thành khi học viên hoàn thành.',
		    'completed_on is recorded only with a completion.',
		    'completed_on');
	ELSE
		e.completed_on := NULL;
	END IF;
	-- Does the actor's word award in the issuer's name? An officer's
	-- does for its department's own classes; for an institution's, the
	-- institution's registrar confirms (api.cohort_confirm), or an
	-- administrator acting for it. What was awarded in an institution's
	-- name stays until its issuer revokes the credential.
	stands := h.institution_id IS NULL OR me.role = 'admin';
	awarded := lib.enrolment_awarded(old.id);
	changed := lib.enrolment_body(e) <> lib.enrolment_body(old);
	IF changed AND awarded AND NOT stands AND
	    lib.enrolment_credential(old.id) IS NOT NULL THEN
		PERFORM lib.fail(409, 'completion-confirmed',
		    'Cơ sở giảng dạy đã xác nhận kết quả này và cấp văn bằng số; chỉ cơ sở đó (hoặc quản trị viên) thu hồi được, sau đó mới sửa kết quả.',
		    'The teaching institution confirmed this result and issued its credential; only it (or an administrator) can revoke it, after which the result can be corrected.',
		    'status');
	END IF;
	IF old.status = 'withdrawn' AND e.status <> 'withdrawn' THEN
		taken := lib.cohort_taken(h.id);
		IF taken >= h.capacity THEN
			PERFORM lib.cohort_full(h, h.capacity - taken, 1, 'status');
		END IF;
	END IF;
	BEGIN
		UPDATE training.enrolments SET status = e.status,
		    hours_attended = e.hours_attended, result = e.result,
		    completed_on = e.completed_on,
		    confirmed_at = CASE WHEN e.status = 'completed'
			THEN confirmed_at END,
		    confirmed_by = CASE WHEN e.status = 'completed'
			THEN confirmed_by END, updated_at = now()
		 WHERE id = e.id
		RETURNING * INTO e;
	EXCEPTION WHEN check_violation THEN
		GET STACKED DIAGNOSTICS cname = CONSTRAINT_NAME;
		IF cname = 'enrolments_capacity' THEN
			PERFORM lib.cohort_full(h, 0, 1, 'status');
		END IF;
		RAISE;
	END;
	PERFORM lib.audit_changes(me, p_via, 'enrolment.update', 'enrolment',
	    e.id::text, lib.enrolment_body(old), lib.enrolment_body(e));
	IF awarded AND (e.status <> 'completed' OR (changed AND NOT stands)) THEN
		PERFORM lib.enrolment_unaward(me, p_via, e,
		    CASE WHEN e.status <> 'completed' THEN
			'Kết quả hoàn thành được sửa thành ' || e.status ||
			' (completion corrected to ' || e.status || ')'
		    ELSE 'Kết quả được sửa (completion corrected)' END);
		awarded := false;
	END IF;
	IF e.status <> 'completed' OR NOT stands THEN
		-- Unconfirmed: a new or corrected completion in an
		-- institution's class awaits its registrar (what was
		-- awarded and not undone stays confirmed).
		IF NOT awarded AND e.confirmed_at IS NOT NULL THEN
			UPDATE training.enrolments SET confirmed_at = NULL,
			    confirmed_by = NULL
			 WHERE id = e.id
			RETURNING * INTO e;
		END IF;
	ELSIF NOT awarded THEN
		e := lib.enrolment_confirm(me, p_via, e);
		cid := lib.enrolment_award(me, p_via, e);
	ELSIF changed THEN
		-- The credential attests the hours, result and date: a
		-- corrected completion gets a new one.
		IF e.confirmed_at IS NULL THEN
			e := lib.enrolment_confirm(me, p_via, e);
		END IF;
		PERFORM lib.credentials_supersede(me, p_via, e.id, NULL,
		    'Kết quả được sửa (completion corrected)');
		UPDATE training.certificates SET issued_on = e.completed_on
		 WHERE enrolment_id = e.id;
		UPDATE training.qualifications SET awarded_on = e.completed_on,
		    updated_at = now()
		 WHERE enrolment_id = e.id;
		cid := lib.credential_issue(e.id, NULL);
	END IF;
	IF cid IS NOT NULL THEN
		PERFORM lib.audit(me, p_via, 'credential.issue', 'credential',
		    cid::text, NULL, jsonb_build_object('enrolment_id', e.id));
		RETURN (lib.enrolment_json(e) || jsonb_build_object(
		    'credential_id', cid,
		    '_sign', lib.credentials_to_sign(ARRAY[cid])))::json;
	END IF;
	RETURN lib.enrolment_json(e);
END
$$;

-- POST /api/v1/cohorts/{id}/confirmations {enrolment_ids?}: the teaching
-- institution's registrar (or an administrator acting for it) confirms
-- completions of its cohort that await confirmation: all of them, or
-- the ids given (1 to 1,000; one that is not a completion of this
-- cohort awaiting confirmation is 422 not-awaiting and nothing is
-- written). Each confirmed completion is awarded in the institution's
-- name (certificate or degree, and the credential, listed under _sign).
CREATE FUNCTION api.cohort_confirm(p_actor bigint, p_via text,
    p_cohort bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	h	training.cohorts;
	asked	bigint[];
	bad	bigint;
	e	training.enrolments;
	cid	uuid;
	cids	uuid[] := '{}';
	items	jsonb := '[]';
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	h := lib.cohort_seen(me, p_cohort);
	IF h.institution_id IS NULL THEN
		PERFORM lib.fail(409, 'no-institution',
		    'Lớp do sở tổ chức, không có cơ sở giảng dạy để xác nhận.',
		    'The cohort is the department''s own; no institution confirms it.');
	END IF;
	IF h.partnership_id IS NULL AND me.role <> 'admin' THEN
		PERFORM lib.fail(409, 'partnership-required',
		    'Lớp không thuộc thỏa thuận hợp tác nào với tỉnh/thành phố; cơ sở không xác nhận được kết quả nhân danh mình.',
		    'The cohort belongs to no partnership with the province; the institution cannot confirm in its name.');
	END IF;
	h := lib.cohort_lock(h.id);
	IF p_body ? 'enrolment_ids' THEN
		asked := lib.id_list(p_body, 'enrolment_ids',
		    'enrolment_ids phải là một mảng mã ghi danh (số nguyên dương).',
		    'enrolment_ids must be an array of enrolment ids (positive integers).');
		SELECT a INTO bad FROM unnest(asked) a
		 WHERE NOT EXISTS (SELECT FROM training.enrolments x
			WHERE x.id = a AND x.cohort_id = h.id
			  AND x.status = 'completed' AND x.confirmed_at IS NULL
			  AND NOT lib.enrolment_awarded(x.id))
		 ORDER BY a LIMIT 1;
		IF FOUND THEN
			PERFORM lib.fail(422, 'not-awaiting',
			    format('Ghi danh %s không phải kết quả hoàn thành của lớp này đang chờ xác nhận.', bad),
			    format('Enrolment %s is not a completion of this cohort awaiting confirmation.', bad),
			    'enrolment_ids');
		END IF;
	END IF;
	FOR e IN SELECT * FROM training.enrolments x
		  WHERE x.cohort_id = h.id AND x.status = 'completed'
		    AND x.confirmed_at IS NULL AND NOT lib.enrolment_awarded(x.id)
		    AND (asked IS NULL OR x.id = ANY (asked))
		  ORDER BY x.id FOR UPDATE LOOP
		e := lib.enrolment_confirm(me, p_via, e);
		cid := lib.enrolment_award(me, p_via, e);
		PERFORM lib.audit(me, p_via, 'credential.issue', 'credential',
		    cid::text, NULL, jsonb_build_object('enrolment_id', e.id));
		cids := cids || cid;
		items := items || jsonb_build_object('enrolment_id', e.id,
		    'person_id', e.person_id, 'credential_id', cid);
	END LOOP;
	RETURN json_build_object('cohort_id', h.id,
	    'confirmed', cardinality(cids), 'items', items,
	    '_sign', lib.credentials_to_sign(cids));
END
$$;
