import Foundation
import LarmorCore
import Testing

import QuasiLinear

/// Slab turbulence: the general solver against the closed forms of docs/physics.md §3.2.
@Suite struct SlabTests {
  /// A slab power law with k_max so large that (i) the normalization differs from the
  /// k_max = ∞ closed form by (k_max/k_min)^(1−q) ≤ 1e-13 and (ii) the 90° gap
  /// |μ| < 1/(R k_max) lies below every quadrature node and divergence probe (|μ| ≥ 1e-8).
  static func spectrum(index q: Double, kMin: Double = 2 * Double.pi, σ: Double = 0.1) throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(.slab(index: q), minimumWavenumber: kMin, maximumWavenumber: 1e20, turbulenceLevel: σ)
  }

  /// Tolerance 1e-6: both sides are exact expressions of the same resonance condition; the
  /// only difference is the normalization over a finite k_max (≤ 1e-13) and round-off.
  @Test(arguments: [0.05, 0.3, 0.5, 0.9, -0.7])
  func generalSolverMatchesClosedForm(cosine μ: Double) throws {
    let spectrum = try Self.spectrum(index: 5.0 / 3.0)
    let solver = PitchAngleDiffusion(spectrum: spectrum)
    for R in [1e-4, 1e-2] {
      let numeric = solver.coefficient(cosine: μ, reducedRigidity: R)
      let exact = ClosedForms.slabPitchAngleCoefficient(
        cosine: μ, reducedRigidity: R, index: 5.0 / 3.0, turbulenceLevel: 0.1, minimumWavenumber: 2 * Double.pi)
      #expect(abs(numeric / exact - 1) < 1e-6, "μ = \(μ), R = \(R): \(numeric) vs \(exact)")
    }
  }

  /// λ_∥ ∝ R^(2−q) in the resonant range (r_L k_min ≤ 1, gap negligible as explained above).
  /// Tolerance 2% on the exponent (the brief's); the quadrature in μ is accurate to ~1e-5.
  @Test(arguments: [5.0 / 3.0, 1.5])
  func meanFreePathScalesAsRigidityToTwoMinusIndex(index q: Double) throws {
    let spectrum = try Self.spectrum(index: q)
    let solver = PitchAngleDiffusion(spectrum: spectrum)
    let (R1, R2) = (1e-4, 1e-2)
    let λ1 = try #require(solver.parallelDiffusion(reducedRigidity: R1).value).meanFreePath
    let λ2 = try #require(solver.parallelDiffusion(reducedRigidity: R2).value).meanFreePath
    let slope = log(λ2 / λ1) / log(R2 / R1)
    print("slab q = \(q): λ_∥ slope \(slope) (expected \(2 - q))")
    #expect(abs(slope / (2 - q) - 1) < 0.02)
  }

  /// Absolute normalization: λ_∥/L = (81/(7π))(2π)^(−2/3) R^(1/3)/σ² = 1.0817 R^(1/3)/σ² for
  /// Kolmogorov slab with k_min = 2π/L (docs/physics.md §6). Tolerance 1e-4: the μ quadrature
  /// (doubling check below 1e-5) is the only approximation.
  @Test func kolmogorovMeanFreePathNormalization() throws {
    let σ = 0.1
    let spectrum = try Self.spectrum(index: 5.0 / 3.0, σ: σ)
    let solver = PitchAngleDiffusion(spectrum: spectrum)
    for R in [1e-3, 0.05] {
      let result = try #require(solver.parallelDiffusion(reducedRigidity: R).value)
      let expected = 81 / (7 * Double.pi) * pow(2 * Double.pi, -2.0 / 3.0) * pow(R, 1.0 / 3.0) / (σ * σ)
      print("slab Kolmogorov R = \(R): λ_∥ = \(result.meanFreePath), expected \(expected), ratio \(result.meanFreePath / expected), doubling change \(result.relativeChangeOnRefinement ?? -1)")
      #expect(abs(result.meanFreePath / expected - 1) < 1e-4)
      #expect(abs(expected * σ * σ / pow(R, 1.0 / 3.0) - 1.0817) < 1e-4)
      #expect((result.relativeChangeOnRefinement ?? 1) < 1e-5)
    }
  }

  /// A finite k_max leaves |μ| < 1/(R k_max) without resonant waves: λ_∥ must be reported
  /// as divergent with that gap (to 1e-6, the bisection accuracy), never as a number.
  @Test func finiteMaximumWavenumberIsReportedDivergent() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * Double.pi, maximumWavenumber: 1e4, turbulenceLevel: 0.1)
    let R = 1e-2
    let result = PitchAngleDiffusion(spectrum: spectrum).parallelDiffusion(reducedRigidity: R)
    let divergence = try #require(result.divergence)
    #expect(divergence.reason == .resonanceGap)
    let gap = try #require(divergence.cosineCutNeeded)
    print("slab finite k_max: gap \(gap), expected \(1 / (R * 1e4))")
    #expect(abs(gap / (1 / (R * 1e4)) - 1) < 1e-6)
  }

  /// With the μ* cut of Fornieri et al. the same spectrum gives a finite value and says the
  /// cut was active, dropping at least the gap.
  @Test func confinementCutMakesGapFiniteAndIsReported() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * Double.pi, maximumWavenumber: 1e4, turbulenceLevel: 0.1)
    let options = ParallelDiffusionOptions(confinementLength: 1e3)
    let result = PitchAngleDiffusion(spectrum: spectrum).parallelDiffusion(reducedRigidity: 1e-2, options: options)
    let value = try #require(result.value)
    let cut = try #require(value.cut)
    #expect(cut.isActive)
    // Every node inside the gap has D_μμ = 0 and is dropped; the nodes of μ = s³ near 0.01 are
    // ~25% apart, so the largest dropped node lies within a factor 2 below the gap.
    #expect(cut.largestDroppedCosine > 0.5e-2)
    #expect(value.coefficient.isFinite && value.coefficient > 0)
  }

  /// Gaussian broadening with the spectrum fixed: as Δ² → 0, D_μμ → the sharp value. The
  /// smoothing error is O(Δ²) for a smooth g(k): Δ² = 1e-4 must be within 1% of the closed form
  /// and the last two members of the sequence within 1% of each other.
  @Test func broadenedResonanceTendsToSharpForSlab() throws {
    let spectrum = try Self.spectrum(index: 5.0 / 3.0)
    let μ = 0.4
    let R = 1e-3
    let exact = ClosedForms.slabPitchAngleCoefficient(
      cosine: μ, reducedRigidity: R, index: 5.0 / 3.0, turbulenceLevel: 0.1, minimumWavenumber: 2 * Double.pi)
    var values = [Double]()
    for d2 in [1e-1, 1e-2, 1e-3, 1e-4] {
      let solver = PitchAngleDiffusion(spectrum: spectrum, settings: SolverSettings(resonance: .gaussian(widthSquared: d2)))
      values.append(solver.coefficient(cosine: μ, reducedRigidity: R))
    }
    print("slab broadening sequence / sharp: \(values.map { $0 / exact })")
    #expect(abs(values[3] / values[2] - 1) < 0.01)
    #expect(abs(values[3] / exact - 1) < 0.01)
  }
}
