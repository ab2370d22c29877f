import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("Alert list")
struct AlertListTests {
  @Test("the Samples open on a list of all 12 alerts with counts per rule and status, at 80x24")
  func opensOnSamples() {
    let screen = ConsoleFixtures.frame(ConsoleFixtures.state())
    let lines = screen.lines
    #expect(lines[0].contains("12 alerts"))
    #expect(lines[0].contains("new ASN 7"))
    #expect(lines[0].contains("function URL 5"))
    #expect(lines[0].contains("open 12 · ack 0 · closed 0"))
    #expect(lines[1].contains("status") && lines[1].contains("principal"))
    let rows = lines[2...13]
    #expect(rows.allSatisfy { $0.contains("open") })
    #expect(rows.filter { $0.contains(" high ") }.count == 5)
    #expect(rows.contains { $0.contains("debug-s…") && $0.contains("etl-role") && $0.contains("0/5") }, "\(screen.frame)")
    // Addresses are whole even at 80 columns (77 is the least that leaves 15 for them): .40 and
    // .41 must not read the same.
    #expect(ListColumns(width: 77).sourceIP == 15 && ListColumns(width: 76).sourceIP < 15)
    #expect(rows.contains { $0.contains(" 193.32.126.40 ") } && rows.contains { $0.contains(" 198.51.100.10 ") })
    #expect(lines[23].contains("state: Samples.triage.json"))
    #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
  }

  @Test("a terminal under 60x12 says it is too small and how large it must be; q still quits; a resize brings the list back")
  func tooSmall() {
    var state = ConsoleFixtures.state(cols: 40, rows: 10)
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Terminal too small (40x10)"))
    #expect(frame.contains("needs 60x12"))
    _ = state.update(.resize(Size(rows: 24, cols: 80)), now: ConsoleFixtures.now)
    #expect(ConsoleFixtures.frame(state).lines[0].contains("12 alerts"))
    // Writing a note: keys wait for a larger terminal, q included (it would be typed unseen).
    ConsoleFixtures.press(&state, [.char("e")] + ConsoleFixtures.type("abc"))
    _ = state.update(.resize(Size(rows: 10, cols: 40)), now: ConsoleFixtures.now)
    #expect(ConsoleFixtures.frame(state).frame.contains("what you typed is kept"))
    #expect(ConsoleFixtures.press(&state, [.char("q"), .char("x"), .escape]).isEmpty)
    _ = state.update(.resize(Size(rows: 24, cols: 80)), now: ConsoleFixtures.now)
    guard case .editor(let editor) = state.overlay else { Issue.record("the editor closed"); return }
    #expect(editor.buffer.text == "abc")
    ConsoleFixtures.press(&state, [.ctrl("s")])
    _ = state.update(.resize(Size(rows: 10, cols: 40)), now: ConsoleFixtures.now)
    // The message's words are whole.
    #expect(!ConsoleFixtures.frame(state).lines.contains { $0.hasSuffix("Enla") })
    #expect(ConsoleFixtures.press(&state, [.char("q")]).contains(.quit))
  }

  @Test("s cycles the sort key; severity puts the five high alerts first, S reverses")
  func sorting() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("s")])
    #expect(state.list.sort == .severity)
    var lines = ConsoleFixtures.frame(state).lines
    #expect(lines[2...6].allSatisfy { $0.contains(" high ") })
    #expect(lines[23].contains("sorted by severity, highest first"))
    ConsoleFixtures.press(&state, [.char("S")])
    #expect(state.message == "sorted by severity, lowest first")
    lines = ConsoleFixtures.frame(state).lines
    #expect(lines[2...8].allSatisfy { $0.contains(" med ") })
  }

  @Test("/ searches every visible field incrementally; n and N move between matches")
  func search() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("hetzner"))
    #expect(ConsoleFixtures.frame(state).lines[23].hasPrefix("/hetzner"))
    ConsoleFixtures.press(&state, [.enter])
    let selected = state.session.alert(uuid: state.selectedUUID!)!
    #expect(selected.string("source.as.organization.name") == "HETZNER-AS")
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("orders-api") + [.enter])
    let first = state.list.scroll.selected
    ConsoleFixtures.press(&state, [.char("n")])
    #expect(state.list.scroll.selected != first)
    #expect(state.row(at: state.list.visible[state.list.scroll.selected]).function == "orders-api")
    ConsoleFixtures.press(&state, [.char("N")])
    #expect(state.list.scroll.selected == first)
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("no-such-thing") + [.enter])
    #expect(state.message == "no match for no-such-thing")
  }

  @Test("f filters by rule; the header still counts everything; Esc clears the filter")
  func filtering() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("f")])
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Filter alerts by"))
    #expect(frame.contains("rule: Public function URL"))
    guard case .picker(let picker) = state.overlay else { Issue.record("no picker"); return }
    let target = picker.choices.firstIndex { if case .rule(let id?, _) = $0 { return id == BuiltinRules.all[0].ruleID } else { return false } }!
    ConsoleFixtures.press(&state, Array(repeating: .down, count: target) + [.enter])
    #expect(state.list.visible.count == 5)
    let lines = ConsoleFixtures.frame(state).lines
    #expect(lines[0].hasPrefix(" 5 of 12 shown (Public function URL) · new ASN 7 · function URL 5"))
    #expect(lines[2...6].allSatisfy { $0.contains(" URL ") })
    ConsoleFixtures.press(&state, [.escape])
    #expect(state.list.visible.count == 12)
    #expect(state.message == "filter cleared")
  }

  @Test("space marks alerts; a then acknowledges all marked ones in one save")
  func bulkAcknowledge() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char(" "), .char(" ")])
    #expect(ConsoleFixtures.frame(state).lines[2].hasPrefix("*"))
    let effects = ConsoleFixtures.press(&state, [.char("a")])
    #expect(effects.count == 1)
    #expect(state.list.counts.byStatus[.acknowledged] == 2)
    #expect(state.list.marks.isEmpty)
    let lines = ConsoleFixtures.frame(state).lines
    #expect(lines[2].contains("ack") && lines[3].contains("ack") && !lines[4].contains("ack"))
    #expect(lines[0].contains("ack 2"))
  }

  @Test("marks the filter hides are counted in the header and named when a status key acts on them")
  func hiddenMarks() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("s")])  // severity: the high alerts first
    let mediums = state.list.visible.suffix(2).map { state.session.alerts[$0].uuid }
    ConsoleFixtures.press(&state, [.char("G"), .char(" "), .up, .char(" ")])
    #expect(Set(mediums) == state.list.marks)
    #expect(ConsoleFixtures.frame(state).lines[0].hasPrefix(" 12 alerts · marked 2 · "))
    ConsoleFixtures.press(&state, [.char("f")])
    guard case .picker(let picker) = state.overlay else { Issue.record("no picker"); return }
    let high = picker.choices.firstIndex { if case .severity("high") = $0 { return true } else { return false } }!
    ConsoleFixtures.press(&state, Array(repeating: .down, count: high) + [.enter, .home, .char(" ")])
    #expect(ConsoleFixtures.frame(state).lines[0].hasPrefix(" 5 of 12 shown (high) · marked 3 (2 hidden) · "))
    ConsoleFixtures.press(&state, [.char("a")])
    #expect(state.message == "3 alerts acknowledged (2 of them hidden by the filter)")
    #expect(state.list.counts.byStatus[.acknowledged] == 3)
  }

  @Test("a closed alert the last run no longer produced reads closed† in full, at 80 columns")
  func goneAndClosed() {
    var session = TriageSession(alerts: ConsoleFixtures.sampleAlerts)
    let first = session.alerts[0].uuid
    session.setStatus(.closed, reason: .falsePositive, for: [first], at: "2026-11-20T10:00:00Z")
    session.merge(detected: Array(ConsoleFixtures.sampleAlerts.dropFirst()))
    var state = ConsoleState(session: session, statePath: "s.json", author: "tester", size: Size(rows: 24, cols: 80))
    ConsoleFixtures.completeRows(&state)
    let lines = ConsoleFixtures.frame(state).lines
    #expect(lines[2].hasPrefix("  closed† med "), "\(lines[2])")
  }

  @Test("c closes with a reason from Elastic's set, o reopens and drops the reason")
  func closeAndReopen() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.char("c")])
    let frame = ConsoleFixtures.frame(state).frame
    for reason in ["false positive", "benign positive", "true positive", "duplicate", "other"] {
      #expect(frame.contains(reason))
    }
    let effects = ConsoleFixtures.press(&state, [.enter])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    let uuid = state.selectedUUID!
    #expect(saved.state(of: uuid).status == .closed)
    #expect(saved.state(of: uuid).reason == .falsePositive)
    #expect(state.message == "alert closed as false positive")
    ConsoleFixtures.press(&state, [.char("o")])
    #expect(state.session.state(of: uuid).status == .open)
    #expect(state.session.state(of: uuid).reason == nil)
  }

  @Test("the column header marks the sorted column and its direction, at 80 columns too")
  func sortMark() {
    for cols in [80, 120] {
      var state = ConsoleFixtures.state(cols: cols, rows: 24)
      #expect(ConsoleFixtures.frame(state).lines[1].contains("▲time"))
      ConsoleFixtures.press(&state, [.char("s")])
      var header = ConsoleFixtures.frame(state).lines[1]
      #expect(header.contains("▲se") && !header.contains("▲time") && header.contains("time"), "\(header)")
      ConsoleFixtures.press(&state, [.char("S")])
      header = ConsoleFixtures.frame(state).lines[1]
      #expect(header.contains("▼se"), "\(header)")
    }
  }

  @Test("closing as 'other' opens the note editor for the reason; Esc skips it, the alert stays closed")
  func closeAsOtherAsksWhy() {
    var state = ConsoleFixtures.state()
    let uuid = state.selectedUUID!
    // 'other' is the last reason.
    ConsoleFixtures.press(&state, [.char("c"), .down, .down, .down, .down, .enter])
    #expect(state.session.state(of: uuid).reason == .other)
    guard case .editor(let editor) = state.overlay else { Issue.record("no editor"); return }
    #expect(editor.target == .alertNote(uuid: uuid))
    #expect(state.message == "alert closed as other: say why in a note (Ctrl-S saves it, Esc skips)")
    ConsoleFixtures.press(&state, ConsoleFixtures.type("handled in ticket SEC-1412") + [.ctrl("s")])
    #expect(state.session.state(of: uuid).notes.map(\.text) == ["handled in ticket SEC-1412"])
    #expect(state.session.state(of: uuid).status == .closed)
    // Another alert: Esc leaves it closed, with no note.
    ConsoleFixtures.press(&state, [.char("j")])
    let next = state.selectedUUID!
    ConsoleFixtures.press(&state, [.char("c"), .down, .down, .down, .down, .enter, .escape])
    #expect(state.overlay == nil)
    #expect(state.session.state(of: next).status == .closed && state.session.state(of: next).notes.isEmpty)
  }

  @Test("a wide terminal shows the selected alert's detail beside the list; resizing relays out")
  func wideSplit() {
    var state = ConsoleFixtures.state(cols: 80, rows: 24)
    #expect(!ConsoleFixtures.frame(state).frame.contains("Request parameters"))
    _ = state.update(.resize(Size(rows: 50, cols: 200)), now: ConsoleFixtures.now)
    let screen = ConsoleFixtures.frame(state)
    #expect(screen.frame.contains("Request parameters"))
    #expect(screen.lines[1].contains("│"))
    #expect(screen.lines.allSatisfy { DisplayWidth.of($0) <= 200 })
  }

  @Test("help lists the keys of every screen, from the keymap")
  func help() {
    var state = ConsoleFixtures.state(rows: 80)
    ConsoleFixtures.press(&state, [.char("?")])
    let frame = ConsoleFixtures.frame(state).frame
    for title in ["Everywhere", "Alert list", "Alert detail", "Investigation guide", "Note editor"] {
      #expect(frame.contains(title))
    }
    #expect(frame.contains("search all visible fields"))
    ConsoleFixtures.press(&state, [.escape])
    #expect(state.top == .list)
  }

  @Test("q quits from the list only; elsewhere it goes back")
  func quit() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.enter])
    #expect(ConsoleFixtures.press(&state, [.char("q")]).isEmpty)
    #expect(state.top == .list)
    #expect(ConsoleFixtures.press(&state, [.char("q")]) == [.quit])
  }
}
