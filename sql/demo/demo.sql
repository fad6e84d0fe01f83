-- Demo accounts for `make run` (never loaded by migrations), all with the
-- password demo-2026, hashed by build/registry-passwd and passed in as
-- :demo_hash. Existing accounts are left as they are.
INSERT INTO auth.users (login, display_name, role, province_id,
    institution_id, password_hash)
SELECT v.login, v.display_name, v.role, p.id, i.id, :'demo_hash'
  FROM (VALUES
	('admin', 'Quản trị viên quốc gia', 'admin', NULL, NULL),
	('hr.quangninh', 'Cán bộ nhân sự Quảng Ninh', 'hr_officer', '22', NULL),
	('hr.dongthap', 'Cán bộ nhân sự Đồng Tháp', 'hr_officer', '82', NULL),
	('bcd.quangninh', 'Ban chỉ đạo tỉnh Quảng Ninh', 'steering', '22', NULL),
	('bcd.national', 'Ban chỉ đạo quốc gia', 'steering', NULL, NULL),
	('ulsa', 'Phòng Đào tạo – Trường Đại học Lao động – Xã hội',
	    'registrar', NULL, 'ULSA')
  ) AS v (login, display_name, role, province, institution)
  LEFT JOIN geo.units p ON p.level = 'province' AND p.code = v.province
	AND p.valid_from = '2025-07-01'
  LEFT JOIN org.institutions i ON i.code = v.institution
ON CONFLICT (login) DO NOTHING;
