import CHDF5
import FieldStorage
import Foundation
import LarmorCore

/// An external snapshot in Larmor's code units, as `SnapshotFile.read` leaves it: the grid turned
/// (by a lattice rotation) so that B₀ lies along +z, b = B/|B₀| with the mean field ẑ apart, the
/// velocity in units of v_A with the mean flow removed, the density as δρ/ρ̄. Arrays are C order
/// [ix][iy][iz] of the turned grid.
public struct Snapshot: Sendable {
  public let path: String
  /// δb = B/|B₀| − ẑ on the turned grid (box in L), mean field ẑ.
  public let field: GridField
  /// δu/v_A, three components, or nil.
  public let velocity: [[Float]]?
  /// δρ/ρ̄, or nil.
  public let density: [Float]?
  /// B₀ in the data's unit and axes (measured ⟨B⟩ or the spec's b0).
  public let meanFieldData: Vec3
  /// The lattice rotation that took B₀ to +z.
  public let rotation: LatticeRotation
  /// Angle between B₀ and the axis it was turned onto, degrees (kept in δb as a uniform part).
  public let tiltDegrees: Double
  /// v_A in the velocity datasets' unit, when known.
  public let alfvenSpeed: Double?
  /// ⟨u⟩/v_A, removed from the velocity (a Galilean boost), in the turned axes.
  public let meanFlow: Vec3?
  /// c_s²/v_A², when the spec gives the sound speed or β.
  public let soundToAlfvenSquared: Double?
  /// √⟨|δb − ⟨δb⟩|²⟩.
  public let turbulenceLevel: Double
  /// One line per thing a physicist should know before trusting the cube (tilt, strong turbulence).
  public let warnings: [String]
}

/// A rotation of the periodic lattice onto itself that takes one grid axis (±x, ±y, ±z) to +z:
/// new axis c is old axis `source[c]` times `sign[c]` (det = +1). Node i on a reversed axis of n
/// points goes to node (n − i) mod n, so the lattice and its periodicity are kept exactly.
public struct LatticeRotation: Sendable, Equatable, CustomStringConvertible {
  public let source: SIMD3<Int>
  public let sign: SIMD3<Int>

  public static let identity = LatticeRotation(source: SIMD3(0, 1, 2), sign: SIMD3(1, 1, 1))

  /// The rotation taking the signed axis (`axis` 0, 1, 2 for x, y, z; `positive`) to +z.
  public static func bringing(axis: Int, positive: Bool) -> LatticeRotation {
    let cyclic = [SIMD3(1, 2, 0), SIMD3(2, 0, 1), SIMD3(0, 1, 2)][axis]  // (x, y, z) ← cyclic shift
    return LatticeRotation(source: cyclic, sign: positive ? SIMD3(1, 1, 1) : SIMD3(1, -1, -1))
  }

  /// The rotated vector: v'_c = sign_c v_{source_c}.
  public func apply(_ v: Vec3) -> Vec3 {
    Vec3(Double(sign[0]) * v[source[0]], Double(sign[1]) * v[source[1]], Double(sign[2]) * v[source[2]])
  }

  public var description: String {
    if self == .identity { return "none" }
    let names = ["x", "y", "z"]
    return (0..<3).map { "\(names[$0])' = \(sign[$0] < 0 ? "−" : "")\(names[source[$0]])" }.joined(separator: ", ")
  }
}

public enum SnapshotFile {
  /// Reads snapshot `index` of `spec` and checks it: the named datasets exist, are three-
  /// dimensional, of one shape and finite, the density is positive, B₀ ≠ 0 lies within the spec's
  /// tolerance of a grid axis. Every failure is one line naming the file and the dataset or key.
  public static func read(_ spec: SnapshotSpec, index: Int = 0) throws(InputError) -> Snapshot {
    let path = spec.paths[index]
    HDF5.quiet()
    guard FileManager.default.fileExists(atPath: path) else { throw InputError("\(path): no such snapshot file (field.file.path)") }
    guard H5Fis_hdf5(path) > 0 else { throw InputError("\(path): not an HDF5 file (field.file.path)") }
    let file = H5Fopen(path, larmor_h5f_acc_rdonly(), larmor_h5p_default())
    guard file >= 0 else { throw InputError("\(path): cannot open the snapshot (truncated?)") }
    defer { H5Fclose(file) }

    var shape: [Int] = []
    var shapeOwner = ""
    func dataset(_ name: String, key: String) throws(InputError) -> [Float] {
      guard H5Lexists(file, name, larmor_h5p_default()) > 0 else {
        throw InputError("\(path): no dataset '\(name)' (named by field.file.\(key))")
      }
      let (values, s) = try HDF5.readFloats(file, name, path: path)
      guard s.count == 3 else { throw InputError("\(path): dataset \(name) has rank \(s.count); a snapshot is a three-dimensional cube") }
      if shape.isEmpty {
        shape = s
        shapeOwner = name
      } else if s != shape {
        throw InputError("\(path): dataset \(name) has shape \(s.map(String.init).joined(separator: "×")), \(shapeOwner) has \(shape.map(String.init).joined(separator: "×"))")
      }
      let bad = values.lazy.filter { !$0.isFinite }.count
      if bad > 0 {
        let first = values.firstIndex { !$0.isFinite }!
        let (i, j, k) = (first / (s[1] * s[2]), (first / s[2]) % s[1], first % s[2])
        throw InputError("\(path): dataset \(name) has \(bad) NaN or Inf cells, the first at [\(i)][\(j)][\(k)]")
      }
      return values
    }
    let magnetic = try spec.magnetic.map { name throws(InputError) in try dataset(name, key: "b") }
    let velocity = try spec.velocity.map { names throws(InputError) in try names.map { name throws(InputError) in try dataset(name, key: "velocity") } }
    let density = try spec.density.map { name throws(InputError) in try dataset(name, key: "density") }
    guard shape.reduce(1, *) >= 2 else { throw InputError("\(path): the cube has \(shape.reduce(1, *)) cell; a field needs at least two") }
    if let rho = density, let name = spec.density {
      let nonPositive = rho.lazy.filter { $0 <= 0 }.count
      if nonPositive > 0 { throw InputError("\(path): dataset \(name) has \(nonPositive) cells with density ≤ 0") }
    }

    // The cube in the datasets' x, y, z.
    let counts = spec.axisOrder == .xyz ? SIMD3(shape[0], shape[1], shape[2]) : SIMD3(shape[2], shape[1], shape[0])
    let cells = Double(shape.reduce(1, *))
    func mean(_ values: [Float]) -> Double { values.reduce(0.0) { $0 + Double($1) } / cells }
    let measured = Vec3(mean(magnetic[0]), mean(magnetic[1]), mean(magnetic[2]))
    let b0: Vec3
    var warnings: [String] = []
    switch spec.meanField {
    case .measured:
      guard measured.length > 0 else {
        throw InputError("\(path): ⟨B⟩ = 0 over the cube: no mean field to measure pitch angles from (the datasets may hold δB only: use field.file.mean_field = \"given\" with b0)")
      }
      b0 = measured
    case .given(let vector):
      b0 = vector
      if measured.length > 1e-3 * vector.length {
        warnings.append(String(format: "the δB datasets have a mean of %.3g |B₀| (field.file.mean_field = \"given\" expects δB only); it is kept as a uniform part of δb", measured.length / vector.length))
      }
    }
    let magnitude = b0.length
    let direction = b0 / magnitude
    let axis = (0..<3).max { abs(direction[$0]) < abs(direction[$1]) }!
    let tilt = Double.acos(min(1, abs(direction[axis]))) * 180 / .pi
    let names = ["x", "y", "z"]
    guard tilt <= spec.meanFieldToleranceDegrees else {
      throw InputError(String(
        format: "%@: B₀ = (%.4g, %.4g, %.4g) points %.2f° from the nearest grid axis (%@%@), more than field.file.mean_field_tolerance_deg = %g; Larmor measures pitch angles about a grid axis and does not interpolate a periodic cube onto a turned lattice",
        path, b0.x, b0.y, b0.z, tilt, direction[axis] < 0 ? "−" : "+", names[axis], spec.meanFieldToleranceDegrees))
    }
    if tilt > 0.01 {
      warnings.append(String(format: "B₀ is %.2f° from the %@ axis; the tilt stays in δb as a uniform part (pitch angles are about the axis)", tilt, names[axis]))
    }
    let rotation = LatticeRotation.bringing(axis: axis, positive: direction[axis] > 0)
    let turnedCounts = SIMD3(counts[rotation.source[0]], counts[rotation.source[1]], counts[rotation.source[2]])
    let turnedBox = rotation.apply(spec.box).absolute

    // New node (a, b, c) of the turned grid reads old node `old` of the datasets' storage.
    let order = spec.axisOrder
    func remap(_ values: [Float]) -> [Float] {
      var out = [Float](repeating: 0, count: values.count)
      var old = SIMD3<Int>()
      var index = 0
      for a in 0..<turnedCounts.x {
        for b in 0..<turnedCounts.y {
          for c in 0..<turnedCounts.z {
            let new = SIMD3(a, b, c)
            for d in 0..<3 {
              let n = turnedCounts[d]
              old[rotation.source[d]] = rotation.sign[d] > 0 ? new[d] : (n - new[d]) % n
            }
            let flat = order == .xyz ? (old.x * counts.y + old.y) * counts.z + old.z : (old.z * counts.y + old.y) * counts.x + old.x
            out[index] = values[flat]
            index += 1
          }
        }
      }
      return out
    }
    /// Component c of the turned vector field, remapped, minus `offset`, times `scale`.
    func turnedComponent(_ components: [[Float]], _ c: Int, offset: Double, scale: Double) -> [Float] {
      let s = Double(rotation.sign[c])
      return remap(components[rotation.source[c]]).map { Float((s * Double($0) - offset) * scale) }
    }
    // δb = B/|B₀| − ẑ (total field given) or δB/|B₀| (fluctuation given); a tilt stays in δb.
    let subtract = spec.meanField == .measured
    let fluctuation = (0..<3).map { c in turnedComponent(magnetic, c, offset: c == 2 && subtract ? magnitude : 0, scale: 1 / magnitude) }
    let geometry = GridGeometry(counts: turnedCounts, boxSize: turnedBox)
    let field = GridField(geometry: geometry, meanField: Vec3(0, 0, 1), fluctuation: fluctuation)

    let rhoMean = density.map(mean)
    var vA = spec.alfvenSpeed
    if vA == nil, let units = spec.magneticUnits, let rhoMean {
      vA = magnitude / (units == .gaussian ? (4 * Double.pi * rhoMean).squareRoot() : rhoMean.squareRoot())
    }
    var turnedVelocity: [[Float]]?
    var meanFlow: Vec3?
    if let velocity, let vA {
      let flow = Vec3(mean(velocity[0]), mean(velocity[1]), mean(velocity[2]))
      let turnedFlow = rotation.apply(flow)
      turnedVelocity = (0..<3).map { c in turnedComponent(velocity, c, offset: turnedFlow[c], scale: 1 / vA) }
      meanFlow = turnedFlow / vA
    }
    let turnedDensity = density.map { rho in remap(rho).map { Float(Double($0) / rhoMean! - 1) } }

    var sum = Vec3.zero, squares = 0.0
    for c in 0..<3 {
      var s = 0.0
      for v in fluctuation[c] {
        s += Double(v)
        squares += Double(v) * Double(v)
      }
      sum[c] = s
    }
    let level = max(0, squares / cells - (sum / cells).dot(sum / cells)).squareRoot()
    if level > 1000 {
      throw InputError(String(format: "%@: δB/B₀ = %.3g: the mean field is negligible and b = B/|B₀| meaningless (Larmor accepts δB/B₀ ≤ 1000)", path, level))
    }
    if level > 1 {
      warnings.append(String(format: "δB/B₀ = %.3g > 1: B₀ is not a guide field, and quasi-linear theory does not apply", level))
    }
    return Snapshot(
      path: path, field: field, velocity: turnedVelocity, density: turnedDensity, meanFieldData: b0, rotation: rotation,
      tiltDegrees: tilt, alfvenSpeed: vA, meanFlow: meanFlow, soundToAlfvenSquared: spec.soundToAlfvenSquared(alfvenSpeed: vA),
      turbulenceLevel: level, warnings: warnings)
  }
}

extension Vec3 {
  fileprivate var absolute: Vec3 { Vec3(abs(x), abs(y), abs(z)) }
}
