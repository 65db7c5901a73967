import Foundation
import Testing

/// Memory is checked before anything large is allocated: a command whose predicted peak exceeds
/// the available memory (here set with LARMOR_MEMORY_LIMIT_BYTES, so the test does not depend
/// on the machine) is refused in one line naming the spec key; one that fits states its
/// prediction and runs. How close the prediction is to the real peak is a benchmark
/// (benchmarks/memory.sh), not a test.
struct ResourceCheckTests {
  func larmor(_ arguments: [String], limit: Double) throws -> (status: Int32, stderr: String) {
    var environment = ProcessInfo.processInfo.environment
    environment["LARMOR_MEMORY_LIMIT_BYTES"] = String(limit)
    environment["LARMOR_NO_MEMORY_CHECK"] = nil
    let (status, _, stderr) = try runProcess(larmorExecutable(), arguments, environment: environment)
    return (status, stderr)
  }

  static let field = """
    [field]
    model = "isotropic"
    db_over_b0 = 0.5
    k_max = 20
    [grid]
    n = 32
    box = 1.0
    [run]
    duration = 0.05
    samples = 2
    [particles]
    rigidities = [0.1]
    count = 100
    """

  @Test("A field or run that would not fit in memory is refused naming grid.n or particles.count; one that fits states its peak")
  func memoryIsCheckedFirst() throws {
    let small = try writeSpec(Self.field, name: "memory-small")
    let fits = try larmor(["field", small], limit: 1e9)
    #expect(fits.status == 0 && fits.stderr.contains("predicted peak memory"), "\(fits.stderr)")
    let grid = try writeSpec(Self.field.replacingOccurrences(of: "n = 32", with: "n = 512").replacingOccurrences(of: "k_max = 20", with: "k_max = 100"), name: "memory-grid")
    for command in ["field", "trace", "compare"] {
      let refused = try larmor([command, grid], limit: 1e9)
      #expect(refused.status == 1 && refused.stderr.contains("grid.n") && refused.stderr.contains("GiB"), "\(command): \(refused.stderr)")
      #expect(refused.stderr.split(separator: "\n").count == 1)
    }
    let crowd = try writeSpec(Self.field.replacingOccurrences(of: "count = 100", with: "count = 5000000"), name: "memory-particles")
    let refused = try larmor(["trace", crowd], limit: 1e9)
    #expect(refused.status == 1 && refused.stderr.contains("particles.count"), "\(refused.stderr)")
    let ran = try larmor(["trace", small], limit: 1e9)
    #expect(ran.status == 0 && ran.stderr.contains("predicted peak memory"), "\(ran.stderr)")
  }

  /// A run whose particle-steps exceed 10¹⁴ (duration = 1e9, or R = 1e-12 with Δt ∝ R) is refused
  /// in one line naming run.duration and the estimate, for trace and compare; --force starts it
  /// (stopped here after its first sample); a normal run states its estimate.
  @Test("Absurd run costs are refused before they start unless --force; normal runs state steps and time")
  func costIsStatedAndBounded() throws {
    // 1000 particles × 1e9 L/c / (Δt = 0.1 R/(1 + 4σ) = 0.0033 L/c) = 3e14 particle-steps.
    let long = try writeSpec(
      Self.field.replacingOccurrences(of: "duration = 0.05", with: "duration = 1e9").replacingOccurrences(of: "count = 100", with: "count = 1000"),
      name: "cost-long")
    let tiny = try writeSpec(
      Self.field.replacingOccurrences(of: "rigidities = [0.1]", with: "rigidities = [1e-12]").replacingOccurrences(of: "duration = 0.05", with: "duration = 10"),
      name: "cost-tiny")
    for (command, spec) in [("trace", long), ("compare", long), ("trace", tiny)] {
      let refused = try larmor([command, spec], limit: 1e10)
      #expect(refused.status == 1 && refused.stderr.contains("run.duration") && refused.stderr.contains("particle-steps"), "\(refused.stderr)")
      #expect(refused.stderr.split(separator: "\n").count == 1)
    }
    let forced = try larmor(["trace", long, "--force", "--stop-after-samples", "1", "--checkpoint", long + ".ckpt"], limit: 1e10)
    defer { try? FileManager.default.removeItem(atPath: long + ".ckpt") }
    #expect(!forced.stderr.contains("without --force") && forced.stderr.contains("particle-steps"), "\(forced.stderr)")
    let small = try writeSpec(Self.field, name: "cost-small")
    let ran = try larmor(["trace", small], limit: 1e10)
    #expect(ran.status == 0 && ran.stderr.contains("particle-steps, ≈"), "\(ran.stderr)")
  }
}

/// `qlt` with `discrete = true` states the size of its mode sum, and refuses one of more than 10¹²
/// terms (a 1024³ grid: ≈ 5e12 at R = 0.05 over 40 μ points) unless --force.
@Test func discreteQLTCostIsBounded() throws {
  let spec = """
    [field]
    model = "alfven"
    db_over_b0 = 0.3
    k_max = 100
    [grid]
    n = 1024
    box = 1.0
    [qlt]
    discrete = true
    time = 5.0
    rigidities = [0.05]
    mu_points = 40
    """
  let big = try writeSpec(spec, name: "qlt-discrete-big")
  let (status, _, stderr) = try runLarmor(["qlt", big])
  #expect(status == 1 && stderr.contains("qlt.discrete") && stderr.contains("--force"), "\(stderr)")
  let small = try writeSpec(spec.replacingOccurrences(of: "n = 1024", with: "n = 32").replacingOccurrences(of: "k_max = 100", with: "k_max = 60"), name: "qlt-discrete-small")
  let ran = try runLarmor(["qlt", small])
  #expect(ran.status == 0 && ran.stderr.contains("discrete sum: ≈"), "\(ran.stderr)")
}
