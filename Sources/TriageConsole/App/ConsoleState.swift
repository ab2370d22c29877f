import TriageCore

/// The whole console as a value: the session, the navigation stack, every screen's scroll state
/// and the open overlay. `update` changes it; `ConsoleView.render` draws it.
public struct ConsoleState: Sendable, Equatable {
  public var session: TriageSession
  /// `AlertRow`s aligned with `session.alerts`.
  public private(set) var rows: [AlertRow]
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
  /// Exclusions from `--exclusions` files: applied, shown, but not stored in the session.
  public var sharedExclusions: [Exclusion] = []
  public var overlay: Overlay?
  /// A one-line message for the status bar (cleared by the next key).
  public var message: String?
  /// The last save failed: shown until a save succeeds, because the analyst's work is at risk.
  public var saveError: String?

  public init(session: TriageSession, statePath: String, author: String, size: Size, sharedExclusions: [Exclusion] = []) {
    self.sharedExclusions = sharedExclusions
    self.session = session
    self.statePath = statePath
    self.author = author
    self.size = size
    rows = session.alerts.map { AlertRow($0, exclusions: session.exclusions + sharedExclusions) }
    refreshList(keepSelection: false)
  }

  public var layout: ConsoleLayout { ConsoleLayout(size) }
  public var top: Route { route.last ?? .list }

  /// The scope whose bindings apply now.
  public var scope: Scope {
    switch overlay {
    case .editor: return .noteEditor
    case .exclusion(let form): return form.stage == .form ? .exclusionForm : .picker
    case .picker: return .picker
    case .search, .value: return .picker
    case nil: break
    }
    switch top {
    case .list: return .alertList
    case .detail: return .alertDetail
    case .raw: return .rawEvent
    case .guide: return .guide
    case .help: return .help
    case .exclusions: return .exclusionList
    }
  }

  /// The alert under the list selection.
  public var selectedUUID: String? {
    guard list.visible.indices.contains(list.scroll.selected) else { return nil }
    return session.alerts[list.visible[list.scroll.selected]].uuid
  }

  /// The alert the current screen is about: the route's, or the list selection.
  public var currentUUID: String? { top.uuid ?? selectedUUID }

  func row(at alertIndex: Int) -> AlertRow { rows[alertIndex] }

  /// Every exclusion in force in the console: the session's and the shared files'.
  public var allExclusions: [Exclusion] { session.exclusions + sharedExclusions }

  /// Recomputes the exclusion markers after exclusions change.
  mutating func rebuildRows() {
    let exclusions = allExclusions
    rows = session.alerts.map { AlertRow($0, exclusions: exclusions) }
    refreshList()
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
    var ruleCounts: [String: Int] = [:]
    var ruleOrder: [String] = []
    for index in alerts.indices {
      let row = rows[index]
      let status = session.triage[alerts[index].uuid]?.status ?? .open
      counts.total += 1
      counts.byStatus[status, default: 0] += 1
      if ruleCounts[row.rule] == nil { ruleOrder.append(row.rule) }
      ruleCounts[row.rule, default: 0] += 1
      if row.isExcluded {
        counts.excluded += 1
        if !filter.showExcluded { continue }
      }
      if let wanted = filter.status, wanted != status { continue }
      if let wanted = filter.ruleID, wanted != row.ruleID { continue }
      if let wanted = filter.severity, wanted != row.severity { continue }
      visible.append(index)
    }
    counts.byRule = ruleOrder.map { ($0, ruleCounts[$0] ?? 0) }
    let rows = self.rows
    let key = list.sort
    let descending = list.isDescending
    // Ties keep detection order, so the order is deterministic whatever the sort.
    visible.sort { a, b in
      let x = rows[a], y = rows[b]
      let ordered: Bool?
      switch key {
      case .time: ordered = x.time == y.time ? nil : x.time < y.time
      case .severity: ordered = x.severityRank == y.severityRank ? nil : x.severityRank > y.severityRank
      case .rule: ordered = x.rule == y.rule ? nil : x.rule < y.rule
      case .principal: ordered = x.principal == y.principal ? nil : x.principal < y.principal
      case .function: ordered = x.function == y.function ? nil : x.function < y.function
      }
      guard let ordered else { return a < b }
      return descending ? !ordered : ordered
    }
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
