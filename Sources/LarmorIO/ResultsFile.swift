import CHDF5
import Foundation

/// HDF5 results of a command, holding exactly what its `--json` object holds, laid out for
/// h5py readers:
///
/// - a key whose value is a list over the run's rigidities goes into one group per rigidity,
///   named `R=<R>` (attributes `reduced_rigidity` and `larmor_index`), as that rigidity's entry;
///   every other key sits at the root;
/// - a scalar (number, integer, boolean, text) is a scalar attribute; null is NaN;
/// - a list of numbers (nested to any depth, rectangular) is a float64 dataset (int64 when all
///   are integers, h5py's bool enum when all are booleans), nulls NaN; a list of texts is a UTF-8
///   text dataset (null → ""); a list of records is a group with one column per key
///   (`larmor_layout = "table"`, `larmor_rows`); a record is a group;
/// - every dataset has a `units` attribute when its key has a unit; a group's `larmor_units`
///   attribute maps its attributes' keys to their units (JSON text);
/// - the root has `larmor_schema`, `larmor_command`, `larmor_version`; group `provenance` holds
///   the spec texts and checksums the result came from; further documents (e.g. the trace inside
///   a compare, saved orbits) are groups with `larmor_layout = "section"`.
///
/// `read` inverts the layout, so a test can check a file against the JSON key by key.
public enum ResultsFile {
  public static let schema = "larmor-results-2"

  /// One result and how to lay it out.
  public struct Document: Sendable {
    public var command: String
    /// Exactly the command's `--json` object.
    public var result: [String: ResultValue]
    /// The run's rigidities (R = r_L/L) and the keys whose values are lists over them.
    public var rigidities: [Double]
    public var perRigidityKeys: Set<String>
    /// Units by key name (at any depth), e.g. "dmumu": "c/L".
    public var units: [String: String]
    /// Keys whose values are text (or lists of text) even where every entry is null, so their
    /// HDF5 type does not depend on the run (null text is written as "").
    public var textKeys: Set<String>
    /// Where the result came from: spec texts, field-file checksum, seeds.
    public var provenance: [String: ResultValue]
    /// Further documents, each in its own group.
    public var sections: [String: Document]

    public init(
      command: String, result: [String: ResultValue], rigidities: [Double] = [], perRigidityKeys: Set<String> = [],
      units: [String: String] = [:], textKeys: Set<String> = [], provenance: [String: ResultValue] = [:],
      sections: [String: Document] = [:]
    ) {
      self.textKeys = textKeys
      self.command = command
      self.result = result
      self.rigidities = rigidities
      self.perRigidityKeys = perRigidityKeys
      self.units = units
      self.provenance = provenance
      self.sections = sections
    }
  }

  /// Writes `document` atomically.
  public static func write(_ document: Document, to path: String) throws(InputError) {
    try HDF5.createFile(path) { file throws(InputError) in
      try HDF5.writeAttribute(file, "larmor_schema", string: schema, path: path)
      try HDF5.writeAttribute(file, "larmor_version", string: LarmorVersion.string, path: path)
      try write(document, into: file, path: path)
    }
  }

  private static func write(_ document: Document, into group: hid_t, path: String) throws(InputError) {
    try HDF5.writeAttribute(group, "larmor_command", string: document.command, path: path)
    let writer = Writer(units: document.units, textKeys: document.textKeys, path: path)
    var root = document.result
    var perRigidity: [String: [ResultValue]] = [:]
    for key in document.perRigidityKeys {
      guard case .list(let items)? = root[key], items.count == document.rigidities.count else { continue }
      perRigidity[key] = items
      root[key] = nil
    }
    try writer.writeFields(root, into: group)
    // A key's type and shape are those of all its rigidities together, so they do not change
    // from group to group with what each rigidity happened to produce (e.g. no window at all).
    let tensors = perRigidity.compactMapValues { Tensor($0) }
    for (i, rigidity) in document.rigidities.enumerated() {
      let sub = try HDF5.createGroup(group, "R=\(rigidity)", path: path)
      defer { H5Gclose(sub) }
      try HDF5.writeAttribute(sub, "larmor_layout", string: "rigidity", path: path)
      try HDF5.writeScalarAttribute(sub, "larmor_index", .integer(Int64(i)), path: path)
      try HDF5.writeScalarAttribute(sub, "reduced_rigidity", .double(rigidity), path: path)
      var attributeUnits: [String: String] = [:]
      for (key, items) in perRigidity.sorted(by: { $0.key < $1.key }) {
        let isAttribute: Bool
        if let tensor = tensors[key], !document.textKeys.contains(key) {
          isAttribute = try writer.write(tensor.slice(i), named: key, in: sub)
        } else {
          isAttribute = try writer.write(items[i], named: key, in: sub)
        }
        if isAttribute, let unit = document.units[key] { attributeUnits[key] = unit }
      }
      try writer.writeUnits(attributeUnits, of: sub)
    }
    if !document.provenance.isEmpty {
      let sub = try HDF5.createGroup(group, "provenance", path: path)
      defer { H5Gclose(sub) }
      try HDF5.writeAttribute(sub, "larmor_layout", string: "provenance", path: path)
      try writer.writeFields(document.provenance, into: sub)
    }
    for (name, section) in document.sections.sorted(by: { $0.key < $1.key }) {
      let sub = try HDF5.createGroup(group, name, path: path)
      defer { H5Gclose(sub) }
      try HDF5.writeAttribute(sub, "larmor_layout", string: "section", path: path)
      try write(section, into: sub, path: path)
    }
  }

  /// Reads a results file back into the document it was written from (units as stored).
  public static func read(_ path: String) throws(InputError) -> Document {
    HDF5.quiet()
    guard FileManager.default.fileExists(atPath: path), H5Fis_hdf5(path) > 0 else { throw InputError("\(path): not an HDF5 results file") }
    let file = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot open the results file") }
    defer { H5Fclose(file) }
    guard (try? HDF5.readStringAttribute(file, "larmor_schema", path: path)) == schema else {
      throw InputError("\(path): not a \(schema) results file (attribute larmor_schema)")
    }
    let root = try HDF5.check(H5Gopen2(file, "/", larmor_h5p_default()), "\(path): cannot open the root group")
    defer { H5Gclose(root) }
    return try Reader(path: path).document(root)
  }

  /// Attributes that describe the layout, never a result's key.
  static let layoutAttributes: Set<String> = ["larmor_layout", "larmor_index", "larmor_rows", "larmor_units", "larmor_command", "larmor_schema", "larmor_version"]

  private struct Writer {
    let units: [String: String]
    let textKeys: Set<String>
    let path: String

    func writeFields(_ fields: [String: ResultValue], into group: hid_t) throws(InputError) {
      var attributeUnits: [String: String] = [:]
      for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
        if try write(value, named: key, in: group), let unit = units[key] { attributeUnits[key] = unit }
      }
      try writeUnits(attributeUnits, of: group)
    }

    /// The `larmor_units` attribute: the units of a group's attribute keys, as JSON text.
    func writeUnits(_ attributeUnits: [String: String], of group: hid_t) throws(InputError) {
      if !attributeUnits.isEmpty {
        let data = try? JSONSerialization.data(withJSONObject: attributeUnits, options: [.sortedKeys])
        try HDF5.writeAttribute(group, "larmor_units", string: String(decoding: data ?? Data(), as: UTF8.self), path: path)
      }
    }

    /// Writes one value; returns whether it became an attribute.
    @discardableResult
    func write(_ value: ResultValue, named name: String, in group: hid_t) throws(InputError) -> Bool {
      precondition(!ResultsFile.layoutAttributes.contains(name) && name != "reduced_rigidity", "result key \(name) is reserved")
      switch value {
      case .null where textKeys.contains(name): try HDF5.writeScalarAttribute(group, name, .text(""), path: path)
      case .null: try HDF5.writeScalarAttribute(group, name, .double(.nan), path: path)
      case .boolean(let b): try HDF5.writeScalarAttribute(group, name, .boolean(b), path: path)
      case .integer(let i): try HDF5.writeScalarAttribute(group, name, .integer(Int64(i)), path: path)
      case .number(let x): try HDF5.writeScalarAttribute(group, name, .double(x), path: path)
      case .text(let s): try HDF5.writeScalarAttribute(group, name, .text(s), path: path)
      case .record(let fields):
        let sub = try HDF5.createGroup(group, name, path: path)
        defer { H5Gclose(sub) }
        try writeFields(fields, into: sub)
        return false
      case .list(let items):
        try writeList(items, named: name, in: group)
        return false
      }
      return true
    }

    private func writeList(_ items: [ResultValue], named name: String, in group: hid_t) throws(InputError) {
      let texts = items.allSatisfy { if case .text = $0 { true } else { $0 == .null } }
      if texts && textKeys.contains(name) {
        try HDF5.writeTexts(group, name, items.map { if case .text(let s) = $0 { s } else { "" } }, path: path)
      } else if let tensor = Tensor(items) {
        switch tensor.leaf {
        case .number: try HDF5.writeDoubles(group, name, tensor.values.map(\.numberValue), shape: tensor.shape, path: path)
        case .integer: try HDF5.writeIntegers(group, name, tensor.values.map { Int64($0.integerValue) }, shape: tensor.shape, path: path)
        case .boolean: try HDF5.writeBooleans(group, name, tensor.values.map { $0 == .boolean(true) }, shape: tensor.shape, path: path)
        }
        try labelUnits(name, in: group)
      } else if texts {
        try HDF5.writeTexts(group, name, items.map { if case .text(let s) = $0 { s } else { "" } }, path: path)
        try labelUnits(name, in: group)
      } else if items.allSatisfy({ if case .record = $0 { true } else { $0 == .null } }) {
        let sub = try HDF5.createGroup(group, name, path: path)
        defer { H5Gclose(sub) }
        try HDF5.writeAttribute(sub, "larmor_layout", string: "table", path: path)
        try HDF5.writeScalarAttribute(sub, "larmor_rows", .integer(Int64(items.count)), path: path)
        var columns: [String: [ResultValue]] = [:]
        for item in items { if case .record(let fields) = item { for key in fields.keys { columns[key] = [] } } }
        for item in items {
          let fields: [String: ResultValue]
          if case .record(let f) = item { fields = f } else { fields = [:] }
          for key in columns.keys { columns[key]!.append(fields[key] ?? .null) }
        }
        for (key, column) in columns.sorted(by: { $0.key < $1.key }) { try writeList(column, named: key, in: sub) }
      } else {
        let sub = try HDF5.createGroup(group, name, path: path)
        defer { H5Gclose(sub) }
        try HDF5.writeAttribute(sub, "larmor_layout", string: "list", path: path)
        try HDF5.writeScalarAttribute(sub, "larmor_rows", .integer(Int64(items.count)), path: path)
        for (i, item) in items.enumerated() { try write(item, named: String(i), in: sub) }
      }
    }

    private func labelUnits(_ name: String, in group: hid_t) throws(InputError) {
      guard let unit = units[name] else { return }
      let set = try HDF5.check(H5Dopen2(group, name, larmor_h5p_default()), "\(path): cannot open dataset \(name)")
      defer { H5Dclose(set) }
      try HDF5.writeAttribute(set, "units", string: unit, path: path)
    }
  }

  private struct Reader {
    let path: String

    func document(_ group: hid_t) throws(InputError) -> Document {
      let command = (try? HDF5.readStringAttribute(group, "larmor_command", path: path)) ?? ""
      var document = Document(command: command, result: try fields(group))
      var rigidityGroups: [(index: Int, rigidity: Double, fields: [String: ResultValue])] = []
      for name in try HDF5.memberNames(group, path: path) where try HDF5.isGroup(group, name, path: path) {
        let sub = try HDF5.check(H5Gopen2(group, name, larmor_h5p_default()), "\(path): cannot open group \(name)")
        defer { H5Gclose(sub) }
        switch layout(sub) {
        case "rigidity":
          guard case .integer(let i) = try HDF5.readScalarAttribute(sub, "larmor_index", path: path),
            case .double(let r) = try HDF5.readScalarAttribute(sub, "reduced_rigidity", path: path)
          else { throw InputError("\(path): group \(name) lacks its rigidity") }
          var f = try fields(sub)
          f["reduced_rigidity"] = nil
          rigidityGroups.append((Int(i), r, f))
        case "provenance": document.provenance = try fields(sub)
        case "section": document.sections[name] = try self.document(sub)
        default: break  // a key's value: read by `fields`
        }
      }
      rigidityGroups.sort { $0.index < $1.index }
      document.rigidities = rigidityGroups.map(\.rigidity)
      let keys = Set(rigidityGroups.flatMap(\.fields.keys))
      document.perRigidityKeys = keys
      for key in keys { document.result[key] = .list(rigidityGroups.map { $0.fields[key] ?? .null }) }
      return document
    }

    func layout(_ group: hid_t) -> String? {
      H5Aexists(group, "larmor_layout") > 0 ? try? HDF5.readStringAttribute(group, "larmor_layout", path: path) : nil
    }

    /// A group's keys: its attributes (less the layout's) and members (less layout groups).
    func fields(_ group: hid_t) throws(InputError) -> [String: ResultValue] {
      var result: [String: ResultValue] = [:]
      for name in try HDF5.attributeNames(group, path: path) where !ResultsFile.layoutAttributes.contains(name) {
        result[name] = value(of: try HDF5.readScalarAttribute(group, name, path: path))
      }
      for name in try HDF5.memberNames(group, path: path) {
        if try HDF5.isGroup(group, name, path: path) {
          let sub = try HDF5.check(H5Gopen2(group, name, larmor_h5p_default()), "\(path): cannot open group \(name)")
          defer { H5Gclose(sub) }
          switch layout(sub) {
          case "rigidity", "provenance", "section": continue
          default: result[name] = try value(ofGroup: sub)
          }
        } else {
          result[name] = try value(ofDataset: name, in: group)
        }
      }
      return result
    }

    func value(of scalar: HDF5.ScalarValue) -> ResultValue {
      switch scalar {
      case .double(let x): return x.isNaN ? .null : .number(x)
      case .integer(let i): return .integer(Int(i))
      case .unsigned(let u): return u <= UInt64(Int.max) ? .integer(Int(u)) : .number(Double(u))
      case .boolean(let b): return .boolean(b)
      case .text(let s): return .text(s)
      }
    }

    func value(ofDataset name: String, in group: hid_t) throws(InputError) -> ResultValue {
      let (_, shape, flat) = try HDF5.readArray(group, name, path: path)
      func nest(_ values: ArraySlice<HDF5.ScalarValue>, _ shape: ArraySlice<Int>) -> ResultValue {
        guard let n = shape.first else { return values.first.map(value(of:)) ?? .null }
        let inner = shape.dropFirst().reduce(1, *)
        return .list((0..<n).map { i in
          let start = values.startIndex + i * inner
          return nest(values[start..<(start + inner)], shape.dropFirst())
        })
      }
      return nest(flat[...], shape[...])
    }

    func value(ofGroup group: hid_t) throws(InputError) -> ResultValue {
      switch layout(group) {
      case "table":
        guard case .integer(let rows) = try HDF5.readScalarAttribute(group, "larmor_rows", path: path) else {
          throw InputError("\(path): a table lacks larmor_rows")
        }
        let columns = try fields(group)
        return .list((0..<Int(rows)).map { i in
          .record(columns.compactMapValues { column -> ResultValue? in
            guard case .list(let items) = column, i < items.count else { return nil }
            return items[i]
          })
        })
      case "list":
        let f = try fields(group)
        return .list(f.keys.compactMap(Int.init).sorted().map { f[String($0)]! })
      default:
        return .record(try fields(group))
      }
    }
  }
}

/// A rectangular nest of numbers or booleans: its leaf kind, shape and values in C order.
struct Tensor {
  enum Leaf { case number, integer, boolean }
  var leaf: Leaf
  var shape: [Int]
  var values: [ResultValue]

  /// Entry i along the first axis, as a value (a scalar when the tensor is one-dimensional).
  func slice(_ i: Int) -> ResultValue {
    let inner = shape.dropFirst()
    let count = inner.reduce(1, *)
    let part = Array(values[(i * count)..<((i + 1) * count)])
    func nest(_ values: ArraySlice<ResultValue>, _ shape: ArraySlice<Int>) -> ResultValue {
      guard let n = shape.first else { return values.first.map(promote) ?? .null }
      let inner = shape.dropFirst().reduce(1, *)
      return .list((0..<n).map { j in
        let start = values.startIndex + j * inner
        return nest(values[start..<(start + inner)], shape.dropFirst())
      })
    }
    return nest(part[...], inner)
  }

  /// A leaf as the tensor's kind: integers of a number tensor become numbers, nulls NaN.
  private func promote(_ value: ResultValue) -> ResultValue {
    switch (leaf, value) {
    case (.number, .integer(let i)): return .number(Double(i))
    case (.number, .null): return .number(.nan)
    default: return value
    }
  }

  init?(_ items: [ResultValue]) {
    if items.isEmpty {
      (leaf, shape, values) = (.number, [0], [])
      return
    }
    let scalars = items.allSatisfy { switch $0 { case .number, .integer, .null: true; default: false } }
    if scalars {
      leaf = items.allSatisfy { if case .integer = $0 { true } else { false } } ? .integer : .number
      (shape, values) = ([items.count], items)
      return
    }
    if items.allSatisfy({ if case .boolean = $0 { true } else { false } }) {
      (leaf, shape, values) = (.boolean, [items.count], items)
      return
    }
    // A list of lists. A null, or a list of nulls only, stands for a row of NaNs of the others'
    // shape (e.g. a rigidity where no μ bin found a [start, end] window).
    var rows: [Tensor?] = []
    for item in items {
      switch item {
      case .null: rows.append(nil)
      case .list(let sub):
        guard let t = Tensor(sub) else { return nil }
        rows.append(t.values.allSatisfy { $0 == .null } ? nil : t)
      default: return nil
      }
    }
    let filled = rows.compactMap { $0 }
    guard let model = filled.first, filled.allSatisfy({ $0.shape == model.shape }) else {
      // Only nulls inside: a number tensor of the lists' common length.
      guard filled.isEmpty else { return nil }
      let lengths = Set(items.map { if case .list(let sub) = $0 { sub.count } else { -1 } })
      guard lengths.count == 1, let n = lengths.first, n >= 0 else { return nil }
      (leaf, shape, values) = (.number, [items.count, n], Array(repeating: .null, count: items.count * n))
      return
    }
    let kinds = Set(filled.map(\.leaf))
    let hasNull = rows.contains { $0 == nil }
    if kinds.contains(.boolean) && (kinds.count > 1 || hasNull) { return nil }
    leaf = kinds.count == 1 && !hasNull ? model.leaf : .number
    // A list-of-nulls row must have the model's first dimension to stand for a row.
    for item in items {
      if case .list(let sub) = item, !sub.isEmpty, sub.allSatisfy({ $0 == .null }), sub.count != model.shape[0] { return nil }
    }
    shape = [items.count] + model.shape
    let count = model.shape.reduce(1, *)
    values = rows.flatMap { $0?.values ?? Array(repeating: ResultValue.null, count: count) }
  }
}

extension ResultValue {
  /// The value as a Double: a number or integer, else NaN.
  public var numberValue: Double {
    switch self {
    case .number(let x): return x
    case .integer(let i): return Double(i)
    default: return .nan
    }
  }

  var integerValue: Int {
    if case .integer(let i) = self { return i }
    return 0
  }
}
