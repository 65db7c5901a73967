import Foundation
import Testing
import QuasiLinear

/// Not a physics test: prints the wall time of a 60-rigidity (1–1000 GV), 3-mode D(𝓡) curve on
/// 1 and 2 threads. Enabled only with LARMOR_TIMING=1 (run it in a release build); the
/// benchmark with ratios is `QLTBenchmark` in benchmarks/.
@Test(.enabled(if: ProcessInfo.processInfo.environment["LARMOR_TIMING"] == "1"))
func diffusionCurveTiming() throws {
  for medium in [Medium.halo, Medium.warmIonizedMedium] {
    let model = try MediumDiffusionModel(medium: medium)
    let rigidities = (0..<60).map { pow(10, Double($0) / 59 * 3) }  // 1 GV … 1 TV
    for threads in [1, 2] {
      let start = Date()
      let curve = model.curve(rigiditiesGigavolts: rigidities, threads: threads)
      let elapsed = Date().timeIntervalSince(start)
      print("timing \(medium.name): 60 rigidities × 3 modes on \(threads) thread(s) in \(elapsed) s")
      guard threads == 1 else { continue }
      for i in [0, 20, 40, 59] {
        let p = curve[i]
        print(
          "  \(p.rigidityGigavolts) GV: R = \(p.reducedRigidity), D_A = \(p.centimetresSquaredPerSecond(p.alfven) ?? .nan), D_S = \(p.centimetresSquaredPerSecond(p.slow) ?? .nan), D_F = \(p.centimetresSquaredPerSecond(p.fast) ?? .nan), D = \(p.centimetresSquaredPerSecond(p.total) ?? .nan) cm²/s, cut active \(p.total.value?.cut?.isActive ?? false) μ* ≈ \(p.total.value?.cut?.largestDroppedCosine ?? 0)"
        )
      }
    }
  }
}
