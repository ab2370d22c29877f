import Foundation
import Testing
@testable import TriageCore

@Suite struct StateFileLockTests {
  @Test("A second console on the same file is refused with the holder's pid")
  func secondConsoleRefused() throws {
    let path = TriageFixtures.temporaryDirectory() + "/state.json"
    let lock = try StateFileLock.acquire(path)
    #expect(throws: StateFileError.locked(file: path, lockFile: path + ".lock", pid: getpid())) {
      _ = try StateFileLock.acquire(path, pid: getpid() + 1)
    }
    lock.release()
    #expect(!FileManager.default.fileExists(atPath: path + ".lock"))
    let again = try StateFileLock.acquire(path)
    again.release()
  }

  @Test("A lock left by a dead process is taken over")
  func staleLockTakenOver() throws {
    let path = TriageFixtures.temporaryDirectory() + "/state.json"
    // A child that has exited and been reaped leaves a pid that is no longer alive.
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let deadPID = child.processIdentifier
    try "\(deadPID)\n".write(toFile: path + ".lock", atomically: false, encoding: .utf8)
    let lock = try StateFileLock.acquire(path)
    #expect(StateFileLock.holder(of: path + ".lock") == getpid())
    lock.release()
  }

  @Test("A lock held by a killed console that nobody reaped (a zombie) is taken over")
  func zombieLockTakenOver() throws {
    let path = TriageFixtures.temporaryDirectory() + "/state.json"
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    defer { argv.forEach { free($0) } }
    #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
    defer { var status: Int32 = 0; waitpid(pid, &status, 0) }
    // Not reaped yet: the child exits and stays a zombie that still answers signal 0.
    var waited = 0
    while !StateFileLock.isZombie(pid) && waited < 500 {
      usleep(10_000)
      waited += 1
    }
    #expect(StateFileLock.isZombie(pid))
    #expect(kill(pid, 0) == 0)
    try "\(pid)\n".write(toFile: path + ".lock", atomically: false, encoding: .utf8)
    let lock = try StateFileLock.acquire(path)
    #expect(StateFileLock.holder(of: path + ".lock") == getpid())
    lock.release()
    #expect(!StateFileLock.isZombie(getpid()))
  }

  @Test("Releasing never removes a lock another console took over")
  func releaseOnlyOwnLock() throws {
    let path = TriageFixtures.temporaryDirectory() + "/state.json"
    let lock = try StateFileLock.acquire(path)
    try "1\n".write(toFile: path + ".lock", atomically: false, encoding: .utf8)
    lock.release()
    #expect(StateFileLock.holder(of: path + ".lock") == 1)
  }
}
