import Foundation

/// A spatial diffusion coefficient as a function of rigidity, as seen by the transport model.
///
/// Conforming types are plain `Sendable` values (no closures), so a curve from quasi-linear theory
/// or from test-particle simulations can be handed over as a `TabulatedDiffusion`.
public protocol DiffusionModel: Sendable {
  /// Spatial diffusion coefficient D in cm²/s at rigidity 𝓡 (GV), for β = 1.
  func coefficient(rigidityGV: Double) -> Double

  /// Exponent η of the velocity factor: D(𝓡, β) = β^η · `coefficient(rigidityGV:)`.
  /// η = 1 is the common phenomenological choice; η = 0 (the default) ignores β.
  var speedExponent: Double { get }
}

extension DiffusionModel {
  public var speedExponent: Double { 0 }

  /// D in cm²/s at rigidity 𝓡 (GV) for a particle of speed β = v/c: β^η D(𝓡).
  public func coefficient(rigidityGV: Double, speed: Double) -> Double {
    let d = coefficient(rigidityGV: rigidityGV)
    return speedExponent == 0 ? d : d * pow(speed, speedExponent)
  }

  /// Local logarithmic slope d ln D / d ln 𝓡 (dimensionless), by a centred difference of ±1%.
  public func logarithmicSlope(rigidityGV: Double) -> Double {
    let up = coefficient(rigidityGV: rigidityGV * 1.01)
    let down = coefficient(rigidityGV: rigidityGV / 1.01)
    return log(up / down) / (2 * log(1.01))
  }
}

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

/// A tabulated curve D(𝓡), interpolated linearly in (ln 𝓡, ln D) and extrapolated with the
/// power law of the first and last segments (from QLT or from test-particle simulations).
public struct TabulatedDiffusion: DiffusionModel, Encodable, Equatable {
  /// Rigidities in GV, strictly increasing.
  public let rigiditiesGV: [Double]
  /// Coefficients in cm²/s at those rigidities.
  public let coefficients: [Double]
  /// Exponent η of the β factor.
  public let speedExponent: Double

  /// - Parameters:
  ///   - rigiditiesGV: at least two rigidities in GV, finite, > 0, strictly increasing.
  ///   - coefficients: D in cm²/s at each rigidity, finite and > 0; same count.
  ///   - speedExponent: η in [−5, 5].
  public init(rigiditiesGV: [Double], coefficients: [Double], speedExponent: Double = 0)
    throws(TransportError)
  {
    guard rigiditiesGV.count >= 2, rigiditiesGV.count == coefficients.count else {
      throw .invalidTable(
        name: "diffusion.table",
        reason:
          "needs ≥ 2 (rigidity, D) points and equal counts, got \(rigiditiesGV.count) and \(coefficients.count)"
      )
    }
    for (r, d) in zip(rigiditiesGV, coefficients) {
      try Validate.positive(r, "diffusion.table.rigidityGV", unit: " GV")
      try Validate.positive(d, "diffusion.table.coefficient", unit: " cm²/s")
    }
    for i in 1..<rigiditiesGV.count where !(rigiditiesGV[i] > rigiditiesGV[i - 1]) {
      throw .invalidTable(
        name: "diffusion.table", reason: "rigidities must increase strictly (row \(i))")
    }
    try Validate.within(speedExponent, "diffusion.speedExponent", -5, 5)
    self.rigiditiesGV = rigiditiesGV
    self.coefficients = coefficients
    self.speedExponent = speedExponent
  }

  /// Log-log interpolated D in cm²/s at 𝓡 (GV).
  public func coefficient(rigidityGV: Double) -> Double {
    LogLogInterpolation.value(at: rigidityGV, abscissae: rigiditiesGV, ordinates: coefficients)
  }
}

/// Piecewise power-law interpolation through positive points, with power-law extrapolation.
enum LogLogInterpolation {
  static func value(at x: Double, abscissae xs: [Double], ordinates ys: [Double]) -> Double {
    let n = xs.count
    var k: Int
    if x <= xs[0] {
      k = 0
    } else if x >= xs[n - 1] {
      k = n - 2
    } else {
      var lo = 0
      var hi = n - 1
      while hi - lo > 1 {
        let mid = (lo + hi) / 2
        if xs[mid] <= x { lo = mid } else { hi = mid }
      }
      k = lo
    }
    let slope = log(ys[k + 1] / ys[k]) / log(xs[k + 1] / xs[k])
    return ys[k] * pow(x / xs[k], slope)
  }
}
