-- Spreadsheet imports of people and their assignments. The server parses
-- the file (CSV or XLSX) into rows of named values plus the problems only
-- it can see (formula cells, oversized cells, bad UTF-8, the citizen ID's
-- prefix); everything else is checked here, row by row and then across
-- rows. A dry run writes nothing to the registry; a commit writes every
-- row or none. Rows are matched by citizen ID, and a spell by person,
-- unit, category and start date, so importing the same file twice
-- changes nothing the second time. A file writes only people its
-- province keeps, and takes over (adopts) people kept by no province by
-- the rules of POST /api/v1/people; staging is bounded by quotas per
-- province and a retention period (lib.import_quota, lib.imports_purge).

CREATE FUNCTION lib.import_json(i hr.imports, p_report_max integer)
RETURNS json
LANGUAGE sql STABLE
AS $$
	SELECT json_build_object('id', i.id, 'status', i.status,
	    'commit', i.commit, 'format', i.format, 'filename', i.filename,
	    'province_code', (SELECT code FROM geo.units WHERE id = i.province_id),
	    'rows_total', i.rows_total, 'rows_done', i.rows_done,
	    'summary', i.summary, 'created_at', i.created_at,
	    'finished_at', i.finished_at,
	    'problems_total', (SELECT coalesce(sum(jsonb_array_length(r.problems)), 0)
		FROM hr.import_rows r WHERE r.import_id = i.id)
		+ jsonb_array_length(i.file_problems),
	    'report', CASE WHEN i.status = 'done' THEN (
		SELECT coalesce(json_agg(x ORDER BY x.row, x.n), '[]')
		  FROM (SELECT r.row, o.n, o.p ->> 'field' AS column,
			    coalesce(o.p ->> 'value', r.data ->> (o.p ->> 'field')) AS value,
			    o.p ->> 'code' AS code, o.p ->> 'vi' AS vi,
			    o.p ->> 'en' AS en
			  FROM hr.import_rows r,
			       jsonb_array_elements(r.problems) WITH ORDINALITY o(p, n)
			 WHERE r.import_id = i.id
			 ORDER BY r.row, o.n LIMIT p_report_max) x) END,
	    'file_problems', i.file_problems)
$$;

-- Whether a row carries an assignment; a row of personal details alone
-- registers (or updates) the person only.
CREATE FUNCTION lib.import_has_spell(p jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT EXISTS (SELECT 1 FROM unnest(ARRAY['work_unit_id',
	    'work_unit_name', 'commune_code', 'category', 'fte', 'allowance_vnd',
	    'title_code', 'position', 'start_date', 'end_date', 'end_reason']) k
	    WHERE lib.present(p, k))
$$;

CREATE FUNCTION lib.unit_problem(p jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT lib.prob(CASE WHEN lib.present(p, 'work_unit_id')
	    THEN 'work_unit_id' ELSE 'work_unit_name' END, 'unknown-work-unit',
	    'Không có đơn vị công tác này trong tỉnh/thành phố của tệp.',
	    'No such work unit in the province this file is for.')
$$;

-- Whether the spell a row describes is on record exactly as written.
CREATE FUNCTION lib.spell_on_record(p_person_id bigint, p_unit_id integer,
    p jsonb) RETURNS boolean
LANGUAGE sql STABLE
AS $$
	SELECT EXISTS (SELECT 1 FROM hr.assignments s
	    WHERE s.person_id = p_person_id AND s.work_unit_id = p_unit_id
	      AND lib.assignment_body(s) = lib.assignment_body(
		  lib.assignment_from(p)) || jsonb_build_object('work_unit_id',
		  p_unit_id))
$$;

-- The unit a row names: by work_unit_id, or by its name in commune_code.
-- A unit of another province may only appear in a spell already on
-- record unchanged (an export lists a person's earlier spells elsewhere).
CREATE FUNCTION lib.import_unit(p jsonb, p_province_id integer,
    OUT work_unit_id integer, OUT foreign_unit boolean, OUT problems jsonb)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	wid	numeric := lib.num(p, 'work_unit_id', false);
	w	hr.work_units;
	n	integer;
BEGIN
	problems := '[]';
	IF lib.present(p, 'work_unit_id') THEN
		IF wid IS NULL OR wid % 1 <> 0 OR wid < 1 OR wid > 2147483647 THEN
			problems := jsonb_build_array(lib.prob('work_unit_id',
			    'invalid-number', 'Mã đơn vị phải là số nguyên dương.',
			    'work_unit_id must be a positive integer.'));
			RETURN;
		END IF;
		SELECT * INTO w FROM hr.work_units u WHERE u.id = wid::integer;
	ELSIF lib.present(p, 'work_unit_name') AND lib.present(p, 'commune_code') THEN
		SELECT count(*), min(u.id) INTO n, wid FROM hr.work_units u
		  JOIN geo.units c ON c.id = u.commune_id
		 WHERE c.code = lib.txt(p, 'commune_code')
		   AND u.search = public.fold(lib.txt(p, 'work_unit_name'))
		   AND u.closed_on IS NULL;
		IF n > 1 THEN
			problems := jsonb_build_array(lib.prob('work_unit_name',
			    'ambiguous-work-unit',
			    'Xã này có nhiều đơn vị trùng tên; hãy ghi mã đơn vị (work_unit_id).',
			    'Several units in this commune have this name; give work_unit_id.'));
			RETURN;
		END IF;
		SELECT * INTO w FROM hr.work_units u WHERE u.id = wid::integer;
	ELSE
		problems := jsonb_build_array(lib.prob('work_unit_id', 'required',
		    'Cần mã đơn vị (work_unit_id) hoặc tên đơn vị cùng mã xã.',
		    'Give work_unit_id, or work_unit_name with commune_code.'));
		RETURN;
	END IF;
	IF w.id IS NULL THEN
		problems := jsonb_build_array(lib.unit_problem(p));
		RETURN;
	END IF;
	work_unit_id := w.id;
	foreign_unit := w.province_id <> p_province_id;
END
$$;

-- Whether a row may write the person on record with its citizen ID
-- (p_on_file, NULL when there is none): one kept by another province is
-- not the file's to change; one kept by no province (a graduate a
-- university registered) is taken by this province as POST
-- /api/v1/people takes it (lib.person_adopt), so birth date and sex must
-- agree. NULL compares as no province here, never as "the same one".
CREATE FUNCTION lib.import_keeper_problems(p_on_file hr.people, p hr.people,
    p_province_id integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN p_on_file.id IS NULL THEN '[]'
	    WHEN p_on_file.province_id IS NOT NULL AND
		p_on_file.province_id IS DISTINCT FROM p_province_id THEN
		jsonb_build_array(lib.prob('citizen_id',
		    'person-in-other-province',
		    'Người này do tỉnh/thành phố khác quản lý hồ sơ; hãy đề nghị quản trị viên chuyển hồ sơ.',
		    'Another province keeps this person''s record; ask an administrator to transfer it.'))
	    WHEN p_on_file.province_id IS NULL AND
		(p_on_file.birth_date IS DISTINCT FROM p.birth_date OR
		 p_on_file.sex IS DISTINCT FROM p.sex) THEN
		jsonb_build_array(lib.prob('birth_date', 'identity-mismatch',
		    'Số định danh này đã được cơ sở đào tạo đăng ký với ngày sinh hoặc giới tính khác; hãy kiểm tra lại giấy tờ.',
		    'This identification number was registered by a training institution with another birth date or sex; check the documents.'))
	    ELSE '[]' END
$$;

-- Checks the next p_count rows of an import that have not been checked.
CREATE FUNCTION lib.import_check(p_import bigint, p_count integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
	imp	hr.imports;
	done	integer;
BEGIN
	SELECT * INTO imp FROM hr.imports WHERE id = p_import;
	WITH batch AS (
		SELECT r.row, r.data FROM hr.import_rows r
		 WHERE r.import_id = p_import AND NOT r.checked
		 ORDER BY r.row LIMIT p_count),
	    checked AS MATERIALIZED (
		SELECT b.row, u.work_unit_id, p.id AS person_id,
		    lib.person_from(b.data) AS person,
		    CASE WHEN lib.import_has_spell(b.data)
			THEN lib.assignment_from(b.data) END AS spell,
		    lib.person_problems(b.data, false) ||
		    CASE WHEN lib.import_has_spell(b.data) THEN
			lib.assignment_problems(b.data, false) || u.problems ||
			CASE WHEN u.foreign_unit AND NOT lib.spell_on_record(p.id,
			    u.work_unit_id, b.data)
			    THEN jsonb_build_array(lib.unit_problem(b.data))
			    ELSE '[]' END
		    ELSE '[]' END ||
		    lib.import_keeper_problems(p, lib.person_from(b.data),
			imp.province_id) AS problems
		  FROM batch b
		  LEFT JOIN LATERAL lib.import_unit(b.data, imp.province_id) u
		    ON lib.import_has_spell(b.data)
		  LEFT JOIN hr.people p ON p.citizen_id = lib.txt(b.data, 'citizen_id'))
	UPDATE hr.import_rows r SET checked = true,
	    problems = r.problems || c.problems, person = c.person,
	    spell = c.spell,
	    work_unit_id = c.work_unit_id, person_id = c.person_id
	  FROM checked c
	 WHERE r.import_id = p_import AND r.row = c.row;
	SELECT count(*) INTO done FROM hr.import_rows
	 WHERE import_id = p_import AND checked;
	UPDATE hr.imports SET rows_done = done, status = 'checking'
	 WHERE id = p_import;
	RETURN imp.rows_total - done;
END
$$;

-- Problems that only show across rows, or against spells on record.
-- Window functions keep this linear in the file's size: a row is compared
-- with the first row of its person, and with the spells before it of the
-- same person, unit and category.
CREATE FUNCTION lib.import_cross_check(p_import bigint) RETURNS void
LANGUAGE sql
AS $$
	WITH r AS MATERIALIZED (
		SELECT r.row, r.person_id, r.work_unit_id,
		    lib.person_body(r.person) AS person, r.spell AS a,
		    (r.person).citizen_id AS cid
		  FROM hr.import_rows r
		 WHERE r.import_id = p_import AND r.problems = '[]'),
	    w AS (
		SELECT r.*,
		    first_value(r.row) OVER per_person AS first_row,
		    first_value(r.person) OVER per_person AS first_person,
		    max(coalesce((r.a).end_date, 'infinity')) OVER earlier_spells
			AS earlier_end,
		    max(r.row) OVER earlier_spells AS earlier_row
		  FROM r
		WINDOW per_person AS (PARTITION BY r.cid ORDER BY r.row),
		    earlier_spells AS (PARTITION BY r.cid, r.work_unit_id,
			(r.a).category ORDER BY (r.a).start_date, r.row
			ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
	    bad AS (
		SELECT w.row, lib.prob('citizen_id', 'conflicting-rows',
		    format('Dòng %s cũng mang số định danh này nhưng khác thông tin cá nhân.', w.first_row),
		    format('Row %s has the same identification number with different personal details.', w.first_row)) AS p
		  FROM w WHERE w.person <> w.first_person
		UNION ALL
		SELECT w.row, lib.prob('start_date', 'overlapping-rows',
		    format('Trùng thời gian với một dòng khác của cùng người, đơn vị và loại (dòng %s).', w.earlier_row),
		    format('Overlaps another row of the same person, unit and category (row %s).', w.earlier_row))
		  FROM w WHERE w.work_unit_id IS NOT NULL
		   AND w.earlier_end >= (w.a).start_date
		UNION ALL
		SELECT r.row, lib.prob('start_date', 'overlapping-assignment',
		    format('Trùng thời gian với phân công đã có từ %s.', b.start_date),
		    format('Overlaps the assignment on record from %s.', b.start_date))
		  FROM r JOIN hr.assignments b ON b.person_id = r.person_id
		   AND b.work_unit_id = r.work_unit_id
		   AND b.category = (r.a).category
		   AND b.start_date <> (r.a).start_date
		   AND b.span && daterange((r.a).start_date, (r.a).end_date, '[]')),
	    grouped AS (
		SELECT row, jsonb_agg(p) AS ps FROM bad GROUP BY row)
	UPDATE hr.import_rows x SET problems = x.problems || g.ps
	  FROM grouped g
	 WHERE x.import_id = p_import AND x.row = g.row
$$;

-- What committing would do, row by row: match each row's person and
-- spell, and say whether each is new, changed or the same.
CREATE FUNCTION lib.import_plan(p_import bigint)
RETURNS TABLE (row_no integer, person hr.people, person_action text,
    a hr.assignments, assignment_action text)
LANGUAGE sql STABLE
AS $$
	WITH r AS (
		SELECT r.row, r.work_unit_id, r.person AS p, r.spell AS a
		  FROM hr.import_rows r
		 WHERE r.import_id = p_import AND r.problems = '[]')
	SELECT r.row, r.p,
	    CASE WHEN old.id IS NULL THEN 'create'
		WHEN old.province_id IS NULL THEN 'adopt'
		WHEN lib.person_body(old) = lib.person_body(r.p) THEN 'same'
		ELSE 'update' END,
	    r.a,
	    CASE WHEN r.work_unit_id IS NULL THEN 'none'
		WHEN s.id IS NULL THEN 'create'
		WHEN lib.assignment_body(s) = lib.assignment_body(r.a) ||
		    jsonb_build_object('work_unit_id', r.work_unit_id) THEN 'same'
		ELSE 'update' END
	  FROM r
	  LEFT JOIN hr.people old ON old.citizen_id = (r.p).citizen_id
	  LEFT JOIN hr.assignments s ON s.person_id = old.id
	   AND s.work_unit_id = r.work_unit_id AND s.category = (r.a).category
	   AND s.start_date = (r.a).start_date
$$;

-- The rows of a commit checked again against the people on record, now
-- locked: between the check and the write another province may have
-- taken (adopted) a person the file names, or a university registered
-- one. The locks hold until the commit's end, so what is checked here is
-- what is written. Taken in id order, as every writer of several people
-- should, so that two imports wait for each other instead of deadlocking.
CREATE FUNCTION lib.import_recheck(p_import bigint, p_province_id integer)
RETURNS void
LANGUAGE sql
AS $$
	WITH locked AS MATERIALIZED (
		SELECT x AS p FROM hr.people x
		 WHERE x.citizen_id IN (SELECT (r.person).citizen_id
			FROM hr.import_rows r
		       WHERE r.import_id = p_import AND r.problems = '[]')
		 ORDER BY x.id FOR UPDATE OF x),
	    bad AS (
		SELECT r.row, lib.import_keeper_problems(l.p, r.person,
		    p_province_id) AS ps
		  FROM hr.import_rows r
		  JOIN locked l ON (l.p).citizen_id = (r.person).citizen_id
		 WHERE r.import_id = p_import AND r.problems = '[]')
	UPDATE hr.import_rows x SET problems = x.problems || bad.ps
	  FROM bad
	 WHERE x.import_id = p_import AND x.row = bad.row AND bad.ps <> '[]'
$$;

-- Writes a checked, problem-free import in one statement per table, and
-- audits each person and spell it creates or changes. Only people this
-- province keeps are changed (the condition is on the write itself, not
-- only on the check before it); a person kept by no province is adopted
-- as POST /api/v1/people adopts (lib.person_adopt, audited as
-- person.adopt).
CREATE FUNCTION lib.import_apply(imp hr.imports, me auth.users) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	via	text := 'import:' || imp.id;
	taken	hr.people;
BEGIN
	-- Changes to people on record first, so that the comparison is not
	-- made again for the people this import creates or adopts.
	WITH src AS (
		SELECT DISTINCT ON ((r.person).citizen_id) r.person AS p
		  FROM hr.import_rows r WHERE r.import_id = imp.id
		 ORDER BY (r.person).citizen_id, r.row),
	    old AS (
		SELECT x.* FROM hr.people x JOIN src ON x.citizen_id = (src.p).citizen_id
		 WHERE lib.person_body(x) <> lib.person_body(src.p)
		   AND x.province_id = imp.province_id
		   FOR UPDATE OF x),
	    upd AS (
		UPDATE hr.people x SET full_name = (src.p).full_name,
		    sex = (src.p).sex, birth_date = (src.p).birth_date,
		    phone = (src.p).phone, email = (src.p).email,
		    ethnicity = (src.p).ethnicity, updated_at = now()
		  FROM src WHERE x.citizen_id = (src.p).citizen_id
		   AND x.id IN (SELECT id FROM old)
		   AND x.province_id = imp.province_id
		RETURNING x.*)
	INSERT INTO audit.log (actor_id, actor_login, actor_role, via, action,
	    entity, entity_id, before, after)
	SELECT me.id, me.login, me.role, via, 'person.update', 'person',
	    upd.id::text, (lib.changed(lib.person_audit(old), lib.person_audit(upd))).before,
	    (lib.changed(lib.person_audit(old), lib.person_audit(upd))).after
	  FROM upd JOIN old ON old.id = upd.id ORDER BY upd.id;

	FOR taken IN SELECT DISTINCT ON ((r.person).citizen_id) (r.person).*
		   FROM hr.import_rows r
		   JOIN hr.people x ON x.citizen_id = (r.person).citizen_id
		    AND x.province_id IS NULL
		  WHERE r.import_id = imp.id
		  ORDER BY (r.person).citizen_id, r.row
	LOOP
		taken.province_id := imp.province_id;
		PERFORM lib.person_adopt(me, via, taken);
	END LOOP;

	WITH src AS (
		SELECT DISTINCT ON ((r.person).citizen_id) r.person AS p
		  FROM hr.import_rows r WHERE r.import_id = imp.id
		 ORDER BY (r.person).citizen_id, r.row),
	    ins AS (
		INSERT INTO hr.people (full_name, citizen_id, sex, birth_date,
		    phone, email, ethnicity, province_id)
		SELECT (p).full_name, (p).citizen_id, (p).sex, (p).birth_date,
		    (p).phone, (p).email, (p).ethnicity, imp.province_id
		  FROM src
		 WHERE NOT EXISTS (SELECT 1 FROM hr.people x
			WHERE x.citizen_id = (src.p).citizen_id)
		RETURNING *)
	INSERT INTO audit.log (actor_id, actor_login, actor_role, via, action,
	    entity, entity_id, before, after)
	SELECT me.id, me.login, me.role, via, 'person.create', 'person',
	    ins.id::text, NULL, lib.person_audit(ins)
	  FROM ins ORDER BY ins.id;

	WITH plan AS (
		SELECT r.row, x.id AS person_id, r.work_unit_id, r.spell AS a
		  FROM hr.import_rows r
		  JOIN hr.people x ON x.citizen_id = (r.person).citizen_id
		   AND x.province_id = imp.province_id
		 WHERE r.import_id = imp.id AND r.work_unit_id IS NOT NULL),
	    old AS (
		SELECT s.id, plan.row AS row_no, lib.assignment_body(s) AS body
		  FROM hr.assignments s JOIN plan
		    ON s.person_id = plan.person_id
		   AND s.work_unit_id = plan.work_unit_id
		   AND s.category = (plan.a).category
		   AND s.start_date = (plan.a).start_date
		   FOR UPDATE OF s),
	    upd AS (
		UPDATE hr.assignments s SET fte = (plan.a).fte,
		    allowance_vnd = (plan.a).allowance_vnd,
		    title_code = (plan.a).title_code,
		    position = (plan.a).position, end_date = (plan.a).end_date,
		    end_reason = (plan.a).end_reason, updated_at = now()
		  FROM plan, old
		 WHERE old.id = s.id AND old.row_no = plan.row
		   AND (s.fte, s.allowance_vnd, s.title_code, s.position,
			s.end_date, s.end_reason) IS DISTINCT FROM
		       ((plan.a).fte, (plan.a).allowance_vnd, (plan.a).title_code,
			(plan.a).position, (plan.a).end_date, (plan.a).end_reason)
		RETURNING s.*),
	    ins AS (
		INSERT INTO hr.assignments (person_id, work_unit_id, category,
		    fte, allowance_vnd, title_code, position, start_date,
		    end_date, end_reason)
		SELECT plan.person_id, plan.work_unit_id, (plan.a).category,
		    (plan.a).fte, (plan.a).allowance_vnd, (plan.a).title_code,
		    (plan.a).position, (plan.a).start_date, (plan.a).end_date,
		    (plan.a).end_reason
		  FROM plan WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.row_no = plan.row)
		RETURNING *),
	    changes AS (
		SELECT ins.person_id, ins.id, 'assignment.create' AS action,
		    NULL::jsonb AS before, lib.assignment_body(ins) AS after
		  FROM ins
		UNION ALL
		SELECT upd.person_id, upd.id, 'assignment.update',
		    (lib.changed(old.body, lib.assignment_body(upd))).before,
		    (lib.changed(old.body, lib.assignment_body(upd))).after
		  FROM upd JOIN old ON old.id = upd.id)
	INSERT INTO audit.log (actor_id, actor_login, actor_role, via, action,
	    entity, entity_id, before, after)
	SELECT me.id, me.login, me.role, via, c.action, 'person',
	    c.person_id::text, c.before,
	    coalesce(c.after, '{}') || jsonb_build_object('assignment_id', c.id)
	  FROM changes c ORDER BY c.person_id, c.id;
END
$$;

-- Finishes a fully checked import: cross-row checks, then the summary of
-- what it would do (dry run) or did (commit), then the write itself when
-- committing a file without a single problem.
CREATE FUNCTION lib.import_finish(p_import bigint) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	imp	hr.imports;
	me	auth.users;
	errors	integer;
	s	jsonb;
BEGIN
	SELECT * INTO imp FROM hr.imports WHERE id = p_import FOR UPDATE;
	SELECT * INTO me FROM auth.users WHERE id = imp.created_by;
	PERFORM lib.import_cross_check(imp.id);
	IF imp.commit THEN
		PERFORM lib.import_recheck(imp.id, imp.province_id);
	END IF;
	-- File problems are ignored columns: worth saying, not blocking.
	SELECT count(*) INTO errors FROM hr.import_rows
	 WHERE import_id = imp.id AND problems <> '[]';
	SELECT jsonb_build_object('rows', imp.rows_total,
	    'rows_with_problems', errors,
	    'people_created', count(DISTINCT (person).citizen_id)
		FILTER (WHERE person_action = 'create'),
	    'people_updated', count(DISTINCT (person).citizen_id)
		FILTER (WHERE person_action = 'update'),
	    'people_adopted', count(DISTINCT (person).citizen_id)
		FILTER (WHERE person_action = 'adopt'),
	    'assignments_created', count(*) FILTER (WHERE assignment_action = 'create'),
	    'assignments_updated', count(*) FILTER (WHERE assignment_action = 'update'),
	    'rows_unchanged', count(*) FILTER (WHERE person_action = 'same'
		AND assignment_action IN ('same', 'none')))
	  INTO s
	  FROM lib.import_plan(imp.id);
	IF imp.commit AND errors = 0 THEN
		PERFORM lib.import_apply(imp, me);
		s := s || jsonb_build_object('written', true);
	ELSE
		s := s || jsonb_build_object('written', false);
	END IF;
	UPDATE hr.imports SET status = 'done', summary = s, finished_at = now()
	 WHERE id = imp.id;
	PERFORM lib.audit(me, imp.via, CASE WHEN imp.commit
	    THEN 'import.commit' ELSE 'import.dry_run' END, 'import',
	    imp.id::text, NULL, s || jsonb_build_object('filename', imp.filename));
	-- Staged personal data is kept only where the report needs it.
	DELETE FROM hr.import_rows WHERE import_id = imp.id AND problems = '[]';
END
$$;

-- What a province may hold in staging at once, and for how long. Staged
-- rows are personal data: a queued import's every row, and a finished
-- one's rows with problems (kept for its report). Past either quota a
-- new import is refused (429, with when to retry) until earlier imports
-- finish or are purged. An import that wrote nothing (a dry run, a
-- refused commit, a failure) is deleted with its staged rows, report
-- and all, lib.import_keep_days() after it finished, by the import
-- worker (lib.imports_purge); a written commit keeps its summary, and
-- had no staged row left to begin with.
CREATE FUNCTION lib.import_staged_max() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 200000 $$;

CREATE FUNCTION lib.import_pending_max() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 4 $$;

CREATE FUNCTION lib.import_keep_days() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 7 $$;

-- Refuses an import of p_rows rows that would take the province past
-- its quotas. The province's imports are locked in turn (one advisory
-- lock per province) so that two uploads at once cannot both pass.
CREATE FUNCTION lib.import_quota(p_province integer, p_rows integer)
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	pending	integer;
	staged	bigint;
	freed	timestamptz;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('import-quota'), p_province);
	SELECT count(*) FILTER (WHERE i.status IN ('queued', 'checking'))
	  INTO pending FROM hr.imports i WHERE i.province_id = p_province;
	IF pending >= lib.import_pending_max() THEN
		PERFORM lib.fail_retry(429, 'imports-pending',
		    format('Tỉnh/thành phố này đang có %s lượt nhập chờ kiểm tra; hãy đợi chúng xong rồi gửi tiếp.', pending),
		    format('This province has %s imports waiting to be checked; wait for them to finish, then send this one.', pending),
		    60);
	END IF;
	SELECT count(*) INTO staged FROM hr.import_rows r
	  JOIN hr.imports i ON i.id = r.import_id
	 WHERE i.province_id = p_province;
	IF staged + p_rows > lib.import_staged_max() THEN
		SELECT min(i.finished_at) INTO freed FROM hr.imports i
		 WHERE i.province_id = p_province AND i.status IN ('done', 'failed')
		   AND EXISTS (SELECT FROM hr.import_rows r WHERE r.import_id = i.id);
		PERFORM lib.fail_retry(429, 'import-staging-full',
		    format('Tỉnh/thành phố này đang lưu %s dòng của các lượt nhập (báo cáo lỗi và tệp chờ kiểm tra); tối đa %s dòng. Báo cáo của lượt chạy thử được xóa sau %s ngày.',
			staged, lib.import_staged_max(), lib.import_keep_days()),
		    format('This province holds %s staged import rows (problem reports and files waiting to be checked); the most is %s. Dry-run reports are deleted after %s days.',
			staged, lib.import_staged_max(), lib.import_keep_days()),
		    coalesce(ceil(extract(epoch FROM freed + make_interval(
			days => lib.import_keep_days()) - now()))::integer, 60));
	END IF;
END
$$;

-- Deletes what the retention period has run out for (see above), and
-- the graduate-import checks no longer counted (lib.graduates_check_admit
-- counts one hour; a day is kept). Returns how many imports it deleted.
CREATE FUNCTION lib.imports_purge() RETURNS integer
LANGUAGE sql
AS $$
	DELETE FROM training.graduate_import_checks
	 WHERE at < now() - interval '1 day';
	WITH gone AS (
		DELETE FROM hr.imports i
		 WHERE i.status IN ('done', 'failed')
		   AND i.finished_at < now() - make_interval(
			days => lib.import_keep_days())
		   AND (i.summary ->> 'written') IS DISTINCT FROM 'true'
		RETURNING 1)
	SELECT count(*)::integer FROM gone
$$;

-- Small files are checked (and written) within the request; larger ones
-- are queued for the server's import worker, and the answer says where
-- to watch their progress.
CREATE FUNCTION api.import_create(p_actor bigint, p_via text,
    p_province text, p_filename text, p_format text, p_commit boolean,
    p_payload jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	imp	hr.imports;
	total	integer := jsonb_array_length(p_payload -> 'rows');
	prov	integer;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	IF total = 0 THEN
		PERFORM lib.fail(422, 'no-rows',
		    'Tệp không có dòng dữ liệu nào dưới hai dòng tiêu đề.',
		    'The file has no data rows under the two header rows.', 'file');
	END IF;
	prov := lib.keeping_province(me, p_province, 'province');
	PERFORM lib.import_quota(prov, total);
	INSERT INTO hr.imports (created_by, via, province_id, filename, format,
	    commit, rows_total, file_problems)
	VALUES (me.id, p_via, prov, left(p_filename, 200), p_format,
	    coalesce(p_commit, false), total,
	    coalesce(p_payload -> 'file_problems', '[]'))
	RETURNING * INTO imp;
	INSERT INTO hr.import_rows (import_id, row, data, problems)
	SELECT imp.id, (r ->> 'row')::integer, coalesce(r -> 'values', '{}'),
	    coalesce(r -> 'problems', '[]')
	  FROM jsonb_array_elements(p_payload -> 'rows') r;
	IF total <= lib.import_inline_rows() THEN
		PERFORM lib.import_check(imp.id, total);
		PERFORM lib.import_finish(imp.id);
		SELECT * INTO imp FROM hr.imports WHERE id = imp.id;
	END IF;
	RETURN lib.import_json(imp, 5000);
END
$$;

CREATE FUNCTION lib.import_inline_rows() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 2000 $$;

CREATE FUNCTION api.import_get(p_actor bigint, p_id bigint) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	imp	hr.imports;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	SELECT * INTO imp FROM hr.imports WHERE id = p_id;
	IF NOT FOUND OR NOT lib.writes_province(me, imp.province_id) THEN
		PERFORM lib.not_found('lượt nhập', 'import');
	END IF;
	RETURN lib.import_json(imp, 5000);
END
$$;

-- One step of the import worker: checks the next chunk of the oldest
-- queued import (or finishes it); with nothing queued, purges what the
-- retention period has run out for. Returns null when there is nothing
-- to do. SKIP LOCKED lets every server worker run this at once safely.
-- An import that fails says so with a problem code; the database's
-- message, which may quote SQL and data, goes to the server's log
-- (PostgreSQL's, as a WARNING naming the import), never to the client.
CREATE FUNCTION api.import_work() RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	imp	hr.imports;
	left_	integer;
	purged	integer;
	st	text;
	msg	text;
BEGIN
	SELECT * INTO imp FROM hr.imports
	 WHERE status IN ('queued', 'checking')
	 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF NOT FOUND THEN
		purged := lib.imports_purge();
		IF purged > 0 THEN
			RETURN json_build_object('purged', purged);
		END IF;
		RETURN NULL;
	END IF;
	left_ := lib.import_check(imp.id, lib.import_inline_rows());
	IF left_ = 0 THEN
		BEGIN
			PERFORM lib.import_finish(imp.id);
		EXCEPTION WHEN others THEN
			GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE,
			    msg = MESSAGE_TEXT;
			RAISE WARNING 'import % failed: % %', imp.id, st, msg;
			UPDATE hr.imports SET status = 'failed', finished_at = now(),
			    summary = jsonb_build_object('error', 'import-failed',
				'written', false,
				'vi', 'Lượt nhập không hoàn tất do lỗi hệ thống; không có gì được ghi. Hãy gửi lại tệp hoặc báo quản trị viên.',
				'en', 'The import could not be completed because of a system error; nothing was written. Send the file again or tell an administrator.')
			 WHERE id = imp.id;
			DELETE FROM hr.import_rows
			 WHERE import_id = imp.id AND problems = '[]';
		END;
	END IF;
	RETURN json_build_object('import_id', imp.id, 'rows_left', left_);
END
$$;
