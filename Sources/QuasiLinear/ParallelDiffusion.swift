import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Options for D_∥ from D_μμ (docs/physics.md §3.5).
public struct ParallelDiffusionOptions: Sendable, Hashable {
  /// H_zone in L for the μ* confinement cut of Fornieri et al.: pitch angles whose free path
  /// ℓ(μ) = v/ν(μ), ν = 2D_μμ/(1 − μ²), exceeds H_zone are dropped from the integral.
  /// nil: no cut (then a divergent integral is reported as `.divergent`).
  public var confinementLength: Double?
  /// True when D_μμ(μ) = D_μμ(−μ): integrate over 0 < μ < 1 only. `PitchAngleDiffusion`
  /// sets it false for unbalanced waves (cross-helicity ≠ 0).
  public var isSymmetric: Bool
  /// Gauss–Legendre panels (12 nodes each) on s ∈ [0, 1], μ = s³.
  public var panels: Int
  /// Also evaluate with twice the panels and report the relative change.
  public var checksConvergence: Bool
  /// For D_μμ smooth in μ (a broadened resonance): with the μ* cut, locate the cut and
  /// integrate the kept pitch angles on an interpolant of (1 − μ²) ln(D_μμ/(1 − μ²)) through the
  /// 12 nodes of each panel (barycentric Lagrange in s), instead of evaluating D_μμ again at
  /// bisection and sub-interval nodes. Falls back to evaluation for a component with any
  /// D_μμ ≤ 0 at the nodes (gaps, sharp resonances).
  public var interpolatesBetweenNodes: Bool
  /// With a confinement cut: panel edges s_j = 1 − (1 − j/N)^g (g = 1: uniform; g > 1 puts
  /// more nodes near μ = 1, where D_μμ of broadened resonances falls fastest).
  public var grading: Double

  public init(
    confinementLength: Double? = nil, isSymmetric: Bool = true, panels: Int = 4, checksConvergence: Bool = true,
    interpolatesBetweenNodes: Bool = false, grading: Double = 1
  ) {
    self.grading = grading
    self.confinementLength = confinementLength
    self.isSymmetric = isSymmetric
    self.panels = panels
    self.checksConvergence = checksConvergence
    self.interpolatesBetweenNodes = interpolatesBetweenNodes
  }
}

/// Whether and where the μ* confinement cut removed pitch angles.
public struct ConfinementCut: Sendable, Hashable {
  /// H_zone in L.
  public let confinementLength: Double
  /// True if any quadrature node was dropped.
  public let isActive: Bool
  /// Largest |μ| among the dropped nodes (≈ μ* when the dropped set is |μ| < μ*); 0 if none.
  public let largestDroppedCosine: Double
  /// Fraction of the μ-measure (quadrature weight) dropped.
  public let droppedFraction: Double
}

/// A finite parallel diffusion coefficient.
public struct ParallelDiffusion: Sendable, Hashable {
  /// D_∥ = (v²/8) ∫₋₁¹ (1 − μ²)²/D_μμ dμ in c·L.
  public let coefficient: Double
  /// λ_∥ = 3D_∥/v in L.
  public let meanFreePath: Double
  /// |D(2N panels) − D(N panels)|/D, or nil if not checked.
  public let relativeChangeOnRefinement: Double?
  /// The confinement cut, if one was requested.
  public let cut: ConfinementCut?
}

/// Why QLT gives no finite D_∥ (docs/physics.md §3.2–3.3, traps 10): never regularized silently.
public struct DiffusionDivergence: Sendable, Hashable, CustomStringConvertible {
  public enum Reason: Sendable, Hashable {
    /// D_μμ = 0 for |μ| < `gap`: no resonant waves (finite k_max), the 90° problem.
    case resonanceGap
    /// D_μμ ∝ |μ|^p with p ≥ 1 as μ → 0 (isotropic turbulence: p = 5/3).
    case powerLawAtNinetyDegrees
    /// With the μ* cut, every pitch angle has a free path longer than H_zone: scattering
    /// does not confine the particles at all, and no diffusion coefficient exists.
    case allPitchAnglesBallistic
    /// D_μμ = 0 for |μ| > `gap` (no resonant waves near μ = ±1, e.g. a slab spectrum with
    /// r_L k_min > 1): particles along B₀ stream freely.
    case resonanceGapAtZeroDegrees
    /// (1 − μ²)²/D_μμ grows at least like (1 − |μ|)^(−p), p ≥ 1, as |μ| → 1 (e.g. TTD-dominated
    /// scattering, whose D_μμ falls like exp(−1/((1 − μ²)Δ²))): the integral diverges there.
    case growthAtZeroDegrees

    /// A short name for outputs (`dpar_divergence_reason`).
    public var name: String {
      switch self {
      case .resonanceGap: "resonance_gap"
      case .powerLawAtNinetyDegrees: "power_law_at_90_degrees"
      case .allPitchAnglesBallistic: "all_pitch_angles_ballistic"
      case .resonanceGapAtZeroDegrees: "resonance_gap_at_0_degrees"
      case .growthAtZeroDegrees: "growth_at_0_degrees"
      }
    }
  }
  public let reason: Reason
  /// For a gap at 90°: the half-width μ_gap (any μ-cut must exclude at least |μ| < μ_gap);
  /// for a gap at 0°: the edge μ_edge above which D_μμ = 0.
  public let gap: Double?
  /// The local exponent p: d ln D_μμ/d ln|μ| at the smallest probed |μ| (power law at 90°), or
  /// −d ln[(1 − μ²)²/D_μμ]/d ln(1 − |μ|) at the |μ| probed closest to 1 (growth at 0°; +∞
  /// where D_μμ underflows to 0 after positive values).
  public let exponent: Double?
  /// The smallest |μ| probed (90° end), or the largest (0° end).
  public let smallestProbedCosine: Double

  public init(reason: Reason, gap: Double?, exponent: Double?, smallestProbedCosine: Double) {
    self.reason = reason
    self.gap = gap
    self.exponent = exponent
    self.smallestProbedCosine = smallestProbedCosine
  }

  /// The cosine a cut |μ| > μ_c must at least exclude: μ_gap for a gap at 90°; for a power law
  /// every μ_c > 0 gives a finite value that grows as μ_c^(1−p), so none is "needed" and nil is
  /// returned; nil for the divergences at 0°, which no cut |μ| > μ_c removes.
  public var cosineCutNeeded: Double? { reason == .resonanceGap ? gap : nil }

  public var description: String {
    switch reason {
    case .resonanceGap:
      "D_∥ diverges: D_μμ = 0 for |μ| < \(Self.short(gap ?? 0)) (no resonant waves; 90° problem). Use a μ* cut, broadening or a dissipation range."
    case .allPitchAnglesBallistic:
      "No diffusive pitch angles: the free path v/ν(μ) exceeds H_zone at every μ (streaming, not diffusion)."
    case .powerLawAtNinetyDegrees:
      "D_∥ diverges: D_μμ ∝ |μ|^\(Self.short(exponent ?? .nan)) with exponent ≥ 1 as μ → 0 (probed to |μ| = \(Self.short(smallestProbedCosine))). Strict QLT has no finite λ_∥ here."
    case .resonanceGapAtZeroDegrees:
      "D_∥ diverges: D_μμ = 0 for |μ| > \(Self.short(gap ?? 1)) (no resonant waves near μ = ±1; e.g. r_L k_min > 1): particles along B₀ stream freely."
    case .growthAtZeroDegrees:
      "D_∥ diverges: (1 − μ²)²/D_μμ grows "
        + (exponent?.isFinite == true ? "like (1 − |μ|)^−\(Self.short(exponent!)) (exponent ≥ 1)" : "faster than any power of 1/(1 − |μ|)")
        + " as |μ| → 1 (probed to 1 − |μ| = 1e-\(Int((-log10(1 - smallestProbedCosine)).rounded()))): scattering fails along B₀ (TTD-dominated D_μμ falls faster than (1 − μ²)²)."
    }
  }

  /// A cosine or exponent for a message: four significant digits (0.2667, not 0.2666666666667366).
  private static func short(_ value: Double) -> String {
    value.isFinite ? String(format: "%.4g", value) : "\(value)"
  }
}

/// The outcome of D_∥ from D_μμ: finite, or divergent with the reason.
public enum ParallelDiffusionResult: Sendable, Hashable {
  case finite(ParallelDiffusion)
  case divergent(DiffusionDivergence)

  /// The finite value, or nil.
  public var value: ParallelDiffusion? {
    if case .finite(let v) = self { v } else { nil }
  }
  /// The divergence, or nil.
  public var divergence: DiffusionDivergence? {
    if case .divergent(let d) = self { d } else { nil }
  }
}

/// D_∥ = (v²/8) ∫₋₁¹ (1 − μ²)²/D_μμ(μ) dμ and λ_∥ = 3D_∥/v (docs/physics.md §3.5).
///
/// Quadrature: μ = s³ with composite 12-point Gauss–Legendre in s, which removes the
/// integrable |μ|^(1−q) singularity of slab spectra at μ → 0 and avoids μ = 0 and μ = ±1.
/// Divergence detection (without a confinement cut), at both ends of the μ range: D_μμ is
/// probed at |μ| = 10⁻¹ … 10⁻⁸. A zero at any probe is a resonance gap (its edge found by
/// bisection in ln μ, searched upwards when D_μμ is already 0 at 10⁻¹); otherwise the local
/// exponent p from the two smallest probes, p ≥ 0.97, flags a non-integrable power law. Then at
/// 1 − |μ| = 10⁻¹ … 10⁻⁸: a zero after positive values is a gap at 0° (edge by bisection), and
/// the local growth exponent of (1 − μ²)²/D_μμ from the two probes closest to 1, ≥ 0.97, a
/// non-integrable growth.
/// - Parameters:
///   - speed: v in c.
///   - coefficient: D_μμ(μ) in c/L.
public func parallelDiffusion(
  speed v: Double = 1, options: ParallelDiffusionOptions = ParallelDiffusionOptions(),
  pitchAngleCoefficient coefficient: (Double) -> Double
) -> ParallelDiffusionResult {
  parallelDiffusionOfComponents(speed: v, options: options, count: 1) { [coefficient($0)] }.total
}

/// D_∥ of several scattering processes at once, from one evaluation of their D_μμ per node:
/// each component alone and their total, in which the rates add (D_μμ = Σ D_μμ,i; docs/physics.md
/// §3.5), not the mean free paths.
/// - Parameters:
///   - count: number of components returned by `coefficients`.
///   - component: D_μμ,i(μ) of component i alone (optional; lets the interpolating μ* search
///     refine a component's cut on exact values without evaluating the others).
///   - batch: evaluates `coefficients` at a list of μ, results in order (optional; lets the
///     caller evaluate the quadrature nodes in parallel).
///   - coefficients: the D_μμ,i(μ) in c/L.
public func parallelDiffusionOfComponents(
  speed v: Double = 1, options: ParallelDiffusionOptions = ParallelDiffusionOptions(), count: Int,
  component: ((Int, Double) -> Double)? = nil, batch: (([Double]) -> [[Double]])? = nil,
  coefficients: (Double) -> [Double]
) -> (components: [ParallelDiffusionResult], total: ParallelDiffusionResult) {
  /// `coefficients` at many μ at once (through `batch`, e.g. in parallel, when given).
  func many(_ μs: [Double]) -> [[Double]] { batch?(μs) ?? μs.map(coefficients) }
  let signs: [Double] = options.isSymmetric ? [1] : [1, -1]
  // Divergence probes (only without a cut).
  var divergences = [DiffusionDivergence?](repeating: nil, count: count + 1)
  if options.confinementLength == nil {
    for sign in signs {
      let probes = (1...8).map { pow(10, -Double($0)) }
      let values = probes.map { coefficients(sign * $0) }
      for c in 0...count where divergences[c] == nil {
        let series = values.map { c == count ? $0.reduce(0, +) : $0[c] }
        divergences[c] = classify(probes: probes, values: series, sign: sign) { μ in
          let d = coefficients(μ)
          return c == count ? d.reduce(0, +) : d[c]
        }
      }
      // The μ → ±1 end, for what is still finite.
      let pending = (0...count).filter { divergences[$0] == nil }
      if !pending.isEmpty {
        let distances = (1...8).map { pow(10, -Double($0)) }
        let values = distances.map { coefficients(sign * (1 - $0)) }
        for c in pending {
          let series = values.map { c == count ? $0.reduce(0, +) : $0[c] }
          divergences[c] = classifyParallelEnd(distances: distances, values: series) { μ in
            let d = coefficients(sign * μ)
            return c == count ? d.reduce(0, +) : d[c]
          }
        }
      }
    }
  }
  struct Accumulator {
    var sum = 0.0
    var dropped = 0.0
    var largestDropped = 0.0
  }
  func evaluate(panels: Int) -> (sums: [Accumulator], totalWeight: Double) {
    let rule = gaussLegendre12
    var accumulators = [Accumulator](repeating: Accumulator(), count: count + 1)
    var totalWeight = 0.0
    for sign in signs {
      let all = many(
        (0..<panels).flatMap { p in
          rule.nodes.map { x -> Double in
            let s = (Double(p) + (1 + x) / 2) / Double(panels)
            return sign * s * s * s
          }
        })
      for p in 0..<panels {
        let a = Double(p) / Double(panels)
        let b = Double(p + 1) / Double(panels)
        let half = (b - a) / 2
        let mid = (a + b) / 2
        for i in 0..<rule.nodes.count {
          let s = mid + half * rule.nodes[i]
          let μ = sign * s * s * s
          let weight = rule.weights[i] * half * 3 * s * s
          totalWeight += weight
          let values = all[p * rule.nodes.count + i]
          let oneMinus = 1 - μ * μ
          for c in 0...count {
            let d = c == count ? values.reduce(0, +) : values[c]
            if let H = options.confinementLength {
              let freePath = d > 0 ? v * oneMinus / (2 * d) : .infinity
              if freePath > H {
                accumulators[c].dropped += weight
                accumulators[c].largestDropped = max(accumulators[c].largestDropped, abs(μ))
                continue
              }
            }
            accumulators[c].sum += weight * oneMinus * oneMinus / d
          }
        }
      }
    }
    return (accumulators, totalWeight)
  }
  let prefactor = options.isSymmetric ? v * v / 4 : v * v / 8
  if let H = options.confinementLength {
    let interpolates = options.interpolatesBetweenNodes
    let coarse = confinedIntegrals(
      speed: v, confinementLength: H, signs: signs, panels: options.panels, count: count, interpolates: interpolates,
      grading: options.grading,
      component: component, batch: batch, coefficients)
    let fine = options.checksConvergence
      ? confinedIntegrals(
        speed: v, confinementLength: H, signs: signs, panels: 2 * options.panels, count: count, interpolates: interpolates,
        grading: options.grading,
        component: component, batch: batch, coefficients) : nil
    var results = [ParallelDiffusionResult]()
    for c in 0...count {
      let (sum, dropped, largest) = coarse[c]
      if sum == 0 {
        results.append(.divergent(DiffusionDivergence(reason: .allPitchAnglesBallistic, gap: nil, exponent: nil, smallestProbedCosine: 0)))
        continue
      }
      let value = prefactor * sum
      let change = fine.map { abs(prefactor * $0[c].sum - value) / abs(prefactor * $0[c].sum) }
      let cut = ConfinementCut(
        confinementLength: H, isActive: dropped > 0, largestDroppedCosine: largest, droppedFraction: dropped / Double(signs.count))
      results.append(
        .finite(ParallelDiffusion(coefficient: value, meanFreePath: 3 * value / v, relativeChangeOnRefinement: change, cut: cut)))
    }
    let total = results.removeLast()
    return (results, total)
  }
  if divergences.allSatisfy({ $0 != nil }) {
    let all = divergences.map { ParallelDiffusionResult.divergent($0!) }
    return (Array(all.dropLast()), all.last!)
  }
  let coarse = evaluate(panels: options.panels)
  let fine = options.checksConvergence ? evaluate(panels: 2 * options.panels) : nil
  var results = [ParallelDiffusionResult]()
  for c in 0...count {
    if let d = divergences[c] {
      results.append(.divergent(d))
      continue
    }
    if options.confinementLength != nil, coarse.sums[c].sum == 0 {
      results.append(.divergent(DiffusionDivergence(reason: .allPitchAnglesBallistic, gap: nil, exponent: nil, smallestProbedCosine: 0)))
      continue
    }
    let value = prefactor * coarse.sums[c].sum
    let change = fine.map { abs(prefactor * $0.sums[c].sum - value) / abs(prefactor * $0.sums[c].sum) }
    let cut = options.confinementLength.map {
      ConfinementCut(
        confinementLength: $0, isActive: coarse.sums[c].dropped > 0, largestDroppedCosine: coarse.sums[c].largestDropped,
        droppedFraction: coarse.sums[c].dropped / coarse.totalWeight)
    }
    results.append(
      .finite(ParallelDiffusion(coefficient: value, meanFreePath: 3 * value / v, relativeChangeOnRefinement: change, cut: cut)))
  }
  let total = results.removeLast()
  return (results, total)
}

func classify(probes: [Double], values: [Double], sign: Double, _ coefficient: (Double) -> Double) -> DiffusionDivergence? {
  if let firstZero = values.firstIndex(where: { !($0 > 0) }) {
    var lo = log(probes[firstZero])
    var hi: Double
    if firstZero > 0 {
      hi = log(probes[firstZero - 1])
    } else {
      // Zero already at the largest probe: search upwards for the edge, up to |μ| = 1 − 10⁻⁸.
      let above = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 0.999, 0.9999, 1 - 1e-6, 1 - 1e-8]
      guard let first = above.firstIndex(where: { coefficient(sign * $0) > 0 }) else {
        return DiffusionDivergence(reason: .resonanceGap, gap: 1, exponent: nil, smallestProbedCosine: probes.last!)
      }
      lo = log(first == 0 ? probes[0] : above[first - 1])
      hi = log(above[first])
    }
    // Gap: bisect in ln μ between the last zero and the first positive value.
    for _ in 0..<40 {
      let mid = (lo + hi) / 2
      if coefficient(sign * exp(mid)) > 0 { hi = mid } else { lo = mid }
    }
    return DiffusionDivergence(reason: .resonanceGap, gap: exp(hi), exponent: nil, smallestProbedCosine: probes.last!)
  }
  let n = probes.count
  let p = log(values[n - 2] / values[n - 1]) / log(probes[n - 2] / probes[n - 1])
  if p >= 0.97 {
    return DiffusionDivergence(reason: .powerLawAtNinetyDegrees, gap: nil, exponent: p, smallestProbedCosine: probes[n - 1])
  }
  return nil
}

/// The μ → ±1 end of `classify`: `distances` are 1 − |μ| (decreasing), `values` D_μμ there,
/// `coefficient(|μ|)` D_μμ on the probed side.
func classifyParallelEnd(distances: [Double], values: [Double], _ coefficient: (Double) -> Double) -> DiffusionDivergence? {
  let closest = 1 - distances.last!
  if let firstZero = values.firstIndex(where: { !($0 > 0) }) {
    if firstZero > 0, values[firstZero - 1] > 0, values[..<firstZero].allSatisfy({ $0 > 0 }) {
      // A gap at 0° has a sharp edge; D_μμ that just underflows after falling steeply is growth.
      let ratio = values[firstZero - 1] / values[max(0, firstZero - 2)]
      if firstZero >= 2, ratio < 1e-6 {
        return DiffusionDivergence(reason: .growthAtZeroDegrees, gap: nil, exponent: .infinity, smallestProbedCosine: closest)
      }
    }
    // Bisect in ln(1 − |μ|) between the last positive probe (or |μ| = 0.1, positive by the
    // 90° probes that ran first) and the first zero.
    var far = log(firstZero > 0 ? distances[firstZero - 1] : 0.9)
    var near = log(distances[firstZero])
    for _ in 0..<40 {
      let mid = (far + near) / 2
      if coefficient(1 - exp(mid)) > 0 { far = mid } else { near = mid }
    }
    return DiffusionDivergence(reason: .resonanceGapAtZeroDegrees, gap: 1 - exp(far), exponent: nil, smallestProbedCosine: closest)
  }
  /// (1 − μ²)²/D_μμ at probe i.
  func integrand(_ i: Int) -> Double {
    let μ = 1 - distances[i]
    return (1 - μ * μ) * (1 - μ * μ) / values[i]
  }
  let n = distances.count
  let growth = log(integrand(n - 1) / integrand(n - 2)) / log(distances[n - 2] / distances[n - 1])
  if !growth.isFinite || growth >= 0.97 {
    return DiffusionDivergence(reason: .growthAtZeroDegrees, gap: nil, exponent: growth.isNaN ? .infinity : growth, smallestProbedCosine: closest)
  }
  return nil
}

let gaussLegendre12 = PanelQuadrature(order: 12)

/// ∫ (1 − μ²)²/D_μμ dμ over the diffusive pitch angles only (free path v(1 − μ²)/(2D_μμ) ≤ H),
/// for each component and the total. The boundaries of the kept set are located by bisection
/// in s (μ = s³) between scan nodes of different status, and each kept interval is integrated
/// with its own Gauss–Legendre panels, so the discontinuity of the cut integrand does not
/// limit the accuracy. Returns (integral, dropped μ-measure, largest dropped |μ|) per entry.
func confinedIntegrals(
  speed v: Double, confinementLength H: Double, signs: [Double], panels: Int, count: Int, interpolates: Bool = false,
  grading g: Double = 1, component: ((Int, Double) -> Double)? = nil, batch: (([Double]) -> [[Double]])? = nil,
  _ coefficients: (Double) -> [Double]
) -> [(sum: Double, dropped: Double, largestDropped: Double)] {
  /// ln(ℓ/H), ℓ = v(1 − μ²)/(2D_μμ), for D_μμ at μ = s³ (+∞ for D ≤ 0).
  func logRatio(_ d: Double, _ s: Double) -> Double {
    let μ = s * s * s
    return d > 0 ? log(v * (1 - μ * μ) / (2 * d * H)) : .infinity
  }
  /// The root of ln(ℓ/H) in `bracket` (s), from `guess`, by Illinois false position on exact
  /// D_μμ (at most 8 evaluations; stops at |Δs| < 1e-9 or |ln(ℓ/H)| < 1e-9).
  func refineBoundary(
    guess: Double, bracket: (Double, Double), values: (Double, Double), _ d: (Double) -> Double
  ) -> Double {
    var (a, b) = bracket
    var fa = logRatio(values.0, a)
    var fb = logRatio(values.1, b)
    guard fa.isFinite, fb.isFinite, (fa > 0) != (fb > 0) else { return guess }
    var x = guess
    var side = 0
    for _ in 0..<8 {
      let fx = logRatio(d(x), x)
      guard fx.isFinite else { return guess }
      if abs(fx) < 1e-9 { return x }
      if (fx > 0) == (fa > 0) {
        a = x
        fa = fx
        if side == -1 { fb /= 2 }
        side = -1
      } else {
        b = x
        fb = fx
        if side == 1 { fa /= 2 }
        side = 1
      }
      if b - a < 1e-9 { break }
      x = (a * fb - b * fa) / (fb - fa)
    }
    return x
  }
  let rule = gaussLegendre12
  func value(_ d: [Double], _ c: Int) -> Double { c == count ? d.reduce(0, +) : d[c] }
  func isKept(_ d: Double, _ μ: Double) -> Bool { d > 0 && v * (1 - μ * μ) / (2 * d) <= H }
  func nodes(_ a: Double, _ b: Double, _ n: Int) -> [(s: Double, weight: Double)] {
    var out = [(s: Double, weight: Double)]()
    for p in 0..<n {
      let lo = a + (b - a) * Double(p) / Double(n)
      let hi = a + (b - a) * Double(p + 1) / Double(n)
      let half = (hi - lo) / 2
      let mid = (hi + lo) / 2
      for i in 0..<rule.nodes.count { out.append((mid + half * rule.nodes[i], rule.weights[i] * half)) }
    }
    return out
  }
  // Barycentric weights 1/∏_{k≠j}(x_j − x_k) of the rule's nodes (the same in every panel up to
  // a common factor, which cancels).
  /// Edge j of the scan panels in s.
  func edge(_ j: Int) -> Double { j >= panels ? 1 : 1 - pow(1 - Double(j) / Double(panels), g) }
  let barycentric = rule.nodes.indices.map { j in
    1 / rule.nodes.indices.reduce(1.0) { $1 == j ? $0 : $0 * (rule.nodes[j] - rule.nodes[$1]) }
  }
  var results = [(sum: Double, dropped: Double, largestDropped: Double)](repeating: (0, 0, 0), count: count + 1)
  for sign in signs {
    let scan = (0..<panels).flatMap { p in nodes(edge(p), edge(p + 1), 1) }
    let scanμ = scan.map { sign * $0.s * $0.s * $0.s }
    let scanValues = batch?(scanμ) ?? scanμ.map(coefficients)
    let order = rule.nodes.count
    for c in 0...count {
      let kept = scan.indices.map { i in isKept(value(scanValues[i], c), sign * pow(scan[i].s, 3)) }
      // y = (1 − μ²) ln q, q = D_μμ/(1 − μ²), at the scan nodes, for the interpolant (the
      // factor 1 − μ² makes Gaussian-resonance factors exp(−μ²/((1 − μ²)Δ²)) regular at μ → 1).
      let logQ: [Double]? =
        interpolates && scan.indices.allSatisfy({ value(scanValues[$0], c) > 0 })
        ? scan.indices.map { i in
          let μ = pow(scan[i].s, 3)
          return (1 - μ * μ) * log(value(scanValues[i], c) / (1 - μ * μ))
        } : nil
      /// ∫_a^b 3s²(1 − μ²)²/D_μμ ds over a kept interval, interpolating path. Whole scan panels
      /// use their exact node values. A partial panel (cut by a μ* boundary, where 1/D_μμ
      /// typically rises steeply towards the boundary) gets its own 12 exact values at the
      /// Gauss–Legendre nodes of the partial interval; y = (1 − μ²) ln(D_μμ/(1 − μ²)) is
      /// interpolated through them and the integrand exp(−y/(1 − μ²))(1 − μ²) integrated on
      /// 4 × 12 nodes. Without a single-component closure the global interpolant is used.
      func keptIntegral(_ a: Double, _ b: Double, _ c: Int) -> Double {
        var sum = 0.0
        for p in 0..<panels {
          let lo = max(a, edge(p))
          let hi = min(b, edge(p + 1))
          guard hi > lo else { continue }
          let whole = hi - lo > (1 - 1e-12) * (edge(p + 1) - edge(p))
          if whole {
            for i in (p * order)..<((p + 1) * order) {
              let μ = pow(scan[i].s, 3)
              let oneMinus = 1 - μ * μ
              sum += scan[i].weight * 3 * scan[i].s * scan[i].s * oneMinus * oneMinus / value(scanValues[i], c)
            }
            continue
          }
          var local: (s: [Double], y: [Double])? = nil
          if let exact = component {
            let points = nodes(lo, hi, 1).map(\.s)
            let ys = points.map { s -> Double in
              let μ = s * s * s
              let d = c == count ? coefficients(sign * μ).reduce(0, +) : exact(c, sign * μ)
              return d > 0 ? (1 - μ * μ) * log(d / (1 - μ * μ)) : .nan
            }
            if ys.allSatisfy({ $0.isFinite }) { local = (points, ys) }
          }
          for node in nodes(lo, hi, 4) {
            let μ = node.s * node.s * node.s
            let oneMinus = 1 - μ * μ
            let d: Double
            if let local {
              var numerator = 0.0
              var denominator = 0.0
              var hit: Double? = nil
              for i in 0..<order {
                let δ = node.s - local.s[i]
                if δ == 0 { hit = local.y[i]; break }
                let λ = barycentric[i] / δ
                numerator += λ * local.y[i]
                denominator += λ
              }
              d = exp((hit ?? numerator / denominator) / oneMinus) * oneMinus
            } else {
              d = coefficient(node.s)
            }
            if d > 0 { sum += node.weight * 3 * node.s * node.s * oneMinus * oneMinus / d }
          }
        }
        return sum
      }
      /// D_μμ of component c at s (μ = sign·s³): interpolated when possible, else evaluated.
      func coefficient(_ s: Double) -> Double {
        let μ = s * s * s
        guard let logQ else { return value(coefficients(sign * μ), c) }
        var p = 0
        while p < panels - 1, s >= edge(p + 1) { p += 1 }
        let base = p * order
        var numerator = 0.0
        var denominator = 0.0
        for i in 0..<order {
          let d = s - scan[base + i].s
          if d == 0 { return exp(logQ[base + i] / (1 - μ * μ)) * (1 - μ * μ) }
          let λ = barycentric[i] / d
          numerator += λ * logQ[base + i]
          denominator += λ
        }
        return exp(numerator / denominator / (1 - μ * μ)) * (1 - μ * μ)
      }
      if kept.allSatisfy({ $0 }) {
        for i in scan.indices {
          let μ = pow(scan[i].s, 3)
          let oneMinus = 1 - μ * μ
          results[c].sum += scan[i].weight * 3 * scan[i].s * scan[i].s * oneMinus * oneMinus / value(scanValues[i], c)
        }
        continue
      }
      // Boundaries between scan nodes of different status, by bisection in s.
      var boundaries = [0.0]
      var status = [kept[0]]
      for i in 1..<scan.count where kept[i] != kept[i - 1] {
        var lo = scan[i - 1].s
        var hi = scan[i].s
        for _ in 0..<30 {
          let mid = (lo + hi) / 2
          let d = coefficient(mid)
          if isKept(d, mid * mid * mid) == kept[i - 1] { lo = mid } else { hi = mid }
        }
        if logQ != nil, let exact = component {
          // The interpolated boundary is the first guess of a root search on the exact
          // ln(ℓ(μ)/H), bracketed by the two scan nodes (Illinois false position).
          boundaries.append(
            refineBoundary(
              guess: (lo + hi) / 2, bracket: (scan[i - 1].s, scan[i].s),
              values: (value(scanValues[i - 1], c), value(scanValues[i], c))
            ) { s in c == count ? coefficients(sign * s * s * s).reduce(0, +) : exact(c, sign * s * s * s) })
        } else {
          boundaries.append((lo + hi) / 2)
        }
        status.append(kept[i])
      }
      boundaries.append(1)
      for j in 0..<status.count {
        let (a, b) = (boundaries[j], boundaries[j + 1])
        guard b > a else { continue }
        if !status[j] {
          results[c].dropped += pow(b, 3) - pow(a, 3)
          results[c].largestDropped = max(results[c].largestDropped, pow(b, 3))
          continue
        }
        if logQ != nil {
          results[c].sum += keptIntegral(a, b, c)
          continue
        }
        for node in nodes(a, b, max(1, Int((Double(panels) * (b - a)).rounded(.up)))) {
          let μ = node.s * node.s * node.s
          let d = coefficient(node.s)
          let oneMinus = 1 - μ * μ
          if d > 0 { results[c].sum += node.weight * 3 * node.s * node.s * oneMinus * oneMinus / d }
        }
      }
    }
  }
  return results
}

extension PitchAngleDiffusion {
  /// D_∥ (c·L) and λ_∥ (L) of this spectrum at reduced rigidity R and speed v (in c), from the
  /// pitch-angle coefficient the solver integrates (without or with the waves' electric field);
  /// a solver integrating D_pp has none.
  public func parallelDiffusion(
    reducedRigidity R: Double, speed v: Double = 1, options: ParallelDiffusionOptions = ParallelDiffusionOptions()
  ) -> ParallelDiffusionResult {
    precondition(settings.coefficient != .momentum, "D_∥ needs a pitch-angle solver, not one integrating D_pp")
    // Unbalanced waves (σ_c ≠ 0) scatter μ > 0 and μ < 0 differently: integrate over both halves.
    var options = options
    if settings.crossHelicity != 0 { options.isSymmetric = false }
    return QuasiLinear.parallelDiffusion(speed: v, options: options) { μ in
      coefficient(cosine: μ, reducedRigidity: R, speed: v)
    }
  }
}
