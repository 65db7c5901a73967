import Foundation

/// A command's result as a tree of JSON values: what `--json` prints and what a results HDF5
/// file holds (`ResultsFile`). Non-finite numbers are `null` in JSON and NaN in HDF5.
public indirect enum ResultValue: Sendable, Equatable {
  case null
  case boolean(Bool)
  case integer(Int)
  case number(Double)
  case text(String)
  case list([ResultValue])
  case record([String: ResultValue])

  /// The value of a Foundation JSON object as the commands build it: Bool, Int, Double, Float,
  /// String, NSNull, arrays and string-keyed dictionaries of them (a number parsed back by
  /// `JSONSerialization` becomes `.number`, or `.boolean` when it is one).
  public init(json any: Any) {
    switch any {
    case is NSNull: self = .null
    case let n as NSNumber where type(of: any) != Bool.self && type(of: any) != Int.self && type(of: any) != Double.self:
      // Parsed JSON: NSNumber; a boolean is CFBoolean-backed.
      if String(cString: n.objCType) == "c" { self = .boolean(n.boolValue) } else { self = .number(n.doubleValue) }
    case let b as Bool: self = .boolean(b)
    case let i as Int: self = .integer(i)
    case let x as Double: self = x.isFinite ? .number(x) : .null
    case let x as Float: self = x.isFinite ? .number(Double(x)) : .null
    case let s as String: self = .text(s)
    case let a as [Any]: self = .list(a.map { ResultValue(json: $0) })
    case let d as [String: Any]: self = .record(d.mapValues { ResultValue(json: $0) })
    case let o as ResultValue: self = o
    default: self = .text(String(describing: any))
    }
  }

  /// The fields of a record (empty for any other value).
  public var recordFields: [String: ResultValue] {
    if case .record(let fields) = self { return fields }
    return [:]
  }

  /// The Foundation value `JSONSerialization` writes.
  public var jsonObject: Any {
    switch self {
    case .null: return NSNull()
    case .boolean(let b): return b
    case .integer(let i): return i
    case .number(let x): return x.isFinite ? x : NSNull()
    case .text(let s): return s
    case .list(let items): return items.map(\.jsonObject)
    case .record(let fields): return fields.mapValues(\.jsonObject)
    }
  }

  /// Equal as results: numbers compare by value whether stored as integers or doubles, and a
  /// NaN, an empty text or a list of nulls equals `null` (HDF5 has no null: a missing window is
  /// a row of NaNs there).
  public func sameResult(as other: ResultValue, relativeTolerance: Double = 0) -> Bool {
    switch (self.normalized, other.normalized) {
    case (.null, .null): return true
    case (.null, let value), (let value, .null): return value.isNullLike
    case (.boolean(let a), .boolean(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b || abs(a - b) <= relativeTolerance * max(abs(a), abs(b))
    case (.text(let a), .text(let b)): return a == b
    case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.sameResult(as: $1, relativeTolerance: relativeTolerance) }
    case (.record(let a), .record(let b)):
      return Set(a.keys) == Set(b.keys) && a.allSatisfy { key, value in value.sameResult(as: b[key]!, relativeTolerance: relativeTolerance) }
    default: return false
    }
  }

  private var isNullLike: Bool {
    switch normalized {
    case .null: return true
    case .list(let items): return !items.isEmpty && items.allSatisfy(\.isNullLike)
    default: return false
    }
  }

  private var normalized: ResultValue {
    switch self {
    case .integer(let i): return .number(Double(i))
    case .number(let x) where !x.isFinite: return .null
    case .text(""): return .null
    default: return self
    }
  }

  /// The first path at which two results differ, for a test's message; nil when they agree.
  public func firstDifference(from other: ResultValue, relativeTolerance: Double = 0, at path: String = "") -> String? {
    switch (self, other) {
    case (.record(let a), .record(let b)):
      for key in Set(a.keys).union(b.keys).sorted() {
        guard let x = a[key] else { return "\(path)/\(key): missing on the left" }
        guard let y = b[key] else { return "\(path)/\(key): missing on the right" }
        if let d = x.firstDifference(from: y, relativeTolerance: relativeTolerance, at: "\(path)/\(key)") { return d }
      }
      return nil
    case (.list(let a), .list(let b)) where a.count == b.count:
      for (i, (x, y)) in zip(a, b).enumerated() {
        if let d = x.firstDifference(from: y, relativeTolerance: relativeTolerance, at: "\(path)[\(i)]") { return d }
      }
      return nil
    default:
      return sameResult(as: other, relativeTolerance: relativeTolerance) ? nil : "\(path): \(self) ≠ \(other)"
    }
  }
}
