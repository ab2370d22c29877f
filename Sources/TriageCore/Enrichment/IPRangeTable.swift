/// Sorted, non-overlapping address ranges with their ASN, stored as parallel arrays so half a
/// million rows cost a few flat allocations instead of one object (and one String) each.
/// Organization names live in one shared byte buffer and become Strings only when looked up.
struct IPRangeTable<Address: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
  private(set) var starts: [Address] = []
  private(set) var ends: [Address] = []
  private(set) var numbers: [UInt32] = []
  private(set) var nameOffsets: [UInt32] = []
  private(set) var nameLengths: [UInt32] = []
  /// Where each row came from, so a range conflict can be reported as file:line.
  private(set) var origins: [(file: Int32, line: Int32)] = []

  var count: Int { starts.count }

  mutating func append(start: Address, end: Address, number: UInt32, nameOffset: UInt32, nameLength: UInt32,
                       file: Int, line: Int) {
    starts.append(start)
    ends.append(end)
    numbers.append(number)
    nameOffsets.append(nameOffset)
    nameLengths.append(nameLength)
    origins.append((Int32(file), Int32(line)))
  }

  /// Sorts by range start when the input was not already sorted (iptoasn files are, so the
  /// common case costs one linear check), then returns the first pair of overlapping rows, if
  /// any: with overlaps a binary search could miss the enclosing range and answer wrongly.
  mutating func sortAndFindOverlap() -> (earlier: (file: Int32, line: Int32), later: (file: Int32, line: Int32))? {
    if !starts.indices.dropFirst().allSatisfy({ starts[$0 - 1] <= starts[$0] }) {
      let order = starts.indices.sorted { starts[$0] < starts[$1] }
      starts = order.map { starts[$0] }
      ends = order.map { ends[$0] }
      numbers = order.map { numbers[$0] }
      nameOffsets = order.map { nameOffsets[$0] }
      nameLengths = order.map { nameLengths[$0] }
      origins = order.map { origins[$0] }
    }
    for index in starts.indices.dropFirst() where starts[index] <= ends[index - 1] {
      return (origins[index - 1], origins[index])
    }
    return nil
  }

  /// Index of the range containing `address`: the last range starting at or before it, if that
  /// range also ends at or after it.
  func index(containing address: Address) -> Int? {
    var low = 0
    var high = starts.count
    while low < high {
      let middle = (low + high) / 2
      if starts[middle] <= address { low = middle + 1 } else { high = middle }
    }
    guard low > 0, address <= ends[low - 1] else { return nil }
    return low - 1
  }
}
