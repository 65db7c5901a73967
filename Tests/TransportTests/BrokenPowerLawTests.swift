import Foundation
import Testing

@testable import Transport

/// The broken power law in D(𝓡) and the B/C hardening it is for.
@Suite struct BrokenPowerLawTests {
  /// Limits of the form: D(𝓡₀) = D₀; slope δ far below 𝓡_b and δ − Δδ far above (to 1e-3 at
  /// four decades from the break with s = 0.1); at 𝓡_b the slope is halfway, δ − Δδ/2
  /// (the bracket is 2^(−s) times its value there, symmetric in ln 𝓡 about 𝓡_b).
  @Test func limitsOfTheForm() throws {
    let d = try BrokenPowerLawDiffusion(normalization: 3e28, index: 0.55, breakRigidityGV: 200, indexChange: 0.2, smoothness: 0.1)
    #expect(abs(d.coefficient(rigidityGV: 10) / 3e28 - 1) < 1e-14)
    #expect(abs(d.logarithmicSlope(rigidityGV: 200e-4) - 0.55) < 1e-3)
    #expect(abs(d.logarithmicSlope(rigidityGV: 200e4) - 0.35) < 1e-3)
    #expect(abs(d.logarithmicSlope(rigidityGV: 200) - 0.45) < 1e-3)
  }

  /// The weighted log-log slope recovers an exact power law y = 2𝓡^(−0.3) (any weights), and
  /// its error is 1/√(Σw(x − x̄)²), here written out for three points.
  @Test func logLogSlopeOfAPowerLaw() throws {
    let r = [10.0, 100, 1000, 5]
    let y = r.map { 2 * pow($0, -0.3) }
    let e = y.map { 0.05 * $0 }
    let fit = try #require(logLogSlope(rigiditiesGV: r, values: y, errors: e, minimumRigidityGV: 10))
    #expect(abs(fit.slope + 0.3) < 1e-12)
    let x = [10.0, 100, 1000].map(log), w = 1 / (0.05 * 0.05)
    let mean = x.reduce(0, +) / 3
    #expect(abs(fit.error / (1 / (w * x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +))).squareRoot() - 1) < 1e-12)
  }

  /// AMS-02 B/C hardens: fitted the same way (weighted log-log above 65 GV) the data give
  /// −0.328 ± 0.014, a single power law in D (fitted above 10 GV) −0.41, 6σ off; with a broken
  /// power law (D₀, δ, 𝓡_b, Δδ fitted, s = 0.1) χ²/dof ≤ 1.15 above 10 GV and the model's slope
  /// lies within 1σ of the data's. Measured: χ²/dof 0.283 (46 dof; systematic errors taken as
  /// uncorrelated, so χ² is low), slope −0.336, break 141 GV, δ = 0.577 → 0.317.
  @Test func brokenFitReproducesTheHardening() throws {
    let data = try MeasuredData.amsBoronToCarbon()
    let modulation = try ForceFieldModulation(potentialGV: 0.7)
    let fitter = try BoronToCarbonFit(
      disk: Fixture.disk, halfHeightKpc: 4, crossSections: Fixture.crossSections, source: Fixture.source, modulation: modulation)
    let start = try BrokenPowerLawDiffusion(normalization: 3e28, index: 0.5, breakRigidityGV: 300, indexChange: 0.15, smoothness: 0.1)
    let broken = try fitter.fitBroken(data: data, minimumRigidityGV: 10, start: start)
    #expect(broken.converged)
    #expect(broken.chiSquare.degreesOfFreedom == 46 && broken.chiSquare.reduced <= 1.15, "χ²/dof \(broken.chiSquare.reduced)")
    let single = try fitter.fit(data: data, minimumRigidityGV: 10)
    func slopes(_ spectra: PropagatedSpectra) throws -> (model: Double, data: Double, dataError: Double) {
      let model = data.map { spectra.boronToCarbon(rigidityGV: $0.rigidityGV, modulation: modulation) }
      return try #require(boronToCarbonSlopes(model: model, data: data, minimumRigidityGV: 65))
    }
    let brokenSlopes = try slopes(try #require(fitter.spectra(broken.diffusion)))
    let singleSlope = try slopes(try #require(fitter.spectra(single.diffusion))).model
    let (measured, error) = (brokenSlopes.data, brokenSlopes.dataError)
    #expect(abs(measured + 0.328) < 0.005 && abs(error - 0.014) < 0.002, "data slope \(measured) ± \(error)")
    #expect(abs(brokenSlopes.model - measured) <= error, "broken \(brokenSlopes.model) vs data \(measured)")
    #expect(abs(singleSlope - measured) > 3 * error, "single power law \(singleSlope) vs data \(measured)")
    #expect(broken.diffusion.indexChange > 0, "the fit hardens D above the break")
  }
}
