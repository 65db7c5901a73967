import LarmorCore

// The loops behind the two kernels, opened to benchmarks and tests only:
//
//     @_spi(Kernels) import Orbits
//
// The public surface of stepping is one reference step per equation of motion
// (`BorisPusher.step` for magnetostatic fields, `BorisPusher.electricStep` for moving ones) and
// one fast kernel per field kind (`MagnetostaticKernel`, `MovingFieldKernel`, what
// `EnsembleRunner` calls). Every loop below is bitwise its plain loop (OrbitsTests), so the
// choice among them is a matter of speed alone; `benchmarks/` StepTable and MovingStep measure
// them against each other and against a plain reference loop.

extension BorisPusher {
  /// The loops a magnetostatic batch can be advanced with.
  @_spi(Kernels)
  public enum Loop: String, Sendable, CaseIterable {
    /// What `MagnetostaticKernel` runs: `cellCached` for grid fields and steps of at most
    /// `cellCacheStepLimit` cells with the standard rotation, else `prefetching` for fields that
    /// benefit from a cache hint, else `fourWay`.
    case fastest
    /// Four SIMD lanes keeping their grid cells' coefficients (standard rotation, trilinear
    /// fields; `fourWay` otherwise).
    case cellCached
    /// Groups of 16 particles stepped round-robin, each new position hinted to the cache.
    case prefetching
    /// `prefetching` without the hint.
    case roundRobin
    /// Four particles interleaved in scalar registers.
    case fourWay
    /// One particle at a time: the reference the others equal bitwise.
    case plain
  }

  /// Advances `batch` by `steps` magnetostatic steps with `loop`; the first particle whose state
  /// turned non-finite (left unstored), or nil.
  @_spi(Kernels) @inlinable
  public func advance<F: MagneticField>(_ batch: inout ParticleBatch, steps: Int, in field: F, loop: Loop) -> Int? {
    switch loop {
    case .fastest: return advanceFastest(&batch, steps: steps, in: field)
    case .cellCached:
      guard let cells = field.trilinearCells else { return advance(&batch, steps: steps, in: field) }
      return advanceCellCached(&batch, steps: steps, in: cells)
    case .prefetching: return advance(&batch, steps: steps, in: field, prefetch: { field.prefetch(at: $0) })
    case .roundRobin: return advance(&batch, steps: steps, in: field, prefetch: { (_: Vec3) in })
    case .fourWay: return advance(&batch, steps: steps, in: field)
    case .plain: return advancePlain(&batch, steps: steps, in: field)
    }
  }

  /// The loops a batch in a moving field can be advanced with.
  @_spi(Kernels)
  public enum MovingLoop: String, Sendable, CaseIterable {
    /// What `MovingFieldKernel` runs: four SIMD lanes with one cached cell per travelling grid
    /// pattern (standard rotation, steps of at most `cellCacheStepLimit` cells), else `fourWay`.
    case fastest
    /// Four particles interleaved in scalar registers.
    case fourWay
    /// One particle at a time: the reference the others equal bitwise.
    case plain
  }

  /// Advances `batch` by `steps` steps through a moving field from step `firstStep` (time
  /// firstStep·Δt) with `loop`; the first particle whose state turned non-finite, or nil.
  @_spi(Kernels) @inlinable
  public func advance<F: ElectromagneticField>(
    _ batch: inout ParticleBatch, steps: Int, firstStep: Int, in field: F, loop: MovingLoop
  ) -> Int? {
    switch loop {
    case .fastest: return advanceMovingCellCached(&batch, steps: steps, firstStep: firstStep, in: field)
    case .fourWay: return advanceMoving(&batch, steps: steps, firstStep: firstStep, in: field)
    case .plain: return advanceMovingPlain(&batch, steps: steps, firstStep: firstStep, in: field)
    }
  }
}
