import ArgumentParser
import Diffusion
import Foundation
import LarmorCore
import LarmorIO
import Orbits
import Tracing

/// `larmor trace RUN.toml`: integrate cosmic-ray orbits through turbulence and measure D_μμ(μ),
/// D_∥ and D_⊥ with errors from realizations (or particle groups).
struct TraceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Trace particle ensembles through a field and estimate D_μμ(μ), D_∥, D_⊥ (code units).")

  @Argument(help: "Run spec (TOML with [run], [particles], optional [estimators]; see fields/*-run.toml).")
  var spec: String

  @Option(help: "Write estimator tables and running coefficients to this HDF5 file.")
  var out: String?

  @Option(help: "Checkpoint file (default: RUN.toml.checkpoint beside the spec).")
  var checkpoint: String?

  @Flag(help: "Continue a killed run from its checkpoint; the result equals an uninterrupted run.")
  var resume = false

  @Option(help: "Trace only share K of N (K = 1…N) of the run's work units (realization × particle block) and write them to --out for `larmor merge`.")
  var shard: String?

  @Option(name: .customLong("save-orbits"), help: "Record the full orbits of the first N particles of realization 1 (needs --out).")
  var saveOrbits: Int = 0

  @Option(name: .customLong("stop-after-samples"), help: .hidden)
  var stopAfterSamples: Int?

  @Flag(help: "Run even when the estimated cost exceeds 10¹⁴ particle-steps.")
  var force = false

  @OptionGroup var common: CommonOptions

  func validate() throws {
    if saveOrbits < 0 { throw ValidationError("--save-orbits must be ≥ 0, got \(saveOrbits)") }
    if saveOrbits > 0 && out == nil { throw ValidationError("--save-orbits needs --out to write the orbits to") }
    if shard != nil {
      _ = try parsedShard()
      if out == nil { throw ValidationError("--shard needs --out: the shard file `larmor merge` combines") }
    }
  }

  /// `--shard K/N` as a 0-based share.
  func parsedShard() throws -> TraceShard? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
      throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N (e.g. 3/8), got '\(shard)'")
    }
    return TraceShard(index: k - 1, count: n)
  }

  func run() async throws {
    let mpi = try MPI.world()
    let runSpec: RunSpec
    let memoryLine: String
    let costLine: String?
    do {
      runSpec = try RunSpecReader.read(try SpecDocument(path: spec))
      memoryLine = try MemoryEstimate.check(MemoryEstimate.trace(runSpec), command: "trace", file: spec)
      costLine = try CostEstimate.check(runSpec, threads: common.resolvedThreads * (mpi?.size ?? 1), force: force, file: spec)
    } catch {
      if let mpi { mpi.failTogether("\(error)") }  // every rank meets it: say it once
      throw error
    }
    if let mpi, shard != nil { mpi.failTogether("--shard and mpirun are alternatives: under mpirun every rank takes its share") }
    let share = try mpi.map { TraceShard(index: $0.rank, count: $0.size) } ?? parsedShard()
    let suffix = share.map { (mpi == nil ? ".shard" : ".mpi") + "-\($0.index + 1)-of-\($0.count)" } ?? ""
    let checkpointPath = checkpoint.map { mpi == nil ? $0 : $0 + suffix } ?? spec + suffix + ".checkpoint"
    var previous: TraceCheckpoint?
    // Checkpoints of this job made with another number of ranks (or by one process): read when
    // this process has none of its own, and removed once the outputs are written.
    var otherShares: [String] = []
    if resume {
      do {
        if FileManager.default.fileExists(atPath: checkpointPath) {
          previous = try loadCheckpoint(checkpointPath, spec: runSpec, share: share)
        } else if mpi != nil || shard == nil {
          let candidates = TraceRun.otherShareCheckpoints(
            ownPath: checkpointPath, base: checkpoint ?? spec, explicit: checkpoint != nil, ownCount: mpi?.size)
          if let regrouped = try TraceRun.regroupedCheckpoint(candidates, spec: runSpec, share: share, savedOrbits: saveOrbits) {
            previous = regrouped.checkpoint
            otherShares = regrouped.used
            if (mpi?.rank ?? 0) == 0 {
              StandardError().print(
                "  resuming from \(regrouped.used.count) checkpoint file(s) of another rank count (\(regrouped.checkpoint.finished.count) finished (realization, rigidity, block) part(s) of this rank's share): \(regrouped.used.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))"
                  + (regrouped.ignored.isEmpty ? "" : "; ignored (other runs or unreadable): \(regrouped.ignored.joined(separator: ", "))"))
            }
          } else if mpi == nil {
            // Under mpirun a rank that had not reached its first checkpoint starts its share afresh.
            previous = try loadCheckpoint(checkpointPath, spec: runSpec, share: share)
          }
        } else {
          previous = try loadCheckpoint(checkpointPath, spec: runSpec, share: share)
        }
      } catch { if let mpi { mpi.abort("\(error)") } else { throw error } }
    }
    let log = StandardError()
    if let mpi {
      try await runMPIJob(mpi, runSpec, resume: previous, checkpointPath: checkpointPath, otherShares: otherShares)
      return
    }
    log.print("larmor trace: \(runSpec.rigidities.count) rigidities × \(runSpec.particleCount) particles × \(runSpec.realizations) realization(s), \(common.resolvedThreads) thread(s); \(memoryLine)" + (costLine.map { "; \($0)" } ?? ""))
    if let warning = runSpec.binEdgeWarning { log.print("warning: \(warning)") }
    if let note = runSpec.largeStepNote { log.print("note: \(note)") }
    if let previous, otherShares.isEmpty { log.print("  " + Interruption.resumeLine(previous, path: checkpointPath, rigidities: runSpec.rigidities)) }
    Interruption.announce(
      command: "trace", spec: spec, checkpoint: checkpointPath,
      resume: (["larmor"] + CommandLine.arguments.dropFirst().filter { $0 != "--resume" } + ["--resume"]).joined(separator: " "))
    var runner = TraceRun(spec: runSpec, threads: common.resolvedThreads, checkpointPath: checkpointPath, savedOrbits: saveOrbits)
    runner.stopAfterSamples = stopAfterSamples
    runner.shard = share
    try runner.measureSnapshots()
    if let share, let out {
      try await runShard(runner, share, resume: previous, out: out, checkpointPath: checkpointPath)
      return
    }
    let outcome: TraceOutcome
    do { outcome = try await runner.run(resume: previous) } catch let error as OrbitError {
      throw InputError("\(spec): \(error.description) (checkpoint kept at \(checkpointPath))")
    }
    let summary = TraceSummary(spec: runSpec, outcome: outcome)
    if common.json { summary.warnAboutWindows() }
    if let out { try summary.writeHDF5(to: out) }
    if common.json { print(try summary.json()) } else { print(summary.table()) }
    try? FileManager.default.removeItem(atPath: checkpointPath)
    for path in otherShares + TraceRun.staleCheckpointWrites(base: checkpoint ?? spec, explicit: checkpoint != nil) {
      try? FileManager.default.removeItem(atPath: path)
    }
  }

  /// The MPI job: every rank its share, rank 0 the summary and outputs; checkpoints are removed
  /// only once the outputs are written.
  func runMPIJob(_ mpi: MPI, _ runSpec: RunSpec, resume: TraceCheckpoint?, checkpointPath: String, otherShares: [String]) async throws {
    if mpi.rank == 0 {
      let log = StandardError()
      log.print("larmor trace: \(runSpec.rigidities.count) rigidities × \(runSpec.particleCount) particles × \(runSpec.realizations) realization(s), \(mpi.size) MPI ranks × \(common.resolvedThreads) thread(s); progress of rank 0")
      if let warning = runSpec.binEdgeWarning { log.print("warning: \(warning)") }
      if let note = runSpec.largeStepNote { log.print("note: \(note)") }
    }
    var runner = TraceRun(spec: runSpec, threads: common.resolvedThreads, checkpointPath: checkpointPath, savedOrbits: saveOrbits)
    runner.stopAfterSamples = stopAfterSamples
    try runner.measureSnapshots()
    if let outcome = try await runner.runOnRanks(mpi, resume: resume) {
      do {
        let summary = TraceSummary(spec: runSpec, outcome: outcome)
        if common.json { summary.warnAboutWindows() }
        if let out { try summary.writeHDF5(to: out) }
        if common.json { print(try summary.json()) } else { print(summary.table()) }
      } catch {
        mpi.abort("\(error)")
      }
    }
    mpi.barrier()
    try? FileManager.default.removeItem(atPath: checkpointPath)
    if mpi.rank == 0 {
      for path in otherShares + TraceRun.staleCheckpointWrites(base: checkpoint ?? spec, explicit: checkpoint != nil) {
        try? FileManager.default.removeItem(atPath: path)
      }
    }
    mpi.finalize()
  }

  /// Integrates one shard and writes its shard file; prints what it holds.
  func runShard(_ runner: TraceRun, _ share: TraceShard, resume: TraceCheckpoint?, out: String, checkpointPath: String) async throws {
    let settings = runner.settings
    do { _ = try Tracer(settings: settings, threads: 1) } catch { throw InputError("\(spec): --shard \(share.index + 1)/\(share.count): \(error.description)") }
    let done: TraceCheckpoint
    do { done = try await runner.integrate(resume: resume) } catch let error as OrbitError {
      throw InputError("\(spec): \(error.description) (checkpoint kept at \(checkpointPath))")
    }
    let specPath = URL(fileURLWithPath: spec).standardizedFileURL.path
    try ShardFile.write(
      .init(specPath: specPath, specText: runner.spec.text, fieldText: try runner.fieldText(), index: share.index, count: share.count,
            payload: try done.encoded()), to: out)
    let units = settings.assignedBlocks.map { "realization \($0.realization + 1): blocks \($0.blocks.lowerBound + 1)…\($0.blocks.upperBound)" }
    let steps = done.finished.reduce(0) { $0 + $1.steps }
    if common.json {
      print(try jsonText([
        "shard": share.index + 1, "shards": share.count, "out": out, "work_units": units,
        "blocks_per_realization": settings.blocks.count, "steps": steps,
        "seconds": done.finished.reduce(0) { $0 + $1.seconds },
      ]))
    } else {
      print("shard \(share.index + 1)/\(share.count) → \(out): \(units.joined(separator: "; ")) (of \(settings.blocks.count) blocks per realization), \(steps) particle-steps")
    }
    try? FileManager.default.removeItem(atPath: checkpointPath)
  }

  func loadCheckpoint(_ path: String, spec: RunSpec, share: TraceShard?) throws -> TraceCheckpoint {
    try TraceRun.loadCheckpoint(path, spec: spec, share: share, savedOrbits: saveOrbits)
  }
}
