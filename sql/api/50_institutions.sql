-- Training institutions: the universities, colleges, vocational schools,
-- centres, NGOs and international bodies that train social workers, with
-- their recognition to issue social-work certificates and a contact.
-- Scoped: a registrar sees only its own institution, an officer or
-- provincial steering member those of their province; anything else is
-- 404. Administrators register and change institutions; a registrar may
-- keep its own institution's contact details up to date, nothing more.

-- The province a list is filtered by. Officers and steering are held to
-- their scope as in lib.scope_province; a registrar, who sees its own
-- institution wherever it is, may filter by any current province.
CREATE FUNCTION lib.filter_province(u auth.users, p_code text) RETURNS integer
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	IF u.role <> 'registrar' THEN
		RETURN lib.scope_province(u, p_code);
	END IF;
	IF p_code IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (lib.current_province(p_code, 'province')).id;
END
$$;

CREATE FUNCTION lib.institution_kinds() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
	SELECT ARRAY['university', 'college', 'vocational', 'centre', 'ngo',
	    'international']
$$;

-- The fields a registrar may change on its own institution.
CREATE FUNCTION lib.institution_contact_fields() RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
	SELECT ARRAY['contact_name', 'contact_email', 'contact_phone',
	    'address', 'website']
$$;

-- The short form other records embed.
CREATE FUNCTION lib.institution_ref(p_id integer) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', i.id, 'code', i.code, 'name', i.name)
	  FROM org.institutions i WHERE i.id = p_id
$$;

CREATE FUNCTION lib.institution_json(i org.institutions) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('id', i.id, 'code', i.code, 'name', i.name,
	    'name_en', i.name_en, 'kind', i.kind,
	    'province', (SELECT jsonb_build_object('code', p.code, 'name', p.name)
		FROM geo.units p WHERE p.id = i.province_id),
	    'recognised', i.recognised,
	    'recognition_decision', i.recognition_decision,
	    'recognised_on', i.recognised_on,
	    'contact_name', i.contact_name, 'contact_email', i.contact_email,
	    'contact_phone', i.contact_phone, 'address', i.address,
	    'website', i.website, 'created_at', i.created_at,
	    'updated_at', i.updated_at)
$$;

-- The record as a request body: what a patch is applied to and what the
-- audit compares.
CREATE FUNCTION lib.institution_body(i org.institutions) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
	SELECT jsonb_build_object('code', i.code, 'name', i.name,
	    'name_en', i.name_en, 'kind', i.kind,
	    'province_code', (SELECT code FROM geo.units WHERE id = i.province_id),
	    'recognised', i.recognised,
	    'recognition_decision', i.recognition_decision,
	    'recognised_on', i.recognised_on,
	    'contact_name', i.contact_name, 'contact_email', i.contact_email,
	    'contact_phone', i.contact_phone, 'address', i.address,
	    'website', i.website)
$$;

-- Checks a whole institution record (a create body, or the current record
-- with a patch applied) and returns the row to store, or fails with 422
-- on the first problem. The province is optional (an international body
-- may have none); a recognition needs its decision and date.
CREATE FUNCTION lib.institution_from(p jsonb, p_base org.institutions)
RETURNS org.institutions
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	i	org.institutions := p_base;
BEGIN
	PERFORM lib.fail_first(lib.chk_text(p, 'code', true, 32) ||
	    lib.chk_text(p, 'name', true, 300) ||
	    lib.chk_text(p, 'name_en', false, 300) ||
	    lib.chk_code(p, 'kind', true, lib.institution_kinds(), '{}') ||
	    lib.chk_text(p, 'province_code', false, 2) ||
	    lib.chk_bool(p, 'recognised', false) ||
	    lib.chk_text(p, 'recognition_decision', false, 200) ||
	    lib.chk_date(p, 'recognised_on', false) ||
	    lib.chk_text(p, 'contact_name', false, 150) ||
	    lib.chk_text(p, 'contact_email', false, 254) ||
	    lib.chk_text(p, 'contact_phone', false, 30) ||
	    lib.chk_text(p, 'address', false, 300) ||
	    lib.chk_text(p, 'website', false, 250));
	IF lib.txt(p, 'code') !~ '^[A-Z0-9][A-Z0-9-]{1,31}$' THEN
		PERFORM lib.fail(422, 'invalid-institution-code',
		    'Mã cơ sở gồm 2–32 chữ in hoa, chữ số hoặc dấu gạch ngang.',
		    'An institution code has 2–32 capital letters, digits or hyphens.',
		    'code');
	END IF;
	IF length(lib.txt(p, 'name')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên cơ sở phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.', 'name');
	END IF;
	IF length(lib.txt(p, 'name_en')) < 2 THEN
		PERFORM lib.fail(422, 'too-short',
		    'Tên tiếng Anh phải có ít nhất 2 ký tự.',
		    'A name has at least 2 characters.', 'name_en');
	END IF;
	i.code := lib.txt(p, 'code');
	i.name := regexp_replace(lib.txt(p, 'name'), '\s+', ' ', 'g');
	i.name_en := lib.txt(p, 'name_en');
	i.kind := lib.txt(p, 'kind');
	i.province_id := NULL;
	IF lib.present(p, 'province_code') THEN
		i.province_id := (lib.current_province(lib.txt(p, 'province_code'),
		    'province_code')).id;
	END IF;
	i.recognised := coalesce((p ->> 'recognised')::boolean, false);
	i.recognition_decision := lib.txt(p, 'recognition_decision');
	i.recognised_on := lib.dt(p, 'recognised_on');
	IF i.recognised AND i.recognition_decision IS NULL THEN
		PERFORM lib.fail(422, 'required',
		    'Cơ sở được công nhận cần số quyết định công nhận.',
		    'A recognised institution needs the recognition decision.',
		    'recognition_decision');
	END IF;
	IF i.recognised AND i.recognised_on IS NULL THEN
		PERFORM lib.fail(422, 'required',
		    'Cơ sở được công nhận cần ngày công nhận.',
		    'A recognised institution needs the date of recognition.',
		    'recognised_on');
	END IF;
	IF i.recognised_on > current_date THEN
		PERFORM lib.fail(422, 'in-future',
		    'Ngày công nhận không được ở tương lai.',
		    'recognised_on must not be in the future.', 'recognised_on');
	END IF;
	i.contact_name := lib.txt(p, 'contact_name');
	i.contact_email := lower(lib.txt(p, 'contact_email'));
	i.contact_phone := lib.phone_norm(lib.txt(p, 'contact_phone'));
	i.address := lib.txt(p, 'address');
	i.website := lib.txt(p, 'website');
	IF i.contact_email !~ '^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$' THEN
		PERFORM lib.fail(422, 'invalid-email', 'Địa chỉ email không hợp lệ.',
		    'The email address is not valid.', 'contact_email');
	END IF;
	IF i.contact_phone !~ '^\+?[0-9]{8,15}$' THEN
		PERFORM lib.fail(422, 'invalid-phone',
		    'Số điện thoại gồm 8–15 chữ số, có thể bắt đầu bằng +.',
		    'A phone number has 8–15 digits, optionally after a +.',
		    'contact_phone');
	END IF;
	IF i.website !~ '^https?://[^\s]{3,250}$' THEN
		PERFORM lib.fail(422, 'invalid-website',
		    'Trang web phải là địa chỉ http:// hoặc https://.',
		    'The website must be an http:// or https:// address.', 'website');
	END IF;
	RETURN i;
END
$$;

-- An institution the actor may see, or 404.
CREATE FUNCTION lib.institution_seen(me auth.users, p_id integer)
RETURNS org.institutions
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	i	org.institutions;
BEGIN
	SELECT * INTO i FROM org.institutions WHERE id = p_id;
	IF NOT FOUND OR NOT lib.sees_institution(me, i) THEN
		PERFORM lib.not_found('cơ sở đào tạo', 'institution');
	END IF;
	RETURN i;
END
$$;

-- Any institution by id, for a record that names one (a cohort's teacher,
-- a partner): institutions are a national catalogue, so naming one needs
-- no scope; 422 naming p_field when there is none.
CREATE FUNCTION lib.institution_named(p_id bigint, p_field text)
RETURNS org.institutions
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	i	org.institutions;
BEGIN
	SELECT * INTO i FROM org.institutions WHERE id = p_id;
	IF NOT FOUND THEN
		PERFORM lib.fail(422, 'unknown-institution',
		    'Không có cơ sở đào tạo với mã số này.',
		    'No institution has this id.', p_field);
	END IF;
	RETURN i;
END
$$;

CREATE FUNCTION lib.institution_code_free(p_code text, p_self integer)
RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	other	integer;
BEGIN
	SELECT id INTO other FROM org.institutions
	 WHERE code = p_code AND id IS DISTINCT FROM p_self;
	IF FOUND THEN
		PERFORM lib.fail_link(409, 'institution-code-exists',
		    'Đã có cơ sở đào tạo mang mã này.',
		    'An institution with this code already exists.', 'code',
		    '/api/v1/institutions/' || other);
	END IF;
END
$$;

-- The filters come after the page arguments, with defaults, so that
-- (actor, cursor, limit) still lists everything in scope.
CREATE FUNCTION api.institutions_list(p_actor bigint, p_cursor text,
    p_limit integer, p_q text DEFAULT NULL, p_kind text DEFAULT NULL,
    p_province text DEFAULT NULL, p_recognised boolean DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	n	integer := lib.limit_ok(p_limit, 500);
	after	bigint := lib.cursor_id(p_cursor);
	pid	integer := lib.filter_province(me, p_province);
	items	jsonb[];
	keys	jsonb[];
BEGIN
	PERFORM lib.param_in(p_kind, lib.institution_kinds(), 'kind');
	SELECT array_agg(lib.institution_json(i) ORDER BY i.id),
	    array_agg(jsonb_build_object('id', i.id) ORDER BY i.id)
	  INTO items, keys
	  FROM (SELECT * FROM org.institutions i
		 WHERE lib.sees_institution(me, i)
		   AND (pid IS NULL OR i.province_id = pid)
		   AND (p_kind IS NULL OR i.kind = p_kind)
		   AND (p_recognised IS NULL OR i.recognised = p_recognised)
		   AND (p_q IS NULL OR i.search LIKE lib.contains(p_q)
			OR upper(btrim(p_q)) = i.code)
		   AND (after IS NULL OR i.id > after)
		 ORDER BY i.id LIMIT n + 1) i;
	RETURN lib.page(items, keys, n);
END
$$;

CREATE FUNCTION api.institution_get(p_actor bigint, p_id integer) RETURNS json
LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
BEGIN
	RETURN lib.institution_json(lib.institution_seen(me, p_id));
END
$$;

CREATE FUNCTION api.institution_create(p_actor bigint, p_via text,
    p_body jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	i	org.institutions;
BEGIN
	PERFORM lib.require_role(me, 'admin');
	i := lib.institution_from(p_body, NULL);
	PERFORM lib.institution_code_free(i.code, NULL);
	INSERT INTO org.institutions (code, name, name_en, kind, province_id,
	    recognised, recognition_decision, recognised_on, contact_name,
	    contact_email, contact_phone, address, website)
	VALUES (i.code, i.name, i.name_en, i.kind, i.province_id, i.recognised,
	    i.recognition_decision, i.recognised_on, i.contact_name,
	    i.contact_email, i.contact_phone, i.address, i.website)
	RETURNING * INTO i;
	PERFORM lib.audit(me, p_via, 'institution.create', 'institution',
	    i.id::text, NULL, lib.institution_body(i));
	RETURN lib.institution_json(i);
END
$$;

-- A partial update. Administrators change anything; a registrar only its
-- own institution's contact fields (any other field is 403 naming it).
-- The code is what signed credentials name as their issuer, so it is
-- fixed once the institution has issued one.
CREATE FUNCTION api.institution_update(p_actor bigint, p_via text,
    p_id integer, p_patch jsonb) RETURNS json
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
	me	auth.users := lib.actor(p_actor);
	old	org.institutions;
	i	org.institutions;
	k	text;
BEGIN
	PERFORM lib.require_role(me, 'admin', 'registrar');
	old := lib.institution_seen(me, p_id);
	IF me.role = 'registrar' THEN
		SELECT key INTO k FROM jsonb_object_keys(p_patch) key
		 WHERE NOT key = ANY (lib.institution_contact_fields())
		 ORDER BY key LIMIT 1;
		IF FOUND THEN
			PERFORM lib.fail(403, 'forbidden-field',
			    'Cán bộ đào tạo chỉ được sửa thông tin liên hệ của cơ sở mình.',
			    'A registrar may change only its institution''s contact details.',
			    k);
		END IF;
	END IF;
	SELECT * INTO old FROM org.institutions WHERE id = old.id FOR UPDATE;
	i := lib.institution_from(lib.institution_body(old) || p_patch, old);
	IF i.code <> old.code THEN
		PERFORM lib.institution_code_free(i.code, old.id);
		IF EXISTS (SELECT FROM training.credentials
		    WHERE institution_id = old.id) THEN
			PERFORM lib.fail(409, 'institution-code-in-use',
			    'Cơ sở đã cấp văn bằng số mang mã này; không đổi mã được.',
			    'The institution has issued credentials under this code; it cannot change.',
			    'code');
		END IF;
	END IF;
	UPDATE org.institutions SET code = i.code, name = i.name,
	    name_en = i.name_en, kind = i.kind, province_id = i.province_id,
	    recognised = i.recognised,
	    recognition_decision = i.recognition_decision,
	    recognised_on = i.recognised_on, contact_name = i.contact_name,
	    contact_email = i.contact_email, contact_phone = i.contact_phone,
	    address = i.address, website = i.website, updated_at = now()
	 WHERE id = old.id
	RETURNING * INTO i;
	PERFORM lib.audit_changes(me, p_via, 'institution.update', 'institution',
	    i.id::text, lib.institution_body(old), lib.institution_body(i));
	RETURN lib.institution_json(i);
END
$$;
