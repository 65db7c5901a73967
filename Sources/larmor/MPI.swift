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
  private let broadcastFunction: Bcast
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
  private typealias Bcast = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
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
    broadcastFunction = try symbol("MPI_Bcast", as: Bcast.self)
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

  /// Bytes each rank sends per `MPI_Gatherv` round: (2³¹ − 1)/size, so that one round's receive
  /// buffer stays within MPI's 32-bit counts and displacements; `LARMOR_MPI_GATHER_CHUNK` (bytes)
  /// lowers it, so that tests exercise many rounds with small results.
  var gatherChunk: Int {
    let largest = Int(Int32.max) / size
    guard let value = ProcessInfo.processInfo.environment["LARMOR_MPI_GATHER_CHUNK"], let n = Int(value), n > 0 else { return largest }
    return min(n, largest)
  }

  /// Every rank's `payload`, in rank order, on rank 0 (nil elsewhere). Collective. Results of
  /// any total size: the payloads travel in rounds of at most `gatherChunk` bytes per rank, their
  /// number broadcast by rank 0 from the gathered lengths.
  func gather(_ payload: Data) throws -> [Data]? {
    var length = Int64(payload.count)
    var lengths = [Int64](repeating: 0, count: rank == 0 ? size : 1)
    let status = withUnsafeBytes(of: &length) { send in
      lengths.withUnsafeMutableBytes { receive in gatherFunction(send.baseAddress, 8, byte, receive.baseAddress, 8, byte, 0, comm) }
    }
    guard status == 0 else { throw InputError("rank \(rank): MPI_Gather of payload sizes failed") }
    let chunk = Int64(gatherChunk)
    var rounds: Int64 = rank == 0 ? max(1, ((lengths.max() ?? 0) + chunk - 1) / chunk) : 0
    let told = withUnsafeMutableBytes(of: &rounds) { broadcastFunction($0.baseAddress, 8, byte, 0, comm) }
    guard told == 0 else { throw InputError("rank \(rank): MPI_Bcast of the gather's round count failed") }
    var received = [Data](repeating: Data(), count: rank == 0 ? size : 0)
    for round in 0..<rounds {
      let start = round * chunk
      let mine = payload.subdata(in: Int(min(start, length))..<Int(min(start + chunk, length)))
      let counts = lengths.map { Int32(max(0, min(chunk, $0 - start))) }
      var displacements = [Int32](repeating: 0, count: counts.count)
      for i in counts.indices.dropFirst() { displacements[i] = displacements[i - 1] + counts[i - 1] }
      var buffer = [UInt8](repeating: 0, count: rank == 0 ? max(1, Int(counts.reduce(0, +))) : 1)
      let result = mine.withUnsafeBytes { send in
        buffer.withUnsafeMutableBytes { receive in
          gathervFunction(send.baseAddress, Int32(mine.count), byte, receive.baseAddress, counts, displacements, byte, 0, comm)
        }
      }
      guard result == 0 else { throw InputError("rank \(rank): MPI_Gatherv of results failed (round \(round + 1) of \(rounds))") }
      if rank == 0 {
        for k in counts.indices where counts[k] > 0 {
          received[k].append(contentsOf: buffer[Int(displacements[k])..<Int(displacements[k] + counts[k])])
        }
      }
    }
    return rank == 0 ? received : nil
  }

  /// Ends the whole job: prints `message` once, naming this rank, and aborts every rank.
  func abort(_ message: String) -> Never {
    FileHandle.standardError.write(Data("Error (rank \(rank) of \(size)): \(message)\n".utf8))
    _ = abortFunction(comm, 1)
    exit(1)
  }

  func finalize() { _ = finalizeFunction() }
}
