import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An invalid medium parameter: names the parameter, the allowed range and the value given.
public struct MediumError: Error, Sendable, Hashable, CustomStringConvertible {
  public let parameter: String
  public let allowedRange: String
  public let value: Double
  public var description: String { "\(parameter) must be \(allowedRange), got \(value)" }
}

/// Which damping truncates the fast-mode cascade (docs/physics.md §1.5).
public enum FastModeDampingModel: String, Sendable, Hashable, CaseIterable {
  /// No damping: the cascade runs to the spectrum's k_max.
  case none
  /// Collisionless (Landau) damping, β ≪ 1 form (halo).
  case collisionless
  /// Viscous (Braginskii) damping, low- or high-β form chosen by β (warm ionized medium).
  case viscous
  /// The smaller of the two cut-offs at each ξ (the disk in Fornieri et al.).
  case smallestOfBoth
}

/// An interstellar medium for the Yan & Lazarian / Fornieri et al. (2021) D(𝓡) calculation.
///
/// Physical inputs: B in μG, outer (injection) scale L in pc (ℓ of docs/physics.md: the spectra use
/// k_min = 1/L, the YL convention x = kL ≥ 1), ion density n in cm⁻³, temperature T in K, the
/// Alfvén Mach number M_A. Derived (docs/physics.md §1.5):
///   β = 3.3 (3 μG/B)² (n/1 cm⁻³)(T/10⁴ K)        (unless given explicitly),
///   v_A = 6.27×10⁵ (B/3 μG)(1 cm⁻³/n)^(1/2) cm/s,
///   lnΛ = ln(λ_D/b_min), λ_D = 0.95×10⁵ (T/10⁶ K)^(1/2)(10⁻³ cm⁻³/n)^(1/2) cm,
///         b_min = 8.63×10⁻⁸ (10⁴ K/T) cm,
///   η₀ = 6×10³ (37/lnΛ)(T/10⁸ K)^(5/2) g cm⁻¹ s⁻¹ (Spitzer 1962),
///   x_c = (6 ρ M_A² L v_A/η₀)^(2/3), ρ = n m_p.
public struct Medium: Sendable, Hashable {
  public let name: String
  /// B₀ in μG.
  public let magneticFieldMicrogauss: Double
  /// Outer scale L in pc.
  public let outerScaleParsec: Double
  /// Ion density n in cm⁻³.
  public let ionDensityPerCubicCentimetre: Double
  /// Temperature T in K.
  public let temperatureKelvin: Double
  /// Alfvén Mach number M_A at the injection scale.
  public let machNumber: Double
  /// β if given explicitly (overrides the formula).
  public let plasmaBetaOverride: Double?
  /// The fast-mode damping.
  public let damping: FastModeDampingModel
  /// Size H_zone of the region in pc, for the μ* cut (nil: no cut).
  public let confinementLengthParsec: Double?
  /// Largest wavenumber of the spectra, in units of 1/L (Fornieri et al. 2023: 10¹⁵); +∞ allowed.
  public let maximumWavenumber: Double

  public init(
    name: String, magneticFieldMicrogauss: Double, outerScaleParsec: Double, ionDensityPerCubicCentimetre: Double,
    temperatureKelvin: Double, machNumber: Double, plasmaBeta: Double? = nil, damping: FastModeDampingModel,
    confinementLengthParsec: Double? = nil, maximumWavenumber: Double = 1e15
  ) throws(MediumError) {
    func check(_ ok: Bool, _ parameter: String, _ range: String, _ value: Double) throws(MediumError) {
      if !(ok && value.isFinite) { throw MediumError(parameter: parameter, allowedRange: range, value: value) }
    }
    // Ranges wide enough for any interstellar, intracluster or stellar-wind plasma, narrow enough
    // that a unit slip (1e30 pc) is an error rather than a number.
    try check(magneticFieldMicrogauss > 0 && magneticFieldMicrogauss <= 1e6, "magnetic_field_uG", "in (0, 1e6] μG", magneticFieldMicrogauss)
    try check(outerScaleParsec > 0 && outerScaleParsec <= 1e6, "outer_scale_pc", "in (0, 1e6] pc", outerScaleParsec)
    try check(
      ionDensityPerCubicCentimetre > 0 && ionDensityPerCubicCentimetre <= 1e10, "ion_density_cm3", "in (0, 1e10] cm⁻³", ionDensityPerCubicCentimetre)
    try check(temperatureKelvin > 0 && temperatureKelvin <= 1e10, "temperature_K", "in (0, 1e10] K", temperatureKelvin)
    try check(machNumber > 0 && machNumber <= 100, "mach_alfven", "in (0, 100]", machNumber)
    if let β = plasmaBeta { try check(β > 0, "plasma_beta", "a finite number > 0", β) }
    if let H = confinementLengthParsec { try check(H > 0 && H <= 1e7, "confinement_length_pc", "in (0, 1e7] pc", H) }
    if !(maximumWavenumber > 1) {
      throw MediumError(parameter: "k_max", allowedRange: "> k_min = 1 (in units of 1/L), or inf", value: maximumWavenumber)
    }
    self.name = name
    self.magneticFieldMicrogauss = magneticFieldMicrogauss
    self.outerScaleParsec = outerScaleParsec
    self.ionDensityPerCubicCentimetre = ionDensityPerCubicCentimetre
    self.temperatureKelvin = temperatureKelvin
    self.machNumber = machNumber
    self.plasmaBetaOverride = plasmaBeta
    self.damping = damping
    self.confinementLengthParsec = confinementLengthParsec
    self.maximumWavenumber = maximumWavenumber
  }

  /// The same medium with another top of the cascade k_max (1/L; may be +∞).
  public func withMaximumWavenumber(_ kMax: Double) throws(MediumError) -> Medium {
    try Medium(
      name: name, magneticFieldMicrogauss: magneticFieldMicrogauss, outerScaleParsec: outerScaleParsec,
      ionDensityPerCubicCentimetre: ionDensityPerCubicCentimetre, temperatureKelvin: temperatureKelvin,
      machNumber: machNumber, plasmaBeta: plasmaBetaOverride, damping: damping, confinementLengthParsec: confinementLengthParsec,
      maximumWavenumber: kMax)
  }

  /// Proton mass in g (`Units.protonMassGrams`).
  public static let protonMassGrams = Units.protonMassGrams

  /// Plasma β (explicit, or 3.3 (3 μG/B)²(n/1 cm⁻³)(T/10⁴ K)).
  public var plasmaBeta: Double {
    plasmaBetaOverride
      ?? 3.3 * pow(3 / magneticFieldMicrogauss, 2) * ionDensityPerCubicCentimetre * (temperatureKelvin / 1e4)
  }

  /// v_A in cm/s.
  public var alfvenSpeedCentimetresPerSecond: Double {
    6.27e5 * (magneticFieldMicrogauss / 3) / ionDensityPerCubicCentimetre.squareRoot()
  }

  /// v_A in units of c.
  public var alfvenSpeed: Double { alfvenSpeedCentimetresPerSecond / Units.speedOfLightCentimetresPerSecond }

  /// Coulomb logarithm lnΛ = ln(λ_D/b_min).
  public var coulombLogarithm: Double {
    let debye = 0.95e5 * (temperatureKelvin / 1e6).squareRoot() * (1e-3 / ionDensityPerCubicCentimetre).squareRoot()
    let impact = 8.63e-8 * (1e4 / temperatureKelvin)
    return log(debye / impact)
  }

  /// Spitzer viscosity η₀ in g cm⁻¹ s⁻¹.
  public var viscosity: Double { 6e3 * (37 / coulombLogarithm) * pow(temperatureKelvin / 1e8, 2.5) }

  /// Viscous damping scale x_c = k_c L (dimensionless).
  public var viscousScale: Double {
    let ρ = ionDensityPerCubicCentimetre * Self.protonMassGrams
    let L = outerScaleParsec * Units.parsecInCentimetres
    return pow(6 * ρ * machNumber * machNumber * L * alfvenSpeedCentimetresPerSecond / viscosity, 2.0 / 3.0)
  }

  /// LarmorCore's damping description for the chosen model.
  public var fastModeDamping: FastModeDamping {
    let collisionless = FastModeDamping.Collisionless(plasmaBeta: plasmaBeta, machNumber: machNumber)
    switch damping {
    case .none: return .none
    case .collisionless: return FastModeDamping(collisionless: collisionless)
    case .viscous: return FastModeDamping(viscousScale: viscousScale, highBeta: plasmaBeta > 1)
    case .smallestOfBoth:
      return FastModeDamping(viscousScale: viscousScale, highBeta: plasmaBeta > 1, collisionless: collisionless)
    }
  }

  /// Alfvén-mode spectrum: CLV/GS with k_min = 1/L, normalized to ∫I = M_A⁴ (M_A ≤ 1) or 1
  /// (M_A > 1), docs/physics.md §1.3; with LarmorCore's shape this is exactly I_A of §1.3.
  public func alfvenSpectrum() throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(
      .alfven(GoldreichSridhar(machNumber: machNumber)), minimumWavenumber: 1, maximumWavenumber: maximumWavenumber,
      turbulenceLevel: machNumber <= 1 ? machNumber * machNumber : 1)
  }

  /// Slow-mode spectrum: the same GS spectrum as the Alfvén modes (I_S = I_A), ê_θ polarized.
  public func slowSpectrum() throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(
      .slow(GoldreichSridhar(machNumber: machNumber)), minimumWavenumber: 1, maximumWavenumber: maximumWavenumber,
      turbulenceLevel: machNumber <= 1 ? machNumber * machNumber : 1)
  }

  /// Fast-mode spectrum M(k) = M_A² L^(−1/2)/(8π) k^(−7/2) (docs/physics.md §1.4), truncated by
  /// damping without renormalization: TurbulenceSpectrum normalizes over its (damped)
  /// support, so σ² is set to M_A² × (damped ∫)/(undamped ∫) to keep the amplitude fixed.
  public func fastSpectrum() throws -> TurbulenceSpectrum {
    let damped = FastModes(index: 1.5, damping: fastModeDamping)
    let ratio =
      damped.continuumIntegral(minimumWavenumber: 1, maximumWavenumber: maximumWavenumber)
      / FastModes(index: 1.5).continuumIntegral(minimumWavenumber: 1, maximumWavenumber: maximumWavenumber)
    return try TurbulenceSpectrum(
      .fast(damped), minimumWavenumber: 1, maximumWavenumber: maximumWavenumber,
      turbulenceLevel: machNumber * ratio.squareRoot())
  }

  /// Galactic halo as in the public notebook of Fornieri et al. (docs/physics.md §3.5): L = 100 pc,
  /// M_A = 1, β = 0.1 (given explicitly), collisionless damping, H_zone = 5.1 kpc. The notebook
  /// values of B, n, T could not be retrieved; chosen here: B = 1 μG, n = 10⁻³ cm⁻³ (so
  /// v_A = 66 km/s), T = 10⁶ K (only used for lnΛ, not for β).
  public static let halo = try! Medium(
    name: "halo", magneticFieldMicrogauss: 1, outerScaleParsec: 100, ionDensityPerCubicCentimetre: 1e-3,
    temperatureKelvin: 1e6, machNumber: 1, plasmaBeta: 0.1, damping: .collisionless, confinementLengthParsec: 5100)

  /// Warm ionized medium of the disk. docs/physics.md gives only its damping (viscous, the smaller
  /// of viscous and collisionless at each ξ) and H_zone = 0.9 kpc; the rest is chosen here
  /// from typical WIM values: B = 3 μG, n = 0.1 cm⁻³, T = 8000 K (β = 0.26 from the formula),
  /// L = 50 pc, M_A = 0.5.
  public static let warmIonizedMedium = try! Medium(
    name: "disk-wim", magneticFieldMicrogauss: 3, outerScaleParsec: 50, ionDensityPerCubicCentimetre: 0.1,
    temperatureKelvin: 8000, machNumber: 0.5, damping: .smallestOfBoth, confinementLengthParsec: 900)
}

/// A cosmic-ray species: charge number Z and rest mass in GeV/c².
public struct ParticleSpecies: Sendable, Hashable {
  public let chargeNumber: Int
  public let massGigaelectronvolts: Double

  public init(chargeNumber: Int, massGigaelectronvolts: Double) {
    self.chargeNumber = chargeNumber
    self.massGigaelectronvolts = massGigaelectronvolts
  }

  public static let proton = ParticleSpecies(chargeNumber: 1, massGigaelectronvolts: Units.protonMassGigaelectronvolts)

  /// A fully ionized nucleus of mass number A: mass A u (`Units.atomicMassUnitGigaelectronvolts`,
  /// as in the transport model's `Nucleus`; binding energies neglected).
  public static func nucleus(chargeNumber Z: Int, massNumber A: Int) -> ParticleSpecies {
    ParticleSpecies(chargeNumber: Z, massGigaelectronvolts: Double(A) * Units.atomicMassUnitGigaelectronvolts)
  }

  /// v/c at rigidity 𝓡 (GV): p = |Z| 𝓡 GeV/c, β = p/√(p² + m²).
  public func speed(rigidityGigavolts 𝓡: Double) -> Double {
    let p = Double(abs(chargeNumber)) * 𝓡
    return p / (p * p + massGigaelectronvolts * massGigaelectronvolts).squareRoot()
  }
}
