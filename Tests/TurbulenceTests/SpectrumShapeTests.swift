import LarmorCore
import Testing
@testable import Turbulence

/// The measured spectra have the slopes and anisotropy of the models (N = 128, as the issue asks).
@Suite struct SpectrumShapeTests {
  /// Shell-averaged E(k) slope within ±0.1 of −index over [4Δk, k_max/1.5] for one realization.
  @Test(arguments: [(ModeFamily.isotropic(index: 5.0 / 3), -5.0 / 3), (.fast(FastModes()), -1.5)])
  func threeDimensionalSlope(_ family: ModeFamily, _ expected: Double) throws {
    let spec = try cubicSpec(family, n: 128, seed: 3)
    let (field, _) = SpectralSynthesis.synthesize(spec, threads: 2)
    let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum, threads: 2)
    #expect(abs(d.spectralSlope - expected) <= 0.1, "slope \(d.spectralSlope)")
  }

  /// A slab line of N = 128 has 62 modes, each a χ² variable with 4 degrees of freedom, so one
  /// realization's slope scatters by ≈ 0.1; the spectrum averaged over 8 seeds is checked.
  @Test func slabSlope() throws {
    var energy: [Double] = []
    var wavenumbers: [Double] = []
    for seed in 1...8 {
      let spec = try slabSpec(n: 128, seed: UInt64(seed))
      let (field, _) = SpectralSynthesis.synthesize(spec)
      let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum)
      let bins = d.spectrum.filter { d.slopeRange.contains($0.wavenumber) }
      if energy.isEmpty { energy = Array(repeating: 0, count: bins.count); wavenumbers = bins.map(\.wavenumber) }
      for (i, bin) in bins.enumerated() { energy[i] += bin.energy }
    }
    let points = zip(wavenumbers, energy).map { (log($0), log($1), 1.0) }
    let slope = FieldDiagnostics.weightedSlope(points)
    #expect(abs(slope + 5.0 / 3) <= 0.1, "slope \(slope)")
  }

  /// Goldreich–Sridhar anisotropy: the power-weighted ⟨|k_∥|⟩ at fixed k_⊥ grows as k_⊥^(2/3).
  /// With k_min = 1 the cone half-width is k_⊥^(2/3) (in Δk = 1): ≥ 2.5 parallel modes from
  /// k_⊥ = 4 on, so the exponent is resolved on a cubic 128³ grid; ±0.15 as the issue asks.
  @Test(arguments: [ModeFamily.alfven(GoldreichSridhar()), .slow(GoldreichSridhar())])
  func goldreichSridharAnisotropy(_ family: ModeFamily) throws {
    let spec = try cubicSpec(family, n: 128, seed: 5)
    let (field, _) = SpectralSynthesis.synthesize(spec, threads: 2)
    let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum, threads: 2)
    let exponent = try #require(d.anisotropyExponent)
    #expect(abs(exponent - 2.0 / 3) <= 0.15, "exponent \(exponent)")
  }
}

import Foundation
