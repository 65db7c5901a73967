#if canImport(Glibc)
import Glibc
#endif
import LarmorCore

/// A periodic magnetic field stored on a grid: b = B₀-direction mean field + δb(x).
///
/// Storage: float32, the three components of a node side by side (b_x b_y b_z, 12 bytes), nodes
/// in C order [ix][iy][iz], unpadded. A trilinear sample then reads four runs of six floats (four
/// or five cache lines) instead of twelve lines from three component arrays; measured on the 256³
/// benchmark (benchmarks/StepTable) this is what most of the memory-bound step time is spent on.
/// Synthesis (Turbulence's `NodeLayoutInverseTransform`) transforms the spectrum in place in this buffer, so
/// it writes this layout directly, with no transposition and no second full-size buffer.
/// Sampling is periodic trilinear (cloud-in-cell) interpolation, which damps a mode's power by
/// ≈ sinc⁴(kΔx/2) per axis and breaks ∇·b = 0 inside cells (docs/physics.md §4.4): resolve resonant
/// wavelengths with ≥ 8–16 cells.
public struct GridField: PiecewiseTrilinearField {
  public let geometry: GridGeometry
  /// The mean field in B₀ (ẑ for every synthesized field).
  public let meanField: Vec3
  /// 3 N_x N_y N_z floats (+ 1 padding): node (ix, iy, iz) holds b_x, b_y, b_z at 3((ix N_y + iy) N_z + iz).
  @usableFromInline package let nodes: AlignedFloatBuffer
  @usableFromInline package let nx: Int
  @usableFromInline package let ny: Int
  @usableFromInline package let nz: Int
  /// 1/Δx per axis (1/L).
  public let inverseCellSize: Vec3
  /// Itself: the pusher's cell-cached kernel applies.
  @inlinable public var trilinearCells: GridField? { self }

  /// A field owning `nodes` (3 N_x N_y N_z floats in the layout above, + 1 zero padding float).
  package init(geometry: GridGeometry, meanField: Vec3, nodes: AlignedFloatBuffer) {
    self.geometry = geometry
    self.meanField = meanField
    self.nodes = nodes
    (nx, ny, nz) = (geometry.counts.x, geometry.counts.y, geometry.counts.z)
    inverseCellSize = 1 / geometry.cellSize
  }

  /// The same nodes (shared, not copied) with another mean field: `Vec3()` gives the bare
  /// fluctuation δb, as `TravelingGridField` samples it.
  public func withMeanField(_ mean: Vec3) -> GridField {
    GridField(geometry: geometry, meanField: mean, nodes: nodes)
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
  package static func makeNodeBuffer(cells: Int) -> AlignedFloatBuffer {
    let buffer = AlignedFloatBuffer(count: 3 * cells + 1)
    buffer.pointer[3 * cells] = 0
    return buffer
  }

  /// Moves the nodes onto 2 MiB transparent huge pages now (Linux ≥ 6.1, MADV_COLLAPSE), so
  /// that a tracer's lookups miss the TLB far less often: on the 256³ step benchmark (200 MB of
  /// nodes) the 0.2-cell step gets ≈ 10 % faster, for one copy of the nodes (0.2–0.4 s at 256³).
  /// Advising huge pages before synthesis instead made the synthesis 0.2–0.7 s slower (huge-page
  /// faults with defragmentation). Returns false where the kernel cannot collapse; results never
  /// change.
  @discardableResult
  public func collapseToHugePages() -> Bool {
    #if canImport(Glibc)
    let huge = 2 << 20
    let start = (Int(bitPattern: nodes.pointer) + huge - 1) / huge * huge
    let end = (Int(bitPattern: nodes.pointer) + 4 * nodes.count) / huge * huge
    guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return false }
    _ = madvise(address, end - start, Int32(MADV_HUGEPAGE))
    let madviseCollapse: Int32 = 25  // MADV_COLLAPSE (Linux 6.1; not in every libc's headers)
    return madvise(address, end - start, madviseCollapse) == 0
    #else
    return false
    #endif
  }

  /// δb at grid node (ix, iy, iz), in B₀ (mean field excluded).
  @inlinable public func fluctuation(_ ix: Int, _ iy: Int, _ iz: Int) -> Vec3 {
    let i = 3 * ((ix * ny + iy) * nz + iz)
    return Vec3(Double(nodes.pointer[i]), Double(nodes.pointer[i + 1]), Double(nodes.pointer[i + 2]))
  }

  /// Component c of δb on x-plane ix, [iy][iz] in C order (for output one plane at a time).
  public func componentPlane(_ c: Int, _ ix: Int) -> [Float] {
    let plane = geometry.counts.y * geometry.counts.z
    return [Float](unsafeUninitializedCapacity: plane) { out, initialized in
      let base = ix * plane
      for i in 0..<plane { out[i] = nodes.pointer[3 * (base + i) + c] }
      initialized = plane
    }
  }

  /// One component of δb as an unpadded C-order array (for output).
  public func unpaddedComponent(_ c: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: geometry.cellCount) { out, initialized in
      for i in 0..<geometry.cellCount { out[i] = nodes.pointer[3 * i + c] }
      initialized = geometry.cellCount
    }
  }

  /// Periodic trilinear interpolation of b = mean + δb at x (in L), in the polynomial form of
  /// `TrilinearCell`: the cell's eight corners are loaded as 4-float vectors (the fourth lane is
  /// the next node's b_x, or the buffer's padding float, and is discarded), turned into the cell's
  /// coefficients and evaluated at the fractional position. Bitwise equal to `sampleScalar(at:)`
  /// and to the cell-cached particle kernel; equal to the textbook weight form to round-off
  /// (tested). A non-finite x gives a non-finite b (never a trap): see `cell(of:)`.
  @inlinable @inline(__always) public func sample(at x: Vec3) -> Vec3 {
    let c = cell(of: x)
    return trilinearCell(c.r00, c.r01, c.r10, c.r11, c.z0, c.z1).value(at: c.fraction)
  }

  /// The scalar reference for `sample(at:)`: the same coefficients and evaluation, one component
  /// at a time from single floats.
  @inlinable public func sampleScalar(at x: Vec3) -> Vec3 {
    let c = cell(of: x)
    let t = c.fraction
    // Float offsets of the eight corners' b_x; b_y and b_z follow at +1, +2.
    let (r00, r01, r10, r11, z0, z1) = (3 * c.r00, 3 * c.r01, 3 * c.r10, 3 * c.r11, 3 * c.z0, 3 * c.z1)
    let nodes = self.nodes.pointer
    @inline(__always) func component(_ p: UnsafeMutablePointer<Float>, mean: Double) -> Double {
      let n000 = Double(p[r00 + z0]), n001 = Double(p[r00 + z1]), n010 = Double(p[r01 + z0]), n011 = Double(p[r01 + z1])
      let n100 = Double(p[r10 + z0]), n101 = Double(p[r10 + z1]), n110 = Double(p[r11 + z0]), n111 = Double(p[r11 + z1])
      let c = mean + n000, cz = n001 - n000, cy = n010 - n000, cyz = (n011 - n010) - cz
      let cx = n100 - n000, cxz = (n101 - n100) - cz, cxy = (n110 - n100) - cy
      let cxyz = ((n111 - n110) - (n101 - n100)) - cyz
      return (c + t.z * cz + t.y * (cy + t.z * cyz)) + t.x * ((cx + t.z * cxz) + t.y * (cxy + t.z * cxyz))
    }
    return Vec3(component(nodes, mean: meanField.x), component(nodes + 1, mean: meanField.y), component(nodes + 2, mean: meanField.z))
  }

  /// The cell of `PiecewiseTrilinearField` with lower corner (i, j, k), indices taken periodically.
  @inlinable @inline(__always) public func cell(_ i: Int, _ j: Int, _ k: Int) -> TrilinearCell {
    let (x0, x1) = wrap(i, nx), (y0, y1) = wrap(j, ny), (z0, z1) = wrap(k, nz)
    // In-range indices: wrapping arithmetic only drops the overflow checks.
    return trilinearCell((x0 &* ny &+ y0) &* nz, (x0 &* ny &+ y1) &* nz, (x1 &* ny &+ y0) &* nz, (x1 &* ny &+ y1) &* nz, z0, z1)
  }

  /// The coefficients of the cell whose four (x, y) rows start at nodes r00 … r11, z nodes z0, z1.
  @inlinable @inline(__always)
  func trilinearCell(_ r00: Int, _ r01: Int, _ r10: Int, _ r11: Int, _ z0: Int, _ z1: Int) -> TrilinearCell {
    let p = UnsafeRawPointer(nodes.pointer)
    @inline(__always) func node(_ i: Int) -> SIMD4<Double> {
      let f = p.loadUnaligned(fromByteOffset: 12 &* i, as: SIMD4<Float>.self)
      return SIMD4<Double>(Double(f.x), Double(f.y), Double(f.z), Double(f.w))
    }
    return TrilinearCell(
      mean: SIMD4(meanField.x, meanField.y, meanField.z, 0), node(r00 + z0), node(r00 + z1), node(r01 + z0), node(r01 + z1),
      node(r10 + z0), node(r10 + z1), node(r11 + z0), node(r11 + z1))
  }

  /// `PiecewiseTrilinearField`'s hint: the three neighbour cells towards (di, dj) need the
  /// corner rows (x', y₀), (x', y₁), (x₀, y'), (x₁, y'), (x', y') beyond the current cell's four
  /// (x' = i + di + max(di, 0), y' likewise, wrapped), from node k to the end of node k+1's 4-wide load.
  @inlinable @inline(__always)
  public func prefetchNeighbours(ofCell i: Int, _ j: Int, _ k: Int, towards di: Int, _ dj: Int) {
    let (x0, x1) = wrap(i, nx), (y0, y1) = wrap(j, ny), z0 = wrap(k, nz).0
    let xn = wrap(di > 0 ? i &+ 2 : i &- 1, nx).0, yn = wrap(dj > 0 ? j &+ 2 : j &- 1, ny).0
    let p = nodes.pointer
    @inline(__always) func row(_ x: Int, _ y: Int) {
      let node = p + 3 &* ((x &* ny &+ y) &* nz &+ z0)
      _gridFieldPrefetch(UnsafeRawPointer(node), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(node + 6), 0, 3, 1)  // the last float of node k+1's 4-wide load
    }
    row(xn, y0)
    row(xn, y1)
    row(x0, yn)
    row(x1, yn)
    row(xn, yn)
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
    prefetchRows(c.r00, c.r01, c.r10, c.r11, c.z0, c.z1)
  }

  @inlinable @inline(__always)
  func prefetchRows(_ r00: Int, _ r01: Int, _ r10: Int, _ r11: Int, _ z0: Int, _ z1: Int) {
    let p = nodes.pointer
    @inline(__always) func row(_ r: Int) {
      _gridFieldPrefetch(UnsafeRawPointer(p + 3 * (r + z0)), 0, 3, 1)
      _gridFieldPrefetch(UnsafeRawPointer(p + (3 * (r + z1) + 3)), 0, 3, 1)
    }
    row(r00)
    row(r01)
    row(r10)
    row(r11)
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
    if n & (n &- 1) == 0 {
      lower = i & (n &- 1)  // two's complement: also right for negative i
    } else {
      lower = i % n
      if lower < 0 { lower += n }
    }
    let upper = lower &+ 1
    return (lower, upper == n ? 0 : upper)
  }
}

/// LLVM's prefetch intrinsic (read, high locality, data cache): a hint, never a fault.
@usableFromInline @_silgen_name("llvm.prefetch.p0")
func _gridFieldPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)
