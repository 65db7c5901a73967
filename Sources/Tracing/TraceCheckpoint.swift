import Foundation
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
  }

  public struct CurrentPart: Codable, Sendable {
    public var realization: Int
    public var rigidityIndex: Int
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

  /// The checkpoint as bytes (binary property list).
  public func encoded() throws -> Data {
    let encoder = PropertyListEncoder()
    encoder.outputFormat = .binary
    return try encoder.encode(self)
  }

  /// A checkpoint from `encoded()` bytes; nil if they are not one (truncated, or written by
  /// another version whose layout differs).
  public static func decode(_ data: Data) -> TraceCheckpoint? {
    try? PropertyListDecoder().decode(TraceCheckpoint.self, from: data)
  }
}
