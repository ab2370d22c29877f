/// Compiles the EQL subset detection rules over ECS documents use: `<category> where <condition>`
/// with `and`/`or`/`not`, `==`, `!=`, `:` (case-insensitive, wildcards), `in`, and the string
/// functions `stringContains`, `startsWith`, `endsWith`, `wildcard` (each with a `~` variant).
/// Sequences, pipes and joins are rejected with a clear message.
public struct EQLParser {
  private var tokens: [QueryToken]
  private var index = 0

  public static func compile(_ query: String) throws(QueryError) -> QueryPredicate {
    var lexer = QueryLexer(query, language: .eql)
    var parser = EQLParser(tokens: try lexer.tokenize())
    return try parser.parseQuery()
  }

  private init(tokens: [QueryToken]) { self.tokens = tokens }

  private var current: QueryToken { tokens[index] }

  private func error(_ message: String) -> QueryError {
    QueryError(language: .eql, offset: current.offset, message: message)
  }

  private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

  private func isWord(_ word: String) -> Bool {
    if case .word(let w) = current.kind { return w.lowercased() == word }
    return false
  }

  private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

  private mutating func expectSymbol(_ symbol: String) throws(QueryError) {
    guard isSymbol(symbol) else { throw error("expected '\(symbol)'") }
    advance()
  }

  mutating func parseQuery() throws(QueryError) -> QueryPredicate {
    guard case .word(let category) = current.kind else { throw error("expected an event category such as 'any'") }
    if category.lowercased() == "sequence" || category.lowercased() == "sample" {
      throw error("\(category) queries are not supported")
    }
    advance()
    guard isWord("where") else { throw error("expected 'where'") }
    advance()
    let condition = try parseOr()
    guard current.kind == .end else {
      if isSymbol("|") { throw error("pipes are not supported") }
      throw error("unexpected text after the condition")
    }
    if category.lowercased() == "any" { return condition }
    return .all([.value(field: "event.category", .equals(category, caseInsensitive: false)), condition])
  }

  private mutating func parseOr() throws(QueryError) -> QueryPredicate {
    var terms = [try parseAnd()]
    while isWord("or") {
      advance()
      terms.append(try parseAnd())
    }
    return terms.count == 1 ? terms[0] : .any(terms)
  }

  private mutating func parseAnd() throws(QueryError) -> QueryPredicate {
    var terms = [try parseNot()]
    while isWord("and") {
      advance()
      terms.append(try parseNot())
    }
    return terms.count == 1 ? terms[0] : .all(terms)
  }

  private mutating func parseNot() throws(QueryError) -> QueryPredicate {
    if isWord("not") {
      advance()
      return .not(try parseNot())
    }
    return try parsePrimary()
  }

  private mutating func parsePrimary() throws(QueryError) -> QueryPredicate {
    if isSymbol("(") {
      advance()
      let inner = try parseOr()
      try expectSymbol(")")
      return inner
    }
    guard case .word(let name) = current.kind else { throw error("expected a field, a function or '('") }
    if name == "true" || name == "false" {
      advance()
      return .constant(name == "true")
    }
    advance()
    var insensitive = false
    if isSymbol("~") {
      insensitive = true
      advance()
    }
    if isSymbol("(") { return try parseFunction(name, caseInsensitive: insensitive) }
    if insensitive { throw error("'~' must follow a function name") }
    return try parseComparison(field: name)
  }

  private mutating func parseFunction(_ name: String, caseInsensitive: Bool) throws(QueryError) -> QueryPredicate {
    let nameOffset = current.offset
    advance()  // (
    guard case .word(let field) = current.kind else { throw error("expected a field as the first argument of \(name)") }
    advance()
    var arguments: [String] = []
    while isSymbol(",") {
      advance()
      guard case .string(let s) = current.kind else { throw error("expected a string argument") }
      arguments.append(s)
      advance()
    }
    try expectSymbol(")")
    guard !arguments.isEmpty else { throw QueryError(language: .eql, offset: nameOffset, message: "\(name) needs at least one string argument") }
    let tests: [ValueTest]
    switch name {
    case "stringContains": tests = arguments.map { .contains($0, caseInsensitive: caseInsensitive) }
    case "startsWith": tests = arguments.map { .startsWith($0, caseInsensitive: caseInsensitive) }
    case "endsWith": tests = arguments.map { .endsWith($0, caseInsensitive: caseInsensitive) }
    case "wildcard":
      tests = arguments.map { .wildcard(WildcardPattern($0, caseInsensitive: caseInsensitive, questionMarkIsWildcard: true)) }
    default:
      throw QueryError(language: .eql, offset: nameOffset, message: "function \(name) is not supported")
    }
    let predicates = tests.map { QueryPredicate.value(field: field, $0) }
    return predicates.count == 1 ? predicates[0] : .any(predicates)
  }

  private mutating func parseComparison(field: String) throws(QueryError) -> QueryPredicate {
    if isWord("not") {
      advance()
      guard isWord("in") else { throw error("expected 'in' after 'not'") }
      return .not(try parseIn(field: field))
    }
    if isWord("in") { return try parseIn(field: field) }
    guard case .symbol(let op) = current.kind else { throw error("expected a comparison operator after \(field)") }
    advance()
    switch op {
    case "==", "!=":
      let literal = try parseLiteral()
      guard let literal else {
        return op == "==" ? .not(.exists(field: field)) : .exists(field: field)
      }
      let test = QueryPredicate.value(field: field, .equals(literal, caseInsensitive: false))
      return op == "==" ? test : .not(test)
    case ":":
      let values: [String]
      if isSymbol("(") {
        advance()
        var list: [String] = []
        repeat {
          if isSymbol(",") { advance() }
          guard let v = try parseLiteral() else { throw error("null is not allowed in a ':' list") }
          list.append(v)
        } while isSymbol(",")
        try expectSymbol(")")
        values = list
      } else {
        guard let v = try parseLiteral() else { throw error("null is not allowed after ':'") }
        values = [v]
      }
      let predicates = values.map { v -> QueryPredicate in
        let pattern = WildcardPattern(v, caseInsensitive: true, questionMarkIsWildcard: true)
        return .value(field: field, pattern.hasWildcards ? .wildcard(pattern) : .equals(v, caseInsensitive: true))
      }
      return predicates.count == 1 ? predicates[0] : .any(predicates)
    default:
      throw error("operator \(op) is not supported")
    }
  }

  private mutating func parseIn(field: String) throws(QueryError) -> QueryPredicate {
    advance()
    let insensitive = isSymbol("~")
    if insensitive { advance() }
    try expectSymbol("(")
    var values: [String] = []
    repeat {
      if isSymbol(",") { advance() }
      guard let v = try parseLiteral() else { throw error("null is not allowed in an 'in' list") }
      values.append(v)
    } while isSymbol(",")
    try expectSymbol(")")
    return .any(values.map { .value(field: field, .equals($0, caseInsensitive: insensitive)) })
  }

  /// A string, number or boolean as keyword text; nil for `null`.
  private mutating func parseLiteral() throws(QueryError) -> String? {
    switch current.kind {
    case .string(let s):
      advance()
      return s
    case .word(let w):
      if w == "null" { advance(); return nil }
      if w == "true" || w == "false" || Double(w) != nil {
        advance()
        return w
      }
      throw error("expected a quoted string, a number or a boolean, found \(w)")
    default:
      throw error("expected a value")
    }
  }
}
