import LarmorCore
import Testing
@testable import Turbulence

/// The synthesis transform (three 1D stages written straight into the node layout) against FFTW's
/// own 3D c2r plan on the same coefficients, component by component in FFTW's padded layout.
@Suite struct NodeLayoutTransformTests {
  /// The same coefficients (the fill, without the transform) through `RealTransform3D`, scaled as
  /// synthesis scales: the two fields agree to float round-off (measured ≤ 4e-7 of max |b|; the
  /// bound is 20× that), and on odd, even, non-cubic and one-dimensional grids.
  @Test(arguments: [
    SIMD3(16, 12, 10), SIMD3(15, 20, 9), SIMD3(16, 8, 33), SIMD3(7, 5, 5), SIMD3(4, 6, 4), SIMD3(1, 1, 4096),
    SIMD3(48, 48, 48),
  ])
  func agreesWithFFTW3D(_ n: SIMD3<Int>) throws {
    let box = Vec3(1, 1, 1)
    let geometry = GridGeometry(counts: n, boxSize: box)
    let largest = [n.x, n.y, n.z].filter { $0 > 2 }.min() ?? 3
    let spectrum = try TurbulenceSpectrum(
      n.x == 1 ? .slab(index: 5.0 / 3) : .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi,
      maximumWavenumber: 2 * .pi * Double(max(2, largest / 2)) * 0.99, turbulenceLevel: 0.7)
    let spec = try FieldSpec(spectrum: spectrum, geometry: geometry, seed: 3)
    let (field, report) = SpectralSynthesis.synthesize(spec, threads: 2)

    // The coefficients alone, in the node layout + zero plane, then in FFTW's padded layout.
    let nodes = GridField.makeNodeBuffer(cells: geometry.cellCount)
    let transform = NodeLayoutInverseTransform(counts: n, nodes: nodes, threads: 1)
    _ = SpectralSynthesis.fill(spec, into: transform, threads: 1)
    let nzc = n.z / 2 + 1
    let padded = (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(n)) }
    for c in 0..<3 {
      let p = padded[c].pointer
      p.initialize(repeating: 0, count: padded[c].count)
      for r in 0..<(n.x * n.y) {
        p[2 * nzc * r] = transform.zeroPlane.pointer[6 * r + 2 * c]
        p[2 * nzc * r + 1] = transform.zeroPlane.pointer[6 * r + 2 * c + 1]
        for l in stride(from: 1, through: transform.lastIndex, by: 1) {
          p[2 * (nzc * r + l)] = nodes.pointer[3 * n.z * r + 6 * (l - 1) + 2 * c]
          p[2 * (nzc * r + l) + 1] = nodes.pointer[3 * n.z * r + 6 * (l - 1) + 2 * c + 1]
        }
      }
    }
    RealTransform3D(counts: n).inverse(padded, threads: 1)
    var largestValue: Float = 0
    var largestDifference: Float = 0
    for c in 0..<3 {
      let b = field.unpaddedComponent(c)
      for r in 0..<(n.x * n.y) {
        for iz in 0..<n.z {
          let reference = padded[c].pointer[2 * nzc * r + iz] * Float(report.scale)
          largestValue = max(largestValue, abs(reference))
          largestDifference = max(largestDifference, abs(b[n.z * r + iz] - reference))
        }
      }
    }
    #expect(largestValue > 0)
    #expect(largestDifference <= 1e-5 * largestValue, "max |Δb| \(largestDifference) for max |b| \(largestValue)")
  }

  /// Threads beyond two split the planes and rows differently; the field does not change. The
  /// 4 × 12 × 6 grid has more y-rows than x-planes, so the x stage uses more workers than the
  /// fill (each needs its own scratch).
  @Test(arguments: [SIMD3(36, 36, 36), SIMD3(4, 12, 6), SIMD3(12, 4, 7)])
  func deterministicForMoreThreads(_ n: SIMD3<Int>) throws {
    let spectrum = try TurbulenceSpectrum(
      .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * 1.9, turbulenceLevel: 0.5)
    let spec = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: n, boxSize: Vec3(1, 1, 1)), seed: 5)
    let one = SpectralSynthesis.synthesize(spec, threads: 1).field
    #expect(one.unpaddedComponent(0).contains { $0 != 0 })
    for threads in [3, 5, 8] {
      let other = SpectralSynthesis.synthesize(spec, threads: threads).field
      for c in 0..<3 { #expect(one.unpaddedComponent(c) == other.unpaddedComponent(c)) }
    }
  }
}

/// The forward transform in the node layout (what `larmor field`'s diagnostics run on the field's
/// own nodes) against FFTW's 3D r2c of the same field's padded components, and the diagnostics
/// measured that way against the copying `FieldDiagnostics.measure`.
@Suite struct NodeLayoutForwardTransformTests {
  /// Every stored coefficient with l ≤ (N_z − 1)/2 agrees with FFTW's 3D r2c to float round-off
  /// (bound 1e-5 of the largest |F_k|; measured ≤ 1e-6), on odd, even, non-cubic and 1D grids.
  @Test(arguments: [SIMD3(16, 12, 10), SIMD3(15, 20, 9), SIMD3(16, 8, 33), SIMD3(7, 5, 5), SIMD3(1, 1, 512)])
  func agreesWithFFTW3D(_ n: SIMD3<Int>) throws {
    let geometry = GridGeometry(counts: n, boxSize: Vec3(1, 1, 1))
    let largest = [n.x, n.y, n.z].filter { $0 > 2 }.min() ?? 3
    let spectrum = try TurbulenceSpectrum(
      n.x == 1 ? .slab(index: 5.0 / 3) : .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi,
      maximumWavenumber: 2 * .pi * Double(max(2, largest / 2)) * 0.99, turbulenceLevel: 0.7)
    let (field, _) = SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: 4), threads: 2)
    let reference = (0..<3).map { field.paddedComponent($0) }
    RealTransform3D(counts: n).forward(reference, threads: 2)
    let transform = NodeLayoutInverseTransform(counts: n, nodes: field.nodes, threads: 2)
    transform.forwardInPlace(threads: 2)
    let nzc = n.z / 2 + 1
    var largestCoefficient: Float = 0, worst: Float = 0
    for c in 0..<3 {
      for r in 0..<(n.x * n.y) {
        for l in 0...transform.lastIndex {
          let (re, im) = transform.coefficient(r / n.y, r % n.y, l, component: c)
          let (fr, fi) = (reference[c].pointer[2 * (nzc * r + l)], reference[c].pointer[2 * (nzc * r + l) + 1])
          largestCoefficient = max(largestCoefficient, abs(fr), abs(fi))
          worst = max(worst, abs(re - fr), abs(im - fi))
        }
      }
    }
    #expect(largestCoefficient > 0)
    #expect(worst <= 1e-5 * largestCoefficient, "\(n): worst |Δ| \(worst) of max \(largestCoefficient)")
  }

  /// `measureOverwriting` (the field's nodes as the FFT's array) gives `measure`'s diagnostics:
  /// the real-space moments bitwise (the same sums in the same order), the spectral ones to float
  /// round-off (1e-5 relative), on a GS Alfvén 32³ field and a slab line; the copying path's
  /// extra top bins (the empty k_z Nyquist plane) hold round-off only.
  @Test func overwritingDiagnosticsEqualCopying() throws {
    let alfven = try cubicSpec(.alfven(GoldreichSridhar(machNumber: 0.5)), n: 32, level: 0.4, seed: 3, kMax: 14)
    for spec in [alfven, try slabSpec(n: 1024)] {
      let (field, _) = SpectralSynthesis.synthesize(spec, threads: 2)
      let copying = FieldDiagnostics.measure(field, spectrum: spec.spectrum, threads: 2)
      let overwriting = FieldDiagnostics.measureOverwriting(field, spectrum: spec.spectrum, threads: 2)
      #expect(overwriting.rms == copying.rms && overwriting.mean == copying.mean && overwriting.componentVariance == copying.componentVariance)
      func close(_ a: Double, _ b: Double, _ what: String) { #expect(abs(a - b) <= 1e-5 * max(abs(b), 1e-12), "\(what): \(a) vs \(b)") }
      close(overwriting.spectralSlope, copying.spectralSlope, "slope")
      close(overwriting.alfvenFraction, copying.alfvenFraction, "Alfvén fraction")
      // The copying path also bins the k_z Nyquist plane, which synthesis leaves empty: round-off
      // only, in the top bins that no other mode reaches.
      let total = copying.spectrum.reduce(0) { $0 + $1.energy }
      for b in copying.spectrum {
        if let a = overwriting.spectrum.first(where: { $0.wavenumber == b.wavenumber }) {
          close(a.energy, b.energy, "E(\(b.wavenumber))")
        } else {
          #expect(b.energy < 1e-10 * total, "bin \(b.wavenumber) missing with E = \(b.energy)")
        }
      }
      #expect(overwriting.spectrum.count >= copying.spectrum.count - 2)
      if let a = overwriting.anisotropyExponent, let b = copying.anisotropyExponent { close(a, b, "anisotropy") }
      #expect(overwriting.divergenceRMS < 1e-5 && copying.divergenceRMS < 1e-5)
    }
  }
}
