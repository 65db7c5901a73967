import Foundation
import Testing

@testable import Transport

/// The bundled data load through `Bundle.module` and match the README table.
@Suite struct MeasuredDataTests {
  /// The resource is reachable exactly as documented for other targets' use.
  @Test func resourceURLResolves() throws {
    let url = Bundle.module.url(
      forResource: "ams02_bc_physrep2021_rigidity", withExtension: "csv", subdirectory: "Data")
    #expect(url != nil)
  }

  /// README: AMS-02 B/C, 67 bins, 1.92–3300 GV; every bin's geometric-mean rigidity lies inside it,
  /// and the quadrature sum of the errors equals the tabulated total to its 4-decimal rounding.
  @Test func boronToCarbonTable() throws {
    let bins = try MeasuredData.amsBoronToCarbon()
    #expect(bins.count == 67)
    #expect(bins.first?.rigidityLowGV == 1.92)
    #expect(bins.last?.rigidityHighGV == 3300)
    for b in bins {
      #expect(b.rigidityGV > b.rigidityLowGV && b.rigidityGV < b.rigidityHighGV)
      #expect(b.value > 0.04 && b.value < 0.35)
    }
    let table = try CSVTable.bundled(MeasuredData.boronToCarbonResource)
    #expect(table.sourceHeader.contains { $0.contains("Physics Reports 894 (2021) 1") })
    let total = try table.columnIndex("total_err", table: "bc")
    for (r, b) in bins.enumerated() {
      #expect(abs(b.totalError - (try table.number(row: r, column: total, table: "bc"))) <= 0.00011)
    }
  }
}

/// The bundled cross-section tables load and are interpolated as documented.
@Suite struct CrossSectionTableTests {
  /// Tabulated values are returned exactly; between 1 and 10 GeV/n the interpolation is linear in
  /// ln E (at √10 GeV/n: the mean of the two); above the table the last value is kept. The
  /// cumulative C → B sum at 10 GeV/n (70.8 mb) lies in docs/physics.md §5.2's 60–75 mb range.
  @Test func partialAndInelastic() throws {
    let xs = Fixture.crossSections
    #expect(
      xs.partialHydrogen(from: .carbon12, to: .boron11, kineticEnergyPerNucleon: 10) == 52.704)
    let mid = xs.partialHydrogen(
      from: .carbon12, to: .boron11, kineticEnergyPerNucleon: 10.0.squareRoot())
    #expect(abs(mid - 0.5 * (59.095 + 52.704)) < 1e-9)
    #expect(
      xs.partialHydrogen(from: .carbon12, to: .boron11, kineticEnergyPerNucleon: 1000) == 52.400)
    let cToB =
      xs.partialHydrogen(from: .carbon12, to: .boron11, kineticEnergyPerNucleon: 10)
      + xs.partialHydrogen(from: .carbon12, to: .boron10, kineticEnergyPerNucleon: 10)
    #expect(cToB > 60 && cToB < 75)
    #expect(xs.inelasticHydrogen(.carbon12, kineticEnergyPerNucleon: 100) == 243.70)
    #expect(xs.inelasticHelium(.oxygen16, kineticEnergyPerNucleon: 1) == 635.75)
    // He partial = H partial × projectile's inelastic He/H ratio.
    let ratio = 531.90 / 243.70
    #expect(
      abs(
        xs.partialHelium(from: .carbon12, to: .boron10, kineticEnergyPerNucleon: 100)
          / (18.070 * ratio) - 1) < 1e-12)
  }
}
