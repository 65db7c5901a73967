import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Antiderivative Φ(u) = ∫₀^u t^(−α−1) W₀(t) dt of the fast-mode transit-time weight, with
/// W₀ = J_1² the n = 0 pseudo weight of `BesselWeights` (phase-averaged beyond its threshold)
/// and α the spectral index of the fast-mode power per d³k ∝ k^(−α−2) (α = 3/2 for k^(−7/2)).
///
/// For a power-law spectrum the transit-time integral at one ξ is then closed:
///   ∫_{k₁}^{k₂} k^(−α) W₀(kc) d ln k = c^α [Φ(k₂c) − Φ(k₁c)],   c = r_L √(1 − μ²) √(1 − ξ²),
/// so TTD needs two look-ups per ξ instead of a quadrature over k (docs/physics.md §3.4).
///
/// Layout: series J_1² = t²/4 − t⁴/16 + 5t⁶/768 below u₀ = 10⁻³; cubic Hermite interpolation
/// in ln u on [u₀, u_e] (step 2×10⁻³ in ln u, exact slopes dΦ/d ln u = u^(−α)W₀(u), node values
/// from 8-point Gauss–Legendre per interval); beyond u_e, where W₀ is the phase average
/// (1 + 3/(8t²))/(πt), the closed tail. Valid for 0 < α < 2 (Φ(0) finite); relative accuracy
/// ~1e-9 (checked against direct quadrature in the tests).
struct TransitTimeTable: Sendable {
  let index: Double
  let bessel: BesselWeights
  let lowerLog: Double
  let step: Double
  let end: Double
  let values: [Double]
  let slopes: [Double]
  /// Φ(∞).
  let total: Double

  /// nil when the table does not apply (α ∉ (0, 2) or exact, never-averaged Bessel weights).
  init?(index α: Double, bessel: BesselWeights) {
    guard α > 0, α < 2, bessel.averagingThreshold.isFinite else { return nil }
    self.index = α
    self.bessel = bessel
    let u0 = 1e-3
    let uEnd = bessel.averagingEnd(harmonic: 0)
    lowerLog = log(u0)
    step = 2e-3
    let count = Int(((log(uEnd) - lowerLog) / step).rounded(.up))
    end = lowerLog + Double(count) * step
    let rule = GaussLegendre(order: 8)
    func slope(_ t: Double) -> Double {
      let u = exp(t)
      return pow(u, -α) * bessel.weights(harmonic: 0, argument: u).pseudo
    }
    var values = [Double]()
    var slopes = [Double]()
    values.reserveCapacity(count + 1)
    slopes.reserveCapacity(count + 1)
    var φ = Self.series(u0, α)
    for j in 0...count {
      let t = lowerLog + Double(j) * step
      if j > 0 {
        let a = t - step
        var sum = 0.0
        for i in 0..<rule.nodes.count { sum += rule.weights[i] * slope(a + step / 2 * (1 + rule.nodes[i])) }
        φ += sum * step / 2
      }
      values.append(φ)
      slopes.append(slope(t))
    }
    self.values = values
    self.slopes = slopes
    total = φ + Self.averagedTail(exp(end), α)
  }

  /// Φ(u) for u < 10⁻³ from the series of J_1².
  static func series(_ u: Double, _ α: Double) -> Double {
    pow(u, 2 - α) / (4 * (2 - α)) - pow(u, 4 - α) / (16 * (4 - α)) + 5 * pow(u, 6 - α) / (768 * (6 - α))
  }

  /// ∫_u^∞ t^(−α−1) (1 + 3/(8t²))/(πt) dt.
  static func averagedTail(_ u: Double, _ α: Double) -> Double {
    (pow(u, -α - 1) / (α + 1) + 3.0 / 8 * pow(u, -α - 3) / (α + 3)) / Double.pi
  }

  /// Φ(u) for u ≥ 0.
  func antiderivative(_ u: Double) -> Double {
    guard u > 0 else { return 0 }
    let t = log(u)
    if t <= lowerLog { return Self.series(u, index) }
    if t >= end { return total - Self.averagedTail(u, index) }
    let x = (t - lowerLog) / step
    let j = min(Int(x), values.count - 2)
    let s = x - Double(j)
    let s2 = s * s
    let s3 = s2 * s
    let h00 = 2 * s3 - 3 * s2 + 1
    let h10 = s3 - 2 * s2 + s
    let h01 = -2 * s3 + 3 * s2
    let h11 = s3 - s2
    return h00 * values[j] + h10 * step * slopes[j] + h01 * values[j + 1] + h11 * step * slopes[j + 1]
  }

  /// ∫_{k₁}^{k₂} k^(−α) W₀(kc) d ln k = c^α [Φ(k₂c) − Φ(k₁c)].
  func integral(from k1: Double, to k2: Double, scale c: Double) -> Double {
    guard c > 0, k2 > k1 else { return 0 }
    return pow(c, index) * (antiderivative(k2 * c) - antiderivative(k1 * c))
  }
}
