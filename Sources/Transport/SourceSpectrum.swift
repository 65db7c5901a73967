/// Primary sources in the disk: Q_P(𝓡) ∝ q_P 𝓡^−γ per unit rigidity, the same index γ for C, N, O.
///
/// The relative source abundances q_N/q_C, q_O/q_C are not inputs: they are set so that the
/// propagated (interstellar) flux ratios N/C and O/C at `referenceRigidityGV` equal the observed
/// values given here (defaults from docs/physics.md §5.2: O/C = 1.1, i.e. AMS-02 C/O ≈ 0.91 above
/// ~60 GV, and N/C = 0.2), using the analytic thin-disk solution.
public struct SourceSpectrum: Sendable, Encodable, Equatable {
  /// Source spectral index γ in rigidity (dimensionless), e.g. 2.3.
  public let spectralIndex: Double
  /// Observed O/C flux ratio at the reference rigidity.
  public let oxygenToCarbon: Double
  /// Observed N/C flux ratio at the reference rigidity.
  public let nitrogenToCarbon: Double
  /// Rigidity in GV at which the propagated ratios are matched.
  public let referenceRigidityGV: Double

  /// - Parameters:
  ///   - spectralIndex: γ, finite, in (0, 6].
  ///   - oxygenToCarbon: O/C ≥ 0, finite.
  ///   - nitrogenToCarbon: N/C ≥ 0, finite.
  ///   - referenceRigidityGV: 𝓡 in GV, finite and > 0.
  public init(
    spectralIndex: Double = 2.3, oxygenToCarbon: Double = 1.1, nitrogenToCarbon: Double = 0.2,
    referenceRigidityGV: Double = 100
  ) throws(TransportError) {
    guard spectralIndex.isFinite, spectralIndex > 0, spectralIndex <= 6 else {
      throw .invalidParameter(name: "source.spectralIndex", value: spectralIndex, allowed: "(0, 6]")
    }
    try Validate.nonNegative(oxygenToCarbon, "source.oxygenToCarbon")
    try Validate.nonNegative(nitrogenToCarbon, "source.nitrogenToCarbon")
    try Validate.positive(referenceRigidityGV, "source.referenceRigidityGV", unit: " GV")
    self.spectralIndex = spectralIndex
    self.oxygenToCarbon = oxygenToCarbon
    self.nitrogenToCarbon = nitrogenToCarbon
    self.referenceRigidityGV = referenceRigidityGV
  }

  /// Observed flux ratio to carbon at the reference rigidity for each primary.
  public var observedRatiosToCarbon: [Nucleus: Double] {
    [.carbon12: 1, .nitrogen14: nitrogenToCarbon, .oxygen16: oxygenToCarbon]
  }
}
