import TriageCore

/// Text that is safe to send to a terminal. `Screen.put` only takes this type, so a string from a
/// log cannot reach the terminal without passing `init(untrusted:)`, the one sanitiser: C0/C1
/// controls, DEL, ESC (and with it every CSI/OSC/DCS sequence), bidi overrides and isolates and
/// zero-width characters are shown as inert escapes (`\x1b`, `\u202e`), tab and newlines as `\t`,
/// `\n`. String literals are ours and trusted.
public struct DisplayText: Sendable, Equatable, Hashable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
  /// The sanitised text.
  public let text: String
  /// Terminal columns.
  public let width: Int

  public init(stringLiteral value: String) {
    text = value
    width = DisplayWidth.of(value)
  }

  public init(untrusted value: String) {
    let clean = DisplayText.sanitize(value)
    text = clean
    width = DisplayWidth.of(clean)
  }

  private init(sanitized: String, width: Int) {
    text = sanitized
    self.width = width
  }

  public static let empty: DisplayText = ""

  static func sanitize(_ value: String) -> String {
    var needsWork = false
    for scalar in value.unicodeScalars where isDangerous(scalar) {
      needsWork = true
      break
    }
    // A combining mark at the very start would fuse with whatever is already on screen to its left.
    if let first = value.unicodeScalars.first, DisplayWidth.of(first) == 0 { needsWork = true }
    guard needsWork else { return value }
    var out = ""
    out.reserveCapacity(value.utf8.count + 16)
    for (offset, scalar) in value.unicodeScalars.enumerated() {
      if isDangerous(scalar) || (offset == 0 && DisplayWidth.of(scalar) == 0) {
        out += TerminalSanitizer.escape(scalar)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// The core's list plus line and paragraph separators, which some terminals treat as newlines.
  static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
    TerminalSanitizer.isDangerous(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
  }

  /// At most `maxWidth` columns; a cut ends with "…" and never splits a wide glyph.
  public func truncated(toWidth maxWidth: Int) -> DisplayText {
    guard width > maxWidth else { return self }
    guard maxWidth > 0 else { return .empty }
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > maxWidth - 1 { break }
      out.append(character)
      used += w
    }
    out.append("…")
    return DisplayText(sanitized: out, width: used + 1)
  }

  /// Exactly `width` columns: truncated, or padded with spaces.
  public func padded(toWidth target: Int) -> DisplayText {
    let cut = truncated(toWidth: target)
    guard cut.width < target else { return cut }
    return DisplayText(sanitized: cut.text + String(repeating: " ", count: target - cut.width), width: target)
  }

  /// The columns from `start` on (for horizontal scrolling); a wide glyph cut in half becomes a space.
  public func dropping(columns start: Int) -> DisplayText {
    guard start > 0 else { return self }
    var out = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used >= start {
        out.append(character)
      } else if used + w > start {
        out.append(" ")
      }
      used += w
    }
    return DisplayText(sanitized: out, width: DisplayWidth.of(out))
  }

  /// Splits into lines of at most `maxWidth` columns, breaking at characters (values such as ARNs
  /// have no spaces worth breaking at).
  public func wrapped(toWidth maxWidth: Int) -> [DisplayText] {
    guard maxWidth > 1, width > maxWidth else { return [self] }
    var lines: [DisplayText] = []
    var current = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > maxWidth {
        lines.append(DisplayText(sanitized: current, width: used))
        current = ""
        used = 0
      }
      current.append(character)
      used += w
    }
    if !current.isEmpty { lines.append(DisplayText(sanitized: current, width: used)) }
    return lines
  }

  /// Splits into lines of at most `maxWidth` columns at the last space that fits (a word longer
  /// than a line is cut at characters), for text that mixes words and values, such as evidence.
  /// Nothing is dropped but the space a line breaks at: a value's own spacing stays as logged.
  /// Lines after the first start with the first one's leading spaces, so an indented line wraps
  /// under itself.
  public func wordWrapped(toWidth maxWidth: Int) -> [DisplayText] {
    guard width > maxWidth else { return [self] }
    let characters = Array(text)
    let indent = characters.prefix { $0 == " " }.count
    // A continuation line needs room for the indent and some text.
    let hang = indent < maxWidth / 2 ? indent : 0
    // A space inside the first line's own indentation is not a place to break.
    func breaksAt(_ i: Int, from start: Int) -> Bool { characters[i] == " " && i > start && i >= indent }
    var lines: [DisplayText] = []
    var start = 0
    while start < characters.count {
      let prefix = lines.isEmpty ? 0 : hang
      let room = maxWidth - prefix
      guard room > 1 else { return wrapped(toWidth: maxWidth) }
      var used = 0, end = start, lastSpace: Int?
      while end < characters.count {
        let w = DisplayWidth.of(characters[end])
        if used + w > room { break }
        if breaksAt(end, from: start) { lastSpace = end }
        used += w
        end += 1
      }
      if end == start { end = start + 1 }  // a character wider than the room still takes a line
      // The text up to a space that did not fit fits whole: break there.
      if end < characters.count && breaksAt(end, from: start) { lastSpace = end }
      let breakAt = end < characters.count ? (lastSpace ?? end) : end
      let piece = String(repeating: " ", count: prefix) + String(characters[start..<breakAt])
      lines.append(DisplayText(sanitized: piece, width: DisplayWidth.of(piece)))
      start = breakAt
      if lastSpace == breakAt && start < characters.count { start += 1 }
    }
    return lines
  }

  public static func + (lhs: DisplayText, rhs: DisplayText) -> DisplayText {
    DisplayText(sanitized: lhs.text + rhs.text, width: lhs.width + rhs.width)
  }
}
