/// A periodic box sampled by a regular grid, in code units (lengths in L).
///
/// Index order is C order [ix][iy][iz] with z (the B₀ direction) fastest, matching the HDF5
/// layout and FFTW's real-to-complex layout, whose halved last dimension is z.
public struct GridGeometry: Sendable, Hashable {
  /// Grid points per axis (N_x, N_y, N_z); an axis may have one point (a slab field is 1×1×N_z).
  public let counts: SIMD3<Int>
  /// Box side per axis, in L.
  public let boxSize: Vec3

  public init(counts: SIMD3<Int>, boxSize: Vec3) {
    self.counts = counts
    self.boxSize = boxSize
  }

  /// N_x N_y N_z.
  public var cellCount: Int { counts.x * counts.y * counts.z }

  /// Grid spacing Δx_i = L_box,i / N_i, in L.
  public var cellSize: Vec3 { boxSize / Vec3(Double(counts.x), Double(counts.y), Double(counts.z)) }

  /// Fourier spacing Δk_i = 2π / L_box,i, in 1/L.
  public var wavenumberSpacing: Vec3 { 2 * Double.pi / boxSize }

  /// Largest |index| kept on an axis of n points: indices with |m| = n/2 (Nyquist) are dropped.
  @inlinable public static func largestIndex(points n: Int) -> Int { (n - 1) / 2 }

  /// Nyquist wavenumber π/Δx_i per axis (0 for an axis with one point).
  public var nyquistWavenumber: Vec3 {
    Vec3(
      counts.x > 1 ? Double.pi / cellSize.x : 0,
      counts.y > 1 ? Double.pi / cellSize.y : 0,
      counts.z > 1 ? Double.pi / cellSize.z : 0)
  }

  /// The signed Fourier index of storage index i on an axis of n points (FFTW order).
  @inlinable public static func signedIndex(_ i: Int, points n: Int) -> Int { i <= n / 2 ? i : i - n }

  /// True if signed index m on an axis of n points is kept (not a Nyquist index).
  @inlinable public static func isRetained(_ m: Int, points n: Int) -> Bool { abs(m) <= largestIndex(points: n) }

  /// Expected variance Σ_k ⟨|B_k|²⟩ of `spectrum` over every retained mode of this grid (both
  /// halves of k-space), in B₀². Compare with spectrum.variance to see the discreteness of a
  /// finite box (docs/physics.md §2.2 item 6, trap 5).
  public func expectedVariance(of spectrum: TurbulenceSpectrum) -> Double {
    let Δk = wavenumberSpacing
    var sum = 0.0
    let (mx, my, mz) = (Self.largestIndex(points: counts.x), Self.largestIndex(points: counts.y), Self.largestIndex(points: counts.z))
    for i in -mx...mx {
      for j in -my...my {
        for l in -mz...mz {
          let k = Vec3(Double(i) * Δk.x, Double(j) * Δk.y, Double(l) * Δk.z)
          sum += spectrum.modeVariance(at: k, spacing: Δk).total
        }
      }
    }
    return sum
  }
}
