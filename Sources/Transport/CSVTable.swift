import Foundation

/// A comma-separated table whose leading `#` lines are the source header (the citation), followed
/// by a line of column names and the data rows.
public struct CSVTable: Sendable {
  /// The `#` header lines, without the leading `#`.
  public let sourceHeader: [String]
  /// Column names.
  public let columns: [String]
  /// Rows of raw fields (fields after the last named column are joined back with commas, so a free
  /// text `notes` column may contain commas).
  public let rows: [[String]]

  /// Parses CSV text. - Throws: `.dataFile` if there is no column line or a row is too short.
  public init(text: String, name: String) throws(TransportError) {
    var header: [String] = []
    var columns: [String]?
    var rows: [[String]] = []
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      if line.hasPrefix("#") {
        header.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
        continue
      }
      var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if let names = columns {
        guard fields.count >= names.count else {
          throw .dataFile(
            name: name,
            reason: "row \(rows.count + 1) has \(fields.count) fields, expected \(names.count)")
        }
        if fields.count > names.count {
          let tail = fields[(names.count - 1)...].joined(separator: ",")
          fields = Array(fields[..<(names.count - 1)]) + [tail]
        }
        rows.append(fields)
      } else {
        columns = fields
      }
    }
    guard let columns else { throw .dataFile(name: name, reason: "no column-name line") }
    self.sourceHeader = header
    self.columns = columns
    self.rows = rows
  }

  /// Loads `Data/<resource>.csv` from the Transport bundle.
  public static func bundled(_ resource: String) throws(TransportError) -> CSVTable {
    guard
      let url = Bundle.module.url(forResource: resource, withExtension: "csv", subdirectory: "Data")
    else { throw .dataFile(name: resource, reason: "not found in the Transport bundle (Data/)") }
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw .dataFile(name: resource, reason: "unreadable: \(error)")
    }
    return try CSVTable(text: text, name: resource)
  }

  /// Index of a named column. - Throws: `.dataFile` if absent.
  public func columnIndex(_ column: String, table: String) throws(TransportError) -> Int {
    guard let i = columns.firstIndex(of: column) else {
      throw .dataFile(name: table, reason: "missing column \(column)")
    }
    return i
  }

  /// Numeric value of row r, column c. - Throws: `.dataFile` if not a number.
  public func number(row r: Int, column c: Int, table: String) throws(TransportError) -> Double {
    guard let v = Double(rows[r][c].trimmingCharacters(in: .whitespaces)) else {
      throw .dataFile(
        name: table, reason: "row \(r + 1), column \(columns[c]): not a number '\(rows[r][c])'")
    }
    return v
  }
}
