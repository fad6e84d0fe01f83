-- Field checks shared by the JSON API and the spreadsheet import. A record
-- (a request body or an imported row, both jsonb) is checked field by
-- field: each chk_* returns a JSON array of problems (empty when the field
-- is fine) so an import row reports every problem it has, and each value
-- reader (txt, dt, num) returns the typed value of a field that passed.
--
-- "strict" is the JSON API: numbers must be JSON numbers. Spreadsheet
-- cells are all text, so outside strict mode numbers may be strings and
-- may use a decimal comma ("0,5") or thousands dots ("3.000.000").

CREATE FUNCTION lib.prob(p_field text, p_code text, p_vi text, p_en text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT jsonb_build_object('field', p_field, 'code', p_code,
	    'vi', p_vi, 'en', p_en)
$$;

-- Raises the first problem of a non-empty list as a 422 for the API.
CREATE FUNCTION lib.fail_first(p_problems jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF jsonb_array_length(p_problems) > 0 THEN
		PERFORM lib.fail(422, p_problems -> 0 ->> 'code',
		    p_problems -> 0 ->> 'vi', p_problems -> 0 ->> 'en',
		    p_problems -> 0 ->> 'field');
	END IF;
END
$$;

-- The trimmed NFC text of a string field; NULL when absent, null or blank.
CREATE FUNCTION lib.txt(p jsonb, p_key text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN jsonb_typeof(p -> p_key) = 'string'
	    THEN nullif(btrim(normalize(p ->> p_key, NFC), E' \t\r\n'), '') END
$$;

CREATE FUNCTION lib.present(p jsonb, p_key text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(jsonb_typeof(p -> p_key), 'null') <> 'null'
	    AND (jsonb_typeof(p -> p_key) <> 'string' OR lib.txt(p, p_key) IS NOT NULL)
$$;

CREATE FUNCTION lib.chk_required(p jsonb, p_key text) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE WHEN lib.present(p, p_key) THEN '[]'::jsonb
	    ELSE jsonb_build_array(lib.prob(p_key, 'required',
		'Trường này là bắt buộc.', 'This field is required.')) END
$$;

-- Characters that change how text is shown without being seen: C0/C1
-- controls other than tab and line breaks, the soft hyphen, bidirectional
-- overrides and isolates, zero-width spaces and joiners, the BOM. Names and
-- labels are signed into credentials and printed, so what is stored must be
-- what is displayed.
CREATE FUNCTION lib.hidden_chars(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
	SELECT p_text ~ '[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]'
$$;

CREATE FUNCTION lib.chk_text(p jsonb, p_key text, p_required boolean,
    p_max integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN NOT lib.present(p, p_key) THEN
		CASE WHEN p_required THEN lib.chk_required(p, p_key) ELSE '[]' END
	    WHEN jsonb_typeof(p -> p_key) <> 'string' THEN
		jsonb_build_array(lib.prob(p_key, 'invalid-type',
		    'Trường này phải là chuỗi.', 'This field must be a string.'))
	    WHEN length(lib.txt(p, p_key)) > p_max THEN
		jsonb_build_array(lib.prob(p_key, 'too-long',
		    format('Tối đa %s ký tự.', p_max),
		    format('At most %s characters.', p_max)))
	    WHEN lib.hidden_chars(lib.txt(p, p_key)) THEN
		jsonb_build_array(lib.prob(p_key, 'hidden-characters',
		    'Trường này chứa ký tự điều khiển hoặc ký tự ẩn (như ký tự đảo chiều, ký tự độ rộng bằng 0).',
		    'This field holds control or invisible characters (such as direction overrides or zero-width characters).'))
	    ELSE '[]' END
$$;

-- A calendar date from YYYY-MM-DD (or DD/MM/YYYY, as Vietnamese sheets
-- write it); NULL for anything else, without raising.
CREATE FUNCTION lib.as_date(p_text text) RETURNS date
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	m	text[];
	y	integer;
	mo	integer;
	d	integer;
BEGIN
	m := regexp_match(p_text, '^([0-9]{4})-([0-9]{2})-([0-9]{2})$');
	IF m IS NOT NULL THEN
		y := m[1]; mo := m[2]; d := m[3];
	ELSE
		m := regexp_match(p_text, '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$');
		IF m IS NULL THEN
			RETURN NULL;
		END IF;
		d := m[1]; mo := m[2]; y := m[3];
	END IF;
	IF y < 1900 OR y > 2199 OR mo < 1 OR mo > 12 OR d < 1 OR
	    d > extract(day FROM make_date(y, mo, 1) + interval '1 month - 1 day') THEN
		RETURN NULL;
	END IF;
	RETURN make_date(y, mo, d);
END
$$;

CREATE FUNCTION lib.dt(p jsonb, p_key text) RETURNS date
LANGUAGE sql IMMUTABLE
AS $$ SELECT lib.as_date(lib.txt(p, p_key)) $$;

CREATE FUNCTION lib.chk_date(p jsonb, p_key text, p_required boolean)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN NOT lib.present(p, p_key) THEN
		CASE WHEN p_required THEN lib.chk_required(p, p_key) ELSE '[]' END
	    WHEN lib.dt(p, p_key) IS NULL THEN
		jsonb_build_array(lib.prob(p_key, 'invalid-date',
		    'Ngày phải theo dạng YYYY-MM-DD (hoặc DD/MM/YYYY) và có thật.',
		    'The date must be a real date written YYYY-MM-DD (or DD/MM/YYYY).'))
	    ELSE '[]' END
$$;

-- A number: a JSON number, or outside strict mode a numeric string with a
-- decimal point or comma, or with dots / spaces grouping thousands.
CREATE FUNCTION lib.num(p jsonb, p_key text, p_strict boolean) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	t	text;
BEGIN
	IF jsonb_typeof(p -> p_key) = 'number' THEN
		RETURN (p ->> p_key)::numeric;
	END IF;
	IF p_strict OR jsonb_typeof(p -> p_key) <> 'string' THEN
		RETURN NULL;
	END IF;
	t := replace(lib.txt(p, p_key), ' ', '');
	IF t ~ '^[1-9][0-9]{0,2}([.][0-9]{3})+$' THEN
		t := replace(t, '.', '');
	ELSIF t ~ '^[0-9]+,[0-9]+$' THEN
		t := replace(t, ',', '.');
	END IF;
	IF t ~ '^[0-9]{1,15}([.][0-9]{1,6})?$' THEN
		RETURN t::numeric;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION lib.chk_num(p jsonb, p_key text, p_required boolean,
    p_strict boolean, p_min numeric, p_max numeric, p_integer boolean,
    p_vi text, p_en text) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN NOT lib.present(p, p_key) THEN
		CASE WHEN p_required THEN lib.chk_required(p, p_key) ELSE '[]' END
	    WHEN lib.num(p, p_key, p_strict) IS NULL THEN
		jsonb_build_array(lib.prob(p_key, 'invalid-number',
		    'Trường này phải là một số. ' || p_vi,
		    'This field must be a number. ' || p_en))
	    WHEN lib.num(p, p_key, p_strict) < p_min
		OR lib.num(p, p_key, p_strict) > p_max
		OR (p_integer AND lib.num(p, p_key, p_strict) % 1 <> 0) THEN
		jsonb_build_array(lib.prob(p_key, 'out-of-range', p_vi, p_en))
	    ELSE '[]' END
$$;

-- One of the allowed codes. Spreadsheets may also use the Vietnamese
-- label (p_labels, same order), matched ignoring case and diacritics.
CREATE FUNCTION lib.code(p jsonb, p_key text, p_allowed text[],
    p_labels text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	t	text := lib.txt(p, p_key);
	f	text;
	i	integer;
BEGIN
	IF t IS NULL OR t = ANY (p_allowed) THEN
		RETURN t;
	END IF;
	f := public.fold(t);
	FOR i IN 1 .. coalesce(array_length(p_labels, 1), 0) LOOP
		IF public.fold(p_labels[i]) = f THEN
			RETURN p_allowed[i];
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;

CREATE FUNCTION lib.chk_code(p jsonb, p_key text, p_required boolean,
    p_allowed text[], p_labels text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN NOT lib.present(p, p_key) THEN
		CASE WHEN p_required THEN lib.chk_required(p, p_key) ELSE '[]' END
	    WHEN lib.code(p, p_key, p_allowed, p_labels) IS NULL THEN
		jsonb_build_array(lib.prob(p_key, 'invalid-code',
		    'Giá trị phải là một trong: ' || array_to_string(p_allowed, ', ') || '.',
		    'The value must be one of: ' || array_to_string(p_allowed, ', ') || '.'))
	    ELSE '[]' END
$$;

-- A boolean field: absent or null is fine unless required.
CREATE FUNCTION lib.chk_bool(p jsonb, p_key text, p_required boolean)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE
	    WHEN coalesce(jsonb_typeof(p -> p_key), 'null') = 'null' THEN
		CASE WHEN p_required THEN lib.chk_required(p, p_key) ELSE '[]' END
	    WHEN jsonb_typeof(p -> p_key) <> 'boolean' THEN
		jsonb_build_array(lib.prob(p_key, 'invalid-type',
		    'Trường này phải là true hoặc false.',
		    'This field must be true or false.'))
	    ELSE '[]' END
$$;
