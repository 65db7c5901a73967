import LarmorCore

/// How `EnsembleRunner` advances one batch through one sample interval in a field, and what
/// its observers see of that field. Two kernels exist: `MagnetostaticKernel` for static magnetic
/// fields (the cell-cached, prefetching and four-way loops, all bitwise the plain Boris loop) and
/// `MovingFieldKernel` for fields with time dependence and an electric field.
public protocol StepKernel: Sendable {
  /// Advances `batch` by `steps` steps from step `firstStep` (time firstStep·Δt); returns the
  /// first particle whose state turned non-finite (left unstored), or nil.
  func advance(_ batch: inout ParticleBatch, steps: Int, firstStep: Int) -> Int?
  /// Replays particle `p` of `batch` (its state at step `firstStep`) to find the 1-based step at
  /// which it turned non-finite, and whether the field sample there was non-finite.
  func locateNonFinite(_ batch: ParticleBatch, _ p: Int, firstStep: Int, steps: Int) -> (step: Int, fieldWasNonFinite: Bool)
  /// b = B/B₀ at x (L) and time t (L/c), for the observers' local pitch.
  func magneticField(at x: Vec3, time: Double) -> Vec3
}

/// The kernel for static magnetic fields: `BorisPusher.advanceFastest`.
public struct MagnetostaticKernel<F: MagneticField>: StepKernel {
  public let pusher: BorisPusher
  public let field: F
  public init(pusher: BorisPusher, field: F) {
    self.pusher = pusher
    self.field = field
  }
  @inlinable public func advance(_ batch: inout ParticleBatch, steps: Int, firstStep: Int) -> Int? {
    pusher.advanceFastest(&batch, steps: steps, in: field)
  }
  public func locateNonFinite(_ batch: ParticleBatch, _ p: Int, firstStep: Int, steps: Int) -> (step: Int, fieldWasNonFinite: Bool) {
    pusher.locateNonFinite(position: batch.position(p), velocity: batch.direction(p), steps: steps, in: field)
  }
  @inlinable public func magneticField(at x: Vec3, time: Double) -> Vec3 { field.sample(at: x) }
}

/// The kernel for moving fields: `BorisPusher.advanceMovingCellCached` for travelling grid
/// patterns, else `advanceMoving` (electric half-kicks, momentum changes, field sampled at each
/// step's time); both are bitwise `advanceMovingPlain`.
public struct MovingFieldKernel<F: ElectromagneticField>: StepKernel {
  public let pusher: BorisPusher
  public let field: F
  public init(pusher: BorisPusher, field: F) {
    self.pusher = pusher
    self.field = field
  }
  @inlinable public func advance(_ batch: inout ParticleBatch, steps: Int, firstStep: Int) -> Int? {
    pusher.advanceMovingCellCached(&batch, steps: steps, firstStep: firstStep, in: field)
  }
  public func locateNonFinite(_ batch: ParticleBatch, _ p: Int, firstStep: Int, steps: Int) -> (step: Int, fieldWasNonFinite: Bool) {
    pusher.locateNonFinite(
      position: batch.position(p), velocity: batch.direction(p), momentum: batch.momentum[p], firstStep: firstStep,
      steps: steps, in: field)
  }
  @inlinable public func magneticField(at x: Vec3, time: Double) -> Vec3 { field.fields(at: x, time: time).magnetic }
}
