import Testing
@testable import TriageConsole
@testable import TriageCore

/// Log strings are attacker-controlled: they must reach the screen escaped, and never break the
/// layout, whatever the terminal size.
@Suite("Hostile strings on every screen")
struct HostileTextTests {
  static let payloads: [String] = [
    "\u{1B}]0;pwned\u{07}title",
    "\u{1B}[2J\u{1B}[31mred",
    "\u{1B}P+q\u{1B}\\dcs",
    "\u{9B}31mC1 CSI",
    "abc\u{202E}fdp.exe",
    "\u{2066}isolate\u{2069}",
    "zero\u{200B}width",
    "line\nbreak\rcarriage",
    "漢字のユーザー名漢字のユーザー名漢字のユーザー名",
    "مرحبا بالعالم",
    String(repeating: "A", count: 10_000),
  ]

  func screens(_ cols: Int, _ rows: Int) -> [MemoryScreen] {
    let alerts = Self.payloads.enumerated().map { ConsoleFixtures.hostileAlert(uuid: "u\($0.offset)", value: $0.element) }
    var frames: [MemoryScreen] = []
    for index in alerts.indices {
      var state = ConsoleFixtures.state(cols: cols, rows: rows, alerts: alerts)
      ConsoleFixtures.press(&state, Array(repeating: .down, count: index))
      frames.append(ConsoleFixtures.frame(state))
      ConsoleFixtures.press(&state, [.enter])
      frames.append(ConsoleFixtures.frame(state))
      ConsoleFixtures.press(&state, [.char("r")])
      frames.append(ConsoleFixtures.frame(state))
      ConsoleFixtures.press(&state, [.escape, .char("g")])
      frames.append(ConsoleFixtures.frame(state))
      // Evidence lines, the picked line's events and one event carry log text too.
      let related = RelatedEvent(document: alerts[index].document, location: Self.payloads[index])
      var steps: [String: [AlertEvidence.Line]] = [:]
      for step in 1...5 { steps["step-\(step)"] = [AlertEvidence.Line(Self.payloads[index], events: [0], notable: true)] }
      _ = state.update(.evidence(uuid: "u\(index)", .ready(AlertEvidence(events: [related], steps: steps))), now: ConsoleFixtures.now)
      frames.append(ConsoleFixtures.frame(state))
      for keys: [Key] in [[.char("]")], [.enter], [.enter]] {
        ConsoleFixtures.press(&state, keys)
        frames.append(ConsoleFixtures.frame(state))
      }
      if case .event = state.top {} else { Issue.record("the related event did not open: \(state.top)") }
      ConsoleFixtures.press(&state, [.escape, .escape])
      ConsoleFixtures.press(&state, [.escape, .escape, .char("/")] + ConsoleFixtures.type("\u{1B}x"))
      frames.append(ConsoleFixtures.frame(state))
      // The exclusion proposals and form carry the event's values, and so do the exclusion list
      // and the preview of the alerts it would hide.
      ConsoleFixtures.press(&state, [.escape, .char("x")])
      frames.append(ConsoleFixtures.frame(state))
      ConsoleFixtures.press(&state, [.enter] + ConsoleFixtures.type("ok"))
      frames.append(ConsoleFixtures.frame(state))
      ConsoleFixtures.press(&state, [.ctrl("s"), .char("X")])
      frames.append(ConsoleFixtures.frame(state))
    }
    return frames
  }

  @Test("no control, bidi or zero-width character reaches the screen, at 80x24 and 200x50", arguments: [(80, 24), (200, 50)])
  func inert(size: (Int, Int)) {
    for screen in screens(size.0, size.1) {
      for line in screen.lines {
        for scalar in line.unicodeScalars {
          #expect(!TerminalSanitizer.isDangerous(scalar), "\(scalar.value) in \(line)")
        }
        #expect(DisplayWidth.of(line) <= size.0, "overflows: \(line)")
      }
    }
  }

  @Test("escapes are shown visibly, so the analyst sees what the attacker sent")
  func visible() {
    let frames = screens(200, 50).map(\.frame).joined(separator: "\n")
    #expect(frames.contains("\\x1b]0;pwned\\x07title"))
    #expect(frames.contains("\\u202e"))
    #expect(frames.contains("\\u200b"))
  }

  @Test("wide characters keep the columns aligned")
  func alignment() {
    let alerts = [ConsoleFixtures.hostileAlert(uuid: "a", value: "漢字のユーザー名漢字"), ConsoleFixtures.hostileAlert(uuid: "b", value: "plain-ascii-name")]
    let screen = ConsoleFixtures.frame(ConsoleFixtures.state(cols: 120, rows: 24, alerts: alerts))
    let header = screen.lines[1]
    let column = DisplayWidth.of(header[..<header.range(of: "principal")!.lowerBound])
    for row in [2, 3] {
      #expect(screen.cells[row][column - 1].text == " ")
      #expect(screen.cells[row][column].text != " ")
    }
  }
}
