/// The measured power of a grid field's Fourier modes, grouped as the finite-time QLT mode sum
/// takes them: group (i, j, l) holds the modes (±k_x, ±k_y, k_∥) with k_x = iΔk_x, k_y = jΔk_y,
/// k_∥ = lΔk_z (i, j ≥ 0), whose contributions depend on k only through k_⊥ and k_∥. Each group
/// stores the mean power per mode along ê_A and ê_θ (`polarizationBasis`), in B₀², so that
/// Σ over groups of multiplicity × (alfven + pseudo) is ⟨|δb|²⟩ without the k = 0 and Nyquist modes.
///
/// This is QLT on a measured spectrum: the modes' own powers replace a spectrum's expected
/// variances (`TurbulenceSpectrum.modeVariance`). Cross terms between the two polarizations (a
/// magnetic helicity) are not kept, as in QLT for reflection-symmetric turbulence.
public struct ModePowerTable: Sendable, Equatable {
  public let geometry: GridGeometry
  /// Largest retained index per axis, (N − 1)/2.
  public let largest: SIMD3<Int>
  public private(set) var alfven: [Double]
  public private(set) var pseudo: [Double]

  public init(geometry: GridGeometry) {
    self.geometry = geometry
    largest = SIMD3(
      GridGeometry.largestIndex(points: geometry.counts.x), GridGeometry.largestIndex(points: geometry.counts.y),
      GridGeometry.largestIndex(points: geometry.counts.z))
    let count = (largest.x + 1) * (largest.y + 1) * (2 * largest.z + 1)
    alfven = [Double](repeating: 0, count: count)
    pseudo = alfven
  }

  /// The expected power (B₀² per mode) of `spectrum`'s modes on `geometry` (no random draw): each group holds
  /// `spectrum.modeVariance` at its k, what a field synthesized from the spectrum has on average.
  public init(expectedVariancesOf spectrum: TurbulenceSpectrum, on geometry: GridGeometry) {
    self.init(geometry: geometry)
    let Δk = geometry.wavenumberSpacing
    for i in 0...largest.x {
      for j in 0...largest.y {
        for l in -largest.z...largest.z {
          let v = spectrum.modeVariance(at: Vec3(Double(i) * Δk.x, Double(j) * Δk.y, Double(l) * Δk.z), spacing: Δk)
          let g = index(i, j, l)
          (alfven[g], pseudo[g]) = (v.alfven, v.pseudo)
        }
      }
    }
  }

  /// The flat index of group (i ≥ 0, j ≥ 0, l).
  @inlinable public func index(_ i: Int, _ j: Int, _ l: Int) -> Int { (i * (largest.y + 1) + j) * (2 * largest.z + 1) + l + largest.z }

  /// Modes in group (i, j, ·): (i > 0 ? 2 : 1)(j > 0 ? 2 : 1).
  @inlinable public static func multiplicity(_ i: Int, _ j: Int) -> Int { (i > 0 ? 2 : 1) * (j > 0 ? 2 : 1) }

  /// Mean power per mode of group (i, j, l), B₀².
  @inlinable public func variance(_ i: Int, _ j: Int, _ l: Int) -> (alfven: Double, pseudo: Double) {
    let g = index(i, j, l)
    return (alfven[g], pseudo[g])
  }

  /// Adds the power of one mode of group (i, j, l); `finish` turns the sums into means.
  public mutating func add(_ i: Int, _ j: Int, _ l: Int, alfven a: Double, pseudo p: Double) {
    let g = index(i, j, l)
    alfven[g] += a
    pseudo[g] += p
  }

  /// Divides every group's sums by its multiplicity.
  public mutating func finish() {
    for i in 0...largest.x {
      for j in 0...largest.y {
        let m = Double(Self.multiplicity(i, j))
        for l in -largest.z...largest.z {
          let g = index(i, j, l)
          alfven[g] /= m
          pseudo[g] /= m
        }
      }
    }
  }

  /// The mean of several tables of one geometry (realizations), in their order.
  public static func mean(_ tables: [ModePowerTable]) -> ModePowerTable {
    precondition(!tables.isEmpty && tables.allSatisfy { $0.geometry == tables[0].geometry })
    var out = ModePowerTable(geometry: tables[0].geometry)
    let n = Double(tables.count)
    for g in out.alfven.indices {
      out.alfven[g] = tables.reduce(0) { $0 + $1.alfven[g] } / n
      out.pseudo[g] = tables.reduce(0) { $0 + $1.pseudo[g] } / n
    }
    return out
  }

  /// Σ multiplicity × (alfven + pseudo), B₀².
  public var variance: Double {
    var sum = 0.0
    for i in 0...largest.x {
      for j in 0...largest.y {
        for l in -largest.z...largest.z { sum += Double(Self.multiplicity(i, j)) * (alfven[index(i, j, l)] + pseudo[index(i, j, l)]) }
      }
    }
    return sum
  }
}
