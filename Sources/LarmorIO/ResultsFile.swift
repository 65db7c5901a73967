import CHDF5
import Foundation

/// HDF5 results of a command: float64 tables in groups, with per-table attributes whose names
/// state units, and the spec text and Larmor version at the root. Written atomically.
public enum ResultsFile {
  public struct Table: Sendable {
    public var group: String
    public var name: String
    public var values: [Double]
    public var shape: [Int]
    public var attributes: [String: Double]

    public init(group: String, name: String, values: [Double], shape: [Int]? = nil, attributes: [String: Double] = [:]) {
      self.group = group
      self.name = name
      self.values = values
      self.shape = shape ?? [values.count]
      self.attributes = attributes
    }
  }

  public static func write(_ tables: [Table], specText: String, to path: String) throws(InputError) {
    try HDF5.createFile(path) { file throws(InputError) in
      var groups: [String: hid_t] = [:]
      defer { for id in groups.values { H5Gclose(id) } }
      for table in tables {
        let group: hid_t
        if let existing = groups[table.group] { group = existing } else {
          group = try HDF5.createGroup(file, table.group, path: path)
          groups[table.group] = group
        }
        try HDF5.writeDoubles(group, table.name, table.values, shape: table.shape, path: path)
        for (name, value) in table.attributes.sorted(by: { $0.key < $1.key }) {
          let set = H5Dopen2(group, table.name, larmor_h5p_default())
          defer { H5Dclose(set) }
          try HDF5.writeAttribute(set, name, doubles: [value], path: path)
        }
      }
      try HDF5.writeAttribute(file, "spec", string: specText, path: path)
      try HDF5.writeAttribute(file, "larmor_version", string: LarmorVersion.string, path: path)
    }
  }
}
