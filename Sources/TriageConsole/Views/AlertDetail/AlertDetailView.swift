import TriageCore

/// The full-screen alert detail (Enter) and the raw event (`r`).
enum AlertDetailView {
  static func render(_ state: ConsoleState, uuid: String, in area: Rect, into screen: inout some Screen) {
    guard let alert = state.session.alert(uuid: uuid) else { return }
    var titleText = "\(alert.ruleName) · \(AlertRow.functionName(alert))"
    if let index = state.session.index(of: uuid), let name = state.rows.outlines[index].excludedBy { titleText += " · EXCLUDED by \(name)" }
    let title = DisplayText(untrusted: titleText)
    screen.put(title, in: area, row: 0, col: 1, role: .title)
    let lines = AlertDetailContent.lines(alert, state: state.session.state(of: uuid))
    let body = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
    let offset = state.detail.offset(forHeight: body.height, count: lines.count)
    DetailLinesView.render(lines, selected: state.detail.selected, offset: offset, in: body, into: &screen)
  }

  static func renderRaw(_ state: ConsoleState, uuid: String, in area: Rect, into screen: inout some Screen) {
    guard let alert = state.session.alert(uuid: uuid) else { return }
    let lines = RawEventContent.lines(alert)
    let last = max(1, lines.count - area.height + 2)
    let top = min(state.raw.selected, last - 1)
    let label = "Raw event · lines \(top + 1)-\(min(lines.count, top + area.height - 1)) of \(lines.count)"
    screen.put(DisplayText(stringLiteral: label) + (state.rawColumn > 0 ? DisplayText(stringLiteral: " · column \(state.rawColumn + 1)") : ""),
               in: area, row: 0, col: 1, role: .title)
    for row in 1..<max(1, area.height) {
      let index = top + row - 1
      guard index < lines.count else { break }
      screen.put(DisplayText(untrusted: lines[index]).dropping(columns: state.rawColumn), in: area, row: row, col: 1, role: .normal)
    }
  }
}
