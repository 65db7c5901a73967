import FieldStorage
import LarmorCore
import Testing
@testable import Turbulence

/// Synthesis from a tabulated spectrum (`model = "tabulated"`): the table is sampled on the grid's
/// modes as any continuum spectrum is, the grid rule refuses a table with no power on the grid,
/// and the variance the grid holds is what the cylindrical sum `latticeVariance(on:)` says.
@Suite struct TabulatedSynthesisTests {
  /// A GS Alfvén (M_A = 0.7) 32³ formula spectrum and the table of its lattice's expected variances, binned
  /// into cells one lattice spacing wide (what `larmor decompose` writes for a snapshot).
  static func formulaAndTable() throws -> (formula: FieldSpec, table: TabulatedSpectrum) {
    let formula = try cubicSpec(.alfven(GoldreichSridhar(machNumber: 0.7)), n: 32, level: 0.3, seed: 5, kMax: 14)
    let expected = ModePowerTable(expectedVariancesOf: formula.spectrum, on: formula.geometry)
    return (formula, TabulatedSpectrum(binning: expected))
  }

  /// Re-synthesized on the same grid with the same seed, the table's field has the formula
  /// field's phases (same keyed draws, same polarization basis) and differs only by each mode's
  /// amplitude: the table's density is a cell mean, so mode amplitudes within a k_⊥ annulus are
  /// averaged (and the lowest annuli hold more lattice modes than their area). Correlation > 0.9 (< 0.2 with another seed), δB/B₀ as asked to 10⁻⁶ (realized normalization), divergence at
  /// float32 round-off, Alfvén polarization kept; the synthesis's own variance sum equals the
  /// cylindrical `latticeVariance` to 10⁻¹⁰.
  @Test func tableOfAFieldReproducesIt() throws {
    let (formula, table) = try Self.formulaAndTable()
    let spectrum = try TurbulenceSpectrum(tabulated: table, turbulenceLevel: 0.3)
    let spec = try FieldSpec(spectrum: spectrum, geometry: formula.geometry, seed: formula.seed, normalization: .realizedRMS)
    let reference = try FieldSpec(spectrum: formula.spectrum, geometry: formula.geometry, seed: formula.seed, normalization: .realizedRMS)
    let (a, reportA) = SpectralSynthesis.synthesize(spec, threads: 2)
    let (b, _) = SpectralSynthesis.synthesize(reference, threads: 2)
    let correlation = Self.correlation(a, b)
    let (other, _) = SpectralSynthesis.synthesize(try spec.reseeded(formula.seed + 1), threads: 2)
    #expect(abs(Self.correlation(other, b)) < 0.2, "another seed: \(Self.correlation(other, b))")
    let meanSquare = Self.correlation(a, a, normalized: false)
    #expect(correlation > 0.9, "correlation \(correlation)")  // measured 0.943
    #expect(abs(meanSquare.squareRoot() / 0.3 - 1) < 1e-6)
    #expect(reportA.maximumDivergenceRatio < 1e-6)
    let amplitude = 0.09 / table.variance  // level² over the table's own variance
    let held = table.latticeVariance(on: formula.geometry) * amplitude
    #expect(abs(reportA.discreteExpectedVariance / held - 1) < 1e-10, "\(reportA.discreteExpectedVariance) vs \(held)")
    let diagnostics = FieldDiagnostics.measure(a, spectrum: spectrum, threads: 2)
    #expect(diagnostics.alfvenFraction > 0.999, "Alfvén fraction \(diagnostics.alfvenFraction)")
  }

  /// ⟨δb_a · δb_b⟩ over the nodes, divided by both rms values unless `normalized` is false.
  static func correlation(_ a: GridField, _ b: GridField, normalized: Bool = true) -> Double {
    let n = a.geometry.counts
    var (ab, aa, bb) = (0.0, 0.0, 0.0)
    for ix in 0..<n.x {
      for iy in 0..<n.y {
        for iz in 0..<n.z {
          let (u, v) = (a.fluctuation(ix, iy, iz), b.fluctuation(ix, iy, iz))
          (ab, aa, bb) = (ab + u.dot(v), aa + u.dot(u), bb + v.dot(v))
        }
      }
    }
    return normalized ? ab / (aa * bb).squareRoot() : ab / Double(a.geometry.cellCount)
  }

  /// The grid holds what of the table lies on its modes: all of a binned table on its own
  /// lattice's box, less on a coarser grid of the same box (the cells beyond its Nyquist
  /// wavenumbers are not on it), none on a grid whose modes all lie below the table's first
  /// edge — which is refused, naming the key, as is a table mixed with a formula spectrum.
  @Test func gridRule() throws {
    let (formula, table) = try Self.formulaAndTable()
    let spectrum = try TurbulenceSpectrum(tabulated: table)
    let own = table.latticeVariance(on: formula.geometry)
    let coarse = table.latticeVariance(on: GridGeometry(counts: SIMD3(16, 16, 16), boxSize: formula.geometry.boxSize))
    #expect(coarse < 0.999 * own && coarse > 0.5 * own, "16³ holds \(coarse / own) of what 32³ holds")
    _ = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(16, 16, 16), boxSize: formula.geometry.boxSize), seed: 1)
    // A box 1/100 of the size: its fundamental 100 lies beyond the table's last edge (≈ 22).
    let tiny = GridGeometry(counts: SIMD3(16, 16, 16), boxSize: formula.geometry.boxSize / 100)
    #expect(table.latticeVariance(on: tiny) == 0)
    do {
      _ = try FieldSpec(spectrum: spectrum, geometry: tiny, seed: 1)
      Issue.record("accepted a table with no power on the grid")
    } catch { #expect(error.key == "model" && error.message.contains("none of the table's power"), "\(error)") }
    let mixed = try TurbulenceSpectrum(
      components: [SpectrumComponent(.tabulated(table), fraction: 0.5), SpectrumComponent(.isotropic(index: 5.0 / 3), fraction: 0.5)],
      minimumWavenumber: 1, maximumWavenumber: 14, turbulenceLevel: 0.3)
    do {
      _ = try FieldSpec(spectrum: mixed, geometry: formula.geometry, seed: 1)
      Issue.record("accepted a table mixed with a formula")
    } catch { #expect(error.key == "model" && error.message.contains("cannot be mixed"), "\(error)") }
  }
}
