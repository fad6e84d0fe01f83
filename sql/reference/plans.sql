-- The provincial plans the seeds name (domain.md §2), each scoped to its
-- province as it was when the plan was made: a pre-2025 geo.units row,
-- found by code and date, so its targets keep meaning after the 2025
-- mergers (old Đồng Tháp 87 is now part of Đồng Tháp 82). They need the
-- geography, which is why they are here and not in a migration (the
-- national plans and base salaries are in 0007_plan_seeds.sql).
--
-- Idempotent by plan code: a plan already present is left alone, and its
-- targets are inserted only with the plan, so a re-run never brings back
-- a target an administrator deleted or overwrites one they corrected.
--
-- Where a document's number or signing date is not known, signed_on is a
-- placeholder the note names, and every target resting on a guessed date
-- is unconfirmed.

-- Đồng Tháp (old province 87): workforce +10% by 2015 and +50% by 2020
-- against the start of the plan; every commune with 1–2 staff or
-- collaborators, later one official and one collaborator; 50% trained.
WITH g AS (
	SELECT id FROM geo.units
	 WHERE level = 'province' AND code = '87'
	   AND daterange(valid_from, valid_to, '[]') @> DATE '2011-01-01'
), p AS (
	INSERT INTO plans.plans (code, document, name, name_en, issued_by,
	    signed_on, period_from, period_to, province_id, note)
	SELECT 'DT-KH-2011',
	    'Kế hoạch thực hiện Đề án 32 của UBND tỉnh Đồng Tháp',
	    'Kế hoạch thực hiện Đề án phát triển nghề công tác xã hội (Đề án 32) trên địa bàn tỉnh Đồng Tháp',
	    'Đồng Tháp plan implementing Project 32 (social work as a profession)',
	    'UBND tỉnh Đồng Tháp', DATE '2011-01-01', DATE '2011-01-01',
	    DATE '2020-12-31', g.id,
	    'Số hiệu và ngày ký chưa xác định: kế hoạch ban hành năm 2011; 01/01/2011 là ngày tạm, cũng là ngày gốc của chỉ tiêu tăng trưởng. Tên kế hoạch được ghi theo nội dung. Phạm vi: tỉnh Đồng Tháp cũ (mã 87, trước 01/07/2025). (Number and signing date not known: issued in 2011; 2011-01-01 is a placeholder and the growth baseline. The name describes the plan. Scope: the old Đồng Tháp, code 87, before 2025-07-01.)'
	  FROM g
	ON CONFLICT (code) DO NOTHING
	RETURNING id, province_id
)
INSERT INTO plans.targets (plan_id, indicator, province_id, phase, due_date,
    threshold, baseline_date, source, unconfirmed, note)
SELECT p.id, v.indicator, p.province_id, v.phase, v.due_date::date,
    v.threshold, v.baseline_date::date, v.source, true, v.note
  FROM p, (VALUES
	('headcount_growth', '2011–2015', '2015-12-31', 10, '2011-01-01',
	    'Kế hoạch thực hiện Đề án 32 tỉnh Đồng Tháp: đến năm 2015 tăng 10% nhân viên, cán bộ và cộng tác viên',
	    'Chưa xác nhận: ngày gốc là ngày tạm của kế hoạch (01/01/2011). (Unconfirmed: the baseline is the plan''s placeholder date.)'),
	('headcount_growth', '2011–2020', '2020-12-31', 50, '2011-01-01',
	    'Kế hoạch thực hiện Đề án 32 tỉnh Đồng Tháp: đến năm 2020 tăng 50% so với khi bắt đầu kế hoạch',
	    'Chưa xác nhận: ngày gốc là ngày tạm của kế hoạch (01/01/2011). (Unconfirmed: the baseline is the plan''s placeholder date.)'),
	('trained_share', '2011–2020', '2020-12-31', 50, NULL,
	    'Kế hoạch thực hiện Đề án 32 tỉnh Đồng Tháp: 50% cán bộ cấp xã và nhân viên cơ sở được đào tạo, bồi dưỡng',
	    'Chưa xác nhận: hạn 31/12/2020 là năm kết thúc kế hoạch, văn bản chưa đối chiếu. (Unconfirmed: the due date is the end of the plan; the text was not checked.)'),
	('communes_covered', '2011–2015', '2015-12-31', 100, NULL,
	    'Kế hoạch thực hiện Đề án 32 tỉnh Đồng Tháp: mỗi xã có ít nhất 1–2 cán bộ, nhân viên hoặc cộng tác viên công tác xã hội',
	    'Chưa xác nhận: hạn 31/12/2015 (hết giai đoạn 1) là giả định. Chỉ số đo theo định nghĩa của QĐ 112 (cộng tác viên có phụ cấp không thấp hơn lương cơ sở). (Unconfirmed: the 2015 due date is assumed; measured with the Decision 112 definition.)'),
	('communes_covered_1plus1', '2016–2020', '2020-12-31', 100, NULL,
	    'Kế hoạch thực hiện Đề án 32 tỉnh Đồng Tháp: mỗi xã có ít nhất 1 cán bộ và 1 cộng tác viên công tác xã hội',
	    'Chưa xác nhận: hạn 31/12/2020 là giả định (văn bản nói "sau đó"). (Unconfirmed: the 2020 due date is assumed; the text says "later".)')
  ) AS v (indicator, phase, due_date, threshold, baseline_date, source, note);

-- Quảng Ninh (province 22 as on the signing day): the plan is on record,
-- its targets are not known yet.
INSERT INTO plans.plans (code, document, name, name_en, issued_by,
    signed_on, period_from, period_to, province_id, note)
SELECT 'QN-1811-2011', 'Kế hoạch 1811/KH-UBND',
    'Kế hoạch thực hiện Đề án phát triển nghề công tác xã hội (Đề án 32) trên địa bàn tỉnh Quảng Ninh',
    'Quảng Ninh plan implementing Project 32 (social work as a profession)',
    'UBND tỉnh Quảng Ninh', DATE '2011-05-24', DATE '2011-05-24',
    DATE '2020-12-31', g.id,
    'Ký ngày 24/05/2011. Thời hạn đến 31/12/2020 theo Đề án 32; chưa nhập chỉ tiêu. (Signed 2011-05-24; period taken to run with Project 32; no targets entered yet.)'
  FROM geo.units g
 WHERE g.level = 'province' AND g.code = '22'
   AND daterange(g.valid_from, g.valid_to, '[]') @> DATE '2011-05-24'
ON CONFLICT (code) DO NOTHING;

-- Cà Mau (old province 96): a higher target than Decision 112's 60%.
WITH g AS (
	SELECT id FROM geo.units
	 WHERE level = 'province' AND code = '96'
	   AND daterange(valid_from, valid_to, '[]') @> DATE '2021-01-22'
), p AS (
	INSERT INTO plans.plans (code, document, name, name_en, issued_by,
	    signed_on, period_from, period_to, province_id, note)
	SELECT 'CM-KH-112-2021',
	    'Kế hoạch thực hiện QĐ 112/QĐ-TTg của UBND tỉnh Cà Mau',
	    'Kế hoạch thực hiện Chương trình phát triển công tác xã hội giai đoạn 2021–2030 trên địa bàn tỉnh Cà Mau',
	    'Cà Mau plan implementing the social work programme 2021–2030',
	    'UBND tỉnh Cà Mau', DATE '2021-01-22', DATE '2021-01-22',
	    DATE '2030-12-31', g.id,
	    'Số hiệu và ngày ký chưa xác định: 22/01/2021 (ngày của QĐ 112) là ngày tạm; thời hạn theo QĐ 112. Phạm vi: tỉnh Cà Mau cũ (mã 96, trước 01/07/2025). (Number and signing date not known: 2021-01-22, the date of Decision 112, is a placeholder; period as Decision 112. Scope: the old Cà Mau, code 96, before 2025-07-01.)'
	  FROM g
	ON CONFLICT (code) DO NOTHING
	RETURNING id, province_id
)
INSERT INTO plans.targets (plan_id, indicator, province_id, phase, due_date,
    threshold, source, unconfirmed, note)
SELECT p.id, 'communes_covered', p.province_id, '2021–2025',
    DATE '2025-12-31', 70,
    'Kế hoạch thực hiện QĐ 112/QĐ-TTg tỉnh Cà Mau: 70% xã, phường, thị trấn có người làm công tác xã hội đến năm 2025',
    true,
    'Chưa xác nhận: con số 70% đến năm 2025 có trong tài liệu gốc nhưng văn bản (số, ngày) chưa xác định. (Unconfirmed: the figure is known, the document and its date are not.)'
  FROM p;

DO $$
BEGIN
	IF (SELECT count(*) FROM plans.plans WHERE code IN ('DT-KH-2011',
	    'QN-1811-2011', 'CM-KH-112-2021')) <> 3 THEN
		RAISE EXCEPTION 'provincial plans did not all load (province missing?)';
	END IF;
END
$$;
