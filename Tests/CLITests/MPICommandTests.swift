import Foundation
import Testing

/// `mpirun -np N larmor trace|compare`: the ranks share the work units and rank 0 prints exactly
/// the single-process numbers. Needs OpenMPI's mpirun (installed by scripts/setup).
@Suite(.serialized) struct MPICommandTests {
  /// Runs `mpirun --oversubscribe -np ranks larmor arguments…` (root allowed, as in CI).
  static func runMPI(ranks: Int, _ arguments: [String], exporting extra: [String: String] = [:]) throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    let mpirun = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let mpirun else {
      Issue.record("mpirun not found: scripts/setup installs openmpi-bin")
      return (-1, "", "")
    }
    var environment = ProcessInfo.processInfo.environment
    environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    environment.merge(extra) { $1 }
    let exports = extra.keys.sorted().flatMap { ["-x", $0] }
    return try runProcess(
      URL(fileURLWithPath: mpirun), ["--oversubscribe", "-np", "\(ranks)"] + exports + [larmorExecutable().path] + arguments,
      environment: environment)
  }

  @Test("mpirun -np 2 and -np 3 give the one-process JSON numbers bitwise, for trace and compare")
  func ranksGiveSingleProcessNumbers() throws {
    try ShardCommandTests.withRunSpec { dir, spec in
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

  /// The faults a cluster job meets: one rank killed from outside (SIGKILL, as an OOM killer or a
  /// node failure would) while both ranks have checkpoints. mpirun ends the whole job, and
  /// `--resume` on the same number of ranks finishes it with the one-process numbers bitwise.
  @Test("A rank killed by SIGKILL ends the job; --resume reproduces the one-process numbers")
  func killedRankResumes() throws {
    try ShardCommandTests.withDirectory { dir in
      let spec = dir.appendingPathComponent("run.toml").path
      // ≈ 2e8 particle-steps: ~5 s per rank, checkpoints every 0.3 s of wall time.
      let text = ShardCommandTests.spec(realizations: 2)
        .replacingOccurrences(of: "duration = 3.0", with: "duration = 300.0")
        .replacingOccurrences(of: "count = 96", with: "count = 960")
        .replacingOccurrences(of: "linear_samples = 8", with: "linear_samples = 8\ncheckpoint_seconds = 0.3")
      try text.write(toFile: spec, atomically: true, encoding: .utf8)
      let single = try runLarmor(["trace", spec, "--json", "--threads", "2", "--checkpoint", spec + ".single"])
      #expect(single.status == 0, "\(single.stderr)")
      guard let mpirun = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        Issue.record("mpirun not found: scripts/setup installs openmpi-bin")
        return
      }
      let job = Process()
      job.executableURL = URL(fileURLWithPath: mpirun)
      job.arguments = ["--oversubscribe", "-np", "2", larmorExecutable().path, "trace", spec, "--json", "--threads", "1"]
      var environment = ProcessInfo.processInfo.environment
      environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
      environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
      job.environment = environment
      let log = dir.appendingPathComponent("job.log")
      _ = FileManager.default.createFile(atPath: log.path, contents: nil)
      let handle = try FileHandle(forWritingTo: log)
      job.standardOutput = handle
      job.standardError = handle
      try job.run()
      let checkpoints = [1, 2].map { spec + ".mpi-\($0)-of-2.checkpoint" }
      let deadline = Date().addingTimeInterval(120)
      while !checkpoints.allSatisfy({ FileManager.default.fileExists(atPath: $0) }), job.isRunning, Date() < deadline {
        usleep(50_000)
      }
      #expect(job.isRunning, "the job ended before both ranks had checkpointed; make the run longer")
      // The rank processes: children of mpirun whose executable is larmor.
      let ps = try runProcess(URL(fileURLWithPath: "/bin/ps"), ["-eo", "pid=,ppid=,args="])
      let ranks = ps.stdout.split(separator: "\n").compactMap { line -> Int32? in
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 3, Int32(fields[1]) == job.processIdentifier, fields[2].hasSuffix("/larmor") else { return nil }
        return Int32(fields[0])
      }
      #expect(ranks.count == 2, "rank processes: \(ranks)")
      if let victim = ranks.last { kill(victim, SIGKILL) }
      job.waitUntilExit()
      try handle.close()
      let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      #expect(job.terminationStatus != 0, "\(output)")
      #expect(checkpoints.allSatisfy { FileManager.default.fileExists(atPath: $0) })
      let resumed = try Self.runMPI(ranks: 2, ["trace", spec, "--json", "--threads", "1", "--resume"])
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(try ShardCommandTests.numbers(resumed.stdout) == ShardCommandTests.numbers(single.stdout))
    }
  }

  @Test("A job whose ranks were stopped resumes to the same numbers; too many ranks and bad input are refused once")
  func resumeAndTooManyRanks() throws {
    try ShardCommandTests.withRunSpec { dir, spec in
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

  /// Checkpoints are per work unit, not per rank: a job stopped on 3 ranks resumes on 2 ranks,
  /// and one stopped on 2 ranks resumes in one process, to the one-process numbers bitwise; the
  /// old rank files (and unfinished writes of killed ranks) are removed once the outputs are written.
  @Test("A job stopped on 3 ranks resumes on 2, and one stopped on 2 resumes without mpirun")
  func resumeWithAnotherRankCount() throws {
    try ShardCommandTests.withRunSpec { dir, spec in
      let single = try runLarmor(["trace", spec, "--json", "--threads", "2"])
      #expect(single.status == 0, "\(single.stderr)")
      func rankFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".mpi-") }.sorted()
      }
      for (first, then) in [(3, 2), (2, 1)] {
        let stopped = try Self.runMPI(ranks: first, ["trace", spec, "--json", "--threads", "1", "--stop-after-samples", "25"])
        #expect(stopped.status != 0 && stopped.stderr.contains("--resume"), "\(stopped.stderr)")
        #expect(rankFiles().allSatisfy { $0.contains("-of-\(first).") } && !rankFiles().isEmpty, "\(rankFiles())")  // (a .partial write of a killed rank included)
        let resumed = then == 1
          ? try runLarmor(["trace", spec, "--json", "--threads", "2", "--resume"])
          : try Self.runMPI(ranks: then, ["trace", spec, "--json", "--threads", "1", "--resume"])
        #expect(resumed.status == 0, "\(first) → \(then): \(resumed.stderr)")
        #expect(resumed.stderr.contains("checkpoint file(s) of another rank count"), "\(resumed.stderr)")
        // Rank 0 reuses finished blocks (each stopped rank had finished its first part).
        #expect(!resumed.stderr.contains("another rank count (0 finished"), "\(resumed.stderr)")
        #expect(try ShardCommandTests.numbers(resumed.stdout) == ShardCommandTests.numbers(single.stdout), "\(first) → \(then)")
        #expect(rankFiles().isEmpty, "left behind: \(rankFiles())")
      }
    }
  }

  /// The results travel to rank 0 in rounds of at most (2³¹ − 1)/N bytes per rank (MPI's 32-bit
  /// counts); with the round size lowered to 4 KiB a job of 3 ranks takes many rounds and still
  /// gives the one-process numbers bitwise.
  @Test("Results gathered in many small rounds equal the one-process numbers")
  func gatherInRounds() throws {
    try ShardCommandTests.withRunSpec { dir, spec in
      let single = try runLarmor(["trace", spec, "--json", "--threads", "1"])
      let ranks = try Self.runMPI(ranks: 3, ["trace", spec, "--json", "--threads", "1"], exporting: ["LARMOR_MPI_GATHER_CHUNK": "4096"])
      #expect(ranks.status == 0, "\(ranks.stderr)")
      #expect(try ShardCommandTests.numbers(ranks.stdout) == ShardCommandTests.numbers(single.stdout))
    }
  }
}
