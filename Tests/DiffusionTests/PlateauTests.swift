@testable import Diffusion
import Foundation
import LarmorCore
import Orbits
import Testing

/// The TGK estimator over time origins, the statistical plateau test, and the μ₀ rule of a bin.
struct PlateauTests {
  /// Ornstein–Uhlenbeck velocities (s = 0.5, τ = 1) to T = 400τ on log-spaced rows: exact
  /// D = s²τ; ⟨Δx²⟩/2t lies below it by (τ/t)(1 − e^{−t/τ}) ≤ 2% in its window.
  static let s = 0.5, tau = 1.0, h = 0.1, duration = 400.0
  static var rows: [Double] {
    var rows: [Double] = [0]
    for k in 0..<48 {
      let n = (pow(duration / h, Double(k) / 47)).rounded()
      if Double(n) * h > rows.last! + 1e-9 { rows.append(Double(n) * h) }
    }
    return rows
  }

  @Test("TGK over 16 time origins equals s²τ and ⟨Δx²⟩/2t of the same OU walk within errors, with errors ≥ 2× below one origin's")
  func kuboOverOriginsMatchesMeanSquare() throws {
    let rows = Self.rows
    // On log-spaced rows the late targets jT/16 share rows (spacing 19% of t): 14 distinct.
    let origins = TransportAccumulator.originRows(times: rows, count: 16)
    #expect(origins.count >= 12 && origins.first == 0)
    let many = try RandomWalkTests.ornsteinUhlenbeck(groups: 16, perGroup: 100, s: Self.s, tau: Self.tau, rows: rows, h: Self.h, originRows: origins)
    let single = try RandomWalkTests.ornsteinUhlenbeck(groups: 16, perGroup: 100, s: Self.s, tau: Self.tau, rows: rows, h: Self.h)
    let d = Self.s * Self.s * Self.tau
    for (kubo, meanSquare) in [(RunningQuantity.parallelKubo, RunningQuantity.parallel), (.perpendicularKubo, .perpendicular)] {
      let tgk = SpatialDiffusion.plateau(kubo, groups: many)
      let tgk1 = SpatialDiffusion.plateau(kubo, groups: single)
      let msd = SpatialDiffusion.plateau(meanSquare, groups: many)
      print("OU \(kubo): TGK(16) \(tgk.value) ± \(tgk.error), TGK(1) \(tgk1.value) ± \(tgk1.error), MSD \(msd.value) ± \(msd.error), exact \(d)")
      #expect(abs(tgk.value - d) < 4 * tgk.error)
      #expect(abs(tgk1.value - d) < 4 * tgk1.error)
      #expect(abs(tgk.value - msd.value) < 4 * (tgk.error * tgk.error + msd.error * msd.error).squareRoot())
      // At lags τ' ≤ T/2 at least 6 nearly independent origins contribute (their velocities
      // decorrelate within the spacing ≈ T/16 = 25τ): the error falls by ≥ √6 > 2.
      #expect(tgk.error < tgk1.error / 2)
      #expect(tgk.window.upperBound <= Self.duration / 2 + 1e-9)
      #expect(tgk.isFlat && msd.isFlat)
    }
    // The orbits are the same: the mean-square estimates do not see the origins.
    #expect(SpatialDiffusion.plateau(.parallel, groups: many) == SpatialDiffusion.plateau(.parallel, groups: single))
  }

  @Test("Origin rows: nearest rows to jT/K, strictly increasing from row 0, none at the last row")
  func originRowsAreSpread() {
    let rows = [0.0, 1, 2, 3, 4, 5, 6, 7, 8]
    #expect(TransportAccumulator.originRows(times: rows, count: 4) == [0, 2, 4, 6])
    #expect(TransportAccumulator.originRows(times: rows, count: 1) == [0])
    #expect(TransportAccumulator.originRows(times: rows, count: 100) == Array(0...7))
  }

  @Test("Student-t critical values match the tables (ν = 1, 3, 10, 30)")
  func studentCriticalValues() {
    // Two-sided 1% and 5% points from standard tables.
    #expect(abs(StudentT.criticalValue(falseAlarmRate: 0.01, degreesOfFreedom: 1) - 63.657) < 1e-3)
    #expect(abs(StudentT.criticalValue(falseAlarmRate: 0.01, degreesOfFreedom: 3) - 5.841) < 1e-3)
    #expect(abs(StudentT.criticalValue(falseAlarmRate: 0.05, degreesOfFreedom: 10) - 2.228) < 1e-3)
    #expect(abs(StudentT.criticalValue(falseAlarmRate: 0.05, degreesOfFreedom: 30) - 2.042) < 1e-3)
    #expect(abs(StudentT.twoSidedTail(1.0, degreesOfFreedom: 1) - 0.5) < 1e-12)  // Cauchy: 1 − 2 atan(1)/π
  }

  /// `groups` accumulators of one particle each, whose running ⟨Δz²⟩/2t is
  /// D(t) = 1 + drift·log₁₀(t/t₁) times (1 + noise·N(0, 1)) per group and row.
  static func series(groups: Int, drift: Double, noise: Double, rng: inout SplitMix64) throws -> [TransportAccumulator] {
    let times = [0.0] + (0..<40).map { pow(10, Double($0) / 13) }
    return try (0..<groups).map { g in
      var acc = try TransportAccumulator(times: times, pitchBinEdges: [])
      for (row, t) in times.enumerated() {
        let level = (1 + drift * log10(max(t, 1))) * (1 + noise * rng.nextNormalPair().0)
        let z = (2 * level * t).squareRoot()
        acc.record(row: row, snapshot: ParticleSnapshot(
          id: UInt64(g), time: t, position: Vec3(0, 0, z), displacement: Vec3(0, 0, z), direction: Vec3(0, 0, 1),
          initialDirection: Vec3(0, 0, 1), localField: Vec3(0, 0, 1), initialLocalPitch: 1))
      }
      return acc
    }
  }

  @Test("Plateau test: a flat noisy series is called drifting at the stated 1% rate (4 groups), a 10%/decade drift is refused")
  func plateauTestHasItsFalseAlarmRate() throws {
    var rng = SplitMix64(seed: 11, purpose: .particleDirection, index: 0)
    let trials = 2000
    var alarms = 0
    for _ in 0..<trials {
      let p = SpatialDiffusion.plateau(.parallel, groups: try Self.series(groups: 4, drift: 0, noise: 0.05, rng: &rng))
      #expect(p.degreesOfFreedom == 3 && abs(p.criticalValue - 5.841) < 1e-3)
      if !p.isFlat { alarms += 1 }
    }
    // Binomial(2000, 0.01): mean 20, σ = 4.45; ±3σ.
    print("flat series called drifting: \(alarms)/\(trials)")
    #expect(alarms >= 7 && alarms <= 34)
    var refused = 0
    let meanLog = (30...39).map { Double($0) / 13 }.reduce(0, +) / 10  // the window's rows
    for _ in 0..<500 {
      let p = SpatialDiffusion.plateau(.parallel, groups: try Self.series(groups: 8, drift: 0.1, noise: 0.01, rng: &rng))
      if !p.isFlat { refused += 1 }
      #expect(abs(p.driftPerDecade - 0.1 / (1 + 0.1 * meanLog)) < 6 * p.driftPerDecadeError)
    }
    print("10%/decade drift refused: \(refused)/500")
    #expect(refused >= 495)
    // One group: flatness cannot be tested.
    #expect(!SpatialDiffusion.plateau(.parallel, groups: try Self.series(groups: 1, drift: 0, noise: 0.01, rng: &rng)).isFlat)
  }

  @Test("A plateau level known to worse than 25% is tested on its absolute change, not on a relative drift of ~0/0")
  func unresolvedLevelUsesAbsoluteDrift() {
    func plateau(value: Double, error: Double, drift: Double, driftError: Double, perDecade: Double, perDecadeError: Double) -> Plateau {
      Plateau(
        value: value, error: error, drift: drift, driftError: driftError, driftPerDecade: perDecade,
        driftPerDecadeError: perDecadeError, degreesOfFreedom: 3, falseAlarmRate: 0.01,
        criticalValue: StudentT.criticalValue(falseAlarmRate: 0.01, degreesOfFreedom: 3), window: 1...10)
    }
    // A TGK D_⊥ of the isotropic notebook run (R = 0.03): 1e-4 ± 2.9e-3, relative drift −63 ± 14 per decade.
    let noise = plateau(value: 1e-4, error: 2.9e-3, drift: 1e-3, driftError: 4e-3, perDecade: -63, perDecadeError: 13.7)
    #expect(!noise.isResolved && noise.isFlat)
    let moving = plateau(value: 1e-4, error: 2.9e-3, drift: 0.05, driftError: 4e-3, perDecade: 0.1, perDecadeError: 1)
    #expect(!moving.isResolved && !moving.isFlat)
    let resolved = plateau(value: 1, error: 0.05, drift: 0.05, driftError: 4e-3, perDecade: 0.05, perDecadeError: 0.02)
    #expect(resolved.isResolved && resolved.isFlat)  // the relative test decides for a resolved level
  }

  @Test("μ₀ rule of a bin: the two values of a two-valued bin with their shares; Gauss–Legendre nodes for uniform μ₀; one node for one μ₀")
  func initialPitchRule() throws {
    func bin(_ mus: [Double]) throws -> InitialPitchRule {
      var acc = try TransportAccumulator(times: [0, 1], pitchBinEdges: [0, 0.5])
      for (i, mu) in mus.enumerated() {
        let v = Vec3((1 - mu * mu).squareRoot(), 0, mu)
        acc.record(row: 0, snapshot: ParticleSnapshot(
          id: UInt64(i), time: 0, position: Vec3(), displacement: Vec3(), direction: v, initialDirection: v,
          localField: Vec3(0, 0, 1), initialLocalPitch: mu))
      }
      return InitialPitchRule(acc, bin: 0)
    }
    let two = try bin(Array(repeating: 0.2, count: 30) + Array(repeating: 0.3, count: 10))
    #expect(two.nodes.count == 2)
    #expect(abs(two.nodes[0] - 0.2) < 1e-9 && abs(two.nodes[1] - 0.3) < 1e-9)
    #expect(abs(two.weights[0] - 0.75) < 1e-9 && abs(two.weights[1] - 0.25) < 1e-9)
    let uniform = try bin((0..<10_000).map { (Double($0) + 0.5) / 10_000 * 0.5 })
    let offset = 0.25 / 3.0.squareRoot()  // half-width / √3
    #expect(abs(uniform.nodes[0] - (0.25 - offset)) < 1e-6 && abs(uniform.nodes[1] - (0.25 + offset)) < 1e-6)
    #expect(abs(uniform.weights[0] - 0.5) < 1e-6)
    let one = try bin(Array(repeating: 0.3, count: 7))
    #expect(one.nodes.count == 1 && abs(one.nodes[0] - 0.3) < 1e-15 && one.weights == [1])
  }
}
