#!/usr/bin/env python3
"""DuckDB over the same OPERA extract as the criteria engine's benchmark (BENCHMARKS.md).

Loads the CSV files into DuckDB tables (bench/duckdb_load.sql, not timed), runs C1-C10 with the
drill-down by centre as the independent SQL of crates/app/tests/sql/criteria.sql (its dialect
macros expanded for DuckDB), best of N runs, and compares every figure with the engine's JSON
output from examples/criteria_bench.rs. Lines starting "BENCH " are for bench/criteria.sh.

    python3 bench/duckdb_criteria.py --data DIR/opera --year 2020 --as-of 2021-12-31 \
        [--runs 5] [--threads N] [--engine-json engine.json]

--threads sets DuckDB's threads (default: all cores, as os.cpu_count() sees them).
"""

import argparse
import json
import os
import re
import sys
import time
import tomllib
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
CRITERIA_SQL = ROOT / "crates/app/tests/sql/criteria.sql"
LOAD_SQL = ROOT / "bench/duckdb_load.sql"
CODE_LISTS = ROOT / "seed/code_lists.toml"

COUNTS = ["C1", "C3", "C5"]
SHARES = ["C2", "C4", "C6", "C8", "C9", "C10"]
BY_CENTRE = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C9", "C10"]


def expand(sql: str, period_from: str, period_to: str, as_of: str) -> str:
    """The criteria SQL for DuckDB: the same macros as crates/app/tests/sql/mod.rs expands."""
    # DuckDB's date + interval clamps a missing day to the month's end, as the spec wants.
    sql = re.sub(r"\bPLUS(\d+)\(([^()]*)\)", lambda m: f"CAST({m[2]} + INTERVAL {m[1]} MONTH AS DATE)", sql)
    sql = re.sub(r"\bDAYNUM\(([^()]*)\)", lambda m: f"(CAST({m[1]} AS DATE) - DATE '2000-01-01')", sql)
    sql = re.sub(r"\bROWORDER\(([^()]*)\)", lambda m: f"{m[1]}.rowid", sql)
    last = min(period_to, as_of)
    for token, value in ((":from", period_from), (":to", period_to), (":as_of", as_of), (":last", last)):
        sql = sql.replace(token, f"DATE '{value}'")
    return sql


def load(con: duckdb.DuckDBPyConnection, opera: Path) -> None:
    header = (opera / "borgere.csv").open(encoding="utf-8-sig").readline()
    delim = ";" if ";" in header else ","
    con.execute(LOAD_SQL.read_text().format(dir=opera.as_posix(), delim=delim))
    codes = tomllib.loads(CODE_LISTS.read_text())
    con.execute("CREATE TABLE code_list (list VARCHAR, code VARCHAR, lab INTEGER, positive INTEGER)")
    rows = [
        (name, c["code"], int(c.get("lab", False)), int(c.get("positive", False)))
        for name in ("offer_type", "end_reason", "follow_up_status")
        for c in codes[name]
    ]
    con.executemany("INSERT INTO code_list VALUES (?, ?, ?, ?)", rows)


def figures(rows):
    """{(criterion, centre or None): (successes, members, unknown, pending)}"""
    return {(r[0], r[1]): tuple(int(x) for x in r[2:6]) for r in rows}


def compare(engine: dict, sql: dict) -> list[str]:
    """Every disagreement between the engine's JSON and the SQL figures (same rules as the test)."""
    results = {r["criterion"]: r for r in engine["results"]}
    errors = []

    def tally(cid, group=None):
        return sql.get((cid, group), (0, 0, 0, 0))

    for cid in COUNTS:
        if results[cid].get("value") != float(tally(cid)[1]):
            errors.append(f"{cid} value: engine {results[cid].get('value')}, SQL {tally(cid)[1]}")
    for cid in SHARES:
        r, (s, n, u, p) = results[cid], tally(cid)
        got = (r.get("numerator"), r.get("denominator"), r.get("unknown", 0), r.get("pending_members", 0))
        if got != (s, n, u, p):
            errors.append(f"{cid} (num, den, unknown, pending): engine {got}, SQL {(s, n, u, p)}")
    s, n, _, _ = tally("C7")
    if results["C7"].get("value") is None or abs(results["C7"]["value"] - s / n) > 1e-9:
        errors.append(f"C7 value: engine {results['C7'].get('value')}, SQL {s / n}")
    for cid in BY_CENTRE:
        groups = {g["group"]: g for g in results[cid].get("breakdown", [])}
        sql_groups = {g for (c, g) in sql if c == cid and g is not None}
        if set(groups) != sql_groups:
            errors.append(f"{cid} centres: engine {sorted(groups)}, SQL {sorted(sql_groups)}")
        for name, g in groups.items():
            s, n, u, _ = tally(cid, name)
            if cid == "C7":
                ok = g.get("value") is not None and abs(g["value"] - s / n) <= 1e-9
            elif cid in COUNTS:
                ok = g.get("value") == float(n)
            else:
                ok = (g.get("numerator"), g.get("denominator"), g.get("unknown", 0)) == (s, n, u)
            if not ok:
                errors.append(f"{cid} centre {name!r}: engine {g}, SQL {(s, n, u)}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the opera/ folder")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engine-json", type=Path)
    args = parser.parse_args()

    con = duckdb.connect(config={"threads": args.threads})
    started = time.perf_counter()
    load(con, args.data)
    print(f"DuckDB {duckdb.__version__}: loaded the CSV files in {time.perf_counter() - started:.1f} s "
          f"({con.execute('SELECT current_setting(' + repr('threads') + ')').fetchone()[0]} threads)")
    print(f"BENCH duckdb_load_s={time.perf_counter() - started:.2f}")

    sql = expand(CRITERIA_SQL.read_text(), f"{args.year}-01-01", f"{args.year}-12-31", args.as_of)
    times, rows = [], None
    for _ in range(max(args.runs, 1)):
        started = time.perf_counter()
        rows = con.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    print("DuckDB C1-C10 by centre: best {:.1f} ms of [{}] ms".format(
        min(times) * 1000, ", ".join(f"{t * 1000:.1f}" for t in times)))
    print(f"BENCH duckdb_best_ms={min(times) * 1000:.1f}")

    if args.engine_json:
        errors = compare(json.loads(args.engine_json.read_text()), figures(rows))
        for error in errors[:20]:
            print("  disagreement:", error)
        print(f"BENCH duckdb_disagreements={len(errors)}")
        return 1 if errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
