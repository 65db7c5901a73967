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
