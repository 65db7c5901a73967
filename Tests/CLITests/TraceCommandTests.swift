import Foundation
import Testing

/// A small slab run: 1×1×512 cells, box 4 L along B₀, two realizations, R = 0.05.
let smallRun = """
  [field]
  model = "slab"
  db_over_b0 = 0.01
  k_max = 300
  seed = 3
  [grid]
  n = 512
  box = [1, 1, 4]
  [run]
  realizations = 2
  duration = 3.0
  samples = 12
  checkpoint_seconds = 1000
  [particles]
  rigidities = [0.05, 0.2]
  count = 64
  seed = 5
  [estimators]
  mu_bins = 4
  """

func traceJSON(_ arguments: [String]) throws -> [String: Any] {
  let (status, stdout, stderr) = try runLarmor(arguments)
  guard status == 0 else { throw InputFailure(message: stderr) }
  return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
}

struct InputFailure: Error { let message: String }

@Suite(.serialized) struct TraceCommandTests {
  @Test func jsonContract() throws {
    let spec = try writeSpec(smallRun, name: "trace-ok")
    let object = try traceJSON(["trace", spec, "--json", "--threads", "2"])
    for key in ["mu_bins", "dmumu", "dmumu_err", "dpar", "dpar_err", "dperp", "dperp_err", "particles", "steps", "seconds", "times", "dpar_running", "rigidities"] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(object["particles"] as? Int == 64 * 2 * 2)
    #expect((object["dmumu"] as? [[Any]])?.count == 2)
    #expect((object["mu_bins"] as? [Double])?.count == 4)
  }

  /// A run stopped half-way and resumed from its checkpoint gives the numbers of an uninterrupted run.
  /// `cell_fraction` > 1 is accepted with a one-line note on stderr. The gyration rule
  /// (Ω_max Δt = 0.1, Ω_max = 1.04/R) allows 0.615 cells of Δz = 4/512 at R = 0.05 and 2.46 at
  /// R = 0.2; the default cell rule (0.25 cells) binds at both, cell_fraction = 8 at neither, so
  /// the steps fall by (1/0.25 + 1/0.25)/(1/0.615 + 1/2.46) = 3.94.
  @Test func largeStepsAreAllowedWithANote() throws {
    let base = try writeSpec(smallRun, name: "trace-small-steps")
    let large = try writeSpec(smallRun.replacingOccurrences(of: "duration = 3.0", with: "duration = 3.0\ncell_fraction = 8"), name: "trace-large-steps")
    defer { for p in [base, large] { try? FileManager.default.removeItem(atPath: p) } }
    let (status, stdout, stderr) = try runLarmor(["trace", large, "--json", "--threads", "2"])
    #expect(status == 0, "\(stderr)")
    #expect(stderr.contains("note: run.cell_fraction = 8.0 > 1"), "\(stderr)")
    let coarse = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    let fine = try traceJSON(["trace", base, "--json", "--threads", "2"])
    let (a, b) = (try #require(fine["steps"] as? Double), try #require(coarse["steps"] as? Double))
    let cell = 4.0 / 512
    let gyration = [0.05, 0.2].map { 0.1 * $0 / 1.04 / cell }  // cells per step allowed by the phase rule
    let expected = 2 / 0.25 / gyration.map { 1 / $0 }.reduce(0, +)
    #expect(abs(a / b / expected - 1) < 0.01, "steps \(a) vs \(b), expected ratio \(expected)")
  }

  @Test func resumeEqualsUninterrupted() throws {
    let spec = try writeSpec(smallRun, name: "trace-resume")
    let checkpoint = spec + ".ckpt"
    let whole = try traceJSON(["trace", spec, "--json", "--threads", "2", "--checkpoint", checkpoint])
    let (status, _, stderr) = try runLarmor(["trace", spec, "--json", "--threads", "1", "--checkpoint", checkpoint, "--stop-after-samples", "17"])
    #expect(status != 0)
    #expect(stderr.contains("--resume"))
    #expect(FileManager.default.fileExists(atPath: checkpoint))
    let resumed = try traceJSON(["trace", spec, "--json", "--threads", "2", "--checkpoint", checkpoint, "--resume"])
    for key in ["dmumu", "dmumu_err", "dpar", "dpar_err", "dperp", "dpar_running", "steps"] {
      let a = try JSONSerialization.data(withJSONObject: [whole[key]!], options: [.sortedKeys])
      let b = try JSONSerialization.data(withJSONObject: [resumed[key]!], options: [.sortedKeys])
      #expect(a == b, "\(key) differs after resume")
    }
    #expect(!FileManager.default.fileExists(atPath: checkpoint))  // removed once the run completes
  }

  /// Bad run specs: exit ≠ 0, a message naming the key or file, never a crash.
  @Test(arguments: [
    ("rigidities = [0.05, 0.2]", "rigidities = [0.0]", "particles.rigidities"),
    ("rigidities = [0.05, 0.2]", "rigidities = []", "particles.rigidities"),
    ("count = 64", "count = 0", "particles.count"),
    ("duration = 3.0", "duration = -1.0", "run.duration"),
    ("duration = 3.0", "duration = 3.0\nphase_per_step = 2.0", "run.phase_per_step"),
    ("duration = 3.0", "duration = 3.0\ncell_fraction = 0", "run.cell_fraction"),
    ("duration = 3.0", "duration = 3.0\ncell_fraction = 17", "run.cell_fraction"),
    ("duration = 3.0", "duration = 3.0\ndb_over_b0 = -1", "run.db_over_b0"),
    ("duration = 3.0", "duration = 3.0\nfirst_sample = 5.0", "run.first_sample"),
    ("samples = 12", "samples = 1", "run.samples"),
    ("realizations = 2", "realizations = 0", "run.realizations"),
    ("seed = 5", "seed = 5\nmu = [0.5, 1.5]", "particles.mu"),
    ("seed = 5", "seed = 5\nenergy = 1", "particles.energy"),
    ("mu_bins = 4", "mu_bins = 0", "estimators.mu_bins"),
    ("realizations = 2", "realizations = 2\nrotation = \"rk4\"", "run.rotation"),
    ("realizations = 2", "realizations = 2\nfield = \"other.toml\"", "run.field"),
    ("[particles]", "[particle]", "particle"),
    ("realizations = 2", "realizations = 2\nfield_file = \"/nonexistent/field.h5\"", "run.field"),
  ])
  func badRunSpec(_ original: String, _ replacement: String, _ expected: String) throws {
    let spec = try writeSpec(smallRun.replacingOccurrences(of: original, with: replacement), name: "trace-bad")
    let (status, _, stderr) = try runLarmor(["trace", spec, "--threads", "1"])
    #expect(status != 0 && status < 128)
    #expect(stderr.contains(expected), "stderr: \(stderr)")
  }

  /// Field files: missing, truncated, or with a grid other than the spec's → one-line error naming the file.
  @Test func badFieldFiles() throws {
    let fieldSpec = try writeSpec(smallRun, name: "trace-fieldspec")
    let h5 = fieldSpec + ".h5"
    defer { unlink(h5) }
    #expect(try runLarmor(["field", fieldSpec, "--out", h5]).status == 0)
    let runOnly = smallRun.components(separatedBy: "[run]")[1]
    func fileRun(_ grid: String) throws -> (Int32, String) {
      let spec = try writeSpec("[run]\nfield_file = \"\(h5)\"\n" + runOnly.replacingOccurrences(of: "realizations = 2", with: "realizations = 1") + grid, name: "trace-file")
      let (status, _, stderr) = try runLarmor(["trace", spec, "--threads", "1"])
      return (status, stderr)
    }
    let (wrongGrid, wrongMessage) = try fileRun("\n[grid]\nnz = 256\n")
    #expect(wrongGrid != 0 && wrongMessage.contains("disagrees"))
    let (ok, _) = try fileRun("\n[grid]\nnz = 512\n")
    #expect(ok == 0)
    let data = try Data(contentsOf: URL(fileURLWithPath: h5))
    try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: h5))
    let (truncated, truncatedMessage) = try fileRun("")
    #expect(truncated != 0 && truncated < 128 && truncatedMessage.contains(h5))
  }

  /// A checkpoint whose field file was replaced by another file of the same name (another seed),
  /// or whose bytes were damaged, is refused with one line saying which; the intact one resumes.
  @Test func resumeRefusesAReplacedFieldFileAndADamagedCheckpoint() throws {
    let fieldSpec = try writeSpec(smallRun, name: "trace-fieldspec-resume")
    let h5 = fieldSpec + ".h5", other = fieldSpec + ".seed4.h5"
    let otherSpec = try writeSpec(smallRun.replacingOccurrences(of: "seed = 3", with: "seed = 4"), name: "trace-fieldspec-seed4")
    defer { unlink(h5); unlink(other) }
    #expect(try runLarmor(["field", fieldSpec, "--out", h5]).status == 0)
    #expect(try runLarmor(["field", otherSpec, "--out", other]).status == 0)
    let runOnly = smallRun.components(separatedBy: "[run]")[1]
    let spec = try writeSpec(
      "[run]\nfield_file = \"\(h5)\"\n" + runOnly.replacingOccurrences(of: "realizations = 2", with: "realizations = 1") + "\n[grid]\nnz = 512\n",
      name: "trace-file-resume")
    let checkpoint = spec + ".ckpt"
    defer { unlink(checkpoint) }
    let (stopped, _, stoppedMessage) = try runLarmor(["trace", spec, "--checkpoint", checkpoint, "--stop-after-samples", "3"])
    #expect(stopped != 0 && FileManager.default.fileExists(atPath: checkpoint), "\(stoppedMessage)")
    let intact = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
    // Same name, another field.
    let original = try Data(contentsOf: URL(fileURLWithPath: h5))
    try FileManager.default.removeItem(atPath: h5)
    try FileManager.default.copyItem(atPath: other, toPath: h5)
    let (replaced, _, replacedMessage) = try runLarmor(["trace", spec, "--checkpoint", checkpoint, "--resume"])
    #expect(replaced != 0 && replacedMessage.contains("another field file"), "\(replacedMessage)")
    try original.write(to: URL(fileURLWithPath: h5))
    // One bit flipped in the middle of the checkpoint.
    var damaged = intact
    damaged[damaged.count / 2] ^= 0x10
    try damaged.write(to: URL(fileURLWithPath: checkpoint))
    let (corrupt, _, corruptMessage) = try runLarmor(["trace", spec, "--checkpoint", checkpoint, "--resume"])
    #expect(corrupt != 0 && corruptMessage.contains("corrupt"), "\(corruptMessage)")
    #expect(corruptMessage.split(separator: "\n").count <= 2)
    try intact.write(to: URL(fileURLWithPath: checkpoint))
    #expect(try runLarmor(["trace", spec, "--checkpoint", checkpoint, "--resume"]).status == 0)
  }

  /// Ctrl-C (SIGINT) or SIGTERM during a run: exit 128 + signal with one line naming the
  /// checkpoint and the command that continues; `--resume` then says where it picks up.
  @Test func interruptionNamesTheCheckpointAndResumeSaysWhere() throws {
    let spec = try writeSpec(
      smallRun.replacingOccurrences(of: "duration = 3.0", with: "duration = 200.0")
        .replacingOccurrences(of: "count = 64", with: "count = 4000")
        .replacingOccurrences(of: "checkpoint_seconds = 1000", with: "checkpoint_seconds = 0.2"),
      name: "trace-interrupt")
    let checkpoint = spec + ".ckpt"
    defer { unlink(checkpoint) }
    for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
      let process = Process()
      process.executableURL = larmorExecutable()
      process.arguments = ["trace", spec, "--threads", "1", "--checkpoint", checkpoint] + (sig == SIGTERM ? ["--resume"] : [])
      let err = Pipe()
      process.standardError = err
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(60)
      // A checkpoint written after this one started (the SIGTERM round resumes the first's).
      let start = Date()
      func fresh() -> Bool {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: checkpoint))?[.modificationDate] as? Date else { return false }
        return date > start
      }
      while !fresh(), process.isRunning, Date() < deadline { usleep(20_000) }
      #expect(process.isRunning, "the run ended before its first checkpoint")
      kill(process.processIdentifier, sig)
      let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 128 + sig, "\(message)")
      #expect(message.contains("interrupted (\(name))") && message.contains(checkpoint) && message.contains("--resume"), "\(message)")
      if sig == SIGTERM { #expect(message.contains("resuming from \(checkpoint)") && message.contains("continues from t ="), "\(message)") }
    }
  }

  /// --resume with a checkpoint of another spec, or with none, is refused.
  @Test func resumeFromAnotherSpec() throws {
    let spec = try writeSpec(smallRun, name: "trace-a")
    let other = try writeSpec(smallRun.replacingOccurrences(of: "count = 64", with: "count = 32"), name: "trace-b")
    let checkpoint = spec + ".other.ckpt"
    defer { unlink(checkpoint) }
    _ = try runLarmor(["trace", spec, "--checkpoint", checkpoint, "--stop-after-samples", "3"])
    let (status, _, stderr) = try runLarmor(["trace", other, "--checkpoint", checkpoint, "--resume"])
    #expect(status != 0 && stderr.contains("another run spec"))
    let (none, _, noneMessage) = try runLarmor(["trace", spec, "--checkpoint", checkpoint + ".absent", "--resume"])
    #expect(none != 0 && noneMessage.contains("no checkpoint"))
  }
}
