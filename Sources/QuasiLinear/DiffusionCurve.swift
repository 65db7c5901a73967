import Foundation
import LarmorCore

/// D_∥ at one rigidity, per MHD mode and in total (docs/physics.md §3.4–3.5).
public struct DiffusionCurvePoint: Sendable, Hashable {
  /// 𝓡 in GV.
  public let rigidityGigavolts: Double
  /// R = r_L/L.
  public let reducedRigidity: Double
  /// v in c.
  public let speed: Double
  /// From Alfvén-mode D_μμ alone (code units c·L).
  public let alfven: ParallelDiffusionResult
  /// From slow-mode D_μμ alone.
  public let slow: ParallelDiffusionResult
  /// From fast-mode D_μμ alone.
  public let fast: ParallelDiffusionResult
  /// From the summed rate D_μμ = D^A + D^S + D^F (rates add, not mean free paths).
  public let total: ParallelDiffusionResult
  /// L in pc, for the conversion to cm²/s.
  public let outerScaleParsec: Double

  /// A result converted to cm²/s (nil if divergent).
  public func centimetresSquaredPerSecond(_ result: ParallelDiffusionResult) -> Double? {
    result.value.map {
      Units.diffusionCoefficientCentimetresSquaredPerSecond(codeUnits: $0.coefficient, outerScaleParsec: outerScaleParsec)
    }
  }
}

/// D_∥(𝓡) of a `Medium` for a particle species, after Yan & Lazarian and Fornieri et al. (2021).
///
/// The Alfvén (GS, n = ±1), slow (GS, n = 0, ±1, ω = ±k_∥v_s, default v_s = 0) and fast
/// (k^(−7/2), damped, n = 0, ±1, ω = ±kv_A) D_μμ are computed on the same μ nodes; D_∥ follows
/// for each and for their sum. Default resonance: Gaussian with Δ² = M_A (YL 2008; Fornieri
/// 2021). The μ* cut uses the medium's H_zone when it has one. Default μ quadrature: 2 panels of
/// 12 nodes in s (μ = s³) graded toward μ = 1 (edges 0, 3/4, 1), μ* on the interpolant refined on
/// exact values, without the doubling check (ReferenceAgreementTests compares it with 8 uniform
/// panels evaluated exactly: ≤ 2e-4 relative).
public struct MediumDiffusionModel: Sendable {
  public let medium: Medium
  public let particle: ParticleSpecies
  public let options: ParallelDiffusionOptions
  public let alfvenSolver: PitchAngleDiffusion
  public let slowSolver: PitchAngleDiffusion
  public let fastSolver: PitchAngleDiffusion

  /// - Parameters:
  ///   - resonance: nil for the Gaussian of Δ² = M_A.
  ///   - slowPhaseSpeed: v_s in c for the slow-mode ω (0: magnetostatic).
  ///   - electricField: D_μμ with the waves' electric field (`QuasiLinearCoefficient`); the
  ///     default false is the published Yan & Lazarian / Fornieri et al. form that drops it.
  ///   - options: μ-quadrature options; `confinementLength` is replaced by H_zone/L of the
  ///     medium if it has one and `useConfinementCut` is true.
  public init(
    medium: Medium, particle: ParticleSpecies = .proton, resonance: ResonanceFunction? = nil, slowPhaseSpeed: Double = 0,
    electricField: Bool = false, useConfinementCut: Bool = true,
    options: ParallelDiffusionOptions = ParallelDiffusionOptions(
      panels: 2, checksConvergence: false, interpolatesBetweenNodes: true, grading: 2),
    resolution: QuadratureResolution = .standard
  ) throws {
    self.medium = medium
    self.particle = particle
    var options = options
    if useConfinementCut, let H = medium.confinementLengthParsec { options.confinementLength = H / medium.outerScaleParsec }
    let resonance = resonance ?? .broadened(machNumber: medium.machNumber)
    // Only a broadened resonance makes D_μμ(μ) smooth enough to interpolate between μ nodes.
    if case .sharp = resonance { options.interpolatesBetweenNodes = false }
    self.options = options
    var settings = SolverSettings(
      resonance: resonance, alfvenSpeed: medium.alfvenSpeed, slowPhaseSpeed: slowPhaseSpeed, resolution: resolution)
    if electricField { settings.coefficient = .pitchAngleWithElectricField }
    alfvenSolver = PitchAngleDiffusion(spectrum: try medium.alfvenSpectrum(), settings: settings)
    slowSolver = PitchAngleDiffusion(spectrum: try medium.slowSpectrum(), settings: settings)
    fastSolver = PitchAngleDiffusion(spectrum: try medium.fastSpectrum(), settings: settings)
  }

  /// R = r_L/L for rigidity 𝓡 (GV).
  public func reducedRigidity(rigidityGigavolts 𝓡: Double) -> Double {
    Units.reducedRigidity(rigidityGigavolts: 𝓡, fieldMicrogauss: medium.magneticFieldMicrogauss, outerScaleParsec: medium.outerScaleParsec)
  }

  /// D_μμ (c/L) of (Alfvén, slow, fast) at μ for rigidity 𝓡 (GV).
  public func pitchAngleCoefficients(cosine μ: Double, rigidityGigavolts 𝓡: Double) -> [Double] {
    let R = reducedRigidity(rigidityGigavolts: 𝓡)
    let v = particle.speed(rigidityGigavolts: 𝓡)
    return [
      alfvenSolver.coefficient(cosine: μ, reducedRigidity: R, speed: v),
      slowSolver.coefficient(cosine: μ, reducedRigidity: R, speed: v),
      fastSolver.coefficient(cosine: μ, reducedRigidity: R, speed: v),
    ]
  }

  /// D_∥ at one rigidity 𝓡 (GV). With `threads` > 1 the μ quadrature nodes are evaluated
  /// in parallel (results placed by index: the value does not depend on the thread count).
  public func point(rigidityGigavolts 𝓡: Double, threads: Int = 1) -> DiffusionCurvePoint {
    let R = reducedRigidity(rigidityGigavolts: 𝓡)
    let v = particle.speed(rigidityGigavolts: 𝓡)
    let solvers = [alfvenSolver, slowSolver, fastSolver]
    let batch: (([Double]) -> [[Double]])? =
      threads > 1
      ? { μs in parallelMap(μs.count, threads: threads) { i in solvers.map { $0.coefficient(cosine: μs[i], reducedRigidity: R, speed: v) } } }
      : nil
    let (parts, total) = parallelDiffusionOfComponents(
      speed: v, options: options, count: 3,
      component: { i, μ in solvers[i].coefficient(cosine: μ, reducedRigidity: R, speed: v) }, batch: batch
    ) { μ in
      solvers.map { $0.coefficient(cosine: μ, reducedRigidity: R, speed: v) }
    }
    return DiffusionCurvePoint(
      rigidityGigavolts: 𝓡, reducedRigidity: R, speed: v, alfven: parts[0], slow: parts[1], fast: parts[2], total: total,
      outerScaleParsec: medium.outerScaleParsec)
  }

  /// D_∥(𝓡) for a list of rigidities (GV), computed in parallel over rigidities on `threads`
  /// threads (default: one per core); results are placed by index, so the output does not
  /// depend on the number of threads.
  public func curve(rigiditiesGigavolts: [Double], threads: Int? = nil) -> [DiffusionCurvePoint] {
    let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
    return parallelMap(rigiditiesGigavolts.count, threads: count) { point(rigidityGigavolts: rigiditiesGigavolts[$0]) }
  }
}

extension TabulatedDiffusion {
  /// One part of a QLT curve (`\.total`, `\.alfven`, `\.slow` or `\.fast`) as the transport
  /// model takes it: D_∥ in cm²/s at the points' rigidities (GV), interpolated log-log between
  /// them. The points must be in increasing rigidity, as `MediumDiffusionModel.curve` returns
  /// them for increasing input.
  /// - Throws: `SpectrumError` (key `diffusion.table`) naming the first rigidity without a
  ///   finite D_∥ (divergent, or streaming without scattering), or the table's own checks.
  public init(
    quasiLinear points: [DiffusionCurvePoint], part: KeyPath<DiffusionCurvePoint, ParallelDiffusionResult>,
    speedExponent: Double = 0
  ) throws(SpectrumError) {
    var coefficients: [Double] = []
    for point in points {
      guard let d = point.centimetresSquaredPerSecond(point[keyPath: part]) else {
        throw SpectrumError(key: "diffusion.table", "no finite D_∥ at \(point.rigidityGigavolts) GV")
      }
      coefficients.append(d)
    }
    try self.init(rigiditiesGV: points.map(\.rigidityGigavolts), coefficients: coefficients, speedExponent: speedExponent)
  }
}
