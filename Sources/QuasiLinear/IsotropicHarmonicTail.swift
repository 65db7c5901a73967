import Foundation

/// The harmonic sum of isotropic turbulence without an upper cut-off (k_max = ∞, sharp
/// resonance), summed to infinity in closed form.
///
/// Once the resonant k_∥ = nΩ/|vμ| of harmonic n lies above k_min, every wavevector the n-th
/// term samples lies in the pure power law P(k) ∝ k^(−q−2), and the substitution
/// k_⊥ = n u/(r_L sinθ) makes the term self-similar: t_n = n^(−q) G(n) with
/// G(n) = ∫ u du [(J_n(nu)/u)² + J_n′(nu)² ξ²(u)] f(u)^(−q−2), whose large-n expansion is
/// G(n) = (g₀/n)(1 + b/n² + O(n⁻⁴)) (measured: the correction falls by 4 per doubling of n,
/// the Airy layer at u = 1 contributes at O(n⁻²) only). So
///
///   t_n = A n^(−p) (1 + b n^(−2)),   p = q + 1,
///
/// and Σ_{n>m} t_n = A [ζ(p, m + 1) + b ζ(p + 2, m + 1)] with the Hurwitz zeta ζ(s, a).
/// Without it the sum converges like m^(−q): at the solver's 10⁻⁸ tolerance, 10³–10⁵ orders per
/// μ instead of a few dozen.
struct IsotropicHarmonicTail {
  /// p = q + 1: the terms' asymptotic decay exponent.
  let exponent: Double
  /// The first order whose resonant k_∥ = nΩ/|a| is ≥ k_min (from there the terms are
  /// self-similar).
  let selfSimilarFrom: Int

  /// - Parameters:
  ///   - index: q of E(k) ∝ k^(−q).
  ///   - minimumWavenumber: k_min (1/L).
  ///   - resonantSpeed: |a| = |vμ| (c).
  ///   - gyrofrequency: Ω = v/R (c/L).
  init(index q: Double, minimumWavenumber kMin: Double, resonantSpeed a: Double, gyrofrequency Ω: Double) {
    exponent = q + 1
    let first = (kMin * a / Ω).rounded(.up)
    selfSimilarFrom = first < 1 ? 1 : first > 1e9 ? Int(1e9) : Int(first)
  }

  /// The tail fitted at order m: A and b from t_{m/2} and t_m (far apart, so that the terms'
  /// quadrature noise, ~10⁻⁵ relative at n ~ 10³, does not enter b amplified), its sum
  /// Σ_{n>m} t_n, and an estimate of that sum's model error: the b part times |b|/(m + 1)²,
  /// the size the next order of the expansion would have if its coefficient were ~b².
  /// nil while m/2 is below `selfSimilarFrom` or below 8.
  func tail(terms: [Double], order m: Int) -> (sum: Double, error: Double)? {
    let n1 = m / 2
    guard n1 >= max(8, selfSimilarFrom), m < terms.count else { return nil }
    let t1 = terms[n1]
    let t2 = terms[m]
    guard t1 > 0, t2 > 0 else { return nil }
    let x1 = Double(n1)
    let x2 = Double(m)
    // r = t₁n₁^p/(t₂m^p) = (1 + b/n₁²)/(1 + b/m²)
    let r = t1 / t2 * pow(x1 / x2, exponent)
    let denominator = r / (x2 * x2) - 1 / (x1 * x1)
    guard denominator != 0 else { return nil }
    let b = (1 - r) / denominator
    let amplitude = t2 * pow(x2, exponent) / (1 + b / (x2 * x2))
    let a = Double(m + 1)
    let leading = amplitude * hurwitzZeta(exponent, a)
    let correction = amplitude * b * hurwitzZeta(exponent + 2, a)
    let sum = leading + correction
    guard sum.isFinite, sum >= 0 else { return nil }
    return (sum, abs(correction) * abs(b) / (a * a))
  }
}

/// The Hurwitz zeta function ζ(s, a) = Σ_{k≥0} (a + k)^(−s) for s > 1, a > 0: direct terms
/// up to a + k ≥ 12, then Euler–Maclaurin with six Bernoulli corrections (relative error
/// < 10⁻¹⁵ for s ≤ 20).
func hurwitzZeta(_ s: Double, _ a: Double) -> Double {
  precondition(s > 1 && a > 0, "hurwitzZeta needs s > 1, a > 0")
  var sum = 0.0
  var x = a
  while x < 12 {
    sum += pow(x, -s)
    x += 1
  }
  // x^(1−s)/(s − 1) + x^(−s)/2 + Σ_j B_2j/(2j)! s(s+1)…(s+2j−2) x^(−s−2j+1)
  let bernoulliOverFactorial: [Double] = [
    1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1_209_600, 1.0 / 47_900_160, -691.0 / 1_307_674_368_000,
  ]
  let power = pow(x, -s)
  sum += x * power / (s - 1) + power / 2
  var rising = s  // s(s+1)…(s+2j−2)
  var xPower = power / x  // x^(−s−2j+1)
  for (j, c) in bernoulliOverFactorial.enumerated() {
    if j > 0 {
      rising *= (s + Double(2 * j - 1)) * (s + Double(2 * j))
      xPower /= x * x
    }
    sum += c * rising * xPower
  }
  return sum
}
