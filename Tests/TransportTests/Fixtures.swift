import Foundation

@testable import Transport

/// Shared, validated inputs for the Transport tests.
enum Fixture {
  /// Proton mass in g, written out independently of `TransportConstants` (CODATA 2018).
  static let protonMass = 1.672_621_924e-24
  /// kpc in cm (IAU 2012 parsec).
  static let kpc = 3.085_677_581e21
  /// c in cm/s.
  static let c = 2.997_924_58e10

  static let crossSections: NuclearCrossSections = try! NuclearCrossSections.bundled()
  static let disk: GalacticDisk = try! GalacticDisk()
  static let source: SourceSpectrum = try! SourceSpectrum()

  /// A one-zone model with D = D₀ (𝓡/10 GV)^δ and half-height H (kpc).
  static func oneZone(
    normalization: Double = 3.0e28, index: Double = 0.5, halfHeightKpc: Double = 4
  )
    -> DiskHaloModel
  {
    let d = try! PowerLawDiffusion(
      normalization: normalization, referenceRigidityGV: 10, index: index)
    return try! DiskHaloModel(
      disk: disk, halo: .oneZone(halfHeightKpc: halfHeightKpc, diffusion: d))
  }

  /// Local logarithmic slope d ln f/d ln x by a centred difference of ±5%.
  static func slope(at x: Double, _ f: (Double) -> Double) -> Double {
    log(f(x * 1.05) / f(x / 1.05)) / (2 * log(1.05))
  }
}
