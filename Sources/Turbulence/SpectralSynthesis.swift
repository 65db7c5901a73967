import LarmorCore

/// What synthesis knows about the field it made, besides the field itself.
public struct SynthesisReport: Sendable {
  /// Σ_k ⟨|B_k|²⟩ over the grid's retained modes for the spectrum as specified, in B₀²
  /// (compare with σ²: the discreteness of the finite box).
  public let discreteExpectedVariance: Double
  /// The factor applied to the drawn coefficients to reach the requested normalization.
  public let scale: Double
  /// max over filled modes of |k·B_k| / (|k||B_k|), from the float32 coefficients handed to FFTW.
  public let maximumDivergenceRatio: Double
  /// Retained modes with non-zero power (counting k and −k separately).
  public let modeCount: Int
}

/// FFTW synthesis of a Gaussian, divergence-free, periodic field from a `FieldSpec`
/// (PHYSICS.md §2.2).
///
/// For each retained Fourier mode k of the half space FFTW stores, two complex Gaussians
/// a_A, a_θ with ⟨|a|²⟩ = 1 are drawn from the stream keyed by (seed, .fieldMode, mode index), and
/// B_k = √(P_A Δk³) a_A ê_A + √(P_θ Δk³) a_θ ê_θ. The DC mode and every Nyquist index are zero;
/// in the k_z = 0 plane only one of each ±k pair is drawn and the conjugate *vector* is written
/// into its partner (ê_A(−k) = −ê_A(k), so drawing partners separately would break reality).
/// Each component is then transformed in place (c2r, float32) and the result scaled to δB_rms/B₀.
/// Memory: 12 bytes per cell plus the padding of FFTW's in-place layout.
public enum SpectralSynthesis {
  /// Synthesizes `spec` using `threads` threads for the fill and for the three component transforms
  /// (each single-threaded, so the field is bitwise the same for every thread count).
  public static func synthesize(_ spec: FieldSpec, threads: Int = 1) -> (field: GridField, report: SynthesisReport) {
    let n = spec.geometry.counts
    let transform = RealTransform3D(counts: n)
    let buffers = (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(n)) }
    let partial = fill(spec, into: buffers, threads: threads)

    transform.inverse(buffers, threads: threads)

    let scale: Double
    switch spec.normalization {
    case .expectedVariance:
      scale = partial.variance > 0 ? spec.spectrum.turbulenceLevel / partial.variance.squareRoot() : 0
    case .realizedRMS:
      let realized = meanSquare(buffers, counts: n, threads: threads)
      scale = realized > 0 ? spec.spectrum.turbulenceLevel / realized.squareRoot() : 0
    }
    rescale(buffers, by: scale, threads: threads)

    let field = GridField(
      geometry: spec.geometry, meanField: Vec3(0, 0, 1), components: (buffers[0], buffers[1], buffers[2]), threads: threads)
    let report = SynthesisReport(
      discreteExpectedVariance: partial.variance, scale: scale,
      maximumDivergenceRatio: partial.divergence, modeCount: partial.modes)
    return (field, report)
  }

  /// Writes the half-complex coefficients of all three components. Work is split over x-rows;
  /// a row writes its own entries and, in the k_z = 0 plane, the Hermitian partners of its
  /// canonical modes, which no other row writes.
  static func fill(_ spec: FieldSpec, into buffers: [AlignedFloatBuffer], threads: Int)
    -> (variance: Double, divergence: Double, modes: Int)
  {
    let n = spec.geometry.counts
    let nzc = n.z / 2 + 1
    let Δk = spec.geometry.wavenumberSpacing
    let spectrum = spec.spectrum
    let seed = spec.seed
    let (px, py, pz) = (SendablePointer(buffers[0].pointer), SendablePointer(buffers[1].pointer), SendablePointer(buffers[2].pointer))
    let variance = PartialSums(count: n.x)
    let divergence = PartialSums(count: n.x)
    let modes = PartialSums(count: n.x)
    do {
      parallelFor(n.x, threads: threads) { ix in
        let mx = GridGeometry.signedIndex(ix, points: n.x)
        for iy in 0..<n.y {
          let my = GridGeometry.signedIndex(iy, points: n.y)
          for l in 0..<nzc {
            let slot = 2 * ((ix * n.y + iy) * nzc + l)
            let retained = GridGeometry.isRetained(mx, points: n.x) && GridGeometry.isRetained(my, points: n.y)
              && GridGeometry.isRetained(l, points: n.z) && !(mx == 0 && my == 0 && l == 0)
            let canonical = l > 0 || mx > 0 || (mx == 0 && my > 0)
            if retained && !canonical { continue }  // written by its partner's row
            let k = Vec3(Double(mx) * Δk.x, Double(my) * Δk.y, Double(l) * Δk.z)
            let power = retained ? spectrum.modeVariance(at: k, spacing: Δk) : .zero
            guard power.total > 0 else {
              // Zero this entry and, in the k_z = 0 plane, its partner (which skips itself above).
              let partner = l == 0 ? 2 * ((((n.x - ix) % n.x) * n.y + (n.y - iy) % n.y) * nzc) : slot
              px.store(0, 0, at: slot)
              py.store(0, 0, at: slot)
              pz.store(0, 0, at: slot)
              px.store(0, 0, at: partner)
              py.store(0, 0, at: partner)
              pz.store(0, 0, at: partner)
              continue
            }
            var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: UInt64(slot / 2))
            let (g1, g2) = rng.nextNormalPair()
            let (g3, g4) = rng.nextNormalPair()
            let amplitudeA = (power.alfven / 2).squareRoot()
            let amplitudeθ = (power.pseudo / 2).squareRoot()
            let basis = polarizationBasis(k)
            let re = basis.alfven * (amplitudeA * g1) + basis.pseudo * (amplitudeθ * g3)
            let im = basis.alfven * (amplitudeA * g2) + basis.pseudo * (amplitudeθ * g4)
            let stored = (SIMD3<Float>(re), SIMD3<Float>(im))
            px.store(stored.0.x, stored.1.x, at: slot)
            py.store(stored.0.y, stored.1.y, at: slot)
            pz.store(stored.0.z, stored.1.z, at: slot)
            if l == 0 {
              let partner = 2 * ((((n.x - ix) % n.x) * n.y + (n.y - iy) % n.y) * nzc)
              px.store(stored.0.x, -stored.1.x, at: partner)
              py.store(stored.0.y, -stored.1.y, at: partner)
              pz.store(stored.0.z, -stored.1.z, at: partner)
            }
            // Both halves of k-space: this mode and its conjugate partner.
            variance.add(2 * power.total, at: ix)
            modes.add(2, at: ix)
            let storedRe = Vec3(stored.0), storedIm = Vec3(stored.1)
            let norm = (storedRe.dot(storedRe) + storedIm.dot(storedIm)).squareRoot() * k.length
            let kDotB = (k.dot(storedRe) * k.dot(storedRe) + k.dot(storedIm) * k.dot(storedIm)).squareRoot()
            if norm > 0 { divergence.raise(to: kDotB / norm, at: ix) }
          }
        }
      }
    }
    return (variance.orderedSum, divergence.maximum, Int(modes.orderedSum))
  }

  /// ⟨|δb|²⟩ over the grid (unpadded cells), summed per x-row in row order.
  static func meanSquare(_ buffers: [AlignedFloatBuffer], counts n: SIMD3<Int>, threads: Int) -> Double {
    let stride = 2 * (n.z / 2 + 1)
    let sums = PartialSums(count: n.x)
    let pointers = buffers.map { SendablePointer($0.pointer) }
    parallelFor(n.x, threads: threads) { ix in
      var s = 0.0
      for p in pointers {
        for iy in 0..<n.y {
          let row = (ix * n.y + iy) * stride
          for iz in 0..<n.z { let v = Double(p.base[row + iz]); s += v * v }
        }
      }
      sums.add(s, at: ix)
    }
    return sums.orderedSum / Double(n.x * n.y * n.z)
  }

  /// Multiplies every stored value by `scale` (padding included; it is never read).
  static func rescale(_ buffers: [AlignedFloatBuffer], by scale: Double, threads: Int) {
    let factor = Float(scale)
    for buffer in buffers {
      let p = SendablePointer(buffer.pointer)
      let count = buffer.count
      let chunk = 1 << 16
      parallelFor((count + chunk - 1) / chunk, threads: threads) { c in
        for i in (c * chunk)..<min(count, (c + 1) * chunk) { p.base[i] *= factor }
      }
    }
  }
}

