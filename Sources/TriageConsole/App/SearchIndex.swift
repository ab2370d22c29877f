import CSupport

/// Every row's searchable text in one buffer, so a search is one `memmem` pass over all alerts
/// (a few milliseconds at 100k) instead of one call per row; the result is a bitmap by alert index
/// that the list walks in its visible order.
final class SearchIndex: @unchecked Sendable {
  private var text: [UInt8] = []
  /// Start offset of each row's text; the row ends at the next start (rows are separated by 0x0A).
  private var starts: [Int] = []
  private var lastNeedle: [UInt8]?
  private var lastHits: [Bool] = []

  init(rows: [AlertRowDetail]) {
    starts.reserveCapacity(rows.count)
    text.reserveCapacity(rows.reduce(0) { $0 + $1.searchText.utf8.count + 1 })
    for row in rows {
      starts.append(text.count)
      text.append(contentsOf: row.searchText.utf8)
      text.append(0x0A)
    }
  }

  /// Which alerts contain `needle` (lowercased UTF-8); the last answer is kept for `n`/`N`.
  func hits(_ needle: [UInt8]) -> [Bool] {
    if needle == lastNeedle { return lastHits }
    var hits = [Bool](repeating: false, count: starts.count)
    if needle.isEmpty || needle.contains(0x0A) {
      lastNeedle = needle
      lastHits = hits
      return hits
    }
    text.withUnsafeBufferPointer { hay in
      needle.withUnsafeBufferPointer { n in
        var offset = 0
        while offset < hay.count, let found = lt_memmem(hay.baseAddress! + offset, hay.count - offset, n.baseAddress, n.count) {
          let position = UnsafeRawPointer(hay.baseAddress!).distance(to: found)
          let row = rowIndex(containing: position)
          hits[row] = true
          // Continue after this row: one hit per row is enough.
          offset = row + 1 < starts.count ? starts[row + 1] : hay.count
        }
      }
    }
    lastNeedle = needle
    lastHits = hits
    return hits
  }

  private func rowIndex(containing offset: Int) -> Int {
    var low = 0, high = starts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if starts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }
}
