import Foundation
import LarmorCore
import Testing

@testable import QuasiLinear

/// Isotropic turbulence with k_max = ∞ (sharp resonance): every harmonic resonates, and the
/// harmonic sum is closed by `IsotropicHarmonicTail`.
@Suite struct IsotropicWithoutCutoffTests {
  static func solver(_ q: Double, maximumWavenumber: Double = .infinity) throws -> PitchAngleDiffusion {
    PitchAngleDiffusion(
      spectrum: try TurbulenceSpectrum(
        .isotropic(index: q), minimumWavenumber: 2 * .pi, maximumWavenumber: maximumWavenumber, turbulenceLevel: 0.1))
  }

  /// ζ(s) = Σ n^(−s), summed here directly to 10⁵ with the midpoint integral beyond.
  static func riemannZeta(_ s: Double) -> Double {
    let top = 100_000
    return (1...top).reduce(0.0) { $0 + pow(Double($1), -s) } + pow(Double(top) + 0.5, 1 - s) / (s - 1)
  }

  /// μ → 0 with k_max = ∞, derived independently of the solver. With P_A = P_θ = G/2,
  /// 4π∫k²G dk = σ², G = (q − 1)σ²k_min^(q−1)k^(−q−2)/(4π), the |n|-th resonance sits at
  /// |k_∥| = |n|/(R|μ|) → ∞. There the J_n′²ξ²P_θ term dominates (the (nJ_n/w)² P_A term is
  /// O(μ) smaller): the k_⊥ integral reaches k_⊥ ~ k_∥, where w = k_⊥R ≫ |n| and
  /// ⟨J_n′²⟩ = 1/(πw), so ∫2πk_⊥dk_⊥ J_n′²ξ²P_θ = (2/R)∫dk_⊥ (k_∥²/k²)G/2
  /// = (G-coefficient/R) B k_∥^(−q−1), B = ∫₀^∞(1 + x²)^(−(q+4)/2)dx = (√π/2)Γ((q+3)/2)/Γ((q+4)/2).
  /// Summing πΩ²/(v|μ|) times it over n ≠ 0 (2ζ(q + 1)):
  ///   D_μμ → ((q − 1)/2) σ² B ζ(q + 1) k_min^(q−1) R^(q−2) |μ|^q.
  /// Measured agreement ~2e-9 at μ = 10⁻⁶ (corrections are O(μ)).
  @Test(arguments: [5.0 / 3, 1.5])
  func smallCosineAsymptote(_ q: Double) throws {
    let solver = try Self.solver(q)
    let B = Double.pi.squareRoot() / 2 * tgamma((q + 3) / 2) / tgamma((q + 4) / 2)
    let ζ = Self.riemannZeta(q + 1)
    let σ2 = 0.01
    let μ = 1e-6
    for R in [1e-3, 1e-2, 1e-1] {
      let expected = (q - 1) / 2 * σ2 * B * ζ * pow(2 * .pi, q - 1) * pow(R, q - 2) * pow(μ, q)
      let d = solver.coefficient(cosine: μ, reducedRigidity: R)
      #expect(abs(d / expected - 1) < 1e-6, "q = \(q), R = \(R): D_μμ = \(d), asymptote \(expected)")
    }
  }

  /// The closed-form tail against a brute-force sum of 600 harmonics (computed with the
  /// solver's own per-harmonic integral) plus the midpoint integral of the asymptotic power
  /// law beyond (< 10⁻⁵ of D_μμ, so its own error is < 10⁻¹¹). The tail solver stops at a few
  /// dozen orders; it must agree to 10⁻⁸ (measured ≤ 3e-9). R = 1 also tests a sum whose first
  /// five orders resonate below k_min (not self-similar).
  @Test(arguments: [(0.01, 0.5), (1.0, 0.9), (0.1, -0.3)])
  func closedTailEqualsLongSum(_ R: Double, _ μ: Double) throws {
    let q = 5.0 / 3
    let solver = try Self.solver(q)
    let p = PitchAngleDiffusion.Particle(μ: μ, R: R, v: 1)
    let family = solver.spectrum.components[0].family
    let amplitude = solver.spectrum.amplitudes[0]
    let a = abs(μ)
    let weight = 2 * solver.settings.coefficient.weight(cosine: μ, phaseSpeedRatio: 0)
    let top = 600
    var sum = 0.0
    var last = 0.0
    for m in 1...top {
      last = weight * Double.pi / a * solver.perpendicularIntegral(family, amplitude: amplitude, harmonic: m, parallel: Double(m) * p.Ω / a, p)
      sum += last
    }
    sum += last * Double(top) * pow(Double(top) / (Double(top) + 0.5), q) / q
    let expected = p.Ω * p.Ω * (1 - μ * μ) * sum
    let d = solver.coefficient(cosine: μ, reducedRigidity: R)
    #expect(abs(d / expected - 1) < 1e-8, "R = \(R), μ = \(μ): \(d) vs \(expected)")
  }

  /// A finite k_max (the old truncated sum, another code path) approaches k_max = ∞ once the
  /// normalization is undone: the same σ² over [k_min, K] puts 1/(1 − (K/k_min)^(1−q)) more
  /// power into every mode. At K = 10³k_min the rest (modes above K) is measured 5e-5 (q = 5/3)
  /// and 1.4e-4 (q = 3/2), against 2e-2 and 5e-2 at K = 10²k_min.
  @Test(arguments: [5.0 / 3, 1.5])
  func finiteMaximumWavenumberApproachesInfinite(_ q: Double) throws {
    let (R, μ) = (0.1, 0.5)
    let open = try Self.solver(q).coefficient(cosine: μ, reducedRigidity: R)
    var deviations = [Double]()
    for decades in [2.0, 3.0] {
      let ratio = pow(10, decades)
      let d = try Self.solver(q, maximumWavenumber: 2 * .pi * ratio).coefficient(cosine: μ, reducedRigidity: R)
      deviations.append(abs(d * (1 - pow(ratio, 1 - q)) / open - 1))
    }
    #expect(deviations[1] < 3e-4 && deviations[1] < deviations[0] / 10, "q = \(q): \(deviations)")
  }

  /// Without k_max no gap hides the μ → 0 end: D_∥ diverges through the power law D_μμ ∝ |μ|^q
  /// (p = q ≥ 1), which is what `parallelDiffusion` must report (before, the k_max gap always won).
  @Test(arguments: [1e-3, 1e-2, 1e-1])
  func powerLawDivergenceIsReported(_ R: Double) throws {
    let divergence = try #require(try Self.solver(5.0 / 3).parallelDiffusion(reducedRigidity: R).divergence)
    #expect(divergence.reason == .powerLawAtNinetyDegrees)
    let exponent = try #require(divergence.exponent)
    #expect(abs(exponent - 5.0 / 3) < 1e-3, "R = \(R): exponent \(exponent)")
  }

  /// ζ(s, a) of the tail against sums written out here.
  @Test func hurwitzZetaAgainstDirectSums() {
    #expect(abs(hurwitzZeta(2, 1) / (Double.pi * Double.pi / 6) - 1) < 1e-14)
    #expect(abs(hurwitzZeta(4, 1) / (pow(Double.pi, 4) / 90) - 1) < 1e-14)
    for (s, a) in [(8.0 / 3, 5.0), (4.6666, 33.0), (2.5, 0.5)] {
      let top = 200_000
      let direct = (0..<top).reduce(0.0) { $0 + pow(a + Double($1), -s) } + pow(a + Double(top) - 0.5, 1 - s) / (s - 1)
      #expect(abs(hurwitzZeta(s, a) / direct - 1) < 1e-10, "ζ(\(s), \(a))")
    }
  }
}
