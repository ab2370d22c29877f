import Foundation

/// An exclusive claim on a state file for one console: a `<file>.lock` next to it holding the
/// holder's pid. The lock file is created with O_EXCL, so two consoles cannot both win; a lock left
/// by a process that no longer exists (crash, kill -9) is taken over.
public struct StateFileLock: Sendable, Equatable {
  public let statePath: String
  public let lockPath: String
  public let pid: Int32

  public static func lockPath(for statePath: String) -> String { statePath + ".lock" }

  /// Takes the lock or throws `.locked` naming the live holder.
  public static func acquire(_ statePath: String, pid: Int32 = getpid()) throws(StateFileError) -> StateFileLock {
    let lockPath = lockPath(for: statePath)
    // Two attempts: the second follows the removal of a stale lock.
    for _ in 0..<2 {
      let fd = open(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd >= 0 {
        let text = "\(pid)\n"
        _ = text.withCString { Foundation.write(fd, $0, strlen($0)) }
        fsync(fd)
        close(fd)
        return StateFileLock(statePath: statePath, lockPath: lockPath, pid: pid)
      }
      guard errno == EEXIST else {
        throw .lockFailed(file: statePath, reason: "cannot create \(lockPath): \(String(cString: strerror(errno)))")
      }
      guard let holder = holder(of: lockPath) else {
        // Unreadable or empty: a holder may be mid-write; do not steal a lock we cannot read.
        throw .lockFailed(file: statePath, reason: "\(lockPath) exists but holds no pid; remove it if no console is running")
      }
      if isAlive(holder) { throw .locked(file: statePath, lockFile: lockPath, pid: holder) }
      unlink(lockPath)
    }
    throw .lockFailed(file: statePath, reason: "\(lockPath) keeps reappearing; another console is starting")
  }

  /// The pid written in a lock file.
  public static func holder(of lockPath: String) -> Int32? {
    guard let bytes = FileBytes.read(lockPath),
      let text = String(bytes: bytes, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
      let pid = Int32(text), pid > 0
    else { return nil }
    return pid
  }

  /// Removes the lock if it is still ours (never another console's that took over a stale one).
  public func release() {
    if StateFileLock.holder(of: lockPath) == pid { unlink(lockPath) }
  }

  static func isAlive(_ pid: Int32) -> Bool {
    // kill with signal 0 only checks; EPERM means the process exists under another user.
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    return !isZombie(pid)
  }

  /// A killed console whose parent died before reaping it stays a zombie where pid 1 does not
  /// reap (containers): it answers signal 0 but holds no files, so its lock is stale.
  static func isZombie(_ pid: Int32) -> Bool {
    guard let stat = FileBytes.read("/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: UInt8(ascii: ")")),
      close + 2 < stat.count
    else { return false }
    // The state letter follows the parenthesised command name, which may itself hold ")".
    return stat[close + 2] == UInt8(ascii: "Z") || stat[close + 2] == UInt8(ascii: "X")
  }
}
