/// A terminal size in character cells.
public struct Size: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  public init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
  }
}

/// A rectangle of cells a view may draw in; views never draw outside the one they are given.
public struct Rect: Sendable, Equatable {
  public var row: Int
  public var col: Int
  public var height: Int
  public var width: Int
  public init(row: Int, col: Int, height: Int, width: Int) {
    self.row = row
    self.col = col
    self.height = max(0, height)
    self.width = max(0, width)
  }
}
