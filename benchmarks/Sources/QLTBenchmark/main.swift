// QLT D(𝓡) cost: a 60-rigidity (1–1000 GV, log-spaced), 3-mode (Alfvén + slow + fast) curve for
// the halo and WIM media on 1 and 2 threads; the cost per D_μμ(μ) point per mode; and ratios
// against the original, tightly converged evaluation measured in the same run
// (`QuadratureResolution.reference` with the original μ path: 2 exact panels, μ* by bisection).
//
//   swift run -c release QLTBenchmark [--rounds N] [--reference-rigidities N]
import Dispatch
import Foundation
import QuasiLinear

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
  guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
  return v
}
let rounds = option("--rounds", 1)
let referenceRigidities = option("--reference-rigidities", 2)

func seconds(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}
func best(_ body: () -> Void) -> Double { (0..<max(1, rounds)).map { _ in seconds(body) }.min()! }
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
func load() -> String { (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?" }

let rigidities = (0..<60).map { pow(10, 3 * Double($0) / 59) }
// The μ nodes of the default D_∥ quadrature: 2 panels × 12 Gauss–Legendre nodes in s graded toward 1 (edges 0, 3/4, 1), μ = s³.
let muNodes: [Double] = {
  let n = 12
  var nodes = [Double]()
  // Gauss–Legendre nodes on [−1, 1] by Newton iteration on P_n.
  for i in 1...n {
    var x = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
    for _ in 0..<100 {
      var (p0, p1) = (1.0, x)
      for k in 2...n { (p0, p1) = (p1, ((2 * Double(k) - 1) * x * p1 - Double(k - 1) * p0) / Double(k)) }
      let dp = Double(n) * (x * p1 - p0) / (x * x - 1)
      let dx = p1 / dp
      x -= dx
      if abs(dx) < 1e-15 { break }
    }
    nodes.append(x)
  }
  let edges = [0, 0.75, 1.0]
  return (0..<2).flatMap { p in nodes.map { x in pow(edges[p] + (edges[p + 1] - edges[p]) * (1 + x) / 2, 3) } }
}()

print("QLTBenchmark: load average \(load()) at start; \(ProcessInfo.processInfo.activeProcessorCount) cores; best of \(rounds)")
// The first solver set-up builds the process-wide cone tables (`ConeIntegralTable`); later ones reuse them.
let setUp = seconds { _ = try? MediumDiffusionModel(medium: .halo) }
let laterSetUp = seconds { _ = try? MediumDiffusionModel(medium: .halo) }
print(String(format: "\n0. Solver set-up (halo): first %.1f ms (builds the shared cone tables), then %.1f ms", setUp * 1000, laterSetUp * 1000))
print("\n1. D(𝓡) curve: 60 rigidities 1–1000 GV × (Alfvén + slow + fast), default solver")
print("medium     threads  seconds  ms/rigidity")
for medium in [Medium.halo, Medium.warmIonizedMedium] {
  let model = try MediumDiffusionModel(medium: medium)
  for threads in [1, 2] {
    let t = best { _ = model.curve(rigiditiesGigavolts: rigidities, threads: threads) }
    print(pad(medium.name, 9) + String(format: "  %7d  %7.2f  %11.1f", threads, t, t / 60 * 1000))
  }
}

print("\n2. Cost per D_μμ(μ) point per mode (ms; 1 thread; 24 μ nodes × 1, 30, 1000 GV for the default solver,")
print("   8 of them × the same rigidities for the reference layout), ratio reference/default")
print("medium     mode    default_ms  reference_ms  ratio")
for medium in [Medium.halo, Medium.warmIonizedMedium] {
  let fast = try MediumDiffusionModel(medium: medium)
  let reference = try MediumDiffusionModel(medium: medium, resolution: .reference)
  let names = ["Alfvén", "slow", "fast"]
  for mode in 0..<3 {
    func cost(_ model: MediumDiffusionModel, _ μs: [Double]) -> Double {
      let solver = [model.alfvenSolver, model.slowSolver, model.fastSolver][mode]
      var sink = 0.0
      let t = best {
        for 𝓡 in [1.0, 30.0, 1000.0] {
          let R = model.reducedRigidity(rigidityGigavolts: 𝓡)
          let v = model.particle.speed(rigidityGigavolts: 𝓡)
          for μ in μs { sink += solver.coefficient(cosine: μ, reducedRigidity: R, speed: v) }
        }
      }
      precondition(sink.isFinite)
      return t / Double(3 * μs.count) * 1000
    }
    let a = cost(fast, muNodes)
    let b = cost(reference, Array(muNodes.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)))
    print(pad(medium.name, 9) + "  " + pad(names[mode], 6) + String(format: "  %10.3f  %12.3f  %5.1f", a, b, b / a))
  }
}

print("\n3. One D_∥ point (3 modes + total), 1 thread: default vs the original path")
print("   (reference layout, 2 μ panels, μ* by bisection on evaluated D_μμ)")
print("medium     GV       default_s  original_s  ratio  max |ΔD_∥/D_∥| (finite results)")
for medium in [Medium.halo, Medium.warmIonizedMedium] {
  let fast = try MediumDiffusionModel(medium: medium)
  let original = try MediumDiffusionModel(
    medium: medium, options: ParallelDiffusionOptions(panels: 2, checksConvergence: false), resolution: .reference)
  for 𝓡 in [1.0, 1000.0, 30.0, 300.0].prefix(max(1, referenceRigidities)) {
    var a: DiffusionCurvePoint?
    var b: DiffusionCurvePoint?
    let ta = best { a = fast.point(rigidityGigavolts: 𝓡) }
    let tb = seconds { b = original.point(rigidityGigavolts: 𝓡) }
    var difference = 0.0
    for (x, y) in [(a!.alfven, b!.alfven), (a!.slow, b!.slow), (a!.fast, b!.fast), (a!.total, b!.total)] {
      if let u = x.value?.coefficient, let w = y.value?.coefficient { difference = max(difference, abs(u / w - 1)) }
    }
    print(pad(medium.name, 9) + String(format: "  %6.0f  %9.3f  %10.3f  %5.1f  %.1e", 𝓡, ta, tb, tb / ta, difference))
  }
}
print("\nload average \(load()) at end")
