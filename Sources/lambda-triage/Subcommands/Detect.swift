import ArgumentParser
import Foundation
import TriageCore

extension LambdaTriage {
  struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run both rules over CloudTrail logs and print the alerts (Kibana alert documents).",
      discussion: """
        Inputs: directories (searched recursively, e.g. an `aws s3 sync` of AWSLogs/), .json \
        ({"Records":[...]} or one record), .json.gz, NDJSON of raw records, ECS documents or Kibana \
        alerts, and - for stdin. A summary goes to stderr. Exit 0 on success, 1 on a state file that \
        cannot be used or saved, 2 on bad usage or unreadable input (not one record could be read).
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
      case ndjson, json, table
    }

    @Argument(help: ArgumentHelp("Log files or directories; - reads stdin.", valueName: "path"))
    var paths: [String]

    @OptionGroup var input: InputOptions

    @Option(help: "Output format (default: table on a terminal, ndjson otherwise).")
    var format: Format?

    @Flag(help: "Do not print the summary on stderr (files that could not be read still are).")
    var quiet = false

    @Flag(help: "Also print the alerts that exclusions suppressed (marked with lambda_triage.excluded_by).")
    var showExcluded = false

    @Option(help: ArgumentHelp("Also fold the alerts into this session state file (as the console does; its exclusions apply), e.g. to export a report without opening the console.", valueName: "file"))
    var state: String?

    @Flag(help: "Also build the evidence index the console keeps (every event filed by principal, key, function and address) and report its size in the summary.")
    var evidenceIndex = false

    func run() throws {
      // Folded into a session, the logs are read by absolute path, as the console reads them: the
      // session names them from anywhere, and an event without an id gets the same alert id
      // (its key holds the path) whichever of the two ran.
      let logs = state == nil ? paths : paths.map { SessionPaths.absolute($0) }
      var options = try input.detectionOptions(paths: logs)
      if evidenceIndex { options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes }
      var session: TriageSession?
      var lock: StateFileLock?
      if let state {
        do {
          session = try StateFile.load(state) ?? TriageSession()
          lock = try StateFileLock.acquire(state)
        } catch {
          Output.error("lambda-triage: \(error)")
          throw ExitCode(1)
        }
        options.exclusions += session?.exclusions ?? []
      }
      defer { lock?.release() }
      let report: DetectionReport
      do {
        report = try Detection.run(options)
      } catch {
        Output.error("lambda-triage: \(error)")
        throw ExitCode(2)
      }
      if let state, var updated = session {
        updated.merge(detected: report.alerts + report.suppressed, coverage: report.coverage)
        // A run that read nothing (a mistyped path, an empty directory) says nothing of the
        // session's logs: they stay its inputs, so its evidence is still found.
        if report.coverage.readRecords { updated.inputs = logs }
        do { try StateFile.write(updated, to: state) } catch {
          Output.error("lambda-triage: \(error)")
          throw ExitCode(1)
        }
      }
      let chosen = format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .ndjson)
      var alerts = report.alerts
      if showExcluded {
        alerts = (alerts + report.suppressed).sorted { ($0.originalTime, $0.uuid) < ($1.originalTime, $1.uuid) }
      }
      switch chosen {
      case .ndjson:
        AlertExport.writeNDJSON(alerts, to: Output.write)
      case .json:
        Output.write(JSONWriter.pretty(.array(alerts.map { .object($0.document) })) + "\n")
      case .table:
        let names = Dictionary(options.exclusions.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        Output.write(AlertTable.render(alerts, exclusionNames: names))
      }
      Output.flush()
      try Self.finish(report.summary, quiet: quiet)
    }

    /// The summary on stderr, or under --quiet the files that could not be read (an error is no
    /// summary: a script must see it); then exit 2 when not one record could be read (README:
    /// unreadable input).
    static func finish(_ summary: DetectionSummary, quiet: Bool) throws {
      if !quiet {
        Output.error(summary.render())
      } else {
        for error in summary.fileErrors { Output.error("error: \(error)") }
      }
      guard summary.readNothing else { return }
      Output.error("lambda-triage: no records could be read")
      throw ExitCode(2)
    }
  }
}
