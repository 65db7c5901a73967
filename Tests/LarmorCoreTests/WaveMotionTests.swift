import Foundation
import LarmorCore
import Testing

/// The linear MHD dispersion and wave electric fields of `WaveMotion`.
struct WaveMotionTests {
  @Test("Magnetosonic speeds: v_f² + v_s² = v_A² + c_s², v_f² v_s² = v_A² c_s² ξ², limits along and across B₀", arguments: [0.01, 0.5, 1.0, 3.0])
  func magnetosonicSpeeds(beta: Double) throws {
    let m = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: beta)
    let a2 = 0.01, c2 = m.soundSpeed * m.soundSpeed
    #expect(abs(c2 - 5.0 / 6 * beta * a2) < 1e-15)
    for ξ in stride(from: 0.0, through: 1.0, by: 0.125) {
      let f = m.fastSpeed(cosine: ξ), s = m.slowSpeed(cosine: ξ)
      #expect(abs(f * f + s * s - (a2 + c2)) < 1e-14)
      #expect(abs(f * f * s * s - a2 * c2 * ξ * ξ) < 1e-14 * (a2 + c2) * (a2 + c2))
    }
    #expect(abs(m.fastSpeed(cosine: 0) - (a2 + c2).squareRoot()) < 1e-15)
    #expect(m.slowSpeed(cosine: 0) == 0)
    #expect(abs(m.fastSpeed(cosine: 1) - max(0.1, m.soundSpeed)) < 1e-12)
    #expect(abs(m.slowSpeed(cosine: 1) - min(0.1, m.soundSpeed)) < 1e-12)
  }

  @Test("ω(−k) = −ω(k) for every moving family (a real field stays real); Alfvén ω = s v_A k_∥")
  func frequenciesAreOdd() throws {
    let m = try WaveMotion(alfvenSpeed: 0.2, plasmaBeta: 0.7)
    let families: [ModeFamily] = [.alfven(GoldreichSridhar()), .slow(GoldreichSridhar()), .fast(FastModes()), .slab(index: 5.0 / 3)]
    for family in families {
      for k in [Vec3(1, 2, 3), Vec3(-4, 0.5, -1), Vec3(2, -1, 0), Vec3(0, 0, 5)] {
        for s in [1, -1] {
          let ω = try #require(m.frequency(of: family, at: k, direction: s))
          let partner = try #require(m.frequency(of: family, at: -k, direction: s))
          #expect(ω == -partner, "\(family.name) k = \(k) s = \(s)")
        }
      }
    }
    #expect(m.frequency(of: .alfven(GoldreichSridhar()), at: Vec3(1, 2, 3), direction: -1) == -0.2 * 3)
    #expect(m.frequency(of: .isotropic(index: 5.0 / 3), at: Vec3(1, 2, 3), direction: 1) == nil)
  }

  @Test("Electric amplitudes satisfy Faraday's law k × e = ω δb and e ⊥ B₀ for every polarization")
  func electricAmplitudesObeyFaraday() throws {
    let m = try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0.3)
    let cases: [(ModeFamily, Double, Double)] = [
      (.alfven(GoldreichSridhar()), 0.7, 0), (.fast(FastModes()), 0, 0.7), (.slow(GoldreichSridhar()), 0, 0.7),
      (.slab(index: 5.0 / 3), 0.4, 0.3),
    ]
    for (family, aA, aθ) in cases {
      for k in [Vec3(1, 2, 3), Vec3(-4, 0.5, -1), Vec3(0, 0, 5), Vec3(0, 0, -5), Vec3(2, -1, 1e-9)] {
        if family.isSlab && k.perpendicularLength > 0 { continue }
        for s in [1, -1] {
          let ω = try #require(m.frequency(of: family, at: k, direction: s))
          let e = try #require(m.electricAmplitude(of: family, at: k, direction: s, alfven: aA, pseudo: aθ))
          let basis = polarizationBasis(k)
          let δb = aA * basis.alfven + aθ * basis.pseudo
          let residual = k.cross(e) - ω * δb
          #expect(residual.length <= 1e-14 * k.length * max(e.length, 1e-3), "\(family.name) k = \(k) s = \(s): \(residual)")
          #expect(e.z == 0 || abs(e.z) < 1e-15)
        }
      }
    }
  }

  @Test("Bad motion parameters are one-line errors naming the key")
  func badInput() {
    func key(_ body: () throws(SpectrumError) -> WaveMotion) -> String? {
      do { _ = try body(); return nil } catch { return error.key }
    }
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 1) } == "alfven_speed")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: -0.1) } == "alfven_speed")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: .nan) } == "alfven_speed")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: 0) } == "plasma_beta")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.1, plasmaBeta: -1) } == "plasma_beta")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.5, plasmaBeta: 10) } == "plasma_beta")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.1, crossHelicity: 1.01) } == "cross_helicity")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.1, decorrelation: -0.1) } == "decorrelation")
    #expect(key { () throws(SpectrumError) in try WaveMotion(alfvenSpeed: 0.1, decorrelation: .infinity) } == "decorrelation")
  }
}
