import LarmorCore
import Testing

@testable import Transport

/// Bad model parameters give typed errors naming the parameter, never a crash.
@Suite struct ParameterValidationTests {
  /// The key a diffusion table's check names (tables live in LarmorCore and throw `SpectrumError`).
  func tableKey(_ body: () throws(SpectrumError) -> Void) -> String? {
    do throws(SpectrumError) {
      try body()
      return nil
    } catch {
      return error.key
    }
  }

  func name(_ body: () throws(TransportError) -> Void) -> String? {
    do throws(TransportError) {
      try body()
      return nil
    } catch {
      if case .invalidParameter(let name, _, _) = error { return name }
      if case .invalidTable(let name, _) = error { return name }
      return "other"
    }
  }

  @Test func diskParameters() {
    #expect(
      name { () throws(TransportError) in _ = try GalacticDisk(hydrogenDensity: -1) }
        == "disk.hydrogenDensity")
    #expect(
      name { () throws(TransportError) in _ = try GalacticDisk(halfThicknessPc: 0) }
        == "disk.halfThicknessPc")
    #expect(
      name { () throws(TransportError) in _ = try GalacticDisk(halfThicknessPc: .nan) }
        == "disk.halfThicknessPc")
    #expect(
      name { () throws(TransportError) in _ = try GalacticDisk(heliumToHydrogenRatio: 2) }
        == "disk.heliumToHydrogenRatio")
    #expect(
      name { () throws(TransportError) in _ = try GalacticDisk(electronDensity: .infinity) }
        == "disk.electronDensity")
    #expect(
      name { () throws(TransportError) in
        _ = try GalacticDisk(surfaceDensityGramsPerSquareCentimetre: -2e-3)
      } == "disk.surfaceDensity")
  }

  @Test func haloMustContainDisk() throws {
    let d = try ConstantDiffusion(3e28)
    // H ≤ h: h = 100 pc = 0.1 kpc.
    #expect(
      name { () throws(TransportError) in
        _ = try DiskHaloModel(disk: Fixture.disk, halo: .oneZone(halfHeightKpc: 0.1, diffusion: d))
      } == "halo.halfHeightKpc")
    #expect(
      name { () throws(TransportError) in
        _ = try DiffusiveHalo.oneZone(halfHeightKpc: -4, diffusion: d)
      } == "halo.halfHeightKpc")
    #expect(
      name { () throws(TransportError) in
        _ = try DiffusiveHalo.twoZone(innerHalfHeightKpc: 5, halfHeightKpc: 4, inner: d, outer: d)
      } == "halo.halfHeightKpc")
    #expect(name { () throws(TransportError) in _ = try DiffusiveHalo(zones: []) } == "halo.zones")
    do {
      _ = try DiskHaloModel(disk: Fixture.disk, halo: .oneZone(halfHeightKpc: 0.05, diffusion: d))
      Issue.record("expected an error")
    } catch {
      #expect(
        error.description.contains("halo.halfHeightKpc") && error.description.contains("0.1 kpc"))
    }
  }

  @Test func diffusionParameters() {
    #expect(
      name { () throws(TransportError) in _ = try PowerLawDiffusion(normalization: 0, index: 0.5) }
        == "diffusion.normalization")
    #expect(
      name { () throws(TransportError) in
        _ = try PowerLawDiffusion(normalization: -3e28, index: 0.5)
      } == "diffusion.normalization")
    #expect(
      name { () throws(TransportError) in
        _ = try PowerLawDiffusion(normalization: 3e28, referenceRigidityGV: 0, index: 0.5)
      } == "diffusion.referenceRigidityGV")
    #expect(
      name { () throws(TransportError) in
        _ = try PowerLawDiffusion(normalization: 3e28, index: .nan)
      } == "diffusion.index")
    #expect(
      name { () throws(TransportError) in _ = try ConstantDiffusion(-1) } == "diffusion.value")
    #expect(
      tableKey { () throws(SpectrumError) in
        _ = try TabulatedDiffusion(rigiditiesGV: [1], coefficients: [1e28])
      } == "diffusion.table")
    #expect(
      tableKey { () throws(SpectrumError) in
        _ = try TabulatedDiffusion(rigiditiesGV: [-1, 10], coefficients: [1e28, 2e28])
      } == "diffusion.table.rigidityGV")
    #expect(
      tableKey { () throws(SpectrumError) in
        _ = try TabulatedDiffusion(rigiditiesGV: [1, 10], coefficients: [1e28, 0])
      } == "diffusion.table.coefficient")
    #expect(
      tableKey { () throws(SpectrumError) in
        _ = try TabulatedDiffusion(rigiditiesGV: [10, 1], coefficients: [1e28, 2e28])
      } == "diffusion.table")
  }

  @Test func sourceProcessesGridModulation() {
    #expect(
      name { () throws(TransportError) in _ = try SourceSpectrum(spectralIndex: 0) }
        == "source.spectralIndex")
    #expect(
      name { () throws(TransportError) in _ = try SourceSpectrum(spectralIndex: -2.3) }
        == "source.spectralIndex")
    #expect(
      name { () throws(TransportError) in _ = try SourceSpectrum(oxygenToCarbon: -1) }
        == "source.oxygenToCarbon")
    #expect(
      name { () throws(TransportError) in _ = try SourceSpectrum(referenceRigidityGV: 0) }
        == "source.referenceRigidityGV")
    #expect(
      name { () throws(TransportError) in _ = try TransportProcesses(windSpeedKmPerSecond: -5) }
        == "processes.windSpeedKmPerSecond")
    #expect(
      name { () throws(TransportError) in _ = try TransportProcesses(alfvenSpeedKmPerSecond: .nan) }
        == "processes.alfvenSpeedKmPerSecond")
    #expect(
      name { () throws(TransportError) in _ = try NumericalGrid(minimumMomentumPerNucleon: 0) }
        == "grid.minimumMomentumPerNucleon")
    #expect(
      name { () throws(TransportError) in
        _ = try NumericalGrid(minimumMomentumPerNucleon: 1, maximumMomentumPerNucleon: 5)
      } == "grid.maximumMomentumPerNucleon")
    #expect(
      name { () throws(TransportError) in _ = try NumericalGrid(pointsPerDecade: 1) }
        == "grid.pointsPerDecade")
    #expect(
      name { () throws(TransportError) in _ = try ForceFieldModulation(potentialGV: -0.1) }
        == "modulation.potentialGV")
    #expect(
      name { () throws(TransportError) in _ = try EnergyTable.constant(-3) }
        == "crossSection.sigmaMillibarn")
  }

  @Test func fitParameters() throws {
    let fit = try BoronToCarbonFit(
      disk: Fixture.disk, halfHeightKpc: 4, crossSections: Fixture.crossSections,
      source: Fixture.source,
      modulation: .none)
    let data = try MeasuredData.amsBoronToCarbon()
    #expect(
      name { () throws(TransportError) in _ = try fit.fit(data: data, minimumRigidityGV: 0) }
        == "fit.minimumRigidityGV")
    #expect(
      name { () throws(TransportError) in _ = try fit.fit(data: data, minimumRigidityGV: 5000) }
        == "fit.minimumRigidityGV")
    #expect(
      name { () throws(TransportError) in
        _ = try BoronToCarbonFit(
          disk: Fixture.disk, halfHeightKpc: 0.01, crossSections: Fixture.crossSections,
          source: Fixture.source,
          modulation: .none)
      } == "halo.halfHeightKpc")
  }
}
