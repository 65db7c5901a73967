import Foundation
import LarmorCore

/// Steady-state interstellar densities at the Sun's position (z = 0) on a grid of momentum per
/// nucleon, for each species, and the observables built from them.
///
/// Densities N(p/A) are per unit p/A, in arbitrary units common to all species (only ratios are
/// physical). The flux per unit rigidity is J(𝓡) = (c/4π) β N(p/A) (Z/A) at p/A = 𝓡 Z/A; fluxes
/// returned here omit the common factor c/4π.
public struct PropagatedSpectra: Sendable {
  /// Momenta per nucleon in GeV/c, increasing.
  public let momentaPerNucleon: [Double]
  /// N(z = 0, p/A) for each species, same count as `momentaPerNucleon`.
  public let densities: [Nucleus: [Double]]

  /// Spectra on a grid. Densities must be > 0 where they are interpolated.
  public init(momentaPerNucleon: [Double], densities: [Nucleus: [Double]]) {
    self.momentaPerNucleon = momentaPerNucleon
    self.densities = densities
  }

  /// N(p/A) of `nucleus`, interpolated linearly in (ln p/A, ln N); 0 for an absent species.
  public func density(_ nucleus: Nucleus, momentumPerNucleon π: Double) -> Double {
    guard let ys = densities[nucleus] else { return 0 }
    if ys.allSatisfy({ $0 == 0 }) { return 0 }
    return LogLogInterpolation.value(at: π, abscissae: momentaPerNucleon, ordinates: ys)
  }

  /// Flux per unit rigidity of `nucleus` at rigidity 𝓡 (GV), without the factor c/4π, after
  /// force-field modulation (docs/physics.md §5.4) with potential Φ (GV): at Earth, the kinetic energy per
  /// nucleon E maps to E + Φ_A outside, Φ_A = (|Z|/A)Φ, and J_E(E) = J_E,IS(E + Φ_A) p²/p'².
  public func flux(_ nucleus: Nucleus, rigidityGV: Double, modulation: ForceFieldModulation = .none)
    -> Double
  {
    let π = nucleus.momentumPerNucleon(rigidityGV: rigidityGV)
    let β = Kinematics.speed(momentumPerNucleon: π)
    let outsideMomentum = modulation.interstellarMomentumPerNucleon(
      momentumPerNucleon: π, nucleus: nucleus)
    // J_E per unit E/n is (c/4π) N(p'/A) (p/p')²; per unit rigidity multiply by dE/d𝓡 = β Z/A.
    let ratio = π / outsideMomentum
    return density(nucleus, momentumPerNucleon: outsideMomentum) * ratio * ratio * β
      / nucleus.massToChargeRatio
  }

  /// Ratio of summed fluxes at the same rigidity 𝓡 (GV), e.g. B/C = (J₁₀B + J₁₁B)/J₁₂C.
  public func fluxRatio(
    numerator: [Nucleus], denominator: [Nucleus], rigidityGV: Double,
    modulation: ForceFieldModulation = .none
  ) -> Double {
    let top = numerator.reduce(0.0) {
      $0 + flux($1, rigidityGV: rigidityGV, modulation: modulation)
    }
    let bottom = denominator.reduce(0.0) {
      $0 + flux($1, rigidityGV: rigidityGV, modulation: modulation)
    }
    return top / bottom
  }

  /// B/C = (J(¹⁰B) + J(¹¹B))/J(¹²C) at rigidity 𝓡 (GV), optionally modulated.
  public func boronToCarbon(rigidityGV: Double, modulation: ForceFieldModulation = .none) -> Double
  {
    fluxRatio(
      numerator: [.boron10, .boron11], denominator: [.carbon12], rigidityGV: rigidityGV,
      modulation: modulation)
  }
}

/// Logarithmic grid of momentum per nucleon.
public enum MomentumGrid {
  /// Points p_j = p_min · 10^(j/n) from p_min up to at least p_max (GeV/c), n per decade.
  public static func logarithmic(minimum: Double, maximum: Double, pointsPerDecade n: Int)
    -> [Double]
  {
    let count = Int((log10(maximum / minimum) * Double(n)).rounded(.up)) + 1
    return (0..<count).map { minimum * pow(10, Double($0) / Double(n)) }
  }
}
