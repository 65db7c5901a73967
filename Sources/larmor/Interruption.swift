import Dispatch
import Foundation
import Tracing

/// On SIGINT or SIGTERM a long command says what survives before it exits (status 128 + signal):
/// the checkpoint holding every finished part and the state at its last write, and the command
/// that continues from it — or that there is none yet.
enum Interruption {
  /// Keeps the signal sources alive for the process's lifetime.
  nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

  static func announce(command: String, spec: String, checkpoint path: String, resume: String) {
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        let name = sig == SIGINT ? "SIGINT" : "SIGTERM"
        let message: String
        if FileManager.default.fileExists(atPath: path) {
          message = "larmor \(command): interrupted (\(name)); finished work is kept in the checkpoint \(path) — continue with `\(resume)`\n"
        } else {
          message = "larmor \(command): interrupted (\(name)) before the first checkpoint; nothing to resume, the run starts afresh next time\n"
        }
        FileHandle.standardError.write(Data(message.utf8))
        exit(128 + sig)
      }
      source.resume()
      sources.append(source)
    }
  }

  /// "resuming from …": the checkpoint's finished parts and, if one was in progress, its time.
  static func resumeLine(_ checkpoint: TraceCheckpoint, path: String, rigidities: [Double]) -> String {
    var line = "resuming from \(path): \(checkpoint.finished.count) (realization, rigidity) part(s) finished"
    if let current = checkpoint.current {
      let R = rigidities.indices.contains(current.rigidityIndex) ? String(format: "%g", rigidities[current.rigidityIndex]) : "?"
      line += String(format: "; realization %d, R = %@ continues from t = %.4g L/c", current.realization + 1, R, current.state.time)
    }
    return line
  }
}
