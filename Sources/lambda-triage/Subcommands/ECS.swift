import ArgumentParser
import Foundation
import TriageCore

extension LambdaTriage {
  struct ECS: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ecs",
      abstract: "Print every event mapped to ECS (and enriched) as NDJSON, nested like Elastic's _source.")

    @Argument(help: ArgumentHelp("Log files or directories; - reads stdin.", valueName: "path"))
    var paths: [String]

    @OptionGroup var enrichment: EnrichmentOptions

    @Flag(help: "Do not print the summary on stderr (files that could not be read still are).")
    var quiet = false

    func run() throws {
      let options = enrichment.detectionOptions(paths: paths)
      var summary: DetectionSummary
      do {
        summary = try ECSExport.run(options) { document in
          Output.write(JSONWriter.compact(.object(document)) + "\n")
        }
      } catch {
        Output.error("lambda-triage: \(error)")
        throw ExitCode(2)
      }
      Output.flush()
      if summary.importedAlerts > 0 {
        let count = summary.importedAlerts
        summary.warnings.append("\(count) Kibana alert document\(count == 1 ? "" : "s") left out: ecs prints events, and alerts are not events (detect and the console read them)")
      }
      try Detect.finish(summary, quiet: quiet)
    }
  }
}
