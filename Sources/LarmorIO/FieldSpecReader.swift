import LarmorCore

/// Reads the `[field]` and `[grid]` sections of a spec file into a validated `FieldSpec`, or
/// `[field]` alone into a `TurbulenceInput` (what QLT needs: no grid, any k_max up to `inf`).
///
/// ```toml
/// [field]
/// model = "isotropic"      # slab | isotropic | alfven | slow | fast | mixture | tabulated (readTabulated)
/// db_over_b0 = 0.5         # δB_rms/B₀ over [k_min, k_max], all components
/// k_min = 6.283185307      # 1/L; default 2π (largest wavelength = L)
/// k_max = 100.0            # 1/L; below the grid's Nyquist wavenumber (QLT alone: any, or inf)
/// index = 1.6666667        # spectral index (slab q; isotropic/fast E(k) ∝ k^-index)
/// mach = 1.0               # Alfvén Mach number M_A of the GS cone (alfven, slow)
/// k_par_min = 6.283185307  # optional |k_∥| floor of the GS families, 1/L (e.g. k_min: no mode
///                          #   longer along B₀ than the injection scale); default none
/// fast_cutoff = 20.0       # optional isotropic fast-mode truncation k_c/k_min
/// seed = 1
/// normalization = "expected"   # or "realized"
/// fractions = { alfven = 0.5, slow = 0.2, fast = 0.3 }   # model = "mixture" only
///
/// # Moving waves (optional; without alfven_speed the field is magnetostatic):
/// alfven_speed = 0.05      # v_A in c, (0, 1)
/// plasma_beta = 0.1        # β = 8πp/B₀² > 0: c_s² = (5/6) β v_A² (slow and fast modes)
/// cross_helicity = 0.0     # [−1, 1]: fraction (1 + σ_c)/2 of the power travels along +B₀
/// evaluation = "grid"      # "grid" (alfven, slab: patterns moving at ±v_A) or "plane_waves"
///                          #   (exact, grid-free; the default when slow or fast modes move)
/// waves = 256              # plane waves per family and direction (plane_waves only)
/// decorrelation = 0.0      # ε ≥ 0: finite mode lifetime, frequency spread γ = ε|ω|, correlation
///                          #   cos(ωτ) exp(−γ²τ²/2) (plane_waves only; 0 = undamped waves)
///
/// [grid]
/// n = 128                  # or nx, ny, nz
/// box = 1.0                # side(s) in L: a number or [Lx, Ly, Lz]; default 2π/k_min
/// ```
public enum FieldSpecReader {
  public static let models = ["slab", "isotropic", "alfven", "slow", "fast", "mixture", "tabulated"]

  /// The `[field]` section as a spectrum and its motion, validated without a grid.
  public struct TurbulenceInput: Sendable {
    public var spectrum: TurbulenceSpectrum
    public var motion: WaveMotion?
    public var seed: UInt64
    public var normalization: FieldNormalization
    /// `evaluation` as given (nil: the default for the spectrum's families).
    public var evaluationName: String?
    public var waves: Int?
  }

  /// `[field]` and `[grid]`: the spec of a field to synthesize (k_max below Nyquist).
  public static func read(_ document: SpecDocument) throws(InputError) -> FieldSpec {
    guard var grid = document.table("grid") else { throw InputError("\(document.path): missing [grid] section") }
    let input = try readTurbulence(document)
    let spectrum = input.spectrum
    let counts = try readCounts(&grid, slab: spectrum.isSlab)
    let box: Vec3
    if let sides = try grid.doubles("box") {
      switch sides.count {
      case 1: box = Vec3(repeating: sides[0])
      case 3: box = Vec3(sides[0], sides[1], sides[2])
      default: throw grid.error("box", "must be one side or [Lx, Ly, Lz], got \(sides.count) numbers")
      }
    } else {
      box = Vec3(repeating: 2 * .pi / spectrum.minimumWavenumber)
    }
    try grid.finish()

    do {
      var evaluation = FieldEvaluation.grid
      if let motion = input.motion {
        let gridCapable = spectrum.components.allSatisfy { $0.family.isSlab || $0.family.name == "alfven" } && motion.decorrelation == 0
        if input.evaluationName == "plane_waves" || (input.evaluationName == nil && !gridCapable) {
          evaluation = .planeWaves(waves: input.waves ?? 256)
        }
      }
      return try FieldSpec(
        spectrum: spectrum, geometry: GridGeometry(counts: counts, boxSize: box), seed: input.seed,
        normalization: input.normalization, motion: input.motion, evaluation: evaluation)
    } catch { throw InputError(file: document.path, section: "field", error) }
  }

  /// `[field]` alone: the spectrum (k_max may be `inf`) and the motion, for QLT.
  public static func readTurbulence(_ document: SpecDocument) throws(InputError) -> TurbulenceInput {
    guard var field = document.table("field") else { throw InputError("\(document.path): missing [field] section") }

    guard let model = try field.string("model") else {
      throw field.error("model", "is required: one of \(models.joined(separator: ", "))")
    }
    guard models.contains(model) else {
      throw field.error("model", "must be one of \(models.joined(separator: ", ")), got '\(model)'")
    }
    if model == "tabulated" { return try readTabulated(&field, file: document.path) }
    let level = try field.requiredDouble("db_over_b0", "δB_rms/B₀, ≥ 0")
    let kMin = try field.double("k_min") ?? 2 * .pi
    let kMax = try field.requiredDouble("k_max", "largest wavenumber of the spectrum, in 1/L")
    let index = try field.double("index")
    let mach = try field.double("mach") ?? 1
    let fastCutoff = try field.double("fast_cutoff")
    let seedValue = try field.int("seed") ?? 1
    guard seedValue >= 0 else { throw field.error("seed", "must be a non-negative integer, got \(seedValue)") }
    let normalizationName = try field.string("normalization") ?? FieldNormalization.expectedVariance.rawValue
    guard let normalization = FieldNormalization(rawValue: normalizationName) else {
      throw field.error("normalization", "must be \"expected\" or \"realized\", got '\(normalizationName)'")
    }
    if let i = index, !(i.isFinite && i > 0 && i < 10) { throw field.error("index", "must lie in (0, 10), got \(i)") }
    if (model == "alfven" || model == "slow") && index != nil {
      throw field.error("index", "does not apply to \(model) modes: the Goldreich–Sridhar spectrum's k_⊥^(−10/3) is fixed (set mach for its anisotropy)")
    }
    if model != "alfven" && model != "slow" && model != "mixture" && field.contains("mach") {
      throw field.error("mach", "applies to the alfven, slow and mixture models only")
    }
    let parallelFloor = try field.double("k_par_min")
    if let f = parallelFloor {
      guard model == "alfven" || model == "slow" || model == "mixture" else {
        throw field.error("k_par_min", "applies to the Goldreich–Sridhar families (alfven, slow, and their share of a mixture) only")
      }
      guard f.isFinite, f >= 0, f < kMax else {
        throw field.error("k_par_min", "must be a finite |k_∥| floor in [0, k_max) (1/L), got \(f)")
      }
    }
    if model != "fast" && model != "mixture" && field.contains("fast_cutoff") {
      throw field.error("fast_cutoff", "applies to the fast and mixture models only")
    }
    if let c = fastCutoff, !(c.isFinite && c > 1) {
      throw field.error("fast_cutoff", "must be a finite k_c/k_min > 1, got \(c)")
    }

    let gs = GoldreichSridhar(machNumber: mach, parallelFloorFactor: (parallelFloor ?? 0) / kMin)
    let fast = FastModes(index: model == "fast" ? index ?? 1.5 : 1.5, damping: FastModeDamping(sharpCutoff: fastCutoff))
    var components: [SpectrumComponent]
    switch model {
    case "slab": components = [SpectrumComponent(.slab(index: index ?? 5.0 / 3))]
    case "isotropic": components = [SpectrumComponent(.isotropic(index: index ?? 5.0 / 3))]
    case "alfven": components = [SpectrumComponent(.alfven(gs))]
    case "slow": components = [SpectrumComponent(.slow(gs))]
    case "fast": components = [SpectrumComponent(.fast(fast))]
    default:
      if field.contains("index") { throw field.error("index", "does not apply to a mixture (each family has its own)") }
      guard var fractions = try field.subtable("fractions") else {
        throw field.error("fractions", "is required for a mixture, e.g. { alfven = 0.5, slow = 0.2, fast = 0.3 }")
      }
      components = []
      for name in ["isotropic", "alfven", "slow", "fast"] {
        guard let f = try fractions.double(name) else { continue }
        let family: ModeFamily =
          switch name {
          case "isotropic": .isotropic(index: 5.0 / 3)
          case "alfven": .alfven(gs)
          case "slow": .slow(gs)
          default: .fast(fast)
          }
        components.append(SpectrumComponent(family, fraction: f))
      }
      try fractions.finish()
      guard !components.isEmpty else { throw field.error("fractions", "names no mode family (isotropic, alfven, slow, fast)") }
    }
    if model != "mixture" && field.contains("fractions") {
      throw field.error("fractions", "applies to model = \"mixture\" only")
    }
    _ = try field.subtable("fractions")
    let alfvenSpeed = try field.double("alfven_speed")
    let beta = try field.double("plasma_beta")
    let crossHelicity = try field.double("cross_helicity")
    let evaluationName = try field.string("evaluation")
    let waves = try field.int("waves")
    let decorrelation = try field.double("decorrelation")
    let adiabaticIndex = try field.double("adiabatic_index")
    if alfvenSpeed == nil {
      for key in ["plasma_beta", "cross_helicity", "evaluation", "waves", "decorrelation", "adiabatic_index"] where field.contains(key) {
        throw field.error(key, "applies to moving fields only: set alfven_speed (v_A in c) as well")
      }
    }
    if let name = evaluationName, name != "grid", name != "plane_waves" {
      throw field.error("evaluation", "must be \"grid\" or \"plane_waves\", got '\(name)'")
    }
    if waves != nil && evaluationName == "grid" { throw field.error("waves", "applies to evaluation = \"plane_waves\" only") }
    if let decorrelation, decorrelation > 0, evaluationName == "grid" {
      throw field.error("decorrelation", "needs evaluation = \"plane_waves\": a grid pattern translates rigidly, its modes cannot decorrelate")
    }
    try field.finish()

    let spectrum: TurbulenceSpectrum
    do {
      spectrum = try TurbulenceSpectrum(
        components: components, minimumWavenumber: kMin, maximumWavenumber: kMax, turbulenceLevel: level)
    } catch { throw InputError(file: document.path, section: "field", error) }

    do throws(SpectrumError) {
      var motion: WaveMotion? = nil
      if let v = alfvenSpeed {
        motion = try WaveMotion(
          alfvenSpeed: v, plasmaBeta: beta ?? 0.1, crossHelicity: crossHelicity ?? 0, adiabaticIndex: adiabaticIndex ?? 5.0 / 3,
          decorrelation: decorrelation ?? 0)
      }
      if let motion {
        for c in spectrum.components where motion.frequency(of: c.family, at: Vec3(1, 0, 1), direction: 1) == nil {
          throw SpectrumError(
            key: "alfven_speed",
            "\(c.family.name) turbulence is magnetostatic (no MHD dispersion relation) and cannot move; use alfven, slow, fast, slab or a mixture of them")
        }
      }
      return TurbulenceInput(
        spectrum: spectrum, motion: motion, seed: UInt64(seedValue), normalization: normalization,
        evaluationName: evaluationName, waves: waves)
    } catch { throw InputError(file: document.path, section: "field", error) }
  }

  /// `model = "tabulated"`: a measured spectrum in `[field.table]` (what `larmor decompose` writes
  /// per part): `k_perp_edges`, `k_par_edges` (1/L, ascending), `alfven`, `pseudo` (variance per
  /// (k_⊥, |k_∥|) cell along ê_A and ê_θ, B₀², one row per k_⊥ cell); `db_over_b0` optionally
  /// rescales it. Static: the table names no mode family whose dispersion could move it.
  static func readTabulated(_ field: inout SpecTable, file: String) throws(InputError) -> TurbulenceInput {
    for key in ["k_min", "k_max", "index", "mach", "k_par_min", "fast_cutoff", "fractions", "alfven_speed", "plasma_beta", "cross_helicity",
      "evaluation", "waves", "decorrelation", "adiabatic_index", "normalization"] where field.contains(key) {
      throw field.error(key, "does not apply to model = \"tabulated\": the table is the spectrum (its edges set the k-range) and it is static")
    }
    let level = try field.double("db_over_b0")
    let seedValue = try field.int("seed") ?? 1
    guard seedValue >= 0 else { throw field.error("seed", "must be a non-negative integer, got \(seedValue)") }
    guard var table = try field.subtable("table") else {
      throw field.error("table", "is required for model = \"tabulated\": [field.table] with k_perp_edges, k_par_edges, alfven, pseudo")
    }
    func required<T>(_ value: T?, _ key: String, _ meaning: String) throws(InputError) -> T {
      guard let value else { throw table.error(key, "is required (\(meaning))") }
      return value
    }
    let perpendicular = try required(try table.doubles("k_perp_edges"), "k_perp_edges", "k_⊥ cell edges in 1/L, ascending")
    let parallel = try required(try table.doubles("k_par_edges"), "k_par_edges", "|k_∥| cell edges in 1/L, ascending")
    let alfven = try required(try table.rows("alfven"), "alfven", "variance along ê_A per cell, one row per k_⊥ cell")
    let pseudo = try required(try table.rows("pseudo"), "pseudo", "variance along ê_θ per cell, one row per k_⊥ cell")
    try table.finish()
    try field.finish()
    do {
      let tabulated = try TabulatedSpectrum(perpendicularEdges: perpendicular, parallelEdges: parallel, alfven: alfven, pseudo: pseudo)
      let spectrum = try TurbulenceSpectrum(tabulated: tabulated, turbulenceLevel: level)
      return TurbulenceInput(
        spectrum: spectrum, motion: nil, seed: UInt64(seedValue), normalization: .expectedVariance, evaluationName: nil, waves: nil)
    } catch { throw InputError(file: file, section: "field.table", error) }
  }

  private static func readCounts(_ grid: inout SpecTable, slab: Bool) throws(InputError) -> SIMD3<Int> {
    let n = try grid.int("n")
    let nx = try grid.int("nx"), ny = try grid.int("ny"), nz = try grid.int("nz")
    if let n {
      guard nx == nil, ny == nil, nz == nil else { throw grid.error("n", "give either n or nx, ny, nz, not both") }
      guard n >= 1 else { throw grid.error("n", "must be ≥ 1, got \(n)") }
      return slab ? SIMD3(1, 1, n) : SIMD3(n, n, n)
    }
    guard let nz else { throw grid.error("nz", "is required (or give n for a cubic grid)") }
    let counts = SIMD3(nx ?? 1, ny ?? 1, nz)
    for (name, value) in [("nx", counts.x), ("ny", counts.y), ("nz", counts.z)] where value < 1 {
      throw grid.error(name, "must be ≥ 1, got \(value)")
    }
    return counts
  }
}
