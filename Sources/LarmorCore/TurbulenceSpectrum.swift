/// One part of a (possibly mixed) turbulence spectrum: a mode family and its share of δB².
public struct SpectrumComponent: Sendable, Hashable {
  public let family: ModeFamily
  /// Fraction of the total variance σ² = ⟨δB²⟩/B₀² carried by this family.
  public let fraction: Double

  public init(_ family: ModeFamily, fraction: Double = 1) {
    self.family = family
    self.fraction = fraction
  }
}

/// Errors in the description of a spectrum; each names the spec key and the allowed range.
public struct SpectrumError: Error, Sendable, Hashable, CustomStringConvertible {
  public let key: String
  public let message: String
  public init(key: String, _ message: String) {
    self.key = key
    self.message = message
  }
  public var description: String { "\(key): \(message)" }
}

/// The turbulence that both the synthesis (Turbulence) and the quasi-linear solver (QuasiLinear)
/// take, so a comparison can never compare different turbulence by accident (docs/design.md).
///
/// Code units: k in 1/L, power in B₀². The spectrum is normalized so that its continuum power
/// over [k_min, k_max] is σ² = (δB_rms/B₀)², each component carrying `fraction`·σ².
public struct TurbulenceSpectrum: Sendable, Hashable {
  public let components: [SpectrumComponent]
  /// k_min in 1/L. Also sets ℓ = 1/k_min, the outer scale of the GS cone and fast-mode damping.
  public let minimumWavenumber: Double
  /// k_max in 1/L; +∞ for a spectrum without an upper cut (QLT only: a grid needs k_max below
  /// its Nyquist wavenumber).
  public let maximumWavenumber: Double
  /// δB_rms/B₀, summed over all three components.
  public let turbulenceLevel: Double
  /// fraction·σ² / ∫shape, one per component: turns each shape into a normalized density.
  public let amplitudes: [Double]

  /// The largest δB/B₀ a spectrum accepts.
  public static let maximumTurbulenceLevel = 1000.0

  public init(
    components: [SpectrumComponent], minimumWavenumber kMin: Double, maximumWavenumber kMax: Double,
    turbulenceLevel: Double
  ) throws(SpectrumError) {
    guard kMin.isFinite, kMin > 0 else { throw SpectrumError(key: "k_min", "must be a finite number > 0, got \(kMin)") }
    guard kMax > kMin else {
      throw SpectrumError(key: "k_max", "must be > k_min = \(kMin) (or inf, for QLT), got \(kMax)")
    }
    // Above 10³ the field is no longer "turbulence about B₀" in any sense the solvers use, and
    // far above it float32 grids overflow (δB/B₀ = 10³⁹ wrote a field of Inf).
    guard turbulenceLevel.isFinite, turbulenceLevel >= 0, turbulenceLevel <= Self.maximumTurbulenceLevel else {
      throw SpectrumError(key: "db_over_b0", "must be a finite number in [0, 1000], got \(turbulenceLevel)")
    }
    guard !components.isEmpty else { throw SpectrumError(key: "model", "a spectrum needs at least one mode family") }
    for c in components {
      guard c.fraction.isFinite, c.fraction >= 0, c.fraction <= 1 else {
        throw SpectrumError(key: "fractions", "each fraction must lie in [0, 1], got \(c.fraction) for \(c.family.name)")
      }
      try Self.validate(c.family)
    }
    let sum = components.reduce(0) { $0 + $1.fraction }
    guard abs(sum - 1) < 1e-9 else {
      throw SpectrumError(key: "fractions", "fractions must add up to 1, they add up to \(sum)")
    }
    let slabs = components.filter { $0.family.isSlab }.count
    guard slabs == 0 || slabs == components.count else {
      throw SpectrumError(key: "model", "slab (1D) and three-dimensional families cannot be mixed")
    }
    var amplitudes: [Double] = []
    for c in components {
      if kMax == .infinity {
        let q = c.family.inertialIndex
        guard q >= Self.smallestIndexWithoutCutoff else {
          throw SpectrumError(
            key: "k_max",
            "k_max = inf needs a spectrum whose power converges fast enough: \(c.family.name) has 1D index \(q), below \(Self.smallestIndexWithoutCutoff); give a finite k_max")
        }
      }
      let integral = c.family.continuumIntegral(minimumWavenumber: kMin, maximumWavenumber: kMax)
      guard integral > 0, integral.isFinite else {
        throw SpectrumError(key: "k_max", "\(c.family.name) has no power in [k_min, k_max] = [\(kMin), \(kMax)]")
      }
      amplitudes.append(c.fraction * turbulenceLevel * turbulenceLevel / integral)
    }
    self.components = components
    self.minimumWavenumber = kMin
    self.maximumWavenumber = kMax
    self.turbulenceLevel = turbulenceLevel
    self.amplitudes = amplitudes
  }

  /// The table of a tabulated spectrum (its one component), nil for spectra given by formulae.
  public var table: TabulatedSpectrum? {
    guard components.count == 1, case .tabulated(let t) = components[0].family else { return nil }
    return t
  }

  /// A tabulated spectrum at its own level: k_min and k_max from the table's support
  /// (`TabulatedSpectrum.smallestWavenumber`, `largestWavenumber`), δB/B₀ = √(its variance),
  /// unless `turbulenceLevel` rescales it.
  public init(tabulated table: TabulatedSpectrum, turbulenceLevel: Double? = nil) throws(SpectrumError) {
    guard table.variance > 0 else { throw SpectrumError(key: "table", "holds no power (every cell is 0)") }
    try self.init(
      .tabulated(table), minimumWavenumber: table.smallestWavenumber, maximumWavenumber: table.largestWavenumber,
      turbulenceLevel: turbulenceLevel ?? table.variance.squareRoot())
  }

  /// A single-family spectrum.
  public init(
    _ family: ModeFamily, minimumWavenumber kMin: Double, maximumWavenumber kMax: Double, turbulenceLevel: Double
  ) throws(SpectrumError) {
    try self.init(
      components: [SpectrumComponent(family)], minimumWavenumber: kMin, maximumWavenumber: kMax,
      turbulenceLevel: turbulenceLevel)
  }

  private static func validate(_ family: ModeFamily) throws(SpectrumError) {
    switch family {
    case .slab(let q):
      guard q.isFinite, q > 0, q < 10 else { throw SpectrumError(key: "index", "slab index q must lie in (0, 10), got \(q)") }
    case .isotropic(let s):
      guard s.isFinite, s > 0, s < 10 else { throw SpectrumError(key: "index", "isotropic index must lie in (0, 10), got \(s)") }
    case .alfven(let gs), .slow(let gs):
      guard gs.machNumber.isFinite, gs.machNumber > 0, gs.machNumber <= 100 else {
        throw SpectrumError(key: "mach", "Alfvén Mach number M_A must lie in (0, 100], got \(gs.machNumber)")
      }
      guard gs.parallelFloorFactor.isFinite, gs.parallelFloorFactor >= 0 else {
        throw SpectrumError(key: "k_par_min", "the |k_∥| floor must be finite and ≥ 0, got \(gs.parallelFloorFactor) k_min")
      }
    case .fast(let f):
      guard f.index.isFinite, f.index > 0, f.index < 10 else {
        throw SpectrumError(key: "index", "fast-mode index must lie in (0, 10), got \(f.index)")
      }
      if let s = f.damping.sharpCutoff, !(s.isFinite && s > 0) {
        throw SpectrumError(key: "fast_cutoff", "must be a finite k_c ℓ > 0, got \(s)")
      }
    case .tabulated(let table):
      guard table.variance > 0 else { throw SpectrumError(key: "table", "holds no power (every cell is 0)") }
    }
  }

  /// k_max lowered to an isotropic fast-mode truncation k_c, where one applies to every component
  /// (the largest wavenumber that carries power), in 1/L.
  public var effectiveMaximumWavenumber: Double {
    var upper = 0.0
    for c in components {
      if case .fast(let f) = c.family, let sharp = f.damping.sharpCutoff {
        upper = max(upper, min(maximumWavenumber, sharp * minimumWavenumber))
      } else {
        upper = maximumWavenumber
      }
    }
    return upper
  }

  /// log₁₀ of the share of σ² that `integrationCeiling` may leave out: 10⁻¹⁶.
  public static let neglectedPowerExponent = -16.0

  /// Smallest 1D index q (E(k) ∝ k^(−q)) allowed with k_max = ∞: the ceiling below must stay
  /// within e^650 k_min, i.e. 16 ln 10/(q − 1) ≤ 650.
  public static let smallestIndexWithoutCutoff = 1 + 16 * Double.log(10) / 650

  /// The largest wavenumber a quadrature of this spectrum needs (1/L): k_max when finite; for
  /// k_max = ∞ the k_c beyond which every component carries at most 10⁻¹⁶ of its power,
  /// (k_c/k_min)^(1−q) = 10⁻¹⁶ with the shallowest component's 1D index q (for GS families the
  /// reference is k_⊥,min). Resonances with k_∥ > k_c (|μ| < 1/(r_L k_c), ~10⁻²⁰ and below) are
  /// the only other thing left out.
  public var integrationCeiling: Double {
    guard maximumWavenumber == .infinity else { return maximumWavenumber }
    var logRange = 0.0
    for c in components {
      var reference = minimumWavenumber
      if case .alfven(let gs) = c.family { reference *= max(1, gs.perpendicularCutoffFactor) }
      if case .slow(let gs) = c.family { reference *= max(1, gs.perpendicularCutoffFactor) }
      let span = -Self.neglectedPowerExponent * Double.log(10) / (c.family.inertialIndex - 1)
      logRange = max(logRange, Double.log(reference / minimumWavenumber) + span)
    }
    return minimumWavenumber * Double.exp(logRange)
  }

  /// σ² = ⟨δB²⟩/B₀².
  public var variance: Double { turbulenceLevel * turbulenceLevel }

  /// True when the spectrum lives on the k_⊥ = 0 line (slab families).
  public var isSlab: Bool { components.first?.family.isSlab ?? false }

  /// Normalized power per polarization at k: a density per d³k (B₀² L³) for 3D spectra, the
  /// 1D density g(k_z)/2 per polarization (B₀² L) for slab spectra, with ∫ = σ² over the support.
  @inlinable public func powerDensity(at k: Vec3) -> PolarizedPower {
    var power = PolarizedPower.zero
    for i in components.indices {
      power = power + components[i].family.shape(
        at: k, minimumWavenumber: minimumWavenumber, maximumWavenumber: maximumWavenumber) * amplitudes[i]
    }
    return power
  }

  /// Expected variance ⟨|B_k|²⟩ of the grid mode at k for Fourier spacings Δk (1/L per axis):
  /// density × Δk_xΔk_yΔk_z, or g(k_z)Δk_z for slab spectra. This is the discrete spectrum that
  /// synthesis draws from and that QLT sums over in its discrete-mode form.
  @inlinable public func modeVariance(at k: Vec3, spacing Δk: Vec3) -> PolarizedPower {
    powerDensity(at: k) * (isSlab ? Δk.z : Δk.x * Δk.y * Δk.z)
  }
}
