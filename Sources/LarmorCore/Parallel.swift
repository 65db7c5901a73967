import Dispatch
import Synchronization

// The package's one executor for data-parallel work outside the particle runner (synthesis,
// transforms, QLT curves and tables, the CLI's rigidity loops). Items are split over at most
// `threads` workers in a fixed way and every result lands at its item's index, so nothing
// computed through these functions depends on the thread count. `package` access: a helper of
// this package's targets, not part of the library's API.

/// How many workers the functions below use for `count` items on `threads` threads.
package func parallelWorkers(_ count: Int, threads: Int) -> Int { max(1, min(threads, count)) }

/// Runs body(worker, item) for item in 0..<count in contiguous chunks, one per worker
/// (0..<`parallelWorkers(count, threads:)`), for per-worker scratch memory. Items must write
/// disjoint memory.
package func parallelForWorkers(_ count: Int, threads: Int, _ body: @Sendable (_ worker: Int, _ item: Int) -> Void) {
  let workers = parallelWorkers(count, threads: threads)
  if workers == 1 {
    for i in 0..<count { body(0, i) }
    return
  }
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    for i in (count * w / workers)..<(count * (w + 1) / workers) { body(w, i) }
  }
}

/// Runs body(item) for item in 0..<count in contiguous chunks. Items must write disjoint memory;
/// reductions are kept per item and summed in item order by the caller.
package func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
  parallelForWorkers(count, threads: threads) { _, i in body(i) }
}

/// [body(0), …, body(count − 1)] on up to `threads` threads (items strided over the workers, so
/// uneven items share out), in index order whatever the thread count. `body` must be safe to call
/// concurrently (pure evaluation of Sendable values); it need not be declared @Sendable.
package func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
  let workers = parallelWorkers(count, threads: threads)
  if workers == 1 { return (0..<count).map(body) }
  return withoutActuallyEscaping(body) { body in
    let box = UncheckedSendable(body)
    let results = Mutex<[T?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for i in stride(from: w, to: count, by: workers) {
        let value = box.value(i)
        results.withLock { $0[i] = value }
      }
    }
    return results.withLock { $0.map { $0! } }
  }
}

/// A value shared with concurrent workers that the caller guarantees is safe to use from them.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
