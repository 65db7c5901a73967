import Foundation
import Testing

/// Balanced slab Alfvén waves on a 1×1×512 grid (the `grid` evaluation) and fast plane waves.
let movingSlabRun = """
  [field]
  model = "slab"
  db_over_b0 = 0.01
  k_max = 300
  seed = 3
  alfven_speed = 0.1
  cross_helicity = 0.2
  [grid]
  n = 512
  box = [1, 1, 4]
  [run]
  duration = 2.0
  samples = 10
  linear_samples = 10
  checkpoint_seconds = 1000
  [particles]
  rigidities = [0.05]
  count = 64
  seed = 5
  [estimators]
  mu_bins = 4
  min_gyroperiods = 5
  """

let movingFastRun = """
  [field]
  model = "fast"
  db_over_b0 = 0.01
  k_max = 60
  alfven_speed = 0.1
  waves = 16
  [grid]
  n = 32
  box = 1.0
  [run]
  duration = 1.0
  samples = 10
  [particles]
  rigidities = [0.1]
  count = 32
  [estimators]
  mu_bins = 2
  min_gyroperiods = 2
  """

@Suite(.serialized) struct MovingFieldCommandTests {
  /// Writes `text` to a temporary spec, runs `body` with its path, and removes it (and its checkpoint).
  func withSpec<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    let path = try writeSpec(text, name: "moving")
    defer {
      try? FileManager.default.removeItem(atPath: path)
      try? FileManager.default.removeItem(atPath: path + ".checkpoint")
    }
    return try body(path)
  }

  @Test("trace on moving fields (slab grid patterns, fast plane waves, decaying fast plane waves): D_pp keys, motion echoed, p conserved nowhere (D_pp > 0), same numbers for 1 and 2 threads")
  func traceContractAndThreads() throws {
    let decorrelating = movingFastRun.replacingOccurrences(of: "waves = 16", with: "waves = 16\ndecorrelation = 0.5")
    for run in [movingSlabRun, movingFastRun, decorrelating] {
      try withSpec(run) { spec in
        let one = try traceJSON(["trace", spec, "--json", "--threads", "1"])
        let two = try traceJSON(["trace", spec, "--json", "--threads", "2"])
        for key in ["dpp", "dpp_err", "dp_dt", "dp_dt_err", "dpp_problem", "dpp_averaged", "dpp_averaged_is_flat", "dpp_running", "motion", "dmumu"] {
          #expect(one[key] != nil, "missing \(key)")
          let a = try JSONSerialization.data(withJSONObject: [one[key]!], options: [.sortedKeys])
          let b = try JSONSerialization.data(withJSONObject: [two[key]!], options: [.sortedKeys])
          #expect(a == b, "\(key) differs between 1 and 2 threads")
        }
        let motion = try #require(one["motion"] as? [String: Any])
        #expect(motion["alfven_speed"] as? Double == 0.1)
        #expect(motion["decorrelation"] as? Double == (run == decorrelating ? 0.5 : 0))
        let running = try #require((one["dpp_running"] as? [[Any]])?.first)
        #expect(running.compactMap { $0 as? Double }.contains { $0 > 0 }, "momentum never changed")
      }
    }
  }

  @Test("A moving run stopped half-way and resumed equals the uninterrupted run")
  func resume() throws {
    try withSpec(movingSlabRun) { spec in
      let checkpoint = spec + ".ckpt"
      defer { try? FileManager.default.removeItem(atPath: checkpoint) }
      let whole = try traceJSON(["trace", spec, "--json", "--threads", "2", "--checkpoint", checkpoint])
      let (status, _, _) = try runLarmor(["trace", spec, "--json", "--threads", "1", "--checkpoint", checkpoint, "--stop-after-samples", "9"])
      #expect(status != 0)
      let resumed = try traceJSON(["trace", spec, "--json", "--threads", "2", "--checkpoint", checkpoint, "--resume"])
      for key in ["dmumu", "dpp", "dp_dt", "dpar", "steps"] {
        let a = try JSONSerialization.data(withJSONObject: [whole[key]!], options: [.sortedKeys])
        let b = try JSONSerialization.data(withJSONObject: [resumed[key]!], options: [.sortedKeys])
        #expect(a == b, "\(key) differs after resume")
      }
    }
  }

  /// Bad motion input: exit ≠ 0 with one line naming the key; no crash.
  @Test(arguments: [
    ("alfven_speed = 0.1", "alfven_speed = 1.0", "alfven_speed"),
    ("alfven_speed = 0.1", "alfven_speed = -0.2", "alfven_speed"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nplasma_beta = 0.0", "plasma_beta"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nplasma_beta = -1.0", "plasma_beta"),
    ("cross_helicity = 0.2", "cross_helicity = 1.5", "cross_helicity"),
    ("alfven_speed = 0.1", "plasma_beta = 0.5", "plasma_beta"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nevaluation = \"spectral\"", "evaluation"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nevaluation = \"grid\"\nwaves = 8", "waves"),
    ("model = \"slab\"", "model = \"isotropic\"", "alfven_speed"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\ndecorrelation = -0.5", "decorrelation"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nevaluation = \"grid\"\ndecorrelation = 0.5", "decorrelation"),
    ("alfven_speed = 0.1\ncross_helicity = 0.2", "decorrelation = 0.5", "decorrelation"),
    ("alfven_speed = 0.1", "alfven_speed = 0.1\nadiabatic_index = 0.5", "adiabatic_index"),
    ("alfven_speed = 0.1\ncross_helicity = 0.2", "adiabatic_index = 1.0", "adiabatic_index"),
  ])
  func badMotion(_ replace: (String, String, String)) throws {
    let text = movingSlabRun.replacingOccurrences(of: replace.0, with: replace.1)
      .replacingOccurrences(of: "box = [1, 1, 4]", with: replace.1.contains("isotropic") ? "box = 1.0" : "box = [1, 1, 4]")
      .replacingOccurrences(of: "n = 512", with: replace.1.contains("isotropic") ? "n = 16" : "n = 512")
      .replacingOccurrences(of: "k_max = 300", with: replace.1.contains("isotropic") ? "k_max = 40" : "k_max = 300")
    try withSpec(text) { spec in
      let (status, _, stderr) = try runLarmor(["trace", spec, "--json"])
      #expect(status != 0)
      #expect(stderr.contains(replace.2), "stderr: \(stderr)")
      #expect(stderr.split(separator: "\n").count <= 2)
    }
  }

  @Test("Fast modes on a grid, plane-wave counts out of range, field on moving specs: refused with the key named")
  func refusals() throws {
    let onGrid = movingFastRun.replacingOccurrences(of: "waves = 16", with: "evaluation = \"grid\"")
    try withSpec(onGrid) { spec in
      let (status, _, stderr) = try runLarmor(["trace", spec])
      #expect(status != 0 && stderr.contains("evaluation"), "\(stderr)")
    }
    try withSpec(movingFastRun.replacingOccurrences(of: "waves = 16", with: "waves = 0")) { spec in
      let (status, _, stderr) = try runLarmor(["trace", spec])
      #expect(status != 0 && stderr.contains("waves"), "\(stderr)")
    }
    try withSpec(movingSlabRun) { spec in
      let field = try runLarmor(["field", spec])
      #expect(field.status != 0 && field.stderr.contains("move"), "\(field.stderr)")
    }
  }

  @Test("compare on moving fields: D_pp sim and finite-time QLT per bin, for grid patterns and plane waves")
  func compareMoving() throws {
    // A loose window (these tiny runs are contract checks, not physics).
    let loose = [movingSlabRun, movingFastRun].map { $0.replacingOccurrences(of: "[estimators]", with: "[estimators]\n  max_dmu2 = 0.05") }
    for run in loose {
      let windowed = run.replacingOccurrences(of: "min_gyroperiods = 5", with: "min_gyroperiods = 2")
        .replacingOccurrences(of: "duration = 1.0\nsamples = 10", with: "duration = 3.0\nsamples = 10\nlinear_samples = 10")
      try withSpec(windowed) { spec in
        let object = try traceJSON(["compare", spec, "--json", "--threads", "2"])
        let comparison = try #require((object["comparisons"] as? [[String: Any]])?.first)
        let bins = try #require(comparison["bins"] as? [[String: Any]])
        for key in ["dpp_sim", "dpp_sim_err", "dpp_qlt_finite_time", "ratio_dpp", "dmumu_qlt_finite_time"] {
          #expect(bins.allSatisfy { $0[key] != nil }, "missing \(key)")
        }
        #expect(bins.contains { ($0["dpp_qlt_finite_time"] as? Double ?? 0) > 0 }, "no positive QLT D_pp")
        // Plane waves: the finite-time QLT sums the realizations' own waves, unscaled.
        if run.contains("waves = 16") { #expect(object["discrete_normalization"] as? Double == 1) }
      }
    }
  }
}
