import Foundation
import LarmorCore
@testable import LarmorIO
import Testing

/// A valid isotropic spec; bad inputs below are this with one thing broken.
let validSpec = """
  [field]
  model = "isotropic"
  db_over_b0 = 0.5
  k_max = 50.0
  seed = 3

  [grid]
  n = 32
  """

func read(_ text: String) throws -> FieldSpec {
  try FieldSpecReader.read(SpecDocument(path: "test.toml", text: text))
}

@Suite struct SpecReaderTests {
  @Test func validSpecDefaults() throws {
    let spec = try read(validSpec)
    #expect(spec.spectrum.minimumWavenumber == 2 * .pi)  // k_min defaults to 2π/L
    #expect(spec.geometry.boxSize == Vec3(repeating: 1))  // box defaults to 2π/k_min = L
    #expect(spec.geometry.counts == SIMD3(32, 32, 32))
    #expect(spec.normalization == .expectedVariance)
    #expect(spec.seed == 3)
  }

  @Test func slabGridIsOneDimensional() throws {
    let spec = try read("""
      [field]
      model = "slab"
      db_over_b0 = 0.1
      k_max = 100
      [grid]
      n = 256
      box = [1, 1, 8]
      """)
    #expect(spec.geometry.counts == SIMD3(1, 1, 256))
    #expect(spec.geometry.boxSize.z == 8)
  }

  @Test func mixtureFractions() throws {
    let spec = try read("""
      [field]
      model = "mixture"
      db_over_b0 = 0.5
      k_max = 50
      fractions = { alfven = 0.5, fast = 0.5 }
      [grid]
      n = 32
      """)
    #expect(spec.spectrum.components.map(\.family.name) == ["alfven", "fast"])
  }

  /// Each bad input must give an error that names the offending key (or file), not a crash.
  @Test(arguments: [
    ("model = \"isotropic\"", "model = \"kolmogorov\"", "field.model"),
    ("db_over_b0 = 0.5", "db_over_b0 = -0.5", "field.db_over_b0"),
    ("db_over_b0 = 0.5", "db_over_b0 = \"big\"", "field.db_over_b0"),
    ("db_over_b0 = 0.5", "db_over_b0 = 1e39", "field.db_over_b0"),
    ("db_over_b0 = 0.5", "db_over_b0 = 1001.0", "field.db_over_b0"),
    ("db_over_b0 = 0.5", "", "field.db_over_b0"),
    ("k_max = 50.0", "k_max = 5.0", "field.k_max"),  // k_max < k_min = 2π
    ("k_max = 50.0", "k_max = 500.0", "field.k_max"),  // above Nyquist of 32 cells per L
    ("k_max = 50.0", "k_max = 50.0\nk_min = 0", "field.k_min"),
    ("n = 32", "n = 32\nbox = 0.5", "field.k_min"),  // k_min = 2π below the box fundamental 4π
    ("seed = 3", "seed = -3", "field.seed"),
    ("seed = 3", "seed = 3\ncolour = \"red\"", "field.colour"),  // unknown key
    ("seed = 3", "seed = 3\nmach = 0.5", "field.mach"),  // mach on an isotropic model
    ("seed = 3", "seed = 3\nnormalization = \"total\"", "field.normalization"),
    ("seed = 3", "seed = 3\nindex = -1", "field.index"),
    ("n = 32", "n = 0", "grid.n"),
    ("n = 32", "n = 32\nnz = 64", "grid.n"),
    ("n = 32", "n = 32\nbox = [1, 2]", "grid.box"),
    ("n = 32", "n = 32\nbox = -1", "grid.box"),
    ("n = 32", "n = 2", "grid"),  // too few points for a 3D spectrum
    ("[grid]", "[grids]", "grids"),  // unknown section
    ("[grid]", "", "[grid]"),  // missing section
    ("model = \"isotropic\"", "model = \"mixture\"\nfractions = { alfven = 0.7, fast = 0.7 }", "fractions"),
    ("model = \"isotropic\"", "model = \"mixture\"\nfractions = { alfven = 0.5, sound = 0.5 }", "sound"),
    ("model = \"isotropic\"", "model = \"alfven\"\nmach = 0", "mach"),
    ("db_over_b0 = 0.5", "db_over_b0 = 0.5 0.6", "line"),  // not TOML
    ("model = \"isotropic\"", "model = \"isotropic\"\nk_par_min = 1", "k_par_min"),
    ("model = \"isotropic\"", "model = \"alfven\"\nk_par_min = -1", "k_par_min"),
  ])
  func badInputNamesTheKey(_ original: String, _ replacement: String, _ expectedKey: String) {
    let text = validSpec.replacingOccurrences(of: original, with: replacement)
    do {
      _ = try read(text)
      Issue.record("accepted a bad spec: \(replacement)")
    } catch let error as InputError {
      #expect(error.description.contains(expectedKey), "message '\(error.description)' does not name \(expectedKey)")
      #expect(error.description.hasPrefix("test.toml"))
      #expect(!error.description.contains("\n"))
    } catch {
      Issue.record("unexpected error type \(error)")
    }
  }

  @Test func missingFile() {
    #expect(throws: InputError.self) { try SpecDocument(path: "/nonexistent/spec.toml") }
  }

  /// Every preset in fields/ must read and validate: a field spec with its grid, a run spec as a
  /// run (with its field spec or [field.file] snapshots), a spec with [qlt] (or a [field] without
  /// [grid] that is not a snapshot, which is QLT's) as a QLT spec.
  @Test func presetsAreValid() throws {
    let fields = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fields").standardized
    let files = try FileManager.default.contentsOfDirectory(atPath: fields.path).filter { $0.hasSuffix(".toml") }
    #expect(files.count >= 6)
    for file in files {
      let document = try SpecDocument(path: fields.appendingPathComponent(file).path)
      let (field, grid) = (document.hasSection("field"), document.hasSection("grid"))
      if field, grid { _ = try FieldSpecReader.read(document) }
      if document.hasSection("run") && document.hasSection("particles") { _ = try RunSpecReader.read(document) }
      let snapshot = try SnapshotSpecReader.read(document)
      if document.hasSection("qlt") || (field && !grid && snapshot == nil) {
        _ = try QLTSpecReader.read(document)
      }
    }
  }
}

/// `model = "tabulated"`: the table `larmor decompose` writes reads back to the same doubles, and
/// bad tables are refused naming the key.
@Suite struct TabulatedSpecTests {
  @Test func writtenTablesReadBackBitwise() throws {
    let table = try TabulatedSpectrum(
      perpendicularEdges: [0, 0.1, 1.0 / 3, 7.25], parallelEdges: [0, 0.5, 1e-3 + 2],
      alfven: [[1e-7, 3.3e-9], [0, 0.1], [2.5e-5, 1.0 / 7]], pseudo: [[0, 1], [1e-300, 2], [3, 4]])
    let document = try SpecDocument(path: "t.toml", text: TabulatedSpectrumFile.text(table, comment: ["a test"]))
    let input = try FieldSpecReader.readTurbulence(document)
    #expect(input.spectrum.components.first?.family == .tabulated(table))
    #expect(input.motion == nil)
    #expect(abs(input.spectrum.variance / table.variance - 1) < 1e-15)
  }

  @Test(arguments: [
    ("k_max = 10\n", "field.k_max"),
    ("alfven_speed = 0.1\n", "field.alfven_speed"),
    ("", "field.table"),
  ])
  func badTabulatedSpecsNameTheKey(_ extra: String, _ key: String) {
    let text = "[field]\nmodel = \"tabulated\"\n" + extra
      + (key == "field.table" ? "" : "[field.table]\nk_perp_edges = [0, 1]\nk_par_edges = [0, 1]\nalfven = [[1]]\npseudo = [[0]]\n")
    do {
      _ = try FieldSpecReader.readTurbulence(try SpecDocument(path: "t.toml", text: text))
      Issue.record("accepted \(extra)")
    } catch { #expect(error.description.contains(key), "\(error)") }
  }

  /// A table with a [grid] is a field spec (synthesis samples it on the grid's modes); a grid
  /// none of whose modes carries the table's power is refused, naming [field] model.
  @Test func tablesAreSynthesizedWhereTheGridHoldsThem() throws {
    func spec(box: Double) -> String {
      "[field]\nmodel = \"tabulated\"\n[field.table]\nk_perp_edges = [0, 1]\nk_par_edges = [0, 1]\nalfven = [[1]]\npseudo = [[0]]\n[grid]\nn = 8\nbox = \(box)\n"
    }
    let field = try FieldSpecReader.read(try SpecDocument(path: "t.toml", text: spec(box: 10)))  // Δk = 0.63 < 1
    #expect(field.spectrum.table != nil && field.geometry.counts == SIMD3(8, 8, 8))
    do {
      _ = try FieldSpecReader.read(try SpecDocument(path: "t.toml", text: spec(box: 1)))  // Δk = 6.3: no mode below 1
      Issue.record("synthesized a table off the grid")
    } catch { #expect(error.description.contains("field.model") && error.description.contains("none of the table's power"), "\(error)") }
  }

  @Test func ragged() {
    let text = "[field]\nmodel = \"tabulated\"\n[field.table]\nk_perp_edges = [0, 1, 2]\nk_par_edges = [0, 1]\nalfven = [[1], [1, 2]]\npseudo = [[0], [0]]\n"
    do {
      _ = try FieldSpecReader.readTurbulence(try SpecDocument(path: "t.toml", text: text))
      Issue.record("accepted a ragged table")
    } catch { #expect(error.description.contains("field.table.alfven"), "\(error)") }
  }
}

/// `k_par_min` sets the GS families' |k_∥| floor in 1/L (stored in units of k_min).
@Test func parallelFloorIsRead() throws {
  let text = validSpec.replacingOccurrences(of: "model = \"isotropic\"", with: "model = \"alfven\"\nk_par_min = 12.566370614359172")
  let input = try FieldSpecReader.readTurbulence(try SpecDocument(path: "t.toml", text: text))
  guard case .alfven(let gs) = input.spectrum.components[0].family else { Issue.record("not alfven"); return }
  #expect(abs(gs.parallelFloorFactor * input.spectrum.minimumWavenumber - 4 * .pi) < 1e-12)
}
