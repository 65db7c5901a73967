// Synthesis of a three-component N³ field against the three bare FFTW c2r transforms of the same
// size, measured in the same run (ratios, not absolute times, are what carry between machines).
import Dispatch
import Foundation
import LarmorCore
import Turbulence

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 256 : 256
let spectrum = try TurbulenceSpectrum(
  .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4),
  turbulenceLevel: 1)
let spec = try FieldSpec(
  spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 1)), seed: 1)

func seconds(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

print("grid \(n)³, isotropic Kolmogorov, best of 3")
print("bare: FFTW's 3D c2r on three padded component arrays (single-threaded plans, components in parallel)")
print("fftw-threaded: the same with FFTW's own threads (faster, but not bitwise independent of the thread count)")
print("threads  synthesis_s  bare_s  ratio  fftw_threaded_s  ratio")
for threads in [1, 2] {
  var synthesis = Double.infinity
  var bare = Double.infinity
  var threaded = Double.infinity
  for _ in 0..<3 {
    synthesis = min(synthesis, seconds { _ = SpectralSynthesis.synthesize(spec, threads: threads) })
    bare = min(bare, FFTWReference.threeInverseTransformsSeconds(counts: SIMD3(n, n, n), threads: threads))
    threaded = min(threaded, FFTWReference.threeInverseTransformsFFTWThreadedSeconds(counts: SIMD3(n, n, n), threads: threads))
  }
  print(String(format: "%7d  %11.3f  %6.3f  %5.2f  %15.3f  %5.2f", threads, synthesis, bare, synthesis / bare, threaded, synthesis / threaded))
}
