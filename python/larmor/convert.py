"""Convert an MHD snapshot that yt can read into a Larmor snapshot file (docs/outputs.md §7).

    python3 -m larmor.convert INPUT --out snapshot.h5 [--level L] [--dims NX NY NZ]
        [--fields-b FX FY FZ] [--fields-v FX FY FZ] [--field-rho F] [--sound-speed auto|none|C] [--adiabatic-index G]

INPUT is anything `yt.load` opens (Athena++, Enzo, FLASH, RAMSES, GAMER, a yt data file, ...). The whole
domain is sampled on a uniform grid: `ds.covering_grid` at refinement level L (default 0), whose
`domain_dimensions · refine_by^L` cells are the finest data at or below L (coarser cells repeated);
`--dims` given and not of that form, `ds.arbitrary_grid` (each sample the volume-weighted average of
the cells it overlaps). Samples sit at cell centres, x_i = x_left + (i + 1/2) Δx.

The output holds float32 datasets bx, by, bz (gauss), vx, vy, vz (cm/s) and rho (g/cm³), index
[ix][iy][iz] (x slowest), and the root attributes box_size (cm), units, magnetic_units = "gaussian"
(v_A = B/√(4πρ)), source and, where known, sound_speed (cm/s) and adiabatic_index. On stdout it
prints the `[field.file]` block of a run spec for the file (`spec_block`); messages go to stderr.

Field names are yt's, as "ftype,fname" or "fname" (the "gas" type first). Failures (a missing
field, a domain that is not three-dimensional, Cartesian and periodic, an unreadable INPUT) exit
with status 1 and one line on stderr.

Needs yt (`pip install ./python[convert]`).
"""
import argparse
import os
import sys

import numpy as np

DEFAULT_B = ("magnetic_field_x", "magnetic_field_y", "magnetic_field_z")
DEFAULT_V = ("velocity_x", "velocity_y", "velocity_z")
DEFAULT_RHO = "density"
UNITS = "cgs: B in gauss (Gaussian units, v_A = |B|/sqrt(4 pi rho)), v in cm/s, rho in g/cm^3, lengths in cm"


class ConvertError(SystemExit):
    """A conversion failure: exits with status 1 and the message on stderr."""

    def __init__(self, message):
        super().__init__(f"larmor.convert: {message}")
        self.message = message


def _yt():
    try:
        import yt
    except ImportError:
        raise ConvertError("yt is not installed (pip install './python[convert]')") from None
    return yt


def resolve_field(ds, name, role):
    """The (ftype, fname) of `name` ("ftype,fname" or "fname"), or a ConvertError naming `role`."""
    fields = set(ds.derived_field_list) | set(ds.field_list)
    if "," in name:
        ftype, fname = (s.strip() for s in name.split(",", 1))
        if (ftype, fname) in fields:
            return (ftype, fname)
        candidates = []
    else:
        fname = name.strip()
        candidates = sorted(ft for ft, fn in fields if fn == fname)
        for ftype in ("gas", *candidates):
            if (ftype, fname) in fields:
                return (ftype, fname)
    raise ConvertError(f"{ds}: no field '{name}' for {role} (give its yt name with --fields-b/--fields-v/--field-rho; "
                       f"fields on disk: {', '.join(f'{a},{b}' for a, b in sorted(ds.field_list)) or 'none'})")


def check_domain(ds, allow_nonperiodic=False):
    if ds.dimensionality != 3:
        raise ConvertError(f"{ds}: the domain is {ds.dimensionality}-dimensional; a snapshot is a three-dimensional cube")
    if ds.geometry != "cartesian":
        raise ConvertError(f"{ds}: the geometry is {ds.geometry}; only a Cartesian (uniformly spaced) domain maps onto a periodic cube")
    periodic = [bool(p) for p in ds.periodicity]
    if not all(periodic) and not allow_nonperiodic:
        axes = "".join(a for a, p in zip("xyz", periodic) if not p)
        raise ConvertError(f"{ds}: the domain is not periodic along {axes} (ds.periodicity = {tuple(periodic)}); Larmor treats "
                           "the cube as periodic (--allow-nonperiodic to convert anyway)")


def sampling_grid(ds, level=None, dims=None):
    """(data object, dims, description) for the whole domain."""
    base = np.asarray(ds.domain_dimensions, dtype=np.int64)
    refine = int(ds.refine_by)
    if level is not None and level < 0:
        raise ConvertError(f"--level must be >= 0, got {level}")
    if dims is not None:
        dims = np.asarray(dims, dtype=np.int64)
        if dims.shape != (3,) or (dims < 1).any():
            raise ConvertError(f"--dims must be three positive integers, got {dims.tolist()}")
        match = None
        for lev in range(0, 20):
            if (base * refine**lev == dims).all():
                match = lev
                break
        if level is not None and match != level:
            raise ConvertError(f"--dims {dims.tolist()} is not the level-{level} grid {(base * refine**level).tolist()} of {ds}")
        if match is None:
            grid = ds.arbitrary_grid(ds.domain_left_edge, ds.domain_right_edge, dims)
            return grid, dims, f"arbitrary_grid {dims.tolist()} (volume-weighted averages)"
        level = match
    level = 0 if level is None else level
    dims = base * refine**level
    grid = ds.covering_grid(level, left_edge=ds.domain_left_edge, dims=dims)
    return grid, dims, f"covering_grid level {level} {dims.tolist()}"


def _known_gamma(ds):
    for key, value in getattr(ds, "parameters", {}).items():
        if str(key).lower() in ("gamma", "adiabatic_index"):
            try:
                g = float(np.asarray(value).ravel()[0])
            except (TypeError, ValueError, IndexError):
                continue
            if np.isfinite(g) and g >= 1:
                return g
    return None


def spec_block(path, box_cm, magnetic_units="gaussian", density="rho", velocity=("vx", "vy", "vz"), extra=None):
    """The `[field.file]` block of a run spec for a converted file (docs/outputs.md §7).

    `box` is in Larmor's length unit L, which the converter cannot know: it takes L = the longest box
    side and says so in a comment; rescale `box` for another L (R = r_L/L). `sound_speed` is in the
    velocity datasets' unit (cm/s)."""
    longest = max(float(v) for v in box_cm)
    lines = ["[field.file]",
             f'path = "{path}"',
             f"# box sides in L; here L = {longest:.6g} cm, the longest side (R = r_L/L): rescale for another L",
             "box = [" + ", ".join(f"{float(v) / longest:.17g}" for v in box_cm) + "]",
             f'magnetic_units = "{magnetic_units}"',
             f'density = "{density}"',
             "velocity = [" + ", ".join(f'"{v}"' for v in velocity) + "]"]
    extra = extra or {}
    if "sound_speed_cm_s" in extra:
        lines.append(f"sound_speed = {extra['sound_speed_cm_s']:.17g}")
    if "adiabatic_index" in extra:
        lines.append(f"adiabatic_index = {extra['adiabatic_index']:.17g}")
    return "\n".join(lines) + "\n"


def convert(ds, out, level=None, dims=None, fields_b=DEFAULT_B, fields_v=DEFAULT_V, field_rho=DEFAULT_RHO,
            sound_speed="auto", adiabatic_index=None, allow_nonperiodic=False, input_name=None):
    """Write the snapshot of `ds` (a yt dataset) to `out`; returns a dict of what was written."""
    yt = _yt()
    import h5py

    check_domain(ds, allow_nonperiodic)
    if len(fields_b) != 3 or len(fields_v) != 3:
        raise ConvertError("--fields-b and --fields-v take three field names each")
    fb = [resolve_field(ds, f, f"B_{c}") for f, c in zip(fields_b, "xyz")]
    fv = [resolve_field(ds, f, f"v_{c}") for f, c in zip(fields_v, "xyz")]
    frho = resolve_field(ds, field_rho, "the density")
    grid, dims, how = sampling_grid(ds, level, dims)
    box_cm = np.asarray(ds.domain_width.to("cm").v, dtype=np.float64)

    def sample(field, unit):
        try:
            values = grid[field].to(unit)
        except Exception as e:  # unyt conversion or reader failure: one line
            raise ConvertError(f"{ds}: cannot read {field[0]},{field[1]} in {unit}: {type(e).__name__}: {e}") from None
        a = np.asarray(values.v, dtype=np.float64)
        if a.shape != tuple(int(d) for d in dims):
            raise ConvertError(f"{ds}: {field[0]},{field[1]} sampled with shape {a.shape}, expected {tuple(dims)}")
        bad = int((~np.isfinite(a)).sum())
        if bad:
            raise ConvertError(f"{ds}: {field[0]},{field[1]} has {bad} NaN or Inf samples")
        return a

    arrays = {}
    for name, field in zip(("bx", "by", "bz"), fb):
        arrays[name] = sample(field, "gauss")
    for name, field in zip(("vx", "vy", "vz"), fv):
        arrays[name] = sample(field, "cm/s")
    arrays["rho"] = sample(frho, "g/cm**3")
    if (arrays["rho"] <= 0).any():
        raise ConvertError(f"{ds}: {frho[0]},{frho[1]} has {(arrays['rho'] <= 0).sum()} samples <= 0")

    cs = None
    cs_note = None
    if sound_speed not in (None, "none", "auto"):
        cs = float(sound_speed)
        cs_note = "given (--sound-speed)"
    elif sound_speed == "auto" and ("gas", "sound_speed") in set(ds.derived_field_list):
        try:
            c = np.asarray(grid["gas", "sound_speed"].to("cm/s").v, dtype=np.float64)
            rho = arrays["rho"]
            cs = float(np.sqrt((rho * c * c).sum() / rho.sum()))  # sqrt(Γ⟨p⟩/⟨ρ⟩)
            cs_note = "sqrt(<rho c_s^2>/<rho>) of yt's gas,sound_speed"
        except Exception:
            cs = None
    gamma = float(adiabatic_index) if adiabatic_index is not None else _known_gamma(ds)

    name = input_name or str(getattr(ds, "filename", ds))
    source = (f"{name} ({type(ds).__name__}, dataset_type {ds.dataset_type}, t = {float(ds.current_time.to('s').v):.6g} s), "
              f"converted by larmor.convert with yt {yt.__version__}: {how}; B from {','.join(f'{a}:{b}' for a, b in fb)}, "
              f"v from {','.join(f'{a}:{b}' for a, b in fv)}, rho from {frho[0]}:{frho[1]}")
    tmp = out + ".tmp"
    with h5py.File(tmp, "w") as h:
        for key in ("bx", "by", "bz", "vx", "vy", "vz", "rho"):
            h.create_dataset(key, data=arrays[key].astype(np.float32))
        h.attrs["box_size"] = box_cm
        h.attrs["units"] = UNITS
        h.attrs["magnetic_units"] = "gaussian"
        h.attrs["source"] = source
        if cs is not None:
            h.attrs["sound_speed"] = np.float64(cs)
            h.attrs["sound_speed_note"] = cs_note
        if gamma is not None:
            h.attrs["adiabatic_index"] = np.float64(gamma)
        # extras (not in the contract): samples at cell centres; the left edge of the domain
        h.attrs["grid_offset_cells"] = np.float64(0.5)
        h.attrs["domain_left_edge_cm"] = np.asarray(ds.domain_left_edge.to("cm").v, dtype=np.float64)
    os.replace(tmp, out)
    extra = {}
    if cs is not None:
        extra["sound_speed_cm_s"] = cs
    if gamma is not None:
        extra["adiabatic_index"] = gamma
    return {"path": out, "dims": [int(d) for d in dims], "box_cm": box_cm.tolist(), "sound_speed": cs,
            "adiabatic_index": gamma, "source": source, "extra": extra}


def parser():
    p = argparse.ArgumentParser(prog="python3 -m larmor.convert",
                                description="Convert a snapshot yt can read into a Larmor snapshot file (gauss, cm/s, g/cm^3).")
    p.add_argument("input", metavar="INPUT", help="anything yt.load opens")
    p.add_argument("--out", required=True, help="the snapshot file to write (HDF5)")
    p.add_argument("--level", type=int, default=None, help="refinement level of the covering grid (default 0)")
    p.add_argument("--dims", type=int, nargs=3, metavar="N", default=None,
                   help="sample dimensions (a level's grid: covering_grid; otherwise arbitrary_grid averages)")
    p.add_argument("--fields-b", nargs=3, metavar="F", default=list(DEFAULT_B), help="yt fields of B_x, B_y, B_z")
    p.add_argument("--fields-v", nargs=3, metavar="F", default=list(DEFAULT_V), help="yt fields of v_x, v_y, v_z")
    p.add_argument("--field-rho", metavar="F", default=DEFAULT_RHO, help="yt field of the mass density")
    p.add_argument("--sound-speed", default="auto",
                   help="c_s in cm/s to record, 'none', or 'auto' (from yt's gas,sound_speed if the dataset has it)")
    p.add_argument("--adiabatic-index", type=float, default=None, help="Γ to record (default: the dataset's gamma, if it states one)")
    p.add_argument("--allow-nonperiodic", action="store_true", help="convert a domain yt does not mark periodic")
    p.add_argument("--verbose", action="store_true", help="keep yt's log messages (stderr)")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.sound_speed not in ("auto", "none"):
        try:
            float(args.sound_speed)
        except ValueError:
            raise ConvertError(f"--sound-speed must be auto, none or a speed in cm/s, got '{args.sound_speed}'") from None
    yt = _yt()
    if not args.verbose:
        yt.set_log_level(40)
    if not os.path.exists(args.input):
        raise ConvertError(f"{args.input}: no such file or directory")
    try:
        ds = yt.load(args.input)
    except Exception as e:
        raise ConvertError(f"{args.input}: yt cannot load it: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from None
    info = convert(ds, args.out, level=args.level, dims=args.dims, fields_b=args.fields_b, fields_v=args.fields_v,
                   field_rho=args.field_rho, sound_speed=args.sound_speed, adiabatic_index=args.adiabatic_index,
                   allow_nonperiodic=args.allow_nonperiodic, input_name=args.input)
    print(f"larmor.convert: wrote {args.out} ({'x'.join(map(str, info['dims']))})", file=sys.stderr)
    sys.stdout.write(spec_block(args.out, info["box_cm"], extra=info["extra"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
