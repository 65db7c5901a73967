import Foundation
import LarmorCore
import LarmorIO
import Orbits
import Tracing

/// The peak memory a command will need, from costs measured on this code (benchmarks/README.md,
/// "Memory"), checked against what the machine offers before anything large is allocated.
///
/// Measured peaks (resident set, 2 threads): `larmor field` 36 MB + 12 B per cell + 24 B per
/// (x, y) row (the float32 grid; writing it goes one x-plane at a time and the diagnostics
/// transform the grid in place, their k_z = 0 plane aside); `trace`/`compare` 36 MB + 12.0 B per
/// cell per grid pattern (static: one; moving Alfvén/slab: one per direction; plane waves: none)
/// plus the ensemble in progress (`particleBytes`: particle states, open TGK origins, the
/// observer groups' transport sums, which grow with the sample rows and μ bins). 256³ and 512³
/// field and trace runs are predicted within 1%, particle-dominated ones within 20%
/// (benchmarks/memory.sh).
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
    let rows = Double(n.x * n.y), plane = Double(n.y * n.z)
    return [Term(
      bytes: 12 * Double(spec.geometry.cellCount) + 24 * rows + 8 * plane, key: "grid.n", what: "field \(n.x)×\(n.y)×\(n.z)")]
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
    case .snapshots(let snapshots):
      // Read as float32 arrays (held with the turned copy), the grid field and the diagnostics' spectra.
      let size = snapshots.paths.map { ((try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? NSNumber)?.doubleValue ?? 0 }.max() ?? 0
      terms.append(Term(bytes: 4 * size, key: "field.file.path", what: "snapshot \(snapshots.paths[0])"))
    }
    terms.append(Term(bytes: particleBytes(spec), key: "particles.count", what: "\(spec.particleCount) particles"))
    return terms
  }

  /// The ensemble in progress (the largest over rigidities): per particle its state (≈ 200 B) and
  /// its open TGK origins (7 doubles each, in a growing array: ≤ 2 × 56 B), and per observer group
  /// of `groupSize` particles the transport sums, rows × (row width + 4 lag sums) doubles, twice.
  static func particleBytes(_ spec: RunSpec) -> Double {
    let runner = TraceRun(spec: spec, threads: 1, checkpointPath: nil, savedOrbits: 0)
    let settings = runner.settings
    var rows = Double(spec.sampleCount + spec.linearSampleCount + 1)  // an upper bound
    if case .synthesized(let fieldSpec, _) = spec.field, let tracer = try? Tracer(settings: settings, threads: 1) {
      let counts = spec.rigidities.compactMap { R in
        try? tracer.configuration(
          rigidity: R, geometry: fieldSpec.geometry, turbulenceLevel: fieldSpec.spectrum.turbulenceLevel, ids: 0..<UInt64(settings.groupSize)
        ).rowTimes.count
      }
      if let largest = counts.max() { rows = Double(largest) }
    }
    let origins = min(Double(spec.kuboOrigins), rows)
    let width = Double(TransportAccumulator.Global.allCases.count + spec.pitchBins * TransportAccumulator.Binned.allCases.count + 4)
    let groups = Double(settings.groupCount)
    // The sums exist twice at the peak (the groups, and their copies when a part is checkpointed
    // or merged): measured 1.9–2.1× one copy on 64³ runs of 5e4–1e5 particles, 40–400 rows.
    return Double(spec.particleCount) * (200 + 112 * origins) + 2 * groups * rows * width * 8
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
