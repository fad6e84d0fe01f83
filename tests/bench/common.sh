# shellcheck shell=bash
# Shared setup of the benchmarks, sourced (never run) by tests/bench/registry
# and tests/bench/targets from the checkout's root, after sql/env.sh and
# after they parsed their options (they set $keep: 1 leaves the database).
#
#   bench_setup PREFIX LOG   checks the build and tools, makes $out
#                            (build/bench) and $work, names the database
#                            PREFIX_$$ and its DSNs, and sets the trap
#                            that stops the server and drops the database
#   bench_database           creates it: extensions, migrations, reference
#                            and demo data
#   bench_dataset ARGS...    tests/bench/gen ARGS --load (log in
#                            $out/gen.log); sets gen_s, load_s, pg_started
#   bench_serve              build/kore/kore on a free port: $base (log in
#                            $out/LOG)
#   bench_login LOGIN        signs in with the demo password; the cookies
#                            are in $work/LOGIN.jar
#   series NAME WHO FILE [JQ]
#                            GETs the paths of FILE as WHO; see below
#   sql_owner SQL            one statement as the schema owner, unaligned
#   pg_restarted             t if PostgreSQL restarted since bench_dataset

die() { echo "bench: $*" >&2; exit 1; }
say() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

bench_setup() {
	local f c
	db=$1_$$
	server_log_name=$2
	for f in build/kore/kore build/registry.so build/registry-passwd; do
		[ -x "$f" ] || [ -f "$f" ] || die "$f is missing: run 'make build' first"
	done
	for c in curl jq python3 psql ss shuf; do
		command -v "$c" >/dev/null || die "$c is not installed"
	done
	if [ "$REGISTRY_EMBEDDED" = 1 ]; then
		sql/db status >/dev/null 2>&1 ||
		    die "the private PostgreSQL cluster is not running: sql/db start"
	fi
	out=build/bench
	mkdir -p "$out" var/tmp
	work=$(mktemp -d "$root/var/tmp/bench.XXXXXX")
	if [ "$REGISTRY_EMBEDDED" = 1 ]; then
		B_SUPER_DSN="host=$PGSOCKET dbname=$db user=postgres"
		B_OWNER_DSN="host=$PGSOCKET dbname=$db user=registry_owner"
		B_APP_DSN="host=$PGSOCKET dbname=$db user=registry_app"
	else
		B_OWNER_DSN=$(sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\1$db#" <<<"$DATABASE_URL")
		B_SUPER_DSN=$B_OWNER_DSN
		B_APP_DSN=$B_OWNER_DSN
	fi
	server_pid=
	db_made=0
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

bench_cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ "$db_made" = 1 ] && [ "$keep" = 0 ]; then
		psql -X -q "$SUPER_DSN" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
		    >/dev/null 2>&1 || echo "bench: could not drop $db" >&2
	elif [ "$db_made" = 1 ]; then
		echo "bench: kept database $db: psql \"$B_OWNER_DSN\"" >&2
		echo "bench: drop it with: psql \"$SUPER_DSN\" -c 'DROP DATABASE $db'" >&2
	fi
	rm -rf "$work"
}

sql_owner() { psql -X -q -At -v ON_ERROR_STOP=1 "$B_OWNER_DSN" -c "$1"; }

bench_database() {
	say "creating database $db"
	psql -X -q -v ON_ERROR_STOP=1 "$SUPER_DSN" \
	    -c "CREATE DATABASE $db OWNER registry_owner" >/dev/null
	db_made=1
	psql -X -q -v ON_ERROR_STOP=1 "$B_SUPER_DSN" -f sql/extensions.sql >/dev/null
	sql/migrate "$B_OWNER_DSN" >/dev/null
	sql/load reference "$B_OWNER_DSN"
	sql/load demo "$B_OWNER_DSN"
}

bench_dataset() {
	say "generating and loading the data set ($*)"
	tests/bench/gen "$@" --load "$B_OWNER_DSN" | tee "$out/gen.log" >&2
	load_s=$(sed -n 's/^load: \([0-9.]*\) s.*/\1/p' "$out/gen.log")
	gen_s=$(sed -n 's/^generated in \([0-9.]*\) s.*/\1/p' "$out/gen.log")
	pg_started=$(psql -X -q -At "$SUPER_DSN" -c "SELECT pg_postmaster_start_time()")
}

# Whether PostgreSQL restarted since bench_dataset (another checkout's
# recovery test, say): "t" or "f".
pg_restarted() {
	psql -X -q -At "$SUPER_DSN" -c "SELECT pg_postmaster_start_time() > '$pg_started'"
}

free_port() {
	local p
	for p in $(shuf -i 20000-40000 -n 50); do
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
	return 1
}

start_server() {
	local port=$1 conf=$out/${server_log_name%.log}.conf i
	sed -e "s|@PORT@|$port|g" -e "s|@ROOT@|$root|g" \
	    conf/registry.conf.in >"$conf"
	REGISTRY_DSN="$B_APP_DSN" PGOPTIONS="$APP_PGOPTIONS" \
	    stdbuf -oL build/kore/kore -f -n -r -c "$conf" \
	    >"$out/$server_log_name" 2>&1 &
	server_pid=$!
	for i in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
		kill -0 "$server_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

bench_serve() {
	local try port
	for try in 1 2 3; do
		port=$(free_port) || die "no free port"
		start_server "$port" && break
		wait "$server_pid" 2>/dev/null || true
		server_pid=
	done
	[ -n "$server_pid" ] || { cat "$out/$server_log_name" >&2; die "the server did not start"; }
	base="http://127.0.0.1:$port"
	say "server on $base (log: $out/$server_log_name)"
}

bench_login() {
	local code
	code=$(curl -sS -o "$work/login.json" -w '%{http_code}' -c "$work/$1.jar" \
	    -H 'Content-Type: application/json' \
	    --data-binary "$(jq -nc --arg l "$1" '{login: $l, password: "demo-2026"}')" \
	    "$base/api/v1/session")
	[ "$code" = 200 ] || die "login $1: HTTP $code $(cat "$work/login.json")"
}

# series NAME WHO FILE [JQ]: FILE holds warmup + n request paths; the first
# $warmup are sent untimed. Writes $work/NAME.times ("seconds hits" per
# answer 200, hits being JQ of the body, '.items | length' by default),
# $work/NAME.warm (the warm-up's seconds), $work/NAME.fails (how many
# answers were not 200) and $work/NAME.errors ("status path" of each, 000
# for no answer; the first bodies go to stderr). With $series_max_time
# set, curl gives up on a request after that many seconds. With
# $series_budget set, no request starts after that many seconds of the
# series, and the warm-up ends after a third of them (the next answers
# are timed, n at most): $work/NAME.stopped then says how many requests
# were sent.
series() {
	local name=$1 who=$2 file=$3 jqx=${4:-'.items | length'} i=0 path res \
	    code t fails=0 t0=$SECONDS warming=1 timed=0
	: >"$work/$name.times"
	: >"$work/$name.warm"
	: >"$work/$name.errors"
	rm -f "$work/$name.stopped"
	while IFS= read -r path; do
		if [ -n "${series_budget:-}" ] &&
		    [ $((SECONDS - t0)) -ge "$series_budget" ]; then
			echo "$i" >"$work/$name.stopped"
			break
		fi
		[ "$timed" -lt "$n" ] || break
		i=$((i + 1))
		rm -f "$work/body"
		res=$(curl -sS ${series_max_time:+--max-time "$series_max_time"} \
		    -o "$work/body" -w '%{http_code} %{time_total}' \
		    -b "$work/$who.jar" "$base$path" 2>/dev/null) || res="000 0"
		code=${res% *}
		t=${res#* }
		if [ "$code" != 200 ]; then
			fails=$((fails + 1))
			echo "$code $path" >>"$work/$name.errors"
			[ "$fails" -le 3 ] && echo "bench: $name: HTTP $code for $path:" \
			    "$(head -c 300 "$work/body" 2>/dev/null)" >&2
			continue
		fi
		if [ "$warming" = 1 ] && [ "$i" -le "$warmup" ] &&
		    { [ -z "${series_budget:-}" ] ||
		      [ $((SECONDS - t0)) -lt $((series_budget / 3)) ]; }; then
			echo "$t" >>"$work/$name.warm"
			continue
		fi
		warming=0
		timed=$((timed + 1))
		echo "$t $(jq "$jqx" "$work/body")" >>"$work/$name.times"
	done <"$file"
	echo "$fails" >"$work/$name.fails"
}
