/// A 3-vector of code-unit quantities (positions in L, wave vectors in 1/L, fields in B₀).
/// The mean field B₀ points along +z, so `.z` is the parallel component throughout Larmor.
public typealias Vec3 = SIMD3<Double>

extension SIMD3 where Scalar == Double {
  /// Euclidean dot product.
  @inlinable public func dot(_ other: Vec3) -> Double { (self * other).sum() }

  /// Right-handed cross product self × other.
  @inlinable public func cross(_ other: Vec3) -> Vec3 {
    Vec3(
      y * other.z - z * other.y,
      z * other.x - x * other.z,
      x * other.y - y * other.x)
  }

  /// Euclidean length.
  @inlinable public var length: Double { dot(self).squareRoot() }

  /// Length of the component perpendicular to B₀ (the x–y part).
  @inlinable public var perpendicularLength: Double { (x * x + y * y).squareRoot() }
}
