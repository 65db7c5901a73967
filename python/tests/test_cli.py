"""larmor.run: JSON, errors with the CLI's message, the cache; spec writing."""
import os
import pathlib

import pytest

import larmor
from larmor import cli as lcli
from larmor.spec import toml, write_spec

from conftest import SMALL_RUN


def test_run_returns_the_json(tmp_path, binary):
    spec = write_spec(tmp_path / "slab.toml", {
        "field": {"model": "slab", "db_over_b0": 0.01, "k_max": 300, "seed": 3},
        "grid": {"n": 512, "box": [1, 1, 4]},
    })
    res = larmor.run("field", spec, threads=1, binary=binary)
    assert res["models"] == ["slab"] and res["grid"] == [1, 1, 512] and res["seed"] == 3
    text = larmor.run("field", spec, threads=1, json=False, binary=binary)
    assert "requested" in text and not text.lstrip().startswith("{")


def test_bad_spec_raises_with_the_key(tmp_path, binary):
    spec = tmp_path / "bad.toml"
    spec.write_text(SMALL_RUN.replace("count = 64", "count = 0"))
    with pytest.raises(larmor.LarmorError) as info:
        larmor.run("trace", spec, threads=1, binary=binary)
    e = info.value
    assert "particles.count" in str(e) and e.message.startswith("Error:") and "\n" not in e.message
    assert e.returncode == 1 and e.argv[1] == "trace"


def test_usage_error_exit_status(tmp_path, binary):
    spec = tmp_path / "ok.toml"
    spec.write_text(SMALL_RUN)
    with pytest.raises(larmor.LarmorError) as info:
        larmor.run("trace", spec, "--bogus", binary=binary)
    assert info.value.returncode == 64 and "--bogus" in info.value.message


def test_cache(tmp_path, binary, monkeypatch):
    field = tmp_path / "f.toml"
    field.write_text(SMALL_RUN.split("[run]")[0])
    run = tmp_path / "r.toml"
    run.write_text('[run]\nfield = "f.toml"\n' + SMALL_RUN.split("[run]\n")[1])
    cache = tmp_path / "cache"
    first = larmor.run("trace", run, threads=1, cache_dir=cache, binary=binary)
    files = list(cache.glob("trace-*.json"))
    assert len(files) == 1
    where = lcli.cache_path("trace", run, threads=1, cache_dir=cache, binary=binary)
    assert where == files[0]
    # served from the cache: even a missing binary is not needed … (same mtime key: same binary path)
    assert larmor.run("trace", run, threads=1, cache_dir=cache, binary=binary) == first
    # … and a change of the referenced field spec is a new key
    field.write_text(field.read_text().replace("seed = 3", "seed = 4"))
    assert lcli.cache_path("trace", run, threads=1, cache_dir=cache, binary=binary) != where
    # --out runs are never cached
    assert lcli.cache_path("trace", run, "--out", tmp_path / "o.h5", cache_dir=cache, binary=binary) is None


def test_binary_lookup(tmp_path, monkeypatch, binary):
    monkeypatch.setenv("LARMOR", str(tmp_path / "nowhere"))
    with pytest.raises(larmor.LarmorError, match="not found"):
        lcli.find_binary()
    monkeypatch.setenv("LARMOR", binary)
    assert lcli.find_binary() == binary
    assert lcli.find_binary(binary) == binary


def test_toml():
    text = toml({"field": {"model": "slab", "db_over_b0": 0.1, "on": True, "box": [1, 1.5], "t": {"a": 1}}})
    assert text.splitlines() == ["[field]", 'model = "slab"', "db_over_b0 = 0.1", "on = true", "box = [1, 1.5]", "t = { a = 1 }"]
    assert toml({"x": {"v": 1 / 3}}).splitlines()[1] == f"v = {1 / 3!r}"


def test_cache_key_follows_the_files_a_spec_names(tmp_path):
    """A changed field spec, field file or [field.file] snapshot changes the cache key; the
    spec's own file name does not."""
    (tmp_path / "f.toml").write_text('[field]\nmodel = "slab"\n')
    for name in ("a.h5", "b.h5", "saved.h5"):
        (tmp_path / name).write_bytes(b"0")
    run = tmp_path / "run.toml"
    run.write_text('[run]\nfield = "f.toml"\n')
    snap = tmp_path / "snap.toml"
    snap.write_text('[field.file]\npaths = ["a.h5", "b.h5"]\nbox = [1, 1, 1]\n[run]\nduration = 1\n')
    saved = tmp_path / "saved.toml"
    saved.write_text('[run]\nfield_file = "saved.h5"\n')
    keys = {p: lcli.cache_key("trace", [p], ["--json"], str(run)) for p in (run, snap, saved)}
    (tmp_path / "f.toml").write_text('[field]\nmodel = "isotropic"\n')
    (tmp_path / "b.h5").write_bytes(b"01")
    (tmp_path / "saved.h5").write_bytes(b"012")
    for p in (run, snap, saved):
        assert lcli.cache_key("trace", [p], ["--json"], str(run)) != keys[p], p.name
    copy = tmp_path / "renamed.toml"
    copy.write_text(snap.read_text())
    assert lcli.cache_key("trace", [copy], ["--json"], str(run)) == lcli.cache_key("trace", [snap], ["--json"], str(run))
