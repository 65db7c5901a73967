import Foundation
import LarmorCore
import Testing
import QuasiLinear

/// Finite-time QLT on a grid's actual modes (docs/physics.md §3.1).
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
  /// continuum value (docs/physics.md §4.5); asserted: < 0.2 of it at t = 50 L/c.
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

  /// The 3D sum groups (±k_x, ±k_y, k_∥) and takes every harmonic's Bessel weights from one
  /// recurrence. Against a brute-force sum over every retained mode and harmonic with the C
  /// library's weights (written out here), at two times, static and moving (σ_c = 0.4): relative
  /// 1e-11 for D_μμ and D_pp.
  @Test(arguments: ["alfven", "fast"])
  func groupedSumEqualsBruteForce(_ name: String) throws {
    let family: ModeFamily = name == "alfven" ? .alfven(GoldreichSridhar()) : .fast(FastModes())
    let spectrum = try TurbulenceSpectrum(family, minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * 6, turbulenceLevel: 0.3)
    let geometry = GridGeometry(counts: SIMD3(16, 12, 24), boxSize: Vec3(1, 1, 2))
    let motion = try WaveMotion(alfvenSpeed: 0.1, crossHelicity: 0.4)
    let (μ, R, times) = (0.35, 0.3, [0.7, 3.0])
    func bruteForce(_ t: Double, moving: Bool) -> (pitch: Double, momentum: Double) {
      let Ω = 1 / R, sine = (1 - μ * μ).squareRoot(), Δk = geometry.wavenumberSpacing
      let m = (GridGeometry.largestIndex(points: 16), GridGeometry.largestIndex(points: 12), GridGeometry.largestIndex(points: 24))
      let perpMax = (Double(m.0 * m.0) * Δk.x * Δk.x + Double(m.1 * m.1) * Δk.y * Δk.y).squareRoot()
      let harmonics = Int((perpMax * R * sine).rounded(.up)) + 10
      let patterns: [(Double, Double)] = moving ? [(0.1, 0.7), (-0.1, 0.3)] : [(0, 1)]
      var pitch = 0.0, momentum = 0.0
      for i in -m.0...m.0 { for j in -m.1...m.1 { for l in -m.2...m.2 {
        let k = Vec3(Double(i) * Δk.x, Double(j) * Δk.y, Double(l) * Δk.z)
        let variance = spectrum.modeVariance(at: k, spacing: Δk)
        guard variance.alfven > 0 || variance.pseudo > 0 else { continue }
        let w = k.perpendicularLength * R * sine, ξ2 = k.z * k.z / k.dot(k)
        for n in -harmonics...harmonics {
          let jm = BesselWeights.besselJ(n - 1, w), jp = BesselWeights.besselJ(n + 1, w)
          let polarized = (jm + jp) * (jm + jp) / 4 * variance.alfven + (jm - jp) * (jm - jp) / 4 * ξ2 * variance.pseudo
          for (V, share) in patterns {
            let resonance = finiteTimeResonance(k.z * μ - k.z * V + Double(n) * Ω, time: t)
            pitch += share * (1 - μ * V) * (1 - μ * V) * polarized * resonance
            momentum += share * V * V * polarized * resonance
          }
        }
      } } }
      return (Ω * Ω * (1 - μ * μ) * pitch, Ω * Ω * (1 - μ * μ) * momentum)
    }
    for moving in [false, true] {
      let grouped = finiteTimeModeCoefficients(
        spectrum: spectrum, geometry: geometry, motion: moving ? motion : nil, cosine: μ, reducedRigidity: R, times: times)
      for (t, g) in zip(times, grouped) {
        let b = bruteForce(t, moving: moving)
        print("\(name) moving=\(moving) t=\(t): grouped \(g.pitch), \(g.momentum); brute force \(b.pitch), \(b.momentum)")
        #expect(abs(g.pitch / b.pitch - 1) < 1e-11)
        if moving { #expect(abs(g.momentum / b.momentum - 1) < 1e-11) } else { #expect(g.momentum == 0 && b.momentum == 0) }
      }
      if !moving {
        let single = finiteTimePitchAngleCoefficient(spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, time: times[1])
        #expect(single == grouped[1].pitch)
      }
    }
  }
}
