import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
import Testing
import Turbulence

/// The Boris step with electric half-kicks (BorisPusher.electricStep) in fields that move.
///
/// The invariants: a field that is static in some frame moving at V along B₀ conserves the
/// particle's energy in that frame, p′ = γ_V (p − V u_z) for v = c (c = 1, u = p/p₀ along v̂),
/// while its lab-frame energy changes. That frame is V = E×B/B² for uniform crossed fields, the
/// wave's de Hoffmann–Teller frame ω/k_∥ along B₀ for one plane wave (for Alfvén waves ±v_A, for
/// a fast wave v_f/cos θ), and ±v_A for a one-way Alfvén pattern on a grid. The Boris map is not
/// exactly Lorentz-covariant, so p′ oscillates at O((ΩΔt)²) within a gyration but must not
/// drift; the tolerances below are set from that bound, not from the measured values.
struct MovingFieldTests {
  /// Traces one particle for `steps` steps, returning the extreme relative deviations of the
  /// lab momentum p and of the frame energy p′ = γ(p − V u_z) from their initial values.
  func trace<F: ElectromagneticField>(
    _ field: F, rigidity R: Double, direction: Vec3, frameSpeed V: Double, steps: Int, stepsPerGyration: Double = 200
  ) throws -> (lab: Double, frame: Double, position: Vec3, time: Double) {
    let dt = 2 * Double.pi * R / stepsPerGyration
    let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt, fieldStrengthBound: 1.5)
    var r = Vec3(0.1, 0.2, 0.3), u = direction / direction.length
    let γ = 1 / (1 - V * V).squareRoot()
    func frameEnergy(_ u: Vec3) -> Double { γ * (u.length - V * u.z) }
    let p0 = frameEnergy(u)
    var lab = 0.0, frame = 0.0
    for n in 0..<steps {
      pusher.electricStep(&r, &u, time: Double(n) * dt, in: field)
      lab = max(lab, abs(u.length - 1))
      frame = max(frame, abs(frameEnergy(u) / p0 - 1))
    }
    return (lab, frame, r, Double(steps) * dt)
  }

  @Test("Uniform crossed fields: the guiding centre drifts at E×B/B² and p′ in the drift frame is conserved, over 10⁶ steps")
  func crossedFieldDrift() throws {
    // e = 0.1 ŷ, b = ẑ: V = e × b = 0.1 x̂. Energy in the frame moving along x̂: p′ = γ(p − V u_x).
    let field = UniformElectromagneticField(magnetic: Vec3(0, 0, 1), electric: Vec3(0, 0.1, 0))
    let R = 0.1, dt = 2 * Double.pi * R / 200
    let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt)
    var r = Vec3(), u = Vec3(0, 0.8, 0.6)
    let γ = 1 / (1 - 0.01).squareRoot()
    let p0 = γ * (u.length - 0.1 * u.x)
    var worst = 0.0, labRange = 0.0
    let steps = 1_000_000
    for n in 0..<steps {
      pusher.electricStep(&r, &u, time: Double(n) * dt, in: field)
      worst = max(worst, abs(γ * (u.length - 0.1 * u.x) / p0 - 1))
      labRange = max(labRange, abs(u.length - 1))
    }
    let time = Double(steps) * dt
    // The guiding centre moves at exactly V; the particle is within 2 r′_L ≲ 0.3 of it.
    let drift = r.x / time
    print("E×B: drift \(drift) (expected 0.1), max |p′/p′₀ − 1| = \(worst), max |p − 1| = \(labRange)")
    #expect(abs(drift - 0.1) < 0.3 / time + 1e-6)
    #expect(abs(r.y) < 0.5)
    // Bounded at (ΩΔt)²V² ≈ 1e-5 (the map's non-covariance), with no secular growth: the same
    // maximum (8.0e-7) was measured over 10⁵ and 10⁶ steps.
    #expect(worst < 1e-5)
    #expect(labRange > 0.05)  // the lab momentum oscillates by ≈ ±2 V p
  }

  @Test("One Alfvén plane wave travelling along +B₀: energy conserved in the frame moving at v_A, not in the lab")
  func alfvenWaveFrameEnergy() throws {
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.1, crossHelicity: 1)
    let field = try PlaneWaveField.singleWave(.alfven(GoldreichSridhar()), wavevector: Vec3(3, 1, 10), amplitude: 0.3, direction: 1, motion: motion)
    // R = 0.08: the gyroresonance k_∥(vμ − v_A) = ±Ω, Ω = 12.5, sits at μ ≈ 0.1 ± 1.25… and n = 0 transit; take μ = 0.5.
    let result = try trace(field, rigidity: 0.08, direction: Vec3(0.8, 0.2, 0.5), frameSpeed: 0.1, steps: 200_000)
    print("Alfvén wave: max |p − 1| = \(result.lab), max |p′/p′₀ − 1| = \(result.frame)")
    #expect(result.frame < 3e-5)  // (ΩΔt)² ≈ 1e-3 times v_A|δb| ≈ 0.03
    #expect(result.lab > 100 * result.frame)
  }

  @Test("One oblique fast wave (θ = 45°): energy conserved in its de Hoffmann–Teller frame ω/k_∥ = v_f/cos θ along B₀")
  func fastWaveFrameEnergy() throws {
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.1, crossHelicity: 1)
    let k = Vec3(7, 0, 7)
    let field = try PlaneWaveField.singleWave(.fast(FastModes()), wavevector: k, amplitude: 0.3, direction: 1, motion: motion)
    let V = field.waves[0].frequency / k.z
    #expect(abs(V - motion.fastSpeed(cosine: 0.5.squareRoot()) * 2.0.squareRoot()) < 1e-12)
    let result = try trace(field, rigidity: 0.1, direction: Vec3(0.6, 0.3, 0.4), frameSpeed: V, steps: 200_000)
    print("fast wave: V_HT = \(V), max |p − 1| = \(result.lab), max |p′/p′₀ − 1| = \(result.frame)")
    #expect(result.frame < 3e-5)
    #expect(result.lab > 100 * result.frame)
  }

  @Test("A one-way Alfvén pattern on a grid (TravelingGridField): energy conserved in the frame moving at v_A")
  func travelingGridFrameEnergy() throws {
    let spectrum = try TurbulenceSpectrum(.alfven(GoldreichSridhar()), minimumWavenumber: 2 * .pi, maximumWavenumber: 40, turbulenceLevel: 0.3)
    let spec = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(32, 32, 32), boxSize: Vec3(1, 1, 1)), seed: 3)
    let motion = try WaveMotion(alfvenSpeed: 0.1, crossHelicity: 1)
    let field = try TravelingGridField.synthesize(spec, motion: motion)
    #expect(field.patterns.count == 1)
    let result = try trace(field, rigidity: 0.05, direction: Vec3(0.5, -0.4, 0.6), frameSpeed: 0.1, steps: 100_000)
    print("traveling grid: max |p − 1| = \(result.lab), max |p′/p′₀ − 1| = \(result.frame)")
    #expect(result.frame < 3e-5)
    #expect(result.lab > 100 * result.frame)
  }

  @Test("Moving-field kernel with e = 0 in a uniform b: |u| = 1 to 1e-12 over 10⁶ steps")
  func movingKernelConservesMomentumWithoutElectricField() throws {
    let field = UniformElectromagneticField(magnetic: Vec3(0.1, 0.2, 1), electric: Vec3())
    let pusher = try BorisPusher(reducedRigidity: 0.3, timeStep: 0.01)
    var batch = ParticleBatch(ids: [0], positions: [Vec3()], directions: [Vec3(0.3, 0.4, 0.5)], initialLocalPitch: [0])
    #expect(pusher.advance(&batch, steps: 1_000_000, firstStep: 0, in: field, loop: .fourWay) == nil)
    print("moving kernel, e = 0: |p − 1| = \(abs(batch.momentum[0] - 1)), |v̂| − 1 = \(batch.direction(0).length - 1)")
    #expect(abs(batch.momentum[0] - 1) < 1e-12)
  }

  @Test("advanceMoving (four particles interleaved) is bitwise the plain loop, also for a batch not a multiple of 4 and across calls")
  func movingKernelsAgree() throws {
    let motion = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.3, crossHelicity: 0.4)
    let spectrum = try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: 2 * .pi, maximumWavenumber: 60, turbulenceLevel: 0.3)
    let field = try PlaneWaveField.synthesize(spectrum, motion: motion, waveCount: 16, seed: 2)
    let pusher = try BorisPusher(reducedRigidity: 0.07, timeStep: 0.002, fieldStrengthBound: 2.2)
    let initial = try InitialConditions(seed: 3, boxSize: Vec3(1, 1, 1)).makeBatch(ids: 0..<23, field: field)
    var fast = initial, plain = initial
    for call in 0..<3 {
      #expect(pusher.advance(&fast, steps: 400, firstStep: 400 * call, in: field, loop: .fourWay) == nil)
      #expect(pusher.advance(&plain, steps: 400, firstStep: 400 * call, in: field, loop: .plain) == nil)
    }
    #expect(fast == plain)
    #expect(fast.momentum.contains { abs($0 - 1) > 1e-4 })
  }

  /// The cell-cached kernel for travelling grid patterns against the plain loop: one pattern
  /// (σ_c = 1) and two (σ_c = 0.3), 37 particles (four groups of eight and a remainder), three
  /// calls continuing in time; steps of 0.4 cells, so lanes change cell every few steps in each
  /// pattern's frame. Also a particle placed at a NaN position: the group is redone by the plain
  /// loop and the same first non-finite index comes back.
  @Test("advanceMovingCellCached is bitwise the plain loop for one and two travelling patterns, across calls and with a non-finite particle",
        arguments: [1.0, 0.3])
  func movingCellCachedKernelAgrees(crossHelicity: Double) throws {
    let spectrum = try TurbulenceSpectrum(.alfven(GoldreichSridhar()), minimumWavenumber: 2 * .pi, maximumWavenumber: 40, turbulenceLevel: 0.5)
    let spec = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(32, 32, 32), boxSize: Vec3(1, 1, 1)), seed: 4)
    let field = try TravelingGridField.synthesize(spec, motion: WaveMotion(alfvenSpeed: 0.1, crossHelicity: crossHelicity))
    #expect(field.patterns.count == (crossHelicity == 1 ? 1 : 2))
    let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: 0.4 / 32, fieldStrengthBound: 3)
    let initial = try InitialConditions(seed: 5, boxSize: Vec3(1, 1, 1)).makeBatch(ids: 0..<37, field: field)
    var fast = initial, plain = initial
    for call in 0..<3 {
      #expect(pusher.advance(&fast, steps: 300, firstStep: 300 * call, in: field, loop: .fastest) == nil)
      #expect(pusher.advance(&plain, steps: 300, firstStep: 300 * call, in: field, loop: .plain) == nil)
    }
    #expect(fast == plain)
    #expect(fast.momentum.contains { abs($0 - 1) > 1e-3 })
    var broken = initial
    broken.x[11] = .nan
    var brokenPlain = broken
    let bad = pusher.advance(&broken, steps: 50, firstStep: 0, in: field, loop: .fastest)
    #expect(bad == 11)
    #expect(bad == pusher.advance(&brokenPlain, steps: 50, firstStep: 0, in: field, loop: .plain))
    // Particle 11 is left unstored (NaN ≠ NaN, so compare bit patterns).
    for coordinate in [\ParticleBatch.x, \.y, \.z, \.vx, \.vy, \.vz, \.momentum] {
      #expect(broken[keyPath: coordinate].map(\.bitPattern) == brokenPlain[keyPath: coordinate].map(\.bitPattern))
    }
  }

  /// The step rule's wave-frequency cap: Δt = min(φR/|b|_max, f Δx, 0.5/ω_max). Undamped Alfvén
  /// patterns on a grid (ω_max = v_A π/Δz) never reach it; a wave with phase speed ≈ c does.
  @Test func stepRuleCapsTheFastestWavesPhase() throws {
    let cell = 1.0 / 64
    let plain = try StepRule(turbulenceLevel: 0.3, cellSize: cell).timeStep(reducedRigidity: 0.1)
    #expect(plain == 0.25 * cell)
    let alfven = try StepRule(turbulenceLevel: 0.3, cellSize: cell, maximumFrequency: 0.1 * .pi / cell).timeStep(reducedRigidity: 0.1)
    #expect(alfven == plain)
    let fast = try StepRule(turbulenceLevel: 0.3, cellSize: cell, maximumFrequency: 2 * .pi / cell).timeStep(reducedRigidity: 0.1)
    #expect(fast == 0.5 / (2 * .pi / cell))
  }
}
