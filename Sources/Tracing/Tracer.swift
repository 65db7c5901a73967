import Foundation
import LarmorCore
import Orbits

/// What a running trace reports: a realization's field is ready, or integration progressed.
public enum TraceEvent: Sendable {
  /// Realization `realization` (0-based) has its field, built in `seconds`.
  case fieldReady(realization: Int, description: String, seconds: Double)
  /// Ensemble (realization, rigidity) reached time t; `fractionDone` of the whole run is done,
  /// `elapsed` wall seconds since the run started (in this process).
  case progress(realization: Int, rigidity: Double, time: Double, fractionDone: Double, elapsed: Double)
}

/// The accumulators of a finished run, per rigidity, and its bookkeeping.
public struct TraceOutcome: Sendable {
  /// Accumulator groups per rigidity index: one per realization, or `Tracer.particleGroups`
  /// particle groups when there is a single realization.
  public var groups: [[TransportAccumulator]]
  public var orbits: [TrajectoryRecorder]
  /// Particle-steps integrated (all parts, including those finished before a resume).
  public var steps: Int
  /// Integration wall time in this process (s).
  public var seconds: Double
  public var geometry: GridGeometry
  public var turbulenceLevel: Double
  /// Where the errors come from, in words.
  public var errorsFrom: String
}

/// Runs the ensembles of `TraceSettings`: for each field realization and rigidity, integrates
/// sample by sample, reports progress, checkpoints on a wall-clock cadence, and returns the
/// accumulators per part.
///
/// The library form of `larmor trace`: the CLI, a Python binding or an MPI rank give it the
/// fields (`fields(r)`, e.g. `RealizationField.synthesized` or a file reader) and a checkpoint
/// sink, and get the same numbers. Results are bitwise independent of `threads`; a run resumed
/// from a checkpoint equals an uninterrupted one.
public struct Tracer: Sendable {
  public let settings: TraceSettings
  public let threads: Int
  /// Stop (after handing the checkpoint to the sink) once this many samples were integrated in
  /// this process: a killed run, for tests.
  public var stopAfterSamples: Int?

  /// Groups of particles used for errors when there is only one realization.
  public static let particleGroups = 8

  public init(settings: TraceSettings, threads: Int) throws(TraceError) {
    func require(_ ok: Bool, _ message: @autoclosure () -> String) throws(TraceError) {
      if !ok { throw TraceError(message()) }
    }
    try require(threads >= 1, "threads must be ≥ 1, got \(threads)")
    try require(settings.realizations >= 1, "realizations must be ≥ 1, got \(settings.realizations)")
    try require(!settings.rigidities.isEmpty && settings.rigidities.allSatisfy { $0 > 0 && $0.isFinite },
                "rigidities must be positive and finite, got \(settings.rigidities)")
    try require(settings.particleCount >= 1, "particle count must be ≥ 1, got \(settings.particleCount)")
    let ids = settings.tracedIDs
    try require(!ids.isEmpty && ids.upperBound <= UInt64(settings.particleCount),
                "particle IDs \(ids) must be a non-empty part of 0..<\(settings.particleCount)")
    try require(ids.lowerBound % UInt64(settings.groupSize) == 0,
                "particle IDs must start at a multiple of the group size \(settings.groupSize), got \(ids.lowerBound)")
    try require(settings.kuboOrigins >= 1, "kubo origins must be ≥ 1, got \(settings.kuboOrigins)")
    try require(settings.pitchBins >= 1, "pitch bins must be ≥ 1, got \(settings.pitchBins)")
    self.settings = settings
    self.threads = threads
  }

  /// The ensemble layout of one rigidity in `geometry`: pusher from the step rule, sample
  /// schedule, batches and groups.
  public func configuration(rigidity: Double, geometry: GridGeometry, turbulenceLevel: Double) throws -> EnsembleConfiguration {
    let s = settings
    let counts = geometry.counts
    let cell = [0, 1, 2].filter { counts[$0] > 1 }.map { geometry.cellSize[$0] }.min()
    let rule = StepRule(turbulenceLevel: turbulenceLevel, cellSize: cell, phasePerStep: s.phasePerStep, cellFraction: s.cellFraction)
    let pusher = try rule.pusher(reducedRigidity: rigidity, rotation: s.rotation)
    let first = s.firstSample ?? min(2 * .pi * rigidity / 10, s.duration / 10)
    var schedule = try SampleSchedule.logarithmic(from: first, to: s.duration, count: s.sampleCount)
    if s.linearSampleCount > 0 { schedule = schedule.union(try SampleSchedule.linear(until: s.duration, count: s.linearSampleCount)) }
    let groupSize = s.groupSize
    let batchSize = groupSize * max(1, 256 / groupSize)
    let ids = s.tracedIDs
    return try EnsembleConfiguration(
      pusher: pusher, schedule: schedule, particleCount: Int(ids.count), batchSize: batchSize, groupSize: groupSize,
      firstParticleID: ids.lowerBound)
  }

  /// Thrown when `stopAfterSamples` is reached (the checkpoint has been handed to the sink).
  public struct Interrupted: Error, Sendable {}

  /// Runs every (realization, rigidity) part not finished in `resume`.
  /// - Parameters:
  ///   - fields: the field of realization r (0-based); called once per realization with work left.
  ///   - resume: a checkpoint of this run to continue, or nil. Its settings must equal these.
  ///   - identity: (spec text, field text) stored in new checkpoints.
  ///   - checkpoint: receives the checkpoint every `checkpointSeconds`, after every finished part
  ///     and on interruption; nil for no checkpoints.
  ///   - events: progress reports (about every 2 s and at the end of each part).
  public func run(
    fields: (Int) throws -> RealizationField, resume: TraceCheckpoint? = nil, identity: (spec: String, field: String) = ("", ""),
    checkpoint sink: ((TraceCheckpoint) throws -> Void)? = nil, events: (TraceEvent) -> Void = { _ in }
  ) async throws -> TraceOutcome {
    if let resume, resume.settings != settings {
      throw TraceError("the checkpoint was made with other trace settings; it cannot be resumed by this run")
    }
    let s = settings
    var checkpoint = resume ?? TraceCheckpoint(specText: identity.spec, fieldText: identity.field, settings: s)
    var lastCheckpoint = Date()
    var integrationSeconds = 0.0
    let parts = s.realizations * s.rigidities.count
    var geometry: GridGeometry?
    var level = 0.0
    let runStart = Date()
    var lastProgress = Date.distantPast
    var samplesThisProcess = 0
    let ids = s.tracedIDs

    for r in 0..<s.realizations {
      let pending = s.rigidities.indices.filter { i in !checkpoint.finished.contains { $0.realization == r && $0.rigidityIndex == i } }
      if pending.isEmpty && geometry != nil { continue }
      let start = Date()
      let realization = try fields(r)
      let field = realization.field.preparedForTracing()
      events(.fieldReady(realization: r, description: realization.description, seconds: Date().timeIntervalSince(start)))
      geometry = field.geometry
      level = realization.turbulenceLevel
      for i in pending {
        let rigidity = s.rigidities[i]
        let configuration = try configuration(rigidity: rigidity, geometry: field.geometry, turbulenceLevel: level)
        let initial = try InitialConditions(
          seed: s.particleSeed &+ UInt64(r), boxSize: field.geometry.boxSize,
          directions: s.initialPitches.map { .pitchCosines($0) } ?? .isotropic)
        let edges = TransportAccumulator.uniformPitchBins(s.pitchBins)
        let saved = UInt64(min(s.savedOrbits, s.particleCount))
        let selected = r == 0 ? Set((ids.lowerBound..<max(ids.lowerBound, min(saved, ids.upperBound)))) : []
        var state: EnsembleState<TraceObserver>
        if let current = checkpoint.current, current.realization == r, current.rigidityIndex == i {
          state = current.state
        } else {
          let observer = TraceObserver(
            try TransportAccumulator(
              times: configuration.rowTimes, pitchBinEdges: edges,
              originRows: TransportAccumulator.originRows(times: configuration.rowTimes, count: s.kuboOrigins)),
            TrajectoryRecorder(selected: selected))
          state = field.makeState(configuration: configuration, initialConditions: initial, observer: observer)
        }
        let part = checkpoint.finished.count + 1
        while !state.isFinished {
          let start = Date()
          try await field.run(&state, throughSample: state.completedSamples + 1, threads: threads)
          integrationSeconds += Date().timeIntervalSince(start)
          samplesThisProcess += 1
          if let stop = stopAfterSamples, samplesThisProcess >= stop, !state.isFinished, let sink {
            checkpoint.current = .init(realization: r, rigidityIndex: i, state: state)
            try sink(checkpoint)
            throw Interrupted()
          }
          let now = Date()
          if now.timeIntervalSince(lastProgress) > 2 || state.isFinished {
            lastProgress = now
            let done = (Double(part - 1) + state.time / s.duration) / Double(parts)
            events(.progress(realization: r, rigidity: rigidity, time: state.time, fractionDone: done, elapsed: now.timeIntervalSince(runStart)))
          }
          if let sink, now.timeIntervalSince(lastCheckpoint) >= s.checkpointSeconds, !state.isFinished {
            checkpoint.current = .init(realization: r, rigidityIndex: i, state: state)
            try sink(checkpoint)
            lastCheckpoint = now
          }
        }
        let perGroup = state.observers(inGroupsOf: 1)
        let groups = perGroup.count >= Self.particleGroups ? Self.regroup(perGroup.map(\.first), into: Self.particleGroups) : [state.mergedObserver().first]
        let steps = configuration.particleCount * (configuration.sampleSteps.last ?? 0)
        checkpoint.finished.append(.init(realization: r, rigidityIndex: i, groups: groups, orbits: state.mergedObserver().second, steps: steps))
        checkpoint.current = nil
        if let sink {
          try sink(checkpoint)
          lastCheckpoint = Date()
        }
      }
    }

    var groups: [[TransportAccumulator]] = []
    var orbits: [TrajectoryRecorder] = []
    for i in s.rigidities.indices {
      let mine = checkpoint.finished.filter { $0.rigidityIndex == i }.sorted { $0.realization < $1.realization }
      groups.append(s.realizations > 1 ? mine.map { TransportAccumulator.merged($0.groups) } : mine.flatMap(\.groups))
      orbits.append(mine.first?.orbits ?? TrajectoryRecorder(selected: []))
    }
    guard let geometry else { throw TraceError("no field realization was run") }
    return TraceOutcome(
      groups: groups, orbits: orbits, steps: checkpoint.finished.reduce(0) { $0 + $1.steps }, seconds: integrationSeconds,
      geometry: geometry, turbulenceLevel: level,
      errorsFrom: s.realizations > 1
        ? "scatter of \(s.realizations) field realizations (jackknife)"
        : "scatter of \(Self.particleGroups) particle groups in one field realization (jackknife; omits field-to-field variance)")
  }

  /// Merges consecutive per-group accumulators into `count` groups (particle-ID order).
  static func regroup(_ parts: [TransportAccumulator], into count: Int) -> [TransportAccumulator] {
    (0..<count).map { g in
      TransportAccumulator.merged(Array(parts[(parts.count * g / count)..<(parts.count * (g + 1) / count)]))
    }
  }
}
