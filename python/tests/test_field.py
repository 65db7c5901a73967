"""Field files, checked independently of the CLI with numpy."""
import json

import h5py
import numpy as np
import pytest

import larmor

from conftest import ISOTROPIC_FIELD, SMALL_RUN, cli


@pytest.fixture(scope="module")
def iso(binary, work):
    spec = work / "iso-field.toml"
    spec.write_text(ISOTROPIC_FIELD)
    out = work / "iso-field.h5"
    status, stdout, stderr = cli(binary, "field", spec, "--json", "--out", out, "--threads", "2")
    assert status == 0, stderr
    return spec, json.loads(stdout), out


def test_field_file(iso):
    spec, printed, out = iso
    f = larmor.read_field(out, verify=True)
    for c in (f.bx, f.by, f.bz):
        assert c.shape == (32, 32, 32) and c.dtype == np.float32 and c.flags["C_CONTIGUOUS"]
    assert np.allclose(f.x, np.arange(32) / 32) and f.z[1] == 1 / 32
    assert f.rms() == pytest.approx(f.db_over_b0_measured, rel=1e-6, abs=1e-6)
    # the file's rms of the nodes and the JSON's rms about the mean: the same to rounding
    assert f.db_over_b0_measured == pytest.approx(printed["db_over_b0"], rel=1e-12)
    assert f.db_over_b0_requested == 0.5
    assert np.all(np.abs(f.mean()) < 1e-6)
    assert f.seed == 7 and f.spec == spec.read_text() and f.models == ["isotropic"]
    assert f.k_range == (6.283185307179586, 50.26548245743669)
    assert f.attrs["format"] == "larmor-field-2" and "B0" in f.units
    assert f.grid == tuple(printed["grid"]) and f.box.tolist() == printed["box_L"]
    div = f.divergence()
    assert div["modes"] > 100 and div["max"] < 1e-5 and div["rms"] < 1e-5


def test_spectrum_matches_the_cli(iso):
    _, printed, out = iso
    f = larmor.read_field(out)
    k, E, modes = f.spectrum()
    assert np.sum(E) * (k[1] - k[0]) == pytest.approx(f.rms() ** 2 - np.sum(f.mean() ** 2), rel=1e-9)
    ours = dict(zip(np.round(k, 9), E))
    cli_k, cli_E = np.array(printed["spectrum_k_per_L"]), np.array(printed["spectrum_energy"])
    strong = cli_E > 1e-6 * cli_E.max()
    for kk, e in zip(cli_k[strong], cli_E[strong]):
        assert ours[round(kk, 9)] == pytest.approx(e, rel=1e-5)


def test_slab_field_and_xarray(binary, work):
    spec = work / "slab-field.toml"
    spec.write_text(SMALL_RUN)
    out = work / "slab-field.h5"
    status, _, stderr = cli(binary, "field", spec, "--out", out, "--threads", "1")
    assert status == 0, stderr
    f = larmor.read_field(out, verify=True)
    assert f.bx.shape == (1, 1, 512) and f.is_slab
    assert np.all(f.bz == 0)
    k, E, _ = f.spectrum()
    assert k[0] == pytest.approx(2 * np.pi / 4)
    xr = pytest.importorskip("xarray")
    ds = f.to_xarray()
    assert isinstance(ds, xr.Dataset) and ds["bx"].dims == ("x", "y", "z") and ds.attrs["seed"] == 3


def test_corrupt_field_is_detected(iso, tmp_path):
    _, _, out = iso
    bad = tmp_path / "bad.h5"
    bad.write_bytes(out.read_bytes())
    with h5py.File(bad, "r+") as h:
        h["bx"][0, 0, 0] = h["bx"][0, 0, 0] + 1e-3
    larmor.read_field(bad)  # without verify: reads
    with pytest.raises(ValueError, match="corrupt"):
        larmor.read_field(bad, verify=True)


def test_checksum64():
    # FNV-1a over little-endian 8-byte words, seeded with the byte count
    assert larmor.checksum64(b"") == f"{0xCBF29CE484222325:016x}"
    h = ((0xCBF29CE484222325 ^ 3) ^ 0x030201) * 0x100000001B3 % 2**64
    assert larmor.checksum64(bytes([1, 2, 3])) == f"{h:016x}"
