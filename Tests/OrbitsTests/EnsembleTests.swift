import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
import Testing
import Turbulence

struct EnsembleTests {
  static let field16 = try! isotropicField(n: 16, level: 1, seed: 11)

  func configuration(particles: Int, batchSize: Int, groupSize: Int = 32) throws -> (EnsembleConfiguration, InitialConditions) {
    let rule = StepRule(turbulenceLevel: 1, cellSize: 1.0 / 16)
    let pusher = try rule.pusher(reducedRigidity: 0.05)
    let schedule = try SampleSchedule.logarithmic(from: 0.01, to: 2, count: 12).union(try .linear(until: 2, count: 4))
    let config = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: particles, batchSize: batchSize, groupSize: groupSize)
    let initial = try InitialConditions(seed: 99, boxSize: Vec3(1, 1, 1))
    return (config, initial)
  }

  func runToEnd(threads: Int, batchSize: Int) async throws -> EnsembleState<TransportAccumulator> {
    let (config, initial) = try configuration(particles: 320, batchSize: batchSize)
    let template = try TransportAccumulator(times: config.rowTimes, pitchBinEdges: TransportAccumulator.uniformPitchBins(8))
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: Self.field16, observer: template)
    try await EnsembleRunner.run(&state, in: Self.field16, threads: threads)
    return state
  }

  static func concatenated(_ batches: [ParticleBatch]) -> [Double] {
    var out: [Double] = []
    for b in batches { for p in 0..<b.count { out += [b.x[p], b.y[p], b.z[p], b.vx[p], b.vy[p], b.vz[p]] } }
    return out
  }

  @Test("Bitwise identical accumulators and final states for 1 and 2 threads and batch sizes 32, 64 and 256 (exact equality)")
  func deterministicAcrossThreadsAndBatches() async throws {
    let reference = try await runToEnd(threads: 1, batchSize: 64)
    for (threads, batch) in [(2, 64), (2, 32), (1, 256), (2, 256)] {
      let other = try await runToEnd(threads: threads, batchSize: batch)
      let sameSums = other.mergedObserver().sums == reference.mergedObserver().sums
      let sameGroups = other.groupObservers == reference.groupObservers
      let sameParticles = Self.concatenated(other.batches) == Self.concatenated(reference.batches)
      #expect(sameSums, "threads \(threads), batch \(batch)")
      #expect(sameGroups, "threads \(threads), batch \(batch)")
      #expect(sameParticles, "threads \(threads), batch \(batch)")
    }
    // And the run did something: particles moved and μ changed.
    let acc = reference.mergedObserver()
    #expect(acc.mean(.dz2, row: acc.rowCount - 1) > 0.01)
  }

  @Test("Checkpoint: run to T/2, JSON-encode/decode the state, continue to T ⇒ bitwise equal to an uninterrupted run")
  func checkpointResumeIsBitwise() async throws {
    let full = try await runToEnd(threads: 2, batchSize: 64)
    let (config, initial) = try configuration(particles: 320, batchSize: 64)
    let template = try TransportAccumulator(times: config.rowTimes, pitchBinEdges: TransportAccumulator.uniformPitchBins(8))
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: Self.field16, observer: template)
    try await EnsembleRunner.run(&state, in: Self.field16, throughSample: config.sampleCount / 2, threads: 2)
    let data = try JSONEncoder().encode(state)
    var resumed = try JSONDecoder().decode(EnsembleState<TransportAccumulator>.self, from: data)
    #expect(resumed.completedSamples == config.sampleCount / 2)
    try await EnsembleRunner.run(&resumed, in: Self.field16, threads: 1)
    #expect(resumed.isFinished)
    let sameSums = resumed.mergedObserver().sums == full.mergedObserver().sums
    let sameParticles = Self.concatenated(resumed.batches) == Self.concatenated(full.batches)
    #expect(sameSums)
    #expect(sameParticles)
  }

  @Test("Trajectory recorder: the last recorded point of a chosen particle is its final state (exact)")
  func trajectoryRecorder() async throws {
    let (config, initial) = try configuration(particles: 128, batchSize: 64)
    let template = ObserverPair(
      try TransportAccumulator(times: config.rowTimes, pitchBinEdges: []), TrajectoryRecorder(selected: [3, 100]))
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: Self.field16, observer: template)
    try await EnsembleRunner.run(&state, in: Self.field16, threads: 2)
    let trajectory = state.mergedObserver().second.trajectory(of: 100)
    #expect(trajectory.count == config.rowTimes.count)
    #expect(trajectory.last!.position == state.batches[1].position(100 - 64))
    #expect(trajectory.first!.position == state.batches[1].initialPosition(100 - 64))
  }

  @Test("The 4-way interleaved kernel equals the plain particle-major loop bitwise (both rotations, 103 particles: remainder path too)")
  func interleavedKernelMatchesPlainLoop() throws {
    for rotation in [BorisPusher.Rotation.standard, .exactPhase] {
      let pusher = try BorisPusher(reducedRigidity: 0.05, timeStep: 0.002, rotation: rotation, fieldStrengthBound: 5)
      let initial = try InitialConditions(seed: 8, boxSize: Vec3(1, 1, 1))
      var a = initial.makeBatch(ids: 0..<103, field: Self.field16)
      var b = a
      #expect(pusher.advance(&a, steps: 500, in: Self.field16, loop: .fourWay) == nil)
      #expect(pusher.advance(&b, steps: 500, in: Self.field16, loop: .plain) == nil)
      #expect(a == b)
      #expect(a.x != a.x0)
    }
  }

  @Test("|v| conserved to ≤ 1e-12 relative over 10^6 steps in isotropic 32³ turbulence with δB/B₀ = 1")
  func speedConservedInTurbulence() throws {
    let field = try isotropicField(n: 32, level: 1, seed: 3)
    let pusher = try StepRule(turbulenceLevel: 1, cellSize: 1.0 / 32).pusher(reducedRigidity: 0.1)
    let initial = try InitialConditions(seed: 5, boxSize: Vec3(1, 1, 1))
    var worst = 0.0
    for id in UInt64(0)..<4 {
      var (r, v) = initial.state(of: id)
      v /= v.length
      for _ in 0..<1000 {
        for _ in 0..<1000 { pusher.step(&r, &v, in: field) }
        worst = max(worst, abs(v.length - 1))
      }
    }
    print("max ||v| − 1| over 4 particles × 10^6 steps (checked every 1000): \(worst)")
    #expect(worst <= 1e-12)
  }

  @Test("A NaN field stops the run with the particle ID and the exact step (17 = first sample at z ≥ 1 with Δt = 1/16)")
  func nonFiniteFieldIsReported() async throws {
    let field = PoisonedField(limit: 1)
    let pusher = try BorisPusher(reducedRigidity: 1, timeStep: 0.0625)
    let config = try EnsembleConfiguration(pusher: pusher, schedule: try .linear(until: 2, count: 2), particleCount: 8, batchSize: 4, groupSize: 2)
    // Particles 0–6 have μ = 0 (stay at z = 0); particle 7 has μ = 1 and runs into the poison.
    let initial = try InitialConditions(seed: 1, boxSize: Vec3(), directions: .pitchCosines([0, 0, 0, 0, 0, 0, 0, 1]))
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: field, observer: try TransportAccumulator(times: config.rowTimes, pitchBinEdges: []))
    await #expect(throws: OrbitError.nonFiniteOrbit(particleID: 7, step: 17, time: 17 * 0.0625, fieldWasNonFinite: true)) {
      try await EnsembleRunner.run(&state, in: field, threads: 2)
    }
    #expect(state.completedSamples == 0)  // state untouched on failure
  }

  @Test("Bad inputs give typed errors naming the parameter")
  func badInputs() async throws {
    func name(_ body: () throws -> Void) -> String? {
      do { try body(); return nil } catch {
        guard let error = error as? OrbitError else { return "untyped" }
        switch error {
        case .invalidParameter(let name, _, _): return name
        case .stepTooCoarse: return "time_step(coarse)"
        default: return "other"
        }
      }
    }
    #expect(name { _ = try BorisPusher(reducedRigidity: 0, timeStep: 0.01) } == "reduced_rigidity")
    #expect(name { _ = try BorisPusher(reducedRigidity: -1, timeStep: 0.01) } == "reduced_rigidity")
    #expect(name { _ = try BorisPusher(reducedRigidity: 1, timeStep: .nan) } == "time_step")
    #expect(name { _ = try BorisPusher(reducedRigidity: 1, timeStep: .infinity) } == "time_step")
    #expect(name { _ = try BorisPusher(reducedRigidity: 1, timeStep: -0.1) } == "time_step")
    #expect(name { _ = try BorisPusher(reducedRigidity: 0.01, timeStep: 0.01) } == "time_step(coarse)")
    #expect(name { _ = try BorisPusher(reducedRigidity: 0.1, timeStep: 0.01, fieldStrengthBound: 7) } == "time_step(coarse)")
    #expect(name { _ = try StepRule(turbulenceLevel: 1, cellSize: 0.1).timeStep(reducedRigidity: 0) } == "reduced_rigidity")
    #expect(name { _ = try SampleSchedule(times: []) } == "sample_times")
    #expect(name { _ = try SampleSchedule(times: [1, 0.5]) } == "sample_times")
    #expect(name { _ = try SampleSchedule.linear(until: 0, count: 10) } == "duration")
    #expect(name { _ = try SampleSchedule.linear(until: -3, count: 10) } == "duration")
    #expect(name { _ = try SampleSchedule.logarithmic(from: 1, to: 1, count: 10) } == "duration")
    let pusher = try BorisPusher(reducedRigidity: 1, timeStep: 0.01)
    let schedule = try SampleSchedule.linear(until: 1, count: 2)
    #expect(name { _ = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: 0) } == "particles")
    #expect(name { _ = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: 10, batchSize: 48, groupSize: 32) } == "batch_size")
    #expect(name { _ = try InitialConditions(seed: 1, boxSize: Vec3(1, 1, 1), directions: .pitchCosines([])) } == "pitch_cosines")
    #expect(name { _ = try InitialConditions(seed: 1, boxSize: Vec3(1, 1, 1), directions: .pitchCosines([1.5])) } == "pitch_cosines")
    #expect(name { _ = try TransportAccumulator(times: [0, 1], pitchBinEdges: [0.5, 0.1]) } == "pitch_bin_edges")
    let config = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: 4, batchSize: 64, groupSize: 64)
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: try InitialConditions(seed: 1, boxSize: Vec3(1, 1, 1)),
                                         field: UniformField(), observer: try TransportAccumulator(times: config.rowTimes, pitchBinEdges: []))
    await #expect(throws: OrbitError.self) { try await EnsembleRunner.run(&state, in: UniformField(), threads: 0) }
    await #expect(throws: OrbitError.self) { try await EnsembleRunner.run(&state, in: UniformField(), throughSample: 5, threads: 1) }
    // Messages name the key.
    let message = "\(OrbitError.invalidParameter(name: "reduced_rigidity", value: "0", requirement: "must be > 0"))"
    #expect(message.hasPrefix("reduced_rigidity"))
  }
}
