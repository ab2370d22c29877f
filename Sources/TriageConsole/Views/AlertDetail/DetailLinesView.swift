/// Draws detail lines (sections, labelled values, text) in an area from `offset`, highlighting the
/// selected line. Labels and values are log text and are sanitised here.
enum DetailLinesView {
  static func render(_ lines: [DetailLine], selected: Int?, offset: Int, in area: Rect, into screen: inout some Screen) {
    let labelWidth = min(20, max(8, area.width / 3))
    for row in 0..<area.height {
      let index = offset + row
      guard index < lines.count else { break }
      let line = lines[index]
      let isSelected = index == selected
      if isSelected { screen.fill(area, row: row, role: .selected) }
      let indent = min(line.indent * 2, area.width / 2)
      switch line.kind {
      case .blank: break
      case .section:
        screen.put(DisplayText(untrusted: line.label), in: area, row: row, col: 1, role: isSelected ? .selected : .title)
      case .text:
        screen.put(DisplayText(untrusted: line.value), in: area, row: row, col: 2 + indent, role: isSelected ? .selected : .normal)
      case .field:
        let label = DisplayText(untrusted: line.label).padded(toWidth: max(4, labelWidth - indent))
        screen.put(label, in: area, row: row, col: 2 + indent, role: isSelected ? .selected : .label)
        var value = DisplayText(untrusted: line.value)
        let room = area.width - (3 + indent + label.width)
        if line.keepsEnd, room > 1, value.width > room {
          value = "…" + value.dropping(columns: value.width - room + 1)
        }
        screen.put(value, in: area, row: row, col: 3 + indent + label.width, role: isSelected ? .selected : .normal)
      }
    }
  }
}
