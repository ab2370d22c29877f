import Testing
@testable import TriageConsole

@Suite("Note editor rows")
struct EditorRowsTests {
  /// What the view showed when every row of the text was wrapped: the rows from
  /// `max(0, cursor.row - height + 1)`, and the cursor among them.
  func reference(_ buffer: TextBuffer, width: Int, height: Int) -> (rows: [String], cursor: [Int]) {
    let all = EditorRows(buffer, width: width)
    let top = max(0, all.cursor.row - height + 1)
    let rows = all.rows[top..<min(all.rows.count, top + height)].map(\.text)
    return (rows, [all.cursor.row - top, all.cursor.col])
  }

  @Test("wrapping only the lines in view gives the rows and cursor the whole text gave, for every cursor place, width and height")
  func visibleMatchesWhole() {
    // Wide characters, an escape shown as several cells, empty lines, lines longer than the view.
    let texts = [
      "", "one line", "a\n\nb", "漢字漢字漢字 and text\nshort\n\n🙂🙂🙂🙂🙂🙂🙂🙂",
      "esc \u{1b}[31m here\n" + String(repeating: "long line ", count: 6) + "\nend",
      (1...12).map { "line \($0)" }.joined(separator: "\n"),
    ]
    for text in texts {
      var buffer = TextBuffer(text)
      // Every cursor place, from the end back to the start.
      var places = 0
      while true {
        for width in [2, 3, 5, 8, 13] {
          for height in [1, 2, 3, 5, 8] {
            let visible = EditorRows.visible(buffer, width: width, height: height)
            let expected = reference(buffer, width: width, height: height)
            #expect(visible.rows.map(\.text) == expected.rows, "\(text.debugDescription) at \(buffer.row):\(buffer.col), \(width)x\(height)")
            #expect([visible.cursor.row, visible.cursor.col] == expected.cursor, "\(text.debugDescription) at \(buffer.row):\(buffer.col), \(width)x\(height)")
          }
        }
        places += 1
        if buffer.row == 0 && buffer.col == 0 { break }
        buffer.moveLeft()
      }
      #expect(places == text.count + 1)
    }
  }
}
