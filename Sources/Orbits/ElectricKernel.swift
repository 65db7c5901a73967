import Foundation
import LarmorCore

// The Boris step with electric half-kicks, for fields that move (docs/physics.md §4.2 in the
// ultra-relativistic limit). The state is u = p/p₀ along the unit velocity, so |u| is the
// momentum in units of p₀ and the Larmor radius in B₀ is R|u|:
//
//     u⁻ = u + (Δt/2R) e(x, tₙ),   t = (Δt/(2R|u⁻|)) b(x, tₙ),   s = 2t/(1 + |t|²),
//     u′ = u⁻ + u⁻ × t,   u⁺ = u⁻ + u′ × s,   u ← u⁺ + (Δt/2R) e,   x ← x + Δt u/|u|,
//
// fields sampled at the position and time tₙ = nΔt before the drift (leapfrog: u lives at half
// steps). With e = 0 the rotation keeps |u| to round-off, as the static kernels do; static
// magnetic fields never come here (`EnsembleRunner.run` takes the magnetostatic kernels for them,
// so their orbits are bitwise what they were before fields could move).

extension BorisPusher {
  /// One step through a moving field at time `time` (L/c); u = p/p₀ times the unit velocity.
  @inlinable @inline(__always)
  public func electricStep<F: ElectromagneticField>(_ r: inout Vec3, _ u: inout Vec3, time: Double, in field: F) {
    let sample = field.fields(at: r, time: time)
    let kick = halfTurnPerField * sample.electric  // (Δt/2R) e
    var w = u + kick
    let scale = halfTurnPerField / w.length
    let t: Vec3
    switch rotation {
    case .standard:
      t = scale * sample.magnetic
    case .exactPhase:
      let magnitude = sample.magnetic.length
      t = magnitude > 0 ? (tan(scale * magnitude) / magnitude) * sample.magnetic : Vec3()
    }
    let s = (2 / (1 + t.dot(t))) * t
    let v = w + w.cross(t)
    w += v.cross(s)
    u = w + kick
    r += (timeStep / u.length) * u
  }

  /// Advances every particle of `batch` by `steps` steps through a moving field, starting at
  /// step `firstStep` (time firstStep·Δt): four particles interleaved (independent dependency
  /// chains overlap the field lookups), each loaded once, stepped in registers and stored once
  /// (direction and momentum). Returns the first particle whose state is not finite (left
  /// unstored, as in `advance`), or nil. Bitwise equal to `advanceMovingPlain` (tested).
  @inlinable
  func advanceMoving<F: ElectromagneticField>(
    _ batch: inout ParticleBatch, steps: Int, firstStep: Int, in field: F
  ) -> Int? {
    var firstBad: Int? = nil
    let dt = timeStep
    let n = batch.count
    var p = 0
    while p + 4 <= n {
      var r0 = batch.position(p), u0 = batch.momentum[p] * batch.direction(p)
      var r1 = batch.position(p + 1), u1 = batch.momentum[p + 1] * batch.direction(p + 1)
      var r2 = batch.position(p + 2), u2 = batch.momentum[p + 2] * batch.direction(p + 2)
      var r3 = batch.position(p + 3), u3 = batch.momentum[p + 3] * batch.direction(p + 3)
      var ok0 = true, ok1 = true, ok2 = true, ok3 = true
      for k in 0..<steps {
        let time = Double(firstStep + k) * dt
        if ok0 { electricStep(&r0, &u0, time: time, in: field); ok0 = ParticleBatch.isFinite(u0) }
        if ok1 { electricStep(&r1, &u1, time: time, in: field); ok1 = ParticleBatch.isFinite(u1) }
        if ok2 { electricStep(&r2, &u2, time: time, in: field); ok2 = ParticleBatch.isFinite(u2) }
        if ok3 { electricStep(&r3, &u3, time: time, in: field); ok3 = ParticleBatch.isFinite(u3) }
      }
      // Written out: an array literal of the four states would allocate per group.
      if !storeMoving(&batch, p, r0, u0), firstBad == nil { firstBad = p }
      if !storeMoving(&batch, p + 1, r1, u1), firstBad == nil { firstBad = p + 1 }
      if !storeMoving(&batch, p + 2, r2, u2), firstBad == nil { firstBad = p + 2 }
      if !storeMoving(&batch, p + 3, r3, u3), firstBad == nil { firstBad = p + 3 }
      p += 4
    }
    if let bad = advanceMovingPlain(&batch, p..<n, steps: steps, firstStep: firstStep, in: field), firstBad == nil { firstBad = bad }
    return firstBad
  }

  /// The plain loop (one particle at a time) over `range`: the reference for `advanceMoving`.
  @inlinable
  func advanceMovingPlain<F: ElectromagneticField>(
    _ batch: inout ParticleBatch, _ range: Range<Int>? = nil, steps: Int, firstStep: Int, in field: F
  ) -> Int? {
    var firstBad: Int? = nil
    let dt = timeStep
    for p in range ?? 0..<batch.count {
      var r = batch.position(p)
      var u = batch.momentum[p] * batch.direction(p)
      for k in 0..<steps {
        electricStep(&r, &u, time: Double(firstStep + k) * dt, in: field)
        if !ParticleBatch.isFinite(u) { break }
      }
      if !storeMoving(&batch, p, r, u), firstBad == nil { firstBad = p }
    }
    return firstBad
  }

  /// Stores position r and u = p v̂ as direction and momentum; false (nothing stored) if not finite.
  @inlinable @inline(__always)
  func storeMoving(_ batch: inout ParticleBatch, _ p: Int, _ r: Vec3, _ u: Vec3) -> Bool {
    let momentum = u.length
    let v = u / momentum
    guard ParticleBatch.isFinite(r, v), momentum.isFinite, momentum > 0 else { return false }
    (batch.x[p], batch.y[p], batch.z[p]) = (r.x, r.y, r.z)
    (batch.vx[p], batch.vy[p], batch.vz[p]) = (v.x, v.y, v.z)
    batch.momentum[p] = momentum
    return true
  }

  /// The replay of `locateNonFinite` for moving fields: the 1-based offset of the first step after
  /// which the state is not finite, and whether the field sample there was non-finite.
  public func locateNonFinite<F: ElectromagneticField>(
    position: Vec3, velocity: Vec3, momentum: Double, firstStep: Int, steps: Int, in field: F
  ) -> (step: Int, fieldWasNonFinite: Bool) {
    var r = position, u = momentum * velocity
    for n in 1...max(steps, 1) {
      let time = Double(firstStep + n - 1) * timeStep
      let f = field.fields(at: r, time: time)
      let fieldBad = !ParticleBatch.isFinite(f.magnetic, f.electric)
      electricStep(&r, &u, time: time, in: field)
      if fieldBad || !ParticleBatch.isFinite(r, u) { return (n, fieldBad) }
    }
    return (steps, false)
  }
}
