import Foundation
import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("When the state file cannot be written")
struct SaveFailureTests {
  @Test("a failed save is shown until a save succeeds, and the edit stays in the session for the next save")
  func failedSaveShownAndKept() throws {
    let directory = NSTemporaryDirectory() + "lt-readonly-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let moved = directory + ".away"
    defer { try? FileManager.default.removeItem(atPath: directory); try? FileManager.default.removeItem(atPath: moved) }
    let path = directory + "/session.json"
    var state = ConsoleFixtures.state()
    try StateFile.write(state.session, to: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    // The directory disappears (an unmounted share, a deleted folder): every write must fail, even as root.
    try FileManager.default.moveItem(atPath: directory, toPath: moved)
    let save: (TriageSession) -> String? = { session in
      do { try StateFile.write(session, to: path); return nil } catch { return "\(error)" }
    }
    let effects = ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("kept in memory") + [.ctrl("s")])
    guard case .save(let session) = effects.first else { Issue.record("no save"); return }
    let error = save(session)
    #expect(error != nil)
    _ = state.update(.saved(error: error), now: ConsoleFixtures.now)
    let bar = ConsoleFixtures.frame(state).lines[23]
    #expect(bar.hasPrefix("NOT SAVED: cannot save state file"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: moved + "/session.json")) == before)
    ConsoleFixtures.press(&state, [.char("j")])
    #expect(ConsoleFixtures.frame(state).lines[23].hasPrefix("NOT SAVED"))
    try FileManager.default.moveItem(atPath: moved, toPath: directory)
    let retry = ConsoleFixtures.press(&state, [.char("a")])
    guard case .save(let next) = retry.first else { Issue.record("no save"); return }
    _ = state.update(.saved(error: save(next)), now: ConsoleFixtures.now)
    #expect(state.saveError == nil)
    let reloaded = try #require(try StateFile.load(path))
    #expect(reloaded.triage.values.contains { $0.notes.contains { $0.text == "kept in memory" } })
  }
}
