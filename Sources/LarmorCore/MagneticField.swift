/// The electromagnetic field a test particle sees, in code units (docs/design.md: x in L, t in L/c,
/// b = B/B₀, e = E/(c B₀)).
///
/// This is what a field *is* to the pusher: b and e at a point and a time. Conforming types are
/// immutable values shared by all threads; sampling must be pure (no locks, allocation or
/// logging), because it sits inside the particle step. Static magnetic fields conform through
/// `MagneticField`, which supplies e = 0 and ignores the time; fields of moving waves
/// (`Turbulence.PlaneWaveField`, `Turbulence.TravelingGridField`) implement this protocol
/// directly and give the ideal-MHD electric field of their modes.
public protocol ElectromagneticField: Sendable {
  /// b and e at position x (in L) and time t (in L/c). b includes the mean field.
  func fields(at x: Vec3, time t: Double) -> FieldSample

  /// The field's structure when it is one or two trilinear patterns translating rigidly along B₀
  /// (grid Alfvén waves), for the pusher's cell-cached moving kernel; nil (the default) otherwise.
  associatedtype PatternCells: PiecewiseTrilinearField = NoTrilinearCells
  var travelingPatterns: TravelingPatterns<PatternCells>? { get }
}

extension ElectromagneticField where PatternCells == NoTrilinearCells {
  @inlinable public var travelingPatterns: TravelingPatterns<NoTrilinearCells>? { nil }
}

/// b(x, t) = b₀ + δb₁(x − V₁t ẑ) [+ δb₂(x − V₂t ẑ)] and e = Σ_j −V_j ẑ × δb_j: the contract of
/// `ElectromagneticField.travelingPatterns`. `fields(at:time:)` of such a field must equal, bitwise,
/// b = meanField + δb₁ (+ δb₂) and e = 0 + V₁(δb₁_y, −δb₁_x, 0) (+ V₂(…)), each δb_j sampled at
/// (x, y, z − V_j t) through its pattern's `cell(…).value(at:)`.
public struct TravelingPatterns<Cells: PiecewiseTrilinearField>: Sendable {
  public let meanField: Vec3
  public let first: Cells
  public let firstSpeed: Double
  public let second: Cells?
  public let secondSpeed: Double
  public init(meanField: Vec3, first: Cells, firstSpeed: Double, second: Cells? = nil, secondSpeed: Double = 0) {
    self.meanField = meanField
    self.first = first
    self.firstSpeed = firstSpeed
    self.second = second
    self.secondSpeed = secondSpeed
  }
}

/// b = B/B₀ and e = E/(c B₀) at one point and time.
public struct FieldSample: Sendable, Hashable {
  public var magnetic: Vec3
  public var electric: Vec3
  @inlinable public init(magnetic: Vec3, electric: Vec3 = Vec3()) {
    self.magnetic = magnetic
    self.electric = electric
  }
}

/// A static magnetic field: b(x) with e = 0 at all times.
///
/// `sample(at:)` returns b = B/B₀ (mean field included) at a position x in units of the outer
/// scale L. The pusher takes its magnetostatic kernels for these fields (no electric kicks, |v|
/// conserved to round-off); the remaining requirements are cache and cell hints those kernels
/// use, with defaults that do nothing.
public protocol MagneticField: ElectromagneticField {
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
  /// (b(x), 0): a static magnetic field has no electric field and does not change in time.
  @inlinable public func fields(at x: Vec3, time t: Double) -> FieldSample {
    FieldSample(magnetic: sample(at: x))
  }
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

/// Uniform b and e (any constant vectors): the reference for E×B drift and acceleration tests.
public struct UniformElectromagneticField: ElectromagneticField {
  public let magnetic: Vec3
  public let electric: Vec3
  public init(magnetic: Vec3 = Vec3(0, 0, 1), electric: Vec3) {
    self.magnetic = magnetic
    self.electric = electric
  }
  @inlinable public func fields(at x: Vec3, time t: Double) -> FieldSample {
    FieldSample(magnetic: magnetic, electric: electric)
  }
}
