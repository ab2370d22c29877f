/// For each sort column, the alerts in ascending order (ties in detection order, so every sort is
/// deterministic). Computed once per column and shared between copies of the state (the worker
/// that completes the rows computes every column ahead of the first `s`): the list then picks its
/// visible rows out of that order in one pass, with no comparisons, at 100k alerts.
final class SortCache: @unchecked Sendable {
  private var cache: [SortKey: [Int]] = [:]

  /// The column's order, computed now when it is not known yet. `details` is asked for only by
  /// the columns the outline lacks (principal, function).
  func order(for key: SortKey, outlines: [AlertOutline], details: () -> [AlertRowDetail]) -> [Int] {
    if let cached = cache[key] { return cached }
    let order = SortCache.order(for: key, outlines: outlines, details: details)
    cache[key] = order
    return order
  }

  func contains(_ key: SortKey) -> Bool { cache[key] != nil }

  /// Orders computed elsewhere (by the worker); a column already known keeps its order.
  func add(_ orders: [SortKey: [Int]]) {
    cache.merge(orders) { known, _ in known }
  }

  static func order(for key: SortKey, outlines: [AlertOutline], details: () -> [AlertRowDetail]) -> [Int] {
    switch key {
    case .time:
      // Detection emits alerts in time order, so this is usually one pass.
      let isSorted = zip(outlines, outlines.dropFirst()).allSatisfy { !$1.time.utf8.lexicographicallyPrecedes($0.time.utf8) }
      return isSorted ? Array(outlines.indices) : grouped(count: outlines.count) { outlines[$0].time }
    case .severity: return bySeverity(outlines)
    case .rule: return grouped(count: outlines.count) { outlines[$0].rule }
    case .principal:
      let details = details()
      return grouped(count: details.count) { details[$0].principal }
    case .function:
      let details = details()
      return grouped(count: details.count) { details[$0].function }
    }
  }

  /// Highest severity first, ties in index order: the five ranks (0 to 4) laid out by counting.
  private static func bySeverity(_ outlines: [AlertOutline]) -> [Int] {
    layOut(groups: outlines.map { Int32(4 - $0.severityRank) }, inOrder: Array(0..<5))
  }

  /// Indices ordered by a text column: rows grouped by value (few distinct principals, functions,
  /// rules), the distinct values sorted bytewise, ties in index order.
  static func grouped(count: Int, _ text: (Int) -> String) -> [Int] {
    // Each row gets its value's group number (one hash per row), the groups are sorted, and a
    // counting pass lays the rows out group by group, in index order within each.
    var groupOf: [String: Int32] = [:]
    var values: [String] = []
    var group = [Int32](repeating: 0, count: count)
    for index in 0..<count {
      let value = text(index)
      // While there are few values (rules, severities) comparing beats hashing each row's value.
      if let known = values.count <= 8 ? values.firstIndex(of: value).map(Int32.init) : groupOf[value] {
        group[index] = known
      } else {
        group[index] = Int32(values.count)
        groupOf[value] = Int32(values.count)
        values.append(value)
      }
    }
    let sortedGroups = values.indices.sorted { values[$0].utf8.lexicographicallyPrecedes(values[$1].utf8) }
    return layOut(groups: group, inOrder: sortedGroups)
  }

  /// The indices laid out group by group (`groups[i]` is index i's group), the groups in the
  /// order given, index order within each: a counting pass, no comparisons.
  private static func layOut(groups: [Int32], inOrder order: [Int]) -> [Int] {
    var firstSlot = [Int](repeating: 0, count: order.count)
    for g in groups { firstSlot[Int(g)] += 1 }
    var position = 0
    for g in order {
      let size = firstSlot[g]
      firstSlot[g] = position
      position += size
    }
    var laidOut = [Int](repeating: 0, count: groups.count)
    for (index, g) in groups.enumerated() {
      laidOut[firstSlot[Int(g)]] = index
      firstSlot[Int(g)] += 1
    }
    return laidOut
  }
}
