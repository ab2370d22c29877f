/// Turns a source event into a Kibana-style alert document, the way Elastic's detection engine
/// does: the event's fields are copied, `@timestamp` becomes the execution time, and
/// `kibana.alert.*` describes the rule and the alert.
enum AlertBuilder {
  struct Context {
    let rule: DetectionRule
    let ruleConstants: RuleConstants
    let document: JSONObject
    let executionTime: Int64
    let eventKey: String
    let newTerms: [String]?
    let historyStart: Int64?
    let sourcePath: String
    let sourcePosition: String
  }

  /// What every alert of a rule carries alike, worked out once per rule: per alert, the rule's
  /// digest and threat tree cost about a tenth of building it.
  struct RuleConstants: Sendable {
    let uuid: String
    let threat: JSONValue

    init(_ rule: DetectionRule) {
      uuid = AlertBuilder.ruleUUID(rule)
      threat = AlertBuilder.threat(rule)
    }
  }

  /// Stable across runs: the same rule, event and terms always give the same id, so the analyst's
  /// notes stay attached when the logs are read again.
  static func alertID(ruleID: String, eventKey: String, newTerms: [String]?) -> String {
    var material = "lambda-triage/alert/v1\u{1F}\(ruleID)\u{1F}\(eventKey)"
    for term in newTerms ?? [] { material += "\u{1F}" + term }
    return SHA256Digest.hex(material)
  }

  static func ruleUUID(_ rule: DetectionRule) -> String {
    let hex = Array(SHA256Digest.hex("lambda-triage/rule/\(rule.ruleID)/v\(rule.version)").utf8)
    // Shaped like a UUID (Kibana's rule saved-object ids are UUIDs). Cut as bytes: an array of
    // Characters cost more than the digest, for every alert.
    func part(_ range: Range<Int>) -> String { String(decoding: hex[range], as: UTF8.self) }
    return part(0..<8) + "-" + part(8..<12) + "-" + part(12..<16) + "-" + part(16..<20) + "-" + part(20..<32)
  }

  static func build(_ context: Context) -> Alert {
    let rule = context.rule
    let source = context.document
    var alert = JSONObject()
    alert["@timestamp"] = .string(Timestamp.format(millis: context.executionTime))
    for member in source.members where member.key != "@timestamp" {
      alert.members.append(member)
    }
    // Elastic marks the copied event as a signal and keeps the original `event.*` aside.
    if case .object(let event)? = source["event"] {
      alert["kibana.alert.original_event"] = .object(event)
      var signalEvent = event
      signalEvent["kind"] = .string("signal")
      alert["event"] = .object(signalEvent)
    }
    let uuid = alertID(ruleID: rule.ruleID, eventKey: context.eventKey, newTerms: context.newTerms)
    let originalTime = source["@timestamp"] ?? .null
    var fields: [(String, JSONValue)] = [
      ("kibana.alert.uuid", .string(uuid)),
      ("kibana.alert.status", .string("active")),
      ("kibana.alert.workflow_status", .string("open")),
      ("kibana.alert.depth", .number(JSONNumber(1))),
      ("kibana.alert.original_time", originalTime),
      ("kibana.alert.reason", .string(reason(rule: rule, document: source))),
      ("kibana.alert.severity", .string(rule.severity)),
      ("kibana.alert.risk_score", .number(JSONNumber(rule.riskScore))),
      ("kibana.alert.rule.name", .string(rule.name)),
      ("kibana.alert.rule.rule_id", .string(rule.ruleID)),
      ("kibana.alert.rule.uuid", .string(context.ruleConstants.uuid)),
      ("kibana.alert.rule.type", .string(rule.kind.rawValue)),
      ("kibana.alert.rule.category", .string(rule.kind == .eql ? "Event Correlation Rule" : "New Terms Rule")),
      ("kibana.alert.rule.version", .number(JSONNumber(rule.version))),
      ("kibana.alert.rule.interval", .string("\(rule.intervalSeconds / 60)m")),
      ("kibana.alert.rule.from", .string("now-\(rule.lookBackSeconds / 60)m")),
      ("kibana.alert.rule.max_signals", .number(JSONNumber(rule.maxAlertsPerExecution))),
      ("kibana.alert.rule.tags", .array(rule.tags.map { .string($0) })),
      ("kibana.alert.rule.threat", context.ruleConstants.threat),
      ("kibana.alert.ancestors", .array([.object(JSONObject([
        JSONMember("id", .string(context.eventKey)),
        JSONMember("type", .string("event")),
        JSONMember("index", .string("logs-aws.cloudtrail-default")),
        JSONMember("depth", .number(JSONNumber(0))),
      ]))])),
    ]
    if let terms = context.newTerms {
      fields.append(("kibana.alert.new_terms", .array(terms.map { .string($0) })))
    }
    if let historyStart = context.historyStart {
      let windowDays = Double(rule.historyWindowSeconds) / 86_400
      let available = Double(context.executionTime - Int64(rule.lookBackSeconds) * 1000 - historyStart) / 86_400_000
      fields.append(("lambda_triage.history", .object(JSONObject([
        JSONMember("start", .string(Timestamp.format(millis: historyStart))),
        JSONMember("available_days", .number(JSONNumber(text: roundedText(max(0, available))))),
        JSONMember("window_days", .number(JSONNumber(text: roundedText(windowDays)))),
      ]))))
    }
    fields.append(("lambda_triage.source", .object(JSONObject([
      JSONMember("path", .string(context.sourcePath)),
      JSONMember("position", .string(context.sourcePosition)),
    ]))))
    for (key, value) in fields { alert[key] = value }
    return Alert(document: alert)
  }

  private static func roundedText(_ value: Double) -> String {
    let tenths = (value * 10).rounded() / 10
    return String(tenths)
  }

  /// Elastic's reason template: `<category> event with source <ip>, by <user> on <host> created
  /// <severity> alert <name>.`, leaving out the parts whose field is absent.
  static func reason(rule: DetectionRule, document: JSONObject) -> String {
    func text(_ path: String) -> String? {
      guard let value = document[path: path] else { return nil }
      if let scalar = value.keywordText { return scalar }
      if case .array(let items) = value {
        let joined = items.compactMap(\.keywordText).joined(separator: ", ")
        return joined.isEmpty ? nil : joined
      }
      return nil
    }
    var reason = text("event.category").map { "\($0) event" } ?? "event"
    if let ip = text("source.ip") { reason += " with source \(ip)," }
    if let user = text("user.name") { reason += " by \(user)" }
    if let host = text("host.name") { reason += " on \(host)" }
    reason += " created \(rule.severity) alert \(rule.name)."
    return reason
  }

  static func threat(_ rule: DetectionRule) -> JSONValue {
    .array(rule.threat.map { mapping in
      .object(JSONObject([
        JSONMember("framework", .string("MITRE ATT&CK")),
        JSONMember("tactic", .object(JSONObject([
          JSONMember("id", .string(mapping.tacticID)),
          JSONMember("name", .string(mapping.tacticName)),
          JSONMember("reference", .string("https://attack.mitre.org/tactics/\(mapping.tacticID)/")),
        ]))),
        JSONMember("technique", .array(mapping.techniques.map { technique in
          .object(JSONObject([
            JSONMember("id", .string(technique.id)),
            JSONMember("name", .string(technique.name)),
            JSONMember("reference", .string("https://attack.mitre.org/techniques/\(technique.id.replacingOccurrences(of: ".", with: "/"))/")),
          ]))
        })),
      ]))
    })
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
