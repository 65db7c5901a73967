import Foundation
import Testing
import QuasiLinear

/// Not a physics test: prints the wall time of a 60-rigidity, 3-mode D(𝓡) curve. Enabled only
/// with LARMOR_TIMING=1 (run it in a release build).
@Test(.enabled(if: ProcessInfo.processInfo.environment["LARMOR_TIMING"] == "1"))
func diffusionCurveTiming() throws {
  for medium in [Medium.halo, Medium.warmIonizedMedium] {
    let model = try MediumDiffusionModel(medium: medium)
    let rigidities = (0..<60).map { pow(10, Double($0) / 59 * 4) }  // 1 GV … 10 TV
    let start = Date()
    let curve = model.curve(rigiditiesGigavolts: rigidities)
    let elapsed = Date().timeIntervalSince(start)
    print("timing \(medium.name): 60 rigidities × 3 modes in \(elapsed) s")
    for p in curve where [0, 20, 40, 59].contains(rigidities.firstIndex(of: p.rigidityGigavolts)!) {
      print(
        "  \(p.rigidityGigavolts) GV: R = \(p.reducedRigidity), D_A = \(p.centimetresSquaredPerSecond(p.alfven) ?? .nan), D_S = \(p.centimetresSquaredPerSecond(p.slow) ?? .nan), D_F = \(p.centimetresSquaredPerSecond(p.fast) ?? .nan), D = \(p.centimetresSquaredPerSecond(p.total) ?? .nan) cm²/s, cut active \(p.total.value?.cut?.isActive ?? false) μ* ≈ \(p.total.value?.cut?.largestDroppedCosine ?? 0)"
      )
    }
  }
}
