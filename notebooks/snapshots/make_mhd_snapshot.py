#!/usr/bin/env python3
"""Forced, compressible, isothermal MHD turbulence in a triply periodic cube with Dedalus v3, written as
Larmor snapshots (README.md beside this file: install, parameters, measured numbers, limits).

    OMP_NUM_THREADS=1 mpiexec -n 2 python3 make_mhd_snapshot.py --t-b 0     # 64³, the defaults: blows up at t ≈ 3.56 (README.md)
    OMP_NUM_THREADS=1 mpiexec -n 2 python3 make_mhd_snapshot.py --n 48 --force 3.0 --safety 0.3 --cfl-every 5 --raise-margin 1.5
                                                                             # mhd-48-a.h5 and mhd-48-b.h5
    OMP_NUM_THREADS=1 python3 make_mhd_snapshot.py --n 32 --t-spin 0 --t-a 0.5 --t-b 0 --tag try   # a quick try

Equations (code units: box side L = 1, isothermal sound speed c_s = 1, initial density ρ₀ = 1,
Heaviside-Lorentz B so that v_A = |B|/√ρ), with B = B₀ẑ + b and the fluctuation b evolved:

    ∂t lnρ + ∇·u = −u·∇lnρ
    ∂t u + c_s²∇lnρ − ν(∇²u + ∇(∇·u)/3) = −u·∇u + (∇×b)×B/ρ + 2ν S·∇lnρ + f
    ∂t b − η∇²b = ∇×(u×B)

S is the traceless rate of strain, so the viscous force is that of a constant kinematic viscosity ν.
The induction equation is in curl form: from b = 0 it keeps ∇·b = 0 to round-off (the curl of
anything has k·b_k = 0 mode by mode). The terms linear about (ρ₀, u = 0, B₀ẑ) (pressure, Alfvén and
magnetosonic couplings, diffusion) are implicit, the rest explicit (IMEX SBDF2, one right-hand side
per step). The step is held fixed (so the implicit matrices are factored once) and is changed only when
the CFL number on |u| + c_f, with the fast speed c_f = √(c_s² + |B|²/ρ), asks for it.

Two phases: the turbulence is spun up from rest at `--n-spin` modes (default n/2) until `--t-spin`,
interpolated spectrally onto n modes (exact: the coarse state is band-limited), and run on to the
snapshot times `--t-a` and `--t-b`.

The forcing f is an acceleration at the 16 pairs of integer wavevectors n with 1 ≤ |n| ≤ 2 (k = 2πn/L),
each a complex 3-vector following an Ornstein-Uhlenbeck process of correlation time `--t-corr`,
split into solenoidal and compressive parts with a fraction `--compressive` of the forcing power
compressive, and scaled to an rms acceleration `--force`. It is drawn from numpy's PCG64 with
`--seed`, identically on every MPI rank; FFTW plans with FFTW_ESTIMATE, so a run with the same
arguments and the same number of processes repeats itself.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import check_snapshot  # noqa: E402  (numpy checks, shared with the standalone checker)

L, CS = 1.0, 1.0


def parse(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=64, help="Fourier modes per axis (grid points of the snapshot)")
    p.add_argument("--n-spin", type=int, default=None, help="modes per axis of the spin-up phase (default n/2)")
    p.add_argument("--t-spin", type=float, default=2.5, help="end of the spin-up phase (0: none)")
    p.add_argument("--t-a", type=float, default=3.3, help="time of the first snapshot")
    p.add_argument("--t-b", type=float, default=4.1, help="time of the second snapshot (<= t-a: none)")
    p.add_argument("--b0", type=float, default=1.5, help="mean field B0 (v_A0 = B0 with rho0 = 1, c_s = 1)")
    p.add_argument("--nu", type=float, default=None, help="kinematic viscosity (default 0.16/n, per phase)")
    p.add_argument("--eta", type=float, default=None, help="resistivity (default = nu)")
    p.add_argument("--force", type=float, default=3.5, help="rms forcing acceleration")
    p.add_argument("--t-corr", type=float, default=0.25, help="forcing correlation time")
    p.add_argument("--compressive", type=float, default=0.15, help="fraction of the forcing power that is compressive")
    p.add_argument("--seed", type=int, default=20261207)
    p.add_argument("--safety", type=float, default=0.35, help="CFL number on |u| + c_f")
    p.add_argument("--cfl-every", type=int, default=10, help="steps between CFL checks")
    p.add_argument("--raise-margin", type=float, default=1.25,
                   help="a step is raised (when the CFL step exceeds 1.6 dt) to the CFL step / this")
    p.add_argument("--report-every", type=float, default=0.05, help="diagnostics interval (time units)")
    p.add_argument("--out-dir", default=HERE)
    p.add_argument("--tag", default=None, help="file name stem (default mhd-<n>)")
    return p.parse_args(argv)


class Forcing:
    """OU amplitudes on one wavevector of each ± pair with 1 <= |n| <= 2; state carried across phases."""

    def __init__(self, args):
        self.rng = np.random.Generator(np.random.PCG64(args.seed))
        ns = []
        for i in range(-2, 3):
            for j in range(-2, 3):
                for k in range(-2, 3):
                    if 1 <= i * i + j * j + k * k <= 4 and (i, j, k) > (0, 0, 0):
                        ns.append((i, j, k))
        self.ns = np.array(ns, dtype=float)
        self.khat = self.ns / np.linalg.norm(self.ns, axis=1)[:, None]
        self.npairs = len(ns)
        # ⟨f²⟩ = Σ_pairs 2|F_n|², E|F_n|² = 3σ² (the projection below keeps it on average)
        self.sigma = args.force / np.sqrt(6 * self.npairs)
        self.t_corr = args.t_corr
        chi = args.compressive
        self.w_sol, self.w_comp = np.sqrt(1.5 * (1 - chi)), np.sqrt(3 * chi)
        self.amp = self.sigma * self.noise()

    def noise(self):
        shape = (self.npairs, 3)
        return (self.rng.standard_normal(shape) + 1j * self.rng.standard_normal(shape)) / np.sqrt(2)

    def advance(self, dt):
        decay = np.exp(-dt / self.t_corr)
        self.amp = self.amp * decay + self.sigma * np.sqrt(1 - decay * decay) * self.noise()

    def coefficients(self):
        longit = self.khat * np.sum(self.khat * self.amp, axis=1)[:, None]  # (k̂·a)k̂
        return self.w_sol * (self.amp - longit) + self.w_comp * longit


class BlowUp(RuntimeError):
    pass


class Run:
    """One Dedalus solver at n modes per axis."""

    def __init__(self, n, args, forcing, comm, log):
        import dedalus.public as d3

        self.n, self.comm, self.forcing, self.log = n, comm, forcing, log
        self.nu = args.nu if args.nu is not None else 0.16 / n
        self.eta = args.eta if args.eta is not None else self.nu
        self.b0, self.safety = args.b0, args.safety
        self.cfl_every, self.raise_margin = args.cfl_every, args.raise_margin
        coords = d3.CartesianCoordinates("x", "y", "z")
        dist = d3.Distributor(coords, dtype=np.float64, comm=comm)
        bases = tuple(d3.RealFourier(coords[c], size=n, bounds=(0, L), dealias=3 / 2) for c in "xyz")
        self.lnrho = lnrho = dist.Field(name="lnrho", bases=bases)
        self.u = u = dist.VectorField(coords, name="u", bases=bases)
        self.b = b = dist.VectorField(coords, name="b", bases=bases)
        self.f = f = dist.VectorField(coords, name="f", bases=bases)
        ez = dist.VectorField(coords, name="ez")
        ez["g"][2] = 1
        ident = dist.TensorField((coords, coords), name="I")
        for i in range(3):
            ident["g"][i, i] = 1
        nu, eta, b0, cs2 = self.nu, self.eta, self.b0, CS * CS
        grad, div, curl, cross, trans = d3.grad, d3.div, d3.curl, d3.cross, d3.trans

        def dz(a):
            return d3.Differentiate(a, coords["z"])

        # shared subexpressions are evaluated once per step
        gu = grad(u)
        jb = curl(b)
        glr = grad(lnrho)
        B = b + b0 * ez
        S = 0.5 * (gu + trans(gu)) - (1 / 3) * div(u) * ident
        # (∇×b)×B/ρ minus its linear part (∇×b)×B₀ẑ: (∇×b)×(b + (e^{-lnρ} − 1)B)
        lorentz_nl = cross(jb, b + (np.exp(-lnrho) - 1) * B)
        namespace = dict(d3.__dict__)
        namespace.update(lnrho=lnrho, u=u, b=b, f=f, ez=ez, dz=dz, gu=gu, glr=glr, S=S, lorentz_nl=lorentz_nl,
                         nu=nu, eta=eta, b0=b0, cs2=cs2)
        problem = d3.IVP([lnrho, u, b], namespace=namespace)
        problem.add_equation("dt(lnrho) + div(u) = - u@glr")
        problem.add_equation("dt(u) + cs2*grad(lnrho) - nu*lap(u) - (nu/3)*grad(div(u)) - b0*dz(b) + b0*grad(ez@b)"
                             " = - u@gu + lorentz_nl + 2*nu*(S@glr) + f")
        problem.add_equation("dt(b) - eta*lap(b) - b0*dz(u) + b0*ez*div(u) = curl(cross(u, b))")
        self.solver = problem.build_solver(d3.SBDF2)
        self.solver.stop_sim_time = np.inf
        xg, yg, zg = dist.local_grids(*bases, scales=1)
        phases = [2 * np.pi * (m[0] * xg + m[1] * yg + m[2] * zg) / L for m in forcing.ns]
        self.cos = [np.cos(p) for p in phases]
        self.sin = [np.sin(p) for p in phases]
        self.dt = None
        self.ncells = n**3

    # -- state ------------------------------------------------------------------------------------
    def set_forcing(self):
        fhat = self.forcing.coefficients()
        self.f.change_scales(1)
        g = np.zeros(self.f["g"].shape)
        for p in range(self.forcing.npairs):
            for c in range(3):
                g[c] += 2 * (fhat[p, c].real * self.cos[p] - fhat[p, c].imag * self.sin[p])
        self.f["g"] = g

    def global_grid(self, field, scale=1):
        field.change_scales(scale)
        return field.allgather_data("g")

    def load_from(self, other):
        """The state of a coarser run, interpolated spectrally onto this grid."""
        scale = self.n / other.n
        for mine, theirs in ((self.lnrho, other.lnrho), (self.u, other.u), (self.b, other.b)):
            mine.load_from_global_grid_data(other.global_grid(theirs, scale))
        self.solver.sim_time = other.solver.sim_time

    # -- diagnostics ------------------------------------------------------------------------------
    def mean(self, a):
        from mpi4py import MPI
        return self.comm.allreduce(float(np.sum(a)), op=MPI.SUM) / self.ncells

    def extreme(self, a, op):
        from mpi4py import MPI
        return self.comm.allreduce(float(op(a)), op=MPI.MAX if op is np.max else MPI.MIN)

    def diagnostics(self):
        for fld in (self.lnrho, self.u, self.b):
            fld.change_scales(1)
        rho = np.exp(self.lnrho["g"])
        ug, bg = self.u["g"], self.b["g"]
        u2 = np.sum(ug * ug, axis=0)
        b2 = np.sum(bg * bg, axis=0)
        bmean = [self.mean(bg[c]) for c in range(3)]
        db2 = self.mean(b2) - sum(m * m for m in bmean)
        return {"t": self.solver.sim_time, "iteration": self.solver.iteration, "n": self.n,
                "E_kin": 0.5 * self.mean(rho * u2), "E_mag_fluct": 0.5 * self.mean(b2),
                "u_rms": np.sqrt(self.mean(u2)), "dB_over_B0": np.sqrt(max(db2, 0.0)) / self.b0,
                "mean_rho": self.mean(rho), "rho_min": self.extreme(rho, np.min), "rho_max": self.extreme(rho, np.max)}

    def cfl_timestep(self):
        """CFL step: safety · Δx / max(|u| + c_f), Δx = L/n, c_f = √(c_s² + |B|²/ρ) with the total B (so the
        explicit δb terms are covered); the maximum is taken on the dealiased grid, which samples the peaks."""
        for fld in (self.lnrho, self.u, self.b):
            fld.change_scales(1.5)
        irho = np.exp(-self.lnrho["g"])
        ug, bg = self.u["g"], self.b["g"]
        btot2 = bg[0] ** 2 + bg[1] ** 2 + (bg[2] + self.b0) ** 2
        speed = np.sqrt(np.sum(ug * ug, axis=0)) + np.sqrt(CS * CS + btot2 * irho)
        return self.safety * (L / self.n) / self.extreme(speed, np.max)

    # -- stepping ---------------------------------------------------------------------------------
    def step_to(self, t_stop, report, every):
        """Step until sim_time reaches t_stop (the last step shortened to land on it)."""
        solver = self.solver
        if self.dt is None:
            self.dt = min(self.cfl_timestep(), 0.01)
        next_report = solver.sim_time
        k = 0
        while solver.sim_time < t_stop - 1e-12:
            if k % self.cfl_every == 0:
                dt_cfl = self.cfl_timestep()
                if not np.isfinite(dt_cfl) or dt_cfl < 1e-7:
                    raise BlowUp(f"the state blew up (CFL step {dt_cfl:.3g}) between t = {solver.sim_time - self.cfl_every * self.dt:.4f} and {solver.sim_time:.4f}")
                if dt_cfl < self.dt:
                    self.log(f"  dt {self.dt:.3e} -> {0.8 * dt_cfl:.3e} (CFL)")
                    self.dt = 0.8 * dt_cfl
                elif dt_cfl > 1.6 * self.dt and self.dt < 0.01:
                    self.dt = min(dt_cfl / self.raise_margin, 0.01)
            dt = min(self.dt, t_stop - solver.sim_time)
            self.set_forcing()
            solver.step(dt)
            self.forcing.advance(dt)
            k += 1
            if solver.sim_time >= next_report - 1e-12 or solver.sim_time >= t_stop - 1e-12:
                d = self.diagnostics()
                d["dt"] = dt
                if not np.isfinite(d["E_kin"] + d["E_mag_fluct"]):
                    self.log("NaN in the state: stopping")
                    self.comm.Abort(1)
                report(d)
                next_report += every


def main(argv=None):
    args = parse(argv)
    n = args.n
    n_spin = args.n_spin or n // 2
    tag = args.tag or f"mhd-{n}"

    import dedalus
    from dedalus.tools.config import config
    from mpi4py import MPI

    config["transforms-fftw"]["PLANNING_RIGOR"] = "estimate"
    config["parallelism-fftw"]["PLANNING_RIGOR"] = "estimate"
    config["transforms"]["GROUP_TRANSFORMS"] = "True"
    comm = MPI.COMM_WORLD
    rank = comm.rank

    def say(*a):
        if rank == 0:
            print(*a, flush=True)

    wall0 = time.time()
    b0 = args.b0
    forcing = Forcing(args)
    history = []

    def report(d):
        d["wall"] = time.time() - wall0
        history.append(d)
        say(f"n {d['n']:3d} t {d['t']:7.3f} it {d['iteration']:6d} dt {d['dt']:.2e} u_rms {d['u_rms']:.3f} "
            f"dB/B0 {d['dB_over_B0']:.3f} E_kin {d['E_kin']:.4f} E_mag {d['E_mag_fluct']:.4f} "
            f"rho [{d['rho_min']:.3f}, {d['rho_max']:.3f}] <rho> {d['mean_rho']:.5f} wall {d['wall']:.0f} s")

    say(f"Dedalus {dedalus.__version__}, numpy {np.__version__}, {comm.size} process(es); n = {n} (spin-up {n_spin} "
        f"to t = {args.t_spin}), B0 = {b0}, beta = {2 * CS**2 / b0**2:.3f}, force = {args.force}, t_corr = {args.t_corr}, "
        f"compressive = {args.compressive}, seed = {args.seed}; snapshots at t = {args.t_a}, {args.t_b}")
    phases = {}
    run = None
    if args.t_spin > 0 and n_spin != n:
        coarse = Run(n_spin, args, forcing, comm, say)
        say(f"spin-up: {n_spin}^3, nu = eta = {coarse.nu:.4g}")
        t0 = time.time()
        coarse.step_to(args.t_spin, report, args.report_every)
        phases["spin_up"] = {"n": n_spin, "nu": coarse.nu, "eta": coarse.eta, "t_end": coarse.solver.sim_time,
                             "iterations": coarse.solver.iteration, "wall_s": time.time() - t0}
        run = Run(n, args, forcing, comm, say)
        run.load_from(coarse)
        run.dt = None
        del coarse
    else:
        run = Run(n, args, forcing, comm, say)
    say(f"main phase: {n}^3 from t = {run.solver.sim_time:.3f}, nu = eta = {run.nu:.4g}")
    t0 = time.time()
    it0 = run.solver.iteration
    nu, eta = run.nu, run.eta

    def write_snapshot(label):
        lr = run.global_grid(run.lnrho)
        ug = run.global_grid(run.u)
        bg = run.global_grid(run.b)
        if rank != 0:
            return None
        import h5py

        btot = bg.copy()
        btot[2] += b0
        data64 = {"bx": btot[0], "by": btot[1], "bz": btot[2], "vx": ug[0], "vy": ug[1], "vz": ug[2], "rho": np.exp(lr)}
        div64 = check_snapshot.divergence([btot[0], btot[1], btot[2]], (L, L, L))  # before rounding to float32
        path = os.path.join(args.out_dir, f"{tag}-{label}.h5")
        tmp = path + ".tmp"
        t = run.solver.sim_time
        with h5py.File(tmp, "w") as h:
            for name in check_snapshot.FIELDS:
                h.create_dataset(name, data=data64[name].astype(np.float32))
            h.attrs["box_size"] = np.array([L, L, L], dtype=np.float64)
            h.attrs["units"] = ("code units: B Heaviside-Lorentz with v_A = |B|/sqrt(rho); v in units of the isothermal sound "
                                "speed c_s = 1; rho in units of the initial (mean) density rho_0 = 1; lengths in units of the box "
                                "side L = 1; time in L/c_s")
            h.attrs["magnetic_units"] = "heaviside-lorentz"
            h.attrs["source"] = (f"Dedalus {dedalus.__version__} (numpy {np.__version__}), notebooks/snapshots/make_mhd_snapshot.py: "
                                 f"compressible isothermal MHD, {n}^3 Fourier modes (3/2 dealiasing), IMEX SBDF2, B0 = {b0} along z, "
                                 f"nu = eta = {nu:.4g}, OU forcing at 1 <= |k|L/2pi <= 2 (rms {args.force}, t_corr {args.t_corr}, "
                                 f"compressive power fraction {args.compressive}), seed {args.seed}, t = {t:.4f} L/c_s, "
                                 f"{comm.size} MPI process(es)")
            h.attrs["sound_speed"] = np.float64(CS)
            h.attrs["adiabatic_index"] = np.float64(1.0)
            # extras (not in the contract): grid nodes at x_i = i L/n, the state's time and parameters
            h.attrs["grid_offset_cells"] = np.float64(0.0)
            h.attrs["time"] = np.float64(t)
            h.attrs["viscosity"] = np.float64(nu)
            h.attrs["resistivity"] = np.float64(eta)
            h.attrs["seed"] = np.int64(args.seed)
        os.replace(tmp, path)
        data32, attrs, _ = check_snapshot.read(path)
        m = check_snapshot.measure(data32, attrs, nu, eta)
        m["divergence_B_float64_state"] = div64
        m["file"] = os.path.basename(path)
        m["file_bytes"] = os.path.getsize(path)
        m["time"] = t
        say(f"wrote {path} ({m['file_bytes'] / 1e6:.2f} MB): M_s {m['M_s']:.3f}, M_A {m['M_A']:.3f}, dB/B0 {m['dB_over_B0']:.3f}, "
            f"beta {m['beta_2cs2_over_vA2']:.3f}, div (float64 state) rms {div64['power_weighted_rms']:.1e} "
            f"max {div64['max_modes_above_1e-8_peak']:.1e}; (float32 file) rms {m['divergence_B']['power_weighted_rms']:.1e} "
            f"max {m['divergence_B']['max_modes_above_1e-8_peak']:.1e}; E_B slope {m['slope_fit']['E_B_slope']:.2f}")
        return m

    targets = [("a", args.t_a)] + ([("b", args.t_b)] if args.t_b > args.t_a else [])
    snaps = {}

    def write_summary(status):
        if rank != 0:
            return
        hist = np.array([[h["t"], h["n"], h["E_kin"], h["E_mag_fluct"], h["u_rms"], h["dB_over_B0"], h["mean_rho"]]
                         for h in history])
        # steady state: mean, spread and trend of u_rms and δB/B₀ over the two turnover times before each snapshot
        steady = {}
        if snaps.get("a"):
            t_turn = (L / 1.5) / snaps["a"]["u_rms"]  # L_f/u_rms with the forcing wavelength L_f = L/1.5
            steady = {"turnover_time": t_turn,
                      "note": "turnover time L_f/u_rms with L_f = L/1.5; windows of 2 turnover times before each snapshot"}
            for label, t in targets:
                if label not in snaps:
                    continue
                sel = (hist[:, 0] > t - 2 * t_turn) & (hist[:, 0] <= t + 1e-9)
                tt, ur, db = hist[sel, 0], hist[sel, 4], hist[sel, 5]
                if len(tt) > 3:
                    steady[label] = {"window": [float(tt[0]), float(tt[-1])],
                                     "u_rms_mean": float(ur.mean()), "u_rms_std": float(ur.std()),
                                     "u_rms_trend_per_turnover": float(np.polyfit(tt, ur, 1)[0] * t_turn),
                                     "dB_over_B0_mean": float(db.mean()), "dB_over_B0_std": float(db.std()),
                                     "dB_over_B0_trend_per_turnover": float(np.polyfit(tt, db, 1)[0] * t_turn)}
        import h5py
        import mpi4py
        import scipy

        phases["main"] = {"n": n, "nu": nu, "eta": eta, "t_end": run.solver.sim_time,
                          "iterations": run.solver.iteration - it0, "wall_s": time.time() - t0}
        summary = {
            "status": status,
            "run": {
                "code": f"dedalus {dedalus.__version__}", "numpy": np.__version__, "scipy": scipy.__version__,
                "h5py": h5py.__version__, "mpi4py": mpi4py.__version__, "python": platform.python_version(),
                "mpi_processes": comm.size, "n": n, "box": L, "sound_speed": CS, "B0": b0, "rho0": 1.0,
                "beta_mean_field": 2 * CS**2 / b0**2, "nu": nu, "eta": eta, "magnetic_prandtl": nu / eta,
                "forcing": {"k_range_2pi_over_L": [1, 2], "n_wavevector_pairs": forcing.npairs, "f_rms": args.force,
                            "t_corr": args.t_corr, "compressive_power_fraction": args.compressive,
                            "process": "Ornstein-Uhlenbeck, updated once per step"},
                "timestepper": f"IMEX SBDF2, fixed step cut by CFL {args.safety} on |u| + c_f (dx = L/n), checked every "
                               f"{args.cfl_every} steps, raised to the CFL step / {args.raise_margin}",
                "phases": phases, "seed": args.seed, "wall_time_s": time.time() - wall0,
                "snapshot_times": {label: t for label, t in targets},
                "command": " ".join(sys.argv),
            },
            "steady_state": steady,
            "history_columns": ["t", "n", "E_kin", "E_mag_fluct", "u_rms", "dB_over_B0", "mean_rho"],
            "history": [[round(float(x), 6) for x in row] for row in hist],
            "snapshots": snaps,
        }
        path = os.path.join(args.out_dir, f"{tag}.json")
        with open(path, "w") as fh:
            json.dump(summary, fh, indent=1)
        say(f"wrote {path} ({status}); wall time {time.time() - wall0:.0f} s")

    for label, t in targets:
        try:
            run.step_to(t, report, args.report_every)
        except BlowUp as e:
            say(f"stopped: {e}")
            write_summary(f"stopped before snapshot {label}: {e}")
            sys.exit(1)
        snaps[label] = write_snapshot(label)
        write_summary("complete" if label == targets[-1][0] else f"running: snapshot {label} written")


if __name__ == "__main__":
    main()
