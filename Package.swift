// swift-tools-version:6.0
// Larmor: cosmic-ray transport in synthetic MHD turbulence, compared with quasi-linear theory.
// Targets follow DESIGN.md; each has one responsibility and imports only what the table there allows.
import PackageDescription

let package = Package(
  name: "Larmor",
  products: [
    .executable(name: "larmor", targets: ["larmor"]),
    .library(name: "LarmorCore", targets: ["LarmorCore"]),
    .library(name: "Turbulence", targets: ["Turbulence"]),
    .library(name: "LarmorIO", targets: ["LarmorIO"]),
    .library(name: "Orbits", targets: ["Orbits"]),
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
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
    .target(name: "Turbulence", dependencies: ["LarmorCore", "CFFTW"]),
    .target(name: "Orbits", dependencies: ["LarmorCore"]),
    .target(name: "Diffusion", dependencies: ["LarmorCore", "Orbits"]),
    .target(name: "QuasiLinear", dependencies: ["LarmorCore"]),
    .target(name: "Transport", dependencies: ["LarmorCore"], resources: [.copy("Data")]),
    .target(
      name: "LarmorIO",
      dependencies: [
        "LarmorCore", "Turbulence", "QuasiLinear", "Transport", "CHDF5", .product(name: "TOMLKit", package: "TOMLKit"),
      ]),
    .executableTarget(
      name: "larmor",
      dependencies: [
        "LarmorCore", "Turbulence", "LarmorIO", "Orbits", "Diffusion", "QuasiLinear", "Transport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "LarmorCoreTests", dependencies: ["LarmorCore"]),
    .testTarget(name: "TurbulenceTests", dependencies: ["Turbulence", "LarmorCore"]),
    .testTarget(name: "OrbitsTests", dependencies: ["Orbits", "Turbulence", "LarmorCore"]),
    .testTarget(name: "DiffusionTests", dependencies: ["Diffusion", "Orbits", "LarmorCore"]),
    .testTarget(name: "QuasiLinearTests", dependencies: ["QuasiLinear", "LarmorCore"]),
    .testTarget(name: "TransportTests", dependencies: ["Transport", "LarmorCore"]),
    .testTarget(name: "LarmorIOTests", dependencies: ["LarmorIO", "Turbulence", "LarmorCore"]),
    .testTarget(name: "CLITests", dependencies: ["larmor"]),
  ],
  swiftLanguageModes: [.v6]
)
