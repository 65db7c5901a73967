import Foundation
import LarmorCore
import Testing

import QuasiLinear

/// Goldreich–Sridhar families with a k_∥ floor (|k_∥| ≥ f k_min, `GoldreichSridhar.parallelFloorFactor`):
/// the sub-Alfvénic form with k_⊥ ∈ [M_A⁻² k_min, k_max] whose cascade keeps the injection's
/// parallel scale.
@Suite struct ParallelFloorTests {
  static let (kMin, kMax) = (1.0, 1e3)

  /// ∫ density d³k by a plain 2D midpoint sum in (ln k_⊥, k_∥) — not the solver's quadrature.
  static func bruteIntegral(_ gs: GoldreichSridhar, kMax: Double) -> Double {
    let lower = gs.perpendicularCutoffFactor * kMin
    let (nPerp, nPar) = (1500, 6000)
    var sum = 0.0
    let du = log(kMax / lower) / Double(nPerp)
    for i in 0..<nPerp {
      let kPerp = lower * exp((Double(i) + 0.5) * du)
      // k_∥ on a log grid from the floor (or 1e-6) to k_max, both signs.
      let start = max(gs.parallelFloorFactor * kMin, 1e-6)
      let dv = log(kMax / start) / Double(nPar)
      for j in 0..<nPar {
        let kPar = start * exp((Double(j) + 0.5) * dv)
        sum += 2 * 2 * .pi * kPerp * kPerp * du * kPar * dv
          * gs.density(perpendicular: kPerp, parallel: kPar, minimumWavenumber: kMin, maximumWavenumber: kMax)
      }
    }
    return sum
  }

  @Test(arguments: [(0.5, 1.0), (1.0, 1.0), (1.0, 3.0)])
  func normalizationIsTheDensitysIntegral(mach: Double, floor: Double) {
    let gs = GoldreichSridhar(machNumber: mach, parallelFloorFactor: floor)
    let closed = gs.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax)
    let brute = Self.bruteIntegral(gs, kMax: Self.kMax)
    #expect(abs(closed / brute - 1) < 1e-3, "M_A = \(mach), f = \(floor): \(closed) vs \(brute)")
    // k_max = ∞: the closed form minus the floor's share, against a finite k_max far out
    // (the power above K falls as K^(−2/3)).
    let infinite = gs.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: .infinity)
    let far = gs.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: 1e12)
    #expect(infinite > far && abs(far / infinite - 1) < 1e-6, "\(infinite) vs \(far)")
    #expect(gs.density(perpendicular: 5, parallel: 0.99 * floor, minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax) == 0)
  }

  /// Sharp gyroresonance at fixed k_∥ sees the same density with and without the floor, so
  /// D_μμ changes only by the normalization while k_∥ = 1/(R|μ|) ≥ k_floor, and is 0 below.
  @Test func gyroresonanceAboveTheFloorScalesWithTheNormalization() throws {
    let floor = 3.0
    let with = GoldreichSridhar(machNumber: 1, parallelFloorFactor: floor)
    let without = GoldreichSridhar(machNumber: 1)
    let spectrum = { (gs: GoldreichSridhar) in
      try TurbulenceSpectrum(.alfven(gs), minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax, turbulenceLevel: 0.1)
    }
    let a = PitchAngleDiffusion(spectrum: try spectrum(with))
    let b = PitchAngleDiffusion(spectrum: try spectrum(without))
    let scale = without.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax)
      / with.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax)
    #expect(scale > 1)
    let R = 0.1  // k_∥ = 10/|μ|: above the floor for every μ; R = 0.5: 2/|μ| < 3 for |μ| > 2/3
    for μ in [0.2, 0.5, 0.8] {
      let ratio = a.coefficient(cosine: μ, reducedRigidity: R) / b.coefficient(cosine: μ, reducedRigidity: R)
      #expect(abs(ratio / scale - 1) < 1e-9, "μ = \(μ): \(ratio) vs \(scale)")
    }
    #expect(a.coefficient(cosine: 0.8, reducedRigidity: 0.5) == 0)
    #expect(a.coefficient(cosine: 0.5, reducedRigidity: 0.5) > 0)
  }

  /// The broadened path carries the floor's normalization: with the floor far below every
  /// resonant k_∥, D_μμ scales as σ²/∫density (within 1%).
  @Test func broadenedResonanceSeesTheFloor() throws {
    let with = GoldreichSridhar(machNumber: 0.5, parallelFloorFactor: 1)
    let without = GoldreichSridhar(machNumber: 0.5)
    let settings = SolverSettings(resonance: .gaussian(widthSquared: 0.5))
    let d = { (gs: GoldreichSridhar) in
      PitchAngleDiffusion(
        spectrum: try TurbulenceSpectrum(.alfven(gs), minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax, turbulenceLevel: 0.1),
        settings: settings
      ).coefficient(cosine: 0.5, reducedRigidity: 0.01)
    }
    let scale = without.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax)
      / with.continuumIntegral(minimumWavenumber: Self.kMin, maximumWavenumber: Self.kMax)
    let ratio = try d(with) / d(without)
    #expect(abs(ratio / scale - 1) < 0.01, "\(ratio) vs \(scale)")
  }
}
