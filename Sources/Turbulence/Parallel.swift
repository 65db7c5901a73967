// The synthesis's shared scratch; the executor (`parallelFor`, `parallelForWorkers`) is LarmorCore's.

/// A fixed-size array of doubles that parallel work items fill at their own index.
final class PartialSums: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Double>
  init(count: Int) { storage = .allocate(capacity: count); storage.initialize(repeating: 0) }
  deinit { storage.deallocate() }
  /// Adds to slot i; each slot must be touched by one work item only.
  func add(_ value: Double, at i: Int) { storage[i] += value }
  /// Sets slot i to the maximum of itself and value.
  func raise(to value: Double, at i: Int) { storage[i] = max(storage[i], value) }
  /// The slots summed in index order (deterministic whatever the thread count).
  var orderedSum: Double { storage.reduce(0, +) }
  var maximum: Double { storage.max() ?? 0 }
}

/// A raw float pointer that parallel work items share; each item writes disjoint indices.
struct SendablePointer: @unchecked Sendable {
  let base: UnsafeMutablePointer<Float>
  init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
  /// Stores a complex value (re, im) at float offset `slot`.
  func store(_ re: Float, _ im: Float, at slot: Int) {
    base[slot] = re
    base[slot + 1] = im
  }
  /// Stores three complex values (re.x, im.x, re.y, im.y, re.z, im.z) from float offset `slot`.
  func store(_ re: SIMD3<Float>, _ im: SIMD3<Float>, at slot: Int) {
    base[slot] = re.x
    base[slot + 1] = im.x
    base[slot + 2] = re.y
    base[slot + 3] = im.y
    base[slot + 4] = re.z
    base[slot + 5] = im.z
  }
}
