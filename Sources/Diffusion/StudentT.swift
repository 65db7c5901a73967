import Foundation
import LarmorCore

/// Student's t distribution: the reference for a jackknife statistic over G groups, whose
/// t-ratio (estimate − truth)/σ_jackknife has ν = G − 1 degrees of freedom.
public enum StudentT {
  /// P(|T| > t) for ν degrees of freedom (ν ≥ 1). With t = √ν tan θ the density becomes
  /// ∝ cos^{ν−1}θ on [0, π/2), a smooth integrand for Gauss–Legendre.
  public static func twoSidedTail(_ t: Double, degreesOfFreedom nu: Int) -> Double {
    precondition(nu >= 1, "degrees of freedom must be ≥ 1")
    let n = Double(nu)
    let theta = atan(abs(t) / n.squareRoot())
    let norm = 2 * exp(lgamma((n + 1) / 2) - lgamma(n / 2)) / Double.pi.squareRoot()
    let inside = norm * rule.integrate(from: 0, to: theta) { pow(cos($0), n - 1) }
    return max(0, 1 - inside)
  }

  /// The two-sided critical value t with P(|T| > t) = `falseAlarmRate` (bisection in θ).
  public static func criticalValue(falseAlarmRate alpha: Double, degreesOfFreedom nu: Int) -> Double {
    precondition(alpha > 0 && alpha < 1, "false-alarm rate must lie in (0, 1)")
    let n = Double(nu)
    var lo = 0.0, hi = Double.pi / 2
    for _ in 0..<80 {
      let mid = 0.5 * (lo + hi)
      if twoSidedTail(n.squareRoot() * tan(mid), degreesOfFreedom: nu) > alpha { lo = mid } else { hi = mid }
    }
    return n.squareRoot() * tan(0.5 * (lo + hi))
  }

  private static let rule = GaussLegendre(order: 64)
}
