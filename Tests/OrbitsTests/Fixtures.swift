import Foundation
import LarmorCore
import Orbits
import Turbulence

/// A small periodic, divergence-free turbulent GridField for tests: `modes` random lattice
/// wave vectors 2π(m_x, m_y, m_z)/side with 1 ≤ |m| ≤ n/4, amplitudes ∝ |k|^(−11/6) (Kolmogorov
/// per d³k), polarization ⊥ k, random phases; the nodes are filled by direct summation and the
/// rms of δb is scaled to exactly `level`. Built by direct summation through the public
/// GridField(geometry:fluctuation:), not by SpectralSynthesis, so that the pusher's tests do not
/// depend on the synthesis they would otherwise share a bug with (the synthesis has its own
/// tests; the 256³ benchmarks use it).
func isotropicField(n: Int, side: Double = 1, level: Double, seed: UInt64 = 7, modes: Int = 48) throws -> GridField {
  var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: 0)
  let maxIndex = max(1, n / 4)
  var waves: [(k: Vec3, amplitude: Vec3, phase: Double)] = []
  while waves.count < modes {
    let m = SIMD3<Int>(Int(rng.next() % UInt64(2 * maxIndex + 1)) - maxIndex, Int(rng.next() % UInt64(2 * maxIndex + 1)) - maxIndex,
                       Int(rng.next() % UInt64(2 * maxIndex + 1)) - maxIndex)
    let mm = Double(m.x * m.x + m.y * m.y + m.z * m.z).squareRoot()
    guard mm >= 1, mm <= Double(maxIndex) else { continue }
    let k = 2 * Double.pi / side * Vec3(Double(m.x), Double(m.y), Double(m.z))
    let (g1, g2) = rng.nextNormalPair()
    let (g3, _) = rng.nextNormalPair()
    var e = Vec3(g1, g2, g3)
    e -= (e.dot(k) / k.dot(k)) * k  // ⊥ k: divergence-free
    waves.append((k, e * pow(k.length, -11.0 / 6) / max(e.length, 1e-12) * k.length, 2 * Double.pi * rng.nextOpenUnit()))
  }
  let dx = side / Double(n)
  var components = [[Float]](repeating: [Float](repeating: 0, count: n * n * n), count: 3)
  var values = [Vec3](repeating: Vec3(), count: n * n * n)
  var sum = 0.0
  for ix in 0..<n { for iy in 0..<n { for iz in 0..<n {
    let x = Vec3(Double(ix), Double(iy), Double(iz)) * dx
    var b = Vec3()
    for w in waves { b += w.amplitude * cos(w.k.dot(x) + w.phase) }
    values[(ix * n + iy) * n + iz] = b
    sum += b.dot(b)
  } } }
  let scale = level / (sum / Double(n * n * n)).squareRoot()
  for (i, b) in values.enumerated() { for c in 0..<3 { components[c][i] = Float(b[c] * scale) } }
  return GridField(geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(side, side, side)), fluctuation: components)
}

/// Angle of v_⊥, unwrapped along a sequence of steps.
struct PhaseTracker {
  var last: Double
  var total = 0.0
  init(_ v: Vec3) { last = atan2(v.y, v.x) }
  mutating func update(_ v: Vec3) {
    let a = atan2(v.y, v.x)
    var d = a - last
    if d > .pi { d -= 2 * .pi }
    if d < -.pi { d += 2 * .pi }
    total += d
    last = a
  }
}

/// Circumcenter of three points in the x–y plane.
func circumcenter(_ a: Vec3, _ b: Vec3, _ c: Vec3) -> Vec3 {
  let d = 2 * (a.x * (b.y - c.y) + b.x * (c.y - a.y) + c.x * (a.y - b.y))
  let a2 = a.x * a.x + a.y * a.y, b2 = b.x * b.x + b.y * b.y, c2 = c.x * c.x + c.y * c.y
  return Vec3((a2 * (b.y - c.y) + b2 * (c.y - a.y) + c2 * (a.y - b.y)) / d,
              (a2 * (c.x - b.x) + b2 * (a.x - c.x) + c2 * (b.x - a.x)) / d, 0)
}

/// A field that is uniform ẑ below z = `limit` and NaN above (for failure tests).
/// Like GridField, it traps if asked for the field at a non-finite position.
struct PoisonedField: MagneticField {
  let limit: Double
  func sample(at x: Vec3) -> Vec3 {
    precondition(x.z.isFinite, "sampled at a non-finite position")
    return x.z < limit ? Vec3(0, 0, 1) : Vec3(.nan, 0, 1)
  }
}
