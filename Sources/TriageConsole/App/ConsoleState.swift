import TriageCore

/// The whole console as a value: the session, the navigation stack, every screen's scroll state
/// and the open overlay. `update` changes it; `ConsoleView.render` draws it.
public struct ConsoleState: Sendable, Equatable {
  public var session: TriageSession
  /// The list rows, aligned with `session.alerts`; `row(at:)` gives one.
  private(set) var rows: AlertRows
  public var statePath: String
  /// Written into notes (from `$USER`).
  public var author: String
  public var size: Size
  public var route: [Route] = [.list]
  public var list = AlertListState()
  public var detail = ScrollState()
  public var raw = ScrollState()
  public var rawColumn = 0
  public var guide = ScrollState()
  public var help = ScrollState()
  public var exclusionList = ScrollState()
  public var eventList = ScrollState()
  public var eventDetail = ScrollState()
  /// Evidence per alert uuid, collected when its guide first opens.
  public var evidence: [String: EvidenceState] = [:]
  /// The evidence line under the cursor in the guide (nil: the step itself is selected).
  public var evidenceLine: Int?
  /// The guide shows each step's evidence folded to one line.
  public var evidenceFolded = false
  /// Exclusions from `--exclusions` files: applied, shown, but not stored in the session.
  public var sharedExclusions: [Exclusion] = []
  public var overlay: Overlay?
  /// A one-line message for the status bar (cleared by the next key).
  public var message: String?
  /// The exclusion a first D asked about: the next key, if D on the same exclusion, deletes it.
  var deletionAsked: String?
  /// Set for the key being handled when it follows that question.
  var deletionConfirmed: String?
  /// The last save failed: shown until a save succeeds, because the analyst's work is at risk.
  public var saveError: String?
  /// Keys pressed before the rows were complete that wait for them.
  var early = EarlyKeys()

  public init(session: TriageSession, statePath: String, author: String, size: Size, sharedExclusions: [Exclusion] = []) {
    self.sharedExclusions = sharedExclusions
    self.session = session
    self.statePath = statePath
    self.author = author
    self.size = size
    rows = AlertRows(session.alerts, exclusions: session.exclusions + sharedExclusions)
    refreshList(keepSelection: false)
  }

  /// What the run loop starts once the first frame is drawn: building the rest of the rows (see
  /// `AlertRows`), so that no key waits for it later.
  public var startEffects: [Effect] {
    rows.completion.map { [.completeRows($0)] } ?? []
  }

  /// Whether every row is built, with the search index and each column's order.
  public var areRowsComplete: Bool { rows.isComplete }

  public var layout: ConsoleLayout { ConsoleLayout(size) }
  public var top: Route { route.last ?? .list }

  /// Whether typing goes into text (a note, an exclusion, a search).
  var isWritingText: Bool {
    switch overlay {
    case .editor, .search: return true
    case .exclusion(let form): return form.stage == .form
    default: return false
    }
  }

  /// The scope whose bindings apply now.
  public var scope: Scope {
    switch overlay {
    case .editor: return .noteEditor
    case .exclusion(let form): return form.stage == .form ? .exclusionForm : .picker
    case .picker: return .picker
    case .search: return .picker
    case .value: return .valueView
    case nil: break
    }
    switch top {
    case .list: return .alertList
    case .detail: return .alertDetail
    case .raw: return .rawEvent
    case .guide: return .guide
    case .help: return .help
    case .exclusions: return .exclusionList
    case .events: return .events
    case .event: return .relatedEvent
    }
  }

  /// The alert under the list selection.
  public var selectedUUID: String? {
    guard list.visible.indices.contains(list.scroll.selected) else { return nil }
    return session.alerts[list.visible[list.scroll.selected]].uuid
  }

  /// The alert the current screen is about: the route's, or the list selection.
  public var currentUUID: String? { top.uuid ?? selectedUUID }

  public func row(at alertIndex: Int) -> AlertRow { rows.row(at: alertIndex) }

  /// Every exclusion in force in the console: the session's and the shared files'.
  public var allExclusions: [Exclusion] { session.exclusions + sharedExclusions }

  /// Recomputes the exclusion markers after exclusions change.
  mutating func rebuildRows() {
    rows = rows.applying(allExclusions)
    refreshList()
  }

  /// Marked alerts the filter hides (a status key still applies to them).
  var hiddenMarks: Int {
    guard list.filter.isActive else { return 0 }
    return list.marks.reduce(0) { hidden, uuid in
      guard let index = session.index(of: uuid) else { return hidden }
      let outline = rows.outlines[index]
      let shown = list.filter.admits(status: session.state(of: uuid).status, ruleID: outline.ruleID, severity: outline.severity, excluded: outline.excludedBy != nil)
      return shown ? hidden : hidden + 1
    }
  }

  /// Recomputes the visible rows and the counts after a sort, filter or status change, keeping the
  /// selected alert selected when it is still visible.
  mutating func refreshList(keepSelection: Bool = true) {
    let previous = keepSelection ? selectedUUID : nil
    let filter = list.filter
    let alerts = session.alerts
    var visible: [Int] = []
    visible.reserveCapacity(alerts.count)
    var counts = AlertCounts()
    // Statuses by alert index from the (usually few) triaged alerts, rather than a lookup per alert.
    var statuses = [AlertStatus](repeating: .open, count: alerts.count)
    for (uuid, triage) in session.triage where triage.status != .open {
      if let index = session.index(of: uuid) { statuses[index] = triage.status }
    }
    var ruleNames: [String] = []
    var ruleIDs: [String] = []
    var ruleCounts: [Int] = []
    var open = 0, acknowledged = 0, closed = 0
    rows.outlines.withUnsafeBufferPointer { rows in
      for index in rows.indices {
        let status = statuses[index]
        switch status {
        case .open: open += 1
        case .acknowledged: acknowledged += 1
        case .closed: closed += 1
        }
        // Few distinct rules: a linear scan beats hashing the id for every alert.
        let ruleID = rows[index].ruleID
        if let slot = ruleIDs.firstIndex(of: ruleID) {
          ruleCounts[slot] += 1
        } else {
          ruleIDs.append(ruleID)
          ruleNames.append(rows[index].rule)
          ruleCounts.append(1)
        }
        let excluded = rows[index].excludedBy != nil
        if excluded { counts.excluded += 1 }
        if filter.admits(status: status, ruleID: ruleID, severity: rows[index].severity, excluded: excluded) { visible.append(index) }
      }
    }
    counts.total = alerts.count
    counts.byStatus = [.open: open, .acknowledged: acknowledged, .closed: closed]
    counts.byRule = zip(ruleNames, ruleCounts).map { ($0, $1) }
    // Each column's order is computed once and kept; a sort or filter change then only walks it.
    let order = rows.order(for: list.sort)
    if visible.count == order.count {
      visible = order
    } else {
      var shown = [Bool](repeating: false, count: rows.count)
      for index in visible { shown[index] = true }
      visible = order.filter { shown[$0] }
    }
    if list.isDescending { visible.reverse() }
    list.visible = visible
    list.counts = counts
    if let previous, let index = session.index(of: previous), let position = visible.firstIndex(of: index) {
      list.scroll.select(position, count: visible.count)
    } else {
      list.scroll.select(list.scroll.selected, count: visible.count)
    }
    list.scroll.follow(height: layout.listRows, count: visible.count)
  }
}
