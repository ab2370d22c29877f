import Foundation
import Testing
@testable import TriageCore

/// The console's data without the console: `detect --state` writes the session, `export report`
/// reads it with evidence, and the console refuses to start without a terminal.
@Suite("Headless sessions")
struct HeadlessSessionTests {
  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples").path

  @Test("detect --state writes the session; a rerun keeps it; export report prints evidence under each step", .enabled(if: CLI.binary != nil))
  func detectThenReport() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    let first = try CLI.run(["detect", Self.samples, "--state", state, "--quiet", "--format", "ndjson"])
    #expect(first.status == 0)
    var session = try #require(try StateFile.load(state))
    #expect(session.alerts.count == 12)
    session.setStatus(.closed, reason: .falsePositive, for: [session.alerts[0].uuid], at: "2026-11-23T00:00:00.000Z")
    try StateFile.write(session, to: state)
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    let rerun = try #require(try StateFile.load(state))
    #expect(rerun.alerts.count == 12)
    #expect(rerun.state(of: session.alerts[0].uuid).reason == .falsePositive)
    let report = try CLI.run(["export", "report", "--state", state])
    #expect(report.status == 0)
    #expect(report.stdout.contains("   - Principal: arn:aws:iam::111122223333:user/alice (IAMUser)"))
    let bare = try CLI.run(["export", "report", "--state", state, "--no-evidence"])
    #expect(!bare.stdout.contains("   - Principal:"))
  }

  @Test("after a rerun on fewer logs, the alerts no longer produced say their logs were not read instead of reporting absence", .enabled(if: CLI.binary != nil))
  func rerunOnFewerLogs() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    _ = try CLI.run(["detect", Self.samples + "/elastic-export", "--state", state, "--quiet"])
    let session = try #require(try StateFile.load(state))
    let gone = session.alerts.filter { session.state(of: $0.uuid).isGone }
    #expect(gone.count == 9 && session.alerts.count == 12)
    let report = try CLI.run(["export", "report", "--state", state])
    #expect(report.status == 0)
    let sections = report.stdout.components(separatedBy: "\n## ").dropFirst()
    let unread = sections.filter { $0.contains("Evidence not read: this alert's event is in ") }
    #expect(unread.count == 9)
    // Their steps claim nothing; the alerts of the logs read still have their evidence.
    #expect(!unread.contains { $0.contains("No other use of this key") || $0.contains("No activity by this") || $0.contains("   - Principal:") })
    #expect(sections.filter { $0.contains("   - Principal:") || $0.contains("   - Source:") }.count == 3)
    // The JSON report names the file.
    let json = try CLI.run(["export", "report", "--state", state, "--format", "json"])
    #expect(json.stdout.components(separatedBy: "\"lambda_triage.evidence_unread\"").count - 1 == 9)
  }

  @Test("a session detected on relative paths reads its logs from any directory: its inputs and alerts name them absolutely", .enabled(if: CLI.binary != nil))
  func sessionFromAnotherDirectory() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    let parent = URL(fileURLWithPath: Self.samples).deletingLastPathComponent().path
    let first = try CLI.run(["detect", "Samples", "--state", state, "--quiet", "--format", "ndjson"], directory: parent)
    #expect(first.status == 0)
    // Folded into a session, the logs are read by absolute path, as the console reads them.
    #expect(first.stdout.contains(#""path":"\#(Self.samples)/"#))
    let session = try #require(try StateFile.load(state))
    #expect(session.inputs == [Self.samples])
    #expect(session.alerts.allSatisfy { $0.string("lambda_triage.source.path")?.hasPrefix(Self.samples + "/") == true })
    let elsewhere = TriageFixtures.temporaryDirectory()
    let report = try CLI.run(["export", "report", "--state", state], directory: elsewhere)
    #expect(report.status == 0)
    #expect(report.stdout.contains("   - Principal: arn:aws:iam::111122223333:user/alice (IAMUser)"))
    #expect(!report.stdout.contains("Evidence not read") && !report.stderr.contains("not found"))
  }

  @Test("a rerun that read nothing keeps the session's logs, so its evidence is still found", .enabled(if: CLI.binary != nil))
  func emptyRerunKeepsInputs() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    let empty = TriageFixtures.temporaryDirectory()
    let rerun = try CLI.run(["detect", empty, "--state", state, "--quiet"])
    #expect(rerun.status == 0)
    let session = try #require(try StateFile.load(state))
    #expect(session.inputs == [Self.samples])
    let report = try CLI.run(["export", "report", "--state", state])
    #expect(!report.stdout.contains("Evidence not read"))
    #expect(report.stdout.contains("   - Principal: arn:aws:iam::111122223333:user/alice (IAMUser)"))
  }

  @Test("detect --state and the console give an event without an id the same alert id, however its path was typed", .enabled(if: CLI.binary != nil))
  func sameIDsWithoutEventIDs() throws {
    // Samples' records without their eventID: the alert id then rests on the file and offset.
    let dir = TriageFixtures.temporaryDirectory()
    let file = dir + "/noid.json"
    let record = #"{"eventVersion":"1.08","eventTime":"2026-11-08T10:15:00Z","eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig20211031","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"cli","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"requestParameters":{"functionName":"f","authType":"NONE"},"responseElements":{"functionUrl":"https://x.lambda-url.us-east-1.on.aws/","authType":"NONE"},"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    try Data((#"{"Records":["# + record + "]}").utf8).write(to: URL(fileURLWithPath: file))
    let state = dir + "/session.json"
    _ = try CLI.run(["detect", "noid.json", "--state", state, "--quiet"], directory: dir)
    _ = try CLI.run(["detect", file, "--state", state, "--quiet"], directory: "/")
    let session = try #require(try StateFile.load(state))
    #expect(session.alerts.count == 1)
    #expect(!session.state(of: session.alerts[0].uuid).isGone)
  }

  @Test("a rerun whose every record is bad exits 2 and leaves the session's marks and logs as they were", .enabled(if: CLI.binary != nil))
  func allBadRerun() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    let bad = try CLI.temp("bad.ndjson", "{bad json}\n{also bad}\n")
    let rerun = try CLI.run(["detect", bad, "--state", state, "--quiet"])
    #expect(rerun.status == 2 && rerun.stderr.contains("no records could be read"), "\(rerun.stderr)")
    let session = try #require(try StateFile.load(state))
    #expect(session.inputs == [Self.samples])
    #expect(session.alerts.allSatisfy { !session.state(of: $0.uuid).isGone })
  }

  @Test("session paths are absolute from the directory given, lexically; stdin and absolute paths stay")
  func absolutePaths() {
    #expect(SessionPaths.absolute("logs/../logs/./a.json.gz", from: "/srv/case") == "/srv/case/logs/a.json.gz")
    #expect(SessionPaths.absolute("/var/log/x.json", from: "/srv/case") == "/var/log/x.json")
    #expect(SessionPaths.absolute("-", from: "/srv/case") == "-")
    // A leading ~ is a name here, not a home directory.
    #expect(SessionPaths.absolute("~backup/x", from: "/srv/case") == "/srv/case/~backup/x")
  }

  @Test("an empty state file (as mktemp makes it) starts a session; export on one says it is empty", .enabled(if: CLI.binary != nil))
  func emptyStateFile() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    FileManager.default.createFile(atPath: state, contents: Data())
    let export = try CLI.run(["export", "alerts", "--state", state])
    #expect(export.status == 2 && export.stderr.contains("\(state) is empty"))
    let detect = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    #expect(detect.status == 0, "\(detect.stderr)")
    #expect(try StateFile.load(state)?.alerts.count == 12)
  }

  @Test("detect --state on a state file another console holds exits 1, naming the holder", .enabled(if: CLI.binary != nil))
  func lockedStateExitsOne() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    let lock = try StateFileLock.acquire(state)
    defer { lock.release() }
    let result = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("pid \(getpid())"))
  }

  @Test("export on a state file that cannot be used exits 1 and leaves it as it was; on a missing one 2", .enabled(if: CLI.binary != nil))
  func exportUnusableState() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    try Data(#"{"schemaVersion":1,"alerts":["#.utf8).write(to: URL(fileURLWithPath: state))
    for kind in ["alerts", "report", "exceptions"] {
      let result = try CLI.run(["export", kind, "--state", state])
      #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.contains(state), "\(kind): \(result.stderr)")
    }
    #expect(try String(contentsOfFile: state, encoding: .utf8) == #"{"schemaVersion":1,"alerts":["#)
    #expect(try CLI.run(["export", "alerts", "--state", state + ".missing"]).status == 2)
  }

  @Test("alerts imported alongside the logs that raised them, or twice, are printed once", .enabled(if: CLI.binary != nil))
  func importedDuplicates() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    let exported = try CLI.run(["export", "alerts", "--state", state])
    let file = TriageFixtures.temporaryDirectory() + "/alerts.ndjson"
    try Data(exported.stdout.utf8).write(to: URL(fileURLWithPath: file))
    let both = try CLI.run(["detect", "--format", "ndjson", file, Self.samples, file])
    let uuids = try both.stdout.split(separator: "\n").map { try #require(Alert(document: JSONParser.parse(String($0)).objectValue!).uuid) }
    #expect(uuids.count == 12 && Set(uuids).count == 12)
  }

  @Test("an exclusion saved in the session suppresses its alert on the next run, which counts it", .enabled(if: CLI.binary != nil))
  func exclusionOnRerun() throws {
    let state = TriageFixtures.temporaryDirectory() + "/session.json"
    _ = try CLI.run(["detect", Self.samples, "--state", state, "--quiet"])
    var session = try #require(try StateFile.load(state))
    session.exclusions = [Exclusion(id: "x1", name: "known NAT", ruleIDs: [BuiltinRules.lambdaInvokeUnusualASN.ruleID],
                                    entries: [ExclusionEntry(field: "source.as.organization.name", kind: .match("HETZNER-AS"))],
                                    comment: "office VPN egress", author: "tester", createdAt: "2026-11-23T00:00:00.000Z")]
    try StateFile.write(session, to: state)
    let rerun = try CLI.run(["detect", Self.samples, "--state", state, "--format", "ndjson"])
    #expect(rerun.stdout.split(separator: "\n").count == 11)
    #expect(!rerun.stdout.contains("HETZNER-AS"))
    #expect(rerun.stderr.contains("suppressed") || rerun.stderr.contains("excluded"))
    let reloaded = try #require(try StateFile.load(state))
    #expect(reloaded.exclusions.map(\.id) == ["x1"])
    #expect(reloaded.alerts.count == 12)
    let hidden = try #require(reloaded.alerts.first { $0.string("source.as.organization.name") == "HETZNER-AS" })
    #expect(hidden.string("lambda_triage.excluded_by") != nil)
    let exported = try CLI.run(["export", "exceptions", "--state", state])
    #expect(exported.stdout.contains("\"comment\":\"office VPN egress (tester, 2026-11-23T00:00:00.000Z)\""))
  }

  @Test("the console needs a terminal and says to use detect", .enabled(if: CLI.binary != nil))
  func notATerminal() throws {
    let result = try CLI.run([Self.samples])
    #expect(result.status == 2)
    #expect(result.stderr.contains("needs an interactive terminal"))
    #expect(result.stderr.contains("lambda-triage detect"))
  }

  @Test("the console with neither logs nor a state file is a usage error", .enabled(if: CLI.binary != nil))
  func nothingToOpen() throws {
    let result = try CLI.run([])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--state FILE to reopen"))
  }
}
