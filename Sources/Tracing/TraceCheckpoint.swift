import Foundation
import LarmorCore
import Orbits

/// The observer every traced particle feeds: transport sums, plus full orbits for chosen IDs.
public typealias TraceObserver = ObserverPair<TransportAccumulator, TrajectoryRecorder>

/// Everything a killed run needs to continue to the same result: the finished
/// (realization, rigidity) accumulators and the state of the one in progress.
///
/// `encoded()` is a binary property list: doubles are stored as their 8 bytes, so a resumed run
/// continues from exactly the same state (a decimal round trip would perturb chaotic orbits).
public struct TraceCheckpoint: Codable, Sendable {
  /// What the run is (e.g. the run spec's text and its field spec's text): a checkpoint resumes
  /// only the run it belongs to (`Tracer.run` refuses another).
  public var specText: String
  public var fieldText: String
  /// The settings it was made with.
  public var settings: TraceSettings
  /// Finished work: accumulator groups per (realization, rigidity index).
  public var finished: [FinishedPart]
  /// The part in progress, if any.
  public var current: CurrentPart?

  /// One (realization, rigidity) ensemble over blocks `firstBlock ..< firstBlock + groups.count`.
  public struct FinishedPart: Codable, Sendable {
    public var realization: Int
    public var rigidityIndex: Int
    public var firstBlock: Int
    /// One accumulator per block (its observer groups merged in group order).
    public var groups: [TransportAccumulator]
    public var orbits: TrajectoryRecorder
    /// Particle-steps, and the integration wall time (s) it took.
    public var steps: Int
    public var seconds: Double
    /// The realization's grid (counts, box in L) and δB/B₀.
    public var gridCounts: [Int]
    public var boxSize: [Double]
    public var turbulenceLevel: Double

    /// The part as one part per block: each block's accumulator, its particles' orbits, and its
    /// share of the particle-steps (every particle takes the same steps) and of the wall time.
    public func perBlock(settings: TraceSettings) -> [FinishedPart] {
      guard groups.count > 1 else { return [self] }
      let all = settings.particleIDs(ofBlocks: firstBlock..<(firstBlock + groups.count))
      let stepsPerParticle = steps / max(1, Int(all.count))
      return groups.indices.map { g in
        let ids = settings.particleIDs(ofBlocks: (firstBlock + g)..<(firstBlock + g + 1))
        var part = self
        part.firstBlock = firstBlock + g
        part.groups = [groups[g]]
        part.orbits = orbits.restricted(to: ids)
        part.steps = stepsPerParticle * Int(ids.count)
        part.seconds = seconds * Double(ids.count) / Double(max(1, all.count))
        return part
      }
    }
  }

  public struct CurrentPart: Codable, Sendable {
    public var realization: Int
    public var rigidityIndex: Int
    /// The blocks it integrates, `firstBlock ..< firstBlock + blockCount`; nil (checkpoints
    /// before resumes across rank counts): the process's whole share of the realization.
    public var firstBlock: Int?
    public var blockCount: Int?
    public var state: EnsembleState<TraceObserver>
    /// Integration wall time spent on it so far (s).
    public var seconds: Double
  }

  public init(specText: String, fieldText: String, settings: TraceSettings) {
    self.specText = specText
    self.fieldText = fieldText
    self.settings = settings
    finished = []
    current = nil
  }

  /// The finished work of checkpoints made with other shares of the same run (another number of
  /// MPI ranks or shards, or none), as a checkpoint of share `settings.shard`: every finished
  /// part split into its blocks, each block once, those of this share only. Parts in progress
  /// are dropped (their blocks are integrated again, to the same numbers).
  /// - Throws: `TraceError` if a checkpoint's settings differ from `settings` other than in the share.
  public static func regrouped(_ checkpoints: [TraceCheckpoint], settings: TraceSettings, identity: (spec: String, field: String)) throws
    -> TraceCheckpoint
  {
    var out = TraceCheckpoint(specText: identity.spec, fieldText: identity.field, settings: settings)
    let mine = Set(settings.assignedBlocks.flatMap { a in a.blocks.map { [a.realization, $0] } })
    var seen = Set<[Int]>()
    for c in checkpoints {
      var other = c.settings
      other.shard = settings.shard
      guard other == settings else { throw TraceError("a checkpoint of this job was made with other trace settings") }
      for part in c.finished {
        for block in part.perBlock(settings: settings) where mine.contains([block.realization, block.firstBlock]) {
          if seen.insert([block.realization, block.rigidityIndex, block.firstBlock]).inserted { out.finished.append(block) }
        }
      }
    }
    out.finished.sort { ($0.realization, $0.rigidityIndex, $0.firstBlock) < ($1.realization, $1.rigidityIndex, $1.firstBlock) }
    return out
  }

  /// The checkpoint as bytes: a binary property list followed by a 16-byte trailer, its
  /// `Checksum64` (8 bytes, little-endian) and the tag `trailerTag`.
  public func encoded() throws -> Data {
    let encoder = PropertyListEncoder()
    encoder.outputFormat = .binary
    var data = try encoder.encode(self)
    withUnsafeBytes(of: Checksum64(data).value.littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: Array(Self.trailerTag.utf8))
    return data
  }

  /// The last 8 bytes of every checkpoint (format 1).
  public static let trailerTag = "LMRCKPT1"

  /// Why bytes are not a usable checkpoint.
  public enum DecodingProblem: Error, Sendable, CustomStringConvertible {
    /// No trailer: not a checkpoint of this format (another file, another version, or cut short).
    case notACheckpoint
    /// The trailer's checksum disagrees with the contents: the file was altered or damaged.
    case checksumMismatch(stored: String, computed: String)
    /// The checksum holds but the contents do not decode (a layout of another version).
    case unreadable

    public var description: String {
      switch self {
      case .notACheckpoint: "not a larmor checkpoint of this version (no trailer: another file, another version, or cut short)"
      case .checksumMismatch(let stored, let computed): "corrupt: its checksum is \(computed), the checkpoint says \(stored)"
      case .unreadable: "unreadable (its layout is another version's)"
      }
    }
  }

  /// The checkpoint in `encoded()` bytes, after checking their trailer and checksum.
  public static func decoded(_ data: Data) -> Result<TraceCheckpoint, DecodingProblem> {
    let tag = Array(trailerTag.utf8)
    guard data.count > 16, Array(data.suffix(8)) == tag else { return .failure(.notACheckpoint) }
    let body = data.prefix(data.count - 16)
    var stored: UInt64 = 0
    for (i, byte) in data.dropFirst(data.count - 16).prefix(8).enumerated() { stored |= UInt64(byte) << (8 * i) }
    let computed = Checksum64(Data(body))
    guard computed.value == stored else {
      return .failure(.checksumMismatch(stored: Checksum64.hexadecimal(stored), computed: computed.description))
    }
    guard let checkpoint = try? PropertyListDecoder().decode(TraceCheckpoint.self, from: Data(body)) else { return .failure(.unreadable) }
    return .success(checkpoint)
  }

  /// `decoded(_:)` without the reason; nil if the bytes are not a valid checkpoint.
  public static func decode(_ data: Data) -> TraceCheckpoint? {
    try? decoded(data).get()
  }
}
