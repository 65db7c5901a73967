import LarmorCore
import Orbits
import Testing
import Tracing

/// The library tracer: thread-count independence, resume equality, shards that combine into the
/// single run, and settings it refuses.
struct TracerTests {
  /// Isotropic 16³, δB/B₀ = 1, a field realization per call (synthesis is deterministic).
  static func field(_ r: Int) throws -> RealizationField {
    let spectrum = try TurbulenceSpectrum(
      .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * 6, turbulenceLevel: 1)
    let spec = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(16, 16, 16), boxSize: Vec3(1, 1, 1)), seed: 4)
    return try RealizationField.synthesized(spec, realization: r, threads: 1)
  }

  static func settings(realizations: Int = 2) -> TraceSettings {
    var s = TraceSettings(duration: 2, rigidities: [0.2, 0.5])
    s.realizations = realizations
    s.particleCount = 128
    s.sampleCount = 12
    s.kuboOrigins = 4
    s.savedOrbits = 128
    return s
  }

  @Test("Same numbers on 1 and 2 threads; a run stopped and resumed from its checkpoint equals an uninterrupted one")
  func threadsAndResume() async throws {
    let one = try await Tracer(settings: Self.settings(), threads: 1).run(fields: Self.field)
    let two = try await Tracer(settings: Self.settings(), threads: 2).run(fields: Self.field)
    #expect(one.groups == two.groups && one.orbits == two.orbits && one.steps == two.steps)
    #expect(one.groups.count == 2 && one.groups[0].count == 2)  // per rigidity, one group per realization

    var stopped = try Tracer(settings: Self.settings(), threads: 2)
    stopped.stopAfterSamples = 17  // inside the second part
    nonisolated(unsafe) var saved: TraceCheckpoint?
    await #expect(throws: Tracer.Interrupted.self) {
      _ = try await stopped.run(fields: Self.field, identity: ("run", "field"), checkpoint: { saved = $0 })
    }
    let checkpoint = try #require(saved.flatMap { TraceCheckpoint.decode(try $0.encoded()) })
    #expect(checkpoint.finished.count == 1 && checkpoint.current != nil && checkpoint.specText == "run")
    let resumed = try await Tracer(settings: Self.settings(), threads: 1).run(fields: Self.field, resume: checkpoint)
    #expect(resumed.groups == one.groups && resumed.orbits == one.orbits && resumed.steps == one.steps)

    var other = Self.settings()
    other.duration = 3
    await #expect(throws: TraceError.self) { _ = try await Tracer(settings: other, threads: 1).run(fields: Self.field, resume: checkpoint) }
  }

  @Test("Shards of work units combine into bitwise the numbers of the single run, in any order; a shard's orbits are the whole run's")
  func shardsCombine() async throws {
    for realizations in [1, 2] {
      let whole = Self.settings(realizations: realizations)
      let single = try await Tracer(settings: whole, threads: 2).run(fields: Self.field)
      var parts: [TraceCheckpoint.FinishedPart] = []
      for k in [2, 0, 1] {  // any order
        var share = whole
        share.shard = TraceShard(index: k, count: 3)
        parts += try await Tracer(settings: share, threads: 1).integrate(fields: Self.field).finished
      }
      let merged = try Tracer.outcome(settings: whole, parts: parts)
      #expect(merged.groups == single.groups)
      #expect(merged.orbits == single.orbits)
      #expect(merged.steps == single.steps)
      #expect(!merged.orbits[0].points.isEmpty)
      // A missing or repeated unit is refused.
      #expect(throws: TraceError.self) { try Tracer.outcome(settings: whole, parts: Array(parts.dropLast())) }
      #expect(throws: TraceError.self) { try Tracer.outcome(settings: whole, parts: parts + [parts[0]]) }
    }
  }

  @Test("Settings the tracer cannot run with are refused with the reason")
  func badSettings() {
    var s = Self.settings()
    s.shard = TraceShard(index: 0, count: 17)  // 2 realizations × 8 blocks = 16 units
    #expect(throws: TraceError.self) { try Tracer(settings: s, threads: 1) }
    s.shard = TraceShard(index: 3, count: 3)
    #expect(throws: TraceError.self) { try Tracer(settings: s, threads: 1) }
    s.shard = nil
    s.rigidities = [0.1, -1]
    #expect(throws: TraceError.self) { try Tracer(settings: s, threads: 1) }
    #expect(throws: TraceError.self) { try Tracer(settings: Self.settings(), threads: 0) }
  }

  /// A checkpoint of a stopped run carries its checksum: 2000 single-bit flips spread over its
  /// bytes (and every bit of the 16-byte trailer) are all refused — a flip inside one 8-byte
  /// word always changes the checksum — while the untouched bytes decode to the same state.
  /// (Without the checksum, 2–3 of 12 flips used to be accepted, changing the results.)
  @Test("Checkpoint bytes with any single bit flipped, cut short or without a trailer are refused")
  func checkpointIntegrity() async throws {
    var stopped = try Tracer(settings: Self.settings(realizations: 1), threads: 1)
    stopped.stopAfterSamples = 5
    nonisolated(unsafe) var saved: TraceCheckpoint?
    await #expect(throws: Tracer.Interrupted.self) {
      _ = try await stopped.run(fields: Self.field, identity: ("run", "field"), checkpoint: { saved = $0 })
    }
    let bytes = try #require(saved).encoded()
    let back = try TraceCheckpoint.decoded(bytes).get()
    #expect(back.specText == "run" && back.fieldText == "field" && back.current != nil)
    var rng = SplitMix64(seed: 12, purpose: .particleDirection, index: 0)
    var positions = (0..<2000).map { _ in Int(rng.next() % UInt64(8 * bytes.count)) }
    positions += ((8 * bytes.count - 128)..<(8 * bytes.count))
    var accepted = 0
    for bit in positions {
      var flipped = bytes
      flipped[bit / 8] ^= UInt8(1 << (bit % 8))
      if case .success = TraceCheckpoint.decoded(flipped) { accepted += 1 }
    }
    print("checkpoint of \(bytes.count) bytes: \(accepted) of \(positions.count) single-bit flips accepted")
    #expect(accepted == 0)
    guard case .failure(.notACheckpoint) = TraceCheckpoint.decoded(bytes.prefix(bytes.count - 1)) else {
      Issue.record("a checkpoint cut short was not refused as such")
      return
    }
    guard case .failure(.notACheckpoint) = TraceCheckpoint.decoded(bytes.prefix(bytes.count - 16)) else {
      Issue.record("a checkpoint without trailer was not refused as such")
      return
    }
  }
}
