import Testing
@testable import TriageConsole

/// Evidence lines and notes mix words with logged values: they wrap at spaces, keep every other
/// character as logged, and an indented line wraps under itself.
@Suite("Word wrapping of evidence and notes")
struct WordWrapTests {
  func texts(_ line: String, _ width: Int) -> [String] {
    DisplayText(untrusted: line).wordWrapped(toWidth: width).map(\.text)
  }

  @Test("breaks at the last space that fits; joining the lines with that space gives the line back")
  func atSpaces() {
    let line = "Network EXAMPLE-HOME-ISP: seen before, 30 events, 2026-11-01 08:11 to 2026-11-08 09:05"
    let lines = texts(line, 40)
    #expect(lines == ["Network EXAMPLE-HOME-ISP: seen before,", "30 events, 2026-11-01 08:11 to", "2026-11-08 09:05"])
    #expect(lines.joined(separator: " ") == line)
  }

  @Test("an indented line's continuation lines start under its text")
  func hangingIndent() {
    let lines = texts("  COMCAST-7922: 4 events, 2026-11-10 09:00 to 2026-11-12 09:30", 30)
    #expect(lines == ["  COMCAST-7922: 4 events,", "  2026-11-10 09:00 to", "  2026-11-12 09:30"])
  }

  @Test("a word longer than a line is cut at characters, and nothing is lost")
  func longWord() {
    let arn = "arn:aws:sts::111122223333:assumed-role/etl-role/etl-09d"
    let lines = texts("Principal: " + arn + " (AssumedRole)", 24)
    #expect(lines.allSatisfy { DisplayWidth.of($0) <= 24 })
    #expect(lines.first == "Principal:")
    #expect(lines.dropFirst().joined().replacingOccurrences(of: " (", with: "(") == arn + "(AssumedRole)")
  }

  @Test("spacing inside a value stays as logged; only the space broken at goes")
  func keepsSpacing() {
    let lines = texts("User agent: curl/8.5  (double  spaced)", 20)
    #expect(lines == ["User agent: curl/8.5", " (double  spaced)"])
    #expect(lines.joined(separator: " ") == "User agent: curl/8.5  (double  spaced)")
  }

  @Test("wide characters count two columns; no line is wider than asked; a line that fits is left alone")
  func widths() {
    let line = "Network 中文网络公司: seen before, 3 events, 東京 to 大阪"
    for width in 10...30 {
      let lines = DisplayText(untrusted: line).wordWrapped(toWidth: width)
      #expect(lines.allSatisfy { $0.width <= width }, "width \(width)")
      #expect(lines.map(\.text).joined(separator: " ").filter { $0 != " " } == line.filter { $0 != " " })
    }
    #expect(texts("short", 80) == ["short"])
  }

  @Test("control characters are escaped before wrapping, so the widths hold")
  func hostile() {
    let lines = DisplayText(untrusted: "From: \u{1B}[31m1.2.3.4\u{1B}[0m \u{202E}evil ASN with a long name").wordWrapped(toWidth: 16)
    #expect(lines.allSatisfy { $0.width <= 16 })
    #expect(!lines.contains { $0.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E } })
  }
}
