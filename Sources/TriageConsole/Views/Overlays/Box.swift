/// A framed box drawn over the screen for overlays; returns the inner area.
enum Box {
  static func draw(_ rect: Rect, title: DisplayText, into screen: inout some Screen) -> Rect {
    guard rect.width >= 4, rect.height >= 3 else { return Rect(row: rect.row, col: rect.col, height: 0, width: 0) }
    let inner = rect.width - 2
    let bar = String(repeating: "─", count: inner)
    screen.put(DisplayText(stringLiteral: "┌" + bar + "┐"), row: rect.row, col: rect.col, role: .title)
    for r in 1..<(rect.height - 1) {
      screen.put("│", row: rect.row + r, col: rect.col, role: .title)
      screen.put(DisplayText.empty.padded(toWidth: inner), row: rect.row + r, col: rect.col + 1, role: .normal)
      screen.put("│", row: rect.row + r, col: rect.col + rect.width - 1, role: .title)
    }
    screen.put(DisplayText(stringLiteral: "└" + bar + "┘"), row: rect.row + rect.height - 1, col: rect.col, role: .title)
    screen.put(" " + title.truncated(toWidth: inner - 4) + " ", row: rect.row, col: rect.col + 2, role: .title)
    return Rect(row: rect.row + 1, col: rect.col + 2, height: rect.height - 2, width: rect.width - 4)
  }

  /// A rect of at most `width` x `height` centred in `area`.
  static func centred(width: Int, height: Int, in area: Rect) -> Rect {
    let w = min(width, area.width)
    let h = min(height, area.height)
    return Rect(row: area.row + (area.height - h) / 2, col: area.col + (area.width - w) / 2, height: h, width: w)
  }
}
