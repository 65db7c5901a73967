import Foundation
import LarmorCore
import LarmorIO
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
}
