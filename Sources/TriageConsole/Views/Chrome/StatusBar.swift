import Foundation

/// The bottom line: a save error first (the analyst's work is at risk), else what waits for the
/// rows, else the last message or the prompt being typed (with "searching…" while its matches wait
/// for the rows), else key hints for the current screen; the state file's path on the right.
enum StatusBar {
  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    screen.fill(area, row: 0, role: .header)
    let path = DisplayText(untrusted: "state: " + state.statePath)
    let pathWidth = min(path.width, max(0, area.width / 3))
    let leftWidth = max(0, area.width - pathWidth - 2)
    if pathWidth > 0 {
      screen.put(path.truncated(toWidth: pathWidth), in: area, row: 0, col: area.width - pathWidth, role: .header)
    }
    let left = Rect(row: area.row, col: area.col, height: 1, width: leftWidth)
    if case .search(let query, _) = state.overlay {
      let prompt = "/" + DisplayText(untrusted: query)
      let note = state.waitingNote.map { DisplayText(untrusted: "  " + $0) }
      let room = leftWidth - 1 - (note?.width ?? 0)
      // Keep the end of a long query (where typing happens) in view.
      let shown = prompt.width > room ? prompt.dropping(columns: prompt.width - max(0, room)) : prompt
      screen.put(shown, in: left, row: 0, role: .normal)
      if let note { screen.put(note, in: left, row: 0, col: shown.width, role: .hint) }
      screen.setCursor(row: area.row, col: min(shown.width, leftWidth - 1))
      return
    }
    if let error = state.saveError {
      screen.put(DisplayText(untrusted: "NOT SAVED: " + error), in: left, row: 0, role: .error)
    } else if let note = state.waitingNote {
      screen.put(" " + DisplayText(untrusted: note), in: left, row: 0, role: .header)
    } else if let message = state.message {
      screen.put(" " + DisplayText(untrusted: message), in: left, row: 0, role: .header)
    } else {
      let hints = Keymap.hints(for: state.scope).map { "\($0.keys[0]) \(shortHelp($0.help))" }
      screen.put(" " + DisplayText(stringLiteral: hints.joined(separator: "  ")), in: left, row: 0, role: .hint)
    }
  }

  /// The help text up to its first parenthesis or comma, for the one-line hints.
  static func shortHelp(_ text: String) -> String {
    let cut = text.firstIndex { $0 == "(" || $0 == "," || $0 == "…" || $0 == ":" } ?? text.endIndex
    return text[..<cut].trimmingCharacters(in: .whitespaces)
  }
}
