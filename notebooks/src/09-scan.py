# %% [markdown]
# # 09 — A parameter scan: can QLT of interstellar MHD turbulence produce the measured B/C?
#
# `larmor scan fields/scan.toml` takes a grid of media — the halo (|z| > h₁ = 0.5 kpc: the `halo` preset with
# M_A, L and B scanned) and the disk zone (|z| < h₁: the warm ionized medium with M_A and L scanned) — computes each
# point's QLT D_∥(R) at 7 rigidities 10–1000 GV for the summed rate of Alfvén + slow + fast modes and for Alfvén and
# fast modes alone (Yan–Lazarian broadened resonances, μ* confinement cut), feeds each pair of zone tables to the
# two-zone disk + halo model (analytic, H = 4 kpc, force field Φ = 0.7 GV), fits the source index γ of every row, and
# reports χ² of B/C and of the C and O fluxes (amplitudes fitted) against AMS-02 above 10 GV. Beside it, the
# phenomenological single and broken power laws fitted to the same data (`larmor transport`, `model = "fit"` and
# `"fit-broken"`, γ fitted to C and O). At the end, the best medium again with reacceleration by its own
# quasi-linear D_pp. Quick mode scans 6 points at 5 rigidities.

# %%
import re
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import LogNorm
from larmor.notebook import Notebook

lb = Notebook(".")  # the notebooks directory: specs and CLI cache in out/, figures in figures/ (quick: out/figures/)
Q = lb.QUICK

text = (lb.FIELDS / "scan.toml").read_text()
if Q:
    text = re.sub(r"^rigidity_count = \d+", "rigidity_count = 5", text, flags=re.M)
    text = re.sub(r"^mach_alfven = \[0.5, 0.7, 1.0, 1.4, 2.0\]", "mach_alfven = [0.5, 1.0, 2.0]", text, flags=re.M)
    text = re.sub(r"^outer_scale_pc = \[10, 30, 100, 300, 1000\]", "outer_scale_pc = [30, 100]", text, flags=re.M)
    text = re.sub(r"^magnetic_field_uG = \[1.0, 3.0\]", "magnetic_field_uG = [1.0]", text, flags=re.M)
    text = re.sub(r"^mach_alfven = \[0.5, 1.0\]", "mach_alfven = [1.0]", text, flags=re.M)
    text = re.sub(r"^outer_scale_pc = \[20, 50\]", "outer_scale_pc = [50]", text, flags=re.M)
scan = lb.run("scan", lb.write_spec("scan", text))
rows = scan["rows"]
R = np.array(scan["rigidities_gv"])
print(f"{scan['points']} points × {len(scan['modes'])} modes = {len(rows)} rows; rigidities {np.round(R, 1)} GV")
for mode in scan["modes"]:
    rs = [r for r in rows if r["mode"] == mode]
    ok = [r for r in rs if r["chi2"] is not None]
    best = min(ok, key=lambda r: r["chi2"]) if ok else None
    print(f"  {mode:6s}: {len(ok)}/{len(rs)} points with a finite D_∥ everywhere"
          + (f"; best χ²/dof = {best['chi2_per_dof']:.1f} (point {best['point']}), B/C slope above 65 GV {best['bc_slope']:.3f}" if best else ""))
reasons = sorted({r["reason"] for r in rows if r["reason"]})
print("  reasons for no χ²:", reasons)

model = re.sub(r"^index = 2.3 .*$", "index = 2.3\nfit_index = true", (lb.FIELDS / "transport.toml").read_text(), flags=re.M)
fit = lb.run("transport", lb.write_spec("transport-fit-index", model))
broken = lb.run("transport", lb.write_spec("transport-broken", re.sub(r'^model = "fit" .*$', 'model = "fit-broken"', model, flags=re.M)))
for name, f in [("single power law", fit), ("broken power law", broken)]:
    s = f["bc_slope"]
    print(f"{name}: B/C χ²/dof = {f['chi2']:.1f}/{f['chi2_dof']} = {f['chi2_per_dof']:.2f}; B/C slope above {s['above_gv']:g} GV: "
          f"model {s['model']:.3f}, data {s['data']:.3f} ± {s['data_err']:.3f}; γ = {f['source_index']:.3f}: "
          f"C χ² {f['carbon']['chi2']:.1f}/{f['carbon']['chi2_dof']}, O χ² {f['oxygen']['chi2']:.1f}/{f['oxygen']['chi2_dof']}")

# %% [markdown]
# The best QLT point of each mode, traced back through `larmor transport` as a two-zone table model (its disk
# zone's D in `[diffusion]`, its halo zone's in `[outer_diffusion]`, the row's fitted γ in `[source]`): the χ² of B/C,
# C and O must be the scan's (same inputs).

# %%
def bc_of(row, rigidities=None, solver="", name=None):
    """`larmor transport` on a scan row's own zone tables (its γ; `solver`: an optional [solver] section)."""
    rig = list(map(float, R if rigidities is None else rigidities))
    spec = f"""[disk]
half_thickness_pc = 100
hydrogen_density = 1.0
[halo]
height_kpc = {scan['halo_height_kpc']}
inner_height_kpc = {scan['inner_height_kpc']}
[source]
index = {row['source_index']}
[diffusion]
model = "table"
rigidities_gv = {rig}
coefficients = {list(map(float, row["disk_dpar_cm2_s"]))}
[outer_diffusion]
model = "table"
rigidities_gv = {rig}
coefficients = {list(map(float, row["halo_dpar_cm2_s"]))}
[output]
modulation_gv = 0.7
chi2_min_gv = 10
{solver}"""
    return lb.run("transport", lb.write_spec(name or f"scan-best-{row['mode']}", spec))

best = {}
for mode in ["all", "fast", "alfven"]:
    ok = [r for r in rows if r["mode"] == mode and r["chi2"] is not None]
    if ok:
        best[mode] = min(ok, key=lambda r: r["chi2"])
        t = bc_of(best[mode])
        best[mode]["transport"] = t
        print(f"{mode}: scan χ² B/C, C, O {best[mode]['chi2_bc']:.4f}, {best[mode]['chi2_c']:.4f}, {best[mode]['chi2_o']:.4f}; "
              f"transport on its tables {t['chi2']:.4f}, {t['carbon']['chi2']:.4f}, {t['oxygen']['chi2']:.4f}; "
              + ", ".join(f"{k} = {v}" for k, v in best[mode].items() if k.startswith(("halo_", "disk_")) and not k.endswith(("cm2_s", "km_s"))))

# %%
fig, (ax, axb) = plt.subplots(1, 2, figsize=(12, 4.6))
allrows = [r for r in rows if r["mode"] == "all" and r["chi2"] is not None]
chis = np.array([r["chi2_per_dof"] for r in allrows])
norm = LogNorm(vmin=chis.min(), vmax=chis.max())
cmap = plt.get_cmap("viridis_r")
for r, c in zip(allrows, chis):
    ax.loglog(R, r["halo_dpar_cm2_s"], color=cmap(norm(c)), lw=0.8, alpha=0.7)
Rf = np.array(fit["rigidities_gv"])
ax.loglog(Rf, fit["diffusion_cm2_s"], "k-", lw=2, label=f"single power law fit (δ = {fit['delta']:.2f})")
ax.loglog(Rf, broken["diffusion_cm2_s"], "k--", lw=2, label=f"broken fit (δ = {broken['delta']:.2f} → {broken['delta'] - broken['delta_break']:.2f} at {broken['break_gv']:.0f} GV)")
sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
fig.colorbar(sm, ax=ax, label="χ²/dof of B/C + C + O (all modes)")
ax.set_xlim(8, 1300)
ax.set_xlabel("rigidity  [GV]")
ax.set_ylabel(r"halo-zone QLT $D_\parallel$  [cm²/s]")
ax.set_title(f"{len(allrows)} media, summed Alfvén + slow + fast rate", fontsize=10)
ax.legend(fontsize=7, loc="upper left")

data_R = np.array(fit["rigidities_gv"])
axb.errorbar(data_R, fit["bc_data"], fit["bc_data_err"], fmt="k.", ms=3, label="AMS-02 (stat ⊕ syst)")
axb.plot(data_R, fit["bc_model"], "C0-", label=f"single power law: B/C χ²/dof = {fit['chi2_per_dof']:.2f}")
axb.plot(data_R, broken["bc_model"], "C0--", label=f"broken power law: B/C χ²/dof = {broken['chi2_per_dof']:.2f}")
for mode, style in [("all", "C3-"), ("fast", "C1-."), ("alfven", "C2:")]:
    if mode in best:
        t = best[mode]["transport"]
        axb.plot(data_R, t["bc_model"], style, label=f"best QLT point, {mode}: B/C χ²/dof = {t['chi2_per_dof']:.0f}")
axb.set_xscale("log")
axb.set_xlabel("rigidity  [GV]")
axb.set_ylabel("B/C")
axb.set_title("B/C: the phenomenological fits and the best scanned media", fontsize=10)
axb.legend(fontsize=7)
fig.tight_layout()
print("saved", lb.savefig(fig, "09-scan-dpar-bc"))

# %% [markdown]
# **Figure `09-scan-dpar-bc`.** Left: the halo-zone QLT D_∥(R) of every scanned medium for the summed Alfvén + slow +
# fast rate, coloured by the χ²/dof its B/C reaches (yellow is best), with the phenomenological single (solid) and
# broken (dashed) power laws fitted to AMS-02 B/C. Right: B/C of the two fits and of the best scanned point of each
# mode, traced through `larmor transport` on the point's own zone tables (its χ² equals the scan's, printed above).
# At full size (200 media × 3 modes) the best QLT point by the summed χ² of B/C, C and O (point 1, all modes: χ²/dof
# = 37.3 over 152 bins) has B/C χ²/dof = 109 (the fast modes' best 113): every QLT curve is far flatter in rigidity
# than the fits — the halo-zone D_∥ rises as R^0.03 … R^0.37 (median 0.07) over 10–1000 GV, and the B/C slopes
# above 65 GV of all rows lie between −0.07 and −0.01 against the data's −0.328 ± 0.014 — because the fast modes
# that dominate the scattering are nearly rigidity-independent scatterers in these media. The magnitude can be
# matched (the best curves cross the fits near 20–50 GV), the rigidity dependence cannot; for the best point the
# B/C χ² per bin stays between 59 and 121 for every lower limit from 10 GV to 1 TV. Alfvén modes alone give no finite
# D_∥ in any scanned medium, in the halo zone or the disk zone (printed reasons: their free path exceeds the
# confinement zone at 10 GV, so the particles stream). The broken power law is what the data need:
# slope 0.58 below ≈ 140 GV, 0.32 above.

# %% [markdown]
# The primaries: C and O fluxes (× R^2.7) of the phenomenological fits and of the best QLT points, each with its own
# fitted γ and amplitude, and of the "plausible" media — the ten rows (all modes) with the lowest χ² of C + O.

# %%
allok = sorted([r for r in rows if r["mode"] == "all" and r["chi2"] is not None], key=lambda r: r["chi2_c"] + r["chi2_o"])
plausible = allok[:10]
for r in plausible:
    r["transport"] = r.get("transport") or bc_of(r)
fig, axes = plt.subplots(1, 2, figsize=(12, 4.4))
for ax, name, label in [(axes[0], "carbon", "C"), (axes[1], "oxygen", "O")]:
    f = fit[name]
    r_ = np.array(f["rigidities_gv"]); w = r_ ** 2.7
    ax.errorbar(r_, np.array(f["flux_data"]) * w, np.array(f["flux_data_err"]) * w, fmt="k.", ms=3, label="AMS-02 PRL 2017 (stat ⊕ syst)")
    for t in [r["transport"] for r in plausible]:
        ax.plot(r_, np.array(t[name]["flux_model"]) * w, color="0.75", lw=0.8, zorder=0)
    ax.plot([], [], color="0.75", label="ten best media in χ²(C) + χ²(O)")
    ax.plot(r_, np.array(f["flux_model"]) * w, "C0-", label=f"single power law, γ = {fit['source_index']:.2f}: χ² = {f['chi2']:.0f}/{f['chi2_dof']}")
    b = broken[name]
    ax.plot(r_, np.array(b["flux_model"]) * w, "C0--", label=f"broken power law, γ = {broken['source_index']:.2f}: χ² = {b['chi2']:.0f}/{b['chi2_dof']}")
    for mode, style in [("all", "C3-"), ("fast", "C1-.")]:
        if mode in best:
            t = best[mode]["transport"][name]
            ax.plot(r_, np.array(t["flux_model"]) * w, style, label=f"best QLT point, {mode}, γ = {best[mode]['source_index']:.2f}: χ² = {t['chi2']:.0f}/{t['chi2_dof']}")
    ax.axvspan(r_.min(), 10, color="0.93", zorder=-1)
    ax.set_xscale("log")
    ax.set_xlabel("rigidity  [GV]")
    ax.set_ylabel(f"{label} flux × R^2.7  [m⁻² sr⁻¹ s⁻¹ GV^1.7]")
    ax.set_title(f"{label} flux (χ² above 10 GV; grey: below)", fontsize=10)
    ax.legend(fontsize=7)
fig.tight_layout()
print("saved", lb.savefig(fig, "09-scan-primaries"))
print("plausible γ:", [round(r["source_index"], 3) for r in plausible], "χ²(C)+χ²(O):", [round(r["chi2_c"] + r["chi2_o"], 1) for r in plausible])

# %% [markdown]
# **Figure `09-scan-primaries`.** Carbon (left) and oxygen (right) fluxes, weighted by R^2.7, against AMS-02; each
# model is scaled by its own fitted amplitude and uses its own fitted source index; the χ² are above 10 GV. The
# primaries alone do not single out the physics: with γ fitted, a flat QLT D (γ = 2.67–2.73 for the ten best media,
# 2.47–2.79 over all rows) describes C and O about as well as the single power law (C χ² 73 against 118, O 55 against
# 55, for 50 dof); only the broken power law follows the hardening above ~200 GV (C 13, O 20). What separates the
# QLT media from the data is B/C.

# %% [markdown]
# Reacceleration by the same turbulence. The best medium of the `all` rows is scanned again at 1–1000 GV with its
# fitted γ fixed, once without reacceleration, once with each zone's own μ-averaged quasi-linear D_pp
# (`reacceleration = "qlt"`), and once with the standard relation D_pp = 4p²v_A²/[3δ(4−δ²)(4−δ)D] and the halo's v_A.

# %%
b0 = best["all"]
def medium_lines(prefix):
    return "\n".join(f"{k[len(prefix):]} = {v}" for k, v in b0.items() if k.startswith(prefix) and not k.endswith(("cm2_s", "dpp_s", "km_s")))
base_text = f"""[scan]
rigidities_gv = [1, 2, 5, 10, 30, 100, 300, 1000]
modes = ["all"]
reacceleration = "REACC"
[halo_medium]
preset = "halo"
{medium_lines("halo_")}
[disk_medium]
preset = "disk-wim"
{medium_lines("disk_")}
[halo]
height_kpc = {scan['halo_height_kpc']}
inner_height_kpc = {scan['inner_height_kpc']}
[source]
index = {b0['source_index']}
"""
runs = {k: lb.run("scan", lb.write_spec(f"scan-reacc-{k}", base_text.replace("REACC", k))) for k in ["none", "qlt", "halo-alfven-speed"]}
q = runs["qlt"]["rows"][0]
Rr = np.array(runs["qlt"]["rigidities_gv"])
print({k: (round(v["rows"][0]["chi2_bc"], 1), round(v["rows"][0]["chi2_c"], 1), round(v["rows"][0]["chi2_o"], 1)) for k, v in runs.items()})

def transport_of(kind):
    r = runs[kind]["rows"][0]
    solver = ""
    if kind == "qlt":
        solver = f"""[solver]
method = "numerical"
dpp_rigidities_gv = {list(map(float, Rr))}
dpp_s = {r['disk_dpp_s']}
outer_dpp_s = {r['halo_dpp_s']}
"""
    elif kind == "halo-alfven-speed":
        solver = f"""[solver]
method = "numerical"
alfven_speed_km_s = {r['halo_alfven_speed_km_s']}
"""
    return bc_of(r, Rr, solver, f"scan-reacc-transport-{kind}")

curves = {k: transport_of(k) for k in runs}
plain = curves["none"]
for k, t in curves.items():
    print(f"{k}: transport B/C χ² {t['chi2']:.1f} (scan {runs[k]['rows'][0]['chi2_bc']:.1f}), C {t['carbon']['chi2']:.1f}, O {t['oxygen']['chi2']:.1f}")
va = q["halo_alfven_speed_km_s"] * 1e5
fig, (ax, axb) = plt.subplots(1, 2, figsize=(12, 4.4))
ratio = np.array(q["halo_dpp_s"]) * np.array(q["halo_dpar_cm2_s"]) / va**2
ax.loglog(Rr, ratio, "C3o-", label="halo zone: quasi-linear ⟨D_pp⟩ D_∥ / (p² v_A²)")
if "disk_dpp_s" in q:
    vd = q["disk_alfven_speed_km_s"] * 1e5
    ax.loglog(Rr, np.array(q["disk_dpp_s"]) * np.array(q["disk_dpar_cm2_s"]) / vd**2, "C1s-", label="disk zone (its own v_A)")
for d_, ls_ in [(1 / 3, ":"), (0.1, "--")]:
    ax.axhline(4 / (3 * d_ * (4 - d_**2) * (4 - d_)), color="k", ls=ls_, label=f"standard relation, δ = {d_:.2g}")
ax.set_xlabel("rigidity  [GV]")
ax.set_ylabel("D_pp D_∥ / (p² v_A²)")
ax.set_title("momentum against spatial diffusion, best medium", fontsize=10)
ax.legend(fontsize=7)
bc = np.array(plain["bc_data"]); err = np.array(plain["bc_data_err"]); rb = np.array(plain["rigidities_gv"])
axb.errorbar(rb, bc, err, fmt="k.", ms=3, label="AMS-02")
for k, style, label in [("none", "C3-", "no reacceleration"), ("qlt", "C1-", "each zone's quasi-linear D_pp"),
                        ("halo-alfven-speed", "C2-.", "standard relation, halo v_A")]:
    axb.plot(rb, curves[k]["bc_model"], style, label=f"{label}: χ² = {curves[k]['chi2']:.0f}")
axb.plot(rb, broken["bc_model"], "C0--", label="broken power-law fit")
axb.set_xscale("log")
axb.set_xlabel("rigidity  [GV]")
axb.set_ylabel("B/C")
axb.set_title(f"B/C of the best medium, γ = {b0['source_index']:.2f} fixed (χ² above 10 GV)", fontsize=9)
axb.legend(fontsize=7)
fig.tight_layout()
print("saved", lb.savefig(fig, "09-scan-reacceleration"))
print("D_pp D/(p² v_A²) halo:", np.round(ratio, 2))

# %% [markdown]
# **Figure `09-scan-reacceleration`.** Left: the best medium's quasi-linear ⟨D_pp⟩ times its D_∥, in units of p² v_A²,
# against the standard relation's 4/[3δ(4−δ²)(4−δ)] (dotted δ = 1/3, dashed δ = 0.1). Right: its B/C without
# reacceleration, with each zone's quasi-linear D_pp, and with the standard relation at the halo's v_A, traced through
# `larmor transport` with the scan rows' own D and D_pp tables (the χ² printed above equal the scan's), beside the
# broken power-law fit. The quasi-linear fast modes reaccelerate 4–74 times more than the standard relation in the
# halo zone (1 GV–1 TV), and with a D_∥ this flat the reacceleration time p²/⟨D_pp⟩ stays comparable to the escape
# time H²/D up to 1 TV, so the spectra are reshaped at every rigidity: B/C χ² 5422 → 24920 with each zone's own D_pp,
# 280907 with the halo's v_A in the standard relation (applied in the disk zone too, where D is smaller), and C, O
# χ² in the 10⁴ range at the fixed γ. (Raising the solver's top momentum from 3×10⁴ to 3×10⁶ GeV/c per nucleon changes
# none of these B/C values in the fourth digit: it is not the boundary.) Reacceleration by the same turbulence makes
# this family of media worse, not better.

# %%
grid = [r for r in rows if r["mode"] == "all"]
keys = sorted({k for r in grid for k in r if k.startswith("halo_") and not k.endswith(("cm2_s", "km_s"))})
ma = sorted({r["halo_mach_alfven"] for r in grid})
ls = sorted({r["halo_outer_scale_pc"] for r in grid})
# slice: the first value of every other scanned key
others = {k: sorted({r[k] for r in grid})[0] for k in keys + sorted({k for r in grid for k in r if k.startswith("disk_") and not k.endswith(("cm2_s", "km_s"))})
          if k not in ("halo_mach_alfven", "halo_outer_scale_pc")}
sl = [r for r in grid if all(r[k] == v for k, v in others.items())]
M = np.full((len(ls), len(ma)), np.nan)
for r in sl:
    if r["chi2_per_dof"] is not None:
        M[ls.index(r["halo_outer_scale_pc"]), ma.index(r["halo_mach_alfven"])] = r["chi2_per_dof"]
fig, ax = plt.subplots(figsize=(5.6, 4.2))
im = ax.pcolormesh(np.arange(len(ma) + 1), np.arange(len(ls) + 1), M, norm=LogNorm(), cmap="viridis_r")
ax.set_xticks(np.arange(len(ma)) + 0.5, [f"{m:g}" for m in ma])
ax.set_yticks(np.arange(len(ls)) + 0.5, [f"{l:g}" for l in ls])
ax.set_xlabel("halo $M_A$")
ax.set_ylabel("halo injection scale L  [pc]")
for i in range(len(ls)):
    for j in range(len(ma)):
        if np.isfinite(M[i, j]):
            light = np.log(M[i, j]) < 0.5 * (np.log(np.nanmin(M)) + np.log(np.nanmax(M)))
            ax.text(j + 0.5, i + 0.5, f"{M[i, j]:.0f}", ha="center", va="center", fontsize=7, color="k" if light else "w")
fig.colorbar(im, ax=ax, label="χ²/dof of B/C + C + O (all modes)")
ax.set_title(", ".join(f"{k} = {v:g}" for k, v in others.items()), fontsize=7)
fig.tight_layout()
print("slice:", others)
print("saved", lb.savefig(fig, "09-scan-chi2-map"))

# %% [markdown]
# **Figure `09-scan-chi2-map`.** χ²/dof of B/C + C + O for the summed rate over the halo's Alfvén Mach number and injection
# scale (γ fitted per cell), the other scanned keys held at their first values (named in
# the title). The lowest values (37.8 at M_A = 0.5, L = 10 pc; 50 at 0.7, 30 pc; 84 at 1, 100 pc) lie on a diagonal
# valley: along it L and M_A trade off to give the same magnitude of D. No cell comes near the ≈ 1 of the
# phenomenological fits: within this QLT family the halo turbulence sets the magnitude of D but not its rigidity
# dependence, which is what B/C measures above 10 GV.
