"""Small helpers shared by the validation notebooks: locate/build the `larmor` CLI, write specs,
run commands with JSON output (cached in notebooks/out/), and save figures.

No physics lives here: every diffusion coefficient, spectrum and QLT value comes from the CLI.
"""
import hashlib
import json
import os
import pathlib
import subprocess
import time

NB_DIR = pathlib.Path(__file__).resolve().parent
REPO = NB_DIR.parent
OUT = NB_DIR / "out"
FIG = NB_DIR / "figures"
FIELDS = REPO / "fields"
QUICK = os.environ.get("LARMOR_QUICK", "0") not in ("", "0", "false", "no")
THREADS = int(os.environ.get("LARMOR_THREADS", "2"))


def larmor_path():
    """Path of the CLI: $LARMOR, else <repo>/.build/release/larmor (built if missing)."""
    p = pathlib.Path(os.environ.get("LARMOR", REPO / ".build" / "release" / "larmor"))
    if not p.exists():
        subprocess.run(["swift", "build", "-c", "release"], cwd=REPO, check=True)
    if not p.exists():
        raise FileNotFoundError(f"larmor CLI not found at {p}")
    return str(p)


LARMOR = None


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def toml(sections):
    """dict of section -> dict of key -> value, as TOML text."""
    lines = []
    for sec, kv in sections.items():
        lines.append(f"[{sec}]")
        for k, v in kv.items():
            lines.append(f"{k} = {toml_value(v)}")
        lines.append("")
    return "\n".join(lines)


def write_spec(name, sections):
    """Write a spec TOML under notebooks/out/specs-{quick,full}/ and return its path."""
    d = OUT / ("specs-quick" if QUICK else "specs-full")
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{name}.toml"
    p.write_text(toml(sections) if isinstance(sections, dict) else sections)
    return p


def run(cmd, spec, *extra, cache=True, verbose=True):
    """Run `larmor CMD SPEC --json [extra]`, return the parsed JSON. Results are cached by the
    spec text, the command line and the binary's mtime in notebooks/out/cache/."""
    global LARMOR
    if LARMOR is None:
        LARMOR = larmor_path()
    spec = pathlib.Path(spec)
    text = spec.read_text()
    # run specs may point at a field spec: include it in the key
    for line in text.splitlines():
        s = line.split("#")[0].strip()
        if s.startswith("field") and "=" in s and '"' in s:
            ref = s.split("=", 1)[1].strip().strip('"')
            fp = spec.parent / ref
            if fp.exists():
                text += fp.read_text()
    argv = [LARMOR, cmd, str(spec), "--json", *map(str, extra)]
    # the key depends on the spec text (not its name), the arguments and the binary's mtime
    key = hashlib.sha1((text + "|" + " ".join(argv[1:2] + argv[3:]) + "|"
                        + str(os.path.getmtime(LARMOR))).encode()).hexdigest()[:16]
    cdir = OUT / ("cache-quick" if QUICK else "cache-full")
    cdir.mkdir(parents=True, exist_ok=True)
    cfile = cdir / f"{cmd}-{key}.json"
    if cache and cfile.exists():
        return json.loads(cfile.read_text())
    t0 = time.time()
    r = subprocess.run(argv, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout)
    if verbose:
        print(f"larmor {cmd} {spec.name}: {time.time() - t0:.1f} s")
    cfile.write_text(json.dumps(out))
    return out


def savefig(fig, name, dpi=90):
    """Save a small PNG under notebooks/figures/ (full size) or notebooks/out/figures (quick)."""
    d = FIG if not QUICK else OUT / "figures"
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{name}.png"
    fig.savefig(p, dpi=dpi, bbox_inches="tight")
    return p
