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

  @Argument(help: "A field spec ([field], code units; [grid] and [qlt] optional, k_max may be inf; model = \"tabulated\" with [field.table] for a measured spectrum, e.g. a part larmor decompose wrote), or a medium spec ([medium], physical units, with an optional [qlt]; see fields/halo.toml).")
  var spec: String

  @Flag(help: "Run a discrete-mode sum even when its estimated cost exceeds 10¹² terms.")
  var force = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    switch try QLTSpecReader.read(SpecDocument(path: spec)) {
    case .field(let q): try runField(q)
    case .medium(let q): try runMedium(q)
    }
  }

  /// Evaluates body(i) for i in 0..<count on the command's threads, results placed by index.
  func parallelMap<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
    LarmorCore.parallelMap(count, threads: common.resolvedThreads, body)
  }

  private func finite(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }

  func runField(_ q: QLTSpec.FieldQLT) throws {
    let solver = PitchAngleDiffusion(spectrum: q.spectrum, settings: q.settings)
    let log = StandardError()
    let kMax = q.spectrum.maximumWavenumber
    log.print(
      "larmor qlt: \(q.rigidities.count) rigidities × \(q.pitchCosines.count) μ points, k = [\(q.spectrum.minimumWavenumber), \(kMax)] /L"
        + (q.discreteTime.map { ", discrete modes at t = \($0) L/c" } ?? ""))
    if q.discreteTime != nil, let geometry = q.geometry {
      // Terms of the finite-time sum: mode columns (±k_x, ±k_y grouped) × k_∥ modes × harmonics, per (R, μ);
      // ≈ 8–10 ns each on one thread (measured on 64³ GS Alfvén).
      let counts = geometry.counts, Δk = geometry.wavenumberSpacing
      let m = (GridGeometry.largestIndex(points: counts.x), GridGeometry.largestIndex(points: counts.y), GridGeometry.largestIndex(points: counts.z))
      let perp = (Double(m.0 * m.0) * Δk.x * Δk.x + Double(m.1 * m.1) * Δk.y * Δk.y).squareRoot()
      let modes = Double((m.0 + 1) * (m.1 + 1) * (2 * m.2 + 1))
      let terms = q.rigidities.reduce(0.0) { $0 + modes * Double(2 * (Int((perp * $1).rounded(.up)) + 10) + 1) } * Double(q.pitchCosines.count)
      let seconds = terms * 10e-9 / Double(common.resolvedThreads)
      log.print(String(format: "  discrete sum: ≈ %.2g terms, ≈ %@ on %d thread(s)", terms, CostEstimate.duration(seconds), common.resolvedThreads))
      if terms > 1e12, !force {
        throw InputError(
          "\(spec): qlt.discrete: the mode sum needs ≈ \(String(format: "%.1e", terms)) terms (≈ \(CostEstimate.duration(seconds))), above the 1e12 a run may take without --force; use a smaller [grid] (the continuum QLT needs none), fewer rigidities or μ points, or pass --force")
      }
    }
    if let motion = q.motion, motion.decorrelation > 0 {
      log.print(
        "  note: decorrelation = \(motion.decorrelation) (finite mode lifetime) is not in the continuum QLT, whose waves are undamped; `larmor compare` on a plane-wave run includes it (finite-time QLT on the realized waves)")
    }
    if kMax == .infinity {
      log.print(String(format: "  k_max = inf: integrals carried to %.3g /L, above which the spectrum holds < 1e-16 of its power", q.spectrum.integrationCeiling))
    }
    if q.rigiditiesAreDefault {
      log.print(
        "  no [qlt] rigidities given: R = \(q.rigidities.map { String(format: "%.3g", $0) }.joined(separator: ", "))"
          + (kMax.isFinite ? " (1/R at 1/4, 1/2, 3/4 of the spectrum's ln k range)" : " (1/R = 10, 100, 1000 k_min)"))
    }
    let mu = q.pitchCosines
    let pairs = q.rigidities.flatMap { R in mu.map { (R, $0) } }
    let families = q.spectrum.components.map(\.family.name)
    // Per (R, μ): each component's D_μμ by resonance order; the discrete sum has the total only.
    let parts = parallelMap(pairs.count) { i -> [ResonanceParts] in
      let (R, μ) = pairs[i]
      if let t = q.discreteTime, let geometry = q.geometry {
        let d = finiteTimePitchAngleCoefficient(spectrum: q.spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, time: t)
        return [ResonanceParts(transitTime: .nan, gyroresonance: .nan, higherHarmonics: .nan, total: d)]
      }
      return solver.resonances(cosine: μ, reducedRigidity: R)
    }
    /// [rigidity][μ] of pick(parts at that point).
    func grid(_ pick: ([ResonanceParts], Double) -> Double) -> [[Double]] {
      q.rigidities.indices.map { r in mu.indices.map { i in pick(parts[r * mu.count + i], mu[i]) } }
    }
    let dmumu = grid { p, _ in p.map(\.total).reduce(0, +) }
    let fastIndex = q.spectrum.components.firstIndex { $0.family.isFast }
    // Moving fields: the fast-mode TTD (n = 0) and gyroresonance (|n| = 1) parts, and every
    // family's D_μμ with the waves' electric field and D_pp/p² (`QuasiLinearCoefficient`).
    let movingFast = q.motion != nil && fastIndex != nil && q.discreteTime == nil
    let parallel = q.discreteTime == nil ? parallelMap(q.rigidities.count) { solver.parallelDiffusion(reducedRigidity: q.rigidities[$0]) } : []
    let waves = q.motion != nil && q.discreteTime == nil ? movingCoefficients(q, pairs) : nil

    if common.json {
      var object: [String: Any] = [
        "mu": mu,
        "rigidity": q.rigidities,
        "rigidities": q.rigidities,
        "dmumu": dmumu,
        "dpar": parallel.map { finite($0.value?.coefficient) },
        "lambda_par": parallel.map { finite($0.value?.meanFreePath) },
        "dpar_divergence": parallel.map { $0.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_divergence_reason": parallel.map { $0.divergence.map { $0.reason.name } ?? NSNull() as Any },
        "mu_cut_needed": parallel.map { finite($0.divergence?.cosineCutNeeded) },
        "discrete_time": finite(q.discreteTime),
        "k_min": q.spectrum.minimumWavenumber,
        "k_max": kMax.isFinite ? kMax as Any : "inf",
        "units": "code units: D_mumu in c/L, D in c·L, lambda in L, rigidity R = r_L/L, k in 1/L",
      ]
      if q.discreteTime == nil {
        // Each family by resonance order n: 0 (transit time), |n| = 1, |n| ≥ 2.
        var byFamily: [String: Any] = [:]
        for (c, name) in families.enumerated() {
          byFamily[name] = [
            "dmumu": grid { p, _ in p[c].total },
            "transit_time": grid { p, _ in p[c].transitTime },
            "gyroresonance": grid { p, _ in p[c].gyroresonance },
            "higher_harmonics": grid { p, _ in p[c].higherHarmonics },
          ]
        }
        object["dmumu_by_family"] = byFamily
      }
      if let motion = q.motion {
        object["motion"] = [
          "alfven_speed": motion.alfvenSpeed, "plasma_beta": motion.plasmaBeta, "cross_helicity": motion.crossHelicity,
          "decorrelation": motion.decorrelation, "fast_phase_speed": q.settings.alfvenSpeed, "slow_parallel_phase_speed": q.settings.slowPhaseSpeed,
          "sound_speed": motion.soundSpeed, "adiabatic_index": motion.adiabaticIndex,
        ]
        if let waves {
          func table(_ values: [[ResonanceParts]]) -> (([ResonanceParts]) -> Double) -> [[Double]] {
            { pick in q.rigidities.indices.map { r in mu.indices.map { i in pick(values[r * mu.count + i]) } } }
          }
          let withE = table(waves.withElectricField), momentum = table(waves.momentum)
          object["dmumu_with_e"] = withE { $0.map(\.total).reduce(0, +) }
          object["dpp"] = momentum { $0.map(\.total).reduce(0, +) }
          func byFamily(_ key: String, _ values: (([ResonanceParts]) -> Double) -> [[Double]]) -> [String: Any] {
            var object: [String: Any] = [:]
            for (c, name) in families.enumerated() {
              object[name] = [
                key: values { $0[c].total }, "transit_time": values { $0[c].transitTime },
                "gyroresonance": values { $0[c].gyroresonance }, "higher_harmonics": values { $0[c].higherHarmonics },
              ]
            }
            return object
          }
          object["dmumu_with_e_by_family"] = byFamily("dmumu_with_e", withE)
          object["dpp_by_family"] = byFamily("dpp", momentum)
          object["dpar_with_e"] = waves.parallel.map { finite($0.value?.coefficient) }
          object["lambda_par_with_e"] = waves.parallel.map { finite($0.value?.meanFreePath) }
          if movingFast, let f = fastIndex {
            object["dmumu_transit_time"] = grid { p, _ in p[f].transitTime }
            object["dmumu_gyroresonance"] = grid { p, _ in p[f].gyroresonance }
            object["dmumu_transit_time_with_e"] = withE { $0[f].transitTime }
            object["dpp_transit_time"] = momentum { $0[f].transitTime }
          }
        }
        object["units"] = "code units: D_mumu in c/L, D in c·L, lambda in L, rigidity R = r_L/L, k in 1/L; D_pp in p0²·c/L"
      }
      print(try jsonText(object))
      return
    }
    func g(_ x: Double) -> String { String(format: "%11.5g", x) }
    for (r, R) in q.rigidities.enumerated() {
      print("R = r_L/L = \(R)")
      if r < parallel.count {
        if let value = parallel[r].value {
          print(String(format: "  D_∥ = %.5g c·L, λ_∥ = %.5g L", value.coefficient, value.meanFreePath))
        } else if let divergence = parallel[r].divergence {
          print("  \(divergence.description)")
        }
      }
      if q.discreteTime != nil {
        print("      μ      D_μμ (c/L)")
        for (i, μ) in mu.enumerated() { print(String(format: "  %7.4f   %.5g", μ, dmumu[r][i])) }
        continue
      }
      // Per family: n = 0 (TTD), |n| = 1 (gyroresonance), |n| ≥ 2.
      var header = "      μ     D_μμ (c/L)"
      for name in families { header += "  │ \(name): n = 0       |n| = 1     |n| ≥ 2" }
      print(header)
      for (i, μ) in mu.enumerated() {
        let p = parts[r * mu.count + i]
        var line = String(format: "  %7.4f ", μ) + g(dmumu[r][i])
        for c in families.indices { line += "  │ " + [p[c].transitTime, p[c].gyroresonance, p[c].higherHarmonics].map(g).joined(separator: " ") }
        print(line)
      }
      guard let waves else { continue }
      // Moving: D_μμ with the waves' electric field and D_pp/p², each family's n = 0 and |n| ≥ 1.
      if let value = waves.parallel[r].value {
        print(String(format: "  with the waves' electric field: D_∥ = %.5g c·L, λ_∥ = %.5g L", value.coefficient, value.meanFreePath))
      } else if let divergence = waves.parallel[r].divergence {
        print("  with the waves' electric field: \(divergence.description)")
      }
      header = "      μ   D_μμ with e  D_pp (p²c/L)"
      for name in families { header += "  │ \(name) D_pp: n = 0    |n| ≥ 1" }
      print(header)
      for (i, μ) in mu.enumerated() {
        let e = waves.withElectricField[r * mu.count + i], m = waves.momentum[r * mu.count + i]
        var line = String(format: "  %7.4f ", μ) + g(e.map(\.total).reduce(0, +)) + "  " + g(m.map(\.total).reduce(0, +))
        for c in families.indices { line += "  │ " + [m[c].transitTime, m[c].total - m[c].transitTime].map(g).joined(separator: " ") }
        print(line)
      }
    }
  }

  /// Moving fields: every (R, μ) pair's D_μμ with the waves' electric field and D_pp/p² per
  /// component by resonance order, and D_∥ of the former per rigidity.
  func movingCoefficients(_ q: QLTSpec.FieldQLT, _ pairs: [(Double, Double)])
    -> (withElectricField: [[ResonanceParts]], momentum: [[ResonanceParts]], parallel: [ParallelDiffusionResult])
  {
    let withE = PitchAngleDiffusion(spectrum: q.spectrum, settings: q.settings.integrating(.pitchAngleWithElectricField))
    let momentum = PitchAngleDiffusion(spectrum: q.spectrum, settings: q.settings.integrating(.momentum))
    let both = parallelMap(pairs.count) { i in
      (withE.resonances(cosine: pairs[i].1, reducedRigidity: pairs[i].0),
       momentum.resonances(cosine: pairs[i].1, reducedRigidity: pairs[i].0))
    }
    let parallel = parallelMap(q.rigidities.count) { withE.parallelDiffusion(reducedRigidity: q.rigidities[$0]) }
    return (both.map(\.0), both.map(\.1), parallel)
  }

  func runMedium(_ q: QLTSpec.MediumQLT) throws {
    let model = try MediumDiffusionModel(
      medium: q.medium, particle: q.particle, resonance: q.resonance, electricField: q.electricField ?? false,
      useConfinementCut: q.confinementCut)
    let log = StandardError()
    if q.resonance == .sharp, q.electricField == nil {
      // Measured on fields/halo.toml: with the broadened resonance the electric field changes D_∥
      // by < 1e-5 (the broadened TTD comes from ξ where ω/k_∥ ≪ v); with the sharp one TTD sits at
      // ω/k_∥ = vμ, where it weights D_μμ by (1 − μ²)², and D_∥ at 10 GV changes 2.7-fold.
      log.print(
        "  warning: sharp resonance without the waves' electric field (the Yan & Lazarian form): fast-mode TTD is overestimated by 1/(1 − μ²)²; set [qlt] electric_field = true (or false to silence this)")
    }
    log.print(String(
      format: "larmor qlt: medium %@ (B = %g μG, L = %g pc, β = %.3g, M_A = %g, v_A = %.3g km/s, k_max = %g/L), %d rigidities, %d thread(s)",
      q.medium.name, q.medium.magneticFieldMicrogauss, q.medium.outerScaleParsec, q.medium.plasmaBeta, q.medium.machNumber,
      q.medium.alfvenSpeedCentimetresPerSecond / 1e5, q.medium.maximumWavenumber, q.rigiditiesGigavolts.count, common.resolvedThreads))
    let start = Date()
    let points = parallelMap(q.rigiditiesGigavolts.count) { model.point(rigidityGigavolts: q.rigiditiesGigavolts[$0]) }
    log.print(String(format: "  computed in %.1f s", Date().timeIntervalSince(start)))
    let reference = q.rigiditiesGigavolts.map { ClosedForms.phenomenologicalDiffusion(rigidityGigavolts: $0) }
    // D_μμ(μ) of (Alfvén, slow, fast) at each rigidity, where `[qlt] mu` asks for it.
    let mu = q.pitchCosines
    let pairs = q.rigiditiesGigavolts.flatMap { r in mu.map { (r, $0) } }
    let modes = parallelMap(pairs.count) { model.pitchAngleCoefficients(cosine: pairs[$0].1, rigidityGigavolts: pairs[$0].0) }
    func dmumu(_ mode: Int?) -> [[Double]] {
      q.rigiditiesGigavolts.indices.map { r in
        mu.indices.map { i in mode.map { modes[r * mu.count + i][$0] } ?? modes[r * mu.count + i].reduce(0, +) }
      }
    }
    func column(_ pick: (DiffusionCurvePoint) -> ParallelDiffusionResult) -> [Double?] {
      points.map { $0.centimetresSquaredPerSecond(pick($0)) }
    }
    let total = column(\.total), alfven = column(\.alfven), slow = column(\.slow), fast = column(\.fast)
    if common.json {
      var object: [String: Any] = [
        "rigidities": q.rigiditiesGigavolts,
        "k_max": q.medium.maximumWavenumber.isFinite ? q.medium.maximumWavenumber as Any : "inf",
        "dpar": total.map { finite($0) },
        "dpar_alfven": alfven.map { finite($0) },
        "dpar_slow": slow.map { finite($0) },
        "dpar_fast": fast.map { finite($0) },
        "dpar_reference": reference,
        "electric_field": q.electricField ?? false,
        "dpar_divergence": points.map { $0.total.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_alfven_divergence": points.map { $0.alfven.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_slow_divergence": points.map { $0.slow.divergence.map { $0.description } ?? NSNull() as Any },
        "dpar_fast_divergence": points.map { $0.fast.divergence.map { $0.description } ?? NSNull() as Any },
        "mu_cut_active": points.map { $0.total.value?.cut?.isActive ?? false },
        "reduced_rigidities": points.map(\.reducedRigidity),
        "medium": q.medium.name,
        "plasma_beta": q.medium.plasmaBeta,
        "alfven_speed_km_s": q.medium.alfvenSpeedCentimetresPerSecond / 1e5,
        "units": "rigidities in GV, dpar in cm^2/s; dpar_reference = 3e28 (R/1 GV)^0.5; k_max in 1/L",
      ]
      if !mu.isEmpty {
        object["mu"] = mu
        object["dmumu"] = dmumu(nil)
        object["dmumu_alfven"] = dmumu(0)
        object["dmumu_slow"] = dmumu(1)
        object["dmumu_fast"] = dmumu(2)
        object["units"] = (object["units"] as! String) + "; D_mumu in c/L (L the outer scale)"
      }
      print(try jsonText(object))
      return
    }
    func f(_ x: Double?) -> String { x.map { String(format: "%10.3e", $0) } ?? "  (diverg.)" }
    print("  R (GV)      D_total     D_Alfvén    D_slow      D_fast      3e28(R/GV)^0.5   μ* cut   (cm²/s)")
    for (i, r) in q.rigiditiesGigavolts.enumerated() {
      let cut = points[i].total.value?.cut?.isActive == true ? "active" : "—"
      print(String(format: "%9.3g  ", r) + "\(f(total[i]))  \(f(alfven[i]))  \(f(slow[i]))  \(f(fast[i]))  \(f(reference[i]))       \(cut)")
    }
    guard !mu.isEmpty else { return }
    let (all, a, sl, fa) = (dmumu(nil), dmumu(0), dmumu(1), dmumu(2))
    for (r, rigidity) in q.rigiditiesGigavolts.enumerated() {
      print(String(format: "D_μμ at R = %.4g GV (c/L, L = %g pc):", rigidity, q.medium.outerScaleParsec))
      print("      μ      total        Alfvén       slow         fast")
      for (i, μ) in mu.enumerated() {
        print(String(format: "  %7.4f  %11.4e  %11.4e  %11.4e  %11.4e", μ, all[r][i], a[r][i], sl[r][i], fa[r][i]))
      }
    }
  }
}
