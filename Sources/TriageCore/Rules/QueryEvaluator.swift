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
  /// The predicate with each field's indexing limit and each test's case folding worked out once,
  /// not per event.
  private let compiled: Compiled

  public init(_ predicate: QueryPredicate) {
    self.predicate = predicate
    compiled = Compiled(predicate)
  }

  public func matches(_ document: JSONObject) -> Bool { compiled.evaluate(document) }

  /// The same answer for any reader of the event's fields.
  func matches(_ fields: some FieldReader) -> Bool { compiled.evaluate(fields) }

  private indirect enum Compiled: Sendable {
    case all([Compiled])
    case any([Compiled])
    case not(Compiled)
    case constant(Bool)
    case exists(field: FieldPath, limit: Int)
    /// A field's values against one test, or against alternatives on the same field
    /// (`f:(a* or b*)`, the rule's list of cloud providers): the field is looked up once and each
    /// value tried against every test, instead of a lookup per test.
    case value(field: FieldPath, limit: Int, [CompiledTest])

    init(_ predicate: QueryPredicate) {
      switch predicate {
      case .all(let terms): self = .all(terms.map(Compiled.init))
      case .any(let terms): self = Compiled.alternatives(terms)
      case .not(let inner): self = .not(Compiled(inner))
      case .constant(let value): self = .constant(value)
      case .exists(let field): self = .exists(field: FieldPath(field), limit: QueryEvaluator.limit(of: field))
      case .value(let field, let test): self = .value(field: FieldPath(field), limit: QueryEvaluator.limit(of: field), [CompiledTest(test)])
      }
    }

    /// `any` of the terms, with the value tests on the same field merged (in first-seen order;
    /// a disjunction holds when one term does, whatever the order).
    private static func alternatives(_ terms: [QueryPredicate]) -> Compiled {
      var merged: [Compiled] = []
      var slot: [String: Int] = [:]
      for term in terms {
        guard case .value(let field, let test) = term else {
          merged.append(Compiled(term))
          continue
        }
        if let i = slot[field], case .value(_, let limit, let tests) = merged[i] {
          merged[i] = .value(field: FieldPath(field), limit: limit, tests + [CompiledTest(test)])
        } else {
          slot[field] = merged.count
          merged.append(.value(field: FieldPath(field), limit: QueryEvaluator.limit(of: field), [CompiledTest(test)]))
        }
      }
      return .any(merged)
    }

    func evaluate(_ document: some FieldReader) -> Bool {
      switch self {
      case .all(let terms): return terms.allSatisfy { $0.evaluate(document) }
      case .any(let terms): return terms.contains { $0.evaluate(document) }
      case .not(let inner): return !inner.evaluate(document)
      case .constant(let value): return value
      case .exists(let field, let limit):
        guard let value = document.value(at: field) else { return false }
        if case .string(let text) = value { return QueryEvaluator.isIndexed(text, limit: limit) }
        var found = false
        QueryEvaluator.forEachIndexedValue(value, limit: limit) { _ in found = true }
        if found { return true }
        // An object field "exists" when any leaf below it does (e.g. `source.geo: *`).
        if case .object(let child) = value { return !child.isEmpty }
        return false
      case .value(let field, let limit, let tests):
        guard let value = document.value(at: field) else { return false }
        // A single string, nearly every value a rule tests: what the general walk below does for
        // it, without the walk.
        if case .string(let text) = value { return QueryEvaluator.isIndexed(text, limit: limit) && CompiledTest.anyMatches(tests, text) }
        var matched = false
        QueryEvaluator.forEachIndexedValue(value, limit: limit) { text in
          if !matched { matched = CompiledTest.anyMatches(tests, text) }
        }
        return matched
      }
    }
  }

  static func limit(of field: String) -> Int {
    unbounded.contains(field) ? Int.max : (ignoreAbove[field] ?? defaultIgnoreAbove)
  }

  /// Calls `body` with each indexed keyword value of a field (array elements one by one).
  static func forEachIndexedValue(of field: String, in document: JSONObject, _ body: (String) -> Void) {
    guard let value = document[path: field] else { return }
    forEachIndexedValue(value, limit: limit(of: field), body)
  }

  /// Whether a keyword value is indexed under its field's `ignore_above` limit, which counts
  /// characters (UTF-16 units in Lucene's Java strings).
  static func isIndexed(_ text: String, limit: Int) -> Bool {
    limit == Int.max || text.utf16.count <= limit
  }

  static func forEachIndexedValue(_ value: JSONValue, limit: Int, _ body: (String) -> Void) {
    func visit(_ value: JSONValue) {
      switch value {
      case .array(let elements): elements.forEach(visit)
      case .object, .null: return
      default:
        guard let text = value.keywordText, isIndexed(text, limit: limit) else { return }
        body(text)
      }
    }
    visit(value)
  }
}
