import Foundation

/// Ionization and Coulomb energy losses of nuclei in the interstellar gas
/// (Mannheim & Schlickeiser 1994, A&A 286, 983, as used in GALPROP, Strong & Moskalenko 1998,
/// ApJ 509, 212) [lit]:
///
///   −dE/dt|ion  = 1.82×10⁻⁷ eV/s · Z² n_neutral [1 + 0.0185 ln β · θ(β − β₀)] 2β²/(β₀³ + 2β³),
///                 β₀ = 0.01, with n_neutral = n_H (1 + 2f) counting He as two H-like electrons;
///   −dE/dt|Coul = 3.08×10⁻⁷ eV/s · Z² n_e β²/(x_m³ + β³),  x_m = 0.0286 (T_e/2×10⁶ K)^½,
///
/// with E the total kinetic energy of the nucleus.
public enum EnergyLosses {
  /// Rate of change of momentum per nucleon, −d(p/A)/dt in GeV/c per s (≥ 0), for `nucleus` with
  /// momentum per nucleon p/A (GeV/c) in gas `disk` (its densities, not its thickness).
  public static func momentumLossRate(
    _ nucleus: Nucleus, momentumPerNucleon π: Double, disk: GalacticDisk
  )
    -> Double
  {
    let β = Kinematics.speed(momentumPerNucleon: π)
    let z2 = Double(nucleus.chargeNumber * nucleus.chargeNumber)
    let β0 = 0.01
    let neutral = disk.hydrogenDensity * (1 + 2 * disk.heliumToHydrogenRatio)
    let logTerm = β > β0 ? 1 + 0.0185 * log(β) : 1
    let ionization = 1.82e-7 * z2 * neutral * logTerm * 2 * β * β / (β0 * β0 * β0 + 2 * β * β * β)
    let xm = 0.0286 * (disk.electronTemperatureKelvin / 2.0e6).squareRoot()
    let coulomb = 3.08e-7 * z2 * disk.electronDensity * β * β / (xm * xm * xm + β * β * β)
    let energyPerNucleonRate =
      (ionization + coulomb) * TransportConstants.electronvoltInGeV / Double(nucleus.massNumber)
    return energyPerNucleonRate / β  // dE/d(p/A) = β
  }
}
