import CHDF5
import Foundation
import LarmorCore
import FieldStorage

/// The HDF5 field format of DESIGN.md: datasets `bx`, `by`, `bz` (float32, C order [ix][iy][iz],
/// δB/B₀ without the mean field) and attributes `box_size` (L), `grid_size`, `db_over_b0`,
/// `b0_direction`, `seed`, `spec` (the spec file's text), `normalization`, `larmor_version`.
public enum FieldFile {
  public static let formatVersion = "larmor-field-1"

  /// Writes `field` atomically: to a temporary file beside `path`, renamed into place when complete.
  public static func write(_ field: GridField, spec: FieldSpec, specText: String, to path: String) throws(InputError) {
    try HDF5.createFile(path) { file throws(InputError) in
      let n = field.geometry.counts
      for (c, name) in ["bx", "by", "bz"].enumerated() {
        try HDF5.writeFloats(file, name, field.unpaddedComponent(c), shape: [n.x, n.y, n.z], path: path)
      }
      let box = field.geometry.boxSize
      try HDF5.writeAttribute(file, "box_size", doubles: [box.x, box.y, box.z], path: path)
      try HDF5.writeAttribute(file, "grid_size", integers: [Int64(n.x), Int64(n.y), Int64(n.z)], path: path)
      try HDF5.writeAttribute(file, "db_over_b0", doubles: [spec.spectrum.turbulenceLevel], path: path)
      let b0 = field.meanField
      try HDF5.writeAttribute(file, "b0_direction", doubles: [b0.x, b0.y, b0.z], path: path)
      try HDF5.writeAttribute(file, "seed", integers: [Int64(bitPattern: spec.seed)], path: path)
      try HDF5.writeAttribute(file, "spec", string: specText, path: path)
      try HDF5.writeAttribute(file, "normalization", string: spec.normalization.rawValue, path: path)
      try HDF5.writeAttribute(file, "larmor_version", string: LarmorVersion.string, path: path)
      try HDF5.writeAttribute(file, "format", string: formatVersion, path: path)
    }
  }

  /// A field read back from a file, with the spec text it was made from.
  public struct Contents: Sendable {
    public let field: GridField
    public let specText: String
    public let seed: UInt64
    public let turbulenceLevel: Double
  }

  /// Reads a field file, checking that shapes and attributes agree.
  public static func read(_ path: String) throws(InputError) -> Contents {
    HDF5.quiet()
    guard FileManager.default.fileExists(atPath: path) else { throw InputError("\(path): no such field file") }
    guard H5Fis_hdf5(path) > 0 else { throw InputError("\(path): not an HDF5 file (truncated or wrong file?)") }
    let file = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot open the field file (truncated?)") }
    defer { H5Fclose(file) }
    let box = try HDF5.readAttribute(file, "box_size", count: 3, path: path)
    let b0 = try HDF5.readAttribute(file, "b0_direction", count: 3, path: path)
    let level = try HDF5.readAttribute(file, "db_over_b0", count: 1, path: path)[0]
    let specText = try HDF5.readStringAttribute(file, "spec", path: path)
    var components: [[Float]] = []
    var shape: [Int] = []
    for name in ["bx", "by", "bz"] {
      let (values, s) = try HDF5.readFloats(file, name, path: path)
      guard s.count == 3 else { throw InputError("\(path): dataset \(name) is not three-dimensional") }
      if shape.isEmpty { shape = s } else if s != shape { throw InputError("\(path): datasets bx, by, bz differ in shape") }
      guard values.allSatisfy(\.isFinite) else { throw InputError("\(path): dataset \(name) contains NaN or Inf") }
      components.append(values)
    }
    guard box.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw InputError("\(path): attribute box_size must be positive") }
    let seed = try HDF5.readAttribute(file, "seed", count: 1, path: path)
    let geometry = GridGeometry(counts: SIMD3(shape[0], shape[1], shape[2]), boxSize: Vec3(box[0], box[1], box[2]))
    let field = GridField(geometry: geometry, meanField: Vec3(b0[0], b0[1], b0[2]), fluctuation: components)
    return Contents(field: field, specText: specText, seed: UInt64(Int64(seed[0])), turbulenceLevel: level)
  }
}

/// The version written into every output.
public enum LarmorVersion {
  public static let string = "0.1.0"
}
