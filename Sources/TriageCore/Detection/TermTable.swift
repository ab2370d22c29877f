/// The distinct new-terms combinations a rule has seen, each stored once and named by its index.
/// Matches carry the index, so memory grows with the distinct terms (the history), not with
/// every matching event's copy of its values.
struct TermTable: Sendable {
  private var indices: [[String]: Int32] = [:]
  private(set) var values: [[String]] = []

  /// The index of `combination`, adding it when new.
  mutating func intern(_ combination: [String]) -> Int32 {
    if let known = indices[combination] { return known }
    let index = Int32(values.count)
    indices[combination] = index
    values.append(combination)
    return index
  }
}
