import TriageCore

/// The alert list: a column header, then one row per visible alert; on wide terminals the selected
/// alert's detail is shown beside it.
enum AlertListView {
  static func render(_ state: ConsoleState, into screen: inout some Screen) {
    let layout = state.layout
    let pane = layout.listPane
    let columns = ListColumns(width: pane.width)
    // The sorted column is marked before its name (so a narrow column keeps the mark): ▲ in its
    // first order, ▼ reversed.
    func title(_ name: String, _ key: SortKey) -> (DisplayText, Role) {
      guard state.list.sort == key else { return (DisplayText(stringLiteral: name), .label) }
      return (DisplayText(stringLiteral: (state.list.isDescending ? "▼" : "▲") + name), .label)
    }
    let header: [(DisplayText, Role)] = [
      (" ", .label), ("status", .label), title("sev", .severity), title("time", .time), title("rule", .rule),
      title("function", .function), title("principal", .principal), ("source ip", .label), ("asn org", .label),
      ("gd", .label), ("x", .label),
    ]
    draw(columns.cells(header), row: 0, in: pane, into: &screen, fillRole: .label)

    let list = state.list
    if list.visible.isEmpty {
      let text: DisplayText = state.session.alerts.isEmpty
        ? "No alerts. The detection found nothing in these logs."
        : "No alert matches the filter (Esc clears it, f changes it)."
      screen.put(text, in: pane, row: 2, col: 2, role: .hint)
    }
    let height = layout.listRows
    let top = list.scroll.offset(forHeight: height, count: list.visible.count)
    for line in 0..<height {
      let position = top + line
      guard position < list.visible.count else { break }
      let index = list.visible[position]
      let alert = state.session.alerts[index]
      let row = state.row(at: index)
      let triage = state.session.state(of: alert.uuid)
      let isSelected = position == list.scroll.selected
      let isMarked = list.marks.contains(alert.uuid)
      var progress = ""
      if let guide = alert.rule?.guide {
        let p = triage.progress(of: guide)
        progress = "\(p.settled)/\(p.total)"
      }
      let status = statusLabel(triage)
      let cells: [(DisplayText, Role)] = [
        (isMarked ? "*" : " ", .marked),
        (DisplayText(stringLiteral: status), statusRole(triage.status)),
        (DisplayText(untrusted: columns.severity >= 6 ? row.severity : shortSeverity(row.severity)), Role.severity(row.severity)),
        (DisplayText(untrusted: columns.time == 19 ? row.time : shortTime(row.time)), .normal),
        (DisplayText(untrusted: ruleLabel(row.rule, width: columns.rule)), .normal),
        (DisplayText(untrusted: row.function), .normal),
        (DisplayText(untrusted: row.principal), .normal),
        (DisplayText(untrusted: row.sourceIP), .normal),
        (DisplayText(untrusted: row.asnOrganization), .normal),
        (DisplayText(stringLiteral: progress), .dim),
        (row.isExcluded ? "x" : " ", .marked),
      ]
      let shown = isSelected ? cells.map { ($0.0, Role.selected) } : cells
      draw(columns.cells(shown), row: line + 1, in: pane, into: &screen, fillRole: isSelected ? .selected : nil)
    }

    if let preview = layout.previewPane, let uuid = state.selectedUUID, let alert = state.session.alert(uuid: uuid) {
      for row in 0..<preview.height {
        screen.put("│", row: preview.row + row, col: preview.col - 1, role: .dim)
      }
      let lines = AlertDetailContent.lines(alert, state: state.session.state(of: uuid))
      DetailLinesView.render(lines, selected: nil, offset: 0, in: preview, into: &screen)
    }
  }

  /// `open`, `ack`, `closed`, and `gone` for alerts the latest run no longer produced.
  static func statusLabel(_ triage: AlertTriage) -> String {
    let base = shortLabel(triage.status)
    return triage.isGone ? base + "†" : base
  }

  static func shortLabel(_ status: AlertStatus) -> String {
    switch status {
    case .open: return "open"
    case .acknowledged: return "ack"
    case .closed: return "closed"
    }
  }

  static func statusRole(_ status: AlertStatus) -> Role {
    switch status {
    case .open: return .statusOpen
    case .acknowledged: return .statusAcknowledged
    case .closed: return .statusClosed
    }
  }

  /// The rule's short name, or its last two words, or its last word, whichever fits.
  static func ruleLabel(_ name: String, width: Int) -> String {
    if DisplayWidth.of(name) <= width { return name }
    let tiny = AlertRow.tinyRuleName(name)
    if DisplayWidth.of(tiny) <= width { return tiny }
    return name.split(separator: " ").last.map(String.init) ?? name
  }

  /// Severity in four columns for narrow terminals.
  static func shortSeverity(_ severity: String) -> String {
    switch severity.lowercased() {
    case "critical": return "crit"
    case "medium": return "med"
    default: return severity
    }
  }

  /// "2026-11-05 14:02:11" as "11-05 14:02" for narrow terminals.
  static func shortTime(_ time: String) -> String {
    guard time.count >= 16 else { return time }
    return String(time.dropFirst(5).prefix(11))
  }

  private static func draw(_ cells: [(DisplayText, Role)], row: Int, in pane: Rect, into screen: inout some Screen, fillRole: Role?) {
    if let fillRole { screen.fill(pane, row: row, role: fillRole) }
    var col = 0
    for (text, role) in cells {
      screen.put(text, in: pane, row: row, col: col, role: role)
      col += text.width + 1
    }
  }
}
