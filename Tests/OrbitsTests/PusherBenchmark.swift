import Foundation
import LarmorCore
import Orbits
import Testing
import Turbulence

/// Throughput measurement (not a test of correctness; prints numbers, asserts nothing about
/// speed). Gated because synthesizing the 256³ field takes ~0.4 GB and several seconds:
///
///     LARMOR_BENCH=1 swift test -c release --filter PusherBenchmark
///
/// Setup: isotropic Kolmogorov 256³, box 2π (k_min = 1, k_max = 0.9·Nyquist), δB/B₀ = 1,
/// R = 0.1·2π. Steps: 0.2 cells (Δt = 0.2·2π/256) and T_g/20 (Δt = 2πR/20, T_g in B₀; this
/// needs fieldStrengthBound = 1, since with |b|_max = 5 it would be Ω_max Δt = 1.6 rad and the
/// pusher rejects it). Runs through `EnsembleRunner` (one sample, recording included) with 1
/// and 2 threads; reports ns per particle-step per core = wall · threads / (particles · steps).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["LARMOR_BENCH"] == "1"))
struct PusherBenchmark {
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
  }

  @Test func nanosecondsPerParticleStep() async throws {
    do {  // Does the cooperative pool give two tasks two cores right now?
      let clock = ContinuousClock()
      let cpu0 = Self.processCPUSeconds()
      let e = await clock.measure {
        await withTaskGroup(of: Double.self) { group in
          for k in 0..<2 { group.addTask { var x = Double(k); for i in 0..<200_000_000 { x = x * 0.999_999 + Double(i & 1) }; return x } }
          for await _ in group {}
        }
      }
      let wall = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
      print(String(format: "bench: two CPU-bound tasks: wall %.2f s, process CPU %.2f s (ratio %.2f; 2 = both cores), active processors %d",
                   wall, Self.processCPUSeconds() - cpu0, (Self.processCPUSeconds() - cpu0) / wall, ProcessInfo.processInfo.activeProcessorCount))
    }
    do {
      let clock = ContinuousClock()
      let cpu0 = Self.processCPUSeconds()
      let e = clock.measure {
        DispatchQueue.concurrentPerform(iterations: 2) { k in var x = Double(k); for i in 0..<200_000_000 { x = x * 0.999_999 + Double(i & 1) }; if x == 0.5 { print(x) } }
      }
      let wall = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
      print(String(format: "bench: two CPU-bound Dispatch threads: wall %.2f s, process CPU %.2f s", wall, Self.processCPUSeconds() - cpu0))
    }
    do {  // Same kernel on a cache-resident 32³ grid (400 kB): what the pusher + trilinear cost without DRAM misses.
      let small = try isotropicField(n: 32, side: 2 * Double.pi, level: 1, modes: 200)
      let R = 0.1 * 2 * Double.pi
      let initial = try InitialConditions(seed: 3, boxSize: Vec3(6, 6, 6))
      for (label, dt) in [("0.2 cells", 0.2 * 2 * Double.pi / 32), ("T_g/20", 2 * Double.pi * R / 20)] {
        let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1)
        var batch = initial.makeBatch(ids: 0..<4096, field: small)
        let e = ContinuousClock().measure { _ = pusher.advance(&batch, steps: 2000, in: small) }
        let s = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
        print(String(format: "bench: cache-resident 32³ GridField, %@, 1 thread: %.1f ns per particle-step", label, s / (4096 * 2000) * 1e9))
        let fast = AttributionGrid(small)
        var b2 = initial.makeBatch(ids: 0..<4096, field: small)
        let e2 = ContinuousClock().measure { _ = pusher.advance(&b2, steps: 2000, in: fast) }
        let s2 = Double(e2.components.seconds) + Double(e2.components.attoseconds) * 1e-18
        print(String(format: "bench: cache-resident 32³ attribution grid (no integer modulo), %@, 1 thread: %.1f ns per particle-step", label, s2 / (4096 * 2000) * 1e9))
      }
    }
    let side = 2 * Double.pi, n = 256
    let synthesisStart = Date()
    let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: 1, maximumWavenumber: 0.9 * Double(n) / 2, turbulenceLevel: 1)
    let geometry = GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(side, side, side))
    let field = SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: 5), threads: 2).field
    print("bench: synthesis of 256³ took \(Date().timeIntervalSince(synthesisStart)) s")
    let R = 0.1 * side
    do {  // Attribution: the same pusher in a uniform field (no grid lookup), and sampling alone.
      let pusher = try BorisPusher(reducedRigidity: R, timeStep: 0.2 * side / Double(n), fieldStrengthBound: 1)
      let initial = try InitialConditions(seed: 3, boxSize: Vec3(side, side, side))
      var batch = initial.makeBatch(ids: 0..<4096, field: UniformField())
      let clock = ContinuousClock()
      let e = clock.measure { _ = pusher.advance(&batch, steps: 4000, in: UniformField()) }
      let s = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
      print(String(format: "bench: uniform field (pusher only), 1 thread: %.1f ns per particle-step", s / (4096 * 4000) * 1e9))
      var acc = Vec3()
      let points = (0..<1_000_000).map { i in Vec3(Double(i % 997) * 0.0061, Double(i % 991) * 0.0063, Double(i) * 1e-5) }
      let e2 = clock.measure { for p in points { acc += field.sample(at: p) } }
      let s2 = Double(e2.components.seconds) + Double(e2.components.attoseconds) * 1e-18
      print(String(format: "bench: GridField.sample alone (independent points): %.1f ns per sample (checksum %.3f)", s2 / 1e6 * 1e9, acc.x))
      var acc5 = Vec3()
      let hot = (0..<1_000_000).map { i in Vec3(1.234 + Double(i % 7) * 1e-3, 2.345, 3.456 + Double(i % 5) * 1e-3) }
      let e5 = clock.measure { for p in hot { acc5 += field.sample(at: p) } }
      let s5 = Double(e5.components.seconds) + Double(e5.components.attoseconds) * 1e-18
      print(String(format: "bench: GridField.sample at cache-hot points (one cell): %.1f ns per sample (checksum %.3f)", s5 / 1e6 * 1e9, acc5.x))
      let fast = AttributionGrid(field)
      var maxDifference = 0.0
      for p in points.prefix(10_000) { maxDifference = max(maxDifference, (fast.sample(at: p) - field.sample(at: p)).length) }
      var acc2 = Vec3()
      let e3 = clock.measure { for p in points { acc2 += fast.sample(at: p) } }
      let s3 = Double(e3.components.seconds) + Double(e3.components.attoseconds) * 1e-18
      print(String(format: "bench: attribution grid (no integer modulo) sample: %.1f ns per sample (max |Δb| vs GridField %.1e)", s3 / 1e6 * 1e9, maxDifference))
      let interleaved = InterleavedAttributionGrid(fast)
      var maxDifference2 = 0.0
      for p in points.prefix(10_000) { maxDifference2 = max(maxDifference2, (interleaved.sample(at: p) - field.sample(at: p)).length) }
      print(String(format: "bench: interleaved-node attribution grid max |Δb| vs GridField %.1e (rounding order differs)", maxDifference2))
      for (label, dt) in [("0.2 cells", 0.2 * side / Double(n)), ("T_g/20", 2 * Double.pi * R / 20)] {
        let p3 = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1)
        var b3 = initial.makeBatch(ids: 0..<4096, field: UniformField())
        let e6 = clock.measure { _ = p3.advance(&b3, steps: 2000, in: interleaved) }
        let s6 = Double(e6.components.seconds) + Double(e6.components.attoseconds) * 1e-18
        print(String(format: "bench: interleaved-node attribution grid, %@, 1 thread: %.1f ns per particle-step", label, s6 / (4096 * 2000) * 1e9))
      }
      for (label, dt) in [("0.2 cells", 0.2 * side / Double(n)), ("T_g/20", 2 * Double.pi * R / 20)] {
        let p4 = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1)
        // Plain loop first, on different particles (ids 10000…), so neither run inherits the other's cache.
        var b5 = initial.makeBatch(ids: 10_000..<14_096, field: UniformField())
        let e8 = clock.measure { _ = p4.advancePlain(&b5, steps: 2000, in: field) }
        var b4 = initial.makeBatch(ids: 20_000..<24_096, field: UniformField())
        let e7 = clock.measure { _ = p4.advance(&b4, steps: 2000, in: field) }
        let s7 = Double(e7.components.seconds) + Double(e7.components.attoseconds) * 1e-18
        let s8 = Double(e8.components.seconds) + Double(e8.components.attoseconds) * 1e-18
        print(String(format: "bench: GridField via pusher.advance directly, %@, 1 thread: %.1f ns per particle-step (plain one-particle loop: %.1f ns)", label, s7 / (4096 * 2000) * 1e9, s8 / (4096 * 2000) * 1e9))
      }
      do {
        let p6 = try BorisPusher(reducedRigidity: R, timeStep: 0.2 * side / Double(n), fieldStrengthBound: 1)
        let b6 = initial.makeBatch(ids: 30_000..<34_096, field: UniformField())
        let e9 = await clock.measure {
          await withTaskGroup(of: Int.self) { group in
            group.addTask { var b = b6; _ = p6.advance(&b, steps: 2000, in: field); return b.count }
            for await _ in group {}
          }
        }
        let s9 = Double(e9.components.seconds) + Double(e9.components.attoseconds) * 1e-18
        print(String(format: "bench: GridField via pusher.advance inside a child task, 0.2 cells: %.1f ns per particle-step", s9 / (4096 * 2000) * 1e9))
      }
      for (label, dt) in [("0.2 cells", 0.2 * side / Double(n)), ("T_g/20", 2 * Double.pi * R / 20)] {
        let p2 = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1)
        var b2 = initial.makeBatch(ids: 0..<4096, field: UniformField())
        let e4 = clock.measure { _ = p2.advance(&b2, steps: 2000, in: fast) }
        let s4 = Double(e4.components.seconds) + Double(e4.components.attoseconds) * 1e-18
        print(String(format: "bench: attribution grid, %@, 1 thread: %.1f ns per particle-step", label, s4 / (4096 * 2000) * 1e9))
      }
    }
    for (label, dt) in [("0.2 cells", 0.2 * side / Double(n)), ("T_g/20", 2 * Double.pi * R / 20)] {
      let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1)
      let particles = 4096, steps = 4000
      for threads in [1, 2] {
        let config = try EnsembleConfiguration(pusher: pusher, schedule: try SampleSchedule(times: [Double(steps) * dt]),
                                               particleCount: particles, batchSize: 256, groupSize: 256)
        let initial = try InitialConditions(seed: 3, boxSize: Vec3(side, side, side))
        var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: field,
                                             observer: try TransportAccumulator(times: config.rowTimes, pitchBinEdges: []))
        let clock = ContinuousClock()
        let cpuBefore = Self.processCPUSeconds()
        let elapsed = try await clock.measure { try await EnsembleRunner.run(&state, in: field, threads: threads) }
        let cpu = Self.processCPUSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let perStep = seconds * Double(threads) / Double(particles * steps) * 1e9
        print(String(format: "bench: %@ (Δt = %.4g), %d thread(s): %.1f ns per particle-step per core from wall×threads, %.1f ns from process CPU time (%.2f s wall, %.2f s CPU, %.1f Msteps/s total)",
                     label, dt, threads, perStep, cpu / Double(particles * steps) * 1e9, seconds, cpu, Double(particles * steps) / seconds / 1e6))
      }
    }
  }
}
