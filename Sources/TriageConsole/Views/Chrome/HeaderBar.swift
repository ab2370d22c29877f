import TriageCore

/// The top line: the product, then counts per rule and per status over all alerts, so the analyst
/// always sees how much is left whatever the list shows. A filter and marks come first, since a
/// status key acts on every marked alert, the hidden ones too.
enum HeaderBar {
  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    screen.fill(area, row: 0, role: .header)
    let counts = state.list.counts
    let list = state.list
    let roomy = area.width >= 120
    var parts: [String] = roomy ? ["lambda-triage"] : []
    let hidesExcluded = !list.filter.showExcluded && counts.excluded > 0
    if list.filter.isActive || hidesExcluded {
      var summary = list.filter.summary { id in BuiltinRules.rule(id: id)?.shortName ?? id }
      if hidesExcluded { summary += (summary.isEmpty ? "" : ", ") + "\(counts.excluded) excluded hidden" }
      parts.append("\(list.visible.count) of \(counts.total) shown (\(summary))")
    } else {
      parts.append("\(counts.total) alert\(counts.total == 1 ? "" : "s")")
    }
    if !list.marks.isEmpty {
      let hidden = state.hiddenMarks
      parts.append("marked \(list.marks.count)" + (hidden > 0 ? " (\(hidden) hidden)" : ""))
    }
    parts += counts.byRule.map { "\(roomy ? $0.name : AlertRow.tinyRuleName($0.name)) \($0.count)" }
    parts += AlertStatus.allCases.map { "\(AlertListView.shortLabel($0)) \(counts.byStatus[$0] ?? 0)" }
    if counts.excluded > 0 && !hidesExcluded { parts.append("excluded \(counts.excluded)") }
    screen.put(" " + DisplayText(untrusted: parts.joined(separator: " · ")), in: area, row: 0, role: .header)
  }
}
