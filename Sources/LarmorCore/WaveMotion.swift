import RealModule

/// How the modes of a spectrum move: linear MHD dispersion about B₀ = ẑ, in code units (speeds
/// in c, ω in c/L).
///
/// Every Fourier mode e^{i(k·x − ωt)} gets a frequency from its family:
///
///     Alfvén (and slab):  ω = s v_A k_∥
///     fast, slow:         ω = s sgn(k_∥) v_±(ξ) k,
///     v_±² = ½[(v_A² + c_s²) ± √((v_A² + c_s²)² − 4 v_A² c_s² ξ²)],   ξ = |k_∥|/k,
///
/// with s = +1 for waves travelling along +B₀ (parallel phase speed ω/k_∥ > 0) and −1 along −B₀.
/// Because ω(−k) = −ω(k), a real field stays real. The sound speed comes from the plasma beta,
/// β = 8πp/B₀², and the adiabatic index Γ: c_s² = (Γ/2) β v_A². A slab spectrum moves as
/// parallel Alfvén waves. The isotropic (magnetostatic Kolmogorov) family is not an MHD mode
/// family and cannot move.
///
/// `crossHelicity` σ_c = (E₊ − E₋)/(E₊ + E₋) splits each family's power between the two
/// directions: a fraction (1 + σ_c)/2 travels along +B₀; σ_c = 0 is balanced.
///
/// The electric field of each mode is the ideal-MHD E = −δu × B₀ of its linear eigenvector
/// (B₀ alone, not B₀ + δB): with that choice Faraday's law ∂b/∂t = −∇×e holds exactly for the
/// synthesized superposition, so a single travelling wave is exactly static (e′ = 0) in its de
/// Hoffmann–Teller frame, which moves at ω/k_∥ along B₀. Crossing with B₀ + δB would instead make
/// e·b = 0 exactly but break Faraday's law at second order, O(v_A δb²). Per mode this is
///
///     δb = a ê_A:  e = (ω/k_∥) a k̂_⊥ = s v_A a k̂_⊥,      δb = a ê_θ:  e = (ω/k) a ê_A,
///
/// (polarization vectors of `polarizationBasis`), i.e. k × e = ω δb.
///
/// `decorrelation` ε ≥ 0 gives the modes a finite lifetime (0, the default: undamped waves). Each
/// mode's frequency is spread normally about ω with standard deviation γ = ε|ω(k)|, so that its
/// two-time correlation, averaged over the spread, is cos(ωτ) e^{−γ²τ²/2}: the Gaussian
/// ("random-sweeping") decorrelation after about 1/γ, i.e. after 1/(2πε) wave periods. ε ≈ 1 is
/// the critical balance of GS turbulence (ω_nl ≈ ω_A at the cone), ε ≪ 1 weak turbulence. A
/// grid-free field realizes it by giving each plane wave its own frequency drawn from the spread
/// (`Turbulence.PlaneWaveField.synthesize`); every wave stays an ideal-MHD wave at that frequency
/// (e scaled with ω, so k × e = ω δb and e ⊥ B₀ still hold, and the wave is static in its own
/// de Hoffmann–Teller frame). Modes with ω = 0 (Alfvén waves at k_∥ = 0) do not decorrelate.
public struct WaveMotion: Sendable, Hashable {
  /// v_A in c, in (0, 1).
  public let alfvenSpeed: Double
  /// β = 8πp/B₀² > 0 (sets c_s; matters only for slow and fast modes).
  public let plasmaBeta: Double
  /// σ_c ∈ [−1, 1]: power fraction (1 + σ_c)/2 along +B₀.
  public let crossHelicity: Double
  /// Adiabatic index Γ (default 5/3).
  public let adiabaticIndex: Double
  /// ε ≥ 0: each mode's frequency spread (standard deviation) in units of its |ω|; 0 = undamped.
  public let decorrelation: Double

  /// Validates the parameters; errors name the spec key.
  public init(
    alfvenSpeed: Double, plasmaBeta: Double = 0.1, crossHelicity: Double = 0, adiabaticIndex: Double = 5.0 / 3,
    decorrelation: Double = 0
  ) throws(SpectrumError) {
    guard alfvenSpeed.isFinite, alfvenSpeed > 0, alfvenSpeed < 1 else {
      throw SpectrumError(key: "alfven_speed", "must lie in (0, 1) (v_A in units of c), got \(alfvenSpeed)")
    }
    guard plasmaBeta.isFinite, plasmaBeta > 0 else {
      throw SpectrumError(key: "plasma_beta", "must be finite and > 0, got \(plasmaBeta)")
    }
    guard crossHelicity.isFinite, abs(crossHelicity) <= 1 else {
      throw SpectrumError(key: "cross_helicity", "must lie in [−1, 1] (0 = balanced, +1 = all along +B₀), got \(crossHelicity)")
    }
    guard adiabaticIndex.isFinite, adiabaticIndex >= 1, adiabaticIndex <= 3 else {
      throw SpectrumError(key: "adiabatic_index", "must lie in [1, 3], got \(adiabaticIndex)")
    }
    guard decorrelation.isFinite, decorrelation >= 0, decorrelation <= 10 else {
      throw SpectrumError(key: "decorrelation", "must lie in [0, 10] (frequency spread γ/|ω|; 0 = undamped waves), got \(decorrelation)")
    }
    self.alfvenSpeed = alfvenSpeed
    self.decorrelation = decorrelation
    self.plasmaBeta = plasmaBeta
    self.crossHelicity = crossHelicity
    self.adiabaticIndex = adiabaticIndex
    guard fastSpeed(cosine: 0) < 1 else {
      throw SpectrumError(key: "plasma_beta", "gives a fast speed √(v_A² + c_s²) = \(fastSpeed(cosine: 0)) ≥ c: lower plasma_beta or alfven_speed")
    }
  }

  /// c_s = √(Γβ/2) v_A, in c.
  @inlinable public var soundSpeed: Double { (adiabaticIndex * plasmaBeta / 2).squareRoot() * alfvenSpeed }

  /// Power fraction travelling along +B₀ (s = +1) or −B₀ (s = −1).
  @inlinable public func powerFraction(direction s: Int) -> Double { (1 + Double(s) * crossHelicity) / 2 }

  /// The magnetosonic phase speeds v_± at ξ = |k_∥|/k (fast: +, slow: −), in c.
  @inlinable public func fastSpeed(cosine ξ: Double) -> Double { magnetosonic(ξ, sign: 1) }
  @inlinable public func slowSpeed(cosine ξ: Double) -> Double { magnetosonic(ξ, sign: -1) }

  @inlinable func magnetosonic(_ ξ: Double, sign: Double) -> Double {
    let a2 = alfvenSpeed * alfvenSpeed, c2 = soundSpeed * soundSpeed
    let sum = a2 + c2
    let root = max(0, sum * sum - 4 * a2 * c2 * ξ * ξ).squareRoot()
    return (max(0, (sum + sign * root) / 2)).squareRoot()
  }

  /// ω (c/L) of the mode at k of `family` travelling in direction s = ±1 along B₀; nil for a
  /// family that cannot move (isotropic, tabulated).
  @inlinable public func frequency(of family: ModeFamily, at k: Vec3, direction s: Int) -> Double? {
    let sign = Double(s)
    switch family {
    case .slab, .alfven: return sign * alfvenSpeed * k.z
    case .isotropic, .tabulated: return nil
    case .fast, .slow:
      let magnitude = k.length
      guard magnitude > 0 else { return 0 }
      let ξ = abs(k.z) / magnitude
      let speed = family.isFast ? fastSpeed(cosine: ξ) : slowSpeed(cosine: ξ)
      let along: Double = k.z > 0 ? 1 : (k.z < 0 ? -1 : (k.x > 0 || (k.x == 0 && k.y > 0) ? 1 : -1))
      return sign * along * speed * magnitude
    }
  }

  /// The electric-field amplitude vector (c B₀) of the mode at k of `family` travelling in
  /// direction s, with magnetic amplitudes a_A along ê_A and a_θ along ê_θ (B₀): k × e = ω δb
  /// (see the type documentation). Alfvén and slab waves use the Walén velocity, so e = s v_A a k̂_⊥
  /// also at k_∥ = 0; nil for a family that cannot move.
  @inlinable public func electricAmplitude(
    of family: ModeFamily, at k: Vec3, direction s: Int, alfven aA: Double, pseudo aθ: Double
  ) -> Vec3? {
    guard let ω = frequency(of: family, at: k, direction: s) else { return nil }
    let magnitude = k.length, perpendicular = k.perpendicularLength
    guard magnitude > 0 else { return Vec3() }
    let basis = polarizationBasis(k)
    guard perpendicular > 0 else {
      // k ∥ B₀ (degenerate basis): e = −(ω/k_z) ẑ × δb, the solution of k × e = ω δb ⊥ k.
      let δb = aA * basis.alfven + aθ * basis.pseudo
      return (-ω / k.z) * Vec3(0, 0, 1).cross(δb)
    }
    let parallelPhaseSpeed: Double
    switch family {
    case .alfven, .slab: parallelPhaseSpeed = Double(s) * alfvenSpeed
    default: parallelPhaseSpeed = k.z == 0 ? 0 : ω / k.z
    }
    return (ω / magnitude) * aθ * basis.alfven
      + parallelPhaseSpeed * aA * Vec3(k.x / perpendicular, k.y / perpendicular, 0)
  }
}

extension ModeFamily {
  /// True for fast modes.
  @inlinable public var isFast: Bool { if case .fast = self { true } else { false } }
}
