import Foundation

/// Finite-volume steady-state solver of the disk + halo model in (z, p/A), for the C, N, O → B
/// network, with optional energy losses, galactic wind and reacceleration.
///
/// Equation (per species, N = density per unit p/A, z ≥ 0 by symmetry, π ≡ p/A):
///
///   0 = ∂_z(D ∂_z N) − ∂_z(V N) + ∂_π[π² D_ππ ∂_π(N/π²)]
///       + δ(z) [Q − Γ N + ∂_π(b N)],      N(H, π) = 0,
///
/// with the thin disk as a δ layer: Q the disk source per area, Γ = v 2h n_H σ the destruction rate
/// (cm/s), b = 2h |π̇_ion+Coul| + (2V/3) π the disk-integrated loss rate (ionization/Coulomb in the
/// gas; adiabatic from the jump of V = V_c sign z). D_ππ = D_pp/A².
/// Loss fluxes use a power-law-weighted upwind face value (see `solveSpecies`).
///
/// Scheme: vertex-centred finite volumes in z (node 0 on the disk with a half cell, nodes on every
/// zone boundary, Dirichlet node at H; D on faces, upwind advection); finite volumes in ln π with
/// upwind (from higher π, power-law weighted) for the loss flux and a centred flux for reacceleration
/// (zero-flux outer faces; no loss flux enters from above the top cell). The steady linear
/// system is solved directly: without reacceleration the momentum coupling is one-sided, so one
/// sweep from the highest π down with a tridiagonal (Thomas) solve in z per π is exact; with
/// reacceleration, alternating line Gauss–Seidel (z-lines for every π, then π-lines for every z)
/// is iterated until N(0, π) changes by less than `grid.tolerance` (relative).
/// Without losses, wind and reacceleration the discrete solution is exactly piecewise linear in z
/// and equals the analytic N(0) = (Q/2)K/(1 + ΓK/2) to rounding.
public struct NumericalDiskHaloSolver: Sendable {
  /// Geometry and gas.
  public let model: DiskHaloModel
  /// Nuclear network.
  public let network: SpallationNetwork
  /// Sources.
  public let source: SourceSpectrum
  /// Processes switched on.
  public let processes: TransportProcesses
  /// Grid and iteration settings.
  public let grid: NumericalGrid

  /// - Parameters: geometry, cross sections, source, processes and grid (all already validated).
  public init(
    model: DiskHaloModel, crossSections: NuclearCrossSections, source: SourceSpectrum,
    processes: TransportProcesses = .diffusionOnly, grid: NumericalGrid
  ) {
    self.model = model
    self.network = SpallationNetwork(disk: model.disk, crossSections: crossSections)
    self.source = source
    precondition(
      processes.momentumDiffusion.map { $0.count == model.halo.zones.count } ?? true,
      "one D_pp table per halo zone")
    self.processes = processes
    self.grid = grid
  }

  /// Node heights |z| in kpc, from 0 (disk) to H (last node, where N = 0).
  public var heightsKpc: [Double] {
    var z: [Double] = [0]
    var bottom = 0.0
    for zone in model.halo.zones {
      let top = zone.upperBoundaryKpc
      for k in 1...grid.intervalsPerZone {
        z.append(bottom + (top - bottom) * Double(k) / Double(grid.intervalsPerZone))
      }
      bottom = top
    }
    return z
  }

  /// Momenta per nucleon of the grid in GeV/c.
  public var momentaPerNucleon: [Double] {
    MomentumGrid.logarithmic(
      minimum: grid.minimumMomentumPerNucleon, maximum: grid.maximumMomentumPerNucleon,
      pointsPerDecade: grid.pointsPerDecade)
  }

  /// Solves primaries then secondaries. Source abundances are those of the analytic solution
  /// (`AnalyticDiskHaloSolution.sourceAbundances()`), so that the two share the same sources.
  public func solve() -> NumericalSolution {
    let analytic = AnalyticDiskHaloSolution(
      model: model, crossSections: network.crossSections, source: source)
    let q = analytic.sourceAbundances()
    let momenta = momentaPerNucleon
    var densities: [Nucleus: [Double]] = [:]
    var escape: [Nucleus: [Double]] = [:]
    var sources: [Nucleus: [Double]] = [:]
    var destruction: [Nucleus: [Double]] = [:]
    var profiles: [Nucleus: [Double]] = [:]
    var iterations = 0
    var converged = true
    for s in network.species {
      let isPrimary = network.primaries.contains(s)
      let diskSource: [Double] = momenta.indices.map { j in
        let π = momenta[j]
        if isPrimary {
          return network.injection(
            s, momentumPerNucleon: π, abundance: q[s] ?? 0, spectralIndex: source.spectralIndex)
        }
        var total = 0.0
        for p in network.primaries {
          total += network.productionRate(from: p, to: s, momentumPerNucleon: π) * densities[p]![j]
        }
        return total
      }
      let rates = momenta.map { network.destructionRate(s, momentumPerNucleon: $0) }
      let result = solveSpecies(s, momenta: momenta, diskSource: diskSource, destructionRate: rates)
      densities[s] = result.disk
      escape[s] = result.escape
      sources[s] = diskSource
      destruction[s] = zip(rates, result.disk).map { $0 * $1 }
      profiles[s] = result.profile
      iterations = max(iterations, result.iterations)
      converged = converged && result.converged
    }
    return NumericalSolution(
      spectra: PropagatedSpectra(momentaPerNucleon: momenta, densities: densities),
      heightsKpc: heightsKpc, escapeFlux: escape, diskSource: sources, diskDestruction: destruction,
      profiles: profiles, iterations: iterations, converged: converged)
  }

  // MARK: - One species

  struct SpeciesResult {
    var disk: [Double]
    var escape: [Double]
    var profile: [Double]
    var iterations: Int
    var converged: Bool
  }

  /// Coefficients of diag·N − wzL·N(i−1) − wzU·N(i+1) − wpL·N(j−1) − wpU·N(j+1) = src, stored
  /// at index j·nz + i.
  struct Coefficients {
    var diag, lowerZ, upperZ, lowerP, upperP, source: [Double]
  }

  func solveSpecies(
    _ nucleus: Nucleus, momenta: [Double], diskSource: [Double], destructionRate: [Double]
  )
    -> SpeciesResult
  {
    let zKpc = heightsKpc
    let kpc = TransportConstants.kiloparsecInCentimetres
    let z = zKpc.map { $0 * kpc }
    let nz = z.count - 1  // unknown nodes 0..<nz; node nz is the escape boundary
    let np = momenta.count
    let wind = processes.windSpeedKmPerSecond * 1.0e5
    let alfven = processes.alfvenSpeedKmPerSecond * 1.0e5
    let h = model.disk.halfThicknessCentimetres
    // Faces in π and cell widths.
    var faces = [Double](repeating: 0, count: np + 1)
    for j in 1..<np { faces[j] = (momenta[j - 1] * momenta[j]).squareRoot() }
    faces[0] = momenta[0] * momenta[0] / faces[1]
    faces[np] = momenta[np - 1] * momenta[np - 1] / faces[np - 1]
    // Zone of each z face and node.
    let faceZone = (0..<nz).map { model.halo.zoneIndex(heightKpc: 0.5 * (zKpc[$0] + zKpc[$0 + 1])) }
    let nodeZone = (0..<nz).map { model.halo.zoneIndex(heightKpc: zKpc[$0]) }
    var width = [Double](repeating: 0.5 * z[1], count: nz)
    for i in 1..<nz { width[i] = 0.5 * (z[i + 1] - z[i - 1]) }
    func diffusion(zone: Int, π: Double) -> Double {
      model.halo.zones[zone].diffusion.coefficient(
        rigidityGV: nucleus.rigidity(momentumPerNucleon: π),
        speed: Kinematics.speed(momentumPerNucleon: π))
    }
    func momentumDiffusion(zone: Int, π: Double) -> Double {  // D_ππ in (GeV/c)²/s
      let rigidity = nucleus.rigidity(momentumPerNucleon: π)
      if let tables = processes.momentumDiffusion { return π * π * tables[zone].rate(rigidityGV: rigidity) }
      let d = model.halo.zones[zone].diffusion
      let slope: Double = min(1, max(0.1, d.logarithmicSlope(rigidityGV: rigidity)))
      let denominator: Double = 3 * slope * (4 - slope * slope) * (4 - slope)
      let factor: Double = 4 / denominator
      let vA2: Double = alfven * alfven
      return factor * π * π * vA2 / diffusion(zone: zone, π: π)
    }
    func lossRate(_ π: Double) -> Double {  // b = 2h|π̇| + (2V/3)π, half of it per side
      var b = wind * π / 3
      if processes.energyLosses {
        b += h * EnergyLosses.momentumLossRate(nucleus, momentumPerNucleon: π, disk: model.disk)
      }
      return b
    }
    let count = nz * np
    var c = Coefficients(
      diag: .init(repeating: 0, count: count), lowerZ: .init(repeating: 0, count: count),
      upperZ: .init(repeating: 0, count: count), lowerP: .init(repeating: 0, count: count),
      upperP: .init(repeating: 0, count: count), source: .init(repeating: 0, count: count))
    var escapeConductance = [Double](repeating: 0, count: np)
    let hasLossFlux = processes.energyLosses || wind > 0
    // Loss flux through face j−1/2 (out of cell j): b(π_{j−1/2}) ω_j N(0, π_j), with the
    // power-law upwind weight ω_j = (π_j/π_{j−1/2})^{s_j} (s_j = local slope −d ln N/d ln π taken
    // from the two cells above, already solved in the descending sweep). ω = 1 is plain first-order
    // upwind; the weight makes the face value exact for a local power law. The same ω_j is used
    // for the flux leaving cell j and entering cell j − 1, so the scheme stays conservative.
    var lossOut = [Double](repeating: 0, count: np)  // b(π_{j−1/2})/Δπ_j
    var lossIn = [Double](repeating: 0, count: np)  // b(π_{j+1/2})/Δπ_j
    for j in 0..<np {
      let π = momenta[j]
      let cellWidth = faces[j + 1] - faces[j]
      let conductance = (0..<nz).map { i in diffusion(zone: faceZone[i], π: π) / (z[i + 1] - z[i]) }
      escapeConductance[j] = conductance[nz - 1] + wind
      for i in 0..<nz {
        let k = j * nz + i
        c.diag[k] = conductance[i] + wind + (i > 0 ? conductance[i - 1] : 0)
        c.upperZ[k] = i < nz - 1 ? conductance[i] : 0
        c.lowerZ[k] = i > 0 ? conductance[i - 1] + wind : 0
        if i == 0 {
          c.diag[k] += 0.5 * destructionRate[j]
          c.source[k] = 0.5 * diskSource[j]
          if hasLossFlux {
            lossOut[j] = lossRate(faces[j]) / cellWidth
            if j < np - 1 { lossIn[j] = lossRate(faces[j + 1]) / cellWidth }
          }
        }
        if processes.reaccelerates {
          if j < np - 1 {
            let f = faces[j + 1]
            let dpp: Double = momentumDiffusion(zone: nodeZone[i], π: f)
            let κ: Double = width[i] * f * f * dpp / ((momenta[j + 1] - π) * cellWidth)
            c.diag[k] += κ / (π * π)
            c.upperP[k] += κ / (momenta[j + 1] * momenta[j + 1])
          }
          if j > 0 {
            let f = faces[j]
            let dpp: Double = momentumDiffusion(zone: nodeZone[i], π: f)
            let κ: Double = width[i] * f * f * dpp / ((π - momenta[j - 1]) * cellWidth)
            c.diag[k] += κ / (π * π)
            c.lowerP[k] += κ / (momenta[j - 1] * momenta[j - 1])
          }
        }
      }
    }
    var n = [Double](repeating: 0, count: count)
    var iterations = 0
    var converged = true
    let coupledBothWays = processes.reaccelerates
    let baseDiagonal = (0..<np).map { c.diag[$0 * nz] }
    let baseUpper = (0..<np).map { c.upperP[$0 * nz] }
    var weight = [Double](repeating: 1, count: np + 1)
    // Sets ω_j from the current N(0, π_{j+1}), N(0, π_{j+2}) and the node-0 loss coefficients of cell j.
    func updateLossWeight(_ j: Int) {
      guard hasLossFlux else { return }
      var slope = 0.0
      if j + 2 < np {
        let upper = n[(j + 1) * nz]
        let upper2 = n[(j + 2) * nz]
        if upper > 0, upper2 > 0 {
          slope = min(8, max(-3, log(upper / upper2) / log(momenta[j + 2] / momenta[j + 1])))
        }
      }
      weight[j] = pow(momenta[j] / faces[j], slope)
      c.diag[j * nz] = baseDiagonal[j] + lossOut[j] * weight[j]
      c.upperP[j * nz] = baseUpper[j] + lossIn[j] * weight[j + 1]
    }
    func descendingSweep() {
      for j in stride(from: np - 1, through: 0, by: -1) {
        updateLossWeight(j)
        solveZLine(j, nz: nz, np: np, c: c, n: &n)
      }
    }
    if !coupledBothWays {
      descendingSweep()
      iterations = 1
    } else {
      converged = false
      while iterations < grid.maximumIterations {
        iterations += 1
        let before = (0..<np).map { n[$0 * nz] }
        descendingSweep()
        for i in 0..<nz { solvePLine(i, nz: nz, np: np, c: c, n: &n) }
        var change = 0.0
        for j in 0..<np {
          let now = n[j * nz]
          change = max(change, abs(now - before[j]) / max(abs(now), .leastNormalMagnitude))
        }
        if change < grid.tolerance {
          converged = true
          break
        }
      }
    }
    return SpeciesResult(
      disk: (0..<np).map { n[$0 * nz] },
      escape: (0..<np).map { escapeConductance[$0] * n[$0 * nz + nz - 1] },
      profile: n, iterations: iterations, converged: converged)
  }

  /// Tridiagonal solve along z at fixed π index j, with the π neighbours taken from `n`.
  func solveZLine(_ j: Int, nz: Int, np: Int, c: Coefficients, n: inout [Double]) {
    var sub = [Double](repeating: 0, count: nz)
    var dia = sub
    var sup = sub
    var rhs = sub
    for i in 0..<nz {
      let k = j * nz + i
      sub[i] = -c.lowerZ[k]
      dia[i] = c.diag[k]
      sup[i] = -c.upperZ[k]
      var r = c.source[k]
      if j > 0 { r += c.lowerP[k] * n[k - nz] }
      if j < np - 1 { r += c.upperP[k] * n[k + nz] }
      rhs[i] = r
    }
    let x = Tridiagonal.solve(sub: sub, diagonal: dia, sup: sup, rhs: rhs)
    for i in 0..<nz { n[j * nz + i] = x[i] }
  }

  /// Tridiagonal solve along π at fixed z index i, with the z neighbours taken from `n`.
  func solvePLine(_ i: Int, nz: Int, np: Int, c: Coefficients, n: inout [Double]) {
    var sub = [Double](repeating: 0, count: np)
    var dia = sub
    var sup = sub
    var rhs = sub
    for j in 0..<np {
      let k = j * nz + i
      sub[j] = -c.lowerP[k]
      dia[j] = c.diag[k]
      sup[j] = -c.upperP[k]
      var r = c.source[k]
      if i > 0 { r += c.lowerZ[k] * n[k - 1] }
      if i < nz - 1 { r += c.upperZ[k] * n[k + 1] }
      rhs[j] = r
    }
    let x = Tridiagonal.solve(sub: sub, diagonal: dia, sup: sup, rhs: rhs)
    for j in 0..<np { n[j * nz + i] = x[j] }
  }
}

/// Result of `NumericalDiskHaloSolver.solve()`. Rates are per unit disk area, per second and per
/// unit p/A, in the arbitrary density unit of the spectra times cm/s.
public struct NumericalSolution: Sendable {
  /// N(z = 0, p/A) for every species.
  public let spectra: PropagatedSpectra
  /// Node heights |z| in kpc (last node: N = 0).
  public let heightsKpc: [Double]
  /// Escape flux through |z| = H on one side, F = −D ∂_z N + V N, per p/A.
  public let escapeFlux: [Nucleus: [Double]]
  /// Disk source Q (both sides together) per p/A.
  public let diskSource: [Nucleus: [Double]]
  /// Disk destruction rate Γ N(0) (both sides together) per p/A.
  public let diskDestruction: [Nucleus: [Double]]
  /// N(z_i, p_j) at index j · (nodes − 1) + i (nodes below H only).
  public let profiles: [Nucleus: [Double]]
  /// Largest number of relaxation iterations used by a species (1 = direct solve).
  public let iterations: Int
  /// Whether every species met the tolerance.
  public let converged: Bool
}

/// Thomas algorithm for a diagonally dominant tridiagonal system.
enum Tridiagonal {
  static func solve(sub: [Double], diagonal: [Double], sup: [Double], rhs: [Double]) -> [Double] {
    let n = diagonal.count
    var c = [Double](repeating: 0, count: n)
    var d = [Double](repeating: 0, count: n)
    c[0] = sup[0] / diagonal[0]
    d[0] = rhs[0] / diagonal[0]
    if n > 1 {
      for i in 1..<n {
        let m = diagonal[i] - sub[i] * c[i - 1]
        c[i] = sup[i] / m
        d[i] = (rhs[i] - sub[i] * d[i - 1]) / m
      }
    }
    var x = d
    if n > 1 {
      for i in stride(from: n - 2, through: 0, by: -1) { x[i] = d[i] - c[i] * x[i + 1] }
    }
    return x
  }
}
