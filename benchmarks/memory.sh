#!/usr/bin/env bash
# Peak memory of `larmor field` and `larmor trace` (resident set, /usr/bin/time -v) against the
# prediction each command prints before allocating (MemoryEstimate). Usage, from the repository
# root after a release build: bash benchmarks/memory.sh [N ...]   (default: 256 512)
set -euo pipefail
larmor=${LARMOR:-$(pwd)/.build/release/larmor}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-28s %12s %12s %8s\n' "command" "predicted" "measured" "ratio"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(256 512)
for m in "${sizes[@]}"; do
  {
    cat > "$work/field$m.toml" <<SPEC
[field]
model = "isotropic"
db_over_b0 = 0.5
k_max = $((m / 3))
seed = 1
[grid]
n = $m
box = 1.0
SPEC
    cat > "$work/run$m.toml" <<SPEC
[run]
field = "field$m.toml"
realizations = 1
duration = 0.05
samples = 4
checkpoint_seconds = 1000
[particles]
rigidities = [0.1]
count = 1000
SPEC
    for cmd in field trace; do
      spec="$work/$([ $cmd = field ] && echo field || echo run)$m.toml"
      /usr/bin/time -v "$larmor" $cmd "$spec" --threads 2 > /dev/null 2> "$work/err"
      predicted=$(grep -o 'predicted peak memory [0-9.]* GiB' "$work/err" | grep -o '[0-9.]*' | head -1)
      measured=$(grep 'Maximum resident' "$work/err" | grep -o '[0-9]*$')
      python3 -c "p=$predicted*2**30; m=$measured*1024; print(f'{\"$cmd $m³\":28s} {p/2**30:9.3f} GiB {m/2**30:9.3f} GiB {p/m:8.3f}')"
    done
  }
done
