import Foundation
import LarmorIO
import Testing

/// A results file holds exactly the result it was written from: every key, at any depth, reads
/// back equal (numbers bitwise; null as NaN or "", the one thing HDF5 cannot say).
@Suite struct ResultsFileTests {
  func roundTrip(_ document: ResultsFile.Document) throws -> ResultsFile.Document {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID().uuidString).h5").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ResultsFile.write(document, to: path)
    return try ResultsFile.read(path)
  }

  @Test func everyKindOfValueReadsBack() throws {
    let result: [String: ResultValue] = [
      "rigidities": .list([.number(0.01), .number(0.1)]),
      "count": .integer(-7), "flag": .boolean(true), "label": .text("σ² = 10⁻⁴, ✓"), "missing": .null,
      "empty": .list([]), "integers": .list([.integer(1), .integer(2)]), "flags": .list([.boolean(false), .boolean(true)]),
      "matrix": .list([.list([.number(1), .number(.pi)]), .list([.number(-0.0), .null])]),
      "texts": .list([.text("a"), .null, .text("ü")]),
      "nested": .record(["inner": .record(["x": .number(2.5e-300)]), "xs": .list([.integer(3)])]),
      "rows": .list([.record(["a": .number(1), "b": .text("x")]), .record(["a": .number(2), "b": .null])]),
      "mixed": .list([.number(1), .text("two"), .record(["three": .integer(3)])]),
      // Per rigidity: scalars become attributes, lists datasets; a rigidity without any window
      // keeps the [start, end] shape of the others.
      "dpar": .list([.number(0.5), .null]),
      "is_flat": .list([.boolean(true), .boolean(false)]),
      "windows": .list([.list([.list([.number(1), .number(2)]), .null]), .list([.null, .null])]),
      "problem": .list([.list([.null, .text("no window")]), .list([.null, .null])]),
      "table": .list([.list([.record(["mu": .number(0.5)])]), .list([.record(["mu": .number(-0.5)])])]),
    ]
    let document = ResultsFile.Document(
      command: "test", result: result, rigidities: [0.01, 0.1],
      perRigidityKeys: ["dpar", "is_flat", "windows", "problem", "table"], units: ["dpar": "c L", "windows": "L/c"],
      textKeys: ["problem"], provenance: ["spec": .text("[field]\nmodel = \"slab\"")],
      sections: ["extra": ResultsFile.Document(command: "inner", result: ["x": .number(1)])])
    let read = try roundTrip(document)
    let difference = ResultValue.record(read.result).firstDifference(from: .record(result))
    #expect(difference == nil, "\(difference ?? "")")
    #expect(read.command == "test")
    #expect(read.rigidities == [0.01, 0.1])
    #expect(read.perRigidityKeys == ["dpar", "is_flat", "windows", "problem", "table"])
    #expect(read.provenance["spec"] == .text("[field]\nmodel = \"slab\""))
    #expect(read.sections["extra"]?.result["x"] == .number(1))
    // Bitwise, not approximately: the file is the result, not a rounded copy.
    #expect(read.result["matrix"] == .list([.list([.number(1), .number(.pi)]), .list([.number(-0.0), .null])]))
    #expect(read.result["nested"]?.recordFields["inner"]?.recordFields["x"] == .number(2.5e-300))
  }

  /// What `JSONSerialization` parses back (NSNumber, booleans) converts to the same values the
  /// commands built, so a CLI's printed JSON can be checked against its file.
  @Test func parsedJSONConverts() throws {
    let text = #"{"b": true, "i": 3, "x": 0.25, "n": null, "s": "t", "l": [1, 2.5], "r": {"f": false}}"#
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let value = ResultValue(json: parsed)
    let expected = ResultValue.record([
      "b": .boolean(true), "i": .integer(3), "x": .number(0.25), "n": .null, "s": .text("t"),
      "l": .list([.integer(1), .number(2.5)]), "r": .record(["f": .boolean(false)]),
    ])
    #expect(value.firstDifference(from: expected) == nil, "\(value)")
  }
}
