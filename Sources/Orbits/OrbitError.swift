/// Errors of the orbit integrator and ensemble runner. Each case names the offending parameter
/// (or particle) so that a bad run spec can be fixed without reading code.
public enum OrbitError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A parameter is outside its allowed range.
  case invalidParameter(name: String, value: String, requirement: String)
  /// Ω_max Δt exceeds the limit: the step cannot resolve gyration.
  case stepTooCoarse(timeStep: Double, phasePerStep: Double, limit: Double)
  /// A particle's orbit (or the field it sampled) became NaN/Inf.
  case nonFiniteOrbit(particleID: UInt64, step: Int, time: Double, fieldWasNonFinite: Bool)

  public var description: String {
    switch self {
    case .invalidParameter(let name, let value, let requirement):
      return "\(name): \(requirement), got \(value)"
    case .stepTooCoarse(let dt, let phase, let limit):
      return "time_step: Δt = \(dt) L/c gives Ω_max·Δt = \(phase) rad per step, above the limit \(limit) rad "
        + "(≥ \(Int((2 * Double.pi / limit).rounded())) steps per gyration needed); lower the step"
    case .nonFiniteOrbit(let id, let step, let time, let field):
      return "particle \(id): non-finite \(field ? "magnetic field sample" : "position or velocity") at step \(step) "
        + "(t = \(time) L/c)"
    }
  }

  @usableFromInline static func require(
    _ condition: Bool, _ name: String, _ value: @autoclosure () -> Any, _ requirement: String
  ) throws(OrbitError) {
    if !condition { throw OrbitError.invalidParameter(name: name, value: "\(value())", requirement: requirement) }
  }
}
