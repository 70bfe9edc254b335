#!/usr/bin/env bash
# Benchmark of the criteria engine (BENCHMARKS.md, "Criteria engine"), in one command:
#   1. generates a synthetic OPERA extract (default 1,000,000 citizens x 10 years) unless the
#      same one is already in the data folder;
#   2. loads it into the engine's CaseData and times evaluate() for one year with a drill-down
#      by centre (best of --runs), then one changed follow-up to new results;
#   3. loads the same CSV files into DuckDB (not timed) and times C1-C10 with the same drill-down
#      as SQL (crates/app/tests/sql/criteria.sql), best of --runs, checking every figure against
#      the engine's;
#   4. prints a summary with the ratio DuckDB time / engine time, and whether the run is
#      representative: the 1-minute load average, read before, between and after, must not
#      exceed the number of cores (else "NOT REPRESENTATIVE"; the exit code stays 0).
#
# Usage: bench/criteria.sh [--citizens N] [--years Y] [--runs R] [--threads T] [--data DIR] [--clean]
#   --citizens 50000 gives a quick run (seconds); --years must be at least 2. The engine and DuckDB
#   both use T threads (default: every core, nproc). The extract is kept in DIR (default
#   ${TMPDIR:-/tmp}/sikkerby-criteria-bench) for the next run; --clean removes it afterwards.
set -euo pipefail

citizens=1000000
years=10
runs=5
threads=$(nproc)
data_root="${TMPDIR:-/tmp}/sikkerby-criteria-bench"
clean=0
while [ $# -gt 0 ]; do
    case "$1" in
        --citizens) citizens="$2"; shift 2 ;;
        --years) years="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --data) data_root="$2"; shift 2 ;;
        --clean) clean=1; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
data="$data_root/c${citizens}-y${years}"
results="$data_root/results-c${citizens}-y${years}"
mkdir -p "$data_root" "$results"

python3 -c 'import duckdb' 2>/dev/null || python3 -m pip install --quiet duckdb
cargo build --quiet --release -p sikkerby-app --example criteria_bench
bench_bin="${CARGO_TARGET_DIR:-target}/release/examples/criteria_bench"

# The 1-minute load average at each step; a run is representative only if none exceeds the cores.
cores=$(nproc)
loads=()
sample_load() { loads+=("$(cut -d' ' -f1 /proc/loadavg)"); }
sample_load
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== engine (Rust, $threads threads)"
"$bench_bin" --citizens "$citizens" --years "$years" --runs "$runs" --threads "$threads" \
    --data "$data" --json "$results/engine.json" | tee "$results/engine.log"
sample_load

# BENCH key=value lines → shell variables (keys are fixed identifiers).
bench_value() { grep -ho "\b$1=[^ ]*" "$results"/*.log | tail -1 | cut -d= -f2; }
year=$(bench_value year)
as_of=$(bench_value as_of)

echo "== DuckDB"
duckdb_status=0
python3 bench/duckdb_criteria.py --data "$data/opera" --year "$year" --as-of "$as_of" --runs "$runs" \
    --threads "$threads" --engine-json "$results/engine.json" | tee "$results/duckdb.log" || duckdb_status=$?
sample_load
busiest=$(printf '%s\n' "${loads[@]}" | sort -g | tail -1)
if awk -v l="$busiest" -v c="$cores" 'BEGIN { exit !(l > c) }'; then
    verdict="NOT REPRESENTATIVE: load average reached $busiest on $cores cores (other work was running)"
else
    verdict="representative: load average at most $busiest on $cores cores"
fi

engine_ms=$(bench_value evaluate_best_ms)
duckdb_ms=$(bench_value duckdb_best_ms)
cat <<EOF

== Summary: criteria C1-C10, year $year as of $as_of, drill-down by centre, best of $runs, $threads threads
scale                        $citizens citizens x $years years: $(bench_value rows_csv) case rows (CaseData $(bench_value rows_engine) records)
generate (release)           $(bench_value generate_s || true) s (blank = extract reused)
load CSV -> CaseData         $(bench_value load_s) s, of which $(bench_value load_apply_s) s applying rows (one thread)   (target < 15 s)
engine evaluate              $engine_ms ms   (target < 500 ms); without drill-down $(bench_value evaluate_no_drilldown_best_ms) ms
follow-up -> new results     $(bench_value followup_live_best_ms) ms live (per-citizen update), vs $(bench_value followup_best_ms) ms full re-evaluation   (target < 30 ms)
DuckDB load (untimed)        $(bench_value duckdb_load_s) s
DuckDB same SQL              $duckdb_ms ms
DuckDB / engine              $(awk -v d="$duckdb_ms" -v e="$engine_ms" 'BEGIN { printf "%.1f", d / e }')x   (target >= 5x)
engine vs DuckDB figures     $(bench_value duckdb_disagreements) disagreements
machine                      $cores cores; load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)
run                          $verdict
logs                         $results
EOF

if [ "$clean" = 1 ]; then rm -rf "$data"; fi
exit "$duckdb_status"
