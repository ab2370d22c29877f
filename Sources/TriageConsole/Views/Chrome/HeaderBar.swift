import TriageCore

/// The top line: the product, then counts per rule and per status over all alerts, so the analyst
/// always sees how much is left whatever the list shows.
enum HeaderBar {
  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    screen.fill(area, row: 0, role: .header)
    let counts = state.list.counts
    let roomy = area.width >= 120
    var parts: [String] = roomy ? ["lambda-triage"] : []
    parts.append("\(counts.total) alert\(counts.total == 1 ? "" : "s")")
    parts += counts.byRule.map { "\(roomy ? $0.name : AlertRow.tinyRuleName($0.name)) \($0.count)" }
    parts += AlertStatus.allCases.map { "\(AlertListView.shortLabel($0)) \(counts.byStatus[$0] ?? 0)" }
    if counts.excluded > 0 { parts.append("excluded \(counts.excluded)") }
    screen.put(" " + DisplayText(untrusted: parts.joined(separator: " · ")), in: area, row: 0, role: .header)
  }
}
