/// Evaluates a compiled query against an ECS document with Elasticsearch's semantics: a field
/// matches if any of its values does; a missing field matches no positive test; negation is
/// `must_not`, so it holds for documents without the field.
public struct QueryEvaluator: Sendable {
  /// Keyword fields are not indexed beyond `ignore_above` characters, so such values match no
  /// query (the AWS integration maps the payload strings with 8191; ECS keyword fields use 1024).
  public static let ignoreAbove: [String: Int] = [
    "aws.cloudtrail.request_parameters": 8191,
    "aws.cloudtrail.response_elements": 8191,
  ]
  public static let defaultIgnoreAbove = 1024
  /// Fields mapped as text or not indexed, where ignore_above does not apply.
  static let unbounded: Set<String> = ["aws.cloudtrail.additional_eventdata", "aws.cloudtrail.service_event_details", "event.original", "message"]

  public let predicate: QueryPredicate

  public init(_ predicate: QueryPredicate) { self.predicate = predicate }

  public func matches(_ document: JSONObject) -> Bool { evaluate(predicate, document) }

  private func evaluate(_ predicate: QueryPredicate, _ document: JSONObject) -> Bool {
    switch predicate {
    case .all(let terms): return terms.allSatisfy { evaluate($0, document) }
    case .any(let terms): return terms.contains { evaluate($0, document) }
    case .not(let inner): return !evaluate(inner, document)
    case .constant(let value): return value
    case .exists(let field):
      var found = false
      Self.forEachIndexedValue(of: field, in: document) { _ in found = true }
      if found { return true }
      // An object field "exists" when any leaf below it does (e.g. `source.geo: *`).
      if case .object(let child)? = document[path: field] { return !child.isEmpty }
      return false
    case .value(let field, let test):
      var matched = false
      Self.forEachIndexedValue(of: field, in: document) { value in
        if !matched && test.matches(value) { matched = true }
      }
      return matched
    }
  }

  /// Calls `body` with each indexed keyword value of a field (array elements one by one).
  static func forEachIndexedValue(of field: String, in document: JSONObject, _ body: (String) -> Void) {
    guard let value = document[path: field] else { return }
    let limit = unbounded.contains(field) ? Int.max : (ignoreAbove[field] ?? defaultIgnoreAbove)
    func visit(_ value: JSONValue) {
      switch value {
      case .array(let elements): elements.forEach(visit)
      case .object, .null: return
      default:
        guard let text = value.keywordText else { return }
        // ignore_above counts characters (UTF-16 units in Lucene's Java strings).
        if limit != Int.max && text.utf16.count > limit { return }
        body(text)
      }
    }
    visit(value)
  }
}
