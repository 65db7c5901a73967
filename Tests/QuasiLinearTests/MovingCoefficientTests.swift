import Foundation
import LarmorCore
import QuasiLinear
import Testing

/// The continuum solver's coefficients of moving waves (`QuasiLinearCoefficient`): D_μμ without
/// and with the waves' electric field and D_pp/p², with unbalanced directions (σ_c ≠ 0), checked
/// against the independent mode and wave sums (which carry each wave's own e) and against the
/// mirror symmetry z → −z.
struct MovingCoefficientTests {
  static func solvers(_ spectrum: TurbulenceSpectrum, _ settings: SolverSettings) -> [QuasiLinearCoefficient: PitchAngleDiffusion] {
    Dictionary(uniqueKeysWithValues: QuasiLinearCoefficient.allCases.map { ($0, PitchAngleDiffusion(spectrum: spectrum, settings: settings.integrating($0))) })
  }

  /// Slab Alfvén waves, v_A = 0.1, σ_c = 0.6 (80 % of the power along +B₀), sharp resonance,
  /// R = 0.01: the continuum D_μμ with e and D_pp against the finite-time sum over the modes of a
  /// long box travelling as two patterns (`finiteTimeTravelingCoefficients`, the reference the
  /// simulations are checked against). Box 1000 L, 2²⁰ modes, t = 100 L/c: the kernel covers
  /// ≥ 15 modes at every resonance k = Ω/|vμ ∓ v_A| and its tails add O(1e-3) (as in
  /// `DiscreteSpectrumTests`). Agreement to 1.5 % in every bin, at both signs of μ, where the two
  /// directions resonate at different k.
  /// Unbalanced waves: D_μμ(μ; σ_c) = D_μμ(−μ; −σ_c), so D_∥, an integral over all μ, is the same
  /// for σ_c and −σ_c — but only if both halves of μ are integrated (the half-range shortcut of
  /// balanced turbulence gives values that differ by the forward/backward asymmetry, here ~10%).
  @Test func unbalancedParallelDiffusionIsMirrorSymmetric() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * .pi, maximumWavenumber: 2000, turbulenceLevel: 0.1)
    func dpar(_ σ: Double) throws -> Double {
      let solver = PitchAngleDiffusion(spectrum: spectrum, settings: SolverSettings().moving(try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: σ)))
      return try #require(solver.parallelDiffusion(reducedRigidity: 0.01).value?.coefficient)
    }
    let (plus, minus) = (try dpar(0.6), try dpar(-0.6))
    #expect(abs(plus / minus - 1) < 1e-6, "D_∥(σ_c = ±0.6) = \(plus), \(minus)")
    // And it is not the half-range value the shortcut would give.
    let solver = PitchAngleDiffusion(spectrum: spectrum, settings: SolverSettings().moving(try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: 0.6)))
    let half = try #require(QuasiLinear.parallelDiffusion(options: ParallelDiffusionOptions(isSymmetric: true)) {
      solver.coefficient(cosine: $0, reducedRigidity: 0.01)
    }.value?.coefficient)
    #expect(abs(half / plus - 1) > 1e-3, "half-range \(half) vs full \(plus)")
  }

  @Test("Slab Alfvén waves with σ_c = 0.6: continuum D_μμ(with e) and D_pp = finite-time mode sum (±1.5 %)")
  func slabUnbalancedWavesMatchModeSum() throws {
    let spectrum = try TurbulenceSpectrum(.slab(index: 5.0 / 3.0), minimumWavenumber: 2 * .pi, maximumWavenumber: 2000, turbulenceLevel: 0.1)
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: 0.6)
    let geometry = GridGeometry(counts: SIMD3(1, 1, 1 << 20), boxSize: Vec3(1000, 1000, 1000))
    let solvers = Self.solvers(spectrum, SolverSettings().moving(motion))
    let R = 0.01
    for μ in [-0.8, -0.45, -0.2, 0.3, 0.55, 0.85] {
      let sum = finiteTimeTravelingCoefficients(spectrum: spectrum, geometry: geometry, motion: motion, cosine: μ, reducedRigidity: R, time: 100)
      let withE = solvers[.pitchAngleWithElectricField]!.coefficient(cosine: μ, reducedRigidity: R)
      let momentum = solvers[.momentum]!.coefficient(cosine: μ, reducedRigidity: R)
      print(String(format: "slab σ_c = 0.6, μ = %+.2f: continuum/sum D_μμ(e) %.4f, D_pp %.4f", μ, withE / sum.pitch, momentum / sum.momentum))
      #expect(abs(withE / sum.pitch - 1) < 0.015)
      #expect(abs(momentum / sum.momentum - 1) < 0.015)
    }
  }

  /// Fast waves (v_A = 0.1, β = 10⁻⁶ so that v_f = v_A as the solver assumes, σ_c = 0.5), sharp
  /// resonance, R = 0.05: the continuum gyroresonance (|n| = 1) of D_μμ without e, with e, and of
  /// D_pp, against `finiteTimeWaveCoefficients` on a deterministic set of waves that tiles the
  /// spectrum (k on a log grid, ξ = cos θ on a uniform one, both signs of k_∥ and both directions,
  /// each wave carrying its cell's power and its own ideal-MHD electric field). The cells
  /// (Δln k = 0.003, Δξ = 1/400) are finer than the finite-time kernel at t ≤ 10 L/c (Δk ≥ 0.6/L,
  /// Δξ ≥ 0.007). The finite-time sums approach the asymptotic value as 1/t (at t = 2.5, 5, 10 the
  /// deficit halves each time: 11 %, 6 %, 3 % at μ = 0.5), so they are extrapolated, 2S(10) − S(5).
  /// Measured agreement ≤ 3e-4; asserted 0.5 %. At these μ the electric field changes D_μμ by
  /// 5–16 % and σ_c = 0.5 changes it by 6–19 % against balanced waves, so neither can be wrong.
  @Test("Fast waves with σ_c = 0.5: continuum gyroresonant D_μμ (without, with e) and D_pp = wave sum over a tiling of the spectrum, extrapolated to t → ∞ (±0.5 %)")
  func fastGyroresonanceMatchesWaveSum() throws {
    let (kMin, kMax) = (2 * Double.pi, 32 * Double.pi)
    let spectrum = try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: kMin, maximumWavenumber: kMax, turbulenceLevel: 1e-3)
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 1e-6, crossHelicity: 0.5)
    let family = spectrum.components[0].family
    let (logStep, cosineCells) = (0.003, 400)
    let kCells = Int((log(kMax / kMin) / logStep).rounded(.up))
    var waves = [PlaneWave]()
    waves.reserveCapacity(kCells * cosineCells * 4)
    for i in 0..<kCells {
      let (lo, hi) = (kMin * exp(Double(i) * logStep), min(kMax, kMin * exp(Double(i + 1) * logStep)))
      let k = (lo * hi).squareRoot()
      for j in 0..<cosineCells {
        let ξ = (Double(j) + 0.5) / Double(cosineCells)
        for side in [1.0, -1.0] {
          let wavevector = k * Vec3((1 - ξ * ξ).squareRoot(), 0, side * ξ)
          let density = spectrum.powerDensity(at: wavevector).pseudo
          for s in [1, -1] {
            // a²/2 = density × cell volume 2πk²Δk Δξ × the direction's share.
            let variance = density * 2 * .pi * k * k * (hi - lo) / Double(cosineCells) * motion.powerFraction(direction: s)
            let a = (2 * variance).squareRoot()
            let ω = try #require(motion.frequency(of: family, at: wavevector, direction: s))
            let e = try #require(motion.electricAmplitude(of: family, at: wavevector, direction: s, alfven: 0, pseudo: a))
            waves.append(PlaneWave(wavevector: wavevector, frequency: ω, phase: 0, magnetic: a * polarizationBasis(wavevector).pseudo, electric: e))
          }
        }
      }
    }
    let bare = waves.map { PlaneWave(wavevector: $0.wavevector, frequency: $0.frequency, phase: 0, magnetic: $0.magnetic, electric: Vec3()) }
    let solvers = Self.solvers(spectrum, SolverSettings().moving(motion))
    let R = 0.05
    let balanced = PitchAngleDiffusion(spectrum: spectrum, settings: SolverSettings().moving(try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 1e-6)))
    for μ in [-0.9, -0.6, 0.5, 0.8] {
      let parts = QuasiLinearCoefficient.allCases.map { solvers[$0]!.resonances(cosine: μ, reducedRigidity: R)[0].gyroresonance }
      // The wave sums' |n| = 1 parts at t = 5 and 10, and their extrapolation 2S(10) − S(5).
      let sums = [5.0, 10.0].map { t in
        let with = finiteTimeWaveCoefficients(waves: waves, cosine: μ, reducedRigidity: R, time: t, maximumHarmonic: 1)
        let without = finiteTimeWaveCoefficients(waves: bare, cosine: μ, reducedRigidity: R, time: t, maximumHarmonic: 1)
        return [without.pitch - without.pitchTransitTime, with.pitch - with.pitchTransitTime, with.momentum - with.momentumTransitTime]
      }
      let ratios = parts.indices.map { parts[$0] / (2 * sums[1][$0] - sums[0][$0]) }
      print(String(
        format: "fast σ_c = 0.5, μ = %+.2f: continuum/extrapolated wave sum, |n| = 1: D_μμ %.4f, with e %.4f, D_pp %.4f (at t = 10: %.4f %.4f %.4f); with e/without %.3f, balanced/σ_c = 0.5 %.3f",
        μ, ratios[0], ratios[1], ratios[2], parts[0] / sums[1][0], parts[1] / sums[1][1], parts[2] / sums[1][2], parts[1] / parts[0],
        balanced.resonances(cosine: μ, reducedRigidity: R)[0].gyroresonance / parts[0]))
      for r in ratios { #expect(abs(r - 1) < 0.005) }
    }
  }

  /// The broadened resonance of width Δ → 0 tends to the sharp one: fast modes (TTD and
  /// gyroresonance) and GS Alfvén waves, σ_c = 0.4, v_A = 0.05, Δ² = 10⁻⁶, all three
  /// coefficients within 1 % (the two resonance functions are integrated by separate code).
  @Test("Broadened resonance with Δ² = 1e-6 = sharp resonance for D_μμ(with e) and D_pp of moving fast and Alfvén waves (±1 %)")
  func narrowBroadeningTendsToSharp() throws {
    let motion = try WaveMotion(alfvenSpeed: 0.05, plasmaBeta: 1e-6, crossHelicity: 0.4)
    let spectra = [
      try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: 2 * .pi, maximumWavenumber: 400, turbulenceLevel: 0.1),
      try TurbulenceSpectrum(.alfven(GoldreichSridhar(machNumber: 1)), minimumWavenumber: 2 * .pi, maximumWavenumber: 400, turbulenceLevel: 0.1),
    ]
    for spectrum in spectra {
      let sharp = Self.solvers(spectrum, SolverSettings().moving(motion))
      let narrow = Self.solvers(spectrum, SolverSettings(resonance: .gaussian(widthSquared: 1e-6)).moving(motion))
      for μ in [-0.7, 0.25, 0.6] {
        for c in QuasiLinearCoefficient.allCases {
          let (a, b) = (sharp[c]!.coefficient(cosine: μ, reducedRigidity: 0.02), narrow[c]!.coefficient(cosine: μ, reducedRigidity: 0.02))
          #expect(a > 0 && abs(b / a - 1) < 0.01, "\(spectrum.components[0].family.name) \(c) at μ = \(μ): sharp \(a), broadened \(b)")
        }
      }
    }
  }

  /// Reflection z → −z maps μ → −μ and each wave direction onto the other, so D(μ; σ_c) =
  /// D(−μ; −σ_c) for every coefficient; D_pp vanishes and the electric field changes nothing
  /// without waves. Checked on GS Alfvén (broadened) and fast (sharp) modes.
  @Test("Mirror symmetry D(μ; σ_c) = D(−μ; −σ_c) of all three coefficients; magnetostatic D_pp = 0 and D_μμ(with e) = D_μμ")
  func mirrorSymmetryAndMagnetostaticLimit() throws {
    let alfven = try TurbulenceSpectrum(.alfven(GoldreichSridhar(machNumber: 1)), minimumWavenumber: 2 * .pi, maximumWavenumber: 400, turbulenceLevel: 0.1)
    let fast = try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: 2 * .pi, maximumWavenumber: 400, turbulenceLevel: 0.1)
    let cases: [(TurbulenceSpectrum, ResonanceFunction)] = [(alfven, .broadened(machNumber: 0.3)), (fast, .sharp)]
    for (spectrum, resonance) in cases {
      let plus = Self.solvers(spectrum, SolverSettings(resonance: resonance).moving(try WaveMotion(alfvenSpeed: 0.05, crossHelicity: 0.7)))
      let minus = Self.solvers(spectrum, SolverSettings(resonance: resonance).moving(try WaveMotion(alfvenSpeed: 0.05, crossHelicity: -0.7)))
      let still = Self.solvers(spectrum, SolverSettings(resonance: resonance))
      for μ in [0.15, 0.4, 0.75] { for c in QuasiLinearCoefficient.allCases {
        let a = plus[c]!.coefficient(cosine: μ, reducedRigidity: 0.02)
        let b = minus[c]!.coefficient(cosine: -μ, reducedRigidity: 0.02)
        #expect(a > 0)
        #expect(abs(a / b - 1) < 1e-9, "\(c) at μ = \(μ): \(a) vs \(b)")
      } }
      for μ in [-0.6, 0.3] {
        #expect(still[.momentum]!.coefficient(cosine: μ, reducedRigidity: 0.02) == 0)
        #expect(still[.pitchAngleWithElectricField]!.coefficient(cosine: μ, reducedRigidity: 0.02)
                == still[.pitchAngle]!.coefficient(cosine: μ, reducedRigidity: 0.02))
      }
    }
  }
}
