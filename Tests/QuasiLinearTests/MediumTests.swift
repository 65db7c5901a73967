import Foundation
import LarmorCore
import Testing
import QuasiLinear

@Suite struct MediumTests {
  /// Plasma formulas of docs/physics.md §1.5 at their reference values (tolerance 1e-12: exact
  /// arithmetic identities).
  @Test func plasmaParameterFormulas() throws {
    let m = try Medium(
      name: "reference", magneticFieldMicrogauss: 3, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1,
      temperatureKelvin: 1e4, machNumber: 1, damping: .viscous)
    #expect(abs(m.plasmaBeta - 3.3) < 1e-12)
    #expect(abs(m.alfvenSpeedCentimetresPerSecond - 6.27e5) < 1e-6)
    #expect(abs(Medium.halo.plasmaBeta - 0.1) < 1e-15)
    print("WIM: β = \(Medium.warmIonizedMedium.plasmaBeta), lnΛ = \(Medium.warmIonizedMedium.coulombLogarithm), x_c = \(Medium.warmIonizedMedium.viscousScale), v_A = \(Medium.warmIonizedMedium.alfvenSpeedCentimetresPerSecond) cm/s")
  }

  /// Bad media are typed errors naming the parameter, never a crash.
  @Test func badMediaThrowNamedErrors() {
    func parameter(_ body: () throws(MediumError) -> Medium) -> String? {
      do { _ = try body(); return nil } catch { return error.parameter }
    }
    #expect(parameter { () throws(MediumError) in
      try Medium(name: "x", magneticFieldMicrogauss: 3, outerScaleParsec: 100, ionDensityPerCubicCentimetre: -1, temperatureKelvin: 1e4, machNumber: 1, damping: .viscous)
    } == "ion_density_cm3")
    #expect(parameter { () throws(MediumError) in
      try Medium(name: "x", magneticFieldMicrogauss: 3, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1, temperatureKelvin: 1e4, machNumber: 0, damping: .viscous)
    } == "mach_alfven")
    #expect(parameter { () throws(MediumError) in
      try Medium(name: "x", magneticFieldMicrogauss: 3, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1, temperatureKelvin: 1e4, machNumber: 1, plasmaBeta: -0.1, damping: .viscous)
    } == "plasma_beta")
    #expect(parameter { () throws(MediumError) in
      try Medium(name: "x", magneticFieldMicrogauss: 3, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1, temperatureKelvin: 1e4, machNumber: 1, damping: .viscous, maximumWavenumber: 0.5)
    } == "k_max")
    #expect(parameter { () throws(MediumError) in
      try Medium(name: "x", magneticFieldMicrogauss: .nan, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1, temperatureKelvin: 1e4, machNumber: 1, damping: .viscous)
    } == "magnetic_field_uG")
    // k_min ≥ k_max in a spectrum is LarmorCore's typed error.
    #expect(throws: SpectrumError.self) {
      try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2, maximumWavenumber: 1, turbulenceLevel: 0.1)
    }
  }

  /// Proton speed from rigidity: β = p/√(p² + m²) (1 GV → 0.7292; tolerance 1e-4).
  @Test func particleSpeed() {
    #expect(abs(ParticleSpecies.proton.speed(rigidityGigavolts: 1) - 0.7292) < 1e-4)
    #expect(ParticleSpecies.nucleus(chargeNumber: 6, massNumber: 12).speed(rigidityGigavolts: 1000) > 0.99999)
  }

  /// Yan & Lazarian (2002) / Fornieri et al. (2021): in the halo, fast modes dominate the
  /// scattering over Alfvén modes from 10 to 1000 GV. Asserted as D_μμ^F > 10 D_μμ^A at
  /// μ = 0.1, 0.5, 0.9 (the Alfvénic rate is smaller by orders of magnitude), and the
  /// total D_∥ at 100 GV within 20% of the fast-only D_∥ (fast rates set the total).
  @Test func fastModesDominateInTheHalo() throws {
    let model = try MediumDiffusionModel(medium: .halo)
    for 𝓡 in [10.0, 100.0, 1000.0] {
      for μ in [0.1, 0.5, 0.9] {
        let d = model.pitchAngleCoefficients(cosine: μ, rigidityGigavolts: 𝓡)
        #expect(d[2] > 10 * d[0], "𝓡 = \(𝓡) GV, μ = \(μ): fast \(d[2]) vs Alfvén \(d[0])")
      }
    }
    let point = model.point(rigidityGigavolts: 100)
    let total = try #require(point.centimetresSquaredPerSecond(point.total))
    let fast = try #require(point.centimetresSquaredPerSecond(point.fast))
    print("halo 100 GV: D_total = \(total), D_fast = \(fast) cm²/s, Alfvén: \(point.alfven), cut active: \(point.total.value?.cut?.isActive ?? false)")
    #expect(abs(total / fast - 1) < 0.2)
  }

  /// The μ quadrature used by curves (2 panels) is converged: doubling changes the total D_∥
  /// by < 1% in the WIM at 10 GV, where the μ* cut is active (its boundary is located by
  /// bisection). (Halo μ convergence without a cut is checked in FastModeTests.)
  @Test func curveQuadratureConverged() throws {
    for (medium, 𝓡) in [(Medium.warmIonizedMedium, 10.0)] {
      let model = try MediumDiffusionModel(medium: medium, options: ParallelDiffusionOptions(panels: 2, checksConvergence: true))
      let total = try #require(model.point(rigidityGigavolts: 𝓡).total.value)
      let change = try #require(total.relativeChangeOnRefinement)
      print("\(medium.name) \(𝓡) GV: μ-doubling change \(change), cut active \(total.cut?.isActive ?? false), largest dropped |μ| \(total.cut?.largestDroppedCosine ?? 0)")
      #expect(change < 0.01)
    }
  }
}
