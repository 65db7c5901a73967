import LarmorCore

// The cell-cached kernel for travelling grid patterns (`TravelingPatterns`: Alfvén waves on a
// grid, one pattern per direction of propagation). Each pattern is sampled in its own frame,
// z − V t, where a particle still spends several steps in a cell, so each lane keeps one cached
// cell per pattern (`CellLanes`) and the electric Boris step (`electricStep`) runs on four lanes
// at once. Every lane performs exactly the operations of `electricStep` with
// `TravelingGridField.fields(at:time:)` (same shifted position, same floor and cell polynomial,
// same sums in the same order), so the orbits are bitwise those of `advanceMovingPlain` (tested).

/// Four particles of a moving field: positions (L), u = p/p₀ along the velocity, and the cells
/// of up to two patterns.
@usableFromInline
struct FourMovingParticles {
  @usableFromInline var rx, ry, rz, ux, uy, uz: SIMD4<Double>
  @usableFromInline var first = CellLanes(), second = CellLanes()

  @inlinable init(_ batch: ParticleBatch, _ p: Int) {
    @inline(__always) func lanes(_ a: [Double]) -> SIMD4<Double> { SIMD4(a[p], a[p + 1], a[p + 2], a[p + 3]) }
    (rx, ry, rz) = (lanes(batch.x), lanes(batch.y), lanes(batch.z))
    let momentum = lanes(batch.momentum)
    // u = p v̂ component by component, as `advanceMovingPlain` forms it (momentum × direction).
    (ux, uy, uz) = (momentum * lanes(batch.vx), momentum * lanes(batch.vy), momentum * lanes(batch.vz))
  }
}

extension BorisPusher {
  /// `advanceMoving` through one or two travelling trilinear patterns with the cell-cached
  /// four-lane kernel (see the file comment), for the standard rotation; otherwise, and for
  /// steps longer than `cellCacheStepLimit` cells, it is `advanceMoving`. Groups of eight
  /// particles run as two interleaved four-lane groups; the remainder, and any group in which a
  /// particle turns non-finite or leaves the exact-floor range, are redone from their stored state
  /// by the plain loop, so the batch and the return value are exactly those of `advanceMovingPlain`.
  @inlinable
  func advanceMovingCellCached<F: ElectromagneticField>(
    _ batch: inout ParticleBatch, steps: Int, firstStep: Int, in field: F
  ) -> Int? {
    // Both patterns are sampled on the first one's lattice positions, so they must share it.
    guard rotation == .standard, let patterns = field.travelingPatterns,
      patterns.second.map({ $0.inverseCellSize == patterns.first.inverseCellSize }) ?? true,
      timeStep * patterns.first.inverseCellSize.max() <= Self.cellCacheStepLimit
    else { return advanceMoving(&batch, steps: steps, firstStep: firstStep, in: field) }
    let n = batch.count
    let prefetch = patterns.first.benefitsFromPrefetch
    var firstBad: Int? = nil
    var p = 0
    while p + 8 <= n {
      var a = FourMovingParticles(batch, p), b = FourMovingParticles(batch, p + 4)
      var ok = true
      for k in 0..<steps {
        let time = Double(firstStep + k) * timeStep
        let okA = movingCellCachedStep(&a, patterns, time: time, prefetch: prefetch)
        let okB = movingCellCachedStep(&b, patterns, time: time, prefetch: prefetch)
        if !(okA && okB) {
          ok = false
          break
        }
      }
      if ok {
        // The lanes' states are the plain loop's, so storing fails exactly where it fails there.
        for l in 0..<8 {
          let g = l < 4 ? a : b, i = l & 3
          if !storeMoving(&batch, p + l, Vec3(g.rx[i], g.ry[i], g.rz[i]), Vec3(g.ux[i], g.uy[i], g.uz[i])), firstBad == nil {
            firstBad = p + l
          }
        }
      } else if let bad = advanceMovingPlain(&batch, p..<(p + 8), steps: steps, firstStep: firstStep, in: field), firstBad == nil {
        firstBad = bad
      }
      p += 8
    }
    if let bad = advanceMovingPlain(&batch, p..<n, steps: steps, firstStep: firstStep, in: field), firstBad == nil {
      firstBad = bad
    }
    return firstBad
  }

  /// One electric Boris step of four lanes at `time`; false if a lane left the exact-floor range
  /// or its state turned non-finite (the caller redoes the group with the plain loop).
  @inlinable @inline(__always)
  func movingCellCachedStep<C: PiecewiseTrilinearField>(
    _ g: inout FourMovingParticles, _ patterns: TravelingPatterns<C>, time: Double, prefetch: Bool
  ) -> Bool {
    let inverse = patterns.first.inverseCellSize
    let x = g.rx * inverse.x, y = g.ry * inverse.y
    let direction = (g.ux, g.uy)
    let mean = patterns.meanField
    var bx = SIMD4(repeating: mean.x), by = SIMD4(repeating: mean.y), bz = SIMD4(repeating: mean.z)
    var ex = SIMD4<Double>(repeating: 0), ey = SIMD4<Double>(repeating: 0), ez = SIMD4<Double>(repeating: 0)
    // b += δb_j and e += V_j (δb_j,y, −δb_j,x, 0), pattern by pattern, at z − V_j t.
    @inline(__always) func add(_ δb: (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>), speed: Double) {
      bx = bx + δb.0
      by = by + δb.1
      bz = bz + δb.2
      let v = SIMD4(repeating: speed)
      ex = ex + v * δb.1
      ey = ey + v * (-δb.0)
      ez = ez + v * SIMD4(repeating: 0)
    }
    let z1 = (g.rz - SIMD4(repeating: patterns.firstSpeed * time)) * inverse.z
    guard let δb1 = g.first.sample(x, y, z1, in: patterns.first, prefetch: prefetch, direction: direction) else { return false }
    add(δb1, speed: patterns.firstSpeed)
    if let second = patterns.second {
      let z2 = (g.rz - SIMD4(repeating: patterns.secondSpeed * time)) * inverse.z
      guard let δb2 = g.second.sample(x, y, z2, in: second, prefetch: prefetch, direction: direction) else { return false }
      add(δb2, speed: patterns.secondSpeed)
    }
    // `electricStep`, lane-wise.
    let h = halfTurnPerField
    let kx = h * ex, ky = h * ey, kz = h * ez
    var wx = g.ux + kx, wy = g.uy + ky, wz = g.uz + kz
    let scale = h / ((wx * wx + wy * wy) + wz * wz).squareRoot()
    let tx = scale * bx, ty = scale * by, tz = scale * bz
    let k = 2 / (1 + ((tx * tx + ty * ty) + tz * tz))
    let sx = k * tx, sy = k * ty, sz = k * tz
    let vx = wx + (wy * tz - wz * ty)
    let vy = wy + (wz * tx - wx * tz)
    let vz = wz + (wx * ty - wy * tx)
    wx = wx + (vy * sz - vz * sy)
    wy = wy + (vz * sx - vx * sz)
    wz = wz + (vx * sy - vy * sx)
    g.ux = wx + kx
    g.uy = wy + ky
    g.uz = wz + kz
    let d = timeStep / ((g.ux * g.ux + g.uy * g.uy) + g.uz * g.uz).squareRoot()
    g.rx = g.rx + d * g.ux
    g.ry = g.ry + d * g.uy
    g.rz = g.rz + d * g.uz
    let sum = g.ux + g.uy + g.uz
    return all((sum - sum) .== 0)  // false for ±∞ and NaN
  }
}
