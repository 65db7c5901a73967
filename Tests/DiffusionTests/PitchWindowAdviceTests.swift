import Testing
@testable import Diffusion

/// The one-line advice names what the spec can change: a synthesized field's box can be
/// lengthened, a saved field's or snapshot's cannot (there R must go down instead).
@Suite struct PitchWindowAdviceTests {
  /// Ten bins over −0.9 < μ₀ < 0.9 without a window, each stopped by the box at t_box = 0.5/|μ₀|.
  static func boxLimitedBins() -> [PitchAngleBinEstimate] {
    (0..<10).map { i in
      let center = -0.85 + 0.19 * Double(i)
      var estimate = PitchAngleBinEstimate(
        lowerEdge: center - 0.05, upperEdge: center + 0.05, particleCount: 100, meanInitialPitch: center,
        initialPitchNodes: [center], initialPitchWeights: [1], coefficient: nil, standardError: nil, offset: nil,
        window: nil, rows: nil, problem: "box")
      estimate.limit = .box(time: 0.5 / abs(center))
      return estimate
    }
  }

  @Test func boxAdviceDependsOnWhetherTheBoxCanChange() throws {
    let rule = PitchAngleWindowRule(minimumGyroperiods: 3, maximumMeanSquare: 1e-2, boxLength: 1)
    let R = 0.05  // t_min = 3 · 2πR = 0.942 L/c, beyond the box time of every bin with |μ₀| > 0.53
    let synthesized = try #require(
      PitchWindowAdvice.advice(Self.boxLimitedBins(), rule: rule, reducedRigidity: R, duration: 4, turbulenceLevel: 0.03))
    #expect(synthesized.contains("lengthen the box along B₀"), "\(synthesized)")
    let fixed = try #require(
      PitchWindowAdvice.advice(Self.boxLimitedBins(), rule: rule, reducedRigidity: R, duration: 4, fixedBox: true))
    #expect(!fixed.contains("[grid] box") && fixed.contains("lower R to ≤"), "\(fixed)")
    // The R it names gives 2 t_min at the median bin's box time: R · t_box/(2 t_min).
    let core = Self.boxLimitedBins().filter { abs($0.center) >= 0.2 && abs($0.center) <= 0.9 }
    let times = core.compactMap { if case .box(let t)? = $0.limit { t } else { nil } }.sorted()
    let median = times[times.count / 2]
    let suggested = R * median / (2 * 3 * 2 * Double.pi * R)
    #expect(fixed.contains(String(format: "%.3g", suggested)), "\(fixed) vs \(suggested)")
  }
}
