import ArgumentParser
import CSupport
import Foundation
import TriageConsole
import TriageCore

extension LambdaTriage {
  struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "console",
      abstract: "Run the detection and open the triage console (the default command).",
      discussion: """
        `lambda-triage PATH...` runs both rules over the logs and opens the console on the alerts; \
        `lambda-triage --state FILE` reopens a saved session without the logs. Every change is \
        saved to the state file at once (default: <first input's name>.triage.json in the current \
        directory). Needs an interactive terminal; scripts use `detect`.
        """)

    @Argument(help: ArgumentHelp("Log files or directories; - reads stdin.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("The session's state file (JSON): alerts, statuses, notes, exclusions.", valueName: "file"))
    var state: String?

    @OptionGroup var input: InputOptions

    @OptionGroup var evidenceOptions: EvidenceOptions

    func validate() throws {
      if paths.isEmpty && state == nil {
        throw ValidationError("give log paths to run the detection on (e.g. lambda-triage Samples/), or --state FILE to reopen a saved session")
      }
      if paths.contains("-") {
        throw ValidationError("the console reads keys from the terminal, so it cannot take logs on stdin; save them to a file, or use: lambda-triage detect -")
      }
    }

    func run() throws {
      if let reason = TerminalCheck.problem(environment: ProcessInfo.processInfo.environment) {
        Output.error("lambda-triage: the console needs an interactive terminal (\(reason)). For scripts and pipes use: lambda-triage detect --format table|json|ndjson PATH...")
        throw ExitCode(2)
      }
      let statePath = state ?? StatePath.default(for: paths)
      var session: TriageSession
      do {
        if let loaded = try StateFile.load(statePath) {
          session = loaded
        } else if paths.isEmpty {
          Output.error("lambda-triage: state file \(statePath) \(StateFile.absence(statePath)); give log paths to start a session")
          throw ExitCode(2)
        } else {
          session = TriageSession()
        }
      } catch let error as StateFileError {
        Output.error("lambda-triage: \(error)")
        throw ExitCode(1)
      }
      let lock: StateFileLock
      do { lock = try StateFileLock.acquire(statePath) } catch {
        Output.error("lambda-triage: \(error)")
        throw ExitCode(1)
      }
      defer { lock.release() }
      // Read (and checked) once, before the terminal is taken over: an error after that point
      // would be printed to the console's screen and lost.
      let base = try input.detectionOptions(paths: [])
      let shared = base.exclusions
      var options: DetectionOptions?
      // Absolute, so the session's alerts and inputs name their logs from anywhere (SessionPaths).
      let logs = paths.map { SessionPaths.absolute($0) }
      if !paths.isEmpty {
        var o = base
        o.paths = logs
        o.exclusions += session.exclusions
        o.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes
        options = o
      }

      lt_catch_termination_signals()
      defer { lt_release_termination_signals() }
      let terminal = CursesTerminal()
      defer { terminal.stop() }
      let save: ConsoleRunner.Saver = { session in
        do {
          try StateFile.write(session, to: statePath)
          return nil
        } catch {
          return "\(error)"
        }
      }
      var message: String?
      var saveError: String?
      var index: EvidenceIndex?
      if let options {
        switch DetectionProgressScreen.run(options, on: terminal) {
        case .failure(.cancelled):
          terminal.stop()
          Output.error("lambda-triage: detection cancelled; \(statePath) was not changed")
          throw ExitCode(130)
        case .failure(let error):
          terminal.stop()
          Output.error("lambda-triage: \(error)")
          throw ExitCode(2)
        case .success(let report):
          let outcome = session.merge(detected: report.alerts + report.suppressed, coverage: report.coverage)
          if report.coverage.readRecords { session.inputs = logs }
          saveError = save(session)
          message = Self.summary(report, outcome)
          // The index of a run that read nothing covers none of the session's logs: evidence
          // builds its own from them instead.
          index = report.coverage.readRecords ? report.evidenceIndex : nil
        }
      }
      var consoleState = ConsoleState(session: session, statePath: statePath, author: Self.author(), size: terminal.size, sharedExclusions: shared)
      consoleState.message = message
      consoleState.saveError = saveError
      // Evidence reads the session's logs: this run's when it read any, else those remembered.
      let source = EvidenceSource(options: { var o = base; o.paths = session.inputs; return o }(), index: index, window: evidenceOptions.windowMillis)
      let evidence: ConsoleRunner.EvidenceProvider = { alert in
        switch source.evidence(for: alert) {
        case .success(let built): return .ready(built)
        case .failure(let failure): return .unavailable(failure.description)
        }
      }
      let final = ConsoleRunner(terminal: terminal, save: save, evidence: evidence).run(consoleState)
      terminal.stop()
      if let error = final.saveError {
        Output.error("lambda-triage: the last change could not be saved: \(error)")
        throw ExitCode(1)
      }
      Output.error("Session saved in \(statePath)")
    }

    static func author() -> String {
      let env = ProcessInfo.processInfo.environment
      return env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LOGNAME"] ?? "analyst"
    }

    /// One status-bar line about the run just done.
    static func summary(_ report: DetectionReport, _ outcome: TriageSession.MergeOutcome) -> String {
      let s = report.summary
      var text = "\(report.alerts.count) alert\(report.alerts.count == 1 ? "" : "s") from \(s.records) records in \(s.files) file\(s.files == 1 ? "" : "s")"
      text += " (\(outcome.added) new, \(outcome.kept) known"
      if outcome.gone > 0 { text += ", \(outcome.gone) no longer produced" }
      text += ")"
      if !report.suppressed.isEmpty { text += " · \(report.suppressed.count) excluded" }
      if s.badRecords > 0 { text += " · \(s.badRecords) bad records (detect shows them)" }
      if let first = s.warnings.first {
        text += " · " + first + (s.warnings.count > 1 ? " (and \(s.warnings.count - 1) more warnings: detect shows them)" : "")
      }
      if let index = s.evidenceIndex {
        let size = index.bytes < 1 << 20 ? "\(max(1, index.bytes / 1024)) KB" : String(format: "%.1f MB", Double(index.bytes) / 1_048_576)
        text += " · evidence index \(index.events) events, \(size)"
        if !index.complete { text += " (full: evidence rereads the logs)" }
      }
      return text
    }
  }
}

/// Whether the console can run here; the reason when not.
enum TerminalCheck {
  static func problem(environment: [String: String]) -> String? {
    if isatty(STDOUT_FILENO) != 1 { return "stdout is not a terminal" }
    if isatty(STDIN_FILENO) != 1 { return "stdin is not a terminal" }
    if environment["CI"] == "true" { return "CI=true" }
    let term = environment["TERM"] ?? ""
    if term.isEmpty || term == "dumb" { return "TERM is \(term.isEmpty ? "unset" : "dumb")" }
    return nil
  }
}

/// Where a session is saved when `--state` is not given: named after the inputs, in the current
/// directory, so rerunning on the same logs finds the same notes.
enum StatePath {
  static func `default`(for paths: [String]) -> String {
    guard let first = paths.first else { return "lambda-triage.triage.json" }
    var name = URL(fileURLWithPath: first).standardizedFileURL.lastPathComponent
    for suffix in [".gz", ".json", ".ndjson", ".jsonl"] where name.hasSuffix(suffix) && name.count > suffix.count {
      name.removeLast(suffix.count)
    }
    if name.isEmpty || name == "/" { name = "lambda-triage" }
    if paths.count > 1 { name += "+\(paths.count - 1)" }
    return name + ".triage.json"
  }
}
