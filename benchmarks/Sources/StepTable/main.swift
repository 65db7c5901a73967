// Prints the performance table of issue 7 (README "Performance"): ns per particle-step per core
// for Larmor's kernel and the plain reference loop run beside it in the same process, 1 and 2
// threads, best of `rounds`; then synthesis vs bare FFTW. With `--memory N` it instead
// synthesizes an N³ field, traces particles through it and prints the peak RSS (run it as its own
// process: RSS is per process).
//
//   swift run -c release StepTable [--rounds 5] [--particles 2048] [--steps 1000] [--n 256]
//                                  [--kernels fastest,cellCached,prefetching,roundRobin,fourWay,plain]
//                                  [--case a|b]
//   swift run -c release StepTable --memory 512
import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
@_spi(Kernels) import StepKernels
import Turbulence

func option(_ name: String, _ fallback: Int) -> Int {
  let a = CommandLine.arguments
  if let i = a.firstIndex(of: name), i + 1 < a.count, let v = Int(a[i + 1]) { return v }
  return fallback
}

func peakRSSGiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) * 1024 / Double(1 << 30)  // ru_maxrss is in KiB on Linux
}

func machine() -> String {
  let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
    .trimmingCharacters(in: .whitespaces) ?? "?"
  let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
  return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu); load average \(load)"
}

let memoryN = option("--memory", 0)
if memoryN > 0 {
  let n = memoryN
  let spectrum = try TurbulenceSpectrum(
    .isotropic(index: 5.0 / 3), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4), turbulenceLevel: 1)
  let geometry = GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 1))
  let t0 = now()
  let field = SpectralSynthesis.synthesize(try FieldSpec(spectrum: spectrum, geometry: geometry, seed: 1), threads: 2).field
  let afterSynthesis = peakRSSGiB()
  let fieldBytes: Int = n * n * n * 12 + 4  // b_x b_y b_z per node (float32) + the padding float
  let fieldGiB = Double(fieldBytes) / 1_073_741_824.0
  let t1 = now()
  let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: 0.2 / Double(n), fieldStrengthBound: 1)
  let particles = option("--particles", 16384)
  let config = try EnsembleConfiguration(
    pusher: pusher, schedule: try SampleSchedule(times: [100 * pusher.timeStep, 200 * pusher.timeStep]),
    particleCount: particles, batchSize: 256, groupSize: 64)
  var state = EnsembleRunner.makeState(
    configuration: config, initialConditions: try InitialConditions(seed: 1, boxSize: Vec3(repeating: 1)), field: field,
    observer: try TransportAccumulator(times: config.rowTimes, pitchBinEdges: []))
  try await EnsembleRunner.run(&state, in: field, threads: 2)
  print(String(format: "memory: %d³ field %.2f GiB stored; peak RSS after synthesis %.2f GiB (%.1f s); after tracing %d particles through the runner %.2f GiB (%.1f s); peak beyond the field %.2f GiB",
               n, fieldGiB, afterSynthesis, t1 - t0, particles, peakRSSGiB(), now() - t1, peakRSSGiB() - fieldGiB))
  exit(0)
}

let rounds = option("--rounds", 5), particles = option("--particles", 2048), steps = option("--steps", 1000)
print("machine: \(machine())")
let setupStart = now()
let gridN = option("--n", 256)
let setup = try StepSetup(n: gridN)
print(String(format: "setup: \(gridN)³ synthesis + reference copy %.1f s; nodes on huge pages: %@ (%.2f s); %d particles × %d steps per worker, best of %d rounds",
             now() - setupStart, setup.hugePages ? "yes" : "no", setup.hugePageSeconds, particles, steps, rounds))
print("")
let kernels = CommandLine.arguments.firstIndex(of: "--kernels").map { i in
  CommandLine.arguments[i + 1].split(separator: ",").compactMap { KernelLoop(rawValue: String($0)) }
} ?? KernelLoop.allCases
print("ns per particle-step per core (wall × threads / steps); best of \(rounds); reference = plain AoS loop in this file's package")
print("")
print("| case | threads | " + kernels.map { "`\($0.rawValue)`" }.joined(separator: " | ") + " | reference loop | reference / fastest | 2-thread efficiency |")
print("|---|---|" + String(repeating: "---|", count: kernels.count) + "---|---|---|")
let onlyCase = CommandLine.arguments.firstIndex(of: "--case").map { CommandLine.arguments[$0 + 1] }
for c in StepCase.allCases where onlyCase == nil || c.rawValue.hasPrefix(onlyCase! + ":") {
  var single = 0.0
  for threads in [1, 2] {
    var best = StepMeasurement(reference: .infinity, kernels: [:])
    for round in 0..<rounds {
      let m = try setup.measure(c, threads: threads, particles: particles, steps: steps, round: round, kernels: kernels)
      best.reference = min(best.reference, m.reference)
      for k in kernels { best.kernels[k] = min(best.kernels[k] ?? .infinity, m.kernels[k]!) }
    }
    if threads == 1 { single = best.larmor }
    let efficiency = threads == 1 ? "" : String(format: "%.0f %%", 100 * single / best.larmor)
    let cells = kernels.map { String(format: "%.1f", best.kernels[$0]!) }.joined(separator: " | ")
    print(String(format: "| %@ | %d | %@ | %.1f | %.2f× | %@ |", c.rawValue, threads, cells, best.reference, best.speedup, efficiency))
  }
}
print("")
print("machine after: \(machine())")
