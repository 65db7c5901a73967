// swift-tools-version:6.1
// Larmor's benchmarks: a sibling package, so the main build stays lean (docs/design.md).
//
//   cd benchmarks
//   swift package --allow-writing-to-package-directory benchmark   # ordo-one: wall clock, mallocs, ratios
//   swift run -c release StepTable                                 # the README performance table
//   swift run -c release SynthesisBenchmark [N]                    # synthesis vs bare FFTW
//   swift run -c release QLTBenchmark                              # QLT D(R) curve, per-point cost
//   swift run -c release MovingStep                                # moving-field step vs the static step
//
// The main package is a path dependency. SwiftPM names a path dependency after its directory
// (a checkout in `wt-perf/` has identity "wt-perf", one in `Larmor/` "larmor"), so the identity
// used in `.product(package:)` is computed from this file's location instead of being spelled.
import Foundation
import PackageDescription

let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let mainIdentity = mainPackage.lastPathComponent.lowercased()

/// The main package compiles its Swift code for AVX on x86-64 (its Package.swift); the kernels
/// specialized here must be compiled the same way to be measured as `larmor` runs them.
let portable = ProcessInfo.processInfo.environment["LARMOR_PORTABLE"] == "1"
#if arch(x86_64)
let simdSettings: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-Xcc", "-mavx"])]
#else
let simdSettings: [SwiftSetting] = []
#endif

func larmor(_ product: String) -> Target.Dependency { .product(name: product, package: mainIdentity) }

let package = Package(
  name: "LarmorBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // The shared setup (256³ field, pushers, batches) and the plain reference loop.
    .target(
      name: "StepKernels", dependencies: [larmor("LarmorCore"), larmor("Turbulence"), larmor("Orbits")], swiftSettings: simdSettings),
    .executableTarget(name: "StepTable", dependencies: ["StepKernels", larmor("LarmorCore"), larmor("Orbits")], swiftSettings: simdSettings),
    .executableTarget(
      name: "SynthesisBenchmark", dependencies: [larmor("Turbulence"), larmor("LarmorCore")], swiftSettings: simdSettings),
    .executableTarget(
      name: "MovingStep", dependencies: [larmor("LarmorCore"), larmor("Turbulence"), larmor("Orbits")], swiftSettings: simdSettings),
    .executableTarget(name: "QLTBenchmark", dependencies: [larmor("QuasiLinear")], swiftSettings: simdSettings),
    .executableTarget(
      name: "ParticleStep",
      dependencies: [
        "StepKernels", larmor("LarmorCore"), larmor("Turbulence"), larmor("Orbits"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/ParticleStep",
      swiftSettings: simdSettings,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ],
  swiftLanguageModes: [.v6]
)
