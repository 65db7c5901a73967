import Foundation
import LarmorCore
import Turbulence

/// What `larmor field` reports, as a table or as the JSON object documented in README.md.
struct FieldSummary {
  let spec: FieldSpec
  let report: SynthesisReport
  let diagnostics: FieldDiagnostics
  let synthesisSeconds: Double
  let diagnosticsSeconds: Double
  let output: String?

  /// Field storage: three float32 components per node, unpadded (`GridField`), plus one
  /// padding float.
  var bytesPerCell: Double {
    Double(3 * 4 * spec.geometry.cellCount + 4) / Double(spec.geometry.cellCount)
  }

  func json() throws -> String {
    let n = spec.geometry.counts
    let box = spec.geometry.boxSize
    var object: [String: Any] = [
      "models": spec.spectrum.components.map(\.family.name),
      "fractions": spec.spectrum.components.map(\.fraction),
      "grid": [n.x, n.y, n.z],
      "box_L": [box.x, box.y, box.z],
      "k_min_per_L": spec.spectrum.minimumWavenumber,
      "k_max_per_L": spec.spectrum.maximumWavenumber,
      "seed": spec.seed,
      "normalization": spec.normalization.rawValue,
      "db_over_b0_requested": spec.spectrum.turbulenceLevel,
      "db_over_b0": diagnostics.rms,
      "mean_db_over_b0": [diagnostics.mean.x, diagnostics.mean.y, diagnostics.mean.z],
      "component_variance": [diagnostics.componentVariance.x, diagnostics.componentVariance.y, diagnostics.componentVariance.z],
      "discrete_expected_variance": report.discreteExpectedVariance,
      "modes": report.modeCount,
      "divergence_max_coefficients": report.maximumDivergenceRatio,
      "divergence_rms_grid": diagnostics.divergenceRMS,
      "spectral_slope": finite(diagnostics.spectralSlope),
      "slope_fit_k_per_L": [diagnostics.slopeRange.lowerBound, diagnostics.slopeRange.upperBound],
      "alfven_fraction": diagnostics.alfvenFraction,
      "pseudo_fraction": diagnostics.pseudoFraction,
      "spectrum_k_per_L": diagnostics.spectrum.map(\.wavenumber),
      "spectrum_energy": diagnostics.spectrum.map(\.energy),
      "seconds_synthesis": synthesisSeconds,
      "seconds_diagnostics": diagnosticsSeconds,
      "bytes_per_cell": bytesPerCell,
    ]
    if let exponent = diagnostics.anisotropyExponent {
      object["anisotropy_exponent"] = finite(exponent)
      object["anisotropy_k_perp_per_L"] = diagnostics.parallelWidth.map(\.perpendicular)
      object["anisotropy_k_par_width_per_L"] = diagnostics.parallelWidth.map(\.parallelWidth)
    }
    if let output { object["out"] = output }
    return try jsonText(object)
  }

  private func finite(_ x: Double) -> Any { x.isFinite ? x : NSNull() }

  func table() -> String {
    let d = diagnostics
    func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
    var lines = [
      "quantity                          value",
      "δB_rms/B₀ requested               \(f(spec.spectrum.turbulenceLevel))",
      "δB_rms/B₀ measured                \(f(d.rms))",
      "⟨δB⟩/B₀                           (\(f(d.mean.x, 2)), \(f(d.mean.y, 2)), \(f(d.mean.z, 2)))",
      "⟨δb_x²⟩ ⟨δb_y²⟩ ⟨δb_z²⟩           \(f(d.componentVariance.x)) \(f(d.componentVariance.y)) \(f(d.componentVariance.z))",
      "discrete expected variance / σ²   \(f(report.discreteExpectedVariance / max(spec.spectrum.variance, .leastNormalMagnitude)))",
      "max |k·B_k|/(|k||B_k|)            \(f(report.maximumDivergenceRatio, 2))",
      "spectral divergence (grid, rms)   \(f(d.divergenceRMS, 2))",
      "spectral slope (k \(f(d.slopeRange.lowerBound, 3))–\(f(d.slopeRange.upperBound, 3)) /L)   \(f(d.spectralSlope, 3))",
      "Alfvén / pseudo polarization      \(f(d.alfvenFraction, 3)) / \(f(d.pseudoFraction, 3))",
    ]
    if let exponent = d.anisotropyExponent {
      lines.append("k_∥ width ∝ k_⊥^a, a =           \(f(exponent, 3))   (GS: 0.667, isotropic: 1)")
    }
    lines.append("synthesis / diagnostics seconds   \(f(synthesisSeconds, 3)) / \(f(diagnosticsSeconds, 3))")
    lines.append("bytes per cell (field)            \(f(bytesPerCell, 4))")
    return lines.joined(separator: "\n")
  }
}
