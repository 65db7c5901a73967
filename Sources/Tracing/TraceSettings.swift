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
  /// Log-spaced samples from `firstSample` (L/c; default min(T_g/10, T/10) with T_g = 2πR L/c
  /// the gyro-period in B₀) to T, plus `linearSampleCount` evenly spaced ones.
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
  /// The share of the run this process integrates (nil: all of it). See `TraceShard`.
  public var shard: TraceShard?
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
  /// every share of the run uses the whole run's groups.
  public var groupSize: Int { max(1, min(64, particleCount / Tracer.particleGroups)) }

  /// Observer groups of one ensemble: ⌈N / groupSize⌉.
  public var groupCount: Int { (particleCount + groupSize - 1) / groupSize }

  /// The particle blocks of an ensemble, as ranges of observer groups: the `Tracer.particleGroups`
  /// jackknife groups of a single-realization run (consecutive groups, split as evenly as
  /// integers allow), or one block when there are fewer groups than that.
  public var blocks: [Range<Int>] {
    let g = groupCount, b = Tracer.particleGroups
    return g >= b ? (0..<b).map { (g * $0 / b)..<(g * ($0 + 1) / b) } : [0..<g]
  }

  /// The particle IDs of blocks `range`.
  public func particleIDs(ofBlocks range: Range<Int>) -> Range<UInt64> {
    let b = blocks
    let lower = UInt64(b[range.lowerBound].lowerBound * groupSize)
    let upper = UInt64(min(particleCount, b[range.upperBound - 1].upperBound * groupSize))
    return lower..<upper
  }

  /// Work units of the whole run, in their fixed order: (realization, block), realization-major.
  public var workUnits: [TraceWorkUnit] {
    (0..<realizations).flatMap { r in blocks.indices.map { TraceWorkUnit(realization: r, block: $0) } }
  }

  /// The units this process integrates, grouped per realization as contiguous block ranges.
  public var assignedBlocks: [(realization: Int, blocks: Range<Int>)] {
    let all = workUnits
    let mine = shard.map { all[(all.count * $0.index / $0.count)..<(all.count * ($0.index + 1) / $0.count)] } ?? all[...]
    var out: [(realization: Int, blocks: Range<Int>)] = []
    for unit in mine {
      if let last = out.last, last.realization == unit.realization {
        out[out.count - 1].blocks = last.blocks.lowerBound..<(unit.block + 1)
      } else {
        out.append((unit.realization, unit.block..<(unit.block + 1)))
      }
    }
    return out
  }
}

/// One unit of work: the particles of one block in one field realization, for every rigidity.
/// Units are what shards (and ranks) divide; their results combine in unit order into exactly the
/// numbers of a single run.
public struct TraceWorkUnit: Sendable, Hashable, Codable {
  public var realization: Int
  public var block: Int
}

/// Share `index` (0-based) of `count`: the work units [U·index/count, U·(index+1)/count) of the
/// U = realizations × blocks units, in unit order.
public struct TraceShard: Sendable, Hashable, Codable {
  public var index: Int
  public var count: Int
  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }
}

/// A setting `Tracer` cannot run with.
public struct TraceError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
