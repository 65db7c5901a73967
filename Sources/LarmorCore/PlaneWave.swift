/// One travelling plane wave of a moving field, δb cos(k·x − ωt + φ) with electric amplitude e
/// (code units: k in 1/L, ω in c/L, δb in B₀, e in c B₀). The vocabulary shared by the grid-free
/// field (`Turbulence.PlaneWaveField`) and the quasi-linear sum over its waves
/// (`QuasiLinear.finiteTimeWaveCoefficients`), so both see the same waves.
public struct PlaneWave: Sendable, Hashable {
  public var wavevector: Vec3
  public var frequency: Double
  public var phase: Double
  public var magnetic: Vec3
  public var electric: Vec3

  public init(wavevector: Vec3, frequency: Double, phase: Double, magnetic: Vec3, electric: Vec3) {
    self.wavevector = wavevector
    self.frequency = frequency
    self.phase = phase
    self.magnetic = magnetic
    self.electric = electric
  }

}
