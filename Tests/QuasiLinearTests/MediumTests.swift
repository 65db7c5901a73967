import Foundation
import LarmorCore
import Testing
import QuasiLinear

@Suite struct MediumTests {
  /// The plasma parameters of docs/physics.md §1.5 follow their physics: β ∝ nT/B² and
  /// v_A ∝ B/√n away from the reference point (to round-off), and at the reference point (3 μG,
  /// 1 cm⁻³, 10⁴ K) the published prefactors lie within their convention's distance of first
  /// principles: v_A = B/√(4π n m_p) = 6.54×10⁵ cm/s is 4.4% above 6.27×10⁵ (the prefactor's mean
  /// mass of 1.09 m_p per ion), and 8π n k_B T/B² = 3.86 is 17% above β = 3.3. A prefactor off
  /// by more, or a wrong exponent, fails.
  @Test func plasmaParameterFormulas() throws {
    func medium(_ b: Double, _ n: Double, _ t: Double) throws -> Medium {
      try Medium(
        name: "probe", magneticFieldMicrogauss: b, outerScaleParsec: 100, ionDensityPerCubicCentimetre: n,
        temperatureKelvin: t, machNumber: 1, damping: .viscous)
    }
    let reference = try medium(3, 1, 1e4)
    for (b, n, t) in [(6.0, 0.01, 8000.0), (1.5, 4, 2e6), (30, 0.3, 1e2)] {
      let m = try medium(b, n, t)
      let β = reference.plasmaBeta * n * (t / 1e4) / pow(b / 3, 2)
      let vA = reference.alfvenSpeedCentimetresPerSecond * (b / 3) / n.squareRoot()
      #expect(abs(m.plasmaBeta / β - 1) < 1e-12, "B = \(b) μG, n = \(n), T = \(t): β = \(m.plasmaBeta)")
      #expect(abs(m.alfvenSpeedCentimetresPerSecond / vA - 1) < 1e-12)
      #expect(abs(m.alfvenSpeed - m.alfvenSpeedCentimetresPerSecond / 2.997_924_58e10) < 1e-18)
    }
    let gauss = 3e-6, boltzmann = 1.380_649e-16  // erg/K (CODATA 2018, exact)
    let alfvenFirstPrinciples = gauss / (4 * Double.pi * Units.protonMassGrams).squareRoot()
    let betaFirstPrinciples = 8 * Double.pi * boltzmann * 1e4 / (gauss * gauss)
    let vARatio = alfvenFirstPrinciples / reference.alfvenSpeedCentimetresPerSecond
    let βRatio = betaFirstPrinciples / reference.plasmaBeta
    #expect(vARatio > 1.03 && vARatio < 1.06, "v_A: first principles / prefactor = \(vARatio)")
    #expect(βRatio > 1.1 && βRatio < 1.25, "β: first principles / prefactor = \(βRatio)")
    #expect(Medium.halo.plasmaBeta == 0.1)  // given explicitly, not derived
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
  /// A QLT curve reaches the transport model as a `TabulatedDiffusion`: the nodes exactly, the
  /// power law through the neighbours between them (within 10% of the solver at the geometric
  /// midpoint of a decade, where the halo's D_∥ is smooth), and a part without a finite D_∥
  /// (Alfvén modes at M_A = 0.5 stream: no scattering) is refused, naming the rigidity.
  @Test func curveReachesTransportAsTable() throws {
    let model = try MediumDiffusionModel(medium: .halo)
    let points = model.curve(rigiditiesGigavolts: [10, 100, 1000], threads: 1)
    let table = try TabulatedDiffusion(quasiLinear: points, part: \.total)
    for p in points {
      #expect(table.coefficient(rigidityGV: p.rigidityGigavolts) == p.centimetresSquaredPerSecond(p.total))
    }
    let middle = model.point(rigidityGigavolts: 1000.0.squareRoot())
    let solver = try #require(middle.centimetresSquaredPerSecond(middle.total))
    #expect(abs(table.coefficient(rigidityGV: 1000.0.squareRoot()) / solver - 1) < 0.1)

    let subAlfvenic = try Medium(
      name: "sub-Alfvénic", magneticFieldMicrogauss: 1, outerScaleParsec: 30, ionDensityPerCubicCentimetre: 1e-3,
      temperatureKelvin: 1e6, machNumber: 0.5, plasmaBeta: 0.1, damping: .collisionless, confinementLengthParsec: 5100)
    let streaming = try MediumDiffusionModel(medium: subAlfvenic).curve(rigiditiesGigavolts: [10, 100], threads: 1)
    #expect(streaming.allSatisfy { $0.centimetresSquaredPerSecond($0.alfven) == nil })
    do {
      _ = try TabulatedDiffusion(quasiLinear: streaming, part: \.alfven)
      Issue.record("a part without a finite D_∥ must be refused")
    } catch {
      #expect(error.key == "diffusion.table" && error.message.contains("at 10.0 GV"), "\(error)")
    }
  }
}
