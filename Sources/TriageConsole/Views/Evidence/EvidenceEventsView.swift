import TriageCore

/// The events behind a step's evidence (`E` in the guide), and one of them in the detail layout.
enum EvidenceEventsView {
  static func render(_ state: ConsoleState, uuid: String, step: String, line: Int?, in area: Rect, into screen: inout some Screen) {
    let indices = state.evidenceEvents(uuid: uuid, step: step, line: line)
    let steps = state.session.alert(uuid: uuid)?.rule?.guide.steps ?? []
    let named = steps.firstIndex { $0.key == step }.map { "step \($0 + 1), \(steps[$0].title)" } ?? step
    var title = DisplayText(stringLiteral: "Events behind the evidence of \(named) · \(indices.count)")
    if let line, case .ready(let found)? = state.evidence[uuid], found.lines(for: step).indices.contains(line) {
      title = DisplayText(stringLiteral: "Events behind: ") + DisplayText(untrusted: found.lines(for: step)[line].text.trimmingCharacters(in: .whitespaces)) + DisplayText(stringLiteral: " · \(indices.count)")
    }
    screen.put(title, in: area, row: 0, col: 1, role: .title)
    let body = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
    let top = state.eventList.offset(forHeight: body.height, count: indices.count)
    for row in 0..<body.height {
      let position = top + row
      guard position < indices.count, let event = state.relatedEvent(uuid: uuid, index: indices[position]) else { break }
      let selected = position == state.eventList.selected
      if selected { screen.fill(body, row: row, role: .selected) }
      let text = [AlertRow.listTime(event.time), event.action, event.principalARN ?? "-", event.sourceIP ?? "-", event.network, event.location]
        .joined(separator: "  ")
      screen.put(DisplayText(untrusted: text), in: body, row: row, col: 1, role: selected ? .selected : .normal)
    }
  }

  static func renderEvent(_ state: ConsoleState, uuid: String, index: Int, in area: Rect, into screen: inout some Screen) {
    guard let event = state.relatedEvent(uuid: uuid, index: index) else { return }
    screen.put(DisplayText(untrusted: "Related event · \(event.action) · \(event.location)"), in: area, row: 0, col: 1, role: .title)
    let lines = AlertDetailContent.eventLines(event)
    let body = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
    DetailLinesView.render(lines, selected: state.eventDetail.selected, offset: state.eventDetail.offset(forHeight: body.height, count: lines.count), in: body, into: &screen)
  }
}
