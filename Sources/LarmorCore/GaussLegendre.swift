import RealModule

/// Gauss–Legendre quadrature nodes and weights on [−1, 1].
///
/// Nodes are found by Newton iteration on P_n from the Chebyshev-like first guess
/// cos(π(i − 1/4)/(n + 1/2)); accurate to round-off for n up to several thousand.
public struct GaussLegendre: Sendable {
  public let nodes: [Double]
  public let weights: [Double]

  public init(order n: Int) {
    precondition(n >= 1, "Gauss–Legendre order must be positive")
    var nodes = [Double](repeating: 0, count: n)
    var weights = [Double](repeating: 0, count: n)
    for i in 0..<(n + 1) / 2 {
      var x = Double.cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
      var derivative = 0.0
      for _ in 0..<100 {
        // Three-term recurrence: afterwards p1 = P_n(x) and p0 = P_{n−1}(x).
        var p0 = 1.0
        var p1 = x
        var j = 2
        while j <= n {
          let p2 = (Double(2 * j - 1) * x * p1 - Double(j - 1) * p0) / Double(j)
          p0 = p1
          p1 = p2
          j += 1
        }
        derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
        let dx = p1 / derivative
        x -= dx
        if abs(dx) < 1e-16 { break }
      }
      nodes[i] = -x
      nodes[n - 1 - i] = x
      let w = 2 / ((1 - x * x) * derivative * derivative)
      weights[i] = w
      weights[n - 1 - i] = w
    }
    self.nodes = nodes
    self.weights = weights
  }

  /// ∫_a^b f(x) dx with this rule mapped onto [a, b].
  @inlinable public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
    let half = (b - a) / 2
    let mid = (a + b) / 2
    var sum = 0.0
    for i in nodes.indices { sum += weights[i] * f(mid + half * nodes[i]) }
    return sum * half
  }

  /// ∫_a^b f(x) dx as a sum over `panels` equal sub-intervals, each with this rule.
  @inlinable public func integrate(
    from a: Double, to b: Double, panels: Int, _ f: (Double) -> Double
  ) -> Double {
    let width = (b - a) / Double(panels)
    var sum = 0.0
    for p in 0..<panels {
      sum += integrate(from: a + Double(p) * width, to: a + Double(p + 1) * width, f)
    }
    return sum
  }
}
