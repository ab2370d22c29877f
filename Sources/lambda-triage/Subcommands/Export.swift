import ArgumentParser
import Foundation
import TriageCore

extension LambdaTriage {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export triage decisions for Elastic and for tickets.",
      subcommands: [Exceptions.self])
  }
}

extension LambdaTriage.Export {
  struct Exceptions: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the exclusions as Elastic exception lists (NDJSON for Kibana's Shared Exception Lists import).")

    @Option(name: .customLong("exclusions"), help: ArgumentHelp("An exclusions file; repeatable.", valueName: "file"))
    var exclusionFiles: [String] = []

    func validate() throws {
      if exclusionFiles.isEmpty { throw ValidationError("name the exclusions with --exclusions FILE") }
    }

    func run() throws {
      var exclusions: [Exclusion] = []
      for file in exclusionFiles {
        do { exclusions += try ExclusionCodec.load(path: file) } catch {
          Output.error("lambda-triage: \(error)")
          throw ExitCode(2)
        }
      }
      Output.write(ExceptionListExport.ndjson(exclusions))
      Output.flush()
    }
  }
}
