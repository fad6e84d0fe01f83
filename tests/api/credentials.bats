#!/usr/bin/env bats
# Signed credentials end to end: a registrar registers a graduate, the
# server signs the credential in the same request, anyone may check it at
# /verify/{id}, a tampered or foreign signature fails, revocation shows,
# the PDF's QR code carries the verify link and the signature, the offline
# tools verify it with only the public key, and a key rotation keeps the
# old credentials verifying. tests/run gives the server its own key ring
# (REGISTRY_KEYS, first key test-1).

load helpers

setup_file() {
	login admin
	login ulsa
	login hr.quangninh
	login bcd.national
	export ULSA_CID=$(free_cid 9 2001 female 001)
	export ULSA_NAME=$(owner_sql "SELECT name FROM org.institutions WHERE code = 'ULSA'")
	as ulsa POST /api/v1/graduates "$(jq -nc --arg c "$ULSA_CID" '{
	    full_name: "Lê Thị Thu Hà", citizen_id: $c,
	    birth_date: "2001-05-17", sex: "female",
	    programme_code: "7760101", level: "dai_hoc",
	    field: "social_work", graduation_date: "2026-06-30",
	    diploma_number: "CRED-TEST-001"}')"
	[ "$status_code" = 201 ] || { echo "graduate: $status_code $body" >&2; return 1; }
	echo "$body" >"$BATS_FILE_TMPDIR/graduate.json"
}

graduate() { jq -r "$1" "$BATS_FILE_TMPDIR/graduate.json"; }

# jws_of ID: the compact form of credential ID, as the admin reads it.
jws_of() {
	as admin GET "/api/v1/credentials/$1"
	jq -r .jws <<<"$body"
}

@test "credentials: the write that issues a credential signs it before answering" {
	local id
	id=$(graduate .credential_id)
	[[ $id =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
	    fail_with "credential_id '$id' is not a UUID"
	[ "$(graduate 'has("_sign")')" = false ] ||
	    fail_with "the response leaked the internal _sign list"
	as ulsa GET "/api/v1/credentials/$id"
	expect_status 200
	expect_json .status signed
	expect_json .kid test-1
	expect_json '.jws | split(".") | length' 3
	expect_json .payload.jti "urn:uuid:$id"
	expect_json .payload.vc.issuer.code ULSA
	expect_json .payload.vc.achievement.level dai_hoc
	expect_json .payload.vc.subject.citizen_id "•••••••••${ULSA_CID: -3}"
}

@test "credentials: the JWS header names EdDSA and the key, and its payload is the stored one" {
	local id jws header payload
	id=$(graduate .credential_id)
	as admin GET "/api/v1/credentials/$id"
	jws=$(jq -r .jws <<<"$body")
	header=$(cut -d. -f1 <<<"$jws" | tr '_-' '/+' | base64 -d 2>/dev/null)
	jq -e '.alg == "EdDSA" and .kid == "test-1"' <<<"$header" >/dev/null ||
	    fail_with "header: $header"
	payload=$(cut -d. -f2 <<<"$jws")
	while [ $((${#payload} % 4)) -ne 0 ]; do payload="$payload="; done
	payload=$(tr '_-' '/+' <<<"$payload" | base64 -d)
	[ "$(jq -c . <<<"$payload")" = "$(jq -c .payload <<<"$body")" ] ||
	    fail_with "payload differs: $payload"
}

@test "verify: public, no sign-in, valid, with no more than name and masked ID" {
	local id
	id=$(graduate .credential_id)
	req GET "/verify/$id"
	expect_status 200
	expect_json .valid true
	expect_json .signature_valid true
	expect_json .revoked false
	expect_json .revoked_at null
	expect_json .revoked_reason null
	expect_json 'has("reason")' false
	expect_json .kid test-1
	expect_json .issuer.code ULSA
	expect_json .achievement.code 7760101
	expect_json .issued_on 2026-06-30
	expect_json .subject.name "Lê Thị Thu Hà"
	expect_json .subject.citizen_id "•••••••••${ULSA_CID: -3}"
	# Nothing else about the person: no full ID, birth date, person id.
	! grep -q "$ULSA_CID" <<<"$body" || fail_with "full citizen ID leaked"
	! grep -q "2001-05-17" <<<"$body" || fail_with "birth date leaked"
	expect_json 'has("person_id")' false
	expect_json '.subject | keys | join(",")' citizen_id,name
}

@test "verify: an unknown or malformed id is a problem 404" {
	req GET /verify/00000000-0000-4000-8000-000000000000
	expect_problem 404 not-found
	req GET /verify/not-a-uuid
	expect_problem 404 no-route
}

@test "verify: a tampered payload in the presented JWS fails" {
	local id jws h p s forged
	id=$(graduate .credential_id)
	jws=$(jws_of "$id")
	IFS=. read -r h p s <<<"$jws"
	# Same claims with another name, re-encoded: the signature no longer fits.
	forged=$(printf '%s' "$p==" | tr '_-' '/+' | base64 -d 2>/dev/null |
	    sed 's/Lê Thị Thu Hà/Lê Thị Thu Hằng/' | base64 -w0 | tr '/+' '_-' | tr -d '=')
	req GET "/verify/$id?jws=$h.$forged.$s"
	expect_status 200
	expect_json .valid false
	expect_json .reason "bad signature"
	# The genuine form passes the same way.
	req GET "/verify/$id?jws=$jws"
	expect_json .valid true
}

@test "verify: a tampered signature stored in the database fails" {
	local id jws bad
	id=$(graduate .credential_id)
	jws=$(jws_of "$id")
	# Flip the signature's first character (A<->B) behind the server's back.
	if [ "${jws##*.}" != "${jws##*.A}" ]; then bad="${jws%.*}.B${jws##*.A}";
	else bad="${jws%.*}.A${jws##*.?}"; fi
	owner_sql "BEGIN;
	    ALTER TABLE training.credentials DISABLE TRIGGER credentials_frozen;
	    UPDATE training.credentials SET jws = '$bad' WHERE id = '$id';
	    ALTER TABLE training.credentials ENABLE TRIGGER credentials_frozen;
	    COMMIT;"
	req GET "/verify/$id"
	local verdict=$body
	owner_sql "BEGIN;
	    ALTER TABLE training.credentials DISABLE TRIGGER credentials_frozen;
	    UPDATE training.credentials SET jws = '$jws' WHERE id = '$id';
	    ALTER TABLE training.credentials ENABLE TRIGGER credentials_frozen;
	    COMMIT;"
	body=$verdict
	expect_json .valid false
	req GET "/verify/$id"
	expect_json .valid true
}

@test "verify: a genuine signature of another credential does not vouch for this one" {
	local id other_id other
	id=$(graduate .credential_id)
	as ulsa POST /api/v1/graduates "$(jq -nc --arg c "$(free_cid 9 2000 male 001)" '{
	    full_name: "Phạm Văn Minh", citizen_id: $c, birth_date: "2000-01-02",
	    sex: "male", programme_code: "7760101", level: "dai_hoc",
	    field: "social_work", graduation_date: "2026-06-30",
	    diploma_number: "CRED-TEST-002"}')"
	expect_status 201
	other_id=$(jq -r .credential_id <<<"$body")
	other=$(jws_of "$other_id")
	req GET "/verify/$other_id?jws=$other"
	expect_json .valid true
	req GET "/verify/$id?jws=$other"
	expect_json .valid false
}

@test "credentials: the signed form is in scope only" {
	local id
	id=$(graduate .credential_id)
	as admin GET "/api/v1/credentials/$id"
	expect_status 200
	# The graduate is kept by no province yet: an officer does not see it.
	as hr.quangninh GET "/api/v1/credentials/$id"
	expect_problem 404 not-found
	new_user registrar "\"institution_id\":$(owner_sql "SELECT id FROM org.institutions WHERE code = 'VWA'")"
	login "$new_login" "$new_password"
	as "$new_login" GET "/api/v1/credentials/$id"
	expect_problem 404 not-found
	req GET "/api/v1/credentials/$id"
	expect_problem 401 unauthenticated
}

@test "credentials: a person's credentials are listed for those who see the person" {
	local pid
	pid=$(graduate .person_id)
	as admin GET "/api/v1/people/$pid/credentials"
	expect_status 200
	expect_json '.items | length' 1
	expect_json '.items[0].id' "$(graduate .credential_id)"
	expect_json '.items[0].achievement.code' 7760101
	as ulsa GET "/api/v1/people/$pid/credentials"
	expect_problem 403 forbidden
	as hr.quangninh GET "/api/v1/people/$pid/credentials"
	expect_problem 404 not-found
}

@test "certificate.pdf: A4 PDF whose QR code carries the verify link and the signature" {
	local id jws qr tmp=$BATS_TEST_TMPDIR
	id=$(graduate .credential_id)
	jws=$(jws_of "$id")
	as ulsa GET "/api/v1/credentials/$id/certificate.pdf"
	expect_status 200
	expect_header content-type '^application/pdf'
	cp "$tmp/body" "$tmp/c.pdf"
	[ "$(head -c 5 "$tmp/c.pdf")" = "%PDF-" ] || fail_with "not a PDF"
	pdftoppm -png -r 150 "$tmp/c.pdf" "$tmp/page" 2>/dev/null
	[ -s "$tmp/page-1.png" ] || fail_with "pdftoppm rendered nothing"
	# zbarimg complains on stderr when there is no D-Bus.
	qr=$(zbarimg -q --raw "$tmp/page-1.png" 2>/dev/null) ||
	    fail_with "no QR code found"
	[ "$qr" = "$BASE_URL/verify/$id?sig=${jws##*.}" ] ||
	    fail_with "QR carries '$qr'"
	pdftotext "$tmp/c.pdf" - 2>/dev/null | grep -q "Lê Thị Thu Hà" ||
	    fail_with "holder's name not in the PDF text"
	# What the QR code carries verifies at the public check, which
	# hands out the whole signed form for an offline check.
	req GET "${qr#"$BASE_URL"}"
	expect_json .valid true
	expect_json .signature_valid true
	expect_json .jws "$jws"
}

# Names at the longest the registry stores (a person's 150 characters,
# a programme's and an institution's 300, a revocation reason's 500),
# most of them letters of three UTF-8 bytes: the signed form is then far
# beyond what a QR code printed at 50 mm holds, and beyond Kore's 2,000
# bytes of URI once in a link.
@test "certificate.pdf: the longest names print; the QR code carries only the link and the signature" {
	local inst id jws qr tmp=$BATS_TEST_TMPDIR name programme iname reason
	name=$(jq -rn '("Nguyễn Thị Hồng Ưng " * 10)[0:149] + "n"')
	programme=$(jq -rn '("Kỹ năng Ệễộứ ợở ỗ " * 20)[0:300]')
	iname=$(jq -rn '("Trường Đại học Ệễộứ Ượờ " * 20)[0:299] + "x"')
	reason=$(jq -rn '("Cấp nhầm người Ệễộứ " * 30)[0:499] + "x"')
	# ULSA bears the longest name for the one request that signs it in
	# (other files count and name the seed institutions).
	inst=$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")
	owner_sql "UPDATE org.institutions SET name = '$iname' WHERE id = $inst"
	as admin POST /api/v1/graduates "$(jq -nc --arg c "$(free_cid 9 2001 female 001)" \
	    --arg n "$name" --arg p "$programme" --argjson i "$inst" '{
	    full_name: $n, citizen_id: $c, birth_date: "2001-05-17",
	    sex: "female", programme_code: "7760101", programme_name: $p,
	    level: "dai_hoc", field: "social_work", institution_id: $i,
	    graduation_date: "2026-06-30", diploma_number: "CRED-LONG-001"}')"
	owner_sql "UPDATE org.institutions SET name = '$ULSA_NAME' WHERE id = $inst"
	expect_status 201
	id=$(jq -r .credential_id <<<"$body")
	as admin GET "/api/v1/credentials/$id"
	jws=$(jq -r .jws <<<"$body")
	expect_json '.payload.vc.subject.name | length' 150
	expect_json '.payload.vc.achievement.name | length' 300
	expect_json '.payload.vc.issuer.name | length' 300
	[ "${#jws}" -gt 2000 ] || fail_with "the JWS is only ${#jws} bytes"

	as admin GET "/api/v1/credentials/$id/certificate.pdf"
	expect_status 200
	expect_header content-type '^application/pdf'
	cp "$tmp/body" "$tmp/c.pdf"
	pdftoppm -png -r 150 "$tmp/c.pdf" "$tmp/page" 2>/dev/null
	qr=$(zbarimg -q --raw "$tmp/page-1.png" 2>/dev/null) ||
	    fail_with "no QR code found"
	[ "$qr" = "$BASE_URL/verify/$id?sig=${jws##*.}" ] ||
	    fail_with "QR carries '$qr'"
	# At most a public_url (119 bytes) and 140 more, whatever the names.
	[ "${#qr}" -lt $(( ${#BASE_URL} + 140 )) ] || fail_with "QR of ${#qr} bytes"
	pdftotext "$tmp/c.pdf" - 2>/dev/null | grep -q "Nguyễn Thị Hồng Ưng" ||
	    fail_with "holder's name not in the PDF text"
	req GET "${qr#"$BASE_URL"}"
	expect_json .valid true

	# Revoked with the longest reason: still a PDF, stamped.
	as admin POST "/api/v1/credentials/$id/revoke" "$(jq -nc --arg r "$reason" '{reason: $r}')"
	expect_status 200
	as admin GET "/api/v1/credentials/$id/certificate.pdf"
	expect_status 200
	cp "$tmp/body" "$tmp/r.pdf"
	pdftotext "$tmp/r.pdf" - 2>/dev/null | grep -q "ĐÃ THU HỒI" ||
	    fail_with "no revocation stamp"
	req GET "${qr#"$BASE_URL"}"
	expect_json .valid false
	expect_json .reason revoked
}

@test "verify: ?sig= must be the signature on record" {
	local id jws sig other
	id=$(graduate .credential_id)
	jws=$(jws_of "$id")
	sig=${jws##*.}
	other=A
	[ "${sig:0:1}" != A ] || other=B
	req GET "/verify/$id?sig=$other${sig:1}"
	expect_status 200
	expect_json .valid false
	expect_json .signature_valid false
	expect_json .reason "bad signature"
	req GET "/verify/$id?sig=short"
	expect_json .valid false
	expect_json .signature_valid false
	# Another credential's signature does not vouch for this one.
	as admin GET /api/v1/credentials/"$(owner_sql "SELECT id FROM training.credentials
	    WHERE jws IS NOT NULL AND id <> '$id' LIMIT 1")"
	req GET "/verify/$id?sig=$(jq -r '.jws | split(".")[2]' <<<"$body")"
	expect_json .signature_valid false
}

# A character the certificate's fonts lack (U+4E2D) is a failure of
# ours, not of the request: a plain 500 problem, the detail in the log.
@test "certificate.pdf: a failure of ours is a generic 500 problem, its detail only in the log" {
	local id
	as admin POST /api/v1/graduates "$(jq -nc --arg c "$(free_cid 9 2001 male 001)" '{
	    full_name: "Trần Văn Hải", citizen_id: $c, birth_date: "2001-05-17",
	    sex: "male", programme_code: "7760101", programme_name: "Công tác xã hội 中",
	    level: "dai_hoc", field: "social_work",
	    institution_id: '"$(owner_sql "SELECT id FROM org.institutions WHERE code = 'ULSA'")"',
	    graduation_date: "2026-06-30", diploma_number: "CRED-FONT-001"}')"
	expect_status 201
	id=$(jq -r .credential_id <<<"$body")
	as admin GET "/api/v1/credentials/$id/certificate.pdf" '' -H 'Accept-Language: en'
	expect_problem 500 internal
	! grep -qiE 'U\+4E2D|DejaVu|achievement|font' <<<"$body" ||
	    fail_with "the problem tells internal detail"
	grep -q "certificate $id: .*U+4E2D" "$REGISTRY_LOG" ||
	    fail_with "the detail is not in the server log"
}

@test "certificate.pdf: steering reads it too, an out-of-scope officer does not" {
	local id
	id=$(graduate .credential_id)
	as hr.quangninh GET "/api/v1/credentials/$id/certificate.pdf"
	expect_problem 404 not-found
}

@test "offline: registry-verify checks the compact form with only the public key" {
	local id jws
	id=$(graduate .credential_id)
	jws=$(jws_of "$id")
	run "$REGISTRY_ROOT/build/registry-verify" -k "$REGISTRY_KEYS/test-1.pub" "$jws"
	[ "$status" = 0 ] || fail_with "registry-verify: $output"
	# Damage the signature's first character: its last one carries only
	# two bits, and was an "A" a quarter of the time.
	local sig=${jws##*.} other=A
	[ "${sig:0:1}" != A ] || other=B
	run "$REGISTRY_ROOT/build/registry-verify" -k "$REGISTRY_KEYS/test-1.pub" \
	    "${jws%.*}.$other${sig:1}"
	[ "$status" = 1 ] || fail_with "a damaged signature verified: $output"
}

@test "verify/keys: the public keys, PEM, for the offline check" {
	req GET /verify/keys
	expect_status 200
	expect_json '[.keys[] | select(.current)] | map(.kid) | join(",")' test-1
	jq -j '.keys[] | select(.kid == "test-1") | .public_key_pem' <<<"$body" \
	    >"$BATS_TEST_TMPDIR/k.pub"
	cmp -s "$BATS_TEST_TMPDIR/k.pub" "$REGISTRY_KEYS/test-1.pub" ||
	    fail_with "served key differs from test-1.pub"
}

@test "offline: the README's openssl commands verify it" {
	local id TOKEN tmp=$BATS_TEST_TMPDIR
	id=$(graduate .credential_id)
	TOKEN=$(jws_of "$id")
	printf '%s' "${TOKEN%.*}" >"$tmp/signing_input.txt"
	printf '%s==' "${TOKEN##*.}" | basenc --base64url -d >"$tmp/sig.bin"
	run openssl pkeyutl -verify -pubin -inkey "$REGISTRY_KEYS/test-1.pub" \
	    -rawin -in "$tmp/signing_input.txt" -sigfile "$tmp/sig.bin"
	[ "$status" = 0 ] || fail_with "openssl: $output"
	printf 'x' >>"$tmp/signing_input.txt"
	run openssl pkeyutl -verify -pubin -inkey "$REGISTRY_KEYS/test-1.pub" \
	    -rawin -in "$tmp/signing_input.txt" -sigfile "$tmp/sig.bin"
	[ "$status" != 0 ] || fail_with "openssl verified a changed input"
}

@test "revoke: needs a reason, is audited, shows at the public check, and only once" {
	local id
	id=$(graduate .credential_id)
	as ulsa POST "/api/v1/credentials/$id/revoke" '{}'
	expect_problem 422 required reason
	as ulsa POST "/api/v1/credentials/$id/revoke" '{"reason":"x"}'
	expect_problem 422 too-short reason
	as bcd.national POST "/api/v1/credentials/$id/revoke" '{"reason":"Cấp nhầm"}'
	expect_problem 403 forbidden
	as hr.quangninh POST "/api/v1/credentials/$id/revoke" '{"reason":"Cấp nhầm"}'
	expect_problem 404 not-found
	req GET "/verify/$id"
	expect_json .revoked false
	as ulsa POST "/api/v1/credentials/$id/revoke" '{"reason":"Cấp nhầm văn bằng"}'
	expect_status 200
	expect_json .status revoked
	expect_json .revoked_reason "Cấp nhầm văn bằng"
	# Revoked: not to be relied on, though the signature itself holds.
	req GET "/verify/$id"
	expect_json .valid false
	expect_json .signature_valid true
	expect_json .reason revoked
	expect_json .revoked true
	expect_json .revoked_on "$(date +%F)"
	expect_json '.revoked_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T")' true
	expect_json .revoked_reason "Cấp nhầm văn bằng"
	# The paper's own signature reference says the same.
	req GET "/verify/$id?jws=$(jws_of "$id")"
	expect_json .valid false
	expect_json .signature_valid true
	expect_json .reason revoked
	as ulsa POST "/api/v1/credentials/$id/revoke" '{"reason":"Lần nữa"}'
	expect_problem 409 already-revoked
	as admin GET "/api/v1/audit?entity=credential&entity_id=$id"
	expect_json '[.items[] | select(.action == "credential.revoke")] | length' 1
}

@test "revoke: only the issuer or an admin; the officer keeping the holder's record cannot revoke a university's degree (issue 12 item 19)" {
	local cid id
	cid=$(free_cid 9 1999 female)
	as hr.quangninh POST /api/v1/people "$(jq -nc --arg c "$cid" '{
	    full_name: "Vũ Thị Hạnh", citizen_id: $c, birth_date: "1999-02-03",
	    sex: "female"}')"
	expect_status 201
	as ulsa POST /api/v1/graduates "$(jq -nc --arg c "$cid" '{
	    full_name: "Vũ Thị Hạnh", citizen_id: $c, birth_date: "1999-02-03",
	    sex: "female", programme_code: "7760101", level: "dai_hoc",
	    field: "social_work", graduation_date: "2021-06-30",
	    diploma_number: "CRED-TEST-019"}')"
	expect_status 201
	id=$(jq -r .credential_id <<<"$body")
	# The officer reads it (it keeps the holder's record) ...
	as hr.quangninh GET "/api/v1/credentials/$id"
	expect_status 200
	# ... but did not issue it.
	as hr.quangninh POST "/api/v1/credentials/$id/revoke" '{"reason":"Thu hồi thử"}'
	expect_problem 403 not-issuer
	req GET "/verify/$id"
	expect_json .revoked false
	as admin POST "/api/v1/credentials/$id/revoke" '{"reason":"Thu hồi thử"}'
	expect_status 200
	expect_json .status revoked
}

@test "signer: a credential left unsigned (a crash, a bulk import) is signed within seconds" {
	local qid id i
	qid=$(owner_sql "WITH p AS (INSERT INTO hr.people (full_name, citizen_id,
		sex, birth_date) VALUES ('Đỗ Văn Sáng', '$(free_cid 9 1999 male 001)',
		'male', '1999-09-09') RETURNING id)
	    INSERT INTO training.qualifications (person_id, level, field,
		institution_id, awarded_on, diploma_number, source)
	    SELECT p.id, 'dai_hoc', 'social_work', i.id, '2025-06-30',
		'CRED-TEST-SWEEP', 'registrar'
	      FROM p, org.institutions i WHERE i.code = 'ULSA' RETURNING id")
	id=$(psql -X -q -At "$TEST_SUPER_DSN" -c "SELECT lib.credential_issue(NULL, $qid)")
	for i in $(seq 1 40); do
		[ "$(owner_sql "SELECT jws IS NOT NULL FROM training.credentials
		    WHERE id = '$id'")" = t ] && break
		sleep 0.5
	done
	req GET "/verify/$id"
	expect_json .valid true
}

# Last: the ring changes under the server for the rest of the suite.
@test "rotation: new credentials use the new key, old ones keep verifying after retirement" {
	local old_id new_id
	old_id=$(graduate .credential_id)
	"$REGISTRY_ROOT/build/registry-keys" new -d "$REGISTRY_KEYS" test-2 >/dev/null
	"$REGISTRY_ROOT/build/registry-keys" retire -d "$REGISTRY_KEYS" test-1 >/dev/null
	[ ! -e "$REGISTRY_KEYS/test-1.key" ] || fail_with "test-1 still has its private key"
	as ulsa POST /api/v1/graduates "$(jq -nc --arg c "$(free_cid 9 2002 female 001)" '{
	    full_name: "Vũ Thị Lan", citizen_id: $c, birth_date: "2002-02-02",
	    sex: "female", programme_code: "7760101", level: "dai_hoc",
	    field: "social_work", graduation_date: "2026-06-30",
	    diploma_number: "CRED-TEST-003"}')"
	expect_status 201
	new_id=$(jq -r .credential_id <<<"$body")
	as admin GET "/api/v1/credentials/$new_id"
	expect_json .kid test-2
	req GET "/verify/$new_id"
	expect_json .valid true
	expect_json .kid test-2
	# The old one was revoked above: its signature still verifies.
	req GET "/verify/$old_id"
	expect_json .signature_valid true
	expect_json .kid test-1
	req GET /verify/keys
	expect_json '[.keys[] | "\(.kid):\(.current)"] | join(",")' \
	    test-1:false,test-2:true
}
