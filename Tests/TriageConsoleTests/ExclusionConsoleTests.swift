import Testing
@testable import TriageConsole
@testable import TriageCore

@Suite("Exclusions in the console")
struct ExclusionConsoleTests {
  /// The Samples' invoke of orders-api from COMCAST (the first row by time).
  func stateOnFirstAlert() -> ConsoleState { ConsoleFixtures.state(cols: 120, rows: 40) }

  @Test("x, Enter, a comment, Ctrl-S: the false positive is excluded, hidden from the list, and saved")
  func threeKeystrokes() {
    var state = stateOnFirstAlert()
    let uuid = state.selectedUUID!
    ConsoleFixtures.press(&state, [.char("x")])
    var frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("source.as.organization.name is \"COMCAST-7922\""))
    // The first alert's caller is an assumed role: proposed by its role, not the session or its key.
    #expect(frame.contains("session_issuer.arn is \"arn:aws:iam::111122223333:role/etl-role\""))
    #expect(!frame.contains("aws.cloudtrail.user_identity.access_key_id is"))
    #expect(frame.contains(" AND "))
    ConsoleFixtures.press(&state, [.enter] + ConsoleFixtures.type("CI egress NAT"))
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("Would hide 1 current alert:"))
    #expect(frame.contains("Excluded events leave rule B's history too"))
    #expect(frame.contains("orders-api"))
    let effects = ConsoleFixtures.press(&state, [.ctrl("s")])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    #expect(saved.exclusions.count == 1)
    let exclusion = saved.exclusions[0]
    #expect(exclusion.entries == [ExclusionEntry(field: "source.as.organization.name", kind: .match("COMCAST-7922"))])
    #expect(exclusion.ruleIDs == [BuiltinRules.lambdaInvokeUnusualASN.ruleID])
    #expect(exclusion.comment == "CI egress NAT")
    #expect(exclusion.author == "tester")
    #expect(exclusion.createdAt == ConsoleFixtures.now)
    #expect(state.list.visible.count == 11)
    #expect(!state.list.visible.contains(state.session.index(of: uuid)!))
    #expect(ConsoleFixtures.frame(state).lines[0].contains("11 of 12 shown (1 excluded hidden)"))
  }

  @Test("a half-written exclusion is kept as a draft when the console must stop, restored on x, and dropped once saved")
  func draftKeptAndRestored() throws {
    var state = stateOnFirstAlert()
    let uuid = state.selectedUUID!
    // Tab to the first condition, change its value, then the comment.
    ConsoleFixtures.press(&state, [.char("x"), .enter, .tab] + ConsoleFixtures.type("-EU") + [.enter] + ConsoleFixtures.type("CI egress, ask Bo"))
    let kept = state.preserveDraft()
    #expect(kept)
    let draft = try #require(state.session.state(of: uuid).drafts["exclusion"])
    // As the state file would bring it back.
    let reloaded = try StateFileCodec.decode(Array(StateFileCodec.encode(state.session).utf8), file: "s.json")
    var reopened = ConsoleState(session: reloaded, statePath: "x", author: "tester", size: state.size)
    #expect(reopened.session.state(of: uuid).drafts["exclusion"] == draft)
    ConsoleFixtures.press(&reopened, [.char("x")])
    guard case .exclusion(let form) = reopened.overlay else { Issue.record("no form"); return }
    #expect(form.stage == .form && form.comment == "CI egress, ask Bo")
    #expect(form.conditions.first?.value.hasSuffix("-EU") == true)
    #expect(reopened.message?.contains("restored the unsaved exclusion draft") == true)
    #expect(ConsoleFixtures.frame(reopened).frame.contains("CI egress, ask Bo"))
    let effects = ConsoleFixtures.press(&reopened, [.ctrl("s")])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    #expect(saved.exclusions.first?.comment == "CI egress, ask Bo")
    #expect(saved.state(of: uuid).drafts["exclusion"] == nil)
  }

  @Test("a discarded exclusion draft is forgotten; an untouched form keeps no draft")
  func draftDiscarded() {
    var state = stateOnFirstAlert()
    let uuid = state.selectedUUID!
    ConsoleFixtures.press(&state, [.char("x"), .enter])
    let untouched = state.preserveDraft()
    #expect(!untouched)
    ConsoleFixtures.press(&state, ConsoleFixtures.type("maybe"))
    let typed = state.preserveDraft()
    #expect(typed)
    var reopened = ConsoleState(session: state.session, statePath: "x", author: "tester", size: state.size)
    let effects = ConsoleFixtures.press(&reopened, [.char("x"), .escape, .char("y")])
    guard case .save(let saved) = effects.last else { Issue.record("the dropped draft was not saved"); return }
    #expect(saved.state(of: uuid).drafts["exclusion"] == nil)
    ConsoleFixtures.press(&reopened, [.char("x")])
    guard case .exclusion(let fresh) = reopened.overlay else { Issue.record("no form"); return }
    #expect(fresh.stage == .choose)
  }

  @Test("the comment is required")
  func commentRequired() {
    var state = stateOnFirstAlert()
    let effects = ConsoleFixtures.press(&state, [.char("x"), .enter, .ctrl("s")])
    #expect(effects.isEmpty)
    #expect(state.message?.contains("comment is required") == true)
    #expect(state.session.exclusions.isEmpty)
  }

  @Test("Esc on a form with typed text asks before throwing it away; an untouched form closes at once")
  func discardAsks() {
    var state = stateOnFirstAlert()
    ConsoleFixtures.press(&state, [.char("x"), .enter, .escape])
    #expect(state.overlay == nil && state.message == "exclusion not saved")
    ConsoleFixtures.press(&state, [.char("x"), .enter] + ConsoleFixtures.type("CI runner") + [.escape])
    guard case .exclusion(let form) = state.overlay else { Issue.record("the form closed"); return }
    #expect(form.isConfirmingDiscard && form.comment == "CI runner")
    #expect(ConsoleFixtures.frame(state).frame.contains("Discard this exclusion? y discards · n keeps editing"))
    ConsoleFixtures.press(&state, [.char("q"), .char("n")])  // other keys do nothing; n keeps editing
    guard case .exclusion(let kept) = state.overlay else { Issue.record("the form closed"); return }
    #expect(!kept.isConfirmingDiscard && kept.comment == "CI runner")
    ConsoleFixtures.press(&state, ConsoleFixtures.type("s") + [.escape, .char("y")])
    #expect(state.overlay == nil && state.message == "exclusion discarded")
    #expect(state.session.exclusions.isEmpty)
  }

  @Test("operators and scope can be changed; the preview follows")
  func operatorsAndScope() {
    var state = stateOnFirstAlert()
    ConsoleFixtures.press(&state, [.char("x"), .enter, .tab])
    // Focus is on the value; make it a wildcard over every EXAMPLE network.
    ConsoleFixtures.press(&state, [.ctrl("o"), .ctrl("o")])
    for _ in 0..<20 { ConsoleFixtures.press(&state, [.backspace]) }
    ConsoleFixtures.press(&state, ConsoleFixtures.type("EXAMPLE*") + [.ctrl("t")])
    let frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("source.as.organization.name matches"))
    #expect(frame.contains("Scope: both rules"))
    guard case .exclusion(let form) = state.overlay, case .success(let entries) = form.entries() else { Issue.record("no form"); return }
    #expect(entries == [ExclusionEntry(field: "source.as.organization.name", kind: .wildcard("EXAMPLE*"))])
    let hits = state.suppressedAlerts(ruleIDs: BuiltinRules.all.map(\.ruleID), entries: entries)
    #expect(hits.count == 2)  // EXAMPLE-HOME-ISP twice; "Example Corp" differs in case
    #expect(frame.contains("Would hide 2 current alerts"))
  }

  @Test("'is one of' holds values with commas: quoted as in CSV, kept when the operator changes, and read back whole")
  func valuesWithCommas() throws {
    #expect(ValueList.split(#"a, "DigitalOcean, LLC" ,b,"say ""hi""",,  "#) == ["a", "DigitalOcean, LLC", "b", #"say "hi""#])
    for values in [["DigitalOcean, LLC", "M247 Europe SRL"], [#"a "b""#, " padded "], ["plain"]] {
      #expect(ValueList.split(ValueList.join(values)) == values)
    }
    // An organisation with a comma, turned from "is" into "is one of", stays one value.
    var form = ExclusionFormState(uuid: "u", ruleID: "r", proposals: [])
    form.conditions = [.init(field: "source.as.organization.name", op: .isValue, value: "DigitalOcean, LLC")]
    form.stage = .form
    form.focus = 0
    form.cycleOperator()
    #expect(form.conditions[0].op == .isOneOf && form.conditions[0].value == #""DigitalOcean, LLC""#)
    #expect(try form.entries().get() == [ExclusionEntry(field: "source.as.organization.name", kind: .matchAny(["DigitalOcean, LLC"]))])
    form.focusedText += ", HETZNER-AS"
    #expect(try form.entries().get() == [ExclusionEntry(field: "source.as.organization.name", kind: .matchAny(["DigitalOcean, LLC", "HETZNER-AS"]))])
    // A list of several values survives a whole turn of Ctrl-O (matches, exists, is, is one of).
    form.conditions[0].value = #""DigitalOcean, LLC", M247 Europe SRL"#
    for _ in 0..<4 { form.cycleOperator() }
    #expect(form.conditions[0].op == .isOneOf && form.conditions[0].value == #""DigitalOcean, LLC", M247 Europe SRL"#)
    #expect(try form.entries().get() == [ExclusionEntry(field: "source.as.organization.name", kind: .matchAny(["DigitalOcean, LLC", "M247 Europe SRL"]))])
    // Editing a saved list shows it as it was saved.
    let saved = Exclusion(id: "x", name: "n", ruleIDs: ["r"], entries: [ExclusionEntry(field: "f", kind: .matchAny(["A, Inc.", "B"]))], comment: "c", author: "a", createdAt: "t")
    #expect(try ExclusionFormState(editing: saved).entries().get() == saved.entries)
  }

  @Test("f shows excluded alerts again, marked; X lists exclusions with counts; disable and delete")
  func listAndManage() {
    var state = stateOnFirstAlert()
    ConsoleFixtures.press(&state, [.char("x"), .enter] + ConsoleFixtures.type("known") + [.ctrl("s")])
    ConsoleFixtures.press(&state, [.char("f")])
    guard case .picker(let picker) = state.overlay else { Issue.record("no picker"); return }
    let show = picker.choices.firstIndex(of: .excluded(true))!
    ConsoleFixtures.press(&state, Array(repeating: .down, count: show) + [.enter])
    #expect(state.list.visible.count == 12)
    #expect(ConsoleFixtures.frame(state).lines[2].hasSuffix("x"))
    ConsoleFixtures.press(&state, [.char("X")])
    var frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("[on ] hides 1"))
    #expect(frame.contains("“known” — tester"))
    ConsoleFixtures.press(&state, [.char(" ")])
    frame = ConsoleFixtures.frame(state).frame
    #expect(frame.contains("[off] hides 0"))
    #expect(state.list.counts.excluded == 0)
    // D asks first; another key keeps the exclusion; D, D deletes it.
    #expect(ConsoleFixtures.press(&state, [.char("D")]).isEmpty)
    #expect(state.message?.hasPrefix("D again deletes") == true)
    #expect(ConsoleFixtures.press(&state, [.char("j"), .char("D")]).isEmpty && state.session.exclusions.count == 1)
    let effects = ConsoleFixtures.press(&state, [.char("D")])
    guard case .save(let saved) = effects.first else { Issue.record("no save"); return }
    #expect(saved.exclusions.isEmpty)
    #expect(ConsoleFixtures.frame(state).frame.contains("None yet"))
  }

  @Test("an exclusion from a shared file is applied and listed but not editable")
  func sharedFile() {
    let shared = Exclusion(id: "team-1", name: "team", ruleIDs: [BuiltinRules.lambdaInvokeUnusualASN.ruleID],
                           entries: [ExclusionEntry(field: "user.name", kind: .match("alice"))], comment: "team", author: "lead", createdAt: "2026-11-01T00:00:00.000Z")
    var state = ConsoleState(session: TriageSession(alerts: ConsoleFixtures.sampleAlerts), statePath: "s", author: "tester", size: Size(rows: 40, cols: 120), sharedExclusions: [shared])
    #expect(state.list.counts.excluded == 2)
    ConsoleFixtures.press(&state, [.char("X"), .char("D")])
    #expect(state.message?.contains("shared --exclusions file") == true)
    #expect(state.list.counts.excluded == 2)
  }
}
