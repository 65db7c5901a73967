import Foundation
import LarmorCore

/// The relativistic Boris pusher for magnetostatic fields and ultra-relativistic particles
/// (docs/physics.md §4.1–4.2, code units: x in L, t in L/c, |v| = 1, b = B/B₀).
///
/// Equation of motion dv/dt = v × b / R with R = r_L/L the reduced rigidity in B₀ (positive
/// charge: v_x' = Ω v_y, v_y' = −Ω v_x in b = ẑ, Ω = |b|/R). One step (leapfrog; v lives at
/// half steps):
///
///     b = b(x),  t = (Δt/2R) b,  s = 2t/(1+|t|²),  v' = v + v×t,  v ← v + v'×s,  x ← x + Δt v
///
/// The rotation preserves |v| exactly in exact arithmetic and rotates by θ = 2 arctan(|t|) per
/// step instead of Ω Δt: a relative gyrofrequency error ≈ (ΩΔt)²/12. `.exactPhase` replaces
/// t by tan(ΩΔt/2) b̂, which makes the gyro-phase exact in a uniform field (one tan per step).
public struct BorisPusher: Sendable, Hashable, Codable {
  /// How the rotation vector t is built.
  public enum Rotation: String, Sendable, Hashable, Codable {
    /// t = (Δt/2R) b (standard Boris).
    case standard
    /// t = tan(|b|Δt/2R) b̂ (exact gyro-phase in a uniform field).
    case exactPhase
  }

  /// Largest Ω_max Δt the pusher accepts (10 steps per gyration). Finer steps are the
  /// responsibility of `StepRule`; this limit only rejects steps that cannot follow gyration.
  public static let coarsestPhasePerStep = 2 * Double.pi / 10

  /// R = r_L/L in B₀ (dimensionless).
  public let reducedRigidity: Double
  /// Δt in L/c (= path length per step in L, since |v| = 1).
  public let timeStep: Double
  public let rotation: Rotation
  /// The bound on |b| used to validate Ω_max Δt (B₀ units).
  public let fieldStrengthBound: Double
  /// Δt / (2R).
  @usableFromInline let halfTurnPerField: Double

  /// - Parameters:
  ///   - reducedRigidity: R = r_L/L > 0.
  ///   - timeStep: Δt > 0 in L/c.
  ///   - fieldStrengthBound: an upper estimate of |b| on the orbit (≥ 1; e.g. 1 + 4σ).
  /// - Throws: `OrbitError.invalidParameter` or `.stepTooCoarse` if Ω_max Δt = bound·Δt/R
  ///   exceeds `coarsestPhasePerStep`.
  public init(
    reducedRigidity: Double, timeStep: Double, rotation: Rotation = .standard, fieldStrengthBound: Double = 1
  ) throws(OrbitError) {
    try OrbitError.require(reducedRigidity.isFinite && reducedRigidity > 0, "reduced_rigidity", reducedRigidity, "must be finite and > 0 (R = r_L/L)")
    try OrbitError.require(timeStep.isFinite && timeStep > 0, "time_step", timeStep, "must be finite and > 0 (in L/c)")
    try OrbitError.require(fieldStrengthBound.isFinite && fieldStrengthBound >= 1, "field_strength_bound", fieldStrengthBound, "must be finite and ≥ 1 (|b|_max in B₀)")
    let phase = fieldStrengthBound * timeStep / reducedRigidity
    guard phase <= Self.coarsestPhasePerStep else {
      throw OrbitError.stepTooCoarse(timeStep: timeStep, phasePerStep: phase, limit: Self.coarsestPhasePerStep)
    }
    self.reducedRigidity = reducedRigidity
    self.timeStep = timeStep
    self.rotation = rotation
    self.fieldStrengthBound = fieldStrengthBound
    self.halfTurnPerField = timeStep / (2 * reducedRigidity)
  }

  /// Gyrofrequency in B₀, Ω = 1/R (c/L).
  public var gyrofrequency: Double { 1 / reducedRigidity }
  /// Gyro-period in B₀, 2πR (L/c).
  public var gyroperiod: Double { 2 * Double.pi * reducedRigidity }
  /// Rotation angle per step in |b| = 1: 2 arctan(Δt/2R) (standard) or Δt/R (exactPhase).
  public var rotationPerStepInMeanField: Double {
    rotation == .standard ? 2 * atan(halfTurnPerField) : 2 * halfTurnPerField
  }

  /// One standard Boris step (see type documentation).
  @inlinable @inline(__always)
  func standardStep<F: MagneticField>(_ r: inout Vec3, _ v: inout Vec3, in field: F) {
    let t = halfTurnPerField * field.sample(at: r)
    let s = (2 / (1 + t.dot(t))) * t
    let w = v + v.cross(t)
    v += w.cross(s)
    r += timeStep * v
  }

  /// One Boris step with the tan-corrected rotation vector (exact phase in a uniform field).
  @inlinable @inline(__always)
  func exactPhaseStep<F: MagneticField>(_ r: inout Vec3, _ v: inout Vec3, in field: F) {
    let b = field.sample(at: r)
    let magnitude = b.length
    let half = halfTurnPerField * magnitude
    let t = magnitude > 0 ? (tan(half) / magnitude) * b : Vec3()
    let s = (2 / (1 + t.dot(t))) * t
    let w = v + v.cross(t)
    v += w.cross(s)
    r += timeStep * v
  }

  /// One step with the configured rotation.
  @inlinable @inline(__always)
  public func step<F: MagneticField>(_ r: inout Vec3, _ v: inout Vec3, in field: F) {
    switch rotation {
    case .standard: standardStep(&r, &v, in: field)
    case .exactPhase: exactPhaseStep(&r, &v, in: field)
    }
  }

  /// Particles that `advance` steps round-robin (one group of this many at a time).
  @inlinable static var pipelineWidth: Int { 16 }

  /// Advances every particle of `batch` by `steps` steps: particle-major, four particles
  /// interleaved, each particle loaded once, stepped in registers and stored once. Nothing in the
  /// step loop allocates, locks, throws or uses an existential.
  ///
  /// Without a prefetch hint this four-way loop is faster than the 16-particle round-robin on a
  /// 256³ grid (`benchmarks/` StepTable measures both), so the hinted variant below is the fast
  /// path for long steps on large grids;
  /// `advanceFastest` (CellCachedKernel.swift) chooses among the kernels.
  ///
  /// - Returns: the index (in the batch) of the first particle whose position or velocity is
  ///   not finite after the steps, or nil. Such particles are NOT stored, so the batch still
  ///   holds their state at the start of the call (the runner replays them to find the step).
  ///   Results are bitwise those of `advancePlain` (tested).
  @inlinable
  func advance<F: MagneticField>(_ batch: inout ParticleBatch, steps: Int, in field: F) -> Int? {
    switch rotation {
    case .standard:
      return batch.advanceFourWay(steps: steps) { r, v in standardStep(&r, &v, in: field) }
    case .exactPhase:
      return batch.advanceFourWay(steps: steps) { r, v in exactPhaseStep(&r, &v, in: field) }
    }
  }

  /// `advance` with a cache hint, the fast path for fields whose lookups miss the cache (a 256³
  /// GridField is 200 MB). Particles are taken in groups of `pipelineWidth`; a group's state
  /// lives in stack storage and its particles are stepped round-robin (step 1 of each, then
  /// step 2 of each, …). `prefetch(r)` is called with each particle's new position right after
  /// the step that produced it, `pipelineWidth − 1` particle-steps before the field is sampled
  /// there; pass `{ field.prefetch(at: $0) }` for a `GridField`. The hint must not change
  /// results: they are bitwise those of `advancePlain` (tested), and the return value means the
  /// same as `advance`'s.
  @inlinable @inline(__always)
  func advance<F: MagneticField>(
    _ batch: inout ParticleBatch, steps: Int, in field: F, prefetch: (Vec3) -> Void
  ) -> Int? {
    switch rotation {
    case .standard:
      return batch.advanceRoundRobin(steps: steps, prefetch: prefetch) { r, v in standardStep(&r, &v, in: field) }
    case .exactPhase:
      return batch.advanceRoundRobin(steps: steps, prefetch: prefetch) { r, v in exactPhaseStep(&r, &v, in: field) }
    }
  }

  /// The plain particle-major loop (one particle at a time). The reference for `advance`, which
  /// interleaves four particles, and for the round-robin kernel; both give bitwise identical batches (tested).
  @inlinable
  func advancePlain<F: MagneticField>(_ batch: inout ParticleBatch, steps: Int, in field: F) -> Int? {
    switch rotation {
    case .standard:
      return batch.advanceAll { r, v in
        for _ in 0..<steps {
          standardStep(&r, &v, in: field)
          if !ParticleBatch.isFinite(v) { break }
        }
      }
    case .exactPhase:
      return batch.advanceAll { r, v in
        for _ in 0..<steps {
          exactPhaseStep(&r, &v, in: field)
          if !ParticleBatch.isFinite(v) { break }
        }
      }
    }
  }

  /// Replays one particle step by step from (r, v) for at most `steps` steps and returns the
  /// offset (1-based) of the first step after which the state is not finite, and whether the
  /// field sample there was non-finite. Diagnostic path only.
  public func locateNonFinite<F: MagneticField>(position: Vec3, velocity: Vec3, steps: Int, in field: F)
    -> (step: Int, fieldWasNonFinite: Bool)
  {
    var r = position, v = velocity
    for n in 1...max(steps, 1) {
      let b = field.sample(at: r)
      let fieldBad = !(b.x.isFinite && b.y.isFinite && b.z.isFinite)
      step(&r, &v, in: field)
      if fieldBad || !ParticleBatch.isFinite(r, v) { return (n, fieldBad) }
    }
    return (steps, false)
  }
}

extension ParticleBatch {
  /// The kernel behind the unhinted `BorisPusher.advance`: four particles in lock-step, each
  /// with exactly the arithmetic of the plain loop, so four independent dependency chains
  /// overlap one particle's field-lookup latency with the others' work. The final stores are
  /// written out (an array literal of the four results cost 64 mallocs per 256-particle call,
  /// measured with ordo-one's interposer). A lane stops at its first non-finite velocity, so a
  /// NaN position never reaches the field. Bitwise equal to the plain loop (tested).
  @inlinable @inline(__always)
  mutating func advanceFourWay(steps: Int, _ step: (inout Vec3, inout Vec3) -> Void) -> Int? {
    var firstBad: Int? = nil
    let n = count
    @inline(__always) func store(_ q: Int, _ r: Vec3, _ v: Vec3) {
      if Self.isFinite(r, v) {
        (x[q], y[q], z[q]) = (r.x, r.y, r.z)
        (vx[q], vy[q], vz[q]) = (v.x, v.y, v.z)
      } else if firstBad == nil {
        firstBad = q
      }
    }
    var p = 0
    while p + 4 <= n {
      var r0 = Vec3(x[p], y[p], z[p]), v0 = Vec3(vx[p], vy[p], vz[p])
      var r1 = Vec3(x[p + 1], y[p + 1], z[p + 1]), v1 = Vec3(vx[p + 1], vy[p + 1], vz[p + 1])
      var r2 = Vec3(x[p + 2], y[p + 2], z[p + 2]), v2 = Vec3(vx[p + 2], vy[p + 2], vz[p + 2])
      var r3 = Vec3(x[p + 3], y[p + 3], z[p + 3]), v3 = Vec3(vx[p + 3], vy[p + 3], vz[p + 3])
      // A lane stops at its first non-finite velocity, as in the plain loop.
      var ok0 = true, ok1 = true, ok2 = true, ok3 = true
      for _ in 0..<steps {
        if ok0 { step(&r0, &v0); ok0 = Self.isFinite(v0) }
        if ok1 { step(&r1, &v1); ok1 = Self.isFinite(v1) }
        if ok2 { step(&r2, &v2); ok2 = Self.isFinite(v2) }
        if ok3 { step(&r3, &v3); ok3 = Self.isFinite(v3) }
      }
      store(p, r0, v0)
      store(p + 1, r1, v1)
      store(p + 2, r2, v2)
      store(p + 3, r3, v3)
      p += 4
    }
    while p < n {
      var r = Vec3(x[p], y[p], z[p]), v = Vec3(vx[p], vy[p], vz[p])
      for _ in 0..<steps {
        step(&r, &v)
        if !Self.isFinite(v) { break }
      }
      store(p, r, v)
      p += 1
    }
    return firstBad
  }

  /// The kernel behind `BorisPusher.advance`: groups of `BorisPusher.pipelineWidth` particles,
  /// each group loaded into stack storage, stepped round-robin `steps` times and stored once.
  /// A particle stops at its first non-finite velocity (as in the plain loop, so a NaN position
  /// is never sampled) and is then not stored; the first such index is returned.
  @inlinable @inline(__always)
  mutating func advanceRoundRobin(
    steps: Int, prefetch: (Vec3) -> Void, _ step: (inout Vec3, inout Vec3) -> Void
  ) -> Int? {
    var firstBad: Int? = nil
    let n = count
    var start = 0
    while start < n {
      let lanes = Swift.min(BorisPusher.pipelineWidth, n - start)
      var rx = InlineArray<16, Double>(repeating: 0), ry = InlineArray<16, Double>(repeating: 0)
      var rz = InlineArray<16, Double>(repeating: 0), ux = InlineArray<16, Double>(repeating: 0)
      var uy = InlineArray<16, Double>(repeating: 0), uz = InlineArray<16, Double>(repeating: 0)
      var live = InlineArray<16, Bool>(repeating: false)
      for l in 0..<lanes {
        let p = start + l
        (rx[l], ry[l], rz[l]) = (x[p], y[p], z[p])
        (ux[l], uy[l], uz[l]) = (vx[p], vy[p], vz[p])
        live[l] = true
        prefetch(Vec3(rx[l], ry[l], rz[l]))
      }
      for _ in 0..<steps {
        for l in 0..<lanes where live[l] {
          var r = Vec3(rx[l], ry[l], rz[l]), v = Vec3(ux[l], uy[l], uz[l])
          step(&r, &v)
          (rx[l], ry[l], rz[l]) = (r.x, r.y, r.z)
          (ux[l], uy[l], uz[l]) = (v.x, v.y, v.z)
          if Self.isFinite(v) { prefetch(r) } else { live[l] = false }
        }
      }
      for l in 0..<lanes {
        let p = start + l
        let r = Vec3(rx[l], ry[l], rz[l]), v = Vec3(ux[l], uy[l], uz[l])
        if Self.isFinite(r, v) {
          (x[p], y[p], z[p]) = (r.x, r.y, r.z)
          (vx[p], vy[p], vz[p]) = (v.x, v.y, v.z)
        } else if firstBad == nil {
          firstBad = p
        }
      }
      start += lanes
    }
    return firstBad
  }
}

/// Step-size rules of docs/physics.md §4.3: Δt = min(φ/Ω_max, f·Δx_min/v).
///
/// Defaults: φ = Ω_max Δt = 0.1 rad with Ω_max = |b|_max/R and |b|_max = 1 + 4σ (σ = δB_rms/B₀;
/// a Gaussian field's |δb| exceeds 4σ at a negligible fraction of points), and f = 1/4 of the
/// smallest grid spacing (no cell skipped by trilinear interpolation).
public struct StepRule: Sendable, Hashable, Codable {
  /// Ω_max Δt in radians (default 0.1, ≈ 63 steps per gyration in |b|_max).
  public var phasePerStep: Double
  /// |b|_max in B₀.
  public var fieldStrengthBound: Double
  /// Smallest grid spacing in L (nil for analytic fields).
  public var cellSize: Double?
  /// Cells a particle may cross per step (default 0.25; up to `largestCellFraction`). Above 1
  /// the step no longer keeps the orbit inside each cell it passes: the gyration stays resolved
  /// by `phasePerStep`, but field structure of wavenumber k is sampled every k v Δt radians along
  /// the orbit, ≈ π/2 · cellFraction at k = Nyquist/2 (docs/physics.md §4.3).
  public var cellFraction: Double
  /// The largest `cellFraction` accepted.
  public static let largestCellFraction = 16.0
  /// The largest |ω| of a moving field's waves (c/L; 0 for static fields): Δt ≤ 0.5/ω_max, so that
  /// no wave's own phase advances more than half a radian per step. The cell rule already bounds
  /// ω_max Δt by π·cellFraction·v_ph/c ≤ 0.79 v_ph/c on a grid's wavenumbers, so this binds only
  /// where a wave's phase speed approaches c — e.g. in the tails of a wide `decorrelation` spread.
  public var maximumFrequency: Double

  public init(
    turbulenceLevel: Double, cellSize: Double?, phasePerStep: Double = 0.1, cellFraction: Double = 0.25, maximumFrequency: Double = 0
  ) {
    self.phasePerStep = phasePerStep
    self.fieldStrengthBound = 1 + 4 * max(0, turbulenceLevel)
    self.cellSize = cellSize
    self.cellFraction = cellFraction
    self.maximumFrequency = maximumFrequency
  }

  /// Δt in L/c for a particle of reduced rigidity R and speed 1.
  public func timeStep(reducedRigidity: Double) throws(OrbitError) -> Double {
    try OrbitError.require(reducedRigidity.isFinite && reducedRigidity > 0, "reduced_rigidity", reducedRigidity, "must be finite and > 0 (R = r_L/L)")
    try OrbitError.require(phasePerStep.isFinite && phasePerStep > 0 && phasePerStep <= BorisPusher.coarsestPhasePerStep,
      "phase_per_step", phasePerStep, "must lie in (0, \(BorisPusher.coarsestPhasePerStep)] rad")
    try OrbitError.require(fieldStrengthBound.isFinite && fieldStrengthBound >= 1, "field_strength_bound", fieldStrengthBound, "must be finite and ≥ 1")
    try OrbitError.require(
      cellFraction.isFinite && cellFraction > 0 && cellFraction <= Self.largestCellFraction, "cell_fraction", cellFraction,
      "must lie in (0, \(Self.largestCellFraction)]")
    var dt = phasePerStep * reducedRigidity / fieldStrengthBound
    if let cell = cellSize {
      try OrbitError.require(cell.isFinite && cell > 0, "cell_size", cell, "must be finite and > 0 (in L)")
      dt = min(dt, cellFraction * cell)
    }
    if maximumFrequency > 0 { dt = min(dt, 0.5 / maximumFrequency) }
    return dt
  }

  /// A pusher with the rule's step and field bound.
  public func pusher(reducedRigidity: Double, rotation: BorisPusher.Rotation = .standard) throws(OrbitError) -> BorisPusher {
    try BorisPusher(reducedRigidity: reducedRigidity, timeStep: timeStep(reducedRigidity: reducedRigidity),
                    rotation: rotation, fieldStrengthBound: fieldStrengthBound)
  }
}
