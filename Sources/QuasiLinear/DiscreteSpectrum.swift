import LarmorCore

/// Finite-time quasi-linear D_μμ(t) summed over the actual modes of a grid (PHYSICS.md §3.1,
/// "finite-time version"): π δ(x) → F_t(x)/(2t), F_t(x) = 4 sin²(xt/2)/x², and ∫d³k P → Σ_k
/// ⟨|B_k|²⟩ with each mode's expected variance from `TurbulenceSpectrum.modeVariance`, the
/// discrete spectrum the synthesis draws from. For unperturbed orbits this is exactly the
/// running ⟨Δμ²⟩(t)/(2t) that a short simulation in that grid measures.
///
/// Magnetostatic (ω = 0). Slab spectra (1×1×N_z grids): n = ±1 with w = 0. Three-dimensional
/// spectra: every retained mode (Nyquist indices dropped), |n| ≤ `maximumHarmonic`
/// (default ⌈w_max⌉ + 10, w_max the largest k_⊥ r_L √(1 − μ²) of the grid).
/// - Parameters: μ; R = r_L/L; v in c; time t in L/c. Returns D_μμ(t) in c/L.
public func finiteTimePitchAngleCoefficient(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1,
  time t: Double, maximumHarmonic: Int? = nil
) -> Double {
  guard abs(μ) < 1, R > 0, t > 0 else { return 0 }
  let Ω = v / R
  let sine = (1 - μ * μ).squareRoot()
  let Δk = geometry.wavenumberSpacing
  let bessel = BesselWeights(averagingThreshold: .infinity)
  let counts = geometry.counts
  var sum = 0.0
  if spectrum.isSlab {
    let mz = GridGeometry.largestIndex(points: counts.z)
    guard mz >= 1 else { return 0 }
    let weight = bessel.weights(harmonic: 1, argument: 0)
    for l in -mz...mz where l != 0 {
      let kz = Double(l) * Δk.z
      let variance = spectrum.modeVariance(at: Vec3(0, 0, kz), spacing: Δk)
      let polarized = weight.alfven * variance.alfven + weight.pseudo * variance.pseudo
      guard polarized > 0 else { continue }
      for n in [-1.0, 1.0] {
        sum += polarized * finiteTimeResonance(kz * v * μ + n * Ω, time: t)
      }
    }
    return Ω * Ω * (1 - μ * μ) * sum
  }
  let (mx, my, mz) = (
    GridGeometry.largestIndex(points: counts.x), GridGeometry.largestIndex(points: counts.y),
    GridGeometry.largestIndex(points: counts.z)
  )
  let largestPerp = (Double(mx * mx) * Δk.x * Δk.x + Double(my * my) * Δk.y * Δk.y).squareRoot()
  let harmonics = maximumHarmonic ?? (Int((largestPerp * R * sine).rounded(.up)) + 10)
  for i in -mx...mx {
    for j in -my...my {
      for l in -mz...mz {
        let k = Vec3(Double(i) * Δk.x, Double(j) * Δk.y, Double(l) * Δk.z)
        let variance = spectrum.modeVariance(at: k, spacing: Δk)
        guard variance.alfven > 0 || variance.pseudo > 0 else { continue }
        let kPerp = k.perpendicularLength
        let k2 = k.dot(k)
        let ξ2 = k.z * k.z / k2
        let w = kPerp * R * sine
        for n in -harmonics...harmonics {
          let weight = bessel.weights(harmonic: n, argument: w)
          let polarized = weight.alfven * variance.alfven + weight.pseudo * ξ2 * variance.pseudo
          if polarized == 0 { continue }
          sum += polarized * finiteTimeResonance(k.z * v * μ + Double(n) * Ω, time: t)
        }
      }
    }
  }
  return Ω * Ω * (1 - μ * μ) * sum
}
