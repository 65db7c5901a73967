/// Panel layout and stopping rules of the pitch-angle solver's quadratures (docs/physics.md §3.6).
/// `.reference` is the tightly converged layout (the solver's original one, kept to check the
/// fast one); `.standard` uses wider, higher-order panels, looser tail stopping and tables, and
/// agrees with `.reference` to ≲ 5e-4 for the media's D_μμ (ReferenceAgreementTests).
public struct QuadratureResolution: Sendable, Hashable {
  /// Gauss–Legendre nodes per panel.
  public var order: Int
  /// Largest panel width in ln k (divided by `SolverSettings.refinement`).
  public var logStep: Double
  /// Panel edges around a Gaussian resonance every `clusterSpacing` standard deviations out to
  /// ±`clusterReach` (plus one edge at ±1.5 × reach).
  public var clusterSpacing: Double
  public var clusterReach: Double
  /// Largest fast-mode ξ panel width (divided by `refinement`), and the ratio of successive
  /// geometric ξ breakpoints toward ξ = 0 and 1 (where damping cut-offs vary steeply).
  public var cosineStep: Double
  public var cosineRatio: Double
  /// Gauss–Legendre nodes per fast-mode ξ panel.
  public var cosineOrder: Int
  /// Early termination of power-law tails: stop after `quietPanels` panels each adding less than
  /// `tailTolerance` of the running total (nil: the per-integral tolerances 1e-10…1e-13 of
  /// the reference layout).
  public var tailTolerance: Double?
  public var quietPanels: Int
  /// Bessel-oscillation panels span this many periods π of the argument w (fast-mode
  /// gyroresonance: `fastBesselPeriods`; there the oscillating range is a small part of D_μμ
  /// and 2π panels leave the agreement with `.reference` unchanged).
  public var besselPeriods: Double
  public var fastBesselPeriods: Double
  /// Use the tables: fast-mode transit-time damping from the antiderivative of k^(−α−1)J_1²(kc)
  /// (`TransitTimeTable`) instead of a quadrature per ξ, and the broadened n = 0 term of slow
  /// modes from G(k_⊥) (`ParallelPowerTable`) instead of a nested quadrature, and the GS k_⊥
  /// integrals of |n| = 1 from their scaling form (`ConeIntegralTable`).
  public var tabulatesTransitTime: Bool
  /// Fast modes near ξ = 1: above this ξ the ξ integral runs in η = (1 − ξ)^(1/4) on panels of
  /// at most `substitutedCosineStep` in η instead of on geometric breakpoints 1 − ξ = r^(−j).
  /// The k integrals there carry terms in (1 − ξ²)^(α/2) = (1 − ξ²)^(3/4) (from the Bessel
  /// argument k r_L sinα √(1 − ξ²)), which are smooth in η. nil: the geometric breakpoints.
  public var cosineSubstitutionStart: Double?
  public var substitutedCosineStep: Double
  /// Smallest geometric fast-mode ξ breakpoint toward ξ = 0 (below it the gyroresonance falls
  /// as a high power of ξ and the transit-time factor is bracketed by its own edges).
  public var smallestCosineBreakpoint: Double
  /// Compact fast-mode panels: gyroresonance k panels only where the breakpoints leave gaps
  /// wider than `logStep` (`PanelEdges.fill`), one cluster for both wave directions when
  /// their resonances lie within half a cluster spacing, the k integral starting `clusterReach`
  /// standard deviations below the resonance, and a ξ edge where the transit-time integral's
  /// Bessel argument at the support edge, k_top r_L sinα √(1 − ξ²), is 1. false: the layout of
  /// `.reference`.
  public var compactsFastModePanels: Bool
  /// Tail tolerance of the fast-mode gyroresonance k integral (nil: `tailTolerance`).
  public var fastTailTolerance: Double?
  /// Fast-mode ξ edges where k_top(ξ) crosses the gyroresonant band are placed at levels up to
  /// this many resonance widths from its centre (nil: `clusterReach`).
  public var resonanceCrossingReach: Double?

  public init(
    order: Int, logStep: Double, clusterSpacing: Double, clusterReach: Double, cosineStep: Double, cosineRatio: Double,
    cosineOrder: Int, tailTolerance: Double?, quietPanels: Int, besselPeriods: Double, fastBesselPeriods: Double,
    tabulatesTransitTime: Bool, cosineSubstitutionStart: Double? = nil, substitutedCosineStep: Double = 0.05,
    smallestCosineBreakpoint: Double = 3e-5, compactsFastModePanels: Bool = false, fastTailTolerance: Double? = nil,
    resonanceCrossingReach: Double? = nil
  ) {
    self.resonanceCrossingReach = resonanceCrossingReach
    self.cosineSubstitutionStart = cosineSubstitutionStart
    self.substitutedCosineStep = substitutedCosineStep
    self.smallestCosineBreakpoint = smallestCosineBreakpoint
    self.compactsFastModePanels = compactsFastModePanels
    self.fastTailTolerance = fastTailTolerance
    self.fastBesselPeriods = fastBesselPeriods
    self.besselPeriods = besselPeriods
    self.cosineOrder = cosineOrder
    self.order = order
    self.logStep = logStep
    self.clusterSpacing = clusterSpacing
    self.clusterReach = clusterReach
    self.cosineStep = cosineStep
    self.cosineRatio = cosineRatio
    self.tailTolerance = tailTolerance
    self.quietPanels = quietPanels
    self.tabulatesTransitTime = tabulatesTransitTime
  }

  /// The original, tightly converged layout: 6-point panels of ≤ 0.5 in ln k, clusters every
  /// σ/2 to ±8σ, ξ panels ≤ 1/8 with breakpoints 2^(−j/2), tails to 1e-10…1e-13.
  public static let reference = QuadratureResolution(
    order: 6, logStep: 0.5, clusterSpacing: 0.5, clusterReach: 8, cosineStep: 1.0 / 8, cosineRatio: 2.0.squareRoot(),
    cosineOrder: 6, tailTolerance: nil, quietPanels: 6, besselPeriods: 1, fastBesselPeriods: 1,
    tabulatesTransitTime: false)

  /// The fast layout used by default: 8-point panels of ≤ 1.5 in ln k, clusters every 1.5σ to
  /// ±5σ, 6-point ξ panels ≤ 1/4 with breakpoints 3^(−j) down to 10⁻³ and η = (1 − ξ)^(1/4)
  /// panels ≤ 0.05 above ξ = 1/2, resonance crossings at 0 and ±3 widths, tails to 1e-10
  /// (2 quiet panels; fast-mode gyroresonance 1e-7), compact fast-mode gyroresonance panels of
  /// 2π in w, and the tables (`TransitTimeTable`, `ParallelPowerTable`).
  public static let standard = QuadratureResolution(
    order: 8, logStep: 1.5, clusterSpacing: 1.5, clusterReach: 5, cosineStep: 1.0 / 4, cosineRatio: 3,
    cosineOrder: 6, tailTolerance: 1e-10, quietPanels: 2, besselPeriods: 1, fastBesselPeriods: 2,
    tabulatesTransitTime: true, cosineSubstitutionStart: 0.5, substitutedCosineStep: 0.05,
    smallestCosineBreakpoint: 1e-3, compactsFastModePanels: true, fastTailTolerance: 1e-7,
    resonanceCrossingReach: 3)
}
