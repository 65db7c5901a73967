import Foundation
import LarmorCore

extension MediumDiffusionModel {
  /// The isotropic momentum diffusion rate ⟨D_pp⟩/p² = ½∫₋₁¹ D_pp(μ)/p² dμ of the medium's
  /// (Alfvén, slow, fast) waves in 1/s at each rigidity 𝓡 (GV): the rate with which the same
  /// turbulence that sets D_∥ reaccelerates an isotropic cosmic-ray population.
  ///
  /// D_pp(μ) is the quasi-linear coefficient with the waves' electric field (the ε² = (ω/k_∥v)²
  /// weight at every resonance, `QuasiLinearCoefficient.momentum`), on the medium's resonance
  /// function, with every family moving (`SolverSettings.moving`): fast modes ω = k v_A (TTD and
  /// gyroresonance), Alfvén waves ω = k_∥ v_A (so D_pp/p² = (v_A/v)² D_μμ), slow modes ω = k_∥ c_T
  /// — where the D_∥ solver follows Yan & Lazarian in keeping Alfvén and slow modes magnetostatic,
  /// which would leave them no D_pp. The waves are balanced (σ_c = 0), so D_pp(−μ) = D_pp(μ) and the
  /// average is ∫₀¹, by Gauss–Legendre of `order` nodes on each of the panels [0, ½], [½, 0.9],
  /// [0.9, 1] (the TTD weight varies fastest near μ = 1).
  public func momentumDiffusionRates(rigiditiesGigavolts: [Double], order: Int = 24) throws -> [[Double]] {
    let motion = try WaveMotion(alfvenSpeed: medium.alfvenSpeed, plasmaBeta: medium.plasmaBeta)
    let solvers = [alfvenSolver, slowSolver, fastSolver].map {
      PitchAngleDiffusion(spectrum: $0.spectrum, settings: $0.settings.moving(motion).integrating(.momentum))
    }
    let rule = GaussLegendre(order: order)
    let panels: [(Double, Double)] = [(0, 0.5), (0.5, 0.9), (0.9, 1)]
    let perSecond = Units.speedOfLightCentimetresPerSecond / (medium.outerScaleParsec * Units.parsecInCentimetres)
    return rigiditiesGigavolts.map { 𝓡 in
      let R = reducedRigidity(rigidityGigavolts: 𝓡)
      let v = particle.speed(rigidityGigavolts: 𝓡)
      return solvers.map { solver in
        let average = panels.reduce(0.0) { sum, panel in
          sum + rule.integrate(from: panel.0, to: panel.1) { solver.coefficient(cosine: $0, reducedRigidity: R, speed: v) }
        }
        return average * perSecond
      }
    }
  }
}
