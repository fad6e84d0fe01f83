-- Cohort plans: who to put in a social-work course of a given capacity so
-- that the most communes of a province stop being UNTRAINED, proposed
-- from the training needs (83_training_needs.sql) and kept in
-- plans.cohort_plans with the projection of what it would change.
-- Accepting a plan creates the cohort (planned) and one planned enrolment
-- per participant through the same functions as POST /api/v1/cohorts and
-- its enrolments (75_training.sql).
--
-- The proposal is a greedy maximum coverage: take, again and again, the
-- person whose spells cover the most communes still UNTRAINED (a person
-- may work in two), ties by training-needs rank then id; once no one
-- closes another commune, fill the seats left in training-needs order
-- with the people whose need the course meets (ranks 1 and 2 and a
-- missing social-work certificate; a missing title training when the
-- course is that title's training). Greedy is within a factor 1 - 1/e of
-- the best cover, and exact when no one works in two UNTRAINED communes.
-- Candidates are people whose record the province keeps (the ones its
-- officers may enrol) and who are not on their way already (planned or
-- enrolled in a course that meets the need).
--
-- Who may do what: administrators and the province's officers propose
-- and accept; steering members of the province read; another province's
-- plan is 404; registrars 403. Every write is audited.

-- The plan as the API shows it.
CREATE FUNCTION lib.cohort_plan_json(pl plans.cohort_plans) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', pl.id, 'province', g.code,
	    'province_name', g.name, 'course_id', c.id,
	    'course', jsonb_build_object('id', c.id, 'code', c.code,
		'name', c.name, 'kind', c.kind, 'title_code', c.title_code,
		'hours', c.hours),
	    'capacity', pl.capacity, 'as_of', pl.as_of,
	    'participants', pl.participants,
	    'communes_closed', (SELECT coalesce(sum(jsonb_array_length(
		x -> 'closes')), 0) FROM jsonb_array_elements(pl.participants) x),
	    'projection', pl.projection, 'status', pl.status,
	    'cohort_id', pl.cohort_id,
	    'created_by', (SELECT login FROM auth.users WHERE id = pl.created_by),
	    'created_at', pl.created_at, 'accepted_at', pl.accepted_at)
	  FROM geo.units g, training.courses c
	 WHERE g.id = pl.province_id AND c.id = pl.course_id
$$;

-- A plan the actor may read; 404 otherwise (another province's too).
CREATE FUNCTION lib.cohort_plan_seen(me auth.users, p_id bigint)
RETURNS plans.cohort_plans
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	pl	plans.cohort_plans;
BEGIN
	SELECT * INTO pl FROM plans.cohort_plans WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_area(me, pl.province_id) THEN
		PERFORM lib.not_found('kế hoạch lớp học', 'cohort plan');
	END IF;
	RETURN pl;
END
$$;

-- Whether a course meets a listed need: any course that counts as
-- social-work training meets ranks 1 and 2 and a missing social-work
-- certificate; a title-training course also a missing title training for
-- its title (V.09.04.01's also for V.09.04.02).
CREATE FUNCTION lib.course_meets(c training.courses, p_rank integer,
    p_reasons text[], p_title text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT c.counts_as_sw_training AND (p_rank IN (1, 2)
	    OR 'sw_certificate_missing' = ANY (p_reasons)
	    OR ('title_training_missing' = ANY (p_reasons)
		AND c.kind = 'title_training'
		AND (c.title_code = p_title OR (p_title = 'V.09.04.02' AND
		    c.title_code = 'V.09.04.01'))))
$$;

-- The proposal for a province (today's), a course and a capacity on
-- p_day: the participants in the order chosen, each with the UNTRAINED
-- communes their training closes, and the projection of the province's
-- indicators (as lib.scope_numbers counts them) before and after the
-- cohort.
CREATE FUNCTION lib.cohort_plan_propose(p_province integer,
    c training.courses, p_capacity integer, p_day date,
    OUT participants jsonb, OUT projection jsonb)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	communes integer[] := lib.scope_communes('province', p_province, false,
		    p_day);
	u	record := lib.scope_units(communes, false, p_day);
	untrained integer[];
	open	integer[];
	needs	jsonb;
	sets	jsonb;
	chosen	bigint[] := '{}';
	closes	jsonb := '{}';
	pick	bigint;
	shut	integer[];
	workforce integer;
	trained	integer;
	gain	integer;
	covered	integer;
	ts	jsonb;
	cc	jsonb;
BEGIN
	untrained := lib.untrained_communes(communes, u.unit_ids, u.commune_ids,
	    p_day);
	open := untrained;
	-- The listed needs of people the province keeps, in training-needs
	-- order (ord), computed once.
	SELECT jsonb_agg(jsonb_build_object('id', x.person_id, 'rank', x.rank,
		'reason', x.reason, 'communes', x.commune_ids,
		'meets', lib.course_meets(c, x.rank, x.reasons, x.title_code),
		'ord', x.ord))
	  INTO needs
	  FROM (SELECT l.*, row_number() OVER (ORDER BY l.rank,
			(SELECT min(g.code) FROM geo.units g
			  WHERE g.id = ANY (l.commune_ids)),
			p.given_name, p.full_name, p.id) AS ord
		  FROM lib.needs_listed(untrained, u.unit_ids, u.commune_ids,
			p_day) l
		  JOIN hr.people p ON p.id = l.person_id
		 WHERE l.listed AND p.province_id = p_province) x;
	needs := coalesce(needs, '[]');

	-- The people who cover the same UNTRAINED communes are alike but for
	-- the tie-break: keep the lowest id of each set of communes (every
	-- one of them is rank 1). Once one of a set is taken, the rest of it
	-- closes nothing more.
	SELECT coalesce(jsonb_agg(jsonb_build_object('c', s.c, 'id', s.id)),
	    '[]')
	  INTO sets
	  FROM (SELECT x -> 'communes' AS c, min((x ->> 'id')::bigint) AS id
		  FROM jsonb_array_elements(needs) x
		 WHERE (x ->> 'rank')::integer = 1 AND (x ->> 'meets')::boolean
		 GROUP BY x -> 'communes') s;
	WHILE cardinality(chosen) < p_capacity LOOP
		pick := NULL;
		SELECT (s ->> 'id')::bigint, ARRAY(SELECT e::integer
			FROM jsonb_array_elements_text(s -> 'c') e
		       WHERE e::integer = ANY (open) ORDER BY 1)
		  INTO pick, shut
		  FROM jsonb_array_elements(sets) s
		 ORDER BY (SELECT count(*) FROM jsonb_array_elements_text(s -> 'c') e
			WHERE e::integer = ANY (open)) DESC, (s ->> 'id')::bigint
		 LIMIT 1;
		EXIT WHEN pick IS NULL OR cardinality(shut) = 0;
		chosen := chosen || pick;
		closes := closes || jsonb_build_object(pick::text, shut);
		open := ARRAY(SELECT o FROM unnest(open) o
		    WHERE NOT o = ANY (shut) ORDER BY o);
	END LOOP;
	-- The seats left, in training-needs order.
	chosen := chosen || ARRAY(SELECT (x ->> 'id')::bigint
		  FROM jsonb_array_elements(needs) x
		 WHERE (x ->> 'meets')::boolean
		   AND NOT (x ->> 'id')::bigint = ANY (chosen)
		 ORDER BY (x ->> 'ord')::integer
		 LIMIT p_capacity - cardinality(chosen));

	SELECT coalesce(jsonb_agg(jsonb_build_object('person_id', p.id,
		'full_name', p.full_name,
		'commune_codes', (SELECT jsonb_agg(g.code ORDER BY g.code)
		    FROM geo.units g WHERE g.id = ANY (x.communes)),
		'closes', coalesce((SELECT jsonb_agg(g.code ORDER BY g.code)
		    FROM geo.units g WHERE g.id = ANY (ARRAY(SELECT e::integer
			FROM jsonb_array_elements_text(closes -> p.id::text) e))),
		    '[]'),
		'rank', x.rank, 'reason', x.reason)
		ORDER BY o.n), '[]')
	  INTO participants
	  FROM unnest(chosen) WITH ORDINALITY o (id, n)
	  JOIN hr.people p ON p.id = o.id
	  JOIN jsonb_to_recordset(needs) AS x (id bigint, rank integer,
		reason text, communes integer[]) ON x.id = o.id;

	-- The indicators' numbers as lib.scope_numbers counts them, from
	-- the same functions (lib.scope_people for trained_share,
	-- lib.commune_people for communes_covered), without the rest of its
	-- sheet. Training the untrained workforce members among the
	-- participants raises the trained share; no one is added to or
	-- taken from a post, so coverage stays.
	SELECT count(*) FILTER (WHERE s.categories <> '{volunteer}'),
	    count(*) FILTER (WHERE s.categories <> '{volunteer}' AND s.trained),
	    count(*) FILTER (WHERE s.categories <> '{volunteer}'
		AND NOT s.trained AND s.person_id = ANY (chosen))
	  INTO workforce, trained, gain
	  FROM lib.scope_people(u.unit_ids, p_day) s;
	SELECT count(DISTINCT cp.commune_id) INTO covered
	  FROM lib.commune_people(u.unit_ids, u.commune_ids, p_day) cp
	 WHERE cp.qualifies;
	ts := lib.indicator_item('trained_share', trained, workforce);
	cc := lib.indicator_item('communes_covered', covered,
	    cardinality(communes));
	projection := jsonb_build_object(
	    'trained_share', jsonb_build_object('before', ts -> 'value',
		'after', lib.indicator_item('trained_share', trained + gain,
		    workforce) -> 'value',
		'trained_before', trained, 'trained_after', trained + gain,
		'workforce', workforce),
	    'communes_untrained', jsonb_build_object(
		'before', cardinality(untrained), 'after', cardinality(open),
		'communes', cardinality(communes)),
	    'communes_covered', jsonb_build_object('before', cc -> 'value',
		'after', cc -> 'value', 'covered', covered,
		'communes', cardinality(communes)));
END
$$;

-- POST /api/v1/cohort-plans {course_id, capacity, province}: proposes
-- and stores a plan (status proposed).
CREATE FUNCTION api.cohort_plan_create(p_actor bigint, p_via text,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	prov	geo.units;
	c	training.courses;
	r	record;
	pl	plans.cohort_plans;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	PERFORM lib.fail_first(
	    lib.chk_num(p_body, 'course_id', true, true, 1, 2147483647, true,
		'Mã khóa học phải là số nguyên dương.',
		'course_id must be a positive integer.') ||
	    lib.chk_num(p_body, 'capacity', true, true, 1, 5000, true,
		'Sĩ số là số nguyên từ 1 đến 5.000.',
		'capacity is a whole number from 1 to 5,000.') ||
	    lib.chk_text(p_body, 'province', true, 2));
	prov := lib.current_province(lib.txt(p_body, 'province'), 'province');
	PERFORM lib.require_writes(me, prov.id, 'province');
	SELECT * INTO c FROM training.courses
	 WHERE id = (p_body ->> 'course_id')::bigint;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-course',
		    'Không có khóa học với mã số này.', 'No course has this id.',
		    'course_id');
	END IF;
	IF NOT c.counts_as_sw_training THEN
		PERFORM lib.fail(422, 'not-sw-training',
		    'Khóa học này không được tính là đào tạo công tác xã hội: học xong, không xã nào hết cảnh báo UNTRAINED.',
		    'This course does not count as social-work training: completing it clears no commune''s UNTRAINED flag.',
		    'course_id');
	END IF;
	IF NOT c.active THEN
		PERFORM lib.fail(422, 'course-inactive',
		    'Khóa học này không còn được mở.',
		    'This course is no longer offered.', 'course_id');
	END IF;
	r := lib.cohort_plan_propose(prov.id, c,
	    (p_body ->> 'capacity')::integer, current_date);
	INSERT INTO plans.cohort_plans (province_id, course_id, capacity, as_of,
	    participants, projection, created_by)
	VALUES (prov.id, c.id, (p_body ->> 'capacity')::integer, current_date,
	    r.participants, r.projection, me.id)
	RETURNING * INTO pl;
	PERFORM lib.audit(me, p_via, 'cohort_plan.create', 'cohort_plan',
	    pl.id::text, NULL, jsonb_build_object('province', prov.code,
		'course_id', c.id, 'capacity', pl.capacity, 'as_of', pl.as_of,
		'person_ids', (SELECT jsonb_agg(x -> 'person_id')
		    FROM jsonb_array_elements(pl.participants) x),
		'projection', pl.projection));
	RETURN lib.cohort_plan_json(pl);
END
$$;

-- GET /api/v1/cohort-plans/{id}
CREATE FUNCTION api.cohort_plan_get(p_actor bigint, p_id bigint)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer', 'steering');
	RETURN lib.cohort_plan_json(lib.cohort_plan_seen(me, p_id));
END
$$;

-- POST /api/v1/cohort-plans/{id}/accept {start_date, institution_id?,
-- partnership_id?, end_date, funding, name?, modality?}: the cohort is
-- created as POST /api/v1/cohorts creates one (same checks, same
-- problems), with the plan's course, province and capacity and status
-- planned; each participant gets a planned enrolment, in the plan's
-- order. A participant the actor can no longer enrol (the record moved
-- to another province) is 409 participant-unavailable and nothing is
-- written. A plan is accepted once (409 plan-accepted, linking the
-- cohort).
CREATE FUNCTION api.cohort_plan_accept(p_actor bigint, p_via text,
    p_id bigint, p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	pl	plans.cohort_plans;
	h	training.cohorts;
	e	training.enrolments;
	pid	bigint;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'hr_officer');
	pl := lib.cohort_plan_seen(me, p_id);
	PERFORM lib.require_writes(me, pl.province_id, NULL);
	SELECT * INTO pl FROM plans.cohort_plans WHERE id = pl.id FOR UPDATE;
	IF pl.status = 'accepted' THEN
		PERFORM lib.fail_link(409, 'plan-accepted',
		    'Kế hoạch này đã được chấp nhận và đã tạo lớp.',
		    'This plan was accepted already and its cohort created.',
		    'status', '/api/v1/cohorts/' || pl.cohort_id);
	END IF;
	h := lib.cohort_insert(me, p_via, (p_body - 'course_id' -
	    'province_code' - 'capacity' - 'status') || jsonb_build_object(
	    'course_id', pl.course_id,
	    'province_code', (SELECT code FROM geo.units
		WHERE id = pl.province_id),
	    'capacity', pl.capacity, 'status', 'planned'));
	h := lib.cohort_lock(h.id);
	FOR pid IN SELECT (x ->> 'person_id')::bigint
		     FROM jsonb_array_elements(pl.participants)
			WITH ORDINALITY a (x, n)
		    ORDER BY a.n LOOP
		IF (lib.enrollable(me, pid)).id IS NULL THEN
			PERFORM lib.fail(409, 'participant-unavailable',
			    format('Người có mã %s không còn trong hồ sơ tỉnh/thành phố bạn quản lý; hãy lập kế hoạch mới.', pid),
			    format('Person %s is no longer on your province''s records; make a new plan.', pid),
			    'participants');
		END IF;
		e := lib.enrolment_insert(h, pid, 'planned', 'participants');
		PERFORM lib.audit(me, p_via, 'enrolment.create', 'enrolment',
		    e.id::text, NULL, jsonb_build_object('cohort_id', h.id,
			'person_id', pid, 'status', e.status,
			'cohort_plan_id', pl.id));
	END LOOP;
	UPDATE plans.cohort_plans SET status = 'accepted', cohort_id = h.id,
	    accepted_at = now()
	 WHERE id = pl.id
	RETURNING * INTO pl;
	PERFORM lib.audit(me, p_via, 'cohort_plan.accept', 'cohort_plan',
	    pl.id::text, jsonb_build_object('status', 'proposed'),
	    jsonb_build_object('status', 'accepted', 'cohort_id', h.id));
	RETURN (lib.cohort_plan_json(pl) ||
	    jsonb_build_object('cohort', lib.cohort_detail(h)))::json;
END
$$;
