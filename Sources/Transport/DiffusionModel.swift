import Foundation
import LarmorCore

/// Phenomenological power law D(𝓡) = D₀ β^η (𝓡/𝓡₀)^δ.
///
/// Typical values for B/C: D₀ ≈ 3–5 × 10²⁸ cm²/s at 𝓡₀ = 10 GV for H = 4 kpc, δ ≈ 0.4–0.5
/// (e.g. Génolini et al. 2019, PRD 99, 123028; Evoli et al. 2019, PRD 99, 103023).
public struct PowerLawDiffusion: DiffusionModel, Encodable, Equatable {
  /// D₀ in cm²/s at the reference rigidity.
  public let normalization: Double
  /// Reference rigidity 𝓡₀ in GV.
  public let referenceRigidityGV: Double
  /// Power-law index δ (dimensionless).
  public let index: Double
  /// Exponent η of the β factor (0 or 1 in practice).
  public let speedExponent: Double

  /// Validated power law.
  /// - Parameters:
  ///   - normalization: D₀ in cm²/s, finite and > 0.
  ///   - referenceRigidityGV: 𝓡₀ in GV, finite and > 0.
  ///   - index: δ, finite, in [−1, 2].
  ///   - speedExponent: η, finite, in [−5, 5].
  public init(
    normalization: Double, referenceRigidityGV: Double = 10, index: Double,
    speedExponent: Double = 0
  ) throws(TransportError) {
    try Validate.positive(normalization, "diffusion.normalization", unit: " cm²/s")
    try Validate.positive(referenceRigidityGV, "diffusion.referenceRigidityGV", unit: " GV")
    try Validate.within(index, "diffusion.index", -1, 2)
    try Validate.within(speedExponent, "diffusion.speedExponent", -5, 5)
    self.normalization = normalization
    self.referenceRigidityGV = referenceRigidityGV
    self.index = index
    self.speedExponent = speedExponent
  }

  /// D₀ (𝓡/𝓡₀)^δ in cm²/s, 𝓡 in GV.
  public func coefficient(rigidityGV: Double) -> Double {
    normalization * pow(rigidityGV / referenceRigidityGV, index)
  }
}

/// A constant diffusion coefficient D in cm²/s (used for the two-zone worked example).
public struct ConstantDiffusion: DiffusionModel, Encodable, Equatable {
  /// D in cm²/s.
  public let value: Double

  /// - Parameter value: D in cm²/s, finite and > 0.
  public init(_ value: Double) throws(TransportError) {
    try Validate.positive(value, "diffusion.value", unit: " cm²/s")
    self.value = value
  }

  public func coefficient(rigidityGV: Double) -> Double { value }
}
