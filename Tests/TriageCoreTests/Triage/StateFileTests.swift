import Foundation
import Testing
@testable import TriageCore

@Suite struct StateFileTests {
  let now = "2026-11-06T09:00:00.000Z"

  func richSession() -> TriageSession {
    var session = TriageSession(alerts: [TriageFixtures.alert("a"), TriageFixtures.alert("b")], inputs: ["Samples/"])
    session.setStatus(.closed, reason: .benignPositive, for: ["a"], at: now)
    session.setStepStatus(.done, step: "step-2", for: "a", at: now)
    session.setStepNote("CI role \u{202E}txt.exe", step: "step-1", for: "a", at: now)
    session.addNote("line 1\nline 2 日本語", author: "ana", for: "b", at: now)
    session.setDraft("unsaved", key: "note", for: "b")
    return session
  }

  @Test("Round trip keeps every field")
  func roundTrip() throws {
    let session = richSession()
    let text = StateFileCodec.encode(session)
    let decoded = try StateFileCodec.decode(Array(text.utf8), file: "s.json")
    #expect(decoded == session)
    #expect(decoded.state(of: "b").drafts == ["note": "unsaved"])
    // Stable output: encoding the decoded session gives the same bytes.
    #expect(StateFileCodec.encode(decoded) == text)
  }

  @Test("Keys are written in a fixed order with the schema version first")
  func keyOrder() throws {
    let text = StateFileCodec.encode(richSession())
    let root = try #require(try JSONParser.parse(text).objectValue)
    #expect(root.members.map(\.key) == ["schemaVersion", "tool", "inputs", "exclusions", "alerts"])
    let first = try #require(root["alerts"]?.arrayValue?.first?.objectValue)
    #expect(first.members.map(\.key) == ["uuid", "status", "reason", "noLongerProduced", "updatedAt", "steps", "notes", "drafts", "document"])
    #expect(first["steps"]?.objectValue?.members.map(\.key) == ["step-1", "step-2"])
    #expect(text.contains("\n  \"schemaVersion\": 1,\n"))
  }

  @Test("A file that does not parse is refused with line and column and left untouched")
  func unparsable() throws {
    let directory = TriageFixtures.temporaryDirectory()
    let path = directory + "/state.json"
    let broken = "{\n  \"schemaVersion\": 1,\n  \"alerts\": [ oops ]\n}\n"
    try broken.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: StateFileError.unparsable(file: path, line: 3, column: 15, reason: "unexpected 'o'")) {
      _ = try StateFile.load(path)
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == broken)
  }

  @Test("A newer schema is refused naming both versions")
  func newerSchema() throws {
    let bytes = Array("{\"schemaVersion\": 7, \"alerts\": \"whatever\"}".utf8)
    #expect(throws: StateFileError.newerSchema(file: "f.json", found: 7, supported: 1)) {
      _ = try StateFileCodec.decode(bytes, file: "f.json")
    }
    let message = StateFileError.newerSchema(file: "f.json", found: 7, supported: 1).description
    #expect(message.contains("f.json") && message.contains("7"))
  }

  @Test("Wrong content names the JSON path")
  func invalidContent() {
    var text = StateFileCodec.encode(richSession())
    text = text.replacingOccurrences(of: "\"status\": \"closed\"", with: "\"status\": \"shut\"")
    #expect(throws: StateFileError.invalidContent(file: "f.json", path: "alerts[0].status", reason: "unknown status \"shut\" (expected open, acknowledged or closed)")) {
      _ = try StateFileCodec.decode(Array(text.utf8), file: "f.json")
    }
  }

  @Test("Saving replaces the file atomically and leaves no temporary behind")
  func atomicWrite() throws {
    let directory = TriageFixtures.temporaryDirectory()
    let path = directory + "/state.json"
    #expect(try StateFile.load(path) == nil)
    try StateFile.write(richSession(), to: path)
    var session = try #require(try StateFile.load(path))
    session.setStatus(.open, reason: nil, for: ["a"], at: now)
    try StateFile.write(session, to: path)
    #expect(try StateFile.load(path) == session)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(names == ["state.json"])
  }

  @Test("A failed save reports the file and keeps the previous contents")
  func failedWrite() throws {
    let directory = TriageFixtures.temporaryDirectory()
    let path = directory + "/missing-dir/state.json"
    #expect {
      try StateFile.write(richSession(), to: path)
    } throws: { error in
      guard case .writeFailed(let file, _)? = error as? StateFileError else { return false }
      return file == path
    }
  }
}
