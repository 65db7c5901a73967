import Foundation

/// Times (L/c) at which observers record: log-spaced, linear or a union of both.
///
/// Integration uses a fixed Δt, so a schedule is realized as cumulative step counts
/// n_k = round(t_k/Δt) (at least 1, duplicates removed); the realized times n_k Δt are what
/// accumulators store and estimators use.
public struct SampleSchedule: Sendable, Hashable, Codable {
  /// Requested sample times in L/c, strictly increasing, finite, > 0.
  public let times: [Double]

  public init(times: [Double]) throws(OrbitError) {
    try OrbitError.require(!times.isEmpty, "sample_times", times, "the schedule must contain at least one time")
    try OrbitError.require(times.allSatisfy { $0.isFinite && $0 > 0 }, "sample_times", times, "every time must be finite and > 0 (in L/c)")
    try OrbitError.require(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "sample_times", times, "times must be strictly increasing")
    self.times = times
  }

  /// `count` times log-spaced from `start` to `end` (inclusive), in L/c.
  public static func logarithmic(from start: Double, to end: Double, count: Int) throws(OrbitError) -> SampleSchedule {
    try OrbitError.require(start.isFinite && start > 0, "sample_start", start, "must be finite and > 0 (in L/c)")
    try OrbitError.require(end.isFinite && end > start, "duration", end, "must be finite and > the first sample time \(start)")
    try OrbitError.require(count >= 2, "sample_count", count, "must be ≥ 2 for a log-spaced schedule")
    let logStart = log(start), logEnd = log(end)
    var times = (0..<count).map { exp(logStart + (logEnd - logStart) * Double($0) / Double(count - 1)) }
    times[count - 1] = end
    return try SampleSchedule(times: times)
  }

  /// `count` equally spaced times ending at `end`: end/count, 2 end/count, …, end (L/c).
  public static func linear(until end: Double, count: Int) throws(OrbitError) -> SampleSchedule {
    try OrbitError.require(end.isFinite && end > 0, "duration", end, "must be finite and > 0 (in L/c)")
    try OrbitError.require(count >= 1, "sample_count", count, "must be ≥ 1")
    return try SampleSchedule(times: (1...count).map { end * Double($0) / Double(count) })
  }

  /// The sorted union of two schedules (times closer than 1e-12 relative merged).
  public func union(_ other: SampleSchedule) -> SampleSchedule {
    var merged: [Double] = []
    for t in (times + other.times).sorted() {
      if let last = merged.last, abs(t - last) <= 1e-12 * t { continue }
      merged.append(t)
    }
    return SampleSchedule(uncheckedTimes: merged)
  }

  private init(uncheckedTimes: [Double]) { times = uncheckedTimes }

  /// Cumulative step counts for step Δt: round(t/Δt), ≥ 1, strictly increasing.
  public func stepCounts(timeStep: Double) throws(OrbitError) -> [Int] {
    try OrbitError.require(timeStep.isFinite && timeStep > 0, "time_step", timeStep, "must be finite and > 0 (in L/c)")
    var steps: [Int] = []
    for t in times {
      let ratio = (t / timeStep).rounded()
      try OrbitError.require(ratio < 1e15, "sample_times", t, "needs fewer than 1e15 steps of \(timeStep)")
      let n = max(1, Int(ratio))
      if let last = steps.last, n <= last { continue }
      steps.append(n)
    }
    return steps
  }
}

