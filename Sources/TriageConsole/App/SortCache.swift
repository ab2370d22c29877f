/// For each sort column, every alert's rank in ascending order (ties in detection order, so every
/// sort is deterministic). Computed once per column and shared between copies of the state: the
/// list then sorts visible rows by an integer, which stays fast at 100k alerts.
final class SortCache: @unchecked Sendable, Equatable {
  private var cache: [SortKey: [Int32]] = [:]

  func ranks(for key: SortKey, rows: [AlertRow]) -> [Int32] {
    if let cached = cache[key] { return cached }
    var order: [Int]
    switch key {
    case .time:
      // Detection emits alerts in time order, so this is usually one pass.
      let isSorted = zip(rows, rows.dropFirst()).allSatisfy { !$1.time.utf8.lexicographicallyPrecedes($0.time.utf8) }
      order = isSorted ? Array(rows.indices) : SortCache.grouped(rows, \.time)
    case .rule: order = SortCache.grouped(rows, \.rule)
    case .principal: order = SortCache.grouped(rows, \.principal)
    case .function: order = SortCache.grouped(rows, \.function)
    case .severity:
      order = Array(rows.indices)
      order.sort { a, b in
        let x = rows[a].severityRank, y = rows[b].severityRank
        return x == y ? a < b : x > y
      }
    }
    var ranks = [Int32](repeating: 0, count: rows.count)
    for (position, index) in order.enumerated() { ranks[index] = Int32(position) }
    cache[key] = ranks
    return ranks
  }

  /// Indices ordered by a text column: rows grouped by value (few distinct principals, functions,
  /// rules), the distinct values sorted bytewise, ties in index order.
  static func grouped(_ rows: [AlertRow], _ text: KeyPath<AlertRow, String>) -> [Int] {
    var groups: [String: [Int]] = [:]
    for index in rows.indices { groups[rows[index][keyPath: text], default: []].append(index) }
    let values = groups.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    var order: [Int] = []
    order.reserveCapacity(rows.count)
    for value in values { order += groups[value]! }
    return order
  }

  /// Derived data: two states are equal whatever their caches hold.
  static func == (lhs: SortCache, rhs: SortCache) -> Bool { true }
}
