import ArgumentParser
import Diffusion
import Foundation
import LarmorCore
import LarmorIO
import Orbits
import QuasiLinear
import Tracing
import Turbulence

/// `larmor compare RUN.toml`: the simulation and quasi-linear theory for the same spectrum and
/// k-range, side by side — the project's main job.
struct CompareCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Trace a run spec and evaluate QLT for the same spectrum: sim/QLT ratios per μ bin and for D_∥.")

  @Argument(help: "Run spec whose field is synthesized from a spec (see fields/slab-run.toml).")
  var spec: String

  @Option(help: "Write the comparison (all that --json prints) and the trace's estimators to this HDF5 file.")
  var out: String?

  @Flag(help: "Run even when the estimated cost exceeds 10¹⁴ particle-steps.")
  var force = false

  @Option(name: .customLong("stop-after-samples"), help: .hidden)
  var stopAfterSamples: Int?

  @Flag(help: "Continue a killed compare from its checkpoint (RUN.toml.compare.checkpoint); the result equals an uninterrupted run.")
  var resume = false

  @OptionGroup var common: CommonOptions

  /// Units of the compare JSON's keys (code units).
  static let units: [String: String] = [
    "rigidities": "L (R = r_L/L)", "rigidity": "L (R = r_L/L)", "mu": "1", "mu0_mean": "1", "mu0_nodes": "1", "mu0_weights": "1",
    "dmumu_sim": "c/L", "dmumu_sim_err": "c/L", "dmumu_qlt": "c/L", "dmumu_qlt_finite_time": "c/L", "ratio": "1",
    "dpp_sim": "p0^2 c/L", "dpp_sim_err": "p0^2 c/L", "dpp_qlt_finite_time": "p0^2 c/L", "ratio_dpp": "1",
    "dpar_sim": "c L", "dpar_sim_err": "c L", "dpar_qlt": "c L", "seconds": "s", "steps": "particle-steps",
  ]

  func run() async throws {
    let mpi = try MPI.world()
    let runSpec: RunSpec
    let memoryLine: String
    let costLine: String?
    let fieldSpec: FieldSpec?
    var snapshots: SnapshotSpec?
    do {
      runSpec = try RunSpecReader.read(try SpecDocument(path: spec))
      switch runSpec.field {
      case .synthesized(let synthesized, _): fieldSpec = synthesized
      case .snapshots(let s):
        fieldSpec = nil
        snapshots = s
      case .file:
        throw InputError("\(spec): compare needs a field spec (run.field or inline [field]) or snapshots ([field.file]), not a field_file: give the file as [field.file] path = … with mean_field = \"given\", b0 = [0, 0, 1]")
      }
      memoryLine = try MemoryEstimate.check(MemoryEstimate.trace(runSpec), command: "compare", file: spec)
      costLine = try CostEstimate.check(runSpec, threads: common.resolvedThreads * (mpi?.size ?? 1), force: force, file: spec)
    } catch {
      if let mpi { mpi.failTogether("\(error)") }  // every rank meets it: say it once
      throw error
    }
    let log = StandardError()
    if (mpi?.rank ?? 0) == 0, let warning = runSpec.binEdgeWarning { log.print("warning: \(warning)") }
    if (mpi?.rank ?? 0) == 0, let note = runSpec.largeStepNote { log.print("note: \(note)") }
    if (mpi?.rank ?? 0) == 0 { log.print("larmor compare: tracing, then QLT on " + (fieldSpec.map { "the same spectrum (\($0.spectrum.components.map(\.family.name).joined(separator: " + ")))" } ?? "the snapshots' measured modes") + "; \(memoryLine)" + (costLine.map { "; \($0)" } ?? "")) }
    // Its own checkpoint, never the one of a `larmor trace` of the same spec.
    let checkpointPath = spec + ".compare" + (mpi.map { ".mpi-\($0.rank + 1)-of-\($0.size)" } ?? "") + ".checkpoint"
    var previous: TraceCheckpoint?
    if resume, mpi == nil || FileManager.default.fileExists(atPath: checkpointPath) {
      do { previous = try TraceRun.loadCheckpoint(checkpointPath, spec: runSpec, share: mpi.map { TraceShard(index: $0.rank, count: $0.size) }, savedOrbits: 0) } catch {
        if let mpi { mpi.abort("\(error)") } else { throw error }
      }
    }
    if mpi == nil {
      if let previous { log.print("  " + Interruption.resumeLine(previous, path: checkpointPath, rigidities: runSpec.rigidities)) }
      Interruption.announce(
        command: "compare", spec: spec, checkpoint: checkpointPath,
        resume: (["larmor"] + CommandLine.arguments.dropFirst().filter { $0 != "--resume" } + ["--resume"]).joined(separator: " "))
    }
    var runner = TraceRun(spec: runSpec, threads: common.resolvedThreads, checkpointPath: checkpointPath, savedOrbits: 0)
    runner.stopAfterSamples = stopAfterSamples
    try runner.measureSnapshots()
    let outcome: TraceOutcome
    if let mpi {
      // Every rank traces its share; rank 0 compares, the others are done once they have sent it.
      guard let gathered = try await runner.runOnRanks(mpi, resume: previous) else {
        mpi.barrier()
        try? FileManager.default.removeItem(atPath: checkpointPath)
        mpi.finalize()
        return
      }
      outcome = gathered
    } else {
      do { outcome = try await runner.run(resume: previous) } catch let error as OrbitError {
        throw InputError("\(spec): \(error.description) (checkpoint kept at \(checkpointPath))")
      }
    }
    defer {
      if let mpi {
        mpi.barrier()
        mpi.finalize()
      }
    }
    let summary = TraceSummary(spec: runSpec, outcome: outcome)
    summary.warnAboutWindows()  // compare prints its own table, without the trace's notes
    try? FileManager.default.removeItem(atPath: checkpointPath)

    let motion = fieldSpec?.motion
    // Snapshots: the finite-time reference sums the traced fields' own modes, averaged over the
    // realizations; the asymptotic one is continuum QLT on those modes binned into (k_⊥, |k_∥|)
    // cells one lattice spacing wide (`TabulatedSpectrum(binning:)`).
    let measured = try snapshots.map { s in
      ModePowerTable.mean(try (0..<runSpec.realizations).map { r in
        ModePowerTable.measure(try LoadedSnapshot.load(s, index: r, threads: common.resolvedThreads).field, threads: common.resolvedThreads)
      })
    }
    let measuredSpectrum = try measured.map { table throws(InputError) in
      do { return try TurbulenceSpectrum(tabulated: TabulatedSpectrum(binning: table)) } catch {
        throw InputError("\(spec): the snapshots' measured spectrum: \(error)")
      }
    }
    let solver = (fieldSpec?.spectrum ?? measuredSpectrum).map {
      PitchAngleDiffusion(spectrum: $0, settings: motion.map { SolverSettings().moving($0) } ?? SolverSettings())
    }
    // Moving plane-wave fields: the finite-time reference is QLT on each realization's own waves.
    let realizedWaves: [[PlaneWave]]
    if let fieldSpec, let motion, case .planeWaves(let count) = fieldSpec.evaluation {
      realizedWaves = try (0..<runSpec.realizations).map { r in
        try PlaneWaveField.synthesize(fieldSpec.spectrum, motion: motion, waveCount: count, seed: fieldSpec.seed &+ UInt64(r)).waves
      }
    } else {
      realizedWaves = []
    }
    // Synthesis scales the drawn modes so their expected variance is σ² on this grid; the
    // discrete QLT sum must see the same mode powers (docs/physics.md §2.2 item 6, trap 5).
    let discreteScale: Double =
      fieldSpec.map { $0.normalization == .expectedVariance ? $0.spectrum.variance / $0.geometry.expectedVariance(of: $0.spectrum) : 1 } ?? 1
    var rows: [[String: Any]] = []
    var table: [String] = []
    for (i, rigidity) in runSpec.rigidities.enumerated() {
      let qltParallel = solver?.parallelDiffusion(reducedRigidity: rigidity)
      var ratios: [Double] = []
      table.append("R = r_L/L = \(rigidity)")
      let reference = measured != nil ? "measured modes" : realizedWaves.isEmpty ? (motion == nil ? "grid modes" : "grid patterns") : "the waves"
      table.append("   ⟨μ₀⟩    D_μμ sim ± err          QLT (asymptotic)  QLT (finite t, \(reference))  sim/QLT_t")
      var bins: [[String: Any]] = []
      // QLT per bin (the costly part: the finite-time sums), on the command's threads.
      let pitchBins = summary.pitch[i]
      let references = parallelMap(pitchBins.count, threads: common.resolvedThreads) { b in
        let bin = pitchBins[b]
        // QLT where the bin's particles started: D(μ) averaged with the bin's μ₀ rule, not at
        // the centre (fixed μ₀ on a bin edge would otherwise be compared at the wrong μ).
        let nodes = Array(zip(bin.initialPitchNodes, bin.initialPitchWeights))
        func averaged(_ d: (Double) -> Double) -> Double { nodes.reduce(0) { $0 + $1.1 * d($1.0) } }
        let asymptotic = solver.map { solver in nodes.isEmpty ? 0 : averaged { solver.coefficient(cosine: $0, reducedRigidity: rigidity) } }
        var finiteTime: Double?
        var finiteTimeMomentum: Double?
        if let window = bin.window {
          // The simulation fits the slope of ⟨Δμ²⟩(t) over its window; take the same slope of the
          // finite-time QLT ⟨Δμ²⟩(t) = 2t D(t) on the grid's discrete (expected) spectrum, on the
          // travelling grid patterns, or on the realizations' own plane waves.
          // Unscaled D(t) (c/L, p₀² c/L) and the scale of the discrete spectrum it needs.
          let scale = realizedWaves.isEmpty ? discreteScale : 1
          /// D(t) at the window's two ends, weighted over the bin's μ₀ nodes.
          func coefficients(_ times: [Double]) -> [(pitch: Double, momentum: Double)] {
            let parts = nodes.map { (weight: $0.1, values: coefficients(times, cosine: $0.0)) }
            return times.indices.map { i in
              (parts.reduce(0) { $0 + $1.weight * $1.values[i].pitch }, parts.reduce(0) { $0 + $1.weight * $1.values[i].momentum })
            }
          }
          func coefficients(_ times: [Double], cosine μ: Double) -> [(pitch: Double, momentum: Double)] {
            if let measured {
              return finiteTimeMeasuredCoefficients(table: measured, cosine: μ, reducedRigidity: rigidity, times: times).map { ($0, 0) }
            }
            if let fieldSpec, realizedWaves.isEmpty {
              return finiteTimeModeCoefficients(
                spectrum: fieldSpec.spectrum, geometry: fieldSpec.geometry, motion: motion, cosine: μ, reducedRigidity: rigidity,
                times: times)
            }
            return times.map { t in
              let sums = realizedWaves.map { finiteTimeWaveCoefficients(waves: $0, cosine: μ, reducedRigidity: rigidity, time: t) }
              let n = Double(sums.count)
              return (sums.reduce(0) { $0 + $1.pitch } / n, sums.reduce(0) { $0 + $1.momentum } / n)
            }
          }
          let ends = coefficients([window.lowerBound, window.upperBound])
          let (lower, upper) = (ends[0], ends[1])
          func meanSquare(_ t: Double, _ d: Double) -> Double { 2 * t * scale * d }
          let span = 2 * (window.upperBound - window.lowerBound)
          finiteTime = (meanSquare(window.upperBound, upper.pitch) - meanSquare(window.lowerBound, lower.pitch)) / span
          if motion != nil {
            finiteTimeMomentum = (meanSquare(window.upperBound, upper.momentum) - meanSquare(window.lowerBound, lower.momentum)) / span
          }
        }
        return (asymptotic: asymptotic, finiteTime: finiteTime, finiteTimeMomentum: finiteTimeMomentum)
      }
      for (b, bin) in pitchBins.enumerated() {
        let μ = bin.center
        let (asymptotic, finiteTime, finiteTimeMomentum) = references[b]
        // No ratio where QLT has no resonance (asymptotic D_μμ = 0): there the finite-time slope is
        // a small oscillating remainder, of either sign, and sim/QLT_t would be noise (e.g. −27).
        let ratio = (asymptotic ?? 1) > 0 ? bin.coefficient.flatMap { c in finiteTime.flatMap { $0 > 0 ? c / $0 : nil } } : nil
        if let ratio, abs(bin.meanInitialPitch) >= 0.2, abs(bin.meanInitialPitch) <= 0.9, ratio.isFinite { ratios.append(ratio) }
        var entry: [String: Any] = [
          "mu": μ, "mu0_mean": bin.meanInitialPitch, "mu0_nodes": bin.initialPitchNodes, "mu0_weights": bin.initialPitchWeights,
          "dmumu_sim": bin.coefficient ?? NSNull(), "dmumu_sim_err": bin.standardError ?? NSNull(),
          "dmumu_qlt": asymptotic ?? NSNull(), "dmumu_qlt_finite_time": finiteTime ?? NSNull(), "ratio": ratio ?? NSNull(),
        ]
        var momentumText = ""
        if let moving = summary.momentum?[i][b] {
          let dppRatio = moving.coefficient.flatMap { c in finiteTimeMomentum.flatMap { $0 > 0 ? c / $0 : nil } }
          entry["dpp_sim"] = moving.coefficient ?? NSNull()
          entry["dpp_sim_err"] = moving.standardError ?? NSNull()
          entry["dpp_qlt_finite_time"] = finiteTimeMomentum ?? NSNull()
          entry["ratio_dpp"] = dppRatio ?? NSNull()
          func g(_ x: Double?) -> String { x.map { String(format: "%.3g", $0) } ?? "—" }
          momentumText = "   D_pp \(g(moving.coefficient)) ± \(g(moving.standardError)) / QLT_t \(g(finiteTimeMomentum)) = \(g(dppRatio))"
        }
        bins.append(entry)
        func f(_ x: Double?) -> String { x.map { String(format: "%.4g", $0) } ?? "—" }
        table.append(String(format: "  %+.3f  ", bin.meanInitialPitch) + "\(f(bin.coefficient)) ± \(f(bin.standardError))".padding(toLength: 22, withPad: " ", startingAt: 0)
          + "  \(f(asymptotic).padding(toLength: 16, withPad: " ", startingAt: 0))  \(f(finiteTime).padding(toLength: 26, withPad: " ", startingAt: 0))  \(f(ratio))"
          + momentumText)
      }
      let sorted = ratios.map { abs($0 - 1) }.sorted()
      let median = sorted.isEmpty ? Double.nan : sorted[sorted.count / 2]
      let simParallel = summary.parallel[i]
      let qltText = qltParallel.map { q in q.value.map { String(format: "%.4g c·L", $0.coefficient) } ?? (q.divergence?.description ?? "—") } ?? "—"
      table.append(String(format: "  median |sim/QLT_t − 1| over resonant bins with 0.2 ≤ |⟨μ₀⟩| ≤ 0.9: %.3f (%d bins)", median, ratios.count))
      table.append(String(format: "  D_∥ sim = %.4g ± %.2g c·L%@;  QLT: ", simParallel.value, simParallel.error, simParallel.isFlat ? "" : " (no plateau yet)") + qltText)
      rows.append([
        "rigidity": rigidity, "bins": bins, "median_abs_ratio_minus_one": median.isFinite ? median : NSNull(),
        "dpar_sim": simParallel.value, "dpar_sim_err": simParallel.error, "dpar_sim_is_flat": simParallel.isFlat,
        "dpar_qlt": qltParallel?.value?.coefficient ?? NSNull(), "dpar_qlt_divergence": qltParallel?.divergence?.description ?? NSNull(),
      ])
    }
    let object: [String: Any] = [
      "rigidities": runSpec.rigidities, "comparisons": rows, "errors_from": outcome.errorsFrom, "steps": outcome.steps,
      "seconds": outcome.seconds,
      // The scale the finite-time QLT used: 1 on plane waves (each realization's own waves).
      "discrete_normalization": realizedWaves.isEmpty ? discreteScale : 1.0,
      "qlt_reference": measured != nil ? "measured modes" : realizedWaves.isEmpty ? (motion == nil ? "grid modes" : "grid patterns") : "plane waves",
      "units": "code units: D_mumu in c/L, D in c·L, rigidity R = r_L/L" + (motion == nil ? "" : "; D_pp in p0²·c/L (p0 the momentum of rigidity R)"),
    ]
    if let out {
      // Everything the JSON holds, plus the trace's own estimator tables in section `trace`.
      try ResultsFile.write(
        ResultsFile.Document(
          command: "compare", result: ResultValue(json: object).recordFields, rigidities: runSpec.rigidities,
          perRigidityKeys: ["comparisons"], units: Self.units, textKeys: ["dpar_qlt_divergence", "errors_from", "units"],
          provenance: summary.provenance,
          sections: ["trace": summary.document(command: "trace")]),
        to: out)
    }
    if common.json {
      print(try jsonText(object))
    } else {
      print(table.joined(separator: "\n"))
      print("errors: \(outcome.errorsFrom); \(outcome.steps) particle-steps in \(String(format: "%.1f", outcome.seconds)) s")
    }
  }
}
