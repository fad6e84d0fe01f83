-- Graduates imported from a spreadsheet. The server parses the file into
-- rows of named values (the fields of api.graduate_create) plus the
-- problems only it can see; here every row is registered through
-- api.graduate_create itself, in a subtransaction of its own, so a row is
-- checked by exactly the write path of a single graduate, against the
-- registry and against the rows before it (the same diploma number twice,
-- one citizen ID with two identities). A refusal becomes the row's
-- problem. Then everything is undone unless a commit was asked and every
-- row went in: a dry run writes nothing but its own audit row (and its
-- count against the registrar's checks an hour), and a commit writes
-- every row or none. No staging table and no queue: files
-- are capped at lib.graduates_import_max() rows and done within the
-- request.

CREATE FUNCTION lib.graduates_import_max() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 2000 $$;

-- A registrar may check files (dry runs, and commits refused for their
-- problems) this many times an hour: each check tells whether the
-- identities of up to 2,000 rows agree with the registry, so unlimited
-- checks would be a way to read it. Written commits do not count.
CREATE FUNCTION lib.graduates_checks_per_hour() RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT 30 $$;

-- Refuses (429, with the seconds until a check is free again for the
-- server's Retry-After) a registrar who has used up the hour's checks.
-- The per-user lock makes the count and the check it admits one step:
-- two requests at once are counted one after the other.
CREATE FUNCTION lib.graduates_check_admit(me auth.users) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	used	integer;
	oldest	timestamptz;
BEGIN
	IF me.role <> 'registrar' THEN
		RETURN;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('graduate-import-checks'),
	    me.id::integer);
	SELECT count(*), min(at) INTO used, oldest
	  FROM training.graduate_import_checks
	 WHERE user_id = me.id AND at > now() - interval '1 hour';
	IF used >= lib.graduates_checks_per_hour() THEN
		PERFORM lib.fail_retry(429, 'import-checks-exhausted',
		    format('Mỗi giờ chỉ được kiểm tra tối đa %s tệp (chạy thử hoặc ghi không thành); hãy thử lại sau.',
			lib.graduates_checks_per_hour()),
		    format('At most %s file checks (dry runs or refused commits) an hour; try again later.',
			lib.graduates_checks_per_hour()),
		    greatest(1, ceil(extract(epoch FROM
			oldest + interval '1 hour' - now())))::integer);
	END IF;
END
$$;

-- The institution an import is for: a registrar's own (naming another,
-- by code or id, is out of scope); an administrator must name one.
CREATE FUNCTION lib.graduates_import_institution(me auth.users, p_named text)
RETURNS org.institutions
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	i	org.institutions;
BEGIN
	IF p_named IS NOT NULL THEN
		SELECT * INTO i FROM org.institutions
		 WHERE code = upper(p_named)
		    OR (p_named ~ '^[0-9]{1,9}$' AND id = p_named::integer)
		 ORDER BY code = upper(p_named) DESC LIMIT 1;
	END IF;
	IF me.role = 'registrar' THEN
		IF p_named IS NOT NULL AND
		    i.id IS DISTINCT FROM me.institution_id THEN
			PERFORM lib.fail(403, 'out-of-scope',
			    'Bạn chỉ được đăng ký người tốt nghiệp của cơ sở đào tạo mình.',
			    'You may only register graduates of your own institution.',
			    'institution');
		END IF;
		SELECT * INTO i FROM org.institutions WHERE id = me.institution_id;
	ELSIF p_named IS NULL THEN
		PERFORM lib.fail(422, 'required',
		    'Quản trị viên cần chỉ rõ cơ sở đào tạo của tệp (institution: mã hoặc số hiệu).',
		    'An administrator must say which institution the file is for (institution: its code or id).',
		    'institution');
	ELSIF i.id IS NULL THEN
		PERFORM lib.fail(422, 'unknown-institution',
		    'Không có cơ sở đào tạo với mã này.',
		    'No institution has this code or id.', 'institution');
	END IF;
	RETURN i;
END
$$;

-- A refusal of api.graduate_create as a row problem {field, code, vi,
-- en}. When it is a field check (a 422 naming a field), the row gets all
-- of its field problems at once, not only the first that was raised.
-- Constraint and data errors, which the checks should have prevented,
-- are worded as the server words them for the JSON API.
CREATE FUNCTION lib.graduates_import_refusal(p jsonb, p_state text, p_vi text,
    p_en text, p_code text, p_field text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	every	jsonb;
BEGIN
	IF p_state = 'RG422' AND nullif(p_field, '') IS NOT NULL THEN
		every := lib.graduate_problems(p);
		IF every @> jsonb_build_array(jsonb_build_object('field', p_field,
		    'code', p_code)) THEN
			RETURN every;
		END IF;
	END IF;
	IF p_state LIKE 'RG%' THEN
		RETURN jsonb_build_array(lib.prob(nullif(p_field, ''), p_code,
		    p_vi, p_en));
	END IF;
	IF p_state = '23505' THEN
		RETURN jsonb_build_array(lib.prob(nullif(p_field, ''), 'conflict',
		    'Bản ghi trùng với một bản ghi đã có.',
		    'This conflicts with an existing record.'));
	END IF;
	RETURN jsonb_build_array(lib.prob(nullif(p_field, ''), 'invalid-value',
	    'Giá trị không hợp lệ.', 'A value is not valid.'));
END
$$;

-- A refusal that says "already on record" when the record is one an
-- earlier row of this file made (p_row, else NULL): it names that row.
CREATE FUNCTION lib.graduates_import_clash(p_problems jsonb, p_row integer)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(jsonb_agg(CASE
	    WHEN p_row IS NULL THEN x
	    WHEN x ->> 'code' = 'diploma-exists' THEN x || jsonb_build_object(
		'vi', format('Số hiệu văn bằng này trùng với dòng %s của tệp.', p_row),
		'en', format('Row %s of this file has the same diploma number.', p_row))
	    WHEN x ->> 'code' = 'identity-mismatch' THEN x || jsonb_build_object(
		'vi', format('Dòng %s của tệp mang số định danh này với thông tin nhân thân khác.', p_row),
		'en', format('Row %s of this file has this identification number with different personal details.', p_row))
	    ELSE x END ORDER BY n), '[]')
	  FROM jsonb_array_elements(p_problems) WITH ORDINALITY e(x, n)
$$;

-- Registers the rows of a parsed file ({"rows": [{"row", "values",
-- "problems"}], "file_problems", "filename"}) for the caller's
-- institution (an administrator's: p_institution, a code or id). Rows
-- the reader found problems in are not attempted. The answer:
--   {"commit", "written", "institution_code", "filename", "rows_total",
--    "summary": {"ok", "with_problems"[, "new_people", "matched_people"]},
--    "rows": [{"row", "status": "ok"|"problem", "problems",
--              "graduate_id", "person_id", "credential_id" (when written)}],
--    "file_problems"}
-- and, only when written, "_sign": the rows' credentials to sign, which
-- the server signs and takes out of the answer. new_people counts the
-- people the file makes, matched_people those on record before it: both
-- only in an answer that wrote.
--
-- What the loop gathers goes into arrays, which PL/pgSQL appends to in
-- place; a jsonb value appended to would be copied whole every row.
-- Every row that goes in is a subtransaction with its own XID: 2,000 of
-- them overflow the per-backend subtransaction cache, which costs other
-- sessions' snapshots a little while the import runs. That is the price
-- of checking rows by the real write path; the row cap keeps it small.
CREATE FUNCTION api.graduates_import(p_actor bigint, p_via text,
    p_institution text, p_commit boolean, p_payload jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	inst	org.institutions;
	total	integer;
	want	boolean := coalesce(p_commit, false);
	r	jsonb;
	n	integer;
	vals	jsonb;
	probs	jsonb;
	res	jsonb;
	cid	text;
	known	boolean;
	clash	integer;
	out	jsonb[] := '{}';	-- the report's rows
	signs	jsonb[] := '{}';	-- each row's "_sign"
	g_ids	bigint[] := '{}';	-- graduates made, and their rows
	g_rows	integer[] := '{}';
	p_ids	bigint[] := '{}';	-- people made, and their rows
	p_rows	integer[] := '{}';
	matched	bigint[] := '{}';	-- people on record before the file
	written	boolean := false;
	summary	json;
	report	json;
	st	text;
	vi	text;
	en	text;
	code	text;
	col	text;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	inst := lib.graduates_import_institution(me, p_institution);
	PERFORM lib.graduates_check_admit(me);
	total := coalesce(jsonb_array_length(p_payload -> 'rows'), 0);
	IF total = 0 THEN
		PERFORM lib.fail(422, 'no-rows',
		    'Tệp không có dòng dữ liệu nào dưới hai dòng tiêu đề.',
		    'The file has no data rows under the two header rows.', 'file');
	END IF;
	IF total > lib.graduates_import_max() THEN
		PERFORM lib.fail(422, 'too-many-rows',
		    format('Tệp có %s dòng; mỗi lần nhập tối đa %s dòng: hãy chia thành nhiều tệp nhỏ hơn.',
			total, lib.graduates_import_max()),
		    format('The file has %s rows; an import takes at most %s: split it into smaller files.',
			total, lib.graduates_import_max()), 'file');
	END IF;

	-- Everything written in here is undone, unless it is a commit of
	-- rows that all went in, by the private GU001 caught below.
	BEGIN
		FOR r IN SELECT x FROM jsonb_array_elements(p_payload -> 'rows') x
		LOOP
			n := (r ->> 'row')::integer;
			vals := coalesce(r -> 'values', '{}');
			probs := coalesce(r -> 'problems', '[]');
			res := NULL;
			IF probs = '[]' THEN
				IF me.role = 'admin' THEN
					vals := vals || jsonb_build_object(
					    'institution_id', inst.id);
				END IF;
				cid := lib.txt(vals, 'citizen_id');
				known := EXISTS (SELECT FROM hr.people
				    WHERE citizen_id = cid);
				BEGIN
					res := api.graduate_create(p_actor, p_via,
					    vals)::jsonb;
				EXCEPTION
				    WHEN SQLSTATE 'RG000' OR
					integrity_constraint_violation OR
					data_exception THEN
					GET STACKED DIAGNOSTICS
					    st = RETURNED_SQLSTATE, vi = MESSAGE_TEXT,
					    en = PG_EXCEPTION_DETAIL,
					    code = PG_EXCEPTION_HINT, col = COLUMN_NAME;
					clash := CASE code
					    WHEN 'diploma-exists' THEN g_rows[array_position(
						g_ids, (SELECT q.id
						  FROM training.qualifications q
						 WHERE q.institution_id = inst.id
						   AND q.diploma_number =
						       lib.txt(vals, 'diploma_number')))]
					    WHEN 'identity-mismatch' THEN p_rows[array_position(
						p_ids, (SELECT id FROM hr.people
						 WHERE citizen_id = cid))]
					    END;
					probs := lib.graduates_import_clash(
					    lib.graduates_import_refusal(vals, st,
						vi, en, code, col), clash);
				END;
			END IF;
			IF res IS NULL THEN
				out := array_append(out, jsonb_build_object('row', n,
				    'status', 'problem', 'problems', probs));
				CONTINUE;
			END IF;
			IF NOT known THEN
				p_ids := array_append(p_ids,
				    (res ->> 'person_id')::bigint);
				p_rows := array_append(p_rows, n);
			ELSIF NOT (res ->> 'person_id')::bigint = ANY (p_ids) THEN
				matched := array_append(matched,
				    (res ->> 'person_id')::bigint);
			END IF;
			g_ids := array_append(g_ids, (res ->> 'id')::bigint);
			g_rows := array_append(g_rows, n);
			signs := array_append(signs, res -> '_sign');
			out := array_append(out, jsonb_build_object('row', n,
			    'status', 'ok', 'problems', '[]'::jsonb,
			    'graduate_id', res -> 'id',
			    'person_id', res -> 'person_id',
			    'credential_id', res -> 'credential_id'));
		END LOOP;

		summary := json_build_object('ok', cardinality(g_ids),
		    'with_problems', total - cardinality(g_ids));
		IF NOT want OR cardinality(g_ids) < total THEN
			RAISE EXCEPTION USING ERRCODE = 'GU001';
		END IF;
		-- Only a written commit says how many of its people were on
		-- record: in a check, that count tells of identities the
		-- registrar has not registered.
		summary := summary::jsonb || jsonb_build_object(
		    'new_people', cardinality(p_ids),
		    'matched_people', (SELECT count(DISTINCT m)
			FROM unnest(matched) m));
		PERFORM lib.audit(me, p_via, 'graduate.import', 'institution',
		    inst.id::text, NULL, summary::jsonb || jsonb_build_object(
		    'rows', total, 'filename', p_payload -> 'filename'));
		written := true;
	EXCEPTION WHEN SQLSTATE 'GU001' THEN
		written := false;
	END;
	-- A check is audited (what was undone above is not: the audit row
	-- is written after it) and counted against the hour's checks.
	IF NOT written THEN
		INSERT INTO training.graduate_import_checks (user_id)
		VALUES (me.id);
		PERFORM lib.audit(me, p_via, 'graduate.import_check',
		    'institution', inst.id::text, NULL, summary::jsonb ||
		    jsonb_build_object('rows', total, 'commit', want,
		    'filename', p_payload -> 'filename'));
	END IF;

	report := json_build_object('commit', want, 'written', written,
	    'institution_code', inst.code,
	    'filename', p_payload -> 'filename', 'rows_total', total,
	    'summary', summary,
	    -- What was undone was not written: no ids to show.
	    'rows', (SELECT coalesce(jsonb_agg(CASE WHEN written THEN x
		ELSE x - 'graduate_id' - 'person_id' - 'credential_id' END
		ORDER BY i), '[]') FROM unnest(out) WITH ORDINALITY u(x, i)),
	    'file_problems', coalesce(p_payload -> 'file_problems', '[]'));
	IF NOT written THEN
		RETURN report;
	END IF;
	-- "_sign" only in an answer that wrote: its presence is what has the
	-- server sign (and answer 200 itself) rather than report a refusal.
	RETURN ('{"_sign":' || (SELECT coalesce(jsonb_agg(e ORDER BY i, j), '[]')
	    FROM unnest(signs) WITH ORDINALITY s(list, i),
		 jsonb_array_elements(list) WITH ORDINALITY l(e, j))::text || ','
	    || substr(report::text, 2))::json;
END
$$;
