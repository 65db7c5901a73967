import LarmorCore
import Testing
@testable import Turbulence

/// Synthesis writes GridField's interleaved node layout directly; this pins it against the
/// padded FFTW layout the diagnostics transform.
@Suite struct SynthesizedLayoutTests {
  @Test("A synthesized field's interleaved nodes equal its components (the transposition from FFTW's padded layout)")
  func synthesizedLayout() throws {
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * 4, turbulenceLevel: 1)
    let geometry = GridGeometry(counts: SIMD3(16, 12, 10), boxSize: Vec3(1, 1, 1))
    let f = SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: 9)).field
    let components = (0..<3).map { f.unpaddedComponent($0) }
    var sumSquares = 0.0
    for c in 0..<3 {
      let padded = f.paddedComponent(c)
      for row in 0..<(16 * 12) {
        for iz in 0..<10 {
          #expect(padded.pointer[row * 12 + iz] == components[c][row * 10 + iz])
          sumSquares += Double(components[c][row * 10 + iz] * components[c][row * 10 + iz])
        }
      }
    }
    #expect(sumSquares > 0)
  }
}
