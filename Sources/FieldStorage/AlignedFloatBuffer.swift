#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A float buffer aligned to 64 bytes (a cache line, and every SIMD width FFTW uses), owned by
/// this object and freed with it.
///
/// Unchecked Sendable: after a field is built its contents are never mutated; while it is being
/// built, concurrent writers touch disjoint index ranges only (documented at each use).
public final class AlignedFloatBuffer: @unchecked Sendable {
  public let count: Int
  @usableFromInline package let pointer: UnsafeMutablePointer<Float>

  package init(count: Int) {
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, 64, max(count, 1) * MemoryLayout<Float>.stride) == 0, let raw else {
      fatalError("out of memory allocating \(count) floats")
    }
    self.count = count
    pointer = raw.bindMemory(to: Float.self, capacity: count)
  }

  deinit { free(pointer) }

  /// Read-only view of the buffer.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: pointer, count: count))
  }

  /// Mutable view, for code that builds the buffer before it is shared.
  package func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeMutableBufferPointer(start: pointer, count: count))
  }
}
