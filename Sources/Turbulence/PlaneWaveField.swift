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
  /// One plane wave: wave vector (1/L), frequency (c/L), phase (rad), magnetic and electric
  /// amplitude vectors (B₀, c B₀).
  public struct Wave: Sendable, Hashable {
    public var wavevector: Vec3
    public var frequency: Double
    public var phase: Double
    public var magnetic: Vec3
    public var electric: Vec3
    public init(wavevector: Vec3, frequency: Double, phase: Double, magnetic: Vec3, electric: Vec3) {
      self.wavevector = wavevector
      self.frequency = frequency
      self.phase = phase
      self.magnetic = magnetic
      self.electric = electric
    }
  }

  /// The mean field (ẑ).
  public let meanField: Vec3
  public let waves: [Wave]
  // Structure-of-arrays copies of `waves` for the evaluation loop.
  @usableFromInline let kx, ky, kz, ω, φ, bx, by, bz, ex, ey, ez: [Double]

  public init(waves: [Wave], meanField: Vec3 = Vec3(0, 0, 1)) {
    self.waves = waves
    self.meanField = meanField
    kx = waves.map(\.wavevector.x); ky = waves.map(\.wavevector.y); kz = waves.map(\.wavevector.z)
    ω = waves.map(\.frequency); φ = waves.map(\.phase)
    bx = waves.map(\.magnetic.x); by = waves.map(\.magnetic.y); bz = waves.map(\.magnetic.z)
    ex = waves.map(\.electric.x); ey = waves.map(\.electric.y); ez = waves.map(\.electric.z)
  }

  @inlinable public func fields(at x: Vec3, time t: Double) -> FieldSample {
    var b = meanField, e = Vec3()
    for m in 0..<kx.count {
      let c = cos(kx[m] * x.x + ky[m] * x.y + kz[m] * x.z - ω[m] * t + φ[m])
      b += c * Vec3(bx[m], by[m], bz[m])
      e += c * Vec3(ex[m], ey[m], ez[m])
    }
    return FieldSample(magnetic: b, electric: e)
  }

  /// Σ_m |δb_m|²/2: the expected ⟨δb²⟩ (B₀²).
  public var variance: Double { waves.reduce(0) { $0 + $1.magnetic.dot($1.magnetic) / 2 } }

  /// The largest |ω| (c/L), for the step rule (PHYSICS.md §4.3: Δt ≤ 0.05/ω_max).
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
  /// `spectrum`, moving as `motion` says, reproducibly from `seed`.
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
          if family.isSlab || (aA > 0 && aθ > 0) {
            // Two independent waves (own phases) for the two transverse polarizations.
            if aA > 0 { waves.append(try makeWave(family, k: d.k, alfven: aA, pseudo: 0, phase: d.phases.0, direction: s, motion: motion)) }
            if aθ > 0 { waves.append(try makeWave(family, k: d.k, alfven: 0, pseudo: aθ, phase: d.phases.1, direction: s, motion: motion)) }
          } else {
            waves.append(try makeWave(family, k: d.k, alfven: aA, pseudo: aθ, phase: d.phases.0, direction: s, motion: motion))
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
    case .isotropic, .fast:
      let k = kMin * exp(logRange * rng.nextOpenUnit())
      let cosine = 2 * rng.nextOpenUnit() - 1
      let azimuth = 2 * Double.pi * rng.nextOpenUnit()
      let sine = max(0, 1 - cosine * cosine).squareRoot()
      // q = 1/(4π k³ ln(k_max/k_min)) per d³k.
      return (k * Vec3(sine * cos(azimuth), sine * sin(azimuth), cosine), 4 * Double.pi * k * k * k * logRange)
    }
  }
}
