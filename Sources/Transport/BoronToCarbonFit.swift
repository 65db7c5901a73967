import Foundation
import LarmorCore

/// χ² of a B/C model against measured bins: χ² = Σ [(model(𝓡_i) − B/C_i)/σ_i]² over bins with
/// 𝓡_i ≥ 𝓡_min, σ_i = √(stat² + syst²). The AMS-02 systematic errors are correlated between bins
/// but no covariance matrix is published with these tables, so they are treated as uncorrelated
/// (χ²/dof is then an underestimate of the true tension). The model is evaluated at the bin's
/// representative rigidity (geometric mean of the edges; no bin averaging).
public struct ChiSquare: Sendable, Equatable {
  /// χ².
  public let value: Double
  /// Number of bins used.
  public let points: Int
  /// Number of fitted parameters.
  public let parameters: Int

  /// Degrees of freedom, bins − parameters.
  public var degreesOfFreedom: Int { points - parameters }
  /// χ²/dof.
  public var reduced: Double { value / Double(degreesOfFreedom) }

  /// χ² of `model` (ratio at rigidity in GV) over the bins with 𝓡 ≥ `minimumRigidityGV`.
  public static func evaluate(
    data: [RigidityBinMeasurement], minimumRigidityGV: Double, fittedParameters: Int = 0,
    model: (Double) -> Double
  ) -> ChiSquare {
    var sum = 0.0
    var used = 0
    for bin in data where bin.rigidityGV >= minimumRigidityGV {
      let pull = (model(bin.rigidityGV) - bin.value) / bin.totalError
      sum += pull * pull
      used += 1
    }
    return ChiSquare(value: sum, points: used, parameters: fittedParameters)
  }
}

/// Fit of the phenomenological D(𝓡) = D₀ (𝓡/𝓡₀)^δ to B/C data with the analytic disk + halo model
/// (one zone, half-height H fixed), minimizing χ² over (log₁₀ D₀, δ) with Nelder–Mead.
///
/// The H/D degeneracy: stable secondaries constrain only D₀/H (the model depends on the halo
/// through K = H/D), so H is fixed and the fitted D₀ scales ∝ H.
public struct BoronToCarbonFit: Sendable {
  /// Gas disk.
  public let disk: GalacticDisk
  /// Halo half-height H in kpc (fixed; only D₀/H is measured).
  public let halfHeightKpc: Double
  /// Cross sections.
  public let crossSections: NuclearCrossSections
  /// Sources.
  public let source: SourceSpectrum
  /// Solar modulation applied to the model before comparison.
  public let modulation: ForceFieldModulation
  /// Reference rigidity 𝓡₀ in GV of the fitted power law.
  public let referenceRigidityGV: Double
  /// Exponent η of the β factor of D (irrelevant above ~10 GV).
  public let speedExponent: Double

  /// Result of a fit.
  public struct Result: Sendable {
    /// Best-fit diffusion coefficient.
    public let diffusion: PowerLawDiffusion
    /// χ² at the best fit (2 fitted parameters).
    public let chiSquare: ChiSquare
    /// Objective evaluations used.
    public let evaluations: Int
    /// Whether the minimizer converged.
    public let converged: Bool
  }

  /// - Parameters: see the stored properties; `halfHeightKpc` must exceed the disk half-thickness.
  public init(
    disk: GalacticDisk, halfHeightKpc: Double, crossSections: NuclearCrossSections,
    source: SourceSpectrum,
    modulation: ForceFieldModulation, referenceRigidityGV: Double = 10, speedExponent: Double = 0
  ) throws(TransportError) {
    try Validate.positive(referenceRigidityGV, "fit.referenceRigidityGV", unit: " GV")
    _ = try DiskHaloModel(
      disk: disk, halo: .oneZone(halfHeightKpc: halfHeightKpc, diffusion: ConstantDiffusion(1.0e28))
    )
    self.disk = disk
    self.halfHeightKpc = halfHeightKpc
    self.crossSections = crossSections
    self.source = source
    self.modulation = modulation
    self.referenceRigidityGV = referenceRigidityGV
    self.speedExponent = speedExponent
  }

  /// Model spectra for a power law (D₀ in cm²/s, δ); nil if the parameters are invalid.
  public func spectra(normalization: Double, index: Double) -> PropagatedSpectra? {
    guard
      let d = try? PowerLawDiffusion(
        normalization: normalization, referenceRigidityGV: referenceRigidityGV, index: index,
        speedExponent: speedExponent)
    else { return nil }
    return spectra(d)
  }

  /// Model spectra of the one-zone halo with diffusion `d`; nil if the model is invalid.
  public func spectra(_ d: any DiffusionModel) -> PropagatedSpectra? {
    guard
      let halo = try? DiffusiveHalo.oneZone(halfHeightKpc: halfHeightKpc, diffusion: d),
      let model = try? DiskHaloModel(disk: disk, halo: halo)
    else { return nil }
    return AnalyticDiskHaloSolution(model: model, crossSections: crossSections, source: source).spectra()
  }

  /// χ² of the power law (D₀ cm²/s, δ) against `data` above `minimumRigidityGV` (GV).
  public func chiSquare(
    normalization: Double, index: Double, data: [RigidityBinMeasurement], minimumRigidityGV: Double
  ) -> ChiSquare {
    guard let s = spectra(normalization: normalization, index: index) else {
      return ChiSquare(value: .infinity, points: 0, parameters: 2)
    }
    return ChiSquare.evaluate(data: data, minimumRigidityGV: minimumRigidityGV, fittedParameters: 2)
    {
      s.boronToCarbon(rigidityGV: $0, modulation: modulation)
    }
  }

  /// Fits D₀ and δ to `data` above `minimumRigidityGV` (GV), starting from (D₀, δ) = `start`.
  /// Deterministic: fixed start, fixed simplex, no randomness.
  public func fit(
    data: [RigidityBinMeasurement], minimumRigidityGV: Double,
    start: (normalization: Double, index: Double) = (3.0e28, 0.5)
  ) throws(TransportError) -> Result {
    try Validate.positive(minimumRigidityGV, "fit.minimumRigidityGV", unit: " GV")
    let used = data.filter { $0.rigidityGV >= minimumRigidityGV }.count
    guard used > 2 else {
      throw .invalidParameter(
        name: "fit.minimumRigidityGV", value: minimumRigidityGV,
        allowed: "leaves ≥ 3 data bins (got \(used))")
    }
    let result = NelderMead.minimize(
      start: [log10(start.normalization), start.index], steps: [0.1, 0.05], tolerance: 1.0e-10
    ) { x in
      chiSquare(
        normalization: pow(10, x[0]), index: x[1], data: data, minimumRigidityGV: minimumRigidityGV
      ).value
    }
    let best = try PowerLawDiffusion(
      normalization: pow(10, result.point[0]), referenceRigidityGV: referenceRigidityGV,
      index: result.point[1],
      speedExponent: speedExponent)
    return Result(
      diffusion: best,
      chiSquare: chiSquare(
        normalization: best.normalization, index: best.index, data: data,
        minimumRigidityGV: minimumRigidityGV),
      evaluations: result.evaluations, converged: result.converged)
  }
}

extension BoronToCarbonFit {
  /// Result of a broken-power-law fit.
  public struct BrokenResult: Sendable {
    /// Best-fit diffusion coefficient.
    public let diffusion: BrokenPowerLawDiffusion
    /// χ² at the best fit (4 fitted parameters: D₀, δ, 𝓡_b, Δδ).
    public let chiSquare: ChiSquare
    /// Objective evaluations used.
    public let evaluations: Int
    /// Whether the minimizer converged.
    public let converged: Bool
  }

  /// Fits D₀, δ, 𝓡_b and Δδ of `BrokenPowerLawDiffusion` (smoothness s fixed) to `data` above
  /// `minimumRigidityGV`, minimizing χ² over (log₁₀ D₀, δ, log₁₀ 𝓡_b, Δδ) with Nelder–Mead from
  /// `start`; deterministic. Invalid parameters (e.g. |Δδ| > 1) count as χ² = ∞.
  public func fitBroken(
    data: [RigidityBinMeasurement], minimumRigidityGV: Double, start: BrokenPowerLawDiffusion
  ) throws(TransportError) -> BrokenResult {
    try Validate.positive(minimumRigidityGV, "fit.minimumRigidityGV", unit: " GV")
    let used = data.filter { $0.rigidityGV >= minimumRigidityGV }.count
    guard used > 4 else {
      throw .invalidParameter(name: "fit.minimumRigidityGV", value: minimumRigidityGV, allowed: "leaves ≥ 5 data bins (got \(used))")
    }
    func model(_ x: [Double]) -> BrokenPowerLawDiffusion? {
      try? BrokenPowerLawDiffusion(
        normalization: pow(10, x[0]), referenceRigidityGV: referenceRigidityGV, index: x[1], breakRigidityGV: pow(10, x[2]),
        indexChange: x[3], smoothness: start.smoothness, speedExponent: speedExponent)
    }
    func chi(_ d: BrokenPowerLawDiffusion) -> ChiSquare {
      guard let s = spectra(d) else { return ChiSquare(value: .infinity, points: 0, parameters: 4) }
      return ChiSquare.evaluate(data: data, minimumRigidityGV: minimumRigidityGV, fittedParameters: 4) {
        s.boronToCarbon(rigidityGV: $0, modulation: modulation)
      }
    }
    let result = NelderMead.minimize(
      start: [log10(start.normalization), start.index, log10(start.breakRigidityGV), start.indexChange],
      steps: [0.1, 0.05, 0.2, 0.05], tolerance: 1.0e-10
    ) { x in model(x).map { chi($0).value } ?? .infinity }
    guard let best = model(result.point) else {
      throw .invalidParameter(name: "fit", value: result.point[3], allowed: "a valid broken power law at the minimum")
    }
    return BrokenResult(diffusion: best, chiSquare: chi(best), evaluations: result.evaluations, converged: result.converged)
  }
}

/// One row of a model–data comparison (for tables and plots).
public struct ComparisonRow: Sendable, Equatable {
  /// Representative rigidity of the bin in GV.
  public let rigidityGV: Double
  /// Measured value.
  public let measured: Double
  /// Total error √(stat² + syst²).
  public let error: Double
  /// Model value at `rigidityGV`.
  public let model: Double

  /// Pull (model − measured)/error.
  public var pull: Double { (model - measured) / error }

  /// Rows comparing B/C of `spectra` (modulated with `modulation`) with every bin of `data`.
  public static func boronToCarbon(
    spectra: PropagatedSpectra, data: [RigidityBinMeasurement],
    modulation: ForceFieldModulation = .none
  ) -> [ComparisonRow] {
    data.map { bin in
      ComparisonRow(
        rigidityGV: bin.rigidityGV, measured: bin.value, error: bin.totalError,
        model: spectra.boronToCarbon(rigidityGV: bin.rigidityGV, modulation: modulation))
    }
  }
}
