/// A selection in a scrolled list: `offset` is the first visible row, moved only as far as needed
/// to keep `selected` on screen (so the view does not jump while moving within a page).
public struct ScrollState: Sendable, Equatable {
  public var selected = 0
  public var offset = 0

  public init(selected: Int = 0, offset: Int = 0) {
    self.selected = selected
    self.offset = offset
  }

  /// Moves the selection by `delta`, clamped to `count` rows.
  public mutating func move(by delta: Int, count: Int) {
    selected = count == 0 ? 0 : min(max(0, selected + delta), count - 1)
  }

  public mutating func select(_ index: Int, count: Int) {
    selected = count == 0 ? 0 : min(max(0, index), count - 1)
  }

  /// The offset that keeps the selection visible in `height` rows; stored back by `update` so
  /// scrolling is stable between frames.
  public func offset(forHeight height: Int, count: Int) -> Int {
    guard height > 0, count > 0 else { return 0 }
    var top = min(offset, max(0, count - height))
    if selected < top { top = selected }
    if selected >= top + height { top = selected - height + 1 }
    return max(0, top)
  }

  public mutating func follow(height: Int, count: Int) {
    offset = offset(forHeight: height, count: count)
  }
}
