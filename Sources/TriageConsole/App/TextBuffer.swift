/// The note editor's text: lines of grapheme clusters and a cursor, so a wide CJK character or an
/// emoji is one cursor step and one backspace.
public struct TextBuffer: Sendable, Equatable {
  public private(set) var lines: [[Character]]
  public private(set) var row = 0
  public private(set) var col = 0

  public init(_ text: String = "") {
    lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    if lines.isEmpty { lines = [[]] }
    row = lines.count - 1
    col = lines[row].count
  }

  public var text: String { lines.map { String($0) }.joined(separator: "\n") }

  /// Inserts typed or pasted text; pasted newlines (and CR from terminals that send CRLF) split lines.
  public mutating func insert(_ text: String) {
    var pendingCR = false
    for character in text {
      switch character {
      case "\r\n", "\n":
        newline()
        pendingCR = false
      case "\r":
        newline()
        pendingCR = true
      default:
        pendingCR = false
        lines[row].insert(character, at: col)
        col += 1
      }
    }
    _ = pendingCR
  }

  public mutating func newline() {
    let tail = Array(lines[row][col...])
    lines[row].removeSubrange(col...)
    lines.insert(tail, at: row + 1)
    row += 1
    col = 0
  }

  public mutating func backspace() {
    if col > 0 {
      lines[row].remove(at: col - 1)
      col -= 1
    } else if row > 0 {
      let line = lines.remove(at: row)
      row -= 1
      col = lines[row].count
      lines[row].append(contentsOf: line)
    }
  }

  public mutating func deleteForward() {
    if col < lines[row].count {
      lines[row].remove(at: col)
    } else if row + 1 < lines.count {
      let next = lines.remove(at: row + 1)
      lines[row].append(contentsOf: next)
    }
  }

  public mutating func moveLeft() {
    if col > 0 { col -= 1 } else if row > 0 { row -= 1; col = lines[row].count }
  }

  public mutating func moveRight() {
    if col < lines[row].count { col += 1 } else if row + 1 < lines.count { row += 1; col = 0 }
  }

  public mutating func moveUp() {
    guard row > 0 else { col = 0; return }
    row -= 1
    col = min(col, lines[row].count)
  }

  public mutating func moveDown() {
    guard row + 1 < lines.count else { col = lines[row].count; return }
    row += 1
    col = min(col, lines[row].count)
  }

  public mutating func moveHome() { col = 0 }
  public mutating func moveEnd() { col = lines[row].count }
}
