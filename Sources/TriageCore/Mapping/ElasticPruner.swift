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
    let (kept, changed) = pruned(value, variant)
    return changed ? kept : value
  }

  /// The pruned value and whether it differs: unchanged containers are shared rather than
  /// rebuilt (most records lose a null or two at most), and each value is visited once.
  private static func pruned(_ value: JSONValue, _ variant: Variant) -> (JSONValue?, changed: Bool) {
    switch value {
    case .null: return (nil, true)
    case .string(let s):
      if s.isEmpty { return (nil, true) }
      if variant == .nullEmptyDashNone && (s == "-" || s == "none") { return (nil, true) }
      return (value, false)
    case .bool, .number: return (value, false)
    case .array(let elements):
      var kept: [JSONValue]? = nil
      for (i, element) in elements.enumerated() {
        let (v, changed) = pruned(element, variant)
        if kept == nil {
          guard changed else { continue }
          kept = Array(elements[..<i])
        }
        if let v { kept!.append(v) }
      }
      guard let kept else { return (elements.isEmpty ? nil : value, elements.isEmpty) }
      return (kept.isEmpty ? nil : .array(kept), true)
    case .object(let object):
      var kept: [JSONMember]? = nil
      for (i, member) in object.members.enumerated() {
        let (v, changed) = pruned(member.value, variant)
        if kept == nil {
          guard changed else { continue }
          kept = Array(object.members[..<i])
          kept!.reserveCapacity(object.members.count)
        }
        if let v { kept!.append(JSONMember(member.key, v)) }
      }
      guard let kept else { return (object.members.isEmpty ? nil : value, object.members.isEmpty) }
      return (kept.isEmpty ? nil : .object(JSONObject(kept, parsedKeyCount: object.parsedKeyCount)), true)
    }
  }

  public static func prune(_ object: JSONObject, _ variant: Variant = .nullEmptyDashNone) -> JSONObject {
    prune(.object(object), variant)?.objectValue ?? JSONObject([], parsedKeyCount: object.parsedKeyCount)
  }
}
