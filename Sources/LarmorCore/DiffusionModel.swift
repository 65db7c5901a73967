import Foundation

// D(𝓡), the quantity the quasi-linear theory (QuasiLinear) hands to the Galactic transport model
// (Transport): the protocol both sides speak and the tabulated curve that carries a computed D(𝓡)
// from one to the other without a file in between. Physical units: 𝓡 in GV, D in cm²/s.

/// A spatial diffusion coefficient as a function of rigidity, as seen by the transport model.
///
/// The seam between the theory and the Galaxy: QuasiLinear produces such curves
/// (`TabulatedDiffusion(quasiLinear:part:)`), test-particle estimates can be tabulated the same
/// way, and Transport's disk + halo model consumes any of them. Conforming types are plain
/// `Sendable` values (no closures).
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

/// A tabulated curve D(𝓡), interpolated linearly in (ln 𝓡, ln D) and extrapolated with the
/// power law of the first and last segments (from QLT or from test-particle simulations).
public struct TabulatedDiffusion: DiffusionModel, Codable, Hashable {
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
    throws(SpectrumError)
  {
    guard rigiditiesGV.count >= 2, rigiditiesGV.count == coefficients.count else {
      throw SpectrumError(
        key: "diffusion.table",
        "needs ≥ 2 (rigidity, D) points and equal counts, got \(rigiditiesGV.count) and \(coefficients.count)")
    }
    for (i, (r, d)) in zip(rigiditiesGV, coefficients).enumerated() {
      guard r.isFinite, r > 0 else { throw SpectrumError(key: "diffusion.table.rigidityGV", "row \(i): \(r) GV must be finite and > 0") }
      guard d.isFinite, d > 0 else { throw SpectrumError(key: "diffusion.table.coefficient", "row \(i): \(d) cm²/s must be finite and > 0") }
    }
    for i in 1..<rigiditiesGV.count where !(rigiditiesGV[i] > rigiditiesGV[i - 1]) {
      throw SpectrumError(key: "diffusion.table", "rigidities must increase strictly (row \(i))")
    }
    guard speedExponent.isFinite, abs(speedExponent) <= 5 else {
      throw SpectrumError(key: "diffusion.speedExponent", "\(speedExponent) must lie in [-5, 5]")
    }
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
public enum LogLogInterpolation {
  /// y(x) on the power law through the bracketing points (xs increasing, all values > 0).
  public static func value(at x: Double, abscissae xs: [Double], ordinates ys: [Double]) -> Double {
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
