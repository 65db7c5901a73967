import LarmorCore

/// A periodic magnetic field stored on a grid: b = B₀-direction mean field + δb(x).
///
/// Storage: float32, one array per Cartesian component (structure of arrays), C order
/// [ix][iy][iz] with each z-row padded to 2(N_z/2+1) floats — the layout of FFTW's in-place
/// real transform, so synthesis writes the field where it will live and never copies it
/// (12 bytes per cell). Sampling is periodic trilinear (cloud-in-cell) interpolation, which
/// damps a mode's power by ≈ sinc⁴(kΔx/2) per axis and breaks ∇·b = 0 inside cells
/// (PHYSICS.md §4.4): resolve resonant wavelengths with ≥ 8–16 cells.
public struct GridField: MagneticField {
  public let geometry: GridGeometry
  /// The mean field in B₀ (ẑ for every synthesized field).
  public let meanField: Vec3
  @usableFromInline let bx: AlignedFloatBuffer
  @usableFromInline let by: AlignedFloatBuffer
  @usableFromInline let bz: AlignedFloatBuffer
  @usableFromInline let nx: Int
  @usableFromInline let ny: Int
  @usableFromInline let nz: Int
  /// Floats between consecutive z-rows (≥ nz, FFTW padding).
  @usableFromInline let rowStride: Int
  @usableFromInline let inverseCellSize: Vec3

  init(geometry: GridGeometry, meanField: Vec3, components: (AlignedFloatBuffer, AlignedFloatBuffer, AlignedFloatBuffer)) {
    self.geometry = geometry
    self.meanField = meanField
    (bx, by, bz) = components
    (nx, ny, nz) = (geometry.counts.x, geometry.counts.y, geometry.counts.z)
    rowStride = 2 * (nz / 2 + 1)
    inverseCellSize = 1 / geometry.cellSize
  }

  /// A field from unpadded C-order arrays δb_x, δb_y, δb_z (in B₀) of N_xN_yN_z values each.
  public init(geometry: GridGeometry, meanField: Vec3 = Vec3(0, 0, 1), fluctuation: [[Float]]) {
    precondition(fluctuation.count == 3 && fluctuation.allSatisfy { $0.count == geometry.cellCount })
    let n = geometry.counts
    let padded = RealTransform3D.paddedCount(n)
    let stride = 2 * (n.z / 2 + 1)
    let buffers = (0..<3).map { c -> AlignedFloatBuffer in
      let buffer = AlignedFloatBuffer(count: padded)
      buffer.withUnsafeMutableBufferPointer { out in
        out.initialize(repeating: 0)
        for row in 0..<(n.x * n.y) {
          for iz in 0..<n.z { out[row * stride + iz] = fluctuation[c][row * n.z + iz] }
        }
      }
      return buffer
    }
    self.init(geometry: geometry, meanField: meanField, components: (buffers[0], buffers[1], buffers[2]))
  }

  /// δb at grid node (ix, iy, iz), in B₀ (mean field excluded).
  @inlinable public func fluctuation(_ ix: Int, _ iy: Int, _ iz: Int) -> Vec3 {
    let i = (ix * ny + iy) * rowStride + iz
    return Vec3(Double(bx.pointer[i]), Double(by.pointer[i]), Double(bz.pointer[i]))
  }

  /// One component of δb as an unpadded C-order array (for output).
  public func unpaddedComponent(_ c: Int) -> [Float] {
    let source = [bx, by, bz][c]
    var out = [Float](repeating: 0, count: geometry.cellCount)
    for row in 0..<(nx * ny) {
      for iz in 0..<nz { out[row * nz + iz] = source.pointer[row * rowStride + iz] }
    }
    return out
  }

  /// Periodic trilinear interpolation of b = mean + δb at x (in L).
  @inlinable public func sample(at x: Vec3) -> Vec3 {
    let u = x * inverseCellSize
    let base = u.rounded(.down)
    let t = u - base
    let (x0, x1) = Self.wrap(base.x, nx)
    let (y0, y1) = Self.wrap(base.y, ny)
    let (z0, z1) = Self.wrap(base.z, nz)
    let r00 = (x0 * ny + y0) * rowStride
    let r01 = (x0 * ny + y1) * rowStride
    let r10 = (x1 * ny + y0) * rowStride
    let r11 = (x1 * ny + y1) * rowStride
    let w = (1 - t, t)
    let w000 = w.0.x * w.0.y * w.0.z, w001 = w.0.x * w.0.y * w.1.z
    let w010 = w.0.x * w.1.y * w.0.z, w011 = w.0.x * w.1.y * w.1.z
    let w100 = w.1.x * w.0.y * w.0.z, w101 = w.1.x * w.0.y * w.1.z
    let w110 = w.1.x * w.1.y * w.0.z, w111 = w.1.x * w.1.y * w.1.z
    @inline(__always) func blend(_ p: UnsafeMutablePointer<Float>) -> Double {
      w000 * Double(p[r00 + z0]) + w001 * Double(p[r00 + z1]) + w010 * Double(p[r01 + z0])
        + w011 * Double(p[r01 + z1]) + w100 * Double(p[r10 + z0]) + w101 * Double(p[r10 + z1])
        + w110 * Double(p[r11 + z0]) + w111 * Double(p[r11 + z1])
    }
    return meanField + Vec3(blend(bx.pointer), blend(by.pointer), blend(bz.pointer))
  }

  /// Lower and upper periodic cell indices for a floored coordinate on an axis of n points.
  @inlinable static func wrap(_ floored: Double, _ n: Int) -> (Int, Int) {
    var i = Int(floored) % n
    if i < 0 { i += n }
    let j = i + 1
    return (i, j == n ? 0 : j)
  }
}
