import TriageCore

/// An exclusion form's unsaved text, kept in the alert's drafts when the terminal closes mid-form
/// (as the note editor's is), so the conditions and comment typed are offered again next time
/// `x` is pressed on that alert. Stored as one JSON string: the state file's drafts are text.
extension ExclusionFormState {
  static let draftKey = "exclusion"

  var draftText: String {
    let conditions: [JSONValue] = conditions.map { condition in
      .object(JSONObject([
        JSONMember("field", .string(condition.field)),
        JSONMember("op", .string(condition.op.rawValue)),
        JSONMember("value", .string(condition.value)),
      ]))
    }
    return JSONWriter.compact(.object(JSONObject([
      JSONMember("conditions", .array(conditions)),
      JSONMember("scope", .string(scope == .allRules ? "all" : "this")),
      JSONMember("comment", .string(comment)),
    ])))
  }

  /// The form for the alert from a draft: at the form, with the comment focused, and counted as
  /// changed (Esc asks before throwing it away). Nil when the text is not a draft this writes.
  static func restoring(_ text: String, uuid: String, ruleID: String, proposals: [ExclusionProposal]) -> ExclusionFormState? {
    guard let root = (try? JSONParser.parse(text))?.objectValue, case .array(let items)? = root["conditions"],
          let comment = root["comment"]?.stringValue
    else { return nil }
    var conditions: [Condition] = []
    for item in items {
      guard let object = item.objectValue, let field = object["field"]?.stringValue,
            let op = object["op"]?.stringValue.flatMap(Operator.init(rawValue:)), let value = object["value"]?.stringValue
      else { return nil }
      conditions.append(Condition(field: field, op: op, value: value))
    }
    var form = ExclusionFormState(uuid: uuid, ruleID: ruleID, proposals: proposals)
    form.stage = .form
    form.conditions = conditions
    form.scope = root["scope"]?.stringValue == "all" ? .allRules : .thisRule
    form.comment = comment
    form.focus = conditions.count
    return form
  }
}
