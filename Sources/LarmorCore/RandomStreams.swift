import RealModule

/// Keyed random streams.
///
/// Every random number in Larmor comes from a stream keyed by (seed, purpose, index), where the
/// index names the object the numbers belong to (a Fourier mode, a particle). Results therefore
/// do not depend on how work is split over threads or batches. The key is hashed: seeding
/// SplitMix64 with `seed + i·γ` would make stream i+1 a copy of stream i shifted by one draw.

/// What a stream is used for; part of every stream key, so purposes never share numbers.
public enum StreamPurpose: UInt64, Sendable {
  /// Gaussian amplitudes of one Fourier mode of a synthesized field.
  case fieldMode = 1
  /// Initial position of a particle.
  case particlePosition = 2
  /// Initial direction of a particle.
  case particleDirection = 3
  /// Wave vector, phase and amplitude of one plane wave of a grid-free moving field.
  case planeWave = 4
  /// The frequency of one plane wave within its mode's spread (`WaveMotion.decorrelation`).
  case waveFrequency = 5
}

/// SplitMix64 (Steele, Lea & Flood 2014) seeded from a hashed (seed, purpose, index) key.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  @usableFromInline var state: UInt64

  /// The golden-ratio increment of SplitMix64.
  @usableFromInline static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// A stream for `index` within `purpose` of a run or field with `seed`.
  @inlinable public init(seed: UInt64, purpose: StreamPurpose, index: UInt64) {
    let key = Self.mix(seed ^ Self.mix(purpose.rawValue &* Self.increment))
    state = Self.mix(key ^ Self.mix(index &+ Self.increment))
  }

  /// The MurmurHash3/SplitMix64 finalizer: a bijective avalanche mix of 64 bits.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inlinable public mutating func next() -> UInt64 {
    state &+= Self.increment
    return Self.mix(state)
  }
}

extension RandomNumberGenerator {
  /// A uniform double in the open interval (0, 1), from the top 53 bits.
  @inlinable public mutating func nextOpenUnit() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1p-53
  }

  /// Two independent standard normal deviates (Box–Muller; always consumes two draws, so the
  /// number of draws per object is fixed and streams stay aligned).
  @inlinable public mutating func nextNormalPair() -> (Double, Double) {
    let radius = (-2 * Double.log(nextOpenUnit())).squareRoot()
    let angle = 2 * Double.pi * nextOpenUnit()
    return (radius * Double.cos(angle), radius * Double.sin(angle))
  }
}
