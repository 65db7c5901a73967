import Foundation
import Testing

@testable import QuasiLinear

/// ⟨D_pp⟩/p² of a medium's waves.
struct MediumMomentumDiffusionTests {
  /// The μ average is converged: 24 nodes per panel against 64 agree to 1e-3 for the halo and
  /// the warm ionized medium at 1, 100 and 1000 GV, in the total and in every family above 10⁻⁶
  /// of it (the GS Alfvén and slow rates, 10⁻¹³–10⁻¹⁷ of the fast ones, converge only to ~1%);
  /// the rates are finite and ≥ 0, the fast modes' positive.
  @Test(arguments: ["halo", "wim"])
  func averageIsConverged(_ name: String) throws {
    let medium = name == "halo" ? Medium.halo : Medium.warmIonizedMedium
    let model = try MediumDiffusionModel(medium: medium)
    let rigidities = [1.0, 100, 1000]
    let coarse = try model.momentumDiffusionRates(rigiditiesGigavolts: rigidities)
    let fine = try model.momentumDiffusionRates(rigiditiesGigavolts: rigidities, order: 64)
    for (a, b) in zip(coarse, fine) {
      #expect(a.allSatisfy { $0.isFinite && $0 >= 0 })
      #expect(a[2] > 0)
      let total = b.reduce(0, +)
      #expect(abs(a.reduce(0, +) / total - 1) < 1e-3)
      for (x, y) in zip(a, b) where y > 1e-6 * total { #expect(abs(x / y - 1) < 1e-3, "\(name): \(x) vs \(y)") }
    }
  }

  /// Alfvén waves have ε = ±v_A/v at every resonance, so their D_pp/p² is (v_A/v)² D_μμ at every
  /// μ: the average equals (v_A/v)² ½∫D_μμ dμ of the D_∥ solver's Alfvén modes (magnetostatic
  /// there, which for Alfvén waves changes no resonance weight of D_μμ), evaluated here by a
  /// separate trapezoid sum (a super-Alfvénic medium, M_A = 2).
  @Test func alfvenRateIsAlfvenSpeedSquaredTimesPitchRate() throws {
    let medium = try Medium(
      name: "test", magneticFieldMicrogauss: 3, outerScaleParsec: 50, ionDensityPerCubicCentimetre: 0.1, temperatureKelvin: 8000,
      machNumber: 2, damping: .collisionless)
    let model = try MediumDiffusionModel(medium: medium)
    let 𝓡 = 10.0
    let rate = try model.momentumDiffusionRates(rigiditiesGigavolts: [𝓡], order: 48)[0][0]
    let v = model.particle.speed(rigidityGigavolts: 𝓡), R = model.reducedRigidity(rigidityGigavolts: 𝓡)
    let n = 20_000
    var sum = 0.0
    for i in 0...n {
      let μ = Double(i) / Double(n)
      sum += (i == 0 || i == n ? 0.5 : 1) * model.alfvenSolver.coefficient(cosine: μ, reducedRigidity: R, speed: v)
    }
    let perSecond = 2.99792458e10 / (medium.outerScaleParsec * 3.085677581e18)
    let expected = pow(medium.alfvenSpeed / v, 2) * sum / Double(n) * perSecond
    #expect(expected > 0)
    #expect(abs(rate / expected - 1) < 1e-3, "\(rate) vs \(expected)")
  }
}
