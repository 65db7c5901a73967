import ArgumentParser
import Foundation
import LarmorIO
import Tracing

/// `larmor merge part-*.h5`: combine the shards of one trace into exactly the numbers of a
/// single run, and report them as `larmor trace` does.
struct MergeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine the shard files of one `larmor trace --shard K/N` run into the numbers of a single run.")

  @Argument(help: "Shard files (each written by `larmor trace RUN.toml --shard K/N --out FILE`), all N of one run.")
  var parts: [String]

  @Option(help: "Write estimator tables and running coefficients to this HDF5 file (as `larmor trace --out`).")
  var out: String?

  @OptionGroup var common: CommonOptions

  func validate() throws {
    if parts.isEmpty { throw ValidationError("give the shard files to merge") }
  }

  func run() async throws {
    let shards = try parts.map { try ShardFile.read($0) }
    let first = shards[0]
    for (path, shard) in zip(parts, shards).dropFirst() {
      guard shard.specText == first.specText, shard.fieldText == first.fieldText, shard.count == first.count else {
        throw InputError("\(path): a shard of another run than \(parts[0]) (spec, field or shard count differ)")
      }
    }
    var owner: [Int: String] = [:]
    for (path, shard) in zip(parts, shards) {
      if let other = owner[shard.index] { throw InputError("\(path): shard \(shard.index + 1)/\(shard.count) given twice (also \(other))") }
      owner[shard.index] = path
    }
    let missing = (0..<first.count).filter { owner[$0] == nil }.map { "\($0 + 1)" }
    guard missing.isEmpty else {
      throw InputError("shards \(missing.joined(separator: ", ")) of \(first.count) are missing: a merge needs every shard of the run")
    }
    // The estimators read [estimators] and the field's motion from the run spec: it must be the
    // spec the shards were traced with.
    let document = try SpecDocument(path: first.specPath)
    let spec = try RunSpecReader.read(document)
    guard spec.text == first.specText else {
      throw InputError("\(first.specPath): the run spec has changed since the shards were traced; restore it to merge")
    }
    var finished: [TraceCheckpoint.FinishedPart] = []
    var settings: TraceSettings?
    for (path, shard) in zip(parts, shards) {
      guard let checkpoint = TraceCheckpoint.decode(shard.payload) else { throw InputError("\(path): the shard's parts are unreadable (corrupt file)") }
      var s = checkpoint.settings
      guard s.shard == TraceShard(index: shard.index, count: shard.count) else {
        throw InputError("\(path): the shard's parts do not belong to shard \(shard.index + 1)/\(shard.count)")
      }
      s.shard = nil
      if let settings, settings != s { throw InputError("\(path): traced with other settings than \(parts[0])") }
      settings = s
      finished += checkpoint.finished
    }
    let outcome: TraceOutcome
    do { outcome = try Tracer.outcome(settings: settings!, parts: finished) } catch let error as TraceError {
      throw InputError("merge: \(error.description)")
    }
    StandardError().print("larmor merge: \(first.count) shards of \(first.specPath), \(outcome.steps) particle-steps")
    let summary = TraceSummary(spec: spec, outcome: outcome)
    if common.json { summary.warnAboutWindows() }
    if let out { try summary.writeHDF5(to: out, command: "merge") }
    if common.json { print(try summary.json()) } else { print(summary.table()) }
  }
}
