import Foundation

/// Writes files so that a reader (or a killed run) never sees a half-written one: the bytes go to
/// a temporary file beside the destination, which is renamed into place once complete.
public enum AtomicFile {
  public static func write(_ data: Data, to path: String) throws(InputError) {
    let temporary = temporaryPath(for: path)
    do {
      try data.write(to: URL(fileURLWithPath: temporary))
    } catch {
      throw InputError("\(path): cannot write (directory missing or not writable?)")
    }
    try commit(temporary, to: path)
  }

  /// The temporary name a file is written under before `commit`.
  static func temporaryPath(for path: String) -> String {
    path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
  }

  /// Renames a finished temporary file into place (removing it on failure).
  static func commit(_ temporary: String, to path: String) throws(InputError) {
    guard rename(temporary, path) == 0 else {
      unlink(temporary)
      throw InputError("\(path): cannot move the finished file into place")
    }
  }

  /// Writes `text` as UTF-8.
  public static func write(_ text: String, to path: String) throws(InputError) {
    try write(Data(text.utf8), to: path)
  }
}
