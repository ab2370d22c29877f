import Testing
@testable import TriageCore

private func doc(_ json: String) -> JSONObject {
  try! JSONParser.parse(json).objectValue!
}

private func eql(_ query: String, _ json: String) throws -> Bool {
  QueryEvaluator(try EQLParser.compile(query)).matches(doc(json))
}

private func kql(_ query: String, _ json: String) throws -> Bool {
  QueryEvaluator(try KQLParser.compile(query)).matches(doc(json))
}

@Suite("EQL semantics")
struct EQLSemanticsTests {
  @Test("`:` is case-insensitive with wildcards; `==` is exact")
  func colonVersusEquals() throws {
    let q = #"any where event.action : "CreateFunctionUrlConfig*""#
    #expect(try eql(q, #"{"event":{"action":"CreateFunctionUrlConfig20211031"}}"#))
    #expect(try eql(q, #"{"event":{"action":"createfunctionurlconfig"}}"#))
    #expect(try !eql(q, #"{"event":{"action":"DeleteFunctionUrlConfig20211031"}}"#))
    #expect(try eql(#"any where event.action : "Cr?ate*""#, #"{"event":{"action":"Create"}}"#))
    #expect(try !eql(#"any where event.provider == "lambda.amazonaws.com""#, #"{"event":{"provider":"Lambda.amazonaws.com"}}"#))
  }

  @Test("stringContains is case-sensitive; stringContains~ is not")
  func contains() throws {
    let json = #"{"aws":{"cloudtrail":{"request_parameters":"{functionName=f, authType=none}"}}}"#
    #expect(try !eql(#"any where stringContains(aws.cloudtrail.request_parameters, "authType=NONE")"#, json))
    #expect(try eql(#"any where stringContains~(aws.cloudtrail.request_parameters, "authType=NONE")"#, json))
  }

  @Test("missing fields never match positively but satisfy negations (must_not)")
  func missing() throws {
    #expect(try !eql(#"any where user.name == "x""#, "{}"))
    #expect(try eql(#"any where user.name != "x""#, "{}"))
    #expect(try eql(#"any where not user.name : "x*""#, "{}"))
  }

  @Test("payload strings longer than ignore_above (8191) are not searchable")
  func ignoreAbove() throws {
    let long = String(repeating: "a", count: 8200)
    let json = #"{"aws":{"cloudtrail":{"request_parameters":"{authType=NONE, x="# + long + #"}"}}}"#
    #expect(try !eql(#"any where stringContains(aws.cloudtrail.request_parameters, "authType=NONE")"#, json))
  }

  @Test("a keyword longer than 1024 UTF-16 units neither exists nor matches; a string value or an array of them alike")
  func keywordLimit() throws {
    func document(_ name: String, array: Bool) -> String {
      let quoted = "\"" + name + "\""
      return #"{"user":{"name":"# + (array ? "[" + quoted + "]" : quoted) + "}}"
    }
    for array in [false, true] {
      for (name, indexed) in [(String(repeating: "a", count: 1024), true), (String(repeating: "a", count: 1025), false),
                              (String(repeating: "\u{E9}", count: 1024), true), (String(repeating: "\u{1F600}", count: 513), false)] {
        let json = document(name, array: array)
        #expect(try eql("any where user.name != null", json) == indexed, "\(name.prefix(1)) x \(name.count), array \(array)")
        #expect(try eql(#"any where user.name : "*""#, json) == indexed)
        #expect(try eql(#"any where user.name : "\#(name.prefix(3))*""#, json) == indexed)
      }
    }
  }

  @Test("arrays match when any element does; `in` lists")
  func arrays() throws {
    #expect(try eql(#"any where event.type == "change""#, #"{"event":{"type":["info","change"]}}"#))
    #expect(try eql(#"any where event.action in ("A", "B")"#, #"{"event":{"action":"B"}}"#))
    #expect(try !eql(#"any where event.action not in ("A", "B")"#, #"{"event":{"action":"B"}}"#))
  }

  @Test("rejects what it does not support, with the position")
  func errors() {
    #expect(throws: QueryError.self) { try EQLParser.compile(#"sequence [any where true]"#) }
    #expect(throws: QueryError(language: .eql, offset: 12, message: "'=' is not an operator here (use == or !=)")) {
      try EQLParser.compile(#"any where a = "b""#)
    }
    #expect(throws: QueryError.self) { try EQLParser.compile(#"any where foo(a, "b")"#) }
  }
}

@Suite("KQL semantics")
struct KQLSemanticsTests {
  @Test("wildcards are case-sensitive on keyword fields; `?` is literal")
  func wildcards() throws {
    #expect(try kql("event.action: Invoke*", #"{"event":{"action":"InvokeAsync"}}"#))
    #expect(try !kql("event.action: Invoke*", #"{"event":{"action":"invoke"}}"#))
    #expect(try !kql("event.action: Invok?", #"{"event":{"action":"Invoke"}}"#))
    #expect(try kql("event.action: Invok?", #"{"event":{"action":"Invok?"}}"#))
  }

  @Test("`not field: *` holds only when the field is absent")
  func exists() throws {
    #expect(try kql("not aws.cloudtrail.user_identity.invoked_by: *", "{}"))
    #expect(try !kql("not aws.cloudtrail.user_identity.invoked_by: *", #"{"aws":{"cloudtrail":{"user_identity":{"invoked_by":"apigateway.amazonaws.com"}}}}"#))
  }

  @Test("a boolean inside field:( ) applies to that field")
  func groupedValues() throws {
    let q = "source.as.organization.name:(* and not (Amazon* or AMAZON* or Google*))"
    #expect(try kql(q, #"{"source":{"as":{"organization":{"name":"Hetzner Online GmbH"}}}}"#))
    #expect(try !kql(q, #"{"source":{"as":{"organization":{"name":"AMAZON-02"}}}}"#))
    #expect(try kql(q, #"{"source":{"as":{"organization":{"name":"amazon-lookalike"}}}}"#))
    #expect(try !kql(q, "{}"))
  }

  @Test("alternatives on one field, merged into one lookup, answer as each alternative alone")
  func mergedAlternatives() throws {
    let query = try KQLParser.compile(#"f:(a* or B* or "c") or g: x or f: d* or not f: *"#)
    // Each single alternative evaluated on its own (a lone value test is never merged).
    func leaves(_ predicate: QueryPredicate) -> [QueryPredicate] {
      if case .any(let terms) = predicate { return terms.flatMap(leaves) }
      return [predicate]
    }
    let separately = leaves(query).map(QueryEvaluator.init)
    #expect(separately.count == 6)
    let merged = QueryEvaluator(query)
    let values = [#""alpha""#, #""b""#, #""Beta""#, #""c""#, #""cc""#, #""delta""#, #""x""#, "7", "true", "null", "{}", #"["zz","dd"]"#, #"["zz",["ab"]]"#, "[]"]
    var documents = ["{}"]
    for f in values {
      documents.append(#"{"f":\#(f)}"#)
      for g in [#""x""#, #""y""#] { documents.append(#"{"f":\#(f),"g":\#(g)}"#) }
    }
    var matched = 0
    for json in documents {
      let document = doc(json)
      let expected = separately.contains { $0.matches(document) }
      #expect(merged.matches(document) == expected, "\(json)")
      if expected { matched += 1 }
    }
    #expect(matched > 10 && matched < documents.count)
  }

  @Test("quoted values are exact phrases; dotted keys in documents are found")
  func quoted() throws {
    #expect(try kql(#"event.outcome: "success""#, #"{"event.outcome":"success"}"#))
    #expect(try !kql(#"event.outcome: "success""#, #"{"event":{"outcome":"Success"}}"#))
    #expect(try kql(#"a: "x*""#, #"{"a":"x*"}"#))
    #expect(try !kql(#"a: "x*""#, #"{"a":"xy"}"#))
  }

  @Test("the shipped rules compile")
  func builtins() throws {
    for rule in BuiltinRules.all { _ = try rule.compiledQuery() }
  }

  @Test("free text and ranges are rejected")
  func errors() {
    #expect(throws: QueryError.self) { try KQLParser.compile("lambda") }
    #expect(throws: QueryError.self) { try KQLParser.compile("bytes > 5") }
    #expect(throws: QueryError.self) { try KQLParser.compile("a: (b") }
  }
}

@Suite("Wildcard patterns")
struct WildcardPatternTests {
  @Test("hostile patterns stay fast")
  func pathological() {
    let pattern = WildcardPattern("*a*a*a*a*a*a*b", caseInsensitive: false, questionMarkIsWildcard: true)
    #expect(!pattern.matches(String(repeating: "a", count: 5000)))
    #expect(pattern.matches(String(repeating: "a", count: 50) + "b"))
  }
}
