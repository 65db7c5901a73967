import LarmorCore

/// A problem with a user's input (spec file, field file, option), phrased for a one-line message
/// that names the file and key at fault. The CLI prints `description` and exits non-zero.
public struct InputError: Error, Sendable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }

  /// Wraps a spectrum/spec validation error with the spec file and section it came from.
  init(file: String, section: String, _ error: SpectrumError) {
    let key = error.key.contains(".") ? error.key : "\(section).\(error.key)"
    description = "\(file): \(key): \(error.message)"
  }
}
