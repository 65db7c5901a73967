import Foundation
import LarmorCore

/// Finite-time quasi-linear D_μμ and D_pp of a finite set of travelling plane waves, the exact
/// unperturbed-orbit reference for `Turbulence.PlaneWaveField` (as `finiteTimePitchAngleCoefficient`
/// is for grid fields).
///
/// For an ultra-relativistic particle (v = c, p in p₀, Ω = 1/R) in a wave δb cos(k·x − ωt + φ)
/// with electric amplitude e, the equations of motion give, with the components δb_A = δb·ê_A,
/// δb_⊥ = δb·k̂_⊥, e_A = e·ê_A, e_⊥ = e·k̂_⊥ (ê_A = ẑ × k̂_⊥):
///
///     dμ/dt = Ω [(v̂ × δb)_z − μ v̂·e] = Ω [(v̂·k̂_⊥)(δb_A − μ e_⊥) − (v̂·ê_A)(δb_⊥ + μ e_A)] cos(…)
///     dp/dt = Ω v̂·e                  = Ω [(v̂·k̂_⊥) e_⊥ + (v̂·ê_A) e_A] cos(…)
///
/// Along the unperturbed helix, averaged over position and gyrophase (docs/physics.md §3.1):
///
///     ⟨Δμ²⟩(t) = Ω²(1−μ²) Σ_waves Σ_n ½ [(δb_A − μe_⊥)² n²J_n²/w² + (δb_⊥ + μe_A)² J_n′²] F_t(k_∥μ − ω + nΩ)
///     ⟨Δp²⟩(t) = the same with e_⊥² and e_A²,
///
/// w = k_⊥R√(1−μ²), F_t(x) = 4 sin²(xt/2)/x². Magnetostatic waves give the usual result; a moving
/// wave (e = −(ω/k_∥) ẑ × δb) weights the pitch-angle term by (1 − μω/k_∥)², which at the
/// transit-time resonance k_∥μ = ω is (1 − μ²)²: a factor the magnetostatic formula, and the
/// Yan & Lazarian TTD formula that drops the electric field, do not have. The n = 0 term is the
/// transit-time (TTD) part, reported apart.
public struct WaveSumCoefficients: Sendable, Hashable {
  /// D_μμ(t) = ⟨Δμ²⟩/(2t), c/L: all harmonics, and the n = 0 (TTD) part.
  public var pitch: Double
  public var pitchTransitTime: Double
  /// D_pp(t) = ⟨Δp²⟩/(2t), p₀² c/L: all harmonics, and the n = 0 part.
  public var momentum: Double
  public var momentumTransitTime: Double
}

/// The coefficients above at pitch cosine μ, reduced rigidity R and time t (L/c), summing
/// harmonics |n| ≤ `maximumHarmonic` (default: ⌈k_⊥,max R √(1−μ²)⌉ + 10, beyond which J_n(w) is
/// negligible).
public func finiteTimeWaveCoefficients(
  waves: [PlaneWave], cosine μ: Double, reducedRigidity R: Double, time t: Double, maximumHarmonic: Int? = nil
) -> WaveSumCoefficients {
  var result = WaveSumCoefficients(pitch: 0, pitchTransitTime: 0, momentum: 0, momentumTransitTime: 0)
  guard abs(μ) < 1, R > 0, t > 0 else { return result }
  let Ω = 1 / R, sine = (1 - μ * μ).squareRoot()
  let largestPerp = waves.reduce(0) { max($0, $1.wavevector.perpendicularLength) }
  let harmonics = maximumHarmonic ?? (Int((largestPerp * R * sine).rounded(.up)) + 10)
  for wave in waves {
    let k = wave.wavevector
    let basis = polarizationBasis(k)
    let perpendicular = k.perpendicularLength
    let kHat = perpendicular > 0 ? Vec3(k.x / perpendicular, k.y / perpendicular, 0) : Vec3(1, 0, 0)
    let eA = basis.alfven
    let (bA, bPerp) = (wave.magnetic.dot(eA), wave.magnetic.dot(kHat))
    let (electricA, electricPerp) = (wave.electric.dot(eA), wave.electric.dot(kHat))
    let pitchA = (bA - μ * electricPerp) * (bA - μ * electricPerp), pitchPerp = (bPerp + μ * electricA) * (bPerp + μ * electricA)
    let momentumA = electricPerp * electricPerp, momentumPerp = electricA * electricA
    let w = perpendicular * R * sine
    for n in -harmonics...harmonics {
      let weight = BesselWeights.libraryWeights(harmonic: abs(n), argument: w)
      let resonance = finiteTimeResonance(k.z * μ - wave.frequency + Double(n) * Ω, time: t)
      let pitch = (weight.alfven * pitchA + weight.pseudo * pitchPerp) * resonance / 2
      let momentum = (weight.alfven * momentumA + weight.pseudo * momentumPerp) * resonance / 2
      result.pitch += pitch
      result.momentum += momentum
      if n == 0 {
        result.pitchTransitTime += pitch
        result.momentumTransitTime += momentum
      }
    }
  }
  let prefactor = Ω * Ω * (1 - μ * μ)
  result.pitch *= prefactor
  result.pitchTransitTime *= prefactor
  result.momentum *= prefactor
  result.momentumTransitTime *= prefactor
  return result
}
