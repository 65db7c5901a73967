import Foundation
import LarmorCore
import Orbits
import Turbulence

/// A small isotropic Kolmogorov field: `n`³ cells, box `side` (L), δB/B₀ = `level`.
func isotropicField(n: Int, side: Double = 1, level: Double, seed: UInt64 = 7) throws -> GridField {
  let kMin = 2 * Double.pi / side
  let kMax = 0.9 * Double.pi * Double(n) / side
  let spectrum = try TurbulenceSpectrum(.isotropic(index: 5.0 / 3), minimumWavenumber: kMin, maximumWavenumber: kMax, turbulenceLevel: level)
  let geometry = GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(side, side, side))
  return SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: seed)).field
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
struct PoisonedField: MagneticField {
  let limit: Double
  func sample(at x: Vec3) -> Vec3 { x.z < limit ? Vec3(0, 0, 1) : Vec3(.nan, 0, 1) }
}
