import Foundation
import LarmorCore

/// A tabulated spectrum as a spec file that `larmor qlt` reads (`[field] model = "tabulated"`,
/// `[field.table]`; FieldSpecReader.readTabulated). Numbers are written in Swift's shortest
/// round-trip form, so the file reads back to the same doubles.
public enum TabulatedSpectrumFile {
  /// The spec text: `comment` lines (each prefixed with "# "), then the table.
  public static func text(_ table: TabulatedSpectrum, comment: [String]) -> String {
    func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
    func rows(_ rows: [[Double]]) -> String { "[\n" + rows.map { "  " + list($0) + "," }.joined(separator: "\n") + "\n]" }
    var lines = comment.map { "# " + $0 }
    lines += [
      "[field]",
      "model = \"tabulated\"",
      "",
      "[field.table]   # variance ⟨|δb|²⟩ per (k_⊥, |k_∥|) cell along ê_A (alfven) and ê_θ (pseudo), B₀²; one row per k_⊥ cell",
      "k_perp_edges = " + list(table.perpendicularEdges) + "   # 1/L",
      "k_par_edges = " + list(table.parallelEdges) + "   # 1/L, both signs of k_∥",
      "alfven = " + rows(table.alfven),
      "pseudo = " + rows(table.pseudo),
      "",
    ]
    return lines.joined(separator: "\n")
  }

  public static func write(_ table: TabulatedSpectrum, comment: [String], to path: String) throws(InputError) {
    do { try text(table, comment: comment).write(toFile: path, atomically: true, encoding: .utf8) } catch {
      throw InputError("\(path): cannot write the spectrum table: \(error.localizedDescription)")
    }
  }
}
