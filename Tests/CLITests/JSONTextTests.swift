import Foundation
import Testing

@testable import larmor

/// Every `--json` output goes through `jsonText`: a NaN or ∞ anywhere (a D_μμ that overflowed,
/// a divergent D_∥) is written as null instead of failing the command after the computation.
@Test func jsonTextWritesNonFiniteNumbersAsNull() throws {
  let object: [String: Any] = [
    "dmumu": [[1.0, Double.nan], [Double.infinity, 2.0]],
    "nested": ["x": -Double.infinity, "y": [Float.nan, Float(3)]],
    "n": 3, "name": "slab", "flag": true,
  ]
  #expect(throws: (any Error).self) { _ = try JSONSerialization.data(withJSONObject: object) }
  let text = try jsonText(object)
  let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  let dmumu = try #require(parsed["dmumu"] as? [[Any]])
  #expect(dmumu[0][0] as? Double == 1 && dmumu[0][1] is NSNull && dmumu[1][0] is NSNull)
  let nested = try #require(parsed["nested"] as? [String: Any])
  #expect(nested["x"] is NSNull && (nested["y"] as? [Any])?.first is NSNull)
  #expect(parsed["n"] as? Int == 3 && parsed["name"] as? String == "slab" && parsed["flag"] as? Bool == true)
  #expect(text.contains("\"n\":3"), "integers stay integers: \(text)")
}
