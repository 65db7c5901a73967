import LarmorCore

/// Velocity-correlation sums over several time origins: the Taylor–Green–Kubo integral
/// ∫₀^τ ⟨v_i(t₀) v_i(t₀ + τ′)⟩ dτ′ as the exact identity ⟨v_i(t₀) · [x_i(t₀ + τ) − x_i(t₀)]⟩.
///
/// Every particle opens an origin at each of `originRows` (its displacement and direction
/// there). At every later row it adds, for each open origin, the pair (lag τ = t − t₀,
/// v̂(t₀)·Δx) to the lag bin nearest τ in log t on the row times. No velocity sampling and no
/// quadrature enter: Δx is the integrator's own displacement, so the only error is statistical.
/// Origin t₀ = 0 alone is the classic single-origin estimate, whose noise grows as
/// √(⟨v²⟩⟨Δx²⟩/N) ∝ √τ; K origins spread over the run average K(1 − τ/T) nearly independent
/// copies at lag τ once the velocities decorrelate within the spacing T/K.
extension TransportAccumulator {
  /// Sums per lag bin (bin k collects lags nearest the row time t_k in log t, k ≥ 1).
  public enum Lag: Int, CaseIterable, Sendable {
    /// Number of (particle, origin) pairs and the sum of their lags (L/c).
    case count, lag
    /// v̂_z(t₀) Δz and v̂_x(t₀) Δx + v̂_y(t₀) Δy (L; v̂ the unit direction).
    case parallel, perpendicular
  }

  /// Doubles stored per open origin of a particle: Δx, Δy, Δz (L), v̂_x, v̂_y, v̂_z, t₀ (L/c).
  static let originWidth = 7

  /// A lag sum in bin `bin` (1 ≤ bin < rowCount).
  @inlinable public func lagSum(_ q: Lag, bin: Int) -> Double { lagSums[bin * Lag.allCases.count + q.rawValue] }

  /// Mean lag of the pairs in `bin` (L/c), or NaN if it has none.
  public func meanLag(bin: Int) -> Double {
    let n = lagSum(.count, bin: bin)
    return n > 0 ? lagSum(.lag, bin: bin) / n : .nan
  }

  /// `count` origin rows at the rows nearest t = jT/count, j = 0 … count − 1 (T the last row
  /// time), duplicates removed; at most one per row before the last.
  public static func originRows(times: [Double], count: Int) -> [Int] {
    precondition(times.count >= 2 && count >= 1)
    let end = times[times.count - 1]
    var rows: [Int] = []
    for j in 0..<count {
      let target = end * Double(j) / Double(count)
      let nearest = times.indices.dropLast().min { abs(times[$0] - target) < abs(times[$1] - target) }!
      if rows.last.map({ nearest > $0 }) ?? true { rows.append(nearest) }
    }
    return rows
  }

  /// The lag bin of τ > 0: the row k ≥ 1 whose time is nearest τ in log t.
  @inlinable func lagBin(_ tau: Double) -> Int {
    var lo = 1, hi = times.count - 1
    if tau <= times[lo] { return lo }
    if tau >= times[hi] { return hi }
    while hi - lo > 1 {  // times[lo] ≤ τ < times[hi]
      let mid = (lo + hi) / 2
      if times[mid] <= tau { lo = mid } else { hi = mid }
    }
    return tau * tau < times[lo] * times[hi] ? lo : hi
  }

  /// Adds this snapshot's pairs with the particle's open origins, then opens or closes origins.
  mutating func recordLags(row: Int, snapshot s: ParticleSnapshot) {
    let d = s.displacement, v = s.direction
    let width = Lag.allCases.count
    if row > 0, let origins = openOrigins[s.id] {
      for o in stride(from: 0, to: origins.count, by: Self.originWidth) {
        let tau = s.time - origins[o + 6]
        let base = lagBin(tau) * width
        lagSums[base + Lag.count.rawValue] += 1
        lagSums[base + Lag.lag.rawValue] += tau
        lagSums[base + Lag.parallel.rawValue] += origins[o + 5] * (d.z - origins[o + 2])
        lagSums[base + Lag.perpendicular.rawValue] += origins[o + 3] * (d.x - origins[o]) + origins[o + 4] * (d.y - origins[o + 1])
      }
    }
    if row == times.count - 1 {
      openOrigins[s.id] = nil
    } else if originRows.contains(row) {
      openOrigins[s.id, default: []] += [d.x, d.y, d.z, v.x, v.y, v.z, s.time]
    }
  }
}
