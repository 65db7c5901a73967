/// Force-field solar modulation (Gleeson & Axford 1968, ApJ 154, 1011; docs/physics.md §5.4):
///   J_⊕(E) = J_IS(E + Φ_A) · E(E + 2m) / [(E + Φ_A)(E + Φ_A + 2m)],  Φ_A = (|Z|/A) Φ,
/// with E the kinetic energy per nucleon (GeV/n), m the mass per nucleon and Φ in GV
/// (typically 0.4–0.8 GV; ≈ 0.7 GV for AMS-02 2011–2018).
public struct ForceFieldModulation: Sendable, Encodable, Equatable {
  /// Modulation potential Φ in GV (≥ 0).
  public let potentialGV: Double

  /// - Parameter potentialGV: Φ in GV, finite and in [0, 5].
  public init(potentialGV: Double) throws(TransportError) {
    try Validate.within(potentialGV, "modulation.potentialGV", 0, 5, unit: " GV")
    self.potentialGV = potentialGV
  }

  private init(unchecked potential: Double) { potentialGV = potential }

  /// No modulation (Φ = 0): the identity.
  public static let none = ForceFieldModulation(unchecked: 0)

  /// Energy shift per nucleon Φ_A = (|Z|/A) Φ in GeV/n for `nucleus`.
  public func energyShiftPerNucleon(_ nucleus: Nucleus) -> Double {
    potentialGV / nucleus.massToChargeRatio
  }

  /// The factor E(E + 2m)/[(E + Φ_A)(E + Φ_A + 2m)] = p²/p'² at kinetic energy per nucleon E (GeV/n).
  public func fluxFactor(kineticEnergyPerNucleon e: Double, nucleus: Nucleus) -> Double {
    let m = Kinematics.nucleonMassGeV
    let shifted = e + energyShiftPerNucleon(nucleus)
    return e * (e + 2 * m) / (shifted * (shifted + 2 * m))
  }

  /// Momentum per nucleon (GeV/c) outside the heliosphere of a nucleus observed with p/A at Earth.
  public func interstellarMomentumPerNucleon(momentumPerNucleon π: Double, nucleus: Nucleus)
    -> Double
  {
    if potentialGV == 0 { return π }
    let e = Kinematics.kineticEnergyPerNucleon(momentumPerNucleon: π)
    return Kinematics.momentumPerNucleon(
      kineticEnergyPerNucleon: e + energyShiftPerNucleon(nucleus))
  }

  /// Flux at Earth per unit kinetic energy per nucleon at E (GeV/n) from the interstellar flux
  /// per unit E/n, `interstellarFlux(E)` (any unit; the result has the same unit).
  public func earthFlux(
    kineticEnergyPerNucleon e: Double, nucleus: Nucleus, interstellarFlux: (Double) -> Double
  ) -> Double {
    interstellarFlux(e + energyShiftPerNucleon(nucleus))
      * fluxFactor(kineticEnergyPerNucleon: e, nucleus: nucleus)
  }
}
