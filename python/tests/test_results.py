"""Results files: read_results(out).to_json_like() equals the printed --json object exactly."""
import json

import numpy as np
import pytest

import larmor
from larmor.io import Results, rigidity_dataset

from conftest import cli, first_difference


@pytest.mark.parametrize("name", ["trace", "windowed", "compare", "scan", "merge"])
def test_file_equals_printed_json(outputs, name):
    spec, printed, out = outputs[name]
    results = larmor.read_results(out)
    assert isinstance(results, Results)
    again = results.to_json_like()
    assert sorted(again) == sorted(printed)
    difference = first_difference(again, printed)
    assert difference is None, difference
    # the comparison is strict: one ulp off anywhere is a difference
    assert json.loads(json.dumps(again)) == again
    assert results.command == name if name != "windowed" else results.command == "trace"
    assert results.schema == "larmor-results-2" and results.version


def test_scan_table_layout(outputs):
    spec, printed, out = outputs["scan"]
    r = larmor.read_results(out)
    assert r.provenance["scan_spec"] == spec.read_text()
    rows = r["rows"]
    assert len(rows) == 4 and rows[1]["mode"] == "alfven" and rows[1]["chi2"] is None
    assert r.units["halo_dpar_cm2_s"] == "cm²/s"


def test_comparison_is_strict():
    assert first_difference({"a": [1.0, None]}, {"a": [1, None]}) is None
    assert first_difference({"a": 0.1 + 0.2}, {"a": 0.3}) is not None
    assert first_difference({"a": np.nextafter(1.0, 2.0)}, {"a": 1.0}) is not None
    assert first_difference({"a": True}, {"a": 1}) is not None
    assert first_difference({"w": [None, None]}, {"w": None}) is None
    assert first_difference({"a": 1}, {"a": 1, "b": None}) is not None


def test_trace_layout(outputs):
    spec, printed, out = outputs["trace"]
    r = larmor.read_results(out)
    assert r.rigidities.tolist() == [0.05, 0.2]
    assert r.provenance["run_spec"] == spec.read_text()
    assert r.provenance["particle_seed"] == 5 and r.provenance["field_seed"] == 3
    assert r["dmumu"].shape == (2, 4) and r["dmumu"].dtype == np.float64
    assert r["dpar_is_flat"].dtype == bool
    assert r["times"].shape == (2, len(printed["times"][0]))
    assert r["particles"] == printed["particles"] and isinstance(r["particles"], int)
    assert r["plateau_test"]["degrees_of_freedom"] == printed["plateau_test"]["degrees_of_freedom"]
    assert r.units["dmumu"] == "c/L" and r.units["dpar"] == "c L" and r.units["seconds"] == "s"
    # saved orbits: 3 particles × (rows incl. t = 0) × (t, x, y, z, vx, vy, vz), |v| = 1
    orbits = r.sections["orbits"]
    assert orbits["columns"] == ["t", "x", "y", "z", "vx", "vy", "vz"]
    o = orbits["orbits"]
    assert o.shape == (2, 3, len(printed["times"][0]) + 1, 7)
    assert np.allclose(np.linalg.norm(o[..., 4:7], axis=-1), 1, atol=1e-12)
    assert np.all(o[:, :, 0, 0] == 0)


def test_windowed_has_real_and_null_windows(outputs):
    _, printed, out = outputs["windowed"]
    windows = [w for row in printed["dmumu_window"] for w in row]
    assert any(w is None for w in windows) and any(w is not None for w in windows)
    r = larmor.read_results(out)
    assert r["dmumu_window"].shape == (2, 4, 2)
    assert np.isnan(r["dmumu_window"][1]).all()


def test_compare_sections(outputs, binary, work):
    spec, printed, out = outputs["compare"]
    r = larmor.read_results(out)
    assert r.command == "compare"
    bins = r["comparisons"][0]["bins"]
    assert len(bins) == 4 and bins[0]["mu0_nodes"].shape == (2,)
    trace = r.sections["trace"]
    for key in ["dmumu", "dpp", "dpp_averaged", "dpar_kubo", "motion", "lambda_par"]:
        assert key in trace
    # the section is the trace of the same spec: equal to `larmor trace --json` but for the wall times
    status, stdout, stderr = cli(binary, "trace", spec, "--json", "--threads", "1")
    assert status == 0, stderr
    alone = json.loads(stdout)
    section = trace.to_json_like()
    for key in ("seconds", "ns_per_step"):
        alone.pop(key), section.pop(key)
    assert first_difference(section, alone) is None


def test_rigidity_dataset(outputs):
    xr = pytest.importorskip("xarray")
    _, printed, out = outputs["windowed"]
    r = larmor.read_results(out)
    ds = rigidity_dataset(r, 0.05)
    assert isinstance(ds, xr.Dataset)
    assert ds.sizes["mu"] == 4 and ds.sizes["t"] == len(printed["times"][0]) and ds.sizes["bound"] == 2
    assert ds["dmumu"].attrs["units"] == "c/L" and ds["dpar_running"].attrs["units"] == "c L"
    assert ds["t"].attrs["units"] == "L/c"
    assert np.array_equal(ds["mu"].values, printed["mu_bins"])
    assert ds.attrs["dpar"] == printed["dpar"][0] and ds.attrs["dpar_window"] == printed["dpar_window"][0]
    d = [np.nan if x is None else x for x in printed["dmumu"][0]]
    assert np.array_equal(ds["dmumu"].values, d, equal_nan=True)
    # compare: the bins' table and the trace's series
    c = rigidity_dataset(larmor.read_results(outputs["compare"][2]), index=0)
    assert {"dmumu_sim", "dmumu_qlt", "dpp", "dpp_running", "mu0_nodes"} <= set(c.data_vars)
    assert c["mu0_nodes"].dims == ("mu", "node")


def test_rigidity_data_without_xarray(outputs):
    r = larmor.read_results(outputs["trace"][2])
    d = rigidity_dataset(r, index=1, use_xarray=False)
    assert d.coords["mu"][0] == ("mu",)
    assert d["dmumu_window"].shape == (4, 2) and np.isnan(d["dmumu_window"]).all()
    assert d.data_vars["dperp_running"][2]["units"] == "c L"
    with pytest.raises(KeyError):
        r.index(0.3)


def test_not_a_results_file(tmp_path):
    p = tmp_path / "x.h5"
    p.write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="not an HDF5 results file"):
        larmor.read_results(p)
