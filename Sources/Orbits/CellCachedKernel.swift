import LarmorCore

// The cell-cached kernel: four particles in the lanes of SIMD4<Double> registers, each lane
// keeping the coefficients (`TrilinearCell`) of the grid cell it is in, so that a step that stays
// inside its cell (≈ 70 % of 0.2-cell steps) loads nothing from the grid; a lane entering a new
// cell loads it and hints the neighbours it is heading for. Two groups are stepped in
// alternation to overlap their dependency chains. Every lane performs exactly the operations of
// `standardStep` with `GridField.sample(at:)` (same floor, same cell, same polynomial, same
// Boris arithmetic), so the result is bitwise that of `advancePlain` (tested); the plain loop
// stays the reference. Measured (benchmarks/StepTable, 256³, 0.2-cell steps): see README
// "Performance".

/// The cells four lanes are in: lower corners and the cells' polynomials.
@usableFromInline
struct CellLanes {
  /// Lower corner floor(u) of each lane's cached cell (NaN: none yet).
  @usableFromInline var ix, iy, iz: SIMD4<Double>
  /// Each lane's cell, components side by side as in `TrilinearCell` (a lane is refreshed with
  /// eight vector stores; measured faster than keeping the coefficients transposed per component,
  /// which needs 24 scalar stores per refresh).
  @usableFromInline var cells: (TrilinearCell, TrilinearCell, TrilinearCell, TrilinearCell)

  /// No cells yet.
  @inlinable init() {
    (ix, iy, iz) = (SIMD4(repeating: .nan), SIMD4(repeating: .nan), SIMD4(repeating: .nan))
    let none = TrilinearCell(mean: .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero, .zero)
    cells = (none, none, none, none)
  }

  /// Lane l now holds `cell`.
  @inlinable @inline(__always) mutating func setCell(_ l: Int, _ cell: TrilinearCell) {
    withUnsafeMutableBytes(of: &cells) { $0.storeBytes(of: cell, toByteOffset: l &* MemoryLayout<TrilinearCell>.stride, as: TrilinearCell.self) }
  }

  /// b at fractional positions (tx, ty, tz) of the four lanes, as three lane vectors.
  @inlinable @inline(__always)
  func field(_ tx: SIMD4<Double>, _ ty: SIMD4<Double>, _ tz: SIMD4<Double>) -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
    let b0 = cells.0.value(at: Vec3(tx[0], ty[0], tz[0])), b1 = cells.1.value(at: Vec3(tx[1], ty[1], tz[1]))
    let b2 = cells.2.value(at: Vec3(tx[2], ty[2], tz[2])), b3 = cells.3.value(at: Vec3(tx[3], ty[3], tz[3]))
    return (SIMD4(b0.x, b1.x, b2.x, b3.x), SIMD4(b0.y, b1.y, b2.y, b3.y), SIMD4(b0.z, b1.z, b2.z, b3.z))
  }

  /// b of `field` at lattice positions (ux, uy, uz) (position ⊙ inverse cell size), reloading
  /// the cells of lanes that left theirs; nil if such a lane is beyond the exact-floor range
  /// (|u| ≥ 2⁵⁰, or NaN: the caller redoes the group with the plain loop). `direction` gives the
  /// signs of the lanes' x and y velocities for the neighbour hints (`prefetch`).
  @inlinable @inline(__always)
  mutating func sample<F: PiecewiseTrilinearField>(
    _ ux: SIMD4<Double>, _ uy: SIMD4<Double>, _ uz: SIMD4<Double>, in field: F, prefetch: Bool,
    direction: (SIMD4<Double>, SIMD4<Double>)
  ) -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>)? {
    let fx = latticeFloor(ux), fy = latticeFloor(uy), fz = latticeFloor(uz)
    let moved = (fx .!= ix) .| (fy .!= iy) .| (fz .!= iz)  // true for NaN
    if any(moved) {
      guard refresh(moved, fx, fy, fz, ux, uy, uz, in: field, prefetch: prefetch, direction: direction) else { return nil }
    }
    return self.field(ux - fx, uy - fy, uz - fz)
  }

  /// Reloads the cells of the lanes in `moved` (lower corners fx, fy, fz); false if a lane is
  /// beyond the exact-floor range or NaN. Kept out of line: the common step changes no cell.
  @inlinable @inline(never)
  mutating func refresh<F: PiecewiseTrilinearField>(
    _ moved: SIMDMask<SIMD4<Int64>>, _ fx: SIMD4<Double>, _ fy: SIMD4<Double>, _ fz: SIMD4<Double>,
    _ ux: SIMD4<Double>, _ uy: SIMD4<Double>, _ uz: SIMD4<Double>, in field: F, prefetch: Bool,
    direction: (SIMD4<Double>, SIMD4<Double>)
  ) -> Bool {
    // latticeFloor is exact for |u| < 2⁵¹; a lane gets beyond, or NaN, only by changing cell.
    let limit = SIMD4<Double>(repeating: 0x1p50)
    let inRange = (ux .< limit) .& (ux .> -limit) .& (uy .< limit) .& (uy .> -limit) .& (uz .< limit) .& (uz .> -limit)
    guard all(inRange) else { return false }  // also false for NaN
    for l in 0..<4 where moved[l] {
      let (i, j, k) = (latticeIndex(fx[l]), latticeIndex(fy[l]), latticeIndex(fz[l]))
      setCell(l, field.cell(i, j, k))
      if prefetch {  // the x/y neighbours the particle is heading for
        field.prefetchNeighbours(ofCell: i, j, k, towards: direction.0[l] < 0 ? -1 : 1, direction.1[l] < 0 ? -1 : 1)
      }
    }
    (ix, iy, iz) = (fx, fy, fz)
    return true
  }
}

/// Four particles (positions in L, unit velocities, one per SIMD lane) and the cells they are in.
@usableFromInline
struct FourParticles {
  @usableFromInline var rx, ry, rz, vx, vy, vz: SIMD4<Double>
  @usableFromInline var cache: CellLanes

  /// Particles p … p+3 of `batch`.
  @inlinable init(_ batch: ParticleBatch, _ p: Int) {
    @inline(__always) func lanes(_ a: [Double]) -> SIMD4<Double> { SIMD4(a[p], a[p + 1], a[p + 2], a[p + 3]) }
    (rx, ry, rz) = (lanes(batch.x), lanes(batch.y), lanes(batch.z))
    (vx, vy, vz) = (lanes(batch.vx), lanes(batch.vy), lanes(batch.vz))
    cache = CellLanes()
  }

  /// Writes the lanes back to particles p … p+3.
  @inlinable func store(into batch: inout ParticleBatch, _ p: Int) {
    for l in 0..<4 {
      (batch.x[p + l], batch.y[p + l], batch.z[p + l]) = (rx[l], ry[l], rz[l])
      (batch.vx[p + l], batch.vy[p + l], batch.vz[p + l]) = (vx[l], vy[l], vz[l])
    }
  }
}

/// floor(u) for |u| < 2⁵¹, exact: round to an integer by adding and subtracting 1.5·2⁵², then
/// step down where that rounded up.
@inlinable @inline(__always)
func latticeFloor(_ u: SIMD4<Double>) -> SIMD4<Double> {
  let shift = SIMD4<Double>(repeating: 0x1.8p52)
  let nearest = (u + shift) - shift
  return nearest.replacing(with: nearest - 1, where: nearest .> u)
}

/// An integral Double f with |f| < 2⁵¹ as Int, without the checks of `Int(_:)`: f + 1.5·2⁵² is
/// exact and holds f in its low mantissa bits.
@inlinable @inline(__always)
func latticeIndex(_ f: Double) -> Int {
  Int(truncatingIfNeeded: (f + 0x1.8p52).bitPattern &- (0x1.8p52 as Double).bitPattern)
}

extension BorisPusher {
  /// Steps longer than this many cells take the prefetching round-robin kernel instead: a
  /// particle then leaves its cell nearly every step and the cache gains nothing
  /// (benchmarks/StepTable).
  public static let cellCacheStepLimit = 0.5

  /// The kernel `EnsembleRunner` uses: the cell-cached four-lane kernel for grid fields and steps
  /// of at most `cellCacheStepLimit` cells with the standard rotation; otherwise the prefetching
  /// round-robin kernel for fields that benefit from it, else the four-way loop. All are bitwise
  /// the plain loop, so the choice never changes an orbit.
  @inlinable
  func advanceFastest<F: MagneticField>(_ batch: inout ParticleBatch, steps: Int, in field: F) -> Int? {
    if rotation == .standard, let cells = field.trilinearCells,
       timeStep * cells.inverseCellSize.max() <= Self.cellCacheStepLimit {
      return advanceCellCached(&batch, steps: steps, in: cells)
    }
    return field.benefitsFromPrefetch
      ? advance(&batch, steps: steps, in: field, prefetch: { field.prefetch(at: $0) })
      : advance(&batch, steps: steps, in: field)
  }

  /// `advance` through a piecewise-trilinear field with the cell-cached four-lane kernel (see the
  /// file comment); for `.exactPhase` it is `advance`. Groups of eight particles run in two
  /// interleaved four-lane groups; the remainder, and any group in which a particle turns
  /// non-finite or reaches |x/Δx| ≥ 2⁵⁰, are redone from their stored state by the plain loop, so
  /// the batch and the return value are exactly those of `advancePlain`.
  @inlinable
  func advanceCellCached<F: PiecewiseTrilinearField>(_ batch: inout ParticleBatch, steps: Int, in field: F) -> Int? {
    guard rotation == .standard else { return advance(&batch, steps: steps, in: field) }
    let n = batch.count
    let prefetch = field.benefitsFromPrefetch
    var firstBad: Int? = nil
    var p = 0
    while p + 8 <= n {
      var a = FourParticles(batch, p), b = FourParticles(batch, p + 4)
      var ok = true
      for _ in 0..<steps {
        let okA = cellCachedStep(&a, in: field, prefetch: prefetch)
        let okB = cellCachedStep(&b, in: field, prefetch: prefetch)
        if !(okA && okB) {
          ok = false
          break
        }
      }
      if ok {
        a.store(into: &batch, p)
        b.store(into: &batch, p + 4)
      } else if let bad = plainRange(&batch, p..<(p + 8), steps: steps, in: field), firstBad == nil {
        firstBad = bad
      }
      p += 8
    }
    if let bad = plainRange(&batch, p..<n, steps: steps, in: field), firstBad == nil { firstBad = bad }
    return firstBad
  }

  /// The plain loop on particles `range` of the batch; the first non-finite index, or nil.
  @inlinable
  func plainRange<F: MagneticField>(_ batch: inout ParticleBatch, _ range: Range<Int>, steps: Int, in field: F) -> Int? {
    var firstBad: Int? = nil
    for p in range {
      var r = batch.position(p), v = batch.direction(p)
      for _ in 0..<steps {
        standardStep(&r, &v, in: field)
        if !ParticleBatch.isFinite(v) { break }
      }
      if ParticleBatch.isFinite(r, v) {
        (batch.x[p], batch.y[p], batch.z[p]) = (r.x, r.y, r.z)
        (batch.vx[p], batch.vy[p], batch.vz[p]) = (v.x, v.y, v.z)
      } else if firstBad == nil {
        firstBad = p
      }
    }
    return firstBad
  }

  /// One standard Boris step of four lanes; false if a lane that changed cell is beyond the
  /// exact-floor range (|x/Δx| ≥ 2⁵⁰, or NaN) or a velocity turned non-finite (the caller then
  /// redoes the group with the plain loop).
  @inlinable @inline(__always)
  func cellCachedStep<F: PiecewiseTrilinearField>(_ g: inout FourParticles, in field: F, prefetch: Bool) -> Bool {
    let inverse = field.inverseCellSize
    guard let (bx, by, bz) = g.cache.sample(
      g.rx * inverse.x, g.ry * inverse.y, g.rz * inverse.z, in: field, prefetch: prefetch, direction: (g.vx, g.vy))
    else { return false }
    let h = halfTurnPerField, dt = timeStep
    let hx = h * bx, hy = h * by, hz = h * bz
    let k = 2 / (1 + ((hx * hx + hy * hy) + hz * hz))
    let sx = k * hx, sy = k * hy, sz = k * hz
    let wx = g.vx + (g.vy * hz - g.vz * hy)
    let wy = g.vy + (g.vz * hx - g.vx * hz)
    let wz = g.vz + (g.vx * hy - g.vy * hx)
    g.vx = g.vx + (wy * sz - wz * sy)
    g.vy = g.vy + (wz * sx - wx * sz)
    g.vz = g.vz + (wx * sy - wy * sx)
    g.rx = g.rx + dt * g.vx
    g.ry = g.ry + dt * g.vy
    g.rz = g.rz + dt * g.vz
    let sum = g.vx + g.vy + g.vz
    return all((sum - sum) .== 0)  // false for ±∞ and NaN
  }
}
