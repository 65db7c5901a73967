import CHDF5
import Foundation
import LarmorCore
@testable import LarmorIO
import Testing
import Turbulence

@Suite struct FieldFileTests {
  func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("larmor-\(getpid())-\(name)").path
  }

  /// A written field reads back bit for bit, with its geometry, mean field and spec text.
  @Test func roundTrip() throws {
    let spec = try read(validSpec.replacingOccurrences(of: "n = 32", with: "nx = 8\nny = 12\nnz = 16\nbox = [1, 1, 2]").replacingOccurrences(of: "k_max = 50.0", with: "k_max = 20.0"))
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let path = temporaryPath("roundtrip.h5")
    defer { unlink(path) }
    try FieldFile.write(field, spec: spec, specText: "spec text ✓", to: path)
    let back = try FieldFile.read(path)
    #expect(back.field.geometry == field.geometry)
    #expect(back.field.meanField == Vec3(0, 0, 1))
    #expect(back.specText == "spec text ✓")
    #expect(back.seed == 3)
    for c in 0..<3 { #expect(back.field.unpaddedComponent(c) == field.unpaddedComponent(c)) }
    let x = Vec3(0.31, 0.77, 1.3)
    #expect(back.field.sample(at: x) == field.sample(at: x))
  }

  @Test func missingAndCorruptFiles() throws {
    #expect(throws: InputError.self) { try FieldFile.read(temporaryPath("absent.h5")) }
    let garbage = temporaryPath("garbage.h5")
    defer { unlink(garbage) }
    try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: garbage))
    #expect(throws: InputError.self) { try FieldFile.read(garbage) }
  }

  /// A file cut short (e.g. a killed copy) is reported, not read as nonsense.
  @Test func truncatedFile() throws {
    let spec = try read(validSpec)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let path = temporaryPath("truncated.h5")
    defer { unlink(path) }
    try FieldFile.write(field, spec: spec, specText: validSpec, to: path)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    #expect(throws: InputError.self) { try FieldFile.read(path) }
  }

  @Test func unwritableDestination() throws {
    let spec = try read(validSpec)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    #expect(throws: InputError.self) { try FieldFile.write(field, spec: spec, specText: "", to: "/nonexistent/dir/f.h5") }
  }

  /// Field files that are not what they say: data ×1000 against the stated δB/B₀, B₀ = 0, a
  /// one-cell grid, one bit flipped in the data (found by the first values' bytes). Each read
  /// fails with a message naming what is wrong; the untouched file reads.
  @Test func filesThatContradictThemselves() throws {
    let spec = try read(validSpec)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    func written(_ f: GridField, _ name: String) throws -> String {
      let path = temporaryPath(name)
      try FieldFile.write(f, spec: spec, specText: validSpec, to: path)
      return path
    }
    func message(_ path: String) -> String? {
      do { _ = try FieldFile.read(path); return nil } catch { return error.description }
    }
    let good = try written(field, "good.h5")
    defer { unlink(good) }
    #expect(message(good) == nil)
    let components = (0..<3).map { field.unpaddedComponent($0) }
    let scaled = try written(GridField(geometry: field.geometry, meanField: field.meanField, fluctuation: components.map { $0.map { $0 * 1000 } }), "scaled.h5")
    defer { unlink(scaled) }
    #expect(message(scaled)?.contains("rms δB/B₀") == true, "\(message(scaled) ?? "accepted")")
    let unmagnetized = try written(GridField(geometry: field.geometry, meanField: Vec3(), fluctuation: components), "b0.h5")
    defer { unlink(unmagnetized) }
    #expect(message(unmagnetized)?.contains("b0_direction") == true)
    let one = GridGeometry(counts: SIMD3(1, 1, 1), boxSize: Vec3(1, 1, 1))
    let single = try written(GridField(geometry: one, meanField: Vec3(0, 0, 1), fluctuation: [[0.1], [0], [0]]), "one.h5")
    defer { unlink(single) }
    #expect(message(single)?.contains("two cells") == true, "\(message(single) ?? "accepted")")
    // Flip a low mantissa bit of a value in bx, located by the bytes of bx's first four values.
    var data = try Data(contentsOf: URL(fileURLWithPath: good))
    let probe = components[0].prefix(4).withUnsafeBytes { Data($0) }
    let offset = try #require(data.range(of: probe)).lowerBound
    data[offset + 9] ^= 0x01
    let flipped = temporaryPath("flipped.h5")
    defer { unlink(flipped) }
    try data.write(to: URL(fileURLWithPath: flipped))
    #expect(message(flipped)?.contains("corrupt") == true, "\(message(flipped) ?? "accepted")")
  }

  /// A header declaring a 4096³ dataset (no data behind it: HDF5 allocates contiguous storage
  /// late) is refused before anything is allocated, instead of aborting the process.
  @Test func hugeDeclaredShapeIsRefusedBeforeAllocating() throws {
    let path = temporaryPath("huge-header.h5")
    defer { unlink(path) }
    let file = H5Fcreate(path, larmor_h5f_acc_trunc(), larmor_h5p_default(), larmor_h5p_default())
    #expect(file >= 0)
    var dims: [hsize_t] = [4096, 4096, 4096]
    let space = H5Screate_simple(3, &dims, nil)
    for name in ["bx", "by", "bz"] {
      let set = H5Dcreate2(file, name, larmor_h5t_native_float(), space, larmor_h5p_default(), larmor_h5p_default(), larmor_h5p_default())
      #expect(set >= 0)
      H5Dclose(set)
    }
    H5Sclose(space)
    H5Fclose(file)
    #expect((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? .max < 1 << 20)
    let reopened = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    defer { H5Fclose(reopened) }
    do {
      _ = try HDF5.readFloats(reopened, "bx", path: path)
      Issue.record("a 4096³ header was accepted")
    } catch {
      #expect(error.description.contains("2³⁰") && error.description.contains("4096×4096×4096"), "\(error.description)")
    }
    #expect(throws: InputError.self) { try FieldFile.read(path) }
  }
}
