import CFFTW
import Dispatch
import Synchronization

/// The only file that talks to FFTW (single precision, fftwf_*).
///
/// FFTW's planner is not thread-safe (only fftw_execute is), so every planning call goes
/// through `FFTW.planLock`. Plans use FFTW_ESTIMATE: planning is instant and the chosen
/// algorithm does not depend on timing, so a spec gives the same field on every run.
enum FFTW {
  static let planLock = Mutex<Bool>(false)  // holds "threads initialised"

  /// Runs `body` with the planner lock held and FFTW's threads set to `threads`.
  static func planning<T>(threads: Int, _ body: () -> T) -> T {
    var result: T?
    planLock.withLock { initialised in
      if !initialised {
        _ = fftwf_init_threads()
        initialised = true
      }
      fftwf_plan_with_nthreads(Int32(max(1, threads)))
      result = body()
    }
    return result!
  }
}

/// A float buffer allocated by FFTW (SIMD-aligned), owned by this object and freed with it.
///
/// Unchecked Sendable: after synthesis the contents are never mutated; while a field is being
/// built, concurrent writers touch disjoint index ranges only (documented at each use).
public final class AlignedFloatBuffer: @unchecked Sendable {
  public let count: Int
  @usableFromInline let pointer: UnsafeMutablePointer<Float>

  init(count: Int) {
    guard let raw = fftwf_alloc_real(count) else { fatalError("out of memory allocating \(count) floats") }
    self.count = count
    pointer = raw
  }

  deinit { fftwf_free(pointer) }

  /// Read-only view of the buffer.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeBufferPointer(start: pointer, count: count))
  }

  /// Mutable view, for code that builds the buffer before it is shared.
  func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(UnsafeMutableBufferPointer(start: pointer, count: count))
  }
}

/// In-place 3D real transforms on padded float arrays of shape [n0][n1][2(n2/2+1)].
///
/// `inverse` is FFTW's unnormalized c2r backward transform b_x = Σ_k B_k e^{+ik·x}; it
/// overwrites its (Hermitian, half-complex) input. `forward` is the r2c transform
/// F_k = Σ_x b_x e^{−ik·x}. Both plans are built once and reused through FFTW's new-array execute,
/// which requires every buffer to be allocated by `AlignedFloatBuffer` (same alignment).
///
/// Determinism: each transform runs single-threaded, and parallelism comes from transforming the
/// field's components side by side. A plan made for k FFTW threads may split a transform
/// differently from a plan for one thread and change the last bits (measured: a 1×1×512 field
/// differed at 1e-11 after tracing), so FFTW's own threads are never used.
final class RealTransform3D: @unchecked Sendable {
  let counts: SIMD3<Int>
  private let inversePlan: fftwf_plan
  private let forwardPlan: fftwf_plan

  /// Floats per padded array.
  static func paddedCount(_ n: SIMD3<Int>) -> Int { n.x * n.y * 2 * (n.z / 2 + 1) }

  init(counts n: SIMD3<Int>) {
    counts = n
    let scratch = AlignedFloatBuffer(count: Self.paddedCount(n))
    let complex = OpaquePointer(scratch.pointer)
    let flags = larmor_fftw_estimate()
    let (inverse, forward) = FFTW.planning(threads: 1) {
      (
        fftwf_plan_dft_c2r_3d(Int32(n.x), Int32(n.y), Int32(n.z), UnsafeMutablePointer(complex), scratch.pointer, flags),
        fftwf_plan_dft_r2c_3d(Int32(n.x), Int32(n.y), Int32(n.z), scratch.pointer, UnsafeMutablePointer(complex), flags)
      )
    }
    guard let inverse, let forward else { fatalError("FFTW could not plan a \(n) transform") }
    inversePlan = inverse
    forwardPlan = forward
  }

  /// Inverse transforms of several buffers, up to `threads` at a time (FFTW's new-array execute
  /// is thread-safe for one plan on distinct arrays).
  func inverse(_ buffers: [AlignedFloatBuffer], threads: Int) {
    parallelFor(buffers.count, threads: threads) { self.inverse(buffers[$0]) }
  }

  /// Forward transforms of several buffers, up to `threads` at a time.
  func forward(_ buffers: [AlignedFloatBuffer], threads: Int) {
    parallelFor(buffers.count, threads: threads) { self.forward(buffers[$0]) }
  }

  deinit {
    FFTW.planning(threads: 1) {
      fftwf_destroy_plan(inversePlan)
      fftwf_destroy_plan(forwardPlan)
    }
  }

  /// Half-complex coefficients → real values, in place (unnormalized).
  func inverse(_ buffer: AlignedFloatBuffer) {
    fftwf_execute_dft_c2r(inversePlan, UnsafeMutablePointer(OpaquePointer(buffer.pointer)), buffer.pointer)
  }

  /// Real values → half-complex coefficients, in place (unnormalized).
  func forward(_ buffer: AlignedFloatBuffer) {
    fftwf_execute_dft_r2c(forwardPlan, buffer.pointer, UnsafeMutablePointer(OpaquePointer(buffer.pointer)))
  }
}

/// Reference timings for benchmarks: FFTW's own work, without Larmor's fill and scaling.
public enum FFTWReference {
  /// Wall-clock seconds for three in-place c2r transforms of an N_x×N_y×N_z grid (the bare cost of
  /// synthesizing one three-component field), run as synthesis runs them: single-threaded plans,
  /// components side by side on `threads` threads.
  public static func threeInverseTransformsSeconds(counts: SIMD3<Int>, threads: Int) -> Double {
    let transform = RealTransform3D(counts: counts)
    let buffers = (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(counts)) }
    for b in buffers { b.pointer.initialize(repeating: 0, count: b.count) }
    let start = DispatchTime.now().uptimeNanoseconds
    transform.inverse(buffers, threads: threads)
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
  }

  /// The same three transforms with FFTW's own multi-threaded plan (`threads` FFTW threads, one
  /// component after another): the fastest FFTW can do, but not bitwise independent of `threads`.
  public static func threeInverseTransformsFFTWThreadedSeconds(counts n: SIMD3<Int>, threads: Int) -> Double {
    let buffers = (0..<3).map { _ in AlignedFloatBuffer(count: RealTransform3D.paddedCount(n)) }
    for b in buffers { b.pointer.initialize(repeating: 0, count: b.count) }
    let plan = FFTW.planning(threads: threads) {
      fftwf_plan_dft_c2r_3d(
        Int32(n.x), Int32(n.y), Int32(n.z), UnsafeMutablePointer(OpaquePointer(buffers[0].pointer)), buffers[0].pointer,
        larmor_fftw_estimate())
    }
    guard let plan else { return .nan }
    defer { FFTW.planning(threads: 1) { fftwf_destroy_plan(plan) } }
    let start = DispatchTime.now().uptimeNanoseconds
    for b in buffers { fftwf_execute_dft_c2r(plan, UnsafeMutablePointer(OpaquePointer(b.pointer)), b.pointer) }
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
  }
}
