import Foundation
import LarmorCore

/// What an observer sees of one particle at one sample row.
public struct ParticleSnapshot: Sendable, Hashable {
  public var id: UInt64
  /// Time since the start (L/c).
  public var time: Double
  /// Current position (L, unwrapped) and displacement from the start (L).
  public var position: Vec3
  public var displacement: Vec3
  /// Current and initial unit velocity (c).
  public var direction: Vec3
  public var initialDirection: Vec3
  /// b = B/B₀ at the current position.
  public var localField: Vec3
  /// μ against the local field at t = 0.
  public var initialLocalPitch: Double
  /// Momentum p/p₀ (initially 1; changes only in an electric field).
  public var momentum: Double

  public init(
    id: UInt64, time: Double, position: Vec3, displacement: Vec3, direction: Vec3, initialDirection: Vec3,
    localField: Vec3, initialLocalPitch: Double, momentum: Double = 1
  ) {
    self.id = id; self.time = time; self.position = position; self.displacement = displacement
    self.direction = direction; self.initialDirection = initialDirection; self.localField = localField
    self.initialLocalPitch = initialLocalPitch
    self.momentum = momentum
  }

  /// μ = v·ẑ/|v| against the global B₀.
  @inlinable public var pitch: Double { direction.z }
  /// μ₀ against B₀.
  @inlinable public var initialPitch: Double { initialDirection.z }
  /// μ against the local field b(x).
  @inlinable public var localPitch: Double { direction.dot(localField) / localField.length }
}

/// A small mergeable value that records particles at sample rows (docs/design.md §3.9). Row 0 is t = 0;
/// row k + 1 is the k-th scheduled sample. The runner keeps one observer per particle group
/// (consecutive IDs), feeds each group's particles in ID order, and merges groups in group order,
/// so results do not depend on threads or batch sizes. `merge` must be associative.
public protocol ParticleObserver: Sendable, Codable {
  mutating func record(row: Int, snapshot: ParticleSnapshot)
  mutating func merge(_ other: Self)
}

/// Sums over particles per sample row, globally and per initial-μ bin: everything the
/// estimators of the Diffusion target need, without trajectories. Plain sums (not Welford),
/// so `merge` is elementwise addition and leave-one-group-out is elementwise subtraction.
public struct TransportAccumulator: ParticleObserver, Hashable {
  /// Sums over all particles, per row.
  public enum Global: Int, CaseIterable, Sendable {
    case count, dx, dy, dz, dx2, dy2, dz2, pitch, pitch2, localPitch, localPitch2, perpendicular2
    /// Δp = p/p₀ − 1 and its square (zero in static fields).
    case deltaMomentum, deltaMomentum2
  }
  /// Sums over particles with initial μ₀ in a bin, per row (Δμ = μ(t) − μ₀, global and local).
  public enum Binned: Int, CaseIterable, Sendable {
    case count, deltaPitch, deltaPitch2, deltaLocalPitch, deltaLocalPitch2, dz2, perpendicular2
    /// Δp = p/p₀ − 1 and its square (zero in static fields).
    case deltaMomentum, deltaMomentum2
    /// μ₀, μ₀², μ₀³ (constant in time): where in its bin the particles started.
    case initialPitch, initialPitch2, initialPitch3
  }

  /// Row times in L/c; times[0] = 0.
  public let times: [Double]
  /// Edges of the initial-μ bins (strictly increasing; particles outside are in no bin).
  public let pitchBinEdges: [Double]
  /// rows × (Global.count + bins × Binned.count) sums, row-major.
  public private(set) var sums: [Double]
  /// Rows at which every particle opens a time origin for the velocity-correlation sums
  /// (`TimeOrigins.swift`); row 0 is always the first.
  public let originRows: [Int]
  /// rows × Lag.count sums over (origin, later row) pairs, binned by lag onto the row times.
  public internal(set) var lagSums: [Double]
  /// The origins each particle has passed and not yet closed: id → (Δx, Δy, Δz, v_x, v_y, v_z, t)
  /// per origin. A particle's entry is dropped at the last row, so finished accumulators hold none.
  var openOrigins: [UInt64: [Double]]

  @inlinable public var rowCount: Int { times.count }
  @inlinable public var binCount: Int { max(0, pitchBinEdges.count - 1) }
  @inlinable public var rowWidth: Int { Global.allCases.count + binCount * Binned.allCases.count }

  /// - Parameters:
  ///   - times: row times in L/c, times[0] = 0 (see `EnsembleConfiguration.rowTimes`).
  ///   - pitchBinEdges: initial-μ bin edges (e.g. 21 edges for 20 bins on [−1, 1]); may be empty.
  ///   - originRows: time-origin rows for the TGK sums, strictly increasing, starting at 0
  ///     (`[0]`: the single origin t = 0; see `originRows(times:count:)`).
  public init(times: [Double], pitchBinEdges: [Double], originRows: [Int] = [0]) throws(OrbitError) {
    try OrbitError.require(times.count >= 2 && times[0] == 0, "times", times.count, "need row 0 at t = 0 and at least one sample")
    try OrbitError.require(pitchBinEdges.isEmpty || (pitchBinEdges.count >= 2 && zip(pitchBinEdges, pitchBinEdges.dropFirst()).allSatisfy { $0 < $1 }),
      "pitch_bin_edges", pitchBinEdges, "must be empty or ≥ 2 strictly increasing values")
    try OrbitError.require(originRows.first == 0 && zip(originRows, originRows.dropFirst()).allSatisfy { $0 < $1 } && originRows.last! < times.count - 1,
      "kubo_origins", originRows, "origin rows must start at 0, increase strictly and end before the last row")
    self.times = times
    self.pitchBinEdges = pitchBinEdges
    self.originRows = originRows
    sums = []
    lagSums = [Double](repeating: 0, count: times.count * Lag.allCases.count)
    openOrigins = [:]
    sums = [Double](repeating: 0, count: times.count * rowWidth)
  }

  /// Uniform bins on [−1, 1].
  public static func uniformPitchBins(_ count: Int) -> [Double] {
    (0...count).map { -1 + 2 * Double($0) / Double(count) }
  }

  /// The bin of initial μ₀ (binary search), or nil.
  @inlinable public func bin(ofInitialPitch mu: Double) -> Int? {
    guard binCount > 0, mu >= pitchBinEdges[0], mu < pitchBinEdges[binCount] || (mu == pitchBinEdges[binCount]) else { return nil }
    var lo = 0, hi = binCount
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if mu >= pitchBinEdges[mid] { lo = mid } else { hi = mid }
    }
    return lo
  }

  public mutating func record(row: Int, snapshot s: ParticleSnapshot) {
    let base = row * rowWidth
    let d = s.displacement
    let mu = s.pitch, localMu = s.localPitch
    let perp2 = d.x * d.x + d.y * d.y
    let dp = s.momentum - 1
    let binOffset = bin(ofInitialPitch: s.initialPitch).map { base + Global.allCases.count + $0 * Binned.allCases.count }
    sums.withUnsafeMutableBufferPointer { p in
      p[base + Global.count.rawValue] += 1
      p[base + Global.dx.rawValue] += d.x
      p[base + Global.dy.rawValue] += d.y
      p[base + Global.dz.rawValue] += d.z
      p[base + Global.dx2.rawValue] += d.x * d.x
      p[base + Global.dy2.rawValue] += d.y * d.y
      p[base + Global.dz2.rawValue] += d.z * d.z
      p[base + Global.pitch.rawValue] += mu
      p[base + Global.pitch2.rawValue] += mu * mu
      p[base + Global.localPitch.rawValue] += localMu
      p[base + Global.localPitch2.rawValue] += localMu * localMu
      p[base + Global.perpendicular2.rawValue] += perp2
      p[base + Global.deltaMomentum.rawValue] += dp
      p[base + Global.deltaMomentum2.rawValue] += dp * dp
      if let o = binOffset {
        let dmu = mu - s.initialPitch, dlocal = localMu - s.initialLocalPitch
        p[o + Binned.count.rawValue] += 1
        p[o + Binned.deltaPitch.rawValue] += dmu
        p[o + Binned.deltaPitch2.rawValue] += dmu * dmu
        p[o + Binned.deltaLocalPitch.rawValue] += dlocal
        p[o + Binned.deltaLocalPitch2.rawValue] += dlocal * dlocal
        p[o + Binned.dz2.rawValue] += d.z * d.z
        p[o + Binned.perpendicular2.rawValue] += perp2
        p[o + Binned.deltaMomentum.rawValue] += dp
        p[o + Binned.deltaMomentum2.rawValue] += dp * dp
        p[o + Binned.initialPitch.rawValue] += s.initialPitch
        p[o + Binned.initialPitch2.rawValue] += s.initialPitch * s.initialPitch
        p[o + Binned.initialPitch3.rawValue] += s.initialPitch * s.initialPitch * s.initialPitch
      }
    }
    recordLags(row: row, snapshot: s)
  }

  /// Elementwise addition of another accumulator with the same rows, bins and origins (the open
  /// origins of its particles, which are other particles than ours, are taken over).
  public mutating func merge(_ other: TransportAccumulator) {
    precondition(other.times == times && other.pitchBinEdges == pitchBinEdges && other.originRows == originRows,
      "merging accumulators of different layouts")
    for i in sums.indices { sums[i] += other.sums[i] }
    for i in lagSums.indices { lagSums[i] += other.lagSums[i] }
    openOrigins.merge(other.openOrigins) { mine, _ in mine }
  }

  /// Elementwise difference (leave-one-group-out for jackknife errors); no open origins.
  public func subtracting(_ other: TransportAccumulator) -> TransportAccumulator {
    precondition(other.times == times && other.pitchBinEdges == pitchBinEdges && other.originRows == originRows)
    var result = self
    for i in sums.indices { result.sums[i] -= other.sums[i] }
    for i in lagSums.indices { result.lagSums[i] -= other.lagSums[i] }
    result.openOrigins = [:]
    return result
  }

  private enum CodingKeys: String, CodingKey {
    case times, pitchBinEdges, originRows, sums, lagSums, openOriginIDs, openOriginValues
  }

  /// The sums as raw little-endian doubles (exact, and ~50× faster to encode than a number per
  /// element: a finished block is ~0.2 MB of sums, and checkpoints and MPI gathers carry many).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(times, forKey: .times)
    try c.encode(pitchBinEdges, forKey: .pitchBinEdges)
    try c.encode(originRows, forKey: .originRows)
    try c.encode(Self.bytes(sums), forKey: .sums)
    try c.encode(Self.bytes(lagSums), forKey: .lagSums)
    let ids = openOrigins.keys.sorted()
    try c.encode(ids, forKey: .openOriginIDs)
    try c.encode(Self.bytes(ids.flatMap { openOrigins[$0]! }), forKey: .openOriginValues)
  }

  static func bytes(_ values: [Double]) -> Data {
    var data = Data(count: values.count * 8)
    data.withUnsafeMutableBytes { raw in
      for (i, v) in values.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
    }
    return data
  }

  static func doubles(_ data: Data) throws -> [Double] {
    guard data.count % 8 == 0 else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "sums of a partial double")) }
    return data.withUnsafeBytes { raw in
      (0..<(data.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
    }
  }

  /// Decodes and checks the layout, so a checkpoint from another version is refused, not misread.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    times = try c.decode([Double].self, forKey: .times)
    pitchBinEdges = try c.decode([Double].self, forKey: .pitchBinEdges)
    originRows = try c.decode([Int].self, forKey: .originRows)
    sums = try Self.doubles(try c.decode(Data.self, forKey: .sums))
    lagSums = try Self.doubles(try c.decode(Data.self, forKey: .lagSums))
    let ids = try c.decode([UInt64].self, forKey: .openOriginIDs)
    let values = try Self.doubles(try c.decode(Data.self, forKey: .openOriginValues))
    // Every particle has the same origins open (all are recorded at every row).
    let width = ids.isEmpty ? 0 : values.count / ids.count
    guard width * ids.count == values.count, width % Self.originWidth == 0, Set(ids).count == ids.count else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "open time origins of another layout"))
    }
    openOrigins = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Array(values[($0 * width)..<(($0 + 1) * width)])) })
    guard sums.count == times.count * rowWidth, lagSums.count == times.count * Lag.allCases.count,
      originRows.first == 0, originRows.allSatisfy({ $0 >= 0 && $0 < times.count })
    else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "transport sums of another layout"))
    }
  }

  /// The merge of `parts` in order.
  public static func merged(_ parts: [TransportAccumulator]) -> TransportAccumulator {
    var total = parts[0]
    for part in parts.dropFirst() { total.merge(part) }
    return total
  }

  /// A global sum at `row`.
  @inlinable public func sum(_ q: Global, row: Int) -> Double { sums[row * rowWidth + q.rawValue] }
  /// A per-bin sum at `row`.
  @inlinable public func sum(_ q: Binned, bin: Int, row: Int) -> Double {
    sums[row * rowWidth + Global.allCases.count + bin * Binned.allCases.count + q.rawValue]
  }
  /// A global mean at `row` (sum / count).
  @inlinable public func mean(_ q: Global, row: Int) -> Double { sum(q, row: row) / sum(.count, row: row) }
  /// A per-bin mean at `row`.
  @inlinable public func mean(_ q: Binned, bin: Int, row: Int) -> Double {
    sum(q, bin: bin, row: row) / sum(.count, bin: bin, row: row)
  }
}

/// Full trajectories (position and direction at every row) for a chosen set of particle IDs.
public struct TrajectoryRecorder: ParticleObserver, Hashable {
  public struct Point: Sendable, Hashable, Codable {
    public var id: UInt64
    public var row: Int
    public var time: Double
    public var position: Vec3
    public var direction: Vec3
  }
  /// IDs to record.
  public let selected: Set<UInt64>
  /// Recorded points, in record order within a group; merged in group order.
  public private(set) var points: [Point] = []

  public init(selected: Set<UInt64>) { self.selected = selected }

  public mutating func record(row: Int, snapshot s: ParticleSnapshot) {
    guard selected.contains(s.id) else { return }
    points.append(Point(id: s.id, row: row, time: s.time, position: s.position, direction: s.direction))
  }
  public mutating func merge(_ other: TrajectoryRecorder) { points += other.points }

  /// The points of particles `ids` only, in their order (the same selection): a block's share
  /// of an ensemble's merged recorder.
  public func restricted(to ids: Range<UInt64>) -> TrajectoryRecorder {
    var out = TrajectoryRecorder(selected: selected)
    out.points = points.filter { ids.contains($0.id) }
    return out
  }

  /// The trajectory of one particle, ordered by row.
  public func trajectory(of id: UInt64) -> [Point] {
    points.filter { $0.id == id }.sorted { $0.row < $1.row }
  }
}

/// Two observers fed the same snapshots.
public struct ObserverPair<First: ParticleObserver, Second: ParticleObserver>: ParticleObserver {
  public var first: First
  public var second: Second
  public init(_ first: First, _ second: Second) { self.first = first; self.second = second }
  public mutating func record(row: Int, snapshot: ParticleSnapshot) {
    first.record(row: row, snapshot: snapshot)
    second.record(row: row, snapshot: snapshot)
  }
  public mutating func merge(_ other: Self) {
    first.merge(other.first)
    second.merge(other.second)
  }
}
