import ArgumentParser
import Foundation
import TriageCore

@main
struct LambdaTriage: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lambda-triage",
    abstract: "Detect and triage AWS Lambda abuse in CloudTrail logs with Elastic's rules.",
    discussion: """
      With paths and no subcommand, runs the detection and opens the triage console.
      Exit codes: 0 success (with or without alerts), 2 usage error or unreadable input.
      """,
    subcommands: [Console.self, Detect.self, ECS.self, Export.self],
    defaultSubcommand: Console.self)

  /// Like ArgumentParser's default, but usage errors exit with 2 (the documented code for bad
  /// usage and unreadable input) rather than EX_USAGE.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .validationFailure {
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
