import LarmorCore
import Testing

/// The spectra are normalized as docs/physics.md §1 states, checked by independent quadrature.
@Suite struct SpectrumNormalizationTests {
  /// CLV form: with ℓ = 1 the prefactor L^(-1/3)/(6π) makes ∫I d³k = 1 for M_A = 1 (§1.3), so the
  /// unnormalized shape integrates to 6π; sub-Alfvénic: 6π M_A^(8/3) (∫I = M_A⁴ with prefactor
  /// M_A^(4/3)/(6π), k_⊥ ≥ M_A^-2/ℓ). k_max → ∞ is approximated by 1e9 (tail ∝ k_max^(-2/3): 1e-6).
  @Test(arguments: [1.0, 0.5, 0.25])
  func goldreichSridharIntegral(mach: Double) {
    let gs = GoldreichSridhar(machNumber: mach)
    let integral = gs.continuumIntegral(minimumWavenumber: 1, maximumWavenumber: 1e9)
    let expected = 6 * Double.pi * pow(mach, 8.0 / 3)
    #expect(abs(integral / expected - 1) < 1e-4)
  }

  /// Fast modes: ∫ k^(-7/2) d³k from k = 1 to ∞ is 8π (§1.4: M_A²/(8π) normalizes to M_A²).
  @Test func fastIntegral() {
    let integral = FastModes().continuumIntegral(minimumWavenumber: 1, maximumWavenumber: 1e12)
    #expect(abs(integral / (8 * .pi) - 1) < 1e-5)
  }

  /// Slab closed form (§1.1): ∫_{-∞}^{∞} g dk = σ² with C = (q−1)σ²/[2(k_min^(1−q) − k_max^(1−q))].
  @Test func slabAmplitude() throws {
    let σ = 0.2
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3), minimumWavenumber: 2, maximumWavenumber: 300, turbulenceLevel: σ)
    let q = 5.0 / 3
    let c = (q - 1) * σ * σ / (2 * (pow(2, 1 - q) - pow(300, 1 - q)))
    let g = spectrum.powerDensity(at: Vec3(0, 0, 7)).total
    #expect(abs(g / (c * pow(7, -q)) - 1) < 1e-12)
    #expect(spectrum.powerDensity(at: Vec3(0.1, 0, 7)) == .zero)  // slab power only on k_⊥ = 0
  }

  /// Isotropic tensor (§1.2): each polarization carries E/(8πk²), E = C k^(-5/3),
  /// C = (2/3)σ²/(k_min^(-2/3) − k_max^(-2/3)).
  @Test func isotropicAmplitude() throws {
    let σ = 0.7
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: 1, maximumWavenumber: 100, turbulenceLevel: σ)
    let c = (2.0 / 3) * σ * σ / (1 - pow(100, -2.0 / 3))
    let k = Vec3(3, -4, 12)  // |k| = 13
    let p = spectrum.powerDensity(at: k)
    let expected = c * pow(13, -5.0 / 3) / (8 * .pi * 169)
    #expect(abs(p.alfven / expected - 1) < 1e-12)
    #expect(abs(p.pseudo / expected - 1) < 1e-12)
  }

  /// Every 3D family's normalized density integrates to σ² over its support: an independent
  /// Gauss–Legendre integral in (ln k, ξ = cos θ) of the azimuthally symmetric density.
  @Test(arguments: [
    ModeFamily.isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar()), .slow(GoldreichSridhar(machNumber: 0.6)),
    .fast(FastModes()), .fast(FastModes(damping: FastModeDamping(viscousScale: 5))),
  ])
  func densityIntegratesToVariance(_ family: ModeFamily) throws {
    let σ = 0.3
    let spectrum = try TurbulenceSpectrum(family, minimumWavenumber: 1, maximumWavenumber: 60, turbulenceLevel: σ)
    let rule = GaussLegendre(order: 24)
    // Beyond |k| = 60√2 no family has power (k_⊥, |k_∥| ≤ k_max).
    let integral = rule.integrate(from: 0, to: log(60 * 2.0.squareRoot()), panels: 48) { u in
      let k = exp(u)
      let shell = rule.integrate(from: -1, to: 1, panels: 48) { ξ in
        let perpendicular = k * (1 - ξ * ξ).squareRoot()
        return spectrum.powerDensity(at: Vec3(perpendicular, 0, k * ξ)).total
      }
      return 2 * .pi * k * k * k * shell
    }
    #expect(abs(integral / (σ * σ) - 1) < 3e-3, "∫P d³k / σ² = \(integral / (σ * σ))")
  }

  @Test func mixtureFractionsSplitTheVariance() throws {
    let spectrum = try TurbulenceSpectrum(
      components: [SpectrumComponent(.alfven(GoldreichSridhar()), fraction: 0.25), SpectrumComponent(.fast(FastModes()), fraction: 0.75)],
      minimumWavenumber: 1, maximumWavenumber: 50, turbulenceLevel: 0.5)
    let alfvenOnly = try TurbulenceSpectrum(.alfven(GoldreichSridhar()), minimumWavenumber: 1, maximumWavenumber: 50, turbulenceLevel: 0.5)
    let k = Vec3(10, 3, 2)
    #expect(abs(spectrum.powerDensity(at: k).alfven / alfvenOnly.powerDensity(at: k).alfven - 0.25) < 1e-12)
  }

  @Test func invalidSpectraAreRejected() {
    #expect(throws: SpectrumError.self) { try TurbulenceSpectrum(.slab(index: 5.0 / 3), minimumWavenumber: 2, maximumWavenumber: 1, turbulenceLevel: 1) }
    #expect(throws: SpectrumError.self) { try TurbulenceSpectrum(.alfven(GoldreichSridhar(machNumber: 0)), minimumWavenumber: 1, maximumWavenumber: 9, turbulenceLevel: 1) }
    #expect(throws: SpectrumError.self) {
      try TurbulenceSpectrum(
        components: [SpectrumComponent(.slab(index: 1.5), fraction: 0.5), SpectrumComponent(.isotropic(index: 1.5), fraction: 0.5)],
        minimumWavenumber: 1, maximumWavenumber: 9, turbulenceLevel: 1)
    }
  }
}

import Foundation
