import LarmorCore

/// The three linear ideal-MHD eigenmodes at one wavevector, about B₀ = ẑ (velocities in v_A,
/// α = c_s²/v_A²; docs/physics.md §2.3).
///
/// Displacements ξ ∝ e^{i(k·x − ωt)} obey ω²ξ/k² = M ξ. The Alfvén mode is ξ ∥ ê_A = ẑ × k̂_⊥ with
/// ω/k = |cos θ|. Slow and fast modes lie in the k–B₀ plane; in the basis (k̂_⊥, ẑ)
///
///     M = [[1 + α sin²θ, α sin θ cos θ], [α sin θ cos θ, α cos²θ]],
///
/// whose eigenvalues are (ω/k)² = [(1 + α) ± √((1 + α)² − 4α cos²θ)]/2 (fast +, slow −) and whose
/// eigenvectors, M being symmetric, are orthonormal (Cho & Lazarian 2003's ζ_f, ζ_s).
///
/// Each mode's fields follow from ξ: δu = −iωξ, δb = i k×(ξ×ẑ), δρ/ρ₀ = −i k·ξ. For the slow and
/// fast modes δb = i k a ξ̂ ê_θ with a = ξ̂·k̂_⊥ and ê_θ = cos θ k̂_⊥ − sin θ ẑ, so both put their
/// magnetic field along the same ê_θ: only the density (or the velocity) tells them apart.
public struct MHDEigenmodes: Sendable {
  /// ẑ × k̂_⊥: the Alfvén displacement and magnetic direction.
  public let alfven: Vec3
  /// Unit slow and fast displacements (in the k–B₀ plane, orthogonal).
  public let slow: Vec3
  public let fast: Vec3
  /// cos θ k̂_⊥ − sin θ ẑ: the magnetic direction of slow and fast modes (⊥ k).
  public let magneticPseudo: Vec3
  /// Phase speeds ω/k, in v_A.
  public let slowSpeed: Double
  public let fastSpeed: Double
  /// The k̂_⊥ components a of ξ̂_s, ξ̂_f (their δb is i k a ξ̂ ê_θ) and their k̂ components g
  /// (δρ/ρ₀ = −i k g ξ̂).
  public let slowPerpendicular: Double, fastPerpendicular: Double
  public let slowLongitudinal: Double, fastLongitudinal: Double

  /// The eigenmodes at k (any nonzero k with k_⊥ > 0) for α = c_s²/v_A² ≥ 0.
  public init(wavevector k: Vec3, soundToAlfvenSquared α: Double) {
    let kPerp = (k.x * k.x + k.y * k.y).squareRoot()
    let kk = k.length
    precondition(kPerp > 0 && kk > 0, "MHDEigenmodes needs k_⊥ > 0")
    let perp = Vec3(k.x / kPerp, k.y / kPerp, 0)
    let (s, c) = (kPerp / kk, k.z / kk)
    alfven = Vec3(-perp.y, perp.x, 0)
    magneticPseudo = Vec3(c * perp.x, c * perp.y, -s)
    let root = ((1 + α) * (1 + α) - 4 * α * c * c).squareRoot()
    let fastSquared = (1 + α + root) / 2
    let slowSquared = α * c * c / fastSquared  // the product of the eigenvalues is det M = α cos²θ
    // (M − λ)ξ = 0 from either row; the longer of the two gives the better-conditioned vector.
    let rowOne = (α * s * c, fastSquared - 1 - α * s * s)
    let rowTwo = (fastSquared - α * c * c, α * s * c)
    let n1 = (rowOne.0 * rowOne.0 + rowOne.1 * rowOne.1).squareRoot()
    let n2 = (rowTwo.0 * rowTwo.0 + rowTwo.1 * rowTwo.1).squareRoot()
    let (f0, f1) = n1 >= n2 ? (rowOne.0 / n1, rowOne.1 / n1) : (rowTwo.0 / n2, rowTwo.1 / n2)
    let (s0, s1) = (-f1, f0)
    fast = Vec3(f0 * perp.x, f0 * perp.y, f1)
    slow = Vec3(s0 * perp.x, s0 * perp.y, s1)
    fastSpeed = fastSquared.squareRoot()
    slowSpeed = max(0, slowSquared).squareRoot()
    fastPerpendicular = f0
    slowPerpendicular = s0
    fastLongitudinal = f0 * s + f1 * c
    slowLongitudinal = s0 * s + s1 * c
  }
}
