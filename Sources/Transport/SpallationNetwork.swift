import Foundation

/// The C, N, O → ¹⁰B, ¹¹B spallation network in the gas of the disk.
///
/// All densities are functions of the momentum per nucleon p/A (GeV/c), which spallation
/// conserves in the straight-ahead approximation (same kinetic energy per nucleon and same speed
/// for parent and fragment). Rates are per unit disk area: Γ = v · 2h n_H · (σ_H + f σ_He) in cm/s,
/// so that a disk of surface density N(0) loses Γ N(0) nuclei per cm² per s.
/// Not included: ¹³C, ¹⁵N, secondary N from O, B from Be/Li-free chains (tertiaries other than
/// destruction), ¹¹B → ¹⁰B.
public struct SpallationNetwork: Sendable {
  /// Primaries, carbon first (their source is Q ∝ 𝓡^−γ).
  public let primaries: [Nucleus] = [.carbon12, .nitrogen14, .oxygen16]
  /// Secondaries (no source; produced by the primaries).
  public let secondaries: [Nucleus] = [.boron10, .boron11]
  /// The gas disk (column densities, helium fraction).
  public let disk: GalacticDisk
  /// Cross sections.
  public let crossSections: NuclearCrossSections

  /// A network in `disk` with `crossSections`.
  public init(disk: GalacticDisk, crossSections: NuclearCrossSections) {
    self.disk = disk
    self.crossSections = crossSections
  }

  /// All species in solution order (primaries, then secondaries).
  public var species: [Nucleus] { primaries + secondaries }

  /// Destruction rate coefficient Γ_S in cm/s at momentum per nucleon p/A (GeV/c).
  public func destructionRate(_ nucleus: Nucleus, momentumPerNucleon π: Double) -> Double {
    let e = Kinematics.kineticEnergyPerNucleon(momentumPerNucleon: π)
    let sigma = crossSections.destructionPerHydrogenAtom(
      nucleus, kineticEnergyPerNucleon: e, heliumToHydrogenRatio: disk.heliumToHydrogenRatio)
    return ratePerCrossSection(momentumPerNucleon: π) * sigma
  }

  /// Production rate coefficient Γ_{P→S} in cm/s at momentum per nucleon p/A (GeV/c).
  public func productionRate(from p: Nucleus, to s: Nucleus, momentumPerNucleon π: Double) -> Double
  {
    let e = Kinematics.kineticEnergyPerNucleon(momentumPerNucleon: π)
    let sigma = crossSections.productionPerHydrogenAtom(
      from: p, to: s, kineticEnergyPerNucleon: e, heliumToHydrogenRatio: disk.heliumToHydrogenRatio)
    return ratePerCrossSection(momentumPerNucleon: π) * sigma
  }

  /// v · 2h n_H · 1 mb in cm/s.
  func ratePerCrossSection(momentumPerNucleon π: Double) -> Double {
    Kinematics.speed(momentumPerNucleon: π) * TransportConstants.speedOfLightCentimetresPerSecond
      * disk.hydrogenColumnDensity * TransportConstants.millibarnInSquareCentimetres
  }

  /// Disk source of a primary per unit area, time and p/A, up to a global constant:
  /// Q(p/A) = q_P 𝓡^−γ d𝓡/d(p/A) = q_P 𝓡^−γ (A/Z), with 𝓡 = (p/A)(A/Z).
  public func injection(
    _ nucleus: Nucleus, momentumPerNucleon π: Double, abundance q: Double, spectralIndex γ: Double
  ) -> Double {
    let ratio = nucleus.massToChargeRatio
    return q * pow(π * ratio, -γ) * ratio
  }
}
