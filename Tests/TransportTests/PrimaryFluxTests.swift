import Foundation
import Testing

@testable import Transport

/// C and O fluxes against data: the fitted amplitude, the fitted source index, the bundled tables.
struct PrimaryFluxTests {
  static func spectra(index γ: Double, model: DiskHaloModel = Fixture.oneZone()) -> PropagatedSpectra {
    AnalyticDiskHaloSolution(model: model, crossSections: Fixture.crossSections, source: try! SourceSpectrum(spectralIndex: γ)).spectra()
  }

  /// Bins at the AMS-02 rigidities holding `scale` × the model's flux, with 2% errors.
  static func synthetic(_ spectra: PropagatedSpectra, _ nucleus: Nucleus, like data: [RigidityBinMeasurement], scale: Double)
    -> [RigidityBinMeasurement]
  {
    data.map { bin in
      let value = scale * spectra.flux(nucleus, rigidityGV: bin.rigidityGV)
      return RigidityBinMeasurement(
        rigidityLowGV: bin.rigidityLowGV, rigidityHighGV: bin.rigidityHighGV, rigidityGV: bin.rigidityGV, value: value,
        statisticalError: 0.02 * value, systematicError: 0)
    }
  }

  @Test func bundledFluxTables() throws {
    let c = try MeasuredData.amsCarbonFlux(), o = try MeasuredData.amsOxygenFlux()
    #expect(c.count == 68 && o.count == 67)
    #expect(c.first?.rigidityLowGV == 1.92 && c.last?.rigidityHighGV == 3000)
    // C/O of the two tables near 100 GV is the known ≈ 0.91 (AMS-02).
    let i = try #require(c.firstIndex { $0.rigidityGV > 100 }), j = try #require(o.firstIndex { $0.rigidityGV == c[i].rigidityGV })
    #expect(abs(c[i].value / o[j].value - 0.91) < 0.05)
  }

  /// Data that are k × the model give A = k and χ² = 0; on the real data, A is the minimum of
  /// χ²(A), evaluated directly on both sides.
  @Test func amplitudeIsTheLeastSquaresMinimum() throws {
    let s = Self.spectra(index: 2.4)
    let data = try MeasuredData.amsCarbonFlux()
    let exact = PrimaryFluxComparison(
      spectra: s, nuclei: [.carbon12], data: Self.synthetic(s, .carbon12, like: data, scale: 3.7e-3), minimumRigidityGV: 10, modulation: .none)
    #expect(abs(exact.amplitude / 3.7e-3 - 1) < 1e-12)
    #expect(exact.chiSquare.value < 1e-18 && exact.chiSquare.points == 51 && exact.chiSquare.degreesOfFreedom == 50)
    let real = PrimaryFluxComparison(spectra: s, nuclei: [.carbon12], data: data, minimumRigidityGV: 10, modulation: try ForceFieldModulation(potentialGV: 0.7))
    func chi(_ a: Double) -> Double {
      data.filter { $0.rigidityGV >= 10 }.reduce(0) { sum, bin in
        let pull = (a * s.flux(.carbon12, rigidityGV: bin.rigidityGV, modulation: try! ForceFieldModulation(potentialGV: 0.7)) - bin.value) / bin.totalError
        return sum + pull * pull
      }
    }
    #expect(abs(chi(real.amplitude) / real.chiSquare.value - 1) < 1e-12)
    #expect(chi(real.amplitude * 1.001) > real.chiSquare.value && chi(real.amplitude * 0.999) > real.chiSquare.value)
    let none = PrimaryFluxComparison(spectra: s, nuclei: [.carbon12], data: data, minimumRigidityGV: 1e5, modulation: .none)
    #expect(none.chiSquare.points == 0 && none.chiSquare.value == 0)
  }

  /// The source index of synthetic C and O fluxes made at γ = 2.55 is found again from the range
  /// [1.8, 3.2]; a parabola's minimum is found to the tolerance.
  @Test func sourceIndexIsRecovered() throws {
    let truth = Self.spectra(index: 2.55)
    let real = try CosmicRayData.bundled()
    let data = CosmicRayData(
      boronToCarbon: real.boronToCarbon, carbonFlux: Self.synthetic(truth, .carbon12, like: real.carbonFlux, scale: 2e-3),
      oxygenFlux: Self.synthetic(truth, .oxygen16, like: real.oxygenFlux, scale: 3e-3))
    let fit = SourceIndexFit.minimize(range: 1.8...3.2) { γ in
      CosmicRayComparison(spectra: Self.spectra(index: γ), data: data, minimumRigidityGV: 10, modulation: .none).total([.carbon, .oxygen]).value
    }
    #expect(abs(fit.index - 2.55) < 2e-4, "γ = \(fit.index)")
    #expect(fit.value < 1e-4)
    let parabola = SourceIndexFit.minimize(range: 1...3) { 5 + 40 * ($0 - 2.4321) * ($0 - 2.4321) }
    #expect(abs(parabola.index - 2.4321) < 1e-4 && abs(parabola.value - 5) < 1e-6)
    // At the edge of the range: the edge.
    let edge = SourceIndexFit.minimize(range: 2...3) { $0 }
    #expect(abs(edge.index - 2) < 1e-4)
  }

  /// The total χ² sums the chosen datasets and counts their amplitudes and extra parameters.
  @Test func totalCountsParameters() throws {
    let c = CosmicRayComparison(spectra: Self.spectra(index: 2.4), data: try CosmicRayData.bundled(), minimumRigidityGV: 10, modulation: .none)
    let all = c.total([.boronToCarbon, .carbon, .oxygen], extraParameters: 1)
    #expect(all.points == 50 + 51 + 51 && all.parameters == 3)
    #expect(abs(all.value - (c.boronToCarbon.value + c.carbon.chiSquare.value + c.oxygen.chiSquare.value)) <= 1e-12 * all.value)
    #expect(c.total([.boronToCarbon]) == c.boronToCarbon)
  }
}
