import ArgumentParser
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
    subcommands: [Detect.self, ECS.self, Export.self])
}
