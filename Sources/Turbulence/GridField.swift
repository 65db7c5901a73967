import LarmorCore

/// A periodic magnetic field stored on a grid: b = B₀-direction mean field + δb(x).
///
/// Storage: float32, the three components of a node side by side (b_x b_y b_z, 12 bytes), nodes
/// in C order [ix][iy][iz], unpadded. A trilinear sample then reads four runs of six floats (four
/// or five cache lines) instead of twelve lines from three component arrays; measured on the 256³
/// benchmark (benchmarks/StepTable) this is what most of the memory-bound step time is spent on.
/// Synthesis transforms the spectrum in place in this buffer (`NodeLayoutInverseTransform`), so
/// it writes this layout directly, with no transposition and no second full-size buffer.
/// Sampling is periodic trilinear (cloud-in-cell) interpolation, which damps a mode's power by
/// ≈ sinc⁴(kΔx/2) per axis and breaks ∇·b = 0 inside cells (PHYSICS.md §4.4): resolve resonant
/// wavelengths with ≥ 8–16 cells.
public struct GridField: MagneticField {
  public let geometry: GridGeometry
  /// The mean field in B₀ (ẑ for every synthesized field).
  public let meanField: Vec3
  /// 3 N_x N_y N_z floats (+ 1 padding): node (ix, iy, iz) holds b_x, b_y, b_z at 3((ix N_y + iy) N_z + iz).
  @usableFromInline let nodes: AlignedFloatBuffer
  @usableFromInline let nx: Int
  @usableFromInline let ny: Int
  @usableFromInline let nz: Int
  @usableFromInline let inverseCellSize: Vec3

  /// A field owning `nodes` (3 N_x N_y N_z floats in the layout above, + 1 zero padding float).
  init(geometry: GridGeometry, meanField: Vec3, nodes: AlignedFloatBuffer) {
    self.geometry = geometry
    self.meanField = meanField
    self.nodes = nodes
    (nx, ny, nz) = (geometry.counts.x, geometry.counts.y, geometry.counts.z)
    inverseCellSize = 1 / geometry.cellSize
  }

  /// A field from unpadded C-order arrays δb_x, δb_y, δb_z (in B₀) of N_xN_yN_z values each.
  public init(geometry: GridGeometry, meanField: Vec3 = Vec3(0, 0, 1), fluctuation: [[Float]]) {
    precondition(fluctuation.count == 3 && fluctuation.allSatisfy { $0.count == geometry.cellCount })
    let nodes = Self.makeNodeBuffer(cells: geometry.cellCount)
    for c in 0..<3 {
      for i in 0..<geometry.cellCount { nodes.pointer[3 * i + c] = fluctuation[c][i] }
    }
    self.init(geometry: geometry, meanField: meanField, nodes: nodes)
  }

  /// 3 floats per node plus one zero padding float, so that the last node can be loaded as a
  /// 4-float vector.
  static func makeNodeBuffer(cells: Int) -> AlignedFloatBuffer {
    let buffer = AlignedFloatBuffer(count: 3 * cells + 1)
    buffer.pointer[3 * cells] = 0
    return buffer
  }

  // Transparent huge pages were measured (benchmarks/StepTable, 256³): advising the node buffer
  // with MADV_HUGEPAGE before the transposition cut the T_g/20 step by ~15 % (52 → 44 ns/step,
  // fewer TLB misses) but made the transposition 0.13 → 0.6 s (huge-page faults), i.e. +0.5 in
  // the synthesis/FFTW ratio. Not enabled; see the benchmarks README section.

  /// δb at grid node (ix, iy, iz), in B₀ (mean field excluded).
  @inlinable public func fluctuation(_ ix: Int, _ iy: Int, _ iz: Int) -> Vec3 {
    let i = 3 * ((ix * ny + iy) * nz + iz)
    return Vec3(Double(nodes.pointer[i]), Double(nodes.pointer[i + 1]), Double(nodes.pointer[i + 2]))
  }

  /// One component of δb as an unpadded C-order array (for output).
  public func unpaddedComponent(_ c: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: geometry.cellCount) { out, initialized in
      for i in 0..<geometry.cellCount { out[i] = nodes.pointer[3 * i + c] }
      initialized = geometry.cellCount
    }
  }

  /// One component of δb in FFTW's padded in-place layout [ix][iy][2(N_z/2+1)] (padding zero),
  /// ready for an in-place r2c transform (diagnostics).
  func paddedComponent(_ c: Int) -> AlignedFloatBuffer {
    let stride = 2 * (nz / 2 + 1)
    let buffer = AlignedFloatBuffer(count: RealTransform3D.paddedCount(geometry.counts))
    let out = buffer.pointer
    for row in 0..<(nx * ny) {
      for iz in 0..<nz { out[row * stride + iz] = nodes.pointer[3 * (row * nz + iz) + c] }
      for iz in nz..<stride { out[row * stride + iz] = 0 }
    }
    return buffer
  }

  /// Periodic trilinear interpolation of b = mean + δb at x (in L).
  ///
  /// Each corner's three components are loaded as one 4-float vector (the fourth lane is the
  /// next node's b_x, or the buffer's padding float, and is discarded) and blended as
  /// SIMD4<Double>: per component the same products summed in the same order as
  /// `sampleScalar(at:)`, so the two agree bitwise (tested). A non-finite x gives a non-finite b
  /// (never a trap): see `cell(of:)`.
  @inlinable @inline(__always) public func sample(at x: Vec3) -> Vec3 {
    let c = cell(of: x)
    let t = c.fraction
    let w = (1 - t, t)
    let w000 = w.0.x * w.0.y * w.0.z, w001 = w.0.x * w.0.y * w.1.z
    let w010 = w.0.x * w.1.y * w.0.z, w011 = w.0.x * w.1.y * w.1.z
    let w100 = w.1.x * w.0.y * w.0.z, w101 = w.1.x * w.0.y * w.1.z
    let w110 = w.1.x * w.1.y * w.0.z, w111 = w.1.x * w.1.y * w.1.z
    let p = UnsafeRawPointer(nodes.pointer)
    @inline(__always) func node(_ i: Int) -> SIMD4<Double> {
      let f = p.loadUnaligned(fromByteOffset: 12 * i, as: SIMD4<Float>.self)
      return SIMD4<Double>(Double(f.x), Double(f.y), Double(f.z), Double(f.w))
    }
    var b = w000 * node(c.r00 + c.z0)
    b += w001 * node(c.r00 + c.z1)
    b += w010 * node(c.r01 + c.z0)
    b += w011 * node(c.r01 + c.z1)
    b += w100 * node(c.r10 + c.z0)
    b += w101 * node(c.r10 + c.z1)
    b += w110 * node(c.r11 + c.z0)
    b += w111 * node(c.r11 + c.z1)
    return meanField + Vec3(b.x, b.y, b.z)
  }

  /// The scalar reference for `sample(at:)`: the same trilinear formula one component at a time.
  @inlinable public func sampleScalar(at x: Vec3) -> Vec3 {
    let c = cell(of: x)
    let t = c.fraction
    let w = (1 - t, t)
    let w000 = w.0.x * w.0.y * w.0.z, w001 = w.0.x * w.0.y * w.1.z
    let w010 = w.0.x * w.1.y * w.0.z, w011 = w.0.x * w.1.y * w.1.z
    let w100 = w.1.x * w.0.y * w.0.z, w101 = w.1.x * w.0.y * w.1.z
    let w110 = w.1.x * w.1.y * w.0.z, w111 = w.1.x * w.1.y * w.1.z
    // Float offsets of the eight corners' b_x; b_y and b_z follow at +1, +2.
    let (r00, r01, r10, r11, z0, z1) = (3 * c.r00, 3 * c.r01, 3 * c.r10, 3 * c.r11, 3 * c.z0, 3 * c.z1)
    let nodes = self.nodes.pointer
    @inline(__always) func blend(_ p: UnsafeMutablePointer<Float>) -> Double {
      w000 * Double(p[r00 + z0]) + w001 * Double(p[r00 + z1]) + w010 * Double(p[r01 + z0])
        + w011 * Double(p[r01 + z1]) + w100 * Double(p[r10 + z0]) + w101 * Double(p[r10 + z1])
        + w110 * Double(p[r11 + z0]) + w111 * Double(p[r11 + z1])
    }
    return meanField + Vec3(blend(nodes), blend(nodes + 1), blend(nodes + 2))
  }

  /// True for grids larger than a typical L2 cache (4 MiB of nodes): there the prefetching
  /// kernel was measured 4–5× faster at T_g/20 steps; on cache-resident grids the hint only
  /// costs time (benchmarks/StepTable --n 32).
  @inlinable public var benefitsFromPrefetch: Bool { geometry.cellCount * 12 > 4 << 20 }

  /// Hints the CPU to start loading the cache lines that `sample(at: x)` will read: for each of
  /// the four (x, y) rows, the first float of node z0 and the last float that the 4-wide load of
  /// node z1 touches (28 bytes in all, so one or two lines). No effect on results. A kernel that steps several
  /// particles round-robin calls this right after moving a particle, so the loads overlap the
  /// other particles' steps.
  @inlinable @inline(__always) public func prefetch(at x: Vec3) {
    let c = cell(of: x)
    let p = nodes.pointer
    @inline(__always) func row(_ r: Int) {
      _gridFieldPrefetch(UnsafeRawPointer(p + 3 * (r + c.z0)), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(p + (3 * (r + c.z1) + 3)), 0, 3, 1)
    }
    row(c.r00)
    row(c.r01)
    row(c.r10)
    row(c.r11)
  }

  /// The cell holding x: node offsets of its four (x, y) rows, its two z indices, and the
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
    return ((x0 * ny + y0) * nz, (x0 * ny + y1) * nz, (x1 * ny + y0) * nz, (x1 * ny + y1) * nz, z0, z1, Vec3(tx, ty, tz))
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
