import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("Investigation guide and notes")
struct GuideAndNotesTests {
  @Test("g opens the checklist; d, n, u set step states; progress shows in the list row")
  func checklist() {
    var state = ConsoleFixtures.state(rows: 40)
    ConsoleFixtures.press(&state, [.char("g")])
    var frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("[ ] 1."))
    #expect(frame.contains("False-positive analysis"))
    #expect(frame.contains("Response"))
    let saves = ConsoleFixtures.press(&state, [.char("d"), .char("n")])
    #expect(saves.count == 2)
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("[x] 1."))
    #expect(frame.contains("[-] 2."))
    #expect(frame.contains("2/4 steps settled") || frame.contains("Guide 2/4"))
    ConsoleFixtures.press(&state, [.up, .char("u")])
    #expect(ConsoleFixtures.frame(state).frame.contains("[ ] 2."))
    ConsoleFixtures.press(&state, [.escape])
    #expect(ConsoleFixtures.frame(state).lines[2].contains("1/4"))
  }

  @Test("a step note is edited with Enter, saved with Ctrl-S, shown under the step")
  func stepNote() {
    var state = ConsoleFixtures.state(rows: 40)
    ConsoleFixtures.press(&state, [.char("g"), .enter] + ConsoleFixtures.type("ASN is the CI's NAT") + [.enter] + ConsoleFixtures.type("日本語 ok"))
    let effects = ConsoleFixtures.press(&state, [.ctrl("s")])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    let uuid = state.top.uuid!
    let step = state.session.alert(uuid: uuid)!.rule!.guide.steps[0].key
    #expect(saved.state(of: uuid).step(step).note == "ASN is the CI's NAT\n日本語 ok")
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("✎"))
    #expect(frame.contains("日本語 ok"))
  }

  @Test("the note editor edits like a text field: arrows, Home/End, backspace, delete, new lines, paste")
  func editing() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("helo world"))
    ConsoleFixtures.press(&state, [.home, .right, .right, .right] + ConsoleFixtures.type("l"))
    ConsoleFixtures.press(&state, [.end, .backspace, .backspace] + ConsoleFixtures.type("LD"))
    ConsoleFixtures.press(&state, [.home, .delete, .end])
    _ = state.update(.insert("\npasted\r\nlines"), now: ConsoleFixtures.now)
    guard case .editor(let editor) = state.overlay else { Issue.record("editor closed"); return }
    #expect(editor.buffer.text == "ello worLD\npasted\nlines")
    let effects = ConsoleFixtures.press(&state, [.ctrl("s")])
    let uuid = state.selectedUUID!
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    let note = saved.state(of: uuid).notes.last!
    #expect(note.text == "ello worLD\npasted\nlines")
    #expect(note.author == "tester")
    #expect(note.createdAt == ConsoleFixtures.now)
  }

  @Test("a long line in the note editor wraps, earlier lines stay in view, and the cursor stands where typing goes")
  func editorWraps() {
    var state = ConsoleFixtures.state()
    let long = (1...30).map { "w\($0)" }.joined(separator: " ") + " 日本語"
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("first") + [.enter] + ConsoleFixtures.type(long))
    var screen = ConsoleFixtures.frame(state)
    let lines = screen.lines
    guard let first = lines.firstIndex(where: { $0.contains("│first") || $0.contains("│ first") }) else { Issue.record("\(screen.frame)"); return }
    // At 80 columns the 117-column line takes two rows under the first line, nothing cut off.
    #expect(lines[first + 1].contains("w1 w2 w3") && lines[first + 2].contains("日本語"), "\(screen.frame)")
    let row = lines[first + 2]
    guard let found = row.range(of: "日本語") else { Issue.record("\(screen.frame)"); return }
    let end = DisplayWidth.of(String(row[..<found.upperBound]))
    #expect(screen.cursor?.row == first + 2 && screen.cursor?.col == end)
    // Home goes to the start of the line: the cursor goes back to the first row of it.
    ConsoleFixtures.press(&state, [.home])
    screen = ConsoleFixtures.frame(state)
    #expect(screen.cursor?.row == first + 1 && screen.cursor?.col == lines[first + 1].firstIndex(of: "w")!.utf16Offset(in: lines[first + 1]))
  }

  @Test("typing q or ? in a note is text, not a command")
  func keysAreText() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("q?/gs"))
    guard case .editor(let editor) = state.overlay else { Issue.record("editor closed"); return }
    #expect(editor.buffer.text == "q?/gs")
  }

  @Test("Esc on a changed note asks first; n keeps editing, y discards without saving")
  func cancelAsks() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("draft"))
    ConsoleFixtures.press(&state, [.escape])
    #expect(ConsoleFixtures.frame(state).frame.contains("Discard the changes?"))
    ConsoleFixtures.press(&state, [.char("n")])
    guard case .editor = state.overlay else { Issue.record("editor closed"); return }
    ConsoleFixtures.press(&state, [.escape, .char("y")])
    #expect(state.overlay == nil)
    #expect(state.session.state(of: state.selectedUUID!).notes.isEmpty)
  }

  @Test("an open editor's text is kept as a draft when the console must stop, and offered again")
  func drafts() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("half a thought"))
    let kept = state.preserveDraft()
    #expect(kept)
    let uuid = state.selectedUUID!
    #expect(state.session.state(of: uuid).drafts["note"] == "half a thought")
    var reopened = ConsoleState(session: state.session, statePath: "x", author: "tester", size: state.size)
    // The detail says a draft waits, rather than that there is no note.
    ConsoleFixtures.press(&reopened, [.enter, .char("G")])
    let frame = ConsoleFixtures.frame(reopened).frame
    #expect(frame.contains("(an unsaved draft is waiting; e opens it)") && !frame.contains("(none yet; e writes one)"))
    ConsoleFixtures.press(&reopened, [.char("e")])
    guard case .editor(let editor) = reopened.overlay else { Issue.record("editor closed"); return }
    #expect(editor.buffer.text == "half a thought")
    #expect(reopened.message == "restored the unsaved draft")
    // Discarding it forgets it, in the saved session too: it is not offered a third time.
    let effects = ConsoleFixtures.press(&reopened, [.escape, .char("y")])
    guard case .save(let saved) = effects.last else { Issue.record("the discarded draft was not saved away"); return }
    #expect(saved.state(of: uuid).drafts["note"] == nil)
    ConsoleFixtures.press(&reopened, [.char("e")])
    guard case .editor(let fresh) = reopened.overlay else { Issue.record("editor closed"); return }
    #expect(fresh.buffer.text.isEmpty)
  }
}
