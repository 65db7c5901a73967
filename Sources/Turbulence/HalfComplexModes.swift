import LarmorCore

/// One stored mode of a real three-dimensional FFT in FFTW's half-complex layout (k_z index
/// l = 0…N_z/2 only; the modes with negative k_z are the conjugates of the stored ones).
struct HalfComplexMode {
  /// Float offset of the mode's (re, im) in each component's padded array.
  let slot: Int
  /// Signed x and y indices, and the k_z index l ≥ 0.
  let mx: Int, my: Int, l: Int
  /// k = (m_x Δk_x, m_y Δk_y, l Δk_z) in 1/L.
  let k: Vec3
  /// On an even axis's Nyquist plane (index N/2 stands for +k_N and −k_N at once, so its k, and
  /// any projection along it, is ambiguous).
  let onNyquistPlane: Bool
  /// The modes of the full spectrum this stored one stands for: 2 (itself and its unstored
  /// conjugate) for 0 < l < N_z/2, 1 in the l = 0 and l = N_z/2 planes, where both are stored.
  let weight: Double
  /// The k = 0 mode (the uniform part).
  var isUniform: Bool { mx == 0 && my == 0 && l == 0 }
}

extension GridGeometry {
  /// Calls `body` for every stored mode of x-plane `ix`, the uniform mode included, in storage
  /// order. The one walk over the half-complex layout that mode measurement, the solenoidal
  /// projection and the mode decomposition share (so they agree on slots, k and the Nyquist rule).
  @inline(__always)
  func forEachStoredMode(inPlane ix: Int, _ body: (HalfComplexMode) -> Void) {
    let n = counts
    let Δk = wavenumberSpacing
    let nzc = n.z / 2 + 1
    let mx = GridGeometry.signedIndex(ix, points: n.x)
    let onNyquistX = n.x % 2 == 0 && ix == n.x / 2
    for iy in 0..<n.y {
      let my = GridGeometry.signedIndex(iy, points: n.y)
      let onNyquistXY = onNyquistX || (n.y % 2 == 0 && iy == n.y / 2)
      for l in 0..<nzc {
        let onNyquistZ = n.z % 2 == 0 && l == n.z / 2
        body(HalfComplexMode(
          slot: 2 * ((ix * n.y + iy) * nzc + l), mx: mx, my: my, l: l,
          k: Vec3(Double(mx) * Δk.x, Double(my) * Δk.y, Double(l) * Δk.z),
          onNyquistPlane: onNyquistXY || onNyquistZ, weight: (l == 0 || onNyquistZ) ? 1 : 2))
      }
    }
  }
}

/// The (re, im) vectors of the three components at float offset `slot`, unnormalized.
@inline(__always)
func storedModeVector(_ components: [SendablePointer], at slot: Int) -> (re: Vec3, im: Vec3) {
  let (x, y, z) = (components[0].base, components[1].base, components[2].base)
  return (Vec3(Double(x[slot]), Double(y[slot]), Double(z[slot])), Vec3(Double(x[slot + 1]), Double(y[slot + 1]), Double(z[slot + 1])))
}
