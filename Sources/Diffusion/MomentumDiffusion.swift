import Orbits

/// Momentum diffusion in moving fields: D_pp(μ₀) and the mean rate ⟨Δp⟩/Δt per initial-μ bin,
/// and the pitch-averaged running D_pp(t), with p in units of p₀ (the momentum whose Larmor
/// radius in B₀ is R). Static magnetic fields give exactly zero (|p| is conserved there).
///
/// Per bin, ⟨Δp²⟩ − ⟨Δp⟩² = a + 2 D_pp t and ⟨Δp⟩ = a′ + (⟨Δp⟩/Δt) t are fitted over the rows of
/// the bin's D_μμ window (`PitchAngleEstimator.estimate`): QLT's D_pp(μ) is, like D_μμ(μ), a rate
/// at fixed μ, so it is measured before μ has wandered, by the same rule. Errors are jackknife
/// errors over the same groups.
public struct MomentumBinEstimate: Sendable, Hashable, Codable {
  public let lowerEdge: Double
  public let upperEdge: Double
  /// D_pp in p₀² c/L; nil where the bin has no D_μμ window.
  public let coefficient: Double?
  public let standardError: Double?
  /// d⟨Δp⟩/dt in p₀ c/L.
  public let drift: Double?
  public let driftError: Double?
  public var isValid: Bool { coefficient != nil }
  /// Why the value is not a diffusion coefficient: no D_μμ window, or a slope ≤ 0 (a bounded
  /// oscillation of ⟨Δp²⟩, where no resonance changes p); nil for a positive estimate.
  public var problem: String? {
    guard let c = coefficient else { return "no D_μμ window in this bin" }
    return c > 0 ? nil : "⟨Δp²⟩ does not grow over the window (slope ≤ 0): no momentum diffusion resolved here"
  }
}

extension TransportAccumulator {
  /// ⟨Δp²⟩ − ⟨Δp⟩² in `bin` at `row` (p₀²).
  public func momentumVariance(bin: Int, row: Int) -> Double {
    let m1 = mean(.deltaMomentum, bin: bin, row: row)
    return mean(.deltaMomentum2, bin: bin, row: row) - m1 * m1
  }

  /// ⟨Δp²⟩ − ⟨Δp⟩² over all particles at `row` (p₀²).
  public func momentumVariance(row: Int) -> Double {
    let m1 = mean(.deltaMomentum, row: row)
    return mean(.deltaMomentum2, row: row) - m1 * m1
  }
}

public enum MomentumDiffusion {
  /// D_pp and ⟨Δp⟩/Δt per bin over the rows of `pitchEstimates` (one per bin, same layout).
  public static func estimate(groups: [TransportAccumulator], pitchEstimates: [PitchAngleBinEstimate]) -> [MomentumBinEstimate] {
    let total = TransportAccumulator.merged(groups)
    precondition(pitchEstimates.count == total.binCount, "one pitch-angle estimate per bin")
    func fits(_ acc: TransportAccumulator) -> [Double] {
      (0..<acc.binCount).flatMap { bin -> [Double] in
        guard let w = pitchEstimates[bin].rows else { return [0, 0] }
        let t = w.map { acc.times[$0] }
        let variance = linearFit(t, w.map { acc.momentumVariance(bin: bin, row: $0) })
        let mean = linearFit(t, w.map { acc.mean(.deltaMomentum, bin: bin, row: $0) })
        return [variance.slope / 2, mean.slope]
      }
    }
    let (values, errors) = Jackknife.estimate(groups: groups, fits)
    return (0..<total.binCount).map { bin in
      let valid = pitchEstimates[bin].rows != nil
      return MomentumBinEstimate(
        lowerEdge: total.pitchBinEdges[bin], upperEdge: total.pitchBinEdges[bin + 1],
        coefficient: valid ? values[2 * bin] : nil, standardError: valid ? errors[2 * bin] : nil,
        drift: valid ? values[2 * bin + 1] : nil, driftError: valid ? errors[2 * bin + 1] : nil)
    }
  }

  /// The pitch-averaged running coefficient (⟨Δp²⟩ − ⟨Δp⟩²)/(2t) over all particles, per row
  /// (row 0, t = 0, is omitted), in p₀² c/L.
  public static func running(_ acc: TransportAccumulator) -> [(time: Double, coefficient: Double)] {
    (1..<acc.rowCount).map { row in (acc.times[row], acc.momentumVariance(row: row) / (2 * acc.times[row])) }
  }

  /// The pitch-averaged D_pp from the slope of ⟨Δp²⟩ − ⟨Δp⟩² over rows with t ≥ `from` (L/c),
  /// with its jackknife error over `groups` and a test that the slope is constant there (see
  /// `AveragedMomentumDiffusion`); nil if fewer than 3 rows qualify.
  public static func averaged(groups: [TransportAccumulator], from start: Double, falseAlarmRate: Double = 0.01)
    -> AveragedMomentumDiffusion?
  {
    let total = TransportAccumulator.merged(groups)
    let rows = (1..<total.rowCount).filter { total.times[$0] >= start }
    guard rows.count >= 3 else { return nil }
    let halves = rows.count >= 6 ? (Array(rows.prefix(rows.count / 2)), Array(rows.suffix(rows.count - rows.count / 2))) : nil
    let (values, errors) = Jackknife.estimate(groups: groups) { acc in
      func slope(_ r: [Int]) -> Double { linearFit(r.map { acc.times[$0] }, r.map { acc.momentumVariance(row: $0) }).slope / 2 }
      let all = slope(rows)
      guard let halves else { return [all, .nan] }
      return [all, (slope(halves.1) - slope(halves.0)) / all]
    }
    let nu = groups.count - 1
    return AveragedMomentumDiffusion(
      value: values[0], error: errors[0], change: values[1], changeError: errors[1], degreesOfFreedom: nu,
      criticalValue: nu >= 1 ? StudentT.criticalValue(falseAlarmRate: falseAlarmRate, degreesOfFreedom: nu) : .nan)
  }
}

/// The pitch-averaged D_pp over a window (p₀² c/L) and whether ⟨Δp²⟩ − ⟨Δp⟩² grows linearly there.
public struct AveragedMomentumDiffusion: Sendable, Hashable {
  /// Half the least-squares slope of ⟨Δp²⟩ − ⟨Δp⟩² over the window, and its jackknife error.
  public let value: Double
  public let error: Double
  /// (D_late − D_early)/D: the slopes over the window's later and earlier halves of rows, relative
  /// to the whole window's, and its jackknife error (NaN with fewer than 6 rows).
  public let change: Double
  public let changeError: Double
  /// Jackknife groups − 1, and the two-sided Student-t critical value at the false-alarm rate.
  public let degreesOfFreedom: Int
  public let criticalValue: Double

  /// The two halves' slopes agree within criticalValue times the error of their difference: the
  /// growth is diffusive over the window. False when untestable (one group, fewer than 6 rows).
  public var isLinear: Bool {
    degreesOfFreedom >= 1 && changeError.isFinite && abs(change) <= criticalValue * changeError
  }
}
