import Foundation
import Testing
@testable import TriageCore

/// Runs the real `lambda-triage` binary, built next to this test bundle by `swift build --build-tests`.
enum CLI {
  static var binary: String? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [here, here.deletingLastPathComponent()] {
      let path = candidate.appendingPathComponent("lambda-triage").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: String? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary!)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env["LAMBDA_TRIAGE_ASN_DB"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
  }

  static func temp(_ name: String, _ contents: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lt-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }
}

@Suite("Command line", .enabled(if: CLI.binary != nil, "the lambda-triage binary is not built next to the tests"))
struct CommandLineTests {
  @Test("detect reads stdin and prints one alert document per line")
  func stdin() throws {
    let result = try CLI.run(["detect", "--format", "ndjson", "-"], stdin: ECSFixture.urlConfig(id: "s1", time: "2026-11-05T10:00:00Z") + "\n")
    #expect(result.status == 0)
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 1)
    let alert = Alert(document: try JSONParser.parse(String(lines[0])).objectValue!)
    #expect(alert.field("event.id")?.stringValue == "s1")
    #expect(alert.string("lambda_triage.source.path") == "-")
    #expect(result.stderr.contains("alerts: 1  AWS Lambda Function URL Created with Public Access"))
  }

  @Test("an unreadable path is exit code 2 with the path in the message")
  func missingPath() throws {
    let result = try CLI.run(["detect", "/nonexistent/AWSLogs"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/AWSLogs: no such file or directory"))
  }

  @Test("a corrupt ASN database is exit code 2 naming the file")
  func corruptDatabase() throws {
    let db = try CLI.temp("broken.mmdb", "this is not a maxmind database")
    let logs = try CLI.temp("x.ndjson", ECSFixture.urlConfig(id: "s1", time: "2026-11-05T10:00:00Z"))
    let result = try CLI.run(["detect", "--asn-db", db, logs])
    #expect(result.status == 2)
    #expect(result.stderr.contains(db))
  }

  @Test("bad usage is exit code 2 (ArgumentParser's validation)")
  func usage() throws {
    let result = try CLI.run(["detect", "--since", "yesterday", "x"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--since: 'yesterday' is not a time"))
    let window = try CLI.run(["export", "report", "--state", "x.json", "--evidence-window", "0"])
    #expect(window.status == 2 && window.stderr.contains("--evidence-window: 0 is not between 1 and 8760 hours"))
  }

  @Test("a flag a command would ignore is refused: ecs and export report take the databases, not the rules' window or exclusions", .enabled(if: CLI.binary != nil))
  func ignoredFlagsRefused() throws {
    for arguments in [["ecs", "--since", "2026-11-01", "x"], ["ecs", "--exclusions", "e.json", "x"], ["export", "report", "--state", "s.json", "--until", "2026-11-01"]] {
      let result = try CLI.run(arguments)
      #expect(result.status == 2 && result.stderr.contains("Unknown option"), "\(arguments)")
    }
    let help = try CLI.run(["ecs", "--help"])
    #expect(help.stdout.contains("--asn-db") && !help.stdout.contains("--since"))
  }

  @Test("an unusable exclusions file is exit code 2 naming the file and the field, without the usage line", .enabled(if: CLI.binary != nil))
  func badExclusionsFile() throws {
    let file = try CLI.temp("team.json", #"{"exclusions":[{"id":"x","rule_ids":[]}]}"#)
    let result = try CLI.run(["detect", "--exclusions", file, "-"], stdin: "")
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(file): exclusions[0].rule_ids must be a non-empty array"), "\(result.stderr)")
    #expect(!result.stderr.contains("Usage:"))
  }

  @Test("when not one record can be read (every input damaged) detect and ecs exit 2; a file that could not be read is said even with --quiet", .enabled(if: CLI.binary != nil))
  func nothingReadable() throws {
    let good = try CLI.temp("good.json", #"{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-05T10:00:00Z"}]}"#)
    // A gzip header, then bytes that are no deflate stream.
    let damaged = URL(fileURLWithPath: good).deletingLastPathComponent().appendingPathComponent("damaged.json.gz").path
    try Data([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03] + Array(repeating: 0xff, count: 64)).write(to: URL(fileURLWithPath: damaged))
    for command in ["detect", "ecs"] {
      let alone = try CLI.run([command, "--quiet", damaged])
      #expect(alone.status == 2, "\(command): \(alone.stderr)")
      #expect(alone.stderr.contains("error: \(damaged): corrupt gzip data") && alone.stderr.contains("no records could be read"))
      let mixed = try CLI.run([command, "--quiet", damaged, good])
      #expect(mixed.status == 0, "\(command): \(mixed.stderr)")
      // --quiet leaves out the summary, not the file that could not be read.
      #expect(mixed.stderr.contains("error: \(damaged): corrupt gzip data") && !mixed.stderr.contains("records:"), "\(command): \(mixed.stderr)")
    }
  }

  @Test("ecs says why Kibana alert documents print nothing", .enabled(if: CLI.binary != nil))
  func ecsLeavesAlertsOut() throws {
    let alert = #"{"@timestamp":"2026-11-05T10:05:00.000Z","kibana.alert.uuid":"u1","kibana.alert.rule.rule_id":"r","kibana.alert.original_time":"2026-11-05T10:00:00.000Z","event":{"provider":"lambda.amazonaws.com"}}"#
    let result = try CLI.run(["ecs", "-"], stdin: alert + "\n")
    #expect(result.status == 0 && result.stdout.isEmpty)
    #expect(result.stderr.contains("warning: 1 Kibana alert document left out: ecs prints events, and alerts are not events"))
  }

  @Test("bad records are reported with file and line, and the run goes on")
  func badRecords() throws {
    let logs = try CLI.temp("mixed.ndjson", [
      ECSFixture.urlConfig(id: "ok", time: "2026-11-05T10:00:00Z"),
      #"{"eventSource":"lambda.amazonaws.com", oops}"#,
      ECSFixture.urlConfig(id: "ok2", time: "2026-11-05T10:01:00Z"),
    ].joined(separator: "\n"))
    let result = try CLI.run(["detect", "--format", "json", logs])
    #expect(result.status == 0)
    #expect(result.stderr.contains("\(logs):2: invalid JSON"))
    #expect(result.stderr.contains("bad records: 1"))
    #expect(try JSONParser.parse(result.stdout).arrayValue?.count == 2)
  }

  @Test("a directory with nothing to read, an empty file and a file of bad records are each told apart")
  func nothingToRead() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lt-none-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("empty"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
    try Data("read me".utf8).write(to: directory.appendingPathComponent("docs/readme.txt"))
    try Data().write(to: directory.appendingPathComponent("empty.json"))
    try Data(#"{"Records":[]}"#.utf8).write(to: directory.appendingPathComponent("none.json"))
    try Data("garbage".utf8).write(to: directory.appendingPathComponent("bad.json"))
    let path = { (name: String) in directory.appendingPathComponent(name).path }
    let result = try CLI.run(["detect", path("empty"), path("docs"), path("empty.json"), path("none.json"), path("bad.json")])
    // Not one record could be read, and one was bad: exit 2 (README), each input still told apart.
    #expect(result.status == 2)
    #expect(result.stderr.contains("warning: \(path("empty")): no log files under this directory (nothing was read from it)"))
    #expect(result.stderr.contains("warning: \(path("docs")): no log files under this directory"))
    #expect(result.stderr.contains("warning: \(path("empty.json")): no records (empty file)"))
    #expect(result.stderr.contains("warning: \(path("none.json")): no records in it"))
    // A file whose records were all bad has them listed, not called empty.
    #expect(result.stderr.contains("\(path("bad.json")):1: not a JSON object"))
    #expect(!result.stderr.contains("\(path("bad.json")): no records"))
    // A log named on the command line is read whatever its name ends with (only databases are
    // left out there, an ASN database being allowed among the inputs).
    try Data(ECSFixture.urlConfig(id: "t1", time: "2026-11-05T10:00:00Z").utf8).write(to: directory.appendingPathComponent("events.txt"))
    let named = try CLI.run(["detect", "--format", "ndjson", path("events.txt")])
    #expect(named.status == 0 && named.stdout.split(separator: "\n").count == 1, "\(named.stderr)")
    // A directory given again inside another one was read through it: no warning.
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs/2026"), withIntermediateDirectories: true)
    try Data(ECSFixture.urlConfig(id: "o1", time: "2026-11-05T10:00:00Z").utf8).write(to: directory.appendingPathComponent("logs/2026/a.ndjson"))
    let overlapping = try CLI.run(["detect", path("logs"), path("logs/2026")])
    #expect(overlapping.status == 0 && !overlapping.stderr.contains("no log files"), "\(overlapping.stderr)")
  }

  /// A file name inside an input directory is as untrusted as the logs in it (an S3 export, a
  /// tarball): the summary that names it must not carry its escape sequence to a terminal.
  @Test("the summary on stderr shows a file name's escape sequence instead of sending it")
  func summaryIsSanitized() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lt-esc-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let hostile = directory.appendingPathComponent("evil\u{1B}]0;pwned\u{07}\u{1B}[31m.ndjson")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try Data(#"{"eventSource":"lambda.amazonaws.com", oops}"#.utf8).write(to: hostile)
    let result = try CLI.run(["detect", "--format", "json", directory.path])
    // Its only record is bad: nothing could be read (exit 2), and the summary still says why.
    #expect(result.status == 2)
    #expect(result.stderr.contains(#"evil\x1b]0;pwned\x07\x1b[31m.ndjson:1: invalid JSON"#))
    #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    // The summary's own lines are still lines.
    #expect(result.stderr.contains("\nbad records: 1\n"))
  }
}
