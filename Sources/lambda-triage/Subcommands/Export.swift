import ArgumentParser
import Foundation
import TriageCore

extension LambdaTriage {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export triage decisions for Elastic and for tickets.",
      subcommands: [Exceptions.self, Alerts.self, Report.self])
  }
}

/// Loads a state file for the export commands; failures are exit code 2 with the file named.
private func loadSession(_ path: String) throws -> TriageSession {
  do {
    guard let session = try StateFile.load(path) else {
      Output.error("lambda-triage: state file \(path) \(StateFile.absence(path))")
      throw ExitCode(2)
    }
    return session
  } catch let error as StateFileError {
    // A state file that exists but cannot be used is exit code 1, as for detect --state and the
    // console (README); a missing one is a usage error.
    Output.error("lambda-triage: \(error)")
    throw ExitCode(1)
  }
}

extension LambdaTriage.Export {
  struct Exceptions: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the exclusions as Elastic exception lists (NDJSON for Kibana's Shared Exception Lists import).")

    @Option(name: .customLong("state"), help: ArgumentHelp("A triage state file.", valueName: "file"))
    var statePath: String?

    @Option(name: .customLong("exclusions"), help: ArgumentHelp("An exclusions file; repeatable.", valueName: "file"))
    var exclusionFiles: [String] = []

    func validate() throws {
      if exclusionFiles.isEmpty && statePath == nil { throw ValidationError("name the exclusions with --state FILE or --exclusions FILE") }
    }

    func run() throws {
      var exclusions: [Exclusion] = []
      if let statePath { exclusions += try loadSession(statePath).exclusions }
      exclusions += try ExclusionFiles.load(exclusionFiles)
      for id in ExceptionListExport.repeatedIDs(exclusions) {
        Output.error("lambda-triage: warning: exclusion id \(id) is given more than once; the first is exported (Kibana keeps one item per id)")
      }
      Output.write(ExceptionListExport.ndjson(exclusions))
      Output.flush()
    }
  }

  struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the session's alerts with their workflow status and reason in Kibana's fields, plus the notes.")

    @Option(name: .customLong("state"), help: ArgumentHelp("A triage state file.", valueName: "file"))
    var statePath: String

    @Option(help: "Output format: ndjson or json.")
    var format: Format = .ndjson

    enum Format: String, ExpressibleByArgument { case ndjson, json }

    func run() throws {
      let session = try loadSession(statePath)
      switch format {
      case .ndjson: Output.write(AlertExport.ndjson(session))
      case .json: Output.write(JSONWriter.pretty(.array(session.alerts.map { .object(AlertExport.document($0, in: session)) })) + "\n")
      }
      Output.flush()
    }
  }

  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a triage report (summary table, then each alert with its guide steps and notes).")

    @Option(name: .customLong("state"), help: ArgumentHelp("A triage state file.", valueName: "file"))
    var statePath: String

    @Option(help: "Output format: markdown or json.")
    var format: Format = .markdown

    enum Format: String, ExpressibleByArgument { case markdown, json }

    @Flag(help: "Leave out the evidence per guide step (otherwise read from the session's logs when they are there).")
    var noEvidence = false

    @OptionGroup var evidenceOptions: EvidenceOptions

    @OptionGroup var enrichment: EnrichmentOptions

    func run() throws {
      let session = try loadSession(statePath)
      var evidence: [String: AlertEvidence] = [:]
      var unread: [String: String] = [:]
      if !noEvidence {
        let source = EvidenceSource(options: enrichment.detectionOptions(paths: session.inputs), index: nil, window: evidenceOptions.windowMillis)
        let alerts = session.alerts.filter { alert in
          guard alert.rule != nil else { return false }
          guard let path = source.unreadSource(of: alert) else { return true }
          unread[alert.uuid] = path
          return false
        }
        let outcome = source.evidence(for: alerts) { position, built in evidence[alerts[position].uuid] = built }
        switch outcome {
        case .success:
          break
        case .failure(let failure):
          Output.error("lambda-triage: evidence left out: \(failure)")
        }
      }
      switch format {
      case .markdown: Output.write(TriageReport.markdown(session, evidence: evidence, unread: unread))
      case .json: Output.write(TriageReport.json(session, evidence: evidence, unread: unread))
      }
      Output.flush()
    }
  }
}
