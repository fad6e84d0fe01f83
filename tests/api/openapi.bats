#!/usr/bin/env bats
# The OpenAPI document (assets/openapi.json) against the server and its
# routes: it is served, describes every route of conf/registry.conf.in
# (regex routes as templated paths) and nothing else, every operation
# documents its problem+json errors, and the methods it lists are the ones
# the server answers.
#
# Needs BASE_URL (set by tests/run), curl and jq.

setup_file() {
	export DOC="$BATS_FILE_TMPDIR/openapi.json"
	export ROUTES="$BATS_FILE_TMPDIR/routes.tsv"
	local conf="$BATS_TEST_DIRNAME/../../conf/registry.conf.in"

	curl -sS -o "$DOC" "$BASE_URL/api/v1/openapi.json" || true

	# One line per route except the catch-all: templated path, then a
	# concrete path that the route's regex matches. ([0-9]{n}) is a unit
	# code, {code}; ([0-9]{1,n}) is a database id, {id}; so is a UUID,
	# ([0-9a-f-]{36}); ([0-9]{4}-[0-9]{2}-[0-9]{2}) is a day, {date}.
	awk '$1 == "route" { print $2 }' "$conf" |
	    sed -E -e 's/^\^//' -e 's/\$$//' |
	    grep -vx '/' |
	    while read -r route; do
		printf '%s\t%s\n' \
		    "$(sed -E -e 's/\(\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}\)/{date}/g' \
			-e 's/\(\[0-9\]\{[0-9]+\}\)/{code}/g' \
			-e 's/\(\[0-9\]\{1,[0-9]+\}\)/{id}/g' \
			-e 's/\(\[0-9a-f-\]\{36\}\)/{id}/g' <<<"$route")" \
		    "$(sed -E -e 's/\(\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}\)/2024-07-01/g' \
			-e 's/\(\[0-9\]\{2\}\)/22/g' \
			-e 's/\(\[0-9a-f-\]\{36\}\)/00000000-0000-4000-8000-000000000000/g' \
			-e 's/\(\[0-9\]\{5\}\)/06688/g' \
			-e 's/\(\[0-9\]\{1,[0-9]+\}\)/1/g' <<<"$route")"
	    done >"$ROUTES"
}

fail() {
	printf '%s\n' "$@" >&2
	return 1
}

@test "openapi: GET /api/v1/openapi.json is 200 JSON, OpenAPI 3.1.0" {
	run curl -sS -o /dev/null -w '%{http_code} %{content_type}' \
	    "$BASE_URL/api/v1/openapi.json"
	[ "$status" -eq 0 ] || fail "curl failed: $output"
	[[ "$output" == "200 application/json"* ]] || fail "got: $output"
	[ "$(jq -r .openapi "$DOC")" = "3.1.0" ] ||
	    fail "openapi is $(jq -c .openapi "$DOC")"
	[ "$(jq -r .info.title "$DOC")" = "CTXH workforce registry API" ]
	[ "$(jq -r .info.version "$DOC")" = "0.1.0" ]
}

@test "openapi: the route list was read from conf/registry.conf.in" {
	[ "$(wc -l <"$ROUTES")" -ge 20 ] ||
	    fail "only $(wc -l <"$ROUTES") routes found:" "$(cat "$ROUTES")"
	grep -q $'^/api/v1/users/{id}\t/api/v1/users/1$' "$ROUTES" ||
	    fail "regex routes not converted:" "$(cat "$ROUTES")"
	grep -q $'^/api/v1/provinces/{code}/communes\t' "$ROUTES" ||
	    fail "code routes not converted:" "$(cat "$ROUTES")"
}

@test "openapi: every route is described in paths" {
	local missing=() path
	while IFS=$'\t' read -r path _; do
		jq -e --arg p "$path" '.paths | has($p)' "$DOC" >/dev/null ||
		    missing+=("$path")
	done <"$ROUTES"
	[ ${#missing[@]} -eq 0 ] ||
	    fail "routes missing from the document:" "${missing[@]}"
}

@test "openapi: every documented path is a route (no stale paths)" {
	local stale=() path
	while read -r path; do
		cut -f1 "$ROUTES" | grep -qxF -- "$path" || stale+=("$path")
	done < <(jq -r '.paths | keys[]' "$DOC")
	[ ${#stale[@]} -eq 0 ] ||
	    fail "documented paths that are not routes:" "${stale[@]}"
}

@test "openapi: every operation has a 4xx answer using the Problem schema" {
	local bad
	# Responses may be $refs to components.responses; resolve them.
	bad=$(jq -r '
	    . as $doc
	    | def deref: if type == "object" and has("$ref")
		then (.["$ref"] | ltrimstr("#/") | split("/")) as $at
		    | $doc | getpath($at)
		else . end;
	    .paths | to_entries[] | .key as $path
	    | .value | to_entries[]
	    | select(.key | test("^(get|put|post|delete|patch|head|options|trace)$"))
	    | .key as $method
	    | select([(.value.responses // {}) | to_entries[]
		| select(.key | test("^4[0-9][0-9]$"))
		| .value | deref
		| .content["application/problem+json"].schema["$ref"]
		| select(. == "#/components/schemas/Problem")] | length == 0)
	    | "\($method | ascii_upcase) \($path)"' "$DOC")
	[ -z "$bad" ] || fail "operations without a problem+json 4xx:" "$bad"
}

@test "openapi: the Problem schema has the problem+json fields" {
	run jq -r '.components.schemas.Problem.properties | keys | join(" ")' "$DOC"
	[ "$status" -eq 0 ]
	local f
	for f in type title status detail code field errors; do
		[[ " $output " == *" $f "* ]] || fail "Problem lacks $f: $output"
	done
	# A real problem from the server fits it: required fields there, no
	# field the schema does not know.
	run curl -sS "$BASE_URL/api/v1/me"
	[ "$status" -eq 0 ]
	local problem=$output
	jq -e --argjson p "$problem" '
	    .components.schemas.Problem as $s
	    | ($s.required - ($p | keys)) == []
	    and (($p | keys) - ($s.properties | keys)) == []' "$DOC" >/dev/null ||
	    fail "problem does not fit the schema: $problem"
}

@test "openapi: security schemes are the session cookie and bearer tokens" {
	jq -e '.components.securitySchemes
	    | (.[] | select(.type == "apiKey" and .in == "cookie"
		and .name == "ctxh_session")) != null
	    and (.[] | select(.type == "http" and .scheme == "bearer")) != null' \
	    "$DOC" >/dev/null || fail "$(jq -c .components.securitySchemes "$DOC")"
	for s in Unit User Token Page Institution AuditEntry Problem; do
		jq -e --arg s "$s" '.components.schemas | has($s)' "$DOC" \
		    >/dev/null || fail "no shared schema $s"
	done
}

@test "openapi: path parameters are declared for every templated path" {
	local bad
	bad=$(jq -r '
	    . as $doc
	    | def deref: if type == "object" and has("$ref")
		then (.["$ref"] | ltrimstr("#/") | split("/")) as $at
		    | $doc | getpath($at)
		else . end;
	    .paths | to_entries[] | .key as $path | .value as $item
	    | [$path | scan("\\{([a-z_]+)\\}") | .[0]] as $names
	    | $item | to_entries[]
	    | select(.key | test("^(get|put|post|delete|patch)$"))
	    | .key as $method
	    | ([($item.parameters // [])[], (.value.parameters // [])[]
		| deref | select(.in == "path") | .name]) as $declared
	    | select(($names - $declared) != [] or ($declared - $names) != [])
	    | "\($method | ascii_upcase) \($path): path has \($names), declared \($declared)"' \
	    "$DOC")
	[ -z "$bad" ] || fail "$bad"
}

@test "openapi: the documented methods are the ones the server answers" {
	local template concrete method documented code wrong=()
	while IFS=$'\t' read -r template concrete; do
		for method in GET POST PATCH PUT DELETE; do
			documented=$(jq -r --arg p "$template" \
			    --arg m "${method,,}" '.paths[$p] | has($m)' "$DOC")
			if [ "$method" = GET ] || [ "$method" = DELETE ]; then
				code=$(curl -s -o /dev/null -w '%{http_code}' \
				    -X "$method" "$BASE_URL$concrete")
			else
				code=$(curl -s -o /dev/null -w '%{http_code}' \
				    -X "$method" -H 'Content-Type: application/json' \
				    --data '{}' "$BASE_URL$concrete")
			fi
			if [ "$documented" = true ] && [ "$code" = 405 ]; then
				wrong+=("$method $concrete: documented, server says 405")
			elif [ "$documented" != true ] && [ "$code" != 405 ]; then
				wrong+=("$method $concrete: undocumented, server says $code")
			fi
		done
	done <"$ROUTES"
	[ ${#wrong[@]} -eq 0 ] || fail "${wrong[@]}"
}
