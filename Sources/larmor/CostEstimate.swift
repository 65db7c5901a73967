import Foundation
import LarmorCore
import LarmorIO
import Orbits

/// The particle-steps a run will take and the time they cost, stated before the run starts, and
/// the bound above which a run is refused unless `--force`d (a typo such as `duration = 1e9` or
/// R = 1e-12 otherwise runs for ever with no ETA).
///
/// Steps per particle are duration/Δt with Δt from the step rule on the spec's grid (for a field
/// file, its `[grid]`); the wave-frequency cap of moving fields is not known before synthesis, so
/// the estimate is a lower bound for them. Costs per particle-step and thread are the measured ones
/// (README "Performance"): ≈ 50 ns on a static grid, 60 ns per travelling grid pattern, 6 ns per
/// plane wave.
enum CostEstimate {
  /// Runs of more particle-steps are refused without `--force`: 10¹⁴ is ≈ 1400 CPU-hours on a
  /// static grid, a hundred times the 10⁶ particles × 10⁶ steps of a large cluster run.
  static let bound = 1e14

  /// Particle-steps of the whole run (every realization, rigidity and particle); nil when the grid
  /// is unknown (a field file without `[grid]`).
  static func particleSteps(_ spec: RunSpec) throws -> Double? {
    let geometry: (counts: SIMD3<Int>, box: Vec3)
    let level: Double
    switch spec.field {
    case .synthesized(let fieldSpec, _):
      geometry = (fieldSpec.geometry.counts, fieldSpec.geometry.boxSize)
      level = fieldSpec.spectrum.turbulenceLevel
    case .file, .snapshots:
      return nil
    }
    let cells = [0, 1, 2].filter { geometry.counts[$0] > 1 }.map { geometry.box[$0] / Double(geometry.counts[$0]) }
    let rule = StepRule(turbulenceLevel: level, cellSize: cells.min(), phasePerStep: spec.phasePerStep, cellFraction: spec.cellFraction)
    var perParticle = 0.0
    for R in spec.rigidities { perParticle += (spec.duration / (try rule.timeStep(reducedRigidity: R))).rounded(.up) }
    return perParticle * Double(spec.particleCount) * Double(spec.realizations)
  }

  /// Nanoseconds per particle-step and thread for the spec's field.
  static func nanosecondsPerStep(_ spec: RunSpec) -> Double {
    guard case .synthesized(let fieldSpec, _) = spec.field, let motion = fieldSpec.motion else { return 50 }
    switch fieldSpec.evaluation {
    case .grid: return 60 * Double([1, -1].filter { motion.powerFraction(direction: $0) > 0 }.count)
    case .planeWaves(let waves):
      let directions = [1, -1].filter { motion.powerFraction(direction: $0) > 0 }.count
      let polarizations = fieldSpec.spectrum.components.contains { $0.family.isSlab } ? 2 : 1
      return max(50, 6 * Double(waves * directions * polarizations * fieldSpec.spectrum.components.count))
    }
  }

  /// A log line with the estimate; throws, naming `run.duration`, when it exceeds `bound` and the
  /// run is not forced.
  static func check(_ spec: RunSpec, threads: Int, force: Bool, file: String) throws -> String? {
    guard let steps = try particleSteps(spec) else { return nil }
    let seconds = steps * nanosecondsPerStep(spec) * 1e-9 / Double(max(1, threads))
    let line = String(format: "≈ %.2g particle-steps, ≈ %@ on %d thread(s) at the measured rate", steps, duration(seconds), threads)
    if steps > bound, !force {
      throw InputError(
        "\(file): run.duration: the run needs \(line) — above the \(String(format: "%.0e", bound)) particle-steps a run may take without --force; check duration, rigidities (Δt ∝ R) and particles.count, or pass --force")
    }
    return line
  }

  static func duration(_ seconds: Double) -> String {
    switch seconds {
    case ..<120: String(format: "%.0f s", seconds)
    case ..<7200: String(format: "%.0f min", seconds / 60)
    case ..<(3 * 86400): String(format: "%.1f h", seconds / 3600)
    case ..<(3 * 365 * 86400): String(format: "%.0f days", seconds / 86400)
    default: String(format: "%.1e years", seconds / (365.25 * 86400))
    }
  }
}
