/// The thin gas disk of the 1D disk + halo model (docs/physics.md §5.1).
///
/// Gas of hydrogen number density n_H (cm⁻³) and helium n_He = f n_H fills |z| < h. Its surface
/// density is μ_d = 2 h n_H (m_H + f m_He) (g/cm²); with h = 100 pc, n_H = 1 cm⁻³, f = 0.1 this is
/// 2 · 100 pc · 1 cm⁻³ · 1.40 u = 1.44 mg/cm² (docs/physics.md quotes 1.4 m_p → 1.45 mg/cm²).
public struct GalacticDisk: Sendable, Encodable, Equatable {
  /// Half-thickness h of the gas disk in pc.
  public let halfThicknessPc: Double
  /// Hydrogen (H atoms, all phases) number density n_H in cm⁻³.
  public let hydrogenDensity: Double
  /// Helium-to-hydrogen number ratio f = n_He/n_H (0.1 by default).
  public let heliumToHydrogenRatio: Double
  /// Free-electron density n_e in cm⁻³ (Coulomb losses in ionized gas); 0.033 cm⁻³ by default.
  public let electronDensity: Double
  /// Electron temperature T_e in K of the ionized gas (Coulomb losses); 10⁴ K by default.
  public let electronTemperatureKelvin: Double

  /// - Parameters:
  ///   - halfThicknessPc: h in pc, finite and > 0.
  ///   - hydrogenDensity: n_H in cm⁻³, finite and ≥ 0.
  ///   - heliumToHydrogenRatio: f, in [0, 1].
  ///   - electronDensity: n_e in cm⁻³, finite and ≥ 0.
  ///   - electronTemperatureKelvin: T_e in K, finite and > 0.
  public init(
    halfThicknessPc: Double = 100, hydrogenDensity: Double = 1, heliumToHydrogenRatio: Double = 0.1,
    electronDensity: Double = 0.033, electronTemperatureKelvin: Double = 1.0e4
  ) throws(TransportError) {
    try Validate.positive(halfThicknessPc, "disk.halfThicknessPc", unit: " pc")
    try Validate.nonNegative(hydrogenDensity, "disk.hydrogenDensity", unit: " cm⁻³")
    try Validate.within(heliumToHydrogenRatio, "disk.heliumToHydrogenRatio", 0, 1)
    try Validate.nonNegative(electronDensity, "disk.electronDensity", unit: " cm⁻³")
    try Validate.positive(electronTemperatureKelvin, "disk.electronTemperatureKelvin", unit: " K")
    self.halfThicknessPc = halfThicknessPc
    self.hydrogenDensity = hydrogenDensity
    self.heliumToHydrogenRatio = heliumToHydrogenRatio
    self.electronDensity = electronDensity
    self.electronTemperatureKelvin = electronTemperatureKelvin
  }

  /// A disk with a prescribed surface density μ_d (g/cm²), e.g. docs/physics.md's 2.3 mg/cm²; the
  /// hydrogen density is set to n_H = μ_d / (2 h (m_H + f m_He)).
  public init(
    surfaceDensityGramsPerSquareCentimetre: Double, halfThicknessPc: Double = 100,
    heliumToHydrogenRatio: Double = 0.1
  ) throws(TransportError) {
    try Validate.positive(
      surfaceDensityGramsPerSquareCentimetre, "disk.surfaceDensity", unit: " g/cm²")
    try Validate.positive(halfThicknessPc, "disk.halfThicknessPc", unit: " pc")
    try Validate.within(heliumToHydrogenRatio, "disk.heliumToHydrogenRatio", 0, 1)
    let massPerHydrogen =
      TransportConstants.hydrogenAtomMassGrams
      + heliumToHydrogenRatio * TransportConstants.heliumAtomMassGrams
    let n =
      surfaceDensityGramsPerSquareCentimetre
      / (2 * halfThicknessPc * TransportConstants.parsecInCentimetres * massPerHydrogen)
    try self.init(
      halfThicknessPc: halfThicknessPc, hydrogenDensity: n,
      heliumToHydrogenRatio: heliumToHydrogenRatio)
  }

  /// Half-thickness h in cm.
  public var halfThicknessCentimetres: Double {
    halfThicknessPc * TransportConstants.parsecInCentimetres
  }

  /// Gas mass per hydrogen atom, m_H + f m_He, in g.
  public var massPerHydrogenAtomGrams: Double {
    TransportConstants.hydrogenAtomMassGrams
      + heliumToHydrogenRatio * TransportConstants.heliumAtomMassGrams
  }

  /// Mean mass per target particle m̄ = (m_H + f m_He)/(1 + f) in g (1.273 m_p for f = 0.1).
  public var meanTargetMassGrams: Double {
    massPerHydrogenAtomGrams / (1 + heliumToHydrogenRatio)
  }

  /// Surface density μ_d = 2 h n_H (m_H + f m_He) in g/cm².
  public var surfaceDensityGramsPerSquareCentimetre: Double {
    2 * halfThicknessCentimetres * hydrogenDensity * massPerHydrogenAtomGrams
  }

  /// Column density of hydrogen atoms through the whole disk, 2 h n_H, in cm⁻².
  public var hydrogenColumnDensity: Double {
    2 * halfThicknessCentimetres * hydrogenDensity
  }
}
