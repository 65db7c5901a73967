import Foundation
import Synchronization

/// body(i) for i in 0..<count on up to `threads` threads (i strided over the workers), results
/// placed by index: the same array whatever the thread count.
func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
  let results = Mutex<[T?]>(Array(repeating: nil, count: count))
  let workers = max(1, min(threads, count))
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    for i in stride(from: w, to: count, by: workers) {
      let value = body(i)
      results.withLock { $0[i] = value }
    }
  }
  return results.withLock { $0.map { $0! } }
}
