import ArgumentParser
import Foundation
import LarmorCore
import LarmorIO
import Turbulence

/// `larmor decompose SPEC --out DIR`: split each snapshot of `[field.file]` into Alfvén, slow and
/// fast parts, write each part as a Larmor field file, and report energies, spectra, anisotropy.
struct DecomposeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decompose",
    abstract: "Split external MHD snapshots ([field.file]) into Alfvén, slow and fast parts (field files for trace).",
    discussion: """
      With the magnetic field alone the parts are alfven and compressive (slow + fast). A velocity splits δu exactly and \
      δb by a closure; a density splits δb exactly in linear theory. Velocity or density need sound_speed or plasma_beta \
      in [field.file]. Outputs: DIR/<snapshot>-<family>.h5, one per family and snapshot, and DIR/<snapshot>-<family>-spectrum.toml, \
      the part's modes as a tabulated spectrum for larmor qlt (docs/outputs.md §7).
      """)

  @Argument(help: "Spec with a [field.file] section (a run spec works: its other sections are not read).")
  var spec: String

  @Option(help: "Directory for the part files (created if missing).")
  var out: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    let document = try SpecDocument(path: spec)
    let snapshots = try SnapshotSpecReader.snapshotSpec(document)
    let log = StandardError()
    do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
      throw InputError("\(out): cannot create the output directory")
    }
    var reports: [[String: Any]] = []
    var table: [String] = []
    for index in snapshots.paths.indices {
      let loaded = try LoadedSnapshot.load(snapshots, index: index, threads: common.resolvedThreads)
      let snapshot = loaded.snapshot
      for warning in loaded.warnings { log.print("  warning: \(snapshot.path): \(warning)") }
      let α = snapshot.soundToAlfvenSquared
      if (snapshot.velocity != nil || snapshot.density != nil) && α == nil {
        throw InputError(
          "\(spec): field.file.sound_speed (or plasma_beta) is required to split slow from fast modes: the eigenvectors depend on c_s²/v_A²")
      }
      let n = snapshot.field.geometry.counts
      log.print("larmor decompose: \(snapshot.path) (\(n.x)×\(n.y)×\(n.z), δB/B₀ = \(String(format: "%.3g", snapshot.turbulenceLevel)))")
      let d = ModeDecomposition.decompose(
        field: loaded.field, velocity: snapshot.velocity, density: snapshot.density, soundToAlfvenSquared: α, threads: common.resolvedThreads)
      let stem = URL(fileURLWithPath: snapshot.path).deletingPathExtension().lastPathComponent
      var parts: [[String: Any]] = []
      for part in d.parts {
        let file = URL(fileURLWithPath: out).appendingPathComponent("\(stem)-\(part.name).h5").path
        let diagnostics = FieldDiagnostics.measure(part.field, threads: common.resolvedThreads)
        let level = diagnostics.rms
        let Δk = part.field.geometry.wavenumberSpacing
        let nyquist = part.field.geometry.nyquistWavenumber
        try FieldFile.write(
          part.field,
          metadata: FieldFile.Metadata(
            models: part.name, fractions: [1], minimumWavenumber: min(Δk.x, Δk.y, Δk.z),
            maximumWavenumber: (nyquist * nyquist).sum().squareRoot(), turbulenceLevel: Self.storedRMS(part.field),
            normalization: "realized", seed: 0,
            specText: "# \(part.name) part of \(snapshot.path) (larmor decompose, magnetic split: \(d.magneticSplit.rawValue))\n" + document.text),
          to: file)
        // The part's measured modes binned into (k_⊥, |k_∥|) cells: a spec `larmor qlt` reads.
        let tableFile = URL(fileURLWithPath: out).appendingPathComponent("\(stem)-\(part.name)-spectrum.toml").path
        let binned = TabulatedSpectrum(binning: ModePowerTable.measure(part.field, threads: common.resolvedThreads))
        try TabulatedSpectrumFile.write(
          binned,
          comment: [
            "The \(part.name) part of \(snapshot.path) (larmor decompose, magnetic split: \(d.magneticSplit.rawValue)):",
            "its Fourier modes binned into cells one lattice spacing wide. QLT of this spectrum: larmor qlt \(URL(fileURLWithPath: tableFile).lastPathComponent)",
          ], to: tableFile)
        var entry: [String: Any] = [
          "family": part.name, "file": file, "spectrum_table": tableFile, "magnetic_fraction": part.magneticVariance / d.magneticVariance, "db_over_b0": level,
          "spectral_slope": diagnostics.spectralSlope, "anisotropy_exponent": diagnostics.anisotropyExponent ?? NSNull(),
          "spectrum_k_per_L": diagnostics.spectrum.map(\.wavenumber), "spectrum": diagnostics.spectrum.map(\.energy),
          "anisotropy_k_perp_per_L": diagnostics.parallelWidth.map(\.perpendicular),
          "anisotropy_k_par_width_per_L": diagnostics.parallelWidth.map(\.parallelWidth),
        ]
        if let kinetic = part.kineticVariance, let total = d.kineticVariance, total > 0 { entry["kinetic_fraction"] = kinetic / total }
        parts.append(entry)
        table.append(String(
          format: "  %@ δb²/δB² = %.4f%@  δB/B₀ = %.4g  slope %.2f  k_∥ ∝ k_⊥^%.2f  → %@", part.name.padding(toLength: 12, withPad: " ", startingAt: 0),
          part.magneticVariance / d.magneticVariance,
          part.kineticVariance.map { String(format: "  δu²/δU² = %.4f", $0 / (d.kineticVariance ?? 1)) } ?? "", level,
          diagnostics.spectralSlope, diagnostics.anisotropyExponent ?? .nan, file))
      }
      let total = d.magneticVariance
      var report: [String: Any] = [
        "path": snapshot.path, "grid": [n.x, n.y, n.z],
        "box_L": [snapshot.field.geometry.boxSize.x, snapshot.field.geometry.boxSize.y, snapshot.field.geometry.boxSize.z],
        "b0_data": [snapshot.meanFieldData.x, snapshot.meanFieldData.y, snapshot.meanFieldData.z],
        "rotation": snapshot.rotation.description, "tilt_deg": snapshot.tiltDegrees, "db_over_b0": snapshot.turbulenceLevel,
        "divergence": loaded.diagnostics.divergenceRMS, "projected_solenoidal": loaded.projected,
        "spectral_slope": loaded.diagnostics.spectralSlope, "anisotropy_exponent": loaded.diagnostics.anisotropyExponent ?? NSNull(),
        "magnetic_split": d.magneticSplit.rawValue, "longitudinal_fraction": d.longitudinalVariance / total,
        "parallel_modes_fraction": d.parallelModesVariance / total, "slow_fast_cross_fraction": d.slowFastCrossVariance / total,
        "nyquist_fraction": d.nyquistVariance / total, "uniform_over_b0_squared": d.uniformVariance, "parts": parts,
        "warnings": loaded.warnings,
      ]
      if let kinetic = d.kineticVariance, let nyquist = d.nyquistKineticVariance, kinetic > 0 { report["nyquist_kinetic_fraction"] = nyquist / kinetic }
      if let vA = snapshot.alfvenSpeed { report["alfven_speed_data_units"] = vA }
      if let α { report["sound_to_alfven_squared"] = α }
      if let kinetic = d.kineticVariance { report["alfven_mach"] = kinetic.squareRoot() }
      reports.append(report)
      table.insert(String(
        format: "%@: δB/B₀ = %.4g, divergence %.2g, B₀ turned: %@, split: %@%@", snapshot.path, snapshot.turbulenceLevel,
        loaded.diagnostics.divergenceRMS, snapshot.rotation.description, d.magneticSplit.rawValue,
        d.kineticVariance.map { String(format: ", M_A = %.3g", $0.squareRoot()) } ?? ""), at: table.count - d.parts.count)
    }
    if common.json { print(try jsonText(["snapshots": reports, "larmor_version": LarmorVersion.string])) } else { print(table.joined(separator: "\n")) }
  }

  /// √⟨|δb|²⟩ of the stored float32 nodes: what `FieldFile.read` checks a realized file against.
  static func storedRMS(_ field: GridField) -> Double {
    var squares = 0.0
    for c in 0..<3 { for v in field.unpaddedComponent(c) { squares += Double(v) * Double(v) } }
    return (squares / Double(field.geometry.cellCount)).squareRoot()
  }
}
