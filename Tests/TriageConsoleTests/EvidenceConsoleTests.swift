import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("Evidence in the guide")
struct EvidenceConsoleTests {
  /// The guide of the Samples' public URL on report-gen, with its evidence collected.
  func guideOnReportGen() throws -> ConsoleState {
    var state = ConsoleFixtures.state(cols: 120, rows: 50)
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("function url") + [.enter])
    ConsoleFixtures.press(&state, [.char("/")] + ConsoleFixtures.type("report-gen") + [.enter])
    let effects = ConsoleFixtures.press(&state, [.char("g")])
    let uuid = try #require(state.top.uuid)
    #expect(effects == [.collectEvidence(uuid: uuid)])
    #expect(ConsoleFixtures.frame(state).frame.contains("reading the logs…"))
    let alert = try #require(state.session.alert(uuid: uuid))
    #expect(alert.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID)
    var options = DetectionOptions(paths: [ConsoleFixtures.samples])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    guard case .success(let events) = EvidenceCollector.collect(for: alert, options: options) else { throw CancellationError() }
    _ = state.update(.evidence(uuid: uuid, .ready(AlertEvidence.build(alert: alert, events: events))), now: ConsoleFixtures.now)
    return state
  }

  @Test("each step shows its evidence; opening the guide again does not read the logs again")
  func shown() throws {
    var state = try guideOnReportGen()
    #expect(ConsoleFixtures.frame(state).frame.contains("Principal: arn:aws:iam::111122223333:user/alice (IAMUser)"))
    ConsoleFixtures.press(&state, [.down, .down, .down])
    #expect(ConsoleFixtures.frame(state).frame.contains("public invoke permission"))
    ConsoleFixtures.press(&state, [.escape])
    #expect(ConsoleFixtures.press(&state, [.char("g")]).isEmpty)
  }

  @Test("p pins the step's evidence into its note and saves")
  func pin() throws {
    var state = try guideOnReportGen()
    ConsoleFixtures.press(&state, [.down, .down])
    let effects = ConsoleFixtures.press(&state, [.char("p")])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    let note = saved.state(of: state.top.uuid!).step("step-3").note
    #expect(note == "Evidence (pinned \(ConsoleFixtures.now)):\nNo earlier URL configuration of report-gen in the 10 days before: the URL is new here\nNo tags of report-gen in the logs (CreateFunction, TagResource) before the alert")
    // Pinning the same evidence again adds nothing.
    #expect(ConsoleFixtures.press(&state, [.char("p")]).isEmpty)
    #expect(state.message == "this evidence is pinned in the step's note already")
    #expect(state.session.state(of: state.top.uuid!).step("step-3").note == note)
  }

  @Test("E lists the events behind a step's evidence; Enter shows one in the detail layout")
  func events() throws {
    var state = try guideOnReportGen()
    ConsoleFixtures.press(&state, Array(repeating: .down, count: 4) + [.char("E")])
    var frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Events behind the evidence of step 5, What else did this principal do, and who called the URL?"))
    #expect(frame.contains("193.32") || frame.contains("HETZNER-AS"))
    ConsoleFixtures.press(&state, [.enter])
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Related event"))
    // A long path is cut from the left, so its file name and record number stay in view.
    guard case .event(let shownUUID, let shownIndex) = state.top, let shown = state.relatedEvent(uuid: shownUUID, index: shownIndex) else { Issue.record("not on an event"); return }
    #expect(frame.contains("Read from") && frame.contains(String(shown.location.suffix(40))), "\(shown.location)")
    #expect(frame.contains("Request parameters"))
    // The event is evidence, not the alert: x, c and e do nothing here; y copies the event's value.
    #expect(ConsoleFixtures.press(&state, [.char("x"), .char("c"), .char("e")]).isEmpty && state.overlay == nil)
    guard case .event(let uuid, let index) = state.top, let event = state.relatedEvent(uuid: uuid, index: index) else { Issue.record("not on an event"); return }
    let lines = AlertDetailContent.eventLines(event)
    let action = try #require(lines.firstIndex { $0.label == "Action" })
    ConsoleFixtures.press(&state, Array(repeating: .down, count: action))
    let effects = ConsoleFixtures.press(&state, [.char("y")])
    #expect(effects == [.copy(event.action)])
    #expect(ConsoleFixtures.frame(state).lines.last?.contains("y copy the value") == false)  // the box's own keys now
    ConsoleFixtures.press(&state, [.escape, .escape, .escape])
    guard case .guide = state.top else { Issue.record("not back in the guide"); return }
  }

  @Test("] picks an evidence line, Enter opens just its events; z folds the evidence; j returns to the steps")
  func evidenceLine() throws {
    var state = try guideOnReportGen()
    ConsoleFixtures.press(&state, Array(repeating: .down, count: 4))
    var picked: String?
    for _ in 0..<12 {
      ConsoleFixtures.press(&state, [.char("]")])
      picked = ConsoleFixtures.frame(state).frame.split(separator: "\n").first { $0.contains("▸ ") && $0.contains("HETZNER-AS") }.map(String.init)
      if picked != nil { break }
    }
    #expect(picked?.contains("HETZNER-AS: 1 event") == true, "\(ConsoleFixtures.frame(state).frame)")
    ConsoleFixtures.press(&state, [.enter])
    guard case .events(_, "step-5", let line?) = state.top else { Issue.record("not on the line's events: \(state.top)"); return }
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Events behind: HETZNER-AS: 1 event") && frame.contains("· 1"))
    #expect(state.evidenceEvents(uuid: state.top.uuid!, step: "step-5", line: line).count == 1)
    ConsoleFixtures.press(&state, [.escape])
    #expect(state.evidenceLine == line)
    ConsoleFixtures.press(&state, [.char("z")])
    #expect(ConsoleFixtures.frame(state).frame.contains("folded (z shows them)") && state.evidenceLine == nil)
    ConsoleFixtures.press(&state, [.char("z"), .char("]"), .char("j")])
    #expect(state.evidenceLine == nil)
    // Enter on the step itself still writes its note.
    ConsoleFixtures.press(&state, [.enter])
    #expect(ConsoleFixtures.frame(state).frame.contains("Step note"))
  }

  @Test("a related event leaves out the sections it has nothing for (an STS call has no function)")
  func emptySections() {
    let lines: [DetailLine] = [.section("Event"), .field("Action", "AssumeRole"), .blank, .section("Function"), .blank, .section("Request parameters"), .field("roleArn", "r"), .blank, .section("Response")]
    #expect(AlertDetailContent.withoutEmptySections(lines) == [.section("Event"), .field("Action", "AssumeRole"), .blank, .section("Request parameters"), .field("roleArn", "r")])
  }

  @Test("a session without its logs says what evidence needs")
  func unavailable() {
    var state = ConsoleFixtures.state(cols: 120, rows: 50)
    ConsoleFixtures.press(&state, [.char("g")])
    let uuid = state.top.uuid!
    let long = "/data/exports/" + String(repeating: "AWSLogs/111122223333/CloudTrail/", count: 4)
    _ = state.update(.evidence(uuid: uuid, .unavailable("evidence needs the logs this session was detected on (\(long)); reopen with them")), now: ConsoleFixtures.now)
    // The message wraps: what to do stays on screen after a long path.
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("evidence needs the logs") && frame.contains("reopen with them"))
    #expect(ConsoleFixtures.press(&state, [.char("p")]).isEmpty)
  }
}
