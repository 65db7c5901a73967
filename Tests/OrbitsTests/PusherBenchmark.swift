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
  @Test func nanosecondsPerParticleStep() async throws {
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
        let elapsed = try await clock.measure { try await EnsembleRunner.run(&state, in: field, threads: threads) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let perStep = seconds * Double(threads) / Double(particles * steps) * 1e9
        print(String(format: "bench: %@ (Δt = %.4g), %d thread(s): %.1f ns per particle-step per core (%.2f s wall, %.1f Msteps/s total)",
                     label, dt, threads, perStep, seconds, Double(particles * steps) / seconds / 1e6))
      }
    }
  }
}
