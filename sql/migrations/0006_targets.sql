-- Targets and what they are measured with: the plans (legal documents)
-- and their targets, the base salary by effective date, the indicator
-- definitions, frozen quarterly snapshots for steering committees, and
-- proposed cohort plans. Plus a per-person summary of social-work
-- training, kept by triggers in the same transaction as the training
-- record, so every count of "trained" people reads one row per person.

CREATE SCHEMA plans;
GRANT USAGE ON SCHEMA plans TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA plans
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO registry_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA plans
	GRANT USAGE, SELECT ON SEQUENCES TO registry_api;

-- What an indicator measures, like a DHIS2 / WHO NHWA indicator sheet.
-- kind says how a target on it is read: a share (value = 100 *
-- numerator / denominator, "missing" counts numerator units), a count,
-- a rate, or growth against a baseline date (value in percent).
CREATE TABLE plans.indicators (
	code		text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,62}$'),
	position	integer NOT NULL UNIQUE,
	name_vi		text NOT NULL,
	name_en		text NOT NULL,
	numerator_vi	text NOT NULL,
	numerator_en	text NOT NULL,
	denominator_vi	text,
	denominator_en	text,
	unit		text NOT NULL CHECK (unit IN ('percent', 'people',
			    'fte', 'per_year')),
	kind		text NOT NULL CHECK (kind IN ('share', 'count',
			    'rate', 'growth')),
	-- What "missing" counts for a target on a share: communes, work
	-- units or people.
	counts		text NOT NULL CHECK (counts IN ('communes',
			    'work_units', 'people', 'fte')),
	-- Whether a target needs a baseline date (growth; a count of people
	-- trained since a date).
	needs_baseline	boolean NOT NULL DEFAULT false,
	definition_vi	text NOT NULL,
	definition_en	text NOT NULL,
	CHECK ((denominator_vi IS NULL) = (denominator_en IS NULL))
);

-- A plan: the legal document targets come from. A provincial plan names
-- the province as it was when the plan was made (a historical geo.units
-- row, e.g. old Đồng Tháp 87), so its targets keep meaning after mergers.
CREATE TABLE plans.plans (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[A-Z0-9][A-Z0-9.-]{1,39}$'),
	document	text NOT NULL CHECK (document = normalize(document, NFC)
			    AND length(document) BETWEEN 2 AND 100),
	name		text COLLATE "vi-x-icu" NOT NULL
			CHECK (name = normalize(name, NFC) AND name = btrim(name)
			    AND length(name) BETWEEN 2 AND 500),
	name_en		text CHECK (length(name_en) BETWEEN 2 AND 500),
	issued_by	text CHECK (length(issued_by) BETWEEN 2 AND 200),
	signed_on	date NOT NULL CHECK (signed_on >= '2000-01-01'),
	period_from	date NOT NULL,
	period_to	date NOT NULL,
	province_id	integer REFERENCES geo.units (id),
	note		text CHECK (length(note) BETWEEN 1 AND 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (period_to >= period_from)
);

CREATE TABLE plans.targets (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	plan_id		integer NOT NULL REFERENCES plans.plans (id),
	indicator	text NOT NULL REFERENCES plans.indicators (code),
	-- NULL: national. Otherwise a province row, today's or historical.
	province_id	integer REFERENCES geo.units (id),
	phase		text CHECK (length(phase) BETWEEN 1 AND 60),
	due_date	date NOT NULL,
	threshold	numeric(12, 2) NOT NULL CHECK (threshold >= 0),
	baseline_date	date CHECK (baseline_date < due_date),
	-- The article or clause, e.g. "Điều 1, khoản 2, điểm a".
	source		text NOT NULL CHECK (length(source) BETWEEN 2 AND 500),
	-- Seeded from a figure domain.md marks unconfirmed: shown as such
	-- until an administrator confirms or corrects it.
	unconfirmed	boolean NOT NULL DEFAULT false,
	note		text CHECK (length(note) BETWEEN 1 AND 2000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX targets_plan ON plans.targets (plan_id);
CREATE INDEX targets_province ON plans.targets (province_id);

-- Lương cơ sở from a date on: a collaborator counts toward Decision 112
-- only with an allowance at least the base salary in force that day.
CREATE TABLE plans.base_salaries (
	effective_from	date PRIMARY KEY CHECK (effective_from >= '2000-01-01'),
	amount_vnd	bigint NOT NULL CHECK (amount_vnd BETWEEN 1 AND 1000000000),
	source		text NOT NULL CHECK (length(source) BETWEEN 2 AND 300),
	unconfirmed	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- The base salary in force on a day; NULL before the first on record.
CREATE FUNCTION plans.base_salary(p_day date) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT amount_vnd FROM plans.base_salaries
	 WHERE effective_from <= p_day
	 ORDER BY effective_from DESC LIMIT 1
$$;
GRANT EXECUTE ON FUNCTION plans.base_salary(date) TO registry_api;

-- A province's indicators and gaps frozen for a quarter: what the
-- steering committee saw. Rows never change afterwards.
CREATE TABLE plans.snapshots (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	province_id	integer NOT NULL REFERENCES geo.units (id),
	period		text NOT NULL CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
	as_of		date NOT NULL,
	note		text CHECK (length(note) BETWEEN 1 AND 2000),
	indicators	jsonb NOT NULL,
	gaps		jsonb NOT NULL,
	created_by	bigint NOT NULL REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (province_id, period)
);

CREATE FUNCTION plans.snapshots_frozen() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'snapshot % is frozen', OLD.id
	    USING ERRCODE = 'check_violation',
		  CONSTRAINT = 'snapshots_frozen';
END
$$;
CREATE TRIGGER snapshots_frozen BEFORE UPDATE OR DELETE ON plans.snapshots
	FOR EACH ROW EXECUTE FUNCTION plans.snapshots_frozen();

-- A proposed cohort: who to train so that the most communes stop being
-- UNTRAINED. Accepting it creates the cohort and its planned enrolments.
CREATE TABLE plans.cohort_plans (
	id		integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	province_id	integer NOT NULL REFERENCES geo.units (id),
	course_id	integer NOT NULL REFERENCES training.courses (id),
	capacity	integer NOT NULL CHECK (capacity BETWEEN 1 AND 5000),
	as_of		date NOT NULL,
	participants	jsonb NOT NULL,
	projection	jsonb NOT NULL,
	status		text NOT NULL DEFAULT 'proposed'
			CHECK (status IN ('proposed', 'accepted')),
	cohort_id	integer REFERENCES training.cohorts (id),
	created_by	bigint NOT NULL REFERENCES auth.users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	accepted_at	timestamptz,
	CHECK ((status = 'accepted') = (cohort_id IS NOT NULL))
);

-- When each person first had social-work training: the earliest
-- certificate that counts or degree in a field the titles accept
-- (social work, sociology, psychology, special education, a related
-- social science). One row per trained person.
CREATE TABLE training.sw_trained (
	person_id	bigint PRIMARY KEY REFERENCES hr.people (id),
	trained_on	date NOT NULL
);

CREATE FUNCTION training.sw_trained_refresh(p_person bigint) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
	first	date;
BEGIN
	SELECT min(d) INTO first FROM (
		SELECT issued_on AS d FROM training.certificates
		 WHERE person_id = p_person AND counts_as_sw_training
		UNION ALL
		SELECT awarded_on FROM training.qualifications
		 WHERE person_id = p_person AND field IN ('social_work',
		    'sociology', 'psychology', 'special_education',
		    'related_social_science')) t;
	IF first IS NULL THEN
		DELETE FROM training.sw_trained WHERE person_id = p_person;
	ELSE
		INSERT INTO training.sw_trained (person_id, trained_on)
		VALUES (p_person, first)
		ON CONFLICT (person_id) DO UPDATE SET trained_on = EXCLUDED.trained_on
		 WHERE training.sw_trained.trained_on <> EXCLUDED.trained_on;
	END IF;
END
$$;

CREATE FUNCTION training.sw_trained_sync() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM training.sw_trained_refresh(OLD.person_id);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR
	    NEW.person_id <> OLD.person_id) THEN
		PERFORM training.sw_trained_refresh(NEW.person_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER certificates_sw_trained
	AFTER INSERT OR UPDATE OR DELETE ON training.certificates
	FOR EACH ROW EXECUTE FUNCTION training.sw_trained_sync();
CREATE TRIGGER qualifications_sw_trained
	AFTER INSERT OR UPDATE OR DELETE ON training.qualifications
	FOR EACH ROW EXECUTE FUNCTION training.sw_trained_sync();

INSERT INTO training.sw_trained (person_id, trained_on)
SELECT person_id, min(d) FROM (
	SELECT person_id, issued_on AS d FROM training.certificates
	 WHERE counts_as_sw_training
	UNION ALL
	SELECT person_id, awarded_on FROM training.qualifications
	 WHERE field IN ('social_work', 'sociology', 'psychology',
	    'special_education', 'related_social_science')) t
 GROUP BY person_id;

-- Spells ending in a window: turnover reads them by end date.
CREATE INDEX assignments_ended ON hr.assignments (end_date)
	WHERE end_date IS NOT NULL;

GRANT EXECUTE ON FUNCTION training.sw_trained_refresh(bigint) TO registry_api;

-- The indicator sheet. The computations are in sql/api/80_indicators.sql,
-- which reads these codes.
INSERT INTO plans.indicators (code, position, name_vi, name_en,
    numerator_vi, numerator_en, denominator_vi, denominator_en, unit, kind,
    counts, needs_baseline, definition_vi, definition_en) VALUES
('communes_covered', 10,
 'Tỷ lệ xã có người làm công tác xã hội',
 'Communes covered by social-work staff',
 'Số xã có ít nhất 1 người đủ điều kiện', 'Communes with at least one qualifying person',
 'Tổng số xã', 'Communes',
 'percent', 'share', 'communes', false,
 'Người đủ điều kiện: nhân viên CTXH chuyên trách, cán bộ cấp xã hoặc cán bộ kiêm nhiệm làm việc tại đơn vị trong xã, hoặc cộng tác viên có phụ cấp không thấp hơn lương cơ sở tại ngày tính (QĐ 112/QĐ-TTg). Tình nguyện viên không tính.',
 'A qualifying person: a professional social worker, commune post holder or concurrent-role staff member assigned to a work unit in the commune, or a collaborator whose allowance is at least the base salary on the day (Decision 112/QĐ-TTg). Volunteers never count.'),
('communes_covered_1plus1', 20,
 'Tỷ lệ xã có ít nhất 1 cán bộ và 1 cộng tác viên',
 'Communes with at least one official and one collaborator',
 'Số xã có ít nhất 1 cán bộ (chuyên trách, cấp xã hoặc kiêm nhiệm) và 1 cộng tác viên', 'Communes with at least one official (professional, commune post or concurrent) and one collaborator',
 'Tổng số xã', 'Communes',
 'percent', 'share', 'communes', false,
 'Chỉ tiêu "mỗi xã ít nhất 1 cán bộ và 1 cộng tác viên" của các kế hoạch tỉnh thực hiện Đề án 32; cộng tác viên tính không phụ thuộc mức phụ cấp.',
 'The provincial plans'' "each commune at least one official and one collaborator" (Project 32); any active collaborator counts, whatever the allowance.'),
('trained_share', 30,
 'Tỷ lệ người làm CTXH đã được đào tạo, bồi dưỡng',
 'Share of the workforce trained in social work',
 'Số người đang làm việc đã được đào tạo CTXH', 'Active workforce with social-work training',
 'Số người đang làm việc (trừ tình nguyện viên)', 'Active workforce (volunteers excluded)',
 'percent', 'share', 'people', false,
 'Đã được đào tạo: có văn bằng thuộc ngành công tác xã hội, xã hội học, tâm lý học, giáo dục đặc biệt hoặc khoa học xã hội liên quan, hoặc chứng chỉ/khóa học được tính là đào tạo CTXH, cấp trước hoặc vào ngày tính. Mỗi người tính một lần.',
 'Trained: a degree in social work, sociology, psychology, special education or a related social science, or a certificate or completed course that counts as social-work training, on or before the day. Each person counts once.'),
('headcount_total', 40,
 'Số người làm CTXH (trừ tình nguyện viên)', 'Workforce headcount (volunteers excluded)',
 'Số người có ít nhất một phân công đang hiệu lực', 'People with at least one active assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Mỗi người tính một lần dù có nhiều phân công.',
 'Each person counts once, whatever their number of assignments.'),
('headcount_professional', 41,
 'Số nhân viên CTXH chuyên trách', 'Professional social workers',
 'Số người có phân công chuyên trách đang hiệu lực', 'People with an active professional assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Theo loại phân công; một người có thể thuộc nhiều loại.',
 'By assignment category; one person may be in several.'),
('headcount_commune_post', 42,
 'Số cán bộ, công chức cấp xã làm CTXH', 'Commune post holders',
 'Số người có phân công cán bộ cấp xã đang hiệu lực', 'People with an active commune-post assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Theo loại phân công; một người có thể thuộc nhiều loại.',
 'By assignment category; one person may be in several.'),
('headcount_concurrent', 43,
 'Số cán bộ kiêm nhiệm', 'Concurrent-role staff',
 'Số người có phân công kiêm nhiệm đang hiệu lực', 'People with an active concurrent assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Theo loại phân công; một người có thể thuộc nhiều loại.',
 'By assignment category; one person may be in several.'),
('headcount_collaborator', 44,
 'Số cộng tác viên CTXH', 'Social-work collaborators',
 'Số người có phân công cộng tác viên đang hiệu lực', 'People with an active collaborator assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Theo loại phân công; một người có thể thuộc nhiều loại.',
 'By assignment category; one person may be in several.'),
('headcount_volunteer', 45,
 'Số thành viên đội CTXH tình nguyện', 'Volunteer team members',
 'Số người có phân công tình nguyện đang hiệu lực', 'People with an active volunteer assignment',
 NULL, NULL, 'people', 'count', 'people', false,
 'Đếm riêng, không bao giờ tính vào chỉ tiêu nhân lực.',
 'Counted apart; never toward staffing targets.'),
('fte_total', 50,
 'Quy đổi toàn thời gian (FTE)', 'Full-time equivalents',
 'Tổng tỷ lệ thời gian của các phân công đang hiệu lực (trừ tình nguyện)', 'Sum of the time shares of active assignments (volunteers excluded)',
 NULL, NULL, 'fte', 'count', 'fte', false,
 'Cán bộ kiêm nhiệm tính theo phần thời gian làm CTXH.',
 'Concurrent-role staff count by their share of time.'),
('fte_professional', 51, 'FTE chuyên trách', 'FTE, professional',
 'Tổng FTE của phân công chuyên trách', 'Sum of professional FTE',
 NULL, NULL, 'fte', 'count', 'fte', false,
 'Theo loại phân công.', 'By assignment category.'),
('fte_commune_post', 52, 'FTE cán bộ cấp xã', 'FTE, commune posts',
 'Tổng FTE của phân công cán bộ cấp xã', 'Sum of commune-post FTE',
 NULL, NULL, 'fte', 'count', 'fte', false,
 'Theo loại phân công.', 'By assignment category.'),
('fte_concurrent', 53, 'FTE kiêm nhiệm', 'FTE, concurrent roles',
 'Tổng FTE của phân công kiêm nhiệm', 'Sum of concurrent FTE',
 NULL, NULL, 'fte', 'count', 'fte', false,
 'Theo loại phân công.', 'By assignment category.'),
('fte_collaborator', 54, 'FTE cộng tác viên', 'FTE, collaborators',
 'Tổng FTE của phân công cộng tác viên', 'Sum of collaborator FTE',
 NULL, NULL, 'fte', 'count', 'fte', false,
 'Theo loại phân công.', 'By assignment category.'),
('headcount_growth', 60,
 'Tăng trưởng nhân lực so với ngày gốc', 'Workforce growth against a baseline date',
 'Số người tại ngày tính trừ số người tại ngày gốc', 'Headcount on the day minus headcount on the baseline date',
 'Số người tại ngày gốc', 'Headcount on the baseline date',
 'percent', 'growth', 'people', true,
 'Nhân viên, cán bộ và cộng tác viên (trừ tình nguyện viên) trên cùng địa bàn.',
 'Staff, officials and collaborators (volunteers excluded) of the same area.'),
('people_trained_since', 70,
 'Số người được đào tạo, bồi dưỡng từ ngày gốc', 'People trained since the baseline date',
 'Số người lần đầu được đào tạo CTXH trong khoảng từ ngày gốc đến ngày tính', 'People first trained in social work between the baseline date and the day',
 NULL, NULL, 'people', 'count', 'people', true,
 'Tính người (không tính lượt khóa học); người có phân công trên địa bàn trong khoảng đó. Chỉ tiêu 60.000 người của Đề án 32.',
 'People, not course places, with an assignment in the area during that span. Project 32''s 60,000 target.'),
('turnover_rate', 80,
 'Tỷ lệ nghỉ việc 12 tháng', 'Turnover, last 12 months',
 'Số lượt rời địa bàn trong 12 tháng', 'Separations from the area in the last 12 months',
 'Số người bình quân (đầu và cuối kỳ)', 'Average headcount (start and end of the window)',
 'percent', 'rate', 'people', false,
 'Một lượt rời là một phân công kết thúc mà trong 30 ngày sau người đó không còn phân công nào trên cùng địa bàn: chuyển công tác trong tỉnh không là rời tỉnh nhưng là rời xã.',
 'A separation is a spell that ends with the person holding no spell in the same area within the next 30 days: a transfer inside the province is not a separation at province level but is at commune level.'),
('turnover_voluntary_rate', 81,
 'Tỷ lệ thôi việc tự nguyện 12 tháng', 'Voluntary turnover, last 12 months',
 'Số lượt rời địa bàn do xin thôi việc trong 12 tháng', 'Separations by resignation in the last 12 months',
 'Số người bình quân (đầu và cuối kỳ)', 'Average headcount (start and end of the window)',
 'percent', 'rate', 'people', false,
 'Như tỷ lệ nghỉ việc, chỉ tính lý do xin thôi việc (resigned).',
 'As turnover, counting only resignations.'),
('facilities_with_professional', 90,
 'Tỷ lệ cơ sở cung cấp dịch vụ CTXH', 'Facilities providing social-work services',
 'Số cơ sở có ít nhất 1 nhân viên CTXH chuyên trách', 'Facilities with at least one professional social worker',
 'Số cơ sở trợ giúp xã hội đang hoạt động', 'Social assistance facilities open on the day',
 'percent', 'share', 'work_units', false,
 'Cơ sở: trung tâm CTXH, cơ sở bảo trợ xã hội công lập và ngoài công lập, cơ sở cai nghiện, nhà tạm lánh.',
 'Facilities: social work centres, public and non-public social protection facilities, drug rehabilitation centres, shelters.'),
('title_holders_v090401', 100,
 'Công tác xã hội viên chính (hạng II)', 'Title holders, V.09.04.01 (rank II)',
 'Số người giữ chức danh V.09.04.01', 'People holding V.09.04.01',
 NULL, NULL, 'people', 'count', 'people', false,
 'Phân công đang hiệu lực ghi mã chức danh.', 'Active assignments recording the title code.'),
('title_holders_v090402', 101,
 'Công tác xã hội viên (hạng III)', 'Title holders, V.09.04.02 (rank III)',
 'Số người giữ chức danh V.09.04.02', 'People holding V.09.04.02',
 NULL, NULL, 'people', 'count', 'people', false,
 'Phân công đang hiệu lực ghi mã chức danh.', 'Active assignments recording the title code.'),
('title_holders_v090403', 102,
 'Nhân viên công tác xã hội (hạng IV)', 'Title holders, V.09.04.03 (rank IV)',
 'Số người giữ chức danh V.09.04.03', 'People holding V.09.04.03',
 NULL, NULL, 'people', 'count', 'people', false,
 'Phân công đang hiệu lực ghi mã chức danh.', 'Active assignments recording the title code.');
