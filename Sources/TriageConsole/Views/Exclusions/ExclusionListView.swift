import TriageCore

/// `X`: every exclusion in force, with the number of current alerts each hides.
enum ExclusionListView {
  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    let all = state.allExclusions
    screen.put(DisplayText(stringLiteral: "Exclusions · \(all.count)"), in: area, row: 0, col: 1, role: .title)
    if all.isEmpty {
      screen.put("None yet. On an alert, x proposes one built from its event.", in: area, row: 2, col: 2, role: .hint)
      return
    }
    let body = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: area.width)
    let linesPer = 3
    let visible = max(1, body.height / linesPer)
    let top = state.exclusionList.offset(forHeight: visible, count: all.count)
    for slot in 0..<visible {
      let index = top + slot
      guard index < all.count else { break }
      let exclusion = all[index]
      let selected = index == state.exclusionList.selected
      let row = slot * linesPer
      let shared = index >= state.session.exclusions.count
      let status = exclusion.isEnabled ? "on " : "off"
      let rules = exclusion.ruleIDs.count > 1 ? "both rules" : (BuiltinRules.rule(id: exclusion.ruleIDs.first ?? "")?.shortName ?? exclusion.ruleIDs.first ?? "")
      let count = state.suppressedCount(exclusion)
      if selected { screen.fill(body, row: row, role: .selected) }
      let head = DisplayText(stringLiteral: "[\(status)] hides \(count) · ") + DisplayText(untrusted: rules + (shared ? " · shared file" : "") + " · " + exclusion.name)
      screen.put(head, in: body, row: row, col: 1, role: selected ? .selected : (exclusion.isEnabled ? .normal : .dim))
      let why = DisplayText(untrusted: "“\(exclusion.comment)” — \(exclusion.author), \(exclusion.createdAt)")
      screen.put(why, in: body, row: row + 1, col: 7, role: .dim)
    }
  }
}
