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
    let crowd = try writeSpec(Self.field.replacingOccurrences(of: "count = 100", with: "count = 1000000"), name: "memory-particles")
    let refused = try larmor(["trace", crowd], limit: 1e9)
    #expect(refused.status == 1 && refused.stderr.contains("particles.count"), "\(refused.stderr)")
    let ran = try larmor(["trace", small], limit: 1e9)
    #expect(ran.status == 0 && ran.stderr.contains("predicted peak memory"), "\(ran.stderr)")
  }
}
