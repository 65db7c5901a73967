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
  let table = fastExpTable.withUnsafeBufferPointer { e in lanes { e[Int(truncatingIfNeeded: j[$0])] } }
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

/// The vector (f(0), …, f(7)), built in registers. Setting lanes one by one (`v[i] = …`)
/// round-trips the whole vector through the stack per lane, which stalled store forwarding
/// and took half the time of the GS panel integrand (perf).
@inline(__always)
func lanes(_ f: (Int) -> Double) -> SIMD8<Double> {
  SIMD8(f(0), f(1), f(2), f(3), f(4), f(5), f(6), f(7))
}

/// The two vectors of (f(i).0) and (f(i).1), i = 0 … 7, as `lanes(_:)` builds them.
@inline(__always)
func lanes(_ f: (Int) -> (Double, Double)) -> (SIMD8<Double>, SIMD8<Double>) {
  let (v0, v1, v2, v3) = (f(0), f(1), f(2), f(3))
  let (v4, v5, v6, v7) = (f(4), f(5), f(6), f(7))
  return (
    SIMD8(v0.0, v1.0, v2.0, v3.0, v4.0, v5.0, v6.0, v7.0),
    SIMD8(v0.1, v1.1, v2.1, v3.1, v4.1, v5.1, v6.1, v7.1)
  )
}
