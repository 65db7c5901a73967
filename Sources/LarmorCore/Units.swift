/// The only conversions between physical units and Larmor's code units.
///
/// Code units: lengths in the outer scale L, speeds in c, times in L/c, fields in B₀,
/// rigidity as R = r_L/L with r_L = pc/(|q|B₀). Everything else in Larmor is dimensionless.
public enum Units {
  /// Larmor radius in parsec of a particle of rigidity 1 GV in a 1 μG field:
  /// r_L = 𝓡/(cB) = 10⁹ V / (2.99792458×10⁸ m/s · 10⁻¹⁰ T) = 3.33564×10¹⁰ m = 1.08100×10⁻⁶ pc.
  public static let larmorRadiusParsecPerGigavoltMicrogauss = 3.335_640_95e10 / 3.085_677_581e16

  /// One parsec in cm.
  public static let parsecInCentimetres = 3.085_677_581e18

  /// Speed of light in cm/s.
  public static let speedOfLightCentimetresPerSecond = 2.997_924_58e10

  /// Proton mass in g (CODATA 2018): the one value the medium and the transport model share.
  public static let protonMassGrams = 1.672_621_924e-24

  /// Proton rest energy in GeV (CODATA 2018: 938.272 088 MeV).
  public static let protonMassGigaelectronvolts = 0.938_272_088

  /// Atomic mass unit in GeV/c² (CODATA 2018: 931.494 102 MeV): the mass per nucleon of nuclei in
  /// QLT (`ParticleSpecies.nucleus`) and in the transport model (`Nucleus`).
  public static let atomicMassUnitGigaelectronvolts = 0.931_494_102

  /// Larmor radius r_L in pc for rigidity 𝓡 (GV) in a field B (μG).
  public static func larmorRadiusParsec(rigidityGigavolts: Double, fieldMicrogauss: Double) -> Double {
    larmorRadiusParsecPerGigavoltMicrogauss * rigidityGigavolts / fieldMicrogauss
  }

  /// Reduced rigidity R = r_L/L for rigidity 𝓡 (GV), field B (μG) and outer scale L (pc).
  public static func reducedRigidity(
    rigidityGigavolts: Double, fieldMicrogauss: Double, outerScaleParsec: Double
  ) -> Double {
    larmorRadiusParsec(rigidityGigavolts: rigidityGigavolts, fieldMicrogauss: fieldMicrogauss)
      / outerScaleParsec
  }

  /// A spatial diffusion coefficient in code units (c·L) converted to cm²/s for L in pc.
  public static func diffusionCoefficientCentimetresSquaredPerSecond(
    codeUnits value: Double, outerScaleParsec: Double
  ) -> Double {
    value * speedOfLightCentimetresPerSecond * outerScaleParsec * parsecInCentimetres
  }
}
