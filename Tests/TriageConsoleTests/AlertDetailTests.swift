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

  @Test("an ECS document without flattened objects still shows its request parameters, read back from the rendered map")
  func renderedParameters() {
    var state = ConsoleFixtures.state(rows: 60)
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("partner-hook") + [.enter, .enter])
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("functionName") && frame.contains("partner-hook"))
    #expect(frame.contains("authType"))
  }
}
