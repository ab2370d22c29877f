import TriageCore

/// The row building the first frame left: every alert's detail, the search index and every sort
/// column's order. The run loop runs it on a worker thread (`Effect.completeRows`) and hands the
/// result back as `Action.rowsCompleted`; it reads only immutable copies, so it is safe there.
public struct RowCompletion: Sendable, Equatable {
  let source: RowSource
  let alerts: [Alert]
  let outlines: [AlertOutline]

  public func run() -> CompletedRows {
    let details = RowCompletion.details(alerts, outlines)
    var orders: [SortKey: [Int]] = [:]
    for key in SortKey.allCases {
      orders[key] = SortCache.order(for: key, outlines: outlines, details: { details })
    }
    return CompletedRows(source: source, details: details, search: SearchIndex(rows: details), orders: orders)
  }

  static func details(_ alerts: [Alert], _ outlines: [AlertOutline]) -> [AlertRowDetail] {
    zip(alerts, outlines).map { AlertRowDetail($0, outline: $1) }
  }

  /// Jobs are told apart by the alerts they are for.
  public static func == (lhs: RowCompletion, rhs: RowCompletion) -> Bool { lhs.source === rhs.source }
}

/// What a `RowCompletion` built, for `ConsoleState` to take in.
public struct CompletedRows: Sendable, Equatable {
  let source: RowSource
  let details: [AlertRowDetail]
  let search: SearchIndex
  let orders: [SortKey: [Int]]

  public static func == (lhs: CompletedRows, rhs: CompletedRows) -> Bool { lhs.source === rhs.source }
}
