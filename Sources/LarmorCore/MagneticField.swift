/// A static magnetic field in code units.
///
/// `sample(at:)` returns b = B/B₀ (mean field included) at a position x in units of the outer
/// scale L. Conforming types are immutable values shared by all threads: sampling must be pure,
/// with no locks, allocation or logging, because it sits inside the particle pusher's step.
public protocol MagneticField: Sendable {
  /// b = B/B₀ at x (x in L).
  func sample(at x: Vec3) -> Vec3

  /// A cache hint: `sample(at:)` will soon be called near x. Must not change any result.
  func prefetch(at x: Vec3)

  /// True when lookups miss the cache often enough that the pusher should issue `prefetch`
  /// hints (large grids); the hinted kernel gives bitwise the same orbits.
  var benefitsFromPrefetch: Bool { get }

  /// The field's cell structure when it is trilinear inside the cells of a lattice (grid
  /// fields), for the pusher's cell-cached kernel; nil (the default) otherwise.
  associatedtype TrilinearCells: PiecewiseTrilinearField = NoTrilinearCells
  var trilinearCells: TrilinearCells? { get }
}

extension MagneticField {
  @inlinable public func prefetch(at x: Vec3) {}
  @inlinable public var benefitsFromPrefetch: Bool { false }
}

extension MagneticField where TrilinearCells == NoTrilinearCells {
  @inlinable public var trilinearCells: NoTrilinearCells? { nil }
}

/// The `TrilinearCells` of fields without a cell structure (uninhabited).
public enum NoTrilinearCells: PiecewiseTrilinearField {
  public func sample(at x: Vec3) -> Vec3 { switch self {} }
  public var inverseCellSize: Vec3 { switch self {} }
  public func cell(_ i: Int, _ j: Int, _ k: Int) -> TrilinearCell { switch self {} }
  public func prefetchNeighbours(ofCell i: Int, _ j: Int, _ k: Int, towards di: Int, _ dj: Int) { switch self {} }
  public var trilinearCells: NoTrilinearCells? { nil }
}

/// The uniform field b = B₀ ẑ (or any constant vector): the reference for gyration tests.
public struct UniformField: MagneticField {
  public let value: Vec3
  public init(_ value: Vec3 = Vec3(0, 0, 1)) { self.value = value }
  @inlinable public func sample(at x: Vec3) -> Vec3 { value }
}
