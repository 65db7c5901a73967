import Foundation
import Testing

@testable import QuasiLinear

/// The inlined exponentials and the blend sine of the QLT integrands against the C library.
@Suite struct FastMathTests {
  /// fastExp (scalar and 8 lanes) within 2 ulp of exp on −745 … 709, exact 0 below −746;
  /// `gaussian` on 8 lanes equal to the scalar one; quarterSine within 2e-16 of sin(πf/2).
  @Test func exponentialsAndSine() {
    var worst = 0.0
    var x = -745.0
    var lanesAgree = true
    while x < 709 {
      let reference = exp(x)
      worst = max(worst, abs(fastExp(x) - reference) / reference)
      let v = SIMD8<Double>((0..<8).map { x + Double($0) * 1e-3 })
      let scalar = (0..<8).map { fastExp(v[$0]) }
      let vector = fastExp(v)
      let u = v * 0.05
      let gaussianVector = gaussian(u)
      for i in 0..<8 {
        if abs(vector[i] - scalar[i]) > 4e-16 * scalar[i] { lanesAgree = false }
        if gaussianVector[i] != gaussian(u[i]) { lanesAgree = false }
      }
      x += 0.013_7
    }
    #expect(worst <= 4.5e-16)
    #expect(lanesAgree)
    #expect(fastExp(-746.5) == 0)
    #expect(gaussian(SIMD8<Double>(repeating: 30))[3] == 0)
    var sineError = 0.0
    for j in 0...1000 {
      let f = Double(j) / 1000
      sineError = max(sineError, abs(BesselWeights.quarterSine(f) - sin(Double.pi / 2 * f)))
    }
    #expect(sineError <= 2e-16)
  }
}
