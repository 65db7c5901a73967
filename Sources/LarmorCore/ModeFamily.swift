import RealModule

/// The kinds of turbulence Larmor synthesizes and treats in QLT, each with its spectral shape,
/// support in k-space and polarization (docs/physics.md §1–2). Wave numbers are in 1/L; the outer
/// scale that enters the Goldreich–Sridhar cone and the fast-mode damping formulas is
/// ℓ = 1/k_min (the YL/Fornieri convention x = kℓ ≥ 1, docs/physics.md §0).
public enum ModeFamily: Sendable, Hashable {
  /// k ∥ B₀ only, δB ⊥ B₀ with both transverse polarizations equally; two-sided 1D spectrum
  /// g(k) ∝ |k|^(−index) (index q, Kolmogorov 5/3).
  case slab(index: Double)
  /// Isotropic magnetostatic turbulence, omnidirectional E(k) ∝ k^(−index) (5/3 for Kolmogorov),
  /// random polarization ⊥ k: P_ij = E/(8πk²)(δ_ij − k_ik_j/k²).
  case isotropic(index: Double)
  /// Alfvén modes on the Goldreich–Sridhar (CLV) spectrum, δB along ê_A.
  case alfven(GoldreichSridhar)
  /// Slow (pseudo-Alfvén) modes on the same spectrum, δB along ê_θ.
  case slow(GoldreichSridhar)
  /// Fast modes: isotropic E(k) ∝ k^(−index) (3/2, i.e. k^(−7/2) per d³k), δB along ê_θ,
  /// optionally truncated by damping at k_c(ξ).
  case fast(FastModes)
  /// A measured or computed spectrum: power per polarization in (k_⊥, |k_∥|) cells, static
  /// (`TabulatedSpectrum`). Its support is the table's; k_min and k_max do not cut it.
  case tabulated(TabulatedSpectrum)

  /// A short name, as used in spec files and outputs.
  public var name: String {
    switch self {
    case .slab: "slab"
    case .isotropic: "isotropic"
    case .alfven: "alfven"
    case .slow: "slow"
    case .fast: "fast"
    case .tabulated: "tabulated"
    }
  }

  /// True for the one-dimensional slab geometry (power only on the k_⊥ = 0 line).
  public var isSlab: Bool { if case .slab = self { true } else { false } }

  /// Unnormalized power at wave vector k, per polarization. For the slab family this is the 1D
  /// density g(k_z) (zero unless k_⊥ = 0); for the others a density per d³k. Zero outside the
  /// support [k_min, k_max] (and the family's own cuts).
  @inlinable public func shape(at k: Vec3, minimumWavenumber kMin: Double, maximumWavenumber kMax: Double)
    -> PolarizedPower
  {
    let kPerp = k.perpendicularLength
    switch self {
    case .slab(let q):
      let kz = abs(k.z)
      guard kPerp == 0, kz >= kMin, kz <= kMax else { return .zero }
      let g = Double.pow(kz, -q)
      return PolarizedPower(alfven: g / 2, pseudo: g / 2)
    case .isotropic(let s):
      let kk = k.length
      guard kk >= kMin, kk <= kMax else { return .zero }
      let each = Double.pow(kk, -s) / (8 * .pi * kk * kk)
      return PolarizedPower(alfven: each, pseudo: each)
    case .alfven(let gs):
      let p = gs.density(perpendicular: kPerp, parallel: k.z, minimumWavenumber: kMin, maximumWavenumber: kMax)
      return PolarizedPower(alfven: p, pseudo: 0)
    case .slow(let gs):
      let p = gs.density(perpendicular: kPerp, parallel: k.z, minimumWavenumber: kMin, maximumWavenumber: kMax)
      return PolarizedPower(alfven: 0, pseudo: p)
    case .fast(let fast):
      let kk = k.length
      guard kk >= kMin, kk <= kMax else { return .zero }
      let cosine = abs(k.z) / kk
      guard kk <= fast.damping.cutoff(cosine: cosine, minimumWavenumber: kMin) else { return .zero }
      let p = Double.pow(kk, -fast.index - 2)
      // k ∥ B₀: ê_θ is degenerate with ê_A; split the transverse power equally.
      return kPerp > 0 ? PolarizedPower(alfven: 0, pseudo: p) : PolarizedPower(alfven: p / 2, pseudo: p / 2)
    case .tabulated(let table):
      return table.density(perpendicular: kPerp, parallel: k.z)
    }
  }

  /// The index q of the one-dimensional spectrum E(k) ∝ k^(−q) in the inertial range: the
  /// slab, isotropic and fast index; 5/3 for the Goldreich–Sridhar families (in k_⊥). The
  /// power above k falls as k^(1−q). A table has no power above its last edge: +∞.
  public var inertialIndex: Double {
    switch self {
    case .slab(let q): q
    case .isotropic(let s): s
    case .alfven, .slow: 5.0 / 3.0
    case .fast(let f): f.index
    case .tabulated: .infinity
    }
  }

  /// ∫ shape.total over its support: ∫ g dk over k ∈ (−∞, ∞) for slab, ∫ d³k otherwise.
  /// Dividing `shape` by this gives a spectrum of unit variance.
  public func continuumIntegral(minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) -> Double {
    switch self {
    case .slab(let q):
      return 2 * powerLawIntegral(exponent: -q, from: kMin, to: kMax)
    case .isotropic(let s):
      return powerLawIntegral(exponent: -s, from: kMin, to: kMax)
    case .alfven(let gs), .slow(let gs):
      return gs.continuumIntegral(minimumWavenumber: kMin, maximumWavenumber: kMax)
    case .fast(let fast):
      return fast.continuumIntegral(minimumWavenumber: kMin, maximumWavenumber: kMax)
    case .tabulated(let table):
      return table.variance
    }
  }
}

/// ∫_a^b k^p dk, including p = −1.
@inlinable public func powerLawIntegral(exponent p: Double, from a: Double, to b: Double) -> Double {
  guard b > a else { return 0 }
  if abs(p + 1) < 1e-12 { return Double.log(b / a) }
  return (Double.pow(b, p + 1) - Double.pow(a, p + 1)) / (p + 1)
}

/// The Goldreich–Sridhar spectrum in the Cho–Lazarian–Vishniac form (docs/physics.md §1.3):
///   I(k_⊥, k_∥) ∝ k_⊥^(−10/3) exp(−ℓ^(1/3)|k_∥| / (a k_⊥^(2/3))),   k_⊥ ≥ k_⊥,min,
/// with ℓ = 1/k_min, cone factor a = M_A^(4/3) and k_⊥,min = M_A^(−2)/ℓ for sub-Alfvénic injection
/// (M_A ≤ 1, Lazarian & Vishniac 1999), a = M_A and k_⊥,min = M_A³/ℓ for super-Alfvénic injection.
/// The weak-turbulence range of sub-Alfvénic injection (ℓ > l > ℓM_A²) and the hydrodynamic
/// range of super-Alfvénic injection are left out, as in Yan & Lazarian (2008) and Fornieri et al. (2021).
/// Anisotropy is built about the global B₀; it matches the local-frame GS scaling only for M_A ≪ 1.
/// An optional k_∥ floor, |k_∥| ≥ f k_min (`parallelFloorFactor` f), removes the modes longer along
/// B₀ than the injection scale allows: in sub-Alfvénic turbulence the strong cascade below
/// l_tr = ℓM_A² keeps the parallel scale of injection, k_∥ ≳ 1/ℓ (f = 1).
public struct GoldreichSridhar: Sendable, Hashable {
  /// Alfvén Mach number M_A = δV_L/v_A at the injection scale.
  public let machNumber: Double
  /// f ≥ 0: the density is zero for |k_∥| < f k_min (0: no floor).
  public let parallelFloorFactor: Double

  public init(machNumber: Double = 1, parallelFloorFactor: Double = 0) {
    self.machNumber = machNumber
    self.parallelFloorFactor = parallelFloorFactor
  }

  /// The critical-balance cone factor a: |k_∥| ≲ a ℓ^(−1/3) k_⊥^(2/3).
  @inlinable public var coneFactor: Double {
    machNumber <= 1 ? Double.pow(machNumber, 4.0 / 3.0) : machNumber
  }

  /// k_⊥,min in units of k_min: M_A^(−2) (sub-Alfvénic) or M_A³ (super-Alfvénic).
  @inlinable public var perpendicularCutoffFactor: Double {
    machNumber <= 1 ? 1 / (machNumber * machNumber) : machNumber * machNumber * machNumber
  }

  /// Unnormalized density per d³k; zero outside k_⊥,min ≤ k_⊥ ≤ k_max, f k_min ≤ |k_∥| ≤ k_max.
  @inlinable public func density(
    perpendicular kPerp: Double, parallel kPar: Double, minimumWavenumber kMin: Double, maximumWavenumber kMax: Double
  ) -> Double {
    guard kPerp >= perpendicularCutoffFactor * kMin * (1 - 1e-12), kPerp <= kMax, abs(kPar) <= kMax,
      abs(kPar) >= parallelFloorFactor * kMin
    else { return 0 }
    let width = coneFactor * Double.pow(kMin, 1.0 / 3.0) * Double.pow(kPerp, 2.0 / 3.0)
    return Double.pow(kPerp, -10.0 / 3.0) * Double.exp(-abs(kPar) / width)
  }

  /// ∫ density d³k = ∫ 2πk_⊥ dk_⊥ k_⊥^(−10/3) · 2w(e^(−k_f/w) − e^(−k_max/w)), w = a ℓ^(−1/3) k_⊥^(2/3),
  /// k_f = f k_min, by composite Gauss–Legendre in ln k_⊥ (the integrand is smooth there). For
  /// k_max = ∞ without a floor the bracket is 1 and the integral 4πaℓ^(−1/3) ∫ k_⊥^(−5/3) dk_⊥ is
  /// closed: 6πaℓ^(−1/3) k_⊥,min^(−2/3); with a floor that closed form minus the quadrature of
  /// 4πaℓ^(−1/3) k_⊥^(−5/3)(1 − e^(−k_f/w)), which falls as k_⊥^(−7/3) (to k_⊥ = e^40 k_⊥,min).
  public func continuumIntegral(minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) -> Double {
    let lower = perpendicularCutoffFactor * kMin
    let floor = parallelFloorFactor * kMin
    guard kMax > lower, kMax > floor else { return 0 }
    let rule = GaussLegendre(order: 16)
    func width(_ kPerp: Double) -> Double { coneFactor * Double.pow(kMin, 1.0 / 3.0) * Double.pow(kPerp, 2.0 / 3.0) }
    if kMax == .infinity {
      let closed = 6 * .pi * coneFactor * Double.pow(kMin, 1.0 / 3.0) * Double.pow(lower, -2.0 / 3.0)
      guard floor > 0 else { return closed }
      let removed = rule.integrate(from: Double.log(lower), to: Double.log(lower) + 40, panels: 160) { u in
        let kPerp = Double.exp(u)
        let w = width(kPerp)
        return kPerp * 2 * .pi * kPerp * Double.pow(kPerp, -10.0 / 3.0) * 2 * w * -Double.expMinusOne(-floor / w)
      }
      return closed - removed
    }
    let panels = max(4, Int((Double.log(kMax / lower) / 0.25).rounded(.up)))
    return rule.integrate(from: Double.log(lower), to: Double.log(kMax), panels: panels) { u in
      let kPerp = Double.exp(u)
      let w = width(kPerp)
      // Without a floor the original form, so that unfloored spectra keep their bits.
      let parallel = floor > 0 ? 2 * w * (Double.exp(-floor / w) - Double.exp(-kMax / w)) : 2 * w * -Double.expMinusOne(-kMax / w)
      return 2 * .pi * kPerp * kPerp * Double.pow(kPerp, -10.0 / 3.0) * parallel
    }
  }
}

/// Fast magnetosonic modes (docs/physics.md §1.4–1.5): isotropic E(k) ∝ k^(−index), index 3/2.
public struct FastModes: Sendable, Hashable {
  public let index: Double
  public let damping: FastModeDamping

  public init(index: Double = 1.5, damping: FastModeDamping = .none) {
    self.index = index
    self.damping = damping
  }

  /// ∫ k^(−index−2) d³k over k_min ≤ k ≤ min(k_max, k_c(ξ)) = 4π ∫₀¹ dξ ∫ k^(−index) dk.
  public func continuumIntegral(minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) -> Double {
    if damping == .none { return 4 * .pi * powerLawIntegral(exponent: -index, from: kMin, to: kMax) }
    let rule = GaussLegendre(order: 16)
    return 4 * .pi
      * rule.integrate(from: 0, to: 1, panels: 128) { ξ in
        let upper = min(kMax, damping.cutoff(cosine: ξ, minimumWavenumber: kMin))
        return powerLawIntegral(exponent: -index, from: kMin, to: upper)
      }
  }
}

/// Where damping truncates the fast-mode cascade, as a function of ξ = cos θ = |k_∥|/k
/// (docs/physics.md §1.5, after Yan & Lazarian 2004 and the Fornieri et al. code). Every cut present
/// applies; the effective k_c(ξ) is the smallest. All scales are in units of ℓ = 1/k_min.
public struct FastModeDamping: Sendable, Hashable {
  /// An isotropic truncation k_c ℓ (no angular dependence).
  public var sharpCutoff: Double?
  /// Viscous (Braginskii) damping scale x_c: k_c ℓ = x_c(1 − ξ²)^(−2/3) for β ≪ 1,
  /// x_c(1 − 3ξ²)^(−4/3) for β ≫ 1.
  public var viscousScale: Double?
  /// True to use the high-β form of viscous damping.
  public var highBeta: Bool
  /// Collisionless (Landau) damping for plasma β ≪ 1 and Mach number M_A:
  /// k_c ℓ = 4M_A⁴γ_m ξ² / (πβ(1 − ξ²)²) · exp(2/(βγ_mξ²)), γ_m = m_p/m_e.
  public var collisionless: Collisionless?

  public struct Collisionless: Sendable, Hashable {
    public var plasmaBeta: Double
    public var machNumber: Double
    public init(plasmaBeta: Double, machNumber: Double) {
      self.plasmaBeta = plasmaBeta
      self.machNumber = machNumber
    }
  }

  /// Largest k_c ℓ any formula returns; the exponentials above overflow towards ξ → 0, 1.
  public static let ceiling = 1e15

  /// Proton-to-electron mass ratio γ_m.
  public static let protonElectronMassRatio = 1836.152_673_43

  public init(
    sharpCutoff: Double? = nil, viscousScale: Double? = nil, highBeta: Bool = false,
    collisionless: Collisionless? = nil
  ) {
    self.sharpCutoff = sharpCutoff
    self.viscousScale = viscousScale
    self.highBeta = highBeta
    self.collisionless = collisionless
  }

  public static let none = FastModeDamping()

  /// k_c(ξ) in 1/L: the smallest of the cuts present, times k_min = 1/ℓ.
  @inlinable public func cutoff(cosine ξ: Double, minimumWavenumber kMin: Double) -> Double {
    var x = Self.ceiling
    if let sharp = sharpCutoff { x = min(x, sharp) }
    if let xc = viscousScale {
      let base = highBeta ? 1 - 3 * ξ * ξ : 1 - ξ * ξ
      if base > 0 { x = min(x, xc * Double.pow(base, highBeta ? -4.0 / 3.0 : -2.0 / 3.0)) }
    }
    if let c = collisionless, ξ > 0, ξ < 1 {
      let γm = Self.protonElectronMassRatio
      let exponent = 2 / (c.plasmaBeta * γm * ξ * ξ)
      if exponent < 700 {
        let oneMinus = 1 - ξ * ξ
        let prefactor = 4 * Double.pow(c.machNumber, 4) * γm * ξ * ξ / (.pi * c.plasmaBeta * oneMinus * oneMinus)
        x = min(x, prefactor * Double.exp(exponent))
      }
    }
    return x * kMin
  }
}
