import ArgumentParser
import Foundation
import LarmorIO
import QuasiLinear
import Transport

/// `larmor scan SCAN.toml`: a grid of media → QLT D_∥(𝓡) per mode → disk + halo B/C → χ²
/// against AMS-02. Points run on the command's threads (results by index, independent of the
/// thread count); finished points are checkpointed, and `--resume` continues a stopped scan to
/// the same table.
struct ScanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scan",
    abstract: "Parameter scan: QLT D_∥(R) of a grid of media (halo, and disk for two zones) through the transport model, χ² of B/C against AMS-02.")

  @Argument(help: "Scan spec (TOML with [scan], [halo_medium], optional [disk_medium], and [disk], [halo], [source], [output] as for transport).")
  var spec: String

  @Option(help: "Checkpoint file (default: SCAN.toml.scan-checkpoint).")
  var checkpoint: String?

  @Flag(help: "Continue from the checkpoint: finished points are kept, the rest computed.")
  var resume = false

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
    if common.json {
      print(try jsonText(ScanRow.table(table, scan: scan)))
      return
    }
    print("point  mode    χ²/dof   B/C slope  parameters")
    for row in table {
      let chi = row.chiSquarePerDegree.map { String(format: "%8.2f", $0) } ?? "       —"
      let slope = row.slope.map { String(format: "%9.3f", $0) } ?? "        —"
      let parameters = row.parameters.map { "\($0.0) = \($0.1)" }.joined(separator: ", ")
      print(String(format: "%5d  %-6@  %@  %@  %@", row.point, row.mode, chi, slope, parameters) + (row.reason.map { "  (\($0))" } ?? ""))
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
  var chiSquare: Double?
  var chiSquarePoints: Int
  var chiSquarePerDegree: Double?
  /// d ln(B/C)/d ln 𝓡 above `slope_min_gv`, fitted with the data's weights.
  var slope: Double?
  /// Why there is no B/C (a zone without finite D_∥ at some rigidity).
  var reason: String?

  var parameters: [(String, Double)] { Array(zip(parameterNames, parameterValues)) }

  static func table(_ rows: [ScanRow], scan: ScanSpec) -> [String: Any] {
    var object: [String: Any] = [
      "rigidities_gv": scan.rigiditiesGV, "modes": scan.modes, "points": scan.pointCount,
      "chi2_min_gv": scan.galaxy.chiSquareMinimumGV, "slope_min_gv": scan.galaxy.slopeMinimumGV,
      "halo_height_kpc": scan.galaxy.haloHeightKpc,
      "data": "AMS-02 B/C, Phys. Rep. 894 (2021) 1; errors stat ⊕ syst, uncorrelated",
      "units": ["halo_dpar_cm2_s": "cm²/s", "disk_dpar_cm2_s": "cm²/s", "rigidities_gv": "GV"],
    ]
    if let inner = scan.galaxy.innerHeightKpc { object["inner_height_kpc"] = inner }
    func nullable(_ x: Double?) -> Any { x.map { $0 as Any } ?? NSNull() }
    object["rows"] = rows.map { row -> [String: Any] in
      var r: [String: Any] = [
        "point": row.point, "mode": row.mode, "chi2": nullable(row.chiSquare), "chi2_points": row.chiSquarePoints,
        "chi2_per_dof": nullable(row.chiSquarePerDegree), "bc_slope": nullable(row.slope),
        "halo_dpar_cm2_s": row.haloDiffusion.map(nullable), "reason": row.reason.map { $0 as Any } ?? NSNull(),
      ]
      if let d = row.diskDiffusion { r["disk_dpar_cm2_s"] = d.map(nullable) }
      for (name, value) in row.parameters { r[name] = value }
      return r
    }
    return object
  }
}

/// What every point shares: data, cross sections, the galaxy.
struct ScanContext: Sendable {
  let scan: ScanSpec
  let data: [RigidityBinMeasurement]
  let crossSections: NuclearCrossSections

  init(_ scan: ScanSpec) throws {
    self.scan = scan
    data = try MeasuredData.amsBoronToCarbon()
    crossSections = try NuclearCrossSections.bundled()
  }

  /// D_∥ per mode (cm²/s, nil where divergent or streaming) at the scan's rigidities.
  func diffusion(_ medium: Medium) throws -> [String: [Double?]] {
    let curve = try MediumDiffusionModel(medium: medium).curve(rigiditiesGigavolts: scan.rigiditiesGV, threads: 1)
    func pick(_ f: (DiffusionCurvePoint) -> ParallelDiffusionResult) -> [Double?] { curve.map { $0.centimetresSquaredPerSecond(f($0)) } }
    return ["all": pick(\.total), "alfven": pick(\.alfven), "slow": pick(\.slow), "fast": pick(\.fast)]
  }

  func evaluate(point: Int) throws -> [ScanRow] {
    let (haloMedium, diskMedium, parameters) = try scan.media(ofPoint: point)
    let halo = try diffusion(haloMedium)
    let disk = try diskMedium.map(diffusion)
    return try scan.modes.map { mode in
      var row = ScanRow(
        point: point, mode: mode, parameterNames: parameters.map(\.0), parameterValues: parameters.map(\.1),
        haloDiffusion: halo[mode]!, diskDiffusion: disk?[mode], chiSquare: nil, chiSquarePoints: 0, chiSquarePerDegree: nil,
        slope: nil, reason: nil)
      func table(_ d: [Double?], zone: String) -> TabulatedDiffusion? {
        if let i = d.firstIndex(where: { $0 == nil }) {
          row.reason = "no finite \(zone) D_∥ at \(scan.rigiditiesGV[i]) GV"
          return nil
        }
        return try? TabulatedDiffusion(rigiditiesGV: scan.rigiditiesGV, coefficients: d.map { $0! })
      }
      guard let outer = table(row.haloDiffusion, zone: "halo") else { return row }
      let zones: DiffusiveHalo
      if let inner = scan.galaxy.innerHeightKpc, let d = row.diskDiffusion {
        guard let innerTable = table(d, zone: "disk") else { return row }
        zones = try DiffusiveHalo.twoZone(
          innerHalfHeightKpc: inner, halfHeightKpc: scan.galaxy.haloHeightKpc, inner: innerTable, outer: outer)
      } else {
        zones = try DiffusiveHalo.oneZone(halfHeightKpc: scan.galaxy.haloHeightKpc, diffusion: outer)
      }
      let model = try DiskHaloModel(disk: scan.galaxy.disk, halo: zones)
      let spectra = AnalyticDiskHaloSolution(model: model, crossSections: crossSections, source: scan.galaxy.source).spectra()
      let modulation = scan.galaxy.modulation
      let chi = ChiSquare.evaluate(data: data, minimumRigidityGV: scan.galaxy.chiSquareMinimumGV) {
        spectra.boronToCarbon(rigidityGV: $0, modulation: modulation)
      }
      row.chiSquare = chi.value
      row.chiSquarePoints = chi.points
      row.chiSquarePerDegree = chi.reduced
      let bc = data.map { spectra.boronToCarbon(rigidityGV: $0.rigidityGV, modulation: modulation) }
      row.slope = boronToCarbonSlopes(model: bc, data: data, minimumRigidityGV: scan.galaxy.slopeMinimumGV)?.model
      return row
    }
  }
}

/// Finished points of a scan, with the spec text they belong to (JSON, written atomically).
enum ScanCheckpoint {
  struct Contents: Codable {
    var format = "larmor-scan-checkpoint-1"
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
    guard let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.format == "larmor-scan-checkpoint-1" else {
      throw InputError("scan --resume: \(path) is not a larmor scan checkpoint")
    }
    guard contents.specText == specText else {
      throw InputError("scan --resume: \(path) was made with another scan spec; remove it or restore that spec")
    }
    return Dictionary(uniqueKeysWithValues: zip(contents.points, contents.rows))
  }
}
