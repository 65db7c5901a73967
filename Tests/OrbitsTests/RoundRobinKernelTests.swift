import LarmorCore
@_spi(Kernels) import Orbits
import Testing
import Turbulence

/// `advance` steps groups of 16 particles round-robin (optionally with a prefetch hint); it must
/// give bitwise the batch of the plain particle-major loop, whatever the hint.
@Suite struct RoundRobinKernelTests {
  static let field16 = try! isotropicField(n: 16, level: 1, seed: 11)

  @Test("Round-robin advance, with and without GridField's prefetch, and the 4-way `advance` equal advancePlain bitwise (both rotations; 103 = 6·16 + 7 particles)")
  func roundRobinMatchesPlain() throws {
    let field = Self.field16
    for rotation in [BorisPusher.Rotation.standard, .exactPhase] {
      for dt in [0.002, 0.03] {
        let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: dt, rotation: rotation, fieldStrengthBound: 1)
        let initial = try InitialConditions(seed: 8, boxOrigin: Vec3(-3, -2, -1), boxSize: Vec3(6, 4, 2))
        let start = initial.makeBatch(ids: 0..<103, field: field)
        var plain = start, roundRobin = start, hinted = start, interleaved = start
        #expect(pusher.advance(&plain, steps: 300, in: field, loop: .plain) == nil)
        #expect(pusher.advance(&roundRobin, steps: 300, in: field, loop: .roundRobin) == nil)
        #expect(pusher.advance(&hinted, steps: 300, in: field, loop: .prefetching) == nil)
        #expect(pusher.advance(&interleaved, steps: 300, in: field, loop: .fourWay) == nil)
        #expect(roundRobin == plain)
        #expect(hinted == plain)
        #expect(interleaved == plain)
        #expect(plain.x != start.x)
      }
    }
  }

  @Test("Particles that turn non-finite are left unstored and the first one is reported, as in the plain loop")
  func nonFiniteParticlesMatchPlain() throws {
    let field = PoisonedField(limit: 0.5)
    let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: 1.0 / 64, fieldStrengthBound: 1)
    let initial = try InitialConditions(seed: 2, boxSize: Vec3(1, 1, 0.4))
    let start = initial.makeBatch(ids: 0..<37, field: UniformField())
    var plain = start, roundRobin = start, fourWay = start
    let a = pusher.advance(&plain, steps: 200, in: field, loop: .plain)
    let b = pusher.advance(&roundRobin, steps: 200, in: field, loop: .roundRobin)
    let c = pusher.advance(&fourWay, steps: 200, in: field, loop: .fourWay)
    #expect(a != nil)
    #expect(a == b)
    #expect(a == c)
    #expect(roundRobin == plain)
    #expect(fourWay == plain)
  }
}
