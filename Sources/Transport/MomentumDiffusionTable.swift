import Foundation

/// A momentum diffusion rate D_pp/p² (1/s) tabulated against rigidity, for reacceleration by a
/// given turbulence (e.g. the μ-averaged quasi-linear D_pp of a medium) instead of the v_A relation.
///
/// Between two positive entries it is interpolated linearly in (ln 𝓡, ln D_pp/p²), next to a zero
/// linearly in ln 𝓡; beyond the table the end pair's power law continues (held constant if one of
/// the pair is zero). The rate is a property of the waves and the particle's rigidity and speed at
/// the tabulated points; it is taken as a function of rigidity alone.
public struct TabulatedMomentumDiffusion: Sendable, Encodable, Equatable {
  /// Rigidities in GV, strictly increasing.
  public let rigiditiesGV: [Double]
  /// D_pp/p² in 1/s at those rigidities, finite and ≥ 0.
  public let rates: [Double]

  /// - Parameters:
  ///   - rigiditiesGV: ≥ 2 rigidities in GV, finite, > 0, strictly increasing.
  ///   - rates: D_pp/p² in 1/s, finite and ≥ 0, same count.
  public init(rigiditiesGV: [Double], rates: [Double]) throws(TransportError) {
    guard rigiditiesGV.count >= 2, rigiditiesGV.count == rates.count else {
      throw .invalidTable(
        name: "momentum_diffusion.table",
        reason: "needs ≥ 2 (rigidity, D_pp/p²) points and equal counts, got \(rigiditiesGV.count) and \(rates.count)")
    }
    for (r, d) in zip(rigiditiesGV, rates) {
      try Validate.positive(r, "momentum_diffusion.rigidityGV", unit: " GV")
      try Validate.nonNegative(d, "momentum_diffusion.rate")
    }
    for i in 1..<rigiditiesGV.count where !(rigiditiesGV[i] > rigiditiesGV[i - 1]) {
      throw .invalidTable(name: "momentum_diffusion.table", reason: "rigidities must increase strictly (row \(i))")
    }
    self.rigiditiesGV = rigiditiesGV
    self.rates = rates
  }

  /// D_pp/p² in 1/s at 𝓡 (GV).
  public func rate(rigidityGV x: Double) -> Double {
    let xs = rigiditiesGV, ys = rates, n = xs.count
    var k = 0
    if x >= xs[n - 1] {
      k = n - 2
    } else if x > xs[0] {
      while xs[k + 1] <= x { k += 1 }
    }
    let (a, b) = (ys[k], ys[k + 1])
    let t = log(x / xs[k]) / log(xs[k + 1] / xs[k])
    if a > 0 && b > 0 { return a * pow(b / a, t) }
    return max(0, a + (b - a) * min(1, max(0, t)))
  }
}
