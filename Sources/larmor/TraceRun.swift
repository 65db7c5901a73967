import Foundation
import LarmorCore
import LarmorIO
import Orbits
import Tracing

/// `larmor trace` over the library `Tracer`: the run spec's settings, its fields (synthesized
/// per realization, or read from a field file), checkpoints written atomically beside the spec,
/// and progress on stderr.
struct TraceRun {
  let spec: RunSpec
  let threads: Int
  let checkpointPath: String?
  let savedOrbits: Int
  /// This process's share of the run (`--shard K/N`), or nil for all of it.
  var shard: TraceShard? = nil
  /// No progress or field messages (the ranks other than 0 of an MPI job).
  var quiet = false
  /// Stop (with the checkpoint written) after this many samples: simulates a killed run in tests.
  var stopAfterSamples: Int? = nil
  /// With `[field.file]`: the largest δB/B₀ over the snapshots traced (`measureSnapshots`), the step
  /// rule's bound for every realization, so that all realizations share one schedule of samples.
  var snapshotLevel: Double? = nil
  let log = StandardError()

  /// Thrown when `stopAfterSamples` is reached.
  struct Interrupted: Error, CustomStringConvertible {
    let checkpointPath: String
    var description: String { "stopped as requested; continue with --resume (checkpoint: \(checkpointPath))" }
  }

  /// The spec's `[run]`, `[particles]` and `[estimators]` as library settings.
  var settings: TraceSettings {
    var s = TraceSettings(duration: spec.duration, rigidities: spec.rigidities)
    s.realizations = spec.realizations
    s.sampleCount = spec.sampleCount
    s.firstSample = spec.firstSample
    s.linearSampleCount = spec.linearSampleCount
    s.phasePerStep = spec.phasePerStep
    s.cellFraction = spec.cellFraction
    s.rotation = spec.rotation == "exact-phase" ? .exactPhase : .standard
    s.particleCount = spec.particleCount
    s.particleSeed = spec.particleSeed
    s.initialPitches = spec.initialPitches
    s.pitchBins = spec.pitchBins
    s.kuboOrigins = spec.kuboOrigins
    s.savedOrbits = savedOrbits
    s.checkpointSeconds = spec.checkpointSeconds
    s.shard = shard
    return s
  }

  /// What the field is, for checkpoints and shards: the field spec's text, or the field file's
  /// path and the checksum of its bytes (a replaced file of the same name does not resume).
  func fieldText() throws(InputError) -> String {
    switch spec.field {
    case .synthesized(_, let text): return text
    case .file(let path):
      guard let checksum = Checksum64(contentsOf: path) else { throw InputError("\(path): no such field file (or unreadable)") }
      return "field_file = \(path), checksum64 = \(checksum)"
    case .snapshots(let snapshots):
      return try LoadedSnapshot.identity(snapshots)
    }
  }

  /// Reads every snapshot of a `[field.file]` run once for `snapshotLevel` (no-op otherwise).
  mutating func measureSnapshots() throws {
    guard case .snapshots(let snapshots) = spec.field else { return }
    var level = 0.0
    for index in 0..<spec.realizations { level = max(level, try SnapshotFile.read(snapshots, index: index).turbulenceLevel) }
    snapshotLevel = level
  }

  /// The field of realization r and its δB/B₀.
  func field(realization r: Int) throws -> RealizationField {
    switch spec.field {
    case .synthesized(let fieldSpec, _):
      return try RealizationField.synthesized(fieldSpec, realization: r, threads: threads)
    case .file(let path):
      let contents = try FieldFile.read(path)
      let n = contents.field.geometry.counts
      if let expected = spec.expectedGrid, expected != n {
        throw InputError(
          "\(path): grid \(n.x)×\(n.y)×\(n.z) disagrees with [grid] \(expected.x)×\(expected.y)×\(expected.z) of the run spec")
      }
      return RealizationField(field: .grid(contents.field), turbulenceLevel: contents.turbulenceLevel, description: "")
    case .snapshots(let snapshots):
      let loaded = try LoadedSnapshot.load(snapshots, index: r, threads: threads)
      if !quiet {
        for warning in loaded.warnings { log.print("  warning: \(loaded.snapshot.path): \(warning)") }
      }
      return RealizationField(field: .grid(loaded.field), turbulenceLevel: snapshotLevel ?? loaded.snapshot.turbulenceLevel, description: "")
    }
  }

  func run(resume: TraceCheckpoint?) async throws -> TraceOutcome {
    try Tracer.outcome(settings: settings, parts: try await integrate(resume: resume).finished)
  }

  /// Integrates this process's share (all of the run without a shard); the returned checkpoint
  /// holds every assigned part finished.
  func integrate(resume: TraceCheckpoint?) async throws -> TraceCheckpoint {
    var tracer: Tracer
    do { tracer = try Tracer(settings: settings, threads: threads) } catch { throw InputError("trace: \(error.description)") }
    tracer.stopAfterSamples = stopAfterSamples
    let sink: ((TraceCheckpoint) throws -> Void)? = checkpointPath.map { path in { try AtomicFile.write(try $0.encoded(), to: path) } }
    let realizations = spec.realizations
    let duration = spec.duration
    do {
      return try await tracer.integrate(
        fields: field(realization:), resume: resume, identity: (spec.text, try fieldText()), checkpoint: sink
      ) { [log, quiet] event in
        if quiet { return }
        switch event {
        case .fieldReady(let r, let description, let seconds):
          if !description.isEmpty {  // synthesized (a field file is read silently)
            log.print("  realization \(r + 1)/\(realizations): \(description) synthesized in \(String(format: "%.1f", seconds)) s")
          }
        case .progress(let r, let rigidity, let time, let done, let elapsed):
          let eta = done > 0.01 ? elapsed * (1 - done) / done : .nan
          log.print(String(
            format: "  R = %g, realization %d/%d: t = %.3g/%.3g L/c  [%5.1f%%, elapsed %@, ETA %@]", rigidity, r + 1,
            realizations, time, duration, 100 * done, Self.clock(elapsed), Self.clock(eta)))
        }
      }
    } catch is Tracer.Interrupted {
      throw Interrupted(checkpointPath: checkpointPath ?? "")
    }
  }

  /// Under mpirun: rank K of N traces shard K/N (its own fields, its own checkpoint) and rank 0
  /// gathers every rank's finished work and assembles it in unit order — bitwise the single-process
  /// numbers. Returns the outcome on rank 0, nil on the others. A rank that fails (NaN orbit,
  /// unwritable checkpoint) ends the whole job with one message naming the rank.
  func runOnRanks(_ mpi: MPI, resume: TraceCheckpoint?) async throws -> TraceOutcome? {
    var runner = self
    runner.shard = TraceShard(index: mpi.rank, count: mpi.size)
    runner.quiet = mpi.rank != 0
    let units = settings.workUnits.count
    if mpi.size > units {
      mpi.failTogether("\(mpi.size) ranks for \(units) work units (realizations × particle blocks = \(spec.realizations) × \(settings.blocks.count)): use at most \(units) ranks")
    }
    let done: TraceCheckpoint
    do { done = try await runner.integrate(resume: resume) } catch let error as OrbitError {
      mpi.abort("\(error.description) (checkpoint kept at \(checkpointPath ?? "—"))")
    } catch is Interrupted {
      mpi.abort("stopped as requested; continue with --resume (checkpoint: \(checkpointPath ?? "—"))")
    } catch {
      mpi.abort("\(error)")
    }
    guard let payloads = try mpi.gather(try done.encoded()) else { return nil }
    var parts: [TraceCheckpoint.FinishedPart] = []
    for (k, payload) in payloads.enumerated() {
      guard let checkpoint = TraceCheckpoint.decode(payload) else { mpi.abort("the results of rank \(k) arrived unreadable") }
      parts += checkpoint.finished
    }
    do { return try Tracer.outcome(settings: settings, parts: parts) } catch let error as TraceError { mpi.abort(error.description) }
  }

  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "--" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) : String(format: "%dm%02ds", s / 60, s % 60)
  }
}

extension TraceRun {
  /// The checkpoint at `path`, checked to belong to this run spec, its field and its settings.
  static func loadCheckpoint(_ path: String, spec: RunSpec, share: TraceShard?, savedOrbits: Int) throws -> TraceCheckpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("\(path): no checkpoint to resume from")
    }
    let checkpoint: TraceCheckpoint
    switch TraceCheckpoint.decoded(data) {
    case .success(let c): checkpoint = c
    case .failure(let problem): throw InputError("\(path): the checkpoint is \(problem); remove it or run without --resume")
    }
    var runner = TraceRun(spec: spec, threads: 1, checkpointPath: nil, savedOrbits: savedOrbits)
    runner.shard = share
    let fieldText = try runner.fieldText()
    if checkpoint.specText == spec.text, checkpoint.settings == runner.settings, checkpoint.fieldText != fieldText,
      case .file(let fieldPath) = spec.field
    {
      throw InputError(
        "\(path): the checkpoint was made with another field file at \(fieldPath) (\(checkpoint.fieldText); now \(fieldText)); restore that file, or remove the checkpoint or run without --resume")
    }
    guard checkpoint.specText == spec.text, checkpoint.fieldText == fieldText, checkpoint.settings == runner.settings else {
      throw InputError("\(path): this checkpoint belongs to another run spec; remove it or run without --resume")
    }
    return checkpoint
  }

  /// The checkpoint files of this job made by another number of MPI ranks or by one process,
  /// beside `path` (this process's own checkpoint path): `BASE.checkpoint` and
  /// `BASE.mpi-K-of-M.checkpoint` for the default name, `C` and `C.mpi-K-of-M` for `--checkpoint C`,
  /// except those of `ownCount` ranks (the other ranks of this very job: their shares are not ours).
  static func otherShareCheckpoints(ownPath path: String, base: String, explicit: Bool, ownCount: Int?) -> [String] {
    let (directory, name, names) = neighbours(of: base)
    let single = explicit ? name : name + ".checkpoint"
    let pattern = explicit ? "^" + NSRegularExpression.escapedPattern(for: name) + "\\.mpi-[0-9]+-of-[0-9]+$"
      : "^" + NSRegularExpression.escapedPattern(for: name) + "\\.mpi-[0-9]+-of-[0-9]+\\.checkpoint$"
    let regex = try? NSRegularExpression(pattern: pattern)
    let own = URL(fileURLWithPath: path).standardizedFileURL.path
    let sameCount = ownCount.map { "-of-\($0)" }
    return names.filter { n in
      n == single
        || (regex?.firstMatch(in: n, range: NSRange(n.startIndex..., in: n)) != nil
          && !(sameCount.map { n.hasSuffix($0) || n.hasSuffix($0 + ".checkpoint") } ?? false))
    }.map { URL(fileURLWithPath: directory).appendingPathComponent($0).standardizedFileURL.path }.filter { $0 != own }.sorted()
  }

  /// The directory of `base`, its file name and the names of the files beside it.
  static func neighbours(of base: String) -> (directory: String, name: String, names: [String]) {
    let url = URL(fileURLWithPath: base)
    let directory = url.deletingLastPathComponent().path
    return (directory, url.lastPathComponent, (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? [])
  }

  /// Unfinished atomic writes of this job's checkpoints (`….partial-PID`, left by a rank that was
  /// killed while writing), to remove once the outputs are written.
  static func staleCheckpointWrites(base: String, explicit: Bool) -> [String] {
    let (directory, name, names) = neighbours(of: base)
    return names.filter { $0.hasPrefix(name + ".") && $0.contains(".partial-") && (explicit || $0.contains(".checkpoint.partial-")) }
      .map { URL(fileURLWithPath: directory).appendingPathComponent($0).path }
  }

  /// The finished work in `paths` (checkpoints of this run made with other shares) regrouped as
  /// a checkpoint of share `share` (`TraceCheckpoint.regrouped`); files that are not checkpoints
  /// of this run spec, its field and its settings are left out and named in `ignored`.
  static func regroupedCheckpoint(_ paths: [String], spec: RunSpec, share: TraceShard?, savedOrbits: Int) throws
    -> (checkpoint: TraceCheckpoint, used: [String], ignored: [String])?
  {
    var runner = TraceRun(spec: spec, threads: 1, checkpointPath: nil, savedOrbits: savedOrbits)
    runner.shard = share
    let settings = runner.settings
    let fieldText = try runner.fieldText()
    var found: [TraceCheckpoint] = [], used: [String] = [], ignored: [String] = []
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path), let c = TraceCheckpoint.decode(data) else { ignored.append(path); continue }
      var other = c.settings
      other.shard = share
      guard c.specText == spec.text, c.fieldText == fieldText, other == settings else { ignored.append(path); continue }
      found.append(c)
      used.append(path)
    }
    guard !found.isEmpty else { return nil }
    do {
      return (try TraceCheckpoint.regrouped(found, settings: settings, identity: (spec.text, fieldText)), used, ignored)
    } catch let error as TraceError { throw InputError("\(paths[0]) and the other checkpoints of this job: \(error.description)") }
  }
}
