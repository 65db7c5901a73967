import Foundation
import LarmorCore
import Testing

@Suite struct NumericsTests {
  /// An n-point Gauss–Legendre rule integrates polynomials of degree 2n − 1 exactly.
  @Test(arguments: [1, 2, 5, 16, 64])
  func gaussLegendreIsExact(order n: Int) {
    let rule = GaussLegendre(order: n)
    let degree = 2 * n - 1
    let integral = rule.integrate(from: -1, to: 2) { pow($0, Double(degree)) }
    let exact = (pow(2, Double(degree + 1)) - 1) / Double(degree + 1)
    #expect(abs(integral / exact - 1) < 1e-12)
    #expect(abs(rule.weights.reduce(0, +) - 2) < 1e-13)
  }

  /// Keyed streams: neighbouring indices are not shifted copies of each other (the failure of
  /// seeding SplitMix64 with seed + i·γ), and purposes do not share numbers.
  @Test func streamsAreIndependent() {
    var a = SplitMix64(seed: 9, purpose: .fieldMode, index: 100)
    var b = SplitMix64(seed: 9, purpose: .fieldMode, index: 101)
    var c = SplitMix64(seed: 9, purpose: .particleDirection, index: 100)
    let da = (0..<8).map { _ in a.next() }
    let db = (0..<8).map { _ in b.next() }
    let dc = (0..<8).map { _ in c.next() }
    #expect(Set(da).isDisjoint(with: db))
    #expect(Set(da).isDisjoint(with: dc))
    var again = SplitMix64(seed: 9, purpose: .fieldMode, index: 100)
    #expect((0..<8).map { _ in again.next() } == da)
  }

  /// Box–Muller deviates: mean 0 and variance 1 within 4σ for 2×10⁵ draws
  /// (σ_mean = 1/√N, σ_var = √(2/N)).
  @Test func normalMoments() {
    var rng = SplitMix64(seed: 1, purpose: .fieldMode, index: 0)
    let n = 200_000
    var sum = 0.0, sum2 = 0.0
    for _ in 0..<(n / 2) {
      let (x, y) = rng.nextNormalPair()
      sum += x + y
      sum2 += x * x + y * y
    }
    let mean = sum / Double(n)
    let variance = sum2 / Double(n) - mean * mean
    #expect(abs(mean) < 4 / Double(n).squareRoot())
    #expect(abs(variance - 1) < 4 * (2 / Double(n)).squareRoot())
  }

  /// The polarization basis is orthonormal and ⊥ k; ê_A ⊥ B₀ and ê_θ lies in the k–B₀ plane.
  @Test func polarizationBasis() {
    for k in [Vec3(1, 2, 3), Vec3(-4, 0.5, -1), Vec3(0, 0, 2), Vec3(3, 0, 0)] {
      let (a, t) = LarmorCore.polarizationBasis(k)
      #expect(abs(a.length - 1) < 1e-14 && abs(t.length - 1) < 1e-14)
      #expect(abs(a.dot(t)) < 1e-14 && abs(a.dot(k)) < 1e-14 && abs(t.dot(k)) < 1e-14)
      #expect(a.z == 0)
      #expect(abs(t.dot(k.cross(Vec3(0, 0, 1)))) < 1e-14)  // in the plane spanned by k and ẑ
    }
  }

  /// r_L = 1.081×10⁻⁶ pc for 1 GV in 1 μG (docs/physics.md §0, §6).
  @Test func larmorRadius() {
    #expect(abs(Units.larmorRadiusParsec(rigidityGigavolts: 1, fieldMicrogauss: 1) / 1.081e-6 - 1) < 1e-3)
  }

  /// Checksum64: pieces of any sizes fed to a stream give the checksum of the whole; every one of
  /// the 8 × 203 single-bit flips of a 203-byte buffer (not a whole number of words) changes it,
  /// and so does a change of length alone (a trailing zero byte).
  @Test func checksumStreamsAndDetectsEveryBitFlip() {
    var rng = SplitMix64(seed: 3, purpose: .fieldMode, index: 0)
    let bytes = Data((0..<203).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    let whole = Checksum64(bytes)
    var stream = Checksum64.Stream(byteCount: bytes.count)
    var i = 0
    for size in [1, 7, 3, 16, 9, 64, 2, 101] {
      bytes[i..<(i + size)].withUnsafeBytes { stream.absorb($0) }
      i += size
    }
    #expect(i == bytes.count && stream.checksum == whole)
    var unchanged = 0
    for bit in 0..<(8 * bytes.count) {
      var flipped = bytes
      flipped[bit / 8] ^= UInt8(1 << (bit % 8))
      if Checksum64(flipped) == whole { unchanged += 1 }
    }
    #expect(unchanged == 0)
    #expect(Checksum64(bytes + Data([0])) != whole)
    #expect(whole.description.count == 16)
  }
}
