import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Fast magnetosonic modes in spherical (k, ξ) coordinates (PHYSICS.md §1.4–1.5, §3.4): see
/// `PitchAngleDiffusion` for the formula and the TTD deviation from PHYSICS.md.
extension PitchAngleDiffusion {
  /// The ξ where the support edge k_top(ξ) = min(k_max, k_c(ξ)) crosses the gyroresonant band
  /// ln k = ln(Ω/(ξv|μ|)) + j·2·spacing·width (|j·2·spacing| ≤ reach of the resonance cluster): there
  /// the k-integrated gyroresonance switches on within a narrow ξ range, which these edges
  /// resolve. Roots bracketed on `cutoffSamples`, refined by 30 bisections.
  func resonanceCrossings(_ fast: FastModes, logResonance: Double, width: Double) -> [Double] {
    guard cutoffSamples.count > 1, width > 0 else { return [] }
    let spacing = 2 * resolution.clusterSpacing
    let n = Int((resolution.clusterReach / spacing).rounded())
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
    let directionWeight = vA == 0 ? 2.0 : 1.0
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
          transit += directionWeight * jacobian * innerRule.integrate(edges: edges, terminationStart: start) { t in
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
              gyro += directionWeight * jacobian * innerRule.integrate(edges: edges, terminationStart: start) { t in
                let k = exp(t)
                let ξ = min(1, ξStar(k))
                let w = k * p.besselScale * (1 - ξ * ξ).squareRoot()
                let weight = bessel.weights(harmonic: 1, argument: w).pseudo
                return k * k * ξ * ξ * amplitude * pow(k, -fast.index - 2) * weight
              }
            }
          }
        }
      }
    case .gaussian(let widthSquared):
      let Δ = widthSquared.squareRoot()
      let spread = p.perpendicularSpeed * Δ
      var ξBreaks = [Double]()
      if vA > 0 {
        for s in directions {
          let ξ0 = s * vA / (p.v * p.μ)
          if ξ0 > 0, ξ0 < 1 {
            ξBreaks += cluster(ξ0, min(ξ0 * spread / (p.v * abs(p.μ)), 0.2))
          }
        }
      }
      // Damping cut-offs k_c(ξ) vary steeply at small ξ (collisionless: exp(2/(βγ_mξ²))):
      // geometric breakpoints ξ = r^(−j) (to 3×10⁻⁵) and 1 − ξ = r^(−j) (to 10⁻⁶), where
      // (1 − ξ²)^(−2) lets parallel fast modes survive, resolve them (r = cosineRatio).
      var g = 1 / resolution.cosineRatio
      while g >= 3e-5 {
        ξBreaks.append(g)
        g /= resolution.cosineRatio
      }
      g = 1 / resolution.cosineRatio
      while g >= 1e-6 {
        ξBreaks.append(1 - g)
        g /= resolution.cosineRatio
      }
      ξBreaks += dampingKinks
      if maxHarmonic >= 1 {
        ξBreaks += resonanceCrossings(fast, logResonance: log(p.Ω / (p.v * abs(p.μ))), width: min(spread / (p.v * abs(p.μ)), 1))
      }
      let ξEdges = PanelEdges.make(
        from: 0, to: 1, maximumWidth: resolution.cosineStep / settings.refinement, breakpoints: ξBreaks)
      let norm = Double.pi.squareRoot() / spread
      var parts = (0.0, 0.0)
      for q in 0..<(ξEdges.count - 1) {
        let half = (ξEdges[q + 1] - ξEdges[q]) / 2
        let mid = (ξEdges[q + 1] + ξEdges[q]) / 2
        for i in 0..<cosineRule.nodes.count {
          let ξ = mid + half * cosineRule.nodes[i]
          let weightξ = cosineRule.weights[i] * half
          let top = min(kMax, fast.damping.cutoff(cosine: ξ, minimumWavenumber: kMin))
          guard top > kMin else { continue }
          let scale = p.besselScale * (1 - ξ * ξ).squareRoot()
          // TTD Gaussian does not depend on k: exp(−((ξvμ − s v_A)/(ξ v_⊥ Δ))²).
          var ttdGauss = 0.0
          if includeTTD {
            for s in directions {
              let u = (ξ * p.v * p.μ - s * vA) / (ξ * spread)
              ttdGauss += directionWeight * gaussian(u)
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
          // Gyroresonance: both Gaussians exp(−((b ± Ω/k)/(ξv_⊥Δ))²), b = ξvμ − s v_A, are below
          // e^(−(1.5 reach)²) for Ω/k > |b| + 1.5 reach ξv_⊥Δ: start the k integral there.
          var largestB = 0.0
          for s in directions { largestB = max(largestB, abs(ξ * p.v * p.μ - s * vA)) }
          let lowest = log(max(kMin, p.Ω / (largestB + 1.5 * resolution.clusterReach * ξ * spread)))
          let highest = log(top)
          guard highest > lowest else { continue }
          var breaks = PanelEdges.besselBreakpoints(
            scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lowest, upperLog: highest,
            periods: resolution.fastBesselPeriods)
          var start = max(lowest + 1, log(3 / max(scale, 1e-300)))
          // One cluster per distinct resonance centre ln(Ω/|b|) (the two wave directions differ
          // by v_A/(ξvμ) in it, usually far less than the width: then one cluster serves both).
          var centres = [(centre: Double, width: Double)]()
          let inverseWidth = 1 / (ξ * spread)
          let bs = directions.map { ξ * p.v * p.μ - $0 * vA }
          for s in directions {
            let b = ξ * p.v * p.μ - s * vA
            guard b != 0 else { continue }
            let centre = log(p.Ω / abs(b))
            let width = min(ξ * spread / abs(b), 1)
            if let last = centres.last, abs(last.centre - centre) < 0.1 * min(width, last.width) { continue }
            centres.append((centre, width))
          }
          for c in centres {
            breaks += cluster(c.centre, c.width)
            start = max(start, c.centre + resolution.clusterReach * c.width)
          }
          let edges = PanelEdges.make(from: lowest, to: highest, maximumWidth: logStep, breakpoints: breaks)
          let gyroSum: Double
          if innerRule.nodes.count == 8, usesPanelwiseIntegrands {
            // The integrand below on a whole panel at once (the same formula; SIMD fastExp is
            // within an ulp of the scalar one, so the sums agree to round-off, tested).
            gyroSum = innerRule.integrate(
              edges: edges, terminationStart: start, relativeTolerance: tail(1e-13), quietPanels: resolution.quietPanels
            ) { (t: SIMD8<Double>) -> SIMD8<Double> in
              let k = fastExp(t)
              let argument = k * scale
              let w = lanes { bessel.weights(harmonic: 1, argument: argument[$0]).pseudo }
              var g = SIMD8<Double>()
              let y = p.Ω / k
              for b in bs {
                let u1 = (b + y) * inverseWidth
                let u2 = (b - y) * inverseWidth
                g += gaussian(u1) + gaussian(u2)
              }
              return directionWeight * ξ * amplitude * fastExp(-fast.index * t) * w * g
            }
          } else {
            gyroSum = innerRule.integrate(
              edges: edges, terminationStart: start, relativeTolerance: tail(1e-13), quietPanels: resolution.quietPanels
            ) { t in
              let k = fastExp(t)
              let w = bessel.weights(harmonic: 1, argument: k * scale).pseudo
              var g = 0.0
              let y = p.Ω / k
              for b in bs {
                let u1 = (b + y) * inverseWidth
                let u2 = (b - y) * inverseWidth
                g += gaussian(u1) + gaussian(u2)
              }
              // k² dk = k³ d ln k; R_n carries 1/(kξ); k² k^(−α−2) = e^(−αt).
              return directionWeight * ξ * amplitude * fastExp(-fast.index * t) * w * g
            }
          }
          parts.1 += weightξ * norm * gyroSum
        }
      }
      transit = parts.0
      gyro = parts.1
    }
    return (prefactor * transit, prefactor * gyro)
  }
}
