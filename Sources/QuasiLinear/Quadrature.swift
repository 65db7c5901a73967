import LarmorCore

/// Composite Gauss–Legendre quadrature on explicit panel edges, the building block of every
/// integral in QuasiLinear (docs/physics.md §3.6). Panels are laid out so that each one contains at
/// most a fraction of the structure of the integrand: a maximum width in the integration
/// variable (usually ln k), extra edges at support boundaries, clusters of edges around
/// resonance centres, and edges every π in the Bessel argument where the Bessel weights
/// oscillate.
struct PanelQuadrature: Sendable {
  let nodes: [Double]
  let weights: [Double]

  init(order: Int) {
    let rule = GaussLegendre(order: order)
    nodes = rule.nodes
    weights = rule.weights
  }

  /// ∫ f over [a, b] with this rule.
  @inline(__always) func panel(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
    let half = (b - a) / 2
    let mid = (a + b) / 2
    var sum = 0.0
    for i in 0..<nodes.count { sum += weights[i] * f(mid + half * nodes[i]) }
    return sum * half
  }

  /// ∫ f over the panels between consecutive `edges` (sorted ascending).
  ///
  /// Early termination: once the running total is nonzero and the position is beyond
  /// `terminationStart`, the sum stops after `quietPanels` consecutive panels that each add
  /// less than `relativeTolerance` of the running total (for integrands with a monotone
  /// power-law tail, as every QLT integrand has beyond its last structure).
  func integrate(
    edges: [Double], terminationStart: Double = .infinity, relativeTolerance: Double = 1e-13,
    quietPanels: Int = 6, _ f: (Double) -> Double
  ) -> Double {
    Self.sumPanels(edges: edges, terminationStart: terminationStart, relativeTolerance: relativeTolerance,
                   quietPanels: quietPanels) { a, b in panel(a, b, f) }
  }

  /// Σ part(a, b) over consecutive non-empty panels of `edges`, in order, with the early
  /// termination described at `integrate(edges:…)`; shared by the scalar and SIMD integrands.
  @inline(__always)
  static func sumPanels(
    edges: [Double], terminationStart: Double, relativeTolerance: Double, quietPanels: Int,
    _ part: (Double, Double) -> Double
  ) -> Double {
    var total = 0.0
    var quiet = 0
    guard edges.count >= 2 else { return 0 }
    for p in 0..<(edges.count - 1) {
      let a = edges[p]
      let b = edges[p + 1]
      guard b > a else { continue }
      let value = part(a, b)
      total += value
      if a >= terminationStart, total != 0 {
        if abs(value) < relativeTolerance * abs(total) {
          quiet += 1
          if quiet >= quietPanels { break }
        } else {
          quiet = 0
        }
      }
    }
    return total
  }
}

extension PanelQuadrature {
  /// `integrate(edges:…)` for an 8-point rule with an integrand that takes the eight nodes of a
  /// panel at once (SIMD, see `fastExp(_: SIMD8<Double>)`): the same nodes, weights, summation
  /// order and stopping rule, hence the same result as the scalar integrand.
  func integrate(
    edges: [Double], terminationStart: Double = .infinity, relativeTolerance: Double = 1e-13,
    quietPanels: Int = 6, panelwise f: (SIMD8<Double>) -> SIMD8<Double>
  ) -> Double {
    precondition(nodes.count == 8)
    let x = SIMD8<Double>(nodes)
    let w = SIMD8<Double>(weights)
    return Self.sumPanels(edges: edges, terminationStart: terminationStart, relativeTolerance: relativeTolerance,
                          quietPanels: quietPanels) { a, b in
      let half = (b - a) / 2
      let mid = (a + b) / 2
      let values = f(mid + half * x)
      var sum = 0.0
      for i in 0..<8 { sum += w[i] * values[i] }
      return sum * half
    }
  }
}

/// Construction of panel edges.
enum PanelEdges {
  /// Edges covering [a, b]: a uniform lattice of spacing ≤ h anchored at a, plus every
  /// breakpoint strictly inside (a, b); sorted, with near-duplicates removed.
  static func make(from a: Double, to b: Double, maximumWidth h: Double, breakpoints: [Double] = []) -> [Double] {
    guard b > a else { return [] }
    let count = max(1, Int(((b - a) / h).rounded(.up)))
    let step = (b - a) / Double(count)
    var edges = [Double]()
    edges.reserveCapacity(count + 1 + breakpoints.count)
    for j in 0...count { edges.append(a + Double(j) * step) }
    for x in breakpoints where x > a && x < b { edges.append(x) }
    edges.sort()
    var unique = [Double]()
    unique.reserveCapacity(edges.count)
    let tiny = 1e-12 * max(1, abs(a), abs(b))
    for x in edges where unique.isEmpty || x - unique[unique.count - 1] > tiny { unique.append(x) }
    if let last = unique.last, last < b { unique[unique.count - 1] = b }
    return unique
  }

  /// Breakpoints clustering panels around a Gaussian of centre c and standard deviation s
  /// (both in the integration variable): c ± j s/2 for |j| ≤ 16 (±8 s), then ±12 s.
  static func gaussianCluster(center c: Double, width s: Double) -> [Double] {
    gaussianCluster(center: c, width: s, spacing: 0.5, reach: 8)
  }

  /// Breakpoints c + j·spacing·s for |j·spacing| ≤ reach, then c ± 1.5 reach·s.
  static func gaussianCluster(center c: Double, width s: Double, spacing: Double, reach: Double) -> [Double] {
    var points = [Double]()
    appendGaussianCluster(to: &points, center: c, width: s, spacing: spacing, reach: reach)
    return points
  }

  /// `gaussianCluster(center:width:spacing:reach:)` appended to `points` (a reused buffer).
  static func appendGaussianCluster(to points: inout [Double], center c: Double, width s: Double, spacing: Double, reach: Double) {
    guard s > 0, c.isFinite, s.isFinite else { return }
    let n = Int((reach / spacing).rounded())
    points.reserveCapacity(points.count + 2 * n + 3)
    for j in -n...n { points.append(c + Double(j) * spacing * s) }
    points.append(c - 1.5 * reach * s)
    points.append(c + 1.5 * reach * s)
  }

  /// Breakpoints ln(jπ/scale) in ln k, so that the Bessel argument w = scale·k advances by at
  /// most π per panel for w up to `maximumArgument` (capped at 20 000 edges).
  static func besselBreakpoints(
    scale: Double, maximumArgument: Double, lowerLog: Double, upperLog: Double, periods: Double = 1
  ) -> [Double] {
    guard scale > 0, maximumArgument > 0 else { return [] }
    let step = Double.pi * periods
    let wLow = max(step, scale * exp(lowerLog))
    let wHigh = min(maximumArgument, scale * exp(upperLog))
    guard wHigh > wLow else { return [] }
    let first = Int((wLow / step).rounded(.up))
    let last = min(Int(wHigh / step), first + 20_000)
    guard last >= first else { return [] }
    var points = [Double]()
    points.reserveCapacity(last - first + 1)
    for j in first...last { points.append(log(Double(j) * step / scale)) }
    return points
  }

  /// Sub-intervals of [a, b] on which `inside` is true, found on a lattice of spacing h and
  /// refined by bisection to 1e-12 relative (for support boundaries that are not known in
  /// closed form, e.g. where the damping cut-off k_c(ξ) crosses a resonance curve).
  static func intervals(from a: Double, to b: Double, spacing h: Double, where inside: (Double) -> Bool) -> [(Double, Double)] {
    guard b > a else { return [] }
    let count = max(2, Int(((b - a) / h).rounded(.up)))
    let step = (b - a) / Double(count)
    func boundary(_ lo: Double, _ hi: Double, _ loInside: Bool) -> Double {
      var lo = lo
      var hi = hi
      for _ in 0..<60 {
        let mid = (lo + hi) / 2
        if inside(mid) == loInside { lo = mid } else { hi = mid }
        if hi - lo < 1e-13 * max(1, abs(lo)) { break }
      }
      return (lo + hi) / 2
    }
    var result = [(Double, Double)]()
    var previous = a
    var previousInside = inside(a)
    var start: Double? = previousInside ? a : nil
    for j in 1...count {
      let x = j == count ? b : a + Double(j) * step
      let now = inside(x)
      if now != previousInside {
        let edge = boundary(previous, x, previousInside)
        if now { start = edge } else if let s = start { result.append((s, edge)); start = nil }
      }
      previous = x
      previousInside = now
    }
    if let s = start { result.append((s, b)) }
    return result
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension PanelEdges {
  /// Edges covering [a, b] written into `edges`: a, every breakpoint strictly inside (a, b) and
  /// b, sorted, near-duplicates removed, and every gap wider than h split into equal parts.
  /// The same largest width as `make`, but the lattice only fills gaps instead of adding an
  /// edge every h on top of the breakpoints. Sorts `breakpoints` in place; reuses both buffers.
  static func fill(_ edges: inout [Double], from a: Double, to b: Double, maximumWidth h: Double, breakpoints: inout [Double]) {
    edges.removeAll(keepingCapacity: true)
    guard b > a else { return }
    breakpoints.sort()
    let tiny = 1e-12 * max(1, abs(a), abs(b))
    edges.append(a)
    func append(_ x: Double) {
      let last = edges[edges.count - 1]
      let gap = x - last
      guard gap > tiny else { return }
      if gap > h {
        let parts = (gap / h).rounded(.up)
        let step = gap / parts
        for j in 1..<Int(parts) { edges.append(last + Double(j) * step) }
      }
      edges.append(x)
    }
    for x in breakpoints where x > a && x < b { append(x) }
    append(b)
    edges[edges.count - 1] = b
  }

  /// `besselBreakpoints` appended to `points`, with ln(jπ·periods/scale) = ln j + ln(π·periods/scale)
  /// (ln j from a table: one logarithm per call instead of one per breakpoint).
  static func appendBesselBreakpoints(
    to points: inout [Double], scale: Double, maximumArgument: Double, lowerLog: Double, upperLog: Double, periods: Double
  ) {
    guard scale > 0, maximumArgument > 0 else { return }
    let step = Double.pi * periods
    let wLow = max(step, scale * exp(lowerLog))
    let wHigh = min(maximumArgument, scale * exp(upperLog))
    guard wHigh > wLow else { return }
    let first = Int((wLow / step).rounded(.up))
    let last = min(Int(wHigh / step), first + 20_000)
    guard last >= first else { return }
    let offset = log(step / scale)
    logarithmsOfIntegers.withUnsafeBufferPointer { table in
      for j in first...last { points.append((j < table.count ? table[j] : log(Double(j))) + offset) }
    }
  }

  /// ln j for j = 0 … 255 (entry 0 unused).
  static let logarithmsOfIntegers: [Double] = (0..<256).map { $0 == 0 ? -.infinity : log(Double($0)) }
}
