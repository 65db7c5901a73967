import Foundation
import LarmorCore

/// `[field.file]` of a spec: how to read external MHD snapshots (HDF5 cubes written by any code,
/// directly or through `python -m larmor.convert`). docs/outputs.md §7 is the contract.
///
/// Units: the magnetic datasets may be in any unit (b = B/|B₀| is formed on load); the velocity
/// datasets in any unit whose Alfvén speed is known (`alfvenSpeed`, or from `magneticUnits` and
/// the density); lengths in L through `box`.
public struct SnapshotSpec: Sendable, Equatable {
  /// How the mean field B₀ is found.
  public enum MeanField: Sendable, Equatable {
    /// The datasets hold the total field; B₀ = ⟨B⟩ over the cube.
    case measured
    /// The datasets hold δB only; B₀ is given, in the datasets' unit and axes.
    case given(Vec3)
  }

  /// How the datasets' three indices map onto x, y, z.
  public enum AxisOrder: String, Sendable, Equatable {
    /// Index [ix][iy][iz], z fastest (Larmor's own layout, h5py's C order of an (x, y, z) array).
    case xyz
    /// Index [iz][iy][ix], x fastest (the C view of Fortran-ordered or z-slowest output).
    case zyx
  }

  /// How the two magnetic unit systems relate B, ρ and v_A.
  public enum MagneticUnits: String, Sendable, Equatable {
    /// v_A = |B₀|/√ρ̄.
    case heavisideLorentz = "heaviside-lorentz"
    /// v_A = |B₀|/√(4πρ̄).
    case gaussian
  }

  /// Snapshot files (absolute paths); realization r reads `paths[r]`.
  public var paths: [String]
  /// Dataset names of B_x, B_y, B_z.
  public var magnetic: [String]
  /// Dataset names of u_x, u_y, u_z, if given.
  public var velocity: [String]?
  /// Dataset name of the mass density, if given.
  public var density: String?
  public var axisOrder: AxisOrder
  /// Box sides along the datasets' x, y, z, in L.
  public var box: Vec3
  public var meanField: MeanField
  /// Largest angle (degrees) between B₀ and the nearest grid axis that is accepted.
  public var meanFieldToleranceDegrees: Double
  /// v_A in the velocity datasets' unit, if given.
  public var alfvenSpeed: Double?
  /// The unit system, to compute v_A from B₀ and ⟨ρ⟩ when `alfvenSpeed` is not given.
  public var magneticUnits: MagneticUnits?
  /// Sound speed c_s in the velocity unit, if given (the decomposition's α = c_s²/v_A²).
  public var soundSpeed: Double?
  /// β with Larmor's convention c_s² = (Γ/2) β v_A², if given instead of `soundSpeed`.
  public var plasmaBeta: Double?
  /// Γ, for `plasmaBeta` (1 for an isothermal code).
  public var adiabaticIndex: Double
  /// Refuse a cube whose power-weighted spectral divergence exceeds this (see `SnapshotCheck`).
  public var maximumDivergence: Double
  /// Remove the longitudinal (k ∥ B_k) part of δb on load instead of refusing it.
  public var projectSolenoidal: Bool

  /// The default refusal threshold of the spectral divergence: a random, non-solenoidal field
  /// gives 1/√3 ≈ 0.58; a cell-centred average of a constrained-transport field stays well below.
  public static let defaultMaximumDivergence = 0.3
}

extension SnapshotSpec {
  /// c_s²/v_A² (the eigenvectors' α), or nil when neither the sound speed nor β is given.
  public func soundToAlfvenSquared(alfvenSpeed vA: Double?) -> Double? {
    if let beta = plasmaBeta { return adiabaticIndex / 2 * beta }
    if let cs = soundSpeed, let vA, vA > 0 { return cs * cs / (vA * vA) }
    return nil
  }
}

public enum SnapshotSpecReader {
  /// Reads `[field.file]` (the `file` sub-table of `[field]`); paths relative to the spec file.
  static func read(_ table: inout SpecTable, specPath: String) throws(InputError) -> SnapshotSpec {
    let base = URL(fileURLWithPath: specPath).deletingLastPathComponent()
    func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).path }
    let single = try table.string("path")
    let several = try table.strings("paths")
    let paths: [String]
    switch (single, several) {
    case (let p?, nil): paths = [resolve(p)]
    case (nil, let list?):
      guard !list.isEmpty else { throw table.error("paths", "must list at least one snapshot file") }
      guard Set(list).count == list.count else { throw table.error("paths", "lists a file twice: each realization needs its own snapshot") }
      paths = list.map(resolve)
    case (nil, nil): throw table.error("path", "is required: the snapshot's HDF5 file (or paths = [...] for several realizations)")
    default: throw table.error("path", "give path or paths, not both")
    }
    func names(_ key: String, _ defaults: [String]?) throws(InputError) -> [String]? {
      guard let list = try table.strings(key) else { return defaults }
      guard list.count == 3, list.allSatisfy({ !$0.isEmpty }) else {
        throw table.error(key, "must name three datasets (x, y, z components), got \(list)")
      }
      return list
    }
    let magnetic = try names("b", ["bx", "by", "bz"])!
    let velocity = try names("velocity", nil)
    let density = try table.string("density")
    let orderText = try table.string("axis_order") ?? "xyz"
    guard let order = SnapshotSpec.AxisOrder(rawValue: orderText) else {
      throw table.error("axis_order", "must be \"xyz\" (index [ix][iy][iz]) or \"zyx\" (index [iz][iy][ix]), got '\(orderText)'")
    }
    guard let boxList = try table.doubles("box") else {
      throw table.error("box", "is required: the box sides [L_x, L_y, L_z] along the datasets' axes, in units of L (the length unit of R = r_L/L)")
    }
    guard boxList.count == 3, boxList.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1e6 }) else {
      throw table.error("box", "must be three finite sides in (0, 1e6] L, got \(boxList)")
    }
    let meanText = try table.string("mean_field") ?? "measured"
    let b0 = try table.doubles("b0")
    let mean: SnapshotSpec.MeanField
    switch meanText {
    case "measured":
      if b0 != nil { throw table.error("b0", "is only read with mean_field = \"given\" (\"measured\" takes B₀ = ⟨B⟩ from the data)") }
      mean = .measured
    case "given":
      guard let b0, b0.count == 3, b0.allSatisfy(\.isFinite) else {
        throw table.error("b0", "is required with mean_field = \"given\": the mean field [B_x, B_y, B_z] in the datasets' unit")
      }
      let vector = Vec3(b0[0], b0[1], b0[2])
      guard vector.length > 0 else { throw table.error("b0", "must not be zero: Larmor's field unit is |B₀|") }
      mean = .given(vector)
    default:
      throw table.error("mean_field", "must be \"measured\" (the data hold the total field) or \"given\" (the data hold δB; give b0), got '\(meanText)'")
    }
    let tolerance = try table.double("mean_field_tolerance_deg") ?? 1
    guard tolerance.isFinite, tolerance >= 0, tolerance <= 10 else {
      throw table.error("mean_field_tolerance_deg", "must lie in [0, 10] degrees, got \(tolerance)")
    }
    let alfven = try table.double("alfven_speed")
    if let v = alfven, !(v.isFinite && v > 0) { throw table.error("alfven_speed", "must be finite and > 0 (the velocity datasets' unit), got \(v)") }
    let unitsText = try table.string("magnetic_units")
    var units: SnapshotSpec.MagneticUnits?
    if let unitsText {
      guard let u = SnapshotSpec.MagneticUnits(rawValue: unitsText) else {
        throw table.error("magnetic_units", "must be \"heaviside-lorentz\" (v_A = B/√ρ) or \"gaussian\" (v_A = B/√(4πρ)), got '\(unitsText)'")
      }
      guard density != nil else { throw table.error("magnetic_units", "computes v_A from the density: name its dataset with density = \"…\"") }
      units = u
    }
    if velocity != nil, alfven == nil, units == nil {
      throw table.error("velocity", "needs the Alfvén speed in the velocity unit: alfven_speed = …, or magnetic_units with a density dataset")
    }
    let sound = try table.double("sound_speed")
    let beta = try table.double("plasma_beta")
    if let c = sound, !(c.isFinite && c >= 0) { throw table.error("sound_speed", "must be finite and ≥ 0 (the velocity unit), got \(c)") }
    if let b = beta, !(b.isFinite && b >= 0 && b <= 1e6) { throw table.error("plasma_beta", "must lie in [0, 1e6], got \(b)") }
    if sound != nil, beta != nil { throw table.error("plasma_beta", "give sound_speed or plasma_beta, not both") }
    if sound != nil, alfven == nil, units == nil {
      throw table.error("sound_speed", "is in the velocity unit, so it needs the Alfvén speed: alfven_speed = …, or magnetic_units with a density dataset")
    }
    let gamma = try table.double("adiabatic_index") ?? 5.0 / 3
    guard gamma.isFinite, gamma >= 1, gamma <= 3 else { throw table.error("adiabatic_index", "must lie in [1, 3], got \(gamma)") }
    let maximumDivergence = try table.double("max_divergence") ?? SnapshotSpec.defaultMaximumDivergence
    guard maximumDivergence.isFinite, maximumDivergence > 0, maximumDivergence <= 1 else {
      throw table.error("max_divergence", "must lie in (0, 1] (a random non-solenoidal field gives 0.58), got \(maximumDivergence)")
    }
    let project = try table.bool("project_solenoidal") ?? false
    try table.finish()
    return SnapshotSpec(
      paths: paths, magnetic: magnetic, velocity: velocity, density: density, axisOrder: order,
      box: Vec3(boxList[0], boxList[1], boxList[2]), meanField: mean, meanFieldToleranceDegrees: tolerance, alfvenSpeed: alfven,
      magneticUnits: units, soundSpeed: sound, plasmaBeta: beta, adiabaticIndex: gamma, maximumDivergence: maximumDivergence,
      projectSolenoidal: project)
  }

  /// `[field.file]` of `document`, or nil when its `[field]` has no `file` table. `[field]` may then
  /// hold nothing else.
  static func read(_ document: SpecDocument) throws(InputError) -> SnapshotSpec? {
    guard var field = document.table("field"), field.contains("file") else { return nil }
    guard var file = try field.subtable("file") else { return nil }
    try field.finish()
    return try read(&file, specPath: document.path)
  }
}

extension SnapshotSpecReader {
  /// The public entry for commands that read only the snapshot (`larmor decompose`).
  public static func snapshotSpec(_ document: SpecDocument) throws(InputError) -> SnapshotSpec {
    guard let spec = try read(document) else {
      throw InputError("\(document.path): no [field.file] section: name the snapshot with [field.file] path = \"…\" and box = [...]")
    }
    return spec
  }
}
