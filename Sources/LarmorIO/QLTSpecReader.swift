import Foundation
import LarmorCore
import QuasiLinear

/// A validated `larmor qlt` spec: either the spectrum of a field spec (code units) or a medium
/// (physical units), with the [qlt] options.
///
/// `[field]` (with or without `[grid]`: QLT needs no grid, so k_max may be any value or `inf`) +
/// `[qlt]` (optional): `rigidities` (R = r_L/L; default three R with 1/R inside the
/// spectrum's k-range, `defaultRigidities`), `mu_points` (bin centres of a uniform grid on
/// (0, 1)) or `mu` (an explicit list in (−1, 1)), `resonance` ("sharp" |
/// "broadened"), `broadening` ("yan-lazarian": Δ² = M_A, "doubled": Δ² = 2M_A), `mach` (the M_A of
/// the width; default δB/B₀ of the field),
/// `discrete` (finite-time sum over the grid's modes: needs `[grid]`) and `time` (L/c, for `discrete`).
///
/// `[medium]` (`preset` = "halo" | "disk-wim", or `magnetic_field_uG`, `outer_scale_pc`,
/// `ion_density_cm3`, `temperature_K`, `mach_alfven`, `plasma_beta`, `damping`,
/// `confinement_length_pc`, `k_max`: the top of the cascade in 1/L, default 1e15, or `inf`) +
/// `[qlt]`: `rigidity_min_gv`, `rigidity_max_gv`, `rigidity_count` or
/// `rigidities_gv`; `charge`, `mass_number` (default proton); `confinement_cut`; `broadening`;
/// `mu` (optional list: D_μμ(μ) of each mode at each rigidity, besides D_∥); `electric_field`
/// (default false: D_μμ without the waves' electric field, the published Yan & Lazarian form;
/// true weights each resonance by (1 − μω/(k_∥v))², see `QuasiLinearCoefficient`).
public enum QLTSpec: Sendable {
  case field(FieldQLT)
  case medium(MediumQLT)

  public struct FieldQLT: Sendable {
    public var spectrum: TurbulenceSpectrum
    /// The modes' motion (nil: magnetostatic).
    public var motion: WaveMotion?
    /// The grid of `[grid]`, read only for `discrete` (whose modes are the grid's).
    public var geometry: GridGeometry?
    public var rigidities: [Double]
    /// True when the spec gave no `rigidities` and `rigidities` are the default set.
    public var rigiditiesAreDefault: Bool
    public var pitchCosines: [Double]
    public var settings: SolverSettings
    /// Finite time (L/c) for the discrete-mode kernel; nil for the asymptotic continuum QLT.
    public var discreteTime: Double?
  }

  public struct MediumQLT: Sendable {
    public var medium: Medium
    public var rigiditiesGigavolts: [Double]
    public var particle: ParticleSpecies
    public var resonance: ResonanceFunction
    public var confinementCut: Bool
    /// `[qlt] mu`: where to report D_μμ(μ) of each mode (empty: D_∥ only).
    public var pitchCosines: [Double]
    /// `[qlt] electric_field`: D_μμ with the waves' electric field (nil: not given, false).
    public var electricField: Bool? = nil
  }
}

public enum QLTSpecReader {
  public static func read(_ document: SpecDocument) throws(InputError) -> QLTSpec {
    var qlt = document.table("qlt") ?? SpecTable(file: document.path, section: "qlt", table: .init())
    let convention = try qlt.string("broadening") ?? "yan-lazarian"
    let broadening: BroadeningConvention
    switch convention {
    case "yan-lazarian": broadening = .yanLazarian
    case "doubled": broadening = .doubled
    default: throw qlt.error("broadening", "must be \"yan-lazarian\" (Δ² = M_A) or \"doubled\" (Δ² = 2M_A), got '\(convention)'")
    }

    if document.hasSection("medium") {
      let medium = try readMedium(document)
      let list = try qlt.doubles("rigidities_gv")
      let low = try qlt.double("rigidity_min_gv") ?? 1
      let high = try qlt.double("rigidity_max_gv") ?? 1e4
      let count = try qlt.int("rigidity_count") ?? 12
      let charge = try qlt.int("charge") ?? 1
      let massNumber = try qlt.int("mass_number") ?? 1
      let cut = try qlt.bool("confinement_cut") ?? true
      let electricField = try qlt.bool("electric_field")
      let resonanceName = try qlt.string("resonance") ?? "broadened"
      let mu = try qlt.doubles("mu")
      if let mu, mu.isEmpty || mu.count > 10_000 || !mu.allSatisfy({ $0.isFinite && abs($0) < 1 }) {
        throw qlt.error("mu", "must be 1 to 10000 pitch-angle cosines with |μ| < 1")
      }
      try qlt.finish()
      let rigidities: [Double]
      if let list {
        guard !list.isEmpty, list.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1e10 }) else {
          throw qlt.error("rigidities_gv", "must be rigidities in (0, 1e10] GV")
        }
        rigidities = list
      } else {
        guard low.isFinite, low > 0, high.isFinite, high > low, high <= 1e10 else {
          throw qlt.error("rigidity_max_gv", "need 0 < rigidity_min_gv < rigidity_max_gv ≤ 1e10 GV, got \(low), \(high)")
        }
        guard count >= 1, count <= 1000 else { throw qlt.error("rigidity_count", "must lie in [1, 1000], got \(count)") }
        rigidities = count == 1 ? [low] : (0..<count).map { low * pow(high / low, Double($0) / Double(count - 1)) }
      }
      guard charge >= 1, charge <= 100 else { throw qlt.error("charge", "must lie in [1, 100], got \(charge)") }
      guard massNumber >= 1, massNumber <= 300 else { throw qlt.error("mass_number", "must lie in [1, 300], got \(massNumber)") }
      let particle = charge == 1 && massNumber == 1 ? ParticleSpecies.proton : .nucleus(chargeNumber: charge, massNumber: massNumber)
      let resonance: ResonanceFunction
      switch resonanceName {
      case "broadened": resonance = .broadened(machNumber: medium.machNumber, convention: broadening)
      case "sharp": resonance = .sharp
      default: throw qlt.error("resonance", "must be \"broadened\" or \"sharp\", got '\(resonanceName)'")
      }
      return .medium(
        .init(
          medium: medium, rigiditiesGigavolts: rigidities, particle: particle, resonance: resonance, confinementCut: cut,
          pitchCosines: mu ?? [], electricField: electricField))
    }

    guard document.hasSection("field") else {
      throw InputError("\(document.path): needs a [field] section (a spectrum in code units) or a [medium] section (physical units)")
    }
    let discrete = try qlt.bool("discrete") ?? false
    // The grid matters to the discrete-mode sum only; otherwise [grid] is the synthesis's.
    let turbulence = try FieldSpecReader.readTurbulence(document)
    var geometry: GridGeometry? = nil
    if discrete {
      guard document.hasSection("grid") else { throw qlt.error("discrete", "sums the modes of a grid: the spec needs a [grid] section") }
      geometry = try FieldSpecReader.read(document).geometry
    }
    let spectrum = turbulence.spectrum
    let given = try qlt.doubles("rigidities")
    let rigidities = given ?? defaultRigidities(spectrum)
    guard !rigidities.isEmpty, rigidities.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1e6 }) else {
      throw qlt.error("rigidities", "must be values R = r_L/L in (0, 1e6]")
    }
    let pointCount = try qlt.int("mu_points")
    let list = try qlt.doubles("mu")
    if pointCount != nil, list != nil { throw qlt.error("mu", "give either mu (a list) or mu_points (a count), not both") }
    let points = pointCount ?? 40
    guard points >= 2, points <= 10_000 else { throw qlt.error("mu_points", "must lie in [2, 10000], got \(points)") }
    if let list {
      guard !list.isEmpty, list.count <= 10_000, list.allSatisfy({ $0.isFinite && abs($0) < 1 }) else {
        throw qlt.error("mu", "must be 1 to 10000 pitch-angle cosines with |μ| < 1")
      }
    }
    let resonanceName = try qlt.string("resonance") ?? "sharp"
    // Resonance broadening width: M_A of the turbulence. For trans-Alfvénic injection
    // δB/B₀ = M_A (docs/physics.md §0), so the field's own δB/B₀ is the default.
    let mach = try qlt.double("mach") ?? spectrum.turbulenceLevel
    guard mach.isFinite, mach > 0 else { throw qlt.error("mach", "must be finite and > 0, got \(mach)") }
    let time = try qlt.double("time")
    try qlt.finish()
    var settings = SolverSettings()
    switch resonanceName {
    case "sharp": settings.resonance = .sharp
    case "broadened": settings.resonance = .broadened(machNumber: mach, convention: broadening)
    default: throw qlt.error("resonance", "must be \"sharp\" or \"broadened\", got '\(resonanceName)'")
    }
    if spectrum.maximumWavenumber == .infinity, resonanceName == "broadened",
      spectrum.components.contains(where: { $0.family.name == "isotropic" })
    {
      // The closed-form tail of the isotropic harmonic sum (`IsotropicHarmonicTail`) holds for the
      // sharp resonance; broadened terms without k_max converge only as m^(−q): ~10³ orders per μ.
      throw qlt.error(
        "resonance", "\"broadened\" isotropic turbulence needs a finite field.k_max (with k_max = inf only \"sharp\" is summed in closed form)")
    }
    if discrete {
      guard let time, time.isFinite, time > 0 else { throw qlt.error("time", "discrete = true needs a finite time > 0 (L/c)") }
      if turbulence.motion != nil { throw qlt.error("discrete", "sums magnetostatic grid modes; it does not apply to a spec whose modes move (alfven_speed)") }
    } else if time != nil {
      throw qlt.error("time", "applies to discrete = true only (the continuum QLT is the t → ∞ limit)")
    }
    if let motion = turbulence.motion { settings = settings.moving(motion) }
    // Default: bin centres of a uniform μ grid on (0, 1) (D_μμ is even in μ for these spectra).
    let mu = list ?? (0..<points).map { (Double($0) + 0.5) / Double(points) }
    return .field(
      .init(
        spectrum: spectrum, motion: turbulence.motion, geometry: geometry, rigidities: rigidities,
        rigiditiesAreDefault: given == nil, pitchCosines: mu, settings: settings, discreteTime: discrete ? time : nil))
  }

  /// Without `[qlt] rigidities`: R = 1/k at k = k_min^(1−f) k_max^f, f = 3/4, 1/2, 1/4 (R
  /// increasing), so that the gyroresonance k_∥ = 1/(R|μ|) lies inside the field's spectrum for
  /// |μ| from 1 down to (k_min/k_max)^(1−f). For k_max = ∞: k = 10³, 10², 10 k_min.
  static func defaultRigidities(_ spectrum: TurbulenceSpectrum) -> [Double] {
    let (low, high) = (spectrum.minimumWavenumber, spectrum.maximumWavenumber)
    guard high.isFinite else { return [3.0, 2, 1].map { 1 / (low * pow(10, $0)) } }
    return [0.75, 0.5, 0.25].map { f in 1 / (pow(low, 1 - f) * pow(high, f)) }
  }

  /// The fast-mode damping model named by a medium's `damping` key.
  static func damping(_ name: String, _ table: SpecTable) throws(InputError) -> FastModeDampingModel {
    switch name {
    case "none": .none
    case "collisionless": .collisionless
    case "viscous": .viscous
    case "both": .smallestOfBoth
    default: throw table.error("damping", "must be \"collisionless\", \"viscous\", \"both\" or \"none\", got '\(name)'")
    }
  }

  static func readMedium(_ document: SpecDocument) throws(InputError) -> Medium {
    var m = document.table("medium")!
    let kMax = try m.double("k_max") ?? 1e15
    guard kMax > 1 else { throw m.error("k_max", "must be > k_min = 1/L (in 1/L), or inf, got \(kMax)") }
    if let preset = try m.string("preset") {
      try m.finish()
      let base: Medium
      switch preset {
      case "halo": base = Medium.halo
      case "disk-wim", "wim": base = Medium.warmIonizedMedium
      default: throw m.error("preset", "must be \"halo\" or \"disk-wim\", got '\(preset)'")
      }
      do { return try base.withMaximumWavenumber(kMax) } catch {
        throw InputError("\(document.path): medium.\(error.parameter): must be \(error.allowedRange), got \(error.value)")
      }
    }
    let b = try m.requiredDouble("magnetic_field_uG", "mean field in μG")
    let l = try m.requiredDouble("outer_scale_pc", "injection scale L in pc")
    let n = try m.requiredDouble("ion_density_cm3", "ion density in cm⁻³")
    let t = try m.requiredDouble("temperature_K", "temperature in K")
    let mach = try m.requiredDouble("mach_alfven", "Alfvén Mach number at injection")
    let beta = try m.double("plasma_beta")
    let dampingName = try m.string("damping") ?? "collisionless"
    let zone = try m.double("confinement_length_pc")
    let name = try m.string("name") ?? "medium"
    try m.finish()
    let damping = try Self.damping(dampingName, m)
    do {
      return try Medium(
        name: name, magneticFieldMicrogauss: b, outerScaleParsec: l, ionDensityPerCubicCentimetre: n,
        temperatureKelvin: t, machNumber: mach, plasmaBeta: beta, damping: damping, confinementLengthParsec: zone,
        maximumWavenumber: kMax)
    } catch {
      throw InputError("\(document.path): medium.\(error.parameter): must be \(error.allowedRange), got \(error.value)")
    }
  }
}
