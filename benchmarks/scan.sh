#!/usr/bin/env bash
# Cost of a parameter scan: `larmor scan fields/scan.toml` (200 media × 3 modes, γ fitted per row,
# χ² of B/C + C + O) on 1 and on 2 threads in one run; prints the wall times, rows per second, the
# two-thread speed-up and efficiency, and checks the two tables are identical (the table does not
# depend on the thread count). Target: the 2-thread scan under 60 s. Run from the repository root
# after `swift build -c release`:  bash benchmarks/scan.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
larmor="${LARMOR:-$repo/.build/release/larmor}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$repo/fields/scan.toml" "$work/"
declare -A seconds
for threads in 1 2; do
  start=$(date +%s.%N)
  "$larmor" scan "$work/scan.toml" --json --threads "$threads" --checkpoint "$work/checkpoint-$threads" > "$work/table-$threads.json" 2> /dev/null
  seconds[$threads]=$(echo "$(date +%s.%N) - $start" | bc -l)
done
rows=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['rows']))" "$work/table-1.json")
cmp -s "$work/table-1.json" "$work/table-2.json" && same="identical" || same="DIFFERENT"
python3 - "$rows" "${seconds[1]}" "${seconds[2]}" "$same" <<'PY'
import sys
rows, t1, t2, same = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
print(f"larmor scan fields/scan.toml: {rows} rows")
print(f"  1 thread : {t1:6.1f} s  ({rows / t1:5.1f} rows/s)")
print(f"  2 threads: {t2:6.1f} s  ({rows / t2:5.1f} rows/s), speed-up {t1 / t2:.2f}, efficiency {t1 / (2 * t2):.0%}")
print(f"  tables on 1 and 2 threads: {same}; target 2 threads < 60 s: {'met' if t2 < 60 else 'MISSED'}")
PY
