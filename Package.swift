// swift-tools-version:6.0
// Larmor: cosmic-ray transport in synthetic MHD turbulence, compared with quasi-linear theory.
// Targets and what each may import: docs/design.md §1.1 (one responsibility per target).
import Foundation
import PackageDescription

/// On x86-64 the Swift code is compiled for AVX (every x86-64 server and desktop CPU since 2011):
/// SIMD4<Double>, the particle kernel's four lanes, is then one register and one instruction
/// instead of two (benchmarks/README.md: 0.2-cell step 27.7 → 14.8 ns on a cache-resident grid).
/// No FMA contraction is enabled, so results are bitwise those of a baseline build. Set
/// LARMOR_PORTABLE=1 to build for baseline x86-64 (SSE2).
let portable = ProcessInfo.processInfo.environment["LARMOR_PORTABLE"] == "1"
#if arch(x86_64)
let simdSettings: [SwiftSetting] = portable ? [] : [.unsafeFlags(["-Xcc", "-mavx"])]
#else
let simdSettings: [SwiftSetting] = []
#endif

let package = Package(
  name: "Larmor",
  products: [
    .executable(name: "larmor", targets: ["larmor"]),
    .library(name: "LarmorCore", targets: ["LarmorCore"]),
    .library(name: "FieldStorage", targets: ["FieldStorage"]),
    .library(name: "Turbulence", targets: ["Turbulence"]),
    .library(name: "LarmorIO", targets: ["LarmorIO"]),
    .library(name: "Orbits", targets: ["Orbits"]),
    .library(name: "Tracing", targets: ["Tracing"]),
    .library(name: "Diffusion", targets: ["Diffusion"]),
    .library(name: "QuasiLinear", targets: ["QuasiLinear"]),
    .library(name: "Transport", targets: ["Transport"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    .target(
      name: "LarmorCore",
      dependencies: [.product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: simdSettings,
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
    .target(name: "FieldStorage", dependencies: ["LarmorCore"], swiftSettings: simdSettings),
    .target(name: "Turbulence", dependencies: ["LarmorCore", "FieldStorage", "CFFTW"], swiftSettings: simdSettings),
    .target(name: "Orbits", dependencies: ["LarmorCore"], swiftSettings: simdSettings),
    .target(name: "Tracing", dependencies: ["LarmorCore", "FieldStorage", "Turbulence", "Orbits"], swiftSettings: simdSettings),
    .target(name: "Diffusion", dependencies: ["LarmorCore", "Orbits"], swiftSettings: simdSettings),
    .target(name: "QuasiLinear", dependencies: ["LarmorCore"], swiftSettings: simdSettings),
    .target(name: "Transport", dependencies: ["LarmorCore"], resources: [.copy("Data")]),
    .target(
      name: "LarmorIO",
      dependencies: [
        "LarmorCore", "FieldStorage", "QuasiLinear", "Transport", "CHDF5", .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    .executableTarget(
      name: "larmor",
      dependencies: [
        "LarmorCore", "FieldStorage", "Turbulence", "LarmorIO", "Orbits", "Tracing", "Diffusion", "QuasiLinear", "Transport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: simdSettings),
    .testTarget(name: "LarmorCoreTests", dependencies: ["LarmorCore"]),
    .testTarget(name: "FieldStorageTests", dependencies: ["FieldStorage", "LarmorCore"]),
    .testTarget(name: "TurbulenceTests", dependencies: ["Turbulence", "FieldStorage", "LarmorCore"]),
    .testTarget(name: "OrbitsTests", dependencies: ["Orbits", "Turbulence", "FieldStorage", "LarmorCore"], swiftSettings: simdSettings),
    .testTarget(name: "TracingTests", dependencies: ["Tracing", "Orbits", "LarmorCore"]),
    .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "Orbits", "LarmorCore"]),
    .testTarget(name: "QuasiLinearTests", dependencies: ["QuasiLinear", "LarmorCore"]),
    .testTarget(name: "TransportTests", dependencies: ["Transport", "LarmorCore"]),
    .testTarget(name: "LarmorIOTests", dependencies: ["LarmorIO", "Turbulence", "FieldStorage", "LarmorCore", "CHDF5"]),
    .testTarget(name: "CLITests", dependencies: ["larmor", "LarmorIO"]),
    // Simulation against theory across targets: fields, orbits, estimators and QLT together.
    .testTarget(
      name: "ValidationTests", dependencies: ["Turbulence", "FieldStorage", "Orbits", "Diffusion", "QuasiLinear", "LarmorCore"],
      swiftSettings: simdSettings),
  ],
  swiftLanguageModes: [.v6]
)
