import Diffusion
import Foundation
import LarmorCore
import Orbits
import Testing

/// Exactly solvable fixtures fed through the same accumulators and estimators as real orbits
/// (docs/design.md §3.11c). Each asserts |estimate − exact| < 4σ with σ the jackknife error over
/// independent particle groups (a 4σ two-sided test fails by chance with probability 6e-5).
struct RandomWalkTests {
  /// Ornstein–Uhlenbeck velocities per axis (variance s², correlation time τ, exact AR(1)
  /// update), positions integrated with the trapezoid rule on a fine step h = τ/20.
  /// Exact: ⟨v_i(0)v_i(t)⟩ = s² e^{−t/τ}; TGK and derivative forms D(t) = s²τ(1 − e^{−t/τ}) (the
  /// TGK from the single origin t = 0, ⟨v(0)·Δx(t)⟩, is exact at every row: no quadrature);
  /// running form ⟨Δx²⟩/(2t) = s²τ[1 − (τ/t)(1 − e^{−t/τ})]. The trapezoid integration of a
  /// sampled OU process biases ⟨Δx²⟩ by O((h/τ)²) ≈ 2e-4 relative, far below σ.
  static func ornsteinUhlenbeck(
    groups: Int, perGroup: Int, s: Double, tau: Double, rows: [Double], h: Double, originRows: [Int] = [0]
  ) throws -> [TransportAccumulator] {
    var out: [TransportAccumulator] = []
    let a = exp(-h / tau), kick = s * (1 - a * a).squareRoot()
    for g in 0..<groups {
      var acc = try TransportAccumulator(times: rows, pitchBinEdges: [], originRows: originRows)
      for p in 0..<perGroup {
        let id = UInt64(g * perGroup + p)
        var rng = SplitMix64(seed: 2024, purpose: .particleDirection, index: id)
        let (g1, g2) = rng.nextNormalPair()
        let (g3, _) = rng.nextNormalPair()
        let v0 = s * Vec3(g1, g2, g3)
        var v = v0, x = Vec3(), t = 0.0
        for (row, target) in rows.enumerated() {
          while t < target - 1e-12 {
            let (n1, n2) = rng.nextNormalPair()
            let (n3, _) = rng.nextNormalPair()
            let next = a * v + kick * Vec3(n1, n2, n3)
            x += 0.5 * h * (v + next)
            v = next
            t += h
          }
          acc.record(row: row, snapshot: ParticleSnapshot(
            id: id, time: target, position: x, displacement: x, direction: v, initialDirection: v0,
            localField: Vec3(0, 0, 1), initialLocalPitch: v0.z))
        }
      }
      out.append(acc)
    }
    return out
  }

  @Test("Running, derivative and TGK D_∥, D_⊥ of an OU walk agree with the exact curves within 4σ at every sample, and the plateau within 4σ")
  func spatialEstimatorsMatchOrnsteinUhlenbeck() throws {
    let s = 0.5, tau = 1.0, h = 0.05
    // Rows on the h grid: 0, then log-spaced multiples of h up to 40τ.
    var rows: [Double] = [0]
    for k in 0..<30 { let n = (pow(800.0, Double(k) / 29)).rounded(); if Double(n) * h > rows.last! + 1e-9 { rows.append(Double(n) * h) } }
    let groups = try Self.ornsteinUhlenbeck(groups: 20, perGroup: 100, s: s, tau: tau, rows: rows, h: h)
    let d = s * s * tau
    func exact(_ q: RunningQuantity, _ t: Double) -> Double {
      switch q {
      case .parallel, .perpendicular: return d * (1 - (tau / t) * (1 - exp(-t / tau)))
      default: return d * (1 - exp(-t / tau))
      }
    }
    var worst: [RunningQuantity: Double] = [:]
    for q in RunningQuantity.allCases {
      let (times, series) = SpatialDiffusion.running(q, groups: groups)
      var maxPull = 0.0
      for i in times.indices {
        // Derivative form: compare with the exact secant slope of the same centred difference.
        var reference = exact(q, times[i])
        if q == .parallelDerivative || q == .perpendicularDerivative {
          let t = [0] + times
          let hi = min(i + 2, t.count - 1), lo = i
          func msd(_ t: Double) -> Double { 2 * d * (t - tau * (1 - exp(-t / tau))) }
          reference = 0.5 * (msd(t[hi]) - msd(t[lo])) / (t[hi] - t[lo])
        }
        maxPull = max(maxPull, abs(series.values[i] - reference) / series.errors[i])
      }
      worst[q] = maxPull
      #expect(maxPull < 4, "\(q): max |est − exact|/σ = \(maxPull)")
      let plateau = SpatialDiffusion.plateau(q, groups: groups, lastLogFraction: 0.2)
      // Exact plateau value: the window mean of the exact curve (the TGK/derivative tails are
      // within e^{−20} of s²τ; the running form is still 1/t-biased — the estimator's job).
      let windowTimes = times.filter { $0 >= plateau.window.lowerBound && $0 <= plateau.window.upperBound }
      let exactMean = windowTimes.map { exact(q, $0) }.reduce(0, +) / Double(windowTimes.count)
      print("OU \(q): max pull \(maxPull); plateau \(plateau.value) ± \(plateau.error) vs exact \(exactMean), drift \(plateau.drift) ± \(plateau.driftError)")
      #expect(abs(plateau.value - exactMean) < 4 * plateau.error)
    }
    let lambda = SpatialDiffusion.parallelMeanFreePath(parallelDiffusion: d)
    #expect(abs(lambda - 3 * d) < 1e-15)
  }

  /// Pitch-cosine random walk: μ(t) = μ₀ + √(2D) W(t) with Gaussian increments between rows,
  /// one bin per μ₀, D different per bin. Exact: ⟨Δμ²⟩ = 2Dt, so the fitted slope/2 is D.
  @Test("D_μμ estimator recovers the D of a Gaussian μ-walk within 4σ per bin, and flags bins with no valid window")
  func pitchEstimatorMatchesRandomWalk() throws {
    let rows = [0.0] + (1...200).map { Double($0) * 0.1 }
    let edges = [-0.8, -0.6, -0.2, 0.2, 0.6, 0.8]
    let centers = [-0.7, -0.4, 0.0, 0.4, 0.7]
    let coefficients = [1e-4, 5e-5, 2e-4, 1e-4, 5e-3]  // the last one exceeds 5e-3 before t_min
    let rigidity = 0.01  // t_min = 20·2π·0.01 = 1.26
    var groups: [TransportAccumulator] = []
    for g in 0..<16 {
      var acc = try TransportAccumulator(times: rows, pitchBinEdges: edges + [0.9])  // last bin [0.8, 0.9] stays empty
      for p in 0..<250 {
        for b in centers.indices {
          let id = UInt64((g * 250 + p) * 8 + b)
          var rng = SplitMix64(seed: 77, purpose: .particleDirection, index: id)
          var mu = centers[b], t = 0.0
          for (row, time) in rows.enumerated() {
            if time > t { mu += (2 * coefficients[b] * (time - t)).squareRoot() * rng.nextNormalPair().0; t = time }
            acc.record(row: row, snapshot: ParticleSnapshot(
              id: id, time: time, position: Vec3(), displacement: Vec3(), direction: Vec3(0, 0, mu),
              initialDirection: Vec3(0, 0, centers[b]), localField: Vec3(0, 0, 1), initialLocalPitch: centers[b]))
          }
        }
      }
      groups.append(acc)
    }
    let estimates = PitchAngleEstimator.estimate(groups: groups, reducedRigidity: rigidity)
    for b in 0..<4 {
      let e = estimates[b]
      let d = try #require(e.coefficient), sigma = try #require(e.standardError)
      print("μ-walk bin \(e.center): D = \(d) ± \(sigma) (exact \(coefficients[b])), window \(e.window!)")
      #expect(abs(d - coefficients[b]) < 4 * sigma)
      #expect(e.window!.lowerBound >= 20 * 2 * Double.pi * rigidity)
    }
    #expect(!estimates[4].isValid)  // ⟨Δμ²⟩ > 5e-3 before t_min
    #expect(!estimates[5].isValid)  // empty bin
    print("flagged: \(estimates[4].problem!) | \(estimates[5].problem!)")
    // The local-μ column sees the same walk here (b = ẑ).
    let local = PitchAngleEstimator.estimate(groups: groups, reducedRigidity: rigidity, reference: .local)
    #expect(local[0].coefficient == estimates[0].coefficient)
  }

  /// p₀ = 1 walks in p with ⟨Δp²⟩ growing either linearly (a diffusion, 2Dt) or as the saturating
  /// 2Dτ(1 − e^{−t/τ}) of a bounded process; both start at the same slope. The averaged D_pp must
  /// recover D within 4σ and call the first linear, the second not (its late-half slope is
  /// e^{−T/2τ}… of the early half's, a change far beyond the errors).
  @Test("The pitch-averaged D_pp recovers a momentum random walk's D and tells diffusive from saturating growth")
  func averagedMomentumDiffusionTestsLinearity() throws {
    let d = 2e-4, tau = 20.0
    let rows = (0...40).map { Double($0) * 2.5 }
    func walk(saturating: Bool) throws -> [TransportAccumulator] {
      try (0..<8).map { g in
        var acc = try TransportAccumulator(times: rows, pitchBinEdges: [])
        for p in 0..<400 {
          let id = UInt64(g * 400 + p)
          var rng = SplitMix64(seed: 91, purpose: .particleDirection, index: id)
          var x = 0.0
          for (row, t) in rows.enumerated() {
            if row > 0 {
              let h = t - rows[row - 1]
              // Exact AR(1) of an OU process with stationary variance Dτ started at 0, or a Wiener step.
              let a = saturating ? exp(-h / tau) : 1
              let variance = saturating ? d * tau * (1 - a * a) : 2 * d * h
              x = a * x + variance.squareRoot() * rng.nextNormalPair().0
            }
            acc.record(row: row, snapshot: ParticleSnapshot(
              id: id, time: t, position: Vec3(), displacement: Vec3(), direction: Vec3(0, 0, 1),
              initialDirection: Vec3(0, 0, 1), localField: Vec3(0, 0, 1), initialLocalPitch: 1, momentum: 1 + x))
          }
        }
        return acc
      }
    }
    let diffusive = try #require(MomentumDiffusion.averaged(groups: try walk(saturating: false), from: 10))
    print("diffusive: D_pp = \(diffusive.value) ± \(diffusive.error), change \(diffusive.change) ± \(diffusive.changeError)")
    #expect(abs(diffusive.value - d) < 4 * diffusive.error)
    #expect(diffusive.isLinear)
    let bounded = try #require(MomentumDiffusion.averaged(groups: try walk(saturating: true), from: 10))
    print("saturating: D_pp = \(bounded.value) ± \(bounded.error), change \(bounded.change) ± \(bounded.changeError)")
    #expect(bounded.change < 0)
    #expect(!bounded.isLinear)
    #expect(MomentumDiffusion.averaged(groups: try walk(saturating: false), from: 96) == nil)  // 2 rows
  }
}
