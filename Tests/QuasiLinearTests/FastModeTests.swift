import Foundation
import LarmorCore
import Testing
import QuasiLinear

/// Fast magnetosonic modes (docs/physics.md §1.4, §3.4).
@Suite struct FastModeTests {
  /// Undamped k^(−7/2) cascade, M_A = 1, k_min = 1/L, k_max = 1e15/L ≫ 1/R.
  static func spectrum(damping: FastModeDamping = .none) throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(.fast(FastModes(index: 1.5, damping: damping)), minimumWavenumber: 1, maximumWavenumber: 1e15, turbulenceLevel: 1)
  }

  /// Where TTD dominates and the cascade is untruncated, D_μμ^T ∝ R^(−1/2) (J_1² ≈ w²/4 up to
  /// x ~ 1/R), hence D_∥ ∝ R^(1/2). Local slope between R = 1e-7 and 1e-6 (v_A = 1e-3 c,
  /// Δ² = M_A = 1): 0.5 within ±0.05 (the gyroresonant part, ∝ R^(1/2) too at leading order,
  /// and the M_A-broadened TTD carry small corrections).
  @Test func parallelDiffusionScalesAsSquareRootOfRigidity() throws {
    let solver = PitchAngleDiffusion(
      spectrum: try Self.spectrum(), settings: SolverSettings(resonance: .broadened(machNumber: 1), alfvenSpeed: 1e-3))
    let (R1, R2) = (1e-7, 1e-6)
    let checked = ParallelDiffusionOptions(panels: 2, checksConvergence: true)
    let plain = ParallelDiffusionOptions(panels: 2, checksConvergence: false)
    let d1 = try #require(solver.parallelDiffusion(reducedRigidity: R1, options: checked).value)
    let d2 = try #require(solver.parallelDiffusion(reducedRigidity: R2, options: plain).value)
    let slope = log(d2.coefficient / d1.coefficient) / log(R2 / R1)
    let parts = solver.fastModeParts(cosine: 0.5, reducedRigidity: R1)
    print("fast: D_∥ slope \(slope); TTD/gyro at μ = 0.5: \(parts.transitTime / parts.gyroresonance); doubling change \(d1.relativeChangeOnRefinement ?? -1)")
    #expect(parts.transitTime > parts.gyroresonance)
    #expect(abs(slope - 0.5) < 0.05)
    #expect((d1.relativeChangeOnRefinement ?? 1) < 1e-3)
  }

  /// The broadened resonance tends to the sharp one as Δ² → 0 with the spectrum held fixed
  /// (magnetostatic fast modes, v_A = 0, so only the n = ±1 gyroresonance acts and its sharp
  /// limit is finite and smooth in μ). D_μμ at μ = 0.5, R = 1e-3 for Δ² = 1e-2, 1e-3, 1e-4:
  /// the last two within 1%, and the last within 1% of the sharp value.
  @Test func broadenedTendsToSharp() throws {
    let spectrum = try Self.spectrum()
    let sharp = PitchAngleDiffusion(spectrum: spectrum).coefficient(cosine: 0.5, reducedRigidity: 1e-3)
    let sequence = [1e-2, 1e-3, 1e-4].map { d2 in
      PitchAngleDiffusion(spectrum: spectrum, settings: SolverSettings(resonance: .gaussian(widthSquared: d2)))
        .coefficient(cosine: 0.5, reducedRigidity: 1e-3)
    }
    print("fast broadening sequence / sharp: \(sequence.map { $0 / sharp })")
    #expect(abs(sequence[2] / sequence[1] - 1) < 0.01)
    #expect(abs(sequence[2] / sharp - 1) < 0.01)
  }

  /// Damping at the integrand's own ξ: a sharp isotropic cut-off k_c = 10³/L far below the
  /// resonant k ~ 1/(Rμ) = 2×10⁵ removes the gyroresonance (D drops by > 10³), while it
  /// leaves TTD at μ ≥ v_A/v (resonant at every k) only reduced.
  @Test func dampingRemovesGyroresonanceBelowCutoff() throws {
    let settings = SolverSettings(alfvenSpeed: 1e-2)
    let open = PitchAngleDiffusion(spectrum: try Self.spectrum(), settings: settings)
    let damped = PitchAngleDiffusion(spectrum: try Self.spectrum(damping: FastModeDamping(sharpCutoff: 1e3)), settings: settings)
    let a = open.fastModeParts(cosine: 0.5, reducedRigidity: 1e-5)
    let b = damped.fastModeParts(cosine: 0.5, reducedRigidity: 1e-5)
    print("fast damping: gyro \(a.gyroresonance) → \(b.gyroresonance), TTD \(a.transitTime) → \(b.transitTime)")
    #expect(b.gyroresonance == 0 || b.gyroresonance < 1e-3 * a.gyroresonance)
    #expect(b.transitTime > 0)
  }

  /// Grid convergence with collisionless damping (halo), R = 1e-8: only thin ξ ranges near
  /// 0 and 1 keep resonant fast modes, which the geometric ξ breakpoints must resolve.
  /// Halving every panel width changes D_μμ by < 1e-4 at μ = 0.1, 0.5, 0.9.
  @Test func dampedFastModesConvergeOnRefinement() throws {
    let spectrum = try Medium.halo.fastSpectrum()
    for μ in [0.1, 0.5, 0.9] {
      let values = [1.0, 2.0].map { r in
        PitchAngleDiffusion(
          spectrum: spectrum,
          settings: SolverSettings(resonance: .broadened(machNumber: 1), alfvenSpeed: Medium.halo.alfvenSpeed, refinement: r)
        ).coefficient(cosine: μ, reducedRigidity: 1e-8)
      }
      print("halo fast D_μμ refinement change at μ = \(μ): \(abs(values[0] / values[1] - 1))")
      #expect(abs(values[0] / values[1] - 1) < 1e-4)
    }
  }
}
