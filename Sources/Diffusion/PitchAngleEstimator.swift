import Orbits

/// Rules for the fit window of the D_μμ estimator (docs/physics.md §4.6).
public struct PitchAngleWindowRule: Sendable, Hashable, Codable {
  /// t_min = minimumGyroperiods · 2πR/v (gyro-periods in B₀); default 20.
  public var minimumGyroperiods: Double
  /// The window ends before ⟨Δμ²⟩ − ⟨Δμ⟩² first exceeds this (default 5e-3: curvature of D(μ)).
  public var maximumMeanSquare: Double
  /// Box length along B₀ (L); if set, also t_max ≤ boxFraction · L_box / (v |μ|_max,bin)
  /// (periodic-box mode resolution).
  public var boxLength: Double?
  public var boxFraction: Double
  /// Fewer sample rows than this in the window ⇒ no estimate.
  public var minimumSamples: Int

  public init(minimumGyroperiods: Double = 20, maximumMeanSquare: Double = 5e-3, boxLength: Double? = nil,
              boxFraction: Double = 0.5, minimumSamples: Int = 4) {
    self.minimumGyroperiods = minimumGyroperiods
    self.maximumMeanSquare = maximumMeanSquare
    self.boxLength = boxLength
    self.boxFraction = boxFraction
    self.minimumSamples = minimumSamples
  }
}

/// What stopped the search for a bin's D_μμ window, and when (t in L/c).
public enum PitchWindowLimit: Sendable, Hashable, Codable {
  /// ⟨Δμ²⟩ − ⟨Δμ⟩² exceeded `maximumMeanSquare`.
  case pitchVariance(time: Double)
  /// v|μ|t exceeded `boxFraction`·L_box.
  case box(time: Double)
}

/// Which μ the estimator uses: against the global B₀ (QLT's μ) or against the local field.
public enum PitchReference: String, Sendable, Hashable, Codable { case global, local }

/// D_μμ in one bin of initial μ₀.
public struct PitchAngleBinEstimate: Sendable, Hashable, Codable {
  public let lowerEdge: Double
  public let upperEdge: Double
  /// The bin centre (lower + upper)/2.
  public var center: Double { (lowerEdge + upperEdge) / 2 }
  public let particleCount: Double
  /// Mean initial μ₀ of the bin's particles.
  public let meanInitialPitch: Double
  /// A two-node rule matching the first three moments of the particles' μ₀ in the bin
  /// (`InitialPitchRule`): evaluate a theory D(μ) at `initialPitchNodes` with these weights to
  /// compare it with this bin's estimate. One node where all particles share one μ₀.
  public let initialPitchNodes: [Double]
  public let initialPitchWeights: [Double]
  /// D_μμ in c/L (= v/L for v = c): slope/2 of ⟨Δμ²⟩ − ⟨Δμ⟩² over the window; nil if no window.
  public let coefficient: Double?
  /// Jackknife standard error over the groups (NaN for one group).
  public let standardError: Double?
  /// Fit offset a (bounded non-resonant oscillation).
  public let offset: Double?
  /// Fit window in L/c.
  public let window: ClosedRange<Double>?
  /// Rows of the window (observer row indices).
  public let rows: ClosedRange<Int>?
  /// Why there is no estimate (nil when valid).
  public let problem: String?
  /// What ended the window search (nil: the run's end).
  public var limit: PitchWindowLimit? = nil

  public var isValid: Bool { coefficient != nil }
}

extension TransportAccumulator {
  /// ⟨Δμ²⟩ − ⟨Δμ⟩² in `bin` at `row`.
  public func pitchVariance(bin: Int, row: Int, reference: PitchReference = .global) -> Double {
    let (m1, m2) = reference == .global
      ? (mean(.deltaPitch, bin: bin, row: row), mean(.deltaPitch2, bin: bin, row: row))
      : (mean(.deltaLocalPitch, bin: bin, row: row), mean(.deltaLocalPitch2, bin: bin, row: row))
    return m2 - m1 * m1
  }
}

public enum PitchAngleEstimator {
  /// D_μμ(μ₀) per initial-μ bin from the slope of ⟨Δμ²⟩ − ⟨Δμ⟩² = a + 2 D_μμ t (docs/physics.md §4.6).
  ///
  /// The window is chosen once on the merged data: from the first row with t ≥ t_min to the last
  /// row before ⟨Δμ²⟩ − ⟨Δμ⟩² exceeds `maximumMeanSquare` or v|μ|t exceeds the box limit. The
  /// same rows are used for every jackknife replica.
  /// - Parameters:
  ///   - groups: independent accumulators (realizations or particle groups) with equal layout.
  ///   - reducedRigidity: R = r_L/L (gyro-period 2πR/v in B₀).
  ///   - speed: v in c (1 for ultra-relativistic particles).
  public static func estimate(
    groups: [TransportAccumulator], reducedRigidity: Double, speed: Double = 1,
    rule: PitchAngleWindowRule = PitchAngleWindowRule(), reference: PitchReference = .global
  ) -> [PitchAngleBinEstimate] {
    let total = TransportAccumulator.merged(groups)
    let times = total.times
    let tMin = rule.minimumGyroperiods * 2 * Double.pi * reducedRigidity / speed
    var windows: [ClosedRange<Int>?] = []
    var problems: [String?] = []
    var limits: [PitchWindowLimit?] = []
    for bin in 0..<total.binCount {
      let count = total.sum(.count, bin: bin, row: 0)
      guard count >= 2 else {
        windows.append(nil)
        problems.append("fewer than 2 particles in the bin")
        limits.append(nil)
        continue
      }
      let muMax = max(abs(total.pitchBinEdges[bin]), abs(total.pitchBinEdges[bin + 1]))
      let tBox = rule.boxLength.map { rule.boxFraction * $0 / (speed * max(muMax, 1e-12)) } ?? .infinity
      var first: Int? = nil, last: Int? = nil
      var stopped: String? = nil
      var limit: PitchWindowLimit? = nil
      for row in 1..<times.count {
        if total.pitchVariance(bin: bin, row: row, reference: reference) > rule.maximumMeanSquare {
          stopped = "⟨Δμ²⟩ exceeds \(rule.maximumMeanSquare) at t = \(times[row])"
          limit = .pitchVariance(time: times[row])
          break
        }
        if times[row] > tBox {
          stopped = "v|μ|t exceeds \(rule.boxFraction)·L_box at t = \(times[row])"
          limit = .box(time: times[row])
          break
        }
        if times[row] >= tMin { if first == nil { first = row }; last = row }
      }
      limits.append(limit)
      if let f = first, let l = last, l - f + 1 >= rule.minimumSamples {
        windows.append(f...l); problems.append(nil)
      } else {
        windows.append(nil)
        problems.append("no valid window: t_min = \(tMin) (\(rule.minimumGyroperiods) gyro-periods), "
          + (stopped ?? "run ends at t = \(times.last!)") + ", \(first.map { (last ?? $0) - $0 + 1 } ?? 0) rows < \(rule.minimumSamples)")
      }
    }
    func slopes(_ acc: TransportAccumulator) -> [Double] {
      (0..<acc.binCount).flatMap { bin -> [Double] in
        guard let w = windows[bin] else { return [0, 0] }
        let t = w.map { acc.times[$0] }
        let y = w.map { acc.pitchVariance(bin: bin, row: $0, reference: reference) }
        let fit = linearFit(t, y)
        return [fit.slope / 2, fit.intercept]
      }
    }
    let (values, errors) = Jackknife.estimate(groups: groups, slopes)
    return (0..<total.binCount).map { bin in
      let w = windows[bin]
      let rule = InitialPitchRule(total, bin: bin)
      var estimate = PitchAngleBinEstimate(
        lowerEdge: total.pitchBinEdges[bin], upperEdge: total.pitchBinEdges[bin + 1],
        particleCount: total.sum(.count, bin: bin, row: 0),
        meanInitialPitch: rule.mean, initialPitchNodes: rule.nodes, initialPitchWeights: rule.weights,
        coefficient: w == nil ? nil : values[2 * bin], standardError: w == nil ? nil : errors[2 * bin],
        offset: w == nil ? nil : values[2 * bin + 1],
        window: w.map { times[$0.lowerBound]...times[$0.upperBound] }, rows: w, problem: problems[bin])
      estimate.limit = limits[bin]
      return estimate
    }
  }
}

/// Where the particles of a μ₀ bin started, as a two-node quadrature.
///
/// With the centred moments σ² and κ₃ of μ₀ in the bin, the nodes μ̄ + x± with
/// x± = (a ± √(a² + 4σ²))/2, a = κ₃/σ², and weights w± = ∓x∓/(x₊ − x₋) reproduce the first three
/// moments. They are the two-point Gauss–Legendre rule for μ₀ uniform in the bin, and exactly the
/// particles' μ₀ when the bin holds two values (fixed `mu` lists whose values fall on or near a
/// bin edge). A theory D(μ) averaged with this rule is compared with the bin's estimate, which is
/// the particle-weighted mean of the D(μ₀) it mixes.
public struct InitialPitchRule: Sendable, Hashable {
  public let mean: Double
  public let nodes: [Double]
  public let weights: [Double]

  public init(_ acc: TransportAccumulator, bin: Int) {
    let n = acc.sum(.count, bin: bin, row: 0)
    guard n > 0 else { mean = .nan; nodes = []; weights = []; return }
    let m1 = acc.sum(.initialPitch, bin: bin, row: 0) / n
    let m2 = acc.sum(.initialPitch2, bin: bin, row: 0) / n
    let m3 = acc.sum(.initialPitch3, bin: bin, row: 0) / n
    let variance = max(0, m2 - m1 * m1)
    mean = m1
    // Below σ = 1e-6 the μ₀ differ by rounding only (1-ulp direction renormalization), and
    // m₂ − m₁² itself is rounding noise of order 1e-17: one node.
    guard variance > 1e-12 else { nodes = [m1]; weights = [1]; return }
    let skew = m3 - 3 * m1 * m2 + 2 * m1 * m1 * m1
    let a = skew / variance
    let root = (a * a + 4 * variance).squareRoot()
    let (plus, minus) = ((a + root) / 2, (a - root) / 2)
    nodes = [m1 + minus, m1 + plus]
    weights = [plus / (plus - minus), -minus / (plus - minus)]
  }
}
