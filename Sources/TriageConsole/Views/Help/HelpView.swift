/// The help screen, generated from `Keymap.bindings` so it always says what the keys do.
enum HelpView {
  struct Line: Equatable {
    var text: DisplayText
    var role: Role
  }

  static func lines() -> [Line] {
    var out: [Line] = []
    for section in Keymap.helpSections() {
      if !out.isEmpty { out.append(Line(text: .empty, role: .normal)) }
      out.append(Line(text: DisplayText(stringLiteral: section.scope.title), role: .title))
      for binding in section.bindings {
        let keys = DisplayText(stringLiteral: binding.keyLabel).padded(toWidth: 22)
        out.append(Line(text: "  " + keys + " " + DisplayText(stringLiteral: binding.help), role: .normal))
      }
    }
    out.append(Line(text: .empty, role: .normal))
    out.append(Line(text: "Every change is saved to the state file at once; the status bar names it.", role: .hint))
    return out
  }

  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    screen.put("Help: keys by screen", in: area, row: 0, role: .title)
    let all = lines()
    let top = min(state.help.selected, max(0, all.count - 1))
    for row in 1..<max(1, area.height) {
      let index = top + row - 1
      guard index < all.count else { break }
      screen.put(all[index].text, in: area, row: row, col: 1, role: all[index].role)
    }
  }
}
