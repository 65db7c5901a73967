import Foundation

/// Steady-state thin-disk solution of the disk + halo model without energy losses, convection or
/// reacceleration (docs/physics.md §5.1–5.2, extended to several zones and to isotopes):
///
///   −∂_z(D ∂_z N) = [Q − Γ N] δ(z),  N(±H) = 0
///   ⇒ N(0) = (Q/2) K / (1 + Γ K/2),  K = Σ_k L_k/D_k (s/cm),
///
/// solved species by species at fixed momentum per nucleon p/A (conserved by spallation), with
/// Q_S = Σ_P Γ_{P→S} N_P(0) for the secondaries. Since Γ K/2 = X σ/m̄ this is the formula of §5.2,
/// but each nucleus diffuses with D at its own rigidity 𝓡 = (p/A)(A/Z) — ¹¹B (A/Z = 2.2) reaches a
/// given rigidity from a 10% lower p/A than ¹²C — and B/C is then formed at equal rigidity.
public struct AnalyticDiskHaloSolution: Sendable {
  /// Geometry and gas.
  public let model: DiskHaloModel
  /// Nuclear network.
  public let network: SpallationNetwork
  /// Primary source spectrum and observed primary ratios.
  public let source: SourceSpectrum

  /// - Parameters: model geometry, cross sections, source spectrum.
  public init(model: DiskHaloModel, crossSections: NuclearCrossSections, source: SourceSpectrum) {
    self.model = model
    self.network = SpallationNetwork(disk: model.disk, crossSections: crossSections)
    self.source = source
  }

  /// K = Σ L_k/D_k (s/cm) of `nucleus` at momentum per nucleon p/A (GeV/c).
  public func escapeResistance(_ nucleus: Nucleus, momentumPerNucleon π: Double) -> Double {
    model.halo.escapeResistance(
      rigidityGV: nucleus.rigidity(momentumPerNucleon: π),
      speed: Kinematics.speed(momentumPerNucleon: π))
  }

  /// Disk density N(0) = (Q/2) K/(1 + Γ K/2) for a disk source Q and destruction rate Γ (cm/s).
  func diskDensity(source q: Double, destructionRate γ: Double, resistance k: Double) -> Double {
    0.5 * q * k / (1 + 0.5 * γ * k)
  }

  /// Source abundances q_P relative to carbon (q_C = 1) such that the propagated flux ratios at the
  /// reference rigidity equal `source.observedRatiosToCarbon`.
  public func sourceAbundances() -> [Nucleus: Double] {
    let r = source.referenceRigidityGV
    var unit: [Nucleus: Double] = [:]
    for p in network.primaries {
      let π = p.momentumPerNucleon(rigidityGV: r)
      let n = diskDensity(
        source: network.injection(
          p, momentumPerNucleon: π, abundance: 1, spectralIndex: source.spectralIndex),
        destructionRate: network.destructionRate(p, momentumPerNucleon: π),
        resistance: escapeResistance(p, momentumPerNucleon: π))
      // Flux per unit rigidity, without c/4π.
      unit[p] = n * Kinematics.speed(momentumPerNucleon: π) / p.massToChargeRatio
    }
    var q: [Nucleus: Double] = [:]
    let observed = source.observedRatiosToCarbon
    for p in network.primaries {
      q[p] = (observed[p] ?? 0) * unit[.carbon12]! / unit[p]!
    }
    return q
  }

  /// Spectra at z = 0 on the given momenta per nucleon (GeV/c).
  public func spectra(momentaPerNucleon: [Double]) -> PropagatedSpectra {
    let q = sourceAbundances()
    var densities: [Nucleus: [Double]] = [:]
    for p in network.primaries {
      densities[p] = momentaPerNucleon.map { π in
        diskDensity(
          source: network.injection(
            p, momentumPerNucleon: π, abundance: q[p]!, spectralIndex: source.spectralIndex),
          destructionRate: network.destructionRate(p, momentumPerNucleon: π),
          resistance: escapeResistance(p, momentumPerNucleon: π))
      }
    }
    for s in network.secondaries {
      densities[s] = momentaPerNucleon.indices.map { j in
        let π = momentaPerNucleon[j]
        var production = 0.0
        for p in network.primaries {
          production +=
            network.productionRate(from: p, to: s, momentumPerNucleon: π) * densities[p]![j]
        }
        return diskDensity(
          source: production, destructionRate: network.destructionRate(s, momentumPerNucleon: π),
          resistance: escapeResistance(s, momentumPerNucleon: π))
      }
    }
    return PropagatedSpectra(momentaPerNucleon: momentaPerNucleon, densities: densities)
  }

  /// Spectra on the default grid used for comparisons with data: p/A from 0.3 to 3×10⁴ GeV/c,
  /// 16 points per decade (covers 𝓡 = 1–6×10⁴ GV for every species).
  public func spectra() -> PropagatedSpectra {
    spectra(
      momentaPerNucleon: MomentumGrid.logarithmic(minimum: 0.3, maximum: 3.0e4, pointsPerDecade: 16)
    )
  }
}
