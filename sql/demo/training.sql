-- Demo training data for `make run`, loaded after workforce.sql: the five
-- seed institutions recognised, ULSA's agreements with Đồng Tháp (province
-- 82, which since July 2025 also covers the former Tiền Giang) and with the
-- Đồng Tháp community college, a small course catalogue, and the classes:
-- the part-time intermediate social-work class of 70 ULSA taught in Đồng
-- Tháp with the college (domain.md §3), now completed, with the demo
-- people of Đồng Tháp enrolled and most of them graduated; a case
-- management course running in Đồng Tháp; title training planned in
-- Quảng Ninh.
--
-- Everything goes through the api functions as the demo administrator
-- (audited with via 'demo'), so completions record their qualifications
-- and issue their credentials exactly as the server would; the server's
-- signer signs those credentials when it next runs. Loaded once: nothing
-- is added when the catalogue has courses.
--
-- The recognition decisions and agreement numbers are ILLUSTRATIVE: they
-- follow the shape of real ones (number/year/issuer) but are not the
-- actual decisions of the Ministry or of the institutions.
DO $$
DECLARE
	admin	bigint;
	ulsa	integer;
	dtcc	integer;
	tuu	integer;
	k_tc	integer;
	k_qlth	integer;
	k_title	integer;
	p_dt	integer;
	p_ii	integer;
	p_qn	integer;
	h_tc	integer;
	h_qlth	integer;
	h_title	integer;
	r	record;
	e	bigint;
	n	integer := 0;
BEGIN
	IF EXISTS (SELECT FROM training.courses) THEN
		RETURN;
	END IF;
	SELECT id INTO admin FROM auth.users WHERE login = 'admin';
	SELECT id INTO ulsa FROM org.institutions WHERE code = 'ULSA';
	SELECT id INTO dtcc FROM org.institutions WHERE code = 'DTCC';
	SELECT id INTO tuu FROM org.institutions WHERE code = 'TUU';

	-- Recognition (illustrative decision numbers, see above) and contacts.
	FOR r IN SELECT i.id, v.decision, v.on_::date AS on_, v.contact,
		    v.email, v.phone, v.address, v.website
		   FROM (VALUES
			('ULSA', '1234/QĐ-LĐTBXH', '2011-08-15', 'Phòng Đào tạo',
			    'daotao@ulsa.edu.vn', '02435566175',
			    '43 Trần Duy Hưng, Trung Hòa, Hà Nội', 'https://ulsa.edu.vn'),
			('USSH-VNU', '2345/QĐ-LĐTBXH', '2011-09-20', 'Phòng Đào tạo',
			    'daotao@ussh.edu.vn', '02438585237',
			    '336 Nguyễn Trãi, Thanh Xuân, Hà Nội', 'https://ussh.vnu.edu.vn'),
			('VWA', '3456/QĐ-LĐTBXH', '2013-03-05', 'Phòng Quản lý đào tạo',
			    'daotao@vwa.edu.vn', '02437751750',
			    '68 Nguyễn Chí Thanh, Láng, Hà Nội', 'https://hvpnvn.edu.vn'),
			('TUU', '4567/QĐ-LĐTBXH', '2014-06-12', 'Phòng Đào tạo',
			    'daotao@dhcd.edu.vn', '02438573204',
			    '169 Tây Sơn, Đống Đa, Hà Nội', 'https://dhcd.edu.vn'),
			('DTCC', '567/QĐ-UBND', '2016-01-25', 'Phòng Đào tạo',
			    'daotao@dtcc.edu.vn', '02773851518',
			    '259 Thiên Hộ Dương, Cao Lãnh, Đồng Tháp', 'https://dtcc.edu.vn')
		   ) v (code, decision, on_, contact, email, phone, address, website)
		   JOIN org.institutions i ON i.code = v.code LOOP
		PERFORM api.institution_update(admin, 'demo', r.id,
		    jsonb_build_object('recognised', true,
			'recognition_decision', r.decision, 'recognised_on', r.on_,
			'contact_name', r.contact, 'contact_email', r.email,
			'contact_phone', r.phone, 'address', r.address,
			'website', r.website));
	END LOOP;

	-- The catalogue.
	PERFORM api.course_create(admin, 'demo', '{"code": "CTXH-DH",
	    "name": "Cử nhân Công tác xã hội", "name_en": "Bachelor of Social Work",
	    "kind": "degree", "level": "dai_hoc", "field": "social_work",
	    "programme_code": "7760101", "hours": 3600,
	    "counts_as_sw_training": true}');
	k_tc := api.course_create(admin, 'demo', '{"code": "CTXH-TC-VLVH",
	    "name": "Trung cấp Công tác xã hội (vừa làm vừa học)",
	    "name_en": "Intermediate diploma in social work (part-time)",
	    "kind": "degree", "level": "trung_cap", "field": "social_work",
	    "hours": 1800, "counts_as_sw_training": true}')::jsonb ->> 'id';
	k_qlth := api.course_create(admin, 'demo', '{"code": "BD-QLTH",
	    "name": "Bồi dưỡng nghiệp vụ: Quản lý trường hợp",
	    "name_en": "Case management", "kind": "short_course",
	    "topic": "case_management", "hours": 56,
	    "counts_as_sw_training": true}')::jsonb ->> 'id';
	PERFORM api.course_create(admin, 'demo', '{"code": "BD-BVTE",
	    "name": "Bồi dưỡng nghiệp vụ: Bảo vệ trẻ em",
	    "name_en": "Child protection", "kind": "short_course",
	    "topic": "child_protection", "hours": 40,
	    "counts_as_sw_training": true}');
	k_title := api.course_create(admin, 'demo', '{"code": "BD-V.09.04.02",
	    "name": "Bồi dưỡng theo tiêu chuẩn chức danh Công tác xã hội viên (hạng III)",
	    "name_en": "Title training: social worker (rank III)",
	    "kind": "title_training", "title_code": "V.09.04.02", "hours": 240,
	    "counts_as_sw_training": true}')::jsonb ->> 'id';

	-- Agreements (illustrative numbers).
	p_dt := api.partnership_create(admin, 'demo', jsonb_build_object(
	    'institution_id', ulsa, 'province_code', '82',
	    'agreement_number', '45/2022/TTHT-ULSA-ĐT', 'signed_on', '2022-03-15',
	    'valid_from', '2022-04-01', 'valid_until', '2027-03-31',
	    'programmes', jsonb_build_array('CTXH-TC-VLVH', 'BD-QLTH', 'BD-BVTE'),
	    'seats_per_year', 120,
	    'notes', 'Đào tạo, bồi dưỡng đội ngũ cán bộ, viên chức và cộng tác viên CTXH của tỉnh.'))
	    ::jsonb ->> 'id';
	p_ii := api.partnership_create(admin, 'demo', jsonb_build_object(
	    'institution_id', ulsa, 'partner_institution_id', dtcc,
	    'agreement_number', '12/2023/HĐLK-ULSA-DTCC', 'signed_on', '2023-05-10',
	    'valid_from', '2023-06-01', 'valid_until', '2026-12-31',
	    'programmes', jsonb_build_array('CTXH-TC-VLVH'),
	    'seats_per_year', 70,
	    'notes', 'Liên kết đào tạo trung cấp CTXH hệ vừa làm vừa học tại Đồng Tháp.'))
	    ::jsonb ->> 'id';

	-- The part-time intermediate class of 70, taught by ULSA with the
	-- college, hosted by Đồng Tháp.
	h_tc := api.cohort_create(admin, 'demo', jsonb_build_object(
	    'course_id', k_tc, 'institution_id', ulsa, 'province_code', '82',
	    'partnership_id', p_ii,
	    'name', 'Lớp Trung cấp CTXH vừa làm vừa học Đồng Tháp khóa 2023–2025',
	    'start_date', '2023-09-05', 'end_date', '2025-08-30',
	    'capacity', 70, 'modality', 'part_time',
	    'funding', 'provincial_budget', 'status', 'running'))::jsonb ->> 'id';
	FOR r IN SELECT p.id FROM hr.people p JOIN geo.units g ON g.id = p.province_id
		  WHERE g.code = '82' AND g.level = 'province' ORDER BY p.id LOOP
		e := api.enrolment_create(admin, 'demo', h_tc,
		    jsonb_build_object('person_id', r.id, 'status', 'enrolled'))
		    ::jsonb ->> 'id';
		n := n + 1;
		-- Most graduate; one failed, one withdrew.
		PERFORM api.enrolment_update(admin, 'demo', e, CASE n
		    WHEN 3 THEN '{"status": "failed", "hours_attended": 900}'
		    WHEN 6 THEN '{"status": "withdrawn"}'
		    ELSE jsonb_build_object('status', 'completed',
			'hours_attended', 1700 + n * 10,
			'result', CASE WHEN n % 2 = 0 THEN 'Giỏi' ELSE 'Khá' END) END);
	END LOOP;
	PERFORM api.cohort_update(admin, 'demo', h_tc, '{"status": "completed"}');

	-- Case management, running in Đồng Tháp under the province agreement.
	h_qlth := api.cohort_create(admin, 'demo', jsonb_build_object(
	    'course_id', k_qlth, 'institution_id', ulsa, 'province_code', '82',
	    'partnership_id', p_dt,
	    'name', 'Lớp bồi dưỡng Quản lý trường hợp – Đồng Tháp 2026',
	    'start_date', '2026-11-02', 'end_date', '2026-11-27',
	    'capacity', 40, 'funding', 'national_programme',
	    'status', 'running'))::jsonb ->> 'id';
	PERFORM api.enrolments_bulk(admin, 'demo', h_qlth, jsonb_build_object(
	    'person_ids', (SELECT jsonb_agg(p.id ORDER BY p.id) FROM hr.people p
		JOIN geo.units g ON g.id = p.province_id
		WHERE g.code = '82' AND g.level = 'province'
		  AND p.highest_qualification IS NULL),
	    'status', 'enrolled'));

	-- Title training for Quảng Ninh's social workers, planned, under
	-- the agreement that lets TUU teach in the province (a cohort names
	-- its teaching institution only through one).
	p_qn := api.partnership_create(admin, 'demo', jsonb_build_object(
	    'institution_id', tuu, 'province_code', '22',
	    'agreement_number', '08/2026/TTHT-TUU-QN', 'signed_on', '2026-01-12',
	    'valid_from', '2026-02-01', 'valid_until', '2028-12-31',
	    'programmes', jsonb_build_array('BD-V.09.04.02'),
	    'seats_per_year', 100,
	    'notes', 'Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp cho viên chức CTXH của tỉnh.'))
	    ::jsonb ->> 'id';
	h_title := api.cohort_create(admin, 'demo', jsonb_build_object(
	    'course_id', k_title, 'institution_id', tuu, 'province_code', '22',
	    'partnership_id', p_qn,
	    'name', 'Bồi dưỡng chức danh Công tác xã hội viên – Quảng Ninh 2027',
	    'start_date', '2027-03-01', 'end_date', '2027-04-30',
	    'capacity', 50, 'funding', 'provincial_budget', 'status', 'open'))
	    ::jsonb ->> 'id';
	PERFORM api.enrolments_bulk(admin, 'demo', h_title, jsonb_build_object(
	    'person_ids', (SELECT jsonb_agg(DISTINCT a.person_id)
		FROM hr.assignments a JOIN hr.work_units w ON w.id = a.work_unit_id
		JOIN geo.units g ON g.id = w.province_id
	       WHERE g.code = '22' AND a.category = 'professional'
		 AND a.span @> current_date),
	    'status', 'planned'));
END
$$;
