import Foundation

/// A cross section tabulated against kinetic energy per nucleon: σ in mb at E in GeV/n,
/// interpolated linearly in ln E and held constant outside the table (the tables here end at
/// 1–100 GeV/n, where nuclear cross sections are flat to ≲ 1%).
public struct EnergyTable: Sendable, Equatable {
  /// Kinetic energies per nucleon in GeV/n, strictly increasing.
  public let energiesGeVPerNucleon: [Double]
  /// Cross sections in mb.
  public let valuesMillibarn: [Double]

  /// - Parameters: energies (GeV/n, > 0, strictly increasing after sorting) and σ (mb, ≥ 0).
  public init(
    energiesGeVPerNucleon: [Double], valuesMillibarn: [Double], name: String = "crossSection"
  )
    throws(TransportError)
  {
    guard !energiesGeVPerNucleon.isEmpty, energiesGeVPerNucleon.count == valuesMillibarn.count
    else {
      throw .invalidTable(name: name, reason: "needs ≥ 1 point and equal counts")
    }
    let order = energiesGeVPerNucleon.indices.sorted {
      energiesGeVPerNucleon[$0] < energiesGeVPerNucleon[$1]
    }
    let e = order.map { energiesGeVPerNucleon[$0] }
    let s = order.map { valuesMillibarn[$0] }
    for i in e.indices {
      try Validate.positive(e[i], name + ".energyGeVPerNucleon", unit: " GeV/n")
      try Validate.nonNegative(s[i], name + ".sigmaMillibarn", unit: " mb")
      if i > 0, !(e[i] > e[i - 1]) {
        throw .invalidTable(name: name, reason: "duplicate energy \(e[i]) GeV/n")
      }
    }
    self.energiesGeVPerNucleon = e
    self.valuesMillibarn = s
  }

  /// An energy-independent cross section σ (mb, ≥ 0).
  public static func constant(_ sigmaMillibarn: Double, name: String = "crossSection")
    throws(TransportError) -> EnergyTable
  {
    try EnergyTable(energiesGeVPerNucleon: [1], valuesMillibarn: [sigmaMillibarn], name: name)
  }

  /// σ in mb at E (GeV/n).
  public func value(kineticEnergyPerNucleon e: Double) -> Double {
    let xs = energiesGeVPerNucleon
    let ys = valuesMillibarn
    if xs.count == 1 || e <= xs[0] { return ys[0] }
    if e >= xs[xs.count - 1] { return ys[ys.count - 1] }
    var k = 0
    while xs[k + 1] < e { k += 1 }
    let t = log(e / xs[k]) / log(xs[k + 1] / xs[k])
    return ys[k] + t * (ys[k + 1] - ys[k])
  }

  /// The table multiplied by a constant factor (≥ 0).
  func scaled(by factor: Double) -> EnergyTable {
    // Safe: factor ≥ 0 keeps every value valid.
    (try? EnergyTable(
      energiesGeVPerNucleon: energiesGeVPerNucleon,
      valuesMillibarn: valuesMillibarn.map { $0 * factor }))
      ?? self
  }
}

/// The nuclear cross sections of the C, N, O → ¹⁰B, ¹¹B network, per target nucleus, on H and He.
///
/// * Destruction: total inelastic σ of each nucleus on H and on He.
/// * Production: cumulative partial σ_{P→S} (ghosts such as ¹¹C → ¹¹B, ¹⁰C → ¹⁰B included) on H;
///   on He, σ_{P→S}(He) = σ_{P→S}(H) · σ_inel,P(He)/σ_inel,P(H), i.e. the branching fraction to
///   S per inelastic collision is assumed the same on He as on H (an approximation, ±20%).
/// The rate per hydrogen atom in the gas is σ_H + f σ_He with f = n_He/n_H
/// (docs/physics.md §5.2: per target particle, (σ_H + f σ_He)/(1 + f)).
public struct NuclearCrossSections: Sendable {
  /// Total inelastic σ on H, by nucleus.
  public var inelasticOnHydrogen: [Nucleus: EnergyTable]
  /// Total inelastic σ on He, by nucleus.
  public var inelasticOnHelium: [Nucleus: EnergyTable]
  /// Cumulative partial σ on H, keyed by [projectile][fragment].
  public var partialOnHydrogen: [Nucleus: [Nucleus: EnergyTable]]

  /// Explicit tables (e.g. constants for checks).
  public init(
    inelasticOnHydrogen: [Nucleus: EnergyTable], inelasticOnHelium: [Nucleus: EnergyTable],
    partialOnHydrogen: [Nucleus: [Nucleus: EnergyTable]]
  ) {
    self.inelasticOnHydrogen = inelasticOnHydrogen
    self.inelasticOnHelium = inelasticOnHelium
    self.partialOnHydrogen = partialOnHydrogen
  }

  /// Cross sections from the bundled tables:
  /// * partial cumulative σ: `xsec_partial_CNO_to_B_highenergy.csv` (DRAGON2 default,
  ///   Evoli et al. 2019 cumulative "modified"; points at 1, 10, 100 GeV/n, ln E interpolation);
  /// * inelastic σ on H and He: `xsec_inelastic_highenergy.csv`, model "Tripathi99+Coste12
  ///   (USINE v3.5)" (points at 1 and 6.295 GeV/n; constant above — the crams Tripathi99 table
  ///   changes by < 0.1% from 10 to 100 GeV/n).
  public static func bundled() throws(TransportError) -> NuclearCrossSections {
    let known: [String: Nucleus] = [
      "10B": .boron10, "11B": .boron11, "12C": .carbon12, "14N": .nitrogen14, "16O": .oxygen16,
    ]
    let partialName = "xsec_partial_CNO_to_B_highenergy"
    let partial = try CSVTable.bundled(partialName)
    let pProj = try partial.columnIndex("projectile", table: partialName)
    let pFrag = try partial.columnIndex("fragment", table: partialName)
    let pTarget = try partial.columnIndex("target", table: partialName)
    let pE = try partial.columnIndex("E_GeVn", table: partialName)
    let pS = try partial.columnIndex("sigma_mb", table: partialName)
    var partialPoints: [Nucleus: [Nucleus: [(Double, Double)]]] = [:]
    for r in partial.rows.indices {
      guard partial.rows[r][pTarget] == "H", let p = known[partial.rows[r][pProj]],
        let f = known[partial.rows[r][pFrag]]
      else { continue }
      let e = try partial.number(row: r, column: pE, table: partialName)
      let s = try partial.number(row: r, column: pS, table: partialName)
      partialPoints[p, default: [:]][f, default: []].append((e, s))
    }
    let inelasticName = "xsec_inelastic_highenergy"
    let inelastic = try CSVTable.bundled(inelasticName)
    let iN = try inelastic.columnIndex("nucleus", table: inelasticName)
    let iT = try inelastic.columnIndex("target", table: inelasticName)
    let iM = try inelastic.columnIndex("model", table: inelasticName)
    let iE = try inelastic.columnIndex("E_GeVn", table: inelasticName)
    let iS = try inelastic.columnIndex("sigma_inel_mb", table: inelasticName)
    var onH: [Nucleus: [(Double, Double)]] = [:]
    var onHe: [Nucleus: [(Double, Double)]] = [:]
    for r in inelastic.rows.indices {
      guard inelastic.rows[r][iM] == "Tripathi99+Coste12 (USINE v3.5)",
        let n = known[inelastic.rows[r][iN]]
      else { continue }
      let point = (
        try inelastic.number(row: r, column: iE, table: inelasticName),
        try inelastic.number(row: r, column: iS, table: inelasticName)
      )
      if inelastic.rows[r][iT] == "H" { onH[n, default: []].append(point) }
      if inelastic.rows[r][iT] == "He" { onHe[n, default: []].append(point) }
    }
    func table(_ points: [(Double, Double)], _ name: String) throws(TransportError) -> EnergyTable {
      try EnergyTable(
        energiesGeVPerNucleon: points.map(\.0), valuesMillibarn: points.map(\.1), name: name)
    }
    var result = NuclearCrossSections(
      inelasticOnHydrogen: [:], inelasticOnHelium: [:], partialOnHydrogen: [:])
    for (n, points) in onH { result.inelasticOnHydrogen[n] = try table(points, "inelastic.\(n).H") }
    for (n, points) in onHe { result.inelasticOnHelium[n] = try table(points, "inelastic.\(n).He") }
    for (p, fragments) in partialPoints {
      for (f, points) in fragments {
        result.partialOnHydrogen[p, default: [:]][f] = try table(points, "partial.\(p)->\(f).H")
      }
    }
    for n in [Nucleus.boron10, .boron11, .carbon12, .nitrogen14, .oxygen16]
    where result.inelasticOnHydrogen[n] == nil || result.inelasticOnHelium[n] == nil {
      throw .dataFile(name: inelasticName, reason: "no H and He inelastic cross sections for \(n)")
    }
    return result
  }

  /// Total inelastic σ of `nucleus` on H in mb at E (GeV/n); 0 if not tabulated.
  public func inelasticHydrogen(_ nucleus: Nucleus, kineticEnergyPerNucleon e: Double) -> Double {
    inelasticOnHydrogen[nucleus]?.value(kineticEnergyPerNucleon: e) ?? 0
  }

  /// Total inelastic σ of `nucleus` on He in mb at E (GeV/n); 0 if not tabulated.
  public func inelasticHelium(_ nucleus: Nucleus, kineticEnergyPerNucleon e: Double) -> Double {
    inelasticOnHelium[nucleus]?.value(kineticEnergyPerNucleon: e) ?? 0
  }

  /// Cumulative partial σ_{P→S} on H in mb at E (GeV/n); 0 if not tabulated.
  public func partialHydrogen(from p: Nucleus, to s: Nucleus, kineticEnergyPerNucleon e: Double)
    -> Double
  {
    partialOnHydrogen[p]?[s]?.value(kineticEnergyPerNucleon: e) ?? 0
  }

  /// Cumulative partial σ_{P→S} on He in mb at E (GeV/n), scaled from H by the projectile's
  /// inelastic He/H ratio (0 if the projectile's inelastic σ on H is 0 or missing).
  public func partialHelium(from p: Nucleus, to s: Nucleus, kineticEnergyPerNucleon e: Double)
    -> Double
  {
    let h = inelasticHydrogen(p, kineticEnergyPerNucleon: e)
    guard h > 0 else { return 0 }
    return partialHydrogen(from: p, to: s, kineticEnergyPerNucleon: e)
      * inelasticHelium(p, kineticEnergyPerNucleon: e) / h
  }

  /// Destruction σ per hydrogen atom of the gas, σ_H + f σ_He, in mb (f = n_He/n_H).
  public func destructionPerHydrogenAtom(
    _ nucleus: Nucleus, kineticEnergyPerNucleon e: Double, heliumToHydrogenRatio f: Double
  ) -> Double {
    inelasticHydrogen(nucleus, kineticEnergyPerNucleon: e) + f
      * inelasticHelium(nucleus, kineticEnergyPerNucleon: e)
  }

  /// Production σ_{P→S} per hydrogen atom of the gas, σ_H + f σ_He, in mb.
  public func productionPerHydrogenAtom(
    from p: Nucleus, to s: Nucleus, kineticEnergyPerNucleon e: Double,
    heliumToHydrogenRatio f: Double
  ) -> Double {
    partialHydrogen(from: p, to: s, kineticEnergyPerNucleon: e)
      + f * partialHelium(from: p, to: s, kineticEnergyPerNucleon: e)
  }
}
