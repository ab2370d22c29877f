import Testing
@testable import TriageConsole
@testable import TriageCore

/// The first frame is drawn before most of each row is built, and the rest is built after it (by
/// the run loop's worker, or by a key that needs it first). None of that may show: the screen
/// must be the same whenever the rows are completed.
@Suite("Rows completed after the first frame")
struct AlertRowsTests {
  static let alerts = ConsoleFixtures.variedAlerts(count: 240)
  static let shared = Exclusion(
    id: "team-1", name: "team", ruleIDs: [BuiltinRules.all[0].ruleID],
    entries: [ExclusionEntry(field: "user.name", kind: .match("principal-3"))], comment: "", author: "lead",
    createdAt: "2026-11-01T00:00:00.000Z")

  static func state(cols: Int, rows: Int, complete: Bool) -> ConsoleState {
    var state = ConsoleState(
      session: TriageSession(alerts: alerts), statePath: "s.json", author: "tester", size: Size(rows: rows, cols: cols),
      sharedExclusions: [shared])
    if complete { ConsoleFixtures.completeRows(&state) }
    return state
  }

  /// Same text and same roles in every cell; a difference prints both frames, not the cells.
  static func expectSame(_ early: MemoryScreen, _ late: MemoryScreen, after step: String = "the first frame") {
    let same = early.cells == late.cells
    #expect(same, "after \(step):\n\(early.frame)\n---\n\(late.frame)")
  }

  @Test("the first frame, drawn before the rows are complete, is the frame drawn after", arguments: [(80, 24), (200, 50)])
  func firstFrame(cols: Int, rows: Int) {
    let early = Self.state(cols: cols, rows: rows, complete: false)
    let earlyFrame = ConsoleFixtures.frame(early)
    let wasComplete = early.areRowsComplete
    #expect(!wasComplete)
    var late = early
    ConsoleFixtures.completeRows(&late)
    let isComplete = late.areRowsComplete
    #expect(isComplete)
    let lateFrame = ConsoleFixtures.frame(late)
    Self.expectSame(earlyFrame, lateFrame)
    #expect(earlyFrame.lines[0].contains("240 alerts"))
  }

  @Test(
    "sort, filter and search pressed before the rows are complete show what they show after",
    arguments: [
      "s", "ss", "sss", "ssss", "sssss", "S", "ssS", "sssS", "/principal-5\n", "/fn-1\nnnN", "/hetzner", "G", "fjjjjj\n",
      "fjjjjjjjjjjj\n", "sss/198.51.100.4\nn",
    ])
  func keysBeforeCompletion(keys: String) {
    let typed = keys.map { $0 == "\n" ? Key.enter : Key.char($0) }
    var early = Self.state(cols: 120, rows: 30, complete: false)
    let pending = early.startEffects
    var late = Self.state(cols: 120, rows: 30, complete: true)
    for key in typed {
      ConsoleFixtures.press(&early, [key])
      ConsoleFixtures.press(&late, [key])
      let earlyFrame = ConsoleFixtures.frame(early), lateFrame = ConsoleFixtures.frame(late)
      Self.expectSame(earlyFrame, lateFrame, after: "\(key)")
      let sameOrder = early.list.visible == late.list.visible
      #expect(sameOrder, "after \(key)")
    }
    // The worker's rows arriving after the keys built them change nothing.
    let before = ConsoleFixtures.frame(early)
    for case .completeRows(let completion) in pending { _ = early.update(.rowsCompleted(completion.run()), now: ConsoleFixtures.now) }
    let isComplete = early.areRowsComplete
    #expect(isComplete)
    Self.expectSame(ConsoleFixtures.frame(early), before, after: "the worker's rows")
  }

  @Test("the header counts every alert, per rule and excluded, before the rows are complete")
  func countsBeforeCompletion() {
    let state = Self.state(cols: 120, rows: 30, complete: false)
    let rows = Self.alerts.map { AlertRow($0, exclusions: [Self.shared]) }
    // Counted per rule id, under the name of the rule's first alert.
    var ruleIDs: [String] = []
    for row in rows where !ruleIDs.contains(row.ruleID) { ruleIDs.append(row.ruleID) }
    #expect(ruleIDs.count == 3)
    #expect(state.list.counts.total == 240)
    #expect(state.list.counts.byRule.map(\.name) == ruleIDs.map { id in rows.first { $0.ruleID == id }!.rule })
    #expect(state.list.counts.byRule.map(\.count) == ruleIDs.map { id in rows.filter { $0.ruleID == id }.count })
    #expect(state.list.counts.excluded == rows.filter(\.isExcluded).count)
    #expect(state.list.counts.excluded > 0)
    #expect(state.list.visible.count == 240 - state.list.counts.excluded)
  }

  @Test("each sort orders alerts by its column, ties in detection order; S reverses the whole list")
  func sortOrders() {
    var state = ConsoleFixtures.state(cols: 120, rows: 30, alerts: Self.alerts)
    let rows = Self.alerts.map { AlertRow($0) }
    func expected(_ key: SortKey) -> [Int] {
      func before(_ a: Int, _ b: Int) -> Bool {
        let x = rows[a], y = rows[b]
        switch key {
        case .time: return x.time.utf8.lexicographicallyPrecedes(y.time.utf8)
        case .severity: return x.severityRank > y.severityRank
        case .rule: return x.rule.utf8.lexicographicallyPrecedes(y.rule.utf8)
        case .principal: return x.principal.utf8.lexicographicallyPrecedes(y.principal.utf8)
        case .function: return x.function.utf8.lexicographicallyPrecedes(y.function.utf8)
        }
      }
      return rows.indices.sorted { a, b in before(a, b) || (!before(b, a) && a < b) }
    }
    for key in SortKey.allCases {
      #expect(state.list.sort == key)
      let ascending = state.list.visible == expected(key)
      #expect(ascending, "\(key)")
      ConsoleFixtures.press(&state, [.char("S")])
      let descending = state.list.visible == expected(key).reversed()
      #expect(descending, "\(key) descending")
      ConsoleFixtures.press(&state, [.char("S"), .char("s")])
    }
  }

  @Test("rows completed for other alerts are not taken")
  func otherAlerts() {
    var state = ConsoleFixtures.state(cols: 120, rows: 30, alerts: Self.alerts, complete: false)
    let other = ConsoleFixtures.state(cols: 120, rows: 30, alerts: Array(Self.alerts.reversed()), complete: false)
    let before = ConsoleFixtures.frame(state)
    for case .completeRows(let completion) in other.startEffects {
      _ = state.update(.rowsCompleted(completion.run()), now: ConsoleFixtures.now)
    }
    let isComplete = state.areRowsComplete
    #expect(!isComplete)
    Self.expectSame(ConsoleFixtures.frame(state), before, after: "the other alerts' rows")
  }
}
