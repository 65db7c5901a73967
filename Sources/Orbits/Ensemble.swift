import LarmorCore

/// The fixed layout of a traced ensemble: pusher, sample steps, particle count, batching and
/// grouping. Part of the checkpointed state, so a resumed run cannot silently change it.
///
/// Particles are grouped by ID into groups of `groupSize` consecutive IDs; each group has its own
/// observer and is fed in ID order; groups are merged in group order. `batchSize` (the unit of
/// work a task owns) must be a multiple of `groupSize`, so a group never straddles two batches.
/// Hence all results are bitwise independent of the thread count and of the batch size.
/// Groups are also the natural units for jackknife errors within one field realization.
public struct EnsembleConfiguration: Sendable, Hashable, Codable {
  public let pusher: BorisPusher
  /// Requested sample times.
  public let schedule: SampleSchedule
  /// Cumulative step count of each sample (realized times = steps × Δt).
  public let sampleSteps: [Int]
  public let particleCount: Int
  public let batchSize: Int
  public let groupSize: Int
  /// ID of the first particle: this ensemble is particles firstParticleID ..< firstParticleID +
  /// particleCount of a larger run (0 for a whole run). Particles are drawn by ID, so a subset is
  /// the same particles the whole run has; a multiple of `groupSize`, so its groups are the whole
  /// run's groups.
  public let firstParticleID: UInt64

  public init(
    pusher: BorisPusher, schedule: SampleSchedule, particleCount: Int, batchSize: Int = 256, groupSize: Int = 64,
    firstParticleID: UInt64 = 0
  ) throws(OrbitError) {
    try OrbitError.require(particleCount >= 1, "particles", particleCount, "need at least one particle")
    try OrbitError.require(groupSize >= 1, "group_size", groupSize, "must be ≥ 1")
    try OrbitError.require(batchSize >= 1 && batchSize % groupSize == 0, "batch_size", batchSize, "must be a positive multiple of group_size = \(groupSize)")
    try OrbitError.require(
      firstParticleID % UInt64(groupSize) == 0 && firstParticleID <= UInt64.max - UInt64(particleCount), "first_particle_id",
      Int(truncatingIfNeeded: firstParticleID), "must be a multiple of group_size = \(groupSize) (groups are the whole run's)")
    self.pusher = pusher
    self.schedule = schedule
    self.sampleSteps = try schedule.stepCounts(timeStep: pusher.timeStep)
    self.particleCount = particleCount
    self.batchSize = batchSize
    self.groupSize = groupSize
    self.firstParticleID = firstParticleID
  }

  /// The IDs this ensemble integrates.
  public var particleIDs: Range<UInt64> { firstParticleID..<(firstParticleID + UInt64(particleCount)) }

  /// The group (0 ..< groupCount) of particle `id` within this ensemble.
  @inlinable public func group(of id: UInt64) -> Int { Int(id - firstParticleID) / groupSize }

  /// Observer row times in L/c: [0] followed by the realized sample times n_k Δt.
  public var rowTimes: [Double] { [0] + sampleSteps.map { Double($0) * pusher.timeStep } }
  /// Number of scheduled samples (rows − 1).
  public var sampleCount: Int { sampleSteps.count }
  /// Number of observer groups.
  public var groupCount: Int { (particleCount + groupSize - 1) / groupSize }
}

/// Everything needed to continue a run: batches, per-group observers and progress. `Codable`, so
/// it can be checkpointed; resuming from a decoded state gives bitwise the same result as an
/// uninterrupted run (each sample interval depends only on the stored doubles).
public struct EnsembleState<Observer: ParticleObserver>: Sendable, Codable {
  public let configuration: EnsembleConfiguration
  public let initialConditions: InitialConditions
  /// Batches in ID order.
  public internal(set) var batches: [ParticleBatch]
  /// One observer per group of `groupSize` consecutive IDs, in group order.
  public internal(set) var groupObservers: [Observer]
  /// Samples completed so far (0…sampleCount).
  public internal(set) var completedSamples: Int

  public var isFinished: Bool { completedSamples == configuration.sampleCount }
  /// Current time (L/c).
  public var time: Double {
    completedSamples == 0 ? 0 : Double(configuration.sampleSteps[completedSamples - 1]) * configuration.pusher.timeStep
  }

  /// Commits the result of a run segment (used by `EnsembleRunner.run`).
  @usableFromInline mutating func commit(batches: [ParticleBatch], observers: [Observer], completedSamples: Int) {
    self.batches = batches
    self.groupObservers = observers
    self.completedSamples = completedSamples
  }

  /// The merge of all group observers in group order.
  public func mergedObserver() -> Observer {
    var total = groupObservers[0]
    for g in groupObservers.dropFirst() { total.merge(g) }
    return total
  }

  /// Group observers merged into `count` contiguous super-groups (for jackknife with fewer,
  /// larger units), each merged in group order.
  public func observers(inGroupsOf count: Int) -> [Observer] {
    stride(from: 0, to: groupObservers.count, by: max(1, count)).map { start in
      var total = groupObservers[start]
      for g in groupObservers[(start + 1)..<min(groupObservers.count, start + count)] { total.merge(g) }
      return total
    }
  }
}

/// Runs ensembles over cores with structured concurrency (docs/design.md §3.4).
public enum EnsembleRunner {
  /// A fresh state at t = 0: batches drawn from `initialConditions`, one copy of `observer`
  /// (an empty accumulator) per group, row 0 recorded.
  public static func makeState<F: ElectromagneticField, O: ParticleObserver>(
    configuration: EnsembleConfiguration, initialConditions: InitialConditions, field: F, observer: O
  ) -> EnsembleState<O> {
    let n = configuration.particleCount
    let first = configuration.firstParticleID
    var batches: [ParticleBatch] = []
    for start in stride(from: 0, to: n, by: configuration.batchSize) {
      let ids = (first + UInt64(start))..<(first + UInt64(min(n, start + configuration.batchSize)))
      batches.append(initialConditions.makeBatch(ids: ids, field: field))
    }
    var observers = [O](repeating: observer, count: configuration.groupCount)
    for batch in batches {
      for p in 0..<batch.count {
        let group = configuration.group(of: batch.ids[p])
        let local = field.fields(at: batch.position(p), time: 0).magnetic
        observers[group].record(row: 0, snapshot: snapshot(of: batch, p, time: 0, localField: local))
      }
    }
    return EnsembleState(
      configuration: configuration, initialConditions: initialConditions, batches: batches,
      groupObservers: observers, completedSamples: 0)
  }

  @inlinable
  static func snapshot(of batch: ParticleBatch, _ p: Int, time: Double, localField: Vec3) -> ParticleSnapshot {
    let r = batch.position(p)
    return ParticleSnapshot(
      id: batch.ids[p], time: time, position: r, displacement: r - batch.initialPosition(p),
      direction: batch.direction(p), initialDirection: batch.initialDirection(p),
      localField: localField, initialLocalPitch: batch.localPitch0[p], momentum: batch.momentum[p])
  }

  /// Advances all particles through samples completedSamples+1 … `targetSample` (default: all),
  /// recording each sample into the group observers.
  ///
  /// Work: `threads` tasks; task j owns batches j, j+threads, … and returns them with their
  /// groups' observers; results are placed by index. Every batch is checked for non-finite
  /// orbits once per sample interval; the failure with the lowest batch index is thrown
  /// (particle ID, exact step from a replay, time) and `state` is left unchanged.
  /// Static magnetic fields take `MagnetostaticKernel`: their orbits are bitwise those of the
  /// plain magnetostatic Boris loop.
  @inlinable
  public static func run<F: MagneticField, O: ParticleObserver>(
    _ state: inout EnsembleState<O>, in field: F, throughSample targetSample: Int? = nil, threads: Int = 1
  ) async throws(OrbitError) {
    let kernel = MagnetostaticKernel(pusher: state.configuration.pusher, field: field)
    try await run(&state, kernel: kernel, throughSample: targetSample, threads: threads)
  }

  /// `run` for fields that move (time-dependent b, electric field e): `MovingFieldKernel`.
  @inlinable
  public static func run<F: ElectromagneticField, O: ParticleObserver>(
    _ state: inout EnsembleState<O>, in field: F, throughSample targetSample: Int? = nil, threads: Int = 1
  ) async throws(OrbitError) {
    let kernel = MovingFieldKernel(pusher: state.configuration.pusher, field: field)
    try await run(&state, kernel: kernel, throughSample: targetSample, threads: threads)
  }

  /// `run` with an explicit kernel (the overloads above choose it from the field's type).
  @inlinable
  public static func run<K: StepKernel, O: ParticleObserver>(
    _ state: inout EnsembleState<O>, kernel: K, throughSample targetSample: Int? = nil, threads: Int = 1
  ) async throws(OrbitError) {
    let configuration = state.configuration
    let target = targetSample ?? configuration.sampleCount
    try OrbitError.require(threads >= 1, "threads", threads, "must be ≥ 1")
    try OrbitError.require(target >= state.completedSamples && target <= configuration.sampleCount, "through_sample", target,
      "must lie in [\(state.completedSamples), \(configuration.sampleCount)] (completed … scheduled samples)")
    if target == state.completedSamples { return }
    let start = state.completedSamples
    let batches = state.batches
    let observers = state.groupObservers
    let lanes = min(threads, batches.count)
    let groupsPerBatch = configuration.batchSize / configuration.groupSize

    typealias LaneResult = Result<[(Int, ParticleBatch, [O])], OrbitError>
    var laneResults = [LaneResult?](repeating: nil, count: lanes)
    await withTaskGroup(of: (Int, LaneResult).self) { group in
      for lane in 0..<lanes {
        group.addTask {
          var out: [(Int, ParticleBatch, [O])] = []
          for index in stride(from: lane, to: batches.count, by: lanes) {
            let firstGroup = index * groupsPerBatch
            let lastGroup = min(observers.count, firstGroup + groupsPerBatch)
            var batch = batches[index]
            var local = Array(observers[firstGroup..<lastGroup])
            switch advance(&batch, observers: &local, firstGroup: firstGroup, from: start, to: target,
                           configuration: configuration, kernel: kernel) {
            case .success: out.append((index, batch, local))
            case .failure(let error): return (lane, .failure(error))
            }
          }
          return (lane, .success(out))
        }
      }
      for await (lane, result) in group { laneResults[lane] = result }
    }
    var failures: [(Int, OrbitError)] = []
    var newBatches = batches, newObservers = observers
    for case let result? in laneResults {
      switch result {
      case .success(let items):
        for (index, batch, local) in items {
          newBatches[index] = batch
          for (offset, o) in local.enumerated() { newObservers[index * groupsPerBatch + offset] = o }
        }
      case .failure(let error):
        if case .nonFiniteOrbit(let id, _, _, _) = error { failures.append((Int(id - configuration.firstParticleID) / configuration.batchSize, error)) }
        else { failures.append((Int.max, error)) }
      }
    }
    if let first = failures.min(by: { $0.0 < $1.0 }) { throw first.1 }
    state.commit(batches: newBatches, observers: newObservers, completedSamples: target)
  }

  /// One batch through samples start+1 … target.
  @inlinable
  static func advance<K: StepKernel, O: ParticleObserver>(
    _ batch: inout ParticleBatch, observers: inout [O], firstGroup: Int, from start: Int, to target: Int,
    configuration: EnsembleConfiguration, kernel: K
  ) -> Result<Void, OrbitError> {
    let pusher = configuration.pusher
    for k in start..<target {
      let previous = k == 0 ? 0 : configuration.sampleSteps[k - 1]
      let steps = configuration.sampleSteps[k] - previous
      // The fastest kernel for this field and step (all give bitwise the same orbits).
      let failed = kernel.advance(&batch, steps: steps, firstStep: previous)
      if let bad = failed {
        let located = kernel.locateNonFinite(batch, bad, firstStep: previous, steps: steps)
        let step = previous + located.step
        return .failure(.nonFiniteOrbit(particleID: batch.ids[bad], step: step, time: Double(step) * pusher.timeStep,
                                        fieldWasNonFinite: located.fieldWasNonFinite))
      }
      let time = Double(configuration.sampleSteps[k]) * pusher.timeStep
      for p in 0..<batch.count {
        let group = configuration.group(of: batch.ids[p]) - firstGroup
        let local = kernel.magneticField(at: batch.position(p), time: time)
        observers[group].record(row: k + 1, snapshot: snapshot(of: batch, p, time: time, localField: local))
      }
    }
    return .success(())
  }
}
