import LarmorCore

/// Physical constants used by the transport model, in CGS and GeV units.
///
/// Values: CODATA 2018 (masses, atomic mass unit) and IAU 2012 (parsec through `LarmorCore.Units`).
public enum TransportConstants {
  /// One kiloparsec in cm (10³ × `Units.parsecInCentimetres`).
  public static let kiloparsecInCentimetres = 1.0e3 * Units.parsecInCentimetres

  /// One parsec in cm (re-exported from `LarmorCore.Units`).
  public static let parsecInCentimetres = Units.parsecInCentimetres

  /// Speed of light in cm/s (re-exported from `LarmorCore.Units`).
  public static let speedOfLightCentimetresPerSecond = Units.speedOfLightCentimetresPerSecond

  /// One millibarn in cm² (10⁻²⁷ cm²).
  public static let millibarnInSquareCentimetres = 1.0e-27

  /// Proton mass in g (CODATA 2018; `Units.protonMassGrams`).
  public static let protonMassGrams = Units.protonMassGrams

  /// Atomic mass unit in g (CODATA 2018).
  public static let atomicMassUnitGrams = 1.660_539_067e-24

  /// Atomic mass unit in GeV/c² (CODATA 2018: 931.494 MeV). Used as the mass per nucleon of every
  /// nucleus (binding-energy differences, < 1%, neglected), so that nuclei with the same momentum
  /// per nucleon have the same speed.
  public static let atomicMassUnitGeV = Units.atomicMassUnitGigaelectronvolts

  /// Mass of a hydrogen atom in g (1.00784 u).
  public static let hydrogenAtomMassGrams = 1.007_84 * atomicMassUnitGrams

  /// Mass of a helium atom in g (4.002602 u).
  public static let heliumAtomMassGrams = 4.002_602 * atomicMassUnitGrams

  /// One electronvolt in GeV.
  public static let electronvoltInGeV = 1.0e-9

  /// One year in s (Julian year).
  public static let yearInSeconds = 3.155_76e7
}
