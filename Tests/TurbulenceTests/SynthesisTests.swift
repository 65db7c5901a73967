import Foundation
import LarmorCore
import Testing
@testable import Turbulence

/// Invariants of the synthesized field: divergence-free, normalized, zero-mean, correctly
/// polarized, reproducible. Grids are small (32³–64³) so the suite stays fast in debug builds.
@Suite struct SynthesisTests {
  /// ∇·δB = 0 mode by mode. The coefficients handed to FFTW are float32, so |k·B_k|/(|k||B_k|)
  /// is bounded by float rounding (≈ 6e-8 per component); 1e-6 leaves a margin of 10.
  /// The stored grid field is float32 too: its power-weighted spectral divergence measured by a
  /// forward FFT is a few 1e-7 (rounding of every stored value), so 2e-6 bounds it.
  @Test(arguments: allFamilies)
  func divergenceFree(_ family: ModeFamily) throws {
    let spec = try cubicSpec(family, n: 32)
    let (field, report) = SpectralSynthesis.synthesize(spec)
    #expect(report.maximumDivergenceRatio <= 1e-6)
    let diagnostics = FieldDiagnostics.measure(field, spectrum: spec.spectrum)
    #expect(diagnostics.divergenceRMS <= 2e-6)
  }

  /// The same, measured without FFTW or the package's diagnostics: a direct (separable) DFT of
  /// the stored float32 nodes of a 16³ field, B̂(k) = Σ_x δb(x) e^(−ik·x). Over all modes,
  /// √(Σ|k·B̂|²/Σ|k|²|B̂|²) ≤ 2e-6, and for every mode holding ≥ 10⁻³ of the largest mode's
  /// power |k·B̂|/(|k||B̂|) ≤ 1e-5 (float32 rounding of the nodes, ~6e-8 of the rms per value,
  /// is the floor; a dropped projection would give O(1)).
  @Test(arguments: allFamilies)
  func divergenceFreeByDirectTransform(_ family: ModeFamily) throws {
    let n = 16
    let (field, _) = SpectralSynthesis.synthesize(try cubicSpec(family, n: n))
    // Box 2π: k = integer lattice index (signed), x_j = 2πj/n.
    let twiddle = (0..<n).map { j in (cos(2 * Double.pi * Double(j) / Double(n)), -sin(2 * Double.pi * Double(j) / Double(n))) }
    /// DFT along one axis of an n³ complex array stored [ix][iy][iz].
    func transform(_ re: [Double], _ im: [Double], axis: Int) -> ([Double], [Double]) {
      var outRe = [Double](repeating: 0, count: re.count), outIm = outRe
      let stride = [n * n, n, 1][axis]
      for base in 0..<(n * n * n) where (base / stride) % n == 0 {
        for k in 0..<n {
          var sr = 0.0, si = 0.0
          for j in 0..<n {
            let (c, s) = twiddle[(j * k) % n]
            let i = base + j * stride
            sr += re[i] * c - im[i] * s
            si += re[i] * s + im[i] * c
          }
          outRe[base + k * stride] = sr
          outIm[base + k * stride] = si
        }
      }
      return (outRe, outIm)
    }
    var spectra = [([Double], [Double])]()
    for c in 0..<3 {
      var a = (field.unpaddedComponent(c).map { Double($0) }, [Double](repeating: 0, count: n * n * n))
      for axis in 0..<3 { a = transform(a.0, a.1, axis: axis) }
      spectra.append(a)
    }
    func signed(_ i: Int) -> Double { Double(i <= n / 2 ? i : i - n) }
    var modes = [(divergence: Double, power: Double, k2: Double)]()
    for ix in 0..<n { for iy in 0..<n { for iz in 0..<n {
      let i = (ix * n + iy) * n + iz
      let k = [signed(ix), signed(iy), signed(iz)]
      let k2 = k.map { $0 * $0 }.reduce(0, +)
      guard k2 > 0 else { continue }
      let dr = (0..<3).map { k[$0] * spectra[$0].0[i] }.reduce(0, +)
      let di = (0..<3).map { k[$0] * spectra[$0].1[i] }.reduce(0, +)
      let power = (0..<3).map { spectra[$0].0[i] * spectra[$0].0[i] + spectra[$0].1[i] * spectra[$0].1[i] }.reduce(0, +)
      modes.append((dr * dr + di * di, power, k2))
    } } }
    let rms = (modes.map(\.divergence).reduce(0, +) / modes.map { $0.k2 * $0.power }.reduce(0, +)).squareRoot()
    let strongest = modes.map(\.power).max() ?? 0
    let worst = modes.filter { $0.power >= 1e-3 * strongest }.map { ($0.divergence / ($0.k2 * $0.power)).squareRoot() }.max() ?? 0
    #expect(strongest > 0)
    #expect(rms <= 2e-6, "\(family.name): rms \(rms)")
    #expect(worst <= 1e-5, "\(family.name): worst significant mode \(worst)")
  }

  /// A field spec rescaled to another δB/B₀ (`[run] db_over_b0`) is the same field times σ′/σ:
  /// the synthesis is linear in the amplitude and the seed draws the same Gaussian modes, so
  /// every node scales by the ratio (to float32 rounding, relative 1e-6).
  @Test(arguments: allFamilies)
  func rescaledSpecScalesTheSameField(_ family: ModeFamily) throws {
    let spec = try cubicSpec(family, n: 16, level: 0.5)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let (weak, _) = SpectralSynthesis.synthesize(try spec.scaled(toTurbulenceLevel: 0.03))
    for c in 0..<3 {
      let (a, b) = (field.unpaddedComponent(c), weak.unpaddedComponent(c))
      let scale = a.map { abs(Double($0)) }.max() ?? 0
      let worst = zip(a, b).map { abs(Double($1) - 0.06 * Double($0)) }.max() ?? 0
      #expect(worst <= 1e-6 * 0.06 * scale + Double.leastNormalMagnitude, "component \(c): \(worst)")
    }
  }

  /// Realized-rms normalization hits δB_rms/B₀ to float rounding; the DC mode is zero so ⟨δb⟩
  /// vanishes to float rounding of the sum (relative 1e-6 of the rms).
  @Test(arguments: allFamilies)
  func realizedNormalization(_ family: ModeFamily) throws {
    let spec = try cubicSpec(family, n: 32, level: 0.7, normalization: .realizedRMS)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum)
    #expect(abs(d.rms / 0.7 - 1) <= 1e-6)
    #expect(d.mean.length <= 1e-6 * d.rms)
  }

  /// Expected-variance normalization: ⟨δb²⟩ over realizations converges to σ². Each realization
  /// scatters (low-k cosmic variance), so the check is statistical: the mean of 24 realizations
  /// lies within 4 standard errors of σ².
  @Test(arguments: [ModeFamily.isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar()), .fast(FastModes())])
  func expectedNormalizationConverges(_ family: ModeFamily) throws {
    let σ = 0.3
    var samples: [Double] = []
    for seed in 1...24 {
      let spec = try cubicSpec(family, n: 16, level: σ, seed: UInt64(seed))
      let (field, _) = SpectralSynthesis.synthesize(spec)
      samples.append(FieldDiagnostics.measure(field, spectrum: spec.spectrum).rms * FieldDiagnostics.measure(field, spectrum: spec.spectrum).rms)
    }
    let mean = samples.reduce(0, +) / Double(samples.count)
    let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)
    let standardError = (variance / Double(samples.count)).squareRoot()
    #expect(abs(mean - σ * σ) <= 4 * standardError)
    #expect(standardError < 0.1 * σ * σ)  // the test has power to see a 40% normalization error
  }

  /// Pure Alfvén modes: δB_z ≡ 0 at every grid node and all power along ê_A.
  @Test func alfvenPolarization() throws {
    let spec = try cubicSpec(.alfven(GoldreichSridhar()), n: 32)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    var maxZ: Double = 0
    for ix in 0..<32 { for iy in 0..<32 { for iz in 0..<32 { maxZ = max(maxZ, abs(field.fluctuation(ix, iy, iz).z)) } } }
    #expect(maxZ == 0)
    let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum)
    #expect(d.alfvenFraction >= 1 - 1e-10)
  }

  /// Slow and fast modes lie in the k–B₀ plane: all power (modes with k_⊥ > 0) along ê_θ.
  @Test func compressivePolarization() throws {
    for family in [ModeFamily.slow(GoldreichSridhar()), .fast(FastModes())] {
      let spec = try cubicSpec(family, n: 32)
      let (field, _) = SpectralSynthesis.synthesize(spec)
      let d = FieldDiagnostics.measure(field, spectrum: spec.spectrum)
      #expect(d.pseudoFraction >= 1 - 1e-10)
      #expect(d.alfvenFraction <= 1e-10)
    }
  }

  /// Same spec and seed → bitwise the same field whatever the thread count; another seed → another field.
  @Test(arguments: [ModeFamily.isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar())])
  func deterministicAcrossThreads(_ family: ModeFamily) throws {
    let spec = try cubicSpec(family, n: 48)
    let one = SpectralSynthesis.synthesize(spec, threads: 1).field
    let two = SpectralSynthesis.synthesize(spec, threads: 2).field
    let other = SpectralSynthesis.synthesize(try cubicSpec(family, n: 48, seed: 8), threads: 2).field
    for c in 0..<3 {
      let (a, b, d) = (one.unpaddedComponent(c), two.unpaddedComponent(c), other.unpaddedComponent(c))
      #expect(a == b, "component \(c) differs between 1 and 2 threads")
      if a.contains(where: { $0 != 0 }) {  // pure Alfvén fields have b_z ≡ 0 for every seed
        #expect(a != d, "component \(c) is the same for seeds 7 and 8")
      }
    }
  }

  /// The effectively one-dimensional slab transform is where a multi-threaded FFTW plan once
  /// changed the last bits; the field must not depend on the thread count there either.
  @Test func slabDeterministicAcrossThreads() throws {
    let spec = try slabSpec(n: 4096)
    let one = SpectralSynthesis.synthesize(spec, threads: 1).field
    let two = SpectralSynthesis.synthesize(spec, threads: 2).field
    #expect(one.unpaddedComponent(0) == two.unpaddedComponent(0))
    #expect(one.unpaddedComponent(1) == two.unpaddedComponent(1))
  }

  /// Trilinear sampling reproduces the stored values at nodes and is periodic in every axis.
  @Test func trilinearSampling() throws {
    let spec = try cubicSpec(.isotropic(index: 5.0 / 3), n: 16)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let Δx = field.geometry.cellSize
    for (ix, iy, iz) in [(0, 0, 0), (3, 7, 11), (15, 15, 15), (8, 0, 5)] {
      let node = Vec3(Double(ix), Double(iy), Double(iz)) * Δx
      let expected = field.fluctuation(ix, iy, iz) + Vec3(0, 0, 1)
      #expect((field.sample(at: node) - expected).length <= 1e-12)
    }
    let box = field.geometry.boxSize
    for x in [Vec3(0.37, 1.91, 4.2), Vec3(-3.3, 0.01, 6.27), Vec3(5.5, -7.25, -0.5)] {
      let reference = field.sample(at: x)
      for shift in [Vec3(box.x, 0, 0), Vec3(0, -box.y, 0), Vec3(0, 0, 3 * box.z)] {
        #expect((field.sample(at: x + shift) - reference).length <= 1e-12)
      }
    }
  }

  /// Linear interpolation between two nodes along z: the midpoint is the mean of the nodes.
  @Test func trilinearIsLinearBetweenNodes() throws {
    let spec = try slabSpec(n: 64)
    let (field, _) = SpectralSynthesis.synthesize(spec)
    let Δz = field.geometry.cellSize.z
    let mid = field.sample(at: Vec3(0.123, -4.5, 10.5 * Δz))
    let expected = (field.fluctuation(0, 0, 10) + field.fluctuation(0, 0, 11)) / 2 + Vec3(0, 0, 1)
    #expect((mid - expected).length <= 1e-12)
  }
}

/// Odd sizes (no Nyquist index), non-cubic grids and boxes elongated along B₀ keep the invariants.
@Suite struct GridShapeTests {
  @Test(arguments: [SIMD3(15, 20, 9), SIMD3(16, 8, 33), SIMD3(12, 12, 48)])
  func nonCubicGrids(_ counts: SIMD3<Int>) throws {
    let box = Vec3(1, 1, Double(counts.z) / Double(counts.x))  // cells of equal length in x and z
    let kMin = 2 * Double.pi / min(box.x, box.y, box.z)
    let kMax = 0.9 * min(Double(counts.x), Double(counts.y), Double(counts.z) / box.z) * .pi
    for family in [ModeFamily.isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar())] {
      let spectrum = try TurbulenceSpectrum(family, minimumWavenumber: kMin, maximumWavenumber: kMax, turbulenceLevel: 0.4)
      let spec = try FieldSpec(
        spectrum: spectrum, geometry: GridGeometry(counts: counts, boxSize: box), seed: 11, normalization: .realizedRMS)
      let (field, report) = SpectralSynthesis.synthesize(spec, threads: 2)
      let d = FieldDiagnostics.measure(field, spectrum: spectrum)
      #expect(report.maximumDivergenceRatio <= 1e-6)
      #expect(d.divergenceRMS <= 2e-6)
      #expect(abs(d.rms / 0.4 - 1) <= 1e-6)
      #expect(d.mean.length <= 1e-6 * d.rms)
      let one = SpectralSynthesis.synthesize(spec, threads: 1).field
      #expect(one.unpaddedComponent(0) == field.unpaddedComponent(0))
    }
  }
}
