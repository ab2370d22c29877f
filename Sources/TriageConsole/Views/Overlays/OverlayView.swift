import TriageCore

/// Pickers, the note editor and a value shown whole, drawn over the current screen.
enum OverlayView {
  static func render(_ state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    switch state.overlay {
    case .picker(let picker): renderPicker(picker, in: area, into: &screen)
    case .editor(let editor): renderEditor(editor, state: state, in: area, into: &screen)
    case .value(let view): renderValue(view, in: area, into: &screen)
    case .exclusion(let form): ExclusionFormView.render(form, state: state, in: area, into: &screen)
    case .search, nil: break
    }
  }

  static func label(_ choice: PickerState.Choice) -> String {
    switch choice {
    case .reason(let reason): return reason.label
    case .status(nil): return "status: any"
    case .status(let status?): return "status: \(status.label)"
    case .rule(nil, _): return "rule: any"
    case .rule(_, let name): return "rule: \(name)"
    case .severity(nil): return "severity: any"
    case .severity(let severity?): return "severity: \(severity)"
    case .excluded(let show): return show ? "excluded alerts: show them" : "excluded alerts: hide them"
    }
  }

  static func renderPicker(_ picker: PickerState, in area: Rect, into screen: inout some Screen) {
    let rect = Box.centred(width: 48, height: picker.choices.count + 4, in: area)
    let inner = Box.draw(rect, title: DisplayText(stringLiteral: picker.title), into: &screen)
    let height = inner.height - 1
    let top = picker.scroll.offset(forHeight: height, count: picker.choices.count)
    for row in 0..<max(0, height) {
      let index = top + row
      guard index < picker.choices.count else { break }
      let selected = index == picker.scroll.selected
      if selected { screen.fill(inner, row: row, role: .selected) }
      screen.put(DisplayText(untrusted: label(picker.choices[index])), in: inner, row: row, col: 1, role: selected ? .selected : .normal)
    }
    screen.put("Enter choose · Esc cancel", in: inner, row: inner.height - 1, col: 1, role: .hint)
  }

  static func renderEditor(_ editor: NoteEditorState, state: ConsoleState, in area: Rect, into screen: inout some Screen) {
    let title: String
    switch editor.target {
    case .alertNote: title = "New note by \(state.author)"
    case .stepNote(_, _, let stepTitle): title = "Step note: \(stepTitle)"
    }
    let rect = Box.centred(width: area.width, height: area.height, in: area)
    let inner = Box.draw(rect, title: DisplayText(untrusted: title), into: &screen)
    let textArea = Rect(row: inner.row, col: inner.col, height: inner.height - 1, width: inner.width)
    let buffer = editor.buffer
    // Long lines wrap (by width, so the cursor's place is exact); the view scrolls to keep the
    // cursor's row in sight.
    let wrapped = EditorRows.visible(buffer, width: max(2, textArea.width - 1), height: textArea.height)
    for (row, text) in wrapped.rows.enumerated() {
      screen.put(text, in: textArea, row: row, role: .normal)
    }
    let footer: DisplayText = editor.isConfirmingDiscard
      ? "Discard the changes? y discards · n keeps editing"
      : "Ctrl-S save · Esc cancel · Enter new line"
    screen.put(footer, in: inner, row: inner.height - 1, role: editor.isConfirmingDiscard ? .error : .hint)
    if !editor.isConfirmingDiscard {
      screen.setCursor(row: textArea.row + wrapped.cursor.row, col: textArea.col + wrapped.cursor.col)
    }
  }

  static func renderValue(_ view: ValueView, in area: Rect, into screen: inout some Screen) {
    let width = ValueView.boxWidth(forArea: area.width)
    // Wrapped by the state for this width; wrapped here only if a frame comes before the update.
    var view = view
    view.wrap(for: area.width)
    let lines = view.lines
    let rect = Box.centred(width: width, height: lines.count + 4, in: area)
    let inner = Box.draw(rect, title: DisplayText(untrusted: view.title), into: &screen)
    let rows = max(0, inner.height - 1)
    let top = min(max(0, view.offset), max(0, lines.count - rows))
    for row in 0..<rows where top + row < lines.count {
      screen.put(lines[top + row], in: inner, row: row, role: .normal)
    }
    var where_ = ""
    if lines.count > rows {
      where_ = " · lines \(top + 1)-\(min(lines.count, top + rows)) of \(lines.count), j/k scroll"
    }
    screen.put(DisplayText(stringLiteral: "copied to the clipboard (OSC 52)\(where_) · Esc closes"), in: inner, row: inner.height - 1, role: .hint)
  }
}
