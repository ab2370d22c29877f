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

    @OptionGroup var input: InputOptions

    @Flag(help: "Do not print the summary on stderr.")
    var quiet = false

    func run() throws {
      let options = try input.detectionOptions(paths: paths)
      let summary: DetectionSummary
      do {
        summary = try ECSExport.run(options) { document in
          Output.write(JSONWriter.compact(.object(document)) + "\n")
        }
      } catch {
        Output.error("lambda-triage: \(error)")
        throw ExitCode(2)
      }
      Output.flush()
      if !quiet { Output.error(summary.render()) }
    }
  }
}
