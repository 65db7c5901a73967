import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// G(k_⊥) = ∫₀^{k_max} d ln k_∥ ξ² P_θ(k_⊥, k_∥), ξ² = k_∥²/k², of a Goldreich–Sridhar family
/// (P_θ the pseudo power of `ModeFamily.shape`, without the amplitude), tabulated once per
/// spectrum on ln k_⊥ ∈ [ln k_⊥,min, ln k_max] (step 0.05; 4-point Lagrange in ln G).
///
/// Use: with a Gaussian resonance the n = 0 term (transit-time / mirror-like, weight J_1²) has a
/// resonance factor exp(−((vμ ∓ v_s)/(v_⊥Δ))²)/(|k_∥|v_⊥Δ) whose only k dependence is 1/|k_∥|,
/// so its k integral separates:
///   ∫d³k R_0 J_1(k_⊥r_L sinθ)² ξ²P_θ = [√π e^(−…)/(v_⊥Δ)] ∫ 2πk_⊥² d ln k_⊥ J_1(k_⊥ r_L sinθ)² G(k_⊥),
/// a single integral per μ instead of a nested one (docs/physics.md §3.1, §3.4). The k_∥ integral
/// starts at 10⁻⁶ × min(k_⊥, cone width) (the integrand ∝ k_∥² below), where the nested
/// evaluation starts at 10⁻² min(k_min, 1/R): the difference, ≲ 1e-4 × (k_min/width)², is the
/// nested one's truncation.
struct ParallelPowerTable: Sendable {
  let lowerLog: Double
  let upperLog: Double
  let step: Double
  let values: [Double]

  init?(_ family: ModeFamily, minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) {
    let gs: GoldreichSridhar
    switch family {
    case .slow(let g): gs = g
    default: return nil
    }
    lowerLog = log(gs.perpendicularCutoffFactor * kMin)
    upperLog = log(kMax)
    guard upperLog > lowerLog else { return nil }
    step = 0.05
    let count = Int(((upperLog - lowerLog) / step).rounded(.up))
    let rule = PanelQuadrature(order: 8)
    var values = [Double]()
    values.reserveCapacity(count + 1)
    for j in 0...count {
      let kPerp = exp(min(upperLog, lowerLog + Double(j) * step))
      let width = gs.coneFactor * pow(kMin, 1.0 / 3.0) * pow(kPerp, 2.0 / 3.0)
      let a = log(1e-6 * min(kPerp, width))
      let b = log(kMax)
      let floor = gs.parallelFloorFactor * kMin
      let edges = PanelEdges.make(
        from: a, to: b, maximumWidth: 0.5, breakpoints: [log(width), log(kPerp)] + (floor > 0 ? [log(floor)] : []))
      values.append(
        rule.integrate(edges: edges, terminationStart: log(width) + 1, relativeTolerance: 1e-14) { t in
          let k = exp(t)
          let power = family.shape(at: Vec3(kPerp, 0, k), minimumWavenumber: kMin, maximumWavenumber: kMax).pseudo
          return power * k * k / (k * k + kPerp * kPerp)
        })
    }
    self.values = values
  }

  /// G(k_⊥) for ln k_⊥ = t (0 outside the table).
  func value(atLog t: Double) -> Double {
    guard t >= lowerLog, t <= upperLog else { return 0 }
    let x = (t - lowerLog) / step
    let i = min(max(Int(x) - 1, 0), values.count - 4)
    let u = x - Double(i)  // nodes i … i + 3 at u = 0 … 3
    let v = (values[i], values[i + 1], values[i + 2], values[i + 3])
    let c0 = -(u - 1) * (u - 2) * (u - 3) / 6
    let c1 = u * (u - 2) * (u - 3) / 2
    let c2 = -u * (u - 1) * (u - 3) / 2
    let c3 = u * (u - 1) * (u - 2) / 6
    if v.0 > 0, v.1 > 0, v.2 > 0, v.3 > 0 {
      return exp(c0 * log(v.0) + c1 * log(v.1) + c2 * log(v.2) + c3 * log(v.3))
    }
    return max(0, c0 * v.0 + c1 * v.1 + c2 * v.2 + c3 * v.3)
  }
}
