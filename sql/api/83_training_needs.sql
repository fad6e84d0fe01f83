-- Training needs: who in a province should be trained next, and why,
-- ranked, computed from the spells, the training records and the
-- commune facts of 80_indicators.sql each time (as of today, on today's
-- communes and units):
--
--   rank 1  untrained_in_untrained_commune: a workforce member (any
--           category but volunteer) with no social-work training, in a
--           commune flagged UNTRAINED (nobody of its workforce trained):
--           training them clears the flag;
--   rank 2  collaborator_counting_toward_coverage: an untrained
--           collaborator whose allowance is at least the base salary
--           today, so counts toward the commune's coverage (Decision
--           112/QĐ-TTg);
--   rank 3  one certificate away, for people in a post (a professional or
--           commune-post spell in force): title_training_missing (level
--           and field meet a title's standard, the title-training
--           certificate is missing), sw_certificate_missing (a degree at
--           the level in another field, the social-work training
--           certificate is missing), practice_months_short (must hold a
--           practice registration from 2027-01-01, holds none in force,
--           has a trung cấp or higher degree in the fields, and the
--           supervised-practice months fall short of 12/9/6).
--
-- The title of rank 3 is the one recorded on the person's spell (the
-- post's standard applies to them); without one, the lowest title the
-- degree leads to that the person does not meet yet: V.09.04.03 for a
-- trung cấp or higher, V.09.04.02 for a bachelor or higher (the entry
-- ranks of domain.md §3; V.09.04.01, hạng II, is reached by promotion and
-- is considered only when recorded).
--
-- A person appears once, at their best rank. Whoever is planned or
-- enrolled in a course that meets the need (a course that counts as
-- social-work training for ranks 1, 2 and a missing social-work
-- certificate; a title-training course of the title, or of V.09.04.01
-- for V.09.04.02, for a missing title training) is on their way and left
-- out of that need; the list says how many were left out.
--
-- Who reads it: administrators, and officers and steering members of the
-- province (lib.sees_area); another province is 404, registrars 403.

-- The communes of a scope flagged UNTRAINED on p_day: nobody of their
-- workforce trained, the count lib.commune_facts keeps as "trained" and
-- the gap report flags on, read from lib.commune_people alone
-- (commune_facts also works out turnover and vacancies, which is most of
-- its time).
CREATE FUNCTION lib.untrained_communes(p_communes integer[],
    p_units integer[], p_unit_communes integer[], p_day date)
RETURNS integer[]
LANGUAGE sql STABLE
AS $$
	SELECT coalesce(array_agg(c.id ORDER BY c.id), '{}')
	  FROM unnest(p_communes) AS c(id)
	 WHERE c.id NOT IN (SELECT cp.commune_id
		  FROM lib.commune_people(p_units, p_unit_communes, p_day) cp
		 WHERE cp.workforce AND cp.trained)
$$;

-- Every need of the people working in the units given (p_units, each in
-- the commune of the same position of p_unit_communes) on p_day, with
-- p_untrained the UNTRAINED communes: one row per person and rank, a
-- person possibly on several ranks. commune_ids are the communes the
-- need is about (the UNTRAINED ones the person works in, those where
-- the collaborator counts, those of the post); category the strongest of
-- the person's spells there (lib.categories' order); enrolled marks a
-- need the person is already on the way to meeting (left out of the
-- list); facts carries what a rank-2 or rank-3 detail says.
--
-- Set-based: the people's standing per commune from lib.commune_people
-- (the flags the gap report counts), one more pass over the spells for
-- categories, allowances and posts, one index lookup of the training
-- records and enrolments per person concerned
-- (a province's few thousand, against national tables of a million
-- rows), the titles' standards (lib.titles, judged as lib.eligibility
-- judges them: the level, the field or a social-work certificate, the
-- title training, V.09.04.01's also counting for V.09.04.02) joined
-- once; no function is called per person.
CREATE FUNCTION lib.training_needs(p_untrained integer[], p_units integer[],
    p_unit_communes integer[], p_day date)
RETURNS TABLE (person_id bigint, rank integer, reason text, reasons text[],
    commune_ids integer[], category text, title_code text, enrolled boolean,
    facts jsonb)
LANGUAGE sql STABLE
AS $$
	WITH cp AS (
		SELECT * FROM lib.commune_people(p_units, p_unit_communes, p_day) c
		 WHERE NOT c.trained),
	-- The spells behind them, for the category and allowance shown.
	spells AS (
		SELECT u.commune_id, a.person_id, a.category, a.title_code,
		    a.allowance_vnd,
		    array_position(lib.categories(), a.category) AS strength
		  FROM unnest(p_units, p_unit_communes) AS u(unit_id, commune_id)
		  JOIN hr.assignments a ON a.work_unit_id = u.unit_id
		 WHERE a.span @> p_day AND a.category <> 'volunteer'),
	r1 AS (
		SELECT cp.person_id, array_agg(cp.commune_id ORDER BY cp.commune_id)
			AS communes
		  FROM cp
		 WHERE cp.workforce AND cp.commune_id = ANY (p_untrained)
		 GROUP BY cp.person_id),
	r2 AS (
		SELECT cp.person_id, array_agg(cp.commune_id ORDER BY cp.commune_id)
			AS communes
		  FROM cp
		 WHERE cp.collaborator_qualifies
		   AND NOT EXISTS (SELECT FROM r1 WHERE r1.person_id = cp.person_id)
		 GROUP BY cp.person_id),
	-- The strongest category (lib.categories' order) of a rank-1
	-- person in the UNTRAINED communes, the allowance of a rank-2 one.
	r1_cat AS (
		SELECT r1.person_id, min(s.strength) AS strength
		  FROM r1
		  JOIN spells s ON s.person_id = r1.person_id
		   AND s.commune_id = ANY (r1.communes)
		 GROUP BY r1.person_id),
	r2_pay AS (
		SELECT r2.person_id, max(s.allowance_vnd) AS allowance
		  FROM r2
		  JOIN spells s ON s.person_id = r2.person_id
		   AND s.commune_id = ANY (r2.communes)
		   AND s.category = 'collaborator'
		 GROUP BY r2.person_id),
	-- People in a post, with the highest title recorded on its spells
	-- (V.09.04.01 sorts first).
	post AS (
		SELECT s.person_id,
		    array_agg(DISTINCT s.commune_id ORDER BY s.commune_id)
			AS communes,
		    min(s.title_code) AS title, min(s.strength) AS strength
		  FROM spells s
		 WHERE s.category IN ('professional', 'commune_post')
		 GROUP BY s.person_id),
	rec AS (
		SELECT p.person_id, p.communes, p.title, p.strength, q.top,
		    q.sw_top,
		    coalesce(c.sw_cert, false) AS sw_cert,
		    coalesce(c.tt1, false) AS tt1, coalesce(c.tt2, false) AS tt2,
		    coalesce(c.months, 0) AS months,
		    EXISTS (SELECT FROM training.practice_registrations r
			WHERE r.person_id = p.person_id AND r.status = 'active'
			  AND (r.expires_on IS NULL OR r.expires_on >= p_day))
			AS registered
		  FROM post p
		  CROSS JOIN LATERAL (
			SELECT max(training.level_rank(x.level)) AS top,
			    max(training.level_rank(x.level)) FILTER (WHERE
				x.field = ANY (lib.sw_fields())) AS sw_top
			  FROM training.qualifications x
			 WHERE x.person_id = p.person_id) q
		  CROSS JOIN LATERAL (
			SELECT bool_or(x.counts_as_sw_training) AS sw_cert,
			    bool_or(x.title_code = 'V.09.04.01') AS tt1,
			    bool_or(x.title_code = 'V.09.04.02') AS tt2,
			    trim_scale(sum(x.practice_months)) AS months
			  FROM training.certificates x
			 WHERE x.person_id = p.person_id) c),
	judged AS (
		SELECT r.person_id, t.code,
		    coalesce(r.top >= training.level_rank(t.min_level), false)
			AS level_ok,
		    coalesce(r.sw_top >= training.level_rank(t.min_level), false)
			OR r.sw_cert AS field_ok,
		    NOT t.needs_title_training OR r.tt1 OR
			(t.code = 'V.09.04.02' AND r.tt2) AS training_ok
		  FROM rec r CROSS JOIN lib.titles() t),
	met AS (
		SELECT j.person_id,
		    bool_or(j.code = 'V.09.04.03' AND j.level_ok AND j.field_ok
			AND j.training_ok) AS m3,
		    bool_or(j.code = 'V.09.04.02' AND j.level_ok AND j.field_ok
			AND j.training_ok) AS m2
		  FROM judged j GROUP BY j.person_id),
	target AS (
		SELECT r.*, coalesce(r.title, CASE
		    WHEN r.top >= training.level_rank('trung_cap') AND NOT m.m3
			THEN 'V.09.04.03'
		    WHEN r.top >= training.level_rank('dai_hoc') AND NOT m.m2
			THEN 'V.09.04.02' END) AS t,
		    CASE WHEN r.sw_top >= training.level_rank('dai_hoc') THEN 12
			WHEN r.sw_top = training.level_rank('cao_dang') THEN 9
			WHEN r.sw_top = training.level_rank('trung_cap') THEN 6
			END AS need
		  FROM rec r JOIN met m ON m.person_id = r.person_id),
	r3 AS (
		SELECT x.*, CASE
		    WHEN NOT g.level_ok THEN NULL
		    WHEN g.field_ok AND NOT g.training_ok
			THEN 'title_training_missing'
		    WHEN NOT g.field_ok AND g.training_ok
			THEN 'sw_certificate_missing' END AS title_reason,
		    x.need IS NOT NULL AND NOT x.registered AND x.months < x.need
			AS practice_short
		  FROM target x
		  LEFT JOIN judged g ON g.person_id = x.person_id AND g.code = x.t),
	-- Who is on the way to what, for the people with a need: planned
	-- or enrolled in a course that counts as social-work training (sw),
	-- or in a title training (the titles it is for).
	on_way AS (
		SELECT n.person_id, w.sw, w.titles
		  FROM (SELECT r1.person_id FROM r1 UNION
			SELECT r2.person_id FROM r2 UNION
			SELECT r3.person_id FROM r3
			 WHERE r3.title_reason IS NOT NULL OR r3.practice_short) n
		  CROSS JOIN LATERAL (
			SELECT coalesce(bool_or(k.counts_as_sw_training), false)
				AS sw,
			    coalesce(array_agg(k.title_code) FILTER (WHERE
				k.kind = 'title_training'), '{}') AS titles
			  FROM training.enrolments e
			  JOIN training.cohorts h ON h.id = e.cohort_id
			  JOIN training.courses k ON k.id = h.course_id
			 WHERE e.person_id = n.person_id
			   AND e.status IN ('planned', 'enrolled')) w),
	r3_on_way AS (
		SELECT r.*, CASE r.title_reason
		    WHEN 'sw_certificate_missing' THEN w.sw
		    WHEN 'title_training_missing' THEN r.t = ANY (w.titles)
			OR (r.t = 'V.09.04.02' AND 'V.09.04.01' = ANY (w.titles))
		    ELSE false END AS title_enrolled
		  FROM r3 r
		  JOIN on_way w ON w.person_id = r.person_id
		 WHERE r.title_reason IS NOT NULL OR r.practice_short),
	r3_rows AS (
		SELECT r.*, CASE WHEN r.title_enrolled THEN
			array_remove(ARRAY[CASE WHEN r.practice_short THEN
			    'practice_months_short' END], NULL)
		    ELSE array_remove(ARRAY[r.title_reason, CASE WHEN
			r.practice_short THEN 'practice_months_short' END], NULL)
		    END AS listed
		  FROM r3_on_way r)
	SELECT r1.person_id, 1, 'untrained_in_untrained_commune',
	    ARRAY['untrained_in_untrained_commune'], r1.communes,
	    (lib.categories())[c.strength], NULL::text, w.sw, NULL::jsonb
	  FROM r1
	  JOIN r1_cat c ON c.person_id = r1.person_id
	  JOIN on_way w ON w.person_id = r1.person_id
	UNION ALL
	SELECT r2.person_id, 2, 'collaborator_counting_toward_coverage',
	    ARRAY['collaborator_counting_toward_coverage'], r2.communes,
	    'collaborator', NULL, w.sw,
	    jsonb_build_object('allowance', p.allowance)
	  FROM r2
	  JOIN r2_pay p ON p.person_id = r2.person_id
	  JOIN on_way w ON w.person_id = r2.person_id
	UNION ALL
	SELECT r.person_id, 3, coalesce(r.listed[1], r.title_reason),
	    CASE WHEN r.listed = '{}' THEN ARRAY[r.title_reason] ELSE r.listed END,
	    r.communes, (lib.categories())[r.strength],
	    CASE WHEN coalesce(r.listed[1], r.title_reason) <>
		'practice_months_short' THEN r.t END,
	    r.listed = '{}',
	    jsonb_build_object('top', r.top, 'sw_top', r.sw_top,
		'months', r.months, 'need', r.need, 'title', r.t)
	  FROM r3_rows r
$$;

-- The needs as listed (listed true): each person once, at the best rank
-- not left out; and the people left out altogether, on their way for
-- every need they have (listed false), at their best rank.
CREATE FUNCTION lib.needs_listed(p_untrained integer[], p_units integer[],
    p_unit_communes integer[], p_day date)
RETURNS TABLE (person_id bigint, rank integer, reason text, reasons text[],
    commune_ids integer[], category text, title_code text, facts jsonb,
    listed boolean)
LANGUAGE sql STABLE
AS $$
	WITH n AS (SELECT * FROM lib.training_needs(p_untrained, p_units,
		p_unit_communes, p_day)),
	best AS (
		SELECT DISTINCT ON (n.person_id) n.*
		  FROM n WHERE NOT n.enrolled
		 ORDER BY n.person_id, n.rank),
	-- Left out altogether: on their way for every need they have.
	gone AS (
		SELECT DISTINCT ON (n.person_id) n.*
		  FROM n
		 WHERE n.enrolled AND NOT EXISTS (SELECT FROM best b
			WHERE b.person_id = n.person_id)
		 ORDER BY n.person_id, n.rank)
	SELECT b.person_id, b.rank, b.reason, b.reasons, b.commune_ids,
	    b.category, b.title_code, b.facts, true
	  FROM best b
	UNION ALL
	SELECT g.person_id, g.rank, g.reason, g.reasons, g.commune_ids,
	    g.category, g.title_code, g.facts, false
	  FROM gone g
$$;

-- A number of đồng as Vietnamese (2.340.000) or English (2,340,000)
-- write it.
CREATE FUNCTION lib.vnd(p_amount bigint, p_en boolean) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_en THEN to_char(p_amount, 'FM999,999,999,990')
	    ELSE translate(to_char(p_amount, 'FM999,999,999,990'), ',', '.') END
$$;

-- "a bachelor", "an intermediate diploma".
CREATE FUNCTION lib.a_an(p_noun text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN p_noun ~ '^[aeiou]' THEN 'an ' ELSE 'a ' END || p_noun
$$;

-- The level code of a level rank (training.level_rank's inverse).
CREATE FUNCTION lib.level_of(p_rank integer) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT (ARRAY['so_cap', 'trung_cap', 'cao_dang', 'dai_hoc', 'thac_si',
	    'tien_si'])[p_rank]
$$;

-- Why a person is listed, "Vietnamese / English" as eligibility criteria
-- say it.
CREATE FUNCTION lib.need_detail(p_reason text,
    p_commune_ids integer[], p_title text, f jsonb, p_day date)
RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	names	text;
	pay	bigint := (f ->> 'allowance')::bigint;
	base	bigint := plans.base_salary(p_day);
	top	text := lib.level_of((f ->> 'top')::integer);
	sw	text := lib.level_of((f ->> 'sw_top')::integer);
BEGIN
	CASE p_reason
	WHEN 'untrained_in_untrained_commune' THEN
		SELECT string_agg(g.name, ', ' ORDER BY g.code) INTO names
		  FROM geo.units g WHERE g.id = ANY (p_commune_ids);
		RETURN format('Chưa được đào tạo công tác xã hội; làm việc tại %s, nơi chưa có ai được đào tạo (UNTRAINED)',
		    names) || ' / ' ||
		    format('Not trained in social work; works in %s, where nobody is trained (UNTRAINED)',
		    names);
	WHEN 'collaborator_counting_toward_coverage' THEN
		RETURN format('Cộng tác viên có phụ cấp %s đồng/tháng, không thấp hơn lương cơ sở %s đồng, nên được tính vào độ bao phủ của xã (QĐ 112/QĐ-TTg), nhưng chưa được đào tạo công tác xã hội',
		    lib.vnd(pay, false), lib.vnd(base, false)) || ' / ' ||
		    format('A collaborator paid %s VND a month, at least the base salary (%s VND), so counts toward the commune''s coverage (Decision 112/QĐ-TTg), but is not trained in social work',
		    lib.vnd(pay, true), lib.vnd(base, true));
	WHEN 'title_training_missing' THEN
		RETURN format('Có bằng %s, đủ trình độ và ngành theo tiêu chuẩn chức danh %s; chỉ còn thiếu chứng chỉ bồi dưỡng theo tiêu chuẩn chức danh',
		    lib.level_label(top, false), p_title) || ' / ' ||
		    format('Holds %s and meets the level and field of the %s standard; lacks only the title-training certificate',
		    lib.a_an(lib.level_label(top, true)), p_title);
	WHEN 'sw_certificate_missing' THEN
		RETURN format('Có bằng %s thuộc ngành khác; chỉ còn thiếu chứng chỉ bồi dưỡng công tác xã hội để đạt tiêu chuẩn chức danh %s',
		    lib.level_label(top, false), p_title) || ' / ' ||
		    format('Holds %s in another field; lacks only a social-work training certificate to meet the %s standard',
		    lib.a_an(lib.level_label(top, true)), p_title);
	ELSE
		RETURN format('Phải có giấy chứng nhận đăng ký hành nghề từ 2027-01-01 và chưa có giấy còn hiệu lực; có bằng %s thuộc ngành phù hợp nhưng mới có %s/%s tháng thực hành có giám sát',
		    lib.level_label(sw, false), f ->> 'months', f ->> 'need') ||
		    ' / ' ||
		    format('Must hold a practice registration from 2027-01-01 and has none in force; holds %s in a qualifying field but only %s/%s months of supervised practice',
		    lib.a_an(lib.level_label(sw, true)), f ->> 'months', f ->> 'need');
	END CASE;
END
$$;

-- One listed person: the need, who and where.
CREATE FUNCTION lib.need_json(p_person bigint, p_rank integer,
    p_reason text, p_reasons text[], p_commune integer,
    p_commune_ids integer[], p_category text, p_title text, f jsonb,
    p_day date)
RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('person_id', p.id, 'reason', p_reason,
	    'rank', p_rank, 'full_name', p.full_name,
	    'citizen_id', lib.cccd_mask(p.citizen_id),
	    'commune_code', c.code, 'commune_name', c.name,
	    'commune_codes', (SELECT jsonb_agg(g.code ORDER BY g.code)
		FROM geo.units g WHERE g.id = ANY (p_commune_ids)),
	    'category', p_category, 'title_code', p_title,
	    'reasons', to_jsonb(p_reasons),
	    'detail', lib.need_detail(p_reason, p_commune_ids, p_title, f,
		p_day))
	  FROM hr.people p, geo.units c
	 WHERE p.id = p_person AND c.id = p_commune
$$;

-- GET /api/v1/provinces/{code}/training-needs?rank=&commune=&cursor=&limit=
-- Ordered by rank, the commune's code, then as people lists are (given
-- name, full name, id); keyset-paginated. As in every list of people,
-- only people whose record the caller may see (a person working in the
-- province whose record another province keeps is not listed to its
-- officers and steering; lib.sees_province). Besides the page:
-- communes_untrained (how many communes are UNTRAINED today) and
-- excluded_enrolled (people the filters would list who are left out
-- because they are planned or enrolled in a course that meets their
-- need).
CREATE FUNCTION api.training_needs(p_actor bigint, p_code text,
    p_rank text, p_commune text, p_cursor text, p_limit integer)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	k	jsonb := lib.cursor_in(p_cursor, 'r', 'c', 'g', 'f', 'id');
	day	date := current_date;
	s	record;
	communes integer[];
	u	record;
	untrained integer[];
	cid	integer;
	rk	integer;
	items	jsonb[];
	keys	jsonb[];
	excluded integer;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	s := lib.scope_resolve(me, 'province:' || p_code, false, day);
	PERFORM lib.param_in(p_rank, ARRAY['1', '2', '3'], 'rank');
	rk := p_rank::integer;
	IF k IS NOT NULL AND ((k ->> 'r') !~ '^[1-3]$' OR
	    (k ->> 'c') !~ '^[0-9]{5}$' OR (k ->> 'id') !~ '^[0-9]{1,18}$') THEN
		PERFORM lib.fail(400, 'bad-cursor',
		    'Con trỏ phân trang không hợp lệ.',
		    'The pagination cursor is not valid.', 'cursor');
	END IF;
	communes := lib.scope_communes(s.level, (s.unit).id, false, day);
	IF p_commune IS NOT NULL THEN
		cid := (lib.current_commune(p_commune, 'commune')).id;
		IF NOT cid = ANY (communes) THEN
			PERFORM lib.fail(422, 'commune-outside-province',
			    'Xã/phường này không thuộc tỉnh/thành phố đang xem.',
			    'This commune is not in the province.', 'commune');
		END IF;
	END IF;
	u := lib.scope_units(communes, false, day);
	untrained := lib.untrained_communes(communes, u.unit_ids, u.commune_ids,
	    day);
	WITH needs AS (
		SELECT x.*, p.given_name, p.full_name,
		    CASE WHEN cid IS NOT NULL THEN cid ELSE
		    (SELECT g.id FROM geo.units g WHERE g.id = ANY (x.commune_ids)
		      ORDER BY g.code LIMIT 1) END AS commune_id
		  FROM lib.needs_listed(untrained, u.unit_ids, u.commune_ids,
			day) x
		  JOIN hr.people p ON p.id = x.person_id
		 WHERE (rk IS NULL OR x.rank = rk)
		   AND (cid IS NULL OR cid = ANY (x.commune_ids))
		   AND lib.sees_province(me, p.province_id)),
	keyed AS (
		SELECT x.*, c.code AS ccode
		  FROM needs x
		  JOIN geo.units c ON c.id = x.commune_id
		 WHERE x.listed),
	page AS (
		SELECT * FROM keyed x
		 WHERE k IS NULL OR (x.rank, x.ccode, x.given_name, x.full_name,
			x.person_id) > ((k ->> 'r')::integer, k ->> 'c',
			(k ->> 'g') COLLATE "vi-x-icu",
			(k ->> 'f') COLLATE "vi-x-icu", (k ->> 'id')::bigint)
		 ORDER BY x.rank, x.ccode, x.given_name, x.full_name, x.person_id
		 LIMIT n + 1)
	SELECT (SELECT array_agg(lib.need_json(x.person_id, x.rank, x.reason,
			x.reasons, x.commune_id, x.commune_ids, x.category,
			x.title_code, x.facts, day)
		    ORDER BY x.rank, x.ccode, x.given_name, x.full_name,
			x.person_id) FROM page x),
	    (SELECT array_agg(jsonb_build_object('r', x.rank, 'c', x.ccode,
			'g', x.given_name, 'f', x.full_name, 'id', x.person_id)
		    ORDER BY x.rank, x.ccode, x.given_name, x.full_name,
			x.person_id) FROM page x),
	    (SELECT count(*) FROM needs x WHERE NOT x.listed)
	  INTO items, keys, excluded;
	RETURN (lib.page(items, keys, n)::jsonb || jsonb_build_object(
	    'province_code', (s.unit).code, 'as_of', day,
	    'communes_untrained', cardinality(untrained),
	    'excluded_enrolled', excluded))::json;
END
$$;
