import CHDF5
import Foundation
import LarmorCore
import FieldStorage

/// The HDF5 field format of docs/design.md: datasets `bx`, `by`, `bz` (float32, C order [ix][iy][iz],
/// δB/B₀ without the mean field) and attributes `box_size` (L), `grid_size`, `db_over_b0` (the
/// requested σ), `db_over_b0_measured` (the nodes' rms), `models`, `fractions`, `k_min`, `k_max`
/// (1/L), `units`, `b0_direction`, `seed`, `spec` (the spec file's text), `normalization`,
/// `larmor_version`, and
/// `data_checksum64`, the `Checksum64` of the bx, by, bz values' bytes (little-endian float32, in
/// that order). Reading checks the file against itself: see `read`.
public enum FieldFile {
  /// Version 2: scalar attributes, UTF-8 variable-length text, unsigned seed, and the measured
  /// rms, models, fractions, k range and units beside the spec text. Version 1 files still read.
  public static let formatVersion = "larmor-field-2"

  /// What a field file says about its field besides the data.
  public struct Metadata: Sendable {
    /// Mode families, e.g. "alfven + fast", and their variance fractions.
    public var models: String
    public var fractions: [Double]
    /// The spectrum's range, 1/L.
    public var minimumWavenumber: Double
    public var maximumWavenumber: Double
    /// The stated δB/B₀ (checked against the data on read).
    public var turbulenceLevel: Double
    /// "expected" or "realized" (the data's rms is then `turbulenceLevel` to 10⁻³).
    public var normalization: String
    public var seed: UInt64
    /// The text the field was made from (a field spec, or a snapshot spec with its provenance).
    public var specText: String

    public init(
      models: String, fractions: [Double], minimumWavenumber: Double, maximumWavenumber: Double, turbulenceLevel: Double,
      normalization: String, seed: UInt64, specText: String
    ) {
      self.models = models
      self.fractions = fractions
      self.minimumWavenumber = minimumWavenumber
      self.maximumWavenumber = maximumWavenumber
      self.turbulenceLevel = turbulenceLevel
      self.normalization = normalization
      self.seed = seed
      self.specText = specText
    }
  }

  /// Writes a field synthesized from `spec` atomically.
  public static func write(_ field: GridField, spec: FieldSpec, specText: String, to path: String) throws(InputError) {
    let metadata = Metadata(
      models: spec.spectrum.components.map(\.family.name).joined(separator: " + "), fractions: spec.spectrum.components.map(\.fraction),
      minimumWavenumber: spec.spectrum.minimumWavenumber, maximumWavenumber: spec.spectrum.maximumWavenumber,
      turbulenceLevel: spec.spectrum.turbulenceLevel, normalization: spec.normalization.rawValue, seed: spec.seed, specText: specText)
    try write(field, metadata: metadata, to: path)
  }

  /// Writes `field` atomically: to a temporary file beside `path`, renamed into place when complete.
  public static func write(_ field: GridField, metadata: Metadata, to path: String) throws(InputError) {
    try HDF5.createFile(path) { file throws(InputError) in
      let n = field.geometry.counts
      var checksum = Checksum64.Stream(byteCount: 3 * 4 * n.x * n.y * n.z)
      var squares = 0.0
      for (c, name) in ["bx", "by", "bz"].enumerated() {
        // One x-plane of one component in memory at a time (N_y N_z floats), so writing a field
        // costs next to nothing beside it; the bytes, and their order, are the component's.
        try HDF5.writeFloatsBySlices(file, name, shape: [n.x, n.y, n.z], path: path) { ix in
          let values = field.componentPlane(c, ix)
          values.withUnsafeBytes { checksum.absorb($0) }
          for v in values { squares += Double(v) * Double(v) }
          return values
        }
      }
      try HDF5.writeAttribute(file, "data_checksum64", string: checksum.checksum.description, path: path)
      let box = field.geometry.boxSize
      try HDF5.writeAttribute(file, "box_size", doubles: [box.x, box.y, box.z], path: path)
      try HDF5.writeAttribute(file, "grid_size", integers: [Int64(n.x), Int64(n.y), Int64(n.z)], path: path)
      try HDF5.writeScalarAttribute(file, "db_over_b0", .double(metadata.turbulenceLevel), path: path)
      try HDF5.writeScalarAttribute(file, "db_over_b0_measured", .double((squares / Double(max(1, n.x * n.y * n.z))).squareRoot()), path: path)
      try HDF5.writeAttribute(file, "models", string: metadata.models, path: path)
      try HDF5.writeAttribute(file, "fractions", doubles: metadata.fractions, path: path)
      try HDF5.writeScalarAttribute(file, "k_min", .double(metadata.minimumWavenumber), path: path)
      try HDF5.writeScalarAttribute(file, "k_max", .double(metadata.maximumWavenumber), path: path)
      try HDF5.writeAttribute(
        file, "units",
        string: "code units: b = B/B0 (bx, by, bz: the fluctuation, mean field excluded), box_size in L, k_min and k_max in 1/L",
        path: path)
      let b0 = field.meanField
      try HDF5.writeAttribute(file, "b0_direction", doubles: [b0.x, b0.y, b0.z], path: path)
      try HDF5.writeScalarAttribute(file, "seed", .unsigned(metadata.seed), path: path)
      try HDF5.writeAttribute(file, "spec", string: metadata.specText, path: path)
      try HDF5.writeAttribute(file, "normalization", string: metadata.normalization, path: path)
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

  /// The spec text and data checksum a field file records, read without its data.
  public static func provenance(_ path: String) throws(InputError) -> (specText: String, checksum: String?) {
    HDF5.quiet()
    guard FileManager.default.fileExists(atPath: path), H5Fis_hdf5(path) > 0 else { throw InputError("\(path): not an HDF5 file") }
    let file = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot open the field file") }
    defer { H5Fclose(file) }
    let checksum = H5Aexists(file, "data_checksum64") > 0 ? try HDF5.readStringAttribute(file, "data_checksum64", path: path) : nil
    return (try HDF5.readStringAttribute(file, "spec", path: path), checksum)
  }

  /// The checksum of three components' float32 bytes, in order.
  static func dataChecksum(_ components: [[Float]]) -> Checksum64 {
    var stream = Checksum64.Stream(byteCount: components.reduce(0) { $0 + 4 * $1.count })
    for c in components { c.withUnsafeBytes { stream.absorb($0) } }
    return stream.checksum
  }

  /// Reads a field file and checks it against itself before anyone traces through it: three
  /// equal three-dimensional datasets of at least two cells, finite values, a positive box, a
  /// finite δB/B₀ ≥ 0 and a unit B₀ direction (b is in units of B₀), the data checksum (when
  /// the file has one: files of earlier versions do not), and the measured rms δB/B₀ against the
  /// stated one — within 10⁻³ relative for `normalization = "realized"`, within a factor 10 for
  /// `"expected"` (whose realized rms scatters about the request; a few-mode slab field by tens
  /// of per cent). Every failure is one line naming the file and the attribute.
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
    guard shape.allSatisfy({ $0 >= 1 }), shape.reduce(1, *) >= 2 else {
      throw InputError("\(path): the grid is \(shape.map(String.init).joined(separator: "×")); a field needs at least two cells")
    }
    guard box.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw InputError("\(path): attribute box_size must be positive") }
    guard level.isFinite, level >= 0 else { throw InputError("\(path): attribute db_over_b0 must be finite and ≥ 0, got \(level)") }
    let mean = Vec3(b0[0], b0[1], b0[2])
    guard mean.length.isFinite, abs(mean.length - 1) <= 1e-6 else {
      throw InputError("\(path): attribute b0_direction must be a unit vector (b is in units of B₀), got |b0| = \(mean.length)")
    }
    if H5Aexists(file, "data_checksum64") > 0 {
      let stored = try HDF5.readStringAttribute(file, "data_checksum64", path: path)
      let computed = dataChecksum(components).description
      guard stored == computed else {
        throw InputError("\(path): the field data are corrupt: their checksum is \(computed), the file says data_checksum64 = \(stored)")
      }
    }
    let cells = Double(shape.reduce(1, *))
    var sum = 0.0
    for c in components { for v in c { sum += Double(v) * Double(v) } }
    let measured = (sum / cells).squareRoot()
    let realized = H5Aexists(file, "normalization") > 0 && (try? HDF5.readStringAttribute(file, "normalization", path: path)) == "realized"
    let agrees = level == 0 ? measured == 0 : (realized ? abs(measured / level - 1) <= 1e-3 : (measured / level >= 0.1 && measured / level <= 10))
    guard agrees else {
      throw InputError(
        "\(path): the data's rms δB/B₀ is \(measured), the file says db_over_b0 = \(level) (\(realized ? "realized" : "expected") normalization): not the field it claims to be")
    }
    let seed: UInt64
    switch try HDF5.readScalarAttribute(file, "seed", path: path) {
    case .unsigned(let u): seed = u
    case .integer(let i): seed = UInt64(bitPattern: i)  // files before larmor-field-2: int64
    case .double(let x) where x >= 0 && x < 0x1p64: seed = UInt64(x)
    default: throw InputError("\(path): attribute seed is not an integer")
    }
    let geometry = GridGeometry(counts: SIMD3(shape[0], shape[1], shape[2]), boxSize: Vec3(box[0], box[1], box[2]))
    let field = GridField(geometry: geometry, meanField: mean, fluctuation: components)
    return Contents(field: field, specText: specText, seed: seed, turbulenceLevel: level)
  }
}

/// The version written into every output.
public enum LarmorVersion {
  public static let string = "0.1.0"
}
