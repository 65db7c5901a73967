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
    var h = Self.offset ^ UInt64(data.count)
    data.withUnsafeBytes { Self.absorb(&h, $0) }
    value = h
  }

  /// The checksum of the file at `path`, read in 8 MiB chunks; nil if it cannot be read.
  public init?(contentsOf path: String) {
    guard let handle = FileHandle(forReadingAtPath: path),
      let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
    else { return nil }
    defer { try? handle.close() }
    var h = Self.offset ^ size.uint64Value
    var total: UInt64 = 0
    while true {
      guard let chunk = try? handle.read(upToCount: 1 << 23), !chunk.isEmpty else { break }
      total += UInt64(chunk.count)
      chunk.withUnsafeBytes { Self.absorb(&h, $0) }  // every chunk but the last is a multiple of 8 bytes
    }
    guard total == size.uint64Value else { return nil }
    value = h
  }

  /// Absorbs whole little-endian words, then a zero-padded tail.
  static func absorb(_ h: inout UInt64, _ raw: UnsafeRawBufferPointer) {
    let words = raw.count / 8
    for i in 0..<words {
      h = (h ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))) &* prime
    }
    if raw.count % 8 != 0 {
      var w: UInt64 = 0
      for b in 0..<(raw.count % 8) { w |= UInt64(raw[8 * words + b]) << (8 * b) }
      h = (h ^ w) &* prime
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
