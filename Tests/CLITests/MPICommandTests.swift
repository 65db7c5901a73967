import Foundation
import Testing

/// `mpirun -np N larmor trace|compare`: the ranks share the work units and rank 0 prints exactly
/// the single-process numbers. Needs OpenMPI's mpirun (installed by scripts/setup).
@Suite(.serialized) struct MPICommandTests {
  /// Runs `mpirun --oversubscribe -np ranks larmor arguments…` (root allowed, as in CI).
  static func runMPI(ranks: Int, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let mpirun = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let mpirun else {
      Issue.record("mpirun not found: scripts/setup installs openmpi-bin")
      return (-1, "", "")
    }
    var environment = ProcessInfo.processInfo.environment
    environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    return try runProcess(
      URL(fileURLWithPath: mpirun), ["--oversubscribe", "-np", "\(ranks)", larmorExecutable().path] + arguments, environment: environment)
  }

  @Test("mpirun -np 2 and -np 3 give the one-process JSON numbers bitwise, for trace and compare")
  func ranksGiveSingleProcessNumbers() throws {
    try ShardCommandTests.withDirectory { dir in
      let spec = dir.appendingPathComponent("run.toml").path
      try ShardCommandTests.spec(realizations: 2).write(toFile: spec, atomically: true, encoding: .utf8)
      let single = try runLarmor(["trace", spec, "--json", "--threads", "2"])
      #expect(single.status == 0, "\(single.stderr)")
      for ranks in [2, 3] {
        let r = try Self.runMPI(ranks: ranks, ["trace", spec, "--json", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ShardCommandTests.numbers(r.stdout) == ShardCommandTests.numbers(single.stdout), "np = \(ranks)")
      }
      let compare = try runLarmor(["compare", spec, "--json", "--threads", "2"])
      let compareMPI = try Self.runMPI(ranks: 2, ["compare", spec, "--json", "--threads", "1"])
      #expect(compareMPI.status == 0, "\(compareMPI.stderr)")
      #expect(try ShardCommandTests.numbers(compareMPI.stdout) == ShardCommandTests.numbers(compare.stdout))
      let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".checkpoint") }
      #expect(left.isEmpty, "\(left)")
    }
  }

  @Test("A job whose ranks were stopped resumes to the same numbers; too many ranks and bad input are refused once")
  func resumeAndTooManyRanks() throws {
    try ShardCommandTests.withDirectory { dir in
      let spec = dir.appendingPathComponent("run.toml").path
      try ShardCommandTests.spec(realizations: 2).write(toFile: spec, atomically: true, encoding: .utf8)
      let single = try runLarmor(["trace", spec, "--json", "--threads", "2"])
      let stopped = try Self.runMPI(ranks: 2, ["trace", spec, "--json", "--threads", "1", "--stop-after-samples", "20"])
      #expect(stopped.status != 0 && stopped.stderr.contains("--resume"), "\(stopped.stderr)")
      let resumed = try Self.runMPI(ranks: 2, ["trace", spec, "--json", "--threads", "1", "--resume"])
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(try ShardCommandTests.numbers(resumed.stdout) == ShardCommandTests.numbers(single.stdout))
      let many = try Self.runMPI(ranks: 17, ["trace", spec, "--json"])  // 2 realizations × 8 blocks = 16 units
      #expect(many.status != 0 && many.stderr.contains("use at most 16 ranks"), "\(many.stderr)")
      #expect(many.stderr.components(separatedBy: "use at most").count == 2, "one message, not one per rank")
      // Bad input every rank reads alike is reported once, by rank 0, for trace and compare.
      let bad = dir.appendingPathComponent("bad.toml").path
      try ShardCommandTests.spec(realizations: 2).replacingOccurrences(of: "count = 96", with: "count = 0").write(toFile: bad, atomically: true, encoding: .utf8)
      for command in ["trace", "compare"] {
        let r = try Self.runMPI(ranks: 2, [command, bad])
        #expect(r.status != 0 && r.stderr.components(separatedBy: "particles.count").count == 2, "\(command): \(r.stderr)")
      }
    }
  }
}
