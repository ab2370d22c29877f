/// Compiles the KQL subset detection rules use: `field: value`, `field: "phrase"`, `field: prefix*`,
/// `field: *` (exists), `field: (a or b and not c)` (boolean over one field), `not`, `and`, `or`,
/// parentheses. On keyword fields every match is exact and case-sensitive; `*` is the only
/// wildcard. Range operators and free-text terms are rejected with a clear message.
public struct KQLParser {
  private var tokens: [QueryToken]
  private var index = 0

  public static func compile(_ query: String) throws(QueryError) -> QueryPredicate {
    var lexer = QueryLexer(query, language: .kuery)
    var parser = KQLParser(tokens: try lexer.tokenize())
    let predicate = try parser.parseOr(field: nil)
    guard parser.current.kind == .end else { throw parser.error("unexpected text") }
    return predicate
  }

  private init(tokens: [QueryToken]) { self.tokens = tokens }

  private var current: QueryToken { tokens[index] }
  private var next: QueryToken { tokens[min(index + 1, tokens.count - 1)] }

  private func error(_ message: String) -> QueryError {
    QueryError(language: .kuery, offset: current.offset, message: message)
  }

  private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

  private func isKeyword(_ keyword: String) -> Bool {
    if case .word(let w) = current.kind { return w.lowercased() == keyword && !current.rawText.contains("\\") }
    return false
  }

  /// With `field` set, the expression is a value list inside `field:( ... )`.
  private mutating func parseOr(field: String?) throws(QueryError) -> QueryPredicate {
    var terms = [try parseAnd(field: field)]
    while isKeyword("or") {
      advance()
      terms.append(try parseAnd(field: field))
    }
    return terms.count == 1 ? terms[0] : .any(terms)
  }

  private mutating func parseAnd(field: String?) throws(QueryError) -> QueryPredicate {
    var terms = [try parseNot(field: field)]
    while isKeyword("and") {
      advance()
      terms.append(try parseNot(field: field))
    }
    return terms.count == 1 ? terms[0] : .all(terms)
  }

  private mutating func parseNot(field: String?) throws(QueryError) -> QueryPredicate {
    if isKeyword("not") {
      advance()
      return .not(try parseNot(field: field))
    }
    if current.kind == .symbol("(") {
      advance()
      let inner = try parseOr(field: field)
      guard current.kind == .symbol(")") else { throw error("expected ')'") }
      advance()
      return inner
    }
    if let field { return try parseValue(field: field) }
    return try parseFieldClause()
  }

  private mutating func parseFieldClause() throws(QueryError) -> QueryPredicate {
    guard case .word(let field) = current.kind else {
      throw error("expected a field name")
    }
    guard next.kind == .symbol(":") else {
      if case .symbol(let op) = next.kind, ["<", "<=", ">", ">="].contains(op) {
        throw QueryError(language: .kuery, offset: next.offset, message: "range queries are not supported")
      }
      throw error("free-text search is not supported: write field: value")
    }
    if field.contains("*") { throw error("wildcard field names are not supported") }
    advance()
    advance()
    if current.kind == .symbol("(") {
      advance()
      let inner = try parseOr(field: field)
      guard current.kind == .symbol(")") else { throw error("expected ')'") }
      advance()
      return inner
    }
    return try parseValue(field: field)
  }

  private mutating func parseValue(field: String) throws(QueryError) -> QueryPredicate {
    switch current.kind {
    case .string(let phrase):
      advance()
      return .value(field: field, .equals(phrase, caseInsensitive: false))
    case .word(let word):
      let raw = current.rawText
      advance()
      if raw == "*" { return .exists(field: field) }
      let pattern = WildcardPattern(raw, caseInsensitive: false, questionMarkIsWildcard: false, escapes: true)
      return .value(field: field, pattern.hasWildcards ? .wildcard(pattern) : .equals(word, caseInsensitive: false))
    default:
      throw error("expected a value for \(field)")
    }
  }
}
