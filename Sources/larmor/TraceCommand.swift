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

  @Option(name: .customLong("save-orbits"), help: "Record the full orbits of the first N particles of realization 1 (needs --out).")
  var saveOrbits: Int = 0

  @Option(name: .customLong("stop-after-samples"), help: .hidden)
  var stopAfterSamples: Int?

  @OptionGroup var common: CommonOptions

  func validate() throws {
    if saveOrbits < 0 { throw ValidationError("--save-orbits must be ≥ 0, got \(saveOrbits)") }
    if saveOrbits > 0 && out == nil { throw ValidationError("--save-orbits needs --out to write the orbits to") }
  }

  func run() async throws {
    let document = try SpecDocument(path: spec)
    let runSpec = try RunSpecReader.read(document)
    let checkpointPath = checkpoint ?? spec + ".checkpoint"
    var previous: TraceCheckpoint?
    if resume {
      previous = try loadCheckpoint(checkpointPath, spec: runSpec)
    }
    let log = StandardError()
    log.print("larmor trace: \(runSpec.rigidities.count) rigidities × \(runSpec.particleCount) particles × \(runSpec.realizations) realization(s), \(common.resolvedThreads) thread(s)")
    if let warning = runSpec.binEdgeWarning { log.print("warning: \(warning)") }
    var runner = TraceRun(spec: runSpec, threads: common.resolvedThreads, checkpointPath: checkpointPath, savedOrbits: saveOrbits)
    runner.stopAfterSamples = stopAfterSamples
    let outcome: TraceOutcome
    do { outcome = try await runner.run(resume: previous) } catch let error as OrbitError {
      throw InputError("\(spec): \(error.description) (checkpoint kept at \(checkpointPath))")
    }
    let summary = TraceSummary(spec: runSpec, outcome: outcome)
    if let out { try summary.writeHDF5(to: out) }
    if common.json { print(try summary.json()) } else { print(summary.table()) }
    try? FileManager.default.removeItem(atPath: checkpointPath)
  }

  func loadCheckpoint(_ path: String, spec: RunSpec) throws -> TraceCheckpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("\(path): no checkpoint to resume from")
    }
    guard let checkpoint = TraceCheckpoint.decode(data) else {
      throw InputError("\(path): not a readable larmor trace checkpoint (truncated or from another version)")
    }
    let runner = TraceRun(spec: spec, threads: 1, checkpointPath: nil, savedOrbits: saveOrbits)
    guard checkpoint.specText == spec.text, checkpoint.fieldText == runner.fieldText(), checkpoint.settings == runner.settings else {
      throw InputError("\(path): this checkpoint belongs to another run spec; remove it or run without --resume")
    }
    return checkpoint
  }
}
