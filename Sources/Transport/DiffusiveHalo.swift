import LarmorCore

/// One layer of the diffusive halo: a diffusion model valid from the previous layer's top (or the
/// disk plane) up to `upperBoundaryKpc`.
public struct DiffusionZone: Sendable {
  /// Upper boundary |z| of the zone in kpc.
  public let upperBoundaryKpc: Double
  /// Diffusion coefficient D(𝓡) in the zone.
  public let diffusion: any DiffusionModel

  /// - Parameters:
  ///   - upperBoundaryKpc: |z| in kpc at the top of the zone.
  ///   - diffusion: D(𝓡) in the zone.
  public init(upperBoundaryKpc: Double, diffusion: any DiffusionModel) {
    self.upperBoundaryKpc = upperBoundaryKpc
    self.diffusion = diffusion
  }
}

/// The diffusive halo |z| < H with free escape N(±H) = 0, made of one or more zones in |z|
/// (docs/physics.md §5.1: one zone, or the two-zone "disk" |z| < h₁ / "halo" h₁ < |z| < H geometry).
public struct DiffusiveHalo: Sendable {
  /// Zones ordered from the disk outwards; the last upper boundary is the halo half-height H.
  public let zones: [DiffusionZone]

  /// - Parameter zones: at least one zone, with finite upper boundaries > 0 kpc that increase
  ///   strictly outwards.
  public init(zones: [DiffusionZone]) throws(TransportError) {
    guard !zones.isEmpty else {
      throw .invalidTable(name: "halo.zones", reason: "at least one diffusion zone is required")
    }
    var previous = 0.0
    for (i, zone) in zones.enumerated() {
      guard zone.upperBoundaryKpc.isFinite, zone.upperBoundaryKpc > previous else {
        throw .invalidParameter(
          name: i == zones.count - 1 ? "halo.halfHeightKpc" : "halo.zones[\(i)].upperBoundaryKpc",
          value: zone.upperBoundaryKpc, allowed: "finite and > \(previous) kpc")
      }
      previous = zone.upperBoundaryKpc
    }
    self.zones = zones
  }

  /// One zone of uniform D(𝓡) up to the half-height H (kpc, finite and > 0).
  public static func oneZone(halfHeightKpc: Double, diffusion: any DiffusionModel)
    throws(TransportError) -> DiffusiveHalo
  {
    try DiffusiveHalo(zones: [DiffusionZone(upperBoundaryKpc: halfHeightKpc, diffusion: diffusion)])
  }

  /// Two zones: D₁ for |z| < h₁ and D₂ for h₁ < |z| < H (kpc; 0 < h₁ < H).
  public static func twoZone(
    innerHalfHeightKpc: Double, halfHeightKpc: Double, inner: any DiffusionModel,
    outer: any DiffusionModel
  ) throws(TransportError) -> DiffusiveHalo {
    try DiffusiveHalo(zones: [
      DiffusionZone(upperBoundaryKpc: innerHalfHeightKpc, diffusion: inner),
      DiffusionZone(upperBoundaryKpc: halfHeightKpc, diffusion: outer),
    ])
  }

  /// Halo half-height H in kpc.
  public var halfHeightKpc: Double { zones[zones.count - 1].upperBoundaryKpc }

  /// Thickness of zone k in kpc.
  public func thicknessKpc(zone k: Int) -> Double {
    zones[k].upperBoundaryKpc - (k == 0 ? 0 : zones[k - 1].upperBoundaryKpc)
  }

  /// Escape resistance K = Σ_k L_k / D_k in s/cm, with L_k the zone thickness (cm) and D_k in cm²/s
  /// at rigidity 𝓡 (GV) and speed β. One zone: K = H/D. [derived: −D N'' = 0 per zone with
  /// continuous N and flux gives N(0) = (Q/2) K for a disk source Q.]
  public func escapeResistance(rigidityGV: Double, speed: Double) -> Double {
    var k = 0.0
    for i in zones.indices {
      let length = thicknessKpc(zone: i) * TransportConstants.kiloparsecInCentimetres
      k += length / zones[i].diffusion.coefficient(rigidityGV: rigidityGV, speed: speed)
    }
    return k
  }

  /// Index of the zone containing |z| (kpc); a point on a boundary belongs to the inner zone.
  public func zoneIndex(heightKpc z: Double) -> Int {
    for (i, zone) in zones.enumerated() where z <= zone.upperBoundaryKpc { return i }
    return zones.count - 1
  }
}
