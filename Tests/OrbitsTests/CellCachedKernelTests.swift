import LarmorCore
@_spi(Kernels) import Orbits
import Testing
import Turbulence

/// The cell-cached four-lane kernel (SIMD across particles, each lane caching its cell) must give
/// bitwise the batch and the return value of the plain scalar loop, on every path: cached steps,
/// refreshes with and without prefetch hints, the remainder, non-finite particles and
/// coordinates beyond its exact-floor range.
@Suite struct CellCachedKernelTests {
  /// A grid of uniform random δb ∈ (−a, a) per component, mean field (0.1, 0, 1).
  static func randomGrid(_ n: SIMD3<Int>, box: Vec3, amplitude: Double = 1, seed: UInt64, poison: Int? = nil) -> GridField {
    var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: 0)
    let cells = n.x * n.y * n.z
    var components = (0..<3).map { _ in (0..<cells).map { _ in Float(amplitude * (2 * rng.nextOpenUnit() - 1)) } }
    if let x = poison {  // NaN in the whole plane ix = x
      for iy in 0..<n.y { for iz in 0..<n.z { components[0][(x * n.y + iy) * n.z + iz] = .nan } }
    }
    return GridField(geometry: GridGeometry(counts: n, boxSize: box), meanField: Vec3(0.1, 0, 1), fluctuation: components)
  }

  static func compare(_ field: GridField, pusher: BorisPusher, particles: Int, steps: Int, origin: Vec3, size: Vec3, seed: UInt64)
    throws -> (plain: ParticleBatch, cached: ParticleBatch, start: ParticleBatch, plainResult: Int?, cachedResult: Int?, fastest: ParticleBatch)
  {
    let start = try InitialConditions(seed: seed, boxOrigin: origin, boxSize: size).makeBatch(ids: 0..<UInt64(particles), field: UniformField())
    var plain = start, cached = start, fastest = start
    let a = pusher.advance(&plain, steps: steps, in: field, loop: .plain)
    let b = pusher.advance(&cached, steps: steps, in: field, loop: .cellCached)
    _ = pusher.advance(&fastest, steps: steps, in: field, loop: .fastest)
    return (plain, cached, start, a, b, fastest)
  }

  @Test("Equals advancePlain bitwise on a synthesized 16³ field and a random 6×10×12 grid (steps of 0.05–0.45 cells, 103 = 12·8 + 7 particles, negative coordinates)",
        arguments: [0.05, 0.2, 0.45])
  func matchesPlain(cellsPerStep: Double) throws {
    let synthesized = try isotropicField(n: 16, level: 1, seed: 11)
    let random = Self.randomGrid(SIMD3(6, 10, 12), box: Vec3(1, 1.5, 0.75), seed: 3)
    for field in [synthesized, random] {
      let dx = field.geometry.cellSize.min()
      let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: cellsPerStep * dx, fieldStrengthBound: 1)
      let r = try Self.compare(field, pusher: pusher, particles: 103, steps: 400, origin: Vec3(-3, -2, -1), size: Vec3(6, 4, 2), seed: 8)
      #expect(r.plainResult == nil)
      #expect(r.cachedResult == nil)
      #expect(r.cached == r.plain)
      #expect(r.fastest == r.plain)
      #expect(r.plain.x != r.start.x)
    }
  }

  @Test("With prefetch hints (a 112³ grid of 17 MB, beyond the 4 MiB threshold) the orbits are still bitwise those of the plain loop")
  func prefetchingMatchesPlain() throws {
    let field = Self.randomGrid(SIMD3(112, 112, 112), box: Vec3(1, 1, 1), amplitude: 0.5, seed: 5)
    #expect(field.benefitsFromPrefetch)
    let pusher = try BorisPusher(reducedRigidity: 0.05, timeStep: 0.2 / 112, fieldStrengthBound: 1)
    let r = try Self.compare(field, pusher: pusher, particles: 64, steps: 600, origin: Vec3(0, 0, 0), size: Vec3(1, 1, 1), seed: 2)
    #expect(r.cached == r.plain)
    #expect(r.fastest == r.plain)
  }

  @Test("A particle that turns non-finite (NaN plane in the grid) is reported and left unstored exactly as by the plain loop")
  func nonFiniteMatchesPlain() throws {
    let field = Self.randomGrid(SIMD3(8, 8, 8), box: Vec3(1, 1, 1), amplitude: 0.3, seed: 4, poison: 5)
    let pusher = try BorisPusher(reducedRigidity: 0.2, timeStep: 0.2 / 8, fieldStrengthBound: 1)
    let r = try Self.compare(field, pusher: pusher, particles: 37, steps: 300, origin: Vec3(0, 0, 0), size: Vec3(0.5, 1, 1), seed: 6)
    #expect(r.plainResult != nil)
    #expect(r.cachedResult == r.plainResult)
    #expect(r.cached == r.plain)
  }

  @Test("Coordinates beyond 2⁵⁰ cells (where the lane floor is no longer exact) fall back to the plain loop: same batch")
  func farCoordinatesMatchPlain() throws {
    let field = Self.randomGrid(SIMD3(8, 8, 8), box: Vec3(1, 1, 1), amplitude: 0.3, seed: 9)
    let pusher = try BorisPusher(reducedRigidity: 0.2, timeStep: 0.2 / 8, fieldStrengthBound: 1)
    let far = 0x1p50 / 8  // 2⁵⁰ cells of Δx = 1/8
    let r = try Self.compare(field, pusher: pusher, particles: 16, steps: 50, origin: Vec3(far, -far, 0), size: Vec3(1, 1, 1), seed: 3)
    #expect(r.cachedResult == r.plainResult)
    #expect(r.cached == r.plain)
  }

  @Test("The exact-phase rotation and long steps are handed to the other kernels (bitwise the plain loop)")
  func otherRotationAndLongSteps() throws {
    let field = try isotropicField(n: 16, level: 1, seed: 12)
    for (rotation, cellsPerStep) in [(BorisPusher.Rotation.exactPhase, 0.2), (.standard, 2.0)] {
      let pusher = try BorisPusher(reducedRigidity: 0.5, timeStep: cellsPerStep / 16, rotation: rotation, fieldStrengthBound: 1)
      let r = try Self.compare(field, pusher: pusher, particles: 20, steps: 100, origin: Vec3(0, 0, 0), size: Vec3(1, 1, 1), seed: 1)
      #expect(r.cached == r.plain)
      #expect(r.fastest == r.plain)
    }
  }
}
