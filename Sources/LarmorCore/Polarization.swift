/// Power of a field at one wave vector, split over the two polarizations transverse to k.
///
/// `alfven` is the power along ê_A = (B̂₀ × k̂)/|B̂₀ × k̂| (perpendicular to both k and B₀);
/// `pseudo` the power along ê_θ = k̂ × ê_A (in the k–B₀ plane, perpendicular to k; the
/// polarization of slow and fast modes). Both are ⊥ k, so any combination is divergence-free.
/// Units follow the context: a density per d³k (B₀² L³), per dk (slab, B₀² L) or a modal variance (B₀²).
public struct PolarizedPower: Sendable, Hashable {
  public var alfven: Double
  public var pseudo: Double

  @inlinable public init(alfven: Double, pseudo: Double) {
    self.alfven = alfven
    self.pseudo = pseudo
  }

  public static let zero = PolarizedPower(alfven: 0, pseudo: 0)

  @inlinable public var total: Double { alfven + pseudo }

  @inlinable public static func + (a: Self, b: Self) -> Self {
    Self(alfven: a.alfven + b.alfven, pseudo: a.pseudo + b.pseudo)
  }

  @inlinable public static func * (a: Self, s: Double) -> Self {
    Self(alfven: a.alfven * s, pseudo: a.pseudo * s)
  }
}

/// The polarization basis (ê_A, ê_θ) of docs/physics.md §2.1 for a wave vector k (B₀ ∥ ẑ).
///
/// For k ∥ B₀ the Alfvén direction is undefined; the basis is then (ŷ, −x̂), the limit along
/// φ = 0, and callers split the power equally between the two degenerate transverse waves.
@inlinable public func polarizationBasis(_ k: Vec3) -> (alfven: Vec3, pseudo: Vec3) {
  let perpendicular = k.perpendicularLength
  let magnitude = k.length
  guard perpendicular > 0, magnitude > 0 else { return (Vec3(0, 1, 0), Vec3(-1, 0, 0)) }
  let alfven = Vec3(-k.y / perpendicular, k.x / perpendicular, 0)
  let pseudo = (k / magnitude).cross(alfven)
  return (alfven, pseudo)
}
