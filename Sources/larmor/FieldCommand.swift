import ArgumentParser
import Foundation
import LarmorCore
import LarmorIO
import Turbulence

/// `larmor field SPEC.toml`: synthesize a field, print its diagnostics, optionally save it.
struct FieldCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "field", abstract: "Synthesize a turbulent field from a spec and print its diagnostics.")

  @Argument(help: "Field spec (TOML with [field] and [grid]; see fields/).")
  var spec: String

  @Option(help: "Write the field to this HDF5 file (datasets bx, by, bz; float32).")
  var out: String?

  @OptionGroup var common: CommonOptions

  func run() throws {
    let document = try SpecDocument(path: spec)
    let fieldSpec = try FieldSpecReader.read(document)
    if let motion = fieldSpec.motion {
      throw InputError(
        "\(spec): the modes of this spec move (alfven_speed = \(motion.alfvenSpeed)); `larmor field` writes static grid fields only, and `larmor trace` synthesizes moving fields itself")
    }
    let memoryLine = try MemoryEstimate.check(MemoryEstimate.field(fieldSpec), command: "field", file: spec)
    let n = fieldSpec.geometry.counts
    let log = StandardError()
    log.print("larmor field: \(describe(fieldSpec)) on \(n.x)×\(n.y)×\(n.z), \(common.resolvedThreads) thread(s); \(memoryLine)")

    let start = Date()
    let (field, report) = SpectralSynthesis.synthesize(fieldSpec, threads: common.resolvedThreads)
    let synthesisSeconds = Date().timeIntervalSince(start)
    log.print("  synthesized in \(String(format: "%.2f", synthesisSeconds)) s")
    if fieldSpec.spectrum.table != nil {
      // A table's support is its own; say how much of it this grid resolves.
      let share = report.discreteExpectedVariance / fieldSpec.spectrum.variance
      if share < 0.99 {
        log.print(
          "  warning: this grid's modes hold \(String(format: "%.3g", 100 * share))% of the table's variance (the rest lies below 2π/L_box or beyond the Nyquist wavenumbers); the field is normalized to δB/B₀ = \(fieldSpec.spectrum.turbulenceLevel) on the modes it holds")
      }
    }
    if let out {
      try FieldFile.write(field, spec: fieldSpec, specText: document.text, to: out)
      log.print("  wrote \(out)")
    }
    // Last: the diagnostics transform the field's own nodes (no second copy of the grid).
    log.print("  measuring diagnostics…")
    let diagnosticsStart = Date()
    let diagnostics = FieldDiagnostics.measureOverwriting(field, spectrum: fieldSpec.spectrum, threads: common.resolvedThreads)
    let diagnosticsSeconds = Date().timeIntervalSince(diagnosticsStart)

    let summary = FieldSummary(
      spec: fieldSpec, report: report, diagnostics: diagnostics, synthesisSeconds: synthesisSeconds,
      diagnosticsSeconds: diagnosticsSeconds, output: out)
    if common.json { print(try summary.json()) } else { print(summary.table()) }
  }

  private func describe(_ spec: FieldSpec) -> String {
    let names = spec.spectrum.components.map { c in
      spec.spectrum.components.count > 1 ? "\(c.family.name) \(c.fraction)" : c.family.name
    }
    return "\(names.joined(separator: " + ")) δB/B₀ = \(spec.spectrum.turbulenceLevel)"
  }
}

/// Human-readable progress on stderr, so stdout stays clean for tables and JSON.
struct StandardError: Sendable {
  func print(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }
}
