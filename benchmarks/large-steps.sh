#!/usr/bin/env bash
# Accuracy and cost of steps longer than a cell (run.cell_fraction > 1): the same isotropic
# 128³ fields (fields/isotropic.toml, δB/B₀ = 1) and the same particles traced with
# cell_fraction = 0.25, 1, 4, 16 at phase_per_step = 0.3; prints D_∥, D_⊥ per rigidity as ratios to
# the cell_fraction = 0.25 run and the wall time of each. Run from the repository root after
# `swift build -c release`:  bash benchmarks/large-steps.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
larmor="${LARMOR:-$repo/.build/release/larmor}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$repo/fields/isotropic.toml" "$work/"
for cf in 0.25 1 4 16; do
  cat > "$work/run-$cf.toml" <<SPEC
[run]
field = "isotropic.toml"
realizations = 2
duration = 50.0
samples = 40
phase_per_step = 0.3
cell_fraction = $cf
[particles]
rigidities = [0.3, 1.0, 3.0]
count = 500
seed = 1
[estimators]
mu_bins = 10
SPEC
  start=$(date +%s.%N)
  "$larmor" trace "$work/run-$cf.toml" --json --threads 2 > "$work/out-$cf.json" 2> /dev/null
  echo "$cf $(echo "$(date +%s.%N) - $start" | bc)" >> "$work/times.txt"
done
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
times = dict(line.split() for line in open(f"{work}/times.txt"))
ref = json.load(open(f"{work}/out-0.25.json"))
print("cell_fraction  wall[s]  steps       " + "  ".join(f"D_par/ref(R={r:g}) D_perp/ref" for r in ref["rigidities"]))
for cf in ["0.25", "1", "4", "16"]:
    d = json.load(open(f"{work}/out-{cf}.json"))
    ratios = "  ".join(f"{a / b:17.4f} {c / e:10.4f}" for a, b, c, e in zip(d["dpar"], ref["dpar"], d["dperp"], ref["dperp"]))
    print(f"{cf:>13}  {float(times[cf]):7.2f}  {d['steps']:.3e}  {ratios}")
PY
