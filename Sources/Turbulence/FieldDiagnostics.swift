import FieldStorage
import LarmorCore
import RealModule

/// Measured properties of a grid field, from its values and their forward FFT (code units).
public struct FieldDiagnostics: Sendable {
  /// ⟨δb⟩ over the grid, in B₀.
  public let mean: Vec3
  /// δB_rms/B₀ = √⟨|δb − ⟨δb⟩|²⟩.
  public let rms: Double
  /// ⟨δb_i²⟩ per component, in B₀².
  public let componentVariance: Vec3
  /// √(Σ|k·B_k|² / Σ|k|²|B_k|²): the power-weighted spectral divergence of the stored (float32) field.
  public let divergenceRMS: Double
  /// Shell- (3D) or line- (slab) averaged energy spectrum E(k) with Σ E Δk = ⟨|δb|²⟩.
  public let spectrum: [SpectrumBin]
  /// Least-squares slope of ln E vs ln k over `slopeRange` (−5/3 for Kolmogorov, −3/2 for fast modes).
  public let spectralSlope: Double
  /// The k-range (1/L) of the slope fit.
  public let slopeRange: ClosedRange<Double>
  /// GS anisotropy: power-weighted ⟨|k_∥|⟩ in bins of k_⊥ (3D fields only).
  public let parallelWidth: [AnisotropyBin]
  /// Slope of ln⟨|k_∥|⟩ vs ln k_⊥ (2/3 for critical balance; 1 for isotropy); nil for slab fields.
  public let anisotropyExponent: Double?
  /// Fraction of the power along ê_A (Alfvénic polarization, ⊥ k and ⊥ B₀), over modes with
  /// k_⊥ > 0 (for k ∥ B₀ the two transverse polarizations are degenerate).
  public let alfvenFraction: Double
  /// Fraction of the power along ê_θ (in the k–B₀ plane, ⊥ k; slow and fast modes), k_⊥ > 0.
  public let pseudoFraction: Double

  public struct SpectrumBin: Sendable {
    /// Bin centre, 1/L.
    public let wavenumber: Double
    /// E(k), B₀² L.
    public let energy: Double
    /// Fourier modes in the bin.
    public let modes: Int
  }

  public struct AnisotropyBin: Sendable {
    /// k_⊥ bin centre, 1/L.
    public let perpendicular: Double
    /// Power-weighted ⟨|k_∥|⟩, 1/L.
    public let parallelWidth: Double
  }
}

extension FieldDiagnostics {
  /// Measures `field`. `fitRange` defaults to [max(4Δk, 2k_min), k_max/1.5] for the spectral slope
  /// and anisotropy fits, where the lattice has enough modes per shell and the cut-offs are far.
  /// Costs one forward FFT per component and 12 bytes per cell of scratch.
  public static func measure(
    _ field: GridField, spectrum: TurbulenceSpectrum, fitRange: ClosedRange<Double>? = nil, threads: Int = 1
  ) -> FieldDiagnostics {
    measure(field, slab: spectrum.isSlab, threads: threads, fitRange: fitRangeRule(spectrum, fitRange))
  }

  /// `fitRange`, or [max(4Δk, 2k_min), k_max/1.5] for the bin width Δk.
  static func fitRangeRule(_ spectrum: TurbulenceSpectrum, _ fitRange: ClosedRange<Double>?) -> (Double) -> ClosedRange<Double> {
    { binWidth in
      let lower = max(4 * binWidth, 2 * spectrum.minimumWavenumber)
      let upper = spectrum.effectiveMaximumWavenumber / 1.5
      return fitRange ?? (lower...max(lower, upper))
    }
  }

  /// Measures a field that no spectrum describes (a snapshot, a decomposed part). The fits run
  /// over `fitRange`, by default [3Δk, k_N/3] with k_N the smallest Nyquist wavenumber: above the
  /// box's few largest modes and below the grid's dissipation range.
  public static func measure(_ field: GridField, fitRange: ClosedRange<Double>? = nil, threads: Int = 1) -> FieldDiagnostics {
    let nyquist = field.geometry.nyquistWavenumber
    let smallest = [nyquist.x, nyquist.y, nyquist.z].filter { $0 > 0 }.min() ?? 0
    return measure(field, slab: field.geometry.counts.x == 1 && field.geometry.counts.y == 1, threads: threads) { binWidth in
      fitRange ?? (3 * binWidth...max(3 * binWidth, smallest / 3))
    }
  }

  static func measure(
    _ field: GridField, slab: Bool, threads: Int, fitRange defaultRange: (_ binWidth: Double) -> ClosedRange<Double>
  ) -> FieldDiagnostics {
    let geometry = field.geometry
    let n = geometry.counts
    let transform = RealTransform3D(counts: n)
    let stride = 2 * (n.z / 2 + 1)
    let nzc = n.z / 2 + 1

    // Padded copies of the components (GridField stores nodes interleaved); they become the
    // spectral copies below, transformed in place.
    let sources = (0..<3).map { field.paddedComponent($0) }
    let (mean, componentVariance) = moments(geometry) { c, row, iz in sources[c].pointer[row * stride + iz] }

    // Spectral copies of the three components.
    let spectra = sources
    transform.forward(spectra, threads: threads)
    let components = spectra.map { SendablePointer($0.pointer) }
    let result = spectralMeasures(
      geometry: geometry, slab: slab, mean: mean, componentVariance: componentVariance, kzCount: nzc, fitRange: defaultRange
    ) { ix, iy, l in
      storedModeVector(components, at: 2 * ((ix * n.y + iy) * nzc + l))
    }
    withExtendedLifetime(spectra) {}
    return result
  }

  /// Measures `field` with its own nodes as the FFT's work array: the real-space moments first,
  /// then the forward transform in place (`NodeLayoutInverseTransform.forwardInPlace`), so the
  /// whole measurement needs 24 bytes per (x, y) row and a few kB per thread beside the field's
  /// 12 bytes per cell (the copying `measure` needs 12 more per cell). **The field's values are
  /// overwritten** by its spectrum: measure last, after writing the field out. The k_z Nyquist plane
  /// of an even N_z is not measured (synthesis leaves it empty); every other number equals
  /// `measure`'s to float32 round-off of the transforms (tested).
  package static func measureOverwriting(
    _ field: GridField, spectrum: TurbulenceSpectrum, fitRange: ClosedRange<Double>? = nil, threads: Int = 1
  ) -> FieldDiagnostics {
    let geometry = field.geometry
    let n = geometry.counts
    let nodes = field.nodes.pointer
    let (mean, componentVariance) = moments(geometry) { c, row, iz in nodes[3 * (row * n.z + iz) + c] }
    let transform = NodeLayoutInverseTransform(counts: n, nodes: field.nodes, threads: threads)
    transform.forwardInPlace(threads: threads)
    let result = spectralMeasures(
      geometry: geometry, slab: spectrum.isSlab, mean: mean, componentVariance: componentVariance, kzCount: transform.lastIndex + 1,
      fitRange: fitRangeRule(spectrum, fitRange)
    ) { ix, iy, l in
      let (x, y, z) = (
        transform.coefficient(ix, iy, l, component: 0), transform.coefficient(ix, iy, l, component: 1),
        transform.coefficient(ix, iy, l, component: 2))
      return (Vec3(Double(x.re), Double(y.re), Double(z.re)), Vec3(Double(x.im), Double(y.im), Double(z.im)))
    }
    withExtendedLifetime(transform) {}
    return result
  }

  /// ⟨δb⟩ and the component variances ⟨δb_i²⟩ − ⟨δb_i⟩², each component summed over the nodes in
  /// C order (row = ix N_y + iy, then iz); `value(c, row, iz)` reads a node's component.
  @inline(__always)
  static func moments(_ geometry: GridGeometry, _ value: (_ c: Int, _ row: Int, _ iz: Int) -> Float) -> (mean: Vec3, componentVariance: Vec3) {
    let n = geometry.counts
    let cells = Double(geometry.cellCount)
    var sum = Vec3.zero
    var sumSquares = Vec3.zero
    for c in 0..<3 {
      var s = 0.0
      var s2 = 0.0
      for row in 0..<(n.x * n.y) {
        for iz in 0..<n.z {
          let v = Double(value(c, row, iz))
          s += v
          s2 += v * v
        }
      }
      sum[c] = s
      sumSquares[c] = s2
    }
    let mean = sum / cells
    return (mean, sumSquares / cells - mean * mean)
  }

  /// The diagnostics from the real-space mean and component variances and the stored half
  /// spectrum, whose mode (ix, iy, l), l < `kzCount`, `coefficient` gives unnormalized (F_k of
  /// the three components).
  static func spectralMeasures(
    geometry: GridGeometry, slab: Bool, mean: Vec3, componentVariance: Vec3, kzCount: Int,
    fitRange defaultRange: (_ binWidth: Double) -> ClosedRange<Double>,
    coefficient: (_ ix: Int, _ iy: Int, _ l: Int) -> (re: Vec3, im: Vec3)
  ) -> FieldDiagnostics {
    let n = geometry.counts
    let cells = Double(geometry.cellCount)
    let Δk = geometry.wavenumberSpacing
    let binWidth = slab ? Δk.z : min(Δk.x, Δk.y, Δk.z)
    let perpendicularWidth = min(Δk.x, Δk.y)
    let maximumK = (Vec3(Double(n.x / 2), Double(n.y / 2), Double(n.z / 2)) * Δk).length
    let binCount = Int(maximumK / binWidth) + 2
    var shellPower = [Double](repeating: 0, count: binCount)
    var shellModes = [Int](repeating: 0, count: binCount)
    let perpendicularBins = Int(maximumK / perpendicularWidth) + 2
    var perpendicularPower = [Double](repeating: 0, count: perpendicularBins)
    var perpendicularMoment = [Double](repeating: 0, count: perpendicularBins)
    var totalPower = 0.0, alfvenPower = 0.0, pseudoPower = 0.0
    var divergence2 = 0.0, gradient2 = 0.0
    let inverseCells = 1 / cells

    for ix in 0..<n.x {
      let mx = GridGeometry.signedIndex(ix, points: n.x)
      for iy in 0..<n.y {
        let my = GridGeometry.signedIndex(iy, points: n.y)
        for l in 0..<kzCount {
          let (f, g) = coefficient(ix, iy, l)
          let re = f * inverseCells
          let im = g * inverseCells
          // Stored l > 0 entries stand for ±k; in the l = 0 plane both partners are stored.
          let weight = (l == 0 || (n.z % 2 == 0 && l == n.z / 2)) ? 1.0 : 2.0
          let power = weight * (re.dot(re) + im.dot(im))
          guard power > 0 else { continue }
          let k = Vec3(Double(mx) * Δk.x, Double(my) * Δk.y, Double(l) * Δk.z)
          let kk = k.length
          if kk == 0 { continue }
          let basis = polarizationBasis(k)
          let a = basis.alfven.dot(re) * basis.alfven.dot(re) + basis.alfven.dot(im) * basis.alfven.dot(im)
          let t = basis.pseudo.dot(re) * basis.pseudo.dot(re) + basis.pseudo.dot(im) * basis.pseudo.dot(im)
          if k.perpendicularLength > 0 {  // polarization is undefined for k ∥ B₀
            totalPower += power
            alfvenPower += weight * a
            pseudoPower += weight * t
          }
          divergence2 += weight * (k.dot(re) * k.dot(re) + k.dot(im) * k.dot(im))
          gradient2 += power * kk * kk
          if slab {
            if mx == 0 && my == 0 {
              let b = Int((abs(k.z) / binWidth).rounded())
              shellPower[b] += power
              shellModes[b] += weight == 2 ? 2 : 1
            }
          } else {
            let b = Int((kk / binWidth).rounded())
            shellPower[b] += power
            shellModes[b] += weight == 2 ? 2 : 1
            let kPerp = k.perpendicularLength
            let pb = Int((kPerp / perpendicularWidth).rounded())
            perpendicularPower[pb] += power
            perpendicularMoment[pb] += power * abs(k.z)
          }
        }
      }
    }

    var bins: [SpectrumBin] = []
    for b in 1..<binCount where shellModes[b] > 0 {
      bins.append(SpectrumBin(wavenumber: Double(b) * binWidth, energy: shellPower[b] / binWidth, modes: shellModes[b]))
    }
    let range = defaultRange(binWidth)

    // Slope of the mode-averaged spectrum: mean modal power × (number of modes a continuum shell
    // would hold), which removes the lattice's shell-count noise.
    var points: [(Double, Double, Double)] = []
    for bin in bins where range.contains(bin.wavenumber) {
      let modal = bin.energy * binWidth / Double(bin.modes)
      let continuumModes = slab ? 2 * binWidth / Δk.z : 4 * .pi * bin.wavenumber * bin.wavenumber * binWidth / (Δk.x * Δk.y * Δk.z)
      points.append((Double.log(bin.wavenumber), Double.log(modal * continuumModes / binWidth), Double(bin.modes)))
    }
    let slope = weightedSlope(points)

    var widths: [AnisotropyBin] = []
    var anisotropyPoints: [(Double, Double, Double)] = []
    if !slab {
      for b in 1..<perpendicularBins where perpendicularPower[b] > 0 {
        let kPerp = Double(b) * perpendicularWidth
        let width = perpendicularMoment[b] / perpendicularPower[b]
        widths.append(AnisotropyBin(perpendicular: kPerp, parallelWidth: width))
        if range.contains(kPerp) && width > 0 { anisotropyPoints.append((Double.log(kPerp), Double.log(width), 1)) }
      }
    }

    return FieldDiagnostics(
      mean: mean, rms: componentVariance.sum().squareRoot(), componentVariance: componentVariance,
      divergenceRMS: gradient2 > 0 ? (divergence2 / gradient2).squareRoot() : 0,
      spectrum: bins, spectralSlope: slope, slopeRange: range, parallelWidth: widths,
      anisotropyExponent: slab ? nil : weightedSlope(anisotropyPoints),
      alfvenFraction: totalPower > 0 ? alfvenPower / totalPower : 0,
      pseudoFraction: totalPower > 0 ? pseudoPower / totalPower : 0)
  }

  /// Weighted least-squares slope of y against x for (x, y, weight) points; NaN for fewer than two.
  static func weightedSlope(_ points: [(Double, Double, Double)]) -> Double {
    guard points.count >= 2 else { return .nan }
    let w = points.reduce(0) { $0 + $1.2 }
    let mx = points.reduce(0) { $0 + $1.2 * $1.0 } / w
    let my = points.reduce(0) { $0 + $1.2 * $1.1 } / w
    var sxy = 0.0, sxx = 0.0
    for p in points {
      sxy += p.2 * (p.0 - mx) * (p.1 - my)
      sxx += p.2 * (p.0 - mx) * (p.0 - mx)
    }
    return sxy / sxx
  }
}

extension GridField {
  /// One component of δb in FFTW's padded in-place layout [ix][iy][2(N_z/2+1)] (padding zero),
  /// ready for an in-place r2c transform (diagnostics).
  func paddedComponent(_ c: Int) -> AlignedFloatBuffer {
    let stride = 2 * (nz / 2 + 1)
    let buffer = AlignedFloatBuffer(count: RealTransform3D.paddedCount(geometry.counts))
    let out = buffer.pointer
    for row in 0..<(nx * ny) {
      for iz in 0..<nz { out[row * stride + iz] = nodes.pointer[3 * (row * nz + iz) + c] }
      for iz in nz..<stride { out[row * stride + iz] = 0 }
    }
    return buffer
  }
}

extension ModePowerTable {
  /// The measured table of `field` (its forward FFT, normalized amplitudes b_k = F_k/N).
  public static func measure(_ field: GridField, threads: Int = 1) -> ModePowerTable {
    let geometry = field.geometry
    let n = geometry.counts
    let transform = RealTransform3D(counts: n)
    let spectra = (0..<3).map { field.paddedComponent($0) }
    transform.forward(spectra, threads: threads)
    var table = ModePowerTable(geometry: geometry)
    let inverseCells = 1 / Double(geometry.cellCount)
    let components = spectra.map { SendablePointer($0.pointer) }
    for ix in 0..<n.x {
      geometry.forEachStoredMode(inPlane: ix) { mode in
        guard !mode.onNyquistPlane && !mode.isUniform else { return }
        let (f, g) = storedModeVector(components, at: mode.slot)
        let (re, im) = (f * inverseCells, g * inverseCells)
        let basis = polarizationBasis(mode.k)
        let a = basis.alfven.dot(re) * basis.alfven.dot(re) + basis.alfven.dot(im) * basis.alfven.dot(im)
        let p = basis.pseudo.dot(re) * basis.pseudo.dot(re) + basis.pseudo.dot(im) * basis.pseudo.dot(im)
        // k and its conjugate partner −k carry the same power; in the l = 0 plane both are stored.
        table.add(abs(mode.mx), abs(mode.my), mode.l, alfven: a, pseudo: p)
        if mode.l > 0 { table.add(abs(mode.mx), abs(mode.my), -mode.l, alfven: a, pseudo: p) }
      }
    }
    withExtendedLifetime(spectra) {}
    table.finish()
    return table
  }
}
