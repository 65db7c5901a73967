import Foundation
import LarmorIO
import Testing

/// The `larmor` executable built beside the test bundle.
func larmorExecutable() -> URL {
  URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("larmor")
}

func runLarmor(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  try runProcess(larmorExecutable(), arguments)
}

/// Runs `executable` with `arguments` (and `environment`, default inherited) to completion.
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws
  -> (status: Int32, stdout: String, stderr: String)
{
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let environment { process.environment = environment }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// One directory per test process for the specs the CLI tests write and the outputs and
/// checkpoints the commands put beside them; removed when the process exits.
let specDirectory: URL = {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("larmor-cli-\(getpid())-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  atexit { try? FileManager.default.removeItem(at: specDirectory) }
  return url
}()

func writeSpec(_ text: String, name: String) throws -> String {
  // A unique name: parametrized tests run concurrently.
  let path = specDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).toml").path
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

@Suite struct CommandLineTests {
  let small = """
    [field]
    model = "fast"
    db_over_b0 = 0.4
    k_max = 40
    [grid]
    n = 16
    """

  /// `larmor field --json` prints exactly one JSON object with the documented keys and values
  /// that obey the spec (realized rms within the scatter of a 16³ field, zero mean, divergence-free).
  @Test func fieldJSON() throws {
    let spec = try writeSpec(small, name: "ok")
    let (status, stdout, _) = try runLarmor(["field", spec, "--json", "--threads", "2"])
    #expect(status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    for key in ["db_over_b0", "mean_db_over_b0", "divergence_max_coefficients", "spectral_slope", "bytes_per_cell", "grid"] {
      #expect(object[key] != nil, "missing key \(key)")
    }
    #expect((object["divergence_max_coefficients"] as? Double ?? 1) < 1e-6)
  }

  /// `larmor --version` prints the version every output file records.
  @Test func version() throws {
    let (status, stdout, _) = try runLarmor(["--version"])
    #expect(status == 0 && stdout.trimmingCharacters(in: .whitespacesAndNewlines) == LarmorVersion.string)
  }

  /// Bad input: exit status ≠ 0 and one line on stderr that names the problem; never a crash.
  @Test(arguments: [
    (["field", "/nonexistent.toml"], "nonexistent"),
    (["field"], "spec"),
    (["field", "SPEC", "--threads", "0"], "threads"),
    (["field", "BADKEY"], "field.wobble"),
    (["field", "SPEC", "--out", "/nonexistent/dir/out.h5"], "out.h5"),
    (["frobnicate"], "frobnicate"),
  ])
  func badInvocation(_ arguments: [String], _ expected: String) throws {
    let good = try writeSpec(small, name: "good")
    let bad = try writeSpec(small.replacingOccurrences(of: "k_max = 40", with: "k_max = 40\nwobble = 1"), name: "badkey")
    let resolved = arguments.map { $0 == "SPEC" ? good : $0 == "BADKEY" ? bad : $0 }
    let (status, _, stderr) = try runLarmor(resolved)
    #expect(status != 0)
    #expect(status < 128, "terminated by a signal")
    #expect(stderr.contains(expected), "stderr: \(stderr)")
  }
}
