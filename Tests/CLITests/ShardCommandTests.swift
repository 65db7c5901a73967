import Foundation
import Testing

/// `larmor trace --shard K/N` and `larmor merge`: shards that merge into bitwise the single run,
/// a shard resumed after a kill, and shard sets that are refused.
@Suite(.serialized) struct ShardCommandTests {
  static func spec(realizations: Int) -> String {
    """
    [field]
    model = "isotropic"
    db_over_b0 = 0.5
    k_min = 6.283185307179586
    k_max = 37.69911184307752
    seed = 3
    [grid]
    n = 16
    [run]
    realizations = \(realizations)
    duration = 3.0
    samples = 16
    linear_samples = 8
    [particles]
    rigidities = [0.1, 0.4]
    count = 96
    seed = 5
    [estimators]
    mu_bins = 4
    kubo_origins = 4
    """
  }

  /// A fresh directory for one test's files, removed afterwards.
  static func withDirectory(_ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("larmor-shards-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
  }

  /// `body(dir, spec)` with `spec(realizations:)` written to `dir/run.toml` in a fresh directory.
  static func withRunSpec(realizations: Int = 2, _ body: (URL, String) throws -> Void) throws {
    try withDirectory { dir in
      let spec = dir.appendingPathComponent("run.toml").path
      try Self.spec(realizations: realizations).write(toFile: spec, atomically: true, encoding: .utf8)
      try body(dir, spec)
    }
  }

  /// The JSON object without the wall-clock keys.
  static func numbers(_ stdout: String) throws -> NSDictionary {
    var object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    object["seconds"] = nil
    object["ns_per_step"] = nil
    return object as NSDictionary
  }

  @Test("Shards merged in any order give the single run's JSON numbers bitwise (1 and 2 realizations)")
  func shardsMergeIntoSingleRun() throws {
    for (realizations, shards) in [(2, 3), (1, 2)] {
      try Self.withRunSpec(realizations: realizations) { dir, spec in
        let single = try runLarmor(["trace", spec, "--json", "--threads", "2"])
        #expect(single.status == 0, "\(single.stderr)")
        var parts: [String] = []
        for k in 1...shards {
          let part = dir.appendingPathComponent("part-\(k).h5").path
          let r = try runLarmor(["trace", spec, "--shard", "\(k)/\(shards)", "--out", part, "--threads", "1", "--json"])
          #expect(r.status == 0, "\(r.stderr)")
          parts.append(part)
        }
        let merged = try runLarmor(["merge"] + parts.reversed() + ["--json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try Self.numbers(merged.stdout) == Self.numbers(single.stdout))
        #expect(!FileManager.default.fileExists(atPath: spec + ".shard-1-of-\(shards).checkpoint"))
      }
    }
  }

  @Test("A shard killed mid-run and resumed writes the same shard: the merge still equals the single run")
  func resumedShard() throws {
    try Self.withRunSpec { dir, spec in
      let single = try runLarmor(["trace", spec, "--json", "--threads", "2"])
      let (a, b) = (dir.appendingPathComponent("a.h5").path, dir.appendingPathComponent("b.h5").path)
      let killed = try runLarmor(["trace", spec, "--shard", "2/2", "--out", b, "--stop-after-samples", "20"])
      #expect(killed.status != 0 && killed.stderr.contains("--resume"), "\(killed.stderr)")
      #expect(FileManager.default.fileExists(atPath: spec + ".shard-2-of-2.checkpoint"))
      #expect(try runLarmor(["trace", spec, "--shard", "2/2", "--out", b, "--resume"]).status == 0)
      #expect(try runLarmor(["trace", spec, "--shard", "1/2", "--out", a]).status == 0)
      let merged = try runLarmor(["merge", a, b, "--json"])
      #expect(merged.status == 0, "\(merged.stderr)")
      #expect(try Self.numbers(merged.stdout) == Self.numbers(single.stdout))
    }
  }

  @Test("compare on the spec of a killed trace leaves the trace's checkpoint alone: --resume still finishes it")
  func compareKeepsTraceCheckpoint() throws {
    try Self.withRunSpec { dir, spec in
      let killed = try runLarmor(["trace", spec, "--stop-after-samples", "10"])
      #expect(killed.status != 0 && FileManager.default.fileExists(atPath: spec + ".checkpoint"), "\(killed.stderr)")
      #expect(try runLarmor(["compare", spec, "--json"]).status == 0)
      #expect(FileManager.default.fileExists(atPath: spec + ".checkpoint"))
      let resumed = try runLarmor(["trace", spec, "--resume", "--json"])
      let single = try runLarmor(["trace", spec, "--json"])
      #expect(resumed.status == 0, "\(resumed.stderr)")
      let (a, b) = (try Self.numbers(resumed.stdout), try Self.numbers(single.stdout))
      #expect(a == b)
    }
  }

  @Test("A killed compare resumes from its own checkpoint to the uninterrupted compare's numbers")
  func compareResumes() throws {
    try Self.withRunSpec { dir, spec in
      let killed = try runLarmor(["compare", spec, "--stop-after-samples", "10"])
      #expect(killed.status != 0 && FileManager.default.fileExists(atPath: spec + ".compare.checkpoint"), "\(killed.stderr)")
      let resumed = try runLarmor(["compare", spec, "--resume", "--json"])
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(resumed.stderr.contains("resum"), "\(resumed.stderr)")
      #expect(!FileManager.default.fileExists(atPath: spec + ".compare.checkpoint"))
      let single = try runLarmor(["compare", spec, "--json"])
      #expect(try Self.numbers(resumed.stdout) == Self.numbers(single.stdout))
    }
  }

  @Test("Bad shard sets and shard options are refused with one clear line")
  func badShards() throws {
    try Self.withRunSpec { dir, spec in
      let other = dir.appendingPathComponent("other.toml").path
      try Self.spec(realizations: 2).replacingOccurrences(of: "seed = 5", with: "seed = 6").write(toFile: other, atomically: true, encoding: .utf8)
      func part(_ name: String) -> String { dir.appendingPathComponent(name).path }
      for (k, file) in [(1, "p1.h5"), (2, "p2.h5"), (3, "p3.h5")] {
        #expect(try runLarmor(["trace", spec, "--shard", "\(k)/3", "--out", part(file)]).status == 0)
      }
      #expect(try runLarmor(["trace", other, "--shard", "3/3", "--out", part("q3.h5")]).status == 0)
      let cases: [([String], String)] = [
        (["merge", part("p1.h5"), part("p2.h5")], "shards 3 of 3 are missing"),
        (["merge", part("p1.h5"), part("p2.h5"), part("p2.h5"), part("p3.h5")], "given twice"),
        (["merge", part("p1.h5"), part("p2.h5"), part("q3.h5")], "another run"),
        (["merge", spec], "not an HDF5 file"),
        (["trace", spec, "--shard", "0/3", "--out", part("x.h5")], "1 ≤ K ≤ N"),
        (["trace", spec, "--shard", "4/3", "--out", part("x.h5")], "1 ≤ K ≤ N"),
        (["trace", spec, "--shard", "two/3", "--out", part("x.h5")], "1 ≤ K ≤ N"),
        (["trace", spec, "--shard", "1/3"], "--shard needs --out"),
        (["trace", spec, "--shard", "1/17", "--out", part("x.h5")], "shard count must lie in 1…16"),
      ]
      for (arguments, message) in cases {
        let r = try runLarmor(arguments)
        #expect(r.status != 0 && r.stderr.contains(message), "\(arguments.dropFirst(2)): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 3, "\(r.stderr)")
      }
      // A changed run spec cannot be merged: the estimators would read other settings.
      try Self.spec(realizations: 2).replacingOccurrences(of: "mu_bins = 4", with: "mu_bins = 6").write(toFile: spec, atomically: true, encoding: .utf8)
      let changed = try runLarmor(["merge", part("p1.h5"), part("p2.h5"), part("p3.h5")])
      #expect(changed.status != 0 && changed.stderr.contains("has changed"), "\(changed.stderr)")
    }
  }
}
