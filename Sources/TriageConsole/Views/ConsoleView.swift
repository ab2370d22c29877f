/// Draws a whole frame from the state: header, the screen on top of the navigation stack, the
/// overlay, the status bar. A pure function of the state, so a frame can be asserted in tests.
public enum ConsoleView {
  public static func render(_ state: ConsoleState, into screen: inout some Screen) {
    screen.clear()
    screen.hideCursor()
    let layout = state.layout
    // Below this the list's columns shrink to a letter or two and say nothing; the keys still
    // work (q quits), and a resize brings the console back.
    guard !layout.isTooSmall else {
      let size = "Terminal too small (\(layout.size.cols)x\(layout.size.rows)): lambda-triage needs \(ConsoleLayout.minimumSize.cols)x\(ConsoleLayout.minimumSize.rows). "
      let text = size + (state.isWritingText ? "Enlarge it to go on; what you typed is kept." : "Enlarge it, or q to quit.")
      for (row, line) in WordWrap.lines(text, width: max(1, layout.size.cols)).enumerated() where row < layout.size.rows {
        screen.put(DisplayText(stringLiteral: line), row: row, col: 0, role: .error)
      }
      screen.flush()
      return
    }
    HeaderBar.render(state, in: layout.header, into: &screen)
    switch state.top {
    case .list: AlertListView.render(state, into: &screen)
    case .detail(let uuid): AlertDetailView.render(state, uuid: uuid, in: layout.body, into: &screen)
    case .raw(let uuid): AlertDetailView.renderRaw(state, uuid: uuid, in: layout.body, into: &screen)
    case .guide(let uuid): GuideView.render(state, uuid: uuid, in: layout.body, into: &screen)
    case .help: HelpView.render(state, in: layout.body, into: &screen)
    case .exclusions: ExclusionListView.render(state, in: layout.body, into: &screen)
    case .events(let uuid, let step, let line): EvidenceEventsView.render(state, uuid: uuid, step: step, line: line, in: layout.body, into: &screen)
    case .event(let uuid, let index): EvidenceEventsView.renderEvent(state, uuid: uuid, index: index, in: layout.body, into: &screen)
    }
    OverlayView.render(state, in: layout.body, into: &screen)
    StatusBar.render(state, in: layout.statusBar, into: &screen)
    screen.flush()
  }
}
