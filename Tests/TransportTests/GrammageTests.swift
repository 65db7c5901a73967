import Foundation
import Testing

@testable import Transport

/// Grammage X = μ_d v H/(2D) and its two-zone form (docs/physics.md §5.1, §5.3).
@Suite struct GrammageTests {
  /// D = 3×10²⁸ cm²/s, H = 4 kpc, h = 100 pc, n_H = 1 cm⁻³ (+ n_He = 0.1 n_H), ¹²C at 10 GV.
  /// Expected value computed here from scratch: μ_d = 2 h n_H (m_H + 0.1 m_He) with
  /// m_H = 1.00784 u, m_He = 4.002602 u (i.e. 1.40 u per H atom ≈ docs/physics.md's "1.4 m_p"), and
  /// v = βc with β = (p/A)/√((p/A)² + m²), p/A = 5 GeV/c, m = 0.931494 GeV. Tolerance 1% (the
  /// brief's); the two computations share only the formula, not code.
  @Test func oneZoneGrammageAtTenGigavolts() throws {
    let u = 1.660_539_067e-24
    let mu = 2 * 100 * 3.085_677_581e18 * 1.0 * (1.007_84 + 0.1 * 4.002_602) * u
    let beta = 5 / (25 + 0.931_494 * 0.931_494).squareRoot()
    let expected = mu * beta * Fixture.c * 4 * Fixture.kpc / (2 * 3.0e28)
    let model = try DiskHaloModel(
      disk: try GalacticDisk(halfThicknessPc: 100, hydrogenDensity: 1),
      halo: .oneZone(halfHeightKpc: 4, diffusion: try ConstantDiffusion(3.0e28)))
    let x = model.grammage(rigidityGV: 10, nucleus: .carbon12)
    print(
      "X(10 GV, ¹²C) = \(x) g/cm², expected \(expected); μ_d = \(model.disk.surfaceDensityGramsPerSquareCentimetre)"
    )
    #expect(abs(x / expected - 1) < 0.01)
    // docs/physics.md §5.1 quotes μ_d = 2·100 pc·1 cm⁻³·1.4 m_p = 1.45 mg/cm²: agree to 1%.
    #expect(abs(model.disk.surfaceDensityGramsPerSquareCentimetre / 1.45e-3 - 1) < 0.01)
  }

  /// docs/physics.md §5.1 two-zone worked example: D₁ = 3e28 (|z| < 0.9 kpc), D₂ = 6e28 cm²/s up to
  /// H = 6 kpc, μ_d = 2.3 mg/cm² → X = 12.2 g/cm². The example takes v = c (β = 1); tolerance ±0.05,
  /// half a unit of the last quoted digit.
  @Test func twoZoneWorkedExample() throws {
    let model = try DiskHaloModel(
      disk: try GalacticDisk(surfaceDensityGramsPerSquareCentimetre: 2.3e-3),
      halo: .twoZone(
        innerHalfHeightKpc: 0.9, halfHeightKpc: 6, inner: try ConstantDiffusion(3.0e28),
        outer: try ConstantDiffusion(6.0e28)))
    let x = model.grammage(rigidityGV: 10, speed: 1)
    print("two-zone X = \(x) g/cm² (docs/physics.md 12.2)")
    #expect(abs(x - 12.2) < 0.05)
    // Independent: (μ_d c/2)[h₁/D₁ + (H − h₁)/D₂].
    let direct =
      0.5 * 2.3e-3 * Fixture.c * (0.9 * Fixture.kpc / 3.0e28 + 5.1 * Fixture.kpc / 6.0e28)
    #expect(abs(x / direct - 1) < 1e-3)
  }

  /// Leaky-box equivalence (§5.3): τ_esc = H²/D and X = ρ̄ v τ_esc with ρ̄ = μ_d/(2H); exact identities,
  /// tolerance 1e-12 (rounding).
  @Test func leakyBoxEquivalence() throws {
    let model = Fixture.oneZone(normalization: 3.0e28, index: 0.5)
    let hCm = 4 * Fixture.kpc
    let d = 3.0e28 * pow(50 / 10, 0.5)
    #expect(abs(model.escapeTime(rigidityGV: 50, speed: 1) / (hCm * hCm / d) - 1) < 1e-12)
    let rho = model.disk.surfaceDensityGramsPerSquareCentimetre / (2 * hCm)
    let x = rho * Fixture.c * model.escapeTime(rigidityGV: 50, speed: 1)
    #expect(abs(model.grammage(rigidityGV: 50, speed: 1) / x - 1) < 1e-12)
  }

  /// The mean target mass m̄ = (m_H + 0.1 m_He)/1.1 is docs/physics.md's 1.273 m_p to 0.3% (atomic vs proton
  /// masses).
  @Test func meanTargetMass() {
    #expect(abs(Fixture.disk.meanTargetMassGrams / (1.273 * Fixture.protonMass) - 1) < 0.003)
  }
}
