"""Readers for the two HDF5 files the CLI writes (docs/outputs.md):

* results files (schema ``larmor-results-2``, written by ``trace``, ``compare`` and ``merge`` with
  ``--out``): :func:`read_results` gives back the command's ``--json`` object;
* field files (format ``larmor-field-2``, ``larmor field --out``): :func:`read_field`.

How values come back from :func:`read_results`
----------------------------------------------
The layout is undone exactly as ``ResultsFile.Reader`` (Sources/LarmorIO/ResultsFile.swift) undoes
it: root attributes and datasets are keys, groups ``R=<R>`` (``larmor_layout = "rigidity"``) give
back one entry per rigidity of every key they hold, ordered by ``larmor_index``, ``provenance``
and ``larmor_layout = "section"`` groups are set aside, ``"table"`` groups become lists of
records, ``"list"`` groups lists, other groups records, and attributes in
:data:`LAYOUT_ATTRIBUTES` are never keys. Python types:

* scalars are ``int``, ``float``, ``bool`` or ``str``; a null (NaN in a float, ``""`` in a text)
  is ``None``;
* a rectangular list of numbers or booleans, at any depth, is a ``numpy.ndarray`` (float64 with
  NaN for null, int64, or bool). A key held per rigidity is stacked along a first axis of
  length n_R (``results["dmumu"]`` has shape [n_R, n_μ]) when every rigidity's entry has the
  same shape and kind; otherwise it is a Python list of the entries;
* a list of texts is a Python list of ``str`` (``None`` for null);
* a list of records (``comparisons``, ``bins``) is a list of dicts, a record a dict.

:meth:`Results.to_json_like` turns all of this into plain JSON types (lists, dicts, ``None`` for
NaN) for comparison with ``json.loads`` of the CLI's stdout. Differences that HDF5 forces
(docs/outputs.md, "Known gaps"): a null text reads back as ``None`` whatever the JSON had, a null
``[start, end]`` window inside a numeric list reads back as ``[None, None]``, and integer-valued
doubles read back as floats (``4.0`` for JSON's ``4``, the same number).
"""
from __future__ import annotations

import json
import math
import pathlib
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Dict, List, Optional

import h5py
import numpy as np

RESULTS_SCHEMA = "larmor-results-2"
FIELD_FORMATS = ("larmor-field-2", "larmor-field-1")

#: Attributes that describe the layout of a results file, never a key of the result
#: (``ResultsFile.layoutAttributes``).
LAYOUT_ATTRIBUTES = frozenset(
    ["larmor_layout", "larmor_index", "larmor_rows", "larmor_units", "larmor_command", "larmor_schema", "larmor_version"]
)

__all__ = [
    "Results", "read_results", "to_json_like", "rigidity_dataset", "RigidityData",
    "Field", "read_field", "checksum64", "LAYOUT_ATTRIBUTES",
]


class ResultsFileError(ValueError):
    """A file that is not a readable larmor results or field file."""


# ---------------------------------------------------------------------------------------------
# Scalars and datasets


def _python_scalar(value: Any) -> Any:
    """A numpy or h5py scalar as a Python value; NaN and ±inf are None, "" is None."""
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else None
    return value


def _attribute(obj: h5py.HLObject, name: str, path: str) -> Any:
    """A scalar (or one-value) attribute, as ``HDF5.readScalarAttribute`` reads it."""
    raw = obj.attrs[name]
    if isinstance(raw, np.ndarray):
        if raw.size != 1:
            raise ResultsFileError(f"{path}: attribute {name} holds {raw.size} values, not one")
        raw = raw.reshape(()).item() if raw.dtype.kind != "O" else raw.reshape(-1)[0]
    if isinstance(raw, np.generic) and h5py.check_enum_dtype(raw.dtype) is not None:
        return bool(raw != 0)
    return _python_scalar(raw)


def _dataset(ds: h5py.Dataset) -> Any:
    """A dataset as an array (numbers, booleans), a list of texts, or a scalar (0-d)."""
    dt = ds.dtype
    if h5py.check_string_dtype(dt) is not None:
        texts = ds.asstr()[()]
        if np.ndim(texts) == 0:
            return _python_scalar(texts)
        return np.vectorize(lambda s: None if s == "" else s, otypes=[object])(texts).tolist() if texts.size else []
    if h5py.check_enum_dtype(dt) is not None:
        values = ds[()] != 0
    else:
        values = ds[()]
        if dt.kind == "b":
            values = np.asarray(values, bool)
        elif dt.kind in "iu":
            values = np.asarray(values, np.int64) if dt.kind == "i" or dt.itemsize < 8 else np.asarray(values)
        elif dt.kind == "f":
            values = np.asarray(values, np.float64)
        else:
            raise ResultsFileError(f"{ds.file.filename}: {ds.name} has a type a results file does not use ({dt})")
    values = np.asarray(values)
    if values.ndim == 0:
        return _python_scalar(values[()])
    return values


# ---------------------------------------------------------------------------------------------
# Results files


class Results(dict):
    """A command's ``--json`` object read from a results file (keys sorted), with what the file
    holds beside it.

    Attributes: ``command`` (``trace``, ``compare``, ``merge``), ``schema``, ``version``,
    ``rigidities`` (array of the R groups' ``reduced_rigidity``, in order), ``per_rigidity_keys``,
    ``provenance`` (dict: spec texts, seeds, field-file checksum), ``sections`` (dict of name →
    :class:`Results`: ``trace`` inside a compare, ``orbits`` with ``--save-orbits``), ``units``
    (key → unit, from the datasets' ``units`` and the groups' ``larmor_units``) and ``path``.
    """

    def __init__(self, values=(), **kw):
        super().__init__(values)
        self.command: str = kw.get("command", "")
        self.schema: Optional[str] = kw.get("schema")
        self.version: Optional[str] = kw.get("version")
        self.rigidities: np.ndarray = np.asarray(kw.get("rigidities", []), float)
        self.per_rigidity_keys: frozenset = frozenset(kw.get("per_rigidity_keys", ()))
        self.provenance: Dict[str, Any] = kw.get("provenance", {})
        self.sections: Dict[str, "Results"] = kw.get("sections", {})
        self.units: Dict[str, str] = kw.get("units", {})
        self.path: Optional[str] = kw.get("path")

    def to_json_like(self) -> Dict[str, Any]:
        """The result in plain JSON types (see the module's docstring), to compare with
        ``json.loads`` of the CLI's ``--json`` output."""
        return to_json_like(dict(self))

    def index(self, R: float) -> int:
        """Position of rigidity ``R`` in ``rigidities`` (nearest match within 1e-9 relative)."""
        r = self.rigidities if self.rigidities.size else np.asarray(self.get("rigidities", []), float)
        if r.size == 0:
            raise KeyError("this result has no rigidities")
        i = int(np.argmin(np.abs(r - R)))
        if abs(r[i] - R) > 1e-9 * max(abs(R), abs(r[i])):
            raise KeyError(f"rigidity {R} is not one of {r.tolist()}")
        return i

    def __repr__(self) -> str:
        return (f"<larmor.Results {self.command or '?'}: {len(self)} keys, rigidities {self.rigidities.tolist()}, "
                f"sections {sorted(self.sections)}>")


def to_json_like(value: Any) -> Any:
    """``value`` in JSON types: arrays → nested lists, numpy scalars → Python, NaN/±inf → None."""
    if isinstance(value, dict):
        return {str(k): to_json_like(v) for k, v in sorted(value.items())}
    if isinstance(value, np.ndarray):
        return to_json_like(value.tolist())
    if isinstance(value, (list, tuple)):
        return [to_json_like(v) for v in value]
    return _python_scalar(value)


def _layout(group: h5py.Group) -> Optional[str]:
    if "larmor_layout" not in group.attrs:
        return None
    v = group.attrs["larmor_layout"]
    return v.decode() if isinstance(v, bytes) else str(v)


def _collect_units(obj: h5py.HLObject, units: Dict[str, str]) -> None:
    if "larmor_units" in obj.attrs:
        text = obj.attrs["larmor_units"]
        text = text.decode() if isinstance(text, bytes) else str(text)
        try:
            units.update({str(k): str(v) for k, v in json.loads(text).items()})
        except (ValueError, AttributeError):
            pass


def _fields(group: h5py.Group, path: str, units: Dict[str, str]) -> Dict[str, Any]:
    """A group's keys: its attributes (less the layout's) and members (less layout groups)."""
    result: Dict[str, Any] = {}
    _collect_units(group, units)
    for name in sorted(group.attrs.keys()):
        if name not in LAYOUT_ATTRIBUTES:
            result[name] = _attribute(group, name, path)
    for name in sorted(group.keys()):
        member = group.get(name, getclass=False)
        if isinstance(member, h5py.Group):
            if _layout(member) in ("rigidity", "provenance", "section"):
                continue
            result[name] = _group_value(member, path, units)
        else:
            if "units" in member.attrs:
                u = member.attrs["units"]
                units[name] = u.decode() if isinstance(u, bytes) else str(u)
            result[name] = _dataset(member)
    return result


def _row(column: Any, i: int) -> Any:
    v = column[i]
    if isinstance(v, np.generic):
        return _python_scalar(v)
    return v


def _group_value(group: h5py.Group, path: str, units: Dict[str, str]) -> Any:
    layout = _layout(group)
    if layout == "table":
        if "larmor_rows" not in group.attrs:
            raise ResultsFileError(f"{path}: a table lacks larmor_rows ({group.name})")
        rows = int(group.attrs["larmor_rows"])
        columns = _fields(group, path, units)
        lists = {k: c for k, c in columns.items() if isinstance(c, (list, np.ndarray)) and np.ndim(c) >= 1}
        return [{k: _row(c, i) for k, c in lists.items() if i < len(c)} for i in range(rows)]
    if layout == "list":
        f = _fields(group, path, units)
        indices = sorted(int(k) for k in f if k.isdigit() or (k.startswith("-") and k[1:].isdigit()))
        return [f[str(i)] for i in indices]
    return _fields(group, path, units)


def _stack(entries: List[Any]) -> Any:
    """One per-rigidity key: an array over rigidities when the entries allow it, else a list."""
    if not entries:
        return np.zeros(0)
    scalars = all(e is None or (isinstance(e, (int, float)) and not isinstance(e, bool)) for e in entries)
    if scalars:
        if all(isinstance(e, int) for e in entries):
            return np.array(entries, np.int64)
        return np.array([np.nan if e is None else e for e in entries], np.float64)
    if all(isinstance(e, bool) for e in entries):
        return np.array(entries, bool)
    if all(isinstance(e, np.ndarray) for e in entries):
        shapes = {e.shape for e in entries}
        kinds = {e.dtype.kind for e in entries}
        if len(shapes) == 1 and (kinds <= {"i", "u", "f"} or kinds == {"b"}):
            return np.stack(entries)
    return list(entries)


def _document(group: h5py.Group, path: str) -> Results:
    """One document (the root, or a section group), as ``ResultsFile.Reader.document``."""
    units: Dict[str, str] = {}
    command = group.attrs.get("larmor_command", "")
    command = command.decode() if isinstance(command, bytes) else str(command)
    result = _fields(group, path, units)
    rigidity_groups = []
    provenance: Dict[str, Any] = {}
    sections: Dict[str, Results] = {}
    for name in sorted(group.keys()):
        sub = group.get(name, getclass=False)
        if not isinstance(sub, h5py.Group):
            continue
        layout = _layout(sub)
        if layout == "rigidity":
            try:
                i = sub.attrs["larmor_index"]
                r = sub.attrs["reduced_rigidity"]
                assert np.asarray(i).dtype.kind in "iu" and np.asarray(r).dtype.kind == "f"
            except (KeyError, AssertionError):
                raise ResultsFileError(f"{path}: group {name} lacks its rigidity") from None
            f = _fields(sub, path, units)
            f.pop("reduced_rigidity", None)
            rigidity_groups.append((int(i), float(r), f))
        elif layout == "provenance":
            provenance = _fields(sub, path, {})
        elif layout == "section":
            sections[name] = _document(sub, path)
    rigidity_groups.sort(key=lambda g: g[0])
    keys = sorted(set().union(*(g[2].keys() for g in rigidity_groups))) if rigidity_groups else []
    for key in keys:
        result[key] = _stack([g[2].get(key) for g in rigidity_groups])
    return Results(
        sorted(result.items()), command=command, rigidities=[g[1] for g in rigidity_groups],
        per_rigidity_keys=keys, provenance=provenance, sections=sections, units=units, path=path,
    )


def read_results(path) -> Results:
    """Read a ``larmor-results-2`` file into the command's ``--json`` object (a :class:`Results`)."""
    path = str(path)
    if not pathlib.Path(path).exists() or not h5py.is_hdf5(path):
        raise ResultsFileError(f"{path}: not an HDF5 results file")
    with h5py.File(path, "r") as f:
        schema = f.attrs.get("larmor_schema")
        schema = schema.decode() if isinstance(schema, bytes) else schema
        if schema != RESULTS_SCHEMA:
            raise ResultsFileError(f"{path}: not a {RESULTS_SCHEMA} results file (attribute larmor_schema)")
        doc = _document(f["/"], path)
        version = f.attrs.get("larmor_version")
        doc.schema = schema
        doc.version = version.decode() if isinstance(version, bytes) else version
        for section in doc.sections.values():
            section.schema, section.version = doc.schema, doc.version
    return doc


# ---------------------------------------------------------------------------------------------
# One rigidity as a labelled data set


@dataclass
class RigidityData:
    """What :func:`rigidity_dataset` returns when xarray is not installed: ``coords`` and
    ``data_vars`` map names to ``(dims, values, attrs)``; ``attrs`` holds the rigidity's scalars."""

    coords: Dict[str, tuple] = dataclass_field(default_factory=dict)
    data_vars: Dict[str, tuple] = dataclass_field(default_factory=dict)
    attrs: Dict[str, Any] = dataclass_field(default_factory=dict)

    def __getitem__(self, name):
        return (self.data_vars.get(name) or self.coords[name])[1]

    def __contains__(self, name):
        return name in self.data_vars or name in self.coords


def _as_float_array(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values.astype(float) if values.dtype.kind in "iuf" else values
    return np.array([np.nan if v is None else v for v in values], float)


def _is_time_key(key: str) -> bool:
    return key == "kubo_lags" or "_running" in key


def rigidity_dataset(results: Results, R: Optional[float] = None, *, index: Optional[int] = None, use_xarray: bool = True):
    """The per-μ-bin and per-time arrays of one rigidity (by value ``R`` or by ``index``) as an
    ``xarray.Dataset``: coordinates ``mu`` (bin centres), ``t`` (sample times, L/c; ``kubo_lag`` the
    TGK lags along it), ``bound`` (start, end) for the D_μμ windows and dimension ``node`` for the
    compare quadrature; every variable whose key has a unit carries a ``units`` attribute; the
    rigidity's scalars (``dpar``, ``dpar_is_flat``, …, the plateau windows as [start, end]) are
    the data set's attributes, with ``rigidity``.

    Works for trace/merge results and for compare results (the bins' table joined with the
    trace section's arrays). Without xarray (or with ``use_xarray=False``) it returns a
    :class:`RigidityData` holding the same arrays."""
    if index is None:
        if R is None:
            raise TypeError("give R or index")
        index = results.index(R)
    is_compare = "comparisons" in results
    trace = results.sections.get("trace", Results()) if is_compare else results
    units = {**trace.units, **results.units}
    coords: Dict[str, tuple] = {}
    data: Dict[str, tuple] = {}
    rigidities = np.asarray(results.get("rigidities", results.rigidities), float)
    attrs: Dict[str, Any] = {"rigidity": float(rigidities[index])}

    def unit(key):
        return {"units": units[key]} if key in units else {}

    mu = _as_float_array(trace["mu_bins"]) if "mu_bins" in trace else None
    if mu is None and is_compare:
        mu = _as_float_array([b.get("mu") for b in results["comparisons"][index]["bins"]])
    n_mu = None if mu is None else len(mu)
    if mu is not None:
        coords["mu"] = (("mu",), mu, unit("mu_bins") or {"units": "1"})
    if "times" in trace:
        coords["t"] = (("t",), _as_float_array(trace["times"][index]), unit("times"))

    for key in sorted(trace.per_rigidity_keys):
        if key == "times":
            continue
        entry = trace[key][index]
        if not isinstance(entry, (np.ndarray, list)):
            attrs[key] = _python_scalar(entry)
            continue
        if isinstance(entry, list) and all(v is None or isinstance(v, str) for v in entry):
            arr = np.array(entry, dtype=object)
        else:
            arr = np.asarray(entry)
        if key.endswith("_window"):
            if arr.shape == (2,):
                attrs[key] = to_json_like(arr)
                continue
            if arr.shape == (n_mu,):  # every bin without a window: one NaN per bin in the file
                arr = np.full((n_mu, 2), np.nan)
            data[key] = (("mu", "bound"), arr, unit(key))
        elif _is_time_key(key) and arr.ndim == 1:
            if key == "kubo_lags":
                coords["kubo_lag"] = (("t",), arr.astype(float), unit(key))
            else:
                data[key] = (("t",), arr, unit(key))
        elif arr.ndim >= 1 and arr.shape[0] == n_mu:
            data[key] = (("mu",) + tuple(f"{key}_dim{d}" for d in range(1, arr.ndim)), arr, unit(key))
        else:
            data[key] = (tuple(f"{key}_dim{d}" for d in range(arr.ndim)), arr, unit(key))

    if is_compare:
        record = results["comparisons"][index]
        attrs.update({k: v for k, v in record.items() if k != "bins"})
        bins = record["bins"]
        for key in sorted({k for b in bins for k in b}):
            if key == "mu":
                continue
            values = [b.get(key) for b in bins]
            if all(isinstance(v, np.ndarray) for v in values) and len({v.shape for v in values}) == 1:
                arr = np.stack(values)
                dims = ("mu", "node") if arr.ndim == 2 else ("mu",) + tuple(f"{key}_dim{d}" for d in range(1, arr.ndim))
            elif all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
                arr, dims = _as_float_array(values), ("mu",)
            elif all(v is None or isinstance(v, (str, bool)) for v in values):
                arr, dims = np.array(values, dtype=object), ("mu",)
            else:
                continue
            data[key] = (dims, arr, unit(key))
    if any("bound" in dims for dims, _, _ in data.values()):
        coords["bound"] = (("bound",), np.array(["start", "end"], dtype=object), {})

    if use_xarray:
        try:
            import xarray as xr
        except ImportError:
            use_xarray = False
    if not use_xarray:
        return RigidityData(coords=coords, data_vars=data, attrs=attrs)
    return xr.Dataset(
        data_vars={k: xr.Variable(dims, v, attrs=a) for k, (dims, v, a) in data.items()},
        coords={k: xr.Variable(dims, v, attrs=a) for k, (dims, v, a) in coords.items()},
        attrs=attrs,
    )


# ---------------------------------------------------------------------------------------------
# Field files

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = (1 << 64) - 1


def checksum64(data: bytes) -> str:
    """``Checksum64`` (Sources/LarmorCore/Checksum.swift) of ``data`` as 16 lower-case hex digits:
    FNV-1a over little-endian 8-byte words, the last zero-padded, seeded with the byte count."""
    data = bytes(data)
    h = _FNV_OFFSET ^ len(data)
    full = len(data) // 8 * 8
    words = np.frombuffer(data[:full], dtype="<u8").tolist()
    for w in words:
        h = ((h ^ w) * _FNV_PRIME) & _MASK
    if full < len(data):
        w = int.from_bytes(data[full:], "little")
        h = ((h ^ w) * _FNV_PRIME) & _MASK
    return f"{h:016x}"


@dataclass
class Field:
    """A field file: ``bx``, ``by``, ``bz`` (float32, C order [ix][iy][iz], δb/B₀ without the mean
    field), node coordinates ``x``, ``y``, ``z`` (i·Δx, in L) and ``attrs`` (every file attribute,
    Python types). Properties name the attributes; :meth:`spectrum` and :meth:`divergence`
    measure the data independently of the CLI (numpy FFT)."""

    bx: np.ndarray
    by: np.ndarray
    bz: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    attrs: Dict[str, Any]
    path: Optional[str] = None

    # --- attributes
    @property
    def box(self) -> np.ndarray:
        return np.asarray(self.attrs["box_size"], float)

    @property
    def grid(self) -> tuple:
        return tuple(int(n) for n in self.bx.shape)

    @property
    def seed(self) -> int:
        return int(self.attrs["seed"])

    @property
    def spec(self) -> str:
        return self.attrs.get("spec", "")

    @property
    def db_over_b0_requested(self) -> float:
        return float(self.attrs["db_over_b0"])

    @property
    def db_over_b0_measured(self) -> Optional[float]:
        v = self.attrs.get("db_over_b0_measured")
        return None if v is None else float(v)

    @property
    def models(self) -> List[str]:
        m = self.attrs.get("models", "")
        return [s.strip() for s in m.split("+")] if m else []

    @property
    def fractions(self) -> np.ndarray:
        return np.atleast_1d(np.asarray(self.attrs.get("fractions", []), float))

    @property
    def k_range(self) -> tuple:
        return float(self.attrs["k_min"]), float(self.attrs["k_max"])

    @property
    def units(self) -> str:
        return self.attrs.get("units", "")

    @property
    def b0_direction(self) -> np.ndarray:
        return np.asarray(self.attrs.get("b0_direction", [0.0, 0.0, 1.0]), float)

    @property
    def normalization(self) -> Optional[str]:
        return self.attrs.get("normalization")

    @property
    def is_slab(self) -> bool:
        return self.models == ["slab"] or (self.bx.shape[0] == 1 and self.bx.shape[1] == 1)

    # --- measurements
    def components(self) -> List[np.ndarray]:
        return [self.bx, self.by, self.bz]

    def mean(self) -> np.ndarray:
        """⟨δb⟩ per component (B₀)."""
        return np.array([c.mean(dtype=np.float64) for c in self.components()])

    def rms(self) -> float:
        """√⟨|δb|²⟩ over the nodes (B₀): what ``db_over_b0_measured`` records."""
        s = sum(np.sum(c.astype(np.float64) ** 2) for c in self.components())
        return float(np.sqrt(s / self.bx.size))

    def _wavevectors(self):
        n = self.bx.shape
        L = self.box
        kx = 2 * np.pi * np.fft.fftfreq(n[0], d=L[0] / n[0])
        ky = 2 * np.pi * np.fft.fftfreq(n[1], d=L[1] / n[1])
        kz = 2 * np.pi * np.fft.rfftfreq(n[2], d=L[2] / n[2])
        return kx[:, None, None], ky[None, :, None], kz[None, None, :]

    def _modes(self):
        """rfft coefficients B_k/N of the three components and each stored entry's weight (the
        entries 0 < l < n_z/2 stand for ±k)."""
        n = self.bx.shape
        cells = self.bx.size
        coeffs = [np.fft.rfftn(c.astype(np.float64)) / cells for c in self.components()]
        nzc = n[2] // 2 + 1
        w = np.full(nzc, 2.0)
        w[0] = 1.0
        if n[2] % 2 == 0:
            w[-1] = 1.0
        return coeffs, w[None, None, :]

    def spectrum(self):
        """Shell-averaged (slab: line) energy spectrum by numpy FFT, binned as the CLI bins it:
        bins of width min Δk (slab: Δk_z) centred on multiples of it, E = Σ|B_k|²/width, so that
        Σ E Δk = ⟨|δb − ⟨δb⟩|²⟩. Returns ``(k, E, modes)`` for the bins ≥ 1 holding modes."""
        coeffs, weight = self._modes()
        power = weight * sum(np.abs(c) ** 2 for c in coeffs)
        kx, ky, kz = self._wavevectors()
        dk = 2 * np.pi / self.box
        counts = np.broadcast_to(weight == 2, power.shape).astype(int) + 1
        if self.is_slab:
            width = dk[2]
            mask = (np.abs(kx) == 0) & (np.abs(ky) == 0) & np.ones_like(kz, bool)
            kk = np.broadcast_to(np.abs(kz), power.shape)
        else:
            width = float(dk.min())
            mask = np.ones(power.shape, bool)
            kk = np.sqrt(kx**2 + ky**2 + kz**2)
        kk = np.broadcast_to(kk, power.shape)
        b = np.floor(kk / width + 0.5).astype(np.int64)
        keep = mask & (b >= 1)
        nb = int(b[keep].max()) + 1 if keep.any() else 1
        E = np.bincount(b[keep], weights=power[keep], minlength=nb) / width
        modes = np.bincount(b[keep], weights=counts[keep], minlength=nb).astype(np.int64)
        bins = np.nonzero(modes)[0]
        bins = bins[bins >= 1]
        return bins * width, E[bins], modes[bins]

    def divergence(self, relative_power: float = 1e-6) -> Dict[str, float]:
        """Spectral divergence of the stored grid: ``max`` of |k·B_k|/(|k||B_k|) over the modes whose
        power is at least ``relative_power`` × the largest mode's (below that the coefficients are
        float32 round-off), and ``rms`` = √(Σ|k·B_k|²/Σ|k|²|B_k|²) over all modes."""
        coeffs, weight = self._modes()
        kx, ky, kz = self._wavevectors()
        kdotb = kx * coeffs[0] + ky * coeffs[1] + kz * coeffs[2]
        k2 = kx**2 + ky**2 + kz**2
        b2 = sum(np.abs(c) ** 2 for c in coeffs)
        significant = (k2 > 0) & (b2 >= relative_power * b2.max()) if b2.max() > 0 else np.zeros(b2.shape, bool)
        ratio = np.abs(kdotb[significant]) / np.sqrt(k2 * b2)[significant]
        total = float(np.sum(weight * k2 * b2))
        return {
            "max": float(ratio.max()) if ratio.size else 0.0,
            "rms": float(np.sqrt(np.sum(weight * np.abs(kdotb) ** 2) / total)) if total > 0 else 0.0,
            "modes": int(significant.sum()),
        }

    def data_checksum(self) -> str:
        """``Checksum64`` of the bx, by, bz bytes (little-endian float32, in that order)."""
        return checksum64(b"".join(np.ascontiguousarray(c, "<f4").tobytes() for c in self.components()))

    def verify(self) -> None:
        """Raise ``ResultsFileError`` if ``data_checksum64`` (when present) does not match the data."""
        stored = self.attrs.get("data_checksum64")
        if stored is not None and stored != self.data_checksum():
            raise ResultsFileError(f"{self.path}: the field data are corrupt (data_checksum64 = {stored}, data {self.data_checksum()})")

    def to_xarray(self):
        """The field as an ``xarray.Dataset``: bx, by, bz over (x, y, z), coordinates in L."""
        import xarray as xr

        attrs = {k: (list(v) if isinstance(v, np.ndarray) else v) for k, v in self.attrs.items() if v is not None}
        coords = {c: xr.Variable((c,), getattr(self, c), attrs={"units": "L"}) for c in ("x", "y", "z")}
        data = {n: xr.Variable(("x", "y", "z"), getattr(self, n), attrs={"units": "B0"}) for n in ("bx", "by", "bz")}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def __repr__(self) -> str:
        return (f"<larmor.Field {' + '.join(self.models) or '?'} {self.grid} box {self.box.tolist()} seed {self.attrs.get('seed')}, "
                f"δB/B0 {self.db_over_b0_measured} (requested {self.attrs.get('db_over_b0')})>")


def _field_attribute(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OSU":
            return [_python_scalar(v) for v in value.tolist()]
        return value.copy()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_field(path, verify: bool = False) -> Field:
    """Read a field file (``larmor-field-2``; ``larmor-field-1`` files read too). With ``verify``
    the data checksum is recomputed (a pure-Python loop: about a second per 2·10⁶ cells)."""
    path = str(path)
    if not pathlib.Path(path).exists() or not h5py.is_hdf5(path):
        raise ResultsFileError(f"{path}: not an HDF5 field file")
    with h5py.File(path, "r") as f:
        for name in ("bx", "by", "bz"):
            if name not in f:
                raise ResultsFileError(f"{path}: no dataset {name}: not a field file")
        comps = [np.asarray(f[n][()], np.float32) for n in ("bx", "by", "bz")]
        attrs = {k: _field_attribute(f.attrs[k]) for k in sorted(f.attrs.keys())}
    if not (comps[0].ndim == 3 and comps[0].shape == comps[1].shape == comps[2].shape):
        raise ResultsFileError(f"{path}: datasets bx, by, bz are not three equal three-dimensional arrays")
    box = np.asarray(attrs["box_size"], float)
    n = comps[0].shape
    x, y, z = (np.arange(n[i]) * (box[i] / n[i]) for i in range(3))
    field = Field(*comps, x=x, y=y, z=z, attrs=attrs, path=path)
    if verify:
        field.verify()
    return field
