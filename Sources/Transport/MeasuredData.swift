/// One bin of a measured ratio (or flux) versus rigidity.
public struct RigidityBinMeasurement: Sendable, Equatable {
  /// Lower bin edge in GV.
  public let rigidityLowGV: Double
  /// Upper bin edge in GV.
  public let rigidityHighGV: Double
  /// Representative rigidity in GV (geometric mean of the edges for the AMS-02 B/C table).
  public let rigidityGV: Double
  /// Measured value (dimensionless for ratios).
  public let value: Double
  /// Statistical error (1σ, symmetric), same unit as `value`.
  public let statisticalError: Double
  /// Systematic error (1σ, symmetric), same unit as `value`.
  public let systematicError: Double

  /// Total error √(stat² + syst²), treating the two as uncorrelated (no covariance is available).
  public var totalError: Double {
    (statisticalError * statisticalError + systematicError * systematicError).squareRoot()
  }
}

/// The measured data bundled with the Transport target (`Sources/Transport/Data/`, see README).
public enum MeasuredData {
  /// Resource name of the AMS-02 B/C table (Aguilar et al. 2021, Phys. Rep. 894, 1).
  public static let boronToCarbonResource = "ams02_bc_physrep2021_rigidity"
  /// Resource name of the AMS-02 C/O table (Phys. Rep. 894 (2021) 1).
  public static let carbonToOxygenResource = "ams02_co_ratio_physrep2021_rigidity"

  /// Resource name of the AMS-02 carbon flux table (PRL 119, 251101 (2017)).
  public static let carbonFluxResource = "ams02_c_flux_prl2017_rigidity"
  /// Resource name of the AMS-02 oxygen flux table (PRL 119, 251101 (2017)).
  public static let oxygenFluxResource = "ams02_o_flux_prl2017_rigidity"

  /// AMS-02 B/C versus rigidity, 7 years (Phys. Rep. 894 (2021) 1): 67 bins, 1.92–3300 GV.
  public static func amsBoronToCarbon() throws(TransportError) -> [RigidityBinMeasurement] {
    try ratioTable(boronToCarbonResource, valueColumn: "BC", rigidityColumn: "R_geo_GV")
  }

  /// AMS-02 C/O versus rigidity (Phys. Rep. 894 (2021) 1).
  public static func amsCarbonToOxygen() throws(TransportError) -> [RigidityBinMeasurement] {
    try ratioTable(carbonToOxygenResource, valueColumn: "value", rigidityColumn: "R_x_GV")
  }

  /// AMS-02 carbon flux in (m² sr s GV)⁻¹ versus rigidity, 5 years (PRL 119, 251101 (2017)):
  /// 68 bins, 1.92–3000 GV, at the geometric bin centre.
  public static func amsCarbonFlux() throws(TransportError) -> [RigidityBinMeasurement] {
    try ratioTable(carbonFluxResource, valueColumn: "flux", rigidityColumn: "R_geo_GV")
  }

  /// AMS-02 oxygen flux in (m² sr s GV)⁻¹ versus rigidity, same release: 67 bins, 2.15–3000 GV.
  public static func amsOxygenFlux() throws(TransportError) -> [RigidityBinMeasurement] {
    try ratioTable(oxygenFluxResource, valueColumn: "flux", rigidityColumn: "R_geo_GV")
  }

  static func ratioTable(_ resource: String, valueColumn: String, rigidityColumn: String)
    throws(TransportError) -> [RigidityBinMeasurement]
  {
    let table = try CSVTable.bundled(resource)
    let low = try table.columnIndex("R_low_GV", table: resource)
    let high = try table.columnIndex("R_high_GV", table: resource)
    let mid = try table.columnIndex(rigidityColumn, table: resource)
    let value = try table.columnIndex(valueColumn, table: resource)
    let stat = try table.columnIndex("stat_err", table: resource)
    let syst = try table.columnIndex("syst_err", table: resource)
    var result: [RigidityBinMeasurement] = []
    for r in table.rows.indices {
      result.append(
        RigidityBinMeasurement(
          rigidityLowGV: try table.number(row: r, column: low, table: resource),
          rigidityHighGV: try table.number(row: r, column: high, table: resource),
          rigidityGV: try table.number(row: r, column: mid, table: resource),
          value: try table.number(row: r, column: value, table: resource),
          statisticalError: try table.number(row: r, column: stat, table: resource),
          systematicError: try table.number(row: r, column: syst, table: resource)))
    }
    return result
  }
}
