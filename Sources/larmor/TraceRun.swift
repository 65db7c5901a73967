import Foundation
import LarmorCore
import LarmorIO
import Orbits
import Turbulence

/// The observer every trace particle feeds: transport sums, plus full orbits for chosen ids.
typealias TraceObserver = ObserverPair<TransportAccumulator, TrajectoryRecorder>

/// The field of one realization, as the runner takes it: a static grid field (magnetostatic
/// kernels), or a moving field (`MovingFieldKernel`: electric kicks, momentum changes).
enum TraceField {
  case grid(GridField)
  case traveling(TravelingGridField)
  case planeWaves(PlaneWaveField, GridGeometry)

  var geometry: GridGeometry {
    switch self {
    case .grid(let f): f.geometry
    case .traveling(let f): f.geometry
    case .planeWaves(_, let g): g
    }
  }

  func makeState(configuration: EnsembleConfiguration, initialConditions: InitialConditions, observer: TraceObserver)
    -> EnsembleState<TraceObserver>
  {
    switch self {
    case .grid(let f): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    case .traveling(let f): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    case .planeWaves(let f, _): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    }
  }

  /// Advances `state` through `sample` (each case takes its own overload of `EnsembleRunner.run`).
  func run(_ state: inout EnsembleState<TraceObserver>, throughSample sample: Int, threads: Int) async throws(OrbitError) {
    switch self {
    case .grid(let f): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    case .traveling(let f): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    case .planeWaves(let f, _): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    }
  }
}

/// Everything a killed `larmor trace` needs to continue to the same result: the finished
/// (realization, rigidity) accumulators and the state of the one in progress. Written atomically.
struct TraceCheckpoint: Codable {
  /// The run spec's text and its field spec's text: a checkpoint resumes only the run it belongs to.
  var specText: String
  var fieldText: String
  /// Finished work: accumulator groups per (realization, rigidity index).
  var finished: [FinishedPart]
  /// The part in progress, if any.
  var current: CurrentPart?

  struct FinishedPart: Codable {
    var realization: Int
    var rigidityIndex: Int
    var groups: [TransportAccumulator]
    var orbits: TrajectoryRecorder
    var steps: Int
  }

  struct CurrentPart: Codable {
    var realization: Int
    var rigidityIndex: Int
    var state: EnsembleState<TraceObserver>
  }
}

/// Runs a `RunSpec`: for each field realization and rigidity, integrates the ensemble sample by
/// sample, checkpointing on a wall-clock cadence, and returns the accumulators per part.
struct TraceRun {
  let spec: RunSpec
  let threads: Int
  let checkpointPath: String?
  let savedOrbits: Int
  /// Stop (with the checkpoint written) after this many samples: simulates a killed run in tests.
  var stopAfterSamples: Int? = nil
  let log = StandardError()

  /// Thrown when `stopAfterSamples` is reached.
  struct Interrupted: Error, CustomStringConvertible {
    let checkpointPath: String
    var description: String { "stopped as requested; continue with --resume (checkpoint: \(checkpointPath))" }
  }

  /// Accumulator groups per rigidity index (one group per realization, or particle groups when
  /// there is a single realization) and the bookkeeping the summary reports.
  struct Outcome {
    var groups: [[TransportAccumulator]]
    var orbits: [TrajectoryRecorder]
    var steps: Int
    var seconds: Double
    var geometry: GridGeometry
    var turbulenceLevel: Double
    var errorsFrom: String
  }

  /// Groups of particles used for errors when there is only one realization.
  static let particleGroups = 8

  func fieldText() -> String {
    switch spec.field {
    case .synthesized(_, let text): text
    case .file(let path): "field_file = \(path)"
    }
  }

  /// The field of realization r and its δB/B₀. A field larger than the caches is moved onto huge
  /// pages before tracing (fewer TLB misses; see `GridField.collapseToHugePages`).
  func field(realization r: Int) throws -> (TraceField, Double) {
    let (field, level) = try loadField(realization: r)
    switch field {
    case .grid(let f) where f.benefitsFromPrefetch: f.collapseToHugePages()
    case .traveling(let f): for p in f.patterns where p.fluctuation.benefitsFromPrefetch { p.fluctuation.collapseToHugePages() }
    default: break
    }
    return (field, level)
  }

  private func loadField(realization r: Int) throws -> (TraceField, Double) {
    switch spec.field {
    case .synthesized(let fieldSpec, _):
      let seeded = try fieldSpec.reseeded(fieldSpec.seed &+ UInt64(r))
      let start = Date()
      let field: TraceField
      let kind: String
      switch (seeded.motion, seeded.evaluation) {
      case (nil, _):
        field = .grid(SpectralSynthesis.synthesize(seeded, threads: threads).field)
        kind = "field"
      case (let motion?, .grid):
        field = .traveling(try TravelingGridField.synthesize(seeded, motion: motion, threads: threads))
        kind = "travelling-wave grid patterns"
      case (let motion?, .planeWaves(let waves)):
        let planeWaves = try PlaneWaveField.synthesize(seeded.spectrum, motion: motion, waveCount: waves, seed: seeded.seed)
        field = .planeWaves(planeWaves, seeded.geometry)
        kind = "\(planeWaves.waves.count) plane waves"
      }
      log.print("  realization \(r + 1)/\(spec.realizations): \(kind) synthesized in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
      return (field, fieldSpec.spectrum.turbulenceLevel)
    case .file(let path):
      let contents = try FieldFile.read(path)
      let n = contents.field.geometry.counts
      if let expected = spec.expectedGrid, expected != n {
        throw InputError(
          "\(path): grid \(n.x)×\(n.y)×\(n.z) disagrees with [grid] \(expected.x)×\(expected.y)×\(expected.z) of the run spec")
      }
      return (.grid(contents.field), contents.turbulenceLevel)
    }
  }

  func configuration(rigidity: Double, geometry: GridGeometry, turbulenceLevel: Double) throws -> EnsembleConfiguration {
    let Δx = geometry.cellSize
    let counts = geometry.counts
    let cell = [0, 1, 2].filter { counts[$0] > 1 }.map { Δx[$0] }.min()
    let rule = StepRule(
      turbulenceLevel: turbulenceLevel, cellSize: cell, phasePerStep: spec.phasePerStep, cellFraction: spec.cellFraction)
    let pusher = try rule.pusher(reducedRigidity: rigidity, rotation: spec.rotation == "exact-phase" ? .exactPhase : .standard)
    let first = spec.firstSample ?? min(2 * .pi * rigidity / 10, spec.duration / 10)
    var schedule = try SampleSchedule.logarithmic(from: first, to: spec.duration, count: spec.sampleCount)
    if spec.linearSampleCount > 0 { schedule = schedule.union(try SampleSchedule.linear(until: spec.duration, count: spec.linearSampleCount)) }
    let groupSize = max(1, min(64, spec.particleCount / Self.particleGroups))
    let batchSize = groupSize * max(1, 256 / groupSize)
    return try EnsembleConfiguration(
      pusher: pusher, schedule: schedule, particleCount: spec.particleCount, batchSize: batchSize, groupSize: groupSize)
  }

  func run(resume: TraceCheckpoint?) async throws -> Outcome {
    var checkpoint = resume ?? TraceCheckpoint(specText: spec.text, fieldText: fieldText(), finished: [], current: nil)
    var lastCheckpoint = Date()
    var integrationSeconds = 0.0
    let parts = spec.realizations * spec.rigidities.count
    var geometry: GridGeometry?
    var level = 0.0
    let runStart = Date()
    var lastProgress = Date.distantPast
    var samplesThisProcess = 0

    for r in 0..<spec.realizations {
      let pending = spec.rigidities.indices.filter { i in !checkpoint.finished.contains { $0.realization == r && $0.rigidityIndex == i } }
      if pending.isEmpty && geometry != nil { continue }
      let (field, fieldLevel) = try field(realization: r)
      geometry = field.geometry
      level = fieldLevel
      for i in pending {
        let rigidity = spec.rigidities[i]
        let configuration = try configuration(rigidity: rigidity, geometry: field.geometry, turbulenceLevel: fieldLevel)
        let initial = try InitialConditions(
          seed: spec.particleSeed &+ UInt64(r), boxSize: field.geometry.boxSize,
          directions: spec.initialPitches.map { .pitchCosines($0) } ?? .isotropic)
        let edges = TransportAccumulator.uniformPitchBins(spec.pitchBins)
        let selected = r == 0 ? Set((0..<UInt64(min(savedOrbits, spec.particleCount)))) : []
        var state: EnsembleState<TraceObserver>
        if let current = checkpoint.current, current.realization == r, current.rigidityIndex == i {
          state = current.state
        } else {
          let observer = TraceObserver(
            try TransportAccumulator(
              times: configuration.rowTimes, pitchBinEdges: edges,
              originRows: TransportAccumulator.originRows(times: configuration.rowTimes, count: spec.kuboOrigins)),
            TrajectoryRecorder(selected: selected))
          state = field.makeState(configuration: configuration, initialConditions: initial, observer: observer)
        }
        let part = checkpoint.finished.count + 1
        while !state.isFinished {
          let start = Date()
          try await field.run(&state, throughSample: state.completedSamples + 1, threads: threads)
          integrationSeconds += Date().timeIntervalSince(start)
          samplesThisProcess += 1
          if let stop = stopAfterSamples, samplesThisProcess >= stop, !state.isFinished, let path = checkpointPath {
            checkpoint.current = .init(realization: r, rigidityIndex: i, state: state)
            try write(checkpoint, to: path)
            throw Interrupted(checkpointPath: path)
          }
          let now = Date()
          if now.timeIntervalSince(lastProgress) > 2 || state.isFinished {
            lastProgress = now
            let done = (Double(part - 1) + state.time / spec.duration) / Double(parts)
            let elapsed = now.timeIntervalSince(runStart)
            let eta = done > 0.01 ? elapsed * (1 - done) / done : .nan
            log.print(String(
              format: "  R = %g, realization %d/%d: t = %.3g/%.3g L/c  [%5.1f%%, elapsed %@, ETA %@]", rigidity, r + 1,
              spec.realizations, state.time, spec.duration, 100 * done, Self.clock(elapsed), Self.clock(eta)))
          }
          if let path = checkpointPath, now.timeIntervalSince(lastCheckpoint) >= spec.checkpointSeconds, !state.isFinished {
            checkpoint.current = .init(realization: r, rigidityIndex: i, state: state)
            try write(checkpoint, to: path)
            lastCheckpoint = now
          }
        }
        let groups = state.observers(inGroupsOf: 1).count >= Self.particleGroups
          ? regroup(state.observers(inGroupsOf: 1).map(\.first), into: Self.particleGroups) : [state.mergedObserver().first]
        let steps = spec.particleCount * (configuration.sampleSteps.last ?? 0)
        checkpoint.finished.append(.init(realization: r, rigidityIndex: i, groups: groups, orbits: state.mergedObserver().second, steps: steps))
        checkpoint.current = nil
        if let path = checkpointPath { try write(checkpoint, to: path); lastCheckpoint = Date() }
      }
    }

    var groups: [[TransportAccumulator]] = []
    var orbits: [TrajectoryRecorder] = []
    for i in spec.rigidities.indices {
      let mine = checkpoint.finished.filter { $0.rigidityIndex == i }.sorted { $0.realization < $1.realization }
      groups.append(spec.realizations > 1 ? mine.map { TransportAccumulator.merged($0.groups) } : mine.flatMap(\.groups))
      orbits.append(mine.first?.orbits ?? TrajectoryRecorder(selected: []))
    }
    guard let geometry else { throw InputError("trace: no field realization was run") }
    return Outcome(
      groups: groups, orbits: orbits, steps: checkpoint.finished.reduce(0) { $0 + $1.steps }, seconds: integrationSeconds,
      geometry: geometry, turbulenceLevel: level,
      errorsFrom: spec.realizations > 1
        ? "scatter of \(spec.realizations) field realizations (jackknife)"
        : "scatter of \(Self.particleGroups) particle groups in one field realization (jackknife; omits field-to-field variance)")
  }

  /// Merges consecutive per-group accumulators into `count` groups (particle-id order).
  func regroup(_ parts: [TransportAccumulator], into count: Int) -> [TransportAccumulator] {
    (0..<count).map { g in
      TransportAccumulator.merged(Array(parts[(parts.count * g / count)..<(parts.count * (g + 1) / count)]))
    }
  }

  /// Checkpoints are binary property lists: doubles are stored as their 8 bytes, so a resumed run
  /// continues from exactly the same state (a decimal round trip would perturb chaotic orbits).
  func write(_ checkpoint: TraceCheckpoint, to path: String) throws {
    let encoder = PropertyListEncoder()
    encoder.outputFormat = .binary
    try AtomicFile.write(try encoder.encode(checkpoint), to: path)
  }

  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "--" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) : String(format: "%dm%02ds", s / 60, s % 60)
  }
}
