import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Fast magnetosonic modes in spherical (k, ξ) coordinates (docs/physics.md §1.4–1.5, §3.4): see
/// `PitchAngleDiffusion` for the formula and the TTD deviation from docs/physics.md.
extension PitchAngleDiffusion {
  /// The ξ where the support edge k_top(ξ) = min(k_max, k_c(ξ)) crosses the gyroresonant band
  /// ln k = ln(Ω/(ξv|μ|)) + j·2·spacing·width (|j·2·spacing| ≤ `resonanceCrossingReach`, or the
  /// reach of the resonance cluster): there the k-integrated gyroresonance switches on within a
  /// narrow ξ range, which these edges resolve. Roots bracketed on `cutoffSamples`, refined by 30
  /// bisections.
  func resonanceCrossings(_ fast: FastModes, logResonance: Double, width: Double) -> [Double] {
    guard cutoffSamples.count > 1, width > 0 else { return [] }
    let spacing = 2 * resolution.clusterSpacing
    let n = Int(((resolution.resonanceCrossingReach ?? resolution.clusterReach) / spacing).rounded())
    var points = [Double]()
    for j in -n...n {
      let level = logResonance + Double(j) * spacing * width
      func f(_ ξ: Double) -> Double {
        log(ξ * min(kMax, fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin))) - level
      }
      for i in 1..<cutoffSamples.count {
        let a = cutoffSamples[i - 1]
        let b = cutoffSamples[i]
        guard (a.logξTop - level > 0) != (b.logξTop - level > 0) else { continue }
        var (lo, hi) = (a.ξ, b.ξ)
        let sign = a.logξTop - level > 0
        for _ in 0..<30 {
          let mid = (lo + hi) / 2
          if (f(mid) > 0) == sign { lo = mid } else { hi = mid }
        }
        points.append((lo + hi) / 2)
      }
    }
    return points
  }

  /// The ξ where the transit-time integral's Bessel argument at the support edge,
  /// k_top(ξ) r_L sinα √(1 − ξ²), is 1: there the k-integrated TTD weight switches from its
  /// small-argument growth to its plateau within a narrow ξ range (steep k_c(ξ) toward ξ = 0,
  /// k_c ∝ (1 − ξ²)^(−2) toward ξ = 1). Roots bracketed on every 4th of `cutoffSamples`,
  /// refined by 30 bisections.
  func transitTimeCrossings(_ fast: FastModes, besselScale: Double) -> [Double] {
    guard cutoffSamples.count > 1 else { return [] }
    // ln(k_top r_L sinα √(1 − ξ²)) from the samples' ln(ξ k_top).
    func sampled(_ i: Int) -> Double {
      let ξ = cutoffSamples[i].ξ
      return cutoffSamples[i].logξTop + 0.5 * log((1 - ξ * ξ) / (ξ * ξ) * besselScale * besselScale)
    }
    func exact(_ ξ: Double) -> Double {
      log(min(kMax, fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin)) * besselScale * (1 - ξ * ξ).squareRoot())
    }
    var points = [Double]()
    var a = 0
    var fa = sampled(a)
    for i in stride(from: 4, through: cutoffSamples.count + 2, by: 4) {
      let b = min(i, cutoffSamples.count - 1)
      guard b > a else { break }
      let fb = sampled(b)
      if (fa > 0) != (fb > 0) {
        var (lo, hi) = (cutoffSamples[a].ξ, cutoffSamples[b].ξ)
        for _ in 0..<30 {
          let mid = (lo + hi) / 2
          if (exact(mid) > 0) == (fa > 0) { lo = mid } else { hi = mid }
        }
        points.append((lo + hi) / 2)
      }
      (a, fa) = (b, fb)
    }
    return points
  }

  /// Breakpoints of a Gaussian cluster (`PanelEdges.gaussianCluster` with this resolution's
  /// spacing and reach) appended to `points`.
  func appendCluster(to points: inout [Double], _ center: Double, _ width: Double) {
    PanelEdges.appendGaussianCluster(
      to: &points, center: center, width: width, spacing: resolution.clusterSpacing, reach: resolution.clusterReach)
  }

  /// Nodes and weights of the fast-mode ξ quadrature on (0, 1): Gauss–Legendre panels of at most
  /// `cosineStep` with edges at the TTD resonance, the damping kinks, the resonance crossings,
  /// geometric breakpoints ξ = r^(−j) toward 0 and, toward 1, either 1 − ξ = r^(−j) or panels in
  /// η = (1 − ξ)^(1/4) above `cosineSubstitutionStart` (ξ = 1 − η⁴, dξ = 4η³ dη), see
  /// `QuadratureResolution`.
  func cosineNodes(_ fast: FastModes, _ p: Particle, spread: Double, transitTime: Bool, gyroresonance: Bool)
    -> [(ξ: Double, weight: Double)]
  {
    let vA = settings.alfvenSpeed
    var ξBreaks = [Double]()
    if vA > 0 {
      for s in [1.0, -1.0] {
        let ξ0 = s * vA / (p.v * p.μ)
        if ξ0 > 0, ξ0 < 1 {
          ξBreaks += cluster(ξ0, min(ξ0 * spread / (p.v * abs(p.μ)), 0.2))
        }
      }
    }
    // Damping cut-offs k_c(ξ) vary steeply at small ξ (collisionless: exp(2/(βγ_mξ²))):
    // geometric breakpoints ξ = r^(−j) (to `smallestCosineBreakpoint`) and, without the η
    // substitution, 1 − ξ = r^(−j) (to 10⁻⁶), where (1 − ξ²)^(−2) lets parallel fast modes
    // survive, resolve them (r = cosineRatio).
    var g = 1 / resolution.cosineRatio
    while g >= resolution.smallestCosineBreakpoint {
      ξBreaks.append(g)
      g /= resolution.cosineRatio
    }
    let substitutionStart = resolution.cosineSubstitutionStart ?? 1
    if substitutionStart >= 1 {
      g = 1 / resolution.cosineRatio
      while g >= 1e-6 {
        ξBreaks.append(1 - g)
        g /= resolution.cosineRatio
      }
    }
    ξBreaks += dampingKinks
    if gyroresonance {
      let width = min(spread / (p.v * abs(p.μ)), 1)
      ξBreaks += resonanceCrossings(fast, logResonance: log(p.Ω / (p.v * abs(p.μ))), width: width)
    }
    if transitTime, resolution.compactsFastModePanels {
      ξBreaks += transitTimeCrossings(fast, besselScale: p.besselScale)
    }
    var nodes = [(ξ: Double, weight: Double)]()
    let rule = cosineRule
    func addPanels(_ edges: [Double], _ node: (Double, Double) -> (ξ: Double, weight: Double)) {
      for q in 0..<max(0, edges.count - 1) {
        let half = (edges[q + 1] - edges[q]) / 2
        let mid = (edges[q + 1] + edges[q]) / 2
        for i in 0..<rule.nodes.count { nodes.append(node(mid + half * rule.nodes[i], rule.weights[i] * half)) }
      }
    }
    let ξEdges = PanelEdges.make(
      from: 0, to: substitutionStart, maximumWidth: resolution.cosineStep / settings.refinement, breakpoints: ξBreaks)
    nodes.reserveCapacity(rule.nodes.count * (ξEdges.count + 16))
    addPanels(ξEdges) { ξ, weight in (ξ, weight) }
    if substitutionStart < 1 {
      let ηBreaks = ξBreaks.filter { $0 > substitutionStart && $0 < 1 }.map { (1 - $0).squareRoot().squareRoot() }
      let ηEdges = PanelEdges.make(
        from: 0, to: (1 - substitutionStart).squareRoot().squareRoot(),
        maximumWidth: resolution.substitutedCosineStep / settings.refinement, breakpoints: ηBreaks)
      addPanels(ηEdges) { η, weight in
        let η2 = η * η
        return (1 - η2 * η2, weight * 4 * η2 * η)
      }
    }
    return nodes
  }

  func fastModes(_ fast: FastModes, amplitude: Double, _ p: Particle) -> (transitTime: Double, gyroresonance: Double) {
    let vA = settings.alfvenSpeed
    // A local copy, so that the integrands do not capture (copy, retain and release) `self`.
    let bessel = self.bessel
    let prefactor = 2 * Double.pi * p.Ω * p.Ω * (1 - p.μ * p.μ)
    let (lowest, highest) = harmonicRange(.fast(fast))
    let includeTTD = lowest == 0
    let maxHarmonic = highest
    func density(_ k: Double, _ ξ: Double) -> Double {
      guard k >= kMin, k <= kMax, k <= fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin) else { return 0 }
      return amplitude * pow(k, -fast.index - 2)
    }
    let directions: [Double] = vA == 0 ? [0] : [1, -1]
    // The node weight of direction s at ξ: ε = ω/(k_∥v) = s v_A/(ξv) (ω = s k v_A); without
    // waves one direction of twice the weight at ε = 0 (see `waveDirections`).
    let coefficient = settings.coefficient
    let settings = self.settings
    func directionWeight(_ s: Double, _ ξ: Double) -> Double {
      vA == 0
        ? 2 * coefficient.weight(cosine: p.μ, phaseSpeedRatio: 0)
        : settings.directionWeight(s, cosine: p.μ, phaseSpeedRatio: s * vA / (ξ * p.v))
    }
    // True when every node weight is 1 (balanced D_μμ without e): the integrands skip them.
    let unweighted = coefficient == .pitchAngle && (vA == 0 || settings.crossHelicity == 0)
    var transit = 0.0
    var gyro = 0.0
    let lnMin = log(kMin)
    let lnMax = log(kMax)
    switch settings.resonance {
    case .sharp:
      let jacobian = Double.pi / (p.v * abs(p.μ))
      // n = 0: ξ₀ = s v_A/(vμ).
      if includeTTD, vA > 0 {
        for s in directions {
          let ξ0 = s * vA / (p.v * p.μ)
          guard ξ0 > 0, ξ0 <= 1 else { continue }
          let top = min(kMax, fast.damping.cutoff(cosine: ξ0, minimumWavenumber: kMin))
          guard top > kMin else { continue }
          let scale = p.besselScale * (1 - ξ0 * ξ0).squareRoot()
          let breaks = PanelEdges.besselBreakpoints(
            scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lnMin, upperLog: log(top))
          let edges = PanelEdges.make(from: lnMin, to: log(top), maximumWidth: logStep, breakpoints: breaks)
          let start = max(lnMin + 1, log(3 / max(scale, 1e-300)))
          transit += directionWeight(s, ξ0) * jacobian * innerRule.integrate(edges: edges, terminationStart: start) { t in
            let k = exp(t)
            let w = bessel.weights(harmonic: 0, argument: k * scale).pseudo
            return k * k * ξ0 * ξ0 * amplitude * pow(k, -fast.index - 2) * w
          }
        }
      }
      // n = ±1: at fixed k, ξ* = (s v_A − nΩ/k)/(vμ).
      if maxHarmonic >= 1 {
        for s in directions {
          for n in [-1.0, 1.0] {
            func ξStar(_ k: Double) -> Double { (s * vA - n * p.Ω / k) / (p.v * p.μ) }
            let inside: (Double) -> Bool = { t in
              let k = exp(t)
              let ξ = ξStar(k)
              return ξ > 0 && ξ <= 1 && k <= fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin)
            }
            for (a, b) in PanelEdges.intervals(from: lnMin, to: lnMax, spacing: 0.05, where: inside) {
              let breaks = PanelEdges.besselBreakpoints(
                scale: p.besselScale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: a, upperLog: b)
              let edges = PanelEdges.make(from: a, to: b, maximumWidth: logStep, breakpoints: breaks)
              let start = max(a + 1, log(3 / p.besselScale))
              let nodeWeight = unweighted ? nil : { (ξ: Double) in directionWeight(s, ξ) }
              gyro += (unweighted ? directionWeight(s, 1) : 1) * jacobian * innerRule.integrate(edges: edges, terminationStart: start) { t in
                let k = exp(t)
                let ξ = min(1, ξStar(k))
                let w = k * p.besselScale * (1 - ξ * ξ).squareRoot()
                let weight = bessel.weights(harmonic: 1, argument: w).pseudo
                let value = k * k * ξ * ξ * amplitude * pow(k, -fast.index - 2) * weight
                return nodeWeight.map { value * $0(ξ) } ?? value
              }
            }
          }
        }
      }
    case .gaussian(let widthSquared):
      let Δ = widthSquared.squareRoot()
      let spread = p.perpendicularSpeed * Δ
      let compact = resolution.compactsFastModePanels
      let nodes = cosineNodes(fast, p, spread: spread, transitTime: includeTTD, gyroresonance: maxHarmonic >= 1)
      let norm = Double.pi.squareRoot() / spread
      let gyroTolerance = compact ? resolution.fastTailTolerance ?? tail(1e-13) : tail(1e-13)
      // The k integrals' breakpoints and edges, reused from node to node.
      var breaks = [Double]()
      var edges = [Double]()
      breaks.reserveCapacity(64)
      edges.reserveCapacity(64)
      var parts = (0.0, 0.0)
      for (ξ, weightξ) in nodes {
        let top = min(kMax, fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin))
        guard top > kMin else { continue }
        let scale = p.besselScale * (1 - ξ * ξ).squareRoot()
        // TTD Gaussian does not depend on k: exp(−((ξvμ − s v_A)/(ξ v_⊥ Δ))²).
        var ttdGauss = 0.0
        if includeTTD {
          for s in directions {
            let u = (ξ * p.v * p.μ - s * vA) / (ξ * spread)
            ttdGauss += directionWeight(s, ξ) * gaussian(u)
          }
        }
        if includeTTD, ttdGauss > 1e-300 {
          let ttdSum: Double
          if let table = transitTimeTable {
            ttdSum = ttdGauss * ξ * amplitude * table.integral(from: kMin, to: top, scale: scale)
          } else {
            let ttdStart = max(lnMin + 1, log(3 / max(scale, 1e-300)))
            let ttdBreaks = besselBreaks(
              scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lnMin, upperLog: log(top))
            let ttdEdges = PanelEdges.make(from: lnMin, to: log(top), maximumWidth: logStep, breakpoints: ttdBreaks)
            ttdSum = ttdGauss * innerRule.integrate(
              edges: ttdEdges, terminationStart: ttdStart, relativeTolerance: tail(1e-13), quietPanels: resolution.quietPanels
            ) { t in
              let k = fastExp(t)
              let w = bessel.weights(harmonic: 0, argument: k * scale).pseudo
              return ξ * amplitude * fastExp(-fast.index * t) * w
            }
          }
          parts.0 += weightξ * norm * ttdSum
        }
        guard maxHarmonic >= 1 else { continue }
        // Gyroresonance: the Gaussians exp(−((b ± Ω/k)/(ξv_⊥Δ))²), b = ξvμ − s v_A for s = ±1
        // (without waves, v_A = 0, the two are equal and each counts once).
        let b1 = ξ * p.v * p.μ - vA
        let b2 = ξ * p.v * p.μ + vA
        let σ = ξ * spread
        // All are below e^(−reach²) (compact) or e^(−(1.5 reach)²) for Ω/k > |b| + reach·σ:
        // start the k integral there.
        let reach = (compact ? 1 : 1.5) * resolution.clusterReach
        let lowest = log(max(kMin, p.Ω / (max(abs(b1), abs(b2)) + reach * ξ * spread)))
        let highest = log(top)
        guard highest > lowest else { continue }
        breaks.removeAll(keepingCapacity: true)
        if compact {
          PanelEdges.appendBesselBreakpoints(
            to: &breaks, scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lowest,
            upperLog: highest, periods: resolution.fastBesselPeriods)
        } else {
          breaks += PanelEdges.besselBreakpoints(
            scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lowest, upperLog: highest,
            periods: resolution.fastBesselPeriods)
        }
        var start = max(lowest + 1, log(3 / max(scale, 1e-300)))
        // One cluster per distinct resonance centre ln(Ω/|b|): the two wave directions differ
        // by about 2v_A/(ξvμ) in it, usually far less than the width, and then one cluster
        // serves both (compact: within half a cluster spacing; else within a tenth of a width).
        let merge = compact ? resolution.clusterSpacing / 2 : 0.1
        var previous: (centre: Double, width: Double)? = nil
        func clusterAround(_ b: Double) {
          guard b != 0 else { return }
          let centre = log(p.Ω / abs(b))
          let width = min(σ / abs(b), 1)
          if let last = previous, abs(last.centre - centre) < merge * min(width, last.width) { return }
          previous = (centre, width)
          appendCluster(to: &breaks, centre, width)
          start = max(start, centre + resolution.clusterReach * width)
        }
        clusterAround(b1)
        clusterAround(b2)
        if compact {
          PanelEdges.fill(&edges, from: lowest, to: highest, maximumWidth: logStep, breakpoints: &breaks)
        } else {
          edges = PanelEdges.make(from: lowest, to: highest, maximumWidth: logStep, breakpoints: breaks)
        }
        let inverseWidth = 1 / σ
        let weight = ξ * amplitude
        // The directions' node weights (s = +1 for b1, −1 for b2; without waves b1 = b2 and each
        // counts once), exactly 1 when unweighted.
        let still = coefficient.weight(cosine: p.μ, phaseSpeedRatio: 0)
        let (c1, c2) =
          unweighted ? (1.0, 1.0) : vA == 0 ? (still, still) : (directionWeight(1, ξ), directionWeight(-1, ξ))
        let gyroSum: Double
        if innerRule.nodes.count == 8, usesPanelwiseIntegrands {
          // The integrand below on a whole panel at once (the same formula; SIMD fastExp is
          // within an ulp of the scalar one, so the sums agree to round-off, tested).
          gyroSum = innerRule.integrate(
            edges: edges, terminationStart: start, relativeTolerance: gyroTolerance, quietPanels: resolution.quietPanels
          ) { (t: SIMD8<Double>) -> SIMD8<Double> in
            let k = fastExp(t)
            let argument = k * scale
            let w = lanes { bessel.weights(harmonic: 1, argument: argument[$0]).pseudo }
            let y = p.Ω / k
            var g = c1 * (gaussian((b1 + y) * inverseWidth) + gaussian((b1 - y) * inverseWidth))
            g += c2 * (gaussian((b2 + y) * inverseWidth) + gaussian((b2 - y) * inverseWidth))
            return weight * fastExp(-fast.index * t) * w * g
          }
        } else {
          gyroSum = innerRule.integrate(
            edges: edges, terminationStart: start, relativeTolerance: gyroTolerance, quietPanels: resolution.quietPanels
          ) { t in
            let k = fastExp(t)
            let w = bessel.weights(harmonic: 1, argument: k * scale).pseudo
            let y = p.Ω / k
            var g = c1 * (gaussian((b1 + y) * inverseWidth) + gaussian((b1 - y) * inverseWidth))
            g += c2 * (gaussian((b2 + y) * inverseWidth) + gaussian((b2 - y) * inverseWidth))
            // k² dk = k³ d ln k; R_n carries 1/(kξ); k² k^(−α−2) = e^(−αt).
            return weight * fastExp(-fast.index * t) * w * g
          }
        }
        parts.1 += weightξ * norm * gyroSum
      }
      transit = parts.0
      gyro = parts.1
    }
    return (prefactor * transit, prefactor * gyro)
  }
}
