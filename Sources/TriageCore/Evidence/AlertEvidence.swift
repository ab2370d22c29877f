/// The answers to an alert's investigation steps, computed from the events related to it: lines of
/// text per step key, each pointing at the events it summarises.
public struct AlertEvidence: Sendable, Equatable {
  public struct Line: Sendable, Equatable {
    public var text: String
    /// Indices into `events`.
    public var events: [Int]
    /// Worth the analyst's attention (shown highlighted).
    public var isNotable: Bool

    public init(_ text: String, events: [Int] = [], notable: Bool = false) {
      self.text = text
      self.events = events
      isNotable = notable
    }
  }

  public var events: [RelatedEvent]
  public var steps: [String: [Line]]

  public func lines(for step: String) -> [Line] { steps[step] ?? [] }

  /// ±24 hours, the window the guides use for "around the alert" unless the analyst sets another.
  public static let defaultWindowMillis: Int64 = 24 * 3_600_000
  public static let historyMillis: Int64 = 10 * 24 * 3_600_000

  /// `window`: how far around the alert "near" reaches (tampering, other activity), in ms.
  public static func build(alert: Alert, events: [RelatedEvent], window: Int64 = defaultWindowMillis) -> AlertEvidence {
    let context = Context(alert: alert, events: events, window: window)
    switch alert.ruleID {
    case BuiltinRules.lambdaFunctionURLPublic.ruleID:
      return AlertEvidence(events: events, steps: [
        "step-1": context.actor(), "step-2": context.exposure(), "step-3": context.earlierURLConfigs() + context.tags(),
        "step-4": context.tampering(), "step-5": context.correlationAfterExposure(),
      ])
    case BuiltinRules.lambdaInvokeUnusualASN.ruleID:
      return AlertEvidence(events: events, steps: [
        "step-1": context.networkHistory(), "step-2": context.invocation(), "step-3": context.credentialUse(),
        "step-4": context.sameNetworkActivity(),
      ])
    default:
      return AlertEvidence(events: events, steps: [:])
    }
  }
}

/// The alert's facts and its related events, with the summaries the steps share.
struct Context {
  let alert: Alert
  let events: [RelatedEvent]
  let time: Int64
  let principal: String?
  let accessKey: String?
  let function: String?
  let sourceIP: String?
  let organization: String?
  let userAgent: String?
  let alertEventID: String?
  let window: Int64

  init(alert: Alert, events: [RelatedEvent], window: Int64 = AlertEvidence.defaultWindowMillis) {
    self.alert = alert
    self.events = events
    self.window = window
    time = Timestamp.parseMillis(alert.originalTime) ?? 0
    // The same values the related events were gathered by.
    let query = EvidenceQuery(alert)
    principal = query.principalARN
    accessKey = query.accessKeyID
    function = query.functionName
    sourceIP = query.sourceIP
    organization = alert.string("source.as.organization.name")
    userAgent = alert.string("user_agent.original")
    alertEventID = alert.string("event.id")
  }

  func indices(_ test: (RelatedEvent) -> Bool) -> [Int] { events.indices.filter { test(events[$0]) } }
  /// The alert's own event, behind the lines that describe it (Enter on them shows it).
  var own: [Int] { indices(isAlertEvent) }
  func isAlertEvent(_ e: RelatedEvent) -> Bool { alertEventID != nil && e.eventID == alertEventID }
  /// How the lines name whose history they read: an assumed role's history spans its sessions.
  var who: String { principal != nil && principal != alert.string("aws.cloudtrail.user_identity.arn") ? "role (any session)" : "principal" }

  func byPrincipal(_ e: RelatedEvent) -> Bool { principal != nil && e.principalKey == principal }
  func byFunction(_ e: RelatedEvent) -> Bool { function != nil && e.functionName == function }
  func near(_ e: RelatedEvent) -> Bool { abs(e.millis - time) <= window }

  /// "±24 h", "±90 min".
  var windowText: String {
    window % 3_600_000 == 0 ? "±\(window / 3_600_000) h" : "±\(max(1, window / 60_000)) min"
  }

  static func short(_ time: String) -> String {
    let bytes = Array(time.utf8)
    guard bytes.count >= 16 else { return time }
    return String(decoding: bytes[0..<10] + [0x20] + bytes[11..<16], as: UTF8.self)
  }

  /// "N events, first … last" for a set of events.
  func span(_ indices: [Int]) -> String {
    guard let first = indices.first, let last = indices.last else { return "no events" }
    let n = indices.count
    if n == 1 { return "1 event, at \(Context.short(events[first].time))" }
    return "\(n) events, \(Context.short(events[first].time)) to \(Context.short(events[last].time))"
  }

  /// Groups events by a key, in order of first appearance, as evidence lines.
  func grouped(_ indices: [Int], by key: (RelatedEvent) -> String, label: (String) -> String = { $0 }) -> [AlertEvidence.Line] {
    var order: [String] = []
    var groups: [String: [Int]] = [:]
    for i in indices {
      let k = key(events[i])
      if groups[k] == nil { order.append(k) }
      groups[k, default: []].append(i)
    }
    return order.map { AlertEvidence.Line("\(label($0)): \(span(groups[$0]!))", events: groups[$0]!) }
  }

  /// Whether the principal used this before the alert, and since when.
  func seenBefore(_ what: String, _ test: (RelatedEvent) -> Bool) -> AlertEvidence.Line {
    let before = indices { byPrincipal($0) && $0.millis < time && test($0) }
    if before.isEmpty { return AlertEvidence.Line("\(what): not seen for this \(who) in the 10 days before", notable: true) }
    return AlertEvidence.Line("\(what): seen before, \(span(before))", events: before)
  }

  // MARK: Rule A

  func actor() -> [AlertEvidence.Line] {
    let type = alert.string("aws.cloudtrail.user_identity.type") ?? "unknown type"
    let arn = alert.string("aws.cloudtrail.user_identity.arn")
    var out = [AlertEvidence.Line("Principal: \(arn ?? "unknown") (\(type))", events: own)]
    if let principal, principal != arn {
      let role = alert.string("aws.cloudtrail.user_identity.session_context.session_issuer.arn") ?? principal
      out.append(AlertEvidence.Line("History counts the role, every session: \(role)"))
    }
    let network = [sourceIP, organization.map { "\($0)" }, alert.string("source.as.number").map { "AS\($0)" }].compactMap { $0 }.joined(separator: " ")
    out.append(AlertEvidence.Line("From: \(network.isEmpty ? "unknown" : network)", events: own))
    out.append(AlertEvidence.Line("User agent: \(userAgent ?? "none")", events: own))
    let history = indices { byPrincipal($0) && $0.millis < time }
    out.append(history.isEmpty
      ? AlertEvidence.Line("Principal: no activity in the 10 days before", notable: true)
      : AlertEvidence.Line("Principal: active before, \(span(history))", events: history))
    if let organization { out.append(seenBefore("Network \(organization)") { $0.asOrganization == organization }) }
    else if let sourceIP { out.append(seenBefore("Address \(sourceIP)") { $0.sourceIP == sourceIP }) }
    if let userAgent { out.append(seenBefore("User agent") { $0.userAgent == userAgent }) }
    return out
  }

  func exposure() -> [AlertEvidence.Line] {
    let request = alert.requestParameters
    let response = alert.responseElements
    var out: [AlertEvidence.Line] = []
    out.append(AlertEvidence.Line("Auth type: \(request?["authType"]?.keywordText ?? response?["authType"]?.keywordText ?? "unknown")", events: own, notable: true))
    out.append(AlertEvidence.Line("Function: \(function ?? "unknown")" + (request?["qualifier"]?.keywordText.map { ", qualifier \($0)" } ?? ""), events: own))
    if let cors = request?["cors"]?.objectValue {
      let parts = cors.members.map { "\($0.key)=\(JSONWriter.compact($0.value))" }
      let open = cors["allowOrigins"]?.arrayValue?.contains { $0.keywordText == "*" } == true
      out.append(AlertEvidence.Line("CORS: \(parts.joined(separator: ", "))", notable: open))
    } else {
      out.append(AlertEvidence.Line("CORS: not configured in the request"))
    }
    out.append(AlertEvidence.Line("Function URL: \(response?["functionUrl"]?.keywordText ?? "not in the response (not logged)")"))
    return out
  }

  func earlierURLConfigs() -> [AlertEvidence.Line] {
    let configs = indices { byFunction($0) && $0.millis < time && $0.action.lowercased().contains("functionurlconfig") && !isAlertEvent($0) }
    guard !configs.isEmpty else {
      return [AlertEvidence.Line("No earlier URL configuration of \(function ?? "this function") in the 10 days before: the URL is new here", notable: true)]
    }
    return configs.map { i in
      let e = events[i]
      let auth = e.requestParameters?["authType"]?.keywordText.map { " authType=\($0)" } ?? ""
      return AlertEvidence.Line("\(Context.short(e.time)) \(e.action)\(auth) by \(e.principalARN ?? "unknown")", events: [i], notable: auth == " authType=NONE")
    }
  }

  /// The function's tags as the logs show them set (at creation, `TagResource`) or removed
  /// (`UntagResource`) before the alert: owners and purposes often live there.
  func tags() -> [AlertEvidence.Line] {
    let changes = indices { e in
      let action = e.action.lowercased()
      return byFunction(e) && e.millis <= time && !isAlertEvent(e)
        && (action.hasPrefix("tagresource") || action.hasPrefix("untagresource") || (action.hasPrefix("createfunction") && !action.contains("url")))
    }
    var lines: [AlertEvidence.Line] = []
    for i in changes {
      let e = events[i]
      let by = "\(Context.short(e.time)) \(e.action) by \(e.principalARN ?? "unknown")"
      if e.action.lowercased().hasPrefix("untagresource") {
        let keys = e.requestParameters?["tagKeys"]?.arrayValue?.compactMap(\.keywordText) ?? []
        lines.append(AlertEvidence.Line("Tags removed: \(keys.isEmpty ? "(keys not logged)" : keys.joined(separator: ", ")) (\(by))", events: [i]))
      } else if let tags = e.requestParameters?["tags"]?.objectValue, !tags.isEmpty {
        let text = tags.members.map { "\($0.key)=\($0.value.keywordText ?? JSONWriter.compact($0.value))" }.joined(separator: ", ")
        lines.append(AlertEvidence.Line("Tags: \(text) (\(by))", events: [i]))
      }
    }
    if lines.isEmpty {
      lines.append(AlertEvidence.Line("No tags of \(function ?? "this function") in the logs (CreateFunction, TagResource) before the alert"))
    }
    return lines
  }

  func tampering() -> [AlertEvidence.Line] {
    let prefixes = ["updatefunctioncode", "updatefunctionconfiguration", "addpermission", "createfunction"]
    let hits = indices { e in
      byFunction(e) && near(e) && !isAlertEvent(e) && prefixes.contains { e.action.lowercased().hasPrefix($0) }
    }
    guard !hits.isEmpty else { return [AlertEvidence.Line("No code, configuration or permission change to \(function ?? "the function") within \(windowText)")] }
    return hits.map { i in
      let e = events[i]
      let offset = (e.millis - time) / 60_000
      let when = offset == 0 ? "same minute" : (offset < 0 ? "\(-offset) min before" : "\(offset) min after")
      var text = "\(Context.short(e.time)) (\(when)) \(e.action) by \(e.principalARN ?? "unknown")"
      var notable = false
      if e.action.lowercased().hasPrefix("addpermission"), let p = e.requestParameters {
        let action = p["action"]?.keywordText ?? ""
        let who = p["principal"]?.keywordText ?? ""
        let auth = p["functionUrlAuthType"]?.keywordText ?? ""
        text += " [\(action) to \(who)\(auth.isEmpty ? "" : ", functionUrlAuthType=\(auth)")]"
        notable = action == "lambda:InvokeFunctionUrl" && who == "*" && auth == "NONE"
        if notable { text += " public invoke permission" }
      }
      return AlertEvidence.Line(text, events: [i], notable: notable)
    }
  }

  func correlationAfterExposure() -> [AlertEvidence.Line] {
    var out: [AlertEvidence.Line] = []
    let activity = indices { byPrincipal($0) && near($0) && !isAlertEvent($0) }
    out.append(AlertEvidence.Line("Other activity by this \(who) within \(windowText): \(activity.count) event\(activity.count == 1 ? "" : "s")", events: activity))
    out += grouped(activity, by: { $0.action }, label: { "  \($0)" })
    // Calls through the URL are logged as InvokeFunctionUrl data events; Invoke is the signed API
    // call, by someone holding credentials, which the URL did not make possible.
    func isURLCall(_ e: RelatedEvent) -> Bool { e.action.lowercased() == "invokefunctionurl" }
    let after = indices { byFunction($0) && $0.millis >= time && $0.action.lowercased().hasPrefix("invoke") }
    let urlCalls = after.filter { isURLCall(events[$0]) }
    let apiCalls = after.filter { !isURLCall(events[$0]) }
    if !urlCalls.isEmpty {
      out.append(AlertEvidence.Line("Calls through the function URL (InvokeFunctionUrl) in the 10 days after exposure: \(urlCalls.count), by network:", events: urlCalls, notable: true))
      out += grouped(urlCalls, by: { $0.network }, label: { "  \($0)" })
    } else if events.contains(where: isURLCall) {
      out.append(AlertEvidence.Line("No call through the URL of \(function ?? "the function") in the 10 days after it was exposed"))
    } else {
      out.append(AlertEvidence.Line("No InvokeFunctionUrl events in these logs: calls through a URL are logged only with Lambda data events on (off by default)", notable: true))
    }
    if !apiCalls.isEmpty {
      out.append(AlertEvidence.Line("API invocations (Invoke, signed) in the 10 days after exposure: \(apiCalls.count), by network:", events: apiCalls))
      out += grouped(apiCalls, by: { $0.network }, label: { "  \($0)" })
    }
    return out
  }

  // MARK: Rule B

  func networkHistory() -> [AlertEvidence.Line] {
    var out: [AlertEvidence.Line] = []
    let geo = [alert.string("source.geo.city_name"), alert.string("source.geo.country_name") ?? alert.string("source.geo.country_iso_code")].compactMap { $0 }
    out.append(AlertEvidence.Line("Source: \(sourceIP ?? "unknown") AS\(alert.string("source.as.number") ?? "?") \(organization ?? "unknown organisation")\(geo.isEmpty ? "" : " (\(geo.joined(separator: ", ")))")", events: own, notable: true))
    // A rule B alert near the start of the logs had less history than the rule looks back: say so,
    // since "new" may then only mean "before the logs begin".
    if let available = alert.field("lambda_triage.history.available_days")?.keywordText.flatMap(Double.init),
       let window = alert.field("lambda_triage.history.window_days")?.keywordText.flatMap(Double.init), available < window {
      let start = alert.string("lambda_triage.history.start").map { " (they start \(Context.short($0)))" } ?? ""
      out.append(AlertEvidence.Line(String(format: "History in these logs: %.1f of %.0f days before the alert%@; a network new here may be usual before that", available, window, start), notable: true))
    }
    let history = indices { byPrincipal($0) && $0.millis < time && $0.millis >= time - AlertEvidence.historyMillis }
    if history.isEmpty {
      out.append(AlertEvidence.Line("No activity by this \(who) in the 10 days before", notable: true))
    } else {
      out.append(AlertEvidence.Line("Networks of this \(who) in the 10 days before:", events: history))
      out += grouped(history, by: { $0.network }, label: { "  \($0)" })
    }
    return out
  }

  func invocation() -> [AlertEvidence.Line] {
    let request = alert.requestParameters
    return [
      AlertEvidence.Line("Function: \(function ?? "unknown")", events: own),
      AlertEvidence.Line("Invocation type: \(request?["invocationType"]?.keywordText ?? "not logged (RequestResponse by default)")", events: own),
      AlertEvidence.Line("User agent: \(userAgent ?? "none")", events: own),
      seenBefore("User agent") { $0.userAgent == userAgent },
    ]
  }

  func credentialUse() -> [AlertEvidence.Line] {
    guard let accessKey else { return [AlertEvidence.Line("No access key id in the event")] }
    let kind = accessKey.hasPrefix("ASIA") ? "temporary (STS session) key" : accessKey.hasPrefix("AKIA") ? "long-term IAM user key: rotate if stolen" : "key of unknown kind"
    var out = [AlertEvidence.Line("\(accessKey): \(kind)", events: own, notable: accessKey.hasPrefix("AKIA"))]
    let uses = indices { $0.accessKeyID == accessKey && !isAlertEvent($0) }
    if uses.isEmpty { out.append(AlertEvidence.Line("No other use of this key within 10 days of the alert")); return out }
    out.append(AlertEvidence.Line("Other uses of this key: \(span(uses)), from:", events: uses))
    out += grouped(uses, by: { $0.network }, label: { "  \($0)" })
    out.append(AlertEvidence.Line("Actions:"))
    out += grouped(uses, by: { $0.action }, label: { "  \($0)" })
    return out
  }

  func sameNetworkActivity() -> [AlertEvidence.Line] {
    let same = indices { e in
      byPrincipal(e) && !isAlertEvent(e) && ((organization != nil && e.asOrganization == organization) || (sourceIP != nil && e.sourceIP == sourceIP))
    }
    guard !same.isEmpty else { return [AlertEvidence.Line("No other activity by this \(who) from \(organization ?? sourceIP ?? "this network")")] }
    var out = [AlertEvidence.Line("Other activity by this \(who) from \(organization ?? sourceIP ?? "this network"): \(span(same))", events: same, notable: true)]
    out += grouped(same, by: { "\($0.provider) \($0.action)" }, label: { "  \($0)" })
    return out
  }
}
