import Foundation

/// What to change, in one line, when the D_μμ estimator finds a fit window in fewer than half of
/// the bins a comparison with QLT uses (0.2 ≤ |μ₀| ≤ 0.9): the window needs t ≥ t_min (many
/// gyro-periods, so that gyrophase has mixed) and ⟨Δμ²⟩ small (so that D(μ) is local), and in a
/// periodic box v|μ|t < L_box/2. Each cause names the spec key that moves it and by how much,
/// from ⟨Δμ²⟩ ∝ σ² t (docs/physics.md §4.6).
public enum PitchWindowAdvice {
  /// - Parameters:
  ///   - estimates: one rigidity's bins.
  ///   - rule: the window rule they were estimated with.
  ///   - reducedRigidity: R = r_L/L.
  ///   - duration: the run's duration (L/c).
  ///   - turbulenceLevel: δB/B₀ of the field, when known.
  ///   - fixedBox: the box is a saved field's or a snapshot's, which the spec cannot lengthen.
  /// - Returns: nil when at least half of the bins have a window.
  public static func advice(
    _ estimates: [PitchAngleBinEstimate], rule: PitchAngleWindowRule, reducedRigidity: Double, duration: Double,
    turbulenceLevel: Double? = nil, fixedBox: Bool = false, speed: Double = 1
  ) -> String? {
    let core = estimates.filter { abs($0.center) >= 0.2 && abs($0.center) <= 0.9 }
    let bins = core.isEmpty ? estimates : core
    let valid = bins.filter(\.isValid).count
    guard !bins.isEmpty, 2 * valid < bins.count else { return nil }
    let tMin = rule.minimumGyroperiods * 2 * Double.pi * reducedRigidity / speed
    let failed = bins.filter { !$0.isValid }
    let pitchTimes = failed.compactMap { if case .pitchVariance(let t)? = $0.limit { t } else { nil } }.sorted()
    let boxTimes = failed.compactMap { if case .box(let t)? = $0.limit { t } else { nil } }.sorted()
    let head = "D_μμ at R = \(g(reducedRigidity)): a fit window in \(valid) of \(bins.count) bins with 0.2 ≤ |μ₀| ≤ 0.9"
    let gyro = "t_min = \(g(rule.minimumGyroperiods)) gyro-periods = \(g(tMin)) L/c"
    // Gyro-periods that still leave a window of ≥ 2× t_min before the limit at t.
    func periods(before t: Double) -> Double { (rule.minimumGyroperiods * t / (2 * tMin) * 10).rounded(.down) / 10 }
    if pitchTimes.count >= boxTimes.count, !pitchTimes.isEmpty {
      let t = pitchTimes[pitchTimes.count / 2]
      if t >= 2 * tMin {
        return head + ": ⟨Δμ²⟩ reaches max_dmu2 = \(g(rule.maximumMeanSquare)) only at t ≈ \(g(t)) L/c, after \(gyro), but the window holds fewer than \(rule.minimumSamples) sample rows: raise [run] linear_samples"
      }
      // Fewer than 2 gyro-periods leave the gyrophase unmixed, and past ⟨Δμ²⟩ ~ 0.05 D(μ) is no
      // longer local: only the suggestions that keep the estimate meaningful are made.
      var fixes: [String] = []
      if periods(before: t) >= 2 { fixes.append("lower [estimators] min_gyroperiods to ≤ \(g(periods(before: t)))") }
      let looser = rule.maximumMeanSquare * 2 * tMin / t
      if looser <= 0.05 { fixes.append("raise max_dmu2 to ≥ \(g(looser)) (a looser window biases D_μμ by the curvature of D(μ))") }
      if let σ = turbulenceLevel, σ > 0 {
        fixes.append("weaken the turbulence to [run] db_over_b0 ≲ \(g(σ * (t / (2 * tMin)).squareRoot())) (QLT's regime)")
      }
      return head + ": ⟨Δμ²⟩ exceeds max_dmu2 = \(g(rule.maximumMeanSquare)) by t ≈ \(g(t)) L/c, before \(gyro)"
        + (fixes.isEmpty ? ": pitch angles scatter within a few gyro-periods, outside QLT's regime" : ". To get windows: " + fixes.joined(separator: "; or "))
    }
    if let t = boxTimes.isEmpty ? nil : boxTimes[boxTimes.count / 2] {
      let lengthen = fixedBox
        ? "lower R to ≤ \(g(reducedRigidity * t / (2 * tMin))) (the box of a saved field or snapshot is fixed; t_min ∝ R)"
        : "lengthen the box along B₀ ([grid] box, ≥ \(g(2 * tMin / t))× longer)"
      return head + ": v|μ|t reaches \(g(rule.boxFraction))·L_box at t ≈ \(g(t)) L/c, before \(gyro) (a periodic box repeats its modes). To get windows: \(lengthen)" + (periods(before: t) >= 2 ? "; or lower [estimators] min_gyroperiods to ≤ \(g(periods(before: t)))" : "")
    }
    if duration < 2 * tMin {
      return head + ": the run ends at t = \(g(duration)) L/c, before 2 t_min (\(gyro)). Raise [run] duration to ≥ \(g(3 * tMin)) L/c, or lower [estimators] min_gyroperiods"
    }
    return head + ": the windows hold fewer than \(rule.minimumSamples) sample rows after \(gyro): raise [run] linear_samples"
  }

  /// Three significant digits.
  private static func g(_ x: Double) -> String { String(format: "%.3g", x) }
}
