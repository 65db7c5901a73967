import Foundation
import LarmorCore
import Testing

@testable import QuasiLinear

/// The fast default solver (`QuadratureResolution.standard`, interpolating μ* search, 3 μ
/// panels) against slow, tightly converged evaluations of the same quantities.
@Suite struct ReferenceAgreementTests {
  /// D_μμ of the Alfvén, slow and fast modes of both media at 1 and 300 GV and μ = 0.1, 0.5,
  /// 0.9: standard layout against `.reference` (the original layout: 6-point panels ≤ 0.5 in
  /// ln k, clusters every σ/2, ξ breakpoints 2^(−j/2), direct TTD quadrature, tails to
  /// 1e-10…1e-13; converged to ≲ 1e-8 by its own refinement). Tolerance 1e-3 relative
  /// (measured here ≤ 3e-5; over the 24 default μ nodes at 1, 30, 1000 GV the fast modes
  /// agree to ≤ 2.5e-4, largest in the halo at 1 GV for μ → 0).
  @Test(arguments: [Medium.halo, Medium.warmIonizedMedium])
  func pitchAngleCoefficientsMatchReference(medium: Medium) throws {
    let fast = try MediumDiffusionModel(medium: medium)
    let reference = try MediumDiffusionModel(medium: medium, resolution: .reference)
    var worst = 0.0
    for 𝓡 in [1.0, 300.0] {
      for μ in [0.1, 0.5, 0.9] {
        let a = fast.pitchAngleCoefficients(cosine: μ, rigidityGigavolts: 𝓡)
        let b = reference.pitchAngleCoefficients(cosine: μ, rigidityGigavolts: 𝓡)
        for mode in 0..<3 {
          let difference = abs(a[mode] / b[mode] - 1)
          worst = max(worst, difference)
          #expect(difference < 1e-3, "\(medium.name) \(𝓡) GV μ = \(μ) mode \(mode): \(a[mode]) vs \(b[mode])")
        }
      }
    }
    print("\(medium.name): largest D_μμ relative difference standard vs reference \(worst)")
  }

  /// The same comparison at every μ node of the default D_∥ quadrature (2 graded panels of 12
  /// Gauss–Legendre nodes in s, μ = s³) at 1, 30 and 1000 GV: the values D_∥ is built from.
  /// Tolerance 5e-4 relative (measured: halo Alfvén / slow / fast 9.8e-5 / 3.9e-6 / 2.4e-4, the
  /// last at 1 GV for μ → 0; WIM ≤ 5.9e-5).
  @Test(arguments: [Medium.halo, Medium.warmIonizedMedium])
  func pitchAngleCoefficientsMatchReferenceAtEveryMuNode(medium: Medium) throws {
    let fast = try MediumDiffusionModel(medium: medium)
    let reference = try MediumDiffusionModel(medium: medium, resolution: .reference)
    let rule = PanelQuadrature(order: 12)
    let edges: [Double] = [0, 0.75, 1]
    var nodes = [Double]()
    for p in 0..<2 {
      for x in rule.nodes {
        let s: Double = edges[p] + (edges[p + 1] - edges[p]) * (1 + x) / 2
        nodes.append(s * s * s)
      }
    }
    var worst = [0.0, 0.0, 0.0]
    for 𝓡 in [1.0, 30, 1000] {
      for μ in nodes {
        let a = fast.pitchAngleCoefficients(cosine: μ, rigidityGigavolts: 𝓡)
        let b = reference.pitchAngleCoefficients(cosine: μ, rigidityGigavolts: 𝓡)
        for mode in 0..<3 where b[mode] > 0 || a[mode] > 0 {
          let difference = abs(a[mode] / b[mode] - 1)
          worst[mode] = max(worst[mode], difference)
          #expect(difference < 5e-4, "\(medium.name) \(𝓡) GV μ = \(μ) mode \(mode): \(a[mode]) vs \(b[mode])")
        }
      }
    }
    print("\(medium.name): largest D_μμ relative difference at the μ nodes, Alfvén / slow / fast \(worst)")
  }

  /// The SIMD panel integrands (GS k_⊥ integral, fast-mode gyroresonance) against their scalar
  /// twins at the same nodes: D_μμ of all three modes equal to 1e-12 relative (the two fastExp
  /// differ by ≲ 1 ulp; measured differences are printed).
  @Test(arguments: [Medium.halo, Medium.warmIonizedMedium])
  func panelwiseIntegrandsEqualScalar(medium: Medium) throws {
    let model = try MediumDiffusionModel(medium: medium)
    var worst = 0.0
    for 𝓡 in [1.0, 300.0] {
      let R = model.reducedRigidity(rigidityGigavolts: 𝓡)
      let v = model.particle.speed(rigidityGigavolts: 𝓡)
      for solver in [model.alfvenSolver, model.slowSolver, model.fastSolver] {
        // Without the cone tables, so that the GS k_⊥ integrands are exercised.
        var simd = solver
        simd.usesConeTables = false
        var scalar = simd
        scalar.usesPanelwiseIntegrands = false
        for μ in [0.1, 0.5, 0.9] {
          let a = simd.coefficient(cosine: μ, reducedRigidity: R, speed: v)
          let b = scalar.coefficient(cosine: μ, reducedRigidity: R, speed: v)
          #expect(a > 0)
          worst = max(worst, abs(a / b - 1))
        }
      }
    }
    print("\(medium.name): SIMD vs scalar integrands, largest D_μμ relative difference \(worst)")
    #expect(worst < 1e-12)
  }

  /// D_∥ of each mode and of the total at 1 and 100 GV: the default μ quadrature (2 graded panels of 12
  /// nodes in s = μ^(1/3), μ* located on an interpolant and refined on exact values, partial
  /// panels on their own exact nodes) against the exact μ path with 8 panels (bisection of
  /// μ* on evaluated D_μμ, 96 nodes), both on the standard D_μμ (whose agreement with the
  /// reference layout is the test above). Tolerance 1e-3 relative; a mode that is divergent
  /// (all pitch angles ballistic) must be so in both.
  @Test(arguments: [Medium.halo, Medium.warmIonizedMedium])
  func parallelDiffusionMatchesFineMuQuadrature(medium: Medium) throws {
    let model = try MediumDiffusionModel(medium: medium)
    let fine = try MediumDiffusionModel(medium: medium, options: ParallelDiffusionOptions(panels: 8, checksConvergence: false))
    for 𝓡 in [1.0, 100.0] {
      let a = model.point(rigidityGigavolts: 𝓡)
      let b = fine.point(rigidityGigavolts: 𝓡)
      for (name, x, y) in [("Alfvén", a.alfven, b.alfven), ("slow", a.slow, b.slow), ("fast", a.fast, b.fast), ("total", a.total, b.total)] {
        if let d = y.divergence {
          #expect(x.divergence == d, "\(medium.name) \(𝓡) GV \(name)")
          continue
        }
        let u = try #require(x.value?.coefficient)
        let v = try #require(y.value?.coefficient)
        print("\(medium.name) \(𝓡) GV \(name): D_∥ relative difference \(abs(u / v - 1)), μ* cut active \(x.value?.cut?.isActive ?? false)")
        #expect(abs(u / v - 1) < 1e-3, "\(medium.name) \(𝓡) GV \(name): \(u) vs \(v)")
      }
    }
  }

  /// Φ(u) = ∫₀^u t^(−5/2) J_1(t)² dt (phase-averaged beyond w₁ = 40) from `TransitTimeTable`
  /// against a direct quadrature on a fine ln t grid with the C library's Bessel functions:
  /// relative 1e-8 from the series range to beyond the averaging end.
  @Test func transitTimeTableMatchesQuadrature() throws {
    let bessel = BesselWeights(averagingThreshold: 40)
    let table = try #require(TransitTimeTable(index: 1.5, bessel: bessel))
    let rule = GaussLegendre(order: 10)
    func weight(_ t: Double) -> Double {
      let onset = bessel.averagingOnset(harmonic: 0)
      guard t > onset else { return BesselWeights.libraryWeights(harmonic: 0, argument: t).pseudo }
      return bessel.weights(harmonic: 0, argument: t).pseudo
    }
    var previous = (u: 1e-6, value: TransitTimeTable.series(1e-6, 1.5))
    for u in [1e-4, 1e-3, 0.3, 3, 30, 79, 81, 1e3, 1e6] {
      let segment = rule.integrate(from: log(previous.u), to: log(u), panels: 4000) { t in
        let x = exp(t)
        return pow(x, -1.5) * weight(x)
      }
      previous = (u, previous.value + segment)
      #expect(abs(table.antiderivative(u) / previous.value - 1) < 1e-8, "u = \(u): \(table.antiderivative(u)) vs \(previous.value)")
    }
  }

  /// The hoisted Goldreich–Sridhar density equals `ModeFamily.shape` (relative 1e-12) for both
  /// polarizations, sub- and super-Alfvénic, inside and at the edges of the support.
  @Test func goldreichSridharDensityMatchesShape() {
    for machNumber in [0.5, 1, 2] {
      for family in [ModeFamily.alfven(GoldreichSridhar(machNumber: machNumber)), .slow(GoldreichSridhar(machNumber: machNumber))] {
        let density = GoldreichSridharDensity(family, minimumWavenumber: 2, maximumWavenumber: 1e9)!
        for kPerp in [0.5, 1.999, 8, 8.1, 1e3, 1e8, 1e9, 2e9] {
          for kPar in [0, 0.3, 40, 1e6, 2e9] {
            let a = density.power(perpendicular: kPerp, parallel: kPar)
            let b = family.shape(at: Vec3(kPerp, 0, kPar), minimumWavenumber: 2, maximumWavenumber: 1e9)
            #expect(abs(a.alfven - b.alfven) <= 1e-12 * abs(b.alfven) && abs(a.pseudo - b.pseudo) <= 1e-12 * abs(b.pseudo))
          }
        }
      }
    }
  }

  /// The tabulated exact Bessel weights (harmonics 0–2, 1/2 ≤ w < 100) against the C library:
  /// absolute difference < 1e-10 on 100 000 arguments.
  @Test func tabulatedBesselWeightsMatchLibrary() {
    var worst = 0.0
    for j in 0..<100_000 {
      let w = ExactWeightTable.start + Double(j) * 0.000_995_3
      guard w < ExactWeightTable.range else { break }
      for m in 0...2 {
        let a = BesselWeights.exactWeights(harmonic: m, argument: w)
        let b = BesselWeights.libraryWeights(harmonic: m, argument: w)
        worst = max(worst, abs(a.alfven - b.alfven), abs(a.pseudo - b.pseudo))
      }
    }
    #expect(worst < 1e-10, "largest absolute difference \(worst)")
  }
}
