-- Seed training institutions named in the national plans and the
-- provincial seeds (domain.md §3). Their full records (recognition,
-- partnerships) arrive with the training issue.
INSERT INTO org.institutions (code, name, name_en, kind, province_id)
SELECT v.code, v.name, v.name_en, v.kind, p.id
  FROM (VALUES
	('ULSA', 'Trường Đại học Lao động – Xã hội',
	    'University of Labour and Social Affairs', 'university', '01'),
	('USSH-VNU', 'Trường Đại học Khoa học Xã hội và Nhân văn, ĐHQG Hà Nội',
	    'VNU University of Social Sciences and Humanities', 'university', '01'),
	('VWA', 'Học viện Phụ nữ Việt Nam',
	    'Vietnam Women''s Academy', 'university', '01'),
	('TUU', 'Trường Đại học Công đoàn',
	    'Trade Union University', 'university', '01'),
	('DTCC', 'Trường Cao đẳng Cộng đồng Đồng Tháp',
	    'Dong Thap Community College', 'college', '82')
  ) AS v (code, name, name_en, kind, province)
  JOIN geo.units p ON p.level = 'province' AND p.code = v.province
	AND p.valid_from = '2025-07-01'
ON CONFLICT (code) DO NOTHING;
