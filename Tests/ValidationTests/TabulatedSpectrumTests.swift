import Foundation
import LarmorCore
import QuasiLinear
import Testing
import Turbulence

/// QLT on a tabulated spectrum (`ModeFamily.tabulated`) against QLT on the formula it tabulates,
/// and the binning of a field's measured modes into a table.
@Suite struct TabulatedSpectrumTests {
  /// Cells of the formula's own density: variance = ∫ density d³k over each cell, by a 4 × 4
  /// Gauss–Legendre rule in (k_⊥, k_∥) with the cylindrical weight 2πk_⊥ · 2 (both signs of k_∥).
  static func table(of spectrum: TurbulenceSpectrum, perpendicular: [Double], parallel: [Double]) throws -> TabulatedSpectrum {
    let rule = GaussLegendre(order: 4)
    var a = [[Double]](), p = [[Double]]()
    for (p1, p2) in zip(perpendicular, perpendicular.dropFirst()) {
      var rowA = [Double](), rowP = [Double]()
      for (q1, q2) in zip(parallel, parallel.dropFirst()) {
        var sums = (0.0, 0.0)
        for (x, wx) in zip(rule.nodes, rule.weights) {
          let kPerp = p1 + (p2 - p1) * (x + 1) / 2
          for (y, wy) in zip(rule.nodes, rule.weights) {
            let kPar = q1 + (q2 - q1) * (y + 1) / 2
            let d = spectrum.powerDensity(at: Vec3(kPerp, 0, kPar))
            let w = wx * wy * (p2 - p1) * (q2 - q1) / 4 * 2 * Double.pi * kPerp * 2
            sums.0 += w * d.alfven
            sums.1 += w * d.pseudo
          }
        }
        rowA.append(sums.0)
        rowP.append(sums.1)
      }
      a.append(rowA)
      p.append(rowP)
    }
    return try TabulatedSpectrum(perpendicularEdges: perpendicular, parallelEdges: parallel, alfven: a, pseudo: p)
  }

  static func logEdges(_ from: Double, _ to: Double, _ count: Int) -> [Double] {
    [0] + (0...count).map { from * pow(to / from, Double($0) / Double(count)) }
  }

  /// A fine table of isotropic Kolmogorov and of GS Alfvén turbulence gives the formula's D_μμ
  /// to the table's resolution: with cells 3% wide in ln k within 0.5% (measured: 2.6%, 0.5%,
  /// 0.07% for 100, 300, 600 cells over four decades — second order in the cell width).
  @Test(arguments: ["isotropic", "alfven"])
  func fineTablesReproduceTheFormula(_ model: String) throws {
    let family: ModeFamily = model == "isotropic" ? .isotropic(index: 5.0 / 3.0) : .alfven(GoldreichSridhar(machNumber: 1))
    let (kMin, kMax) = (1.0, 100.0)
    let formula = try TurbulenceSpectrum(family, minimumWavenumber: kMin, maximumWavenumber: kMax, turbulenceLevel: 0.1)
    let edges = Self.logEdges(0.01, kMax, 300)
    let tabulated = try TurbulenceSpectrum(tabulated: try Self.table(of: formula, perpendicular: edges, parallel: edges))
    // The table holds the formula's power inside k_⊥, |k_∥| ≤ k_max (|k| ≤ k_max for the formula).
    #expect(abs(tabulated.variance / formula.variance - 1) < 0.0002, "\(tabulated.variance) vs \(formula.variance)")
    for (μ, R) in [(0.3, 0.05), (0.7, 0.05), (0.5, 0.2)] {
      // The same harmonics for both: the solver sums only n = ±1 for GS Alfvén modes by default.
      let settings = SolverSettings(harmonics: model == "alfven" ? .upTo(1) : .automatic)
      let expected = PitchAngleDiffusion(spectrum: formula, settings: settings).coefficient(cosine: μ, reducedRigidity: R)
      let got = PitchAngleDiffusion(spectrum: tabulated, settings: settings).coefficient(cosine: μ, reducedRigidity: R)
      #expect(expected > 0 && abs(got / expected - 1) < 0.01, "\(model) μ = \(μ), R = \(R): \(got) vs \(expected)")
    }
  }

  /// Binned measured modes keep the field's variance and its Alfvénic share, and QLT on the
  /// binned table of a synthesized field's expected variances follows the formula's continuum
  /// QLT where the resonant k_∥ = 1/(R|μ|) lies well inside the grid's range.
  @Test func binnedModesFollowTheContinuum() throws {
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3.0), minimumWavenumber: 1, maximumWavenumber: 12, turbulenceLevel: 0.1)
    let geometry = GridGeometry(counts: SIMD3(32, 32, 32), boxSize: Vec3(repeating: 2 * .pi))
    let expected = ModePowerTable(expectedVariancesOf: spectrum, on: geometry)
    let binned = TabulatedSpectrum(binning: expected)
    #expect(abs(binned.variance / expected.variance - 1) < 1e-12)
    let alfvenShare = binned.alfven.joined().reduce(0, +) / binned.variance
    #expect(abs(alfvenShare - 0.5) < 1e-9)  // isotropic turbulence: half along ê_A
    let solver = PitchAngleDiffusion(spectrum: try TurbulenceSpectrum(tabulated: binned))
    let continuum = PitchAngleDiffusion(spectrum: spectrum)
    for μ in [0.3, 0.5, 0.7] {
      let R = 1 / (5 * μ)  // k_∥ = 5: between the lattice's 1 and the cut's 12
      let ratio = solver.coefficient(cosine: μ, reducedRigidity: R) / continuum.coefficient(cosine: μ, reducedRigidity: R)
      #expect(abs(ratio - 1) < 0.15, "μ = \(μ): binned/continuum = \(ratio)")
    }
  }

  @Test func badTablesNameTheKey() {
    #expect(throws: SpectrumError.self) { try TabulatedSpectrum(perpendicularEdges: [0, 2, 1], parallelEdges: [0, 1], alfven: [[1], [1]], pseudo: [[0], [0]]) }
    do {
      _ = try TabulatedSpectrum(perpendicularEdges: [0, 1], parallelEdges: [0, 1], alfven: [[.nan]], pseudo: [[0]])
      Issue.record("accepted NaN")
    } catch { #expect(error.key == "alfven" && error.message.contains("cell [0][0]"), "\(error)") }
    do {
      _ = try TabulatedSpectrum(perpendicularEdges: [0, 1, 2], parallelEdges: [0, 1], alfven: [[1]], pseudo: [[0], [0]])
      Issue.record("accepted a short table")
    } catch { #expect(error.key == "alfven", "\(error)") }
    #expect(throws: SpectrumError.self) {
      try TurbulenceSpectrum(tabulated: try TabulatedSpectrum(perpendicularEdges: [0, 1], parallelEdges: [0, 1], alfven: [[0]], pseudo: [[0]]))
    }
  }
}
