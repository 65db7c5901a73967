import Diffusion
import Foundation
import LarmorCore
import Orbits
import QuasiLinear
import Testing
import Turbulence

/// Test particles in travelling fast magnetosonic waves against QLT on the same waves: the
/// transit-time damping (TTD) check the package exists for.
///
/// Setup: fast modes (E(k) ∝ k^(−3/2), k ∈ [2π, 32π]) as a `PlaneWaveField` of 2 × 128 waves,
/// balanced (σ_c = 0), v_A = 0.1 c (exaggerated, so that the TTD resonance μ = ω/k_∥ = v_f/cos θ
/// lies at moderate μ and D_pp ~ v_A² D_μμ is measurable), β = 0.1, σ = δB/B₀ = 1e-4 (the
/// unperturbed-orbit limit, where finite-time QLT on the realized waves is exact, as in the slab
/// test A), R = 0.05 (Ω = 20), μ₀ = ±0.1 … ±0.9, 1000 particles each, Δt = 0.005, t ≤ 10.
/// Estimator: D_μμ slope over t ≥ 10 gyro-periods with ⟨Δμ²⟩ ≤ 5e-3; D_pp over the same rows.
/// Reference: `finiteTimeWaveCoefficients` on the same waves, slope over the same rows.
struct MovingWaveQuasiLinearTests {
  static let rigidity = 0.05
  static let mus = [-0.9, -0.7, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5, 0.7, 0.9]

  @Test("Fast waves at v_A = 0.1: D_μμ(μ) and D_pp(μ) vs finite-time QLT on the same waves (TTD + gyroresonance), median |ratio − 1| ≤ 0.15 each; dropping the wave's electric field from QLT is refuted")
  func fastWavesMatchWaveSumQuasiLinearTheory() async throws {
    let start = Date()
    let level = 1e-4
    let spectrum = try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: 2 * .pi, maximumWavenumber: 32 * .pi, turbulenceLevel: level)
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.1, crossHelicity: 0)
    let field = try PlaneWaveField.synthesize(spectrum, motion: motion, waveCount: 128, seed: 11)
    let edges = Self.mus.flatMap { [$0 - 0.05, $0 + 0.05] }
    let pusher = try BorisPusher(reducedRigidity: Self.rigidity, timeStep: 0.005)
    let schedule = try SampleSchedule.logarithmic(from: 0.01, to: 1, count: 8).union(try .linear(until: 10, count: 80))
    let config = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: Self.mus.count * 1000, batchSize: 300, groupSize: 60)
    let initial = try InitialConditions(seed: 5, boxSize: Vec3(10, 10, 10), directions: .pitchCosines(Self.mus))
    let template = try TransportAccumulator(times: config.rowTimes, pitchBinEdges: edges)
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: field, observer: template)
    try await EnsembleRunner.run(&state, in: field, threads: 2)
    let groups = state.groupObservers, times = config.rowTimes
    let rule = PitchAngleWindowRule(minimumGyroperiods: 10, maximumMeanSquare: 5e-3)
    let pitch = PitchAngleEstimator.estimate(groups: groups, reducedRigidity: Self.rigidity, rule: rule)
    let momentum = MomentumDiffusion.estimate(groups: groups, pitchEstimates: pitch)
    // The same waves with e = 0 in the theory only: the magnetostatic weighting of the resonances.
    let withoutElectric = field.waves.map { PlaneWave(wavevector: $0.wavevector, frequency: $0.frequency, phase: $0.phase, magnetic: $0.magnetic, electric: Vec3()) }
    var pitchDeviations: [Double] = [], momentumDeviations: [Double] = [], transitDeviations: [Double] = []
    var chiSquare = 0.0, chiSquareWithoutElectric = 0.0
    for (i, mu) in Self.mus.enumerated() {
      let b = 2 * i
      let d = try #require(pitch[b].coefficient, "μ₀ = \(mu): \(pitch[b].problem ?? "")")
      let dpp = try #require(momentum[b].coefficient)
      let t = pitch[b].rows!.map { times[$0] }
      let theory = t.map { finiteTimeWaveCoefficients(waves: field.waves, cosine: mu, reducedRigidity: Self.rigidity, time: $0) }
      let magnetostatic = t.map { finiteTimeWaveCoefficients(waves: withoutElectric, cosine: mu, reducedRigidity: Self.rigidity, time: $0) }
      func slope(_ d: [Double]) -> Double { linearFit(t, zip(t, d).map { 2 * $0 * $1 }).slope / 2 }
      let qltPitch = slope(theory.map(\.pitch)), qltMomentum = slope(theory.map(\.momentum))
      let transitShare = slope(theory.map(\.pitchTransitTime)) / qltPitch
      let qltStatic = slope(magnetostatic.map(\.pitch))
      pitchDeviations.append(abs(d / qltPitch - 1))
      momentumDeviations.append(abs(dpp / qltMomentum - 1))
      if transitShare > 0.5 { transitDeviations.append(abs(d / qltPitch - 1)) }
      let σ = pitch[b].standardError!
      chiSquare += pow((d - qltPitch) / σ, 2)
      chiSquareWithoutElectric += pow((d - qltStatic) / σ, 2)
      print(String(format: "fast waves μ=%+.1f D_μμ=%.4e ± %.1e (QLT %.4e, ratio %.3f; TTD share %.2f; QLT without e: ratio %.3f)  D_pp=%.4e ± %.1e (QLT %.4e, ratio %.3f)",
                   mu, d, pitch[b].standardError!, qltPitch, d / qltPitch, transitShare, d / qltStatic, dpp, momentum[b].standardError!, qltMomentum, dpp / qltMomentum))
    }
    func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }
    print("fast waves: median |ratio−1| D_μμ \(median(pitchDeviations)), D_pp \(median(momentumDeviations)), TTD-dominated bins \(transitDeviations.count): \(transitDeviations.isEmpty ? .nan : median(transitDeviations)); χ² of D_μμ over \(Self.mus.count) bins: \(chiSquare) with the wave's e in QLT, \(chiSquareWithoutElectric) without; wall \(Date().timeIntervalSince(start)) s")
    #expect(median(pitchDeviations) <= 0.15)
    #expect(median(momentumDeviations) <= 0.15)
    try #require(!transitDeviations.isEmpty, "no TTD-dominated bin")
    #expect(median(transitDeviations) <= 0.15)
    #expect(chiSquareWithoutElectric > chiSquare + 25)
  }
}
