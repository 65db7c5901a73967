import Foundation
import Testing

@testable import Transport

/// B/C in the analytic model: docs/physics.md §5.2 worked example, high-energy slope, H/D degeneracy.
@Suite struct SecondaryRatioTests {
  /// §5.2 one-zone example: H = 4 kpc, μ_d = 2.3 mg/cm², D = 5e28 (𝓡/10 GV)^0.5, σ(C→B) = 70,
  /// σ(O→B) = 35, σ(N→B) = 50, σ_B = 235 mb, O/C = 1.1, N/C = 0.2, m̄ = 1.273 m_p, v = c.
  /// Quoted: X = 8.5, 2.7, 0.85 g/cm² and B/C = 0.244, 0.116, 0.043 at 10 GV, 100 GV, 1 TV.
  /// Tolerance: half a unit of the last quoted digit, except B/C at 100 GV: docs/physics.md's 0.116 follows
  /// from the rounded X = 2.7; the unrounded X = 2.691 gives 0.1155, so there we allow one unit
  /// (0.001) and check separately that X = 2.7 reproduces 0.116 to half a unit.
  @Test(arguments: [
    (10.0, 8.5, 0.05, 0.244, 0.0005), (100, 2.7, 0.05, 0.116, 0.001),
    (1000, 0.85, 0.005, 0.043, 0.0005),
  ])
  func workedExample(
    rigidity: Double, grammage: Double, grammageTolerance: Double, ratio: Double,
    ratioTolerance: Double
  )
    throws
  {
    let d = try PowerLawDiffusion(normalization: 5.0e28, referenceRigidityGV: 10, index: 0.5)
    let model = try DiskHaloModel(
      disk: try GalacticDisk(surfaceDensityGramsPerSquareCentimetre: 2.3e-3),
      halo: .oneZone(halfHeightKpc: 4, diffusion: d))
    let x = model.grammage(rigidityGV: rigidity, speed: 1)
    let bc = SecondaryToPrimaryFormula.ratio(
      grammage: x, meanTargetMassGrams: 1.273 * Fixture.protonMass,
      parents: [(1, 70), (1.1, 35), (0.2, 50)], destructionCrossSectionMillibarn: 235)
    print("§5.2 at \(rigidity) GV: X = \(x) (docs/physics.md \(grammage)), B/C = \(bc) (docs/physics.md \(ratio))")
    #expect(abs(x - grammage) < grammageTolerance)
    #expect(abs(bc - ratio) < ratioTolerance)
    let fromRoundedGrammage = SecondaryToPrimaryFormula.ratio(
      grammage: grammage, meanTargetMassGrams: 1.273 * Fixture.protonMass,
      parents: [(1, 70), (1.1, 35), (0.2, 50)], destructionCrossSectionMillibarn: 235)
    #expect(abs(fromRoundedGrammage - ratio) < 0.0005)
  }

  /// At 𝓡 ≳ 1 TV B/C ∝ X/(1 + Xσ_B/m̄) has local slope −δ/(1 + y), y = Xσ_B/m̄ ≪ 1 (§5.2).
  /// Checked at 2 TV with the tabulated cross sections (flat above 100 GeV/n) and the full
  /// isotopic model: |slope − (−δ/(1+y))| < 0.01 (y taken from ¹¹B, which dominates; ¹⁰B's y is
  /// 12% smaller, a 0.004 effect), and |slope + δ| < 0.15 δ (y ≈ 0.05–0.13 at 2 TV here).
  @Test(arguments: [0.4, 0.5, 0.6])
  func highRigiditySlope(index: Double) throws {
    let model = Fixture.oneZone(normalization: 3.0e28, index: index)
    let spectra = AnalyticDiskHaloSolution(
      model: model, crossSections: Fixture.crossSections, source: Fixture.source
    )
    .spectra()
    let s = Fixture.slope(at: 2000) { spectra.boronToCarbon(rigidityGV: $0) }
    let network = SpallationNetwork(disk: model.disk, crossSections: Fixture.crossSections)
    let π = Nucleus.boron11.momentumPerNucleon(rigidityGV: 2000)
    let k = model.halo.escapeResistance(rigidityGV: 2000, speed: 1)
    let y = 0.5 * network.destructionRate(.boron11, momentumPerNucleon: π) * k
    print("δ = \(index): d ln(B/C)/d ln 𝓡 at 2 TV = \(s), −δ/(1+y) = \(-index / (1 + y)), y = \(y)")
    #expect(abs(s + index / (1 + y)) < 0.01)
    #expect(abs(s + index) < 0.15 * index)
    #expect(spectra.boronToCarbon(rigidityGV: 3000) < spectra.boronToCarbon(rigidityGV: 1000))
  }

  /// H/D degeneracy: doubling H and D leaves B/C unchanged, because the model depends on the halo
  /// only through K = H/D. Analytic and numerical; tolerance 1e-9 (rounding; grids differ in cm).
  @Test func haloHeightDiffusionDegeneracy() throws {
    let a = Fixture.oneZone(normalization: 3.0e28, halfHeightKpc: 4)
    let b = Fixture.oneZone(normalization: 6.0e28, halfHeightKpc: 8)
    let sa = AnalyticDiskHaloSolution(
      model: a, crossSections: Fixture.crossSections, source: Fixture.source
    ).spectra()
    let sb = AnalyticDiskHaloSolution(
      model: b, crossSections: Fixture.crossSections, source: Fixture.source
    ).spectra()
    let grid = try NumericalGrid(pointsPerDecade: 8, intervalsPerZone: 16)
    let na = NumericalDiskHaloSolver(
      model: a, crossSections: Fixture.crossSections, source: Fixture.source, grid: grid
    ).solve()
    let nb = NumericalDiskHaloSolver(
      model: b, crossSections: Fixture.crossSections, source: Fixture.source, grid: grid
    ).solve()
    for r in [3.0, 10, 100, 1000] {
      #expect(abs(sa.boronToCarbon(rigidityGV: r) / sb.boronToCarbon(rigidityGV: r) - 1) < 1e-9)
      #expect(
        abs(na.spectra.boronToCarbon(rigidityGV: r) / nb.spectra.boronToCarbon(rigidityGV: r) - 1)
          < 1e-9)
    }
    // …whereas doubling only H changes it by far more than the data errors (≈ 2%).
    let c = Fixture.oneZone(normalization: 3.0e28, halfHeightKpc: 8)
    let sc = AnalyticDiskHaloSolution(
      model: c, crossSections: Fixture.crossSections, source: Fixture.source
    ).spectra()
    #expect(sc.boronToCarbon(rigidityGV: 100) / sa.boronToCarbon(rigidityGV: 100) > 1.5)
  }

  /// The propagated O/C and N/C equal the requested ratios at the reference rigidity (source
  /// abundances are solved for); exact up to rounding, tolerance 1e-12.
  @Test func primaryRatiosAtReference() {
    let spectra = AnalyticDiskHaloSolution(
      model: Fixture.oneZone(), crossSections: Fixture.crossSections, source: Fixture.source
    ).spectra(momentaPerNucleon: [10, 50, 100])
    let oc = spectra.fluxRatio(numerator: [.oxygen16], denominator: [.carbon12], rigidityGV: 100)
    let nc = spectra.fluxRatio(numerator: [.nitrogen14], denominator: [.carbon12], rigidityGV: 100)
    #expect(abs(oc - 1.1) < 1e-12 && abs(nc - 0.2) < 1e-12)
  }
}
