/// `export report`: a triage report for a ticket, with a summary table on top and one section
/// per alert (what fired, on what, by whom, from where, the decision, each guide step and note).
public enum TriageReport {
  /// `evidence` (by alert uuid) is printed under each guide step when given.
  /// `unread`: alerts whose logs the evidence did not read (by uuid, the file), said so under
  /// their steps rather than shown without evidence.
  public static func markdown(_ session: TriageSession, title: String = "lambda-triage report", evidence: [String: AlertEvidence] = [:], unread: [String: String] = [:]) -> String {
    var out = "# \(Markdown.text(title))\n\n"
    out += "| # | status | severity | rule | time | function | principal | source | ASN organisation |\n"
    out += "|---|---|---|---|---|---|---|---|---|\n"
    for (n, alert) in session.alerts.enumerated() {
      let state = session.state(of: alert.uuid)
      let status = state.status.rawValue + (state.status == .closed ? state.reason.map { " (\($0.label))" } ?? "" : "")
      // Our own words go in as they are; everything from the alert is escaped.
      let untrusted = [
        alert.severity, alert.rule?.shortName ?? alert.ruleName, alert.originalTime,
        AlertFacts.functionName(alert) ?? "-", AlertFacts.principal(alert) ?? "-",
        alert.string("source.ip") ?? alert.string("source.address") ?? "-", alert.string("source.as.organization.name") ?? "-",
      ]
      out += "| \(n + 1) | \(status) | " + untrusted.map(Markdown.cell).joined(separator: " | ") + " |\n"
    }
    for (n, alert) in session.alerts.enumerated() {
      let state = session.state(of: alert.uuid)
      out += "\n## \(n + 1). \(Markdown.text(alert.ruleName))\n\n"
      var facts: [(String, String?)] = [
        ("Alert id", alert.uuid), ("Severity", "\(alert.severity) (risk \(alert.riskScore))"), ("Event time", alert.originalTime),
        ("Reason", alert.reason), ("Function", AlertFacts.functionName(alert)),
        ("Principal", alert.string("aws.cloudtrail.user_identity.arn") ?? AlertFacts.principal(alert)),
        ("Identity type", alert.string("aws.cloudtrail.user_identity.type")),
        ("Access key", alert.string("aws.cloudtrail.user_identity.access_key_id")),
        ("Account", alert.string("cloud.account.id")),
        ("Source", alert.string("source.ip") ?? alert.string("source.address")),
        ("ASN", [alert.string("source.as.number").map { "AS\($0)" }, alert.string("source.as.organization.name")].compactMap { $0 }.joined(separator: " ")),
        ("User agent", alert.string("user_agent.original")),
        ("Request", alert.string("aws.cloudtrail.request_parameters")),
      ]
      if !alert.newTerms.isEmpty { facts.append(("New terms", alert.newTerms.joined(separator: " · "))) }
      facts.append(("Status", state.status.rawValue + (state.reason.map { ", \($0.label)" } ?? "")))
      for (label, value) in facts {
        guard let value, !value.isEmpty else { continue }
        out += "- **\(label)**: \(Markdown.text(value))\n"
      }
      if let guide = alert.rule?.guide {
        out += "\n### Investigation\n\n"
        if let path = unread[alert.uuid] {
          out += "Evidence not read: this alert's event is in \(Markdown.text(path)), which is not among the session's logs now.\n\n"
        }
        for (i, step) in guide.steps.enumerated() {
          let s = state.step(step.key)
          let box = s.status == .done ? "[x]" : s.status == .open ? "[ ]" : "[-]"
          out += "\(i + 1). \(box) \(Markdown.text(step.title)) (\(s.status.rawValue.replacingUnderscores))\n"
          if !s.note.isEmpty { out += "   > " + Markdown.lines(s.note, continuation: "   > ") + "\n" }
          for line in evidence[alert.uuid]?.lines(for: step.key) ?? [] {
            out += (line.text.hasPrefix(" ") ? "     - " : "   - ") + Markdown.text(line.text.trimmingLeadingSpaces, startsLine: true) + "\n"
          }
        }
      }
      if !state.notes.isEmpty {
        out += "\n### Notes\n\n"
        for note in state.notes {
          out += "- \(Markdown.text(note.createdAt)) \(Markdown.text(note.author)): \(Markdown.lines(note.text, continuation: "  "))\n"
        }
      }
    }
    return out
  }

  public static func json(_ session: TriageSession, evidence: [String: AlertEvidence] = [:], unread: [String: String] = [:]) -> String {
    let items: [JSONValue] = session.alerts.map { alert in
      var document = AlertExport.document(alert, in: session)
      if let found = evidence[alert.uuid], let guide = alert.rule?.guide {
        var steps = JSONObject()
        for step in guide.steps { steps[step.key] = .array(found.lines(for: step.key).map { .string($0.text) }) }
        document["lambda_triage.evidence"] = .object(steps)
      }
      if let path = unread[alert.uuid] { document["lambda_triage.evidence_unread"] = .string(path) }
      return .object(document)
    }
    var root = JSONObject()
    root["alerts"] = .array(items)
    var counts = JSONObject()
    for status in AlertStatus.allCases {
      counts[status.rawValue] = .number(JSONNumber(session.alerts.filter { session.state(of: $0.uuid).status == status }.count))
    }
    root["summary"] = .object(counts)
    return JSONWriter.pretty(.object(root)) + "\n"
  }
}

/// Markdown escaping for log-derived text: no tables, links (bare URLs included), images, HTML,
/// entities, code or emphasis can be injected, and control characters are shown escaped. Only what could start
/// such a construct is escaped (a link needs its `[`, an image its `![`), so the text stays
/// readable where the report is read as plain text: `medium (risk 47)`, `Botocore#1.35`.
enum Markdown {
  /// `startsLine`: the value begins a block (a note's line, an evidence line after its list
  /// marker), where up to three spaces may precede a heading, a list item or a setext underline:
  /// their marks are escaped there, and the dot or parenthesis of an ordered item ("1." "1)").
  static func text(_ value: String, startsLine: Bool = false) -> String {
    var out = ""
    var lineStart = startsLine
    var digitRun = false
    for ch in TerminalSanitizer.sanitize(value).replacingNewlines {
      if lineStart {
        if ch == " " { out.append(ch); continue }
        lineStart = false
        if ch == "#" || ch == "-" || ch == "+" || ch == "=" { out.append("\\"); out.append(ch); continue }
        if ch.isASCII && ch.isNumber { digitRun = true; out.append(ch); continue }
      }
      if digitRun {
        if ch.isASCII && ch.isNumber { out.append(ch); continue }
        digitRun = false
        if ch == "." || ch == ")" { out.append("\\"); out.append(ch); continue }
      }
      switch ch {
      case "\\", "`", "*", "_", "[", "]", "|", "~", ">", "<", "&":
        out.append("\\")
        out.append(ch)
      default: out.append(ch)
      }
    }
    return breakingAutolinks(out)
  }

  /// GitHub turns a bare `https://…` or `www.…` into a link: a URL from a log (a user agent, a
  /// request parameter) must stay text. An escaped colon or dot reads the same and links nowhere.
  private static func breakingAutolinks(_ text: String) -> String {
    guard text.contains("://") || text.contains("www.") else { return text }
    return text.replacingOccurrences(of: "://", with: "\\://").replacingOccurrences(of: "www.", with: "www\\.")
  }

  static func cell(_ value: String) -> String { text(value) }

  /// Text of several lines (an analyst's note, a pinned block) kept as lines: each escaped, ended
  /// by a hard break, the next started with `continuation` (the list indent or quote marker).
  static func lines(_ value: String, continuation: String) -> String {
    value.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { text(String($0), startsLine: true) }
      .joined(separator: "  \n" + continuation)
  }
}

extension String {
  fileprivate var replacingNewlines: String { String(map { $0 == "\n" || $0 == "\r" ? " " : $0 }) }
  fileprivate var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

extension String {
  fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
