import Testing
@testable import TriageCore
@testable import TriageConsole

@Suite("Detection progress screen")
struct DetectionProgressTests {
  @Test("shows files, records, bytes, rate and rule matches, not matches counted as alerts")
  func frame() {
    var screen = MemoryScreen(cols: 80, rows: 14)
    let progress = DetectionProgress(filesDone: 0, filesTotal: 1, records: 1_000_000, bytes: 1_234_567_890, matches: 26084, elapsedSeconds: 4)
    DetectionProgressScreen.render(progress, cancelling: false, paths: ["logs/cloudtrail.ndjson"], into: &screen)
    let lines = screen.lines.map { $0.trimmingTrailingSpaces }
    #expect(lines[0] == " lambda-triage · detecting")
    #expect(lines[2] == "  Reading logs/cloudtrail.ndjson")
    #expect(Array(lines[4...8]) == [
      "    files    0 of 1",
      "    records  1000000",
      "    read     1177.4 MB",
      "    rate     250000 records/s, 294.3 MB/s",
      "    matches  26084 so far (alerts are decided at the end)",
    ])
    #expect(lines[11] == "  Ctrl-C cancels")
  }

  @Test("a path from the command line is shown without its control characters")
  func hostilePath() {
    var screen = MemoryScreen(cols: 60, rows: 14)
    DetectionProgressScreen.render(nil, cancelling: true, paths: ["a\u{1b}[2Jb"], into: &screen)
    #expect(!screen.frame.contains("\u{1b}"))
    #expect(screen.lines[11].contains("Cancelling…"))
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
