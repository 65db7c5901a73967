import Foundation
import Testing

/// `larmor qlt` on a slab field spec reproduces the slab closed form of docs/physics.md §3.2/§6:
/// D_μμ·L/v = (π/6)(2π)^{2/3} σ²(1−μ²)|μ|^{2/3} R^{−1/3} for k_min = 2π/L and k_max → ∞.
/// k_max = 3×10⁶/L changes the continuum normalization by (k_min/k_max)^{2/3} ≈ 1.6×10⁻⁴, so 10⁻³.
@Test func qltSlabMatchesClosedForm() throws {
  let spec = try writeSpec("""
    [field]
    model = "slab"
    db_over_b0 = 0.01
    k_max = 3e6
    [grid]
    n = 1048576
    box = 1.0
    [qlt]
    rigidities = [0.01]
    mu_points = 10
    resonance = "sharp"
    """, name: "qlt-slab")
  let (status, stdout, stderr) = try runLarmor(["qlt", spec, "--json"])
  #expect(status == 0, "\(stderr)")
  let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  let mu = try #require(object["mu"] as? [Double])
  let dmumu = try #require((object["dmumu"] as? [[Double]])?.first)
  let prefactor = Double.pi / 6 * pow(2 * Double.pi, 2.0 / 3) * 1e-4 * pow(0.01, -1.0 / 3)
  for (μ, d) in zip(mu, dmumu) {
    let expected = prefactor * (1 - μ * μ) * pow(μ, 2.0 / 3)
    #expect(abs(d / expected - 1) < 1e-3, "μ = \(μ): \(d) vs \(expected)")
  }
  // Finite k_max leaves no resonance for |μ| < 1/(R k_max): D_∥ is reported divergent, not a number.
  #expect((object["dpar"] as? [Any])?.first is NSNull)
}

/// Bad media are rejected with the parameter named, before any integral is computed.
@Test(arguments: [
  ("ion_density_cm3 = 1e-3", "ion_density_cm3 = -1e-3", "ion_density_cm3"),
  ("mach_alfven = 1.0", "mach_alfven = 0", "mach_alfven"),
  ("plasma_beta = 0.1", "plasma_beta = -0.1", "plasma_beta"),
  ("damping = \"collisionless\"", "damping = \"landau\"", "medium.damping"),
  ("rigidity_count = 3", "rigidity_count = 0", "qlt.rigidity_count"),
  ("outer_scale_pc = 100.0", "outer_scale_pc = 1e30", "outer_scale_pc"),
  ("magnetic_field_uG = 1.0", "magnetic_field_uG = 1e300", "magnetic_field_uG"),
  ("rigidity_count = 3", "rigidities_gv = [1e300]", "qlt.rigidities_gv"),
])
func qltBadMedium(_ original: String, _ replacement: String, _ expected: String) throws {
  let medium = """
    [medium]
    magnetic_field_uG = 1.0
    outer_scale_pc = 100.0
    ion_density_cm3 = 1e-3
    temperature_K = 1e6
    mach_alfven = 1.0
    plasma_beta = 0.1
    damping = "collisionless"
    [qlt]
    rigidity_count = 3
    """
  let spec = try writeSpec(medium.replacingOccurrences(of: original, with: replacement), name: "qlt-bad")
  let (status, _, stderr) = try runLarmor(["qlt", spec])
  #expect(status != 0 && status < 128)
  #expect(stderr.contains(expected), "stderr: \(stderr)")
}

/// `larmor compare` on a small slab run (σ² = 10⁻⁴, R = 0.05, box 16 L): the simulated D_μμ agrees
/// with finite-time QLT on the same discrete spectrum. The fit window is short (20 gyro-periods
/// = 6.3 L/c to the box limit) and bins hold ~250 particles, so per-bin ratios scatter by ~20%
/// (measured 0.74–1.09, median |ratio − 1| = 0.17 for these seeds); the bound 0.25 catches a
/// wiring or normalization error of a factor ≳ 1.3. The discrete normalization σ²/Σ⟨|B_k|²⟩ is
/// slightly below 1 (measured 0.977) for a spectrum starting at the 16th box mode.
@Test func compareSlab() throws {
  let spec = try writeSpec("""
    [field]
    model = "slab"
    db_over_b0 = 0.01
    k_max = 75  # |μ| < 1/(R k_max) = 0.267 has no resonance: the bins |μ| < 0.25 lie inside
    seed = 2
    [grid]
    n = 4096
    box = [1, 1, 16]
    [run]
    realizations = 2
    duration = 12.0
    samples = 30
    linear_samples = 30
    [particles]
    rigidities = [0.05]
    count = 1000
    seed = 3
    [estimators]
    mu_bins = 8
    """, name: "compare")
  let (status, stdout, stderr) = try runLarmor(["compare", spec, "--json", "--threads", "2"])
  #expect(status == 0, "\(stderr)")
  let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  let comparison = try #require((object["comparisons"] as? [[String: Any]])?.first)
  let median = try #require(comparison["median_abs_ratio_minus_one"] as? Double)
  #expect(median < 0.25, "median |sim/QLT − 1| = \(median)")
  // Bins whose particles all sit where k_res = 1/(R|μ|) > k_max (every μ₀ node of the bin below
  // 0.267) get D_μμ = 0 from QLT and no ratio.
  let bins = try #require(comparison["bins"] as? [[String: Any]])
  let nonResonant = bins.filter { ($0["dmumu_qlt"] as? Double) == 0 }
  #expect(!nonResonant.isEmpty)
  #expect(nonResonant.allSatisfy { $0["ratio"] is NSNull })
  #expect(bins.filter { ($0["dmumu_qlt"] as? Double ?? 0) > 0 }.allSatisfy { $0["ratio"] is Double })
  let scale = try #require(object["discrete_normalization"] as? Double)
  #expect(scale > 0.9 && scale < 1)
}

/// A field spec without `[qlt]` runs on the default rigidities (three R, 1/R at 1/4, 1/2, 3/4 of
/// the spectrum's ln k range), says so on stderr, and each has a resonant (D_μμ > 0) μ near 1
/// while the gyroresonance at small |μ| has left the spectrum (D_μμ = 0 at μ = 0.0125 for the
/// smallest R): the defaults sit inside the k-range, not at its edges.
@Test func qltFieldSpecDefaultRigidities() throws {
  let spec = try writeSpec("""
    [field]
    model = "slab"
    db_over_b0 = 0.01
    k_max = 1e4
    [grid]
    n = 65536
    box = 1.0
    """, name: "qlt-default-rigidities")
  let (status, stdout, stderr) = try runLarmor(["qlt", spec, "--json"])
  #expect(status == 0, "\(stderr)")
  #expect(stderr.contains("no [qlt] rigidities given"), "stderr: \(stderr)")
  let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
  let rigidities = try #require(object["rigidities"] as? [Double])
  let dmumu = try #require(object["dmumu"] as? [[Double]])
  #expect(rigidities.count == 3 && dmumu.count == 3)
  #expect(abs(rigidities[0] / rigidities[1] - rigidities[1] / rigidities[2]) < 1e-12 && rigidities[0] < rigidities[1])
  for row in dmumu { #expect((row.last ?? 0) > 0) }
  #expect(dmumu[0].first == 0)
}
