/// An analyst's decision that some events are expected: shaped like an Elastic exception item so
/// it can be exported to Kibana unchanged in meaning. Entries are ANDed; exclusions are ORed.
public struct Exclusion: Sendable, Equatable, Identifiable {
  public var id: String
  public var name: String
  /// The rules it applies to (one, or both).
  public var ruleIDs: [String]
  public var entries: [ExclusionEntry]
  /// Why it is safe; required.
  public var comment: String
  public var author: String
  /// ISO 8601.
  public var createdAt: String
  public var isEnabled: Bool
  /// ISO 8601; an expired exclusion no longer applies (as in Elastic).
  public var expiresAt: String?

  public init(id: String, name: String, ruleIDs: [String], entries: [ExclusionEntry], comment: String, author: String, createdAt: String, isEnabled: Bool = true, expiresAt: String? = nil) {
    self.id = id
    self.name = name
    self.ruleIDs = ruleIDs
    self.entries = entries
    self.comment = comment
    self.author = author
    self.createdAt = createdAt
    self.isEnabled = isEnabled
    self.expiresAt = expiresAt
  }

  /// Whether it is in force at `now` (epoch ms) for `ruleID`.
  public func applies(to ruleID: String, at now: Int64) -> Bool {
    guard isEnabled, ruleIDs.contains(ruleID), !entries.isEmpty else { return false }
    if let expiresAt, let expiry = Timestamp.parseMillis(expiresAt), expiry <= now { return false }
    return true
  }

  /// True when every entry holds for the document.
  public func matches(_ document: JSONObject) -> Bool {
    entries.allSatisfy { $0.matches(document) }
  }
}

/// One condition of an exclusion, with Elastic's exception-entry vocabulary.
public struct ExclusionEntry: Sendable, Equatable {
  public enum Operator: String, Sendable, Equatable { case included, excluded }
  public enum Kind: Sendable, Equatable {
    /// "is": exact, case-sensitive.
    case match(String)
    /// "is one of".
    case matchAny([String])
    /// "matches": `*` and `?`, case-sensitive.
    case wildcard(String)
    /// "exists".
    case exists
  }

  public var field: String
  public var op: Operator
  public var kind: Kind

  public init(field: String, op: Operator = .included, kind: Kind) {
    self.field = field
    self.op = op
    self.kind = kind
  }

  public var typeName: String {
    switch kind {
    case .match: return "match"
    case .matchAny: return "match_any"
    case .wildcard: return "wildcard"
    case .exists: return "exists"
    }
  }

  /// `included` holds when some value of the field satisfies the test; `excluded` is its
  /// negation, so it holds when the field is missing.
  public func matches(_ document: JSONObject) -> Bool {
    let positive: Bool
    switch kind {
    case .exists:
      var found = false
      QueryEvaluator.forEachIndexedValue(of: field, in: document) { _ in found = true }
      positive = found
    case .match(let value):
      positive = anyValue(document) { $0 == value }
    case .matchAny(let values):
      let set = Set(values)
      positive = anyValue(document) { set.contains($0) }
    case .wildcard(let pattern):
      let compiled = WildcardPattern(pattern, caseInsensitive: false, questionMarkIsWildcard: true)
      positive = anyValue(document) { compiled.matches($0) }
    }
    return op == .included ? positive : !positive
  }

  private func anyValue(_ document: JSONObject, _ test: (String) -> Bool) -> Bool {
    var hit = false
    QueryEvaluator.forEachIndexedValue(of: field, in: document) { if !hit && test($0) { hit = true } }
    return hit
  }

  /// How the console and reports spell it: `source.as.organization.name is "Acme"`.
  public var summary: String {
    let not = op == .excluded ? "not " : ""
    switch kind {
    case .match(let v): return "\(field) \(not)is \"\(v)\""
    case .matchAny(let vs): return "\(field) \(not)is one of [\(vs.map { "\"\($0)\"" }.joined(separator: ", "))]"
    case .wildcard(let p): return "\(field) \(not)matches \"\(p)\""
    case .exists: return op == .excluded ? "\(field) does not exist" : "\(field) exists"
    }
  }
}
