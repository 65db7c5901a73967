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
    [output]
    modulation_gv = 0.7
    """

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let (status, stdout, stderr) = try runLarmor(arguments)
    #expect(status == 0, "\(stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  }

  /// A scan point is the separate commands on the same inputs: `larmor qlt` on the point's medium
  /// gives D_∥(𝓡) (cm²/s) equal to the row's, and `larmor transport` with that D as a table model
  /// gives the row's χ² (to 1e-12: the D values pass through printed JSON).
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
    let transport = try writeSpec("""
      [halo]
      height_kpc = 4.0
      [diffusion]
      model = "table"
      rigidities_gv = [10, 100, 1000]
      coefficients = [\(dq.map { String($0) }.joined(separator: ", "))]
      [output]
      modulation_gv = 0.7
      """, name: "scan-transport")
    defer { try? FileManager.default.removeItem(atPath: transport) }
    let t = try Self.json(["transport", transport, "--json"])
    let chi = try #require(row["chi2"] as? Double), chiT = try #require(t["chi2"] as? Double)
    #expect(abs(chi / chiT - 1) < 1e-12, "scan χ² \(chi) vs transport \(chiT)")
    let slope = try #require((t["bc_slope"] as? [String: Any])?["model"] as? Double)
    #expect(abs(try #require(row["bc_slope"] as? Double) - slope) < 1e-12)
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
    ("height_kpc = 4.0", "height_kpc = 4.0\n[disk_medium]\npreset = \"wim\"", "inner_height_kpc"),
    ("height_kpc = 4.0", "height_kpc = 4.0\ninner_height_kpc = 1.0", "disk_medium"),
    ("preset = \"halo\"", "preset = \"halo\"\ncolour = 3", "halo_medium.colour"),
    ("preset = \"halo\"", "preset = \"halo\"\ndamping = \"magic\"", "halo_medium.damping"),
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
}
