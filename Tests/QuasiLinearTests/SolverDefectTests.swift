import Foundation
import LarmorCore
import Testing

@testable import QuasiLinear

/// Regression tests of solver defects found by independent checks.
@Suite struct SolverDefectTests {
  /// The harmonic-sum remainder at m = 134 with a local decay exponent p = 145.8: the literal
  /// t_m m^p[(m + ½)^(1−p) − …] overflowed m^p to ∞ while the remainder is tiny. It must be
  /// finite and equal the directly summed power-law tail Σ_{m<n≤M} t_m (n/m)^(−p) to the
  /// accuracy of the midpoint rule it uses, whose relative error for n^(−p) is ≈ p(p + 1)/(24(m + ½)²)
  /// (4.9% for this steep tail, 0.06% for p = 3 at m = 20).
  @Test(arguments: [(134, 145.8), (20, 3.0)])
  func remainderDoesNotOverflow(_ m: Int, _ p: Double) throws {
    let term = 1e-3
    let previous = term * pow(Double(m) / Double(m - 1), p)
    let midpointError = p * (p + 1) / (24 * (Double(m) + 0.5) * (Double(m) + 0.5))
    for last in [Double.infinity, Double(m + 6)] {
      let tail = try #require(PitchAngleDiffusion.remainder(previous: previous, term: term, order: m, lastOrder: last))
      let top = last.isFinite ? Int(last) : m + 200_000
      let direct = (m + 1...top).reduce(0.0) { $0 + term * pow(Double($1) / Double(m), -p) }
      #expect(tail.isFinite)
      #expect(abs(tail / direct - 1) < 1.2 * midpointError, "m = \(m), p = \(p), M = \(last): \(tail) vs direct \(direct)")
    }
  }

  /// Isotropic turbulence, σ² = 0.01, k_min = 2π, k_max = 3216: the points where the overflow
  /// gave D_μμ = ∞ now give finite positive values.
  @Test(arguments: [(0.1, 0.9), (0.01, 0.741), (0.01, 0.743)])
  func isotropicPointsThatOverflowed(_ R: Double, _ μ: Double) throws {
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 3216, turbulenceLevel: 0.1)
    let d = PitchAngleDiffusion(spectrum: spectrum).coefficient(cosine: μ, reducedRigidity: R)
    #expect(d.isFinite && d > 0, "D_μμ(R = \(R), μ = \(μ)) = \(d)")
  }

  /// The resonance gap is located where D_μμ changes from 0 to > 0 even when it is 0 at the
  /// first probe (|μ| = 0.1): isotropic, R = 10⁻³, k_max = 3216 (true gap 1/(R k_max) = 0.311,
  /// reported 0.1 before).
  @Test func gapEdgeBeyondFirstProbe() throws {
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 3216, turbulenceLevel: 0.1)
    let solver = PitchAngleDiffusion(spectrum: spectrum)
    let R = 1e-3
    let divergence = try #require(solver.parallelDiffusion(reducedRigidity: R).divergence)
    #expect(divergence.reason == .resonanceGap)
    let gap = try #require(divergence.gap)
    #expect(abs(gap - 1 / (R * 3216)) < 1e-6, "gap \(gap)")
    #expect(solver.coefficient(cosine: gap * (1 - 1e-6), reducedRigidity: R) == 0)
    #expect(solver.coefficient(cosine: gap * (1 + 1e-6), reducedRigidity: R) > 0)
  }

  /// A spectrum with k_max = ∞ is normalized in closed form (slab, isotropic: power laws; GS:
  /// 6πaℓ^(−1/3)k_⊥,min^(−2/3)); the finite-k_max normalization approaches it as k_max grows,
  /// and too shallow a spectrum is refused with the key named.
  @Test func infiniteMaximumWavenumberNormalization() throws {
    for family in [ModeFamily.slab(index: 5.0 / 3), .isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar(machNumber: 0.5)), .fast(FastModes())] {
      let open = family.continuumIntegral(minimumWavenumber: 2 * .pi, maximumWavenumber: .infinity)
      let closed = family.continuumIntegral(minimumWavenumber: 2 * .pi, maximumWavenumber: 1e30)
      #expect(abs(closed / open - 1) < 1e-9, "\(family.name): \(closed) vs \(open)")
      let spectrum = try TurbulenceSpectrum(family, minimumWavenumber: 2 * .pi, maximumWavenumber: .infinity, turbulenceLevel: 0.3)
      // The ceiling leaves ≤ 1e-16 of the power out.
      let ceiling = spectrum.integrationCeiling
      let kept = family.continuumIntegral(minimumWavenumber: 2 * .pi, maximumWavenumber: ceiling)
      #expect(ceiling.isFinite && abs(kept / open - 1) < 1e-14)
    }
    #expect(throws: SpectrumError.self) {
      try TurbulenceSpectrum(.slab(index: 1.02), minimumWavenumber: 1, maximumWavenumber: .infinity, turbulenceLevel: 0.1)
    }
  }
}
