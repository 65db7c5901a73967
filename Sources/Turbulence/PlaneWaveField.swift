import Foundation
import LarmorCore

/// Travelling linear MHD waves as a finite sum of plane waves, evaluated exactly (grid-free):
///
///     b(x, t) = ẑ + Σ_m cos(k_m·x − ω_m t + φ_m) δb_m,    e(x, t) = Σ_m cos(k_m·x − ω_m t + φ_m) e_m,
///
/// in code units (x in L, t in L/c, b in B₀, e in c B₀). Each wave has the polarization of its
/// family (ê_A for Alfvén, ê_θ for slow and fast, both for slab), the frequency of `WaveMotion`
/// and the Faraday-consistent electric amplitude k × e_m = ω_m δb_m, so the field obeys
/// ∂b/∂t = −∇×e and ∇·b = 0 exactly, at every point and time (no grid, no interpolation, not
/// periodic). Evaluation costs one cosine per wave: this is the exact reference for moving fields
/// of any dispersion, and the field for fast and slow modes, whose waves do not share one phase
/// velocity. Alfvén turbulence on a grid is `TravelingGridField`, about 2× a static step.
///
/// Random phases with deterministic amplitudes make the field non-Gaussian at small wave counts
/// (a sum of many waves approaches a Gaussian); the wave vectors sample the spectrum by
/// importance (see `synthesize`), so its k-space resolution is statistical, unlike a grid's.
public struct PlaneWaveField: ElectromagneticField {
  /// One plane wave (`LarmorCore.PlaneWave`).
  public typealias Wave = PlaneWave

  /// The mean field (ẑ).
  public let meanField: Vec3
  public let waves: [Wave]
  /// `waves` in lanes of four (structure of arrays, padded with zero-amplitude waves) for the
  /// evaluation loop.
  @usableFromInline let lanes: [WaveLanes]

  /// Four waves side by side.
  @usableFromInline struct WaveLanes: Sendable {
    @usableFromInline var kx, ky, kz, phaseAtZero, ω, bx, by, bz, ex, ey, ez: SIMD4<Double>
  }

  public init(waves: [Wave], meanField: Vec3 = Vec3(0, 0, 1)) {
    self.waves = waves
    self.meanField = meanField
    var lanes: [WaveLanes] = []
    for start in stride(from: 0, to: waves.count, by: 4) {
      func lane(_ value: (Wave) -> Double) -> SIMD4<Double> {
        var v = SIMD4<Double>()
        for l in 0..<4 where start + l < waves.count { v[l] = value(waves[start + l]) }
        return v
      }
      lanes.append(WaveLanes(
        kx: lane(\.wavevector.x), ky: lane(\.wavevector.y), kz: lane(\.wavevector.z), phaseAtZero: lane(\.phase),
        ω: lane(\.frequency), bx: lane(\.magnetic.x), by: lane(\.magnetic.y), bz: lane(\.magnetic.z),
        ex: lane(\.electric.x), ey: lane(\.electric.y), ez: lane(\.electric.z)))
    }
    self.lanes = lanes
  }

  /// b and e at (x, t): four waves at a time with `periodicCosine`.
  @inlinable public func fields(at x: Vec3, time t: Double) -> FieldSample {
    var bx = SIMD4<Double>(), by = SIMD4<Double>(), bz = SIMD4<Double>()
    var ex = SIMD4<Double>(), ey = SIMD4<Double>(), ez = SIMD4<Double>()
    let px = SIMD4(repeating: x.x), py = SIMD4(repeating: x.y), pz = SIMD4(repeating: x.z), pt = SIMD4(repeating: t)
    lanes.withUnsafeBufferPointer { waves in
      for w in waves {
        let c = periodicCosine(((w.kx * px + w.ky * py) + (w.kz * pz - w.ω * pt)) + w.phaseAtZero)
        bx += c * w.bx; by += c * w.by; bz += c * w.bz
        ex += c * w.ex; ey += c * w.ey; ez += c * w.ez
      }
    }
    return FieldSample(magnetic: meanField + Vec3(bx.sum(), by.sum(), bz.sum()), electric: Vec3(ex.sum(), ey.sum(), ez.sum()))
  }

  /// The reference for `fields(at:time:)`: one wave at a time with the C library's cos.
  public func fieldsReference(at x: Vec3, time t: Double) -> FieldSample {
    var b = meanField, e = Vec3()
    for w in waves {
      let c = cos(w.wavevector.dot(x) - w.frequency * t + w.phase)
      b += c * w.magnetic
      e += c * w.electric
    }
    return FieldSample(magnetic: b, electric: e)
  }

  /// Σ_m |δb_m|²/2: the expected ⟨δb²⟩ (B₀²).
  public var variance: Double { waves.reduce(0) { $0 + $1.magnetic.dot($1.magnetic) / 2 } }

  /// The largest |ω| (c/L), for the step rule (`StepRule.maximumFrequency`: Δt ≤ 0.5/ω_max).
  public var maximumFrequency: Double { waves.reduce(0) { max($0, abs($1.frequency)) } }

  /// A single wave of `family` at wave vector k travelling in direction s = ±1 along B₀, with
  /// magnetic amplitude `amplitude` (B₀) along the family's polarization (ê_A for Alfvén and
  /// slab, ê_θ for slow and fast) and phase 0. Throws for the isotropic family, which cannot move.
  public static func singleWave(
    _ family: ModeFamily, wavevector k: Vec3, amplitude: Double, direction s: Int, motion: WaveMotion
  ) throws(SpectrumError) -> PlaneWaveField {
    let alfvenic: Bool
    switch family {
    case .alfven, .slab: alfvenic = true
    case .fast, .slow: alfvenic = false
    case .isotropic: throw SpectrumError(key: "model", "isotropic (magnetostatic Kolmogorov) turbulence has no MHD dispersion relation and cannot move")
    case .tabulated: throw SpectrumError(key: "model", "a tabulated spectrum is static: it names no mode family whose dispersion relation could move it")
    }
    let wave = try makeWave(family, k: k, alfven: alfvenic ? amplitude : 0, pseudo: alfvenic ? 0 : amplitude, phase: 0, direction: s, motion: motion)
    return PlaneWaveField(waves: [wave])
  }

  static func makeWave(
    _ family: ModeFamily, k: Vec3, alfven aA: Double, pseudo aθ: Double, phase: Double, direction s: Int, motion: WaveMotion
  ) throws(SpectrumError) -> Wave {
    guard let ω = motion.frequency(of: family, at: k, direction: s),
          let e = motion.electricAmplitude(of: family, at: k, direction: s, alfven: aA, pseudo: aθ)
    else { throw SpectrumError(key: "model", "\(family.name) turbulence has no MHD dispersion relation and cannot move") }
    let basis = polarizationBasis(k)
    return Wave(wavevector: k, frequency: ω, phase: phase, magnetic: aA * basis.alfven + aθ * basis.pseudo, electric: e)
  }

  /// Synthesizes `waveCount` plane waves per mode family and direction of propagation from
  /// `spectrum`, moving as `motion` says, reproducibly from `seed`. With `motion.decorrelation`
  /// ε > 0 each wave's frequency is ω(k)(1 + εg), g a standard normal of its own stream, and its
  /// electric amplitude scales with it (a finite mode lifetime, `WaveMotion`); everything else is
  /// the same as for ε = 0, whose waves are unchanged.
  ///
  /// Wave vectors are drawn by importance sampling with density q(k) and each wave carries
  /// ⟨δb²⟩ contribution P(k)/(N q(k)) (P the spectrum's density per d³k, per polarization): for
  /// isotropic and fast families log-uniform |k| on [k_min, k_max] and uniform directions; for
  /// the Goldreich–Sridhar families log-uniform k_⊥ from the cone's k_⊥,min and a Laplace
  /// distribution of k_∥ with the cone's width (so the exponential cancels in the weight); for
  /// slab, log-uniform |k| along ±ẑ with both polarizations. Amplitudes are then scaled so that
  /// each family carries exactly fraction·σ² (and each direction its cross-helicity share),
  /// which removes the Monte-Carlo scatter of the total power.
  public static func synthesize(
    _ spectrum: TurbulenceSpectrum, motion: WaveMotion, waveCount: Int, seed: UInt64
  ) throws(SpectrumError) -> PlaneWaveField {
    guard waveCount >= 1, waveCount <= 1 << 20 else {
      throw SpectrumError(key: "waves", "must lie in [1, 1048576] (plane waves per family and direction), got \(waveCount)")
    }
    let kMin = spectrum.minimumWavenumber, kMax = spectrum.effectiveMaximumWavenumber
    let logRange = log(kMax / kMin)
    var waves: [Wave] = []
    var stream: UInt64 = 0
    for component in spectrum.components where component.fraction > 0 {
      let family = component.family
      for s in [1, -1] {
        let share = motion.powerFraction(direction: s)
        guard share > 0 else { continue }
        var drawn: [(k: Vec3, weight: PolarizedPower, phases: (Double, Double))] = []
        var attempts = 0
        while drawn.count < waveCount {
          attempts += 1
          guard attempts <= 100 * waveCount else {
            throw SpectrumError(key: "model", "\(family.name): the spectrum has no power where waves were drawn (k_min … k_max too narrow?)")
          }
          var rng = SplitMix64(seed: seed, purpose: .planeWave, index: stream)
          stream += 1
          let (k, inverseDensity) = draw(family, &rng, kMin: kMin, kMax: kMax, logRange: logRange)
          let phases = (2 * Double.pi * rng.nextOpenUnit(), 2 * Double.pi * rng.nextOpenUnit())
          let p = component.family.shape(at: k, minimumWavenumber: kMin, maximumWavenumber: spectrum.maximumWavenumber)
          guard p.total > 0 else { continue }
          drawn.append((k, p * inverseDensity, phases))
        }
        let total = drawn.reduce(0) { $0 + $1.weight.total }
        let target = component.fraction * spectrum.variance * share
        // a²/2 = weight · target/total per polarization.
        let scale = 2 * target / total
        for d in drawn {
          let aA = (scale * d.weight.alfven).squareRoot(), aθ = (scale * d.weight.pseudo).squareRoot()
          func append(alfven: Double, pseudo: Double, phase: Double) throws(SpectrumError) {
            var wave = try makeWave(family, k: d.k, alfven: alfven, pseudo: pseudo, phase: phase, direction: s, motion: motion)
            if motion.decorrelation > 0 {
              // This wave's frequency within its mode's spread: ω(1 + εg), g standard normal; e ∝ ω.
              var rng = SplitMix64(seed: seed, purpose: .waveFrequency, index: UInt64(waves.count))
              let factor = 1 + motion.decorrelation * rng.nextNormalPair().0
              wave.frequency *= factor
              wave.electric = factor * wave.electric
            }
            waves.append(wave)
          }
          if family.isSlab || (aA > 0 && aθ > 0) {
            // Two independent waves (own phases) for the two transverse polarizations.
            if aA > 0 { try append(alfven: aA, pseudo: 0, phase: d.phases.0) }
            if aθ > 0 { try append(alfven: 0, pseudo: aθ, phase: d.phases.1) }
          } else {
            try append(alfven: aA, pseudo: aθ, phase: d.phases.0)
          }
        }
      }
    }
    return PlaneWaveField(waves: waves)
  }

  /// One wave vector drawn from the family's proposal density and 1/q(k) (per d³k, or per dk
  /// along ẑ for slab).
  static func draw(_ family: ModeFamily, _ rng: inout SplitMix64, kMin: Double, kMax: Double, logRange: Double)
    -> (Vec3, Double)
  {
    switch family {
    case .slab:
      let k = kMin * exp(logRange * rng.nextOpenUnit())
      let sign: Double = rng.nextOpenUnit() < 0.5 ? -1 : 1
      // q(k_z) = 1/(2 |k_z| ln(k_max/k_min)) on both signs.
      return (Vec3(0, 0, sign * k), 2 * k * logRange)
    case .alfven(let gs), .slow(let gs):
      let lower = gs.perpendicularCutoffFactor * kMin
      let range = log(kMax / lower)
      let kPerp = lower * exp(range * rng.nextOpenUnit())
      let azimuth = 2 * Double.pi * rng.nextOpenUnit()
      let width = gs.coneFactor * pow(kMin, 1.0 / 3.0) * pow(kPerp, 2.0 / 3.0)
      let u = rng.nextOpenUnit()
      let kPar = (u < 0.5 ? 1.0 : -1.0) * -width * log(1 - abs(2 * u - 1))
      // q = [1/(2π k_⊥² ln)] · e^(−|k_∥|/w)/(2w) per d³k.
      let inverse = 2 * Double.pi * kPerp * kPerp * range * 2 * width * exp(abs(kPar) / width)
      return (Vec3(kPerp * cos(azimuth), kPerp * sin(azimuth), kPar), inverse)
    case .isotropic, .fast, .tabulated:  // an isotropic proposal (tables are static; listed for completeness)
      let k = kMin * exp(logRange * rng.nextOpenUnit())
      let cosine = 2 * rng.nextOpenUnit() - 1
      let azimuth = 2 * Double.pi * rng.nextOpenUnit()
      let sine = max(0, 1 - cosine * cosine).squareRoot()
      // q = 1/(4π k³ ln(k_max/k_min)) per d³k.
      return (k * Vec3(sine * cos(azimuth), sine * sin(azimuth), cosine), 4 * Double.pi * k * k * k * logRange)
    }
  }
}

/// cos x for |x| < 2⁵⁰, four lanes at once, with an absolute error ≤ 2e-15 for |x| ≲ 1e4 (the
/// reduction adds |x|·1e-19; tested against the C library): x is reduced to r ∈ [−π, π] by
/// subtracting round(x/2π)·2π in two parts (Cody–Waite), and cos r is its Taylor series through
/// r²⁸ (truncation ≤ π³⁰/30! ≈ 3e-18), summed by Horner's rule in r².
@inlinable @inline(__always)
func periodicCosine(_ x: SIMD4<Double>) -> SIMD4<Double> {
  let twoPiHigh = SIMD4<Double>(repeating: 6.28318530717958623200)  // 2π rounded to a double
  let twoPiLow = SIMD4<Double>(repeating: 2.44929359829470635e-16)  // 2π − twoPiHigh
  let n = (x * SIMD4(repeating: 1 / (2 * Double.pi))).rounded(.toNearestOrEven)
  let r = (x - n * twoPiHigh) - n * twoPiLow
  let r2 = r * r
  // Coefficients (−1)^j/(2j)! for j = 14 … 0.
  var p = SIMD4<Double>(repeating: 3.279889237069838e-30)
  p = p * r2 + SIMD4(repeating: -2.4795962632247976e-27)
  p = p * r2 + SIMD4(repeating: 1.6117375710961184e-24)
  p = p * r2 + SIMD4(repeating: -8.896791392450574e-22)
  p = p * r2 + SIMD4(repeating: 4.110317623312165e-19)
  p = p * r2 + SIMD4(repeating: -1.5619206968586225e-16)
  p = p * r2 + SIMD4(repeating: 4.779477332387385e-14)
  p = p * r2 + SIMD4(repeating: -1.1470745597729725e-11)
  p = p * r2 + SIMD4(repeating: 2.08767569878681e-09)
  p = p * r2 + SIMD4(repeating: -2.755731922398589e-07)
  p = p * r2 + SIMD4(repeating: 2.48015873015873e-05)
  p = p * r2 + SIMD4(repeating: -0.001388888888888889)
  p = p * r2 + SIMD4(repeating: 0.041666666666666664)
  p = p * r2 + SIMD4(repeating: -0.5)
  p = p * r2 + SIMD4(repeating: 1.0)
  return p
}
