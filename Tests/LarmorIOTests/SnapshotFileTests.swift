import Foundation
import LarmorCore
@testable import LarmorIO
import Testing
import Turbulence

/// External snapshots through `[field.file]`: the generic contract, lattice rotations, and the
/// one-line refusals of bad cubes and specs.
@Suite struct SnapshotFileTests {
  let directory: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("larmor-snapshot-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { directory + "/" + name }

  /// A spec document whose `[field.file]` section holds `keys`.
  func snapshotSpec(_ keys: String) throws -> SnapshotSpec {
    try SnapshotSpecReader.snapshotSpec(SpecDocument(path: path("spec.toml"), text: "[field.file]\n" + keys))
  }

  /// Writes float32 datasets of one shape into an HDF5 file.
  func write(_ datasets: [(String, [Float])], shape: [Int], to file: String) throws {
    try HDF5.createFile(file) { f throws(InputError) in
      for (name, values) in datasets { try HDF5.writeFloats(f, name, values, shape: shape, path: file) }
    }
  }

  func message(_ body: () throws -> Void) -> String {
    do { try body() } catch let error as InputError { return error.description } catch { return "\(error)" }
    return "no error"
  }

  /// Larmor's own field file, read as an external snapshot (δB given, B₀ = ẑ), is the same field
  /// bit for bit.
  @Test func larmorFieldReadsBackBitwiseThroughTheContract() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let spec = try read(validSpec.replacingOccurrences(of: "n = 32", with: "nx = 8\nny = 12\nnz = 16\nbox = [1, 1, 2]").replacingOccurrences(of: "k_max = 50.0", with: "k_max = 20.0"))
    let (field, _) = SpectralSynthesis.synthesize(spec)
    try FieldFile.write(field, spec: spec, specText: "s", to: path("own.h5"))
    let snapshot = try SnapshotFile.read(
      try snapshotSpec("path = \"own.h5\"\nmean_field = \"given\"\nb0 = [0, 0, 1]\nbox = [1, 1, 2]"))
    #expect(snapshot.field.geometry == field.geometry)
    #expect(snapshot.rotation == .identity)
    for c in 0..<3 { #expect(snapshot.field.unpaddedComponent(c) == field.unpaddedComponent(c)) }
    #expect(snapshot.warnings.isEmpty)
  }

  /// A total field with B₀ along −y, stored z-slowest, is turned onto +z: node for node the field
  /// it was made from (written here by the inverse map x = −y', y = −z', z = x').
  @Test func meanFieldAlongAnotherAxisIsTurnedOntoZ() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let turned = SIMD3(4, 6, 8)  // Larmor's grid after the turn
    var reference = [[Float]](repeating: [], count: 3)
    var generator = SplitMix64(seed: 5, purpose: .fieldMode, index: 0)
    for c in 0..<3 { reference[c] = (0..<(turned.x * turned.y * turned.z)).map { _ in Float(0.1 * (generator.nextOpenUnit() - 0.5)) } }
    for c in 0..<3 { reference[c] = reference[c].map { $0 - reference[c].reduce(0, +) / Float(reference[c].count) } }  // ⟨δb⟩ = 0
    // Data axes: x_d = −y', y_d = −z', z_d = x', so the data grid is (n_y', n_z', n_x').
    let data = SIMD3(turned.y, turned.z, turned.x)
    var components = [[Float]](repeating: [Float](repeating: 0, count: data.x * data.y * data.z), count: 3)
    for i in 0..<turned.x {
      for j in 0..<turned.y {
        for k in 0..<turned.z {
          let new = (i * turned.y + j) * turned.z + k
          let (xd, yd, zd) = ((data.x - j) % data.x, (data.y - k) % data.y, i)
          let old = (zd * data.y + yd) * data.x + xd  // stored [iz][iy][ix]
          components[0][old] = -reference[1][new]  // B_x = −B_y'
          components[1][old] = -(reference[2][new] + 1)  // B_y = −B_z' (with B₀)
          components[2][old] = reference[0][new]  // B_z = B_x'
        }
      }
    }
    try write([("Bx", components[0]), ("By", components[1]), ("Bz", components[2])], shape: [data.z, data.y, data.x], to: path("turned.h5"))
    let snapshot = try SnapshotFile.read(
      try snapshotSpec("path = \"turned.h5\"\nb = [\"Bx\", \"By\", \"Bz\"]\naxis_order = \"zyx\"\nbox = [2, 3, 4]"))
    #expect(snapshot.field.geometry.counts == turned)
    #expect(snapshot.field.geometry.boxSize == Vec3(4, 2, 3))
    #expect(abs(snapshot.meanFieldData.y + 1) < 1e-6 && abs(snapshot.meanFieldData.x) < 1e-6)
    for c in 0..<3 {
      let got = snapshot.field.unpaddedComponent(c)
      #expect(zip(got, reference[c]).allSatisfy { abs($0 - $1) <= 2e-7 }, "component \(c)")
    }
  }

  /// Velocity in units of v_A with the mean flow removed; density as δρ/ρ̄; v_A from the units.
  @Test func velocityAndDensityAreNormalized() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cells = 2 * 2 * 2
    let b: [Float] = (0..<cells).map { Float($0 % 2) * 0.2 - 0.1 }
    let rho: [Float] = (0..<cells).map { $0 < 4 ? 3 : 5 }  // ρ̄ = 4
    let vx: [Float] = (0..<cells).map { Float($0) }  // ⟨u_x⟩ = 3.5
    try write(
      [("bx", b), ("by", b), ("bz", b.map { $0 + 2 }), ("vx", vx), ("vy", vx), ("vz", vx), ("rho", rho)], shape: [2, 2, 2],
      to: path("flow.h5"))
    let snapshot = try SnapshotFile.read(try snapshotSpec(
      "path = \"flow.h5\"\nbox = [1, 1, 1]\nvelocity = [\"vx\", \"vy\", \"vz\"]\ndensity = \"rho\"\nmagnetic_units = \"gaussian\"\nsound_speed = 0.5"))
    let vA = 2 / (4 * Double.pi * 4).squareRoot()
    #expect(abs(snapshot.alfvenSpeed! / vA - 1) < 1e-6)  // ⟨B_z⟩ from float32 nodes
    #expect(abs(Double(snapshot.velocity![0][7]) - (7 - 3.5) / vA) < 1e-4)
    #expect(snapshot.density![0] == -0.25 && snapshot.density![7] == 0.25)
    #expect(abs(snapshot.soundToAlfvenSquared! / (0.25 / (vA * vA)) - 1) < 1e-6)
  }

  /// Each bad cube or spec is one line naming the dataset or key.
  @Test func badSnapshotsAreRefusedNamingTheCause() throws {
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ones = [Float](repeating: 1, count: 8)
    let zeros = [Float](repeating: 0, count: 8)
    try write([("bx", zeros), ("by", zeros), ("bz", ones)], shape: [2, 2, 2], to: path("good.h5"))
    try write([("bx", zeros), ("by", zeros), ("bz", [Float](repeating: 1, count: 12))], shape: [2, 2, 2], to: path("a.h5"))
    try HDF5.createFile(path("shape.h5")) { f throws(InputError) in
      try HDF5.writeFloats(f, "bx", zeros, shape: [2, 2, 2], path: "")
      try HDF5.writeFloats(f, "by", zeros, shape: [2, 4, 1], path: "")
      try HDF5.writeFloats(f, "bz", ones, shape: [2, 2, 2], path: "")
    }
    var nan = ones
    nan[5] = .nan
    try write([("bx", zeros), ("by", zeros), ("bz", nan)], shape: [2, 2, 2], to: path("nan.h5"))
    try write([("bx", ones), ("by", zeros), ("bz", ones)], shape: [2, 2, 2], to: path("tilted.h5"))
    try write([("bx", zeros), ("by", zeros), ("bz", zeros)], shape: [2, 2, 2], to: path("nomean.h5"))
    let box = "box = [1, 1, 1]\n"
    let cases: [(String, String)] = [
      ("path = \"good.h5\"\nb = [\"bx\", \"by\", \"Bz\"]\n" + box, "no dataset 'Bz' (named by field.file.b)"),
      ("path = \"shape.h5\"\n" + box, "dataset by has shape 2×4×1, bx has 2×2×2"),
      ("path = \"nan.h5\"\n" + box, "dataset bz has 1 NaN or Inf cells, the first at [1][0][1]"),
      ("path = \"tilted.h5\"\n" + box, "points 45.00° from the nearest grid axis"),
      ("path = \"nomean.h5\"\n" + box, "⟨B⟩ = 0 over the cube"),
      ("path = \"absent.h5\"\n" + box, "no such snapshot file"),
      ("path = \"good.h5\"\nvelocity = [\"vx\", \"vy\", \"vz\"]\n" + box, "no dataset 'vx' (named by field.file.velocity)"),
    ]
    for (keys, expected) in cases {
      let text = message { _ = try SnapshotFile.read(try snapshotSpec(keys.contains("velocity") ? keys + "alfven_speed = 1\n" : keys)) }
      #expect(text.contains(expected), "\(keys): \(text)")
      #expect(!text.contains("\n"))
    }
    let specCases: [(String, String)] = [
      ("path = \"good.h5\"\n", "field.file.box: is required"),
      ("path = \"good.h5\"\nvelocity = [\"vx\", \"vy\", \"vz\"]\n" + box, "field.file.velocity: needs the Alfvén speed"),
      ("path = \"good.h5\"\nmean_field = \"given\"\n" + box, "field.file.b0: is required"),
      ("path = \"good.h5\"\nmagnetic_units = \"gaussian\"\n" + box, "field.file.magnetic_units: computes v_A from the density"),
      ("path = \"good.h5\"\naxis_order = \"yxz\"\n" + box, "field.file.axis_order: must be"),
      ("paths = [\"good.h5\", \"good.h5\"]\n" + box, "field.file.paths: lists a file twice"),
      ("path = \"good.h5\"\nbox = [1, 1]\n", "field.file.box: must be three"),
      ("path = \"good.h5\"\nunits = \"cgs\"\n" + box, "field.file.units: unknown key"),
    ]
    for (keys, expected) in specCases {
      let text = message { _ = try snapshotSpec(keys) }
      #expect(text.contains(expected), "\(keys): \(text)")
    }
    // The given-mean case reads δB; a snapshot with a mean it was told is absent is read with a warning.
    let given = try SnapshotFile.read(try snapshotSpec("path = \"good.h5\"\nmean_field = \"given\"\nb0 = [0, 0, 2]\n" + box))
    #expect(given.warnings.first?.contains("mean of 0.5 |B₀|") == true)
  }
}
