import Foundation

/// Reading and atomically writing a state file.
///
/// A save writes a temporary file in the same directory, fsyncs it, renames it over the state
/// file and fsyncs the directory: a crash or kill at any moment leaves either the previous save or
/// the new one, never a torn file. The temporary lives in the same directory because rename is
/// only atomic within one file system.
public enum StateFile {
  /// The session in `path`, or nil when there is none yet: no file, or an empty one (as `mktemp`
  /// or `touch` make it; a save never leaves a file empty, it renames a complete one in place).
  public static func load(_ path: String) throws(StateFileError) -> TriageSession? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let bytes = FileBytes.read(path) else {
      throw .unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    if bytes.isEmpty { return nil }
    return try StateFileCodec.decode(bytes, file: path)
  }

  /// Why `load` found no session, for messages.
  public static func absence(_ path: String) -> String {
    FileManager.default.fileExists(atPath: path) ? "is empty: no session saved in it yet" : "does not exist"
  }

  public static func write(_ session: TriageSession, to path: String) throws(StateFileError) {
    try write(text: StateFileCodec.encode(session), to: path)
  }

  static func write(text: String, to path: String) throws(StateFileError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())"
    func failure(_ step: String) -> StateFileError {
      .writeFailed(file: path, reason: "\(step): \(String(cString: strerror(errno)))")
    }
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw failure("cannot create \(temporary)") }
    var bytes = Array(text.utf8)
    var written = 0
    var ok = true
    bytes.withUnsafeMutableBytes { buffer in
      while written < buffer.count {
        let n = Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          ok = false
          return
        }
        written += n
      }
    }
    if !ok {
      let error = failure("cannot write \(temporary)")
      close(fd)
      unlink(temporary)
      throw error
    }
    if fsync(fd) != 0 {
      let error = failure("fsync")
      close(fd)
      unlink(temporary)
      throw error
    }
    close(fd)
    // Keep the permissions an existing state file had (it may be shared with a team).
    var existing = stat()
    if stat(path, &existing) == 0 { chmod(temporary, existing.st_mode & 0o7777) }
    if rename(temporary, path) != 0 {
      let error = failure("cannot replace the file")
      unlink(temporary)
      throw error
    }
    let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
    if directoryFD >= 0 {
      fsync(directoryFD)
      close(directoryFD)
    }
  }
}
