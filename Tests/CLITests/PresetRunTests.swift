import Foundation
import Testing

/// The run specs in `fields/` work as shipped: each D_μμ preset finds a fit window in most of the
/// bins a QLT comparison uses, and the D_∥ preset reaches flat plateaus. Run at 300 particles and
/// one realization (the windows depend on ⟨Δμ²⟩(t), not on the particle count; the full counts
/// only shrink the errors).
@Suite(.serialized) struct PresetRunTests {
  static let fields = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fields").standardized

  /// `larmor trace --json` of a preset run spec with fewer particles, its field spec found by path.
  func traceSmaller(_ name: String) throws -> [String: Any] {
    var text = try String(contentsOf: Self.fields.appendingPathComponent(name), encoding: .utf8)
    text = text.replacingOccurrences(of: #"(?m)^count = \d+"#, with: "count = 300", options: .regularExpression)
    text = text.replacingOccurrences(of: #"(?m)^realizations = \d+"#, with: "realizations = 1", options: .regularExpression)
    text = text.replacingOccurrences(
      of: #"(?m)^field = "([^"]+)""#, with: "field = \"\(Self.fields.path)/$1\"", options: .regularExpression)
    return try traceJSON(["trace", try writeSpec(text, name: "preset-" + name), "--json", "--threads", "2"])
  }

  @Test(arguments: ["slab-run.toml", "alfven-run.toml", "slow-run.toml", "fast-run.toml", "halo-mixture-run.toml", "fast-waves-run.toml"])
  func dmumuPresetHasWindows(_ name: String) throws {
    let object = try traceSmaller(name)
    let centres = try #require(object["mu_bins"] as? [Double])
    let dmumu = try #require(object["dmumu"] as? [[Any]])
    for (i, bins) in dmumu.enumerated() {
      let core = zip(centres, bins).filter { abs($0.0) >= 0.2 && abs($0.0) <= 0.9 }
      let valid = core.filter { $0.1 is Double }.count
      #expect(2 * valid >= core.count, "\(name), rigidity \(i): \(valid) of \(core.count) bins with a window")
      #expect((object["dmumu_advice"] as? [Any])?[i] is NSNull, "\(name): advice where windows exist")
    }
  }

  @Test func dparPresetReachesPlateaus() throws {
    let object = try traceSmaller("isotropic-run.toml")
    let rigidities = try #require(object["rigidities"] as? [Double])
    let flat = try #require(object["dpar_is_flat"] as? [Bool])
    // R ≤ 0.3 at δB/B₀ = 1: λ_∥ ≲ L, many scattering times in 50 L/c.
    for (r, isFlat) in zip(rigidities, flat) where r <= 0.3 { #expect(isFlat, "D_∥ at R = \(r) not flat") }
    // Strong turbulence: no D_μμ window, and the run says what to change in one line per rigidity.
    let advice = try #require(object["dmumu_advice"] as? [Any])
    #expect(advice.allSatisfy { ($0 as? String)?.contains("db_over_b0") == true })
  }
}
