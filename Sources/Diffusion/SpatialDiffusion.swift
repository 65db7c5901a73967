import Foundation
import Orbits

/// A time series with jackknife errors.
public struct Series: Sendable, Hashable, Codable {
  public let values: [Double]
  public let errors: [Double]
}

/// Which running diffusion coefficient (docs/physics.md §4.6; D_ij from ⟨Δx_i Δx_j⟩ = 2 D_ij t, in c·L).
public enum RunningQuantity: String, Sendable, Hashable, Codable, CaseIterable {
  /// D_∥(t) = ⟨Δz²⟩/(2t).
  case parallel
  /// D_⊥(t) = ⟨Δx² + Δy²⟩/(4t).
  case perpendicular
  /// (1/2) d⟨Δz²⟩/dt (centred differences on the sample grid; converges faster).
  case parallelDerivative
  /// (1/4) d⟨Δx² + Δy²⟩/dt.
  case perpendicularDerivative
  /// Taylor–Green–Kubo ∫₀^τ ⟨v_z(t₀) v_z(t₀ + τ′)⟩ dτ′ at lag τ, over the accumulator's time
  /// origins t₀ (exactly ⟨v_z(t₀) Δz⟩; `TimeOrigins.swift`).
  case parallelKubo
  /// (1/2) ∫₀^τ ⟨v_x v_x0 + v_y v_y0⟩ dτ′, likewise.
  case perpendicularKubo

  /// TGK quantities are functions of the lag from the time origins, not of t.
  public var isKubo: Bool { self == .parallelKubo || self == .perpendicularKubo }
}

/// A plateau (asymptotic) estimate of a running coefficient, with a statistical flatness test.
public struct Plateau: Sendable, Hashable, Codable {
  /// Mean of the running value over the window (c·L).
  public let value: Double
  /// Jackknife error of that mean.
  public let error: Double
  /// Change of the running value across the window (least-squares slope in ln t times the
  /// window's ln-span, c·L) and its jackknife error.
  public let drift: Double
  public let driftError: Double
  /// Relative change per decade of t, (dD/dlog₁₀ t)/D, and its jackknife error.
  public let driftPerDecade: Double
  public let driftPerDecadeError: Double
  /// Jackknife groups − 1: the degrees of freedom of drift/driftError.
  public let degreesOfFreedom: Int
  /// The test's false-alarm rate (a truly flat series is called drifting this often) and the
  /// two-sided Student-t critical value it sets for ν = `degreesOfFreedom`.
  public let falseAlarmRate: Double
  public let criticalValue: Double
  /// Window in L/c (the last `fraction` of the log-time range; lags for TGK quantities).
  public let window: ClosedRange<Double>
  /// The level is known to 25% or better (error ≤ |value|/4). Only then is the relative drift a
  /// stable statistic: each jackknife sample divides by its own level, and a level near zero (a TGK
  /// D_⊥ of 0.0001 ± 0.003) turns that ratio into noise.
  public var isResolved: Bool { error.isFinite && 4 * error <= abs(value) }

  /// The drift is zero within criticalValue times its error: the relative drift per decade for a
  /// resolved level — realizations differ in level more than in shape, so their absolute slopes
  /// scatter with the level and their relative slopes do not — else the absolute change across
  /// the window. False with a single group (untestable).
  public var isFlat: Bool {
    guard degreesOfFreedom >= 1 else { return false }
    let (statistic, error) = isResolved ? (driftPerDecade, driftPerDecadeError) : (drift, driftError)
    return error.isFinite && abs(statistic) <= criticalValue * error
  }
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
      return rows.map { k in
        let n = acc.lagSum(.count, bin: k)
        let v = quantity == .parallelKubo ? acc.lagSum(.parallel, bin: k) : 0.5 * acc.lagSum(.perpendicular, bin: k)
        return n > 0 ? speed * v / n : .nan
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
  /// ln t ≥ ln t_end − fraction·(ln t_end − ln t_1)): the mean there, its jackknife error, and the
  /// drift across the window, tested against zero at `falseAlarmRate` with Student's t for
  /// G − 1 degrees of freedom (G groups; with 4 realizations at 1% the drift must exceed 5.84σ to
  /// count). For TGK quantities t is the lag and t_end = T/2 (at least half the origins reach it).
  public static func plateau(
    _ quantity: RunningQuantity, groups: [TransportAccumulator], lastLogFraction fraction: Double = 0.25, speed: Double = 1,
    falseAlarmRate: Double = 0.01
  ) -> Plateau {
    let times = Array(groups[0].times.dropFirst())
    let total = TransportAccumulator.merged(groups)
    var usable = Array(times.indices)
    if quantity.isKubo {
      usable = usable.filter { times[$0] <= times.last! / 2 * (1 + 1e-12) && total.lagSum(.count, bin: $0 + 1) > 0 }
      if usable.isEmpty { usable = [0] }
    }
    let t = usable.map { times[$0] }
    let logStart = (1 - fraction) * log(t.last!) + fraction * log(t.first!)
    let window = usable.indices.filter { log(t[$0]) >= logStart - 1e-12 }.map { usable[$0] }
    let logs = window.map { log(times[$0]) }
    let span = logs.last! - logs.first!
    let (v, e) = Jackknife.estimate(groups: groups) { acc in
      let r = running(quantity, acc, speed: speed)
      let y = window.map { r[$0] }
      let mean = y.reduce(0, +) / Double(y.count)
      let slope = y.count >= 2 && span > 0 ? linearFit(logs, y).slope : 0
      return [mean, slope * span, slope * log(10) / mean]
    }
    let nu = groups.count - 1
    return Plateau(
      value: v[0], error: e[0], drift: v[1], driftError: e[1], driftPerDecade: v[2], driftPerDecadeError: e[2],
      degreesOfFreedom: nu, falseAlarmRate: falseAlarmRate,
      criticalValue: nu >= 1 ? StudentT.criticalValue(falseAlarmRate: falseAlarmRate, degreesOfFreedom: nu) : .nan,
      window: times[window.first!]...times[window.last!])
  }

  /// λ_∥ = 3 D_∥ / v (L), D_∥ in c·L, v in c.
  public static func parallelMeanFreePath(parallelDiffusion: Double, speed: Double = 1) -> Double {
    3 * parallelDiffusion / speed
  }
}

