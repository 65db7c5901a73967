// The particle-step benchmark of issue 7, shared by the ordo-one suite (Benchmarks/ParticleStep)
// and the table printer (StepTable): one 256³ isotropic field, Larmor's kernel, and a plain
// scalar reference loop that runs beside it in the same process.
import Dispatch
import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
import Turbulence

/// The two step sizes of the issue.
public enum StepCase: String, CaseIterable, Sendable {
  /// Δt = 0.2 Δx (a particle stays ~5 steps in one cell): compute-bound.
  case fifthCell = "a: 0.2 cells"
  /// Δt = T_g/20 = 2πR/20 (8 cells per step on 256³ with R = 0.1): memory-bound.
  case gyroTwentieth = "b: T_g/20"
}

/// Field, rigidity and pushers of the benchmark: isotropic Kolmogorov 256³ in a box of side 1 L,
/// k ∈ [2π, 2π·64]/L, δB/B₀ = 1, R = r_L/L = 0.1 (the same as `fields/bench-step.toml`).
public struct StepSetup: Sendable {
  public let n: Int
  public let field: GridField
  public let reference: ReferenceGrid
  public let reducedRigidity = 0.1
  /// Whether the nodes were moved onto huge pages (`GridField.collapseToHugePages`, as `larmor
  /// trace` does; LARMOR_NO_HUGE_PAGES=1 skips it) and how long that took.
  public let hugePages: Bool
  public let hugePageSeconds: Double

  public init(n: Int = 256, seed: UInt64 = 1, threads: Int = 2) throws {
    self.n = n
    let spectrum = try TurbulenceSpectrum(
      .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4), turbulenceLevel: 1)
    let geometry = GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 1))
    field = SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: seed), threads: threads).field
    let collapseStart = now()
    hugePages = ProcessInfo.processInfo.environment["LARMOR_NO_HUGE_PAGES"] == "1" ? false : field.collapseToHugePages()
    hugePageSeconds = now() - collapseStart
    reference = ReferenceGrid(field)
  }

  /// Δt in L/c.
  public func timeStep(_ c: StepCase) -> Double {
    switch c {
    case .fifthCell: 0.2 / Double(n)
    case .gyroTwentieth: 2 * Double.pi * reducedRigidity / 20
    }
  }

  /// The pusher. T_g/20 is Ω Δt = 0.31 rad in |b| = 1 but 1.6 rad at the 4σ bound |b| = 5, which
  /// the pusher's validation rejects, so the bound is set to 1 (as in the orbits benchmark).
  public func pusher(_ c: StepCase) throws -> BorisPusher {
    try BorisPusher(reducedRigidity: reducedRigidity, timeStep: timeStep(c), fieldStrengthBound: 1)
  }

  /// Particles `ids` with isotropic directions, uniform in the box (InitialConditions, seed 1).
  public func batch(ids: Range<UInt64>) throws -> ParticleBatch {
    try InitialConditions(seed: 1, boxSize: Vec3(repeating: 1)).makeBatch(ids: ids, field: UniformField())
  }
}

// MARK: - The plain reference (array of structs, one particle at a time, `%` wrapping)

/// A field node as three floats (12 bytes, like CRPropa's `Vector3f` grid).
public struct ReferenceNode: Sendable {
  public var x: Float, y: Float, z: Float
}

/// A particle as a struct (array-of-structs layout).
public struct ReferenceParticle: Sendable {
  public var r: SIMD3<Double>
  public var v: SIMD3<Double>
}

/// The benchmark's own copy of the field as nodes [ix][iy][iz] (unpadded), sampled the textbook
/// way: floor, integer `%` for periodicity, trilinear weights in Double. Independent of
/// GridField's storage, so its time is a fixed yardstick for GridField + BorisPusher.
public final class ReferenceGrid: Sendable {
  public let n: Int
  public let inverseCellSize: Double
  public let nodes: [ReferenceNode]

  public init(_ field: GridField) {
    n = field.geometry.counts.x
    inverseCellSize = Double(n) / field.geometry.boxSize.x
    let (bx, by, bz) = (field.unpaddedComponent(0), field.unpaddedComponent(1), field.unpaddedComponent(2))
    nodes = (0..<bx.count).map { ReferenceNode(x: bx[$0], y: by[$0], z: bz[$0]) }
  }

  /// b = ẑ + δb at x (periodic trilinear).
  @inline(__always) public func sample(_ p: UnsafeBufferPointer<ReferenceNode>, at x: SIMD3<Double>) -> SIMD3<Double> {
    let u = x * inverseCellSize
    let f = u.rounded(.down)
    let t = u - f
    let i0 = ((Int(f.x) % n) + n) % n, j0 = ((Int(f.y) % n) + n) % n, k0 = ((Int(f.z) % n) + n) % n
    let i1 = (i0 + 1) % n, j1 = (j0 + 1) % n, k1 = (k0 + 1) % n
    @inline(__always) func node(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
      let e = p[(i * n + j) * n + k]
      return SIMD3<Double>(Double(e.x), Double(e.y), Double(e.z))
    }
    let (sx, sy, sz) = (1 - t.x, 1 - t.y, 1 - t.z)
    var b = SIMD3<Double>(0, 0, 1)
    b += (sx * sy * sz) * node(i0, j0, k0)
    b += (sx * sy * t.z) * node(i0, j0, k1)
    b += (sx * t.y * sz) * node(i0, j1, k0)
    b += (sx * t.y * t.z) * node(i0, j1, k1)
    b += (t.x * sy * sz) * node(i1, j0, k0)
    b += (t.x * sy * t.z) * node(i1, j0, k1)
    b += (t.x * t.y * sz) * node(i1, j1, k0)
    b += (t.x * t.y * t.z) * node(i1, j1, k1)
    return b
  }

  /// `steps` standard Boris steps of every particle, one particle at a time.
  public func advance(_ particles: inout [ReferenceParticle], steps: Int, timeStep: Double, reducedRigidity: Double) {
    let h = timeStep / (2 * reducedRigidity)
    nodes.withUnsafeBufferPointer { p in
      for q in particles.indices {
        var r = particles[q].r, v = particles[q].v
        for _ in 0..<steps {
          let t = h * sample(p, at: r)
          let s = (2 / (1 + (t * t).sum())) * t
          let w = v + cross(v, t)
          v += cross(w, s)
          r += timeStep * v
        }
        particles[q] = ReferenceParticle(r: r, v: v)
      }
    }
  }

  @inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
  }
}

extension ParticleBatch {
  /// The same particles as an array of structs (for the reference loop).
  public var referenceParticles: [ReferenceParticle] {
    (0..<count).map { ReferenceParticle(r: SIMD3(x[$0], y[$0], z[$0]), v: SIMD3(vx[$0], vy[$0], vz[$0])) }
  }
}

// MARK: - Timing

/// Monotonic seconds.
@inline(__always) public func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

/// Wall seconds for `threads` workers each running `body(worker)` once, started together.
public func wallSeconds(threads: Int, _ body: @Sendable (Int) -> Void) -> Double {
  let start = now()
  if threads == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: body) }
  return now() - start
}

/// One measurement: ns per particle-step per core (wall × threads / particle-steps) of the
/// reference loop and of each Larmor kernel, all on disjoint particles in the same process.
public struct StepMeasurement: Sendable {
  public var reference: Double
  @_spi(Kernels) public var kernels: [KernelLoop: Double]
  @_spi(Kernels) public init(reference: Double, kernels: [KernelLoop: Double]) {
    self.reference = reference
    self.kernels = kernels
  }
  /// The headline loop (`fastest`, what the ensemble runner calls).
  public var larmor: Double { kernels[.fastest] ?? .nan }
  /// reference / larmor (how many times faster Larmor is).
  public var speedup: Double { reference / larmor }
}

/// One slot per worker, moved in and out so that no array is copied (each worker touches its own slot).
final class Slots<T>: @unchecked Sendable {
  let base: UnsafeMutablePointer<T>
  let count: Int
  init(_ values: [T]) {
    count = values.count
    base = .allocate(capacity: count)
    base.initialize(from: values, count: count)
  }
  func take(_ i: Int) -> T { (base + i).move() }
  func put(_ i: Int, _ value: T) { (base + i).initialize(to: value) }
  deinit { base.deinitialize(count: count); base.deallocate() }
}

extension StepSetup {
  /// Runs the reference loop, then each kernel (each `threads` workers × `particles` particles ×
  /// `steps` steps), every run on different particles so that none inherits another's cache.
  @_spi(Kernels) public func measure(_ c: StepCase, threads: Int, particles: Int, steps: Int, round: Int,
                      kernels: [KernelLoop] = [.fastest]) throws -> StepMeasurement {
    let pusher = try pusher(c)
    let dt = timeStep(c), R = reducedRigidity
    let sets = UInt64(kernels.count + 1)
    var next = UInt64(round) * sets * UInt64(threads * particles)
    func ids() -> [Range<UInt64>] {
      defer { next += UInt64(threads * particles) }
      return (0..<threads).map { w in next + UInt64(w * particles)..<next + UInt64((w + 1) * particles) }
    }
    let referenceSets = Slots(try ids().map { try batch(ids: $0).referenceParticles })
    let reference = self.reference, field = self.field
    let tRef = wallSeconds(threads: threads) { w in
      var set = referenceSets.take(w)
      reference.advance(&set, steps: steps, timeStep: dt, reducedRigidity: R)
      referenceSets.put(w, set)
    }
    let perCore = Double(threads) / Double(threads * particles * steps) * 1e9
    var results: [KernelLoop: Double] = [:]
    for kernel in kernels {
      let larmorSets = Slots(try ids().map { try batch(ids: $0) })
      let t = wallSeconds(threads: threads) { w in
        var b = larmorSets.take(w)
        _ = pusher.advance(&b, steps: steps, in: field, loop: kernel)
        larmorSets.put(w, b)
      }
      results[kernel] = t * perCore
    }
    return StepMeasurement(reference: tRef * perCore, kernels: results)
  }
}

/// The Larmor loops a measurement can run (`BorisPusher.Loop`: `fastest` is what `EnsembleRunner`
/// calls, `plain` the one-particle-at-a-time loop every other equals bitwise).
@_spi(Kernels) public typealias KernelLoop = BorisPusher.Loop
