import Foundation
import QuasiLinear
import Transport

/// A validated `larmor scan` spec: a grid of interstellar media, each point's QLT D_∥(𝓡) per MHD
/// mode fed to the disk + halo transport model and compared with AMS-02 B/C.
///
/// ```toml
/// [scan]         rigidities_gv = [10, …, 1000] (or rigidity_min_gv, rigidity_max_gv, rigidity_count);
///                modes = ["all", "alfven", "slow", "fast"]; chi2_data = ["bc", "c", "o"];
///                reacceleration = "none" | "qlt" | "halo-alfven-speed"
/// [halo_medium]  preset = "halo" (optional base) and any [medium] key, a number or a list of numbers:
///                magnetic_field_uG, outer_scale_pc, ion_density_cm3, temperature_K, mach_alfven,
///                plasma_beta, confinement_length_pc, k_max; damping = "collisionless" | …
/// [disk_medium]  the same, for |z| < h₁ of a two-zone halo ([halo] inner_height_kpc)
/// [disk], [halo], [source], [output]   as for `larmor transport`; [source] fit_index = true fits
///                γ per row to the χ² of chi2_data
/// ```
/// Every combination of the listed values (halo × disk) is one point, in row-major order over
/// the keys sorted by zone (halo first) and name; every point is evaluated for each mode.
public struct ScanSpec: Sendable {
  /// One zone's medium grid: the base medium and the scanned keys with their values.
  public struct MediumGrid: Sendable {
    public var base: Medium
    /// (key, values) in the order they vary (the last fastest).
    public var axes: [(key: String, values: [Double])]
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }
  }

  public var galaxy: TransportSpecReader.Galaxy
  public var rigiditiesGV: [Double]
  /// "all" (the summed rate), "alfven", "slow", "fast".
  public var modes: [String]
  public var halo: MediumGrid
  public var disk: MediumGrid?
  /// The datasets summed into each point's χ² (B/C, C and O fluxes are reported either way).
  public var chiSquareData: [CosmicRayData.Dataset]
  /// The source index range searched per row, or nil for `galaxy.source`'s fixed index.
  public var sourceIndexRange: ClosedRange<Double>? { galaxy.sourceIndexRange }
  /// Reacceleration (numerical solver) or none (analytic solution).
  public enum Reacceleration: String, Sendable {
    case none
    /// Each zone's medium's own μ-averaged quasi-linear D_pp of the row's modes.
    case quasiLinear = "qlt"
    /// The standard D_pp D_∥ relation with the halo medium's v_A in every zone.
    case haloAlfvenSpeed = "halo-alfven-speed"
  }
  public var reacceleration: Reacceleration
  public var reaccelerates: Bool { reacceleration != .none }
  public var text: String

  /// Number of medium points (halo × disk combinations).
  public var pointCount: Int { halo.count * (disk?.count ?? 1) }

  /// The media of point `i` (row-major: the disk grid varies fastest).
  public func media(ofPoint i: Int) throws(InputError) -> (halo: Medium, disk: Medium?, parameters: [(String, Double)]) {
    let diskCount = disk?.count ?? 1
    let (h, d) = (i / diskCount, i % diskCount)
    let (haloMedium, haloParameters) = try Self.medium(halo, index: h, prefix: "halo")
    guard let disk else { return (haloMedium, nil, haloParameters) }
    let (diskMedium, diskParameters) = try Self.medium(disk, index: d, prefix: "disk")
    return (haloMedium, diskMedium, haloParameters + diskParameters)
  }

  static func medium(_ grid: MediumGrid, index: Int, prefix: String) throws(InputError) -> (Medium, [(String, Double)]) {
    var values = [String: Double]()
    var rest = index
    var parameters = [(String, Double)]()
    for axis in grid.axes.reversed() {
      let v = axis.values[rest % axis.values.count]
      rest /= axis.values.count
      values[axis.key] = v
    }
    for axis in grid.axes { parameters.append(("\(prefix)_\(axis.key)", values[axis.key]!)) }
    let b = grid.base
    do {
      let medium = try Medium(
        name: b.name, magneticFieldMicrogauss: values["magnetic_field_uG"] ?? b.magneticFieldMicrogauss,
        outerScaleParsec: values["outer_scale_pc"] ?? b.outerScaleParsec,
        ionDensityPerCubicCentimetre: values["ion_density_cm3"] ?? b.ionDensityPerCubicCentimetre,
        temperatureKelvin: values["temperature_K"] ?? b.temperatureKelvin, machNumber: values["mach_alfven"] ?? b.machNumber,
        plasmaBeta: values["plasma_beta"] ?? b.plasmaBetaOverride, damping: b.damping,
        confinementLengthParsec: values["confinement_length_pc"] ?? b.confinementLengthParsec,
        maximumWavenumber: values["k_max"] ?? b.maximumWavenumber)
      return (medium, parameters)
    } catch {
      throw InputError("\(prefix)_medium.\(error.parameter): must be \(error.allowedRange), got \(error.value) (point \(index) of the \(prefix) grid)")
    }
  }
}

public enum ScanSpecReader {
  /// The keys of a medium section that may be scanned (numbers or lists of numbers).
  static let scannedKeys = [
    "magnetic_field_uG", "outer_scale_pc", "ion_density_cm3", "temperature_K", "mach_alfven", "plasma_beta",
    "confinement_length_pc", "k_max",
  ]

  public static func read(_ document: SpecDocument) throws(InputError) -> ScanSpec {
    guard var scan = document.table("scan") else { throw InputError("\(document.path): missing [scan] section") }
    guard document.hasSection("halo_medium") else { throw InputError("\(document.path): missing [halo_medium] section") }
    let list = try scan.doubles("rigidities_gv")
    let low = try scan.double("rigidity_min_gv") ?? 10
    let high = try scan.double("rigidity_max_gv") ?? 1000
    let count = try scan.int("rigidity_count") ?? 7
    let modeNames = try scan.strings("modes") ?? ["all", "alfven", "slow", "fast"]
    let dataNames = try scan.strings("chi2_data") ?? CosmicRayData.Dataset.allCases.map(\.rawValue)
    let reaccelerationName = try scan.string("reacceleration") ?? "none"
    try scan.finish()
    guard let reacceleration = ScanSpec.Reacceleration(rawValue: reaccelerationName) else {
      throw scan.error("reacceleration", "must be \"none\", \"qlt\" (each medium's quasi-linear D_pp) or \"halo-alfven-speed\" (the halo medium's v_A in D_pp = 4p²v_A²/[3δ(4−δ²)(4−δ)D]), got '\(reaccelerationName)'")
    }

    let datasets = dataNames.compactMap(CosmicRayData.Dataset.init(rawValue:))
    guard !dataNames.isEmpty, datasets.count == dataNames.count, Set(datasets).count == datasets.count else {
      throw scan.error("chi2_data", "must be distinct names among \(CosmicRayData.Dataset.allCases.map(\.rawValue)), got \(dataNames)")
    }
    let rigidities: [Double]
    if let list {
      guard list.count >= 2, list.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1e10 }), zip(list, list.dropFirst()).allSatisfy({ $0 < $1 }) else {
        throw scan.error("rigidities_gv", "must be ≥ 2 increasing rigidities in (0, 1e10] GV (D(𝓡) is tabulated between them)")
      }
      rigidities = list
    } else {
      guard low.isFinite, low > 0, high.isFinite, high > low, high <= 1e10 else {
        throw scan.error("rigidity_max_gv", "need 0 < rigidity_min_gv < rigidity_max_gv ≤ 1e10 GV, got \(low), \(high)")
      }
      guard count >= 2, count <= 200 else { throw scan.error("rigidity_count", "must lie in [2, 200], got \(count)") }
      rigidities = (0..<count).map { low * pow(high / low, Double($0) / Double(count - 1)) }
    }
    let known = ["all", "alfven", "slow", "fast"]
    guard !modeNames.isEmpty, modeNames.allSatisfy(known.contains), Set(modeNames).count == modeNames.count else {
      throw scan.error("modes", "must be distinct names among \(known), got \(modeNames)")
    }
    let galaxy = try TransportSpecReader.readGalaxy(document)
    if reacceleration != .none && galaxy.sourceIndexRange != nil {
      throw scan.error("reacceleration", "needs the numerical solver (≈ 0.3 s a solve); [source] fit_index = true would make that ~35 solves a row: fix the index")
    }
    let halo = try grid(document, "halo_medium")
    var disk: ScanSpec.MediumGrid? = nil
    if document.hasSection("disk_medium") {
      guard galaxy.innerHeightKpc != nil else {
        throw InputError("\(document.path): [disk_medium] describes the inner zone of a two-zone halo: set [halo] inner_height_kpc")
      }
      disk = try grid(document, "disk_medium")
    } else if galaxy.innerHeightKpc != nil {
      throw InputError("\(document.path): halo.inner_height_kpc: a two-zone scan needs a [disk_medium] section for |z| < h₁")
    }
    let spec = ScanSpec(
      galaxy: galaxy, rigiditiesGV: rigidities, modes: modeNames, halo: halo, disk: disk, chiSquareData: datasets,
      reacceleration: reacceleration, text: document.text)
    guard spec.pointCount <= 1_000_000 else {
      throw InputError("\(document.path): the grid has \(spec.pointCount) points; at most 10⁶ are allowed")
    }
    // Every point's media must be valid: check them all before any work.
    for i in 0..<spec.pointCount {
      let halo = try spec.media(ofPoint: i).halo
      let speed = halo.alfvenSpeedCentimetresPerSecond / 1e5
      if spec.reacceleration == .haloAlfvenSpeed && !(speed <= 1000) {
        throw InputError("\(document.path): scan.reacceleration: the halo medium of point \(i) has v_A = \(speed) km/s; the transport model takes v_A ≤ 1000 km/s")
      }
    }
    return spec
  }

  static func grid(_ document: SpecDocument, _ section: String) throws(InputError) -> ScanSpec.MediumGrid {
    var m = document.table(section)!
    var base = Medium.halo
    if let preset = try m.string("preset") {
      switch preset {
      case "halo": base = Medium.halo
      case "disk-wim", "wim": base = Medium.warmIonizedMedium
      default: throw m.error("preset", "must be \"halo\" or \"disk-wim\", got '\(preset)'")
      }
    } else {
      // Without a preset the five plasma keys are required (they are all axes) and the optional
      // ones take the [medium] defaults: β from the plasma, collisionless damping, no H_zone.
      var first = [String: Double]()
      for key in ["magnetic_field_uG", "outer_scale_pc", "ion_density_cm3", "temperature_K", "mach_alfven"] {
        guard m.contains(key) else { throw m.error(key, "is required without a preset (a number or a list of numbers)") }
        first[key] = try m.doubles(key)?.first
      }
      do {
        base = try Medium(
          name: "medium", magneticFieldMicrogauss: first["magnetic_field_uG"] ?? 1, outerScaleParsec: first["outer_scale_pc"] ?? 1,
          ionDensityPerCubicCentimetre: first["ion_density_cm3"] ?? 1, temperatureKelvin: first["temperature_K"] ?? 1,
          machNumber: first["mach_alfven"] ?? 1, damping: .collisionless)
      } catch {
        throw InputError("\(document.path): \(section).\(error.parameter): must be \(error.allowedRange), got \(error.value)")
      }
    }
    var axes = [(key: String, values: [Double])]()
    for key in scannedKeys.sorted() {
      guard let values = try m.doubles(key) else { continue }
      guard !values.isEmpty, values.count <= 10_000, values.allSatisfy(\.isFinite) || key == "k_max" else {
        throw m.error(key, "must be a finite number or a non-empty list of them")
      }
      axes.append((key, values))
    }
    let dampingName = try m.string("damping")
    let name = try m.string("name")
    try m.finish()
    if dampingName != nil || name != nil {
      let damping = try dampingName.map { name throws(InputError) in try QLTSpecReader.damping(name, m) } ?? base.damping
      do {
        base = try Medium(
          name: name ?? base.name, magneticFieldMicrogauss: base.magneticFieldMicrogauss, outerScaleParsec: base.outerScaleParsec,
          ionDensityPerCubicCentimetre: base.ionDensityPerCubicCentimetre, temperatureKelvin: base.temperatureKelvin,
          machNumber: base.machNumber, plasmaBeta: base.plasmaBetaOverride, damping: damping,
          confinementLengthParsec: base.confinementLengthParsec, maximumWavenumber: base.maximumWavenumber)
      } catch {
        throw InputError("\(document.path): \(section).\(error.parameter): must be \(error.allowedRange), got \(error.value)")
      }
    }
    return ScanSpec.MediumGrid(base: base, axes: axes)
  }
}
