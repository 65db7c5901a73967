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
  discreteModeSum(
    spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, speed: v, time: t, maximumHarmonic: maximumHarmonic,
    patterns: [(speed: 0, share: 1)]
  ).pitch
}

/// `finiteTimePitchAngleCoefficient` for Alfvén (and slab) waves travelling as grid patterns at
/// ±v_A along B₀ (`Turbulence.TravelingGridField`), each direction s carrying the power share
/// (1 + sσ_c)/2 of the same discrete spectrum: a mode's resonance is k_∥(vμ − s v_A) + nΩ, and
/// its Walén electric field e = −s v_A ẑ × δb weights the pitch-angle term by (1 − μ s v_A/v)²
/// and gives the momentum term (s v_A/v)² (`finiteTimeWaveCoefficients` for the derivation).
/// - Returns: D_μμ(t) (c/L) and D_pp(t) (p₀² c/L, v = c).
public func finiteTimeTravelingCoefficients(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, motion: WaveMotion, cosine μ: Double, reducedRigidity R: Double,
  time t: Double, maximumHarmonic: Int? = nil
) -> (pitch: Double, momentum: Double) {
  discreteModeSum(
    spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, speed: 1, time: t, maximumHarmonic: maximumHarmonic,
    patterns: [1, -1].map { (speed: Double($0) * motion.alfvenSpeed, share: motion.powerFraction(direction: $0)) })
}

/// The sum behind both: every retained mode, once per pattern (parallel phase speed V, power share).
func discreteModeSum(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, cosine μ: Double, reducedRigidity R: Double, speed v: Double,
  time t: Double, maximumHarmonic: Int?, patterns: [(speed: Double, share: Double)]
) -> (pitch: Double, momentum: Double) {
  guard abs(μ) < 1, R > 0, t > 0 else { return (0, 0) }
  let Ω = v / R
  let sine = (1 - μ * μ).squareRoot()
  let Δk = geometry.wavenumberSpacing
  let bessel = BesselWeights(averagingThreshold: .infinity)
  let counts = geometry.counts
  var sum = 0.0, momentum = 0.0
  // One pattern at rest: exactly the magnetostatic sum (every factor below is then exactly 1 or 0).
  @inline(__always) func add(_ polarized: Double, _ kz: Double, _ n: Double) {
    for p in patterns {
      let pitchFactor = (1 - μ * p.speed / v) * (1 - μ * p.speed / v)
      let resonance = finiteTimeResonance(kz * v * μ - kz * p.speed + n * Ω, time: t)
      sum += p.share * pitchFactor * polarized * resonance
      momentum += p.share * (p.speed * p.speed / (v * v)) * polarized * resonance
    }
  }
  if spectrum.isSlab {
    let mz = GridGeometry.largestIndex(points: counts.z)
    guard mz >= 1 else { return (0, 0) }
    let weight = bessel.weights(harmonic: 1, argument: 0)
    for l in -mz...mz where l != 0 {
      let kz = Double(l) * Δk.z
      let variance = spectrum.modeVariance(at: Vec3(0, 0, kz), spacing: Δk)
      let polarized = weight.alfven * variance.alfven + weight.pseudo * variance.pseudo
      guard polarized > 0 else { continue }
      for n in [-1.0, 1.0] { add(polarized, kz, n) }
    }
    return (Ω * Ω * (1 - μ * μ) * sum, Ω * Ω * (1 - μ * μ) * momentum)
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
          add(polarized, k.z, Double(n))
        }
      }
    }
  }
  return (Ω * Ω * (1 - μ * μ) * sum, Ω * Ω * (1 - μ * μ) * momentum)
}
