import Foundation

/// The text of a `--json` output: keys sorted, every non-finite number (NaN, ±∞) written as
/// `null`, at any depth. JSON has no non-finite numbers and Foundation refuses them, so without
/// this one NaN in a result would turn a finished computation into an error.
func jsonText(_ object: [String: Any]) throws -> String {
  let data = try JSONSerialization.data(withJSONObject: jsonSafe(object), options: [.sortedKeys])
  return String(decoding: data, as: UTF8.self)
}

/// `value` with every non-finite Double or Float inside dictionaries and arrays replaced by NSNull.
func jsonSafe(_ value: Any) -> Any {
  switch value {
  case let x as Double: return x.isFinite ? x : NSNull()
  case let x as Float: return x.isFinite ? x : NSNull()
  case let a as [Any]: return a.map(jsonSafe)
  case let d as [String: Any]: return d.mapValues(jsonSafe)
  default: return value
  }
}
