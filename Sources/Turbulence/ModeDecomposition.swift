import FieldStorage
import LarmorCore

/// A snapshot's δb (and δu) split into Alfvén, slow and fast parts by projection on the linear
/// MHD eigenmodes about the mean field, Fourier mode by Fourier mode (Cho & Lazarian 2003;
/// `MHDEigenmodes`; docs/physics.md §2.3).
///
/// - δb·ê_A is Alfvénic; δb·ê_θ belongs to slow and fast modes together; δb·k̂ (∇·b ≠ 0) belongs
///   to none and is reported as `longitudinalVariance`.
/// - The velocity splits exactly: δu_X = (δu·ξ̂_X) ξ̂_X for X = A, s, f.
/// - The magnetic slow/fast split needs a second compressive quantity. With the density it is
///   exact in linear theory: δb·ê_θ = Σ_X a_X y_X and δρ/ρ₀ = −Σ_X g_X y_X for any mixture of
///   forward and backward waves, solved for y_s, y_f (`.density`). With the velocity only it is a
///   closure (`.velocityClosure`): |δb_X| = |a_X||δu_X|/(ω_X/k) holds for waves running one way,
///   and δb·ê_θ is shared in proportion to those predicted powers. With δb alone the slow and
///   fast parts stay one `compressive` part (`.none`).
/// - Conventions: the k = 0 mode (the uniform part of δb) goes to no part (`uniformVariance`);
///   at k_⊥ = 0, where the transverse Alfvén and fast (or slow, α > 1) waves are degenerate, the
///   transverse δb and δu go to the Alfvén part (`parallelModesVariance`) and the longitudinal
///   δu to the sound-like family (slow for α ≤ 1); for k ⊥ B₀ exactly (k_∥ = 0) slow modes carry
///   no δb, so δb·ê_θ is fast. Modes on a Nyquist plane of an even axis (index n/2, which stands
///   for both ±k_N: a standing pattern with no direction along that axis) go to no part
///   (`nyquistVariance`): the eigenvectors at +k_N and −k_N differ, and projecting on either
///   would make the part non-solenoidal and non-Hermitian.
///
/// Parts add up to the solenoidal δb (and to δu) off the Nyquist planes, mode by mode. Slow and fast δb are parallel at
/// each k, so their variances add up only with `slowFastCrossVariance` = 2Re⟨δb_s·δb_f*⟩.
/// Deterministic for any thread count; one family's spectra are held at a time (input spectra
/// plus 12–24 B/cell).
public struct ModeDecomposition: Sendable {
  public enum MagneticSplit: String, Sendable {
    case density
    case velocityClosure = "velocity-closure"
    case none
  }

  public struct Part: Sendable {
    /// "alfven", "slow", "fast" or "compressive".
    public let name: String
    /// δb of this family (mean field ẑ), on the input grid.
    public let field: GridField
    /// δu/v_A of this family, three unpadded components, when a velocity was given.
    public let velocity: [[Float]]?
    /// ⟨|δb_X|²⟩, B₀².
    public let magneticVariance: Double
    /// ⟨|δu_X|²⟩, v_A².
    public let kineticVariance: Double?
  }

  public let parts: [Part]
  public let magneticSplit: MagneticSplit
  /// ⟨|δb|²⟩ of the input without its uniform part, B₀².
  public let magneticVariance: Double
  /// ⟨|δu|²⟩ of the input without its uniform part, v_A².
  public let kineticVariance: Double?
  /// 2Re⟨δb_s·δb_f*⟩ (0 without a slow/fast split), B₀².
  public let slowFastCrossVariance: Double
  /// Power of δb·k̂, B₀².
  public let longitudinalVariance: Double
  /// Power of the transverse δb at k_⊥ = 0 (assigned to the Alfvén part), B₀².
  public let parallelModesVariance: Double
  /// |⟨δb⟩|², B₀².
  public let uniformVariance: Double
  /// Power of δb on the Nyquist planes of even axes (in no part), B₀².
  public let nyquistVariance: Double
  /// Power of δu on those planes, v_A² (nil without a velocity).
  public let nyquistKineticVariance: Double?

  /// Decomposes `field` (δb in B₀, mean field ẑ), with `velocity` (δu/v_A) and `density` (δρ/ρ̄)
  /// on the same grid when given. α = c_s²/v_A² is required with either of them.
  public static func decompose(
    field: GridField, velocity: [[Float]]? = nil, density: [Float]? = nil, soundToAlfvenSquared α: Double? = nil, threads: Int = 1
  ) -> ModeDecomposition {
    precondition((velocity == nil && density == nil) || α != nil, "the slow/fast split needs c_s²/v_A²")
    let geometry = field.geometry
    let n = geometry.counts
    let split: MagneticSplit = density != nil ? .density : (velocity != nil ? .velocityClosure : .none)
    let names = split == .none ? ["alfven", "compressive"] : ["alfven", "slow", "fast"]
    let transform = RealTransform3D(counts: n)
    let magnetic = (0..<3).map { field.paddedComponent($0) }
    let flow = velocity.map { v in (0..<3).map { padded(v[$0], counts: n) } }
    let rho = density.map { padded($0, counts: n) }
    transform.forward(magnetic + (flow ?? []) + (rho.map { [$0] } ?? []), threads: threads)
    let input = Spectra(
      magnetic: magnetic.map { SendablePointer($0.pointer) }, velocity: flow?.map { SendablePointer($0.pointer) },
      density: rho.map { SendablePointer($0.pointer) })
    let rule = ModeRule(split: split, α: α ?? 0, families: names.count)

    var parts: [Part] = []
    var totals = Moments()
    for (family, name) in names.enumerated() {
      let bOut = (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(n)) }
      let uOut = flow.map { _ in (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(n)) } }
      let output = Spectra(
        magnetic: bOut.map { SendablePointer($0.pointer) }, velocity: uOut?.map { SendablePointer($0.pointer) }, density: nil)
      let sums = (0..<Moments.count).map { _ in PartialSums(count: n.x) }
      parallelFor(n.x, threads: threads) { ix in
        let moments = rule.projectPlane(ix, geometry: geometry, input: input, family: family, output: output)
        for (m, value) in moments.values.enumerated() { sums[m].add(value, at: ix) }
      }
      let moments = Moments(values: sums.map(\.orderedSum))
      if family == 0 { totals = moments }
      transform.inverse(bOut + (uOut ?? []), threads: threads)  // the amplitudes were normalized on the way in
      parts.append(Part(
        name: name,
        field: GridField(geometry: geometry, meanField: Vec3(0, 0, 1), fluctuation: bOut.map { unpadded($0, counts: n, scale: 1) }),
        velocity: uOut.map { $0.map { unpadded($0, counts: n, scale: 1) } },
        magneticVariance: moments.ownMagnetic, kineticVariance: flow == nil ? nil : moments.ownKinetic))
    }
    withExtendedLifetime((magnetic, flow, rho)) {}  // `input` points into them
    return ModeDecomposition(
      parts: parts, magneticSplit: split, magneticVariance: totals.magnetic, kineticVariance: flow == nil ? nil : totals.kinetic,
      slowFastCrossVariance: split == .none ? 0 : totals.cross, longitudinalVariance: totals.longitudinal,
      parallelModesVariance: totals.parallel, uniformVariance: totals.uniform, nyquistVariance: totals.nyquist,
      nyquistKineticVariance: flow == nil ? nil : totals.nyquistKinetic)
  }

  /// A real array of the grid in FFTW's padded in-place layout.
  static func padded(_ values: [Float], counts n: SIMD3<Int>) -> AlignedFloatBuffer {
    let stride = 2 * (n.z / 2 + 1)
    let buffer = AlignedFloatBuffer(count: RealTransform3D.paddedCount(n))
    for row in 0..<(n.x * n.y) {
      for iz in 0..<n.z { buffer.pointer[row * stride + iz] = values[row * n.z + iz] }
      for iz in n.z..<stride { buffer.pointer[row * stride + iz] = 0 }
    }
    return buffer
  }

  /// The real values of a padded array, times `scale`.
  static func unpadded(_ buffer: AlignedFloatBuffer, counts n: SIMD3<Int>, scale: Float) -> [Float] {
    let stride = 2 * (n.z / 2 + 1)
    var out = [Float](repeating: 0, count: n.x * n.y * n.z)
    for row in 0..<(n.x * n.y) {
      for iz in 0..<n.z { out[row * n.z + iz] = buffer.pointer[row * stride + iz] * scale }
    }
    return out
  }
}

/// Half-complex spectra (or output slots) of δb, δu and δρ.
struct Spectra: Sendable {
  let magnetic: [SendablePointer]
  let velocity: [SendablePointer]?
  let density: SendablePointer?
}

/// Sums over modes (B₀², v_A²), with the half-complex weights that make them full-k-space sums.
struct Moments {
  static let count = 10
  var values = [Double](repeating: 0, count: count)
  var magnetic: Double { get { values[0] } set { values[0] = newValue } }
  var kinetic: Double { get { values[1] } set { values[1] = newValue } }
  var ownMagnetic: Double { get { values[2] } set { values[2] = newValue } }
  var ownKinetic: Double { get { values[3] } set { values[3] = newValue } }
  var cross: Double { get { values[4] } set { values[4] = newValue } }
  var longitudinal: Double { get { values[5] } set { values[5] = newValue } }
  var parallel: Double { get { values[6] } set { values[6] = newValue } }
  var uniform: Double { get { values[7] } set { values[7] = newValue } }
  var nyquist: Double { get { values[8] } set { values[8] = newValue } }
  var nyquistKinetic: Double { get { values[9] } set { values[9] = newValue } }
}

/// A complex vector (re, im) of one Fourier mode.
struct ModeVector {
  var re = Vec3.zero
  var im = Vec3.zero
  var power: Double { re.dot(re) + im.dot(im) }
  /// (v·e) e for a real unit vector e.
  func along(_ e: Vec3) -> ModeVector { ModeVector(re: re.dot(e) * e, im: im.dot(e) * e) }
  /// v·e as (re, im).
  func dot(_ e: Vec3) -> (Double, Double) { (re.dot(e), im.dot(e)) }
}

/// How one mode is split: the families' δb and δu at wavevector k.
struct ModeRule: Sendable {
  let split: ModeDecomposition.MagneticSplit
  let α: Double
  let families: Int

  /// The parts of one mode, indexed like the decomposition's families.
  func parts(k: Vec3, b: ModeVector, u: ModeVector?, density: (Double, Double)?, moments: inout Moments, weight w: Double)
    -> [(b: ModeVector, u: ModeVector)]
  {
    var out = [(b: ModeVector, u: ModeVector)](repeating: (ModeVector(), ModeVector()), count: families)
    let kPerp = (k.x * k.x + k.y * k.y).squareRoot()
    if kPerp == 0 {
      // Along B₀: transverse δb, δu are Alfvénic by convention; δu_z is the sound-like family's.
      let transverseB = ModeVector(re: Vec3(b.re.x, b.re.y, 0), im: Vec3(b.im.x, b.im.y, 0))
      moments.longitudinal += w * (b.re.z * b.re.z + b.im.z * b.im.z)
      moments.parallel += w * transverseB.power
      out[0].b = transverseB
      if let u {
        out[0].u = ModeVector(re: Vec3(u.re.x, u.re.y, 0), im: Vec3(u.im.x, u.im.y, 0))
        out[α <= 1 ? 1 : families - 1].u = ModeVector(re: Vec3(0, 0, u.re.z), im: Vec3(0, 0, u.im.z))
      }
      return out
    }
    let modes = MHDEigenmodes(wavevector: k, soundToAlfvenSquared: α)
    let unit = k / k.length
    let (lr, li) = b.dot(unit)
    moments.longitudinal += w * (lr * lr + li * li)
    out[0].b = b.along(modes.alfven)
    let (θr, θi) = b.dot(modes.magneticPseudo)
    let e = modes.magneticPseudo
    switch split {
    case .none:
      out[1].b = ModeVector(re: θr * e, im: θi * e)
      return out
    case .density:
      let (a_s, a_f, g_s, g_f) = (modes.slowPerpendicular, modes.fastPerpendicular, modes.slowLongitudinal, modes.fastLongitudinal)
      if k.z == 0 {
        out[2].b = ModeVector(re: θr * e, im: θi * e)  // slow modes carry no δb at k_∥ = 0
      } else {
        let (rr, ri) = density!
        let det = a_s * g_f - a_f * g_s
        let slowRe = a_s * (θr * g_f + a_f * rr) / det, slowIm = a_s * (θi * g_f + a_f * ri) / det
        out[1].b = ModeVector(re: slowRe * e, im: slowIm * e)
        out[2].b = ModeVector(re: (θr - slowRe) * e, im: (θi - slowIm) * e)
      }
    case .velocityClosure:
      func predicted(_ ξ: Vec3, _ a: Double, _ speed: Double) -> Double {
        guard speed > 0 else { return 0 }
        let (r, i) = u!.dot(ξ)
        return a * a * (r * r + i * i) / (speed * speed)
      }
      let ps = predicted(modes.slow, modes.slowPerpendicular, modes.slowSpeed)
      let pf = predicted(modes.fast, modes.fastPerpendicular, modes.fastSpeed)
      let share = ps + pf > 0 ? ps / (ps + pf) : 0.5
      out[1].b = ModeVector(re: share * θr * e, im: share * θi * e)
      out[2].b = ModeVector(re: (1 - share) * θr * e, im: (1 - share) * θi * e)
    }
    moments.cross += w * 2 * (out[1].b.re.dot(out[2].b.re) + out[1].b.im.dot(out[2].b.im))
    if let u {
      out[0].u = u.along(modes.alfven)
      out[1].u = u.along(modes.slow)
      out[2].u = u.along(modes.fast)
    }
    return out
  }

  /// Projects the modes of plane ix, writes `family`'s part into `output` and returns the sums.
  func projectPlane(_ ix: Int, geometry: GridGeometry, input: Spectra, family: Int, output: Spectra) -> Moments {
    let inverseCells = 1 / Double(geometry.cellCount)
    var moments = Moments()
    geometry.forEachStoredMode(inPlane: ix) { mode in
      let slot = mode.slot
      func read(_ p: [SendablePointer]) -> ModeVector {
        let (re, im) = storedModeVector(p, at: slot)
        return ModeVector(re: re * inverseCells, im: im * inverseCells)
      }
      let b = read(input.magnetic)
      let u = input.velocity.map(read)
      let density = input.density.map { (Double($0.base[slot]) * inverseCells, Double($0.base[slot + 1]) * inverseCells) }
      let (weight, k) = (mode.weight, mode.k)
      var part = (b: ModeVector(), u: ModeVector())
      if mode.isUniform {
        moments.uniform += b.power
      } else if mode.onNyquistPlane {
        moments.magnetic += weight * b.power
        moments.kinetic += weight * (u?.power ?? 0)
        moments.nyquist += weight * b.power
        moments.nyquistKinetic += weight * (u?.power ?? 0)
      } else {
        moments.magnetic += weight * b.power
        moments.kinetic += weight * (u?.power ?? 0)
        part = parts(k: k, b: b, u: u, density: density, moments: &moments, weight: weight)[family]
        moments.ownMagnetic += weight * part.b.power
        moments.ownKinetic += weight * part.u.power
      }
      for c in 0..<3 {  // normalized amplitudes: the unnormalized inverse transform gives the part itself
        output.magnetic[c].store(Float(part.b.re[c]), Float(part.b.im[c]), at: slot)
        output.velocity?[c].store(Float(part.u.re[c]), Float(part.u.im[c]), at: slot)
      }
    }
    return moments
  }
}

extension ModeDecomposition {
  /// `field` without its longitudinal part: b_k − (b_k·k̂)k̂ for every k ≠ 0 (the uniform part and
  /// the mean field are kept). Modes on the Nyquist plane of an even axis are removed: index N/2
  /// stands for ±k_N, and projecting on either left a white-noise cube with divergence 0.1.
  /// Deterministic for any thread count.
  public static func solenoidal(_ field: GridField, threads: Int = 1) -> GridField {
    let geometry = field.geometry
    let n = geometry.counts
    let transform = RealTransform3D(counts: n)
    let buffers = (0..<3).map { field.paddedComponent($0) }
    transform.forward(buffers, threads: threads)
    let pointers = buffers.map { SendablePointer($0.pointer) }
    parallelFor(n.x, threads: threads) { ix in
      geometry.forEachStoredMode(inPlane: ix) { mode in
        guard !mode.isUniform else { return }
        if mode.onNyquistPlane {
          for c in 0..<3 { pointers[c].store(0, 0, at: mode.slot) }
          return
        }
        let unit = mode.k / mode.k.length
        let (re, im) = storedModeVector(pointers, at: mode.slot)
        let (pr, pi) = (re - re.dot(unit) * unit, im - im.dot(unit) * unit)
        for c in 0..<3 { pointers[c].store(Float(pr[c]), Float(pi[c]), at: mode.slot) }
      }
    }
    transform.inverse(buffers, threads: threads)
    let scale = 1 / Float(geometry.cellCount)
    return GridField(geometry: geometry, meanField: field.meanField, fluctuation: buffers.map { unpadded($0, counts: n, scale: scale) })
  }
}
