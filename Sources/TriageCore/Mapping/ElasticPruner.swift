/// The AWS integration's first pipeline step (REF, 8.9.0): recursively drop null, `""`, `"-"`
/// and `"none"` (exact, case-sensitive) from maps and lists, then maps and lists left empty,
/// post-order, so `{"a":{"b":null}}` loses `a`. Key counts as parsed are kept: they still decide
/// the HashMap rendering order.
public enum ElasticPruner {
  public enum Variant: Sendable {
    /// Older pipelines (before integrations 0b97ab02) drop only null and `""`.
    case nullAndEmpty
    /// REF: also `"-"` and `"none"`.
    case nullEmptyDashNone
  }

  /// nil when the value itself is pruned.
  public static func prune(_ value: JSONValue, _ variant: Variant = .nullEmptyDashNone) -> JSONValue? {
    switch value {
    case .null: return nil
    case .string(let s):
      if s.isEmpty { return nil }
      if variant == .nullEmptyDashNone && (s == "-" || s == "none") { return nil }
      return value
    case .bool, .number: return value
    case .array(let elements):
      let kept = elements.compactMap { prune($0, variant) }
      return kept.isEmpty ? nil : .array(kept)
    case .object(let object):
      var kept = JSONObject([], parsedKeyCount: object.parsedKeyCount)
      kept.members.reserveCapacity(object.members.count)
      for member in object.members {
        if let v = prune(member.value, variant) { kept.members.append(JSONMember(member.key, v)) }
      }
      return kept.members.isEmpty ? nil : .object(kept)
    }
  }

  public static func prune(_ object: JSONObject, _ variant: Variant = .nullEmptyDashNone) -> JSONObject {
    prune(.object(object), variant)?.objectValue ?? JSONObject([], parsedKeyCount: object.parsedKeyCount)
  }
}
