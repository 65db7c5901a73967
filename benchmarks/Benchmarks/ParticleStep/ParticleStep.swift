// ordo-one benchmarks for issue 7. Each step benchmark runs Larmor's kernel and the plain
// reference loop (StepKernels.ReferenceGrid: array of structs, one particle at a time, `%`
// wrapping) on disjoint particles in every iteration and reports both as custom metrics plus
// their ratio, so the ratio comes from one run on one machine state. `mallocs in advance` measures
// only the step loop: its mallocCountTotal must be 0. The batch is built and advanced by one step
// before startMeasurement, because a fresh ParticleBatch shares its position/velocity arrays with
// the initial-state copies (x0 = x …), so its first advance copies the six arrays on write
// (6 mallocs once per batch, not per step; `mallocs in first advance of a fresh batch` shows it).
//
//   cd benchmarks && swift package --allow-writing-to-package-directory benchmark
import Benchmark
import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
@_spi(Kernels) import StepKernels
import Turbulence

nonisolated(unsafe) var shared: StepSetup?

func setup() throws -> StepSetup {
  if let s = shared { return s }
  let s = try StepSetup()
  shared = s
  return s
}

let benchmarks: @Sendable () -> Void = {
  let particles = 1024, steps = 1000
  let timing = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal,
              .custom("larmor_ns_per_step", polarity: .prefersSmaller, useScalingFactor: false),
              .custom("reference_ns_per_step", polarity: .prefersSmaller, useScalingFactor: false),
              .custom("reference_over_larmor_x100", polarity: .prefersLarger, useScalingFactor: false)],
    timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 5)

  for c in StepCase.allCases {
    for threads in [1, 2] {
      Benchmark("step \(c.rawValue), \(threads) thread(s), vs reference", configuration: timing) { benchmark, s in
        var round = 0
        for _ in benchmark.scaledIterations {
          let m = try! s.measure(c, threads: threads, particles: particles, steps: steps, round: round)
          round += 1
          benchmark.measurement(.custom("larmor_ns_per_step"), Int(m.larmor.rounded()))
          benchmark.measurement(.custom("reference_ns_per_step"), Int(m.reference.rounded()))
          benchmark.measurement(.custom("reference_over_larmor_x100"), Int((100 * m.speedup).rounded()))
        }
      } setup: {
        try setup()
      }
    }
  }

  Benchmark(
    "synthesis 256³ vs three bare FFTW c2r (1 thread)",
    configuration: .init(
      metrics: [.wallClock, .peakMemoryResident,
                .custom("synthesis_ms", polarity: .prefersSmaller, useScalingFactor: false),
                .custom("bare_fftw_ms", polarity: .prefersSmaller, useScalingFactor: false),
                .custom("synthesis_over_fftw_x100", polarity: .prefersSmaller, useScalingFactor: false)],
      timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 5)
  ) { benchmark in
    let n = 256
    let spectrum = try! TurbulenceSpectrum(
      .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4), turbulenceLevel: 1)
    let spec = try! FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 1)), seed: 1)
    for _ in benchmark.scaledIterations {
      let start = now()
      blackHole(SpectralSynthesis.synthesize(spec, threads: 1).field.geometry)
      let synthesis = now() - start
      let bare = FFTWReference.threeInverseTransformsSeconds(counts: SIMD3(n, n, n), threads: 1)
      benchmark.measurement(.custom("synthesis_ms"), Int((synthesis * 1e3).rounded()))
      benchmark.measurement(.custom("bare_fftw_ms"), Int((bare * 1e3).rounded()))
      benchmark.measurement(.custom("synthesis_over_fftw_x100"), Int((100 * synthesis / bare).rounded()))
    }
  }

  for kernel in [KernelLoop.fastest, .prefetching, .fourWay] {
    Benchmark(
      "mallocs in \(kernel.rawValue) (0.2 cells, 256 particles × 200 steps)",
      configuration: .init(metrics: [.wallClock, .mallocCountTotal], warmupIterations: 1, maxIterations: 5)
    ) { benchmark, s in
      let pusher = try! s.pusher(.fifthCell)
      var batch = try! s.batch(ids: 0..<256)
      blackHole(pusher.advance(&batch, steps: 1, in: s.field, loop: .fourWay))  // copy-on-write of the fresh batch
      benchmark.startMeasurement()
      blackHole(pusher.advance(&batch, steps: 200, in: s.field, loop: kernel))
      benchmark.stopMeasurement()
      blackHole(batch)
    } setup: {
      try setup()
    }
  }

  Benchmark(
    "mallocs in first advance of a fresh batch (copy-on-write of 6 arrays)",
    configuration: .init(metrics: [.mallocCountTotal], warmupIterations: 1, maxIterations: 5)
  ) { benchmark, s in
    let pusher = try! s.pusher(.fifthCell)
    var batch = try! s.batch(ids: 0..<256)
    benchmark.startMeasurement()
    blackHole(pusher.advance(&batch, steps: 1, in: s.field, loop: .fourWay))
    benchmark.stopMeasurement()
    blackHole(batch)
  } setup: {
    try setup()
  }
}
