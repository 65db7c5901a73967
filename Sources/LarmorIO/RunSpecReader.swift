import Foundation
import LarmorCore

/// Where a run's turbulence comes from.
public enum FieldSource: Sendable {
  /// Synthesize from a spec; realization i uses seed `spec.seed + i`.
  case synthesized(FieldSpec, specText: String)
  /// A saved field file (one realization).
  case file(path: String)
  /// External snapshots (`[field.file]`); realization r reads `paths[r]`.
  case snapshots(SnapshotSpec)
}

/// A validated `larmor trace` run spec (sections [run], [particles], [estimators]; the field comes
/// from `run.field`, `run.field_file` or inline [field]/[grid] sections). Code units throughout.
public struct RunSpec: Sendable {
  public var field: FieldSource
  /// Independent field realizations (errors come from their scatter).
  public var realizations: Int
  /// Integration time, L/c.
  public var duration: Double
  /// Number of log-spaced sample times from `firstSample` to `duration`.
  public var sampleCount: Int
  /// First sample time, L/c (default, per rigidity: min(2πR/10, duration/10)).
  public var firstSample: Double?
  /// Extra linearly spaced samples (0 for none).
  public var linearSampleCount: Int
  /// Ω_max Δt with Ω_max = (1 + 4σ)/R (docs/physics.md §4.3).
  public var phasePerStep: Double
  /// Δt ≤ cellFraction · Δx_min / c.
  public var cellFraction: Double
  /// "standard" Boris rotation or "exact-phase" (tan(ΩΔt/2) corrected).
  public var rotation: String
  /// Write a checkpoint at least this often (wall-clock seconds).
  public var checkpointSeconds: Double
  /// Reduced rigidities R = r_L/L.
  public var rigidities: [Double]
  /// Particles per rigidity and realization.
  public var particleCount: Int
  /// Seed of the particles' initial positions and directions.
  public var particleSeed: UInt64
  /// Fixed initial pitch cosines (cycled over particles), or nil for isotropic directions.
  public var initialPitches: [Double]?
  /// Uniform bins of initial μ in [−1, 1] for D_μμ.
  public var pitchBins: Int
  /// D_μμ window: start after this many gyro-periods …
  public var minimumGyroperiods: Double
  /// … and end before ⟨Δμ²⟩ exceeds this.
  public var maximumPitchVariance: Double
  /// Time origins of the TGK estimators, spread evenly over the run (1: only t = 0). They sit on
  /// sample rows, at most one per row, so a sparse schedule holds fewer.
  public var kuboOrigins: Int
  /// With `field_file`: the grid the spec expects ([grid] n or nx, ny, nz), checked against the file.
  public var expectedGrid: SIMD3<Int>?
  /// The spec text (stored in outputs and checkpoints).
  public var text: String
}

public enum RunSpecReader {
  public static func read(_ document: SpecDocument) throws(InputError) -> RunSpec {
    guard var run = document.table("run") else { throw InputError("\(document.path): missing [run] section") }
    guard var particles = document.table("particles") else { throw InputError("\(document.path): missing [particles] section") }
    var estimators = document.table("estimators") ?? SpecTable(file: document.path, section: "estimators", table: .init())

    var expectedGrid: SIMD3<Int>?
    let fieldPath = try run.string("field")
    let fieldFile = try run.string("field_file")
    var source: FieldSource
    let base = URL(fileURLWithPath: document.path).deletingLastPathComponent()
    func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).path }
    let snapshot = try SnapshotSpecReader.read(document)
    if snapshot != nil {
      guard fieldPath == nil, fieldFile == nil else { throw run.error("field", "give exactly one of run.field, run.field_file, [field.file] or inline [field]/[grid]") }
      guard !document.hasSection("grid") else { throw InputError("\(document.path): [grid] is not read with [field.file]: the grid is the snapshot's") }
    }
    switch (fieldPath, fieldFile, document.hasSection("field")) {
    case _ where snapshot != nil:
      source = .snapshots(snapshot!)
    case (let path?, nil, false):
      let fieldDocument = try SpecDocument(path: resolve(path))
      source = .synthesized(try FieldSpecReader.read(fieldDocument), specText: fieldDocument.text)
    case (nil, let path?, false):
      source = .file(path: resolve(path))
      if var grid = document.table("grid") {
        let n = try grid.int("n")
        let (nx, ny, nz) = (try grid.int("nx"), try grid.int("ny"), try grid.int("nz"))
        try grid.finish()
        expectedGrid = n.map { SIMD3($0, $0, $0) } ?? SIMD3(nx ?? 1, ny ?? 1, nz ?? 1)
      }
    case (nil, nil, true):
      source = .synthesized(try FieldSpecReader.read(document), specText: document.text)
    case (nil, nil, false):
      throw run.error("field", "is required: a field spec path, or field_file = an HDF5 field, or inline [field] and [grid]")
    default:
      throw run.error("field", "give exactly one of run.field, run.field_file or inline [field]/[grid]")
    }

    if let level = try run.double("db_over_b0") {
      guard case .synthesized(let fieldSpec, let text) = source else {
        throw run.error("db_over_b0", "rescales a synthesized field; a saved field or snapshot is what it is")
      }
      do { source = .synthesized(try fieldSpec.scaled(toTurbulenceLevel: level), specText: text) } catch {
        throw run.error("db_over_b0", error.message)
      }
    }
    var defaultRealizations = 1
    if case .snapshots(let s) = source { defaultRealizations = s.paths.count }
    let realizations = try run.int("realizations") ?? defaultRealizations
    guard realizations >= 1, realizations <= 10_000 else { throw run.error("realizations", "must lie in [1, 10000], got \(realizations)") }
    if case .file = source, realizations != 1 {
      throw run.error("realizations", "must be 1 with field_file (a saved field is one realization; [field.file] paths = [...] takes several)")
    }
    if case .snapshots(let s) = source, realizations > s.paths.count {
      throw run.error("realizations", "is \(realizations), but [field.file] names \(s.paths.count) snapshot file(s): one per realization")
    }
    let duration = try run.requiredDouble("duration", "integration time in L/c")
    guard duration.isFinite, duration > 0 else { throw run.error("duration", "must be finite and > 0 (L/c), got \(duration)") }
    let samples = try run.int("samples") ?? 48
    guard samples >= 2, samples <= 100_000 else { throw run.error("samples", "must lie in [2, 100000], got \(samples)") }
    let firstSample = try run.double("first_sample")
    if let t = firstSample, !(t.isFinite && t > 0 && t < duration) {
      throw run.error("first_sample", "must lie in (0, duration = \(duration)) L/c, got \(t)")
    }
    let linear = try run.int("linear_samples") ?? 0
    guard linear >= 0, linear <= 100_000 else { throw run.error("linear_samples", "must lie in [0, 100000], got \(linear)") }
    let phase = try run.double("phase_per_step") ?? 0.1
    guard phase.isFinite, phase > 0, phase <= 0.5 else {
      throw run.error("phase_per_step", "must lie in (0, 0.5] rad (a coarser step does not resolve the gyration), got \(phase)")
    }
    let cellFraction = try run.double("cell_fraction") ?? 0.25
    let largestCellFraction = 16.0  // Orbits' StepRule.largestCellFraction, which checks it again
    guard cellFraction.isFinite, cellFraction > 0, cellFraction <= largestCellFraction else {
      throw run.error(
        "cell_fraction",
        "must lie in (0, \(Int(largestCellFraction))] cells per step (above 1 the orbit samples the grid's finest structure coarsely; docs/physics.md §4.3), got \(cellFraction)")
    }
    let rotation = try run.string("rotation") ?? "standard"
    guard ["standard", "exact-phase"].contains(rotation) else {
      throw run.error("rotation", "must be \"standard\" or \"exact-phase\", got '\(rotation)'")
    }
    let checkpointSeconds = try run.double("checkpoint_seconds") ?? 60
    guard checkpointSeconds.isFinite, checkpointSeconds > 0 else {
      throw run.error("checkpoint_seconds", "must be finite and > 0, got \(checkpointSeconds)")
    }
    try run.finish()

    guard let rigidities = try particles.doubles("rigidities") else {
      throw particles.error("rigidities", "is required: reduced rigidities R = r_L/L, e.g. [0.01, 0.1]")
    }
    guard !rigidities.isEmpty else { throw particles.error("rigidities", "must name at least one rigidity") }
    for r in rigidities where !(r.isFinite && r > 0 && r <= 1e6) {
      throw particles.error("rigidities", "each R = r_L/L must be finite and in (0, 1e6], got \(r)")
    }
    let count = try particles.int("count") ?? 1000
    guard count >= 1, count <= 100_000_000 else { throw particles.error("count", "must lie in [1, 1e8], got \(count)") }
    let seed = try particles.int("seed") ?? 1
    guard seed >= 0 else { throw particles.error("seed", "must be a non-negative integer, got \(seed)") }
    let pitches = try particles.doubles("mu")
    if let pitches {
      guard !pitches.isEmpty else { throw particles.error("mu", "must list at least one pitch cosine") }
      for m in pitches where !(m.isFinite && abs(m) <= 1) { throw particles.error("mu", "each μ must lie in [−1, 1], got \(m)") }
    }
    try particles.finish()

    let bins = try estimators.int("mu_bins") ?? 20
    guard bins >= 1, bins <= 1000 else { throw estimators.error("mu_bins", "must lie in [1, 1000], got \(bins)") }
    let gyroperiods = try estimators.double("min_gyroperiods") ?? 20
    guard gyroperiods.isFinite, gyroperiods >= 0 else { throw estimators.error("min_gyroperiods", "must be finite and ≥ 0, got \(gyroperiods)") }
    let maxVariance = try estimators.double("max_dmu2") ?? 5e-3
    guard maxVariance.isFinite, maxVariance > 0, maxVariance <= 1 else {
      throw estimators.error("max_dmu2", "must lie in (0, 1], got \(maxVariance)")
    }
    let origins = try estimators.int("kubo_origins") ?? 16
    guard origins >= 1, origins <= 1000 else { throw estimators.error("kubo_origins", "must lie in [1, 1000], got \(origins)") }
    try estimators.finish()

    return RunSpec(
      field: source, realizations: realizations, duration: duration, sampleCount: samples, firstSample: firstSample,
      linearSampleCount: linear, phasePerStep: phase, cellFraction: cellFraction, rotation: rotation,
      checkpointSeconds: checkpointSeconds, rigidities: rigidities, particleCount: count, particleSeed: UInt64(seed),
      initialPitches: pitches, pitchBins: bins, minimumGyroperiods: gyroperiods, maximumPitchVariance: maxVariance,
      kuboOrigins: origins,
      expectedGrid: expectedGrid, text: document.text)
  }
}

extension RunSpec {
  /// Listed initial μ₀ (`particles.mu`) lying on an inner edge of the `mu_bins` uniform bins
  /// (within 1e-9): rounding in the direction's normalization then puts their particles in
  /// either neighbouring bin, which also holds the next listed μ₀.
  public var initialPitchesOnBinEdges: [Double] { Self.onEdges(initialPitches ?? [], bins: pitchBins) }

  /// A one-line warning when `initialPitchesOnBinEdges` is not empty, with the nearest bin count
  /// that puts every listed μ₀ at least a tenth of a bin from an edge.
  public var binEdgeWarning: String? {
    let onEdges = initialPitchesOnBinEdges
    guard !onEdges.isEmpty, let listed = initialPitches else { return nil }
    func clear(_ n: Int) -> Bool {
      let width = 2 / Double(n)
      return listed.allSatisfy { mu in (1..<n).allSatisfy { k in abs(mu + 1 - Double(k) * width) >= 0.1 * width } }
    }
    let candidates = (1...1000).filter(clear)
    let suggestion = candidates.min { abs($0 - pitchBins) < abs($1 - pitchBins) }
    return "particles.mu = \(onEdges) lie on edges of the estimators.mu_bins = \(pitchBins) bins: their particles fall "
      + "into either neighbouring bin. Estimates stay per bin and compare takes QLT at the particles' own μ₀, but "
      + (suggestion.map { "mu_bins = \($0) puts every listed μ₀ inside a bin" } ?? "choose mu_bins so that no μ₀ is an edge")
  }

  /// A one-line note when `cell_fraction` > 1 allows steps longer than a cell.
  public var largeStepNote: String? {
    guard cellFraction > 1 else { return nil }
    return "run.cell_fraction = \(cellFraction) > 1: where phase_per_step allows it a particle crosses up to that many cells per "
      + "step; the gyration stays resolved, the grid's finest structure is sampled coarsely along the orbit (docs/physics.md §4.3)"
  }

  static func onEdges(_ pitches: [Double], bins: Int) -> [Double] {
    let width = 2 / Double(bins)
    return pitches.filter { mu in (1..<max(bins, 1)).contains { k in abs(mu + 1 - Double(k) * width) <= 1e-9 } }
  }
}
