import Dispatch

/// Runs body(i) for i in 0..<count on up to `threads` threads, in contiguous chunks.
///
/// Work items must write disjoint memory. Reductions are done by the caller per item and summed
/// in item order afterwards, so results never depend on the thread count.
func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
  let workers = max(1, min(threads, count))
  if workers == 1 {
    for i in 0..<count { body(i) }
    return
  }
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    let start = count * w / workers
    let end = count * (w + 1) / workers
    for i in start..<end { body(i) }
  }
}

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

/// `parallelFor` that also tells each item which worker (0..<`parallelWorkers(count, threads)`)
/// runs it, for per-worker scratch memory. The split into items is the caller's and fixed.
func parallelForWorkers(_ count: Int, threads: Int, _ body: @Sendable (_ worker: Int, _ item: Int) -> Void) {
  let workers = parallelWorkers(count, threads: threads)
  if workers == 1 {
    for i in 0..<count { body(0, i) }
    return
  }
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    for i in (count * w / workers)..<(count * (w + 1) / workers) { body(w, i) }
  }
}

/// How many workers `parallelFor` and `parallelForWorkers` use for `count` items.
func parallelWorkers(_ count: Int, threads: Int) -> Int { max(1, min(threads, count)) }
