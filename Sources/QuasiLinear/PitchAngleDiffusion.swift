import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// D_μμ (c/L) of one spectral component split by resonance order n of k_∥v_∥ − ω + nΩ = 0:
/// transit-time damping (n = 0), gyroresonance (|n| = 1) and the higher harmonics (|n| ≥ 2,
/// with the power-law remainder of a truncated harmonic sum).
public struct ResonanceParts: Sendable, Hashable {
  public var transitTime: Double
  public var gyroresonance: Double
  public var higherHarmonics: Double
  /// D_μμ of the component: the three parts summed in the solver's order (harmonic by
  /// harmonic), equal to their sum up to round-off.
  public var total: Double

  public static let zero = ResonanceParts(transitTime: 0, gyroresonance: 0, higherHarmonics: 0, total: 0)

  public init(transitTime: Double, gyroresonance: Double, higherHarmonics: Double, total: Double) {
    self.transitTime = transitTime
    self.gyroresonance = gyroresonance
    self.higherHarmonics = higherHarmonics
    self.total = total
  }

  mutating func add(_ value: Double, harmonic m: Int) {
    switch abs(m) {
    case 0: transitTime += value
    case 1: gyroresonance += value
    default: higherHarmonics += value
    }
    total += value
  }

  func scaled(by factor: Double, total scaledTotal: Double) -> ResonanceParts {
    ResonanceParts(
      transitTime: factor * transitTime, gyroresonance: factor * gyroresonance, higherHarmonics: factor * higherHarmonics,
      total: scaledTotal)
  }
}

/// Quasi-linear pitch-angle diffusion coefficient D_μμ(μ) of a `TurbulenceSpectrum`
/// (docs/physics.md §3.1), the same spectrum value that synthesizes the fields.
///
///   D_μμ = Ω²(1 − μ²) Σ_n ∫ d³k R_n(k_∥vμ − ω + nΩ) [(nJ_n/w)² P_A + J_n′² ξ² P_θ],
///   w = k_⊥ r_L √(1 − μ²),  ξ = k_∥/k,
///
/// with P_A, P_θ the normalized power per polarization from `TurbulenceSpectrum.powerDensity`.
/// Units: code units (docs/physics.md §0): μ dimensionless, reduced rigidity R = r_L/L, particle
/// speed v in c, Ω = v/R in c/L, D_μμ in c/L.
///
/// Each family is evaluated on its own coordinates:
/// * slab: the same general formula with k_⊥ = 0, i.e. w = 0, where only n = ±1 survive with
///   weights (J_1(w)/w)² = J_1′(w)² = 1/4 (docs/physics.md §3.1, slab limit);
/// * isotropic, Alfvén (GS), slow (GS): cylindrical (k_⊥, k_∥), the sharp resonance fixing
///   k_∥ = |n|Ω/|vμ ∓ v_s| (a 1D k_⊥ integral per harmonic), the Gaussian one adding an outer
///   ln k_∥ integral clustered around each resonance;
/// * fast: spherical (k, ξ), so that the damping cut-off k_c(ξ) (LarmorCore's
///   `FastModeDamping.cutoff`) is evaluated at exactly the ξ of the integrand (docs/physics.md §3.6);
///   ξ panels end at the kinks of k_c(ξ) and where k_c(ξ) crosses the gyroresonant band.
///
/// Speed (`QuadratureResolution.standard`, the default): wide 8-point panels; fast-mode TTD from
/// the tabulated antiderivative `TransitTimeTable`; the broadened n = 0 term of slow modes from
/// the tabulated G(k_⊥) of `ParallelPowerTable` (its resonance factor does not depend on k);
/// exact Bessel weights of n ≤ 2 from `ExactWeightTable`; the GS k_⊥ integral of |n| = 1 from
/// its scaling form (`ConeIntegralTable`) where that applies; the fast-mode gyroresonance and GS
/// k_⊥ integrands evaluated on whole 8-point panels (`SIMD8`, inlined `fastExp`).
/// `.reference` keeps the original nested, tightly converged quadratures (tests compare the two).
///
/// Waves: fast modes have ω = ±k v_A, slow modes ω = ±k_∥ v_s, with equal power in both
/// propagation directions (average over the sign). Alfvén, slab and isotropic families are
/// magnetostatic (ω = 0; Yan & Lazarian neglect ω_A in the gyroresonance).
///
/// Deviation from docs/physics.md §3.4 (fast-mode TTD): integrating §3.1 over both signs of ξ with
/// waves in both directions gives 2π ∫₀¹dξ [R̃₀(μ − v_A/vξ) + R̃₀(μ + v_A/vξ)] for the n = 0
/// term, symmetric in μ, where the Fornieri et al. form has 4π ∫₀¹dξ R̃₀(μ − v_A/vξ). For
/// μ > 0 and a narrow resonance the published form is twice this one. The n = ±1 terms agree.
public struct PitchAngleDiffusion: Sendable {
  public let spectrum: TurbulenceSpectrum
  public let settings: SolverSettings

  let outerRule: PanelQuadrature
  let innerRule: PanelQuadrature
  /// With 8-point panels, the two hot integrands (GS k_⊥ integral, fast-mode gyroresonance) take
  /// a whole panel as SIMD8; false selects their scalar twins, which tests hold equal to ≤ 1e-12.
  var usesPanelwiseIntegrands = true
  /// GS k_⊥ integrals of harmonic 1 from the scaling form (`ConeIntegralTable`) where it
  /// applies; false integrates them directly (tests compare the two).
  var usesConeTables = true
  /// `ConeIntegralTable` of the Alfvén and the slow (pseudo) weight, if the spectrum has such a
  /// family and the resolution tabulates.
  let alfvenConeTable: ConeIntegralTable?
  let slowConeTable: ConeIntegralTable?
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
  /// `TurbulenceSpectrum.integrationCeiling`, once.
  let ceiling: Double

  public init(spectrum: TurbulenceSpectrum, settings: SolverSettings = SolverSettings()) {
    self.spectrum = spectrum
    self.settings = settings
    let ceiling = spectrum.integrationCeiling
    self.ceiling = ceiling
    self.bessel = BesselWeights(averagingThreshold: settings.besselAveragingThreshold)
    outerRule = PanelQuadrature(order: settings.resolution.order)
    innerRule = PanelQuadrature(order: settings.resolution.order)
    cosineRule = PanelQuadrature(order: settings.resolution.cosineOrder)
    var table: TransitTimeTable? = nil
    var kinks = [Double]()
    for c in spectrum.components {
      if case .fast(let fast) = c.family {
        if settings.resolution.tabulatesTransitTime { table = TransitTimeTable(index: fast.index, bessel: bessel) }
        kinks = fast.damping.kinks(minimumWavenumber: spectrum.minimumWavenumber, maximumWavenumber: ceiling)
        break
      }
    }
    transitTimeTable = table
    dampingKinks = kinks
    var gaussian = false
    if case .gaussian = settings.resonance { gaussian = true }
    parallelPowerTables = spectrum.components.map { c in
      gaussian && settings.resolution.tabulatesTransitTime
        ? ParallelPowerTable(c.family, minimumWavenumber: spectrum.minimumWavenumber, maximumWavenumber: ceiling)
        : nil
    }
    let tabulates = settings.resolution.tabulatesTransitTime
    alfvenConeTable =
      tabulates && spectrum.components.contains { $0.family.isAlfven } ? ConeIntegralTable.shared(.alfven, bessel: bessel) : nil
    slowConeTable =
      tabulates && spectrum.components.contains { $0.family.isSlow } ? ConeIntegralTable.shared(.pseudo, bessel: bessel) : nil
    var samples = [(ξ: Double, logξTop: Double)]()
    for c in spectrum.components {
      if case .fast(let fast) = c.family {
        var grid = (1..<1000).map { Double($0) / 1000 }
        grid += (1...60).flatMap { j -> [Double] in let g = pow(2, -Double(j) / 3); return [g, 1 - g] }
        for ξ in grid.filter({ $0 > 0 && $0 < 1 }).sorted() {
          let top = min(ceiling, fast.damping.cutoff(cosine: ξ, minimumWavenumber: spectrum.minimumWavenumber))
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
    componentResonances(i, cosine: μ, reducedRigidity: R, speed: v).total
  }

  /// D_μμ (c/L) of each component split by resonance order, in the order of
  /// `spectrum.components`.
  public func resonances(cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1) -> [ResonanceParts] {
    spectrum.components.indices.map { componentResonances($0, cosine: μ, reducedRigidity: R, speed: v) }
  }

  /// D_μμ (c/L) of component i split by resonance order n.
  public func componentResonances(_ i: Int, cosine μ: Double, reducedRigidity R: Double, speed v: Double = 1) -> ResonanceParts {
    guard abs(μ) < 1, μ.isFinite, R > 0, v > 0 else { return .zero }
    let particle = Particle(μ: μ, R: R, v: v)
    let family = spectrum.components[i].family
    let amplitude = spectrum.amplitudes[i]
    switch family {
    case .slab:
      return slab(family, amplitude: amplitude, phaseSpeed: settings.alfvenWavePhaseSpeed, particle)
    case .isotropic, .tabulated:
      return cylindrical(family, amplitude: amplitude, phaseSpeed: 0, particle)
    case .alfven:
      return cylindrical(family, amplitude: amplitude, phaseSpeed: settings.alfvenWavePhaseSpeed, particle)
    case .slow:
      return cylindrical(
        family, amplitude: amplitude, phaseSpeed: settings.slowPhaseSpeed, particle, table: parallelPowerTables[i])
    case .fast(let fast):
      let parts = fastModes(fast, amplitude: amplitude, particle)
      return ResonanceParts(
        transitTime: parts.transitTime, gyroresonance: parts.gyroresonance, higherHarmonics: 0,
        total: parts.transitTime + parts.gyroresonance)
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
  /// The upper k of every integral (1/L): k_max, or for k_max = ∞ the spectrum's
  /// `integrationCeiling` (beyond which it carries < 10⁻¹⁶ of its power).
  var kMax: Double { ceiling }
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
      case .isotropic, .tabulated: return (1, 100_000)
      case .slow, .fast: return (0, 1)
      }
    }
  }

  // MARK: - Slab (k_⊥ = 0, w = 0)

  func slab(_ family: ModeFamily, amplitude: Double, phaseSpeed vs: Double, _ p: Particle) -> ResonanceParts {
    let (lowest, highest) = harmonicRange(family)
    let prefactor = p.Ω * p.Ω * (1 - p.μ * p.μ)
    func power(_ k: Double, _ m: Int) -> Double {
      let g = family.shape(at: Vec3(0, 0, k), minimumWavenumber: kMin, maximumWavenumber: kMax) * amplitude
      let weight = bessel.weights(harmonic: m, argument: 0)
      return weight.alfven * g.alfven + weight.pseudo * g.pseudo
    }
    let directions = waveDirections(phaseSpeed: vs, p)
    var total = 0.0
    var parts = ResonanceParts.zero
    switch settings.resonance {
    case .sharp:
      for m in max(1, lowest)...highest {
        var term = 0.0
        var beyond = true
        for d in directions where d.a != 0 {
          let k = Double(m) * p.Ω / abs(d.a)
          guard k <= kMax else { continue }
          beyond = false
          term += d.weight * Double.pi / abs(d.a) * power(k, m)
        }
        if beyond { break }
        total += term
        parts.add(term, harmonic: m)
      }
    case .gaussian(let widthSquared):
      let Δ = widthSquared.squareRoot()
      let spread = p.perpendicularSpeed * Δ
      for m in lowest...highest {
        var term = 0.0
        for d in directions {
          let a = d.a
          let center = Double(m) * p.Ω / max(abs(a), 1e-300)
          var breaks = [log(kMin), log(kMax)]
          if m > 0 { breaks += cluster(log(center), min(spread / abs(a), 1)) }
          let edges = PanelEdges.make(from: log(kMin), to: log(kMax), maximumWidth: logStep, breakpoints: breaks)
          let part = outerRule.integrate(edges: edges) { t in
            let k = fastExp(t)
            let x = Double(m) * p.Ω / k
            let g1 = gaussian((a + x) / spread)
            let g2 = m == 0 ? 0 : gaussian((a - x) / spread)
            return Double.pi.squareRoot() / spread * (g1 + g2) * power(k, m)
          }
          term += d.weight * part
        }
        total += term
        parts.add(term, harmonic: m)
      }
    }
    return parts.scaled(by: prefactor, total: prefactor * total)
  }

  /// The wave directions of a family with parallel phase speed v_s (c): a = vμ − s v_s of the
  /// resonance k_∥a + nΩ = 0 and the node weight `SolverSettings.directionWeight` at
  /// ε = s v_s/v; one direction of weight 2 × `coefficient`'s weight at ε = 0 when v_s = 0 (both
  /// directions resonate alike).
  func waveDirections(phaseSpeed vs: Double, _ p: Particle) -> [(a: Double, weight: Double)] {
    if vs == 0 { return [(p.v * p.μ, 2 * settings.coefficient.weight(cosine: p.μ, phaseSpeedRatio: 0))] }
    return [1.0, -1.0].map { s in
      (p.v * p.μ - s * vs, settings.directionWeight(s, cosine: p.μ, phaseSpeedRatio: s * vs / p.v))
    }
  }

  // MARK: - Cylindrical (k_⊥, k_∥): isotropic, Alfvén, slow

  /// I_m(k_∥) = ∫ 2πk_⊥ dk_⊥ [(mJ_m/w)² P_A + J_m′² ξ² P_θ] in B₀² L⁻¹ (per unit k_∥).
  func perpendicularIntegral(_ family: ModeFamily, amplitude: Double, harmonic m: Int, parallel k: Double, _ p: Particle)
    -> Double
  {
    var lower = 0.0
    var upper = kMax
    var structure = k
    var tableBreaks: [Double] = []
    switch family {
    case .isotropic:
      guard k <= kMax else { return 0 }
      lower = kMin > k ? (kMin * kMin - k * k).squareRoot() : 0
      upper = (kMax * kMax - k * k).squareRoot()
      structure = max(k, kMin)
    case .alfven(let gs), .slow(let gs):
      guard k <= kMax, k >= gs.parallelFloorFactor * kMin else { return 0 }
      // Below k_⊥ = (k_∥ ℓ^{1/3}/(50 a))^{3/2} the cone factor exp(−…) is below e^{−50}.
      let coneWidth = gs.coneFactor * pow(kMin, 1.0 / 3.0)
      let ratio = k / coneWidth
      let cone = ratio * ratio.squareRoot()
      lower = max(gs.perpendicularCutoffFactor * kMin, cone / pow(50, 1.5))
      if m == 1, usesConeTables, lower > gs.perpendicularCutoffFactor * kMin,
        let table = family.isAlfven ? alfvenConeTable : slowConeTable,
        let value = table.integral(
          scale: cone * p.besselScale, upper: kMax / cone, epsilon: coneWidth * coneWidth * coneWidth / k)
      {
        return 2 * Double.pi * amplitude / (ratio * ratio) * value
      }
      structure = max(cone, lower)
    case .tabulated(let table):
      // Piecewise constant in k_⊥: the cell edges are the integrand's breaks.
      guard k <= table.parallelEdges.last! else { return 0 }
      lower = table.perpendicularEdges[0]
      upper = min(kMax, table.perpendicularEdges.last!)
      structure = max(table.perpendicularEdges[1], k)
      tableBreaks = table.logPerpendicularEdges
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
    breaks += tableBreaks.filter { $0 > a && $0 < b }
    let edges = PanelEdges.make(from: a, to: b, maximumWidth: logStep, breakpoints: breaks)
    // A table's integrand may grow again after quiet panels (power at large k_⊥ only): no early stop.
    let start = tableBreaks.isEmpty ? max(log(structure) + 1, log((3 + 2 * Double(m)) / max(scale, 1e-300)), a + 1) : b
    let k2 = k * k
    let cone = GoldreichSridharDensity(family, minimumWavenumber: kMin, maximumWavenumber: kMax)
    // A local copy, so that the integrands do not capture (copy, retain and release) `self`.
    let bessel = self.bessel
    if let cone, innerRule.nodes.count == 8, usesPanelwiseIntegrands {
      // The integrand below on a whole panel at once.
      return innerRule.integrate(
        edges: edges, terminationStart: start, relativeTolerance: tail(1e-12), quietPanels: resolution.quietPanels
      ) { (t: SIMD8<Double>) -> SIMD8<Double> in
        // k_⊥ = (e^(t/3))³: one exponential fewer than e^t and e^(t/3) (≈ 2 ulp apart).
        let c = fastExp(t * (1.0 / 3))
        let kPerp = c * c * c
        let power = cone.power(perpendicular: kPerp, cubeRoot: c, parallel: k)
        let argument = kPerp * scale
        let (alfvenWeight, pseudoWeight) = lanes { i -> (Double, Double) in
          guard power.alfven[i] != 0 || power.pseudo[i] != 0 else { return (0, 0) }
          let weight = bessel.weights(harmonic: m, argument: argument[i])
          return (weight.alfven, weight.pseudo)
        }
        let ξ2 = k2 / (k2 + kPerp * kPerp)
        return 2 * Double.pi * kPerp * kPerp * amplitude
          * (alfvenWeight * power.alfven + pseudoWeight * ξ2 * power.pseudo)
      }
    }
    return innerRule.integrate(
      edges: edges, terminationStart: start, relativeTolerance: tail(1e-12), quietPanels: resolution.quietPanels
    ) { t in
      let kPerp = fastExp(t)
      let power =
        cone?.power(perpendicular: kPerp, logPerpendicular: t, parallel: k)
        ?? family.shape(at: Vec3(kPerp, 0, k), minimumWavenumber: kMin, maximumWavenumber: kMax)
      if power.alfven == 0, power.pseudo == 0 { return 0 }
      let weight = bessel.weights(harmonic: m, argument: kPerp * scale)
      let ξ2 = k2 / (k2 + kPerp * kPerp)
      return 2 * Double.pi * kPerp * kPerp * amplitude * (weight.alfven * power.alfven + weight.pseudo * ξ2 * power.pseudo)
    }
  }

  func cylindrical(
    _ family: ModeFamily, amplitude: Double, phaseSpeed vs: Double, _ p: Particle, table: ParallelPowerTable? = nil
  ) -> ResonanceParts {
    let (lowest, highest) = harmonicRange(family)
    let prefactor = p.Ω * p.Ω * (1 - p.μ * p.μ)
    // Wave directions s = ±1: a_s = vμ − s v_s. For magnetostatic families both are equal.
    let directions = waveDirections(phaseSpeed: vs, p)
    var total = 0.0
    var parts = ResonanceParts.zero
    var quiet = 0
    var previous = 0.0
    var lastCorrected = Double.nan
    // Last harmonic with a resonant k_∥ = mΩ/|a| ≤ k_max (sharp resonance); none for a Gaussian.
    var lastOrder = Double.infinity
    if case .sharp = settings.resonance {
      lastOrder = (directions.map { abs($0.a) }.max() ?? 0) * kMax / p.Ω
      lastOrder.round(.down)
    }
    // Isotropic turbulence without k_max: the sum to infinity in closed form.
    var isotropicTail: IsotropicHarmonicTail? = nil
    var terms = [Double]()  // terms[m] when the tail is used (no allocation otherwise)
    if case .isotropic(let q) = family, spectrum.maximumWavenumber == .infinity, case .sharp = settings.resonance,
      case .automatic = settings.harmonics, directions.count == 1, lowest == 1
    {
      terms = [0.0]
      isotropicTail = IsotropicHarmonicTail(
        index: q, minimumWavenumber: kMin, resonantSpeed: abs(directions[0].a), gyrofrequency: p.Ω)
    }
    for m in lowest...highest {
      var term = 0.0
      switch settings.resonance {
      case .sharp:
        guard m > 0 else { continue }
        var beyond = true
        for (a, weight) in directions where a != 0 {
          let k = Double(m) * p.Ω / abs(a)
          if k <= kMax { beyond = false }
          term += weight * Double.pi / abs(a) * perpendicularIntegral(family, amplitude: amplitude, harmonic: m, parallel: k, p)
        }
        if beyond { return parts.scaled(by: prefactor, total: prefactor * total) }
      case .gaussian(let widthSquared):
        let spread = p.perpendicularSpeed * widthSquared.squareRoot()
        if m == 0, let table {
          // Separable n = 0 term (`ParallelPowerTable`).
          let integral = zeroHarmonicIntegral(table, amplitude: amplitude, p)
          for (a, weight) in directions {
            term += weight * Double.pi.squareRoot() / spread * exp(-(a / spread) * (a / spread)) * integral
          }
        } else {
          for (a, weight) in directions {
            term += weight * broadenedHarmonic(family, amplitude: amplitude, harmonic: m, a: a, spread: spread, p)
          }
        }
      }
      total += term
      parts.add(term, harmonic: m)
      if let isotropicTail {
        // Truncation of the closed-form tail: from order 32 on, the corrected sum C_m = S_m + T_m
        // must change by ≤ tolerance·C_m from C_{m−1}, and T_m's model error be ≤ tolerance·C_m/10,
        // twice in a row (measured against 600 summed orders: |C_m/C − 1| ≤ 3e-9 then).
        terms.append(term)
        let tolerance = settings.harmonicTolerance
        if m >= 32, let tail = isotropicTail.tail(terms: terms, order: m) {
          let corrected = total + tail.sum
          if tail.error <= 0.1 * tolerance * corrected, abs(corrected - lastCorrected) <= tolerance * corrected {
            quiet += 1
            if quiet >= 2 {
              var withTail = parts
              withTail.add(tail.sum, harmonic: m + 1)
              return withTail.scaled(by: prefactor, total: prefactor * corrected)
            }
          } else {
            quiet = 0
          }
          lastCorrected = corrected
        }
        continue
      }
      // Truncation (see `SolverSettings.harmonicTolerance`): the sum plus its power-law
      // remainder, C_m = S_m + T_m, must be stable, m·|C_m − C_{m−1}| ≤ tolerance·C_m, for three
      // consecutive orders; then C_m is returned.
      if m > 1, let tail = Self.remainder(previous: previous, term: term, order: m, lastOrder: lastOrder) {
        let corrected = total + tail
        if Double(m) * abs(corrected - lastCorrected) <= settings.harmonicTolerance * corrected {
          quiet += 1
          if quiet >= 3 {
            var withTail = parts
            withTail.add(tail, harmonic: m + 1)
            return withTail.scaled(by: prefactor, total: prefactor * corrected)
          }
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
    return parts.scaled(by: prefactor, total: prefactor * total)
  }

  /// Σ_{m<n≤M} t_n for terms continuing the power law t_n = t_m (n/m)^(−p) through t_{m−1} and
  /// t_m, p = ln(t_{m−1}/t_m)/ln(m/(m − 1)), by the midpoint integral
  /// t_m m^p [(m + ½)^(1−p) − (M + ½)^(1−p)]/(p − 1) (M = ∞ allowed); nil while p ≤ 1 (no
  /// power-law decay yet), 0 after a zero term.
  ///
  /// Evaluated as t_m (m + ½) (m/(m + ½))^p [1 − ((M + ½)/(m + ½))^(1−p)]/(p − 1), in which
  /// both powers lie in [0, 1]: the literal form overflows m^p (m = 134, p = 146 gives ∞ times
  /// a bracket of 1e-309) where the remainder itself is tiny.
  static func remainder(previous: Double, term: Double, order m: Int, lastOrder M: Double) -> Double? {
    if term <= 0 { return 0 }
    guard previous > 0, m > 1 else { return nil }
    let p = log(previous / term) / log(Double(m) / Double(m - 1))
    guard p > 1, p.isFinite else { return nil }
    let middle = Double(m) + 0.5
    let shrink = pow(Double(m) / middle, p)
    let beyond = M.isFinite ? pow((M + 0.5) / middle, 1 - p) : 0
    return max(0, term * middle * shrink * (1 - beyond) / (p - 1))
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
      let kPerp = fastExp(t)
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
    if case .alfven(let gs) = family, gs.parallelFloorFactor > 0 { breaks.append(log(gs.parallelFloorFactor * kMin)) }
    if case .slow(let gs) = family, gs.parallelFloorFactor > 0 { breaks.append(log(gs.parallelFloorFactor * kMin)) }
    // No quiet-panel stop before the k_∥ floor: below it the integrand is zero.
    start = max(start, (breaks.dropFirst().first ?? -.infinity) + 1)
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
      let k = fastExp(t)
      let x = mΩ / k
      let u1 = (a + x) / spread
      var gauss = gaussian(u1)
      if m > 0 {
        let u2 = (a - x) / spread
        gauss += gaussian(u2)
      }
      if gauss < 1e-300 { return 0 }
      return norm * gauss * perpendicularIntegral(family, amplitude: amplitude, harmonic: m, parallel: k, p)
    }
  }
}
