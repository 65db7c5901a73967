import ArgumentParser
import Foundation
import LarmorCore
import LarmorIO
import QuasiLinear
import Transport

/// `larmor scan SCAN.toml`: a grid of media → QLT D_∥(𝓡) (and D_pp) per mode → disk + halo B/C,
/// C and O (source index fixed or fitted per row) → χ² against AMS-02. Points run on the
/// command's threads (results by index, independent of the thread count); finished points are
/// checkpointed, and `--resume` continues a stopped scan to the same table.
struct ScanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan",
    abstract: "Parameter scan: QLT D_∥(R) of a grid of media (halo, and disk for two zones) through the transport model, χ² of B/C and the C, O fluxes against AMS-02.")

  @Argument(help: "Scan spec (TOML with [scan], [halo_medium], optional [disk_medium], and [disk], [halo], [source], [output] as for transport).")
  var spec: String

  @Option(help: "Checkpoint file (default: SCAN.toml.scan-checkpoint).")
  var checkpoint: String?

  @Flag(help: "Continue from the checkpoint: finished points are kept, the rest computed.")
  var resume = false

  @Option(help: "Write the table (the --json object, rows as columns) to this HDF5 file (larmor-results-2).")
  var out: String?

  @Option(name: .customLong("stop-after-points"), help: .hidden)
  var stopAfterPoints: Int?

  @OptionGroup var common: CommonOptions

  func run() throws {
    let scan = try ScanSpecReader.read(SpecDocument(path: spec))
    let log = StandardError()
    let checkpointPath = checkpoint ?? spec + ".scan-checkpoint"
    let threads = common.resolvedThreads
    let total = scan.pointCount
    var rows = [Int: [ScanRow]]()
    if resume {
      rows = try ScanCheckpoint.load(checkpointPath, specText: scan.text)
      log.print("larmor scan: resuming from \(checkpointPath): \(rows.count) of \(total) points finished")
    }
    log.print("larmor scan: \(total) points × \(scan.modes.count) modes, \(scan.rigiditiesGV.count) rigidities, \(threads) thread(s)")
    let context = try ScanContext(scan)
    let todo = (0..<total).filter { rows[$0] == nil }
    // Points per checkpoint: enough to keep every thread busy (fewer when a stop is requested).
    let chunk = min(max(1, threads * 16), stopAfterPoints.map { max(1, $0) } ?? .max)
    let start = Date()
    var done = 0
    for first in stride(from: 0, to: todo.count, by: chunk) {
      let indices = Array(todo[first..<min(first + chunk, todo.count)])
      let results = parallelMap(indices.count, threads: threads) { j in Result { try context.evaluate(point: indices[j]) } }
      for (j, r) in results.enumerated() { rows[indices[j]] = try r.get() }
      done += indices.count
      try ScanCheckpoint.save(rows, specText: scan.text, to: checkpointPath)
      let elapsed = Date().timeIntervalSince(start)
      let eta = elapsed / Double(done) * Double(todo.count - done)
      log.print(String(format: "  %d/%d points [%5.1f%%, elapsed %.0f s, ETA %.0f s]", total - todo.count + done, total,
                       100 * Double(total - todo.count + done) / Double(total), elapsed, eta))
      if let stop = stopAfterPoints, done >= stop, done < todo.count {
        throw InputError("scan: stopped as requested after \(done) points; continue with --resume (checkpoint: \(checkpointPath))")
      }
    }
    let table = (0..<total).flatMap { rows[$0]! }
    try? FileManager.default.removeItem(atPath: checkpointPath)
    let object = ScanRow.table(table, scan: scan, context: context)
    if let out {
      try ResultsFile.write(
        ResultsFile.Document(
          command: "scan", result: ResultValue(json: object).recordFields,
          units: ScanRow.units.merging(["chi2_min_gv": "GV", "slope_min_gv": "GV", "halo_height_kpc": "kpc", "inner_height_kpc": "kpc"]) { a, _ in a },
          textKeys: ["mode", "reason", "modes", "chi2_data", "data", "reacceleration"], provenance: ["scan_spec": .text(scan.text)]),
        to: out)
    }
    if common.json {
      print(try jsonText(object))
      return
    }
    let bins = context.binCounts(minimumRigidityGV: scan.galaxy.chiSquareMinimumGV)
    print("χ² of " + scan.chiSquareData.map { "\($0.rawValue) (\(bins[$0.rawValue]!) bins)" }.joined(separator: " + ")
          + String(format: " above %.3g GV; ", scan.galaxy.chiSquareMinimumGV)
          + (scan.sourceIndexRange.map { String(format: "source index fitted in [%.3g, %.3g]", $0.lowerBound, $0.upperBound) }
             ?? String(format: "source index %.3g", scan.galaxy.source.spectralIndex))
          + (scan.reaccelerates ? "; reacceleration: " + ScanRow.describe(scan.reacceleration) : ""))
    print("point  mode    χ²/dof  χ²(B/C)    χ²(C)    χ²(O)      γ  B/C slope  parameters")
    for row in table {
      func number(_ x: Double?, _ format: String, _ width: Int) -> String {
        x.map { String(format: format, $0) } ?? String(repeating: " ", count: width - 1) + "—"
      }
      let parts = ["bc", "c", "o"].map { number(row.chiSquareByData?[$0], "%8.1f", 8) }.joined(separator: " ")
      let parameters = row.parameters.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
      print(String(format: "%5d  %-6@  %@ %@ %@  %@  %@", row.point, row.mode, number(row.chiSquarePerDegree, "%7.2f", 7), parts,
                   number(row.sourceIndex, "%5.3f", 5), number(row.slope, "%9.3f", 9), parameters) + (row.reason.map { "  (\($0))" } ?? ""))
    }
  }
}

/// One (point, mode) of a scan.
struct ScanRow: Codable, Sendable, Equatable {
  var point: Int
  var mode: String
  var parameterNames: [String]
  var parameterValues: [Double]
  /// D_∥ in cm²/s at the scan's rigidities, outer (halo) zone; nil where QLT gives none.
  var haloDiffusion: [Double?]
  /// The inner (disk) zone's, for two-zone scans.
  var diskDiffusion: [Double?]?
  /// Each zone medium's v_A in km/s.
  var haloAlfvenSpeed: Double
  var diskAlfvenSpeed: Double?
  /// ⟨D_pp⟩/p² in 1/s at the scan's rigidities per zone (reacceleration = "qlt" only).
  var haloMomentumDiffusion: [Double]?
  var diskMomentumDiffusion: [Double]?
  /// χ² summed over the scan's `chi2_data`, its bins and degrees of freedom (bins − flux
  /// amplitudes − a fitted source index).
  var chiSquare: Double?
  var chiSquarePoints: Int
  var chiSquareDegrees: Int
  var chiSquarePerDegree: Double?
  /// Each dataset's own χ² ("bc", "c", "o"), whether summed or not.
  var chiSquareByData: [String: Double]?
  /// The source index γ: fitted per row, or the spec's.
  var sourceIndex: Double?
  /// d ln(B/C)/d ln 𝓡 above `slope_min_gv`, fitted with the data's weights.
  var slope: Double?
  /// Why there is no B/C (a zone without finite D_∥ at some rigidity).
  var reason: String?

  var parameters: [(String, Double)] { Array(zip(parameterNames, parameterValues)) }

  /// Units of the table's arrays (rows and header).
  static let units = [
    "halo_dpar_cm2_s": "cm²/s", "disk_dpar_cm2_s": "cm²/s", "halo_dpp_s": "1/s", "disk_dpp_s": "1/s",
    "halo_alfven_speed_km_s": "km/s", "disk_alfven_speed_km_s": "km/s", "rigidities_gv": "GV",
  ]

  static func describe(_ reacceleration: ScanSpec.Reacceleration) -> String {
    switch reacceleration {
    case .none: "none"
    case .quasiLinear: "numerical solver, D_pp/p² of each zone = its medium's μ-averaged quasi-linear ⟨D_pp⟩/p² of the row's modes (halo_dpp_s, disk_dpp_s)"
    case .haloAlfvenSpeed: "numerical solver, D_pp = 4p²v_A²/[3δ(4−δ²)(4−δ)D] with the halo medium's v_A (the standard relation, not QLT D_pp)"
    }
  }

  static func table(_ rows: [ScanRow], scan: ScanSpec, context: ScanContext) -> [String: Any] {
    let bins = context.binCounts(minimumRigidityGV: scan.galaxy.chiSquareMinimumGV)
    var object: [String: Any] = [
      "rigidities_gv": scan.rigiditiesGV, "modes": scan.modes, "points": scan.pointCount,
      "chi2_min_gv": scan.galaxy.chiSquareMinimumGV, "slope_min_gv": scan.galaxy.slopeMinimumGV,
      "chi2_data": scan.chiSquareData.map(\.rawValue), "chi2_bins": bins,
      "source_index_fitted": scan.sourceIndexRange != nil,
      "reacceleration": Self.describe(scan.reacceleration),
      "halo_height_kpc": scan.galaxy.haloHeightKpc,
      "data": "AMS-02 B/C, Phys. Rep. 894 (2021) 1; C and O fluxes, PRL 119, 251101 (2017), amplitudes fitted; errors stat ⊕ syst, uncorrelated",
      "units": units,
    ]
    if let inner = scan.galaxy.innerHeightKpc { object["inner_height_kpc"] = inner }
    if let range = scan.sourceIndexRange { object["source_index_range"] = [range.lowerBound, range.upperBound] }
    func nullable(_ x: Double?) -> Any { x.map { $0 as Any } ?? NSNull() }
    object["rows"] = rows.map { row -> [String: Any] in
      var r: [String: Any] = [
        "point": row.point, "mode": row.mode, "chi2": nullable(row.chiSquare), "chi2_points": row.chiSquarePoints,
        "chi2_dof": row.chiSquareDegrees, "chi2_per_dof": nullable(row.chiSquarePerDegree), "bc_slope": nullable(row.slope),
        "source_index": nullable(row.sourceIndex),
        "halo_dpar_cm2_s": row.haloDiffusion.map(nullable), "reason": row.reason.map { $0 as Any } ?? NSNull(),
      ]
      for dataset in CosmicRayData.Dataset.allCases { r["chi2_\(dataset.rawValue)"] = nullable(row.chiSquareByData?[dataset.rawValue]) }
      if let d = row.diskDiffusion { r["disk_dpar_cm2_s"] = d.map(nullable) }
      r["halo_alfven_speed_km_s"] = row.haloAlfvenSpeed
      if let v = row.diskAlfvenSpeed { r["disk_alfven_speed_km_s"] = v }
      if let d = row.haloMomentumDiffusion { r["halo_dpp_s"] = d }
      if let d = row.diskMomentumDiffusion { r["disk_dpp_s"] = d }
      for (name, value) in row.parameters { r[name] = value }
      return r
    }
    return object
  }
}

/// What every point shares: data, cross sections, the galaxy.
struct ScanContext: Sendable {
  let scan: ScanSpec
  let data: CosmicRayData
  let crossSections: NuclearCrossSections

  init(_ scan: ScanSpec) throws {
    self.scan = scan
    data = try CosmicRayData.bundled()
    crossSections = try NuclearCrossSections.bundled()
  }

  /// Bins of each dataset above the χ² limit.
  func binCounts(minimumRigidityGV: Double) -> [String: Int] {
    func count(_ d: [RigidityBinMeasurement]) -> Int { d.count { $0.rigidityGV >= minimumRigidityGV } }
    return ["bc": count(data.boronToCarbon), "c": count(data.carbonFlux), "o": count(data.oxygenFlux)]
  }

  /// The part of a QLT curve each scan mode takes.
  static func part(_ mode: String) -> KeyPath<DiffusionCurvePoint, ParallelDiffusionResult> {
    switch mode {
    case "alfven": \.alfven
    case "slow": \.slow
    case "fast": \.fast
    default: \.total  // "all"
    }
  }

  /// The QLT curve of `medium` at the scan's rigidities.
  func diffusion(_ medium: Medium) throws -> [DiffusionCurvePoint] {
    try MediumDiffusionModel(medium: medium).curve(rigiditiesGigavolts: scan.rigiditiesGV, threads: 1)
  }

  /// ⟨D_pp⟩/p² per mode (1/s) at the scan's rigidities.
  func momentumDiffusion(_ medium: Medium) throws -> [String: [Double]] {
    let rates = try MediumDiffusionModel(medium: medium).momentumDiffusionRates(rigiditiesGigavolts: scan.rigiditiesGV)
    func pick(_ i: Int?) -> [Double] { rates.map { r in i.map { r[$0] } ?? r.reduce(0, +) } }
    return ["all": pick(nil), "alfven": pick(0), "slow": pick(1), "fast": pick(2)]
  }

  /// The spectra of `model` for source index γ: analytic, or numerical with the given
  /// reacceleration; nil when the numerical solver does not converge.
  func spectra(_ model: DiskHaloModel, index γ: Double, processes: TransportProcesses?) throws -> PropagatedSpectra? {
    let base = scan.galaxy.source
    let source = try SourceSpectrum(
      spectralIndex: γ, oxygenToCarbon: base.oxygenToCarbon, nitrogenToCarbon: base.nitrogenToCarbon,
      referenceRigidityGV: base.referenceRigidityGV)
    guard let processes else {
      return AnalyticDiskHaloSolution(model: model, crossSections: crossSections, source: source).spectra()
    }
    let solution = NumericalDiskHaloSolver(
      model: model, crossSections: crossSections, source: source, processes: processes, grid: try NumericalGrid()
    ).solve()
    return solution.converged ? solution.spectra : nil
  }

  func evaluate(point: Int) throws -> [ScanRow] {
    let (haloMedium, diskMedium, parameters) = try scan.media(ofPoint: point)
    let halo = try diffusion(haloMedium)
    let disk = try diskMedium.map(diffusion)
    let quasiLinear = scan.reacceleration == .quasiLinear
    let haloRates = quasiLinear ? try momentumDiffusion(haloMedium) : nil
    let diskRates = quasiLinear ? try diskMedium.map(momentumDiffusion) : nil
    let minimum = scan.galaxy.chiSquareMinimumGV, modulation = scan.galaxy.modulation
    return try scan.modes.map { mode in
      var row = ScanRow(
        point: point, mode: mode, parameterNames: parameters.map(\.0), parameterValues: parameters.map(\.1),
        haloDiffusion: halo.map { $0.centimetresSquaredPerSecond($0[keyPath: Self.part(mode)]) },
        diskDiffusion: disk.map { $0.map { $0.centimetresSquaredPerSecond($0[keyPath: Self.part(mode)]) } }, haloAlfvenSpeed: haloMedium.alfvenSpeedCentimetresPerSecond / 1e5,
        diskAlfvenSpeed: diskMedium.map { $0.alfvenSpeedCentimetresPerSecond / 1e5 }, haloMomentumDiffusion: haloRates?[mode],
        diskMomentumDiffusion: diskRates?[mode], chiSquare: nil, chiSquarePoints: 0, chiSquareDegrees: 0,
        chiSquarePerDegree: nil, chiSquareByData: nil, sourceIndex: nil, slope: nil, reason: nil)
      // The QLT curve reaches the transport model as a `TabulatedDiffusion`, the seam between them.
      func table(_ curve: [DiffusionCurvePoint], zone: String) -> TabulatedDiffusion? {
        let part = Self.part(mode)
        do { return try TabulatedDiffusion(quasiLinear: curve, part: part) } catch {
          let bad = curve.first { $0.centimetresSquaredPerSecond($0[keyPath: part]) == nil }
          row.reason = bad.map { "no finite \(zone) D_∥ at \($0.rigidityGigavolts) GV" } ?? "\(zone) D_∥: \(error.message)"
          return nil
        }
      }
      guard let outer = table(halo, zone: "halo") else { return row }
      let zones: DiffusiveHalo
      if let inner = scan.galaxy.innerHeightKpc, let d = disk {
        guard let innerTable = table(d, zone: "disk") else { return row }
        zones = try DiffusiveHalo.twoZone(
          innerHalfHeightKpc: inner, halfHeightKpc: scan.galaxy.haloHeightKpc, inner: innerTable, outer: outer)
      } else {
        zones = try DiffusiveHalo.oneZone(halfHeightKpc: scan.galaxy.haloHeightKpc, diffusion: outer)
      }
      let model = try DiskHaloModel(disk: scan.galaxy.disk, halo: zones)
      let processes: TransportProcesses?
      switch scan.reacceleration {
      case .none: processes = nil
      case .haloAlfvenSpeed: processes = try TransportProcesses(alfvenSpeedKmPerSecond: haloMedium.alfvenSpeedCentimetresPerSecond / 1e5)
      case .quasiLinear:
        // Inner zone first, as the model's zones run.
        let rates = [row.diskMomentumDiffusion, row.haloMomentumDiffusion].compactMap { $0 }
        if rates.contains(where: { !$0.allSatisfy(\.isFinite) }) {
          row.reason = "no finite quasi-linear D_pp at some rigidity"
          return row
        }
        processes = try TransportProcesses(
          momentumDiffusion: try rates.map { try TabulatedMomentumDiffusion(rigiditiesGV: scan.rigiditiesGV, rates: $0) })
      }
      func compare(_ γ: Double) throws -> (PropagatedSpectra, CosmicRayComparison)? {
        guard let spectra = try spectra(model, index: γ, processes: processes) else { return nil }
        return (spectra, CosmicRayComparison(spectra: spectra, data: data, minimumRigidityGV: minimum, modulation: modulation))
      }
      var γ = scan.galaxy.source.spectralIndex
      if let range = scan.sourceIndexRange {
        γ = try SourceIndexFit.minimize(range: range) { try compare($0)?.1.total(scan.chiSquareData).value ?? .infinity }.index
      }
      guard let (spectra, comparison) = try compare(γ) else {
        row.reason = "the numerical solver did not converge"
        return row
      }
      let chi = comparison.total(scan.chiSquareData, extraParameters: scan.sourceIndexRange == nil ? 0 : 1)
      row.sourceIndex = γ
      row.chiSquare = chi.value
      row.chiSquarePoints = chi.points
      row.chiSquareDegrees = chi.degreesOfFreedom
      row.chiSquarePerDegree = chi.reduced
      row.chiSquareByData = Dictionary(uniqueKeysWithValues: CosmicRayData.Dataset.allCases.map { ($0.rawValue, comparison.chiSquare($0).value) })
      let bc = data.boronToCarbon.map { spectra.boronToCarbon(rigidityGV: $0.rigidityGV, modulation: modulation) }
      row.slope = boronToCarbonSlopes(model: bc, data: data.boronToCarbon, minimumRigidityGV: scan.galaxy.slopeMinimumGV)?.model
      return row
    }
  }
}

/// Finished points of a scan, with the spec text they belong to (JSON, written atomically).
enum ScanCheckpoint {
  struct Contents: Codable {
    var format = "larmor-scan-checkpoint-2"
    var specText: String
    var points: [Int]
    var rows: [[ScanRow]]
  }

  static func save(_ rows: [Int: [ScanRow]], specText: String, to path: String) throws {
    let points = rows.keys.sorted()
    let contents = Contents(specText: specText, points: points, rows: points.map { rows[$0]! })
    try AtomicFile.write(try JSONEncoder().encode(contents), to: path)
  }

  static func load(_ path: String, specText: String) throws -> [Int: [ScanRow]] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw InputError("scan --resume: no checkpoint at \(path)")
    }
    guard let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.format == "larmor-scan-checkpoint-2" else {
      throw InputError("scan --resume: \(path) is not a larmor scan checkpoint")
    }
    guard contents.specText == specText else {
      throw InputError("scan --resume: \(path) was made with another scan spec; remove it or restore that spec")
    }
    return Dictionary(uniqueKeysWithValues: zip(contents.points, contents.rows))
  }
}
