# %% [markdown]
# # 02 — Slab turbulence: simulated D_μμ(μ) against quasi-linear theory
#
# Code units: lengths in the outer scale L, speeds in c, B in B₀ ∥ ẑ, R = r_L/L; D_μμ in c/L, D in c·L.
# Everything plotted comes from `larmor compare` / `larmor trace` / `larmor qlt` JSON. The only
# physics written in Python is the **independent cross-check** of the slab closed form (docs/physics.md §3.2),
# marked as such. `LARMOR_QUICK=1` selects a small size for CI; the captions quote the full-size run.

# %%
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from larmor.notebook import Notebook

lb = Notebook(".")  # the notebooks directory: specs and CLI cache in out/, figures in figures/ (quick: out/figures/)

Q = lb.QUICK
print("quick mode" if Q else "full size")
TWO_PI = 2 * np.pi
# sharp initial pitch cosines at the centres of the 20 estimator bins: the CLI evaluates QLT at the
# bin centre, so sharp μ0 removes the bin-averaging (curvature) bias of isotropic injection.
MU_CENTRES = [round(-0.95 + 0.1 * i, 2) for i in range(20)]


def slab_field(name, sigma, nz, box_z, kmax, seed=1):
    return lb.write_spec(name, {
        "field": {"model": "slab", "db_over_b0": sigma, "k_min": TWO_PI, "k_max": kmax,
                  "index": 5 / 3, "seed": seed},
        "grid": {"nx": 1, "ny": 1, "nz": nz, "box": [1.0, 1.0, box_z]}})


def run_spec(name, field, R, count, realizations, duration, mu=None, cell_fraction=1.0,
             phase=0.1, min_gyro=20, max_dmu2=5e-3, samples=40, linear=60):
    part = {"rigidities": list(R), "count": count, "seed": 1}
    if mu is not None:
        part["mu"] = mu
    return lb.write_spec(name, {
        "run": {"field": f"{field.name}", "realizations": realizations, "duration": duration,
                "samples": samples, "linear_samples": linear, "phase_per_step": phase,
                "cell_fraction": cell_fraction},
        "particles": part,
        "estimators": {"mu_bins": 20, "min_gyroperiods": min_gyro, "max_dmu2": max_dmu2}})


def closed_form_dmumu(mu, R, sigma2):
    """INDEPENDENT CROSS-CHECK (docs/physics.md §3.2, k_max = ∞): D_μμ L/v = 1.7828 σ²(1−μ²)|μ|^{2/3} R^{-1/3}."""
    mu = np.abs(mu)
    return 1.7828 * sigma2 * (1 - mu**2) * mu ** (2 / 3) * R ** (-1 / 3)


def table(cmp):
    b = cmp["bins"]
    g = lambda k: np.array([np.nan if x[k] is None else x[k] for x in b], float)
    return {k: g(k) for k in ["mu", "dmumu_sim", "dmumu_sim_err", "dmumu_qlt", "dmumu_qlt_finite_time", "ratio"]}


def median_dev(t, lo, hi):
    m = (np.abs(t["mu"]) >= lo - 1e-9) & (np.abs(t["mu"]) <= hi + 1e-9) & np.isfinite(t["ratio"]) & (t["dmumu_qlt"] > 0)
    return np.median(np.abs(t["ratio"][m] - 1)), int(m.sum())

# %% [markdown]
# ## 1. The acceptance case: σ² = 10⁻⁴, R = 10⁻³, box 8 L
#
# Resonant wavelengths 2πR|μ| ≥ 2π·10⁻⁴ L at |μ| ≥ 0.1 need Δz ≤ 4·10⁻⁵ L for 16 cells: n_z = 2¹⁸ over 8 L
# (Δz = 3.05·10⁻⁵ L) with k_max = 2π·2048/L (16 cells per shortest wavelength; k_res = 1/(R|μ|) ≤ 10⁴/L
# for |μ| ≥ 0.1 lies below it). The D_μμ fit window runs from 20 gyro-periods (0.13 L/c) to ⟨Δμ²⟩ = 5·10⁻³
# (≈ 3 L/c at the peak of D_μμ). Step: cell_fraction = 1 (a particle never crosses more than one cell per step;
# Ω Δt ≈ 0.03 — justified in 05-convergence). Particles start at sharp μ₀ = bin centres.

# %%
NZ, KMAX = 2**18, TWO_PI * 2048
f3 = slab_field("slab-s1e-4-R1e-3", 0.01, NZ, 8.0, KMAX)
count, nreal = (800, 2) if Q else (6000, 8)
r3 = run_spec("slab-R1e-3", f3, [1e-3], count, nreal, 3.0, mu=MU_CENTRES)
c3 = lb.run("compare", r3)
t3 = table(c3["comparisons"][0])
med, nb = median_dev(t3, 0.1, 0.9)
med2, nb2 = median_dev(t3, 0.2, 0.9)
print(f"{count} particles x {nreal} realizations, errors: {c3['errors_from']}")
print(f"median |sim/QLT_t - 1| over resonant bins 0.1<=|mu|<=0.9: {med:.3f} ({nb} bins); 0.2..0.9: {med2:.3f} ({nb2} bins)")
print("CLI's own median (0.2..0.9):", c3["comparisons"][0]["median_abs_ratio_minus_one"])
print("discrete/continuum normalization of the grid:", c3["discrete_normalization"])
for m, s, e, a, ft, r in zip(*[t3[k] for k in ["mu", "dmumu_sim", "dmumu_sim_err", "dmumu_qlt", "dmumu_qlt_finite_time", "ratio"]]):
    print(f"  mu={m:+.2f}  sim={s:.4e} ± {e:.1e}  QLT={a:.4e}  QLT_t={ft:.4e}  ratio={r:.3f}")

# %%
def dmumu_figure(t, R, sigma2, title, name):
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(6.4, 6.2), sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    mu = t["mu"]
    ax.errorbar(mu, t["dmumu_sim"], t["dmumu_sim_err"], fmt="o", ms=4, capsize=2, label="simulation (larmor trace)")
    mm = np.linspace(-1, 1, 401)
    ax.plot(mm, closed_form_dmumu(mm, R, sigma2), "k:", lw=1, label="closed form, k_max = ∞ (Python cross-check)")
    ax.plot(mu, t["dmumu_qlt"], "s", mfc="none", label="QLT asymptotic (larmor)")
    ax.plot(mu, t["dmumu_qlt_finite_time"], "x", ms=7, label="QLT finite-time, grid modes (larmor)")
    ax.set_ylabel(r"$D_{\mu\mu}$  [c/L]")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside: keeps the μ₀ = ±0.05 points visible
    ok = np.isfinite(t["ratio"]) & (t["dmumu_qlt"] > 0)
    err = t["dmumu_sim_err"] / t["dmumu_qlt_finite_time"]
    axr.errorbar(mu[ok], t["ratio"][ok], err[ok], fmt="o", ms=4, capsize=2)
    axr.axhline(1, color="k", lw=0.8)
    axr.axhspan(0.95, 1.05, color="g", alpha=0.15, label="±5%")
    axr.set_ylim(0.5, 1.5)
    axr.set_xlabel(r"initial pitch cosine $\mu_0$")
    axr.set_ylabel("sim / QLT$_t$")
    axr.legend(fontsize=7)
    fig.tight_layout()
    print("saved", lb.savefig(fig, name))
    return fig

dmumu_figure(t3, 1e-3, 1e-4, f"slab σ²=1e-4, R=1e-3, box 8 L, n_z=2^18; median |ratio−1| (0.1≤|μ|≤0.9) = {med:.3f}",
             "02-slab-dmumu-R1e-3")

# %% [markdown]
# **Figure `02-slab-dmumu-R1e-3`.** Simulated D_μμ(μ₀) (errors: jackknife over 8 field realizations) against slab QLT
# evaluated by `larmor` for the same spectrum, asymptotic (squares) and finite-time on the grid's discrete modes over the
# same fit window (crosses); dotted: continuum closed form (independent Python check, k_max = ∞). Full size: 6000
# particles × 8 realizations (300 per μ₀ value and realization), default window 20 gyro-periods … ⟨Δμ²⟩ = 5·10⁻³.
# **Agrees:** shape and magnitude over the whole resonant range; QLT_t lies 4% under the asymptotic value (the grid's
# discrete/continuum normalization 0.958, printed). Median |sim/QLT_t − 1| over 0.1 ≤ |μ| ≤ 0.9 = **0.048** (16 bins),
# just inside the ≤ 5% acceptance value. **Does not agree:** 15 of those 16 bins lie *below* QLT_t (mean ratio 0.944;
# the exception, μ₀ = +0.65, is 1.02) — a systematic, explained in §1b as the estimator's μ-curvature bias. The
# |μ₀| = 0.05 bins have k_res = 1/(R|μ|) = 2·10⁴/L > k_max = 1.3·10⁴/L: no resonant mode, QLT = 0, and the simulated
# slope is ≈ 0 (−1.9·10⁻⁶ c/L, 0.2% of the peak value), so they have no ratio (not drawn in the lower panel).

# %% [markdown]
# ### 1b. The residual deficit is the estimator's μ-curvature bias: a tighter window
#
# Above, 15 of the 16 bins with 0.1 ≤ |μ| ≤ 0.9 lie a few % **below** QLT_t — a systematic, not noise. The fitted
# quantity is the slope of Var(μ)(t) = ⟨Δμ²⟩ − ⟨Δμ⟩². For a Fokker–Planck process with D(μ), d Var/dt ≈ 2D + 3D''·Var (the spread of
# μ samples the curvature of D, and the drift D' correlates with μ − μ̄). D(μ) ∝ (1−μ²)|μ|^{2/3} is concave
# (D''/D ≈ −7 at μ = 0.5, ≈ −15 at μ = 0.15), so with Var running up to max_dmu2 = 5·10⁻³ the fitted slope is low by
# ~ 3|D''/D|·⟨Var⟩/2 ≈ 3–6%. Shrinking the window to ⟨Δμ²⟩ ≤ 10⁻³ should cut the bias ~5×; the window then ends
# at ≈ 0.6–1 L/c, so more particles fit in the same cost.

# %%
count_b, nreal_b = (800, 2) if Q else (8000, 12)
r3b = run_spec("slab-R1e-3-tight", f3, [1e-3], count_b, nreal_b, 1.2, mu=MU_CENTRES, max_dmu2=1e-3)
c3b = lb.run("compare", r3b)
t3b = table(c3b["comparisons"][0])
medb, nbb = median_dev(t3b, 0.1, 0.9)
sel = lambda t: (np.abs(t["mu"]) >= 0.1) & (np.abs(t["mu"]) <= 0.9)
print(f"max_dmu2 = 1e-3: {count_b} x {nreal_b} particles: median |ratio-1| (0.1..0.9) = {medb:.3f} ({nbb} bins),"
      f" mean ratio = {np.mean(t3b['ratio'][sel(t3b)]):.3f}")
print(f"max_dmu2 = 5e-3 (above): median = {med:.3f}, mean ratio = {np.mean(t3['ratio'][sel(t3)]):.3f}")
dmumu_figure(t3b, 1e-3, 1e-4, f"slab σ²=1e-4, R=1e-3, window ⟨Δμ²⟩ ≤ 1e-3; median |ratio−1| (0.1≤|μ|≤0.9) = {medb:.3f}",
             "02-slab-dmumu-R1e-3-tight")

# %% [markdown]
# **Figure `02-slab-dmumu-R1e-3-tight`.** Same comparison with the fit window closed at ⟨Δμ²⟩ = 10⁻³ instead of 5·10⁻³
# (12 realizations × 8000 particles, t_max = 1.2 L/c). The systematic deficit shrinks as predicted: mean ratio over
# 0.1 ≤ |μ| ≤ 0.9 goes from 0.944 to **0.986**, and the median |sim/QLT_t − 1| from 0.048 to **0.022** (16 bins) — well
# inside the issue-5 acceptance value (≤ 5%), which the default window meets only just. What remains is consistent
# with the jackknife errors.

# %% [markdown]
# ## 2. The earlier R = 10⁻² check: bin width versus curvature
#
# `fields/slab-run.toml` (R = 0.01, σ² = 10⁻⁴, box 8 L, n_z = 32768) injects isotropic μ₀ and the CLI compares each
# bin's D_μμ with QLT at the bin centre. Over a bin of width 0.1 the particles' mean D_μμ differs from D_μμ(centre)
# where D_μμ(μ) is curved; and the fit also needs the window to stay open. We run the same spec with isotropic μ₀
# and with sharp μ₀ at the bin centres.

# %%
f2 = lb.FIELDS / "slab.toml"
count2, nreal2 = (400, 2) if Q else (4000, 4)
common = dict(R=[0.01], count=count2, realizations=nreal2, duration=8.0, cell_fraction=0.25, linear=40, samples=60)
iso = lb.run("compare", run_spec("slab-R1e-2-iso", lb.write_spec("slab-preset", f2.read_text()), **common))
sharp = lb.run("compare", run_spec("slab-R1e-2-sharp", lb.write_spec("slab-preset", f2.read_text()), mu=MU_CENTRES, **common))
ti, ts = table(iso["comparisons"][0]), table(sharp["comparisons"][0])
for lab, t in [("isotropic mu0", ti), ("sharp mu0", ts)]:
    print(f"{lab:14s}: median |ratio-1| 0.2..0.9 = {median_dev(t, 0.2, 0.9)[0]:.3f}, 0.1..0.9 = {median_dev(t, 0.1, 0.9)[0]:.3f};"
          f" mean ratio 0.2..0.9 = {np.nanmean(t['ratio'][(abs(t['mu'])>=0.2)&(abs(t['mu'])<=0.9)]):.3f}")

fig, ax = plt.subplots(figsize=(6.4, 3.8))
for lab, t, mk in [("isotropic μ₀ in bins of 0.1", ti, "o"), ("sharp μ₀ = bin centre", ts, "s")]:
    ok = np.isfinite(t["ratio"]) & (t["dmumu_qlt"] > 0)
    ax.errorbar(t["mu"][ok], t["ratio"][ok], (t["dmumu_sim_err"] / t["dmumu_qlt_finite_time"])[ok], fmt=mk, ms=4,
                capsize=2, label=lab, alpha=0.8)
ax.axhline(1, color="k", lw=0.8)
ax.axhspan(0.95, 1.05, color="g", alpha=0.15)
ax.set_ylim(0.4, 1.6)
ax.set_xlabel(r"pitch cosine $\mu_0$ (bin centre)")
ax.set_ylabel(r"$D_{\mu\mu}^{sim}/D_{\mu\mu}^{QLT,t}$")
ax.set_title(f"slab σ²=1e-4, R=1e-2, box 8 L ({count2}×{nreal2} particles)", fontsize=10)
ax.legend(fontsize=8)
fig.tight_layout()
print("saved", lb.savefig(fig, "02-slab-R1e-2-bins"))

# %% [markdown]
# **Figure `02-slab-R1e-2-bins`.** Ratio of simulated to finite-time discrete QLT D_μμ at R = 10⁻² (fields/slab-run.toml
# setup, 4000 particles × 4 realizations), isotropic versus sharp injection (errors: jackknife over 4 realizations).
# Full size: isotropic μ₀ gives median |ratio − 1| = 0.098 (0.1 ≤ |μ| ≤ 0.9), mean ratio 0.958 (0.2–0.9); sharp μ₀ gives
# 0.114 and 0.910. With only 200 particles per bin and realization and 4 realizations the per-bin error is ~10%, so the
# median is noise-dominated; sharp injection does not help here (the bin-width effect is smaller than the noise). The
# mean deficit (4–9%) has the sign and size of the μ-curvature bias of the default window found at R = 10⁻³ (§1b); the
# 20-gyro-period start (1.26 L/c) and the box (v|μ|t ≤ L_box/2 = 4 L cuts the window at large |μ|) shorten the window
# further at R = 10⁻². The earlier "10–15% low" at R = 10⁻² is this combination of window bias and noise.

# %% [markdown]
# ## 3. Large δB/B₀: 0.1 and 0.3
#
# At σ² = 10⁻² and 10⁻¹ the QLT window closes: ⟨Δμ²⟩ reaches 5·10⁻³ before 20 gyro-periods. We relax the
# estimator to min_gyroperiods = 3, max_dmu2 = 0.03 (stated in the figure) and compare at R = 10⁻², box 8 L.
# These numbers are **not** a validation of QLT; they show where and how it fails.

# %%
cnt3, nr3 = (400, 2) if Q else (2000, 4)
big = {}
for s in [0.1, 0.3]:
    fb = slab_field(f"slab-s{s}", s, 32768, 8.0, TWO_PI * 256)
    rb = run_spec(f"slab-big-{s}", fb, [0.01], cnt3, nr3, 2.0, mu=MU_CENTRES, cell_fraction=0.25,
                  min_gyro=3, max_dmu2=0.03)
    big[s] = table(lb.run("compare", rb)["comparisons"][0])
    nvalid = int(np.isfinite(big[s]["ratio"]).sum())
    print(f"dB/B0={s}: {nvalid} of 20 bins with a valid window; median |ratio-1| 0.2..0.9 = {median_dev(big[s], 0.2, 0.9)[0] if nvalid else float('nan'):.3f}")
fig, ax = plt.subplots(figsize=(6.4, 3.8))
for s, mk in [(0.1, "o"), (0.3, "s")]:
    t = big[s]
    ok = np.isfinite(t["ratio"]) & (t["dmumu_qlt"] > 0)
    ax.errorbar(t["mu"][ok], t["ratio"][ok], (t["dmumu_sim_err"] / t["dmumu_qlt_finite_time"])[ok], fmt=mk, ms=4,
                capsize=2, label=f"δB/B₀ = {s}" + ("" if ok.any() else " (no bin with a valid window)"))
ax.plot(ts["mu"], ts["ratio"], "k.", ms=3, label="δB/B₀ = 0.01 (sharp, from §2)")
ax.axhline(1, color="k", lw=0.8)
ax.set_yscale("log")
ax.set_xlabel(r"pitch cosine $\mu_0$")
ax.set_ylabel(r"$D_{\mu\mu}^{sim}/D_{\mu\mu}^{QLT,t}$")
ax.set_title("slab, R = 1e-2, window 3 gyro-periods … ⟨Δμ²⟩ = 0.03", fontsize=10)
ax.legend(fontsize=8)
fig.tight_layout()
print("saved", lb.savefig(fig, "02-slab-large-db"))

# %% [markdown]
# **Figure `02-slab-large-db`.** Sim/QLT_t ratio of D_μμ for δB/B₀ = 0.1 (2000 particles × 4 realizations; jackknife
# errors) with the relaxed window, and the σ² = 10⁻⁴ ratios of §2 for reference. At δB/B₀ = 0.1 the simulation lies
# 20–50% below QLT at most μ (median |ratio − 1| = 0.34): with Δμ ~ 0.1 per window the particle samples a wide range of μ
# and the resonance is broadened and decorrelated within a few gyro-periods; the 3-gyro-period start does not average
# out the non-resonant oscillation of amplitude ~(1−μ²)σ². At δB/B₀ = 0.3 **no bin has a valid window** even with the
# relaxed settings (⟨Δμ²⟩ exceeds 0.03 before 3 gyro-periods), so there are no orange points: at that amplitude
# D_μμ is not defined as a QLT-type diffusion coefficient on gyro-timescales. QLT is first order in σ²; it is not
# expected to hold bin by bin at δB/B₀ ≳ 0.1.

# %% [markdown]
# ## 4. λ_∥ versus R
#
# D_∥ needs t ≫ λ_∥/c; at σ² = 10⁻⁴ λ_∥ ≈ 10³ L, out of reach, so λ_∥(R) is measured at δB/B₀ = 0.1 (σ² = 10⁻²),
# where the closed form gives λ_∥ = 1.0817 R^{1/3}/σ² L ≈ 16–34 L for R = 3·10⁻³…3·10⁻². Box 8 L, n_z = 32768
# (k_max = 2π·256/L). Strict slab QLT with finite k_max gives **no** finite λ_∥ (the 90° gap, `larmor qlt` reports
# `dpar_divergence`), so the reference is the continuum closed form (independent check, k_max = ∞) and
# `larmor qlt` with broadened resonances where it returns a value.

# %%
Rs = [0.003, 0.01, 0.03] if not Q else [0.01, 0.03]
cnt4, nr4, dur4 = (100, 2, 60.0) if Q else (100, 4, 1000.0)
fl = slab_field("slab-s0.1", 0.1, 32768, 8.0, TWO_PI * 256)
rl = run_spec("slab-lambda", fl, Rs, cnt4, nr4, dur4, cell_fraction=1.0, samples=60, linear=20)
tr = lb.run("trace", rl, "--threads", lb.THREADS)
lam = np.array(tr["lambda_par"], float)
dpar, dpar_err = np.array(tr["dpar"], float), np.array(tr["dpar_err"], float)
lam_err = 3 * dpar_err
qspec = lb.write_spec("slab-s0.1-qlt", fl.read_text() + "\n" + lb.toml({"qlt": {
    "rigidities": Rs, "mu_points": 40, "resonance": "broadened", "broadening": "yan-lazarian"}}))
try:
    q = lb.run("qlt", qspec)
    lam_q = np.array([np.nan if x is None else x for x in q["lambda_par"]], float)
    print("larmor qlt (broadened) lambda_par:", q["lambda_par"], q.get("dpar_divergence"))
except RuntimeError as e:
    lam_q = np.full(len(Rs), np.nan)
    print("larmor qlt broadened failed:", e)
RR = np.logspace(-3, 0, 50)
for R, l, e, flat in zip(Rs, lam, lam_err, tr["dpar_is_flat"]):
    print(f"R={R}: lambda_par = {l:.2f} ± {e:.2f} L (plateau reached: {flat}); closed form {1.0817*R**(1/3)/1e-2:.2f} L")
fig, ax = plt.subplots(figsize=(6.0, 4.0))
ax.errorbar(Rs, lam, lam_err, fmt="o", capsize=3, label="simulation, 3D_∥/c (larmor trace)")
nf = ~np.array(tr["dpar_is_flat"], bool)
ax.plot(np.array(Rs)[nf], lam[nf], "o", mfc="none", mec="r", ms=12, label="no plateau by t_max")
ax.loglog(RR, 1.0817 * RR ** (1 / 3) / 1e-2, "k:", label="closed form 1.0817 R^{1/3}/σ² (Python cross-check)")
if np.isfinite(lam_q).any():
    ax.loglog(Rs, lam_q, "s", mfc="none", label="QLT, broadened resonance (larmor qlt)")
ax.set_xlabel(r"$R = r_L/L$")
ax.set_ylabel(r"$\lambda_\parallel$  [L]")
ax.set_title(f"slab δB/B₀ = 0.1, box 8 L, t_max = {dur4:g} L/c", fontsize=10)
ax.legend(fontsize=7)
fig.tight_layout()
print("saved", lb.savefig(fig, "02-slab-lambda"))

# %% [markdown]
# **Figure `02-slab-lambda`.** λ_∥ = 3D_∥/c from the running ⟨Δz²⟩ at δB/B₀ = 0.1 (100 particles × 4 realizations per R,
# t_max = 1000 L/c, jackknife errors; red rings: no plateau), against the k_max = ∞ closed form (dotted, Python
# cross-check) and `larmor qlt` with broadened resonances (squares; strict QLT diverges: 90° gap). **Mostly not converged:**
# only R = 0.01 reached a plateau. At t_max = 1000 L/c the values are 91 ± 7, 15.8 ± 1.2 and 22.6 ± 0.4 L at
# R = 0.003, 0.01, 0.03, against 15.6, 23.3, 33.6 L from the closed form and 11.5, 13.3, 18.6 L from broadened QLT.
# R = 0.01 levels off 32% below the closed form; R = 0.03, still creeping up, is 33% below it. R = 0.003 keeps
# growing far above it: there the resonance gap |μ| < 1/(R k_max) = 0.21 is wide, particles cross μ = 0 only
# through non-resonant effects, and the mean free path is set by how fast they get across the gap — the 90° problem, seen directly. The broadened QLT (Δ² = M_A with the CLI's default M_A = δB/B₀ = 0.1) lies
# 1.2× below the measured values at R = 0.01 and 0.03 but 7.9× below at R = 0.003: there it bridges the gap far more
# efficiently than the orbits do. The R^{1/3} law is not tested by one plateau and two unconverged points.
