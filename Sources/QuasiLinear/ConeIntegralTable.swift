import Foundation
import LarmorCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The k_⊥ integral of a Goldreich–Sridhar family at harmonic |n| = 1 in scaling form, so that
/// `PitchAngleDiffusion.perpendicularIntegral` costs a table look-up instead of a quadrature.
///
/// The GS density is k_⊥^(−10/3) exp(−k_∥/(a_c k_⊥^(2/3))) (a_c the cone width a ℓ^(−1/3)
/// k_min^(1/3) of `GoldreichSridharDensity`). With K = (k_∥/a_c)^(3/2), the k_⊥ of the cone at
/// k_∥, and k_⊥ = Kx the integral factorizes,
///
///   I_1(k_∥) = ∫ 2πk_⊥² d ln k_⊥ A W(k_⊥ r_L sinθ) [ξ²] (…) = 2πA K^(−4/3) ∫ x^(−4/3) e^(−x^(−2/3)) W(σx) [ξ²] d ln x,
///
/// σ = K r_L sinθ, over x ∈ [k_⊥,min/K, k_max/K] (k in 1/L, r_L in L: K in 1/L, σ and x
/// dimensionless; the result is per unit k_∥, in the units of `perpendicularIntegral`):
/// * Alfvén modes, W = (J_1(w)/w)² and no ξ²: one function F(σ) = ∫₀^∞ x^(−4/3) e^(−x^(−2/3)) W(σx) d ln x;
/// * slow modes, W = J_1′(w)² times ξ² = ε/(x² + ε), ε = a_c³/k_∥: the asymptotic series
///   ξ² = Σ_j (−1)^(j−1) (ε/x²)^j, j = 1…`terms`, with F_j for the powers x^(−4/3−2j); it is
///   used only while its last term is below 1e-13 of the first (ε ≲ 5e-6 with 10 terms).
/// The F_j are tabulated on ln σ ∈ [−30, 12] (step 1/40, 4-point Lagrange in ln F; below −30 F
/// is constant to e^(−40), above 12 the weights are phase averaged wherever the kernel is
/// non-negligible and F has the closed form Σ c_i σ^(−q_i) (3/2)Γ(3(p + q_i)/2)). The part
/// x > x_hi = k_max/K is subtracted in closed form when σ x_hi lies beyond the end of the
/// Bessel phase averaging (there W = Σ c_i w^(−q_i) exactly) and x_hi ≥ 10; the part
/// x < k_⊥,min/K must be below e^(−50) relative (k_⊥,min ≤ K/50^(3/2), as the quadrature
/// assumes). Otherwise, and for any other harmonic, the quadrature is used.
/// Accuracy: interpolation ≲ 1e-8 relative, up to 7.5e-6 where the Bessel-oscillation ripple of
/// F has periods of a few steps; against the direct quadrature ≲ 1.3e-5 (both limited by the
/// 1e-11 absolute accuracy of `ExactWeightTable`), D_μμ ≲ 1.1e-5 (ConeIntegralTableTests).
/// The functions depend only on the weights (harmonic 1, the averaging threshold), not on the
/// spectrum: they are built once per process and threshold (`shared`, on all cores whatever the
/// solver's thread count, values independent of it).
struct ConeIntegralTable: Sendable {
  enum Weight: Hashable, Sendable {
    /// (J_1(w)/w)², Alfvén modes; one power, 4/3.
    case alfven
    /// J_1′(w)² with the ξ² series, slow modes; powers 4/3 + 2j, j = 1…`terms`.
    case pseudo
  }

  static let terms = 10
  /// Lower end x of the tabulating quadrature: the kernels are below 1e-19 of their peaks there
  /// (highest slow-mode power, p = 64/3; 1e-47 for p = 4/3).
  static let kernelStart = pow(120.0, -1.5)
  static let logStart = -30.0
  static let logEnd = 12.0
  static let step = 0.025

  let weight: Weight
  /// p of the kernels x^(−p) e^(−x^(−2/3)).
  let powers: [Double]
  /// ln F_j at ln σ = logStart + i·step, flat: entry i·powers.count + j.
  let logValues: [Double]
  /// The averaged weights Σ c_i w^(−q_i) (harmonic 1).
  let averagedTerms: [(coefficient: Double, power: Double)]
  /// Argument beyond which the weights are exactly the averaged ones.
  let averagingEnd: Double
  /// Γ(3(p_j + q_i)/2), flat: entry j·averagedTerms.count + i.
  let gammas: [Double]

  init(weight: Weight, bessel: BesselWeights) {
    self.weight = weight
    powers = weight == .alfven ? [4.0 / 3.0] : (1...Self.terms).map { 4.0 / 3.0 + 2 * Double($0) }
    averagedTerms =
      weight == .alfven ? [(1 / Double.pi, 3), (3 / (8 * Double.pi), 5)] : [(1 / Double.pi, 1), (-1 / (8 * Double.pi), 3)]
    averagingEnd = bessel.averagingEnd(harmonic: 1)
    let terms = averagedTerms
    gammas = powers.flatMap { p in terms.map { tgamma(1.5 * (p + $0.power)) } }
    let count = Int(((Self.logEnd - Self.logStart) / Self.step).rounded()) + 1
    // Entries are independent: computed on all cores, placed by index (thread-count independent).
    let powers = self.powers
    let rows = parallelMap(count, threads: ProcessInfo.processInfo.activeProcessorCount) { i in
      Self.integrals(powers: powers, weight: weight, bessel: bessel, logScale: Self.logStart + Double(i) * Self.step).map { log($0) }
    }
    logValues = rows.flatMap { $0 }
  }

  private static let cache = Mutex<[CacheKey: ConeIntegralTable]>([:])
  private struct CacheKey: Hashable {
    let weight: Weight
    let averagingThreshold: Double
  }

  /// The table for `weight` and these Bessel weights (built on first use, then shared).
  static func shared(_ weight: Weight, bessel: BesselWeights) -> ConeIntegralTable? {
    guard bessel.averagingThreshold.isFinite else { return nil }
    let key = CacheKey(weight: weight, averagingThreshold: bessel.averagingThreshold)
    if let table = cache.withLock({ $0[key] }) { return table }
    let table = ConeIntegralTable(weight: weight, bessel: bessel)
    cache.withLock { $0[key] = table }
    return table
  }

  /// ∫₀^∞ x^(−p) e^(−x^(−2/3)) W(σx) d ln x for each p (successive p must differ by 2), by
  /// 8-point Gauss–Legendre in t = ln x: from x = 120^(−3/2) (the kernels are below 1e-19 of
  /// their peaks there) on panels ≤ 1/2 through the kernels' peaks (t ≤ 2) and, from w = σx = 1/2,
  /// through every π of w up to the averaging end; widening panels (to 4) where the integrand is a
  /// smooth power law (between the two, and beyond) until two add < 1e-16 of every integral.
  static func integrals(powers: [Double], weight: Weight, bessel: BesselWeights, logScale u: Double) -> [Double] {
    let rule = PanelQuadrature(order: 8)
    let σ = exp(u)
    let start = log(kernelStart)
    let end = bessel.averagingEnd(harmonic: 1)
    let oscillationStart = log(0.5 / σ)
    let structureEnd = max(2, log(end / σ))
    let breaks = PanelEdges.besselBreakpoints(scale: σ, maximumArgument: end, lowerLog: start, upperLog: structureEnd)
    var edges = [Double]()
    func widen(to limit: Double) {
      var width = 0.5
      while edges.count < 10_000, edges[edges.count - 1] < limit {
        width = min(2 * width, 4)
        edges.append(min(limit, edges[edges.count - 1] + width))
      }
    }
    if oscillationStart > 2 {
      edges = PanelEdges.make(from: start, to: 2, maximumWidth: 0.5)
      widen(to: oscillationStart)
      edges += PanelEdges.make(from: oscillationStart, to: structureEnd, maximumWidth: 0.5, breakpoints: breaks).dropFirst()
    } else {
      edges = PanelEdges.make(from: start, to: structureEnd, maximumWidth: 0.5, breakpoints: breaks)
    }
    widen(to: structureEnd + 200)
    let step = powers.count > 1 ? powers[1] - powers[0] : 0
    precondition(powers.indices.dropFirst().allSatisfy { abs(powers[$0] - powers[$0 - 1] - step) < 1e-12 })
    var totals = [Double](repeating: 0, count: powers.count)
    var parts = totals
    var quiet = 0
    for p in 0..<(edges.count - 1) {
      let (a, b) = (edges[p], edges[p + 1])
      guard b > a else { continue }
      for j in parts.indices { parts[j] = 0 }
      let half = (b - a) / 2
      let mid = (a + b) / 2
      for i in 0..<rule.nodes.count {
        let t = mid + half * rule.nodes[i]
        let w = bessel.weights(harmonic: 1, argument: σ * exp(t))
        var term = exp(-exp(-2 * t / 3) - powers[0] * t) * rule.weights[i] * half * (weight == .alfven ? w.alfven : w.pseudo)
        let factor = exp(-step * t)
        for j in parts.indices {
          parts[j] += term
          term *= factor
        }
      }
      var small = a >= structureEnd
      for j in powers.indices {
        totals[j] += parts[j]
        if !(abs(parts[j]) < 1e-16 * abs(totals[j])) { small = false }
      }
      quiet = small ? quiet + 1 : 0
      if quiet >= 2 { break }
    }
    return totals
  }

  /// F_j(σ) at ln σ = u.
  func value(_ j: Int, logScale u: Double) -> Double {
    Interpolant(self, logScale: u).value(j)
  }

  /// The look-up of the F_j at one ln σ = u, shared by all j: cubic Lagrange weights of ln F on
  /// the table, or the closed form beyond `logEnd`.
  struct Interpolant {
    let table: ConeIntegralTable
    let u: Double
    let base: Int
    let c: (Double, Double, Double, Double)

    @inline(__always) init(_ table: ConeIntegralTable, logScale u: Double) {
      self.table = table
      self.u = u
      let x = (max(u, ConeIntegralTable.logStart) - ConeIntegralTable.logStart) / ConeIntegralTable.step
      let count = table.logValues.count / table.powers.count
      let i = min(max(Int(x), 1), count - 3)
      let t = x - Double(i)
      c = (
        -t * (t - 1) * (t - 2) / 6, (t + 1) * (t - 1) * (t - 2) / 2, -(t + 1) * t * (t - 2) / 2,
        (t + 1) * t * (t - 1) / 6
      )
      base = (i - 1) * table.powers.count
    }

    @inline(__always) func value(_ j: Int) -> Double {
      if u >= ConeIntegralTable.logEnd {
        var sum = 0.0
        for (i, term) in table.averagedTerms.enumerated() {
          sum += term.coefficient * exp(-term.power * u) * 1.5 * table.gammas[j * table.averagedTerms.count + i]
        }
        return sum
      }
      let n = table.powers.count
      let b = base + j
      return table.logValues.withUnsafeBufferPointer { v in
        exp(c.0 * v[b] + c.1 * v[b + n] + c.2 * v[b + 2 * n] + c.3 * v[b + 3 * n])
      }
    }
  }

  /// ∫_{x_hi}^∞ x^(−p) e^(−x^(−2/3)) W(σx) d ln x with the averaged weights W = Σ c_i w^(−q_i),
  /// by the series of e^(−x^(−2/3)) (x_hi ≥ 10: terms fall by ≥ 0.2/l), given
  /// factors[i] = c_i σ^(−q_i) x_hi^(−p−q_i) and r = x_hi^(−2/3).
  @inline(__always) func tail(power p: Double, factors: (Double, Double), r: Double) -> Double {
    var sum = 0.0
    for (i, term) in averagedTerms.enumerated() {
      let e = p + term.power
      var factor = i == 0 ? factors.0 : factors.1
      var partial = 0.0
      for l in 0..<40 {
        let contribution = factor / (e + 2 * Double(l) / 3)
        partial += contribution
        if abs(contribution) <= 1e-17 * abs(partial) { break }
        factor *= -r / Double(l + 1)
      }
      sum += partial
    }
    return sum
  }

  /// ∫ x^(−4/3) e^(−x^(−2/3)) W(σx) [ξ²] d ln x over [0, x_hi] (see the type), or nil where the
  /// scaling form does not apply (then integrate directly).
  /// - Parameters:
  ///   - σ: K r_L sinθ (dimensionless).
  ///   - xHigh: k_max/K.
  ///   - ε: a_c³/k_∥ (slow modes only).
  func integral(scale σ: Double, upper xHigh: Double, epsilon ε: Double) -> Double? {
    guard σ > 0, xHigh > 0 else { return nil }
    // Phase-averaged weights wherever the kernels matter: closed form for any x_hi.
    let averaged = σ * Self.kernelStart >= averagingEnd
    guard averaged || (xHigh >= 10 && σ * xHigh >= averagingEnd) else { return nil }
    let u = log(σ)
    let root = cbrt(xHigh)
    let r = 1 / (root * root)
    let interpolant = Interpolant(self, logScale: u)
    // c_i σ^(−q_i) x_hi^(−p_j−q_i), advanced by x_hi^(−2) from one j to the next.
    let inverse = 1 / xHigh
    var factors = (0.0, 0.0)
    if !averaged {
      // p_0 = 4/3 (+ 2 for the pseudo weight) and the q_i are odd integers: no pow needed.
      let lead = weight == .alfven ? r * r : r * r * inverse * inverse
      let w = 1 / (σ * xHigh)
      func integerPower(_ q: Double) -> Double { (0..<Int(q)).reduce(1.0) { value, _ in value * w } }
      factors.0 = averagedTerms[0].coefficient * integerPower(averagedTerms[0].power) * lead
      factors.1 = averagedTerms[1].coefficient * integerPower(averagedTerms[1].power) * lead
    }
    func truncated(_ j: Int) -> Double {
      if averaged { return incompleteClosedForm(j, scale: σ, logScale: u, y: r) }
      let value = interpolant.value(j) - tail(power: powers[j], factors: factors, r: r)
      factors.0 *= inverse * inverse
      factors.1 *= inverse * inverse
      return value
    }
    if weight == .alfven { return truncated(0) }
    var sum = 0.0
    var power = 1.0
    var first = 0.0
    for j in powers.indices {
      power *= -ε
      let term = -power * truncated(j)
      if j == 0 { first = term }
      sum += term
      if abs(term) <= 1e-13 * abs(first) { return sum }
    }
    return nil
  }

  /// Σ_i c_i σ^(−q_i) (3/2) Γ(3(p_j + q_i)/2, x_hi^(−2/3)): the integral over [0, x_hi] with
  /// the averaged weights (y = x_hi^(−2/3); `upperIncompleteGamma`).
  @inline(__always) func incompleteClosedForm(_ j: Int, scale σ: Double, logScale u: Double, y: Double) -> Double {
    var sum = 0.0
    for (i, term) in averagedTerms.enumerated() {
      let a = 1.5 * (powers[j] + term.power)
      sum +=
        term.coefficient * exp(-term.power * u) * 1.5
        * upperIncompleteGamma(a, y, complete: gammas[j * averagedTerms.count + i])
    }
    return sum
  }
}

extension ModeFamily {
  var isAlfven: Bool { if case .alfven = self { true } else { false } }
  var isSlow: Bool { if case .slow = self { true } else { false } }
}
