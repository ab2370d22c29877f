/// A rule query compiled to a predicate over one ECS document. EQL and KQL both compile to this, so
/// one evaluator carries Elasticsearch's semantics for missing fields and multi-valued fields.
public indirect enum QueryPredicate: Sendable, Equatable {
  case all([QueryPredicate])
  case any([QueryPredicate])
  /// Elasticsearch runs negations as `must_not`: a document missing the field matches.
  case not(QueryPredicate)
  /// The field has at least one indexed value.
  case exists(field: String)
  /// Some value of the field satisfies the test.
  case value(field: String, ValueTest)
  case constant(Bool)
}

/// A test on one keyword value.
public enum ValueTest: Sendable, Equatable {
  case equals(String, caseInsensitive: Bool)
  case wildcard(WildcardPattern)
  case contains(String, caseInsensitive: Bool)
  case startsWith(String, caseInsensitive: Bool)
  case endsWith(String, caseInsensitive: Bool)

  public func matches(_ value: String) -> Bool {
    switch self {
    case .equals(let expected, let insensitive):
      return insensitive ? value.lowercased() == expected.lowercased() : value == expected
    case .wildcard(let pattern):
      return pattern.matches(value)
    case .contains(let needle, let insensitive):
      if needle.isEmpty { return true }
      return insensitive ? value.lowercased().contains(needle.lowercased()) : value.containsBytes(needle)
    case .startsWith(let prefix, let insensitive):
      return insensitive ? value.lowercased().hasPrefix(prefix.lowercased()) : value.utf8.starts(with: prefix.utf8)
    case .endsWith(let suffix, let insensitive):
      return insensitive ? value.lowercased().hasSuffix(suffix.lowercased()) : value.utf8.reversed().starts(with: suffix.utf8.reversed())
    }
  }
}

extension QueryPredicate {
  /// Every field the predicate reads.
  public var fields: Set<String> {
    switch self {
    case .all(let parts), .any(let parts): return parts.reduce(into: []) { $0.formUnion($1.fields) }
    case .not(let inner): return inner.fields
    case .exists(let field), .value(let field, _): return [field]
    case .constant: return []
    }
  }
}
