import FieldStorage
import LarmorCore
import Orbits
import Turbulence

/// The field of one realization, as the runner takes it: a static grid field (magnetostatic
/// kernels) or a moving field (`MovingFieldKernel`: electric kicks, momentum changes).
public enum TraceField: Sendable {
  case grid(GridField)
  case traveling(TravelingGridField)
  /// Plane waves are grid-free; the geometry gives the box particles start in and the cell
  /// size the step rule uses.
  case planeWaves(PlaneWaveField, GridGeometry)

  public var geometry: GridGeometry {
    switch self {
    case .grid(let f): f.geometry
    case .traveling(let f): f.geometry
    case .planeWaves(_, let g): g
    }
  }

  /// The largest wave frequency |ω| (c/L) for the step rule: 0 for a static grid, v_A times the
  /// largest grid k_∥ for travelling patterns, the largest wave's for plane waves.
  public var maximumFrequency: Double {
    switch self {
    case .grid: 0
    case .traveling(let f): f.patterns.map { abs($0.speed) }.max().map { $0 * .pi / f.geometry.cellSize.z } ?? 0
    case .planeWaves(let f, _): f.maximumFrequency
    }
  }

  /// Moves grids larger than the caches onto huge pages (fewer TLB misses; see
  /// `GridField.collapseToHugePages`). Contents are unchanged.
  func preparedForTracing() -> TraceField {
    switch self {
    case .grid(let f) where f.benefitsFromPrefetch: _ = f.collapseToHugePages()
    case .traveling(let f): for p in f.patterns where p.fluctuation.benefitsFromPrefetch { _ = p.fluctuation.collapseToHugePages() }
    default: break
    }
    return self
  }

  func makeState<O: ParticleObserver>(configuration: EnsembleConfiguration, initialConditions: InitialConditions, observer: O)
    -> EnsembleState<O>
  {
    switch self {
    case .grid(let f): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    case .traveling(let f): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    case .planeWaves(let f, _): EnsembleRunner.makeState(configuration: configuration, initialConditions: initialConditions, field: f, observer: observer)
    }
  }

  /// Advances `state` through `sample` (each case takes its own overload of `EnsembleRunner.run`).
  func run<O: ParticleObserver>(_ state: inout EnsembleState<O>, throughSample sample: Int, threads: Int) async throws(OrbitError) {
    switch self {
    case .grid(let f): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    case .traveling(let f): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    case .planeWaves(let f, _): try await EnsembleRunner.run(&state, in: f, throughSample: sample, threads: threads)
    }
  }
}

/// A realization's field with its δB/B₀ (the step rule's bound on |b|) and a one-line
/// description of how it was made (empty for a field read from a file).
public struct RealizationField: Sendable {
  public var field: TraceField
  public var turbulenceLevel: Double
  public var description: String

  public init(field: TraceField, turbulenceLevel: Double, description: String) {
    self.field = field
    self.turbulenceLevel = turbulenceLevel
    self.description = description
  }

  /// Realization r of a field spec (seed + r): a synthesized grid, Alfvén/slab grid patterns
  /// travelling at ±v_A, or plane waves, as the spec's motion and evaluation say.
  public static func synthesized(_ spec: FieldSpec, realization r: Int, threads: Int) throws -> RealizationField {
    let seeded = try spec.reseeded(spec.seed &+ UInt64(r))
    switch (seeded.motion, seeded.evaluation) {
    case (nil, _):
      return RealizationField(
        field: .grid(SpectralSynthesis.synthesize(seeded, threads: threads).field), turbulenceLevel: spec.spectrum.turbulenceLevel,
        description: "field")
    case (let motion?, .grid):
      return RealizationField(
        field: .traveling(try TravelingGridField.synthesize(seeded, motion: motion, threads: threads)),
        turbulenceLevel: spec.spectrum.turbulenceLevel, description: "travelling-wave grid patterns")
    case (let motion?, .planeWaves(let waves)):
      let planeWaves = try PlaneWaveField.synthesize(seeded.spectrum, motion: motion, waveCount: waves, seed: seeded.seed)
      return RealizationField(
        field: .planeWaves(planeWaves, seeded.geometry), turbulenceLevel: spec.spectrum.turbulenceLevel,
        description: "\(planeWaves.waves.count) plane waves")
    }
  }
}
