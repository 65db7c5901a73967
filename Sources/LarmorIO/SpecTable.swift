import LarmorCore
import TOMLKit

/// One table of a TOML spec file, read strictly: every key must be known, of the right type and
/// in range, and `finish()` rejects any key that was not read. Messages name `file: section.key`.
struct SpecTable {
  let file: String
  let section: String
  let table: TOMLTable
  private(set) var read: Set<String> = []

  init(file: String, section: String, table: TOMLTable) {
    self.file = file
    self.section = section
    self.table = table
  }

  func error(_ key: String, _ message: String) -> InputError {
    InputError("\(file): \(section).\(key): \(message)")
  }

  func contains(_ key: String) -> Bool { table[key] != nil }

  /// A real number (TOML integers are accepted as reals); nil when absent.
  mutating func double(_ key: String) throws(InputError) -> Double? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    if let d = value.double { return d }
    if let i = value.int { return Double(i) }
    throw error(key, "must be a number, got \(value.type)")
  }

  /// A real number that must be present.
  mutating func requiredDouble(_ key: String, _ meaning: String) throws(InputError) -> Double {
    guard let value = try double(key) else { throw error(key, "is required (\(meaning))") }
    return value
  }

  mutating func int(_ key: String) throws(InputError) -> Int? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    if let i = value.int { return i }
    if let d = value.double, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
    throw error(key, "must be an integer, got \(value.type)")
  }

  mutating func string(_ key: String) throws(InputError) -> String? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    guard let s = value.string else { throw error(key, "must be a string, got \(value.type)") }
    return s
  }

  mutating func bool(_ key: String) throws(InputError) -> Bool? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    guard let b = value.bool else { throw error(key, "must be true or false, got \(value.type)") }
    return b
  }

  /// A number or an array of numbers.
  mutating func doubles(_ key: String) throws(InputError) -> [Double]? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    if let d = value.double { return [d] }
    if let i = value.int { return [Double(i)] }
    guard let array = value.array else { throw error(key, "must be a number or an array of numbers, got \(value.type)") }
    var out: [Double] = []
    for element in array {
      if let d = element.double { out.append(d) } else if let i = element.int { out.append(Double(i)) } else {
        throw error(key, "must contain numbers only, found \(element.type)")
      }
    }
    return out
  }

  /// An array of arrays of numbers (a table's rows); nil when absent.
  mutating func rows(_ key: String) throws(InputError) -> [[Double]]? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    guard let array = value.array else { throw error(key, "must be an array of rows (arrays of numbers), got \(value.type)") }
    var out: [[Double]] = []
    for (r, row) in array.enumerated() {
      guard let elements = row.array else { throw error(key, "row \(r) must be an array of numbers, got \(row.type)") }
      var values: [Double] = []
      for element in elements {
        if let d = element.double { values.append(d) } else if let i = element.int { values.append(Double(i)) } else {
          throw error(key, "row \(r) must contain numbers only, found \(element.type)")
        }
      }
      out.append(values)
    }
    return out
  }

  /// A string or an array of strings.
  mutating func strings(_ key: String) throws(InputError) -> [String]? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    if let s = value.string { return [s] }
    guard let array = value.array else { throw error(key, "must be a string or an array of strings, got \(value.type)") }
    var out: [String] = []
    for element in array {
      guard let s = element.string else { throw error(key, "must contain strings only, found \(element.type)") }
      out.append(s)
    }
    return out
  }

  /// A sub-table, read strictly as well.
  mutating func subtable(_ key: String) throws(InputError) -> SpecTable? {
    read.insert(key)
    guard let value = table[key] else { return nil }
    guard let t = value.table else { throw error(key, "must be a table, got \(value.type)") }
    return SpecTable(file: file, section: "\(section).\(key)", table: t)
  }

  /// Rejects keys that were never read: a misspelt key must not be silently ignored.
  func finish() throws(InputError) {
    for key in table.keys.sorted() where !read.contains(key) {
      throw error(key, "unknown key (known keys: \(read.sorted().joined(separator: ", ")))")
    }
  }
}

/// A parsed spec file: its text and top-level tables, with the set of sections Larmor knows.
public struct SpecDocument {
  public let path: String
  public let text: String
  let sections: [String: TOMLTable]

  /// Every top-level section any Larmor command reads; others are rejected.
  public static let knownSections: Set<String> = [
    "field", "grid", "particles", "run", "estimators", "qlt", "medium", "disk", "halo", "source", "diffusion", "outer_diffusion", "solver", "scan", "halo_medium", "disk_medium",
    "output",
  ]

  public init(path: String) throws(InputError) {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw InputError("\(path): cannot read the spec file (\(Self.reason(error)))")
    }
    try self.init(path: path, text: text)
  }

  public init(path: String, text: String) throws(InputError) {
    self.path = path
    self.text = text
    let root: TOMLTable
    do { root = try TOMLTable(string: text) } catch let error as TOMLParseError {
      throw InputError("\(path): line \(error.source.begin.line): invalid TOML: \(error.description)")
    } catch {
      throw InputError("\(path): invalid TOML: \(error)")
    }
    var sections: [String: TOMLTable] = [:]
    for key in root.keys.sorted() {
      guard Self.knownSections.contains(key) else {
        throw InputError("\(path): unknown section or top-level key '\(key)' (known sections: \(Self.knownSections.sorted().joined(separator: ", ")))")
      }
      guard let table = root[key]?.table else { throw InputError("\(path): '\(key)' must be a [\(key)] table") }
      sections[key] = table
    }
    self.sections = sections
  }

  func table(_ name: String) -> SpecTable? {
    sections[name].map { SpecTable(file: path, section: name, table: $0) }
  }

  /// True when the file has a table `[name]`.
  public func hasSection(_ name: String) -> Bool { sections[name] != nil }

  static func reason(_ error: any Error) -> String {
    let text = "\(error)"
    if text.contains("NSCocoaErrorDomain") || text.contains("Code=260") || text.contains("No such file") { return "no such file" }
    return (error as CustomStringConvertible).description
  }
}
