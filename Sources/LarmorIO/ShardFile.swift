import CHDF5
import Foundation

/// The HDF5 file of one shard of a trace (`larmor trace RUN.toml --shard K/N --out part-K.h5`):
/// which run it belongs to and its finished work as an opaque payload that `larmor merge`
/// combines with the other shards'.
///
/// Attributes: `kind` = "larmor trace shard", `larmor_version`, `spec_path` (absolute path of the
/// run spec), `spec` (its text), `field_spec` (the field spec's text, or the field file's name),
/// `shard_index` (0-based K − 1), `shard_count` (N). Dataset `parts`: the finished work units
/// (uint8; a binary property list of the tracer's checkpoint with every assigned part finished,
/// doubles stored as their 8 bytes). The payload is exact, so a merge reproduces the single run
/// bitwise; it is readable only by the Larmor version that wrote it.
public enum ShardFile {
  public static let kind = "larmor trace shard"

  public struct Contents: Sendable {
    public var specPath: String
    public var specText: String
    public var fieldText: String
    public var index: Int
    public var count: Int
    public var payload: Data

    public init(specPath: String, specText: String, fieldText: String, index: Int, count: Int, payload: Data) {
      self.specPath = specPath
      self.specText = specText
      self.fieldText = fieldText
      self.index = index
      self.count = count
      self.payload = payload
    }
  }

  /// Writes a shard file atomically.
  public static func write(_ c: Contents, to path: String) throws(InputError) {
    try HDF5.createFile(path) { file throws(InputError) in
      try HDF5.writeAttribute(file, "kind", string: kind, path: path)
      try HDF5.writeAttribute(file, "larmor_version", string: LarmorVersion.string, path: path)
      try HDF5.writeAttribute(file, "spec_path", string: c.specPath, path: path)
      try HDF5.writeAttribute(file, "spec", string: c.specText, path: path)
      try HDF5.writeAttribute(file, "field_spec", string: c.fieldText, path: path)
      try HDF5.writeAttribute(file, "shard_index", integers: [Int64(c.index)], path: path)
      try HDF5.writeAttribute(file, "shard_count", integers: [Int64(c.count)], path: path)
      try HDF5.writeBytes(file, "parts", Array(c.payload), path: path)
    }
  }

  /// Reads a shard file, refusing files that are not one.
  public static func read(_ path: String) throws(InputError) -> Contents {
    HDF5.quiet()
    guard FileManager.default.fileExists(atPath: path) else { throw InputError("\(path): no such shard file") }
    guard H5Fis_hdf5(path) > 0 else { throw InputError("\(path): not an HDF5 file (truncated or wrong file?)") }
    let file = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot open the shard file (truncated?)") }
    defer { H5Fclose(file) }
    guard (try? HDF5.readStringAttribute(file, "kind", path: path)) == kind else {
      throw InputError("\(path): not a larmor trace shard (written by `larmor trace --shard K/N --out`)")
    }
    let version = try HDF5.readStringAttribute(file, "larmor_version", path: path)
    guard version == LarmorVersion.string else {
      throw InputError("\(path): written by Larmor \(version); this is \(LarmorVersion.string), which cannot read its parts")
    }
    let index = try HDF5.readAttribute(file, "shard_index", count: 1, path: path)[0]
    let count = try HDF5.readAttribute(file, "shard_count", count: 1, path: path)[0]
    return Contents(
      specPath: try HDF5.readStringAttribute(file, "spec_path", path: path),
      specText: try HDF5.readStringAttribute(file, "spec", path: path),
      fieldText: try HDF5.readStringAttribute(file, "field_spec", path: path),
      index: Int(index), count: Int(count), payload: Data(try HDF5.readBytes(file, "parts", path: path)))
  }
}
