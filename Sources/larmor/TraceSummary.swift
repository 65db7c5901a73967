import Diffusion
import Foundation
import LarmorCore
import LarmorIO
import Orbits
import Tracing

/// Estimates from a finished trace, as a table, the JSON object documented in README.md, and HDF5.
struct TraceSummary {
  let spec: RunSpec
  let outcome: TraceOutcome
  let pitch: [[PitchAngleBinEstimate]]
  let parallel: [Plateau]
  let perpendicular: [Plateau]
  let parallelKubo: [Plateau]
  let perpendicularKubo: [Plateau]
  let runningParallel: [(times: [Double], series: Series)]
  let runningPerpendicular: [(times: [Double], series: Series)]
  /// TGK running values at the lag bins (times = the bins' mean lags).
  let runningParallelKubo: [(times: [Double], series: Series)]
  let runningPerpendicularKubo: [(times: [Double], series: Series)]
  /// Moving fields only: D_pp(μ) and ⟨Δp⟩/Δt per bin, and the pitch-averaged D_pp.
  let momentum: [[MomentumBinEstimate]]?
  let averagedMomentum: [AveragedMomentumDiffusion?]?
  let motion: WaveMotion?
  /// Per rigidity: what to change when too few μ bins found a D_μμ window (nil: enough did).
  let windowAdvice: [String?]

  init(spec: RunSpec, outcome: TraceOutcome) {
    self.spec = spec
    self.outcome = outcome
    // The window's v|μ|t < L_box/2 rule guards against a periodic box's mode comb; plane-wave
    // fields are not periodic, so it does not apply to them.
    var box: Double? = outcome.geometry.boxSize.z
    if case .synthesized(let fieldSpec, _) = spec.field, case .planeWaves = fieldSpec.evaluation { box = nil }
    let rule = PitchAngleWindowRule(
      minimumGyroperiods: spec.minimumGyroperiods, maximumMeanSquare: spec.maximumPitchVariance, boxLength: box)
    pitch = zip(spec.rigidities, outcome.groups).map { PitchAngleEstimator.estimate(groups: $1, reducedRigidity: $0, rule: rule) }
    var level: Double?
    if case .synthesized(let fieldSpec, _) = spec.field { level = fieldSpec.spectrum.turbulenceLevel }
    windowAdvice = zip(spec.rigidities, pitch).map { rigidity, bins in
      PitchWindowAdvice.advice(
        bins, rule: rule, reducedRigidity: rigidity, duration: spec.duration, turbulenceLevel: level, fixedBox: level == nil)
    }
    parallel = outcome.groups.map { SpatialDiffusion.plateau(.parallel, groups: $0) }
    perpendicular = outcome.groups.map { SpatialDiffusion.plateau(.perpendicular, groups: $0) }
    parallelKubo = outcome.groups.map { SpatialDiffusion.plateau(.parallelKubo, groups: $0) }
    perpendicularKubo = outcome.groups.map { SpatialDiffusion.plateau(.perpendicularKubo, groups: $0) }
    runningParallel = outcome.groups.map { SpatialDiffusion.running(.parallel, groups: $0) }
    runningPerpendicular = outcome.groups.map { SpatialDiffusion.running(.perpendicular, groups: $0) }
    func lagged(_ q: RunningQuantity, _ groups: [TransportAccumulator]) -> (times: [Double], series: Series) {
      let total = TransportAccumulator.merged(groups)
      return ((1..<total.rowCount).map { total.meanLag(bin: $0) }, SpatialDiffusion.running(q, groups: groups).series)
    }
    runningParallelKubo = outcome.groups.map { lagged(.parallelKubo, $0) }
    runningPerpendicularKubo = outcome.groups.map { lagged(.perpendicularKubo, $0) }
    if case .synthesized(let fieldSpec, _) = spec.field, let motion = fieldSpec.motion {
      self.motion = motion
      momentum = zip(outcome.groups, pitch).map { MomentumDiffusion.estimate(groups: $0, pitchEstimates: $1) }
      // The pitch-averaged D_pp over the D_∥ plateau window (μ isotropized there).
      averagedMomentum = zip(outcome.groups, parallel).map { MomentumDiffusion.averaged(groups: $0, from: $1.window.lowerBound) }
    } else {
      (motion, momentum, averagedMomentum) = (nil, nil, nil)
    }
  }

  private func finite(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }

  /// `prefix`, `_err`, `_window`, `_is_flat`, `_drift_per_decade` (+ `_err`; null where the level is
  /// known to worse than 25% and only the absolute change is tested) per rigidity.
  private func plateauKeys(_ prefix: String, _ plateaus: [Plateau]) -> [String: Any] {
    [
      prefix: plateaus.map { finite($0.value) },
      prefix + "_err": plateaus.map { finite($0.error) },
      prefix + "_window": plateaus.map { [$0.window.lowerBound, $0.window.upperBound] },
      prefix + "_is_flat": plateaus.map(\.isFlat),
      prefix + "_drift_per_decade": plateaus.map { finite($0.isResolved ? $0.driftPerDecade : .nan) },
      prefix + "_drift_per_decade_err": plateaus.map { finite($0.isResolved ? $0.driftPerDecadeError : .nan) },
    ]
  }

  func json() throws -> String { try jsonText(object()) }

  /// The window advice as stderr warnings (the table repeats it; `--json` output does not).
  func warnAboutWindows() {
    let log = StandardError()
    for advice in windowAdvice.compactMap({ $0 }) { log.print("warning: " + advice) }
  }

  /// The result as the JSON object `--json` prints (and the HDF5 results hold).
  func object() -> [String: Any] {
    let edges = TransportAccumulator.uniformPitchBins(spec.pitchBins)
    var object: [String: Any] = [
      "rigidities": spec.rigidities,
      "mu_bin_edges": edges,
      "mu_bins": pitch.first?.map(\.center) ?? [],
      "dmumu": pitch.map { $0.map { finite($0.coefficient) } },
      "dmumu_err": pitch.map { $0.map { finite($0.standardError) } },
      "dmumu_window": pitch.map { $0.map { $0.window.map { [$0.lowerBound, $0.upperBound] } ?? NSNull() as Any } },
      "dmumu_problem": pitch.map { $0.map { $0.problem ?? NSNull() as Any } },
      "dmumu_advice": windowAdvice.map { $0 ?? NSNull() as Any },
      "kubo_origins": spec.kuboOrigins,
      "kubo_lags": runningParallelKubo.map { $0.times.map { finite($0) } },
      "dpar_kubo_running": runningParallelKubo.map { $0.series.values.map { finite($0) } },
      "dpar_kubo_running_err": runningParallelKubo.map { $0.series.errors.map { finite($0) } },
      "dperp_kubo_running": runningPerpendicularKubo.map { $0.series.values.map { finite($0) } },
      "dperp_kubo_running_err": runningPerpendicularKubo.map { $0.series.errors.map { finite($0) } },
      "plateau_test": [
        "false_alarm_rate": finite(parallel.first?.falseAlarmRate),
        "degrees_of_freedom": parallel.first.map { $0.degreesOfFreedom as Any } ?? NSNull(),
        "critical_value": finite(parallel.first?.criticalValue),
      ],
      "lambda_par": parallel.map { finite(SpatialDiffusion.parallelMeanFreePath(parallelDiffusion: $0.value)) },
      "times": runningParallel.map(\.times),
      "dpar_running": runningParallel.map { $0.series.values.map { finite($0) } },
      "dpar_running_err": runningParallel.map { $0.series.errors.map { finite($0) } },
      "dperp_running": runningPerpendicular.map { $0.series.values.map { finite($0) } },
      "dperp_running_err": runningPerpendicular.map { $0.series.errors.map { finite($0) } },
      "particles": spec.particleCount * spec.rigidities.count * spec.realizations,
      "realizations": spec.realizations,
      "steps": outcome.steps,
      "seconds": outcome.seconds,
      "ns_per_step": outcome.steps > 0 ? outcome.seconds * 1e9 / Double(outcome.steps) : NSNull(),
      "errors_from": outcome.errorsFrom,
      "units": "code units: D_mumu in c/L, D in c·L, lambda in L, t in L/c, rigidity R = r_L/L",
    ]
    for (prefix, plateaus) in [("dpar", parallel), ("dperp", perpendicular), ("dpar_kubo", parallelKubo), ("dperp_kubo", perpendicularKubo)] {
      object.merge(plateauKeys(prefix, plateaus)) { $1 }
    }
    if let momentum, let averagedMomentum, let motion {
      object["dpp"] = momentum.map { $0.map { finite($0.coefficient) } }
      object["dpp_err"] = momentum.map { $0.map { finite($0.standardError) } }
      object["dp_dt"] = momentum.map { $0.map { finite($0.drift) } }
      object["dp_dt_err"] = momentum.map { $0.map { finite($0.driftError) } }
      object["dpp_problem"] = momentum.map { $0.map { $0.problem ?? NSNull() as Any } }
      // Pitch-averaged over the D_∥ window (a true μ-average once μ has isotropized there); "flat":
      // the slope of ⟨Δp²⟩ − ⟨Δp⟩² is the same over both halves of the window.
      object["dpp_averaged"] = averagedMomentum.map { finite($0?.value) }
      object["dpp_averaged_err"] = averagedMomentum.map { finite($0?.error) }
      object["dpp_averaged_change"] = averagedMomentum.map { finite($0?.change) }
      object["dpp_averaged_change_err"] = averagedMomentum.map { finite($0?.changeError) }
      object["dpp_averaged_is_flat"] = averagedMomentum.map { $0?.isLinear ?? false }
      object["dpp_running"] = outcome.groups.map { MomentumDiffusion.running(TransportAccumulator.merged($0)).map { finite($0.coefficient) } }
      object["motion"] = [
        "alfven_speed": motion.alfvenSpeed, "plasma_beta": motion.plasmaBeta, "cross_helicity": motion.crossHelicity,
        "sound_speed": motion.soundSpeed, "adiabatic_index": motion.adiabaticIndex,
        "decorrelation": motion.decorrelation,
      ]
      object["units"] = "code units: D_mumu in c/L, D in c·L, lambda in L, t in L/c, rigidity R = r_L/L; p in p0 (the momentum of rigidity R), D_pp in p0²·c/L, dp_dt in p0·c/L"
    }
    return object
  }

  /// The keys of `object()` that hold one entry per rigidity.
  static let perRigidityKeys: Set<String> = {
    var keys: Set<String> = [
      "dmumu", "dmumu_err", "dmumu_window", "dmumu_problem", "dmumu_advice", "kubo_lags", "lambda_par", "times",
      "dpar_running", "dpar_running_err", "dperp_running", "dperp_running_err",
      "dpar_kubo_running", "dpar_kubo_running_err", "dperp_kubo_running", "dperp_kubo_running_err",
      "dpp", "dpp_err", "dp_dt", "dp_dt_err", "dpp_problem", "dpp_averaged", "dpp_averaged_err",
      "dpp_averaged_change", "dpp_averaged_change_err", "dpp_averaged_is_flat", "dpp_running",
    ]
    for prefix in ["dpar", "dperp", "dpar_kubo", "dperp_kubo"] {
      for suffix in ["", "_err", "_window", "_is_flat", "_drift_per_decade", "_drift_per_decade_err"] { keys.insert(prefix + suffix) }
    }
    return keys
  }()

  /// The keys of `object()` whose values are text.
  static let textKeys: Set<String> = ["dmumu_problem", "dmumu_advice", "dpp_problem", "errors_from", "units"]

  /// The unit of each key of `object()` that has one (code units).
  static let units: [String: String] = {
    var units: [String: String] = [
      "rigidities": "L (R = r_L/L)", "mu_bin_edges": "1", "mu_bins": "1", "dmumu": "c/L", "dmumu_err": "c/L",
      "dmumu_window": "L/c", "kubo_origins": "1", "kubo_lags": "L/c", "times": "L/c", "lambda_par": "L",
      "seconds": "s", "ns_per_step": "ns", "steps": "particle-steps",
      "dpp": "p0^2 c/L", "dpp_err": "p0^2 c/L", "dpp_averaged": "p0^2 c/L", "dpp_averaged_err": "p0^2 c/L",
      "dpp_running": "p0^2 c/L", "dp_dt": "p0 c/L", "dp_dt_err": "p0 c/L",
      "dpp_averaged_change": "1", "dpp_averaged_change_err": "1", "alfven_speed": "c", "sound_speed": "c",
      "decorrelation": "c/L",
    ]
    for prefix in ["dpar", "dperp", "dpar_kubo", "dperp_kubo"] {
      for suffix in ["", "_err", "_running", "_running_err"] { units[prefix + suffix] = "c L" }
      units[prefix + "_window"] = "L/c"
      units[prefix + "_drift_per_decade"] = "1/decade"
      units[prefix + "_drift_per_decade_err"] = "1/decade"
    }
    return units
  }()

  /// Where the result came from: the run spec, and the field spec's text or the field file's
  /// path and data checksum.
  var provenance: [String: ResultValue] {
    var record: [String: ResultValue] = ["run_spec": .text(spec.text), "particle_seed": .integer(Int(spec.particleSeed))]
    switch spec.field {
    case .synthesized(let fieldSpec, let text):
      record["field_spec"] = .text(text)
      record["field_seed"] = .integer(Int(truncatingIfNeeded: fieldSpec.seed))
    case .snapshots(let snapshots):
      record["snapshots"] = .text((try? LoadedSnapshot.identity(snapshots)) ?? snapshots.paths.joined(separator: "\n"))
    case .file(let path):
      record["field_file"] = .text(path)
      if let stored = try? FieldFile.provenance(path) {
        record["field_spec"] = .text(stored.specText)
        if let checksum = stored.checksum { record["field_file_checksum64"] = .text(checksum) }
      }
    }
    return record
  }

  /// The HDF5 document: exactly `object()`, plus saved orbits in section `orbits`.
  func document(command: String) -> ResultsFile.Document {
    var sections: [String: ResultsFile.Document] = [:]
    let orbitTables = spec.rigidities.indices.map(orbitTable)
    if orbitTables.contains(where: { $0 != nil }) {
      sections["orbits"] = ResultsFile.Document(
        command: command,
        result: [
          "orbits": .list(orbitTables.map { $0 ?? .null }),
          "columns": .list(["t", "x", "y", "z", "vx", "vy", "vz"].map { .text($0) }),
          "note": .text("positions (L) and unit velocities of the saved particles at every sample time (t in L/c); shape [particle, row, column]"),
        ],
        rigidities: spec.rigidities, perRigidityKeys: ["orbits"], units: ["orbits": "L/c, L, L, L, c, c, c"])
    }
    return ResultsFile.Document(
      command: command, result: ResultValue(json: object()).recordFields, rigidities: spec.rigidities,
      perRigidityKeys: Self.perRigidityKeys, units: Self.units, textKeys: Self.textKeys, provenance: provenance, sections: sections)
  }

  /// The saved orbits of rigidity i as [particle][row][t, x, y, z, vx, vy, vz], or nil.
  private func orbitTable(_ i: Int) -> ResultValue? {
    let points = outcome.orbits[i].points
    guard !points.isEmpty else { return nil }
    let ids = Array(Set(points.map(\.id))).sorted()
    return .list(ids.map { id in
      .list(outcome.orbits[i].trajectory(of: id).map { p in
        .list([p.time, p.position.x, p.position.y, p.position.z, p.direction.x, p.direction.y, p.direction.z].map { .number($0) })
      })
    })
  }

  func table() -> String {
    func f(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.4g", $0) : "—" } ?? "—" }
    var lines: [String] = []
    for (i, rigidity) in spec.rigidities.enumerated() {
      lines.append("R = r_L/L = \(rigidity)   (\(outcome.errorsFrom))")
      func flatness(_ p: Plateau) -> String {
        let drift = p.isResolved
          ? "drift \(f(100 * p.driftPerDecade)) ± \(f(100 * p.driftPerDecadeError)) %/decade"
          : "level error > 25%, no relative drift; change across the window \(f(p.drift)) ± \(f(p.driftError))"
        return p.isFlat ? "(flat; \(drift))" : "(not yet a plateau: \(drift))"
      }
      lines.append("  D_∥ = \(f(parallel[i].value)) ± \(f(parallel[i].error)) c·L \(flatness(parallel[i]))   λ_∥ = \(f(3 * parallel[i].value)) L")
      lines.append("        TGK \(f(parallelKubo[i].value)) ± \(f(parallelKubo[i].error)) \(flatness(parallelKubo[i]))")
      lines.append("  D_⊥ = \(f(perpendicular[i].value)) ± \(f(perpendicular[i].error)) c·L \(flatness(perpendicular[i]))")
      lines.append("        TGK \(f(perpendicularKubo[i].value)) ± \(f(perpendicularKubo[i].error)) \(flatness(perpendicularKubo[i]))")
      if let averaged = averagedMomentum?[i] {
        let linear = averaged.isLinear ? "linear growth" : "not yet diffusive"
        lines.append(
          "  D_pp (pitch-averaged, over the D_∥ window) = \(f(averaged.value)) ± \(f(averaged.error)) p₀² c/L"
            + " (\(linear): late/early half change \(f(100 * averaged.change)) ± \(f(100 * averaged.changeError)) %)")
      }
      let moving = momentum?[i]
      lines.append("     μ        D_μμ (c/L)     ±          " + (moving == nil ? "" : "D_pp (p₀²c/L)  ±          ") + "window (L/c)")
      for (b, bin) in pitch[i].enumerated() {
        let window = bin.window.map { "\(f($0.lowerBound))–\(f($0.upperBound))" } ?? (bin.problem ?? "no window")
        let dpp = moving.map { "\(f($0[b].coefficient).padding(toLength: 14, withPad: " ", startingAt: 0)) \(f($0[b].standardError).padding(toLength: 10, withPad: " ", startingAt: 0)) " } ?? ""
        lines.append(String(format: "  %+.3f   ", bin.center) + "\(f(bin.coefficient).padding(toLength: 12, withPad: " ", startingAt: 0)) \(f(bin.standardError).padding(toLength: 10, withPad: " ", startingAt: 0)) " + dpp + window)
      }
    }
    for advice in windowAdvice.compactMap({ $0 }) { lines.append("note: " + advice) }
    lines.append("\(outcome.steps) particle-steps in \(String(format: "%.2f", outcome.seconds)) s of integration")
    return lines.joined(separator: "\n")
  }

  func writeHDF5(to path: String, command: String = "trace") throws {
    try ResultsFile.write(document(command: command), to: path)
  }
}
