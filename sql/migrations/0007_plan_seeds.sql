-- Committed facts for the targets work: the base salary by effective date
-- and the two national plans with their targets. Data only.
--
-- The provincial plans name a province as it was when they were made (a
-- historical geo.units row), and geo.units is empty when migrations run
-- (sql/load reference fills it afterwards, in make run and tests/run
-- alike), so they are seeded by sql/reference/plans.sql instead.
--
-- Everything here is editable through the API afterwards (audited); a
-- figure domain.md marks unconfirmed is seeded with unconfirmed = true.

-- Lương tối thiểu chung (until 2013), then lương cơ sở (from NĐ 66/2013),
-- each from the date its decree put it in force.
INSERT INTO plans.base_salaries (effective_from, amount_vnd, source) VALUES
('2009-05-01',   650000, 'NĐ 33/2009/NĐ-CP'),
('2010-05-01',   730000, 'NĐ 28/2010/NĐ-CP'),
('2011-05-01',   830000, 'NĐ 22/2011/NĐ-CP'),
('2012-05-01',  1050000, 'NĐ 31/2012/NĐ-CP'),
('2013-07-01',  1150000, 'NĐ 66/2013/NĐ-CP'),
('2016-05-01',  1210000, 'NĐ 47/2016/NĐ-CP'),
('2017-07-01',  1300000, 'NĐ 47/2017/NĐ-CP'),
('2018-07-01',  1390000, 'NĐ 72/2018/NĐ-CP'),
('2019-07-01',  1490000, 'NĐ 38/2019/NĐ-CP'),
('2023-07-01',  1800000, 'NĐ 24/2023/NĐ-CP'),
('2024-07-01',  2340000, 'NĐ 73/2024/NĐ-CP');

-- Decision 32/2010/QĐ-TTg (Đề án 32): about 60,000 people trained or
-- retrained over the decade. The per-phase split commonly quoted (10,000
-- then 50,000) is unconfirmed (domain.md §2), so both phase targets are
-- marked; the decade total is not.
WITH p AS (
	INSERT INTO plans.plans (code, document, name, name_en, issued_by,
	    signed_on, period_from, period_to, note)
	VALUES ('QD-32-2010', 'Quyết định 32/2010/QĐ-TTg',
	    'Đề án phát triển nghề công tác xã hội giai đoạn 2010–2020',
	    'Project on developing social work as a profession, 2010–2020',
	    'Thủ tướng Chính phủ', '2010-03-25', '2010-05-10', '2020-12-31',
	    'Ký ngày 25/03/2010, hiệu lực từ 10/05/2010; hai giai đoạn 2010–2015 và 2016–2020; kinh phí 2.347,4 tỷ đồng. (Signed 2010-03-25, in force 2010-05-10; two phases; budget VND 2,347.4 billion.)')
	RETURNING id
)
INSERT INTO plans.targets (plan_id, indicator, phase, due_date, threshold,
    baseline_date, source, unconfirmed, note)
SELECT p.id, v.indicator, v.phase, v.due_date::date, v.threshold,
    v.baseline_date::date, v.source, v.unconfirmed, v.note
  FROM p, (VALUES
	('people_trained_since', '2010–2015', '2015-12-31', 10000,
	    '2010-05-10', 'Quyết định 32/2010/QĐ-TTg, mục tiêu giai đoạn 2010–2015',
	    true, 'Chưa xác nhận: con số 10.000 người của giai đoạn 1 là cách chia thường được nêu, chưa đối chiếu với văn bản. (Unconfirmed: the commonly quoted phase split, not checked against the text.)'),
	('people_trained_since', '2016–2020', '2020-12-31', 50000,
	    '2016-01-01', 'Quyết định 32/2010/QĐ-TTg, mục tiêu giai đoạn 2016–2020',
	    true, 'Chưa xác nhận: con số 50.000 người của giai đoạn 2 là cách chia thường được nêu, chưa đối chiếu với văn bản. (Unconfirmed: the commonly quoted phase split, not checked against the text.)'),
	('people_trained_since', '2010–2020', '2020-12-31', 60000,
	    '2010-05-10', 'Quyết định 32/2010/QĐ-TTg, mục tiêu chung 2010–2020: đào tạo, bồi dưỡng khoảng 60.000 người',
	    false, NULL)
  ) AS v (indicator, phase, due_date, threshold, baseline_date, source,
    unconfirmed, note);

-- Decision 112/QĐ-TTg, the programme 2021–2030: communes with social-work
-- staff or collaborators paid at least the base salary, staff trained,
-- facilities providing services. The 2030 training figure is
-- unconfirmed (domain.md §2).
WITH p AS (
	INSERT INTO plans.plans (code, document, name, name_en, issued_by,
	    signed_on, period_from, period_to)
	VALUES ('QD-112-2021', 'Quyết định 112/QĐ-TTg',
	    'Chương trình phát triển công tác xã hội giai đoạn 2021–2030',
	    'Social work development programme, 2021–2030',
	    'Thủ tướng Chính phủ', '2021-01-22', '2021-01-22', '2030-12-31')
	RETURNING id
)
INSERT INTO plans.targets (plan_id, indicator, phase, due_date, threshold,
    source, unconfirmed, note)
SELECT p.id, v.indicator, v.phase, v.due_date::date, v.threshold, v.source,
    v.unconfirmed, v.note
  FROM p, (VALUES
	('communes_covered', '2021–2025', '2025-12-31', 60,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2025: 60% xã, phường, thị trấn có 1–2 người làm công tác xã hội hoặc cộng tác viên có phụ cấp không thấp hơn lương cơ sở',
	    false, NULL),
	('communes_covered', '2026–2030', '2030-12-31', 90,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2030: 90% xã, phường, thị trấn',
	    false, NULL),
	('trained_share', '2021–2025', '2025-12-31', 30,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2025: ít nhất 30% người làm công tác xã hội và cộng tác viên được đào tạo',
	    false, NULL),
	('trained_share', '2026–2030', '2030-12-31', 50,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2030',
	    true, 'Chưa xác nhận: tỷ lệ 50% đến năm 2030 chưa được đối chiếu với văn bản; sửa lại khi có. (Unconfirmed: the 2030 figure is not confirmed; correct it when it is.)'),
	('facilities_with_professional', '2021–2025', '2025-12-31', 50,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2025: ít nhất 50% cơ sở cung cấp dịch vụ công tác xã hội',
	    false, NULL),
	('facilities_with_professional', '2026–2030', '2030-12-31', 60,
	    'Quyết định 112/QĐ-TTg, mục tiêu đến năm 2030: 60% cơ sở cung cấp dịch vụ công tác xã hội',
	    false, NULL)
  ) AS v (indicator, phase, due_date, threshold, source, unconfirmed, note);
