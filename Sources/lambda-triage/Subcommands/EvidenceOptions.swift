import ArgumentParser
import TriageCore

/// How the evidence per guide step is computed (console and report).
struct EvidenceOptions: ParsableArguments {
  @Option(name: .customLong("evidence-window"), help: ArgumentHelp("How far around the alert the evidence looks for changes to the function and other activity by the principal, in hours.", valueName: "hours"))
  var windowHours: Int = 24

  func validate() throws {
    guard (1...8_760).contains(windowHours) else {
      throw ValidationError("--evidence-window: \(windowHours) is not between 1 and 8760 hours")
    }
  }

  var windowMillis: Int64 { Int64(windowHours) * 3_600_000 }
}
