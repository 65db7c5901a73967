import ArgumentParser
import Diffusion
import Foundation
import LarmorCore
import LarmorIO
import Orbits
import QuasiLinear

/// `larmor compare RUN.toml`: the simulation and quasi-linear theory for the same spectrum and
/// k-range, side by side — the project's main job.
struct CompareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Trace a run spec and evaluate QLT for the same spectrum: sim/QLT ratios per μ bin and for D_∥.")

  @Argument(help: "Run spec whose field is synthesized from a spec (see fields/slab-run.toml).")
  var spec: String

  @Option(help: "Write the trace's estimator tables to this HDF5 file.")
  var out: String?

  @OptionGroup var common: CommonOptions

  func run() async throws {
    let document = try SpecDocument(path: spec)
    let runSpec = try RunSpecReader.read(document)
    guard case .synthesized(let fieldSpec, _) = runSpec.field else {
      throw InputError("\(spec): compare needs a synthesized field (run.field or inline [field]), not a field_file")
    }
    if fieldSpec.motion != nil {
      throw InputError("\(spec): compare evaluates magnetostatic QLT; for moving fields use `larmor trace` (D_μμ and D_pp per μ bin) and `larmor qlt` on the field spec")
    }
    let log = StandardError()
    log.print("larmor compare: tracing, then QLT on the same spectrum (\(fieldSpec.spectrum.components.map(\.family.name).joined(separator: " + ")))")
    let runner = TraceRun(spec: runSpec, threads: common.resolvedThreads, checkpointPath: spec + ".checkpoint", savedOrbits: 0)
    let outcome: TraceRun.Outcome
    do { outcome = try await runner.run(resume: nil) } catch let error as OrbitError { throw InputError("\(spec): \(error.description)") }
    let summary = TraceSummary(spec: runSpec, outcome: outcome)
    if let out { try summary.writeHDF5(to: out) }
    try? FileManager.default.removeItem(atPath: spec + ".checkpoint")

    let solver = PitchAngleDiffusion(spectrum: fieldSpec.spectrum)
    // Synthesis scales the drawn modes so their expected variance is σ² on this grid; the
    // discrete QLT sum must see the same mode powers (PHYSICS.md §2.2 item 6, trap 5).
    let discreteScale: Double =
      fieldSpec.normalization == .expectedVariance
      ? fieldSpec.spectrum.variance / fieldSpec.geometry.expectedVariance(of: fieldSpec.spectrum) : 1
    var rows: [[String: Any]] = []
    var table: [String] = []
    for (i, rigidity) in runSpec.rigidities.enumerated() {
      let qltParallel = solver.parallelDiffusion(reducedRigidity: rigidity)
      var ratios: [Double] = []
      table.append("R = r_L/L = \(rigidity)")
      table.append("     μ     D_μμ sim ± err          QLT (asymptotic)  QLT (finite t, grid modes)  sim/QLT_t")
      var bins: [[String: Any]] = []
      for bin in summary.pitch[i] {
        let μ = bin.center
        let asymptotic = solver.coefficient(cosine: μ, reducedRigidity: rigidity)
        var finiteTime: Double?
        if let window = bin.window {
          // The simulation fits the slope of ⟨Δμ²⟩(t) over its window; take the same slope of the
          // finite-time QLT ⟨Δμ²⟩(t) = 2t D(t) on the grid's discrete (expected) spectrum.
          func meanSquare(_ t: Double) -> Double {
            2 * t * discreteScale * finiteTimePitchAngleCoefficient(
              spectrum: fieldSpec.spectrum, geometry: fieldSpec.geometry, cosine: μ, reducedRigidity: rigidity, time: t)
          }
          finiteTime = (meanSquare(window.upperBound) - meanSquare(window.lowerBound)) / (2 * (window.upperBound - window.lowerBound))
        }
        // No ratio where QLT has no resonance (asymptotic D_μμ = 0): there the finite-time slope is
        // a small oscillating remainder, of either sign, and sim/QLT_t would be noise (e.g. −27).
        let ratio = asymptotic > 0 ? bin.coefficient.flatMap { c in finiteTime.flatMap { $0 > 0 ? c / $0 : nil } } : nil
        if let ratio, abs(μ) >= 0.2, abs(μ) <= 0.9, ratio.isFinite { ratios.append(ratio) }
        bins.append([
          "mu": μ, "dmumu_sim": bin.coefficient ?? NSNull(), "dmumu_sim_err": bin.standardError ?? NSNull(),
          "dmumu_qlt": asymptotic, "dmumu_qlt_finite_time": finiteTime ?? NSNull(), "ratio": ratio ?? NSNull(),
        ])
        func f(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "—" }
        table.append(String(format: "  %+.3f  ", μ) + "\(f(bin.coefficient)) ± \(f(bin.standardError))".padding(toLength: 22, withPad: " ", startingAt: 0)
          + "  \(f(asymptotic).padding(toLength: 16, withPad: " ", startingAt: 0))  \(f(finiteTime).padding(toLength: 26, withPad: " ", startingAt: 0))  \(f(ratio))")
      }
      let sorted = ratios.map { abs($0 - 1) }.sorted()
      let median = sorted.isEmpty ? Double.nan : sorted[sorted.count / 2]
      let simParallel = summary.parallel[i]
      let qltText = qltParallel.value.map { String(format: "%.4g c·L", $0.coefficient) } ?? (qltParallel.divergence?.description ?? "—")
      table.append(String(format: "  median |sim/QLT_t − 1| over resonant bins with 0.2 ≤ |μ| ≤ 0.9: %.3f (%d bins)", median, ratios.count))
      table.append(String(format: "  D_∥ sim = %.4g ± %.2g c·L%@;  QLT: ", simParallel.value, simParallel.error, simParallel.isFlat ? "" : " (no plateau yet)") + qltText)
      rows.append([
        "rigidity": rigidity, "bins": bins, "median_abs_ratio_minus_one": median.isFinite ? median : NSNull(),
        "dpar_sim": simParallel.value, "dpar_sim_err": simParallel.error, "dpar_sim_is_flat": simParallel.isFlat,
        "dpar_qlt": qltParallel.value?.coefficient ?? NSNull(), "dpar_qlt_divergence": qltParallel.divergence?.description ?? NSNull(),
      ])
    }
    if common.json {
      let object: [String: Any] = [
        "rigidities": runSpec.rigidities, "comparisons": rows, "errors_from": outcome.errorsFrom, "steps": outcome.steps,
        "seconds": outcome.seconds,
        "discrete_normalization": discreteScale,
        "units": "code units: D_mumu in c/L, D in c·L, rigidity R = r_L/L",
      ]
      print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    } else {
      print(table.joined(separator: "\n"))
      print("errors: \(outcome.errorsFrom); \(outcome.steps) particle-steps in \(String(format: "%.1f", outcome.seconds)) s")
    }
  }
}
