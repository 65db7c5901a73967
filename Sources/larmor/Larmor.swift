import ArgumentParser
import LarmorIO

@main
struct Larmor: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "larmor",
    abstract: "Cosmic rays in synthetic MHD turbulence, compared with quasi-linear theory.",
    discussion: "Code units: lengths in the outer scale L, speeds in c, fields in B₀ (along +z). See README.md.",
    version: LarmorVersion.string,
    subcommands: [FieldCommand.self, TraceCommand.self, MergeCommand.self, DecomposeCommand.self, QLTCommand.self, CompareCommand.self, TransportCommand.self, ScanCommand.self])
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
  @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
  var threads: Int?

  @Flag(help: "Print exactly one JSON object on stdout (progress still goes to stderr).")
  var json = false

  var resolvedThreads: Int { max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }

  func validate() throws {
    if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1, got \(threads)") }
  }
}

import Foundation
