/// The state file's JSON: pretty-printed, keys in a fixed order, so a diff of two saves shows
/// exactly what the analyst changed.
///
/// ```json
/// { "schemaVersion": 1, "tool": "lambda-triage", "inputs": ["Samples/"], "exclusions": [],
///   "alerts": [ { "uuid": "…", "status": "closed", "reason": "false_positive",
///                 "noLongerProduced": false, "updatedAt": "…",
///                 "steps": { "step-1": { "status": "done", "note": "…" } },
///                 "notes": [ { "createdAt": "…", "author": "ana", "text": "…" } ],
///                 "drafts": {}, "document": { …the Kibana alert document… } } ] }
/// ```
public enum StateFileCodec {
  public static func encode(_ session: TriageSession) -> String {
    var root = JSONObject()
    root["schemaVersion"] = .number(JSONNumber(TriageSession.schemaVersion))
    root["tool"] = .string("lambda-triage")
    root["inputs"] = .array(session.inputs.map { .string($0) })
    root["exclusions"] = .array(session.exclusions.map(ExclusionCodec.encode))
    root["alerts"] = .array(session.alerts.map { encode($0, session.state(of: $0.uuid)) })
    return JSONWriter.pretty(.object(root)) + "\n"
  }

  static func encode(_ alert: Alert, _ state: AlertTriage) -> JSONValue {
    var entry = JSONObject()
    entry["uuid"] = .string(alert.uuid)
    entry["status"] = .string(state.status.rawValue)
    entry["reason"] = state.reason.map { .string($0.rawValue) } ?? .null
    entry["noLongerProduced"] = .bool(state.isGone)
    entry["updatedAt"] = state.updatedAt.map { .string($0) } ?? .null
    var steps = JSONObject()
    for key in state.steps.keys.sorted() {
      guard let step = state.steps[key] else { continue }
      steps[key] = .object(JSONObject([
        JSONMember("status", .string(step.status.rawValue)), JSONMember("note", .string(step.note)),
      ]))
    }
    entry["steps"] = .object(steps)
    entry["notes"] = .array(state.notes.map { note in
      .object(JSONObject([
        JSONMember("createdAt", .string(note.createdAt)), JSONMember("author", .string(note.author)),
        JSONMember("text", .string(note.text)),
      ]))
    })
    var drafts = JSONObject()
    for key in state.drafts.keys.sorted() { drafts[key] = state.drafts[key].map { .string($0) } }
    entry["drafts"] = .object(drafts)
    entry["document"] = .object(alert.document)
    return .object(entry)
  }

  /// Decodes file text. `file` only labels errors.
  public static func decode(_ bytes: [UInt8], file: String) throws(StateFileError) -> TriageSession {
    let value: JSONValue
    do { value = try JSONParser.parse(bytes) } catch {
      let (line, column) = position(of: error.offset, in: bytes)
      throw .unparsable(file: file, line: line, column: column, reason: reasonText(error))
    }
    let reader = Reader(file: file)
    guard case .object(let root) = value else { throw reader.fail("$", "the top level must be an object") }
    // The version is checked before anything else, so a newer file is reported as newer rather
    // than as malformed.
    guard case .number(let versionNumber)? = root["schemaVersion"], let version = versionNumber.intValue else {
      throw reader.fail("schemaVersion", "missing or not an integer")
    }
    if version > TriageSession.schemaVersion {
      throw .newerSchema(file: file, found: version, supported: TriageSession.schemaVersion)
    }
    if version < 1 { throw reader.fail("schemaVersion", "must be 1 or more, found \(version)") }

    let inputs = try reader.strings(root["inputs"], at: "inputs")
    var exclusions: [Exclusion] = []
    if let list = root["exclusions"] {
      guard case .array(let items) = list else { throw reader.fail("exclusions", "must be an array") }
      for (i, item) in items.enumerated() {
        do { exclusions.append(try ExclusionCodec.decode(item, path: "exclusions", index: i)) } catch {
          throw .invalidContent(file: file, path: error.path, reason: error.message)
        }
      }
    }
    guard case .array(let entries)? = root["alerts"] else { throw reader.fail("alerts", "missing or not an array") }
    var alerts: [Alert] = []
    var states: [(String, AlertTriage)] = []
    alerts.reserveCapacity(entries.count)
    for (i, entryValue) in entries.enumerated() {
      let at = "alerts[\(i)]"
      guard case .object(let entry) = entryValue else { throw reader.fail(at, "must be an object") }
      guard case .object(let document)? = entry["document"] else { throw reader.fail("\(at).document", "missing or not an object") }
      let alert = Alert(document: document)
      guard !alert.uuid.isEmpty else { throw reader.fail("\(at).document", "has no kibana.alert.uuid") }
      if let uuid = entry["uuid"]?.stringValue, uuid != alert.uuid {
        throw reader.fail("\(at).uuid", "\(uuid) differs from the document's kibana.alert.uuid \(alert.uuid)")
      }
      alerts.append(alert)
      states.append((alert.uuid, try reader.triage(entry, at: at)))
    }
    var session = TriageSession(alerts: alerts, exclusions: exclusions, inputs: inputs)
    for (uuid, state) in states where state != AlertTriage() { session.restore(state, for: uuid) }
    return session
  }

  /// 1-based line and column (in characters of the line, counted by scalar) of a byte offset.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    let end = min(offset, bytes.count)
    for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    // Continuation bytes do not start a character.
    let column = bytes[lineStart..<end].filter { $0 & 0xC0 != 0x80 }.count + 1
    return (line, column)
  }

  private static func reasonText(_ error: JSONError) -> String {
    // JSONError's description ends with "at byte N"; the caller reports line and column instead.
    var text = error.description
    if text.hasPrefix("invalid JSON: ") { text.removeFirst("invalid JSON: ".count) }
    if let range = text.range(of: " at byte ", options: .backwards) { text = String(text[..<range.lowerBound]) }
    return text
  }

  private struct Reader {
    let file: String

    func fail(_ path: String, _ reason: String) -> StateFileError {
      .invalidContent(file: file, path: path, reason: reason)
    }

    func strings(_ value: JSONValue?, at path: String) throws(StateFileError) -> [String] {
      guard let value else { return [] }
      guard case .array(let items) = value else { throw fail(path, "must be an array of strings") }
      var out: [String] = []
      for (i, item) in items.enumerated() {
        guard let text = item.stringValue else { throw fail("\(path)[\(i)]", "must be a string") }
        out.append(text)
      }
      return out
    }

    func string(_ object: JSONObject, _ key: String, at path: String) throws(StateFileError) -> String? {
      guard let value = object[key], !value.isNull else { return nil }
      guard let text = value.stringValue else { throw fail("\(path).\(key)", "must be a string") }
      return text
    }

    func triage(_ entry: JSONObject, at path: String) throws(StateFileError) -> AlertTriage {
      var state = AlertTriage()
      if let raw = try string(entry, "status", at: path) {
        guard let status = AlertStatus(rawValue: raw) else {
          throw fail("\(path).status", "unknown status \"\(raw)\" (expected open, acknowledged or closed)")
        }
        state.status = status
      }
      if let raw = try string(entry, "reason", at: path) {
        guard let reason = CloseReason(rawValue: raw) else {
          throw fail("\(path).reason", "unknown reason \"\(raw)\" (expected \(CloseReason.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        state.reason = reason
      }
      if let gone = entry["noLongerProduced"], !gone.isNull {
        guard case .bool(let flag) = gone else { throw fail("\(path).noLongerProduced", "must be true or false") }
        state.isGone = flag
      }
      state.updatedAt = try string(entry, "updatedAt", at: path)
      if let stepsValue = entry["steps"], !stepsValue.isNull {
        guard case .object(let steps) = stepsValue else { throw fail("\(path).steps", "must be an object") }
        for member in steps.members {
          let stepPath = "\(path).steps.\(member.key)"
          guard case .object(let step) = member.value else { throw fail(stepPath, "must be an object") }
          var stepState = StepState()
          if let raw = try string(step, "status", at: stepPath) {
            guard let status = StepStatus(rawValue: raw) else {
              throw fail("\(stepPath).status", "unknown step status \"\(raw)\" (expected open, done or not_applicable)")
            }
            stepState.status = status
          }
          stepState.note = try string(step, "note", at: stepPath) ?? ""
          state.steps[member.key] = stepState
        }
      }
      if let notesValue = entry["notes"], !notesValue.isNull {
        guard case .array(let notes) = notesValue else { throw fail("\(path).notes", "must be an array") }
        for (i, noteValue) in notes.enumerated() {
          let notePath = "\(path).notes[\(i)]"
          guard case .object(let note) = noteValue else { throw fail(notePath, "must be an object") }
          state.notes.append(TriageNote(
            author: try string(note, "author", at: notePath) ?? "",
            createdAt: try string(note, "createdAt", at: notePath) ?? "",
            text: try string(note, "text", at: notePath) ?? ""))
        }
      }
      if let draftsValue = entry["drafts"], !draftsValue.isNull {
        guard case .object(let drafts) = draftsValue else { throw fail("\(path).drafts", "must be an object") }
        for member in drafts.members {
          guard let text = member.value.stringValue else { throw fail("\(path).drafts.\(member.key)", "must be a string") }
          state.drafts[member.key] = text
        }
      }
      return state
    }
  }
}
