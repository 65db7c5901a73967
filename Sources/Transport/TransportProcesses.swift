/// Physical processes beyond pure diffusion for the numerical solver.
public struct TransportProcesses: Sendable, Encodable, Equatable {
  /// Ionization and Coulomb losses in the gas disk (`EnergyLosses`).
  public let energyLosses: Bool
  /// Galactic wind speed V_c in km/s, directed away from the disk (V = V_c sign z), with the
  /// matching adiabatic losses d(p/A)/dt = −(1/3)(∇·V) p/A = −(2V_c/3) δ(z) p/A.
  public let windSpeedKmPerSecond: Double
  /// Alfvén speed v_A in km/s for reacceleration, D_pp = 4 p² v_A² / [3 δ (4 − δ²)(4 − δ) D]
  /// (Seo & Ptuskin 1994, ApJ 431, 705; GALPROP convention with w = 1), δ = local slope of D(𝓡)
  /// clamped to [0.1, 1]; 0 switches reacceleration off. Acts throughout the halo.
  public let alfvenSpeedKmPerSecond: Double
  /// Reacceleration from given turbulence instead: D_pp/p² per halo zone, inner to outer (one
  /// table per zone of the model it is solved with), D_ππ = π² D_pp/p². Excludes v_A.
  public let momentumDiffusion: [TabulatedMomentumDiffusion]?

  /// Whether momentum diffusion couples neighbouring momenta.
  public var reaccelerates: Bool { alfvenSpeedKmPerSecond > 0 || momentumDiffusion != nil }

  /// - Parameters:
  ///   - energyLosses: switch for ionization + Coulomb losses.
  ///   - windSpeedKmPerSecond: V_c in km/s, finite, in [0, 1000].
  ///   - alfvenSpeedKmPerSecond: v_A in km/s, finite, in [0, 1000].
  ///   - momentumDiffusion: D_pp/p² per zone (non-empty), or nil; not with v_A > 0.
  public init(
    energyLosses: Bool = false, windSpeedKmPerSecond: Double = 0, alfvenSpeedKmPerSecond: Double = 0,
    momentumDiffusion: [TabulatedMomentumDiffusion]? = nil
  )
    throws(TransportError)
  {
    if let tables = momentumDiffusion {
      guard !tables.isEmpty, alfvenSpeedKmPerSecond == 0 else {
        throw .invalidParameter(
          name: "processes.momentumDiffusion", value: Double(tables.count),
          allowed: "one table per halo zone, and v_A = 0 (the tables replace the v_A relation)")
      }
    }
    self.momentumDiffusion = momentumDiffusion
    try Validate.within(
      windSpeedKmPerSecond, "processes.windSpeedKmPerSecond", 0, 1000, unit: " km/s")
    try Validate.within(
      alfvenSpeedKmPerSecond, "processes.alfvenSpeedKmPerSecond", 0, 1000, unit: " km/s")
    self.energyLosses = energyLosses
    self.windSpeedKmPerSecond = windSpeedKmPerSecond
    self.alfvenSpeedKmPerSecond = alfvenSpeedKmPerSecond
  }

  private init(unchecked: Void) {
    energyLosses = false
    windSpeedKmPerSecond = 0
    alfvenSpeedKmPerSecond = 0
    momentumDiffusion = nil
  }

  /// Pure diffusion with spallation: the setting in which the analytic solution is exact.
  public static let diffusionOnly = TransportProcesses(unchecked: ())
}

/// Grid and iteration settings of the numerical solver.
public struct NumericalGrid: Sendable, Encodable, Equatable {
  /// Lowest momentum per nucleon in GeV/c.
  public let minimumMomentumPerNucleon: Double
  /// Highest momentum per nucleon in GeV/c.
  public let maximumMomentumPerNucleon: Double
  /// Grid points per decade in p/A.
  public let pointsPerDecade: Int
  /// Intervals in z per diffusion zone (uniform within a zone; zone boundaries are nodes).
  public let intervalsPerZone: Int
  /// Maximum number of relaxation iterations (only used with reacceleration).
  public let maximumIterations: Int
  /// Convergence threshold on the relative change of N(z = 0) between iterations.
  public let tolerance: Double

  /// - Parameters:
  ///   - minimumMomentumPerNucleon: GeV/c, > 0.
  ///   - maximumMomentumPerNucleon: GeV/c, > 10 × minimum.
  ///   - pointsPerDecade: in [4, 200].
  ///   - intervalsPerZone: in [4, 10000].
  ///   - maximumIterations: in [1, 10⁶].
  ///   - tolerance: in (0, 0.1].
  public init(
    minimumMomentumPerNucleon: Double = 0.1, maximumMomentumPerNucleon: Double = 3.0e4,
    pointsPerDecade: Int = 16, intervalsPerZone: Int = 40, maximumIterations: Int = 20_000,
    tolerance: Double = 1.0e-11
  ) throws(TransportError) {
    try Validate.positive(
      minimumMomentumPerNucleon, "grid.minimumMomentumPerNucleon", unit: " GeV/c")
    guard maximumMomentumPerNucleon.isFinite,
      maximumMomentumPerNucleon > 10 * minimumMomentumPerNucleon
    else {
      throw .invalidParameter(
        name: "grid.maximumMomentumPerNucleon", value: maximumMomentumPerNucleon,
        allowed: "finite and > 10 × minimumMomentumPerNucleon GeV/c")
    }
    try Validate.within(Double(pointsPerDecade), "grid.pointsPerDecade", 4, 200)
    try Validate.within(Double(intervalsPerZone), "grid.intervalsPerZone", 4, 10_000)
    try Validate.within(Double(maximumIterations), "grid.maximumIterations", 1, 1.0e6)
    guard tolerance.isFinite, tolerance > 0, tolerance <= 0.1 else {
      throw .invalidParameter(name: "grid.tolerance", value: tolerance, allowed: "(0, 0.1]")
    }
    self.minimumMomentumPerNucleon = minimumMomentumPerNucleon
    self.maximumMomentumPerNucleon = maximumMomentumPerNucleon
    self.pointsPerDecade = pointsPerDecade
    self.intervalsPerZone = intervalsPerZone
    self.maximumIterations = maximumIterations
    self.tolerance = tolerance
  }
}
