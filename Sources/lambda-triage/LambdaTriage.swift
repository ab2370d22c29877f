import ArgumentParser
import Foundation
import TriageCore
import CSupport

@main
struct LambdaTriage: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lambda-triage",
    abstract: "Detect and triage AWS Lambda abuse in CloudTrail logs with Elastic's rules.",
    discussion: """
      With paths and no subcommand, runs the detection and opens the triage console.
      Exit codes: 0 success (with or without alerts), 1 a state file that cannot be used or saved \
      (held by another console, unreadable, newer, or a failed write), 2 usage error or unreadable input.
      """,
    subcommands: [Console.self, Detect.self, ECS.self, Export.self],
    defaultSubcommand: Console.self)

  /// Like ArgumentParser's default, but usage errors exit with 2 (the documented code for bad
  /// usage and unreadable input) rather than EX_USAGE.
  static func main() {
    keepFreedMemoryForReuse()
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

  /// A run allocates and frees a buffer per input object (each gzip object inflated whole, the
  /// splitter's window, alerts' records read back). With glibc's adaptive limits, freed buffers of
  /// around a megabyte were handed back to the kernel and faulted in again for the next object:
  /// 0.95 M page faults and 1.7 s of system time on a 5M-record S3 tree. Fixed limits keep them
  /// for reuse (20k faults, 0.35 s; peak RSS unchanged): blocks up to 8 MB come from the heap, and
  /// up to 32 MB of free space at its top is kept. Setting only one limit ends the adaptation of
  /// the other, which was worse than either default, so both are set.
  private static func keepFreedMemoryForReuse() { lt_keep_freed_memory() }
}
