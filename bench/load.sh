#!/usr/bin/env bash
# Load benchmark (BENCHMARKS.md, "Load"): wrk on loopback against `sikkerby serve --demo`
# (the demo data set: 5,000 citizens, the memo's Copenhagen volumes) on SQLite and PostgreSQL.
#
# For each backend: a fresh database, the release binary serving it, a signed-in caseworker who
# has declared a purpose for one citizen; then wrk with 64 connections on
#   /static/style.css   the reference: the server's cheapest answer, same process, same run;
#   /resultater         the dashboard (every criterion evaluated for the year, disclosure control);
#   /borgere/{id}       a citizen page (read, masked CPR, timeline, forms; audited per request).
# Prints requests/s, p50/p99 latency, errors, and each page's throughput as a ratio of the
# reference's. With --soak SECONDS it then runs a mixed load (dashboard + citizen page) that
# long, sampling the server's resident memory every 10 s, and reports errors and RSS growth.
#
# Usage: bench/load.sh [--duration 30s] [--connections 64] [--soak 600] [--backend sqlite|postgres|both]
# Needs: wrk (Debian package `wrk`), python3, a PostgreSQL at $SIKKERBY_BENCH_POSTGRES
# (default postgres://postgres@127.0.0.1:5432, database sikkerby_load is dropped and made anew).
set -euo pipefail

duration=30s
connections=64
soak=0
backends="sqlite postgres"
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --soak) soak="$2"; shift 2 ;;
        --backend) backends="$2"; [ "$2" = both ] && backends="sqlite postgres"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-target}"
cargo build --quiet --release --locked -p sikkerby-cli
bin="$target/release/sikkerby"
pg_base="${SIKKERBY_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
work="$(mktemp -d "${TMPDIR:-/tmp}/sikkerby-load.XXXXXX")"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# Starts the server on the backend's fresh database; sets server_pid, base, COOKIE, CITIZEN.
start_server() {
    local backend="$1" url
    if [ "$backend" = sqlite ]; then
        url="sqlite://$work/load.db?mode=rwc"
    else
        psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS sikkerby_load" -c "CREATE DATABASE sikkerby_load" >/dev/null
        url="$pg_base/sikkerby_load"
    fi
    local port=$((20000 + RANDOM % 20000))
    base="http://127.0.0.1:$port"
    SIKKERBY_LOG_FORMAT=json RUST_LOG=warn "$bin" --database-url "$url" serve --demo --bind "127.0.0.1:$port" \
        >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 1 300); do
        grep -q "sagsbehandler" "$work/server.out" 2>/dev/null && curl -fs "$base/healthz" >/dev/null && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
        sleep 1
    done
    local password
    password="$(awk '$1 == "sagsbehandler" { print $2 }' "$work/server.out")"
    eval "$(python3 bench/load_session.py "$base" sagsbehandler "$password")"
    # One warm-up pass, so that the measured runs see the evaluation and index caches filled.
    wrk -t2 -c8 -d3s -H "Cookie: $COOKIE" "$base/resultater" >/dev/null
}

stop_server() {
    kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# Runs wrk on one path; prints one table row and remembers the rate in `rate`.
measure() {
    local label="$1" path="$2" out
    out="$(wrk -t2 -c"$connections" -d"$duration" --latency -H "Cookie: $COOKIE" "$base$path")"
    rate="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    local p50 p99 errors non2xx
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
    non2xx="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"
    printf '%-9s %-20s %10s %9s %9s %7s %7s' "$backend" "$label" "$rate" "$p50" "$p99" "${errors:-0}" "${non2xx:-0}"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }

soak_run() {
    cat >"$work/mixed.lua" <<LUA
local paths = { "/resultater", "/borgere/$CITIZEN" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % 2) + 1])
end
LUA
    local samples="$work/rss-$backend.txt"
    : >"$samples"
    (while kill -0 "$server_pid" 2>/dev/null; do echo "$(date +%s) $(rss_kib)" >>"$samples"; sleep 10; done) &
    local sampler=$!
    local out
    out="$(wrk -t2 -c"$connections" -d"${soak}s" --latency -s "$work/mixed.lua" -H "Cookie: $COOKIE" "$base")"
    kill "$sampler" 2>/dev/null || true
    local rate p99 errors non2xx first last max
    rate="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
    non2xx="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"
    # Growth is measured after the first minute (caches and pools filled) to the end.
    first="$(awk 'NR == 7 { print $2 }' "$samples")"
    last="$(tail -1 "$samples" | awk '{ print $2 }')"
    max="$(awk 'NR >= 7 && $2 > m { m = $2 } END { print m }' "$samples")"
    printf 'soak %-9s %ss: %s req/s, p99 %s, socket errors %s, non-2xx %s, RSS after 1 min %s KiB, at end %s KiB, max %s KiB\n' \
        "$backend" "$soak" "$rate" "$p99" "${errors:-0}" "${non2xx:-0}" "$first" "$last" "$max"
}

echo "wrk: $connections connections, 2 threads, $duration per page; $(nproc) cores"
printf '%-9s %-20s %10s %9s %9s %7s %7s %s\n' backend page req/s p50 p99 errors non-2xx "ratio to reference"
for backend in $backends; do
    start_server "$backend"
    measure reference /static/style.css; reference="$rate"; echo
    measure dashboard /resultater; awk -v r="$rate" -v ref="$reference" 'BEGIN { printf " %.3f\n", r / ref }'
    measure citizen "/borgere/$CITIZEN"; awk -v r="$rate" -v ref="$reference" 'BEGIN { printf " %.3f\n", r / ref }'
    if [ "$soak" -gt 0 ]; then soak_run; fi
    stop_server
done
