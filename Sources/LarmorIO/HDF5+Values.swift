import CHDF5
import Foundation

/// Typed reading and writing of the values a results file holds: scalar attributes (float64,
/// int64, boolean, UTF-8 text), n-dimensional float64, int64 and boolean datasets, UTF-8 text
/// datasets, and the listing of a group's members and attributes. Booleans use the enum type
/// h5py writes for numpy `bool` (int8 with FALSE = 0, TRUE = 1), so h5py reads them back as
/// bool; text is variable-length UTF-8, which h5py reads as `str`.
extension HDF5 {
  /// What an attribute or dataset holds.
  enum Element {
    case double, integer, boolean, text
  }

  /// h5py's boolean type: an int8 enum with FALSE = 0 and TRUE = 1. Close with H5Tclose.
  static func booleanType(path: String) throws(InputError) -> hid_t {
    let type = try check(H5Tenum_create(larmor_h5t_native_int8()), "\(path): cannot create the boolean type")
    var no: Int8 = 0
    var yes: Int8 = 1
    try check(H5Tenum_insert(type, "FALSE", &no), "\(path): cannot create the boolean type")
    try check(H5Tenum_insert(type, "TRUE", &yes), "\(path): cannot create the boolean type")
    return type
  }

  /// Variable-length UTF-8 text. Close with H5Tclose.
  static func textType(path: String) throws(InputError) -> hid_t {
    let type = try check(H5Tcopy(larmor_h5t_c_s1()), "\(path): cannot create the text type")
    try check(H5Tset_size(type, larmor_h5t_variable()), "\(path): cannot create the text type")
    try check(H5Tset_cset(type, H5T_CSET_UTF8), "\(path): cannot create the text type")
    return type
  }

  /// Writes a scalar attribute (no 1-element arrays).
  static func writeScalarAttribute(_ object: hid_t, _ name: String, _ value: ScalarValue, path: String) throws(InputError) {
    let space = try check(H5Screate(H5S_SCALAR), "\(path): cannot create scalar space")
    defer { H5Sclose(space) }
    let (type, owned) = try memoryType(of: value, path: path)
    defer { if owned { H5Tclose(type) } }
    let attribute = try check(
      H5Acreate2(object, name, type, space, larmor_h5p_default(), larmor_h5p_default()), "\(path): cannot create attribute \(name)")
    defer { H5Aclose(attribute) }
    let status: herr_t
    switch value {
    case .double(var x): status = H5Awrite(attribute, type, &x)
    case .integer(var i): status = H5Awrite(attribute, type, &i)
    case .unsigned(var u): status = H5Awrite(attribute, type, &u)
    case .boolean(let b):
      var v: Int8 = b ? 1 : 0
      status = H5Awrite(attribute, type, &v)
    case .text(let s):
      status = s.withCString { c in
        var pointer: UnsafePointer<CChar>? = c
        return H5Awrite(attribute, type, &pointer)
      }
    }
    try check(status, "\(path): cannot write attribute \(name)")
  }

  /// One scalar of a result.
  enum ScalarValue {
    case double(Double), integer(Int64), unsigned(UInt64), boolean(Bool), text(String)
  }

  private static func memoryType(of value: ScalarValue, path: String) throws(InputError) -> (hid_t, owned: Bool) {
    switch value {
    case .double: return (larmor_h5t_native_double(), false)
    case .integer: return (larmor_h5t_native_int64(), false)
    case .unsigned: return (larmor_h5t_native_uint64(), false)
    case .boolean: return (try booleanType(path: path), true)
    case .text: return (try textType(path: path), true)
    }
  }

  /// Writes an n-dimensional int64 dataset.
  static func writeIntegers(_ location: hid_t, _ name: String, _ values: [Int64], shape: [Int], path: String) throws(InputError) {
    try writeDataset(location, name, values, type: larmor_h5t_native_int64(), shape: shape, path: path)
  }

  /// Writes an n-dimensional boolean dataset (h5py's enum type).
  static func writeBooleans(_ location: hid_t, _ name: String, _ values: [Bool], shape: [Int], path: String) throws(InputError) {
    let type = try booleanType(path: path)
    defer { H5Tclose(type) }
    try writeDataset(location, name, values.map { Int8($0 ? 1 : 0) }, type: type, shape: shape, path: path)
  }

  /// Writes a one-dimensional dataset of UTF-8 text.
  static func writeTexts(_ location: hid_t, _ name: String, _ values: [String], path: String) throws(InputError) {
    let type = try textType(path: path)
    defer { H5Tclose(type) }
    let strings = values.map { strdup($0) }
    defer { for s in strings { free(s) } }
    let pointers = strings.map { UnsafePointer<CChar>($0) }
    try writeArray(location, name, type: type, shape: [values.count], path: path) { set, type in
      pointers.withUnsafeBytes { H5Dwrite(set, type, larmor_h5s_all(), larmor_h5s_all(), larmor_h5p_default(), $0.baseAddress) }
    }
  }

  /// Creates dataset `name` of `type` and `shape` and fills it with `write(set, type)`.
  static func writeArray(
    _ location: hid_t, _ name: String, type: hid_t, shape: [Int], path: String, _ write: (hid_t, hid_t) -> herr_t
  ) throws(InputError) {
    var dims = shape.map { hsize_t($0) }
    let space = try check(H5Screate_simple(Int32(dims.count), &dims, nil), "\(path): cannot create dataspace for \(name)")
    defer { H5Sclose(space) }
    let set = try check(
      H5Dcreate2(location, name, type, space, larmor_h5p_default(), larmor_h5p_default(), larmor_h5p_default()),
      "\(path): cannot create dataset \(name)")
    defer { H5Dclose(set) }
    try check(write(set, type), "\(path): cannot write dataset \(name)")
  }

  /// Writes a float32 dataset of `shape` (C order, outermost axis first) one outermost slice at a
  /// time: `slice(i)` returns the values of slice i (the product of the other axes). A large field
  /// is written with one slice in memory instead of a whole component.
  static func writeFloatsBySlices(
    _ location: hid_t, _ name: String, shape: [Int], path: String, _ slice: (Int) -> [Float]
  ) throws(InputError) {
    let inner = shape.dropFirst().reduce(1, *)
    try writeArray(location, name, type: larmor_h5t_native_float(), shape: shape, path: path) { set, type in
      guard let fileSpace = Optional(H5Dget_space(set)), fileSpace >= 0 else { return -1 }
      defer { H5Sclose(fileSpace) }
      var sliceDims = [hsize_t(1)] + shape.dropFirst().map { hsize_t($0) }
      let memorySpace = H5Screate_simple(Int32(sliceDims.count), &sliceDims, nil)
      guard memorySpace >= 0 else { return -1 }
      defer { H5Sclose(memorySpace) }
      for i in 0..<shape[0] {
        let values = slice(i)
        guard values.count == inner else { return -1 }
        var start = [hsize_t(i)] + Array(repeating: hsize_t(0), count: shape.count - 1)
        guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &sliceDims, nil) >= 0 else { return -1 }
        let status = values.withUnsafeBytes { H5Dwrite(set, type, memorySpace, fileSpace, larmor_h5p_default(), $0.baseAddress) }
        guard status >= 0 else { return status }
      }
      return 0
    }
  }

  // MARK: Reading

  /// The names of a group's members (datasets and groups), in name order.
  static func memberNames(_ group: hid_t, path: String) throws(InputError) -> [String] {
    var info = H5G_info_t()
    try check(H5Gget_info(group, &info), "\(path): cannot list a group")
    return try (0..<info.nlinks).map { (i: hsize_t) throws(InputError) -> String in
      let size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, larmor_h5p_default())
      guard size >= 0 else { throw InputError("\(path): cannot read a member's name") }
      var buffer = [CChar](repeating: 0, count: Int(size) + 1)
      _ = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, larmor_h5p_default())
      return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
  }

  /// The names of an object's attributes, in name order.
  static func attributeNames(_ object: hid_t, path: String) throws(InputError) -> [String] {
    let count = H5Aget_num_attrs(object)
    guard count >= 0 else { throw InputError("\(path): cannot list attributes") }
    return try (0..<hsize_t(count)).map { (i: hsize_t) throws(InputError) -> String in
      let size = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, larmor_h5p_default())
      guard size >= 0 else { throw InputError("\(path): cannot read an attribute's name") }
      var buffer = [CChar](repeating: 0, count: Int(size) + 1)
      _ = H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, larmor_h5p_default())
      return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }.sorted()
  }

  /// Whether a member of `group` is a group (else a dataset).
  static func isGroup(_ group: hid_t, _ name: String, path: String) throws(InputError) -> Bool {
    let object = try check(H5Oopen(group, name, larmor_h5p_default()), "\(path): cannot open \(name)")
    defer { H5Oclose(object) }
    return H5Iget_type(object) == H5I_GROUP
  }

  static func element(ofType type: hid_t, path: String, name: String) throws(InputError) -> Element {
    switch H5Tget_class(type) {
    case H5T_FLOAT: return .double
    case H5T_INTEGER: return .integer
    case H5T_ENUM: return .boolean
    case H5T_STRING: return .text
    default: throw InputError("\(path): \(name) has a type a results file does not use")
    }
  }

  /// A scalar (or one-value) attribute.
  static func readScalarAttribute(_ object: hid_t, _ name: String, path: String) throws(InputError) -> ScalarValue {
    let attribute = try check(H5Aopen(object, name, larmor_h5p_default()), "\(path): cannot open attribute \(name)")
    defer { H5Aclose(attribute) }
    let fileType = H5Aget_type(attribute)
    defer { H5Tclose(fileType) }
    let space = H5Aget_space(attribute)
    defer { H5Sclose(space) }
    let count = Int(H5Sget_simple_extent_npoints(space))
    let kind = try element(ofType: fileType, path: path, name: name)
    if kind == .text { return .text(try readStringAttribute(object, name, path: path)) }
    guard count == 1 else { throw InputError("\(path): attribute \(name) holds \(count) values, not one") }
    switch kind {
    case .double:
      var x = 0.0
      try check(H5Aread(attribute, larmor_h5t_native_double(), &x), "\(path): cannot read attribute \(name)")
      return .double(x)
    case .integer where H5Tget_sign(fileType) == H5T_SGN_NONE:
      var u: UInt64 = 0
      try check(H5Aread(attribute, larmor_h5t_native_uint64(), &u), "\(path): cannot read attribute \(name)")
      return .unsigned(u)
    case .integer:
      var i: Int64 = 0
      try check(H5Aread(attribute, larmor_h5t_native_int64(), &i), "\(path): cannot read attribute \(name)")
      return .integer(i)
    case .boolean:
      let type = try booleanType(path: path)
      defer { H5Tclose(type) }
      var v: Int8 = 0
      try check(H5Aread(attribute, type, &v), "\(path): cannot read attribute \(name)")
      return .boolean(v != 0)
    case .text: fatalError("handled above")
    }
  }

  /// A dataset's element kind, shape, and values (text datasets: one-dimensional).
  static func readArray(_ group: hid_t, _ name: String, path: String) throws(InputError) -> (Element, [Int], [ScalarValue]) {
    let set = try check(H5Dopen2(group, name, larmor_h5p_default()), "\(path): cannot open dataset \(name)")
    defer { H5Dclose(set) }
    let fileType = H5Dget_type(set)
    defer { H5Tclose(fileType) }
    let space = try check(H5Dget_space(set), "\(path): cannot read the shape of \(name)")
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    var dims = [hsize_t](repeating: 0, count: max(rank, 1))
    _ = H5Sget_simple_extent_dims(space, &dims, nil)
    let shape = rank == 0 ? [] : dims.prefix(rank).map { Int($0) }
    let count = Int(H5Sget_simple_extent_npoints(space))
    guard count <= maximumValues else { throw InputError("\(path): dataset \(name) is too large for a results table") }
    let kind = try element(ofType: fileType, path: path, name: name)
    func read(_ type: hid_t, into buffer: UnsafeMutableRawPointer?) -> herr_t {
      H5Dread(set, type, larmor_h5s_all(), larmor_h5s_all(), larmor_h5p_default(), buffer)
    }
    let failed = "\(path): cannot read dataset \(name)"
    switch kind {
    case .double:
      var values = [Double](repeating: 0, count: count)
      try check(values.withUnsafeMutableBytes { read(larmor_h5t_native_double(), into: $0.baseAddress) }, failed)
      return (kind, shape, values.map { .double($0) })
    case .integer:
      var values = [Int64](repeating: 0, count: count)
      try check(values.withUnsafeMutableBytes { read(larmor_h5t_native_int64(), into: $0.baseAddress) }, failed)
      return (kind, shape, values.map { .integer($0) })
    case .boolean:
      let type = try booleanType(path: path)
      defer { H5Tclose(type) }
      var values = [Int8](repeating: 0, count: count)
      try check(values.withUnsafeMutableBytes { read(type, into: $0.baseAddress) }, failed)
      return (kind, shape, values.map { .boolean($0 != 0) })
    case .text:
      let type = try textType(path: path)
      defer { H5Tclose(type) }
      var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
      try check(pointers.withUnsafeMutableBytes { read(type, into: $0.baseAddress) }, failed)
      let texts = pointers.map { $0.map { String(cString: $0) } ?? "" }
      _ = pointers.withUnsafeMutableBytes { H5Dvlen_reclaim(type, space, larmor_h5p_default(), $0.baseAddress) }
      return (kind, shape, texts.map { .text($0) })
    }
  }
}
