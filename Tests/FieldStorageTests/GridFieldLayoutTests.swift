import LarmorCore
import Testing
@testable import FieldStorage

/// GridField stores the three components interleaved per node, wraps indices without integer
/// division and interpolates in the polynomial form of `TrilinearCell`; these tests pin that
/// against the textbook formula (floor, `%`, trilinear weights) to round-off, and the 4-wide
/// sample against its scalar reference bitwise.
@Suite struct GridFieldLayoutTests {
  static func field(_ n: SIMD3<Int>, seed: UInt64) -> (GridField, [[Float]]) {
    var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: 0)
    let cells = n.x * n.y * n.z
    let components = (0..<3).map { _ in (0..<cells).map { _ in Float(2 * rng.nextOpenUnit() - 1) } }
    let geometry = GridGeometry(counts: n, boxSize: Vec3(1, 1.5, 0.75))
    return (GridField(geometry: geometry, meanField: Vec3(0.1, 0, 1), fluctuation: components), components)
  }

  static func maxDifference(_ a: Vec3, _ b: Vec3) -> Double {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
  }

  /// Periodic trilinear interpolation the plain way (the formula GridField had before).
  static func textbookSample(_ f: GridField, _ x: Vec3) -> Vec3 {
    let n = f.geometry.counts
    let u = x * (1 / f.geometry.cellSize)
    let base = u.rounded(.down)
    let t = u - base
    func wrap(_ b: Double, _ n: Int) -> (Int, Int) { let i = ((Int(b) % n) + n) % n; return (i, (i + 1) % n) }
    let (x0, x1) = wrap(base.x, n.x), (y0, y1) = wrap(base.y, n.y), (z0, z1) = wrap(base.z, n.z)
    let w = (1 - t, t)
    var b = Vec3()
    for c in 0..<3 {
      func v(_ i: Int, _ j: Int, _ k: Int) -> Double { f.fluctuation(i, j, k)[c] }
      b[c] = w.0.x * w.0.y * w.0.z * v(x0, y0, z0) + w.0.x * w.0.y * w.1.z * v(x0, y0, z1)
        + w.0.x * w.1.y * w.0.z * v(x0, y1, z0) + w.0.x * w.1.y * w.1.z * v(x0, y1, z1)
        + w.1.x * w.0.y * w.0.z * v(x1, y0, z0) + w.1.x * w.0.y * w.1.z * v(x1, y0, z1)
        + w.1.x * w.1.y * w.0.z * v(x1, y1, z0) + w.1.x * w.1.y * w.1.z * v(x1, y1, z1)
    }
    return f.meanField + b
  }

  @Test("Interleaved nodes round-trip: fluctuation(i,j,k) and unpaddedComponent return the input (non-cubic 6×10×12)")
  func roundTrip() {
    let n = SIMD3(6, 10, 12)
    let (f, components) = Self.field(n, seed: 1)
    for c in 0..<3 { #expect(f.unpaddedComponent(c) == components[c]) }
    for (i, j, k) in [(0, 0, 0), (5, 9, 11), (2, 7, 3)] {
      let index = (i * n.y + j) * n.z + k
      #expect(f.fluctuation(i, j, k) == Vec3(Double(components[0][index]), Double(components[1][index]), Double(components[2][index])))
    }
  }

  @Test("sample(at:) (4-wide) equals sampleScalar(at:) bitwise and the textbook floor/%/trilinear-weight formula to 1e-14, incl. negative and far coordinates (power-of-two and other N)",
        arguments: [SIMD3(16, 16, 16), SIMD3(6, 10, 12), SIMD3(1, 1, 8)])
  func sampleMatchesTextbook(n: SIMD3<Int>) {
    let (f, _) = Self.field(n, seed: 2)
    var rng = SplitMix64(seed: 3, purpose: .particlePosition, index: 0)
    var worst = 0.0
    for _ in 0..<2000 {
      let x = Vec3(40 * rng.nextOpenUnit() - 20, 40 * rng.nextOpenUnit() - 20, 40 * rng.nextOpenUnit() - 20)
      worst = max(worst, Self.maxDifference(f.sample(at: x), Self.textbookSample(f, x)))
      #expect(f.sampleScalar(at: x) == f.sample(at: x))
    }
    for x in [Vec3(0, 0, 0), Vec3(-1e-300, -0.0, 1e-17), Vec3(-0.75, 1.5, 0.375), Vec3(1e9 + 0.3, -1e9 - 0.2, 3e7)] {
      worst = max(worst, Self.maxDifference(f.sample(at: x), Self.textbookSample(f, x)))
      #expect(f.sampleScalar(at: x) == f.sample(at: x))
    }
    #expect(worst < 1e-14)  // |b| ≲ 2: a few ulps
    #expect(f.sample(at: Vec3(0, 0, 0)) == f.meanField + f.fluctuation(0, 0, 0))  // exact at nodes
  }

  @Test("A non-finite or absurdly far position gives a value instead of a trap (NaN/∞ → non-finite b)")
  func nonFinitePositionsDoNotTrap() {
    let (f, _) = Self.field(SIMD3(8, 8, 8), seed: 4)
    for x in [Vec3(.nan, 0, 0), Vec3(0, .infinity, 0), Vec3(0, 0, -.infinity), Vec3(.nan, .nan, .nan)] {
      let b = f.sample(at: x)
      #expect(!(b.x + b.y + b.z).isFinite)
      f.prefetch(at: x)
    }
    _ = f.sample(at: Vec3(1e30, -1e300, 5))  // beyond 4·10¹⁸ cells: any value (here ±∞/NaN), but no trap
  }

  @Test("Node buffers are 64-byte aligned (a cache line; every SIMD width FFTW uses) with the zero padding float")
  func alignment() {
    for cells in [1, 7, 4096] {
      let b = GridField.makeNodeBuffer(cells: cells)
      #expect(Int(bitPattern: b.pointer) % 64 == 0)
      #expect(b.count == 3 * cells + 1 && b.pointer[3 * cells] == 0)
    }
  }
}
