#!/usr/bin/env bats
# The signing key tools, with no server: build/registry-keys (new, list,
# retire, sign) and build/registry-verify (-k one public key, -d a ring),
# their exit codes, and the offline check with nothing but openssl and
# coreutils that the README gives to anyone holding a credential. A valid
# signature is reported as that alone: revocation is checked only online.
#
# Runs from the repository root with build/ built; every ring lives in
# BATS_TEST_TMPDIR.

KEYS=build/registry-keys
VERIFY=build/registry-verify
CLAIMS='{"sub":"079201001234","cred":"ctxh-2026-000042","name":"Nguyễn Thị Hoa"}'

setup() {
	[ -x "$KEYS" ] && [ -x "$VERIFY" ] || skip "build/ is not built"
	RING=$BATS_TEST_TMPDIR/keys
	unset REGISTRY_KEYS
}

# sign: the claims on stdin, signed with $RING's current key, into $token.
sign() {
	token=$(printf '%s\n' "${1:-$CLAIMS}" | "$KEYS" sign -d "$RING") ||
	    return 1
}

# b64url_decode: unpadded base64url on stdin to bytes on stdout.
b64url_decode() {
	local s
	s=$(cat)
	while [ $((${#s} % 4)) -ne 0 ]; do s="$s="; done
	printf '%s' "$s" | basenc --base64url -d
}

@test "new makes a key pair, current, with the private key 0600 in a 0700 ring" {
	run "$KEYS" new -d "$RING" key-a
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = key-a ]
	[ "$(stat -c %a "$RING")" = 700 ]
	[ "$(stat -c %a "$RING/key-a.key")" = 600 ]
	[ -f "$RING/key-a.pub" ]
	[ "$(cat "$RING/current")" = key-a ]
	grep -q -- '-----BEGIN PRIVATE KEY-----' "$RING/key-a.key"
	grep -q -- '-----BEGIN PUBLIC KEY-----' "$RING/key-a.pub"
	openssl pkey -pubin -in "$RING/key-a.pub" -noout -text | grep -q ED25519
}

@test "new without a kid names it ctxh-YYYY-MM-DD, then -2, -3" {
	local today
	today=$(date +%Y-%m-%d)
	run "$KEYS" new -d "$RING"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "ctxh-$today" ]
	run "$KEYS" new -d "$RING"
	[ "${lines[0]}" = "ctxh-$today-2" ]
	run "$KEYS" new -d "$RING"
	[ "${lines[0]}" = "ctxh-$today-3" ]
	[ "$(cat "$RING/current")" = "ctxh-$today-3" ]
}

@test "new finds the ring through REGISTRY_KEYS, then REGISTRY_ROOT" {
	REGISTRY_KEYS=$RING run "$KEYS" new key-env
	[ "$status" -eq 0 ]
	[ -f "$RING/key-env.key" ]
	REGISTRY_ROOT=$BATS_TEST_TMPDIR run "$KEYS" new key-root
	[ "$status" -eq 0 ]
	[ -f "$BATS_TEST_TMPDIR/var/keys/key-root.key" ]
}

@test "new refuses a taken kid and a malformed one; usage errors exit 2" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	run "$KEYS" new -d "$RING" key-a
	[ "$status" -eq 1 ]
	[[ "$output" == *exists* ]]
	run "$KEYS" new -d "$RING" Key-B
	[ "$status" -eq 1 ]
	run "$KEYS" new -d "$RING" ../escape
	[ "$status" -eq 1 ]
	[ ! -e "$BATS_TEST_TMPDIR/escape.key" ]
	run "$KEYS" new -d "$RING" a b
	[ "$status" -eq 2 ]
	run "$KEYS" rotate -d "$RING"
	[ "$status" -eq 2 ]
	run "$KEYS"
	[ "$status" -eq 2 ]
	[ "$(cat "$RING/current")" = key-a ]
}

@test "list shows every kid, whether it can sign, and the current one" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	"$KEYS" new -d "$RING" key-b >/dev/null 2>&1
	run "$KEYS" list -d "$RING"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'key-a\tprivate')" ]
	[ "${lines[1]}" = "$(printf 'key-b\tprivate\tcurrent')" ]
	"$KEYS" retire -d "$RING" key-a 2>/dev/null
	run "$KEYS" list -d "$RING"
	[ "${lines[0]}" = "$(printf 'key-a\tpublic')" ]
	[ "${lines[1]}" = "$(printf 'key-b\tprivate\tcurrent')" ]
	run "$KEYS" list -d "$BATS_TEST_TMPDIR/nothing"
	[ "$status" -eq 1 ]
}

@test "sign then verify: payload on stdout, 'signature valid (kid X); revocation not checked offline' on stderr, exit 0" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	[[ "$token" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$ ]]
	"$VERIFY" -d "$RING" "$token" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "$CLAIMS" ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "signature valid (kid key-a); revocation not checked offline" ]
	jq -e '.cred == "ctxh-2026-000042"' "$BATS_TEST_TMPDIR/out" >/dev/null

	# From stdin, with the newline a file or echo leaves.
	run "$VERIFY" -k "$RING/key-a.pub" - <<<"$token"
	[ "$status" -eq 0 ]
	printf '%s\r\n' "$token" | "$VERIFY" -d "$RING" - >/dev/null 2>&1
}

@test "sign refuses claims that are not a JSON object, or a ring that cannot sign" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	run "$KEYS" sign -d "$RING" <<<'not json'
	[ "$status" -eq 1 ]
	run "$KEYS" sign -d "$RING" <<<'[1,2]'
	[ "$status" -eq 1 ]
	rm "$RING/current"
	run "$KEYS" sign -d "$RING" <<<'{}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"no current signing key"* ]]
}

@test "verify: tampered, forged and malformed tokens exit 1 with INVALID and no payload" {
	local h p s forged
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	IFS=. read -r h p s <<<"$token"

	# Another payload under the same signature.
	forged=$h.$(printf '{"sub":"079201009999"}' | basenc --base64url | tr -d '=\n').$s
	run "$VERIFY" -d "$RING" "$forged"
	[ "$status" -eq 1 ]
	[ "$output" = "INVALID: bad signature (kid key-a)" ]

	# A flipped signature character.
	[ "${s:5:1}" = A ] && c=B || c=A
	run "$VERIFY" -d "$RING" "$h.$p.${s:0:5}$c${s:6}"
	[ "$status" -eq 1 ]
	[[ "$output" == "INVALID: bad signature"* ]]

	# alg none, with and without a signature.
	h=$(printf '{"alg":"none","kid":"key-a"}' | basenc --base64url | tr -d '=\n')
	run "$VERIFY" -d "$RING" "$h.$p."
	[ "$status" -eq 1 ]
	[ "$output" = "INVALID: malformed" ]
	run "$VERIFY" -d "$RING" "$h.$p.$s"
	[ "$status" -eq 1 ]
	[ "$output" = "INVALID: unsupported header (kid key-a)" ]

	# An unknown kid.
	h=$(printf '{"alg":"EdDSA","kid":"key-z","typ":"JWT"}' | basenc --base64url | tr -d '=\n')
	run "$VERIFY" -d "$RING" "$h.$p.$s"
	[ "$status" -eq 1 ]
	[ "$output" = "INVALID: unknown key (kid key-z)" ]

	# Shapes.
	for bad in "" "$p.$s" "$token.$s" "$token==" "${token:0:10}+${token:11}"; do
		run "$VERIFY" -d "$RING" "$bad"
		[ "$status" -eq 1 ]
		[ "$output" = "INVALID: malformed" ]
	done
	run "$VERIFY" -d "$RING" - < <(head -c 20000 /dev/zero | tr '\0' A)
	[ "$status" -eq 1 ]
}

@test "verify: usage errors and unusable keys exit 2" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	run "$VERIFY" "$token"
	[ "$status" -eq 2 ]
	run "$VERIFY" -d "$RING" -k "$RING/key-a.pub" "$token"
	[ "$status" -eq 2 ]
	run "$VERIFY" -d "$RING"
	[ "$status" -eq 2 ]
	run "$VERIFY" -k "$RING/missing.pub" "$token"
	[ "$status" -eq 2 ]
	run "$VERIFY" -k "$RING/key-a.key" "$token"
	[ "$status" -eq 2 ]
	chmod 644 "$RING/key-a.key"
	run "$VERIFY" -d "$RING" "$token"
	[ "$status" -eq 2 ]
	[[ "$output" == *"chmod 600"* ]]
}

@test "rotation: old tokens keep verifying, new ones use the new key; -k checks one key" {
	local a b
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	a=$token
	"$KEYS" new -d "$RING" key-b >/dev/null 2>&1
	sign
	b=$token
	run "$VERIFY" -d "$RING" "$a"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "signature valid (kid key-a); revocation not checked offline" ]
	run "$VERIFY" -d "$RING" "$b"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "signature valid (kid key-b); revocation not checked offline" ]

	run "$VERIFY" -k "$RING/key-a.pub" "$a"
	[ "$status" -eq 0 ]
	run "$VERIFY" -k "$RING/key-b.pub" "$a"
	[ "$status" -eq 1 ]
	[ "$output" = "INVALID: bad signature (kid key-a)" ]
}

@test "retire keeps the public key: old tokens verify, the current key cannot be retired" {
	local a
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	a=$token
	"$KEYS" new -d "$RING" key-b >/dev/null 2>&1

	run "$KEYS" retire -d "$RING" key-b
	[ "$status" -eq 1 ]
	[[ "$output" == *current* ]]
	[ -f "$RING/key-b.key" ]

	run "$KEYS" retire -d "$RING" key-a
	[ "$status" -eq 0 ]
	[ ! -e "$RING/key-a.key" ]
	[ -f "$RING/key-a.pub" ]
	run "$KEYS" retire -d "$RING" key-a
	[ "$status" -eq 1 ]
	run "$KEYS" retire -d "$RING"
	[ "$status" -eq 2 ]

	run "$VERIFY" -d "$RING" "$a"
	[ "$status" -eq 0 ]
	sign
	run "$VERIFY" -d "$RING" "$token"
	[ "${lines[-1]}" = "signature valid (kid key-b); revocation not checked offline" ]

	# A retired kid is never reused.
	run "$KEYS" new -d "$RING" key-a
	[ "$status" -eq 1 ]
}

@test "offline check with plain openssl, as the README gives it" {
	"$KEYS" new -d "$RING" key-a >/dev/null 2>&1
	sign
	cd "$BATS_TEST_TMPDIR"
	cp "$RING/key-a.pub" .
	TOKEN=$token

	# --- the README's commands, verbatim ---
	printf '%s' "${TOKEN%.*}" >signing_input.txt
	printf '%s==' "${TOKEN##*.}" | basenc --base64url -d >sig.bin
	openssl pkeyutl -verify -pubin -inkey key-a.pub -rawin \
	    -in signing_input.txt -sigfile sig.bin
	# --- end ---

	[ "$(stat -c %s sig.bin)" -eq 64 ]
	run openssl pkeyutl -verify -pubin -inkey key-a.pub -rawin \
	    -in signing_input.txt -sigfile sig.bin
	[ "$status" -eq 0 ]
	[ "$output" = "Signature Verified Successfully" ]

	# The header names the key; the payload is the credential.
	[ "$(printf '%s' "${TOKEN%%.*}" | b64url_decode)" = \
	    '{"alg":"EdDSA","kid":"key-a","typ":"JWT"}' ]
	p=${TOKEN#*.}
	[ "$(printf '%s' "${p%.*}" | b64url_decode)" = "$CLAIMS" ]

	# A changed payload fails openssl too.
	printf '%s' "${TOKEN%.*}" | sed 's/\.eyJ/.eyK/' >forged.txt
	run openssl pkeyutl -verify -pubin -inkey key-a.pub -rawin \
	    -in forged.txt -sigfile sig.bin
	[ "$status" -ne 0 ]
	[[ "$output" == *"Signature Verification Failure"* ]]

	# And openssl's own Ed25519 signature passes registry-verify.
	cp "$RING/key-a.key" own.key
	openssl pkeyutl -sign -inkey own.key -rawin -in signing_input.txt \
	    -out own.sig
	cmp own.sig sig.bin
}
