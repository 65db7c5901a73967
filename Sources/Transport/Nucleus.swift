/// A cosmic-ray nucleus: charge number Z and mass number A, with its relativistic kinematics.
///
/// Mass per nucleon m = 1 u = 0.9315 GeV/c² for every nucleus (`TransportConstants.atomicMassUnitGeV`).
/// Kinematic variables: rigidity 𝓡 = pc/(Ze) in GV, momentum per nucleon p/A in GeV/c,
/// kinetic energy per nucleon E in GeV/n, speed β = v/c.
public struct Nucleus: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Short name, e.g. "12C".
  public let name: String
  /// Charge number Z (≥ 1).
  public let chargeNumber: Int
  /// Mass number A (≥ Z).
  public let massNumber: Int

  /// A nucleus with charge number Z and mass number A.
  public init(name: String, chargeNumber: Int, massNumber: Int) {
    self.name = name
    self.chargeNumber = chargeNumber
    self.massNumber = massNumber
  }

  public var description: String { name }

  /// ¹⁰B (stable secondary).
  public static let boron10 = Nucleus(name: "10B", chargeNumber: 5, massNumber: 10)
  /// ¹¹B (stable secondary).
  public static let boron11 = Nucleus(name: "11B", chargeNumber: 5, massNumber: 11)
  /// ¹²C (primary; carbon is treated as pure ¹²C).
  public static let carbon12 = Nucleus(name: "12C", chargeNumber: 6, massNumber: 12)
  /// ¹⁴N (primary in this model; nitrogen is treated as pure ¹⁴N).
  public static let nitrogen14 = Nucleus(name: "14N", chargeNumber: 7, massNumber: 14)
  /// ¹⁶O (primary; oxygen is treated as pure ¹⁶O).
  public static let oxygen16 = Nucleus(name: "16O", chargeNumber: 8, massNumber: 16)

  /// Mass-to-charge ratio A/Z (dimensionless).
  public var massToChargeRatio: Double { Double(massNumber) / Double(chargeNumber) }

  /// Momentum per nucleon p/A in GeV/c of a nucleus with rigidity 𝓡 (GV): p/A = 𝓡 Z/A.
  public func momentumPerNucleon(rigidityGV: Double) -> Double {
    rigidityGV / massToChargeRatio
  }

  /// Rigidity 𝓡 in GV of a nucleus with momentum per nucleon p/A (GeV/c): 𝓡 = (p/A)(A/Z).
  public func rigidity(momentumPerNucleon: Double) -> Double {
    momentumPerNucleon * massToChargeRatio
  }

  /// Kinetic energy per nucleon E (GeV/n) at rigidity 𝓡 (GV).
  public func kineticEnergyPerNucleon(rigidityGV: Double) -> Double {
    Kinematics.kineticEnergyPerNucleon(
      momentumPerNucleon: momentumPerNucleon(rigidityGV: rigidityGV))
  }

  /// Rigidity 𝓡 (GV) at kinetic energy per nucleon E (GeV/n).
  public func rigidity(kineticEnergyPerNucleon: Double) -> Double {
    rigidity(
      momentumPerNucleon: Kinematics.momentumPerNucleon(
        kineticEnergyPerNucleon: kineticEnergyPerNucleon))
  }

  /// Speed β = v/c at rigidity 𝓡 (GV).
  public func speed(rigidityGV: Double) -> Double {
    Kinematics.speed(momentumPerNucleon: momentumPerNucleon(rigidityGV: rigidityGV))
  }
}

/// Kinematics per nucleon with mass per nucleon m = 1 u (0.9315 GeV/c²).
public enum Kinematics {
  /// Mass per nucleon m in GeV/c².
  public static let nucleonMassGeV = TransportConstants.atomicMassUnitGeV

  /// Speed β = (p/A)/√((p/A)² + m²) for momentum per nucleon p/A in GeV/c.
  public static func speed(momentumPerNucleon π: Double) -> Double {
    π / (π * π + nucleonMassGeV * nucleonMassGeV).squareRoot()
  }

  /// Kinetic energy per nucleon E = √((p/A)² + m²) − m in GeV/n for p/A in GeV/c
  /// (written as (p/A)²/(√((p/A)²+m²) + m) to avoid cancellation at low energy).
  public static func kineticEnergyPerNucleon(momentumPerNucleon π: Double) -> Double {
    let m = nucleonMassGeV
    return π * π / ((π * π + m * m).squareRoot() + m)
  }

  /// Momentum per nucleon p/A = √(E(E + 2m)) in GeV/c for kinetic energy per nucleon E in GeV/n.
  public static func momentumPerNucleon(kineticEnergyPerNucleon e: Double) -> Double {
    (e * (e + 2 * nucleonMassGeV)).squareRoot()
  }
}
