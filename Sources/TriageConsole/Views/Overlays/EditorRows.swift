/// The note editor's text as screen rows: each line cut into rows of at most `width` columns
/// (each character measured as it is drawn, escapes included), and where the cursor falls.
struct EditorRows {
  var rows: [DisplayText] = []
  var cursor = (row: 0, col: 0)

  init(_ buffer: TextBuffer, width: Int) {
    for (index, line) in buffer.lines.enumerated() {
      var row = DisplayText.empty
      var used = 0
      for (position, character) in line.enumerated() {
        if index == buffer.row && position == buffer.col { cursor = (rows.count, used) }
        let cell = DisplayText(untrusted: String(character))
        if used + cell.width > width && used > 0 {
          rows.append(row)
          row = .empty
          used = 0
          if index == buffer.row && position == buffer.col { cursor = (rows.count, 0) }
        }
        row = row + cell
        used += cell.width
      }
      if index == buffer.row && buffer.col >= line.count { cursor = (rows.count, used) }
      rows.append(row)
    }
  }
}
