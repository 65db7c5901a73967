"""Standard figures of larmor results (matplotlib). Every function takes the parsed ``--json``
object of a command (``larmor.run(...)``, ``json.load``) or a :class:`larmor.io.Results` read
from a results file, draws on ``ax`` (a new figure when None) and returns the figure.
Code units: D_μμ in c/L, D in c·L, t in L/c, k in 1/L, E(k) in B₀² L.
"""
from __future__ import annotations

import collections
import pathlib
from typing import Any, Optional, Sequence

import numpy as np

__all__ = ["dmumu", "running_diffusion", "field_spectrum", "savefig", "FigureFiles"]


def _floats(values) -> np.ndarray:
    """A list with None (JSON null) or an array, as float64 with NaN."""
    if values is None:
        return np.array([], float)
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        return values.astype(float)
    return np.array([np.nan if v is None else v for v in values], float)


def _figure(ax, nrows=1, ncols=1, figsize=(6.4, 4.2)):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
        return fig, (ax[0, 0] if nrows * ncols == 1 else list(ax.flat))
    if isinstance(ax, (list, tuple, np.ndarray)):
        return np.ravel(ax)[0].figure, list(np.ravel(ax))
    return ax.figure, ax


def _qlt_curve(qlt: Any, rigidity: float, key: str = "dmumu"):
    """μ and D_μμ of a ``larmor qlt`` JSON at the rigidity closest to ``rigidity``."""
    rs = _floats(qlt.get("rigidities", qlt.get("rigidity")))
    j = int(np.argmin(np.abs(rs - rigidity))) if rs.size else 0
    return _floats(qlt["mu"]), _floats(qlt[key][j])


def dmumu(result: Any, rigidity_index: int = 0, ax=None, qlt: Any = None, qlt_key: str = "dmumu", label: Optional[str] = None):
    """D_μμ(μ): the simulation's values with their errors for one rigidity of a ``compare`` or a
    ``trace`` result, with the QLT asymptotic values and the finite-time QLT when the result holds
    them (``compare``), or the curve of a ``larmor qlt`` JSON given as ``qlt`` (its ``qlt_key``,
    e.g. ``dmumu_with_e``, at the nearest rigidity)."""
    fig, ax = _figure(ax)
    if "comparisons" in result:
        comparison = result["comparisons"][rigidity_index]
        R = comparison.get("rigidity", _floats(result.get("rigidities"))[rigidity_index])
        bins = comparison["bins"]
        col = lambda k: _floats([b.get(k) for b in bins])
        mu, sim, err = col("mu"), col("dmumu_sim"), col("dmumu_sim_err")
        asym, finite = col("dmumu_qlt"), col("dmumu_qlt_finite_time")
    else:
        R = _floats(result["rigidities"])[rigidity_index]
        mu = _floats(result["mu_bins"])
        sim = _floats(result["dmumu"][rigidity_index])
        err = _floats(result["dmumu_err"][rigidity_index])
        asym = finite = None
    ok = np.isfinite(sim)
    yerr = np.where(np.isfinite(err), err, 0.0)[ok]
    ax.errorbar(mu[ok], sim[ok], yerr, fmt="o", ms=4, capsize=2, label=label or "simulation ± error")
    if asym is not None and np.isfinite(asym).any():
        ax.plot(mu, asym, "s-", mfc="none", ms=5, lw=0.8, label="QLT asymptotic")
    if finite is not None and np.isfinite(finite).any():
        ax.plot(mu, finite, "x", ms=7, label="QLT finite-time (over the fit window)")
    if qlt is not None:
        qm, qd = _qlt_curve(qlt, float(R), qlt_key)
        ax.plot(qm, qd, "k-", lw=1, label=f"QLT ({qlt_key})")
        if np.nanmin(qm) >= 0 and np.nanmin(mu) < 0:  # qlt gives μ ∈ (0, 1): D_μμ is even in μ
            ax.plot(-qm, qd, "k-", lw=1)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(r"pitch cosine $\mu$")
    ax.set_ylabel(r"$D_{\mu\mu}$  [c/L]")
    ax.set_title(f"R = {float(R):g}", fontsize=10)
    ax.legend(fontsize=7)
    return fig


def _scale(ax, values):
    v = np.concatenate([np.ravel(x) for x in values]) if values else np.array([])
    v = v[np.isfinite(v)]
    if v.size and (v > 0).all():
        ax.set_yscale("log")
    elif v.size:
        pos = np.abs(v[v != 0])
        ax.set_yscale("symlog", linthresh=float(np.percentile(pos, 10)) if pos.size else 1e-6)


def running_diffusion(result: Any, rigidity_index: int = 0, axes=None, kubo: bool = True):
    """Running D_∥(t) and D_⊥(t) of one rigidity of a ``trace`` result (or the ``trace`` section of
    a compare read from a file): the mean-square estimate against t with its error band, the
    Taylor–Green–Kubo estimate against its lags (``kubo``), the plateau windows shaded and the
    plateau levels ± error drawn over them."""
    if "comparisons" in result and hasattr(result, "sections"):
        result = result.sections["trace"]
    fig, axes = _figure(axes, 1, 2, figsize=(11, 4.2))
    i = rigidity_index
    R = _floats(result["rigidities"])[i]
    t = _floats(result["times"][i])
    for ax, d, name in [(axes[0], "dpar", r"D_\parallel"), (axes[1], "dperp", r"D_\perp")]:
        curves = []
        m, me = _floats(result[f"{d}_running"][i]), _floats(result[f"{d}_running_err"][i])
        ax.plot(t, m, "-", color="C0", lw=1.4, label="mean square ⟨Δx²⟩/2t")
        ax.fill_between(t, m - me, m + me, color="C0", alpha=0.25, lw=0)
        curves.append(m)
        if kubo and f"{d}_kubo_running" in result:
            lag = _floats(result["kubo_lags"][i])
            k, ke = _floats(result[f"{d}_kubo_running"][i]), _floats(result[f"{d}_kubo_running_err"][i])
            ax.plot(lag, k, "--", color="C3", lw=1.2, label="Taylor–Green–Kubo (against the lag)")
            ax.fill_between(lag, k - ke, k + ke, color="C3", alpha=0.15, lw=0)
            curves.append(k)
        for key, color in [(d, "C0"), (f"{d}_kubo", "C3")]:
            if key not in result or (key.endswith("_kubo") and not kubo):
                continue
            level, err = _floats(result[key])[i], _floats(result[f"{key}_err"])[i]
            w = _floats(result[f"{key}_window"][i]) if result[f"{key}_window"][i] is not None else np.array([np.nan] * 2)
            if np.isfinite(w).all():
                ax.axvspan(w[0], w[1], color=color, alpha=0.08, lw=0)
                if np.isfinite(level):
                    flat = result[f"{key}_is_flat"][i] if f"{key}_is_flat" in result else None
                    tag = "" if flat is None else (", flat" if bool(flat) else ", not flat")
                    ax.plot(w, [level] * 2, "-", color="k" if color == "C0" else "C3", lw=2.5, alpha=0.7,
                            label=f"plateau {level:.4g} ± {err:.2g}{tag}" if np.isfinite(err) else f"plateau {level:.4g}{tag}")
                    if np.isfinite(err):
                        ax.fill_between(w, [level - err] * 2, [level + err] * 2, color="k", alpha=0.15, lw=0)
        ax.set_xscale("log")
        _scale(ax, curves)
        ax.set_xlabel(r"$t$ or lag $\tau$  [L/c]")
        ax.set_ylabel(rf"running ${name}$  [c·L]")
        ax.set_title(rf"${name}$, R = {R:g}", fontsize=10)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


def field_spectrum(field: Any, ax=None, label: Optional[str] = None, compensate: Optional[float] = None, injected_only: bool = True):
    """E(k) of a ``larmor field --json`` object (or of a :class:`larmor.io.Field`, measured with
    its :meth:`~larmor.io.Field.spectrum`), with the slope-fit range marked and the fitted slope
    in the legend. ``compensate=α`` plots k^α E(k). ``injected_only`` keeps [k_min, k_max] (outside
    it the grid holds float32 round-off)."""
    fig, ax = _figure(ax)
    if hasattr(field, "spectrum") and callable(field.spectrum):
        k, E, _ = field.spectrum()
        kmin, kmax = field.k_range
        slope, fit = None, None
        name = label or " + ".join(field.models) + " (numpy FFT of the file)"
        style = "--"
    else:
        k, E = _floats(field["spectrum_k_per_L"]), _floats(field["spectrum_energy"])
        kmin, kmax = field.get("k_min_per_L"), field.get("k_max_per_L")
        slope, fit = field.get("spectral_slope"), field.get("slope_fit_k_per_L")
        name = label or " + ".join(field.get("models", []))
        style = "-"
    keep = np.isfinite(E) & (E > 0)
    if injected_only and kmin is not None and kmax is not None:
        keep &= (k >= kmin * 0.99) & (k <= kmax * 1.01)
    y = E * k**compensate if compensate else E
    if slope is not None:
        name += f": slope {slope:.2f}"
    ax.loglog(k[keep], y[keep], style, lw=1.2, label=name)
    if fit is not None and None not in list(fit):
        ax.axvspan(fit[0], fit[1], color="0.5", alpha=0.12, lw=0, label="slope fit range")
    ax.set_xlabel("k  [1/L]")
    ax.set_ylabel(r"$k^{%g} E(k)$" % compensate if compensate else "E(k)  [B₀² L]")
    ax.legend(fontsize=7)
    return fig


FigureFiles = collections.namedtuple("FigureFiles", "png pdf")
FigureFiles.__str__ = lambda self: f"{self.png} (+ .pdf)"


def savefig(fig, path_without_suffix, dpi: int = 200, **kw) -> FigureFiles:
    """Save ``fig`` as PATH.png (``dpi``, default 200) and PATH.pdf (vector), tight bounding box,
    parent directories created; returns the two paths."""
    base = pathlib.Path(path_without_suffix)
    if base.suffix in (".png", ".pdf"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    kw.setdefault("bbox_inches", "tight")
    png, pdf = base.with_name(base.name + ".png"), base.with_name(base.name + ".pdf")
    fig.savefig(png, dpi=dpi, **kw)
    fig.savefig(pdf, **kw)
    return FigureFiles(png, pdf)
