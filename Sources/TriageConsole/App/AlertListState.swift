import TriageCore

/// The list's column to sort by; `s` cycles through them in this order.
public enum SortKey: String, Sendable, Equatable, CaseIterable {
  case time, severity, rule, principal, function

  /// The column `s` moves to from this one.
  var next: SortKey {
    let keys = SortKey.allCases
    return keys[(keys.firstIndex(of: self)! + 1) % keys.count]
  }

  /// The order in words ("ascending" would say little: severity's first order is the highest).
  func direction(descending: Bool) -> String {
    switch self {
    case .time: descending ? "newest first" : "oldest first"
    case .severity: descending ? "lowest first" : "highest first"
    case .rule, .principal, .function: descending ? "Z to A" : "A to Z"
    }
  }

  /// Whether the row outlines hold the column (else its order needs every row's detail).
  var isInOutline: Bool { self == .time || self == .severity || self == .rule }
}

/// The list's filter: each constraint narrows, nil means any.
public struct AlertFilter: Sendable, Equatable {
  public var status: AlertStatus?
  public var ruleID: String?
  /// The rule's name as the picker showed it (for the header, without a search for the id).
  public var ruleName: String?
  public var severity: String?
  /// Alerts an exclusion matches are hidden unless asked for.
  public var showExcluded: Bool
  public init(status: AlertStatus? = nil, ruleID: String? = nil, severity: String? = nil, showExcluded: Bool = false) {
    self.status = status
    self.ruleID = ruleID
    self.severity = severity
    self.showExcluded = showExcluded
  }
  public var isActive: Bool { status != nil || ruleID != nil || severity != nil || showExcluded }

  /// Whether an alert with these values is listed.
  func admits(status: AlertStatus, ruleID: String, severity: String, excluded: Bool) -> Bool {
    if excluded && !showExcluded { return false }
    if let wanted = self.status, wanted != status { return false }
    if let wanted = self.ruleID, wanted != ruleID { return false }
    if let wanted = self.severity, wanted != severity { return false }
    return true
  }

  /// The constraints in words, for the header (`rule` names the rule the id stands for).
  func summary(rule: (String) -> String) -> String {
    var parts: [String] = []
    if let status { parts.append(status.label) }
    if let ruleID { parts.append(ruleName ?? rule(ruleID)) }
    if let severity { parts.append(severity) }
    if showExcluded { parts.append("with excluded") }
    return parts.joined(separator: ", ")
  }
}

/// Counts for the header, over all alerts (not just the filtered ones), so the analyst always sees
/// how much is left.
public struct AlertCounts: Sendable, Equatable {
  public var total = 0
  /// Alerts an enabled exclusion matches (hidden from the default view).
  public var excluded = 0
  public var byRule: [(name: String, count: Int)] = []
  public var byStatus: [AlertStatus: Int] = [:]

  public static func == (lhs: AlertCounts, rhs: AlertCounts) -> Bool {
    lhs.total == rhs.total && lhs.excluded == rhs.excluded && lhs.byStatus == rhs.byStatus
      && lhs.byRule.map(\.name) == rhs.byRule.map(\.name) && lhs.byRule.map(\.count) == rhs.byRule.map(\.count)
  }
}

/// The alert list: which alerts are shown in what order, the selection, the scroll offset and
/// the marks. `visible` holds indices into the session's alerts and is recomputed only when the
/// sort, the filter or a status changes, never per keypress or frame.
public struct AlertListState: Sendable, Equatable {
  public var sort: SortKey = .time
  public var isDescending = false
  public var filter = AlertFilter()
  /// The last search, for `n`/`N`.
  public var query = ""
  public var visible: [Int] = []
  public var scroll = ScrollState()
  public var marks: Set<String> = []
  public var counts = AlertCounts()

  public init() {}
}
