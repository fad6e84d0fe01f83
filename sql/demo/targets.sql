-- Demo gaps for `make run`, loaded after the other demo files: enough
-- commune staff in Quảng Ninh (22) and Đồng Tháp (82), and a little in
-- Hồ Chí Minh (79) and Cà Mau (96), that the gap report
-- (api.province_gaps, 80_indicators.sql) shows every flag on real
-- communes: communes covered by an official and a collaborator with
-- trained staff (no flag), covered only by a concurrent official
-- (CONCURRENT_ONLY), a collaborator paid below the base salary
-- (ALLOWANCE_BELOW_BASE), staff nobody trained (UNTRAINED), two
-- resignations in a year (HIGH_TURNOVER), a trained social worker moved
-- to the provincial rehabilitation centre four months ago and replaced by
-- an untrained official (TRAINED_LOST), a new commune office whose staff
-- all came this year (SHORT_TENURE), an official retired five months ago
-- and not replaced (VACANT), and most communes with nobody (NO_STAFF).
--
-- Dates that make a flag are days before current_date ('-130'), so the
-- flags hold whatever day the demo is loaded; the allowances that must
-- reach the base salary are the base salary of that day ('base',
-- 'base+300000'), so a rise of the base salary does not turn them into
-- ALLOWANCE_BELOW_BASE.
--
-- The communes are ones the API tests leave alone: the tests take
-- communes by their offset in a province's list (helpers.bash's
-- `communes`), and tests/api/gaps.bats needs six Quảng Ninh communes
-- with no unit at offsets 2–13. Province 11 is training_needs.bats's own.
--
-- Everything goes through the api functions, as the provinces' officers
-- (hr.quangninh, hr.dongthap) and, for 79 and 96 where no demo officer
-- exists, as the demo administrator (audited with via 'demo'). Names and
-- citizen IDs are made up (the IDs are structurally valid: a 2004 province
-- code of birth registration, century and sex, birth year); training
-- records name real kinds of course and issuers but are illustrative.
-- Loaded once: nothing is added when the first of these people exists.
DO $$
DECLARE
	qn	bigint := (SELECT id FROM auth.users WHERE login = 'hr.quangninh');
	dt	bigint := (SELECT id FROM auth.users WHERE login = 'hr.dongthap');
	admin	bigint := (SELECT id FROM auth.users WHERE login = 'admin');
	base	bigint := coalesce(plans.base_salary(current_date), 2340000);
	units	jsonb := '{}';
	people	jsonb := '{}';
	spells	jsonb := '{}';
	r	record;
	body	jsonb;
	res	jsonb;
BEGIN
	IF qn IS NULL OR dt IS NULL OR admin IS NULL OR EXISTS (SELECT
	    FROM hr.people WHERE citizen_id = '022185304518') THEN
		RETURN;
	END IF;

	-- Work units: (key, who, name, kind, commune, opened).
	FOR r IN SELECT v.k, CASE v.who WHEN 'qn' THEN qn WHEN 'dt' THEN dt
		    ELSE admin END AS actor, v.name, v.kind, v.commune,
		    CASE WHEN v.opened LIKE '-%' THEN current_date + v.opened::integer
			ELSE v.opened::date END AS opened
	  FROM (VALUES
		-- Quảng Ninh
		('mk', 'qn', 'Phòng Công tác xã hội phường Mạo Khê', 'commune_office', '07069', '2015-03-01'),
		('ub-bv', 'qn', 'Phòng Công tác xã hội – Bệnh viện Việt Nam – Thụy Điển Uông Bí', 'hospital', '06811', '2019-06-01'),
		('ub', 'qn', 'Ủy ban nhân dân phường Uông Bí', 'commune_committee', '06811', NULL),
		('ub-cn', 'qn', 'Cơ sở cai nghiện ma túy tỉnh Quảng Ninh', 'rehab_centre', '06811', '2010-01-01'),
		('vd', 'qn', 'Ủy ban nhân dân đặc khu Vân Đồn', 'commune_committee', '06994', NULL),
		('vd-th', 'qn', 'Trường THCS Cái Rồng', 'school', '06994', NULL),
		('dtr', 'qn', 'Ủy ban nhân dân phường Đông Triều', 'commune_committee', '07093', NULL),
		('dtr-th', 'qn', 'Trường THCS Đông Triều', 'school', '07093', NULL),
		('bl', 'qn', 'Ủy ban nhân dân xã Bình Liêu', 'commune_committee', '06838', NULL),
		('hm', 'qn', 'Ủy ban nhân dân xã Hoành Mô', 'commune_committee', '06841', NULL),
		('dh', 'qn', 'Ủy ban nhân dân xã Đầm Hà', 'commune_committee', '06895', NULL),
		('co', 'qn', 'Ủy ban nhân dân phường Cửa Ông', 'commune_committee', '06781', NULL),
		('hh', 'qn', 'Ủy ban nhân dân xã Hải Hoà', 'commune_committee', '06799', NULL),
		('cx', 'qn', 'Ủy ban nhân dân phường Cao Xanh', 'commune_committee', '06658', NULL),
		('hb', 'qn', 'Ủy ban nhân dân phường Hoành Bồ', 'commune_committee', '07030', NULL),
		('lm', 'qn', 'Tổ Công tác xã hội xã Lương Minh', 'commune_office', '06985', '-200'),
		('bc', 'qn', 'Ủy ban nhân dân xã Ba Chẽ', 'commune_committee', '06978', NULL),
		('ct', 'qn', 'Ủy ban nhân dân đặc khu Cô Tô', 'commune_committee', '07192', NULL),
		-- Đồng Tháp
		('cl', 'dt', 'Ủy ban nhân dân phường Cao Lãnh', 'commune_committee', '29869', NULL),
		('cl-tt', 'dt', 'Trung tâm Công tác xã hội tỉnh Đồng Tháp', 'sw_centre', '29869', '2017-01-01'),
		('mt', 'dt', 'Ủy ban nhân dân phường Mỹ Trà', 'commune_committee', '29888', NULL),
		('hn', 'dt', 'Ủy ban nhân dân phường Hồng Ngự', 'commune_committee', '29955', NULL),
		('tm', 'dt', 'Ủy ban nhân dân xã Tháp Mười', 'commune_committee', '30037', NULL),
		('tn', 'dt', 'Ủy ban nhân dân xã Tam Nông', 'commune_committee', '30010', NULL),
		('cb', 'dt', 'Ủy ban nhân dân xã Cái Bè', 'commune_committee', '28360', NULL),
		('lvo', 'dt', 'Ủy ban nhân dân xã Lấp Vò', 'commune_committee', '30169', NULL),
		('th', 'dt', 'Ủy ban nhân dân xã Tân Hồng', 'commune_committee', '29926', NULL),
		-- Hồ Chí Minh, Cà Mau
		('sg', 'ad', 'Ủy ban nhân dân phường Sài Gòn', 'commune_committee', '26740', NULL),
		('vt', 'ad', 'Ủy ban nhân dân phường Vũng Tàu', 'commune_committee', '26506', NULL),
		('ax', 'ad', 'Ủy ban nhân dân phường An Xuyên', 'commune_committee', '32002', NULL),
		('bli', 'ad', 'Ủy ban nhân dân phường Bạc Liêu', 'commune_committee', '31825', NULL),
		('dm', 'ad', 'Ủy ban nhân dân xã Đất Mũi', 'commune_committee', '32248', NULL)
	  ) AS v (k, who, name, kind, commune, opened) LOOP
		res := api.work_unit_create(r.actor, 'demo', jsonb_strip_nulls(
		    jsonb_build_object('name', r.name, 'kind', r.kind,
			'commune_code', r.commune, 'opened_on', r.opened)))::jsonb;
		units := units || jsonb_build_object(r.k, res -> 'id');
	END LOOP;

	-- People: (key, who, name, citizen ID, sex, born, phone, ethnicity,
	-- keeping province).
	FOR r IN SELECT v.k, CASE v.who WHEN 'qn' THEN qn WHEN 'dt' THEN dt
		    ELSE admin END AS actor, v.name, v.cid, v.sex, v.born,
		    v.phone, v.ethnicity, v.province
	  FROM (VALUES
		-- Quảng Ninh
		('q01', 'qn', 'Trần Thị Thanh Huyền', '022185304518', 'female', '1985-04-12', '0983415207', NULL, '22'),
		('q02', 'qn', 'Phạm Đức Mạnh', '022090617243', 'male', '1990-09-03', '0912607348', NULL, '22'),
		('q03', 'qn', 'Nguyễn Thị Minh Phương', '022192458106', 'female', '1992-06-21', '0968230571', NULL, '22'),
		('q04', 'qn', 'Lê Thị Hồng', '022170093261', 'female', '1970-02-14', '0904718365', NULL, '22'),
		('q05', 'qn', 'Vũ Văn Thắng', '022083721954', 'male', '1983-11-30', '0936152840', NULL, '22'),
		('q06', 'qn', 'Đinh Thị Ngọc', '022194386027', 'female', '1994-07-08', '0387640912', NULL, '22'),
		('q07', 'qn', 'Hoàng Thị Thu Trang', '030191245870', 'female', '1991-03-17', '0974328106', NULL, '22'),
		('q08', 'qn', 'Bùi Văn Long', '022079518332', 'male', '1979-12-02', '0915873024', NULL, '22'),
		('q09', 'qn', 'Nguyễn Thị Lệ', '022188640715', 'female', '1988-05-25', '0356092781', NULL, '22'),
		('q10', 'qn', 'Đặng Quốc Toản', '022096207489', 'male', '1996-10-10', '0868417230', NULL, '22'),
		('q11', 'qn', 'Lý Thị Hạnh', '022187935160', 'female', '1987-01-19', '0947260913', NULL, '22'),
		('q12', 'qn', 'Phạm Văn Tuấn', '022093164827', 'male', '1993-08-14', '0399305186', NULL, '22'),
		('q13', 'qn', 'Ngô Thị Thu Hà', '034189572306', 'female', '1989-12-05', '0985174063', NULL, '22'),
		('q14', 'qn', 'Trịnh Thị Lan Anh', '022186418093', 'female', '1986-03-09', '0903826517', NULL, '22'),
		('q15', 'qn', 'Hà Văn Hiếu', '022091830546', 'male', '1991-07-27', '0376514208', NULL, '22'),
		('q16', 'qn', 'Đoàn Thị Bích Ngọc', '022184276915', 'female', '1984-10-30', '0914062379', NULL, '22'),
		('q17', 'qn', 'Vi Văn Sáng', '022082659031', 'male', '1982-06-02', '0967381520', 'Tày', '22'),
		('q18', 'qn', 'Chíu Thị Mai', '022190147862', 'female', '1990-11-11', '0328475106', 'Dao', '22'),
		('q19', 'qn', 'Lục Văn Hải', '022098503174', 'male', '1998-04-04', '0862140397', 'Tày', '22'),
		('q20', 'qn', 'Nguyễn Văn Khánh', '022080392648', 'male', '1980-08-18', '0936720481', NULL, '22'),
		('q21', 'qn', 'Trần Thị Nhung', '022195761203', 'female', '1995-02-27', '0389157624', NULL, '22'),
		('q22', 'qn', 'Lưu Thị Hoa', '022177084539', 'female', '1977-09-09', '0912384705', NULL, '22'),
		('q23', 'qn', 'Đỗ Minh Tuấn', '022092317860', 'male', '1992-01-31', '0975603148', NULL, '22'),
		('q24', 'qn', 'Phan Văn Định', '036075468291', 'male', '1975-05-15', '0904253916', NULL, '22'),
		('q25', 'qn', 'Mai Thị Thu', '022183925407', 'female', '1983-03-03', '0348906172', NULL, '22'),
		('q26', 'qn', 'Tạ Thị Kim Oanh', '022181603758', 'female', '1981-12-12', '0983057214', NULL, '22'),
		('q27', 'qn', 'Vương Văn Dũng', '022097241685', 'male', '1997-05-06', '0359812047', NULL, '22'),
		('q28', 'qn', 'Lâm Thị Huế', '022199870352', 'female', '1999-08-19', '0867243095', NULL, '22'),
		('q29', 'qn', 'Cao Thị Diệu Linh', '022300456921', 'female', '2000-02-02', '0334716258', NULL, '22'),
		('q30', 'qn', 'Đặng Thị Thảo', '022198132074', 'female', '1998-09-14', '0971520846', NULL, '22'),
		('q31', 'qn', 'Nguyễn Hoàng Nam', '022201695438', 'male', '2001-03-22', '0392068157', NULL, '22'),
		('q32', 'qn', 'Triệu Văn Lợi', '022065278143', 'male', '1965-03-01', '0913746025', 'Dao', '22'),
		('q33', 'qn', 'La Thị Xuân', '022172836509', 'female', '1972-04-20', '0385621407', 'Sán Chỉ', '22'),
		('q34', 'qn', 'Nguyễn Thị Thúy', '022190502816', 'female', '1990-10-10', '0948175362', NULL, '22'),
		-- Đồng Tháp
		('d01', 'dt', 'Nguyễn Thị Kim Loan', '087184629035', 'female', '1984-05-05', '0918264037', NULL, '82'),
		('d02', 'dt', 'Võ Văn Phúc', '087093415728', 'male', '1993-02-11', '0939581702', NULL, '82'),
		('d03', 'dt', 'Huỳnh Thị Ngọc Trâm', '087195308647', 'female', '1995-12-24', '0377206519', NULL, '82'),
		('d04', 'dt', 'Lê Minh Trí', '087086752190', 'male', '1986-08-08', '0907314852', NULL, '82'),
		('d05', 'dt', 'Trương Thị Mỹ Duyên', '087196043582', 'female', '1996-06-16', '0868053714', NULL, '82'),
		('d06', 'dt', 'Phan Thị Thu Ba', '087179864213', 'female', '1979-03-30', '0919647028', NULL, '82'),
		('d07', 'dt', 'Đặng Văn Hòa', '087081237469', 'male', '1981-10-01', '0945120386', NULL, '82'),
		('d08', 'dt', 'Nguyễn Thị Hồng Nhung', '087197590364', 'female', '1997-04-18', '0396842150', NULL, '82'),
		('d09', 'dt', 'Lâm Văn Tài', '087090126857', 'male', '1990-01-09', '0977315620', NULL, '82'),
		('d10', 'dt', 'Trần Văn Út', '087078903416', 'male', '1978-07-07', '0913508274', NULL, '82'),
		('d11', 'dt', 'Lê Thị Cẩm Tú', '087194687250', 'female', '1994-09-29', '0355872019', NULL, '82'),
		('d12', 'dt', 'Nguyễn Văn Thành', '082085341907', 'male', '1985-11-11', '0908637241', NULL, '82'),
		('d13', 'dt', 'Phạm Thị Ánh Tuyết', '082188706523', 'female', '1988-12-01', '0984270615', NULL, '82'),
		('d14', 'dt', 'Huỳnh Văn Khang', '087099258106', 'male', '1999-05-20', '0332196840', NULL, '82'),
		('d15', 'dt', 'Ngô Thị Yến Nhi', '087300619842', 'female', '2000-07-15', '0869403572', NULL, '82'),
		('d16', 'dt', 'Trần Thị Mộng Cầm', '087187475031', 'female', '1987-02-14', '0917852604', NULL, '82'),
		-- Hồ Chí Minh
		('h01', 'ad', 'Nguyễn Ngọc Bảo Trân', '079191836204', 'female', '1991-04-04', '0903517428', NULL, '79'),
		('h02', 'ad', 'Trần Quốc Bảo', '079095402718', 'male', '1995-10-20', '0938260175', NULL, '79'),
		('h03', 'ad', 'Lê Thị Ngọc Hân', '077183569021', 'female', '1983-06-06', '0908741362', NULL, '79'),
		('h04', 'ad', 'Võ Thành Trung', '077089174635', 'male', '1989-09-09', '0976358021', NULL, '79'),
		-- Cà Mau
		('c01', 'ad', 'Dương Thị Thu Thảo', '096188250473', 'female', '1988-03-15', '0944162830', NULL, '96'),
		('c02', 'ad', 'Quách Văn Nghĩa', '096094718306', 'male', '1994-12-12', '0916380542', NULL, '96'),
		('c03', 'ad', 'Lý Thị Diễm My', '095193604152', 'female', '1993-08-08', '0827415036', NULL, '96'),
		('c04', 'ad', 'Tô Văn Lành', '096076385910', 'male', '1976-01-25', '0942807163', 'Khmer', '96')
	  ) AS v (k, who, name, cid, sex, born, phone, ethnicity, province) LOOP
		res := api.person_create(r.actor, 'demo', jsonb_strip_nulls(
		    jsonb_build_object('full_name', r.name, 'citizen_id', r.cid,
			'sex', r.sex, 'birth_date', r.born, 'phone', r.phone,
			'ethnicity', r.ethnicity, 'province_code', r.province)))::jsonb;
		people := people || jsonb_build_object(r.k, res -> 'id');
	END LOOP;

	-- Spells: (person, unit, category, fte, allowance, title, position,
	-- start, end, end reason). A leading '-' is days before today;
	-- 'base' is the base salary of today.
	FOR r IN SELECT v.*, CASE v.who WHEN 'qn' THEN qn WHEN 'dt' THEN dt
		    ELSE admin END AS actor
	  FROM (VALUES
		-- Mạo Khê: an official and a collaborator paid the base salary,
		-- a volunteer. No flag.
		('q01', 'qn', 'mk', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2015-03-01', NULL, NULL),
		('q02', 'qn', 'mk', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2018-05-01', NULL, NULL),
		('q03', 'qn', 'ub-bv', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2019-07-01', NULL, NULL),
		('q04', 'qn', 'mk', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2016-04-01', NULL, NULL),
		-- Uông Bí: official and collaborator, trained, a hospital social
		-- worker; the rehabilitation centre takes Hoành Bồ's social
		-- worker (the transfer below). No flag.
		('q05', 'qn', 'ub', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2012-09-01', NULL, NULL),
		('q06', 'qn', 'ub', 'collaborator', 0.5, 'base+300000', NULL, 'Cộng tác viên CTXH', '2020-03-01', NULL, NULL),
		-- Hoành Bồ: the trained social worker leaves (transfer), an
		-- untrained official comes. TRAINED_LOST.
		('q07', 'qn', 'hb', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2017-08-01', NULL, NULL),
		('q08', 'qn', 'hb', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2014-01-01', NULL, NULL),
		('q09', 'qn', 'hb', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2019-02-01', NULL, NULL),
		('q10', 'qn', 'hb', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '-100', NULL, NULL),
		-- Vân Đồn: official, collaborator, a school counsellor. No flag.
		('q11', 'qn', 'vd', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2013-04-01', NULL, NULL),
		('q12', 'qn', 'vd', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2019-09-01', NULL, NULL),
		('q13', 'qn', 'vd-th', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2020-09-05', NULL, NULL),
		-- Đông Triều: the same. No flag.
		('q14', 'qn', 'dtr', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2011-10-01', NULL, NULL),
		('q15', 'qn', 'dtr', 'collaborator', 0.5, 'base+200000', NULL, 'Cộng tác viên CTXH', '2016-04-01', NULL, NULL),
		('q16', 'qn', 'dtr-th', 'concurrent', 0.25, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2018-09-05', NULL, NULL),
		-- Bình Liêu: a trained justice official doing social work part
		-- time. CONCURRENT_ONLY.
		('q17', 'qn', 'bl', 'concurrent', 0.3, NULL, NULL, 'Công chức Tư pháp – Hộ tịch kiêm nhiệm CTXH', '2019-01-01', NULL, NULL),
		-- Hoành Mô: the women's union chair part time and a collaborator
		-- on 1,000,000 a month. CONCURRENT_ONLY, ALLOWANCE_BELOW_BASE.
		('q18', 'qn', 'hm', 'concurrent', 0.5, NULL, NULL, 'Chủ tịch Hội Liên hiệp Phụ nữ xã kiêm nhiệm CTXH', '2021-01-01', NULL, NULL),
		('q19', 'qn', 'hm', 'collaborator', 0.5, '1000000', NULL, 'Cộng tác viên CTXH', '2022-06-01', NULL, NULL),
		-- Đầm Hà: a trained official, a collaborator on 1,500,000.
		('q20', 'qn', 'dh', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2010-07-01', NULL, NULL),
		('q21', 'qn', 'dh', 'collaborator', 0.5, '1500000', NULL, 'Cộng tác viên CTXH', '2021-03-01', NULL, NULL),
		-- Cửa Ông, Hải Hoà: covered, nobody trained.
		('q22', 'qn', 'co', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2008-03-01', NULL, NULL),
		('q23', 'qn', 'co', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2020-10-01', NULL, NULL),
		('q24', 'qn', 'hh', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2016-06-01', NULL, NULL),
		('q25', 'qn', 'hh', 'concurrent', 0.2, NULL, NULL, 'Bí thư Đoàn Thanh niên xã kiêm nhiệm CTXH', '2021-04-01', NULL, NULL),
		-- Cao Xanh: two collaborators resigned within the year, a third
		-- started a month ago. HIGH_TURNOVER.
		('q26', 'qn', 'cx', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2014-05-01', NULL, NULL),
		('q27', 'qn', 'cx', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2023-02-01', '-210', 'resigned'),
		('q28', 'qn', 'cx', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '-195', '-45', 'resigned'),
		('q29', 'qn', 'cx', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '-30', NULL, NULL),
		-- Lương Minh: an office set up this year, both staff new.
		-- SHORT_TENURE.
		('q30', 'qn', 'lm', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '-200', NULL, NULL),
		('q31', 'qn', 'lm', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '-90', NULL, NULL),
		-- Ba Chẽ: the only official retired five months ago; a volunteer
		-- is left. NO_STAFF, VACANT (and HIGH_TURNOVER: one of one).
		('q32', 'qn', 'bc', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2005-01-01', '-150', 'retired'),
		('q33', 'qn', 'bc', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2015-01-01', NULL, NULL),
		-- Cô Tô: one trained official, no collaborator.
		('q34', 'qn', 'ct', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2017-03-01', NULL, NULL),

		-- Cao Lãnh: official and collaborator, and the provincial
		-- centre's social worker, all trained. No flag.
		('d01', 'dt', 'cl', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2012-08-01', NULL, NULL),
		('d02', 'dt', 'cl', 'collaborator', 0.5, 'base+200000', NULL, 'Cộng tác viên CTXH', '2018-01-01', NULL, NULL),
		('d03', 'dt', 'cl-tt', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2018-09-01', NULL, NULL),
		-- Mỹ Trà: the same. No flag.
		('d04', 'dt', 'mt', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2014-02-01', NULL, NULL),
		('d05', 'dt', 'mt', 'collaborator', 0.5, 'base+300000', NULL, 'Cộng tác viên CTXH', '2020-07-01', NULL, NULL),
		-- Hồng Ngự: the women's union vice-chair part time, trained.
		-- CONCURRENT_ONLY.
		('d06', 'dt', 'hn', 'concurrent', 0.3, NULL, NULL, 'Phó Chủ tịch Hội Liên hiệp Phụ nữ phường kiêm nhiệm CTXH', '2020-01-01', NULL, NULL),
		-- Tháp Mười: a trained official, two collaborators below the base
		-- salary. ALLOWANCE_BELOW_BASE.
		('d07', 'dt', 'tm', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2009-05-01', NULL, NULL),
		('d08', 'dt', 'tm', 'collaborator', 0.5, '1200000', NULL, 'Cộng tác viên CTXH', '2021-09-01', NULL, NULL),
		('d09', 'dt', 'tm', 'collaborator', 0.5, '1500000', NULL, 'Cộng tác viên CTXH', '2019-03-01', NULL, NULL),
		-- Tam Nông, Cái Bè: covered, nobody trained.
		('d10', 'dt', 'tn', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2011-01-01', NULL, NULL),
		('d11', 'dt', 'tn', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2022-02-01', NULL, NULL),
		('d12', 'dt', 'cb', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2016-03-01', NULL, NULL),
		('d13', 'dt', 'cb', 'concurrent', 0.3, NULL, NULL, 'Công chức Tư pháp – Hộ tịch kiêm nhiệm CTXH', '2019-06-01', NULL, NULL),
		-- Lấp Vò: staff taken on after the 2025 merger, untrained.
		-- SHORT_TENURE, UNTRAINED.
		('d14', 'dt', 'lvo', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '-240', NULL, NULL),
		('d15', 'dt', 'lvo', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '-120', NULL, NULL),
		-- Tân Hồng: the trained official moved to the provincial centre
		-- forty days ago (the transfer below): vacant, not yet for 90
		-- days.
		('d16', 'dt', 'th', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2015-06-01', NULL, NULL),

		-- Sài Gòn: a trained official and a collaborator. No flag.
		('h01', 'ad', 'sg', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2016-10-01', NULL, NULL),
		('h02', 'ad', 'sg', 'collaborator', 0.5, 'base+1000000', NULL, 'Cộng tác viên CTXH', '2021-01-01', NULL, NULL),
		-- Vũng Tàu: an official and a part-time one, untrained.
		('h03', 'ad', 'vt', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2012-01-01', NULL, NULL),
		('h04', 'ad', 'vt', 'concurrent', 0.3, NULL, NULL, 'Công chức Tư pháp – Hộ tịch kiêm nhiệm CTXH', '2020-04-01', NULL, NULL),
		-- An Xuyên: a trained official, a collaborator on 1,800,000.
		('c01', 'ad', 'ax', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2013-05-01', NULL, NULL),
		('c02', 'ad', 'ax', 'collaborator', 0.5, '1800000', NULL, 'Cộng tác viên CTXH', '2020-06-01', NULL, NULL),
		-- Bạc Liêu: a trained collaborator paid the base salary only.
		('c03', 'ad', 'bli', 'collaborator', 0.5, 'base', NULL, 'Cộng tác viên CTXH', '2019-01-01', NULL, NULL),
		-- Đất Mũi: a part-time official, untrained.
		('c04', 'ad', 'dm', 'concurrent', 0.4, NULL, NULL, 'Công chức Văn phòng – Thống kê kiêm nhiệm CTXH', '2018-08-01', NULL, NULL)
	  ) AS v (p, who, u, category, fte, allowance, title, position, start,
	    stop, reason) LOOP
		res := api.assignment_create(r.actor, 'demo', jsonb_strip_nulls(
		    jsonb_build_object('person_id', people -> r.p,
			'work_unit_id', units -> r.u, 'category', r.category,
			'fte', r.fte,
			'allowance_vnd', CASE WHEN r.allowance LIKE 'base%'
			    THEN base + coalesce(nullif(substr(r.allowance, 6),
				'')::bigint, 0)
			    ELSE r.allowance::bigint END,
			'title_code', r.title, 'position', r.position,
			'start_date', CASE WHEN r.start LIKE '-%'
			    THEN current_date + r.start::integer
			    ELSE r.start::date END,
			'end_date', CASE WHEN r.stop LIKE '-%'
			    THEN current_date + r.stop::integer
			    ELSE r.stop::date END,
			'end_reason', r.reason)))::jsonb;
		spells := spells || jsonb_build_object(r.p || '/' || r.u,
		    res -> 'id');
	END LOOP;

	-- Moves: the spell ends that day (days before today) and the next
	-- starts the day after in the new unit.
	FOR r IN SELECT v.*, CASE v.who WHEN 'qn' THEN qn ELSE dt END AS actor
	  FROM (VALUES
		-- Hoành Bồ's social worker to the rehabilitation centre (Uông Bí).
		('q07', 'qn', 'hb', 'ub-cn', -122, '{}'),
		-- Tân Hồng's official to the provincial centre (Cao Lãnh), as a
		-- social-work employee.
		('d16', 'dt', 'th', 'cl-tt', -40, '{"category": "professional",
		    "title_code": "V.09.04.03",
		    "position": "Nhân viên công tác xã hội"}')
	  ) AS v (p, who, u, dest, ended, extra) LOOP
		PERFORM api.person_transfer(r.actor, 'demo',
		    (people ->> r.p)::bigint, jsonb_build_object(
			'assignment_id', spells -> (r.p || '/' || r.u),
			'work_unit_id', units -> r.dest,
			'end_date', current_date + r.ended,
			'end_reason', 'transferred') || r.extra::jsonb);
	END LOOP;

	-- Training records: degrees (qualification) and certificates. A
	-- leading '@' on a date is days before today; institution_code names
	-- an institution on record.
	FOR r IN SELECT v.p, v.what, v.body::jsonb AS body,
		    CASE v.who WHEN 'qn' THEN qn WHEN 'dt' THEN dt
			ELSE admin END AS actor
	  FROM (VALUES
		('q01', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "institution_code": "ULSA", "issued_on": "2019-10-25",
		    "hours": 80, "counts_as_sw_training": true}'),
		('q03', 'qn', 'qualification', '{"level": "dai_hoc",
		    "field": "social_work", "programme_code": "7760101",
		    "programme_name": "Công tác xã hội",
		    "institution_code": "ULSA", "awarded_on": "2014-06-30"}'),
		('q05', 'qn', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội cho cán bộ cấp xã",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Quảng Ninh",
		    "issued_on": "2016-08-19", "hours": 56,
		    "counts_as_sw_training": true}'),
		('q06', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ: Bảo vệ trẻ em",
		    "issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
		    "issued_on": "2023-09-15", "hours": 40,
		    "counts_as_sw_training": true}'),
		('q07', 'qn', 'qualification', '{"level": "dai_hoc",
		    "field": "social_work", "programme_code": "7760101",
		    "programme_name": "Công tác xã hội",
		    "institution_code": "USSH-VNU", "awarded_on": "2013-06-30"}'),
		('q08', 'qn', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội cho cán bộ cấp xã",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Quảng Ninh",
		    "issued_on": "2018-11-20", "hours": 70,
		    "counts_as_sw_training": true}'),
		-- A law degree: not social-work training.
		('q10', 'qn', 'qualification', '{"level": "dai_hoc",
		    "field": "other", "programme_code": "7380101",
		    "programme_name": "Luật",
		    "institution_name": "Trường Đại học Luật Hà Nội",
		    "awarded_on": "2018-06-30"}'),
		('q11', 'qn', 'qualification', '{"level": "dai_hoc",
		    "field": "sociology", "programme_code": "7310301",
		    "programme_name": "Xã hội học",
		    "institution_code": "USSH-VNU", "awarded_on": "2009-06-30"}'),
		('q12', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
		    "issued_on": "2021-05-20", "hours": 56,
		    "counts_as_sw_training": true}'),
		('q14', 'qn', 'qualification', '{"level": "dai_hoc",
		    "field": "social_work", "programme_code": "7760101",
		    "programme_name": "Công tác xã hội (vừa làm vừa học)",
		    "institution_code": "ULSA", "awarded_on": "2016-06-30"}'),
		('q16', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng công tác xã hội trường học",
		    "issuer_name": "Sở Giáo dục và Đào tạo tỉnh Quảng Ninh",
		    "issued_on": "2019-12-10", "hours": 40,
		    "counts_as_sw_training": true}'),
		('q17', 'qn', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội cho cán bộ cấp xã",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Quảng Ninh",
		    "issued_on": "2022-08-12", "hours": 56,
		    "counts_as_sw_training": true}'),
		('q20', 'qn', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội cho cán bộ cấp xã",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Quảng Ninh",
		    "issued_on": "2015-05-08", "hours": 70,
		    "counts_as_sw_training": true}'),
		('q26', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "institution_code": "ULSA", "issued_on": "2017-06-23",
		    "hours": 120, "counts_as_sw_training": true}'),
		('q30', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
		    "issued_on": "@150", "hours": 56,
		    "counts_as_sw_training": true}'),
		('q34', 'qn', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "issuer_name": "Trung tâm Công tác xã hội tỉnh Quảng Ninh",
		    "issued_on": "2020-07-17", "hours": 56,
		    "counts_as_sw_training": true}'),

		('d01', 'dt', 'qualification', '{"level": "trung_cap",
		    "field": "social_work", "programme_name": "Công tác xã hội",
		    "institution_code": "DTCC", "awarded_on": "2016-07-30"}'),
		('d02', 'dt', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ: Quản lý trường hợp",
		    "institution_code": "ULSA", "issued_on": "2024-06-14",
		    "hours": 56, "counts_as_sw_training": true}'),
		('d03', 'dt', 'qualification', '{"level": "dai_hoc",
		    "field": "social_work", "programme_code": "7760101",
		    "programme_name": "Công tác xã hội",
		    "institution_code": "ULSA", "awarded_on": "2017-06-30"}'),
		('d04', 'dt', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "institution_code": "ULSA", "issued_on": "2019-04-12",
		    "hours": 120, "counts_as_sw_training": true}'),
		('d06', 'dt', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội cho cán bộ cấp xã",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Đồng Tháp",
		    "issued_on": "2023-11-10", "hours": 56,
		    "counts_as_sw_training": true}'),
		('d07', 'dt', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "institution_code": "DTCC", "issued_on": "2013-09-20",
		    "hours": 80, "counts_as_sw_training": true}'),
		('d16', 'dt', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "institution_code": "ULSA", "issued_on": "2018-05-18",
		    "hours": 120, "counts_as_sw_training": true}'),

		('h01', 'ad', 'qualification', '{"level": "dai_hoc",
		    "field": "social_work", "programme_code": "7760101",
		    "programme_name": "Công tác xã hội",
		    "institution_name": "Trường Đại học Khoa học Xã hội và Nhân văn, ĐHQG TP. Hồ Chí Minh",
		    "awarded_on": "2013-06-30"}'),
		('c01', 'ad', 'certificate', '{"kind": "course",
		    "name": "Bồi dưỡng nghiệp vụ công tác xã hội",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Cà Mau",
		    "issued_on": "2016-09-23", "hours": 56,
		    "counts_as_sw_training": true}'),
		('c03', 'ad', 'certificate', '{"kind": "course",
		    "name": "Tập huấn kỹ năng công tác xã hội",
		    "issuer_name": "Sở Lao động – Thương binh và Xã hội tỉnh Bạc Liêu",
		    "issued_on": "2021-10-08", "hours": 56,
		    "counts_as_sw_training": true}')
	  ) AS v (p, who, what, body) LOOP
		body := r.body;
		IF body ? 'institution_code' THEN
			body := body - 'institution_code' || jsonb_build_object(
			    'institution_id', (SELECT id FROM org.institutions
				WHERE code = body ->> 'institution_code'));
		END IF;
		IF body ->> 'issued_on' LIKE '@%' THEN
			body := body || jsonb_build_object('issued_on',
			    current_date - substr(body ->> 'issued_on', 2)::integer);
		END IF;
		IF r.what = 'qualification' THEN
			PERFORM api.qualification_create(r.actor, 'demo',
			    (people ->> r.p)::bigint, body);
		ELSE
			PERFORM api.certificate_create(r.actor, 'demo',
			    (people ->> r.p)::bigint, body);
		END IF;
	END LOOP;
END
$$;
