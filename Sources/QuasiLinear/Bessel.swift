#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bessel-function weights of the quasi-linear gyroharmonic sum (docs/physics.md §3.1).
///
/// For harmonic n and argument w = k_⊥ v_⊥/Ω the two polarizations are weighted by
///   Alfvén (ê_A):  (n J_n(w)/w)² = [(J_{n−1} + J_{n+1})/2]²,
///   pseudo (ê_θ):  J_n′(w)²     = [(J_{n−1} − J_{n+1})/2]²,
/// written through the recurrences so that w → 0 needs no special case (J_1(w)/w → 1/2).
/// Both depend on |n| only. Values of J_n come from the C library (`j0`, `j1`, `jn`); glibc's
/// `jn` uses backward (Miller) recurrence for n > w and forward recurrence for n < w, which are
/// the stable directions (checked in the tests against the sum rule J_0² + 2ΣJ_n² = 1).
///
/// Phase averaging. For w ≫ 1 the weights oscillate with period π in w. When a threshold
/// w₁ is set, the weights are blended smoothly (sin² ramp over [w₁, 2w₁], or [w₁, w₁ + 40] for |n| > 2) into their
/// phase averages, ⟨J_n²⟩ = (1 + (4n² − 1)/(8w²))/(πw) and ⟨J_n′²⟩ = (1 − (4n² − 3)/(8w²))/(πw)
/// (the Hankel expansion of (J² + Y²)/2). The integrals of QLT multiply these weights by
/// spectra that vary on a scale ≳ w, so the dropped oscillating part integrates to a
/// negligible amount while the quadrature no longer has to follow thousands of
/// oscillations. This is the approximation Yan & Lazarian (2002) make (J_1²/w² → 1/(πw³));
/// for |n| > 2 the WKB averages are used beyond w = max(w₁, |n| + 10|n|^(1/3)). With w₁ = ∞ the weights are exact.
public struct BesselWeights: Sendable, Hashable {
  /// w₁: start of the blend into phase-averaged weights; `.infinity` for exact weights.
  public let averagingThreshold: Double

  public init(averagingThreshold: Double = 40) {
    self.averagingThreshold = averagingThreshold
  }

  /// J_n(w) for any integer n (J_{−n} = (−1)^n J_n).
  @inlinable public static func besselJ(_ n: Int, _ w: Double) -> Double {
    switch n {
    case 0: return j0(w)
    case 1: return j1(w)
    case -1: return -j1(w)
    default: return jn(Int32(n), w)
    }
  }

  /// Where the blend into phase-averaged weights starts for harmonic m = |n|: w₁ = max(threshold,
  /// 10m²) for m ≤ 2 (Hankel expansion), max(threshold, m + 10m^(1/3)) for m > 2 (WKB, valid
  /// for w − m ≫ m^(1/3)); infinite when the threshold is.
  @inlinable @inline(__always) public func averagingOnset(harmonic m: Int) -> Double {
    guard averagingThreshold.isFinite else { return .infinity }
    let n = Double(m)
    return m <= 2 ? max(averagingThreshold, 10 * n * n) : max(averagingThreshold, n + 10 * cbrt(n))
  }

  /// Where the blend ends: 2w₁ for m ≤ 2, w₁ + 40 (≈ 13 periods) for m > 2.
  @inlinable @inline(__always) public func averagingEnd(harmonic m: Int) -> Double {
    let onset = averagingOnset(harmonic: m)
    return m <= 2 ? 2 * onset : onset + 40
  }

  /// (Alfvén weight (nJ_n/w)², pseudo weight J_n′²) for harmonic n at argument w ≥ 0.
  @inlinable @inline(__always) public func weights(harmonic n: Int, argument w: Double) -> (alfven: Double, pseudo: Double) {
    let m = abs(n)
    let onset = averagingOnset(harmonic: m)
    if w > onset {
      let average = Self.averagedWeights(harmonic: m, argument: w)
      let end = averagingEnd(harmonic: m)
      if w >= end { return average }
      let exact = Self.exactWeights(harmonic: m, argument: w)
      let s = Self.quarterSine((w - onset) / (end - onset))
      let blend = s * s
      return (
        exact.alfven * (1 - blend) + average.alfven * blend,
        exact.pseudo * (1 - blend) + average.pseudo * blend
      )
    }
    return Self.exactWeights(harmonic: m, argument: w)
  }

  /// sin(πf/2) for 0 ≤ f ≤ 1 by Taylor polynomials on [0, π/4] (sin) and [π/4, π/2] (cos of
  /// the complement), truncation < 1e-16: the blend ramp's libm sin was ≈ 5 % of a D(R) curve.
  @inlinable @inline(__always) static func quarterSine(_ f: Double) -> Double {
    if f <= 0.5 {
      let x = Double.pi / 2 * f
      let x2 = x * x
      var p = -1.0 / 1_307_674_368_000
      p = p * x2 + 1.0 / 6_227_020_800
      p = p * x2 - 1.0 / 39_916_800
      p = p * x2 + 1.0 / 362_880
      p = p * x2 - 1.0 / 5_040
      p = p * x2 + 1.0 / 120
      p = p * x2 - 1.0 / 6
      return x + x * x2 * p
    }
    let y = Double.pi / 2 * (1 - f)
    let y2 = y * y
    var q = 1.0 / 6_402_373_705_728_000
    q = q * y2 - 1.0 / 20_922_789_888_000
    q = q * y2 + 1.0 / 87_178_291_200
    q = q * y2 - 1.0 / 479_001_600
    q = q * y2 + 1.0 / 3_628_800
    q = q * y2 - 1.0 / 40_320
    q = q * y2 + 1.0 / 720
    q = q * y2 - 1.0 / 24
    q = q * y2 + 0.5
    return 1 - y2 * q
  }

  /// Exact weights for m = |n| ≥ 0: from `ExactWeightTable` for m ≤ 2 and 1/2 ≤ w < 100 (cubic
  /// interpolation, absolute error ≲ 1e-11), else from the C library (below w = 1/2 the
  /// weights ∝ w^(2m−2)… are small and need relative accuracy, which the C library's series give).
  @inlinable @inline(__always) public static func exactWeights(harmonic m: Int, argument w: Double) -> (alfven: Double, pseudo: Double) {
    if m <= 2, w >= ExactWeightTable.start, w < ExactWeightTable.range {
      return ExactWeightTable.shared.weights(harmonic: m, argument: w)
    }
    return libraryWeights(harmonic: m, argument: w)
  }

  /// Exact weights for m = |n| ≥ 0 from the C library's j0, j1, jn.
  @inlinable public static func libraryWeights(harmonic m: Int, argument w: Double) -> (alfven: Double, pseudo: Double) {
    if m == 0 {
      let j = j1(w)
      return (0, j * j)
    }
    let lower: Double
    let upper: Double
    if m == 1 {
      let a = j0(w)
      let b = j1(w)
      lower = a
      // J_2 = 2J_1/w − J_0; for w → 0 use the series to avoid cancellation.
      upper = w < 1e-3 ? w * w / 8 * (1 - w * w / 12) : 2 * b / w - a
    } else {
      lower = jn(Int32(m - 1), w)
      upper = jn(Int32(m + 1), w)
    }
    let plus = (lower + upper) / 2
    let minus = (lower - upper) / 2
    return (plus * plus, minus * minus)
  }

  /// Exact weights for every m = 0 … `upTo` at one argument w ≥ 0, in O(upTo) work: J_{upTo+1} and
  /// J_{upTo} from the C library, J_{m−1} = (2m/w)J_m − J_{m+1} downwards (the stable direction
  /// for J at every m). Where those two underflow or w < 10⁻³, each m comes from
  /// `libraryWeights` instead. Agrees with `libraryWeights` to 1e-11 relative (tested).
  public static func exactWeightSequence(upTo top: Int, argument w: Double) -> [(alfven: Double, pseudo: Double)] {
    precondition(top >= 0)
    let upper = jn(Int32(top + 1), w), lower = besselJ(top, w)
    guard w >= 1e-3, abs(upper) >= 1e-290, abs(lower) >= 1e-290 else {
      return (0...top).map { libraryWeights(harmonic: $0, argument: w) }
    }
    var j = [Double](repeating: 0, count: top + 2)  // J_0 … J_{top+1}
    j[top + 1] = upper
    j[top] = lower
    var m = top
    while m >= 1 {
      j[m - 1] = 2 * Double(m) / w * j[m] - j[m + 1]
      m -= 1
    }
    return (0...top).map { m in
      let below = m == 0 ? -j[1] : j[m - 1]
      let plus = (below + j[m + 1]) / 2, minus = (below - j[m + 1]) / 2
      return (plus * plus, minus * minus)
    }
  }

  /// Phase-averaged weights: for m ≤ 2 the Hankel forms ⟨J_m²⟩ = (1 + (4m² − 1)/(8w²))/(πw),
  /// ⟨J_m′²⟩ = (1 − (4m² − 3)/(8w²))/(πw); for m > 2 the WKB (Debye) forms
  /// ⟨J_m²⟩ = 1/(π√(w² − m²)), ⟨J_m′²⟩ = √(w² − m²)/(πw²), for w > m.
  @inlinable @inline(__always) public static func averagedWeights(harmonic m: Int, argument w: Double) -> (alfven: Double, pseudo: Double) {
    let n2 = Double(m * m)
    let w2 = w * w
    if m > 2 {
      let root = (w2 - n2).squareRoot()
      return (n2 / w2 / (Double.pi * root), root / (Double.pi * w2))
    }
    let inverse = 1 / (Double.pi * w)
    let squared = inverse * (1 + (4 * n2 - 1) / (8 * w2))
    let derivative = inverse * (1 - (4 * n2 - 3) / (8 * w2))
    return (n2 / w2 * squared, derivative)
  }
}

/// The exact Bessel weights of harmonics 0, 1, 2 tabulated on 0 ≤ w < 100 (step 1/256) and
/// interpolated with 4-point (cubic) Lagrange: the QLT integrands call them millions of times
/// per D_μμ, and two C-library Bessel calls (sincos inside for w > 2) cost far more than a
/// look-up. Interpolation error ≲ h⁴|f⁗|/24 ≈ 1e-11 absolute (the weights are ≤ 1/4 with
/// derivatives of order one). Absolute, not relative: `BesselWeights` uses it only for
/// w ≥ `start`, where that is negligible against the weights' envelope.
public struct ExactWeightTable: Sendable {
  public static let start = 0.5
  public static let range = 100.0
  @usableFromInline static let step = 1.0 / 256
  /// Entries per harmonic m = 0, 1, 2 (`count` each), (Alfvén, pseudo) interleaved in one flat
  /// array: one buffer and one cache line per look-up instead of two nested arrays.
  @usableFromInline let entries: [Double]
  @usableFromInline let count: Int

  public static let shared = ExactWeightTable()

  init() {
    count = Int(Self.range / Self.step) + 4
    var e = [Double]()
    e.reserveCapacity(6 * count)
    for m in 0...2 {
      // Entries at w = (j − 1) h, j = 0 … count − 1 (one ghost point below 0, mirrored: the
      // weights are even in w).
      for j in 0..<count {
        let w = abs(Double(j - 1) * Self.step)
        let v = BesselWeights.libraryWeights(harmonic: m, argument: w)
        e.append(v.alfven)
        e.append(v.pseudo)
      }
    }
    entries = e
  }

  /// Weights of harmonic m ≤ 2 at 0 ≤ w < `range`.
  @inlinable @inline(__always) public func weights(harmonic m: Int, argument w: Double) -> (alfven: Double, pseudo: Double) {
    let x = w / Self.step
    let i = Int(x)
    let t = x - Double(i)
    // Nodes i − 1, i, i + 1, i + 2 ↔ entries i, i + 1, i + 2, i + 3.
    let c0 = -t * (t - 1) * (t - 2) / 6
    let c1 = (t + 1) * (t - 1) * (t - 2) / 2
    let c2 = -(t + 1) * t * (t - 2) / 2
    let c3 = (t + 1) * t * (t - 1) / 6
    return entries.withUnsafeBufferPointer { e in
      let b = 2 * (m * count + i)
      return (
        c0 * e[b] + c1 * e[b + 2] + c2 * e[b + 4] + c3 * e[b + 6],
        c0 * e[b + 1] + c1 * e[b + 3] + c2 * e[b + 5] + c3 * e[b + 7]
      )
    }
  }
}
