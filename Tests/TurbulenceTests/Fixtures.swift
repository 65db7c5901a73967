import LarmorCore
@testable import Turbulence

/// A field spec on an N³ box of side 2π (k_min = 1) with k_max just below Nyquist.
func cubicSpec(
  _ family: ModeFamily, n: Int, level: Double = 0.5, seed: UInt64 = 7,
  normalization: FieldNormalization = .expectedVariance, kMax: Double? = nil
) throws -> FieldSpec {
  let spectrum = try TurbulenceSpectrum(
    family, minimumWavenumber: 1, maximumWavenumber: kMax ?? Double(n / 2 - 1), turbulenceLevel: level)
  return try FieldSpec(
    spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(repeating: 2 * .pi)),
    seed: seed, normalization: normalization)
}

/// A slab spec on a 1×1×N line of length `boxLength` (in L), k_min = 2π/boxLength·`fundamentals`.
func slabSpec(n: Int, boxLength: Double = 2 * .pi, level: Double = 0.1, seed: UInt64 = 7, index: Double = 5.0 / 3)
  throws -> FieldSpec
{
  let Δk = 2 * Double.pi / boxLength
  let spectrum = try TurbulenceSpectrum(
    .slab(index: index), minimumWavenumber: Δk, maximumWavenumber: Δk * Double(n / 2 - 1), turbulenceLevel: level)
  return try FieldSpec(
    spectrum: spectrum, geometry: GridGeometry(counts: SIMD3(1, 1, n), boxSize: Vec3(boxLength, boxLength, boxLength)),
    seed: seed)
}

/// Every model family, for tests that must hold for all of them.
let allFamilies: [ModeFamily] = [
  .isotropic(index: 5.0 / 3), .alfven(GoldreichSridhar()), .slow(GoldreichSridhar()),
  .fast(FastModes()), .fast(FastModes(damping: FastModeDamping(sharpCutoff: 6))),
]
