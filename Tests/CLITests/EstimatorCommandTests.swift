import Foundation
import Testing

/// The estimators as `larmor trace` and `larmor compare` report them: TGK over time origins
/// against ⟨Δz²⟩/2t on a traced isotropic run, the plateau flags, and QLT at the particles' μ₀.
@Suite(.serialized) struct EstimatorCommandTests {
  /// Isotropic Kolmogorov turbulence at δB/B₀ = 1 on 32³ cells (k_max = 2π·8, a quarter of the
  /// Nyquist wavenumber), R = 0.1: the scattering time 3D_∥/v ≈ 0.7 L/c is 1% of the run, so
  /// ⟨Δz²⟩/2t is within ~2% of its limit in its window, below the errors of 8 realizations.
  static func isotropicRun(origins: Int) -> String {
    """
    [field]
    model = "isotropic"
    db_over_b0 = 1.0
    k_min = 6.283185307179586
    k_max = 50.26548245743669
    seed = 7
    [grid]
    n = 32
    box = 1.0
    [run]
    realizations = 8
    duration = 60.0
    samples = 40
    linear_samples = 16
    phase_per_step = 0.2
    cell_fraction = 0.5
    checkpoint_seconds = 1000
    [particles]
    rigidities = [0.1]
    count = 200
    seed = 3
    [estimators]
    mu_bins = 4
    kubo_origins = \(origins)
    """
  }

  @Test("Traced isotropic run: TGK D_∥ and D_⊥ equal ⟨Δx²⟩/2t within errors; 16 origins cut the TGK error ≥ 2× on the same orbits")
  func kuboMatchesMeanSquareOnTracedRun() throws {
    var results: [[String: Any]] = []
    for origins in [16, 1] {
      let spec = try writeSpec(Self.isotropicRun(origins: origins), name: "tgk-\(origins)")
      defer { try? FileManager.default.removeItem(atPath: spec) }
      results.append(try traceJSON(["trace", spec, "--json", "--threads", "2"]))
    }
    let (many, single) = (results[0], results[1])
    func value(_ object: [String: Any], _ key: String) throws -> Double { try #require((object[key] as? [Double])?.first) }
    for (kubo, meanSquare) in [("dpar_kubo", "dpar"), ("dperp_kubo", "dperp")] {
      let (k, ke) = (try value(many, kubo), try value(many, kubo + "_err"))
      let (m, me) = (try value(many, meanSquare), try value(many, meanSquare + "_err"))
      let ke1 = try value(single, kubo + "_err")
      print("traced isotropic R = 0.1: \(kubo) = \(k) ± \(ke) (one origin: ± \(ke1)), \(meanSquare) = \(m) ± \(me)")
      #expect(abs(k - m) < 4 * (ke * ke + me * me).squareRoot())
      #expect(ke < ke1 / 2)
      #expect((many[kubo + "_is_flat"] as? [Bool])?.first == true)
      #expect((many[meanSquare + "_is_flat"] as? [Bool])?.first == true)
    }
    // Origins change only the TGK sums: the orbits and the mean-square estimates are identical.
    #expect(many["dpar"] as? [Double] == single["dpar"] as? [Double])
    #expect(many["dmumu"] as? [[Double]] == single["dmumu"] as? [[Double]])
    for key in ["dpar_drift_per_decade", "dpar_drift_per_decade_err", "dperp_window", "dpar_kubo_window", "dperp_kubo_is_flat",
                "kubo_lags", "dpar_kubo_running", "dperp_kubo_running_err", "plateau_test"] {
      #expect(many[key] != nil, "missing \(key)")
    }
    let test = try #require(many["plateau_test"] as? [String: Any])
    #expect(test["degrees_of_freedom"] as? Int == 7)
    #expect(test["false_alarm_rate"] as? Double == 0.01)
  }

  @Test("kubo_origins out of range is refused naming the key")
  func badOriginCount() throws {
    for bad in ["0", "1001", "2.5"] {
      let spec = try writeSpec(Self.isotropicRun(origins: 1).replacingOccurrences(of: "kubo_origins = 1", with: "kubo_origins = \(bad)"), name: "tgk-bad")
      defer { try? FileManager.default.removeItem(atPath: spec) }
      let (status, _, stderr) = try runLarmor(["trace", spec, "--json"])
      #expect(status != 0)
      #expect(stderr.contains("kubo_origins"), "\(stderr)")
    }
  }

  @Test("compare on fixed μ₀ lying on bin edges: warns, and each bin's QLT is the weighted QLT at its particles' own μ₀")
  func compareAtInitialPitches() throws {
    let field = """
      [field]
      model = "slab"
      db_over_b0 = 0.01
      k_max = 300
      seed = 3
      """
    let listed = [0.2, 0.3, 0.5]
    let run = field + """

      [grid]
      n = 512
      box = [1, 1, 4]
      [run]
      realizations = 2
      duration = 3.0
      samples = 12
      checkpoint_seconds = 1000
      [particles]
      rigidities = [0.05]
      count = 60
      seed = 5
      mu = [0.2, 0.3, 0.5]
      """
    let spec = try writeSpec(run, name: "compare-mu0")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let (status, stdout, stderr) = try runLarmor(["compare", spec, "--json", "--threads", "2"])
    #expect(status == 0, "\(stderr)")
    #expect(stderr.contains("warning: particles.mu = [0.2, 0.3, 0.5] lie on edges"), "\(stderr)")
    #expect(stderr.contains("mu_bins = 19 puts every listed μ₀ inside a bin"), "\(stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
    let bins = try #require(((object["comparisons"] as? [[String: Any]])?.first?["bins"]) as? [[String: Any]])

    // The reference: larmor qlt on the same spectrum at exactly the listed μ₀.
    let qltSpec = try writeSpec(field + "\n[qlt]\nrigidities = [0.05]\nmu = [0.2, 0.3, 0.5]\n", name: "compare-mu0-qlt")
    defer { try? FileManager.default.removeItem(atPath: qltSpec) }
    let qlt = try runLarmor(["qlt", qltSpec, "--json"])
    #expect(qlt.status == 0, "\(qlt.stderr)")
    let reference = try #require(
      ((try JSONSerialization.jsonObject(with: Data(qlt.stdout.utf8)) as? [String: Any])?["dmumu"] as? [[Double]])?.first)
    var populated = 0
    for bin in bins {
      guard let nodes = bin["mu0_nodes"] as? [Double], !nodes.isEmpty, let weights = bin["mu0_weights"] as? [Double] else { continue }
      populated += 1
      var expected = 0.0
      for (node, weight) in zip(nodes, weights) {
        let j = try #require(listed.firstIndex { abs($0 - node) < 1e-9 }, "node \(node) is not a listed μ₀")
        expected += weight * reference[j]
      }
      let centre = try #require(bin["mu"] as? Double)
      let got = try #require(bin["dmumu_qlt"] as? Double)
      print("bin centre \(centre): μ₀ nodes \(nodes) weights \(weights): QLT \(got), expected \(expected)")
      #expect(abs(got - expected) <= 1e-9 * expected)
      #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
    }
    #expect(populated >= 2)
  }
}
