/// `fastExp` on the eight nodes of a panel at once (same arithmetic lane by lane, so the
/// same values): the fast-mode gyroresonance integrand, ≈ half of a D(R) curve, evaluates its
/// exponentials for a whole 8-point panel in AVX registers. Lanes with |x| ≥ 700 go through
/// the scalar `fastExp`.
@inline(__always)
func fastExp(_ x: SIMD8<Double>) -> SIMD8<Double> {
  let outside = (x .<= -700) .| (x .>= 700) .| (x .!= x)
  if anyLane(outside) {
    var y = SIMD8<Double>()
    for i in 0..<8 { y[i] = fastExp(x[i]) }
    return y
  }
  return fastExpCore(x)
}

/// e^(−u²) lane by lane, as `gaussian(_:)` computes it.
@inline(__always)
func gaussian(_ u: SIMD8<Double>) -> SIMD8<Double> {
  let x = u * u
  let slow = (x .>= 700) .& (x .< 746)
  if anyLane(slow) {
    var y = SIMD8<Double>()
    for i in 0..<8 { y[i] = gaussian(u[i]) }
    return y
  }
  // Lanes with u² ≥ 746 (or NaN) are computed at 0 and then set to exp's underflowed 0.
  let underflow = .!(x .< 746)
  return fastExpCore(-x.replacing(with: 0, where: underflow)).replacing(with: 0, where: underflow)
}

/// The body of `fastExp` for |x| < 700, lane by lane.
@inline(__always)
func fastExpCore(_ x: SIMD8<Double>) -> SIMD8<Double> {
  let shift = SIMD8<Double>(repeating: 6_755_399_441_055_744.0)
  let shifted = x * 184.6649652337873 + shift
  let m = shifted - shift
  let r = (x - m * 0.00541521234663378) - m * 1.4907929134926467e-12
  // m is exact in the low bits of `shifted` (two's complement, |m| < 2⁵¹).
  let bits = unsafeBitCast(shifted, to: SIMD8<Int64>.self) &- unsafeBitCast(shift, to: SIMD8<Int64>.self)
  let j = bits & 127
  let n = (bits &- j) &>> 7
  let r2: SIMD8<Double> = r * r
  let c3: SIMD8<Double> = r * (1.0 / 120) + (1.0 / 24)
  let c2: SIMD8<Double> = r * (1.0 / 6) + 0.5
  let c1: SIMD8<Double> = r + 1
  let p: SIMD8<Double> = c1 + r2 * (c2 + r2 * c3)
  let scale = unsafeBitCast((n &+ 1023) &<< 52, to: SIMD8<Double>.self)
  var table = SIMD8<Double>()
  fastExpTable.withUnsafeBufferPointer { e in
    for i in 0..<8 { table[i] = e[Int(truncatingIfNeeded: j[i])] }
  }
  return table * p * scale
}

/// Whether any lane of the mask is set, by OR-ing its lanes (the standard library's `any`
/// went through an out-of-line generic reduction, ≈ 3 % of a D(R) curve).
@inline(__always)
func anyLane(_ mask: SIMDMask<SIMD8<Int64>>) -> Bool {
  let bits = unsafeBitCast(mask, to: SIMD8<Int64>.self)
  let four = bits.lowHalf | bits.highHalf
  let two = four.lowHalf | four.highHalf
  return (two[0] | two[1]) != 0
}
