import TriageCore

/// The alert detail as lines, derived from the alert and the analyst's state by a pure function so
/// the view, the scrolling and `y` all agree on what line N is.
public enum AlertDetailContent {
  public static func lines(_ alert: Alert, state: AlertTriage) -> [DetailLine] {
    var out: [DetailLine] = []
    func field(_ label: String, _ value: String?) {
      if let value, !value.isEmpty { out.append(.field(label, value)) }
    }

    out.append(.section("Summary"))
    field("Rule", alert.ruleName)
    field("Severity", alert.severity)
    field("Risk score", String(alert.riskScore))
    field("Reason", alert.reason)
    field("Time", alert.originalTime)
    field("Action", alert.string("event.action"))
    var status = state.status.label
    if let reason = state.reason { status += " (\(reason.label))" }
    field("Status", status)
    if state.isGone { field("Note", "no longer produced by the latest detection run") }
    if !alert.newTerms.isEmpty { field("New terms", alert.newTerms.joined(separator: " · ")) }

    out.append(.blank)
    out.append(.section("Function"))
    let request = alert.requestParameters
    let response = alert.responseElements
    field("Name", AlertRow.functionName(alert))
    field("ARN", response?["functionArn"]?.keywordText ?? alert.string("aws.cloudtrail.resources.arn")
      ?? request?["functionName"]?.keywordText.flatMap { $0.hasPrefix("arn:") ? $0 : nil })
    field("Qualifier", request?["qualifier"]?.keywordText)
    field("Function URL", response?["functionUrl"]?.keywordText)
    field("Auth type", request?["authType"]?.keywordText ?? response?["authType"]?.keywordText)

    out.append(.blank)
    out.append(.section("Request parameters"))
    if let request, !request.isEmpty { tree(request, indent: 0, into: &out) } else { out.append(.text("(none)")) }
    out.append(.blank)
    out.append(.section("Response elements"))
    if let response, !response.isEmpty { tree(response, indent: 0, into: &out) } else { out.append(.text("(none)")) }

    out.append(.blank)
    out.append(.section("Identity"))
    field("ARN", alert.string("aws.cloudtrail.user_identity.arn"))
    field("Type", alert.string("aws.cloudtrail.user_identity.type"))
    field("User name", alert.string("user.name"))
    field("Principal id", alert.string("user.id"))
    field("Access key id", alert.string("aws.cloudtrail.user_identity.access_key_id"))
    field("Account", alert.string("cloud.account.id"))
    field("Region", alert.string("cloud.region"))
    let issuer = [alert.string("aws.cloudtrail.user_identity.session_context.session_issuer.arn"),
                  alert.string("aws.cloudtrail.user_identity.session_context.session_issuer.type").map { "(\($0))" }]
      .compactMap { $0 }.joined(separator: " ")
    field("Session issuer", issuer)
    field("MFA", alert.string("aws.cloudtrail.user_identity.session_context.mfa_authenticated"))
    field("Session created", alert.string("aws.cloudtrail.user_identity.session_context.creation_date"))
    field("Invoked by", alert.string("aws.cloudtrail.user_identity.invoked_by"))

    out.append(.blank)
    out.append(.section("Network"))
    field("Source IP", alert.string("source.ip") ?? alert.string("source.address"))
    field("ASN", alert.string("source.as.number"))
    field("ASN organisation", alert.string("source.as.organization.name"))
    field("Country", alert.string("source.geo.country_name") ?? alert.string("source.geo.country_iso_code"))
    field("Region name", alert.string("source.geo.region_name"))
    field("City", alert.string("source.geo.city_name"))
    if let location = alert.field("source.geo.location")?.objectValue,
      let lat = location["lat"]?.keywordText, let lon = location["lon"]?.keywordText {
      field("Location", "\(lat), \(lon)")
    }

    out.append(.blank)
    out.append(.section("Client"))
    field("User agent", alert.string("user_agent.original"))

    out.append(.blank)
    out.append(.section("Notes"))
    if state.drafts["note"] != nil { out.append(.text("(an unsaved draft is waiting; e opens it)")) }
    if state.notes.isEmpty && state.drafts["note"] == nil { out.append(.text("(none yet; e writes one)")) }
    for note in state.notes {
      // A long note is cut at the screen's edge here: y on any of its lines shows it whole,
      // wrapped and scrollable.
      var header = DetailLine.field(note.createdAt, note.author)
      header.whole = note.text
      out.append(header)
      for line in note.text.split(separator: "\n", omittingEmptySubsequences: false) {
        var text = DetailLine.text(String(line), indent: 1)
        text.whole = note.text
        out.append(text)
      }
    }
    return out
  }

  /// A related event (from the evidence) in the same sections as an alert, with where it was read
  /// instead of the alert summary.
  public static func eventLines(_ event: RelatedEvent) -> [DetailLine] {
    var document = event.document
    document.remove(path: "kibana")
    let body = lines(Alert(document: document), state: AlertTriage())
    var readFrom = DetailLine.field("Read from", event.location)
    readFrom.keepsEnd = true
    var out: [DetailLine] = [.section("Event"), .field("Time", event.time), .field("Action", event.action), readFrom]
    if let error = event.errorCode { out.append(.field("Error", error)) }
    // The alert's summary and notes sections do not apply to a plain event.
    if let function = body.firstIndex(where: { $0.kind == .section && $0.label == "Function" }),
      let notes = body.firstIndex(where: { $0.kind == .section && $0.label == "Notes" }) {
      out.append(.blank)
      out += body[function..<notes].dropLast(body[notes - 1].kind == .blank ? 1 : 0)
    }
    return withoutEmptySections(out)
  }

  /// A plain event often has nothing for a section an alert fills (no function for an STS call):
  /// such headings are left out, with the blank line before them.
  static func withoutEmptySections(_ lines: [DetailLine]) -> [DetailLine] {
    var out: [DetailLine] = []
    for (i, line) in lines.enumerated() {
      if line.kind == .section {
        let next = lines.indices.contains(i + 1) ? lines[i + 1] : nil
        if next == nil || next?.kind == .section || next?.kind == .blank {
          if out.last?.kind == .blank { out.removeLast() }
          continue
        }
      }
      out.append(line)
    }
    return out
  }

  /// A readable tree of a JSON object: scalars as `key: value`, objects and arrays as a labelled
  /// line with their members indented below.
  static func tree(_ object: JSONObject, indent: Int, into out: inout [DetailLine]) {
    for member in object.members { node(member.key, member.value, indent: indent, into: &out) }
  }

  private static func node(_ label: String, _ value: JSONValue, indent: Int, into out: inout [DetailLine]) {
    switch value {
    case .object(let child):
      out.append(.field(label, child.isEmpty ? "{}" : "", indent: indent))
      tree(child, indent: indent + 1, into: &out)
    case .array(let items):
      if items.allSatisfy({ $0.keywordText != nil }) {
        out.append(.field(label, items.compactMap(\.keywordText).joined(separator: ", "), indent: indent))
      } else {
        out.append(.field(label, items.isEmpty ? "[]" : "", indent: indent))
        for (i, item) in items.enumerated() { node("[\(i)]", item, indent: indent + 1, into: &out) }
      }
    case .null:
      out.append(.field(label, "null", indent: indent))
    case .bool, .number, .string:
      out.append(.field(label, value.keywordText ?? "", indent: indent))
    }
  }
}
