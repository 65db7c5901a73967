# %% [markdown]
# # 09 — A parameter scan: can QLT of interstellar MHD turbulence produce the measured B/C?
#
# `larmor scan fields/scan.toml` takes a grid of media — the halo (|z| > h₁ = 0.5 kpc: the `halo` preset with
# M_A, L and B scanned) and the disk zone (|z| < h₁: the warm ionized medium with M_A and L scanned) — computes each
# point's QLT D_∥(R) at 7 rigidities 10–1000 GV for the summed rate of Alfvén + slow + fast modes and for Alfvén and
# fast modes alone (Yan–Lazarian broadened resonances, μ* confinement cut), feeds each pair of zone tables to the
# two-zone disk + halo model (analytic, H = 4 kpc, source index 2.3 fixed, force field Φ = 0.7 GV) and reports χ² of
# B/C against AMS-02 above 10 GV. Beside it, the phenomenological single and broken power laws fitted to the same
# data (`larmor transport`, `model = "fit"` and `"fit-broken"`). Quick mode scans 6 points at 5 rigidities.

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

model = (lb.FIELDS / "transport.toml").read_text()
fit = lb.run("transport", lb.FIELDS / "transport.toml")
broken = lb.run("transport", lb.write_spec("transport-broken", re.sub(r'^model = "fit" .*$', 'model = "fit-broken"', model, flags=re.M)))
for name, f in [("single power law", fit), ("broken power law", broken)]:
    s = f["bc_slope"]
    print(f"{name}: χ²/dof = {f['chi2']:.1f}/{f['chi2_dof']} = {f['chi2_per_dof']:.2f}; B/C slope above {s['above_gv']:g} GV: "
          f"model {s['model']:.3f}, data {s['data']:.3f} ± {s['data_err']:.3f}")

# %% [markdown]
# The best QLT point of each mode, traced back through `larmor transport` as a two-zone table model (its disk
# zone's D in `[diffusion]`, its halo zone's in `[outer_diffusion]`): the χ² must be the scan's (same inputs).

# %%
def bc_of(row):
    disk = row["disk_dpar_cm2_s"]
    halo = row["halo_dpar_cm2_s"]
    spec = f"""[disk]
half_thickness_pc = 100
hydrogen_density = 1.0
[halo]
height_kpc = {scan['halo_height_kpc']}
inner_height_kpc = {scan['inner_height_kpc']}
[source]
index = 2.3
[diffusion]
model = "table"
rigidities_gv = {list(map(float, R))}
coefficients = {list(map(float, disk))}
[outer_diffusion]
model = "table"
rigidities_gv = {list(map(float, R))}
coefficients = {list(map(float, halo))}
[output]
modulation_gv = 0.7
chi2_min_gv = 10
"""
    return lb.run("transport", lb.write_spec(f"scan-best-{row['mode']}", spec))

best = {}
for mode in ["all", "fast", "alfven"]:
    ok = [r for r in rows if r["mode"] == mode and r["chi2"] is not None]
    if ok:
        best[mode] = min(ok, key=lambda r: r["chi2"])
        t = bc_of(best[mode])
        best[mode]["transport"] = t
        print(f"{mode}: scan χ² {best[mode]['chi2']:.4f}, transport on its tables {t['chi2']:.4f}; "
              + ", ".join(f"{k} = {v}" for k, v in best[mode].items() if k.startswith(("halo_", "disk_")) and not k.endswith("cm2_s")))

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
fig.colorbar(sm, ax=ax, label="χ²/dof of B/C (all modes)")
ax.set_xlim(8, 1300)
ax.set_xlabel("rigidity  [GV]")
ax.set_ylabel(r"halo-zone QLT $D_\parallel$  [cm²/s]")
ax.set_title(f"{len(allrows)} media, summed Alfvén + slow + fast rate", fontsize=10)
ax.legend(fontsize=7, loc="upper left")

data_R = np.array(fit["rigidities_gv"])
axb.errorbar(data_R, fit["bc_data"], fit["bc_data_err"], fmt="k.", ms=3, label="AMS-02 (stat ⊕ syst)")
axb.plot(data_R, fit["bc_model"], "C0-", label=f"single power law: χ²/dof = {fit['chi2_per_dof']:.2f}")
axb.plot(data_R, broken["bc_model"], "C0--", label=f"broken power law: χ²/dof = {broken['chi2_per_dof']:.2f}")
for mode, style in [("all", "C3-"), ("fast", "C1-."), ("alfven", "C2:")]:
    if mode in best:
        t = best[mode]["transport"]
        axb.plot(data_R, t["bc_model"], style, label=f"best QLT point, {mode}: χ²/dof = {t['chi2_per_dof']:.0f}")
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
# At full size (200 media × 3 modes) the best QLT point reaches χ²/dof ≈ 110 (fast modes alone 115): every QLT
# curve is far flatter in rigidity than the fits — the halo-zone D_∥ rises as R^0.03 … R^0.37 (median 0.07) over
# 10–1000 GV, and the best points' B/C slopes above 65 GV are −0.06 against the data's −0.328 ± 0.014 — because the
# fast modes that dominate the scattering are nearly rigidity-independent scatterers in these media. The magnitude
# can be matched (the best curves cross the fits near 20–50 GV), the rigidity dependence cannot. Alfvén modes alone
# give no finite D_∥ in any scanned medium, in the halo zone or the disk zone (printed reasons: their free path
# exceeds the confinement zone at 10 GV, so the particles stream). The broken power law is what the data need:
# slope 0.58 below ≈ 140 GV, 0.32 above.

# %%
grid = [r for r in rows if r["mode"] == "all"]
keys = sorted({k for r in grid for k in r if k.startswith("halo_") and not k.endswith("cm2_s")})
ma = sorted({r["halo_mach_alfven"] for r in grid})
ls = sorted({r["halo_outer_scale_pc"] for r in grid})
# slice: the first value of every other scanned key
others = {k: sorted({r[k] for r in grid})[0] for k in keys + sorted({k for r in grid for k in r if k.startswith("disk_") and not k.endswith("cm2_s")})
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
fig.colorbar(im, ax=ax, label="χ²/dof of B/C (all modes)")
ax.set_title(", ".join(f"{k} = {v:g}" for k, v in others.items()), fontsize=7)
fig.tight_layout()
print("slice:", others)
print("saved", lb.savefig(fig, "09-scan-chi2-map"))

# %% [markdown]
# **Figure `09-scan-chi2-map`.** χ²/dof of B/C for the summed rate over the halo's Alfvén Mach number and injection
# scale, the other scanned keys held at their first values (named in the title). The lowest values (111 at
# M_A = 0.5, L = 10 pc; 135 at 0.7, 30 pc; 221 at 1, 100 pc) lie on a diagonal valley: along it L and M_A trade
# off to give the same magnitude of D. No cell comes near the ≈ 1 of the phenomenological fits: within this QLT
# family the halo turbulence sets the magnitude of D but not its rigidity dependence, which is what B/C measures
# above 10 GV.
