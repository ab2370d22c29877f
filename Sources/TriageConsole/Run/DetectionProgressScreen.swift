import CSupport
import Foundation
import TriageCore

/// Runs the detection on a worker thread while the terminal shows how far it got: files, records,
/// bytes, rate, rule matches so far. Ctrl-C, q or Esc cancel it.
public enum DetectionProgressScreen {
  public static func run(_ options: DetectionOptions, on terminal: CursesTerminal) -> Result<DetectionReport, DetectionError> {
    let shared = Shared()
    let thread = Thread {
      let result: Result<DetectionReport, DetectionError>
      do throws(DetectionError) {
        result = .success(try Detection.run(options, progress: { shared.set(progress: $0) }, isCancelled: { shared.isCancelled }))
      } catch {
        result = .failure(error)
      }
      shared.finish(result)
    }
    thread.stackSize = 8 << 20
    thread.start()
    let started = Date()
    var lastDraw = Date.distantPast
    while true {
      if let result = shared.result { return result }
      // Small inputs finish before a progress frame would be worth drawing.
      if Date().timeIntervalSince(started) > 0.2, Date().timeIntervalSince(lastDraw) > 0.1 {
        var screen = terminal.screen()
        render(shared.progress, cancelling: shared.isCancelled, paths: options.paths, into: &screen)
        lastDraw = Date()
      }
      switch terminal.read(timeoutMilliseconds: 50) {
      case .key(.ctrl("c")), .key(.char("q")), .key(.escape): shared.cancel()
      default: break
      }
      if lt_peek_termination_signal() != 0 { shared.cancel() }
    }
  }

  public static func render(_ progress: DetectionProgress?, cancelling: Bool, paths: [String], into screen: inout some Screen) {
    screen.clear()
    screen.hideCursor()
    let area = Rect(row: 0, col: 0, height: screen.size.rows, width: screen.size.cols)
    screen.put(" lambda-triage · detecting", in: area, row: 0, role: .header)
    screen.put(DisplayText(untrusted: "Reading " + paths.joined(separator: " ")), in: area, row: 2, col: 2, role: .normal)
    if let p = progress {
      let mb = Double(p.bytes) / 1_048_576
      let rate = p.elapsedSeconds > 0 ? Double(p.records) / p.elapsedSeconds : 0
      let lines = [
        "files    \(p.filesDone) of \(p.filesTotal)",
        "records  \(p.records)",
        "read     \(String(format: "%.1f", mb)) MB",
        "rate     \(Int(rate)) records/s, \(String(format: "%.1f", p.elapsedSeconds > 0 ? mb / p.elapsedSeconds : 0)) MB/s",
        // Matches, not alerts: most of rule B's matches turn out not new once the history is read.
        "matches  \(p.matches) so far (alerts are decided at the end)",
      ]
      for (i, line) in lines.enumerated() {
        screen.put(DisplayText(stringLiteral: line), in: area, row: 4 + i, col: 4, role: .normal)
      }
    }
    screen.put(cancelling ? "Cancelling…" : "Ctrl-C cancels", in: area, row: 11, col: 2, role: .hint)
    screen.flush()
  }

  /// What the worker and the drawing loop share.
  private final class Shared: @unchecked Sendable {
    private let lock = NSLock()
    private var _progress: DetectionProgress?
    private var _result: Result<DetectionReport, DetectionError>?
    private var _cancelled = false

    var progress: DetectionProgress? { lock.withLock { _progress } }
    var result: Result<DetectionReport, DetectionError>? { lock.withLock { _result } }
    var isCancelled: Bool { lock.withLock { _cancelled } }
    func set(progress: DetectionProgress) { lock.withLock { _progress = progress } }
    func finish(_ result: Result<DetectionReport, DetectionError>) { lock.withLock { _result = result } }
    func cancel() { lock.withLock { _cancelled = true } }
  }
}
