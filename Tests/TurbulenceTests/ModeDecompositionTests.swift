import Foundation
import LarmorCore
import Testing
@testable import Turbulence

/// Linear MHD waves built in real space from their own eigenvectors (derived here, not with
/// `MHDEigenmodes`), decomposed, and checked against the family they were built as.
@Suite struct ModeDecompositionTests {
  enum Family: Int, CaseIterable { case alfven = 0, slow, fast }

  /// A travelling linear wave ξ = A ξ̂ cos(k·x − ωt + φ) at t = 0 on an n³ box of side 1, with
  /// δu = ∂ξ/∂t, δb = ∇×(ξ×ẑ) and δρ/ρ₀ = −∇·ξ (v_A = 1, B₀ = ẑ).
  struct Wave {
    var family: Family
    var index: SIMD3<Int>
    var direction: Double  // +1 or −1: the sign of ω
    var amplitude: Double
    var phase: Double
  }

  /// The eigenvector of the symmetric [[p, q], [q, r]] for its larger (or smaller) eigenvalue,
  /// from the rotation angle that diagonalizes it, and the eigenvalue.
  static func eigen(_ p: Double, _ q: Double, _ r: Double, larger: Bool) -> (vector: (Double, Double), value: Double) {
    let φ = 0.5 * atan2(2 * q, p - r)
    let mean = (p + r) / 2, radius = (((p - r) / 2) * ((p - r) / 2) + q * q).squareRoot()
    return larger ? ((cos(φ), sin(φ)), mean + radius) : ((-sin(φ), cos(φ)), mean - radius)
  }

  /// ξ̂ and ω/k of a family at k, α = c_s²/v_A².
  static func eigenmode(_ family: Family, k: Vec3, α: Double) -> (Vec3, Double) {
    let kPerp = (k.x * k.x + k.y * k.y).squareRoot()
    let perp = Vec3(k.x, k.y, 0) / kPerp
    let (s, c) = (kPerp / k.length, k.z / k.length)
    switch family {
    case .alfven: return (Vec3(-perp.y, perp.x, 0), abs(c))
    case .slow, .fast:
      let e = eigen(1 + α * s * s, α * s * c, α * c * c, larger: family == .fast)
      return (e.vector.0 * perp + Vec3(0, 0, e.vector.1), max(0, e.value).squareRoot())
    }
  }

  /// δb, δu, δρ of a sum of waves, and δb of each family alone.
  static func fields(_ waves: [Wave], n: Int, α: Double) -> (b: [[Float]], u: [[Float]], rho: [Float], byFamily: [[[Float]]]) {
    let cells = n * n * n
    var b = [[Float]](repeating: [Float](repeating: 0, count: cells), count: 3)
    var u = b
    var rho = [Float](repeating: 0, count: cells)
    var byFamily = [[[Float]]](repeating: b, count: 3)
    for wave in waves {
      let k = 2 * Double.pi * Vec3(Double(wave.index.x), Double(wave.index.y), Double(wave.index.z))
      let (ξ, speed) = eigenmode(wave.family, k: k, α: α)
      let ω = wave.direction * speed * k.length
      let curl = k.cross(ξ.cross(Vec3(0, 0, 1)))
      for i in 0..<n {
        for j in 0..<n {
          for l in 0..<n {
            let x = Vec3(Double(i), Double(j), Double(l)) / Double(n)
            let sine = sin(k.dot(x) + wave.phase)
            let index = (i * n + j) * n + l
            for c in 0..<3 {
              let bc = Float(-wave.amplitude * sine * curl[c])
              b[c][index] += bc
              byFamily[wave.family.rawValue][c][index] += bc
              u[c][index] += Float(wave.amplitude * ω * sine * ξ[c])
            }
            rho[index] += Float(wave.amplitude * sine * k.dot(ξ))
          }
        }
      }
    }
    return (b, u, rho, byFamily)
  }

  static func grid(_ b: [[Float]], n: Int) -> GridField {
    GridField(geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(1, 1, 1)), fluctuation: b)
  }

  @Test(arguments: [0.1, 0.83, 2.5])
  func singleEigenmodesDecomposeIntoTheirOwnFamily(α: Double) throws {
    let n = 16
    let indices = [SIMD3(1, 0, 1), SIMD3(2, -1, 3), SIMD3(-3, 1, 1), SIMD3(1, 2, -5)]
    for family in Family.allCases {
      for index in indices {
        for direction in [1.0, -1.0] {
          let wave = Wave(family: family, index: index, direction: direction, amplitude: 0.01, phase: 0.7)
          let f = Self.fields([wave], n: n, α: α)
          let field = Self.grid(f.b, n: n)
          let exact = ModeDecomposition.decompose(field: field, velocity: f.u, density: f.rho, soundToAlfvenSquared: α)
          let closure = ModeDecomposition.decompose(field: field, velocity: f.u, soundToAlfvenSquared: α)
          for d in [exact, closure] {
            let own = d.parts[family.rawValue]
            #expect(own.magneticVariance / d.magneticVariance >= 0.999, "\(family) \(index) α = \(α) \(d.magneticSplit)")
            #expect(own.kineticVariance! / d.kineticVariance! >= 0.999, "\(family) \(index) α = \(α)")
          }
          let bOnly = ModeDecomposition.decompose(field: field)
          #expect(bOnly.parts[family == .alfven ? 0 : 1].magneticVariance / bOnly.magneticVariance >= 0.999)
          #expect(exact.longitudinalVariance <= 1e-10 * exact.magneticVariance)
        }
      }
    }
  }

  /// Forward and backward waves of all three families, several per wavevector: the density split
  /// returns each family's δb as built, to float round-off.
  @Test func mixturesAreRecoveredFamilyByFamily() throws {
    let n = 16
    var generator = SplitMix64(seed: 11, purpose: .fieldMode, index: 0)
    var waves: [Wave] = []
    let amplitudes: [Family: Double] = [.alfven: 0.010, .slow: 0.006, .fast: 0.008]
    for _ in 0..<24 {
      var index = SIMD3<Int>.zero
      while index.x == 0 && index.y == 0 || index.z == 0 {
        index = SIMD3(Int(generator.next() % 9) - 4, Int(generator.next() % 9) - 4, Int(generator.next() % 9) - 4)
      }
      for family in Family.allCases {
        for direction in [1.0, -1.0] {
          waves.append(Wave(
            family: family, index: index, direction: direction, amplitude: amplitudes[family]! * (0.5 + generator.nextOpenUnit()),
            phase: 2 * .pi * generator.nextOpenUnit()))
        }
      }
    }
    let α = 0.6
    let f = Self.fields(waves, n: n, α: α)
    let d = ModeDecomposition.decompose(field: Self.grid(f.b, n: n), velocity: f.u, density: f.rho, soundToAlfvenSquared: α, threads: 2)
    for family in Family.allCases {
      let built = f.byFamily[family.rawValue]
      let got = (0..<3).map { d.parts[family.rawValue].field.unpaddedComponent($0) }
      var error = 0.0, norm = 0.0
      for c in 0..<3 {
        for i in built[c].indices {
          error += Double(got[c][i] - built[c][i]) * Double(got[c][i] - built[c][i])
          norm += Double(built[c][i]) * Double(built[c][i])
        }
      }
      #expect((error / norm).squareRoot() < 1e-5, "\(family): relative rms error \((error / norm).squareRoot())")
    }
    // The parts add up to the field, and the variances with the slow–fast cross term.
    let sum = d.parts.map(\.magneticVariance).reduce(0, +) + d.slowFastCrossVariance
    #expect(abs(sum / d.magneticVariance - 1) < 1e-9)
  }

  /// A Nyquist-plane wave and a density with grid-scale noise: the Nyquist index stands for ±k_N,
  /// so those modes go to no part, and every part stays solenoidal (the density once split
  /// δb·ê_θ = 0 there into equal and opposite slow and fast parts with divergence 0.02).
  @Test func nyquistModesGoToNoPart() throws {
    let n = 16, α = 0.5
    let waves = [
      Wave(family: .slow, index: SIMD3(1, 2, 1), direction: 1, amplitude: 0.01, phase: 0.3),
      Wave(family: .fast, index: SIMD3(-2, 1, 3), direction: -1, amplitude: 0.01, phase: 1.3),
    ]
    var f = Self.fields(waves, n: n, α: α)
    var generator = SplitMix64(seed: 5, purpose: .fieldMode, index: 0)
    var nyquistSquares = 0.0, allSquares = 0.0
    for i in 0..<n {
      for j in 0..<n {
        for l in 0..<n {
          let index = (i * n + j) * n + l
          // δb_y ∝ cos(2πx + πl): wavevector (2π, 0, ±πn), ⊥ δb for either sign.
          let by = Float(0.004 * cos(2 * Double.pi * Double(i) / Double(n) + Double.pi * Double(l)))
          f.b[1][index] += by
          nyquistSquares += Double(by) * Double(by)
          f.rho[index] += Float(0.01 * (generator.nextOpenUnit() - 0.5))
        }
      }
    }
    for c in 0..<3 { for v in f.b[c] { allSquares += Double(v) * Double(v) } }
    let d = ModeDecomposition.decompose(field: Self.grid(f.b, n: n), velocity: f.u, density: f.rho, soundToAlfvenSquared: α)
    #expect(abs(d.nyquistVariance / d.magneticVariance - nyquistSquares / allSquares) < 1e-6)
    for part in d.parts {
      let divergence = FieldDiagnostics.measure(part.field).divergenceRMS
      #expect(divergence < 1e-5, "\(part.name): spectral divergence \(divergence)")
    }
    let sum = d.parts.map(\.magneticVariance).reduce(0, +) + d.slowFastCrossVariance + d.nyquistVariance
    #expect(abs(sum / d.magneticVariance - 1) < 1e-6)
  }

  /// One wave per wavevector, of any family and direction: there the velocity closure is exact too.
  @Test func velocityClosureIsExactForOneWavePerWavevector() throws {
    let n = 16, α = 0.3
    let waves = [
      Wave(family: .alfven, index: SIMD3(1, 0, 2), direction: 1, amplitude: 0.01, phase: 0.1),
      Wave(family: .slow, index: SIMD3(0, 2, 1), direction: -1, amplitude: 0.02, phase: 1.1),
      Wave(family: .fast, index: SIMD3(-2, 1, 1), direction: 1, amplitude: 0.01, phase: 2.1),
      Wave(family: .slow, index: SIMD3(3, 1, -2), direction: 1, amplitude: 0.02, phase: 0.4),
      Wave(family: .fast, index: SIMD3(1, -3, 2), direction: -1, amplitude: 0.005, phase: 3.0),
    ]
    let f = Self.fields(waves, n: n, α: α)
    let d = ModeDecomposition.decompose(field: Self.grid(f.b, n: n), velocity: f.u, soundToAlfvenSquared: α)
    for family in Family.allCases {
      var built = 0.0
      for c in 0..<3 { for v in f.byFamily[family.rawValue][c] { built += Double(v) * Double(v) } }
      built /= Double(n * n * n)
      #expect(abs(d.parts[family.rawValue].magneticVariance / built - 1) < 1e-5, "\(family)")
    }
  }

  /// Larmor's own families come out as themselves: GS Alfvén fields are Alfvénic, fast-mode
  /// fields compressive, with δb alone. Threads do not change a bit.
  @Test func synthesizedFamiliesAreRecognized() throws {
    for (family, part) in [(ModeFamily.alfven(GoldreichSridhar()), 0), (.fast(FastModes()), 1)] {
      let spec = try cubicSpec(family, n: 16)
      let field = SpectralSynthesis.synthesize(spec, threads: 1).field
      let one = ModeDecomposition.decompose(field: field, threads: 1)
      let two = ModeDecomposition.decompose(field: field, threads: 2)
      // Modes along B₀ are Alfvénic by convention (the Alfvén and fast waves are degenerate there).
      let outsideAxis = one.magneticVariance - (part == 0 ? 0 : one.parallelModesVariance)
      #expect(one.parts[part].magneticVariance / outsideAxis >= 0.999, "\(family.name)")
      for p in 0..<2 {
        for c in 0..<3 { #expect(one.parts[p].field.unpaddedComponent(c) == two.parts[p].field.unpaddedComponent(c)) }
      }
    }
  }

  /// The eigenvectors of `MHDEigenmodes` are orthonormal with the phase speeds of the dispersion
  /// relation, across angles and β.
  @Test func eigenmodesAreOrthonormal() {
    for α in [0.0, 0.05, 1.0, 4.0] {
      for k in [Vec3(1, 0, 1e-9), Vec3(1, 2, 3), Vec3(3, -1, 0), Vec3(0.01, 0, 1)] {
        let m = MHDEigenmodes(wavevector: k, soundToAlfvenSquared: α)
        for (a, b) in [(m.alfven, m.slow), (m.alfven, m.fast), (m.slow, m.fast)] { #expect(abs(a.dot(b)) < 1e-12) }
        for e in [m.alfven, m.slow, m.fast] { #expect(abs(e.length - 1) < 1e-12) }
        let c = k.z / k.length
        let ref = Self.eigenmode(.fast, k: k, α: α).1
        #expect(abs(m.fastSpeed - ref) < 1e-9)
        #expect(abs(m.fastSpeed * m.fastSpeed * m.slowSpeed * m.slowSpeed - α * c * c) < 1e-9)
      }
    }
  }
}


/// `ModeDecomposition.solenoidal` (`project_solenoidal = true`) leaves no δb·k̂: a white-noise cube
/// (divergence 1/√3 before) comes out solenoidal to float round-off, Nyquist planes included
/// (there the index stands for ±k_N, so those modes are removed rather than projected).
@Test func solenoidalProjectionOfNoise() {
  let n = 16
  var generator = SplitMix64(seed: 9, purpose: .fieldMode, index: 0)
  let noise = (0..<3).map { _ in (0..<(n * n * n)).map { _ in Float(generator.nextOpenUnit() - 0.5) } }
  let field = GridField(geometry: GridGeometry(counts: SIMD3(n, n, n), boxSize: Vec3(1, 1, 1)), fluctuation: noise)
  let before = FieldDiagnostics.measure(field).divergenceRMS
  let after = FieldDiagnostics.measure(ModeDecomposition.solenoidal(field, threads: 2)).divergenceRMS
  #expect(before > 0.4 && after < 1e-5, "divergence \(before) → \(after)")
}
