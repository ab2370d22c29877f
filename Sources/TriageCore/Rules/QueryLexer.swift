/// Tokens shared by the EQL and KQL parsers.
struct QueryToken: Equatable {
  enum Kind: Equatable {
    case word(String)        // identifiers, field names, bare KQL values, keywords
    case string(String)      // quoted
    case symbol(String)      // ( ) , : == != < <= > >= ~ 
    case end
  }
  let kind: Kind
  let offset: Int
  /// For bare KQL words: the positions of unescaped `*`, since `\*` is a literal star.
  var rawText: String = ""
}

/// A small hand-written lexer; `bareWordCharacters` differ between the languages (KQL values may
/// contain `*`, `-`, `/` and more).
struct QueryLexer {
  let scalars: [Unicode.Scalar]
  let language: DetectionRule.Language
  var position = 0

  init(_ text: String, language: DetectionRule.Language) {
    scalars = Array(text.unicodeScalars)
    self.language = language
  }

  func error(_ message: String, at offset: Int) -> QueryError {
    QueryError(language: language, offset: offset, message: message)
  }

  /// Characters that end a bare word. KQL values may hold most punctuation (`a-b`, `x=y`).
  private var delimiters: String { language == .eql ? "()\":,<>=!~[]{}|" : "()\":<>{}" }

  mutating func tokenize() throws(QueryError) -> [QueryToken] {
    var tokens: [QueryToken] = []
    while true {
      while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
      guard position < scalars.count else {
        tokens.append(QueryToken(kind: .end, offset: position))
        return tokens
      }
      let start = position
      let c = scalars[position]
      switch c {
      case "\"":
        tokens.append(QueryToken(kind: .string(try readString()), offset: start))
      case "(", ")", ":", "{", "}":
        position += 1
        tokens.append(QueryToken(kind: .symbol(String(c)), offset: start))
      case ",", "~", "[", "]", "|":
        // Punctuation in EQL; ordinary value characters in KQL.
        if language == .eql {
          position += 1
          tokens.append(QueryToken(kind: .symbol(String(c)), offset: start))
        } else {
          tokens.append(try readWord(start))
        }
      case "=", "!":
        tokens.append(language == .eql ? try readOperator(start) : try readWord(start))
      case "<", ">":
        tokens.append(try readOperator(start))
      default:
        tokens.append(try readWord(start))
      }
    }
  }

  private mutating func readOperator(_ start: Int) throws(QueryError) -> QueryToken {
    let c = scalars[position]
    position += 1
    var symbol = String(c)
    if position < scalars.count, scalars[position] == "=" {
      symbol.append("=")
      position += 1
    }
    if symbol == "=" || symbol == "!" {
      throw error("'\(symbol)' is not an operator here (use == or !=)", at: start)
    }
    return QueryToken(kind: .symbol(symbol), offset: start)
  }

  private mutating func readWord(_ start: Int) throws(QueryError) -> QueryToken {
    let c = scalars[position]
    var word = ""
    var raw = ""
    while position < scalars.count {
      let s = scalars[position]
      if s.properties.isWhitespace || delimiters.unicodeScalars.contains(s) { break }
      if s == "\\", language == .kuery, position + 1 < scalars.count {
        raw.unicodeScalars.append(s)
        raw.unicodeScalars.append(scalars[position + 1])
        word.unicodeScalars.append(scalars[position + 1])
        position += 2
        continue
      }
      word.unicodeScalars.append(s)
      raw.unicodeScalars.append(s)
      position += 1
    }
    if word.isEmpty { throw error("unexpected character '\(c)'", at: start) }
    return QueryToken(kind: .word(word), offset: start, rawText: raw)
  }

  private mutating func readString() throws(QueryError) -> String {
    let start = position
    position += 1
    var value = ""
    while position < scalars.count {
      let c = scalars[position]
      if c == "\"" {
        position += 1
        return value
      }
      if c == "\\" {
        position += 1
        guard position < scalars.count else { break }
        let e = scalars[position]
        switch e {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "r": value.append("\r")
        case "\"", "\\", "'", "/": value.unicodeScalars.append(e)
        case "*": value.append("*")
        default: throw error("unknown escape \\\(e)", at: position - 1)
        }
        position += 1
        continue
      }
      value.unicodeScalars.append(c)
      position += 1
    }
    throw error("unterminated string", at: start)
  }
}
