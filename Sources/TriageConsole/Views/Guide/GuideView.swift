import TriageCore

/// The investigation guide: the steps as a checklist with their state, the selected step's text
/// and note below; the false-positive analysis and response beside on wide terminals, below
/// otherwise.
enum GuideView {
  static func marker(_ status: StepStatus) -> String {
    switch status {
    case .open: return "[ ]"
    case .done: return "[x]"
    case .notApplicable: return "[-]"
    }
  }

  static func render(_ state: ConsoleState, uuid: String, in area: Rect, into screen: inout some Screen) {
    guard let alert = state.session.alert(uuid: uuid), let rule = alert.rule else { return }
    let triage = state.session.state(of: uuid)
    let guide = rule.guide
    let progress = triage.progress(of: guide)
    screen.put(DisplayText(untrusted: "Guide \(progress.settled)/\(progress.total) · \(rule.name)"),
               in: area, row: 0, col: 1, role: .title)

    let wide = area.width >= 120
    let mainWidth = wide ? area.width * 3 / 5 : area.width
    let main = Rect(row: area.row + 1, col: area.col, height: area.height - 1, width: mainWidth)
    var row = 0
    for (index, step) in guide.steps.enumerated() where row < main.height {
      let stepState = triage.step(step.key)
      let isSelected = index == state.guide.selected
      if isSelected { screen.fill(main, row: row, role: .selected) }
      let noteMark = stepState.note.isEmpty ? "" : "  ✎"
      let text = DisplayText(stringLiteral: "\(marker(stepState.status)) \(index + 1). ") + DisplayText(untrusted: step.title + noteMark)
      screen.put(text, in: main, row: row, col: 1, role: isSelected ? .selected : (stepState.status.isSettled ? .dim : .normal))
      row += 1
    }
    row += 1

    var below: [(DisplayText, Role)] = []
    if guide.steps.indices.contains(state.guide.selected) {
      let step = guide.steps[state.guide.selected]
      let stepState = triage.step(step.key)
      below += paragraph(step.detail, width: main.width - 4)
      if !step.fields.isEmpty {
        below.append((DisplayText(untrusted: "Fields: " + step.fields.joined(separator: ", ")), .dim))
      }
      below.append((.empty, .normal))
      if triage.drafts[step.key] != nil {
        below.append(("Note: an unsaved draft is waiting (Enter opens it)", .hint))
      }
      if stepState.note.isEmpty {
        if triage.drafts[step.key] == nil { below.append(("Note: none (Enter writes one)", .hint)) }
      } else {
        below.append(("Note:", .label))
        for line in stepState.note.split(separator: "\n", omittingEmptySubsequences: false) {
          below += DisplayText(untrusted: String(line)).wordWrapped(toWidth: main.width - 4).map { ("  " + $0, .normal) }
        }
      }
    }
    below += evidenceLines(state, uuid: uuid, step: guide.steps.indices.contains(state.guide.selected) ? guide.steps[state.guide.selected].key : nil, width: main.width - 2)
    let side = analysis(guide, width: (wide ? area.width - mainWidth - 3 : main.width - 2))
    if !wide { below += [(.empty, .normal)] + side }
    for line in below where row < main.height {
      screen.put(line.0, in: main, row: row, col: 2, role: line.1)
      row += 1
    }
    if wide {
      let pane = Rect(row: main.row, col: mainWidth + 1, height: main.height, width: area.width - mainWidth - 1)
      for r in 0..<pane.height { screen.put("│", row: pane.row + r, col: pane.col - 1, role: .dim) }
      for (r, line) in side.enumerated() where r < pane.height {
        screen.put(line.0, in: pane, row: r, col: 1, role: line.1)
      }
    }
  }

  /// The selected step's evidence, computed from the logs.
  static func evidenceLines(_ state: ConsoleState, uuid: String, step: String?, width: Int) -> [(DisplayText, Role)] {
    guard let step else { return [] }
    var out: [(DisplayText, Role)] = [(.empty, .normal), ("Evidence ([ ] pick a line, Enter its events, E all, p pin, z fold)", .title)]
    switch state.evidence[uuid] {
    case .loading?: out.append(("reading the logs…", .hint))
    case .unavailable(let why)?:
      // Wrapped: the part that says what to do comes after a path that may be long.
      out += DisplayText(untrusted: why).wordWrapped(toWidth: max(10, width - 2)).map { ($0, .hint) }
    case .ready(let evidence)?:
      let lines = evidence.lines(for: step)
      if lines.isEmpty { out.append(("nothing for this step", .hint)) }
      if state.evidenceFolded && !lines.isEmpty {
        out.append(("  \(lines.count) line\(lines.count == 1 ? "" : "s") folded (z shows them)", .hint))
        return out
      }
      for (index, line) in lines.enumerated() {
        let role: Role = index == state.evidenceLine ? .selected : (line.isNotable ? .marked : .normal)
        let marker = index == state.evidenceLine ? "▸ " : "  "
        out += DisplayText(untrusted: line.text).wordWrapped(toWidth: max(10, width - 2)).enumerated().map { ($0.offset == 0 ? DisplayText(stringLiteral: marker) + $0.element : "  " + $0.element, role) }
      }
    case nil: out.append(("not collected", .hint))
    }
    return out
  }

  static func analysis(_ guide: InvestigationGuide, width: Int) -> [(DisplayText, Role)] {
    var out: [(DisplayText, Role)] = [("False-positive analysis", .title)]
    for item in guide.falsePositiveAnalysis { out += paragraph("• " + item, width: width) }
    out.append((.empty, .normal))
    out.append(("Response", .title))
    for item in guide.response { out += paragraph("• " + item, width: width) }
    return out
  }

  /// Prose wrapped at spaces (guide text is ours, so it has words worth breaking at).
  static func paragraph(_ text: String, width: Int) -> [(DisplayText, Role)] {
    WordWrap.lines(text, width: width).map { (DisplayText(untrusted: $0), .normal) }
  }
}
