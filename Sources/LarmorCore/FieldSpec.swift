/// How a synthesized field is scaled to the requested δB_rms/B₀ (docs/physics.md §2.2 item 6).
public enum FieldNormalization: String, Sendable, Hashable, CaseIterable {
  /// Scale by the expected variance of the discrete spectrum, Σ_k ⟨|B_k|²⟩ = σ² over the grid's
  /// retained modes. The default: the power at each resonant scale is then exactly what QLT
  /// evaluated on the same discrete spectrum assumes, and the realized rms scatters around σ.
  case expectedVariance = "expected"
  /// Scale each realization so that its grid rms is exactly σ. Removes the scatter of the total
  /// power but lets low-k cosmic variance leak into the normalization of the inertial range.
  case realizedRMS = "realized"
}

/// How a moving field is evaluated (`FieldSpec.evaluation`).
public enum FieldEvaluation: Sendable, Hashable {
  /// On the spec's grid: static fields, and Alfvén or slab waves as patterns translating at ±v_A
  /// (`Turbulence.TravelingGridField`).
  case grid
  /// Grid-free and exact: `waves` plane waves per mode family and direction of propagation
  /// (`Turbulence.PlaneWaveField`); needed for slow and fast modes, whose waves have no common
  /// phase velocity.
  case planeWaves(waves: Int)
}

/// Errors in a field specification; each names the spec key and the allowed range.
public typealias FieldSpecError = SpectrumError

/// A complete, validated description of a synthetic turbulent field: what to synthesize, on
/// which grid, from which seed. The same value regenerates the same field bit for bit.
public struct FieldSpec: Sendable, Hashable {
  public let spectrum: TurbulenceSpectrum
  public let geometry: GridGeometry
  public let seed: UInt64
  public let normalization: FieldNormalization
  /// How the modes move (nil: a static magnetic field, the default).
  public let motion: WaveMotion?
  /// How the field is evaluated (always `.grid` for static fields).
  public let evaluation: FieldEvaluation

  /// The same field at another δB_rms/B₀: spectrum shape and range, grid, seed, normalization
  /// and motion unchanged (a run spec's `db_over_b0`, e.g. a preset's field in QLT's weak regime).
  public func scaled(toTurbulenceLevel level: Double) throws(FieldSpecError) -> FieldSpec {
    let scaled = try TurbulenceSpectrum(
      components: spectrum.components, minimumWavenumber: spectrum.minimumWavenumber,
      maximumWavenumber: spectrum.maximumWavenumber, turbulenceLevel: level)
    return try FieldSpec(
      spectrum: scaled, geometry: geometry, seed: seed, normalization: normalization, motion: motion, evaluation: evaluation)
  }

  /// Largest grid a spec may ask for: 12 bytes per cell for the field plus 12 for diagnostics
  /// must fit well inside the 24 GiB machines Larmor is planned for.
  public static let maximumCellCount = 1 << 30

  public init(
    spectrum: TurbulenceSpectrum, geometry: GridGeometry, seed: UInt64,
    normalization: FieldNormalization = .expectedVariance, motion: WaveMotion? = nil, evaluation: FieldEvaluation = .grid
  ) throws(FieldSpecError) {
    let n = geometry.counts
    for axis in 0..<3 {
      let name = ["nx", "ny", "nz"][axis]
      guard n[axis] >= 1, n[axis] <= 1 << 20 else {
        throw FieldSpecError(key: "grid.\(name)", "must lie in [1, 1048576], got \(n[axis])")
      }
      let side = geometry.boxSize[axis]
      guard side.isFinite, side > 0 else {
        throw FieldSpecError(key: "grid.box", "box sides must be finite and > 0 (in L), got \(side) along \("xyz".map(String.init)[axis])")
      }
    }
    guard n.x * n.y * n.z <= Self.maximumCellCount else {
      throw FieldSpecError(key: "grid", "\(n.x)×\(n.y)×\(n.z) cells exceed the limit of 2^30 cells (12 GiB of float32 field)")
    }
    let usedAxes = spectrum.isSlab ? [2] : [0, 1, 2]
    if spectrum.isSlab {
      guard n.z >= 4 else { throw FieldSpecError(key: "grid.nz", "a slab field needs nz ≥ 4 points along B₀, got \(n.z)") }
    } else {
      guard n.x >= 4, n.y >= 4, n.z >= 4 else {
        throw FieldSpecError(key: "grid", "a three-dimensional spectrum needs ≥ 4 points on every axis, got \(n.x)×\(n.y)×\(n.z)")
      }
    }
    let nyquist = geometry.nyquistWavenumber
    let Δk = geometry.wavenumberSpacing
    if spectrum.table == nil, spectrum.components.contains(where: { if case .tabulated = $0.family { true } else { false } }) {
      throw FieldSpecError(key: "model", "a table cannot be mixed with spectra given by formulae: synthesize it alone")
    }
    if let table = spectrum.table {
      // A table sets its own k-range; the grid holds what of it lies on its modes (the share is
      // reported after synthesis), and must hold some.
      guard table.latticeVariance(on: geometry) > 0 else {
        throw FieldSpecError(
          key: "model",
          "none of the table's power lies on this grid's modes (|k_i| from 2π/L_i to below the Nyquist wavenumbers \(nyquist.x), \(nyquist.y), \(nyquist.z) 1/L; the table spans k_⊥ ∈ [\(table.perpendicularEdges.first!), \(table.perpendicularEdges.last!)], |k_∥| ∈ [\(table.parallelEdges.first!), \(table.parallelEdges.last!)]): change the box or the resolution")
      }
    }
    for axis in usedAxes where spectrum.table == nil {
      let name = "xyz".map(String.init)[axis]
      guard spectrum.maximumWavenumber.isFinite else {
        throw FieldSpecError(
          key: "k_max",
          "inf is for QLT only (larmor qlt); a field on a grid needs k_max below its Nyquist wavenumber π/Δ\(name) = \(nyquist[axis]) (1/L)")
      }
      guard spectrum.maximumWavenumber < nyquist[axis] else {
        throw FieldSpecError(
          key: "k_max",
          "must be below the grid's Nyquist wavenumber π/Δ\(name) = \(nyquist[axis]) (1/L); got \(spectrum.maximumWavenumber): refine the grid or lower k_max")
      }
      guard spectrum.minimumWavenumber >= Δk[axis] * (1 - 1e-9) else {
        throw FieldSpecError(
          key: "k_min",
          "must be ≥ the box's fundamental 2π/L_\(name) = \(Δk[axis]) (1/L); got \(spectrum.minimumWavenumber): enlarge the box along \(name)")
      }
    }
    self.spectrum = spectrum
    self.geometry = geometry
    self.seed = seed
    self.normalization = normalization
    self.motion = motion
    self.evaluation = evaluation
    if let motion {
      for c in spectrum.components {
        guard motion.frequency(of: c.family, at: Vec3(1, 0, 1), direction: 1) != nil else {
          throw FieldSpecError(key: "alfven_speed", "\(c.family.name) turbulence is magnetostatic (no MHD dispersion relation) and cannot move; use alfven, slow, fast, slab or a mixture of them")
        }
        if evaluation == .grid, !(c.family.isSlab || c.family.name == "alfven") {
          throw FieldSpecError(key: "evaluation", "moving \(c.family.name) modes have no common phase velocity and cannot be evaluated on a grid; use evaluation = \"plane_waves\"")
        }
      }
      if case .planeWaves(let waves) = evaluation, !(1...(1 << 20)).contains(waves) {
        throw FieldSpecError(key: "waves", "must lie in [1, 1048576] (plane waves per family and direction), got \(waves)")
      }
    } else if evaluation != .grid {
      throw FieldSpecError(key: "evaluation", "plane waves are for moving fields only: set alfven_speed, or evaluation = \"grid\"")
    }
  }

  /// The same spec with another seed (field realization r uses seed + r).
  public func reseeded(_ seed: UInt64) throws(FieldSpecError) -> FieldSpec {
    try FieldSpec(spectrum: spectrum, geometry: geometry, seed: seed, normalization: normalization, motion: motion, evaluation: evaluation)
  }
}
