import CHDF5
import Foundation

/// Thin, checked wrappers over the HDF5 C API: every call's status is checked and turned into an
/// `InputError` naming the file and object, and every id is closed on every path.
enum HDF5 {
  static func check(_ status: herr_t, _ what: @autoclosure () -> String) throws(InputError) {
    if status < 0 { throw InputError(what()) }
  }

  static func check(_ id: hid_t, _ what: @autoclosure () -> String) throws(InputError) -> hid_t {
    if id < 0 { throw InputError(what()) }
    return id
  }

  static func quiet() { larmor_h5_quiet() }

  /// Creates `path` atomically: `body` writes into a new file under a temporary name, which is
  /// renamed into place only when the body succeeded and the file closed cleanly.
  static func createFile(_ path: String, _ body: (hid_t) throws(InputError) -> Void) throws(InputError) {
    quiet()
    let temporary = AtomicFile.temporaryPath(for: path)
    let file = H5Fcreate(temporary, larmor_h5f_acc_trunc(), larmor_h5p_default(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot create the output file (directory missing or not writable?)") }
    do { try body(file) } catch {
      H5Fclose(file)
      unlink(temporary)
      throw error
    }
    guard H5Fclose(file) >= 0 else {
      unlink(temporary)
      throw InputError("\(path): error while closing the output file (disk full?)")
    }
    try AtomicFile.commit(temporary, to: path)
  }

  /// Writes an n-dimensional float32 dataset from contiguous C-order values.
  static func writeFloats(_ location: hid_t, _ name: String, _ values: [Float], shape: [Int], path: String) throws(InputError) {
    try writeDataset(location, name, values, type: larmor_h5t_native_float(), shape: shape, path: path)
  }

  /// Writes an n-dimensional float64 dataset from contiguous C-order values.
  static func writeDoubles(_ location: hid_t, _ name: String, _ values: [Double], shape: [Int], path: String) throws(InputError) {
    try writeDataset(location, name, values, type: larmor_h5t_native_double(), shape: shape, path: path)
  }

  /// Writes an n-dimensional dataset of `type` from contiguous C-order values.
  static func writeDataset<T>(
    _ location: hid_t, _ name: String, _ values: [T], type: hid_t, shape: [Int], path: String
  ) throws(InputError) {
    try writeArray(location, name, type: type, shape: shape, path: path) { set, type in
      values.withUnsafeBytes { H5Dwrite(set, type, larmor_h5s_all(), larmor_h5s_all(), larmor_h5p_default(), $0.baseAddress) }
    }
  }

  /// Writes a one-dimensional byte dataset (an opaque payload).
  static func writeBytes(_ location: hid_t, _ name: String, _ values: [UInt8], path: String) throws(InputError) {
    try writeDataset(location, name, values, type: larmor_h5t_native_uchar(), shape: [values.count], path: path)
  }

  /// Reads a one-dimensional byte dataset.
  static func readBytes(_ file: hid_t, _ name: String, path: String) throws(InputError) -> [UInt8] {
    guard H5Lexists(file, name, larmor_h5p_default()) > 0 else { throw InputError("\(path): no dataset '\(name)'") }
    let set = try check(H5Dopen2(file, name, larmor_h5p_default()), "\(path): cannot open dataset \(name)")
    defer { H5Dclose(set) }
    let space = try check(H5Dget_space(set), "\(path): cannot read the shape of \(name)")
    defer { H5Sclose(space) }
    guard H5Sget_simple_extent_ndims(space) == 1 else { throw InputError("\(path): dataset \(name) is not one-dimensional") }
    var values = [UInt8](repeating: 0, count: Int(H5Sget_simple_extent_npoints(space)))
    let status = values.withUnsafeMutableBufferPointer {
      H5Dread(set, larmor_h5t_native_uchar(), larmor_h5s_all(), larmor_h5s_all(), larmor_h5p_default(), $0.baseAddress)
    }
    try check(status, "\(path): cannot read dataset \(name) (truncated or corrupt file?)")
    return values
  }

  /// Creates a group and returns its id (close with H5Gclose).
  static func createGroup(_ location: hid_t, _ name: String, path: String) throws(InputError) -> hid_t {
    try check(H5Gcreate2(location, name, larmor_h5p_default(), larmor_h5p_default(), larmor_h5p_default()), "\(path): cannot create group \(name)")
  }

  /// The most values a dataset may declare (the grid limit, 2³⁰ cells).
  static let maximumValues = 1 << 30

  /// Reads a float32 dataset; returns its values and shape.
  static func readFloats(_ file: hid_t, _ name: String, path: String) throws(InputError) -> ([Float], [Int]) {
    guard H5Lexists(file, name, larmor_h5p_default()) > 0 else { throw InputError("\(path): no dataset '\(name)' (not a Larmor field file?)") }
    let set = try check(H5Dopen2(file, name, larmor_h5p_default()), "\(path): cannot open dataset \(name)")
    defer { H5Dclose(set) }
    let space = try check(H5Dget_space(set), "\(path): cannot read the shape of \(name)")
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 1 && rank <= 8 else { throw InputError("\(path): dataset \(name) has rank \(rank)") }
    var dims = [hsize_t](repeating: 0, count: rank)
    _ = H5Sget_simple_extent_dims(space, &dims, nil)
    // The header is checked before anything is allocated: a damaged or hostile header must not
    // abort the process (a declared 4096³ did).
    var count = 1
    for d in dims {
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: d))
      guard !overflow, product <= maximumValues else {
        throw InputError("\(path): dataset \(name) declares shape \(dims.map(String.init).joined(separator: "×")), more than the \(maximumValues) values (2³⁰) a grid may hold")
      }
      count = product
    }
    let shape = dims.map { Int($0) }
    var values = [Float](repeating: 0, count: count)
    let status = values.withUnsafeMutableBufferPointer {
      H5Dread(set, larmor_h5t_native_float(), larmor_h5s_all(), larmor_h5s_all(), larmor_h5p_default(), $0.baseAddress)
    }
    try check(status, "\(path): cannot read dataset \(name) (truncated or corrupt file?)")
    return (values, shape)
  }

  static func writeAttribute(_ object: hid_t, _ name: String, doubles: [Double], path: String) throws(InputError) {
    try writeAttribute(object, name, type: larmor_h5t_native_double(), count: doubles.count, path: path) { doubles.withUnsafeBytes { $0.baseAddress! } }
  }

  static func writeAttribute(_ object: hid_t, _ name: String, integers: [Int64], path: String) throws(InputError) {
    try writeAttribute(object, name, type: larmor_h5t_native_int64(), count: integers.count, path: path) { integers.withUnsafeBytes { $0.baseAddress! } }
  }

  private static func writeAttribute(
    _ object: hid_t, _ name: String, type: hid_t, count: Int, path: String, _ data: () -> UnsafeRawPointer
  ) throws(InputError) {
    var dims = [hsize_t(count)]
    let space = try check(H5Screate_simple(1, &dims, nil), "\(path): cannot create attribute space for \(name)")
    defer { H5Sclose(space) }
    let attribute = try check(
      H5Acreate2(object, name, type, space, larmor_h5p_default(), larmor_h5p_default()), "\(path): cannot create attribute \(name)")
    defer { H5Aclose(attribute) }
    try check(H5Awrite(attribute, type, data()), "\(path): cannot write attribute \(name)")
  }

  /// Writes a scalar variable-length UTF-8 text attribute (h5py reads it as `str`).
  static func writeAttribute(_ object: hid_t, _ name: String, string: String, path: String) throws(InputError) {
    try writeScalarAttribute(object, name, .text(string), path: path)
  }

  static func readAttribute(_ object: hid_t, _ name: String, count: Int, path: String) throws(InputError) -> [Double] {
    guard H5Aexists(object, name) > 0 else { throw InputError("\(path): missing attribute '\(name)'") }
    let attribute = try check(H5Aopen(object, name, larmor_h5p_default()), "\(path): cannot open attribute \(name)")
    defer { H5Aclose(attribute) }
    let space = H5Aget_space(attribute)
    defer { H5Sclose(space) }
    let n = Int(H5Sget_simple_extent_npoints(space))
    guard n == count else { throw InputError("\(path): attribute '\(name)' has \(n) values, expected \(count)") }
    var values = [Double](repeating: 0, count: count)
    try check(values.withUnsafeMutableBytes { H5Aread(attribute, larmor_h5t_native_double(), $0.baseAddress) }, "\(path): cannot read attribute \(name)")
    return values
  }

  static func readStringAttribute(_ object: hid_t, _ name: String, path: String) throws(InputError) -> String {
    guard H5Aexists(object, name) > 0 else { throw InputError("\(path): missing attribute '\(name)'") }
    let attribute = try check(H5Aopen(object, name, larmor_h5p_default()), "\(path): cannot open attribute \(name)")
    defer { H5Aclose(attribute) }
    let type = H5Aget_type(attribute)
    defer { H5Tclose(type) }
    guard H5Tget_class(type) == H5T_STRING else { throw InputError("\(path): attribute '\(name)' is not text") }
    if H5Tis_variable_str(type) > 0 {
      // Variable-length (this version's files): read as a C string HDF5 allocates.
      let memory = try textType(path: path)
      defer { H5Tclose(memory) }
      var pointer: UnsafeMutablePointer<CChar>?
      try check(H5Aread(attribute, memory, &pointer), "\(path): cannot read attribute \(name)")
      defer { if let pointer { H5free_memory(pointer) } }
      return pointer.map { String(cString: $0) } ?? ""
    }
    // Fixed-length (files of earlier versions).
    let size = H5Tget_size(type)
    guard size > 0, size < 1 << 24 else { throw InputError("\(path): attribute '\(name)' is not a string") }
    var bytes = [UInt8](repeating: 0, count: size + 1)
    try check(bytes.withUnsafeMutableBytes { H5Aread(attribute, type, $0.baseAddress) }, "\(path): cannot read attribute \(name)")
    return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
  }
}
