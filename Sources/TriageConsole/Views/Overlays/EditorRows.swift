/// The note editor's text as screen rows: each line cut into rows of at most `width` columns
/// (each character measured as it is drawn, escapes included), and where the cursor falls.
struct EditorRows {
  var rows: [DisplayText] = []
  var cursor = (row: 0, col: 0)

  /// Every row of the text.
  init(_ buffer: TextBuffer, width: Int) {
    for (index, line) in buffer.lines.enumerated() {
      let wrapped = Self.wrap(line, width: width, cursorAt: index == buffer.row ? buffer.col : nil)
      if let at = wrapped.cursor { cursor = (rows.count + at.row, at.col) }
      rows += wrapped.rows
    }
  }

  private init(rows: [DisplayText], cursor: (row: Int, col: Int)) {
    self.rows = rows
    self.cursor = cursor
  }

  /// The rows a view of `height` rows shows, and the cursor among them. The view keeps the
  /// cursor's row at its bottom once the text above fills it, else it starts at the first row: the
  /// same rows as the whole text's from `max(0, cursor.row - height + 1)`. Only the lines that
  /// reach the view are wrapped, so a frame costs the view, not the note (a key in a 100 KB note
  /// took 10 ms when every line was wrapped for each frame).
  static func visible(_ buffer: TextBuffer, width: Int, height: Int) -> EditorRows {
    let height = max(1, height)
    let current = wrap(buffer.lines[buffer.row], width: width, cursorAt: buffer.col)
    let at = current.cursor ?? (row: 0, col: 0)
    // Lines above the cursor's, nearest first, until they fill the view above the cursor's row.
    var above: [[DisplayText]] = []
    var filled = at.row + 1
    var line = buffer.row - 1
    while filled < height && line >= 0 {
      let rows = wrap(buffer.lines[line], width: width, cursorAt: nil).rows
      above.append(rows)
      filled += rows.count
      line -= 1
    }
    var rows = Array(above.reversed().joined()) + current.rows
    let cursorRow = rows.count - current.rows.count + at.row
    if filled >= height {
      let top = cursorRow - height + 1
      return EditorRows(rows: Array(rows[top...cursorRow]), cursor: (height - 1, at.col))
    }
    // The text above is shorter than the view: it starts at the first row, and the lines below
    // the cursor's fill the rest.
    var next = buffer.row + 1
    while rows.count < height && next < buffer.lines.count {
      rows += wrap(buffer.lines[next], width: width, cursorAt: nil).rows
      next += 1
    }
    return EditorRows(rows: Array(rows.prefix(height)), cursor: (cursorRow, at.col))
  }

  /// One line's rows, and the cursor's place in them when it is on this line at `cursorAt`.
  private static func wrap(_ line: [Character], width: Int, cursorAt: Int?) -> (rows: [DisplayText], cursor: (row: Int, col: Int)?) {
    var rows: [DisplayText] = []
    var cursor: (row: Int, col: Int)?
    var row = DisplayText.empty
    var used = 0
    for (position, character) in line.enumerated() {
      if position == cursorAt { cursor = (rows.count, used) }
      let cell = DisplayText(untrusted: String(character))
      if used + cell.width > width && used > 0 {
        rows.append(row)
        row = .empty
        used = 0
        if position == cursorAt { cursor = (rows.count, 0) }
      }
      row = row + cell
      used += cell.width
    }
    if let cursorAt, cursorAt >= line.count { cursor = (rows.count, used) }
    rows.append(row)
    return (rows, cursor)
  }
}
