import Orbits

/// Delete-one-group jackknife over independent groups of particles (field realizations, or
/// particle groups within one realization — the latter ignore the correlation through the
/// shared field and underestimate the error when realization scatter dominates; docs/physics.md §4.6).
public enum Jackknife {
  /// Applies `statistic` to the merge of all groups and to each leave-one-out merge.
  ///
  /// - Returns: the full-sample values and their jackknife standard errors
  ///   σ² = (G−1)/G Σ_g (θ_(g) − θ̄)²; errors are NaN for fewer than two groups.
  public static func estimate(
    groups: [TransportAccumulator], _ statistic: (TransportAccumulator) -> [Double]
  ) -> (values: [Double], errors: [Double]) {
    precondition(!groups.isEmpty, "need at least one group")
    let total = TransportAccumulator.merged(groups)
    let values = statistic(total)
    let g = groups.count
    guard g >= 2 else { return (values, [Double](repeating: .nan, count: values.count)) }
    let leaveOut = groups.map { statistic(total.subtracting($0)) }
    var errors = [Double](repeating: 0, count: values.count)
    for i in values.indices {
      let mean = leaveOut.reduce(0) { $0 + $1[i] } / Double(g)
      let sum = leaveOut.reduce(0) { $0 + ($1[i] - mean) * ($1[i] - mean) }
      errors[i] = (Double(g - 1) / Double(g) * sum).squareRoot()
    }
    return (values, errors)
  }
}

/// Ordinary least squares y = a + b t over the given points.
public func linearFit(_ t: [Double], _ y: [Double]) -> (intercept: Double, slope: Double) {
  let n = Double(t.count)
  let tm = t.reduce(0, +) / n, ym = y.reduce(0, +) / n
  var stt = 0.0, sty = 0.0
  for i in t.indices { stt += (t[i] - tm) * (t[i] - tm); sty += (t[i] - tm) * (y[i] - ym) }
  let slope = sty / stt
  return (ym - slope * tm, slope)
}
