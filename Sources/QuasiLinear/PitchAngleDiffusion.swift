import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Quasi-linear pitch-angle diffusion coefficient D_μμ(μ) of a `TurbulenceSpectrum`
/// (PHYSICS.md §3.1), the same spectrum value that synthesizes the fields.
///
///   D_μμ = Ω²(1 − μ²) Σ_n ∫ d³k R_n(k_∥vμ − ω + nΩ) [(nJ_n/w)² P_A + J_n′² ξ² P_θ],
///   w = k_⊥ r_L √(1 − μ²),  ξ = k_∥/k,
///
/// with P_A, P_θ the normalized power per polarization from `TurbulenceSpectrum.powerDensity`.
/// Units: code units (PHYSICS.md §0): μ dimensionless, reduced rigidity R = r_L/L, particle
/// speed v in c, Ω = v/R in c/L, D_μμ in c/L.
///
/// Each family is evaluated on its own coordinates:
/// * slab: the same general formula with k_⊥ = 0, i.e. w = 0, where only n = ±1 survive with
///   weights (J_1(w)/w)² = J_1′(w)² = 1/4 (PHYSICS.md §3.1, slab limit);
/// * isotropic, Alfvén (GS), slow (GS): cylindrical (k_⊥, k_∥), the sharp resonance fixing
///   k_∥ = |n|Ω/|vμ ∓ v_s| (a 1D k_⊥ integral per harmonic), the Gaussian one adding an outer
///   ln k_∥ integral clustered around each resonance;
/// * fast: spherical (k, ξ), so that the damping cut-off k_c(ξ) (LarmorCore's
///   `FastModeDamping.cutoff`) is evaluated at exactly the ξ of the integrand (PHYSICS.md §3.6);
///   ξ panels end at the kinks of k_c(ξ) and where k_c(ξ) crosses the gyroresonant band.
///
/// Speed (`QuadratureResolution.standard`, the default): wide 8-point panels; fast-mode TTD from
/// the tabulated antiderivative `TransitTimeTable`; the broadened n = 0 term of slow modes from
/// the tabulated G(k_⊥) of `ParallelPowerTable` (its resonance factor does not depend on k);
/// exact Bessel weights of n ≤ 2 from `ExactWeightTable`. `.reference` keeps the original nested,
/// tightly converged quadratures (tests compare the two).
///
/// Waves: fast modes have ω = ±k v_A, slow modes ω = ±k_∥ v_s, with equal power in both
/// propagation directions (average over the sign). Alfvén, slab and isotropic families are
/// magnetostatic (ω = 0; Yan & Lazarian neglect ω_A in the gyroresonance).
///
/// Deviation from PHYSICS.md §3.4 (fast-mode TTD): integrating §3.1 over both signs of ξ with
/// waves in both directions gives 2π ∫₀¹dξ [R̃₀(μ − v_A/vξ) + R̃₀(μ + v_A/vξ)] for the n = 0
/// term, symmetric in μ, where the Fornieri et al. form has 4π ∫₀¹dξ R̃₀(μ − v_A/vξ). For
/// μ > 0 and a narrow resonance the published form is twice this one. The n = ±1 terms agree.
public struct PitchAngleDiffusion: Sendable {
  public let spectrum: TurbulenceSpectrum
  public let settings: SolverSettings

  let outerRule: PanelQuadrature
  let innerRule: PanelQuadrature
  /// The fast-mode ξ rule.
  let cosineRule: PanelQuadrature
  let bessel: BesselWeights
  /// Φ of the transit-time integral for the first fast component (nil if none, or if the
  /// resolution does not tabulate it).
  let transitTimeTable: TransitTimeTable?
  /// G(k_⊥) tables of the n = 0 broadened term, per component (nil where not applicable).
  let parallelPowerTables: [ParallelPowerTable?]
  /// Kinks of the damping cut-off k_c(ξ) of the first fast component (ξ panel edges).
  let dampingKinks: [Double]
  /// ξ samples and ln(ξ k_top(ξ)), k_top = min(k_max, k_c(ξ)), of the first fast component:
  /// where k_top(ξ) crosses the gyroresonant band k ≈ Ω/(ξvμ) (`resonanceCrossings`).
  let cutoffSamples: [(ξ: Double, logξTop: Double)]

  public init(spectrum: TurbulenceSpectrum, settings: SolverSettings = SolverSettings()) {
    self.spectrum = spectrum
    self.settings = settings
    self.bessel = BesselWeights(averagingThreshold: settings.besselAveragingThreshold)
    outerRule = PanelQuadrature(order: settings.resolution.order)
    innerRule = PanelQuadrature(order: settings.resolution.order)
    cosineRule = PanelQuadrature(order: settings.resolution.cosineOrder)
    var table: TransitTimeTable? = nil
    var kinks = [Double]()
    for c in spectrum.components {
      if case .fast(let fast) = c.family {
        if settings.resolution.tabulatesTransitTime { table = TransitTimeTable(index: fast.index, bessel: bessel) }
        kinks = fast.damping.kinks(minimumWavenumber: spectrum.minimumWavenumber, maximumWavenumber: spectrum.maximumWavenumber)
        break
      }
    }
    transitTimeTable = table
    dampingKinks = kinks
    var gaussian = false
    if case .gaussian = settings.resonance { gaussian = true }
    parallelPowerTables = spectrum.components.map { c in
      gaussian && settings.resolution.tabulatesTransitTime
        ? ParallelPowerTable(c.family, minimumWavenumber: spectrum.minimumWavenumber, maximumWavenumber: spectrum.maximumWavenumber)
        : nil
    }
    var samples = [(ξ: Double, logξTop: Double)]()
    for c in spectrum.components {
      if case .fast(let fast) = c.family {
        var grid = (1..<1000).map { Double($0) / 1000 }
        grid += (1...60).flatMap { j -> [Double] in let g = pow(2, -Double(j) / 3); return [g, 1 - g] }
        for ξ in grid.filter({ $0 > 0 && $0 < 1 }).sorted() {
          let top = min(spectrum.maximumWavenumber, fast.damping.cutoff(cosine: ξ, minimumWavenumber: spectrum.minimumWavenumber))
          samples.append((ξ, log(ξ * top)))
        }
        break
      }
    }
    cutoffSamples = samples
  }

  /// D_μμ in c/L summed over the spectrum's components (rates add).
  public func coefficient(cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1) -> Double {
    contributions(cosine: μ, reducedRigidity: R, speed: v).reduce(0, +)
  }

  /// D_μμ in c/L of each component of the spectrum, in the order of `spectrum.components`.
  public func contributions(cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1) -> [Double] {
    spectrum.components.indices.map { i in
      componentCoefficient(i, cosine: μ, reducedRigidity: R, speed: v)
    }
  }

  /// D_μμ (c/L) of component i alone.
  public func componentCoefficient(_ i: Int, cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1) -> Double {
    guard abs(μ) < 1, μ.isFinite, R > 0, v > 0 else { return 0 }
    let particle = Particle(μ: μ, R: R, v: v)
    let family = spectrum.components[i].family
    let amplitude = spectrum.amplitudes[i]
    switch family {
    case .slab:
      return slab(family, amplitude: amplitude, particle)
    case .isotropic, .alfven:
      return cylindrical(family, amplitude: amplitude, phaseSpeed: 0, particle)
    case .slow:
      return cylindrical(
        family, amplitude: amplitude, phaseSpeed: settings.slowPhaseSpeed, particle, table: parallelPowerTables[i])
    case .fast(let fast):
      let parts = fastModes(fast, amplitude: amplitude, particle)
      return parts.transitTime + parts.gyroresonance
    }
  }

  /// Fast-mode D_μμ (c/L) split into transit-time damping (n = 0) and gyroresonance
  /// (n = ±1), for the first fast component of the spectrum (zero if there is none).
  public func fastModeParts(cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1)
    -> (transitTime: Double, gyroresonance: Double)
  {
    guard abs(μ) < 1, R > 0, v > 0 else { return (0, 0) }
    for (i, c) in spectrum.components.enumerated() {
      if case .fast(let fast) = c.family {
        return fastModes(fast, amplitude: spectrum.amplitudes[i], Particle(μ: μ, R: R, v: v))
      }
    }
    return (0, 0)
  }

  // MARK: - Particle

  struct Particle {
    let μ: Double
    let R: Double
    let v: Double
    var Ω: Double { v / R }
    var sine: Double { (1 - μ * μ).squareRoot() }
    var perpendicularSpeed: Double { v * sine }
    /// w per unit k_⊥: r_L √(1 − μ²), r_L = R.
    var besselScale: Double { R * sine }
  }

  var kMin: Double { spectrum.minimumWavenumber }
  var kMax: Double { spectrum.maximumWavenumber }
  var logStep: Double { settings.resolution.logStep / settings.refinement }
  var resolution: QuadratureResolution { settings.resolution }
  /// Tail tolerance: the resolution's, or the given per-integral one of the reference layout.
  func tail(_ legacy: Double) -> Double { resolution.tailTolerance ?? legacy }
  func cluster(_ center: Double, _ width: Double) -> [Double] {
    PanelEdges.gaussianCluster(center: center, width: width, spacing: resolution.clusterSpacing, reach: resolution.clusterReach)
  }
  func besselBreaks(scale: Double, maximumArgument: Double, lowerLog: Double, upperLog: Double) -> [Double] {
    PanelEdges.besselBreakpoints(
      scale: scale, maximumArgument: maximumArgument, lowerLog: lowerLog, upperLog: upperLog, periods: resolution.besselPeriods)
  }

  func harmonicRange(_ family: ModeFamily) -> (lowest: Int, highest: Int) {
    switch settings.harmonics {
    case .upTo(let n): return (0, max(0, n))
    case .automatic:
      switch family {
      case .slab, .alfven: return (1, 1)
      case .isotropic: return (1, 100_000)
      case .slow, .fast: return (0, 1)
      }
    }
  }

  // MARK: - Slab (k_⊥ = 0, w = 0)

  func slab(_ family: ModeFamily, amplitude: Double, _ p: Particle) -> Double {
    let (lowest, highest) = harmonicRange(family)
    let prefactor = p.Ω * p.Ω * (1 - p.μ * p.μ)
    func power(_ k: Double, _ m: Int) -> Double {
      let g = family.shape(at: Vec3(0, 0, k), minimumWavenumber: kMin, maximumWavenumber: kMax) * amplitude
      let weight = bessel.weights(harmonic: m, argument: 0)
      return weight.alfven * g.alfven + weight.pseudo * g.pseudo
    }
    var total = 0.0
    switch settings.resonance {
    case .sharp:
      // Σ over both signs s of the (here trivial) wave direction: a factor 2.
      for m in max(1, lowest)...highest {
        let k = Double(m) * p.Ω / (p.v * abs(p.μ))
        if k > kMax { break }
        total += 2 * Double.pi / (p.v * abs(p.μ)) * power(k, m)
      }
    case .gaussian(let widthSquared):
      let Δ = widthSquared.squareRoot()
      let spread = p.perpendicularSpeed * Δ
      let a = p.v * p.μ
      for m in lowest...highest {
        let center = Double(m) * p.Ω / max(abs(a), 1e-300)
        var breaks = [log(kMin), log(kMax)]
        if m > 0 { breaks += cluster(log(center), min(spread / abs(a), 1)) }
        let edges = PanelEdges.make(from: log(kMin), to: log(kMax), maximumWidth: logStep, breakpoints: breaks)
        let part = outerRule.integrate(edges: edges) { t in
          let k = exp(t)
          let x = Double(m) * p.Ω / k
          let g1 = exp(-((a + x) / spread) * ((a + x) / spread))
          let g2 = m == 0 ? 0 : exp(-((a - x) / spread) * ((a - x) / spread))
          return Double.pi.squareRoot() / spread * (g1 + g2) * power(k, m)
        }
        total += 2 * part
      }
    }
    return prefactor * total
  }

  // MARK: - Cylindrical (k_⊥, k_∥): isotropic, Alfvén, slow

  /// I_m(k_∥) = ∫ 2πk_⊥ dk_⊥ [(mJ_m/w)² P_A + J_m′² ξ² P_θ] in B₀² L⁻¹ (per unit k_∥).
  func perpendicularIntegral(_ family: ModeFamily, amplitude: Double, harmonic m: Int, parallel k: Double, _ p: Particle)
    -> Double
  {
    var lower = 0.0
    var upper = kMax
    var structure = k
    switch family {
    case .isotropic:
      guard k <= kMax else { return 0 }
      lower = kMin > k ? (kMin * kMin - k * k).squareRoot() : 0
      upper = (kMax * kMax - k * k).squareRoot()
      structure = max(k, kMin)
    case .alfven(let gs), .slow(let gs):
      guard k <= kMax else { return 0 }
      // Below k_⊥ = (k_∥ ℓ^{1/3}/(50 a))^{3/2} the cone factor exp(−…) is below e^{−50}.
      let cone = pow(k / (gs.coneFactor * pow(kMin, 1.0 / 3.0)), 1.5)
      lower = max(gs.perpendicularCutoffFactor * kMin, cone / pow(50, 1.5))
      structure = max(cone, lower)
    default:
      return 0
    }
    guard upper > lower else { return 0 }
    let scale = p.besselScale
    // J_m(w) < 1e-6 for w < m − 6m^(1/3) (Airy regime): start there for m ≥ 3.
    let turning = m >= 3 ? (Double(m) - 6 * cbrt(Double(m))) / max(scale, 1e-300) : 0
    lower = max(lower, turning)
    guard upper > lower else { return 0 }
    let floor = lower > 0 ? lower : 1e-6 * min(max(k, kMin), 1 / max(scale, 1e-300))
    let a = log(floor)
    let b = log(upper)
    guard b > a else { return 0 }
    let besselTop = bessel.averagingEnd(harmonic: m)
    var breaks = besselBreaks(scale: scale, maximumArgument: besselTop, lowerLog: a, upperLog: b)
    breaks.append(log(structure))
    let edges = PanelEdges.make(from: a, to: b, maximumWidth: logStep, breakpoints: breaks)
    let start = max(log(structure) + 1, log((3 + 2 * Double(m)) / max(scale, 1e-300)), a + 1)
    let k2 = k * k
    let cone = GoldreichSridharDensity(family, minimumWavenumber: kMin, maximumWavenumber: kMax)
    return innerRule.integrate(
      edges: edges, terminationStart: start, relativeTolerance: tail(1e-12), quietPanels: resolution.quietPanels
    ) { t in
      let kPerp = exp(t)
      let power =
        cone?.power(perpendicular: kPerp, parallel: k)
        ?? family.shape(at: Vec3(kPerp, 0, k), minimumWavenumber: kMin, maximumWavenumber: kMax)
      if power.alfven == 0, power.pseudo == 0 { return 0 }
      let weight = bessel.weights(harmonic: m, argument: kPerp * scale)
      let ξ2 = k2 / (k2 + kPerp * kPerp)
      return 2 * Double.pi * kPerp * kPerp * amplitude * (weight.alfven * power.alfven + weight.pseudo * ξ2 * power.pseudo)
    }
  }

  func cylindrical(
    _ family: ModeFamily, amplitude: Double, phaseSpeed vs: Double, _ p: Particle, table: ParallelPowerTable? = nil
  ) -> Double {
    let (lowest, highest) = harmonicRange(family)
    let prefactor = p.Ω * p.Ω * (1 - p.μ * p.μ)
    // Wave directions s = ±1: a_s = vμ − s v_s. For magnetostatic families both are equal.
    let directions: [Double] = vs == 0 ? [p.v * p.μ] : [p.v * p.μ - vs, p.v * p.μ + vs]
    let directionWeight = vs == 0 ? 2.0 : 1.0
    var total = 0.0
    var quiet = 0
    var previous = 0.0
    var lastCorrected = Double.nan
    // Last harmonic with a resonant k_∥ = mΩ/|a| ≤ k_max (sharp resonance); none for a Gaussian.
    var lastOrder = Double.infinity
    if case .sharp = settings.resonance {
      lastOrder = (directions.map { abs($0) }.max() ?? 0) * kMax / p.Ω
      lastOrder.round(.down)
    }
    for m in lowest...highest {
      var term = 0.0
      switch settings.resonance {
      case .sharp:
        guard m > 0 else { continue }
        var beyond = true
        for a in directions where a != 0 {
          let k = Double(m) * p.Ω / abs(a)
          if k <= kMax { beyond = false }
          term += directionWeight * Double.pi / abs(a) * perpendicularIntegral(family, amplitude: amplitude, harmonic: m, parallel: k, p)
        }
        if beyond { return prefactor * total }
      case .gaussian(let widthSquared):
        let spread = p.perpendicularSpeed * widthSquared.squareRoot()
        if m == 0, let table {
          // Separable n = 0 term (`ParallelPowerTable`).
          let integral = zeroHarmonicIntegral(table, amplitude: amplitude, p)
          for a in directions {
            term += directionWeight * Double.pi.squareRoot() / spread * exp(-(a / spread) * (a / spread)) * integral
          }
        } else {
          for a in directions {
            term += directionWeight * broadenedHarmonic(family, amplitude: amplitude, harmonic: m, a: a, spread: spread, p)
          }
        }
      }
      total += term
      // Truncation (see `SolverSettings.harmonicTolerance`): the sum plus its power-law
      // remainder, C_m = S_m + T_m, must be stable, m·|C_m − C_{m−1}| ≤ tolerance·C_m, for three
      // consecutive orders; then C_m is returned.
      if m > 1, let tail = Self.remainder(previous: previous, term: term, order: m, lastOrder: lastOrder) {
        let corrected = total + tail
        if Double(m) * abs(corrected - lastCorrected) <= settings.harmonicTolerance * corrected {
          quiet += 1
          if quiet >= 3 { return prefactor * corrected }
        } else {
          quiet = 0
        }
        lastCorrected = corrected
      } else {
        quiet = 0
        lastCorrected = .nan
      }
      previous = term
    }
    return prefactor * total
  }

  /// Σ_{m<n≤M} t_n for terms continuing the power law t_n = t_m (n/m)^(−p) through t_{m−1} and
  /// t_m, p = ln(t_{m−1}/t_m)/ln(m/(m − 1)), by the midpoint integral
  /// t_m m^p [(m + ½)^(1−p) − (M + ½)^(1−p)]/(p − 1) (M = ∞ allowed); nil while p ≤ 1 (no
  /// power-law decay yet), 0 after a zero term.
  static func remainder(previous: Double, term: Double, order m: Int, lastOrder M: Double) -> Double? {
    if term <= 0 { return 0 }
    guard previous > 0, m > 1 else { return nil }
    let p = log(previous / term) / log(Double(m) / Double(m - 1))
    guard p > 1, p.isFinite else { return nil }
    let upper = M.isFinite ? pow(M + 0.5, 1 - p) : 0
    return max(0, term * pow(Double(m), p) * (pow(Double(m) + 0.5, 1 - p) - upper) / (p - 1))
  }

  /// ∫ 2πk_⊥² d ln k_⊥ A J_1(k_⊥ r_L sinθ)² G(k_⊥) (`ParallelPowerTable`), in B₀² (the k
  /// integral of the n = 0 term without its resonance factor).
  func zeroHarmonicIntegral(_ table: ParallelPowerTable, amplitude: Double, _ p: Particle) -> Double {
    let scale = p.besselScale
    let a = table.lowerLog
    let b = table.upperLog
    var breaks = besselBreaks(scale: scale, maximumArgument: bessel.averagingEnd(harmonic: 0), lowerLog: a, upperLog: b)
    breaks.append(-log(max(scale, 1e-300)))
    let edges = PanelEdges.make(from: a, to: b, maximumWidth: logStep, breakpoints: breaks)
    let start = max(a + 1, log(3 / max(scale, 1e-300)))
    return innerRule.integrate(
      edges: edges, terminationStart: start, relativeTolerance: tail(1e-12), quietPanels: resolution.quietPanels
    ) { t in
      let kPerp = exp(t)
      let g = table.value(atLog: t)
      if g == 0 { return 0 }
      return 2 * Double.pi * kPerp * kPerp * amplitude * bessel.weights(harmonic: 0, argument: kPerp * scale).pseudo * g
    }
  }

  /// ∫₀^∞ dk_∥ [R_m + R_{−m}] I_m(k_∥) for the Gaussian resonance (R_0 once for m = 0).
  func broadenedHarmonic(_ family: ModeFamily, amplitude: Double, harmonic m: Int, a: Double, spread: Double, _ p: Particle)
    -> Double
  {
    let mΩ = Double(m) * p.Ω
    let lowK = m == 0 ? 1e-2 * min(kMin, 1 / p.R) : mΩ / (abs(a) + 10 * spread)
    let lo = log(max(lowK, 1e-300))
    let hi = log(kMax)
    guard hi > lo else { return 0 }
    var breaks = [log(kMin)]
    var start = log(kMin) + 1
    if m > 0, a != 0 {
      let center = log(mΩ / abs(a))
      let width = min(spread / abs(a), 1)
      breaks += cluster(center, width)
      start = max(start, center + resolution.clusterReach * width)
    }
    let edges = PanelEdges.make(from: lo, to: hi, maximumWidth: logStep, breakpoints: breaks)
    let norm = Double.pi.squareRoot() / spread
    return outerRule.integrate(
      edges: edges, terminationStart: start, relativeTolerance: tail(1e-10), quietPanels: resolution.quietPanels
    ) { t in
      let k = exp(t)
      let x = mΩ / k
      let u1 = (a + x) / spread
      var gauss = exp(-u1 * u1)
      if m > 0 {
        let u2 = (a - x) / spread
        gauss += exp(-u2 * u2)
      }
      if gauss < 1e-300 { return 0 }
      return norm * gauss * perpendicularIntegral(family, amplitude: amplitude, harmonic: m, parallel: k, p)
    }
  }

  // MARK: - Fast modes in (k, ξ)

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
              ttdGauss += directionWeight * exp(-u * u)
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
                let k = exp(t)
                let w = bessel.weights(harmonic: 0, argument: k * scale).pseudo
                return ξ * amplitude * exp(-fast.index * t) * w
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
          var breaks = besselBreaks(
            scale: scale, maximumArgument: 2 * bessel.averagingThreshold, lowerLog: lowest, upperLog: highest)
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
          let gyroSum = innerRule.integrate(
            edges: edges, terminationStart: start, relativeTolerance: tail(1e-13), quietPanels: resolution.quietPanels
          ) { t in
            let k = exp(t)
            let w = bessel.weights(harmonic: 1, argument: k * scale).pseudo
            var g = 0.0
            let y = p.Ω / k
            for b in bs {
              let u1 = (b + y) * inverseWidth
              let u2 = (b - y) * inverseWidth
              g += exp(-u1 * u1) + exp(-u2 * u2)
            }
            // k² dk = k³ d ln k; R_n carries 1/(kξ); k² k^(−α−2) = e^(−αt).
            return directionWeight * ξ * amplitude * exp(-fast.index * t) * w * g
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
