import Foundation
import LarmorCore
import QuasiLinear
import Testing

/// The transit-time relations `larmor qlt` reports for moving fast modes, checked on single waves
/// with `finiteTimeWaveCoefficients`: at the n = 0 resonance k_∥μ = ω the wave's electric field
/// weights D_μμ by (1 − μ²)² against the same wave without it, and D_pp/D_μμ = μ²/(1 − μ²)².
struct WaveSumTests {
  @Test("TTD of one fast wave at resonance: D_μμ(with e)/D_μμ(e = 0) = (1 − μ²)², D_pp/D_μμ = μ²/(1 − μ²)²",
        arguments: [0.2, 0.45, 0.7])
  func transitTimeRelations(mu: Double) throws {
    let vA = 0.05, ξ = vA / mu  // ω/k = v_A: resonance k_∥μ = ω at cos θ = v_A/μ
    let motion = try WaveMotion(alfvenSpeed: vA, plasmaBeta: 1e-6)  // c_s ≪ v_A: v_f = v_A
    let k = 30 * Vec3((1 - ξ * ξ).squareRoot(), 0, ξ)
    let ω = try #require(motion.frequency(of: .fast(FastModes()), at: k, direction: 1))
    #expect(abs(ω / k.length - vA) < 1e-7)  // v_f − v_A ≈ (5/12) β v_A sin²θ = 2e-8
    let e = try #require(motion.electricAmplitude(of: .fast(FastModes()), at: k, direction: 1, alfven: 0, pseudo: 1e-3))
    let δb = 1e-3 * polarizationBasis(k).pseudo
    let wave = PlaneWave(wavevector: k, frequency: ω, phase: 0, magnetic: δb, electric: e)
    let bare = PlaneWave(wavevector: k, frequency: ω, phase: 0, magnetic: δb, electric: Vec3())
    let with = finiteTimeWaveCoefficients(waves: [wave], cosine: mu, reducedRigidity: 0.03, time: 50)
    let without = finiteTimeWaveCoefficients(waves: [bare], cosine: mu, reducedRigidity: 0.03, time: 50)
    let factor = (1 - mu * mu) * (1 - mu * mu)
    // v_f = v_A only to O(c_s²/v_A²) ≈ 1e-6, which shifts ω/k_∥ from μ by as much.
    #expect(abs(with.pitchTransitTime / without.pitchTransitTime / factor - 1) < 1e-4)
    #expect(abs(with.momentumTransitTime / with.pitchTransitTime / (mu * mu / factor) - 1) < 1e-4)
    #expect(without.momentumTransitTime == 0)
  }
}
