#!/usr/bin/env python3
"""Independent numpy checks of an MHD snapshot in the Larmor snapshot layout.

    python3 notebooks/snapshots/check_snapshot.py notebooks/snapshots/mhd-48-a.h5 [--nu 0.00333 --eta 0.00333] [--json]

Reads bx, by, bz, vx, vy, vz, rho (float32, index [ix][iy][iz]) and the root attributes, and prints
(or returns, via `measure`) the numbers quoted in README.md: the mean field, the spectral divergence,
NaN counts, Mach numbers, δB/B0, β, shell spectra and their fitted slope, the dissipation scale.
Needs only numpy and h5py; `make_mhd_snapshot.py` imports `measure` for its JSON summary.

Conventions (the snapshot's own, see README.md): B in Heaviside-Lorentz code units (v_A = |B|/sqrt(rho)),
velocities in units of c_s, lengths in units of the box side. Wavenumbers are quoted in units of
2π/L (integer shells k = 1, 2, ...).
"""
import argparse
import json
import sys

import numpy as np

FIELDS = ("bx", "by", "bz", "vx", "vy", "vz", "rho")


def read(path):
    import h5py

    with h5py.File(path, "r") as f:
        data = {name: np.asarray(f[name][...], dtype=np.float64) for name in FIELDS}
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        dtypes = {name: str(f[name].dtype) for name in FIELDS}
    return data, attrs, dtypes


def wavevectors(shape, box):
    """Angular wavenumbers (rad per length unit) of an rfftn on `shape` with sides `box`, broadcastable."""
    nx, ny, nz = shape
    kx = 2 * np.pi * np.fft.fftfreq(nx, d=box[0] / nx)
    ky = 2 * np.pi * np.fft.fftfreq(ny, d=box[1] / ny)
    kz = 2 * np.pi * np.fft.rfftfreq(nz, d=box[2] / nz)
    return kx[:, None, None], ky[None, :, None], kz[None, None, :]


def rfft_weights(shape):
    """Multiplicity of each rfftn coefficient in the full (Hermitian) spectrum: 1 on the kz = 0 and
    Nyquist planes, 2 elsewhere."""
    nz = shape[2]
    w = np.full(nz // 2 + 1, 2.0)
    w[0] = 1.0
    if nz % 2 == 0:
        w[-1] = 1.0
    return w[None, None, :]


def divergence(b, box):
    """Spectral divergence of a vector field (list of three arrays): per mode
    r_k = |k·B_k|/(|k||B_k|) for k ≠ 0. Returns the maximum over all modes, the maximum over modes with
    |B_k|² ≥ 1e-8 of the largest one, and the power-weighted rms sqrt(Σ|k·B_k|²/|k|² / Σ|B_k|²)."""
    shape = b[0].shape
    kx, ky, kz = wavevectors(shape, box)
    bk = [np.fft.rfftn(c) for c in b]
    kdotb = kx * bk[0] + ky * bk[1] + kz * bk[2]
    k2 = kx**2 + ky**2 + kz**2
    power = np.abs(bk[0]) ** 2 + np.abs(bk[1]) ** 2 + np.abs(bk[2]) ** 2
    mask = k2 > 0
    longitudinal = np.where(mask, np.abs(kdotb) ** 2 / np.where(mask, k2, 1.0), 0.0)
    ratio = np.where(mask & (power > 0), np.sqrt(longitudinal / np.where(power > 0, power, 1.0)), 0.0)
    strong = mask & (power >= 1e-8 * power[mask].max())
    w = rfft_weights(shape)
    rms = np.sqrt((w * longitudinal).sum() / (w * np.where(mask, power, 0.0)).sum())
    return {"max_all_modes": float(ratio.max()), "max_modes_above_1e-8_peak": float(ratio[strong].max()),
            "power_weighted_rms": float(rms)}


def shell_spectrum(components, box):
    """Shell spectrum E(k) on integer shells k = round(|k| L/2π) (cubic box), normalised so that
    Σ_k E(k) = ⟨|f|²⟩/2 summed over components (the k = 0 mode excluded)."""
    shape = components[0].shape
    n = np.prod(shape)
    kx, ky, kz = wavevectors(shape, box)
    kmag = np.sqrt(kx**2 + ky**2 + kz**2) * box[0] / (2 * np.pi)
    shell = np.rint(kmag).astype(int)
    w = rfft_weights(shape)
    power = sum(np.abs(np.fft.rfftn(c)) ** 2 for c in components) * w / n**2 / 2
    nmax = shell.max()
    e = np.bincount(shell.ravel(), weights=np.broadcast_to(power, shell.shape).ravel(), minlength=nmax + 1)
    return np.arange(nmax + 1), e


def fit_slope(k, e, kmin, kmax):
    sel = (k >= kmin) & (k <= kmax) & (e > 0)
    p = np.polyfit(np.log(k[sel]), np.log(e[sel]), 1)
    resid = np.log(e[sel]) - np.polyval(p, np.log(k[sel]))
    return float(p[0]), float(np.sqrt(np.mean(resid**2)))


def local_slopes(k, e):
    sel = (k >= 1) & (e > 0)
    lk, le = np.log(k[sel]), np.log(e[sel])
    return {int(kk): float(s) for kk, s in zip(k[sel][1:-1], (le[2:] - le[:-2]) / (lk[2:] - lk[:-2]))}


def gradient(f, box, axis):
    shape = f.shape
    k = wavevectors(shape, box)[axis]
    fk = np.fft.rfftn(f)
    # the Nyquist mode of a derivative is set to zero (its sign is ambiguous)
    n = shape[axis]
    if n % 2 == 0:
        nyq = np.abs(k) >= np.pi * n / box[axis] - 1e-12
        k = np.where(nyq, 0.0, k)
    return np.fft.irfftn(1j * k * fk, s=shape, axes=(0, 1, 2))


def measure(data, attrs, nu=None, eta=None, fit_range=(3, 8)):
    """The snapshot's numbers as a dict (JSON types)."""
    box = np.asarray(attrs.get("box_size", [1.0, 1.0, 1.0]), dtype=np.float64)
    cs = float(attrs.get("sound_speed", 1.0))
    gaussian = attrs.get("magnetic_units", "heaviside-lorentz") == "gaussian"
    b = [data["bx"], data["by"], data["bz"]]
    v = [data["vx"], data["vy"], data["vz"]]
    rho = data["rho"]
    shape = rho.shape
    out = {"shape": list(shape), "nan_or_inf_cells": {n: int((~np.isfinite(data[n])).sum()) for n in FIELDS}}
    b_mean = np.array([c.mean() for c in b])
    db = [c - m for c, m in zip(b, b_mean)]
    b0 = float(np.linalg.norm(b_mean))
    rho_mean = float(rho.mean())
    va = b0 / np.sqrt((4 * np.pi if gaussian else 1.0) * rho_mean)
    v_mean = np.array([c.mean() for c in v])
    u2 = sum((c - m) ** 2 for c, m in zip(v, v_mean))
    urms = float(np.sqrt(u2.mean()))
    urms_mass = float(np.sqrt((rho * u2).mean() / rho_mean))
    dbrms = float(np.sqrt(sum((c**2).mean() for c in db)))
    out.update({
        "mean_B": b_mean.tolist(), "B0": b0, "mean_B_angle_to_z_deg": float(np.degrees(np.arccos(abs(b_mean[2]) / b0))),
        "mean_rho": rho_mean, "rho_min": float(rho.min()), "rho_max": float(rho.max()),
        "delta_rho_rms_over_mean": float(rho.std() / rho_mean),
        "mean_v": v_mean.tolist(), "v_A": float(va), "sound_speed": cs,
        "beta_2cs2_over_vA2": float(2 * cs**2 / va**2),
        "u_rms": urms, "u_rms_mass_weighted": urms_mass,
        "M_s": urms / cs, "M_A": urms / va, "M_s_mass_weighted": urms_mass / cs, "M_A_mass_weighted": urms_mass / va,
        "dB_over_B0": dbrms / b0,
        "dB_par_over_B0": float(np.sqrt((db[2] ** 2).mean()) / b0),
        "dB_perp_over_B0": float(np.sqrt((db[0] ** 2 + db[1] ** 2).mean()) / b0),
    })
    out["divergence_B"] = divergence(b, box)
    k, eb = shell_spectrum(db, box)
    _, eu = shell_spectrum(v, box)
    kmin, kmax = fit_range
    sb, rb = fit_slope(k, eb, kmin, kmax)
    su, ru = fit_slope(k, eu, kmin, kmax)
    out["spectra"] = {
        "k_over_2pi_L": k.tolist(), "E_B": eb.tolist(), "E_u": eu.tolist(),
        "note": "shell spectra of delta-B and u on integer shells k = |k| L/2pi; sum_k E(k) = <|f|^2>/2",
    }
    out["slope_fit"] = {"k_range": [kmin, kmax], "E_B_slope": sb, "E_B_rms_log_residual": rb,
                        "E_u_slope": su, "E_u_rms_log_residual": ru,
                        "E_B_local_slopes": local_slopes(k, eb), "E_u_local_slopes": local_slopes(k, eu)}
    # Dissipation: peak of the dissipation spectrum k² E(k), and, with ν and η, the rates and the
    # Kolmogorov wavenumber (ε/ν³)^(1/4).
    out["dissipation_spectrum_peak_k"] = {"B": int(k[np.argmax(k**2 * eb)]), "u": int(k[np.argmax(k**2 * eu)])}
    # The anisotropy of δB about z: effective k_par = sqrt(<|∂z δB|²>/<|δB|²>), k_perp likewise with
    # ∇⊥ (per perpendicular direction), both in units of 2π/L.
    dz2 = sum((gradient(c, box, 2) ** 2).mean() for c in db)
    dperp2 = sum((gradient(c, box, 0) ** 2).mean() + (gradient(c, box, 1) ** 2).mean() for c in db) / 2
    db2 = sum((c**2).mean() for c in db)
    out["anisotropy"] = {"k_par_eff": float(np.sqrt(dz2 / db2) * box[0] / (2 * np.pi)),
                         "k_perp_eff": float(np.sqrt(dperp2 / db2) * box[0] / (2 * np.pi))}
    if nu is not None and eta is not None:
        grads = [[gradient(c, box, a) for a in range(3)] for c in v]
        div_u = grads[0][0] + grads[1][1] + grads[2][2]
        # traceless rate of strain S_ij = (∂_i u_j + ∂_j u_i)/2 − δ_ij ∇·u/3; ε_ν = 2ν⟨ρ S:S⟩/⟨ρ⟩
        ss = np.zeros(shape)
        for i in range(3):
            for j in range(3):
                s = 0.5 * (grads[j][i] + grads[i][j]) - (div_u / 3 if i == j else 0.0)
                ss += s * s
        eps_nu = float(2 * nu * (rho * ss).mean() / rho_mean)
        jx = gradient(b[2], box, 1) - gradient(b[1], box, 2)
        jy = gradient(b[0], box, 2) - gradient(b[2], box, 0)
        jz = gradient(b[1], box, 0) - gradient(b[0], box, 1)
        scale = 4 * np.pi if gaussian else 1.0  # η⟨J²⟩ with J = ∇×B (HL); per unit mass
        eps_eta = float(eta * (jx**2 + jy**2 + jz**2).mean() / scale / rho_mean)
        eps = eps_nu + eps_eta
        k_kol = (eps / nu**3) ** 0.25
        out["dissipation"] = {"nu": nu, "eta": eta, "eps_viscous": eps_nu, "eps_resistive": eps_eta,
                              "eps_total": eps, "k_kolmogorov_over_2pi_L": float(k_kol * box[0] / (2 * np.pi)),
                              "kmax_eta_K": float(np.pi * shape[0] / box[0] / k_kol),
                              "note": "k_kolmogorov = (eps/nu^3)^(1/4); kmax_eta_K = k_Nyquist / k_kolmogorov (>= 1: resolved)"}
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("path")
    p.add_argument("--nu", type=float)
    p.add_argument("--eta", type=float)
    p.add_argument("--json", action="store_true", help="print the whole dict as JSON")
    a = p.parse_args(argv)
    data, attrs, dtypes = read(a.path)
    if a.nu is None and "viscosity" in attrs:
        a.nu = float(attrs["viscosity"])
    if a.eta is None and "resistivity" in attrs:
        a.eta = float(attrs["resistivity"])
    m = measure(data, attrs, a.nu, a.eta)
    if a.json:
        json.dump(m, sys.stdout, indent=1)
        print()
        return
    print(f"{a.path}: shape {m['shape']}, dtypes {sorted(set(dtypes.values()))}, NaN/Inf cells {sum(m['nan_or_inf_cells'].values())}")
    print(f"  <B> = {np.round(m['mean_B'], 6).tolist()} ({m['mean_B_angle_to_z_deg']:.3g} deg from z), <rho> = {m['mean_rho']:.6f}, rho in [{m['rho_min']:.3f}, {m['rho_max']:.3f}]")
    print(f"  M_s = {m['M_s']:.3f}, M_A = {m['M_A']:.3f}, dB/B0 = {m['dB_over_B0']:.3f} (par {m['dB_par_over_B0']:.3f}, perp {m['dB_perp_over_B0']:.3f}), beta = {m['beta_2cs2_over_vA2']:.3f}")
    d = m["divergence_B"]
    print(f"  div B: power-weighted rms {d['power_weighted_rms']:.2e}; max |k.B_k|/(|k||B_k|) over modes with |B_k|^2 >= 1e-8 peak {d['max_modes_above_1e-8_peak']:.2e} (over all modes {d['max_all_modes']:.2f}: machine-zero modes have random direction)")
    s = m["slope_fit"]
    print(f"  slopes on k = {s['k_range']}: E_B {s['E_B_slope']:.2f} (rms resid {s['E_B_rms_log_residual']:.2f}), E_u {s['E_u_slope']:.2f}")
    print(f"  anisotropy: k_par_eff = {m['anisotropy']['k_par_eff']:.2f}, k_perp_eff = {m['anisotropy']['k_perp_eff']:.2f} (2pi/L)")
    if "dissipation" in m:
        dd = m["dissipation"]
        print(f"  eps = {dd['eps_total']:.3f} (visc {dd['eps_viscous']:.3f}, resist {dd['eps_resistive']:.3f}), k_Kolmogorov = {dd['k_kolmogorov_over_2pi_L']:.1f} (2pi/L), k_max eta_K = {dd['kmax_eta_K']:.2f}")


if __name__ == "__main__":
    main()
