#!/usr/bin/env python3
"""MPI scaling of `larmor trace` on this machine, as efficiencies measured in one run.

strong: the same job (isotropic 64³, δB/B₀ = 1, 4 realizations × 2048 particles, R = 0.1, 40 L/c)
        on 1 rank × 1 thread (T₁), 2 ranks × 1 thread and 1 rank × 2 threads: E = T₁ / (2 T).
weak:   1 rank × 1 thread with 2 realizations against 2 ranks × 1 thread with 4 (the strong case's
        2-rank run): E = T₁ / T₂.
Wall times include field synthesis, checkpoints, MPI start-up and rank 0's estimators; each case
runs `--rounds` times, best kept. The integration efficiency (traced steps only) isolates the cost
MPI adds to the work itself.
Every multi-rank result is checked to equal the one-process numbers (bitwise, JSON).
Usage: python3 benchmarks/mpi-scaling.py [--rounds 2] [--duration 40] [--larmor PATH]
(--duration in L/c: longer jobs amortize the fixed costs, MPI start-up above all.)
"""
import argparse, json, os, pathlib, shutil, subprocess, tempfile, time

here = pathlib.Path(__file__).resolve().parent
ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=2)
ap.add_argument("--duration", type=float, default=40.0, help="run duration in L/c (the job's length)")
ap.add_argument("--larmor", default=str(here.parent / ".build" / "release" / "larmor"))
args = ap.parse_args()
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
mpirun = shutil.which("mpirun") or "/usr/bin/mpirun"

SPEC = """[field]
model = "isotropic"
db_over_b0 = 1.0
k_min = 6.283185307179586
k_max = 100.0
seed = 1
[grid]
n = 64
[run]
realizations = {r}
duration = {duration}
samples = 40
[particles]
rigidities = [0.1]
count = 2048
seed = 1
"""


def numbers(out):
    d = json.loads(out)
    seconds = d.pop("seconds")  # integration wall time summed over ranks (and parts)
    d.pop("ns_per_step", None)
    return d, seconds


def timed(spec, ranks, threads):
    best, result = float("inf"), None
    for _ in range(args.rounds):
        cmd = [args.larmor, "trace", spec, "--json", "--threads", str(threads)]
        if ranks > 1:
            cmd = [mpirun, "--oversubscribe", "-np", str(ranks)] + cmd
        t0 = time.time()
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise SystemExit(r.stderr[-2000:])
        wall = time.time() - t0
        if wall < best:
            best, result = wall, numbers(r.stdout)
    return best, result[0], result[1]


with tempfile.TemporaryDirectory() as d:
    specs = {}
    for r in (2, 4):
        p = pathlib.Path(d) / f"run-{r}.toml"
        p.write_text(SPEC.format(r=r, duration=args.duration))
        specs[r] = str(p)
    t1, n1, i1 = timed(specs[4], 1, 1)
    t2r, n2r, i2r = timed(specs[4], 2, 1)
    t2t, n2t, _ = timed(specs[4], 1, 2)
    w1, _, _ = timed(specs[2], 1, 1)
    w2 = t2r
    assert n2r == n1 and n2t == n1, "multi-rank or multi-thread numbers differ from the one-process run"
    print(f"{os.cpu_count()} cores; best of {args.rounds}; numbers of 2 ranks and of 2 threads equal 1 × 1 bitwise")
    print(f"strong: 1 rank × 1 thread {t1:6.2f} s | 2 ranks × 1 thread {t2r:6.2f} s  E = {t1 / (2 * t2r):.3f}"
          f" | 1 rank × 2 threads {t2t:6.2f} s  E = {t1 / (2 * t2t):.3f}")
    print(f"weak:   1 rank, 2 realizations {w1:6.2f} s | 2 ranks, 4 realizations {w2:6.2f} s  E = {w1 / w2:.3f}")
    print(f"integration only (the traced steps, summed over ranks): 1 rank {i1:.2f} s, 2 ranks {i2r:.2f} s  E = {i1 / i2r:.3f}"
          f"; the rest of the wall time is start-up, synthesis, checkpoints and rank 0's estimators")
