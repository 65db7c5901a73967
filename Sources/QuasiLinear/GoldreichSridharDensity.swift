import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `ModeFamily.shape` of an Alfvén or slow (Goldreich–Sridhar) family with its constants
/// hoisted: the same density, GoldreichSridhar.density = k_⊥^(−10/3) exp(−|k_∥|/(a ℓ^(−1/3)
/// k_⊥^(2/3))) on k_⊥,min ≤ k_⊥ ≤ k_max, |k_∥| ≤ k_max, with one cbrt instead of four pow per
/// call (the inner loop of the cylindrical integrals). Agrees with `shape` to round-off (tests).
struct GoldreichSridharDensity: Sendable {
  let isAlfven: Bool
  let coneWidth: Double
  let lowerCut: Double
  let kMax: Double
  /// |k_∥| below this carries no power (`GoldreichSridhar.parallelFloorFactor` k_min).
  let parallelFloor: Double

  init?(_ family: ModeFamily, minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) {
    let gs: GoldreichSridhar
    switch family {
    case .alfven(let g): (gs, isAlfven) = (g, true)
    case .slow(let g): (gs, isAlfven) = (g, false)
    default: return nil
    }
    coneWidth = gs.coneFactor * pow(kMin, 1.0 / 3.0)
    lowerCut = gs.perpendicularCutoffFactor * kMin * (1 - 1e-12)
    self.kMax = kMax
    parallelFloor = gs.parallelFloorFactor * kMin
  }

  /// (Alfvén, pseudo) power per d³k, as `ModeFamily.shape` returns it.
  @inline(__always) func power(perpendicular kPerp: Double, parallel kPar: Double) -> PolarizedPower {
    guard kPerp >= lowerCut, kPerp <= kMax, abs(kPar) <= kMax, abs(kPar) >= parallelFloor else {
      return PolarizedPower(alfven: 0, pseudo: 0)
    }
    let c = cbrt(kPerp)
    let p = exp(-abs(kPar) / (coneWidth * c * c)) / (kPerp * kPerp * kPerp * c)
    return isAlfven ? PolarizedPower(alfven: p, pseudo: 0) : PolarizedPower(alfven: 0, pseudo: p)
  }

  /// The same at k_⊥ = e^t, for quadratures in t = ln k_⊥: k_⊥^(1/3) = e^(t/3) and the cone
  /// factor from the inlined `fastExp` instead of cbrt and exp (≈ 20 % of a D(R) curve).
  @inline(__always) func power(perpendicular kPerp: Double, logPerpendicular t: Double, parallel kPar: Double)
    -> PolarizedPower
  {
    guard kPerp >= lowerCut, kPerp <= kMax, abs(kPar) <= kMax, abs(kPar) >= parallelFloor else {
      return PolarizedPower(alfven: 0, pseudo: 0)
    }
    let c = fastExp(t * (1.0 / 3))
    let p = fastExp(-abs(kPar) / (coneWidth * c * c)) / (kPerp * kPerp * kPerp * c)
    return isAlfven ? PolarizedPower(alfven: p, pseudo: 0) : PolarizedPower(alfven: 0, pseudo: p)
  }

  /// `power(perpendicular:logPerpendicular:parallel:)` at the eight nodes of a panel, given
  /// k_⊥ and k_⊥^(1/3), as (Alfvén, pseudo) lanes.
  @inline(__always) func power(perpendicular kPerp: SIMD8<Double>, cubeRoot c: SIMD8<Double>, parallel kPar: Double)
    -> (alfven: SIMD8<Double>, pseudo: SIMD8<Double>)
  {
    let zero = SIMD8<Double>()
    guard abs(kPar) <= kMax, abs(kPar) >= parallelFloor else { return (zero, zero) }
    let outside = (kPerp .< lowerCut) .| (kPerp .> kMax) .| (kPerp .!= kPerp)
    let cone = coneWidth * c * c
    let denominator = kPerp * kPerp * kPerp * c
    let p = (fastExp(-abs(kPar) / cone) / denominator).replacing(with: 0, where: outside)
    return isAlfven ? (p, zero) : (zero, p)
  }
}
