import Foundation
import LarmorCore
import Transport

/// A validated `larmor transport` model spec (physical units: pc, kpc, cm⁻³, cm²/s, GV, km/s).
///
/// ```toml
/// [disk]      half_thickness_pc = 100, hydrogen_density = 1.0, helium_ratio = 0.1
/// [halo]      height_kpc = 4.0; inner_height_kpc = 1.0 (two zones: [diffusion] for |z| < h₁,
///             [outer_diffusion] for h₁ < |z| < H; fixed D models only)
/// [outer_diffusion] model = "power-law" | "broken-power-law" | "table", same keys as [diffusion]
/// [source]    index = 2.3, o_to_c = 1.1, n_to_c = 0.2; fit_index = true, index_range = [1.8, 3.2]
///             (γ fitted to the C and O fluxes at the D(𝓡) of [diffusion]; `index` is the start)
/// [diffusion] model = "fit" | "power-law" | "fit-broken" | "broken-power-law" | "table"; d0 = 3e28;
///             reference_gv = 10; delta = 0.5; fit_min_gv = 10; break_gv = 300, delta_break = 0.15,
///             smoothness = 0.1 (broken); rigidities_gv = […], coefficients = […] (table)
/// [solver]    method = "analytic" | "numerical"; energy_losses; wind_km_s; alfven_speed_km_s, or
///             dpp_rigidities_gv, dpp_s (D_pp/p² in 1/s; inner zone) and outer_dpp_s (two zones)
/// [output]    modulation_gv = 0.7; chi2_min_gv = 10
/// ```
public struct TransportSpec: Sendable {
  public enum Diffusion: Sendable {
    case powerLaw(PowerLawDiffusion)
    case fit(start: PowerLawDiffusion, minimumRigidityGV: Double)
    case brokenPowerLaw(BrokenPowerLawDiffusion)
    /// Fit of D₀, δ, 𝓡_b, Δδ (smoothness fixed) from `start`.
    case fitBroken(start: BrokenPowerLawDiffusion, minimumRigidityGV: Double)
    case table(TabulatedDiffusion)
  }

  public var disk: GalacticDisk
  public var haloHeightKpc: Double
  public var source: SourceSpectrum
  /// The source index γ is fitted in this range, or nil for `source.spectralIndex` fixed.
  public var sourceIndexRange: ClosedRange<Double>?
  public var diffusion: Diffusion
  /// Two-zone halo: the inner zone's half-height h₁ (kpc) and the outer zone's D (h₁ < |z| < H);
  /// nil for one zone.
  public var outerZone: (innerHeightKpc: Double, diffusion: any DiffusionModel)?
  public var numerical: Bool
  public var processes: TransportProcesses
  public var modulation: ForceFieldModulation
  /// χ² is reported over AMS-02 bins above this rigidity (GV).
  public var chiSquareMinimumGV: Double
  /// The B/C log-log slope of model and data is fitted above this rigidity (GV).
  public var slopeMinimumGV: Double
  public var text: String
}

public enum TransportSpecReader {
  /// A fixed D(𝓡) (`power-law`, `broken-power-law` or `table`) from a section with the keys of
  /// [diffusion].
  static func fixedDiffusion(
    _ t: inout SpecTable, document: SpecDocument,
    wrap: (String, () throws(TransportError) -> any DiffusionModel) throws(InputError) -> any DiffusionModel
  ) throws(InputError) -> any DiffusionModel {
    let model = try t.string("model") ?? "power-law"
    let d0 = try t.double("d0") ?? 3e28
    let reference = try t.double("reference_gv") ?? 10
    let delta = try t.double("delta") ?? 0.5
    let breakRigidity = try t.double("break_gv") ?? 300
    let breakChange = try t.double("delta_break") ?? 0.15
    let smoothness = try t.double("smoothness") ?? 0.1
    let r = try t.doubles("rigidities_gv"), c = try t.doubles("coefficients")
    try t.finish()
    let section = t.section
    switch model {
    case "power-law":
      return try wrap(section) { () throws(TransportError) in try PowerLawDiffusion(normalization: d0, referenceRigidityGV: reference, index: delta) }
    case "broken-power-law":
      return try wrap(section) { () throws(TransportError) in
        try BrokenPowerLawDiffusion(
          normalization: d0, referenceRigidityGV: reference, index: delta, breakRigidityGV: breakRigidity, indexChange: breakChange,
          smoothness: smoothness)
      }
    case "table":
      guard let r, let c else { throw t.error("rigidities_gv", "model = \"table\" needs rigidities_gv and coefficients (cm²/s)") }
      return try wrap(section) { () throws(TransportError) in try TabulatedDiffusion.checked(rigiditiesGV: r, coefficients: c) }
    default:
      throw t.error("model", "must be \"power-law\", \"broken-power-law\" or \"table\", got '\(model)'")
    }
  }

  /// The galaxy of a transport or scan spec: [disk], [halo] (height_kpc, inner_height_kpc), [source]
  /// and [output] (modulation_gv, chi2_min_gv, slope_min_gv).
  public struct Galaxy: Sendable {
    public var disk: GalacticDisk
    public var haloHeightKpc: Double
    /// h₁ of a two-zone halo (kpc), nil for one zone.
    public var innerHeightKpc: Double?
    public var source: SourceSpectrum
    /// [source] fit_index = true: the range γ is fitted in (index_range); nil for a fixed index.
    public var sourceIndexRange: ClosedRange<Double>?
    public var modulation: ForceFieldModulation
    public var chiSquareMinimumGV: Double
    public var slopeMinimumGV: Double
  }

  public static func readGalaxy(_ document: SpecDocument) throws(InputError) -> Galaxy {
    func wrap<T>(_ section: String, _ body: () throws(TransportError) -> T) throws(InputError) -> T {
      do { return try body() } catch { throw InputError("\(document.path): [\(section)]: \(error.description)") }
    }
    guard document.hasSection("halo") else { throw InputError("\(document.path): missing [halo] section") }
    var disk = document.table("disk") ?? SpecTable(file: document.path, section: "disk", table: .init())
    let h = try disk.double("half_thickness_pc") ?? 100
    let n = try disk.double("hydrogen_density") ?? 1
    let he = try disk.double("helium_ratio") ?? 0.1
    try disk.finish()
    let galacticDisk = try wrap("disk") { () throws(TransportError) in
      try GalacticDisk(halfThicknessPc: h, hydrogenDensity: n, heliumToHydrogenRatio: he)
    }

    var halo = document.table("halo")!
    let height = try halo.requiredDouble("height_kpc", "halo half-height H in kpc")
    let innerHeight = try halo.double("inner_height_kpc")
    try halo.finish()
    guard height.isFinite, height * 1000 > h, height <= 1000 else {
      throw halo.error("height_kpc", "must exceed the disk half-thickness \(h) pc and be ≤ 1000 kpc, got \(height) kpc")
    }

    var sourceTable = document.table("source") ?? SpecTable(file: document.path, section: "source", table: .init())
    let index = try sourceTable.double("index") ?? 2.3
    let oc = try sourceTable.double("o_to_c") ?? 1.1
    let nc = try sourceTable.double("n_to_c") ?? 0.2
    let fitIndex = try sourceTable.bool("fit_index") ?? false
    let indexRange = try sourceTable.doubles("index_range")
    try sourceTable.finish()
    var sourceIndexRange: ClosedRange<Double>? = nil
    if fitIndex {
      let r = indexRange ?? [1.8, 3.2]
      guard r.count == 2, r[0].isFinite, r[1].isFinite, r[0] > 0, r[0] < r[1], r[1] <= 6 else {
        throw sourceTable.error("index_range", "must be [γ_min, γ_max] with 0 < γ_min < γ_max ≤ 6, got \(r)")
      }
      sourceIndexRange = r[0]...r[1]
    } else if indexRange != nil {
      throw sourceTable.error("index_range", "is used only with fit_index = true (else index is the source index)")
    }
    let source = try wrap("source") { () throws(TransportError) in
      try SourceSpectrum(spectralIndex: index, oxygenToCarbon: oc, nitrogenToCarbon: nc)
    }

    if let inner = innerHeight {
      guard inner.isFinite, inner * 1000 > h, inner < height else {
        throw halo.error("inner_height_kpc", "must lie between the disk half-thickness \(h) pc and height_kpc = \(height) kpc, got \(inner) kpc")
      }
    }
    var output = document.table("output") ?? SpecTable(file: document.path, section: "output", table: .init())
    let phi = try output.double("modulation_gv") ?? 0.7
    let chiMinimum = try output.double("chi2_min_gv") ?? 10
    let slopeMinimum = try output.double("slope_min_gv") ?? 65
    try output.finish()
    guard slopeMinimum.isFinite, slopeMinimum > 0 else { throw output.error("slope_min_gv", "must be finite and > 0 GV, got \(slopeMinimum)") }
    let modulation = try wrap("output") { () throws(TransportError) in try ForceFieldModulation(potentialGV: phi) }
    guard chiMinimum.isFinite, chiMinimum > 0 else { throw output.error("chi2_min_gv", "must be finite and > 0 GV, got \(chiMinimum)") }

    return Galaxy(
      disk: galacticDisk, haloHeightKpc: height, innerHeightKpc: innerHeight, source: source, sourceIndexRange: sourceIndexRange,
      modulation: modulation,
      chiSquareMinimumGV: chiMinimum, slopeMinimumGV: slopeMinimum)
  }

  public static func read(_ document: SpecDocument) throws(InputError) -> TransportSpec {
    func wrap<T>(_ section: String, _ body: () throws(TransportError) -> T) throws(InputError) -> T {
      do { return try body() } catch { throw InputError("\(document.path): [\(section)]: \(error.description)") }
    }
    for required in ["halo", "diffusion"] where !document.hasSection(required) {
      throw InputError("\(document.path): missing [\(required)] section")
    }
    let galaxy = try readGalaxy(document)
    let (galacticDisk, height, innerHeight, source) = (galaxy.disk, galaxy.haloHeightKpc, galaxy.innerHeightKpc, galaxy.source)
    var d = document.table("diffusion")!
    let model = try d.string("model") ?? "fit"
    let d0 = try d.double("d0") ?? 3e28
    let reference = try d.double("reference_gv") ?? 10
    let delta = try d.double("delta") ?? 0.5
    let fitMinimum = try d.double("fit_min_gv") ?? 10
    let tableRigidities = try d.doubles("rigidities_gv")
    let tableCoefficients = try d.doubles("coefficients")
    let breakRigidity = try d.double("break_gv")
    let breakChange = try d.double("delta_break")
    let smoothness = try d.double("smoothness")
    let broken = model == "fit-broken" || model == "broken-power-law"
    if !broken {
      for key in ["break_gv", "delta_break", "smoothness"] where d.contains(key) {
        throw d.error(key, "applies to model = \"fit-broken\" or \"broken-power-law\" only")
      }
    }
    try d.finish()
    let powerLaw = try wrap("diffusion") { () throws(TransportError) in
      try PowerLawDiffusion(normalization: d0, referenceRigidityGV: reference, index: delta)
    }
    let diffusion: TransportSpec.Diffusion
    switch model {
    case "power-law": diffusion = .powerLaw(powerLaw)
    case "fit":
      guard fitMinimum.isFinite, fitMinimum > 0 else { throw d.error("fit_min_gv", "must be finite and > 0 GV, got \(fitMinimum)") }
      diffusion = .fit(start: powerLaw, minimumRigidityGV: fitMinimum)
    case "broken-power-law", "fit-broken":
      let b = try wrap("diffusion") { () throws(TransportError) in
        try BrokenPowerLawDiffusion(
          normalization: d0, referenceRigidityGV: reference, index: delta, breakRigidityGV: breakRigidity ?? 300,
          indexChange: breakChange ?? 0.15, smoothness: smoothness ?? 0.1)
      }
      if model == "broken-power-law" {
        diffusion = .brokenPowerLaw(b)
      } else {
        guard fitMinimum.isFinite, fitMinimum > 0 else { throw d.error("fit_min_gv", "must be finite and > 0 GV, got \(fitMinimum)") }
        diffusion = .fitBroken(start: b, minimumRigidityGV: fitMinimum)
      }
    case "table":
      guard let r = tableRigidities, let c = tableCoefficients else {
        throw d.error("rigidities_gv", "model = \"table\" needs rigidities_gv and coefficients (cm²/s)")
      }
      diffusion = .table(try wrap("diffusion") { () throws(TransportError) in try TabulatedDiffusion.checked(rigiditiesGV: r, coefficients: c) })
    default:
      throw d.error("model", "must be \"fit\", \"power-law\", \"fit-broken\", \"broken-power-law\" or \"table\", got '\(model)'")
    }

    var outerZone: (innerHeightKpc: Double, diffusion: any DiffusionModel)? = nil
    if let inner = innerHeight {
      guard var o = document.table("outer_diffusion") else {
        throw InputError("\(document.path): halo.inner_height_kpc: a two-zone halo needs an [outer_diffusion] section for h₁ < |z| < H")
      }
      switch diffusion {
      case .fit, .fitBroken: throw d.error("model", "fits use a one-zone halo; with inner_height_kpc give fixed models (power-law, broken-power-law, table)")
      default: break
      }
      outerZone = (inner, try fixedDiffusion(&o, document: document, wrap: wrap))
    } else if document.hasSection("outer_diffusion") {
      throw InputError("\(document.path): [outer_diffusion] applies to a two-zone halo only: set [halo] inner_height_kpc")
    }

    var solver = document.table("solver") ?? SpecTable(file: document.path, section: "solver", table: .init())
    let method = try solver.string("method") ?? "analytic"
    guard ["analytic", "numerical"].contains(method) else {
      throw solver.error("method", "must be \"analytic\" or \"numerical\", got '\(method)'")
    }
    let losses = try solver.bool("energy_losses") ?? false
    let wind = try solver.double("wind_km_s") ?? 0
    let alfven = try solver.double("alfven_speed_km_s") ?? 0
    let dppRigidities = try solver.doubles("dpp_rigidities_gv")
    let dpp = try solver.doubles("dpp_s"), outerDpp = try solver.doubles("outer_dpp_s")
    try solver.finish()
    if method == "analytic" && (losses || wind != 0 || alfven != 0 || dpp != nil) {
      throw solver.error("method", "energy losses, wind and reacceleration need method = \"numerical\"")
    }
    // Reacceleration from given D_pp/p² tables (1/s): dpp_s for the (inner) zone, outer_dpp_s for
    // h₁ < |z| < H of a two-zone halo, at dpp_rigidities_gv.
    var tables: [TabulatedMomentumDiffusion]? = nil
    if dpp != nil || outerDpp != nil || dppRigidities != nil {
      guard let r = dppRigidities, let inner = dpp else {
        throw solver.error("dpp_s", "reacceleration from a D_pp table needs dpp_rigidities_gv and dpp_s (D_pp/p² in 1/s)")
      }
      guard alfven == 0 else { throw solver.error("alfven_speed_km_s", "give either alfven_speed_km_s or a D_pp table, not both") }
      guard (outerDpp != nil) == (innerHeight != nil) else {
        throw solver.error("outer_dpp_s", innerHeight != nil ? "a two-zone halo needs outer_dpp_s for h₁ < |z| < H" : "is for a two-zone halo only ([halo] inner_height_kpc)")
      }
      tables = try ([inner] + (outerDpp.map { [$0] } ?? [])).map { rates throws(InputError) in
        try wrap("solver") { () throws(TransportError) in try TabulatedMomentumDiffusion(rigiditiesGV: r, rates: rates) }
      }
    }
    let processes = try wrap("solver") { () throws(TransportError) in
      try TransportProcesses(energyLosses: losses, windSpeedKmPerSecond: wind, alfvenSpeedKmPerSecond: alfven, momentumDiffusion: tables)
    }

    return TransportSpec(
      disk: galacticDisk, haloHeightKpc: height, source: source, sourceIndexRange: galaxy.sourceIndexRange, diffusion: diffusion,
      outerZone: outerZone,
      numerical: method == "numerical",
      processes: processes, modulation: galaxy.modulation, chiSquareMinimumGV: galaxy.chiSquareMinimumGV,
      slopeMinimumGV: galaxy.slopeMinimumGV,
      text: document.text)
  }
}

extension TabulatedDiffusion {
  /// The table, its checks reported as Transport reports its other parameters.
  static func checked(rigiditiesGV: [Double], coefficients: [Double]) throws(TransportError) -> TabulatedDiffusion {
    do { return try TabulatedDiffusion(rigiditiesGV: rigiditiesGV, coefficients: coefficients) } catch {
      throw .invalidTable(name: error.key, reason: error.message)
    }
  }
}
