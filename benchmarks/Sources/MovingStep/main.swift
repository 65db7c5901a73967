// The moving-field step against the static step on the same 256³ field, in one process:
//   static      GridField of GS Alfvén turbulence, `advanceFastest` (what `larmor trace` runs);
//               static-plain: the plain magnetostatic loop `advancePlain` on the same field
//   moving-1    the same field as one pattern travelling at v_A (TravelingGridField, σ_c = 1):
//               the cell-cached electric-kick kernel `advanceMovingCellCached` (what `larmor
//               trace` runs); moving-1-4way: `advanceMoving`, four particles interleaved, one
//               grid lookup per step; moving-1-plain: the one-particle-at-a-time reference
//   moving-2    balanced waves (σ_c = 0): two patterns, cell-cached (moving-2-4way: two lookups
//               per step)
//   plane-N     fast modes as N plane waves per direction (PlaneWaveField, 2N cosines per step)
// δB/B₀ = 0.3, k ∈ [2π, 2π·64], box 1 L, R = 0.1, Δt = 0.2 Δx (case a of StepTable), 1 thread,
// 4096 particles × `--steps` steps, best of `--rounds` interleaved rounds. Ratios are to `static`.
import Dispatch
import Foundation
import LarmorCore
@_spi(Kernels) import Orbits
import Turbulence

var n = 256, steps = 200, rounds = 3, waves = 256
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
  switch a {
  case "--n": n = Int(arguments.next() ?? "") ?? n
  case "--steps": steps = Int(arguments.next() ?? "") ?? steps
  case "--rounds": rounds = Int(arguments.next() ?? "") ?? rounds
  case "--waves": waves = Int(arguments.next() ?? "") ?? waves
  default: print("usage: MovingStep [--n 256] [--steps 200] [--rounds 3] [--waves 256]"); exit(2)
  }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

let spectrum = try TurbulenceSpectrum(
  .alfven(GoldreichSridhar()), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4), turbulenceLevel: 0.3)
let spec = try FieldSpec(spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 1)), seed: 1)
let staticField = SpectralSynthesis.synthesize(spec, threads: 2).field
_ = staticField.collapseToHugePages()
let oneWay = try TravelingGridField.synthesize(spec, motion: WaveMotion(alfvenSpeed: 0.1, crossHelicity: 1), threads: 2)
let balanced = try TravelingGridField.synthesize(spec, motion: WaveMotion(alfvenSpeed: 0.1, crossHelicity: 0), threads: 2)
for f in [oneWay, balanced] { for p in f.patterns { _ = p.fluctuation.collapseToHugePages() } }
let fastSpectrum = try TurbulenceSpectrum(.fast(FastModes()), minimumWavenumber: 2 * .pi, maximumWavenumber: 2 * .pi * Double(n / 4), turbulenceLevel: 0.3)
let planeWaves = try PlaneWaveField.synthesize(fastSpectrum, motion: WaveMotion(alfvenSpeed: 0.1), waveCount: waves, seed: 1)

let pusher = try BorisPusher(reducedRigidity: 0.1, timeStep: 0.2 / Double(n), fieldStrengthBound: 2.2)
let particles = 4096
let stepCount = steps
let initial = try InitialConditions(seed: 1, boxSize: Vec3(repeating: 1)).makeBatch(ids: 0..<UInt64(particles), field: UniformField())

/// ns per particle-step of one kernel call over all particles (plane waves: a 20th of the steps).
func measure(_ name: String, stepsScale: Int = 1, _ body: (inout ParticleBatch, Int) -> Int?) -> Double {
  var batch = initial
  let s = max(1, stepCount / stepsScale)
  let start = now()
  precondition(body(&batch, s) == nil, "\(name): non-finite orbit")
  return (now() - start) * 1e9 / Double(particles * s)
}

var best: [String: Double] = [:]
let names = ["static", "static-plain", "moving-1", "moving-1-4way", "moving-1-plain", "moving-2", "moving-2-4way", "plane-\(waves)"]
for _ in 0..<rounds {
  let results = [
    measure(names[0]) { pusher.advance(&$0, steps: $1, in: staticField, loop: .fastest) },
    measure(names[1]) { pusher.advance(&$0, steps: $1, in: staticField, loop: .plain) },
    measure(names[2]) { pusher.advance(&$0, steps: $1, firstStep: 0, in: oneWay, loop: .fastest) },
    measure(names[3]) { pusher.advance(&$0, steps: $1, firstStep: 0, in: oneWay, loop: .fourWay) },
    measure(names[4]) { pusher.advance(&$0, steps: $1, firstStep: 0, in: oneWay, loop: .plain) },
    measure(names[5]) { pusher.advance(&$0, steps: $1, firstStep: 0, in: balanced, loop: .fastest) },
    measure(names[6]) { pusher.advance(&$0, steps: $1, firstStep: 0, in: balanced, loop: .fourWay) },
    measure(names[7], stepsScale: 20) { pusher.advance(&$0, steps: $1, firstStep: 0, in: planeWaves, loop: .fourWay) },
  ]
  for (name, r) in zip(names, results) { best[name] = min(best[name] ?? .infinity, r) }
}
print("GS Alfvén \(n)³ (δB/B₀ = 0.3), R = 0.1, Δt = 0.2 Δx, \(particles) particles, 1 thread, best of \(rounds)")
print("kernel        ns/step   ratio to static")
for name in names {
  print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%8.1f   %6.2f", best[name]!, best[name]! / best["static"]!))
}
