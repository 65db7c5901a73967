import LarmorCore

/// Finite-time quasi-linear D_μμ(t) summed over the actual modes of a grid (docs/physics.md §3.1,
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

/// The finite-time coefficients at several times from one pass over the modes (the modes,
/// their variances and Bessel weights do not depend on t): `finiteTimePitchAngleCoefficient`
/// (`patterns` nil) or `finiteTimeTravelingCoefficients` (`motion` given) at each of `times`.
public func finiteTimeModeCoefficients(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, motion: WaveMotion? = nil, cosine μ: Double, reducedRigidity R: Double,
  speed v: Double = 1, times: [Double], maximumHarmonic: Int? = nil
) -> [(pitch: Double, momentum: Double)] {
  let patterns = motion.map { m in [1, -1].map { (speed: Double($0) * m.alfvenSpeed, share: m.powerFraction(direction: $0)) } }
  return discreteModeSum(
    spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, speed: v, times: times,
    maximumHarmonic: maximumHarmonic, patterns: patterns ?? [(speed: 0, share: 1)])
}

/// The sum behind both: every retained mode, once per pattern (parallel phase speed V, power share).
func discreteModeSum(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, cosine μ: Double, reducedRigidity R: Double, speed v: Double,
  time t: Double, maximumHarmonic: Int?, patterns: [(speed: Double, share: Double)]
) -> (pitch: Double, momentum: Double) {
  discreteModeSum(
    spectrum: spectrum, geometry: geometry, cosine: μ, reducedRigidity: R, speed: v, times: [t], maximumHarmonic: maximumHarmonic,
    patterns: patterns)[0]
}

/// One pass over the modes for every time in `times`. A mode's contribution depends on k only
/// through k_⊥ and k_∥ (the spectra are axisymmetric about B₀), so the four modes (±k_x, ±k_y, k_∥)
/// are summed once with their multiplicity; the Bessel weights of all harmonics of a mode come
/// from one downward recurrence (`BesselWeights.exactWeightSequence`).
func discreteModeSum(
  spectrum: TurbulenceSpectrum, geometry: GridGeometry, cosine μ: Double, reducedRigidity R: Double, speed v: Double,
  times: [Double], maximumHarmonic: Int?, patterns: [(speed: Double, share: Double)]
) -> [(pitch: Double, momentum: Double)] {
  let Δk = geometry.wavenumberSpacing
  return discreteModeSum(
    slab: spectrum.isSlab, geometry: geometry, cosine: μ, reducedRigidity: R, speed: v, times: times, maximumHarmonic: maximumHarmonic,
    patterns: patterns
  ) { k, _, _, _ in
    let variance = spectrum.modeVariance(at: k, spacing: Δk)
    return (variance.alfven, variance.pseudo)
  }
}

/// `finiteTimePitchAngleCoefficient` at several times on a field's measured modes (QLT on a
/// measured spectrum: `ModePowerTable`), magnetostatic. Returns D_μμ(t) in c/L.
public func finiteTimeMeasuredCoefficients(
  table: ModePowerTable, cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1, times: [Double], maximumHarmonic: Int? = nil
) -> [Double] {
  discreteModeSum(
    slab: false, geometry: table.geometry, cosine: μ, reducedRigidity: R, speed: v, times: times, maximumHarmonic: maximumHarmonic,
    patterns: [(speed: 0, share: 1)]
  ) { _, i, j, l in table.variance(i, j, l) }.map(\.pitch)
}

/// The sum over modes with each mode's (Alfvén, pseudo) variance from `variance(k, i, j, l)`.
func discreteModeSum(
  slab: Bool, geometry: GridGeometry, cosine μ: Double, reducedRigidity R: Double, speed v: Double,
  times: [Double], maximumHarmonic: Int?, patterns: [(speed: Double, share: Double)],
  variance modeVariance: (Vec3, Int, Int, Int) -> (alfven: Double, pseudo: Double)
) -> [(pitch: Double, momentum: Double)] {
  guard abs(μ) < 1, R > 0 else { return times.map { _ in (0, 0) } }
  let Ω = v / R
  let sine = (1 - μ * μ).squareRoot()
  let Δk = geometry.wavenumberSpacing
  let counts = geometry.counts
  var sum = [Double](repeating: 0, count: times.count), momentum = sum
  // One pattern at rest: the magnetostatic sum (every factor below is then exactly 1 or 0).
  let factors = patterns.map { p in
    (pitch: p.share * (1 - μ * p.speed / v) * (1 - μ * p.speed / v), momentum: p.share * (p.speed * p.speed / (v * v)), speed: p.speed)
  }
  @inline(__always) func add(_ polarized: Double, _ kz: Double, _ n: Double) {
    for p in factors {
      let x = kz * v * μ - kz * p.speed + n * Ω
      for (i, t) in times.enumerated() where t > 0 {
        let resonance = finiteTimeResonance(x, time: t)
        sum[i] += p.pitch * polarized * resonance
        momentum[i] += p.momentum * polarized * resonance
      }
    }
  }
  func result() -> [(pitch: Double, momentum: Double)] {
    let scale = Ω * Ω * (1 - μ * μ)
    return times.indices.map { times[$0] > 0 ? (scale * sum[$0], scale * momentum[$0]) : (0, 0) }
  }
  if slab {
    let mz = GridGeometry.largestIndex(points: counts.z)
    guard mz >= 1 else { return times.map { _ in (0, 0) } }
    let weight = BesselWeights.exactWeights(harmonic: 1, argument: 0)
    for l in -mz...mz where l != 0 {
      let kz = Double(l) * Δk.z
      let variance = modeVariance(Vec3(0, 0, kz), 0, 0, l)
      let polarized = weight.alfven * variance.alfven + weight.pseudo * variance.pseudo
      guard polarized > 0 else { continue }
      for n in [-1.0, 1.0] { add(polarized, kz, n) }
    }
    return result()
  }
  let (mx, my, mz) = (
    GridGeometry.largestIndex(points: counts.x), GridGeometry.largestIndex(points: counts.y),
    GridGeometry.largestIndex(points: counts.z)
  )
  let largestPerp = (Double(mx * mx) * Δk.x * Δk.x + Double(my * my) * Δk.y * Δk.y).squareRoot()
  let harmonics = maximumHarmonic ?? (Int((largestPerp * R * sine).rounded(.up)) + 10)
  for i in 0...mx {
    for j in 0...my {
      let multiplicity = Double((i > 0 ? 2 : 1) * (j > 0 ? 2 : 1))
      let kx = Double(i) * Δk.x, ky = Double(j) * Δk.y
      let kPerp = (kx * kx + ky * ky).squareRoot()
      var weights: [(alfven: Double, pseudo: Double)] = []
      for l in -mz...mz {
        let k = Vec3(kx, ky, Double(l) * Δk.z)
        let variance = modeVariance(k, i, j, l)
        guard variance.alfven > 0 || variance.pseudo > 0 else { continue }
        if weights.isEmpty { weights = BesselWeights.exactWeightSequence(upTo: harmonics, argument: kPerp * R * sine) }
        let ξ2 = k.z * k.z / k.dot(k)
        for n in -harmonics...harmonics {
          let weight = weights[abs(n)]
          let polarized = multiplicity * (weight.alfven * variance.alfven + weight.pseudo * ξ2 * variance.pseudo)
          if polarized == 0 { continue }
          add(polarized, k.z, Double(n))
        }
      }
    }
  }
  return result()
}
