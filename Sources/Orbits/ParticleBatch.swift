import Foundation
import LarmorCore

/// A batch of ultra-relativistic test particles as a structure of arrays (docs/design.md §3.3).
///
/// Positions are unwrapped (never folded into the box; the field wraps internally), in L.
/// Directions are unit velocities (|v| = 1, speed c). Momenta are p/p₀, with p₀ the momentum
/// whose Larmor radius in B₀ is the pusher's R: 1 at the start, and 1 forever in a static
/// magnetic field (only an electric field changes them). The initial state is kept alongside so
/// that displacements, Δμ and v(t)·v(0) need no other storage. Particles carry global IDs;
/// a batch built by `InitialConditions.makeBatch` holds consecutive IDs.
public struct ParticleBatch: Sendable, Hashable, Codable {
  /// Global particle IDs.
  public private(set) var ids: [UInt64]
  /// Current positions (L).
  public var x: [Double], y: [Double], z: [Double]
  /// Current unit velocity (c).
  public var vx: [Double], vy: [Double], vz: [Double]
  /// Current momentum p/p₀ (1 at t = 0).
  public var momentum: [Double]
  /// Initial positions (L) and unit velocities (initial momenta are all 1).
  public let x0: [Double], y0: [Double], z0: [Double]
  public let vx0: [Double], vy0: [Double], vz0: [Double]
  /// μ relative to the local field b(x0) at t = 0: v₀·b/|b|.
  public let localPitch0: [Double]

  public var count: Int { ids.count }

  /// A batch from explicit initial states (positions in L, directions normalized here).
  public init(ids: [UInt64], positions: [Vec3], directions: [Vec3], initialLocalPitch: [Double]) {
    precondition(ids.count == positions.count && ids.count == directions.count && ids.count == initialLocalPitch.count)
    let unit = directions.map { $0 / $0.length }
    self.ids = ids
    x = positions.map(\.x); y = positions.map(\.y); z = positions.map(\.z)
    vx = unit.map(\.x); vy = unit.map(\.y); vz = unit.map(\.z)
    momentum = [Double](repeating: 1, count: ids.count)
    x0 = x; y0 = y; z0 = z
    vx0 = vx; vy0 = vy; vz0 = vz
    localPitch0 = initialLocalPitch
  }

  @inlinable public func position(_ p: Int) -> Vec3 { Vec3(x[p], y[p], z[p]) }
  @inlinable public func direction(_ p: Int) -> Vec3 { Vec3(vx[p], vy[p], vz[p]) }
  @inlinable public func initialPosition(_ p: Int) -> Vec3 { Vec3(x0[p], y0[p], z0[p]) }
  @inlinable public func initialDirection(_ p: Int) -> Vec3 { Vec3(vx0[p], vy0[p], vz0[p]) }

  /// True if all six components are finite (one sum, one test).
  @inlinable @inline(__always)
  public static func isFinite(_ r: Vec3, _ v: Vec3) -> Bool {
    (r.x + r.y + r.z + v.x + v.y + v.z).isFinite
  }

  /// True if the three components are finite.
  @inlinable @inline(__always)
  public static func isFinite(_ v: Vec3) -> Bool { (v.x + v.y + v.z).isFinite }

  /// Load once, run `body` on registers, store once; returns the first non-finite particle
  /// (which is left unstored).
  @inlinable
  public mutating func advanceAll(_ body: (inout Vec3, inout Vec3) -> Void) -> Int? {
    var firstBad: Int? = nil
    for p in 0..<ids.count {
      var r = Vec3(x[p], y[p], z[p])
      var v = Vec3(vx[p], vy[p], vz[p])
      body(&r, &v)
      guard Self.isFinite(r, v) else {
        if firstBad == nil { firstBad = p }
        continue
      }
      x[p] = r.x; y[p] = r.y; z[p] = r.z
      vx[p] = v.x; vy[p] = v.y; vz[p] = v.z
    }
    return firstBad
  }
}

/// Initial conditions drawn from keyed streams (docs/design.md §3.5): particle `id` takes its position
/// from SplitMix64(seed, .particlePosition, id) and its direction from
/// SplitMix64(seed, .particleDirection, id), so every number is independent of batching and
/// threads.
public struct InitialConditions: Sendable, Hashable, Codable {
  /// How initial directions are chosen.
  public enum Directions: Sendable, Hashable, Codable {
    /// μ uniform in (−1, 1), gyrophase uniform: isotropic.
    case isotropic
    /// Particle id takes μ = pitchCosines[id mod count] (μ = v_z/v against B₀ = ẑ) and a uniform
    /// random gyrophase.
    case pitchCosines([Double])
  }

  /// Run seed (independent of the field seed).
  public let seed: UInt64
  /// Lower corner of the box of initial positions (L).
  public let boxOrigin: Vec3
  /// Sides of the box of initial positions (L).
  public let boxSize: Vec3
  public let directions: Directions

  public init(seed: UInt64, boxOrigin: Vec3 = Vec3(), boxSize: Vec3, directions: Directions = .isotropic) throws(OrbitError) {
    for axis in 0..<3 {
      try OrbitError.require(boxSize[axis].isFinite && boxSize[axis] >= 0, "initial_box", boxSize, "sides must be finite and ≥ 0 (in L)")
      try OrbitError.require(boxOrigin[axis].isFinite, "initial_origin", boxOrigin, "must be finite")
    }
    if case .pitchCosines(let list) = directions {
      try OrbitError.require(!list.isEmpty, "pitch_cosines", list, "must not be empty")
      try OrbitError.require(list.allSatisfy { $0.isFinite && abs($0) <= 1 }, "pitch_cosines", list, "each μ must lie in [−1, 1]")
    }
    self.seed = seed
    self.boxOrigin = boxOrigin
    self.boxSize = boxSize
    self.directions = directions
  }

  /// Initial position (L) and unit direction of particle `id`.
  public func state(of id: UInt64) -> (position: Vec3, direction: Vec3) {
    var positionStream = SplitMix64(seed: seed, purpose: .particlePosition, index: id)
    let u = Vec3(positionStream.nextOpenUnit(), positionStream.nextOpenUnit(), positionStream.nextOpenUnit())
    var directionStream = SplitMix64(seed: seed, purpose: .particleDirection, index: id)
    let first = directionStream.nextOpenUnit()
    let phase = 2 * Double.pi * directionStream.nextOpenUnit()
    let mu: Double
    switch directions {
    case .isotropic: mu = 2 * first - 1
    case .pitchCosines(let list): mu = list[Int(id % UInt64(list.count))]
    }
    let perpendicular = max(0, 1 - mu * mu).squareRoot()
    return (boxOrigin + u * boxSize, Vec3(perpendicular * cos(phase), perpendicular * sin(phase), mu))
  }

  /// A batch holding particles `ids` (consecutive global IDs); `field` gives the local μ at t = 0.
  public func makeBatch<F: ElectromagneticField>(ids: Range<UInt64>, field: F) -> ParticleBatch {
    var positions: [Vec3] = [], directions: [Vec3] = [], local: [Double] = []
    positions.reserveCapacity(ids.count); directions.reserveCapacity(ids.count); local.reserveCapacity(ids.count)
    for id in ids {
      let s = state(of: id)
      positions.append(s.position)
      directions.append(s.direction)
      let b = field.fields(at: s.position, time: 0).magnetic
      local.append(s.direction.dot(b) / b.length)
    }
    return ParticleBatch(ids: Array(ids), positions: positions, directions: directions, initialLocalPitch: local)
  }
}
