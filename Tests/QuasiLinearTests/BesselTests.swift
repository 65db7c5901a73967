import Foundation
import LarmorCore
import Testing

import QuasiLinear

@Suite struct BesselTests {
  /// Neumann's sum rule J_0² + 2 Σ_{n≥1} J_n² = 1 holds only if J_n is accurate for every n,
  /// including n ≫ w where forward recurrence would blow up. Tolerance 1e-12 (round-off).
  @Test(arguments: [0.01, 1.0, 30.0, 300.0])
  func neumannSumRule(argument w: Double) {
    var sum = BesselWeights.besselJ(0, w) * BesselWeights.besselJ(0, w)
    for n in 1...Int(w + 200) { sum += 2 * pow(BesselWeights.besselJ(n, w), 2) }
    #expect(abs(sum - 1) < 1e-12, "w = \(w): \(sum)")
  }

  /// The weight sequence by downward recurrence against the C library weight by weight: relative
  /// 1e-11 wherever the weight exceeds 1e-280 (2e-15 at w ≤ 17.5, 2.4e-12 at w = 250, near zeros of
  /// the Bessel combinations), and the same fallback values below w = 10⁻³.
  @Test(arguments: [1e-4, 0.3, 2.0, 17.5, 60.0, 250.0])
  func weightSequenceMatchesLibrary(argument w: Double) {
    let top = Int(w) + 30
    let sequence = BesselWeights.exactWeightSequence(upTo: top, argument: w)
    var worst = 0.0
    for m in 0...top {
      let reference = BesselWeights.libraryWeights(harmonic: m, argument: w)
      for (a, b) in [(sequence[m].alfven, reference.alfven), (sequence[m].pseudo, reference.pseudo)] where b > 1e-280 {
        worst = max(worst, abs(a / b - 1))
      }
    }
    print("w = \(w), m ≤ \(top): worst relative difference \(worst)")
    #expect(worst < 1e-11)
  }

  /// Small-argument limits used by the slab path: (J_1/w)² → 1/4, J_1′² → 1/4, higher n → 0.
  @Test func smallArgumentLimits() {
    let exact = BesselWeights(averagingThreshold: .infinity)
    let one = exact.weights(harmonic: 1, argument: 0)
    #expect(one.alfven == 0.25 && one.pseudo == 0.25)
    let two = exact.weights(harmonic: -2, argument: 0)
    #expect(two.alfven == 0 && two.pseudo == 0)
    let small = exact.weights(harmonic: 1, argument: 1e-4)
    #expect(abs(small.alfven - 0.25) < 1e-8 && abs(small.pseudo - 0.25) < 1e-8)
  }

  /// Phase averaging: the averaged weight integrated against a smooth envelope over the blend
  /// region equals the exact one to 1e-3 relative (the envelope w^(−2) varies slowly over a
  /// period; the oscillating remainder integrates to O(1/w²)).
  @Test func phaseAveragedWeightsIntegrateLikeExactOnes() {
    let averaged = BesselWeights(averagingThreshold: 40)
    let exact = BesselWeights(averagingThreshold: .infinity)
    let rule = GaussLegendre(order: 8)
    for n in [0, 1, 2, 5] {
      let a = rule.integrate(from: 30, to: 400, panels: 740) { w in averaged.weights(harmonic: n, argument: w).pseudo / (w * w) }
      let b = rule.integrate(from: 30, to: 400, panels: 740) { w in exact.weights(harmonic: n, argument: w).pseudo / (w * w) }
      #expect(abs(a / b - 1) < 1e-3, "n = \(n): \(a) vs \(b)")
    }
  }
}
