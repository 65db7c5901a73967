"""larmor.convert: yt datasets built in memory (yt.load_uniform_grid) with analytic fields in mixed
units, converted and checked value by value, and the CLI on a file yt reads back. Needs yt
(./python[convert]); skipped without it. Does not need the larmor CLI."""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

yt = pytest.importorskip("yt")
yt.set_log_level(40)

from larmor import convert  # noqa: E402

UNIT_CM = 3.0e18  # the datasets' length unit (≈ 1 pc), exact in binary multiples below
DIMS = (16, 8, 12)  # different sides, so that a transposed axis cannot pass
BBOX = np.array([[-0.5, 0.5], [0.0, 2.0], [0.0, 1.5]])  # in UNIT_CM
FIELDS = ("bx", "by", "bz", "vx", "vy", "vz", "rho")


def centres():
    """Cell-centre coordinates (length unit) as [ix][iy][iz] arrays, and the integer indices."""
    axes = [BBOX[a, 0] + (np.arange(n) + 0.5) * (BBOX[a, 1] - BBOX[a, 0]) / n for a, n in enumerate(DIMS)]
    x, y, z = np.meshgrid(*axes, indexing="ij")
    i, j, k = np.meshgrid(*[np.arange(n) for n in DIMS], indexing="ij")
    return x, y, z, i, j, k


def analytic():
    """The fields in the units they are given to yt (μG, km/s, kg/m³) and in the file's (G, cm/s, g/cm³)."""
    x, y, z, i, j, k = centres()
    two_pi = 2 * np.pi
    given = {
        "magnetic_field_x": 0.6 * np.sin(two_pi * y / 2.0),
        "magnetic_field_y": 0.3 * np.cos(two_pi * z / 1.5),
        "magnetic_field_z": 3.0 * (1 + 0.05 * np.sin(two_pi * x)),
        "velocity_x": 2.0 * x,
        "velocity_y": 5.0 * np.sin(two_pi * y / 2.0) * np.cos(two_pi * x),
        "velocity_z": (i + 100 * j + 10000 * k).astype(np.float64),  # the index, to pin the axis order
        "density": 1.7e-21 * (1 + 0.3 * np.cos(two_pi * (x + y / 2.0 + z / 1.5))),
    }
    units = {"magnetic_field": "uG", "velocity": "km/s", "density": "kg/m**3"}
    factor = {"magnetic_field": 1e-6, "velocity": 1e5, "density": 1e-3}
    names = dict(zip(("magnetic_field_x", "magnetic_field_y", "magnetic_field_z", "velocity_x", "velocity_y",
                      "velocity_z", "density"), FIELDS))
    data, expected = {}, {}
    for key, values in given.items():
        kind = key.rsplit("_", 1)[0] if key != "density" else "density"
        data[key] = (values, units[kind])
        expected[names[key]] = values * factor[kind]
    return data, expected


def dataset(drop=(), periodicity=(True, True, True)):
    data, expected = analytic()
    for key in drop:
        del data[key]
    ds = yt.load_uniform_grid(data, DIMS, length_unit=(UNIT_CM, "cm"), bbox=BBOX, periodicity=periodicity, sim_time=2.0,
                              time_unit="Myr")
    return ds, expected


def read(path):
    with h5py.File(path, "r") as f:
        data = {k: f[k][...] for k in f.keys()}
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        dtypes = {k: f[k].dtype for k in f.keys()}
    return data, attrs, dtypes


def assert_float32_equal(actual, expected):
    """Equal to the float32 rounding of the float64 value, give or take one unit in the last place
    (yt converts units in float64 and may round its factor differently)."""
    assert actual.dtype == np.float32
    np.testing.assert_array_max_ulp(actual, expected.astype(np.float32), maxulp=1)


def test_values_shape_axis_order_and_attributes(tmp_path):
    ds, expected = dataset()
    out = str(tmp_path / "snap.h5")
    info = convert.convert(ds, out, input_name="analytic")
    data, attrs, dtypes = read(out)
    assert sorted(data) == sorted(FIELDS)
    for name in FIELDS:
        assert data[name].shape == DIMS, name
        assert dtypes[name] == np.float32, name
        assert_float32_equal(data[name], expected[name])
    # index [ix][iy][iz]: vz holds ix + 100 iy + 10000 iz (km/s)
    assert data["vz"][3, 5, 7] == np.float32((3 + 500 + 70000) * 1e5)
    assert data["vx"][0, 0, 0] == np.float32(2 * (-0.5 + 0.5 / 16) * 1e5)  # a cell centre, not a corner
    assert set(attrs) == {"box_size", "units", "magnetic_units", "source", "grid_offset_cells", "domain_left_edge_cm"}
    assert attrs["box_size"].dtype == np.float64 and attrs["box_size"].shape == (3,)
    assert attrs["box_size"].tolist() == [1.0 * UNIT_CM, 2.0 * UNIT_CM, 1.5 * UNIT_CM]
    assert attrs["domain_left_edge_cm"].tolist() == [-0.5 * UNIT_CM, 0, 0]
    assert attrs["magnetic_units"] == "gaussian"
    assert attrs["units"] == convert.UNITS and "gauss" in attrs["units"] and "g/cm^3" in attrs["units"]
    assert attrs["grid_offset_cells"] == 0.5
    source = attrs["source"]
    assert source.startswith("analytic (StreamDataset, dataset_type stream, t = 6.3")
    assert f"yt {yt.__version__}" in source and "covering_grid level 0 [16, 8, 12]" in source
    assert "gas:magnetic_field_x" in source and "gas:density" in source
    assert info["dims"] == list(DIMS) and info["sound_speed"] is None and info["adiabatic_index"] is None


def test_sound_speed_and_gamma_recorded(tmp_path):
    ds, _ = dataset()
    out = str(tmp_path / "snap.h5")
    convert.convert(ds, out, sound_speed="1.5e5", adiabatic_index=1.0)
    _, attrs, _ = read(out)
    assert attrs["sound_speed"] == 1.5e5 and attrs["sound_speed"].dtype == np.float64
    assert attrs["adiabatic_index"] == 1.0 and attrs["adiabatic_index"].dtype == np.float64


def test_missing_field_is_one_line_error(tmp_path):
    ds, _ = dataset(drop=("magnetic_field_y", "magnetic_field_z"))
    out = tmp_path / "snap.h5"
    with pytest.raises(SystemExit) as e:
        convert.convert(ds, str(out))
    message = str(e.value.code)
    assert message.startswith("larmor.convert: ") and "\n" not in message
    assert "no field 'magnetic_field_y' for B_y" in message
    assert not out.exists() and not (tmp_path / "snap.h5.tmp").exists()
    with pytest.raises(SystemExit, match="no field 'gas,pressure' for the density"):
        convert.convert(dataset()[0], str(out), field_rho="gas,pressure")


def test_nonperiodic_domain_refused(tmp_path):
    ds, _ = dataset(periodicity=(True, False, True))
    with pytest.raises(SystemExit, match=r"not periodic along y"):
        convert.convert(ds, str(tmp_path / "snap.h5"))
    convert.convert(ds, str(tmp_path / "snap.h5"), allow_nonperiodic=True)


def test_dims_off_the_level_grid_average(tmp_path):
    ds, expected = dataset()
    out = str(tmp_path / "coarse.h5")
    info = convert.convert(ds, out, dims=(8, 4, 6))
    data, attrs, _ = read(out)
    assert info["dims"] == [8, 4, 6] and "arbitrary_grid [8, 4, 6]" in attrs["source"]
    block = expected["rho"].reshape(8, 2, 4, 2, 6, 2).mean(axis=(1, 3, 5))
    np.testing.assert_allclose(data["rho"], block.astype(np.float32), rtol=3e-7)
    with pytest.raises(SystemExit, match="not the level-1 grid"):
        convert.convert(ds, out, level=1, dims=(8, 4, 6))


def test_cli_on_a_file_yt_reads(tmp_path):
    tomllib = pytest.importorskip("tomllib")
    ds, expected = dataset()
    grid = ds.covering_grid(0, ds.domain_left_edge, ds.domain_dimensions)
    saved = grid.save_as_dataset(str(tmp_path / "saved.h5"), fields=[("gas", f) for f in analytic()[0]])
    out = tmp_path / "snap.h5"
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(convert.__file__))))
    p = subprocess.run([sys.executable, "-m", "larmor.convert", saved, "--out", str(out)], capture_output=True,
                       text=True, env=env)
    assert p.returncode == 0, p.stderr
    spec = tomllib.loads(p.stdout)["field"]["file"]
    assert spec["path"] == str(out) and spec["magnetic_units"] == "gaussian"
    assert spec["density"] == "rho" and spec["velocity"] == ["vx", "vy", "vz"]
    assert spec["box"] == [0.5, 1.0, 0.75]  # in L = the longest side
    data, attrs, _ = read(out)
    for name in FIELDS:
        assert_float32_equal(data[name], expected[name])
    assert attrs["source"].startswith(f"{saved} (YTGridDataset")
    # a missing field: exit status 1, one line on stderr, nothing on stdout
    p = subprocess.run([sys.executable, "-m", "larmor.convert", saved, "--out", str(tmp_path / "x.h5"),
                        "--fields-b", "bx", "by", "bz"], capture_output=True, text=True, env=env)
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.strip().count("\n") == 0 and "no field 'bx' for B_x" in p.stderr
    p = subprocess.run([sys.executable, "-m", "larmor.convert", str(tmp_path / "none.h5"), "--out", str(out)],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 1 and "no such file" in p.stderr
