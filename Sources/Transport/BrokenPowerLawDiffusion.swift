import Foundation
import LarmorCore

/// Smoothly broken power law D(𝓡) = D₀ (𝓡/𝓡₀)^δ [(1 + (𝓡/𝓡_b)^(Δδ/s)) / (1 + (𝓡₀/𝓡_b)^(Δδ/s))]^(−s),
/// the form the phenomenological B/C analyses use for the hardening of secondary/primary ratios
/// above a few hundred GV (e.g. Génolini et al. 2017, PRL 119, 241101): slope δ well below 𝓡_b,
/// δ − Δδ well above it (Δδ > 0 hardens), the transition spread over ~s decades; normalized so
/// that D(𝓡₀) = D₀.
public struct BrokenPowerLawDiffusion: DiffusionModel, Encodable, Equatable {
  /// D₀ in cm²/s at the reference rigidity.
  public let normalization: Double
  /// Reference rigidity 𝓡₀ in GV.
  public let referenceRigidityGV: Double
  /// δ below the break (dimensionless).
  public let index: Double
  /// Break rigidity 𝓡_b in GV.
  public let breakRigidityGV: Double
  /// Δδ: the slope above the break is δ − Δδ.
  public let indexChange: Double
  /// s > 0: smoothness of the break (0 is sharp).
  public let smoothness: Double
  /// Exponent η of the β factor.
  public let speedExponent: Double

  /// - Parameters: D₀ > 0 (cm²/s), 𝓡₀ > 0 (GV), δ ∈ [−1, 2], 𝓡_b ∈ (0, 10⁷] GV, Δδ ∈ [−1, 1],
  ///   s ∈ [0.01, 1], η ∈ [−5, 5].
  public init(
    normalization: Double, referenceRigidityGV: Double = 10, index: Double, breakRigidityGV: Double,
    indexChange: Double, smoothness: Double = 0.1, speedExponent: Double = 0
  ) throws(TransportError) {
    try Validate.positive(normalization, "diffusion.normalization", unit: " cm²/s")
    try Validate.positive(referenceRigidityGV, "diffusion.referenceRigidityGV", unit: " GV")
    try Validate.within(index, "diffusion.index", -1, 2)
    try Validate.within(breakRigidityGV, "diffusion.break_gv", 1e-3, 1e7)
    try Validate.within(indexChange, "diffusion.delta_break", -1, 1)
    try Validate.within(smoothness, "diffusion.smoothness", 0.01, 1)
    try Validate.within(speedExponent, "diffusion.speedExponent", -5, 5)
    self.normalization = normalization
    self.referenceRigidityGV = referenceRigidityGV
    self.index = index
    self.breakRigidityGV = breakRigidityGV
    self.indexChange = indexChange
    self.smoothness = smoothness
    self.speedExponent = speedExponent
  }

  /// D in cm²/s at 𝓡 in GV.
  public func coefficient(rigidityGV: Double) -> Double {
    let e = indexChange / smoothness
    let shape = (1 + pow(rigidityGV / breakRigidityGV, e)) / (1 + pow(referenceRigidityGV / breakRigidityGV, e))
    return normalization * pow(rigidityGV / referenceRigidityGV, index) * pow(shape, -smoothness)
  }
}

/// The slope b of ln y = a + b ln 𝓡 fitted by weighted least squares, with weights (y/σ)² (the
/// inverse variance of ln y), over the points with 𝓡 ≥ `minimumRigidityGV`, and its 1σ error
/// (σ_b² = 1/Σw(ln𝓡 − ⟨ln𝓡⟩_w)², the errors taken as independent). The same fit applied to a
/// model curve at the data's rigidities with the data's weights gives the slope to compare.
public func logLogSlope(
  rigiditiesGV: [Double], values: [Double], errors: [Double], minimumRigidityGV: Double
) -> (slope: Double, error: Double)? {
  var points = [(x: Double, y: Double, w: Double)]()
  for i in rigiditiesGV.indices where rigiditiesGV[i] >= minimumRigidityGV && values[i] > 0 && errors[i] > 0 {
    points.append((log(rigiditiesGV[i]), log(values[i]), pow(values[i] / errors[i], 2)))
  }
  guard points.count >= 3 else { return nil }
  let w = points.reduce(0) { $0 + $1.w }
  let mx = points.reduce(0) { $0 + $1.w * $1.x } / w
  let my = points.reduce(0) { $0 + $1.w * $1.y } / w
  let sxx = points.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.x - mx) }
  let sxy = points.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.y - my) }
  guard sxx > 0 else { return nil }
  return (sxy / sxx, (1 / sxx).squareRoot())
}

/// The B/C slopes above `minimumRigidityGV`: the data's (with its 1σ error) and a model's
/// evaluated at the data's rigidities (`model[i]` at `data[i]`), both by `logLogSlope` with the
/// data's weights (σ_model/model taken equal to σ_data/data, so the two fits weigh every bin
/// alike). nil with fewer than three bins above the limit.
public func boronToCarbonSlopes(
  model: [Double], data: [RigidityBinMeasurement], minimumRigidityGV: Double
) -> (model: Double, data: Double, dataError: Double)? {
  let r = data.map(\.rigidityGV), values = data.map(\.value), errors = data.map(\.totalError)
  let modelErrors = data.indices.map { model[$0] * errors[$0] / values[$0] }
  guard
    let measured = logLogSlope(rigiditiesGV: r, values: values, errors: errors, minimumRigidityGV: minimumRigidityGV),
    let predicted = logLogSlope(rigiditiesGV: r, values: model, errors: modelErrors, minimumRigidityGV: minimumRigidityGV)
  else { return nil }
  return (predicted.slope, measured.slope, measured.error)
}
