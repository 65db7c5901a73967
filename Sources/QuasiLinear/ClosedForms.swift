#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Closed forms of quasi-linear theory used as references (docs/physics.md §3.2, §3.4).
public enum ClosedForms {
  /// Slab power law g = C|k|^(−q), C = (q − 1)σ²k_min^(q−1)/2, k_max = ∞ (docs/physics.md §3.2):
  ///   D_μμ = (π(q − 1)/4) σ² Ω (1 − μ²) |μ|^(q−1) (k_min r_L)^(q−1)   for 1/(r_L|μ|) ≥ k_min,
  /// and 0 otherwise. R = r_L/L, v in c, Ω = v/R; k_min in 1/L; returns c/L.
  public static func slabPitchAngleCoefficient(
    cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1, index q: Double, turbulenceLevel σ: Double,
    minimumWavenumber kMin: Double
  ) -> Double {
    let a = abs(μ)
    guard a > 0, a < 1, 1 / (R * a) >= kMin else { return 0 }
    let Ω = v / R
    return Double.pi * (q - 1) / 4 * σ * σ * Ω * (1 - a * a) * pow(a, q - 1) * pow(kMin * R, q - 1)
  }

  /// Slab power law, k_max = ∞, r_L k_min ≤ 1 (docs/physics.md §3.2):
  ///   λ_∥ = [3 r_L/(π(q − 1)σ²)] (k_min r_L)^(1−q) · 2/((2 − q)(4 − q)),   1 < q < 2.
  /// Kolmogorov with k_min = 2π/L gives 1.0817 R^(1/3)/σ². Returns λ_∥ in L.
  public static func slabMeanFreePath(reducedRigidity R: Double, index q: Double, turbulenceLevel σ: Double, minimumWavenumber kMin: Double)
    -> Double
  {
    3 * R / (Double.pi * (q - 1) * σ * σ) * pow(kMin * R, 1 - q) * 2 / ((2 - q) * (4 - q))
  }

  /// Yan & Lazarian (2002) narrow-resonance asymptote of Alfvénic (GS, M_A = 1) gyroresonance,
  /// re-derived in docs/physics.md §3.4, in code units with ℓ = 1/k_min = 1:
  ///   D_μμ L/v = R^1.5 μ^5.5 (1 − μ²)^(−1/2) Γ(6.5, x_max^(−2/3)/(Rμ)).
  /// Valid for r_L ≪ L and a δ resonance, with J_1²/w² → 1/(πw³). Returns D_μμ L/v.
  public static func alfvenGyroresonanceAsymptote(cosine μ: Double, reducedRigidity R: Double, maximumWavenumber xMax: Double)
    -> Double
  {
    let a = abs(μ)
    return pow(R, 1.5) * pow(a, 5.5) / (1 - a * a).squareRoot()
      * upperIncompleteGamma(6.5, pow(xMax, -2.0 / 3.0) / (R * a))
  }

  /// The phenomenological diffusion coefficient D = D₀ (𝓡/𝓡₀)^δ (cm²/s for D₀ in cm²/s).
  public static func phenomenologicalDiffusion(
    rigidityGigavolts 𝓡: Double, normalization D0: Double = 3e28, referenceRigidityGigavolts 𝓡0: Double = 1,
    slope δ: Double = 0.5
  ) -> Double {
    D0 * pow(𝓡 / 𝓡0, δ)
  }
}

/// Upper incomplete gamma Γ(a, x) = ∫_x^∞ t^(a−1) e^(−t) dt for a > 0, x ≥ 0: series for
/// x < a + 1, Lentz continued fraction otherwise (relative accuracy ~1e-14).
/// - Parameter complete: Γ(a), if the caller has it (else computed where needed).
public func upperIncompleteGamma(_ a: Double, _ x: Double, complete: Double? = nil) -> Double {
  guard x > 0 else { return complete ?? tgamma(a) }
  let logPrefactor = a * log(x) - x
  if x < a + 1 {
    let full = complete ?? tgamma(a)
    var term = 1 / a
    var sum = term
    var n = 1.0
    while n < 1000 {
      term *= x / (a + n)
      sum += term
      if abs(term) < abs(sum) * 1e-16 { break }
      n += 1
    }
    return full - exp(logPrefactor) * sum
  }
  let tiny = 1e-300
  var b = x + 1 - a
  var c = 1 / tiny
  var d = 1 / b
  var h = d
  var i = 1.0
  while i < 1000 {
    let an = -i * (i - a)
    b += 2
    d = an * d + b
    if abs(d) < tiny { d = tiny }
    c = b + an / c
    if abs(c) < tiny { c = tiny }
    d = 1 / d
    let delta = d * c
    h *= delta
    if abs(delta - 1) < 1e-16 { break }
    i += 1
  }
  return exp(logPrefactor) * h
}
