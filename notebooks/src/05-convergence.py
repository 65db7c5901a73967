# %% [markdown]
# # 05 — Convergence: step size, grid, particle count, realizations, estimator window
#
# Code units (L, c, B₀ ∥ ẑ, R = r_L/L; D_μμ in c/L). Test case: the acceptance case of 02 — slab σ² = 10⁻⁴,
# R = 10⁻³, box 8 L, k_max = 2π·2048/L, sharp μ₀ at the 20 bin centres — through `larmor compare`. The figure of merit
# is the mean of D_μμ^sim/D_μμ^QLT,t over the resonant bins 0.1 ≤ |μ| ≤ 0.9 (error: the CLI's per-bin jackknife
# errors over realizations, propagated to the mean) and the median |ratio − 1|. One setting is varied at a time
# around the base (cell_fraction = 1, n_z = 2¹⁸, ⟨Δμ²⟩ ≤ 10⁻³, 4 realizations × 2000 particles; quick: 2 × 400).
# In the slab runs the step is set by the cell limit (Δt = cell_fraction·Δz/c; Ω Δt = 0.03 at cell_fraction = 1, far
# below phase_per_step = 0.1), so the step-size scan varies cell_fraction; phase_per_step is scanned on a 3D
# isotropic case at the end.

# %%
import re
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from larmor.notebook import Notebook

lb = Notebook(".")  # the notebooks directory: specs and CLI cache in out/, figures in figures/ (quick: out/figures/)

Q = lb.QUICK
TWO_PI = 2 * np.pi
MU = [round(-0.95 + 0.1 * i, 2) for i in range(20)]
BASE = dict(cell_fraction=1.0, nz=2**18, max_dmu2=1e-3, realizations=2 if Q else 4, count=400 if Q else 2000)


def case(tag, **kw):
    p = {**BASE, **kw}
    f = lb.write_spec(f"conv-field-{p['nz']}", {
        "field": {"model": "slab", "db_over_b0": 0.01, "k_min": TWO_PI, "k_max": TWO_PI * 2048, "index": 5 / 3, "seed": 1},
        "grid": {"nx": 1, "ny": 1, "nz": p["nz"], "box": [1.0, 1.0, 8.0]}})
    dur = 1.2 if p["max_dmu2"] <= 1e-3 else (2.0 if p["max_dmu2"] <= 2.5e-3 else 3.0)
    r = lb.write_spec(f"conv-{tag}", {
        "run": {"field": f.name, "realizations": p["realizations"], "duration": dur, "samples": 40,
                "linear_samples": 60, "phase_per_step": 0.1, "cell_fraction": p["cell_fraction"]},
        "particles": {"rigidities": [1e-3], "count": p["count"], "seed": 1, "mu": MU},
        "estimators": {"mu_bins": 20, "min_gyroperiods": 20, "max_dmu2": p["max_dmu2"]}})
    c = lb.run("compare", r)["comparisons"][0]
    mu = np.array([b["mu"] for b in c["bins"]])
    g = lambda k: np.array([np.nan if b[k] is None else b[k] for b in c["bins"]], float)
    ratio, err, qt = g("ratio"), g("dmumu_sim_err"), g("dmumu_qlt_finite_time")
    m = (np.abs(mu) >= 0.1) & (np.abs(mu) <= 0.9) & np.isfinite(ratio)
    mean, emean = ratio[m].mean(), np.sqrt(np.sum((err[m] / qt[m]) ** 2)) / m.sum()
    med = np.median(np.abs(ratio[m] - 1))
    print(f"{tag:22s} mean ratio {mean:.3f} ± {emean:.3f}   median |r-1| {med:.3f}")
    return mean, emean, med


scans = {
    "cell_fraction (Δt = f·Δz/c)": ("cell_fraction", [1.0, 0.5] if Q else [1.0, 0.5, 0.25]),
    "grid n_z (box 8 L)": ("nz", [2**16, 2**18] if Q else [2**16, 2**17, 2**18]),
    "particles per realization": ("count", [200, 400] if Q else [500, 2000, 8000]),
    "field realizations": ("realizations", [2, 4] if Q else [2, 4, 8]),
    "window max ⟨Δμ²⟩": ("max_dmu2", [1e-3, 5e-3] if Q else [5e-4, 1e-3, 2.5e-3, 5e-3]),
}
results = {}
for title, (key, vals) in scans.items():
    results[title] = [case(f"{key}={v}", **{key: v}) for v in vals]

# %%
fig, axes = plt.subplots(1, 5, figsize=(16, 3.6), sharey=True)
for ax, (title, (key, vals)) in zip(axes, scans.items()):
    r = np.array(results[title])
    x = np.arange(len(vals))
    ax.errorbar(x, r[:, 0], r[:, 1], fmt="o", capsize=3, label="mean ratio (0.1≤|μ|≤0.9)")
    ax.plot(x, 1 + r[:, 2], "s", mfc="none", label="1 + median |ratio − 1|")
    ax.set_xticks(x, [f"{v:g}" for v in vals])
    ax.axhline(1, color="k", lw=0.8)
    ax.axhspan(0.95, 1.05, color="g", alpha=0.12)
    ax.set_xlabel(title)
axes[0].set_ylabel(r"$D_{\mu\mu}^{sim}/D_{\mu\mu}^{QLT,t}$")
axes[0].legend(fontsize=7)
fig.suptitle("slab σ² = 1e-4, R = 1e-3: one setting varied at a time", fontsize=10)
fig.tight_layout()
print("saved", lb.savefig(fig, "05-convergence-slab"))

# %% [markdown]
# **Figure `05-convergence-slab`.** Mean sim/QLT_t ratio over 0.1 ≤ |μ| ≤ 0.9 (propagated jackknife error) and
# 1 + median |ratio − 1| as one setting varies (full-size numbers printed above). **Step size:** cell_fraction 1, 0.5,
# 0.25 give 1.014 ± 0.026, 1.002 ± 0.026, 1.013 ± 0.025 — converged; cell_fraction = 1 is used in 02. **Grid:** n_z = 2¹⁷
# and 2¹⁸ (8 and 16 cells per shortest wavelength) agree (1.024, 1.014), n_z = 2¹⁶ (4 cells) is low, 0.947 ± 0.023:
# trilinear interpolation damps the short resonant wavelengths of small |μ| (sinc⁴(kΔz/2) ≈ 0.78 at |μ| = 0.1), so
# n_z = 2¹⁸ is used. **Particles and realizations:** the mean stays within errors (0.995–1.044) while its error falls as
# 1/√N (0.051 → 0.016 from 500 to 8000 per realization; 0.038 → 0.017 from 2 to 8 realizations); the median |ratio − 1|
# falls from 0.11–0.12 to 0.05 — it is a noise floor (≈ 0.67 × per-bin error for an exact simulation), which is why 02 uses
# 48 000–96 000 particles. **Window:** the one systematic trend — max ⟨Δμ²⟩ = 5·10⁻⁴, 10⁻³, 2.5·10⁻³, 5·10⁻³ give 0.993,
# 1.014, 0.979, 0.943: beyond 10⁻³ the longer the window, the lower the ratio (5·10⁻⁴ has the largest error, ±0.036),
# as the concavity of D(μ) predicts (02 §1b). This few-% bias of the default 5·10⁻³ window, not the field or the
# integrator, is the residual seen in the earlier runs.

# %% [markdown]
# ## phase_per_step on a 3D field
# Isotropic Kolmogorov 64³ (k_max = 2π·16/L), δB/B₀ = 1, R = 0.1, t_max = 30 L/c, cell_fraction = 1, so the step is set by
# phase_per_step (Ω_max Δt with Ω_max = (1 + 4σ)/R). D_∥ at t_max from the running coefficient (not a plateau value:
# what matters here is that it does not move with the step).

# %%
iso = (lb.FIELDS / "isotropic.toml").read_text().replace("n = 128 ", "n = 64 ").replace(
    "k_max = 201.06192982974676", "k_max = 100.53096491487338")
fi = lb.write_spec("conv-iso", iso)
phases = [0.2, 0.1] if Q else [0.3, 0.2, 0.1, 0.05]
ci, ni, di = (50, 2, 10.0) if Q else (200, 4, 30.0)
rows = []
for ph in phases:
    r = lb.write_spec(f"conv-iso-{ph}", {
        "run": {"field": fi.name, "realizations": ni, "duration": di, "samples": 30, "linear_samples": 10,
                "phase_per_step": ph, "cell_fraction": 1.0},
        "particles": {"rigidities": [0.1], "count": ci, "seed": 1}})
    t = lb.run("trace", r, "--threads", lb.THREADS)
    rows.append((t["dpar_running"][0][-1], t["dpar_running_err"][0][-1], t["dperp_running"][0][-1], t["dperp_running_err"][0][-1]))
    print(f"phase_per_step={ph}: D_par(t_max) = {rows[-1][0]:.4f} ± {rows[-1][1]:.4f}, D_perp(t_max) = {rows[-1][2]:.4f} ± {rows[-1][3]:.4f}")
rows = np.array(rows)
fig, ax = plt.subplots(figsize=(5.5, 3.6))
ax.errorbar(phases, rows[:, 0], rows[:, 1], fmt="o-", capsize=3, label=r"$D_\parallel(t_{max})$")
ax.errorbar(phases, rows[:, 2], rows[:, 3], fmt="s-", capsize=3, label=r"$D_\perp(t_{max})$")
ax.set_xscale("log"); ax.set_yscale("log")
ax.set_xlabel(r"phase_per_step $\Omega_{max}\Delta t$  [rad]")
ax.set_ylabel(r"running $D$ at $t_{max}$  [c·L]")
ax.set_title(f"isotropic 64³, δB/B₀ = 1, R = 0.1, t = {di:g} L/c", fontsize=9)
ax.legend(fontsize=8)
fig.tight_layout()
print("saved", lb.savefig(fig, "05-convergence-step3d"))

# %% [markdown]
# **Figure `05-convergence-step3d`.** Running D_∥ and D_⊥ at t_max = 30 L/c versus the gyro-phase step, isotropic 64³,
# δB/B₀ = 1, R = 0.1 (200 particles × 4 realizations; jackknife errors). phase_per_step = 0.3, 0.2, 0.1, 0.05 give
# D_∥ = 0.244 ± 0.022, 0.245 ± 0.015, 0.243 ± 0.011, 0.246 ± 0.008 c·L and D_⊥ = 0.0164–0.0178 ± 0.002 c·L: no trend beyond
# the statistical error, so the default 0.1 rad (used in 03 and 04) is converged at this precision (3–9% for D_∥, 8–13% for D_⊥); it was
# not tested at the per-cent level.
