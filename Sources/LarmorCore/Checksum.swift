import Foundation

/// A 64-bit checksum of bytes, for detecting corrupted or replaced files (not a cryptographic
/// hash). FNV-1a over 8-byte little-endian words (the tail zero-padded), seeded with the byte
/// count: h ← (h ⊕ w)·p mod 2⁶⁴ with the FNV prime p. Each step is a bijection of h for a fixed
/// word, and a changed word changes h at its step, so any change confined to one word — every
/// single-bit flip in particular — always changes the checksum; other changes go unnoticed with
/// probability ≈ 2⁻⁶⁴.
public struct Checksum64: Sendable, Hashable, CustomStringConvertible {
  public private(set) var value: UInt64

  static let offset: UInt64 = 0xCBF2_9CE4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01B3

  /// The checksum of `data`.
  public init(_ data: Data) {
    var stream = Stream(byteCount: data.count)
    data.withUnsafeBytes { stream.absorb($0) }
    self = stream.checksum
  }

  /// The checksum of the file at `path`, read in 8 MiB chunks; nil if it cannot be read.
  public init?(contentsOf path: String) {
    guard let handle = FileHandle(forReadingAtPath: path),
      let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
    else { return nil }
    defer { try? handle.close() }
    var stream = Stream(byteCount: size.intValue)
    var total = 0
    while true {
      guard let chunk = try? handle.read(upToCount: 1 << 23), !chunk.isEmpty else { break }
      total += chunk.count
      chunk.withUnsafeBytes { stream.absorb($0) }
    }
    guard total == size.intValue else { return nil }
    self = stream.checksum
  }

  init(value: UInt64) { self.value = value }

  /// The checksum of a byte stream of known length fed in pieces of any sizes (e.g. the
  /// components of a field, without concatenating them): the same value as `init(_:)` of the
  /// concatenation.
  public struct Stream: Sendable {
    var h: UInt64
    var pending: UInt64 = 0
    var pendingBytes = 0

    public init(byteCount: Int) { h = Checksum64.offset ^ UInt64(byteCount) }

    public mutating func absorb(_ raw: UnsafeRawBufferPointer) {
      var i = 0
      while pendingBytes != 0, i < raw.count {
        pending |= UInt64(raw[i]) << (8 * pendingBytes)
        pendingBytes += 1
        i += 1
        if pendingBytes == 8 { h = (h ^ pending) &* Checksum64.prime; pending = 0; pendingBytes = 0 }
      }
      while i + 8 <= raw.count {
        h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* Checksum64.prime
        i += 8
      }
      while i < raw.count {
        pending |= UInt64(raw[i]) << (8 * pendingBytes)
        pendingBytes += 1
        i += 1
      }
    }

    /// The checksum of everything absorbed (a partial last word zero-padded).
    public var checksum: Checksum64 {
      Checksum64(value: pendingBytes == 0 ? h : (h ^ pending) &* Checksum64.prime)
    }
  }

  /// Sixteen lower-case hexadecimal digits.
  public var description: String { Self.hexadecimal(value) }

  /// `value` as sixteen lower-case hexadecimal digits.
  public static func hexadecimal(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
