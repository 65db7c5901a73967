import Foundation
import LarmorCore
import LarmorIO

/// The peak memory a command will need, from costs measured on this code (benchmarks/README.md,
/// "Memory"), checked against what the machine offers before anything large is allocated.
///
/// Measured peaks (resident set, 2 threads): `larmor field` 36 MB + 24.0 B per cell (the padded
/// float32 grid, the FFT work arrays and the diagnostics); `trace`/`compare` 36 MB + 12.0 B per
/// cell per grid pattern (static: one; moving Alfvén/slab: one per direction; plane waves: none)
/// plus, per particle of the ensemble in progress, at most 2 kB + 120 B per TGK time origin
/// (measured 1.0–1.5 kB with one origin and 3.3 kB with 16: an upper bound). Field-dominated
/// runs are predicted within 20%: 256³ and 512³ field and trace runs within 3%.
enum MemoryEstimate {
  static let baseline = 36e6

  /// One contribution to a command's peak, and the spec key that sets it.
  struct Term {
    var bytes: Double
    var key: String
    var what: String
  }

  static func field(_ spec: FieldSpec) -> [Term] {
    let n = spec.geometry.counts
    return [Term(bytes: 24 * Double(spec.geometry.cellCount), key: "grid.n", what: "field \(n.x)×\(n.y)×\(n.z)")]
  }

  static func trace(_ spec: RunSpec) -> [Term] {
    var terms: [Term] = []
    switch spec.field {
    case .synthesized(let fieldSpec, _):
      let n = fieldSpec.geometry.counts
      var patterns = 1
      if let motion = fieldSpec.motion {
        if case .planeWaves = fieldSpec.evaluation { patterns = 0 } else { patterns = [1, -1].filter { motion.powerFraction(direction: $0) > 0 }.count }
      }
      if patterns > 0 {
        terms.append(Term(
          bytes: 12 * Double(patterns) * Double(fieldSpec.geometry.cellCount), key: "grid.n",
          what: "field \(n.x)×\(n.y)×\(n.z)" + (patterns > 1 ? " × \(patterns) patterns" : "")))
      }
    case .file(let path):
      // Read as float32 arrays, then copied into the padded grid: about twice the file.
      let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.doubleValue ?? 0
      terms.append(Term(bytes: 2 * size, key: "run.field_file", what: "field file \(path)"))
    }
    terms.append(Term(
      bytes: Double(spec.particleCount) * (2000 + 120 * Double(spec.kuboOrigins)), key: "particles.count",
      what: "\(spec.particleCount) particles"))
    return terms
  }

  /// Bytes the process may still use: `LARMOR_MEMORY_LIMIT_BYTES` if set, else the smaller of the
  /// kernel's MemAvailable and a cgroup v2 limit (batch jobs); nil where neither can be read.
  static func available() -> Double? {
    if let text = ProcessInfo.processInfo.environment["LARMOR_MEMORY_LIMIT_BYTES"], let limit = Double(text) { return limit }
    var best: Double?
    if let info = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
      let line = info.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
      let kB = Double(line.split(separator: " ").dropFirst().first ?? "")
    {
      best = kB * 1024
    }
    if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
      let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)),
      let used = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8)).flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
    {
      best = min(best ?? .infinity, limit - used)
    }
    return best
  }

  /// Refuses, in one line naming the spec file and the largest term's key, a command whose
  /// predicted peak exceeds what is available (`LARMOR_NO_MEMORY_CHECK=1` skips the refusal);
  /// otherwise returns the prediction as a line for the command's log.
  @discardableResult
  static func check(_ terms: [Term], command: String, file: String) throws(InputError) -> String {
    let need = baseline + terms.reduce(0) { $0 + $1.bytes }
    func gib(_ x: Double) -> String { String(format: "%.2f GiB", x / 1_073_741_824) }
    let available = available()
    let summary = "predicted peak memory \(gib(need))" + (available.map { " of \(gib($0)) available" } ?? "")
    guard ProcessInfo.processInfo.environment["LARMOR_NO_MEMORY_CHECK"] != "1", let available, need > available,
      let largest = terms.max(by: { $0.bytes < $1.bytes })
    else { return summary }
    throw InputError(
      "\(file): \(largest.key): `larmor \(command)` would need ≈ \(gib(need)) at its peak (\(terms.map { "\($0.what): \(gib($0.bytes))" }.joined(separator: ", "))), but \(gib(available)) is available; reduce \(largest.key) (LARMOR_NO_MEMORY_CHECK=1 runs anyway)")
  }
}
