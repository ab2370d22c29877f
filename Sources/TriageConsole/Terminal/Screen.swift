/// Where frames are drawn: the live terminal (`CursesScreen`) or a grid in memory (`MemoryScreen`)
/// for tests. Text is always a `DisplayText`, so only sanitised text is ever drawn.
public protocol Screen {
  var size: Size { get }
  /// Starts a new frame.
  mutating func clear()
  /// Draws text at a cell, clipped to the screen's right edge.
  mutating func put(_ text: DisplayText, row: Int, col: Int, role: Role)
  /// Places the hardware cursor (shown only where text is being edited); nil hides it.
  mutating func setCursor(row: Int, col: Int)
  mutating func hideCursor()
  /// Ends the frame.
  mutating func flush()
}

extension Screen {
  /// Draws text in a rect's row, cut to the rect's width.
  public mutating func put(_ text: DisplayText, in area: Rect, row: Int, col: Int = 0, role: Role = .normal) {
    guard row >= 0, row < area.height, col < area.width else { return }
    put(text.truncated(toWidth: area.width - col), row: area.row + row, col: area.col + col, role: role)
  }

  /// Fills a rect row with spaces in a role (selection bars, headers).
  public mutating func fill(_ area: Rect, row: Int, role: Role) {
    guard row >= 0, row < area.height else { return }
    put(DisplayText.empty.padded(toWidth: area.width), row: area.row + row, col: area.col, role: role)
  }
}
