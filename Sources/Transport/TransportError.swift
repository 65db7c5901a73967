/// Errors thrown by the Transport target for invalid input. Every case names the offending
/// parameter (as it would appear in a model file) and the range it must lie in.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A numeric parameter is outside its allowed range (this includes NaN and ±∞).
  case invalidParameter(name: String, value: Double, allowed: String)
  /// A tabulated input (diffusion curve, cross-section table) is malformed.
  case invalidTable(name: String, reason: String)
  /// A bundled data file is missing or cannot be parsed.
  case dataFile(name: String, reason: String)

  public var description: String {
    switch self {
    case .invalidParameter(let name, let value, let allowed):
      return "invalid parameter \(name) = \(value): allowed range is \(allowed)"
    case .invalidTable(let name, let reason):
      return "invalid table \(name): \(reason)"
    case .dataFile(let name, let reason):
      return "data file \(name): \(reason)"
    }
  }
}

/// Validation helpers shared by the parameter types.
enum Validate {
  /// Requires a finite value strictly greater than zero.
  static func positive(_ value: Double, _ name: String, unit: String = "") throws(TransportError) {
    guard value.isFinite, value > 0 else {
      throw .invalidParameter(name: name, value: value, allowed: "finite and > 0" + unit)
    }
  }

  /// Requires a finite value greater than or equal to zero.
  static func nonNegative(_ value: Double, _ name: String, unit: String = "") throws(TransportError)
  {
    guard value.isFinite, value >= 0 else {
      throw .invalidParameter(name: name, value: value, allowed: "finite and ≥ 0" + unit)
    }
  }

  /// Requires a finite value in the closed interval [lower, upper].
  static func within(
    _ value: Double, _ name: String, _ lower: Double, _ upper: Double, unit: String = ""
  ) throws(TransportError) {
    guard value.isFinite, value >= lower, value <= upper else {
      throw .invalidParameter(name: name, value: value, allowed: "[\(lower), \(upper)]" + unit)
    }
  }

  /// Requires a finite value (any sign).
  static func finite(_ value: Double, _ name: String) throws(TransportError) {
    guard value.isFinite else {
      throw .invalidParameter(name: name, value: value, allowed: "finite")
    }
  }
}
