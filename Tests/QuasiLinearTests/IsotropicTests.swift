import Foundation
import LarmorCore
import Testing

import QuasiLinear

/// Isotropic magnetostatic Kolmogorov turbulence (docs/physics.md §3.3).
@Suite struct IsotropicTests {
  static func solver(kMax: Double = 1e5, tolerance: Double = 1e-8, harmonics: HarmonicSelection = .automatic) throws
    -> PitchAngleDiffusion
  {
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3.0), minimumWavenumber: 1, maximumWavenumber: kMax, turbulenceLevel: 0.1)
    return PitchAngleDiffusion(
      spectrum: spectrum, settings: SolverSettings(harmonics: harmonics, harmonicTolerance: tolerance))
  }

  /// The harmonic sum converges: the default truncation (stop after three consecutive orders n
  /// whose remainder bound t_n n/(p − 1), p the local power-law decay exponent of the terms, is
  /// below 1e-8 of the running total, or when k_∥ = |n|Ω/v|μ| > k_max) against a sum forced to
  /// |n| ≤ 400 (beyond k_max for these parameters) and a tighter 1e-12 criterion: change < 1e-6.
  /// In a criterion-limited case (k_max far above the resonances) the 1e-6 criterion stays
  /// within 1e-6 of the 1e-8 one: adding orders changes D_μμ by < 1e-6.
  @Test func harmonicSumConverges() throws {
    let R = 1e-2
    let μ = 0.3
    let reference = try Self.solver(kMax: 1e4).coefficient(cosine: μ, reducedRigidity: R)
    let forced = try Self.solver(kMax: 1e4, harmonics: .upTo(400)).coefficient(cosine: μ, reducedRigidity: R)
    let tight = try Self.solver(kMax: 1e4, tolerance: 1e-12).coefficient(cosine: μ, reducedRigidity: R)
    // A criterion-limited case: k_max far above the resonances, so the 1e-6 stop acts.
    let loose = try Self.solver(kMax: 1e7, tolerance: 1e-6).coefficient(cosine: 0.5, reducedRigidity: 1e-3)
    let strict = try Self.solver(kMax: 1e7, tolerance: 1e-8).coefficient(cosine: 0.5, reducedRigidity: 1e-3)
    print("isotropic harmonic sums: forced \(abs(forced / reference - 1)), tight \(abs(tight / reference - 1)), 1e-6 vs 1e-8 \(abs(loose / strict - 1))")
    #expect(abs(forced / reference - 1) < 1e-6)
    #expect(abs(tight / reference - 1) < 1e-6)
    #expect(abs(loose / strict - 1) < 1e-6)
  }

  /// D_μμ(−μ) = D_μμ(μ) for a spectrum symmetric in k_∥ (to round-off, 1e-12).
  @Test func symmetricInCosine() throws {
    let solver = try Self.solver(kMax: 1e4)
    for μ in [0.2, 0.6] {
      let plus = solver.coefficient(cosine: μ, reducedRigidity: 1e-2)
      let minus = solver.coefficient(cosine: -μ, reducedRigidity: 1e-2)
      #expect(abs(plus / minus - 1) < 1e-12)
    }
  }

  /// D_μμ ∝ |μ|^(5/3) as μ → 0 (docs/physics.md §3.3), so λ_∥ diverges. Local exponent between
  /// μ = 0.005 and 0.01 (resonant k_∥ = 1e4–2e4 ≪ k_max = 1e7): 5/3 within 0.05.
  @Test func ninetyDegreeScalingAndDivergence() throws {
    let solver = try Self.solver(kMax: 1e7, tolerance: 1e-6)
    let R = 1e-2
    let (μ1, μ2) = (0.005, 0.01)
    let d1 = solver.coefficient(cosine: μ1, reducedRigidity: R)
    let d2 = solver.coefficient(cosine: μ2, reducedRigidity: R)
    let exponent = log(d2 / d1) / log(μ2 / μ1)
    print("isotropic D_μμ exponent at μ → 0: \(exponent)")
    #expect(abs(exponent - 5.0 / 3.0) < 0.05)
    // D_∥ must be reported divergent, never a regularized number. With k_max = 1e11 every
    // probe down to |μ| = 1e-8 is resonant, so the power law itself is detected.
    let wide = try Self.solver(kMax: 1e11, tolerance: 1e-6)
    let result = wide.parallelDiffusion(reducedRigidity: R)
    let divergence = try #require(result.divergence)
    print("isotropic D_∥: \(divergence)")
    #expect(divergence.reason == .powerLawAtNinetyDegrees)
    #expect(abs((divergence.exponent ?? 0) - 5.0 / 3.0) < 0.1)
    // With a finite k_max = 1e7 the same spectrum has a resonance gap below 1/(R k_max).
    let gapped = try #require(solver.parallelDiffusion(reducedRigidity: R).divergence)
    #expect(gapped.reason == .resonanceGap)
    #expect(result.value == nil)
  }
}
