import Testing
@testable import TriageCore

/// A raw record's action decides which rules are evaluated and what is mapped for them; a gate may
/// only rule out what the rule's own query rejects.
@Suite struct RuleGatingTests {
  static let rules = BuiltinRules.all
  static let evaluators = rules.map { QueryEvaluator(try! $0.compiledQuery()) }

  @Test("Each shipped rule is gated on its action patterns, with its own case rules")
  func shippedGates() {
    let gating = RuleGating(rules: Self.rules, evaluators: Self.evaluators, exclusions: [], indexing: false)
    #expect(gating.possibleRules(action: "CreateFunctionUrlConfig20211031") == 0b01)
    #expect(gating.possibleRules(action: "updatefunctionurlconfig") == 0b01)  // EQL ':' ignores case
    #expect(gating.possibleRules(action: "Invoke") == 0b10)
    #expect(gating.possibleRules(action: "InvokeAsync") == 0b10)
    #expect(gating.possibleRules(action: "invoke") == 0)  // KQL Invoke* is case-sensitive
    #expect(gating.possibleRules(action: "GetFunction") == 0)
    #expect(gating.possibleRules(action: nil) == 0)
    // An Invoke record is mapped without rule A's rendered parameters.
    #expect(!gating.projection(for: 0b10).wants("aws.cloudtrail.request_parameters"))
    #expect(gating.projection(for: 0b01).wants("aws.cloudtrail.request_parameters"))
    #expect(gating.projection(for: 0b10).wants("aws.cloudtrail.user_identity.invoked_by"))
  }

  @Test("For every action, a rule the gate rules out does not match the fully mapped event")
  func gateNeverHidesAMatch() throws {
    let gating = RuleGating(rules: Self.rules, evaluators: Self.evaluators, exclusions: [], indexing: false)
    for action in ["Invoke", "invoke", "Invoke20150331", "CreateFunctionUrlConfig20211031", "CREATEFUNCTIONURLCONFIG", "UpdateFunctionUrlConfig", "", "-", "none", "GetFunction", "Inv"] {
      let record = try JSONParser.parse("""
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u","userName":"u","accountId":"1"},\
        "eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"\(action)","sourceIPAddress":"81.2.69.160",\
        "requestParameters":{"authType":"NONE","functionName":"f"}}
        """).objectValue!
      var document = CloudTrailMapper.map(record, original: nil)
      document.set(path: "source.as.organization.name", .string("Example Hosting"))
      let mask = gating.possibleRules(action: action)
      for r in Self.rules.indices where Self.evaluators[r].matches(document) {
        #expect(mask & (1 << r) != 0, "\(action) matches rule \(r) but was gated out")
      }
    }
  }

  @Test("Records parsed without the members their possible rules do not read map to the same fields", arguments: [false, true])
  func skippedMembersChangeNoField(indexing: Bool) throws {
    let exclusion = Exclusion(id: "e", name: "n", ruleIDs: [Self.rules[1].ruleID], entries: [ExclusionEntry(field: "tls.client.server_name", kind: .wildcard("*"))],
                              comment: "c", author: "a", createdAt: "2026-11-01T00:00:00Z")
    let gating = RuleGating(rules: Self.rules, evaluators: Self.evaluators, exclusions: [exclusion], indexing: indexing)
    let extra = [
      // The action after the large members: nothing may be skipped.
      #"{"eventVersion":"1.08","requestParameters":{"authType":"NONE"},"eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig20211031"}"#,
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser","userName":"u"},"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}}"#,
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"sso.amazonaws.com","eventName":"UserAuthentication","userIdentity":{"type":"Unknown"},"additionalEventData":{"UserName":"alice@example.com"}}"#,
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","sourceIPAddress":"81.2.69.160","tlsDetails":{"clientProvidedHostHeader":"evil.example"},"requestParameters":{"functionName":"f"},"resources":[{"ARN":"arn:aws:lambda:eu-west-1:1:function:f"}]}"#,
    ]
    var records = try MappingProjectionTests.records().map(\.original)
    records += extra
    var skippedRecords = 0
    var compared = 0
    for original in records {
      let bytes = Array(original.utf8)
      let parsed = try bytes.withUnsafeBufferPointer { try gating.parse($0) }
      guard case .cloudTrail(let partial) = RecordKind.classify(parsed.value),
        case .cloudTrail(let whole) = RecordKind.classify(try JSONParser.parse(original))
      else { continue }
      if parsed.skipped { skippedRecords += 1 }
      let mask = gating.possibleRules(action: whole["eventName"].flatMap(CloudTrailMapper.scalarText))
      let projection = gating.projection(for: mask)
      let full = CloudTrailMapper.map(whole, original: original)
      let projected = CloudTrailMapper.map(partial, original: projection.wants("event.original") ? original : nil, projection: projection)
      for field in projection.fields.sorted() {
        #expect(projected[path: field] == full[path: field], "\(field) of \(original.prefix(160))")
        if full[path: field] != nil { compared += 1 }
      }
    }
    #expect(skippedRecords > 50)
    #expect(compared > records.count * 5)
  }

  @Test("The fuzzer's differential check holds on every Samples record and on truncated ones")
  func fuzzCheckOnSamples() throws {
    let records = try MappingProjectionTests.records().map { Array($0.original.utf8) }
    for bytes in records {
      #expect(RuleGating.agreesWithFullParse(bytes))
      #expect(RuleGating.agreesWithFullParse(Array(bytes.prefix(bytes.count * 2 / 3))))
    }
  }

  @Test("A rule without an action condition, or with a negated one, is always possible")
  func ungated() throws {
    let queries = ["event.provider: \"lambda.amazonaws.com\"", "not event.action: Invoke*", "event.action: Invoke* or user.name: x"]
    for query in queries {
      let predicate = try KQLParser.compile(query)
      #expect(RuleGating.actionTests(predicate) == nil, "\(query)")
    }
    let union = try #require(RuleGating.actionTests(try KQLParser.compile("event.action: (Invoke* or CreateFunction*) and user.name: x")))
    #expect(union.count == 2)
  }
}
