import Diffusion
import Foundation
import LarmorCore
import Orbits
import Testing

/// Slab Alfvén waves travelling along ±B₀ at v_A: each direction's fluctuation is a `SlabGrid`
/// pattern translating rigidly, b = ẑ + Σ_s δb_s(z − s v_A t), with the Walén electric field
/// e = −Σ_s s v_A ẑ × δb_s (the structure of Turbulence.TravelingGridField, which this target
/// cannot import).
struct MovingSlab: ElectromagneticField {
  let patterns: [(grid: SlabGrid, speed: Double)]

  func fields(at x: Vec3, time t: Double) -> FieldSample {
    var b = Vec3(0, 0, 1), e = Vec3()
    for p in patterns {
      let δb = p.grid.sample(at: Vec3(x.x, x.y, x.z - p.speed * t)) - Vec3(0, 0, 1)
      b += δb
      e -= Vec3(0, 0, p.speed).cross(δb)
    }
    return FieldSample(magnetic: b, electric: e)
  }

  /// Finite-time QLT along unperturbed helices on the realized modes of every pattern (the
  /// moving-wave form of `SlabGrid.quasiLinearMeanSquare`). For a pattern moving at V = s v_A the
  /// orbit phase is k(vμ − V)t, and from dμ/dt = Ω(v̂ × δb)_z(1 − Vμ), dp/dt = Ω V (v̂ × δb)_z
  /// (p in p₀, v = c):
  ///   ⟨Δμ²⟩ = (Ω²(1−μ²)/2) Σ_s Σ_m P_m sinc⁴(k_mΔz/2) (1 − Vμ)² F_t(k_m(μ − V) + Ω),
  ///   ⟨Δp²⟩ = the same with (1 − Vμ)² replaced by V².
  /// Over the resonant window these give Schlickeiser's slab D_μμ and D_pp for Alfvén waves,
  /// D_pp = p² V² D_μμ/(1 − Vμ)² per direction.
  func quasiLinearMeanSquares(mu: Double, time t: Double, rigidity: Double) -> (pitch: Double, momentum: Double) {
    let omega = 1 / rigidity
    var pitch = 0.0, momentum = 0.0
    for p in patterns {
      let g = p.grid, V = p.speed
      for i in g.wavenumbers.indices {
        let k = g.wavenumbers[i]
        let power = g.amplitudes[i].re * g.amplitudes[i].re + g.amplitudes[i].im * g.amplitudes[i].im
        let h = k * g.cellSize / 2
        let sinc4 = pow(sin(h) / h, 4)
        let x = k * (mu - V) + omega
        let f = abs(x) < 1e-12 ? t * t : 4 * pow(sin(x * t / 2), 2) / (x * x)
        pitch += power * sinc4 * (1 - V * mu) * (1 - V * mu) * f
        momentum += power * sinc4 * V * V * f
      }
    }
    let prefactor = omega * omega * (1 - mu * mu) / 2
    return (prefactor * pitch, prefactor * momentum)
  }
}

/// Test particles in travelling slab Alfvén waves against QLT on the same realized modes: the
/// moving-field counterpart of `SlabQuasiLinearTests` test A (same box, grid, rigidity, window
/// and σ² = 1e-8 unperturbed-orbit limit), at an exaggerated v_A = 0.1 c so that the Doppler shift
/// of the resonance, k = Ω/|vμ − V|, and the (1 − Vμ)² weight are ≥ 10 % effects, and D_pp is
/// measurable. Balanced waves (σ_c = 0, two independent patterns) and μ₀ = ±0.2 … ±0.9, so the
/// asymmetry between μ > 0 and μ < 0 of each direction is tested too.
struct MovingSlabQuasiLinearTests {
  static let box = 8.0, cells = 2048, rigidity = 0.05, speed = 0.1
  static let mus = [-0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]

  @Test("Balanced slab Alfvén waves at v_A = 0.1: D_μμ(μ) and D_pp(μ) vs finite-time QLT on the realized modes, median |ratio − 1| ≤ 0.15 each")
  func movingSlabMatchesQuasiLinearTheory() async throws {
    let start = Date()
    let level = 1e-4
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3), minimumWavenumber: 2 * .pi / Self.box, maximumWavenumber: 300, turbulenceLevel: level / 2.0.squareRoot())
    let field = MovingSlab(patterns: [
      (SlabGrid(spectrum: spectrum, box: Self.box, count: Self.cells, seed: 1), Self.speed),
      (SlabGrid(spectrum: spectrum, box: Self.box, count: Self.cells, seed: 2), -Self.speed),
    ])
    let edges = Self.mus.flatMap { [$0 - 0.025, $0 + 0.025] }
    let pusher = try StepRule(turbulenceLevel: level, cellSize: Self.box / Double(Self.cells)).pusher(reducedRigidity: Self.rigidity)
    let schedule = try SampleSchedule.logarithmic(from: 0.01, to: 1, count: 10).union(try .linear(until: 20, count: 100))
    let config = try EnsembleConfiguration(pusher: pusher, schedule: schedule, particleCount: Self.mus.count * 400, batchSize: 320, groupSize: 64)
    let initial = try InitialConditions(seed: 43, boxSize: Vec3(1, 1, Self.box), directions: .pitchCosines(Self.mus))
    let template = try TransportAccumulator(times: config.rowTimes, pitchBinEdges: edges)
    var state = EnsembleRunner.makeState(configuration: config, initialConditions: initial, field: field, observer: template)
    try await EnsembleRunner.run(&state, in: field, threads: 2)
    let groups = state.groupObservers, times = config.rowTimes
    let rule = PitchAngleWindowRule(minimumGyroperiods: 10, maximumMeanSquare: 5e-3, boxLength: Self.box, boxFraction: 1)
    // Bins alternate: the μ₀ bins are the even ones (odd bins lie between the sharp μ₀ values).
    let pitch = PitchAngleEstimator.estimate(groups: groups, reducedRigidity: Self.rigidity, rule: rule)
    let momentum = MomentumDiffusion.estimate(groups: groups, pitchEstimates: pitch)
    var pitchDeviations: [Double] = [], momentumDeviations: [Double] = []
    for (i, mu) in Self.mus.enumerated() {
      let b = 2 * i
      let d = try #require(pitch[b].coefficient, "μ₀ = \(mu): \(pitch[b].problem ?? "")")
      let dpp = try #require(momentum[b].coefficient)
      let t = pitch[b].rows!.map { times[$0] }
      let reference = t.map { field.quasiLinearMeanSquares(mu: mu, time: $0, rigidity: Self.rigidity) }
      let qltPitch = linearFit(t, reference.map(\.pitch)).slope / 2
      let qltMomentum = linearFit(t, reference.map(\.momentum)).slope / 2
      pitchDeviations.append(abs(d / qltPitch - 1))
      momentumDeviations.append(abs(dpp / qltMomentum - 1))
      print(String(format: "moving slab μ=%+.1f D_μμ=%.4e (QLT %.4e, ratio %.3f)  D_pp=%.4e ± %.1e (QLT %.4e, ratio %.3f)",
                   mu, d, qltPitch, d / qltPitch, dpp, momentum[b].standardError!, qltMomentum, dpp / qltMomentum))
    }
    let medianPitch = pitchDeviations.sorted()[pitchDeviations.count / 2]
    let medianMomentum = momentumDeviations.sorted()[momentumDeviations.count / 2]
    print("moving slab: median |ratio−1| D_μμ \(medianPitch), D_pp \(medianMomentum); wall \(Date().timeIntervalSince(start)) s")
    #expect(medianPitch <= 0.15)
    #expect(medianMomentum <= 0.15)
  }
}
