import Foundation
import LarmorIO

#if canImport(Glibc)
  import Glibc
#endif

/// OpenMPI, loaded at run time only when the process was launched by OpenMPI's `mpirun`
/// (`OMPI_COMM_WORLD_SIZE` set and > 1). A single-process build and run never touch MPI: the
/// library is `dlopen`ed (libmpi.so.40, Debian's `libopenmpi3`), so `larmor` links no MPI at all.
///
/// Only what a distributed trace needs: rank and size, gathering byte payloads on rank 0, abort.
/// Handles are OpenMPI's predefined objects (`ompi_mpi_comm_world`, `ompi_mpi_byte`), whose
/// addresses are the `MPI_Comm`/`MPI_Datatype` values of its ABI.
final class MPI: @unchecked Sendable {
  let rank: Int
  let size: Int
  private let comm: UnsafeMutableRawPointer
  private let byte: UnsafeMutableRawPointer
  private let gatherFunction: Gather
  private let gathervFunction: Gatherv
  private let abortFunction: Abort
  private let finalizeFunction: Finalize
  private let barrierFunction: Barrier

  private typealias Handle = UnsafeMutableRawPointer?
  private typealias Init = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32
  private typealias CommInt = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
  private typealias Gather = @convention(c) (UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
  private typealias Gatherv = @convention(c) (
    UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, Handle, Int32, Handle
  ) -> Int32
  private typealias Abort = @convention(c) (Handle, Int32) -> Int32
  private typealias Finalize = @convention(c) () -> Int32
  private typealias Barrier = @convention(c) (Handle) -> Int32

  /// The world of this `mpirun` job, or nil when not launched by OpenMPI's mpirun with ≥ 2 ranks.
  /// Throws when launched so but OpenMPI cannot be loaded or initialized.
  static func world() throws -> MPI? {
    guard let value = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"], let n = Int(value), n > 1 else { return nil }
    return try MPI()
  }

  private init() throws {
    guard let library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL) ?? dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL) else {
      throw InputError("launched by mpirun, but OpenMPI's libmpi.so.40 cannot be loaded (install libopenmpi-dev; scripts/setup does)")
    }
    func symbol<T>(_ name: String, as: T.Type) throws -> T {
      guard let s = dlsym(library, name) else { throw InputError("OpenMPI's library has no \(name)") }
      return unsafeBitCast(s, to: T.self)
    }
    guard let comm = dlsym(library, "ompi_mpi_comm_world"), let byte = dlsym(library, "ompi_mpi_byte") else {
      throw InputError("libmpi is not OpenMPI (no ompi_mpi_comm_world): Larmor's MPI support uses OpenMPI's ABI")
    }
    self.comm = comm
    self.byte = byte
    let initialize = try symbol("MPI_Init", as: Init.self)
    guard initialize(nil, nil) == 0 else { throw InputError("MPI_Init failed") }
    var r: Int32 = 0, n: Int32 = 0
    _ = try symbol("MPI_Comm_rank", as: CommInt.self)(comm, &r)
    _ = try symbol("MPI_Comm_size", as: CommInt.self)(comm, &n)
    rank = Int(r)
    size = Int(n)
    gatherFunction = try symbol("MPI_Gather", as: Gather.self)
    gathervFunction = try symbol("MPI_Gatherv", as: Gatherv.self)
    abortFunction = try symbol("MPI_Abort", as: Abort.self)
    finalizeFunction = try symbol("MPI_Finalize", as: Finalize.self)
    barrierFunction = try symbol("MPI_Barrier", as: Barrier.self)
  }

  /// Waits until every rank has arrived. Collective.
  func barrier() { _ = barrierFunction(comm) }

  /// An error every rank meets alike (bad input): rank 0 reports it once and aborts the job; the
  /// other ranks wait to be ended with it.
  func failTogether(_ message: String) -> Never {
    if rank == 0 { abort(message) }
    barrier()
    exit(1)
  }

  /// Every rank's `payload`, in rank order, on rank 0 (nil elsewhere). Collective.
  func gather(_ payload: Data) throws -> [Data]? {
    var length = Int64(payload.count)
    var lengths = [Int64](repeating: 0, count: rank == 0 ? size : 1)
    let status = withUnsafeBytes(of: &length) { send in
      lengths.withUnsafeMutableBytes { receive in gatherFunction(send.baseAddress, 8, byte, receive.baseAddress, 8, byte, 0, comm) }
    }
    guard status == 0 else { throw InputError("rank \(rank): MPI_Gather of payload sizes failed") }
    if rank == 0, lengths.reduce(0, +) > Int64(Int32.max) {
      abort("the ranks' results exceed 2 GiB in one gather; use fewer rigidities per run or shards (larmor merge)")
    }
    let counts = lengths.map { Int32($0) }
    var displacements = [Int32](repeating: 0, count: counts.count)
    for i in counts.indices.dropFirst() { displacements[i] = displacements[i - 1] + counts[i - 1] }
    var buffer = [UInt8](repeating: 0, count: rank == 0 ? Int(counts.reduce(0, +)) : 1)
    let result = payload.withUnsafeBytes { send in
      buffer.withUnsafeMutableBytes { receive in
        gathervFunction(send.baseAddress, Int32(payload.count), byte, receive.baseAddress, counts, displacements, byte, 0, comm)
      }
    }
    guard result == 0 else { throw InputError("rank \(rank): MPI_Gatherv of results failed") }
    guard rank == 0 else { return nil }
    return counts.indices.map { Data(buffer[Int(displacements[$0])..<Int(displacements[$0] + counts[$0])]) }
  }

  /// Ends the whole job: prints `message` once, naming this rank, and aborts every rank.
  func abort(_ message: String) -> Never {
    FileHandle.standardError.write(Data("Error (rank \(rank) of \(size)): \(message)\n".utf8))
    _ = abortFunction(comm, 1)
    exit(1)
  }

  func finalize() { _ = finalizeFunction() }
}
