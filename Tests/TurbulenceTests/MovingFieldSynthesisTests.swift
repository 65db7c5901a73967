import Foundation
import LarmorCore
import Testing
import Turbulence

/// Synthesized moving fields: Maxwell's equations, polarization and power of `PlaneWaveField`,
/// and the pattern structure of `TravelingGridField`.
struct MovingFieldSynthesisTests {
  static func spectrum(_ family: ModeFamily, level: Double = 0.3) throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(family, minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * 16, turbulenceLevel: level)
  }

  /// A spectrum a 32³ (or 16³) unit box resolves: k_max = 40 below Nyquist π/Δx.
  static func gridSpectrum(_ family: ModeFamily, level: Double = 0.3) throws -> TurbulenceSpectrum {
    try TurbulenceSpectrum(family, minimumWavenumber: 2 * .pi, maximumWavenumber: 40, turbulenceLevel: level)
  }

  static let motion = try! WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: 0.3)

  /// Random points in [0, 1)³ and times in [0, 10).
  static func points(_ count: Int) -> [(Vec3, Double)] {
    var rng = SplitMix64(seed: 9, purpose: .particlePosition, index: 0)
    return (0..<count).map { _ in (Vec3(rng.nextOpenUnit(), rng.nextOpenUnit(), rng.nextOpenUnit()), 10 * rng.nextOpenUnit()) }
  }

  @Test("Plane-wave fields obey ∇·b = 0 and ∂b/∂t = −∇×e (central differences, relative 1e-6)",
        arguments: ["alfven", "slow", "fast"])
  func maxwell(_ name: String) throws {
    let family: ModeFamily = name == "alfven" ? .alfven(GoldreichSridhar()) : name == "slow" ? .slow(GoldreichSridhar()) : .fast(FastModes())
    let field = try PlaneWaveField.synthesize(Self.spectrum(family), motion: Self.motion, waveCount: 64, seed: 5)
    let h = 1e-5, τ = 1e-4
    let scale = 0.3 * 2 * .pi * 16  // |δb| k_max: the size of a derivative
    var worstDivergence = 0.0, worstFaraday = 0.0
    for (x, t) in Self.points(50) {
      func b(_ d: Vec3, _ dt: Double = 0) -> Vec3 { field.fields(at: x + d, time: t + dt).magnetic }
      func e(_ d: Vec3) -> Vec3 { field.fields(at: x + d, time: t).electric }
      let (ex, ey, ez) = (Vec3(h, 0, 0), Vec3(0, h, 0), Vec3(0, 0, h))
      let divergence = (b(ex).x - b(-ex).x + b(ey).y - b(-ey).y + b(ez).z - b(-ez).z) / (2 * h)
      let dedx = (e(ex) - e(-ex)) / (2 * h), dedy = (e(ey) - e(-ey)) / (2 * h), dedz = (e(ez) - e(-ez)) / (2 * h)
      let curl = Vec3(dedy.z - dedz.y, dedz.x - dedx.z, dedx.y - dedy.x)
      let dbdt = (b(Vec3(), τ) - b(Vec3(), -τ)) / (2 * τ)
      worstDivergence = max(worstDivergence, abs(divergence) / scale)
      worstFaraday = max(worstFaraday, (dbdt + curl).length / (0.1 * scale))
    }
    print("\(name) plane waves: max |∇·b|/(δb k_max) = \(worstDivergence), max |∂b/∂t + ∇×e|/(v_A δb k_max) = \(worstFaraday)")
    #expect(worstDivergence < 1e-6)
    #expect(worstFaraday < 1e-6)
  }

  @Test("Plane-wave evaluation (four waves per lane, polynomial cosine) equals one-wave-at-a-time with the C library's cos")
  func evaluationMatchesReference() throws {
    let field = try PlaneWaveField.synthesize(Self.spectrum(.fast(FastModes())), motion: Self.motion, waveCount: 101, seed: 2)
    var near = 0.0, far = 0.0
    for (x, t) in Self.points(200) {
      // Near: phases ≲ 10³ rad. Far: phases up to ~10⁵ rad, where the two sum the phase k·x − ωt + φ
      // in different orders and differ by its rounding, ~1e-11 rad (ulp(10⁵) = 1.5e-11).
      let a = field.fields(at: x, time: t), b = field.fieldsReference(at: x, time: t)
      near = max(near, (a.magnetic - b.magnetic).length, (a.electric - b.electric).length)
      let point = x * 300 + Vec3(0, 0, -2000)
      let c = field.fields(at: point, time: t * 40), d = field.fieldsReference(at: point, time: t * 40)
      far = max(far, (c.magnetic - d.magnetic).length, (c.electric - d.electric).length)
    }
    print("plane waves: max |fields − reference| = \(near) near the origin, \(far) at phases ~1e5 (B₀ or c B₀)")
    #expect(near < 1e-13)
    #expect(far < 1e-10)
  }

  @Test("Plane-wave polarization: Alfvén δb_z ≡ 0, fast ⟨δb_z²⟩/⟨δb_⊥²⟩ = ⟨1−ξ²⟩/⟨ξ²⟩ = 2 (4σ), power σ² per family and direction")
  func polarizationAndPower() throws {
    let alfven = try PlaneWaveField.synthesize(Self.spectrum(.alfven(GoldreichSridhar())), motion: Self.motion, waveCount: 500, seed: 1)
    #expect(alfven.waves.allSatisfy { $0.magnetic.z == 0 })
    let n = 4000
    let fast = try PlaneWaveField.synthesize(Self.spectrum(.fast(FastModes())), motion: Self.motion, waveCount: n, seed: 1)
    let parallel = fast.waves.reduce(0) { $0 + $1.magnetic.z * $1.magnetic.z }
    let perpendicular = fast.waves.reduce(0) { $0 + $1.magnetic.x * $1.magnetic.x + $1.magnetic.y * $1.magnetic.y }
    // Each wave's δb_z²/|δb|² = 1 − ξ² with ξ uniform in [0, 1] (isotropic directions): the
    // ratio of sums has a relative error ≈ √(Var/N) ≈ 0.6/√N per sum for the weights drawn here.
    let ratio = parallel / perpendicular
    print("fast plane waves: ⟨δb_z²⟩/⟨δb_⊥²⟩ = \(ratio) (expected 2) from \(fast.waves.count) waves")
    #expect(abs(ratio - 2) < 4 * 2 * 1.5 / Double(n).squareRoot())
    // Power: each direction carries (1 ± σ_c)/2 of σ²; measure it as a spatial mean over points.
    // The waves that travel along +B₀ by their own ω (parallel phase speed ω/k_∥ > 0) must be the
    // ones that carry the (1 + σ_c)/2 share: a check of the direction convention of `WaveMotion`.
    let plus = fast.waves.filter { $0.frequency * $0.wavevector.z > 0 }.reduce(0) { $0 + $1.magnetic.dot($1.magnetic) / 2 }
    #expect(abs(plus / 0.09 - 0.65) < 1e-12)
    var sum = 0.0
    let pts = Self.points(2000)
    for (x, t) in pts { let δb = fast.fields(at: x, time: t).magnetic - Vec3(0, 0, 1); sum += δb.dot(δb) }
    let measured = sum / Double(pts.count)
    print("fast plane waves: spatial ⟨δb²⟩ = \(measured) (σ² = 0.09)")
    #expect(abs(measured / 0.09 - 1) < 0.15)  // 2000 correlated points: ≈ 5 % scatter
  }

  @Test("Finite lifetime: the same waves, each frequency ω(1 + εg) with g standard normal (4σ) and e scaled with it (k × e = ω δb, e·ẑ = 0)",
        arguments: ["alfven", "fast"])
  func decorrelatedWaves(_ name: String) throws {
    let family: ModeFamily = name == "alfven" ? .alfven(GoldreichSridhar()) : .fast(FastModes())
    let ε = 0.5, count = 1024
    let undamped = try PlaneWaveField.synthesize(Self.spectrum(family), motion: Self.motion, waveCount: count, seed: 4).waves
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: 0.3, decorrelation: ε)
    let damped = try PlaneWaveField.synthesize(Self.spectrum(family), motion: motion, waveCount: count, seed: 4).waves
    #expect(damped.count == undamped.count)
    var g: [Double] = [], worstFaraday = 0.0, worstParallel = 0.0
    for (a, b) in zip(undamped, damped) {
      #expect(a.wavevector == b.wavevector && a.phase == b.phase && a.magnetic == b.magnetic)
      g.append((b.frequency / a.frequency - 1) / ε)
      let scale = b.magnetic.length * b.wavevector.length
      worstFaraday = max(worstFaraday, (b.wavevector.cross(b.electric) - b.frequency * b.magnetic).length / scale)
      worstParallel = max(worstParallel, abs(b.electric.z) / b.electric.length)
    }
    let n = Double(g.count)
    let mean = g.reduce(0, +) / n, variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    print("\(name), ε = \(ε), \(g.count) waves: spread mean \(mean), variance \(variance); max |k×e − ωδb|/(δb k) = \(worstFaraday), max |e_z|/|e| = \(worstParallel)")
    #expect(abs(mean) < 4 / n.squareRoot())
    #expect(abs(variance - 1) < 4 * (2 / n).squareRoot())
    #expect(worstFaraday < 1e-12)
    #expect(worstParallel < 1e-12)
  }

  /// Evaluated through `fields(at:time:)` at random points, ⟨δb(x, 0)·δb(x, τ)⟩/⟨δb²⟩ of a
  /// decorrelating fast field must follow the spread's expectation over the undamped waves,
  /// Σ w cos(ω₀τ) e^{−(εω₀τ)²/2}/Σ w (w = |δb|²), within 4σ: σ² the point-sampling error (from the
  /// products' scatter) plus the finite-wave error Σ w² Var[cos(ω₀(1 + εg)τ)]/(Σ w)².
  @Test("Finite lifetime: the field's two-time correlation decays as the Gaussian envelope cos(ωτ)e^{−(εωτ)²/2} (4σ)")
  func decorrelationEnvelope() throws {
    let ε = 0.5, count = 2048
    let spectrum = try Self.spectrum(.fast(FastModes()))
    let undamped = try PlaneWaveField.synthesize(spectrum, motion: Self.motion, waveCount: count, seed: 8)
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.5, crossHelicity: 0.3, decorrelation: ε)
    let damped = try PlaneWaveField.synthesize(spectrum, motion: motion, waveCount: count, seed: 8)
    var rng = SplitMix64(seed: 10, purpose: .particlePosition, index: 0)
    let points = (0..<10000).map { _ in 50 * Vec3(rng.nextOpenUnit(), rng.nextOpenUnit(), rng.nextOpenUnit()) }
    func correlation(_ field: PlaneWaveField, _ τ: Double) -> (value: Double, error: Double) {
      let products = points.map { x in
        (field.fields(at: x, time: 0).magnetic - Vec3(0, 0, 1)).dot(field.fields(at: x, time: τ).magnetic - Vec3(0, 0, 1))
      }
      let m = Double(products.count), mean = products.reduce(0, +) / m
      let variance = products.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
      let norm = field.variance
      return (mean / norm, (variance / m).squareRoot() / norm)
    }
    let w = undamped.waves.map { $0.magnetic.dot($0.magnetic) }, total = w.reduce(0, +)
    for τ in [1.0, 2.0, 4.0] {
      var expected = 0.0, spread = 0.0
      for (wave, weight) in zip(undamped.waves, w) {
        let x = wave.frequency * τ, envelope = exp(-0.5 * ε * ε * x * x)
        let mean = cos(x) * envelope
        expected += weight * mean
        spread += weight * weight * ((1 + cos(2 * x) * envelope * envelope * envelope * envelope) / 2 - mean * mean)
      }
      expected /= total
      let measured = correlation(damped, τ), reference = correlation(undamped, τ)
      let sigma = (measured.error * measured.error + spread / (total * total)).squareRoot()
      print("τ = \(τ): C(τ) = \(measured.value) ± \(sigma), expected \(expected); undamped \(reference.value)")
      #expect(abs(measured.value - expected) < 4 * sigma)
      if τ >= 2 { #expect(abs(reference.value - expected) > 4 * sigma) }  // the envelope is resolved: the test can fail
    }
  }

  @Test("Moving isotropic turbulence, or a wave count out of range, is refused with the key named")
  func refusals() throws {
    #expect(throws: SpectrumError.self) { try PlaneWaveField.synthesize(Self.spectrum(.isotropic(index: 5.0 / 3)), motion: Self.motion, waveCount: 8, seed: 1) }
    do {
      _ = try PlaneWaveField.synthesize(Self.spectrum(.fast(FastModes())), motion: Self.motion, waveCount: 0, seed: 1)
      Issue.record("waveCount 0 accepted")
    } catch let error as SpectrumError { #expect(error.key == "waves") }
    let spec = try FieldSpec(spectrum: Self.gridSpectrum(.fast(FastModes())), geometry: GridGeometry(counts: SIMD3(16, 16, 16), boxSize: Vec3(1, 1, 1)), seed: 1)
    do {
      _ = try TravelingGridField.synthesize(spec, motion: Self.motion)
      Issue.record("fast modes accepted on a traveling grid")
    } catch { #expect(error.key == "evaluation") }
  }

  @Test("TravelingGridField: b(x, t) is each pattern at x ∓ v_A t ẑ, e = −V × δb per pattern, and σ_c splits the power")
  func travelingGridPatterns() throws {
    let spec = try FieldSpec(spectrum: Self.gridSpectrum(.alfven(GoldreichSridhar())), geometry: GridGeometry(counts: SIMD3(32, 32, 32), boxSize: Vec3(1, 1, 1)), seed: 4)
    let field = try TravelingGridField.synthesize(spec, motion: Self.motion)
    #expect(field.patterns.map(\.speed) == [0.1, -0.1])
    let static0 = SpectralSynthesis.synthesize(spec).field
    for (x, t) in Self.points(20) {
      let f = field.fields(at: x, time: t)
      let plus = field.patterns[0].fluctuation.sample(at: x - Vec3(0, 0, 0.1 * t))
      let minus = field.patterns[1].fluctuation.sample(at: x + Vec3(0, 0, 0.1 * t))
      #expect((f.magnetic - (Vec3(0, 0, 1) + plus + minus)).length < 1e-15)
      let e = -(Vec3(0, 0, 0.1).cross(plus)) + Vec3(0, 0, 0.1).cross(minus)
      #expect((f.electric - e).length < 1e-15)
      // The +B₀ pattern is the static field of the same spec and seed, scaled by √((1 + σ_c)/2).
      let reference = (static0.sample(at: x - Vec3(0, 0, 0.1 * t)) - Vec3(0, 0, 1)) * 0.65.squareRoot()
      #expect((plus - reference).length < 1e-6 * 0.3)
    }
  }
}
