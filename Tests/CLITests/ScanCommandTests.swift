import Foundation
import Testing

/// `larmor scan`: a grid of media through QLT and the transport model.
@Suite(.serialized) struct ScanCommandTests {
  static let scan = """
    [scan]
    rigidities_gv = [10, 100, 1000]
    modes = ["all", "alfven", "fast"]
    [halo_medium]
    preset = "halo"
    mach_alfven = [0.5, 1.0, 2.0]
    outer_scale_pc = [30, 100]
    [halo]
    height_kpc = 4.0
    [source]
    fit_index = true
    [output]
    modulation_gv = 0.7
    """

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let (status, stdout, stderr) = try runLarmor(arguments)
    #expect(status == 0, "\(stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  }

  /// `larmor transport --json` on the halo (H = 4 kpc) with D_∥ (cm²/s) at 10, 100, 1000 GV as a
  /// table model, plus `extra` sections.
  static func tableTransport(_ d: [Double], _ extra: String = "") throws -> [String: Any] {
    let path = try writeSpec("""
      [halo]
      height_kpc = 4.0
      [diffusion]
      model = "table"
      rigidities_gv = [10, 100, 1000]
      coefficients = \(list(d))
      [output]
      modulation_gv = 0.7
      \(extra)
      """, name: "scan-transport")
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try json(["transport", path, "--json"])
  }

  static func list(_ x: [Double]) -> String { "[" + x.map { String($0) }.joined(separator: ", ") + "]" }

  /// A scan point is the separate commands on the same inputs: `larmor qlt` on the point's medium
  /// gives D_∥(𝓡) (cm²/s) equal to the row's, and `larmor transport` with that D as a table model
  /// and the row's fitted source index gives the row's χ² of B/C, C and O (to 1e-12: the D values
  /// pass through printed JSON); the row's χ² is their sum, with 3 fitted parameters (γ and two
  /// amplitudes), and γ is a minimum of it.
  @Test func pointEqualsQLTPlusTransport() throws {
    let spec = try writeSpec(Self.scan, name: "scan")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let table = try Self.json(["scan", spec, "--json", "--threads", "2"])
    let rows = try #require(table["rows"] as? [[String: Any]])
    #expect(rows.count == 6 * 3 && table["points"] as? Int == 6)
    // point 3: M_A = 1, L = 100 pc (the halo preset itself), mode "all"
    let row = try #require(rows.first { $0["point"] as? Int == 3 && $0["mode"] as? String == "all" })
    #expect(row["halo_mach_alfven"] as? Double == 1.0 && row["halo_outer_scale_pc"] as? Double == 100)
    let d = try #require(row["halo_dpar_cm2_s"] as? [Double])
    let qltSpec = try writeSpec("[medium]\npreset = \"halo\"\n[qlt]\nrigidities_gv = [10, 100, 1000]\n", name: "scan-qlt")
    defer { try? FileManager.default.removeItem(atPath: qltSpec) }
    let qlt = try Self.json(["qlt", qltSpec, "--json"])
    let dq = try #require(qlt["dpar"] as? [Double])
    for (a, b) in zip(d, dq) { #expect(abs(a / b - 1) < 1e-12, "D \(a) vs qlt \(b)") }
    let γ = try #require(row["source_index"] as? Double)
    func transport(index: Double) throws -> [String: Any] { try Self.tableTransport(dq, "[source]\nindex = \(index)") }
    let t = try transport(index: γ)
    func close(_ a: Any?, _ b: Any?, _ what: String) throws {
      let x = try #require(a as? Double, "\(what)"), y = try #require(b as? Double, "\(what)")
      #expect(abs(x / y - 1) < 1e-12, "\(what): scan \(x) vs transport \(y)")
    }
    try close(row["chi2_bc"], t["chi2"], "χ² B/C")
    try close(row["chi2_c"], (t["carbon"] as? [String: Any])?["chi2"], "χ² C")
    try close(row["chi2_o"], (t["oxygen"] as? [String: Any])?["chi2"], "χ² O")
    let sum = try ["chi2_bc", "chi2_c", "chi2_o"].map { try #require(row[$0] as? Double) }.reduce(0, +)
    try close(row["chi2"], sum, "χ² total")
    #expect(row["chi2_points"] as? Int == 50 + 51 + 51 && row["chi2_dof"] as? Int == 152 - 3)
    let slope = try #require((t["bc_slope"] as? [String: Any])?["model"] as? Double)
    #expect(abs(try #require(row["bc_slope"] as? Double) - slope) < 1e-12)
    // γ minimizes the total: ±0.01 raises it.
    for step in [-0.01, 0.01] {
      let u = try transport(index: γ + step)
      let total = try ["carbon", "oxygen"].map { try #require((u[$0] as? [String: Any])?["chi2"] as? Double) }.reduce(try #require(u["chi2"] as? Double), +)
      #expect(total > sum, "γ \(γ + step): \(total) vs \(sum) at γ = \(γ)")
    }
    // Alfvén modes at M_A = 0.5 give no finite D_∥ (streaming): no χ², a reason.
    let alfven = try #require(rows.first { $0["point"] as? Int == 0 && $0["mode"] as? String == "alfven" })
    #expect(alfven["chi2"] is NSNull && (alfven["reason"] as? String)?.contains("no finite halo D_∥") == true)
  }

  /// A scan stopped after some points resumes from its checkpoint to the uninterrupted table,
  /// on another thread count; the checkpoint is removed when the scan finishes; a checkpoint
  /// of another spec is refused.
  @Test func stoppedScanResumesToTheSameTable() throws {
    let spec = try writeSpec(Self.scan, name: "scan-resume")
    let checkpoint = spec + ".scan-checkpoint"
    defer { for p in [spec, checkpoint] { try? FileManager.default.removeItem(atPath: p) } }
    let whole = try Self.json(["scan", spec, "--json", "--threads", "2"])
    let stopped = try runLarmor(["scan", spec, "--json", "--threads", "1", "--stop-after-points", "2"])
    #expect(stopped.status != 0 && stopped.stderr.contains("--resume"), "\(stopped.stderr)")
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    let other = try writeSpec(Self.scan.replacingOccurrences(of: "[0.5, 1.0, 2.0]", with: "[0.5, 1.0]"), name: "scan-other")
    defer { try? FileManager.default.removeItem(atPath: other) }
    let refused = try runLarmor(["scan", other, "--resume", "--checkpoint", checkpoint])
    #expect(refused.status != 0 && refused.stderr.contains("another scan spec"), "\(refused.stderr)")
    let (status, stdout, stderr) = try runLarmor(["scan", spec, "--json", "--threads", "2", "--resume"])
    #expect(status == 0 && stderr.contains("2 of 6 points finished"), "\(stderr)")
    let resumed = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: Data(stdout.utf8)), options: [.sortedKeys])
    #expect(resumed == (try JSONSerialization.data(withJSONObject: whole, options: [.sortedKeys])))
    #expect(!FileManager.default.fileExists(atPath: checkpoint))
  }

  /// Bad scans: one line naming the key.
  @Test(arguments: [
    ("modes = [\"all\", \"alfven\", \"fast\"]", "modes = [\"magic\"]", "scan.modes"),
    ("rigidities_gv = [10, 100, 1000]", "rigidities_gv = [100, 10]", "scan.rigidities_gv"),
    ("mach_alfven = [0.5, 1.0, 2.0]", "mach_alfven = [0.5, -1.0]", "mach_alfven"),
    ("mach_alfven = [0.5, 1.0, 2.0]", "mach_alfven = []", "halo_medium.mach_alfven"),
    ("height_kpc = 4.0", "height_kpc = 4.0\n[disk_medium]\npreset = \"wim\"", "inner_height_kpc"),
    ("height_kpc = 4.0", "height_kpc = 4.0\ninner_height_kpc = 1.0", "disk_medium"),
    ("preset = \"halo\"", "preset = \"halo\"\ncolour = 3", "halo_medium.colour"),
    ("preset = \"halo\"", "preset = \"halo\"\ndamping = \"magic\"", "halo_medium.damping"),
    ("modes = [\"all\", \"alfven\", \"fast\"]", "modes = [\"all\"]\nchi2_data = [\"bc\", \"li\"]", "scan.chi2_data"),
    ("modes = [\"all\", \"alfven\", \"fast\"]", "modes = [\"all\"]\nchi2_data = []", "scan.chi2_data"),
    ("fit_index = true", "fit_index = true\nindex_range = [3.0, 2.0]", "source.index_range"),
    ("fit_index = true", "index_range = [2.0, 3.0]", "source.index_range"),
    ("modes = [\"all\", \"alfven\", \"fast\"]", "modes = [\"all\"]\nreacceleration = \"yes\"", "scan.reacceleration"),
    ("modes = [\"all\", \"alfven\", \"fast\"]", "modes = [\"all\"]\nreacceleration = \"halo-alfven-speed\"", "scan.reacceleration"),
  ])
  func badScans(_ replace: (String, String, String)) throws {
    let spec = try writeSpec(Self.scan.replacingOccurrences(of: replace.0, with: replace.1), name: "scan-bad")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let (status, _, stderr) = try runLarmor(["scan", spec])
    #expect(status != 0 && stderr.contains(replace.2), "\(stderr)")
    #expect(stderr.split(separator: "\n").count <= 2, "\(stderr)")
  }

  /// Two zones: the disk medium's D_∥ for |z| < h₁, the halo's above; with the same medium in both
  /// zones the χ² is the one-zone value.
  @Test func twoZoneScanWithTheSameMediumIsOneZone() throws {
    let one = Self.scan.replacingOccurrences(of: "mach_alfven = [0.5, 1.0, 2.0]\nouter_scale_pc = [30, 100]\n", with: "")
    let two = one.replacingOccurrences(of: "height_kpc = 4.0", with: "height_kpc = 4.0\ninner_height_kpc = 1.0")
      + "\n[disk_medium]\npreset = \"halo\"\n"
    let a = try writeSpec(one, name: "scan-one-zone"), b = try writeSpec(two, name: "scan-two-zone")
    defer { for p in [a, b] { try? FileManager.default.removeItem(atPath: p) } }
    let rowsA = try #require(try Self.json(["scan", a, "--json"])["rows"] as? [[String: Any]])
    let rowsB = try #require(try Self.json(["scan", b, "--json"])["rows"] as? [[String: Any]])
    #expect(rowsA.count == 3 && rowsB.count == 3)
    for (x, y) in zip(rowsA, rowsB) {
      if let cx = x["chi2"] as? Double {
        #expect(abs(cx / (try #require(y["chi2"] as? Double)) - 1) < 1e-12)
        #expect(y["disk_dpar_cm2_s"] as? [Double] == x["halo_dpar_cm2_s"] as? [Double])
      }
    }
  }

  /// Reacceleration. From the halo medium's v_A: a row equals `larmor transport` with the
  /// numerical solver and that v_A (from `larmor qlt`), on the row's D_∥ table; a v_A above the
  /// transport model's range is refused before any work. From each medium's quasi-linear D_pp:
  /// the summed rate is the families' sum, it changes B/C, and `larmor transport` with the row's
  /// D and D_pp tables gives the row's χ².
  @Test func reaccelerationFromTheMedia() throws {
    let base = """
      [scan]
      rigidities_gv = [10, 100, 1000]
      modes = ["all"]
      reacceleration = "halo-alfven-speed"
      [halo_medium]
      preset = "halo"
      [halo]
      height_kpc = 4.0
      """
    let spec = try writeSpec(base, name: "scan-reacceleration")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let table = try Self.json(["scan", spec, "--json"])
    let row = try #require((table["rows"] as? [[String: Any]])?.first)
    let d = try #require(row["halo_dpar_cm2_s"] as? [Double])
    let qltSpec = try writeSpec("[medium]\npreset = \"halo\"\n[qlt]\nrigidities_gv = [10]\n", name: "scan-reacceleration-qlt")
    defer { try? FileManager.default.removeItem(atPath: qltSpec) }
    let speed = try #require(try Self.json(["qlt", qltSpec, "--json"])["alfven_speed_km_s"] as? Double)
    let t = try Self.tableTransport(d, "[solver]\nmethod = \"numerical\"\nalfven_speed_km_s = \(speed)")
    let chi = try #require(row["chi2_bc"] as? Double), chiT = try #require(t["chi2"] as? Double)
    #expect(abs(chi / chiT - 1) < 1e-12, "scan \(chi) vs transport \(chiT)")
    #expect((table["reacceleration"] as? String)?.contains("v_A") == true)
    // The same scan without reacceleration differs (v_A = 66 km/s matters at 10 GV).
    let plain = try writeSpec(base.replacingOccurrences(of: "halo-alfven-speed", with: "none"), name: "scan-plain")
    defer { try? FileManager.default.removeItem(atPath: plain) }
    let without = try #require(((try Self.json(["scan", plain, "--json"])["rows"] as? [[String: Any]])?.first?["chi2_bc"]) as? Double)
    #expect(abs(without / chi - 1) > 1e-3)
    // Each medium's own quasi-linear D_pp: the rate of "all" is the sum of the families', the
    // fast modes' dominate, and it reaccelerates (B/C differs from the plain row).
    let qltSpec2 = try writeSpec(
      base.replacingOccurrences(of: "halo-alfven-speed", with: "qlt").replacingOccurrences(of: "modes = [\"all\"]", with: "modes = [\"all\", \"alfven\", \"slow\", \"fast\"]"),
      name: "scan-qlt-reacceleration")
    defer { try? FileManager.default.removeItem(atPath: qltSpec2) }
    let q = try #require(try Self.json(["scan", qltSpec2, "--json"])["rows"] as? [[String: Any]])
    let rates = try q.map { try #require($0["halo_dpp_s"] as? [Double]) }
    for i in rates[0].indices {
      #expect(abs((rates[1][i] + rates[2][i] + rates[3][i]) / rates[0][i] - 1) < 1e-12)
      #expect(rates[3][i] > 0.99 * rates[0][i])
    }
    let reaccelerated = try #require(q[0]["chi2_bc"] as? Double)
    #expect(abs(reaccelerated / without - 1) > 1e-3 && abs(reaccelerated / chi - 1) > 1e-3)
    // … and equals `larmor transport` given the row's D and D_pp tables.
    let dq = try #require(q[0]["halo_dpar_cm2_s"] as? [Double])
    let tq = try #require(
      try Self.tableTransport(dq, "[solver]\nmethod = \"numerical\"\ndpp_rigidities_gv = [10, 100, 1000]\ndpp_s = \(Self.list(rates[0]))")["chi2"] as? Double)
    #expect(abs(tq / reaccelerated - 1) < 1e-12, "transport \(tq) vs scan \(reaccelerated)")
    let fast = try writeSpec(base.replacingOccurrences(of: "preset = \"halo\"", with: "preset = \"halo\"\nmagnetic_field_uG = [1, 100]"), name: "scan-reacceleration-fast")
    defer { try? FileManager.default.removeItem(atPath: fast) }
    let refused = try runLarmor(["scan", fast])
    #expect(refused.status != 0 && refused.stderr.contains("point 1") && refused.stderr.contains("v_A"), "\(refused.stderr)")
  }
}
