/// Where things go for a terminal size: recomputed from the size on every frame and every
/// update, never cached, so a resize simply takes effect.
public struct ConsoleLayout: Sendable, Equatable {
  /// The smallest terminal the console draws in (it is designed for 80x24 and up).
  public static let minimumSize = Size(rows: 12, cols: 60)

  /// Too small to draw the console: keys wait for a larger terminal (but q, where nothing is typed).
  public var isTooSmall: Bool { size.rows < Self.minimumSize.rows || size.cols < Self.minimumSize.cols }

  /// Columns from which the list shows the selected alert's detail beside it.
  public static let splitMinimumColumns = 160

  public let size: Size

  public init(_ size: Size) { self.size = size }

  /// Header (title + counts) on top, status bar at the bottom, body between.
  public var header: Rect { Rect(row: 0, col: 0, height: 1, width: size.cols) }
  public var statusBar: Rect { Rect(row: size.rows - 1, col: 0, height: 1, width: size.cols) }
  public var body: Rect { Rect(row: 1, col: 0, height: size.rows - 2, width: size.cols) }

  public var isSplit: Bool { size.cols >= ConsoleLayout.splitMinimumColumns && size.rows >= 10 }

  /// The list pane (with its column header row) and, when wide, the preview pane.
  public var listPane: Rect {
    isSplit ? Rect(row: body.row, col: 0, height: body.height, width: body.width * 11 / 20) : body
  }
  public var previewPane: Rect? {
    guard isSplit else { return nil }
    let left = listPane.width + 1
    return Rect(row: body.row, col: left, height: body.height, width: body.width - left)
  }

  /// Rows of alerts that fit under the column header.
  public var listRows: Int { max(1, listPane.height - 1) }
  /// Rows of scrolled content in full-screen views (detail, raw, guide, help) under their title.
  public var pageRows: Int { max(1, body.height - 1) }
  /// Rows of text in a value shown whole (`y`) when it fills the body: inside the box's border,
  /// above its hint line.
  public var valueRows: Int { max(1, body.height - 3) }
}
