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
  ///
  /// A non-finite x gives a non-finite b (never a trap): see `cell(of:)`.
  @inlinable public func sample(at x: Vec3) -> Vec3 {
    let c = cell(of: x)
    let t = c.fraction
    let w = (1 - t, t)
    let w000 = w.0.x * w.0.y * w.0.z, w001 = w.0.x * w.0.y * w.1.z
    let w010 = w.0.x * w.1.y * w.0.z, w011 = w.0.x * w.1.y * w.1.z
    let w100 = w.1.x * w.0.y * w.0.z, w101 = w.1.x * w.0.y * w.1.z
    let w110 = w.1.x * w.1.y * w.0.z, w111 = w.1.x * w.1.y * w.1.z
    let (r00, r01, r10, r11, z0, z1) = (c.r00, c.r01, c.r10, c.r11, c.z0, c.z1)
    @inline(__always) func blend(_ p: UnsafeMutablePointer<Float>) -> Double {
      w000 * Double(p[r00 + z0]) + w001 * Double(p[r00 + z1]) + w010 * Double(p[r01 + z0])
        + w011 * Double(p[r01 + z1]) + w100 * Double(p[r10 + z0]) + w101 * Double(p[r10 + z1])
        + w110 * Double(p[r11 + z0]) + w111 * Double(p[r11 + z1])
    }
    return meanField + Vec3(blend(bx.pointer), blend(by.pointer), blend(bz.pointer))
  }

  /// Hints the CPU to start loading the 12 cache lines that `sample(at: x)` will read (the z0
  /// node of each of the four (x, y) rows, in each component; z1 shares its line 15 times in 16).
  /// No effect on results. A kernel that steps several particles round-robin calls this right
  /// after moving a particle, so the loads overlap the other particles' steps.
  @inlinable @inline(__always) public func prefetch(at x: Vec3) {
    let c = cell(of: x)
    @inline(__always) func lines(_ p: UnsafeMutablePointer<Float>) {
      _gridFieldPrefetch(UnsafeRawPointer(p + (c.r00 + c.z0)), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(p + (c.r01 + c.z0)), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(p + (c.r10 + c.z0)), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(p + (c.r11 + c.z0)), 0, 3, 1)
    }
    lines(bx.pointer)
    lines(by.pointer)
    lines(bz.pointer)
  }

  /// The cell holding x: row offsets of its four (x, y) corners, its two z indices, and the
  /// fractional position t ∈ [0, 1)³ in it.
  ///
  /// floor(u) and t = u − floor(u) are computed exactly as before (so samples are bitwise
  /// unchanged), but the floor is a truncating conversion plus a compare (no libm call on
  /// baseline x86-64) and the periodic index is a mask when N is a power of two (no integer
  /// division). A coordinate that is not finite, or farther than 4·10¹⁸ cells from the origin, is
  /// sent to cell 0 before the conversion to Int (which would trap): t, and so b, is then NaN
  /// for NaN/∞ input.
  @inlinable @inline(__always)
  func cell(of x: Vec3) -> (r00: Int, r01: Int, r10: Int, r11: Int, z0: Int, z1: Int, fraction: Vec3) {
    let u = x * inverseCellSize
    let (ix, tx) = Self.floorSplit(u.x)
    let (iy, ty) = Self.floorSplit(u.y)
    let (iz, tz) = Self.floorSplit(u.z)
    let (x0, x1) = wrap(ix, nx)
    let (y0, y1) = wrap(iy, ny)
    let (z0, z1) = wrap(iz, nz)
    return ((x0 * ny + y0) * rowStride, (x0 * ny + y1) * rowStride, (x1 * ny + y0) * rowStride,
            (x1 * ny + y1) * rowStride, z0, z1, Vec3(tx, ty, tz))
  }

  /// (floor(u) as Int, u − floor(u)); NaN, ±∞ and |u| ≥ 4·10¹⁸ give index 0 (and t = NaN for NaN/∞).
  @inlinable @inline(__always)
  static func floorSplit(_ u: Double) -> (Int, Double) {
    let safe = abs(u) < 4.0e18 ? u : 0  // false for NaN
    var i = Int(safe)  // truncates toward zero
    var floored = Double(i)
    if floored > safe {
      i -= 1
      floored -= 1
    }
    return (i, u - floored)
  }

  /// Lower and upper periodic indices for a floored cell index i on an axis of n points.
  @inlinable @inline(__always)
  func wrap(_ i: Int, _ n: Int) -> (Int, Int) {
    var lower: Int
    if n & (n - 1) == 0 {
      lower = i & (n - 1)  // two's complement: also right for negative i
    } else {
      lower = i % n
      if lower < 0 { lower += n }
    }
    let upper = lower + 1
    return (lower, upper == n ? 0 : upper)
  }
}

/// LLVM's prefetch intrinsic (read, high locality, data cache): a hint, never a fault.
@usableFromInline @_silgen_name("llvm.prefetch.p0")
func _gridFieldPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)
