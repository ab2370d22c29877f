/// Terminal column widths, counted per grapheme the way terminals lay text out: East Asian wide
/// and emoji-presentation characters take two columns, combining marks none. Measured here rather
/// than with `wcwidth`, whose answer depends on the process locale (tests run in "C").
enum DisplayWidth {
  static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if first.value < 0x7F { return first.value < 0x20 ? 0 : 1 }
    // A variation selector 16 asks for emoji presentation, which terminals draw two columns wide.
    if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
    return of(first)
  }

  static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x7F { return v < 0x20 ? 0 : 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if scalar.properties.isEmojiPresentation { return 2 }
    return isWide(v) ? 2 : 1
  }

  static func of(_ text: some StringProtocol) -> Int {
    // ASCII fast path: most log text is ASCII and this runs for every visible cell.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    return text.reduce(0) { $0 + of($1) }
  }

  /// East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth W/F ranges, coarsened to blocks).
  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
      0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
      0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x16FE0...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x1F300...0x1F64F,
      0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
  }
}
