import Orbits

/// What to trace, in code units: the ensembles of a run (one per rigidity and field realization),
/// their sampling, the step rule and the estimator layout the accumulators need.
///
/// The values a run spec's `[run]`, `[particles]` and `[estimators]` give; a library caller
/// builds it directly. `Tracer` validates it (`TraceError` names the offending setting).
public struct TraceSettings: Sendable, Hashable, Codable {
  /// Independent field realizations; realization r uses field seed + r and particle seed + r.
  public var realizations = 1
  /// Integration time T (L/c).
  public var duration: Double
  /// Log-spaced samples from `firstSample` (default min(T_g/10, T/10), T_g = 2πR) to T, plus
  /// `linearSampleCount` evenly spaced ones.
  public var sampleCount = 48
  public var firstSample: Double?
  public var linearSampleCount = 0
  /// Ω_max Δt (radians) and the cell rule Δt ≤ cellFraction · Δx / c.
  public var phasePerStep = 0.1
  public var cellFraction = 0.25
  public var rotation: BorisPusher.Rotation = .standard
  /// Reduced rigidities R = r_L/L (r_L in B₀), one ensemble each.
  public var rigidities: [Double]
  /// Particles per rigidity and realization in the whole run, and their seed.
  public var particleCount = 1000
  public var particleSeed: UInt64 = 1
  /// The IDs this process integrates (nil: all, 0 ..< particleCount). A subset draws the same
  /// particles as the whole run; its lower bound must be a multiple of `groupSize`.
  public var particleIDs: Range<UInt64>?
  /// Fixed initial pitch cosines (cycled over particles), or nil for isotropic directions.
  public var initialPitches: [Double]?
  /// Bins of initial μ for D_μμ, and the TGK time origins.
  public var pitchBins = 20
  public var kuboOrigins = 16
  /// Record the full orbits of particles 0 ..< savedOrbits of realization 0.
  public var savedOrbits = 0
  /// Wall-clock seconds between checkpoints (when a checkpoint sink is given).
  public var checkpointSeconds = 60.0

  public init(duration: Double, rigidities: [Double]) {
    self.duration = duration
    self.rigidities = rigidities
  }

  /// Particles per observer group: min(64, N/8) and at least 1, from the whole run's count N, so
  /// every subset of the run uses the whole run's groups.
  public var groupSize: Int { max(1, min(64, particleCount / Tracer.particleGroups)) }

  /// The IDs traced: `particleIDs`, or the whole run.
  public var tracedIDs: Range<UInt64> { particleIDs ?? 0..<UInt64(particleCount) }
}

/// A setting `Tracer` cannot run with.
public struct TraceError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
