import Foundation
import Orbits

/// A time series with jackknife errors.
public struct Series: Sendable, Hashable, Codable {
  public let values: [Double]
  public let errors: [Double]
}

/// Which running diffusion coefficient (PHYSICS §4.6; D_ij from ⟨Δx_i Δx_j⟩ = 2 D_ij t, in c·L).
public enum RunningQuantity: String, Sendable, Hashable, Codable, CaseIterable {
  /// D_∥(t) = ⟨Δz²⟩/(2t).
  case parallel
  /// D_⊥(t) = ⟨Δx² + Δy²⟩/(4t).
  case perpendicular
  /// (1/2) d⟨Δz²⟩/dt (centred differences on the sample grid; converges faster).
  case parallelDerivative
  /// (1/4) d⟨Δx² + Δy²⟩/dt.
  case perpendicularDerivative
  /// Taylor–Green–Kubo ∫₀ᵗ ⟨v_z(0) v_z(t')⟩ dt' (trapezoid on the sample grid, from row 0).
  case parallelKubo
  /// (1/2) ∫₀ᵗ ⟨v_x v_x0 + v_y v_y0⟩ dt'.
  case perpendicularKubo
}

/// A plateau (asymptotic) estimate of a running coefficient.
public struct Plateau: Sendable, Hashable, Codable {
  /// Mean of the running value over the window (c·L).
  public let value: Double
  /// Jackknife error of that mean.
  public let error: Double
  /// Change of the running value across the window from a linear fit in log t.
  public let drift: Double
  public let driftError: Double
  /// Window in L/c (the last `fraction` of the log-time range).
  public let window: ClosedRange<Double>
  /// |drift| ≤ 2 · driftError: flat within errors.
  public var isFlat: Bool { abs(drift) <= 2 * driftError }
}

public enum SpatialDiffusion {
  /// The running value of `quantity` at every row ≥ 1 of `acc`; `speed` v in c (velocities are
  /// unit directions, so correlations scale with v²).
  public static func running(_ quantity: RunningQuantity, _ acc: TransportAccumulator, speed: Double = 1) -> [Double] {
    let t = acc.times
    let rows = 1..<t.count
    switch quantity {
    case .parallel:
      return rows.map { acc.mean(.dz2, row: $0) / (2 * t[$0]) }
    case .perpendicular:
      return rows.map { acc.mean(.perpendicular2, row: $0) / (4 * t[$0]) }
    case .parallelDerivative, .perpendicularDerivative:
      let (q, factor) = quantity == .parallelDerivative ? (TransportAccumulator.Global.dz2, 0.5) : (.perpendicular2, 0.25)
      let y = (0..<t.count).map { acc.mean(q, row: $0) }
      return rows.map { i in
        let hi = min(i + 1, t.count - 1)  // centred inside, backward at the last row
        return factor * (y[hi] - y[i - 1]) / (t[hi] - t[i - 1])
      }
    case .parallelKubo, .perpendicularKubo:
      let c = (0..<t.count).map { row -> Double in
        quantity == .parallelKubo
          ? acc.mean(.vzvz0, row: row)
          : 0.5 * (acc.mean(.vxvx0, row: row) + acc.mean(.vyvy0, row: row))
      }
      var integral = 0.0
      return rows.map { i in
        integral += 0.5 * (c[i] + c[i - 1]) * (t[i] - t[i - 1])
        return speed * speed * integral
      }
    }
  }

  /// Running coefficient with jackknife errors over `groups`; times are rows 1….
  public static func running(_ quantity: RunningQuantity, groups: [TransportAccumulator], speed: Double = 1)
    -> (times: [Double], series: Series)
  {
    let (values, errors) = Jackknife.estimate(groups: groups) { running(quantity, $0, speed: speed) }
    return (Array(groups[0].times.dropFirst()), Series(values: values, errors: errors))
  }

  /// The plateau of `quantity` over the last `fraction` of log-time (rows with
  /// ln t ≥ ln t_end − fraction·(ln t_end − ln t_1)): the mean there, its jackknife error and the
  /// drift across the window (flat if within 2σ).
  public static func plateau(
    _ quantity: RunningQuantity, groups: [TransportAccumulator], lastLogFraction fraction: Double = 0.25, speed: Double = 1
  ) -> Plateau {
    let t = Array(groups[0].times.dropFirst())
    let logStart = (1 - fraction) * log(t.last!) + fraction * log(t.first!)
    let window = t.indices.filter { log(t[$0]) >= logStart - 1e-12 }
    let logs = window.map { log(t[$0]) }
    let span = logs.last! - logs.first!
    let (v, e) = Jackknife.estimate(groups: groups) { acc in
      let r = running(quantity, acc, speed: speed)
      let y = window.map { r[$0] }
      let mean = y.reduce(0, +) / Double(y.count)
      let drift = y.count >= 2 && span > 0 ? linearFit(logs, y).slope * span : 0
      return [mean, drift]
    }
    return Plateau(value: v[0], error: e[0], drift: v[1], driftError: e[1], window: t[window.first!]...t[window.last!])
  }

  /// λ_∥ = 3 D_∥ / v (L), D_∥ in c·L, v in c.
  public static func parallelMeanFreePath(parallelDiffusion: Double, speed: Double = 1) -> Double {
    3 * parallelDiffusion / speed
  }
}

