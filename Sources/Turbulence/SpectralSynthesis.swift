import FieldStorage
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
/// (docs/physics.md §2.2).
///
/// For each retained Fourier mode k of the half space FFTW stores, two complex Gaussians
/// a_A, a_θ with ⟨|a|²⟩ = 1 are drawn from the stream keyed by (seed, .fieldMode, mode index), and
/// B_k = √(P_A Δk³) a_A ê_A + √(P_θ Δk³) a_θ ê_θ. The DC mode and every Nyquist index are zero;
/// in the k_z = 0 plane only one of each ±k pair is drawn and the conjugate *vector* is written
/// into its partner (ê_A(−k) = −ê_A(k), so drawing partners separately would break reality).
/// The three components are then transformed (c2r, float32) in place in the field's own node
/// buffer, which receives b_x b_y b_z per node directly (`NodeLayoutInverseTransform`), and scaled
/// to δB_rms/B₀. Memory: the field's 12 bytes per cell, plus 24 bytes per (x, y) row for the
/// k_z = 0 plane and a few kB of scratch per thread.
public enum SpectralSynthesis {
  /// Synthesizes `spec` using `threads` threads for the fill and the transform (which runs
  /// single-threaded FFTW plans on a fixed split of the grid, so the field is bitwise the same for
  /// every thread count).
  public static func synthesize(_ spec: FieldSpec, threads: Int = 1) -> (field: GridField, report: SynthesisReport) {
    let n = spec.geometry.counts
    let nodes = GridField.makeNodeBuffer(cells: spec.geometry.cellCount)
    let transform = NodeLayoutInverseTransform(counts: n, nodes: nodes, threads: threads)
    // Each x-plane is transformed along y as soon as it is filled, while it is in cache.
    let partial = fill(spec, into: transform, threads: threads) { transform.transformAlongY(plane: $1, worker: $0) }
    transform.transformZeroPlane()
    parallelForWorkers(n.y, threads: threads) { transform.transformAlongX(row: $1, worker: $0) }

    let scale: Double
    switch spec.normalization {
    case .expectedVariance:
      scale = partial.variance > 0 ? spec.spectrum.turbulenceLevel / partial.variance.squareRoot() : 0
      let factor = Float(scale)
      parallelForWorkers(n.x, threads: threads) { transform.transformAlongZ(plane: $1, worker: $0, scale: factor) }
    case .realizedRMS:
      parallelForWorkers(n.x, threads: threads) { transform.transformAlongZ(plane: $1, worker: $0, scale: 1) }
      let realized = meanSquare(nodes, counts: n, threads: threads)
      scale = realized > 0 ? spec.spectrum.turbulenceLevel / realized.squareRoot() : 0
      rescale(nodes, count: 3 * spec.geometry.cellCount, by: scale, threads: threads)
    }
    withExtendedLifetime(transform) {}

    let field = GridField(geometry: spec.geometry, meanField: Vec3(0, 0, 1), nodes: nodes)
    let report = SynthesisReport(
      discreteExpectedVariance: partial.variance, scale: scale,
      maximumDivergenceRatio: partial.divergence, modeCount: partial.modes)
    return (field, report)
  }

  /// Writes the half-complex coefficients of all three components in `transform`'s layout (k_z
  /// index l ≥ 1 in the rows of the node buffer, l = 0 in its zero plane; the Nyquist plane is
  /// not stored) and calls `afterPlane(worker, ix)` when x-plane ix is complete. Work is split over
  /// x-planes; a plane writes its own entries and, in the k_z = 0 plane, the Hermitian partners of
  /// its canonical modes, which no other plane writes. The stream of mode (ix, iy, l) is keyed by
  /// its index in FFTW's half-complex order, (ix N_y + iy)(N_z/2 + 1) + l.
  static func fill(
    _ spec: FieldSpec, into transform: NodeLayoutInverseTransform, threads: Int,
    afterPlane: @Sendable (_ worker: Int, _ plane: Int) -> Void = { _, _ in }
  ) -> (variance: Double, divergence: Double, modes: Int) {
    let n = spec.geometry.counts
    let nzc = n.z / 2 + 1
    let lastIndex = transform.lastIndex
    let Δk = spec.geometry.wavenumberSpacing
    let spectrum = spec.spectrum
    let seed = spec.seed
    let (rows, zeroPlane) = (SendablePointer(transform.nodes), SendablePointer(transform.zeroPlane.pointer))
    let variance = PartialSums(count: n.x)
    let divergence = PartialSums(count: n.x)
    let modes = PartialSums(count: n.x)
    do {
      parallelForWorkers(n.x, threads: threads) { worker, ix in
        let mx = GridGeometry.signedIndex(ix, points: n.x)
        for iy in 0..<n.y {
          let my = GridGeometry.signedIndex(iy, points: n.y)
          let row = ix * n.y + iy
          let partnerRow = ((n.x - ix) % n.x) * n.y + (n.y - iy) % n.y
          for l in 0...lastIndex {
            // Where (re, im) of b_x goes; b_y and b_z follow at +2, +4.
            let (p, slot) = l == 0 ? (zeroPlane, 6 * row) : (rows, 3 * n.z * row + 6 * (l - 1))
            let retained = GridGeometry.isRetained(mx, points: n.x) && GridGeometry.isRetained(my, points: n.y)
              && !(mx == 0 && my == 0 && l == 0)
            let canonical = l > 0 || mx > 0 || (mx == 0 && my > 0)
            if retained && !canonical { continue }  // written by its partner's row
            let k = Vec3(Double(mx) * Δk.x, Double(my) * Δk.y, Double(l) * Δk.z)
            let power = retained ? spectrum.modeVariance(at: k, spacing: Δk) : .zero
            guard power.total > 0 else {
              // Zero this entry and, in the k_z = 0 plane, its partner (which skips itself above).
              p.store(SIMD3<Float>.zero, .zero, at: slot)
              if l == 0 { p.store(SIMD3<Float>.zero, .zero, at: 6 * partnerRow) }
              continue
            }
            var rng = SplitMix64(seed: seed, purpose: .fieldMode, index: UInt64(row * nzc + l))
            let (g1, g2) = rng.nextNormalPair()
            let (g3, g4) = rng.nextNormalPair()
            let amplitudeA = (power.alfven / 2).squareRoot()
            let amplitudeθ = (power.pseudo / 2).squareRoot()
            let basis = polarizationBasis(k)
            let re = basis.alfven * (amplitudeA * g1) + basis.pseudo * (amplitudeθ * g3)
            let im = basis.alfven * (amplitudeA * g2) + basis.pseudo * (amplitudeθ * g4)
            let stored = (SIMD3<Float>(re), SIMD3<Float>(im))
            p.store(stored.0, stored.1, at: slot)
            if l == 0 { p.store(stored.0, -stored.1, at: 6 * partnerRow) }
            // Both halves of k-space: this mode and its conjugate partner.
            variance.add(2 * power.total, at: ix)
            modes.add(2, at: ix)
            let storedRe = Vec3(stored.0), storedIm = Vec3(stored.1)
            let norm = (storedRe.dot(storedRe) + storedIm.dot(storedIm)).squareRoot() * k.length
            let kDotB = (k.dot(storedRe) * k.dot(storedRe) + k.dot(storedIm) * k.dot(storedIm)).squareRoot()
            if norm > 0 { divergence.raise(to: kDotB / norm, at: ix) }
          }
        }
        afterPlane(worker, ix)
      }
    }
    return (variance.orderedSum, divergence.maximum, Int(modes.orderedSum))
  }

  /// ⟨|δb|²⟩ over the grid, summed per x-plane (b_x, then b_y, then b_z) in plane order.
  static func meanSquare(_ nodes: AlignedFloatBuffer, counts n: SIMD3<Int>, threads: Int) -> Double {
    let sums = PartialSums(count: n.x)
    let p = SendablePointer(nodes.pointer)
    parallelFor(n.x, threads: threads) { ix in
      var s = 0.0
      for c in 0..<3 {
        for iy in 0..<n.y {
          let row = 3 * (ix * n.y + iy) * n.z + c
          for iz in 0..<n.z { let v = Double(p.base[row + 3 * iz]); s += v * v }
        }
      }
      sums.add(s, at: ix)
    }
    return sums.orderedSum / Double(n.x * n.y * n.z)
  }

  /// Multiplies the first `count` values by `scale`.
  static func rescale(_ buffer: AlignedFloatBuffer, count: Int, by scale: Double, threads: Int) {
    let factor = Float(scale)
    let p = SendablePointer(buffer.pointer)
    let chunk = 1 << 16
    parallelFor((count + chunk - 1) / chunk, threads: threads) { c in
      for i in (c * chunk)..<min(count, (c + 1) * chunk) { p.base[i] *= factor }
    }
  }
}
