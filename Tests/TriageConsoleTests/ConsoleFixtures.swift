import Foundation
@testable import TriageConsole
@testable import TriageCore

/// Sessions for the console tests: the bundled Samples' alerts (a real detection run), or
/// hand-made alerts carrying hostile strings.
enum ConsoleFixtures {
  static let now = "2026-11-23T10:00:00.000Z"

  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples").path

  /// The detection run is done once; every test starts from a fresh state around it.
  static let sampleAlerts: [Alert] = {
    var options = DetectionOptions(paths: [samples])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    return try! Detection.run(options).alerts
  }()

  /// A console as the run loop has it once the rows the first frame skipped have arrived (they
  /// take well under a second; `complete: false` is the console before that).
  static func state(cols: Int = 80, rows: Int = 24, alerts: [Alert] = sampleAlerts, complete: Bool = true) -> ConsoleState {
    var state = ConsoleState(
      session: TriageSession(alerts: alerts), statePath: "Samples.triage.json", author: "tester", size: Size(rows: rows, cols: cols))
    if complete { completeRows(&state) }
    return state
  }

  static func frame(_ state: ConsoleState) -> MemoryScreen {
    var screen = MemoryScreen(cols: state.size.cols, rows: state.size.rows)
    ConsoleView.render(state, into: &screen)
    return screen
  }

  /// Feeds keys (characters of a string become `.char`), collecting the effects.
  @discardableResult
  static func press(_ state: inout ConsoleState, _ keys: [Key]) -> [Effect] {
    keys.flatMap { state.handle($0, now: now) }
  }

  static func type(_ text: String) -> [Key] { text.map { Key.char($0) } }

  /// A built-in rule alert with every displayed field set to `value`.
  static func hostileAlert(uuid: String, value: String, rule: String = BuiltinRules.all[0].ruleID) -> Alert {
    var d = JSONObject()
    let name = BuiltinRules.rule(id: rule)?.name ?? "unknown"
    for (path, v) in [
      ("kibana.alert.uuid", uuid), ("kibana.alert.rule.rule_id", rule), ("kibana.alert.rule.name", name),
      ("kibana.alert.severity", "high"), ("kibana.alert.original_time", "2026-11-05T10:00:00.000Z"),
      ("kibana.alert.reason", value), ("user.name", value), ("source.ip", value),
      ("source.as.organization.name", value), ("user_agent.original", value),
      ("aws.cloudtrail.user_identity.arn", value),
    ] {
      d.set(path: path, .string(v))
    }
    d.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([
      JSONMember("functionName", .string(value)), JSONMember(value, .string("NONE")),
    ])))
    d.set(path: "event.original", .string(JSONWriter.compact(.object(JSONObject([JSONMember("userAgent", .string(value))])))))
    return Alert(document: d)
  }

  /// Alerts as varied as a large session: both built-in rules and a foreign one whose name
  /// changes, severities in any case, times out of order and repeated, and every seventh document
  /// nested instead of dotted, so orders, counts and fallbacks all have something to get wrong.
  static func variedAlerts(count: Int) -> [Alert] {
    (0..<count).map { i in
      let rule = i % 5 == 4 ? nil : BuiltinRules.all[i % 2]
      let event: [(String, String)] = [
        ("user.name", "principal-\((i * 7) % 23)"), ("source.ip", "198.51.100.\(i % 41)"),
        ("source.as.organization.name", ["Hetzner Online GmbH", "COMCAST-7922", "DigitalOcean, LLC"][i % 3]),
      ]
      let kibana: [(String, String)] = [
        ("kibana.alert.uuid", "uuid-\(i)"),
        ("kibana.alert.original_time", Timestamp.format(millis: 1_762_000_000_000 + Int64((i * 37) % 101) * 60_000)),
        ("kibana.alert.severity", ["high", "Medium", "LOW", "critical", "unknown"][i % 5]),
        ("kibana.alert.rule.rule_id", rule?.ruleID ?? "foreign-rule"),
        ("kibana.alert.rule.name", rule?.name ?? "Foreign rule \(i % 2)"),
      ]
      var document = JSONObject()
      for (path, value) in event { document.set(path: path, .string(value)) }
      document.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([
        JSONMember("functionName", .string("fn-\((i * 11) % 17)")),
      ])))
      for (key, value) in kibana {
        if i % 7 == 0 { document.set(path: key, .string(value)) } else { document.members.append(JSONMember(key, .string(value))) }
      }
      return Alert(document: document)
    }
  }

  /// Runs the work the run loop starts after the first frame, as its worker would, and hands the
  /// result back.
  static func completeRows(_ state: inout ConsoleState) {
    for case .completeRows(let completion) in state.startEffects {
      _ = state.update(.rowsCompleted(completion.run()), now: now)
    }
  }
}
