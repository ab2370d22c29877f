import ArgumentParser
import TriageCore

@main
struct LambdaTriage: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "lambda-triage", abstract: "Triage AWS Lambda abuse alerts from CloudTrail logs.")
}
