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
    #expect(earlyFrame.lines[0].contains("236 of 240 shown (4 excluded hidden)"))
  }

  /// Keys written as text: a newline is Enter, ESC is Escape, DEL is Backspace.
  static func keys(_ text: String) -> [Key] {
    text.map { c in
      switch c {
      case "\n": return .enter
      case "\u{1B}": return .escape
      case "\u{7F}": return .backspace
      default: return .char(c)
      }
    }
  }

  /// Whether some key has built every row's detail or the search index (about 200 ms at 100k
  /// alerts) instead of waiting for the worker.
  static func builtRows(_ state: ConsoleState) -> Bool { state.rows.hasAllDetails || state.rows.hasSearchIndex }

  @Test(
    "sort, filter and scroll keys pressed before the rows are complete show at once what they show after",
    arguments: ["s", "ss", "S", "ssS", "G", "fjjjjj\n", "fjjjjjjjjjjj\n", "ssfjjjjjjj\njjjS"])
  func keysBeforeCompletion(keys: String) {
    var early = Self.state(cols: 120, rows: 30, complete: false)
    let pending = early.startEffects
    var late = Self.state(cols: 120, rows: 30, complete: true)
    for key in Self.keys(keys) {
      ConsoleFixtures.press(&early, [key])
      ConsoleFixtures.press(&late, [key])
      let earlyFrame = ConsoleFixtures.frame(early), lateFrame = ConsoleFixtures.frame(late)
      Self.expectSame(earlyFrame, lateFrame, after: "\(key)")
      let sameOrder = early.list.visible == late.list.visible
      #expect(sameOrder, "after \(key)")
      let built = Self.builtRows(early)
      #expect(!built, "after \(key)")
    }
    // The worker's rows arriving after these keys change nothing.
    let before = ConsoleFixtures.frame(early)
    for case .completeRows(let completion) in pending { _ = early.update(.rowsCompleted(completion.run()), now: ConsoleFixtures.now) }
    let isComplete = early.areRowsComplete
    #expect(isComplete)
    Self.expectSame(ConsoleFixtures.frame(early), before, after: "the worker's rows")
  }

  @Test(
    "keys that need every row, pressed before the rows are complete, wait for them without building them, then end as they end after",
    arguments: [
      // Sorts by principal and function, and the keys after them.
      "sss", "ssss", "sssss", "sssS", "sssjjjj", "ssss/fn-1\nn", "sssssss",
      // Searches: the prompt's matches, leaving it with Enter or Esc, n/N, and keys after them.
      "/principal-5\n", "/fn-1\nnnN", "/hetzner", "/fn-1\u{7F}\u{7F}\u{7F}\u{7F}\n", "/fn-16\u{7F}6\n",
      "/198.51.100.40\u{1B}", "/198.51.100.40\u{1B}jj", "/zzz\n", "/fn-1zz\n", "/fn-1\njjan", "sss/198.51.100.4\nn",
      "/principal-5\nn\u{1B}\u{1B}q",
    ])
  func waitingKeys(keys: String) {
    var early = Self.state(cols: 120, rows: 30, complete: false)
    let pending = early.startEffects
    var late = Self.state(cols: 120, rows: 30, complete: true)
    var earlyEffects: [Effect] = [], lateEffects: [Effect] = []
    for key in Self.keys(keys) {
      earlyEffects += ConsoleFixtures.press(&early, [key])
      lateEffects += ConsoleFixtures.press(&late, [key])
      let built = Self.builtRows(early)
      #expect(!built, "after \(key)")
    }
    // The screen says what waits (here every sequence has something waiting).
    let status = ConsoleFixtures.frame(early).lines.last ?? ""
    let says = status.contains("searching") || status.contains("when the rows are ready")
    #expect(says, "\(status)")
    for case .completeRows(let completion) in pending {
      earlyEffects += early.update(.rowsCompleted(completion.run()), now: ConsoleFixtures.now)
    }
    Self.expectSame(ConsoleFixtures.frame(early), ConsoleFixtures.frame(late), after: "the worker's rows")
    #expect(early == late)
    #expect(early.early.isEmpty)
    #expect(earlyEffects == lateEffects)
  }

  @Test("the search prompt follows typing before the rows are complete and says it is searching")
  func promptBeforeCompletion() {
    var state = Self.state(cols: 120, rows: 30, complete: false)
    let pending = state.startEffects
    let selected = state.list.scroll.selected
    ConsoleFixtures.press(&state, Self.keys("/fn-1"))
    var status = ConsoleFixtures.frame(state).lines.last ?? ""
    #expect(status.hasPrefix("/fn-1  searching…"))
    #expect(state.list.scroll.selected == selected)
    // Enter needs the match: it waits, and so do the keys after it.
    ConsoleFixtures.press(&state, Self.keys("\nn"))
    status = ConsoleFixtures.frame(state).lines.last ?? ""
    #expect(status.hasPrefix("/fn-1  searching… (2 keys waiting)"))
    for case .completeRows(let completion) in pending { _ = state.update(.rowsCompleted(completion.run()), now: ConsoleFixtures.now) }
    status = ConsoleFixtures.frame(state).lines.last ?? ""
    #expect(!status.contains("searching"))
    #expect(state.list.query == "fn-1")
    #expect(state.row(at: state.list.visible[state.list.scroll.selected]).function.hasPrefix("fn-1"))
  }

  @Test("a sort that waits for the rows says so in the status line")
  func sortBeforeCompletion() {
    var state = Self.state(cols: 120, rows: 30, complete: false)
    ConsoleFixtures.press(&state, Self.keys("sssj"))
    let status = ConsoleFixtures.frame(state).lines.last ?? ""
    #expect(status.hasPrefix(" sorting by principal when the rows are ready… (2 keys waiting)"))
    #expect(state.list.sort == .rule)
  }

  @Test("leaving (Ctrl-C, a signal) while keys wait applies them first: an acknowledgement typed ahead is kept")
  func leaveWithKeysWaiting() {
    var early = Self.state(cols: 120, rows: 30, complete: false)
    var late = Self.state(cols: 120, rows: 30, complete: true)
    let keys = Self.keys("sssja")
    ConsoleFixtures.press(&early, keys)
    let lateEffects = ConsoleFixtures.press(&late, keys)
    #expect(!early.early.isEmpty)
    let effects = early.finishWaitingKeys()
    #expect(early.early.isEmpty)
    #expect(effects == lateEffects)
    #expect(effects.contains { if case .save = $0 { true } else { false } })
    #expect(early.session == late.session)
    let acknowledged = early.session.alerts.filter { early.session.state(of: $0.uuid).status == .acknowledged }
    #expect(acknowledged.count == 1)
    // Nothing waiting: nothing to do.
    #expect(late.finishWaitingKeys().isEmpty)
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
