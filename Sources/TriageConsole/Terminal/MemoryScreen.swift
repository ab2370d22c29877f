/// A grid of cells standing in for a terminal in tests: frames are compared as text lines, and the
/// role of any cell can be checked.
public struct MemoryScreen: Screen, Sendable {
  public struct Cell: Sendable, Equatable {
    /// The grapheme drawn here; "" for the right half of a wide glyph.
    public var text: String
    public var role: Role
  }

  public private(set) var size: Size
  public private(set) var cells: [[Cell]]
  public private(set) var cursor: (row: Int, col: Int)?

  public init(cols: Int, rows: Int) {
    size = Size(rows: rows, cols: cols)
    cells = Array(repeating: Array(repeating: Cell(text: " ", role: .normal), count: cols), count: rows)
  }

  public mutating func clear() {
    for r in cells.indices {
      for c in cells[r].indices { cells[r][c] = Cell(text: " ", role: .normal) }
    }
  }

  public mutating func put(_ text: DisplayText, row: Int, col: Int, role: Role) {
    guard row >= 0, row < size.rows else { return }
    var column = col
    for character in text.text {
      let w = DisplayWidth.of(character)
      if column + w > size.cols { break }
      if column >= 0 {
        cells[row][column] = Cell(text: String(character), role: role)
        if w == 2 { cells[row][column + 1] = Cell(text: "", role: role) }
      }
      column += w
    }
  }

  public mutating func setCursor(row: Int, col: Int) { cursor = (row, col) }
  public mutating func hideCursor() { cursor = nil }
  public mutating func flush() {}

  /// Each row as text, trailing spaces removed.
  public var lines: [String] {
    cells.map { row in
      var line = row.map(\.text).joined()
      while line.last == " " { line.removeLast() }
      return line
    }
  }

  /// The whole frame, one line per row, for failure messages.
  public var frame: String { lines.joined(separator: "\n") }

  public func role(row: Int, col: Int) -> Role { cells[row][col].role }

  /// The first row containing `text`, if any.
  public func row(containing text: String) -> Int? { lines.firstIndex { $0.contains(text) } }
}
