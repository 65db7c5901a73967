import ArgumentParser
import Foundation
import LarmorCore
import LarmorIO
import Transport

/// `larmor transport MODEL.toml`: grammage and B/C of a disk + halo model against AMS-02.
struct TransportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "transport",
    abstract: "Disk + halo transport: grammage, B/C(R) and the C, O fluxes from a diffusion coefficient, χ² against AMS-02 (physical units).")

  @Argument(help: "Model spec (TOML with [disk], [halo], [source], [diffusion], [solver], [output]; see fields/transport.toml).")
  var spec: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    let model = try TransportSpecReader.read(SpecDocument(path: spec))
    do { try run(model) } catch let error as TransportError { throw InputError("\(spec): \(error.description)") }
  }

  private func run(_ model: TransportSpec) throws {
    let measured = try CosmicRayData.bundled()
    let data = measured.boronToCarbon
    let crossSections = try NuclearCrossSections.bundled()
    var fitted: BoronToCarbonFit.Result?
    var fittedBroken: BoronToCarbonFit.BrokenResult?
    var fitMinimumGV = 0.0  // the bins a fit used: 𝓡 ≥ fit_min_gv
    var diffusion: any DiffusionModel
    /// D(𝓡) of [diffusion] for the source `source` (a fit to B/C depends on γ, weakly).
    func diffusionModel(_ source: SourceSpectrum) throws -> any DiffusionModel {
      switch model.diffusion {
      case .powerLaw(let d): return d
      case .table(let d): return d
      case .brokenPowerLaw(let d): return d
      case .fit(let start, let minimum):
        let fit = try BoronToCarbonFit(
          disk: model.disk, halfHeightKpc: model.haloHeightKpc, crossSections: crossSections, source: source,
          modulation: model.modulation, referenceRigidityGV: start.referenceRigidityGV)
        let result = try fit.fit(data: data, minimumRigidityGV: minimum, start: (start.normalization, start.index))
        fitMinimumGV = minimum
        fitted = result
        return result.diffusion
      case .fitBroken(let start, let minimum):
        let fit = try BoronToCarbonFit(
          disk: model.disk, halfHeightKpc: model.haloHeightKpc, crossSections: crossSections, source: source,
          modulation: model.modulation, referenceRigidityGV: start.referenceRigidityGV)
        let result = try fit.fitBroken(data: data, minimumRigidityGV: minimum, start: start)
        fitMinimumGV = minimum
        fittedBroken = result
        return result.diffusion
      }
    }
    func diskHaloModel(_ diffusion: any DiffusionModel) throws -> DiskHaloModel {
      let halo =
        if let outer = model.outerZone {
          try DiffusiveHalo.twoZone(
            innerHalfHeightKpc: outer.innerHeightKpc, halfHeightKpc: model.haloHeightKpc, inner: diffusion, outer: outer.diffusion)
        } else {
          try DiffusiveHalo.oneZone(halfHeightKpc: model.haloHeightKpc, diffusion: diffusion)
        }
      return try DiskHaloModel(disk: model.disk, halo: halo)
    }
    func solve(_ diskHalo: DiskHaloModel, _ source: SourceSpectrum) throws -> PropagatedSpectra {
      guard model.numerical else {
        return AnalyticDiskHaloSolution(model: diskHalo, crossSections: crossSections, source: source).spectra()
      }
      let solution = NumericalDiskHaloSolver(
        model: diskHalo, crossSections: crossSections, source: source, processes: model.processes, grid: try NumericalGrid()
      ).solve()
      guard solution.converged else { throw InputError("\(spec): the numerical solver did not converge") }
      return solution.spectra
    }
    func withIndex(_ γ: Double) throws -> SourceSpectrum {
      try SourceSpectrum(
        spectralIndex: γ, oxygenToCarbon: model.source.oxygenToCarbon, nitrogenToCarbon: model.source.nitrogenToCarbon,
        referenceRigidityGV: model.source.referenceRigidityGV)
    }
    /// B/C, C and O of `spectra` against the data (the fluxes each up to its fitted amplitude).
    func comparison(_ spectra: PropagatedSpectra) -> CosmicRayComparison {
      CosmicRayComparison(spectra: spectra, data: measured, minimumRigidityGV: model.chiSquareMinimumGV, modulation: model.modulation)
    }
    var source = model.source
    diffusion = try diffusionModel(source)
    if let range = model.sourceIndexRange {
      // γ from the C and O fluxes at D(𝓡); a D fitted to B/C is refitted at the new γ, and γ once more.
      let fitsDiffusion = fitted != nil || fittedBroken != nil
      for pass in 0..<(fitsDiffusion ? 2 : 1) {
        let diskHalo = try diskHaloModel(diffusion)
        let γ = try SourceIndexFit.minimize(range: range) { γ in
          comparison(try solve(diskHalo, try withIndex(γ))).total([.carbon, .oxygen]).value
        }.index
        source = try withIndex(γ)
        if fitsDiffusion && pass == 0 { diffusion = try diffusionModel(source) }
      }
    }
    let broken: BrokenPowerLawDiffusion? = fittedBroken?.diffusion ?? {
      if case .brokenPowerLaw(let d) = model.diffusion { return d } else { return nil }
    }()
    let diskHalo = try diskHaloModel(diffusion)
    let spectra = try solve(diskHalo, source)
    let modelBC = data.map { spectra.boronToCarbon(rigidityGV: $0.rigidityGV, modulation: model.modulation) }
    let grammage = data.map { diskHalo.grammage(rigidityGV: $0.rigidityGV, nucleus: .carbon12) }
    let chi = ChiSquare.evaluate(
      data: data, minimumRigidityGV: model.chiSquareMinimumGV, fittedParameters: fitted != nil ? 2 : fittedBroken != nil ? 4 : 0
    ) { spectra.boronToCarbon(rigidityGV: $0, modulation: model.modulation) }
    let slopes = boronToCarbonSlopes(model: modelBC, data: data, minimumRigidityGV: model.slopeMinimumGV)
    let primaries = comparison(spectra)
    let (carbon, oxygen) = (primaries.carbon, primaries.oxygen)
    func fluxObject(_ c: PrimaryFluxComparison, _ bins: [RigidityBinMeasurement]) -> [String: Any] {
      [
        "rigidities_gv": bins.map(\.rigidityGV),
        "flux_model": bins.map { c.modelFlux(spectra, rigidityGV: $0.rigidityGV, modulation: model.modulation) },
        "flux_data": bins.map(\.value), "flux_data_err": bins.map(\.totalError), "amplitude": c.amplitude,
        "chi2": c.chiSquare.value, "chi2_points": c.chiSquare.points, "chi2_dof": c.chiSquare.degreesOfFreedom,
        "units": "flux in (m² sr s GV)⁻¹, the model's scaled by the fitted amplitude",
      ]
    }

    if common.json {
      var object: [String: Any] = [
        "rigidities_gv": data.map(\.rigidityGV),
        "bc_model": modelBC,
        "bc_data": data.map(\.value),
        "bc_data_err": data.map(\.totalError),
        "grammage_g_cm2": grammage,
        "diffusion_cm2_s": data.map { diffusion.coefficient(rigidityGV: $0.rigidityGV) },
        "chi2": chi.value,
        "chi2_points": chi.points,
        "chi2_dof": chi.degreesOfFreedom,
        "chi2_per_dof": chi.reduced,
        "chi2_min_gv": model.chiSquareMinimumGV,
        "halo_height_kpc": model.haloHeightKpc,
        "surface_density_g_cm2": model.disk.surfaceDensityGramsPerSquareCentimetre,
        "modulation_gv": model.modulation.potentialGV,
        "solver": model.numerical ? "numerical" : "analytic",
        "data": "AMS-02 B/C, Phys. Rep. 894 (2021) 1; errors stat ⊕ syst, uncorrelated",
        "source_index": source.spectralIndex, "source_index_fitted": model.sourceIndexRange != nil,
        "carbon": fluxObject(carbon, measured.carbonFlux),
        "oxygen": fluxObject(oxygen, measured.oxygenFlux),
      ]
      if let outer = model.outerZone {
        object["inner_height_kpc"] = outer.innerHeightKpc
        object["outer_diffusion_cm2_s"] = data.map { outer.diffusion.coefficient(rigidityGV: $0.rigidityGV) }
      }
      object["bc_slope"] = [
        "above_gv": model.slopeMinimumGV, "model": slopes?.model ?? Double.nan, "data": slopes?.data ?? Double.nan,
        "data_err": slopes?.dataError ?? Double.nan,
      ]
      if let broken {
        object["d0_cm2_s"] = broken.normalization
        object["delta"] = broken.index
        object["reference_gv"] = broken.referenceRigidityGV
        object["break_gv"] = broken.breakRigidityGV
        object["delta_break"] = broken.indexChange
        object["smoothness"] = broken.smoothness
        if let fittedBroken { object["fit_converged"] = fittedBroken.converged }
      }
      if let fitted {
        object["d0_cm2_s"] = fitted.diffusion.normalization
        object["delta"] = fitted.diffusion.index
        object["reference_gv"] = fitted.diffusion.referenceRigidityGV
        object["fit_converged"] = fitted.converged
      } else if case .powerLaw(let d) = model.diffusion {
        object["d0_cm2_s"] = d.normalization
        object["delta"] = d.index
        object["reference_gv"] = d.referenceRigidityGV
      }
      print(try jsonText(object))
      return
    }
    if let fitted {
      print(String(format: "fit above %.3g GV: D0 = %.4g cm²/s at %.3g GV, δ = %.4f (H = %.3g kpc; only D0/H is constrained)",
                   fitMinimumGV, fitted.diffusion.normalization, fitted.diffusion.referenceRigidityGV, fitted.diffusion.index, model.haloHeightKpc))
    }
    if let broken {
      print(String(format: "%@ D0 = %.4g cm²/s at %.3g GV, δ = %.4f below the break at %.4g GV, δ − Δδ = %.4f above (Δδ = %.4f, s = %.2f)",
                   fittedBroken == nil ? "broken power law:" : String(format: "broken fit above %.3g GV:", fitMinimumGV),
                   broken.normalization, broken.referenceRigidityGV, broken.index, broken.breakRigidityGV, broken.index - broken.indexChange,
                   broken.indexChange, broken.smoothness))
    }
    print(String(format: "source index γ = %.4f%@", source.spectralIndex,
                 model.sourceIndexRange.map { String(format: " (fitted to the C and O fluxes in [%.3g, %.3g])", $0.lowerBound, $0.upperBound) } ?? ""))
    if let slopes {
      print(String(format: "B/C slope above %.3g GV: model %.3f, AMS-02 %.3f ± %.3f (weighted log-log fits)",
                   model.slopeMinimumGV, slopes.model, slopes.data, slopes.dataError))
    }
    print(String(format: "χ² = %.2f for %d dof (χ²/dof = %.3f) over %d AMS-02 bins above %.3g GV", chi.value, chi.degreesOfFreedom, chi.reduced, chi.points, model.chiSquareMinimumGV))
    for (name, c) in [("C", carbon), ("O", oxygen)] {
      print(String(format: "%@ flux (AMS-02 PRL 2017, amplitude fitted): χ² = %.2f for %d dof over %d bins above %.3g GV",
                   name, c.chiSquare.value, c.chiSquare.degreesOfFreedom, c.chiSquare.points, model.chiSquareMinimumGV))
    }
    print("  R (GV)    X (g/cm²)   B/C model   B/C AMS-02 ± err     pull")
    for (i, bin) in data.enumerated() {
      print(String(format: "%8.3g   %9.4g   %9.4f   %9.4f ± %.4f   %+6.2f", bin.rigidityGV, grammage[i], modelBC[i], bin.value, bin.totalError, (modelBC[i] - bin.value) / bin.totalError))
    }
  }
}
