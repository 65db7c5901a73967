import FieldStorage
import LarmorCore

/// Alfvén (or slab) waves on a grid: every mode of such a family travels at the same parallel
/// phase speed ω/k_∥ = ±v_A, so each direction's fluctuation is a static periodic pattern that
/// translates rigidly along B₀ (docs/physics.md §2.1):
///
///     b(x, t) = ẑ + δb₊(x − v_A t ẑ) + δb₋(x + v_A t ẑ),
///     e(x, t) = −v_A ẑ × δb₊(x − v_A t ẑ) + v_A ẑ × δb₋(x + v_A t ẑ),
///
/// in code units. This is exact for ω = ±k_∥v_A (no time interpolation: a pattern is sampled at
/// its own shifted position) and e is the ideal-MHD −δu × B₀ with the Walén velocity δu = ∓v_A δb,
/// which for one pattern equals −V × b: in the frame moving with a single pattern e′ = 0 and a
/// particle's energy is conserved there. Each pattern is a `GridField` (12 bytes per cell; 24 for
/// both directions) with periodic trilinear interpolation; a step samples one grid per pattern,
/// so it costs about twice a static step (benchmarks/README.md).
public struct TravelingGridField: ElectromagneticField {
  /// A fluctuation pattern (mean field zero) and its velocity along B₀ (c).
  public struct Pattern: Sendable {
    public let fluctuation: GridField
    public let speed: Double
    public init(fluctuation: GridField, speed: Double) {
      self.fluctuation = fluctuation
      self.speed = speed
    }
  }

  public let meanField: Vec3
  public let patterns: [Pattern]

  public init(patterns: [Pattern], meanField: Vec3 = Vec3(0, 0, 1)) {
    self.patterns = patterns
    self.meanField = meanField
  }

  @inlinable public func fields(at x: Vec3, time t: Double) -> FieldSample {
    var b = meanField, e = Vec3()
    for pattern in patterns {
      let δb = pattern.fluctuation.sample(at: Vec3(x.x, x.y, x.z - pattern.speed * t))
      b += δb
      // −V × δb with V = speed ẑ: speed (δb_y, −δb_x, 0).
      e += pattern.speed * Vec3(δb.y, -δb.x, 0)
    }
    return FieldSample(magnetic: b, electric: e)
  }

  /// One or two patterns on one lattice, as the cell-cached moving kernel takes them (nil otherwise).
  public var travelingPatterns: TravelingPatterns<GridField>? {
    guard (1...2).contains(patterns.count), patterns.allSatisfy({ $0.fluctuation.geometry == patterns[0].fluctuation.geometry })
    else { return nil }
    return TravelingPatterns(
      meanField: meanField, first: patterns[0].fluctuation, firstSpeed: patterns[0].speed,
      second: patterns.count == 2 ? patterns[1].fluctuation : nil, secondSpeed: patterns.count == 2 ? patterns[1].speed : 0)
  }

  /// The geometry shared by the patterns.
  public var geometry: GridGeometry { patterns[0].fluctuation.geometry }

  /// Synthesizes one pattern per direction of propagation from `spec` (which must hold only
  /// Alfvén or slab components): the direction s = ±1 carries the fraction (1 + sσ_c)/2 of σ²
  /// and is drawn from `spec.seed` (+B₀) or from a seed derived from it by `SplitMix64.mix` (−B₀),
  /// so the +B₀ pattern is the static field of the same spec and seed scaled by √((1 + σ_c)/2).
  public static func synthesize(_ spec: FieldSpec, motion: WaveMotion, threads: Int = 1) throws(SpectrumError)
    -> TravelingGridField
  {
    for component in spec.spectrum.components {
      switch component.family {
      case .alfven, .slab: continue
      default:
        throw SpectrumError(
          key: "evaluation",
          "a grid field can move only Alfvén and slab waves (one phase speed ω/k_∥ = ±v_A); \(component.family.name) modes need evaluation = \"plane_waves\"")
      }
    }
    var patterns: [Pattern] = []
    for s in [1, -1] {
      let share = motion.powerFraction(direction: s)
      guard share > 0 else { continue }
      let spectrum = try TurbulenceSpectrum(
        components: spec.spectrum.components, minimumWavenumber: spec.spectrum.minimumWavenumber,
        maximumWavenumber: spec.spectrum.maximumWavenumber, turbulenceLevel: spec.spectrum.turbulenceLevel * share.squareRoot())
      let seed = s > 0 ? spec.seed : SplitMix64.mix(spec.seed ^ 0x5EED_0F_A1F7E2)
      let directional = try FieldSpec(spectrum: spectrum, geometry: spec.geometry, seed: seed, normalization: spec.normalization)
      let field = SpectralSynthesis.synthesize(directional, threads: threads).field
      patterns.append(Pattern(fluctuation: field.withMeanField(Vec3()), speed: Double(s) * motion.alfvenSpeed))
    }
    return TravelingGridField(patterns: patterns)
  }
}
