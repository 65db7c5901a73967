import Foundation
import Testing

@testable import Transport

/// Reacceleration from a tabulated D_pp/p²: interpolation, and the solver against its v_A path.
@Suite struct MomentumDiffusionTableTests {
  /// A power law is interpolated and extrapolated exactly; next to a zero the table is linear in
  /// ln 𝓡 and stays ≥ 0; bad tables are refused.
  @Test func interpolation() throws {
    let r = [1.0, 10, 100, 1000]
    let table = try TabulatedMomentumDiffusion(rigiditiesGV: r, rates: r.map { 3e-15 * pow($0, -0.7) })
    for x in [0.3, 2.0, 55, 999, 5000] { #expect(abs(table.rate(rigidityGV: x) / (3e-15 * pow(x, -0.7)) - 1) < 1e-12) }
    let zero = try TabulatedMomentumDiffusion(rigiditiesGV: [1, 10, 100], rates: [0, 2e-15, 1e-15])
    #expect(abs(zero.rate(rigidityGV: 10.0.squareRoot()) - 1e-15) < 1e-27)
    #expect(zero.rate(rigidityGV: 0.1) == 0 && zero.rate(rigidityGV: 1) == 0)
    #expect(throws: TransportError.self) { try TabulatedMomentumDiffusion(rigiditiesGV: [1, 10], rates: [1e-15, -1e-16]) }
    #expect(throws: TransportError.self) { try TabulatedMomentumDiffusion(rigiditiesGV: [10, 1], rates: [1e-15, 1e-15]) }
    #expect(throws: TransportError.self) { try TransportProcesses(alfvenSpeedKmPerSecond: 30, momentumDiffusion: [table]) }
  }

  /// With D = D₀(𝓡/10 GV)^0.5 the v_A relation D_pp/p² = 4v_A²/[3δ(4−δ²)(4−δ)D] is a power law in
  /// 𝓡, so its table (a few points) reproduces the v_A solve: B/C to 1e-9 from 2 GV to 3 TV, and
  /// reacceleration visibly changes B/C at 2 GV (> 5%). A zero table is no reacceleration: the
  /// analytic B/C to 1e-9.
  @Test func tableEqualsTheAlfvenSpeedRelation() throws {
    let model = Fixture.oneZone(normalization: 3.0e28, index: 0.5)
    let vA = 30.0e5, δ = 0.5
    let r = [0.1, 1, 10, 100, 1e3, 1e4, 1e5]
    let d = try PowerLawDiffusion(normalization: 3.0e28, referenceRigidityGV: 10, index: δ)
    let rates = r.map { 4 * vA * vA / (3 * δ * (4 - δ * δ) * (4 - δ) * d.coefficient(rigidityGV: $0)) }
    func solve(_ processes: TransportProcesses) throws -> NumericalSolution {
      NumericalDiskHaloSolver(
        model: model, crossSections: Fixture.crossSections, source: Fixture.source, processes: processes, grid: try NumericalGrid()
      ).solve()
    }
    let relation = try solve(try TransportProcesses(alfvenSpeedKmPerSecond: 30))
    let table = try solve(try TransportProcesses(momentumDiffusion: [try TabulatedMomentumDiffusion(rigiditiesGV: r, rates: rates)]))
    let none = try solve(try TransportProcesses(momentumDiffusion: [try TabulatedMomentumDiffusion(rigiditiesGV: r, rates: r.map { _ in 0 })]))
    let analytic = AnalyticDiskHaloSolution(model: model, crossSections: Fixture.crossSections, source: Fixture.source)
      .spectra(momentaPerNucleon: none.spectra.momentaPerNucleon)
    #expect(relation.converged && table.converged && none.converged)
    for x in NumericalSolverTests.rigidities {
      let a = relation.spectra.boronToCarbon(rigidityGV: x), b = table.spectra.boronToCarbon(rigidityGV: x)
      #expect(abs(b / a - 1) < 1e-9, "\(x) GV: \(b) vs \(a)")
      #expect(abs(none.spectra.boronToCarbon(rigidityGV: x) / analytic.boronToCarbon(rigidityGV: x) - 1) < 1e-9)
    }
    #expect(abs(relation.spectra.boronToCarbon(rigidityGV: 2) / analytic.boronToCarbon(rigidityGV: 2) - 1) > 0.05)
  }
}
