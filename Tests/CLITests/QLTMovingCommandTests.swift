import Foundation
import Testing

/// `larmor qlt` on moving field specs: the waves' motion enters the resonances of every family
/// (slab included), and the JSON carries D_μμ with the electric field and D_pp by family and
/// resonance order.
struct QLTMovingCommandTests {
  static func qlt(_ field: String, name: String) throws -> [String: Any] {
    let spec = try writeSpec(field + "\n[qlt]\nrigidities = [0.02]\nmu = [-0.7, -0.3, 0.3, 0.7]\nresonance = \"sharp\"\n", name: name)
    let (status, stdout, stderr) = try runLarmor(["qlt", spec, "--json"])
    #expect(status == 0, "\(stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  }

  /// Slab Alfvén waves have ε = ω/(k_∥v) = ±v_A at every resonance, so D_pp = v_A² D_μμ for any
  /// σ_c; with σ_c = 0.6 the +B₀ waves dominate and D_μμ(μ) ≠ D_μμ(−μ); the motion shifts the
  /// resonances away from the static ones.
  @Test func movingSlabHasDopplerShiftedResonancesAndMomentumDiffusion() throws {
    let field = """
      [field]
      model = "slab"
      db_over_b0 = 0.1
      k_min = 6.283185307179586
      k_max = 1e4
      """
    let still = try Self.qlt(field, name: "qlt-slab-still")
    let moving = try Self.qlt(field + "\nalfven_speed = 0.1\ncross_helicity = 0.6", name: "qlt-slab-moving")
    let d0 = try #require((still["dmumu"] as? [[Double]])?.first)
    let d = try #require((moving["dmumu"] as? [[Double]])?.first)
    let dpp = try #require((moving["dpp"] as? [[Double]])?.first)
    let withE = try #require((moving["dmumu_with_e"] as? [[Double]])?.first)
    #expect(still["dpp"] == nil)
    for i in d.indices {
      #expect(abs(dpp[i] / (0.01 * d[i]) - 1) < 1e-12)
      #expect(abs(d[i] / d0[i] - 1) > 0.05, "motion changes D_μμ at μ index \(i)")
      #expect(withE[i] > 0 && withE[i] != d[i])
    }
    #expect(abs(d[0] / d[3] - 1) > 0.05 && abs(d[1] / d[2] - 1) > 0.05)
    let family = try #require((moving["dpp_by_family"] as? [String: Any])?["slab"] as? [String: Any])
    #expect((family["dpp"] as? [[Double]])?.first == dpp)
    #expect(((moving["dpar_with_e"] as? [Any])?.count) == 1)
  }

  /// Fast modes, sharp resonance: at the TTD resonance ε = μ, so the n = 0 parts obey
  /// D_pp = μ² D_μμ and D_μμ(with e) = (1 − μ²)² D_μμ (the solver's weights, through the CLI).
  @Test func movingFastModesReportTransitTimeParts() throws {
    let moving = try Self.qlt("""
      [field]
      model = "fast"
      db_over_b0 = 0.01
      k_min = 6.283185307179586
      k_max = 100
      alfven_speed = 0.1
      plasma_beta = 0.1
      """, name: "qlt-fast-moving")
    let mu = try #require(moving["mu"] as? [Double])
    func part(_ key: String, _ resonance: String) throws -> [Double] {
      let family = try #require((moving[key] as? [String: Any])?["fast"] as? [String: Any])
      return try #require((family[resonance] as? [[Double]])?.first, "\(key).fast.\(resonance)")
    }
    let ttd = try part("dmumu_by_family", "transit_time")
    let ttdE = try part("dmumu_with_e_by_family", "transit_time")
    let ttdP = try part("dpp_by_family", "transit_time")
    let gyroP = try part("dpp_by_family", "gyroresonance")
    for (i, μ) in mu.enumerated() {
      #expect(ttd[i] > 0)
      #expect(abs(ttdP[i] / (μ * μ * ttd[i]) - 1) < 1e-9)
      #expect(abs(ttdE[i] / ((1 - μ * μ) * (1 - μ * μ) * ttd[i]) - 1) < 1e-9)
    }
    #expect(gyroP[0] > 0 && gyroP[3] > 0, "gyroresonant D_pp at |μ| = 0.7")
  }

  /// `adiabatic_index` reaches the dispersion: the slow modes' parallel (cusp) speed is
  /// c_T = v_A c_s/√(v_A² + c_s²) with c_s² = (Γ/2)βv_A², written out here for Γ = 1 (isothermal)
  /// and the default 5/3, and the slow-mode D_μμ moves with it. `index` is refused for GS modes.
  @Test func adiabaticIndexSetsTheSoundSpeed() throws {
    let (vA, β) = (0.1, 0.5)
    var speeds = [Double]()
    var dmumu = [[[Double]]]()
    for (Γ, line) in [(1.0, "adiabatic_index = 1.0"), (5.0 / 3, "")] {
      let object = try Self.qlt("""
        [field]
        model = "slow"
        db_over_b0 = 0.01
        k_max = 100
        alfven_speed = 0.1
        plasma_beta = 0.5
        \(line)
        """, name: "qlt-slow-gamma")
      let motion = try #require(object["motion"] as? [String: Any])
      let cs = (Γ * β / 2).squareRoot() * vA
      #expect(abs(try #require(motion["sound_speed"] as? Double) - cs) < 1e-15)
      #expect(motion["adiabatic_index"] as? Double == Γ)
      let cusp = try #require(motion["slow_parallel_phase_speed"] as? Double)
      #expect(abs(cusp / (vA * cs / (vA * vA + cs * cs).squareRoot()) - 1) < 1e-14)
      speeds.append(cusp)
      dmumu.append(try #require(object["dmumu"] as? [[Double]]))
    }
    #expect(speeds[0] < speeds[1])
    #expect(dmumu[0] != dmumu[1])
    let spec = try writeSpec("[field]\nmodel = \"alfven\"\ndb_over_b0 = 0.01\nk_max = 100\nindex = 1.5\n", name: "qlt-alfven-index")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let refused = try runLarmor(["qlt", spec])
    #expect(refused.status != 0 && refused.stderr.contains("field.index"), "\(refused.stderr)")
  }
}

/// `[qlt] electric_field` for media: with the default broadened resonance the waves' electric
/// field hardly matters (the broadened TTD comes from cone angles where ω/k_∥ ≪ v; measured
/// < 1e-5 on the halo preset), with the sharp one it weights TTD by (1 − μ²)² and raises the
/// fast-mode D_∥ at 10 GV (≥ 1.5×, measured 2.7×). A sharp resonance without the key warns.
@Test func mediumElectricFieldMattersOnlyForTheSharpResonance() throws {
  func run(_ qlt: String) throws -> (json: [String: Any], stderr: String) {
    let spec = try writeSpec("[medium]\npreset = \"halo\"\n[qlt]\nrigidities_gv = [10, 1000]\n" + qlt, name: "qlt-medium-e")
    let (status, stdout, stderr) = try runLarmor(["qlt", spec, "--json"])
    #expect(status == 0, "\(stderr)")
    return (try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]), stderr)
  }
  func fast(_ r: (json: [String: Any], stderr: String)) throws -> [Double] { try #require(r.json["dpar_fast"] as? [Double]) }
  let broadened = try fast(try run("")), broadenedE = try fast(try run("electric_field = true"))
  for i in 0..<2 { #expect(abs(broadenedE[i] / broadened[i] - 1) < 1e-4) }
  let sharp = try run("resonance = \"sharp\"")
  #expect(sharp.stderr.contains("electric_field"))
  let sharpE = try run("resonance = \"sharp\"\nelectric_field = true")
  #expect(!sharpE.stderr.contains("warning"))
  #expect(sharpE.json["electric_field"] as? Bool == true)
  #expect(try fast(sharpE)[0] / fast(sharp)[0] > 1.5)
}
