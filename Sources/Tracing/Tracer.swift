import Foundation
import LarmorCore
import Orbits

/// What a running trace reports: a realization's field is ready, or integration progressed.
public enum TraceEvent: Sendable {
  /// Realization `realization` (0-based) has its field, built in `seconds`.
  case fieldReady(realization: Int, description: String, seconds: Double)
  /// Ensemble (realization, rigidity R = r_L/L) reached time t (L/c); `fractionDone` of this
  /// process's share is done, `elapsed` wall seconds since it started.
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
    try require(settings.kuboOrigins >= 1, "kubo origins must be ≥ 1, got \(settings.kuboOrigins)")
    try require(settings.pitchBins >= 1, "pitch bins must be ≥ 1, got \(settings.pitchBins)")
    if let shard = settings.shard {
      let units = settings.workUnits.count
      try require(shard.count >= 1 && shard.count <= units,
                  "shard count must lie in 1…\(units) (realizations × particle blocks = \(settings.realizations) × \(settings.blocks.count)), got \(shard.count)")
      try require(shard.index >= 0 && shard.index < shard.count, "shard index must lie in 0…\(shard.count - 1), got \(shard.index)")
    }
    self.settings = settings
    self.threads = threads
  }

  /// The ensemble layout of one rigidity in `geometry` for particles `ids` (a block range): pusher
  /// from the step rule, sample schedule, batches and groups.
  public func configuration(
    rigidity: Double, geometry: GridGeometry, turbulenceLevel: Double, maximumFrequency: Double = 0, ids: Range<UInt64>
  ) throws -> EnsembleConfiguration {
    let s = settings
    let counts = geometry.counts
    let cell = [0, 1, 2].filter { counts[$0] > 1 }.map { geometry.cellSize[$0] }.min()
    let rule = StepRule(
      turbulenceLevel: turbulenceLevel, cellSize: cell, phasePerStep: s.phasePerStep, cellFraction: s.cellFraction,
      maximumFrequency: maximumFrequency)
    let pusher = try rule.pusher(reducedRigidity: rigidity, rotation: s.rotation)
    let first = s.firstSample ?? min(2 * .pi * rigidity / 10, s.duration / 10)
    var schedule = try SampleSchedule.logarithmic(from: first, to: s.duration, count: s.sampleCount)
    if s.linearSampleCount > 0 { schedule = schedule.union(try SampleSchedule.linear(until: s.duration, count: s.linearSampleCount)) }
    let groupSize = s.groupSize
    let batchSize = groupSize * max(1, 256 / groupSize)
    return try EnsembleConfiguration(
      pusher: pusher, schedule: schedule, particleCount: Int(ids.count), batchSize: batchSize, groupSize: groupSize,
      firstParticleID: ids.lowerBound)
  }

  /// Thrown when `stopAfterSamples` is reached (the checkpoint has been handed to the sink).
  public struct Interrupted: Error, Sendable {}

  /// Runs the whole run (or, with a shard, all of its share) and returns the outcome.
  /// A shard's outcome covers only its units; combine shards with `outcome(settings:parts:)`.
  public func run(
    fields: (Int) throws -> RealizationField, resume: TraceCheckpoint? = nil, identity: (spec: String, field: String) = ("", ""),
    checkpoint sink: ((TraceCheckpoint) throws -> Void)? = nil, events: (TraceEvent) -> Void = { _ in }
  ) async throws -> TraceOutcome {
    let done = try await integrate(fields: fields, resume: resume, identity: identity, checkpoint: sink, events: events)
    return try Self.outcome(settings: settings, parts: done.finished, requireAll: settings.shard == nil)
  }

  /// Integrates every assigned (realization, rigidity) part not finished in `resume` and returns
  /// the checkpoint with all of them finished.
  /// - Parameters:
  ///   - fields: the field of realization r (0-based); called once per realization with work left.
  ///   - resume: a checkpoint of this run to continue, or nil. Its settings must equal these.
  ///   - identity: (spec text, field text) stored in new checkpoints.
  ///   - checkpoint: receives the checkpoint every `checkpointSeconds`, after every finished part
  ///     and on interruption; nil for no checkpoints.
  ///   - events: progress reports (about every 2 s and at the end of each part).
  public func integrate(
    fields: (Int) throws -> RealizationField, resume: TraceCheckpoint? = nil, identity: (spec: String, field: String) = ("", ""),
    checkpoint sink: ((TraceCheckpoint) throws -> Void)? = nil, events: (TraceEvent) -> Void = { _ in }
  ) async throws -> TraceCheckpoint {
    if let resume, resume.settings != settings {
      throw TraceError("the checkpoint was made with other trace settings; it cannot be resumed by this run")
    }
    let s = settings
    var checkpoint = resume ?? TraceCheckpoint(specText: identity.spec, fieldText: identity.field, settings: s)
    var lastCheckpoint = Date()
    let assigned = s.assignedBlocks
    let parts = assigned.count * s.rigidities.count
    let runStart = Date()
    var lastProgress = Date.distantPast
    var samplesThisProcess = 0

    for (r, blocks) in assigned {
      // Per rigidity, the runs of this share's blocks that no finished part holds (a checkpoint
      // regrouped from another share may hold some blocks of a realization and not others).
      let pending: [(i: Int, blocks: Range<Int>)] = s.rigidities.indices.flatMap { i in
        Self.missingRuns(of: blocks, finished: checkpoint.finished.filter { $0.realization == r && $0.rigidityIndex == i }).map { (i, $0) }
      }
      if pending.isEmpty { continue }
      let start = Date()
      let realization = try fields(r)
      let field = realization.field.preparedForTracing()
      events(.fieldReady(realization: r, description: realization.description, seconds: Date().timeIntervalSince(start)))
      let level = realization.turbulenceLevel
      for (i, run) in pending {
        let ids = s.particleIDs(ofBlocks: run)
        let rigidity = s.rigidities[i]
        let configuration = try configuration(
          rigidity: rigidity, geometry: field.geometry, turbulenceLevel: level, maximumFrequency: field.maximumFrequency, ids: ids)
        let initial = try InitialConditions(
          seed: s.particleSeed &+ UInt64(r), boxSize: field.geometry.boxSize,
          directions: s.initialPitches.map { .pitchCosines($0) } ?? .isotropic)
        let edges = TransportAccumulator.uniformPitchBins(s.pitchBins)
        let saved = UInt64(min(s.savedOrbits, s.particleCount))
        let selected = r == 0 ? Set(0..<saved) : []  // the whole run's choice: shards record their share of it
        var state: EnsembleState<TraceObserver>
        var seconds = 0.0
        if let current = checkpoint.current, current.realization == r, current.rigidityIndex == i,
          current.firstBlock.map({ $0 == run.lowerBound && current.blockCount == run.count }) ?? (run == blocks)
        {
          state = current.state
          seconds = current.seconds
        } else {
          let observer = TraceObserver(
            try TransportAccumulator(
              times: configuration.rowTimes, pitchBinEdges: edges,
              originRows: TransportAccumulator.originRows(times: configuration.rowTimes, count: s.kuboOrigins)),
            TrajectoryRecorder(selected: selected))
          state = field.makeState(configuration: configuration, initialConditions: initial, observer: observer)
        }
        let part = checkpoint.finished.filter { f in assigned.contains { $0.realization == f.realization } }.count + 1
        while !state.isFinished {
          let start = Date()
          try await field.run(&state, throughSample: state.completedSamples + 1, threads: threads)
          seconds += Date().timeIntervalSince(start)
          samplesThisProcess += 1
          if let stop = stopAfterSamples, samplesThisProcess >= stop, !state.isFinished, let sink {
            checkpoint.current = .init(
              realization: r, rigidityIndex: i, firstBlock: run.lowerBound, blockCount: run.count, state: state, seconds: seconds)
            try sink(checkpoint)
            throw Interrupted()
          }
          let now = Date()
          if now.timeIntervalSince(lastProgress) > 2 || state.isFinished {
            lastProgress = now
            let done = min(1, (Double(part - 1) + state.time / s.duration) / Double(parts))
            events(.progress(realization: r, rigidity: rigidity, time: state.time, fractionDone: done, elapsed: now.timeIntervalSince(runStart)))
          }
          if let sink, now.timeIntervalSince(lastCheckpoint) >= s.checkpointSeconds, !state.isFinished {
            checkpoint.current = .init(
              realization: r, rigidityIndex: i, firstBlock: run.lowerBound, blockCount: run.count, state: state, seconds: seconds)
            try sink(checkpoint)
            lastCheckpoint = now
          }
        }
        // One accumulator per block: the block's observer groups merged in group order.
        let perGroup = state.observers(inGroupsOf: 1)
        let firstGroup = Int(ids.lowerBound) / s.groupSize
        let layout = s.blocks
        let groups = run.map { b in
          let g = layout[b]
          return TransportAccumulator.merged(perGroup[(g.lowerBound - firstGroup)..<(g.upperBound - firstGroup)].map(\.first))
        }
        let steps = configuration.particleCount * (configuration.sampleSteps.last ?? 0)
        let geometry = field.geometry
        checkpoint.finished.append(.init(
          realization: r, rigidityIndex: i, firstBlock: run.lowerBound, groups: groups, orbits: state.mergedObserver().second,
          steps: steps, seconds: seconds, gridCounts: [geometry.counts.x, geometry.counts.y, geometry.counts.z],
          boxSize: [geometry.boxSize.x, geometry.boxSize.y, geometry.boxSize.z], turbulenceLevel: level))
        checkpoint.current = nil
        if let sink {
          try sink(checkpoint)
          lastCheckpoint = Date()
        }
      }
    }
    return checkpoint
  }

  /// The contiguous runs of `blocks` that none of `finished` covers, in block order.
  static func missingRuns(of blocks: Range<Int>, finished: [TraceCheckpoint.FinishedPart]) -> [Range<Int>] {
    let done = Set(finished.flatMap { $0.firstBlock..<($0.firstBlock + $0.groups.count) })
    var runs: [Range<Int>] = []
    for b in blocks where !done.contains(b) {
      if let last = runs.last, last.upperBound == b { runs[runs.count - 1] = last.lowerBound..<(b + 1) } else { runs.append(b..<(b + 1)) }
    }
    return runs
  }

  /// The outcome of finished parts (of one process, or of every shard): per rigidity, one group
  /// per realization (its blocks merged in block order) or, with a single realization, the
  /// blocks themselves. Parts combine in (realization, block) order whatever order they come
  /// in, so shards give exactly the numbers of a single run.
  /// - Parameter requireAll: refuse unless every (realization, rigidity, block) is present once.
  public static func outcome(settings s: TraceSettings, parts: [TraceCheckpoint.FinishedPart], requireAll: Bool = true) throws
    -> TraceOutcome
  {
    let blockCount = s.blocks.count
    var seen = Set<[Int]>()
    for p in parts {
      for b in p.firstBlock..<(p.firstBlock + p.groups.count) {
        guard seen.insert([p.realization, p.rigidityIndex, b]).inserted else {
          throw TraceError("realization \(p.realization + 1), rigidity \(s.rigidities[p.rigidityIndex]), particle block \(b + 1) appears twice")
        }
      }
    }
    if requireAll {
      for r in 0..<s.realizations {
        for i in s.rigidities.indices {
          for b in 0..<blockCount where !seen.contains([r, i, b]) {
            throw TraceError("realization \(r + 1), rigidity \(s.rigidities[i]), particle block \(b + 1) of \(blockCount) is missing")
          }
        }
      }
    }
    var groups: [[TransportAccumulator]] = []
    var orbits: [TrajectoryRecorder] = []
    for i in s.rigidities.indices {
      let mine = parts.filter { $0.rigidityIndex == i }.sorted { ($0.realization, $0.firstBlock) < ($1.realization, $1.firstBlock) }
      let realizations = Array(Set(mine.map(\.realization))).sorted()
      let blocksOf = { (r: Int) in mine.filter { $0.realization == r }.flatMap(\.groups) }
      groups.append(s.realizations > 1 ? realizations.map { TransportAccumulator.merged(blocksOf($0)) } : realizations.flatMap(blocksOf))
      let first = mine.filter { $0.realization == realizations.first }
      orbits.append(first.dropFirst().reduce(first.first?.orbits ?? TrajectoryRecorder(selected: [])) { var o = $0; o.merge($1.orbits); return o })
    }
    guard let last = parts.max(by: { ($0.realization, $0.rigidityIndex) < ($1.realization, $1.rigidityIndex) }) else {
      throw TraceError("no field realization was run")
    }
    let geometry = GridGeometry(
      counts: SIMD3(last.gridCounts[0], last.gridCounts[1], last.gridCounts[2]), boxSize: Vec3(last.boxSize[0], last.boxSize[1], last.boxSize[2]))
    return TraceOutcome(
      groups: groups, orbits: orbits, steps: parts.reduce(0) { $0 + $1.steps }, seconds: parts.reduce(0) { $0 + $1.seconds },
      geometry: geometry, turbulenceLevel: last.turbulenceLevel,
      errorsFrom: s.realizations > 1
        ? "scatter of \(s.realizations) field realizations (jackknife)"
        : blockCount > 1
          ? "scatter of \(blockCount) particle groups in one field realization (jackknife; omits field-to-field variance)"
          : "one group of \(s.particleCount) particles in one field realization (no error estimate)")
  }
}
