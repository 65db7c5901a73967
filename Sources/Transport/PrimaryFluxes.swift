import Foundation

/// A model's primary flux against a measured one, with the model's free normalization fitted.
///
/// The transport model's densities are in arbitrary units (only ratios are physical), so a flux is
/// compared up to one amplitude A: the χ² of A·J_model against the data over the bins with
/// 𝓡 ≥ 𝓡_min, minimized over A in closed form,
///
///   A = Σ w d m / Σ w m²,  χ² = Σ w (A m − d)²,  w = 1/σ²  (σ = stat ⊕ syst),
///
/// and counted as one fitted parameter. The shape of the flux, set by the source index γ and by
/// D(𝓡) and spallation, is what the χ² tests.
public struct PrimaryFluxComparison: Sendable, Equatable {
  /// The model species summed into the flux (AMS-02 "carbon" is ¹²C here: ¹³C, a few per cent of
  /// it and a secondary, is not in the network; "oxygen" is ¹⁶O).
  public let nuclei: [Nucleus]
  /// A in data units per model unit: the data are ≈ A · J_model.
  public let amplitude: Double
  /// χ² with A fitted (one parameter); 0 points when no bin lies above the limit.
  public let chiSquare: ChiSquare

  /// Compares Σ J(`nuclei`) of `spectra`, force-field modulated, with `data` above
  /// `minimumRigidityGV` (GV).
  public init(
    spectra: PropagatedSpectra, nuclei: [Nucleus], data: [RigidityBinMeasurement], minimumRigidityGV: Double,
    modulation: ForceFieldModulation
  ) {
    let bins = data.filter { $0.rigidityGV >= minimumRigidityGV }
    let model = bins.map { Self.flux(spectra, nuclei, rigidityGV: $0.rigidityGV, modulation: modulation) }
    var cross = 0.0, square = 0.0
    for (bin, m) in zip(bins, model) {
      let w = 1 / (bin.totalError * bin.totalError)
      cross += w * bin.value * m
      square += w * m * m
    }
    let a = square > 0 ? cross / square : .nan
    var sum = 0.0
    for (bin, m) in zip(bins, model) {
      let pull = (a * m - bin.value) / bin.totalError
      sum += pull * pull
    }
    self.nuclei = nuclei
    amplitude = a
    chiSquare = ChiSquare(value: bins.isEmpty ? 0 : sum, points: bins.count, parameters: bins.isEmpty ? 0 : 1)
  }

  /// The fitted model flux A·Σ J(`nuclei`) at 𝓡 (GV), in the data's units ((m² sr s GV)⁻¹ for
  /// the AMS-02 tables), force-field modulated.
  public func modelFlux(_ spectra: PropagatedSpectra, rigidityGV: Double, modulation: ForceFieldModulation) -> Double {
    amplitude * Self.flux(spectra, nuclei, rigidityGV: rigidityGV, modulation: modulation)
  }

  /// Σ J(`nuclei`) at 𝓡 (GV) in the model's units.
  static func flux(_ spectra: PropagatedSpectra, _ nuclei: [Nucleus], rigidityGV: Double, modulation: ForceFieldModulation) -> Double {
    nuclei.reduce(0.0) { $0 + spectra.flux($1, rigidityGV: rigidityGV, modulation: modulation) }
  }
}

/// The datasets a model is compared with: AMS-02 B/C and the carbon and oxygen fluxes.
public struct CosmicRayData: Sendable {
  /// One measured quantity.
  public enum Dataset: String, Sendable, CaseIterable, Codable {
    /// B/C, AMS-02 7 years (Phys. Rep. 894 (2021) 1).
    case boronToCarbon = "bc"
    /// Carbon flux, AMS-02 5 years (PRL 119, 251101 (2017)).
    case carbon = "c"
    /// Oxygen flux, same release.
    case oxygen = "o"
  }

  /// B/C per rigidity bin (dimensionless).
  public let boronToCarbon: [RigidityBinMeasurement]
  /// Carbon flux per rigidity bin, (m² sr s GV)⁻¹.
  public let carbonFlux: [RigidityBinMeasurement]
  /// Oxygen flux per rigidity bin, (m² sr s GV)⁻¹.
  public let oxygenFlux: [RigidityBinMeasurement]

  /// The bundled tables.
  public static func bundled() throws(TransportError) -> CosmicRayData {
    CosmicRayData(
      boronToCarbon: try MeasuredData.amsBoronToCarbon(), carbonFlux: try MeasuredData.amsCarbonFlux(),
      oxygenFlux: try MeasuredData.amsOxygenFlux())
  }

  public init(boronToCarbon: [RigidityBinMeasurement], carbonFlux: [RigidityBinMeasurement], oxygenFlux: [RigidityBinMeasurement]) {
    self.boronToCarbon = boronToCarbon
    self.carbonFlux = carbonFlux
    self.oxygenFlux = oxygenFlux
  }
}

/// One model's B/C, C and O against `CosmicRayData` above one rigidity.
public struct CosmicRayComparison: Sendable, Equatable {
  /// χ² of B/C (no fitted parameter of its own).
  public let boronToCarbon: ChiSquare
  /// Carbon flux with its amplitude fitted.
  public let carbon: PrimaryFluxComparison
  /// Oxygen flux with its amplitude fitted.
  public let oxygen: PrimaryFluxComparison

  /// - Parameters: the model's spectra, the data, 𝓡_min in GV, the modulation applied to the model.
  public init(spectra: PropagatedSpectra, data: CosmicRayData, minimumRigidityGV: Double, modulation: ForceFieldModulation) {
    boronToCarbon = ChiSquare.evaluate(data: data.boronToCarbon, minimumRigidityGV: minimumRigidityGV) {
      spectra.boronToCarbon(rigidityGV: $0, modulation: modulation)
    }
    carbon = PrimaryFluxComparison(
      spectra: spectra, nuclei: [.carbon12], data: data.carbonFlux, minimumRigidityGV: minimumRigidityGV, modulation: modulation)
    oxygen = PrimaryFluxComparison(
      spectra: spectra, nuclei: [.oxygen16], data: data.oxygenFlux, minimumRigidityGV: minimumRigidityGV, modulation: modulation)
  }

  /// The χ² of one dataset.
  public func chiSquare(_ dataset: CosmicRayData.Dataset) -> ChiSquare {
    switch dataset {
    case .boronToCarbon: boronToCarbon
    case .carbon: carbon.chiSquare
    case .oxygen: oxygen.chiSquare
    }
  }

  /// The summed χ² of `datasets`, with their own fitted parameters (the flux amplitudes) plus
  /// `extraParameters` (e.g. 1 for a fitted source index).
  public func total(_ datasets: [CosmicRayData.Dataset], extraParameters: Int = 0) -> ChiSquare {
    let parts = datasets.map(chiSquare)
    return ChiSquare(
      value: parts.reduce(0) { $0 + $1.value }, points: parts.reduce(0) { $0 + $1.points },
      parameters: parts.reduce(extraParameters) { $0 + $1.parameters })
  }
}

/// The source index γ that minimizes a χ², by a grid over [γ_min, γ_max] and a golden-section
/// search in the bracket around the grid's best point (deterministic; ≈ 35 evaluations).
public enum SourceIndexFit {
  /// - Parameters:
  ///   - range: γ_min < γ_max, within (0, 6].
  ///   - tolerance: width of the final bracket in γ.
  ///   - objective: χ²(γ); a non-finite value counts as +∞.
  /// - Returns: the best γ and its χ².
  public static func minimize(
    range: ClosedRange<Double>, tolerance: Double = 1.0e-4, objective: (Double) throws -> Double
  ) rethrows -> (index: Double, value: Double) {
    func f(_ γ: Double) throws -> Double {
      let v = try objective(γ)
      return v.isFinite ? v : .infinity
    }
    let n = 12
    let step = (range.upperBound - range.lowerBound) / Double(n)
    let grid = (0...n).map { range.lowerBound + Double($0) * step }
    let values = try grid.map(f)
    let best = values.indices.min { values[$0] < values[$1] }!
    var (a, b) = (grid[max(best - 1, 0)], grid[min(best + 1, n)])
    let φ = (5.0.squareRoot() - 1) / 2
    var c = b - φ * (b - a), d = a + φ * (b - a)
    var fc = try f(c), fd = try f(d)
    while b - a > tolerance {
      if fc <= fd {
        (b, d, fd) = (d, c, fc)
        c = b - φ * (b - a)
        fc = try f(c)
      } else {
        (a, c, fc) = (c, d, fd)
        d = a + φ * (b - a)
        fd = try f(d)
      }
    }
    let candidates = [(grid[best], values[best]), (c, fc), (d, fd)]
    let winner = candidates.min { $0.1 < $1.1 }!
    return (winner.0, winner.1)
  }
}
