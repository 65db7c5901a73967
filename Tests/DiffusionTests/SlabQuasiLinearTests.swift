import Diffusion
import Foundation
import LarmorCore
import Orbits
import Testing

/// A slab field on a 1×1×N_z grid, sampled like Turbulence.GridField on such a grid (periodic
/// linear interpolation along z; x and y are irrelevant). DiffusionTests cannot import
/// Turbulence (Package.swift), so the field is filled here by direct summation of its Fourier
/// modes: β = b_x + i b_y = Σ_m c_m e^{i k_m z}, k_m = m Δk, 1 ≤ |m| ≤ M, with complex Gaussian
/// c_m, E|c_m|² = modeVariance(k_m).total · σ²/Σ modeVariance (the "expected variance"
/// normalization of SpectralSynthesis). The drawn c_m are kept: they are the realized discrete
/// spectrum the reference is computed from.
struct SlabGrid: MagneticField {
  let count: Int
  let cellSize: Double
  let bx: [Double], by: [Double]
  let wavenumbers: [Double]
  let amplitudes: [(re: Double, im: Double)]
  let expectedPower: [Double]

  init(spectrum: TurbulenceSpectrum, box: Double, count: Int, seed: UInt64) {
    self.count = count
    cellSize = box / Double(count)
    let dk = 2 * Double.pi / box
    let spacing = Vec3(dk, dk, dk)
    let largest = GridGeometry.largestIndex(points: count)
    var ks: [Double] = [], power: [Double] = []
    for m in -largest...largest where m != 0 {
      let k = Double(m) * dk
      let p = spectrum.modeVariance(at: Vec3(0, 0, k), spacing: spacing).total
      if p > 0 { ks.append(k); power.append(p) }
    }
    let norm = spectrum.variance / power.reduce(0, +)
    power = power.map { $0 * norm }
    var amps: [(re: Double, im: Double)] = []
    for (i, p) in power.enumerated() {
      var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: UInt64(bitPattern: Int64(ks[i] / dk)))
      let (g1, g2) = rng.nextNormalPair()
      amps.append(((p / 2).squareRoot() * g1, (p / 2).squareRoot() * g2))
    }
    var x = [Double](repeating: 0, count: count), y = x
    for j in 0..<count {
      let z = Double(j) * cellSize
      var re = 0.0, im = 0.0
      for i in ks.indices {
        let c = cos(ks[i] * z), s = sin(ks[i] * z)
        re += amps[i].re * c - amps[i].im * s
        im += amps[i].re * s + amps[i].im * c
      }
      x[j] = re; y[j] = im
    }
    (bx, by, wavenumbers, amplitudes, expectedPower) = (x, y, ks, amps, power)
  }

  func sample(at r: Vec3) -> Vec3 {
    let u = r.z / cellSize
    let base = u.rounded(.down)
    let t = u - base
    var i = Int(base) % count
    if i < 0 { i += count }
    let j = i + 1 == count ? 0 : i + 1
    return Vec3((1 - t) * bx[i] + t * bx[j], (1 - t) * by[i] + t * by[j], 1)
  }

  /// ⟨Δμ²⟩(t) of slab QLT along unperturbed helices, averaged over z₀ and gyrophase, evaluated
  /// on this field's discrete modes with power |c_m|² (realized) or E|c_m|² (expected), times
  /// the linear-interpolation damping sinc⁴(kΔz/2) (docs/physics.md §3.1 finite-time form, §4.4):
  ///   ⟨Δμ²⟩ = (Ω²(1−μ²)/2) Σ_m P_m sinc⁴(k_mΔz/2) F_t(k_m v μ + Ω),  F_t(x) = 4 sin²(xt/2)/x².
  /// (Positive charge: φ = φ₀ − Ωt, so the resonance is k v μ = −Ω.)
  func quasiLinearMeanSquare(mu: Double, time t: Double, rigidity: Double, realized: Bool, helicity: Double = 1) -> Double {
    let omega = 1 / rigidity
    var sum = 0.0
    for i in wavenumbers.indices {
      let k = wavenumbers[i]
      let p = realized ? amplitudes[i].re * amplitudes[i].re + amplitudes[i].im * amplitudes[i].im : expectedPower[i]
      let h = k * cellSize / 2
      let sinc = sin(h) / h
      let x = k * mu + helicity * omega
      let f = abs(x) < 1e-12 ? t * t : 4 * pow(sin(x * t / 2), 2) / (x * x)
      sum += p * pow(sinc, 4) * f
    }
    return omega * omega * (1 - mu * mu) / 2 * sum
  }
}

/// Slab test particles against slab QLT on the same discrete spectrum (docs/physics.md §3.1, §4.5–4.6).
///
/// Common setup: Kolmogorov slab (q = 5/3), k_min = 2π/8 = box fundamental, k_max = 300, box
/// 8 L along B₀ on 2048 cells (resonant wavelengths 2πR|μ| ≥ 16 cells for |μ| ≥ 0.2; the
/// residual sinc⁴ damping of linear interpolation is put into the reference), R = 0.05 (Ω = 20),
/// 15 sharp μ₀ ∈ {0.2, 0.25, …, 0.9}, uniform z₀ over the box, random gyrophase, standard Boris
/// with Δt = min(0.1/Ω_max, Δz/4) ≈ 9.8e-4, run to t = 20. Estimator: the library's D_μμ
/// slope fit, window t ≥ 10 gyro-periods (3.1), ⟨Δμ²⟩ ≤ 5e-3, v|μ|t ≤ L_box. Reference: the same
/// slope fit applied to finite-time QLT ⟨Δμ²⟩(t) over the same window rows.
struct SlabQuasiLinearTests {
  static let box = 8.0, cells = 2048, rigidity = 0.05
  static let mus = (0..<15).map { 0.2 + 0.05 * Double($0) }

  /// Runs one realization; returns the field, the per-group accumulators and the row times.
  static func run(level: Double, seed: UInt64, perMu: Int) async throws -> (SlabGrid, [TransportAccumulator], [Double]) {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3), minimumWavenumber: 2 * .pi / box, maximumWavenumber: 300, turbulenceLevel: level)
    let field = SlabGrid(spectrum: spectrum, box: box, count: cells, seed: seed)
    let edges = [mus[0] - 0.025] + mus.map { $0 + 0.025 }
    let pusher = try StepRule(turbulenceLevel: level, cellSize: box / Double(cells)).pusher(reducedRigidity: rigidity)
    let schedule = try SampleSchedule.logarithmic(from: 0.01, to: 1, count: 10).union(try .linear(until: 20, count: 100))
    let config = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: 15 * perMu, batchSize: 300, groupSize: 60)
    let initial = try InitialConditions(seed: 42 &+ seed, boxSize: Vec3(1, 1, box), directions: .pitchCosines(mus))
    let template = try TransportAccumulator(times: config.rowTimes, pitchBinEdges: edges)
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: field, observer: template)
    try await EnsembleRunner.run(&state, in: field, threads: 2)
    return (field, state.groupObservers, config.rowTimes)
  }

  static var rule: PitchAngleWindowRule { PitchAngleWindowRule(minimumGyroperiods: 10, maximumMeanSquare: 5e-3, boxLength: box, boxFraction: 1) }

  /// Test A — the unperturbed-orbit limit, where finite-time QLT on the realized modes is exact.
  /// At σ = 1e-4 (σ² = 1e-8) the accumulated orbit phase error k·Δμ·t ≈ 0.1 ≪ 1 over the run, so
  /// the comparison can be mode-by-mode: the reference uses this realization's drawn |c_m|²
  /// (no cosmic variance). All quantities scale as σ², so the tiny level is not a numerical
  /// problem (μ is conserved exactly without turbulence). Expected deviation: the √(2/N)
  /// statistics of 400 particles per μ (≈ 7 %) and imperfect z₀/gyrophase averaging.
  /// At σ² ~ 1e-4 this mode-by-mode agreement is lost (measured: median |ratio − 1| ≈ 0.6): the
  /// scattering itself shifts the resonance by k Δμ t ~ a few rad, i.e. over neighbouring modes
  /// of the box comb, so only the ensemble-averaged spectrum is predictive there (test B).
  @Test("Slab, unperturbed-orbit limit (σ² = 1e-8): D_μμ(μ) vs finite-time QLT on the realized modes, median |ratio − 1| ≤ 0.15 over μ ∈ [0.2, 0.9]")
  func slabMatchesRealizedModeQuasiLinearTheory() async throws {
    let start = Date()
    let (field, groups, times) = try await Self.run(level: 1e-4, seed: 1, perMu: 400)
    let estimates = PitchAngleEstimator.estimate(groups: groups, reducedRigidity: Self.rigidity, rule: Self.rule)
    var deviations: [Double] = []
    for (b, e) in estimates.enumerated() {
      let d = try #require(e.coefficient, "bin \(e.center): \(e.problem ?? "")")
      let t = e.rows!.map { times[$0] }
      let reference = linearFit(t, t.map { field.quasiLinearMeanSquare(mu: Self.mus[b], time: $0, rigidity: Self.rigidity, realized: true) }).slope / 2
      deviations.append(abs(d / reference - 1))
      print(String(format: "slab-A μ=%.2f D=%.4e ± %.1e  QLT(realized modes)=%.4e  ratio %.3f  window [%.2f, %.2f]",
                   Self.mus[b], d, e.standardError!, reference, d / reference, e.window!.lowerBound, e.window!.upperBound))
    }
    let median = deviations.sorted()[deviations.count / 2]
    print("slab-A: median |ratio−1| = \(median) over \(deviations.count) bins, max \(deviations.max()!); wall \(Date().timeIntervalSince(start)) s")
    #expect(median <= 0.15)
  }

  /// Test B — σ² = 2.25e-4 (δB/B₀ = 0.015), 8 independent field realizations × 100 particles per
  /// μ, reference on the *expected* discrete spectrum (modeVariance × σ²/Σ modeVariance, the
  /// normalization SpectralSynthesis uses). Realizations are the jackknife units, so the quoted
  /// errors include cosmic variance. One realization alone scatters by ~±50 % per bin when
  /// v|μ|t ~ L_box resolves single modes (measured median |ratio − 1| = 0.18 with one), so 8 are
  /// averaged; expected per-bin scatter ≈ 15 %, median |ratio − 1| ≈ 0.1.
  @Test("Slab, σ² = 2.25e-4, 8 realizations: D_μμ(μ) vs finite-time QLT on the expected discrete spectrum, median |ratio − 1| ≤ 0.15 over μ ∈ [0.2, 0.9]")
  func slabMatchesExpectedSpectrumQuasiLinearTheory() async throws {
    let start = Date()
    var realizations: [TransportAccumulator] = []
    var fields: [SlabGrid] = []
    var times: [Double] = []
    for seed in UInt64(1)...8 {
      let (field, groups, t) = try await Self.run(level: 0.015, seed: seed, perMu: 100)
      realizations.append(TransportAccumulator.merged(groups))
      fields.append(field)
      times = t
    }
    let estimates = PitchAngleEstimator.estimate(groups: realizations, reducedRigidity: Self.rigidity, rule: Self.rule)
    var deviations: [Double] = [], pulls: [Double] = []
    for (b, e) in estimates.enumerated() {
      let d = try #require(e.coefficient, "bin \(e.center): \(e.problem ?? "")")
      let t = e.rows!.map { times[$0] }
      let reference = linearFit(t, t.map { fields[0].quasiLinearMeanSquare(mu: Self.mus[b], time: $0, rigidity: Self.rigidity, realized: false) }).slope / 2
      deviations.append(abs(d / reference - 1))
      pulls.append((d - reference) / e.standardError!)
      print(String(format: "slab-B μ=%.2f D=%.4e ± %.1e (realizations)  QLT(expected)=%.4e  ratio %.3f  window [%.2f, %.2f]",
                   Self.mus[b], d, e.standardError!, reference, d / reference, e.window!.lowerBound, e.window!.upperBound))
    }
    let median = deviations.sorted()[deviations.count / 2]
    print("slab-B: median |ratio−1| = \(median) over \(deviations.count) bins; pulls \(pulls.map { String(format: "%.1f", $0) }); wall \(Date().timeIntervalSince(start)) s")
    #expect(median <= 0.15)
  }
}
