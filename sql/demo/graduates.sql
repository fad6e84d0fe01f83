-- Demo graduates and training records for `make run`, after demo.sql and
-- workforce.sql: ULSA's registrar registers its 2025 class (three new
-- graduates no province keeps yet) and the degrees of two Quảng Ninh
-- staff; the provinces' officers record degrees, certificates, supervised
-- practice and practice registrations, so that the eligibility of each
-- title and the practice-registration due list show every case (ready,
-- missing, expiring, suspended, expired). Written through the api
-- functions, so every row is audited and every graduate's credential
-- issued (the server's signer signs them). Names and citizen IDs are made
-- up. Loaded once: nothing is added when registered or recorded degrees
-- exist.
DO $$
DECLARE
	ulsa	bigint := (SELECT id FROM auth.users WHERE login = 'ulsa');
	qn	bigint := (SELECT id FROM auth.users WHERE login = 'hr.quangninh');
	dt	bigint := (SELECT id FROM auth.users WHERE login = 'hr.dongthap');
	g	jsonb;
	r	record;
BEGIN
	IF ulsa IS NULL OR qn IS NULL OR dt IS NULL OR EXISTS (SELECT
	    FROM training.qualifications WHERE source IN ('registrar', 'officer')) THEN
		RETURN;
	END IF;
	FOR g IN SELECT * FROM jsonb_array_elements('[
	    {"full_name": "Trần Thu Trang", "citizen_id": "001303004512",
	     "birth_date": "2003-04-12", "sex": "female",
	     "programme_code": "7760101", "programme_name": "Công tác xã hội",
	     "level": "dai_hoc", "field": "social_work",
	     "graduation_date": "2025-06-30", "diploma_number": "ULSA-2025-000145"},
	    {"full_name": "Lê Minh Đức", "citizen_id": "001203011875",
	     "birth_date": "2003-09-02", "sex": "male",
	     "programme_code": "7760101", "programme_name": "Công tác xã hội",
	     "level": "dai_hoc", "field": "social_work",
	     "graduation_date": "2025-06-30", "diploma_number": "ULSA-2025-000146"},
	    {"full_name": "Phạm Ngọc Ánh", "citizen_id": "001302027733",
	     "birth_date": "2002-12-20", "sex": "female",
	     "programme_code": "7310401", "programme_name": "Tâm lý học",
	     "level": "dai_hoc", "field": "psychology",
	     "graduation_date": "2025-06-30", "diploma_number": "ULSA-2025-000147"},
	    {"full_name": "Đỗ Văn Hùng", "citizen_id": "022094707058",
	     "birth_date": "1994-12-16", "sex": "male",
	     "programme_code": "7760101", "programme_name": "Công tác xã hội",
	     "level": "dai_hoc", "field": "social_work",
	     "graduation_date": "2016-06-30", "diploma_number": "ULSA-2016-000388"},
	    {"full_name": "Phạm Văn Hùng", "citizen_id": "022097997554",
	     "birth_date": "1997-09-27", "sex": "male",
	     "programme_code": "8760101", "programme_name": "Công tác xã hội",
	     "level": "thac_si", "field": "social_work",
	     "graduation_date": "2023-12-15", "diploma_number": "ULSA-TS-2023-0021"}
	]'::jsonb) LOOP
		PERFORM api.graduate_create(ulsa, 'demo', g);
	END LOOP;

	-- Officers' records: (citizen ID, what, body).
	FOR r IN SELECT p.id, v.what, v.body::jsonb AS body, v.officer
	  FROM (VALUES
		-- Phạm Văn Hùng: master's (above), title training, 12 months of
		-- practice, a registration that expires in two months.
		('022097997554', 'certificate', '{"kind": "title_training",
		    "name": "Bồi dưỡng theo tiêu chuẩn chức danh Công tác xã hội viên",
		    "institution_id": null, "issuer_name": "Trường Đại học Lao động – Xã hội",
		    "number": "BDCD-2019-0412", "issued_on": "2019-11-20", "hours": 200,
		    "title_code": "V.09.04.02"}', 'qn'),
		('022097997554', 'certificate', '{"kind": "practice_result",
		    "name": "Thực hành công tác xã hội có giám sát",
		    "issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
		    "issued_on": "2024-06-30", "practice_months": 12}', 'qn'),
		('022097997554', 'registration', '{"number": "CTXH-22-2025-0007",
		    "issued_by": "Sở Y tế tỉnh Quảng Ninh", "issued_on": "2025-01-20",
		    "expires_on": "@+60"}', 'qn'),
		-- Đỗ Văn Hùng: bachelor (above); registration suspended.
		('022094707058', 'registration', '{"number": "CTXH-22-2025-0011",
		    "issued_by": "Sở Y tế tỉnh Quảng Ninh", "issued_on": "2025-02-14",
		    "expires_on": "2030-02-14", "status": "suspended"}', 'qn'),
		-- Vũ Thị Yến (commune post): trung cấp in social work and six
		-- months of practice: ready, but not registered.
		('022193251589', 'qualification', '{"level": "trung_cap",
		    "field": "social_work", "programme_name": "Công tác xã hội",
		    "institution_name": "Trường Cao đẳng Y tế Quảng Ninh",
		    "awarded_on": "2014-06-30", "diploma_number": "TC-2014-0781"}', 'qn'),
		('022193251589', 'certificate', '{"kind": "practice_result",
		    "name": "Thực hành công tác xã hội có giám sát",
		    "issuer_name": "Văn phòng Công tác xã hội Hạ Long",
		    "issued_on": "2017-01-15", "practice_months": 6}', 'qn'),
		-- Nguyễn Văn Nam: an economics bachelor with a social-work course.
		('022081486450', 'qualification', '{"level": "dai_hoc",
		    "field": "other", "programme_code": "7310101",
		    "programme_name": "Kinh tế",
		    "institution_name": "Trường Đại học Kinh tế Quốc dân",
		    "awarded_on": "2004-06-30"}', 'qn'),
		('022081486450', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "issuer_name": "Trường Đại học Lao động – Xã hội",
		    "issued_on": "2018-10-12", "hours": 120,
		    "counts_as_sw_training": true}', 'qn'),
		-- Nguyễn Văn Cường (Đồng Tháp): sociology bachelor; registration
		-- expired.
		('087099495959', 'qualification', '{"level": "dai_hoc",
		    "field": "sociology", "programme_code": "7310301",
		    "programme_name": "Xã hội học",
		    "institution_name": "Trường Đại học Cần Thơ",
		    "awarded_on": "2021-06-30"}', 'dt'),
		('087099495959', 'registration', '{"number": "CTXH-82-2025-0003",
		    "issued_by": "Sở Y tế tỉnh Đồng Tháp", "issued_on": "2025-01-15",
		    "expires_on": "2026-01-15"}', 'dt')
	  ) AS v (cid, what, body, officer)
	  JOIN hr.people p ON p.citizen_id = v.cid
	LOOP
		IF r.body ->> 'expires_on' = '@+60' THEN
			r.body := r.body || jsonb_build_object('expires_on',
			    current_date + 60);
		END IF;
		r.body := jsonb_strip_nulls(r.body);
		CASE r.what
		WHEN 'qualification' THEN
			PERFORM api.qualification_create(CASE r.officer
			    WHEN 'qn' THEN qn ELSE dt END, 'demo', r.id, r.body);
		WHEN 'certificate' THEN
			PERFORM api.certificate_create(CASE r.officer
			    WHEN 'qn' THEN qn ELSE dt END, 'demo', r.id, r.body);
		ELSE
			PERFORM api.practice_registration_create(CASE r.officer
			    WHEN 'qn' THEN qn ELSE dt END, 'demo', r.id, r.body);
		END CASE;
	END LOOP;
END
$$;
