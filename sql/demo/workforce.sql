-- Demo workforce for `make run`: Quảng Ninh's pilot network of social-work
-- offices (one town office, two commune offices and a school in Hạ Long and
-- Móng Cái, town offices in Quảng Yên and Tiên Yên), the provincial centre,
-- and a few commune committees and the protection centre of Đồng Tháp, with
-- staff and collaborators. Names and citizen IDs are made up (the IDs are
-- structurally valid). Loaded once: nothing is added when units exist.
DO $$
BEGIN
	IF EXISTS (SELECT FROM hr.work_units) THEN
		RETURN;
	END IF;
	INSERT INTO hr.work_units (name, kind, sector, ownership, commune_id,
	    province_id, opened_on)
	SELECT v.name, v.kind, CASE v.kind WHEN 'school' THEN 'education'
		WHEN 'commune_committee' THEN 'administration'
		ELSE 'social_protection' END, 'public', c.id, c.parent_id,
	    v.opened::date
	  FROM (VALUES
		('Trung tâm Công tác xã hội tỉnh Quảng Ninh', 'sw_centre', '06688', '2012-06-01'),
		('Văn phòng Công tác xã hội Hạ Long', 'commune_office', '06688', '2013-01-01'),
		('Phòng Công tác xã hội phường Hồng Gai', 'commune_office', '06685', '2013-01-01'),
		('Phòng Công tác xã hội phường Bãi Cháy', 'commune_office', '06673', '2013-01-01'),
		('Phòng tư vấn học đường Trường THCS Hạ Long', 'school', '06688', '2014-09-01'),
		('Văn phòng Công tác xã hội Móng Cái', 'commune_office', '06712', '2013-01-01'),
		('Phòng Công tác xã hội phường Móng Cái 2', 'commune_office', '06709', '2013-01-01'),
		('Phòng Công tác xã hội phường Móng Cái 3', 'commune_office', '06736', '2013-01-01'),
		('Phòng tư vấn học đường Trường THPT Móng Cái', 'school', '06712', '2014-09-01'),
		('Văn phòng Công tác xã hội Quảng Yên', 'commune_office', '07132', '2013-01-01'),
		('Văn phòng Công tác xã hội Tiên Yên', 'commune_office', '06862', '2013-01-01'),
		('Ủy ban nhân dân xã Tiên Yên', 'commune_committee', '06862', NULL),
		('Ủy ban nhân dân xã Đạo Thạnh', 'commune_committee', '28249', NULL),
		('Ủy ban nhân dân phường Mỹ Tho', 'commune_committee', '28261', NULL),
		('Ủy ban nhân dân xã Thới Sơn', 'commune_committee', '28270', NULL),
		('Trung tâm Bảo trợ xã hội tỉnh Đồng Tháp', 'protection_public', '28261', '2008-03-01')
	  ) AS v (name, kind, commune, opened)
	  JOIN geo.units c ON c.level = 'commune' AND c.code = v.commune
	   AND c.valid_to IS NULL;
	INSERT INTO hr.work_unit_places (work_unit_id, commune_id, valid, reason)
	SELECT id, commune_id, daterange(opened_on, NULL), 'created'
	  FROM hr.work_units;
	INSERT INTO hr.people (full_name, citizen_id, sex, birth_date, phone,
	    province_id)
	SELECT v.name, v.cid, v.sex, v.born::date, v.phone, p.id
	  FROM (VALUES
		('Phạm Văn Hùng', '022097997554', 'male', '1997-09-27', '0981399869', '22'),
		('Vũ Thị Yến', '022193251589', 'female', '1993-11-16', '0909114170', '22'),
		('Phạm Thị Yến', '022178416512', 'female', '1978-09-18', '0945568151', '22'),
		('Lê Văn Nam', '022094147732', 'male', '1994-07-19', '0994055761', '22'),
		('Vũ Thị Hương', '022172446109', 'female', '1972-08-17', '0989768469', '22'),
		('Nguyễn Thị Hương', '022179803027', 'female', '1979-08-08', '0920819672', '22'),
		('Đỗ Văn Hùng', '022094707058', 'male', '1994-12-16', '0978486488', '22'),
		('Hoàng Phương Thảo', '022192212369', 'female', '1992-08-12', '0944002978', '22'),
		('Lê Thị Lan', '022196489324', 'female', '1996-02-15', '0987680457', '22'),
		('Ngô Văn Cường', '022097271404', 'male', '1997-02-07', '0972671475', '22'),
		('Hoàng Thị Yến', '022174471224', 'female', '1974-04-08', '0901079819', '22'),
		('Bùi Thị Mai', '022167788377', 'female', '1967-08-23', '0984520599', '22'),
		('Nguyễn Văn Cường', '087099495959', 'male', '1999-03-26', '0992984162', '82'),
		('Bùi Phương Thảo', '082184409371', 'female', '1984-01-27', '0928360161', '82'),
		('Đỗ Thu Hà', '087187026824', 'female', '1987-08-19', '0987547517', '82'),
		('Nguyễn Minh Quân', '087074454670', 'male', '1974-01-07', '0995793186', '82'),
		('Nguyễn Thị Yến', '022167679719', 'female', '1967-04-26', '0980737028', '22'),
		('Nguyễn Thị Hương', '022175693342', 'female', '1975-05-06', '0926468616', '22'),
		('Nguyễn Văn Nam', '022081486450', 'male', '1981-08-04', '0976472587', '22'),
		('Đặng Thị Hương', '022182855797', 'female', '1982-09-26', '0913301756', '22'),
		('Đỗ Phương Thảo', '022176028505', 'female', '1976-10-23', '0952589831', '22'),
		('Đặng Văn Nam', '022078597515', 'male', '1978-07-06', '0949482141', '22'),
		('Đỗ Thị Mai', '022168795987', 'female', '1968-05-11', '0952185491', '22'),
		('Lê Thị Lan', '022181065933', 'female', '1981-01-10', '0906460013', '22'),
		('Nguyễn Văn Hùng', '022087330274', 'male', '1987-10-15', '0979906593', '22'),
		('Đỗ Ngọc Anh', '022172719809', 'female', '1972-01-10', '0958464506', '22'),
		('Phạm Thị Yến', '022183762447', 'female', '1983-04-18', '0914659085', '22'),
		('Ngô Văn Hùng', '022072169999', 'male', '1972-11-21', '0991102859', '22'),
		('Nguyễn Thu Hà', '087192373263', 'female', '1992-09-01', '0966636322', '82'),
		('Ngô Thị Yến', '082199932337', 'female', '1999-07-09', '0942300487', '82'),
		('Nguyễn Văn Nam', '087070579843', 'male', '1970-11-08', '0908458500', '82'),
		('Nguyễn Ngọc Anh', '087179972270', 'female', '1979-06-15', '0965384535', '82'),
		('Vũ Thị Yến', '022195940596', 'female', '1995-06-27', '0994326270', '22'),
		('Ngô Minh Quân', '022091834002', 'male', '1991-12-24', '0902145842', '22'),
		('Nguyễn Thị Mai', '022199227669', 'female', '1999-11-22', '0994906688', '22'),
		('Đặng Thị Lan', '022171089691', 'female', '1971-11-26', '0926584409', '22')
	  ) AS v (name, cid, sex, born, phone, province)
	  JOIN geo.units p ON p.level = 'province' AND p.code = v.province
	   AND p.valid_to IS NULL;
	INSERT INTO hr.assignments (person_id, work_unit_id, category, fte,
	    allowance_vnd, title_code, position, start_date, end_date, end_reason)
	SELECT p.id, w.id, v.category, v.fte, v.allowance, v.title, v.position,
	    v.start::date, v.stop::date, v.reason
	  FROM (VALUES
		('022097997554', 'Trung tâm Công tác xã hội tỉnh Quảng Ninh', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2015-03-01', NULL, NULL),
		('022193251589', 'Văn phòng Công tác xã hội Hạ Long', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2016-07-01', NULL, NULL),
		('022178416512', 'Phòng Công tác xã hội phường Hồng Gai', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2020-07-01', NULL, NULL),
		('022094147732', 'Phòng Công tác xã hội phường Bãi Cháy', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2017-03-01', '2019-12-31', 'contract_ended'),
		('022172446109', 'Phòng tư vấn học đường Trường THCS Hạ Long', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2015-01-01', NULL, NULL),
		('022179803027', 'Văn phòng Công tác xã hội Móng Cái', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2021-09-01', NULL, NULL),
		('022094707058', 'Phòng Công tác xã hội phường Móng Cái 2', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2018-07-01', NULL, NULL),
		('022192212369', 'Phòng Công tác xã hội phường Móng Cái 3', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2020-03-01', NULL, NULL),
		('022196489324', 'Phòng tư vấn học đường Trường THPT Móng Cái', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2020-01-01', NULL, NULL),
		('022097271404', 'Văn phòng Công tác xã hội Quảng Yên', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2014-07-01', NULL, NULL),
		('022174471224', 'Văn phòng Công tác xã hội Tiên Yên', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2020-03-01', '2022-12-31', 'resigned'),
		('022167788377', 'Ủy ban nhân dân xã Tiên Yên', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2012-01-01', NULL, NULL),
		('087099495959', 'Ủy ban nhân dân xã Đạo Thạnh', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2020-01-01', NULL, NULL),
		('082184409371', 'Ủy ban nhân dân phường Mỹ Tho', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2017-01-01', NULL, NULL),
		('087187026824', 'Ủy ban nhân dân xã Thới Sơn', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2017-07-01', NULL, NULL),
		('087074454670', 'Trung tâm Bảo trợ xã hội tỉnh Đồng Tháp', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2015-03-01', NULL, NULL),
		('022167679719', 'Trung tâm Công tác xã hội tỉnh Quảng Ninh', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2021-03-01', NULL, NULL),
		('022175693342', 'Văn phòng Công tác xã hội Hạ Long', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2014-01-01', '2016-12-31', 'contract_ended'),
		('022081486450', 'Phòng Công tác xã hội phường Hồng Gai', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2019-01-01', NULL, NULL),
		('022182855797', 'Phòng Công tác xã hội phường Bãi Cháy', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2013-09-01', NULL, NULL),
		('022176028505', 'Phòng tư vấn học đường Trường THCS Hạ Long', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2016-07-01', NULL, NULL),
		('022078597515', 'Văn phòng Công tác xã hội Móng Cái', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2022-01-01', NULL, NULL),
		('022168795987', 'Phòng Công tác xã hội phường Móng Cái 2', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2017-09-01', NULL, NULL),
		('022181065933', 'Phòng Công tác xã hội phường Móng Cái 3', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2019-01-01', NULL, NULL),
		('022087330274', 'Phòng tư vấn học đường Trường THPT Móng Cái', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2020-03-01', '2022-12-31', 'contract_ended'),
		('022172719809', 'Văn phòng Công tác xã hội Quảng Yên', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2022-09-01', NULL, NULL),
		('022183762447', 'Văn phòng Công tác xã hội Tiên Yên', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2021-07-01', NULL, NULL),
		('022072169999', 'Ủy ban nhân dân xã Tiên Yên', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2013-01-01', NULL, NULL),
		('087192373263', 'Ủy ban nhân dân xã Đạo Thạnh', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2013-09-01', NULL, NULL),
		('082199932337', 'Ủy ban nhân dân phường Mỹ Tho', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2016-07-01', NULL, NULL),
		('087070579843', 'Ủy ban nhân dân xã Thới Sơn', 'professional', 1.0, NULL, 'V.09.04.02', 'Công tác xã hội viên', '2022-03-01', NULL, NULL),
		('087179972270', 'Trung tâm Bảo trợ xã hội tỉnh Đồng Tháp', 'commune_post', 1.0, NULL, NULL, 'Công chức Văn hóa – Xã hội', '2014-07-01', '2016-12-31', 'contract_ended'),
		('022195940596', 'Trung tâm Công tác xã hội tỉnh Quảng Ninh', 'concurrent', 0.3, NULL, NULL, 'Giáo viên kiêm tư vấn học đường', '2020-07-01', NULL, NULL),
		('022091834002', 'Văn phòng Công tác xã hội Hạ Long', 'collaborator', 0.5, 2340000, NULL, 'Cộng tác viên CTXH', '2017-09-01', NULL, NULL),
		('022199227669', 'Phòng Công tác xã hội phường Hồng Gai', 'collaborator', 0.5, 1500000, NULL, 'Cộng tác viên CTXH', '2018-07-01', NULL, NULL),
		('022171089691', 'Phòng Công tác xã hội phường Bãi Cháy', 'volunteer', 0.1, NULL, NULL, 'Đội CTXH tình nguyện', '2014-03-01', NULL, NULL)
	  ) AS v (cid, unit, category, fte, allowance, title, position, start,
	    stop, reason)
	  JOIN hr.people p ON p.citizen_id = v.cid
	  JOIN hr.work_units w ON w.name = v.unit;
END
$$;
