import LarmorCore
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the width Δ² of the Gaussian resonance depends on the Alfvén Mach number (docs/physics.md
/// §3.4, trap 3).
public enum BroadeningConvention: String, Sendable, Hashable, CaseIterable {
  /// Δ² = M_A: Yan & Lazarian (2008) and the Nov-2020 notebook of Fornieri et al. (2021).
  case yanLazarian = "M_A"
  /// Δ² = 2M_A: the 2023 revision of the Fornieri et al. code ("factor 2 missing in YL08").
  case doubled = "2M_A"

  /// Δ² for Alfvén Mach number M_A.
  public func widthSquared(machNumber: Double) -> Double {
    switch self {
    case .yanLazarian: machNumber
    case .doubled: 2 * machNumber
    }
  }
}

/// The resonance function R_n of quasi-linear theory (docs/physics.md §3.1, §3.4).
public enum ResonanceFunction: Sendable, Hashable {
  /// Unperturbed helical orbits: R_n(x) = π δ(x), x = k_∥vμ − ω + nΩ.
  case sharp
  /// Resonance broadened by magnetic mirroring (Yan & Lazarian 2008):
  /// R_n = √π/(|k_∥| v_⊥ Δ) · exp[−x²/(k_∥² v_⊥² Δ²)], whose integral over x is π, so that
  /// R_n → π δ(x) as Δ → 0. The associated value is Δ² (dimensionless).
  case gaussian(widthSquared: Double)

  /// The Gaussian resonance of Yan & Lazarian for Alfvén Mach number M_A.
  public static func broadened(machNumber: Double, convention: BroadeningConvention = .yanLazarian) -> Self {
    .gaussian(widthSquared: convention.widthSquared(machNumber: machNumber))
  }

  /// Δ (not squared); 0 for the sharp resonance.
  public var width: Double {
    switch self {
    case .sharp: 0
    case .gaussian(let d2): d2.squareRoot()
    }
  }
}

/// The finite-time resonance kernel (docs/physics.md §3.1): π δ(x) → F_t(x)/(2t) with
/// F_t(x) = 4 sin²(xt/2)/x², which makes D_μμ(t) = ⟨Δμ²⟩(t)/(2t) along unperturbed orbits.
/// x in c/L, t in L/c; returns F_t(x)/(2t) in L/c.
@inlinable public func finiteTimeResonance(_ x: Double, time t: Double) -> Double {
  let half = x * t / 2
  if abs(half) < 1e-4 { return t / 2 * (1 - half * half / 3) }
  let s = sin(half)
  return 2 * s * s / (x * x * t)
}

/// Which gyroharmonics n the solver sums.
public enum HarmonicSelection: Sendable, Hashable {
  /// What each family needs: slab ±1 (the only nonzero terms for k_⊥ = 0); isotropic: every
  /// n ≠ 0 until the truncation criterion; Alfvén ±1 (Yan & Lazarian); slow and fast 0, ±1.
  case automatic
  /// |n| ≤ N for every family (n = 0 included).
  case upTo(Int)
}

/// Which quasi-linear coefficient the solver integrates. For a wave of frequency ω the orbit
/// equations (code units, e = E/B₀ with E = −δu × B₀, so e ⊥ B₀) are
///
///     dμ/dt = −Ω T[δb_⊥ + μ δu_⊥/v],   (1/p) dp/dt = (Ω/v) T[δu_⊥],
///
/// with T[a] = √(1−μ²)(a_x sin φ − a_y cos φ) at gyrophase φ. Faraday's law k × e = ω δb with
/// e_z = 0 gives δu_⊥ = −(ω/k_∥) δb_⊥ for every ideal-MHD mode, so each resonance node of the
/// magnetostatic integrand is weighted by a function of ε = ω/(k_∥v) alone:
/// (1 − με)² for D_μμ with the electric field, ε² for D_pp/p². With ε fixed by the resonance,
/// n = 0 gives ε = μ: D_μμ^TTD ∝ (1 − μ²)², D_pp^TTD ∝ μ² (`finiteTimeWaveCoefficients` sums the
/// same weights wave by wave).
public enum QuasiLinearCoefficient: String, Sendable, Hashable, CaseIterable {
  /// D_μμ (c/L) with the electric field dropped: the magnetostatic weight at the Doppler-shifted
  /// resonance (Yan & Lazarian 2008; Fornieri et al. 2021). The solver's default.
  case pitchAngle = "dmumu"
  /// D_μμ (c/L) with each wave's electric field: weight (1 − με)².
  case pitchAngleWithElectricField = "dmumu_with_e"
  /// D_pp/p² (c/L): weight ε². Zero for magnetostatic families.
  case momentum = "dpp"

  /// The weight of one resonance node with ε = ω/(k_∥v), for pitch cosine μ.
  @inlinable public func weight(cosine μ: Double, phaseSpeedRatio ε: Double) -> Double {
    switch self {
    case .pitchAngle: 1
    case .pitchAngleWithElectricField: (1 - μ * ε) * (1 - μ * ε)
    case .momentum: ε * ε
    }
  }
}

/// Numerical and physical options of the pitch-angle solver.
public struct SolverSettings: Sendable, Hashable {
  /// Sharp (δ) or Gaussian-broadened resonance.
  public var resonance: ResonanceFunction
  /// Gyroharmonics to sum.
  public var harmonics: HarmonicSelection
  /// Fast-mode phase speed v_A in c: ω = ±k v_A in every resonance of fast modes. 0 makes the
  /// fast modes magnetostatic (no TTD at μ ≠ 0 with the sharp resonance).
  public var alfvenSpeed: Double
  /// Slow-mode phase speed in c (ω = ±k_∥ v_s; c_s at low β, v_A at high β). The default 0 is
  /// the magnetostatic limit used to compare with static synthetic fields (docs/physics.md trap 11).
  public var slowPhaseSpeed: Double
  /// Alfvén-wave phase speed along B₀ in c (ω = ±k_∥ v, balanced directions). The default 0 is
  /// the Yan & Lazarian choice (ω_A neglected in R_n); moving field specs set v_A.
  public var alfvenWavePhaseSpeed: Double = 0
  /// Balance of the two propagation directions of moving families, σ_c ∈ [−1, 1]: the waves with
  /// ω/k_∥ > 0 (along +B₀) carry the power share (1 + σ_c)/2. 0 (balanced) is the default.
  public var crossHelicity: Double = 0
  /// The coefficient integrated: D_μμ without or with the waves' electric field, or D_pp/p².
  public var coefficient: QuasiLinearCoefficient = .pitchAngle
  /// Bessel weights: start of phase averaging (see `BesselWeights`); `.infinity` = exact.
  public var besselAveragingThreshold: Double
  /// Grid refinement: panel widths are divided by this factor (2 = the doubling check).
  public var refinement: Double
  /// Truncation of the isotropic harmonic sum. The terms t_n decay as a power law at large n,
  /// so the remainder Σ_{n′>n} t_{n′} is estimated from the law through the last two terms,
  /// t_n′ = t_n (n′/n)^(−p) (midpoint integral, up to the last resonant order for a sharp
  /// resonance), and added: C_n = S_n + T_n. The sum stops, returning C_n, after three
  /// consecutive orders with n·|C_n − C_{n−1}| ≤ this fraction of C_n (the drift still to come
  /// when the estimate's error falls off as a power of n), or when k_∥ = |n|Ω/v|μ| leaves the
  /// spectrum (sharp; then S_n is exact). Adding orders then changes D_μμ by ≲ this fraction.
  /// Deviation from docs/physics.md §3.6 ("truncate when terms drop below ~1e-6 of the total"):
  /// that rule leaves a remainder ~ n·t_n/(p − 1), 1e-4 of D_μμ at tolerance 1e-6.
  public var harmonicTolerance: Double
  /// Panel layout and stopping rules of the quadratures (`.standard` or the tightly
  /// converged `.reference`).
  public var resolution: QuadratureResolution

  public init(
    resonance: ResonanceFunction = .sharp, harmonics: HarmonicSelection = .automatic, alfvenSpeed: Double = 0,
    slowPhaseSpeed: Double = 0, besselAveragingThreshold: Double = 40, refinement: Double = 1,
    harmonicTolerance: Double = 1e-8, resolution: QuadratureResolution = .standard
  ) {
    self.resonance = resonance
    self.harmonics = harmonics
    self.alfvenSpeed = alfvenSpeed
    self.slowPhaseSpeed = slowPhaseSpeed
    self.besselAveragingThreshold = besselAveragingThreshold
    self.refinement = refinement
    self.harmonicTolerance = harmonicTolerance
    self.resolution = resolution
  }
}

/// e^(−u²), skipping the call where it underflows to exactly 0 (u² ≥ 746): glibc's exp takes a
/// slow path there, which was ≈ 7 % of a D(R) curve (perf). Bitwise the same value.
@inline(__always)
func gaussian(_ u: Double) -> Double {
  let x = u * u
  return x < 746 ? fastExp(-x) : 0
}

extension SolverSettings {
  /// The settings with a moving field's motion in the resonances: fast modes ω = ±k v_A (the
  /// solver's low-β form), Alfvén waves ω = ±k_∥ v_A (balanced), slow modes ω = ±k_∥ c_T with the
  /// cusp speed c_T = c_s v_A/√(c_s² + v_A²), the parallel phase speed of the nearly perpendicular
  /// slow modes of a GS cascade.
  public func moving(_ motion: WaveMotion) -> SolverSettings {
    var s = self
    s.alfvenSpeed = motion.alfvenSpeed
    s.alfvenWavePhaseSpeed = motion.alfvenSpeed
    let (a, c) = (motion.alfvenSpeed, motion.soundSpeed)
    s.slowPhaseSpeed = a * c / (a * a + c * c).squareRoot()
    s.crossHelicity = motion.crossHelicity
    return s
  }

  /// These settings integrating `coefficient` instead.
  public func integrating(_ coefficient: QuasiLinearCoefficient) -> SolverSettings {
    var s = self
    s.coefficient = coefficient
    return s
  }

  /// The weight of the wave direction s = ±1 (ω/k_∥ of sign s) at a resonance node with
  /// ε = ω/(k_∥v): twice its power share, 1 + sσ_c, times `coefficient`'s weight. 1 for the
  /// pitch-angle coefficient of balanced waves, exactly.
  @inlinable func directionWeight(_ s: Double, cosine μ: Double, phaseSpeedRatio ε: Double) -> Double {
    (1 + s * crossHelicity) * coefficient.weight(cosine: μ, phaseSpeedRatio: ε)
  }
}
