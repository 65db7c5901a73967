"""Larmor from Python: run the ``larmor`` CLI, read its HDF5 results and field files, and draw
the standard figures.

    import larmor
    res = larmor.run("trace", "run.toml", "--out", "run.h5", threads=2)   # the --json object
    back = larmor.read_results("run.h5")                                  # the same object, from the file
    ds = larmor.rigidity_dataset(back, 0.05)                              # xarray.Dataset (mu, t)
    field = larmor.read_field("field.h5"); k, E, modes = field.spectrum()

Modules: :mod:`larmor.cli` (run, LarmorError), :mod:`larmor.io` (readers), :mod:`larmor.spec`
(TOML specs), :mod:`larmor.plot` (figures), :mod:`larmor.notebook` (the validation notebooks'
helpers). Code units throughout, as in docs/outputs.md.
"""
from .cli import LarmorError, find_binary, run
from .io import Field, Results, checksum64, read_field, read_results, rigidity_dataset, to_json_like
from .spec import toml, write_spec

__version__ = "0.1.0"

__all__ = [
    "LarmorError", "find_binary", "run", "Field", "Results", "checksum64", "read_field", "read_results",
    "rigidity_dataset", "to_json_like", "toml", "write_spec", "__version__",
]
