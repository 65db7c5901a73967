import Foundation
import LarmorCore
import LarmorIO
import Turbulence

/// An external snapshot read for tracing or decomposition, with the checks that need its
/// spectrum: the spectral divergence against `field.file.max_divergence` (refused above it unless
/// `project_solenoidal`), and a warning above 10⁻³ (the longitudinal part then holds more than
/// 10⁻⁶ of the k²-weighted power; Larmor's own fields sit at float round-off, ~10⁻⁷).
struct LoadedSnapshot {
  let snapshot: Snapshot
  /// δb as traced: the snapshot's, or its solenoidal part.
  let field: GridField
  /// Measured on the file's δb (before any projection).
  let diagnostics: FieldDiagnostics
  let projected: Bool
  let warnings: [String]

  static let divergenceWarning = 1e-3

  static func load(_ spec: SnapshotSpec, index: Int, threads: Int) throws -> LoadedSnapshot {
    let snapshot = try SnapshotFile.read(spec, index: index)
    let diagnostics = FieldDiagnostics.measure(snapshot.field, threads: threads)
    var warnings = snapshot.warnings
    let divergence = diagnostics.divergenceRMS
    var field = snapshot.field
    var projected = false
    if divergence > spec.maximumDivergence && !spec.projectSolenoidal {
      throw InputError(String(
        format: "%@: the spectral divergence √(Σ|k·b_k|²/Σ|k|²|b_k|²) is %.3g, above field.file.max_divergence = %g: the cube is not solenoidal (a random field gives 0.58); set field.file.project_solenoidal = true to trace its solenoidal part",
        snapshot.path, divergence, spec.maximumDivergence))
    }
    if spec.projectSolenoidal {
      field = ModeDecomposition.solenoidal(snapshot.field, threads: threads)
      projected = true
      if divergence > divergenceWarning {
        warnings.append(String(format: "spectral divergence %.3g: the longitudinal part was removed (field.file.project_solenoidal)", divergence))
      }
    } else if divergence > divergenceWarning {
      warnings.append(String(format: "spectral divergence %.3g (> %g): the longitudinal part is kept; field.file.project_solenoidal = true removes it", divergence, divergenceWarning))
    }
    return LoadedSnapshot(snapshot: snapshot, field: field, diagnostics: diagnostics, projected: projected, warnings: warnings)
  }

  /// Identity of the snapshots for checkpoints and shards: each path with its file checksum.
  static func identity(_ spec: SnapshotSpec) throws(InputError) -> String {
    var lines: [String] = []
    for path in spec.paths {
      guard let checksum = Checksum64(contentsOf: path) else { throw InputError("\(path): no such snapshot file (or unreadable)") }
      lines.append("snapshot = \(path), checksum64 = \(checksum)")
    }
    return lines.joined(separator: "\n")
  }
}
