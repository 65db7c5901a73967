// swift-tools-version:6.0
// Larmor's benchmarks, a sibling package so the main build stays lean (DESIGN.md).
// Run: cd benchmarks && swift run -c release SynthesisBenchmark [N]
import PackageDescription

let package = Package(
  name: "LarmorBenchmarks",
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "SynthesisBenchmark",
      dependencies: [.product(name: "Turbulence", package: "main"), .product(name: "LarmorCore", package: "main")])
  ]
)
