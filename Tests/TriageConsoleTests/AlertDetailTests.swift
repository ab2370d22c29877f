import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("Alert detail and raw event")
struct AlertDetailTests {
  /// The Samples' public URL on debug-shell.
  func openDebugShell() -> ConsoleState {
    var state = ConsoleFixtures.state(rows: 60)
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("debug-shell") + [.enter, .enter])
    return state
  }

  @Test("Enter opens the sections: summary, function with URL and auth type, parameters as a tree, identity, network, client")
  func sections() {
    let frame = ConsoleFixtures.frame(openDebugShell()).frame
    for text in ["Summary", "Risk score", "73", "Function", "Request parameters", "Response elements",
                 "Identity", "Network", "Client", "Auth type", "NONE", "functionName", "debug-shell",
                 "Access key id", "ASN organisation", "M247 Europe SRL", "User agent"] {
      #expect(frame.contains(text), "missing \(text)")
    }
    #expect(frame.contains("Function URL") && frame.contains("lambda-url"))
  }

  @Test("r shows the raw record pretty-printed and scrollable; r or Esc return")
  func raw() {
    var state = openDebugShell()
    _ = state.update(.resize(Size(rows: 24, cols: 80)), now: ConsoleFixtures.now)
    ConsoleFixtures.press(&state, [.char("r")])
    var frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Raw event"))
    #expect(frame.contains("\"eventVersion\": \"1.09\""))
    #expect(!frame.contains("\"eventName\""))
    ConsoleFixtures.press(&state, [.pageDown])
    #expect(ConsoleFixtures.frame(state).frame.contains("\"eventName\": \"createfunctionurlconfig20211031\""))
    ConsoleFixtures.press(&state, [.home, .char("j"), .char("j")])
    #expect(state.raw.selected == 2)
    ConsoleFixtures.press(&state, [.char("l")])
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("column 9"))
    ConsoleFixtures.press(&state, [.char("r")])
    guard case .detail = state.top else { Issue.record("not back on the detail"); return }
  }

  @Test("a new-terms alert's terms are told apart even when one holds a comma")
  func newTermsSeparated() {
    let alert = ConsoleFixtures.sampleAlerts.first { $0.newTerms.first == "DigitalOcean, LLC" }!
    let line = AlertDetailContent.lines(alert, state: AlertTriage()).first { $0.label == "New terms" }
    #expect(line?.value == "DigitalOcean, LLC · 444455556666 · ingest-role")
  }

  @Test("y on any line of a note shows the whole note, wrapped, under the title Note")
  func wholeNote() {
    var state = ConsoleFixtures.state()
    let long = (1...60).map { "word\($0)" }.joined(separator: " ")
    state.session.addNote("first line\n" + long, author: "tester", for: state.selectedUUID!, at: "2026-11-20T10:00:00Z")
    ConsoleFixtures.press(&state, [.enter])
    let lines = AlertDetailContent.lines(state.session.alert(uuid: state.selectedUUID!)!, state: state.session.state(of: state.selectedUUID!))
    let last = lines.lastIndex { $0.value == long }!
    ConsoleFixtures.press(&state, Array(repeating: .down, count: last))
    let effects = ConsoleFixtures.press(&state, [.char("y")])
    #expect(effects == [.copy("first line\n" + long)])
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("─ Note ─") && frame.contains("word1 ") && frame.contains("word60"), "\(frame)")
  }

  @Test("y on a value shows it whole and copies it")
  func copy() {
    var state = openDebugShell()
    let lines = AlertDetailContent.lines(state.session.alert(uuid: state.top.uuid!)!, state: AlertTriage())
    let arn = lines.firstIndex { $0.label == "ARN" && $0.value.hasPrefix("arn:aws:sts") }!
    ConsoleFixtures.press(&state, Array(repeating: .down, count: arn))
    let effects = ConsoleFixtures.press(&state, [.char("y")])
    guard case .copy(let text) = effects.first else { Issue.record("no copy"); return }
    #expect(text == lines[arn].value)
    #expect(ConsoleFixtures.frame(state).frame.contains("copied to the clipboard"))
    ConsoleFixtures.press(&state, [.char("x")])
    #expect(state.overlay == nil)
  }

  @Test("a value longer than the screen scrolls (j/k, PgDn, G, g) and says where it is; any other key closes it")
  func longValueScrolls() {
    var state = ConsoleFixtures.state()
    ConsoleFixtures.press(&state, [.enter])
    let text = (1...100).map { "line \($0)" }.joined(separator: "\n")
    state.overlay = .value(ValueView(title: "requestParameters", text: text, areaWidth: state.layout.body.width))
    var frame = ConsoleFixtures.frame(state).frame
    // 80x24: 19 rows of text in the box.
    #expect(frame.contains("line 1 ") && frame.contains("line 19 ") && !frame.contains("line 20 "))
    #expect(frame.contains("lines 1-19 of 100"))
    #expect(ConsoleFixtures.frame(state).lines[23].contains("j scroll down"))
    ConsoleFixtures.press(&state, [.char("j"), .down])
    frame = ConsoleFixtures.frame(state).frame
    #expect(!frame.contains("line 2 ") && frame.contains("line 3 ") && frame.contains("line 21 "))
    ConsoleFixtures.press(&state, [.char("G")])
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("line 100 ") && frame.contains("lines 82-100 of 100"))
    ConsoleFixtures.press(&state, [.char("j"), .char("k")])  // past the end is the end
    #expect(ConsoleFixtures.frame(state).frame.contains("lines 81-99 of 100"))
    ConsoleFixtures.press(&state, [.char("g"), .pageDown])
    #expect(ConsoleFixtures.frame(state).frame.contains("lines 19-37 of 100"))
    // The wheel scrolls it too rather than closing it.
    ConsoleFixtures.press(&state, [.wheelDown])
    #expect(ConsoleFixtures.frame(state).frame.contains("lines 20-38 of 100"))
    ConsoleFixtures.press(&state, [.char("x")])
    #expect(state.overlay == nil)
  }

  @Test("an ECS document without flattened objects still shows its request parameters, read back from the rendered map")
  func renderedParameters() {
    var state = ConsoleFixtures.state(rows: 60)
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("partner-hook") + [.enter, .enter])
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("functionName") && frame.contains("partner-hook"))
    #expect(frame.contains("authType"))
  }
}
