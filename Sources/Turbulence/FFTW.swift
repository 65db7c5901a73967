import CFFTW
import FieldStorage
import LarmorCore
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
///
/// Synthesis itself uses `NodeLayoutInverseTransform`; `inverse` is the benchmark's reference and
/// the tests' check of it, `forward` serves the diagnostics.
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
  /// synthesizing one three-component field) by FFTW's own 3D plan: single-threaded plans,
  /// components side by side on `threads` threads (how synthesis ran before
  /// `NodeLayoutInverseTransform`). Buffers are allocated and touched before the clock starts.
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

/// The inverse transform of a three-component field from its half spectrum straight into
/// `GridField`'s node layout (b_x b_y b_z per node, rows of N_z nodes, no padding), in place.
///
/// FFTW's 3D c2r is done as its three 1D stages, each by a single-threaded plan of fixed shape
/// that our threads execute on fixed slices (so the result does not depend on the thread count):
///   1. c2c along y, one call per x-plane (`transformAlongY`; synthesis runs it right after
///      filling the plane, while the plane is in cache);
///   2. c2c along x, one call per y-row (`transformAlongX`);
///   3. c2r along z, one call per x-plane (`transformAlongZ`): each row's coefficients are copied
///      to a per-worker scratch row and transformed from there into the row's nodes.
/// Stages 1 and 2 run through scratch too, `block` columns (adjacent transforms) at a time: a
/// block of all N points is copied into a contiguous array, transformed there, and copied back.
/// Letting FFTW run the strided transforms in place made stages 1 and 2 ≈ 10× slower at 256³
/// (synthesis 2.4× FFTW's own 3D plan instead of 0.6×): FFTW_ESTIMATE loops over the columns one
/// at a time, missing cache and TLB at every point.
///
/// Layout: stages 1 and 2 act on k_z > 0; the k_z = 0 plane is kept aside (`zeroPlane`, 24 bytes
/// per (x, y) row) and transformed by one 2D plan (`transformZeroPlane`), and the k_z = N_z/2
/// Nyquist plane is zero (synthesis never fills it), so the remaining coefficients,
/// 3 · 2 · ((N_z − 1)/2) floats per row, fit in the row's own 3 N_z floats: row r holds (k_z index
/// l ≥ 1, component c) at float 3 N_z r + 6(l − 1) + 2c (+1 for the imaginary part). Plans use
/// FFTW's split-complex interface, a backward transform being the forward one with re and im
/// swapped (which is how FFTW runs its interleaved backward plans).
///
/// FFTW's new-array execute requires the alignment the plan was made for. Scratch slices all
/// share one alignment; the rows written by stage 3 start at 12 N_z r bytes, so stage 3 has one
/// plan per alignment met, all made (FFTW_ESTIMATE: instant, arrays untouched) before any run.
final class NodeLayoutInverseTransform: @unchecked Sendable {
  let counts: SIMD3<Int>
  /// Largest retained k_z index: rows hold l = 1...lastIndex.
  let lastIndex: Int
  /// The nodes (3 N_x N_y N_z floats + 1): coefficients in, field out.
  let nodes: UnsafeMutablePointer<Float>
  /// The k_z = 0 plane: complex (r, c) at floats 2(3r + c), 2(3r + c) + 1.
  let zeroPlane: AlignedFloatBuffer
  /// Workers with their own scratch.
  let workers: Int
  /// Complex columns per block in stages 1 and 2.
  static let block = 16
  /// Floats of one worker's scratch, rounded up to whole cache lines.
  private let scratchStride: Int
  private let scratch: AlignedFloatBuffer
  private var alongY: fftwf_plan? = nil
  private var alongX: fftwf_plan? = nil
  private var alongZ: [Int32: fftwf_plan] = [:]
  private var zeroPlanePlan: fftwf_plan? = nil
  // The forward stages (`forwardInPlace`): the same shapes with re and im in FFTW's order.
  private var alongYForward: fftwf_plan? = nil
  private var alongXForward: fftwf_plan? = nil
  private var alongZForward: [Int32: fftwf_plan] = [:]
  private var zeroPlaneForward: fftwf_plan? = nil

  /// Plans for `counts` on `nodes`, with scratch for every worker that `parallelForWorkers` uses
  /// with up to `threads` threads over x-planes or y-rows.
  init(counts n: SIMD3<Int>, nodes: AlignedFloatBuffer, threads: Int) {
    precondition(nodes.count >= 3 * n.x * n.y * n.z)
    workers = max(parallelWorkers(n.x, threads: threads), parallelWorkers(n.y, threads: threads))
    counts = n
    lastIndex = GridGeometry.largestIndex(points: n.z)
    self.nodes = nodes.pointer
    zeroPlane = AlignedFloatBuffer(count: 6 * n.x * n.y)
    let b = Self.block
    scratchStride = (max(6 * (n.z / 2 + 1), 2 * b * max(n.x, n.y)) + 15) / 16 * 16
    scratch = AlignedFloatBuffer(count: scratchStride * workers)
    let flags = larmor_fftw_estimate()
    let p = nodes.pointer
    let s = scratch.pointer
    FFTW.planning(threads: 1) {
      var columns = fftwf_iodim(n: Int32(b), is: 2, os: 2)
      var dim = fftwf_iodim(n: Int32(n.y), is: Int32(2 * b), os: Int32(2 * b))
      alongY = Self.checked(fftwf_plan_guru_split_dft(1, &dim, 1, &columns, s + 1, s, s + 1, s, flags), n)
      alongYForward = Self.checked(fftwf_plan_guru_split_dft(1, &dim, 1, &columns, s, s + 1, s, s + 1, flags), n)
      dim = fftwf_iodim(n: Int32(n.x), is: Int32(2 * b), os: Int32(2 * b))
      alongX = Self.checked(fftwf_plan_guru_split_dft(1, &dim, 1, &columns, s + 1, s, s + 1, s, flags), n)
      alongXForward = Self.checked(fftwf_plan_guru_split_dft(1, &dim, 1, &columns, s, s + 1, s, s + 1, flags), n)
      let z = zeroPlane.pointer
      var planeDims = [
        fftwf_iodim(n: Int32(n.x), is: Int32(6 * n.y), os: Int32(6 * n.y)), fftwf_iodim(n: Int32(n.y), is: 6, os: 6),
      ]
      var components = fftwf_iodim(n: 3, is: 2, os: 2)
      zeroPlanePlan = Self.checked(fftwf_plan_guru_split_dft(2, &planeDims, 1, &components, z + 1, z, z + 1, z, flags), n)
      zeroPlaneForward = Self.checked(fftwf_plan_guru_split_dft(2, &planeDims, 1, &components, z, z + 1, z, z + 1, flags), n)
      let input = UnsafeMutablePointer<fftwf_complex>(OpaquePointer(s))
      for r in 0..<(n.x * n.y) {
        let row = p + 3 * n.z * r
        let key = fftwf_alignment_of(row)
        if alongZ[key] == nil {
          var dim = fftwf_iodim(n: Int32(n.z), is: 3, os: 3)
          var howmany = fftwf_iodim(n: 3, is: 1, os: 1)
          alongZ[key] = Self.checked(fftwf_plan_guru_dft_c2r(1, &dim, 1, &howmany, input, row, flags), n)
          alongZForward[key] = Self.checked(fftwf_plan_guru_dft_r2c(1, &dim, 1, &howmany, row, input, flags), n)
        }
      }
    }
  }

  private static func checked(_ plan: fftwf_plan?, _ n: SIMD3<Int>) -> fftwf_plan {
    guard let plan else { fatalError("FFTW could not plan a \(n) synthesis transform") }
    return plan
  }

  deinit {
    FFTW.planning(threads: 1) {
      for plan in [alongY, alongX, zeroPlanePlan, alongYForward, alongXForward, zeroPlaneForward]
        + (Array(alongZ.values) + Array(alongZForward.values)).map(Optional.some)
      {
        if let plan { fftwf_destroy_plan(plan) }
      }
    }
  }

  /// Stage 1 on x-plane `ix` (its rows' k_z > 0 coefficients must be filled), with worker
  /// `worker`'s scratch; `forward` runs the forward transform instead (`forwardInPlace`).
  func transformAlongY(plane ix: Int, worker: Int, forward: Bool = false) {
    let rowFloats = 3 * counts.z
    transformColumns(
      nodes + ix * counts.y * rowFloats, points: counts.y, stride: rowFloats, plan: forward ? alongYForward! : alongY!,
      forward: forward, worker: worker)
  }

  /// Stage 2 on the x-line of y-row `iy`, for all k_z > 0 (after stage 1 on every plane).
  func transformAlongX(row iy: Int, worker: Int, forward: Bool = false) {
    let rowFloats = 3 * counts.z
    transformColumns(
      nodes + iy * rowFloats, points: counts.x, stride: counts.y * rowFloats, plan: forward ? alongXForward! : alongX!,
      forward: forward, worker: worker)
  }

  /// Backward (or forward) c2c of the 3 · lastIndex adjacent complex columns starting at `base`,
  /// each of `points` values `stride` floats apart, `block` columns at a time through scratch. The
  /// last block is padded with zero columns (each column is transformed independently).
  private func transformColumns(
    _ base: UnsafeMutablePointer<Float>, points: Int, stride: Int, plan: fftwf_plan, forward: Bool, worker: Int
  ) {
    precondition(worker < workers)
    let b = Self.block
    let s = scratch.pointer + worker * scratchStride
    let columns = 3 * lastIndex
    for first in Swift.stride(from: 0, to: columns, by: b) {
      let width = min(b, columns - first)
      for i in 0..<points {
        (s + 2 * b * i).update(from: base + i * stride + 2 * first, count: 2 * width)
        if width < b { (s + 2 * b * i + 2 * width).update(repeating: 0, count: 2 * (b - width)) }
      }
      if forward { fftwf_execute_split_dft(plan, s, s + 1, s, s + 1) } else { fftwf_execute_split_dft(plan, s + 1, s, s + 1, s) }
      for i in 0..<points {
        (base + i * stride + 2 * first).update(from: s + 2 * b * i, count: 2 * width)
      }
    }
  }

  /// Stages 1 and 2 for the k_z = 0 plane (one call).
  func transformZeroPlane() {
    let z = zeroPlane.pointer
    fftwf_execute_split_dft(zeroPlanePlan!, z + 1, z, z + 1, z)
  }

  /// Stage 3 on the N_y rows of x-plane `ix` (after stage 2 and the zero plane), using worker
  /// `worker`'s scratch, then multiplies the plane's values by `scale`.
  func transformAlongZ(plane ix: Int, worker: Int, scale: Float) {
    precondition(worker < workers)
    let n = counts
    let rowFloats = 3 * n.z
    let s = scratch.pointer + worker * scratchStride
    let input = UnsafeMutablePointer<fftwf_complex>(OpaquePointer(s))
    let z = zeroPlane.pointer
    let coefficients = 6 * lastIndex
    let end = 6 * (n.z / 2 + 1)
    for iy in 0..<n.y {
      let r = ix * n.y + iy
      let row = nodes + r * rowFloats
      // l = 0 (real after stage 2 up to round-off; c2r reads only the real part), l ≥ 1, Nyquist.
      for c in 0..<3 {
        s[2 * c] = z[6 * r + 2 * c]
        s[2 * c + 1] = 0
      }
      (s + 6).update(from: row, count: coefficients)
      for i in (6 + coefficients)..<end { s[i] = 0 }
      fftwf_execute_dft_c2r(alongZ[fftwf_alignment_of(row)]!, input, row)
      if scale != 1 {
        for i in 0..<rowFloats { row[i] *= scale }
      }
    }
  }

  /// The forward transform of the nodes in place, the inverse of the synthesis's pipeline: the
  /// field's real values become its half spectrum in this class's layout (unnormalized, F_k =
  /// Σ_x b(x) e^(−ik·x)): r2c along z per row (stage 3 reversed; the k_z = N_z/2 Nyquist
  /// coefficient of an even N_z is dropped, as synthesis never fills it), the k_z = 0 plane into
  /// `zeroPlane` and its 2D transform, then c2c along x per y-row and along y per x-plane. The
  /// field's values are gone afterwards; `coefficient(_:_:_:)` reads the spectrum. Extra memory:
  /// `zeroPlane` (24 bytes per (x, y) row) and the workers' scratch, so diagnostics fit beside the
  /// field's 12 bytes per cell. Deterministic for any thread count (fixed split, single-threaded
  /// plans).
  func forwardInPlace(threads: Int) {
    let n = counts
    parallelForWorkers(n.x, threads: threads) { worker, ix in self.forwardAlongZ(plane: ix, worker: worker) }
    let z = zeroPlane.pointer
    fftwf_execute_split_dft(zeroPlaneForward!, z, z + 1, z, z + 1)
    parallelForWorkers(n.y, threads: threads) { worker, iy in self.transformAlongX(row: iy, worker: worker, forward: true) }
    parallelForWorkers(n.x, threads: threads) { worker, ix in self.transformAlongY(plane: ix, worker: worker, forward: true) }
  }

  /// Stage 3 reversed on the rows of x-plane `ix`: each row's real values → its k_z ≥ 0
  /// coefficients in scratch, then l = 0 to `zeroPlane` and l = 1…lastIndex back into the row.
  private func forwardAlongZ(plane ix: Int, worker: Int) {
    precondition(worker < workers)
    let n = counts
    let rowFloats = 3 * n.z
    let s = scratch.pointer + worker * scratchStride
    let output = UnsafeMutablePointer<fftwf_complex>(OpaquePointer(s))
    let z = zeroPlane.pointer
    let coefficients = 6 * lastIndex
    for iy in 0..<n.y {
      let r = ix * n.y + iy
      let row = nodes + r * rowFloats
      fftwf_execute_dft_r2c(alongZForward[fftwf_alignment_of(row)]!, row, output)
      (z + 6 * r).update(from: s, count: 6)
      row.update(from: s + 6, count: coefficients)
    }
  }

  /// Mode (ix, iy, l) of component c after `forwardInPlace` (unnormalized; l ≤ lastIndex).
  @inline(__always)
  func coefficient(_ ix: Int, _ iy: Int, _ l: Int, component c: Int) -> (re: Float, im: Float) {
    let r = ix * counts.y + iy
    if l == 0 { return (zeroPlane.pointer[6 * r + 2 * c], zeroPlane.pointer[6 * r + 2 * c + 1]) }
    let p = nodes + 3 * counts.z * r + 6 * (l - 1) + 2 * c
    return (p[0], p[1])
  }
}
