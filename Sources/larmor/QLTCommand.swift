import ArgumentParser
import Dispatch
import Foundation
import LarmorCore
import LarmorIO
import QuasiLinear
import Synchronization

/// `larmor qlt SPEC.toml`: quasi-linear D_μμ(μ) and D_∥ for a field spec (code units), or D_∥(𝓡)
/// per MHD mode for a medium (physical units).
struct QLTCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "qlt",
    abstract: "Quasi-linear theory: D_μμ(μ) and D_∥ of a field spec's spectrum, or D_∥(R) of a medium's MHD modes.")

  @Argument(help: "A field spec with a [qlt] section (code units), or a medium spec with [medium] and [qlt] (see fields/halo.toml).")
  var spec: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    switch try QLTSpecReader.read(SpecDocument(path: spec)) {
    case .field(let q): try runField(q)
    case .medium(let q): try runMedium(q)
    }
  }

  /// Evaluates body(i) for i in 0..<count on the command's threads, results placed by index.
  func parallelMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    let workers = max(1, min(common.resolvedThreads, count))
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for i in stride(from: w, to: count, by: workers) {
        let value = body(i)
        results.withLock { $0[i] = value }
      }
    }
    return results.withLock { $0.map { $0! } }
  }

  private func finite(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }

  func runField(_ q: QLTSpec.FieldQLT) throws {
    let solver = PitchAngleDiffusion(spectrum: q.field.spectrum, settings: q.settings)
    let log = StandardError()
    log.print("larmor qlt: \(q.rigidities.count) rigidities × \(q.pitchCosines.count) μ points\(q.discreteTime.map { ", discrete modes at t = \($0) L/c" } ?? "")")
    if q.rigiditiesAreDefault {
      log.print(
        "  no [qlt] rigidities given: R = \(q.rigidities.map { String(format: "%.3g", $0) }.joined(separator: ", ")) (1/R at 1/4, 1/2, 3/4 of the spectrum's ln k range)")
    }
    let mu = q.pitchCosines
    let pairs = q.rigidities.flatMap { R in mu.map { (R, $0) } }
    let field = q.field
    let values = parallelMap(pairs.count) { i -> Double in
      let (R, μ) = pairs[i]
      if let t = q.discreteTime {
        return finiteTimePitchAngleCoefficient(spectrum: field.spectrum, geometry: field.geometry, cosine: μ, reducedRigidity: R, time: t)
      }
      return solver.coefficient(cosine: μ, reducedRigidity: R)
    }
    let dmumu = q.rigidities.indices.map { r in Array(values[(r * mu.count)..<((r + 1) * mu.count)]) }
    // Moving fields: the fast-mode TTD (n = 0) and gyroresonance (|n| = 1) parts apart.
    let moving = field.motion != nil && field.spectrum.components.contains { $0.family.isFast }
    let fastParts = moving
      ? parallelMap(pairs.count) { i -> (transitTime: Double, gyroresonance: Double) in
        solver.fastModeParts(cosine: pairs[i].1, reducedRigidity: pairs[i].0)
      } : []
    func perRigidity(_ pick: ((transitTime: Double, gyroresonance: Double), Double) -> Double) -> [[Double]] {
      q.rigidities.indices.map { r in mu.indices.map { i in pick(fastParts[r * mu.count + i], mu[i]) } }
    }
    let parallel = q.discreteTime == nil ? parallelMap(q.rigidities.count) { solver.parallelDiffusion(reducedRigidity: q.rigidities[$0]) } : []

    if common.json {
      var object: [String: Any] = [
        "mu": mu,
        "rigidity": q.rigidities,
        "rigidities": q.rigidities,
        "dmumu": dmumu,
        "dpar": parallel.map { finite($0.value?.coefficient) },
        "lambda_par": parallel.map { finite($0.value?.meanFreePath) },
        "dpar_divergence": parallel.map { $0.divergence.map { $0.description } ?? NSNull() as Any },
        "mu_cut_needed": parallel.map { finite($0.divergence?.cosineCutNeeded) },
        "discrete_time": finite(q.discreteTime),
        "units": "code units: D_mumu in c/L, D in c·L, lambda in L, rigidity R = r_L/L",
      ]
      if let motion = field.motion {
        object["motion"] = [
          "alfven_speed": motion.alfvenSpeed, "plasma_beta": motion.plasmaBeta, "cross_helicity": motion.crossHelicity,
          "fast_phase_speed": q.settings.alfvenSpeed, "slow_parallel_phase_speed": q.settings.slowPhaseSpeed,
        ]
        if moving {
          object["dmumu_transit_time"] = perRigidity { p, _ in p.transitTime }.map { $0.map { finite($0) } }
          object["dmumu_gyroresonance"] = perRigidity { p, _ in p.gyroresonance }.map { $0.map { finite($0) } }
          if q.settings.resonance == .sharp {
            // Sharp resonance: at k_∥μ = ω the wave's electric field weights the TTD term by
            // (1 − μω/k_∥)² = (1 − μ²)², and D_pp = μ²/(1 − μ²)² D_μμ there (QuasiLinear.WaveSum).
            object["dmumu_transit_time_with_e"] = perRigidity { p, μ in (1 - μ * μ) * (1 - μ * μ) * p.transitTime }.map { $0.map { finite($0) } }
            object["dpp_transit_time"] = perRigidity { p, μ in μ * μ * p.transitTime }.map { $0.map { finite($0) } }
          }
        }
        object["units"] = "code units: D_mumu in c/L, D in c·L, lambda in L, rigidity R = r_L/L; D_pp in p0²·c/L"
      }
      print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
      return
    }
    for (r, R) in q.rigidities.enumerated() {
      print("R = r_L/L = \(R)")
      if r < parallel.count {
        if let value = parallel[r].value {
          print(String(format: "  D_∥ = %.5g c·L, λ_∥ = %.5g L", value.coefficient, value.meanFreePath))
        } else if let divergence = parallel[r].divergence {
          print("  \(divergence.description)")
        }
      }
      if moving {
        print("      μ      D_μμ (c/L)   TTD (n = 0)   gyroresonance (|n| = 1)   TTD with the wave's e   D_pp TTD (p₀²c/L)")
        for (i, μ) in mu.enumerated() {
          let p = fastParts[r * mu.count + i]
          print(String(format: "  %.4f   %.5g   %.5g   %.5g   %.5g   %.5g", μ, dmumu[r][i], p.transitTime, p.gyroresonance,
                       (1 - μ * μ) * (1 - μ * μ) * p.transitTime, μ * μ * p.transitTime))
        }
        continue
      }
      print("      μ      D_μμ (c/L)")
      for (i, μ) in mu.enumerated() { print(String(format: "  %.4f   %.5g", μ, dmumu[r][i])) }
    }
  }

  func runMedium(_ q: QLTSpec.MediumQLT) throws {
    let model = try MediumDiffusionModel(
      medium: q.medium, particle: q.particle, resonance: q.resonance, useConfinementCut: q.confinementCut)
    let log = StandardError()
    log.print(String(
      format: "larmor qlt: medium %@ (B = %g μG, L = %g pc, β = %.3g, M_A = %g, v_A = %.3g km/s), %d rigidities, %d thread(s)",
      q.medium.name, q.medium.magneticFieldMicrogauss, q.medium.outerScaleParsec, q.medium.plasmaBeta, q.medium.machNumber,
      q.medium.alfvenSpeedCentimetresPerSecond / 1e5, q.rigiditiesGigavolts.count, common.resolvedThreads))
    let start = Date()
    let points = parallelMap(q.rigiditiesGigavolts.count) { model.point(rigidityGigavolts: q.rigiditiesGigavolts[$0]) }
    log.print(String(format: "  computed in %.1f s", Date().timeIntervalSince(start)))
    let reference = q.rigiditiesGigavolts.map { ClosedForms.phenomenologicalDiffusion(rigidityGigavolts: $0) }
    func column(_ pick: (DiffusionCurvePoint) -> ParallelDiffusionResult) -> [Double?] {
      points.map { $0.centimetresSquaredPerSecond(pick($0)) }
    }
    let total = column(\.total), alfven = column(\.alfven), slow = column(\.slow), fast = column(\.fast)
    if common.json {
      let object: [String: Any] = [
        "rigidities": q.rigiditiesGigavolts,
        "dpar": total.map { finite($0) },
        "dpar_alfven": alfven.map { finite($0) },
        "dpar_slow": slow.map { finite($0) },
        "dpar_fast": fast.map { finite($0) },
        "dpar_reference": reference,
        "dpar_divergence": points.map { $0.total.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_alfven_divergence": points.map { $0.alfven.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_slow_divergence": points.map { $0.slow.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_fast_divergence": points.map { $0.fast.divergence.map { $0.description } ?? NSNull() as Any },
        "mu_cut_active": points.map { $0.total.value?.cut?.isActive ?? false },
        "reduced_rigidities": points.map(\.reducedRigidity),
        "medium": q.medium.name,
        "plasma_beta": q.medium.plasmaBeta,
        "alfven_speed_km_s": q.medium.alfvenSpeedCentimetresPerSecond / 1e5,
        "units": "rigidities in GV, dpar in cm^2/s; dpar_reference = 3e28 (R/1 GV)^0.5",
      ]
      print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
      return
    }
    func f(_ x: Double?) -> String { x.map { String(format: "%10.3e", $0) } ?? "  (diverg.)" }
    print("  R (GV)      D_total     D_Alfvén    D_slow      D_fast      3e28(R/GV)^0.5   μ* cut   (cm²/s)")
    for (i, r) in q.rigiditiesGigavolts.enumerated() {
      let cut = points[i].total.value?.cut?.isActive == true ? "active" : "—"
      print(String(format: "%9.3g  ", r) + "\(f(total[i]))  \(f(alfven[i]))  \(f(slow[i]))  \(f(fast[i]))  \(f(reference[i]))       \(cut)")
    }
  }
}
