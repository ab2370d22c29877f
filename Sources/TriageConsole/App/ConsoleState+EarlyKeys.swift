/// Keys pressed before the rows are complete whose answer needs every row: the search index, or
/// the principal or function order (see `AlertRows`). Building those on the UI thread took about
/// 200 ms at 100k alerts, so such a key is taken at once and its answer waits for the worker's
/// rows (about 0.35 s after the first frame at 100k):
/// - the search prompt's text follows every key; the selection each query would move to waits,
///   as the list of queries typed;
/// - a key that needs an answer (Enter or Esc on such a query, `s` to principal or function,
///   `n`/`N`) waits, and so does every key after it, so nothing typed is lost or reordered.
/// The status line says what is waiting. When the rows arrive, the queries are searched and the
/// keys replayed, each with the time it was pressed, exactly as if the rows had been there all
/// along: the screen ends the same.
struct EarlyKeys: Sendable, Equatable {
  /// Each non-empty text the search prompt held while there was no index, in order.
  var queries: [String] = []
  /// Keys waiting for the rows, in the order pressed.
  var waiting: [WaitingKey] = []
  /// What the first waiting key waits for, for the status line ("sorting by principal").
  var reason = ""

  struct WaitingKey: Sendable, Equatable {
    var key: Key
    var now: String
  }

  var isEmpty: Bool { queries.isEmpty && waiting.isEmpty }
}

extension ConsoleState {
  /// What the status line says is waiting for the rows; nil when nothing is.
  public var waitingNote: String? {
    guard !early.isEmpty else { return nil }
    let keys = early.waiting.count
    let queued = keys == 0 ? "" : " (\(keys) key\(keys == 1 ? "" : "s") waiting)"
    if case .search = overlay { return "searching…" + queued }
    return "\(early.reason) when the rows are ready…" + queued
  }

  /// Why `key`, pressed now, cannot be answered before the rows are complete; nil when it can.
  func waitReason(for key: Key) -> String? {
    switch overlay {
    case .search:
      // Leaving the prompt keeps where its matches scrolled the list (Enter also the selection),
      // which is not known yet.
      return (key == .enter || key == .escape) && !early.queries.isEmpty ? "searching" : nil
    case nil:
      guard top == .list, let action = Keymap.action(for: key, in: scope) else { return nil }
      switch action {
      case .sortNext: return rows.isOrderReady(list.sort.next) ? nil : "sorting by \(list.sort.next.rawValue)"
      case .searchNext, .searchPrevious:
        return list.query.isEmpty || rows.hasSearchIndex ? nil : "searching for \(list.query)"
      default: return nil
      }
    default: return nil
    }
  }

  /// Keeps `key` for later when it, or a key before it, waits for the rows; true when kept.
  mutating func keepIfWaiting(_ key: Key, now: String) -> Bool {
    if early.waiting.isEmpty {
      guard let reason = waitReason(for: key) else { return false }
      early.reason = reason
    }
    early.waiting.append(EarlyKeys.WaitingKey(key: key, now: now))
    return true
  }

  /// Moves the selection to the first match of the prompt's `query` from `origin`, or, with no
  /// search index yet, keeps the query for when the rows arrive.
  mutating func followSearch(_ query: String, from origin: Int) {
    guard !query.isEmpty else { return }
    guard rows.hasSearchIndex else {
      early.queries.append(query)
      return
    }
    if let found = findMatch(query, from: origin, forward: true) { selectListRow(found) }
  }

  /// Once the rows are complete: the selection the prompt's queries move to, in order (the
  /// scroll offset depends on each step), then the waiting keys. Their effects (a save, a quit)
  /// are the run loop's to perform.
  mutating func resumeEarlyKeys() -> [Effect] {
    guard rows.isComplete, !early.isEmpty else { return [] }
    let kept = early
    early = EarlyKeys()
    if case .search(_, let origin) = overlay {
      for query in kept.queries { followSearch(query, from: origin) }
    }
    return kept.waiting.flatMap { handle($0.key, now: $0.now) }
  }

  /// Leaving (Ctrl-C, a signal) while keys wait: the rows are built here and the keys replayed
  /// now, so an acknowledgement or note typed in the first moments is applied and can be saved.
  /// Their effects are returned; a replayed quit is moot, the console is leaving anyway.
  public mutating func finishWaitingKeys() -> [Effect] {
    guard !early.isEmpty else { return [] }
    if let completion = rows.completion { rows.add(completion.run()) }
    return resumeEarlyKeys()
  }
}
