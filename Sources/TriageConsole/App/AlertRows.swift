import TriageCore

/// Every alert's list row, built in two steps so the first frame waits only for what it needs.
/// The outlines of all alerts come first (the header's counts, the filter and the default time
/// order need every one); the rest of a row (`AlertRowDetail`) is built when the row is first
/// drawn, and for all alerts by a `RowCompletion` that the run loop starts after the first frame.
/// A key that needs every row sooner (search, the principal or function sort) does not build them
/// (about 200 ms at 100k alerts): it waits for the worker's rows (`EarlyKeys`). What the screen
/// ends up showing is the same either way: only when the work happens differs.
///
/// Derived data held in a class, like the caches it replaces: it is shared between copies of the
/// state and filled in place, and two states are equal whatever it holds.
final class AlertRows: @unchecked Sendable, Equatable {
  let alerts: [Alert]
  let outlines: [AlertOutline]
  /// Ties completions to these alerts: a worker's result for other alerts is ignored.
  let source: RowSource
  private var details: [AlertRowDetail]?
  /// Details built for drawing before `details` was complete.
  private var drawn: [Int: AlertRowDetail] = [:]
  private var search: SearchIndex?
  private let sortCache: SortCache

  convenience init(_ alerts: [Alert], exclusions: [Exclusion]) {
    let outlines = alerts.withUnsafeBufferPointer { $0.map { AlertOutline($0, exclusions: exclusions) } }
    self.init(alerts, outlines: outlines, source: RowSource(), sortCache: SortCache())
  }

  private init(_ alerts: [Alert], outlines: [AlertOutline], source: RowSource, sortCache: SortCache) {
    self.alerts = alerts
    self.outlines = outlines
    self.source = source
    self.sortCache = sortCache
  }

  var count: Int { outlines.count }

  /// Whether everything a key could need is built (then no key waits for row building).
  var isComplete: Bool { details != nil && search != nil && SortKey.allCases.allSatisfy(sortCache.contains) }

  /// Whether a search can be answered now, without building every row.
  var hasSearchIndex: Bool { search != nil }

  /// Whether every row's detail is built (by the worker, or by `allDetails()`).
  var hasAllDetails: Bool { details != nil }

  /// Whether the list can be sorted by `key` now, without building every row.
  func isOrderReady(_ key: SortKey) -> Bool { key.isInOutline || details != nil || sortCache.contains(key) }

  func row(at index: Int) -> AlertRow { AlertRow(outlines[index], detail(at: index)) }

  private func detail(at index: Int) -> AlertRowDetail {
    if let details { return details[index] }
    if let known = drawn[index] { return known }
    let built = AlertRowDetail(alerts[index], outline: outlines[index])
    drawn[index] = built
    return built
  }

  /// Every alert's detail, built now if the worker has not delivered them yet.
  func allDetails() -> [AlertRowDetail] {
    if let details { return details }
    let built = RowCompletion.details(alerts, outlines)
    details = built
    drawn = [:]
    return built
  }

  func searchIndex() -> SearchIndex {
    if let search { return search }
    let built = SearchIndex(rows: allDetails())
    search = built
    return built
  }

  func order(for key: SortKey) -> [Int] {
    sortCache.order(for: key, outlines: outlines, details: allDetails)
  }

  /// The work the first frame left, for the run loop to do off its thread; nil when none is left.
  var completion: RowCompletion? {
    isComplete ? nil : RowCompletion(source: source, alerts: alerts, outlines: outlines)
  }

  /// Takes a worker's results; what was built here meanwhile is kept (it is the same).
  func add(_ completed: CompletedRows) {
    guard completed.source === source else { return }
    if details == nil {
      details = completed.details
      drawn = [:]
    }
    if search == nil { search = completed.search }
    sortCache.add(completed.orders)
  }

  /// The rows under a new set of exclusions: only the marks change, so everything else built so
  /// far (details, search text, orders) is shared.
  func applying(_ exclusions: [Exclusion]) -> AlertRows {
    let marked = zip(outlines, alerts).map { $0.excluded(by: exclusions, alert: $1) }
    let rows = AlertRows(alerts, outlines: marked, source: source, sortCache: sortCache)
    rows.details = details
    rows.drawn = drawn
    rows.search = search
    return rows
  }
}

extension AlertRows {
  /// Derived from the session and the exclusions, which the state compares itself.
  static func == (lhs: AlertRows, rhs: AlertRows) -> Bool { true }
}

/// Identifies the alerts a set of rows was built from, across exclusion changes.
public final class RowSource: Sendable {}
