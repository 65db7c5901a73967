import Foundation
import Testing

/// `larmor qlt` on spectra no grid can hold (issue: QLT needs no grid): `[field]` without
/// `[grid]`, k_max up to `inf`, explicit μ lists, each resonance order apart, and the divergence
/// reasons at both ends of the μ range.

/// Runs `larmor qlt SPEC --json` on `text`, removes the spec, returns the parsed object.
private func qltJSON(_ text: String, name: String) throws -> [String: Any] {
  let spec = try writeSpec(text, name: name)
  defer { try? FileManager.default.removeItem(atPath: spec) }
  let (status, stdout, stderr) = try runLarmor(["qlt", spec, "--json"])
  #expect(status == 0, "\(stderr)")
  return try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
}

/// Slab, q = 5/3, k_max = ∞, sharp resonance, no grid: with g(k) = C|k|^(−q) normalized over
/// |k| ≥ k_min, C = (q − 1)σ² k_min^(q−1)/2, the n = ±1 resonance k = 1/(R|μ|) gives
///   D_μμ = (π/(v|μ|)) Ω²(1 − μ²) · 2 · g(k)/2 · … = (π(q − 1)/4) σ² Ω (1 − μ²) |μ|^(q−1) (k_min R)^(q−1),
/// and D_∥ = (v²/4)∫₀¹(1 − μ²)²/D_μμ dμ = [v R/(π(q − 1)σ²)] (k_min R)^(1−q) ∫₀¹ (1 − μ²) μ^(1−q) dμ
/// with ∫₀¹ (1 − μ²) μ^(1−q) dμ = 1/(2 − q) − 1/(4 − q). Both are written out here, not taken
/// from the package. D_μμ is exact up to round-off (1e-12); D_∥ to the μ quadrature (1e-6).
@Test func qltSlabWithInfiniteMaximumWavenumber() throws {
  let σ = 0.3, q = 5.0 / 3, kMin = 2 * Double.pi
  let object = try qltJSON("""
    [field]
    model = "slab"
    db_over_b0 = 0.3
    k_max = inf
    [qlt]
    rigidities = [0.01, 0.1]
    mu = [1e-6, 0.001, 0.1, 0.5, 0.9, -0.5]
    """, name: "qlt-slab-inf")
  #expect(object["k_max"] as? String == "inf")
  let mu = try #require(object["mu"] as? [Double])
  #expect(mu == [1e-6, 0.001, 0.1, 0.5, 0.9, -0.5])
  let rigidities = try #require(object["rigidities"] as? [Double])
  let dmumu = try #require(object["dmumu"] as? [[Double]])
  let dpar = try #require(object["dpar"] as? [Double])
  for (r, R) in rigidities.enumerated() {
    let Ω = 1 / R
    for (i, μ) in mu.enumerated() {
      let expected = Double.pi * (q - 1) / 4 * σ * σ * Ω * (1 - μ * μ) * pow(abs(μ), q - 1) * pow(kMin * R, q - 1)
      #expect(abs(dmumu[r][i] / expected - 1) < 1e-12, "R = \(R), μ = \(μ): \(dmumu[r][i]) vs \(expected)")
    }
    let expected = R / (Double.pi * (q - 1) * σ * σ) * pow(kMin * R, 1 - q) * (1 / (2 - q) - 1 / (4 - q))
    #expect(abs(dpar[r] / expected - 1) < 1e-6, "R = \(R): D_∥ = \(dpar[r]) vs \(expected)")
  }
}

/// GS Alfvén modes (M_A = 1, ℓ = 1/k_min = 1, σ = 1), k_max = 10⁸, sharp resonance, no grid:
/// the Yan & Lazarian asymptote D_μμ L/v = R^1.5 μ^5.5 (1 − μ²)^(−1/2) Γ(6.5, x_max^(−2/3)/(Rμ))
/// at R = 10⁻⁴ within 1% (the asymptote drops O(Rμ) terms). Γ(6.5, x) is evaluated here by
/// its own quadrature of t^5.5 e^(−t).
@Test func qltAlfvenGammaAsymptoteWithoutGrid() throws {
  let object = try qltJSON("""
    [field]
    model = "alfven"
    db_over_b0 = 1.0
    mach = 1.0
    k_min = 1.0
    k_max = 1e8
    [qlt]
    rigidities = [1e-4]
    mu = [0.1, 0.3, 0.5]
    """, name: "qlt-alfven-gamma")
  let mu = try #require(object["mu"] as? [Double])
  let dmumu = try #require((object["dmumu"] as? [[Double]])?.first)
  let R = 1e-4
  /// Γ(a, x) by the trapezoid rule in ln t (integrand t^a e^(−t) d ln t), 20 000 steps.
  func upperGamma(_ a: Double, _ x: Double) -> Double {
    let lo = log(x), hi = log(a + 60), n = 20_000
    let h = (hi - lo) / Double(n)
    return (0...n).reduce(0.0) { sum, i in
      let t = exp(lo + Double(i) * h)
      return sum + (i == 0 || i == n ? 0.5 : 1) * h * pow(t, a) * exp(-t)
    }
  }
  for (μ, d) in zip(mu, dmumu) {
    let asymptote = pow(R, 1.5) * pow(μ, 5.5) / (1 - μ * μ).squareRoot() * upperGamma(6.5, pow(1e8, -2.0 / 3) / (R * μ))
    #expect(abs(d / asymptote - 1) < 0.01, "μ = \(μ): \(d) vs \(asymptote)")
  }
}

/// Each family's D_μμ is reported by resonance order (n = 0, |n| = 1, |n| ≥ 2), and the parts
/// add up to `dmumu`: a moving fast + Alfvén mixture (TTD, gyroresonance) and isotropic
/// turbulence (higher harmonics, nonzero at these μ).
@Test(arguments: [
  """
  [field]
  model = "mixture"
  db_over_b0 = 0.3
  k_max = 1e4
  fractions = { alfven = 0.5, fast = 0.5 }
  alfven_speed = 0.1
  [qlt]
  rigidities = [0.01]
  mu = [0.2, 0.5, 0.8]
  """,
  """
  [field]
  model = "isotropic"
  db_over_b0 = 0.3
  k_max = 1e3
  [qlt]
  rigidities = [0.01]
  mu = [0.5, 0.8]
  """,
])
func qltResonanceOrdersAddUp(_ text: String) throws {
  let object = try qltJSON(text, name: "qlt-orders")
  let dmumu = try #require((object["dmumu"] as? [[Double]])?.first)
  let byFamily = try #require(object["dmumu_by_family"] as? [String: [String: [[Double]]]])
  var sum = [Double](repeating: 0, count: dmumu.count)
  var higher = 0.0
  for (_, parts) in byFamily {
    let n0 = try #require(parts["transit_time"]?.first), n1 = try #require(parts["gyroresonance"]?.first)
    let n2 = try #require(parts["higher_harmonics"]?.first), total = try #require(parts["dmumu"]?.first)
    for i in dmumu.indices {
      #expect(abs(n0[i] + n1[i] + n2[i] - total[i]) <= 1e-12 * total[i])
      sum[i] += total[i]
    }
    higher += n2.reduce(0, +)
  }
  for i in dmumu.indices { #expect(abs(sum[i] - dmumu[i]) <= 1e-12 * dmumu[i]) }
  if let fast = byFamily["fast"] {
    #expect((fast["transit_time"]?.first ?? []).contains { $0 > 0 }, "moving fast modes have TTD")
  }
  if byFamily["isotropic"] != nil { #expect(higher > 0, "isotropic turbulence has |n| ≥ 2 resonances") }
}

/// The gap edge is located even when D_μμ is already 0 at the first probe |μ| = 0.1: slab,
/// k_max = 2π·100, R = 0.01 has no resonance for |μ| < 1/(R k_max) = 0.159 (was reported 0.1).
@Test func qltGapBeyondFirstProbe() throws {
  let object = try qltJSON("""
    [field]
    model = "slab"
    db_over_b0 = 0.1
    k_max = 628.3185307179587
    [qlt]
    rigidities = [0.01]
    mu_points = 4
    """, name: "qlt-gap")
  let needed = try #require((object["mu_cut_needed"] as? [Double])?.first)
  #expect(abs(needed - 1 / (0.01 * 628.3185307179587)) < 1e-9, "gap \(needed)")
  #expect((object["dpar_divergence_reason"] as? [String])?.first == "resonance_gap")
}

/// Divergence at μ → 1 is flagged: TTD-dominated fast modes (k_max = 511.9, R = 10⁻⁴,
/// broadened) have (1 − μ²)²/D_μμ growing without bound as |μ| → 1; D_∥ was 1.2×10⁵⁹.
/// A slab spectrum with r_L k_min > 1 has no resonance for |μ| > 1/(R k_min): a gap at 0°.
@Test func qltDivergenceAlongTheField() throws {
  let fast = try qltJSON("""
    [field]
    model = "fast"
    db_over_b0 = 0.5
    k_max = 511.9
    [qlt]
    rigidities = [1e-4]
    resonance = "broadened"
    mu_points = 4
    """, name: "qlt-fast-zero-degrees")
  #expect((fast["dpar"] as? [Any])?.first is NSNull)
  #expect((fast["dpar_divergence_reason"] as? [String])?.first == "growth_at_0_degrees")
  let slab = try qltJSON("""
    [field]
    model = "slab"
    db_over_b0 = 0.1
    k_max = inf
    [qlt]
    rigidities = [0.5]
    mu_points = 4
    """, name: "qlt-slab-zero-degrees")
  #expect((slab["dpar_divergence_reason"] as? [String])?.first == "resonance_gap_at_0_degrees")
  #expect((slab["dpar"] as? [Any])?.first is NSNull)
  #expect((slab["mu_cut_needed"] as? [Any])?.first is NSNull)
}

/// Isotropic turbulence with k_max = inf (no gap at 90°): `qlt` reports the |μ|^q power law as
/// the reason D_∥ diverges, with every D_μμ finite and positive, the higher harmonics (|n| ≥ 2,
/// with the closed-form tail) a part of it; the broadened resonance, which has no closed-form
/// tail, is refused naming qlt.resonance.
@Test func qltIsotropicWithInfiniteMaximumWavenumber() throws {
  let text = """
    [field]
    model = "isotropic"
    db_over_b0 = 0.1
    k_max = inf
    [qlt]
    rigidities = [0.001, 0.1]
    mu = [0.01, 0.5, 0.99]
    """
  let object = try qltJSON(text, name: "qlt-isotropic-inf")
  #expect(object["dpar_divergence_reason"] as? [String] == ["power_law_at_90_degrees", "power_law_at_90_degrees"])
  let dmumu = try #require(object["dmumu"] as? [[Double]])
  #expect(dmumu.allSatisfy { $0.count == 3 && $0.allSatisfy { $0.isFinite && $0 > 0 } }, "\(dmumu)")
  let parts = try #require((object["dmumu_by_family"] as? [String: Any])?["isotropic"] as? [String: Any])
  let higher = try #require(parts["higher_harmonics"] as? [[Double]])
  #expect(higher.allSatisfy { $0.allSatisfy { $0 > 0 } })
  let spec = try writeSpec(text + "\nresonance = \"broadened\"\n", name: "qlt-isotropic-inf-broadened")
  defer { try? FileManager.default.removeItem(atPath: spec) }
  let refused = try runLarmor(["qlt", spec])
  #expect(refused.status != 0 && refused.stderr.contains("qlt.resonance"), "\(refused.stderr)")
}

/// The grid belongs to synthesis: a `[field]` with k_max above any grid's Nyquist wavenumber
/// is refused by `larmor field` (naming [grid]) and by `discrete = true`, accepted by `qlt`.
@Test func qltNeedsNoGrid() throws {
  let text = """
    [field]
    model = "slab"
    db_over_b0 = 0.1
    k_max = 1e9
    """
  let spec = try writeSpec(text, name: "qlt-no-grid")
  defer { try? FileManager.default.removeItem(atPath: spec) }
  let field = try runLarmor(["field", spec, "--out", spec + ".h5"])
  #expect(field.status != 0 && field.stderr.contains("[grid]"), "\(field.stderr)")
  let qlt = try runLarmor(["qlt", spec])
  #expect(qlt.status == 0, "\(qlt.stderr)")
  let discrete = try writeSpec(text + "\n[qlt]\ndiscrete = true\ntime = 10.0\n", name: "qlt-no-grid-discrete")
  defer { try? FileManager.default.removeItem(atPath: discrete) }
  let refused = try runLarmor(["qlt", discrete])
  #expect(refused.status != 0 && refused.stderr.contains("qlt.discrete"), "\(refused.stderr)")
  let both = try writeSpec(text + "\n[qlt]\nmu = [0.5]\nmu_points = 4\n", name: "qlt-mu-both")
  defer { try? FileManager.default.removeItem(atPath: both) }
  let twice = try runLarmor(["qlt", both])
  #expect(twice.status != 0 && twice.stderr.contains("qlt.mu"), "\(twice.stderr)")
}

/// A medium spec sets the top of the cascade (`[medium] k_max`, here ∞) and reports D_μμ(μ)
/// of each mode where `[qlt] mu` asks: the total is the sum of the modes (rates add), and the
/// D_∥ of k_max = ∞ differs from the default 10¹⁵/L by little (the cascade above 10¹⁵/L holds
/// < 10⁻⁷ of the fast-mode power: ≤ 1e-3 here). A k_max below k_min is refused by name.
@Test func qltMediumMaximumWavenumberAndPitchAngles() throws {
  func medium(_ kMax: String) -> String {
    """
    [medium]
    preset = "halo"
    \(kMax)
    [qlt]
    rigidities_gv = [10.0]
    mu = [0.1, 0.5, 0.9]
    """
  }
  let open = try qltJSON(medium("k_max = inf"), name: "qlt-medium-inf")
  #expect(open["k_max"] as? String == "inf")
  let total = try #require((open["dmumu"] as? [[Double]])?.first)
  let parts = try ["dmumu_alfven", "dmumu_slow", "dmumu_fast"].map { try #require((open[$0] as? [[Double]])?.first) }
  for i in total.indices {
    #expect(total[i] > 0 && abs(parts.reduce(0) { $0 + $1[i] } - total[i]) <= 1e-12 * total[i])
  }
  let standard = try qltJSON(medium(""), name: "qlt-medium-default")
  let a = try #require((open["dpar_fast"] as? [Double])?.first), b = try #require((standard["dpar_fast"] as? [Double])?.first)
  #expect(abs(a / b - 1) < 1e-3, "D_fast(k_max = ∞) = \(a) vs \(b)")
  let spec = try writeSpec(medium("k_max = 0.5"), name: "qlt-medium-bad-kmax")
  defer { try? FileManager.default.removeItem(atPath: spec) }
  let refused = try runLarmor(["qlt", spec])
  #expect(refused.status != 0 && refused.stderr.contains("medium.k_max"), "\(refused.stderr)")
}
