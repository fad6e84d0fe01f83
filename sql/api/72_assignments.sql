-- Assignments: who works where, in which category, how much of their time,
-- from when to when. Headcounts for any date are counted from these
-- spells, so ending a spell never deletes it. Changes are audited on the
-- person they belong to, so a person's history shows them.

CREATE FUNCTION lib.categories() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['professional', 'commune_post', 'concurrent',
    'collaborator', 'volunteer'] $$;

CREATE FUNCTION lib.end_reasons() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['resigned', 'rotated', 'transferred', 'retired',
    'contract_ended', 'dismissed', 'deceased', 'other'] $$;

-- The Vietnamese labels a spreadsheet may use instead of the codes above,
-- in the same order.
CREATE FUNCTION lib.category_labels() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['chuyên trách', 'cán bộ xã', 'kiêm nhiệm',
    'cộng tác viên', 'tình nguyện viên'] $$;

CREATE FUNCTION lib.end_reason_labels() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY['thôi việc', 'luân chuyển', 'chuyển công tác',
    'nghỉ hưu', 'hết hợp đồng', 'kỷ luật buộc thôi việc', 'từ trần', 'khác'] $$;

-- Every problem of an assignment record, apart from which unit it names
-- (the caller resolves that: by id in the API, by id or name in sheets).
CREATE FUNCTION lib.assignment_problems(p jsonb, p_strict boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	probs	jsonb;
	cat	text := lib.code(p, 'category', lib.categories(), lib.category_labels());
	s	date := lib.dt(p, 'start_date');
	e	date := lib.dt(p, 'end_date');
BEGIN
	probs := lib.chk_code(p, 'category', true, lib.categories(), lib.category_labels()) ||
	    lib.chk_num(p, 'fte', true, p_strict, 0.001, 1, false,
		'Tỷ lệ thời gian phải lớn hơn 0 và không quá 1.',
		'fte must be more than 0 and at most 1.') ||
	    lib.chk_num(p, 'allowance_vnd', false, p_strict, 0, 1000000000, true,
		'Phụ cấp là số đồng nguyên, từ 0 đến 1 tỷ.',
		'allowance_vnd is a whole number of dong from 0 to 1 billion.') ||
	    lib.chk_code(p, 'title_code', false, ARRAY['V.09.04.01',
		'V.09.04.02', 'V.09.04.03'], '{}') ||
	    lib.chk_text(p, 'position', false, 200) ||
	    lib.chk_date(p, 'start_date', true) ||
	    lib.chk_date(p, 'end_date', false) ||
	    lib.chk_code(p, 'end_reason', false, lib.end_reasons(), lib.end_reason_labels());
	IF e < s THEN
		probs := probs || lib.prob('end_date', 'end-before-start',
		    'Ngày kết thúc không được trước ngày bắt đầu.',
		    'end_date must not be before start_date.');
	END IF;
	IF s > current_date + 366 THEN
		probs := probs || lib.prob('start_date', 'too-far-ahead',
		    'Ngày bắt đầu quá xa trong tương lai (hơn một năm).',
		    'start_date is more than a year ahead.');
	END IF;
	IF lib.present(p, 'end_date') <> lib.present(p, 'end_reason') THEN
		probs := probs || lib.prob(CASE WHEN lib.present(p, 'end_date')
		    THEN 'end_reason' ELSE 'end_date' END, 'end-pair',
		    'Ngày kết thúc và lý do kết thúc phải đi cùng nhau.',
		    'end_date and end_reason go together.');
	END IF;
	IF lib.present(p, 'allowance_vnd') AND cat IS DISTINCT FROM 'collaborator' THEN
		probs := probs || lib.prob('allowance_vnd', 'allowance-not-collaborator',
		    'Chỉ cộng tác viên mới có phụ cấp hằng tháng.',
		    'Only collaborators have a monthly allowance.');
	END IF;
	IF lib.present(p, 'title_code') AND
	    cat NOT IN ('professional', 'commune_post') THEN
		probs := probs || lib.prob('title_code', 'title-not-allowed',
		    'Chỉ nhân sự chuyên trách hoặc cán bộ xã mới giữ chức danh nghề nghiệp.',
		    'Only professional staff and commune post holders hold a title.');
	END IF;
	RETURN probs;
END
$$;

CREATE FUNCTION lib.assignment_from(p jsonb) RETURNS hr.assignments
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	a	hr.assignments;
BEGIN
	a.category := lib.code(p, 'category', lib.categories(), lib.category_labels());
	a.fte := lib.num(p, 'fte', false);
	a.allowance_vnd := lib.num(p, 'allowance_vnd', false);
	a.title_code := lib.txt(p, 'title_code');
	a.position := lib.txt(p, 'position');
	a.start_date := lib.dt(p, 'start_date');
	a.end_date := lib.dt(p, 'end_date');
	a.end_reason := lib.code(p, 'end_reason', lib.end_reasons(), lib.end_reason_labels());
	RETURN a;
END
$$;

CREATE FUNCTION lib.assignment_body(a hr.assignments) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('work_unit_id', a.work_unit_id,
	    'category', a.category, 'fte', a.fte,
	    'allowance_vnd', a.allowance_vnd, 'title_code', a.title_code,
	    'position', a.position, 'start_date', a.start_date,
	    'end_date', a.end_date, 'end_reason', a.end_reason)
$$;

-- An open unit in the actor's write scope, for a spell that starts on
-- p_start; 422/403 naming work_unit_id otherwise.
CREATE FUNCTION lib.unit_for_spell(me auth.users, p_id bigint, p_start date,
    p_field text) RETURNS hr.work_units
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	w	hr.work_units;
BEGIN
	SELECT * INTO w FROM hr.work_units WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_province(me, w.province_id) THEN
		PERFORM lib.fail(422, 'unknown-work-unit',
		    'Không có đơn vị công tác với mã số này.',
		    'No work unit has this id.', p_field);
	END IF;
	PERFORM lib.require_writes(me, w.province_id, p_field);
	IF w.closed_on < p_start THEN
		PERFORM lib.fail(422, 'work-unit-closed',
		    'Đơn vị đã đóng cửa trước ngày bắt đầu.',
		    'The work unit closed before the start date.', p_field);
	END IF;
	RETURN w;
END
$$;

-- Inserts or updates a checked spell, turning an overlap into a 409
-- that says which spell it collides with.
CREATE FUNCTION lib.assignment_store(a hr.assignments) RETURNS hr.assignments
LANGUAGE plpgsql
AS $$
DECLARE
	other	bigint;
BEGIN
	SELECT id INTO other FROM hr.assignments b
	 WHERE b.person_id = a.person_id AND b.work_unit_id = a.work_unit_id
	   AND b.category = a.category AND b.id IS DISTINCT FROM a.id
	   AND b.span && daterange(a.start_date, a.end_date, '[]')
	 LIMIT 1;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'overlapping-assignment',
		    'Người này đã có một phân công cùng đơn vị và cùng loại trong khoảng thời gian này.',
		    'This person already has an assignment in this unit and category overlapping these dates.',
		    'start_date', '/api/v1/assignments/' || other);
	END IF;
	IF a.id IS NULL THEN
		INSERT INTO hr.assignments (person_id, work_unit_id, category, fte,
		    allowance_vnd, title_code, position, start_date, end_date,
		    end_reason)
		VALUES (a.person_id, a.work_unit_id, a.category, a.fte,
		    a.allowance_vnd, a.title_code, a.position, a.start_date,
		    a.end_date, a.end_reason)
		RETURNING * INTO a;
	ELSE
		UPDATE hr.assignments SET work_unit_id = a.work_unit_id,
		    category = a.category, fte = a.fte,
		    allowance_vnd = a.allowance_vnd, title_code = a.title_code,
		    position = a.position, start_date = a.start_date,
		    end_date = a.end_date, end_reason = a.end_reason,
		    updated_at = now()
		 WHERE id = a.id
		RETURNING * INTO a;
	END IF;
	RETURN a;
END
$$;

CREATE FUNCTION lib.assignment_result(a hr.assignments) RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT (lib.assignment_json(a) ||
	    jsonb_build_object('warnings', lib.fte_warnings(a.person_id)))::json
$$;

CREATE FUNCTION api.assignment_create(p_actor bigint, p_via text, p_body jsonb)
RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	a	hr.assignments;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	PERFORM lib.fail_first(
	    lib.chk_num(p_body, 'person_id', true, true, 1, 9e18, true,
		'Mã người phải là số nguyên dương.', 'person_id must be a positive integer.') ||
	    lib.chk_num(p_body, 'work_unit_id', true, true, 1, 2147483647, true,
		'Mã đơn vị phải là số nguyên dương.', 'work_unit_id must be a positive integer.') ||
	    lib.assignment_problems(p_body, true));
	SELECT * INTO p FROM hr.people WHERE id = (p_body ->> 'person_id')::bigint;
	IF NOT FOUND OR NOT lib.sees_province(me, p.province_id) THEN
		PERFORM lib.fail(422, 'unknown-person', 'Không có người với mã số này.',
		    'No person has this id.', 'person_id');
	END IF;
	PERFORM lib.require_writes(me, p.province_id, 'person_id');
	a := lib.assignment_from(p_body);
	a.person_id := p.id;
	a.work_unit_id := (lib.unit_for_spell(me, (p_body ->> 'work_unit_id')::bigint,
	    a.start_date, 'work_unit_id')).id;
	a := lib.assignment_store(a);
	PERFORM lib.audit(me, p_via, 'assignment.create', 'person', p.id::text,
	    NULL, jsonb_build_object('assignment_id', a.id) || lib.assignment_body(a));
	RETURN lib.assignment_result(a);
END
$$;

CREATE FUNCTION lib.assignment_seen(me auth.users, p_id bigint)
RETURNS hr.assignments
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	a	hr.assignments;
BEGIN
	SELECT a2.* INTO a FROM hr.assignments a2
	  JOIN hr.people p ON p.id = a2.person_id
	 WHERE a2.id = p_id AND lib.sees_province(me, p.province_id);
	IF NOT FOUND THEN
		PERFORM lib.not_found('phân công', 'assignment');
	END IF;
	RETURN a;
END
$$;

CREATE FUNCTION api.assignment_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.assignment_result(lib.assignment_seen(me, p_id));
END
$$;

-- Corrects or ends a spell (ending: end_date and end_reason together).
CREATE FUNCTION api.assignment_update(p_actor bigint, p_via text, p_id bigint,
    p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	hr.assignments;
	a	hr.assignments;
	merged	jsonb;
	d	record;
	pid	integer;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	old := lib.assignment_seen(me, p_id);
	SELECT province_id INTO pid FROM hr.people WHERE id = old.person_id;
	PERFORM lib.require_writes(me, pid, NULL);
	merged := lib.assignment_body(old) || p_patch;
	PERFORM lib.fail_first(
	    lib.chk_num(merged, 'work_unit_id', true, true, 1, 2147483647, true,
		'Mã đơn vị phải là số nguyên dương.', 'work_unit_id must be a positive integer.') ||
	    lib.assignment_problems(merged, true));
	a := lib.assignment_from(merged);
	a.id := old.id;
	a.person_id := old.person_id;
	a.work_unit_id := old.work_unit_id;
	IF (merged ->> 'work_unit_id')::bigint <> old.work_unit_id THEN
		a.work_unit_id := (lib.unit_for_spell(me,
		    (merged ->> 'work_unit_id')::bigint, a.start_date,
		    'work_unit_id')).id;
	END IF;
	a := lib.assignment_store(a);
	d := lib.changed(lib.assignment_body(old), lib.assignment_body(a));
	IF d.after <> '{}' THEN
		PERFORM lib.audit(me, p_via, CASE WHEN old.end_date IS NULL AND
		    a.end_date IS NOT NULL THEN 'assignment.end'
		    ELSE 'assignment.update' END, 'person', a.person_id::text,
		    d.before || jsonb_build_object('assignment_id', a.id),
		    d.after || jsonb_build_object('assignment_id', a.id));
	END IF;
	RETURN lib.assignment_result(a);
END
$$;

-- Ends one spell and starts the next in one transaction: either both
-- happen or neither. The new spell starts the day after the old one ends
-- unless told otherwise, and by default keeps its category, FTE, title
-- and position. A move to another province's unit hands the record over
-- to that province (administrators only).
CREATE FUNCTION api.person_transfer(p_actor bigint, p_via text, p_id bigint,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	p	hr.people;
	old	hr.assignments;
	ended	hr.assignments;
	a	hr.assignments;
	w	hr.work_units;
	body	jsonb;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	p := lib.person_seen(me, p_id);
	PERFORM lib.require_writes(me, p.province_id, NULL);
	PERFORM lib.fail_first(
	    lib.chk_num(p_body, 'assignment_id', true, true, 1, 9e18, true,
		'Mã phân công phải là số nguyên dương.', 'assignment_id must be a positive integer.') ||
	    lib.chk_num(p_body, 'work_unit_id', true, true, 1, 2147483647, true,
		'Mã đơn vị phải là số nguyên dương.', 'work_unit_id must be a positive integer.') ||
	    lib.chk_date(p_body, 'end_date', true) ||
	    lib.chk_code(p_body, 'end_reason', false, lib.end_reasons(), '{}'));
	SELECT * INTO old FROM hr.assignments
	 WHERE id = (p_body ->> 'assignment_id')::bigint AND person_id = p.id
	   FOR UPDATE;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-assignment',
		    'Người này không có phân công với mã số này.',
		    'This person has no assignment with this id.', 'assignment_id');
	END IF;
	IF old.end_date IS NOT NULL THEN
		PERFORM lib.fail(409, 'assignment-ended',
		    'Phân công này đã kết thúc.', 'This assignment has already ended.',
		    'assignment_id');
	END IF;
	ended := old;
	ended.end_date := lib.dt(p_body, 'end_date');
	ended.end_reason := coalesce(lib.txt(p_body, 'end_reason'), 'transferred');
	IF ended.end_date < old.start_date THEN
		PERFORM lib.fail(422, 'end-before-start',
		    'Ngày kết thúc không được trước ngày bắt đầu.',
		    'end_date must not be before start_date.', 'end_date');
	END IF;
	body := jsonb_build_object('category', old.category, 'fte', old.fte,
	    'allowance_vnd', old.allowance_vnd, 'title_code', old.title_code,
	    'position', old.position, 'start_date', ended.end_date + 1)
	    || (p_body - 'assignment_id' - 'end_date' - 'end_reason' - 'work_unit_id');
	PERFORM lib.fail_first(lib.assignment_problems(body, true));
	a := lib.assignment_from(body);
	a.person_id := p.id;
	w := lib.unit_for_spell(me, (p_body ->> 'work_unit_id')::bigint,
	    a.start_date, 'work_unit_id');
	a.work_unit_id := w.id;
	ended := lib.assignment_store(ended);
	a := lib.assignment_store(a);
	IF w.province_id <> p.province_id THEN
		UPDATE hr.people SET province_id = w.province_id, updated_at = now()
		 WHERE id = p.id;
	END IF;
	PERFORM lib.audit(me, p_via, 'person.transfer', 'person', p.id::text,
	    jsonb_build_object('assignment_id', old.id, 'work_unit_id',
		old.work_unit_id),
	    jsonb_build_object('ended', lib.assignment_body(ended) ||
		jsonb_build_object('assignment_id', ended.id),
		'started', lib.assignment_body(a) ||
		jsonb_build_object('assignment_id', a.id),
		'province_changed', w.province_id <> p.province_id));
	RETURN json_build_object('ended', lib.assignment_json(ended),
	    'started', lib.assignment_json(a),
	    'warnings', lib.fte_warnings(p.id));
END
$$;

-- Headcount and FTE per commune and category on a date, counted from the
-- spells in force that day, by the commune each unit sits in today. A
-- person is counted once per commune and category however many units
-- they serve there.
CREATE FUNCTION api.headcount(p_actor bigint, p_as_of date, p_province text,
    p_commune text) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	pid	integer := lib.scope_province(me, p_province);
	cid	integer;
	day	date := coalesce(p_as_of, current_date);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	IF p_commune IS NOT NULL THEN
		cid := (lib.current_commune(p_commune, 'commune')).id;
	END IF;
	RETURN (SELECT json_build_object('as_of', day,
	    'province_code', (SELECT code FROM geo.units WHERE id = pid),
	    'items', coalesce(json_agg(json_build_object(
		'commune_code', c.code, 'commune_name', c.name,
		'category', t.category, 'people', t.people, 'fte', t.fte)
		ORDER BY c.code, t.category), '[]'))
	  FROM (SELECT w.commune_id, a.category,
		    count(DISTINCT a.person_id) AS people, sum(a.fte) AS fte
		  FROM hr.assignments a
		  JOIN hr.work_units w ON w.id = a.work_unit_id
		 WHERE a.span @> day
		   AND (pid IS NULL OR w.province_id = pid)
		   AND lib.sees_province(me, w.province_id)
		   AND (cid IS NULL OR w.commune_id = cid)
		 GROUP BY w.commune_id, a.category) t
	  JOIN geo.units c ON c.id = t.commune_id);
END
$$;

-- Data quality: people whose assignments add up to more than one FTE on
-- some day, with the first such day and the total.
CREATE FUNCTION api.fte_issues(p_actor bigint, p_province text,
    p_cursor text, p_limit integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	pid	integer := lib.scope_province(me, p_province);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	SELECT array_agg(jsonb_build_object('person_id', o.person_id,
		'full_name', p.full_name, 'province_code', g.code,
		'from', o.day, 'fte', o.total) ORDER BY o.person_id),
	    array_agg(jsonb_build_object('id', o.person_id) ORDER BY o.person_id)
	  INTO items, keys
	  FROM (SELECT DISTINCT ON (a.person_id) a.person_id, a.start_date AS day,
		    sum(b.fte) AS total
		  FROM hr.assignments a
		  JOIN hr.people pp ON pp.id = a.person_id
		  JOIN hr.assignments b ON b.person_id = a.person_id
		   AND b.span @> a.start_date AND b.category <> 'volunteer'
		 WHERE a.category <> 'volunteer'
		   AND (pid IS NULL OR pp.province_id = pid)
		   AND lib.sees_province(me, pp.province_id)
		   AND (after IS NULL OR a.person_id > after)
		 GROUP BY a.person_id, a.start_date
		HAVING sum(b.fte) > 1
		 ORDER BY a.person_id, a.start_date
		 LIMIT n + 1) o
	  JOIN hr.people p ON p.id = o.person_id
	  JOIN geo.units g ON g.id = p.province_id;
	RETURN lib.page(items, keys, n);
END
$$;
