import LarmorCore
import Turbulence

/// Benchmark-only copy of a GridField's data with a cheaper periodic wrap (no integer division:
/// coordinates are reduced with one floor of x/L_box, and the upper neighbour by a compare).
/// Interpolation is the same trilinear formula on the same float32 nodes, so it samples the
/// same field (checked in the benchmark); it exists only to attribute GridField.sample's cost.
struct AttributionGrid: MagneticField {
  let n: Int
  let inverseCell: Double
  let bx: [Float], by: [Float], bz: [Float]

  init(_ field: GridField) {
    n = field.geometry.counts.x
    inverseCell = 1 / field.geometry.cellSize.x
    bx = field.unpaddedComponent(0); by = field.unpaddedComponent(1); bz = field.unpaddedComponent(2)
  }

  @inline(__always) func wrap(_ u: Double) -> (Int, Int, Double) {
    let nn = Double(n)
    let folded = u - nn * (u / nn).rounded(.down)  // in [0, n]
    var base = folded.rounded(.down)
    if base >= nn { base -= nn }
    let i = Int(base)
    return (i, i + 1 == n ? 0 : i + 1, folded - base)
  }

  func sample(at x: Vec3) -> Vec3 {
    let (x0, x1, tx) = wrap(x.x * inverseCell)
    let (y0, y1, ty) = wrap(x.y * inverseCell)
    let (z0, z1, tz) = wrap(x.z * inverseCell)
    let r00 = (x0 * n + y0) * n, r01 = (x0 * n + y1) * n, r10 = (x1 * n + y0) * n, r11 = (x1 * n + y1) * n
    let w000 = (1 - tx) * (1 - ty) * (1 - tz), w001 = (1 - tx) * (1 - ty) * tz
    let w010 = (1 - tx) * ty * (1 - tz), w011 = (1 - tx) * ty * tz
    let w100 = tx * (1 - ty) * (1 - tz), w101 = tx * (1 - ty) * tz
    let w110 = tx * ty * (1 - tz), w111 = tx * ty * tz
    @inline(__always) func blend(_ p: UnsafeBufferPointer<Float>) -> Double {
      w000 * Double(p[r00 + z0]) + w001 * Double(p[r00 + z1]) + w010 * Double(p[r01 + z0])
        + w011 * Double(p[r01 + z1]) + w100 * Double(p[r10 + z0]) + w101 * Double(p[r10 + z1])
        + w110 * Double(p[r11 + z0]) + w111 * Double(p[r11 + z1])
    }
    return Vec3(
      bx.withUnsafeBufferPointer(blend), by.withUnsafeBufferPointer(blend), 1 + bz.withUnsafeBufferPointer(blend))
  }
}

/// Benchmark-only: the same nodes stored interleaved as SIMD4<Float> (b_x, b_y, b_z, 0) per node,
/// so one trilinear sample touches 4 cache lines instead of 12 (three separate arrays).
struct InterleavedAttributionGrid: MagneticField {
  let n: Int
  let inverseCell: Double
  let nodes: [SIMD4<Float>]

  init(_ grid: AttributionGrid) {
    n = grid.n
    inverseCell = grid.inverseCell
    nodes = (0..<grid.bx.count).map { SIMD4<Float>(grid.bx[$0], grid.by[$0], grid.bz[$0], 0) }
  }

  func sample(at x: Vec3) -> Vec3 {
    @inline(__always) func wrap(_ u: Double) -> (Int, Int, Double) {
      let nn = Double(n)
      let folded = u - nn * (u / nn).rounded(.down)
      var base = folded.rounded(.down)
      if base >= nn { base -= nn }
      let i = Int(base)
      return (i, i + 1 == n ? 0 : i + 1, folded - base)
    }
    let (x0, x1, tx) = wrap(x.x * inverseCell)
    let (y0, y1, ty) = wrap(x.y * inverseCell)
    let (z0, z1, tz) = wrap(x.z * inverseCell)
    let r00 = (x0 * n + y0) * n, r01 = (x0 * n + y1) * n, r10 = (x1 * n + y0) * n, r11 = (x1 * n + y1) * n
    return nodes.withUnsafeBufferPointer { p -> Vec3 in
      @inline(__always) func node(_ i: Int) -> SIMD4<Double> {
        let f = p[i]
        return SIMD4<Double>(Double(f.x), Double(f.y), Double(f.z), 0)
      }
      let c00 = node(r00 + z0) * (1 - tz) + node(r00 + z1) * tz
      let c01 = node(r01 + z0) * (1 - tz) + node(r01 + z1) * tz
      let c10 = node(r10 + z0) * (1 - tz) + node(r10 + z1) * tz
      let c11 = node(r11 + z0) * (1 - tz) + node(r11 + z1) * tz
      let c0 = c00 * (1 - ty) + c01 * ty, c1 = c10 * (1 - ty) + c11 * ty
      let c = c0 * (1 - tx) + c1 * tx
      return Vec3(c.x, c.y, 1 + c.z)
    }
  }
}
