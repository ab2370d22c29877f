/// Reads and writes exclusions as JSON (the state file's `exclusions` array, or a team file of
/// the same schema: `{"schemaVersion":1,"exclusions":[...]}`).
public enum ExclusionCodec {
  public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
  }

  public static func encode(_ exclusion: Exclusion) -> JSONValue {
    var object = JSONObject()
    object["id"] = .string(exclusion.id)
    object["name"] = .string(exclusion.name)
    object["rule_ids"] = .array(exclusion.ruleIDs.map { .string($0) })
    object["entries"] = .array(exclusion.entries.map(encode))
    object["comment"] = .string(exclusion.comment)
    object["created_by"] = .string(exclusion.author)
    object["created_at"] = .string(exclusion.createdAt)
    object["enabled"] = .bool(exclusion.isEnabled)
    if let expires = exclusion.expiresAt { object["expire_time"] = .string(expires) }
    return .object(object)
  }

  /// An entry in Elastic's exception-entry form.
  public static func encode(_ entry: ExclusionEntry) -> JSONValue {
    var object = JSONObject()
    object["field"] = .string(entry.field)
    object["operator"] = .string(entry.op.rawValue)
    object["type"] = .string(entry.typeName)
    switch entry.kind {
    case .match(let v), .wildcard(let v): object["value"] = .string(v)
    case .matchAny(let vs): object["value"] = .array(vs.map { .string($0) })
    case .exists: break
    }
    return .object(object)
  }

  /// `shared`: from a team's exclusions file, written by hand or by other tools, so held to what
  /// Elastic's import needs and to the rules this tool runs (a session's own exclusions may name
  /// an imported alert's rule).
  public static func decode(_ value: JSONValue, path: String, index: Int, shared: Bool = false) throws(DecodeError) -> Exclusion {
    let at = "exclusions[\(index)]"
    guard case .object(let object) = value else { throw DecodeError(path: path, message: "\(at) is not an object") }
    func string(_ key: String) throws(DecodeError) -> String {
      guard let s = object[key]?.stringValue else { throw DecodeError(path: path, message: "\(at).\(key) is missing or not a string") }
      return s
    }
    guard case .array(let ruleIDs)? = object["rule_ids"], !ruleIDs.isEmpty, ruleIDs.allSatisfy({ $0.stringValue?.isEmpty == false }) else {
      throw DecodeError(path: path, message: "\(at).rule_ids must be a non-empty array of rule ids (strings)")
    }
    if shared, let unknown = ruleIDs.compactMap(\.stringValue).first(where: { BuiltinRules.rule(id: $0) == nil }) {
      let known = BuiltinRules.all.map { "\($0.ruleID) (\($0.shortName))" }.joined(separator: ", ")
      throw DecodeError(path: path, message: "\(at).rule_ids: \(unknown) is not a rule lambda-triage runs; use \(known)")
    }
    if let enabled = object["enabled"], enabled != .bool(true), enabled != .bool(false) {
      throw DecodeError(path: path, message: "\(at).enabled must be true or false")
    }
    if let expires = object["expire_time"], expires.stringValue.flatMap(Timestamp.parseMillis) == nil {
      throw DecodeError(path: path, message: "\(at).expire_time must be an ISO 8601 time (e.g. 2027-01-01T00:00:00Z)")
    }
    if shared {
      guard object["created_by"]?.stringValue?.isEmpty == false else { throw DecodeError(path: path, message: "\(at).created_by is missing: say who wrote the exclusion") }
      guard object["created_at"]?.stringValue.flatMap(Timestamp.parseMillis) != nil else {
        throw DecodeError(path: path, message: "\(at).created_at must be an ISO 8601 time")
      }
    }
    guard case .array(let rawEntries)? = object["entries"], !rawEntries.isEmpty else {
      throw DecodeError(path: path, message: "\(at).entries must be a non-empty array")
    }
    var entries: [ExclusionEntry] = []
    for (n, raw) in rawEntries.enumerated() {
      entries.append(try decodeEntry(raw, path: path, at: "\(at).entries[\(n)]"))
    }
    let comment = try string("comment")
    guard !comment.trimmingWhitespace.isEmpty else { throw DecodeError(path: path, message: "\(at).comment is empty; say why the exclusion is safe") }
    let id = try string("id")
    guard !id.isEmpty else { throw DecodeError(path: path, message: "\(at).id is empty") }
    return Exclusion(
      id: id, name: object["name"]?.stringValue ?? "", ruleIDs: ruleIDs.compactMap(\.stringValue),
      entries: entries, comment: comment, author: object["created_by"]?.stringValue ?? "",
      createdAt: object["created_at"]?.stringValue ?? "", isEnabled: object["enabled"].map { $0 != .bool(false) } ?? true,
      expiresAt: object["expire_time"]?.stringValue)
  }

  static func decodeEntry(_ value: JSONValue, path: String, at: String) throws(DecodeError) -> ExclusionEntry {
    guard case .object(let object) = value, let field = object["field"]?.stringValue, !field.isEmpty else {
      throw DecodeError(path: path, message: "\(at) needs a field")
    }
    guard let op = ExclusionEntry.Operator(rawValue: object["operator"]?.stringValue ?? "included") else {
      throw DecodeError(path: path, message: "\(at).operator must be included or excluded")
    }
    let kind: ExclusionEntry.Kind
    switch object["type"]?.stringValue {
    case "match":
      guard let v = object["value"]?.stringValue else { throw DecodeError(path: path, message: "\(at).value must be a string") }
      kind = .match(v)
    case "match_any":
      guard case .array(let vs)? = object["value"], !vs.isEmpty, vs.allSatisfy({ $0.stringValue != nil }) else {
        throw DecodeError(path: path, message: "\(at).value must be a non-empty array of strings")
      }
      kind = .matchAny(vs.compactMap(\.stringValue))
    case "wildcard":
      guard let v = object["value"]?.stringValue else { throw DecodeError(path: path, message: "\(at).value must be a string") }
      kind = .wildcard(v)
    case "exists":
      kind = .exists
    case let other:
      throw DecodeError(path: path, message: "\(at).type \(other.map { "\"\($0)\"" } ?? "(missing)") is not one of match, match_any, wildcard, exists")
    }
    return ExclusionEntry(field: field, op: op, kind: kind)
  }

  /// A team exclusions file: `{"schemaVersion":1,"exclusions":[...]}` (a state file works too).
  public static func load(path: String) throws(DecodeError) -> [Exclusion] {
    guard let data = FileBytes.read(path) else { throw DecodeError(path: path, message: "cannot read the file") }
    let value: JSONValue
    do { value = try JSONParser.parse(data) } catch { throw DecodeError(path: path, message: "\(error)") }
    guard case .object(let root) = value else { throw DecodeError(path: path, message: "expected a JSON object with an \"exclusions\" array") }
    if let raw = root["schemaVersion"] {
      guard let version = raw.keywordText.flatMap({ Int($0) }) else { throw DecodeError(path: path, message: "schemaVersion must be a number (1)") }
      if version > 1 { throw DecodeError(path: path, message: "schemaVersion \(version) is newer than this lambda-triage understands (1)") }
    }
    // A misspelt key would otherwise leave the team's exclusions silently unapplied.
    guard case .array(let list)? = root["exclusions"] else {
      throw DecodeError(path: path, message: "expected an \"exclusions\" array at the top level (schema: {\"schemaVersion\":1,\"exclusions\":[...]})")
    }
    var result: [Exclusion] = []
    var ids = Set<String>()
    for (i, item) in list.enumerated() {
      let exclusion = try decode(item, path: path, index: i, shared: true)
      guard ids.insert(exclusion.id).inserted else { throw DecodeError(path: path, message: "exclusions[\(i)].id \(exclusion.id) is used twice (Kibana keeps only one item per id)") }
      result.append(exclusion)
    }
    return result
  }

  public static func fileContents(_ exclusions: [Exclusion]) -> String {
    var root = JSONObject()
    root["schemaVersion"] = .number(JSONNumber(1))
    root["exclusions"] = .array(exclusions.map(encode))
    return JSONWriter.pretty(.object(root)) + "\n"
  }
}

extension String {
  var trimmingWhitespace: Substring {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    return Substring(scalars[first...last])
  }
}
