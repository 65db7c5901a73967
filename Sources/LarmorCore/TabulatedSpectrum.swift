/// A spectrum given as numbers rather than a formula: the power of δb per polarization in cells
/// of (k_⊥, |k_∥|), for turbulence that was measured (a snapshot's modes, a decomposed part) or
/// computed elsewhere (docs/physics.md §2.3).
///
/// Cell (i, j) spans k_⊥ ∈ [perpendicularEdges[i], perpendicularEdges[i+1]) and
/// |k_∥| ∈ [parallelEdges[j], parallelEdges[j+1]) (both signs of k_∥), in 1/L. `alfven[i][j]` and
/// `pseudo[i][j]` are the variances ⟨|δb|²⟩ of the cell's modes along ê_A and ê_θ, in B₀². Each
/// cell's mean density per d³k is its variance over its volume 2π(k_⊥,₂² − k_⊥,₁²)(k_∥,₂ − k_∥,₁);
/// the density is constant across a cell in k_⊥ (QLT integrates over k_⊥) and linear in |k_∥|
/// between cell centres (QLT evaluates it at the resonant k_∥, where a step would make an error
/// of first order in the cell width: 15% for 100 cells over four decades of a k^(−11/3)
/// spectrum, against 2.6% with the interpolation, which converges as the width squared).
/// Reflection symmetry is assumed: k_∥ and −k_∥ carry the same power, and no magnetic helicity.
public struct TabulatedSpectrum: Sendable, Hashable {
  public let perpendicularEdges: [Double]
  public let parallelEdges: [Double]
  /// Variance per cell along ê_A and ê_θ, [k_⊥ cell][k_∥ cell], B₀².
  public let alfven: [[Double]]
  public let pseudo: [[Double]]
  /// Density per d³k per cell (variance / cell volume), flat [i · parallel cells + j].
  @usableFromInline let alfvenDensity: [Double]
  @usableFromInline let pseudoDensity: [Double]
  /// ln of the positive k_⊥ edges: the breaks of QLT's k_⊥ quadrature, computed once.
  public let logPerpendicularEdges: [Double]

  /// - Throws: `SpectrumError` naming the key for edges that are not ascending, non-finite or
  ///   negative values, or tables of the wrong shape.
  public init(perpendicularEdges: [Double], parallelEdges: [Double], alfven: [[Double]], pseudo: [[Double]])
    throws(SpectrumError)
  {
    for (key, edges) in [("k_perp_edges", perpendicularEdges), ("k_par_edges", parallelEdges)] {
      guard edges.count >= 2 else { throw SpectrumError(key: key, "needs at least two edges, got \(edges.count)") }
      guard edges.allSatisfy({ $0.isFinite }), edges[0] >= 0 else {
        throw SpectrumError(key: key, "edges must be finite and ≥ 0 (1/L), got \(edges)")
      }
      for (a, b) in zip(edges, edges.dropFirst()) where !(b > a) {
        throw SpectrumError(key: key, "edges must be strictly ascending, got \(a) then \(b)")
      }
    }
    let (np, nq) = (perpendicularEdges.count - 1, parallelEdges.count - 1)
    for (key, table) in [("alfven", alfven), ("pseudo", pseudo)] {
      guard table.count == np, table.allSatisfy({ $0.count == nq }) else {
        throw SpectrumError(key: key, "must be \(np) rows (k_perp cells) of \(nq) values (k_par cells)")
      }
      for (i, row) in table.enumerated() {
        if let j = row.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
          throw SpectrumError(key: key, "variances must be finite and ≥ 0, got \(row[j]) in cell [\(i)][\(j)]")
        }
      }
    }
    self.perpendicularEdges = perpendicularEdges
    self.parallelEdges = parallelEdges
    self.alfven = alfven
    self.pseudo = pseudo
    var a = [Double](), p = [Double]()
    for i in 0..<np {
      for j in 0..<nq {
        let volume = Self.cellVolume(perpendicularEdges[i], perpendicularEdges[i + 1], parallelEdges[j], parallelEdges[j + 1])
        a.append(alfven[i][j] / volume)
        p.append(pseudo[i][j] / volume)
      }
    }
    alfvenDensity = a
    logPerpendicularEdges = perpendicularEdges.filter { $0 > 0 }.map { Double.log($0) }
    pseudoDensity = p
  }

  /// The k-space volume of a cell, both signs of k_∥.
  static func cellVolume(_ p1: Double, _ p2: Double, _ q1: Double, _ q2: Double) -> Double {
    2 * Double.pi * (p2 * p2 - p1 * p1) * (q2 - q1)
  }

  /// Σ over cells of both polarizations: ⟨|δb|²⟩ of the table, B₀².
  public var variance: Double {
    zip(alfven, pseudo).reduce(0) { $0 + $1.0.reduce(0, +) + $1.1.reduce(0, +) }
  }

  /// The first positive edge of either axis (1/L): the spectrum's nominal k_min (the cells, not
  /// k_min, bound the power).
  public var smallestWavenumber: Double {
    let p = perpendicularEdges.first { $0 > 0 } ?? perpendicularEdges[1]
    let q = parallelEdges.first { $0 > 0 } ?? parallelEdges[1]
    return min(p, q)
  }

  /// The largest wavenumber of the table, √(k_⊥,max² + k_∥,max²) (1/L).
  public var largestWavenumber: Double {
    let (p, q) = (perpendicularEdges.last!, parallelEdges.last!)
    return (p * p + q * q).squareRoot()
  }

  /// The density per d³k along ê_A and ê_θ at (k_⊥, k_∥); zero outside the table.
  @inlinable public func density(perpendicular kPerp: Double, parallel kPar: Double) -> PolarizedPower {
    let q = abs(kPar)
    guard let i = Self.cell(of: kPerp, in: perpendicularEdges), let j = Self.cell(of: q, in: parallelEdges) else {
      return .zero
    }
    let cells = parallelEdges.count - 1
    let centre = (parallelEdges[j] + parallelEdges[j + 1]) / 2
    // The neighbouring centre on q's side (none beyond the first and last centres: constant there).
    let k = q < centre ? j - 1 : j + 1
    let g = i * cells + j
    guard k >= 0, k < cells else { return PolarizedPower(alfven: alfvenDensity[g], pseudo: pseudoDensity[g]) }
    let other = (parallelEdges[k] + parallelEdges[k + 1]) / 2
    let t = (q - centre) / (other - centre)
    let h = i * cells + k
    return PolarizedPower(
      alfven: (1 - t) * alfvenDensity[g] + t * alfvenDensity[h], pseudo: (1 - t) * pseudoDensity[g] + t * pseudoDensity[h])
  }

  /// The cell holding x (edges[c] ≤ x < edges[c + 1]; the last edge belongs to the last cell).
  @inlinable static func cell(of x: Double, in edges: [Double]) -> Int? {
    guard x >= edges[0], x <= edges[edges.count - 1] else { return nil }
    var (low, high) = (0, edges.count - 1)
    while high - low > 1 {
      let mid = (low + high) / 2
      if x < edges[mid] { high = mid } else { low = mid }
    }
    return low
  }
}

extension TabulatedSpectrum {
  /// A measured table binned into cells one lattice spacing wide, centred on the lattice: k_⊥
  /// edges 0, ½Δk, 3/2 Δk, … (Δk = min(Δk_x, Δk_y)) and |k_∥| edges 0, ½Δk_z, 3/2 Δk_z, …, up to
  /// the largest mode. Each cell holds the variance of the modes in it, so the table's variance is
  /// the field's (without the k = 0 and Nyquist modes).
  public init(binning table: ModePowerTable) {
    let g = table.geometry
    let Δk = g.wavenumberSpacing
    let (n, largest) = (g.counts, table.largest)
    let Δp = [Δk.x, Δk.y].filter { $0 > 0 }.min() ?? 1
    let kPerpMax = ((Double(largest.x) * Δk.x) * (Double(largest.x) * Δk.x) + (Double(largest.y) * Δk.y) * (Double(largest.y) * Δk.y))
      .squareRoot()
    let perpendicularCells = n.x == 1 && n.y == 1 ? 1 : Int((kPerpMax / Δp + 0.5).rounded(.down)) + 1
    let parallelCells = largest.z + 1
    let perpendicularEdges = [0] + (0..<perpendicularCells).map { (Double($0) + 0.5) * Δp }
    let parallelEdges = [0] + (0..<parallelCells).map { (Double($0) + 0.5) * max(Δk.z, 1e-300) }
    var a = [[Double]](repeating: [Double](repeating: 0, count: parallelCells), count: perpendicularCells)
    var p = a
    for i in 0...largest.x {
      for j in 0...largest.y {
        let kPerp = ((Double(i) * Δk.x) * (Double(i) * Δk.x) + (Double(j) * Δk.y) * (Double(j) * Δk.y)).squareRoot()
        let c = min(perpendicularCells - 1, Int((kPerp / Δp + 0.5).rounded(.down)))
        let m = Double(ModePowerTable.multiplicity(i, j))
        for l in -largest.z...largest.z {
          let v = table.variance(i, j, l)
          a[c][abs(l)] += m * v.alfven
          p[c][abs(l)] += m * v.pseudo
        }
      }
    }
    // Edges ascend and the sums are finite and ≥ 0 by construction.
    try! self.init(perpendicularEdges: perpendicularEdges, parallelEdges: parallelEdges, alfven: a, pseudo: p)
  }
}

extension TabulatedSpectrum {
  /// The table's expected variance on the modes a grid can hold, in B₀² (the table at its own
  /// amplitude): Σ density × Δk_xΔk_yΔk_z over the retained modes of `geometry` (both halves of
  /// k-space, neither k = 0 nor a Nyquist index), the sum synthesis draws from. Its ratio to
  /// `variance` is the share of the table the grid resolves: power beyond the grid's Nyquist
  /// wavenumbers or below its fundamental is not on the grid. The density depends on
  /// (k_⊥, |k_∥|) alone, so the k_∥ sums are done once per k_⊥ cell.
  public func latticeVariance(on geometry: GridGeometry) -> Double {
    let Δk = geometry.wavenumberSpacing
    let n = geometry.counts
    let (mx, my, mz) = (GridGeometry.largestIndex(points: n.x), GridGeometry.largestIndex(points: n.y), GridGeometry.largestIndex(points: n.z))
    let cells = perpendicularEdges.count - 1
    // Σ_l density over k_z = lΔk_z in each k_⊥ cell (the density is constant across a cell in k_⊥).
    var column = [Double](repeating: 0, count: cells)
    var atZero = [Double](repeating: 0, count: cells)
    for i in 0..<cells {
      let inside = (perpendicularEdges[i] + perpendicularEdges[i + 1]) / 2
      for l in -mz...mz {
        let d = density(perpendicular: inside, parallel: Double(l) * Δk.z).total
        column[i] += d
        if l == 0 { atZero[i] = d }
      }
    }
    var sum = 0.0
    for i in -mx...mx {
      for j in -my...my {
        let kPerp = ((Double(i) * Δk.x) * (Double(i) * Δk.x) + (Double(j) * Δk.y) * (Double(j) * Δk.y)).squareRoot()
        guard let c = Self.cell(of: kPerp, in: perpendicularEdges) else { continue }
        sum += i == 0 && j == 0 ? column[c] - atZero[c] : column[c]
      }
    }
    return sum * (Δk.x * Δk.y * Δk.z)
  }
}
