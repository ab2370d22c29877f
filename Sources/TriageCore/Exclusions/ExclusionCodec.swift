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

  public static func decode(_ value: JSONValue, path: String, index: Int) throws(DecodeError) -> Exclusion {
    let at = "exclusions[\(index)]"
    guard case .object(let object) = value else { throw DecodeError(path: path, message: "\(at) is not an object") }
    func string(_ key: String) throws(DecodeError) -> String {
      guard let s = object[key]?.stringValue else { throw DecodeError(path: path, message: "\(at).\(key) is missing or not a string") }
      return s
    }
    guard case .array(let ruleIDs)? = object["rule_ids"], !ruleIDs.isEmpty else {
      throw DecodeError(path: path, message: "\(at).rule_ids must be a non-empty array")
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
    return Exclusion(
      id: try string("id"), name: object["name"]?.stringValue ?? "", ruleIDs: ruleIDs.compactMap(\.stringValue),
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
    if let version = root["schemaVersion"]?.keywordText.flatMap({ Int($0) }), version > 1 {
      throw DecodeError(path: path, message: "schemaVersion \(version) is newer than this lambda-triage understands (1)")
    }
    guard case .array(let list)? = root["exclusions"] else { return [] }
    var result: [Exclusion] = []
    for (i, item) in list.enumerated() { result.append(try decode(item, path: path, index: i)) }
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
