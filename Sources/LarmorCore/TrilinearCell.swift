/// One grid cell of a piecewise-trilinear field in polynomial form (b in B₀, mean field included):
///
///     b(t) = c + t_z c_z + t_y (c_y + t_z c_yz) + t_x [(c_x + t_z c_xz) + t_y (c_xy + t_z c_xyz)]
///
/// with t ∈ [0, 1)³ the position inside the cell. Lanes 0–2 of each coefficient hold b_x, b_y,
/// b_z; lane 3 is unused. Built from the eight corner values by differences (exact for float32
/// corners), and evaluated by `value(at:)` with exactly the operations, in exactly the order, that
/// the particle kernel applies to four particles at once (Orbits' cell-cached loop), so
/// the two agree bitwise.
public struct TrilinearCell: Sendable, Equatable {
  public var c, cz, cy, cyz, cx, cxz, cxy, cxyz: SIMD4<Double>

  /// The cell with corner values n_ijk (i along x, j along y, k along z) plus a constant mean.
  @inlinable @inline(__always)
  public init(
    mean: SIMD4<Double>, _ n000: SIMD4<Double>, _ n001: SIMD4<Double>, _ n010: SIMD4<Double>, _ n011: SIMD4<Double>,
    _ n100: SIMD4<Double>, _ n101: SIMD4<Double>, _ n110: SIMD4<Double>, _ n111: SIMD4<Double>
  ) {
    c = mean + n000
    cz = n001 - n000
    cy = n010 - n000
    cyz = (n011 - n010) - cz
    cx = n100 - n000
    cxz = (n101 - n100) - cz
    cxy = (n110 - n100) - cy
    cxyz = ((n111 - n110) - (n101 - n100)) - cyz
  }

  /// b at t ∈ [0, 1)³ inside the cell.
  @inlinable @inline(__always)
  public func value(at t: Vec3) -> Vec3 {
    let tx = SIMD4(repeating: t.x), ty = SIMD4(repeating: t.y), tz = SIMD4(repeating: t.z)
    let b = (c + tz * cz + ty * (cy + tz * cyz)) + tx * ((cx + tz * cxz) + ty * (cxy + tz * cxyz))
    return Vec3(b.x, b.y, b.z)
  }
}

/// A field that is trilinear inside the cells of a periodic lattice (a grid field with
/// cloud-in-cell interpolation). The pusher's cell-cached kernel keeps each particle's current
/// cell in registers and reloads it only when the particle leaves the cell.
///
/// Contract: `sample(at: x)` equals `cell(floor(u)).value(at: u − floor(u))` bitwise, with
/// u = x ⊙ `inverseCellSize` (component-wise) and floor(u) exact.
public protocol PiecewiseTrilinearField: MagneticField {
  /// 1/Δx per axis (1/L): u = x ⊙ inverseCellSize is the position in cell units.
  var inverseCellSize: Vec3 { get }
  /// The cell whose lower corner is the (unwrapped) lattice point (i, j, k); periodic.
  func cell(_ i: Int, _ j: Int, _ k: Int) -> TrilinearCell
  /// A cache hint for a particle in cell (i, j, k) heading towards ±x (di = ±1) and ±y (dj = ±1):
  /// `cell` will soon be called for (i+di, j, k), (i, j+dj, k) and (i+di, j+dj, k). Must not
  /// change any result.
  func prefetchNeighbours(ofCell i: Int, _ j: Int, _ k: Int, towards di: Int, _ dj: Int)
}
