import Foundation
import Testing

@testable import Transport

/// Reacceleration against an exact solution.
@Suite struct ReaccelerationAnalyticTests {
  /// With D uniform and rigidity-independent and no spallation, D_ππ = a (p/A)² with constant
  /// a = α v_A²/D, and a disk source Q ∝ (p/A)^−s, the operator ∂_π[π² D_ππ ∂_π(N/π²)] acting on
  /// N ∝ π^−s is λN with λ = a(s + 2)(s − 1). Expanding −D N'' − λN = Q δ(z) on |z| < H, N(±H) = 0, in
  /// cos((n + ½)πz/H) and summing Σ 1/((n + ½)²π² − x²) = tan(x)/(2x):
  ///   N(0) = Q tan(μH)/(2Dμ),  μ = √(λ/D),
  /// i.e. reacceleration multiplies the pure-diffusion N(0) = QH/(2D) by tan(μH)/(μH) [derived].
  /// α = 4/[3δ(4 − δ²)(4 − δ)] with δ clamped to 0.1 for a constant D (as documented).
  /// Checked away from the p/A grid edges (10–100 GeV/c on a 10⁻²–10⁶ grid); tolerance 1% at 16
  /// points per decade, and the error must fall by ≥ 3× at 32 per decade (second-order centred
  /// flux in ln p: 4× expected).
  @Test func powerLawEigenSolution() throws {
    let coarse = try deviation(pointsPerDecade: 16)
    let fine = try deviation(pointsPerDecade: 32)
    print("reacceleration eigen-solution: max deviation 16/decade = \(coarse), 32/decade = \(fine)")
    #expect(coarse < 0.01)
    #expect(fine < coarse / 3)
  }

  func deviation(pointsPerDecade: Int) throws -> Double {
    let d = 3.0e28
    let h = 4.0
    let alfven = 10.0
    let zero = try EnergyTable.constant(0)
    let species: [Nucleus] = [.carbon12, .nitrogen14, .oxygen16, .boron10, .boron11]
    let xs = NuclearCrossSections(
      inelasticOnHydrogen: Dictionary(uniqueKeysWithValues: species.map { ($0, zero) }),
      inelasticOnHelium: Dictionary(uniqueKeysWithValues: species.map { ($0, zero) }),
      partialOnHydrogen: [:])
    let model = try DiskHaloModel(
      disk: Fixture.disk, halo: .oneZone(halfHeightKpc: h, diffusion: try ConstantDiffusion(d)))
    let source = try SourceSpectrum(spectralIndex: 2.3, oxygenToCarbon: 0, nitrogenToCarbon: 0)
    let grid = try NumericalGrid(
      minimumMomentumPerNucleon: 0.01, maximumMomentumPerNucleon: 1.0e6,
      pointsPerDecade: pointsPerDecade,
      intervalsPerZone: 40, tolerance: 1e-12)
    let solution = NumericalDiskHaloSolver(
      model: model, crossSections: xs, source: source,
      processes: try TransportProcesses(alfvenSpeedKmPerSecond: alfven), grid: grid
    ).solve()
    #expect(solution.converged)
    let delta = 0.1
    let alpha = 4 / (3 * delta * (4 - delta * delta) * (4 - delta))
    let a = alpha * pow(alfven * 1e5, 2) / d
    let s = 2.3
    let mu = (a * (s + 2) * (s - 1) / d).squareRoot()
    let hCm = h * Fixture.kpc
    let enhancement = tan(mu * hCm) / (mu * hCm)
    let network = SpallationNetwork(disk: model.disk, crossSections: xs)
    var worst = 0.0
    for (j, p) in solution.spectra.momentaPerNucleon.enumerated() where p >= 10 && p <= 100 {
      let q = network.injection(.carbon12, momentumPerNucleon: p, abundance: 1, spectralIndex: s)
      let pureDiffusion = q * hCm / (2 * d)
      let ratio = solution.spectra.densities[.carbon12]![j] / pureDiffusion
      worst = max(worst, abs(ratio / enhancement - 1))
    }
    print(
      "μH = \(mu * hCm), tan(μH)/(μH) = \(enhancement), \(pointsPerDecade)/decade: max relative deviation 10–100 GeV/c = \(worst), iterations \(solution.iterations)"
    )
    return worst
  }
}
