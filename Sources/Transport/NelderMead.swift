/// Deterministic Nelder–Mead simplex minimizer (Nelder & Mead 1965; coefficients 1, 2, ½, ½ as in
/// Lagarias et al. 1998, SIAM J. Optim. 9, 112). Used for small fits (2–4 parameters).
public enum NelderMead {
  /// Result of a minimization.
  public struct Result: Sendable {
    /// Best point found.
    public let point: [Double]
    /// Objective at `point`.
    public let value: Double
    /// Number of objective evaluations.
    public let evaluations: Int
    /// Whether the simplex met the tolerance before the evaluation budget ran out.
    public let converged: Bool
  }

  /// Minimizes `objective` from `start`, with an initial simplex of steps `steps` along each axis.
  /// Stops when the spread of objective values over the simplex is below `tolerance` (absolute)
  /// and the simplex is smaller than `tolerance` in every coordinate relative to `steps`, or after
  /// `maximumEvaluations`.
  public static func minimize(
    start: [Double], steps: [Double], tolerance: Double = 1.0e-9, maximumEvaluations: Int = 4000,
    objective: ([Double]) -> Double
  ) -> Result {
    let n = start.count
    var simplex: [[Double]] = [start]
    for i in 0..<n {
      var p = start
      p[i] += steps[i]
      simplex.append(p)
    }
    var values = simplex.map(objective)
    var evaluations = n + 1
    var converged = false
    while evaluations < maximumEvaluations {
      let order = values.indices.sorted { values[$0] < values[$1] }
      simplex = order.map { simplex[$0] }
      values = order.map { values[$0] }
      let spread = values[n] - values[0]
      var size = 0.0
      for v in simplex.dropFirst() {
        for i in 0..<n { size = max(size, abs(v[i] - simplex[0][i]) / abs(steps[i])) }
      }
      if spread < tolerance && size < tolerance.squareRoot() {
        converged = true
        break
      }
      var centroid = [Double](repeating: 0, count: n)
      for v in simplex.dropLast() { for i in 0..<n { centroid[i] += v[i] / Double(n) } }
      func along(_ t: Double) -> [Double] {
        (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) }
      }
      let reflected = along(-1)
      let fr = objective(reflected)
      evaluations += 1
      if fr < values[0] {
        let expanded = along(-2)
        let fe = objective(expanded)
        evaluations += 1
        if fe < fr {
          simplex[n] = expanded
          values[n] = fe
        } else {
          simplex[n] = reflected
          values[n] = fr
        }
      } else if fr < values[n - 1] {
        simplex[n] = reflected
        values[n] = fr
      } else {
        let outside = fr < values[n]
        let contracted = along(outside ? -0.5 : 0.5)
        let fc = objective(contracted)
        evaluations += 1
        if fc < (outside ? fr : values[n]) {
          simplex[n] = contracted
          values[n] = fc
        } else {
          for k in 1...n {
            simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
            values[k] = objective(simplex[k])
          }
          evaluations += n
        }
      }
    }
    let best = values.indices.min { values[$0] < values[$1] }!
    return Result(
      point: simplex[best], value: values[best], evaluations: evaluations, converged: converged)
  }
}
