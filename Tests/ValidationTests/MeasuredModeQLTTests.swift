import Foundation
import LarmorCore
import QuasiLinear
import Testing
import Turbulence

/// QLT on a field's measured modes (`ModePowerTable`, the reference `compare` uses for snapshots)
/// against the spectrum's own discrete sum.
@Suite struct MeasuredModeQLTTests {
  static func spec(seed: UInt64) throws -> FieldSpec {
    let spectrum = try TurbulenceSpectrum(.alfven(GoldreichSridhar()), minimumWavenumber: 1, maximumWavenumber: 7, turbulenceLevel: 0.1)
    return try FieldSpec(
      spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(16, 16, 16), boxSize: Vec3(repeating: 2 * .pi)), seed: seed)
  }

  /// A table filled with the spectrum's expected variances gives the spectrum's finite-time sum
  /// (the grouping of (±k_x, ±k_y, k_∥) and the table's indices are those of the sum).
  @Test func tableOfExpectedVariancesGivesTheSpectrumSum() throws {
    let spec = try Self.spec(seed: 1)
    let table = ModePowerTable(expectedVariancesOf: spec.spectrum, on: spec.geometry)
    for μ in [0.3, 0.7] {
      let times = [2.0, 6.0]
      let measured = finiteTimeMeasuredCoefficients(table: table, cosine: μ, reducedRigidity: 0.2, times: times)
      let expected = finiteTimeModeCoefficients(spectrum: spec.spectrum, geometry: spec.geometry, cosine: μ, reducedRigidity: 0.2, times: times)
      for (a, b) in zip(measured, expected) { #expect(abs(a / b.pitch - 1) < 1e-12, "μ = \(μ)") }
    }
  }

  /// The measured table holds the field's variance (the synthesis keeps no Nyquist or k = 0 mode),
  /// and its Alfvénic share is the field's; averaged over 16 realizations the measured sum is
  /// within 10% of the expected one (each mode's power scatters as χ² with 2 degrees of freedom).
  @Test func measuredTablesHoldTheFieldAndAverageToTheSpectrum() throws {
    var tables: [ModePowerTable] = []
    let spec0 = try Self.spec(seed: 1)
    for seed in 1...16 {
      let field = SpectralSynthesis.synthesize(try Self.spec(seed: UInt64(seed)), threads: 2).field
      let table = ModePowerTable.measure(field, threads: 2)
      if seed == 1 {
        let rms = FieldDiagnostics.measure(field, spectrum: spec0.spectrum).rms
        #expect(abs(table.variance / (rms * rms) - 1) < 1e-5)
      }
      tables.append(table)
    }
    let mean = ModePowerTable.mean(tables)
    let scale = spec0.spectrum.variance / spec0.geometry.expectedVariance(of: spec0.spectrum)
    for μ in [0.3, 0.6] {
      let measured = finiteTimeMeasuredCoefficients(table: mean, cosine: μ, reducedRigidity: 0.2, times: [4])[0]
      let expected = scale * finiteTimeModeCoefficients(spectrum: spec0.spectrum, geometry: spec0.geometry, cosine: μ, reducedRigidity: 0.2, times: [4])[0].pitch
      #expect(abs(measured / expected - 1) < 0.1, "μ = \(μ): \(measured / expected)")
    }
  }
}
