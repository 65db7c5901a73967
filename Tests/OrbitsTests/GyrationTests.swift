import Foundation
import LarmorCore
import Orbits
import Testing

/// Uniform-field tests of the Boris pusher (docs/physics.md §4.2).
///
/// What "gyroradius and period to 1e-6 at 100 steps per gyration" can honestly mean: the
/// standard Boris map in a uniform field is *exactly* a rotation by θ = 2 arctan(ΩΔt/2) per
/// step, and the positions lie exactly on a circle of radius Δt v_⊥ / (2 sin(θ/2)) =
/// r_L √(1 + (ΩΔt/2)²). Against the continuum (T_g = 2πR, r_L = R v_⊥) it is off by
/// (ΩΔt)²/12 ≈ 3.3e-4 and (ΩΔt)²/8 ≈ 4.9e-4 at ΩΔt = 2π/100 — far more than 1e-6. So we assert
/// (a) the simulated period and radius match the exact discrete map to 1e-6 (here limited only
/// by round-off and by how the period is measured), (b) their offsets from T_g and r_L equal the
/// predicted (ΩΔt)²/12 and (ΩΔt)²/8 to 1e-6 absolute (the next terms are O((ΩΔt)⁴) ≈ 1e-7), and
/// (c) the tan-corrected rotation gives T = 2πR to 1e-9.
struct GyrationTests {
  struct Orbit {
    var period: Double
    var radius: Double
    var maximumRadiusDeviation: Double
  }

  /// Traces `gyrations` gyrations at `stepsPerGyration` (in the continuum period) and measures the
  /// period from the accumulated rotation angle of v_⊥ and the radius from the circumcircle.
  func trace(rotation: BorisPusher.Rotation, rigidity R: Double, mu: Double, stepsPerGyration: Int, gyrations: Int) throws -> Orbit {
    let dt = 2 * Double.pi * R / Double(stepsPerGyration)
    let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt, rotation: rotation)
    let field = UniformField()
    var r = Vec3(0.3, -0.2, 0.1)
    var v = Vec3((1 - mu * mu).squareRoot(), 0, mu)
    var phase = PhaseTracker(v)
    var positions: [Vec3] = [r]
    let steps = stepsPerGyration * gyrations
    for _ in 0..<steps {
      pusher.step(&r, &v, in: field)
      phase.update(v)
      positions.append(Vec3(r.x, r.y, 0))
    }
    let period = 2 * Double.pi * Double(steps) * dt / abs(phase.total)
    let q = stepsPerGyration / 3
    let c = circumcenter(Vec3(positions[0].x, positions[0].y, 0), positions[q], positions[2 * q])
    let radii = positions.map { Vec3($0.x - c.x, $0.y - c.y, 0).length }
    let radius = radii.reduce(0, +) / Double(radii.count)
    let deviation = radii.map { abs($0 / radius - 1) }.max()!
    return Orbit(period: period, radius: radius, maximumRadiusDeviation: deviation)
  }

  @Test("Standard Boris: period and radius equal the exact discrete map to 1e-6; offsets from T_g, r_L are (ΩΔt)²/12, (ΩΔt)²/8")
  func standardBorisGyration() throws {
    let R = 0.37, mu = 0.3
    let orbit = try trace(rotation: .standard, rigidity: R, mu: mu, stepsPerGyration: 100, gyrations: 100)
    let omegaDt = 2 * Double.pi / 100
    let theta = 2 * atan(omegaDt / 2)
    let dt = omegaDt * R
    let vPerp = (1 - mu * mu).squareRoot()
    let discretePeriod = 2 * Double.pi * dt / theta
    let discreteRadius = dt * vPerp / (2 * sin(theta / 2))
    let continuumPeriod = 2 * Double.pi * R, larmorRadius = R * vPerp
    print("standard Boris: period/discrete − 1 = \(orbit.period / discretePeriod - 1), radius/discrete − 1 = \(orbit.radius / discreteRadius - 1), "
      + "period/T_g − 1 − (ΩΔt)²/12 = \(orbit.period / continuumPeriod - 1 - omegaDt * omegaDt / 12), radius/r_L − 1 − (ΩΔt)²/8 = \(orbit.radius / larmorRadius - 1 - omegaDt * omegaDt / 8)")
    // (a) exact discrete map: only round-off over 10^4 steps.
    #expect(abs(orbit.period / discretePeriod - 1) < 1e-6)
    #expect(abs(orbit.radius / discreteRadius - 1) < 1e-6)
    #expect(orbit.maximumRadiusDeviation < 1e-6)  // it is a circle
    // (b) offsets from the continuum are the predicted Boris errors, to O((ΩΔt)⁴) ≈ 1e-7.
    #expect(abs(orbit.period / continuumPeriod - 1 - omegaDt * omegaDt / 12) < 1e-6)
    #expect(abs(orbit.radius / larmorRadius - 1 - omegaDt * omegaDt / 8) < 1e-6)
  }

  @Test("tan-corrected Boris: gyro-period equals 2πR to 1e-9; vertex-circle radius r_L(θ/2)/sin(θ/2) to 1e-6")
  func exactPhaseGyration() throws {
    let R = 0.37, mu = -0.6
    let orbit = try trace(rotation: .exactPhase, rigidity: R, mu: mu, stepsPerGyration: 100, gyrations: 100)
    let theta = 2 * Double.pi / 100
    let expectedRadius = R * (1 - mu * mu).squareRoot() * (theta / 2) / sin(theta / 2)
    print("tan Boris: period/(2πR) − 1 = \(orbit.period / (2 * Double.pi * R) - 1), radius/expected − 1 = \(orbit.radius / expectedRadius - 1)")
    #expect(abs(orbit.period / (2 * Double.pi * R) - 1) < 1e-9)  // round-off only
    #expect(abs(orbit.radius / expectedRadius - 1) < 1e-6)
  }

  @Test("Boris phase error converges as Δt²: halving Δt divides it by 4 ± 0.2")
  func phaseErrorConvergesQuadratically() throws {
    let R = 1.0, duration = 10 * 2 * Double.pi
    var errors: [Double] = []
    for stepsPerGyration in [50, 100, 200] {
      let dt = 2 * Double.pi * R / Double(stepsPerGyration)
      let pusher = try BorisPusher(reducedRigidity: R, timeStep: dt)
      var r = Vec3(), v = Vec3(1, 0, 0)
      var phase = PhaseTracker(v)
      let steps = Int((duration / dt).rounded())
      for _ in 0..<steps { pusher.step(&r, &v, in: UniformField()); phase.update(v) }
      // Positive charge rotates clockwise: the exact phase is −Ω t.
      errors.append(abs(phase.total + Double(steps) * dt / R))
    }
    let ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    print("phase error ratios on halving Δt: \(ratios), errors \(errors)")
    for ratio in ratios { #expect(abs(ratio - 4) < 0.2) }
  }

  @Test("μ = v_z is conserved exactly (bitwise) in a uniform field: the rotation has t ∥ ẑ, so v×t has no z part")
  func pitchConservedExactly() throws {
    let pusher = try BorisPusher(reducedRigidity: 0.05, timeStep: 0.002)
    for mu in [-0.9, -0.3, 0.123456789, 0.7] {
      var r = Vec3(1, 2, 3), v = Vec3((1 - mu * mu).squareRoot() * 0.6, (1 - mu * mu).squareRoot() * 0.8, mu)
      let vz0 = v.z
      var maxDeviation = 0.0
      for _ in 0..<100_000 { pusher.step(&r, &v, in: UniformField()); maxDeviation = max(maxDeviation, abs(v.z - vz0)) }
      #expect(maxDeviation == 0)
    }
  }
}
