/// The 1D disk + halo transport model: thin gas disk with the sources, diffusive halo with free
/// escape at |z| = H (docs/physics.md §5.1–5.3).
///
/// Only the combination D/H is constrained by stable secondaries: in the thin-disk limit every
/// observable depends on the halo through the escape resistance K = Σ L_k/D_k (s/cm), so
/// multiplying H and every D by the same factor leaves B/C unchanged (the H/D degeneracy, broken
/// only by radioactive clocks such as ¹⁰Be/⁹Be).
public struct DiskHaloModel: Sendable {
  /// The gas disk.
  public let disk: GalacticDisk
  /// The diffusive halo.
  public let halo: DiffusiveHalo

  /// - Throws: `.invalidParameter("halo.halfHeightKpc")` unless H > h, and likewise for the first
  ///   zone boundary (the disk must lie inside the first zone).
  public init(disk: GalacticDisk, halo: DiffusiveHalo) throws(TransportError) {
    let hKpc = disk.halfThicknessPc / 1000
    guard halo.zones[0].upperBoundaryKpc > hKpc else {
      let name = halo.zones.count == 1 ? "halo.halfHeightKpc" : "halo.zones[0].upperBoundaryKpc"
      throw .invalidParameter(
        name: name, value: halo.zones[0].upperBoundaryKpc,
        allowed: "> disk half-thickness h = \(hKpc) kpc")
    }
    self.disk = disk
    self.halo = halo
  }

  /// Grammage X = (μ_d v/2) Σ_k L_k/D_k in g/cm² for a particle of rigidity 𝓡 (GV) and speed β.
  /// One zone: X = μ_d v H/(2D) (docs/physics.md §5.1).
  public func grammage(rigidityGV: Double, speed: Double) -> Double {
    let v = speed * TransportConstants.speedOfLightCentimetresPerSecond
    return 0.5 * disk.surfaceDensityGramsPerSquareCentimetre * v
      * halo.escapeResistance(rigidityGV: rigidityGV, speed: speed)
  }

  /// Grammage X in g/cm² traversed by `nucleus` at rigidity 𝓡 (GV), with its own speed β(𝓡).
  public func grammage(rigidityGV: Double, nucleus: Nucleus) -> Double {
    grammage(rigidityGV: rigidityGV, speed: nucleus.speed(rigidityGV: rigidityGV))
  }

  /// Leaky-box escape time τ_esc = X/(ρ̄ v) in s with ρ̄ = μ_d/(2H) (docs/physics.md §5.3); one zone:
  /// τ_esc = H²/D.
  public func escapeTime(rigidityGV: Double, speed: Double) -> Double {
    let hCm = halo.halfHeightKpc * TransportConstants.kiloparsecInCentimetres
    return hCm * halo.escapeResistance(rigidityGV: rigidityGV, speed: speed)
  }
}

/// The closed-form secondary-to-primary ratio of docs/physics.md §5.2 (one grammage for all species,
/// equal-rigidity approximation):
///   S/P = (X/m̄) Σ_P (N_P/N_C) σ_{P→S} / [1 + (X/m̄) σ_S].
public enum SecondaryToPrimaryFormula {
  /// - Parameters:
  ///   - grammage: X in g/cm².
  ///   - meanTargetMassGrams: m̄ in g (1.273 m_p for n_He/n_H = 0.1).
  ///   - parents: (abundance N_P/N_C relative to the reference primary, σ_{P→S} in mb) pairs,
  ///     cumulative cross sections per target particle.
  ///   - destructionCrossSectionMillibarn: σ_S in mb per target particle.
  /// - Returns: the ratio S/C (dimensionless).
  public static func ratio(
    grammage: Double, meanTargetMassGrams: Double,
    parents: [(abundance: Double, productionCrossSectionMillibarn: Double)],
    destructionCrossSectionMillibarn: Double
  ) -> Double {
    let column = grammage / meanTargetMassGrams  // target particles per cm²
    let mb = TransportConstants.millibarnInSquareCentimetres
    let production = parents.reduce(0.0) { $0 + $1.abundance * $1.productionCrossSectionMillibarn }
    return column * production * mb / (1 + column * destructionCrossSectionMillibarn * mb)
  }
}
