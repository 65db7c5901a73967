import Foundation
import Testing

@testable import QuasiLinear

/// Panel edge construction (`PanelEdges`).
@Suite struct PanelEdgesTests {
  /// `fill` covers [a, b] exactly, strictly increasing, with no panel wider than h (up to
  /// round-off, 1e-12 relative), keeps every interior breakpoint as an edge, and never makes
  /// more panels than `make` (lattice on top of the breakpoints) on the same input.
  @Test(arguments: [0.3, 1.5, 4.0])
  func fillKeepsBreakpointsAndWidth(h: Double) {
    let (a, b) = (-2.0, 17.0)
    let layouts: [[Double]] = [
      [],
      [3, 3, 3 + 1e-14, -5, 40, 16.9999],
      (0..<40).map { 0.37 * Double($0) - 4 },
      [0.1, 0.2, 0.25, 9, 12.5, 12.6],
    ]
    for breakpoints in layouts {
      var edges = [Double]()
      var points = breakpoints
      PanelEdges.fill(&edges, from: a, to: b, maximumWidth: h, breakpoints: &points)
      #expect(edges.first == a && edges.last == b)
      for i in 1..<edges.count {
        #expect(edges[i] > edges[i - 1])
        #expect(edges[i] - edges[i - 1] <= h * (1 + 1e-12))
      }
      for x in breakpoints where x > a && x < b {
        #expect(edges.contains { abs($0 - x) <= 1e-12 * 17 }, "breakpoint \(x)")
      }
      #expect(edges.count <= PanelEdges.make(from: a, to: b, maximumWidth: h, breakpoints: breakpoints).count)
    }
  }

  /// `appendBesselBreakpoints` (ln j from a table) gives the same points as
  /// `besselBreakpoints` to 1e-13 absolute in ln k, including beyond the table (j ≥ 256).
  @Test func appendedBesselBreakpointsMatch() {
    for (scale, maximum) in [(1e-8, 80.0), (3e-3, 80.0), (0.5, 2000.0)] {
      let lower = log(1.0)
      let upper = log(1e12)
      let direct = PanelEdges.besselBreakpoints(scale: scale, maximumArgument: maximum, lowerLog: lower, upperLog: upper, periods: 2)
      var appended = [-1.0]
      PanelEdges.appendBesselBreakpoints(
        to: &appended, scale: scale, maximumArgument: maximum, lowerLog: lower, upperLog: upper, periods: 2)
      #expect(appended.count == direct.count + 1 && appended[0] == -1)
      for (x, y) in zip(appended.dropFirst(), direct) { #expect(abs(x - y) <= 1e-13) }
    }
  }
}
