/// Wraps prose at spaces to a column width; a word longer than the width is cut.
enum WordWrap {
  static func lines(_ text: String, width: Int) -> [String] {
    guard width > 4 else { return [text] }
    var out: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var used = 0
      for word in paragraph.split(separator: " ") {
        var w = String(word)
        var wWidth = DisplayWidth.of(w)
        if used > 0 && used + 1 + wWidth > width {
          out.append(line)
          line = ""
          used = 0
        }
        while wWidth > width {
          let cut = DisplayText(untrusted: w).wrapped(toWidth: width)
          out.append(cut[0].text)
          w = cut.dropFirst().map(\.text).joined()
          wWidth = DisplayWidth.of(w)
        }
        if used > 0 {
          line += " "
          used += 1
        }
        line += w
        used += wWidth
      }
      out.append(line)
    }
    return out
  }
}
