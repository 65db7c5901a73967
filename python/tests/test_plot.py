"""Each standard figure draws without error; savefig writes a 200-dpi PNG and a PDF."""
import json
import struct

import matplotlib.pyplot as plt
import pytest

import larmor
from larmor import plot
from larmor.notebook import Notebook

from conftest import ISOTROPIC_FIELD, SLAB_QLT, cli


def png_dpi(path):
    data = path.read_bytes()
    i = data.index(b"pHYs")
    x, y, unit = struct.unpack(">IIB", data[i + 4:i + 13])
    assert unit == 1
    return round(x * 0.0254)


@pytest.fixture(scope="module")
def qlt(binary, work):
    spec = work / "slab-qlt.toml"
    spec.write_text(SLAB_QLT)
    return larmor.run("qlt", spec, binary=binary)


@pytest.fixture(scope="module")
def field(binary, work):
    spec = work / "plot-field.toml"
    spec.write_text(ISOTROPIC_FIELD)
    out = work / "plot-field.h5"
    status, stdout, stderr = cli(binary, "field", spec, "--json", "--out", out, "--threads", "2")
    assert status == 0, stderr
    return json.loads(stdout), out


def test_figures(outputs, qlt, field, tmp_path):
    figs = [
        plot.dmumu(outputs["compare"][1], 0),
        plot.dmumu(outputs["windowed"][1], 0, qlt=qlt),
        plot.dmumu(larmor.read_results(outputs["compare"][2]), 0),
        plot.running_diffusion(outputs["trace"][1], 1),
        plot.running_diffusion(larmor.read_results(outputs["compare"][2]), 0),
        plot.field_spectrum(field[0]),
        plot.field_spectrum(larmor.read_field(field[1])),
    ]
    for fig in figs:
        assert isinstance(fig, plt.Figure)
    files = plot.savefig(figs[0], tmp_path / "sub" / "dmumu")
    assert files.png.name == "dmumu.png" and files.pdf.name == "dmumu.pdf"
    assert files.png.stat().st_size > 1000 and files.pdf.read_bytes()[:4] == b"%PDF"
    assert png_dpi(files.png) == 200
    fig, ax = plt.subplots()
    assert plot.dmumu(outputs["trace"][1], 1, ax=ax) is fig
    for f in figs + [fig]:
        plt.close(f)


def test_notebook_helpers(tmp_path, binary, monkeypatch):
    monkeypatch.setenv("LARMOR_QUICK", "1")
    monkeypatch.setenv("LARMOR_THREADS", "1")
    nb = Notebook(tmp_path / "notebooks", binary=binary)
    assert nb.QUICK and nb.THREADS == 1 and nb.FIELDS == tmp_path / "fields"
    spec = nb.write_spec("q", SLAB_QLT)
    assert spec == tmp_path / "notebooks" / "out" / "specs-quick" / "q.toml"
    a = nb.run("qlt", spec, verbose=False)
    assert list((nb.OUT / "cache-quick").glob("qlt-*.json"))
    assert nb.run("qlt", spec) == a
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    files = nb.savefig(fig, "x")
    assert files.png == nb.OUT / "figures" / "x.png" and files.pdf.exists() and png_dpi(files.png) == 200
    plt.close(fig)
