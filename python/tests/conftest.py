"""Shared fixtures: the CLI, small specs (after Tests/CLITests: `smallRun`, `movingSlabRun`) that
run in well under a second, and their outputs, made once per session in a pytest tmp dir."""
import json
import math
import os
import subprocess

import matplotlib

matplotlib.use("Agg")

import pytest

import larmor

SMALL_RUN = """\
[field]
model = "slab"
db_over_b0 = 0.01
k_max = 300
seed = 3
[grid]
n = 512
box = [1, 1, 4]
[run]
realizations = 2
duration = 3.0
samples = 12
checkpoint_seconds = 1000
[particles]
rigidities = [0.05, 0.2]
count = 64
seed = 5
[estimators]
mu_bins = 4
"""

# The same run with a shorter window rule: some μ bins find a D_μμ window, others do not, and
# one rigidity finds none (null windows beside real ones).
WINDOWED_RUN = SMALL_RUN.replace("mu_bins = 4\n", "mu_bins = 4\nmin_gyroperiods = 2\nmax_dmu2 = 0.05\n")

MOVING_SLAB_RUN = """\
[field]
model = "slab"
db_over_b0 = 0.01
k_max = 300
seed = 3
alfven_speed = 0.1
cross_helicity = 0.2
[grid]
n = 512
box = [1, 1, 4]
[run]
duration = 2.0
samples = 10
linear_samples = 10
checkpoint_seconds = 1000
[particles]
rigidities = [0.05]
count = 64
seed = 5
[estimators]
mu_bins = 4
min_gyroperiods = 5
"""

ISOTROPIC_FIELD = """\
[field]
model = "isotropic"
db_over_b0 = 0.5
k_min = 6.283185307179586
k_max = 50.26548245743669
seed = 7
[grid]
n = 32
box = 1.0
"""

SLAB_QLT = SMALL_RUN.split("[grid]")[0] + "[qlt]\nrigidities = [0.05, 0.2]\nmu_points = 10\n"


@pytest.fixture(scope="session")
def binary():
    try:
        return larmor.find_binary()
    except larmor.LarmorError as e:
        pytest.fail(f"{e} (set LARMOR to the CLI)")


def cli(binary, *args, cwd=None):
    """Run the CLI directly (not through larmor.run): its exit status, stdout and stderr."""
    p = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="session")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("larmor")


# A scan with rows that have no χ² (Alfvén modes stream at M_A = 0.5): nulls in the columns.
SMALL_SCAN = """
[scan]
rigidities_gv = [10, 100, 1000]
modes = ["all", "alfven"]
[halo_medium]
preset = "halo"
mach_alfven = [0.5, 1.0]
[halo]
height_kpc = 4.0
[source]
fit_index = true
"""


@pytest.fixture(scope="session")
def outputs(binary, work):
    """name → (spec path, parsed stdout, results file path) for trace, windowed trace, compare,
    scan and merge runs."""
    made = {}

    def one(name, text, command, *extra):
        spec = work / f"{name}.toml"
        spec.write_text(text)
        out = work / f"{name}.h5"
        status, stdout, stderr = cli(binary, command, spec, "--json", "--threads", "2", "--out", out, *extra)
        assert status == 0, stderr
        made[name] = (spec, json.loads(stdout), out)

    one("trace", SMALL_RUN, "trace", "--save-orbits", "3")
    one("windowed", WINDOWED_RUN, "trace")
    one("compare", MOVING_SLAB_RUN, "compare")
    one("scan", SMALL_SCAN, "scan")
    # merge: two shards of the small run
    spec = work / "shards.toml"
    spec.write_text(SMALL_RUN)
    parts = []
    for k in (1, 2):
        part = work / f"shards.part-{k}.h5"
        status, _, stderr = cli(binary, "trace", spec, "--shard", f"{k}/2", "--out", part, "--threads", "1")
        assert status == 0, stderr
        parts.append(part)
    out = work / "merged.h5"
    status, stdout, stderr = cli(binary, "merge", *parts, "--out", out, "--json")
    assert status == 0, stderr
    made["merge"] = (spec, json.loads(stdout), out)
    return made


# ------------------------------------------------------------------------------------------
# Strict comparison of JSON-like trees


def _null_like(v):
    if v is None or v == "":
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, list) and len(v) > 0 and all(x is None or (isinstance(x, float) and math.isnan(x)) for x in v)


def first_difference(a, b, path=""):
    """The first path where two JSON-like trees differ, or None. Numbers must be equal as
    doubles (bitwise, ±0 aside), whether written 4 or 4.0; integers must be equal exactly;
    booleans only equal booleans. The only other equivalences: None ≡ NaN ≡ "" and a null
    [start, end] window ≡ [NaN, NaN] (a list of nulls)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return f"{path}/{k}: missing on the left"
            if k not in b:
                return f"{path}/{k}: missing on the right"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    if _null_like(a) and _null_like(b) and not (isinstance(a, list) and isinstance(b, list)):
        return None
    if isinstance(a, bool) or isinstance(b, bool):
        return None if type(a) is bool and type(b) is bool and a == b else f"{path}: {a!r} ≠ {b!r}"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return None if a == b else f"{path}: {a!r} ≠ {b!r}"
        x, y = float(a), float(b)
        same = x == y and (not isinstance(a, int) or float(a) == a) and (not isinstance(b, int) or float(b) == b)
        return None if same else f"{path}: {a!r} ≠ {b!r}"
    if isinstance(a, str) and isinstance(b, str):
        return None if a == b else f"{path}: {a!r} ≠ {b!r}"
    return f"{path}: {a!r} ≠ {b!r}"
