import TriageCore

/// The exclusion being written: first the proposals, then the form with a live preview of the
/// alerts it would hide.
enum ExclusionFormView {
  static func render(_ form: ExclusionFormState, state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    let rect = Box.centred(width: area.width, height: area.height, in: area)
    switch form.stage {
    case .choose:
      let inner = Box.draw(rect, title: "Exclude events like this one: pick a condition", into: &screen)
      for (index, proposal) in form.proposals.enumerated() where index < inner.height - 2 {
        let selected = index == form.choice.selected
        if selected { screen.fill(inner, row: index, role: .selected) }
        let count = state.suppressedAlerts(ruleIDs: [form.ruleID], entries: proposal.entries).count
        let text = DisplayText(untrusted: proposal.summary) + DisplayText(stringLiteral: "  (\(count) alert\(count == 1 ? "" : "s"))")
        screen.put(text, in: inner, row: index, col: 1, role: selected ? .selected : .normal)
      }
      screen.put("Enter choose · j/k move · Esc cancel", in: inner, row: inner.height - 1, col: 1, role: .hint)
    case .form:
      let title: DisplayText = form.editingID == nil ? "New exclusion" : "Edit exclusion"
      let inner = Box.draw(rect, title: title, into: &screen)
      var row = 0
      var cursor: (Int, Int)?
      for (index, condition) in form.conditions.enumerated() {
        if index > 0 {
          screen.put("AND", in: inner, row: row, col: 1, role: .label)
          row += 1
        }
        let head = DisplayText(untrusted: condition.field) + " " + DisplayText(stringLiteral: condition.op.rawValue)
        screen.put(head, in: inner, row: row, col: 1, role: .label)
        row += 1
        if condition.op != .exists {
          let focused = form.focus == index
          let value = DisplayText(untrusted: condition.value)
          let shown = value.width > inner.width - 6 ? value.dropping(columns: value.width - inner.width + 6) : value
          screen.put("> " + shown, in: inner, row: row, col: 2, role: focused ? .selected : .normal)
          if focused { cursor = (inner.row + row, inner.col + 4 + shown.width) }
          row += 1
        }
      }
      row += 1
      let scopeText = form.scope == .thisRule
        ? "Scope: this rule (\(BuiltinRules.rule(id: form.ruleID)?.shortName ?? form.ruleID))"
        : "Scope: both rules"
      screen.put(DisplayText(untrusted: scopeText), in: inner, row: row, col: 1, role: .normal)
      row += 2
      screen.put("Why is this safe? (required)", in: inner, row: row, col: 1, role: .label)
      row += 1
      let comment = DisplayText(untrusted: form.comment)
      let shownComment = comment.width > inner.width - 6 ? comment.dropping(columns: comment.width - inner.width + 6) : comment
      screen.put("> " + shownComment, in: inner, row: row, col: 2, role: form.isCommentFocused ? .selected : .normal)
      if form.isCommentFocused { cursor = (inner.row + row, inner.col + 4 + shownComment.width) }
      row += 2

      switch form.entries() {
      case .failure(let error):
        screen.put(DisplayText(untrusted: error.message), in: inner, row: row, col: 1, role: .error)
      case .success(let entries):
        let ruleIDs = form.ruleIDs(allRules: BuiltinRules.all.map(\.ruleID))
        let hits = state.suppressedAlerts(ruleIDs: ruleIDs, entries: entries)
        screen.put(DisplayText(stringLiteral: "Would hide \(hits.count) current alert\(hits.count == 1 ? "" : "s"):"), in: inner, row: row, col: 1, role: .title)
        row += 1
        // As in Elastic, an excluded event is gone from rule B's history too, so the next run may
        // raise an alert the hidden one used to cover: the preview counts current alerts only.
        if ruleIDs.contains(BuiltinRules.lambdaInvokeUnusualASN.ruleID) {
          screen.put("Excluded events leave rule B's history too: the next run may alert on a later event", in: inner, row: row, col: 2, role: .hint)
          row += 1
        }
        for index in hits where row < inner.height - 1 {
          let r = state.row(at: index)
          let line = "\(r.time)  \(AlertRow.tinyRuleName(r.rule))  \(r.function)  \(r.principal)  \(r.sourceIP)  \(r.asnOrganization)"
          screen.put(DisplayText(untrusted: line), in: inner, row: row, col: 2, role: .normal)
          row += 1
        }
      }
      if form.isConfirmingDiscard {
        // Editing a saved exclusion, Esc drops the changes, not the exclusion.
        let question = form.editingID == nil ? "Discard this exclusion?" : "Discard your changes (the saved exclusion stays)?"
        screen.put(DisplayText(stringLiteral: question + " y discards · n keeps editing"), in: inner, row: inner.height - 1, col: 1, role: .error)
      } else {
        screen.put("Ctrl-S save · Tab next field · Ctrl-O operator · Ctrl-T scope · Esc cancel", in: inner, row: inner.height - 1, col: 1, role: .hint)
      }
      if let cursor { screen.setCursor(row: cursor.0, col: min(cursor.1, inner.col + inner.width - 1)) }
    }
  }
}
