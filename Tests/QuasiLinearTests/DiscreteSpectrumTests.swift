import Foundation
import LarmorCore
import Testing
import QuasiLinear

/// Finite-time QLT on a grid's actual modes (PHYSICS.md §3.1).
@Suite struct DiscreteSpectrumTests {
  /// A long slab box (L_box = 1000 L, N_z = 2²⁰) and t = 100 L/c: the kernel F_t/(2t) has width
  /// 2π/(vμt) = 0.13/L in k_z, covering ~20 grid modes (Δk = 0.0063/L) while g(k) is constant
  /// across it (k_res = 200/L), and its 1/x² tails add O(1/(k_res vμ t)) = 1e-4. The discrete
  /// finite-time D_μμ must equal the continuum QLT value to 1%.
  @Test func slabSumTendsToContinuumForLongBoxAndTime() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * Double.pi, maximumWavenumber: 2000, turbulenceLevel: 0.1)
    let geometry = GridGeometry(counts: SIMD3(1, 1, 1 << 20), boxSize: Vec3(1000, 1000, 1000))
    let (μ, R) = (0.5, 0.01)
    let discrete = finiteTimePitchAngleCoefficient(spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, time: 100)
    let continuum = PitchAngleDiffusion(spectrum: spectrum).coefficient(cosine: μ, reducedRigidity: R)
    print("discrete slab finite-time / continuum: \(discrete / continuum)")
    #expect(abs(discrete / continuum - 1) < 0.01)
  }

  /// Short box (L_box = L) and long time: the resonance resolves the comb of modes spaced 2π/L.
  /// With k_res = 1/(Rμ) = 2π·10.5 exactly between two modes, D_μμ(t) drops far below the
  /// continuum value (PHYSICS.md §4.5); asserted: < 0.2 of it at t = 50 L/c.
  @Test func shortBoxResolvesTheComb() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * Double.pi, maximumWavenumber: 500, turbulenceLevel: 0.1)
    let geometry = GridGeometry(counts: SIMD3(1, 1, 256), boxSize: Vec3(1, 1, 1))
    let μ = 0.5
    let R = 1 / (μ * 2 * Double.pi * 10.5)
    let discrete = finiteTimePitchAngleCoefficient(spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, time: 50)
    let continuum = PitchAngleDiffusion(spectrum: spectrum).coefficient(cosine: μ, reducedRigidity: R)
    print("short slab box, t = 50: discrete / continuum = \(discrete / continuum)")
    #expect(discrete < 0.2 * continuum)
  }
}
